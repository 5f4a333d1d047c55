/* Collections: rows admitted by where, converted by declared types, sorted
 * with the key as the last tie-break, private rows cut to their private
 * fields, labels, URLs made from slugs, relations both ways, and errors
 * with their places - from presetgen.yaml and a snapshot written here. */
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
#include "data/data.h"
#include "site/internal.h"

static char dir[64];
static int dirfd_;

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/presetgen-coll-XXXXXX");
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

static const char *config =
	"site: {title: T}\n"
	"environments: {production: {base_url: https://x.test}}\n"
	"collections:\n"
	"  people:\n"
	"    table: people\n"
	"    fields: {id: integer, name: text, secret_note: text, visibility: text}\n"
	"    private: {when: {visibility: private}, fields: [id, name]}\n"
	"    page: {url: \"/u/{name}/\", template: page, title: name}\n"
	"    has_many:\n"
	"      gigs: {collection: gigs, field: [owner, talent], limit: 2}\n"
	"  gigs:\n"
	"    table: gigs\n"
	"    where: {status: {in: [PUBLISHED]}}\n"
	"    fields:\n"
	"      id: integer\n"
	"      title: text\n"
	"      rate: numeric(10,2)\n"
	"      paid: boolean\n"
	"      comp: text\n"
	"      created: timestamptz\n"
	"      tags: text[]\n"
	"    labels: {comp: {PAID: Paid, TFP: Trade, _null: Unknown}}\n"
	"    sort: [-created, id]\n"
	"    belongs_to: {boss: {collection: people, field: owner}}\n"
	"    page: {url: \"/gigs/{title}/\", template: page, title: title}\n";

static const char *dump_head = "COPY public.people (id, name, secret_note, visibility) FROM stdin;\n"
	"1\tAda\tnever shown\tpublic\n"
	"2\tBob\tbob's diary\tprivate\n"
	"\\.\n"
	"COPY public.gigs (id, title, rate, paid, comp, created, tags, status, owner, talent) FROM stdin;\n";

struct built {
	struct arena a;
	struct diag d;
	struct strbuf errs;
	struct config cfg;
	struct snapshot snap;
	struct coll *colls;
	struct slugger *slugs;
	int rc;
};

static bool segment(void *ud, struct strbuf *out, const char *s, size_t len, bool *renamed)
{
	return url_segment(ud, out, s, len, renamed);
}

static void build(struct built *b, const char *gig_rows)
{
	struct strbuf dump = STRBUF_INIT;
	struct snapshot_need *needs;
	size_t n;
	struct cbuild cb;

	memset(b, 0, sizeof(*b));
	diag_init(&b->d);
	strbuf_init(&b->errs);
	b->d.capture = &b->errs;
	put("presetgen.yaml", config);
	strbuf_addf(&dump, "%s%s\\.\n", dump_head, gig_rows);
	put("dump.sql", dump.buf);
	strbuf_release(&dump);
	assert_int_equal(config_load(&b->cfg, dirfd_, "presetgen.yaml", &b->a, &b->d), 0);
	snapshot_init(&b->snap);
	n = collections_needs(b->cfg.colls, b->cfg.ncolls, &needs, &b->a);
	assert_int_equal(snapshot_load(&b->snap, dirfd_, "dump.sql", needs, n, &b->a, &b->d), 0);
	memset(&cb, 0, sizeof(cb));
	cb.a = &b->a;
	cb.d = &b->d;
	cb.tz = tz_find("UTC");
	cb.base_url = "https://x.test";
	b->slugs = slugger_new(SLUG_ASCII);
	cb.segment = segment;
	cb.segment_ud = b->slugs;
	b->rc = collections_build(&cb, b->cfg.colls, b->cfg.ncolls, &b->snap, &b->colls);
}

static void done(struct built *b)
{
	slugger_free(b->slugs);
	collections_free(b->colls, b->cfg.ncolls);
	snapshot_release(&b->snap);
	strbuf_release(&b->errs);
	diag_release(&b->d);
	arena_release(&b->a);
}

static const char *text(const struct value *row, const char *key)
{
	static struct strbuf sb = STRBUF_INIT;
	const struct value *v = value_map_get(row, key);

	strbuf_reset(&sb);
	if (!v)
		return "(absent)";
	value_to_text(&sb, v);
	return sb.buf;
}

