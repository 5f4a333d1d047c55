/* The values templates see: page, site (with its menus), env and
 * collections on every page; item, items, pagination and group on the
 * pages of collections, made per page in a worker's scratch arena. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static struct value *str_or_null(struct arena *a, const char *s)
{
	return s ? value_str(a, s) : value_null(a);
}

struct value *page_value(struct run *r, const struct page *pg)
{
	struct arena *a = &r->arena;
	struct value *v = value_map(a, 16);

	value_map_set(a, v, "title", value_str(a, pg->title));
	value_map_set(a, v, "description", str_or_null(a, pg->description));
	value_map_set(a, v, "content", value_str(a, pg->html));
	value_map_set(a, v, "url", value_str(a, pg->url));
	value_map_set(a, v, "permalink",
		      value_str_nocopy(a, arena_printf(a, "%s%s", r->base_url, pg->url),
				       strlen(r->base_url) + strlen(pg->url)));
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

/* Every menu name any page uses, each once in order of first use, with
 * its pages in weight order: once per render, not once per page. */
static void menus_prepare(struct run *r)
{
	const struct site *s = r->s;
	struct strmap *names = strmap_new(8);
	size_t alloc = 0;

	for (size_t i = 0; i < s->npages; i++)
		for (size_t k = 0; k < s->pages[i].nmenus; k++) {
			size_t m = r->nmenus;

			if (strmap_put(names, s->pages[i].menus[k], &m)) {
				ALLOC_GROW(r->menu_names, r->nmenus + 1, alloc);
				r->menu_pages = xrealloc(r->menu_pages, alloc * sizeof(*r->menu_pages));
				r->menu_len = xrealloc(r->menu_len, alloc * sizeof(*r->menu_len));
				r->menu_names[m] = s->pages[i].menus[k];
				r->menu_pages[m] = NULL;
				r->menu_len[m] = 0;
				r->nmenus++;
			}
			/* a page that names one menu twice is in it once */
			if (r->menu_len[m] && r->menu_pages[m][r->menu_len[m] - 1] == &s->pages[i])
				continue;
			r->menu_pages[m] = xrealloc(r->menu_pages[m],
						    (r->menu_len[m] + 1) * sizeof(**r->menu_pages));
			r->menu_pages[m][r->menu_len[m]++] = &s->pages[i];
		}
	for (size_t m = 0; m < r->nmenus; m++)
		qsort(r->menu_pages[m], r->menu_len[m], sizeof(**r->menu_pages), cmp_weight);
	strmap_free(names);
}

void menus_release(struct run *r)
{
	for (size_t m = 0; m < r->nmenus; m++)
		free(r->menu_pages[m]);
	free(r->menu_pages);
	free(r->menu_names);
	free(r->menu_len);
}

bool in_menu(const struct page *pg)
{
	return pg->nmenus > 0;
}

/* The menus, marking the page at url (NULL: none) current. */
static struct value *menus_value(struct run *r, const char *url)
{
	struct arena *a = &r->arena;
	struct value *m = value_map(a, r->nmenus);

	for (size_t k = 0; k < r->nmenus; k++) {
		struct value *list = value_list(a, r->menu_len[k]);

		for (size_t i = 0; i < r->menu_len[k]; i++) {
			const struct page *pg = r->menu_pages[k][i];
			struct value *e = value_map(a, 4);

			value_map_set(a, e, "title", value_str(a, pg->title));
			value_map_set(a, e, "url", value_str(a, pg->url));
			value_map_set(a, e, "weight", value_int(a, pg->weight));
			value_map_set(a, e, "current", value_bool(a, url && !strcmp(url, pg->url)));
			value_list_push(a, list, e);
		}
		value_map_add(a, m, r->menu_names[k], list);
	}
	return m;
}

struct value *site_for(struct run *r, const char *url)
{
	struct arena *a = &r->arena;
	const struct value *base = r->site_base;
	struct value *site = value_map(a, base->len + 2), *menus = menus_value(r, url);
	const struct value *main_menu = value_map_get(menus, "main");

