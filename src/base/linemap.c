/* Line maps: the offsets where lines start, found once per file, so that
 * reporting ten thousand errors in a file costs ten thousand binary
 * searches, not ten thousand scans from its first byte. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

void linemap_init(struct linemap *lm, const char *src, size_t len)
{
	memset(lm, 0, sizeof(*lm));
	lm->src = src;
	lm->len = len;
}

void linemap_release(struct linemap *lm)
{
	free(lm->starts);
	lm->starts = NULL;
	lm->nlines = 0;
}

static void build(struct linemap *lm)
{
	size_t alloc = 0;
	const char *p = lm->src, *e = lm->src + lm->len;

	ALLOC_GROW(lm->starts, 1, alloc);
	lm->starts[lm->nlines++] = 0;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));

		if (!nl)
			break;
		p = nl + 1;
		ALLOC_GROW(lm->starts, lm->nlines + 1, alloc);
		lm->starts[lm->nlines++] = (size_t)(p - lm->src);
	}
}

void linemap_pos(struct linemap *lm, size_t off, unsigned *line, unsigned *col)
{
	size_t lo = 0, hi, from;
	unsigned c;

	if (!lm->starts)
		build(lm);
	if (off > lm->len)
		off = lm->len;
	hi = lm->nlines;
	/* the last line whose start is at or before off */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (lm->starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	/* count characters from the line's start, or from the last lookup
	 * when it was on this line and not past off */
	if (lm->last_line == lo + 1 && lm->last_off <= off && lm->last_off >= lm->starts[lo]) {
		from = lm->last_off;
		c = lm->last_col;
	} else {
		from = lm->starts[lo];
		c = 1;
	}
	for (size_t i = from; i < off; i++)
		if (((unsigned char)lm->src[i] & 0xc0) != 0x80)
			c++;
	lm->last_off = off;
	lm->last_line = (unsigned)(lo + 1);
	lm->last_col = c;
	*line = (unsigned)(lo + 1);
	*col = c;
}
