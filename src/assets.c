#include "assets.h"
#include "diag.h"
#include "fsutil.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* 16 hex digits (64 bits) of SHA-256: collisions among a site's assets do
 * not happen in practice, and names stay short. */
#define HASH_HEX 16

static void digest(const EVP_MD *md, const void *data, size_t len, unsigned char *out,
		   unsigned *n)
{
	if (!EVP_Digest(data, len, out, n, md, NULL))
		die("cannot compute a digest");
}

static char *sri(const void *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE], b64[100];
	unsigned n;
	struct strbuf sb = STRBUF_INIT;

	digest(EVP_sha384(), data, len, md, &n);
	EVP_EncodeBlock(b64, md, (int)n);
	strbuf_addf(&sb, "sha384-%s", b64);
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
	/* sorted by logical name (list_files sorts): binary search */
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
static int css_ref(struct assets *as, size_t self, const char *src, size_t off, const char *s,
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

		text_position(src, off, &l, &c);
		strbuf_addf(&path, "assets/%s", as->a[self].logical);
		diag_error(d, path.buf, l, c, "'%.*s' is not a file under assets/", (int)n, s);
		strbuf_release(&path);
	}
	return k < 0 ? -1 : 0;
}

/* Copies what precedes the reference at [s, e) of a stylesheet, then the
 * reference rewritten; *copied moves past it. */
static int css_span(struct assets *as, size_t self, const char *src, size_t s, size_t e,
		    size_t *copied, struct strbuf *out, struct diag *d)
{
	strbuf_add(out, src + *copied, s - *copied);
	*copied = e;
	return css_ref(as, self, src, s, src + s, e - s, out, d);
}

/* A stylesheet with url() and @import "..." rewritten; comments skipped. */
static int rewrite_css(struct assets *as, size_t self, const char *src, size_t len,
		       struct strbuf *out, struct diag *d)
{
	size_t i = 0, copied = 0;
	int rc = 0;

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
			if (css_span(as, self, src, s, e, &copied, out, d) < 0)
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
				if (css_span(as, self, src, s, e, &copied, out, d) < 0)
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
					char *url = NULL;

