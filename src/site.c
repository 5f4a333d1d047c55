#include "site.h"
#include "arena.h"
#include "config.h"
#include "content.h"
#include "diag.h"
#include "fsutil.h"
#include "mustache.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"
#include "value.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* One file of the output: a rendered page or bytes made some other way. */
struct job {
	const struct mustache_tpl *tpl;	/* NULL: data is the file */
	const struct value *ctx;
	const char *out;		/* path below the output directory */
	const char *src;		/* the input it comes from, for messages */
	char *data;			/* rendered bytes (malloc'd) */
	size_t len;
	char *errors;			/* messages of a failed render (malloc'd) */
	bool page;			/* counts as a page in the summary */
};

struct build {
	const struct build_opts *o;
	struct diag *d;
	struct arena arena;
	struct config cfg;
	int env;
	struct mustache_set *tpls;
	struct page *pages;
	size_t npages;
	struct job *jobs;
	size_t njobs, ajobs;
	const char *stage;		/* staging directory, or NULL (dry run) */
	atomic_size_t next, done;
	atomic_int failed;
	bool progress;
	pthread_mutex_t progress_lock;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- templates --------------------------------------------------------- */

static int load_templates(struct build *b)
{
	char **files;
	long n = list_files("templates", ".mustache", &files);
	int rc = 0;

	b->tpls = mustache_set_new(b->d);
	if (n < 0) {
		if (errno == ENOENT)
			return diag_error(b->d, "templates", 0, 0,
					  "not found: a site needs a templates/ directory");
		return diag_syserror(b->d, "templates", "cannot list: %s", strerror(errno));
	}
	for (long i = 0; i < n; i++) {
		struct strbuf path = STRBUF_INIT;
		char *src, *name = xstrndup(files[i], strlen(files[i]) - strlen(".mustache"));
		size_t len, bad;

		strbuf_addf(&path, "templates/%s", files[i]);
		if (read_file(path.buf, &src, &len) < 0) {
			rc = diag_syserror(b->d, path.buf, "cannot read: %s", strerror(errno));
		} else {
			bad = utf8_invalid_at(src, len);
			if (bad < len) {
				unsigned l, c;

				text_position(src, bad, &l, &c);
				rc = diag_error(b->d, path.buf, l, c,
						"not valid UTF-8 (byte 0x%02x): templates must be UTF-8",
						(unsigned char)src[bad]);
			} else if (!mustache_parse(b->tpls, name, path.buf, src, len)) {
				rc = -1;
			}
			free(src);
		}
		free(name);
		strbuf_release(&path);
	}
	if (!rc)
		for (long i = 0; i < n; i++) {
			char *name = xstrndup(files[i], strlen(files[i]) - strlen(".mustache"));

			mustache_warn_missing(b->tpls, mustache_get(b->tpls, name));
			free(name);
		}
	free_list(files, n);
	return rc;
}

/* ---- the values templates see ----------------------------------------- */

static struct value *str_or_null(struct arena *a, const char *s)
{
	return s ? value_str(a, s) : value_null(a);
}

static struct value *page_value(struct build *b, const struct page *pg)
{
	struct arena *a = &b->arena;
	const struct env_config *env = &b->cfg.env[b->env];
	struct value *v = value_map(a, 16);

	value_map_set(a, v, "title", value_str(a, pg->title));
	value_map_set(a, v, "description", str_or_null(a, pg->description));
	value_map_set(a, v, "content", value_str(a, pg->html));
	value_map_set(a, v, "url", value_str(a, pg->url));
	value_map_set(a, v, "permalink",
		      value_str_nocopy(a, arena_printf(a, "%s%s", env->base_url, pg->url),
				       strlen(env->base_url) + strlen(pg->url)));
	value_map_set(a, v, "is_home", value_bool(a, !strcmp(pg->url, "/")));
	value_map_set(a, v, "weight", value_int(a, pg->weight));
	value_map_set(a, v, "draft", value_bool(a, pg->draft));
	value_map_set(a, v, "params", pg->params);
	if (pg->date) {
		char human[32];

		date_human(human, sizeof(human), pg->date);
		value_map_set(a, v, "date", value_str(a, pg->date));
		value_map_set(a, v, "date_human", value_str(a, human));
	} else {
		value_map_set(a, v, "date", value_null(a));
		value_map_set(a, v, "date_human", value_null(a));
	}
	return v;
}

static int cmp_weight(const void *x, const void *y)
{
	const struct page *p = *(const struct page *const *)x;
	const struct page *q = *(const struct page *const *)y;

	if (p->weight != q->weight)
		return p->weight < q->weight ? -1 : 1;
	if (strcmp(p->title, q->title))
		return strcmp(p->title, q->title);
	return strcmp(p->url, q->url);
}

/* The pages of menu name in weight order, marking the one at url current. */
static struct value *menu_value(struct build *b, const char *name, const char *url)
{
	struct arena *a = &b->arena;
	const struct page **in = xcalloc(b->npages ? b->npages : 1, sizeof(*in));
	struct value *list;
	size_t n = 0;

