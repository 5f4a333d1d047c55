/* presetgen mobile as a library: each lint rule and each bump rule, with
 * its exact message, on a repository made in a temporary folder (PNG
 * sources drawn here, app.json, eas/eas.json, presetgen.yaml). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <math.h>

#include "base/base.h"
#include "icons/icons.h"
#include "mobile/mobile.h"

static char dir[64];

static char *at(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static void put_bytes(const char *name, const void *data, size_t len)
{
	char *p = at(name), *slash = strrchr(p, '/');

	*slash = 0;
	assert_int_equal(mkdirs(p), 0);
	*slash = '/';
	assert_int_equal(write_file(p, data, len), 0);
}

static void put(const char *name, const char *text)
{
	put_bytes(name, text, strlen(text));
}

static char *get(const char *name)
{
	char *buf = NULL;
	size_t len;

	assert_int_equal(read_file(at(name), &buf, &len), 0);
	return buf;
}

static bool holds(const char *name, const char *needle)
{
	char *text = get(name);
	bool found = strstr(text, needle) != NULL;

	free(text);
	return found;
}

static void file_is(const char *name, const char *want)
{
	char *text = get(name);

	assert_string_equal(text, want);
	free(text);
}

/* A w x h image of colour c; with r > 0, only a centred disc of radius r
 * is opaque, its edge anti-aliased, the rest transparent. */
static void png(const char *name, int w, int h, struct rgb c, double r)
{
	struct image img;
	struct strbuf sb = STRBUF_INIT;

	image_fill(&img, w, h, c, 255);
	if (r > 0)
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				double dx = x + 0.5 - w / 2.0, dy = y + 0.5 - h / 2.0;
				double cover = r + 0.5 - sqrt(dx * dx + dy * dy);

				/* anti-aliased, as a drawn logo's edge is */
				img.px[((size_t)y * w + x) * 4 + 3] =
					(unsigned char)lround(255 * fmax(0, fmin(1, cover)));
			}
	png_encode(&img, false, &sb);
	image_release(&img);
	put_bytes(name, sb.buf, sb.len);
	strbuf_release(&sb);
}

static const char yaml[] =
	"icon:\n"
	"  source: assets/icon.png\n"
	"  background: \"#00876f\"\n"
	"  foreground: assets/fg.png\n"
	"  monochrome: assets/fg.png\n"
	"environments:\n"
	"  production:\n"
	"    base_url: https://preset.ie\n"
	"    public:\n"
	"      apiUrl: {env: PRESET_API_URL, default: \"https://api.preset.ie\"}\n"
	"      sentryDsn: PRESET_SENTRY_DSN\n"
	"mobile: {}\n";

static const char app[] =
	"{\n"
	"  \"expo\": {\n"
	"    \"name\": \"Preset\",\n"
	"    \"slug\": \"preset\",\n"
	"    \"version\": \"1.4.0\",\n"
	"    \"ios\": {\"bundleIdentifier\": \"ie.preset.app\", \"buildNumber\": \"3\"},\n"
	"    \"android\": {\"package\": \"ie.preset.app\", \"versionCode\": 12}\n"
	"  }\n"
	"}\n";

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/presetgen-mobile-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	put("presetgen.yaml", yaml);
	put("app.json", app);
	put("eas/eas.json", "{\"build\": {\"production\": {\"node\": \"20.19.4\"}}}\n");
	png("assets/icon.png", 1024, 1024, (struct rgb){ 0, 0x87, 0x6f }, 0);
	png("assets/fg.png", 1024, 1024, (struct rgb){ 255, 255, 255 }, 250);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return remove_tree(dir);
}

static char sentry[] = "PRESET_SENTRY_DSN=https://k@o1.ingest.sentry.io/2";
static char *env_ok[] = { sentry, NULL };

