/* site's internal interface: configuration, content, assets, the outputs
 * other than pages, and the build's own state, shared by the files of
 * src/site/ and by nobody else. */
#ifndef PRESETGEN_SITE_INTERNAL_H
#define PRESETGEN_SITE_INTERNAL_H

#include "site.h"
#include "data/data.h"
#include "icons/icons.h"
#include "template/mustache.h"

#include <pthread.h>
#include <stdatomic.h>

/* ---- presetgen.yaml (config.c, config_collections.c) ---------------------- */

enum { ENV_DEVELOPMENT, ENV_STAGING, ENV_PRODUCTION, ENV_COUNT };
extern const char *const env_names[ENV_COUNT];

struct env_config {
	bool present;
	const char *base_url;	/* absolute, without a trailing slash */
	bool index;		/* search engines may index the site */
	const char **connect;	/* CSP connect-src origins (Supabase, PostHog, Sentry) */
	size_t nconnect;
	struct public_vars pub;	/* env.public.NAME in templates */
};

/* One redirect, or with table one per row of a snapshot table: from and to
 * then hold {column} placeholders (user_handle_redirects: old_handle to
 * new_handle), filled in the way page URLs are. */
struct redirect_cfg {
	const char *from;
	const char *to;
	bool permanent;
	const char *table;	/* NULL: a single redirect */
	const char **cols;	/* the columns the placeholders name */
	size_t ncols;
	struct srcpos at, table_at;
};

struct feed_cfg {
	bool present;
	const char *collection;
	const char *url;	/* e.g. /feed.xml */
	const char *title;
	long limit;
	struct srcpos collection_at;
};

struct config {
	const char *path;	/* "presetgen.yaml" */
	const char *title;
	const char *description;
	const char *language;
	const char *time_zone;
	const char *author;
	enum slug_mode slugs;	/* site.slugs: ascii (default) or unicode */
	struct env_config env[ENV_COUNT];
	const char **snapshots;		/* paths, relative to the site */
	size_t nsnapshots;
	struct collection_cfg *colls;
	size_t ncolls;
	struct feed_cfg feed;
	struct redirect_cfg *redirects;
	size_t nredirects;
	struct srcpos redirects_at;
	struct icon_config icon;	/* the site's icons, the app's source */
	/* a fingerprint of presetgen.yaml's document but for the values pages
	 * alone show: site.title, site.description and site.author
	 * (config_page_keys) */
	uint64_t structure;
};

#define CONFIG_PAGE_KEYS 3
extern const char *const config_page_keys[CONFIG_PAGE_KEYS];

/* Reads path (relative to dirfd) into cfg, with strings in arena a.
 * Reports every error it finds and returns -1 if there was one. */
int config_load(struct config *cfg, int dirfd, const char *path, struct arena *a,
		struct diag *d);
/* ENV_* for name, or -1. */
int env_lookup(const char *name);
/* presetgen.yaml's "redirects" list (redirects.c: its rules live there). */
int config_redirects(struct yread *r, const struct ynode *v, struct config *cfg);
/* A where mapping (config_where.c) into *out. */
int read_where(struct yread *r, const struct ynode *v, struct cond **out, size_t *n,
	       const char *what);
/* presetgen.yaml's "collections" mapping. */
int config_collections(struct yread *r, const struct ynode *node,
		       struct collection_cfg **out, size_t *n);

/* ---- content: Markdown pages with front matter (content.c) ---------------- */

struct page {
	const char *src;	/* "content/about.md" */
	const char *title;
	const char *description;
	const char *layout;	/* NULL: the default */
	struct srcpos layout_at;
	const char *date;	/* "2026-03-14" or "2026-03-14T10:00:00+00:00", or NULL */
	bool draft;
	long weight;
	const char **menus;
	size_t nmenus;
	struct value *params;	/* front matter "params", or an empty map */
	const char *url;	/* "/about/" */
	const char *out;	/* "about/index.html" */
	const char *html;	/* the body, rendered */
	uint64_t front;		/* a hash of the front matter's text */
};

/* Loads every Markdown page below dir (relative to dirfd; but not
 * content/data/). Pages live in arena a. Reports every error and returns
 * -1 if there was one. */
