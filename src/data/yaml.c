/* YAML documents loaded with libyaml. A struct ynode is a yaml_node_t: the
 * type stays here, so that no header but this file's includes yaml.h. */
#include "data.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_NODES 1000000
#define MAX_DEPTH 200

struct ydoc {
	yaml_document_t doc;
	const char *path;
	unsigned line_offset;	/* lines before the YAML in its file */
	struct diag *diag;
};

#define N(n) ((const yaml_node_t *)(n))

struct ydoc *ydoc_load(const char *path, const char *src, size_t len, unsigned line_offset,
		       struct diag *d)
{
	yaml_parser_t parser;
	struct ydoc *y = xcalloc(1, sizeof(*y));

	y->path = path;
	y->line_offset = line_offset;
	y->diag = d;
	if (!yaml_parser_initialize(&parser))
		oom("cannot initialise the YAML parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)src, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	if (!yaml_parser_load(&parser, &y->doc)) {
		yaml_mark_t m = parser.problem_mark;

		if (parser.error == YAML_MEMORY_ERROR)
			oom("out of memory parsing YAML");
		if (parser.context)
			diag_error(d, path, (unsigned)m.line + 1 + line_offset,
				   (unsigned)m.column + 1, "YAML: %s %s", parser.problem,
				   parser.context);
		else
			diag_error(d, path, (unsigned)m.line + 1 + line_offset,
				   (unsigned)m.column + 1, "YAML: %s",
				   parser.problem ? parser.problem : "cannot parse");
		yaml_parser_delete(&parser);
		free(y);
		return NULL;
	}
	yaml_parser_delete(&parser);
	return y;
}

void ydoc_free(struct ydoc *y)
{
	if (!y)
		return;
	yaml_document_delete(&y->doc);
	free(y);
}

const struct ynode *ydoc_root(const struct ydoc *y)
{
	return (const struct ynode *)yaml_document_get_root_node((yaml_document_t *)&y->doc);
}

const char *ydoc_path(const struct ydoc *y)
{
	return y->path;
}

struct diag *ydoc_diag(const struct ydoc *y)
{
	return y->diag;
}

static const struct ynode *node(const struct ydoc *y, int id)
{
	return (const struct ynode *)yaml_document_get_node((yaml_document_t *)&y->doc, id);
}

enum ynode_type ynode_type(const struct ynode *n)
{
	switch (N(n)->type) {
	case YAML_SEQUENCE_NODE: return YN_LIST;
	case YAML_MAPPING_NODE: return YN_MAP;
	default: return YN_SCALAR;
	}
}

const char *ynode_scalar(const struct ynode *n)
{
	return n && N(n)->type == YAML_SCALAR_NODE ? (const char *)N(n)->data.scalar.value : NULL;
}

size_t ynode_scalar_len(const struct ynode *n)
{
	return n && N(n)->type == YAML_SCALAR_NODE ? N(n)->data.scalar.length : 0;
}

