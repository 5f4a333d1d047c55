#include "diag.h"
#include "fsutil.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t diag_lock = PTHREAD_MUTEX_INITIALIZER;

void diag_init(struct diag *d)
{
	d->errors = 0;
	d->warnings = 0;
	d->exit_code = EXIT_OK;
	d->quiet = false;
	d->capture = NULL;
}

static void emit(struct diag *d, const char *file, unsigned line, unsigned col,
		 const char *kind, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	if (file && *file) {
		strbuf_adds(&sb, file);
		if (line) {
			strbuf_addf(&sb, ":%u", line);
			if (col)
				strbuf_addf(&sb, ":%u", col);
		}
		strbuf_adds(&sb, ": ");
	} else {
		strbuf_adds(&sb, "presetgen: ");
	}
	strbuf_addf(&sb, "%s: ", kind);
	strbuf_vaddf(&sb, fmt, ap);
	strbuf_addch(&sb, '\n');
	/* One write per message so that threads do not interleave. */
	if (d->capture)
		strbuf_add(d->capture, sb.buf, sb.len);
	else
		fwrite(sb.buf, 1, sb.len, stderr);
	strbuf_release(&sb);
}

int diag_verror(struct diag *d, const char *file, unsigned line, unsigned col,
		const char *fmt, va_list ap)
{
	pthread_mutex_lock(&diag_lock);
	d->errors++;
	if (d->exit_code == EXIT_OK)
		d->exit_code = EXIT_INPUT;
	emit(d, file, line, col, "error", fmt, ap);
	pthread_mutex_unlock(&diag_lock);
	return -1;
}

int diag_error(struct diag *d, const char *file, unsigned line, unsigned col,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_verror(d, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int diag_syserror(struct diag *d, const char *file, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&diag_lock);
	d->errors++;
	d->exit_code = EXIT_SYSTEM;
	va_start(ap, fmt);
	emit(d, file, 0, 0, "error", fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&diag_lock);
	return -1;
}

void diag_warning(struct diag *d, const char *file, unsigned line, unsigned col,
		  const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&diag_lock);
	d->warnings++;
	if (!d->quiet) {
		va_start(ap, fmt);
		emit(d, file, line, col, "warning", fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&diag_lock);
}

int diag_exit_code(const struct diag *d)
{
	if (d->exit_code != EXIT_OK)
		return d->exit_code;
	return d->errors ? EXIT_INPUT : EXIT_OK;
}

int read_text(struct diag *d, const char *path, char **buf, size_t *len)
{
	size_t bad;

	if (read_file(path, buf, len) < 0)
		return diag_syserror(d, path, "cannot read: %s", strerror(errno));
	bad = utf8_invalid_at(*buf, *len);
	if (bad < *len) {
		unsigned l, c;

		text_position(*buf, bad, &l, &c);
		diag_error(d, path, l, c, "not valid UTF-8 (byte 0x%02x): text must be UTF-8",
			   (unsigned char)(*buf)[bad]);
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}
