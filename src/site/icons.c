/* The site's icons, made from the same source as the app's (presetgen.yaml
 * icon:): favicon.ico (16, 32, 48 px) at the root, where browsers look for
 * it unasked; and as hashed assets an opaque 180 px apple-touch-icon, the
 * web app manifest's 192 and 512 px icons, and a 512 px maskable one (the
 * adaptive foreground on its background, whose safe zone, 66 of 108 dp,
 * lies inside the maskable safe zone, 80%). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void add(struct asset_src **gen, size_t *n, const char *logical, struct strbuf *sb)
{
	*gen = xrealloc(*gen, (*n + 1) * sizeof(**gen));
	(*gen)[*n].logical = xstrdup(logical);
	(*gen)[*n].data = strbuf_detach(sb, &(*gen)[*n].len);
	(*n)++;
}

static void add_png(struct asset_src **gen, size_t *n, const char *logical,
		    const struct image *img, bool opaque)
{
	struct strbuf sb = STRBUF_INIT;

	png_encode(img, opaque, &sb);
	add(gen, n, logical, &sb);
}

/* A fingerprint of what the icons are made from: the settings and the
 * bytes of each source file (0 when one cannot be read: no reuse). */
static uint64_t icon_print(const struct site *s)
{
	const struct icon_config *c = &s->cfg.icon;
	const char *paths[] = { c->source, c->foreground, c->background_image, c->monochrome };
	uint64_t h = fnv1a(&s->cfg.structure, sizeof(s->cfg.structure), FNV_START);

	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		char *data;
		size_t len;

		if (!paths[i]) {
			h = fnv1a("-", 1, h);
			continue;
		}
		if (read_file_at(s->rootfd, paths[i], &data, &len) < 0)
			return 0;
		h = fnv1a(paths[i], strlen(paths[i]) + 1, h);
		h = fnv1a(&len, sizeof(len), h);
		h = fnv1a(data, len, h);
		free(data);
	}
	return h ? h : 1;
}

/* The icons of the previous load, when they were made from the same. */
static bool reuse(struct site *s, struct asset_src **gen, size_t *ngen)
{
	const struct site *p = s->previous;
	struct strbuf sb = STRBUF_INIT;

	if (!p || !p->icon_print || p->icon_print != s->icon_print || !p->favicon)
		return false;
	for (size_t i = 0; i < p->nicon_gen; i++) {
		strbuf_reset(&sb);
		strbuf_add(&sb, p->icon_gen[i].data, p->icon_gen[i].len);
		add(gen, ngen, p->icon_gen[i].logical, &sb);
	}
	strbuf_add(&sb, p->favicon, p->favicon_len);
	s->favicon = strbuf_detach(&sb, &s->favicon_len);
	return true;
}

int site_icons(struct site *s, struct asset_src **gen, size_t *ngen)
{
	const struct icon_config *c = &s->cfg.icon;
	struct icon_sources src;
	struct resampler *ri, *rf;
	struct image img, layer, ico[3];
	struct strbuf sb = STRBUF_INIT;
	bool opaque;

	*gen = NULL;
	*ngen = 0;
	if (!c->present)
		return 0;
	s->icon_print = icon_print(s);
	if (reuse(s, gen, ngen))
		return 0;
	if (icon_sources_load(c, s->rootfd, s->d, &src) < 0)
		return -1;
	opaque = image_opaque(&src.icon);
	ri = resampler_new(&src.icon);

	resampler_make(ri, 180, 180, &img);
	image_flatten(&img, c->background);
	add_png(gen, ngen, "img/apple-touch-icon.png", &img, true);
	image_release(&img);

	resampler_make(ri, 192, 192, &img);
	add_png(gen, ngen, "img/icon-192.png", &img, opaque);
	image_release(&img);
	resampler_make(ri, 512, 512, &img);
	add_png(gen, ngen, "img/icon-512.png", &img, opaque);
	image_release(&img);

	if (src.has_background_image)
		image_resize(&src.background_image, 512, 512, &img);
	else
		image_fill(&img, 512, 512, c->background, 255);
	rf = resampler_new(&src.foreground);
	resampler_make(rf, 512, 512, &layer);
	resampler_free(rf);
	image_over(&img, &layer, 0, 0);
	image_flatten(&img, c->background);
	add_png(gen, ngen, "img/icon-maskable-512.png", &img, true);
	image_release(&img);
	image_release(&layer);

	for (int i = 0; i < 3; i++)
		resampler_make(ri, 16 * (i + 1), 16 * (i + 1), &ico[i]);	/* 16, 32, 48 */
	ico_encode(ico, 3, &sb);
	for (int i = 0; i < 3; i++)
		image_release(&ico[i]);
	s->favicon = strbuf_detach(&sb, &s->favicon_len);
	resampler_free(ri);
	icon_sources_release(&src);
	return 0;
}
