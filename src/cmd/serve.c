/* presetgen serve: options, the lines a person reads, and Ctrl-C or
 * SIGTERM, which stop the server and the watcher (nothing is left on
 * disk: the preview lives in memory). */
#include "cmd.h"
#include "serve/serve.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern char **environ;

static const char *const serve_usage[] = {
	"usage: presetgen serve [-C DIR] [--env ENV] [--bind ADDR] [--port N] [--snapshot PATH]... [--drafts] [-q]",
	"",
	"Serves the site as Vercel will serve it, built for the server's own address,",
	"and rebuilds what each saved change touches; open pages reload themselves.",
	"",
	"  -C, --dir DIR     the site's directory (with presetgen.yaml)",
	"  -e, --env ENV     development (default), staging or production",
	"  -b, --bind ADDR   the address to listen on (default 127.0.0.1)",
	"  -p, --port N      the port (default: the environment's base_url's, or the",
	"                    next free one); a port in use is then an error",
	"  -s, --snapshot PATH  a database snapshot (repeatable)",
	"  -D, --drafts      include pages marked draft",
	"  -j, --jobs N      render threads (default: one per core)",
	"  -q, --quiet       print only the URL and errors",
	NULL,
};

static const struct option options[] = {
	{ "dir", required_argument, NULL, 'C' },
	{ "env", required_argument, NULL, 'e' },
	{ "bind", required_argument, NULL, 'b' },
	{ "port", required_argument, NULL, 'p' },
	{ "snapshot", required_argument, NULL, 's' },
	{ "drafts", no_argument, NULL, 'D' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static bool quiet;

/* One line for the terminal, with the time of day. */
static void say(void *ud, const char *line)
{
	char when[16];
	time_t now = time(NULL);
	struct tm tm;

	(void)ud;
	if (quiet && strncmp(line, "serving ", 8) && !strstr(line, "error"))
		return;
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	fprintf(stderr, "%s %s\n", when, line);
}

static int parse_port(const char *s, int *port)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 1 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	struct serve_opts o = { .environ = environ, .stop = &stop, .say = say };
	const char **snaps = NULL;
	struct diag d;
	int c, rc = -1;

	opterr = 0;
	optind = 1;
	while (rc < 0 && (c = getopt_long(argc, argv, "+:C:e:b:p:s:Dj:qh", options, NULL)) != -1) {
		switch (c) {
		case 'C': o.root = optarg; break;
		case 'e': o.env = optarg; break;
		case 'b': o.bind = optarg; break;
		case 'p':
			if (parse_port(optarg, &o.port) < 0)
				rc = usage_error(serve_usage, "--port takes a number from 1 to 65535, "
						 "not '%s'", optarg);
			o.port_given = true;
			break;
		case 's':
			snaps = xrealloc(snaps, (o.nsnapshots + 1) * sizeof(*snaps));
			snaps[o.nsnapshots++] = optarg;
			break;
		case 'D': o.drafts = true; break;
		case 'j':
			if (!parse_count(optarg, &o.jobs))
				rc = usage_error(serve_usage, "--jobs takes a number from 1 to 1024, "
						 "not '%s'", optarg);
			break;
		case 'q': quiet = true; break;
		case 'h': print_usage(stdout, serve_usage); rc = EXIT_OK; break;
		case ':': rc = usage_error(serve_usage, "option '%s' needs a value", argv[optind - 1]); break;
		default: rc = usage_error(serve_usage, "unknown option '%s'", argv[optind - 1]); break;
		}
	}
	if (rc < 0 && optind < argc)
		rc = usage_error(serve_usage, "unexpected argument '%s'", argv[optind]);
	if (rc >= 0) {
		free(snaps);
		return rc;
	}
	o.snapshots = snaps;
	catch_stop_signals(on_signal);
	signal(SIGPIPE, SIG_IGN);
	diag_init(&d);
	rc = serve_run(&o, &d) < 0 ? diag_exit_code(&d) : EXIT_OK;
	diag_release(&d);
	free(snaps);
	if (stop && rc == EXIT_OK)
		say(NULL, "stopped");
	return rc;
}
