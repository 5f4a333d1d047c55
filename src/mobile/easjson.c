/* eas.json: eas/eas.json (what the team writes: node's version, submit
 * settings, a shared base profile) is checked against what @expo/eas-json
 * 24.8.0 accepts, then presetgen adds what it owns: the three profiles'
 * kind (development client, internal APK, store app bundle), their
 * channel and EAS environment, and cli.appVersionSource "local", since
 * presetgen issues the numbers (../shared/reference/expo.md, section 3). */
#include "internal.h"

#include <string.h>

static const char *const common_keys[] = {
	"extends", "env", "node", "pnpm", "yarn", "bun", "expoCli", "corepack",
	"credentialsSource", "distribution", "channel", "releaseChannel", "developmentClient",
	"prebuildCommand", "autoIncrement", "buildArtifactPaths", "uploadSourceMaps", "cache",
	"config", "withoutCredentials", "environment", "resourceClass", "android", "ios", NULL
};
static const char *const platform_common[] = {
	"env", "node", "pnpm", "yarn", "bun", "expoCli", "corepack", "credentialsSource",
	"distribution", "channel", "releaseChannel", "developmentClient", "prebuildCommand",
	"autoIncrement", "buildArtifactPaths", "uploadSourceMaps", "cache", "config",
	"withoutCredentials", "environment", "resourceClass", "image", "artifactPath",
	"applicationArchivePath", NULL
};
static const char *const android_only[] = { "ndk", "gradleCommand", "buildType", "keystoreName",
					    NULL };
static const char *const ios_only[] = { "bundler", "fastlane", "cocoapods", "enterpriseProvisioning",
					"simulator", "scheme", "buildConfiguration", NULL };
static const char *const cli_keys[] = { "version", "requireCommit", "appVersionSource",
					"promptToConfigurePushNotifications",
					"updateAssetHostOverride", "updateManifestHostOverride", NULL };
static const char *const submit_android[] = { "serviceAccountKeyPath", "track", "releaseStatus",
					      "changesNotSentForReview", "applicationId", "rollout",
					      NULL };
static const char *const submit_ios[] = { "ascApiKeyPath", "ascApiKeyId", "ascApiKeyIssuerId",
					  "appleId", "ascAppId", "appleTeamId", "sku", "language",
					  "companyName", "appName", "bundleIdentifier",
					  "metadataPath", "groups", NULL };

struct ctx {
	struct json_file *f;
	struct diag *d;
	const char *path[6];
	int rc;
};

static void fail(struct ctx *c, size_t n, const char *msg, const json_t *v)
{
	struct strbuf sb = STRBUF_INIT;

	if (v)
		json_describe(&sb, v);
	c->rc = json_error(c->d, c->f, c->path, n, "%s%s%s", msg, v ? ", found " : "",
			   v ? sb.buf : "");
	strbuf_release(&sb);
}

/* A string value that must match rx. */
static void string_rule(struct ctx *c, size_t n, const json_t *v, const char *rx,
			const char *expected)
{
	if (!json_is_string(v) || !regex_matches(rx, json_string_value(v)))
		fail(c, n, expected, v);
}

static void value_rules(struct ctx *c, size_t n, const char *key, const json_t *v)
{
	static const char *const semver = "^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$";

	if (!strcmp(key, "buildType"))
		string_rule(c, n, v, "^(apk|app-bundle)$", "expected apk or app-bundle (EAS "
			    "rejects anything else, \"aab\" included)");
	else if (!strcmp(key, "distribution"))
		string_rule(c, n, v, "^(store|internal)$", "expected store or internal");
	else if (!strcmp(key, "credentialsSource"))
		string_rule(c, n, v, "^(local|remote)$", "expected local or remote");
	else if (!strcmp(key, "channel") || !strcmp(key, "releaseChannel"))
		string_rule(c, n, v, "^[a-z0-9][a-z0-9._-]*$", "expected a channel in lower case "
			    "(a-z, 0-9, ., _ and -)");
	else if (!strcmp(key, "environment"))
		string_rule(c, n, v, "^[a-z0-9_-]{3,100}$", "expected an EAS environment: 3 to "
			    "100 of a-z, 0-9, _ and -");
	else if (!strcmp(key, "node") || !strcmp(key, "pnpm") || !strcmp(key, "yarn") ||
		 !strcmp(key, "bun") || !strcmp(key, "expoCli"))
		string_rule(c, n, v, semver, "expected a full version such as \"20.19.4\" (EAS "
			    "rejects \"20\")");
	else if (!strcmp(key, "resourceClass"))
		string_rule(c, n, v, "^(default|medium|large|m-medium|m-large|m1-medium)$",
			    "expected default, medium or large (m-medium on iOS)");
	else if (!strcmp(key, "autoIncrement"))
		fail(c, n, "presetgen issues versionCode and buildNumber (cli.appVersionSource "
		     "local); autoIncrement would change them behind its back: remove it", NULL);
	else if ((!strcmp(key, "developmentClient") || !strcmp(key, "withoutCredentials") ||
		  !strcmp(key, "simulator")) && !json_is_boolean(v))
		fail(c, n, "expected true or false", v);
	else if (!strcmp(key, "env") && json_is_object(v)) {
		const char *k;
		json_t *x;

		json_object_foreach((json_t *)v, k, x)
			if (!json_is_string(x)) {
				c->path[n] = k;
				fail(c, n + 1, "expected a string (EAS's env values are strings)", x);
			}
	}
}

