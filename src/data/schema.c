/* Reading a YAML mapping against a table of keys: the one way presetgen
 * reads configuration, so that every mapping rejects unknown and duplicate
 * keys alike and every message has the key's line and column. */
#include "data.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* " in 'what'", or nothing for the document's top level (what ""). */
static const char *in_what(struct strbuf *sb, const char *what)
{
	strbuf_reset(sb);
	if (*what)
		strbuf_addf(sb, " in '%s'", what);
	return sb->buf;
}

static void key_list(struct strbuf *sb, const struct ykey *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", k[i].name);
}

void yread_pos(struct yread *r, const struct ynode *n, struct srcpos *out)
{
	ynode_pos(r->y, n, out);
}

static int fail(struct yread *r)
{
	r->rc = -1;
	return -1;
}

/* A scalar that is not null, as a string ("1" for 1): site.title: 2026
 * is a title. Lists, mappings and null are not. */
static const char *string(struct yread *r, const struct ynode *v, const char *what,
			  const char *key, bool nonempty)
{
	const char *s = ynode_scalar(v);

	if (!s || ynode_is_null(v) || (nonempty && !*s)) {
		ydoc_error(r->y, v, "expected a%s string for '%s.%s', found %s",
			   nonempty ? " non-empty" : "", what, key,
			   s && !*s && !ynode_is_null(v) ? "an empty string" : ynode_describe(v));
		fail(r);
		return NULL;
	}
	return arena_strdup(r->a, s);
}

const char *yread_name(struct yread *r, const struct ynode *n, const char *what)
{
	const char *s = ynode_scalar(n);

	if (!s || ynode_is_null(n) || !*s) {
		ydoc_error(r->y, n, "expected a non-empty string for '%s', found %s", what,
			   s && !*s && !ynode_is_null(n) ? "an empty string" : ynode_describe(n));
		fail(r);
		return NULL;
	}
	return arena_strdup(r->a, s);
}

const char **yread_strings(struct yread *r, const struct ynode *n, const char *what,
			   size_t *count, bool pg_bools)
{
	const char **out;
	size_t k = 0, cnt;

	*count = 0;
	if (ynode_type(n) == YN_SCALAR) {
		const char *s = yread_name(r, n, what);

		if (!s)
			return NULL;
		if (pg_bools && ynode_is_plain(n) && !strcmp(s, "true"))
			s = "t";
		else if (pg_bools && ynode_is_plain(n) && !strcmp(s, "false"))
			s = "f";
		out = arena_alloc(r->a, sizeof(*out));
		out[0] = s;
		*count = 1;
		return out;
	}
	if (ynode_type(n) != YN_LIST) {
		ydoc_error(r->y, n, "expected a string or a list of strings for '%s', found %s",
			   what, ynode_describe(n));
		fail(r);
		return NULL;
	}
	cnt = ynode_count(n);
	out = arena_alloc(r->a, (cnt + 1) * sizeof(*out));
	for (size_t i = 0; i < cnt; i++) {
		const struct ynode *e = ynode_item(r->y, n, i);
		const char *s = ynode_scalar(e);

		if (!s || ynode_is_null(e)) {
			ydoc_error(r->y, e, "expected a string in '%s', found %s", what,
				   ynode_describe(e));
			fail(r);
			continue;
		}
		/* PostgreSQL's text output for booleans */
		if (pg_bools && ynode_is_plain(e) && !strcmp(s, "true"))
			s = "t";
		else if (pg_bools && ynode_is_plain(e) && !strcmp(s, "false"))
			s = "f";
		out[k++] = arena_strdup(r->a, s);
	}
	*count = k;
	return out;
}