int content_load(int dirfd, const char *dir, bool drafts, struct slugger *slugs,
		 struct page **pages, size_t *n, struct arena *a, struct diag *d);
/* Splits a front matter block off src: on success *yaml and *yaml_len hold it
 * (NULL when there is none) and *body the rest. Returns -1 after reporting
 * an unterminated block. */
int front_matter_split(const char *path, const char *src, size_t len,
		       const char **yaml, size_t *yaml_len, const char **body,
		       struct diag *d);
/* "2026-03-14" and "2026-03-14T10:00[:00][Z|+01:00]" */
bool date_is_valid(const char *s);
/* "14 Mar 2026" from a valid date. */
void date_human(char *buf, size_t n, const char *s);

/* ---- assets: content-hashed names, references rewritten, SRI -------------- */

/* A stylesheet's hash is taken after its own references are rewritten, so a
 * changed image changes the name of every stylesheet that uses it; the same
 * holds for a web app manifest (*.webmanifest) and its icons' "src". */
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

/* An asset made by presetgen rather than read from assets/. */
struct asset_src {
	char *logical;		/* malloc'd; the assets take it over */
	char *data;		/* malloc'd; the assets take it over */
	size_t len;
};

/* Reads assets/ (below dirfd), but for the files named in skip (paths
 * from the site's root: the icon sources), adds the ngen generated ones
 * (taking them over), and works out every final name and body. Reports
 * errors (a reference to a missing asset, with file:line:col; a cycle of
 * @imports) and returns -1 if there were any. */
int assets_load(struct assets *as, int dirfd, struct asset_src *gen, size_t ngen,
		const char *const *skip, size_t nskip, struct diag *d);
void assets_release(struct assets *as);
const struct asset *assets_find(const struct assets *as, const char *logical);
/* The manifest: {"css/site.css": "css/site.<hash>.css", ...}, sorted,
 * written with jansson. */
void assets_manifest(const struct assets *as, struct strbuf *out);
/* SHA-256 or SHA-384 of data, base64, into out ("sha384-" is the caller's). */
void digest_base64(bool sha384, const void *data, size_t len, struct strbuf *out);

/* What a Content-Security-Policy must allow, gathered from pages: each a
 * sorted set of distinct strings (malloc'd). */
struct page_refs {
	char **img;		/* origins of <img src|srcset>, <source>, poster */
	size_t nimg;
	char **script;		/* 'sha256-...' of inline <script> bodies */
	size_t nscript;
	char **style;		/* 'sha256-...' of inline <style> bodies */
	size_t nstyle;
	/* when track_assets: the assets referenced (logical names), for serve */
	char **assets;
	size_t nassets;
	bool track_assets;
};

/* Rewrites every reference to /assets/... in an HTML page (href, src,
 * srcset, poster, content) to the hashed name, and gives <script src> and
 * <link rel=stylesheet> their integrity attribute. base_url also counts as
 * a prefix (for og:image). Appends the result to out. A reference to an
 * asset that does not exist is reported as page:line:col. Returns -1 then. */
int assets_rewrite_html(const struct assets *as, const char *base_url, const char *page,
			const char *from, const char *html, size_t len, struct strbuf *out,
			struct page_refs *refs, struct diag *d);
/* Adds every string of from into into; frees nothing. */
void page_refs_merge(struct page_refs *into, const struct page_refs *from);
void page_refs_release(struct page_refs *r);
bool page_refs_empty(const struct page_refs *r);

/* One page's asks of the CSP, kept between renders for serve. */
struct page_ask {
	char *out;
	struct page_refs *refs;
};
void page_asks_release(struct page_ask *a, size_t n);

/* ---- sitemap and Atom (feeds.c, with libxml2's writer) --------------------- */

struct sitemap_url {
	const char *path;	/* "/gigs/"; the loc is base + path */
	int64_t lastmod;	/* microseconds, or INT64_MIN */
};

#define SITEMAP_MAX_URLS 50000

struct sitemap_memo;
void sitemap_memo_release(struct sitemap_memo *m, size_t n);

/* Writes one <urlset> of urls[0..n), each at base + path, into out. */
void sitemap_write(struct strbuf *out, const char *base, const struct sitemap_url *urls,
		   size_t n);
/* Writes a <sitemapindex> naming locs[0..n). */
void sitemap_index_write(struct strbuf *out, const char *const *locs, size_t n);

