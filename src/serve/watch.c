/* Watching the inputs with inotify: presetgen.yaml (the root directory,
 * not recursively), templates/, content/, assets/, static/ and the
 * snapshots' directories, each tree recursively, directories made later
 * included. A save is seen whatever way the editor makes it (written in
 * place, or written to a temporary file renamed over the old: that is a
 * move into the directory, which a watch on the file itself would miss);
 * editors' temporary files are ignored; a burst of events (git checkout)
 * is one change, over once debounce_ms pass without an event. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | \\
	      IN_ATTRIB | IN_DELETE_SELF | IN_ONLYDIR_IGNORE)

struct watch {
	int fd;
	char *root;
	char **snapshots;		/* the files (or directories) of the snapshots */
	size_t nsnapshots;
	struct wdir {
		int wd;
		char *rel;		/* "" for the root, "templates/partials" */
		bool recursive;
	} *dirs;
	size_t n, alloc;
};

bool watch_ignored(const char *name)
{
	static const char *const ends[] = { ".swp", ".swx", ".swo", "~", ".bck", ".tmp", ".kate-swp" };
	size_t n = strlen(name);

	if (!n || !strcmp(name, "4913") || !strncmp(name, ".#", 2) || strstr(name, ".tmp-") ||
	    (name[0] == '#' && name[n - 1] == '#') || !strcmp(name, ".DS_Store"))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(ends); i++)
		if (str_endswith(name, ends[i]))
			return true;
	return false;
}

/* Watches dir (relative to the root) and, when recursive, every
 * directory below it. */
static void add_dir(struct watch *w, const char *rel, bool recursive)
{
	struct strbuf full = STRBUF_INIT;
	struct dirent *de;
	DIR *dir;
	int wd;

	strbuf_addf(&full, "%s%s%s", w->root, *rel ? "/" : "", rel);
	wd = inotify_add_watch(w->fd, full.buf, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
			       IN_DELETE | IN_CREATE | IN_ATTRIB | IN_ONLYDIR);
	if (wd < 0)
		goto out;
	for (size_t i = 0; i < w->n; i++)
		if (w->dirs[i].wd == wd)
			goto out;	/* watched already */
	ALLOC_GROW(w->dirs, w->n + 1, w->alloc);
	w->dirs[w->n++] = (struct wdir){ wd, xstrdup(rel), recursive };
	if (!recursive || !(dir = opendir(full.buf)))
		goto out;
	while ((de = readdir(dir))) {
		struct strbuf sub = STRBUF_INIT;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		strbuf_addf(&sub, "%s/%s", full.buf, de->d_name);
		if (!lstat(sub.buf, &st) && S_ISDIR(st.st_mode)) {
			strbuf_reset(&sub);
			strbuf_addf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
			add_dir(w, sub.buf, true);
		}
		strbuf_release(&sub);
	}
	closedir(dir);
out:
	strbuf_release(&full);
}

struct watch *watch_new(const char *root, const char *const *snapshots, size_t n,
			struct diag *d)
{
	static const char *const trees[] = { "templates", "content", "assets", "static" };
	struct watch *w = xcalloc(1, sizeof(*w));

	w->root = xstrdup(root ? root : ".");
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		diag_syserror(d, NULL, "cannot watch the site (inotify): %s", strerror(errno));
		free(w->root);
		free(w);
		return NULL;
	}
	w->snapshots = xcalloc(n + 1, sizeof(*w->snapshots));
	for (size_t i = 0; i < n; i++)
		w->snapshots[i] = xstrdup(snapshots[i]);
	w->nsnapshots = n;
	add_dir(w, "", false);
	for (size_t i = 0; i < ARRAY_SIZE(trees); i++)
		add_dir(w, trees[i], true);
	for (size_t i = 0; i < n; i++) {
		char *dir = xstrdup(snapshots[i]), *slash = strrchr(dir, '/');
		bool known = false;

		if (slash)
			*slash = 0;
		else
			dir[0] = 0;
		for (size_t k = 0; k < w->n; k++)
			if (!strcmp(w->dirs[k].rel, dir))
				known = true;
		if (!known)
			add_dir(w, dir, true);
		free(dir);
	}
	return w;
}

