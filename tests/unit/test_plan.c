/* Planning, through the library: which files a site makes, listings cut
 * into pages with their pagination, groups by slug, menus that mark the
 * current page, the sitemap's order (and no 404 in it), and two inputs
 * that would write one file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "site/site.h"

static char dir[64];
static int dirfd_;
static char epoch[] = "SOURCE_DATE_EPOCH=1773482400";

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/presetgen-plan-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	dirfd_ = open(dir, O_RDONLY | O_DIRECTORY);
	mkdirat(dirfd_, "templates", 0755);
	mkdirat(dirfd_, "content", 0755);
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

static char *get(const char *name)
{
	char *buf;
	size_t len;

	if (read_file_at(dirfd_, name, &buf, &len) < 0)
		fail_msg("%s was not written", name);
	return buf;
}

static void site(void)
{
	struct strbuf dump = STRBUF_INIT;

	put("presetgen.yaml",
	    "site: {title: T}\n"
	    "environments: {production: {base_url: https://x.test}}\n"
	    "snapshots: [dump.sql]\n"
	    "collections:\n"
	    "  items:\n"
	    "    table: items\n"
	    "    fields: {id: integer, name: text, city: text}\n"
	    "    sort: [id]\n"
	    "    page: {url: \"/items/{id}/\", template: item, title: name}\n"
	    "    listing: {url: /items/, template: list, title: Items, per_page: 4}\n"
	    "    groups:\n"
	    "      city: {field: city, url: \"/items/city/{slug}/\", template: list,\n"
	    "             title: \"Items in {name}\", per_page: 2}\n");
	strbuf_adds(&dump, "COPY public.items (id, name, city) FROM stdin;\n");
	for (int i = 1; i <= 30; i++)
		strbuf_addf(&dump, "%d\tItem %d\t%s\n", i, i,
			    i % 3 == 0 ? "Cork" : i % 3 == 1 ? "Dublin" : "dublin");
	strbuf_adds(&dump, "\\.\n");
	put("dump.sql", dump.buf);
	strbuf_release(&dump);
	put("templates/page.mustache", "{{page.title}}|{{#site.menu}}{{title}}{{#current}}*"
	    "{{/current}},{{/site.menu}}\n");
	put("templates/item.mustache", "{{item.name}} in {{item.city}}\n");
	put("templates/list.mustache", "{{page.title}}: {{#items}}{{id}} {{/items}}|"
	    "{{#pagination.numbers}}{{#gap}}... {{/gap}}{{^gap}}{{number}}{{#current}}*{{/current}} "
	    "{{/gap}}{{/pagination.numbers}}|{{pagination.prev_url}}|{{pagination.next_url}}\n");
	put("content/index.md", "---\ntitle: Home\n---\n");
	put("content/about.md", "---\ntitle: About\nmenu: main\nweight: 2\n---\n");
	put("content/contact.md", "---\ntitle: Contact\nmenu: [main, main]\nweight: 1\n---\n");
	put("content/404.md", "---\ntitle: Not found\n---\n");
}

static int build(struct strbuf *errs, struct site_result *res)
{
	char *const env[] = { epoch, NULL };
	struct site_inputs in = { 0 };
	struct site_render_opts o = { 0 };
	struct diag d;
	struct site *s;
	int rc;

	in.root = dir;
	in.environ = env;
	o.out = "dist";
	diag_init(&d);
	d.capture = errs;
	s = site_load(&in, &d, res);
	rc = s ? site_render(s, &o, res) : -1;
	site_free(s);
	diag_release(&d);
	return rc;
}

static void listings_groups_menus_and_the_sitemap(void **state)
{
	struct strbuf errs = STRBUF_INIT;
	struct site_result res;
	char *s;

	(void)state;
	site();
	if (build(&errs, &res) < 0)
		fail_msg("%s", errs.buf);
	/* 4 content pages, 30 items, 8 listing pages, Cork 5 and Dublin 10 group pages */
	assert_int_equal(res.pages, 4 + 30 + 8 + 5 + 10);
	s = get("dist/items/page/2/index.html");
	assert_string_equal(s, "Items: 5 6 7 8 |1 2* 3 4 ... 8 |/items/|/items/page/3/\n");
	free(s);
	s = get("dist/items/page/8/index.html");
	assert_string_equal(s, "Items: 29 30 |1 ... 6 7 8* |/items/page/7/|\n");
	free(s);
	/* Dublin and dublin share one page, named by the spelling most rows use */
	s = get("dist/items/city/dublin/index.html");
	assert_string_equal(s, "Items in Dublin: 1 2 |1* 2 3 ... 10 ||/items/city/dublin/page/2/\n");
	free(s);
	s = get("dist/items/city/cork/page/5/index.html");
	assert_string_equal(s, "Items in Cork: 27 30 |1 ... 3 4 5* |/items/city/cork/page/4/|\n");
	free(s);
	/* menus in weight order, the page itself marked; a menu named twice
	 * lists its page once */
	s = get("dist/about/index.html");
	assert_string_equal(s, "About|Contact,About*,\n");
	free(s);
	s = get("dist/index.html");
	assert_string_equal(s, "Home|Contact,About,\n");
	free(s);
	/* the sitemap: content, then a collection's groups, its listing, its
	 * rows; no 404 */
	s = get("dist/sitemap.xml");
	assert_non_null(strstr(s, "<loc>https://x.test/about/</loc>"));
	assert_null(strstr(s, "404"));
	assert_true(strstr(s, "https://x.test/about/") < strstr(s, "https://x.test/items/city/"));
	assert_true(strstr(s, "https://x.test/items/city/") < strstr(s, "https://x.test/items/page/8/"));
	assert_true(strstr(s, "https://x.test/items/page/8/") < strstr(s, "https://x.test/items/1/"));
	free(s);
	strbuf_release(&errs);
}

static void two_inputs_that_write_one_file(void **state)
{
	struct strbuf errs = STRBUF_INIT;
	struct site_result res;

	(void)state;
	site();
	mkdirat(dirfd_, "content/items", 0755);
	put("content/items/3.md", "---\ntitle: clash\n---\n");
	assert_int_equal(build(&errs, &res), -1);
	assert_string_equal(errs.buf, "dump.sql: error: writes items/3/index.html, as "
			    "content/items/3.md does\n");
	/* and nothing was written */
	assert_false(path_exists_at(dirfd_, "dist"));
	strbuf_release(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(listings_groups_menus_and_the_sitemap, setup, teardown),
		cmocka_unit_test_setup_teardown(two_inputs_that_write_one_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
