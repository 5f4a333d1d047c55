/* Generations: every file of one build of the site, in memory, with the
 * routing and header rules of its vercel.json. A request takes a
 * reference to the generation it is answered from, so a rebuild never
 * changes what a request in flight sees, and a generation is freed when
 * the last request on it ends. Bytes are shared between generations:
 * a rebuild that renders ten pages copies the pointers to the rest. */
#include "internal.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct blob *blob_new(const char *data, size_t len)
{
	struct blob *b = xcalloc(1, sizeof(*b));

	atomic_init(&b->refs, 1);
	b->data = xmalloc(len + 1);
	memcpy(b->data, data, len);
	b->data[len] = 0;
	b->len = len;
	pthread_mutex_init(&b->lock, NULL);
	return b;
}

void blob_ref(struct blob *b)
{
	atomic_fetch_add(&b->refs, 1);
}

void blob_unref(struct blob *b)
{
	if (!b || atomic_fetch_sub(&b->refs, 1) != 1)
		return;
	pthread_mutex_destroy(&b->lock);
	free(b->data);
	free(b->gz);
	free(b);
}

const char *blob_etag(struct blob *b)
{
	pthread_mutex_lock(&b->lock);
	if (!b->etag[0]) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned n;

		if (!EVP_Digest(b->data, b->len, md, &n, EVP_sha256(), NULL))
			oom("cannot compute a digest");
		snprintf(b->etag, sizeof(b->etag), "\"%02x%02x%02x%02x%02x%02x%02x%02x\"", md[0],
			 md[1], md[2], md[3], md[4], md[5], md[6], md[7]);
	}
	pthread_mutex_unlock(&b->lock);
	return b->etag;
}

const char *blob_gz(struct blob *b, size_t *len)
{
	pthread_mutex_lock(&b->lock);
	if (!b->gz_tried) {
		z_stream z;
		uLong cap = deflateBound(NULL, b->len) + 32;

		b->gz_tried = true;
		memset(&z, 0, sizeof(z));
		b->gz = xmalloc(cap);
		if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			oom("cannot start zlib");
		z.next_in = (Bytef *)b->data;
		z.avail_in = (uInt)b->len;
		z.next_out = (Bytef *)b->gz;
		z.avail_out = (uInt)cap;
		if (deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < b->len) {
			b->gzlen = z.total_out;
		} else {
			free(b->gz);
			b->gz = NULL;
		}
		deflateEnd(&z);
	}
	pthread_mutex_unlock(&b->lock);
	*len = b->gzlen;
	return b->gz;
}

struct gen *gen_new(void)
{
	struct gen *g = xcalloc(1, sizeof(*g));

	atomic_init(&g->refs, 1);
	return g;
}

static uint32_t *copy_ids(const uint32_t *ids, size_t n)
{
	uint32_t *c = n ? xmalloc(n * sizeof(*c)) : NULL;

	if (n)
		memcpy(c, ids, n * sizeof(*c));
	return c;
}

void gen_add(struct gen *g, const char *path, struct blob *b, bool page,
	     const struct page_deps *d)
{
	struct entry *e;

	ALLOC_GROW(g->e, g->n + 1, g->alloc);
	e = &g->e[g->n++];
	memset(e, 0, sizeof(*e));
	e->b = b;
	e->page = page;
	if (!d) {
		e->path = xstrdup(path);
		return;
	}
	e->rec = xcalloc(1, sizeof(*e->rec));
	atomic_init(&e->rec->refs, 1);
	e->rec->path = xstrdup(path);
	e->path = e->rec->path;
	e->rec->deps = *d;
	e->rec->deps.tpls = copy_ids(d->tpls, d->ntpls);
	e->rec->deps.assets = copy_ids(d->assets, d->nassets);
	e->rec->deps.rows = copy_ids(d->rows, d->nrows);
}

