/* Live reload: each open page holds one Server-Sent Events connection
 * (/__presetgen/events?path=/the/page/) and is told, after each rebuild
 * has been swapped in (never before), one of: reload (its page changed),
 * css (only stylesheets changed: swap them in place), failed (the build
 * broke: show the overlay over the last good page) or fixed (the overlay
 * goes). A page opened while the build is broken gets failed at once. */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char live_script[] =
	"/* presetgen serve: reloads this page when a rebuild changes it, swaps\n"
	" * stylesheets in place, and shows build errors. Not in built sites. */\n"
	"(function () {\n"
	"  'use strict';\n"
	"  var es = new EventSource('/__presetgen/events?path=' +\n"
	"    encodeURIComponent(location.pathname));\n"
	"  window.__presetgen = { updates: 0, swaps: 0, errors: 0 };\n"
	"  function overlay() { return document.getElementById('__presetgen_overlay'); }\n"
	"  function reload() { es.close(); location.reload(); }\n"
	"  function scripts(body) {\n"
	"    return Array.prototype.some.call(body.querySelectorAll('script'), function (s) {\n"
	"      return (s.getAttribute('src') || '').indexOf('/__presetgen/') !== 0;\n"
	"    });\n"
	"  }\n"
	"  function sameAttributes(a, b) {\n"
	"    return a.attributes.length === b.attributes.length &&\n"
	"      Array.prototype.every.call(a.attributes, function (x) {\n"
	"        return b.getAttribute(x.name) === x.value;\n"
	"      });\n"
	"  }\n"
	"  /* The page changed: its new body goes in place when <html> and the\n"
	"   * head are the same and no script of the page's would have to run\n"
	"   * again (as Eleventy's dev server patches a page); else a full reload. */\n"
	"  es.addEventListener('reload', function () {\n"
	"    var at = location.href;\n"
	"    fetch(at, { cache: 'no-store' }).then(function (r) {\n"
	"      if (!r.ok || r.redirected) throw new Error('reload');\n"
	"      return r.text();\n"
	"    }).then(function (html) {\n"
	"      var doc = new DOMParser().parseFromString(html, 'text/html');\n"
	"      if (location.href !== at || !doc.head.isEqualNode(document.head) ||\n"
	"          !sameAttributes(doc.documentElement, document.documentElement) ||\n"
	"          scripts(document.body) || scripts(doc.body)) throw new Error('reload');\n"
	"      document.body.replaceWith(document.adoptNode(doc.body));\n"
	"      window.__presetgen.updates++;\n"
	"      document.dispatchEvent(new Event('presetgen:updated'));\n"
	"    }).catch(reload);\n"
	"  });\n"
	"  es.addEventListener('css', function (e) {\n"
	"    var map = JSON.parse(e.data);\n"
	"    document.querySelectorAll('link[rel=stylesheet]').forEach(function (old) {\n"
	"      var to = map[new URL(old.href).pathname];\n"
	"      if (!to) return;\n"
	"      var link = old.cloneNode();\n"
	"      link.href = to.href;\n"
	"      if (to.integrity) link.integrity = to.integrity; else link.removeAttribute('integrity');\n"
	"      /* the new sheet applies before the old goes: no unstyled flash */\n"
	"      link.addEventListener('load', function () { old.remove(); window.__presetgen.swaps++; });\n"
	"      old.after(link);\n"
	"    });\n"
	"  });\n"
	"  es.addEventListener('failed', function (e) {\n"
	"    var errs = JSON.parse(e.data), o = overlay();\n"
	"    window.__presetgen.errors = errs.length;\n"
	"    if (o) o.remove();\n"
	"    o = document.createElement('div');\n"
	"    o.id = '__presetgen_overlay';\n"
	"    o.setAttribute('role', 'alert');\n"
	"    var st = o.style;\n"
	"    st.position = 'fixed'; st.inset = '0'; st.zIndex = '2147483647'; st.overflow = 'auto';\n"
	"    st.background = 'rgba(20,20,20,0.97)'; st.color = '#fff'; st.padding = '24px';\n"
	"    st.font = '14px/1.5 ui-monospace, monospace';\n"
	"    var h = document.createElement('h2');\n"
	"    h.textContent = 'The build failed: this is the last good page';\n"
	"    o.appendChild(h);\n"
	"    errs.forEach(function (m) {\n"
	"      var p = document.createElement('pre');\n"
	"      p.style.whiteSpace = 'pre-wrap';\n"
	"      p.textContent = m.where + ': ' + m.kind + ': ' + m.text +\n"
	"        (m.source ? '\\n  ' + m.source + '\\n  ' + ' '.repeat(Math.max(0, m.col - 1)) + '^' : '');\n"
	"      o.appendChild(p);\n"
	"    });\n"
	"    document.body.appendChild(o);\n"
	"  });\n"
	"  es.addEventListener('fixed', function () {\n"
	"    var o = overlay();\n"
	"    if (o) o.remove();\n"
	"    window.__presetgen.errors = 0;\n"
	"  });\n"
	"})();\n";

