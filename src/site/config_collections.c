/* The "collections" part of presetgen.yaml, read by the same table-driven
 * reader as the rest of the file. Names that refer to fields, columns or
 * other collections are checked once everything is read, each at the line
 * and column where it was written. */
#include "internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLL(field) offsetof(struct collection_cfg, field)
#define AT(field) (offsetof(struct collection_cfg, field) + 1)

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

static int where_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct collection_cfg *c = base;

	return read_where(r, v, &c->where, &c->nwhere, what);
}

static int list_where_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct collection_cfg *c = base;

	return read_where(r, v, &c->list_where, &c->nlist_where, what);
}

static int private_when_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct collection_cfg *c = base;

	return read_where(r, v, &c->private_when, &c->nprivate_when, what);
}

/* ---- name-keyed mappings: join, fields, belongs_to, has_many, labels, groups */

/* A name-keyed mapping read into an array of items of size bytes. */
struct named {
	struct collection_cfg *c;
	void *items;
	size_t n, size;
	const char *what;
};

static void *named_start(struct yread *r, struct named *nm, const struct ynode *v, size_t size)
{
	nm->size = size;
	nm->n = 0;
	nm->items = arena_calloc(r->a, (ynode_type(v) == YN_MAP ? ynode_count(v) + 1 : 1) * size);
	return nm->items;
}

static void *named_next(struct named *nm)
{
	return (char *)nm->items + nm->n * nm->size;
}

static const struct ykey join_keys[] = {
	{ .name = "table", .type = YK_NAME, .off = offsetof(struct join_cfg, table), .required = true },
	{ .name = "match", .type = YK_NAME, .off = offsetof(struct join_cfg, match), .required = true },
	{ .name = "column", .type = YK_NAME, .off = offsetof(struct join_cfg, column), .required = true },
};

static int read_join(struct yread *r, const char *key, const struct ynode *k,
		     const struct ynode *v, void *ud)
{
	struct named *nm = ud;
	struct join_cfg *j = named_next(nm);

	j->name = arena_strdup(r->a, key);
	if (yread_map(r, v, nm->what, join_keys, ARRAY_SIZE(join_keys), j) < 0)
		return -1;
	ynode_pos(r->y, k, &j->at);
	nm->n++;
	return 0;
}

static int join_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct collection_cfg *c = base;
	struct named nm = { c, NULL, 0, 0, what };
	int rc;

	c->joins = named_start(r, &nm, v, sizeof(*c->joins));
	rc = yread_each(r, v, what, read_join, &nm);
	c->njoins = nm.n;
	return rc;
}

static int read_field(struct yread *r, const char *key, const struct ynode *k,
		      const struct ynode *v, void *ud)
{
	struct named *nm = ud;
	struct field_cfg *f = named_next(nm);
	const char *t = ynode_scalar(v);

	(void)k;
	f->name = arena_strdup(r->a, key);
	ynode_pos(r->y, k, &f->at);
	if (!t || !parse_type(t, f))
		return ydoc_error(r->y, v, "unknown type for field '%s': expected text, integer, "
				  "numeric(P,S), boolean, uuid, date, timestamptz, text[], jsonb, "
				  "url or markdown", key);
	if (f->type == FT_NUMERIC && strncmp(t, "numeric(", 8))
		return ydoc_error(r->y, v, "field '%s': write numeric with its precision and "
				  "scale, as numeric(10,2), so that every snapshot form prints it "
				  "alike", key);
	nm->n++;
	return 0;
}

static int fields_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct collection_cfg *c = base;
	struct named nm = { c, NULL, 0, 0, what };
	int rc;

	c->fields = named_start(r, &nm, v, sizeof(*c->fields));
	rc = yread_each(r, v, what, read_field, &nm);
	c->nfields = nm.n;
	return rc;
}

static const struct ykey belongs_keys[] = {
	{ .name = "collection", .type = YK_NAME, .off = offsetof(struct rel_cfg, collection),
	  .required = true },
	{ .name = "field", .type = YK_STRINGS, .off = offsetof(struct rel_cfg, fields),
	  .count_off = offsetof(struct rel_cfg, nfields), .required = true },
};

