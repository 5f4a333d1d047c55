#include "site.h"
#include "arena.h"
#include "archive.h"
#include "assets.h"
#include "collection.h"
#include "config.h"
#include "content.h"
#include "diag.h"
#include "feeds.h"
#include "fsutil.h"
#include "keyindex.h"
#include "mustache.h"
#include "redirects.h"
#include "snapshot.h"
#include "strbuf.h"
#include "text.h"
#include "tz.h"
#include "util.h"
#include "vercel.h"
#include "value.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* One file of the output: a rendered page or bytes made some other way. */
struct build;

/* One page of a listing; its context is made when it is rendered. */
struct listing_page {
	struct value **items;		/* the whole listing, shared */
	size_t n;
	long p, pages, per;
	const char *base;
	const char *title;
	struct value *group;
};

struct job {
	const struct mustache_tpl *tpl;	/* NULL: data is the file */
	const struct value *ctx;	/* ready, or NULL: made from row or lp */
	const struct crow *row;		/* a collection row's page */
	const struct listing_page *lp;	/* a listing's page */
	/* or bytes made by a worker from other jobs' results (sitemaps) */
	void (*gen)(const struct build *b, const void *arg, struct strbuf *out);
	const void *gen_arg;
	const char *out;		/* path below the output directory */
	const char *src;		/* the input it comes from, for messages */
	char *data;			/* rendered bytes (malloc'd) */
	size_t len;
	char *errors;			/* messages of a failed render (malloc'd) */
	bool borrowed;			/* data belongs to someone else (assets) */
	size_t gz;			/* bytes of its .gz sibling, if one was written */
	bool page;			/* counts as a page in the summary */
	const char *url;		/* pages: for the sitemap (NULL: left out) */
	int64_t lastmod;		/* pages: microseconds, or INT64_MIN */
};

struct build {
	const struct build_opts *o;
	struct diag *d;
	struct arena arena;
	struct config cfg;
	int env;
	struct mustache_set *tpls;
	struct page *pages;
	size_t npages;
	struct job *jobs;
	size_t njobs, ajobs;
	const char *stage;		/* staging directory, or NULL (dry run) */
	int stage_fd;			/* it, open, for paths relative to it */
	atomic_size_t next, done;
	atomic_int failed;
	bool progress;
	pthread_mutex_t progress_lock;
	const struct tz *tz;
	int64_t now;			/* the reference time, microseconds */
	struct snapshot snap;
	struct coll *colls;
	size_t ncolls;
	struct value *env_v;
	struct value *site_v;		/* the site as collection pages see it */
	struct value *colls_v;		/* counts and groups, for every page */
	struct assets assets;
	struct page_refs refs;		/* what the CSP must allow, from all pages */
	const char **secret_names;	/* environment variables that hold secrets */
	const char **secret_values;
	size_t nsecrets;
	struct redirects redirects;
	struct keyindex *outs;		/* job output path -> job */
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- templates --------------------------------------------------------- */

static int load_templates(struct build *b)
{
	char **files;
	long n = list_files("templates", ".mustache", &files);
	int rc = 0;

	b->tpls = mustache_set_new(b->d);
	if (n < 0) {
		if (errno == ENOENT)
			return diag_error(b->d, "templates", 0, 0,
					  "not found: a site needs a templates/ directory");
		return diag_syserror(b->d, "templates", "cannot list: %s", strerror(errno));
	}
	for (long i = 0; i < n; i++) {
		struct strbuf path = STRBUF_INIT;
		char *src, *name = xstrndup(files[i], strlen(files[i]) - strlen(".mustache"));
		size_t len;

		strbuf_addf(&path, "templates/%s", files[i]);
		if (read_text(b->d, path.buf, &src, &len) < 0) {
			rc = -1;
		} else {
			if (!mustache_parse(b->tpls, name, path.buf, src, len))
				rc = -1;
			free(src);
		}
		free(name);
		strbuf_release(&path);
	}
	if (!rc) {
		mustache_link(b->tpls);
		for (long i = 0; i < n; i++) {
			char *name = xstrndup(files[i], strlen(files[i]) - strlen(".mustache"));

			mustache_warn_missing(b->tpls, mustache_get(b->tpls, name));
			free(name);
		}
	}
	free_list(files, n);
	return rc;
}

/* ---- the values templates see ----------------------------------------- */

static struct value *str_or_null(struct arena *a, const char *s)
{
	return s ? value_str(a, s) : value_null(a);
}

static struct value *page_value(struct build *b, const struct page *pg)
{
	struct arena *a = &b->arena;
	const struct env_config *env = &b->cfg.env[b->env];
	struct value *v = value_map(a, 16);

	value_map_set(a, v, "title", value_str(a, pg->title));
	value_map_set(a, v, "description", str_or_null(a, pg->description));
	value_map_set(a, v, "content", value_str(a, pg->html));
	value_map_set(a, v, "url", value_str(a, pg->url));
	value_map_set(a, v, "permalink",
		      value_str_nocopy(a, arena_printf(a, "%s%s", env->base_url, pg->url),
				       strlen(env->base_url) + strlen(pg->url)));
	value_map_set(a, v, "is_home", value_bool(a, !strcmp(pg->url, "/")));
	value_map_set(a, v, "weight", value_int(a, pg->weight));
	value_map_set(a, v, "draft", value_bool(a, pg->draft));
	value_map_set(a, v, "params", pg->params);
	if (pg->date) {
		char human[32];

		date_human(human, sizeof(human), pg->date);
		value_map_set(a, v, "date", value_str(a, pg->date));
		value_map_set(a, v, "date_human", value_str(a, human));
	} else {
		value_map_set(a, v, "date", value_null(a));
		value_map_set(a, v, "date_human", value_null(a));
	}
	return v;
}

static int cmp_weight(const void *x, const void *y)
{
	const struct page *p = *(const struct page *const *)x;
	const struct page *q = *(const struct page *const *)y;

	if (p->weight != q->weight)
		return p->weight < q->weight ? -1 : 1;
	if (strcmp(p->title, q->title))
		return strcmp(p->title, q->title);
	return strcmp(p->url, q->url);
}

/* The pages of menu name in weight order, marking the one at url current. */
static struct value *menu_value(struct build *b, const char *name, const char *url)
{
	struct arena *a = &b->arena;
	const struct page **in = xcalloc(b->npages ? b->npages : 1, sizeof(*in));
	struct value *list;
	size_t n = 0;

	for (size_t i = 0; i < b->npages; i++)
		for (size_t k = 0; k < b->pages[i].nmenus; k++)
			if (!strcmp(b->pages[i].menus[k], name)) {
				in[n++] = &b->pages[i];
				break;
			}
	qsort(in, n, sizeof(*in), cmp_weight);
	list = value_list(a, n);
	for (size_t i = 0; i < n; i++) {
		struct value *e = value_map(a, 4);

		value_map_set(a, e, "title", value_str(a, in[i]->title));
		value_map_set(a, e, "url", value_str(a, in[i]->url));
		value_map_set(a, e, "weight", value_int(a, in[i]->weight));
		value_map_set(a, e, "current", value_bool(a, url && !strcmp(url, in[i]->url)));
		value_list_push(a, list, e);
	}
	free(in);
	return list;
}

/* Every menu name used by any page, each once, in order of first use. */
static struct value *menus_value(struct build *b, const char *url)
{
	struct arena *a = &b->arena;
	struct value *m = value_map(a, 4);

