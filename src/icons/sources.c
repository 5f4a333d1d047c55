/* The icon: section of presetgen.yaml, and the sources it names, loaded
 * and checked before anything is made from them. */
#include "icons.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static int read_colour(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct icon_config *c = base;
	const char *s = ynode_scalar(v);

	if (!s || ynode_is_null(v) || !parse_colour(s, &c->background))
		return ydoc_error(r->y, v, "expected a colour such as \"#00876f\" (#RRGGBB) for "
				  "'%s', found %s%s%s", what,
				  s ? "'" : "", s ? s : ynode_describe(v), s ? "'" : "");
	c->background_text = arena_strdup(r->a, s);
	return 0;
}

#define AT(f) (offsetof(struct icon_config, f) + 1)

static const struct ykey icon_keys[] = {
	{ .name = "source", .type = YK_NAME, .off = offsetof(struct icon_config, source),
	  .required = true, .at = AT(at_source) },
	{ .name = "background", .type = YK_CALL, .fn = read_colour },
	{ .name = "foreground", .type = YK_NAME, .off = offsetof(struct icon_config, foreground),
	  .at = AT(at_foreground) },
	{ .name = "background_image", .type = YK_NAME,
	  .off = offsetof(struct icon_config, background_image), .at = AT(at_background_image) },
	{ .name = "monochrome", .type = YK_NAME, .off = offsetof(struct icon_config, monochrome),
	  .at = AT(at_monochrome) },
};

/* A path inside the site: relative, no "..", a .png. */
static int check_path(struct yread *r, const struct ynode *map, const char *what,
		      const char *key, const char *path)
{
	const struct ynode *at = NULL;

	if (!path)
		return 0;
	for (size_t i = 0; i < ynode_count(map); i++)
		if (!strcmp(ynode_scalar(ynode_key(r->y, map, i)) ?: "", key))
			at = ynode_value(r->y, map, i);
	if (path[0] == '/' || !strncmp(path, "../", 3) || strstr(path, "/../") ||
	    !str_endswith(path, ".png"))
		return ydoc_error(r->y, at, "expected the path of a .png file inside the site "
				  "for '%s.%s', found '%s'", what, key, path);
	return 0;
}

int icon_config_read(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct icon_config *c = base;
	int rc;

	c->present = true;
	c->background = (struct rgb){ 255, 255, 255 };
	c->background_text = "#ffffff";
	rc = yread_map(r, v, what, icon_keys, ARRAY_SIZE(icon_keys), c);
	if (rc)
		return rc;
	rc |= check_path(r, v, what, "source", c->source);
	rc |= check_path(r, v, what, "foreground", c->foreground);
	rc |= check_path(r, v, what, "background_image", c->background_image);
	rc |= check_path(r, v, what, "monochrome", c->monochrome);
	if (!c->foreground) {
		c->foreground = c->source;
		c->at_foreground = c->at_source;
	}
	return rc ? -1 : 0;
}

/* A PNG, square, at least 1024 px a side. */
static int load_square(struct diag *d, int rootfd, const char *path, const char *role,
		       struct image *out)
{
	if (png_load_at(d, rootfd, path, out) < 0)
		return -1;
	if (out->w != out->h) {
		diag_error(d, path, 0, 0, "the %s is %dx%d px: expected a square image", role,
			   out->w, out->h);
		goto fail;
	}
	if (out->w < 1024) {
		diag_error(d, path, 0, 0, "the %s is %dx%d px: expected at least 1024x1024 "
			   "(the App Store icon is 1024 px, and smaller sources blur)", role,
			   out->w, out->h);
		goto fail;
	}
	return 0;
fail:
	image_release(out);
	return -1;
}

/* Android's themed icon tints the monochrome layer: only its alpha
 * counts, and a layer of several colours means the wrong file was named. */
static int check_monochrome(struct diag *d, const char *path, const struct image *m)
{
	const unsigned char *first = NULL;
	size_t firsti = 0;

	for (size_t i = 0; i < (size_t)m->w * m->h; i++) {
		const unsigned char *p = m->px + i * 4;

		if (p[3] < 64)
			continue;
		if (!first) {
			first = p;
			firsti = i;
			continue;
		}
		for (int c = 0; c < 3; c++)
			if (abs(p[c] - first[c]) > 24)
				return diag_error(d, path, 0, 0, "a monochrome icon is one colour on "
						  "transparency: pixel (%zu, %zu) is #%02x%02x%02x "
						  "but pixel (%zu, %zu) is #%02x%02x%02x",
						  firsti % m->w, firsti / m->w, first[0], first[1],
						  first[2], i % m->w, i / m->w, p[0], p[1], p[2]);
	}
	if (!first)
		return diag_error(d, path, 0, 0, "the monochrome icon is empty: expected a shape "
				  "of opaque pixels on transparency");
	return 0;
}

static void check_safe_zone(struct diag *d, const char *path, const struct image *fg)
{
	double reach = image_reach(fg), safe = safe_zone_radius(fg->w);

	if (reach > safe + 0.5)
		diag_warning(d, path, 0, 0, "the adaptive icon's foreground reaches %.0f px from "
			     "the centre, %.0f px outside Android's safe zone (a circle of %.0f px "
			     "radius: 66 of 108 dp); launchers that cut icons to a circle or a "
			     "squircle will crop it", reach, reach - safe, safe);
}

/* One file named twice is decoded once. */
static void copy(const struct image *from, struct image *to)
{
	if (!from->px)
		return;
	image_alloc(to, from->w, from->h);
	memcpy(to->px, from->px, (size_t)from->w * from->h * 4);
	to->had_alpha = from->had_alpha;
}

int icon_sources_load(const struct icon_config *c, int rootfd, struct diag *d,
		      struct icon_sources *out)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	rc |= load_square(d, rootfd, c->source, "icon", &out->icon);
	if (!strcmp(c->foreground, c->source))
		copy(&out->icon, &out->foreground);
	else
		rc |= load_square(d, rootfd, c->foreground, "adaptive foreground", &out->foreground);
	if (out->foreground.px)
		check_safe_zone(d, c->foreground, &out->foreground);
	if (c->background_image) {
		out->has_background_image = true;
		if (load_square(d, rootfd, c->background_image, "adaptive background",
				&out->background_image) < 0) {
			rc = -1;
		} else if (out->foreground.px && out->background_image.w != out->foreground.w) {
			rc = diag_error(d, c->background_image, 0, 0, "the adaptive background is "
					"%d px: expected the foreground's size, %d px",
					out->background_image.w, out->foreground.w);
		}
	}
	if (c->monochrome) {
		out->has_monochrome = true;
		if (!strcmp(c->monochrome, c->foreground) && out->foreground.px)
			copy(&out->foreground, &out->monochrome);
		else if (load_square(d, rootfd, c->monochrome, "monochrome icon",
				     &out->monochrome) < 0)
			rc = -1;
		if (out->monochrome.px &&
		    check_monochrome(d, c->monochrome, &out->monochrome) < 0)
			rc = -1;
	}
	if (rc)
		icon_sources_release(out);
	return rc ? -1 : 0;
}

void icon_sources_release(struct icon_sources *s)
{
	image_release(&s->icon);
	image_release(&s->foreground);
	image_release(&s->background_image);
	image_release(&s->monochrome);
}
