/* site: the build of Preset's site as a library. It takes the site's root
 * directory, loads it once (presetgen.yaml, templates, content, assets,
 * snapshots, collections), then plans, renders and writes it as many times
 * as a caller asks, and returns what it did; it prints nothing itself (the
 * diag it is given carries every message), keeps no process-wide state and
 * never exits. Two sites may be built at once from two threads.
 *
 *	struct site *s = site_load(&in, &d, &res);
 *	if (s && site_render(s, &opts, &res) == 0)
 *		... res.pages, res.files, res.bytes ...
 *	site_free(s);
 */
#ifndef PRESETGEN_SITE_H
#define PRESETGEN_SITE_H

#include "base/base.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a build reads besides the files under root. */
struct site_inputs {
	const char *root;		/* the site's directory; NULL: "." */
	const char *env;		/* development, staging or production (NULL) */
	const char *const *snapshots;	/* relative to root; none: presetgen.yaml's */
	size_t nsnapshots;
	bool drafts;			/* include pages marked draft */
	/* The environment variables ("NAME=VALUE", NULL-terminated), read once
	 * while loading: SOURCE_DATE_EPOCH, the public values presetgen.yaml
	 * names, and the secrets that must never be written. NULL: none. */
	char *const *environ;
	/* The site's address, instead of the environment's base_url (the
	 * preview server's own). NULL: the environment's. */
	const char *base_url;
	/* A site loaded before from the same root (serve's, when a snapshot
	 * or presetgen.yaml changed), whose work this load takes over where
	 * its inputs are the same: the icons, when their source files and
	 * settings are. NULL: none. */
	const struct site *previous;
};

/* A page of the plan, as a caller that renders only some sees it before
 * the render (serve). data is a fingerprint of the page's own data: the
 * row of a collection's page, the rows, numbers and group of a listing's
 * page (one value for every other page); a page whose data, templates,
 * content and assets are as they were renders as it did. */
struct site_page {
	const char *path;		/* below the output: "gigs/index.html" */
	const char *src;		/* the input it comes from */
	uint64_t data;
};

/* One file of a render given to a caller instead of written (serve). */
struct site_output {
	const char *path;		/* below the output: "gigs/index.html" */
	const char *data;
	size_t len;
	const char *src;		/* the input it comes from, for messages */
	bool page;			/* rendered from a template */
	/* pages: what it depended on while it rendered */
	const char *const *templates;	/* the templates it used */
	size_t ntemplates;
	bool uses_pages;		/* it showed site.pages (other pages) */
	bool uses_collections;		/* it showed collections (counts, groups) */
	unsigned site_keys;		/* site.title (1), .description (2), .author (4) */
	const char *const *assets;	/* the assets it referenced ("css/site.css") */
	size_t nassets;
	const char *const *rows;	/* the rows it looked into ("gigs/42") */
	size_t nrows;
	uint64_t fingerprint;		/* its site_page's data */
};

struct site_render_opts {
	const char *out;		/* relative to root; NULL: dist */
	bool dry_run;			/* check: render everything, write nothing */
	const char *archive;		/* also FILE.tar.gz or FILE.zip, or NULL */
	bool no_gzip;			/* no .gz siblings */
	int jobs;			/* render threads; 0: one per core */
	/* When it becomes non-zero (a signal handler sets it), the build
	 * stops, removes its staging directory and leaves the previous output
	 * as it was. NULL: never. */
	const volatile sig_atomic_t *cancel;
	/* When set, every file goes to sink (from the render threads, one
	 * call at a time) instead of a directory: no staging, no .gz. */
	void (*sink)(void *ud, const struct site_output *o);
	void *sink_ud;
	/* When set, only the pages it wants are rendered (and given to sink);
	 * every other file is made as usual. The CSP allows what each page
	 * asks as it was last rendered (the site keeps each page's asks), so
	 * an inline script an edit removed is no longer allowed. */
	bool (*want)(void *ud, const struct site_page *p);
	void *want_ud;
	/* want() reads site_page.data (else it is 0 there: working it out
	 * for every page costs a 10,000-gig render tens of milliseconds) */
	bool want_data;
	/* Called now and then from the render threads, one call at a time. */
	void (*progress)(void *ud, size_t done, size_t total);
	void *progress_ud;
};

/* What a build did, for the caller to print. Times are seconds since
 * site_load began, at the end of each phase. */
struct site_result {
	size_t pages, files, bytes;
	double t_read;			/* config, templates, content, assets */
	double t_data;			/* snapshots and collections */
	double t_plan_pages;		/* pages and collections planned */
	double t_plan_files;		/* sitemap, feed, assets planned */
	double t_plan;			/* every file planned */
	double t_render;		/* rendered and written */
	size_t planned;			/* files planned */
	/* redirects: in vercel.json, as pages; rows of tables made into
	 * redirects, and those left out: a live page has the URL, no
	 * published page at the end, values that make no URL */
	size_t red_vercel, red_pages, red_tables, red_live, red_unpublished, red_bad;
	bool cancelled;			/* stopped by opts.cancel */
};

