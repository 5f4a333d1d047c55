#include "archive.h"
#include "diag.h"
#include "fsutil.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int add(struct archive *ar, const char *name, bool dir, const char *data, size_t len,
	       int64_t mtime)
{
	struct archive_entry *e = archive_entry_new();
	int rc = 0;

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(e, dir ? 0755 : 0644);
	archive_entry_set_size(e, dir ? 0 : (la_int64_t)len);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_uname(e, "root");
	archive_entry_set_gname(e, "root");
	archive_entry_set_mtime(e, (time_t)mtime, 0);
	if (archive_write_header(ar, e) != ARCHIVE_OK ||
	    (!dir && len && archive_write_data(ar, data, len) != (la_ssize_t)len))
		rc = -1;
	archive_entry_free(e);
	return rc;
}

int archive_tree(const char *dir, const char *path, int64_t mtime, struct diag *d)
{
	struct archive *ar = archive_write_new();
	struct strbuf tmp = STRBUF_INIT, last = STRBUF_INIT;
	char **files;
	long n = list_files_all(dir, &files);
	bool zip = str_endswith(path, ".zip");
	int rc = 0;

	if (n < 0)
		return diag_syserror(d, dir, "cannot list: %s", strerror(errno));
	/* libarchive converts names through the locale: make it UTF-8 while it
	 * works (nothing else in presetgen reads the locale) */
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		return diag_syserror(d, path, "the C.UTF-8 locale is missing: cannot write UTF-8 names");
	if (zip) {
		/* zip keeps DOS times in local time: make local time UTC */
		setenv("TZ", "UTC", 1);
		tzset();
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
	strbuf_addf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	if (archive_write_open_filename(ar, tmp.buf) != ARCHIVE_OK) {
		rc = diag_error(d, path, 0, 0, "cannot write the archive: %s", archive_error_string(ar));
		goto out;
	}
	for (long i = 0; i < n && !rc; i++) {
		struct strbuf p = STRBUF_INIT;
		char *data = NULL;
		size_t len = 0;

		/* the directories of this file that the last one did not have */
		for (const char *s = strchr(files[i], '/'); s; s = strchr(s + 1, '/')) {
			size_t k = (size_t)(s - files[i]) + 1;

			if (last.len >= k && !strncmp(last.buf, files[i], k))
				continue;
			strbuf_reset(&p);
			strbuf_add(&p, files[i], k);
			if (add(ar, p.buf, true, NULL, 0, mtime) < 0)
				rc = -1;
		}
		strbuf_reset(&last);
		strbuf_adds(&last, files[i]);
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir, files[i]);
		if (read_file(p.buf, &data, &len) < 0)
			rc = diag_syserror(d, p.buf, "cannot read: %s", strerror(errno));
		else if (add(ar, files[i], false, data, len, mtime) < 0)
			rc = diag_syserror(d, path, "cannot write the archive: %s", archive_error_string(ar));
		free(data);
		strbuf_release(&p);
	}
	if (archive_write_close(ar) != ARCHIVE_OK && !rc)
		rc = diag_syserror(d, path, "cannot write the archive: %s", archive_error_string(ar));
	if (!rc && rename(tmp.buf, path) < 0)
		rc = diag_syserror(d, path, "cannot write the archive: %s", strerror(errno));
	if (rc)
		unlink(tmp.buf);
out:
	archive_write_free(ar);
	setlocale(LC_CTYPE, "C");
	free_list(files, n);
	strbuf_release(&tmp);
	strbuf_release(&last);
	return rc;
}