	for (uint32_t k = 0; k < base->len; k++)
		value_map_add(a, site, base->u.pairs[k].key, base->u.pairs[k].val);
	value_map_add(a, site, "menus", menus);
	value_map_add(a, site, "menu", main_menu ? (struct value *)main_menu : value_list(a, 0));
	return site;
}

void site_prepare(struct run *r, const struct value *pages)
{
	struct arena *a = &r->arena;
	const struct config *c = &r->s->cfg;
	struct value *v = value_map(a, 12);

	value_map_set(a, v, "title", value_str(a, c->title));
	value_map_set(a, v, "description", str_or_null(a, c->description));
	value_map_set(a, v, "language", value_str(a, c->language));
	value_map_set(a, v, "time_zone", value_str(a, c->time_zone));
	value_map_set(a, v, "author", str_or_null(a, c->author));
	value_map_set(a, v, "base_url", value_str(a, r->base_url));
	value_map_set(a, v, "pages", (struct value *)pages);
	r->pages_v = pages;
	r->site_base = v;
	menus_prepare(r);
	/* collection pages, and pages in no menu, share one site */
	r->site_v = site_for(r, NULL);
}

struct value *env_value(struct run *r)
{
	struct arena *a = &r->arena;
	const struct site *s = r->s;
	const struct env_config *e = &s->cfg.env[s->env];
	struct value *v = value_map(a, 4), *pub = value_map(a, e->pub.n);

	value_map_set(a, v, "name", value_str(a, env_names[s->env]));
	value_map_set(a, v, "base_url", value_str(a, r->base_url));
	value_map_set(a, v, "index", value_bool(a, e->index));
	/* the values pages may embed, from the variables presetgen.yaml names */
	for (size_t i = 0; i < e->pub.n; i++)
		value_map_set(a, pub, e->pub.names[i], str_or_null(a, s->public_values[i]));
	value_map_set(a, v, "public", pub);
	return v;
}

struct value *context(struct run *r, struct arena *a, struct value *page, struct value *site,
		      size_t extra)
{
	struct value *ctx = value_map(a, 4 + extra);

	value_map_set(a, ctx, "page", page);
	value_map_set(a, ctx, "site", site);
	value_map_set(a, ctx, "env", r->env_v);
	value_map_set(a, ctx, "collections", r->s->colls_v);
	return ctx;
}

static struct value *page_meta(struct run *r, struct arena *a, const char *title,
			       const char *desc, const char *url)
{
	struct value *v = value_map(a, 4);

	value_map_set(a, v, "title", value_str_nocopy(a, title ? title : "", title ? strlen(title) : 0));
	value_map_set(a, v, "description", desc ? value_str_nocopy(a, desc, strlen(desc))
						: value_null(a));
	value_map_set(a, v, "url", value_str_nocopy(a, url, strlen(url)));
	value_map_set(a, v, "permalink",
		      value_str(a, arena_cat(a, r->base_url, url)));
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

		/* 1, p-2..p+2 and the last: step over the rest */
		if (n > 1 && n < p - 2) {
			n = p - 3;
			continue;
		}
		if (n > p + 2 && n < pages) {
			n = pages - 1;
			continue;
		}
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
struct value *listing_context(struct run *r, struct arena *a, const struct listing_page *lp)
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
	ctx = context(r, a, page_meta(r, a, lp->title, NULL, url), r->site_v, 3);
	value_map_set(a, ctx, "items", list);
	value_map_set(a, ctx, "pagination", pagination(a, lp->base, lp->p, lp->pages, lp->n, lp->per));
	if (lp->group)
		value_map_set(a, ctx, "group", lp->group);
	return ctx;
}

struct value *row_context(struct run *r, struct arena *a, const struct crow *cr)
{
	struct value *ctx = context(r, a, page_meta(r, a, cr->title, cr->description, cr->url),
				    r->site_v, 1);

	value_map_set(a, ctx, "item", cr->v);
	return ctx;
}

