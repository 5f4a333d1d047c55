/* base: what every part of presetgen stands on. Checked allocation, growable
 * strings, arenas, a string map, diagnostics, files (read relative to a
 * directory, written atomically, staged), UTF-8 text and slugs, line maps
 * for positions, and time zones.
 *
 * Nothing here keeps process-wide state that two builds in one process
 * could trip over: a diag, an arena, a map belong to whoever made them. The
 * only way out of the process is oom(), on a failed allocation. */
#ifndef PRESETGEN_BASE_H
#define PRESETGEN_BASE_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- allocation and sizes ------------------------------------------------ */

/* The exit codes of every command (SPEC: nothing else). */
enum exit_code {
	EXIT_OK = 0,
	EXIT_INPUT = 1,		/* the input is wrong; a message says where */
	EXIT_USAGE = 2,		/* the command line is wrong */
	EXIT_SYSTEM = 3,	/* I/O or system failure */
};

/* Out of memory (or a size that overflowed while asking for memory): prints
 * "presetgen: fatal: ..." and exits with EXIT_SYSTEM, as git's xmalloc does.
 * The one place the core leaves the process. */
_Noreturn void oom(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A broken invariant: a bug in presetgen, not in the input. Aborts. */
#define BUG(msg) bug_at(__FILE__, __LINE__, (msg))
_Noreturn void bug_at(const char *file, int line, const char *msg);

/* These never return NULL: out of memory is fatal. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

static inline size_t st_add(size_t a, size_t b)
{
	if (a > SIZE_MAX - b)
		oom("size_t overflow: %zu + %zu", a, b);
	return a + b;
}

static inline size_t st_mult(size_t a, size_t b)
{
	if (b && a > SIZE_MAX / b)
		oom("size_t overflow: %zu * %zu", a, b);
	return a * b;
}

/* Grows array x (of nr used, alloc allocated) to hold at least n items. */
#define ALLOC_GROW(x, n, alloc) do { \
	if ((n) > (alloc)) { \
		size_t ag_new_ = (alloc) + (alloc) / 2 + 8; \
		if (ag_new_ < (n)) \
			ag_new_ = (n); \
		(x) = xrealloc((x), st_mult(ag_new_, sizeof(*(x)))); \
		(alloc) = ag_new_; \
	} \
} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Seconds on a monotonic clock, for timings. */
double clock_seconds(void);

/* ---- strbuf: a growable byte string, never NULL, always NUL-terminated ---- */

struct strbuf {
	char *buf;	/* never NULL; buf[len] == '\0' */
	size_t len;
	size_t alloc;	/* 0 while buf points at the shared empty string */
};

#define STRBUF_INIT { strbuf_empty, 0, 0 }
extern char strbuf_empty[1];	/* read-only in practice: nothing writes to it */

void strbuf_init(struct strbuf *sb);
/* Frees the contents and leaves sb initialised and empty. */
void strbuf_release(struct strbuf *sb);
/* Hands the memory to the caller, who must free() it; sb is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* The shared empty string is never written to, not even its '\0': two
 * threads may hold empty strbufs at once. */
static inline void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

/* Cuts sb back to its first len bytes (len <= sb->len). */
static inline void strbuf_setlen(struct strbuf *sb, size_t len)
{
	sb->len = len;
	if (sb->alloc)
		sb->buf[len] = '\0';
}

/* ---- arena: a memory pool for many small objects, freed at once ----------- */

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;	/* bytes used in head */
	size_t cap;	/* bytes available in head */
	size_t total;	/* bytes allocated from the system, for reports */
};

#define ARENA_INIT { NULL, 0, 0, 0 }

/* Memory from these lives until arena_release(); never free() it. An arena
 * belongs to one thread at a time. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* x followed by y, in the arena: the common case of arena_printf, without
 * the cost of formatting. */
char *arena_cat(struct arena *a, const char *x, const char *y);
/* Forgets everything allocated from a but keeps its first block of memory
 * for what comes next: for an arena used once per page. */
void arena_reset(struct arena *a);
/* Frees everything allocated from a and leaves it empty and usable. */
void arena_release(struct arena *a);

/* ---- strmap: strings to numbers (open addressing, FNV-1a) ----------------- */

/* Keys are not copied: they must outlive the map. */
struct strmap;

/* A map sized for about n keys; it grows past that. */
struct strmap *strmap_new(size_t n);
void strmap_free(struct strmap *m);
/* Adds key with *val; returns false if key is there already (*val then
 * holds the first one's). */
bool strmap_put(struct strmap *m, const char *key, size_t *val);
/* Whether key is there; *val is its number. m and key may be NULL. */
bool strmap_get(const struct strmap *m, const char *key, size_t *val);
size_t strmap_count(const struct strmap *m);

/* FNV-1a over n bytes, continuing from h (FNV_START to begin): a
 * fingerprint for telling changed data from unchanged, not security. */
#define FNV_START 14695981039346656037ULL
uint64_t fnv1a(const void *p, size_t n, uint64_t h);

