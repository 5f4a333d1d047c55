/* Pixels: resampling (stb_image_resize), compositing, masks, crops, and
 * the measures the checks use. */
#include "icons.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image_resize.h>

void image_alloc(struct image *img, int w, int h)
{
	img->w = w;
	img->h = h;
	img->px = xcalloc(st_mult((size_t)w, (size_t)h), 4);
	img->had_alpha = false;
}

void image_release(struct image *img)
{
	free(img->px);
	img->px = NULL;
	img->w = img->h = 0;
}

void image_fill(struct image *img, int w, int h, struct rgb c, unsigned char alpha)
{
	image_alloc(img, w, h);
	for (size_t i = 0; i < (size_t)w * h; i++) {
		unsigned char *p = img->px + i * 4;

		p[0] = c.r;
		p[1] = c.g;
		p[2] = c.b;
		p[3] = alpha;
	}
}

/* ---- resampling ---------------------------------------------------------------
 *
 * Pixels are turned into linear light with premultiplied alpha, as floats;
 * stb_image_resize filters them (Mitchell-Netravali, B = C = 1/3, the
 * classic compromise between blur and ringing, when shrinking; Catmull-Rom
 * when growing) and they are turned back. Because colour is weighted by
 * alpha, a transparent pixel's colour never bleeds into its neighbours: no
 * dark fringe on a logo's edge. A large shrink first averages whole k x k
 * blocks (k a power of two that divides the side, the largest that leaves
 * the output no larger than the blocks), as mipmaps and Android's own
 * inSampleSize do, and the filter makes the rest of the shrink (less than
 * 2x). The filter's cost grows with its input: this is what makes a whole
 * icon set in well under 100 ms. Each level is made once per source. */

/* Linear light back to sRGB through a table of 2^16 steps: a step is
 * 1/20 of the gap between the two darkest codes, so rounding is exact but
 * for values within 1/65536 of a boundary. */
#define ENCODE_STEPS 65536

struct fimage {
	int w, h;
	float *px;		/* RGBA, linear, premultiplied */
};

struct resampler {
	const struct image *src;
	pthread_mutex_t lock;		/* over levels: threads share a source */
	struct fimage levels[14];	/* each k x k reduction made so far */
	int ks[14];
	int n;
	float to_lin[256];
	unsigned char to_srgb[ENCODE_STEPS + 1];	/* linear (in steps) to sRGB */
};

