/* assets: files under assets/ published under content-hashed names, every
 * reference to them rewritten, scripts and stylesheets given SRI.
 *
 * A stylesheet's hash is taken after its own references are rewritten, so a
 * changed image changes the name of every stylesheet that uses it; the same
 * holds for a web app manifest (*.webmanifest) and its icons' "src". */
#ifndef PRESETGEN_ASSETS_H
#define PRESETGEN_ASSETS_H

#include <stdbool.h>
#include <stddef.h>

struct diag;
struct strbuf;

struct asset {
	char *logical;		/* "css/site.css" (below assets/) */
	char *hashed;		/* "css/site.3f9a2b1c7d0e4f1a.css" */
	char *data;		/* final bytes (references rewritten) */
	size_t len;
	char *sri;		/* "sha384-..." */
	int state;		/* while hashing: 0 new, 1 in progress, 2 done */
};

struct assets {
	struct asset *a;
	size_t n;
};

/* Reads assets/ (below the current directory) and works out every final
 * name and body. Reports errors (a reference to a missing asset, with
 * file:line:col; a cycle of @imports) and returns -1 if there were any. */
int assets_load(struct assets *as, struct diag *d);
void assets_release(struct assets *as);
const struct asset *assets_find(const struct assets *as, const char *logical);

/* Rewrites every reference to /assets/... in an HTML page (href, src,
 * srcset, poster, content) to the hashed name, and gives <script src> and
 * <link rel=stylesheet> their integrity attribute. base_url also counts as
 * a prefix (for og:image). Appends the result to out. A reference to an
 * asset that does not exist is reported as page:line:col. Returns -1 then. */
struct page_refs {
	/* what a Content-Security-Policy must allow, gathered from pages:
	 * each a sorted set of distinct strings (malloc'd) */
	char **img;		/* origins of <img src|srcset>, <source>, poster */
	size_t nimg;
	char **script;		/* 'sha256-...' of inline <script> bodies */
	size_t nscript;
	char **style;		/* 'sha256-...' of inline <style> bodies */
	size_t nstyle;
};

int assets_rewrite_html(const struct assets *as, const char *base_url, const char *page,
			const char *from, const char *html, size_t len, struct strbuf *out,
			struct page_refs *refs, struct diag *d);
/* Adds every string of from into into; frees nothing. */
void page_refs_merge(struct page_refs *into, const struct page_refs *from);
void page_refs_release(struct page_refs *r);

/* The manifest: {"css/site.css": "css/site.<hash>.css", ...}, sorted. */
void assets_manifest(const struct assets *as, struct strbuf *out);

#endif