/* ---- diag: "file:line:col: error: ..." diagnostics ----------------------- */

enum diag_kind { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_msg {
	enum diag_kind kind;
	const char *file;	/* NULL: about no file ("presetgen: error: ...") */
	unsigned line, col;	/* 0: not known, left out of the message */
	const char *text;	/* what is wrong and what was expected */
};

typedef void (*diag_fn)(void *ud, const struct diag_msg *m);

/* After this many errors about one file, the rest are counted, not shown. */
#define DIAG_MAX_PER_FILE 100

struct diag_file;

/* One per build: messages are counted (so that a command can report every
 * error before it fails), go to stderr, to capture or to fn, one whole
 * message at a time. Safe to use from many threads; its lock is its own,
 * and fn is called holding it (so fn must not report through the same
 * diag). */
struct diag {
	pthread_mutex_t lock;
	int errors;
	int warnings;
	int exit_code;		/* EXIT_INPUT unless a system error raised it */
	bool quiet;		/* -q: warnings are not shown */
	struct strbuf *capture;	/* if set, formatted messages go here, */
	diag_fn fn;		/* else, if set, to this callback, */
	void *fn_ud;		/* else to stderr */
	struct diag_file *files;	/* errors per file, for the cap */
	size_t nfiles, afiles;
};

void diag_init(struct diag *d);
void diag_release(struct diag *d);

/* A line or column of 0 is left out of the message. Each returns -1. */
int diag_error(struct diag *d, const char *file, unsigned line, unsigned col,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int diag_verror(struct diag *d, const char *file, unsigned line, unsigned col,
		const char *fmt, va_list ap);
/* An I/O or system failure: the command will exit with EXIT_SYSTEM. */
int diag_syserror(struct diag *d, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *d, const char *file, unsigned line, unsigned col,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Reports a message made elsewhere (a worker's, replayed in order). */
void diag_report(struct diag *d, const struct diag_msg *m, bool system);
/* Whether an error about file would no longer be shown (the cap is
 * reached): callers can skip working out its position. It is still
 * counted when reported. */
bool diag_suppressed(struct diag *d, const char *file);
/* For every file past the cap: "FILE: note: N more errors not shown".
 * Then the counts per file start again. */
void diag_finish(struct diag *d);
/* The exit code a command should return given the errors seen so far. */
int diag_exit_code(const struct diag *d);
/* "file:line:col: kind: text\n", as the default output writes it. */
void diag_format(struct strbuf *out, const struct diag_msg *m);

/* Where something was written: a file and, where known, line and column
 * (0 when not). Configuration keeps these so that an error found at build
 * time (a join naming no table) still points at the key. */
struct srcpos {
	const char *file;
	unsigned line, col;
};

/* diag_error at a position (file NULL: about no file). */
int diag_error_at(struct diag *d, const struct srcpos *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning_at(struct diag *d, const struct srcpos *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- linemap: byte offsets to line and column, in linear time ------------- */

/* Made once per file (lazily, at the first lookup) as jq's locfile is: a
 * lookup is a binary search for the line and a count of characters from
 * the line's start (or from the previous lookup on the same line). One
 * thread at a time. */
struct linemap {
	const char *src;
	size_t len;
	size_t *starts;		/* offset of each line's first byte */
	size_t nlines;
	size_t last_off;	/* the previous lookup, to continue from */
	unsigned last_line, last_col;
};

void linemap_init(struct linemap *lm, const char *src, size_t len);
void linemap_release(struct linemap *lm);
/* The 1-based line and column (in characters) of offset off. */
void linemap_pos(struct linemap *lm, size_t off, unsigned *line, unsigned *col);

/* ---- files ---------------------------------------------------------------- */

/* Paths are relative to dirfd (AT_FDCWD: the current directory), as openat's
 * are; an absolute path ignores it. Each returns 0, or -1 with errno set. */

/* Reads a whole file into *buf (malloc'd, NUL-terminated; caller frees). */
int read_file_at(int dirfd, const char *path, char **buf, size_t *len);
int read_file(const char *path, char **buf, size_t *len);
/* read_file_at, then checks that the bytes are UTF-8. Reports "cannot read"
 * as a system error, or the first byte that is not UTF-8 with its line and
 * column; returns -1 then, with *buf freed. */
int read_text_at(struct diag *d, int dirfd, const char *path, char **buf, size_t *len);
/* Reports the first byte of buf that is not UTF-8 (path:line:col) and
 * returns -1, or returns 0. */
int check_utf8(struct diag *d, const char *path, const char *buf, size_t len);

/* Writes data to path through a temporary file in the same directory, then
 * renames it over path. */
int write_file_atomic(const char *path, const void *data, size_t len);
/* Writes data to a new file at path (no temporary: for staging trees). */
int write_file_at(int dirfd, const char *path, const void *data, size_t len);
int write_file(const char *path, const void *data, size_t len);

/* Creates dir and its missing parents. */
int mkdirs(const char *dir);
/* Removes a tree (files, links and directories, not following links). */
int remove_tree(const char *path);

bool is_dir_at(int dirfd, const char *path);
bool is_dir(const char *path);
bool path_exists_at(int dirfd, const char *path);
bool path_exists(const char *path);
/* Modification time in seconds, or -1. */
int64_t mtime_at(int dirfd, const char *path);

/* Lists the regular files below dir whose names end in suffix (NULL: all),
 * as paths relative to dir, sorted bytewise. Hidden entries are skipped.
 * Returns the count, or -1 with errno set. *out is a malloc'd array of
 * malloc'd strings; free with free_list(). */
long list_files_at(int dirfd, const char *dir, const char *suffix, char ***out);
long list_files(const char *dir, const char *suffix, char ***out);
/* Like list_files, but hidden entries are listed too (static/.well-known). */
long list_files_all_at(int dirfd, const char *dir, char ***out);
long list_files_all(const char *dir, char ***out);
void free_list(char **list, long n);

/* Staging: the output is built in a fresh hidden directory beside it and
 * swapped in by one rename when everything succeeded. */
struct staging {
	char *out;	/* the final directory */
	char *tmp;	/* the directory being filled */
};

/* Creates the staging directory. */
int staging_begin(struct staging *st, const char *out);
/* Replaces out by the staging directory, then removes the old output. */
int staging_commit(struct staging *st);
/* Removes the staging directory; out is left as it was. */
void staging_abort(struct staging *st);

/* ---- text ---------------------------------------------------------------- */

/* Returns the offset of the first byte that is not valid UTF-8, or len. */
size_t utf8_invalid_at(const char *s, size_t len);
/* Appends s with & < > " ' escaped as entities. */
void html_escape(struct strbuf *out, const char *s, size_t len);
bool str_endswith(const char *s, const char *suffix);

/* ---- slugs: path segments made from data ----------------------------------- */

/* ascii: Latin letters as ASCII (Kraków -> krakow), the zola default, the
 * URLs people type; unicode: letters of every script kept (kraków). */
enum slug_mode { SLUG_ASCII, SLUG_UNICODE };

struct slugger;

/* NULL when ICU cannot open its Latin-ASCII transform. */
struct slugger *slugger_new(enum slug_mode mode);
void slugger_free(struct slugger *s);
enum slug_mode slugger_mode(const struct slugger *s);
/* Appends the slug of s (UTF-8): NFC, case-folded, under ascii its Latin
 * letters as ASCII; letters, marks and digits kept, every other run one
 * '-' between them; at most about 200 bytes. Never '.', '..', empty, with
 * '/' or with a '-' at either end. Returns false (appending nothing) when
 * nothing usable is left. Safe from several threads. */
bool slug_append(struct slugger *s, struct strbuf *out, const char *str, size_t len);

/* ---- tz: timestamps and the site's time zone ------------------------------ */

/* Independent of the machine's locale and TZ. Zones follow their current
 * rules (EU summer time for the European zones): enough for dates since
 * 1996, which is all Preset has. */
struct tz;

/* NULL if the zone is not one presetgen knows. */
const struct tz *tz_find(const char *name);
/* A small number for a zone, and back (for values that store one). */
unsigned tz_index(const struct tz *z);
const struct tz *tz_by_index(unsigned i);
/* The names tz_find knows, comma-separated, for messages. */
const char *tz_names(void);

/* Parses PostgreSQL's timestamptz text forms: "2025-10-10T16:54:52.13818+00:00",
 * "2025-10-10 16:54:52.13818+00", "...Z". Sets *us to microseconds since the
 * epoch. Returns false if s is not such a timestamp. */
bool ts_parse(const char *s, size_t len, int64_t *us);
/* "YYYY-MM-DD": sets *days since the epoch. */
bool date_parse(const char *s, size_t len, int64_t *days);

/* The parts of a timestamp in a zone. */
struct tm_local {
	int year, month, day, hour, min, sec, wday;	/* month 1-12, wday 0 = Sunday */
	int offset;					/* seconds east of UTC */
};
void ts_local(int64_t us, const struct tz *z, struct tm_local *out);
/* "2026-03-14T10:00:00+00:00" */
void ts_iso(char *buf, size_t n, const struct tm_local *t);
/* "Sat 14 Mar 2026, 10:00" */
void ts_human(char *buf, size_t n, const struct tm_local *t);
/* "14 Mar 2026" */
void ts_date(char *buf, size_t n, const struct tm_local *t);
/* "Mar 14" */
void ts_short(char *buf, size_t n, const struct tm_local *t);
/* "10:00" */
void ts_clock(char *buf, size_t n, const struct tm_local *t);
/* "2026-03-14T09:00:00Z" (UTC, for feeds) */
void ts_rfc3339_utc(char *buf, size_t n, int64_t us);

extern const char *const tz_month_abbr[12];
extern const char *const tz_day_abbr[7];

#endif
