/* Rows as presetgen serve tracks them. Which collection row a value is,
 * so that a render can record the rows each page looked into; and a
 * fingerprint of each row's own content, in which another row counts by
 * its identity only: rows link to each other both ways (belongs_to and
 * has_many), so their values form a graph, not a tree. After a snapshot
 * edit, the pages that looked into a row whose fingerprint changed, or
 * whose own data changed (a listing's window of rows), render again. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct row_ref {
	const struct value *v;
	const char *id;			/* "collection/key" */
	uint64_t hash;			/* the row's own content */
};

/* Rows by the address of their value: an open-addressing table, since a
 * render asks of every map a lookup passes through. */
static size_t slot_of(const struct site *s, const struct value *v)
{
	return (size_t)((((uintptr_t)v >> 4) * 0x9E3779B97F4A7C15ULL) >> (64 - s->row_bits));
}

static const struct row_ref *find(const struct site *s, const struct value *v)
{
	size_t mask;

	if (!v || v->type != V_MAP || !s->nrows)
		return NULL;
	mask = ((size_t)1 << s->row_bits) - 1;
	for (size_t i = slot_of(s, v);; i = (i + 1) & mask) {
		uint32_t k = s->row_slots[i];

		if (k == UINT32_MAX)
			return NULL;
		if (s->rows[k].v == v)
			return &s->rows[k];
	}
}

static uint64_t hash_str(const char *p, uint64_t h)
{
	return p ? fnv1a(p, strlen(p) + 1, h) : fnv1a("\xff", 1, h);
}

/* v's content; a row inside it (not v itself when top) by its identity. */
static uint64_t hash_value(const struct site *s, const struct value *v, uint64_t h, int depth,
			   bool top)
{
	const struct row_ref *ref = top ? NULL : find(s, v);
	unsigned char head[9];

	if (!v)
		return fnv1a("-", 1, h);
	if (ref)
		return hash_str(ref->id, fnv1a("@", 1, h));
	/* but for rows, values are trees: past this depth only a cycle goes */
	if (depth > 64)
		return fnv1a("^", 1, h);
	head[0] = (unsigned char)v->type;
	memcpy(head + 1, &v->len, 4);
	memcpy(head + 5, &v->alloc, 4);	/* a time's zone */
	h = fnv1a(head, v->type == V_TIME ? 9 : 5, h);
	switch (v->type) {
	case V_NULL:
		break;
	case V_BOOL:
		h = fnv1a(&v->u.b, 1, h);
		break;
	case V_INT:
	case V_TIME:
		h = fnv1a(&v->u.i, sizeof(v->u.i), h);
		break;
	case V_REAL:
		h = fnv1a(&v->u.d, sizeof(v->u.d), h);
		break;
	case V_DECIMAL:
	case V_STRING:
		h = fnv1a(v->u.s, v->len, h);
		break;
	case V_LIST:
		for (uint32_t i = 0; i < v->len; i++)
			h = hash_value(s, v->u.items[i], h, depth + 1, false);
		break;
	case V_MAP:
		for (uint32_t i = 0; i < v->len; i++) {
			h = hash_str(v->u.pairs[i].key, h);
			h = hash_value(s, v->u.pairs[i].val, h, depth + 1, false);
		}
		break;
	}
	return h;
}

void rows_prepare(struct site *s)
{
	size_t n = 0;

	if (s->rows_ready)
		return;
	for (size_t c = 0; c < s->ncolls; c++)
		n += s->colls[c].nrows;
	s->rows = xcalloc(n + 1, sizeof(*s->rows));
	for (size_t c = 0; c < s->ncolls; c++)
		for (size_t i = 0; i < s->colls[c].nrows; i++) {
			const struct crow *cr = &s->colls[c].rows[i];

			s->rows[s->nrows].v = cr->v;
			s->rows[s->nrows++].id = arena_printf(&s->arena, "%s/%s",
							       s->colls[c].cfg->name, cr->key);
		}
	s->row_bits = 4;
	while (((size_t)1 << s->row_bits) < 2 * s->nrows + 2)
		s->row_bits++;
	s->row_slots = xmalloc(((size_t)1 << s->row_bits) * sizeof(*s->row_slots));
	memset(s->row_slots, 0xff, ((size_t)1 << s->row_bits) * sizeof(*s->row_slots));
	for (size_t i = 0; i < s->nrows; i++) {
		size_t k = slot_of(s, s->rows[i].v), mask = ((size_t)1 << s->row_bits) - 1;

		while (s->row_slots[k] != UINT32_MAX)
			k = (k + 1) & mask;
		s->row_slots[k] = (uint32_t)i;
	}
	for (size_t i = 0; i < s->nrows; i++)
		s->rows[i].hash = hash_value(s, s->rows[i].v, FNV_START, 0, true);
	s->rows_ready = true;
}

void rows_release(struct site *s)
{
	free(s->rows);
	free(s->row_slots);
	s->rows = NULL;
	s->row_slots = NULL;
	s->nrows = 0;
	s->rows_ready = false;
}

const char *rows_id(const struct site *s, const struct value *v)
{
	const struct row_ref *ref = find(s, v);

	return ref ? ref->id : NULL;
}

uint64_t rows_page_data(const struct site *s, const struct job *j)
{
	uint64_t h = fnv1a("page", 4, FNV_START);

	if (j->row) {
		const struct row_ref *ref = find(s, j->row->v);

		h = hash_str(j->row->title, h);
		h = hash_str(j->row->description, h);
		h = hash_str(j->row->url, h);
		h = ref ? fnv1a(&ref->hash, sizeof(ref->hash), h) : hash_value(s, j->row->v, h, 0, true);
	} else if (j->lp) {
		const struct listing_page *lp = j->lp;
		long nums[4] = { lp->p, lp->pages, lp->per, (long)lp->n };
		size_t start = (size_t)(lp->p - 1) * (size_t)lp->per;

		h = fnv1a(nums, sizeof(nums), h);
		h = hash_str(lp->base, h);
		h = hash_str(lp->title, h);
		h = hash_value(s, lp->group, h, 0, false);
		/* the window listing_context shows, row by row */
		for (size_t i = start; i < lp->n && i < start + (size_t)lp->per; i++)
			h = hash_value(s, lp->items[i], h, 0, false);
	}
	return h;
}

uint64_t site_collections_fingerprint(const struct site *s)
{
	return hash_value(s, s->colls_v, FNV_START, 0, true);
}

static int by_id(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

size_t site_rows_changed(struct site *old, struct site *now, char ***ids)
{
	struct strmap *m;
	size_t n = 0;

	rows_prepare(old);
	rows_prepare(now);
	*ids = xcalloc(old->nrows + 1, sizeof(**ids));
	m = strmap_new(now->nrows);
	for (size_t i = 0; i < now->nrows; i++) {
		size_t k = i;

		strmap_put(m, now->rows[i].id, &k);
	}
	/* a row new to the snapshot is in no page yet: the listings it joins
	 * changed their own data */
	for (size_t i = 0; i < old->nrows; i++) {
		size_t k;

		if (!strmap_get(m, old->rows[i].id, &k) || now->rows[k].hash != old->rows[i].hash)
			(*ids)[n++] = xstrdup(old->rows[i].id);
	}
	strmap_free(m);
	qsort(*ids, n, sizeof(**ids), by_id);
	return n;
}
