/* presetgen mobile: options, and what it prints (the numbers released,
 * the files, the time the icons took; with --check, what differs). */
#include "cmd.h"
#include "mobile/mobile.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static const char *const mobile_usage[] = {
	"usage: presetgen mobile [-C DIR] [--profile NAME] [--env ENV] [--out DIR] [--native] [--bump PART | --check] [-q]",
	"",
	"Makes what a release of the app needs from app.json, eas/ and presetgen.yaml:",
	"app.json and eas.json that Expo's and EAS's tools accept, the icons from",
	"icon.source, and icons-preview.png, in a release folder (default: release/).",
	"",
	"  -C, --dir DIR      the repository (with presetgen.yaml and app.json)",
	"  -p, --profile NAME development, preview or production (default production):",
	"                     the build the release is for",
	"  -e, --env ENV      whose public values go into extra (default: the profile's,",
	"                     from presetgen.yaml mobile.profiles)",
	"  -o, --out DIR      the release folder, inside the repository",
	"  -n, --native       also Android's mipmap-* and iOS's AppIcon.appiconset, as",
	"                     Expo's prebuild names them",
	"  -b, --bump PART    major, minor, patch or build: raise the numbers in app.json",
	"                     (and eas/ledger.json) first",
	"  -c, --check        make everything in memory and compare it with the release",
	"                     folder; exit 1 with what differs",
	"  -j, --jobs N       threads for the icons (default: one per core)",
	"  -q, --quiet        print nothing but errors",
	NULL,
};

static const struct option options[] = {
	{ "dir", required_argument, NULL, 'C' },
	{ "profile", required_argument, NULL, 'p' },
	{ "env", required_argument, NULL, 'e' },
	{ "out", required_argument, NULL, 'o' },
	{ "native", no_argument, NULL, 'n' },
	{ "bump", required_argument, NULL, 'b' },
	{ "check", no_argument, NULL, 'c' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int option(struct mobile_inputs *in, bool *quiet, int c, char **argv)
{
	static const char *const parts[] = { "major", "minor", "patch", "build" };

	switch (c) {
	case 'C': in->root = optarg; return -1;
	case 'p': in->profile = optarg; return -1;
	case 'e': in->env = optarg; return -1;
	case 'o': in->out = optarg; return -1;
	case 'n': in->native = true; return -1;
	case 'c': in->check = true; return -1;
	case 'q': *quiet = true; return -1;
	case 'b':
		for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
			if (!strcmp(optarg, parts[i]))
				in->bump = (enum mobile_bump)(BUMP_MAJOR + i);
		if (in->bump == BUMP_NONE)
			return usage_error(mobile_usage, "--bump takes major, minor, patch or "
					   "build, not '%s'", optarg);
		return -1;
	case 'j':
		if (!parse_count(optarg, &in->jobs))
			return usage_error(mobile_usage, "--jobs takes a number from 1 to 1024, "
					   "not '%s'", optarg);
		return -1;
	case 'h':
		print_usage(stdout, mobile_usage);
		return EXIT_OK;
	case ':':
		return usage_error(mobile_usage, "option '%s' needs a value", argv[optind - 1]);
	default:
		return usage_error(mobile_usage, "unknown option '%s'", argv[optind - 1]);
	}
}

int cmd_mobile(int argc, char **argv)
{
	struct mobile_inputs in = { .environ = environ };
	struct mobile_result res;
	struct diag d;
	bool quiet = false;
	int c, rc = -1;

	opterr = 0;
	optind = 1;
	while (rc < 0 && (c = getopt_long(argc, argv, "+:C:p:e:o:nb:cj:qh", options, NULL)) != -1)
		rc = option(&in, &quiet, c, argv);
	if (rc < 0 && optind < argc)
		rc = usage_error(mobile_usage, "unexpected argument '%s'", argv[optind]);
	if (rc < 0 && in.check && in.bump != BUMP_NONE)
		rc = usage_error(mobile_usage, "%s", "--bump and --check do not go together: "
				 "--check writes nothing");
	if (rc >= 0)
		return rc;
	diag_init(&d);
	d.quiet = quiet;
	rc = mobile_run(&in, &d, &res);
	diag_finish(&d);
	if (rc < 0) {
		rc = diag_exit_code(&d);
	} else if (in.check) {
		if (res.differ) {
			fputs(res.diff.buf, stdout);
			fprintf(stderr, "presetgen: error: %zu file%s of %s differ%s from what "
				"presetgen mobile makes; run presetgen mobile%s%s and commit the "
				"result\n", res.differ, res.differ == 1 ? "" : "s", res.out,
				res.differ == 1 ? "s" : "", in.native ? " --native" : "",
				in.profile ? " --profile ..." : "");
			rc = EXIT_INPUT;
		} else if (!quiet) {
			printf("%s is up to date: %zu files (version %s, versionCode %ld, "
			       "buildNumber %s) in %.0f ms\n", res.out, res.files, res.version,
			       res.version_code, res.build_number, res.t_total * 1000);
		}
	} else if (!quiet) {
		if (res.bumped)
			printf("app.json: version %s, versionCode %ld, buildNumber %s\n",
			       res.version, res.version_code, res.build_number);
		printf("%zu files, %zu bytes written to %s for %s (icons in %.0f ms, all in "
		       "%.0f ms)\n", res.files, res.bytes, res.out, res.env, res.t_icons * 1000,
		       res.t_total * 1000);
	}
	mobile_result_release(&res);
	diag_release(&d);
	return rc;
}
