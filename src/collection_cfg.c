/* The "collections" part of presetgen.yaml. Every key is checked; names that
 * refer to fields, columns or other collections are checked against them. */
#include "arena.h"
#include "collection.h"
#include "diag.h"
#include "mustache.h"
#include "strbuf.h"
#include "tz.h"
#include "util.h"
#include "yamldoc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct cp {
	struct ydoc *y;
	struct arena *a;
	int rc;
};

static const char *str(struct cp *p, yaml_node_t *n, const char *what)
{
	const char *s = ydoc_scalar(n);

	if (!s || !strcmp(ydoc_describe(n), "null") || !*s) {
		p->rc = ydoc_error(p->y, n, "expected a string for '%s', found %s", what,
				   ydoc_describe(n));
		return NULL;
	}
	return arena_strdup(p->a, s);
}

static long posint(struct cp *p, yaml_node_t *n, const char *what)
{
	const char *s = ydoc_scalar(n);
	char *end;
	long v;

	errno = 0;
	v = s && ydoc_is_plain(n) ? strtol(s, &end, 10) : -1;
	if (!s || !ydoc_is_plain(n) || errno || !*s || *end || v < 1 || v > 1000000) {
		p->rc = ydoc_error(p->y, n, "expected a whole number from 1 to 1000000 for '%s', "
				   "found %s", what, ydoc_describe(n));
		return 0;
	}
	return v;
}

/* A string or a list of strings. */
static const char **strs(struct cp *p, yaml_node_t *n, const char *what, size_t *count)
{
	const char **out;
	size_t k = 0;

	if (n->type == YAML_SCALAR_NODE) {
		const char *s = str(p, n, what);

		if (!s)
			return NULL;
		out = arena_alloc(p->a, sizeof(*out));
		out[0] = s;
		*count = 1;
		return out;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		p->rc = ydoc_error(p->y, n, "expected a string or a list of strings for '%s', "
				   "found %s", what, ydoc_describe(n));
		return NULL;
	}
	out = arena_alloc(p->a, sizeof(*out) *
			  (size_t)(n->data.sequence.items.top - n->data.sequence.items.start + 1));
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = ydoc_node(p->y, *it);
		const char *s = ydoc_scalar(e);

		if (!s || e->type != YAML_SCALAR_NODE) {
			p->rc = ydoc_error(p->y, e, "expected a string in '%s', found %s", what,
					   ydoc_describe(e));
			continue;
		}
		/* PostgreSQL's text output for booleans */
		if (ydoc_is_plain(e) && !strcmp(s, "true"))
			s = "t";
		else if (ydoc_is_plain(e) && !strcmp(s, "false"))
			s = "f";
		out[k++] = arena_strdup(p->a, s);
	}
	*count = k;
	return out;
}

/* Iterates the pairs of a mapping node, after checking it is one. */
static bool is_map(struct cp *p, yaml_node_t *map, const char *what)
{
	if (map->type == YAML_MAPPING_NODE)
		return true;
	p->rc = ydoc_error(p->y, map, "expected a mapping for '%s', found %s", what,
			   ydoc_describe(map));
	return false;
}

#define FOR_PAIRS(p, map, what, pair) \
	if (is_map((p), (map), (what))) \
		for (yaml_node_pair_t *pair = (map)->data.mapping.pairs.start; \
		     pair < (map)->data.mapping.pairs.top; pair++)

static void unknown(struct cp *p, yaml_node_t *k, const char *key, const char *what,
		    const char *expected)
{
	p->rc = ydoc_error(p->y, k, "unknown key '%s' in '%s': expected one of %s",
			   key ? key : "?", what, expected);
}

