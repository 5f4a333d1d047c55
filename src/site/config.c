/* presetgen.yaml: site settings, environments, snapshots, collections
 * (config_collections.c), the feed and redirects. Every mapping is read by
 * one table-driven reader (data's yread), so unknown keys, duplicates and
 * values of the wrong type are errors that name file, line and column. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const env_names[ENV_COUNT] = { "development", "staging", "production" };

int env_lookup(const char *name)
{
	for (int i = 0; i < ENV_COUNT; i++)
		if (!strcmp(name, env_names[i]))
			return i;
	return -1;
}

/* A scalar that is not null, or NULL after "expected a string for 'what'". */
static const char *scalar(struct yread *r, const struct ynode *v, const char *what)
{
	const char *s = ynode_scalar(v);

	if (!s || ynode_is_null(v)) {
		ydoc_error(r->y, v, "expected a string for '%s', found %s", what, ynode_describe(v));
		return NULL;
	}
	return s;
}

static bool valid_url(const char *s)
{
	const char *host;

	if (!strncmp(s, "https://", 8))
		host = s + 8;
	else if (!strncmp(s, "http://", 7))
		host = s + 7;
	else
		return false;
	if (!*host || *host == '/')
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' ||
		    *p == '\\' || *p == '?' || *p == '#')
			return false;
	return true;
}

/* a BCP 47 tag in its common shape: en, en-IE, pt-BR, zh-Hant */
static bool valid_lang(const char *s)
{
	size_t n = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '-') {
			if (!n)
				return false;
			n = 0;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9')) {
			if (++n > 8)
				return false;
		} else {
			return false;
		}
	}
	return n > 0;
}

static int read_lang(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	const char *s = scalar(r, v, what);

	if (!s)
		return -1;
	if (!valid_lang(s))
		return ydoc_error(r->y, v, "expected a language tag such as 'en' or 'en-IE' for "
				  "'%s', found '%s'", what, s);
	((struct config *)base)->language = arena_strdup(r->a, s);
	return 0;
}

static int read_zone(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	const char *s = scalar(r, v, what);

	if (!s)
		return -1;
	if (!tz_find(s))
		return ydoc_error(r->y, v, "unknown time zone '%s' for '%s': expected one of %s", s,
				  what, tz_names());
	((struct config *)base)->time_zone = arena_strdup(r->a, s);
	return 0;
}

static int read_slugs(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	const char *s = scalar(r, v, what);

	if (!s)
		return -1;
	if (!strcmp(s, "ascii"))
		((struct config *)base)->slugs = SLUG_ASCII;
	else if (!strcmp(s, "unicode"))
		((struct config *)base)->slugs = SLUG_UNICODE;
	else
		return ydoc_error(r->y, v, "expected ascii or unicode for '%s', found '%s'", what, s);
	return 0;
}

static const struct ykey site_keys[] = {
	{ .name = "title", .type = YK_STRING, .off = offsetof(struct config, title), .required = true },
	{ .name = "description", .type = YK_STRING, .off = offsetof(struct config, description) },
	{ .name = "language", .type = YK_CALL, .fn = read_lang },
	{ .name = "time_zone", .type = YK_CALL, .fn = read_zone },
	{ .name = "author", .type = YK_STRING, .off = offsetof(struct config, author) },
	{ .name = "slugs", .type = YK_CALL, .fn = read_slugs },
};

static int read_base_url(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	const char *s = scalar(r, v, what);
	char *copy;
	size_t n;

	if (!s)
		return -1;
	if (!valid_url(s))
		return ydoc_error(r->y, v, "expected an absolute http or https URL for '%s', "
				  "found '%s'", what, s);
	copy = arena_strdup(r->a, s);
	n = strlen(copy);
	while (n && copy[n - 1] == '/')
		copy[--n] = '\0';
	((struct env_config *)base)->base_url = copy;
	return 0;
}

/* connect: [origins] for the CSP's connect-src */
static int read_connect(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct env_config *e = base;
	int rc = 0;

	if (ynode_type(v) != YN_LIST)
		return ydoc_error(r->y, v, "expected a list of origins for '%s'", what);
	e->connect = arena_alloc(r->a, (ynode_count(v) + 1) * sizeof(*e->connect));
	for (size_t i = 0; i < ynode_count(v); i++) {
		const struct ynode *o = ynode_item(r->y, v, i);
		const char *s = ynode_scalar(o);

		/* an origin: scheme and host, nothing a header could be broken with */
		if (!s || !valid_url(s) || strchr(s + 8, '/') || strpbrk(s, " ;,'")) {
			rc = ydoc_error(r->y, o, "expected an origin such as "
					"https://example.supabase.co in '%s'", what);
			continue;
		}
		e->connect[e->nconnect++] = arena_strdup(r->a, s);
	}
	return rc;
}

