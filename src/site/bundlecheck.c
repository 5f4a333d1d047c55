/* `presetgen check --bundle DIR` on a built bundle: every page parses as
 * HTML (libxml2), every internal link and asset reference names a file of
 * the bundle, every XML file (sitemap, feed) is well-formed; and (with
 * bundleroutes.c) every file, sitemap <loc> and redirect replayed through
 * Vercel's routing ends at its own file. */
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
	struct bundle_view *view;	/* files and redirects, for links */
};

static void check_url(struct bc *c, xmlNode *n, const char *v)
{
	size_t q = 0;

	while (*v == ' ')
		v++;
	if (v[0] != '/' || v[1] == '/')
		return;	/* external, relative to the page, or a fragment */
	while (v[q] && v[q] != '?' && v[q] != '#' && v[q] != ' ')
		q++;
	if (!bundle_link_ok(c->view, v, q)) {
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
				if (s[0] == '/' && s[1] != '/' &&
				    !bundle_link_ok(c->view, s, strcspn(s, "?#"))) {
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

int bundle_check(const char *dir, struct diag *d, size_t *pages)
{
	struct bc c = { dir, NULL, d, 0, NULL };
	char **files;
	long n = list_files_all(dir, &files);

	*pages = 0;
	if (n < 0)
		return diag_error(d, dir, 0, 0, "cannot read the bundle: %s", strerror(errno));
	c.view = bundle_view_new(dir, files, n, d);
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
	bundle_routes(c.view);
	c.errors += bundle_view_free(c.view);
	free_list(files, n);
	return c.errors ? -1 : 0;
}
