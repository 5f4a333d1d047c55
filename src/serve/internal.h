/* serve's parts: generations of output in memory (gen.c) and what changed
 * between two (changes.c), answering requests as Vercel would (http.c),
 * live reload and the error overlay (live.c), watching the inputs
 * (watch.c), and the loop that rebuilds (serve.c). */
#ifndef PRESETGEN_SERVE_INTERNAL_H
#define PRESETGEN_SERVE_INTERNAL_H

#include "serve.h"
#include "site/site.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* Bytes shared by generations and by responses being sent. */
struct blob {
	atomic_int refs;
	char *data;
	size_t len;
	pthread_mutex_t lock;		/* over the lazily made parts */
	char etag[24];			/* "\"<16 hex>\"", or "" until asked */
	char *gz;			/* gzip, made at the first request that takes it */
	size_t gzlen;
	bool gz_tried;
};

struct blob *blob_new(const char *data, size_t len);
void blob_ref(struct blob *b);
void blob_unref(struct blob *b);
const char *blob_etag(struct blob *b);
/* The gzip form, or NULL when it would not be smaller. */
const char *blob_gz(struct blob *b, size_t *len);

/* What a page depended on when it was rendered; templates and assets by
 * the numbers serve gives their names (struct names). */
struct page_deps {
	bool uses_pages;		/* site.pages */
	bool uses_colls;		/* collections */
	unsigned site_keys;		/* site_output.site_keys */
	uint64_t data;			/* site_page.data */
	uint32_t *tpls;
	size_t ntpls;
	uint32_t *assets;
	size_t nassets;
	uint32_t *rows;			/* the collection rows it looked into */
	size_t nrows;
};

/* A page's path and dependencies, shared by the generations that keep
 * the page as it is (no copy per rebuild: a 10,000-gig site keeps 13,000
 * pages from one generation to the next). */
struct page_rec {
	atomic_int refs;
	char *path;
	struct page_deps deps;
};

struct entry {
	const char *path;		/* "gigs/index.html" */
	struct blob *b;
	bool page;
	struct page_rec *rec;		/* pages; else path is the entry's own */
};

/* Names kept once each, by number. */
struct names {
	char **name;
	size_t n, alloc;
	struct strmap *map;
};
uint32_t names_id(struct names *ns, const char *name);
/* The number of name, or UINT32_MAX when it has none. */
uint32_t names_find(const struct names *ns, const char *name);
void names_release(struct names *ns);

struct header_rule {
	char *source;			/* as vercel.json has it */
	void *re;			/* regex_t, anchored */
	char **keys, **values;
	size_t n;
};

/* One complete output of the site, as requests see it. */
struct gen {
	atomic_int refs;
	long number;
	struct entry *e;		/* sorted by path */
	size_t n, alloc;
	struct site_redirect *rd;	/* vercel.json's redirects */
	size_t nrd;
	struct header_rule *hr;		/* vercel.json's headers */
	size_t nhr;
	char *strings;			/* what rd points into */
	struct strmap *index;		/* path -> entry, made by gen_finish */
};

struct gen *gen_new(void);
/* Adds path with b (taking the reference) and, for a page, a copy of d. */
void gen_add(struct gen *g, const char *path, struct blob *b, bool page,
	     const struct page_deps *d);
/* Adds an entry of another generation as it is (a page not rendered again). */
void gen_keep(struct gen *g, const struct entry *e);
/* Sorts the entries made so far (gen_keep appends to them after). */
void gen_finish_sort(struct gen *g);
/* Sorts the entries, indexes them by path and reads vercel.json's rules. */
int gen_finish(struct gen *g, struct diag *d);
/* The entry at path of a finished generation, or NULL. */
const struct entry *gen_find(const struct gen *g, const char *path);
void gen_ref(struct gen *g);
void gen_unref(struct gen *g);

/* The pages of new whose bytes differ from old's (output paths, pointing
 * into new), other than by a stylesheet's new name; css, the stylesheets
 * renamed (JSON: old URL -> {href, integrity}, or NULL); nchanged, the
 * files that differ at all (changes.c). */
void gen_changes(const struct gen *old, const struct gen *new, const char ***pages, size_t *n,
		 char **css, size_t *nchanged);

/* What the browser is told after a rebuild. */
struct live;
struct live *live_new(void);
void live_free(struct live *l);
/* A new generation is served: pages_changed (output paths, sorted) reload;
 * css maps old stylesheet URLs to new ones (JSON, or NULL) for the pages
 * whose only change they are; errors (JSON, or NULL) is the overlay. */
void live_publish(struct live *l, long gen, const char *const *changed, size_t nchanged,
		  const char *css_json, const char *errors_json);
void live_stop(struct live *l);
/* The events endpoint for the page at path (its URL path). */
enum MHD_Result live_events(struct live *l, struct MHD_Connection *c, const char *path);

struct server;
/* Starts the daemon on bind:port; 0, or -1 with errno (EADDRINUSE). */
struct server *server_start(const char *bind, int port, struct live *l, int *err);
void server_set_gen(struct server *s, struct gen *g);
void server_stop(struct server *s);
/* The script pages load, and the path of the SSE endpoint. */
extern const char live_script[];

/* inotify over the site's inputs. */
struct watch;
struct watch *watch_new(const char *root, const char *const *snapshots, size_t n,
			struct diag *d);
void watch_free(struct watch *w);
/* Waits up to timeout_ms for a burst of changes and returns the paths
 * that changed (relative to root, sorted, each once; caller frees with
 * free_list), a burst being over after debounce_ms without an event.
 * Returns 0 when nothing changed. */
long watch_wait(struct watch *w, int timeout_ms, int debounce_ms, char ***paths);
/* Whether a file name is an editor's temporary file (vim's .swp and
 * 4913, emacs's #x# and .#x, x~, .bck, presetgen's own .tmp-). */
bool watch_ignored(const char *name);

#endif
