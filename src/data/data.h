/* data: what templates see and where it comes from. The value model; JSON
 * and YAML read into values; YAML documents with positions and a reader
 * that checks a mapping against a table of keys; database snapshots in
 * their three forms; and collections, the tables published as pages.
 *
 * Ownership: every value, and every string in one, lives in the arena it
 * was made from and is freed with that arena, never one at a time. Values
 * are read-only once built, so threads may share them. */
#ifndef PRESETGEN_DATA_H
#define PRESETGEN_DATA_H

#include "base/base.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- values ---------------------------------------------------------------- */

enum vtype {
	V_NULL,
	V_BOOL,
	V_INT,
	V_REAL,
	V_DECIMAL,	/* a database numeric, kept as written ("50.00") */
	V_STRING,
	V_LIST,
	V_MAP,
	V_TIME,		/* an instant: u.i microseconds, shown in a time zone */
};

struct vpair;

struct value {
	enum vtype type;
	uint32_t len;		/* string bytes, list items, map pairs */
	uint32_t alloc;		/* list and map capacity; V_TIME: the zone */
	union {
		bool b;
		int64_t i;
		double d;
		const char *s;	/* V_STRING, V_DECIMAL: NUL-terminated */
		struct value **items;
		struct vpair *pairs;
	} u;
};

struct vpair {
	const char *key;
	struct value *val;
};

extern const struct value value_null_const;

struct value *value_null(struct arena *a);
struct value *value_bool(struct arena *a, bool b);
struct value *value_int(struct arena *a, int64_t i);
struct value *value_real(struct arena *a, double d);
struct value *value_decimal(struct arena *a, const char *s);
/* Copies s into the arena. */
struct value *value_strn(struct arena *a, const char *s, size_t len);
struct value *value_str(struct arena *a, const char *s);
/* Does not copy s: it must live as long as the arena. */
struct value *value_str_nocopy(struct arena *a, const char *s, size_t len);
struct value *value_list(struct arena *a, size_t hint);
struct value *value_map(struct arena *a, size_t hint);

void value_list_push(struct arena *a, struct value *list, struct value *v);
/* Sets key (which must live as long as the arena) to v, replacing any
 * earlier value of that key. */
void value_map_set(struct arena *a, struct value *map, const char *key,
		   struct value *v);
/* Adds key, which the caller knows map does not hold yet. */
void value_map_add(struct arena *a, struct value *map, const char *key, struct value *v);
/* Like value_map_set, but copies key into the arena. */
void value_map_setk(struct arena *a, struct value *map, const char *key,
		    struct value *v);
/* NULL when key is absent or map is not a map. */
const struct value *value_map_get(const struct value *map, const char *key);
const struct value *value_map_getn(const struct value *map, const char *key,
				   size_t keylen);

struct value *value_time(struct arena *a, int64_t us, const struct tz *z);
/* A part of a V_TIME made on demand in arena a: "iso" (2026-03-14T10:00:00+00:00,
 * also what {{t}} prints), "human" (Sat 14 Mar 2026, 10:00), "date"
 * (14 Mar 2026), "short" (Mar 14), "time" (10:00), "day" (Sat), "utc"
 * (2026-03-14T10:00:00Z). NULL for any other name. */
const struct value *value_time_part(struct arena *a, const struct value *t,
				    const char *name, size_t len);
/* A child of v: a map's key, a list's index ("0"), or a time's part
 * (made in scratch). */
const struct value *value_child(struct arena *scratch, const struct value *v,
				const char *key);

/* Sections: false, null, "", 0 and [] are false; everything else true. */
bool value_truthy(const struct value *v);
/* Appends the text of a scalar (integers as integers, reals in their
 * shortest round-trip form, decimals as written, booleans as true/false,
 * null as nothing). Lists and maps append nothing. */
void value_to_text(struct strbuf *out, const struct value *v);
/* The shortest text that reads back as d ("0.1", "50", "1e+300"). */
void real_to_text(struct strbuf *out, double d);

/* ---- JSON (jansson) to values ---------------------------------------------- */

/* Parses src as JSON. Returns NULL after reporting "path:line:col: error:". */
struct value *json_to_value(const char *path, const char *src, size_t len,
			    struct arena *a, struct diag *d);
/* Parses JSON text without reporting; NULL if it does not parse. */
struct value *json_to_value_quiet(const char *src, size_t len, struct arena *a);