					if (asprintf(&url, "/assets/%s%s", t->hashed, s + q) < 0)
						die("out of memory");
					json_object_set_new(v, key, json_string(url));
					free(url);
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
		die("cannot write %s", path.buf);
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

int assets_load(struct assets *as, struct diag *d)
{
	char **files;
	long n = list_files("assets", NULL, &files);
	int rc = 0;

	memset(as, 0, sizeof(*as));
	if (n < 0)
		return errno == ENOENT ? 0 : diag_syserror(d, "assets", "cannot list: %s", strerror(errno));
	as->a = xcalloc((size_t)n + 1, sizeof(*as->a));
	as->n = (size_t)n;
	for (long i = 0; i < n; i++) {
		struct strbuf path = STRBUF_INIT;

		as->a[i].logical = files[i];
		strbuf_addf(&path, "assets/%s", files[i]);
		if (read_file(path.buf, &as->a[i].data, &as->a[i].len) < 0)
			rc = diag_syserror(d, path.buf, "cannot read: %s", strerror(errno));
		strbuf_release(&path);
	}
	free(files);	/* the names now belong to the assets */
	for (size_t i = 0; !rc && i < as->n; i++)
		if (compute(as, i, d) < 0)
			rc = -1;
	return rc;
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

void assets_manifest(const struct assets *as, struct strbuf *out)
{
	strbuf_adds(out, "{\n");
	for (size_t i = 0; i < as->n; i++)
		strbuf_addf(out, "  \"%s\": \"%s\"%s\n", as->a[i].logical, as->a[i].hashed,
			    i + 1 < as->n ? "," : "");
	strbuf_adds(out, "}\n");
}

/* ---- HTML ---------------------------------------------------------------- */

/* elem (NUL-terminated) against s[0..len): <0, 0, >0 as strcmp */
static int cmpn(const char *elem, const char *s, size_t len)
{
	int c = strncmp(elem, s, len);

	return c ? c : elem[len] != '\0';
}

/* Inserts s[0..len) into a sorted set of distinct strings. */
static void set_add(char ***set, size_t *n, const char *s, size_t len)
{
	size_t lo = 0, hi = *n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = cmpn((*set)[mid], s, len);

		if (!c)
			return;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*set = xrealloc(*set, (*n + 1) * sizeof(**set));
	memmove(*set + lo + 1, *set + lo, (*n - lo) * sizeof(**set));
	(*set)[lo] = xstrndup(s, len);
	(*n)++;
}

void page_refs_merge(struct page_refs *into, const struct page_refs *from)
{
	for (size_t i = 0; i < from->nimg; i++)
		set_add(&into->img, &into->nimg, from->img[i], strlen(from->img[i]));
	for (size_t i = 0; i < from->nscript; i++)
		set_add(&into->script, &into->nscript, from->script[i], strlen(from->script[i]));
	for (size_t i = 0; i < from->nstyle; i++)
		set_add(&into->style, &into->nstyle, from->style[i], strlen(from->style[i]));
}

void page_refs_release(struct page_refs *r)
{
	for (size_t i = 0; i < r->nimg; i++)
		free(r->img[i]);
	for (size_t i = 0; i < r->nscript; i++)
		free(r->script[i]);
	for (size_t i = 0; i < r->nstyle; i++)
		free(r->style[i]);
	free(r->img);
	free(r->script);
	free(r->style);
	memset(r, 0, sizeof(*r));
}

/* The origin of an absolute http(s) URL ("https://host:port"), for CSP. */
static void add_origin(struct page_refs *r, const char *s, size_t n)
{
	size_t i;

	if (!r)
		return;
	if (n > 8 && !strncasecmp(s, "https://", 8))
		i = 8;
	else if (n > 7 && !strncasecmp(s, "http://", 7))
		i = 7;
	else
		return;
	while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#' && s[i] != ' ')
		i++;
	set_add(&r->img, &r->nimg, s, i);
}

static void add_hash(char ***set, size_t *n, const char *body, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE], b64[100];
	unsigned k;
	char buf[128];

	digest(EVP_sha256(), body, len, md, &k);
	EVP_EncodeBlock(b64, md, (int)k);
	snprintf(buf, sizeof(buf), "'sha256-%s'", b64);
	set_add(set, n, buf, strlen(buf));
}

struct html_ctx {
	const struct assets *as;
	const char *base_url;
	const char *page;
	const char *from;
	const char *html;
	struct diag *d;
	int rc;
};

/* If (s, n) names an asset, returns it; on a missing one reports it. */
static const struct asset *html_ref(struct html_ctx *h, const char *s, size_t n, size_t *prefix)
{
	size_t b = strlen(h->base_url), q = 0;
	const struct asset *a;
	char *logical;

	if (n >= 8 && !strncmp(s, "/assets/", 8)) {
		*prefix = 0;
	} else if (n >= b + 8 && !strncmp(s, h->base_url, b) && !strncmp(s + b, "/assets/", 8)) {
		*prefix = b;
	} else {
		return NULL;
	}
	s += *prefix + 8;
	n -= *prefix + 8;
	while (q < n && s[q] != '?' && s[q] != '#')
		q++;
	logical = xstrndup(s, q);
	a = assets_find(h->as, logical);
	if (!a) {
		unsigned l, c;

		text_position(h->html, (size_t)(s - 8 - *prefix - h->html), &l, &c);
		h->rc = diag_error(h->d, h->page, l, c, "'/assets/%s' is not a file under assets/ "
				   "(the page is made from %s)", logical, h->from);
	}
	free(logical);
	return a;
}

/* Appends value (s, n) with each asset URL in it rewritten. srcset holds
 * several "URL width" entries separated by commas. */
static const struct asset *rewrite_value(struct html_ctx *h, const char *s, size_t n, bool srcset,
					 struct strbuf *out)
{
	const struct asset *last = NULL;
	size_t i = 0;

