/* icons-preview.png: what launchers will show, before a store does. Two
 * rows, on a light and on a dark wallpaper; in each, the adaptive icon's
 * whole 108 dp foreground layer with its 72 dp viewport and 66 dp safe
 * circle drawn on it, then the icon as launchers cut it (a circle, a
 * squircle, iOS's rounded square, Android 13's themed monochrome icon) at
 * 192 px, and the circle, the squircle and iOS's icon at the size a
 * launcher shows them (48 dp at mdpi, 60 pt at 1x). */
#include "internal.h"

#include <math.h>
#include <string.h>

#define PAD 32
#define BIG 192
#define LAYER (BIG * 108 / 72)

/* One resampler per source, made once for the whole sheet. */
struct sources {
	const struct mobile_cfg *cfg;
	const struct icon_sources *src;
	struct resampler *icon, *fg, *bg, *mono;
};

static const struct rgb light_bg = { 0xf1, 0xf3, 0xf4 }, dark_bg = { 0x20, 0x21, 0x24 };

/* The adaptive icon at side px of viewport: its layers at 108/72 of that,
 * background under foreground, the viewport cut out. */
static void adaptive(const struct sources *s, int side, struct image *out)
{
	int layer = side * 108 / 72;
	struct image full, fg;

	if (s->bg)
		resampler_make(s->bg, layer, layer, &full);
	else
		image_fill(&full, layer, layer, s->cfg->icon.background, 255);
	resampler_make(s->fg, layer, layer, &fg);
	image_over(&full, &fg, 0, 0);
	image_crop_centre(&full, side, side, out);
	image_release(&full);
	image_release(&fg);
}

/* The monochrome layer tinted, on a pastel, as Android 13's themed icons. */
static void themed(const struct sources *s, int side, bool dark, struct image *out)
{
	struct rgb bg = dark ? (struct rgb){ 0x00, 0x4a, 0x77 } : (struct rgb){ 0xd3, 0xe3, 0xfd };
	struct rgb tint = dark ? (struct rgb){ 0xc2, 0xe7, 0xff } : (struct rgb){ 0x04, 0x1e, 0x49 };
	int layer = side * 108 / 72;
	struct image full, m;

	image_fill(&full, layer, layer, bg, 255);
	resampler_make(s->mono, layer, layer, &m);
	for (size_t i = 0; i < (size_t)layer * layer; i++) {
		m.px[i * 4] = tint.r;
		m.px[i * 4 + 1] = tint.g;
		m.px[i * 4 + 2] = tint.b;
	}
	image_over(&full, &m, 0, 0);
	image_crop_centre(&full, side, side, out);
	image_release(&full);
	image_release(&m);
}

static void ring(struct image *img, double radius, struct rgb c)
{
	double cx = img->w / 2.0, cy = img->h / 2.0;

	for (int y = 0; y < img->h; y++)
		for (int x = 0; x < img->w; x++) {
			double d = hypot(x + 0.5 - cx, y + 0.5 - cy), cover = fmin(1.0, 1.5 - fabs(d - radius));
			unsigned char *p = img->px + ((size_t)y * img->w + x) * 4;

			if (cover <= 0)
				continue;
			p[0] = (unsigned char)lround(p[0] * (1 - cover) + c.r * cover);
			p[1] = (unsigned char)lround(p[1] * (1 - cover) + c.g * cover);
			p[2] = (unsigned char)lround(p[2] * (1 - cover) + c.b * cover);
			p[3] = 255;
		}
}

static void square_outline(struct image *img, int side, struct rgb c)
{
	int x0 = (img->w - side) / 2, x1 = x0 + side - 1;

	for (int i = x0; i <= x1; i++)
		for (int k = 0; k < 2; k++) {
			int pts[4][2] = { { i, x0 + k }, { i, x1 - k }, { x0 + k, i }, { x1 - k, i } };

			for (int j = 0; j < 4; j++) {
				unsigned char *p = img->px +
						   ((size_t)pts[j][1] * img->w + pts[j][0]) * 4;

				p[0] = c.r;
				p[1] = c.g;
				p[2] = c.b;
				p[3] = 255;
			}
		}
}

/* The 108 dp foreground layer with the viewport and the safe zone. */
static void layer_cell(const struct sources *s, struct image *out)
{
	struct image fg;

	if (s->bg)
		resampler_make(s->bg, LAYER, LAYER, out);
	else
		image_fill(out, LAYER, LAYER, s->cfg->icon.background, 255);
	resampler_make(s->fg, LAYER, LAYER, &fg);
	image_over(out, &fg, 0, 0);
	image_release(&fg);
	square_outline(out, BIG, (struct rgb){ 0xff, 0xd5, 0x4f });
	ring(out, safe_zone_radius(LAYER), (struct rgb){ 0xe5, 0x39, 0x35 });
}

