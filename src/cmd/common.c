/* What the commands share: usage messages and option values. */
#include "cmd.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void print_usage(FILE *f, const char *const *lines)
{
	for (; *lines; lines++)
		fprintf(f, "%s\n", *lines);
}

int usage_error(const char *const *usage, const char *fmt, const char *arg)
{
	fputs("presetgen: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fprintf(stderr, "%s\n", usage[0]);
	return EXIT_USAGE;
}

bool parse_count(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || !*s || *end || v < 1 || v > 1024)
		return false;
	*out = (int)v;
	return true;
}

char *absolute(char *path)
{
	char cwd[PATH_MAX];
	struct strbuf sb = STRBUF_INIT;

	if (!path || path[0] == '/')
		return path;
	if (!getcwd(cwd, sizeof(cwd)))
		return path;	/* then it stays relative to the site */
	strbuf_addf(&sb, "%s/%s", cwd, path);
	free(path);
	return strbuf_detach(&sb, NULL);
}

void catch_stop_signals(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
