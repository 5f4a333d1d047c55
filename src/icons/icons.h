/* icons: the app's and the site's icons from one source. PNG in and out
 * (libpng), resampling (stb_image_resize: Mitchell-Netravali in linear
 * light with alpha-weighted, that is premultiplied, filtering), the shapes
 * launchers cut icons to, favicon.ico, the checks a source must pass, and
 * the icon: section of presetgen.yaml that both `build` and `mobile` read.
 *
 * Images are 8-bit RGBA with straight (not premultiplied) alpha, sRGB,
 * rows top to bottom. Nothing here keeps state between calls. */
#ifndef PRESETGEN_ICONS_H
#define PRESETGEN_ICONS_H

#include "base/base.h"
#include "data/data.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sources larger than this are refused (a 16384 px PNG is 1 GiB of RGBA). */
#define IMAGE_MAX_SIDE 8192

struct image {
	int w, h;
	unsigned char *px;	/* w * h * 4 bytes, RGBA */
	bool had_alpha;		/* the PNG had an alpha channel or tRNS */
};

struct rgb {
	unsigned char r, g, b;
};

/* ---- PNG ---------------------------------------------------------------------- */

/* Decodes a PNG (any colour type and depth; 16-bit sources are taken as
 * sRGB). Reports "path: not a PNG ..." or libpng's reason and returns -1. */
int png_decode(struct diag *d, const char *path, const void *data, size_t len,
	       struct image *out);
/* Reads and decodes a PNG file relative to dirfd. */
int png_load_at(struct diag *d, int dirfd, const char *path, struct image *out);
/* Encodes img as an 8-bit PNG, RGB (colour type 2) when opaque_rgb, else
 * RGBA (6): IHDR, IDAT, IEND only (no time, gamma or text chunks), zlib
 * level 9, so the same pixels always give the same bytes. */
void png_encode(const struct image *img, bool opaque_rgb, struct strbuf *out);
/* The same at zlib level 0 to 9 (previews, where speed beats size). */
void png_encode_level(const struct image *img, bool opaque_rgb, int level, struct strbuf *out);

/* ---- pixels ------------------------------------------------------------------- */

void image_alloc(struct image *img, int w, int h);
void image_release(struct image *img);
/* A w x h image of one colour. */
void image_fill(struct image *img, int w, int h, struct rgb c, unsigned char alpha);
/* src resampled to w x h (Mitchell down, Catmull-Rom up, in linear light
 * with premultiplied alpha, so transparent pixels add no colour to the
 * edges). */
void image_resize(const struct image *src, int w, int h, struct image *out);
/* For many sizes of one source: the source is turned into linear light
 * once, and each k x k reduction made once. Threads may share one. */
struct resampler;
struct resampler *resampler_new(const struct image *src);
void resampler_make(struct resampler *r, int w, int h, struct image *out);
void resampler_free(struct resampler *r);
/* Composites src over dst at (x, y) (straight alpha, in sRGB as launchers
 * and browsers do). */
void image_over(struct image *dst, const struct image *src, int x, int y);
/* Makes img opaque on colour c. */
void image_flatten(struct image *img, struct rgb c);
/* Cuts img to a shape centred in it, anti-aliased (16 samples a pixel). */
enum shape { SHAPE_CIRCLE, SHAPE_SQUIRCLE, SHAPE_ROUNDED };
void image_mask(struct image *img, enum shape s);
/* The centre w x h of src. */
void image_crop_centre(const struct image *src, int w, int h, struct image *out);
/* Whether every pixel is opaque. */
bool image_opaque(const struct image *img);

/* How far the pixels at least half opaque reach from the image's centre,
 * in pixels (0 if there are none). */
double image_reach(const struct image *img);

/* favicon.ico holding the n square images (sides < 256), as 32-bit BGRA
 * bitmaps, the form every browser reads. */
void ico_encode(const struct image *imgs, size_t n, struct strbuf *out);

/* ---- colours ------------------------------------------------------------------ */

/* #RRGGBB (or #RRGGBBAA, alpha ignored), as Expo accepts them. */
bool parse_colour(const char *s, struct rgb *out);

/* ---- presetgen.yaml's icon: section ------------------------------------------- */

struct icon_config {
	bool present;
	const char *source;		/* the icon: square PNG, >= 1024 px */
	const char *foreground;		/* Android adaptive foreground (default source) */
	const char *background_image;	/* Android adaptive background, or NULL */
	const char *monochrome;		/* Android 13 themed icon mask, or NULL */
	struct rgb background;		/* flattening and adaptive background colour */
	const char *background_text;	/* as written: "#00876f" */
	struct srcpos at_source, at_foreground, at_background_image, at_monochrome;
};

/* Reads the icon: mapping (its paths relative to the site's root). */
int icon_config_read(struct yread *r, const struct ynode *v, void *base, const char *what);

/* The sources an icon set is made from, loaded and checked: each a PNG,
 * square, at least 1024 px; the monochrome one a single colour; the
 * foreground inside Android's safe zone (a warning when not). */
struct icon_sources {
	struct image icon, foreground, background_image, monochrome;
	bool has_background_image, has_monochrome;
};

int icon_sources_load(const struct icon_config *c, int rootfd, struct diag *d,
		      struct icon_sources *out);
void icon_sources_release(struct icon_sources *s);

/* The radius of Android's adaptive safe zone in a layer of side px: a
 * 66 dp circle in a 108 dp layer. */
static inline double safe_zone_radius(int side)
{
	return side * 33.0 / 108.0;
}

#endif
