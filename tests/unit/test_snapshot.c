#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "data/data.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/presetgen-snap-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return remove_tree(dir);
}

static const char *put(const char *name, const char *text)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(write_file(path, text, strlen(text)), 0);
	return path;
}

static const char *cols[] = { "id", "note", "tags" };
static const struct snapshot_need need = { "t", cols, 3 };

static void csv_quirks(void **state)
{
	struct snapshot s;
	struct arena a = ARENA_INIT;
	struct diag d;
	const struct table *t;

	(void)state;
	diag_init(&d);
	snapshot_init(&s);
	put("t.csv", "tags,id,other,note\r\n"
		     "\"{a,\"\"b c\"\"}\",1,x,\"two\r\nlines, \"\"quoted\"\"\"\r\n"
		     ",2,,\"\"\n");
	assert_int_equal(snapshot_load(&s, AT_FDCWD, dir, &need, 1, &a, &d), 0);
	t = snapshot_table(&s, "t");
	assert_non_null(t);
	assert_int_equal(t->nrows, 2);
	assert_string_equal(table_cell(t, 0, 0)->s, "1");
	assert_string_equal(table_cell(t, 0, 1)->s, "two\r\nlines, \"quoted\"");
	assert_string_equal(table_cell(t, 0, 2)->s, "{a,\"b c\"}");
	assert_true((table_cell(t, 1, 2)->s == NULL));		/* empty unquoted: NULL */
	assert_false((table_cell(t, 1, 1)->s == NULL));	/* "": the empty string */
	assert_string_equal(table_cell(t, 1, 1)->s, "");
	snapshot_release(&s);
	arena_release(&a);
	diag_release(&d);
}

static void copy_escapes(void **state)
{
	struct snapshot s;
	struct arena a = ARENA_INIT;
	struct diag d;
	const struct table *t;
	const char *path;

	(void)state;
	diag_init(&d);
	snapshot_init(&s);
	path = put("d.sql", "\\restrict abc\nSET x = 1;\n"
			    "COPY public.other (a) FROM stdin;\nskipped\n\\.\n"
			    "COPY public.t (id, note, tags) FROM stdin;\n"
			    "1\ttab\\there\\nnew\\\\slash \\\\N\t\\N\n"
			    "2\t\\101\\x42\t{}\n"
			    "\\.\n\\unrestrict abc\n");
	assert_int_equal(snapshot_load(&s, AT_FDCWD, path, &need, 1, &a, &d), 0);
	t = snapshot_table(&s, "t");
	assert_int_equal(t->nrows, 2);
	assert_string_equal(table_cell(t, 0, 1)->s, "tab\there\nnew\\slash \\N");
	assert_true((table_cell(t, 0, 2)->s == NULL));
	assert_string_equal(table_cell(t, 1, 1)->s, "AB");
	assert_null(snapshot_table(&s, "other"));
	snapshot_release(&s);
	arena_release(&a);
	diag_release(&d);
}

static void errors_have_places(void **state)
{
	struct snapshot s;
	struct arena a = ARENA_INIT;
	struct strbuf errs = STRBUF_INIT;
	struct diag d;
	const char *path;

	(void)state;
	diag_init(&d);
	d.capture = &errs;
	snapshot_init(&s);
	path = put("e.sql", "COPY public.t (id, note) FROM stdin;\n1\tx\n");
	assert_int_equal(snapshot_load(&s, AT_FDCWD, path, &need, 1, &a, &d), -1);
	assert_non_null(strstr(errs.buf, ":1:1: error: table 't' has no column 'tags'"));
	assert_non_null(strstr(errs.buf, ":1:1: error: COPY block of 't' does not end with a '\\.' line"));
	snapshot_release(&s);
	snapshot_init(&s);
	strbuf_reset(&errs);
	path = put("j.json", "{\"t\": [{\"id\": 1, \"note\": null}]}");
	assert_int_equal(snapshot_load(&s, AT_FDCWD, path, &need, 1, &a, &d), -1);
	assert_non_null(strstr(errs.buf, "error: table 't', row 1: no column 'tags', which presetgen.yaml names"));
	snapshot_release(&s);
	strbuf_release(&errs);
	arena_release(&a);
	diag_release(&d);
}

struct collect {
	char buf[256];
};

static void add(void *ud, const char *e, size_t n)
{
	struct collect *c = ud;
	size_t l = strlen(c->buf);

	snprintf(c->buf + l, sizeof(c->buf) - l, "[%.*s]", e ? (int)n : 4, e ? e : "NULL");
}

static void pg_arrays(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct collect c;
	const char *s = "{cinematic,\"golden hour\",\"y2k \\\"vibes\\\"\",NULL,\"NULL\",\"a,b\"}";

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_true(pg_array_parse(s, strlen(s), add, &c, &sb));
	assert_string_equal(c.buf, "[cinematic][golden hour][y2k \"vibes\"][NULL][NULL][a,b]");
	memset(&c, 0, sizeof(c));
	assert_true(pg_array_parse("{}", 2, add, &c, &sb));
	assert_string_equal(c.buf, "");
	assert_false(pg_array_parse("{a,{b}}", 7, add, &c, &sb));
	assert_false(pg_array_parse("{\"open}", 7, add, &c, &sb));
	assert_false(pg_array_parse("a,b", 3, add, &c, &sb));
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(csv_quirks, setup, teardown),
		cmocka_unit_test_setup_teardown(copy_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(errors_have_places, setup, teardown),
		cmocka_unit_test(pg_arrays),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
