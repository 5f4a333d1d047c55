#include "data.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct value value_null_const = { V_NULL, 0, 0, { 0 } };

static struct value *mk(struct arena *a, enum vtype t)
{
	struct value *v = arena_alloc(a, sizeof(*v));

	v->type = t;
	v->len = 0;
	v->alloc = 0;
	v->u.i = 0;
	return v;
}

/* Values are read-only once made, so null, true and false are shared. */
static const struct value v_null = { V_NULL, 0, 0, { 0 } };
static const struct value v_true = { V_BOOL, 0, 0, { .b = true } };
static const struct value v_false = { V_BOOL, 0, 0, { .b = false } };

struct value *value_null(struct arena *a)
{
	(void)a;
	return (struct value *)&v_null;
}

struct value *value_bool(struct arena *a, bool b)
{
	(void)a;
	return (struct value *)(b ? &v_true : &v_false);
}

struct value *value_int(struct arena *a, int64_t i)
{
	struct value *v = mk(a, V_INT);

	v->u.i = i;
	return v;
}

struct value *value_real(struct arena *a, double d)
{
	struct value *v = mk(a, V_REAL);

	v->u.d = d;
	return v;
}

struct value *value_decimal(struct arena *a, const char *s)
{
	struct value *v = mk(a, V_DECIMAL);

	v->u.s = arena_strdup(a, s);
	v->len = (uint32_t)strlen(s);
	return v;
}

struct value *value_str_nocopy(struct arena *a, const char *s, size_t len)
{
	struct value *v = mk(a, V_STRING);

	if (len > UINT32_MAX)
		oom("string of %zu bytes is too long", len);
	v->u.s = s;
	v->len = (uint32_t)len;
	return v;
}

struct value *value_strn(struct arena *a, const char *s, size_t len)
{
	return value_str_nocopy(a, arena_strndup(a, s, len), len);
}

struct value *value_str(struct arena *a, const char *s)
{
	return value_strn(a, s, strlen(s));
}

struct value *value_list(struct arena *a, size_t hint)
{
	struct value *v = mk(a, V_LIST);

	if (hint) {
		v->u.items = arena_alloc(a, st_mult(hint, sizeof(*v->u.items)));
		v->alloc = (uint32_t)hint;
	}
	return v;
}

struct value *value_map(struct arena *a, size_t hint)
{
	struct value *v = mk(a, V_MAP);

	if (hint) {
		v->u.pairs = arena_alloc(a, st_mult(hint, sizeof(*v->u.pairs)));
		v->alloc = (uint32_t)hint;
	}
	return v;
}

/* Arena arrays cannot be realloc'd: copy into a bigger block. */
static void *grow(struct arena *a, void *old, uint32_t *alloc, uint32_t len,
		  size_t size)
{
	uint32_t n = *alloc ? *alloc * 2 : 4;
	void *p;

	if (n <= *alloc)
		oom("collection too large");
	p = arena_alloc(a, st_mult(n, size));
	if (len)
		memcpy(p, old, st_mult(len, size));
	*alloc = n;
	return p;
}

void value_list_push(struct arena *a, struct value *list, struct value *v)
{
	if (list->len == list->alloc)
		list->u.items = grow(a, list->u.items, &list->alloc, list->len,
				     sizeof(*list->u.items));
	list->u.items[list->len++] = v;
}

void value_map_set(struct arena *a, struct value *map, const char *key,
		   struct value *v)
{
	for (uint32_t i = 0; i < map->len; i++) {
		const char *k = map->u.pairs[i].key;

		if (k[0] == key[0] && !strcmp(k, key)) {
			map->u.pairs[i].val = v;
			return;
		}
	}
	value_map_add(a, map, key, v);
}

void value_map_add(struct arena *a, struct value *map, const char *key, struct value *v)
{
	if (map->len == map->alloc)
		map->u.pairs = grow(a, map->u.pairs, &map->alloc, map->len,
				    sizeof(*map->u.pairs));
	map->u.pairs[map->len].key = key;
	map->u.pairs[map->len].val = v;
	map->len++;
}

void value_map_setk(struct arena *a, struct value *map, const char *key,
		    struct value *v)
{
	value_map_set(a, map, arena_strdup(a, key), v);
}

const struct value *value_map_getn(const struct value *map, const char *key,
				   size_t keylen)
{
	if (!map || map->type != V_MAP)
		return NULL;
	for (uint32_t i = 0; i < map->len; i++) {
		const char *k = map->u.pairs[i].key;

		/* the first byte settles most misses without a call */
		if (k[0] == key[0] && !strncmp(k, key, keylen) && k[keylen] == '\0')
			return map->u.pairs[i].val;
	}
	return NULL;
}

