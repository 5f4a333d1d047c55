/* What collections need from the snapshots: the tables and only the columns
 * presetgen.yaml names (fields, conditions, joins, relations), so that
 * nothing else is ever loaded. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static bool is_join(const struct collection_cfg *c, const char *name)
{
	for (size_t i = 0; i < c->njoins; i++)
		if (!strcmp(c->joins[i].name, name))
			return true;
	return false;
}

static void need_col(struct snapshot_need **needs, size_t *n, size_t *alloc,
		     const char *table, const char *col, struct arena *a)
{
	struct snapshot_need *nd = NULL;

	(void)a;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*needs)[i].table, table))
			nd = &(*needs)[i];
	if (!nd) {
		ALLOC_GROW(*needs, *n + 1, *alloc);
		nd = &(*needs)[(*n)++];
		nd->table = table;
		nd->cols = NULL;
		nd->ncols = 0;
	}
	for (size_t i = 0; i < nd->ncols; i++)
		if (!strcmp(nd->cols[i], col))
			return;
	nd->cols = xrealloc(nd->cols, (nd->ncols + 1) * sizeof(*nd->cols));
	nd->cols[nd->ncols++] = col;
}

size_t collections_needs(const struct collection_cfg *cs, size_t n,
			 struct snapshot_need **out, struct arena *a)
{
	struct snapshot_need *needs = NULL, *res;
	size_t nn = 0, alloc = 0;

	for (size_t i = 0; i < n; i++) {
		const struct collection_cfg *c = &cs[i];
		const struct cond *lists[] = { c->where, c->private_when, c->list_where };
		const size_t counts[] = { c->nwhere, c->nprivate_when, c->nlist_where };

		need_col(&needs, &nn, &alloc, c->table, c->key, a);
		for (size_t k = 0; k < c->nfields; k++)
			if (!is_join(c, c->fields[k].name))
				need_col(&needs, &nn, &alloc, c->table, c->fields[k].name, a);
		for (size_t l = 0; l < 3; l++)
			for (size_t k = 0; k < counts[l]; k++)
				if (!is_join(c, lists[l][k].col))
					need_col(&needs, &nn, &alloc, c->table, lists[l][k].col, a);
		for (size_t k = 0; k < c->njoins; k++) {
			need_col(&needs, &nn, &alloc, c->joins[k].table, c->joins[k].match, a);
			need_col(&needs, &nn, &alloc, c->joins[k].table, c->joins[k].column, a);
		}
		for (size_t k = 0; k < c->nbelongs; k++)
			need_col(&needs, &nn, &alloc, c->table, c->belongs[k].fields[0], a);
		for (size_t k = 0; k < c->nhas_many; k++)
			for (size_t m = 0; m < n; m++)
				if (!strcmp(cs[m].name, c->has_many[k].collection))
					for (size_t f = 0; f < c->has_many[k].nfields; f++)
						need_col(&needs, &nn, &alloc, cs[m].table,
							 c->has_many[k].fields[f], a);
	}
	/* copy into the arena so that the caller frees nothing */
	res = arena_alloc(a, (nn + 1) * sizeof(*res));
	for (size_t i = 0; i < nn; i++) {
		res[i] = needs[i];
		res[i].cols = arena_alloc(a, (needs[i].ncols + 1) * sizeof(*res[i].cols));
		memcpy(res[i].cols, needs[i].cols, needs[i].ncols * sizeof(*res[i].cols));
		free(needs[i].cols);
	}
	free(needs);
	*out = res;
	return nn;
}