static bool parse_type(const char *s, struct field_cfg *f)
{
	static const struct { const char *name; enum ftype t; } types[] = {
		{ "text", FT_TEXT }, { "integer", FT_INTEGER }, { "numeric", FT_NUMERIC },
		{ "boolean", FT_BOOLEAN }, { "uuid", FT_UUID }, { "date", FT_DATE },
		{ "timestamptz", FT_TIMESTAMPTZ }, { "text[]", FT_TEXT_ARRAY }, { "jsonb", FT_JSONB },
		{ "url", FT_URL }, { "markdown", FT_MARKDOWN },
	};

	f->scale = 0;
	if (!strncmp(s, "numeric(", 8)) {
		int prec, scale;
		char close;

		if (sscanf(s + 8, "%d,%d%c", &prec, &scale, &close) == 3 && close == ')' &&
		    prec > 0 && prec <= 1000 && scale >= 0 && scale <= prec &&
		    s[strlen(s) - 1] == ')') {
			f->type = FT_NUMERIC;
			f->scale = scale;
			return true;
		}
		return false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (!strcmp(s, types[i].name)) {
			f->type = types[i].t;
			return true;
		}
	return false;
}

static int64_t parse_at(struct cp *p, yaml_node_t *n, bool *now)
{
	const char *s = ydoc_scalar(n);
	int64_t us = 0;

	*now = false;
	if (s && !strcmp(s, "now")) {
		*now = true;
		return 0;
	}
	if (!s || !ts_parse(s, strlen(s), &us))
		p->rc = ydoc_error(p->y, n, "expected 'now' or a timestamp such as "
				   "2026-03-14T10:00:00+00:00, found %s", ydoc_describe(n));
	return us;
}

/* where: {col: VALUE, col: {not_in: [...]}, col: {not_before: now}, col: null} */
static struct cond *parse_where(struct cp *p, yaml_node_t *map, const char *what, size_t *n)
{
	size_t cnt = map->type == YAML_MAPPING_NODE ?
		     (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start) : 0;
	struct cond *c = arena_calloc(p->a, (cnt + 1) * sizeof(*c));
	size_t k = 0;

	*n = 0;
	FOR_PAIRS(p, map, what, pr_kn) {
			yaml_node_t *kn = ydoc_node((p)->y, pr_kn->key);
			yaml_node_t *vn = ydoc_node((p)->y, pr_kn->value);
			const char *key = ydoc_scalar(kn);

struct cond *x = &c[k];

		if (!key) {
			p->rc = ydoc_error(p->y, kn, "expected a column name in '%s'", what);
			continue;
		}
		x->col = arena_strdup(p->a, key);
		if (vn->type == YAML_SCALAR_NODE) {
			if (!strcmp(ydoc_describe(vn), "null")) {
				x->op = COP_NULL;
			} else {
				x->op = COP_EQ;
				x->vals = strs(p, vn, what, &x->nvals);
			}
			k++;
			continue;
		}
		if (vn->type != YAML_MAPPING_NODE ||
		    vn->data.mapping.pairs.top - vn->data.mapping.pairs.start != 1) {
			p->rc = ydoc_error(p->y, vn, "expected a value or one of {not: V}, {in: [...]}, "
					   "{not_in: [...]}, {null: true|false}, {before: now}, "
					   "{not_before: now} for '%s.%s'", what, key);
			continue;
		}
		{
			yaml_node_pair_t *pp = vn->data.mapping.pairs.start;
			yaml_node_t *ok = ydoc_node(p->y, pp->key), *ov = ydoc_node(p->y, pp->value);
			const char *op = ydoc_scalar(ok);

			if (op && !strcmp(op, "not")) {
				x->op = COP_NE;
				x->vals = strs(p, ov, what, &x->nvals);
			} else if (op && !strcmp(op, "in")) {
				x->op = COP_IN;
				x->vals = strs(p, ov, what, &x->nvals);
			} else if (op && !strcmp(op, "not_in")) {
				x->op = COP_NOT_IN;
				x->vals = strs(p, ov, what, &x->nvals);
			} else if (op && !strcmp(op, "null")) {
				const char *b = ydoc_scalar(ov);

				if (!b || (strcmp(b, "true") && strcmp(b, "false")))
					p->rc = ydoc_error(p->y, ov, "expected true or false for "
							   "'%s.%s.null'", what, key);
				x->op = b && !strcmp(b, "false") ? COP_NOT_NULL : COP_NULL;
			} else if (op && !strcmp(op, "before")) {
				x->op = COP_BEFORE;
				x->at = parse_at(p, ov, &x->now);
			} else if (op && !strcmp(op, "not_before")) {
				x->op = COP_NOT_BEFORE;
				x->at = parse_at(p, ov, &x->now);
			} else {
				unknown(p, ok, op, what, "not, in, not_in, null, before, not_before");
				continue;
			}
		}
		k++;
	}
	*n = k;
	return c;
}

static struct rel_cfg *parse_rels(struct cp *p, yaml_node_t *map, const char *what,
				  bool many, size_t *n)
{
	size_t cnt = map->type == YAML_MAPPING_NODE ?
		     (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start) : 0;
	struct rel_cfg *r = arena_calloc(p->a, (cnt + 1) * sizeof(*r));
	size_t k = 0;

	*n = 0;
	FOR_PAIRS(p, map, what, pr_kn) {
			yaml_node_t *kn = ydoc_node((p)->y, pr_kn->key);
			yaml_node_t *vn = ydoc_node((p)->y, pr_kn->value);
			const char *name = ydoc_scalar(kn);

struct rel_cfg *x = &r[k];

		if (!name)
			continue;
		x->name = arena_strdup(p->a, name);
		FOR_PAIRS(p, vn, what, pr_k2) {
				yaml_node_t *k2 = ydoc_node((p)->y, pr_k2->key);
				yaml_node_t *v2 = ydoc_node((p)->y, pr_k2->value);
				const char *key = ydoc_scalar(k2);

if (key && !strcmp(key, "collection"))
				x->collection = str(p, v2, what);
			else if (key && !strcmp(key, "field"))
				x->fields = strs(p, v2, what, &x->nfields);
			else if (key && !strcmp(key, "limit") && many)
				x->limit = posint(p, v2, what);
			else
				unknown(p, k2, key, what, many ? "collection, field, limit"
							       : "collection, field");
		}
		if (!x->collection || !x->nfields) {
			p->rc = ydoc_error(p->y, vn, "'%s.%s' needs 'collection' and 'field'", what, name);
			continue;
		}
		if (!many && x->nfields != 1) {
			p->rc = ydoc_error(p->y, vn, "'%s.%s' takes one field", what, name);
			continue;
		}
		k++;
	}
	*n = k;
	return r;
}

static void parse_collection(struct cp *p, const char *name, yaml_node_t *map,
			     struct collection_cfg *c)
{
	struct strbuf what = STRBUF_INIT;

	memset(c, 0, sizeof(*c));
	c->name = arena_strdup(p->a, name);
	c->key = "id";
	c->per_page = 12;
	strbuf_addf(&what, "collections.%s", name);
	FOR_PAIRS(p, map, what.buf, pr_kn) {
			yaml_node_t *kn = ydoc_node((p)->y, pr_kn->key);
			yaml_node_t *vn = ydoc_node((p)->y, pr_kn->value);
			const char *key = ydoc_scalar(kn);

if (!key) {
			unknown(p, kn, key, what.buf, "");
		} else if (!strcmp(key, "table")) {
			c->table = str(p, vn, "table");
		} else if (!strcmp(key, "key")) {
			c->key = str(p, vn, "key");
		} else if (!strcmp(key, "where")) {
			c->where = parse_where(p, vn, "where", &c->nwhere);
		} else if (!strcmp(key, "join")) {
			size_t cnt = vn->type == YAML_MAPPING_NODE ?
				     (size_t)(vn->data.mapping.pairs.top - vn->data.mapping.pairs.start) : 0;

			c->joins = arena_calloc(p->a, (cnt + 1) * sizeof(*c->joins));
			FOR_PAIRS(p, vn, "join", pr_k2) {
					yaml_node_t *k2 = ydoc_node((p)->y, pr_k2->key);
					yaml_node_t *v2 = ydoc_node((p)->y, pr_k2->value);
					const char *jname = ydoc_scalar(k2);

struct join_cfg *j = &c->joins[c->njoins];

				j->name = arena_strdup(p->a, jname ? jname : "?");
				FOR_PAIRS(p, v2, "join", pr_k3) {
						yaml_node_t *k3 = ydoc_node((p)->y, pr_k3->key);
						yaml_node_t *v3 = ydoc_node((p)->y, pr_k3->value);
						const char *jk = ydoc_scalar(k3);

if (jk && !strcmp(jk, "table"))
						j->table = str(p, v3, "join.table");
					else if (jk && !strcmp(jk, "match"))
						j->match = str(p, v3, "join.match");
					else if (jk && !strcmp(jk, "column"))
						j->column = str(p, v3, "join.column");
					else
						unknown(p, k3, jk, "join", "table, match, column");
				}
				if (!j->table || !j->match || !j->column)
					p->rc = ydoc_error(p->y, v2, "join '%s' needs table, match and column",
							   j->name);
				else
					c->njoins++;
			}
		} else if (!strcmp(key, "fields")) {
			size_t cnt = vn->type == YAML_MAPPING_NODE ?
				     (size_t)(vn->data.mapping.pairs.top - vn->data.mapping.pairs.start) : 0;

			c->fields = arena_calloc(p->a, (cnt + 1) * sizeof(*c->fields));
			FOR_PAIRS(p, vn, "fields", pr_k2) {
					yaml_node_t *k2 = ydoc_node((p)->y, pr_k2->key);
					yaml_node_t *v2 = ydoc_node((p)->y, pr_k2->value);
					const char *fname = ydoc_scalar(k2);

struct field_cfg *f = &c->fields[c->nfields];
				const char *t = ydoc_scalar(v2);

				if (!fname)
					continue;
				f->name = arena_strdup(p->a, fname);
				if (!t || !parse_type(t, f)) {
					p->rc = ydoc_error(p->y, v2, "unknown type for field '%s': expected "
							   "text, integer, numeric(P,S), boolean, uuid, date, "
							   "timestamptz, text[], jsonb, url or markdown", fname);
					continue;
				}
				if (f->type == FT_NUMERIC && strncmp(t, "numeric(", 8)) {
					p->rc = ydoc_error(p->y, v2, "field '%s': write numeric with its "
							   "precision and scale, as numeric(10,2), so that "
							   "every snapshot form prints it alike", fname);
					continue;
				}
				c->nfields++;
			}
		} else if (!strcmp(key, "private")) {
			c->has_private = true;
			FOR_PAIRS(p, vn, "private", pr_k2) {
					yaml_node_t *k2 = ydoc_node((p)->y, pr_k2->key);
					yaml_node_t *v2 = ydoc_node((p)->y, pr_k2->value);
					const char *pk = ydoc_scalar(k2);

if (pk && !strcmp(pk, "when"))
					c->private_when = parse_where(p, v2, "private.when", &c->nprivate_when);
				else if (pk && !strcmp(pk, "fields"))
					c->private_fields = strs(p, v2, "private.fields", &c->nprivate_fields);
				else
					unknown(p, k2, pk, "private", "when, fields");
			}
		} else if (!strcmp(key, "sort")) {
			size_t cnt = 0;
			const char **keys = strs(p, vn, "sort", &cnt);

			c->sort = arena_calloc(p->a, (cnt + 1) * sizeof(*c->sort));
			for (size_t i = 0; keys && i < cnt; i++) {
				c->sort[i].desc = keys[i][0] == '-';
				c->sort[i].field = keys[i] + (keys[i][0] == '-' || keys[i][0] == '+');
			}
			c->nsort = cnt;
		} else if (!strcmp(key, "belongs_to")) {
			c->belongs = parse_rels(p, vn, "belongs_to", false, &c->nbelongs);
		} else if (!strcmp(key, "has_many")) {
			c->has_many = parse_rels(p, vn, "has_many", true, &c->nhas_many);
		} else if (!strcmp(key, "labels")) {
			size_t cnt = vn->type == YAML_MAPPING_NODE ?
				     (size_t)(vn->data.mapping.pairs.top - vn->data.mapping.pairs.start) : 0;

			c->labels = arena_calloc(p->a, (cnt + 1) * sizeof(*c->labels));
			FOR_PAIRS(p, vn, "labels", pr_k2) {
					yaml_node_t *k2 = ydoc_node((p)->y, pr_k2->key);
					yaml_node_t *v2 = ydoc_node((p)->y, pr_k2->value);
					const char *field = ydoc_scalar(k2);

struct label_cfg *l = &c->labels[c->nlabels];
				size_t m = v2->type == YAML_MAPPING_NODE ?
					   (size_t)(v2->data.mapping.pairs.top - v2->data.mapping.pairs.start) : 0;

				l->field = arena_strdup(p->a, field ? field : "?");
				l->keys = arena_alloc(p->a, (m + 1) * sizeof(*l->keys));
				l->vals = arena_alloc(p->a, (m + 1) * sizeof(*l->vals));
				FOR_PAIRS(p, v2, "labels", pr_k3) {
						yaml_node_t *k3 = ydoc_node((p)->y, pr_k3->key);
						yaml_node_t *v3 = ydoc_node((p)->y, pr_k3->value);
						const char *lk = ydoc_scalar(k3);

const char *lv = str(p, v3, "labels");

					if (!lk || !lv)
						continue;
					if (!strcmp(lk, "_null")) {
						l->null_label = lv;
						continue;
					}
					l->keys[l->n] = arena_strdup(p->a, lk);
					l->vals[l->n++] = lv;
				}
				c->nlabels++;
			}
		} else if (!strcmp(key, "page")) {
			FOR_PAIRS(p, vn, "page", pr_k2) {
					yaml_node_t *k2 = ydoc_node((p)->y, pr_k2->key);
					yaml_node_t *v2 = ydoc_node((p)->y, pr_k2->value);
					const char *pk = ydoc_scalar(k2);

if (pk && !strcmp(pk, "url"))
					c->page_url = str(p, v2, "page.url");
				else if (pk && !strcmp(pk, "template"))
					c->page_template = str(p, v2, "page.template");
				else if (pk && !strcmp(pk, "title"))
					c->page_title = str(p, v2, "page.title");
				else if (pk && !strcmp(pk, "description"))
					c->page_description = str(p, v2, "page.description");
				else if (pk && !strcmp(pk, "lastmod"))
					c->lastmod = str(p, v2, "page.lastmod");
				else
					unknown(p, k2, pk, "page", "url, template, title, description, lastmod");
			}
			if (!c->page_url || !c->page_template || !c->page_title)
				p->rc = ydoc_error(p->y, vn, "'%s.page' needs url, template and title", what.buf);
		} else if (!strcmp(key, "listing")) {
			FOR_PAIRS(p, vn, "listing", pr_k2) {
					yaml_node_t *k2 = ydoc_node((p)->y, pr_k2->key);
					yaml_node_t *v2 = ydoc_node((p)->y, pr_k2->value);
					const char *lk = ydoc_scalar(k2);

if (lk && !strcmp(lk, "url"))
					c->list_url = str(p, v2, "listing.url");
				else if (lk && !strcmp(lk, "template"))
					c->list_template = str(p, v2, "listing.template");
				else if (lk && !strcmp(lk, "title"))
					c->list_title = str(p, v2, "listing.title");
				else if (lk && !strcmp(lk, "per_page"))
					c->per_page = posint(p, v2, "listing.per_page");
				else if (lk && !strcmp(lk, "where"))
					c->list_where = parse_where(p, v2, "listing.where", &c->nlist_where);
				else
					unknown(p, k2, lk, "listing", "url, template, title, per_page, where");
			}
			if (!c->list_url || !c->list_template || !c->list_title)
				p->rc = ydoc_error(p->y, vn, "'%s.listing' needs url, template and title",
						   what.buf);
		} else if (!strcmp(key, "groups")) {
			size_t cnt = vn->type == YAML_MAPPING_NODE ?
				     (size_t)(vn->data.mapping.pairs.top - vn->data.mapping.pairs.start) : 0;

			c->groups = arena_calloc(p->a, (cnt + 1) * sizeof(*c->groups));
			FOR_PAIRS(p, vn, "groups", pr_k2) {
					yaml_node_t *k2 = ydoc_node((p)->y, pr_k2->key);
					yaml_node_t *v2 = ydoc_node((p)->y, pr_k2->value);
					const char *gname = ydoc_scalar(k2);

struct group_cfg *g = &c->groups[c->ngroups];

				g->name = arena_strdup(p->a, gname ? gname : "?");
				g->per_page = 0;
				FOR_PAIRS(p, v2, "groups", pr_k3) {
						yaml_node_t *k3 = ydoc_node((p)->y, pr_k3->key);
						yaml_node_t *v3 = ydoc_node((p)->y, pr_k3->value);
						const char *gk = ydoc_scalar(k3);

if (gk && !strcmp(gk, "field"))
						g->field = str(p, v3, "groups.field");
					else if (gk && !strcmp(gk, "url"))
						g->url = str(p, v3, "groups.url");
					else if (gk && !strcmp(gk, "template"))
						g->template = str(p, v3, "groups.template");
					else if (gk && !strcmp(gk, "title"))
						g->title = str(p, v3, "groups.title");
					else if (gk && !strcmp(gk, "per_page"))
						g->per_page = posint(p, v3, "groups.per_page");
					else
						unknown(p, k3, gk, "groups", "field, url, template, title, per_page");
				}
				if (!g->field || !g->url || !g->template || !g->title)
					p->rc = ydoc_error(p->y, v2, "group '%s' needs field, url, template "
							   "and title", g->name);
				else if (!strstr(g->url, "{slug}"))
					p->rc = ydoc_error(p->y, v2, "group '%s': its url needs {slug}", g->name);
				else
					c->ngroups++;
			}
		} else {
			unknown(p, kn, key, what.buf, "table, key, where, join, fields, private, sort, "
				"belongs_to, has_many, labels, page, listing, groups");
		}
	}
	if (!c->table)
		p->rc = ydoc_error(p->y, map, "'%s' needs a table", what.buf);
	if (!c->nfields)
		p->rc = ydoc_error(p->y, map, "'%s' needs fields: what templates may see", what.buf);
	strbuf_release(&what);
}

static const struct field_cfg *find_field(const struct collection_cfg *c, const char *name)
{
	for (size_t i = 0; i < c->nfields; i++)
		if (!strcmp(c->fields[i].name, name))
			return &c->fields[i];
	return NULL;
}

static bool url_ok(const char *u)
{
	size_t n = strlen(u);

	return n && u[0] == '/' && u[n - 1] == '/' && !strstr(u, "//") && !strstr(u, "/../") &&
	       !strstr(u, "/./");
}

/* Checks names that refer elsewhere, once every collection is parsed. */
static void check_refs(struct cp *p, yaml_node_t *node, struct collection_cfg *cs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct collection_cfg *c = &cs[i];
		yaml_node_t *at = node;
		const char *bad = NULL;

#define NEED_FIELD(nm, kind) do { \
		if ((nm) && !find_field(c, (nm))) { \
			p->rc = ydoc_error(p->y, at, "collections.%s: %s '%s' is not one of its fields", \
					   c->name, (kind), (nm)); \
		} \
	} while (0)
		for (size_t k = 0; k < c->nsort; k++)
			NEED_FIELD(c->sort[k].field, "sort key");
		for (size_t k = 0; k < c->nprivate_fields; k++)
			NEED_FIELD(c->private_fields[k], "private field");
		for (size_t k = 0; k < c->nlabels; k++)
			NEED_FIELD(c->labels[k].field, "labelled field");
		NEED_FIELD(c->page_title, "page title");
		NEED_FIELD(c->page_description, "page description");
		NEED_FIELD(c->lastmod, "page lastmod");
		for (size_t k = 0; k < c->ngroups; k++)
			NEED_FIELD(c->groups[k].field, "group field");
#undef NEED_FIELD
		if (c->lastmod && find_field(c, c->lastmod)->type != FT_TIMESTAMPTZ)
			p->rc = ydoc_error(p->y, at, "collections.%s: page lastmod '%s' must be a "
					   "timestamptz field", c->name, c->lastmod);
		if (c->page_url) {
			if (!url_ok(c->page_url))
				bad = c->page_url;
			for (const char *s = strchr(c->page_url, '{'); s; s = strchr(s + 1, '{')) {
				const char *e = strchr(s, '}');
				char *f = e ? arena_strndup(p->a, s + 1, (size_t)(e - s - 1)) : NULL;

				if (!f || !find_field(c, f))
					p->rc = ydoc_error(p->y, at, "collections.%s: page url '%s' names "
							   "'%s', which is not one of its fields", c->name,
							   c->page_url, f ? f : s);
			}
		}
		if (c->list_url && !url_ok(c->list_url))
			bad = c->list_url;
		for (size_t k = 0; k < c->ngroups; k++)
			if (!url_ok(c->groups[k].url))
				bad = c->groups[k].url;
		if (bad)
			p->rc = ydoc_error(p->y, at, "collections.%s: the url '%s' must start and end "
					   "with '/'", c->name, bad);
		if (c->page_template && !mustache_name_is_safe(c->page_template))
			p->rc = ydoc_error(p->y, at, "collections.%s: '%s' is not a template name",
					   c->name, c->page_template);
		for (size_t k = 0; k < c->nbelongs + c->nhas_many; k++) {
			const struct rel_cfg *r = k < c->nbelongs ? &c->belongs[k]
								   : &c->has_many[k - c->nbelongs];
			size_t m;

			for (m = 0; m < n; m++)
				if (!strcmp(cs[m].name, r->collection))
					break;
			if (m == n)
				p->rc = ydoc_error(p->y, at, "collections.%s: '%s' refers to the "
						   "collection '%s', which is not defined", c->name,
						   r->name, r->collection);
		}
	}
}

int collections_parse(struct ydoc *y, yaml_node_t *node, struct arena *a,
		      struct collection_cfg **out, size_t *n)
{
	struct cp p = { y, a, 0 };
	size_t cnt = node->type == YAML_MAPPING_NODE ?
		     (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start) : 0;
	struct collection_cfg *cs = arena_calloc(a, (cnt + 1) * sizeof(*cs));
	size_t k = 0;

	FOR_PAIRS(&p, node, "collections", pr_kn) {
			yaml_node_t *kn = ydoc_node((&p)->y, pr_kn->key);
			yaml_node_t *vn = ydoc_node((&p)->y, pr_kn->value);
			const char *name = ydoc_scalar(kn);

if (!name) {
			p.rc = ydoc_error(y, kn, "expected a collection name");
			continue;
		}
		for (size_t i = 0; i < k; i++)
			if (!strcmp(cs[i].name, name))
				p.rc = ydoc_error(y, kn, "duplicate collection '%s'", name);
		parse_collection(&p, name, vn, &cs[k++]);
	}
	if (!p.rc)
		check_refs(&p, node, cs, k);
	*out = cs;
	*n = k;
	return p.rc ? -1 : 0;
}
