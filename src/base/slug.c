/* Slugs: the path segments made from data and file names. A value is
 * normalised to NFC and case-folded (utf8proc), so that two spellings that
 * differ only in case or in composed/decomposed form share one segment;
 * under the ascii setting its Latin letters are then written as ASCII by
 * ICU's Latin-ASCII transform (Kraków -> krakow, Straße -> strasse, Æ -> ae,
 * ð -> d), which leaves other scripts alone (東京 stays 東京). Letters,
 * marks and digits of every script are kept; anything else becomes one '-'
 * between them. ASCII input takes a path with no library at all. */
#include "base.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <utf8proc.h>

/* 200 bytes is plenty for a readable URL segment. */
#define SLUG_MAX 200

struct slugger {
	enum slug_mode mode;
	UTransliterator *latin;		/* ascii: Latin-ASCII; NULL otherwise */
	pthread_mutex_t lock;		/* a transliterator is one thread's at a time */
};

struct slugger *slugger_new(enum slug_mode mode)
{
	struct slugger *s = xcalloc(1, sizeof(*s));

	s->mode = mode;
	pthread_mutex_init(&s->lock, NULL);
	if (mode == SLUG_ASCII) {
		UErrorCode st = U_ZERO_ERROR;
		UChar id[16];

		u_uastrcpy(id, "Latin-ASCII");
		s->latin = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
		if (U_FAILURE(st) || !s->latin) {
			slugger_free(s);
			return NULL;
		}
	}
	return s;
}

void slugger_free(struct slugger *s)
{
	if (!s)
		return;
	if (s->latin)
		utrans_close(s->latin);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

enum slug_mode slugger_mode(const struct slugger *s)
{
	return s->mode;
}

/* Letters, marks and digits are kept; the rest separates. */
static bool keeps(utf8proc_int32_t c)
{
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

/* Appends s (UTF-8, normalised and folded) as a slug: lower-case ASCII
 * letters, digits and '_' and the kept characters of other scripts, one
 * '-' for each run of anything else. */
static bool kernel(struct strbuf *out, const char *s, size_t len)
{
	size_t start = out->len, i = 0;
	bool dash = false;

	while (i < len && out->len - start < SLUG_MAX) {
		unsigned char c = (unsigned char)s[i];
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = 1;
		bool keep;

		if (c < 0x80) {
			keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			       (c >= '0' && c <= '9') || c == '_';
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
		} else {
			n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i),
					     &cp);
			if (n <= 0)
				break;	/* callers have checked the text is UTF-8 */
			keep = keeps(cp);
		}
		if (keep) {
			if (dash && out->len > start)
				strbuf_addch(out, '-');
			dash = false;
			if (c < 0x80)
				strbuf_addch(out, c);
			else
				strbuf_add(out, s + i, (size_t)n);
		} else {
			dash = true;
		}
		i += (size_t)n;
	}
	return out->len > start;
}

/* Latin letters of s written in ASCII, into out (s is NFC, folded). */
static bool transliterate(struct slugger *sl, const char *s, size_t len, struct strbuf *out)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0, cap = (int32_t)len * 2 + 16, limit, u8len = 0;
	UChar *u = xmalloc((size_t)cap * sizeof(*u));
	bool ok = false;

	u_strFromUTF8(u, cap, &n, s, (int32_t)len, &st);
	if (U_SUCCESS(st)) {
		limit = n;
		pthread_mutex_lock(&sl->lock);
		utrans_transUChars(sl->latin, u, &n, cap, 0, &limit, &st);
		pthread_mutex_unlock(&sl->lock);
	}
	if (U_SUCCESS(st)) {
		u_strToUTF8(NULL, 0, &u8len, u, n, &st);
		st = U_ZERO_ERROR;	/* the preflight's overflow */
		strbuf_grow(out, (size_t)u8len);
		u_strToUTF8(out->buf + out->len, u8len + 1, &u8len, u, n, &st);
		if (U_SUCCESS(st)) {
			strbuf_setlen(out, out->len + (size_t)u8len);
			ok = true;
		}
	}
	free(u);
	return ok;
}

bool slug_append(struct slugger *sl, struct strbuf *out, const char *s, size_t len)
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t n;
	struct strbuf latin = STRBUF_INIT;
	bool ascii = true, ok;

	for (size_t i = 0; i < len && ascii; i++)
		ascii = (unsigned char)s[i] < 0x80;
	if (ascii)
		return kernel(out, s, len);
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &folded,
			 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (n < 0) {
		if (n == UTF8PROC_ERROR_NOMEM)
			oom("out of memory normalising text");
		return kernel(out, s, len);	/* not UTF-8: callers check first */
	}
	if (sl->latin && transliterate(sl, (const char *)folded, (size_t)n, &latin))
		ok = kernel(out, latin.buf, latin.len);
	else
		ok = kernel(out, (const char *)folded, (size_t)n);
	strbuf_release(&latin);
	free(folded);
	return ok;
}
