/* config: presetgen.yaml, read with libyaml. Unknown keys and values of the
 * wrong type are errors that name file, line and column. */
#ifndef PRESETGEN_CONFIG_H
#define PRESETGEN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diag;

enum { ENV_DEVELOPMENT, ENV_STAGING, ENV_PRODUCTION, ENV_COUNT };
extern const char *const env_names[ENV_COUNT];

struct env_config {
	bool present;
	const char *base_url;	/* absolute, without a trailing slash */
	bool index;		/* search engines may index the site */
	const char **connect;	/* CSP connect-src origins (Supabase, PostHog, Sentry) */
	size_t nconnect;
	const char **public_names;	/* env.public.NAME in templates, */
	const char **public_vars;	/* read from these environment variables */
	size_t npublic;
};

/* One redirect, or with table one per row of a snapshot table: from and to
 * then hold {column} placeholders (user_handle_redirects: old_handle to
 * new_handle), filled in the way page URLs are. */
struct redirect_cfg {
	const char *from;
	const char *to;
	bool permanent;
	const char *table;	/* NULL: a single redirect */
	const char **cols;	/* the columns the placeholders name */
	size_t ncols;
};

struct collection_cfg;

struct feed_cfg {
	bool present;
	const char *collection;
	const char *url;	/* e.g. /feed.xml */
	const char *title;
	long limit;
};

struct config {
	const char *path;	/* "presetgen.yaml" */
	const char *title;
	const char *description;
	const char *language;
	const char *time_zone;
	const char *author;
	struct env_config env[ENV_COUNT];
	const char **snapshots;		/* paths, relative to the site */
	size_t nsnapshots;
	struct collection_cfg *colls;
	size_t ncolls;
	struct feed_cfg feed;
	struct redirect_cfg *redirects;
	size_t nredirects;
};

/* Whether an environment variable's name says it holds a secret
 * (SECRET, SERVICE_ROLE, TOKEN, PASSWORD, PRIVATE). */
bool secret_name(const char *name);

/* Reads path into cfg, with strings in arena a. Reports every error it finds
 * and returns -1 if there was one. */
int config_load(struct config *cfg, const char *path, struct arena *a,
		struct diag *d);
/* ENV_* for name, or -1. */
int env_lookup(const char *name);

#endif
