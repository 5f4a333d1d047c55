/* The HTML pass over every page: references to assets become their hashed
 * names, scripts and stylesheets get integrity="sha384-...", and what a
 * Content-Security-Policy must allow (image origins, inline hashes) is
 * gathered. One forward scan of each page; no HTML parser is needed to find
 * attributes in markup our templates wrote. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

bool page_refs_empty(const struct page_refs *r)
{
	return !r->nimg && !r->nscript && !r->nstyle && !r->nassets;
}

void page_refs_release(struct page_refs *r)
{
	for (size_t i = 0; i < r->nimg; i++)
		free(r->img[i]);
	for (size_t i = 0; i < r->nscript; i++)
		free(r->script[i]);
	for (size_t i = 0; i < r->nstyle; i++)
		free(r->style[i]);
	for (size_t i = 0; i < r->nassets; i++)
		free(r->assets[i]);
	free(r->img);
	free(r->script);
	free(r->style);
	free(r->assets);
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
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "'sha256-");
	digest_base64(false, body, len, &sb);
	strbuf_addch(&sb, '\'');
	set_add(set, n, sb.buf, sb.len);
	strbuf_release(&sb);
}

struct html_ctx {
	const struct assets *as;
	const char *base_url;
	const char *page;
	const char *from;
	const char *html;
	size_t len;
	struct diag *d;
	int rc;
	struct linemap lines;	/* made at the first error */
	bool lines_ready;
	struct page_refs *refs;
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
	if (a && h->refs && h->refs->track_assets)
		set_add(&h->refs->assets, &h->refs->nassets, a->logical, strlen(a->logical));
	if (!a) {
		unsigned l, c;

		if (!h->lines_ready) {
			linemap_init(&h->lines, h->html, h->len);
			h->lines_ready = true;
		}
		linemap_pos(&h->lines, (size_t)(s - 8 - *prefix - h->html), &l, &c);
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

/* What one tag has shown so far. */
struct tag {
	bool script, link, img, style;
	bool has_src, stylesheet, integrity;
	const struct asset *target;	/* what src or href named */
};

/* The position just past the '>' of a tag whose attributes do not matter,
 * stepping over quoted values. */
static size_t skip_tag(const char *html, size_t len, size_t p)
{
	while (p < len && html[p] != '>') {
		if (html[p] == '"' || html[p] == '\'') {
			const char *e = memchr(html + p + 1, html[p], len - p - 1);

			p = e ? (size_t)(e - html) : len;
		}
		p++;
	}
	return p < len ? p + 1 : len;
}

/* Whether the attribute (name, an) is one whose value can name an asset;
 * notes the others that matter (rel, integrity). */
static bool asset_attribute(struct tag *t, const char *name, size_t an, const char *v,
			    size_t vn)
{
	switch (an) {
	case 3:		/* src, rel */
		if (attr_is(name, an, "rel")) {
			t->stylesheet = memmem(v, vn, "stylesheet", 10) != NULL;
			return false;
		}
		t->has_src |= attr_is(name, an, "src");
		return attr_is(name, an, "src");
	case 4:
		return attr_is(name, an, "href");
	case 6:
		return attr_is(name, an, "srcset") || attr_is(name, an, "poster");
	case 7:		/* <meta content>: og:image */
		return attr_is(name, an, "content");
	case 9:
		t->integrity |= attr_is(name, an, "integrity");
		return false;
	default:
		return false;
	}
}

/* CSP: the origins of an image's external sources (src, srcset, poster). */
static void image_origins(struct page_refs *refs, const char *v, const char *e)
{
	for (const char *u = v; u < e; ) {
		const char *c = memchr(u, ',', (size_t)(e - u));

		while (u < e && *u == ' ')
			u++;
		add_origin(refs, u, (size_t)((c ? c : e) - u));
		u = c ? c + 1 : e;
	}
}

/* One attribute at p (after the tag's name or the last attribute); its
 * value rewritten into out when it names an asset. Returns where the
 * next one starts. */
static size_t attribute(struct html_ctx *h, struct tag *t, size_t p, size_t *copied,
			struct strbuf *out, struct page_refs *refs)
{
	const char *html = h->html;
	size_t len = h->len, an, vs, ve;
	const char *name;
	char quote = 0;

	while (p < len && (html[p] == ' ' || html[p] == '\n' || html[p] == '\t' ||
			   html[p] == '\r' || html[p] == '/'))
		p++;
	name = html + p;
	while (p < len && html[p] != '=' && html[p] != ' ' && html[p] != '>' && html[p] != '/')
		p++;
	an = (size_t)(html + p - name);
	if (p >= len || html[p] != '=') {
		t->integrity |= attr_is(name, an, "integrity");
		return an ? p : p + 1;
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
	if (!asset_attribute(t, name, an, html + vs, ve - vs))
		return p;
	if (t->img && refs && (name[0] | 0x20) != 'h' && (name[0] | 0x20) != 'c')
		image_origins(refs, html + vs, html + ve);
	{
		bool srcset = an == 6 && (name[0] | 0x20) == 's';
		const struct asset *a;

		strbuf_add(out, html + *copied, vs - *copied);
		a = rewrite_value(h, html + vs, ve - vs, srcset, out);
		if (a && (an == 3 || an == 4))
			t->target = a;
		*copied = ve;
	}
	return p;
}

/* At the '>' (p) of a tag: the hash of an inline script's or style's body
 * for the CSP, and integrity on a script or stylesheet of ours. */
static void tag_end(struct html_ctx *h, const struct tag *t, size_t p, size_t *copied,
		    struct strbuf *out, struct page_refs *refs)
{
	const char *html = h->html;
	size_t len = h->len;

	if (refs && (t->style || (t->script && !t->has_src)) && p < len) {
		const char *end = memmem(html + p + 1, len - p - 1,
					 t->style ? "</style" : "</script", t->style ? 7 : 8);

		if (end && t->style)
			add_hash(&refs->style, &refs->nstyle, html + p + 1,
				 (size_t)(end - (html + p + 1)));
		else if (end)
			add_hash(&refs->script, &refs->nscript, html + p + 1,
				 (size_t)(end - (html + p + 1)));
	}
	if ((t->script || (t->link && t->stylesheet)) && t->target && !t->integrity) {
		size_t end = p;

		if (end > 0 && html[end - 1] == '/')
			end--;
		strbuf_add(out, html + *copied, end - *copied);
		strbuf_addf(out, " integrity=\"%s\"", t->target->sri);
		*copied = end;
	}
}

/* Where the markup after '<' at p ends when it is no element to look into
 * (a comment, <!DOCTYPE>, <?...?>, a closing tag); 0 when it is one. */
static size_t skip_markup(const char *html, size_t len, size_t p)
{
	if (p + 2 < len && html[p] == '!' && html[p + 1] == '-' && html[p + 2] == '-') {
		const char *e = memmem(html + p, len - p, "-->", 3);

		return e ? (size_t)(e - html) + 3 : len;
	}
	if (p < len && (html[p] == '!' || html[p] == '?' || html[p] == '/')) {
		const char *e = memchr(html + p, '>', len - p);

		return e ? (size_t)(e - html) + 1 : len;
	}
	return 0;
}

int assets_rewrite_html(const struct assets *as, const char *base_url, const char *page,
			const char *from, const char *html, size_t len, struct strbuf *out,
			struct page_refs *refs, struct diag *d)
{
	struct html_ctx h = { as, base_url, page, from, html, len, d, 0, { 0 }, false, refs };
	size_t i = 0, copied = 0;

	while (i < len) {
		const char *lt = memchr(html + i, '<', len - i), *name;
		size_t p, tn, skip;
		struct tag t;

		if (!lt)
			break;
		p = (size_t)(lt - html) + 1;
		skip = skip_markup(html, len, p);
		if (skip) {
			i = skip;
			continue;
		}
		name = html + p;
		while (p < len && ((html[p] | 0x20) >= 'a' && (html[p] | 0x20) <= 'z'))
			p++;
		tn = (size_t)(html + p - name);
		if (!tn || !wanted_tag(name, tn)) {
			/* no attribute of this element names an asset or matters to
			 * the CSP: on to its end */
			i = tn ? skip_tag(html, len, p) : p;
			continue;
		}
		memset(&t, 0, sizeof(t));
		t.script = attr_is(name, tn, "script");
		t.link = attr_is(name, tn, "link");
		t.style = attr_is(name, tn, "style");
		t.img = attr_is(name, tn, "img") || attr_is(name, tn, "source") ||
			attr_is(name, tn, "video");
		while (p < len && html[p] != '>')
			p = attribute(&h, &t, p, &copied, out, refs);
		tag_end(&h, &t, p, &copied, out, refs);
		i = p < len ? p + 1 : len;
		if (t.script) {
			/* skip a script's body: '<' there is not markup */
			const char *e = memmem(html + i, len - i, "</script", 8);

			i = e ? (size_t)(e - html) : len;
		}
	}
	strbuf_add(out, html + copied, len - copied);
	if (h.lines_ready)
		linemap_release(&h.lines);
	return h.rc;
}