struct feed_entry {
	const char *title;
	const char *link;	/* absolute; also the entry's id */
	const char *summary;	/* may be NULL */
	int64_t updated;	/* microseconds */
	int64_t published;	/* microseconds, or INT64_MIN */
};

struct feed_info {
	const char *title;
	const char *id;		/* a permanent IRI */
	const char *self;	/* the feed's own absolute URL */
	const char *alternate;	/* the listing it follows */
	const char *author;
	int64_t updated;
};

void atom_write(struct strbuf *out, const struct feed_info *f,
		const struct feed_entry *e, size_t n);

/* ---- redirects (redirects.c) -------------------------------------------------- */

/* presetgen.yaml's redirects, and those made from a snapshot table
 * (user_handle_redirects: an old handle's profile URL goes to the new one).
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
		    struct slugger *slugs, bool (*served)(const void *ud, const char *path),
		    const void *ud, size_t budget, struct arena *a, struct diag *d,
		    struct redirects *out);
/* The HTML page that sends a visitor from r->from to r->to (absolute with
 * base_url for the canonical link). */
void redirect_page(struct strbuf *out, const struct redirect *r, const char *base_url,
		   const char *lang);

/* ---- vercel.json (vercel.c) ---------------------------------------------------- */

/* Writes vercel.json for environment env: security headers and a
 * Content-Security-Policy allowing 'self', the images' origins and the
 * inline hashes the pages use (refs), and the environment's connect
 * origins; immutable caching for hashed assets, revalidation for the rest;
 * the feed's media type; the redirects rd holds. Only keys Vercel's static
 * deployments accept: never routes, never functions. */
void vercel_json(struct strbuf *out, const struct config *cfg, int env,
		 const struct page_refs *refs, const struct redirects *rd);
/* Vercel allows 2,048 routes, counted after routing-utils' transformation:
 * cleanUrls and trailingSlash make 5, each header rule and each redirect one.
 * How many redirects fit beside the rest. */
size_t vercel_redirect_budget(const struct config *cfg);

/* ---- Vercel's routing (routing.c) ------------------------------------------------ */

/* The cleanUrls or trailingSlash rule that redirects path, with the
 * Location in *location; NULL when none does. */
const char *vercel_rule(const char *path, struct strbuf *location);
/* A path segment made from data: slug_append, then the safe form of the
 * one slug those rules touch ("index" becomes "index-"; *renamed says so). */
bool url_segment(struct slugger *sl, struct strbuf *out, const char *s, size_t len,
		 bool *renamed);

enum route_end { ROUTE_FILE, ROUTE_REDIRECT, ROUTE_NONE };

struct route {
	enum route_end end;
	struct strbuf where;	/* the file served, or the Location */
	const char *rule;	/* what redirected */
};

/* What Vercel does with a request for path: a redirect (by its rules or
 * one of rd, literal sources only), a file (exists(ud, file) says which
 * files the bundle has), or nothing. */
void vercel_route(const char *path, const struct redirect *rd, size_t nrd,
		  bool (*exists)(void *ud, const char *file), void *ud, struct route *out);

/* check --bundle's view of a bundle: its files and vercel.json's redirects
 * (bundleroutes.c). */
struct bundle_view;

struct bundle_view *bundle_view_new(const char *dir, char **files, long n, struct diag *d);
/* Frees v; returns how many errors it reported. */
int bundle_view_free(struct bundle_view *v);
/* Whether an internal link reaches a file (a redirect or two allowed). */
bool bundle_link_ok(struct bundle_view *v, const char *path, size_t n);
/* Replays every file, sitemap <loc> and redirect through the routing. */
void bundle_routes(struct bundle_view *v);

/* ---- archives (archive.c, libarchive) ------------------------------------------ */

/* Writes the tree dir into path (through a temporary file and a rename),
 * byte-identical across builds and machines: entries sorted, owner root,
 * modes 0644/0755, tar mtimes all mtime (seconds). Returns 0 or -1. */
int archive_tree(const char *dir, const char *path, int64_t mtime,
		 const volatile sig_atomic_t *cancel, struct diag *d);

/* ---- the build ------------------------------------------------------------------ */