	for (size_t i = 0; i < b->npages; i++)
		for (size_t k = 0; k < b->pages[i].nmenus; k++)
			if (!value_map_get(m, b->pages[i].menus[k]))
				value_map_set(a, m, b->pages[i].menus[k],
					      menu_value(b, b->pages[i].menus[k], url));
	return m;
}

static struct value *site_value(struct build *b, const struct value *pages)
{
	struct arena *a = &b->arena;
	const struct config *c = &b->cfg;
	struct value *v = value_map(a, 12);

	value_map_set(a, v, "title", value_str(a, c->title));
	value_map_set(a, v, "description", str_or_null(a, c->description));
	value_map_set(a, v, "language", value_str(a, c->language));
	value_map_set(a, v, "time_zone", value_str(a, c->time_zone));
	value_map_set(a, v, "author", str_or_null(a, c->author));
	value_map_set(a, v, "base_url", value_str(a, c->env[b->env].base_url));
	value_map_set(a, v, "pages", (struct value *)pages);
	return v;
}

static struct value *env_value(struct build *b)
{
	struct arena *a = &b->arena;
	struct value *v = value_map(a, 4);

	value_map_set(a, v, "name", value_str(a, env_names[b->env]));
	value_map_set(a, v, "base_url", value_str(a, b->cfg.env[b->env].base_url));
	value_map_set(a, v, "index", value_bool(a, b->cfg.env[b->env].index));
	{
		const struct env_config *e = &b->cfg.env[b->env];
		struct value *pub = value_map(a, e->npublic);

		/* the values pages may embed, from the variables presetgen.yaml names */
		for (size_t i = 0; i < e->npublic; i++) {
			const char *val = getenv(e->public_vars[i]);

			value_map_set(a, pub, e->public_names[i], val ? value_str(a, val) : value_null(a));
		}
		value_map_set(a, v, "public", pub);
	}
	return v;
}

static void add_job(struct build *b, const struct job *j)
{
	ALLOC_GROW(b->jobs, b->njobs + 1, b->ajobs);
	b->jobs[b->njobs++] = *j;
}

/* A context: the page, the site, the environment, the collections. */
static struct value *context(struct build *b, struct arena *a, struct value *page,
			     struct value *site, size_t extra)
{
	struct value *ctx = value_map(a, 4 + extra);

	value_map_set(a, ctx, "page", page);
	value_map_set(a, ctx, "site", site);
	value_map_set(a, ctx, "env", b->env_v);
	value_map_set(a, ctx, "collections", b->colls_v);
	return ctx;
}

static const struct mustache_tpl *need_template(struct build *b, const char *name,
						const char *what)
{
	const struct mustache_tpl *tpl = mustache_get(b->tpls, name);

	if (!tpl)
		diag_error(b->d, b->cfg.path, 0, 0, "%s: template '%s' not found: expected "
			   "templates/%s.mustache", what, name, name);
	return tpl;
}

static int plan_pages(struct build *b)
{
	struct arena *a = &b->arena;
	struct value *pages = value_list(a, b->npages);
	struct value **pv = xcalloc(b->npages ? b->npages : 1, sizeof(*pv));
	const struct value *site_base;
	int rc = 0;

	for (size_t i = 0; i < b->npages; i++) {
		pv[i] = page_value(b, &b->pages[i]);
		/* the 404 page is not one to list */
		if (strcmp(b->pages[i].url, "/404.html"))
			value_list_push(a, pages, pv[i]);
	}
	site_base = site_value(b, pages);
	/* collection pages share one site, whose menus mark no page current */
	b->site_v = value_map(a, site_base->len + 2);
	for (uint32_t k = 0; k < site_base->len; k++)
		value_map_set(a, b->site_v, site_base->u.pairs[k].key, site_base->u.pairs[k].val);
	{
		struct value *menus = menus_value(b, NULL);
		const struct value *main_menu = value_map_get(menus, "main");

		value_map_set(a, b->site_v, "menus", menus);
		value_map_set(a, b->site_v, "menu", main_menu ? (struct value *)main_menu
							    : value_list(a, 0));
	}
	for (size_t i = 0; i < b->npages; i++) {
		const struct page *pg = &b->pages[i];
		const char *layout = pg->layout ? pg->layout : "page";
		const struct mustache_tpl *tpl = mustache_get(b->tpls, layout);
		struct value *site, *menus;
		struct job j;

		if (!tpl) {
			if (pg->layout)
				rc = diag_error(b->d, pg->src, pg->layout_line, pg->layout_col,
						"layout '%s' not found: expected templates/%s.mustache",
						layout, layout);
			else
				rc = diag_error(b->d, pg->src, 1, 1, "no layout given and the default "
						"layout 'page' not found: expected templates/page.mustache");
			continue;
		}
		/* the site as this page sees it: menus know the current page */
		site = value_map(a, site_base->len + 2);
		for (uint32_t k = 0; k < site_base->len; k++)
			value_map_set(a, site, site_base->u.pairs[k].key, site_base->u.pairs[k].val);
		menus = menus_value(b, pg->url);
		value_map_set(a, site, "menus", menus);
		{
			const struct value *main_menu = value_map_get(menus, "main");

			value_map_set(a, site, "menu", main_menu ? (struct value *)main_menu
							    : value_list(a, 0));
		}
		memset(&j, 0, sizeof(j));
		j.tpl = tpl;
		j.ctx = context(b, a, pv[i], site, 0);
		j.out = pg->out;
		j.src = pg->src;
		j.page = true;
		j.url = strcmp(pg->url, "/404.html") ? pg->url : NULL;
		j.lastmod = INT64_MIN;
		add_job(b, &j);
	}
	free(pv);
	return rc;
}

/* ---- collections ------------------------------------------------------- */

static struct value *page_meta(struct build *b, struct arena *a, const char *title,
			       const char *desc, const char *url)
{
	struct value *v = value_map(a, 4);

	value_map_set(a, v, "title", value_str_nocopy(a, title ? title : "", title ? strlen(title) : 0));
	value_map_set(a, v, "description", desc ? value_str_nocopy(a, desc, strlen(desc))
						: value_null(a));
	value_map_set(a, v, "url", value_str_nocopy(a, url, strlen(url)));
	value_map_set(a, v, "permalink",
		      value_str(a, arena_cat(a, b->cfg.env[b->env].base_url, url)));
	return v;
}

/* Page p of pages: numbers around the current one, the first and the last,
 * with a gap marker between, so that page 5,000 does not list 8,000 links. */
static struct value *pagination(struct arena *a, const char *base, long p, long pages,
				size_t total, long per)
{
	struct value *v = value_map(a, 12), *nums = value_list(a, 11);
	long last = 0;

	value_map_set(a, v, "page", value_int(a, p));
	value_map_set(a, v, "pages", value_int(a, pages));
	value_map_set(a, v, "total", value_int(a, (int64_t)total));
	value_map_set(a, v, "per_page", value_int(a, per));
	value_map_set(a, v, "paginated", value_bool(a, pages > 1));
	value_map_set(a, v, "first_url", value_str(a, base));
	value_map_set(a, v, "last_url", value_str(a, page_url(a, base, pages)));
	value_map_set(a, v, "prev_url", p > 1 ? value_str(a, page_url(a, base, p - 1)) : value_null(a));
	value_map_set(a, v, "next_url", p < pages ? value_str(a, page_url(a, base, p + 1))
						  : value_null(a));
	for (long n = 1; n <= pages; n++) {
		struct value *e;

		if (n != 1 && n != pages && (n < p - 2 || n > p + 2))
			continue;
		if (last && n > last + 1) {
			e = value_map(a, 1);
			value_map_set(a, e, "gap", value_bool(a, true));
			value_list_push(a, nums, e);
		}
		e = value_map(a, 4);
		value_map_set(a, e, "number", value_int(a, n));
		value_map_set(a, e, "url", value_str(a, page_url(a, base, n)));
		value_map_set(a, e, "current", value_bool(a, n == p));
		value_map_set(a, e, "gap", value_bool(a, false));
		value_list_push(a, nums, e);
		last = n;
	}
	value_map_set(a, v, "numbers", nums);
	return v;
}

/* The context of a listing page, made in the worker's scratch arena. */
static struct value *listing_context(struct build *b, struct arena *a,
				     const struct listing_page *lp)
{
	const char *url = page_url(a, lp->base, lp->p);
	size_t start = (size_t)(lp->p - 1) * (size_t)lp->per;
	size_t count = lp->n > start ? lp->n - start : 0;
	struct value *list = value_list(a, 0), *ctx;

	if (count > (size_t)lp->per)
		count = (size_t)lp->per;
	/* a window onto the shared array: no copy per page */
	list->u.items = lp->items + start;
	list->len = (uint32_t)count;
	ctx = context(b, a, page_meta(b, a, lp->title, NULL, url), b->site_v, 3);
	value_map_set(a, ctx, "items", list);
	value_map_set(a, ctx, "pagination", pagination(a, lp->base, lp->p, lp->pages, lp->n, lp->per));
	if (lp->group)
		value_map_set(a, ctx, "group", lp->group);
	return ctx;
}

static struct value *row_context(struct build *b, struct arena *a, const struct crow *cr)
{
	struct value *ctx = context(b, a, page_meta(b, a, cr->title, cr->description, cr->url),
				    b->site_v, 1);

