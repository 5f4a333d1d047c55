/* snapshot: tables exported from PostgreSQL, in any of three forms: a JSON
 * object of row arrays, a directory of CSV files (\copy ... csv header), or
 * a pg_dump plain-text file (its COPY ... FROM stdin blocks).
 *
 * Only the tables and columns a caller asks for are kept: what presetgen.yaml
 * does not name is never loaded. Cells are raw (text, or a JSON value);
 * collection.c converts them to typed values, the same for every form. */
#ifndef PRESETGEN_SNAPSHOT_H
#define PRESETGEN_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct diag;
struct strbuf;
typedef struct json_t json_t;

enum snap_form { SNAP_JSON, SNAP_CSV, SNAP_COPY };

/* A cell is SQL NULL when s and j are both NULL (or j is JSON null). */
struct cell {
	const char *s;		/* text forms: the unescaped text, NUL-terminated */
	const json_t *j;	/* JSON form */
	uint32_t len;
	uint32_t off;		/* text forms: byte offset of the field in its file */
};

struct table {
	const char *name;
	const char *path;	/* the file it came from */
	const char *src;	/* text forms: the file's bytes, for line:col */
	enum snap_form form;
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

struct snapshot {
	struct table *tables;
	size_t ntables, atables;
	void **owned;		/* file buffers (free) */
	size_t nowned, aowned;
	json_t **roots;		/* JSON documents (json_decref) */
	size_t nroots, aroots;
};

void snapshot_init(struct snapshot *s);
/* Loads the needed tables found in path (a .json file, a .sql dump or a
 * directory of .csv files) into s. A table found in two snapshots, a needed
 * column a table lacks and text that does not parse are errors naming file,
 * line and column (or table, row and column for JSON). Returns -1 after
 * reporting them. */
int snapshot_load(struct snapshot *s, const char *path, const struct snapshot_need *needs,
		  size_t nneeds, struct arena *a, struct diag *d);
void snapshot_release(struct snapshot *s);
const struct table *snapshot_table(const struct snapshot *s, const char *name);

static inline const struct cell *table_cell(const struct table *t, size_t row, size_t col)
{
	return &t->cells[row * t->ncols + col];
}
/* Index of column name in t, or -1. */
int table_col(const struct table *t, const char *name);
bool cell_is_null(const struct cell *c);
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

#endif
