#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "base/base.h"
#include "data/data.h"

static struct value *yaml(const char *src, struct arena *a, struct diag *d)
{
	struct ydoc *y = ydoc_load("t.yaml", src, strlen(src), 0, d);
	struct value *v = NULL;

	if (y) {
		v = ydoc_to_value(y, ydoc_root(y), a);
		ydoc_free(y);
	}
	return v;
}

static void scalars_resolve_like_yaml_1_2_core(void **state)
{
	struct arena a = ARENA_INIT;
	struct diag d;
	struct value *v;

	(void)state;
	diag_init(&d);
	v = yaml("n: ~\ne:\nt: true\nf: False\ni: -42\nr: 1.5\nx: 1e3\ninf: -.inf\n"
		 "s: '1'\nq: \"true\"\nw: yes\nd: 2026-03-14\nl: [a, 2]\n", &a, &d);
	assert_non_null(v);
	assert_int_equal(value_map_get(v, "n")->type, V_NULL);
	assert_int_equal(value_map_get(v, "e")->type, V_NULL);
	assert_true(value_map_get(v, "t")->u.b);
	assert_false(value_map_get(v, "f")->u.b);
	assert_int_equal(value_map_get(v, "i")->u.i, -42);
	assert_true(value_map_get(v, "r")->u.d == 1.5);
	assert_true(value_map_get(v, "x")->u.d == 1000.0);
	assert_true(isinf(value_map_get(v, "inf")->u.d));
	assert_int_equal(value_map_get(v, "s")->type, V_STRING);
	assert_int_equal(value_map_get(v, "q")->type, V_STRING);
	assert_string_equal(value_map_get(v, "w")->u.s, "yes");
	assert_string_equal(value_map_get(v, "d")->u.s, "2026-03-14");
	assert_int_equal(value_map_get(v, "l")->len, 2);
	arena_release(&a);
	diag_release(&d);
}

static void billion_laughs_is_stopped(void **state)
{
	struct arena a = ARENA_INIT;
	struct strbuf errs = STRBUF_INIT, src = STRBUF_INIT;
	struct diag d;

	(void)state;
	diag_init(&d);
	d.capture = &errs;
	strbuf_adds(&src, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (char c = 'b'; c <= 'i'; c++)
		strbuf_addf(&src, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n",
			    c, c, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	assert_null(yaml(src.buf, &a, &d));
	assert_non_null(strstr(errs.buf, "error: YAML expands to more than 1000000 nodes"));
	strbuf_release(&errs);
	strbuf_release(&src);
	arena_release(&a);
	diag_release(&d);
}

static void syntax_errors_have_positions(void **state)
{
	struct arena a = ARENA_INIT;
	struct strbuf errs = STRBUF_INIT;
	struct diag d;

	(void)state;
	diag_init(&d);
	d.capture = &errs;
	assert_null(yaml("a: 1\nb: [1, 2\n", &a, &d));
	assert_string_equal(errs.buf, "t.yaml:3:1: error: YAML: did not find expected ',' or ']' "
			    "while parsing a flow sequence\n");
	strbuf_reset(&errs);
	assert_null(json_to_value("t.json", "{\"a\": [1,\n 2,,]}", 16, &a, &d));
	assert_string_equal(errs.buf, "t.json:2:4: error: JSON: unexpected token near ','\n");
	assert_int_equal(d.errors, 2);
	assert_int_equal(diag_exit_code(&d), 1);
	strbuf_release(&errs);
	arena_release(&a);
	diag_release(&d);
}

static void json_values(void **state)
{
	struct arena a = ARENA_INIT;
	struct diag d;
	const char *src = "{\"s\": \"caf\\u00e9\", \"i\": 9007199254740993, \"r\": 0.1, \"n\": null,"
			  " \"l\": [true, false], \"m\": {}}";
	struct value *v;

	(void)state;
	diag_init(&d);
	v = json_to_value("t.json", src, strlen(src), &a, &d);
	assert_string_equal(value_map_get(v, "s")->u.s, "café");
	assert_int_equal(value_map_get(v, "i")->u.i, 9007199254740993LL);
	assert_true(value_map_get(v, "r")->u.d == 0.1);
	assert_int_equal(value_map_get(v, "n")->type, V_NULL);
	assert_true(value_map_get(v, "l")->u.items[0]->u.b);
	assert_int_equal(value_map_get(v, "m")->type, V_MAP);
	arena_release(&a);
	diag_release(&d);
}

static void diag_formats_and_counts(void **state)
{
	struct strbuf errs = STRBUF_INIT;
	struct diag d;

	(void)state;
	diag_init(&d);
	d.capture = &errs;
	diag_warning(&d, "f", 1, 2, "careful");
	diag_error(&d, "f", 3, 0, "no column");
	diag_error(&d, NULL, 0, 0, "no file");
	assert_string_equal(errs.buf, "f:1:2: warning: careful\nf:3: error: no column\n"
			    "presetgen: error: no file\n");
	assert_int_equal(diag_exit_code(&d), 1);
	diag_syserror(&d, "out", "disk full");
	assert_int_equal(diag_exit_code(&d), 3);
	d.quiet = true;
	strbuf_reset(&errs);
	diag_warning(&d, "f", 1, 1, "hidden");
	assert_string_equal(errs.buf, "");
	strbuf_release(&errs);
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scalars_resolve_like_yaml_1_2_core),
		cmocka_unit_test(billion_laughs_is_stopped),
		cmocka_unit_test(syntax_errors_have_positions),
		cmocka_unit_test(json_values),
		cmocka_unit_test(diag_formats_and_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