struct site;

/* Loads the site. Reports every error it finds through d (which must
 * outlive the site) and returns NULL if there was one. */
struct site *site_load(const struct site_inputs *in, struct diag *d, struct site_result *res);
/* Plans, renders and (but for a dry run) writes the site into a staging
 * directory, swapped in for the output only when everything succeeded.
 * Returns 0, or -1 after reporting errors (or when cancelled). */
int site_render(struct site *s, const struct site_render_opts *o, struct site_result *res);
void site_free(struct site *s);

/* What changed in a loaded site, as site_update found it. */
struct site_changes {
	bool reload;			/* site_diff: render every page */
	/* a snapshot or presetgen.yaml: site_load again, site_diff the two
	 * sites, and render the pages whose site_page.data changed, that
	 * showed collections (when collections), a site key that changed or
	 * looked into one of rows */
	bool data;
	bool all_pages;			/* every page must be rendered again */
	const char **templates;		/* templates whose files changed, by name */
	size_t ntemplates;
	const char **sources;		/* content pages whose body alone changed */
	size_t nsources;
	bool assets;			/* assets/ changed */
	const char **assets_changed;	/* assets renamed or gone: their pages */
	size_t nassets_changed;
	/* site_diff's: what templates see as collections changed, and the
	 * rows whose own content changed or that went ("gigs/42", sorted) */
	bool collections;
	char **rows;
	size_t nrows;
	unsigned site_keys;		/* presetgen.yaml's site.title (1), ... as above */
};

/* Reads again what the files at paths (relative to the root) feed:
 * templates, content pages, assets (the icons only when their sources
 * changed). Says what must be rendered again; sets data, and reads
 * nothing more, for presetgen.yaml and the snapshots (the caller loads the
 * site anew and calls site_diff). Each part (templates, pages, assets)
 * that reads without error replaces the old one; one that does not is
 * left as it was, and -1 is returned after its errors are reported. */
int site_update(struct site *s, const char *const *paths, size_t n, struct site_changes *ch);
void site_changes_release(struct site_changes *ch);
/* Adds what from says must be rendered to into (serve keeps the changes
 * of failed builds this way until a build renders them). */
void site_changes_merge(struct site_changes *into, const struct site_changes *from);
/* What differs between a site and the same site loaded anew (after a
 * snapshot or presetgen.yaml changed, or anything else since old was
 * loaded): when presetgen.yaml differs but in site.title, .description and
 * .author, reload and all_pages; else data, the site_keys that changed, and
 * the templates, content pages, assets, collections and rows that differ. */
void site_diff(struct site *old, struct site *now, struct site_changes *ch);
/* A fingerprint of what templates see as collections (counts, groups). */
uint64_t site_collections_fingerprint(const struct site *s);
/* The rows of old that now lacks or whose own content changed in now
 * ("collection/key", sorted, malloc'd: the caller frees them): the pages
 * that looked into them (site_output.rows) must render again. */
size_t site_rows_changed(struct site *old, struct site *now, char ***ids);
/* Hands what from knows of its last renders (each page's asks of the CSP)
 * to to, a site loaded anew, for a render of to that skips pages. */
void site_keep_renders(struct site *to, struct site *from);

/* Vercel's routing of the bundles presetgen writes (cleanUrls and
 * trailingSlash, then literal redirects, then the files), for a server
 * that answers as Vercel will. exists(ud, file) says which files there
 * are; *where gets the file or the Location. */
struct site_redirect {
	const char *from, *to;
	bool permanent;
};

enum site_route_end { SITE_ROUTE_FILE, SITE_ROUTE_REDIRECT, SITE_ROUTE_NONE };

enum site_route_end site_route(const char *path, const struct site_redirect *rd, size_t nrd,
			       bool (*exists)(void *ud, const char *file), void *ud,
			       struct strbuf *where);

/* The port of an environment's base_url in presetgen.yaml under root (80
 * or 443 when it names none), or -1 after reporting why not. */
int site_env_port(const char *root, const char *env, struct diag *d);

/* The snapshots a loaded site read (the inputs', else presetgen.yaml's),
 * relative to its root. */
const char *const *site_snapshots(const struct site *s, size_t *n);

/* Whether name is an environment presetgen knows. */
bool site_env_known(const char *name);

/* `presetgen check --bundle DIR`: every page parses as HTML, every internal
 * link and asset reference names a file of the bundle, every XML file is
 * well-formed, every redirect goes to a file without hiding one. Reports
 * every problem; returns -1 if there was one. *pages counts the pages. */
int bundle_check(const char *dir, struct diag *d, size_t *pages);

#endif
