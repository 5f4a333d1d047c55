/* The loop: bind, build, serve; then for each burst of changes, read
 * again what changed, render what it touches into a new generation (the
 * pages nothing touched are shared with the last one), swap it in whole,
 * and tell the open pages. A broken build leaves the last good generation
 * served and the errors shown. */
#include "internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct state {
	const struct serve_opts *o;
	struct site_inputs in;
	char base_url[80];
	struct site *site;
	struct diag bd;			/* the current build's */
	json_t *errors;			/* what the build reported, for the overlay */
	struct live *live;
	struct server *srv;
	struct gen *gen;		/* served (our reference) */
	struct gen *building;
	const struct site_changes *ch;	/* for want() */
	/* what ch touches, by the numbers pages keep (made before a render:
	 * want() runs in the render's threads and only compares numbers) */
	uint32_t *tpl_changed, *asset_changed;
	size_t ntpl_changed, nasset_changed;
	unsigned char *row_changed;	/* a bit per row number */
	unsigned char *keep;		/* per entry of gen: kept by want() */
	struct names tpls, assets, rows; /* the numbers pages keep */
	struct page_deps scratch;	/* sink()'s, one call at a time */
	size_t atpls, aassets, arows;

	/* what failed builds changed and nothing has rendered yet: the site
	 * took those changes in, so the next good build must render them */
	struct site_changes carry;
	long number;
};

static void say(struct state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct state *st, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (st->o->say)
		st->o->say(st->o->say_ud, sb.buf);
	strbuf_release(&sb);
}

/* A build's message: to the terminal, and kept for the overlay with the
 * source line it points at. */
static void on_message(void *ud, const struct diag_msg *m)
{
	struct state *st = ud;
	struct strbuf line = STRBUF_INIT, where = STRBUF_INIT;
	json_t *j = json_object();

	diag_format(&line, m);
	strbuf_setlen(&line, line.len - 1);
	say(st, "%s", line.buf);
	if (m->kind != DIAG_ERROR)
		goto out;
	strbuf_addf(&where, "%s", m->file ? m->file : "presetgen");
	if (m->line)
		strbuf_addf(&where, ":%u", m->line);
	if (m->col)
		strbuf_addf(&where, ":%u", m->col);
	json_object_set_new(j, "where", json_string(where.buf));
	json_object_set_new(j, "kind", json_string("error"));
	json_object_set_new(j, "text", json_string(m->text));
	json_object_set_new(j, "col", json_integer(m->col));
	if (m->file && m->line) {
		struct strbuf path = STRBUF_INIT;
		char *src;
		size_t len;

		strbuf_addf(&path, "%s/%s", st->in.root ? st->in.root : ".", m->file);
		if (read_file(path.buf, &src, &len) == 0) {
			const char *p = src;

			for (unsigned k = 1; k < m->line && p; k++)
				p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL;
			if (p)
				json_object_set_new(j, "source", json_stringn(p, strcspn(p, "\n")));
			free(src);
		}
		strbuf_release(&path);
	}
	json_array_append(st->errors, j);
out:
	json_decref(j);
	strbuf_release(&line);
	strbuf_release(&where);
}

/* The site keeps the diag it was loaded with: one for the server's life,
 * its counts cleared before each build. */
static void begin_build(struct state *st)
{
	st->bd.errors = st->bd.warnings = 0;
	json_decref(st->errors);
	st->errors = json_array();
}

/* A file of the render; a page with what it depended on. */
static void sink(void *ud, const struct site_output *o)
{
	struct state *st = ud;
	struct page_deps *d = &st->scratch;

	if (!o->page) {
		gen_add(st->building, o->path, blob_new(o->data, o->len), false, NULL);
		return;
	}
	ALLOC_GROW(d->tpls, o->ntemplates, st->atpls);
	ALLOC_GROW(d->assets, o->nassets, st->aassets);
	ALLOC_GROW(d->rows, o->nrows, st->arows);
	for (size_t i = 0; i < o->ntemplates; i++)
		d->tpls[i] = names_id(&st->tpls, o->templates[i]);
	for (size_t i = 0; i < o->nassets; i++)
		d->assets[i] = names_id(&st->assets, o->assets[i]);
	for (size_t i = 0; i < o->nrows; i++)
		d->rows[i] = names_id(&st->rows, o->rows[i]);
	d->ntpls = o->ntemplates;
	d->nassets = o->nassets;
	d->nrows = o->nrows;
	d->uses_pages = o->uses_pages;
	d->uses_colls = o->uses_collections;
	d->site_keys = o->site_keys;
	d->data = o->fingerprint;
	gen_add(st->building, o->path, blob_new(o->data, o->len), true, d);
}

