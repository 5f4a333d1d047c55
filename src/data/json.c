/* JSON text read with jansson into values. */
#include "data.h"

#include <jansson.h>

static struct value *json_convert(const json_t *j, struct arena *a)
{
	struct value *v;

	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *e;

		v = value_map(a, json_object_size(j));
		/* a jansson object's keys are distinct: no search per key */
		json_object_foreach((json_t *)j, key, e)
			value_map_add(a, v, arena_strdup(a, key), json_convert(e, a));
		return v;
	}
	case JSON_ARRAY: {
		size_t i;
		json_t *e;

		v = value_list(a, json_array_size(j));
		json_array_foreach(j, i, e)
			value_list_push(a, v, json_convert(e, a));
		return v;
	}
	case JSON_STRING:
		return value_strn(a, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return value_int(a, json_integer_value(j));
	case JSON_REAL:
		return value_real(a, json_real_value(j));
	case JSON_TRUE:
		return value_bool(a, true);
	case JSON_FALSE:
		return value_bool(a, false);
	case JSON_NULL:
	default:
		return value_null(a);
	}
}

struct value *json_to_value(const char *path, const char *src, size_t len,
			    struct arena *a, struct diag *d)
{
	json_error_t err;
	json_t *j = json_loadb(src, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
	struct value *v;

	if (!j) {
		diag_error(d, path, err.line > 0 ? (unsigned)err.line : 1,
			   err.column > 0 ? (unsigned)err.column : 1, "JSON: %s", err.text);
		return NULL;
	}
	v = json_convert(j, a);
	json_decref(j);
	return v;
}

struct value *json_to_value_quiet(const char *src, size_t len, struct arena *a)
{
	json_error_t err;
	json_t *j = json_loadb(src, len, JSON_DECODE_ANY, &err);
	struct value *v;

	if (!j)
		return NULL;
	v = json_convert(j, a);
	json_decref(j);
	return v;
}