struct live {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	long seq;			/* rebuilds published */
	char **changed;			/* output paths, sorted */
	size_t nchanged;
	char *css;			/* JSON, or NULL */
	char *errors;			/* JSON, or NULL */
	bool stopped;
};

struct client {
	struct live *l;
	char *files[2];			/* the outputs its path may be */
	long seen;
	bool greeted, failed;
	struct strbuf out;		/* what is still to send */
	size_t off;
};

struct live *live_new(void)
{
	struct live *l = xcalloc(1, sizeof(*l));
	pthread_condattr_t ca;

	pthread_mutex_init(&l->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&l->cond, &ca);
	pthread_condattr_destroy(&ca);
	return l;
}

static void clear(struct live *l)
{
	for (size_t i = 0; i < l->nchanged; i++)
		free(l->changed[i]);
	free(l->changed);
	free(l->css);
	free(l->errors);
	l->changed = NULL;
	l->nchanged = 0;
	l->css = l->errors = NULL;
}

void live_publish(struct live *l, long gen, const char *const *changed, size_t nchanged,
		  const char *css_json, const char *errors_json)
{
	(void)gen;
	pthread_mutex_lock(&l->lock);
	clear(l);
	l->changed = xcalloc(nchanged + 1, sizeof(*l->changed));
	for (size_t i = 0; i < nchanged; i++)
		l->changed[i] = xstrdup(changed[i]);
	l->nchanged = nchanged;
	l->css = css_json ? xstrdup(css_json) : NULL;
	l->errors = errors_json ? xstrdup(errors_json) : NULL;
	l->seq++;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
}

void live_stop(struct live *l)
{
	pthread_mutex_lock(&l->lock);
	l->stopped = true;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
}

void live_free(struct live *l)
{
	clear(l);
	pthread_cond_destroy(&l->cond);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool changed(const struct live *l, const struct client *c)
{
	for (int i = 0; i < 2; i++)
		if (c->files[i] && bsearch(&c->files[i], l->changed, l->nchanged,
					   sizeof(*l->changed), cmp_str))
			return true;
	return false;
}

/* What this client is told of the latest rebuild (the lock held). */
static void event(struct client *c)
{
	struct live *l = c->l;

	if (l->errors) {
		strbuf_addf(&c->out, "event: failed\ndata: %s\n\n", l->errors);
		c->failed = true;
		return;
	}
	if (c->failed)
		strbuf_adds(&c->out, "event: fixed\ndata: {}\n\n");
	c->failed = false;
	if (changed(l, c))
		strbuf_adds(&c->out, "event: reload\ndata: {}\n\n");
	else if (l->css)
		strbuf_addf(&c->out, "event: css\ndata: %s\n\n", l->css);
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct client *c = cls;
	struct live *l = c->l;
	struct timespec until;
	size_t n;

	(void)pos;
	pthread_mutex_lock(&l->lock);
	if (!c->greeted) {
		c->greeted = true;
		c->seen = l->seq;
		strbuf_adds(&c->out, ": presetgen serve\n\n");
		if (l->errors)
			event(c);
	}
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += 15;
	while (c->off == c->out.len && !l->stopped && c->seen == l->seq)
		if (pthread_cond_timedwait(&l->cond, &l->lock, &until) == ETIMEDOUT) {
			strbuf_adds(&c->out, ": ping\n\n");
			break;
		}
	if (l->stopped) {
		pthread_mutex_unlock(&l->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (c->seen != l->seq) {
		c->seen = l->seq;
		event(c);
	}
	pthread_mutex_unlock(&l->lock);
	n = c->out.len - c->off < max ? c->out.len - c->off : max;
	memcpy(buf, c->out.buf + c->off, n);
	c->off += n;
	if (c->off == c->out.len) {
		strbuf_reset(&c->out);
		c->off = 0;
	}
	return (ssize_t)n;
}

static void client_free(void *cls)
{
	struct client *c = cls;

	free(c->files[0]);
	free(c->files[1]);
	strbuf_release(&c->out);
	free(c);
}

enum MHD_Result live_events(struct live *l, struct MHD_Connection *conn, const char *path)
{
	struct client *c = xcalloc(1, sizeof(*c));
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t n;

	c->l = l;
	strbuf_init(&c->out);
	/* the outputs a page's URL may come from: /x/ is x/index.html (or
	 * x.html), /x is x.html or x */
	if (!path || path[0] != '/')
		path = "/";
	n = strlen(path);
	if (path[n - 1] == '/') {
		c->files[0] = xmalloc(n + 11);
		snprintf(c->files[0], n + 11, "%sindex.html", path + 1);
		if (n > 1) {
			c->files[1] = xstrndup(path + 1, n - 2);
			c->files[1] = xrealloc(c->files[1], n + 4);
			strcat(c->files[1], ".html");
		}
	} else {
		c->files[0] = xstrdup(path + 1);
		c->files[1] = xmalloc(n + 5);
		snprintf(c->files[1], n + 5, "%s.html", path + 1);
	}
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, c, client_free);
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(conn, 200, r);
	MHD_destroy_response(r);
	return ret;
}
