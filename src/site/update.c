/* site_update: what presetgen serve does with a change. The files that
 * feed templates, content pages and assets are read again, each whole and
 * into new memory that replaces the old only when it read without error
 * (so a broken save leaves the site as it was); what must be rendered
 * again is worked out from what changed: a template's pages (the render
 * records which templates each page used), a page whose front matter is
 * unchanged alone (with the pages that show site.pages), or every page.
 * presetgen.yaml and the snapshots are the caller's: it loads the site
 * anew. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && path[n] == '/';
}

static void add_name(const char ***list, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*list)[i], name))
			return;
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = xstrdup(name);
}

static bool is_snapshot(const struct site *s, const char *path)
{
	for (size_t i = 0; i < s->nsnapshots; i++) {
		const char *snap = s->snapshots[i];
		size_t n = strlen(snap);

		while (n && snap[n - 1] == '/')
			n--;
		/* the file itself, or a CSV file of a snapshot directory */
		if (!strncmp(path, snap, n) && (!path[n] || path[n] == '/'))
			return true;
	}
	return false;
}

static bool is_icon_source(const struct site *s, const char *path)
{
	const struct icon_config *ic = &s->cfg.icon;
	const char *srcs[] = { ic->source, ic->foreground, ic->background_image, ic->monochrome };

	for (size_t i = 0; i < ARRAY_SIZE(srcs); i++)
		if (srcs[i] && !strcmp(srcs[i], path))
			return true;
	return false;
}

static int update_templates(struct site *s)
{
	struct mustache_set *old = s->tpls;

	if (load_templates(s) < 0) {
		mustache_set_free(s->tpls);
		s->tpls = old;
		return -1;
	}
	mustache_set_free(old);
	return 0;
}

/* Pages read again; those whose front matter and URL are as they were
 * and whose body changed are listed, else every page is. */
static int update_content(struct site *s, struct site_changes *ch)
{
	struct arena a = ARENA_INIT;
	struct page *pages;
	size_t n;

	if (content_load(s->rootfd, "content", s->drafts, s->slugs, &pages, &n, &a, s->d) < 0) {
		arena_release(&a);
		return -1;
	}
	if (n != s->npages) {
		ch->all_pages = true;
	} else {
		for (size_t i = 0; i < n; i++) {
			const struct page *o = &s->pages[i], *p = &pages[i];

			if (strcmp(o->src, p->src) || strcmp(o->url, p->url) || o->front != p->front)
				ch->all_pages = true;
			else if (strcmp(o->html, p->html))
				add_name(&ch->sources, &ch->nsources, p->src);
		}
	}
	arena_release(&s->pages_arena);
	s->pages_arena = a;
	s->pages = pages;
	s->npages = n;
	return 0;
}

static int update_assets(struct site *s, bool icons)
{
	struct assets old = s->assets;

	if (load_assets(s, icons) < 0) {
		assets_release(&s->assets);
		s->assets = old;
		return -1;
	}
	assets_release(&old);
	return 0;
}

int site_update(struct site *s, const char *const *paths, size_t n, struct site_changes *ch)
{
	bool tpl = false, content = false, assets = false, icons = false;
	int rc = 0;

	memset(ch, 0, sizeof(*ch));
	for (size_t i = 0; i < n; i++) {
		const char *p = paths[i];

		if (!strcmp(p, s->cfg.path) || !strcmp(p, "presetgen.yaml") || is_snapshot(s, p)) {
			ch->reload = true;
			return 0;
		}
		if (is_icon_source(s, p)) {
			assets = icons = true;
		} else if (under(p, "templates") && str_endswith(p, ".mustache")) {
			struct strbuf name = STRBUF_INIT;

			strbuf_add(&name, p + 10, strlen(p) - 10 - 9);
			add_name(&ch->templates, &ch->ntemplates, name.buf);
			strbuf_release(&name);
			tpl = true;
		} else if (under(p, "content") && str_endswith(p, ".md")) {
			content = true;
		} else if (under(p, "assets")) {
			assets = true;
		}
	}
	if (tpl && update_templates(s) < 0)
		rc = -1;
	if (content && update_content(s, ch) < 0)
		rc = -1;
	if (assets) {
		if (update_assets(s, icons) < 0)
			rc = -1;
		ch->assets = true;
		ch->all_pages = true;
	}
	diag_finish(s->d);
	return rc;
}

void site_changes_release(struct site_changes *ch)
{
	for (size_t i = 0; i < ch->ntemplates; i++)
		free((char *)ch->templates[i]);
	for (size_t i = 0; i < ch->nsources; i++)
		free((char *)ch->sources[i]);
	free(ch->templates);
	free(ch->sources);
	memset(ch, 0, sizeof(*ch));
}