static void admits_converts_and_sorts(void **state)
{
	struct built b;
	const struct coll *g;

	(void)state;
	build(&b, "10\tOld shoot\t50\tt\tPAID\t2026-01-01 10:00:00+00\t{a,\"b c\"}\tPUBLISHED\t1\t2\n"
		  "11\tDraft shoot\t0\tf\tTFP\t2026-03-01 10:00:00+00\t{}\tDRAFT\t1\t\\N\n"
		  "12\tNew shoot\t12.5\tf\t\\N\t2026-02-01 10:00:00+00\t\\N\tPUBLISHED\t2\t1\n"
		  "13\tTie\t1\tf\tTFP\t2026-02-01 10:00:00+00\t{}\tPUBLISHED\t2\t\\N\n");
	assert_int_equal(b.rc, 0);
	g = &b.colls[1];
	assert_int_equal(g->nrows, 3);	/* the draft is not admitted */
	/* newest first; the tie on created goes to the lower id */
	assert_string_equal(text(g->rows[0].v, "id"), "12");
	assert_string_equal(text(g->rows[1].v, "id"), "13");
	assert_string_equal(text(g->rows[2].v, "id"), "10");
	/* numerics keep the declared scale, booleans and labels */
	assert_string_equal(text(g->rows[0].v, "rate"), "12.50");
	assert_string_equal(text(g->rows[2].v, "rate"), "50.00");
	assert_string_equal(text(g->rows[2].v, "paid"), "true");
	assert_string_equal(text(g->rows[2].v, "comp_label"), "Paid");
	assert_string_equal(text(g->rows[0].v, "comp_label"), "Unknown");
	assert_int_equal(value_map_get(g->rows[2].v, "tags")->len, 2);
	assert_string_equal(value_map_get(g->rows[2].v, "tags")->u.items[1]->u.s, "b c");
	/* URLs from slugs */
	assert_string_equal(g->rows[2].url, "/gigs/old-shoot/");
	assert_string_equal(g->rows[2].out, "gigs/old-shoot/index.html");
	assert_string_equal(text(g->rows[2].v, "permalink"), "https://x.test/gigs/old-shoot/");
	done(&b);
}

static void private_rows_show_only_their_private_fields(void **state)
{
	struct built b;
	const struct coll *p;

	(void)state;
	build(&b, "");
	assert_int_equal(b.rc, 0);
	p = &b.colls[0];
	assert_int_equal(p->nrows, 2);
	for (size_t i = 0; i < p->nrows; i++) {
		const struct value *v = p->rows[i].v;

		/* secret_note is a field, but never of a private row */
		if (!strcmp(text(v, "name"), "Bob")) {
			assert_true(p->rows[i].restricted);
			assert_string_equal(text(v, "secret_note"), "(absent)");
			assert_string_equal(text(v, "visibility"), "(absent)");
			assert_string_equal(text(v, "private"), "true");
		} else {
			assert_false(p->rows[i].restricted);
			assert_string_equal(text(v, "secret_note"), "never shown");
		}
	}
	done(&b);
}

static void relations_both_ways(void **state)
{
	struct built b;
	const struct coll *p, *g;
	const struct value *ada, *gigs;

	(void)state;
	build(&b, "10\tA\t1\tt\tPAID\t2026-01-01 10:00:00+00\t{}\tPUBLISHED\t1\t1\n"
		  "11\tB\t1\tt\tPAID\t2026-01-02 10:00:00+00\t{}\tPUBLISHED\t1\t\\N\n"
		  "12\tC\t1\tt\tPAID\t2026-01-03 10:00:00+00\t{}\tPUBLISHED\t1\t\\N\n"
		  "13\tD\t1\tt\tPAID\t2026-01-04 10:00:00+00\t{}\tPUBLISHED\t9\t\\N\n");
	assert_int_equal(b.rc, 0);
	p = &b.colls[0];
	g = &b.colls[1];
	ada = strcmp(text(p->rows[0].v, "name"), "Ada") ? p->rows[1].v : p->rows[0].v;
	/* three gigs name Ada, one of them twice (owner and talent): counted once */
	assert_string_equal(text(ada, "gigs_count"), "3");
	gigs = value_map_get(ada, "gigs");
	assert_int_equal(gigs->len, 2);	/* the limit */
	assert_string_equal(text(gigs->u.items[0], "title"), "C");
	/* belongs_to: a gig's boss, or null for an owner who is nobody */
	assert_string_equal(text(value_map_get(g->rows[3].v, "boss"), "name"), "Ada");
	assert_int_equal(value_map_get(g->rows[0].v, "boss")->type, V_NULL);
	/* a private owner is shown as a private row */
	done(&b);
}

