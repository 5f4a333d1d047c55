/* Group pages: rows grouped by a field's value, by its slug, so that
 * "Dublin" and "dublin" share one page, named by the spelling most rows
 * use. */
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
	struct arena *a;
	struct group *gs;
	size_t ng, ag;
	struct strmap *slugs;	/* slug -> group */
	/* each distinct value is made a slug once: its group and spelling
	 * are remembered by its text */
	struct strmap *memo;
	size_t *memo_group, *memo_name;
	size_t nmemo, amemo;
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

static void add_item(struct group *gr, struct value *item)
{
	ALLOC_GROW(gr->items, gr->n + 1, gr->alloc);
	gr->items[gr->n++] = item;
}

/* The group of a value seen for the first time (text in g->text): its
 * slug's group, made if new; NULL when the value makes no slug. Returns
 * the spelling's index in *name. */
static struct group *first_seen(struct grouping *g, const struct value *item, size_t *name)
{
	struct group *gr;
	size_t k;

	strbuf_reset(&g->slug);
	if (!slugify(&g->slug, g->text.buf, g->text.len))
		return NULL;
	if (strmap_get(g->slugs, g->slug.buf, &k)) {
		gr = &g->gs[k];
	} else {
		ALLOC_GROW(g->gs, g->ng + 1, g->ag);
		gr = &g->gs[g->ng];
		memset(gr, 0, sizeof(*gr));
		gr->slug = arena_strndup(g->a, g->slug.buf, g->slug.len);
		k = g->ng++;
		strmap_put(g->slugs, gr->slug, &k);
	}
	strbuf_reset(&g->text);
	value_to_text(&g->text, value_map_get(item, g->name_key));
	for (k = 0; k < gr->nnames; k++)
		if (!strcmp(gr->names[k], g->text.buf))
			break;
	if (k == gr->nnames) {
		gr->names = xrealloc(gr->names, (k + 1) * sizeof(*gr->names));
		gr->counts = xrealloc(gr->counts, (k + 1) * sizeof(*gr->counts));
		gr->names[k] = arena_strndup(g->a, g->text.buf, g->text.len);
		gr->counts[k] = 0;
		gr->nnames++;
	}
	*name = k;
	return gr;
}

static void collect(struct grouping *g, const char *field, struct value **items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct value *raw = value_map_get(items[i], field);
		struct group *gr;
		size_t m, name;

		if (!raw || raw->type == V_NULL)
			continue;
		strbuf_reset(&g->text);
		value_to_text(&g->text, raw);
		if (strmap_get(g->memo, g->text.buf, &m)) {
			if (g->memo_group[m] == SIZE_MAX)
				continue;
			gr = &g->gs[g->memo_group[m]];
			add_item(gr, items[i]);
			gr->counts[g->memo_name[m]]++;
			continue;
		}
		ALLOC_GROW(g->memo_group, g->nmemo + 1, g->amemo);
		g->memo_name = xrealloc(g->memo_name, g->amemo * sizeof(*g->memo_name));
		m = g->nmemo++;
		strmap_put(g->memo, arena_strndup(g->a, g->text.buf, g->text.len), &m);
		g->memo_group[m] = SIZE_MAX;
		gr = first_seen(g, items[i], &name);
		if (!gr)
			continue;
		g->memo_group[m] = (size_t)(gr - g->gs);
		g->memo_name[m] = name;
		add_item(gr, items[i]);
		gr->counts[name]++;
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

struct value *plan_groups(struct run *r, const struct coll *c, const struct group_cfg *gc,
			  struct value **items, size_t n, const struct mustache_tpl *tpl)
{
	struct grouping g;
	struct value *summary;
	bool labelled = false;

	memset(&g, 0, sizeof(g));
	g.a = &r->arena;
	strbuf_init(&g.slug);
	strbuf_init(&g.text);
	for (size_t i = 0; i < c->cfg->nlabels; i++)
		labelled |= !strcmp(c->cfg->labels[i].field, gc->field);
	g.name_key = labelled ? arena_printf(g.a, "%s_label", gc->field) : gc->field;
	g.memo = strmap_new(64);
	g.slugs = strmap_new(64);
	collect(&g, gc->field, items, n);
	/* the groups' order is their slugs' (sorted after the map is gone) */
	strmap_free(g.slugs);
	strmap_free(g.memo);
	free(g.memo_group);
	free(g.memo_name);
	if (g.ng)
		qsort(g.gs, g.ng, sizeof(*g.gs), cmp_group);
	summary = value_list(g.a, g.ng);
	for (size_t k = 0; k < g.ng; k++) {
		struct group *gr = &g.gs[k];
		const char *name = group_name(gr), *url = subst(g.a, gc->url, "{slug}", gr->slug);
		struct value *gv = value_map(g.a, 4), **arr;

		value_map_set(g.a, gv, "name", value_str(g.a, name));
		value_map_set(g.a, gv, "slug", value_str(g.a, gr->slug));
		value_map_set(g.a, gv, "url", value_str(g.a, url));
		value_map_set(g.a, gv, "count", value_int(g.a, (int64_t)gr->n));
		value_list_push(g.a, summary, gv);
		arr = arena_alloc(g.a, (gr->n + 1) * sizeof(*arr));
		memcpy(arr, gr->items, gr->n * sizeof(*arr));
		if (tpl)
			plan_listing(r, tpl, url, subst(g.a, gc->title, "{name}", name), arr, gr->n,
				     gc->per_page ? gc->per_page : c->cfg->per_page, gv, r->s->cfg.path);
		free(gr->items);
		free(gr->names);
		free(gr->counts);
	}
	free(g.gs);
	strbuf_release(&g.slug);
	strbuf_release(&g.text);
	return summary;
}
