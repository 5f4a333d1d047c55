/* vercel: the bundle's vercel.json. Only keys Vercel's static deployments
 * accept ($schema, cleanUrls, trailingSlash, redirects, headers): never
 * routes, never functions. */
#ifndef PRESETGEN_VERCEL_H
#define PRESETGEN_VERCEL_H

#include <stddef.h>

struct config;
struct page_refs;
struct redirects;
struct strbuf;

/* Writes vercel.json for environment env: security headers and a
 * Content-Security-Policy allowing 'self', the images' origins and the
 * inline hashes the pages use (refs), and the environment's connect
 * origins; immutable caching for hashed assets, revalidation for the rest;
 * the feed's media type; the redirects rd holds. */
void vercel_json(struct strbuf *out, const struct config *cfg, int env,
		 const struct page_refs *refs, const struct redirects *rd);

/* Vercel allows 2,048 routes, counted after routing-utils' transformation:
 * cleanUrls and trailingSlash make 5, each header rule and each redirect one.
 * How many redirects fit beside the rest. */
size_t vercel_redirect_budget(const struct config *cfg);

#endif
