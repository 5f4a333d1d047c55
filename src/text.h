/* text: UTF-8 checks, positions, HTML escaping and URL slugs. */
#ifndef PRESETGEN_TEXT_H
#define PRESETGEN_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/* Returns the offset of the first byte that is not valid UTF-8, or len. */
size_t utf8_invalid_at(const char *s, size_t len);
/* The 1-based line and column (in characters) of offset off in s. */
void text_position(const char *s, size_t off, unsigned *line, unsigned *col);
/* Appends s with & < > " ' escaped as entities. */
void html_escape(struct strbuf *out, const char *s, size_t len);
/* Appends a URL path segment made from s: lower-case ASCII letters, digits
 * and '-', other letters kept as UTF-8. Never '.', '..', empty or with '/'.
 * Returns false (appending nothing) when nothing usable is left. */
bool slugify(struct strbuf *out, const char *s, size_t len);
bool str_endswith(const char *s, const char *suffix);

#endif
