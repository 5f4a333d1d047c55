/* Cells to typed values, by the field types presetgen.yaml declares; the
 * same for the three snapshot forms, since every cell arrives as
 * PostgreSQL's text output. A JSON cell also says what JSON held, so that
 * a text field holding a JSON number is still an error. */
#include "internal.h"

#include <cmark.h>
#include <errno.h>
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

struct value *convert_cell(struct rt *x, size_t r, size_t f, const struct cell *c,
			   const char *text)
{
	struct arena *a = x->b->a;
	const struct field_cfg *fc = &x->cfg->fields[f];
	/* a JSON cell says what JSON held; text forms hold text */
	bool json = c && x->t->form == SNAP_JSON;
	int kind = json ? c->kind : CELL_TEXT;
	size_t len = text ? strlen(text) : 0;
	int col = x->fcol[f];
	struct value *v;

#define BAD(...) do { \
		if (col >= 0) \
			cell_error(x->b->d, x->t, r, (size_t)col, __VA_ARGS__); \
		else \
			diag_error(x->b->d, x->t->path, 0, 0, __VA_ARGS__); \
		return NULL; \
	} while (0)
	if (!text)
		return value_null(a);
	switch (fc->type) {
	case FT_TEXT:
	case FT_MARKDOWN:
		if (kind != CELL_TEXT)
			BAD("expected text, found a JSON %s",
			    kind == CELL_INT || kind == CELL_REAL ? "number" : "value");
		if (fc->type == FT_MARKDOWN) {
			/* no CMARK_OPT_UNSAFE: raw HTML and javascript: links are dropped */
			char *html = cmark_markdown_to_html(text, len, CMARK_OPT_DEFAULT);

			if (!html)
				oom("out of memory rendering Markdown");
			v = value_str(a, html);
			free(html);
			return v;
		}
		return value_str_nocopy(a, text, len);
	case FT_URL:
		if (kind != CELL_TEXT)
			BAD("expected a URL as text");
		return url_value(a, text);
	case FT_UUID:
		if (kind != CELL_TEXT || !valid_uuid(text, len))
			BAD("expected a uuid such as 7a7a78c5-83e2-4311-bb74-9003c7ab35e8, found '%.40s'",
			    text);
		{
			char *u = arena_strndup(a, text, len);

			for (char *p = u; *p; p++)
				if (*p >= 'A' && *p <= 'F')
					*p = (char)(*p - 'A' + 'a');
			return value_str_nocopy(a, u, len);
		}
	case FT_INTEGER: {
		char *end;
		long long n;

		if (json && kind != CELL_INT)
			BAD("expected an integer");
		errno = 0;
		n = strtoll(text, &end, 10);
		if (errno || !*text || *end)
			BAD("expected an integer, found '%.40s'", text);
		return value_int(a, n);
	}
	case FT_NUMERIC: {
		char *s;

		if (json) {
			if (kind != CELL_INT && kind != CELL_REAL)
				BAD("expected a number");
			/* JSON keeps no scale: show the declared one */
			s = arena_printf(a, "%.*f", fc->scale, strtod(text, NULL));
		} else {
			s = numeric_text(a, text, fc->scale);
			if (!s)
				BAD("expected a number with at most %d digits after the point, found '%.40s'",
				    fc->scale, text);
		}
		return value_decimal(a, s);
	}
	case FT_BOOLEAN:
		if (json && kind != CELL_BOOL)
			BAD("expected true or false");
		if (!strcmp(text, "t") || !strcmp(text, "true"))
			return value_bool(a, true);
		if (!strcmp(text, "f") || !strcmp(text, "false"))
			return value_bool(a, false);
		BAD("expected t or f, found '%.40s'", text);
	case FT_DATE: {
		int64_t days;

		if (kind != CELL_TEXT || !date_parse(text, len, &days))
			BAD("expected a date such as 2026-03-14, found '%.40s'", text);
		return value_strn(a, text, len);
	}
	case FT_TIMESTAMPTZ: {
		int64_t us;

		if (kind != CELL_TEXT || !ts_parse(text, len, &us))
			BAD("expected a timestamp with time zone such as 2026-03-14 10:00:00+00, "
			    "found '%.40s'", text);
		return value_time(a, us, x->b->tz);
	}
	case FT_TEXT_ARRAY:
		if (json) {
			if (kind != CELL_ARRAY)
				BAD("expected an array");
			v = json_text_array(a, text, len);
			if (!v)
				BAD("expected an array of text");
			return v;
		}
		v = text_array(a, text, len);
		if (!v)
			BAD("expected an array such as {a,\"b c\"}, found '%.40s'", text);
		return v;
	case FT_JSONB:
		v = json ? json_scalar(a, kind, text, len) : json_to_value_quiet(text, len, a);
		if (!v)
			BAD("expected JSON, found '%.40s'", text);
		return v;
	}
#undef BAD
	return value_null(a);
}
