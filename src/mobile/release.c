/* presetgen mobile: read, check, bump, make every file in memory, then
 * write the release folder in one swap, or compare it (--check). Nothing
 * is written unless everything checked out. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

struct run {
	const struct mobile_inputs *in;
	struct diag *d;
	struct mobile_result *res;
	int rootfd;
	struct arena a;
	struct mobile_cfg cfg;
	int profile, env;
	struct json_file app, eas, ledger_file;
	struct ledger ledger;
	struct numbers num;
	const char **pub_values;
	struct secrets secrets;
	struct icon_sources src;
	struct release_images img;
	struct rfiles files;
	char ios_name[64];
};

static int pick_profile(struct run *r)
{
	const char *want = r->in->profile ? r->in->profile : "production";
	const char *env;

	r->profile = -1;
	for (int i = 0; i < PROFILE_COUNT; i++)
		if (!strcmp(want, profile_names[i]))
			r->profile = i;
	if (r->profile < 0)
		return diag_error(r->d, NULL, 0, 0, "unknown profile '%s': expected development, "
				  "preview or production", want);
	env = r->in->env ? r->in->env : r->cfg.profiles[r->profile].env;
	r->env = -1;
	for (int i = 0; i < 3; i++)
		if (!strcmp(env, mobile_env_names[i]))
			r->env = i;
	if (r->env < 0)
		return diag_error(r->d, NULL, 0, 0, "unknown environment '%s': expected "
				  "development, staging or production", env);
	r->res->env = mobile_env_names[r->env];
	return 0;
}

/* The public values of the release's environment: every one must be
 * there, since an app cannot be given a value after it ships. */
static int public_values(struct run *r)
{
	const struct public_vars *p = &r->cfg.pub[r->env];
	int rc;

	if (!r->cfg.pub_present[r->env])
		return 0;
	rc = public_resolve(p, r->in->environ, r->d, &r->a, &r->pub_values);
	for (size_t i = 0; !rc && i < p->n; i++)
		if (!r->pub_values[i])
			rc = diag_error_at(r->d, &p->at[i], "%s is not set and %s.%s has no "
					   "default: a release needs every public value", p->vars[i],
					   p->what, p->names[i]);
	return rc;
}

static int read_numbers(struct run *r)
{
	if (numbers_read(&r->app, &r->num, r->d) < 0)
		return -1;
	if (json_file_load(r->rootfd, r->cfg.ledger, true, &r->ledger_file, r->d) < 0 ||
	    ledger_read(&r->ledger_file, &r->ledger, r->d) < 0)
		return -1;
	return numbers_check(&r->app, &r->num, &r->ledger, r->cfg.ledger, r->d);
}

/* --bump: the ledger first, then app.json, each replaced atomically. */
static int bump(struct run *r)
{
	struct strbuf text = STRBUF_INIT, led = STRBUF_INIT, path = STRBUF_INIT;
	json_t *after;
	int rc = 0;

	numbers_bump(&r->num, &r->ledger, r->in->bump, r->cfg.restart_build_number);
	if (app_with_numbers(&r->app, &r->num, &text, r->d) < 0) {
		strbuf_release(&text);
		return -1;
	}
	after = ledger_after(&r->ledger, &r->num);
	if (after)
		json_write(&led, after);
	json_decref(after);
	if (led.len) {
		strbuf_addf(&path, "%s/%s", r->in->root ? r->in->root : ".", r->cfg.ledger);
		if (write_file_atomic(path.buf, led.buf, led.len) < 0)
			rc = diag_syserror(r->d, r->cfg.ledger, "cannot write: %s", strerror(errno));
	}
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/%s", r->in->root ? r->in->root : ".", r->cfg.app);
	if (!rc && write_file_atomic(path.buf, text.buf, text.len) < 0)
		rc = diag_syserror(r->d, r->cfg.app, "cannot write: %s", strerror(errno));
	if (!rc) {
		/* go on from what is now committed */
		free(r->app.text);
		r->app.text = strbuf_detach(&text, &r->app.len);
		json_decref(r->app.root);
		r->app.root = json_loadb(r->app.text, r->app.len, 0, NULL);
		linemap_release(&r->app.lines);
		linemap_init(&r->app.lines, r->app.text, r->app.len);
		r->res->bumped = true;
	}
	strbuf_release(&text);
	strbuf_release(&led);
	strbuf_release(&path);
	return rc;
}

