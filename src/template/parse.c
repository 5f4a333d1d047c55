/* Parsing: tokens to the tree of nodes; blocks re-indented at parse time. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nodevec {
	struct mnode *v;
	size_t n, alloc;
};

static void split_name(struct parser *p, struct mnode *n)
{
	struct arena *a = &p->set->arena;
	size_t count = 1;

	if (n->n == 1 && n->s[0] == '.') {
		n->parts = NULL;
		n->nparts = 0;
		return;
	}
	for (size_t i = 0; i < n->n; i++)
		if (n->s[i] == '.')
			count++;
	n->parts = arena_alloc(a, count * sizeof(*n->parts));
	n->nparts = 0;
	for (size_t i = 0, start = 0; i <= n->n; i++) {
		if (i == n->n || n->s[i] == '.') {
			n->parts[n->nparts++] = arena_strndup(a, n->s + start, i - start);
			start = i + 1;
		}
	}
	n->part0_len = strlen(n->parts[0]);
}

static void vec_push(struct nodevec *v, const struct mnode *n)
{
	ALLOC_GROW(v->v, v->n + 1, v->alloc);
	v->v[v->n++] = *n;
}

/* Leading spaces and tabs of s. */
static size_t lead_ws(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static size_t strip_prefix(const char *s, size_t n, const char *ind, size_t k)
{
	size_t m = 0;

	while (m < k && m < n && s[m] == ind[m])
		m++;
	return m;
}

/* Removes the block's own indentation from the start of every line of its
 * body, so that the body can be indented anew where it is expanded. */
static void dedent(struct arena *a, struct mnode *kids, size_t n,
		   const char *ind, size_t k, bool *at_ls)
{
	for (size_t i = 0; i < n; i++) {
		struct mnode *m = &kids[i];

		switch (m->kind) {
		case K_TEXT: {
			char *t = arena_alloc(a, m->n + 1);
			size_t o = 0;

			for (size_t x = 0; x < m->n; ) {
				if (*at_ls) {
					x += strip_prefix(m->s + x, m->n - x, ind, k);
					*at_ls = false;
					continue;
				}
				t[o++] = m->s[x];
				if (m->s[x++] == '\n')
					*at_ls = true;
			}
			t[o] = '\0';
			m->s = t;
			m->n = o;
			break;
		}
		case K_VAR:
		case K_RAW:
			*at_ls = false;
			break;
		case K_SECTION:
		case K_INVERTED:
			if (!m->standalone)
				*at_ls = false;
			dedent(a, m->kids, m->nkids, ind, k, at_ls);
			if (m->close_standalone)
				*at_ls = true;
			break;
		case K_PARTIAL:
		case K_PARENT:
		case K_BLOCK:
			if (m->standalone || (m->kind == K_BLOCK && m->indent_n)) {
				size_t s = strip_prefix(m->indent, m->indent_n, ind, k);

				m->indent += s;
				m->indent_n -= s;
			}
			if ((m->kind == K_BLOCK && !m->standalone) || m->kind == K_PARENT) {
				bool ls = m->standalone && m->kind == K_PARENT;

				dedent(a, m->kids, m->nkids, ind, k, m->kind == K_PARENT ? &ls : at_ls);
			}
			if (!m->standalone)
				*at_ls = false;
			break;
		default:
			break;
		}
	}
}

/* A block whose opening tag stands alone takes its indentation from its
 * first line of content (or, when empty, from the tag itself): that much is
 * removed from its body here and added back wherever it is expanded. */
static void block_indent(struct parser *p, struct mnode *b, const struct token *open)
{
	const char *ind = open->indent;
	size_t k = open->indent_n;
	bool at_ls = true;

	if (open->pair) {
		b->indent = ind;
		b->indent_n = k;
		return;
	}
	if (!open->standalone) {
		b->indent = "";
		b->indent_n = 0;
		return;
	}
	if (b->nkids) {
		const struct mnode *f = &b->kids[0];

		if (f->kind == K_TEXT) {
			ind = f->s;
			k = lead_ws(f->s, f->n);
		} else if (f->standalone && f->indent) {
			ind = f->indent;
			k = f->indent_n;
		} else {
			ind = "";
			k = 0;
		}
	}
	b->indent = k ? arena_strndup(&p->set->arena, ind, k) : "";
	b->indent_n = k;
	if (k)
		dedent(&p->set->arena, b->kids, b->nkids, b->indent, k, &at_ls);
}

/* The text gathered so far as one node. */
static void flush_text(struct parser *p, struct nodevec *v, struct strbuf *text, size_t off)
{
	struct mnode n;

	if (!text->len)
		return;
	memset(&n, 0, sizeof(n));
	n.kind = K_TEXT;
	n.s = arena_strndup(&p->set->arena, text->buf, text->len);
	n.n = text->len;
	parser_pos(p, off, &n.line, &n.col);
	vec_push(v, &n);
	strbuf_reset(text);
}

/* A close tag: whether it closes open (a wrong name is reported and still
 * taken as the close, so one typo gives one error). */
static bool close_tag(struct parser *p, const struct token *t, const struct token *open)
{
	if (!open) {
		parser_error(p, t->off, "'%s/%.*s%s' closes no open section", t->otag, (int)t->n,
			     t->s, t->ctag);
		return false;
	}
	if (t->n != open->n || memcmp(t->s, open->s, t->n)) {
		unsigned l, c;

		parser_pos(p, open->off, &l, &c);
		parser_error(p, t->off, "'%s/%.*s%s' does not close the open section '%.*s' "
			     "(opened at line %u, column %u): expected '%s/%.*s%s'", t->otag,
			     (int)t->n, t->s, t->ctag, (int)open->n, open->s, l, c, t->otag,
			     (int)open->n, open->s, t->ctag);
	}
	return true;
}

static struct mnode tag_node(struct parser *p, const struct token *t)
{
	struct mnode n;

	memset(&n, 0, sizeof(n));
	n.kind = t->kind;
	n.dynamic = t->dynamic;
	n.standalone = t->standalone;
	n.s = arena_strndup(&p->set->arena, t->s, t->n);
	n.n = t->n;
	parser_pos(p, t->off, &n.line, &n.col);
	if (t->kind == K_PARTIAL || t->kind == K_PARENT) {
		n.indent = t->standalone && t->indent_n ?
			   arena_strndup(&p->set->arena, t->indent, t->indent_n) : "";
		n.indent_n = t->standalone ? t->indent_n : 0;
	}
	if (t->kind != K_PARTIAL && !(t->kind == K_PARENT && !t->dynamic) && t->kind != K_BLOCK)
		split_name(p, &n);
	else if (t->dynamic)
		split_name(p, &n);
	return n;
}

/* The kids of a section, block or parent tag t (token *i). Returns false
 * when the file ends before its close tag. */
static bool section(struct parser *p, size_t *i, struct mnode *n, const struct token *t,
		    int depth)
{
	size_t at = *i;

	if (depth >= MAX_SECTION_DEPTH) {
		parser_error(p, t->off, "sections nest more than %d levels deep",
			     MAX_SECTION_DEPTH);
		p->stop = true;
		return false;
	}
	(*i)++;
	parse_nodes(p, i, t, &n->kids, &n->nkids, &n->close_standalone, depth + 1);
	if (*i >= p->ntoks) {
		if (!p->stop)
			parser_error(p, p->toks[at].off, "unclosed section '%.*s': expected "
				     "'%s/%.*s%s' before the end of the file", (int)t->n, t->s,
				     t->otag, (int)t->n, t->s, t->ctag);
		return false;
	}
	if (t->kind == K_BLOCK)
		block_indent(p, n, t);
	if (t->kind == K_PARENT) {
		/* only the blocks inside a parent tag count */
		size_t keep = 0;

		for (size_t k = 0; k < n->nkids; k++)
			if (n->kids[k].kind == K_BLOCK)
				n->kids[keep++] = n->kids[k];
		n->nkids = keep;
	}
	return true;
}

/* Builds the nodes from token *i up to the close tag of open (or the end
 * when open is NULL), depth sections deep. */
void parse_nodes(struct parser *p, size_t *i, const struct token *open, struct mnode **out,
		 size_t *nout, bool *close_standalone, int depth)
{
	struct nodevec v = { NULL, 0, 0 };
	struct strbuf text = STRBUF_INIT;
	size_t text_off = 0;

	for (; *i < p->ntoks && !p->stop; (*i)++) {
		struct token *t = &p->toks[*i];
		struct mnode n;

		if (t->kind == K_TEXT) {
			if (t->skip)
				continue;
			if (!text.len)
				text_off = t->off;
			strbuf_add(&text, t->s, t->n);
			continue;
		}
		flush_text(p, &v, &text, text_off);
		if (t->kind == K_COMMENT || t->kind == K_DELIM)
			continue;
		if (t->kind == K_CLOSE) {
			if (!close_tag(p, t, open))
				continue;
			*close_standalone = t->standalone;
			break;
		}
		n = tag_node(p, t);
		if ((t->kind == K_SECTION || t->kind == K_INVERTED || t->kind == K_BLOCK ||
		     t->kind == K_PARENT) && !section(p, i, &n, t, depth)) {
			vec_push(&v, &n);
			break;
		}
		vec_push(&v, &n);
	}
	flush_text(p, &v, &text, text_off);
	strbuf_release(&text);
	*nout = v.n;
	*out = NULL;
	if (v.n) {
		*out = arena_alloc(&p->set->arena, v.n * sizeof(**out));
		memcpy(*out, v.v, v.n * sizeof(**out));
	}
	free(v.v);
}
