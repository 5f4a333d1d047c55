#include "snapshot.h"
#include "arena.h"
#include "diag.h"
#include "fsutil.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void snapshot_init(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
}

void snapshot_release(struct snapshot *s)
{
	for (size_t i = 0; i < s->nowned; i++)
		free(s->owned[i]);
	free(s->owned);
	for (size_t i = 0; i < s->nroots; i++)
		json_decref(s->roots[i]);
	free(s->roots);
	free(s->tables);
	memset(s, 0, sizeof(*s));
}

static void own(struct snapshot *s, void *p)
{
	ALLOC_GROW(s->owned, s->nowned + 1, s->aowned);
	s->owned[s->nowned++] = p;
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

bool cell_is_null(const struct cell *c)
{
	if (c->j)
		return json_is_null(c->j);
	return !c->s;
}

static void cell_vreport(struct diag *d, bool error, const struct table *t, size_t row,
			 size_t col, const char *fmt, va_list ap)
{
	struct strbuf msg = STRBUF_INIT;
	const struct cell *c = table_cell(t, row, col);

	if (t->form == SNAP_JSON) {
		strbuf_addf(&msg, "table '%s', row %zu, column '%s': ", t->name, row + 1, t->cols[col]);
		strbuf_vaddf(&msg, fmt, ap);
		if (error)
			diag_error(d, t->path, 0, 0, "%s", msg.buf);
		else
			diag_warning(d, t->path, 0, 0, "%s", msg.buf);
	} else {
		unsigned l, cc;

		text_position(t->src, c->off, &l, &cc);
		strbuf_addf(&msg, "table '%s', column '%s': ", t->name, t->cols[col]);
		strbuf_vaddf(&msg, fmt, ap);
		if (error)
			diag_error(d, t->path, l, cc, "%s", msg.buf);
		else
			diag_warning(d, t->path, l, cc, "%s", msg.buf);
	}
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

static const struct snapshot_need *find_need(const struct snapshot_need *needs, size_t n,
					     const char *table)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(needs[i].table, table))
			return &needs[i];
	return NULL;
}

/* Adds a table for need, checking it is not loaded already. */
static struct table *add_table(struct snapshot *s, const struct snapshot_need *need,
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

/* Maps each needed column to its place in a header; -1 after an error. */
static int map_header(const struct snapshot_need *need, char **hdr, size_t nhdr, int *map,
		      struct diag *d, const char *path, const char *src, size_t off)
{
	unsigned line = 1, col = 1;
	int rc = 0;

	for (size_t i = 0; i < need->ncols; i++) {
		map[i] = -1;
		for (size_t k = 0; k < nhdr; k++)
			if (!strcmp(hdr[k], need->cols[i]))
				map[i] = (int)k;
		if (map[i] < 0) {
			/* where the header is, worked out only for the message */
			if (src && line == 1 && col == 1)
				text_position(src, off, &line, &col);
			rc = diag_error(d, path, line, col, "table '%s' has no column '%s', which "
					"presetgen.yaml names", need->table, need->cols[i]);
		}
	}
	return rc;
}

/* ---- JSON ------------------------------------------------------------- */

static int load_json(struct snapshot *s, const char *path, const struct snapshot_need *needs,
		     size_t nneeds, struct arena *a, struct diag *d)
{
	json_error_t err;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	const char *name;
	json_t *rows;
	int rc = 0;

	if (!root)
		return diag_error(d, path, err.line > 0 ? (unsigned)err.line : 1,
				  err.column > 0 ? (unsigned)err.column : 1, "JSON: %s", err.text);
	/* the tables point into the JSON tree: it lives until release */
	ALLOC_GROW(s->roots, s->nroots + 1, s->aroots);
	s->roots[s->nroots++] = root;
	if (!json_is_object(root))
		return diag_error(d, path, 1, 1, "expected an object of tables, each an array of rows");
	json_object_foreach(root, name, rows) {
		const struct snapshot_need *need = find_need(needs, nneeds, name);
		struct table *t;
		size_t i;
		json_t *row;

		if (!need)
			continue;
		if (!json_is_array(rows)) {
			rc = diag_error(d, path, 0, 0, "table '%s': expected an array of rows", name);
			continue;
		}
		t = add_table(s, need, path, d);
		if (!t) {
			rc = -1;
			continue;
		}
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
				t->cells[i * t->ncols + c].j = v;
			}
		}
	}
	return rc;
}

/* ---- CSV (RFC 4180) --------------------------------------------------- */

struct csvfield {
	const char *s;
	size_t len;
	size_t off;
	bool quoted;
};

/* Reads one record at *pos. Fields that need unescaping ("") are copied
 * into the arena. Returns the number of fields, 0 at the end of input, or
 * -1 after reporting an error. */