static void names(struct run *r)
{
	const struct icon_config *ic = &r->cfg.icon;
	const char *name = json_string_value(json_object_get(json_object_get(r->app.root, "expo"),
							     "name"));
	size_t k = 0;

	r->img.icon = "icon.png";
	r->img.foreground = "icon-foreground.png";
	r->img.background = ic->background_image ? "icon-background.png" : NULL;
	r->img.monochrome = !ic->monochrome ? NULL :
			    !strcmp(ic->monochrome, ic->foreground) ? r->img.foreground :
								       "icon-monochrome.png";
	r->img.splash = r->img.foreground;
	r->img.favicon = "favicon.png";
	/* Expo's prebuild names the iOS project after the app, letters and
	 * digits only */
	for (const char *p = name ? name : ""; *p && k < sizeof(r->ios_name) - 1; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
			r->ios_name[k++] = *p;
	if (!k)
		strcpy(r->ios_name, "app");
}

static void add_json(struct run *r, const char *path, const json_t *v)
{
	struct strbuf sb = STRBUF_INIT;

	json_write(&sb, v);
	rfiles_add(&r->files, path, strbuf_detach(&sb, NULL), sb.len, false);
}

/* A PNG's width and height from its IHDR; false if it is not one. */
static bool png_size(const struct rfile *f, unsigned *w, unsigned *h)
{
	const unsigned char *p = (const unsigned char *)f->data;

	if (f->len < 24 || memcmp(p + 12, "IHDR", 4))
		return false;
	*w = (unsigned)p[16] << 24 | (unsigned)p[17] << 16 | (unsigned)p[18] << 8 | p[19];
	*h = (unsigned)p[20] << 24 | (unsigned)p[21] << 16 | (unsigned)p[22] << 8 | p[23];
	return true;
}

/* Every image app.json names is in the release, a square PNG of at least
 * the size Expo needs for it (expo.md: icon 1024, adaptive layers 432 at
 * xxxhdpi, favicon 48, splash 4x its width). */
static int check_image(struct run *r, const char *out, const char *key, const json_t *v,
		       unsigned min)
{
	const char *name = json_string_value(v);
	unsigned w = 0, h = 0;

	if (!name)
		return 0;
	for (size_t i = 0; i < r->files.n; i++)
		if (!strcmp(r->files.f[i].path, name + (strncmp(name, "./", 2) ? 0 : 2))) {
			if (!png_size(&r->files.f[i], &w, &h) || w != h || w < min)
				break;
			return 0;
		}
	return diag_error(r->d, arena_printf(&r->a, "%s/app.json", out), 0, 0, "%s: '%s' is not "
			  "a square PNG of at least %u px in the release (%ux%u)", key, name, min, w,
			  h);
}

static int check_images(struct run *r, const char *out, const json_t *app)
{
	const json_t *expo = json_object_get(app, "expo");
	const json_t *ai = json_object_get(json_object_get(expo, "android"), "adaptiveIcon");
	const json_t *plugins = json_object_get(expo, "plugins");
	int rc = 0;

	rc |= check_image(r, out, "expo.icon", json_object_get(expo, "icon"), 1024);
	rc |= check_image(r, out, "expo.android.adaptiveIcon.foregroundImage",
			  json_object_get(ai, "foregroundImage"), 432);
	rc |= check_image(r, out, "expo.android.adaptiveIcon.backgroundImage",
			  json_object_get(ai, "backgroundImage"), 432);
	rc |= check_image(r, out, "expo.android.adaptiveIcon.monochromeImage",
			  json_object_get(ai, "monochromeImage"), 432);
	rc |= check_image(r, out, "expo.web.favicon",
			  json_object_get(json_object_get(expo, "web"), "favicon"), 48);
	for (size_t i = 0; i < json_array_size(plugins); i++) {
		const json_t *opts = json_array_get(json_array_get(plugins, i), 1);

		if (json_is_object(opts) && json_object_get(opts, "image"))
			rc |= check_image(r, out, "expo-splash-screen's image",
					  json_object_get(opts, "image"),
					  4 * (unsigned)json_integer_value(json_object_get(opts,
											"imageWidth")));
	}
	return rc;
}

static int make_files(struct run *r, const char *out)
{
	const struct public_vars *p = &r->cfg.pub[r->env];
	json_t *app, *eas;
	struct strbuf sheet = STRBUF_INIT;
	double t;
	int rc = 0;

	app = appjson_make(&r->app, &r->cfg, &r->img, p->names, r->pub_values,
			   r->cfg.pub_present[r->env] ? p->n : 0, r->d);
	eas = easjson_make(&r->eas, &r->cfg, r->d);
	if (!app || !eas) {
		json_decref(app);
		json_decref(eas);
		return -1;
	}
	add_json(r, "app.json", app);
	add_json(r, "eas.json", eas);
	json_decref(eas);
	t = clock_seconds();
	iconset_make(&r->cfg, &r->src, &r->img, r->ios_name, r->in->native, r->in->jobs, &r->files);
	r->res->t_icons = clock_seconds() - t;
	rc = check_images(r, out, app);
	json_decref(app);
	preview_make(&r->cfg, &r->src, &sheet);
	rfiles_add(&r->files, "icons-preview.png", strbuf_detach(&sheet, NULL), sheet.len, true);
	for (size_t i = 0; i < r->files.n; i++) {
		const char *leak = r->files.f[i].is_png ? NULL :
				   secrets_leak(&r->secrets, r->files.f[i].data, r->files.f[i].len);

		if (leak)
			rc = diag_error(r->d, arena_printf(&r->a, "%s/%s", out, r->files.f[i].path),
					0, 0, "the value of the secret variable %s would be written "
					"here; nothing was written", leak);
		r->res->bytes += r->files.f[i].len;
	}
	r->res->files = r->files.n;
	return rc;
}

/* The release folder must be a folder of its own inside the repository. */
static int check_out(struct run *r, const char *out)
{
	static const char *const inputs[] = { "assets", "content", "templates", "eas", "src",
					      "tests", "static", "dist", ".git", NULL };

	if (!*out || out[0] == '/' || strstr(out, "..") || !strcmp(out, ".") ||
	    !strcmp(out, r->cfg.app))
		return diag_error(r->d, NULL, 0, 0, "the release folder '%s' must be a folder "
				  "of its own inside the repository", out);
	for (size_t i = 0; inputs[i]; i++)
		if (!strncmp(out, inputs[i], strlen(inputs[i])) &&
		    (!out[strlen(inputs[i])] || out[strlen(inputs[i])] == '/'))
			return diag_error(r->d, NULL, 0, 0, "the release folder '%s' would replace "
					  "part of the repository's %s", out, inputs[i]);
	return 0;
}

static int write_release(struct run *r, const char *out)
{
	struct strbuf full = STRBUF_INIT;
	struct staging st;
	json_t *after;
	int rc = 0;

	/* numbers set by hand above the ledger are issued now */
	after = r->res->bumped ? NULL : ledger_after(&r->ledger, &r->num);
	if (after) {
		struct strbuf led = STRBUF_INIT, path = STRBUF_INIT;

		json_write(&led, after);
		strbuf_addf(&path, "%s/%s", r->in->root ? r->in->root : ".", r->cfg.ledger);
		if (write_file_atomic(path.buf, led.buf, led.len) < 0)
			rc = diag_syserror(r->d, r->cfg.ledger, "cannot write: %s", strerror(errno));
		json_decref(after);
		strbuf_release(&led);
		strbuf_release(&path);
		if (rc)
			return rc;
	}
	strbuf_addf(&full, "%s/%s", r->in->root ? r->in->root : ".", out);
	if (staging_begin(&st, full.buf) < 0) {
		rc = diag_syserror(r->d, out, "cannot create a staging folder beside it: %s",
				   strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < r->files.n && !rc; i++) {
		struct strbuf p = STRBUF_INIT;
		char *slash;

		strbuf_addf(&p, "%s/%s", st.tmp, r->files.f[i].path);
		slash = strrchr(p.buf, '/');
		*slash = 0;
		if (mkdirs(p.buf) < 0)
			rc = -1;
		*slash = '/';
		if (!rc && write_file(p.buf, r->files.f[i].data, r->files.f[i].len) < 0)
			rc = -1;
		if (rc)
			diag_syserror(r->d, r->files.f[i].path, "cannot write: %s", strerror(errno));
		strbuf_release(&p);
	}
	if (!rc && staging_commit(&st) < 0)
		rc = diag_syserror(r->d, out, "cannot put the release in place: %s", strerror(errno));
	if (rc)
		staging_abort(&st);
out:
	strbuf_release(&full);
	return rc;
}

static int load(struct run *r)
{
	int rc = 0;

	if (mobile_config_read(r->rootfd, &r->cfg, &r->a, r->d) < 0 || pick_profile(r) < 0)
		return -1;
	if (json_file_load(r->rootfd, r->cfg.app, false, &r->app, r->d) < 0)
		return -1;
	rc |= appjson_check(&r->app, r->cfg.runtime_version != NULL, r->d);
	rc |= read_numbers(r);
	rc |= public_values(r);
	if (json_file_load(r->rootfd, r->cfg.eas, true, &r->eas, r->d) < 0)
		rc = -1;
	if (icon_sources_load(&r->cfg.icon, r->rootfd, r->d, &r->src) < 0)
		rc = -1;
	return rc;
}

int mobile_run(const struct mobile_inputs *in, struct diag *d, struct mobile_result *res)
{
	struct run r = { .in = in, .d = d, .res = res, .a = ARENA_INIT };
	double t0 = clock_seconds();
	const char *out;
	int rc;

	memset(res, 0, sizeof(*res));
	strbuf_init(&res->diff);
	r.rootfd = open(in->root ? in->root : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.rootfd < 0)
		return diag_syserror(d, in->root ? in->root : ".", "cannot open: %s",
				     strerror(errno));
	secrets_find(&r.secrets, in->environ, &r.a);
	rc = load(&r);
	out = in->out ? in->out : r.cfg.out ? r.cfg.out : "release";
	snprintf(res->out, sizeof(res->out), "%s", out);
	if (!rc)
		rc = check_out(&r, out);
	if (!rc && in->bump != BUMP_NONE && !in->check)
		rc = bump(&r);
	if (!rc) {
		names(&r);
		rc = make_files(&r, out);
	}
	if (!rc) {
		snprintf(res->version, sizeof(res->version), "%d.%d.%d", r.num.v[0], r.num.v[1],
			 r.num.v[2]);
		res->version_code = r.num.version_code;
		snprintf(res->build_number, sizeof(res->build_number), "%ld", r.num.build_number);
		if (in->check)
			res->differ = release_compare(r.rootfd, out, &r.files, &res->diff);
		else
			rc = write_release(&r, out);
	}
	res->t_total = clock_seconds() - t0;
	rfiles_release(&r.files);
	icon_sources_release(&r.src);
	json_decref(r.ledger.build_numbers);
	json_file_release(&r.app);
	json_file_release(&r.eas);
	json_file_release(&r.ledger_file);
	arena_release(&r.a);
	close(r.rootfd);
	return rc ? -1 : 0;
}

void mobile_result_release(struct mobile_result *res)
{
	strbuf_release(&res->diff);
}
