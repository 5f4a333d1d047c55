/* The numbers a release carries: version (MAJOR.MINOR.PATCH), iOS's
 * buildNumber (a string of digits) and Android's versionCode (an integer).
 * The stores refuse a number they have seen, even from a build that failed
 * after upload, so the committed ledger (eas/ledger.json) records the
 * highest ever issued: numbers only go up, and a hand edit below the
 * ledger is an error. --bump writes the ledger first, then app.json, so a
 * crash between the two can only skip a number, never issue one twice. */
#include "internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Google Play's and EAS's limit */
#define VERSION_CODE_MAX 2100000000L

static const char *const p_version[] = { "expo", "version" };
static const char *const p_code[] = { "expo", "android", "versionCode" };
static const char *const p_build[] = { "expo", "ios", "buildNumber" };

static bool parse_version(const char *s, int v[3])
{
	for (int i = 0; i < 3; i++) {
		char *end;
		long x;

		if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
			return false;
		errno = 0;
		x = strtol(s, &end, 10);
		if (errno || x > 999999)
			return false;
		v[i] = (int)x;
		if (i < 2 && *end != '.')
			return false;
		s = end + (i < 2);
		if (i == 2 && *end)
			return false;
	}
	return true;
}

static bool parse_whole(const char *s, long max, long *out)
{
	char *end;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1]))
		return false;
	errno = 0;
	*out = strtol(s, &end, 10);
	return !errno && !*end && *out <= max;
}

