/* Rendering: worker threads take jobs in turn, render, rewrite asset
 * references, check for secrets and write. Every page is rendered even
 * after one fails, and each job keeps its own messages, which are reported
 * in job order afterwards: the errors a build prints never depend on thread
 * timing. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A worker's messages, collected for the job at hand. */
struct collected {
	struct diag_msg *msgs;
	size_t n, alloc;
	bool system;
};

static void collect(void *ud, const struct diag_msg *m)
{
	struct collected *c = ud;

	ALLOC_GROW(c->msgs, c->n + 1, c->alloc);
	c->msgs[c->n] = *m;
	c->msgs[c->n].file = m->file ? xstrdup(m->file) : NULL;
	c->msgs[c->n].text = xstrdup(m->text);
	c->n++;
}

/* The messages collected while job j ran become its own. */
static void keep_msgs(struct job *j, struct collected *c)
{
	if (!c->n)
		return;
	j->msgs = xrealloc(j->msgs, (j->nmsgs + c->n) * sizeof(*j->msgs));
	memcpy(j->msgs + j->nmsgs, c->msgs, c->n * sizeof(*c->msgs));
	j->nmsgs += c->n;
	c->n = 0;
}

static void fail_job(struct run *r, struct job *j, struct collected *c)
{
	keep_msgs(j, c);
	atomic_store(&r->failed, 1);
}

bool leaks_secret(const struct run *r, struct job *j, const char *data, size_t len)
{
	const char *name = secrets_leak(&r->s->secrets, data, len);
	struct strbuf sb = STRBUF_INIT;

	if (!name)
		return false;
	strbuf_addf(&sb, "the value of the secret variable %s would be written here; "
		    "nothing was written", name);
	j->msgs = xrealloc(j->msgs, (j->nmsgs + 1) * sizeof(*j->msgs));
	memset(&j->msgs[j->nmsgs], 0, sizeof(*j->msgs));
	j->msgs[j->nmsgs].kind = DIAG_ERROR;
	j->msgs[j->nmsgs].file = xstrdup(j->out);
	j->msgs[j->nmsgs].text = strbuf_detach(&sb, NULL);
	j->nmsgs++;
	return true;
}

static void progress(struct run *r)
{
	size_t done = atomic_fetch_add(&r->done, 1) + 1;
	size_t step = r->njobs / 100 + 1;

	if (!r->o->progress || (done % step && done != r->njobs))
		return;
	pthread_mutex_lock(&r->lock);
	r->o->progress(r->o->progress_ud, done, r->njobs);
	pthread_mutex_unlock(&r->lock);
}

/* What a worker owns: buffers reused from page to page. */
struct worker {
	struct run *r;
	struct strbuf sb, fixed;
	struct arena scratch;
	struct gzip *gz;
	struct page_refs refs;
	struct page_refs page;	/* a sink's page: its own asks */
	struct diag jd;		/* collects a job's messages */
	struct collected got;
	struct mustache_deps deps;	/* what a page used, for a sink */
	const char **rows;		/* the rows it looked into, for a sink */
	size_t nrows, arows;
	const struct value *recent[8];	/* values touch() saw last */
	unsigned nrecent;
};

/* A value a sink's page looked into: if it is a row, the page shows it.
 * Lookups pass the same few maps over and over (the context, the item):
 * those seen last are not looked for again. */
static void touch(void *ud, const struct value *v)
{
	struct worker *w = ud;
	const char *id;

	for (unsigned i = 0; i < ARRAY_SIZE(w->recent); i++)
		if (w->recent[i] == v)
			return;
	w->recent[w->nrecent++ % ARRAY_SIZE(w->recent)] = v;
	id = rows_id(w->r->s, v);
	if (!id)
		return;
	ALLOC_GROW(w->rows, w->nrows + 1, w->arows);
	w->rows[w->nrows++] = id;
}

/* Ids are one string per row: the same row, the same pointer. */
static int by_address(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)*(const char *const *)x, b = (uintptr_t)*(const char *const *)y;

	return a < b ? -1 : a > b;
}

/* The rows a page looked into, each once. */
static void rows_seen(struct worker *w)
{
	size_t n = 0;

	if (w->nrows)
		qsort(w->rows, w->nrows, sizeof(*w->rows), by_address);
	for (size_t i = 0; i < w->nrows; i++)
		if (!n || w->rows[n - 1] != w->rows[i])
			w->rows[n++] = w->rows[i];
	w->nrows = n;
}

