/* Collections at build time: rows admitted by "where", converted to typed
 * values by the declared field types (the same for JSON, CSV and COPY),
 * sorted with the key as the last tie-break, related, and given URLs. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- sorting ------------------------------------------------------------ */

struct sortrow {
	struct crow *row;
	const struct value **keys;
	const char *id;
	int64_t k0;		/* the first key, when it is an integer or an instant */
	bool k0_int;
};

static int cmp_value(const struct value *a, const struct value *b)
{
	bool an = !a || a->type == V_NULL, bn = !b || b->type == V_NULL;

	if (an || bn)
		return an == bn ? 0 : an ? 1 : -1;	/* nulls last */
	switch (a->type) {
	case V_INT:
	case V_TIME:
		return a->u.i < b->u.i ? -1 : a->u.i > b->u.i;
	case V_BOOL:
		return (int)a->u.b - (int)b->u.b;
	case V_REAL:
		return a->u.d < b->u.d ? -1 : a->u.d > b->u.d;
	case V_DECIMAL: {
		double x = strtod(a->u.s, NULL), y = strtod(b->u.s, NULL);

		return x < y ? -1 : x > y;
	}
	case V_STRING:
		return strcmp(a->u.s, b->u.s);
	default:
		return 0;
	}
}

static int cmp_rows(const void *x, const void *y, void *ctx)
{
	const struct sortrow *a = x, *b = y;
	const struct collection_cfg *sort_cfg = ctx;
	size_t i = 0;

	/* the common case (newest first) without following pointers */
	if (a->k0_int && b->k0_int) {
		if (a->k0 != b->k0)
			return (a->k0 < b->k0) != sort_cfg->sort[0].desc ? -1 : 1;
		i = 1;
	}
	for (; i < sort_cfg->nsort; i++) {
		int c = cmp_value(a->keys[i], b->keys[i]);

		if (c)
			return sort_cfg->sort[i].desc ? -c : c;
	}
	return strcmp(a->id, b->id);
}

/* ---- building ------------------------------------------------------------ */

const char *page_url(struct arena *a, const char *base, long p)
{
	char num[32], *e = num + sizeof(num) - 1, *s = e;

	if (p <= 1)
		return base;
	/* BASE "page/" N "/", without printf: this runs for every link to a page */
	*s = '\0';
	*--s = '/';
	do
		*--s = (char)('0' + p % 10);
	while (p /= 10);
	s -= 5;
	memcpy(s, "page/", 5);
	return arena_cat(a, base, s);
}

static int find_field_n(const struct collection_cfg *c, const char *name, size_t n)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (c->fields[i].name[0] == name[0] && !strncmp(c->fields[i].name, name, n) &&
		    !c->fields[i].name[n])
			return (int)i;
	return -1;
}

static int find_field(const struct collection_cfg *c, const char *name)
{
	return find_field_n(c, name, strlen(name));
}

static bool is_private_field(const struct collection_cfg *c, const char *name)
{
	for (size_t i = 0; i < c->nprivate_fields; i++)
		if (!strcmp(c->private_fields[i], name))
			return true;
	return false;
}

/* Makes the URL of row r from the page pattern; NULL (with a warning) when a
 * placeholder's value leaves nothing to make a path segment of. */
static const char *row_url(struct rt *x, size_t r, struct value **vals)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = x->cfg->page_url;
	const char *res = NULL;

	while (*p) {
		const char *o = strchr(p, '{'), *e;
		int f;
		const struct value *v;
		bool renamed;

		if (!o) {
			strbuf_adds(&sb, p);
			break;
		}
		strbuf_add(&sb, p, (size_t)(o - p));
		e = strchr(o, '}');
		f = find_field_n(x->cfg, o + 1, (size_t)(e - o - 1));
		v = vals[f];
		strbuf_reset(&x->scratch);
		if (v)
			value_to_text(&x->scratch, v);
		if (!x->b->segment(x->b->segment_ud, &sb, x->scratch.buf, x->scratch.len, &renamed)) {
			if (x->fcol[f] >= 0)
				cell_warning(x->b->d, x->t, r, (size_t)x->fcol[f],
					     "'%s' leaves nothing for a URL: the row gets no page",
					     x->scratch.buf);
			goto out;
		}
		if (renamed && x->fcol[f] >= 0)
			cell_warning(x->b->d, x->t, r, (size_t)x->fcol[f], "'%s' as a path segment would "
				     "be redirected by Vercel's cleanUrls: the row's page is at %s%s",
				     x->scratch.buf, sb.buf, e[1] ? e + 1 : "");
		p = e + 1;
	}
	res = arena_strndup(x->b->a, sb.buf, sb.len);
