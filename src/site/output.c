/* Writing: the staging directory beside the output, each file and its .gz
 * sibling, vercel.json once every page has been seen, the archive, and the
 * one rename that swaps the new output in. A build that fails or is
 * cancelled anywhere removes its staging directory and leaves the previous
 * output as it was. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static bool compressible(const char *path)
{
	static const char *const ext[] = { ".html", ".css", ".js", ".mjs", ".json", ".xml",
					   ".txt", ".svg", ".map", ".webmanifest", ".csv" };

	/* vercel.json configures the deployment: nothing ever serves it */
	if (!strcmp(path, "vercel.json"))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(ext); i++)
		if (str_endswith(path, ext[i]))
			return true;
	return false;
}

/* One compressor per worker, reset for each file: a deflate state is a few
 * hundred KiB, too much to allocate and free per page. */
struct gzip {
	z_stream z;
	bool ready;
	unsigned char *out;
	size_t cap;
};

struct gzip *gzip_new(void)
{
	return xcalloc(1, sizeof(struct gzip));
}

void gzip_free(struct gzip *g)
{
	if (!g)
		return;
	if (g->ready)
		deflateEnd(&g->z);
	free(g->out);
	free(g);
}

/* A .gz sibling at best compression, where it saves bytes. zlib's gzip
 * header carries no time and no name, so it is the same on every build. */
static int write_gz(struct run *r, struct job *j, struct gzip *g)
{
	size_t cap = j->len + j->len / 100 + 64;
	struct strbuf name = STRBUF_INIT;
	int rc = 0;

	if (!g->ready) {
		memset(&g->z, 0, sizeof(g->z));
		/* zlib fails here only for want of memory */
		if (deflateInit2(&g->z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9,
				 Z_DEFAULT_STRATEGY) != Z_OK)
			oom("cannot initialise zlib");
		g->ready = true;
	} else if (deflateReset(&g->z) != Z_OK) {
		BUG("deflateReset failed");
	}
	if (cap > g->cap) {
		free(g->out);
		g->out = xmalloc(cap);
		g->cap = cap;
	}
	g->z.next_in = (unsigned char *)j->data;
	g->z.avail_in = (uInt)j->len;
	g->z.next_out = g->out;
	g->z.avail_out = (uInt)cap;
	/* the output buffer has room for the worst case: one call finishes */
	if (deflate(&g->z, Z_FINISH) != Z_STREAM_END)
		BUG("deflate did not finish");
	if (g->z.total_out < j->len) {
		strbuf_addf(&name, "%s.gz", j->out);
		if (write_file_at(r->stage_fd, name.buf, g->out, g->z.total_out) < 0)
			rc = diag_syserror(r->d, j->out, "cannot write %s: %s", name.buf,
					   strerror(errno));
		strbuf_release(&name);
	}
	return rc;
}

/* Writes a job's bytes, making its directory first: in the workers, so
 * that a hundred thousand directories are not made one after another. */
int write_job(struct run *r, struct job *j, struct gzip *g)
{
	struct strbuf path = STRBUF_INIT;
	const char *slash = strrchr(j->out, '/');
	int rc = 0;

	if (slash) {
		strbuf_add(&path, j->out, (size_t)(slash - j->out));
		if (mkdirat(r->stage_fd, path.buf, 0755) < 0 && errno != EEXIST) {
			/* a parent is missing too: the slow way, once per parent */
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%.*s", r->stage, (int)(slash - j->out), j->out);
			if (mkdirs(path.buf) < 0)
				rc = diag_syserror(r->d, j->out, "cannot create %s: %s", path.buf,
						   strerror(errno));
		}
	}
	if (!rc && write_file_at(r->stage_fd, j->out, j->data, j->len) < 0)
		rc = diag_syserror(r->d, j->out, "cannot write %s/%s: %s", r->stage, j->out,
				   strerror(errno));
	if (!rc && !r->o->no_gzip && j->len >= 1024 && compressible(j->out))
		rc = write_gz(r, j, g);
	strbuf_release(&path);
	return rc;
}

/* SOURCE_DATE_EPOCH, or the newest input's modification time. */
static int64_t archive_time(const struct run *r)
{
	static const char *const dirs[] = { "templates", "content", "assets", "static" };
	const struct site *s = r->s;
	struct strbuf p = STRBUF_INIT;
	int64_t newest;

	if (s->epoch_set)
		return s->now / 1000000;
	newest = mtime_at(s->rootfd, "presetgen.yaml");
	for (size_t d = 0; d < ARRAY_SIZE(dirs); d++) {
		char **files;
		long n = list_files_all_at(s->rootfd, dirs[d], &files);

		for (long i = 0; i < n; i++) {
			int64_t t;

			strbuf_reset(&p);
			strbuf_addf(&p, "%s/%s", dirs[d], files[i]);
			t = mtime_at(s->rootfd, p.buf);
			if (t > newest)
				newest = t;
		}
		if (n >= 0)
			free_list(files, n);
	}
	for (size_t i = 0; i < s->nsnapshots; i++) {
		int64_t t = mtime_at(s->rootfd, s->snapshots[i]);

		if (t > newest)
			newest = t;
	}
	strbuf_release(&p);
	return newest > 0 ? newest : 0;
}