/* The cells of a row, made once and stamped on both wallpapers (all but
 * the themed icon, whose colours follow the wallpaper). */
struct cells {
	struct image layer, big[2], ios_big, small[2], ios_small;
};

static void make_cells(const struct sources *s, struct cells *c)
{
	static const enum shape shapes[] = { SHAPE_CIRCLE, SHAPE_SQUIRCLE };
	struct image a;

	layer_cell(s, &c->layer);
	adaptive(s, BIG, &a);
	for (int i = 0; i < 2; i++) {
		image_crop_centre(&a, BIG, BIG, &c->big[i]);
		image_mask(&c->big[i], shapes[i]);
	}
	image_release(&a);
	adaptive(s, 48, &a);
	for (int i = 0; i < 2; i++) {
		image_crop_centre(&a, 48, 48, &c->small[i]);
		image_mask(&c->small[i], shapes[i]);
	}
	image_release(&a);
	resampler_make(s->icon, BIG, BIG, &c->ios_big);
	image_flatten(&c->ios_big, s->cfg->icon.background);
	image_mask(&c->ios_big, SHAPE_ROUNDED);
	resampler_make(s->icon, 60, 60, &c->ios_small);
	image_flatten(&c->ios_small, s->cfg->icon.background);
	image_mask(&c->ios_small, SHAPE_ROUNDED);
}

static void free_cells(struct cells *c)
{
	image_release(&c->layer);
	for (int i = 0; i < 2; i++) {
		image_release(&c->big[i]);
		image_release(&c->small[i]);
	}
	image_release(&c->ios_big);
	image_release(&c->ios_small);
}

static void put(struct image *sheet, const struct image *cell, int *x, int y)
{
	image_over(sheet, cell, *x, y);
	*x += cell->w + PAD;
}

static void row(struct image *sheet, const struct sources *s, const struct cells *c, int y,
		bool dark)
{
	int x = PAD, mid = y + (LAYER - BIG) / 2;
	struct image themed_cell;

	put(sheet, &c->layer, &x, y);
	put(sheet, &c->big[0], &x, mid);
	put(sheet, &c->big[1], &x, mid);
	put(sheet, &c->ios_big, &x, mid);
	if (s->mono) {
		themed(s, BIG, dark, &themed_cell);
		image_mask(&themed_cell, SHAPE_CIRCLE);
		put(sheet, &themed_cell, &x, mid);
		image_release(&themed_cell);
	}
	put(sheet, &c->small[0], &x, y + (LAYER - 48) / 2);
	put(sheet, &c->small[1], &x, y + (LAYER - 48) / 2);
	put(sheet, &c->ios_small, &x, y + (LAYER - 60) / 2);
}

void preview_make(const struct mobile_cfg *cfg, const struct icon_sources *src,
		  struct strbuf *out)
{
	int cells = 3 + (src->has_monochrome ? 1 : 0);
	int w = PAD + LAYER + PAD + cells * (BIG + PAD) + 48 + PAD + 48 + PAD + 60 + PAD;
	int h = 2 * (LAYER + PAD) + PAD;
	struct image sheet, band;
	struct cells c;
	struct sources s = {
		.cfg = cfg, .src = src,
		.icon = resampler_new(&src->icon), .fg = resampler_new(&src->foreground),
		.bg = src->has_background_image ? resampler_new(&src->background_image) : NULL,
		.mono = src->has_monochrome ? resampler_new(&src->monochrome) : NULL,
	};

	image_fill(&sheet, w, h, light_bg, 255);
	image_fill(&band, w, LAYER + PAD + PAD / 2, dark_bg, 255);
	image_over(&sheet, &band, 0, h - band.h);
	image_release(&band);
	make_cells(&s, &c);
	row(&sheet, &s, &c, PAD, false);
	row(&sheet, &s, &c, LAYER + 2 * PAD, true);
	free_cells(&c);
	/* a preview, not a shipped asset: zlib's middle level, 3x faster */
	png_encode_level(&sheet, true, 6, out);
	image_release(&sheet);
	resampler_free(s.icon);
	resampler_free(s.fg);
	resampler_free(s.bg);
	resampler_free(s.mono);
}