out:
	strbuf_release(&sb);
	return res;
}

/* For a labelled field, the maps templates branch on: FIELD_is.KEY is
 * true for the row's value and false for the label's other keys, and
 * FIELD_is._null for NULL. One map per possible answer, made once. */
static struct value **flag_maps(struct arena *a, const struct label_cfg *lc)
{
	struct value **maps = arena_alloc(a, (lc->n + 2) * sizeof(*maps));

	for (size_t which = 0; which < lc->n + 2; which++) {
		maps[which] = value_map(a, lc->n + 1);
		for (size_t k = 0; k < lc->n; k++)
			value_map_add(a, maps[which], lc->keys[k], value_bool(a, which == k));
		value_map_add(a, maps[which], "_null", value_bool(a, which == lc->n));
	}
	return maps;
}

/* The table, columns and joins of a collection; -1 after reporting a table
 * that no snapshot has. */
static int rt_init(struct rt *x, const struct cbuild *b, const struct collection_cfg *cfg,
		   const struct snapshot *snap)
{
	int rc = 0;

	memset(x, 0, sizeof(*x));
	x->b = b;
	x->cfg = cfg;
	strbuf_init(&x->scratch);
	x->t = snapshot_table(snap, cfg->table);
	if (!x->t)
		return diag_error_at(b->d, &cfg->table_at, "collections.%s: no snapshot has the "
				     "table '%s'", cfg->name, cfg->table);
	x->keycol = table_col(x->t, cfg->key);
	x->fcol = xcalloc(cfg->nfields + 1, sizeof(*x->fcol));
	x->vals = xcalloc(cfg->nfields + 1, sizeof(*x->vals));
	x->label_keys = xcalloc(cfg->nlabels + 1, sizeof(*x->label_keys));
	x->is_keys = xcalloc(cfg->nlabels + 1, sizeof(*x->is_keys));
	x->flags = xcalloc(cfg->nlabels + 1, sizeof(*x->flags));
	for (size_t l = 0; l < cfg->nlabels; l++) {
		x->label_keys[l] = arena_printf(b->a, "%s_label", cfg->labels[l].field);
		x->is_keys[l] = arena_printf(b->a, "%s_is", cfg->labels[l].field);
		x->flags[l] = flag_maps(b->a, &cfg->labels[l]);
	}
	for (size_t f = 0; f < cfg->nfields; f++)
		x->fcol[f] = table_col(x->t, cfg->fields[f].name);
	x->joins = xcalloc(cfg->njoins + 1, sizeof(*x->joins));
	x->jt = xcalloc(cfg->njoins + 1, sizeof(*x->jt));
	x->jcol = xcalloc(cfg->njoins + 1, sizeof(*x->jcol));
	for (size_t j = 0; j < cfg->njoins; j++) {
		const struct table *jt = snapshot_table(snap, cfg->joins[j].table);
		int mc;

		if (!jt) {
			rc = diag_error_at(b->d, &cfg->joins[j].at, "collections.%s: no snapshot has "
					   "the table '%s'", cfg->name, cfg->joins[j].table);
			continue;
		}
		x->jt[j] = jt;
		mc = table_col(jt, cfg->joins[j].match);
		x->jcol[j] = table_col(jt, cfg->joins[j].column);
		x->joins[j] = strmap_new(jt->nrows);
		for (size_t r = 0; r < jt->nrows; r++) {
			const char *k = table_cell(jt, r, (size_t)mc)->s;
			size_t rr = r;

			/* the first row of a key wins, as a unique index would */
			if (k)
				strmap_put(x->joins[j], k, &rr);
		}
	}
	return rc;
}

