/* mustache: templates as the Mustache spec defines them (all but lambdas),
 * parsed once into a tree and rendered many times.
 *
 * A set owns its templates: every template parsed into a set, and every
 * partial it loads, is freed with mustache_set_free(). Rendering only reads
 * the set, so threads may render from one set at once, as long as the set
 * has no loader (all templates added up front) or its loader is thread-safe;
 * loads themselves are serialised by the set. */
#ifndef PRESETGEN_MUSTACHE_H
#define PRESETGEN_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base.h"

struct diag;
struct strbuf;
struct value;
struct mustache_set;
struct mustache_tpl;

/* Finds the source of the template called name. Returns 0 with *src (malloc'd,
 * taken over by the set), *len and *path (malloc'd, taken over) set; 1 when
 * there is no such template; -1 after reporting an error to the diag. */
typedef int (*mustache_load_fn)(void *ud, const char *name, char **src,
				size_t *len, char **path);

struct mustache_set *mustache_set_new(struct diag *d);
void mustache_set_free(struct mustache_set *set);
void mustache_set_loader(struct mustache_set *set, mustache_load_fn fn, void *ud);

/* Parses src (which the set copies) as the template called name (NULL for
 * an unnamed one). path names it in messages. Reports every syntax error
 * as "path:line:col: error: ..." and returns NULL if there was one. */
struct mustache_tpl *mustache_parse(struct mustache_set *set, const char *name,
				    const char *path, const char *src, size_t len);

/* The template called name: one added already, or one the loader finds.
 * NULL when there is none (or it did not parse). */
const struct mustache_tpl *mustache_get(struct mustache_set *set, const char *name);
const char *mustache_path(const struct mustache_tpl *tpl);

/* Appends the rendering of tpl with context ctx to out. Returns 0, or -1
 * after reporting an error (runaway recursion) to d. */
int mustache_render(struct mustache_set *set, const struct mustache_tpl *tpl,
		    const struct value *ctx, struct strbuf *out, struct diag *d);

/* What a render used, for a caller that re-renders only what an edit
 * touches (presetgen serve): the templates (tpl, its partials and parents,
 * and names it looked for and did not find), and which of the values in
 * watch (NULL: none) a lookup reached: bit i of watched for watch[i].
 * names are the set's strings; the caller frees the array. */
#define MUSTACHE_WATCH_MAX 5
struct mustache_deps {
	const char **names;
	size_t n, alloc;
	const struct value *watch[MUSTACHE_WATCH_MAX];
	unsigned watched;
	/* when set, called with every value a lookup looked into or found:
	 * the context frames it searched, each value along a dotted name */
	void (*touch)(void *ud, const struct value *v);
	void *touch_ud;
};

int mustache_render_deps(struct mustache_set *set, const struct mustache_tpl *tpl,
			 const struct value *ctx, struct strbuf *out, struct diag *d,
			 struct mustache_deps *deps);

/* Whether a partial name is acceptable as a file name below a directory:
 * no empty, "." or ".." segment and no leading '/'. */
bool mustache_name_is_safe(const char *name);

/* Resolves every static partial and parent name to the template the set
 * holds now, so that rendering looks nothing up by name. For a set whose
 * templates are all added before rendering starts. */
void mustache_link(struct mustache_set *set);

/* Warns, at the tag, about every partial or parent that tpl names and the
 * set does not hold (the spec renders them as nothing, which hides typos). */
void mustache_warn_missing(struct mustache_set *set, const struct mustache_tpl *tpl);

#endif
