/* JSON files read with jansson, and messages that point into them: the
 * line and column of a value come from json_locate over the text. */
#include "internal.h"

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

bool list_has(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

bool regex_matches(const char *re, const char *s)
{
	regex_t rx;
	bool ok;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB))
		BUG("bad regular expression");
	ok = !regexec(&rx, s, 0, NULL, 0);
	regfree(&rx);
	return ok;
}

json_t *object_at(json_t *parent, const char *key)
{
	json_t *o = json_object_get(parent, key);

	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(parent, key, o);
	}
	return o;
}

int json_file_load(int rootfd, const char *path, bool optional, struct json_file *f,
		   struct diag *d)
{
	json_error_t err;

	memset(f, 0, sizeof(*f));
	f->path = path;
	if (read_file_at(rootfd, path, &f->text, &f->len) < 0) {
		if (errno == ENOENT && optional)
			return 0;
		if (errno == ENOENT)
			return diag_error(d, path, 0, 0, "not found: expected a JSON file here");
		return diag_syserror(d, path, "cannot read: %s", strerror(errno));
	}
	if (check_utf8(d, path, f->text, f->len) < 0)
		return -1;
	linemap_init(&f->lines, f->text, f->len);
	f->root = json_loadb(f->text, f->len, JSON_REJECT_DUPLICATES, &err);
	if (!f->root)
		return diag_error(d, path, (unsigned)err.line, (unsigned)err.column, "%s",
				  err.text);
	if (!json_is_object(f->root))
		return diag_error(d, path, 1, 1, "expected a JSON object");
	return 0;
}

void json_file_release(struct json_file *f)
{
	json_decref(f->root);
	free(f->text);
	if (f->text || f->lines.starts)
		linemap_release(&f->lines);
	memset(f, 0, sizeof(*f));
}

void json_path_text(struct strbuf *out, const char *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addch(out, '.');
		strbuf_adds(out, keys[i]);
	}
}

int json_error(struct diag *d, struct json_file *f, const char *const *keys, size_t n,
	       const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	unsigned line = 0, col = 0;
	size_t start, end, k = n;
	va_list ap;

	/* the value, or the nearest enclosing one that is there */
	while (f->text && json_locate(f->text, f->len, keys, k, &start, &end) < 0 && k)
		k--;
	if (f->text && json_locate(f->text, f->len, keys, k, &start, &end) == 0)
		linemap_pos(&f->lines, start, &line, &col);
	json_path_text(&msg, keys, n);
	if (n)
		strbuf_adds(&msg, ": ");
	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_error(d, f->path, line, col, "%s", msg.buf);
	strbuf_release(&msg);
	return -1;
}

void json_describe(struct strbuf *out, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		strbuf_addf(out, "the string \"%s\"", json_string_value(v));
		break;
	case JSON_INTEGER:
		strbuf_addf(out, "the number %" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		strbuf_addf(out, "the number %g", json_real_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		strbuf_addf(out, "%s", json_is_true(v) ? "true" : "false");
		break;
	case JSON_NULL:
		strbuf_adds(out, "null");
		break;
	case JSON_ARRAY:
		strbuf_adds(out, "an array");
		break;
	case JSON_OBJECT:
		strbuf_adds(out, "an object");
		break;
	}
}

static int dump_cb(const char *buf, size_t size, void *data)
{
	strbuf_add(data, buf, size);
	return 0;
}

void json_write(struct strbuf *out, const json_t *v)
{
	if (json_dump_callback(v, dump_cb, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0)
		oom("cannot write JSON");
	strbuf_addch(out, '\n');
}