void gen_keep(struct gen *g, const struct entry *from)
{
	struct entry *e;

	ALLOC_GROW(g->e, g->n + 1, g->alloc);
	e = &g->e[g->n++];
	*e = *from;
	blob_ref(e->b);
	if (e->rec)
		atomic_fetch_add(&e->rec->refs, 1);
	else
		e->path = xstrdup(from->path);
}

static void entry_release(struct entry *e)
{
	blob_unref(e->b);
	if (!e->rec) {
		free((char *)e->path);
	} else if (atomic_fetch_sub(&e->rec->refs, 1) == 1) {
		free(e->rec->path);
		free(e->rec->deps.tpls);
		free(e->rec->deps.assets);
		free(e->rec->deps.rows);
		free(e->rec);
	}
}

uint32_t names_id(struct names *ns, const char *name)
{
	size_t id = ns->n;

	if (!ns->map)
		ns->map = strmap_new(64);
	if (strmap_get(ns->map, name, &id))
		return (uint32_t)id;
	ALLOC_GROW(ns->name, ns->n + 1, ns->alloc);
	ns->name[ns->n] = xstrdup(name);
	strmap_put(ns->map, ns->name[ns->n], &id);
	return (uint32_t)ns->n++;
}

uint32_t names_find(const struct names *ns, const char *name)
{
	size_t id;

	return strmap_get(ns->map, name, &id) ? (uint32_t)id : UINT32_MAX;
}

void names_release(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->name[i]);
	free(ns->name);
	strmap_free(ns->map);
	memset(ns, 0, sizeof(*ns));
}

static int by_path(const void *x, const void *y)
{
	return strcmp(((const struct entry *)x)->path, ((const struct entry *)y)->path);
}

static const struct entry *gen_find_in(const struct gen *g, size_t n, const char *path)
{
	struct entry key = { .path = (char *)path };

	return bsearch(&key, g->e, n, sizeof(*g->e), by_path);
}

const struct entry *gen_find(const struct gen *g, const char *path)
{
	size_t i;

	if (!g)
		return NULL;
	if (g->index)
		return strmap_get(g->index, path, &i) ? &g->e[i] : NULL;
	return gen_find_in(g, g->n, path);
}

/* A path-to-regexp source as presetgen writes them ("/(.*)",
 * "/assets/(.*)\\.([0-9a-f]{16})\\.(.*)", "/feed.xml") as an anchored
 * POSIX regular expression: groups are regular expressions, a backslash
 * escapes the next character, everything else is itself. */
static void *source_regex(const char *src)
{
	struct strbuf re = STRBUF_INIT;
	regex_t *rx = xmalloc(sizeof(*rx));
	int depth = 0;

	strbuf_addch(&re, '^');
	for (const char *p = src; *p; p++) {
		if (depth) {
			if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
			strbuf_addch(&re, *p);
		} else if (*p == '(') {
			depth = 1;
			strbuf_addch(&re, '(');
		} else if (*p == '\\' && p[1]) {
			strbuf_addch(&re, '\\');
			strbuf_addch(&re, *++p);
		} else {
			if (strchr(".[]{}()*+?^$|\\", *p))
				strbuf_addch(&re, '\\');
			strbuf_addch(&re, *p);
		}
	}
	strbuf_addch(&re, '$');
	if (regcomp(rx, re.buf, REG_EXTENDED | REG_NOSUB)) {
		free(rx);
		rx = NULL;
	}
	strbuf_release(&re);
	return rx;
}

