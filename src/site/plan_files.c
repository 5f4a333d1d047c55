/* Planning the files that are not templates' pages: the sitemap (its parts
 * written by the workers), the Atom feed, robots.txt, the assets under
 * their hashed names with their manifest, and static/ as it is. */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct sitemap_part {
	const char *name;
	const struct sitemap_url *urls;
	size_t n;
};

struct sitemap_memo {
	char *name;
	uint64_t print;
	char *data;
	size_t len;
};

void sitemap_memo_release(struct sitemap_memo *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].name);
		free(m[i].data);
	}
	free(m);
}

/* serve renders again and again, and most edits move no URL: a sitemap
 * part made of the same URLs and dates is the bytes made last time
 * (13,000 URLs take libxml2's writer some 15 ms). The run's lock guards
 * the memo, which parts made at once share. */
static bool memo_get(const struct run *r, const struct sitemap_part *p, uint64_t print,
		     struct strbuf *out)
{
	struct site *s = r->s;
	bool hit = false;

	pthread_mutex_lock((pthread_mutex_t *)&r->lock);
	for (size_t i = 0; i < s->nsmemo && !hit; i++)
		if (!strcmp(s->smemo[i].name, p->name) && s->smemo[i].print == print) {
			strbuf_add(out, s->smemo[i].data, s->smemo[i].len);
			hit = true;
		}
	pthread_mutex_unlock((pthread_mutex_t *)&r->lock);
	return hit;
}

static void memo_put(const struct run *r, const struct sitemap_part *p, uint64_t print,
		     const char *data, size_t len)
{
	struct site *s = r->s;
	struct sitemap_memo *m = NULL;

	pthread_mutex_lock((pthread_mutex_t *)&r->lock);
	for (size_t i = 0; i < s->nsmemo && !m; i++)
		if (!strcmp(s->smemo[i].name, p->name))
			m = &s->smemo[i];
	if (!m) {
		s->smemo = xrealloc(s->smemo, (s->nsmemo + 1) * sizeof(*s->smemo));
		m = &s->smemo[s->nsmemo++];
		m->name = xstrdup(p->name);
	} else {
		free(m->data);
	}
	m->print = print;
	m->data = xmalloc(len + 1);
	memcpy(m->data, data, len);
	m->len = len;
	pthread_mutex_unlock((pthread_mutex_t *)&r->lock);
}

static void gen_sitemap(const struct run *r, const void *arg, struct strbuf *out)
{
	const struct sitemap_part *p = arg;
	uint64_t print = FNV_START;
	size_t at = out->len;

	if (!r->o->sink) {
		sitemap_write(out, r->base_url, p->urls, p->n);
		return;
	}
	print = fnv1a(r->base_url, strlen(r->base_url) + 1, print);
	for (size_t i = 0; i < p->n; i++) {
		print = fnv1a(p->urls[i].path, strlen(p->urls[i].path) + 1, print);
		print = fnv1a(&p->urls[i].lastmod, sizeof(p->urls[i].lastmod), print);
	}
	if (memo_get(r, p, print, out))
		return;
	sitemap_write(out, r->base_url, p->urls, p->n);
	memo_put(r, p, print, out->buf + at, out->len - at);
}

static void add_gen_job(struct run *r, const char *out, const void *arg)
{
	struct job j;

	memset(&j, 0, sizeof(j));
	j.out = out;
	j.src = r->s->cfg.path;
	j.gen = gen_sitemap;
	j.gen_arg = arg;
	add_job(r, &j);
}

static void add_data_job(struct run *r, const char *out, struct strbuf *sb)
{
	struct job j;

	memset(&j, 0, sizeof(j));
	j.out = out;
	j.src = r->s->cfg.path;
	j.data = strbuf_detach(sb, &j.len);
	add_job(r, &j);
}

/* The sitemap lists pages in the order they were planned (content, then
 * collections: deterministic). Its parts are written by the workers,
 * beside the pages. */
void plan_sitemap(struct run *r)
{
	struct arena *a = &r->arena;
	const char *base = r->base_url;
	struct sitemap_url *urls = arena_alloc(a, (r->njobs + 1) * sizeof(*urls));
	size_t n = 0;

	for (size_t i = 0; i < r->njobs; i++)
		if (r->jobs[i].page && r->jobs[i].url) {
			urls[n].path = r->jobs[i].url;
			urls[n].lastmod = r->jobs[i].lastmod;
			n++;
		}
	if (n <= SITEMAP_MAX_URLS) {
		struct sitemap_part *p = arena_alloc(a, sizeof(*p));

		p->name = "sitemap.xml";
		p->urls = urls;
		p->n = n;
		add_gen_job(r, "sitemap.xml", p);
	} else {
		size_t parts = (n + SITEMAP_MAX_URLS - 1) / SITEMAP_MAX_URLS;
		const char **locs = arena_alloc(a, parts * sizeof(*locs));
		struct strbuf sb = STRBUF_INIT;

		for (size_t k = 0; k < parts; k++) {
			struct sitemap_part *p = arena_alloc(a, sizeof(*p));
			const char *name = arena_printf(a, "sitemap-%zu.xml", k + 1);

			p->name = name;
			p->urls = urls + k * SITEMAP_MAX_URLS;
			p->n = n - k * SITEMAP_MAX_URLS < SITEMAP_MAX_URLS ? n - k * SITEMAP_MAX_URLS
									  : SITEMAP_MAX_URLS;
			add_gen_job(r, name, p);
			locs[k] = arena_printf(a, "%s/%s", base, name);
		}
		sitemap_index_write(&sb, locs, parts);
		add_data_job(r, "sitemap.xml", &sb);
		strbuf_release(&sb);
	}
}

