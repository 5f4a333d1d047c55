/* environments.ENV.public in presetgen.yaml: the values the public may see
 * (the API's URL, Supabase's URL and anon key, PostHog's key, Sentry's
 * DSN), each read from an environment variable or given as a default; and
 * the guard that keeps secrets out of anything presetgen writes. The site
 * (env.public in templates) and the app (extra in app.json) share both. */
#include "data.h"
#include "internal.h"

#include <jansson.h>
#include <stddef.h>
#include <string.h>

bool secret_name(const char *name)
{
	static const char *const marks[] = { "SECRET", "SERVICE_ROLE", "TOKEN", "PASSWORD", "PRIVATE" };

	for (size_t i = 0; i < ARRAY_SIZE(marks); i++)
		if (strcasestr(name, marks[i]))
			return true;
	return false;
}

const char *env_get(char *const *environ, const char *name)
{
	size_t n = strlen(name);

	for (char *const *e = environ; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static int b64url(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-' || c == '+')
		return 62;
	if (c == '_' || c == '/')
		return 63;
	return -1;
}

bool service_role_key(const char *v)
{
	const char *p = strchr(v, '.'), *q;
	struct strbuf out = STRBUF_INIT;
	unsigned acc = 0;
	int bits = 0;
	bool found = false;
	json_t *j, *role;

	if (!p || !(q = strchr(p + 1, '.')) || strncmp(v, "eyJ", 3))
		return false;
	for (const char *c = p + 1; c < q && *c != '='; c++) {
		int x = b64url((unsigned char)*c);

		if (x < 0)
			goto done;
		acc = (acc << 6) | (unsigned)x;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			strbuf_addch(&out, (int)((acc >> bits) & 0xff));
		}
	}
	j = json_loadb(out.buf, out.len, 0, NULL);
	role = json_object_get(j, "role");
	found = json_is_string(role) && !strcmp(json_string_value(role), "service_role");
	json_decref(j);
done:
	strbuf_release(&out);
	return found;
}

static const char *public_var(struct yread *r, const struct ynode *vn, const char *what)
{
	const char *var = ynode_scalar(vn);

	if (!var || ynode_is_null(vn) || !*var) {
		ydoc_error(r->y, vn, "expected the name of an environment variable in '%s', "
			   "found %s", what, ynode_describe(vn));
		return NULL;
	}
	if (secret_name(var)) {
		ydoc_error(r->y, vn, "'%s' names a secret (its name holds SECRET, SERVICE_ROLE, "
			   "TOKEN, PASSWORD or PRIVATE): it can never be public", var);
		return NULL;
	}
	return arena_strdup(r->a, var);
}

struct public_pair {
	const char *env, *def;
};

static const struct ykey public_keys[] = {
	{ .name = "env", .type = YK_NAME, .off = offsetof(struct public_pair, env), .required = true },
	{ .name = "default", .type = YK_STRING, .off = offsetof(struct public_pair, def) },
};

static int read_public_pair(struct yread *r, const char *name, const struct ynode *k,
			    const struct ynode *vn, void *ud)
{
	struct public_vars *p = ud;
	struct strbuf what = STRBUF_INIT;
	const char *var;
	int rc = 0;

	(void)k;
	strbuf_addf(&what, "%s.%s", p->what, name);
	if (ynode_type(vn) == YN_MAP) {
		struct public_pair pair = { 0 };

		if (yread_map(r, vn, what.buf, public_keys, ARRAY_SIZE(public_keys), &pair) < 0) {
			rc = -1;
			goto out;
		}
		if (secret_name(pair.env)) {
			rc = public_var(r, ynode_value(r->y, vn, 0), what.buf) ? 0 : -1;
			goto out;
		}
		if (pair.def && service_role_key(pair.def)) {
			rc = ydoc_error(r->y, vn, "the default of '%s' is a Supabase service_role "
					"key, which bypasses row-level security: it can never be "
					"public", what.buf);
			goto out;
		}
		var = pair.env;
		p->defaults[p->n] = pair.def;
	} else if (!(var = public_var(r, vn, what.buf))) {
		rc = -1;
		goto out;
	}
	yread_pos(r, vn, &p->at[p->n]);
	p->names[p->n] = arena_strdup(r->a, name);
	p->vars[p->n++] = var;
out:
	strbuf_release(&what);
	return rc;
}

int yread_public(struct yread *r, const struct ynode *v, struct public_vars *p, const char *what)
{
	size_t cnt;

	if (ynode_type(v) != YN_MAP)
		return ydoc_error(r->y, v, "expected a mapping of name: ENVIRONMENT_VARIABLE (or "
				  "name: {env: VARIABLE, default: VALUE}) for '%s'", what);
	cnt = ynode_count(v) + 1;
	p->what = arena_strdup(r->a, what);
	p->names = arena_calloc(r->a, cnt * sizeof(*p->names));
	p->vars = arena_calloc(r->a, cnt * sizeof(*p->vars));
	p->defaults = arena_calloc(r->a, cnt * sizeof(*p->defaults));
	p->at = arena_calloc(r->a, cnt * sizeof(*p->at));
	p->n = 0;
	return yread_each(r, v, what, read_public_pair, p);
}

int public_resolve(const struct public_vars *p, char *const *environ, struct diag *d,
		   struct arena *a, const char ***values)
{
	int rc = 0;

	*values = arena_calloc(a, (p->n + 1) * sizeof(**values));
	for (size_t i = 0; i < p->n; i++) {
		const char *v = env_get(environ, p->vars[i]);

		if (!v)
			v = p->defaults[i];
		if (v && service_role_key(v)) {
			rc = diag_error_at(d, &p->at[i], "the value of %s (%s.%s) is a Supabase "
					   "service_role key, which bypasses row-level security: "
					   "it can never be public", p->vars[i], p->what, p->names[i]);
			continue;
		}
		(*values)[i] = v ? arena_strdup(a, v) : NULL;
	}
	return rc;
}

void secrets_find(struct secrets *s, char *const *environ, struct arena *a)
{
	size_t n = 0;

	for (char *const *e = environ; e && *e; e++)
		n++;
	s->names = arena_alloc(a, (n + 1) * sizeof(*s->names));
	s->values = arena_alloc(a, (n + 1) * sizeof(*s->values));
	s->n = 0;
	for (char *const *e = environ; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		char *name;

		/* values long enough that finding one in a file is no accident */
		if (!eq || strlen(eq + 1) < 6)
			continue;
		name = arena_strndup(a, *e, (size_t)(eq - *e));
		if (!secret_name(name))
			continue;
		s->names[s->n] = name;
		s->values[s->n++] = arena_strdup(a, eq + 1);
	}
}

const char *secrets_leak(const struct secrets *s, const void *data, size_t len)
{
	for (size_t i = 0; i < s->n; i++)
		if (memmem(data, len, s->values[i], strlen(s->values[i])))
			return s->names[i];
	return NULL;
}
