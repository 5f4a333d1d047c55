/* Planning: one job per file of the output. Content pages, then the pages
 * of collections (listings, groups, one per row), then the rest; the order
 * is the sitemap's and never depends on threads. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void add_job(struct run *r, const struct job *j)
{
	ALLOC_GROW(r->jobs, r->njobs + 1, r->ajobs);
	r->jobs[r->njobs++] = *j;
}

const struct mustache_tpl *need_template(struct run *r, const char *name, const char *what,
					 const struct srcpos *at)
{
	const struct mustache_tpl *tpl = mustache_get(r->s->tpls, name);

	if (!tpl)
		diag_error_at(r->d, at, "%s: template '%s' not found: expected "
			      "templates/%s.mustache", what, name, name);
	return tpl;
}

static const struct mustache_tpl *layout_of(struct run *r, const struct page *pg)
{
	const char *layout = pg->layout ? pg->layout : "page";
	const struct mustache_tpl *tpl = mustache_get(r->s->tpls, layout);

	if (tpl)
		return tpl;
	if (pg->layout)
		diag_error_at(r->d, &pg->layout_at, "layout '%s' not found: expected "
			      "templates/%s.mustache", layout, layout);
	else
		diag_error(r->d, pg->src, 1, 1, "no layout given and the default layout 'page' "
			   "not found: expected templates/page.mustache");
	return NULL;
}

/* Whether Vercel's routing serves the page at its URL: content/Index.md
 * would be /index/, which cleanUrls sends to /. (Rows' URLs are made so
 * that it always does; the 404 page is served for what is missing.) */
static bool reachable(struct run *r, const struct page *pg)
{
	struct strbuf loc = STRBUF_INIT;
	const char *rule = strcmp(pg->url, "/404.html") ? vercel_rule(pg->url, &loc) : NULL;

	if (rule)
		diag_error(r->d, pg->src, 0, 0, "its URL %s would be redirected to %s by Vercel's "
			   "%s: rename the file or give it a slug", pg->url, loc.buf, rule);
	strbuf_release(&loc);
	return !rule;
}

int plan_pages(struct run *r)
{
	const struct site *s = r->s;
	struct arena *a = &r->arena;
	struct value *pages = value_list(a, s->npages);
	struct value **pv = xcalloc(s->npages + 1, sizeof(*pv));
	int rc = 0;

	for (size_t i = 0; i < s->npages; i++) {
		pv[i] = page_value(r, &s->pages[i]);
		/* the 404 page is not one to list */
		if (strcmp(s->pages[i].url, "/404.html"))
			value_list_push(a, pages, pv[i]);
	}
	site_prepare(r, pages);
	for (size_t i = 0; i < s->npages; i++) {
		const struct page *pg = &s->pages[i];
		const struct mustache_tpl *tpl = layout_of(r, pg);
		struct job j;

		if (!tpl || !reachable(r, pg)) {
			rc = -1;
			continue;
		}
		memset(&j, 0, sizeof(j));
		j.tpl = tpl;
		/* a page in a menu sees it marked current; the rest share one site */
		j.ctx = context(r, a, pv[i], in_menu(pg) ? site_for(r, pg->url) : r->site_v, 0);
		j.out = pg->out;
		j.src = pg->src;
		j.page = true;
		j.url = strcmp(pg->url, "/404.html") ? pg->url : NULL;
		j.lastmod = INT64_MIN;
		add_job(r, &j);
	}
	free(pv);
	return rc;
}

/* One job per page of items (at least one page, even with no items). */
void plan_listing(struct run *r, const struct mustache_tpl *tpl, const char *base,
			 const char *title, struct value **items, size_t n, long per,
			 struct value *group, const char *src)
{
	struct arena *a = &r->arena;
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
		add_job(r, &j);
	}
}

