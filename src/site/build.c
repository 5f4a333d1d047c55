/* The build's public entry points: load a site once, render it as often as
 * asked. The environment is read here, once, into the site; nothing below
 * reads it again. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

bool site_env_known(const char *name)
{
	return env_lookup(name) >= 0;
}

/* SOURCE_DATE_EPOCH when set, so that builds are reproducible; else now. */
static int reference_time(struct site *s, char *const *environ)
{
	const char *v = env_get(environ, "SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (!v || !*v) {
		s->now = (int64_t)time(NULL) * 1000000;
		return 0;
	}
	errno = 0;
	t = strtoll(v, &end, 10);
	if (errno || *end || t < 0)
		return diag_error(s->d, NULL, 0, 0, "SOURCE_DATE_EPOCH must be a number of seconds, "
				  "not '%s'", v);
	s->now = (int64_t)t * 1000000;
	s->epoch_set = true;
	return 0;
}

static int tprint_cmp(const void *x, const void *y)
{
	return strcmp(((const struct tpl_print *)x)->name, ((const struct tpl_print *)y)->name);
}

void tprints_release(struct tpl_print *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].name);
	free(t);
}

/* The templates, and a fingerprint of each (for site_diff) in
 * s->tprints, which the caller releases first. */
int load_templates(struct site *s)
{
	char **files;
	long n = list_files_at(s->rootfd, "templates", ".mustache", &files);
	int rc = 0;

	s->tpls = mustache_set_new(s->d);
	s->tprints = NULL;
	s->ntprints = 0;
	if (n < 0) {
		if (errno == ENOENT)
			return diag_error(s->d, "templates", 0, 0,
					  "not found: a site needs a templates/ directory");
		return diag_syserror(s->d, "templates", "cannot list: %s", strerror(errno));
	}
	for (long i = 0; i < n; i++) {
		struct strbuf path = STRBUF_INIT;
		char *src, *name = xstrndup(files[i], strlen(files[i]) - strlen(".mustache"));
		size_t len;

		strbuf_addf(&path, "templates/%s", files[i]);
		if (read_text_at(s->d, s->rootfd, path.buf, &src, &len) < 0) {
			rc = -1;
			free(name);
		} else {
			if (!mustache_parse(s->tpls, name, path.buf, src, len))
				rc = -1;
			s->tprints = xrealloc(s->tprints, (s->ntprints + 1) * sizeof(*s->tprints));
			s->tprints[s->ntprints].name = name;
			s->tprints[s->ntprints++].h = fnv1a(src, len, FNV_START);
			free(src);
		}
		strbuf_release(&path);
	}
	if (!rc) {
		mustache_link(s->tpls);
		for (long i = 0; i < n; i++) {
			char *name = xstrndup(files[i], strlen(files[i]) - strlen(".mustache"));

			mustache_warn_missing(s->tpls, mustache_get(s->tpls, name));
			free(name);
		}
	}
	free_list(files, n);
	if (s->ntprints)
		qsort(s->tprints, s->ntprints, sizeof(*s->tprints), tprint_cmp);
	return rc;
}

void icon_gen_release(struct site *s)
{
	for (size_t i = 0; i < s->nicon_gen; i++) {
		free(s->icon_gen[i].logical);
		free(s->icon_gen[i].data);
	}
	free(s->icon_gen);
	s->icon_gen = NULL;
	s->nicon_gen = 0;
}

/* assets/ and the icons made from presetgen.yaml's icon: source (which
 * is an input, not an asset to publish). The icons are made again only
 * when icons is true; else the last ones are used (serve's reloads). */
int load_assets(struct site *s, bool icons)
{
	const struct icon_config *ic = &s->cfg.icon;
	const char *skip[] = { ic->source, ic->foreground, ic->background_image, ic->monochrome };
	struct asset_src *gen;
	int rc = 0;

	if (icons) {
		icon_gen_release(s);
		free(s->favicon);
		s->favicon = NULL;
		rc = site_icons(s, &s->icon_gen, &s->nicon_gen);
	}
	/* the assets take over what they are given: give them copies */
	gen = xcalloc(s->nicon_gen + 1, sizeof(*gen));
	for (size_t i = 0; i < s->nicon_gen; i++) {
		gen[i].logical = xstrdup(s->icon_gen[i].logical);
		gen[i].len = s->icon_gen[i].len;
		gen[i].data = xmalloc(gen[i].len + 1);
		memcpy(gen[i].data, s->icon_gen[i].data, gen[i].len);
	}
	if (assets_load(&s->assets, s->rootfd, gen, s->nicon_gen, skip, ARRAY_SIZE(skip),
			s->d) < 0)
		rc = -1;
	free(gen);
	return rc;
}