	while (i < n) {
		size_t start = i, end, prefix;
		const struct asset *a;

		while (srcset && start < n && (s[start] == ' ' || s[start] == ','))
			start++;
		strbuf_add(out, s + i, start - i);
		end = start;
		if (!srcset)
			end = n;
		while (end < n && s[end] != ' ' && s[end] != ',')
			end++;
		a = html_ref(h, s + start, end - start, &prefix);
		if (a) {
			size_t q = prefix + 8;

			while (start + q < end && s[start + q] != '?' && s[start + q] != '#')
				q++;
			strbuf_add(out, s + start, prefix);
			strbuf_addf(out, "/assets/%s", a->hashed);
			strbuf_add(out, s + start + q, end - start - q);
			last = a;
		} else {
			strbuf_add(out, s + start, end - start);
		}
		i = end;
		while (srcset && i < n && s[i] != ',') {
			strbuf_addch(out, s[i]);
			i++;
		}
	}
	return last;
}

/* Whether (name, n) is want, ignoring ASCII case (want is lower case). */
static inline bool name_is(const char *name, size_t n, const char *want, size_t wn)
{
	if (n != wn)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((name[i] | 0x20) != want[i])
			return false;
	return true;
}
#define attr_is(name, n, lit) name_is((name), (n), (lit), sizeof(lit) - 1)

/* The elements with an attribute that can name an asset (href, src,
 * srcset, poster, content) or that the CSP must know of (inline code). */
static bool wanted_tag(const char *t, size_t n)
{
	switch (n) {
	case 1: return (t[0] | 0x20) == 'a';
	case 3: return attr_is(t, n, "img") || attr_is(t, n, "use");
	case 4: return attr_is(t, n, "link") || attr_is(t, n, "meta") || attr_is(t, n, "area") ||
		       attr_is(t, n, "base");
	case 5: return attr_is(t, n, "video") || attr_is(t, n, "audio") || attr_is(t, n, "embed") ||
		       attr_is(t, n, "input") || attr_is(t, n, "style") || attr_is(t, n, "track") ||
		       attr_is(t, n, "image");
	case 6: return attr_is(t, n, "script") || attr_is(t, n, "source") || attr_is(t, n, "iframe") ||
		       attr_is(t, n, "object");
	default: return false;
	}
}

int assets_rewrite_html(const struct assets *as, const char *base_url, const char *page,
			const char *from, const char *html, size_t len, struct strbuf *out,
			struct page_refs *refs, struct diag *d)
{
	struct html_ctx h = { as, base_url, page, from, html, d, 0 };
	size_t i = 0, copied = 0;

