/* Redirects: presetgen.yaml's, and those a snapshot table makes (see
 * internal.h for the rules that keep them safe). */
#include "internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* a handle renamed more often than this is a loop in the table */
#define MAX_HOPS 32

size_t redirects_needs(const struct config *cfg, const struct snapshot_need *in, size_t nin,
		       struct snapshot_need **out, struct arena *a)
{
	struct snapshot_need *res = arena_alloc(a, (nin + cfg->nredirects + 1) * sizeof(*res));
	size_t n = nin;

	if (nin)
		memcpy(res, in, nin * sizeof(*res));
	for (size_t i = 0; i < cfg->nredirects; i++) {
		const struct redirect_cfg *rd = &cfg->redirects[i];
		struct snapshot_need *nd = NULL;
		const char **cols;

		if (!rd->table)
			continue;
		for (size_t k = 0; k < n; k++)
			if (!strcmp(res[k].table, rd->table))
				nd = &res[k];
		if (!nd) {
			nd = &res[n++];
			nd->table = rd->table;
			nd->cols = NULL;
			nd->ncols = 0;
		}
		cols = arena_alloc(a, (nd->ncols + rd->ncols + 1) * sizeof(*cols));
		if (nd->ncols)
			memcpy(cols, nd->cols, nd->ncols * sizeof(*cols));
		for (size_t c = 0; c < rd->ncols; c++) {
			size_t k;

			for (k = 0; k < nd->ncols; k++)
				if (!strcmp(cols[k], rd->cols[c]))
					break;
			if (k == nd->ncols)
				cols[nd->ncols++] = rd->cols[c];
		}
		nd->cols = cols;
	}
	*out = res;
	return n;
}

struct trow {
	const char *from, *to;
	bool permanent;
	const struct table *t;
	size_t row;
};

static int cmp_trow(const void *x, const void *y)
{
	const struct trow *a = x, *b = y;
	int c = strcmp(a->from, b->from);

	return c ? c : strcmp(a->to, b->to);
}