/* A path segment made from a value, for collections. */
static bool segment(void *ud, struct strbuf *out, const char *str, size_t len, bool *renamed)
{
	return url_segment(ud, out, str, len, renamed);
}

static int load_collections(struct site *s)
{
	struct snapshot_need *needs;
	size_t nneeds;
	struct cbuild cb;
	int rc = 0;

	s->ncolls = s->cfg.ncolls;
	nneeds = collections_needs(s->cfg.colls, s->cfg.ncolls, &needs, &s->arena);
	nneeds = redirects_needs(&s->cfg, needs, nneeds, &needs, &s->arena);
	if (!nneeds)
		return 0;
	for (size_t i = 0; i < s->nsnapshots; i++)
		if (snapshot_load(&s->snap, s->rootfd, s->snapshots[i], needs, nneeds, &s->arena,
				  s->d) < 0)
			rc = -1;
	if (rc || !s->cfg.ncolls)
		return rc;
	memset(&cb, 0, sizeof(cb));
	cb.a = &s->arena;
	cb.d = s->d;
	cb.tz = s->tz;
	cb.now = s->now;
	cb.base_url = s->base_url;
	cb.segment = segment;
	cb.segment_ud = s->slugs;
	return collections_build(&cb, s->cfg.colls, s->cfg.ncolls, &s->snap, &s->colls);
}

/* Config, templates, content and assets: each is read even when another
 * is wrong, so that one run reports every error. */
static int load_files(struct site *s, const struct site_inputs *in)
{
	int rc = 0;

	if (config_load(&s->cfg, s->rootfd, "presetgen.yaml", &s->arena, s->d) < 0)
		rc = -1;
	if (!rc && !s->cfg.env[s->env].present)
		rc = diag_error(s->d, s->cfg.path, 0, 0, "no environment '%s' under 'environments'",
				env_names[s->env]);
	s->slugs = slugger_new(s->cfg.slugs);
	if (!s->slugs)
		return diag_syserror(s->d, NULL, "ICU has no Latin-ASCII transliterator: cannot "
				     "make ASCII slugs (is libicu's data installed?)");
	if (load_templates(s) < 0)
		rc = -1;
	if (content_load(s->rootfd, "content", in->drafts, s->slugs, &s->pages, &s->npages,
			 &s->pages_arena, s->d) < 0)
		rc = -1;
	/* pages need the assets' final names, in check as in build */
	if (load_assets(s, true) < 0)
		rc = -1;
	return rc;
}

/* libxml2 sets up its global state lazily, and not safely from two threads
 * at once: it asks to be initialised once, before threads use it. This
 * once-flag is the library's only static, and it never changes again. */
static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;

static void libxml_init(void)
{
	xmlInitParser();
}

struct site *site_load(const struct site_inputs *in, struct diag *d, struct site_result *res)
{
	struct site *s = xcalloc(1, sizeof(*s));
	int rc = 0;

	pthread_once(&libxml_once, libxml_init);
	memset(res, 0, sizeof(*res));
	s->t0 = clock_seconds();
	s->d = d;
	s->root = arena_strdup(&s->arena, in->root ? in->root : ".");
	s->drafts = in->drafts;
	s->env = env_lookup(in->env ? in->env : "production");
	snapshot_init(&s->snap);
	s->rootfd = open(s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->env < 0 || s->rootfd < 0) {
		if (s->env < 0)
			diag_error(d, NULL, 0, 0, "unknown environment '%s': expected development, "
				   "staging or production", in->env);
		else
			diag_error(d, s->root, 0, 0, "cannot open the site directory: %s",
				   strerror(errno));
		site_free(s);
		return NULL;
	}
	secrets_find(&s->secrets, in->environ, &s->arena);
	s->previous = in->previous;
	rc = load_files(s, in);
	s->previous = NULL;
	if (!rc)
		s->base_url = in->base_url ? arena_strdup(&s->arena, in->base_url)
					   : s->cfg.env[s->env].base_url;
	if (!rc) {
		s->tz = tz_find(s->cfg.time_zone);
		rc = reference_time(s, in->environ);
		rc |= public_resolve(&s->cfg.env[s->env].pub, in->environ, s->d, &s->arena,
				     &s->public_values);
	}
	res->t_read = clock_seconds() - s->t0;
	if (!rc) {
		s->nsnapshots = in->nsnapshots ? in->nsnapshots : s->cfg.nsnapshots;
		s->snapshots = arena_alloc(&s->arena, (s->nsnapshots + 1) * sizeof(*s->snapshots));
		for (size_t i = 0; i < s->nsnapshots; i++)
			s->snapshots[i] = arena_strdup(&s->arena, in->nsnapshots ? in->snapshots[i]
									      : s->cfg.snapshots[i]);
		rc = load_collections(s);
		if (!rc)
			site_lists(s);
	}
	res->t_data = clock_seconds() - s->t0;
	diag_finish(d);
	if (rc) {
		site_free(s);
		return NULL;
	}
	return s;
}

