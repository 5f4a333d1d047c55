/* presetgen: a thin front end over the library-shaped core. One table of
 * commands; each command owns its usage text and options. */
#include "arena.h"
#include "bundlecheck.h"
#include "diag.h"
#include "fsutil.h"
#include "jsonv.h"
#include "mustache.h"
#include "site.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"
#include "value.h"
#include "yamldoc.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PRESETGEN_VERSION
#define PRESETGEN_VERSION "0.1.0"
#endif

static const char *const build_usage[] = {
	"usage: presetgen build [-C DIR] [--env ENV] [--out DIR] [--snapshot PATH]... [--archive FILE] [--no-gzip] [--drafts] [--jobs N] [-q|-v]",
	"",
	"Builds the site in DIR (default: the current directory) into DIR/dist.",
	"",
	"  -C, --dir DIR     the site's directory (with presetgen.yaml)",
	"  -e, --env ENV     development, staging or production (default production)",
	"  -o, --out DIR     the output directory, replaced only when the build succeeds",
	"  -a, --archive FILE   also write the bundle as FILE.tar.gz or FILE.zip",
	"  -G, --no-gzip     no .gz siblings (faster, for previews)",
	"  -s, --snapshot PATH  a database snapshot: a .json file, a .sql dump or a",
	"                    directory of .csv files; repeatable (default: the",
	"                    snapshots presetgen.yaml lists)",
	"  -D, --drafts      include pages marked draft",
	"  -j, --jobs N      render with N threads (default: one per core)",
	"  -q, --quiet       no progress and no summary",
	"  -v, --verbose     print how long each phase took",
	NULL,
};

static const char *const check_usage[] = {
	"usage: presetgen check [-C DIR] [--env ENV] [--snapshot PATH]... [--bundle DIR]",
	"",
	"Reads presetgen.yaml, every template, every content page and the snapshots,",
	"renders every page in memory, and reports every error it finds. Writes nothing.",
	"",
	"  -C, --dir DIR     the site's directory (with presetgen.yaml)",
	"  -e, --env ENV     development, staging or production (default production)",
	"  -s, --snapshot PATH  a database snapshot (repeatable)",
	"  -b, --bundle DIR  check a built bundle instead: pages parse as HTML, internal",
	"                    links and asset references resolve, XML is well-formed",
	"  -D, --drafts      check pages marked draft too",
	"  -q, --quiet       print nothing but errors",
	NULL,
};

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

static const char *const main_usage[] = {
	"usage: presetgen COMMAND [OPTIONS]",
	"",
	"Commands:",
	"  build     build the site into a static bundle (dist/)",
	"  check     check the site's configuration, templates and content",
	"  render    render one Mustache template with a JSON or YAML context",
	"",
	"presetgen --version prints the version; presetgen COMMAND --help the",
	"options of a command. Exit codes: 0 success, 1 wrong input, 2 usage",
	"error, 3 I/O or system failure.",
	NULL,
};

static void print_usage(FILE *f, const char *const *lines)
{
	for (; *lines; lines++)
		fprintf(f, "%s\n", *lines);
}

static int usage_error(const char *const *usage, const char *fmt, const char *arg)
{
	fputs("presetgen: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fprintf(stderr, "%s\n", usage[0]);
	return EXIT_USAGE;
}

/* Parses a whole positive number, rejecting trailing junk. */
static bool parse_count(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || !*s || *end || v < 1 || v > 1024)
		return false;
	*out = (int)v;
	return true;
}

/* path made absolute against the current directory (takes path over). */
static char *absolute(char *path)
{
	char cwd[PATH_MAX];
	struct strbuf sb = STRBUF_INIT;

	if (!path || path[0] == '/')
		return path;
	if (!getcwd(cwd, sizeof(cwd)))
		die("cannot get the current directory: %s", strerror(errno));
	strbuf_addf(&sb, "%s/%s", cwd, path);
	free(path);
	return strbuf_detach(&sb, NULL);
}