static const struct ykey has_many_keys[] = {
	{ .name = "collection", .type = YK_NAME, .off = offsetof(struct rel_cfg, collection),
	  .required = true },
	{ .name = "field", .type = YK_STRINGS, .off = offsetof(struct rel_cfg, fields),
	  .count_off = offsetof(struct rel_cfg, nfields), .required = true },
	{ .name = "limit", .type = YK_INT, .off = offsetof(struct rel_cfg, limit), .min = 1,
	  .max = 1000000 },
};

static int read_rel(struct yread *r, const char *key, const struct ynode *k,
		    const struct ynode *v, void *ud, bool many)
{
	struct named *nm = ud;
	struct rel_cfg *x = named_next(nm);

	x->name = arena_strdup(r->a, key);
	ynode_pos(r->y, k, &x->at);
	if (yread_map(r, v, nm->what, many ? has_many_keys : belongs_keys,
		      many ? ARRAY_SIZE(has_many_keys) : ARRAY_SIZE(belongs_keys), x) < 0)
		return -1;
	if (!many && x->nfields != 1)
		return ydoc_error(r->y, v, "'%s.%s' takes one field", nm->what, key);
	nm->n++;
	return 0;
}

static int read_belongs(struct yread *r, const char *key, const struct ynode *k,
			const struct ynode *v, void *ud)
{
	return read_rel(r, key, k, v, ud, false);
}

static int read_has_many(struct yread *r, const char *key, const struct ynode *k,
			 const struct ynode *v, void *ud)
{
	return read_rel(r, key, k, v, ud, true);
}

static int belongs_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct collection_cfg *c = base;
	struct named nm = { c, NULL, 0, 0, what };
	int rc;

	c->belongs = named_start(r, &nm, v, sizeof(*c->belongs));
	rc = yread_each(r, v, what, read_belongs, &nm);
	c->nbelongs = nm.n;
	return rc;
}

static int has_many_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct collection_cfg *c = base;
	struct named nm = { c, NULL, 0, 0, what };
	int rc;

	c->has_many = named_start(r, &nm, v, sizeof(*c->has_many));
	rc = yread_each(r, v, what, read_has_many, &nm);
	c->nhas_many = nm.n;
	return rc;
}

/* One label: a value's text and what to show for it (_null: for NULL). */
static int read_label(struct yread *r, const char *key, const struct ynode *k,
		      const struct ynode *v, void *ud)
{
	struct label_cfg *l = ud;
	const char *text = yread_name(r, v, "labels");

	if (!text)
		return -1;
	if (!strcmp(key, "_null")) {
		l->null_label = text;
		return 0;
	}
	if (strpbrk(key, ". \t{}"))
		ydoc_warning(r->y, k, "labels: a template cannot name the flag %s_is.%s (a name "
			     "holds no '.', space or brace): the label still works", l->field, key);
	l->keys[l->n] = arena_strdup(r->a, key);
	l->vals[l->n++] = text;
	return 0;
}

static int read_labels(struct yread *r, const char *key, const struct ynode *k,
		       const struct ynode *v, void *ud)
{
	struct named *nm = ud;
	struct label_cfg *l = named_next(nm);
	size_t m = ynode_type(v) == YN_MAP ? ynode_count(v) : 0;
	struct strbuf what = STRBUF_INIT;
	int rc;

	l->field = arena_strdup(r->a, key);
	ynode_pos(r->y, k, &l->at);
	l->keys = arena_alloc(r->a, (m + 1) * sizeof(*l->keys));
	l->vals = arena_alloc(r->a, (m + 1) * sizeof(*l->vals));
	strbuf_addf(&what, "%s.%s", nm->what, key);
	rc = yread_each(r, v, what.buf, read_label, l);
	strbuf_release(&what);
	nm->n++;
	return rc;
}

static int labels_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct collection_cfg *c = base;
	struct named nm = { c, NULL, 0, 0, what };
	int rc;

	c->labels = named_start(r, &nm, v, sizeof(*c->labels));
	rc = yread_each(r, v, what, read_labels, &nm);
	c->nlabels = nm.n;
	return rc;
}

