/* presetgen build and presetgen check: options, progress on a terminal,
 * the summary, and what SIGINT and SIGTERM do (the build stops, removes its
 * staging directory, and the process then dies of the signal). */
#include "cmd.h"
#include "site/site.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

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

static const struct option options[] = {
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

struct args {
	bool check;
	const char *const *usage;
	struct site_inputs in;
	struct site_render_opts o;
	const char *dir, *bundle;
	char *out, *archive;
	char **snaps;
	size_t nsnaps;
	bool quiet, verbose;
};

/* One option; returns an exit code to stop with, or -1 to go on. */
static int option(struct args *a, int c, char **argv)
{
	switch (c) {
	case 'C': a->dir = optarg; return -1;
	case 'e':
		if (!site_env_known(optarg))
			return usage_error(a->usage, "unknown environment '%s': expected "
					   "development, staging or production", optarg);
		a->in.env = optarg;
		return -1;
	case 'o':
		if (a->check)
			return usage_error(a->usage, "unknown option '%s'", "--out");
		free(a->out);
		a->out = xstrdup(optarg);
		return -1;
	case 'a':
		if (a->check || (!str_endswith(optarg, ".tar.gz") && !str_endswith(optarg, ".zip")))
			return usage_error(a->usage, "--archive takes FILE.tar.gz or FILE.zip, not '%s'",
					   optarg);
		free(a->archive);
		a->archive = xstrdup(optarg);
		return -1;
	case 's':
		a->snaps = xrealloc(a->snaps, (a->nsnaps + 1) * sizeof(*a->snaps));
		a->snaps[a->nsnaps++] = xstrdup(optarg);
		return -1;
	case 'D': a->in.drafts = true; return -1;
	case 'G': a->o.no_gzip = true; return -1;
	case 'b':
		if (!a->check)
			return usage_error(a->usage, "unknown option '%s'", "--bundle");
		a->bundle = optarg;
		return -1;
	case 'j':
		if (a->check || !parse_count(optarg, &a->o.jobs))
			return usage_error(a->usage, "--jobs takes a number from 1 to 1024, not '%s'",
					   optarg);
		return -1;
	case 'q': a->quiet = true; return -1;
	case 'v': a->verbose = true; return -1;
	case 'h':
		print_usage(stdout, a->usage);
		return EXIT_OK;
	case ':':
		return usage_error(a->usage, "option '%s' needs a value", argv[optind - 1]);
	default:
		return usage_error(a->usage, "unknown option '%s'", argv[optind - 1]);
	}
}

static int parse(struct args *a, int argc, char **argv)
{
	int c, rc = -1;

	opterr = 0;
	optind = 1;
	while (rc < 0 && (c = getopt_long(argc, argv, "+:C:e:o:s:a:b:GDj:qvh", options, NULL)) != -1)
		rc = option(a, c, argv);
	if (rc < 0 && optind < argc)
		rc = usage_error(a->usage, "unexpected argument '%s'", argv[optind]);
	return rc;
}

/* ---- signals: stop the build cleanly, then die of the signal ------------- */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* After the build has cleaned up: the exit status a shell expects. */
static void die_of_signal(void)
{
	int sig = stop_signal;

	if (!sig)
		return;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void progress(void *ud, size_t done, size_t total)
{
	(void)ud;
	fprintf(stderr, "\rbuilding: %zu/%zu files", done, total);
	if (done == total)
		fputc('\n', stderr);
}

static void print_timings(const struct site_result *res)
{
	fprintf(stderr, "timing: read config, templates, content: %.3f s\n", res->t_read);
	fprintf(stderr, "timing: snapshots and collections: %.3f s\n", res->t_data);
	fprintf(stderr, "timing: planned pages: %.3f s\n", res->t_plan_pages);
	fprintf(stderr, "timing: planned sitemap, feed, assets: %.3f s\n", res->t_plan_files);
	fprintf(stderr, "redirects: %zu in vercel.json, %zu as pages; from tables %zu, left out "
		"%zu (a live page has the URL), %zu (no published page at the end), %zu (values "
		"that make no URL)\n", res->red_vercel, res->red_pages, res->red_tables,
		res->red_live, res->red_unpublished, res->red_bad);
	fprintf(stderr, "timing: planned %zu files: %.3f s\n", res->planned, res->t_plan);
	fprintf(stderr, "timing: rendered and written: %.3f s\n", res->t_render);
}

static int check_bundle(struct args *a)
{
	struct diag d;
	size_t pages;
	int rc;

	diag_init(&d);
	rc = bundle_check(a->bundle, &d, &pages) < 0 ? diag_exit_code(&d) : EXIT_OK;
	if (!rc && !a->quiet)
		printf("%zu pages checked in %s: every link resolves, no errors\n", pages, a->bundle);
	diag_release(&d);
	return rc;
}

static int build(struct args *a)
{
	struct site_result res;
	struct diag d;
	struct site *s;
	int rc;

	/* --out, --archive and --snapshot are relative to where presetgen was
	 * started, not to -C */
	if (a->dir) {
		a->out = absolute(a->out);
		a->archive = absolute(a->archive);
		for (size_t i = 0; i < a->nsnaps; i++)
			a->snaps[i] = absolute(a->snaps[i]);
	}
	a->in.root = a->dir;
	a->in.snapshots = (const char *const *)a->snaps;
	a->in.nsnapshots = a->nsnaps;
	a->in.environ = environ;
	a->o.out = a->out;
	a->o.archive = a->archive;
	a->o.dry_run = a->check;
	a->o.cancel = &stop_signal;
	if (!a->quiet && !a->check && isatty(STDERR_FILENO))
		a->o.progress = progress;
	diag_init(&d);
	d.quiet = a->quiet;
	catch_stop_signals(on_signal);
	s = site_load(&a->in, &d, &res);
	rc = s && !stop_signal ? site_render(s, &a->o, &res) : -1;
	site_free(s);
	if (a->verbose)
		print_timings(&res);
	if (!rc && !a->quiet && !a->check)
		printf("%zu pages, %zu files, %zu bytes written to %s in %.3f s\n", res.pages,
		       res.files, res.bytes, a->out ? a->out : "dist", res.t_render);
	else if (!rc && !a->quiet)
		printf("%zu pages checked, no errors\n", res.pages);
	rc = rc ? (diag_exit_code(&d) ? diag_exit_code(&d) : EXIT_INPUT) : EXIT_OK;
	diag_release(&d);
	die_of_signal();
	return rc;
}

static int run(int argc, char **argv, bool check)
{
	struct args a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.check = check;
	a.usage = check ? check_usage : build_usage;
	rc = parse(&a, argc, argv);
	if (rc < 0)
		rc = a.bundle ? check_bundle(&a) : build(&a);
	free(a.out);
	free(a.archive);
	for (size_t i = 0; i < a.nsnaps; i++)
		free(a.snaps[i]);
	free(a.snaps);
	return rc;
}

int cmd_build(int argc, char **argv)
{
	return run(argc, argv, false);
}

int cmd_check(int argc, char **argv)
{
	return run(argc, argv, true);
}
