/* tz: timestamps and the site's time zone, independent of the machine's
 * locale and TZ. Zones follow their current rules (EU summer time for the
 * European zones): enough for dates since 1996, which is all Preset has. */
#ifndef PRESETGEN_TZ_H
#define PRESETGEN_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tz;

/* NULL if the zone is not one presetgen knows. */
const struct tz *tz_find(const char *name);
/* A small number for a zone, and back (for values that store one). */
unsigned tz_index(const struct tz *z);
const struct tz *tz_by_index(unsigned i);
/* The names tz_find knows, comma-separated, for messages. */
const char *tz_names(void);

/* Parses PostgreSQL's timestamptz text forms: "2025-10-10T16:54:52.13818+00:00",
 * "2025-10-10 16:54:52.13818+00", "...Z". Sets *us to microseconds since the
 * epoch. Returns false if s is not such a timestamp. */
bool ts_parse(const char *s, size_t len, int64_t *us);
/* "YYYY-MM-DD": sets *days since the epoch. */
bool date_parse(const char *s, size_t len, int64_t *days);

/* The parts of a timestamp in a zone. */
struct tm_local {
	int year, month, day, hour, min, sec, wday;	/* month 1-12, wday 0 = Sunday */
	int offset;					/* seconds east of UTC */
};
void ts_local(int64_t us, const struct tz *z, struct tm_local *out);
/* "2026-03-14T10:00:00+00:00" */
void ts_iso(char *buf, size_t n, const struct tm_local *t);
/* "Sat 14 Mar 2026, 10:00" */
void ts_human(char *buf, size_t n, const struct tm_local *t);
/* "14 Mar 2026" */
void ts_date(char *buf, size_t n, const struct tm_local *t);
/* "Mar 14" */
void ts_short(char *buf, size_t n, const struct tm_local *t);
/* "10:00" */
void ts_clock(char *buf, size_t n, const struct tm_local *t);
/* "2026-03-14T09:00:00Z" (UTC, for feeds) */
void ts_rfc3339_utc(char *buf, size_t n, int64_t us);

extern const char *const tz_month_abbr[12];
extern const char *const tz_day_abbr[7];

#endif
