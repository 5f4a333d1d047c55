/* mobile's parts: the configuration (config.c), app.json (appjson.c),
 * eas.json (easjson.c), the numbers and their ledger (version.c), the
 * icons (iconset.c, preview.c), and writing or checking the release
 * (release.c, diff.c). */
#ifndef PRESETGEN_MOBILE_INTERNAL_H
#define PRESETGEN_MOBILE_INTERNAL_H

#include "mobile.h"
#include "data/data.h"
#include "icons/icons.h"

#include <jansson.h>

enum { PROFILE_DEVELOPMENT, PROFILE_PREVIEW, PROFILE_PRODUCTION, PROFILE_COUNT };
extern const char *const profile_names[PROFILE_COUNT];

struct profile_cfg {
	const char *env;		/* presetgen's environment for its values */
	const char *channel;		/* EAS Update channel */
	const char *environment;	/* EAS environment (default: the profile's name) */
	struct srcpos at;
};

struct mobile_cfg {
	const char *path;		/* presetgen.yaml */
	const char *app;		/* app.json */
	const char *eas;		/* eas/eas.json */
	const char *ledger;		/* eas/ledger.json */
	const char *out;		/* release */
	bool restart_build_number;	/* buildNumber starts at 1 with each version */
	struct rgb splash_background;
	const char *splash_background_text;
	long splash_width;
	const char *runtime_version;	/* EAS Update's; NULL: no EAS Update */
	struct srcpos at_updates;
	struct profile_cfg profiles[PROFILE_COUNT];
	struct icon_config icon;
	struct public_vars pub[3];	/* per environment, in env_names order */
	bool pub_present[3];
	struct srcpos at_mobile;
};

extern const char *const mobile_env_names[3];

/* Reads presetgen.yaml's icon:, mobile: and environments.*.public (the
 * rest is the site's, checked by `presetgen build`). */
int mobile_config_read(int rootfd, struct mobile_cfg *cfg, struct arena *a, struct diag *d);

/* Whether list (NULL-terminated) holds s; whether s matches the extended
 * regular expression re (one of presetgen's own). */
bool list_has(const char *const *list, const char *s);
bool regex_matches(const char *re, const char *s);
/* parent.key, made an empty object when it is not one. */
json_t *object_at(json_t *parent, const char *key);

/* A JSON file as read: its text (for positions), its value. */
struct json_file {
	const char *path;
	char *text;
	size_t len;
	json_t *root;
	struct linemap lines;
};

int json_file_load(int rootfd, const char *path, bool optional, struct json_file *f,
		   struct diag *d);
void json_file_release(struct json_file *f);
/* "path:line:col: error: ..." at the value at keys (n of them; the
 * nearest enclosing value that exists when it does not). Returns -1. */
int json_error(struct diag *d, struct json_file *f, const char *const *keys, size_t n,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* "expo.android.versionCode" */
void json_path_text(struct strbuf *out, const char *const *keys, size_t n);
/* A short description of a value for messages: the string "42", the
 * number 42.5, an object, ... */
void json_describe(struct strbuf *out, const json_t *v);
/* Dumps v as presetgen writes JSON: two spaces, keys in their order, a
 * final newline. */
void json_write(struct strbuf *out, const json_t *v);

/* The numbers a release carries. */
struct numbers {
	int v[3];			/* version MAJOR.MINOR.PATCH */
	long version_code;
	long build_number;
};

struct ledger {
	bool present;
	int v[3];			/* the highest version issued */
	long version_code;		/* the highest versionCode issued */
	json_t *build_numbers;		/* {"1.4.0": 3}: the highest per version */
};

/* Checks app.json's numbers (form, and against the ledger), applies a
 * bump, and says whether the ledger must record new numbers. */
int numbers_read(struct json_file *app, struct numbers *n, struct diag *d);
int ledger_read(struct json_file *f, struct ledger *l, struct diag *d);
int numbers_check(struct json_file *app, const struct numbers *n, const struct ledger *l,
		  const char *ledger_path, struct diag *d);
void numbers_bump(struct numbers *n, const struct ledger *l, enum mobile_bump b,
		  bool restart_build_number);
/* The ledger after n was issued; NULL when it already records n. */
json_t *ledger_after(const struct ledger *l, const struct numbers *n);
/* app.json's text with its three numbers replaced, nothing else touched. */
int app_with_numbers(struct json_file *app, const struct numbers *n, struct strbuf *out,
		     struct diag *d);

/* app.json's checks (keys SDK 56 accepts, ids, colours, what presetgen
 * owns), then the release's app.json. */
int appjson_check(struct json_file *app, bool updates_owned, struct diag *d);

/* The images a release's app.json names, relative to the release folder. */
struct release_images {
	const char *icon, *foreground, *background, *monochrome, *splash, *favicon;
};

json_t *appjson_make(struct json_file *app, const struct mobile_cfg *cfg,
		     const struct release_images *img, const char *const *pub_names,
		     const char *const *pub_values, size_t npub, struct diag *d);

/* eas.json from eas/eas.json's profiles and presetgen.yaml's. */
json_t *easjson_make(struct json_file *base, const struct mobile_cfg *cfg, struct diag *d);

/* One file of the release. */
struct rfile {
	char *path;			/* relative to the release folder */
	char *data;
	size_t len;
	bool is_png;
};

struct rfiles {
	struct rfile *f;
	size_t n, alloc;
};

void rfiles_add(struct rfiles *fs, const char *path, char *data, size_t len, bool is_png);
void rfiles_release(struct rfiles *fs);

/* Every icon of the release (and, with native, Android's and iOS's
 * sets), in threads. */
int iconset_make(const struct mobile_cfg *cfg, const struct icon_sources *src,
		 const struct release_images *img, const char *ios_name, bool native, int jobs,
		 struct rfiles *out);
/* icons-preview.png: the icon under launchers' masks, light and dark. */
void preview_make(const struct mobile_cfg *cfg, const struct icon_sources *src,
		  struct strbuf *out);

/* --check: every difference between fs and the folder dir, readable. */
size_t release_compare(int rootfd, const char *dir, const struct rfiles *fs,
		       struct strbuf *diff);

#endif
