#include "content.h"
#include "arena.h"
#include "diag.h"
#include "fsutil.h"
#include "mustache.h"
#include "strbuf.h"
#include "text.h"
#include "tz.h"
#include "util.h"
#include "value.h"
#include "yamldoc.h"

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
static int page_url(struct page *pg, const char *rel, const char *slug,
		    struct arena *a, struct diag *d)
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
		if (!slugify(&url, p, k)) {
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

static int front_matter(struct page *pg, struct ydoc *y, const char **slug,
			struct arena *a)
{
	yaml_node_t *root = ydoc_root(y);
	int rc = 0;

	if (!root)
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return ydoc_error(y, root, "front matter: expected a mapping, found %s",
				  ydoc_describe(root));
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(y, p->key), *v = ydoc_node(y, p->value);
		const char *key = ydoc_scalar(k), *s = ydoc_scalar(v);
		const char *kind = ydoc_describe(v);
		bool str = s && strcmp(kind, "null");

		if (!key) {
			rc = ydoc_error(y, k, "front matter: expected a string as key, found %s", kind);
		} else if (!strcmp(key, "title") || !strcmp(key, "description") ||
			   !strcmp(key, "layout") || !strcmp(key, "slug") || !strcmp(key, "date")) {
			if (!str) {
				rc = ydoc_error(y, v, "front matter: expected a string for '%s', found %s",
						key, kind);
				continue;
			}
			if (!strcmp(key, "title")) {
				pg->title = arena_strdup(a, s);
			} else if (!strcmp(key, "description")) {
				pg->description = arena_strdup(a, s);
			} else if (!strcmp(key, "layout")) {
				if (!mustache_name_is_safe(s)) {
					rc = ydoc_error(y, v, "front matter: layout '%s' is not a template name", s);
					continue;
				}
				pg->layout = arena_strdup(a, s);
				pg->layout_line = (unsigned)v->start_mark.line + 1 + y->line_offset;
				pg->layout_col = (unsigned)v->start_mark.column + 1;
			} else if (!strcmp(key, "slug")) {
				if (!slug_is_safe(s)) {
					rc = ydoc_error(y, v, "front matter: expected a slug of a-z, 0-9, "
							"'-' and '_' for 'slug', found '%s'", s);
					continue;
				}
				*slug = arena_strdup(a, s);
			} else {
				if (!date_is_valid(s)) {
					rc = ydoc_error(y, v, "front matter: expected a date such as "
							"2026-03-14 or 2026-03-14T10:00:00+01:00 for 'date', "
							"found '%s'", s);
					continue;
				}
				pg->date = arena_strdup(a, s);
			}
		} else if (!strcmp(key, "draft")) {
			if (strcmp(kind, "a boolean")) {
				rc = ydoc_error(y, v, "front matter: expected true or false for 'draft', "
						"found %s", kind);
				continue;
			}
			pg->draft = s[0] == 't' || s[0] == 'T';
		} else if (!strcmp(key, "weight")) {
			char *end;
			long w;

			errno = 0;
			w = s && ydoc_is_plain(v) ? strtol(s, &end, 10) : 0;
			if (!s || !ydoc_is_plain(v) || errno || !*s || *end) {
				rc = ydoc_error(y, v, "front matter: expected an integer for 'weight', "
						"found %s", kind);
				continue;
			}
			pg->weight = w;
		} else if (!strcmp(key, "menu")) {
			if (v->type == YAML_SCALAR_NODE && str) {
				pg->menus = arena_alloc(a, sizeof(*pg->menus));
				pg->menus[0] = arena_strdup(a, s);
				pg->nmenus = 1;
			} else if (v->type == YAML_SEQUENCE_NODE) {
				size_t cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);

				pg->menus = arena_alloc(a, (cnt ? cnt : 1) * sizeof(*pg->menus));
				for (yaml_node_item_t *it = v->data.sequence.items.start;
				     it < v->data.sequence.items.top; it++) {
					yaml_node_t *e = ydoc_node(y, *it);

					if (!ydoc_scalar(e)) {
						rc = ydoc_error(y, e, "front matter: expected a menu name, found %s",
								ydoc_describe(e));
						continue;
					}
					pg->menus[pg->nmenus++] = arena_strdup(a, ydoc_scalar(e));
				}
			} else {
				rc = ydoc_error(y, v, "front matter: expected a menu name or a list of "
						"them for 'menu', found %s", kind);
			}
		} else if (!strcmp(key, "params")) {
			if (v->type != YAML_MAPPING_NODE) {
				rc = ydoc_error(y, v, "front matter: expected a mapping for 'params', "
						"found %s", kind);
				continue;
			}
			pg->params = ydoc_to_value(y, v, a);
			if (!pg->params)
				rc = -1;
		} else {
			rc = ydoc_error(y, k, "front matter: unknown key '%s': expected one of title, "
					"description, layout, slug, date, draft, weight, menu, params", key);
		}
	}
	return rc;
}

static int load_page(struct page *pg, const char *path, const char *rel,
		     struct arena *a, struct diag *d)
{
	char *src, *html;
	size_t len, ylen;
	const char *yaml, *body, *slug = NULL;
	struct ydoc y;
	int rc = 0;

	memset(pg, 0, sizeof(*pg));
	pg->src = arena_strdup(a, path);
	if (read_text(d, path, &src, &len) < 0)
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
	if (yaml) {
		if (ydoc_load(&y, path, yaml, ylen, 1, d) < 0) {
			free(src);
			return -1;
		}
		rc = front_matter(pg, &y, &slug, a);
		ydoc_release(&y);
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
	if (page_url(pg, rel, slug, a, d) < 0)
		rc = -1;
	/* Content in the repository is the site's own: raw HTML is allowed. */
	html = cmark_markdown_to_html(body, len, CMARK_OPT_UNSAFE | CMARK_OPT_SMART);
	pg->html = arena_strdup(a, html);
	free(html);
	free(src);
	return rc;
}

int content_load(const char *dir, bool drafts, struct page **pages, size_t *n,
		 struct arena *a, struct diag *d)
{
	char **files;
	long nf = list_files(dir, ".md", &files);
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
		if (load_page(&pg[count], path.buf, files[i], a, d) < 0)
			rc = -1;
		else if (!pg[count].draft || drafts)
			count++;
		strbuf_release(&path);
	}
	/* two pages at one URL would overwrite each other */
	for (size_t i = 0; i < count; i++)
		for (size_t j = i + 1; j < count; j++)
			if (!strcmp(pg[i].url, pg[j].url))
				rc = diag_error(d, pg[j].src, 0, 0, "has the URL %s of %s too",
						pg[j].url, pg[i].src);
	free_list(files, nf);
	*pages = pg;
	*n = count;
	return rc;
}
