#include "base.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int read_file(const char *path, char **buf, size_t *len)
{
	return read_file_at(AT_FDCWD, path, buf, len);
}

int read_file_at(int dirfd, const char *path, char **buf, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (S_ISREG(st.st_mode))
		strbuf_grow(&sb, (size_t)st.st_size);
	for (;;) {
		ssize_t n;

		strbuf_grow(&sb, 65536);
		n = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		sb.len += (size_t)n;
	}
	sb.buf[sb.len] = '\0';
	close(fd);
	*buf = strbuf_detach(&sb, len);
	return 0;
fail:
	{
		int e = errno;

		close(fd);
		strbuf_release(&sb);
		errno = e;
	}
	return -1;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file(const char *path, const void *data, size_t len)
{
	return write_file_at(AT_FDCWD, path, data, len);
}

int write_file_at(int dirfd, const char *path, const void *data, size_t len)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int e;

	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	int fd, e;

	strbuf_addf(&tmp, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0)
		goto fail;
	if (fchmod(fd, 0644) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp.buf);
		errno = e;
		goto fail;
	}
	if (close(fd) < 0 || rename(tmp.buf, path) < 0) {
		e = errno;
		unlink(tmp.buf);
		errno = e;
		goto fail;
	}
	strbuf_release(&tmp);
	return 0;
fail:
	e = errno;
	strbuf_release(&tmp);
	errno = e;
	return -1;
}

int mkdirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;

			*s = '\0';
			if (mkdir(p, 0755) < 0 && errno != EEXIST) {
				rc = -1;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	if (!rc && !is_dir(dir)) {
		errno = ENOTDIR;
		rc = -1;
	}
	{
		int e = errno;

		free(p);
		errno = e;
	}
	return rc;
}

int remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		struct strbuf sb = STRBUF_INIT;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		strbuf_addf(&sb, "%s/%s", path, de->d_name);
		if (remove_tree(sb.buf) < 0)
			rc = -1;
		strbuf_release(&sb);
	}
	closedir(d);
	if (rmdir(path) < 0)
		rc = -1;
	return rc;
}

bool is_dir_at(int dirfd, const char *path)
{
	struct stat st;

	return fstatat(dirfd, path, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

bool is_dir(const char *path)
{
	return is_dir_at(AT_FDCWD, path);
}

bool path_exists_at(int dirfd, const char *path)
{
	struct stat st;

	return fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

bool path_exists(const char *path)
{
	return path_exists_at(AT_FDCWD, path);
}

int64_t mtime_at(int dirfd, const char *path)
{
	struct stat st;

	return fstatat(dirfd, path, &st, 0) == 0 ? (int64_t)st.st_mtime : -1;
}

struct list {
	char **items;
	size_t nr, alloc;
};

/* Walks the directory open as fd (which it closes), whose path below the
 * listed directory is rel. */
static int list_walk(int fd, const char *rel, const char *suffix, struct list *l, bool hidden)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	while ((de = readdir(d))) {
		struct strbuf relpath = STRBUF_INIT;
		struct stat st;

		if (de->d_name[0] == '.' && (!hidden || !strcmp(de->d_name, ".") ||
					      !strcmp(de->d_name, "..")))
			continue;
		if (*rel)
			strbuf_addf(&relpath, "%s/", rel);
		strbuf_adds(&relpath, de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st, 0) < 0) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

			if (sub < 0 || list_walk(sub, relpath.buf, suffix, l, hidden) < 0)
				rc = -1;
		} else if (S_ISREG(st.st_mode)) {
			size_t n = strlen(de->d_name), m = suffix ? strlen(suffix) : 0;

			if (!suffix || (n > m && !strcmp(de->d_name + n - m, suffix))) {
				ALLOC_GROW(l->items, l->nr + 1, l->alloc);
				l->items[l->nr++] = strbuf_detach(&relpath, NULL);
			}
		}
		strbuf_release(&relpath);
		if (rc < 0)
			break;
	}
	{
		int e = errno;

		closedir(d);
		errno = e;
	}
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static long list_any(int dirfd, const char *dir, const char *suffix, char ***out, bool hidden)
{
	struct list l = { NULL, 0, 0 };
	int fd = openat(dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || list_walk(fd, "", suffix, &l, hidden) < 0) {
		int e = errno;

		free_list(l.items, (long)l.nr);
		errno = e;
		return -1;
	}
	if (l.nr)
		qsort(l.items, l.nr, sizeof(*l.items), cmp_str);
	*out = l.items;
	return (long)l.nr;
}

long list_files_at(int dirfd, const char *dir, const char *suffix, char ***out)
{
	return list_any(dirfd, dir, suffix, out, false);
}

long list_files(const char *dir, const char *suffix, char ***out)
{
	return list_any(AT_FDCWD, dir, suffix, out, false);
}

long list_files_all_at(int dirfd, const char *dir, char ***out)
{
	return list_any(dirfd, dir, NULL, out, true);
}

long list_files_all(const char *dir, char ***out)
{
	return list_any(AT_FDCWD, dir, NULL, out, true);
}

void free_list(char **list, long n)
{
	for (long i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int staging_begin(struct staging *st, const char *out)
{
	struct strbuf sb = STRBUF_INIT;
	const char *slash;
	size_t n = strlen(out);

	while (n > 1 && out[n - 1] == '/')
		n--;
	st->out = xstrndup(out, n);
	slash = strrchr(st->out, '/');
	/* A hidden sibling, so a failed build leaves no visible litter. */
	if (slash)
		strbuf_addf(&sb, "%.*s/.%s.tmp-XXXXXX", (int)(slash - st->out),
			    st->out, slash + 1);
	else
		strbuf_addf(&sb, ".%s.tmp-XXXXXX", st->out);
	if (!mkdtemp(sb.buf)) {
		int e = errno;

		strbuf_release(&sb);
		free(st->out);
		st->out = NULL;
		st->tmp = NULL;
		errno = e;
		return -1;
	}
	chmod(sb.buf, 0755);
	st->tmp = strbuf_detach(&sb, NULL);
	return 0;
}

int staging_commit(struct staging *st)
{
	struct stat sto;

	if (lstat(st->out, &sto) == 0) {
		if (!S_ISDIR(sto.st_mode)) {
			errno = ENOTDIR;
			return -1;
		}
		/* Swap old and new in one step: there is never a moment
		 * without a complete output directory. */
		if (renameat2(AT_FDCWD, st->tmp, AT_FDCWD, st->out, RENAME_EXCHANGE) < 0)
			return -1;
		remove_tree(st->tmp);
	} else if (rename(st->tmp, st->out) < 0) {
		return -1;
	}
	free(st->tmp);
	free(st->out);
	st->tmp = st->out = NULL;
	return 0;
}

void staging_abort(struct staging *st)
{
	if (st->tmp)
		remove_tree(st->tmp);
	free(st->tmp);
	free(st->out);
	st->tmp = st->out = NULL;
}
