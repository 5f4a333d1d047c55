/* Vercel's routing of the bundle presetgen writes: vercel.json turns on
 * cleanUrls and trailingSlash, and @vercel/routing-utils (6.6.0,
 * superstatic.js) makes these routes of them, in this order, before the
 * redirects and before any file is served:
 *
 *   ^/(?:(.+)/)?index(?:\.html)?/?$      308 /$1/   cleanUrls
 *   ^/(.*)\.html/?$                     308 /$1/   cleanUrls
 *   ^/\.well-known(?:/.*)?$             (ends the routes: served as it is)
 *   ^/((?:[^/]+/)*[^/\.]+)$             308 /$1/   trailingSlash
 *   ^/((?:[^/]+/)*[^/]+\.\w+)/$         308 /$1    trailingSlash
 *
 * then the redirects of vercel.json, then the filesystem (/x/ is
 * x/index.html; with cleanUrls /x is also x.html). The planner uses these
 * rules so that it never plans a page they would send elsewhere; check
 * --bundle replays the bundle through them. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* The last segment of path [s, e) (without a trailing '/'). */
static void last_segment(const char *path, size_t n, const char **seg, size_t *len)
{
	const char *e = path + n, *b;

	if (e > path && e[-1] == '/')
		e--;
	b = e;
	while (b > path && b[-1] != '/')
		b--;
	*seg = b;
	*len = (size_t)(e - b);
}

/* [^/]+\.\w+ over a whole segment: something, a dot, word characters. */
static bool has_extension(const char *seg, size_t len)
{
	size_t i = len;

	while (i > 0 && word_char(seg[i - 1]))
		i--;
	return i < len && i >= 2 && seg[i - 1] == '.';
}

const char *vercel_rule(const char *path, struct strbuf *location)
{
	size_t n = strlen(path), len;
	bool slash = n > 1 && path[n - 1] == '/';
	const char *seg;

	strbuf_reset(location);
	if (path[0] != '/')
		return NULL;
	last_segment(path, n, &seg, &len);
	if ((len == 5 && !memcmp(seg, "index", 5)) || (len == 10 && !memcmp(seg, "index.html", 10))) {
		strbuf_add(location, path, (size_t)(seg - path));
		if (!location->len || location->buf[location->len - 1] != '/')
			strbuf_addch(location, '/');
		return "cleanUrls (an index page is its directory)";
	}
	if (len >= 5 && !memcmp(seg + len - 5, ".html", 5)) {
		strbuf_add(location, path, (size_t)(seg - path) + len - 5);
		strbuf_addch(location, '/');
		return "cleanUrls (.html is dropped)";
	}
	if (!strncmp(path, "/.well-known", 12) && (path[12] == '/' || !path[12]))
		return NULL;
	if (!slash && len && !memchr(seg, '.', len)) {
		strbuf_addf(location, "%s/", path);
		return "trailingSlash (a slash is added)";
	}
	if (slash && has_extension(seg, len)) {
		strbuf_add(location, path, n - 1);
		return "trailingSlash (a file name loses its slash)";
	}
	return NULL;
}

bool url_segment(struct slugger *sl, struct strbuf *out, const char *s, size_t len, bool *renamed)
{
	size_t start = out->len;

	*renamed = false;
	if (!slug_append(sl, out, s, len))
		return false;
	/* the one slug the rules above touch: "index" as a path's last
	 * segment. A slug never ends in '-', so "index-" is no other value's. */
	if (out->len - start == 5 && !memcmp(out->buf + start, "index", 5)) {
		strbuf_addch(out, '-');
		*renamed = true;
	}
	return true;
}

/* ---- the whole route, for check --bundle ------------------------------------ */

static bool literal(const char *s)
{
	return s[0] == '/' && !strpbrk(s, ":()*+?{}[]\\|^$");
}

/* The file a path names once routes are done, or false. */
static bool filesystem(const char *path, bool (*exists)(void *ud, const char *file), void *ud,
		       struct strbuf *file)
{
	size_t n = strlen(path);

	strbuf_reset(file);
	strbuf_adds(file, path + 1);
	if (!n || path[n - 1] == '/') {
		strbuf_adds(file, "index.html");
		if (exists(ud, file->buf))
			return true;
		/* cleanUrls: /x/ may also be x.html */
		strbuf_reset(file);
		strbuf_add(file, path + 1, n > 1 ? n - 2 : 0);
		strbuf_adds(file, ".html");
		return n > 1 && exists(ud, file->buf);
	}
	if (exists(ud, file->buf))
		return true;
	strbuf_adds(file, ".html");
	return exists(ud, file->buf);
}

void vercel_route(const char *path, const struct redirect *rd, size_t nrd,
		  bool (*exists)(void *ud, const char *file), void *ud, struct route *out)
{
	out->rule = vercel_rule(path, &out->where);
	if (out->rule) {
		out->end = ROUTE_REDIRECT;
		return;
	}
	/* .well-known ends the routes: redirects do not apply to it */
	if (strncmp(path, "/.well-known", 12) || (path[12] != '/' && path[12])) {
		for (size_t i = 0; i < nrd; i++)
			if (literal(rd[i].from) && !strcmp(rd[i].from, path)) {
				strbuf_reset(&out->where);
				strbuf_adds(&out->where, rd[i].to);
				out->rule = "a redirect of vercel.json";
				out->end = ROUTE_REDIRECT;
				return;
			}
	}
	out->rule = NULL;
	out->end = filesystem(path, exists, ud, &out->where) ? ROUTE_FILE : ROUTE_NONE;
}

enum site_route_end site_route(const char *path, const struct site_redirect *rd, size_t nrd,
			       bool (*exists)(void *ud, const char *file), void *ud,
			       struct strbuf *where)
{
	struct redirect *r = xcalloc(nrd + 1, sizeof(*r));
	struct route out = { .where = STRBUF_INIT };

	for (size_t i = 0; i < nrd; i++)
		r[i] = (struct redirect){ rd[i].from, rd[i].to, rd[i].permanent };
	vercel_route(path, r, nrd, exists, ud, &out);
	free(r);
	strbuf_reset(where);
	strbuf_add(where, out.where.buf, out.where.len);
	strbuf_release(&out.where);
	return out.end == ROUTE_FILE ? SITE_ROUTE_FILE :
	       out.end == ROUTE_REDIRECT ? SITE_ROUTE_REDIRECT : SITE_ROUTE_NONE;
}
