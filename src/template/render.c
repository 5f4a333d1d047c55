/* Rendering: a walk of the tree with a context stack and a chain of block
 * overrides; partials and parents are expanded with their indentation. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bscope {
	const struct mnode *parent;	/* its kids are the overrides */
	const struct bscope *outer;	/* the caller's, which take precedence */
};

struct render {
	struct mustache_set *set;
	struct diag *diag;
	struct strbuf *out;
	const struct value **stack;
	size_t depth, astack;
	struct strbuf indent;
	struct arena scratch;	/* values made while rendering (time parts) */
	bool at_ls;		/* the output is at the start of a template line */
	int nesting;		/* partials and parents being expanded */
	int frames;		/* render_nodes calls under way */
	long includes;		/* partials and parents expanded so far */
	bool failed;
	struct mustache_deps *deps;	/* what the render used, or NULL */
};

/* Notes a template the render used (or looked for: one added later
 * changes the output too). name belongs to the set. */
static void note_template(struct render *r, const char *name)
{
	struct mustache_deps *d = r->deps;

	if (!d || !name)
		return;
	for (size_t i = 0; i < d->n; i++)
		if (d->names[i] == name || !strcmp(d->names[i], name))
			return;
	ALLOC_GROW(d->names, d->n + 1, d->alloc);
	d->names[d->n++] = name;
}

static void emit_indent(struct render *r)
{
	if (r->at_ls && r->indent.len)
		strbuf_add(r->out, r->indent.buf, r->indent.len);
	r->at_ls = false;
}

static void emit_text(struct render *r, const char *s, size_t n)
{
	if (!n)
		return;
	if (!r->indent.len) {
		strbuf_add(r->out, s, n);
		r->at_ls = s[n - 1] == '\n';
		return;
	}
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;

		emit_indent(r);
		strbuf_add(r->out, s, k);
		r->at_ls = nl != NULL;
		s += k;
		n -= k;
	}
}

static void watched(struct mustache_deps *d, const struct value *v)
{
	for (unsigned i = 0; v && i < MUSTACHE_WATCH_MAX; i++)
		if (v == d->watch[i])
			d->watched |= 1u << i;
}

static const struct value *lookup(struct render *r, const char *const *parts,
				  size_t nparts, size_t part0_len)
{
	const struct value *v = NULL;

	void (*touch)(void *, const struct value *) = r->deps ? r->deps->touch : NULL;

	if (!nparts) {
		v = r->depth ? r->stack[r->depth - 1] : NULL;
		if (touch && v)
			touch(r->deps->touch_ud, v);
		return v;
	}
	for (size_t i = r->depth; i-- > 0; ) {
		if (touch)
			touch(r->deps->touch_ud, r->stack[i]);
		v = value_map_getn(r->stack[i], parts[0], part0_len);
		if (v)
			break;
	}
	if (r->deps)
		watched(r->deps, v);
	for (size_t k = 1; v && k < nparts; k++) {
		if (touch)
			touch(r->deps->touch_ud, v);
		v = value_child(&r->scratch, v, parts[k]);
		if (r->deps)
			watched(r->deps, v);
	}
	if (touch && v)
		touch(r->deps->touch_ud, v);
	return v;
}

static void push(struct render *r, const struct value *v)
{
	ALLOC_GROW(r->stack, r->depth + 1, r->astack);
	r->stack[r->depth++] = v;
}

static void render_nodes(struct render *r, const struct mustache_tpl *tpl,
			 const struct mnode *nodes, size_t n,
			 const struct bscope *scope);

static const struct mnode *find_override(const struct bscope *s, const char *name)
{
	const struct mnode *o;

	if (!s)
		return NULL;
	o = find_override(s->outer, name);
	if (o)
		return o;
	for (size_t i = 0; i < s->parent->nkids; i++)
		if (!strcmp(s->parent->kids[i].s, name))
			return &s->parent->kids[i];
	return NULL;
}

/* Renders a partial or parent: another template, indented when the tag
 * stood alone, with the block overrides of scope. */
static void render_include(struct render *r, const struct mustache_tpl *tpl,
			   const struct mnode *m, const struct bscope *scope)
{
	const char *name = m->s;
	struct strbuf dyn = STRBUF_INIT;
	const struct mustache_tpl *inc;
	size_t saved = r->indent.len;

	if (m->dynamic) {
		const struct value *v = lookup(r, m->parts, m->nparts, m->part0_len);

		if (!v || v->type != V_STRING)
			return;
		strbuf_add(&dyn, v->u.s, v->len);
		name = dyn.buf;
	}
	inc = m->target ? m->target : mustache_get(r->set, name);
	note_template(r, inc ? inc->name : m->dynamic ? NULL : m->s);
	if (!inc) {
		strbuf_release(&dyn);
		return;
	}
	if (r->nesting >= MAX_NESTING) {
		diag_error(r->diag, tpl->path, m->line, m->col,
			   "%s '%s' nests more than %d levels deep: does it include itself?",
			   m->kind == K_PARENT ? "parent" : "partial", name, MAX_NESTING);
		r->failed = true;
		strbuf_release(&dyn);
		return;
	}
	if (++r->includes > MAX_RENDER_INCLUDES) {
		diag_error(r->diag, tpl->path, m->line, m->col, "partials are expanded more than "
			   "%d times for one page: do they include each other many times over?",
			   MAX_RENDER_INCLUDES);
		r->failed = true;
		strbuf_release(&dyn);
		return;
	}
	strbuf_add(&r->indent, m->indent, m->indent_n);
	r->nesting++;
	if (m->kind == K_PARENT) {
		struct bscope s = { m, scope };

		render_nodes(r, inc, inc->root.kids, inc->root.nkids, &s);
	} else {
		render_nodes(r, inc, inc->root.kids, inc->root.nkids, scope);
	}
	r->nesting--;
	strbuf_setlen(&r->indent, saved);
	strbuf_release(&dyn);
}

