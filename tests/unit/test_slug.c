/* Slugs: normalised and case-folded (utf8proc), Latin letters written as
 * ASCII (ICU's Latin-ASCII) under the ascii setting, every script kept under
 * unicode; and the one slug Vercel's cleanUrls would redirect. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "site/internal.h"

static const char *slug(struct slugger *s, const char *text)
{
	static struct strbuf sb = STRBUF_INIT;

	strbuf_reset(&sb);
	if (!slug_append(s, &sb, text, strlen(text)))
		return "(none)";
	return sb.buf;
}

static void ascii_as_people_write_it(void **state)
{
	struct slugger *s = slugger_new(SLUG_ASCII);

	(void)state;
	assert_non_null(s);
	assert_string_equal(slug(s, "Kraków"), "krakow");
	assert_string_equal(slug(s, "KRAKÓW"), "krakow");
	assert_string_equal(slug(s, "krakow"), "krakow");
	assert_string_equal(slug(s, "São Paulo"), "sao-paulo");
	assert_string_equal(slug(s, "Zürich"), "zurich");
	assert_string_equal(slug(s, "Ísafjörður"), "isafjordur");
	assert_string_equal(slug(s, "ísafjörður"), "isafjordur");
	assert_string_equal(slug(s, "Straße"), "strasse");
	assert_string_equal(slug(s, "Æbeltoft"), "aebeltoft");
	assert_string_equal(slug(s, "Łódź"), "lodz");
	assert_string_equal(slug(s, "Ærø"), "aero");
	assert_string_equal(slug(s, "Þingvellir"), "thingvellir");
	/* e + U+0301, decomposed, is é */
	assert_string_equal(slug(s, "Cafe\xcc\x81 Ole\xcc\x81"), "cafe-ole");
	/* no Latin letters at all: the Unicode form, not nothing */
	assert_string_equal(slug(s, "東京"), "東京");
	assert_string_equal(slug(s, "Москва"), "москва");
	assert_string_equal(slug(s, "Kraków 東京"), "krakow-東京");
	slugger_free(s);
}

static void unicode_keeps_every_script(void **state)
{
	struct slugger *s = slugger_new(SLUG_UNICODE);

	(void)state;
	assert_string_equal(slug(s, "Kraków"), "kraków");
	assert_string_equal(slug(s, "KRAKÓW"), "kraków");
	assert_string_equal(slug(s, "São Paulo"), "são-paulo");
	assert_string_equal(slug(s, "Ísafjörður"), "ísafjörður");
	/* composed and decomposed forms are one slug */
	assert_string_equal(slug(s, "I\xcc\x81safjo\xcc\x88r\xc3\xb0ur"), "ísafjörður");
	assert_string_equal(slug(s, "東京 タワー"), "東京-タワー");
	slugger_free(s);
}

static void separators_and_hostile_values(void **state)
{
	struct slugger *s = slugger_new(SLUG_ASCII);

	(void)state;
	assert_string_equal(slug(s, "../etc"), "etc");
	assert_string_equal(slug(s, "."), "(none)");
	assert_string_equal(slug(s, ".."), "(none)");
	assert_string_equal(slug(s, "<script>alert(1)</script>"), "script-alert-1-script");
	/* no-break space, zero-width space, an em dash: separators */
	assert_string_equal(slug(s, "a\xc2\xa0" "b\xe2\x80\x8b" "c\xe2\x80\x94" "d"), "a-b-c-d");
	assert_string_equal(slug(s, "INDEX.html"), "index-html");
	assert_string_equal(slug(s, "page"), "page");
	slugger_free(s);
}

static void index_gets_a_form_vercel_serves(void **state)
{
	struct slugger *s = slugger_new(SLUG_ASCII);
	struct strbuf sb = STRBUF_INIT, loc = STRBUF_INIT;
	bool renamed;

	(void)state;
	assert_true(url_segment(s, &sb, "Index", 5, &renamed));
	assert_true(renamed);
	assert_string_equal(sb.buf, "index-");
	strbuf_reset(&sb);
	assert_true(url_segment(s, &sb, "indexes", 7, &renamed));
	assert_false(renamed);
	/* the rules, as routing-utils writes them */
	assert_non_null(vercel_rule("/u/index/", &loc));
	assert_string_equal(loc.buf, "/u/");
	assert_non_null(vercel_rule("/u/a.html/", &loc));
	assert_string_equal(loc.buf, "/u/a/");
	assert_non_null(vercel_rule("/u/about", &loc));
	assert_string_equal(loc.buf, "/u/about/");
	assert_non_null(vercel_rule("/u/john.doe/", &loc));
	assert_string_equal(loc.buf, "/u/john.doe");
	assert_null(vercel_rule("/u/index-/", &loc));
	assert_null(vercel_rule("/u/page/", &loc));
	assert_null(vercel_rule("/u/a.b-c/", &loc));
	assert_null(vercel_rule("/assets/site.css", &loc));
	assert_null(vercel_rule("/.well-known/security", &loc));
	assert_null(vercel_rule("/", &loc));
	strbuf_release(&sb);
	strbuf_release(&loc);
	slugger_free(s);
}

static void slugs_cannot_escape(void **state)
{
	struct slugger *s = slugger_new(SLUG_ASCII), *u = slugger_new(SLUG_UNICODE);
	char longname[600];

	(void)state;
	assert_string_equal(slug(s, "How It Works"), "how-it-works");
	assert_string_equal(slug(s, "a/b"), "a-b");
	assert_string_equal(slug(s, "Derry/Londonderry"), "derry-londonderry");
	assert_string_equal(slug(s, "Dún Laoghaire"), "dun-laoghaire");
	assert_string_equal(slug(u, "Dún Laoghaire"), "dún-laoghaire");
	assert_string_equal(slug(s, "café_zoë"), "cafe_zoe");
	assert_string_equal(slug(u, "café_zoë"), "café_zoë");
	assert_string_equal(slug(s, "with\xe2\x80\xaespace"), "with-space");	/* U+202E */
	assert_string_equal(slug(s, ""), "(none)");
	assert_string_equal(slug(s, "%2e%2e%2f"), "2e-2e-2f");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(strlen(slug(s, longname)), 200);
	slugger_free(s);
	slugger_free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ascii_as_people_write_it),
		cmocka_unit_test(unicode_keeps_every_script),
		cmocka_unit_test(separators_and_hostile_values),
		cmocka_unit_test(slugs_cannot_escape),
		cmocka_unit_test(index_gets_a_form_vercel_serves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
