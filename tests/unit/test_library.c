/* The build as a library: the default site built twice in one process, from
 * two threads at once, gives the same bytes in both outputs as
 * `presetgen build` does; a site loaded once renders twice alike; a
 * cancelled build leaves nothing behind. Run from the repository's root
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(two_builds_at_once_match_the_program, setup, teardown),
		cmocka_unit_test_setup_teardown(a_site_loaded_once_renders_alike_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(a_cancelled_build_leaves_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
