/* serve: the designer's loop. A preview server (libmicrohttpd, bound to
 * 127.0.0.1) answers exactly as Vercel will answer for the bundle the
 * build writes (its vercel.json's routing and headers), from an
 * in-memory generation of the site built for the server's own address;
 * inotify watches the inputs, a burst of changes becomes one rebuild that
 * renders only what the changes touch, and pages in the browser reload,
 * swap their stylesheet, or show the build's errors over the last good
 * page, through Server-Sent Events and one small script the server adds
 * to the pages it serves. Nothing here exits the process; serve_run
 * returns when *stop becomes non-zero. */
#ifndef PRESETGEN_SERVE_H
#define PRESETGEN_SERVE_H

#include "base/base.h"

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

struct serve_opts {
	const char *root;		/* the site; NULL: "." */
	const char *env;		/* NULL: development */
	const char *bind;		/* NULL: 127.0.0.1 */
	int port;			/* 0: the environment's base_url's, or the next free */
	bool port_given;		/* --port: in use is an error */
	const char *const *snapshots;	/* NULL: presetgen.yaml's */
	size_t nsnapshots;
	bool drafts;
	char *const *environ;
	int jobs;			/* render threads; 0: one per core */
	int debounce_ms;		/* quiet time that ends a burst; 0: 10 */
	const volatile sig_atomic_t *stop;
	/* The lines a person reads: the URL, one per rebuild. */
	void (*say)(void *ud, const char *line);
	void *say_ud;
};

/* Runs the server until *stop. Returns 0, or -1 after reporting why it
 * could not start (a port in use, a site that does not load). */
int serve_run(const struct serve_opts *o, struct diag *d);

#endif
