/* jsonv: JSON text (read with jansson) to values. */
#ifndef PRESETGEN_JSONV_H
#define PRESETGEN_JSONV_H

#include <stddef.h>

struct arena;
struct diag;
struct value;
typedef struct json_t json_t;

/* Parses src as JSON. Returns NULL after reporting "path:line:col: error:". */
struct value *json_to_value(const char *path, const char *src, size_t len,
			    struct arena *a, struct diag *d);

/* Converts a jansson value. */
struct value *json_convert(const json_t *j, struct arena *a);
/* Parses JSON text without reporting; NULL if it does not parse. */
struct value *json_to_value_quiet(const char *src, size_t len, struct arena *a);

#endif