static void rt_release(struct rt *x)
{
	for (size_t j = 0; x->joins && j < x->cfg->njoins; j++)
		strmap_free(x->joins[j]);
	free(x->joins);
	free(x->jt);
	free(x->jcol);
	free(x->fcol);
	free(x->vals);
	free(x->label_keys);
	free(x->is_keys);
	free(x->flags);
	strbuf_release(&x->scratch);
}

/* FIELD_label for each labelled field a row may show. */
static void add_labels(struct rt *x, struct value *v, struct value **vals, bool restricted)
{
	const struct collection_cfg *cfg = x->cfg;
	struct arena *a = x->b->a;

	for (size_t l = 0; l < cfg->nlabels; l++) {
		const struct label_cfg *lc = &cfg->labels[l];
		const struct value *fv = vals[find_field(cfg, lc->field)];
		const char *label = NULL;
		size_t which = lc->n + 1;	/* another value */

		if (restricted && !is_private_field(cfg, lc->field))
			continue;
		if (!fv || fv->type == V_NULL) {
			label = lc->null_label;
			which = lc->n;
		} else if (fv->type == V_STRING) {
			label = fv->u.s;
			for (size_t k = 0; k < lc->n; k++)
				if (!strcmp(lc->keys[k], fv->u.s)) {
					label = lc->vals[k];
					which = k;
				}
		}
		value_map_set(a, v, x->label_keys[l],
			      label ? value_str_nocopy(a, label, strlen(label)) : value_null(a));
		value_map_set(a, v, x->is_keys[l], x->flags[l][which]);
	}
}

/* The row's URL, and what listings and feeds show of it. */
static void page_of(struct rt *x, struct crow *cr, struct value *v, struct value **vals)
{
	const struct collection_cfg *cfg = x->cfg;
	struct arena *a = x->b->a;
	const char *base = x->b->base_url;

	if (cfg->page_title) {
		strbuf_reset(&x->scratch);
		value_to_text(&x->scratch, vals[find_field(cfg, cfg->page_title)]);
		cr->title = arena_strndup(a, x->scratch.buf, x->scratch.len);
	}
	if (cfg->page_description && !cr->restricted) {
		const struct value *dv = vals[find_field(cfg, cfg->page_description)];

		if (dv && dv->type == V_STRING)
			cr->description = dv->u.s;
	}
	if (cfg->lastmod) {
		const struct value *lv = vals[find_field(cfg, cfg->lastmod)];

		if (lv && lv->type == V_TIME)
			cr->lastmod = lv->u.i;
	}
	if (!cfg->page_url)
		return;
	cr->url = row_url(x, cr->row, vals);
	if (cr->url) {
		cr->out = arena_cat(a, cr->url + 1, "index.html");
		value_map_set(a, v, "url", value_str(a, cr->url));
		value_map_set(a, v, "permalink", value_str_nocopy(a, arena_cat(a, base, cr->url),
								  strlen(base) + strlen(cr->url)));
	} else {
		value_map_set(a, v, "url", value_null(a));
		value_map_set(a, v, "permalink", value_null(a));
	}
}

/* Row r, admitted and converted, as a crow and its sort keys. Returns 0
 * when where leaves it out, -1 after an error. */