	value_map_set(a, ctx, "item", cr->v);
	return ctx;
}

/* One job per page of items (at least one page, even with no items). */
static void plan_listing(struct build *b, const struct mustache_tpl *tpl, const char *base,
			 const char *title, struct value **items, size_t n, long per,
			 struct value *group, const char *src)
{
	struct arena *a = &b->arena;
	long pages = n ? (long)((n + (size_t)per - 1) / (size_t)per) : 1;

	for (long p = 1; p <= pages; p++) {
		struct listing_page *lp = arena_alloc(a, sizeof(*lp));
		const char *url = page_url(a, base, p);
		struct job j;

		lp->items = items;
		lp->n = n;
		lp->p = p;
		lp->pages = pages;
		lp->per = per;
		lp->base = base;
		lp->title = title;
		lp->group = group;
		memset(&j, 0, sizeof(j));
		j.tpl = tpl;
		j.lp = lp;
		j.out = arena_cat(a, url + 1, "index.html");
		j.src = src;
		j.page = true;
		j.url = url;
		j.lastmod = INT64_MIN;
		add_job(b, &j);
	}
}

struct group {
	const char *slug;
	struct value **items;
	size_t n, alloc;
	const char **names;	/* spellings seen, with counts */
	size_t *counts;
	size_t nnames;
};

static int cmp_group(const void *x, const void *y)
{
	return strcmp(((const struct group *)x)->slug, ((const struct group *)y)->slug);
}

static const char *subst(struct arena *a, const char *pattern, const char *key, const char *val)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = pattern, *hit;
	size_t k = strlen(key);
	char *res;

	while ((hit = strstr(p, key))) {
		strbuf_add(&sb, p, (size_t)(hit - p));
		strbuf_adds(&sb, val);
		p = hit + k;
	}
	strbuf_adds(&sb, p);
	res = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return res;
}

/* Rows grouped by a field's value, by its slug, so that "Dublin" and
 * "dublin" share one page, named by the spelling most rows use. */
static struct value *plan_groups(struct build *b, const struct coll *c, const struct group_cfg *g,
				 struct value **items, size_t n, const struct mustache_tpl *tpl)
{
	struct arena *a = &b->arena;
	struct group *gs = NULL;
	size_t ng = 0, ag = 0;
	struct strbuf slug = STRBUF_INIT, text = STRBUF_INIT;
	char label_key[128];
	struct value *summary;
	bool labelled = false;
	struct keyindex *memo;
	size_t *memo_group = NULL, *memo_name = NULL, nmemo = 0, amemo = 0;

	for (size_t i = 0; i < c->cfg->nlabels; i++)
		labelled |= !strcmp(c->cfg->labels[i].field, g->field);
	snprintf(label_key, sizeof(label_key), "%s_label", g->field);
	/* each distinct value is made a slug once: its group and spelling
	 * are remembered (memo) by its text */
	memo = index_new(64);
	for (size_t i = 0; i < n; i++) {
		const struct value *raw = value_map_get(items[i], g->field);
		struct group *gr = NULL;
		size_t k, m;

		if (!raw || raw->type == V_NULL)
			continue;
		strbuf_reset(&text);
		value_to_text(&text, raw);
		if (index_get(memo, text.buf, &m)) {
			if (memo_group[m] == SIZE_MAX)
				continue;
			gr = &gs[memo_group[m]];
			ALLOC_GROW(gr->items, gr->n + 1, gr->alloc);
			gr->items[gr->n++] = items[i];
			gr->counts[memo_name[m]]++;
			continue;
		}
		ALLOC_GROW(memo_group, nmemo + 1, amemo);
		memo_name = xrealloc(memo_name, amemo * sizeof(*memo_name));
		m = nmemo++;
		index_put(memo, arena_strndup(a, text.buf, text.len), &m);
		memo_group[m] = SIZE_MAX;
		strbuf_reset(&slug);
		if (!slugify(&slug, text.buf, text.len))
			continue;
		for (k = 0; k < ng; k++)
			if (!strcmp(gs[k].slug, slug.buf)) {
				gr = &gs[k];
				break;
			}
		if (!gr) {
			ALLOC_GROW(gs, ng + 1, ag);
			gr = &gs[ng++];
			memset(gr, 0, sizeof(*gr));
			gr->slug = arena_strndup(a, slug.buf, slug.len);
		}
		memo_group[m] = (size_t)(gr - gs);
		ALLOC_GROW(gr->items, gr->n + 1, gr->alloc);
		gr->items[gr->n++] = items[i];
		strbuf_reset(&text);
		value_to_text(&text, value_map_get(items[i], labelled ? label_key : g->field));
		for (k = 0; k < gr->nnames; k++)
			if (!strcmp(gr->names[k], text.buf))
				break;
		if (k == gr->nnames) {
			gr->names = xrealloc(gr->names, (k + 1) * sizeof(*gr->names));
			gr->counts = xrealloc(gr->counts, (k + 1) * sizeof(*gr->counts));
			gr->names[k] = arena_strndup(a, text.buf, text.len);
			gr->counts[k] = 0;
			gr->nnames++;
		}
		memo_name[m] = k;
		gr->counts[k]++;
	}
	index_free(memo);
	free(memo_group);
	free(memo_name);
	if (ng)
		qsort(gs, ng, sizeof(*gs), cmp_group);
	summary = value_list(a, ng);
	for (size_t k = 0; k < ng; k++) {
		struct group *gr = &gs[k];
		const char *name = gr->names[0], *url = subst(a, g->url, "{slug}", gr->slug);
		size_t best = gr->counts[0];
		struct value *gv = value_map(a, 4), **arr;

		for (size_t m = 1; m < gr->nnames; m++)
			if (gr->counts[m] > best || (gr->counts[m] == best && strcmp(gr->names[m], name) < 0)) {
				best = gr->counts[m];
				name = gr->names[m];
			}
		value_map_set(a, gv, "name", value_str(a, name));
		value_map_set(a, gv, "slug", value_str(a, gr->slug));
		value_map_set(a, gv, "url", value_str(a, url));
		value_map_set(a, gv, "count", value_int(a, (int64_t)gr->n));
		value_list_push(a, summary, gv);
		arr = arena_alloc(a, (gr->n + 1) * sizeof(*arr));
		memcpy(arr, gr->items, gr->n * sizeof(*arr));
		if (tpl)
			plan_listing(b, tpl, url, subst(a, g->title, "{name}", name), arr, gr->n,
				     g->per_page ? g->per_page : c->cfg->per_page, gv, b->cfg.path);
		free(gr->items);
		free(gr->names);
		free(gr->counts);
	}
	free(gs);
	strbuf_release(&slug);
	strbuf_release(&text);
	return summary;
}