static int cmp_version(const int a[3], const int b[3])
{
	for (int i = 0; i < 3; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static void version_text(struct strbuf *sb, const int v[3])
{
	strbuf_addf(sb, "%d.%d.%d", v[0], v[1], v[2]);
}

int numbers_read(struct json_file *app, struct numbers *n, struct diag *d)
{
	const json_t *expo = json_object_get(app->root, "expo");
	const json_t *ver = json_object_get(expo, "version");
	const json_t *code = json_object_get(json_object_get(expo, "android"), "versionCode");
	const json_t *build = json_object_get(json_object_get(expo, "ios"), "buildNumber");
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	memset(n, 0, sizeof(*n));
	if (!json_is_string(ver) || !parse_version(json_string_value(ver), n->v)) {
		if (ver)
			json_describe(&sb, ver);
		rc = json_error(d, app, p_version, 2, "expected a version MAJOR.MINOR.PATCH in a "
				"string, such as \"1.4.0\", found %s", ver ? sb.buf : "nothing");
		strbuf_reset(&sb);
	}
	if (!json_is_integer(code) || json_integer_value(code) < 1 ||
	    json_integer_value(code) > VERSION_CODE_MAX) {
		if (code)
			json_describe(&sb, code);
		rc = json_error(d, app, p_code, 3, "expected a whole number from 1 to 2100000000 "
				"(not a string), found %s", code ? sb.buf : "nothing");
		strbuf_reset(&sb);
	} else {
		n->version_code = (long)json_integer_value(code);
	}
	if (!json_is_string(build) ||
	    !parse_whole(json_string_value(build), VERSION_CODE_MAX, &n->build_number) ||
	    !n->build_number) {
		if (build)
			json_describe(&sb, build);
		rc = json_error(d, app, p_build, 3, "expected a whole number from 1 in a string, "
				"such as \"7\" (app.json's buildNumber is a string), found %s",
				build ? sb.buf : "nothing");
	}
	strbuf_release(&sb);
	return rc;
}

int ledger_read(struct json_file *f, struct ledger *l, struct diag *d)
{
	const json_t *ver, *code, *builds;
	const char *key;
	json_t *v;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	if (!f->root)
		return 0;
	l->present = true;
	ver = json_object_get(f->root, "version");
	code = json_object_get(f->root, "versionCode");
	builds = json_object_get(f->root, "buildNumbers");
	if (!json_is_string(ver) || !parse_version(json_string_value(ver), l->v))
		rc = diag_error(d, f->path, 0, 0, "version: expected MAJOR.MINOR.PATCH, the "
				"highest version issued");
	if (!json_is_integer(code) || json_integer_value(code) < 0)
		rc = diag_error(d, f->path, 0, 0, "versionCode: expected the highest versionCode "
				"issued, a whole number");
	else
		l->version_code = (long)json_integer_value(code);
	if (!json_is_object(builds))
		return diag_error(d, f->path, 0, 0, "buildNumbers: expected {\"1.4.0\": 3, ...}, "
				  "the highest buildNumber issued for each version");
	json_object_foreach((json_t *)builds, key, v) {
		int tmp[3];

		if (!parse_version(key, tmp) || !json_is_integer(v) || json_integer_value(v) < 1)
			rc = diag_error(d, f->path, 0, 0, "buildNumbers.%s: expected a version and "
					"a whole number", key);
	}
	l->build_numbers = json_deep_copy(builds);
	return rc;
}

static long issued_build(const struct ledger *l, const int v[3])
{
	struct strbuf sb = STRBUF_INIT;
	const json_t *b;

	if (!l->present)
		return 0;
	version_text(&sb, v);
	b = json_object_get(l->build_numbers, sb.buf);
	strbuf_release(&sb);
	return b ? (long)json_integer_value(b) : 0;
}

static long issued_build_max(const struct ledger *l)
{
	const char *key;
	json_t *v;
	long m = 0;

	json_object_foreach(l->build_numbers, key, v)
		if (json_integer_value(v) > m)
			m = (long)json_integer_value(v);
	return m;
}

int numbers_check(struct json_file *app, const struct numbers *n, const struct ledger *l,
		  const char *ledger_path, struct diag *d)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	long built = issued_build(l, n->v);
	int rc = 0;

	if (!l->present)
		return 0;
	if (cmp_version(n->v, l->v) < 0) {
		version_text(&a, n->v);
		version_text(&b, l->v);
		rc = json_error(d, app, p_version, 2, "%s is below %s, the highest version "
				"issued (%s): versions only go up", a.buf, b.buf, ledger_path);
	}
	if (n->version_code < l->version_code)
		rc = json_error(d, app, p_code, 3, "%ld is below %ld, the highest versionCode "
				"issued (%s): Google Play refuses a versionCode it has seen; "
				"presetgen mobile --bump build issues the next one",
				n->version_code, l->version_code, ledger_path);
	if (n->build_number < built) {
		strbuf_reset(&a);
		version_text(&a, n->v);
		rc = json_error(d, app, p_build, 3, "\"%ld\" is below \"%ld\", the highest "
				"buildNumber issued for %s (%s): App Store Connect refuses a "
				"build number it has seen", n->build_number, built, a.buf,
				ledger_path);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	return rc;
}

void numbers_bump(struct numbers *n, const struct ledger *l, enum mobile_bump bump,
		  bool restart)
{
	long code = n->version_code > l->version_code ? n->version_code : l->version_code;
	long build = n->build_number, top = issued_build_max(l);

	if (bump == BUMP_NONE)
		return;
	n->version_code = code + 1;
	if (bump == BUMP_MAJOR) {
		n->v[0]++;
		n->v[1] = n->v[2] = 0;
	} else if (bump == BUMP_MINOR) {
		n->v[1]++;
		n->v[2] = 0;
	} else if (bump == BUMP_PATCH) {
		n->v[2]++;
	}
	if (bump != BUMP_BUILD && restart) {
		/* a new version starts again, past any number it was given before */
		n->build_number = issued_build(l, n->v) + 1;
		return;
	}
	if (!restart && top > build)
		build = top;
	if (issued_build(l, n->v) > build)
		build = issued_build(l, n->v);
	n->build_number = build + 1;
}

json_t *ledger_after(const struct ledger *l, const struct numbers *n)
{
	json_t *j;
	struct strbuf sb = STRBUF_INIT;
	bool newer_version = !l->present || cmp_version(n->v, l->v) > 0;

	if (l->present && !newer_version && n->version_code <= l->version_code &&
	    n->build_number <= issued_build(l, n->v))
		return NULL;
	j = json_object();
	version_text(&sb, newer_version ? n->v : l->v);
	json_object_set_new(j, "version", json_string(sb.buf));
	json_object_set_new(j, "versionCode",
			    json_integer(l->present && l->version_code > n->version_code ?
					 l->version_code : n->version_code));
	json_object_set_new(j, "buildNumbers",
			    l->present ? json_deep_copy(l->build_numbers) : json_object());
	strbuf_reset(&sb);
	version_text(&sb, n->v);
	if (n->build_number > issued_build(l, n->v))
		json_object_set_new(json_object_get(j, "buildNumbers"), sb.buf,
				    json_integer(n->build_number));
	strbuf_release(&sb);
	return j;
}

/* Replaces the value at path in text by repl, keeping everything else. */
static int replace_at(struct json_file *app, struct strbuf *text, const char *const *path,
		      size_t n, const char *repl, struct diag *d)
{
	size_t start, end;
	struct strbuf out = STRBUF_INIT;

	if (json_locate(text->buf, text->len, path, n, &start, &end) < 0)
		return json_error(d, app, path, n, "cannot find this value in the text");
	strbuf_add(&out, text->buf, start);
	strbuf_adds(&out, repl);
	strbuf_add(&out, text->buf + end, text->len - end);
	strbuf_release(text);
	*text = out;
	return 0;
}

int app_with_numbers(struct json_file *app, const struct numbers *n, struct strbuf *out,
		     struct diag *d)
{
	struct strbuf v = STRBUF_INIT;
	int rc = 0;

	strbuf_add(out, app->text, app->len);
	strbuf_addch(&v, '"');
	version_text(&v, n->v);
	strbuf_addch(&v, '"');
	rc |= replace_at(app, out, p_version, 2, v.buf, d);
	strbuf_reset(&v);
	strbuf_addf(&v, "%ld", n->version_code);
	rc |= replace_at(app, out, p_code, 3, v.buf, d);
	strbuf_reset(&v);
	strbuf_addf(&v, "\"%ld\"", n->build_number);
	rc |= replace_at(app, out, p_build, 3, v.buf, d);
	strbuf_release(&v);
	return rc;
}
