#include "config.h"
#include "arena.h"
#include "collection.h"
#include "diag.h"
#include "fsutil.h"
#include "strbuf.h"
#include "text.h"
#include "tz.h"
#include "util.h"
#include "yamldoc.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char *const env_names[ENV_COUNT] = { "development", "staging", "production" };

int env_lookup(const char *name)
{
	for (int i = 0; i < ENV_COUNT; i++)
		if (!strcmp(name, env_names[i]))
			return i;
	return -1;
}

enum cfgtype { F_STRING, F_BOOL, F_URL, F_LANG, F_ZONE, F_COUNT, F_OTHER };

struct field {
	const char *key;
	enum cfgtype type;
	size_t off;
	bool required;
};

struct cfgparse {
	struct ydoc y;
	struct arena *a;
	int errors;
};

static void key_list(struct strbuf *sb, const struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", f[i].key);
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

static bool valid_lang(const char *s)
{
	/* a BCP 47 tag in its common shape: en, en-IE, pt-BR, zh-Hant */
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


static int parse_fields(struct cfgparse *cp, yaml_node_t *map, const char *what,
			const struct field *f, size_t nf, void *base)
{
	bool seen[16] = { false };
	int rc = 0;

	if (!map || map->type != YAML_MAPPING_NODE)
		return ydoc_error(&cp->y, map, "expected a mapping for '%s', found %s",
				  what, ydoc_describe(map));
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(&cp->y, p->key);
		yaml_node_t *v = ydoc_node(&cp->y, p->value);
		const char *key = ydoc_scalar(k);
		size_t i;

		for (i = 0; key && i < nf; i++)
			if (!strcmp(key, f[i].key))
				break;
		if (!key || i == nf) {
			struct strbuf sb = STRBUF_INIT;

			key_list(&sb, f, nf);
			rc = ydoc_error(&cp->y, k, "unknown key '%s' in '%s': expected one of %s",
					key ? key : "?", what, sb.buf);
			strbuf_release(&sb);
			continue;
		}
		if (seen[i]) {
			rc = ydoc_error(&cp->y, k, "duplicate key '%s' in '%s'", key, what);
			continue;
		}
		seen[i] = true;
		if (f[i].type == F_OTHER)
			continue;	/* read by the caller */
		if (f[i].type == F_COUNT) {
			const char *s = ydoc_scalar(v);
			char *end;
			long n = s && ydoc_is_plain(v) ? strtol(s, &end, 10) : 0;

			if (!s || !ydoc_is_plain(v) || !*s || *end || n < 1 || n > 10000) {
				rc = ydoc_error(&cp->y, v, "expected a number from 1 to 10000 for '%s.%s', "
						"found %s", what, key, ydoc_describe(v));
				continue;
			}
			*(long *)((char *)base + f[i].off) = n;
			continue;
		}
		if (f[i].type == F_BOOL) {
			const char *s = ydoc_scalar(v);

			if (!s || !ydoc_is_plain(v) || (strcmp(s, "true") && strcmp(s, "false"))) {
				rc = ydoc_error(&cp->y, v, "expected true or false for '%s.%s', found %s",
						what, key, ydoc_describe(v));
				continue;
			}
			*(bool *)((char *)base + f[i].off) = !strcmp(s, "true");
			continue;
		}
		if (!v || v->type != YAML_SCALAR_NODE || !strcmp(ydoc_describe(v), "null") ||
		    !strcmp(ydoc_describe(v), "a list")) {
			rc = ydoc_error(&cp->y, v, "expected a string for '%s.%s', found %s",
					what, key, ydoc_describe(v));
			continue;
		}
		{
			const char *s = ydoc_scalar(v);
			char *copy;

			if (f[i].type == F_URL && !valid_url(s)) {
				rc = ydoc_error(&cp->y, v, "expected an absolute http or https URL "
						"for '%s.%s', found '%s'", what, key, s);
				continue;
			}
			if (f[i].type == F_LANG && !valid_lang(s)) {
				rc = ydoc_error(&cp->y, v, "expected a language tag such as 'en' or "
						"'en-IE' for '%s.%s', found '%s'", what, key, s);
				continue;
			}
			if (f[i].type == F_ZONE && !tz_find(s)) {
				rc = ydoc_error(&cp->y, v, "unknown time zone '%s' for '%s.%s': expected "
						"one of %s", s, what, key, tz_names());
				continue;
			}
			copy = arena_strdup(cp->a, s);
			if (f[i].type == F_URL) {
				size_t n = strlen(copy);

				while (n && copy[n - 1] == '/')
					copy[--n] = '\0';
			}
			*(const char **)((char *)base + f[i].off) = copy;
		}
	}
	for (size_t i = 0; i < nf; i++)
		if (f[i].required && !seen[i])
			rc = ydoc_error(&cp->y, map, "missing key '%s' in '%s'", f[i].key, what);
	return rc;
}

static const struct field site_fields[] = {
	{ "title", F_STRING, offsetof(struct config, title), true },
	{ "description", F_STRING, offsetof(struct config, description), false },
	{ "language", F_LANG, offsetof(struct config, language), false },
	{ "time_zone", F_ZONE, offsetof(struct config, time_zone), false },
	{ "author", F_STRING, offsetof(struct config, author), false },
};

static const struct field env_fields[] = {
	{ "base_url", F_URL, offsetof(struct env_config, base_url), true },
	{ "index", F_BOOL, offsetof(struct env_config, index), false },
	{ "connect", F_OTHER, 0, false },
	{ "public", F_OTHER, 0, false },
};

bool secret_name(const char *name)
{
	static const char *const marks[] = { "SECRET", "SERVICE_ROLE", "TOKEN", "PASSWORD", "PRIVATE" };

	for (size_t i = 0; i < ARRAY_SIZE(marks); i++)
		if (strcasestr(name, marks[i]))
			return true;
	return false;
}

/* connect: [origins] and public: {name: ENV_VAR} of one environment. */
static int parse_env_extra(struct cfgparse *cp, yaml_node_t *map, const char *what,
			   struct env_config *e)
{
	int rc = 0;

	if (map->type != YAML_MAPPING_NODE)
		return 0;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = ydoc_scalar(ydoc_node(&cp->y, p->key));
		yaml_node_t *v = ydoc_node(&cp->y, p->value);

		if (k && !strcmp(k, "connect")) {
			if (v->type != YAML_SEQUENCE_NODE) {
				rc = ydoc_error(&cp->y, v, "expected a list of origins for '%s.connect'", what);
				continue;
			}
			e->connect = arena_alloc(cp->a, sizeof(*e->connect) *
						 (size_t)(v->data.sequence.items.top - v->data.sequence.items.start + 1));
			for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
				yaml_node_t *o = ydoc_node(&cp->y, *it);
				const char *s = ydoc_scalar(o);

				/* an origin: scheme and host, nothing a header could be broken with */
				if (!s || !valid_url(s) || strchr(s + 8, '/') || strpbrk(s, " ;,'")) {
					rc = ydoc_error(&cp->y, o, "expected an origin such as "
							"https://example.supabase.co in '%s.connect'", what);
					continue;
				}
				e->connect[e->nconnect++] = arena_strdup(cp->a, s);
			}
		} else if (k && !strcmp(k, "public")) {
			if (v->type != YAML_MAPPING_NODE) {
				rc = ydoc_error(&cp->y, v, "expected a mapping of name: ENVIRONMENT_VARIABLE "
						"for '%s.public'", what);
				continue;
			}
			{
				size_t cnt = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start) + 1;

				e->public_names = arena_alloc(cp->a, cnt * sizeof(*e->public_names));
				e->public_vars = arena_alloc(cp->a, cnt * sizeof(*e->public_vars));
			}
			for (yaml_node_pair_t *q = v->data.mapping.pairs.start; q < v->data.mapping.pairs.top; q++) {
				yaml_node_t *vn = ydoc_node(&cp->y, q->value);
				const char *name = ydoc_scalar(ydoc_node(&cp->y, q->key));
				const char *var = ydoc_scalar(vn);

				if (!name || !var) {
					rc = ydoc_error(&cp->y, vn, "expected name: ENVIRONMENT_VARIABLE in '%s.public'",
							what);
					continue;
				}
				if (secret_name(var)) {
					rc = ydoc_error(&cp->y, vn, "'%s' names a secret (its name holds SECRET, "
							"SERVICE_ROLE, TOKEN, PASSWORD or PRIVATE): it can never be "
							"public", var);
					continue;
				}
				e->public_names[e->npublic] = arena_strdup(cp->a, name);
				e->public_vars[e->npublic++] = arena_strdup(cp->a, var);
			}
		}
	}
	return rc;
}

