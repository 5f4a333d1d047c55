#include "base.h"

#include <stdio.h>
#include <string.h>

enum rule { RULE_NONE, RULE_EU };

struct tz {
	const char *name;
	int std;	/* standard offset, seconds east of UTC */
	enum rule rule;	/* summer time adds an hour */
};

static const struct tz zones[] = {
	{ "UTC", 0, RULE_NONE },
	{ "Etc/UTC", 0, RULE_NONE },
	{ "Europe/Dublin", 0, RULE_EU },
	{ "Europe/London", 0, RULE_EU },
	{ "Europe/Lisbon", 0, RULE_EU },
	{ "Atlantic/Canary", 0, RULE_EU },
	{ "Europe/Amsterdam", 3600, RULE_EU },
	{ "Europe/Berlin", 3600, RULE_EU },
	{ "Europe/Brussels", 3600, RULE_EU },
	{ "Europe/Copenhagen", 3600, RULE_EU },
	{ "Europe/Madrid", 3600, RULE_EU },
	{ "Europe/Milan", 3600, RULE_EU },
	{ "Europe/Oslo", 3600, RULE_EU },
	{ "Europe/Paris", 3600, RULE_EU },
	{ "Europe/Prague", 3600, RULE_EU },
	{ "Europe/Rome", 3600, RULE_EU },
	{ "Europe/Stockholm", 3600, RULE_EU },
	{ "Europe/Vienna", 3600, RULE_EU },
	{ "Europe/Warsaw", 3600, RULE_EU },
	{ "Europe/Zurich", 3600, RULE_EU },
	{ "Europe/Athens", 7200, RULE_EU },
	{ "Europe/Helsinki", 7200, RULE_EU },
};