bool ynode_is_plain(const struct ynode *n)
{
	/* libyaml's loader tags every untagged scalar !!str, so an explicit
	 * "!!str 1" cannot be told apart: quote such values instead. */
	return n && N(n)->type == YAML_SCALAR_NODE &&
	       N(n)->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

size_t ynode_count(const struct ynode *n)
{
	if (N(n)->type == YAML_SEQUENCE_NODE)
		return (size_t)(N(n)->data.sequence.items.top - N(n)->data.sequence.items.start);
	if (N(n)->type == YAML_MAPPING_NODE)
		return (size_t)(N(n)->data.mapping.pairs.top - N(n)->data.mapping.pairs.start);
	return 0;
}

const struct ynode *ynode_item(const struct ydoc *y, const struct ynode *n, size_t i)
{
	return node(y, N(n)->data.sequence.items.start[i]);
}

const struct ynode *ynode_key(const struct ydoc *y, const struct ynode *n, size_t i)
{
	return node(y, N(n)->data.mapping.pairs.start[i].key);
}

const struct ynode *ynode_value(const struct ydoc *y, const struct ynode *n, size_t i)
{
	return node(y, N(n)->data.mapping.pairs.start[i].value);
}

void ynode_pos(const struct ydoc *y, const struct ynode *n, struct srcpos *out)
{
	out->file = y->path;
	out->line = n ? (unsigned)N(n)->start_mark.line + 1 + y->line_offset : 1;
	out->col = n ? (unsigned)N(n)->start_mark.column + 1 : 1;
}

int ydoc_error(struct ydoc *y, const struct ynode *n, const char *fmt, ...)
{
	struct srcpos at;
	va_list ap;

	ynode_pos(y, n, &at);
	va_start(ap, fmt);
	diag_verror(y->diag, y->path, at.line, at.col, fmt, ap);
	va_end(ap);
	return -1;
}

void ydoc_warning(struct ydoc *y, const struct ynode *n, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct srcpos at;
	va_list ap;

	ynode_pos(y, n, &at);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	diag_warning(y->diag, y->path, at.line, at.col, "%s", sb.buf);
	strbuf_release(&sb);
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

bool ynode_is_null(const struct ynode *n)
{
	return n && ynode_is_plain(n) && is_null(ynode_scalar(n));
}

const char *ynode_describe(const struct ynode *n)
{
	const char *s;

	if (!n)
		return "nothing";
	if (N(n)->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (N(n)->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (!ynode_is_plain(n))
		return "a string";
	s = ynode_scalar(n);
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

static struct value *convert(struct conv *c, const struct ynode *yn, int depth);

/* A mapping; a key written twice keeps its last value. Keys are found with
 * a map, so a mapping of 100,000 keys takes no 10^10 comparisons. */
static struct value *convert_map(struct conv *c, const yaml_node_t *n, int depth)
{
	yaml_node_pair_t *p = n->data.mapping.pairs.start;
	size_t count = (size_t)(n->data.mapping.pairs.top - p);
	struct value *v = value_map(c->a, count);
	struct strmap *seen = strmap_new(count);

	for (; p < n->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = N(node(c->y, p->key));
		struct value *e;
		const char *key;
		size_t at;

		if (k->type != YAML_SCALAR_NODE) {
			ydoc_error(c->y, (const struct ynode *)k, "expected a string as mapping key, "
				   "found %s", ynode_describe((const struct ynode *)k));
			c->failed = true;
			break;
		}
		e = convert(c, node(c->y, p->value), depth + 1);
		if (!e)
			break;
		key = (const char *)k->data.scalar.value;
		at = v->len;
		if (strmap_put(seen, key, &at))
			value_map_add(c->a, v, arena_strdup(c->a, key), e);
		else
			v->u.pairs[at].val = e;
	}
	strmap_free(seen);
	return c->failed ? NULL : v;
}

static struct value *convert(struct conv *c, const struct ynode *yn, int depth)
{
	const yaml_node_t *n = N(yn);
	struct value *v;

	if (c->failed)
		return NULL;
	if (++c->nodes > MAX_NODES) {
		ydoc_error(c->y, yn, "YAML expands to more than %d nodes (aliases?)", MAX_NODES);
		c->failed = true;
		return NULL;
	}
	if (depth > MAX_DEPTH) {
		ydoc_error(c->y, yn, "YAML nests more than %d levels deep", MAX_DEPTH);
		c->failed = true;
		return NULL;
	}
	switch (n->type) {
	case YAML_SCALAR_NODE: {
		const char *s = (const char *)n->data.scalar.value;
		size_t len = n->data.scalar.length;

		if (!ynode_is_plain(yn))
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
			struct value *e = convert(c, node(c->y, *it), depth + 1);

			if (!e)
				return NULL;
			value_list_push(c->a, v, e);
		}
		return v;
	}
	case YAML_MAPPING_NODE:
		return convert_map(c, n, depth);
	default:
		return value_null(c->a);
	}
}

struct value *ydoc_to_value(struct ydoc *y, const struct ynode *n, struct arena *a)
{
	struct conv c = { y, a, 0, false };

	if (!n)
		return value_map(a, 0);
	return convert(&c, n, 0);
}
