/* The string map: keys not copied, the first value kept, growth past the
 * size asked for, and lookups that tolerate NULL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

static void puts_and_gets(void **state)
{
	struct strmap *m = strmap_new(2);
	size_t v;

	(void)state;
	v = 7;
	assert_true(strmap_put(m, "dublin", &v));
	v = 8;
	assert_true(strmap_put(m, "cork", &v));
	assert_true(strmap_get(m, "dublin", &v));
	assert_int_equal(v, 7);
	assert_true(strmap_get(m, "cork", &v));
	assert_int_equal(v, 8);
	assert_false(strmap_get(m, "galway", &v));
	assert_false(strmap_get(m, "", &v));
	assert_int_equal(strmap_count(m), 2);
	strmap_free(m);
}

static void a_second_put_keeps_the_first(void **state)
{
	struct strmap *m = strmap_new(0);
	size_t v = 1;

	(void)state;
	assert_true(strmap_put(m, "k", &v));
	v = 2;
	assert_false(strmap_put(m, "k", &v));
	assert_int_equal(v, 1);	/* the first one's value comes back */
	assert_true(strmap_get(m, "k", &v));
	assert_int_equal(v, 1);
	assert_int_equal(strmap_count(m), 1);
	strmap_free(m);
}

static void grows_to_many_keys(void **state)
{
	enum { N = 100000 };
	char (*keys)[16] = malloc(N * sizeof(*keys));
	struct strmap *m = strmap_new(4);
	size_t v;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		snprintf(keys[i], sizeof(keys[i]), "key-%zu", i);
		v = i;
		assert_true(strmap_put(m, keys[i], &v));
	}
	assert_int_equal(strmap_count(m), N);
	for (size_t i = 0; i < N; i += 997) {
		assert_true(strmap_get(m, keys[i], &v));
		assert_int_equal(v, i);
	}
	assert_false(strmap_get(m, "key-100000", &v));
	strmap_free(m);
	free(keys);
}

static void null_is_empty(void **state)
{
	size_t v;

	(void)state;
	assert_false(strmap_get(NULL, "x", &v));
	assert_int_equal(strmap_count(NULL), 0);
	strmap_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(puts_and_gets),
		cmocka_unit_test(a_second_put_keeps_the_first),
		cmocka_unit_test(grows_to_many_keys),
		cmocka_unit_test(null_is_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
