/* Checks a built bundle against facts computed by SQL on the same data
 * (../shared/conformance/snapshots/small/expected.json):
 *
 *   snapshot-facts EXPECTED.json DIST [SNAPSHOT.json]
 *
 * Prints one TAP line per check. */
#include "base/base.h"

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int count, failed;

static void report(bool ok, const char *what, const char *detail)
{
	count++;
	if (!ok)
		failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", count, what);
	if (!ok && detail)
		printf("#   %s\n", detail);
}

struct file {
	char *path;
	char *data;
	size_t len;
};

static struct file *files;
static long nfiles;

/* The first file that contains s, raw or HTML-escaped; NULL if none. */
static const char *found_in(const char *s)
{
	struct strbuf esc = STRBUF_INIT;
	const char *hit = NULL;

	html_escape(&esc, s, strlen(s));
	for (long i = 0; i < nfiles && !hit; i++)
		if (memmem(files[i].data, files[i].len, s, strlen(s)) ||
		    memmem(files[i].data, files[i].len, esc.buf, esc.len))
			hit = files[i].path;
	strbuf_release(&esc);
	return hit;
}

static bool exists(const char *dist, const char *fmt, const char *arg)
{
	struct strbuf p = STRBUF_INIT;
	bool e;

	strbuf_addf(&p, "%s/", dist);
	strbuf_addf(&p, fmt, arg);
	e = path_exists(p.buf);
	strbuf_release(&p);
	return e;
}

/* Gig ids in the order the listing pages link them. */
static json_t *listing_ids(const char *dist)
{
	json_t *ids = json_array();

	for (int page = 1; ; page++) {
		struct strbuf p = STRBUF_INIT;
		char *buf;
		size_t len;

		if (page == 1)
			strbuf_addf(&p, "%s/gigs/index.html", dist);
		else
			strbuf_addf(&p, "%s/gigs/page/%d/index.html", dist, page);
		if (read_file(p.buf, &buf, &len) < 0) {
			strbuf_release(&p);
			break;
		}
		for (char *s = buf; (s = strstr(s, "href=\"/gigs/")); s++) {
			char *id = s + strlen("href=\"/gigs/");

			if (strlen(id) > 38 && id[36] == '/' && id[37] == '"' && id[8] == '-') {
				json_array_append_new(ids, json_stringn(id, 36));
			}
		}
		free(buf);
		strbuf_release(&p);
	}
	return ids;
}

struct html_bad {
	int scripts, handlers, urls;
	char first[200];
};

static void walk(xmlNode *n, struct html_bad *b)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!strcasecmp((const char *)n->name, "script")) {
			b->scripts++;
			if (!b->first[0])
				snprintf(b->first, sizeof(b->first), "<script>");
		}
		for (xmlAttr *a = n->properties; a; a = a->next) {
			xmlChar *v = xmlNodeGetContent((xmlNode *)a);
			const char *val = v ? (const char *)v : "";

			while (*val == ' ' || *val == '\t' || *val == '\n')
				val++;
			if (!strncasecmp((const char *)a->name, "on", 2)) {
				b->handlers++;
				if (!b->first[0])
					snprintf(b->first, sizeof(b->first), "%s=", a->name);
			}
			if ((!strcasecmp((const char *)a->name, "href") ||
			     !strcasecmp((const char *)a->name, "src")) &&
			    (!strncasecmp(val, "javascript:", 11) || !strncasecmp(val, "vbscript:", 9) ||
			     !strncasecmp(val, "data:", 5))) {
				b->urls++;
				if (!b->first[0])
					snprintf(b->first, sizeof(b->first), "%s=\"%.100s\"", a->name, val);
			}
			xmlFree(v);
		}
		walk(n->children, b);
	}
}