static int read_rules(struct gen *g, const struct entry *vj, struct diag *d)
{
	json_error_t err;
	json_t *root = json_loadb(vj->b->data, vj->b->len, 0, &err), *rd, *hr, *v;
	size_t i, size = 0;
	char *p;

	if (!root)
		return diag_error(d, "vercel.json", (unsigned)err.line, (unsigned)err.column,
				  "%s", err.text);
	rd = json_object_get(root, "redirects");
	hr = json_object_get(root, "headers");
	json_array_foreach(rd, i, v)
		size += strlen(json_string_value(json_object_get(v, "source")) ?: "") +
			strlen(json_string_value(json_object_get(v, "destination")) ?: "") + 2;
	g->strings = p = xmalloc(size + 1);
	g->rd = xcalloc(json_array_size(rd) + 1, sizeof(*g->rd));
	json_array_foreach(rd, i, v) {
		const char *from = json_string_value(json_object_get(v, "source")) ?: "";
		const char *to = json_string_value(json_object_get(v, "destination")) ?: "";

		g->rd[i].from = strcpy(p, from);
		p += strlen(from) + 1;
		g->rd[i].to = strcpy(p, to);
		p += strlen(to) + 1;
		g->rd[i].permanent = json_is_true(json_object_get(v, "permanent"));
	}
	g->nrd = json_array_size(rd);
	g->hr = xcalloc(json_array_size(hr) + 1, sizeof(*g->hr));
	json_array_foreach(hr, i, v) {
		struct header_rule *h = &g->hr[g->nhr];
		json_t *hs = json_object_get(v, "headers"), *kv;
		size_t k;

		h->source = xstrdup(json_string_value(json_object_get(v, "source")) ?: "");
		h->re = source_regex(h->source);
		h->keys = xcalloc(json_array_size(hs) + 1, sizeof(*h->keys));
		h->values = xcalloc(json_array_size(hs) + 1, sizeof(*h->values));
		json_array_foreach(hs, k, kv) {
			h->keys[h->n] = xstrdup(json_string_value(json_object_get(kv, "key")) ?: "");
			h->values[h->n++] = xstrdup(json_string_value(json_object_get(kv, "value")) ?: "");
		}
		g->nhr++;
	}
	json_decref(root);
	return 0;
}

void gen_finish_sort(struct gen *g)
{
	qsort(g->e, g->n, sizeof(*g->e), by_path);
}

/* Sorted, and an index by path. A partial render appends the pages it
 * kept, in the old generation's order, after the files it made (sorted):
 * two sorted runs, merged in one pass. */
int gen_finish(struct gen *g, struct diag *d)
{
	const struct entry *vj;
	size_t run = 1;

	while (run < g->n && strcmp(g->e[run - 1].path, g->e[run].path) < 0)
		run++;
	if (run < g->n) {
		size_t k = run + 1;

		while (k < g->n && strcmp(g->e[k - 1].path, g->e[k].path) < 0)
			k++;
		if (k == g->n) {
			struct entry *out = xmalloc((g->n + 1) * sizeof(*out));
			size_t i = 0, j = run, n = 0;

			while (i < run || j < g->n)
				out[n++] = j == g->n || (i < run && strcmp(g->e[i].path,
									  g->e[j].path) < 0)
					   ? g->e[i++] : g->e[j++];
			free(g->e);
			g->e = out;
			g->alloc = g->n + 1;
		} else {
			qsort(g->e, g->n, sizeof(*g->e), by_path);
		}
	}
	g->index = strmap_new(g->n);
	for (size_t i = 0; i < g->n; i++) {
		size_t k = i;

		strmap_put(g->index, g->e[i].path, &k);
	}
	vj = gen_find(g, "vercel.json");
	if (!vj)
		return diag_error(d, NULL, 0, 0, "the build made no vercel.json");
	return read_rules(g, vj, d);
}

void gen_ref(struct gen *g)
{
	atomic_fetch_add(&g->refs, 1);
}

void gen_unref(struct gen *g)
{
	if (!g || atomic_fetch_sub(&g->refs, 1) != 1)
		return;
	for (size_t i = 0; i < g->n; i++)
		entry_release(&g->e[i]);
	strmap_free(g->index);
	for (size_t i = 0; i < g->nhr; i++) {
		struct header_rule *h = &g->hr[i];

		for (size_t k = 0; k < h->n; k++) {
			free(h->keys[k]);
			free(h->values[k]);
		}
		free(h->keys);
		free(h->values);
		free(h->source);
		if (h->re)
			regfree(h->re);
		free(h->re);
	}
	free(g->hr);
	free(g->rd);
	free(g->strings);
	free(g->e);
	free(g);
}