	for (size_t i = 0; i < b->npages; i++)
		for (size_t k = 0; k < b->pages[i].nmenus; k++)
			if (!strcmp(b->pages[i].menus[k], name)) {
				in[n++] = &b->pages[i];
				break;
			}
	qsort(in, n, sizeof(*in), cmp_weight);
	list = value_list(a, n);
	for (size_t i = 0; i < n; i++) {
		struct value *e = value_map(a, 4);

		value_map_set(a, e, "title", value_str(a, in[i]->title));
		value_map_set(a, e, "url", value_str(a, in[i]->url));
		value_map_set(a, e, "weight", value_int(a, in[i]->weight));
		value_map_set(a, e, "current", value_bool(a, url && !strcmp(url, in[i]->url)));
		value_list_push(a, list, e);
	}
	free(in);
	return list;
}

/* Every menu name used by any page, each once, in order of first use. */
static struct value *menus_value(struct build *b, const char *url)
{
	struct arena *a = &b->arena;
	struct value *m = value_map(a, 4);

	for (size_t i = 0; i < b->npages; i++)
		for (size_t k = 0; k < b->pages[i].nmenus; k++)
			if (!value_map_get(m, b->pages[i].menus[k]))
				value_map_set(a, m, b->pages[i].menus[k],
					      menu_value(b, b->pages[i].menus[k], url));
	return m;
}

static struct value *site_value(struct build *b, const struct value *pages)
{
	struct arena *a = &b->arena;
	const struct config *c = &b->cfg;
	struct value *v = value_map(a, 12);

	value_map_set(a, v, "title", value_str(a, c->title));
	value_map_set(a, v, "description", str_or_null(a, c->description));
	value_map_set(a, v, "language", value_str(a, c->language));
	value_map_set(a, v, "time_zone", value_str(a, c->time_zone));
	value_map_set(a, v, "author", str_or_null(a, c->author));
	value_map_set(a, v, "base_url", value_str(a, c->env[b->env].base_url));
	value_map_set(a, v, "pages", (struct value *)pages);
	return v;
}

static struct value *env_value(struct build *b)
{
	struct arena *a = &b->arena;
	struct value *v = value_map(a, 4);