/* vercel.json, once every page has told what its CSP must allow. */
static int write_vercel(struct run *r)
{
	struct strbuf sb = STRBUF_INIT;
	struct job j;
	int rc = 0;

	vercel_json(&sb, &r->s->cfg, r->s->env, &r->refs, &r->redirects);
	memset(&j, 0, sizeof(j));
	j.out = "vercel.json";
	j.src = r->s->cfg.path;
	j.data = sb.buf;
	j.len = sb.len;
	if (leaks_secret(r, &j, sb.buf, sb.len)) {
		for (size_t i = 0; i < j.nmsgs; i++) {
			diag_report(r->d, &j.msgs[i], false);
			free((char *)j.msgs[i].file);
			free((char *)j.msgs[i].text);
		}
		free(j.msgs);
		rc = -1;
	} else {
		struct gzip *gz = gzip_new();

		rc = write_job(r, &j, gz);
		gzip_free(gz);
	}
	strbuf_release(&sb);
	return rc;
}

/* The output must not be the site itself, one of its inputs, or a
 * directory above them: replacing it would delete the site. out is
 * relative to the site's root (or absolute); shown is what the user gave. */
static int check_out(struct run *r, const char *out, const char *shown)
{
	static const char *const inputs[] = { "content", "templates", "assets",
					      "presetgen.yaml", "src", "tests" };
	char site[PATH_MAX], parent[PATH_MAX], *dup = xstrdup(out), *slash;
	struct strbuf full = STRBUF_INIT;
	const char *base;
	size_t n = strlen(dup), s;
	int rc = 0;

	while (n > 1 && dup[n - 1] == '/')
		dup[--n] = '\0';
	slash = strrchr(dup, '/');
	if (slash) {
		*slash = '\0';
		base = slash + 1;
	} else {
		base = dup;
	}
	if (!realpath(r->s->root, site)) {
		rc = diag_syserror(r->d, r->s->root, "cannot resolve: %s", strerror(errno));
		goto out;
	}
	if (!realpath(slash ? (*dup ? dup : "/") : r->s->root, parent)) {
		rc = diag_error(r->d, shown, 0, 0, "cannot write the output here: %s",
				strerror(errno));
		goto out;
	}
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		rc = diag_error(r->d, shown, 0, 0, "the output must be a directory of its own, "
				"such as dist");
		goto out;
	}
	strbuf_addf(&full, "%s/%s", strcmp(parent, "/") ? parent : "", base);
	s = strlen(site);
	/* the site, or above it */
	if (!strncmp(site, full.buf, full.len) && (site[full.len] == '/' || site[full.len] == '\0')) {
		rc = diag_error(r->d, shown, 0, 0, "the output would replace the site itself");
	} else if (!strncmp(full.buf, site, s) && full.buf[s] == '/') {
		/* one of the site's inputs */
		const char *rel = full.buf + s + 1;

		for (size_t i = 0; i < ARRAY_SIZE(inputs); i++) {
			size_t k = strlen(inputs[i]);

			if (!strncmp(rel, inputs[i], k) && (rel[k] == '/' || !rel[k]))
				rc = diag_error(r->d, shown, 0, 0, "the output would replace the "
						"site's %s", inputs[i]);
		}
	}
out:
	strbuf_release(&full);
	free(dup);
	return rc;
}

static int begin(struct run *r, struct staging *st, const char *path, const char *shown)
{
	if (staging_begin(st, path) < 0) {
		/* a path the user gave that cannot hold a directory */
		if (errno == ENOSPC || errno == EIO || errno == ENOMEM)
			return diag_syserror(r->d, shown, "cannot create the output directory: %s",
					     strerror(errno));
		return diag_error(r->d, shown, 0, 0, "cannot create the output directory: %s",
				  strerror(errno));
	}
	r->stage = st->tmp;
	r->stage_fd = open(st->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->stage_fd < 0) {
		int e = errno;

		staging_abort(st);
		return diag_syserror(r->d, shown, "cannot open the staging directory: %s",
				     strerror(e));
	}
	return 0;
}