/* Runs presetgen mobile; returns its messages (static). */
static const char *run(enum mobile_bump bump, char **env, int *rc)
{
	static struct strbuf msgs = STRBUF_INIT;
	struct mobile_inputs in = { .root = dir, .bump = bump, .environ = env ? env : env_ok,
				    .jobs = 2 };
	struct mobile_result res;
	struct diag d;

	strbuf_reset(&msgs);
	diag_init(&d);
	d.capture = &msgs;
	*rc = mobile_run(&in, &d, &res);
	mobile_result_release(&res);
	diag_release(&d);
	return msgs.buf;
}

static void makes_the_release(void **state)
{
	int rc;

	(void)state;
	assert_string_equal(run(BUMP_NONE, NULL, &rc), "");
	assert_int_equal(rc, 0);
	assert_true(holds("release/app.json", "\"sentryDsn\": \"https://k@o1.ingest.sentry.io/2\""));
	assert_true(holds("release/eas.json", "\"buildType\": \"app-bundle\""));
	/* a run records the numbers in the ledger */
	file_is("eas/ledger.json", "{\n  \"version\": \"1.4.0\",\n  \"versionCode\": 12,\n"
			    "  \"buildNumbers\": {\n    \"1.4.0\": 3\n  }\n}\n");
}

struct lint_case {
	const char *file, *from, *to;	/* from NULL: to is the whole file */
	const char *msg;
};

static void lint_cases(const struct lint_case *cases, size_t n)
{
	remove_tree(at("release"));
	for (size_t i = 0; i < n; i++) {
		const struct lint_case *c = &cases[i];
		const char *good = !strcmp(c->file, "app.json") ? app :
				   !strcmp(c->file, "presetgen.yaml") ? yaml : NULL;
		char *text = xstrdup(c->to);
		int rc;

		if (c->from) {
			const char *p = strstr(good, c->from);
			struct strbuf sb = STRBUF_INIT;

			assert_non_null(p);
			strbuf_add(&sb, good, (size_t)(p - good));
			strbuf_adds(&sb, c->to);
			strbuf_adds(&sb, p + strlen(c->from));
			free(text);
			text = strbuf_detach(&sb, NULL);
		}
		put(c->file, text);
		if (getenv("PRINT_MESSAGES"))
			printf("%s", run(BUMP_NONE, NULL, &rc));
		else
			assert_string_equal(run(BUMP_NONE, NULL, &rc), c->msg);
		assert_int_equal(rc, -1);
		/* and nothing was written */
		assert_false(path_exists(at("release")));
		if (good)
			put(c->file, good);
		free(text);
	}
}

