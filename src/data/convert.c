/* Cells to typed values, by the field types presetgen.yaml declares; the
 * same for the three snapshot forms, since every cell arrives as
 * PostgreSQL's text output. A JSON cell also says what JSON held, so that
 * a text field holding a JSON number is still an error. */
#include "internal.h"

#include <cmark.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The text of column or join name for table row r. */
const char *row_text(struct rt *x, size_t r, const char *name)
{
	int col;

	for (size_t j = 0; x->joins && j < x->cfg->njoins; j++) {
		if (!strcmp(x->cfg->joins[j].name, name)) {
			size_t jr;
			const char *key = table_cell(x->t, r, (size_t)x->keycol)->s;

			if (!x->joins[j] || !strmap_get(x->joins[j], key, &jr))
				return NULL;
			return table_cell(x->jt[j], jr, (size_t)x->jcol[j])->s;
		}
	}
	col = table_col(x->t, name);
	return col < 0 ? NULL : table_cell(x->t, r, (size_t)col)->s;
}

bool conds_pass(struct rt *x, size_t r, const struct cond *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = row_text(x, r, c[i].col);
		bool in = false;
		int64_t us, at = c[i].now ? x->b->now : c[i].at_us;

		for (size_t k = 0; s && k < c[i].nvals; k++)
			if (!strcmp(s, c[i].vals[k]))
				in = true;
		switch (c[i].op) {
		case COP_EQ:
		case COP_IN:
			if (!in)
				return false;
			break;
		case COP_NE:
		case COP_NOT_IN:
			if (!s || in)	/* as in SQL, NULL passes neither */
				return false;
			break;
		case COP_NULL:
			if (s)
				return false;
			break;
		case COP_NOT_NULL:
			if (!s)
				return false;
			break;
		case COP_BEFORE:
		case COP_NOT_BEFORE:
			if (!s || !ts_parse(s, strlen(s), &us))
				return false;
			if ((c[i].op == COP_BEFORE) != (us < at))
				return false;
			break;
		}
	}
	return true;
}

static bool valid_uuid(const char *s, size_t n)
{
	if (n != 36)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
			     (s[i] >= 'A' && s[i] <= 'F'))) {
			return false;
		}
	}
	return true;
}

/* numeric text -> exactly scale digits after the point; NULL if not a number
 * or if it has more digits than the scale. */
static char *numeric_text(struct arena *a, const char *s, int scale)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = s, *dot;
	size_t frac = 0;
	char *out;

	if (*p == '-' || *p == '+')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return NULL;
	while (*p >= '0' && *p <= '9')
		p++;
	dot = p;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			frac++;
		}
	}
	if (*p || frac > (size_t)scale)
		return NULL;
	strbuf_adds(&sb, *s == '+' ? s + 1 : s);
	if (scale && !frac && *dot != '.')
		strbuf_addch(&sb, '.');
	for (size_t i = frac; i < (size_t)scale; i++)
		strbuf_addch(&sb, '0');
	out = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return out;
}

/* A URL a profile may link to: http(s) only; "www.x.org/y" gains https://.
 * NULL for anything else (javascript:, data:, spaces, quotes, brackets). */
static struct value *url_value(struct arena *a, const char *s)
{
	size_t n;
	const char *colon;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n)
		return value_null(a);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' ||
		    c == '`' || c == '\\' || c == '{' || c == '}')
			return value_null(a);
	}
	colon = memchr(s, ':', n);
	if (!strncasecmp(s, "https://", 8) || !strncasecmp(s, "http://", 7)) {
		const char *host = s + (s[4] == ':' ? 7 : 8);

		if (!*host || *host == '/')
			return value_null(a);
		return value_strn(a, s, n);
	}
	/* no scheme: a host name, then maybe a path */
	if ((!colon || (memchr(s, '/', n) && (const char *)memchr(s, '/', n) < colon)) &&
	    memchr(s, '.', n) && s[0] != '/' && s[0] != '.') {
		char *buf = arena_printf(a, "https://%.*s", (int)n, s);

		return value_str_nocopy(a, buf, strlen(buf));
	}
	return value_null(a);
}