const char *const tz_month_abbr[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
const char *const tz_day_abbr[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

const struct tz *tz_find(const char *name)
{
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (!strcmp(zones[i].name, name))
			return &zones[i];
	return NULL;
}

unsigned tz_index(const struct tz *z)
{
	return z ? (unsigned)(z - zones) : 0;
}

const struct tz *tz_by_index(unsigned i)
{
	return i < sizeof(zones) / sizeof(zones[0]) ? &zones[i] : &zones[0];
}

const char *tz_names(void)
{
	return "UTC, Europe/Dublin, Europe/London, Europe/Lisbon, Atlantic/Canary, "
	       "Europe/Amsterdam, Europe/Berlin, Europe/Brussels, Europe/Copenhagen, "
	       "Europe/Madrid, Europe/Milan, Europe/Oslo, Europe/Paris, Europe/Prague, "
	       "Europe/Rome, Europe/Stockholm, Europe/Vienna, Europe/Warsaw, Europe/Zurich, "
	       "Europe/Athens, Europe/Helsinki";
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* The last Sunday of a month, as days since the epoch. */
static int64_t last_sunday(int y, int m)
{
	int64_t d = days_from_civil(y, m, days_in_month(y, m));
	int wday = (int)(((d % 7) + 11) % 7);	/* 1970-01-01 was a Thursday */

	return d - wday;
}

static int offset_at(const struct tz *z, int64_t sec)
{
	int y, m, d;
	int64_t start, end;

	if (z->rule == RULE_NONE)
		return z->std;
	civil_from_days(sec >= 0 ? sec / 86400 : (sec - 86399) / 86400, &y, &m, &d);
	/* EU: summer time from 01:00 UTC on the last Sunday of March to
	 * 01:00 UTC on the last Sunday of October */
	start = last_sunday(y, 3) * 86400 + 3600;
	end = last_sunday(y, 10) * 86400 + 3600;
	return z->std + (sec >= start && sec < end ? 3600 : 0);
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

bool date_parse(const char *s, size_t len, int64_t *days)
{
	int y, m, d;

	if (len != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2))
		return false;
	y = num(s, 4);
	m = num(s + 5, 2);
	d = num(s + 8, 2);
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	*days = days_from_civil(y, m, d);
	return true;
}

bool ts_parse(const char *s, size_t len, int64_t *us)
{
	int64_t days, frac = 0, sec;
	int hh, mm, ss, scale = 100000, off = 0;
	size_t i;

	if (len < 19 || !date_parse(s, 10, &days) || (s[10] != 'T' && s[10] != ' ') ||
	    !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' ||
	    !digits(s + 17, 2))
		return false;
	hh = num(s + 11, 2);
	mm = num(s + 14, 2);
	ss = num(s + 17, 2);
	if (hh > 23 || mm > 59 || ss > 59)
		return false;
	i = 19;
	if (i < len && s[i] == '.') {
		size_t start = ++i;

		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (scale) {
				frac += (s[i] - '0') * scale;
				scale /= 10;
			}
			i++;
		}
		if (i == start)
			return false;
	}
	if (i < len && s[i] == 'Z') {
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1;

		i++;
		if (i + 2 > len || !digits(s + i, 2))
			return false;
		off = num(s + i, 2) * 3600;
		i += 2;
		if (i < len && s[i] == ':')
			i++;
		if (i + 2 <= len && digits(s + i, 2)) {
			off += num(s + i, 2) * 60;
			i += 2;
			if (i < len && s[i] == ':') {
				if (i + 3 > len || !digits(s + i + 1, 2))
					return false;
				off += num(s + i + 1, 2);
				i += 3;
			}
		}
		off *= sign;
	} else {
		return false;	/* a timestamptz always says its offset */
	}
	if (i != len)
		return false;
	sec = days * 86400 + hh * 3600 + mm * 60 + ss - off;
	*us = sec * 1000000 + frac;
	return true;
}

void ts_local(int64_t us, const struct tz *z, struct tm_local *t)
{
	int64_t sec = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
	int64_t local, days, rem;

	t->offset = offset_at(z, sec);
	local = sec + t->offset;
	days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	rem = local - days * 86400;
	civil_from_days(days, &t->year, &t->month, &t->day);
	t->hour = (int)(rem / 3600);
	t->min = (int)(rem % 3600 / 60);
	t->sec = (int)(rem % 60);
	t->wday = (int)(((days % 7) + 11) % 7);
}

/* Small writers instead of snprintf: these run for every date on every
 * page. Each returns the end of what it wrote. */
static char *put2(char *p, int v)
{
	*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

static char *put4(char *p, int v)
{
	p = put2(p, v / 100);
	return put2(p, v % 100);
}

static char *putn(char *p, int v)
{
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

static char *puts3(char *p, const char *s)
{
	*p++ = s[0];
	*p++ = s[1];
	*p++ = s[2];
	return p;
}

/* Every buffer passed here is at least 32 bytes (the callers' are 40 or 48). */
void ts_iso(char *buf, size_t n, const struct tm_local *t)
{
	int off = t->offset < 0 ? -t->offset : t->offset;
	char *p = buf;

	(void)n;
	p = put4(p, t->year);
	*p++ = '-';
	p = put2(p, t->month);
	*p++ = '-';
	p = put2(p, t->day);
	*p++ = 'T';
	p = put2(p, t->hour);
	*p++ = ':';
	p = put2(p, t->min);
	*p++ = ':';
	p = put2(p, t->sec);
	*p++ = t->offset < 0 ? '-' : '+';
	p = put2(p, off / 3600);
	*p++ = ':';
	p = put2(p, off % 3600 / 60);
	*p = '\0';
}

void ts_human(char *buf, size_t n, const struct tm_local *t)
{
	char *p = buf;

	(void)n;
	p = puts3(p, tz_day_abbr[t->wday]);
	*p++ = ' ';
	p = putn(p, t->day);
	*p++ = ' ';
	p = puts3(p, tz_month_abbr[t->month - 1]);
	*p++ = ' ';
	p = put4(p, t->year);
	*p++ = ',';
	*p++ = ' ';
	p = put2(p, t->hour);
	*p++ = ':';
	p = put2(p, t->min);
	*p = '\0';
}

void ts_date(char *buf, size_t n, const struct tm_local *t)
{
	char *p = buf;

	(void)n;
	p = putn(p, t->day);
	*p++ = ' ';
	p = puts3(p, tz_month_abbr[t->month - 1]);
	*p++ = ' ';
	p = put4(p, t->year);
	*p = '\0';
}

void ts_short(char *buf, size_t n, const struct tm_local *t)
{
	char *p = buf;

	(void)n;
	p = puts3(p, tz_month_abbr[t->month - 1]);
	*p++ = ' ';
	p = putn(p, t->day);
	*p = '\0';
}

void ts_clock(char *buf, size_t n, const struct tm_local *t)
{
	char *p = buf;

	(void)n;
	p = put2(p, t->hour);
	*p++ = ':';
	p = put2(p, t->min);
	*p = '\0';
}

void ts_rfc3339_utc(char *buf, size_t n, int64_t us)
{
	static const struct tz utc = { "UTC", 0, RULE_NONE };
	struct tm_local t;

	ts_local(us, &utc, &t);
	ts_iso(buf, n, &t);
	/* "+00:00" -> "Z" */
	buf[19] = 'Z';
	buf[20] = '\0';
}