	while (i < len) {
		const char *lt = memchr(html + i, '<', len - i);
		size_t p, name_start, tn;
		bool script, link, img, style, has_src = false;
		bool stylesheet = false, integrity = false;
		const struct asset *target = NULL;

		if (!lt)
			break;
		p = (size_t)(lt - html) + 1;
		if (p + 2 < len && html[p] == '!' && html[p + 1] == '-' && html[p + 2] == '-') {
			const char *e = memmem(html + p, len - p, "-->", 3);

			i = e ? (size_t)(e - html) + 3 : len;
			continue;
		}
		if (p < len && (html[p] == '!' || html[p] == '?' || html[p] == '/')) {
			/* <!DOCTYPE>, <?...?>, a closing tag: nothing to rewrite */
			const char *e = memchr(html + p, '>', len - p);

			i = e ? (size_t)(e - html) + 1 : len;
			continue;
		}
		name_start = p;
		while (p < len && ((html[p] | 0x20) >= 'a' && (html[p] | 0x20) <= 'z'))
			p++;
		tn = p - name_start;
		if (!tn) {
			i = p;
			continue;
		}
		if (!wanted_tag(html + name_start, tn)) {
			/* no attribute of this element names an asset or matters
			 * to the CSP: on to its end, stepping over quoted values */
			while (p < len && html[p] != '>') {
				if (html[p] == '"' || html[p] == '\'') {
					const char *e = memchr(html + p + 1, html[p], len - p - 1);

					p = e ? (size_t)(e - html) : len;
				}
				p++;
			}
			i = p < len ? p + 1 : len;
			continue;
		}
		script = attr_is(html + name_start, tn, "script");
		link = attr_is(html + name_start, tn, "link");
		style = attr_is(html + name_start, tn, "style");
		img = attr_is(html + name_start, tn, "img") || attr_is(html + name_start, tn, "source") ||
		      attr_is(html + name_start, tn, "video");
		/* attributes */
		while (p < len && html[p] != '>') {
			size_t an, as0, vs, ve;
			const char *name;
			char quote = 0;

			while (p < len && (html[p] == ' ' || html[p] == '\n' || html[p] == '\t' ||
					   html[p] == '\r' || html[p] == '/'))
				p++;
			as0 = p;
			while (p < len && html[p] != '=' && html[p] != ' ' && html[p] != '>' && html[p] != '/')
				p++;
			an = p - as0;
			name = html + as0;
			if (p >= len || html[p] != '=') {
				if (attr_is(name, an, "integrity"))
					integrity = true;
				if (!an)
					p++;
				continue;
			}
			p++;
			if (p < len && (html[p] == '"' || html[p] == '\''))
				quote = html[p++];
			vs = p;
			if (quote) {
				const char *e = memchr(html + p, quote, len - p);

				p = e ? (size_t)(e - html) : len;
			} else {
				while (p < len && html[p] != ' ' && html[p] != '>')
					p++;
			}
			ve = p;
			if (quote && p < len)
				p++;
			switch (an) {
			case 3:		/* src, rel */
				if (attr_is(name, an, "rel")) {
					stylesheet = memmem(html + vs, ve - vs, "stylesheet", 10) != NULL;
					continue;
				}
				if (!attr_is(name, an, "src"))
					continue;
				has_src = true;
				break;
			case 4:		/* href */
				if (!attr_is(name, an, "href"))
					continue;
				break;
			case 6:		/* srcset, poster */
				if (!attr_is(name, an, "srcset") && !attr_is(name, an, "poster"))
					continue;
				break;
			case 7:		/* content */
				if (!attr_is(name, an, "content"))
					continue;
				break;
			case 9:
				if (attr_is(name, an, "integrity"))
					integrity = true;
				continue;
			default:
				continue;
			}
			/* CSP: the origins of external images */
			if (img && refs && (name[0] | 0x20) != 'h' && (name[0] | 0x20) != 'c') {
				const char *v = html + vs, *e = html + ve;

				for (const char *u = v; u < e; ) {
					const char *c = memchr(u, ',', (size_t)(e - u));

					while (u < e && *u == ' ')
						u++;
					add_origin(refs, u, (size_t)((c ? c : e) - u));
					u = c ? c + 1 : e;
				}
			}
			{
				bool srcset = an == 6 && (name[0] | 0x20) == 's';
				const struct asset *a;

				strbuf_add(out, html + copied, vs - copied);
				a = rewrite_value(&h, html + vs, ve - vs, srcset, out);
				if (a && (an == 3 || an == 4))
					target = a;
				copied = ve;
			}
		}
		/* CSP: the hashes of inline scripts and styles */
		if (refs && (style || (script && !has_src)) && p < len) {
			const char *end = memmem(html + p + 1, len - p - 1,
						 style ? "</style" : "</script", style ? 7 : 8);

			if (end && style)
				add_hash(&refs->style, &refs->nstyle, html + p + 1,
					 (size_t)(end - (html + p + 1)));
			else if (end)
				add_hash(&refs->script, &refs->nscript, html + p + 1,
					 (size_t)(end - (html + p + 1)));
		}
		if ((script || (link && stylesheet)) && target && !integrity) {
			size_t end = p;

			if (end > 0 && html[end - 1] == '/')
				end--;
			strbuf_add(out, html + copied, end - copied);
			strbuf_addf(out, " integrity=\"%s\"", target->sri);
			copied = end;
		}
		i = p < len ? p + 1 : len;
		if (script) {
			/* skip a script's body: '<' there is not markup */
			const char *e = memmem(html + i, len - i, "</script", 8);

			i = e ? (size_t)(e - html) : len;
		}
	}
	strbuf_add(out, html + copied, len - copied);
	return h.rc;
}
