/* check --bundle's replay of a bundle through Vercel's routing (routing.c):
 * every page and every other file must be served at its own URL with no
 * redirect, every <loc> of the sitemaps must be such a page, and every
 * redirect of vercel.json must be reachable (not sent elsewhere first by
 * cleanUrls or trailingSlash, not hiding a file) and end at a file. */
#include "internal.h"

#include <errno.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

struct bundle_view {
	const char *dir;
	struct diag *d;
	char **files;
	long nfiles;
	struct strmap *has;		/* file -> index */
	struct redirect *rd;		/* vercel.json's */
	size_t nrd;
	struct arena a;
	int errors;
};

static bool exists(void *ud, const char *file)
{
	size_t i;

	return strmap_get(((struct bundle_view *)ud)->has, file, &i);
}

static void load_redirects(struct bundle_view *v)
{
	struct strbuf path = STRBUF_INIT;
	json_error_t err;
	json_t *root, *rs;

	strbuf_addf(&path, "%s/vercel.json", v->dir);
	root = path_exists(path.buf) ? json_load_file(path.buf, 0, &err) : NULL;
	if (!root && path_exists(path.buf)) {
		diag_error(v->d, path.buf, (unsigned)err.line, (unsigned)err.column, "%s", err.text);
		v->errors++;
	}
	rs = json_object_get(root, "redirects");
	v->rd = arena_calloc(&v->a, (json_array_size(rs) + 1) * sizeof(*v->rd));
	for (size_t i = 0; i < json_array_size(rs); i++) {
		json_t *r = json_array_get(rs, i);
		const char *from = json_string_value(json_object_get(r, "source"));
		const char *to = json_string_value(json_object_get(r, "destination"));

		if (!from || !to) {
			diag_error(v->d, path.buf, 0, 0, "redirects[%zu]: expected a source and a "
				   "destination", i);
			v->errors++;
			continue;
		}
		v->rd[v->nrd].from = arena_strdup(&v->a, from);
		v->rd[v->nrd].to = arena_strdup(&v->a, to);
		v->nrd++;
	}
	json_decref(root);
	strbuf_release(&path);
}

struct bundle_view *bundle_view_new(const char *dir, char **files, long n, struct diag *d)
{
	struct bundle_view *v = xcalloc(1, sizeof(*v));

	v->dir = dir;
	v->d = d;
	v->files = files;
	v->nfiles = n;
	v->has = strmap_new((size_t)n);
	for (long i = 0; i < n; i++) {
		size_t k = (size_t)i;

		strmap_put(v->has, files[i], &k);
	}
	load_redirects(v);
	return v;
}

int bundle_view_free(struct bundle_view *v)
{
	int errors = v->errors;

	strmap_free(v->has);
	arena_release(&v->a);
	free(v);
	return errors;
}

bool bundle_link_ok(struct bundle_view *v, const char *path, size_t n)
{
	struct strbuf p = STRBUF_INIT;
	struct route r;
	bool ok = false;

	strbuf_add(&p, path, n);
	strbuf_init(&r.where);
	/* a link may take a redirect or two, as a browser follows them */
	for (int hops = 0; hops < 5; hops++) {
		vercel_route(p.buf, v->rd, v->nrd, exists, v, &r);
		if (r.end != ROUTE_REDIRECT || r.where.buf[0] != '/')
			break;
		strbuf_reset(&p);
		strbuf_add(&p, r.where.buf, r.where.len);
	}
	ok = r.end == ROUTE_FILE;
	strbuf_release(&r.where);
	strbuf_release(&p);
	return ok;
}

/* The URL at which a file is meant to be served: x/index.html at /x/,
 * x.html at /x/, anything else at its own path. */
static void url_of(const char *file, struct strbuf *url)
{
	size_t n = strlen(file);

	strbuf_reset(url);
	strbuf_addch(url, '/');
	if (!strcmp(file, "index.html"))
		return;
	if (n > 11 && !strcmp(file + n - 11, "/index.html")) {
		strbuf_add(url, file, n - 10);
		return;
	}
	if (n > 5 && !strcmp(file + n - 5, ".html")) {
		strbuf_add(url, file, n - 5);
		strbuf_addch(url, '/');
		return;
	}
	strbuf_adds(url, file);
}

/* Whether path is served as file itself, with no redirect; reports it
 * (about what, a file of the bundle) otherwise. */
