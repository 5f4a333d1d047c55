/* Writes a deterministic pg_dump-style snapshot of N gigs in the shape of
 * schema.sql (users_profile, user_settings, gigs, showcases), for make bench.
 *
 *   benchgen N > snapshot.sql
 *
 * One profile per 10 gigs, one showcase per 20; a tenth of the gigs are not
 * published; text carries escapes, arrays and Unicode as real exports do. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	/* xorshift64*: the same numbers on every machine */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

static void uuid(char *out, uint64_t tag, uint64_t n)
{
	snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-8%03" PRIx64 "-%012" PRIx64,
		 tag & 0xffffffff, (n >> 32) & 0xffff, (n >> 16) & 0xfff, n & 0xfff, n * 2654435761u);
}

static void ts(char *out, int64_t sec)
{
	int64_t days = sec / 86400, rem = sec % 86400;
	/* civil_from_days */
	int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
	int y = (int)(yoe + era * 400 + (m <= 2));

	snprintf(out, 40, "%04d-%02d-%02d %02d:%02d:%02d+00", y, m, d, (int)(rem / 3600),
		 (int)(rem % 3600 / 60), (int)(rem % 60));
}

static const char *cities[] = { "Dublin", "Cork", "Galway", "Limerick", "Waterford", "Belfast",
				"London", "Manchester", "Berlin", "Paris", "Lisboa", "Dún Laoghaire",
				"København", "Αθήνα", "Kraków", "dublin" };
static const char *comps[] = { "TFP", "PAID", "EXPENSES" };
static const char *purposes[] = { "PORTFOLIO", "COMMERCIAL", "EDITORIAL", "FASHION", "BEAUTY",
				  "LIFESTYLE", "WEDDING", "EVENT", "\\N" };