static bool any_of(const uint32_t *ids, size_t n, const uint32_t *of, size_t nof)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nof; k++)
			if (ids[i] == of[k])
				return true;
	return false;
}

/* Whether a page must be rendered again for the changes in st->ch: new;
 * its data, a row it looked into, or (when it showed them) the collections
 * or a site key of presetgen.yaml changed; its content page, site.pages
 * (when it showed them), a template it used, an asset it referenced. */
static bool touched(const struct state *st, const struct site_page *p, const struct entry *e)
{
	const struct site_changes *ch = st->ch;
	const struct page_deps *d = &e->rec->deps;

	if (ch->data) {
		if (d->data != p->data || (d->uses_colls && ch->collections) ||
		    (d->site_keys & ch->site_keys))
			return true;
		for (size_t i = 0; i < d->nrows; i++)
			if (st->row_changed[d->rows[i] / 8] & (1u << (d->rows[i] % 8)))
				return true;
	}
	for (size_t i = 0; i < ch->nsources; i++)
		if (!strcmp(ch->sources[i], p->src))
			return true;
	if (ch->nsources && d->uses_pages)
		return true;
	return any_of(d->tpls, d->ntpls, st->tpl_changed, st->ntpl_changed) ||
	       any_of(d->assets, d->nassets, st->asset_changed, st->nasset_changed);
}

/* A page of the plan the served generation has, and nothing touched, is
 * kept (marked by its index there: each page is one thread's to mark);
 * the rest render. A page the plan no longer has is neither: it goes. */
static bool want(void *ud, const struct site_page *p)
{
	struct state *st = ud;
	const struct entry *e = gen_find(st->gen, p->path);

	if (!e || !e->rec || touched(st, p, e))
		return true;
	st->keep[e - st->gen->e] = 1;
	return false;
}

/* The numbers of what ch names, for want(). */
static void changed_ids(struct state *st, const struct site_changes *ch)
{
	st->ntpl_changed = st->nasset_changed = 0;
	st->tpl_changed = xrealloc(st->tpl_changed, (ch->ntemplates + 1) * sizeof(uint32_t));
	st->asset_changed = xrealloc(st->asset_changed,
				     (ch->nassets_changed + 1) * sizeof(uint32_t));
	for (size_t i = 0; i < ch->ntemplates; i++) {
		uint32_t id = names_find(&st->tpls, ch->templates[i]);

		if (id != UINT32_MAX)
			st->tpl_changed[st->ntpl_changed++] = id;
	}
	for (size_t i = 0; i < ch->nassets_changed; i++) {
		uint32_t id = names_find(&st->assets, ch->assets_changed[i]);

		if (id != UINT32_MAX)
			st->asset_changed[st->nasset_changed++] = id;
	}
	free(st->row_changed);
	st->row_changed = xcalloc(st->rows.n / 8 + 1, 1);
	for (size_t i = 0; i < ch->nrows; i++) {
		uint32_t id = names_find(&st->rows, ch->rows[i]);

		if (id != UINT32_MAX)
			st->row_changed[id / 8] |= (unsigned char)(1u << (id % 8));
	}
}

/* ---- building --------------------------------------------------------------------- */

/* Renders the site into a new generation: every page, or (ch set) those
 * the changes touch, the rest shared with the served generation. */
