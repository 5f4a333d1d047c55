/* presetgen: a thin front end over the library. One table of commands;
 * each command (src/cmd/) owns its usage text and options. */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef PRESETGEN_VERSION
#define PRESETGEN_VERSION "0.1.0"
#endif

static const char *const main_usage[] = {
	"usage: presetgen COMMAND [OPTIONS]",
	"",
	"Commands:",
	"  build     build the site into a static bundle (dist/)",
	"  check     check the site's configuration, templates and content",
	"  serve     preview the site as Vercel serves it; rebuild and reload on save",
	"  render    render one Mustache template with a JSON or YAML context",
	"  mobile    make the app's release: app.json, eas.json and icons (release/)",
	"",
	"presetgen --version prints the version; presetgen COMMAND --help the",
	"options of a command. Exit codes: 0 success, 1 wrong input, 2 usage",
	"error, 3 I/O or system failure.",
	NULL,
};

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "build", cmd_build },
	{ "check", cmd_check },
	{ "serve", cmd_serve },
	{ "render", cmd_render },
	{ "mobile", cmd_mobile },
};

int main(int argc, char **argv)
{
	int rc;

	if (argc < 2)
		return usage_error(main_usage, "%s", "expected a command");
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
