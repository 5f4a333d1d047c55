/* Assets: every file under assets/ published under a content-hashed name,
 * stylesheets' url() and @import and web app manifests' "src" rewritten to
 * the hashed names first (so a stylesheet's hash covers what it uses),
 * SRI for scripts and stylesheets, and the manifest of names. The HTML
 * pass over pages is assets_html.c. */
#include "internal.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* 16 hex digits (64 bits) of SHA-256: collisions among a site's assets do
 * not happen in practice, and names stay short. */
#define HASH_HEX 16

/* OpenSSL's one-shot digest fails only when it cannot allocate. */
static void digest(const EVP_MD *md, const void *data, size_t len, unsigned char *out,
		   unsigned *n)
{
	if (!EVP_Digest(data, len, out, n, md, NULL))
		oom("cannot compute a digest");
}

void digest_base64(bool sha384, const void *data, size_t len, struct strbuf *out)
{
	unsigned char md[EVP_MAX_MD_SIZE], b64[100];
	unsigned n;

	digest(sha384 ? EVP_sha384() : EVP_sha256(), data, len, md, &n);
	EVP_EncodeBlock(b64, md, (int)n);
	strbuf_adds(out, (const char *)b64);
}

static char *sri(const void *data, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "sha384-");
	digest_base64(true, data, len, &sb);
	return strbuf_detach(&sb, NULL);
}

static char *hashed_name(const char *logical, const void *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n;
	struct strbuf sb = STRBUF_INIT;
	const char *slash = strrchr(logical, '/');
	const char *base = slash ? slash + 1 : logical;
	const char *dot = strrchr(base, '.');

	digest(EVP_sha256(), data, len, md, &n);
	if (dot && dot != base)
		strbuf_add(&sb, logical, (size_t)(dot - logical));
	else
		strbuf_adds(&sb, logical);
	strbuf_addch(&sb, '.');
	for (int i = 0; i < HASH_HEX / 2; i++)
		strbuf_addf(&sb, "%02x", md[i]);
	if (dot && dot != base)
		strbuf_adds(&sb, dot);
	return strbuf_detach(&sb, NULL);
}