/* Finds the value at path (n keys of nested objects) in JSON text that
 * parses: its first byte at *start, the byte after it at *end. Returns -1
 * when there is no such value. */
int json_locate(const char *src, size_t len, const char *const *path, size_t n,
		size_t *start, size_t *end);

/* ---- YAML documents (libyaml) ---------------------------------------------- */

struct ydoc;		/* a loaded document, with positions */
struct ynode;		/* one of its nodes */

enum ynode_type { YN_SCALAR, YN_LIST, YN_MAP };

/* Parses src. line_offset is added to every line in messages (front matter
 * starts on a file's second line). Returns NULL after reporting the syntax
 * error as path:line:col. */
struct ydoc *ydoc_load(const char *path, const char *src, size_t len, unsigned line_offset,
		       struct diag *d);
void ydoc_free(struct ydoc *y);
/* The root node, or NULL for an empty document. */
const struct ynode *ydoc_root(const struct ydoc *y);
const char *ydoc_path(const struct ydoc *y);
struct diag *ydoc_diag(const struct ydoc *y);

enum ynode_type ynode_type(const struct ynode *n);
/* A scalar's text, NULL for lists and mappings. */
const char *ynode_scalar(const struct ynode *n);
size_t ynode_scalar_len(const struct ynode *n);
/* Whether a scalar was written plain (not quoted), so 1, true and null
 * mean what YAML says they mean. */
bool ynode_is_plain(const struct ynode *n);
/* "a mapping", "a list", "a string", "a number", "a boolean", "null" */
const char *ynode_describe(const struct ynode *n);
bool ynode_is_null(const struct ynode *n);
/* Items of a list, pairs of a mapping. */
size_t ynode_count(const struct ynode *n);
const struct ynode *ynode_item(const struct ydoc *y, const struct ynode *n, size_t i);
const struct ynode *ynode_key(const struct ydoc *y, const struct ynode *n, size_t i);
const struct ynode *ynode_value(const struct ydoc *y, const struct ynode *n, size_t i);
/* Where n starts in its file (line_offset included). */
void ynode_pos(const struct ydoc *y, const struct ynode *n, struct srcpos *out);

/* Reports "path:line:col: error: ..." at node n (NULL: the document's
 * start). Returns -1. */
