/* arena: a memory pool for the many small objects of one build, freed at once. */
#ifndef PRESETGEN_ARENA_H
#define PRESETGEN_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;	/* bytes used in head */
	size_t cap;	/* bytes available in head */
	size_t total;	/* bytes allocated from the system, for reports */
};

#define ARENA_INIT { NULL, 0, 0, 0 }

/* Memory from these lives until arena_release(); never free() it. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* a followed by b, in the arena: the common case of arena_printf, without
 * the cost of formatting. */
char *arena_cat(struct arena *a, const char *x, const char *y);
/* Forgets everything allocated from a but keeps its first block of memory
 * for what comes next: for an arena used once per page. */
void arena_reset(struct arena *a);
/* Frees everything allocated from a and leaves it empty and usable. */
void arena_release(struct arena *a);

#endif
