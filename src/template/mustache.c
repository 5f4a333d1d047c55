/* Mustache: a lexer that honours set-delimiter tags, a pass that finds
 * standalone lines, a parser that builds the tree, and a renderer that walks
 * it with a context stack and a chain of block overrides. */
#include "mustache.h"
#include "data/data.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deep enough for real recursive data, shallow enough to stop a template
 * that includes itself long before the C stack runs out. */
#define MAX_NESTING 100

enum kind {
	K_TEXT,
	K_VAR,		/* {{name}} */
	K_RAW,		/* {{{name}}} {{&name}} */
	K_SECTION,	/* {{#name}} */
	K_INVERTED,	/* {{^name}} */
	K_CLOSE,	/* {{/name}} (tokens only) */
	K_COMMENT,	/* {{! ...}} (tokens only) */
	K_DELIM,	/* {{=<% %>=}} (tokens only) */
	K_PARTIAL,	/* {{>name}} */
	K_BLOCK,	/* {{$name}} */
	K_PARENT,	/* {{<name}} */
};

struct token {
	enum kind kind;
	enum kind closes;	/* K_CLOSE: the kind of section it closes */
	const char *s;		/* text, or the tag's name */
	size_t n;
	size_t off;		/* where it starts in the source */
	bool dynamic;		/* {{>*name}} */
	bool standalone;	/* its line (whitespace, newline) is dropped */
	bool pair;		/* {{$b}}{{/b}} alone on a line */
	bool skip;		/* whitespace of a standalone line */
	const char *indent;	/* leading whitespace of its standalone line */
	size_t indent_n;
	char otag[8], ctag[8];	/* the delimiters in force, for messages */
};

struct mnode {
	enum kind kind;
	bool dynamic;
	bool standalone;	/* the open tag's line was standalone */
	bool close_standalone;	/* sections: so was the close tag's line */
	const char *s;		/* text, or the name as written */
	size_t n;
	const char **parts;	/* a dotted name split; nparts 0 means "." */
	size_t nparts;
	size_t part0_len;	/* strlen(parts[0]), for the hot lookup */
	const struct mustache_tpl *target;	/* a static partial, once linked */
	const char *indent;	/* partial, parent, block: added at expansion */
	size_t indent_n;
	struct mnode *kids;
	size_t nkids;
	unsigned line, col;
};

struct mustache_tpl {
	const char *name;
	const char *path;
	struct mnode root;
};

struct named {
	const char *name;
	struct mustache_tpl *tpl;	/* NULL: known to be missing or broken */
};

struct mustache_set {
	struct arena arena;
	struct diag *diag;
	mustache_load_fn load;
	void *load_ud;
	pthread_mutex_t lock;
	struct named *named;
	size_t nnamed, anamed;
};

struct mustache_set *mustache_set_new(struct diag *d)
{
	struct mustache_set *set = xcalloc(1, sizeof(*set));

	set->diag = d;
	pthread_mutex_init(&set->lock, NULL);
	return set;
}

void mustache_set_free(struct mustache_set *set)
{
	if (!set)
		return;
	arena_release(&set->arena);
	free(set->named);
	pthread_mutex_destroy(&set->lock);
	free(set);
}

void mustache_set_loader(struct mustache_set *set, mustache_load_fn fn, void *ud)
{
	set->load = fn;
	set->load_ud = ud;
}

const char *mustache_path(const struct mustache_tpl *tpl)
{
	return tpl->path;
}

bool mustache_name_is_safe(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/')
		return false;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
		if (*p == '/')
			p++;
		if (e && !*p)
			return false;
	}
	return true;
}

/* ---- lexing ---------------------------------------------------------- */

struct parser {
	struct mustache_set *set;
	const char *path;
	const char *src;
	size_t len;
	struct token *toks;
	size_t ntoks, atoks;
	int errors;
	struct linemap lines;	/* for the line and column of errors */
};

static void position(struct parser *p, size_t off, unsigned *line, unsigned *col)
{
	linemap_pos(&p->lines, off, line, col);
}

