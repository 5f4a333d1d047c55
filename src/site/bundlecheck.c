/* `presetgen check --bundle DIR` on a built bundle: every page parses as
 * HTML (libxml2), every internal link and asset reference names a file of
 * the bundle, every XML file (sitemap, feed) is well-formed, every redirect
 * in vercel.json goes to a file without hiding one. */
#include "internal.h"

#include <errno.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct bc {
	const char *dir;
	const char *page;
	struct diag *d;
	int errors;
};

/* Whether an internal URL path names a file of the bundle, as Vercel would
 * serve it with cleanUrls and trailingSlash: /x/ is x/index.html, /x is
 * x.html or x/index.html. */
static bool resolves(const char *dir, const char *url, size_t n)
{
	struct strbuf p = STRBUF_INIT;
	bool ok;

	strbuf_addf(&p, "%s%.*s", dir, (int)n, url);
	if (n && url[n - 1] == '/') {
		strbuf_adds(&p, "index.html");
		ok = path_exists(p.buf);
	} else {
		ok = path_exists(p.buf) && !is_dir(p.buf);
		if (!ok) {
			size_t base = p.len;

			strbuf_adds(&p, ".html");
			ok = path_exists(p.buf);
			p.len = base;
			p.buf[base] = '\0';
			strbuf_adds(&p, "/index.html");
			ok = ok || path_exists(p.buf);
		}
	}
	strbuf_release(&p);
	return ok;
}

static void check_url(struct bc *c, xmlNode *n, const char *v)
{
	size_t q = 0;

	while (*v == ' ')
		v++;
	if (v[0] != '/' || v[1] == '/')
		return;	/* external, relative to the page, or a fragment */
	while (v[q] && v[q] != '?' && v[q] != '#' && v[q] != ' ')
		q++;
	if (!resolves(c->dir, v, q)) {
		diag_error(c->d, c->page, (unsigned)xmlGetLineNo(n), 0,
			   "the link '%.*s' resolves to no file of the bundle", (int)q, v);
		c->errors++;
	}
}

static void walk(struct bc *c, xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (xmlAttr *a = n->properties; a; a = a->next) {
			const char *name = (const char *)a->name;
			xmlChar *v;

			if (strcasecmp(name, "href") && strcasecmp(name, "src") &&
			    strcasecmp(name, "srcset") && strcasecmp(name, "poster"))
				continue;
			v = xmlNodeGetContent((xmlNode *)a);
			if (!v)
				continue;
			if (!strcasecmp(name, "srcset")) {
				/* "URL 1x, URL 2x" */
				char *save = NULL, *dup = xstrdup((const char *)v);

				for (char *e = strtok_r(dup, ",", &save); e; e = strtok_r(NULL, ",", &save))
					check_url(c, n, e);
				free(dup);
			} else {
				check_url(c, n, (const char *)v);
			}
			xmlFree(v);
		}
		walk(c, n->children);
	}
}

/* libxml2's messages end with a newline */
static int msglen(const xmlErrorPtr e)
{
	size_t n = e->message ? strlen(e->message) : 0;

	while (n && (e->message[n - 1] == '\n' || e->message[n - 1] == ' '))
		n--;
	return (int)n;
}

/* libxml2 parses HTML 4: the HTML5 elements it does not know are not errors. */
static void html_error(void *ctx, xmlErrorPtr e)
{
	struct bc *c = ctx;

	if (e->code == XML_HTML_UNKNOWN_TAG || e->level < XML_ERR_ERROR)
		return;
	diag_error(c->d, c->page, (unsigned)e->line, (unsigned)e->int2, "HTML: %.*s",
		   msglen(e), e->message ? e->message : "");
	c->errors++;
}

static void xml_error(void *ctx, xmlErrorPtr e)
{
	struct bc *c = ctx;

	if (e->level < XML_ERR_ERROR)
		return;
	diag_error(c->d, c->page, (unsigned)e->line, (unsigned)e->int2, "XML: %.*s",
		   msglen(e), e->message ? e->message : "");
	c->errors++;
}

/* A web app manifest's "src" values (icons, screenshots) resolve. */
static void check_manifest_srcs(struct bc *c, json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, key, x) {
			const char *s = json_string_value(x);

			if (!strcmp(key, "src") && s) {
				if (s[0] == '/' && s[1] != '/' && !resolves(c->dir, s, strcspn(s, "?#"))) {
					diag_error(c->d, c->page, 0, 0, "the icon '%s' resolves to no "
						   "file of the bundle", s);
					c->errors++;
				}
			} else {
				check_manifest_srcs(c, x);
			}
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			check_manifest_srcs(c, x);
	}
}

