/* Assets: hashed names that follow the bytes (a stylesheet's covers what it
 * references), references rewritten in CSS and HTML, SRI, the manifest as
 * valid JSON whatever the names, what the CSP must allow, and errors with
 * their places. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "site/internal.h"

static char dir[64];
static int dirfd_;

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/presetgen-assets-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	dirfd_ = open(dir, O_RDONLY | O_DIRECTORY);
	mkdirat(dirfd_, "assets", 0755);
	mkdirat(dirfd_, "assets/css", 0755);
	mkdirat(dirfd_, "assets/img", 0755);
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

static void load(struct assets *as, struct diag *d, struct strbuf *errs, int want)
{
	diag_init(d);
	d->capture = errs;
	assert_int_equal(assets_load(as, dirfd_, NULL, 0, NULL, 0, d), want);
}

static void names_follow_bytes_and_references(void **state)
{
	struct assets as1, as2;
	struct strbuf errs = STRBUF_INIT;
	struct diag d;
	const struct asset *css1, *css2, *img;

	(void)state;
	put("assets/img/dot.png", "PNG1");
	put("assets/css/print.css", "a { background: url(../img/dot.png?v=1#x) }\n");
	put("assets/css/site.css", "@import \"print.css\";\n/* url(gone.png) */\nb{}\n");
	load(&as1, &d, &errs, 0);
	img = assets_find(&as1, "img/dot.png");
	css1 = assets_find(&as1, "css/site.css");
	assert_non_null(img);
	/* name.<16 hex>.ext */
	assert_int_equal(strlen(img->hashed), strlen("img/dot.") + 16 + strlen(".png"));
	assert_non_null(strstr(assets_find(&as1, "css/print.css")->data, img->hashed));
	assert_non_null(strstr(assets_find(&as1, "css/print.css")->data, "?v=1#x"));
	assert_non_null(strstr(css1->data, assets_find(&as1, "css/print.css")->hashed));
	/* a comment's url() is not a reference */
	assert_non_null(strstr(css1->data, "/* url(gone.png) */"));
	assert_int_equal(strncmp(css1->sri, "sha384-", 7), 0);
	/* the image changes: so do the stylesheets that use it, through @import */
	put("assets/img/dot.png", "PNG2");
	diag_release(&d);
	load(&as2, &d, &errs, 0);
	css2 = assets_find(&as2, "css/site.css");
	assert_string_not_equal(css1->hashed, css2->hashed);
	assets_release(&as1);
	assets_release(&as2);
	diag_release(&d);
	strbuf_release(&errs);
}

static void the_manifest_is_json_whatever_the_names(void **state)
{
	struct assets as;
	struct strbuf errs = STRBUF_INIT, out = STRBUF_INIT;
	struct diag d;
	json_error_t err;
	json_t *m;

	(void)state;
	put("assets/we\"ird\\name.txt", "x");
	put("assets/ünï.txt", "y");
	load(&as, &d, &errs, 0);
	assets_manifest(&as, &out);
	m = json_loads(out.buf, 0, &err);
	if (!m)
		fail_msg("manifest.json does not parse: %s\n%s", err.text, out.buf);
	assert_int_equal(json_object_size(m), 2);
	assert_non_null(json_string_value(json_object_get(m, "we\"ird\\name.txt")));
	assert_int_equal(strncmp(json_string_value(json_object_get(m, "ünï.txt")), "ünï.", 5), 0);
	json_decref(m);
	assets_release(&as);
	diag_release(&d);
	strbuf_release(&errs);
	strbuf_release(&out);
}

static void broken_references_are_errors_with_places(void **state)
{
	struct assets as;
	struct strbuf errs = STRBUF_INIT;
	struct diag d;

	(void)state;
	put("assets/css/site.css", "a {}\nb { background: url(\"../img/gone.png\") }\n");
	put("assets/css/a.css", "@import 'b.css';\n");
	put("assets/css/b.css", "@import 'a.css';\n");
	load(&as, &d, &errs, -1);
	assert_non_null(strstr(errs.buf, "assets/css/site.css:2:22: error: '../img/gone.png' is "
			       "not a file under assets/\n"));
	assert_non_null(strstr(errs.buf, "error: stylesheets import each other in a circle\n"));
	assets_release(&as);
	diag_release(&d);
	strbuf_release(&errs);
}

static void html_references_integrity_and_csp(void **state)
{
	struct assets as;
	struct strbuf errs = STRBUF_INIT, out = STRBUF_INIT;
	struct page_refs refs;
	struct diag d;
	const char *html =
		"<link rel=\"stylesheet\" href=\"/assets/css/site.css\">\n"
		"<script src=\"/assets/app.js\"></script>\n"
		"<img src=\"https://cdn.example/a.png\" srcset=\"/assets/img/dot.png 1x, "
		"https://img.example/b.png 2x\">\n"
		"<meta property=\"og:image\" content=\"https://x.test/assets/img/dot.png\">\n"
		"<script>var inline = 1;</script><style>b{}</style>\n"
		"<a href=\"/assets/nope.css\">x</a>\n";
	const struct asset *css, *js, *img;
	struct strbuf want = STRBUF_INIT;

	(void)state;
	put("assets/css/site.css", "b{}\n");
	put("assets/app.js", "1;\n");
	put("assets/img/dot.png", "P");
	load(&as, &d, &errs, 0);
	css = assets_find(&as, "css/site.css");
	js = assets_find(&as, "app.js");
	img = assets_find(&as, "img/dot.png");
	memset(&refs, 0, sizeof(refs));
	assert_int_equal(assets_rewrite_html(&as, "https://x.test", "index.html", "content/index.md",
					     html, strlen(html), &out, &refs, &d), -1);
	strbuf_addf(&want, "href=\"/assets/%s\" integrity=\"%s\"", css->hashed, css->sri);
	assert_non_null(strstr(out.buf, want.buf));
	strbuf_reset(&want);
	strbuf_addf(&want, "src=\"/assets/%s\" integrity=\"%s\"", js->hashed, js->sri);
	assert_non_null(strstr(out.buf, want.buf));
	strbuf_reset(&want);
	strbuf_addf(&want, "content=\"https://x.test/assets/%s\"", img->hashed);
	assert_non_null(strstr(out.buf, want.buf));
	/* the image origins and the inline hashes */
	assert_int_equal(refs.nimg, 2);
	assert_string_equal(refs.img[0], "https://cdn.example");
	assert_string_equal(refs.img[1], "https://img.example");
	assert_int_equal(refs.nscript, 1);
	assert_int_equal(refs.nstyle, 1);
	assert_int_equal(strncmp(refs.script[0], "'sha256-", 8), 0);
	assert_string_equal(errs.buf, "index.html:6:10: error: '/assets/nope.css' is not a file "
			    "under assets/ (the page is made from content/index.md)\n");
	page_refs_release(&refs);
	assets_release(&as);
	diag_release(&d);
	strbuf_release(&errs);
	strbuf_release(&out);
	strbuf_release(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(names_follow_bytes_and_references, setup, teardown),
		cmocka_unit_test_setup_teardown(the_manifest_is_json_whatever_the_names, setup, teardown),
		cmocka_unit_test_setup_teardown(broken_references_are_errors_with_places, setup,
						teardown),
		cmocka_unit_test_setup_teardown(html_references_integrity_and_csp, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
