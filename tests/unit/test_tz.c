#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/base.h"

static const char *fmt(const char *ts, const char *zone, void (*f)(char *, size_t, const struct tm_local *))
{
	static char buf[64];
	struct tm_local t;
	int64_t us;

	if (!ts_parse(ts, strlen(ts), &us))
		return "(bad)";
	ts_local(us, tz_find(zone), &t);
	f(buf, sizeof(buf), &t);
	return buf;
}

static void parses_postgres_forms(void **state)
{
	int64_t a, b, c;

	(void)state;
	assert_true(ts_parse("2025-10-10T16:54:52.13818+00:00", 31, &a));
	assert_true(ts_parse("2025-10-10 16:54:52.13818+00", 28, &b));
	assert_int_equal(a, b);
	assert_int_equal(a % 1000000, 138180);
	assert_true(ts_parse("2025-10-10 17:54:52.13818+01", 28, &c));
	assert_int_equal(a, c);
	assert_true(ts_parse("2025-10-10 22:24:52.13818+05:30", 31, &c));
	assert_int_equal(a, c);
	assert_true(ts_parse("1970-01-01T00:00:00Z", 20, &c));
	assert_int_equal(c, 0);
	assert_false(ts_parse("2025-10-10 16:54:52", 19, &c));	/* no offset */
	assert_false(ts_parse("2025-02-30 10:00:00+00", 22, &c));
	assert_false(ts_parse("14/03/2026 10:00", 16, &c));
	assert_false(ts_parse("2025-10-10 16:54:52+00junk", 26, &c));
}

static void dublin_summer_time(void **state)
{
	(void)state;
	/* EU rule: 01:00 UTC on the last Sunday of March and of October */
	assert_string_equal(fmt("2026-03-29 00:59:59+00", "Europe/Dublin", ts_iso), "2026-03-29T00:59:59+00:00");
	assert_string_equal(fmt("2026-03-29 01:00:00+00", "Europe/Dublin", ts_iso), "2026-03-29T02:00:00+01:00");
	assert_string_equal(fmt("2026-10-25 00:59:59+00", "Europe/Dublin", ts_iso), "2026-10-25T01:59:59+01:00");
	assert_string_equal(fmt("2026-10-25 01:00:00+00", "Europe/Dublin", ts_iso), "2026-10-25T01:00:00+00:00");
	assert_string_equal(fmt("2026-03-14 10:00:00+00", "Europe/Dublin", ts_human), "Sat 14 Mar 2026, 10:00");
	assert_string_equal(fmt("2026-07-01 17:30:00+00", "Europe/Dublin", ts_human), "Wed 1 Jul 2026, 18:30");
	assert_string_equal(fmt("2026-07-01 17:30:00+00", "Europe/Berlin", ts_iso), "2026-07-01T19:30:00+02:00");
	assert_string_equal(fmt("2026-12-31 23:30:00+00", "Europe/Athens", ts_date), "1 Jan 2027");
	assert_string_equal(fmt("2026-03-14 10:00:00+00", "UTC", ts_short), "Mar 14");
	assert_null(tz_find("America/New_York"));
	assert_non_null(strstr(tz_names(), "Europe/Dublin"));
}

static void dates(void **state)
{
	int64_t d;

	(void)state;
	assert_true(date_parse("1970-01-02", 10, &d));
	assert_int_equal(d, 1);
	assert_true(date_parse("2024-02-29", 10, &d));
	assert_false(date_parse("2023-02-29", 10, &d));
	assert_false(date_parse("2023-2-9", 8, &d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_postgres_forms),
		cmocka_unit_test(dublin_summer_time),
		cmocka_unit_test(dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
