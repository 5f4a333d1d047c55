/* mobile: what a release of the Preset app needs, made from the
 * repository's app.json (the base config), eas/ (the build and submit
 * profiles' inputs, and the ledger of numbers issued) and presetgen.yaml
 * (icon:, mobile:, environments.ENV.public): app.json and eas.json that
 * Expo's and EAS's tools accept, the icons from one source, and a preview
 * sheet, written to a release folder, or compared with it (--check).
 * Like the site, it takes the root, prints nothing (every message goes
 * through the diag it is given), keeps no process-wide state, never exits.
 *
 *	struct mobile_inputs in = { .root = ".", .profile = "production" };
 *	if (mobile_run(&in, &d, &res) == 0)
 *		... res.files, res.version ...
 */
#ifndef PRESETGEN_MOBILE_H
#define PRESETGEN_MOBILE_H

#include "base/base.h"

#include <stdbool.h>
#include <stddef.h>

enum mobile_bump { BUMP_NONE, BUMP_MAJOR, BUMP_MINOR, BUMP_PATCH, BUMP_BUILD };

struct mobile_inputs {
	const char *root;		/* the repository; NULL: "." */
	const char *profile;		/* development, preview or production (NULL) */
	const char *env;		/* NULL: the profile's environment */
	const char *out;		/* relative to root; NULL: presetgen.yaml's, else release */
	bool native;			/* also android/ and ios/ icon sets */
	bool check;			/* compare with out instead of writing */
	enum mobile_bump bump;		/* raise the numbers in app.json first */
	int jobs;			/* threads for the icons; 0: one per core */
	char *const *environ;		/* public values and secrets; NULL: none */
};

struct mobile_result {
	size_t files, bytes;		/* made (and, but for a check, written) */
	size_t differ;			/* --check: files that differ, are missing or extra */
	struct strbuf diff;		/* --check: what differs, readable */
	double t_icons;			/* seconds to make every icon */
	double t_total;
	char version[32];		/* as released */
	long version_code;
	char build_number[32];
	bool bumped;			/* app.json and the ledger were rewritten */
	char out[256];			/* the release folder (relative to root) */
	const char *env;
};

/* Makes the release (after --bump, if asked). Returns 0, or -1 after
 * reporting every error; nothing is written then. */
int mobile_run(const struct mobile_inputs *in, struct diag *d, struct mobile_result *res);
void mobile_result_release(struct mobile_result *res);

#endif