struct arr_ctx {
	struct arena *a;
	struct value *list;
};

static void arr_push(void *ud, const char *e, size_t n)
{
	struct arr_ctx *c = ud;

	value_list_push(c->a, c->list, e ? value_strn(c->a, e, n) : value_null(c->a));
}

/* A jsonb cell of a JSON snapshot: arrays and objects parse, scalars stay
 * what JSON made them. */
static struct value *json_scalar(struct arena *a, int kind, const char *text, size_t len)
{
	switch (kind) {
	case CELL_TEXT: return value_str_nocopy(a, text, len);
	case CELL_INT: return value_int(a, strtoll(text, NULL, 10));
	case CELL_REAL: return value_real(a, strtod(text, NULL));
	case CELL_BOOL: return value_bool(a, text[0] == 't');
	default: return json_to_value_quiet(text, len, a);
	}
}

/* A JSON array of text (text[] in a JSON snapshot); NULL if it holds
 * anything but strings and nulls. */
static struct value *json_text_array(struct arena *a, const char *text, size_t len)
{
	struct value *v = json_to_value_quiet(text, len, a);

	if (!v || v->type != V_LIST)
		return NULL;
	for (uint32_t i = 0; i < v->len; i++)
		if (v->u.items[i]->type != V_STRING && v->u.items[i]->type != V_NULL)
			return NULL;
	return v;
}

static struct value *text_array(struct arena *a, const char *text, size_t len)
{
	struct arr_ctx ac = { a, value_list(a, 0) };
	struct strbuf sb = STRBUF_INIT;
	bool ok = pg_array_parse(text, len, arr_push, &ac, &sb);

	strbuf_release(&sb);
	return ok ? ac.list : NULL;
}

/* What convert_cell knows of the cell at hand. */
struct conv {
	struct rt *x;
	size_t r;
	int col;		/* the cell's column, or -1 for a joined value */
	const struct field_cfg *fc;
	bool json;		/* from a JSON snapshot: kind says what JSON held */
	int kind;
	const char *text;
	size_t len;
};

