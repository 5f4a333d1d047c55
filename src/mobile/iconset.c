/* The release's icons. Each distinct image (a source at a size, made
 * opaque or cut to a circle) is made once, even when several files hold
 * it (icon.png and the iOS App Store icon; the adaptive foreground and the
 * splash image), and the images are made and compressed in threads, the
 * largest first: zlib's best compression of a 1024 px icon is most of the
 * work. Names, sizes and colour types are those Expo's prebuild writes
 * (@expo/prebuild-config 56.0.23, withAndroidIcons.js and withIosIcons.js):
 * Android's mipmaps are PNG data in files named .webp, as Expo's template
 * has them; iOS's single 1024 px icon has no alpha channel. */
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SRC_ICON, SRC_FOREGROUND, SRC_BACKGROUND, SRC_MONOCHROME, SRC_COUNT };
enum op { OP_PLAIN, OP_FLATTEN, OP_CIRCLE };

struct task {
	int src, size;
	enum op op;
	bool rgb;		/* colour type 2, no alpha */
	struct strbuf png;
};

struct plan {
	const struct mobile_cfg *cfg;
	const struct image *img[SRC_COUNT];
	struct resampler *rs[SRC_COUNT];
	struct task *t;
	size_t nt, at;
	size_t *order;		/* tasks, the biggest first */
	atomic_size_t next;
	struct { const char *path; size_t task; } *out;
	size_t nout, aout;
};

static size_t task(struct plan *p, int src, int size, enum op op, bool rgb)
{
	for (size_t i = 0; i < p->nt; i++)
		if (p->t[i].src == src && p->t[i].size == size && p->t[i].op == op &&
		    p->t[i].rgb == rgb)
			return i;
	if (p->nt == p->at) {
		p->at = p->at ? 2 * p->at : 32;
		p->t = xrealloc(p->t, p->at * sizeof(*p->t));
	}
	p->t[p->nt] = (struct task){ .src = src, .size = size, .op = op, .rgb = rgb };
	strbuf_init(&p->t[p->nt].png);
	return p->nt++;
}

static void output(struct plan *p, const char *path, size_t t)
{
	if (p->nout == p->aout) {
		p->aout = p->aout ? 2 * p->aout : 32;
		p->out = xrealloc(p->out, p->aout * sizeof(*p->out));
	}
	p->out[p->nout].path = path;
	p->out[p->nout++].task = t;
}

static void run(struct plan *p, struct task *t)
{
	struct image img;

	resampler_make(p->rs[t->src], t->size, t->size, &img);
	if (t->op == OP_FLATTEN)
		image_flatten(&img, p->cfg->icon.background);
	else if (t->op == OP_CIRCLE)
		image_mask(&img, SHAPE_CIRCLE);
	png_encode(&img, t->rgb, &t->png);
	image_release(&img);
}

static void *worker(void *arg)
{
	struct plan *p = arg;
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->nt)
		run(p, &p->t[p->order[i]]);
	return NULL;
}

static int by_size_desc(const void *x, const void *y, void *tasks)
{
	const struct task *t = tasks, *a = &t[*(const size_t *)x], *b = &t[*(const size_t *)y];

	if (a->size != b->size)
		return (b->size > a->size) - (b->size < a->size);
	return (*(const size_t *)x > *(const size_t *)y) - (*(const size_t *)x < *(const size_t *)y);
}

static const struct { const char *dir; int scale2; } dpis[] = {
	{ "mipmap-mdpi", 2 }, { "mipmap-hdpi", 3 }, { "mipmap-xhdpi", 4 },
	{ "mipmap-xxhdpi", 6 }, { "mipmap-xxxhdpi", 8 },
};

#define RES "android/app/src/main/res/"

static void plan_android(struct plan *p, struct arena *a, bool bg, bool mono)
{
	for (size_t i = 0; i < ARRAY_SIZE(dpis); i++) {
		int legacy = 48 * dpis[i].scale2 / 2, layer = 108 * dpis[i].scale2 / 2;
		const char *dir = dpis[i].dir;

		output(p, arena_printf(a, RES "%s/ic_launcher.webp", dir),
		       task(p, SRC_ICON, legacy, OP_PLAIN, false));
		output(p, arena_printf(a, RES "%s/ic_launcher_round.webp", dir),
		       task(p, SRC_ICON, legacy, OP_CIRCLE, false));
		output(p, arena_printf(a, RES "%s/ic_launcher_foreground.webp", dir),
		       task(p, SRC_FOREGROUND, layer, OP_PLAIN, false));
		if (bg)
			output(p, arena_printf(a, RES "%s/ic_launcher_background.webp", dir),
			       task(p, SRC_BACKGROUND, layer, OP_PLAIN, false));
		if (mono)
			output(p, arena_printf(a, RES "%s/ic_launcher_monochrome.webp", dir),
			       task(p, p->img[SRC_MONOCHROME] ? SRC_MONOCHROME : SRC_FOREGROUND,
				    layer, OP_PLAIN, false));
	}
}