/* A path with nothing path-to-regexp would read as a pattern. */
static bool literal(const char *s)
{
	return s[0] == '/' && !strpbrk(s, ":()*+?{}[]\\|^$");
}

/* vercel.json's redirects with literal paths: the destination is a file of
 * the bundle, and the source is not (Vercel redirects before it serves
 * files, so a source that is a page would hide it). */
static void check_redirects(struct bc *c)
{
	struct strbuf path = STRBUF_INIT;
	json_error_t err;
	json_t *root, *rs;

	strbuf_addf(&path, "%s/vercel.json", c->dir);
	if (!path_exists(path.buf)) {
		strbuf_release(&path);
		return;
	}
	root = json_load_file(path.buf, 0, &err);
	if (!root) {
		diag_error(c->d, path.buf, (unsigned)err.line, (unsigned)err.column, "%s", err.text);
		c->errors++;
		strbuf_release(&path);
		return;
	}
	rs = json_object_get(root, "redirects");
	for (size_t i = 0; i < json_array_size(rs); i++) {
		const char *from = json_string_value(json_object_get(json_array_get(rs, i), "source"));
		const char *to = json_string_value(json_object_get(json_array_get(rs, i), "destination"));

		if (!from || !to) {
			diag_error(c->d, path.buf, 0, 0, "redirects[%zu]: expected a source and a "
				   "destination", i);
			c->errors++;
			continue;
		}
		if (literal(to) && !resolves(c->dir, to, strcspn(to, "?#"))) {
			diag_error(c->d, path.buf, 0, 0, "redirects[%zu]: '%s' goes to '%s', which "
				   "resolves to no file of the bundle", i, from, to);
			c->errors++;
		}
		if (literal(from) && resolves(c->dir, from, strlen(from))) {
			diag_error(c->d, path.buf, 0, 0, "redirects[%zu]: '%s' is a file of the "
				   "bundle, which the redirect would hide", i, from);
			c->errors++;
		}
	}
	json_decref(root);
	strbuf_release(&path);
}

int bundle_check(const char *dir, struct diag *d, size_t *pages)
{
	struct bc c = { dir, NULL, d, 0 };
	char **files;
	long n = list_files_all(dir, &files);

	*pages = 0;
	if (n < 0)
		return diag_error(d, dir, 0, 0, "cannot read the bundle: %s", strerror(errno));
	for (long i = 0; i < n; i++) {
		struct strbuf path = STRBUF_INIT;
		char *buf;
		size_t len;

		strbuf_addf(&path, "%s/%s", dir, files[i]);
		c.page = path.buf;
		if (str_endswith(files[i], ".html")) {
			htmlParserCtxtPtr ctx = htmlNewParserCtxt();
			htmlDocPtr doc;

			if (read_file(path.buf, &buf, &len) < 0) {
				diag_syserror(d, path.buf, "cannot read: %s", strerror(errno));
				c.errors++;
			} else {
				xmlSetStructuredErrorFunc(&c, html_error);
				doc = htmlCtxtReadMemory(ctx, buf, (int)len, path.buf, "UTF-8",
							 HTML_PARSE_NONET | HTML_PARSE_NOWARNING);
				if (doc)
					walk(&c, xmlDocGetRootElement(doc));
				xmlFreeDoc(doc);
				free(buf);
				(*pages)++;
			}
			htmlFreeParserCtxt(ctx);
		} else if (str_endswith(files[i], ".webmanifest")) {
			json_error_t err;
			json_t *root = json_load_file(path.buf, 0, &err);

			if (!root) {
				diag_error(d, path.buf, (unsigned)err.line, (unsigned)err.column, "%s",
					   err.text);
				c.errors++;
			}
			check_manifest_srcs(&c, root);
			json_decref(root);
		} else if (str_endswith(files[i], ".xml")) {
			xmlParserCtxtPtr ctx = xmlNewParserCtxt();
			xmlDocPtr doc;

			xmlSetStructuredErrorFunc(&c, xml_error);
			doc = xmlCtxtReadFile(ctx, path.buf, NULL, XML_PARSE_NONET);
			if (!doc && !c.errors) {
				diag_error(d, path.buf, 0, 0, "XML: not well-formed");
				c.errors++;
			}
			xmlFreeDoc(doc);
			xmlFreeParserCtxt(ctx);
		}
		strbuf_release(&path);
	}
	xmlSetStructuredErrorFunc(NULL, NULL);
	free_list(files, n);
	check_redirects(&c);
	return c.errors ? -1 : 0;
}
