/* Diagnostics: counted, capped per file, written one whole message at a
 * time under the diag's own lock. */
#include "base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct diag_file {
	char *name;
	unsigned long errors;	/* errors about this file since the last finish */
};

void diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
	pthread_mutex_init(&d->lock, NULL);
	d->exit_code = EXIT_OK;
}

void diag_release(struct diag *d)
{
	for (size_t i = 0; i < d->nfiles; i++)
		free(d->files[i].name);
	free(d->files);
	d->files = NULL;
	d->nfiles = d->afiles = 0;
	pthread_mutex_destroy(&d->lock);
}

static const char *const kind_names[] = { "error", "warning", "note" };

void diag_format(struct strbuf *sb, const struct diag_msg *m)
{
	if (m->file && *m->file) {
		strbuf_adds(sb, m->file);
		if (m->line) {
			strbuf_addf(sb, ":%u", m->line);
			if (m->col)
				strbuf_addf(sb, ":%u", m->col);
		}
		strbuf_adds(sb, ": ");
	} else {
		strbuf_adds(sb, "presetgen: ");
	}
	strbuf_addf(sb, "%s: %s\n", kind_names[m->kind], m->text);
}

/* Under the lock. */
static void emit(struct diag *d, const struct diag_msg *m)
{
	struct strbuf sb = STRBUF_INIT;

	if (d->fn && !d->capture) {
		d->fn(d->fn_ud, m);
		return;
	}
	diag_format(&sb, m);
	if (d->capture)
		strbuf_add(d->capture, sb.buf, sb.len);
	else
		fwrite(sb.buf, 1, sb.len, stderr);
	strbuf_release(&sb);
}

/* Under the lock: the count for file, made on first use. */
static struct diag_file *file_entry(struct diag *d, const char *file)
{
	if (!file)
		file = "";
	for (size_t i = 0; i < d->nfiles; i++)
		if (!strcmp(d->files[i].name, file))
			return &d->files[i];
	ALLOC_GROW(d->files, d->nfiles + 1, d->afiles);
	d->files[d->nfiles].name = xstrdup(file);
	d->files[d->nfiles].errors = 0;
	return &d->files[d->nfiles++];
}

void diag_report(struct diag *d, const struct diag_msg *m, bool system)
{
	pthread_mutex_lock(&d->lock);
	if (m->kind == DIAG_ERROR) {
		struct diag_file *f = file_entry(d, m->file);

		d->errors++;
		if (system)
			d->exit_code = EXIT_SYSTEM;
		else if (d->exit_code == EXIT_OK)
			d->exit_code = EXIT_INPUT;
		if (++f->errors <= DIAG_MAX_PER_FILE)
			emit(d, m);
	} else if (m->kind == DIAG_WARNING) {
		d->warnings++;
		if (!d->quiet)
			emit(d, m);
	} else {
		emit(d, m);
	}
	pthread_mutex_unlock(&d->lock);
}

static void vreport(struct diag *d, enum diag_kind kind, bool system, const char *file,
		    unsigned line, unsigned col, const char *fmt, va_list ap)
{
	struct strbuf text = STRBUF_INIT;
	struct diag_msg m = { kind, file, line, col, NULL };

	strbuf_vaddf(&text, fmt, ap);
	m.text = text.buf;
	diag_report(d, &m, system);
	strbuf_release(&text);
}

int diag_verror(struct diag *d, const char *file, unsigned line, unsigned col,
		const char *fmt, va_list ap)
{
	vreport(d, DIAG_ERROR, false, file, line, col, fmt, ap);
	return -1;
}

int diag_error(struct diag *d, const char *file, unsigned line, unsigned col,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, DIAG_ERROR, false, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int diag_syserror(struct diag *d, const char *file, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, DIAG_ERROR, true, file, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

void diag_warning(struct diag *d, const char *file, unsigned line, unsigned col,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, DIAG_WARNING, false, file, line, col, fmt, ap);
	va_end(ap);
}

int diag_error_at(struct diag *d, const struct srcpos *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, DIAG_ERROR, false, at ? at->file : NULL, at ? at->line : 0, at ? at->col : 0,
		fmt, ap);
	va_end(ap);
	return -1;
}

void diag_warning_at(struct diag *d, const struct srcpos *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, DIAG_WARNING, false, at ? at->file : NULL, at ? at->line : 0,
		at ? at->col : 0, fmt, ap);
	va_end(ap);
}

bool diag_suppressed(struct diag *d, const char *file)
{
	bool r;

	pthread_mutex_lock(&d->lock);
	r = file_entry(d, file)->errors >= DIAG_MAX_PER_FILE;
	pthread_mutex_unlock(&d->lock);
	return r;
}

void diag_finish(struct diag *d)
{
	pthread_mutex_lock(&d->lock);
	for (size_t i = 0; i < d->nfiles; i++) {
		struct diag_file *f = &d->files[i];

		if (f->errors > DIAG_MAX_PER_FILE) {
			struct strbuf text = STRBUF_INIT;
			struct diag_msg m = { DIAG_NOTE, *f->name ? f->name : NULL, 0, 0, NULL };

			strbuf_addf(&text, "%lu more errors in this file were not shown",
				    f->errors - DIAG_MAX_PER_FILE);
			m.text = text.buf;
			emit(d, &m);
			strbuf_release(&text);
		}
		f->errors = 0;
	}
	pthread_mutex_unlock(&d->lock);
}

int diag_exit_code(const struct diag *d)
{
	if (d->exit_code != EXIT_OK)
		return d->exit_code;
	return d->errors ? EXIT_INPUT : EXIT_OK;
}

int check_utf8(struct diag *d, const char *path, const char *buf, size_t len)
{
	size_t bad = utf8_invalid_at(buf, len);
	struct linemap lm;
	unsigned l, c;

	if (bad == len)
		return 0;
	linemap_init(&lm, buf, len);
	linemap_pos(&lm, bad, &l, &c);
	linemap_release(&lm);
	return diag_error(d, path, l, c, "not valid UTF-8 (byte 0x%02x): text must be UTF-8",
			  (unsigned char)buf[bad]);
}

int read_text_at(struct diag *d, int dirfd, const char *path, char **buf, size_t *len)
{
	if (read_file_at(dirfd, path, buf, len) < 0)
		return diag_syserror(d, path, "cannot read: %s", strerror(errno));
	if (check_utf8(d, path, *buf, *len) < 0) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}
