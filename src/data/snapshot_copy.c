/* Snapshots as a plain pg_dump --data-only file: its COPY ... FROM stdin;
 * blocks, rows of tab-separated fields in COPY's text format (\N for NULL,
 * backslash escapes). Everything else (SET, SELECT, \restrict, comments)
 * is skipped. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Undoes COPY's text escapes into the arena. Returns NULL for \N. */
static const char *copy_unescape(const char *s, size_t n, size_t *outlen, struct arena *a,
				 bool *bad)
{
	char *buf;
	size_t k = 0;

	if (n == 2 && s[0] == '\\' && s[1] == 'N')
		return NULL;
	if (!memchr(s, '\\', n)) {
		*outlen = n;
		return arena_strndup(a, s, n);
	}
	buf = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c != '\\') {
			buf[k++] = c;
			continue;
		}
		if (++i >= n) {
			*bad = true;
			break;
		}
		switch (s[i]) {
		case 'b': buf[k++] = '\b'; break;
		case 'f': buf[k++] = '\f'; break;
		case 'n': buf[k++] = '\n'; break;
		case 'r': buf[k++] = '\r'; break;
		case 't': buf[k++] = '\t'; break;
		case 'v': buf[k++] = '\v'; break;
		case 'x': {
			int v = 0, digits = 0;

			while (digits < 2 && i + 1 < n && strchr("0123456789abcdefABCDEF", s[i + 1]) &&
			       s[i + 1]) {
				char h = s[++i];

				v = v * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
				digits++;
			}
			if (!digits)
				*bad = true;
			buf[k++] = (char)v;
			break;
		}
		default:
			if (s[i] >= '0' && s[i] <= '7') {
				int v = s[i] - '0', digits = 1;

				while (digits < 3 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7') {
					v = v * 8 + (s[++i] - '0');
					digits++;
				}
				buf[k++] = (char)v;
			} else {
				buf[k++] = s[i];	/* \\ and any other escaped character */
			}
		}
	}
	buf[k] = '\0';
	*outlen = k;
	return buf;
}

/* "COPY public.gigs (id, title) FROM stdin;" -> table name and columns. */
static bool copy_header(const char *line, size_t n, char **table, char ***cols, size_t *ncols)
{
	const char *p = line + 5, *e = line + n, *q;
	struct strbuf sb = STRBUF_INIT;
	char **c = NULL;
	size_t nc = 0, ac = 0;

	while (p < e && *p == ' ')
		p++;
	q = p;
	while (q < e && *q != ' ' && *q != '(')
		q++;
	strbuf_add(&sb, p, (size_t)(q - p));
	/* drop the schema and any quotes */
	{
		const char *dot = strrchr(sb.buf, '.');
		const char *name = dot ? dot + 1 : sb.buf;
		size_t k = strlen(name);

		if (k >= 2 && name[0] == '"' && name[k - 1] == '"')
			*table = xstrndup(name + 1, k - 2);
		else
			*table = xstrdup(name);
	}
	strbuf_release(&sb);
	while (q < e && *q == ' ')
		q++;
	if (q >= e || *q != '(')
		return false;
	q++;
	while (q < e && *q != ')') {
		const char *s;

		while (q < e && (*q == ' ' || *q == ','))
			q++;
		s = q;
		while (q < e && *q != ',' && *q != ')')
			q++;
		{
			size_t k = (size_t)(q - s);

			while (k && s[k - 1] == ' ')
				k--;
			if (k >= 2 && s[0] == '"' && s[k - 1] == '"') {
				s++;
				k -= 2;
			}
			ALLOC_GROW(c, nc + 1, ac);
			c[nc++] = xstrndup(s, k);
		}
	}
	*cols = c;
	*ncols = nc;
	return q < e;
}

/* One COPY block's state while its rows are read. */
struct block {
	const char *path;
	const char *src;
	size_t len;
	struct linemap *lines;
	struct table *t;	/* NULL: a table nobody asked for */
	const int *map;
	size_t nhdr;
	struct arena *a;
	struct diag *d;
};

