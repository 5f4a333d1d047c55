/* yamldoc: a YAML document loaded with libyaml, with positions for messages,
 * and its conversion to values. */
#ifndef PRESETGEN_YAMLDOC_H
#define PRESETGEN_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

struct arena;
struct diag;
struct value;

struct ydoc {
	yaml_document_t doc;
	bool loaded;
	const char *path;
	unsigned line_offset;	/* lines before the YAML in its file */
	struct diag *diag;
};

/* Parses src. line_offset is added to every line in messages (front matter
 * starts on a file's second line). Returns 0, or -1 after reporting the
 * syntax error as path:line:col. */
int ydoc_load(struct ydoc *y, const char *path, const char *src, size_t len,
	      unsigned line_offset, struct diag *d);
void ydoc_release(struct ydoc *y);
/* The root node, or NULL for an empty document. */
yaml_node_t *ydoc_root(struct ydoc *y);
yaml_node_t *ydoc_node(struct ydoc *y, int id);

/* Reports "path:line:col: error: ..." at node n. Returns -1. */
int ydoc_error(struct ydoc *y, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ydoc_warning(struct ydoc *y, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "a mapping", "a list", "a string", "a number", "true", "null", ... */
const char *ydoc_describe(const yaml_node_t *n);
const char *ydoc_scalar(const yaml_node_t *n);
bool ydoc_is_plain(const yaml_node_t *n);

/* Converts node n to a value: plain scalars resolve as YAML 1.2's core
 * schema (null, true/false, integers, floats), all others are strings.
 * Returns NULL after reporting an error (a document that expands past a
 * million nodes through aliases, or nests too deep). */
struct value *ydoc_to_value(struct ydoc *y, yaml_node_t *n, struct arena *a);

#endif