static const char *words[] = { "Golden hour", "Studio", "Editorial", "Streetwear", "Bridal",
			       "Lookbook", "Portrait", "Campaign", "Film", "Beauty", "Rooftop",
			       "Harbour", "Vintage", "Neon", "Coastal", "Minimal" };

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000;
	long np = n / 10 > 0 ? n / 10 : 1, ns = n / 20;
	char id[40], owner[40], t1[40], t2[40], t3[40], t4[40];
	const int64_t base = 1735689600;	/* 2025-01-01 */

	printf("--\n-- PostgreSQL database dump (synthetic, for make bench)\n--\n\n"
	       "\\restrict bench\n\nSET client_encoding = 'UTF8';\n\n");
	printf("COPY public.users_profile (id, user_id, display_name, handle, avatar_url, bio, city, "
	       "country, style_tags, specializations, years_experience, hourly_rate_min, "
	       "hourly_rate_max, instagram_handle, website_url, portfolio_url, verified_id, "
	       "account_status, email, phone_number, created_at) FROM stdin;\n");
	for (long i = 0; i < np; i++) {
		uuid(id, 0x10000000, (uint64_t)i);
		uuid(owner, 0x20000000, (uint64_t)i);
		ts(t1, base - 86400 * 365 + (int64_t)(rnd() % (86400 * 365)));
		printf("%s\t%s\t%s %s %ld\tuser_%ld\thttps://avatars.example.net/u/%ld.jpg\t"
		       "Photographer and creative based in %s.\\nPortraits, fashion \\\\ everything "
		       "in between.\t%s\tIreland\t{portrait,\"golden hour\",film}\t{Photography}\t%d\t"
		       "%d.00\t%d.50\t\\N\twww.example.org/user_%ld\t\\N\t%s\t%s\t"
		       "user%ld@example.com\t085 %07ld\t%s\n",
		       id, owner, words[i % 16], words[(i / 16) % 16], i, i, i, cities[i % 16],
		       cities[i % 16], (int)(i % 20), 30 + (int)(i % 50), 80 + (int)(i % 70), i,
		       i % 3 ? "f" : "t", i % 50 == 7 ? "suspended" : "active", i, i, t1);
	}
	printf("\\.\n\n");
	printf("COPY public.user_settings (id, user_id, profile_id, profile_visibility) FROM stdin;\n");
	for (long i = 0; i < np; i++) {
		uuid(id, 0x30000000, (uint64_t)i);
		uuid(owner, 0x20000000, (uint64_t)i);
		uuid(t1, 0x10000000, (uint64_t)i);
		printf("%s\t%s\t%s\t%s\n", id, owner, t1, i % 25 == 3 ? "private" : "public");
	}
	printf("\\.\n\n");
	/* one profile in 20 was renamed: 500 redirects at 100,000 gigs */
	printf("COPY public.user_handle_redirects (id, user_id, old_handle, new_handle, created_at) "
	       "FROM stdin;\n");
	for (long i = 7; i < np; i += 20) {
		uuid(id, 0x60000000, (uint64_t)i);
		uuid(owner, 0x20000000, (uint64_t)i);
		printf("%s\t%s\told_user_%ld\tuser_%ld\t2025-06-01 10:00:00+00\n", id, owner, i, i);
	}
	printf("\\.\n\n");
	printf("COPY public.gigs (id, owner_user_id, title, description, comp_type, comp_details, "
	       "location_text, start_time, end_time, application_deadline, max_applicants, "
	       "usage_rights, safety_notes, status, created_at, updated_at, purpose, style_tags, "
	       "city, country, looking_for) FROM stdin;\n");
	for (long i = 0; i < n; i++) {
		int64_t created = base + (int64_t)(rnd() % (86400 * 600));
		int64_t start = created + 86400 * (int64_t)(10 + rnd() % 200);

		uuid(id, 0x40000000, (uint64_t)i);
		uuid(owner, 0x10000000, rnd() % (uint64_t)np);
		ts(t1, start);
		ts(t2, start + 3600 * 6);
		ts(t3, start - 86400 * 3);
		ts(t4, created);
		printf("%s\t%s\t%s %s shoot #%ld in %s\tWe are shooting a %s %s series.\\n\\nBring "
		       "two looks; hair and makeup on set.\\nCall time is one hour before the "
		       "start. Contact through the app only.\t%s\t\\N\tStudio %ld, %s\t%s\t%s\t%s\t%d\t"
		       "Portfolio use only, social media allowed\tDoor code 1234\t%s\t%s\t%s\t%s\t"
		       "{portrait,\"golden hour\",editorial}\t%s\tIreland\t{Model,\"Makeup Artist\"}\n",
		       id, owner, words[i % 16], words[(i / 7) % 16], i, cities[i % 16],
		       words[(i / 3) % 16], words[(i / 5) % 16], comps[i % 3], i % 40, cities[i % 16],
		       t1, t2, t3, 5 + (int)(i % 20), i % 10 == 9 ? "DRAFT" : "PUBLISHED", t4, t4,
		       purposes[i % 9], cities[i % 16]);
	}
	printf("\\.\n\n");
	printf("COPY public.showcases (id, gig_id, creator_user_id, talent_user_id, title, caption, "
	       "description, tags, palette, visibility, likes_count, views_count, created_at, "
	       "updated_at) FROM stdin;\n");
	for (long i = 0; i < ns; i++) {
		uuid(id, 0x50000000, (uint64_t)i);
		uuid(t1, 0x40000000, (uint64_t)(i * 20));
		uuid(owner, 0x10000000, rnd() % (uint64_t)np);
		uuid(t2, 0x10000000, rnd() % (uint64_t)np);
		ts(t3, base + (int64_t)(rnd() % (86400 * 600)));
		printf("%s\t%s\t%s\t%s\t\\N\t%s day, six looks\tA short series made with a great team."
		       "\\n\\n- 6 looks\\n- 2 locations\t{portrait,film}\t[\"#f2c38b\", \"#d9825b\", "
		       "\"#2f3e46\"]\t%s\t%ld\t%ld\t%s\t%s\n",
		       id, t1, owner, t2, words[i % 16], i % 5 == 4 ? "DRAFT" : "PUBLIC", i % 97,
		       i * 13 % 5000, t3, t3);
	}
	printf("\\.\n\n\\unrestrict bench\n");
	return 0;
}
