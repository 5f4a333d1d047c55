/* diag: "file:line:col: error: ..." diagnostics, counted so that a command can
 * report every error it finds before it fails. Safe to call from threads. */
#ifndef PRESETGEN_DIAG_H
#define PRESETGEN_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf;

struct diag {
	int errors;
	int warnings;
	int exit_code;		/* EXIT_INPUT unless a system error raised it */
	bool quiet;		/* -q: warnings are not printed */
	struct strbuf *capture;	/* if set, messages go here, not to stderr */
};

void diag_init(struct diag *d);

/* A line or column of 0 is left out of the message. Each returns -1. */
int diag_error(struct diag *d, const char *file, unsigned line, unsigned col,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int diag_verror(struct diag *d, const char *file, unsigned line, unsigned col,
		const char *fmt, va_list ap);
/* An I/O or system failure: the command will exit with EXIT_SYSTEM. */
int diag_syserror(struct diag *d, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *d, const char *file, unsigned line, unsigned col,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Reads a whole text file (see read_file) and checks that it is UTF-8.
 * Reports "cannot read" as a system error, or the first byte that is not
 * UTF-8 with its line and column; returns -1 then, with *buf freed. */
int read_text(struct diag *d, const char *path, char **buf, size_t *len);

/* The exit code a command should return given the errors seen so far. */
int diag_exit_code(const struct diag *d);

#endif