static int read_value(struct yread *r, const struct ykey *k, const struct ynode *v,
		      const char *what, void *base)
{
	char *field = (char *)base + k->off;
	const char *s = ynode_scalar(v);

	switch (k->type) {
	case YK_STRING:
	case YK_NAME:
		s = string(r, v, what, k->name, k->type == YK_NAME);
		if (!s)
			return -1;
		*(const char **)field = s;
		return 0;
	case YK_BOOL:
		if (!s || !ynode_is_plain(v) || (strcmp(s, "true") && strcmp(s, "false"))) {
			ydoc_error(r->y, v, "expected true or false for '%s.%s', found %s", what,
				   k->name, ynode_describe(v));
			return fail(r);
		}
		*(bool *)field = !strcmp(s, "true");
		return 0;
	case YK_INT: {
		char *end;
		long n = 0;

		errno = 0;
		if (s && ynode_is_plain(v))
			n = strtol(s, &end, 10);
		if (!s || !ynode_is_plain(v) || errno || !*s || *end || n < k->min || n > k->max) {
			ydoc_error(r->y, v, "expected a whole number from %ld to %ld for '%s.%s', "
				   "found %s", k->min, k->max, what, k->name,
				   ynode_describe(v));
			return fail(r);
		}
		*(long *)field = n;
		return 0;
	}
	case YK_STRINGS: {
		struct strbuf w = STRBUF_INIT;
		const char **list;
		size_t n;
		int rc = r->rc;

		strbuf_addf(&w, "%s%s%s", what, *what ? "." : "", k->name);
		r->rc = 0;
		list = yread_strings(r, v, w.buf, &n, false);
		strbuf_release(&w);
		if (r->rc < 0)
			return -1;
		r->rc = rc;
		*(const char ***)field = list;
		*(size_t *)((char *)base + k->count_off) = n;
		return 0;
	}
	case YK_CALL: {
		struct strbuf w = STRBUF_INIT;
		int rc;

		strbuf_addf(&w, "%s%s%s", what, *what ? "." : "", k->name);
		rc = k->fn(r, v, base, w.buf);
		strbuf_release(&w);
		if (rc < 0)
			fail(r);
		return rc;
	}
	}
	return 0;
}

static bool is_map(struct yread *r, const struct ynode *map, const char *what)
{
	if (map && ynode_type(map) == YN_MAP)
		return true;
	ydoc_error(r->y, map, "expected a mapping for '%s', found %s", what, ynode_describe(map));
	fail(r);
	return false;
}

int yread_map(struct yread *r, const struct ynode *map, const char *what,
	      const struct ykey *keys, size_t nkeys, void *base)
{
	struct strbuf w = STRBUF_INIT;
	bool *seen;
	int rc = 0;

	if (!is_map(r, map, what))
		return -1;
	seen = xcalloc(nkeys + 1, sizeof(*seen));
	for (size_t p = 0; p < ynode_count(map); p++) {
		const struct ynode *k = ynode_key(r->y, map, p), *v = ynode_value(r->y, map, p);
		const char *key = ynode_scalar(k);
		size_t i;

		for (i = 0; key && i < nkeys; i++)
			if (!strcmp(key, keys[i].name))
				break;
		if (!key || i == nkeys) {
			struct strbuf sb = STRBUF_INIT;

			key_list(&sb, keys, nkeys);
			rc = ydoc_error(r->y, k, "unknown key '%s'%s: expected one of %s",
					key ? key : "?", in_what(&w, what), sb.buf);
			strbuf_release(&sb);
			continue;
		}
		if (seen[i]) {
			rc = ydoc_error(r->y, k, "duplicate key '%s'%s", key, in_what(&w, what));
			continue;
		}
		seen[i] = true;
		if (keys[i].at)
			ynode_pos(r->y, v, (struct srcpos *)((char *)base + keys[i].at - 1));
		if (read_value(r, &keys[i], v, what, base) < 0)
			rc = -1;
	}
	for (size_t i = 0; i < nkeys; i++)
		if (keys[i].required && !seen[i])
			rc = ydoc_error(r->y, map, "missing key '%s'%s", keys[i].name, in_what(&w, what));
	free(seen);
	strbuf_release(&w);
	if (rc < 0)
		fail(r);
	return rc;
}

int yread_each(struct yread *r, const struct ynode *map, const char *what, yread_pair_fn fn,
	       void *ud)
{
	size_t n;
	struct strmap *keys;
	int rc = 0;

	if (!is_map(r, map, what))
		return -1;
	n = ynode_count(map);
	keys = strmap_new(n);
	for (size_t p = 0; p < n; p++) {
		const struct ynode *k = ynode_key(r->y, map, p), *v = ynode_value(r->y, map, p);
		const char *key = ynode_scalar(k);
		size_t first = p;

		if (!key || ynode_is_null(k) || !*key) {
			rc = ydoc_error(r->y, k, "expected a name as key in '%s', found %s", what,
					ynode_describe(k));
			continue;
		}
		if (!strmap_put(keys, key, &first)) {
			rc = ydoc_error(r->y, k, "duplicate key '%s' in '%s'", key, what);
			continue;
		}
		if (fn(r, key, k, v, ud) < 0)
			rc = -1;
	}
	strmap_free(keys);
	if (rc < 0)
		fail(r);
	return rc;
}
