/* The release's files in memory, and --check: what differs between them
 * and the folder, said so that a person sees what to do (a unified diff
 * of lines for text, the size, colour type or pixels for PNGs). */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void rfiles_add(struct rfiles *fs, const char *path, char *data, size_t len, bool is_png)
{
	if (fs->n == fs->alloc) {
		fs->alloc = fs->alloc ? 2 * fs->alloc : 64;
		fs->f = xrealloc(fs->f, fs->alloc * sizeof(*fs->f));
	}
	fs->f[fs->n++] = (struct rfile){ xstrdup(path), data, len, is_png };
}

void rfiles_release(struct rfiles *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->f[i].path);
		free(fs->f[i].data);
	}
	free(fs->f);
	memset(fs, 0, sizeof(*fs));
}

struct lines {
	const char **s;
	size_t *len, n;
};

static void split(const char *buf, size_t len, struct lines *l)
{
	size_t cap = 16;

	l->s = xmalloc(cap * sizeof(*l->s));
	l->len = xmalloc(cap * sizeof(*l->len));
	l->n = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - buf) + 1 : len;

		if (l->n == cap) {
			cap *= 2;
			l->s = xrealloc(l->s, cap * sizeof(*l->s));
			l->len = xrealloc(l->len, cap * sizeof(*l->len));
		}
		l->s[l->n] = buf + i;
		l->len[l->n++] = e - i;
		i = e;
	}
}

static bool same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->s[i], b->s[j], a->len[i]);
}

static void line(struct strbuf *out, char mark, const char *s, size_t n)
{
	strbuf_addch(out, mark);
	strbuf_add(out, s, n);
	if (!n || s[n - 1] != '\n')
		strbuf_adds(out, "\n\\ No newline at end of file\n");
}

/* A unified diff (two lines of context) from the longest common
 * subsequence of lines; files too large for that are only said to differ. */
static void text_diff(struct strbuf *out, const char *path, const char *old, size_t olen,
		      const char *new, size_t nlen)
{
	struct lines a, b;
	unsigned *dp;
	size_t i = 0, j = 0, last = 0;

	split(old, olen, &a);
	split(new, nlen, &b);
	strbuf_addf(out, "--- %s (in the folder)\n+++ %s (as presetgen mobile makes it)\n", path,
		    path);
	if ((a.n + 1) * (b.n + 1) > 4000000) {
		strbuf_adds(out, "(too long to show line by line)\n");
		goto done;
	}
	dp = xcalloc((a.n + 1) * (b.n + 1), sizeof(*dp));
#define DP(x, y) dp[(x) * (b.n + 1) + (y)]
	for (size_t x = a.n; x-- > 0;)
		for (size_t y = b.n; y-- > 0;)
			DP(x, y) = same(&a, x, &b, y) ? DP(x + 1, y + 1) + 1 :
				   DP(x + 1, y) > DP(x, y + 1) ? DP(x + 1, y) : DP(x, y + 1);
	while (i < a.n || j < b.n) {
		if (i < a.n && j < b.n && same(&a, i, &b, j)) {
			i++, j++;
			continue;
		}
		/* a hunk: context before, then the changes up to the next match */
		strbuf_addf(out, "@@ line %zu @@\n", i + 1);
		for (size_t k = i >= 2 && i - 2 >= last ? i - 2 : last; k < i; k++)
			line(out, ' ', a.s[k], a.len[k]);
		while ((i < a.n || j < b.n) && !(i < a.n && j < b.n && same(&a, i, &b, j))) {
			if (j >= b.n || (i < a.n && DP(i + 1, j) >= DP(i, j + 1))) {
				line(out, '-', a.s[i], a.len[i]);
				i++;
			} else {
				line(out, '+', b.s[j], b.len[j]);
				j++;
			}
		}
		for (size_t k = 0; k < 2 && i + k < a.n; k++)
			line(out, ' ', a.s[i + k], a.len[i + k]);
		last = i + 2;
	}
#undef DP
	free(dp);
done:
	free(a.s);
	free(a.len);
	free(b.s);
	free(b.len);
}