static void render_value(struct render *r, const struct value *v, bool escape)
{
	struct strbuf *out = r->out;

	if (!v || v->type == V_NULL || v->type == V_LIST || v->type == V_MAP)
		return;
	if ((v->type == V_STRING || v->type == V_DECIMAL) && !v->len)
		return;
	emit_indent(r);
	if (v->type == V_STRING) {
		if (escape)
			html_escape(out, v->u.s, v->len);
		else
			strbuf_add(out, v->u.s, v->len);
	} else {
		/* numbers and booleans have nothing to escape */
		value_to_text(out, v);
	}
}

/* Stops a render that would run out of stack (sections inside partials
 * inside sections) or of memory (partials that each include the next
 * twice, a billion laughs), with the tag where it happened. */
static bool too_much(struct render *r, const struct mustache_tpl *tpl, const struct mnode *m)
{
	if (r->frames > MAX_RENDER_DEPTH) {
		diag_error(r->diag, tpl->path, m->line, m->col, "sections and partials nest more "
			   "than %d levels deep", MAX_RENDER_DEPTH);
		r->failed = true;
	} else if (r->out->len > MAX_RENDER_BYTES) {
		diag_error(r->diag, tpl->path, m->line, m->col, "the page grows past %d MiB: do "
			   "partials include each other many times over?", MAX_RENDER_BYTES >> 20);
		r->failed = true;
	}
	return r->failed;
}

static void render_nodes(struct render *r, const struct mustache_tpl *tpl,
			 const struct mnode *nodes, size_t n,
			 const struct bscope *scope)
{
	if (n && too_much(r, tpl, &nodes[0]))
		return;
	r->frames++;
	for (size_t i = 0; i < n && !r->failed; i++) {
		const struct mnode *m = &nodes[i];
		const struct value *v;

		switch (m->kind) {
		case K_TEXT:
			emit_text(r, m->s, m->n);
			break;
		case K_VAR:
		case K_RAW:
			render_value(r, lookup(r, m->parts, m->nparts, m->part0_len), m->kind == K_VAR);
			break;
		case K_SECTION:
			v = lookup(r, m->parts, m->nparts, m->part0_len);
			if (!value_truthy(v))
				break;
			if (v->type == V_LIST) {
				for (uint32_t k = 0; k < v->len && !r->failed; k++) {
					push(r, v->u.items[k]);
					render_nodes(r, tpl, m->kids, m->nkids, scope);
					r->depth--;
				}
			} else {
				push(r, v);
				render_nodes(r, tpl, m->kids, m->nkids, scope);
				r->depth--;
			}
			break;
		case K_INVERTED:
			if (!value_truthy(lookup(r, m->parts, m->nparts, m->part0_len)))
				render_nodes(r, tpl, m->kids, m->nkids, scope);
			break;
		case K_PARTIAL:
		case K_PARENT:
			render_include(r, tpl, m, scope);
			break;
		case K_BLOCK: {
			const struct mnode *o = find_override(scope, m->s);
			size_t saved = r->indent.len;

			strbuf_add(&r->indent, m->indent, m->indent_n);
			if (o)
				render_nodes(r, tpl, o->kids, o->nkids, scope);
			else
				render_nodes(r, tpl, m->kids, m->nkids, scope);
			strbuf_setlen(&r->indent, saved);
			break;
		}
		default:
			break;
		}
	}
	r->frames--;
}

int mustache_render(struct mustache_set *set, const struct mustache_tpl *tpl,
		    const struct value *ctx, struct strbuf *out, struct diag *d)
{
	return mustache_render_deps(set, tpl, ctx, out, d, NULL);
}

int mustache_render_deps(struct mustache_set *set, const struct mustache_tpl *tpl,
			 const struct value *ctx, struct strbuf *out, struct diag *d,
			 struct mustache_deps *deps)
{
	struct render r;

	memset(&r, 0, sizeof(r));
	r.deps = deps;
	note_template(&r, tpl->name);
	r.set = set;
	r.diag = d;
	r.out = out;
	r.at_ls = true;
	strbuf_init(&r.indent);
	push(&r, ctx ? ctx : &value_null_const);
	render_nodes(&r, tpl, tpl->root.kids, tpl->root.nkids, NULL);
	free(r.stack);
	strbuf_release(&r.indent);
	arena_release(&r.scratch);
	return r.failed ? -1 : 0;
}

