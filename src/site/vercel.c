/* vercel.json: clean URLs with trailing slashes, the security headers, a
 * Content-Security-Policy built from what the pages use, immutable caching
 * for hashed names only, the feed's media type, the redirects. */
#include "internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void header(json_t *list, const char *key, const char *value)
{
	json_t *h = json_object();

	json_object_set_new(h, "key", json_string(key));
	json_object_set_new(h, "value", json_string(value));
	json_array_append_new(list, h);
}

static json_t *rule(json_t *headers, const char *source)
{
	json_t *r = json_object(), *h = json_array();

	json_object_set_new(r, "source", json_string(source));
	json_object_set_new(r, "headers", h);
	json_array_append_new(headers, r);
	return h;
}

static void sources(struct strbuf *sb, char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, " %s", list[i]);
}

static void csp(struct strbuf *sb, const struct config *cfg, int env, const struct page_refs *r)
{
	const struct env_config *e = &cfg->env[env];

	strbuf_adds(sb, "default-src 'self'; script-src 'self'");
	sources(sb, r->script, r->nscript);
	strbuf_adds(sb, "; style-src 'self'");
	sources(sb, r->style, r->nstyle);
	strbuf_adds(sb, "; img-src 'self' data:");
	sources(sb, r->img, r->nimg);
	strbuf_adds(sb, "; font-src 'self'; connect-src 'self'");
	sources(sb, (char *const *)e->connect, e->nconnect);
	strbuf_adds(sb, "; object-src 'none'; base-uri 'self'; form-action 'self'; "
		    "frame-ancestors 'none'; upgrade-insecure-requests");
}

/* routing-utils counts one route per rule, and 5 for cleanUrls with
 * trailingSlash; Vercel refuses 2,048 or more */
#define VERCEL_MAX_ROUTES 2047
#define CLEAN_URL_ROUTES 5

static size_t header_rules(const struct config *cfg)
{
	return 2 + (cfg->feed.present ? 1 : 0);
}

size_t vercel_redirect_budget(const struct config *cfg)
{
	return VERCEL_MAX_ROUTES - CLEAN_URL_ROUTES - header_rules(cfg);
}

void vercel_json(struct strbuf *out, const struct config *cfg, int env,
		 const struct page_refs *refs, const struct redirects *rd)
{
	json_t *root = json_object(), *headers = json_array(), *h;
	struct strbuf policy = STRBUF_INIT;
	char *text;

	json_object_set_new(root, "$schema", json_string("https://openapi.vercel.sh/vercel.json"));
	/* pages are /x/index.html linked as /x/: clean URLs with the slash */
	json_object_set_new(root, "cleanUrls", json_true());
	json_object_set_new(root, "trailingSlash", json_true());
	if (rd->nvercel) {
		json_t *rs = json_array();

		for (size_t i = 0; i < rd->nvercel; i++) {
			json_t *r = json_object();

			json_object_set_new(r, "source", json_string(rd->vercel[i].from));
			json_object_set_new(r, "destination", json_string(rd->vercel[i].to));
			json_object_set_new(r, "permanent", json_boolean(rd->vercel[i].permanent));
			json_array_append_new(rs, r);
		}
		json_object_set_new(root, "redirects", rs);
	}
	/* every matching rule applies; for one key the later rule wins */
	h = rule(headers, "/(.*)");
	header(h, "Cache-Control", "public, max-age=0, must-revalidate");
	header(h, "X-Frame-Options", "DENY");
	header(h, "X-Content-Type-Options", "nosniff");
	header(h, "Referrer-Policy", "strict-origin-when-cross-origin");
	header(h, "Permissions-Policy", "camera=(), microphone=(), geolocation=()");
	csp(&policy, cfg, env, refs);
	header(h, "Content-Security-Policy", policy.buf);
	/* only names that carry a content hash are immutable */
	h = rule(headers, "/assets/(.*)\\.([0-9a-f]{16})\\.(.*)");
	header(h, "Cache-Control", "public, max-age=31536000, immutable");
	if (cfg->feed.present) {
		h = rule(headers, cfg->feed.url);
		header(h, "Content-Type", "application/atom+xml; charset=utf-8");
	}
	if (json_array_size(headers) != header_rules(cfg))
		BUG("vercel.json: header rules and their count disagree");
	json_object_set_new(root, "headers", headers);
	text = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	if (!text)
		oom("out of memory writing vercel.json");
	strbuf_adds(out, text);
	strbuf_addch(out, '\n');
	free(text);
	json_decref(root);
	strbuf_release(&policy);
}