int ydoc_error(struct ydoc *y, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ydoc_warning(struct ydoc *y, const struct ynode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Converts node n to a value: plain scalars resolve as YAML 1.2's core
 * schema (null, true/false, integers, floats), all others are strings.
 * Returns NULL after reporting an error (a document that expands past a
 * million nodes through aliases, or nests too deep). */
struct value *ydoc_to_value(struct ydoc *y, const struct ynode *n, struct arena *a);

/* ---- reading a YAML mapping against a table of keys -------------------------- */

/* One way to read configuration: every mapping is read by yread_map or
 * yread_each, so every one rejects unknown and duplicate keys alike, with
 * the key's line and column. */
struct yread {
	struct ydoc *y;
	struct arena *a;	/* strings read are copied here */
	int rc;			/* -1 once any error was reported */
};

enum ykey_type {
	YK_STRING,	/* a scalar but null: const char *, copied */
	YK_NAME,	/* a non-empty string: const char * */
	YK_BOOL,	/* true or false: bool */
	YK_INT,		/* a whole number from min to max: long */
	YK_STRINGS,	/* a string or a list of them: const char **, count at count_off */
	YK_CALL,	/* read by fn */
};

struct ykey {
	const char *name;
	enum ykey_type type;
	size_t off;		/* where the value goes in the struct */
	bool required;
	long min, max;		/* YK_INT */
	size_t count_off;	/* YK_STRINGS: where the count goes (size_t) */
	/* YK_CALL: reads v (whose key is name) into base; what.name names it.
	 * Returns -1 after reporting an error. */
	int (*fn)(struct yread *r, const struct ynode *v, void *base, const char *what);
	size_t at;		/* offset + 1 of a struct srcpos for the value's position; 0: none */
};

/* Reads mapping map into base by keys: every key must be one of them,
 * once; required ones must be there. what names the mapping in messages
 * ("site", "collections.gigs"). Reports every error; returns -1 if there
 * was one. */
int yread_map(struct yread *r, const struct ynode *map, const char *what,
	      const struct ykey *keys, size_t nkeys, void *base);
/* For a mapping whose keys are names (collections, fields, groups): checks
 * that map is a mapping of distinct string keys, then calls fn for each
 * pair in order. */
typedef int (*yread_pair_fn)(struct yread *r, const char *key, const struct ynode *k,
			     const struct ynode *v, void *ud);
int yread_each(struct yread *r, const struct ynode *map, const char *what, yread_pair_fn fn,
	       void *ud);
/* A copy of a scalar that is a non-empty string, or NULL after an error
 * naming what. */
const char *yread_name(struct yread *r, const struct ynode *n, const char *what);
/* A string or a list of strings; plain true and false become t and f
 * (PostgreSQL's text for booleans) when pg_bools. */
const char **yread_strings(struct yread *r, const struct ynode *n, const char *what,
			   size_t *count, bool pg_bools);
void yread_pos(struct yread *r, const struct ynode *n, struct srcpos *out);

/* ---- environments.ENV.public: what the public may see, and secrets ----------- */

/* Whether an environment variable's name says it holds a secret
 * (SECRET, SERVICE_ROLE, TOKEN, PASSWORD, PRIVATE). */
bool secret_name(const char *name);
/* A variable's value in environ ("NAME=VALUE", NULL-terminated), or NULL. */
const char *env_get(char *const *environ, const char *name);
/* Whether v is a Supabase service_role key (a JWT whose role says so). */
bool service_role_key(const char *v);

/* public: {name: VARIABLE} or {name: {env: VARIABLE, default: VALUE}}. */
struct public_vars {
	const char *what;		/* "environments.production.public" */
	const char **names;		/* env.public.NAME, extra.NAME */
	const char **vars;		/* read from these variables, */
	const char **defaults;		/* else these (NULL: none) */
	struct srcpos *at;
	size_t n;
};

/* Reads the mapping; a variable whose name says secret, or a default that
 * is a service_role key, is an error. */
int yread_public(struct yread *r, const struct ynode *v, struct public_vars *p,
		 const char *what);
/* The values (NULL where neither the variable nor a default gives one),
 * in arena a. A value that is a service_role key is an error. */
int public_resolve(const struct public_vars *p, char *const *environ, struct diag *d,
		   struct arena *a, const char ***values);

/* The environment's secrets: variables whose names say so. */
struct secrets {
	const char **names, **values;
	size_t n;
};

void secrets_find(struct secrets *s, char *const *environ, struct arena *a);
/* The name of a secret whose value data holds, or NULL. */
const char *secrets_leak(const struct secrets *s, const void *data, size_t len);

/* ---- snapshots: tables exported from PostgreSQL -------------------------------- */

/* Three forms: a JSON object of row arrays, a directory of CSV files (\copy
 * ... csv header), or a pg_dump plain-text file (its COPY ... FROM stdin
 * blocks). Only the tables and columns a caller asks for are kept: what
 * presetgen.yaml does not name is never loaded. Every cell is turned into
 * PostgreSQL's text form when it loads (booleans t and f), so that
 * collections convert the three forms alike. */

enum snap_form { SNAP_JSON, SNAP_CSV, SNAP_COPY };

/* What a JSON cell held, so that a field's type can be checked against it
 * (a text field holding a JSON number is an error); text forms give
 * CELL_TEXT or CELL_NULL. */
enum cell_kind { CELL_NULL, CELL_TEXT, CELL_INT, CELL_REAL, CELL_BOOL, CELL_ARRAY, CELL_OBJECT };

struct cell {
	const char *s;		/* the text, NUL-terminated; NULL for SQL NULL; JSON
				 * arrays and objects as compact JSON */
	uint32_t len;
	uint32_t off;		/* text forms: byte offset of the field in its file */
	uint8_t kind;		/* enum cell_kind */
};

struct table {
	const char *name;
	const char *path;	/* the file it came from */
	enum snap_form form;
	struct linemap *lines;	/* text forms: the file's, for line:col */
	size_t ncols;
	const char **cols;	/* the columns asked for, in that order */
	size_t nrows;
	struct cell *cells;	/* nrows * ncols */
};

/* What one table must provide. */
struct snapshot_need {
	const char *table;
	const char **cols;
	size_t ncols;
};

struct snapshot_owned;

struct snapshot {
	struct table *tables;
	size_t ntables, atables;
	struct snapshot_owned *owned;	/* buffers, documents, line maps */
};

void snapshot_init(struct snapshot *s);
/* Loads the needed tables found in path (a .json file, a .sql dump or a
 * directory of .csv files; relative to dirfd) into s. A table found in two
 * snapshots, a needed column a table lacks and text that does not parse
 * are errors naming file, line and column (or table, row and column for
 * JSON). Returns -1 after reporting them. */
int snapshot_load(struct snapshot *s, int dirfd, const char *path,
		  const struct snapshot_need *needs, size_t nneeds, struct arena *a,
		  struct diag *d);
void snapshot_release(struct snapshot *s);
const struct table *snapshot_table(const struct snapshot *s, const char *name);

static inline const struct cell *table_cell(const struct table *t, size_t row, size_t col)
{
	return &t->cells[row * t->ncols + col];
}
/* Index of column name in t, or -1. */
int table_col(const struct table *t, const char *name);
/* Reports an error about one cell: "file:line:col: error: ..." for text forms,
 * "file: error: table 't', row N, column 'c': ..." for JSON. Returns -1. */
int cell_error(struct diag *d, const struct table *t, size_t row, size_t col,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void cell_warning(struct diag *d, const struct table *t, size_t row, size_t col,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Parses a PostgreSQL array literal ({a,"b c",NULL}) of one dimension.
 * Calls fn for each element (s NULL for NULL). Returns false if malformed. */
bool pg_array_parse(const char *s, size_t len,
		    void (*fn)(void *ud, const char *elem, size_t n), void *ud,
		    struct strbuf *scratch);

/* ---- collections: database tables published as pages ----------------------- */

/* presetgen.yaml says which table, which rows are public (where), which
 * fields a template may see (deny by default), their types, how rows sort,
 * relate, and which pages they make: one per row, a paginated listing,
 * and paginated groups. The site's configuration reads these; data builds
 * them from a snapshot. */

enum ftype {
	FT_TEXT, FT_INTEGER, FT_NUMERIC, FT_BOOLEAN, FT_UUID, FT_DATE,
	FT_TIMESTAMPTZ, FT_TEXT_ARRAY, FT_JSONB, FT_URL, FT_MARKDOWN,
};

struct field_cfg {
	const char *name;
	enum ftype type;
	int scale;		/* numeric(p,s): digits after the point */
	struct srcpos at;
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
	int64_t at_us;
	struct srcpos at;
};

struct join_cfg {
	const char *name;	/* the value's name in this collection */
	const char *table;	/* the other table, */
	const char *match;	/* whose column match equals this row's key, */
	const char *column;	/* gives the value */
	struct srcpos at;
};

struct rel_cfg {
	const char *name;
	const char *collection;
	const char **fields;	/* belongs_to: one, here; has_many: in the other */
	size_t nfields;
	long limit;		/* has_many: 0 for all */
	struct srcpos at;
};

struct label_cfg {
	const char *field;
	const char **keys, **vals;
	size_t n;
	const char *null_label;
	struct srcpos at;
};

struct sort_key {
	const char *field;
	bool desc;
	struct srcpos at;
};

struct group_cfg {
	const char *name;
	const char *field;
	const char *url;	/* with {slug} */
	const char *template;
	const char *title;	/* with {name} */
	long per_page;
	struct srcpos at, template_at;
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
	/* where each part was written, for errors found at build time */
	struct srcpos at, table_at, key_at, sort_at, private_fields_at;
	struct srcpos page_url_at, page_template_at, page_title_at, page_description_at,
		lastmod_at, list_url_at, list_template_at;
};

struct crow {
	size_t row;		/* in the table */
	const char *key;	/* the key column's text: the row's identity */
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
	struct strmap *index;	/* key text -> row */
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
	/* Appends the path segment made from a value (the site's: a slug that
	 * Vercel's routing leaves alone); *renamed when it had to differ from
	 * the plain slug. False when nothing usable is left. */
	bool (*segment)(void *ud, struct strbuf *out, const char *s, size_t len, bool *renamed);
	void *segment_ud;
};

/* Turns the snapshot into collections: filters, converts, sorts, relates,
 * and gives each row its URL. Returns -1 after reporting errors. */
int collections_build(const struct cbuild *b, const struct collection_cfg *cfgs, size_t n,
		      const struct snapshot *snap, struct coll **out);
void collections_free(struct coll *c, size_t n);

/* base for page p (1: base itself; n: base + "page/n/"). */
const char *page_url(struct arena *a, const char *base, long p);

/* Whether row r passes every condition. */
bool cond_match(const struct coll *c, const struct crow *r, const struct cond *conds,
		size_t n, int64_t now);

#endif
