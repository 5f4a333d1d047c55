#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

static void empty_is_never_null(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_non_null(sb.buf);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.buf[0], '\0');
	strbuf_release(&sb);
	assert_non_null(sb.buf);
}

static void grows_and_stays_terminated(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	for (int i = 0; i < 10000; i++) {
		strbuf_addch(&sb, 'a' + i % 26);
		assert_int_equal(sb.buf[sb.len], '\0');
	}
	assert_int_equal(sb.len, 10000);
	assert_true(sb.alloc > sb.len);
	strbuf_addf(&sb, "%d-%s", 42, "x");
	assert_string_equal(sb.buf + 10000, "42-x");
	strbuf_reset(&sb);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void addf_longer_than_the_buffer(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char big[5000];

	(void)state;
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_adds(&sb, "start:");
	strbuf_addf(&sb, "%s|%s", big, big);
	assert_int_equal(sb.len, 6 + 2 * 4999 + 1);
	assert_int_equal(sb.buf[6 + 4999], '|');
	strbuf_release(&sb);
}

static void detach_hands_over(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	char *p;

	(void)state;
	p = strbuf_detach(&sb, &len);
	assert_string_equal(p, "");
	free(p);
	strbuf_adds(&sb, "hello");
	p = strbuf_detach(&sb, &len);
	assert_int_equal(len, 5);
	assert_string_equal(p, "hello");
	assert_int_equal(sb.len, 0);
	assert_non_null(sb.buf);
	free(p);
}

static void arena_keeps_alignment_and_big_blocks(void **state)
{
	struct arena a = ARENA_INIT;
	char *big;

	(void)state;
	for (int i = 0; i < 1000; i++) {
		void *p = arena_alloc(&a, (size_t)(i % 37) + 1);

		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
	}
	big = arena_alloc(&a, 1 << 20);
	memset(big, 1, 1 << 20);
	assert_string_equal(arena_printf(&a, "%s=%d", "n", 7), "n=7");
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	arena_release(&a);
	assert_null(a.head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_is_never_null),
		cmocka_unit_test(grows_and_stays_terminated),
		cmocka_unit_test(addf_longer_than_the_buffer),
		cmocka_unit_test(detach_hands_over),
		cmocka_unit_test(arena_keeps_alignment_and_big_blocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
