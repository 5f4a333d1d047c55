/* redirects: presetgen.yaml's redirects, and those made from a snapshot
 * table (user_handle_redirects: an old handle's profile URL goes to the new
 * one).
 *
 * A table redirect is published only when it is safe and useful: its source
 * is no page of the bundle (a live page wins: Vercel runs redirects before
 * the filesystem), and its destination is a page of the bundle, reached
 * directly or through other rows of the table (a handle renamed twice goes
 * straight to the current page; a row that ends at no page - a suspended,
 * hidden or deleted profile - is left out, so it reveals nothing). Values are
 * made into path segments as page URLs are (slugify), so a hostile value is
 * a literal path, never a pattern.
 *
 * vercel.json may hold a limited number of routes; the table redirects past
 * that budget become small HTML pages that redirect (as Hugo's aliases do). */
#ifndef PRESETGEN_REDIRECTS_H
#define PRESETGEN_REDIRECTS_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct config;
struct diag;
struct snapshot;
struct snapshot_need;
struct strbuf;

struct redirect {
	const char *from;
	const char *to;
	bool permanent;
};

struct redirects {
	struct redirect *vercel;	/* for vercel.json, in order */
	size_t nvercel;
	struct redirect *pages;		/* to write as HTML redirect pages */
	size_t npages;
	size_t from_tables;		/* of vercel + pages */
	size_t live, unpublished, bad;	/* table rows left out, and why */
};

/* in plus the tables and columns the table redirects read. */
size_t redirects_needs(const struct config *cfg, const struct snapshot_need *in, size_t nin,
		       struct snapshot_need **out, struct arena *a);

/* Makes the redirects. served(ud, path): whether the bundle serves a URL
 * path. budget: how many redirects vercel.json may hold. A table that
 * no snapshot has gives a warning (an export without it has no renamed
 * handles to publish). Returns -1 after reporting an error (presetgen.yaml's
 * own redirects alone exceed the budget). */
int redirects_build(const struct config *cfg, const struct snapshot *snap,
		    bool (*served)(const void *ud, const char *path), const void *ud, size_t budget,
		    struct arena *a, struct diag *d, struct redirects *out);

/* The HTML page that sends a visitor from r->from to r->to (absolute with
 * base_url for the canonical link). */
void redirect_page(struct strbuf *out, const struct redirect *r, const char *base_url,
		   const char *lang);

#endif