static int plan_collections(struct build *b)
{
	struct arena *a = &b->arena;
	int rc = 0;

	/* first what every page may show: counts and groups */
	b->colls_v = value_map(a, b->ncolls + 1);
	for (size_t i = 0; i < b->ncolls; i++) {
		struct coll *c = &b->colls[i];
		const struct collection_cfg *cfg = c->cfg;
		struct value *cv = value_map(a, 4), *groups = value_map(a, cfg->ngroups + 1);
		struct value **items = arena_alloc(a, (c->nrows + 1) * sizeof(*items));
		size_t n = 0;
		const struct mustache_tpl *list_tpl = NULL;

		for (size_t r = 0; r < c->nrows; r++)
			if (!c->rows[r].restricted &&
			    cond_match(c, &c->rows[r], cfg->list_where, cfg->nlist_where, b->now))
				items[n++] = c->rows[r].v;
		value_map_set(a, cv, "count", value_int(a, (int64_t)c->nrows));
		value_map_set(a, cv, "listed", value_int(a, (int64_t)n));
		value_map_set(a, cv, "url", cfg->list_url ? value_str(a, cfg->list_url) : value_null(a));
		value_map_set(a, cv, "groups", groups);
		value_map_set(a, b->colls_v, cfg->name, cv);
		if (cfg->list_url) {
			list_tpl = need_template(b, cfg->list_template, "listing");
			if (!list_tpl)
				rc = -1;
		}
		for (size_t g = 0; g < cfg->ngroups; g++) {
			const struct mustache_tpl *gt = need_template(b, cfg->groups[g].template, "group");

			if (!gt)
				rc = -1;
			value_map_set(a, groups, cfg->groups[g].name,
				      plan_groups(b, c, &cfg->groups[g], items, n, gt));
		}
		if (list_tpl)
			plan_listing(b, list_tpl, cfg->list_url, cfg->list_title, items, n, cfg->per_page,
				     NULL, b->cfg.path);
	}
	for (size_t i = 0; i < b->ncolls; i++) {
		const struct coll *c = &b->colls[i];
		const struct mustache_tpl *tpl;

		if (!c->cfg->page_url)
			continue;
		tpl = need_template(b, c->cfg->page_template, "page");
		if (!tpl) {
			rc = -1;
			continue;
		}
		for (size_t r = 0; r < c->nrows; r++) {
			const struct crow *cr = &c->rows[r];
			struct job j;

			if (!cr->url)
				continue;
			memset(&j, 0, sizeof(j));
			j.tpl = tpl;
			j.row = cr;
			j.out = cr->out;
			j.src = c->t->path;
			j.page = true;
			j.url = cr->url;
			j.lastmod = cr->lastmod;
			add_job(b, &j);
		}
	}
	return rc;
}

static int load_collections(struct build *b)
{
	const struct build_opts *o = b->o;
	const char **paths = o->nsnapshots ? o->snapshots : b->cfg.snapshots;
	size_t npaths = o->nsnapshots ? o->nsnapshots : b->cfg.nsnapshots;
	struct snapshot_need *needs;
	size_t nneeds;
	struct cbuild cb;
	int rc = 0;

	b->ncolls = b->cfg.ncolls;
	nneeds = collections_needs(b->cfg.colls, b->cfg.ncolls, &needs, &b->arena);
	nneeds = redirects_needs(&b->cfg, needs, nneeds, &needs, &b->arena);
	if (!nneeds)
		return 0;
	for (size_t i = 0; i < npaths; i++)
		if (snapshot_load(&b->snap, paths[i], needs, nneeds, &b->arena, b->d) < 0)
			rc = -1;
	if (rc)
		return rc;
	memset(&cb, 0, sizeof(cb));
	cb.a = &b->arena;
	cb.d = b->d;
	cb.tz = b->tz;
	cb.now = b->now;
	cb.base_url = b->cfg.env[b->env].base_url;
	if (!b->cfg.ncolls)
		return 0;
	return collections_build(&cb, b->cfg.colls, b->cfg.ncolls, &b->snap, &b->colls);
}

/* ---- sitemap, feed, robots --------------------------------------------- */

struct sitemap_part {
	const struct sitemap_url *urls;
	size_t n;
};

static void gen_sitemap(const struct build *b, const void *arg, struct strbuf *out)
{
	const struct sitemap_part *p = arg;

	sitemap_write(out, b->cfg.env[b->env].base_url, p->urls, p->n);
}

static void add_gen_job(struct build *b, const char *out, const void *arg)
{
	struct job j;

	memset(&j, 0, sizeof(j));
	j.out = out;
	j.src = b->cfg.path;
	j.gen = gen_sitemap;
	j.gen_arg = arg;
	add_job(b, &j);
}

static void add_data_job(struct build *b, const char *out, struct strbuf *sb)
{
	struct job j;

	memset(&j, 0, sizeof(j));
	j.out = out;
	j.src = b->cfg.path;
	j.data = strbuf_detach(sb, &j.len);
	add_job(b, &j);
}

/* The sitemap lists pages in the order they were planned (content, then
 * collections: deterministic). Its parts are written by the workers,
 * beside the pages. */