static long csv_record(const char *src, size_t len, size_t *pos, struct csvfield **f,
		       size_t *af, struct arena *a, struct diag *d, const char *path)
{
	size_t p = *pos, n = 0;

	if (p >= len)
		return 0;
	for (;;) {
		struct csvfield fl = { NULL, 0, p, false };

		if (p < len && src[p] == '"') {
			size_t start = ++p;
			bool escaped = false;

			fl.quoted = true;
			for (;;) {
				if (p >= len) {
					unsigned l, c;

					text_position(src, fl.off, &l, &c);
					diag_error(d, path, l, c, "CSV: a quoted field is not closed: "
						   "expected '\"' before the end of the file");
					return -1;
				}
				if (src[p] == '"') {
					if (p + 1 < len && src[p + 1] == '"') {
						escaped = true;
						p += 2;
						continue;
					}
					break;
				}
				p++;
			}
			if (escaped) {
				char *buf = arena_alloc(a, p - start + 1);
				size_t k = 0;

				for (size_t q = start; q < p; q++) {
					buf[k++] = src[q];
					if (src[q] == '"')
						q++;
				}
				buf[k] = '\0';
				fl.s = buf;
				fl.len = k;
			} else {
				fl.s = src + start;
				fl.len = p - start;
			}
			p++;	/* the closing quote */
			if (p < len && src[p] != ',' && src[p] != '\n' && src[p] != '\r') {
				unsigned l, c;

				text_position(src, p, &l, &c);
				diag_error(d, path, l, c, "CSV: expected ',' or the end of the line "
					   "after a quoted field");
				return -1;
			}
		} else {
			size_t start = p;

			while (p < len && src[p] != ',' && src[p] != '\n' && src[p] != '\r')
				p++;
			fl.s = src + start;
			fl.len = p - start;
		}
		ALLOC_GROW(*f, n + 1, *af);
		(*f)[n++] = fl;
		if (p < len && src[p] == ',') {
			p++;
			continue;
		}
		if (p < len && src[p] == '\r')
			p++;
		if (p < len && src[p] == '\n')
			p++;
		break;
	}
	*pos = p;
	return (long)n;
}

static int load_csv_table(struct snapshot *s, const char *path, const struct snapshot_need *need,
			  struct arena *a, struct diag *d)
{
	struct csvfield *f = NULL;
	size_t af = 0, pos = 0, nhdr, arows = 0;
	char *src, **hdr;
	size_t len;
	long n;
	int *map, rc = 0;
	struct table *t;

	if (read_text(d, path, &src, &len) < 0)
		return -1;
	own(s, src);
	n = csv_record(src, len, &pos, &f, &af, a, d, path);
	if (n <= 0) {
		free(f);
		return n < 0 ? -1 : diag_error(d, path, 1, 1, "CSV: expected a header row");
	}
	nhdr = (size_t)n;
	hdr = xcalloc(nhdr, sizeof(*hdr));
	for (size_t i = 0; i < nhdr; i++)
		hdr[i] = xstrndup(f[i].s, f[i].len);
	map = xcalloc(need->ncols + 1, sizeof(*map));
	t = add_table(s, need, path, d);
	if (!t || map_header(need, hdr, nhdr, map, d, path, NULL, 0) < 0) {
		rc = -1;
		goto out;
	}
	t->path = path;
	t->src = src;
	t->form = SNAP_CSV;
	while ((n = csv_record(src, len, &pos, &f, &af, a, d, path)) > 0) {
		struct cell *row;

		if ((size_t)n != nhdr) {
			unsigned l, c;

			text_position(src, f[0].off, &l, &c);
			rc = diag_error(d, path, l, c, "CSV: expected %zu fields as in the header, "
					"found %ld", nhdr, n);
			continue;
		}
		if (t->nrows == arows) {
			arows = arows ? arows * 2 : 64;
			t->cells = xrealloc(t->cells, st_mult(st_mult(arows, t->ncols), sizeof(*t->cells)));
		}
		row = &t->cells[t->nrows * t->ncols];
		for (size_t c = 0; c < t->ncols; c++) {
			const struct csvfield *fl = &f[map[c]];

			row[c].j = NULL;
			row[c].off = (uint32_t)fl->off;
			row[c].len = (uint32_t)fl->len;
			/* psql writes NULL as an empty unquoted field, "" as "" */
			row[c].s = (!fl->quoted && !fl->len) ? NULL : arena_strndup(a, fl->s, fl->len);
		}
		t->nrows++;
	}
	if (n < 0)
		rc = -1;
	own(s, t->cells);
out:
	for (size_t i = 0; i < nhdr; i++)
		free(hdr[i]);
	free(hdr);
	free(map);
	free(f);
	return rc;
}