	value_map_set(a, v, "name", value_str(a, env_names[b->env]));
	value_map_set(a, v, "base_url", value_str(a, b->cfg.env[b->env].base_url));
	value_map_set(a, v, "index", value_bool(a, b->cfg.env[b->env].index));
	return v;
}

static void add_job(struct build *b, const struct job *j)
{
	ALLOC_GROW(b->jobs, b->njobs + 1, b->ajobs);
	b->jobs[b->njobs++] = *j;
}

static int plan_pages(struct build *b)
{
	struct arena *a = &b->arena;
	struct value *pages = value_list(a, b->npages), *env = env_value(b);
	struct value **pv = xcalloc(b->npages ? b->npages : 1, sizeof(*pv));
	const struct value *site_base;
	int rc = 0;

	for (size_t i = 0; i < b->npages; i++) {
		pv[i] = page_value(b, &b->pages[i]);
		/* the 404 page is not one to list */
		if (strcmp(b->pages[i].url, "/404.html"))
			value_list_push(a, pages, pv[i]);
	}
	site_base = site_value(b, pages);
	for (size_t i = 0; i < b->npages; i++) {
		const struct page *pg = &b->pages[i];
		const char *layout = pg->layout ? pg->layout : "page";
		const struct mustache_tpl *tpl = mustache_get(b->tpls, layout);
		struct value *site, *ctx, *menus;
		struct job j;

		if (!tpl) {
			if (pg->layout)
				rc = diag_error(b->d, pg->src, pg->layout_line, pg->layout_col,
						"layout '%s' not found: expected templates/%s.mustache",
						layout, layout);
			else
				rc = diag_error(b->d, pg->src, 1, 1, "no layout given and the default "
						"layout 'page' not found: expected templates/page.mustache");
			continue;
		}
		/* the site as this page sees it: menus know the current page */
		site = value_map(a, site_base->len + 2);
		for (uint32_t k = 0; k < site_base->len; k++)
			value_map_set(a, site, site_base->u.pairs[k].key, site_base->u.pairs[k].val);
		menus = menus_value(b, pg->url);
		value_map_set(a, site, "menus", menus);
		{
			const struct value *main_menu = value_map_get(menus, "main");

			value_map_set(a, site, "menu", main_menu ? (struct value *)main_menu
							    : value_list(a, 0));
		}
		ctx = value_map(a, 3);
		value_map_set(a, ctx, "page", pv[i]);
		value_map_set(a, ctx, "site", site);
		value_map_set(a, ctx, "env", env);
		memset(&j, 0, sizeof(j));
		j.tpl = tpl;
		j.ctx = ctx;
		j.out = pg->out;
		j.src = pg->src;
		j.page = true;
		add_job(b, &j);
	}
	free(pv);
	return rc;
}

static void plan_robots(struct build *b)
{
	const struct env_config *env = &b->cfg.env[b->env];
	struct strbuf sb = STRBUF_INIT;
	struct job j;

	strbuf_adds(&sb, "User-agent: *\n");
	strbuf_adds(&sb, env->index ? "Allow: /\n" : "Disallow: /\n");
	memset(&j, 0, sizeof(j));
	j.out = "robots.txt";
	j.src = b->cfg.path;
	j.data = strbuf_detach(&sb, &j.len);
	add_job(b, &j);
}

static int plan_assets(struct build *b)
{
	char **files;
	long n = list_files("assets", NULL, &files);

	if (n < 0)
		return errno == ENOENT ? 0 :
		       diag_syserror(b->d, "assets", "cannot list: %s", strerror(errno));
	for (long i = 0; i < n; i++) {
		struct strbuf path = STRBUF_INIT;
		struct job j;

		memset(&j, 0, sizeof(j));
		strbuf_addf(&path, "assets/%s", files[i]);
		if (read_file(path.buf, &j.data, &j.len) < 0) {
			diag_syserror(b->d, path.buf, "cannot read: %s", strerror(errno));
			strbuf_release(&path);
			free_list(files, n);
			return -1;
		}
		j.out = arena_strdup(&b->arena, path.buf);
		j.src = j.out;
		add_job(b, &j);
		strbuf_release(&path);
	}
	free_list(files, n);
	return 0;
}

/* ---- rendering and writing -------------------------------------------- */

static int write_job(struct build *b, struct job *j)
{
	struct strbuf path = STRBUF_INIT;
	int rc = 0;

	strbuf_addf(&path, "%s/%s", b->stage, j->out);
	if (write_file(path.buf, j->data, j->len) < 0)
		rc = diag_syserror(b->d, j->out, "cannot write %s: %s", path.buf, strerror(errno));
	else if (b->o->verbose)
		fprintf(stderr, "wrote %s (%zu bytes)\n", j->out, j->len);
	strbuf_release(&path);
	return rc;
}

static void progress(struct build *b)
{
	size_t done = atomic_fetch_add(&b->done, 1) + 1;
	size_t step = b->njobs / 100 + 1;

	if (!b->progress || (done % step && done != b->njobs))
		return;
	pthread_mutex_lock(&b->progress_lock);
	fprintf(stderr, "\rbuilding: %zu/%zu files", done, b->njobs);
	if (done == b->njobs)
		fputc('\n', stderr);
	pthread_mutex_unlock(&b->progress_lock);
}

/* Every page is rendered even after one fails, and messages are kept per
 * page, so that the errors printed do not depend on thread timing. */
static void *worker(void *arg)
{
	struct build *b = arg;
	struct strbuf sb = STRBUF_INIT, errs = STRBUF_INIT;
	struct diag jd;

	diag_init(&jd);
	jd.capture = &errs;
	for (;;) {
		size_t i = atomic_fetch_add(&b->next, 1);
		struct job *j;

		if (i >= b->njobs)
			break;
		j = &b->jobs[i];
		if (j->tpl) {
			strbuf_reset(&sb);
			if (mustache_render(b->tpls, j->tpl, j->ctx, &sb, &jd) < 0) {
				j->errors = strbuf_detach(&errs, NULL);
				atomic_store(&b->failed, 1);
				progress(b);
				continue;
			}
			if (atomic_load(&b->failed)) {
				progress(b);
				continue;
			}
			j->len = sb.len;
			if (b->stage) {
				/* write straight from the buffer: no copy per page */
				j->data = sb.buf;
				if (write_job(b, j) < 0)
					atomic_store(&b->failed, 1);
				j->data = NULL;
			}
		} else if (b->stage && !atomic_load(&b->failed) && write_job(b, j) < 0) {
			atomic_store(&b->failed, 1);
		}
		progress(b);
	}
	strbuf_release(&sb);
	strbuf_release(&errs);
	return NULL;
}

static int cmp_job(const void *x, const void *y)
{
	return strcmp(((const struct job *)x)->out, ((const struct job *)y)->out);
}

/* Creates every directory the jobs need, before any thread writes. */
static int make_dirs(struct build *b)
{
	struct strbuf last = STRBUF_INIT, dir = STRBUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < b->njobs && !rc; i++) {
		const char *slash = strrchr(b->jobs[i].out, '/');

