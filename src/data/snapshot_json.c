/* Snapshots as one JSON object of tables, each an array of row objects
 * (json_agg, a Supabase export). Cells become PostgreSQL's text output:
 * strings as they are, true and false as t and f, numbers in their shortest
 * form, arrays and objects as compact JSON. */
#include "internal.h"

#include <inttypes.h>
#include <errno.h>
#include <jansson.h>
#include <string.h>

/* The text form of a JSON value in arena a (strings stay in the document,
 * which the snapshot keeps). */
static void cell_from_json(struct cell *c, const json_t *v, struct arena *a, struct strbuf *sb)
{
	c->off = 0;
	switch (json_typeof(v)) {
	case JSON_NULL:
		c->s = NULL;
		c->len = 0;
		c->kind = CELL_NULL;
		return;
	case JSON_STRING:
		c->s = json_string_value(v);
		c->len = (uint32_t)json_string_length(v);
		c->kind = CELL_TEXT;
		return;
	case JSON_TRUE:
	case JSON_FALSE:
		c->s = json_is_true(v) ? "t" : "f";
		c->len = 1;
		c->kind = CELL_BOOL;
		return;
	case JSON_INTEGER:
		strbuf_reset(sb);
		strbuf_addf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		c->kind = CELL_INT;
		break;
	case JSON_REAL:
		strbuf_reset(sb);
		real_to_text(sb, json_real_value(v));
		c->kind = CELL_REAL;
		break;
	default: {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

		if (!s)
			oom("out of memory writing JSON");
		strbuf_reset(sb);
		strbuf_adds(sb, s);
		free(s);
		c->kind = json_is_array(v) ? CELL_ARRAY : CELL_OBJECT;
		break;
	}
	}
	c->s = arena_strndup(a, sb->buf, sb->len);
	c->len = (uint32_t)sb->len;
}

static int load_rows(struct table *t, const char *path, const char *name, json_t *rows,
		     struct arena *a, struct diag *d)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	json_t *row;
	int rc = 0;

	t->path = path;
	t->form = SNAP_JSON;
	t->nrows = json_array_size(rows);
	t->cells = arena_calloc(a, st_mult(st_mult(t->nrows, t->ncols), sizeof(*t->cells)) + 1);
	json_array_foreach(rows, i, row) {
		if (!json_is_object(row)) {
			rc = diag_error(d, path, 0, 0, "table '%s', row %zu: expected an object",
					name, i + 1);
			continue;
		}
		for (size_t c = 0; c < t->ncols; c++) {
			json_t *v = json_object_get(row, t->cols[c]);

			if (!v) {
				rc = diag_error(d, path, 0, 0, "table '%s', row %zu: no column "
						"'%s', which presetgen.yaml names", name, i + 1,
						t->cols[c]);
				continue;
			}
			cell_from_json(&t->cells[i * t->ncols + c], v, a, &sb);
		}
	}
	strbuf_release(&sb);
	return rc;
}

int snapshot_load_json(struct snapshot *s, int dirfd, const char *path,
		       const struct snapshot_need *needs, size_t nneeds, struct arena *a,
		       struct diag *d)
{
	json_error_t err;
	json_t *root, *rows;
	const char *name;
	char *src;
	size_t len;
	int rc = 0;

	if (read_file_at(dirfd, path, &src, &len) < 0)
		return diag_syserror(d, path, "cannot read: %s", strerror(errno));
	root = json_loadb(src, len, JSON_REJECT_DUPLICATES, &err);
	free(src);
	if (!root)
		return diag_error(d, path, err.line > 0 ? (unsigned)err.line : 1,
				  err.column > 0 ? (unsigned)err.column : 1, "JSON: %s", err.text);
	/* text cells point into the document: it lives until release */
	snapshot_own_json(s, root);
	if (!json_is_object(root))
		return diag_error(d, path, 1, 1, "expected an object of tables, each an array of rows");
	json_object_foreach(root, name, rows) {
		const struct snapshot_need *need = snapshot_find_need(needs, nneeds, name);
		struct table *t;

		if (!need)
			continue;
		if (!json_is_array(rows)) {
			rc = diag_error(d, path, 0, 0, "table '%s': expected an array of rows", name);
			continue;
		}
		t = snapshot_add_table(s, need, path, d);
		if (!t || load_rows(t, path, name, rows, a, d) < 0)
			rc = -1;
	}
	return rc;
}