static void png_diff(struct strbuf *out, const char *path, const char *old, size_t olen,
		     const char *new, size_t nlen)
{
	struct diag quiet;
	struct strbuf sink = STRBUF_INIT;
	struct image a, b;
	size_t n = 0, at = 0;
	int worst = 0;

	diag_init(&quiet);
	quiet.capture = &sink;
	if (png_decode(&quiet, path, old, olen, &a) < 0) {
		strbuf_addf(out, "%s: differs: the folder's file is not a readable PNG\n", path);
		goto done;
	}
	if (png_decode(&quiet, path, new, nlen, &b) < 0)
		BUG("presetgen made a PNG it cannot read");
	if (a.w != b.w || a.h != b.h) {
		strbuf_addf(out, "%s: differs: %dx%d px in the folder, %dx%d px as made now\n",
			    path, a.w, a.h, b.w, b.h);
	} else {
		for (size_t i = 0; i < (size_t)a.w * a.h * 4; i++)
			if (a.px[i] != b.px[i]) {
				int dd = abs(a.px[i] - b.px[i]);

				if (i % 4 == 0 || a.px[i - i % 4] == b.px[i - i % 4])
					n++;
				if (dd > worst) {
					worst = dd;
					at = i / 4;
				}
			}
		if (n)
			strbuf_addf(out, "%s: differs: %zu pixels, by up to %d at (%zu, %zu)\n",
				    path, n, worst, at % (size_t)a.w, at / (size_t)a.w);
		else
			strbuf_addf(out, "%s: differs: the same pixels in other bytes (colour "
				    "type, chunks or compression)\n", path);
	}
	image_release(&b);
	image_release(&a);
done:
	diag_release(&quiet);
	strbuf_release(&sink);
}

static int by_path(const void *x, const void *y)
{
	return strcmp(((const struct rfile *)x)->path, ((const struct rfile *)y)->path);
}

size_t release_compare(int rootfd, const char *dir, const struct rfiles *fs, struct strbuf *diff)
{
	struct rfile *sorted = xmalloc((fs->n + 1) * sizeof(*sorted));
	char **have = NULL;
	long nhave = list_files_all_at(rootfd, dir, &have);
	size_t differ = 0;

	memcpy(sorted, fs->f, fs->n * sizeof(*sorted));
	qsort(sorted, fs->n, sizeof(*sorted), by_path);
	for (size_t i = 0; i < fs->n; i++) {
		struct strbuf path = STRBUF_INIT;
		char *buf;
		size_t len;

		strbuf_addf(&path, "%s/%s", dir, sorted[i].path);
		if (read_file_at(rootfd, path.buf, &buf, &len) < 0) {
			strbuf_addf(diff, "%s: missing%s\n", path.buf,
				    errno == ENOENT ? "" : " (cannot read it)");
			differ++;
		} else {
			if (len != sorted[i].len || memcmp(buf, sorted[i].data, len)) {
				differ++;
				if (sorted[i].is_png)
					png_diff(diff, path.buf, buf, len, sorted[i].data,
						 sorted[i].len);
				else
					text_diff(diff, path.buf, buf, len, sorted[i].data,
						  sorted[i].len);
			}
			free(buf);
		}
		strbuf_release(&path);
	}
	for (long i = 0; i < nhave; i++) {
		struct rfile key = { .path = have[i] };

		if (!bsearch(&key, sorted, fs->n, sizeof(*sorted), by_path)) {
			strbuf_addf(diff, "%s/%s: not made by presetgen mobile (with these options: "
				    "--native?)\n", dir, have[i]);
			differ++;
		}
	}
	if (nhave < 0 && errno == ENOENT)
		strbuf_addf(diff, "%s: missing: run presetgen mobile to make the release\n", dir);
	free_list(have, nhave < 0 ? 0 : nhave);
	free(sorted);
	return differ;
}
