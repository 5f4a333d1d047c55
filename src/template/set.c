/* Sets of templates: parsing into a set, looking templates up (through a
 * loader for partials found on demand), linking static partials once, and
 * warning about partials no one has. */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mustache_set *mustache_set_new(struct diag *d)
{
	struct mustache_set *set = xcalloc(1, sizeof(*set));

	set->diag = d;
	pthread_mutex_init(&set->lock, NULL);
	return set;
}

void mustache_set_free(struct mustache_set *set)
{
	if (!set)
		return;
	arena_release(&set->arena);
	free(set->named);
	pthread_mutex_destroy(&set->lock);
	free(set);
}

void mustache_set_loader(struct mustache_set *set, mustache_load_fn fn, void *ud)
{
	set->load = fn;
	set->load_ud = ud;
}

const char *mustache_path(const struct mustache_tpl *tpl)
{
	return tpl->path;
}

bool mustache_name_is_safe(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/')
		return false;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
		if (*p == '/')
			p++;
		if (e && !*p)
			return false;
	}
	return true;
}

static struct named *find_named(struct mustache_set *set, const char *name)
{
	for (size_t i = 0; i < set->nnamed; i++)
		if (!strcmp(set->named[i].name, name))
			return &set->named[i];
	return NULL;
}

static struct mustache_tpl *parse_locked(struct mustache_set *set, const char *name,
					 const char *path, const char *src, size_t len)
{
	struct parser p;
	struct mustache_tpl *tpl;
	size_t i = 0;
	bool cs = false;

	memset(&p, 0, sizeof(p));
	p.set = set;
	p.path = path;
	p.src = arena_strndup(&set->arena, src, len);
	p.len = len;
	linemap_init(&p.lines, p.src, len);
	lex(&p);
	if (!p.errors)
		mark_standalone(&p);
	tpl = arena_calloc(&set->arena, sizeof(*tpl));
	tpl->path = arena_strdup(&set->arena, path ? path : "<template>");
	tpl->name = name ? arena_strdup(&set->arena, name) : NULL;
	tpl->root.kind = K_SECTION;
	if (!p.errors)
		parse_nodes(&p, &i, NULL, &tpl->root.kids, &tpl->root.nkids, &cs, 0);
	free(p.toks);
	linemap_release(&p.lines);
	if (p.errors)
		tpl = NULL;
	if (name) {
		struct named *nm = find_named(set, name);

		if (!nm) {
			ALLOC_GROW(set->named, set->nnamed + 1, set->anamed);
			nm = &set->named[set->nnamed++];
			nm->name = arena_strdup(&set->arena, name);
		}
		nm->tpl = tpl;
	}
	return tpl;
}

struct mustache_tpl *mustache_parse(struct mustache_set *set, const char *name,
				    const char *path, const char *src, size_t len)
{
	struct mustache_tpl *tpl;

	pthread_mutex_lock(&set->lock);
	tpl = parse_locked(set, name, path, src, len);
	pthread_mutex_unlock(&set->lock);
	return tpl;
}

const struct mustache_tpl *mustache_get(struct mustache_set *set, const char *name)
{
	struct named *nm;
	struct mustache_tpl *tpl = NULL;

	pthread_mutex_lock(&set->lock);
	nm = find_named(set, name);
	if (nm) {
		tpl = nm->tpl;
	} else if (set->load) {
		char *src = NULL, *path = NULL;
		size_t len = 0;
		int rc = set->load(set->load_ud, name, &src, &len, &path);

		if (rc == 0)
			tpl = parse_locked(set, name, path, src, len);
		if (rc != 0) {
			/* remember the miss, so it is looked up once */
			ALLOC_GROW(set->named, set->nnamed + 1, set->anamed);
			set->named[set->nnamed].name = arena_strdup(&set->arena, name);
			set->named[set->nnamed].tpl = NULL;
			set->nnamed++;
		}
		free(src);
		free(path);
	}
	pthread_mutex_unlock(&set->lock);
	return tpl;
}

static void warn_missing(struct mustache_set *set, const struct mustache_tpl *tpl,
			 const struct mnode *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct mnode *m = &nodes[i];

		if ((m->kind == K_PARTIAL || m->kind == K_PARENT) && !m->dynamic &&
		    !mustache_get(set, m->s))
			diag_warning(set->diag, tpl->path, m->line, m->col,
				     "%s '%s' not found: it renders as nothing",
				     m->kind == K_PARENT ? "parent" : "partial", m->s);
		warn_missing(set, tpl, m->kids, m->nkids);
	}
}

void mustache_warn_missing(struct mustache_set *set, const struct mustache_tpl *tpl)
{
	warn_missing(set, tpl, tpl->root.kids, tpl->root.nkids);
}

static void link_nodes(struct mustache_set *set, struct mnode *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct mnode *m = &nodes[i];

		if ((m->kind == K_PARTIAL || m->kind == K_PARENT) && !m->dynamic) {
			struct named *nm = find_named(set, m->s);

			m->target = nm ? nm->tpl : NULL;
		}
		link_nodes(set, m->kids, m->nkids);
	}
}

void mustache_link(struct mustache_set *set)
{
	pthread_mutex_lock(&set->lock);
	for (size_t i = 0; i < set->nnamed; i++)
		if (set->named[i].tpl)
			link_nodes(set, set->named[i].tpl->root.kids, set->named[i].tpl->root.nkids);
	pthread_mutex_unlock(&set->lock);
}