/* Plain text for a feed summary: no control characters XML forbids, and
 * at most about 300 bytes, cut at a character boundary. */
static const char *summary_text(struct arena *a, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *res;

	for (; *s && sb.len < 300; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			continue;
		strbuf_addch(&sb, c);
	}
	while (sb.len && ((unsigned char)sb.buf[sb.len - 1] & 0xc0) == 0x80)
		sb.len--;
	if (sb.len && (unsigned char)sb.buf[sb.len - 1] >= 0xc0)
		sb.len--;
	if (*s)
		strbuf_adds(&sb, "…");
	res = arena_strndup(a, sb.buf, sb.len);
	strbuf_release(&sb);
	return res;
}

void plan_feed(struct run *r)
{
	struct arena *a = &r->arena;
	const struct feed_cfg *f = &r->s->cfg.feed;
	const char *base = r->base_url;
	const struct coll *c = NULL;
	struct feed_entry *e;
	struct feed_info info;
	struct strbuf sb = STRBUF_INIT;
	size_t n = 0;

	if (!f->present)
		return;
	for (size_t i = 0; i < r->s->ncolls; i++)
		if (!strcmp(r->s->colls[i].cfg->name, f->collection))
			c = &r->s->colls[i];
	if (!c)
		return;
	e = xcalloc((size_t)f->limit + 1, sizeof(*e));
	memset(&info, 0, sizeof(info));
	info.updated = INT64_MIN;
	/* the collection's own order: newest first for gigs */
	for (size_t i = 0; i < c->nrows && n < (size_t)f->limit; i++) {
		const struct crow *cr = &c->rows[i];

		if (!cr->url || cr->restricted)
			continue;
		e[n].title = summary_text(a, cr->title ? cr->title : cr->url);
		e[n].link = arena_printf(a, "%s%s", base, cr->url);
		e[n].summary = cr->description ? summary_text(a, cr->description) : NULL;
		e[n].updated = cr->lastmod != INT64_MIN ? cr->lastmod : r->s->now;
		e[n].published = INT64_MIN;
		if (e[n].updated > info.updated)
			info.updated = e[n].updated;
		n++;
	}
	if (info.updated == INT64_MIN)
		info.updated = r->s->now;
	info.title = f->title;
	info.id = arena_printf(a, "%s%s", base, f->url);
	info.self = info.id;
	info.alternate = arena_printf(a, "%s%s", base, c->cfg->list_url ? c->cfg->list_url : "/");
	info.author = r->s->cfg.author ? r->s->cfg.author : r->s->cfg.title;
	atom_write(&sb, &info, e, n);
	add_data_job(r, f->url + 1, &sb);
	free(e);
	strbuf_release(&sb);
}

void plan_robots(struct run *r)
{
	const struct env_config *env = &r->s->cfg.env[r->s->env];
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "User-agent: *\n");
	if (env->index)
		strbuf_addf(&sb, "Allow: /\n\nSitemap: %s/sitemap.xml\n", env->base_url);
	else
		strbuf_adds(&sb, "Disallow: /\n");
	add_data_job(r, "robots.txt", &sb);
}

/* assets/ under hashed names, their manifest, and static/ as it is. */
int plan_assets(struct run *r)
{
	struct arena *a = &r->arena;
	struct strbuf sb = STRBUF_INIT;
	char **files;
	long n;
	struct job j;

	for (size_t i = 0; i < r->s->assets.n; i++) {
		const struct asset *as = &r->s->assets.a[i];

		memset(&j, 0, sizeof(j));
		j.out = arena_cat(a, "assets/", as->hashed);
		j.src = arena_cat(a, "assets/", as->logical);
		j.data = as->data;
		j.len = as->len;
		j.borrowed = true;
		add_job(r, &j);
	}
	if (r->s->assets.n) {
		assets_manifest(&r->s->assets, &sb);
		add_data_job(r, "assets/manifest.json", &sb);
	}
	if (r->s->favicon) {
		memset(&j, 0, sizeof(j));
		j.out = "favicon.ico";
		j.src = r->s->cfg.icon.source;
		j.data = r->s->favicon;
		j.len = r->s->favicon_len;
		j.borrowed = true;
		add_job(r, &j);
	}
	n = list_files_all_at(r->s->rootfd, "static", &files);
	if (n < 0)
		return errno == ENOENT ? 0 :
		       diag_syserror(r->d, "static", "cannot list: %s", strerror(errno));
	for (long i = 0; i < n; i++) {
		const char *path = arena_cat(a, "static/", files[i]);

		memset(&j, 0, sizeof(j));
		if (read_file_at(r->s->rootfd, path, &j.data, &j.len) < 0) {
			diag_syserror(r->d, path, "cannot read: %s", strerror(errno));
			free_list(files, n);
			return -1;
		}
		j.out = arena_strdup(a, files[i]);
		j.src = path;
		add_job(r, &j);
	}
	free_list(files, n);
	strbuf_release(&sb);
	return 0;
}