static const struct lint_case app_cases[] = {
	{ "app.json", "ie.preset.app\", \"buildNumber", "ie.preset_app\", \"buildNumber",
	  "app.json:6:33: error: expo.ios.bundleIdentifier: expected a bundle identifier such as \"ie.preset.app\" (reverse DNS: segments of letters, digits and -, the first starting with a letter), found the string \"ie.preset_app\"\n" },
	{ "app.json", "\"ie.preset.app\", \"versionCode", "\"ie.preset.new\", \"versionCode",
	  "app.json:7:28: error: expo.android.package: 'new' is a Java keyword, which a segment of an Android package cannot be (in \"ie.preset.new\")\n" },
	{ "app.json", "\"ie.preset.app\", \"versionCode", "\"ie\", \"versionCode",
	  "app.json:7:28: error: expo.android.package: expected an Android package such as \"ie.preset.app\" (two or more segments of letters, digits and _, each starting with a letter), found the string \"ie\"\n" },
	{ "app.json", "\"slug\"", "\"splash\": {},\n    \"slug\"",
	  "app.json:4:15: error: expo.splash: SDK 56 has no 'splash' (it was removed; the splash is the expo-splash-screen plugin's, which presetgen.yaml's mobile.splash configures)\n" },
	{ "app.json", "\"slug\"", "\"icon\": \"./x.png\",\n    \"slug\"",
	  "app.json:4:13: error: expo.icon: presetgen writes this from presetgen.yaml (icon.source); remove it from app.json\n" },
	{ "app.json", "\"slug\"", "\"backgroundColor\": \"teal\",\n    \"slug\"",
	  "app.json:4:24: error: expo.backgroundColor: expected a colour such as \"#00876f\" (#RRGGBB or #RRGGBBAA), found the string \"teal\"\n" },
	{ "app.json", "\"slug\"", "\"colour\": 1,\n    \"slug\"",
	  "app.json:4:15: error: expo.colour: unknown key: SDK 56's app config has no 'colour' here (Expo's schema rejects additional properties)\n" },
	{ "app.json", "\"preset\"", "\"pre set\"",
	  "app.json:4:13: error: expo.slug: expected a slug of letters, digits, _ and - (Expo's project slug), found the string \"pre set\"\n" },
	{ "app.json", "\"1.4.0\"", "\"1.4\"",
	  "app.json:5:16: error: expo.version: expected a version MAJOR.MINOR.PATCH in a string, such as \"1.4.0\", found the string \"1.4\"\n" },
	{ "app.json", "\"versionCode\": 12", "\"versionCode\": \"12\"",
	  "app.json:7:60: error: expo.android.versionCode: expected a whole number from 1 to 2100000000 (not a string), found the string \"12\"\n" },
	{ "app.json", "\"versionCode\": 12", "\"versionCode\": 12.5",
	  "app.json:7:60: error: expo.android.versionCode: expected a whole number from 1 to 2100000000 (not a string), found the number 12.5\n" },
	{ "app.json", "\"buildNumber\": \"3\"", "\"buildNumber\": 3",
	  "app.json:6:65: error: expo.ios.buildNumber: expected a whole number from 1 in a string, such as \"7\" (app.json's buildNumber is a string), found the number 3\n" },
	{ "app.json", "\"slug\"", "\"slug\": \"x\",\n    \"slug\"",
	  "app.json:5:10: error: duplicate object key near '\"slug\"'\n" },
};

static void lint_app_json(void **state)
{
	(void)state;
	lint_cases(app_cases, ARRAY_SIZE(app_cases));
}

static const struct lint_case eas_cases[] = {
	{ "eas/eas.json", NULL, "{\"build\": {\"production\": {\"android\": {\"buildType\": \"aab\"}}}}\n",
	  "eas/eas.json:1:52: error: build.production.android.buildType: expected apk or app-bundle (EAS rejects anything else, \"aab\" included), found the string \"aab\"\n" },
	{ "eas/eas.json", NULL, "{\"build\": {\"production\": {\"node\": \"20\"}}}\n",
	  "eas/eas.json:1:35: error: build.production.node: expected a full version such as \"20.19.4\" (EAS rejects \"20\"), found the string \"20\"\n" },
	{ "eas/eas.json", NULL, "{\"build\": {\"production\": {\"autoIncrement\": true}}}\n",
	  "eas/eas.json:1:44: error: build.production.autoIncrement: presetgen issues versionCode and buildNumber (cli.appVersionSource local); autoIncrement would change them behind its back: remove it\n" },
	{ "eas/eas.json", NULL, "{\"cli\": {\"appVersionSource\": \"remote\"}}\n",
	  "eas/eas.json:1:30: error: cli.appVersionSource: expected \"local\": presetgen issues versionCode and buildNumber (eas/ledger.json), found the string \"remote\"\n" },
	{ "eas/eas.json", NULL, "{\"build\": {\"preview\": {\"simulator\": true}}}\n",
	  "eas/eas.json:1:37: error: build.preview.simulator: simulator belongs under ios (@expo/eas-json rejects it here)\n" },
	{ "eas/eas.json", NULL, "{\"build\": {\"preview\": {\"distribution\": \"store\"}}}\n",
	  "eas/eas.json:1:40: error: build.preview.distribution: presetgen sets this to the string \"internal\" (installed by the team), found the string \"store\": remove it from eas/eas.json\n" },
	{ "eas/eas.json", NULL, "{\"build\": {\"preview\": {\"extends\": \"base\"}}}\n",
	  "eas/eas.json:1:35: error: build.preview.extends: expected the name of another build profile, found the string \"base\"\n" },
	{ "eas/eas.json", NULL, "{\"submit\": {\"production\": {\"android\": {\"releaseStatus\": \"live\"}}}}\n",
	  "eas/eas.json:1:57: error: submit.production.android.releaseStatus: expected completed, draft, halted or inProgress, found the string \"live\"\n" },
};

