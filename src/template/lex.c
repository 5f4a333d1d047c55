/* Lexing: Mustache source to tokens, with set-delimiter tags, and the pass
 * that finds standalone lines (tags alone on a line drop the line). */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void parser_pos(struct parser *p, size_t off, unsigned *line, unsigned *col)
{
	linemap_pos(&p->lines, off, line, col);
}

void parser_error(struct parser *p, size_t off, const char *fmt, ...)
{
	unsigned line, col;
	va_list ap;

	parser_pos(p, off, &line, &col);
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

/* The kind of the tag whose inside starts at *inner (after the opening
 * delimiter), moving past its sigil; *close becomes what closes it. */
static enum kind tag_kind(struct parser *p, size_t *inner, const char *ctag, const char **close,
			  char *closebuf, size_t n)
{
	enum kind k = K_VAR;

	if (*inner >= p->len)
		return k;
	switch (p->src[*inner]) {
	case '{':
		snprintf(closebuf, n, "}%s", ctag);
		*close = closebuf;
		k = K_RAW;
		break;
	case '&': k = K_RAW; break;
	case '#': k = K_SECTION; break;
	case '^': k = K_INVERTED; break;
	case '/': k = K_CLOSE; break;
	case '!': k = K_COMMENT; break;
	case '>': k = K_PARTIAL; break;
	case '$': k = K_BLOCK; break;
	case '<': k = K_PARENT; break;
	case '=':
		snprintf(closebuf, n, "=%s", ctag);
		*close = closebuf;
		k = K_DELIM;
		break;
	default:
		return k;
	}
	(*inner)++;
	return k;
}

/* The name of tag t (a dynamic partial's without its '*'), checked. */
static void tag_name(struct parser *p, struct token *t, size_t start, const char *name,
		     size_t nlen, const char *otag, const char *ctag)
{
	trim(&name, &nlen);
	if ((t->kind == K_PARTIAL || t->kind == K_PARENT) && nlen && name[0] == '*') {
		t->dynamic = true;
		name++;
		nlen--;
		trim(&name, &nlen);
	}
	if (!nlen) {
		parser_error(p, start, "empty tag: expected a name between '%s' and '%s'", otag, ctag);
	} else {
		for (size_t i = 0; i < nlen; i++) {
			if (is_space(name[i])) {
				parser_error(p, start, "tag name '%.*s' contains white space",
					     (int)nlen, name);
				break;
			}
		}
	}
	t->s = name;
	t->n = nlen;
}

void lex(struct parser *p)
{
	char otag[8] = "{{", ctag[8] = "}}";
	size_t pos = 0;

	while (pos < p->len) {
		const char *o = find(p->src + pos, p->len - pos, otag), *c, *close = ctag;
		size_t start, inner;
		char closebuf[10];
		enum kind k;
		struct token *t;

		if (!o) {
			push_text(p, pos, p->len, otag, ctag);
			break;
		}
		start = (size_t)(o - p->src);
		push_text(p, pos, start, otag, ctag);
		inner = start + strlen(otag);
		k = tag_kind(p, &inner, ctag, &close, closebuf, sizeof(closebuf));
		c = find(p->src + inner, p->len - inner, close);
		if (!c) {
			parser_error(p, start, "unclosed tag: expected '%s' before the end of the file",
				     close);
			return;
		}
		t = push_token(p, k, start, otag, ctag);
		t->s = p->src + inner;
		t->n = (size_t)(c - t->s);
		if (k == K_DELIM) {
			if (!set_delims(t->s, t->n, otag, ctag))
				parser_error(p, start, "bad delimiter change: expected '%s=OPEN CLOSE=%s' "
					     "with two delimiters of 1 to 7 characters, without spaces "
					     "or '='", t->otag, t->ctag);
		} else if (k != K_COMMENT) {
			tag_name(p, t, start, t->s, t->n, otag, ctag);
		}
		pos = (size_t)(c - p->src) + strlen(close);
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
void mark_standalone(struct parser *p)
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