/* Gives a made file to the caller's sink (serve), one call at a time,
 * with what a page depended on. */
static void sink(struct run *r, const struct job *j, const char *data, size_t len,
		 const struct worker *w, const struct page_refs *refs)
{
	const struct mustache_deps *deps = w ? &w->deps : NULL;
	struct site_output o = {
		.path = j->out, .data = data, .len = len, .src = j->src, .page = j->tpl != NULL,
		.templates = deps ? deps->names : NULL, .ntemplates = deps ? deps->n : 0,
		.uses_pages = deps && (deps->watched & 1),
		.uses_collections = deps && (deps->watched & 2),
		.site_keys = deps ? (deps->watched >> 2) & ((1u << CONFIG_PAGE_KEYS) - 1) : 0,
		.assets = refs ? (const char *const *)refs->assets : NULL,
		.nassets = refs ? refs->nassets : 0,
		.rows = w ? w->rows : NULL,
		.nrows = w ? w->nrows : 0,
		.fingerprint = j->fingerprint,
	};

	pthread_mutex_lock(&r->sink_lock);
	r->o->sink(r->o->sink_ud, &o);
	pthread_mutex_unlock(&r->sink_lock);
}

/* For serve, a page's own asks of the CSP: a later partial render
 * replaces them, so what an edit removed is no longer allowed. */
static void keep_asks(struct job *j, struct page_refs *page)
{
	for (size_t i = 0; i < page->nassets; i++)
		free(page->assets[i]);
	free(page->assets);
	page->assets = NULL;
	page->nassets = 0;
	if (page_refs_empty(page))
		return;
	j->refs = xmalloc(sizeof(*j->refs));
	*j->refs = *page;
	memset(page, 0, sizeof(*page));
}

/* Renders a template's job, rewrites its asset references and writes it. */
static void render_page(struct worker *w, struct job *j)
{
	struct run *r = w->r;
	const struct value *ctx = j->ctx;

	/* contexts of collection pages are made here and dropped after the
	 * page: memory follows the snapshot, not the pages */
	arena_reset(&w->scratch);
	if (j->row)
		ctx = row_context(r, &w->scratch, j->row);
	else if (j->lp)
		ctx = listing_context(r, &w->scratch, j->lp);
	strbuf_reset(&w->sb);
	w->deps.n = 0;
	w->deps.watched = 0;
	w->deps.watch[0] = r->pages_v;
	w->deps.watch[1] = r->s->colls_v;
	for (size_t k = 0; k < CONFIG_PAGE_KEYS; k++)
		w->deps.watch[2 + k] = value_map_get(r->site_base, config_page_keys[k]);
	w->nrows = 0;
	memset(w->recent, 0, sizeof(w->recent));
	w->deps.touch = r->o->sink ? touch : NULL;
	w->deps.touch_ud = w;
	if (mustache_render_deps(r->s->tpls, j->tpl, ctx, &w->sb, &w->jd,
				 r->o->sink ? &w->deps : NULL) < 0) {
		fail_job(r, j, &w->got);
		return;
	}
	if (atomic_load(&r->failed))
		return;
	/* asset URLs to hashed names, SRI on scripts and stylesheets */
	strbuf_reset(&w->fixed);
	page_refs_release(&w->page);
	w->page.track_assets = r->o->sink != NULL;
	if (assets_rewrite_html(&r->s->assets, r->base_url, j->out, j->src, w->sb.buf, w->sb.len,
				&w->fixed, r->o->sink ? &w->page : &w->refs, &w->jd) < 0) {
		fail_job(r, j, &w->got);
		return;
	}
	if (leaks_secret(r, j, w->fixed.buf, w->fixed.len)) {
		atomic_store(&r->failed, 1);
		return;
	}
	j->len = w->fixed.len;
	if (r->o->sink) {
		rows_seen(w);
		sink(r, j, w->fixed.buf, w->fixed.len, w, &w->page);
		keep_asks(j, &w->page);
	}
	if (r->stage) {
		/* write straight from the buffer: no copy per page */
		j->data = w->fixed.buf;
		if (write_job(r, j, w->gz) < 0)
			atomic_store(&r->failed, 1);
		j->data = NULL;
	}
}