static const struct trow *find_trow(const struct trow *rows, size_t n, const char *from)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rows[mid].from, from);

		if (!c)
			return &rows[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The text of a cell, or NULL for SQL NULL and for JSON that is not text. */
static const char *cell_string(const struct cell *c)
{
	return c->kind == CELL_TEXT ? c->s : NULL;
}

/* Fills pattern with row r's values, each made a path segment as page URLs
 * are. NULL (after a warning) when a value cannot be one. */
static const char *fill(const struct redirect_cfg *rd, const char *pat, const struct table *t,
			const int *cols, size_t r, struct slugger *slugs, struct strbuf *sb,
			struct arena *a, struct diag *d)
{
	strbuf_reset(sb);
	while (*pat) {
		const char *o = strchr(pat, '{'), *e, *v;
		size_t c;
		bool renamed;

		if (!o) {
			strbuf_adds(sb, pat);
			break;
		}
		strbuf_add(sb, pat, (size_t)(o - pat));
		e = strchr(o, '}');
		for (c = 0; c < rd->ncols; c++)
			if (strlen(rd->cols[c]) == (size_t)(e - o - 1) &&
			    !strncmp(rd->cols[c], o + 1, (size_t)(e - o - 1)))
				break;
		v = cell_string(table_cell(t, r, (size_t)cols[c]));
		if (!v) {
			cell_warning(d, t, r, (size_t)cols[c], "expected text for a redirect, "
				     "found NULL: the row makes no redirect");
			return NULL;
		}
		for (const char *p = v; *p; p++)
			if ((unsigned char)*p >= 0x80) {
				cell_warning(d, t, r, (size_t)cols[c], "'%s' is not a handle "
					     "(a-z, 0-9, _): the row makes no redirect", v);
				return NULL;
			}
		if (!url_segment(slugs, sb, v, strlen(v), &renamed)) {
			cell_warning(d, t, r, (size_t)cols[c], "'%s' leaves nothing for a URL: "
				     "the row makes no redirect", v);
			return NULL;
		}
		pat = e + 1;
	}
	return arena_strndup(a, sb->buf, sb->len);
}

/* Reads every table redirect's rows into *rows. */
static size_t table_rows(const struct config *cfg, const struct snapshot *snap,
			 struct slugger *slugs, struct arena *a, struct diag *d, struct trow **rows,
			 size_t *bad)
{
	struct strbuf sb = STRBUF_INIT;
	struct trow *res = NULL;
	size_t n = 0, alloc = 0;

	for (size_t i = 0; i < cfg->nredirects; i++) {
		const struct redirect_cfg *rd = &cfg->redirects[i];
		const struct table *t;
		int *cols;

		if (!rd->table)
			continue;
		t = snapshot_table(snap, rd->table);
		if (!t) {
			diag_warning_at(d, &rd->table_at, "redirects: no snapshot has the table '%s', "
					"so it makes no redirects", rd->table);
			continue;
		}
		cols = xcalloc(rd->ncols + 1, sizeof(*cols));
		for (size_t c = 0; c < rd->ncols; c++)
			cols[c] = table_col(t, rd->cols[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			const char *from = fill(rd, rd->from, t, cols, r, slugs, &sb, a, d);
			const char *to = from ? fill(rd, rd->to, t, cols, r, slugs, &sb, a, d) : NULL;

			if (!to) {
				(*bad)++;
				continue;
			}
			ALLOC_GROW(res, n + 1, alloc);
			res[n].from = from;
			res[n].to = to;
			res[n].permanent = rd->permanent;
			res[n].t = t;
			res[n].row = r;
			n++;
		}
		free(cols);
	}
	strbuf_release(&sb);
	*rows = res;
	return n;
}

/* One of presetgen.yaml's redirects: Vercel's own rules run first, so a
 * source they send elsewhere never reaches it; and redirects run before
 * files, so a source that is a page would hide it. */
static int own_redirect_fires(const struct redirect_cfg *rd,
			      bool (*served)(const void *ud, const char *path), const void *ud,
			      struct diag *d)
{
	struct strbuf loc = STRBUF_INIT;
	const char *rule = vercel_rule(rd->from, &loc);
	int rc = 0;

	if (rule)
		rc = diag_error_at(d, &rd->at, "redirects: '%s' never fires: Vercel's %s sends it "
				   "to %s first", rd->from, rule, loc.buf);
	else if (served(ud, rd->from))
		rc = diag_error_at(d, &rd->at, "redirects: '%s' is a page of the site, which the "
				   "redirect would hide", rd->from);
	strbuf_release(&loc);
	return rc;
}

/* presetgen.yaml's own redirects, first in vercel.json. */
static int own_redirects(const struct config *cfg,
			 bool (*served)(const void *ud, const char *path), const void *ud,
			 size_t budget, struct arena *a, struct diag *d, struct redirects *out)
{
	size_t nstatic = 0;
	int rc = 0;

	for (size_t i = 0; i < cfg->nredirects; i++)
		nstatic += !cfg->redirects[i].table;
	if (nstatic > budget)
		return diag_error_at(d, &cfg->redirects_at, "redirects: %zu redirects, but "
				     "vercel.json can hold %zu beside its other routes (Vercel "
				     "allows 2,048 routes)", nstatic, budget);
	out->vercel = arena_alloc(a, (nstatic + 1) * sizeof(*out->vercel));
	for (size_t i = 0; i < cfg->nredirects; i++) {
		const struct redirect_cfg *rd = &cfg->redirects[i];

		if (rd->table)
			continue;
		if (own_redirect_fires(rd, served, ud, d) < 0)
			rc = -1;
		out->vercel[out->nvercel++] = (struct redirect){ rd->from, rd->to, rd->permanent };
	}
	return rc;
}

/* One destination per source: the same pair twice is one redirect, two
 * destinations for one source are a conflict (the first in byte order is
 * kept, whatever order the rows came in). Returns the rows kept. */
static size_t one_per_source(struct trow *rows, size_t n, struct diag *d, size_t *bad)
{
	size_t nu = 0;

	qsort(rows, n, sizeof(*rows), cmp_trow);
	for (size_t i = 0; i < n; i++) {
		if (nu && !strcmp(rows[nu - 1].from, rows[i].from)) {
			if (strcmp(rows[nu - 1].to, rows[i].to)) {
				cell_warning(d, rows[i].t, rows[i].row, 0, "'%s' already redirects to "
					     "'%s': this row's '%s' is left out", rows[i].from,
					     rows[nu - 1].to, rows[i].to);
				(*bad)++;
			}
			continue;
		}
		rows[nu++] = rows[i];
	}
	return nu;
}

/* The rows whose source is no page and whose chain ends at one, each
 * going straight to that page. */
static size_t follow(const struct trow *rows, size_t nu,
		     bool (*served)(const void *ud, const char *path), const void *ud,
		     struct redirects *out, struct redirect *keep)
{
	size_t nkeep = 0;

	for (size_t i = 0; i < nu; i++) {
		const char *to = rows[i].to;
		bool mine = false;
		int hops = 0;

		for (size_t k = 0; k < out->nvercel && !mine; k++)
			mine = !strcmp(out->vercel[k].from, rows[i].from);
		if (mine || served(ud, rows[i].from)) {
			out->live++;
			continue;
		}
		while (!served(ud, to) && hops++ < MAX_HOPS) {
			const struct trow *next = find_trow(rows, nu, to);

			if (!next)
				break;
			to = next->to;
		}
		if (!served(ud, to)) {
			out->unpublished++;
			continue;
		}
		keep[nkeep++] = (struct redirect){ rows[i].from, to, rows[i].permanent };
	}
	return nkeep;
}

int redirects_build(const struct config *cfg, const struct snapshot *snap,
		    struct slugger *slugs, bool (*served)(const void *ud, const char *path),
		    const void *ud, size_t budget, struct arena *a, struct diag *d,
		    struct redirects *out)
{
	struct trow *rows = NULL;
	struct redirect *keep, *v;
	size_t nrows, nu, nkeep, room, nv;

	memset(out, 0, sizeof(*out));
	if (own_redirects(cfg, served, ud, budget, a, d, out) < 0)
		return -1;
	nrows = table_rows(cfg, snap, slugs, a, d, &rows, &out->bad);
	if (!nrows) {
		free(rows);
		return 0;
	}
	nu = one_per_source(rows, nrows, d, &out->bad);
	keep = arena_alloc(a, (nu + 1) * sizeof(*keep));
	nkeep = follow(rows, nu, served, ud, out, keep);
	free(rows);
	out->from_tables = nkeep;
	/* in source order; what vercel.json cannot hold becomes pages */
	room = budget - out->nvercel;
	nv = nkeep < room ? nkeep : room;
	v = arena_alloc(a, (out->nvercel + nv + 1) * sizeof(*v));
	memcpy(v, out->vercel, out->nvercel * sizeof(*v));
	memcpy(v + out->nvercel, keep, nv * sizeof(*v));
	out->vercel = v;
	out->nvercel += nv;
	out->pages = keep + nv;
	out->npages = nkeep - nv;
	return 0;
}

void redirect_page(struct strbuf *out, const struct redirect *r, const char *base_url,
		   const char *lang)
{
	strbuf_adds(out, "<!DOCTYPE html>\n<html lang=\"");
	html_escape(out, lang, strlen(lang));
	strbuf_adds(out, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	html_escape(out, r->to, strlen(r->to));
	strbuf_adds(out, "</title>\n<link rel=\"canonical\" href=\"");
	html_escape(out, base_url, strlen(base_url));
	html_escape(out, r->to, strlen(r->to));
	strbuf_adds(out, "\">\n<meta name=\"robots\" content=\"noindex\">\n"
		    "<meta http-equiv=\"refresh\" content=\"0; url=");
	html_escape(out, r->to, strlen(r->to));
	strbuf_adds(out, "\">\n</head>\n<body>\n<p>This page has moved to <a href=\"");
	html_escape(out, r->to, strlen(r->to));
	strbuf_adds(out, "\">");
	html_escape(out, r->to, strlen(r->to));
	strbuf_adds(out, "</a>.</p>\n</body>\n</html>\n");
}

/* ---- presetgen.yaml's redirects ----------------------------------------------- */

static bool ident(const char *s, size_t n)
{
	if (!n || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* Collects the {column} placeholders of a table redirect's pattern; the
 * text around them must be plain path characters, so that a filled-in
 * pattern is a literal path for Vercel's path-to-regexp. */
static int placeholders(struct yread *r, const struct ynode *n, struct redirect_cfg *rd,
			const char *pat, size_t *found)
{
	const char *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.~";

	*found = 0;
	for (const char *p = pat; *p; ) {
		const char *e, *col;
		size_t i;

		if (*p != '{') {
			if (!strchr(ok, *p))
				return ydoc_error(r->y, n, "'%s': a table redirect's pattern holds "
						  "only letters, digits, / - _ . ~ and {column}", pat);
			p++;
			continue;
		}
		e = strchr(p, '}');
		if (!e || !ident(p + 1, (size_t)(e - p - 1)))
			return ydoc_error(r->y, n, "'%s': expected {column} with a column name", pat);
		col = arena_strndup(r->a, p + 1, (size_t)(e - p - 1));
		for (i = 0; i < rd->ncols; i++)
			if (!strcmp(rd->cols[i], col))
				break;
		if (i == rd->ncols) {
			const char **c = arena_alloc(r->a, (rd->ncols + 1) * sizeof(*c));

			if (rd->ncols)
				memcpy(c, rd->cols, rd->ncols * sizeof(*c));
			c[rd->ncols++] = col;
			rd->cols = c;
		}
		(*found)++;
		p = e + 1;
	}
	return 0;
}

static const struct ykey redirect_keys[] = {
	{ .name = "from", .type = YK_NAME, .off = offsetof(struct redirect_cfg, from), .required = true },
	{ .name = "to", .type = YK_NAME, .off = offsetof(struct redirect_cfg, to), .required = true },
	{ .name = "permanent", .type = YK_BOOL, .off = offsetof(struct redirect_cfg, permanent) },
	{ .name = "table", .type = YK_NAME, .off = offsetof(struct redirect_cfg, table),
	  .at = offsetof(struct redirect_cfg, table_at) + 1 },
};

static bool ends_in_slash(const char *s)
{
	return s[0] == '/' && s[strlen(s) - 1] == '/';
}

/* The rules of a table redirect: a table name, patterns from a page path
 * to a page path, each naming a column. */
static int check_table_redirect(struct yread *r, const struct ynode *n, struct redirect_cfg *rd)
{
	size_t nfrom, nto;

	if (!ident(rd->table, strlen(rd->table)))
		return ydoc_error(r->y, n, "'%s' is not a table name", rd->table);
	if (!ends_in_slash(rd->from) || !ends_in_slash(rd->to))
		return ydoc_error(r->y, n, "a table redirect goes from a path to a path of this "
				  "site, both ending in / as pages do, as \"/u/{old_handle}/\" to "
				  "\"/u/{new_handle}/\"");
	if (placeholders(r, n, rd, rd->from, &nfrom) < 0 || placeholders(r, n, rd, rd->to, &nto) < 0)
		return -1;
	if (!nfrom || !nto)
		return ydoc_error(r->y, n, "a table redirect names a column in 'from' and in 'to', "
				  "as \"/u/{old_handle}/\" to \"/u/{new_handle}/\"");
	return 0;
}

/* redirects: [{from: /old/, to: /new/, permanent: true},
 *             {table: user_handle_redirects, from: "/u/{old_handle}/", to: "/u/{new_handle}/"}] */
int config_redirects(struct yread *r, const struct ynode *v, struct config *cfg)
{
	int rc = 0;

	if (ynode_type(v) != YN_LIST)
		return ydoc_error(r->y, v, "expected a list of {from, to, permanent} for 'redirects'");
	cfg->redirects = arena_calloc(r->a, (ynode_count(v) + 1) * sizeof(*cfg->redirects));
	for (size_t i = 0; i < ynode_count(v); i++) {
		const struct ynode *n = ynode_item(r->y, v, i);
		struct redirect_cfg *rd = &cfg->redirects[cfg->nredirects];

		rd->permanent = true;
		ynode_pos(r->y, n, &rd->at);
		if (yread_map(r, n, "redirects", redirect_keys, ARRAY_SIZE(redirect_keys), rd) < 0) {
			rc = -1;
			continue;
		}
		if (rd->table) {
			if (check_table_redirect(r, n, rd) < 0) {
				rc = -1;
				continue;
			}
		} else if (rd->from[0] != '/' || (rd->to[0] != '/' && strncmp(rd->to, "https://", 8)) ||
			   strpbrk(rd->from, " \"<>") || strpbrk(rd->to, " \"<>")) {
			rc = ydoc_error(r->y, n, "a redirect goes from a path (/old/) to a path or an "
					"https:// URL");
			continue;
		}
		cfg->nredirects++;
	}
	return rc;
}