static int render(struct state *st, const struct site_changes *ch, size_t *rendered)
{
	struct site_render_opts ro = { .sink = sink, .sink_ud = st, .jobs = st->o->jobs,
				       .cancel = st->o->stop };
	struct site_result res;
	struct gen *g = gen_new();

	if (ch && st->gen) {
		ro.want = want;
		ro.want_ud = st;
		ro.want_data = ch->data;
		st->ch = ch;
		changed_ids(st, ch);
		free(st->keep);
		st->keep = xcalloc(st->gen->n + 1, 1);
	}
	st->building = g;
	if (site_render(st->site, &ro, &res) < 0) {
		gen_unref(g);
		st->building = NULL;
		return -1;
	}
	*rendered = res.pages;
	if (ro.want) {
		/* the pages want() kept are the served generation's */
		gen_finish_sort(g);
		for (size_t i = 0; i < st->gen->n; i++)
			if (st->keep[i])
				gen_keep(g, &st->gen->e[i]);
	}
	st->building = NULL;
	if (gen_finish(g, &st->bd) < 0) {
		gen_unref(g);
		return -1;
	}
	g->number = ++st->number;
	st->building = g;
	return 0;
}

/* Swaps in the generation just built and tells the open pages. */
static void publish(struct state *st, const char *what, double t0, size_t rendered)
{
	struct gen *g = st->building;
	const char **pages;
	char *css;
	size_t n, nchanged;

	gen_changes(st->gen, g, &pages, &n, &css, &nchanged);
	server_set_gen(st->srv, g);	/* the server's reference */
	gen_ref(g);
	gen_unref(st->gen);
	st->gen = g;
	st->building = NULL;
	live_publish(st->live, g->number, (const char *const *)pages, n, css, NULL);
	say(st, "%s: %zu page%s rendered, %zu file%s changed (%zu page%s to reload%s), %.0f ms",
	    what, rendered, rendered == 1 ? "" : "s", nchanged, nchanged == 1 ? "" : "s", n,
	    n == 1 ? "" : "s", css ? ", stylesheets swapped" : "", (clock_seconds() - t0) * 1000);
	free(pages);
	free(css);
}

static void failed(struct state *st, const char *what)
{
	char *errs = json_dumps(st->errors, JSON_COMPACT);

	live_publish(st->live, st->number, NULL, 0, NULL, errs);
	say(st, "%s: the build failed; the last good build is still served", what);
	free(errs);
}

/* A whole new site: presetgen.yaml or a snapshot changed. What differs
 * from the site served (whatever changed on disk since it was loaded) is
 * carried to the render, and what the old one knew of its renders goes
 * over, for a render of some pages. */
static int reload(struct state *st)
{
	struct site_result res;
	struct site_inputs in = st->in;
	struct site *s;
	struct site_changes d;

	in.previous = st->site;		/* its icons, if their sources are the same */
	s = site_load(&in, &st->bd, &res);
	if (!s)
		return -1;
	site_diff(st->site, s, &d);
	site_changes_merge(&st->carry, &d);
	site_changes_release(&d);
	site_keep_renders(s, st->site);
	site_free(st->site);
	st->site = s;
	return 0;
}

static void rebuild(struct state *st, char **paths, long n)
{
	struct site_changes ch;
	struct strbuf what = STRBUF_INIT;
	double t0 = clock_seconds();
	size_t rendered = 0;
	int rc;

	strbuf_addf(&what, "%s%s", paths[0], n > 1 ? "" : " changed");
	if (n > 1)
		strbuf_addf(&what, " and %ld more changed", n - 1);
	begin_build(st);
	memset(&ch, 0, sizeof(ch));
	rc = site_update(st->site, (const char *const *)paths, (size_t)n, &ch);
	site_changes_merge(&st->carry, &ch);
	if (!rc && (st->carry.reload || st->carry.data))
		rc = reload(st);
	if (!rc)
		rc = render(st, st->carry.reload || st->carry.all_pages ? NULL : &st->carry,
			    &rendered);
	if (rc) {
		failed(st, what.buf);
	} else {
		publish(st, what.buf, t0, rendered);
		site_changes_release(&st->carry);
	}
	site_changes_release(&ch);
	diag_finish(&st->bd);
	strbuf_release(&what);
}

