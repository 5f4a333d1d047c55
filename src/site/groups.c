/* What collections list, worked out once when the site loads: the rows a
 * listing shows, and the groups - rows grouped by a field's value, by its
 * slug, so that "Kraków", "krakow" and "KRAKÓW" share one page, named by
 * the spelling most rows use. Every row whose value has a group page can
 * reach it (item.groups.NAME: name, slug, url, count), and every page sees
 * the collections' counts and groups (collections.NAME). */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct group {
	const char *slug;
	struct value **items;
	size_t n, alloc;
	const char **names;	/* spellings seen, with counts */
	size_t *counts;
	size_t nnames;
};

struct grouping {
	struct site *s;
	struct arena *a;
	struct group *gs;
	size_t ng, ag;
	struct strmap *slugs;	/* slug -> group */
	/* each distinct value is made a slug once: its group (SIZE_MAX: no
	 * slug) and spelling are remembered by its text */
	struct strmap *memo;
	size_t *memo_group, *memo_name;
	size_t nmemo, amemo;
	const char *field;
	const char *name_key;	/* FIELD_label when the field has labels */
	struct strbuf slug, text;
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

/* The memo entry of the value in g->text, made (with its slug and, when
 * make, its group) the first time. */
static size_t memo_of(struct grouping *g, bool make)
{
	size_t m, k;
	bool renamed;

	if (strmap_get(g->memo, g->text.buf, &m))
		return m;
	ALLOC_GROW(g->memo_group, g->nmemo + 1, g->amemo);
	g->memo_name = xrealloc(g->memo_name, g->amemo * sizeof(*g->memo_name));
	m = g->nmemo++;
	strmap_put(g->memo, arena_strndup(g->a, g->text.buf, g->text.len), &m);
	g->memo_group[m] = SIZE_MAX;
	g->memo_name[m] = SIZE_MAX;
	strbuf_reset(&g->slug);
	if (!url_segment(g->s->slugs, &g->slug, g->text.buf, g->text.len, &renamed))
		return m;
	if (strmap_get(g->slugs, g->slug.buf, &k)) {
		g->memo_group[m] = k;
	} else if (make) {
		ALLOC_GROW(g->gs, g->ng + 1, g->ag);
		memset(&g->gs[g->ng], 0, sizeof(g->gs[g->ng]));
		g->gs[g->ng].slug = arena_strndup(g->a, g->slug.buf, g->slug.len);
		k = g->ng++;
		strmap_put(g->slugs, g->gs[k].slug, &k);
		g->memo_group[m] = k;
	}
	return m;
}

/* The memo entry of a row's value of the field, when that value has a
 * group (made, when make, the first time); else SIZE_MAX. */
static size_t memo_of_row(struct grouping *g, const struct value *row, bool make)
{
	const struct value *raw = value_map_get(row, g->field);
	size_t m;

	if (!raw || raw->type == V_NULL)
		return SIZE_MAX;
	strbuf_reset(&g->text);
	value_to_text(&g->text, raw);
	m = memo_of(g, make);
	return g->memo_group[m] == SIZE_MAX ? SIZE_MAX : m;
}

/* The index of the spelling (the label when the field has labels) in gr. */
static size_t spelling(struct grouping *g, struct group *gr, const struct value *item)
{
	size_t k;

	strbuf_reset(&g->text);
	value_to_text(&g->text, value_map_get(item, g->name_key));
	for (k = 0; k < gr->nnames; k++)
		if (!strcmp(gr->names[k], g->text.buf))
			return k;
	gr->names = xrealloc(gr->names, (k + 1) * sizeof(*gr->names));
	gr->counts = xrealloc(gr->counts, (k + 1) * sizeof(*gr->counts));
	gr->names[k] = arena_strndup(g->a, g->text.buf, g->text.len);
	gr->counts[k] = 0;
	gr->nnames++;
	return k;
}

/* The group of each listed item. */
static void collect(struct grouping *g, struct value **items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t m = memo_of_row(g, items[i], true);
		struct group *gr;

		if (m == SIZE_MAX)
			continue;
		gr = &g->gs[g->memo_group[m]];
		if (g->memo_name[m] == SIZE_MAX)
			g->memo_name[m] = spelling(g, gr, items[i]);
		ALLOC_GROW(gr->items, gr->n + 1, gr->alloc);
		gr->items[gr->n++] = items[i];
		gr->counts[g->memo_name[m]]++;
	}
}

/* The spelling most rows use; ties go to the first in byte order. */
static const char *group_name(const struct group *gr)
{
	const char *name = gr->names[0];
	size_t best = gr->counts[0];

	for (size_t m = 1; m < gr->nnames; m++)
		if (gr->counts[m] > best || (gr->counts[m] == best && strcmp(gr->names[m], name) < 0)) {
			best = gr->counts[m];
			name = gr->names[m];
		}
	return name;
}

/* item.groups.NAME for every row (listed or not) whose value has a page. */
static void rows_know_groups(struct grouping *g, const struct coll *c, const char *gname,
			     struct value **gvs)
{
	for (size_t i = 0; i < c->nrows; i++) {
		struct value *row = c->rows[i].v, *groups;
		size_t m = c->rows[i].restricted ? SIZE_MAX : memo_of_row(g, row, false);

		if (m == SIZE_MAX)
			continue;
		groups = (struct value *)value_map_get(row, "groups");
		if (!groups) {
			groups = value_map(g->a, c->cfg->ngroups);
			value_map_set(g->a, row, "groups", groups);
		}
		value_map_set(g->a, groups, gname, gvs[g->memo_group[m]]);
	}
}