static double srgb_to_linear(double c)
{
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

struct resampler *resampler_new(const struct image *src)
{
	struct resampler *r = xcalloc(1, sizeof(*r));
	double bounds[255];

	r->src = src;
	pthread_mutex_init(&r->lock, NULL);
	for (int i = 0; i < 256; i++)
		r->to_lin[i] = (float)srgb_to_linear(i / 255.0);
	for (int i = 0; i < 255; i++)
		bounds[i] = srgb_to_linear((i + 0.5) / 255.0);
	for (int i = 0, code = 0; i <= ENCODE_STEPS; i++) {
		/* the code whose range, halfway to its neighbours in sRGB, holds i */
		while (code < 255 && (double)i / ENCODE_STEPS >= bounds[code])
			code++;
		r->to_srgb[i] = (unsigned char)code;
	}
	return r;
}

void resampler_free(struct resampler *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->n; i++)
		free(r->levels[i].px);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/* The source in linear light, averaged over k x k blocks (k divides both
 * sides; 1: every pixel). */
static const struct fimage *level(struct resampler *r, int k)
{
	const struct image *s = r->src;
	struct fimage *f;
	float *acc;

	for (int i = 0; i < r->n; i++)
		if (r->ks[i] == k)
			return &r->levels[i];
	if (r->n == (int)ARRAY_SIZE(r->levels))
		BUG("too many levels");
	f = &r->levels[r->n];
	r->ks[r->n++] = k;
	f->w = s->w / k;
	f->h = s->h / k;
	f->px = xcalloc(st_mult((size_t)f->w * f->h, 4), sizeof(float));
	for (int y = 0; y < s->h; y++) {
		const unsigned char *p = s->px + (size_t)y * s->w * 4;

		acc = f->px + (size_t)(y / k) * f->w * 4;
		for (int bx = 0; bx < f->w; bx++, acc += 4)
			for (int x = 0; x < k; x++, p += 4) {
				float a = p[3] * (1.0f / 255.0f);

				acc[0] += r->to_lin[p[0]] * a;
				acc[1] += r->to_lin[p[1]] * a;
				acc[2] += r->to_lin[p[2]] * a;
				acc[3] += a;
			}
	}
	if (k > 1)
		for (size_t i = 0; i < (size_t)f->w * f->h * 4; i++)
			f->px[i] *= 1.0f / (float)(k * k);
	return f;
}

static unsigned char encode(const struct resampler *r, float v)
{
	if (!(v > 0))
		return 0;
	if (v >= 1)
		return 255;
	return r->to_srgb[(int)(v * ENCODE_STEPS + 0.5f)];
}

void resampler_make(struct resampler *r, int w, int h, struct image *out)
{
	const struct fimage *src;
	float *tmp;
	int k = 1;

	if (w == r->src->w && h == r->src->h) {
		image_alloc(out, w, h);
		memcpy(out->px, r->src->px, (size_t)w * h * 4);
		return;
	}
	for (int c = 2; r->src->w / c >= w && r->src->h / c >= h; c *= 2)
		if (r->src->w % c == 0 && r->src->h % c == 0)
			k = c;
	pthread_mutex_lock(&r->lock);
	src = level(r, k);
	pthread_mutex_unlock(&r->lock);
	tmp = xmalloc(st_mult((size_t)w * h, 4 * sizeof(float)));
	if (src->w == w && src->h == h)
		memcpy(tmp, src->px, (size_t)w * h * 4 * sizeof(float));
	else if (!stbir_resize_float_generic(src->px, src->w, src->h, 0, tmp, w, h, 0, 4, 3,
					     STBIR_FLAG_ALPHA_PREMULTIPLIED, STBIR_EDGE_CLAMP,
					     w <= src->w ? STBIR_FILTER_MITCHELL
							 : STBIR_FILTER_CATMULLROM,
					     STBIR_COLORSPACE_LINEAR, NULL))
		oom("cannot resample an image to %dx%d", w, h);
	image_alloc(out, w, h);
	for (size_t i = 0; i < (size_t)w * h; i++) {
		const float *q = tmp + i * 4;
		unsigned char *p = out->px + i * 4;
		float a = q[3] < 0 ? 0 : q[3] > 1 ? 1 : q[3];

		p[3] = (unsigned char)lrintf(a * 255.0f);
		/* a pixel left (almost) transparent keeps no colour, so that the
		 * output compresses and compares alike */
		if (!p[3])
			continue;
		for (int c = 0; c < 3; c++)
			p[c] = encode(r, q[c] / a);
	}
	free(tmp);
}

void image_resize(const struct image *src, int w, int h, struct image *out)
{
	struct resampler *r;

	if (w == src->w && h == src->h) {
		image_alloc(out, w, h);
		memcpy(out->px, src->px, (size_t)w * h * 4);
		return;
	}
	r = resampler_new(src);
	resampler_make(r, w, h, out);
	resampler_free(r);
}

static unsigned char mix(unsigned s, unsigned sa, unsigned dst_c, unsigned da, unsigned oa)
{
	/* straight alpha: (s*sa + d*da*(1-sa)) / oa, all over 255 */
	unsigned num = s * sa * 255 + dst_c * da * (255 - sa);

	return (unsigned char)((num + oa * 255 / 2) / (oa * 255));
}

void image_over(struct image *dst, const struct image *src, int x0, int y0)
{
	for (int y = 0; y < src->h; y++) {
		int dy = y + y0;

		if (dy < 0 || dy >= dst->h)
			continue;
		for (int x = 0; x < src->w; x++) {
			int dx = x + x0;
			const unsigned char *s = src->px + ((size_t)y * src->w + x) * 4;
			unsigned char *d = dst->px + ((size_t)dy * dst->w + dx) * 4;
			unsigned sa = s[3], da, oa;

			if (dx < 0 || dx >= dst->w || !sa)
				continue;
			if (sa == 255) {
				memcpy(d, s, 4);
				continue;
			}
			da = d[3];
			oa = sa * 255 + da * (255 - sa);	/* over 255*255 */
			oa = (oa + 127) / 255;
			for (int c = 0; c < 3; c++)
				d[c] = mix(s[c], sa, d[c], da, oa);
			d[3] = (unsigned char)oa;
		}
	}
}

void image_flatten(struct image *img, struct rgb c)
{
	const unsigned char bg[3] = { c.r, c.g, c.b };

	for (size_t i = 0; i < (size_t)img->w * img->h; i++) {
		unsigned char *p = img->px + i * 4;
		unsigned a = p[3];

		for (int k = 0; k < 3; k++)
			p[k] = (unsigned char)((p[k] * a + bg[k] * (255 - a) + 127) / 255);
		p[3] = 255;
	}
}

/* Whether the point (x, y), in units of the half side from the centre,
 * lies inside the shape. The squircle is Android's |x|^4 + |y|^4 <= 1
 * superellipse; the rounded square has iOS's corner radius of about 22%. */
static bool inside(enum shape s, double x, double y)
{
	double ax = fabs(x), ay = fabs(y), r = 0.4474;

	switch (s) {
	case SHAPE_CIRCLE:
		return x * x + y * y <= 1.0;
	case SHAPE_SQUIRCLE:
		return ax * ax * ax * ax + ay * ay * ay * ay <= 1.0;
	case SHAPE_ROUNDED:
		if (ax <= 1 - r || ay <= 1 - r)
			return ax <= 1 && ay <= 1;
		return (ax - (1 - r)) * (ax - (1 - r)) + (ay - (1 - r)) * (ay - (1 - r)) <= r * r;
	}
	return false;
}

void image_mask(struct image *img, enum shape s)
{
	double hw = img->w / 2.0, hh = img->h / 2.0;

	for (int y = 0; y < img->h; y++)
		for (int x = 0; x < img->w; x++) {
			unsigned char *p = img->px + ((size_t)y * img->w + x) * 4;
			int in = 0;

			for (int sy = 0; sy < 4; sy++)
				for (int sx = 0; sx < 4; sx++)
					in += inside(s, (x + (sx + 0.5) / 4 - hw) / hw,
						     (y + (sy + 0.5) / 4 - hh) / hh);
			p[3] = (unsigned char)((p[3] * in + 8) / 16);
			if (!p[3])
				memset(p, 0, 3);
		}
}

void image_crop_centre(const struct image *src, int w, int h, struct image *out)
{
	int x0 = (src->w - w) / 2, y0 = (src->h - h) / 2;

	image_alloc(out, w, h);
	out->had_alpha = src->had_alpha;
	for (int y = 0; y < h; y++)
		memcpy(out->px + (size_t)y * w * 4, src->px + ((size_t)(y + y0) * src->w + x0) * 4,
		       (size_t)w * 4);
}

bool image_opaque(const struct image *img)
{
	for (size_t i = 0; i < (size_t)img->w * img->h; i++)
		if (img->px[i * 4 + 3] != 255)
			return false;
	return true;
}

double image_reach(const struct image *img)
{
	double cx = img->w / 2.0, cy = img->h / 2.0, best = 0;

	for (int y = 0; y < img->h; y++)
		for (int x = 0; x < img->w; x++) {
			/* the pixel's far corner from the centre */
			double dx, dy, dd;

			if (img->px[((size_t)y * img->w + x) * 4 + 3] < 128)
				continue;
			dx = fmax(fabs(x - cx), fabs(x + 1 - cx));
			dy = fmax(fabs(y - cy), fabs(y + 1 - cy));
			dd = dx * dx + dy * dy;
			if (dd > best)
				best = dd;
		}
	return sqrt(best);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool parse_colour(const char *s, struct rgb *out)
{
	size_t n = strlen(s);
	int v[6];

	if (s[0] != '#' || (n != 7 && n != 9))
		return false;
	for (size_t i = 1; i < n; i++)
		if (hexval(s[i]) < 0)
			return false;
	for (int i = 0; i < 6; i++)
		v[i] = hexval(s[1 + i]);
	out->r = (unsigned char)(v[0] * 16 + v[1]);
	out->g = (unsigned char)(v[2] * 16 + v[3]);
	out->b = (unsigned char)(v[4] * 16 + v[5]);
	return true;
}
