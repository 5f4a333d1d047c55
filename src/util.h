/* util: checked allocation, size arithmetic and the fatal-error exit. */
#ifndef PRESETGEN_UTIL_H
#define PRESETGEN_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* The exit codes of every command (SPEC: nothing else). */
enum exit_code {
	EXIT_OK = 0,
	EXIT_INPUT = 1,		/* the input is wrong; a message says where */
	EXIT_USAGE = 2,		/* the command line is wrong */
	EXIT_SYSTEM = 3,	/* I/O or system failure */
};

/* Prints "presetgen: fatal: ..." and exits with EXIT_SYSTEM. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* These never return NULL: out of memory is fatal. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

static inline size_t st_add(size_t a, size_t b)
{
	if (a > SIZE_MAX - b)
		die("size_t overflow: %zu + %zu", a, b);
	return a + b;
}

static inline size_t st_mult(size_t a, size_t b)
{
	if (b && a > SIZE_MAX / b)
		die("size_t overflow: %zu * %zu", a, b);
	return a * b;
}

/* Grows array x (of nr used, alloc allocated) to hold at least n items. */
#define ALLOC_GROW(x, n, alloc) do { \
	if ((n) > (alloc)) { \
		size_t ag_new_ = (alloc) + (alloc) / 2 + 8; \
		if (ag_new_ < (n)) \
			ag_new_ = (n); \
		(x) = xrealloc((x), st_mult(ag_new_, sizeof(*(x)))); \
		(alloc) = ag_new_; \
	} \
} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
