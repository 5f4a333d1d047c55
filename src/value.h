/* value: the data model templates see (null, bool, integer, real, decimal,
 * string, list, map).
 *
 * Ownership: every value and every string in it lives in the arena it was
 * made from, and is freed with that arena, never one at a time. Values are
 * read-only once built, so threads may share them. */
#ifndef PRESETGEN_VALUE_H
#define PRESETGEN_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct strbuf;

enum vtype {
	V_NULL,
	V_BOOL,
	V_INT,
	V_REAL,
	V_DECIMAL,	/* a database numeric, kept as written ("50.00") */
	V_STRING,
	V_LIST,
	V_MAP,
	V_TIME,		/* an instant: u.i microseconds, shown in a time zone */
};

struct vpair;

struct value {
	enum vtype type;
	uint32_t len;		/* string bytes, list items, map pairs */
	uint32_t alloc;		/* list and map capacity; V_TIME: the zone */
	union {
		bool b;
		int64_t i;
		double d;
		const char *s;	/* V_STRING, V_DECIMAL: NUL-terminated */
		struct value **items;
		struct vpair *pairs;
	} u;
};

struct vpair {
	const char *key;
	struct value *val;
};

extern const struct value value_null_const;

struct value *value_null(struct arena *a);
struct value *value_bool(struct arena *a, bool b);
struct value *value_int(struct arena *a, int64_t i);
struct value *value_real(struct arena *a, double d);
struct value *value_decimal(struct arena *a, const char *s);
/* Copies s into the arena. */
struct value *value_strn(struct arena *a, const char *s, size_t len);
struct value *value_str(struct arena *a, const char *s);
/* Does not copy s: it must live as long as the arena. */
struct value *value_str_nocopy(struct arena *a, const char *s, size_t len);
struct value *value_list(struct arena *a, size_t hint);
struct value *value_map(struct arena *a, size_t hint);

void value_list_push(struct arena *a, struct value *list, struct value *v);
/* Sets key (which must live as long as the arena) to v, replacing any
 * earlier value of that key. */
void value_map_set(struct arena *a, struct value *map, const char *key,
		   struct value *v);
/* Adds key, which the caller knows map does not hold yet. */
void value_map_add(struct arena *a, struct value *map, const char *key, struct value *v);
/* Like value_map_set, but copies key into the arena. */
void value_map_setk(struct arena *a, struct value *map, const char *key,
		    struct value *v);
/* NULL when key is absent or map is not a map. */
const struct value *value_map_get(const struct value *map, const char *key);
const struct value *value_map_getn(const struct value *map, const char *key,
				   size_t keylen);

struct tz;
struct value *value_time(struct arena *a, int64_t us, const struct tz *z);
/* A part of a V_TIME made on demand in arena a: "iso" (2026-03-14T10:00:00+00:00,
 * also what {{t}} prints), "human" (Sat 14 Mar 2026, 10:00), "date"
 * (14 Mar 2026), "short" (Mar 14), "time" (10:00), "day" (Sat), "utc"
 * (2026-03-14T10:00:00Z). NULL for any other name. */
const struct value *value_time_part(struct arena *a, const struct value *t,
				    const char *name, size_t len);
/* A child of v: a map's key, a list's index ("0"), or a time's part
 * (made in scratch). */
const struct value *value_child(struct arena *scratch, const struct value *v,
				const char *key);

/* Sections: false, null, "", 0 and [] are false; everything else true. */
bool value_truthy(const struct value *v);
/* Appends the text of a scalar (integers as integers, reals in their
 * shortest round-trip form, decimals as written, booleans as true/false,
 * null as nothing). Lists and maps append nothing. */
void value_to_text(struct strbuf *out, const struct value *v);

#endif