static void perror_at(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perror_at(struct parser *p, size_t off, const char *fmt, ...)
{
	unsigned line, col;
	va_list ap;

	position(p, off, &line, &col);
	va_start(ap, fmt);
	diag_verror(p->set->diag, p->path, line, col, fmt, ap);
	va_end(ap);
	p->errors++;
}

static struct token *push_token(struct parser *p, enum kind k, size_t off,
				const char *otag, const char *ctag)
{
	struct token *t;

	ALLOC_GROW(p->toks, p->ntoks + 1, p->atoks);
	t = &p->toks[p->ntoks++];
	memset(t, 0, sizeof(*t));
	t->kind = k;
	t->off = off;
	snprintf(t->otag, sizeof(t->otag), "%s", otag);
	snprintf(t->ctag, sizeof(t->ctag), "%s", ctag);
	return t;
}

/* Text is cut after every newline, so that each line ends a token. */
static void push_text(struct parser *p, size_t from, size_t to,
		      const char *otag, const char *ctag)
{
	while (from < to) {
		const char *nl = memchr(p->src + from, '\n', to - from);
		size_t end = nl ? (size_t)(nl - p->src) + 1 : to;
		struct token *t = push_token(p, K_TEXT, from, otag, ctag);

		t->s = p->src + from;
		t->n = end - from;
		from = end;
	}
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

static const char *find(const char *hay, size_t hn, const char *needle)
{
	size_t nn = strlen(needle);

	if (nn > hn)
		return NULL;
	for (size_t i = 0; i + nn <= hn; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, nn))
			return hay + i;
	return NULL;
}

/* Parses "{{=<% %>=}}"'s inside into new delimiters. */
static bool set_delims(const char *s, size_t n, char *otag, char *ctag)
{
	size_t i = 0, a, b;

	trim(&s, &n);
	while (i < n && !is_space(s[i]))
		i++;
	a = i;
	while (i < n && is_space(s[i]))
		i++;
	b = i;
	if (a == 0 || b == a || b == n || a > 7 || n - b > 7)
		return false;
	for (size_t k = b; k < n; k++)
		if (is_space(s[k]))
			return false;
	for (size_t k = 0; k < n; k++)
		if (s[k] == '=')
			return false;
	memcpy(otag, s, a);
	otag[a] = '\0';
	memcpy(ctag, s + b, n - b);
	ctag[n - b] = '\0';
	return true;
}

static void lex(struct parser *p)
{
	char otag[8] = "{{", ctag[8] = "}}";
	size_t pos = 0;

	while (pos < p->len) {
		const char *o = find(p->src + pos, p->len - pos, otag);
		size_t start, inner, end;
		const char *c, *close = ctag;
		char closebuf[10];
		enum kind k;
		struct token *t;
		const char *name;
		size_t nlen;

		if (!o) {
			push_text(p, pos, p->len, otag, ctag);
			break;
		}
		start = (size_t)(o - p->src);
		push_text(p, pos, start, otag, ctag);
		inner = start + strlen(otag);
		k = K_VAR;
		if (inner < p->len) {
			switch (p->src[inner]) {
			case '{':
				k = K_RAW;
				snprintf(closebuf, sizeof(closebuf), "}%s", ctag);
				close = closebuf;
				inner++;
				break;
			case '&': k = K_RAW; inner++; break;
			case '#': k = K_SECTION; inner++; break;
			case '^': k = K_INVERTED; inner++; break;
			case '/': k = K_CLOSE; inner++; break;
			case '!': k = K_COMMENT; inner++; break;
			case '>': k = K_PARTIAL; inner++; break;
			case '$': k = K_BLOCK; inner++; break;
			case '<': k = K_PARENT; inner++; break;
			case '=':
				k = K_DELIM;
				snprintf(closebuf, sizeof(closebuf), "=%s", ctag);
				close = closebuf;
				inner++;
				break;
			default: break;
			}
		}
		c = find(p->src + inner, p->len - inner, close);
		if (!c) {
			perror_at(p, start, "unclosed tag: expected '%s' before the end of the file",
				  close);
			return;
		}
		end = (size_t)(c - p->src) + strlen(close);
		t = push_token(p, k, start, otag, ctag);
		name = p->src + inner;
		nlen = (size_t)(c - name);
		if (k == K_DELIM) {
			if (!set_delims(name, nlen, otag, ctag))
				perror_at(p, start, "bad delimiter change: expected '%s=OPEN CLOSE=%s' "
					  "with two delimiters of 1 to 7 characters, without spaces or '='",
					  t->otag, t->ctag);
		} else if (k != K_COMMENT) {
			trim(&name, &nlen);
			if ((k == K_PARTIAL || k == K_PARENT) && nlen && name[0] == '*') {
				t->dynamic = true;
				name++;
				nlen--;
				trim(&name, &nlen);
			}
			if (!nlen) {
				perror_at(p, start, "empty tag: expected a name between '%s' and '%s'",
					  otag, ctag);
			} else {
				for (size_t i = 0; i < nlen; i++) {
					if (is_space(name[i])) {
						perror_at(p, start, "tag name '%.*s' contains white space",
							  (int)nlen, name);
						break;
					}
				}
			}
		}
		t->s = name;
		t->n = nlen;
		pos = end;
	}
}

/* ---- standalone lines ------------------------------------------------ */

static bool is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* Whitespace, then an optional "\n" or "\r\n" at the very end. */
static bool is_blank_eol(const char *s, size_t n)
{
	if (n && s[n - 1] == '\n') {
		n--;
		if (n && s[n - 1] == '\r')
			n--;
	}
	return is_blank(s, n);
}

static bool can_stand_alone(enum kind k)
{
	return k != K_VAR && k != K_RAW && k != K_TEXT;
}

/* Marks the lines that hold only whitespace and tags that produce no text
 * of their own. A single such tag makes the line standalone, as the spec
 * says. Several make it standalone when a parent tag is among them
 * ("{{<parent}}{{$block}}", "{{/block}}{{/parent}}"). A block opened and
 * closed alone on a line keeps its newline but takes the line's whitespace
 * as the indentation of what it expands to. */
static void mark_standalone(struct parser *p)
{
	struct { enum kind k; const char *s; size_t n; } *stack = NULL;
	size_t depth = 0, astack = 0;
	size_t i = 0;

	while (i < p->ntoks) {
		size_t j = i, ntags = 0;
		bool ok = true, parent = false;
		size_t first_tag = SIZE_MAX;

		/* the line is tokens i..j: it ends at a text with a newline */
		for (;; j++) {
			struct token *t = &p->toks[j];

			if (t->kind == K_TEXT) {
				bool eol = t->n && t->s[t->n - 1] == '\n';

				if (!(eol ? is_blank_eol(t->s, t->n) : is_blank(t->s, t->n)))
					ok = false;
				if (eol || j + 1 == p->ntoks)
					break;
				continue;
			}
			if (first_tag == SIZE_MAX)
				first_tag = j;
			ntags++;
			if (!can_stand_alone(t->kind))
				ok = false;
			if (t->kind == K_SECTION || t->kind == K_INVERTED ||
			    t->kind == K_BLOCK || t->kind == K_PARENT) {
				ALLOC_GROW(stack, depth + 1, astack);
				stack[depth].k = t->kind;
				stack[depth].s = t->s;
				stack[depth].n = t->n;
				depth++;
			} else if (t->kind == K_CLOSE) {
				t->closes = K_CLOSE;
				if (depth && stack[depth - 1].n == t->n &&
				    !memcmp(stack[depth - 1].s, t->s, t->n)) {
					t->closes = stack[depth - 1].k;
					depth--;
				}
			}
			if (t->kind == K_PARENT || (t->kind == K_CLOSE && t->closes == K_PARENT))
				parent = true;
			if (j + 1 == p->ntoks)
				break;
		}
		if (ok && ntags) {
			struct token *ft = &p->toks[first_tag];
			bool pair = ntags == 2 && ft->kind == K_BLOCK &&
				    p->toks[first_tag + 1].kind == K_CLOSE &&
				    p->toks[first_tag + 1].closes == K_BLOCK;

			if (ntags == 1 || parent) {
				for (size_t k = i; k <= j; k++) {
					if (p->toks[k].kind == K_TEXT)
						p->toks[k].skip = true;
					else
						p->toks[k].standalone = true;
				}
			} else if (pair) {
				ft->pair = true;
				for (size_t k = i; k < first_tag; k++)
					p->toks[k].skip = true;
			}
			if (ntags == 1 || parent || pair) {
				/* leading whitespace is the first tag's indentation */
				if (first_tag > i) {
					ft->indent = p->toks[i].s;
					ft->indent_n = 0;
					for (size_t k = i; k < first_tag; k++)
						ft->indent_n += p->toks[k].n;
				}
			}
		}
		i = j + 1;
	}
	free(stack);
}

/* ---- parsing --------------------------------------------------------- */

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

/* Builds the nodes from token *i up to the close tag of open (or the end
 * when open is NULL). */
static void parse_nodes(struct parser *p, size_t *i, const struct token *open,
			struct mnode **out, size_t *nout, bool *close_standalone)
{
	struct nodevec v = { NULL, 0, 0 };
	struct strbuf text = STRBUF_INIT;
	size_t text_off = 0;

	for (; *i < p->ntoks; (*i)++) {
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
		if (text.len) {
			memset(&n, 0, sizeof(n));
			n.kind = K_TEXT;
			n.s = arena_strndup(&p->set->arena, text.buf, text.len);
			n.n = text.len;
			position(p, text_off, &n.line, &n.col);
			vec_push(&v, &n);
			strbuf_reset(&text);
		}
		if (t->kind == K_COMMENT || t->kind == K_DELIM)
			continue;
		if (t->kind == K_CLOSE) {
			if (!open) {
				perror_at(p, t->off, "'%s/%.*s%s' closes no open section",
					  t->otag, (int)t->n, t->s, t->ctag);
				continue;
			}
			if (t->n != open->n || memcmp(t->s, open->s, t->n)) {
				unsigned l, c;

				position(p, open->off, &l, &c);
				perror_at(p, t->off, "'%s/%.*s%s' does not close the open section "
					  "'%.*s' (opened at line %u, column %u): expected '%s/%.*s%s'",
					  t->otag, (int)t->n, t->s, t->ctag, (int)open->n, open->s,
					  l, c, t->otag, (int)open->n, open->s, t->ctag);
				/* take it as the close, so one typo gives one error */
			}
			*close_standalone = t->standalone;
			goto done;
		}
		memset(&n, 0, sizeof(n));
		n.kind = t->kind;
		n.dynamic = t->dynamic;
		n.standalone = t->standalone;
		n.s = arena_strndup(&p->set->arena, t->s, t->n);
		n.n = t->n;
		position(p, t->off, &n.line, &n.col);
		if (t->kind == K_PARTIAL || t->kind == K_PARENT) {
			n.indent = t->standalone && t->indent_n ?
				   arena_strndup(&p->set->arena, t->indent, t->indent_n) : "";
			n.indent_n = t->standalone ? t->indent_n : 0;
		}
		if (t->kind != K_PARTIAL && !(t->kind == K_PARENT && !t->dynamic) &&
		    t->kind != K_BLOCK)
			split_name(p, &n);
		else if (t->dynamic)
			split_name(p, &n);
		if (t->kind == K_SECTION || t->kind == K_INVERTED ||
		    t->kind == K_BLOCK || t->kind == K_PARENT) {
			size_t at = *i;

			(*i)++;
			parse_nodes(p, i, t, &n.kids, &n.nkids, &n.close_standalone);
			if (*i >= p->ntoks) {
				perror_at(p, p->toks[at].off,
					  "unclosed section '%.*s': expected '%s/%.*s%s' before the end of the file",
					  (int)t->n, t->s, t->otag, (int)t->n, t->s, t->ctag);
				vec_push(&v, &n);
				goto done;
			}
			if (t->kind == K_BLOCK)
				block_indent(p, &n, t);
			if (t->kind == K_PARENT) {
				/* only the blocks inside a parent tag count */
				size_t keep = 0;

				for (size_t k = 0; k < n.nkids; k++)
					if (n.kids[k].kind == K_BLOCK)
						n.kids[keep++] = n.kids[k];
				n.nkids = keep;
			}
		}
		vec_push(&v, &n);
	}
done:
	if (text.len) {
		struct mnode n;

		memset(&n, 0, sizeof(n));
		n.kind = K_TEXT;
		n.s = arena_strndup(&p->set->arena, text.buf, text.len);
		n.n = text.len;
		position(p, text_off, &n.line, &n.col);
		vec_push(&v, &n);
	}
	strbuf_release(&text);
	*nout = v.n;
	*out = NULL;
	if (v.n) {
		*out = arena_alloc(&p->set->arena, v.n * sizeof(**out));
		memcpy(*out, v.v, v.n * sizeof(**out));
	}
	free(v.v);
}

static struct named *find_named(struct mustache_set *set, const char *name)
{
	for (size_t i = 0; i < set->nnamed; i++)
		if (!strcmp(set->named[i].name, name))
			return &set->named[i];
	return NULL;
}

static struct mustache_tpl *parse_locked(struct mustache_set *set, const char *name,
					 const char *path, const char *src, size_t len)
{
	struct parser p;
	struct mustache_tpl *tpl;
	size_t i = 0;
	bool cs = false;

	memset(&p, 0, sizeof(p));
	p.set = set;
	p.path = path;
	p.src = arena_strndup(&set->arena, src, len);
	p.len = len;
	linemap_init(&p.lines, p.src, len);
	lex(&p);
	if (!p.errors)
		mark_standalone(&p);
	tpl = arena_calloc(&set->arena, sizeof(*tpl));
	tpl->path = arena_strdup(&set->arena, path ? path : "<template>");
	tpl->name = name ? arena_strdup(&set->arena, name) : NULL;
	tpl->root.kind = K_SECTION;
	if (!p.errors)
		parse_nodes(&p, &i, NULL, &tpl->root.kids, &tpl->root.nkids, &cs);
	free(p.toks);
	linemap_release(&p.lines);
	if (p.errors)
		tpl = NULL;
	if (name) {
		struct named *nm = find_named(set, name);

		if (!nm) {
			ALLOC_GROW(set->named, set->nnamed + 1, set->anamed);
			nm = &set->named[set->nnamed++];
			nm->name = arena_strdup(&set->arena, name);
		}
		nm->tpl = tpl;
	}
	return tpl;
}

struct mustache_tpl *mustache_parse(struct mustache_set *set, const char *name,
				    const char *path, const char *src, size_t len)
{
	struct mustache_tpl *tpl;

	pthread_mutex_lock(&set->lock);
	tpl = parse_locked(set, name, path, src, len);
	pthread_mutex_unlock(&set->lock);
	return tpl;
}

const struct mustache_tpl *mustache_get(struct mustache_set *set, const char *name)
{
	struct named *nm;
	struct mustache_tpl *tpl = NULL;

	pthread_mutex_lock(&set->lock);
	nm = find_named(set, name);
	if (nm) {
		tpl = nm->tpl;
	} else if (set->load) {
		char *src = NULL, *path = NULL;
		size_t len = 0;
		int rc = set->load(set->load_ud, name, &src, &len, &path);

		if (rc == 0)
			tpl = parse_locked(set, name, path, src, len);
		if (rc != 0) {
			/* remember the miss, so it is looked up once */
			ALLOC_GROW(set->named, set->nnamed + 1, set->anamed);
			set->named[set->nnamed].name = arena_strdup(&set->arena, name);
			set->named[set->nnamed].tpl = NULL;
			set->nnamed++;
		}
		free(src);
		free(path);
	}
	pthread_mutex_unlock(&set->lock);
	return tpl;
}

/* ---- rendering ------------------------------------------------------- */

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
	int nesting;
	bool failed;
};

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