static void lint_eas_json(void **state)
{
	(void)state;
	lint_cases(eas_cases, ARRAY_SIZE(eas_cases));
	put("eas/eas.json", "{\"build\": {\"production\": {\"node\": \"20.19.4\"}}}\n");
}

static const struct lint_case yaml_cases[] = {
	{ "presetgen.yaml", "\"#00876f\"", "\"teal\"",
	  "presetgen.yaml:3:15: error: expected a colour such as \"#00876f\" (#RRGGBB) for 'icon.background', found 'teal'\n" },
	{ "presetgen.yaml", "assets/icon.png", "assets/icon.jpg",
	  "presetgen.yaml:2:11: error: expected the path of a .png file inside the site for 'icon.source', found 'assets/icon.jpg'\n" },
	{ "presetgen.yaml", "mobile: {}", "mobile: {profiles: {beta: {}}}",
	  "presetgen.yaml:12:21: error: unknown profile 'beta': expected development, preview or production\n" },
	{ "presetgen.yaml", "mobile: {}", "mobile: {profiles: {preview: {channel: Preview}}}",
	  "presetgen.yaml:12:30: error: 'Preview' is not a channel EAS accepts in 'mobile.profiles.preview': expected 3 to 100 of a-z, 0-9, - and _, starting with a letter or digit\n" },
	{ "presetgen.yaml", "mobile: {}", "mobile: {updates: {runtime_version: appVersion}, app: app.json}",
	  "app.json:2:11: error: expo.extra.eas.projectId: EAS Update (presetgen.yaml mobile.updates) needs the EAS project's id here, a UUID (eas init writes it)\n" },
	{ "presetgen.yaml", "sentryDsn: PRESET_SENTRY_DSN", "sentryDsn: PRESET_SENTRY_TOKEN",
	  "presetgen.yaml:11:18: error: 'PRESET_SENTRY_TOKEN' names a secret (its name holds SECRET, SERVICE_ROLE, TOKEN, PASSWORD or PRIVATE): it can never be public\n" },
	{ "presetgen.yaml", "mobile: {}", "mobile: {out: eas}",
	  "presetgen: error: the release folder 'eas' would replace part of the repository's eas\n" },
};

static void lint_config(void **state)
{
	(void)state;
	lint_cases(yaml_cases, ARRAY_SIZE(yaml_cases));
}

static void lint_environment(void **state)
{
	char *none[] = { NULL };
	char api[] = "PRESET_API_URL=https://api.preset.ie/?key=hush-hush-123";
	char secret[] = "STRIPE_SECRET_KEY=hush-hush-123";
	char *leak[] = { sentry, api, secret, NULL };
	int rc;

	(void)state;
	if (getenv("PRINT_MESSAGES")) {
		printf("%s", run(BUMP_NONE, none, &rc));
		printf("%s", run(BUMP_NONE, leak, &rc));
		return;
	}
	assert_string_equal(run(BUMP_NONE, none, &rc),
			    "presetgen.yaml:11:18: error: PRESET_SENTRY_DSN is not set and environments.production.public.sentryDsn has no default: a release needs every public value\n");
	assert_int_equal(rc, -1);
	assert_string_equal(run(BUMP_NONE, leak, &rc),
			    "release/app.json: error: the value of the secret variable STRIPE_SECRET_KEY would be written here; nothing was written\n");
	assert_int_equal(rc, -1);
	assert_false(path_exists(at("release")));
}

