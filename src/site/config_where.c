/* Conditions in presetgen.yaml: where, listing.where and private.when.
 *	where: {col: VALUE, col: {not_in: [...]}, col: {not_before: now}, col: null}
 * compared as PostgreSQL's text output (true and false are t and f). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static int64_t parse_at(struct yread *r, const struct ynode *n, bool *now)
{
	const char *s = ynode_scalar(n);
	int64_t us = 0;

	*now = false;
	if (s && !strcmp(s, "now")) {
		*now = true;
		return 0;
	}
	if (!s || !ts_parse(s, strlen(s), &us)) {
		ydoc_error(r->y, n, "expected 'now' or a timestamp such as "
			   "2026-03-14T10:00:00+00:00, found %s", ynode_describe(n));
		r->rc = -1;
	}
	return us;
}

struct conds {
	struct cond *c;
	size_t n;
	const char *what;
};

/* {op: value}: one of not, in, not_in, null, before, not_before */
static int read_op(struct yread *r, const struct ynode *vn, struct cond *x, const char *what)
{
	const struct ynode *ok = ynode_key(r->y, vn, 0), *ov = ynode_value(r->y, vn, 0);
	const char *op = ynode_scalar(ok);
	int rc = r->rc;

	r->rc = 0;
	if (op && !strcmp(op, "not")) {
		x->op = COP_NE;
		x->vals = yread_strings(r, ov, what, &x->nvals, true);
	} else if (op && !strcmp(op, "in")) {
		x->op = COP_IN;
		x->vals = yread_strings(r, ov, what, &x->nvals, true);
	} else if (op && !strcmp(op, "not_in")) {
		x->op = COP_NOT_IN;
		x->vals = yread_strings(r, ov, what, &x->nvals, true);
	} else if (op && !strcmp(op, "null")) {
		const char *b = ynode_scalar(ov);

		if (!b || !ynode_is_plain(ov) || (strcmp(b, "true") && strcmp(b, "false"))) {
			ydoc_error(r->y, ov, "expected true or false for '%s.null'", what);
			r->rc = -1;
		}
		x->op = b && !strcmp(b, "false") ? COP_NOT_NULL : COP_NULL;
	} else if (op && !strcmp(op, "before")) {
		x->op = COP_BEFORE;
		x->at_us = parse_at(r, ov, &x->now);
	} else if (op && !strcmp(op, "not_before")) {
		x->op = COP_NOT_BEFORE;
		x->at_us = parse_at(r, ov, &x->now);
	} else {
		ydoc_error(r->y, ok, "unknown key '%s' in '%s': expected one of not, in, not_in, "
			   "null, before, not_before", op ? op : "?", what);
		r->rc = -1;
	}
	if (r->rc < 0)
		return -1;
	r->rc = rc;
	return 0;
}

static int read_cond(struct yread *r, const char *key, const struct ynode *k,
		     const struct ynode *vn, void *ud)
{
	struct conds *cs = ud;
	struct cond *x = &cs->c[cs->n];
	struct strbuf what = STRBUF_INIT;
	int rc = 0;

	x->col = arena_strdup(r->a, key);
	ynode_pos(r->y, k, &x->at);
	strbuf_addf(&what, "%s.%s", cs->what, key);
	if (ynode_type(vn) == YN_SCALAR) {
		if (ynode_is_null(vn)) {
			x->op = COP_NULL;
		} else {
			x->op = COP_EQ;
			x->vals = yread_strings(r, vn, what.buf, &x->nvals, true);
		}
	} else if (ynode_type(vn) != YN_MAP || ynode_count(vn) != 1) {
		rc = ydoc_error(r->y, vn, "expected a value or one of {not: V}, {in: [...]}, "
				"{not_in: [...]}, {null: true|false}, {before: now}, "
				"{not_before: now} for '%s'", what.buf);
	} else {
		rc = read_op(r, vn, x, what.buf);
	}
	strbuf_release(&what);
	if (!rc)
		cs->n++;
	return rc;
}

int read_where(struct yread *r, const struct ynode *v, struct cond **out, size_t *n,
		      const char *what)
{
	struct conds cs = { NULL, 0, what };
	int rc;

	cs.c = arena_calloc(r->a, (ynode_type(v) == YN_MAP ? ynode_count(v) + 1 : 1) * sizeof(*cs.c));
	rc = yread_each(r, v, what, read_cond, &cs);
	*out = cs.c;
	*n = cs.n;
	return rc;
}