static const struct value *lookup(struct render *r, const char *const *parts,
				  size_t nparts, size_t part0_len)
{
	const struct value *v = NULL;

	if (!nparts)
		return r->depth ? r->stack[r->depth - 1] : NULL;
	for (size_t i = r->depth; i-- > 0; ) {
		v = value_map_getn(r->stack[i], parts[0], part0_len);
		if (v)
			break;
	}
	for (size_t k = 1; v && k < nparts; k++)
		v = value_child(&r->scratch, v, parts[k]);
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

static void render_nodes(struct render *r, const struct mustache_tpl *tpl,
			 const struct mnode *nodes, size_t n,
			 const struct bscope *scope)
{
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
}

int mustache_render(struct mustache_set *set, const struct mustache_tpl *tpl,
		    const struct value *ctx, struct strbuf *out, struct diag *d)
{
	struct render r;

	memset(&r, 0, sizeof(r));
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

static void warn_missing(struct mustache_set *set, const struct mustache_tpl *tpl,
			 const struct mnode *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct mnode *m = &nodes[i];

		if ((m->kind == K_PARTIAL || m->kind == K_PARENT) && !m->dynamic &&
		    !mustache_get(set, m->s))
			diag_warning(set->diag, tpl->path, m->line, m->col,
				     "%s '%s' not found: it renders as nothing",
				     m->kind == K_PARENT ? "parent" : "partial", m->s);
		warn_missing(set, tpl, m->kids, m->nkids);
	}
}

void mustache_warn_missing(struct mustache_set *set, const struct mustache_tpl *tpl)
{
	warn_missing(set, tpl, tpl->root.kids, tpl->root.nkids);
}

static void link_nodes(struct mustache_set *set, struct mnode *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct mnode *m = &nodes[i];

		if ((m->kind == K_PARTIAL || m->kind == K_PARENT) && !m->dynamic) {
			struct named *nm = find_named(set, m->s);

			m->target = nm ? nm->tpl : NULL;
		}
		link_nodes(set, m->kids, m->nkids);
	}
}

void mustache_link(struct mustache_set *set)
{
	pthread_mutex_lock(&set->lock);
	for (size_t i = 0; i < set->nnamed; i++)
		if (set->named[i].tpl)
			link_nodes(set, set->named[i].tpl->root.kids, set->named[i].tpl->root.nkids);
	pthread_mutex_unlock(&set->lock);
}
