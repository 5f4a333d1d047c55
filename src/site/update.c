/* site_update: what presetgen serve does with a change. The files that
 * feed templates, content pages and assets are read again, each whole and
 * into new memory that replaces the old only when it read without error
 * (so a broken save leaves the site as it was); what must be rendered
 * again is worked out from what changed: a template's pages (the render
 * records which templates each page used), a page whose front matter is
 * unchanged alone (with the pages that show site.pages), the pages that
 * referenced an asset whose URL changed, or every page. presetgen.yaml and
 * the snapshots are the caller's: it loads the site anew, and for a
 * snapshot renders the pages whose data changed (site_page.data). */
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
	struct tpl_print *oldp = s->tprints;
	size_t noldp = s->ntprints;

	if (load_templates(s) < 0) {
		mustache_set_free(s->tpls);
		tprints_release(s->tprints, s->ntprints);
		s->tpls = old;
		s->tprints = oldp;
		s->ntprints = noldp;
		return -1;
	}
	mustache_set_free(old);
	tprints_release(oldp, noldp);
	return 0;
}

/* Pages whose front matter and URL are as they were and whose body
 * changed are listed, else every page is. */
static void compare_pages(const struct page *old, size_t nold, const struct page *pages,
			  size_t n, struct site_changes *ch)
{
	if (n != nold) {
		ch->all_pages = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct page *o = &old[i], *p = &pages[i];

		if (strcmp(o->src, p->src) || strcmp(o->url, p->url) || o->front != p->front)
			ch->all_pages = true;
		else if (strcmp(o->html, p->html))
			add_name(&ch->sources, &ch->nsources, p->src);
	}
}

/* Assets whose URL or integrity changed, and those gone, are listed: the
 * pages that referenced them render again. */
static void compare_assets(const struct assets *old, const struct assets *now,
			   struct site_changes *ch)
{
	for (size_t i = 0; i < old->n; i++) {
		const struct asset *o = &old->a[i], *a = assets_find(now, o->logical);

		if (!a || strcmp(a->hashed, o->hashed) || strcmp(a->sri, o->sri))
			add_name(&ch->assets_changed, &ch->nassets_changed, o->logical);
	}
}

/* Pages read again, and compared. */
static int update_content(struct site *s, struct site_changes *ch)
{
	struct arena a = ARENA_INIT;
	struct page *pages;
	size_t n;

	if (content_load(s->rootfd, "content", s->drafts, s->slugs, &pages, &n, &a, s->d) < 0) {
		arena_release(&a);
		return -1;
	}
	compare_pages(s->pages, s->npages, pages, n, ch);
	arena_release(&s->pages_arena);
	s->pages_arena = a;
	s->pages = pages;
	s->npages = n;
	return 0;
}

/* Assets read again, and compared. */
static int update_assets(struct site *s, bool icons, struct site_changes *ch)
{
	struct assets old = s->assets;

	if (load_assets(s, icons) < 0) {
		assets_release(&s->assets);
		s->assets = old;
		return -1;
	}
	compare_assets(&old, &s->assets, ch);
	assets_release(&old);
	return 0;
}

/* Templates whose source changed, or that one of the two lacks. */
static void compare_templates(const struct site *old, const struct site *now,
			      struct site_changes *ch)
{
	size_t i = 0, k = 0;

