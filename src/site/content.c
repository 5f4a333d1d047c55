/* Content: Markdown pages with YAML front matter, rendered by cmark. */
#include "internal.h"

#include <cmark.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_fence(const char *line, size_t n, const char *fence)
{
	if (n && line[n - 1] == '\r')
		n--;
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	return n == 3 && !memcmp(line, fence, 3);
}

int front_matter_split(const char *path, const char *src, size_t len,
		       const char **yaml, size_t *yaml_len, const char **body,
		       struct diag *d)
{
	const char *nl = memchr(src, '\n', len);
	const char *p;

	*yaml = NULL;
	*yaml_len = 0;
	*body = src;
	if (!nl || !is_fence(src, (size_t)(nl - src), "---"))
		return 0;
	p = nl + 1;
	while (p < src + len) {
		const char *e = memchr(p, '\n', (size_t)(src + len - p));
		size_t n = e ? (size_t)(e - p) : (size_t)(src + len - p);

		if (is_fence(p, n, "---") || is_fence(p, n, "...")) {
			*yaml = nl + 1;
			*yaml_len = (size_t)(p - (nl + 1));
			*body = e ? e + 1 : src + len;
			return 0;
		}
		p += n + (e ? 1 : 0);
	}
	return diag_error(d, path, 1, 1, "front matter: expected a closing '---' line");
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

bool date_is_valid(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, dd;

	if (strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2))
		return false;
	y = num(s, 4);
	m = num(s + 5, 2);
	dd = num(s + 8, 2);
	if (m < 1 || m > 12 || dd < 1 || dd > mdays[m - 1])
		return false;
	if (m == 2 && dd == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	s += 10;
	if (!*s)
		return true;
	if ((*s != 'T' && *s != ' ') || !digits(s + 1, 2) || s[3] != ':' || !digits(s + 4, 2))
		return false;
	if (num(s + 1, 2) > 23 || num(s + 4, 2) > 59)
		return false;
	s += 6;
	if (*s == ':') {
		if (!digits(s + 1, 2) || num(s + 1, 2) > 60)
			return false;
		s += 3;
	}
	if (!*s || !strcmp(s, "Z"))
		return true;
	if ((*s == '+' || *s == '-') && digits(s + 1, 2) && s[3] == ':' && digits(s + 4, 2) &&
	    !s[6])
		return num(s + 1, 2) <= 14 && num(s + 4, 2) <= 59;
	return false;
}

void date_human(char *buf, size_t n, const char *s)
{
	snprintf(buf, n, "%d %s %.4s", num(s + 8, 2), tz_month_abbr[num(s + 5, 2) - 1], s);
}

/* "about.md" -> "/about/", "index.md" -> "/", "blog/index.md" -> "/blog/",
 * "404.md" -> "/404.html". Each segment is slugged. */
static int content_url(struct page *pg, const char *rel, const char *slug,
		       struct slugger *slugs, struct arena *a, struct diag *d)
{
	struct strbuf url = STRBUF_INIT, out = STRBUF_INIT;
	size_t n = strlen(rel) - 3;	/* without ".md" */
	const char *p = rel, *end = rel + n;
	int rc = 0;

