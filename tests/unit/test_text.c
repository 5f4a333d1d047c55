#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/base.h"

static void utf8_validation(void **state)
{
	(void)state;
	assert_int_equal(utf8_invalid_at("plain", 5), 5);
	assert_int_equal(utf8_invalid_at("Dún Łódź Αθήνα 👩‍🎤", strlen("Dún Łódź Αθήνα 👩‍🎤")),
			 strlen("Dún Łódź Αθήνα 👩‍🎤"));
	assert_int_equal(utf8_invalid_at("ab\xff", 3), 2);
	assert_int_equal(utf8_invalid_at("caf\xe9!", 5), 3);		/* Latin-1 */
	assert_int_equal(utf8_invalid_at("\xc0\xaf", 2), 0);		/* overlong '/' */
	assert_int_equal(utf8_invalid_at("\xed\xa0\x80", 3), 0);	/* surrogate */
	assert_int_equal(utf8_invalid_at("x\xe2\x82", 3), 1);		/* cut short */
	assert_int_equal(utf8_invalid_at("\xf4\x90\x80\x80", 4), 0);	/* > U+10FFFF */
	/* the eight-byte ASCII path: a bad byte at every offset of long runs,
	 * and a valid sequence right after one */
	for (size_t at = 0; at < 40; at++) {
		char buf[64];

		memset(buf, 'a', sizeof(buf));
		buf[at] = (char)0xff;
		assert_int_equal(utf8_invalid_at(buf, sizeof(buf)), at);
		memcpy(buf + at, "\xc3\xa9", 2);
		buf[at + 2] = 'a';
		assert_int_equal(utf8_invalid_at(buf, sizeof(buf)), sizeof(buf));
		assert_int_equal(utf8_invalid_at(buf, at + 1), at);	/* cut short at the end */
	}
}

static void positions_count_characters(void **state)
{
	const char *s = "ab\ncdé\nf";
	struct linemap lm;
	unsigned l, c;

	(void)state;
	linemap_init(&lm, s, strlen(s));
	linemap_pos(&lm, 0, &l, &c);
	assert_int_equal(l, 1);
	assert_int_equal(c, 1);
	linemap_pos(&lm, 3, &l, &c);
	assert_int_equal(l, 2);
	assert_int_equal(c, 1);
	linemap_pos(&lm, 7, &l, &c);	/* after the two-byte é */
	assert_int_equal(l, 2);
	assert_int_equal(c, 4);
	linemap_pos(&lm, 5, &l, &c);	/* backwards on the same line */
	assert_int_equal(l, 2);
	assert_int_equal(c, 3);
	linemap_pos(&lm, 9, &l, &c);	/* the last line */
	assert_int_equal(l, 3);
	assert_int_equal(c, 2);
	linemap_pos(&lm, 99, &l, &c);	/* past the end: the end */
	assert_int_equal(l, 3);
	assert_int_equal(c, 2);
	linemap_release(&lm);
}

static void escaping(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = "<script>alert('x') & \"y\"</script>";

	(void)state;
	html_escape(&sb, s, strlen(s));
	assert_string_equal(sb.buf,
			    "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_validation),
		cmocka_unit_test(positions_count_characters),
		cmocka_unit_test(escaping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
