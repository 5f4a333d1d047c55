/* collection: database tables published as pages. presetgen.yaml says which
 * table, which rows are public (where), which fields a template may see
 * (deny by default), their types, how rows sort, relate, and which pages
 * they make: one per row, a paginated listing, and paginated groups. */
#ifndef PRESETGEN_COLLECTION_H
#define PRESETGEN_COLLECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

struct arena;
struct diag;
struct ydoc;
struct snapshot;
struct snapshot_need;
struct table;
struct tz;
struct value;

enum ftype {
	FT_TEXT, FT_INTEGER, FT_NUMERIC, FT_BOOLEAN, FT_UUID, FT_DATE,
	FT_TIMESTAMPTZ, FT_TEXT_ARRAY, FT_JSONB, FT_URL, FT_MARKDOWN,
};

struct field_cfg {
	const char *name;
	enum ftype type;
	int scale;		/* numeric(p,s): digits after the point */
};

enum cop { COP_EQ, COP_NE, COP_IN, COP_NOT_IN, COP_NULL, COP_NOT_NULL, COP_BEFORE, COP_NOT_BEFORE };

/* One condition on a column (or a joined value), compared as PostgreSQL's
 * text output: booleans are t and f. before/not_before take "now" (the
 * build's reference time) or a timestamp. */
struct cond {
	const char *col;
	enum cop op;
	const char **vals;
	size_t nvals;
	bool now;
	int64_t at;
};

struct join_cfg {
	const char *name;	/* the value's name in this collection */
	const char *table;	/* the other table, */
	const char *match;	/* whose column match equals this row's key, */
	const char *column;	/* gives the value */
};

struct rel_cfg {
	const char *name;
	const char *collection;
	const char **fields;	/* belongs_to: one, here; has_many: in the other */
	size_t nfields;
	long limit;		/* has_many: 0 for all */
};

struct label_cfg {
	const char *field;
	const char **keys, **vals;
	size_t n;
	const char *null_label;
};

struct sort_key {
	const char *field;
	bool desc;
};

struct group_cfg {
	const char *name;
	const char *field;
	const char *url;	/* with {slug} */
	const char *template;
	const char *title;	/* with {name} */
	long per_page;
};

struct collection_cfg {
	const char *name;
	const char *table;
	const char *key;
	struct cond *where;
	size_t nwhere;
	struct join_cfg *joins;
	size_t njoins;
	struct field_cfg *fields;
	size_t nfields;
	bool has_private;
	struct cond *private_when;
	size_t nprivate_when;
	const char **private_fields;
	size_t nprivate_fields;
	struct sort_key *sort;
	size_t nsort;
	struct rel_cfg *belongs;
	size_t nbelongs;
	struct rel_cfg *has_many;
	size_t nhas_many;
	struct label_cfg *labels;
	size_t nlabels;
	const char *page_url;		/* with {field} placeholders */
	const char *page_template;
	const char *page_title;		/* field names */
	const char *page_description;
	const char *lastmod;
	const char *list_url;
	const char *list_template;
	const char *list_title;
	long per_page;
	struct cond *list_where;
	size_t nlist_where;
	struct group_cfg *groups;
	size_t ngroups;
};

/* Parses the "collections" mapping of presetgen.yaml. Reports every error
 * and returns -1 if there was one. */
int collections_parse(struct ydoc *y, yaml_node_t *node, struct arena *a,
		      struct collection_cfg **out, size_t *n);

/* ---- at build time ------------------------------------------------------ */

struct crow {
	size_t row;		/* in the table */
	struct value *v;	/* what templates see */
	const char *url;	/* NULL: no page */
	const char *out;
	const char *title;	/* for listings and feeds */
	const char *description;
	int64_t lastmod;	/* microseconds, or INT64_MIN */
	bool restricted;
};

struct coll {
	const struct collection_cfg *cfg;
	const struct table *t;
	struct crow *rows;	/* admitted, in sort order */
	size_t nrows;
	struct keyindex *index;	/* key text -> row */
};

/* The tables and columns the collections need, for snapshot_load. */
size_t collections_needs(const struct collection_cfg *cfgs, size_t n,
			 struct snapshot_need **out, struct arena *a);

struct cbuild {
	struct arena *a;
	struct diag *d;
	const struct tz *tz;
	int64_t now;		/* the reference time, microseconds */
	const char *base_url;
};

/* Turns the snapshot into collections: filters, converts, sorts, relates,
 * and gives each row its URL. Returns -1 after reporting errors. */
int collections_build(const struct cbuild *b, const struct collection_cfg *cfgs, size_t n,
		      const struct snapshot *snap, struct coll **out);
void collections_free(struct coll *c, size_t n);

/* Fills url, out, and the page's path from a pattern such as "/gigs/{id}/",
 * for page number p (1: the pattern itself; n: PATTERN + "page/n/"). */
const char *page_url(struct arena *a, const char *base, long p);

/* Whether row r passes every condition. */
bool cond_match(const struct coll *c, const struct crow *r, const struct cond *conds,
		size_t n, int64_t now);

#endif
