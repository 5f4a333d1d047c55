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
/* Frees everything allocated from a and leaves it empty and usable. */
void arena_release(struct arena *a);

#endif
