/* presetgen.yaml, as `presetgen mobile` reads it: icon: (shared with the
 * site), mobile:, and the public values of each environment. The rest of
 * the file is the site's; `presetgen build` and `check` read it. */
#include "internal.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char *const profile_names[PROFILE_COUNT] = { "development", "preview", "production" };
const char *const mobile_env_names[3] = { "development", "staging", "production" };

static bool valid_eas_name(const char *s)
{
	size_t n = strlen(s);

	/* EAS: channel ^[a-z\d][a-z\d._-]*$, environment ^[a-z0-9_-]+$ (3 to 100) */
	if (!n || n > 100 || !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_'))
			return false;
	return n >= 3;
}

static const struct ykey profile_keys[] = {
	{ .name = "env", .type = YK_NAME, .off = offsetof(struct profile_cfg, env) },
	{ .name = "channel", .type = YK_NAME, .off = offsetof(struct profile_cfg, channel) },
	{ .name = "environment", .type = YK_NAME,
	  .off = offsetof(struct profile_cfg, environment) },
};

static int read_profile(struct yread *r, const char *key, const struct ynode *k,
			const struct ynode *v, void *ud)
{
	struct mobile_cfg *cfg = ud;
	struct strbuf what = STRBUF_INIT;
	struct profile_cfg *p = NULL;
	int rc;

	for (int i = 0; i < PROFILE_COUNT; i++)
		if (!strcmp(key, profile_names[i]))
			p = &cfg->profiles[i];
	if (!p)
		return ydoc_error(r->y, k, "unknown profile '%s': expected development, preview "
				  "or production", key);
	strbuf_addf(&what, "mobile.profiles.%s", key);
	yread_pos(r, v, &p->at);
	rc = yread_map(r, v, what.buf, profile_keys, ARRAY_SIZE(profile_keys), p);
	if (!rc && p->env && strcmp(p->env, "development") && strcmp(p->env, "staging") &&
	    strcmp(p->env, "production"))
		rc = ydoc_error(r->y, v, "unknown environment '%s' in '%s': expected "
				"development, staging or production", p->env, what.buf);
	if (!rc && p->channel && !valid_eas_name(p->channel))
		rc = ydoc_error(r->y, v, "'%s' is not a channel EAS accepts in '%s': expected "
				"3 to 100 of a-z, 0-9, - and _, starting with a letter or digit",
				p->channel, what.buf);
	if (!rc && p->environment && !valid_eas_name(p->environment))
		rc = ydoc_error(r->y, v, "'%s' is not an environment EAS accepts in '%s': "
				"expected 3 to 100 of a-z, 0-9, - and _", p->environment,
				what.buf);
	strbuf_release(&what);
	return rc;
}

static int read_profiles(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	return yread_each(r, v, what, read_profile, base);
}

static int read_build_number(struct yread *r, const struct ynode *v, void *base,
			     const char *what)
{
	struct mobile_cfg *cfg = base;
	const char *s = ynode_scalar(v);

	if (s && !strcmp(s, "restart"))
		cfg->restart_build_number = true;
	else if (!s || strcmp(s, "continue"))
		return ydoc_error(r->y, v, "expected continue or restart for '%s'", what);
	return 0;
}

/* The splash image is the adaptive icon's foreground (a logo on
 * transparency, as Expo's docs ask for the splash); its width and the
 * colour behind it are the splash's own. */
struct splash_cfg {
	const char *background;
	long width;
};

static const struct ykey splash_keys[] = {
	{ .name = "background", .type = YK_NAME, .off = offsetof(struct splash_cfg, background) },
	{ .name = "width", .type = YK_INT, .off = offsetof(struct splash_cfg, width), .min = 50,
	  .max = 1000 },
};

static int read_splash(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct mobile_cfg *cfg = base;
	struct splash_cfg s = { .width = 200 };

	if (yread_map(r, v, what, splash_keys, ARRAY_SIZE(splash_keys), &s) < 0)
		return -1;
	if (s.background) {
		if (!parse_colour(s.background, &cfg->splash_background))
			return ydoc_error(r->y, v, "expected a colour such as \"#00876f\" for "
					  "'%s.background', found '%s'", what, s.background);
		cfg->splash_background_text = s.background;
	}
	cfg->splash_width = s.width;
	return 0;
}

static int read_updates(struct yread *r, const struct ynode *v, void *base, const char *what)
{
	struct mobile_cfg *cfg = base;
	static const char *const policies[] = { "appVersion", "nativeVersion", "fingerprint" };
	const struct ykey keys[] = {
		{ .name = "runtime_version", .type = YK_NAME,
		  .off = offsetof(struct mobile_cfg, runtime_version), .required = true },
	};

	yread_pos(r, v, &cfg->at_updates);
	if (yread_map(r, v, what, keys, ARRAY_SIZE(keys), cfg) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(policies); i++)
		if (!strcmp(cfg->runtime_version, policies[i]))
			return 0;
	return ydoc_error(r->y, v, "expected appVersion, nativeVersion or fingerprint for "
			  "'%s.runtime_version' (the runtime version policy), found '%s'", what,
			  cfg->runtime_version);
}

static const struct ykey mobile_keys[] = {
	{ .name = "app", .type = YK_NAME, .off = offsetof(struct mobile_cfg, app) },
	{ .name = "eas", .type = YK_NAME, .off = offsetof(struct mobile_cfg, eas) },
	{ .name = "ledger", .type = YK_NAME, .off = offsetof(struct mobile_cfg, ledger) },
	{ .name = "out", .type = YK_NAME, .off = offsetof(struct mobile_cfg, out) },
	{ .name = "build_number", .type = YK_CALL, .fn = read_build_number },
	{ .name = "splash", .type = YK_CALL, .fn = read_splash },
	{ .name = "updates", .type = YK_CALL, .fn = read_updates },
	{ .name = "profiles", .type = YK_CALL, .fn = read_profiles },
};

static int read_env_pair(struct yread *r, const char *key, const struct ynode *k,
			 const struct ynode *v, void *ud)
{
	struct mobile_cfg *cfg = ud;
	struct strbuf what = STRBUF_INIT;
	int rc = 0;

	(void)k;
	for (int e = 0; e < 3; e++) {
		if (strcmp(key, mobile_env_names[e]))
			continue;
		if (ynode_type(v) != YN_MAP)
			break;
		for (size_t i = 0; i < ynode_count(v); i++) {
			const char *name = ynode_scalar(ynode_key(r->y, v, i));

			if (!name || strcmp(name, "public"))
				continue;
			strbuf_addf(&what, "environments.%s.public", key);
			cfg->pub_present[e] = true;
			rc = yread_public(r, ynode_value(r->y, v, i), &cfg->pub[e], what.buf);
		}
	}
	strbuf_release(&what);
	return rc;
}

static int read_top(struct yread *r, const char *key, const struct ynode *k,
		    const struct ynode *v, void *ud)
{
	struct mobile_cfg *cfg = ud;

	(void)k;
	if (!strcmp(key, "icon"))
		return icon_config_read(r, v, &cfg->icon, "icon");
	if (!strcmp(key, "mobile")) {
		yread_pos(r, v, &cfg->at_mobile);
		return yread_map(r, v, "mobile", mobile_keys, ARRAY_SIZE(mobile_keys), cfg);
	}
	if (!strcmp(key, "environments") && ynode_type(v) == YN_MAP)
		return yread_each(r, v, "environments", read_env_pair, cfg);
	return 0;
}

static void defaults(struct mobile_cfg *cfg)
{
	static const char *const envs[PROFILE_COUNT] = { "development", "staging", "production" };

	cfg->app = "app.json";
	cfg->eas = "eas/eas.json";
	cfg->ledger = "eas/ledger.json";
	cfg->out = "release";
	cfg->splash_width = 200;
	for (int i = 0; i < PROFILE_COUNT; i++) {
		cfg->profiles[i].env = envs[i];
		cfg->profiles[i].channel = profile_names[i];
		cfg->profiles[i].environment = profile_names[i];
	}
}

int mobile_config_read(int rootfd, struct mobile_cfg *cfg, struct arena *a, struct diag *d)
{
	struct yread r = { .a = a };
	char *src;
	size_t len;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	defaults(cfg);
	cfg->path = "presetgen.yaml";
	if (read_text_at(d, rootfd, cfg->path, &src, &len) < 0)
		return -1;
	r.y = ydoc_load(cfg->path, src, len, 0, d);
	free(src);
	if (!r.y)
		return -1;
	if (!ydoc_root(r.y) || ynode_type(ydoc_root(r.y)) != YN_MAP)
		rc = ydoc_error(r.y, ydoc_root(r.y), "expected a mapping of settings");
	else
		rc = yread_each(&r, ydoc_root(r.y), "presetgen.yaml", read_top, cfg);
	if (!rc && !cfg->at_mobile.file)
		rc = ydoc_error(r.y, NULL, "no 'mobile' section: presetgen mobile needs one "
				"(it may be empty: mobile: {})");
	if (!rc && !cfg->icon.present)
		rc = ydoc_error(r.y, NULL, "no 'icon' section: the app's icons are made from "
				"icon.source");
	if (!rc && !cfg->splash_background_text) {
		cfg->splash_background = cfg->icon.background;
		cfg->splash_background_text = cfg->icon.background_text;
	}
	ydoc_free(r.y);
	return rc ? -1 : 0;
}
