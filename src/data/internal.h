/* data's internal interface: what the snapshot forms share. */
#ifndef PRESETGEN_DATA_INTERNAL_H
#define PRESETGEN_DATA_INTERNAL_H

#include "data.h"

/* The loaders of each form. path is relative to dirfd. */
int snapshot_load_json(struct snapshot *s, int dirfd, const char *path,
		       const struct snapshot_need *needs, size_t nneeds, struct arena *a,
		       struct diag *d);
int snapshot_load_csv_dir(struct snapshot *s, int dirfd, const char *dir,
			  const struct snapshot_need *needs, size_t nneeds, struct arena *a,
			  struct diag *d);
int snapshot_load_dump(struct snapshot *s, int dirfd, const char *path,
		       const struct snapshot_need *needs, size_t nneeds, struct arena *a,
		       struct diag *d);

/* What s keeps until snapshot_release: a file's bytes (free), a JSON
 * document (json_decref), a line map (released and freed). */
void snapshot_own(struct snapshot *s, void *buf);
void snapshot_own_json(struct snapshot *s, void *json);
struct linemap *snapshot_linemap(struct snapshot *s, const char *src, size_t len);

const struct snapshot_need *snapshot_find_need(const struct snapshot_need *needs, size_t n,
					       const char *table);
/* Adds a table for need, checking it is not loaded already. NULL after an
 * error. */
struct table *snapshot_add_table(struct snapshot *s, const struct snapshot_need *need,
				 const char *path, struct diag *d);
/* Maps each needed column to its place in a header; -1 after an error (at
 * the header's offset off in lines, or 1:1). */
int snapshot_map_header(const struct snapshot_need *need, char **hdr, size_t nhdr, int *map,
			struct diag *d, const char *path, struct linemap *lines, size_t off);
/* An error at byte offset off of a text file. Returns -1. */
int snapshot_error_at(struct diag *d, const char *path, struct linemap *lines, size_t off,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));



/* ---- collections while they are built (collection.c, convert.c) ---------- */

struct rt {
	const struct cbuild *b;
	const struct collection_cfg *cfg;
	const struct table *t;
	int keycol;
	int *fcol;		/* per field: table column, or -1 (a join) */
	struct strmap **joins;	/* per join: match text -> join table row */
	const struct table **jt;
	int *jcol;		/* per join: the value's column in its table */
	struct value **vals;	/* one row's converted fields (reused) */
	const char **label_keys;	/* "FIELD_label", made once */
	const char **is_keys;		/* "FIELD_is" */
	/* per label: the FIELD_is map of each key, of NULL and of any other
	 * value (n + 2 maps), shared by every row: values are read-only */
	struct value ***flags;
	struct strbuf scratch;
};

/* The text of column or join name for table row r; NULL for NULL. */
const char *row_text(struct rt *x, size_t r, const char *name);
/* Whether row r passes every condition. */
bool conds_pass(struct rt *x, size_t r, const struct cond *c, size_t n);
/* Field f of row r, whose cell is c (NULL for a joined value with text
 * text), converted by its declared type. NULL after an error. */
struct value *convert_cell(struct rt *x, size_t r, size_t f, const struct cell *c,
			   const char *text);
#endif
