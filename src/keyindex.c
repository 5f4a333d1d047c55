#include "keyindex.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct keyindex {
	size_t cap, n;
	const char **keys;
	size_t *rows;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

struct keyindex *index_new(size_t n)
{
	struct keyindex *ix = xcalloc(1, sizeof(*ix));

	ix->cap = 16;
	while (ix->cap < n * 2)
		ix->cap *= 2;
	ix->keys = xcalloc(ix->cap, sizeof(*ix->keys));
	ix->rows = xcalloc(ix->cap, sizeof(*ix->rows));
	return ix;
}

void index_free(struct keyindex *ix)
{
	if (!ix)
		return;
	free(ix->keys);
	free(ix->rows);
	free(ix);
}

static void grow(struct keyindex *ix)
{
	struct keyindex big = { ix->cap * 2, 0, NULL, NULL };

	big.keys = xcalloc(big.cap, sizeof(*big.keys));
	big.rows = xcalloc(big.cap, sizeof(*big.rows));
	for (size_t i = 0; i < ix->cap; i++)
		if (ix->keys[i]) {
			size_t k = hash(ix->keys[i]) & (big.cap - 1);

			while (big.keys[k])
				k = (k + 1) & (big.cap - 1);
			big.keys[k] = ix->keys[i];
			big.rows[k] = ix->rows[i];
		}
	free(ix->keys);
	free(ix->rows);
	ix->keys = big.keys;
	ix->rows = big.rows;
	ix->cap = big.cap;
}

bool index_put(struct keyindex *ix, const char *key, size_t *row)
{
	size_t i;

	if ((ix->n + 1) * 2 > ix->cap)
		grow(ix);
	i = hash(key) & (ix->cap - 1);
	while (ix->keys[i]) {
		if (!strcmp(ix->keys[i], key)) {
			*row = ix->rows[i];
			return false;
		}
		i = (i + 1) & (ix->cap - 1);
	}
	ix->keys[i] = key;
	ix->rows[i] = *row;
	ix->n++;
	return true;
}

bool index_get(const struct keyindex *ix, const char *key, size_t *row)
{
	size_t i;

	if (!ix || !key)
		return false;
	i = hash(key) & (ix->cap - 1);
	while (ix->keys[i]) {
		if (!strcmp(ix->keys[i], key)) {
			*row = ix->rows[i];
			return true;
		}
		i = (i + 1) & (ix->cap - 1);
	}
	return false;
}