static void bad_values_name_file_line_and_column(void **state)
{
	struct built b;

	(void)state;
	build(&b, "10\tA\t1.234\tt\tPAID\t2026-01-01 10:00:00+00\t{}\tPUBLISHED\t1\t\\N\n"
		  "11\tB\t1\tmaybe\tPAID\tyesterday\t{}\tPUBLISHED\t1\t\\N\n");
	assert_int_equal(b.rc, -1);
	assert_string_equal(b.errs.buf,
		"dump.sql:6:6: error: table 'gigs', column 'rate': expected a number with at most 2 "
		"digits after the point, found '1.234'\n"
		"dump.sql:7:8: error: table 'gigs', column 'paid': expected t or f, found 'maybe'\n"
		"dump.sql:7:19: error: table 'gigs', column 'created': expected a timestamp with time "
		"zone such as 2026-03-14 10:00:00+00, found 'yesterday'\n");
	done(&b);
}

static void two_rows_at_one_url_are_an_error(void **state)
{
	struct built b;

	(void)state;
	build(&b, "10\tSame Title\t1\tt\tPAID\t2026-01-01 10:00:00+00\t{}\tPUBLISHED\t1\t\\N\n"
		  "11\tsame-title\t1\tt\tPAID\t2026-01-02 10:00:00+00\t{}\tPUBLISHED\t1\t\\N\n");
	assert_int_equal(b.rc, -1);
	assert_non_null(strstr(b.errs.buf, "collections.gigs: the rows '11' and '10' both make the "
				   "page /gigs/same-title/"));
	done(&b);
}

static void json_cells_keep_their_json_type(void **state)
{
	struct arena a = ARENA_INIT;
	struct strbuf errs = STRBUF_INIT;
	struct snapshot s;
	struct diag d;
	const char *cols[] = { "id", "n", "ok", "tags" };
	struct snapshot_need need = { "t", cols, 4 };
	const struct table *t;

	(void)state;
	diag_init(&d);
	d.capture = &errs;
	snapshot_init(&s);
	put("s.json", "{\"t\": [{\"id\": 1, \"n\": 0.1, \"ok\": true, \"tags\": [\"a\", null]},"
		      " {\"id\": \"x\", \"n\": null, \"ok\": \"t\", \"tags\": {\"k\": 1}}]}");
	assert_int_equal(snapshot_load(&s, dirfd_, "s.json", &need, 1, &a, &d), 0);
	t = snapshot_table(&s, "t");
	/* PostgreSQL's text: numbers in their shortest form, t and f */
	assert_string_equal(table_cell(t, 0, 1)->s, "0.1");
	assert_int_equal(table_cell(t, 0, 1)->kind, CELL_REAL);
	assert_string_equal(table_cell(t, 0, 2)->s, "t");
	assert_int_equal(table_cell(t, 0, 2)->kind, CELL_BOOL);
	assert_string_equal(table_cell(t, 0, 3)->s, "[\"a\",null]");
	assert_int_equal(table_cell(t, 0, 3)->kind, CELL_ARRAY);
	assert_null(table_cell(t, 1, 1)->s);
	assert_int_equal(table_cell(t, 1, 2)->kind, CELL_TEXT);
	assert_int_equal(table_cell(t, 1, 3)->kind, CELL_OBJECT);
	snapshot_release(&s);
	strbuf_release(&errs);
	diag_release(&d);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(admits_converts_and_sorts, setup, teardown),
		cmocka_unit_test_setup_teardown(private_rows_show_only_their_private_fields, setup,
						teardown),
		cmocka_unit_test_setup_teardown(relations_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_values_name_file_line_and_column, setup, teardown),
		cmocka_unit_test_setup_teardown(two_rows_at_one_url_are_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(json_cells_keep_their_json_type, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
