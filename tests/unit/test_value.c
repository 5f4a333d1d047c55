#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/base.h"
#include "data/data.h"

static const char *text(struct strbuf *sb, const struct value *v)
{
	strbuf_reset(sb);
	value_to_text(sb, v);
	return sb->buf;
}

static void numbers_print_as_the_spec_says(void **state)
{
	struct arena a = ARENA_INIT;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_string_equal(text(&sb, value_int(&a, 85)), "85");
	assert_string_equal(text(&sb, value_int(&a, -9007199254740993LL)), "-9007199254740993");
	assert_string_equal(text(&sb, value_real(&a, 1.5)), "1.5");
	assert_string_equal(text(&sb, value_real(&a, 0.1)), "0.1");
	assert_string_equal(text(&sb, value_real(&a, 1.210)), "1.21");
	assert_string_equal(text(&sb, value_real(&a, 3.0)), "3");
	assert_string_equal(text(&sb, value_real(&a, -0.0)), "0");
	assert_string_equal(text(&sb, value_real(&a, 1e300)), "1e+300");
	assert_string_equal(text(&sb, value_real(&a, 2.0 / 3.0)), "0.6666666666666666");
	assert_string_equal(text(&sb, value_decimal(&a, "50.00")), "50.00");
	assert_string_equal(text(&sb, value_bool(&a, true)), "true");
	assert_string_equal(text(&sb, value_bool(&a, false)), "false");
	assert_string_equal(text(&sb, value_null(&a)), "");
	strbuf_release(&sb);
	arena_release(&a);
}

static void truthiness(void **state)
{
	struct arena a = ARENA_INIT;
	struct value *list = value_list(&a, 0);

	(void)state;
	assert_false(value_truthy(NULL));
	assert_false(value_truthy(value_null(&a)));
	assert_false(value_truthy(value_bool(&a, false)));
	assert_false(value_truthy(value_int(&a, 0)));
	assert_false(value_truthy(value_real(&a, 0.0)));
	assert_false(value_truthy(value_decimal(&a, "0.00")));
	assert_false(value_truthy(value_str(&a, "")));
	assert_false(value_truthy(list));
	assert_true(value_truthy(value_map(&a, 0)));
	assert_true(value_truthy(value_str(&a, "0")));
	assert_true(value_truthy(value_decimal(&a, "0.01")));
	value_list_push(&a, list, value_null(&a));
	assert_true(value_truthy(list));
	arena_release(&a);
}

static void maps_replace_and_grow(void **state)
{
	struct arena a = ARENA_INIT;
	struct value *m = value_map(&a, 0);
	char key[16];

	(void)state;
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		value_map_setk(&a, m, key, value_int(&a, i));
	}
	value_map_set(&a, m, "k5", value_str(&a, "five"));
	assert_int_equal(m->len, 100);
	assert_string_equal(value_map_get(m, "k5")->u.s, "five");
	assert_int_equal(value_map_get(m, "k99")->u.i, 99);
	assert_null(value_map_get(m, "k100"));
	assert_ptr_equal(value_map_getn(m, "k55", 2), value_map_get(m, "k5"));
	assert_null(value_map_get(value_str(&a, "x"), "k1"));
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_print_as_the_spec_says),
		cmocka_unit_test(truthiness),
		cmocka_unit_test(maps_replace_and_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
