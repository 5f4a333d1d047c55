/* sitemap.xml (and a sitemap index past 50,000 URLs) and the Atom feed,
 * written with libxml2's text writer. */
#include "internal.h"

#include <libxml/xmlwriter.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

static xmlTextWriterPtr writer_new(xmlBufferPtr *buf)
{
	xmlTextWriterPtr w;

	*buf = xmlBufferCreate();
	if (!*buf)
		oom("out of memory in libxml2");
	w = xmlNewTextWriterMemory(*buf, 0);
	if (!w)
		oom("cannot make an XML writer");
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, X("  "));
	xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL);
	return w;
}

static void writer_done(xmlTextWriterPtr w, xmlBufferPtr buf, struct strbuf *out)
{
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	strbuf_add(out, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
	xmlBufferFree(buf);
}

static void date_utc(char *b, size_t n, int64_t us)
{
	ts_rfc3339_utc(b, n, us);
}

void sitemap_write(struct strbuf *out, const char *base, const struct sitemap_url *urls,
		   size_t n)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w = writer_new(&buf);
	struct strbuf loc = STRBUF_INIT;
	char d[40];

	xmlTextWriterStartElement(w, X("urlset"));
	xmlTextWriterWriteAttribute(w, X("xmlns"), X("http://www.sitemaps.org/schemas/sitemap/0.9"));
	for (size_t i = 0; i < n; i++) {
		xmlTextWriterStartElement(w, X("url"));
		strbuf_reset(&loc);
		strbuf_adds(&loc, base);
		strbuf_adds(&loc, urls[i].path);
		xmlTextWriterWriteElement(w, X("loc"), X(loc.buf));
		if (urls[i].lastmod != INT64_MIN) {
			date_utc(d, sizeof(d), urls[i].lastmod);
			xmlTextWriterWriteElement(w, X("lastmod"), X(d));
		}
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	writer_done(w, buf, out);
	strbuf_release(&loc);
}

void sitemap_index_write(struct strbuf *out, const char *const *locs, size_t n)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w = writer_new(&buf);

	xmlTextWriterStartElement(w, X("sitemapindex"));
	xmlTextWriterWriteAttribute(w, X("xmlns"), X("http://www.sitemaps.org/schemas/sitemap/0.9"));
	for (size_t i = 0; i < n; i++) {
		xmlTextWriterStartElement(w, X("sitemap"));
		xmlTextWriterWriteElement(w, X("loc"), X(locs[i]));
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	writer_done(w, buf, out);
}

static void atom_link(xmlTextWriterPtr w, const char *rel, const char *type, const char *href)
{
	xmlTextWriterStartElement(w, X("link"));
	xmlTextWriterWriteAttribute(w, X("rel"), X(rel));
	if (type)
		xmlTextWriterWriteAttribute(w, X("type"), X(type));
	xmlTextWriterWriteAttribute(w, X("href"), X(href));
	xmlTextWriterEndElement(w);
}

void atom_write(struct strbuf *out, const struct feed_info *f,
		const struct feed_entry *e, size_t n)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w = writer_new(&buf);
	char d[40];

	xmlTextWriterStartElement(w, X("feed"));
	xmlTextWriterWriteAttribute(w, X("xmlns"), X("http://www.w3.org/2005/Atom"));
	xmlTextWriterWriteElement(w, X("id"), X(f->id));
	xmlTextWriterWriteElement(w, X("title"), X(f->title));
	date_utc(d, sizeof(d), f->updated);
	xmlTextWriterWriteElement(w, X("updated"), X(d));
	atom_link(w, "self", "application/atom+xml", f->self);
	atom_link(w, "alternate", "text/html", f->alternate);
	xmlTextWriterStartElement(w, X("author"));
	xmlTextWriterWriteElement(w, X("name"), X(f->author));
	xmlTextWriterEndElement(w);
	for (size_t i = 0; i < n; i++) {
		xmlTextWriterStartElement(w, X("entry"));
		xmlTextWriterWriteElement(w, X("id"), X(e[i].link));
		xmlTextWriterWriteElement(w, X("title"), X(e[i].title));
		date_utc(d, sizeof(d), e[i].updated);
		xmlTextWriterWriteElement(w, X("updated"), X(d));
		if (e[i].published != INT64_MIN) {
			date_utc(d, sizeof(d), e[i].published);
			xmlTextWriterWriteElement(w, X("published"), X(d));
		}
		atom_link(w, "alternate", "text/html", e[i].link);
		if (e[i].summary) {
			xmlTextWriterStartElement(w, X("summary"));
			xmlTextWriterWriteAttribute(w, X("type"), X("text"));
			xmlTextWriterWriteString(w, X(e[i].summary));
			xmlTextWriterEndElement(w);
		}
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	writer_done(w, buf, out);
}