static void android_xml(struct rfiles *out, const struct mobile_cfg *cfg, bool bg, bool mono)
{
	struct strbuf x = STRBUF_INIT;

	strbuf_adds(&x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		    "<adaptive-icon xmlns:android=\"http://schemas.android.com/apk/res/android\">\n");
	strbuf_addf(&x, "    <background android:drawable=\"%s\"/>\n",
		    bg ? "@mipmap/ic_launcher_background" : "@color/iconBackground");
	strbuf_adds(&x, "    <foreground android:drawable=\"@mipmap/ic_launcher_foreground\"/>\n");
	if (mono)
		strbuf_adds(&x, "    <monochrome android:drawable=\"@mipmap/ic_launcher_monochrome\"/>\n");
	strbuf_adds(&x, "</adaptive-icon>");	/* as Expo writes it: no final newline */
	rfiles_add(out, RES "mipmap-anydpi-v26/ic_launcher.xml", xstrdup(x.buf), x.len, false);
	rfiles_add(out, RES "mipmap-anydpi-v26/ic_launcher_round.xml", xstrdup(x.buf), x.len,
		   false);
	strbuf_reset(&x);
	strbuf_addf(&x, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<resources>\n"
		    "  <color name=\"iconBackground\">%s</color>\n</resources>\n",
		    cfg->icon.background_text);
	rfiles_add(out, RES "values/colors.xml", xstrdup(x.buf), x.len, false);
	strbuf_release(&x);
}

static void ios_contents(struct rfiles *out, const char *dir)
{
	static const char contents[] =
		"{\n  \"images\": [\n    {\n      \"filename\": \"App-Icon-1024x1024@1x.png\",\n"
		"      \"idiom\": \"universal\",\n      \"platform\": \"ios\",\n"
		"      \"size\": \"1024x1024\"\n    }\n  ],\n  \"info\": {\n"
		"    \"version\": 1,\n    \"author\": \"expo\"\n  }\n}";	/* as Expo's */
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(&path, "%s/Contents.json", dir);
	rfiles_add(out, path.buf, xstrdup(contents), sizeof(contents) - 1, false);
	strbuf_release(&path);
}

int iconset_make(const struct mobile_cfg *cfg, const struct icon_sources *src,
		 const struct release_images *img, const char *ios_name, bool native, int jobs,
		 struct rfiles *out)
{
	struct plan p = { .cfg = cfg };
	struct arena a = ARENA_INIT;
	pthread_t th[16];
	int nth = jobs > 0 ? jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
	bool bg = src->has_background_image, mono = src->has_monochrome;
	const char *ios_dir = NULL;

	p.img[SRC_ICON] = &src->icon;
	p.img[SRC_FOREGROUND] = &src->foreground;
	p.img[SRC_BACKGROUND] = bg ? &src->background_image : NULL;
	p.img[SRC_MONOCHROME] = mono ? &src->monochrome : NULL;
	/* one file as both foreground and monochrome: its images once */
	if (mono && cfg->icon.monochrome && !strcmp(cfg->icon.monochrome, cfg->icon.foreground))
		p.img[SRC_MONOCHROME] = NULL;
	for (int i = 0; i < SRC_COUNT; i++)
		p.rs[i] = p.img[i] ? resampler_new(p.img[i]) : NULL;

	output(&p, img->icon, task(&p, SRC_ICON, 1024, OP_FLATTEN, true));
	output(&p, img->foreground, task(&p, SRC_FOREGROUND, 1024, OP_PLAIN, false));
	if (bg)
		output(&p, img->background, task(&p, SRC_BACKGROUND, 1024, OP_PLAIN, false));
	if (mono && strcmp(img->monochrome, img->foreground))
		output(&p, img->monochrome, task(&p, SRC_MONOCHROME, 1024, OP_PLAIN, false));
	output(&p, img->favicon, task(&p, SRC_ICON, 48, OP_PLAIN, false));
	if (native) {
		plan_android(&p, &a, bg, mono);
		ios_dir = arena_printf(&a, "ios/%s/Images.xcassets/AppIcon.appiconset", ios_name);
		output(&p, arena_printf(&a, "%s/App-Icon-1024x1024@1x.png", ios_dir),
		       task(&p, SRC_ICON, 1024, OP_FLATTEN, true));
	}

	/* the biggest first, so that the threads end together */
	p.order = xmalloc((p.nt + 1) * sizeof(*p.order));
	for (size_t i = 0; i < p.nt; i++)
		p.order[i] = i;
	qsort_r(p.order, p.nt, sizeof(*p.order), by_size_desc, p.t);
	if (nth < 1)
		nth = 1;
	if (nth > (int)ARRAY_SIZE(th))
		nth = (int)ARRAY_SIZE(th);
	atomic_init(&p.next, 0);
	for (int i = 1; i < nth; i++)
		if (pthread_create(&th[i], NULL, worker, &p))
			oom("cannot start a thread");
	worker(&p);
	for (int i = 1; i < nth; i++)
		pthread_join(th[i], NULL);

	for (size_t i = 0; i < p.nout; i++) {
		const struct strbuf *png = &p.t[p.out[i].task].png;
		char *copy = xmalloc(png->len + 1);

		memcpy(copy, png->buf, png->len);
		rfiles_add(out, p.out[i].path, copy, png->len, true);
	}
	if (native) {
		android_xml(out, cfg, bg, mono);
		ios_contents(out, ios_dir);
	}
	for (size_t i = 0; i < p.nt; i++)
		strbuf_release(&p.t[i].png);
	for (int i = 0; i < SRC_COUNT; i++)
		resampler_free(p.rs[i]);
	free(p.t);
	free(p.order);
	free(p.out);
	arena_release(&a);
	return 0;
}
