/* Where a value sits in JSON text. jansson gives values, not positions;
 * to name the line and column of a bad value, and to change one number
 * in a file a person wrote without touching the rest of it, this scans
 * the text (already known to parse) for the value at a path of keys. */
#include "data.h"

#include <string.h>

struct scan {
	const char *s;
	size_t len, pos;
};

static void ws(struct scan *sc)
{
	while (sc->pos < sc->len && strchr(" \t\r\n", sc->s[sc->pos]))
		sc->pos++;
}

/* Skips a string starting at its quote; *raw_start/raw_len: its body. */
static int skip_string(struct scan *sc, size_t *body, size_t *blen)
{
	size_t start = ++sc->pos;

	while (sc->pos < sc->len && sc->s[sc->pos] != '"') {
		if (sc->s[sc->pos] == '\\')
			sc->pos++;
		sc->pos++;
	}
	if (sc->pos >= sc->len)
		return -1;
	if (body) {
		*body = start;
		*blen = sc->pos - start;
	}
	sc->pos++;
	return 0;
}

static int skip_value(struct scan *sc, int depth)
{
	char c;

	ws(sc);
	if (sc->pos >= sc->len || depth > 512)
		return -1;
	c = sc->s[sc->pos];
	if (c == '"')
		return skip_string(sc, NULL, NULL);
	if (c == '{' || c == '[') {
		char close = c == '{' ? '}' : ']';

		sc->pos++;
		for (;;) {
			ws(sc);
			if (sc->pos >= sc->len)
				return -1;
			if (sc->s[sc->pos] == close) {
				sc->pos++;
				return 0;
			}
			if (sc->s[sc->pos] == ',') {
				sc->pos++;
				continue;
			}
			if (c == '{') {
				if (sc->s[sc->pos] != '"' || skip_string(sc, NULL, NULL) < 0)
					return -1;
				ws(sc);
				if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
					return -1;
				sc->pos++;
			}
			if (skip_value(sc, depth + 1) < 0)
				return -1;
		}
	}
	while (sc->pos < sc->len && !strchr(",}] \t\r\n", sc->s[sc->pos]))
		sc->pos++;
	return 0;
}

int json_locate(const char *src, size_t len, const char *const *path, size_t n,
		size_t *start, size_t *end)
{
	struct scan sc = { src, len, 0 };

	for (size_t i = 0; i <= n; i++) {
		ws(&sc);
		if (i == n) {
			*start = sc.pos;
			if (skip_value(&sc, 0) < 0)
				return -1;
			*end = sc.pos;
			return 0;
		}
		if (sc.pos >= len || src[sc.pos] != '{')
			return -1;
		sc.pos++;
		for (;;) {
			size_t body, blen;

			ws(&sc);
			if (sc.pos >= len || src[sc.pos] == '}')
				return -1;
			if (src[sc.pos] == ',') {
				sc.pos++;
				continue;
			}
			if (src[sc.pos] != '"' || skip_string(&sc, &body, &blen) < 0)
				return -1;
			ws(&sc);
			if (sc.pos >= len || src[sc.pos] != ':')
				return -1;
			sc.pos++;
			if (blen == strlen(path[i]) && !memcmp(src + body, path[i], blen))
				break;
			if (skip_value(&sc, 0) < 0)
				return -1;
		}
	}
	return -1;
}
