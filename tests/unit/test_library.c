/* The build as a library: the default site built twice in one process, from
 * two threads at once, gives the same bytes in both outputs as
 * `presetgen build` does; a site loaded once renders twice alike; a
 * cancelled build leaves nothing behind; what serve needs to render only
 * what an edit touched: after a snapshot edit, site_diff names the row,
 * and the pages that looked into it, rendered again over the others,
 * equal a whole render; site_diff finds templates, content, assets and
 * presetgen.yaml too. Run from the repository's root
 * (tests/run.sh does), with PRESETGEN naming the program. Also built with
 * ThreadSanitizer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "site/site.h"

#define EPOCH "SOURCE_DATE_EPOCH=1773482400"
static char epoch[] = EPOCH;

static char tmp[64];

static int setup(void **state)
{
	(void)state;
	strcpy(tmp, "/tmp/presetgen-lib-XXXXXX");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return remove_tree(tmp);
}

static char *at(const char *name)
{
	static __thread char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", tmp, name);
	return buf;
}

struct job {
	char out[256];
	char *const *env;
	int rc;
	struct site_result res;
	struct strbuf errs;
};

static void *build(void *arg)
{
	struct job *j = arg;
	struct site_inputs in = { 0 };
	struct site_render_opts o = { 0 };
	struct diag d;
	struct site *s;

	in.root = ".";
	in.environ = j->env;
	o.out = j->out;
	o.jobs = 2;
	diag_init(&d);
	d.capture = &j->errs;
	s = site_load(&in, &d, &j->res);
	j->rc = s ? site_render(s, &o, &j->res) : -1;
	site_free(s);
	diag_release(&d);
	return NULL;
}

/* Whether two trees hold the same files with the same bytes. */
static void same_tree(const char *a, const char *b)
{
	char **fa, **fb;
	long na = list_files_all(a, &fa), nb = list_files_all(b, &fb);

	assert_true(na > 50);
	assert_int_equal(na, nb);
	for (long i = 0; i < na; i++) {
		struct strbuf pa = STRBUF_INIT, pb = STRBUF_INIT;
		char *da, *db;
		size_t la, lb;

		assert_string_equal(fa[i], fb[i]);
		strbuf_addf(&pa, "%s/%s", a, fa[i]);
		strbuf_addf(&pb, "%s/%s", b, fb[i]);
		assert_int_equal(read_file(pa.buf, &da, &la), 0);
		assert_int_equal(read_file(pb.buf, &db, &lb), 0);
		if (la != lb || memcmp(da, db, la))
			fail_msg("%s differs between %s and %s", fa[i], a, b);
		free(da);
		free(db);
		strbuf_release(&pa);
		strbuf_release(&pb);
	}
	free_list(fa, na);
	free_list(fb, nb);
}