static const struct ykey group_keys[] = {
	{ .name = "field", .type = YK_NAME, .off = offsetof(struct group_cfg, field), .required = true },
	{ .name = "url", .type = YK_NAME, .off = offsetof(struct group_cfg, url), .required = true },
	{ .name = "template", .type = YK_NAME, .off = offsetof(struct group_cfg, template),
	  .required = true, .at = offsetof(struct group_cfg, template_at) + 1 },
	{ .name = "title", .type = YK_NAME, .off = offsetof(struct group_cfg, title), .required = true },
	{ .name = "per_page", .type = YK_INT, .off = offsetof(struct group_cfg, per_page), .min = 1,
	  .max = 1000000 },
};

static int read_group(struct yread *r, const char *key, const struct ynode *k,
		      const struct ynode *v, void *ud)
{
	struct named *nm = ud;
	struct group_cfg *g = named_next(nm);
	struct strbuf what = STRBUF_INIT;
	int rc;

	g->name = arena_strdup(r->a, key);
	ynode_pos(r->y, k, &g->at);
	strbuf_addf(&what, "%s.%s", nm->what, key);
	rc = yread_map(r, v, what.buf, group_keys, ARRAY_SIZE(group_keys), g);
	strbuf_release(&what);
	if (rc < 0)
		return -1;
	if (!strstr(g->url, "{slug}"))
		return ydoc_error(r->y, v, "group '%s': its url needs {slug}", g->name);
	nm->n++;
	return 0;
}

static int groups_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct collection_cfg *c = base;
	struct named nm = { c, NULL, 0, 0, what };
	int rc;

	c->groups = named_start(r, &nm, v, sizeof(*c->groups));
	rc = yread_each(r, v, what, read_group, &nm);
	c->ngroups = nm.n;
	return rc;
}

/* ---- the collection itself ----------------------------------------------------- */

static int sort_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct collection_cfg *c = base;
	size_t cnt = 0;
	const char **keys;
	int rc = r->rc;

	r->rc = 0;
	keys = yread_strings(r, v, what, &cnt, false);
	if (r->rc < 0)
		return -1;
	r->rc = rc;
	c->sort = arena_calloc(r->a, (cnt + 1) * sizeof(*c->sort));
	for (size_t i = 0; i < cnt; i++) {
		c->sort[i].desc = keys[i][0] == '-';
		c->sort[i].field = keys[i] + (keys[i][0] == '-' || keys[i][0] == '+');
		ynode_pos(r->y, ynode_type(v) == YN_LIST ? ynode_item(r->y, v, i) : v, &c->sort[i].at);
	}
	c->nsort = cnt;
	return 0;
}

static const struct ykey private_keys[] = {
	{ .name = "when", .type = YK_CALL, .fn = private_when_fn },
	{ .name = "fields", .type = YK_STRINGS, .off = COLL(private_fields),
	  .count_off = COLL(nprivate_fields), .at = AT(private_fields_at) },
};

static int private_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	((struct collection_cfg *)base)->has_private = true;
	return yread_map(r, v, what, private_keys, ARRAY_SIZE(private_keys), base);
}

static const struct ykey page_keys[] = {
	{ .name = "url", .type = YK_NAME, .off = COLL(page_url), .required = true,
	  .at = AT(page_url_at) },
	{ .name = "template", .type = YK_NAME, .off = COLL(page_template), .required = true,
	  .at = AT(page_template_at) },
	{ .name = "title", .type = YK_NAME, .off = COLL(page_title), .required = true,
	  .at = AT(page_title_at) },
	{ .name = "description", .type = YK_NAME, .off = COLL(page_description),
	  .at = AT(page_description_at) },
	{ .name = "lastmod", .type = YK_NAME, .off = COLL(lastmod), .at = AT(lastmod_at) },
};

static int page_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	return yread_map(r, v, what, page_keys, ARRAY_SIZE(page_keys), base);
}

static const struct ykey listing_keys[] = {
	{ .name = "url", .type = YK_NAME, .off = COLL(list_url), .required = true,
	  .at = AT(list_url_at) },
	{ .name = "template", .type = YK_NAME, .off = COLL(list_template), .required = true,
	  .at = AT(list_template_at) },
	{ .name = "title", .type = YK_NAME, .off = COLL(list_title), .required = true },
	{ .name = "per_page", .type = YK_INT, .off = COLL(per_page), .min = 1, .max = 1000000 },
	{ .name = "where", .type = YK_CALL, .fn = list_where_fn },
};