static void platform_rules(struct ctx *c, size_t n, const json_t *obj, const char *const *only)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return fail(c, n, "expected an object", obj);
	json_object_foreach((json_t *)obj, key, v) {
		c->path[n] = key;
		if (!list_has(platform_common, key) && !list_has(only, key))
			fail(c, n + 1, "unknown key (@expo/eas-json rejects it here)", NULL);
		else
			value_rules(c, n + 1, key, v);
	}
}

static void build_profile(struct ctx *c, const json_t *build, const char *name, const json_t *p)
{
	const char *key;
	json_t *v;
	const json_t *ext;
	int depth = 0;

	c->path[0] = "build";
	c->path[1] = name;
	if (!json_is_object(p))
		return fail(c, 2, "expected an object (a build profile)", p);
	json_object_foreach((json_t *)p, key, v) {
		c->path[2] = key;
		if (!strcmp(key, "simulator"))
			fail(c, 3, "simulator belongs under ios (@expo/eas-json rejects it here)", NULL);
		else if (!list_has(common_keys, key))
			fail(c, 3, "unknown key (@expo/eas-json rejects it in a build profile)", NULL);
		else if (!strcmp(key, "android"))
			platform_rules(c, 3, v, android_only);
		else if (!strcmp(key, "ios"))
			platform_rules(c, 3, v, ios_only);
		else
			value_rules(c, 3, key, v);
	}
	/* extends: a profile of this file, no cycle, at most 5 deep as EAS allows */
	for (ext = json_object_get(p, "extends"); ext; depth++) {
		c->path[2] = "extends";
		if (!json_is_string(ext) || !json_is_object(json_object_get(build,
									 json_string_value(ext))))
			return fail(c, 3, "expected the name of another build profile", ext);
		if (depth == 5)
			return fail(c, 3, "extends goes more than 5 deep, or in a circle", NULL);
		ext = json_object_get(json_object_get(build, json_string_value(ext)), "extends");
	}
}

static void submit_profile(struct ctx *c, const char *name, const json_t *p)
{
	const char *key;
	json_t *v;

	c->path[0] = "submit";
	c->path[1] = name;
	if (!json_is_object(p))
		return fail(c, 2, "expected an object (a submit profile)", p);
	json_object_foreach((json_t *)p, key, v) {
		const char *const *keys = !strcmp(key, "android") ? submit_android :
					  !strcmp(key, "ios") ? submit_ios : NULL;
		const char *k2;
		json_t *v2;

		c->path[2] = key;
		if (!strcmp(key, "extends"))
			continue;
		if (!keys || !json_is_object(v)) {
			fail(c, 3, keys ? "expected an object" : "unknown key (a submit profile "
			     "has only extends, android and ios)", keys ? v : NULL);
			continue;
		}
		json_object_foreach(v, k2, v2) {
			c->path[3] = k2;
			if (!list_has(keys, k2))
				fail(c, 4, "unknown key (@expo/eas-json rejects it here)", NULL);
			else if (!strcmp(k2, "releaseStatus"))
				string_rule(c, 4, v2, "^(completed|draft|halted|inProgress)$",
					    "expected completed, draft, halted or inProgress");
			else if (!strcmp(k2, "ascAppId"))
				string_rule(c, 4, v2, "^[0-9]+$", "expected the App Store Connect "
					    "app's id, digits in a string");
			else if (!strcmp(k2, "appleTeamId"))
				string_rule(c, 4, v2, "^[0-9A-Z]{10}$", "expected a 10-character "
					    "Apple team id");
			else if (!strcmp(k2, "rollout") &&
				 (!json_is_number(v2) || json_number_value(v2) < 0 ||
				  json_number_value(v2) > 1))
				fail(c, 4, "expected a fraction from 0 to 1", v2);
		}
	}
}

