/* PNG in and out through libpng. Reading uses libpng's simplified API
 * (every colour type, depth and palette to 8-bit RGBA); writing uses the
 * full one, so that nothing but IHDR, IDAT and IEND is written and the
 * compression is zlib's best. */
#include "icons.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

int png_decode(struct diag *d, const char *path, const void *data, size_t len,
	       struct image *out)
{
	png_image pi;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(png_sig) || memcmp(data, png_sig, sizeof(png_sig)))
		return diag_error(d, path, 0, 0, "not a PNG: expected a PNG file (it does not "
				  "start with PNG's signature)");
	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	/* 16-bit files without gAMA or sRGB are what design tools export as
	 * sRGB, not linear data */
	pi.flags = PNG_IMAGE_FLAG_16BIT_sRGB;
	if (!png_image_begin_read_from_memory(&pi, data, len))
		return diag_error(d, path, 0, 0, "not a readable PNG: %s", pi.message);
	if (pi.width > IMAGE_MAX_SIDE || pi.height > IMAGE_MAX_SIDE) {
		diag_error(d, path, 0, 0, "the image is %ux%u px: expected at most %d px a side",
			   pi.width, pi.height, IMAGE_MAX_SIDE);
		png_image_free(&pi);
		return -1;
	}
	out->had_alpha = (pi.format & PNG_FORMAT_FLAG_ALPHA) != 0;
	pi.format = PNG_FORMAT_RGBA;
	image_alloc(out, (int)pi.width, (int)pi.height);
	if (!png_image_finish_read(&pi, NULL, out->px, 0, NULL)) {
		diag_error(d, path, 0, 0, "not a readable PNG: %s", pi.message);
		image_release(out);
		png_image_free(&pi);
		return -1;
	}
	png_image_free(&pi);
	return 0;
}

int png_load_at(struct diag *d, int dirfd, const char *path, struct image *out)
{
	char *buf;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (read_file_at(dirfd, path, &buf, &len) < 0) {
		if (errno == ENOENT)
			return diag_error(d, path, 0, 0, "not found: expected a PNG file here");
		return diag_syserror(d, path, "cannot read: %s", strerror(errno));
	}
	rc = png_decode(d, path, buf, len, out);
	free(buf);
	return rc;
}

static void write_to_strbuf(png_structp p, png_bytep data, size_t len)
{
	strbuf_add(png_get_io_ptr(p), data, len);
}

static void flush_nothing(png_structp p)
{
	(void)p;
}

/* libpng reports a failure by longjmp; writing to memory fails only when
 * memory runs out. */
static void png_fail(png_structp p, png_const_charp msg)
{
	(void)p;
	oom("libpng: %s", msg);
}

/* Whether img has at most 256 colours (alpha included). Flat artwork,
 * which icons are, compresses best unfiltered, as palette images do (the
 * PNG specification's advice): measured on Preset's 1024 px foreground,
 * 6,909 bytes unfiltered against 7,189 with libpng's adaptive filters, in
 * half the time. Photographs and gradients get the adaptive filters. */
static bool few_colours(const struct image *img)
{
	uint32_t seen[512] = { 0 };	/* open addressing; 0 marks a free slot */
	size_t n = 0;

	for (size_t i = 0; i < (size_t)img->w * img->h; i++) {
		uint32_t c, h;

		memcpy(&c, img->px + i * 4, 4);
		c |= 1;		/* never 0; merges colours that differ in red's lowest bit */
		for (h = (c * 2654435761u) >> 23;; h = (h + 1) & 511) {
			if (seen[h] == c)
				break;
			if (!seen[h]) {
				if (++n > 256)
					return false;
				seen[h] = c;
				break;
			}
		}
	}
	return true;
}

void png_encode(const struct image *img, bool opaque_rgb, struct strbuf *out)
{
	png_encode_level(img, opaque_rgb, 9, out);
}

void png_encode_level(const struct image *img, bool opaque_rgb, int level, struct strbuf *out)
{
	png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail, NULL);
	png_infop info;
	size_t stride = opaque_rgb ? (size_t)img->w * 3 : (size_t)img->w * 4;
	unsigned char *row = xmalloc(stride);

	if (!p || !(info = png_create_info_struct(p)))
		oom("cannot start a PNG");
	png_set_write_fn(p, out, write_to_strbuf, flush_nothing);
	png_set_compression_level(p, level);
	png_set_compression_mem_level(p, 9);
	png_set_filter(p, PNG_FILTER_TYPE_BASE,
		       few_colours(img) ? PNG_FILTER_NONE : PNG_ALL_FILTERS);
	png_set_IHDR(p, info, (png_uint_32)img->w, (png_uint_32)img->h, 8,
		     opaque_rgb ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
	png_write_info(p, info);
	for (int y = 0; y < img->h; y++) {
		const unsigned char *s = img->px + (size_t)y * img->w * 4;

		if (opaque_rgb) {
			for (int x = 0; x < img->w; x++)
				memcpy(row + (size_t)x * 3, s + (size_t)x * 4, 3);
			png_write_row(p, row);
		} else {
			png_write_row(p, s);
		}
	}
	png_write_end(p, NULL);
	png_destroy_write_struct(&p, &info);
	free(row);
}