static bool served_at(struct bundle_view *v, const char *what, const char *path,
		      const char *file)
{
	struct route r;
	bool ok;

	strbuf_init(&r.where);
	vercel_route(path, v->rd, v->nrd, exists, v, &r);
	ok = r.end == ROUTE_FILE && (!file || !strcmp(r.where.buf, file));
	if (r.end == ROUTE_REDIRECT)
		diag_error(v->d, what, 0, 0, "its URL %s is redirected to %s by %s", path,
			   r.where.buf, r.rule);
	else if (!ok)
		diag_error(v->d, what, 0, 0, "its URL %s serves %s", path,
			   r.end == ROUTE_FILE ? r.where.buf : "nothing");
	v->errors += !ok;
	strbuf_release(&r.where);
	return ok;
}

/* Every file but vercel.json (which configures, not serves) and the 404
 * page (served for what is missing) at its own URL. */
static void replay_files(struct bundle_view *v)
{
	struct strbuf url = STRBUF_INIT, what = STRBUF_INIT;

	for (long i = 0; i < v->nfiles; i++) {
		if (!strcmp(v->files[i], "vercel.json") || !strcmp(v->files[i], "404.html") ||
		    !strcmp(v->files[i], "404.html.gz"))
			continue;
		url_of(v->files[i], &url);
		strbuf_reset(&what);
		strbuf_addf(&what, "%s/%s", v->dir, v->files[i]);
		served_at(v, what.buf, url.buf, v->files[i]);
	}
	strbuf_release(&url);
	strbuf_release(&what);
}

/* The path of an absolute URL ("https://host/x/" -> "/x/"). */
static const char *path_of(const char *loc)
{
	const char *p = strstr(loc, "://");

	p = p ? strchr(p + 3, '/') : loc;
	return p ? p : "/";
}

static void replay_sitemap(struct bundle_view *v, const char *file)
{
	struct strbuf path = STRBUF_INIT;
	xmlDocPtr doc;

	strbuf_addf(&path, "%s/%s", v->dir, file);
	doc = xmlReadFile(path.buf, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
			  XML_PARSE_NOWARNING);
	/* <urlset><url><loc>: an index's <sitemap><loc> are its parts, files */
	for (xmlNode *u = doc ? xmlDocGetRootElement(doc)->children : NULL; u; u = u->next) {
		if (u->type != XML_ELEMENT_NODE || strcmp((const char *)u->name, "url"))
			continue;
		for (xmlNode *l = u->children; l; l = l->next) {
			xmlChar *loc;

			if (l->type != XML_ELEMENT_NODE || strcmp((const char *)l->name, "loc"))
				continue;
			loc = xmlNodeGetContent(l);
			if (loc)
				served_at(v, path.buf, path_of((const char *)loc), NULL);
			xmlFree(loc);
		}
	}
	xmlFreeDoc(doc);
	strbuf_release(&path);
}

static bool literal(const char *s)
{
	return s[0] == '/' && !strpbrk(s, ":()*+?{}[]\\|^$");
}

static void replay_redirects(struct bundle_view *v)
{
	struct strbuf what = STRBUF_INIT, loc = STRBUF_INIT;
	struct route r;

	strbuf_addf(&what, "%s/vercel.json", v->dir);
	strbuf_init(&r.where);
	for (size_t i = 0; i < v->nrd; i++) {
		const char *from = v->rd[i].from, *to = v->rd[i].to, *rule;

		if (!literal(from))
			continue;
		rule = vercel_rule(from, &loc);
		if (rule) {
			diag_error(v->d, what.buf, 0, 0, "redirects[%zu]: '%s' never fires: %s sends "
				   "it to %s first", i, from, rule, loc.buf);
			v->errors++;
		}
		vercel_route(from, NULL, 0, exists, v, &r);
		if (!rule && r.end == ROUTE_FILE) {
			diag_error(v->d, what.buf, 0, 0, "redirects[%zu]: '%s' is a file of the "
				   "bundle, which the redirect would hide", i, from);
			v->errors++;
		}
		if (!literal(to))
			continue;
		vercel_route(to, v->rd, v->nrd, exists, v, &r);
		if (r.end != ROUTE_FILE) {
			diag_error(v->d, what.buf, 0, 0, "redirects[%zu]: '%s' goes to '%s', which %s",
				   i, from, to, r.end == ROUTE_REDIRECT ? "is redirected again" :
				   "resolves to no file of the bundle");
			v->errors++;
		}
	}
	strbuf_release(&r.where);
	strbuf_release(&what);
	strbuf_release(&loc);
}

void bundle_routes(struct bundle_view *v)
{
	replay_files(v);
	for (long i = 0; i < v->nfiles; i++)
		if (!strncmp(v->files[i], "sitemap", 7) && str_endswith(v->files[i], ".xml"))
			replay_sitemap(v, v->files[i]);
	replay_redirects(v);
}