/* Splits one row into cells of t. Returns -1 after an error. */
static int copy_row(struct block *b, const char *row, size_t rn, size_t rowoff, size_t *arows)
{
	const char *fs[1024];
	size_t fn[1024], foff[1024], nf = 0;
	const char *p = row, *e = row + rn;
	struct table *t = b->t;
	struct cell *cells;
	int rc = 0;

	for (;;) {
		const char *tab = memchr(p, '\t', (size_t)(e - p));
		const char *fe = tab ? tab : e;

		if (nf == 1024)
			break;
		fs[nf] = p;
		fn[nf] = (size_t)(fe - p);
		foff[nf] = rowoff + (size_t)(p - row);
		nf++;
		if (!tab)
			break;
		p = tab + 1;
	}
	if (nf != b->nhdr)
		return snapshot_error_at(b->d, b->path, b->lines, rowoff, "COPY: expected %zu "
					 "tab-separated fields, found %zu", b->nhdr, nf);
	if (t->nrows == *arows) {
		*arows = *arows ? *arows * 2 : 64;
		t->cells = xrealloc(t->cells, st_mult(st_mult(*arows, t->ncols), sizeof(*t->cells)));
	}
	cells = &t->cells[t->nrows * t->ncols];
	for (size_t c = 0; c < t->ncols; c++) {
		size_t k = (size_t)b->map[c], olen = 0;
		bool badesc = false;

		cells[c].off = (uint32_t)foff[k];
		cells[c].s = copy_unescape(fs[k], fn[k], &olen, b->a, &badesc);
		cells[c].len = (uint32_t)olen;
		cells[c].kind = cells[c].s ? CELL_TEXT : CELL_NULL;
		if (badesc)
			rc = snapshot_error_at(b->d, b->path, b->lines, foff[k], "COPY: a backslash "
					       "escape is cut short");
	}
	t->nrows++;
	return rc;
}

/* Reads rows from *pos to the "\." line. Returns -1 after an error; *ended
 * says whether the block was closed. */
static int copy_rows(struct block *b, size_t *pos, bool *ended)
{
	size_t arows = 0;
	int rc = 0;

	*ended = false;
	while (*pos < b->len) {
		const char *row = b->src + *pos, *rnl = memchr(row, '\n', b->len - *pos);
		size_t rn = rnl ? (size_t)(rnl - row) : b->len - *pos;
		size_t rowoff = *pos;

		*pos += rn + (rnl ? 1 : 0);
		if (rn == 2 && row[0] == '\\' && row[1] == '.') {
			*ended = true;
			break;
		}
		if (b->t && copy_row(b, row, rn, rowoff, &arows) < 0)
			rc = -1;
	}
	return rc;
}

/* The block whose header line is at offset off. */
static int copy_block(struct snapshot *s, struct block *b, const char *line, size_t n,
		      size_t off, size_t *pos, const struct snapshot_need *needs, size_t nneeds)
{
	char *table = NULL, **hdr = NULL;
	size_t nhdr = 0;
	const struct snapshot_need *need;
	int *map = NULL, rc = 0;
	bool ended;

	if (!copy_header(line, n, &table, &hdr, &nhdr)) {
		rc = snapshot_error_at(b->d, b->path, b->lines, off, "expected 'COPY table "
				       "(columns) FROM stdin;'");
		goto out;
	}
	b->t = NULL;
	need = snapshot_find_need(needs, nneeds, table);
	if (need) {
		map = xcalloc(need->ncols + 1, sizeof(*map));
		b->t = snapshot_add_table(s, need, b->path, b->d);
		if (!b->t || snapshot_map_header(need, hdr, nhdr, map, b->d, b->path, b->lines,
						 off) < 0) {
			rc = -1;
			b->t = NULL;
		} else {
			b->t->path = b->path;
			b->t->lines = b->lines;
			b->t->form = SNAP_COPY;
		}
	}
	b->map = map;
	b->nhdr = nhdr;
	if (copy_rows(b, pos, &ended) < 0)
		rc = -1;
	if (b->t)
		snapshot_own(s, b->t->cells);
	if (!ended)
		rc = snapshot_error_at(b->d, b->path, b->lines, off, "COPY block of '%s' does not "
				       "end with a '\\.' line", table);
out:
	free(table);
	for (size_t i = 0; i < nhdr; i++)
		free(hdr[i]);
	free(hdr);
	free(map);
	return rc;
}

int snapshot_load_dump(struct snapshot *s, int dirfd, const char *path,
		       const struct snapshot_need *needs, size_t nneeds, struct arena *a,
		       struct diag *d)
{
	struct block b;
	char *src;
	size_t len, pos = 0;
	int rc = 0;

	if (read_text_at(d, dirfd, path, &src, &len) < 0)
		return -1;
	snapshot_own(s, src);
	memset(&b, 0, sizeof(b));
	b.path = path;
	b.src = src;
	b.len = len;
	b.lines = snapshot_linemap(s, src, len);
	b.a = a;
	b.d = d;
	while (pos < len) {
		const char *line = src + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		size_t off = pos;

		pos += n + (nl ? 1 : 0);
		if (n < 5 || memcmp(line, "COPY ", 5))
			continue;
		if (copy_block(s, &b, line, n, off, &pos, needs, nneeds) < 0)
			rc = -1;
	}
	return rc;
}