static const struct option site_options[] = {
	{ "dir", required_argument, NULL, 'C' },
	{ "env", required_argument, NULL, 'e' },
	{ "out", required_argument, NULL, 'o' },
	{ "drafts", no_argument, NULL, 'D' },
	{ "snapshot", required_argument, NULL, 's' },
	{ "archive", required_argument, NULL, 'a' },
	{ "bundle", required_argument, NULL, 'b' },
	{ "no-gzip", no_argument, NULL, 'G' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int cmd_site(int argc, char **argv, bool check)
{
	const char *const *usage = check ? check_usage : build_usage;
	struct build_opts o;
	struct diag d;
	const char *dir = NULL;
	char *out = NULL, *archive = NULL;
	const char *bundle = NULL;
	char **snaps = NULL;
	size_t nsnaps = 0;
	int c, rc;

	memset(&o, 0, sizeof(o));
	opterr = 0;
	optind = 1;
	rc = -1;
	while (rc < 0 && (c = getopt_long(argc, argv, "+:C:e:o:s:a:b:GDj:qvh", site_options, NULL)) != -1) {
		switch (c) {
		case 'C': dir = optarg; break;
		case 'e':
			if (strcmp(optarg, "development") && strcmp(optarg, "staging") &&
			    strcmp(optarg, "production"))
				rc = usage_error(usage, "unknown environment '%s': expected "
						 "development, staging or production", optarg);
			o.env = optarg;
			break;
		case 'o':
			if (check) {
				rc = usage_error(usage, "unknown option '%s'", "--out");
				break;
			}
			free(out);
			out = xstrdup(optarg);
			break;
		case 'a':
			if (check || (!str_endswith(optarg, ".tar.gz") && !str_endswith(optarg, ".zip"))) {
				rc = usage_error(usage, "--archive takes FILE.tar.gz or FILE.zip, not '%s'",
						 optarg);
				break;
			}
			free(archive);
			archive = xstrdup(optarg);
			break;
		case 's':
			snaps = xrealloc(snaps, (nsnaps + 1) * sizeof(*snaps));
			snaps[nsnaps++] = xstrdup(optarg);
			break;
		case 'D': o.drafts = true; break;
		case 'G': o.no_gzip = true; break;
		case 'b':
			if (!check) {
				rc = usage_error(usage, "unknown option '%s'", "--bundle");
				break;
			}
			bundle = optarg;
			break;
		case 'j':
			if (check || !parse_count(optarg, &o.jobs))
				rc = usage_error(usage, "--jobs takes a number from 1 to 1024, not '%s'",
						 optarg);
			break;
		case 'q': o.quiet = true; break;
		case 'v': o.verbose = true; break;
		case 'h':
			print_usage(stdout, usage);
			rc = EXIT_OK;
			break;
		case ':':
			rc = usage_error(usage, "option '%s' needs a value", argv[optind - 1]);
			break;
		default:
			rc = usage_error(usage, "unknown option '%s'", argv[optind - 1]);
			break;
		}
	}
	if (rc < 0 && optind < argc)
		rc = usage_error(usage, "unexpected argument '%s'", argv[optind]);
	if (rc >= 0)
		goto out;
	if (bundle) {
		size_t pages;

		diag_init(&d);
		rc = bundle_check(bundle, &d, &pages) < 0 ? diag_exit_code(&d) : EXIT_OK;
		if (!rc && !o.quiet)
			printf("%zu pages checked in %s: every link resolves, no errors\n", pages, bundle);
		goto out;
	}
	/* --out and --snapshot are relative to where presetgen was started,
	 * not to -C */
	if (dir) {
		out = absolute(out);
		archive = absolute(archive);
		for (size_t i = 0; i < nsnaps; i++)
			snaps[i] = absolute(snaps[i]);
	}
	if (dir && chdir(dir) < 0) {
		fprintf(stderr, "%s: error: cannot open the site directory: %s\n", dir,
			strerror(errno));
		rc = EXIT_INPUT;
		goto out;
	}
	o.out = out;
	o.archive = archive;
	o.dry_run = check;
	o.snapshots = (const char **)snaps;
	o.nsnapshots = nsnaps;
	diag_init(&d);
	d.quiet = o.quiet;
	rc = site_build(&o, &d);
out:
	free(out);
	free(archive);
	for (size_t i = 0; i < nsnaps; i++)
		free(snaps[i]);
	free(snaps);
	return rc;
}

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
	size_t bad;

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
	bad = utf8_invalid_at(*src, *len);
	if (bad < *len) {
		unsigned l, c;

		text_position(*src, bad, &l, &c);
		diag_error(pd->d, sb.buf, l, c, "not valid UTF-8 (byte 0x%02x)",
			   (unsigned char)(*src)[bad]);
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
		struct ydoc y;

		if (ydoc_load(&y, path, src, len, 0, d) == 0) {
			v = ydoc_to_value(&y, ydoc_root(&y), a);
			ydoc_release(&y);
		}
	} else {
		diag_error(d, path, 0, 0, "expected a .json, .yaml or .yml file for --data");
	}
	free(src);
	return v;
}

static int cmd_render(int argc, char **argv)
{
	const char *data = NULL, *partials = NULL, *tplpath;
	struct arena a = ARENA_INIT;
	struct strbuf out = STRBUF_INIT;
	struct mustache_set *set;
	const struct mustache_tpl *tpl;
	struct partial_dir pd;
	struct value *ctx;
	struct diag d;
	char *src, *dirbuf = NULL;
	size_t len, bad;
	int c, rc = EXIT_OK;

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
	tplpath = argv[optind];
	diag_init(&d);
	if (read_file(tplpath, &src, &len) < 0) {
		if (errno == ENOENT || errno == EISDIR || errno == ENOTDIR) {
			diag_error(&d, tplpath, 0, 0, "cannot read the template: %s", strerror(errno));
			return EXIT_INPUT;
		}
		diag_syserror(&d, tplpath, "cannot read: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	bad = utf8_invalid_at(src, len);
	if (bad < len) {
		unsigned l, col;

		text_position(src, bad, &l, &col);
		diag_error(&d, tplpath, l, col, "not valid UTF-8 (byte 0x%02x)",
			   (unsigned char)src[bad]);
		free(src);
		return EXIT_INPUT;
	}
	if (!partials) {
		const char *slash = strrchr(tplpath, '/');

		dirbuf = slash ? xstrndup(tplpath, (size_t)(slash - tplpath + (slash == tplpath)))
			       : xstrdup(".");
		partials = dirbuf;
	}
	pd.dir = partials;
	pd.d = &d;
	set = mustache_set_new(&d);
	mustache_set_loader(set, load_partial, &pd);
	tpl = mustache_parse(set, NULL, tplpath, src, len);
	free(src);
	ctx = tpl ? (data ? load_data(data, &a, &d) : value_map(&a, 0)) : NULL;
	if (tpl && ctx) {
		if (mustache_render(set, tpl, ctx, &out, &d) < 0)
			rc = diag_exit_code(&d);
		else if (fwrite(out.buf, 1, out.len, stdout) != out.len)
			rc = EXIT_SYSTEM;
	}
	if (d.errors)
		rc = diag_exit_code(&d);
	mustache_set_free(set);
	strbuf_release(&out);
	arena_release(&a);
	free(dirbuf);
	return rc;
}

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static int cmd_build(int argc, char **argv)
{
	return cmd_site(argc, argv, false);
}

static int cmd_check(int argc, char **argv)
{
	return cmd_site(argc, argv, true);
}

static const struct command commands[] = {
	{ "build", cmd_build },
	{ "check", cmd_check },
	{ "render", cmd_render },
};

int main(int argc, char **argv)
{
	int rc;

	if (argc < 2)
		return usage_error(main_usage, "%s", "expected a command"), EXIT_USAGE;
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		print_usage(stdout, main_usage);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("presetgen %s\n", PRESETGEN_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		rc = commands[i].fn(argc - 1, argv + 1);
		/* Check for ENOSPC and EIO on standard output. */
		if (fflush(stdout) || ferror(stdout)) {
			fprintf(stderr, "presetgen: error: cannot write to standard output: %s\n",
				strerror(errno));
			return EXIT_SYSTEM;
		}
		return rc;
	}
	if (argv[1][0] == '-')
		return usage_error(main_usage, "unknown option '%s'", argv[1]);
	return usage_error(main_usage, "unknown command '%s'", argv[1]);
}
