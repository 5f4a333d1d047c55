/* content: Markdown pages with YAML front matter, rendered by cmark. */
#ifndef PRESETGEN_CONTENT_H
#define PRESETGEN_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diag;
struct value;

struct page {
	const char *src;	/* "content/about.md" */
	const char *title;
	const char *description;
	const char *layout;	/* NULL: the default */
	unsigned layout_line, layout_col;
	const char *date;	/* "2026-03-14" or "2026-03-14T10:00:00+00:00", or NULL */
	bool draft;
	long weight;
	const char **menus;
	size_t nmenus;
	struct value *params;	/* front matter "params", or an empty map */
	const char *url;	/* "/about/" */
	const char *out;	/* "about/index.html" */
	const char *html;	/* the body, rendered */
};

/* Loads every Markdown page below dir (but not content/data/). Pages
 * live in arena a. Reports every error and returns -1 if there was one. */
int content_load(const char *dir, bool drafts, struct page **pages, size_t *n,
		 struct arena *a, struct diag *d);

/* Splits a front matter block off src: on success *yaml and *yaml_len hold it
 * (NULL when there is none) and *body the rest. Returns -1 after reporting
 * an unterminated block. */
int front_matter_split(const char *path, const char *src, size_t len,
		       const char **yaml, size_t *yaml_len, const char **body,
		       struct diag *d);

/* "2026-03-14" and "2026-03-14T10:00[:00][Z|+01:00]" */
bool date_is_valid(const char *s);
/* "14 Mar 2026" from a valid date. */
void date_human(char *buf, size_t n, const char *s);

#endif