static int listing_fn(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	return yread_map(r, v, what, listing_keys, ARRAY_SIZE(listing_keys), base);
}

static const struct ykey collection_keys[] = {
	{ .name = "table", .type = YK_NAME, .off = COLL(table), .required = true, .at = AT(table_at) },
	{ .name = "key", .type = YK_NAME, .off = COLL(key), .at = AT(key_at) },
	{ .name = "where", .type = YK_CALL, .fn = where_fn },
	{ .name = "join", .type = YK_CALL, .fn = join_fn },
	{ .name = "fields", .type = YK_CALL, .fn = fields_fn, .required = true },
	{ .name = "private", .type = YK_CALL, .fn = private_fn },
	{ .name = "sort", .type = YK_CALL, .fn = sort_fn, .at = AT(sort_at) },
	{ .name = "belongs_to", .type = YK_CALL, .fn = belongs_fn },
	{ .name = "has_many", .type = YK_CALL, .fn = has_many_fn },
	{ .name = "labels", .type = YK_CALL, .fn = labels_fn },
	{ .name = "page", .type = YK_CALL, .fn = page_fn },
	{ .name = "listing", .type = YK_CALL, .fn = listing_fn },
	{ .name = "groups", .type = YK_CALL, .fn = groups_fn },
};

struct colls {
	struct collection_cfg *cs;
	size_t n;
};