static void plan_sitemap(struct build *b)
{
	struct arena *a = &b->arena;
	const char *base = b->cfg.env[b->env].base_url;
	struct sitemap_url *urls = arena_alloc(a, (b->njobs + 1) * sizeof(*urls));
	size_t n = 0;

	for (size_t i = 0; i < b->njobs; i++)
		if (b->jobs[i].page && b->jobs[i].url) {
			urls[n].path = b->jobs[i].url;
			urls[n].lastmod = b->jobs[i].lastmod;
			n++;
		}
	if (n <= SITEMAP_MAX_URLS) {
		struct sitemap_part *p = arena_alloc(a, sizeof(*p));

		p->urls = urls;
		p->n = n;
		add_gen_job(b, "sitemap.xml", p);
	} else {
		size_t parts = (n + SITEMAP_MAX_URLS - 1) / SITEMAP_MAX_URLS;
		const char **locs = arena_alloc(a, parts * sizeof(*locs));
		struct strbuf sb = STRBUF_INIT;

		for (size_t k = 0; k < parts; k++) {
			struct sitemap_part *p = arena_alloc(a, sizeof(*p));
			const char *name = arena_printf(a, "sitemap-%zu.xml", k + 1);

			p->urls = urls + k * SITEMAP_MAX_URLS;
			p->n = n - k * SITEMAP_MAX_URLS < SITEMAP_MAX_URLS ? n - k * SITEMAP_MAX_URLS
									  : SITEMAP_MAX_URLS;
			add_gen_job(b, name, p);
			locs[k] = arena_printf(a, "%s/%s", base, name);
		}
		sitemap_index_write(&sb, locs, parts);
		add_data_job(b, "sitemap.xml", &sb);
		strbuf_release(&sb);
	}
}

/* Plain text for a feed summary: no control characters XML forbids, and
 * at most about 300 bytes, cut at a character boundary. */
static const char *summary_text(struct arena *a, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *res;

	for (; *s && sb.len < 300; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			continue;
		strbuf_addch(&sb, c);
	}
	while (sb.len && ((unsigned char)sb.buf[sb.len - 1] & 0xc0) == 0x80)
		sb.len--;
	if (sb.len && (unsigned char)sb.buf[sb.len - 1] >= 0xc0)
		sb.len--;
	if (*s)
		strbuf_adds(&sb, "…");
	res = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return res;
}

static void plan_feed(struct build *b)
{
	struct arena *a = &b->arena;
	const struct feed_cfg *f = &b->cfg.feed;
	const char *base = b->cfg.env[b->env].base_url;
	const struct coll *c = NULL;
	struct feed_entry *e;
	struct feed_info info;
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	if (!f->present)
		return;
	for (size_t i = 0; i < b->ncolls; i++)
		if (!strcmp(b->colls[i].cfg->name, f->collection))
			c = &b->colls[i];
	if (!c)
		return;
	e = xcalloc((size_t)f->limit + 1, sizeof(*e));
	memset(&info, 0, sizeof(info));
	info.updated = INT64_MIN;
	/* the collection's own order: newest first for gigs */
	for (size_t r = 0; r < c->nrows && n < (size_t)f->limit; r++) {
		const struct crow *cr = &c->rows[r];

		if (!cr->url || cr->restricted)
			continue;
		e[n].title = summary_text(a, cr->title ? cr->title : cr->url);
		e[n].link = arena_printf(a, "%s%s", base, cr->url);
		e[n].summary = cr->description ? summary_text(a, cr->description) : NULL;
		e[n].updated = cr->lastmod != INT64_MIN ? cr->lastmod : b->now;
		e[n].published = INT64_MIN;
		if (e[n].updated > info.updated)
			info.updated = e[n].updated;
		n++;
	}
	if (info.updated == INT64_MIN)
		info.updated = b->now;
	info.title = f->title;
	info.id = arena_printf(a, "%s%s", base, f->url);
	info.self = info.id;
	info.alternate = arena_printf(a, "%s%s", base, c->cfg->list_url ? c->cfg->list_url : "/");
	info.author = b->cfg.author ? b->cfg.author : b->cfg.title;
	atom_write(&sb, &info, e, n);
	add_data_job(b, f->url + 1, &sb);
	free(e);
	strbuf_release(&sb);
}

static void plan_robots(struct build *b)
{
	const struct env_config *env = &b->cfg.env[b->env];
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "User-agent: *\n");
	if (env->index)
		strbuf_addf(&sb, "Allow: /\n\nSitemap: %s/sitemap.xml\n", env->base_url);
	else
		strbuf_adds(&sb, "Disallow: /\n");
	add_data_job(b, "robots.txt", &sb);
}

/* assets/ under hashed names, their manifest, and static/ as it is. */
static int plan_assets(struct build *b)
{
	struct arena *a = &b->arena;
	struct strbuf sb = STRBUF_INIT;
	char **files;
	long n;
	struct job j;

	for (size_t i = 0; i < b->assets.n; i++) {
		const struct asset *as = &b->assets.a[i];

		memset(&j, 0, sizeof(j));
		j.out = arena_cat(a, "assets/", as->hashed);
		j.src = arena_cat(a, "assets/", as->logical);
		j.data = as->data;
		j.len = as->len;
		j.borrowed = true;
		add_job(b, &j);
	}
	if (b->assets.n) {
		assets_manifest(&b->assets, &sb);
		add_data_job(b, "assets/manifest.json", &sb);
	}
	n = list_files_all("static", &files);
	if (n < 0)
		return errno == ENOENT ? 0 :
		       diag_syserror(b->d, "static", "cannot list: %s", strerror(errno));
	for (long i = 0; i < n; i++) {
		const char *path = arena_cat(a, "static/", files[i]);

		memset(&j, 0, sizeof(j));
		if (read_file(path, &j.data, &j.len) < 0) {
			diag_syserror(b->d, path, "cannot read: %s", strerror(errno));
			free_list(files, n);
			return -1;
		}
		j.out = arena_strdup(a, files[i]);
		j.src = path;
		add_job(b, &j);
	}
	free_list(files, n);
	strbuf_release(&sb);
	return 0;
}

/* ---- redirects -------------------------------------------------------- */

/* Whether the bundle serves a URL path: /x/ is x/index.html (cleanUrls with
 * trailingSlash), anything else its own file. ud: the jobs' outputs. */
static bool serves(const void *ud, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	size_t row;
	bool found;

	strbuf_adds(&sb, path + 1);
	if (!sb.len || sb.buf[sb.len - 1] == '/')
		strbuf_adds(&sb, "index.html");
	found = index_get(ud, sb.buf, &row);
	strbuf_release(&sb);
	return found;
}

/* Indexes the jobs by output path; two jobs that write one file are an
 * error (in the order they were planned). */
static int index_outputs(struct build *b)
{
	int rc = 0;

	b->outs = index_new(b->njobs);
	for (size_t i = 0; i < b->njobs; i++) {
		size_t first = i;

		if (!index_put(b->outs, b->jobs[i].out, &first))
			rc = diag_error(b->d, b->jobs[i].src, 0, 0, "writes %s, as %s does",
					b->jobs[i].out, b->jobs[first].src);
	}
	return rc;
}

/* presetgen.yaml's redirects and the snapshot's: those vercel.json can
 * hold go there, the rest become redirect pages. */