		if (!slash)
			continue;
		strbuf_reset(&dir);
		strbuf_addf(&dir, "%s/%.*s", b->stage, (int)(slash - b->jobs[i].out),
			    b->jobs[i].out);
		if (!strcmp(dir.buf, last.buf))
			continue;
		if (mkdirs(dir.buf) < 0)
			rc = diag_syserror(b->d, b->jobs[i].out, "cannot create %s: %s", dir.buf,
					   strerror(errno));
		strbuf_reset(&last);
		strbuf_add(&last, dir.buf, dir.len);
	}
	strbuf_release(&last);
	strbuf_release(&dir);
	return rc;
}

static int run_jobs(struct build *b)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int n = b->o->jobs > 0 ? b->o->jobs : (int)(cores > 0 ? cores : 1);
	pthread_t *th;

	if ((size_t)n > b->njobs)
		n = b->njobs ? (int)b->njobs : 1;
	th = xcalloc((size_t)n, sizeof(*th));
	atomic_store(&b->next, 0);
	atomic_store(&b->done, 0);
	atomic_store(&b->failed, 0);
	for (int i = 1; i < n; i++)
		if (pthread_create(&th[i], NULL, worker, b))
			die("cannot start a render thread");
	worker(b);
	for (int i = 1; i < n; i++)
		pthread_join(th[i], NULL);
	free(th);
	/* in job order, each distinct message once */
	for (size_t i = 0; i < b->njobs; i++) {
		bool seen = false;

		if (!b->jobs[i].errors)
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = b->jobs[k].errors && !strcmp(b->jobs[k].errors, b->jobs[i].errors);
		if (!seen) {
			fputs(b->jobs[i].errors, stderr);
			b->d->errors++;
			if (b->d->exit_code == EXIT_OK)
				b->d->exit_code = EXIT_INPUT;
		}
	}
	return atomic_load(&b->failed) ? -1 : 0;
}

/* The output must not be the site itself, one of its inputs, or a
 * directory above them: replacing it would delete the site. */
static int check_out(struct build *b, const char *out)
{
	char site[PATH_MAX], parent[PATH_MAX], *dup = xstrdup(out), *slash;
	struct strbuf full = STRBUF_INIT;
	const char *base;
	int rc = 0;

	size_t n = strlen(dup);

	while (n > 1 && dup[n - 1] == '/')
		dup[--n] = '\0';
	slash = strrchr(dup, '/');
	if (slash) {
		*slash = '\0';
		base = slash + 1;
	} else {
		base = dup;
	}
	if (!realpath(".", site)) {
		rc = diag_syserror(b->d, ".", "cannot resolve: %s", strerror(errno));
	} else if (!realpath(slash ? (*dup ? dup : "/") : ".", parent)) {
		rc = diag_error(b->d, out, 0, 0, "cannot write the output here: %s",
				strerror(errno));
	} else if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		rc = diag_error(b->d, out, 0, 0, "the output must be a directory of its own, "
				"such as dist");
	} else {
		size_t s;

		strbuf_addf(&full, "%s/%s", strcmp(parent, "/") ? parent : "", base);
		s = strlen(site);
		/* the site, or above it */
		if (!strncmp(site, full.buf, full.len) &&
		    (site[full.len] == '/' || site[full.len] == '\0'))
			rc = diag_error(b->d, out, 0, 0, "the output would replace the site itself");
		/* one of the site's inputs */
		else if (!strncmp(full.buf, site, s) && full.buf[s] == '/') {
			const char *rel = full.buf + s + 1;
			static const char *const inputs[] = { "content", "templates", "assets",
							      "presetgen.yaml", "src", "tests" };

			for (size_t i = 0; i < ARRAY_SIZE(inputs); i++) {
				size_t k = strlen(inputs[i]);

				if (!strncmp(rel, inputs[i], k) && (rel[k] == '/' || !rel[k]))
					rc = diag_error(b->d, out, 0, 0,
							"the output would replace the site's %s", inputs[i]);
			}
		}
	}
	strbuf_release(&full);
	free(dup);
	return rc;
}

