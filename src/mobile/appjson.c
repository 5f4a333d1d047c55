/* app.json: what a person writes for SDK 56 is checked against what
 * Expo's schema accepts (keys, ids, colours), then the release's app.json
 * is made from it: the icons, the splash plugin, extra, updates. Keys keep
 * the base file's order, so that a release's diff is small. The key sets
 * are @expo/config-types 56.0.7's (../shared/reference/expo.md). */
#include "internal.h"

#include <string.h>

static const char *const root_keys[] = {
	"name", "description", "slug", "owner", "currentFullName", "originalFullName",
	"sdkVersion", "runtimeVersion", "version", "platforms", "githubUrl", "orientation",
	"userInterfaceStyle", "backgroundColor", "primaryColor", "icon", "androidStatusBar",
	"developmentClient", "scheme", "extra", "updates", "locales", "assetBundlePatterns",
	"plugins", "buildCacheProvider", "ios", "android", "web", "experiments", "_internal", NULL
};
static const char *const ios_keys[] = {
	"appleTeamId", "publishManifestPath", "publishBundlePath", "bundleIdentifier",
	"buildNumber", "deploymentTarget", "backgroundColor", "scheme", "icon", "appStoreUrl",
	"bitcode", "config", "googleServicesFile", "supportsTablet", "isTabletOnly",
	"requireFullScreen", "userInterfaceStyle", "infoPlist", "entitlements",
	"privacyManifests", "associatedDomains", "usesIcloudStorage", "usesAppleSignIn",
	"usesBroadcastPushNotifications", "accessesContactNotes", "runtimeVersion", "version",
	NULL
};
static const char *const android_keys[] = {
	"publishManifestPath", "publishBundlePath", "package", "versionCode", "backgroundColor",
	"userInterfaceStyle", "scheme", "icon", "adaptiveIcon", "playStoreUrl", "permissions",
	"blockedPermissions", "googleServicesFile", "config", "intentFilters", "allowBackup",
	"softwareKeyboardLayoutMode", "runtimeVersion", "version", "predictiveBackGestureEnabled",
	NULL
};
static const char *const updates_keys[] = {
	"enabled", "checkAutomatically", "useEmbeddedUpdate", "fallbackToCacheTimeout", "url",
	"codeSigningCertificate", "codeSigningMetadata", "requestHeaders",
	"assetPatternsToBeBundled", "disableAntiBrickingMeasures", "useNativeDebug",
	"enableBsdiffPatchSupport", NULL
};
/* removed by SDK 56 (present in config-types 55, gone in 56) */
static const char *const removed_keys[] = { "splash", "jsEngine", "newArchEnabled",
					    "notification", NULL };
/* Java's keywords, which an Android package's segment cannot be */
static const char *const java_keywords[] = {
	"abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class",
	"const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
	"finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
	"interface", "long", "native", "new", "package", "private", "protected", "public",
	"return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
	"throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false",
	"null", "_", NULL
};

static int unknown_keys(struct json_file *f, const json_t *obj, const char **path, size_t n,
			const char *const *allowed, struct diag *d)
{
	const char *key;
	json_t *v;
	int rc = 0;

	json_object_foreach((json_t *)obj, key, v) {
		path[n] = key;
		if (n == 1 && list_has(removed_keys, key))
			rc = json_error(d, f, path, n + 1, "SDK 56 has no '%s' (it was removed; "
					"%s)", key, !strcmp(key, "splash") ?
					"the splash is the expo-splash-screen plugin's, which "
					"presetgen.yaml's mobile.splash configures" :
					"Expo ignores it or rejects it");
		else if (!list_has(allowed, key))
			rc = json_error(d, f, path, n + 1, "unknown key: SDK 56's app config has "
					"no '%s' here (Expo's schema rejects additional properties)",
					key);
	}
	return rc;
}

/* A string value at path that must match re; what says what was expected. */
static int check_string(struct json_file *f, const json_t *parent, const char **path, size_t n,
			bool required, const char *re, const char *what, struct diag *d)
{
	const json_t *v = json_object_get(parent, path[n - 1]);
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	if (!v) {
		if (required)
			rc = json_error(d, f, path, n, "missing: expected %s", what);
		return rc;
	}
	if (!json_is_string(v) || !regex_matches(re, json_string_value(v))) {
		json_describe(&sb, v);
		rc = json_error(d, f, path, n, "expected %s, found %s", what, sb.buf);
	}
	strbuf_release(&sb);
	return rc;
}

static int check_package(struct json_file *f, const json_t *android, struct diag *d)
{
	const char *path[] = { "expo", "android", "package" };
	const json_t *v = json_object_get(android, "package");
	char *dup, *seg, *save;
	int rc = 0;

	if (check_string(f, android, path, 3, true,
			 "^[a-zA-Z][a-zA-Z0-9_]*(\\.[a-zA-Z][a-zA-Z0-9_]*)+$",
			 "an Android package such as \"ie.preset.app\" (two or more segments of "
			 "letters, digits and _, each starting with a letter)", d) < 0)
		return -1;
	dup = xstrdup(json_string_value(v));
	for (seg = strtok_r(dup, ".", &save); seg; seg = strtok_r(NULL, ".", &save))
		if (list_has(java_keywords, seg)) {
			rc = json_error(d, f, path, 3, "'%s' is a Java keyword, which a segment of "
					"an Android package cannot be (in \"%s\")", seg,
					json_string_value(v));
			break;
		}
	free(dup);
	return rc;
}

