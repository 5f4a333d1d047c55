/* Snapshots as a directory of TABLE.csv files (\copy TABLE TO ... WITH
 * (FORMAT csv, HEADER)), read as RFC 4180: quoted fields may hold commas,
 * quotes ("") and line breaks; an empty unquoted field is NULL, as psql
 * writes it, and "" is the empty string. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct csvfield {
	const char *s;
	size_t len;
	size_t off;
	bool quoted;
};

struct csv {
	const char *path;
	const char *src;
	size_t len, pos;
	struct linemap *lines;
	struct csvfield *f;
	size_t af;
	struct arena *a;
	struct diag *d;
};

/* A quoted field from just after its opening quote; fields that need
 * unescaping ("") are copied into the arena. Returns -1 after an error. */
static int quoted(struct csv *c, struct csvfield *fl)
{
	const char *src = c->src;
	size_t p = c->pos, start = p;
	bool escaped = false;

	for (;;) {
		if (p >= c->len)
			return snapshot_error_at(c->d, c->path, c->lines, fl->off, "CSV: a quoted "
						 "field is not closed: expected '\"' before the end "
						 "of the file");
		if (src[p] == '"') {
			if (p + 1 < c->len && src[p + 1] == '"') {
				escaped = true;
				p += 2;
				continue;
			}
			break;
		}
		p++;
	}
	if (escaped) {
		char *buf = arena_alloc(c->a, p - start + 1);
		size_t k = 0;

		for (size_t q = start; q < p; q++) {
			buf[k++] = src[q];
			if (src[q] == '"')
				q++;
		}
		buf[k] = '\0';
		fl->s = buf;
		fl->len = k;
	} else {
		fl->s = src + start;
		fl->len = p - start;
	}
	p++;	/* the closing quote */
	c->pos = p;
	if (p < c->len && src[p] != ',' && src[p] != '\n' && src[p] != '\r')
		return snapshot_error_at(c->d, c->path, c->lines, p, "CSV: expected ',' or the end "
					 "of the line after a quoted field");
	return 0;
}

/* Reads the record at c->pos into c->f. Returns the number of fields, 0 at
 * the end of input, or -1 after reporting an error. */
static long record(struct csv *c)
{
	size_t n = 0;

	if (c->pos >= c->len)
		return 0;
	for (;;) {
		struct csvfield fl = { NULL, 0, c->pos, false };

		if (c->pos < c->len && c->src[c->pos] == '"') {
			fl.quoted = true;
			c->pos++;
			if (quoted(c, &fl) < 0)
				return -1;
		} else {
			size_t start = c->pos;

			while (c->pos < c->len && c->src[c->pos] != ',' && c->src[c->pos] != '\n' &&
			       c->src[c->pos] != '\r')
				c->pos++;
			fl.s = c->src + start;
			fl.len = c->pos - start;
		}
		ALLOC_GROW(c->f, n + 1, c->af);
		c->f[n++] = fl;
		if (c->pos < c->len && c->src[c->pos] == ',') {
			c->pos++;
			continue;
		}
		if (c->pos < c->len && c->src[c->pos] == '\r')
			c->pos++;
		if (c->pos < c->len && c->src[c->pos] == '\n')
			c->pos++;
		return (long)n;
	}
}

static int read_rows(struct csv *c, struct table *t, const int *map, size_t nhdr)
{
	size_t arows = 0;
	long n;
	int rc = 0;

	while ((n = record(c)) > 0) {
		struct cell *row;

		if ((size_t)n != nhdr) {
			rc = snapshot_error_at(c->d, c->path, c->lines, c->f[0].off, "CSV: expected "
					       "%zu fields as in the header, found %ld", nhdr, n);
			continue;
		}
		if (t->nrows == arows) {
			arows = arows ? arows * 2 : 64;
			t->cells = xrealloc(t->cells, st_mult(st_mult(arows, t->ncols), sizeof(*t->cells)));
		}
		row = &t->cells[t->nrows * t->ncols];
		for (size_t k = 0; k < t->ncols; k++) {
			const struct csvfield *fl = &c->f[map[k]];

			row[k].off = (uint32_t)fl->off;
			row[k].len = (uint32_t)fl->len;
			/* psql writes NULL as an empty unquoted field, "" as "" */
			if (!fl->quoted && !fl->len) {
				row[k].s = NULL;
				row[k].kind = CELL_NULL;
			} else {
				row[k].s = arena_strndup(c->a, fl->s, fl->len);
				row[k].kind = CELL_TEXT;
			}
		}
		t->nrows++;
	}
	return n < 0 ? -1 : rc;
}

static int load_table(struct snapshot *s, int dirfd, const char *path,
		      const struct snapshot_need *need, struct arena *a, struct diag *d)
{
	struct csv c;
	char *src, **hdr;
	size_t len, nhdr;
	long n;
	int *map, rc = 0;
	struct table *t;

	if (read_text_at(d, dirfd, path, &src, &len) < 0)
		return -1;
	snapshot_own(s, src);
	memset(&c, 0, sizeof(c));
	c.path = path;
	c.src = src;
	c.len = len;
	c.lines = snapshot_linemap(s, src, len);
	c.a = a;
	c.d = d;
	n = record(&c);
	if (n <= 0) {
		free(c.f);
		return n < 0 ? -1 : diag_error(d, path, 1, 1, "CSV: expected a header row");
	}
	nhdr = (size_t)n;
	hdr = xcalloc(nhdr, sizeof(*hdr));
	for (size_t i = 0; i < nhdr; i++)
		hdr[i] = xstrndup(c.f[i].s, c.f[i].len);
	map = xcalloc(need->ncols + 1, sizeof(*map));
	t = snapshot_add_table(s, need, path, d);
	if (!t || snapshot_map_header(need, hdr, nhdr, map, d, path, NULL, 0) < 0) {
		rc = -1;
	} else {
		t->path = path;
		t->lines = c.lines;
		t->form = SNAP_CSV;
		rc = read_rows(&c, t, map, nhdr);
		snapshot_own(s, t->cells);
	}
	for (size_t i = 0; i < nhdr; i++)
		free(hdr[i]);
	free(hdr);
	free(map);
	free(c.f);
	return rc;
}

int snapshot_load_csv_dir(struct snapshot *s, int dirfd, const char *dir,
			  const struct snapshot_need *needs, size_t nneeds, struct arena *a,
			  struct diag *d)
{
	int rc = 0;

	for (size_t i = 0; i < nneeds; i++) {
		char *path = arena_printf(a, "%s/%s.csv", dir, needs[i].table);

		if (!path_exists_at(dirfd, path))
			continue;
		if (load_table(s, dirfd, path, &needs[i], a, d) < 0)
			rc = -1;
	}
	return rc;
}