static int load_csv_dir(struct snapshot *s, const char *dir, const struct snapshot_need *needs,
			size_t nneeds, struct arena *a, struct diag *d)
{
	int rc = 0;

	for (size_t i = 0; i < nneeds; i++) {
		char *path = arena_printf(a, "%s/%s.csv", dir, needs[i].table);

		if (!path_exists(path))
			continue;
		if (load_csv_table(s, path, &needs[i], a, d) < 0)
			rc = -1;
	}
	return rc;
}

/* ---- pg_dump COPY blocks ------------------------------------------------ */

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

static int load_dump(struct snapshot *s, const char *path, const struct snapshot_need *needs,
		     size_t nneeds, struct arena *a, struct diag *d)
{
	char *src;
	size_t len, pos = 0;
	int rc = 0;

	if (read_text(d, path, &src, &len) < 0)
		return -1;
	own(s, src);
	while (pos < len) {
		const char *line = src + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		char *table = NULL, **hdr = NULL;
		size_t nhdr = 0, arows = 0;
		const struct snapshot_need *need;
		struct table *t = NULL;
		int *map = NULL;
		bool ended = false;
		size_t block_off = pos;

		pos += n + (nl ? 1 : 0);
		/* everything but COPY blocks (SET, SELECT, \restrict, comments) is skipped */
		if (n < 5 || memcmp(line, "COPY ", 5))
			continue;
		if (!copy_header(line, n, &table, &hdr, &nhdr)) {
			unsigned l, c;

			text_position(src, block_off, &l, &c);
			rc = diag_error(d, path, l, c, "expected 'COPY table (columns) FROM stdin;'");
			goto next;
		}
		need = find_need(needs, nneeds, table);
		if (need) {
			map = xcalloc(need->ncols + 1, sizeof(*map));
			t = add_table(s, need, path, d);
			if (!t || map_header(need, hdr, nhdr, map, d, path, src, block_off) < 0) {
				rc = -1;
				t = NULL;
			} else {
				t->path = path;
				t->src = src;
				t->form = SNAP_COPY;
			}
		}
		while (pos < len) {
			const char *row = src + pos, *rnl = memchr(row, '\n', len - pos);
			size_t rn = rnl ? (size_t)(rnl - row) : len - pos;
			size_t rowoff = pos;

			pos += rn + (rnl ? 1 : 0);
			if (rn == 2 && row[0] == '\\' && row[1] == '.') {
				ended = true;
				break;
			}
			if (!t)
				continue;
			{
				const char *fs[1024];
				size_t fn[1024], foff[1024], nf = 0;
				const char *p = row, *e = row + rn;
				struct cell *cells;

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
				if (nf != nhdr) {
					unsigned l, c;

					text_position(src, rowoff, &l, &c);
					rc = diag_error(d, path, l, c, "COPY: expected %zu tab-separated "
							"fields, found %zu", nhdr, nf);
					continue;
				}
				if (t->nrows == arows) {
					arows = arows ? arows * 2 : 64;
					t->cells = xrealloc(t->cells, st_mult(st_mult(arows, t->ncols),
									      sizeof(*t->cells)));
				}
				cells = &t->cells[t->nrows * t->ncols];
				for (size_t c = 0; c < t->ncols; c++) {
					size_t k = (size_t)map[c], olen = 0;
					bool badesc = false;

					cells[c].j = NULL;
					cells[c].off = (uint32_t)foff[k];
					cells[c].s = copy_unescape(fs[k], fn[k], &olen, a, &badesc);
					cells[c].len = (uint32_t)olen;
					if (badesc) {
						unsigned l, cc;

						text_position(src, foff[k], &l, &cc);
						rc = diag_error(d, path, l, cc, "COPY: a backslash escape "
								"is cut short");
					}
				}
				t->nrows++;
			}
		}
		if (t)
			own(s, t->cells);
		if (!ended) {
			unsigned l, c;

			text_position(src, block_off, &l, &c);
			rc = diag_error(d, path, l, c, "COPY block of '%s' does not end with a '\\.' "
					"line", table);
		}
next:
		free(table);
		for (size_t i = 0; i < nhdr; i++)
			free(hdr[i]);
		free(hdr);
		free(map);
	}
	return rc;
}

int snapshot_load(struct snapshot *s, const char *path, const struct snapshot_need *needs,
		  size_t nneeds, struct arena *a, struct diag *d)
{
	if (is_dir(path))
		return load_csv_dir(s, path, needs, nneeds, a, d);
	if (str_endswith(path, ".json"))
		return load_json(s, path, needs, nneeds, a, d);
	if (str_endswith(path, ".sql"))
		return load_dump(s, path, needs, nneeds, a, d);
	if (!path_exists(path))
		return diag_error(d, path, 0, 0, "snapshot not found");
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
