/* template's internal interface: the token stream, the tree, the set, and
 * the parser's state, shared by lex.c, parse.c, set.c and render.c. */
#ifndef PRESETGEN_TEMPLATE_INTERNAL_H
#define PRESETGEN_TEMPLATE_INTERNAL_H

#include "mustache.h"
#include "data/data.h"

#include <pthread.h>

/* Deep enough for real recursive data, shallow enough to stop a template
 * that includes itself long before the C stack runs out. */
#define MAX_NESTING 100
/* Sections inside sections, in one template: real ones nest a few deep;
 * this stops a hostile one before the parser's recursion runs out of stack
 * (200,000 levels did, in a worker thread's 8 MiB). */
#define MAX_SECTION_DEPTH 1000
/* What one render may reach: frames of sections and partials, partials
 * expanded (a page that lists 100,000 rows through a partial is fine; 2^30
 * through partials that each include the next twice is not), bytes. */
#define MAX_RENDER_DEPTH 5000
#define MAX_RENDER_INCLUDES 1000000
#define MAX_RENDER_BYTES (256 << 20)

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

struct parser {
	struct mustache_set *set;
	const char *path;
	const char *src;
	size_t len;
	struct token *toks;
	size_t ntoks, atoks;
	int errors;
	bool stop;		/* sections nest too deep: stop parsing */
	struct linemap lines;	/* for the line and column of errors */
};

/* lex.c */
void parser_pos(struct parser *p, size_t off, unsigned *line, unsigned *col);
void parser_error(struct parser *p, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Splits p->src into tokens, honouring set-delimiter tags. */
void lex(struct parser *p);
/* Marks the tokens of standalone lines. */
void mark_standalone(struct parser *p);

/* parse.c: the tree of tokens *i.. up to the close of open (NULL: the end) */
void parse_nodes(struct parser *p, size_t *i, const struct token *open, struct mnode **out,
		 size_t *nout, bool *close_standalone, int depth);

#endif
