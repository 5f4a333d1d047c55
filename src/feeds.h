/* feeds: sitemap.xml (and a sitemap index past 50,000 URLs) and an Atom
 * feed, written with libxml2's text writer. */
#ifndef PRESETGEN_FEEDS_H
#define PRESETGEN_FEEDS_H

#include <stddef.h>
#include <stdint.h>

struct strbuf;

struct sitemap_url {
	const char *path;	/* "/gigs/"; the loc is base + path */
	int64_t lastmod;	/* microseconds, or INT64_MIN */
};

#define SITEMAP_MAX_URLS 50000

/* Writes one <urlset> of urls[0..n), each at base + path, into out. */
void sitemap_write(struct strbuf *out, const char *base, const struct sitemap_url *urls,
		   size_t n);
/* Writes a <sitemapindex> naming locs[0..n). */
void sitemap_index_write(struct strbuf *out, const char *const *locs, size_t n);

struct feed_entry {
	const char *title;
	const char *link;	/* absolute; also the entry's id */
	const char *summary;	/* may be NULL */
	int64_t updated;	/* microseconds */
	int64_t published;	/* microseconds, or INT64_MIN */
};

struct feed_info {
	const char *title;
	const char *id;		/* a permanent IRI */
	const char *self;	/* the feed's own absolute URL */
	const char *alternate;	/* the listing it follows */
	const char *author;
	int64_t updated;
};

void atom_write(struct strbuf *out, const struct feed_info *f,
		const struct feed_entry *e, size_t n);

#endif