static int read_collection(struct yread *r, const char *key, const struct ynode *k,
			   const struct ynode *v, void *ud)
{
	struct colls *cl = ud;
	struct collection_cfg *c = &cl->cs[cl->n++];
	struct strbuf what = STRBUF_INIT;
	int rc;

	memset(c, 0, sizeof(*c));
	c->name = arena_strdup(r->a, key);
	c->key = "id";
	c->per_page = 12;
	ynode_pos(r->y, k, &c->at);
	strbuf_addf(&what, "collections.%s", key);
	rc = yread_map(r, v, what.buf, collection_keys, ARRAY_SIZE(collection_keys), c);
	strbuf_release(&what);
	return rc;
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

static void need_field(struct yread *r, const struct collection_cfg *c, const char *name,
		       const char *kind, const struct srcpos *at)
{
	if (name && !find_field(c, name)) {
		diag_error_at(ydoc_diag(r->y), at, "collections.%s: %s '%s' is not one of its "
			      "fields", c->name, kind, name);
		r->rc = -1;
	}
}

/* Whether pages at url (its {placeholders} filled with "x") are pages
 * Vercel serves, or its cleanUrls or trailingSlash would send them away. */
static void reachable(struct yread *r, const struct collection_cfg *c, const char *url,
		      const struct srcpos *at)
{
	struct strbuf sample = STRBUF_INIT, loc = STRBUF_INIT;
	const char *rule;

	for (const char *p = url; *p; p++) {
		const char *e = *p == '{' ? strchr(p, '}') : NULL;

		if (e) {
			strbuf_addch(&sample, 'x');
			p = e;
		} else {
			strbuf_addch(&sample, *p);
		}
	}
	rule = vercel_rule(sample.buf, &loc);
	if (rule)
		r->rc = diag_error_at(ydoc_diag(r->y), at, "collections.%s: Vercel's %s would "
				      "redirect pages at '%s' (%s to %s): they could not be reached",
				      c->name, rule, url, sample.buf, loc.buf);
	strbuf_release(&sample);
	strbuf_release(&loc);
}

static void check_urls(struct yread *r, const struct collection_cfg *c)
{
	struct diag *d = ydoc_diag(r->y);
	const char *s;

	if (c->page_url) {
		if (!url_ok(c->page_url))
			r->rc = diag_error_at(d, &c->page_url_at, "collections.%s: the url '%s' must "
					      "start and end with '/'", c->name, c->page_url);
		for (s = strchr(c->page_url, '{'); s; s = strchr(s + 1, '{')) {
			const char *e = strchr(s, '}');
			char *f = e ? arena_strndup(r->a, s + 1, (size_t)(e - s - 1)) : NULL;

			if (!f || !find_field(c, f))
				r->rc = diag_error_at(d, &c->page_url_at, "collections.%s: page url '%s' "
						      "names '%s', which is not one of its fields",
						      c->name, c->page_url, f ? f : s);
		}
	}
	if (c->list_url && !url_ok(c->list_url))
		r->rc = diag_error_at(d, &c->list_url_at, "collections.%s: the url '%s' must start "
				      "and end with '/'", c->name, c->list_url);
	for (size_t k = 0; k < c->ngroups; k++)
		if (!url_ok(c->groups[k].url))
			r->rc = diag_error_at(d, &c->groups[k].at, "collections.%s: the url '%s' must "
					      "start and end with '/'", c->name, c->groups[k].url);
	if (r->rc < 0)
		return;
	if (c->page_url)
		reachable(r, c, c->page_url, &c->page_url_at);
	if (c->list_url)
		reachable(r, c, c->list_url, &c->list_url_at);
	for (size_t k = 0; k < c->ngroups; k++)
		reachable(r, c, c->groups[k].url, &c->groups[k].at);
}

/* Names that refer elsewhere, once every collection is read. */
static void check_refs(struct yread *r, struct collection_cfg *cs, size_t n)
{
	struct diag *d = ydoc_diag(r->y);

	for (size_t i = 0; i < n; i++) {
		const struct collection_cfg *c = &cs[i];

		for (size_t k = 0; k < c->nsort; k++)
			need_field(r, c, c->sort[k].field, "sort key", &c->sort[k].at);
		for (size_t k = 0; k < c->nprivate_fields; k++)
			need_field(r, c, c->private_fields[k], "private field", &c->private_fields_at);
		for (size_t k = 0; k < c->nlabels; k++)
			need_field(r, c, c->labels[k].field, "labelled field", &c->labels[k].at);
		need_field(r, c, c->page_title, "page title", &c->page_title_at);
		need_field(r, c, c->page_description, "page description", &c->page_description_at);
		need_field(r, c, c->lastmod, "page lastmod", &c->lastmod_at);
		for (size_t k = 0; k < c->ngroups; k++)
			need_field(r, c, c->groups[k].field, "group field", &c->groups[k].at);
		if (c->lastmod && find_field(c, c->lastmod) &&
		    find_field(c, c->lastmod)->type != FT_TIMESTAMPTZ)
			r->rc = diag_error_at(d, &c->lastmod_at, "collections.%s: page lastmod '%s' "
					      "must be a timestamptz field", c->name, c->lastmod);
		check_urls(r, c);
		if (c->page_template && !mustache_name_is_safe(c->page_template))
			r->rc = diag_error_at(d, &c->page_template_at, "collections.%s: '%s' is not a "
					      "template name", c->name, c->page_template);
		for (size_t k = 0; k < c->nbelongs + c->nhas_many; k++) {
			const struct rel_cfg *rl = k < c->nbelongs ? &c->belongs[k]
								    : &c->has_many[k - c->nbelongs];
			size_t m;

			for (m = 0; m < n; m++)
				if (!strcmp(cs[m].name, rl->collection))
					break;
			if (m == n)
				r->rc = diag_error_at(d, &rl->at, "collections.%s: '%s' refers to the "
						      "collection '%s', which is not defined", c->name,
						      rl->name, rl->collection);
		}
	}
}

int config_collections(struct yread *r, const struct ynode *node,
		       struct collection_cfg **out, size_t *n)
{
	struct colls cl;
	int rc = r->rc;

	cl.cs = arena_calloc(r->a, (ynode_type(node) == YN_MAP ? ynode_count(node) + 1 : 1) *
				   sizeof(*cl.cs));
	cl.n = 0;
	r->rc = 0;
	yread_each(r, node, "collections", read_collection, &cl);
	if (!r->rc)
		check_refs(r, cl.cs, cl.n);
	*out = cl.cs;
	*n = cl.n;
	if (r->rc < 0)
		return -1;
	r->rc = rc;
	return 0;
}