static int write_output(struct build *b)
{
	const char *out = b->o->out ? b->o->out : "dist";
	struct staging st;

	if (check_out(b, out) < 0)
		return -1;
	if (staging_begin(&st, out) < 0) {
		/* a path the user gave that cannot hold a directory */
		if (errno == ENOSPC || errno == EIO || errno == ENOMEM)
			return diag_syserror(b->d, out, "cannot create the output directory: %s",
					     strerror(errno));
		return diag_error(b->d, out, 0, 0, "cannot create the output directory: %s",
				  strerror(errno));
	}
	b->stage = st.tmp;
	if (make_dirs(b) < 0 || run_jobs(b) < 0) {
		staging_abort(&st);
		return -1;
	}
	if (staging_commit(&st) < 0) {
		int e = errno;

		staging_abort(&st);
		if (e == ENOTDIR)
			return diag_error(b->d, out, 0, 0, "cannot replace the output: it is not "
					  "a directory");
		return diag_syserror(b->d, out, "cannot replace the output: %s", strerror(e));
	}
	return 0;
}

static void release(struct build *b)
{
	for (size_t i = 0; i < b->njobs; i++) {
		if (!b->jobs[i].tpl)
			free(b->jobs[i].data);
		free(b->jobs[i].errors);
	}
	free(b->jobs);
	mustache_set_free(b->tpls);
	arena_release(&b->arena);
	pthread_mutex_destroy(&b->progress_lock);
}

int site_build(const struct build_opts *o, struct diag *d)
{
	struct build b;
	double t0 = now_seconds();
	size_t pages = 0, bytes = 0;
	int rc = 0;

	memset(&b, 0, sizeof(b));
	b.o = o;
	b.d = d;
	pthread_mutex_init(&b.progress_lock, NULL);
	b.progress = !o->quiet && !o->dry_run && isatty(STDERR_FILENO);
	b.env = env_lookup(o->env ? o->env : "production");
	if (config_load(&b.cfg, "presetgen.yaml", &b.arena, d) < 0)
		rc = -1;
	if (!rc && !b.cfg.env[b.env].present)
		rc = diag_error(d, b.cfg.path, 0, 0, "no environment '%s' under 'environments'",
				env_names[b.env]);
	/* templates and content are checked even when the config is wrong,
	 * so that one run reports every error */
	if (load_templates(&b) < 0)
		rc = -1;
	if (content_load("content", o->drafts, &b.pages, &b.npages, &b.arena, d) < 0)
		rc = -1;
	if (!rc)
		rc = plan_pages(&b);
	if (!rc && !o->dry_run) {
		plan_robots(&b);
		rc = plan_assets(&b);
	}
	if (!rc) {
		qsort(b.jobs, b.njobs, sizeof(*b.jobs), cmp_job);
		for (size_t i = 1; i < b.njobs; i++)
			if (!strcmp(b.jobs[i].out, b.jobs[i - 1].out))
				rc = diag_error(d, b.jobs[i].src, 0, 0, "writes %s, as %s does",
						b.jobs[i].out, b.jobs[i - 1].src);
	}
	if (!rc)
		rc = o->dry_run ? run_jobs(&b) : write_output(&b);
	if (!rc) {
		for (size_t i = 0; i < b.njobs; i++) {
			pages += b.jobs[i].page;
			bytes += b.jobs[i].len;
		}
		if (!o->quiet && !o->dry_run)
			printf("%zu pages, %zu files, %zu bytes written to %s in %.3f s\n", pages,
			       b.njobs, bytes, o->out ? o->out : "dist", now_seconds() - t0);
		else if (!o->quiet)
			printf("%zu pages checked, no errors\n", pages);
	}
	release(&b);
	return rc ? (diag_exit_code(d) ? diag_exit_code(d) : EXIT_INPUT) : EXIT_OK;
}