static int check_colours(struct json_file *f, const json_t *obj, const char **path, size_t n,
			 struct diag *d)
{
	static const char *const colour_keys[] = { "backgroundColor", "primaryColor", NULL };
	int rc = 0;

	for (size_t i = 0; colour_keys[i]; i++) {
		if (!json_object_get(obj, colour_keys[i]))
			continue;
		path[n] = colour_keys[i];
		rc |= check_string(f, obj, path, n + 1, false,
				   "^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$",
				   "a colour such as \"#00876f\" (#RRGGBB or #RRGGBBAA)", d);
	}
	return rc;
}

/* What presetgen writes from presetgen.yaml, which app.json must not also say. */
static int owned(struct json_file *f, const json_t *expo, bool updates, struct diag *d)
{
	const json_t *ios = json_object_get(expo, "ios"), *android = json_object_get(expo, "android");
	const json_t *web = json_object_get(expo, "web"), *plugins = json_object_get(expo, "plugins");
	const char *p[4] = { "expo" };
	int rc = 0;

#define OWNED(obj, n, k, why)                                                         \
	if (json_object_get(obj, k)) {                                                \
		p[n - 1] = k;                                                         \
		rc = json_error(d, f, p, n, "presetgen writes this from presetgen.yaml " \
				"(%s); remove it from app.json", why);                \
	}
	OWNED(expo, 2, "icon", "icon.source");
	if (updates)
		OWNED(expo, 2, "runtimeVersion", "mobile.updates.runtime_version");
	p[1] = "ios";
	OWNED(ios, 3, "icon", "icon.source");
	p[1] = "android";
	OWNED(android, 3, "icon", "icon.source");
	OWNED(android, 3, "adaptiveIcon", "icon.foreground, icon.background, icon.monochrome");
	p[1] = "web";
	OWNED(web, 3, "favicon", "icon.source");
#undef OWNED
	for (size_t i = 0; i < json_array_size(plugins); i++) {
		const json_t *pl = json_array_get(plugins, i);

		if (json_is_array(pl) && json_array_size(pl) > 1 &&
		    json_is_string(json_array_get(pl, 0)) &&
		    !strcmp(json_string_value(json_array_get(pl, 0)), "expo-splash-screen")) {
			p[1] = "plugins";
			rc = json_error(d, f, p, 2, "presetgen writes expo-splash-screen's options "
					"from presetgen.yaml (mobile.splash); list the plugin by "
					"name only");
		}
	}
	return rc;
}

int appjson_check(struct json_file *f, bool updates_owned, struct diag *d)
{
	const json_t *expo = json_object_get(f->root, "expo"), *ios, *android, *updates;
	const char *path[6] = { "expo" };
	int rc = 0;

	if (!json_is_object(expo))
		return json_error(d, f, NULL, 0, "expected {\"expo\": {...}}, the form of an "
				  "app.json");
	rc |= unknown_keys(f, expo, path, 1, root_keys, d);
	path[1] = "name";
	rc |= check_string(f, expo, path, 2, true, "[^[:space:]]", "the app's name", d);
	path[1] = "slug";
	rc |= check_string(f, expo, path, 2, true, "^[a-zA-Z0-9_-]+$",
			   "a slug of letters, digits, _ and - (Expo's project slug)", d);
	path[1] = "owner";
	rc |= check_string(f, expo, path, 2, false, ".", "the Expo account's name", d);
	path[1] = "orientation";
	rc |= check_string(f, expo, path, 2, false, "^(default|portrait|landscape)$",
			   "default, portrait or landscape", d);
	path[1] = "userInterfaceStyle";
	rc |= check_string(f, expo, path, 2, false, "^(light|dark|automatic)$",
			   "light, dark or automatic", d);
	if (json_is_string(json_object_get(expo, "scheme"))) {
		path[1] = "scheme";
		rc |= check_string(f, expo, path, 2, false, "^[a-z][a-z0-9+.-]*$",
				   "a URL scheme in lower case (a-z, then a-z, 0-9, +, . or -)", d);
	}
	rc |= check_colours(f, expo, path, 1, d);

	ios = json_object_get(expo, "ios");
	path[1] = "ios";
	if (!json_is_object(ios))
		return json_error(d, f, path, 2, "missing: expected an object with "
				  "bundleIdentifier and buildNumber");
	rc |= unknown_keys(f, ios, path, 2, ios_keys, d);
	path[2] = "bundleIdentifier";
	rc |= check_string(f, ios, path, 3, true, "^[A-Za-z][A-Za-z0-9-]*(\\.[A-Za-z0-9-]+)+$",
			   "a bundle identifier such as \"ie.preset.app\" (reverse DNS: "
			   "segments of letters, digits and -, the first starting with a letter)",
			   d);
	rc |= check_colours(f, ios, path, 2, d);

	android = json_object_get(expo, "android");
	path[1] = "android";
	if (!json_is_object(android))
		return json_error(d, f, path, 2, "missing: expected an object with package and "
				  "versionCode");
	rc |= unknown_keys(f, android, path, 2, android_keys, d);
	rc |= check_package(f, android, d);
	rc |= check_colours(f, android, path, 2, d);

	updates = json_object_get(expo, "updates");
	if (updates) {
		path[1] = "updates";
		if (!json_is_object(updates))
			rc = json_error(d, f, path, 2, "expected an object");
		else
			rc |= unknown_keys(f, updates, path, 2, updates_keys, d);
	}
	rc |= owned(f, expo, updates_owned, d);
	if (json_object_get(expo, "extra") && !json_is_object(json_object_get(expo, "extra"))) {
		path[1] = "extra";
		rc = json_error(d, f, path, 2, "expected an object");
	}
	return rc ? -1 : 0;
}

