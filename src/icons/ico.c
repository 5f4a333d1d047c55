/* favicon.ico: an ICONDIR, one ICONDIRENTRY per size, then each image as a
 * 32-bit BGRA bitmap (BITMAPINFOHEADER, rows bottom to top, the height
 * doubled for the AND mask that follows, all zero since alpha decides).
 * This is the form Windows, every browser and Expo's own Ico.js write. */
#include "icons.h"

static void le16(struct strbuf *o, unsigned v)
{
	strbuf_addch(o, (int)(v & 0xff));
	strbuf_addch(o, (int)((v >> 8) & 0xff));
}

static void le32(struct strbuf *o, uint32_t v)
{
	le16(o, v & 0xffff);
	le16(o, v >> 16);
}

static uint32_t entry_size(int s)
{
	uint32_t mask_row = (uint32_t)((s + 31) / 32) * 4;

	return 40 + (uint32_t)s * s * 4 + mask_row * (uint32_t)s;
}

void ico_encode(const struct image *imgs, size_t n, struct strbuf *out)
{
	uint32_t off = 6 + 16 * (uint32_t)n;

	le16(out, 0);
	le16(out, 1);		/* an icon, not a cursor */
	le16(out, (unsigned)n);
	for (size_t i = 0; i < n; i++) {
		strbuf_addch(out, imgs[i].w >= 256 ? 0 : imgs[i].w);
		strbuf_addch(out, imgs[i].w >= 256 ? 0 : imgs[i].w);
		strbuf_addch(out, 0);	/* no palette */
		strbuf_addch(out, 0);
		le16(out, 1);		/* planes */
		le16(out, 32);		/* bits per pixel */
		le32(out, entry_size(imgs[i].w));
		le32(out, off);
		off += entry_size(imgs[i].w);
	}
	for (size_t i = 0; i < n; i++) {
		int s = imgs[i].w;
		uint32_t mask_row = (uint32_t)((s + 31) / 32) * 4;
		const struct image *r = &imgs[i];

		le32(out, 40);
		le32(out, (uint32_t)s);
		le32(out, (uint32_t)s * 2);
		le16(out, 1);
		le16(out, 32);
		le32(out, 0);		/* BI_RGB */
		le32(out, (uint32_t)s * s * 4 + mask_row * (uint32_t)s);
		le32(out, 0);
		le32(out, 0);
		le32(out, 0);
		le32(out, 0);
		for (int y = s - 1; y >= 0; y--)
			for (int x = 0; x < s; x++) {
				const unsigned char *p = r->px + ((size_t)y * s + x) * 4;

				strbuf_addch(out, p[2]);
				strbuf_addch(out, p[1]);
				strbuf_addch(out, p[0]);
				strbuf_addch(out, p[3]);
			}
		for (uint32_t k = 0; k < mask_row * (uint32_t)s; k++)
			strbuf_addch(out, 0);
	}
}