static int admit(struct rt *x, size_t r, struct crow *cr, struct sortrow *s)
{
	const struct collection_cfg *cfg = x->cfg;
	struct arena *a = x->b->a;
	struct value *v, **vals = x->vals;
	const char *key;
	bool failed = false;

	if (!conds_pass(x, r, cfg->where, cfg->nwhere))
		return 0;
	key = table_cell(x->t, r, (size_t)x->keycol)->s;
	if (!key)
		return cell_error(x->b->d, x->t, r, (size_t)x->keycol, "the key is NULL");
	for (size_t f = 0; f < cfg->nfields; f++) {
		const struct cell *c = x->fcol[f] >= 0 ? table_cell(x->t, r, (size_t)x->fcol[f]) : NULL;

		vals[f] = convert_cell(x, r, f, c, c ? c->s : row_text(x, r, cfg->fields[f].name));
		failed |= !vals[f];
	}
	if (failed)
		return -1;
	memset(cr, 0, sizeof(*cr));
	cr->row = r;
	cr->restricted = cfg->has_private && conds_pass(x, r, cfg->private_when, cfg->nprivate_when);
	cr->lastmod = INT64_MIN;
	/* fields, private, FIELD_label and FIELD_is, url and permalink,
	 * relations, counts and groups: room for all, or the map is copied */
	v = value_map(a, cfg->nfields + 2 * cfg->nlabels + cfg->nbelongs + 2 * cfg->nhas_many + 4);
	for (size_t f = 0; f < cfg->nfields; f++)
		/* field names are distinct (keys of one mapping) */
		if (!cr->restricted || is_private_field(cfg, cfg->fields[f].name))
			value_map_add(a, v, cfg->fields[f].name, vals[f]);
	value_map_set(a, v, "private", value_bool(a, cr->restricted));
	add_labels(x, v, vals, cr->restricted);
	page_of(x, cr, v, vals);
	cr->v = v;
	cr->key = key;
	s->id = key;
	s->keys = arena_alloc(a, (cfg->nsort + 1) * sizeof(*s->keys));
	for (size_t k = 0; k < cfg->nsort; k++)
		s->keys[k] = vals[find_field(cfg, cfg->sort[k].field)];
	s->k0_int = cfg->nsort && s->keys[0] &&
		    (s->keys[0]->type == V_INT || s->keys[0]->type == V_TIME);
	s->k0 = s->k0_int ? s->keys[0]->u.i : 0;
	return 1;
}

/* Sorts the rows (declared keys, then the key itself, so ties never depend
 * on the order the snapshot happens to list rows in), indexes them by key,
 * and reports two rows with one key or one URL. */
static int sort_and_index(struct rt *x, struct coll *out, struct sortrow *sr, size_t n)
{
	const struct collection_cfg *cfg = x->cfg;
	struct crow *sorted = arena_alloc(x->b->a, (n + 1) * sizeof(*sorted));
	struct strmap *urls = strmap_new(n);
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		sr[i].row = &out->rows[i];
	if (n)
		qsort_r(sr, n, sizeof(*sr), cmp_rows, (void *)cfg);
	for (size_t i = 0; i < n; i++)
		sorted[i] = *sr[i].row;
	out->rows = sorted;
	out->index = strmap_new(n);
	for (size_t i = 0; i < n; i++) {
		size_t first = i;

		if (!strmap_put(out->index, sr[i].id, &first))
			rc = cell_error(x->b->d, x->t, sorted[i].row, (size_t)x->keycol,
					"collections.%s: two rows have the key '%s'", cfg->name,
					sr[i].id);
		first = i;
		/* two rows at one URL would overwrite each other */
		if (sorted[i].url && !strmap_put(urls, sorted[i].url, &first))
			rc = cell_error(x->b->d, x->t, sorted[i].row, (size_t)x->keycol,
					"collections.%s: the rows '%s' and '%s' both make the page %s",
					cfg->name, table_cell(x->t, sorted[first].row,
							      (size_t)x->keycol)->s,
					sr[i].id, sorted[i].url);
	}
	strmap_free(urls);
	return rc;
}

static int build_one(const struct cbuild *b, const struct collection_cfg *cfg,
		     const struct snapshot *snap, struct coll *out)
{
	struct rt x;
	struct sortrow *sr;
	int rc;

	memset(out, 0, sizeof(*out));
	out->cfg = cfg;
	rc = rt_init(&x, b, cfg, snap);
	out->t = x.t;
	if (rc) {
		rt_release(&x);
		return rc;
	}
	out->rows = arena_alloc(b->a, (x.t->nrows + 1) * sizeof(*out->rows));
	sr = xcalloc(x.t->nrows + 1, sizeof(*sr));
	for (size_t r = 0; r < x.t->nrows; r++) {
		int k = admit(&x, r, &out->rows[out->nrows], &sr[out->nrows]);

		if (k < 0)
			rc = -1;
		else
			out->nrows += (size_t)k;
	}
	if (sort_and_index(&x, out, sr, out->nrows) < 0)
		rc = -1;
	free(sr);
	rt_release(&x);
	return rc;
}