static void png_case(const char *name, int w, int h, double r, struct rgb c, const char *msg,
		     bool fails)
{
	int rc;
	const char *out;

	png(name, w, h, c, r);
	out = run(BUMP_NONE, NULL, &rc);
	if (getenv("PRINT_MESSAGES"))
		printf("%s", out);
	else
		assert_string_equal(out, msg);
	assert_int_equal(rc, fails ? -1 : 0);
	remove_tree(at("release"));
}

static void lint_images(void **state)
{
	struct rgb teal = { 0, 0x87, 0x6f }, white = { 255, 255, 255 };

	(void)state;
	png_case("assets/icon.png", 1024, 900, 0, teal,
		 "assets/icon.png: error: the icon is 1024x900 px: expected a square image\n", true);
	png_case("assets/icon.png", 512, 512, 0, teal,
		 "assets/icon.png: error: the icon is 512x512 px: expected at least 1024x1024 (the App Store icon is 1024 px, and smaller sources blur)\n", true);
	png_case("assets/icon.png", 1024, 1024, 0, teal,
		 "", false);
	put("assets/icon.png", "GIF89a...");
	png_case("assets/fg.png", 1024, 1024, 250, white,
		 "assets/icon.png: error: not a PNG: expected a PNG file (it does not start with PNG's signature)\n", true);
	png_case("assets/icon.png", 1024, 1024, 0, teal,
		 "", false);
	/* the foreground reaching past the safe zone is a warning */
	png_case("assets/fg.png", 1024, 1024, 400, white,
		 "assets/fg.png: warning: the adaptive icon's foreground reaches 401 px from the centre, 88 px outside Android's safe zone (a circle of 313 px radius: 66 of 108 dp); launchers that cut icons to a circle or a squircle will crop it\n", false);
	png_case("assets/fg.png", 1024, 1024, 250, white,
		 "", false);
}

static void app_numbers(const char *version, const char *code, const char *build)
{
	struct strbuf sb = STRBUF_INIT;
	const char *v = strstr(app, "1.4.0"), *c = strstr(app, ": 12") + 2,
		   *b = strstr(app, "\"buildNumber\": \"3\"") + 16;

	strbuf_add(&sb, app, (size_t)(v - app));
	strbuf_adds(&sb, version);
	strbuf_add(&sb, v + 5, (size_t)(b - v - 5));
	strbuf_adds(&sb, build);
	strbuf_add(&sb, b + 1, (size_t)(c - b - 1));
	strbuf_adds(&sb, code);
	strbuf_adds(&sb, c + 2);
	put("app.json", sb.buf);
	strbuf_release(&sb);
}

static void expect_numbers(const char *version, const char *code, const char *build)
{
	char *saved = get("app.json");

	/* app.json is what it was but for the three numbers */
	app_numbers(version, code, build);
	file_is("app.json", saved);
	free(saved);
}

static void bump_ok(enum mobile_bump b)
{
	int rc;
	const char *msgs = run(b, NULL, &rc);

	if (getenv("PRINT_MESSAGES"))
		printf("%s", msgs);
	assert_string_equal(msgs, "");
	assert_int_equal(rc, 0);
}

static void bump_fails(enum mobile_bump b, const char *msg)
{
	int rc;
	const char *msgs = run(b, NULL, &rc);

	if (getenv("PRINT_MESSAGES"))
		printf("%s", msgs);
	else
		assert_string_equal(msgs, msg);
	assert_int_equal(rc, -1);
}

/* A monochrome source in two colours is the wrong file. */
static void lint_monochrome(void **state)
{
	struct image img;
	struct strbuf sb = STRBUF_INIT;
	int rc;

	(void)state;
	image_fill(&img, 1024, 1024, (struct rgb){ 255, 255, 255 }, 0);
	for (int y = 300; y < 700; y++)
		for (int x = 300; x < 700; x++) {
			unsigned char *p = img.px + ((size_t)y * 1024 + x) * 4;

			p[0] = x < 500 ? 255 : 0;
			p[3] = 255;
		}
	png_encode(&img, false, &sb);
	put_bytes("assets/mono.png", sb.buf, sb.len);
	strbuf_release(&sb);
	image_release(&img);
	put("presetgen.yaml", "icon:\n  source: assets/icon.png\n  foreground: assets/fg.png\n"
	    "  monochrome: assets/mono.png\nmobile: {}\n");
	assert_string_equal(run(BUMP_NONE, NULL, &rc),
			    "assets/mono.png: error: a monochrome icon is one colour on transparency: "
			    "pixel (300, 300) is #ffffff but pixel (500, 300) is #00ffff\n");
	assert_int_equal(rc, -1);
	put("presetgen.yaml", yaml);
}