/* public: {name: ENV_VAR}: values templates may show as env.public.name */
static int read_public(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct env_config *e = base;

	return yread_public(r, v, &e->pub, what);
}

static const struct ykey env_keys[] = {
	{ .name = "base_url", .type = YK_CALL, .fn = read_base_url, .required = true },
	{ .name = "index", .type = YK_BOOL, .off = offsetof(struct env_config, index) },
	{ .name = "connect", .type = YK_CALL, .fn = read_connect },
	{ .name = "public", .type = YK_CALL, .fn = read_public },
};

static int read_env(struct yread *r, const char *key, const struct ynode *k,
		    const struct ynode *v, void *ud)
{
	struct config *cfg = ud;
	int e = env_lookup(key);
	struct strbuf what = STRBUF_INIT;
	int rc;

	if (e < 0)
		return ydoc_error(r->y, k, "unknown environment '%s': expected one of "
				  "development, staging, production", key);
	cfg->env[e].present = true;
	strbuf_addf(&what, "environments.%s", key);
	rc = yread_map(r, v, what.buf, env_keys, ARRAY_SIZE(env_keys), &cfg->env[e]);
	strbuf_release(&what);
	return rc;
}

static int read_envs(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	return yread_each(r, v, what, read_env, base);
}

static const struct ykey feed_keys[] = {
	{ .name = "collection", .type = YK_NAME, .off = offsetof(struct feed_cfg, collection),
	  .required = true, .at = offsetof(struct feed_cfg, collection_at) + 1 },
	{ .name = "url", .type = YK_NAME, .off = offsetof(struct feed_cfg, url), .required = true },
	{ .name = "title", .type = YK_STRING, .off = offsetof(struct feed_cfg, title), .required = true },
	{ .name = "limit", .type = YK_INT, .off = offsetof(struct feed_cfg, limit), .min = 1,
	  .max = 10000 },
};

static int read_feed(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct config *cfg = base;

	cfg->feed.present = true;
	cfg->feed.limit = 50;
	return yread_map(r, v, what, feed_keys, ARRAY_SIZE(feed_keys), &cfg->feed);
}

static int read_snapshots(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct config *cfg = base;
	int rc = r->rc;

	r->rc = 0;
	cfg->snapshots = yread_strings(r, v, what, &cfg->nsnapshots, false);
	if (r->rc < 0)
		return -1;
	r->rc = rc;
	return 0;
}

static int read_collections(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct config *cfg = base;

	(void)what;
	return config_collections(r, v, &cfg->colls, &cfg->ncolls);
}

static int read_redirects(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	(void)what;
	return config_redirects(r, v, base);
}

static int read_site(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	return yread_map(r, v, what, site_keys, ARRAY_SIZE(site_keys), base);
}

static int read_icon(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct config *cfg = base;

	return icon_config_read(r, v, &cfg->icon, what);
}

/* mobile: is `presetgen mobile`'s, which reads and checks it. */
static int skip_mobile(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	(void)r, (void)v, (void)base, (void)what;
	return 0;
}

static const struct ykey top_keys[] = {
	{ .name = "site", .type = YK_CALL, .fn = read_site, .required = true },
	{ .name = "environments", .type = YK_CALL, .fn = read_envs, .required = true },
	{ .name = "snapshots", .type = YK_CALL, .fn = read_snapshots },
	{ .name = "collections", .type = YK_CALL, .fn = read_collections },
	{ .name = "feed", .type = YK_CALL, .fn = read_feed },
	{ .name = "redirects", .type = YK_CALL, .fn = read_redirects,
	  .at = offsetof(struct config, redirects_at) + 1 },
	{ .name = "icon", .type = YK_CALL, .fn = read_icon },
	{ .name = "mobile", .type = YK_CALL, .fn = skip_mobile },
};

/* What refers to something else in the file, once it has all been read. */
static void check_refs(struct yread *r, struct config *cfg)
{
	size_t i;

	if (!cfg->feed.present)
		return;
	for (i = 0; i < cfg->ncolls; i++)
		if (!strcmp(cfg->colls[i].name, cfg->feed.collection))
			break;
	if (i == cfg->ncolls) {
		diag_error_at(ydoc_diag(r->y), &cfg->feed.collection_at,
			      "feed: the collection '%s' is not defined", cfg->feed.collection);
		r->rc = -1;
	}
}