	while (i < old->ntprints || k < now->ntprints) {
		int c = i == old->ntprints ? 1 : k == now->ntprints ? -1 :
			strcmp(old->tprints[i].name, now->tprints[k].name);

		if (c < 0) {
			add_name(&ch->templates, &ch->ntemplates, old->tprints[i++].name);
		} else if (c > 0) {
			add_name(&ch->templates, &ch->ntemplates, now->tprints[k++].name);
		} else {
			if (old->tprints[i].h != now->tprints[k].h)
				add_name(&ch->templates, &ch->ntemplates, now->tprints[k].name);
			i++;
			k++;
		}
	}
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

void site_diff(struct site *old, struct site *now, struct site_changes *ch)
{
	const char *was[CONFIG_PAGE_KEYS] = { old->cfg.title, old->cfg.description,
					      old->cfg.author };
	const char *is[CONFIG_PAGE_KEYS] = { now->cfg.title, now->cfg.description,
					     now->cfg.author };

	memset(ch, 0, sizeof(*ch));
	/* anything but the values pages alone show can change any page */
	if (old->cfg.structure != now->cfg.structure) {
		ch->reload = ch->all_pages = true;
		return;
	}
	ch->data = true;
	for (size_t k = 0; k < CONFIG_PAGE_KEYS; k++)
		if (!same_str(was[k], is[k]))
			ch->site_keys |= 1u << k;
	compare_templates(old, now, ch);
	compare_pages(old->pages, old->npages, now->pages, now->npages, ch);
	compare_assets(&old->assets, &now->assets, ch);
	ch->assets = ch->nassets_changed > 0;
	ch->collections = site_collections_fingerprint(old) != site_collections_fingerprint(now);
	ch->nrows = site_rows_changed(old, now, &ch->rows);
}

const char *const *site_snapshots(const struct site *s, size_t *n)
{
	*n = s->nsnapshots;
	return s->snapshots;
}

void site_keep_renders(struct site *to, struct site *from)
{
	page_asks_release(to->asks, to->nasks);
	to->asks = from->asks;
	to->nasks = from->nasks;
	from->asks = NULL;
	from->nasks = 0;
}

int site_update(struct site *s, const char *const *paths, size_t n, struct site_changes *ch)
{
	bool tpl = false, content = false, assets = false, icons = false;
	int rc = 0;

	memset(ch, 0, sizeof(*ch));
	for (size_t i = 0; i < n; i++) {
		const char *p = paths[i];

		if (!strcmp(p, s->cfg.path) || !strcmp(p, "presetgen.yaml") || is_snapshot(s, p)) {
			ch->data = true;
			continue;
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
		if (update_assets(s, icons, ch) < 0)
			rc = -1;
		ch->assets = true;
	}
	diag_finish(s->d);
	return rc;
}

/* Sorted lists of strings: b's into a, each once. */
static void merge_sorted(char ***a, size_t *na, char *const *b, size_t nb)
{
	char **out = xcalloc(*na + nb + 1, sizeof(*out));
	size_t i = 0, k = 0, n = 0;

	while (i < *na || k < nb) {
		int c = i == *na ? 1 : k == nb ? -1 : strcmp((*a)[i], b[k]);

		if (c <= 0) {
			out[n++] = (*a)[i++];
			k += c == 0;
		} else {
			out[n++] = xstrdup(b[k++]);
		}
	}
	free(*a);
	*a = out;
	*na = n;
}

void site_changes_merge(struct site_changes *into, const struct site_changes *from)
{
	into->reload |= from->reload;
	into->data |= from->data;
	into->all_pages |= from->all_pages;
	into->assets |= from->assets;
	into->collections |= from->collections;
	into->site_keys |= from->site_keys;
	for (size_t i = 0; i < from->ntemplates; i++)
		add_name(&into->templates, &into->ntemplates, from->templates[i]);
	for (size_t i = 0; i < from->nsources; i++)
		add_name(&into->sources, &into->nsources, from->sources[i]);
	for (size_t i = 0; i < from->nassets_changed; i++)
		add_name(&into->assets_changed, &into->nassets_changed, from->assets_changed[i]);
	merge_sorted(&into->rows, &into->nrows, from->rows, from->nrows);
}

void site_changes_release(struct site_changes *ch)
{
	for (size_t i = 0; i < ch->ntemplates; i++)
		free((char *)ch->templates[i]);
	for (size_t i = 0; i < ch->nsources; i++)
		free((char *)ch->sources[i]);
	for (size_t i = 0; i < ch->nassets_changed; i++)
		free((char *)ch->assets_changed[i]);
	free_list(ch->rows, (long)ch->nrows);
	free(ch->templates);
	free(ch->sources);
	free(ch->assets_changed);
	memset(ch, 0, sizeof(*ch));
}