static int parse_envs(struct cfgparse *cp, yaml_node_t *map, struct config *cfg)
{
	int rc = 0;

	if (map->type != YAML_MAPPING_NODE)
		return ydoc_error(&cp->y, map, "expected a mapping for 'environments', found %s",
				  ydoc_describe(map));
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(&cp->y, p->key);
		const char *key = ydoc_scalar(k);
		int e = key ? env_lookup(key) : -1;
		struct strbuf what = STRBUF_INIT;

		if (e < 0) {
			rc = ydoc_error(&cp->y, k, "unknown environment '%s': expected one of "
					"development, staging, production", key ? key : "?");
			continue;
		}
		if (cfg->env[e].present) {
			rc = ydoc_error(&cp->y, k, "duplicate environment '%s'", key);
			continue;
		}
		cfg->env[e].present = true;
		strbuf_addf(&what, "environments.%s", key);
		if (parse_fields(cp, ydoc_node(&cp->y, p->value), what.buf, env_fields,
				 ARRAY_SIZE(env_fields), &cfg->env[e]) < 0)
			rc = -1;
		if (parse_env_extra(cp, ydoc_node(&cp->y, p->value), what.buf, &cfg->env[e]) < 0)
			rc = -1;
		strbuf_release(&what);
	}
	return rc;
}