static struct coll *find_coll(struct coll *cs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cs[i].cfg->name, name))
			return &cs[i];
	return NULL;
}

static void relate(const struct cbuild *b, struct coll *cs, size_t n)
{
	struct arena *a = b->a;

	for (size_t i = 0; i < n; i++) {
		struct coll *c = &cs[i];

		for (size_t k = 0; k < c->cfg->nbelongs; k++) {
			const struct rel_cfg *r = &c->cfg->belongs[k];
			struct coll *to = find_coll(cs, n, r->collection);
			int col = table_col(c->t, r->fields[0]);

			for (size_t j = 0; j < c->nrows; j++) {
				struct crow *cr = &c->rows[j];
				const char *key = table_cell(c->t, cr->row, (size_t)col)->s;
				size_t tr;

				if (cr->restricted)
					continue;
				value_map_set(a, cr->v, r->name,
					      to && strmap_get(to->index, key, &tr) ? to->rows[tr].v
										   : value_null(a));
			}
		}
		for (size_t k = 0; k < c->cfg->nhas_many; k++) {
			const struct rel_cfg *r = &c->cfg->has_many[k];
			struct coll *from = find_coll(cs, n, r->collection);
			struct value **lists = xcalloc(c->nrows + 1, sizeof(*lists));

			int *cols = xcalloc(r->nfields + 1, sizeof(*cols));
			const char *count_key = arena_printf(a, "%s_count", r->name);

			for (size_t j = 0; j < c->nrows; j++)
				lists[j] = value_list(a, 0);
			for (size_t f = 0; from && f < r->nfields; f++)
				cols[f] = table_col(from->t, r->fields[f]);
			/* rows outside, fields inside: each list stays in the other
			 * collection's order, and a row that names one owner twice
			 * (creator and talent) is the list's last item */
			for (size_t j = 0; from && j < from->nrows; j++) {
				for (size_t f = 0; f < r->nfields; f++) {
					const char *key = table_cell(from->t, from->rows[j].row,
								     (size_t)cols[f])->s;
					size_t owner;
					struct value *l;

					if (!strmap_get(c->index, key, &owner))
						continue;
					l = lists[owner];
					if (l->len && l->u.items[l->len - 1] == from->rows[j].v)
						continue;
					value_list_push(a, l, from->rows[j].v);
				}
			}
			free(cols);
			for (size_t j = 0; j < c->nrows; j++) {
				struct value *l = lists[j];

				if (c->rows[j].restricted)
					continue;
				value_map_set(a, c->rows[j].v, count_key, value_int(a, l->len));
				if (r->limit && l->len > (uint32_t)r->limit)
					l->len = (uint32_t)r->limit;
				value_map_set(a, c->rows[j].v, r->name, l);
			}
			free(lists);
		}
	}
}

int collections_build(const struct cbuild *b, const struct collection_cfg *cfgs, size_t n,
		      const struct snapshot *snap, struct coll **out)
{
	struct coll *cs = xcalloc(n + 1, sizeof(*cs));
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		if (build_one(b, &cfgs[i], snap, &cs[i]) < 0)
			rc = -1;
	if (!rc)
		relate(b, cs, n);
	*out = cs;
	return rc;
}

void collections_free(struct coll *cs, size_t n)
{
	if (!cs)
		return;
	for (size_t i = 0; i < n; i++)
		strmap_free(cs[i].index);
	free(cs);
}

bool cond_match(const struct coll *c, const struct crow *r, const struct cond *conds,
		size_t n, int64_t now)
{
	struct cbuild b;
	struct rt x;
	bool ok;

	memset(&b, 0, sizeof(b));
	memset(&x, 0, sizeof(x));
	b.now = now;
	x.b = &b;
	x.cfg = c->cfg;
	x.t = c->t;
	x.keycol = table_col(c->t, c->cfg->key);
	strbuf_init(&x.scratch);
	/* joins are not available here: listing conditions name table columns */
	ok = conds_pass(&x, r->row, conds, n);
	strbuf_release(&x.scratch);
	return ok;
}