static int commit(struct run *r, struct staging *st, const char *shown)
{
	int e;

	if (staging_commit(st) == 0)
		return 0;
	e = errno;
	staging_abort(st);
	if (e == ENOTDIR)
		return diag_error(r->d, shown, 0, 0, "cannot replace the output: it is not a "
				  "directory");
	return diag_syserror(r->d, shown, "cannot replace the output: %s", strerror(e));
}

void page_asks_release(struct page_ask *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].out);
		if (a[i].refs)
			page_refs_release(a[i].refs);
		free(a[i].refs);
	}
	free(a);
}

/* What each page of the plan asks of the CSP: its own from this render,
 * or an earlier render's when this one skipped it; pages no longer
 * planned drop out. Into all, the union. */
static void keep_asks(struct run *r, struct page_refs *all)
{
	struct site *s = r->s;
	struct page_ask *next = NULL;
	struct strmap *had = strmap_new(s->nasks);
	size_t n = 0, alloc = 0, k;

	for (size_t i = 0; i < s->nasks; i++) {
		k = i;
		strmap_put(had, s->asks[i].out, &k);
	}
	for (size_t i = 0; i < r->njobs; i++) {
		struct job *j = &r->jobs[i];
		struct page_refs *refs = NULL;

		if (!j->tpl)
			continue;
		if (!j->skipped) {
			refs = j->refs;
			j->refs = NULL;
		} else if (strmap_get(had, j->out, &k)) {
			refs = s->asks[k].refs;
			s->asks[k].refs = NULL;
		}
		if (!refs)
			continue;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			next = xrealloc(next, alloc * sizeof(*next));
		}
		next[n].out = xstrdup(j->out);
		next[n].refs = refs;
		n++;
		page_refs_merge(all, refs);
	}
	strmap_free(had);
	page_asks_release(s->asks, s->nasks);
	s->asks = next;
	s->nasks = n;
}

/* serve: every file to the sink, vercel.json last, its CSP allowing what
 * the pages of the plan ask, each as it was last rendered. */
int sink_output(struct run *r)
{
	struct strbuf sb = STRBUF_INIT;
	struct site_output o = { .path = "vercel.json" };
	struct page_refs all = { 0 };
	struct site *s = r->s;
	struct job j;
	int rc;

	if (run_jobs(r) < 0 || run_cancelled(r))
		return -1;
	page_refs_merge(&all, &r->refs);
	keep_asks(r, &all);
	vercel_json(&sb, &s->cfg, s->env, &all, &r->redirects);
	page_refs_release(&all);
	memset(&j, 0, sizeof(j));
	j.out = "vercel.json";
	j.src = s->cfg.path;
	rc = leaks_secret(r, &j, sb.buf, sb.len) ? -1 : 0;
	for (size_t i = 0; i < j.nmsgs; i++) {
		diag_report(r->d, &j.msgs[i], false);
		free((char *)j.msgs[i].file);
		free((char *)j.msgs[i].text);
	}
	free(j.msgs);
	if (!rc) {
		o.src = s->cfg.path;
		o.data = sb.buf;
		o.len = sb.len;
		r->o->sink(r->o->sink_ud, &o);
	}
	strbuf_release(&sb);
	return rc;
}

int write_output(struct run *r)
{
	const char *shown = r->o->out ? r->o->out : "dist";
	struct staging st;
	struct strbuf path = STRBUF_INIT;
	int rc = -1;

	/* relative to the site's root, not to the process's directory */
	if (shown[0] != '/' && strcmp(r->s->root, "."))
		strbuf_addf(&path, "%s/", r->s->root);
	strbuf_adds(&path, shown);
	if (check_out(r, path.buf, shown) < 0 || run_cancelled(r) ||
	    begin(r, &st, path.buf, shown) < 0)
		goto out;
	if (run_jobs(r) < 0 || run_cancelled(r) || write_vercel(r) < 0) {
		close(r->stage_fd);
		staging_abort(&st);
		goto out;
	}
	close(r->stage_fd);
	if (r->o->archive) {
		struct strbuf ar = STRBUF_INIT;
		int arc;

		if (r->o->archive[0] != '/' && strcmp(r->s->root, "."))
			strbuf_addf(&ar, "%s/", r->s->root);
		strbuf_adds(&ar, r->o->archive);
		arc = archive_tree(st.tmp, ar.buf, archive_time(r), r->o->cancel, r->d);
		strbuf_release(&ar);
		if (arc < 0) {
			staging_abort(&st);
			goto out;
		}
	}
	if (run_cancelled(r)) {
		staging_abort(&st);
		goto out;
	}
	rc = commit(r, &st, shown);
out:
	r->stage = NULL;
	r->stage_fd = -1;
	strbuf_release(&path);
	return rc;
}