/* Reports that the cell is not what its type wants. Returns NULL. */
static struct value *bad(const struct conv *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static struct value *bad(const struct conv *v, const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (v->col >= 0)
		cell_error(v->x->b->d, v->x->t, v->r, (size_t)v->col, "%s", msg.buf);
	else
		diag_error(v->x->b->d, v->x->t->path, 0, 0, "%s", msg.buf);
	strbuf_release(&msg);
	return NULL;
}

/* text, markdown, url, uuid */
static struct value *convert_text(const struct conv *v, struct arena *a)
{
	if (v->kind != CELL_TEXT) {
		if (v->fc->type == FT_URL)
			return bad(v, "expected a URL as text");
		if (v->fc->type == FT_UUID)
			return bad(v, "expected a uuid such as 7a7a78c5-83e2-4311-bb74-9003c7ab35e8, "
				   "found '%.40s'", v->text);
		return bad(v, "expected text, found a JSON %s",
			   v->kind == CELL_INT || v->kind == CELL_REAL ? "number" : "value");
	}
	switch (v->fc->type) {
	case FT_MARKDOWN: {
		/* no CMARK_OPT_UNSAFE: raw HTML and javascript: links are dropped */
		char *html = cmark_markdown_to_html(v->text, v->len, CMARK_OPT_DEFAULT);
		struct value *res;

		if (!html)
			oom("out of memory rendering Markdown");
		res = value_str(a, html);
		free(html);
		return res;
	}
	case FT_URL:
		return url_value(a, v->text);
	case FT_UUID: {
		char *u;

		if (!valid_uuid(v->text, v->len))
			return bad(v, "expected a uuid such as 7a7a78c5-83e2-4311-bb74-9003c7ab35e8, "
				   "found '%.40s'", v->text);
		u = arena_strndup(a, v->text, v->len);
		for (char *p = u; *p; p++)
			if (*p >= 'A' && *p <= 'F')
				*p = (char)(*p - 'A' + 'a');
		return value_str_nocopy(a, u, v->len);
	}
	default:
		return value_str_nocopy(a, v->text, v->len);
	}
}

/* integer, numeric, boolean */
static struct value *convert_number(const struct conv *v, struct arena *a)
{
	const char *text = v->text;
	char *end, *s;
	long long n;

	switch (v->fc->type) {
	case FT_INTEGER:
		if (v->json && v->kind != CELL_INT)
			return bad(v, "expected an integer");
		errno = 0;
		n = strtoll(text, &end, 10);
		if (errno || !*text || *end)
			return bad(v, "expected an integer, found '%.40s'", text);
		return value_int(a, n);
	case FT_NUMERIC:
		if (v->json) {
			if (v->kind != CELL_INT && v->kind != CELL_REAL)
				return bad(v, "expected a number");
			/* JSON keeps no scale: show the declared one */
			s = arena_printf(a, "%.*f", v->fc->scale, strtod(text, NULL));
		} else {
			s = numeric_text(a, text, v->fc->scale);
			if (!s)
				return bad(v, "expected a number with at most %d digits after the "
					   "point, found '%.40s'", v->fc->scale, text);
		}
		return value_decimal(a, s);
	default:	/* FT_BOOLEAN */
		if (v->json && v->kind != CELL_BOOL)
			return bad(v, "expected true or false");
		if (!strcmp(text, "t") || !strcmp(text, "true"))
			return value_bool(a, true);
		if (!strcmp(text, "f") || !strcmp(text, "false"))
			return value_bool(a, false);
		return bad(v, "expected t or f, found '%.40s'", text);
	}
}

/* date, timestamptz */
static struct value *convert_time(const struct conv *v, struct arena *a)
{
	int64_t days, us;

	if (v->fc->type == FT_DATE) {
		if (v->kind != CELL_TEXT || !date_parse(v->text, v->len, &days))
			return bad(v, "expected a date such as 2026-03-14, found '%.40s'", v->text);
		return value_strn(a, v->text, v->len);
	}
	if (v->kind != CELL_TEXT || !ts_parse(v->text, v->len, &us))
		return bad(v, "expected a timestamp with time zone such as 2026-03-14 10:00:00+00, "
			   "found '%.40s'", v->text);
	return value_time(a, us, v->x->b->tz);
}

/* text[], jsonb */
static struct value *convert_structured(const struct conv *v, struct arena *a)
{
	struct value *res;

	if (v->fc->type == FT_JSONB) {
		res = v->json ? json_scalar(a, v->kind, v->text, v->len)
			      : json_to_value_quiet(v->text, v->len, a);
		return res ? res : bad(v, "expected JSON, found '%.40s'", v->text);
	}
	if (v->json) {
		if (v->kind != CELL_ARRAY)
			return bad(v, "expected an array");
		res = json_text_array(a, v->text, v->len);
		return res ? res : bad(v, "expected an array of text");
	}
	res = text_array(a, v->text, v->len);
	return res ? res : bad(v, "expected an array such as {a,\"b c\"}, found '%.40s'", v->text);
}

struct value *convert_cell(struct rt *x, size_t r, size_t f, const struct cell *c,
			   const char *text)
{
	struct arena *a = x->b->a;
	struct conv v;

	if (!text)
		return value_null(a);
	v.x = x;
	v.r = r;
	v.col = x->fcol[f];
	v.fc = &x->cfg->fields[f];
	v.json = c && x->t->form == SNAP_JSON;
	v.kind = v.json ? c->kind : CELL_TEXT;
	v.text = text;
	v.len = strlen(text);
	switch (v.fc->type) {
	case FT_TEXT:
	case FT_MARKDOWN:
	case FT_URL:
	case FT_UUID:
		return convert_text(&v, a);
	case FT_INTEGER:
	case FT_NUMERIC:
	case FT_BOOLEAN:
		return convert_number(&v, a);
	case FT_DATE:
	case FT_TIMESTAMPTZ:
		return convert_time(&v, a);
	case FT_TEXT_ARRAY:
	case FT_JSONB:
		return convert_structured(&v, a);
	}
	return value_null(a);
}