/* One group page: a value's slug, its rows, what templates see of it. */
struct group_page {
	const char *url, *title;
	struct value **items;
	size_t n;
	struct value *gv;		/* name, slug, url, count */
};

struct grouped {
	struct group_page *pages;	/* sorted by slug */
	size_t n;
	struct value *summary;		/* the gv of each page, in order */
};

/* What a collection lists: worked out once, when the site loads. */
struct listing {
	struct value **items;		/* rows listing.where admits, in order */
	size_t n;
	struct grouped *groups;		/* one per group_cfg */
};

/* A site loaded once: what every render reads and none changes. */
struct site {
	const char *root;		/* as given ("." when none) */
	int rootfd;			/* open, for paths relative to it */
	struct diag *d;
	struct arena arena;
	struct config cfg;
	int env;
	bool drafts;
	const char **snapshots;		/* from the inputs, else presetgen.yaml's */
	size_t nsnapshots;
	struct mustache_set *tpls;
	struct tpl_print *tprints;	/* each template's name and source, sorted */
	size_t ntprints;
	struct page *pages;
	size_t npages;
	struct assets assets;
	struct snapshot snap;
	struct coll *colls;
	size_t ncolls;
	struct listing *lists;		/* per collection */
	struct value *colls_v;		/* counts and groups, for every page */
	struct slugger *slugs;
	const struct tz *tz;
	int64_t now;			/* the reference time, microseconds */
	bool epoch_set;			/* SOURCE_DATE_EPOCH was set */
	const char **public_values;	/* per env.public name: its value, or NULL */
	struct secrets secrets;		/* environment variables that hold secrets */
	char *favicon;			/* favicon.ico, from the icon source, or NULL */
	size_t favicon_len;
	struct asset_src *icon_gen;	/* the icons made last, kept for reloads */
	size_t nicon_gen;
	uint64_t icon_print;		/* of their sources' bytes and settings */
	const struct site *previous;	/* while loading: site_inputs.previous */
	struct arena pages_arena;	/* pages, replaced whole by site_update */
	const char *base_url;		/* the environment's, or the inputs' override */
	/* what each page of the last renders asked of the CSP (for a sink:
	 * a partial render keeps the others') */
	struct page_ask *asks;
	size_t nasks;
	/* for serve (rows.c): the collections' rows by value, made when a
	 * render first gives its output to a sink */
	struct sitemap_memo *smemo;	/* serve: the sitemaps made last */
	size_t nsmemo;
	struct row_ref *rows;
	size_t nrows;
	uint32_t *row_slots;		/* by value address, 1 << row_bits of them */
	unsigned row_bits;
	bool rows_ready;
	double t0;			/* when loading began */
};

struct tpl_print {
	char *name;
	uint64_t h;
};

/* rows.c: which row a value is, and fingerprints of what pages show. */
struct job;
void rows_prepare(struct site *s);
void rows_release(struct site *s);
/* "collection/key" when v is a collection's row, else NULL. */
const char *rows_id(const struct site *s, const struct value *v);
/* site_page.data of a job. */
uint64_t rows_page_data(const struct site *s, const struct job *j);

struct run;

/* The site's icons from presetgen.yaml's icon: (site/icons.c): *gen the
 * hashed assets, s->favicon favicon.ico. */
int site_icons(struct site *s, struct asset_src **gen, size_t *ngen);

/* One page of a listing; its context is made when it is rendered. */
struct listing_page {
	struct value **items;		/* the whole listing, shared */
	size_t n;
	long p, pages, per;
	const char *base;
	const char *title;
	struct value *group;
};

/* One file of the output: a rendered page, or bytes made some other way. */
struct job {
	const struct mustache_tpl *tpl;	/* NULL: data is the file */
	const struct value *ctx;	/* ready, or NULL: made from row or lp */
	const struct crow *row;		/* a collection row's page */
	const struct listing_page *lp;	/* a listing's page */
	/* or bytes made by a worker from other jobs' results (sitemaps) */
	void (*gen)(const struct run *r, const void *arg, struct strbuf *out);
	const void *gen_arg;
	const char *out;		/* path below the output directory */
	const char *src;		/* the input it comes from, for messages */
	char *data;			/* bytes (malloc'd) unless borrowed */
	size_t len;
	struct diag_msg *msgs;		/* messages of a failed render (malloc'd) */
	size_t nmsgs;
	bool borrowed;			/* data belongs to someone else (assets) */
	bool page;			/* counts as a page in the summary */
	bool skipped;			/* a page the caller did not want this time */
	const char *url;		/* pages: for the sitemap (NULL: left out) */
	int64_t lastmod;		/* pages: microseconds, or INT64_MIN */
	struct page_refs *refs;		/* a sink's page: what it asked of the CSP */
	uint64_t fingerprint;		/* a sink's page: site_page.data */
};

