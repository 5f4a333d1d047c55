/* What changed between two generations, for the open pages: the pages
 * whose bytes changed (other than by a stylesheet's new name, which the
 * browser swaps in place), and the stylesheets renamed, with the SRI of
 * each, as live.js's css event gives them. */
#include "internal.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* The stylesheets a rebuild renamed: old URL -> {href, integrity}. */
static json_t *css_renames(const struct gen *old, const struct gen *new, json_t **pairs)
{
	const struct entry *om = gen_find(old, "assets/manifest.json");
	const struct entry *nm = gen_find(new, "assets/manifest.json");
	json_t *a = om ? json_loadb(om->b->data, om->b->len, 0, NULL) : NULL;
	json_t *b = nm ? json_loadb(nm->b->data, nm->b->len, 0, NULL) : NULL;
	json_t *map = json_object(), *v;
	const char *key;

	*pairs = json_array();
	json_object_foreach(b, key, v) {
		const char *was = json_string_value(json_object_get(a, key));
		const char *now = json_string_value(v);
		struct strbuf op = STRBUF_INIT, np = STRBUF_INIT, sri = STRBUF_INIT;
		const struct entry *oe, *ne;

		if (!str_endswith(key, ".css") || !was || !now || !strcmp(was, now))
			continue;
		strbuf_addf(&op, "assets/%s", was);
		strbuf_addf(&np, "assets/%s", now);
		oe = gen_find(old, op.buf);
		ne = gen_find(new, np.buf);
		if (oe && ne) {
			json_t *to = json_object(), *pair = json_array();
			unsigned char md[EVP_MAX_MD_SIZE], b64[100];
			unsigned n;

			/* what a page's <link> says of each: its URL and SRI */
			json_array_append_new(pair, json_sprintf("/%s", op.buf));
			json_array_append_new(pair, json_sprintf("/%s", np.buf));
			for (int k = 0; k < 2; k++) {
				const struct blob *bl = k ? ne->b : oe->b;

				EVP_Digest(bl->data, bl->len, md, &n, EVP_sha384(), NULL);
				EVP_EncodeBlock(b64, md, (int)n);
				strbuf_reset(&sri);
				strbuf_addf(&sri, "sha384-%s", b64);
				json_array_append_new(pair, json_string(sri.buf));
			}
			json_object_set_new(to, "href", json_sprintf("/%s", np.buf));
			json_object_set(to, "integrity", json_array_get(pair, 3));
			json_object_set_new(map, json_string_value(json_array_get(pair, 0)), to);
			json_array_append_new(*pairs, pair);
		}
		strbuf_release(&op);
		strbuf_release(&np);
		strbuf_release(&sri);
	}
	json_decref(a);
	json_decref(b);
	if (!json_object_size(map)) {
		json_decref(map);
		json_decref(*pairs);
		*pairs = NULL;
		return NULL;
	}
	return map;
}

/* Whether new is old with only the stylesheets' URLs and SRI changed. */
static bool only_css(const struct blob *old, const struct blob *new, json_t *pairs)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	json_t *p;
	bool same;

	strbuf_add(&sb, old->data, old->len);
	json_array_foreach(pairs, i, p)
		for (int k = 0; k < 4; k += 2) {
			const char *from = json_string_value(json_array_get(p, k));
			const char *to = json_string_value(json_array_get(p, k + 1));
			struct strbuf out = STRBUF_INIT;
			const char *at = sb.buf, *hit;

			while ((hit = strstr(at, from))) {
				strbuf_add(&out, at, (size_t)(hit - at));
				strbuf_adds(&out, to);
				at = hit + strlen(from);
			}
			strbuf_adds(&out, at);
			strbuf_release(&sb);
			sb = out;
		}
	same = sb.len == new->len && !memcmp(sb.buf, new->data, sb.len);
	strbuf_release(&sb);
	return same;
}

/* The pages whose bytes changed (other than by a stylesheet's new name),
 * and the stylesheets renamed; counts what changed at all. */
void gen_changes(const struct gen *old, const struct gen *new, const char ***pages, size_t *n,
		 char **css, size_t *nchanged)
{
	json_t *pairs, *map = old ? css_renames(old, new, &pairs) : NULL;

	*pages = NULL;
	*n = *nchanged = 0;
	*css = map ? json_dumps(map, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	for (size_t i = 0; i < new->n; i++) {
		const struct entry *e = &new->e[i], *o = old ? gen_find(old, e->path) : NULL;

		if (o && (o->b == e->b || (o->b->len == e->b->len &&
					   !memcmp(o->b->data, e->b->data, e->b->len))))
			continue;
		(*nchanged)++;
		if (!str_endswith(e->path, ".html"))
			continue;
		if (o && map && only_css(o->b, e->b, pairs))
			continue;
		*pages = xrealloc(*pages, (*n + 1) * sizeof(**pages));
		(*pages)[(*n)++] = e->path;
	}
	if (map) {
		json_decref(map);
		json_decref(pairs);
	}
}

