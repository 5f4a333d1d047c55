/* keyindex: a hash table from strings to numbers (open addressing, FNV-1a).
 * Keys are not copied: they must outlive the index. */
#ifndef PRESETGEN_KEYINDEX_H
#define PRESETGEN_KEYINDEX_H

#include <stdbool.h>
#include <stddef.h>

struct keyindex;

/* An index sized for about n keys; it grows past that. */
struct keyindex *index_new(size_t n);
void index_free(struct keyindex *ix);
/* Adds key with *row; returns false if key is there already (*row then
 * holds the first one's). */
bool index_put(struct keyindex *ix, const char *key, size_t *row);
/* Whether key is there; *row is its number. ix and key may be NULL. */
bool index_get(const struct keyindex *ix, const char *key, size_t *row);

#endif
