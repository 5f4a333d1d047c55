/* Snapshots: the tables presetgen.yaml names, from any of three forms, as
 * cells of PostgreSQL's text output. This file holds what the forms share;
 * snapshot_json.c, snapshot_csv.c and snapshot_copy.c read one form each. */
#include "internal.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct snapshot_owned {
	void **bufs;
	size_t nbufs, abufs;
	json_t **docs;
	size_t ndocs, adocs;
	struct linemap **maps;
	size_t nmaps, amaps;
};

void snapshot_init(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->owned = xcalloc(1, sizeof(*s->owned));
}

void snapshot_release(struct snapshot *s)
{
	struct snapshot_owned *o = s->owned;

	if (o) {
		for (size_t i = 0; i < o->nbufs; i++)
			free(o->bufs[i]);
		for (size_t i = 0; i < o->ndocs; i++)
			json_decref(o->docs[i]);
		for (size_t i = 0; i < o->nmaps; i++) {
			linemap_release(o->maps[i]);
			free(o->maps[i]);
		}
		free(o->bufs);
		free(o->docs);
		free(o->maps);
		free(o);
	}
	free(s->tables);
	memset(s, 0, sizeof(*s));
}

void snapshot_own(struct snapshot *s, void *buf)
{
	ALLOC_GROW(s->owned->bufs, s->owned->nbufs + 1, s->owned->abufs);
	s->owned->bufs[s->owned->nbufs++] = buf;
}

void snapshot_own_json(struct snapshot *s, void *json)
{
	ALLOC_GROW(s->owned->docs, s->owned->ndocs + 1, s->owned->adocs);
	s->owned->docs[s->owned->ndocs++] = json;
}

struct linemap *snapshot_linemap(struct snapshot *s, const char *src, size_t len)
{
	struct linemap *lm = xmalloc(sizeof(*lm));

	linemap_init(lm, src, len);
	ALLOC_GROW(s->owned->maps, s->owned->nmaps + 1, s->owned->amaps);
	s->owned->maps[s->owned->nmaps++] = lm;
	return lm;
}

const struct table *snapshot_table(const struct snapshot *s, const char *name)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (!strcmp(s->tables[i].name, name))
			return &s->tables[i];
	return NULL;
}

int table_col(const struct table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return (int)i;
	return -1;
}

int snapshot_error_at(struct diag *d, const char *path, struct linemap *lines, size_t off,
		      const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	unsigned l = 1, c = 1;
	va_list ap;

	/* past the cap the position is not worth working out */
	if (lines && !diag_suppressed(d, path))
		linemap_pos(lines, off, &l, &c);
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_error(d, path, l, c, "%s", msg.buf);
	strbuf_release(&msg);
	return -1;
}

static void cell_vreport(struct diag *d, bool error, const struct table *t, size_t row,
			 size_t col, const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT;
	unsigned l = 0, c = 0;

	if (t->form == SNAP_JSON) {
		strbuf_addf(&msg, "table '%s', row %zu, column '%s': ", t->name, row + 1, t->cols[col]);
	} else {
		if (!error || !diag_suppressed(d, t->path))
			linemap_pos(t->lines, table_cell(t, row, col)->off, &l, &c);
		strbuf_addf(&msg, "table '%s', column '%s': ", t->name, t->cols[col]);
	}
	strbuf_vaddf(&msg, fmt, ap);
	if (error)
		diag_error(d, t->path, l, c, "%s", msg.buf);
	else
		diag_warning(d, t->path, l, c, "%s", msg.buf);
	strbuf_release(&msg);
}

int cell_error(struct diag *d, const struct table *t, size_t row, size_t col,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cell_vreport(d, true, t, row, col, fmt, ap);
	va_end(ap);
	return -1;
}

void cell_warning(struct diag *d, const struct table *t, size_t row, size_t col,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cell_vreport(d, false, t, row, col, fmt, ap);
	va_end(ap);
}

const struct snapshot_need *snapshot_find_need(const struct snapshot_need *needs, size_t n,
					       const char *table)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(needs[i].table, table))
			return &needs[i];
	return NULL;
}

struct table *snapshot_add_table(struct snapshot *s, const struct snapshot_need *need,
				 const char *path, struct diag *d)
{
	const struct table *old = snapshot_table(s, need->table);
	struct table *t;

	if (old) {
		diag_error(d, path, 0, 0, "table '%s' is in %s too: a table may come from one "
			   "snapshot only", need->table, old->path);
		return NULL;
	}
	ALLOC_GROW(s->tables, s->ntables + 1, s->atables);
	t = &s->tables[s->ntables++];
	memset(t, 0, sizeof(*t));
	t->name = need->table;
	t->ncols = need->ncols;
	t->cols = need->cols;
	return t;
}

int snapshot_map_header(const struct snapshot_need *need, char **hdr, size_t nhdr, int *map,
			struct diag *d, const char *path, struct linemap *lines, size_t off)
{
	unsigned line = 1, col = 1;
	int rc = 0;

	if (lines)
		linemap_pos(lines, off, &line, &col);
	for (size_t i = 0; i < need->ncols; i++) {
		map[i] = -1;
		for (size_t k = 0; k < nhdr; k++)
			if (!strcmp(hdr[k], need->cols[i]))
				map[i] = (int)k;
		if (map[i] < 0)
			rc = diag_error(d, path, line, col, "table '%s' has no column '%s', which "
					"presetgen.yaml names", need->table, need->cols[i]);
	}
	return rc;
}

int snapshot_load(struct snapshot *s, int dirfd, const char *path,
		  const struct snapshot_need *needs, size_t nneeds, struct arena *a,
		  struct diag *d)
{
	if (!path_exists_at(dirfd, path))
		return diag_error(d, path, 0, 0, "snapshot not found");
	if (is_dir_at(dirfd, path))
		return snapshot_load_csv_dir(s, dirfd, path, needs, nneeds, a, d);
	if (str_endswith(path, ".json"))
		return snapshot_load_json(s, dirfd, path, needs, nneeds, a, d);
	if (str_endswith(path, ".sql"))
		return snapshot_load_dump(s, dirfd, path, needs, nneeds, a, d);
	return diag_error(d, path, 0, 0, "expected a .json file, a .sql dump or a directory of "
			  ".csv files");
}
bool pg_array_parse(const char *s, size_t len,
		    void (*fn)(void *ud, const char *elem, size_t n), void *ud,
		    struct strbuf *sb)
{
	size_t i = 0;

	if (len < 2 || s[0] != '{' || s[len - 1] != '}')
		return false;
	i = 1;
	if (len == 2)
		return true;
	for (;;) {
		strbuf_reset(sb);
		if (s[i] == '"') {
			i++;
			while (i < len - 1 && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < len - 1)
					i++;
				strbuf_addch(sb, s[i++]);
			}
			if (i >= len - 1)
				return false;
			i++;
			fn(ud, sb->buf, sb->len);
		} else {
			size_t start = i;

			while (i < len - 1 && s[i] != ',') {
				if (s[i] == '{' || s[i] == '"' || s[i] == '}')
					return false;	/* nested arrays are not for us */
				i++;
			}
			if (i == start)
				return false;
			if (i - start == 4 && !strncasecmp(s + start, "NULL", 4))
				fn(ud, NULL, 0);
			else
				fn(ud, s + start, i - start);
		}
		if (i == len - 1)
			return true;
		if (s[i] != ',')
			return false;
		i++;
	}
}