static int plan_redirects(struct build *b)
{
	int rc = redirects_build(&b->cfg, &b->snap, serves, b->outs,
				 vercel_redirect_budget(&b->cfg), &b->arena, b->d, &b->redirects);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < b->redirects.npages; i++) {
		const struct redirect *r = &b->redirects.pages[i];
		struct strbuf sb = STRBUF_INIT;
		struct job j;

		redirect_page(&sb, r, b->cfg.env[b->env].base_url, b->cfg.language);
		memset(&j, 0, sizeof(j));
		j.out = arena_cat(&b->arena, r->from + 1, "index.html");
		j.src = b->cfg.path;
		j.data = strbuf_detach(&sb, &j.len);
		add_job(b, &j);
	}
	if (b->o->verbose)
		fprintf(stderr, "redirects: %zu in vercel.json, %zu as pages; from tables %zu, "
			"left out %zu (a live page has the URL), %zu (no published page at the "
			"end), %zu (values that make no URL)\n", b->redirects.nvercel,
			b->redirects.npages, b->redirects.from_tables, b->redirects.live,
			b->redirects.unpublished, b->redirects.bad);
	return 0;
}

/* ---- rendering and writing -------------------------------------------- */

static bool compressible(const char *path)
{
	static const char *const ext[] = { ".html", ".css", ".js", ".mjs", ".json", ".xml",
					   ".txt", ".svg", ".map", ".webmanifest", ".csv" };

	/* vercel.json configures the deployment: nothing ever serves it */
	if (!strcmp(path, "vercel.json"))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(ext); i++)
		if (str_endswith(path, ext[i]))
			return true;
	return false;
}

/* One compressor per worker, reset for each file: a deflate state is a few
 * hundred KiB, too much to allocate and free per page. */
struct gzip {
	z_stream z;
	bool ready;
	unsigned char *out;
	size_t cap;
};

static void gzip_release(struct gzip *g)
{
	if (g->ready)
		deflateEnd(&g->z);
	free(g->out);
	memset(g, 0, sizeof(*g));
}

/* A .gz sibling at best compression, where it saves bytes. zlib's gzip
 * header carries no time and no name, so it is the same on every build. */
static int write_gz(struct build *b, struct job *j, struct gzip *g)
{
	size_t cap = j->len + j->len / 100 + 64;
	char *name;
	int rc = 0;

	if (!g->ready) {
		memset(&g->z, 0, sizeof(g->z));
		if (deflateInit2(&g->z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9,
				 Z_DEFAULT_STRATEGY) != Z_OK)
			die("cannot initialise zlib");
		g->ready = true;
	} else if (deflateReset(&g->z) != Z_OK) {
		die("cannot reset zlib");
	}
	if (cap > g->cap) {
		free(g->out);
		g->out = xmalloc(cap);
		g->cap = cap;
	}
	g->z.next_in = (unsigned char *)j->data;
	g->z.avail_in = (uInt)j->len;
	g->z.next_out = g->out;
	g->z.avail_out = (uInt)cap;
	if (deflate(&g->z, Z_FINISH) != Z_STREAM_END)
		die("zlib could not compress %s", j->out);
	if (g->z.total_out < j->len) {
		name = xmalloc(strlen(j->out) + 4);
		strcpy(name, j->out);
		strcat(name, ".gz");
		if (write_file_at(b->stage_fd, name, g->out, g->z.total_out) < 0)
			rc = diag_syserror(b->d, j->out, "cannot write %s.gz: %s", j->out, strerror(errno));
		else
			j->gz = g->z.total_out;
		free(name);
	}
	return rc;
}

/* Writes a job's bytes, making its directory first: in the workers, so
 * that a hundred thousand directories are not made one after another. */
static int write_job(struct build *b, struct job *j, struct gzip *g)
{
	struct strbuf path = STRBUF_INIT;
	const char *slash = strrchr(j->out, '/');
	int rc = 0;

	if (slash) {
		strbuf_add(&path, j->out, (size_t)(slash - j->out));
		if (mkdirat(b->stage_fd, path.buf, 0755) < 0 && errno != EEXIST) {
			/* a parent is missing too: the slow way, once per parent */
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%.*s", b->stage, (int)(slash - j->out), j->out);
			if (mkdirs(path.buf) < 0)
				rc = diag_syserror(b->d, j->out, "cannot create %s: %s", path.buf,
						   strerror(errno));
		}
	}
	if (!rc && write_file_at(b->stage_fd, j->out, j->data, j->len) < 0)
		rc = diag_syserror(b->d, j->out, "cannot write %s/%s: %s", b->stage, j->out,
				   strerror(errno));
	if (!rc && !b->o->no_gzip && j->len >= 1024 && compressible(j->out))
		rc = write_gz(b, j, g);

	strbuf_release(&path);
	return rc;
}

static void progress(struct build *b)
{
	size_t done = atomic_fetch_add(&b->done, 1) + 1;
	size_t step = b->njobs / 100 + 1;

	if (!b->progress || (done % step && done != b->njobs))
		return;
	pthread_mutex_lock(&b->progress_lock);
	fprintf(stderr, "\rbuilding: %zu/%zu files", done, b->njobs);
	if (done == b->njobs)
		fputc('\n', stderr);
	pthread_mutex_unlock(&b->progress_lock);
}

/* Fails a job whose bytes hold the value of a secret variable. */
static bool leaks_secret(const struct build *b, struct job *j, const char *data, size_t len)
{
	for (size_t i = 0; i < b->nsecrets; i++)
		if (memmem(data, len, b->secret_values[i], strlen(b->secret_values[i]))) {
			struct strbuf sb = STRBUF_INIT;

			strbuf_addf(&sb, "%s: error: the value of the secret variable %s would be written "
				    "here; nothing was written\n", j->out, b->secret_names[i]);
			j->errors = strbuf_detach(&sb, NULL);
			return true;
		}
	return false;
}

/* Every page is rendered even after one fails, and messages are kept per
 * page, so that the errors printed do not depend on thread timing. */