/* What the icons look like: edges keep the logo's colour (no dark fringe
 * from transparent pixels), the logo sits centred inside the safe zone,
 * and the App Store icon has no alpha channel. */
static void icons_look_right(void **state)
{
	static const char *const files[] = {
		"release/icon-foreground.png",
		"release/android/app/src/main/res/mipmap-mdpi/ic_launcher_foreground.webp",
		"release/android/app/src/main/res/mipmap-xxxhdpi/ic_launcher_foreground.webp",
		"release/android/app/src/main/res/mipmap-hdpi/ic_launcher_monochrome.webp",
	};
	struct mobile_inputs in = { .root = dir, .environ = env_ok, .native = true };
	struct mobile_result res;
	struct diag d;
	struct image img;
	char *buf;
	size_t len;

	(void)state;
	put("presetgen.yaml", yaml);
	put("app.json", app);
	unlink(at("eas/ledger.json"));
	png("assets/fg.png", 1024, 1024, (struct rgb){ 255, 255, 255 }, 250);
	diag_init(&d);
	assert_int_equal(mobile_run(&in, &d, &res), 0);
	mobile_result_release(&res);
	for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
		double sx = 0, sy = 0, sa = 0;
		size_t edges = 0;

		assert_int_equal(png_load_at(&d, AT_FDCWD, at(files[f]), &img), 0);
		for (int y = 0; y < img.h; y++)
			for (int x = 0; x < img.w; x++) {
				const unsigned char *p = img.px + ((size_t)y * img.w + x) * 4;

				if (p[3] > 0 && p[3] < 255) {
					edges++;
					for (int c = 0; c < 3; c++)
						assert_in_range(p[c], 253, 255);
				}
				sx += p[3] * (x + 0.5);
				sy += p[3] * (y + 0.5);
				sa += p[3];
			}
		assert_true(edges > 0);
		/* centred to a tenth of a pixel, inside the safe zone */
		assert_true(fabs(sx / sa - img.w / 2.0) < 0.1 && fabs(sy / sa - img.h / 2.0) < 0.1);
		assert_true(image_reach(&img) <= safe_zone_radius(img.w));
		image_release(&img);
	}
	assert_int_equal(read_file(at("release/ios/Preset/Images.xcassets/AppIcon.appiconset/"
				      "App-Icon-1024x1024@1x.png"), &buf, &len), 0);
	assert_int_equal(buf[25], 2);	/* IHDR colour type: RGB */
	free(buf);
	assert_int_equal(read_file(at("release/icon.png"), &buf, &len), 0);
	assert_int_equal(buf[25], 2);
	free(buf);
	diag_release(&d);
}