static void two_builds_at_once_match_the_program(void **state)
{
	char *const env[] = { epoch, NULL };
	const char *bin = getenv("PRESETGEN");
	struct job jobs[2];
	pthread_t th[2];

	(void)state;
	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < 2; i++) {
		snprintf(jobs[i].out, sizeof(jobs[i].out), "%s", at(i ? "two" : "one"));
		jobs[i].env = env;
		strbuf_init(&jobs[i].errs);
		assert_int_equal(pthread_create(&th[i], NULL, build, &jobs[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		if (jobs[i].rc)
			fail_msg("build %d failed: %s", i, jobs[i].errs.buf);
		assert_true(jobs[i].res.pages > 50);
		strbuf_release(&jobs[i].errs);
	}
	same_tree(at("one"), at("two"));
	/* and the program, given the same environment, wrote the same */
	if (bin) {
		struct strbuf cmd = STRBUF_INIT;

		strbuf_addf(&cmd, "env -i %s %s build -q --out %s", EPOCH, bin, at("cli"));
		assert_int_equal(system(cmd.buf), 0);
		strbuf_release(&cmd);
		same_tree(at("one"), at("cli"));
	} else {
		fail_msg("PRESETGEN must name the program (tests/run.sh sets it)");
	}
}

static void a_site_loaded_once_renders_alike_twice(void **state)
{
	char *const env[] = { epoch, NULL };
	struct site_inputs in = { 0 };
	struct site_render_opts o = { 0 };
	struct site_result res;
	struct diag d;
	struct site *s;

	(void)state;
	in.root = ".";
	in.environ = env;
	diag_init(&d);
	s = site_load(&in, &d, &res);
	assert_non_null(s);
	o.out = at("first");
	assert_int_equal(site_render(s, &o, &res), 0);
	o.out = at("second");
	o.jobs = 1;
	assert_int_equal(site_render(s, &o, &res), 0);
	site_free(s);
	diag_release(&d);
	same_tree(at("first"), at("second"));
}

static void a_cancelled_build_leaves_nothing(void **state)
{
	char *const env[] = { epoch, NULL };
	volatile sig_atomic_t cancel = 1;
	struct site_inputs in = { 0 };
	struct site_render_opts o = { 0 };
	struct site_result res;
	struct diag d;
	struct site *s;
	struct dirent *de;
	DIR *dir;

	(void)state;
	in.root = ".";
	in.environ = env;
	diag_init(&d);
	s = site_load(&in, &d, &res);
	assert_non_null(s);
	o.out = at("out");
	o.cancel = &cancel;
	assert_int_equal(site_render(s, &o, &res), -1);
	assert_true(res.cancelled);
	site_free(s);
	diag_release(&d);
	/* no output, no staging directory: the directory is empty */
	dir = opendir(tmp);
	assert_non_null(dir);
	while ((de = readdir(dir)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			fail_msg("%s was left behind", de->d_name);
	closedir(dir);
}

/* ---- rendering only what an edit touched ----------------------------------- */

struct made {
	char *path;
	char *data;
	size_t len;
	char **rows;
	size_t nrows;
	bool colls;
	uint64_t data_print;
};

struct outputs {
	struct made *m;
	size_t n;
	const struct outputs *old;	/* for want() */
	const struct site_changes *ch;
	size_t wanted;
};

static void keep(void *ud, const struct site_output *o)
{
	struct outputs *out = ud;
	struct made *m;

	if (!o->page)
		return;
	out->m = xrealloc(out->m, (out->n + 1) * sizeof(*out->m));
	m = &out->m[out->n++];
	memset(m, 0, sizeof(*m));
	m->path = xstrdup(o->path);
	m->data = xmalloc(o->len + 1);
	memcpy(m->data, o->data, o->len);
	m->len = o->len;
	m->colls = o->uses_collections;
	m->data_print = o->fingerprint;
	m->rows = xcalloc(o->nrows + 1, sizeof(*m->rows));
	for (size_t i = 0; i < o->nrows; i++)
		m->rows[m->nrows++] = xstrdup(o->rows[i]);
}

static const struct made *made_find(const struct outputs *out, const char *path)
{
	for (size_t i = 0; i < out->n; i++)
		if (!strcmp(out->m[i].path, path))
			return &out->m[i];
	return NULL;
}

static void outputs_release(struct outputs *out)
{
	for (size_t i = 0; i < out->n; i++) {
		free(out->m[i].path);
		free(out->m[i].data);
		free_list(out->m[i].rows, (long)out->m[i].nrows);
	}
	free(out->m);
}

/* As serve decides: a new page, its data, the collections it showed, a
 * row it looked into. */
static bool want(void *ud, const struct site_page *p)
{
	struct outputs *out = ud;
	const struct made *m = made_find(out->old, p->path);
	bool yes = !m || m->data_print != p->data || (m->colls && out->ch->collections);

	for (size_t i = 0; m && !yes && i < m->nrows; i++)
		for (size_t k = 0; k < out->ch->nrows; k++)
			yes |= !strcmp(m->rows[i], out->ch->rows[k]);
	__atomic_fetch_add(&out->wanted, yes, __ATOMIC_RELAXED);	/* threads call want() */
	return yes;
}

static struct site *load_at(const char *root, struct diag *d)
{
	char *const env[] = { epoch, NULL };
	struct site_inputs in = { 0 };
	struct site_result res;

	in.root = root;
	in.environ = env;
	return site_load(&in, d, &res);
}

static void render_to(struct site *s, struct outputs *out, bool partial)
{
	struct site_render_opts o = { 0 };
	struct site_result res;

	o.sink = keep;
	o.sink_ud = out;
	if (partial) {
		o.want = want;
		o.want_ud = out;
		o.want_data = true;
	}
	assert_int_equal(site_render(s, &o, &res), 0);
}

/* Replaces the first from in root/file with to. */
static void edit(const char *root, const char *file, const char *from, const char *to)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	char *buf, *hit;
	size_t len;

	strbuf_addf(&path, "%s/%s", root, file);
	assert_int_equal(read_file(path.buf, &buf, &len), 0);
	hit = strstr(buf, from);
	assert_non_null(hit);
	strbuf_add(&text, buf, (size_t)(hit - buf));
	strbuf_adds(&text, to);
	strbuf_adds(&text, hit + strlen(from));
	assert_int_equal(write_file(path.buf, text.buf, text.len), 0);
	free(buf);
	strbuf_release(&path);
	strbuf_release(&text);
}

static void copy_site(void)
{
	struct strbuf cmd = STRBUF_INIT;

	strbuf_addf(&cmd, "cp -r templates content assets presetgen.yaml %s/", tmp);
	assert_int_equal(system(cmd.buf), 0);
	strbuf_release(&cmd);
}

static void a_snapshot_edit_renders_the_pages_that_showed_the_row(void **state)
{
	struct outputs a = { 0 }, b = { 0 }, whole = { 0 };
	struct site_changes ch;
	struct diag d;
	struct site *old, *now;
	size_t showed = 0;

	(void)state;
	copy_site();
	diag_init(&d);
	old = load_at(tmp, &d);
	assert_non_null(old);
	render_to(old, &a, false);
	edit(tmp, "content/data/preset.json", "\"title\": \"Golden hour portraits",
	     "\"title\": \"Blue hour portraits");
	now = load_at(tmp, &d);
	assert_non_null(now);
	site_diff(old, now, &ch);
	assert_true(ch.data);
	assert_false(ch.reload || ch.all_pages || ch.collections);
	assert_int_equal(ch.ntemplates + ch.nsources + ch.nassets_changed, 0);
	assert_int_equal(ch.nrows, 1);
	assert_true(!strncmp(ch.rows[0], "gigs/", 5));
	/* the gig's page and the listings that show it looked into the row */
	for (size_t i = 0; i < a.n; i++)
		for (size_t k = 0; k < a.m[i].nrows; k++)
			showed += !strcmp(a.m[i].rows[k], ch.rows[0]);
	assert_true(showed >= 2);
	b.old = &a;
	b.ch = &ch;
	site_keep_renders(now, old);
	render_to(now, &b, true);
	assert_true(b.wanted >= 2 && b.wanted < a.n / 4);
	/* those pages over the old others equal a whole render */
	render_to(now, &whole, false);
	assert_int_equal(whole.n, a.n);
	for (size_t i = 0; i < whole.n; i++) {
		const struct made *w = &whole.m[i], *got = made_find(&b, w->path);

		if (!got)
			got = made_find(&a, w->path);
		assert_non_null(got);
		if (got->len != w->len || memcmp(got->data, w->data, w->len))
			fail_msg("%s: the partial render differs from a whole one", w->path);
	}
	site_changes_release(&ch);
	site_free(old);
	site_free(now);
	diag_release(&d);
	outputs_release(&a);
	outputs_release(&b);
	outputs_release(&whole);
}

/* The site loaded again after the edits made since old, what site_diff
 * finds in ch; old is freed. */
static struct site *again(struct site *old, struct diag *d, struct site_changes *ch)
{
	struct site *now = load_at(tmp, d);

	assert_non_null(now);
	site_diff(old, now, ch);
	site_free(old);
	return now;
}

static void site_diff_finds_what_changed_on_disk(void **state)
{
	struct site_changes ch;
	struct diag d;
	struct site *s;

	(void)state;
	copy_site();
	diag_init(&d);
	s = load_at(tmp, &d);
	assert_non_null(s);
	edit(tmp, "templates/footer.mustache", "</footer>", "<!-- x --></footer>");
	edit(tmp, "content/about.md", "Preset started", "Preset (edited) started");
	edit(tmp, "assets/css/site.css", "body {", "body { color: inherit;");
	s = again(s, &d, &ch);
	assert_false(ch.reload || ch.all_pages);
	assert_int_equal(ch.ntemplates, 1);
	assert_string_equal(ch.templates[0], "footer");
	assert_int_equal(ch.nsources, 1);
	assert_string_equal(ch.sources[0], "content/about.md");
	assert_int_equal(ch.nassets_changed, 1);
	assert_string_equal(ch.assets_changed[0], "css/site.css");
	assert_int_equal(ch.nrows, 0);
	site_changes_release(&ch);
	/* site.title: a value pages show, not the site's structure */
	edit(tmp, "presetgen.yaml", "title: Preset\n", "title: Preset Preview\n");
	s = again(s, &d, &ch);
	assert_false(ch.reload || ch.all_pages);
	assert_int_equal(ch.site_keys, 1);
	site_changes_release(&ch);
	/* a comment: nothing */
	edit(tmp, "presetgen.yaml", "site:\n", "# a comment\nsite:\n");
	s = again(s, &d, &ch);
	assert_false(ch.reload || ch.all_pages);
	assert_int_equal(ch.site_keys + ch.ntemplates + ch.nsources + ch.nrows, 0);
	site_changes_release(&ch);
	/* anything else: every page */
	edit(tmp, "presetgen.yaml", "per_page: 12", "per_page: 7");
	s = again(s, &d, &ch);
	assert_true(ch.reload && ch.all_pages);
	site_changes_release(&ch);
	site_free(s);
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(two_builds_at_once_match_the_program, setup, teardown),
		cmocka_unit_test_setup_teardown(a_site_loaded_once_renders_alike_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(a_cancelled_build_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(a_snapshot_edit_renders_the_pages_that_showed_the_row,
						setup, teardown),
		cmocka_unit_test_setup_teardown(site_diff_finds_what_changed_on_disk, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
