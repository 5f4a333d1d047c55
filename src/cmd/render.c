/* presetgen render TEMPLATE [--data FILE] [--partials DIR]: one Mustache
 * template with a JSON or YAML context, to standard output. */
#include "cmd.h"
#include "data/data.h"
#include "template/mustache.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *const render_usage[] = {
	"usage: presetgen render TEMPLATE [--data FILE] [--partials DIR]",
	"",
	"Renders one Mustache template to standard output.",
	"",
	"  -d, --data FILE      the context: JSON (.json) or YAML (.yaml, .yml);",
	"                       default an empty object",
	"  -p, --partials DIR   where {{> NAME}} finds NAME.mustache",
	"                       (default: the template's directory)",
	NULL,
};

static const struct option render_options[] = {
	{ "data", required_argument, NULL, 'd' },
	{ "partials", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct partial_dir {
	const char *dir;
	struct diag *d;
};

static int load_partial(void *ud, const char *name, char **src, size_t *len,
			char **path)
{
	struct partial_dir *pd = ud;
	struct strbuf sb = STRBUF_INIT;

	/* dynamic names come from data: they may not leave the directory */
	if (!mustache_name_is_safe(name))
		return 1;
	strbuf_addf(&sb, "%s/%s.mustache", pd->dir, name);
	if (read_file(sb.buf, src, len) < 0) {
		int e = errno;

		if (e == ENOENT || e == ENOTDIR || e == EISDIR) {
			strbuf_release(&sb);
			return 1;
		}
		diag_syserror(pd->d, sb.buf, "cannot read: %s", strerror(e));
		strbuf_release(&sb);
		return -1;
	}
	if (check_utf8(pd->d, sb.buf, *src, *len) < 0) {
		free(*src);
		*src = NULL;
		strbuf_release(&sb);
		return -1;
	}
	*path = strbuf_detach(&sb, NULL);
	return 0;
}

static struct value *load_data(const char *path, struct arena *a, struct diag *d)
{
	char *src;
	size_t len;
	struct value *v = NULL;

	if (read_file(path, &src, &len) < 0) {
		if (errno == ENOENT || errno == EISDIR)
			diag_error(d, path, 0, 0, "cannot read the data: %s", strerror(errno));
		else
			diag_syserror(d, path, "cannot read: %s", strerror(errno));
		return NULL;
	}
	if (str_endswith(path, ".json")) {
		v = json_to_value(path, src, len, a, d);
	} else if (str_endswith(path, ".yaml") || str_endswith(path, ".yml")) {
		struct ydoc *y = ydoc_load(path, src, len, 0, d);

		if (y) {
			v = ydoc_to_value(y, ydoc_root(y), a);
			ydoc_free(y);
		}
	} else {
		diag_error(d, path, 0, 0, "expected a .json, .yaml or .yml file for --data");
	}
	free(src);
	return v;
}

/* The template's source, as UTF-8; exit code on failure (-1: none). */
static int read_template(const char *path, char **src, size_t *len, struct diag *d)
{
	if (read_file(path, src, len) < 0) {
		if (errno == ENOENT || errno == EISDIR || errno == ENOTDIR) {
			diag_error(d, path, 0, 0, "cannot read the template: %s", strerror(errno));
			return EXIT_INPUT;
		}
		diag_syserror(d, path, "cannot read: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	if (check_utf8(d, path, *src, *len) < 0) {
		free(*src);
		return EXIT_INPUT;
	}
	return -1;
}

static int render(const char *tplpath, const char *data, const char *partials, struct diag *d)
{
	struct arena a = ARENA_INIT;
	struct strbuf out = STRBUF_INIT;
	struct mustache_set *set;
	const struct mustache_tpl *tpl;
	struct partial_dir pd;
	struct value *ctx;
	char *src, *dirbuf = NULL;
	size_t len;
	int rc = read_template(tplpath, &src, &len, d);

	if (rc >= 0)
		return rc;
	rc = EXIT_OK;
	if (!partials) {
		const char *slash = strrchr(tplpath, '/');

		dirbuf = slash ? xstrndup(tplpath, (size_t)(slash - tplpath + (slash == tplpath)))
			       : xstrdup(".");
		partials = dirbuf;
	}
	pd.dir = partials;
	pd.d = d;
	set = mustache_set_new(d);
	mustache_set_loader(set, load_partial, &pd);
	tpl = mustache_parse(set, NULL, tplpath, src, len);
	free(src);
	ctx = tpl ? (data ? load_data(data, &a, d) : value_map(&a, 0)) : NULL;
	if (tpl && ctx) {
		if (mustache_render(set, tpl, ctx, &out, d) < 0)
			rc = diag_exit_code(d);
		else if (fwrite(out.buf, 1, out.len, stdout) != out.len)
			rc = EXIT_SYSTEM;
	}
	if (d->errors)
		rc = diag_exit_code(d);
	mustache_set_free(set);
	strbuf_release(&out);
	arena_release(&a);
	free(dirbuf);
	return rc;
}

int cmd_render(int argc, char **argv)
{
	const char *data = NULL, *partials = NULL;
	struct diag d;
	int c, rc;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":d:p:h", render_options, NULL)) != -1) {
		switch (c) {
		case 'd': data = optarg; break;
		case 'p': partials = optarg; break;
		case 'h':
			print_usage(stdout, render_usage);
			return EXIT_OK;
		case ':':
			return usage_error(render_usage, "option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error(render_usage, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error(render_usage, "%s", optind >= argc ? "expected one TEMPLATE"
				   : "expected one TEMPLATE, not more");
	diag_init(&d);
	rc = render(argv[optind], data, partials, &d);
	diag_finish(&d);
	diag_release(&d);
	return rc;
}
