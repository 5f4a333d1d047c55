/* strbuf: a growable byte string that is never NULL and always NUL-terminated. */
#ifndef PRESETGEN_STRBUF_H
#define PRESETGEN_STRBUF_H

#include <stddef.h>
#include <stdarg.h>

struct strbuf {
	char *buf;	/* never NULL; buf[len] == '\0' */
	size_t len;
	size_t alloc;	/* 0 while buf points at the shared empty string */
};

#define STRBUF_INIT { strbuf_empty, 0, 0 }
extern char strbuf_empty[1];

void strbuf_init(struct strbuf *sb);
/* Frees the contents and leaves sb initialised and empty. */
void strbuf_release(struct strbuf *sb);
/* Hands the memory to the caller, who must free() it; sb is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
static inline void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->buf[0] = '\0';
}

/* Cuts sb back to its first len bytes (len <= sb->len). */
static inline void strbuf_setlen(struct strbuf *sb, size_t len)
{
	sb->len = len;
	sb->buf[len] = '\0';
}

#endif
