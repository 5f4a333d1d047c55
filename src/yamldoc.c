#include "yamldoc.h"
#include "arena.h"
#include "diag.h"
#include "strbuf.h"
#include "util.h"
#include "value.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NODES 1000000
#define MAX_DEPTH 200

int ydoc_load(struct ydoc *y, const char *path, const char *src, size_t len,
	      unsigned line_offset, struct diag *d)
{
	yaml_parser_t parser;
	int rc = 0;

	memset(y, 0, sizeof(*y));
	y->path = path;
	y->line_offset = line_offset;
	y->diag = d;
	if (!yaml_parser_initialize(&parser))
		die("cannot initialise the YAML parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)src, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	if (!yaml_parser_load(&parser, &y->doc)) {
		yaml_mark_t m = parser.problem_mark;

		if (parser.context)
			diag_error(d, path, (unsigned)m.line + 1 + line_offset,
				   (unsigned)m.column + 1, "YAML: %s %s", parser.problem,
				   parser.context);
		else
			diag_error(d, path, (unsigned)m.line + 1 + line_offset,
				   (unsigned)m.column + 1, "YAML: %s",
				   parser.problem ? parser.problem : "cannot parse");
		rc = -1;
	} else {
		y->loaded = true;
	}
	yaml_parser_delete(&parser);
	return rc;
}

void ydoc_release(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
}

yaml_node_t *ydoc_root(struct ydoc *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *ydoc_node(struct ydoc *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

int ydoc_error(struct ydoc *y, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	unsigned line = n ? (unsigned)n->start_mark.line + 1 + y->line_offset : 1;
	unsigned col = n ? (unsigned)n->start_mark.column + 1 : 1;

	va_start(ap, fmt);
	diag_verror(y->diag, y->path, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

void ydoc_warning(struct ydoc *y, const yaml_node_t *n, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	diag_warning(y->diag, y->path, (unsigned)n->start_mark.line + 1 + y->line_offset,
		     (unsigned)n->start_mark.column + 1, "%s", sb.buf);
	strbuf_release(&sb);
}

const char *ydoc_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

bool ydoc_is_plain(const yaml_node_t *n)
{
	/* libyaml's loader tags every untagged scalar !!str, so an explicit
	 * "!!str 1" cannot be told apart: quote such values instead. */
	return n->type == YAML_SCALAR_NODE &&
	       n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static bool is_int(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool is_float(const char *s)
{
	bool digits = false;

	if (*s == '-' || *s == '+')
		s++;
	if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF"))
		return true;
	while (*s >= '0' && *s <= '9') {
		s++;
		digits = true;
	}
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			s++;
			digits = true;
		}
	}
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

static bool is_null(const char *s)
{
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

static int is_bool(const char *s)
{
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return 1;
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return 0;
	return -1;
}

const char *ydoc_describe(const yaml_node_t *n)
{
	const char *s;

	if (!n)
		return "nothing";
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (!ydoc_is_plain(n))
		return "a string";
	s = ydoc_scalar(n);
	if (is_null(s))
		return "null";
	if (is_bool(s) >= 0)
		return "a boolean";
	if (is_int(s) || is_float(s))
		return "a number";
	return "a string";
}

struct conv {
	struct ydoc *y;
	struct arena *a;
	long nodes;
	bool failed;
};

static struct value *convert(struct conv *c, yaml_node_t *n, int depth)
{
	struct value *v;

	if (c->failed)
		return NULL;
	if (++c->nodes > MAX_NODES) {
		ydoc_error(c->y, n, "YAML expands to more than %d nodes (aliases?)", MAX_NODES);
		c->failed = true;
		return NULL;
	}
	if (depth > MAX_DEPTH) {
		ydoc_error(c->y, n, "YAML nests more than %d levels deep", MAX_DEPTH);
		c->failed = true;
		return NULL;
	}
	switch (n->type) {
	case YAML_SCALAR_NODE: {
		const char *s = (const char *)n->data.scalar.value;
		size_t len = n->data.scalar.length;

		if (!ydoc_is_plain(n))
			return value_strn(c->a, s, len);
		if (is_null(s))
			return value_null(c->a);
		if (is_bool(s) >= 0)
			return value_bool(c->a, is_bool(s));
		if (is_int(s)) {
			long long i;

			errno = 0;
			i = strtoll(s, NULL, 10);
			if (!errno)
				return value_int(c->a, i);
		}
		if (is_float(s)) {
			const char *p = s + (*s == '-' || *s == '+');

			if (*p == '.' && (p[1] == 'i' || p[1] == 'I'))
				return value_real(c->a, *s == '-' ? -INFINITY : INFINITY);
			return value_real(c->a, strtod(s, NULL));
		}
		if (!strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN"))
			return value_real(c->a, NAN);
		return value_strn(c->a, s, len);
	}
	case YAML_SEQUENCE_NODE: {
		yaml_node_item_t *it = n->data.sequence.items.start;
		size_t count = (size_t)(n->data.sequence.items.top - it);

		v = value_list(c->a, count);
		for (; it < n->data.sequence.items.top; it++) {
			struct value *e = convert(c, ydoc_node(c->y, *it), depth + 1);

			if (!e)
				return NULL;
			value_list_push(c->a, v, e);
		}
		return v;
	}
	case YAML_MAPPING_NODE: {
		yaml_node_pair_t *p = n->data.mapping.pairs.start;
		size_t count = (size_t)(n->data.mapping.pairs.top - p);

		v = value_map(c->a, count);
		for (; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = ydoc_node(c->y, p->key);
			struct value *e;

			if (k->type != YAML_SCALAR_NODE) {
				ydoc_error(c->y, k, "expected a string as mapping key, found %s",
					   ydoc_describe(k));
				c->failed = true;
				return NULL;
			}
			e = convert(c, ydoc_node(c->y, p->value), depth + 1);
			if (!e)
				return NULL;
			value_map_setk(c->a, v, (const char *)k->data.scalar.value, e);
		}
		return v;
	}
	default:
		return value_null(c->a);
	}
}

struct value *ydoc_to_value(struct ydoc *y, yaml_node_t *n, struct arena *a)
{
	struct conv c = { y, a, 0, false };

	if (!n)
		return value_map(a, 0);
	return convert(&c, n, 0);
}