static void *worker(void *arg)
{
	struct build *b = arg;
	struct strbuf sb = STRBUF_INIT, errs = STRBUF_INIT, fixed = STRBUF_INIT;
	struct arena scratch = ARENA_INIT;
	struct gzip gz;
	struct page_refs refs;
	struct diag jd;

	memset(&refs, 0, sizeof(refs));
	memset(&gz, 0, sizeof(gz));
	diag_init(&jd);
	jd.capture = &errs;
	for (;;) {
		size_t i = atomic_fetch_add(&b->next, 1);
		struct job *j;

		if (i >= b->njobs)
			break;
		j = &b->jobs[i];
		if (j->tpl) {
			const struct value *ctx = j->ctx;

			/* contexts of collection pages are made here and dropped
			 * after the page: memory follows the snapshot, not the pages */
			arena_reset(&scratch);
			if (j->row)
				ctx = row_context(b, &scratch, j->row);
			else if (j->lp)
				ctx = listing_context(b, &scratch, j->lp);
			strbuf_reset(&sb);
			if (mustache_render(b->tpls, j->tpl, ctx, &sb, &jd) < 0) {
				j->errors = strbuf_detach(&errs, NULL);
				atomic_store(&b->failed, 1);
				progress(b);
				continue;
			}
			if (atomic_load(&b->failed)) {
				progress(b);
				continue;
			}
			/* asset URLs to hashed names, SRI on scripts and stylesheets */
			strbuf_reset(&fixed);
			if (assets_rewrite_html(&b->assets, b->cfg.env[b->env].base_url, j->out,
						j->src, sb.buf, sb.len, &fixed, &refs, &jd) < 0) {
				j->errors = strbuf_detach(&errs, NULL);
				atomic_store(&b->failed, 1);
				progress(b);
				continue;
			}
			if (leaks_secret(b, j, fixed.buf, fixed.len)) {
				atomic_store(&b->failed, 1);
				progress(b);
				continue;
			}
			j->len = fixed.len;
			if (b->stage) {
				/* write straight from the buffer: no copy per page */
				j->data = fixed.buf;
				if (write_job(b, j, &gz) < 0)
					atomic_store(&b->failed, 1);
				j->data = NULL;
			}
		} else if (j->gen) {
			strbuf_reset(&sb);
			j->gen(b, j->gen_arg, &sb);
			j->len = sb.len;
			if (leaks_secret(b, j, sb.buf, sb.len))
				atomic_store(&b->failed, 1);
			if (b->stage && !atomic_load(&b->failed)) {
				j->data = sb.buf;
				if (write_job(b, j, &gz) < 0)
					atomic_store(&b->failed, 1);
				j->data = NULL;
			}
		} else if (leaks_secret(b, j, j->data, j->len)) {
			atomic_store(&b->failed, 1);
		} else if (b->stage && !atomic_load(&b->failed) && write_job(b, j, &gz) < 0) {
			atomic_store(&b->failed, 1);
		}
		progress(b);
	}
	strbuf_release(&sb);
	strbuf_release(&errs);
	strbuf_release(&fixed);
	arena_release(&scratch);
	gzip_release(&gz);
	pthread_mutex_lock(&b->progress_lock);
	page_refs_merge(&b->refs, &refs);
	pthread_mutex_unlock(&b->progress_lock);
	page_refs_release(&refs);
	return NULL;
}

static int run_jobs(struct build *b)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int n = b->o->jobs > 0 ? b->o->jobs : (int)(cores > 0 ? cores : 1);
	pthread_t *th;

	if ((size_t)n > b->njobs)
		n = b->njobs ? (int)b->njobs : 1;
	th = xcalloc((size_t)n, sizeof(*th));
	atomic_store(&b->next, 0);
	atomic_store(&b->done, 0);
	atomic_store(&b->failed, 0);
	for (int i = 1; i < n; i++)
		if (pthread_create(&th[i], NULL, worker, b))
			die("cannot start a render thread");
	worker(b);
	for (int i = 1; i < n; i++)
		pthread_join(th[i], NULL);
	free(th);
	/* in job order, each distinct message once */
	for (size_t i = 0; i < b->njobs; i++) {
		bool seen = false;

		if (!b->jobs[i].errors)
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = b->jobs[k].errors && !strcmp(b->jobs[k].errors, b->jobs[i].errors);
		if (!seen) {
			fputs(b->jobs[i].errors, stderr);
			b->d->errors++;
			if (b->d->exit_code == EXIT_OK)
				b->d->exit_code = EXIT_INPUT;
		}
	}
	return atomic_load(&b->failed) ? -1 : 0;
}

/* SOURCE_DATE_EPOCH, or the newest input's modification time. */
static int64_t archive_time(const struct build *b)
{
	static const char *const dirs[] = { "templates", "content", "assets", "static" };
	struct stat st;
	int64_t newest = 0;

	if (getenv("SOURCE_DATE_EPOCH") && *getenv("SOURCE_DATE_EPOCH"))
		return b->now / 1000000;
	if (stat("presetgen.yaml", &st) == 0)
		newest = st.st_mtime;
	for (size_t d = 0; d < ARRAY_SIZE(dirs); d++) {
		char **files;
		long n = list_files_all(dirs[d], &files);

		for (long i = 0; i < n; i++) {
			char *p = arena_cat((struct arena *)&b->arena, dirs[d], "/");

			p = arena_cat((struct arena *)&b->arena, p, files[i]);
			if (stat(p, &st) == 0 && st.st_mtime > newest)
				newest = st.st_mtime;
		}
		if (n >= 0)
			free_list(files, n);
	}
	for (size_t i = 0; i < b->o->nsnapshots; i++)
		if (stat(b->o->snapshots[i], &st) == 0 && st.st_mtime > newest)
			newest = st.st_mtime;
	return newest;
}

/* vercel.json, once every page has told what its CSP must allow. */
static int write_vercel(struct build *b)
{
	struct strbuf sb = STRBUF_INIT;
	struct job j;
	int rc = 0;

	vercel_json(&sb, &b->cfg, b->env, &b->refs, &b->redirects);
	memset(&j, 0, sizeof(j));
	j.out = "vercel.json";
	j.src = b->cfg.path;
	j.data = sb.buf;
	j.len = sb.len;
	if (leaks_secret(b, &j, sb.buf, sb.len)) {
		fputs(j.errors, stderr);
		free(j.errors);
		b->d->errors++;
		b->d->exit_code = EXIT_INPUT;
		rc = -1;
	} else {
		struct gzip gz;

		memset(&gz, 0, sizeof(gz));
		rc = write_job(b, &j, &gz);
		gzip_release(&gz);
	}
	strbuf_release(&sb);
	return rc;
}

/* The output must not be the site itself, one of its inputs, or a
 * directory above them: replacing it would delete the site. */
static int check_out(struct build *b, const char *out)
{
	char site[PATH_MAX], parent[PATH_MAX], *dup = xstrdup(out), *slash;
	struct strbuf full = STRBUF_INIT;
	const char *base;
	int rc = 0;

	size_t n = strlen(dup);

	while (n > 1 && dup[n - 1] == '/')
		dup[--n] = '\0';
	slash = strrchr(dup, '/');
	if (slash) {
		*slash = '\0';
		base = slash + 1;
	} else {
		base = dup;
	}
	if (!realpath(".", site)) {
		rc = diag_syserror(b->d, ".", "cannot resolve: %s", strerror(errno));
	} else if (!realpath(slash ? (*dup ? dup : "/") : ".", parent)) {
		rc = diag_error(b->d, out, 0, 0, "cannot write the output here: %s",
				strerror(errno));
	} else if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		rc = diag_error(b->d, out, 0, 0, "the output must be a directory of its own, "
				"such as dist");
	} else {
		size_t s;

		strbuf_addf(&full, "%s/%s", strcmp(parent, "/") ? parent : "", base);
		s = strlen(site);
		/* the site, or above it */
		if (!strncmp(site, full.buf, full.len) &&
		    (site[full.len] == '/' || site[full.len] == '\0'))
			rc = diag_error(b->d, out, 0, 0, "the output would replace the site itself");
		/* one of the site's inputs */
		else if (!strncmp(full.buf, site, s) && full.buf[s] == '/') {
			const char *rel = full.buf + s + 1;
			static const char *const inputs[] = { "content", "templates", "assets",
							      "presetgen.yaml", "src", "tests" };

			for (size_t i = 0; i < ARRAY_SIZE(inputs); i++) {
				size_t k = strlen(inputs[i]);

				if (!strncmp(rel, inputs[i], k) && (rel[k] == '/' || !rel[k]))
					rc = diag_error(b->d, out, 0, 0,
							"the output would replace the site's %s", inputs[i]);
			}
		}
	}
	strbuf_release(&full);
	free(dup);
	return rc;
}

