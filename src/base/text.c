#include "base.h"

#include <stdint.h>
#include <string.h>

size_t utf8_invalid_at(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			/* ASCII runs eight bytes at a time */
			i++;
			while (len - i >= 8) {
				uint64_t w;

				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080ULL)
					break;
				i += 8;
			}
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 2;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 3;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 4;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (len - i < n)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* Reject overlong forms, surrogates and values past U+10FFFF. */
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n;
	}
	return len;
}

void html_escape(struct strbuf *out, const char *s, size_t len)
{
	/* 1 for the five characters that need an entity */
	static const unsigned char special[256] = {
		['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
	};
	size_t start = 0;

	strbuf_grow(out, len);
	for (size_t i = 0; i < len; i++) {
		const char *rep;

		if (!special[(unsigned char)s[i]])
			continue;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: rep = "&#39;"; break;
		}
		strbuf_add(out, s + start, i - start);
		strbuf_adds(out, rep);
		start = i + 1;
	}
	strbuf_add(out, s + start, len - start);
}

bool slugify(struct strbuf *out, const char *s, size_t len)
{
	size_t start = out->len;
	bool dash = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
			if (dash && out->len > start)
				strbuf_addch(out, '-');
			dash = false;
			strbuf_addch(out, c);
		} else if (c >= 'A' && c <= 'Z') {
			if (dash && out->len > start)
				strbuf_addch(out, '-');
			dash = false;
			strbuf_addch(out, c - 'A' + 'a');
		} else if (c >= 0x80) {
			/* Keep letters of other scripts whole; the caller
			 * has checked that s is valid UTF-8. */
			size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

			if (i + n > len)
				break;
			/* U+00A0, U+200B..U+200F, U+202A..U+202E, U+2060..U+2064
			 * and U+FEFF are spaces or invisible controls. */
			if ((n == 2 && c == 0xc2 && (unsigned char)s[i + 1] == 0xa0) ||
			    (n == 3 && c == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
			     (((unsigned char)s[i + 2] >= 0x8b && (unsigned char)s[i + 2] <= 0x8f) ||
			      ((unsigned char)s[i + 2] >= 0xaa && (unsigned char)s[i + 2] <= 0xae))) ||
			    (n == 3 && c == 0xe2 && (unsigned char)s[i + 1] == 0x81 &&
			     (unsigned char)s[i + 2] >= 0xa0 && (unsigned char)s[i + 2] <= 0xa4) ||
			    (n == 3 && c == 0xef && (unsigned char)s[i + 1] == 0xbb &&
			     (unsigned char)s[i + 2] == 0xbf)) {
				dash = true;
			} else {
				if (dash && out->len > start)
					strbuf_addch(out, '-');
				dash = false;
				strbuf_add(out, s + i, n);
			}
			i += n - 1;
		} else {
			dash = true;
		}
		/* 200 bytes is plenty for a readable URL segment. */
		if (out->len - start >= 200)
			break;
	}
	if (out->len == start) {
		strbuf_setlen(out, out->len);
		return false;
	}
	return true;
}

bool str_endswith(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}