static const struct field feed_fields[] = {
	{ "collection", F_STRING, offsetof(struct feed_cfg, collection), true },
	{ "url", F_STRING, offsetof(struct feed_cfg, url), true },
	{ "title", F_STRING, offsetof(struct feed_cfg, title), true },
	{ "limit", F_COUNT, offsetof(struct feed_cfg, limit), false },
};

static int parse_feed(struct cfgparse *cp, yaml_node_t *map, struct config *cfg)
{
	cfg->feed.present = true;
	cfg->feed.limit = 50;
	return parse_fields(cp, map, "feed", feed_fields, ARRAY_SIZE(feed_fields), &cfg->feed);
}

static const struct field redirect_fields[] = {
	{ "from", F_STRING, offsetof(struct redirect_cfg, from), true },
	{ "to", F_STRING, offsetof(struct redirect_cfg, to), true },
	{ "permanent", F_BOOL, offsetof(struct redirect_cfg, permanent), false },
	{ "table", F_STRING, offsetof(struct redirect_cfg, table), false },
};

static bool ident(const char *s, size_t n)
{
	if (!n || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* Collects the {column} placeholders of a table redirect's pattern; the
 * text around them must be plain path characters, so that a filled-in
 * pattern is a literal path for Vercel's path-to-regexp. */
static int placeholders(struct cfgparse *cp, yaml_node_t *r, struct redirect_cfg *rd,
			const char *pat, size_t *found)
{
	const char *ok = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.~";

	*found = 0;
	for (const char *p = pat; *p; ) {
		const char *e;

		if (*p != '{') {
			if (!strchr(ok, *p))
				return ydoc_error(&cp->y, r, "'%s': a table redirect's pattern holds "
						  "only letters, digits, / - _ . ~ and {column}", pat);
			p++;
			continue;
		}
		e = strchr(p, '}');
		if (!e || !ident(p + 1, (size_t)(e - p - 1)))
			return ydoc_error(&cp->y, r, "'%s': expected {column} with a column name",
					  pat);
		{
			const char *col = arena_strndup(cp->a, p + 1, (size_t)(e - p - 1));
			size_t i;

			for (i = 0; i < rd->ncols; i++)
				if (!strcmp(rd->cols[i], col))
					break;
			if (i == rd->ncols) {
				const char **c = arena_alloc(cp->a, (rd->ncols + 1) * sizeof(*c));

				if (rd->ncols)
					memcpy(c, rd->cols, rd->ncols * sizeof(*c));
				c[rd->ncols++] = col;
				rd->cols = c;
			}
		}
		(*found)++;
		p = e + 1;
	}
	return 0;
}

/* redirects: [{from: /old/, to: /new/, permanent: true},
 *             {table: user_handle_redirects, from: "/u/{old_handle}/", to: "/u/{new_handle}/"}] */
static int parse_redirects(struct cfgparse *cp, yaml_node_t *v, struct config *cfg)
{
	int rc = 0;

	if (v->type != YAML_SEQUENCE_NODE)
		return ydoc_error(&cp->y, v, "expected a list of {from, to, permanent} for 'redirects'");
	cfg->redirects = arena_calloc(cp->a, sizeof(*cfg->redirects) *
				      (size_t)(v->data.sequence.items.top - v->data.sequence.items.start + 1));
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *r = ydoc_node(&cp->y, *it);
		struct redirect_cfg *rd = &cfg->redirects[cfg->nredirects];
		size_t nfrom, nto;

		rd->permanent = true;
		if (parse_fields(cp, r, "redirects", redirect_fields, ARRAY_SIZE(redirect_fields), rd) < 0) {
			rc = -1;
			continue;
		}
		if (rd->table) {
			if (!ident(rd->table, strlen(rd->table))) {
				rc = ydoc_error(&cp->y, r, "'%s' is not a table name", rd->table);
				continue;
			}
			if (rd->from[0] != '/' || rd->to[0] != '/' ||
			    rd->from[strlen(rd->from) - 1] != '/' || rd->to[strlen(rd->to) - 1] != '/') {
				rc = ydoc_error(&cp->y, r, "a table redirect goes from a path to a path "
						"of this site, both ending in / as pages do, as \"/u/{old_handle}/\" to \"/u/{new_handle}/\"");
				continue;
			}
			if (placeholders(cp, r, rd, rd->from, &nfrom) < 0 ||
			    placeholders(cp, r, rd, rd->to, &nto) < 0) {
				rc = -1;
				continue;
			}
			if (!nfrom || !nto) {
				rc = ydoc_error(&cp->y, r, "a table redirect names a column in 'from' and "
						"in 'to', as \"/u/{old_handle}/\" to \"/u/{new_handle}/\"");
				continue;
			}
		} else if (rd->from[0] != '/' || (rd->to[0] != '/' && strncmp(rd->to, "https://", 8)) ||
		    strpbrk(rd->from, " \"<>") || strpbrk(rd->to, " \"<>")) {
			rc = ydoc_error(&cp->y, r, "a redirect goes from a path (/old/) to a path or an "
					"https:// URL");
			continue;
		}
		cfg->nredirects++;
	}
	return rc;
}

static const char **snapshot_list(struct cfgparse *cp, yaml_node_t *v, size_t *n, int *rc)
{
	const char **out;
	size_t k = 0;

	if (v->type == YAML_SCALAR_NODE) {
		out = arena_alloc(cp->a, sizeof(*out));
		out[0] = arena_strdup(cp->a, ydoc_scalar(v));
		*n = 1;
		return out;
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		*rc = ydoc_error(&cp->y, v, "expected a path or a list of paths for 'snapshots', "
				 "found %s", ydoc_describe(v));
		return NULL;
	}
	out = arena_alloc(cp->a, sizeof(*out) *
			  (size_t)(v->data.sequence.items.top - v->data.sequence.items.start + 1));
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *e = ydoc_node(&cp->y, *it);

		if (e->type != YAML_SCALAR_NODE) {
			*rc = ydoc_error(&cp->y, e, "expected a path in 'snapshots', found %s",
					 ydoc_describe(e));
			continue;
		}
		out[k++] = arena_strdup(cp->a, ydoc_scalar(e));
	}
	*n = k;
	return out;
}

