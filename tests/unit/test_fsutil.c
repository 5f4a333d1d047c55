#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/presetgen-fs-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return remove_tree(dir);
}

static const char *at(const char *rel)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, rel);
	return buf;
}

static void atomic_write_replaces(void **state)
{
	char *buf;
	size_t len;

	(void)state;
	assert_int_equal(write_file_atomic(at("f"), "one", 3), 0);
	assert_int_equal(write_file_atomic(at("f"), "second", 6), 0);
	assert_int_equal(read_file(at("f"), &buf, &len), 0);
	assert_int_equal(len, 6);
	assert_string_equal(buf, "second");
	free(buf);
	assert_int_equal(read_file(at("missing"), &buf, &len), -1);
	assert_int_equal(errno, ENOENT);
}

static void lists_sorted_skipping_hidden(void **state)
{
	char **files;
	long n;

	(void)state;
	assert_int_equal(mkdirs(at("t/b/c")), 0);
	write_file(at("t/z.md"), "", 0);
	write_file(at("t/a.md"), "", 0);
	write_file(at("t/b/c/d.md"), "", 0);
	write_file(at("t/b/x.txt"), "", 0);
	write_file(at("t/.hidden.md"), "", 0);
	n = list_files(at("t"), ".md", &files);
	assert_int_equal(n, 3);
	assert_string_equal(files[0], "a.md");
	assert_string_equal(files[1], "b/c/d.md");
	assert_string_equal(files[2], "z.md");
	free_list(files, n);
	assert_int_equal(list_files(at("nope"), NULL, &files), -1);
}

static void staging_swaps_or_leaves_alone(void **state)
{
	struct staging st;
	struct strbuf p = STRBUF_INIT;
	char *buf;
	size_t len;

	(void)state;
	assert_int_equal(mkdirs(at("out")), 0);
	write_file(at("out/old.html"), "old", 3);
	/* abort: the old output stays, the staging directory goes */
	assert_int_equal(staging_begin(&st, at("out")), 0);
	strbuf_addf(&p, "%s/new.html", st.tmp);
	write_file(p.buf, "new", 3);
	staging_abort(&st);
	assert_int_equal(read_file(at("out/old.html"), &buf, &len), 0);
	free(buf);
	assert_false(path_exists(at("out/new.html")));
	/* commit: one swap */
	assert_int_equal(staging_begin(&st, at("out/")), 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/new.html", st.tmp);
	write_file(p.buf, "new", 3);
	assert_int_equal(staging_commit(&st), 0);
	assert_true(path_exists(at("out/new.html")));
	assert_false(path_exists(at("out/old.html")));
	/* nothing left beside it */
	{
		char **files;
		long n = list_files(dir, NULL, &files);

		assert_int_equal(n, 1);
		assert_string_equal(files[0], "out/new.html");
		free_list(files, n);
	}
	/* an output path under a file cannot be staged */
	write_file(at("file"), "x", 1);
	assert_int_equal(staging_begin(&st, at("file/out")), -1);
	assert_int_equal(errno, ENOTDIR);
	strbuf_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(atomic_write_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(lists_sorted_skipping_hidden, setup, teardown),
		cmocka_unit_test_setup_teardown(staging_swaps_or_leaves_alone, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
