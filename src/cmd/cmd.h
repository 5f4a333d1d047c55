/* cmd: the commands of the presetgen program. Each owns its usage text and
 * options, calls the library, prints what it is asked to print, and
 * returns an exit code; main.c only picks one. */
#ifndef PRESETGEN_CMD_H
#define PRESETGEN_CMD_H

#include "base/base.h"

#include <stdio.h>

int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_mobile(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Prints lines (NULL-terminated) to f, one per line. */
void print_usage(FILE *f, const char *const *lines);
/* "presetgen: <fmt with arg>" and the usage line, to stderr. Returns
 * EXIT_USAGE. */
int usage_error(const char *const *usage, const char *fmt, const char *arg);
/* A whole number from 1 to 1024, nothing after it. */
bool parse_count(const char *s, int *out);
/* SIGINT, SIGTERM and SIGHUP call handler (which sets a flag the
 * library watches). */
void catch_stop_signals(void (*handler)(int));
/* path made absolute against the current directory (takes path over);
 * NULL stays NULL. */
char *absolute(char *path);

#endif