/* ---- the loop ---------------------------------------------------------------------- */

/* All but the server, which is stopped first. */
static void state_release(struct state *st)
{
	gen_unref(st->gen);
	live_free(st->live);
	site_free(st->site);
	json_decref(st->errors);
	diag_release(&st->bd);
	site_changes_release(&st->carry);
	names_release(&st->tpls);
	names_release(&st->assets);
	names_release(&st->rows);
	free(st->scratch.tpls);
	free(st->scratch.assets);
	free(st->scratch.rows);
	free(st->row_changed);
	free(st->keep);
	free(st->tpl_changed);
	free(st->asset_changed);
}

static struct server *listen_on(struct state *st, struct diag *d, int *port)
{
	const char *bind_to = st->o->bind ? st->o->bind : "127.0.0.1";
	int err = 0;

	for (int k = 0; k < (st->o->port_given ? 1 : 20); k++) {
		struct server *s = server_start(bind_to, *port + k, st->live, &err);

		if (s) {
			*port += k;
			return s;
		}
		if (err != EADDRINUSE)
			break;
	}
	if (err == EADDRINUSE && st->o->port_given)
		diag_error(d, NULL, 0, 0, "port %d is in use (another server listens on %s:%d); "
			   "choose another with --port", *port, bind_to, *port);
	else if (err == EADDRINUSE)
		diag_error(d, NULL, 0, 0, "ports %d to %d are in use; choose one with --port",
			   *port, *port + 19);
	else
		diag_syserror(d, NULL, "cannot listen on %s:%d: %s", bind_to, *port, strerror(err));
	return NULL;
}

int serve_run(const struct serve_opts *o, struct diag *d)
{
	struct state st = { .o = o };
	const char *env = o->env ? o->env : "development";
	int port = o->port;
	struct watch *w;
	const char *const *snaps;
	size_t nsnaps;
	int rc;
	size_t rendered;
	double t0 = clock_seconds();

	if (!site_env_known(env))
		return diag_error(d, NULL, 0, 0, "unknown environment '%s': expected development, "
				  "staging or production", env);
	if (!port && (port = site_env_port(o->root, env, d)) < 0)
		return -1;
	st.live = live_new();
	st.srv = listen_on(&st, d, &port);
	if (!st.srv) {
		live_free(st.live);
		return -1;
	}
	snprintf(st.base_url, sizeof(st.base_url), "http://%s:%d",
		 !o->bind || !strcmp(o->bind, "0.0.0.0") ? "127.0.0.1" : o->bind, port);
	st.in = (struct site_inputs){ .root = o->root, .env = env, .snapshots = o->snapshots,
				      .nsnapshots = o->nsnapshots, .drafts = o->drafts,
				      .environ = o->environ, .base_url = st.base_url };
	diag_init(&st.bd);
	st.bd.fn = on_message;
	st.bd.fn_ud = &st;
	begin_build(&st);
	st.site = site_load(&st.in, &st.bd, &(struct site_result){ 0 });
	if (!st.site || render(&st, NULL, &rendered) < 0) {
		diag_error(d, NULL, 0, 0, "the site does not build: nothing to serve");
		server_stop(st.srv);
		state_release(&st);
		return -1;
	}
	publish(&st, "built", t0, rendered);
	say(&st, "serving %s/ (%s; edits rebuild what they touch; Ctrl-C stops)", st.base_url, env);
	/* the snapshots read: presetgen.yaml's when none were given */
	snaps = site_snapshots(st.site, &nsnaps);
	w = watch_new(o->root, snaps, nsnaps, d);
	rc = w ? 0 : -1;	/* no watcher: the error is reported, and serve ends */
	while (w && !(o->stop && *o->stop)) {
		char **paths;
		long n = watch_wait(w, 200, o->debounce_ms > 0 ? o->debounce_ms : 10, &paths);

		if (n > 0 && !(o->stop && *o->stop))
			rebuild(&st, paths, n);
		free_list(paths, n);
	}
	watch_free(w);
	live_stop(st.live);
	server_stop(st.srv);
	state_release(&st);
	return rc;
}
