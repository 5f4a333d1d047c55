/* fsutil: reading files, listing trees in a stable order, atomic writes and
 * the staging directory that replaces an output only after a build succeeds. */
#ifndef PRESETGEN_FSUTIL_H
#define PRESETGEN_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Reads a whole file into *buf (malloc'd, NUL-terminated; caller frees).
 * Returns 0, or -1 with errno set. */
int read_file(const char *path, char **buf, size_t *len);

/* Writes data to path through a temporary file in the same directory, then
 * renames it over path. Returns 0, or -1 with errno set. */
int write_file_atomic(const char *path, const void *data, size_t len);

/* Writes data to a new file at path (no temporary: for staging trees). */
int write_file(const char *path, const void *data, size_t len);
/* The same, with path relative to the directory open as dirfd. */
int write_file_at(int dirfd, const char *path, const void *data, size_t len);

/* Creates dir and its missing parents. Returns 0, or -1 with errno set. */
int mkdirs(const char *dir);

/* Removes a tree (files, links and directories, not following links). */
int remove_tree(const char *path);

bool is_dir(const char *path);
bool path_exists(const char *path);

/* Lists the regular files below dir whose names end in suffix (NULL: all),
 * as paths relative to dir, sorted bytewise. Hidden entries are skipped.
 * Returns the count, or -1 with errno set. *out is a malloc'd array of
 * malloc'd strings; free with free_list(). */
long list_files(const char *dir, const char *suffix, char ***out);
/* Like list_files, but hidden entries are listed too (static/.well-known). */
long list_files_all(const char *dir, char ***out);
void free_list(char **list, long n);

/* Copies a regular file. Returns 0, or -1 with errno set. */
int copy_file(const char *from, const char *to);

/* Staging: the output is built in a fresh directory beside it and swapped
 * in by one rename when everything succeeded. */
struct staging {
	char *out;	/* the final directory */
	char *tmp;	/* the directory being filled */
};

/* Creates the staging directory. Returns 0, or -1 with errno set. */
int staging_begin(struct staging *st, const char *out);
/* Replaces out by the staging directory, then removes the old output. */
int staging_commit(struct staging *st);
/* Removes the staging directory; out is left as it was. */
void staging_abort(struct staging *st);

#endif