void site_free(struct site *s)
{
	if (!s)
		return;
	mustache_set_free(s->tpls);
	tprints_release(s->tprints, s->ntprints);
	slugger_free(s->slugs);
	collections_free(s->colls, s->ncolls);
	assets_release(&s->assets);
	free(s->favicon);
	icon_gen_release(s);
	page_asks_release(s->asks, s->nasks);
	sitemap_memo_release(s->smemo, s->nsmemo);
	rows_release(s);
	arena_release(&s->pages_arena);
	snapshot_release(&s->snap);
	if (s->rootfd >= 0)
		close(s->rootfd);
	arena_release(&s->arena);
	free(s);
}

static void run_release(struct run *r)
{
	for (size_t i = 0; i < r->njobs; i++) {
		struct job *j = &r->jobs[i];

		if (!j->tpl && !j->gen && !j->borrowed)
			free(j->data);
		for (size_t k = 0; k < j->nmsgs; k++) {
			free((char *)j->msgs[k].file);
			free((char *)j->msgs[k].text);
		}
		free(j->msgs);
		if (j->refs)
			page_refs_release(j->refs);
		free(j->refs);
	}
	free(r->jobs);
	menus_release(r);
	strmap_free(r->outs);
	page_refs_release(&r->refs);
	arena_release(&r->arena);
	pthread_mutex_destroy(&r->lock);
	pthread_mutex_destroy(&r->sink_lock);
}

/* Pages and collections, then (for a real build) sitemap, feed, robots
 * and assets, then redirects. */
static int plan(struct run *r, struct site_result *res)
{
	struct site *s = r->s;
	int rc;

	r->env_v = env_value(r);
	rc = plan_pages(r);
	if (plan_collections(r) < 0)
		rc = -1;
	res->t_plan_pages = clock_seconds() - s->t0;
	if (!rc && !r->o->dry_run) {
		plan_sitemap(r);
		plan_feed(r);
		plan_robots(r);
		rc = plan_assets(r);
	}
	res->t_plan_files = clock_seconds() - s->t0;
	if (!rc)
		rc = index_outputs(r);
	if (!rc)
		rc = plan_redirects(r, res);
	res->planned = r->njobs;
	res->t_plan = clock_seconds() - s->t0;
	return rc;
}

int site_render(struct site *s, const struct site_render_opts *o, struct site_result *res)
{
	struct run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.s = s;
	r.o = o;
	r.d = s->d;
	r.base_url = s->base_url;
	r.stage_fd = -1;
	pthread_mutex_init(&r.lock, NULL);
	pthread_mutex_init(&r.sink_lock, NULL);
	if (o->sink)
		rows_prepare(s);
	rc = plan(&r, res);
	if (!rc)
		rc = o->sink ? sink_output(&r) : o->dry_run ? run_jobs(&r) : write_output(&r);
	res->t_render = clock_seconds() - s->t0;
	res->cancelled = run_cancelled(&r);
	if (!rc) {
		res->pages = res->files = res->bytes = 0;
		for (size_t i = 0; i < r.njobs; i++) {
			res->pages += r.jobs[i].page && !r.jobs[i].skipped;
			res->bytes += r.jobs[i].len;
			res->files += !r.jobs[i].skipped;
		}
	}
	run_release(&r);
	diag_finish(s->d);
	return rc || res->cancelled ? -1 : 0;
}