const struct asset *assets_find(const struct assets *as, const char *logical)
{
	/* sorted by logical name: binary search */
	size_t lo = 0, hi = as->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(as->a[mid].logical, logical);

		if (!c)
			return &as->a[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool external(const char *s, size_t n)
{
	return (n >= 5 && !strncasecmp(s, "data:", 5)) || (n >= 5 && !strncasecmp(s, "http:", 5)) ||
	       (n >= 6 && !strncasecmp(s, "https:", 6)) || (n >= 2 && s[0] == '/' && s[1] == '/') ||
	       (n >= 1 && s[0] == '#') || (n >= 7 && !strncasecmp(s, "mailto:", 7));
}

/* Resolves a reference from a stylesheet in dir (relative to assets/) into
 * a logical name; NULL if it points outside assets/ or is not ours. */
static char *resolve(const char *dir, const char *ref, size_t n, bool *outside)
{
	struct strbuf sb = STRBUF_INIT;
	char *parts[64];
	int np = 0;
	char *tmp, *tok, *save = NULL;

	*outside = false;
	if (n >= 8 && !strncmp(ref, "/assets/", 8)) {
		strbuf_add(&sb, ref + 8, n - 8);
	} else if (n && ref[0] == '/') {
		return NULL;	/* a site path that is not an asset: left alone */
	} else {
		if (*dir)
			strbuf_addf(&sb, "%s/", dir);
		strbuf_add(&sb, ref, n);
	}
	tmp = strbuf_detach(&sb, NULL);
	for (tok = strtok_r(tmp, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			if (!np) {
				*outside = true;
				free(tmp);
				return NULL;
			}
			np--;
			continue;
		}
		if (np == 64)
			break;
		parts[np++] = tok;
	}
	for (int i = 0; i < np; i++)
		strbuf_addf(&sb, "%s%s", i ? "/" : "", parts[i]);
	free(tmp);
	return strbuf_detach(&sb, NULL);
}

static int compute(struct assets *as, size_t i, struct diag *d);

/* The asset a reference (s, n) from asset self names, with its final name
 * worked out: 1 with *t (and *q, where ?query or #fragment start), 0 when
 * the reference is not to an asset (external, another site path), -1 when
 * it names a file that is not under assets/ (the caller says where), -2
 * when working out the target failed (already reported). */
static int asset_ref(struct assets *as, size_t self, const char *s, size_t n,
		     const struct asset **t, size_t *q, struct diag *d)
{
	const struct asset *a = &as->a[self];
	const char *slash = strrchr(a->logical, '/');
	char *dir, *logical;
	bool outside;

	*q = 0;
	if (external(s, n) || !n)
		return 0;
	/* ?query and #fragment stay on the rewritten URL */
	while (*q < n && s[*q] != '?' && s[*q] != '#')
		(*q)++;
	dir = xstrndup(a->logical, slash ? (size_t)(slash - a->logical) : 0);
	logical = resolve(dir, s, *q, &outside);
	free(dir);
	if (!logical && !outside)
		return 0;
	*t = logical ? assets_find(as, logical) : NULL;
	free(logical);
	if (!*t)
		return -1;
	return compute(as, (size_t)(*t - as->a), d) < 0 ? -2 : 1;
}

/* Rewrites one reference (s, n) found at offset off in a stylesheet. */
static int css_ref(struct assets *as, size_t self, struct linemap *lm, size_t off, const char *s,
		   size_t n, struct strbuf *out, struct diag *d)
{
	const struct asset *t = NULL;
	size_t q;
	int k = asset_ref(as, self, s, n, &t, &q, d);

	if (k == 1) {
		strbuf_addf(out, "/assets/%s", t->hashed);
		strbuf_add(out, s + q, n - q);
		return 0;
	}
	strbuf_add(out, s, n);
	if (k == -1) {
		unsigned l, c;
		struct strbuf path = STRBUF_INIT;

		linemap_pos(lm, off, &l, &c);
		strbuf_addf(&path, "assets/%s", as->a[self].logical);
		diag_error(d, path.buf, l, c, "'%.*s' is not a file under assets/", (int)n, s);
		strbuf_release(&path);
	}
	return k < 0 ? -1 : 0;
}

/* Copies what precedes the reference at [s, e) of a stylesheet, then the
 * reference rewritten; *copied moves past it. */
static int css_span(struct assets *as, size_t self, struct linemap *lm, size_t s, size_t e,
		    size_t *copied, struct strbuf *out, struct diag *d)
{
	strbuf_add(out, lm->src + *copied, s - *copied);
	*copied = e;
	return css_ref(as, self, lm, s, lm->src + s, e - s, out, d);
}

/* A stylesheet with url() and @import "..." rewritten; comments skipped.
 * The line map (made at the first error) gives the places of errors. */
static int rewrite_css(struct assets *as, size_t self, const char *src, size_t len,
		       struct strbuf *out, struct diag *d)
{
	size_t i = 0, copied = 0;
	struct linemap lm;
	int rc = 0;

	linemap_init(&lm, src, len);
	while (i < len) {
		if (src[i] == '/' && i + 1 < len && src[i + 1] == '*') {
			const char *e = memmem(src + i + 2, len - i - 2, "*/", 2);

			i = e ? (size_t)(e - src) + 2 : len;
			continue;
		}
		if (i + 4 <= len && !strncasecmp(src + i, "url(", 4)) {
			size_t s = i + 4, e;
			char quote = 0;

			while (s < len && (src[s] == ' ' || src[s] == '\t'))
				s++;
			if (s < len && (src[s] == '"' || src[s] == '\''))
				quote = src[s++];
			e = s;
			while (e < len && (quote ? src[e] != quote : src[e] != ')' && src[e] != ' '))
				e++;
			if (css_span(as, self, &lm, s, e, &copied, out, d) < 0)
				rc = -1;
			i = e;
			continue;
		}
		if (i + 7 <= len && !strncasecmp(src + i, "@import", 7)) {
			size_t s = i + 7, e;

			while (s < len && (src[s] == ' ' || src[s] == '\t'))
				s++;
			if (s < len && (src[s] == '"' || src[s] == '\'')) {
				char quote = src[s++];

				e = s;
				while (e < len && src[e] != quote)
					e++;
				if (css_span(as, self, &lm, s, e, &copied, out, d) < 0)
					rc = -1;
				i = e;
				continue;
			}
			i = s;
			continue;
		}
		i++;
	}
	strbuf_add(out, src + copied, len - copied);
	linemap_release(&lm);
	return rc;
}

/* A web app manifest's "src" values (icons, screenshots, shortcut icons),
 * which resolve against the manifest's own URL, as hashed absolute URLs.
 * where: the JSON path, for messages. */
static int manifest_walk(struct assets *as, size_t self, const char *path, json_t *v,
			 struct strbuf *where, struct diag *d)
{
	size_t mark = where->len;
	int rc = 0;

	if (json_is_object(v)) {
		const char *key;
		json_t *x;

		json_object_foreach(v, key, x) {
			strbuf_addf(where, "%s%s", where->len ? "." : "", key);
			if (!strcmp(key, "src") && json_is_string(x)) {
				const char *s = json_string_value(x);
				const struct asset *t = NULL;
				size_t q;
				int k = asset_ref(as, self, s, strlen(s), &t, &q, d);

				if (k == 1) {
					struct strbuf url = STRBUF_INIT;

					strbuf_addf(&url, "/assets/%s%s", t->hashed, s + q);
					json_object_set_new(v, key, json_string(url.buf));
					strbuf_release(&url);
				} else if (k == -1) {
					rc = diag_error(d, path, 0, 0, "%s: '%s' is not a file "
							"under assets/", where->buf, s);
				} else if (k < 0) {
					rc = -1;
				}
			} else if (manifest_walk(as, self, path, x, where, d) < 0) {
				rc = -1;
			}
			strbuf_setlen(where, mark);
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;

		json_array_foreach(v, i, x) {
			strbuf_addf(where, "[%zu]", i);
			if (manifest_walk(as, self, path, x, where, d) < 0)
				rc = -1;
			strbuf_setlen(where, mark);
		}
	}
	return rc;
}

static int rewrite_manifest(struct assets *as, size_t self, struct strbuf *out, struct diag *d)
{
	struct asset *a = &as->a[self];
	struct strbuf where = STRBUF_INIT, path = STRBUF_INIT;
	json_error_t err;
	json_t *root = json_loadb(a->data, a->len, 0, &err);
	char *text;
	int rc;

	strbuf_addf(&path, "assets/%s", a->logical);
	if (!root) {
		rc = diag_error(d, path.buf, (unsigned)err.line, (unsigned)err.column,
				"not a web app manifest: %s", err.text);
		strbuf_release(&path);
		return rc;
	}
	rc = manifest_walk(as, self, path.buf, root, &where, d);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text)
		oom("out of memory writing %s", path.buf);
	strbuf_adds(out, text);
	strbuf_addch(out, '\n');
	free(text);
	json_decref(root);
	strbuf_release(&where);
	strbuf_release(&path);
	return rc;
}

static int compute(struct assets *as, size_t i, struct diag *d)
{
	struct asset *a = &as->a[i];
	int rc = 0;

	if (a->state == 2)
		return a->hashed ? 0 : -1;
	if (a->state == 1) {
		struct strbuf path = STRBUF_INIT;

		strbuf_addf(&path, "assets/%s", a->logical);
		diag_error(d, path.buf, 0, 0, "stylesheets import each other in a circle");
		strbuf_release(&path);
		return -1;
	}
	a->state = 1;
	if (str_endswith(a->logical, ".css") || str_endswith(a->logical, ".webmanifest")) {
		struct strbuf out = STRBUF_INIT;

		if (str_endswith(a->logical, ".css"))
			rc = rewrite_css(as, i, a->data, a->len, &out, d);
		else
			rc = rewrite_manifest(as, i, &out, d);
		free(a->data);
		a->data = strbuf_detach(&out, &a->len);
	}
	a->state = 2;
	if (rc < 0)
		return -1;
	a->hashed = hashed_name(a->logical, a->data, a->len);
	a->sri = sri(a->data, a->len);
	return 0;
}

static int by_logical(const void *x, const void *y)
{
	return strcmp(((const struct asset *)x)->logical, ((const struct asset *)y)->logical);
}

static bool skipped(const char *logical, const char *const *skip, size_t nskip)
{
	for (size_t i = 0; i < nskip; i++)
		if (skip[i] && !strncmp(skip[i], "assets/", 7) && !strcmp(skip[i] + 7, logical))
			return true;
	return false;
}

int assets_load(struct assets *as, int dirfd, struct asset_src *gen, size_t ngen,
		const char *const *skip, size_t nskip, struct diag *d)
{
	char **files = NULL;
	long n = list_files_at(dirfd, "assets", NULL, &files);
	int rc = 0;

	memset(as, 0, sizeof(*as));
	if (n < 0 && errno != ENOENT)
		rc = diag_syserror(d, "assets", "cannot list: %s", strerror(errno));
	if (n < 0)
		n = 0;
	as->a = xcalloc((size_t)n + ngen + 1, sizeof(*as->a));
	for (long i = 0; i < n; i++) {
		struct strbuf path = STRBUF_INIT;
		struct asset *a;

		if (skipped(files[i], skip, nskip)) {
			free(files[i]);
			continue;
		}
		a = &as->a[as->n++];
		a->logical = files[i];
		strbuf_addf(&path, "assets/%s", files[i]);
		if (read_file_at(dirfd, path.buf, &a->data, &a->len) < 0)
			rc = diag_syserror(d, path.buf, "cannot read: %s", strerror(errno));
		for (size_t g = 0; g < ngen; g++)
			if (!strcmp(gen[g].logical, files[i]))
				rc = diag_error(d, path.buf, 0, 0, "presetgen makes this file from "
						"the icon source (presetgen.yaml icon:); remove it "
						"or rename it");
		strbuf_release(&path);
	}
	free(files);	/* the names now belong to the assets */
	for (size_t g = 0; g < ngen; g++) {
		struct asset *a = &as->a[as->n++];

		a->logical = gen[g].logical;
		a->data = gen[g].data;
		a->len = gen[g].len;
	}
	/* assets_find searches by name */
	qsort(as->a, as->n, sizeof(*as->a), by_logical);
	/* every asset, even after one fails, so that one run reports every
	 * broken reference (each once: a failed asset is not worked out again) */
	for (size_t i = 0; rc != -1 && i < as->n; i++)
		if (compute(as, i, d) < 0)
			rc = 1;
	return rc ? -1 : 0;
}

void assets_release(struct assets *as)
{
	for (size_t i = 0; i < as->n; i++) {
		free(as->a[i].logical);
		free(as->a[i].hashed);
		free(as->a[i].data);
		free(as->a[i].sri);
	}
	free(as->a);
	memset(as, 0, sizeof(*as));
}

/* Written with jansson, so that any name (a quote, a backslash, a
 * control character) makes valid JSON. */
void assets_manifest(const struct assets *as, struct strbuf *out)
{
	json_t *m = json_object();
	char *text;

	if (!m)
		oom("out of memory writing assets/manifest.json");
	for (size_t i = 0; i < as->n; i++)
		if (json_object_set_new(m, as->a[i].logical, json_string(as->a[i].hashed)) < 0)
			oom("out of memory writing assets/manifest.json");
	text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text)
		oom("out of memory writing assets/manifest.json");
	strbuf_adds(out, text);
	strbuf_addch(out, '\n');
	free(text);
	json_decref(m);
}