int config_load(struct config *cfg, const char *path, struct arena *a, struct diag *d)
{
	struct cfgparse cp;
	yaml_node_t *root;
	char *src;
	size_t len;
	int rc = 0;
	bool have_site = false, have_envs = false;

	memset(cfg, 0, sizeof(*cfg));
	cfg->path = path;
	cfg->language = "en";
	cfg->time_zone = "UTC";
	if (!path_exists(path))
		return diag_error(d, path, 0, 0, "not found: a site needs a presetgen.yaml "
				  "(use -C DIR to name the site's directory)");
	if (read_text(d, path, &src, &len) < 0)
		return -1;
	memset(&cp, 0, sizeof(cp));
	cp.a = a;
	if (ydoc_load(&cp.y, path, src, len, 0, d) < 0) {
		free(src);
		return -1;
	}
	root = ydoc_root(&cp.y);
	if (!root || root->type != YAML_MAPPING_NODE) {
		rc = ydoc_error(&cp.y, root, "expected a mapping with 'site' and 'environments', "
				"found %s", ydoc_describe(root));
		goto out;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ydoc_node(&cp.y, p->key);
		yaml_node_t *v = ydoc_node(&cp.y, p->value);
		const char *key = ydoc_scalar(k);

		if (key && !strcmp(key, "site") && !have_site) {
			have_site = true;
			if (parse_fields(&cp, v, "site", site_fields, ARRAY_SIZE(site_fields), cfg) < 0)
				rc = -1;
		} else if (key && !strcmp(key, "environments") && !have_envs) {
			have_envs = true;
			if (parse_envs(&cp, v, cfg) < 0)
				rc = -1;
		} else if (key && (!strcmp(key, "site") || !strcmp(key, "environments"))) {
			rc = ydoc_error(&cp.y, k, "duplicate key '%s'", key);
		} else if (key && !strcmp(key, "snapshots")) {
			cfg->snapshots = snapshot_list(&cp, v, &cfg->nsnapshots, &rc);
		} else if (key && !strcmp(key, "collections")) {
			if (collections_parse(&cp.y, v, a, &cfg->colls, &cfg->ncolls) < 0)
				rc = -1;
		} else if (key && !strcmp(key, "redirects")) {
			if (parse_redirects(&cp, v, cfg) < 0)
				rc = -1;
		} else if (key && !strcmp(key, "feed")) {
			if (parse_feed(&cp, v, cfg) < 0)
				rc = -1;
		} else {
			rc = ydoc_error(&cp.y, k, "unknown key '%s': expected one of site, environments, "
					"snapshots, collections, feed, redirects", key ? key : "?");
		}
	}
	if (cfg->feed.present && !rc) {
		size_t i;

		for (i = 0; i < cfg->ncolls; i++)
			if (!strcmp(cfg->colls[i].name, cfg->feed.collection))
				break;
		if (i == cfg->ncolls)
			rc = ydoc_error(&cp.y, root, "feed: the collection '%s' is not defined",
					cfg->feed.collection);
	}
	if (!have_site)
		rc = ydoc_error(&cp.y, root, "missing key 'site'");
	if (!have_envs)
		rc = ydoc_error(&cp.y, root, "missing key 'environments'");
out:
	ydoc_release(&cp.y);
	free(src);
	return rc;
}
