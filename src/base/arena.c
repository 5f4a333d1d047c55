#include "base.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	struct arena_chunk *next;
	max_align_t data[];
};

#define CHUNK_SIZE ((size_t)64 * 1024)
#define ALIGN (_Alignof(max_align_t))

void *arena_alloc(struct arena *a, size_t n)
{
	size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
	struct arena_chunk *c;
	size_t cap;
	void *p;

	if (need < n)
		oom("size_t overflow in arena_alloc");
	if (!a->head || a->cap - a->used < need) {
		cap = need > CHUNK_SIZE / 4 ? need : CHUNK_SIZE;
		c = xmalloc(st_add(sizeof(*c), cap));
		a->total += cap;
		if (a->head && need > CHUNK_SIZE / 4) {
			/* A big object gets a chunk of its own behind the head,
			 * so the free space left in the head is not wasted. */
			c->next = a->head->next;
			a->head->next = c;
			return c->data;
		}
		c->next = a->head;
		a->head = c;
		a->used = 0;
		a->cap = cap;
	}
	p = (char *)a->head->data + a->used;
	a->used += need;
	return p;
}

void *arena_calloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);

	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, st_add(n, 1));

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char *p;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	p = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return p;
}

char *arena_cat(struct arena *a, const char *x, const char *y)
{
	size_t n = strlen(x), m = strlen(y);
	char *p = arena_alloc(a, st_add(st_add(n, m), 1));

	memcpy(p, x, n);
	memcpy(p + n, y, m + 1);
	return p;
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next;

	if (!a->head)
		return;
	/* keep the head if it is an ordinary chunk; free the rest */
	c = a->head->next;
	while (c) {
		next = c->next;
		free(c);
		c = next;
	}
	a->head->next = NULL;
	if (a->cap != CHUNK_SIZE) {
		free(a->head);
		a->head = NULL;
		a->cap = a->total = 0;
	} else {
		a->total = a->cap;
	}
	a->used = 0;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	while (c) {
		next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = a->cap = a->total = 0;
}