const struct value *value_map_get(const struct value *map, const char *key)
{
	return value_map_getn(map, key, strlen(key));
}

static bool decimal_is_zero(const char *s)
{
	for (; *s; s++) {
		if (*s >= '1' && *s <= '9')
			return false;
		if (*s == 'e' || *s == 'E')
			break;
	}
	return true;
}

bool value_truthy(const struct value *v)
{
	if (!v)
		return false;
	switch (v->type) {
	case V_NULL: return false;
	case V_BOOL: return v->u.b;
	case V_INT: return v->u.i != 0;
	case V_REAL: return v->u.d != 0.0 && !isnan(v->u.d);
	case V_DECIMAL: return !decimal_is_zero(v->u.s);
	case V_STRING: return v->len != 0;
	case V_LIST: return v->len != 0;
	case V_MAP: return true;
	case V_TIME: return true;
	}
	return false;
}

/* The shortest "%.*g" that reads back as the same double. snprintf is
 * locale-dependent, but presetgen never calls setlocale, so it runs in "C"
 * (only the decimal point could differ, and C has '.'). */
void real_to_text(struct strbuf *out, double d)
{
	char buf[40];

	if (isnan(d)) {
		strbuf_adds(out, "NaN");
		return;
	}
	if (isinf(d)) {
		strbuf_adds(out, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (d == floor(d) && fabs(d) < 1e15) {
		snprintf(buf, sizeof(buf), "%.0f", d);
		strbuf_adds(out, !strcmp(buf, "-0") ? "0" : buf);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	strbuf_adds(out, buf);
}

void value_to_text(struct strbuf *out, const struct value *v)
{
	if (!v)
		return;
	switch (v->type) {
	case V_NULL:
	case V_LIST:
	case V_MAP:
		break;
	case V_BOOL:
		strbuf_adds(out, v->u.b ? "true" : "false");
		break;
	case V_INT: {
		/* by hand: this runs for every number on every page */
		char buf[24], *e = buf + sizeof(buf), *p = e;
		uint64_t u = v->u.i < 0 ? -(uint64_t)v->u.i : (uint64_t)v->u.i;

		do
			*--p = (char)('0' + u % 10);
		while (u /= 10);
		if (v->u.i < 0)
			*--p = '-';
		strbuf_add(out, p, (size_t)(e - p));
		break;
	}
	case V_REAL:
		real_to_text(out, v->u.d);
		break;
	case V_DECIMAL:
	case V_STRING:
		strbuf_add(out, v->u.s, v->len);
		break;
	case V_TIME: {
		struct tm_local t;
		char buf[40];

		ts_local(v->u.i, tz_by_index(v->alloc), &t);
		ts_iso(buf, sizeof(buf), &t);
		strbuf_adds(out, buf);
		break;
	}
	}
}

struct value *value_time(struct arena *a, int64_t us, const struct tz *z)
{
	struct value *v = mk(a, V_TIME);

	v->u.i = us;
	v->alloc = tz_index(z);
	return v;
}

const struct value *value_time_part(struct arena *a, const struct value *v,
				    const char *name, size_t len)
{
	struct tm_local t;
	char buf[48];

#define IS(s) (len == sizeof(s) - 1 && !memcmp(name, s, len))
	ts_local(v->u.i, tz_by_index(v->alloc), &t);
	if (IS("iso"))
		ts_iso(buf, sizeof(buf), &t);
	else if (IS("human"))
		ts_human(buf, sizeof(buf), &t);
	else if (IS("date"))
		ts_date(buf, sizeof(buf), &t);
	else if (IS("short"))
		ts_short(buf, sizeof(buf), &t);
	else if (IS("time"))
		ts_clock(buf, sizeof(buf), &t);
	else if (IS("day"))
		snprintf(buf, sizeof(buf), "%s", tz_day_abbr[t.wday]);
	else if (IS("utc"))
		ts_rfc3339_utc(buf, sizeof(buf), v->u.i);
	else
		return NULL;
#undef IS
	return value_str(a, buf);
}

const struct value *value_child(struct arena *scratch, const struct value *v,
				const char *key)
{
	if (v && v->type == V_TIME)
		return value_time_part(scratch, v, key, strlen(key));
	if (v && v->type == V_LIST && *key >= '0' && *key <= '9') {
		/* list.0: an item by its index, as mustache.js allows */
		char *end;
		unsigned long i = strtoul(key, &end, 10);

		return !*end && i < v->len ? v->u.items[i] : NULL;
	}
	return value_map_get(v, key);
}