/* The group pages of one group_cfg, sorted by slug, and their summary. */
static void group_pages(struct site *s, const struct coll *c, const struct group_cfg *gc,
			struct listing *l, struct grouped *out)
{
	struct grouping g;
	struct value **gvs;
	bool labelled = false;

	memset(&g, 0, sizeof(g));
	g.s = s;
	g.a = &s->arena;
	g.field = gc->field;
	strbuf_init(&g.slug);
	strbuf_init(&g.text);
	for (size_t i = 0; i < c->cfg->nlabels; i++)
		labelled |= !strcmp(c->cfg->labels[i].field, gc->field);
	g.name_key = labelled ? arena_printf(g.a, "%s_label", gc->field) : gc->field;
	g.memo = strmap_new(64);
	g.slugs = strmap_new(64);
	collect(&g, l->items, l->n);
	/* sorted by slug: the memo's group numbers follow through order */
	if (g.ng) {
		size_t *at = xcalloc(g.ng, sizeof(*at));
		struct group *sorted = xcalloc(g.ng, sizeof(*sorted));

		memcpy(sorted, g.gs, g.ng * sizeof(*sorted));
		qsort(sorted, g.ng, sizeof(*sorted), cmp_group);
		for (size_t k = 0; k < g.ng; k++) {
			size_t old;

			strmap_get(g.slugs, sorted[k].slug, &old);
			at[old] = k;
		}
		for (size_t m = 0; m < g.nmemo; m++)
			if (g.memo_group[m] != SIZE_MAX)
				g.memo_group[m] = at[g.memo_group[m]];
		strmap_free(g.slugs);
		g.slugs = strmap_new(g.ng);
		for (size_t k = 0; k < g.ng; k++) {
			size_t kk = k;

			strmap_put(g.slugs, sorted[k].slug, &kk);
		}
		free(g.gs);
		free(at);
		g.gs = sorted;
	}
	out->summary = value_list(g.a, g.ng);
	out->pages = arena_calloc(g.a, (g.ng + 1) * sizeof(*out->pages));
	out->n = g.ng;
	gvs = xcalloc(g.ng + 1, sizeof(*gvs));
	for (size_t k = 0; k < g.ng; k++) {
		struct group *gr = &g.gs[k];
		struct group_page *p = &out->pages[k];
		const char *name = group_name(gr);

		p->url = subst(g.a, gc->url, "{slug}", gr->slug);
		p->title = subst(g.a, gc->title, "{name}", name);
		p->gv = value_map(g.a, 4);
		value_map_set(g.a, p->gv, "name", value_str(g.a, name));
		value_map_set(g.a, p->gv, "slug", value_str(g.a, gr->slug));
		value_map_set(g.a, p->gv, "url", value_str(g.a, p->url));
		value_map_set(g.a, p->gv, "count", value_int(g.a, (int64_t)gr->n));
		value_list_push(g.a, out->summary, p->gv);
		p->items = arena_alloc(g.a, (gr->n + 1) * sizeof(*p->items));
		memcpy(p->items, gr->items, gr->n * sizeof(*p->items));
		p->n = gr->n;
		gvs[k] = p->gv;
		free(gr->items);
		free(gr->names);
		free(gr->counts);
	}
	rows_know_groups(&g, c, gc->name, gvs);
	free(gvs);
	strmap_free(g.slugs);
	strmap_free(g.memo);
	free(g.memo_group);
	free(g.memo_name);
	free(g.gs);
	strbuf_release(&g.slug);
	strbuf_release(&g.text);
}

void site_lists(struct site *s)
{
	struct arena *a = &s->arena;

	s->lists = arena_calloc(a, (s->ncolls + 1) * sizeof(*s->lists));
	s->colls_v = value_map(a, s->ncolls + 1);
	for (size_t i = 0; i < s->ncolls; i++) {
		const struct coll *c = &s->colls[i];
		const struct collection_cfg *cfg = c->cfg;
		struct listing *l = &s->lists[i];
		struct value *cv = value_map(a, 4), *groups = value_map(a, cfg->ngroups + 1);

		l->items = arena_alloc(a, (c->nrows + 1) * sizeof(*l->items));
		for (size_t r = 0; r < c->nrows; r++)
			if (!c->rows[r].restricted &&
			    cond_match(c, &c->rows[r], cfg->list_where, cfg->nlist_where, s->now))
				l->items[l->n++] = c->rows[r].v;
		l->groups = arena_calloc(a, (cfg->ngroups + 1) * sizeof(*l->groups));
		for (size_t g = 0; g < cfg->ngroups; g++) {
			group_pages(s, c, &cfg->groups[g], l, &l->groups[g]);
			value_map_set(a, groups, cfg->groups[g].name, l->groups[g].summary);
		}
		value_map_set(a, cv, "count", value_int(a, (int64_t)c->nrows));
		value_map_set(a, cv, "listed", value_int(a, (int64_t)l->n));
		value_map_set(a, cv, "url", cfg->list_url ? value_str(a, cfg->list_url) : value_null(a));
		value_map_set(a, cv, "groups", groups);
		value_map_set(a, s->colls_v, cfg->name, cv);
	}
}