/* build.c: what site_load reads, for site_update to read again. */
int load_templates(struct site *s);
void tprints_release(struct tpl_print *t, size_t n);
int load_assets(struct site *s, bool icons);
void icon_gen_release(struct site *s);

/* One render of a loaded site: its plan and its output. */
struct run {
	struct site *s;
	const struct site_render_opts *o;
	struct diag *d;
	struct arena arena;		/* what planning makes */
	const char *base_url;
	struct job *jobs;
	size_t njobs, ajobs;
	struct strmap *outs;		/* job output path -> job */
	struct redirects redirects;
	struct page_refs refs;		/* what the CSP must allow, from all pages */
	struct value *env_v;		/* env, as every page sees it */
	struct value *site_v;		/* the site as collection pages see it */
	struct value *site_base;	/* the site without menus */
	/* menus: each name once, in order of first use, with its pages in
	 * weight order */
	const char **menu_names;
	const struct page ***menu_pages;
	size_t *menu_len;
	size_t nmenus;
	const char *stage;		/* staging directory, or NULL (dry run) */
	int stage_fd;			/* it, open, for paths relative to it */
	atomic_size_t next, done;
	atomic_int failed;
	pthread_mutex_t lock;		/* merging refs, progress */
	pthread_mutex_t sink_lock;	/* one call of o->sink at a time */
	const struct value *pages_v;	/* site.pages, to see who shows it */
};

static inline bool run_cancelled(const struct run *r)
{
	return r->o->cancel && *r->o->cancel;
}

/* context.c: the values templates see */
struct value *context(struct run *r, struct arena *a, struct value *page, struct value *site,
		      size_t extra);
struct value *page_value(struct run *r, const struct page *pg);
/* Works out the menus and the site as pages see it (r->site_base, and
 * r->site_v, whose menus mark no page current). */
void site_prepare(struct run *r, const struct value *pages);
void menus_release(struct run *r);
/* The site as the page at url sees it: its menus mark it current. */
struct value *site_for(struct run *r, const char *url);
/* Whether the page at url is in a menu (else r->site_v serves it). */
bool in_menu(const struct page *pg);
struct value *env_value(struct run *r);
struct value *listing_context(struct run *r, struct arena *a, const struct listing_page *lp);
struct value *row_context(struct run *r, struct arena *a, const struct crow *cr);

/* groups.c: the listings and groups of every collection, and
 * collections.NAME; at load */
void site_lists(struct site *s);

/* plan.c, plan_files.c: the jobs of a render */
void add_job(struct run *r, const struct job *j);
const struct mustache_tpl *need_template(struct run *r, const char *name, const char *what,
					 const struct srcpos *at);
int plan_pages(struct run *r);
int plan_collections(struct run *r);
void plan_listing(struct run *r, const struct mustache_tpl *tpl, const char *base,
		  const char *title, struct value **items, size_t n, long per,
		  struct value *group, const char *src);
void plan_sitemap(struct run *r);
void plan_feed(struct run *r);
void plan_robots(struct run *r);
int plan_assets(struct run *r);
int index_outputs(struct run *r);
int plan_redirects(struct run *r, struct site_result *res);

/* render.c: the workers */
int run_jobs(struct run *r);
/* Fails a job whose bytes hold the value of a secret variable. */
bool leaks_secret(const struct run *r, struct job *j, const char *data, size_t len);

/* output.c: staging, writing, .gz siblings, vercel.json, the archive */
struct gzip;
struct gzip *gzip_new(void);
void gzip_free(struct gzip *g);
int write_job(struct run *r, struct job *j, struct gzip *g);
int write_output(struct run *r);
/* The same, to o->sink instead of a directory. */
int sink_output(struct run *r);

#endif
