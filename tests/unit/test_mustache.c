#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/base.h"
#include "data/data.h"
#include "template/mustache.h"

struct fx {
	struct arena a;
	struct diag d;
	struct strbuf errs;
	struct strbuf out;
	struct mustache_set *set;
};

static int setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));

	diag_init(&f->d);
	strbuf_init(&f->errs);
	strbuf_init(&f->out);
	f->d.capture = &f->errs;
	f->set = mustache_set_new(&f->d);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	mustache_set_free(f->set);
	strbuf_release(&f->errs);
	strbuf_release(&f->out);
	arena_release(&f->a);
	diag_release(&f->d);
	test_free(f);
	return 0;
}

/* Renders src with JSON data; returns the output, or NULL on an error. */
static const char *render(struct fx *f, const char *src, const char *json)
{
	const struct mustache_tpl *t = mustache_parse(f->set, NULL, "t.mustache", src, strlen(src));
	struct value *ctx = json_to_value("data.json", json, strlen(json), &f->a, &f->d);

	strbuf_reset(&f->out);
	if (!t || !ctx || mustache_render(f->set, t, ctx, &f->out, &f->d) < 0)
		return NULL;
	return f->out.buf;
}

static void escapes_exactly_five_characters(void **state)
{
	struct fx *f = *state;

	assert_string_equal(render(f, "{{x}}|{{{x}}}|{{&x}}", "{\"x\": \"<a href='/'>&\\\"</a>/=`\"}"),
			    "&lt;a href=&#39;/&#39;&gt;&amp;&quot;&lt;/a&gt;/=`|<a href='/'>&\"</a>/=`|"
			    "<a href='/'>&\"</a>/=`");
}

static void data_is_never_parsed_as_a_template(void **state)
{
	struct fx *f = *state;

	assert_string_equal(render(f, "{{x}}", "{\"x\": \"{{> p}}{{=<% %>=}}{{{raw}}}\"}"),
			    "{{&gt; p}}{{=&lt;% %&gt;=}}{{{raw}}}");
}

static void falsey_values(void **state)
{
	struct fx *f = *state;

	assert_string_equal(render(f, "{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}{{#e}}E{{/e}}"
				      "{{#m}}M{{/m}}{{#z}}Z{{/z}}",
				   "{\"a\": false, \"b\": null, \"c\": \"\", \"d\": 0, \"e\": [], \"m\": {}, \"z\": \"0\"}"),
			    "MZ");
}

static void errors_name_line_and_column(void **state)
{
	struct fx *f = *state;

	assert_null(render(f, "a\n  {{#x}}\nb\n", "{}"));
	assert_string_equal(f->errs.buf, "t.mustache:2:3: error: unclosed section 'x': "
			    "expected '{{/x}}' before the end of the file\n");
	strbuf_reset(&f->errs);
	assert_null(render(f, "{{#x}}\n{{/y}}", "{}"));
	assert_string_equal(f->errs.buf, "t.mustache:2:1: error: '{{/y}}' does not close the open "
			    "section 'x' (opened at line 1, column 1): expected '{{/x}}'\n");
	strbuf_reset(&f->errs);
	assert_null(render(f, "ok {{/y}}", "{}"));
	assert_string_equal(f->errs.buf, "t.mustache:1:4: error: '{{/y}}' closes no open section\n");
	strbuf_reset(&f->errs);
	assert_null(render(f, "é {{x", "{}"));
	assert_string_equal(f->errs.buf, "t.mustache:1:3: error: unclosed tag: expected '}}' before "
			    "the end of the file\n");
	strbuf_reset(&f->errs);
	assert_null(render(f, "{{}} {{a b}}", "{}"));
	assert_int_equal(f->d.errors, 6);
}

static void runaway_recursion_is_an_error(void **state)
{
	struct fx *f = *state;
	const char *loop = "x{{>loop}}";

	mustache_parse(f->set, "loop", "loop.mustache", loop, strlen(loop));
	assert_null(render(f, "{{>loop}}", "{}"));
	assert_string_equal(f->errs.buf, "loop.mustache:1:2: error: partial 'loop' nests more than "
			    "100 levels deep: does it include itself?\n");
}