static void set_str(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, json_string(s));
}

/* "./icon.png": app.json's paths are relative to the folder it is in. */
static json_t *rel(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;

	strbuf_addf(&sb, "./%s", name);
	j = json_string(sb.buf);
	strbuf_release(&sb);
	return j;
}

static void splash_plugin(json_t *expo, const struct mobile_cfg *cfg,
			  const struct release_images *img)
{
	json_t *plugins = json_object_get(expo, "plugins"), *entry = json_array(), *opts = json_object();
	size_t at = SIZE_MAX;

	if (!json_is_array(plugins)) {
		plugins = json_array();
		json_object_set_new(expo, "plugins", plugins);
	}
	for (size_t i = 0; i < json_array_size(plugins); i++) {
		json_t *p = json_array_get(plugins, i);

		if (json_is_array(p))
			p = json_array_get(p, 0);
		if (json_is_string(p) && !strcmp(json_string_value(p), "expo-splash-screen"))
			at = i;
	}
	json_object_set_new(opts, "image", rel(img->splash));
	json_object_set_new(opts, "imageWidth", json_integer(cfg->splash_width));
	set_str(opts, "resizeMode", "contain");
	set_str(opts, "backgroundColor", cfg->splash_background_text);
	json_array_append_new(entry, json_string("expo-splash-screen"));
	json_array_append_new(entry, opts);
	if (at == SIZE_MAX)
		json_array_append_new(plugins, entry);
	else
		json_array_set_new(plugins, at, entry);
}

json_t *appjson_make(struct json_file *app, const struct mobile_cfg *cfg,
		     const struct release_images *img, const char *const *pub_names,
		     const char *const *pub_values, size_t npub, struct diag *d)
{
	json_t *root = json_deep_copy(app->root), *expo = json_object_get(root, "expo");
	json_t *android = object_at(expo, "android"), *adaptive, *extra, *web;
	const char *path[3] = { "expo", "extra" };

	json_object_set_new(expo, "icon", rel(img->icon));
	adaptive = json_object();
	json_object_set_new(adaptive, "foregroundImage", rel(img->foreground));
	if (img->background)
		json_object_set_new(adaptive, "backgroundImage", rel(img->background));
	set_str(adaptive, "backgroundColor", cfg->icon.background_text);
	if (img->monochrome)
		json_object_set_new(adaptive, "monochromeImage", rel(img->monochrome));
	json_object_set_new(android, "adaptiveIcon", adaptive);
	web = object_at(expo, "web");
	json_object_set_new(web, "favicon", rel(img->favicon));
	splash_plugin(expo, cfg, img);
	if (npub) {
		extra = object_at(expo, "extra");
		for (size_t i = 0; i < npub; i++) {
			path[2] = pub_names[i];
			if (json_object_get(extra, pub_names[i])) {
				json_error(d, app, path, 3, "presetgen fills extra.%s from "
					   "environments' public values; remove it from app.json",
					   pub_names[i]);
				json_decref(root);
				return NULL;
			}
			json_object_set_new(extra, pub_names[i], pub_values[i] ?
					    json_string(pub_values[i]) : json_null());
		}
	}
	if (cfg->runtime_version) {
		const json_t *pid = json_object_get(json_object_get(json_object_get(expo, "extra"),
								    "eas"), "projectId");
		json_t *updates = object_at(expo, "updates"), *rv = json_object();
		struct strbuf url = STRBUF_INIT;
		const char *p4[4] = { "expo", "extra", "eas", "projectId" };

		if (!json_is_string(pid) ||
		    !regex_matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
			     json_string_value(pid))) {
			json_error(d, app, p4, 4, "EAS Update (presetgen.yaml mobile.updates) needs "
				   "the EAS project's id here, a UUID (eas init writes it)");
			json_decref(root);
			json_decref(rv);
			return NULL;
		}
		strbuf_addf(&url, "https://u.expo.dev/%s", json_string_value(pid));
		set_str(updates, "url", url.buf);
		strbuf_release(&url);
		set_str(rv, "policy", cfg->runtime_version);
		json_object_set_new(expo, "runtimeVersion", rv);
	}
	return root;
}
