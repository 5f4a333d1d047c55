/* The bundle as one .tar.gz or .zip (libarchive), byte-identical across
 * builds and machines: entries sorted, owner root, modes 0644/0755, every
 * tar mtime SOURCE_DATE_EPOCH (or the newest input's). libarchive converts
 * names through the locale, so while it writes, this thread (only this
 * one: uselocale, not setlocale) uses C.UTF-8. A zip entry has no mtime at
 * all (its DOS time then reads 1980-01-01), because zip keeps local time
 * and presetgen will not change the process's TZ. */
#include "internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <locale.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* mtime < 0: none */
static int add(struct archive *ar, const char *name, bool dir, const char *data, size_t len,
	       int64_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	int rc = 0;

	if (!e)
		oom("out of memory writing an archive");
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, dir ? 0755 : 0644);
	archive_entry_set_size(e, dir ? 0 : (la_int64_t)len);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_uname(e, "root");
	archive_entry_set_gname(e, "root");
	if (mtime >= 0)
		archive_entry_set_mtime(e, (time_t)mtime, 0);
	if (archive_write_header(ar, e) != ARCHIVE_OK ||
	    (!dir && len && archive_write_data(ar, data, len) != (la_ssize_t)len))
		rc = -1;
	archive_entry_free(e);
	return rc;
}

/* One file of the tree, after the directories of its path that the file
 * before it (in *last) did not have. */
static int add_file(struct archive *ar, const char *dir, const char *file, int64_t mtime,
		    struct strbuf *last, const char *path, struct diag *d)
{
	struct strbuf p = STRBUF_INIT;
	char *data = NULL;
	size_t len = 0;
	int rc = 0;

	for (const char *s = strchr(file, '/'); s && !rc; s = strchr(s + 1, '/')) {
		size_t k = (size_t)(s - file) + 1;

		if (last->len >= k && !strncmp(last->buf, file, k))
			continue;
		strbuf_reset(&p);
		strbuf_add(&p, file, k);
		if (add(ar, p.buf, true, NULL, 0, mtime) < 0)
			rc = diag_syserror(d, path, "cannot write the archive: %s",
					   archive_error_string(ar));
	}
	strbuf_reset(last);
	strbuf_adds(last, file);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/%s", dir, file);
	if (!rc && read_file(p.buf, &data, &len) < 0)
		rc = diag_syserror(d, p.buf, "cannot read: %s", strerror(errno));
	else if (!rc && add(ar, file, false, data, len, mtime) < 0)
		rc = diag_syserror(d, path, "cannot write the archive: %s", archive_error_string(ar));
	free(data);
	strbuf_release(&p);
	return rc;
}

static void set_format(struct archive *ar, bool zip)
{
	if (zip) {
		archive_write_set_format_zip(ar);
		archive_write_set_format_option(ar, "zip", "hdrcharset", "UTF-8");
	} else {
		archive_write_set_format_pax_restricted(ar);
		archive_write_set_format_option(ar, "pax", "hdrcharset", "UTF-8");
		archive_write_add_filter_gzip(ar);
		/* no time in the gzip header */
		archive_write_set_filter_option(ar, "gzip", "timestamp", NULL);
		archive_write_set_filter_option(ar, "gzip", "compression-level", "9");
	}
}

/* Writes the entries into the open temporary file fd. */
static int write_entries(struct archive *ar, int fd, const char *dir, char **files, long n,
			 int64_t mtime, const volatile sig_atomic_t *cancel, const char *path,
			 struct diag *d)
{
	struct strbuf last = STRBUF_INIT;
	int rc = 0;

	if (archive_write_open_fd(ar, fd) != ARCHIVE_OK)
		return diag_syserror(d, path, "cannot write the archive: %s", archive_error_string(ar));
	for (long i = 0; i < n && !rc && !(cancel && *cancel); i++)
		rc = add_file(ar, dir, files[i], mtime, &last, path, d);
	if (archive_write_close(ar) != ARCHIVE_OK && !rc)
		rc = diag_syserror(d, path, "cannot write the archive: %s", archive_error_string(ar));
	strbuf_release(&last);
	return rc;
}

int archive_tree(const char *dir, const char *path, int64_t mtime,
		 const volatile sig_atomic_t *cancel, struct diag *d)
{
	struct archive *ar = archive_write_new();
	struct strbuf tmp = STRBUF_INIT;
	char **files;
	long n = list_files_all(dir, &files);
	bool zip = str_endswith(path, ".zip");
	locale_t utf8, old;
	int fd, rc;

	if (!ar)
		oom("out of memory writing an archive");
	if (n < 0) {
		archive_write_free(ar);
		return diag_syserror(d, dir, "cannot list: %s", strerror(errno));
	}
	utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (!utf8) {
		archive_write_free(ar);
		free_list(files, n);
		return diag_syserror(d, path, "the C.UTF-8 locale is missing: cannot write UTF-8 "
				     "names");
	}
	old = uselocale(utf8);
	set_format(ar, zip);
	/* through a temporary file beside it, then one rename */
	strbuf_addf(&tmp, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp.buf);
	if (fd < 0) {
		rc = diag_error(d, path, 0, 0, "cannot write the archive: %s", strerror(errno));
	} else {
		rc = write_entries(ar, fd, dir, files, n, zip ? -1 : mtime, cancel, path, d);
		if ((fchmod(fd, 0644) < 0 || close(fd) < 0) && !rc)
			rc = diag_syserror(d, path, "cannot write the archive: %s", strerror(errno));
		if (!rc && cancel && *cancel)
			rc = -1;
		if (!rc && rename(tmp.buf, path) < 0)
			rc = diag_syserror(d, path, "cannot write the archive: %s", strerror(errno));
		if (rc)
			unlink(tmp.buf);
	}
	archive_write_free(ar);
	uselocale(old);
	freelocale(utf8);
	free_list(files, n);
	strbuf_release(&tmp);
	return rc;
}
