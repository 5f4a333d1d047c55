#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "site/internal.h"

static void splits_front_matter(void **state)
{
	struct diag d;
	struct strbuf errs = STRBUF_INIT;
	const char *y, *body;
	size_t n;
	const char *src = "---\ntitle: A\n---\nBody\n";
	const char *crlf = "---\r\ntitle: A\r\n...\r\nBody\r\n";

	(void)state;
	diag_init(&d);
	d.capture = &errs;
	assert_int_equal(front_matter_split("p", src, strlen(src), &y, &n, &body, &d), 0);
	assert_int_equal(n, strlen("title: A\n"));
	assert_string_equal(body, "Body\n");
	assert_int_equal(front_matter_split("p", crlf, strlen(crlf), &y, &n, &body, &d), 0);
	assert_string_equal(body, "Body\r\n");
	assert_int_equal(front_matter_split("p", "No front matter\n---\n", 20, &y, &n, &body, &d), 0);
	assert_null(y);
	assert_int_equal(front_matter_split("p", "---\ntitle: x\n", 13, &y, &n, &body, &d), -1);
	assert_string_equal(errs.buf, "p:1:1: error: front matter: expected a closing '---' line\n");
	strbuf_release(&errs);
	diag_release(&d);
}

static void dates(void **state)
{
	char buf[32];

	(void)state;
	assert_true(date_is_valid("2026-03-14"));
	assert_true(date_is_valid("2024-02-29"));
	assert_true(date_is_valid("2026-03-14T10:00"));
	assert_true(date_is_valid("2026-03-14T10:00:59Z"));
	assert_true(date_is_valid("2026-03-14 10:00:00+01:00"));
	assert_false(date_is_valid("2026-02-29"));
	assert_false(date_is_valid("2026-13-01"));
	assert_false(date_is_valid("2026-3-14"));
	assert_false(date_is_valid("2026-03-14T25:00"));
	assert_false(date_is_valid("2026-03-14T10:00+1"));
	assert_false(date_is_valid("14/03/2026"));
	date_human(buf, sizeof(buf), "2026-03-04T10:00:00Z");
	assert_string_equal(buf, "4 Mar 2026");
}

static void loads_pages_with_urls(void **state)
{
	char dir[] = "/tmp/presetgen-content-XXXXXX";
	struct strbuf p = STRBUF_INIT, errs = STRBUF_INIT;
	struct arena a = ARENA_INIT;
	struct diag d;
	struct page *pages;
	struct slugger *slugs = slugger_new(SLUG_ASCII);
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	strbuf_addf(&p, "%s/Team Notes", dir);
	assert_int_equal(mkdirs(p.buf), 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/Team Notes/First Post.md", dir);
	assert_int_equal(write_file(p.buf, "---\ntitle: First\nmenu: main\nweight: -3\n---\n# Hi\n", 47), 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/index.md", dir);
	assert_int_equal(write_file(p.buf, "Just *text*\n", 12), 0);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/hidden.md", dir);
	assert_int_equal(write_file(p.buf, "---\ndraft: true\n---\n", 20), 0);
	diag_init(&d);
	d.capture = &errs;
	assert_int_equal(content_load(AT_FDCWD, dir, false, slugs, &pages, &n, &a, &d), 0);
	assert_int_equal(n, 2);
	assert_string_equal(pages[0].url, "/team-notes/first-post/");
	assert_string_equal(pages[0].out, "team-notes/first-post/index.html");
	assert_string_equal(pages[0].title, "First");
	assert_int_equal(pages[0].weight, -3);
	assert_int_equal(pages[0].nmenus, 1);
	assert_string_equal(pages[0].html, "<h1>Hi</h1>\n");
	assert_string_equal(pages[1].url, "/");
	assert_string_equal(pages[1].title, "index");
	assert_int_equal(content_load(AT_FDCWD, dir, true, slugs, &pages, &n, &a, &d), 0);
	assert_int_equal(n, 3);
	assert_string_equal(errs.buf, "");
	remove_tree(dir);
	strbuf_release(&p);
	strbuf_release(&errs);
	arena_release(&a);
	diag_release(&d);
	slugger_free(slugs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(splits_front_matter),
		cmocka_unit_test(dates),
		cmocka_unit_test(loads_pages_with_urls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
