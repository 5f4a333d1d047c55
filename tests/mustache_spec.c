/* Runs the Mustache spec's own test files (all but ~lambdas) twice: through
 * the library, and through `presetgen render` as a user would run it.
 *
 *   mustache-spec SPECDIR [PRESETGEN]
 *
 * Prints one TAP line per test ("ok N - file: name" / "not ok ..."). */
#include "base/base.h"
#include "data/data.h"
#include "template/mustache.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int count, failed;

static void report(bool ok, const char *how, const char *file, const char *name,
		   const char *expected, const char *got)
{
	count++;
	if (ok) {
		printf("ok %d - %s %s: %s\n", count, how, file, name);
		return;
	}
	failed++;
	printf("not ok %d - %s %s: %s\n", count, how, file, name);
	printf("#   expected: \"%s\"\n#   got:      \"%s\"\n", expected, got ? got : "(error)");
}

static json_t *to_json(const struct value *v)
{
	json_t *j;

	switch (v->type) {
	case V_NULL: return json_null();
	case V_BOOL: return json_boolean(v->u.b);
	case V_INT: return json_integer(v->u.i);
	case V_REAL: return json_real(v->u.d);
	case V_DECIMAL:
	case V_STRING: return json_stringn(v->u.s, v->len);
	case V_TIME: return json_integer(v->u.i);
	case V_LIST:
		j = json_array();
		for (uint32_t i = 0; i < v->len; i++)
			json_array_append_new(j, to_json(v->u.items[i]));
		return j;
	case V_MAP:
		j = json_object();
		for (uint32_t i = 0; i < v->len; i++)
			json_object_set_new(j, v->u.pairs[i].key, to_json(v->u.pairs[i].val));
		return j;
	}
	return json_null();
}

static const char *get_str(const struct value *t, const char *key)
{
	const struct value *v = value_map_get(t, key);

	return v && v->type == V_STRING ? v->u.s : NULL;
}

static int write_str(const char *path, const char *s)
{
	return write_file(path, s, strlen(s));
}

/* Runs presetgen render in a scratch directory; returns its stdout. */
static char *run_cli(const char *bin, const struct value *t, const char *tmp)
{
	const struct value *partials = value_map_get(t, "partials");
	const struct value *data = value_map_get(t, "data");
	struct strbuf p = STRBUF_INIT, out = STRBUF_INIT;
	char *dump, *result = NULL;
	json_t *j;
	int pipefd[2], status;
	pid_t pid;

	remove_tree(tmp);
	strbuf_addf(&p, "%s/partials", tmp);
	if (mkdirs(p.buf) < 0)
		goto out;
	if (partials && partials->type == V_MAP)
		for (uint32_t i = 0; i < partials->len; i++) {
			strbuf_reset(&p);
			strbuf_addf(&p, "%s/partials/%s.mustache", tmp, partials->u.pairs[i].key);
			write_str(p.buf, partials->u.pairs[i].val->u.s);
		}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/template.mustache", tmp);
	write_str(p.buf, get_str(t, "template"));
	j = data ? to_json(data) : json_object();
	dump = json_dumps(j, JSON_ENCODE_ANY);
	json_decref(j);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/data.json", tmp);
	write_str(p.buf, dump);
	free(dump);
	if (pipe(pipefd) < 0)
		goto out;
	pid = fork();
	if (pid == 0) {
		char tpl[4096], dat[4096], par[4096];

		snprintf(tpl, sizeof(tpl), "%s/template.mustache", tmp);
		snprintf(dat, sizeof(dat), "%s/data.json", tmp);
		snprintf(par, sizeof(par), "%s/partials", tmp);
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		close(pipefd[1]);
		execl(bin, bin, "render", tpl, "--data", dat, "--partials", par, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		char buf[4096];
		ssize_t n = read(pipefd[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		strbuf_add(&out, buf, (size_t)n);
	}
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		result = strbuf_detach(&out, NULL);
out:
	strbuf_release(&p);
	strbuf_release(&out);
	return result;
}

static void run_file(const char *dir, const char *file, const char *bin, const char *tmp)
{
	struct strbuf path = STRBUF_INIT;
	struct arena a = ARENA_INIT;
	struct diag d;
	struct ydoc *y = NULL;
	const struct value *tests;
	struct value *doc;
	char *src;
	size_t len;

	diag_init(&d);
	strbuf_addf(&path, "%s/%s", dir, file);
	if (read_file(path.buf, &src, &len) < 0 || !(y = ydoc_load(path.buf, src, len, 0, &d))) {
		report(false, "load", file, "read", "a spec file", NULL);
		strbuf_release(&path);
		return;
	}
	doc = ydoc_to_value(y, ydoc_root(y), &a);
	tests = value_map_get(doc, "tests");
	for (uint32_t i = 0; tests && i < tests->len; i++) {
		const struct value *t = tests->u.items[i];
		const struct value *partials = value_map_get(t, "partials");
		const char *name = get_str(t, "name"), *tpl = get_str(t, "template");
		const char *expected = get_str(t, "expected");
		struct mustache_set *set = mustache_set_new(&d);
		const struct mustache_tpl *tp;
		struct strbuf out = STRBUF_INIT;
		bool ok = false;

		if (partials && partials->type == V_MAP)
			for (uint32_t k = 0; k < partials->len; k++)
				mustache_parse(set, partials->u.pairs[k].key, partials->u.pairs[k].key,
					       partials->u.pairs[k].val->u.s,
					       partials->u.pairs[k].val->len);
		tp = mustache_parse(set, NULL, name, tpl, strlen(tpl));
		if (tp && mustache_render(set, tp, value_map_get(t, "data"), &out, &d) == 0)
			ok = !strcmp(out.buf, expected);
		report(ok, "library", file, name, expected, tp ? out.buf : NULL);
		strbuf_release(&out);
		mustache_set_free(set);
		if (bin) {
			char *got = run_cli(bin, t, tmp);

			report(got && !strcmp(got, expected), "render", file, name, expected, got);
			free(got);
		}
	}
	ydoc_free(y);
	arena_release(&a);
	free(src);
	strbuf_release(&path);
	diag_release(&d);
}

int main(int argc, char **argv)
{
	char **files;
	long n;
	char tmp[] = "/tmp/presetgen-spec-XXXXXX";

	if (argc < 2) {
		fprintf(stderr, "usage: mustache-spec SPECDIR [PRESETGEN]\n");
		return 2;
	}
	if (!is_dir(argv[1])) {
		printf("# skipped: %s is absent (the Mustache spec is in ../shared)\n", argv[1]);
		return 0;
	}
	n = list_files(argv[1], ".yml", &files);
	if (n < 0 || !mkdtemp(tmp)) {
		perror(argv[1]);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		if (!strcmp(files[i], "~lambdas.yml"))
			continue;
		run_file(argv[1], files[i], argc > 2 ? argv[2] : NULL, tmp);
	}
	free_list(files, n);
	remove_tree(tmp);
	printf("# mustache spec: %d passed, %d failed\n", count - failed, failed);
	return failed ? 1 : 0;
}
