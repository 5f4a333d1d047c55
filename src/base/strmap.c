#include "base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct strmap {
	size_t cap, n;
	const char **keys;
	size_t *vals;
};

/* Eight bytes a step, each mixed by a multiply and a shift: keys are
 * paths of 50 bytes and more (serve looks up 13,000 of them per rebuild),
 * where FNV-1a's byte a step was the cost. Nothing depends on the order
 * of the table, so the function is free to change. */
static uint64_t hash(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 29);
}

uint64_t fnv1a(const void *p, size_t n, uint64_t h)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

struct strmap *strmap_new(size_t n)
{
	struct strmap *m = xcalloc(1, sizeof(*m));

	m->cap = 16;
	while (m->cap < n * 2)
		m->cap *= 2;
	m->keys = xcalloc(m->cap, sizeof(*m->keys));
	m->vals = xcalloc(m->cap, sizeof(*m->vals));
	return m;
}

void strmap_free(struct strmap *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->vals);
	free(m);
}

static void grow(struct strmap *m)
{
	struct strmap big = { m->cap * 2, 0, NULL, NULL };

	big.keys = xcalloc(big.cap, sizeof(*big.keys));
	big.vals = xcalloc(big.cap, sizeof(*big.vals));
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			size_t k = hash(m->keys[i]) & (big.cap - 1);

			while (big.keys[k])
				k = (k + 1) & (big.cap - 1);
			big.keys[k] = m->keys[i];
			big.vals[k] = m->vals[i];
		}
	free(m->keys);
	free(m->vals);
	m->keys = big.keys;
	m->vals = big.vals;
	m->cap = big.cap;
}

bool strmap_put(struct strmap *m, const char *key, size_t *val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	i = hash(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], key)) {
			*val = m->vals[i];
			return false;
		}
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = key;
	m->vals[i] = *val;
	m->n++;
	return true;
}

bool strmap_get(const struct strmap *m, const char *key, size_t *val)
{
	size_t i;

	if (!m || !key)
		return false;
	i = hash(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (!strcmp(m->keys[i], key)) {
			*val = m->vals[i];
			return true;
		}
		i = (i + 1) & (m->cap - 1);
	}
	return false;
}

size_t strmap_count(const struct strmap *m)
{
	return m ? m->n : 0;
}
