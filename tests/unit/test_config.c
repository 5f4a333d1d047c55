#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "site/internal.h"

static char path[64];

static int load(const char *yaml, struct config *cfg, struct arena *a, struct strbuf *errs)
{
	struct diag d;
	int fd;

	strcpy(path, "/tmp/presetgen-config-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(write_file(path, yaml, strlen(yaml)), 0);
	diag_init(&d);
	d.capture = errs;
	fd = config_load(cfg, AT_FDCWD, path, a, &d);
	unlink(path);
	diag_release(&d);
	return fd;
}

/* The message with the temporary path replaced by "C". */
static const char *msg(struct strbuf *errs)
{
	static char buf[2048];
	size_t n = strlen(path);
	const char *p = errs->buf;
	char *o = buf;

	while (*p && o < buf + sizeof(buf) - 2) {
		if (!strncmp(p, path, n)) {
			*o++ = 'C';
			p += n;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return buf;
}

static void reads_a_full_config(void **state)
{
	struct arena a = ARENA_INIT;
	struct strbuf errs = STRBUF_INIT;
	struct config c;

	(void)state;
	assert_int_equal(load("site:\n  title: Preset\n  language: en-IE\n  time_zone: Europe/Dublin\n"
			      "environments:\n  production:\n    base_url: https://preset.ie/\n"
			      "    index: true\n  development:\n    base_url: http://localhost:8080\n",
			      &c, &a, &errs), 0);
	assert_string_equal(c.title, "Preset");
	assert_string_equal(c.language, "en-IE");
	assert_string_equal(c.time_zone, "Europe/Dublin");
	assert_true(c.env[ENV_PRODUCTION].present);
	assert_string_equal(c.env[ENV_PRODUCTION].base_url, "https://preset.ie");
	assert_true(c.env[ENV_PRODUCTION].index);
	assert_false(c.env[ENV_DEVELOPMENT].index);
	assert_false(c.env[ENV_STAGING].present);
	assert_int_equal(env_lookup("staging"), ENV_STAGING);
	assert_int_equal(env_lookup("qa"), -1);
	strbuf_release(&errs);
	arena_release(&a);
}

static void reports_every_error_with_its_place(void **state)
{
	struct arena a = ARENA_INIT;
	struct strbuf errs = STRBUF_INIT;
	struct config c;

	(void)state;
	assert_int_equal(load("site:\n  title: T\n  language: 'en IE'\n  time_zone: Dublin\n"
			      "environments:\n  prod:\n    base_url: x\n  staging:\n    index: true\n"
			      "colour: red\n", &c, &a, &errs), -1);
	assert_string_equal(msg(&errs),
		"C:3:13: error: expected a language tag such as 'en' or 'en-IE' for 'site.language', found 'en IE'\n"
		"C:4:14: error: unknown time zone 'Dublin' for 'site.time_zone': expected one of UTC, Europe/Dublin, Europe/London, Europe/Lisbon, Atlantic/Canary, Europe/Amsterdam, Europe/Berlin, Europe/Brussels, Europe/Copenhagen, Europe/Madrid, Europe/Milan, Europe/Oslo, Europe/Paris, Europe/Prague, Europe/Rome, Europe/Stockholm, Europe/Vienna, Europe/Warsaw, Europe/Zurich, Europe/Athens, Europe/Helsinki\n"
		"C:6:3: error: unknown environment 'prod': expected one of development, staging, production\n"
		"C:9:5: error: missing key 'base_url' in 'environments.staging'\n"
		"C:10:1: error: unknown key 'colour': expected one of site, environments, "
		"snapshots, collections, feed, redirects, icon, mobile\n");
	strbuf_release(&errs);
	arena_release(&a);
}

static void not_a_mapping(void **state)
{
	struct arena a = ARENA_INIT;
	struct strbuf errs = STRBUF_INIT;
	struct config c;

	(void)state;
	assert_int_equal(load("- a\n- b\n", &c, &a, &errs), -1);
	assert_string_equal(msg(&errs), "C:1:1: error: expected a mapping with 'site' and "
			    "'environments', found a list\n");
	strbuf_reset(&errs);
	assert_int_equal(load("", &c, &a, &errs), -1);
	assert_string_equal(msg(&errs), "C:1:1: error: expected a mapping with 'site' and "
			    "'environments', found nothing\n");
	strbuf_release(&errs);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_full_config),
		cmocka_unit_test(reports_every_error_with_its_place),
		cmocka_unit_test(not_a_mapping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