static void recursion_bounded_by_data_is_fine(void **state)
{
	struct fx *f = *state;
	const char *node = "{{n}}({{#kids}}{{>node}}{{/kids}})";

	mustache_parse(f->set, "node", "node.mustache", node, strlen(node));
	assert_string_equal(render(f, "{{>node}}",
				   "{\"n\": 1, \"kids\": [{\"n\": 2, \"kids\": [{\"n\": 3, \"kids\": []}]}, {\"n\": 4, \"kids\": []}]}"),
			    "1(2(3())4())");
}

static void overrides_reach_partials_of_the_parent(void **state)
{
	struct fx *f = *state;
	const char *base = "<head>{{>head}}</head>{{$body}}default{{/body}}";
	const char *head = "<title>{{$title}}Site{{/title}}</title>";

	mustache_parse(f->set, "base", "base.mustache", base, strlen(base));
	mustache_parse(f->set, "head", "head.mustache", head, strlen(head));
	assert_string_equal(render(f, "{{<base}}{{$title}}Page{{/title}}{{$body}}B{{/body}}{{/base}}", "{}"),
			    "<head><title>Page</title></head>B");
}

static void parsed_once_rendered_many_times(void **state)
{
	struct fx *f = *state;
	const char *src = "{{#items}}<li>{{.}}</li>{{/items}}";
	const struct mustache_tpl *t = mustache_parse(f->set, "l", "l.mustache", src, strlen(src));
	const char *json = "{\"items\": [1, 2.5, \"x\", true]}";
	struct value *ctx = json_to_value("d", json, strlen(json), &f->a, &f->d);

	for (int i = 0; i < 3; i++) {
		strbuf_reset(&f->out);
		assert_int_equal(mustache_render(f->set, t, ctx, &f->out, &f->d), 0);
		assert_string_equal(f->out.buf, "<li>1</li><li>2.5</li><li>x</li><li>true</li>");
	}
	assert_ptr_equal(mustache_get(f->set, "l"), t);
}

static void missing_partials_warn_once_checked(void **state)
{
	struct fx *f = *state;
	const char *src = "a\n {{>nope}}{{>*dyn}}";
	const struct mustache_tpl *t = mustache_parse(f->set, "w", "w.mustache", src, strlen(src));

	mustache_warn_missing(f->set, t);
	assert_string_equal(f->errs.buf, "w.mustache:2:2: warning: partial 'nope' not found: "
			    "it renders as nothing\n");
}

static void names_that_leave_the_directory(void **state)
{
	(void)state;
	assert_true(mustache_name_is_safe("header"));
	assert_true(mustache_name_is_safe("partials/head"));
	assert_false(mustache_name_is_safe("../secret"));
	assert_false(mustache_name_is_safe("a/../../b"));
	assert_false(mustache_name_is_safe("/etc/passwd"));
	assert_false(mustache_name_is_safe("a//b"));
	assert_false(mustache_name_is_safe("a/"));
	assert_false(mustache_name_is_safe(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(escapes_exactly_five_characters, setup, teardown),
		cmocka_unit_test_setup_teardown(data_is_never_parsed_as_a_template, setup, teardown),
		cmocka_unit_test_setup_teardown(falsey_values, setup, teardown),
		cmocka_unit_test_setup_teardown(errors_name_line_and_column, setup, teardown),
		cmocka_unit_test_setup_teardown(runaway_recursion_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(recursion_bounded_by_data_is_fine, setup, teardown),
		cmocka_unit_test_setup_teardown(overrides_reach_partials_of_the_parent, setup, teardown),
		cmocka_unit_test_setup_teardown(parsed_once_rendered_many_times, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_partials_warn_once_checked, setup, teardown),
		cmocka_unit_test(names_that_leave_the_directory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