static void run_job(struct worker *w, struct job *j)
{
	struct run *r = w->r;

	if (j->tpl) {
		render_page(w, j);
	} else if (j->gen) {
		strbuf_reset(&w->sb);
		j->gen(r, j->gen_arg, &w->sb);
		j->len = w->sb.len;
		if (leaks_secret(r, j, w->sb.buf, w->sb.len))
			atomic_store(&r->failed, 1);
		else if (r->o->sink)
			sink(r, j, w->sb.buf, w->sb.len, NULL, NULL);
		if (r->stage && !atomic_load(&r->failed)) {
			j->data = w->sb.buf;
			if (write_job(r, j, w->gz) < 0)
				atomic_store(&r->failed, 1);
			j->data = NULL;
		}
	} else if (leaks_secret(r, j, j->data, j->len)) {
		atomic_store(&r->failed, 1);
	} else if (r->o->sink) {
		sink(r, j, j->data, j->len, NULL, NULL);
	} else if (r->stage && !atomic_load(&r->failed) && write_job(r, j, w->gz) < 0) {
		atomic_store(&r->failed, 1);
	}
	/* warnings of a job that did not fail are reported with it */
	keep_msgs(j, &w->got);
}

static void *worker(void *arg)
{
	struct worker w;

	memset(&w, 0, sizeof(w));
	w.r = arg;
	strbuf_init(&w.sb);
	strbuf_init(&w.fixed);
	w.gz = gzip_new();
	diag_init(&w.jd);
	w.jd.fn = collect;
	w.jd.fn_ud = &w.got;
	for (;;) {
		size_t i = atomic_fetch_add(&w.r->next, 1);

		if (i >= w.r->njobs)
			break;
		/* a cancelled build stops taking work; the caller cleans up */
		if (run_cancelled(w.r)) {
			atomic_store(&w.r->failed, 1);
			break;
		}
		/* a render for serve may want some pages only */
		struct job *j = &w.r->jobs[i];

		/* a page's data fingerprint: for want() when it asks, and for
		 * the sink of a page rendered */
		bool printed = j->tpl && w.r->o->sink && w.r->o->want_data;

		if (printed)
			j->fingerprint = rows_page_data(w.r->s, j);
		if (!j->tpl || !w.r->o->want ||
		    w.r->o->want(w.r->o->want_ud,
				 &(struct site_page){ j->out, j->src, j->fingerprint })) {
			if (j->tpl && w.r->o->sink && !printed)
				j->fingerprint = rows_page_data(w.r->s, j);
			run_job(&w, j);
		} else {
			j->skipped = true;
		}
		progress(w.r);
	}
	strbuf_release(&w.sb);
	strbuf_release(&w.fixed);
	arena_release(&w.scratch);
	gzip_free(w.gz);
	free(w.got.msgs);
	free(w.deps.names);
	free(w.rows);
	diag_release(&w.jd);
	pthread_mutex_lock(&w.r->lock);
	page_refs_merge(&w.r->refs, &w.refs);
	pthread_mutex_unlock(&w.r->lock);
	page_refs_release(&w.refs);
	page_refs_release(&w.page);
	return NULL;
}

/* Each job's messages, in job order, each distinct message once (a
 * broken partial fails every page that uses it the same way). */
static void report(struct run *r)
{
	struct strmap *seen = strmap_new(16);
	struct arena keys = ARENA_INIT;
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < r->njobs; i++)
		for (size_t m = 0; m < r->jobs[i].nmsgs; m++) {
			const struct diag_msg *msg = &r->jobs[i].msgs[m];
			size_t first = i;

			strbuf_reset(&sb);
			diag_format(&sb, msg);
			if (strmap_put(seen, arena_strndup(&keys, sb.buf, sb.len), &first))
				diag_report(r->d, msg, false);
		}
	strbuf_release(&sb);
	arena_release(&keys);
	strmap_free(seen);
}

int run_jobs(struct run *r)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int n = r->o->jobs > 0 ? r->o->jobs : (int)(cores > 0 ? cores : 1);
	pthread_t *th;
	int started = 1;

	if ((size_t)n > r->njobs)
		n = r->njobs ? (int)r->njobs : 1;
	th = xcalloc((size_t)n, sizeof(*th));
	atomic_store(&r->next, 0);
	atomic_store(&r->done, 0);
	atomic_store(&r->failed, 0);
	/* fewer threads than asked, if the system has none to spare */
	for (int i = 1; i < n && started == i; i++)
		if (!pthread_create(&th[i], NULL, worker, r))
			started++;
	worker(r);
	for (int i = 1; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	report(r);
	return atomic_load(&r->failed) ? -1 : 0;
}
