/* site: the build pipeline, from presetgen.yaml, templates and content to
 * the output directory, which is replaced only when everything succeeded. */
#ifndef PRESETGEN_SITE_H
#define PRESETGEN_SITE_H

#include <stdbool.h>
#include <stddef.h>

struct diag;

struct build_opts {
	const char *env;	/* environment name; NULL: production */
	const char *out;	/* output directory; NULL: dist */
	bool drafts;		/* include pages marked draft */
	int jobs;		/* render threads; 0: one per core */
	bool quiet;		/* -q: no progress, no summary */
	bool verbose;		/* -v: every file written */
	bool dry_run;		/* check: render everything, write nothing */
	const char *archive;	/* --archive FILE.tar.gz|.zip, or NULL */
	bool no_gzip;		/* --no-gzip: no .gz siblings */
	const char **snapshots;	/* --snapshot paths; none: presetgen.yaml's */
	size_t nsnapshots;
};

/* Builds the site in the current directory. Returns an exit code. */
int site_build(const struct build_opts *o, struct diag *d);

#endif