int main(int argc, char **argv)
{
	json_error_t err;
	json_t *exp, *snap = NULL, *v, *listing, *want;
	struct slugger *slugs = slugger_new(SLUG_ASCII);
	char **names;
	size_t i;

	if (argc < 3) {
		fprintf(stderr, "usage: snapshot-facts EXPECTED.json DIST [SNAPSHOT.json]\n");
		return 2;
	}
	exp = json_load_file(argv[1], 0, &err);
	if (!exp) {
		fprintf(stderr, "%s:%d: %s\n", argv[1], err.line, err.text);
		return 2;
	}
	if (argc > 3)
		snap = json_load_file(argv[3], 0, &err);
	nfiles = list_files(argv[2], NULL, &names);
	if (nfiles < 0) {
		perror(argv[2]);
		return 2;
	}
	files = calloc((size_t)nfiles + 1, sizeof(*files));
	for (long k = 0; k < nfiles; k++) {
		struct strbuf p = STRBUF_INIT;

		strbuf_addf(&p, "%s/%s", argv[2], names[k]);
		files[k].path = strbuf_detach(&p, NULL);
		if (read_file(files[k].path, &files[k].data, &files[k].len) < 0) {
			perror(files[k].path);
			return 2;
		}
	}

	/* every published gig has its page */
	{
		bool ok = true;
		char detail[200] = "";

		json_array_foreach(json_object_get(exp, "published_gig_ids_in_listing_order"), i, v)
			if (!exists(argv[2], "gigs/%s/index.html", json_string_value(v)) && ok) {
				ok = false;
				snprintf(detail, sizeof(detail), "no page for %s", json_string_value(v));
			}
		report(ok, "every published gig has its page", detail);
	}
	/* no unpublished gig appears anywhere, not even its id */
	{
		bool ok = true;
		char detail[300] = "";

		json_array_foreach(json_object_get(exp, "unpublished_gig_ids"), i, v) {
			const char *hit = found_in(json_string_value(v));

			if (hit && ok) {
				ok = false;
				snprintf(detail, sizeof(detail), "%s is in %s", json_string_value(v), hit);
			}
		}
		report(ok, "no unpublished gig (draft, closed, booked, completed, cancelled, NULL) "
		       "appears in any file", detail);
	}
	/* the listing: published gigs whose deadline has not passed, in SQL's order */
	listing = listing_ids(argv[2]);
	want = json_array();
	json_array_foreach(json_object_get(exp, "published_gig_ids_in_listing_order"), i, v) {
		size_t k;
		json_t *p;
		bool passed = false;

		json_array_foreach(json_object_get(exp, "published_deadline_passed_ids"), k, p)
			passed |= json_equal(p, v);
		if (!passed)
			json_array_append(want, v);
	}
	{
		char detail[300];

		snprintf(detail, sizeof(detail), "listing has %zu gigs, expected %zu",
			 json_array_size(listing), json_array_size(want));
		report(json_equal(listing, want), "the listing shows the open published gigs in "
		       "expected.json's order (created_at desc, id asc)", detail);
	}
	/* no private value anywhere */
	{
		const char *key;
		json_t *vals;
		bool ok = true;
		char detail[300] = "";
		size_t n = 0;

		json_object_foreach(json_object_get(exp, "private_values"), key, vals)
			json_array_foreach(vals, i, v) {
				const char *hit = found_in(json_string_value(v));

				n++;
				if (hit && ok) {
					ok = false;
					snprintf(detail, sizeof(detail), "%s '%s' is in %s", key,
						 json_string_value(v), hit);
				}
			}
		snprintf(detail + strlen(detail), sizeof(detail) - strlen(detail), " (%zu values)", n);
		report(ok && n > 0, "none of private_values (emails, phones, addresses, notes, "
		       "user ids) appears in any file", detail);
	}
	/* blocked profiles: no trace of their ids */
	{
		bool ok = true;
		char detail[300] = "";

		json_array_foreach(json_object_get(json_object_get(exp, "profiles"), "blocked_profile_ids"),
				   i, v) {
			const char *hit = found_in(json_string_value(v));

			if (hit && ok) {
				ok = false;
				snprintf(detail, sizeof(detail), "%s is in %s", json_string_value(v), hit);
			}
		}
		report(ok, "suspended and banned profiles appear nowhere", detail);
	}
	/* private profiles: their own page shows no bio (bios repeat across
	 * profiles in the synthetic data, so only that page is searched) */
	if (snap) {
		bool ok = true;
		char detail[300] = "";
		json_t *pid;
		size_t k, pages = 0;

		json_array_foreach(json_object_get(json_object_get(exp, "profiles"), "private_profile_ids"),
				   k, pid) {
			json_array_foreach(json_object_get(snap, "users_profile"), i, v) {
				const char *bio = json_string_value(json_object_get(v, "bio"));
				const char *handle = json_string_value(json_object_get(v, "handle"));
				struct strbuf slug = STRBUF_INIT, path = STRBUF_INIT, esc = STRBUF_INIT;
				char *page;
				size_t len;

				if (!json_equal(json_object_get(v, "id"), pid) || !handle)
					continue;
				if (slug_append(slugs, &slug, handle, strlen(handle))) {
					strbuf_addf(&path, "%s/u/%s/index.html", argv[2], slug.buf);
					if (read_file(path.buf, &page, &len) == 0) {
						pages++;
						if (bio)
							html_escape(&esc, bio, strlen(bio));
						if (bio && (memmem(page, len, bio, strlen(bio)) ||
							    memmem(page, len, esc.buf, esc.len)) && ok) {
							ok = false;
							snprintf(detail, sizeof(detail), "%s shows its bio", path.buf);
						}
						if (!strstr(page, "set their profile to private") && ok) {
							ok = false;
							snprintf(detail, sizeof(detail), "%s does not say it is private",
								 path.buf);
						}
						free(page);
					}
				}
				strbuf_release(&slug);
				strbuf_release(&path);
				strbuf_release(&esc);
			}
		}
		report(ok && pages > 0, "a private profile's page shows only its name and avatar", detail);
	}
	/* hostile strings are inert: no script, no handler, no script URL */
	{
		struct html_bad bad;
		const char *where = NULL;
		long pages = 0;

		memset(&bad, 0, sizeof(bad));
		for (long k = 0; k < nfiles; k++) {
			htmlDocPtr doc;
			struct html_bad b;

			if (!str_endswith(files[k].path, ".html"))
				continue;
			pages++;
			doc = htmlReadMemory(files[k].data, (int)files[k].len, files[k].path, "UTF-8",
					     HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
			memset(&b, 0, sizeof(b));
			if (doc)
				walk(xmlDocGetRootElement(doc), &b);
			xmlFreeDoc(doc);
			if ((b.scripts || b.handlers || b.urls) && !where) {
				where = files[k].path;
				memcpy(bad.first, b.first, sizeof(bad.first));
			}
			bad.scripts += b.scripts;
			bad.handlers += b.handlers;
			bad.urls += b.urls;
		}
		{
			char detail[400];

			snprintf(detail, sizeof(detail), "%d scripts, %d handlers, %d script URLs; first "
				 "%s in %s", bad.scripts, bad.handlers, bad.urls, bad.first,
				 where ? where : "-");
			report(pages > 0 && !bad.scripts && !bad.handlers && !bad.urls,
			       "no page has a script, an on* attribute or a javascript:/data: URL", detail);
		}
	}
	printf("# snapshot facts: %d passed, %d failed\n", count - failed, failed);
	json_decref(listing);
	json_decref(want);
	json_decref(exp);
	json_decref(snap);
	for (long k = 0; k < nfiles; k++) {
		free(files[k].path);
		free(files[k].data);
	}
	free(files);
	free_list(names, nfiles);
	slugger_free(slugs);
	return failed ? 1 : 0;
}