/* The pages of a collection's listing and of its groups. */
static int plan_collection_lists(struct run *r, const struct coll *c, const struct listing *l)
{
	const struct collection_cfg *cfg = c->cfg;
	const char *src = r->s->cfg.path;
	int rc = 0;

	for (size_t g = 0; g < cfg->ngroups; g++) {
		const struct group_cfg *gc = &cfg->groups[g];
		const struct mustache_tpl *gt = need_template(r, gc->template, "group",
							      &gc->template_at);
		long per = gc->per_page ? gc->per_page : cfg->per_page;

		if (!gt) {
			rc = -1;
			continue;
		}
		for (size_t k = 0; k < l->groups[g].n; k++) {
			const struct group_page *p = &l->groups[g].pages[k];

			plan_listing(r, gt, p->url, p->title, p->items, p->n, per, p->gv, src);
		}
	}
	if (cfg->list_url) {
		const struct mustache_tpl *lt = need_template(r, cfg->list_template, "listing",
							      &cfg->list_template_at);

		if (!lt)
			return -1;
		plan_listing(r, lt, cfg->list_url, cfg->list_title, l->items, l->n, cfg->per_page,
			     NULL, src);
	}
	return rc;
}

/* One page per row that has a URL. */
static int plan_rows(struct run *r, const struct coll *c)
{
	const struct mustache_tpl *tpl;

	if (!c->cfg->page_url)
		return 0;
	tpl = need_template(r, c->cfg->page_template, "page", &c->cfg->page_template_at);
	if (!tpl)
		return -1;
	for (size_t i = 0; i < c->nrows; i++) {
		const struct crow *cr = &c->rows[i];
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
		add_job(r, &j);
	}
	return 0;
}

int plan_collections(struct run *r)
{
	const struct site *s = r->s;
	int rc = 0;

	for (size_t i = 0; i < s->ncolls; i++)
		if (plan_collection_lists(r, &s->colls[i], &s->lists[i]) < 0)
			rc = -1;
	for (size_t i = 0; i < s->ncolls; i++)
		if (plan_rows(r, &s->colls[i]) < 0)
			rc = -1;
	return rc;
}

/* Whether the bundle serves a URL path: /x/ is x/index.html (cleanUrls with
 * trailingSlash), anything else its own file. ud: the run. */
static bool serves(const void *ud, const char *path)
{
	const struct run *r = ud;
	struct strbuf sb = STRBUF_INIT;
	size_t row;
	bool found;

	strbuf_adds(&sb, path + 1);
	if (!sb.len || sb.buf[sb.len - 1] == '/')
		strbuf_adds(&sb, "index.html");
	found = strmap_get(r->outs, sb.buf, &row);
	strbuf_release(&sb);
	return found;
}

int index_outputs(struct run *r)
{
	int rc = 0;

	r->outs = strmap_new(r->njobs);
	for (size_t i = 0; i < r->njobs; i++) {
		size_t first = i;

		if (!strmap_put(r->outs, r->jobs[i].out, &first))
			rc = diag_error(r->d, r->jobs[i].src, 0, 0, "writes %s, as %s does",
					r->jobs[i].out, r->jobs[first].src);
	}
	return rc;
}

int plan_redirects(struct run *r, struct site_result *res)
{
	const struct site *s = r->s;
	int rc = redirects_build(&s->cfg, &s->snap, s->slugs, serves, r,
				 vercel_redirect_budget(&s->cfg),
				 &r->arena, r->d, &r->redirects);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < r->redirects.npages; i++) {
		const struct redirect *rd = &r->redirects.pages[i];
		struct strbuf sb = STRBUF_INIT;
		struct job j;

		redirect_page(&sb, rd, r->base_url, s->cfg.language);
		memset(&j, 0, sizeof(j));
		j.out = arena_cat(&r->arena, rd->from + 1, "index.html");
		j.src = s->cfg.path;
		j.data = strbuf_detach(&sb, &j.len);
		add_job(r, &j);
	}
	res->red_vercel = r->redirects.nvercel;
	res->red_pages = r->redirects.npages;
	res->red_tables = r->redirects.from_tables;
	res->red_live = r->redirects.live;
	res->red_unpublished = r->redirects.unpublished;
	res->red_bad = r->redirects.bad;
	return 0;
}
