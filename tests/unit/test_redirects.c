/* Redirects from a snapshot table: values made literal paths, chains
 * followed to the current page, loops and hidden destinations left out, a
 * live page never hidden, presetgen.yaml's own first, conflicts settled by
 * byte order, and what vercel.json cannot hold made into pages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "site/internal.h"

static char dir[64];
static int dirfd_;

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/presetgen-red-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	dirfd_ = open(dir, O_RDONLY | O_DIRECTORY);
	return dirfd_ < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	close(dirfd_);
	return remove_tree(dir);
}

static void put(const char *name, const char *text)
{
	assert_int_equal(write_file_at(dirfd_, name, text, strlen(text)), 0);
}

/* The pages of the bundle: /u/ada/, /u/cara/ and /u/live/. */
static bool served(const void *ud, const char *path)
{
	(void)ud;
	return !strcmp(path, "/u/ada/") || !strcmp(path, "/u/cara/") || !strcmp(path, "/u/live/");
}

struct fx {
	struct arena a;
	struct diag d;
	struct strbuf errs;
	struct config cfg;
	struct snapshot snap;
	struct redirects rd;
	struct slugger *slugs;
};

static int make(struct fx *f, const char *rows, size_t budget)
{
	struct strbuf dump = STRBUF_INIT;
	struct snapshot_need *needs;
	size_t n;

	memset(f, 0, sizeof(*f));
	diag_init(&f->d);
	strbuf_init(&f->errs);
	f->d.capture = &f->errs;
	put("presetgen.yaml", "site: {title: T}\n"
	    "environments: {production: {base_url: https://x.test}}\n"
	    "redirects:\n"
	    "  - {from: /old-about/, to: /about/}\n"
	    "  - {table: renames, from: \"/u/{old_handle}/\", to: \"/u/{new_handle}/\"}\n");
	strbuf_addf(&dump, "COPY public.renames (id, old_handle, new_handle) FROM stdin;\n%s\\.\n",
		    rows);
	put("dump.sql", dump.buf);
	strbuf_release(&dump);
	assert_int_equal(config_load(&f->cfg, dirfd_, "presetgen.yaml", &f->a, &f->d), 0);
	snapshot_init(&f->snap);
	n = redirects_needs(&f->cfg, NULL, 0, &needs, &f->a);
	assert_int_equal(n, 1);
	assert_int_equal(snapshot_load(&f->snap, dirfd_, "dump.sql", needs, n, &f->a, &f->d), 0);
	f->slugs = slugger_new(SLUG_ASCII);
	return redirects_build(&f->cfg, &f->snap, f->slugs, served, NULL, budget, &f->a, &f->d,
			       &f->rd);
}

static void release(struct fx *f)
{
	slugger_free(f->slugs);
	snapshot_release(&f->snap);
	strbuf_release(&f->errs);
	diag_release(&f->d);
	arena_release(&f->a);
}

static void chains_loops_and_live_pages(void **state)
{
	struct fx f;
	struct strbuf got = STRBUF_INIT;

	(void)state;
	assert_int_equal(make(&f, "1\tada_old\tada_mid\n"	/* a chain: */
				  "2\tada_mid\tada\n"		/* straight to /u/ada/ */
				  "3\tloop_a\tloop_b\n"		/* a loop: left out */
				  "4\tloop_b\tloop_a\n"
				  "5\tgone\tsuspended\n"	/* ends at no page: left out */
				  "6\tlive\tcara\n"		/* a live page wins */
				  "7\t(.*)\tcara\n"		/* a literal path, never a pattern */
				  "8\t../../admin\tcara\n"
				  "9\t\\N\tcara\n"			/* NULL: no redirect */
				  "10\tclash\tcara\n"		/* two destinations: */
				  "11\tclash\tada\n", 100), 0);	/* byte order: /u/ada/ */
	for (size_t i = 0; i < f.rd.nvercel; i++)
		strbuf_addf(&got, "%s>%s ", f.rd.vercel[i].from, f.rd.vercel[i].to);
	assert_string_equal(got.buf, "/old-about/>/about/ /u/ada_mid/>/u/ada/ /u/ada_old/>/u/ada/ "
			    "/u/admin/>/u/cara/ /u/clash/>/u/ada/ ");
	assert_int_equal(f.rd.npages, 0);
	assert_int_equal(f.rd.live, 1);
	assert_int_equal(f.rd.unpublished, 3);
	assert_non_null(strstr(f.errs.buf, "found NULL: the row makes no redirect"));
	assert_non_null(strstr(f.errs.buf, "'(.*)' leaves nothing for a URL"));
	strbuf_release(&got);
	release(&f);
}

static void past_the_budget_redirects_become_pages(void **state)
{
	struct fx f;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(make(&f, "1\ta1\tada\n2\ta2\tada\n3\ta3\tada\n4\ta4\tcara\n", 3), 0);
	/* presetgen.yaml's one, then two of the table's; the rest as pages */
	assert_int_equal(f.rd.nvercel, 3);
	assert_string_equal(f.rd.vercel[0].from, "/old-about/");
	assert_int_equal(f.rd.npages, 2);
	assert_string_equal(f.rd.pages[0].from, "/u/a3/");
	redirect_page(&sb, &f.rd.pages[0], "https://x.test", "en");
	assert_non_null(strstr(sb.buf, "<link rel=\"canonical\" href=\"https://x.test/u/ada/\">"));
	assert_non_null(strstr(sb.buf, "<meta http-equiv=\"refresh\" content=\"0; url=/u/ada/\">"));
	assert_non_null(strstr(sb.buf, "<meta name=\"robots\" content=\"noindex\">"));
	strbuf_release(&sb);
	release(&f);
}

static void own_redirects_past_the_budget_are_an_error(void **state)
{
	struct fx f;

	(void)state;
	assert_int_equal(make(&f, "", 0), -1);
	if (!strstr(f.errs.buf, "presetgen.yaml:4:3: error: redirects: 1 redirects, but "
			       "vercel.json can hold 0 beside its other routes"))
		fail_msg("%s", f.errs.buf);
	release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(chains_loops_and_live_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(past_the_budget_redirects_become_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(own_redirects_past_the_budget_are_an_error, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