/* The values of presetgen.yaml that pages alone show, by the bits of
 * config.structure and site_output.site_keys. */
const char *const config_page_keys[CONFIG_PAGE_KEYS] = { "title", "description", "author" };

/* The document, but for the values of site: that pages alone show. Aliases
 * make the tree a graph that can expand without end (a billion laughs):
 * past *budget nodes, 0, and the caller takes the bytes instead. */
static uint64_t structure(const struct ydoc *y, const struct ynode *n, uint64_t h, bool in_site,
			  long *budget)
{
	unsigned char t = (unsigned char)ynode_type(n);

	if (--*budget < 0)
		return 0;
	h = fnv1a(&t, 1, h);
	switch (ynode_type(n)) {
	case YN_SCALAR:
		return fnv1a(ynode_scalar(n), ynode_scalar_len(n) + 1, h);
	case YN_LIST:
		for (size_t i = 0; i < ynode_count(n); i++)
			h = structure(y, ynode_item(y, n, i), h, false, budget);
		return h;
	case YN_MAP:
		for (size_t i = 0; i < ynode_count(n); i++) {
			const struct ynode *k = ynode_key(y, n, i), *v = ynode_value(y, n, i);
			const char *key = ynode_type(k) == YN_SCALAR ? ynode_scalar(k) : "";
			bool shown = false;

			h = structure(y, k, h, false, budget);
			for (size_t m = 0; in_site && m < CONFIG_PAGE_KEYS; m++)
				shown |= !strcmp(key, config_page_keys[m]) && ynode_type(v) == YN_SCALAR;
			h = shown ? fnv1a("*", 1, h) : structure(y, v, h, !in_site &&
								    n == ydoc_root(y) &&
								    !strcmp(key, "site"), budget);
		}
		return h;
	}
	return h;
}

int config_load(struct config *cfg, int dirfd, const char *path, struct arena *a,
		struct diag *d)
{
	struct yread r;
	const struct ynode *root;
	char *src;
	size_t len;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = path;
	cfg->language = "en";
	cfg->time_zone = "UTC";
	if (!path_exists_at(dirfd, path))
		return diag_error(d, path, 0, 0, "not found: a site needs a presetgen.yaml "
				  "(use -C DIR to name the site's directory)");
	if (read_text_at(d, dirfd, path, &src, &len) < 0)
		return -1;
	memset(&r, 0, sizeof(r));
	r.a = a;
	r.y = ydoc_load(path, src, len, 0, d);
	if (!r.y) {
		free(src);
		return -1;
	}
	root = ydoc_root(r.y);
	if (!root || ynode_type(root) != YN_MAP) {
		ydoc_error(r.y, root, "expected a mapping with 'site' and 'environments', found %s",
			   ynode_describe(root));
		r.rc = -1;
	} else {
		yread_map(&r, root, "", top_keys, ARRAY_SIZE(top_keys), cfg);
		if (!r.rc)
			check_refs(&r, cfg);
		if (!r.rc) {
			long budget = 100000;

			cfg->structure = structure(r.y, root, FNV_START, false, &budget);
			if (budget < 0)
				cfg->structure = fnv1a(src, len, FNV_START);
		}
	}
	ydoc_free(r.y);
	free(src);
	return r.rc;
}

int site_env_port(const char *root, const char *env, struct diag *d)
{
	struct arena a = ARENA_INIT;
	struct config cfg;
	int fd = open(root ? root : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), e = env_lookup(env);
	const char *url, *colon;
	int port = -1;

	if (fd < 0)
		return diag_syserror(d, root ? root : ".", "cannot open: %s", strerror(errno));
	if (e >= 0 && config_load(&cfg, fd, "presetgen.yaml", &a, d) == 0) {
		if (!cfg.env[e].present) {
			diag_error(d, "presetgen.yaml", 0, 0, "no environment '%s' under "
				   "'environments'", env);
		} else {
			url = cfg.env[e].base_url;
			colon = strchr(url + (strncmp(url, "https://", 8) ? 7 : 8), ':');
			port = colon ? atoi(colon + 1) : strncmp(url, "https://", 8) ? 80 : 443;
		}
	}
	close(fd);
	arena_release(&a);
	return port;
}