void watch_free(struct watch *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++)
		free(w->dirs[i].rel);
	free(w->dirs);
	free_list(w->snapshots, (long)w->nsnapshots);
	close(w->fd);
	free(w->root);
	free(w);
}

static const struct wdir *find(const struct watch *w, int wd)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

/* A path seen in this burst: made during it (a temporary file that is
 * then renamed away is no change) and whether it is gone now. */
struct seen {
	char *path;
	bool made, gone;
};

static void note(struct seen **paths, size_t *n, const char *path, uint32_t mask)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*paths)[i].path, path))
			break;
	if (i == *n) {
		*paths = xrealloc(*paths, (*n + 1) * sizeof(**paths));
		(*paths)[(*n)++] = (struct seen){ xstrdup(path), (mask & (IN_CREATE | IN_MOVED_TO)) != 0,
						  false };
	}
	if (mask & (IN_DELETE | IN_MOVED_FROM))
		(*paths)[i].gone = true;
	else if (mask & (IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE))
		(*paths)[i].gone = false;
}

/* Files directly in the root that feed the site: presetgen.yaml and
 * snapshots kept there. */
static bool root_input(const struct watch *w, const char *name)
{
	if (!strcmp(name, "presetgen.yaml"))
		return true;
	for (size_t i = 0; i < w->nsnapshots; i++)
		if (!strcmp(w->snapshots[i], name))
			return true;
	return false;
}

/* Reads what inotify has; returns how many events there were. */
static int drain(struct watch *w, struct seen **paths, size_t *n)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	int events = 0;
	ssize_t got;

	while ((got = read(w->fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + got;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			const struct wdir *dir = find(w, ev->wd);
			struct strbuf rel = STRBUF_INIT;

			p += sizeof(*ev) + ev->len;
			if (!dir || !ev->len || watch_ignored(ev->name) ||
			    (!*dir->rel && !(ev->mask & IN_ISDIR) && !root_input(w, ev->name)))
				continue;
			events++;
			strbuf_addf(&rel, "%s%s%s", dir->rel, *dir->rel ? "/" : "", ev->name);
			if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
			    dir->recursive) {
				/* a new directory: watch it, and count what it holds */
				char **files;
				long nf;
				struct strbuf full = STRBUF_INIT;

				add_dir(w, rel.buf, true);
				strbuf_addf(&full, "%s/%s", w->root, rel.buf);
				nf = list_files_all(full.buf, &files);
				for (long i = 0; i < nf; i++) {
					struct strbuf f = STRBUF_INIT;

					strbuf_addf(&f, "%s/%s", rel.buf, files[i]);
					note(paths, n, f.buf, IN_CLOSE_WRITE);
					strbuf_release(&f);
				}
				free_list(files, nf < 0 ? 0 : nf);
				strbuf_release(&full);
			} else if (!(ev->mask & IN_ISDIR)) {
				note(paths, n, rel.buf, ev->mask);
			}
			strbuf_release(&rel);
		}
	}
	return events;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

long watch_wait(struct watch *w, int timeout_ms, int debounce_ms, char ***out)
{
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
	struct seen *seen = NULL;
	char **paths;
	size_t n = 0, k = 0;
	struct timespec t0, now;

	*out = NULL;
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	drain(w, &seen, &n);
	/* the burst is over after debounce_ms without an event (or after
	 * two seconds of them: a long checkout is then several rebuilds) */
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 > 2000)
			break;
		if (poll(&pfd, 1, debounce_ms) <= 0)
			break;
		drain(w, &seen, &n);
	}
	paths = xcalloc(n + 1, sizeof(*paths));
	for (size_t i = 0; i < n; i++) {
		/* made and gone again within the burst: an editor's or a tool's
		 * temporary file (sed -i's, an atomic save's) */
		if (seen[i].made && seen[i].gone)
			free(seen[i].path);
		else
			paths[k++] = seen[i].path;
	}
	free(seen);
	qsort(paths, k, sizeof(*paths), cmp_str);
	*out = paths;
	return (long)k;
}