static void bumps(void **state)
{
	(void)state;
	put("presetgen.yaml", yaml);
	put("app.json", app);
	unlink(at("eas/ledger.json"));
	/* build: versionCode and buildNumber, nothing else */
	bump_ok(BUMP_BUILD);
	expect_numbers("1.4.0", "13", "4");
	bump_ok(BUMP_BUILD);
	expect_numbers("1.4.0", "14", "5");
	file_is("eas/ledger.json", "{\n  \"version\": \"1.4.0\",\n  \"versionCode\": 14,\n"
			    "  \"buildNumbers\": {\n    \"1.4.0\": 5\n  }\n}\n");
	/* a new version: buildNumber goes on rising (build_number: continue) */
	bump_ok(BUMP_PATCH);
	expect_numbers("1.4.1", "15", "6");
	/* or starts again (build_number: restart) */
	put("presetgen.yaml", "icon:\n  source: assets/icon.png\n  foreground: assets/fg.png\n"
	    "mobile: {build_number: restart}\n");
	bump_ok(BUMP_MINOR);
	expect_numbers("1.5.0", "16", "1");
	bump_ok(BUMP_MAJOR);
	expect_numbers("2.0.0", "17", "1");
	bump_ok(BUMP_BUILD);
	expect_numbers("2.0.0", "18", "2");
	/* a build that failed after upload, reverted by hand: its numbers are
	 * never issued again */
	app_numbers("2.0.0", "17", "1");
	bump_fails(BUMP_BUILD,
		   "app.json:7:60: error: expo.android.versionCode: 17 is below 18, the highest versionCode issued (eas/ledger.json): Google Play refuses a versionCode it has seen; presetgen mobile --bump build issues the next one\n"
		   "app.json:6:65: error: expo.ios.buildNumber: \"1\" is below \"2\", the highest buildNumber issued for 2.0.0 (eas/ledger.json): App Store Connect refuses a build number it has seen\n");
	app_numbers("2.0.0", "18", "2");
	bump_ok(BUMP_BUILD);
	expect_numbers("2.0.0", "19", "3");
	/* downgrades */
	app_numbers("1.9.9", "19", "3");
	bump_fails(BUMP_NONE,
		   "app.json:5:16: error: expo.version: 1.9.9 is below 2.0.0, the highest version issued (eas/ledger.json): versions only go up\n");
	/* a hand edit above the ledger is issued by the next run */
	app_numbers("2.0.0", "40", "3");
	bump_ok(BUMP_NONE);
	assert_true(holds("eas/ledger.json", "\"versionCode\": 40"));
	put("presetgen.yaml", yaml);
}

static void check_compares(void **state)
{
	struct mobile_inputs in = { .root = dir, .environ = env_ok, .check = true };
	struct mobile_result res;
	struct diag d;
	struct strbuf msgs = STRBUF_INIT;
	char *text;

	(void)state;
	put("app.json", app);
	unlink(at("eas/ledger.json"));
	remove_tree(at("release"));
	bump_ok(BUMP_NONE);
	diag_init(&d);
	d.capture = &msgs;
	assert_int_equal(mobile_run(&in, &d, &res), 0);
	assert_int_equal(res.differ, 0);
	mobile_result_release(&res);
	/* a hand edit of the release */
	text = get("release/app.json");
	put("release/app.json", text + 1);	/* no opening brace */
	free(text);
	png("release/favicon.png", 48, 48, (struct rgb){ 1, 2, 3 }, 0);
	put("release/notes.txt", "x");
	assert_int_equal(mobile_run(&in, &d, &res), 0);
	assert_int_equal(res.differ, 3);
	if (getenv("PRINT_MESSAGES"))
		printf("%s", res.diff.buf);
	else
		assert_string_equal(res.diff.buf,
				    "--- release/app.json (in the folder)\n"
				    "+++ release/app.json (as presetgen mobile makes it)\n"
				    "@@ line 1 @@\n"
				    "-\n"
				    "+{\n"
				    "   \"expo\": {\n"
				    "     \"name\": \"Preset\",\n"
				    "release/favicon.png: differs: 2304 pixels, by up to 133 at (0, 0)\n"
				    "release/notes.txt: not made by presetgen mobile (with these options: --native?)\n");
	mobile_result_release(&res);
	diag_release(&d);
	strbuf_release(&msgs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(makes_the_release),
		cmocka_unit_test(lint_app_json),
		cmocka_unit_test(lint_eas_json),
		cmocka_unit_test(lint_config),
		cmocka_unit_test(lint_environment),
		cmocka_unit_test(lint_images),
		cmocka_unit_test(lint_monochrome),
		cmocka_unit_test(icons_look_right),
		cmocka_unit_test(bumps),
		cmocka_unit_test(check_compares),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