static void check_base(struct ctx *c, const json_t *root)
{
	const json_t *cli = json_object_get(root, "cli"), *build = json_object_get(root, "build");
	const json_t *submit = json_object_get(root, "submit");
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)root, key, v) {
		c->path[0] = key;
		if (strcmp(key, "$schema") && strcmp(key, "cli") && strcmp(key, "build") &&
		    strcmp(key, "submit"))
			fail(c, 1, "unknown key (eas.json has $schema, cli, build and submit)", NULL);
	}
	if (cli) {
		c->path[0] = "cli";
		if (!json_is_object(cli))
			return fail(c, 1, "expected an object", cli);
		json_object_foreach((json_t *)cli, key, v) {
			c->path[1] = key;
			if (!list_has(cli_keys, key))
				fail(c, 2, "unknown key (@expo/eas-json rejects it)", NULL);
			else if (!strcmp(key, "appVersionSource") &&
				 (!json_is_string(v) || strcmp(json_string_value(v), "local")))
				fail(c, 2, "expected \"local\": presetgen issues versionCode and "
				     "buildNumber (eas/ledger.json)", v);
		}
	}
	if (build && !json_is_object(build)) {
		c->path[0] = "build";
		fail(c, 1, "expected an object of build profiles", build);
	}
	json_object_foreach((json_t *)build, key, v)
		build_profile(c, build, key, v);
	if (submit && !json_is_object(submit)) {
		c->path[0] = "submit";
		fail(c, 1, "expected an object of submit profiles", submit);
	}
	json_object_foreach((json_t *)submit, key, v)
		submit_profile(c, key, v);
}

/* Sets obj.key to want, unless the base says something else: an error. */
static void own(struct ctx *c, json_t *obj, size_t n, const char *key, json_t *want,
		const char *why)
{
	json_t *had = json_object_get(obj, key);

	c->path[n] = key;
	if (had && !json_equal(had, want)) {
		struct strbuf w = STRBUF_INIT, h = STRBUF_INIT;

		json_describe(&w, want);
		json_describe(&h, had);
		c->rc = json_error(c->d, c->f, c->path, n + 1, "presetgen sets this to %s (%s), "
				   "found %s: remove it from %s", w.buf, why, h.buf, c->f->path);
		strbuf_release(&w);
		strbuf_release(&h);
	}
	json_object_set_new(obj, key, want);
}

json_t *easjson_make(struct json_file *base, const struct mobile_cfg *cfg, struct diag *d)
{
	struct ctx c = { .f = base, .d = d };
	json_t *root = base->root ? json_deep_copy(base->root) : json_object();
	json_t *cli, *build;

	check_base(&c, root);
	if (c.rc) {
		json_decref(root);
		return NULL;
	}
	cli = object_at(root, "cli");
	json_object_set_new(cli, "appVersionSource", json_string("local"));
	build = object_at(root, "build");
	for (int i = 0; i < PROFILE_COUNT; i++) {
		json_t *p = object_at(build, profile_names[i]);

		c.path[0] = "build";
		c.path[1] = profile_names[i];
		if (i == PROFILE_DEVELOPMENT)
			own(&c, p, 2, "developmentClient", json_true(), "a development build");
		own(&c, p, 2, "distribution", json_string(i == PROFILE_PRODUCTION ? "store" :
							  "internal"),
		    i == PROFILE_PRODUCTION ? "the stores" : "installed by the team");
		own(&c, p, 2, "channel", json_string(cfg->profiles[i].channel),
		    "presetgen.yaml mobile.profiles");
		own(&c, p, 2, "environment", json_string(cfg->profiles[i].environment),
		    "presetgen.yaml mobile.profiles");
		if (i != PROFILE_DEVELOPMENT) {
			c.path[2] = "android";
			own(&c, object_at(p, "android"), 3, "buildType",
			    json_string(i == PROFILE_PREVIEW ? "apk" : "app-bundle"),
			    i == PROFILE_PREVIEW ? "an APK installs on a phone" :
						   "Google Play takes app bundles");
		}
	}
	if (c.rc) {
		json_decref(root);
		return NULL;
	}
	return root;
}