	if (n == 3 && !memcmp(rel, "404", 3) && !slug) {
		pg->url = "/404.html";
		pg->out = "404.html";
		return 0;
	}
	strbuf_addch(&url, '/');
	while (p < end) {
		const char *e = memchr(p, '/', (size_t)(end - p));
		size_t k = e ? (size_t)(e - p) : (size_t)(end - p);
		bool last = !e;

		if (last && k == 5 && !memcmp(p, "index", 5) && !slug)
			break;
		if (last && slug)
			p = slug, k = strlen(slug);
		if (!slug_append(slugs, &url, p, k)) {
			rc = diag_error(d, pg->src, 0, 0, "cannot make a URL from the name '%.*s'",
					(int)k, p);
			break;
		}
		strbuf_addch(&url, '/');
		if (last)
			break;
		p += k + 1;
	}
	strbuf_add(&out, url.buf + 1, url.len - 1);
	strbuf_adds(&out, "index.html");
	pg->url = arena_strndup(a, url.buf, url.len);
	pg->out = arena_strndup(a, out.buf, out.len);
	strbuf_release(&url);
	strbuf_release(&out);
	return rc;
}

static bool slug_is_safe(const char *s)
{
	if (!*s || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

static const char *const fm_keys = "title, description, layout, slug, date, draft, weight, "
				   "menu, params";

/* title, description, layout, slug, date: strings, each checked */
static int fm_string(struct page *pg, struct ydoc *y, const char *key, const struct ynode *v,
		     const char **slug, struct arena *a)
{
	const char *s = ynode_scalar(v);

	if (!s || ynode_is_null(v))
		return ydoc_error(y, v, "front matter: expected a string for '%s', found %s", key,
				  ynode_describe(v));
	if (!strcmp(key, "title")) {
		pg->title = arena_strdup(a, s);
	} else if (!strcmp(key, "description")) {
		pg->description = arena_strdup(a, s);
	} else if (!strcmp(key, "layout")) {
		if (!mustache_name_is_safe(s))
			return ydoc_error(y, v, "front matter: layout '%s' is not a template name", s);
		pg->layout = arena_strdup(a, s);
		ynode_pos(y, v, &pg->layout_at);
	} else if (!strcmp(key, "slug")) {
		if (!slug_is_safe(s))
			return ydoc_error(y, v, "front matter: expected a slug of a-z, 0-9, '-' and "
					  "'_' for 'slug', found '%s'", s);
		if (!strcmp(s, "index"))
			return ydoc_error(y, v, "front matter: the slug 'index' would be redirected "
					  "by Vercel's cleanUrls (an index page is its directory's): "
					  "name the file index.md instead");
		*slug = arena_strdup(a, s);
	} else {
		if (!date_is_valid(s))
			return ydoc_error(y, v, "front matter: expected a date such as 2026-03-14 or "
					  "2026-03-14T10:00:00+01:00 for 'date', found '%s'", s);
		pg->date = arena_strdup(a, s);
	}
	return 0;
}

static int fm_menu(struct page *pg, struct ydoc *y, const struct ynode *v, struct arena *a)
{
	int rc = 0;

	if (ynode_type(v) == YN_SCALAR && !ynode_is_null(v)) {
		pg->menus = arena_alloc(a, sizeof(*pg->menus));
		pg->menus[0] = arena_strdup(a, ynode_scalar(v));
		pg->nmenus = 1;
		return 0;
	}
	if (ynode_type(v) != YN_LIST)
		return ydoc_error(y, v, "front matter: expected a menu name or a list of them for "
				  "'menu', found %s", ynode_describe(v));
	pg->menus = arena_alloc(a, (ynode_count(v) + 1) * sizeof(*pg->menus));
	for (size_t i = 0; i < ynode_count(v); i++) {
		const struct ynode *e = ynode_item(y, v, i);

		if (!ynode_scalar(e)) {
			rc = ydoc_error(y, e, "front matter: expected a menu name, found %s",
					ynode_describe(e));
			continue;
		}
		pg->menus[pg->nmenus++] = arena_strdup(a, ynode_scalar(e));
	}
	return rc;
}

static int fm_pair(struct page *pg, struct ydoc *y, const char *key, const struct ynode *k,
		   const struct ynode *v, const char **slug, struct arena *a)
{
	const char *s = ynode_scalar(v);

	if (!strcmp(key, "title") || !strcmp(key, "description") || !strcmp(key, "layout") ||
	    !strcmp(key, "slug") || !strcmp(key, "date"))
		return fm_string(pg, y, key, v, slug, a);
	if (!strcmp(key, "draft")) {
		if (strcmp(ynode_describe(v), "a boolean"))
			return ydoc_error(y, v, "front matter: expected true or false for 'draft', "
					  "found %s", ynode_describe(v));
		pg->draft = s[0] == 't' || s[0] == 'T';
		return 0;
	}
	if (!strcmp(key, "weight")) {
		char *end;
		long w = 0;

		errno = 0;
		if (s && ynode_is_plain(v))
			w = strtol(s, &end, 10);
		if (!s || !ynode_is_plain(v) || errno || !*s || *end)
			return ydoc_error(y, v, "front matter: expected an integer for 'weight', "
					  "found %s", ynode_describe(v));
		pg->weight = w;
		return 0;
	}
	if (!strcmp(key, "menu"))
		return fm_menu(pg, y, v, a);
	if (!strcmp(key, "params")) {
		if (ynode_type(v) != YN_MAP)
			return ydoc_error(y, v, "front matter: expected a mapping for 'params', "
					  "found %s", ynode_describe(v));
		pg->params = ydoc_to_value(y, v, a);
		return pg->params ? 0 : -1;
	}
	return ydoc_error(y, k, "front matter: unknown key '%s': expected one of %s", key, fm_keys);
}

static int front_matter(struct page *pg, struct ydoc *y, const char **slug, struct arena *a)
{
	const struct ynode *root = ydoc_root(y);
	struct strmap *seen;
	int rc = 0;

	if (!root)
		return 0;
	if (ynode_type(root) != YN_MAP)
		return ydoc_error(y, root, "front matter: expected a mapping, found %s",
				  ynode_describe(root));
	seen = strmap_new(16);
	for (size_t i = 0; i < ynode_count(root); i++) {
		const struct ynode *k = ynode_key(y, root, i), *v = ynode_value(y, root, i);
		const char *key = ynode_scalar(k);
		size_t first = i;

		if (!key) {
			rc = ydoc_error(y, k, "front matter: expected a string as key, found %s",
					ynode_describe(k));
		} else if (!strmap_put(seen, key, &first)) {
			rc = ydoc_error(y, k, "front matter: duplicate key '%s'", key);
		} else if (fm_pair(pg, y, key, k, v, slug, a) < 0) {
			rc = -1;
		}
	}
	strmap_free(seen);
	return rc;
}

static int load_page(struct page *pg, int dirfd, const char *path, const char *rel,
		     struct slugger *slugs, struct arena *a, struct diag *d)
{
	char *src, *html;
	size_t len, ylen;
	const char *yaml, *body, *slug = NULL;
	struct ydoc *y;
	int rc = 0;

	memset(pg, 0, sizeof(*pg));
	pg->src = arena_strdup(a, path);
	if (read_text_at(d, dirfd, path, &src, &len) < 0)
		return -1;
	{
		/* a byte order mark is allowed, and skipped */
		const char *s = src;
		size_t n = len;

		if (n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) {
			s += 3;
			n -= 3;
		}
		if (front_matter_split(path, s, n, &yaml, &ylen, &body, d) < 0) {
			free(src);
			return -1;
		}
		len = n - (size_t)(body - s);
	}
	/* FNV-1a of the front matter: an edit that leaves it alone changes
	 * this page's body only (presetgen serve re-renders that page alone) */
	pg->front = 14695981039346656037ull;
	for (size_t i = 0; yaml && i < ylen; i++)
		pg->front = (pg->front ^ (unsigned char)yaml[i]) * 1099511628211ull;
	if (yaml) {
		y = ydoc_load(pg->src, yaml, ylen, 1, d);
		if (!y) {
			free(src);
			return -1;
		}
		rc = front_matter(pg, y, &slug, a);
		ydoc_free(y);
	}
	if (!pg->params)
		pg->params = value_map(a, 0);
	if (!pg->title) {
		/* the file's name, as a title: "how-it-works" -> "how it works" */
		const char *base = strrchr(rel, '/');
		char *t = arena_strdup(a, base ? base + 1 : rel);

		t[strlen(t) - 3] = '\0';
		for (char *q = t; *q; q++)
			if (*q == '-' || *q == '_')
				*q = ' ';
		pg->title = t;
	}
	if (content_url(pg, rel, slug, slugs, a, d) < 0)
		rc = -1;
	/* Content in the repository is the site's own: raw HTML is allowed. */
	html = cmark_markdown_to_html(body, len, CMARK_OPT_UNSAFE | CMARK_OPT_SMART);
	if (!html)
		oom("out of memory rendering Markdown");
	pg->html = arena_strdup(a, html);
	free(html);
	free(src);
	return rc;
}

int content_load(int dirfd, const char *dir, bool drafts, struct slugger *slugs,
		 struct page **pages, size_t *n, struct arena *a, struct diag *d)
{
	char **files;
	long nf = list_files_at(dirfd, dir, ".md", &files);
	struct strmap *urls;
	struct page *pg;
	size_t count = 0;
	int rc = 0;

	*pages = NULL;
	*n = 0;
	if (nf < 0) {
		if (errno == ENOENT)
			return 0;
		return diag_syserror(d, dir, "cannot list: %s", strerror(errno));
	}
	pg = arena_alloc(a, (size_t)(nf ? nf : 1) * sizeof(*pg));
	for (long i = 0; i < nf; i++) {
		struct strbuf path = STRBUF_INIT;

		/* content/data/ holds snapshots, not pages */
		if (!strncmp(files[i], "data/", 5))
			continue;
		strbuf_addf(&path, "%s/%s", dir, files[i]);
		if (load_page(&pg[count], dirfd, path.buf, files[i], slugs, a, d) < 0)
			rc = -1;
		else if (!pg[count].draft || drafts)
			count++;
		strbuf_release(&path);
	}
	/* two pages at one URL would overwrite each other */
	urls = strmap_new(count);
	for (size_t i = 0; i < count; i++) {
		size_t first = i;

		if (pg[i].url && !strmap_put(urls, pg[i].url, &first))
			rc = diag_error(d, pg[i].src, 0, 0, "has the URL %s of %s too", pg[i].url,
					pg[first].src);
	}
	strmap_free(urls);
	free_list(files, nf);
	*pages = pg;
	*n = count;
	return rc;
}
