/* jsonv: JSON text (read with jansson) to values. */
#ifndef PRESETGEN_JSONV_H
#define PRESETGEN_JSONV_H

#include <stddef.h>

struct arena;
struct diag;
struct value;

/* Parses src as JSON. Returns NULL after reporting "path:line:col: error:". */
struct value *json_to_value(const char *path, const char *src, size_t len,
			    struct arena *a, struct diag *d);

#endif