static int write_output(struct build *b)
{
	const char *out = b->o->out ? b->o->out : "dist";
	struct staging st;

	if (check_out(b, out) < 0)
		return -1;
	if (staging_begin(&st, out) < 0) {
		/* a path the user gave that cannot hold a directory */
		if (errno == ENOSPC || errno == EIO || errno == ENOMEM)
			return diag_syserror(b->d, out, "cannot create the output directory: %s",
					     strerror(errno));
		return diag_error(b->d, out, 0, 0, "cannot create the output directory: %s",
				  strerror(errno));
	}
	b->stage = st.tmp;
	b->stage_fd = open(st.tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (b->stage_fd < 0) {
		int e = errno;

		staging_abort(&st);
		return diag_syserror(b->d, out, "cannot open the staging directory: %s", strerror(e));
	}
	if (run_jobs(b) < 0 || write_vercel(b) < 0) {
		close(b->stage_fd);
		staging_abort(&st);
		return -1;
	}
	close(b->stage_fd);
	if (b->o->archive && archive_tree(st.tmp, b->o->archive, archive_time(b), b->d) < 0) {
		staging_abort(&st);
		return -1;
	}
	if (staging_commit(&st) < 0) {
		int e = errno;

		staging_abort(&st);
		if (e == ENOTDIR)
			return diag_error(b->d, out, 0, 0, "cannot replace the output: it is not "
					  "a directory");
		return diag_syserror(b->d, out, "cannot replace the output: %s", strerror(e));
	}
	return 0;
}

extern char **environ;

/* The environment's secrets: variables whose names say so, with values long
 * enough that finding one in a file is no accident. */
static void find_secrets(struct build *b)
{
	size_t n = 0;

	for (char **e = environ; *e; e++)
		n++;
	b->secret_names = xcalloc(n + 1, sizeof(*b->secret_names));
	b->secret_values = xcalloc(n + 1, sizeof(*b->secret_values));
	for (char **e = environ; *e; e++) {
		const char *eq = strchr(*e, '=');
		char *name;

		if (!eq || strlen(eq + 1) < 6)
			continue;
		name = arena_strndup(&b->arena, *e, (size_t)(eq - *e));
		if (!secret_name(name))
			continue;
		b->secret_names[b->nsecrets] = name;
		b->secret_values[b->nsecrets++] = eq + 1;
	}
}

/* SOURCE_DATE_EPOCH when set, so that builds are reproducible; else now. */
static int reference_time(struct build *b)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (!s || !*s) {
		b->now = (int64_t)time(NULL) * 1000000;
		return 0;
	}
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 0)
		return diag_error(b->d, NULL, 0, 0, "SOURCE_DATE_EPOCH must be a number of seconds, "
				  "not '%s'", s);
	b->now = (int64_t)v * 1000000;
	return 0;
}

static void release(struct build *b)
{
	for (size_t i = 0; i < b->njobs; i++) {
		if (!b->jobs[i].tpl && !b->jobs[i].gen && !b->jobs[i].borrowed)
			free(b->jobs[i].data);
		free(b->jobs[i].errors);
	}
	free(b->jobs);
	index_free(b->outs);
	mustache_set_free(b->tpls);
	collections_free(b->colls, b->ncolls);
	assets_release(&b->assets);
	page_refs_release(&b->refs);
	free(b->secret_names);
	free(b->secret_values);
	snapshot_release(&b->snap);
	arena_release(&b->arena);
	pthread_mutex_destroy(&b->progress_lock);
}

int site_build(const struct build_opts *o, struct diag *d)
{
	struct build b;
	double t0 = now_seconds();
	size_t pages = 0, bytes = 0;
	int rc = 0;

	memset(&b, 0, sizeof(b));
	b.o = o;
	b.d = d;
	pthread_mutex_init(&b.progress_lock, NULL);
	b.progress = !o->quiet && !o->dry_run && isatty(STDERR_FILENO);
	find_secrets(&b);
	b.env = env_lookup(o->env ? o->env : "production");
	if (config_load(&b.cfg, "presetgen.yaml", &b.arena, d) < 0)
		rc = -1;
	if (!rc && !b.cfg.env[b.env].present)
		rc = diag_error(d, b.cfg.path, 0, 0, "no environment '%s' under 'environments'",
				env_names[b.env]);
	/* templates and content are checked even when the config is wrong,
	 * so that one run reports every error */
	if (load_templates(&b) < 0)
		rc = -1;
	if (content_load("content", o->drafts, &b.pages, &b.npages, &b.arena, d) < 0)
		rc = -1;
	/* pages need the assets' final names, in check as in build */
	if (assets_load(&b.assets, d) < 0)
		rc = -1;
	if (!rc) {
		b.tz = tz_find(b.cfg.time_zone);
		rc = reference_time(&b);
	}
	if (o->verbose)
		fprintf(stderr, "timing: read config, templates, content: %.3f s\n", now_seconds() - t0);
	if (!rc)
		rc = load_collections(&b);
	if (o->verbose)
		fprintf(stderr, "timing: snapshots and collections: %.3f s\n", now_seconds() - t0);
	if (!rc) {
		b.env_v = env_value(&b);
		b.colls_v = value_map(&b.arena, 0);
		rc = plan_pages(&b);
		if (plan_collections(&b) < 0)
			rc = -1;
	}
	if (o->verbose)
		fprintf(stderr, "timing: planned pages: %.3f s\n", now_seconds() - t0);
	if (!rc && !o->dry_run) {
		plan_sitemap(&b);
		plan_feed(&b);
		plan_robots(&b);
		rc = plan_assets(&b);
	}
	if (o->verbose)
		fprintf(stderr, "timing: planned sitemap, feed, assets: %.3f s\n", now_seconds() - t0);
	if (!rc)
		rc = index_outputs(&b);
	if (!rc)
		rc = plan_redirects(&b);
	if (o->verbose)
		fprintf(stderr, "timing: planned %zu files: %.3f s\n", b.njobs, now_seconds() - t0);
	if (!rc)
		rc = o->dry_run ? run_jobs(&b) : write_output(&b);
	if (o->verbose)
		fprintf(stderr, "timing: rendered and written: %.3f s\n", now_seconds() - t0);
	if (!rc) {
		for (size_t i = 0; i < b.njobs; i++) {
			pages += b.jobs[i].page;
			bytes += b.jobs[i].len;
		}
		if (!o->quiet && !o->dry_run)
			printf("%zu pages, %zu files, %zu bytes written to %s in %.3f s\n", pages,
			       b.njobs, bytes, o->out ? o->out : "dist", now_seconds() - t0);
		else if (!o->quiet)
			printf("%zu pages checked, no errors\n", pages);
	}
	release(&b);
	return rc ? (diag_exit_code(d) ? diag_exit_code(d) : EXIT_INPUT) : EXIT_OK;
}
