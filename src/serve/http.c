/* Answering requests as Vercel answers them for the bundle: the routing
 * of vercel.json (cleanUrls, trailingSlash, redirects, then files, then
 * /404.html with 404), its headers in order (a later rule's value wins),
 * the content type of the file, plus what a preview needs: HEAD, ETag and
 * If-None-Match, byte ranges, gzip when the client takes it, and the
 * live-reload script in every page. Requests whose Host is not this
 * server's are refused (DNS rebinding), and nothing sends CORS headers. */
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

struct server {
	struct MHD_Daemon *mhd;
	struct live *live;
	pthread_mutex_t lock;
	struct gen *gen;		/* what requests are answered from */
	char hosts[4][80];		/* Host values accepted */
	char live_tag[80];		/* the script element, its URL versioned */
};


static struct gen *current(struct server *s)
{
	struct gen *g;

	pthread_mutex_lock(&s->lock);
	g = s->gen;
	if (g)
		gen_ref(g);
	pthread_mutex_unlock(&s->lock);
	return g;
}

void server_set_gen(struct server *s, struct gen *g)
{
	struct gen *old;

	pthread_mutex_lock(&s->lock);
	old = s->gen;
	s->gen = g;
	pthread_mutex_unlock(&s->lock);
	gen_unref(old);
}

static bool exists(void *ud, const char *file)
{
	return gen_find(ud, file) != NULL;
}

static const char *content_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".css", "text/css; charset=utf-8" },
		{ ".js", "application/javascript; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".webmanifest", "application/manifest+json; charset=utf-8" },
		{ ".xml", "application/xml; charset=utf-8" }, { ".txt", "text/plain; charset=utf-8" },
		{ ".svg", "image/svg+xml" }, { ".png", "image/png" }, { ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" }, { ".webp", "image/webp" }, { ".gif", "image/gif" },
		{ ".avif", "image/avif" }, { ".ico", "image/x-icon" }, { ".woff2", "font/woff2" },
		{ ".woff", "font/woff" }, { ".mp4", "video/mp4" }, { ".webm", "video/webm" },
		{ ".mp3", "audio/mpeg" }, { ".pdf", "application/pdf" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (str_endswith(path, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static bool compressible(const char *type)
{
	return !strncmp(type, "text/", 5) || strstr(type, "json") || strstr(type, "xml") ||
	       strstr(type, "javascript");
}

static void free_blob(void *cls)
{
	blob_unref(cls);
}

static bool accepts_gzip(struct MHD_Connection *c)
{
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");

	return ae && strstr(ae, "gzip");
}

/* Applies vercel.json's header rules for path, in order, to resp. */
static void add_rules(struct MHD_Response *resp, const struct gen *g, const char *path,
		      bool *has_type)
{
	for (size_t i = 0; i < g->nhr; i++) {
		const struct header_rule *h = &g->hr[i];

		if (!h->re || regexec(h->re, path, 0, NULL, 0))
			continue;
		for (size_t k = 0; k < h->n; k++) {
			const char *had = MHD_get_response_header(resp, h->keys[k]);

			if (had)
				MHD_del_response_header(resp, h->keys[k], had);
			MHD_add_response_header(resp, h->keys[k], h->values[k]);
			if (!strcasecmp(h->keys[k], "Content-Type"))
				*has_type = true;
		}
	}
}

/* "bytes=a-b", "bytes=a-", "bytes=-n": one range of len, or false. */
static bool parse_range(const char *r, size_t len, size_t *from, size_t *to)
{
	char *end;
	unsigned long long a, b;

	if (!r || strncmp(r, "bytes=", 6) || strchr(r, ',') || !len)
		return false;
	r += 6;
	if (*r == '-') {
		b = strtoull(r + 1, &end, 10);
		if (*end || !b)
			return false;
		*from = b >= len ? 0 : len - b;
		*to = len - 1;
		return true;
	}
	a = strtoull(r, &end, 10);
	if (*end != '-' || a >= len)
		return false;
	r = end + 1;
	b = *r ? strtoull(r, &end, 10) : len - 1;
	if ((*r && *end) || b < a)
		return false;
	*from = a;
	*to = b >= len ? len - 1 : b;
	return true;
}

static enum MHD_Result plain(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								  MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* A page with the live-reload script before </body> (the build's bytes
 * never hold it). */
static struct MHD_Response *page_response(const struct server *s, const struct blob *b)
{
	const char *body = NULL;
	size_t at, n = strlen(s->live_tag);
	char *out;

	for (const char *p = b->data; (p = strstr(p, "</body>")); p++)
		body = p;
	at = body ? (size_t)(body - b->data) : b->len;
	out = xmalloc(b->len + n);
	memcpy(out, b->data, at);
	memcpy(out + at, s->live_tag, n);
	memcpy(out + at + n, b->data + at, b->len - at);
	return MHD_create_response_from_buffer(b->len + n, out, MHD_RESPMEM_MUST_FREE);
}

/* Long because it is one response, step by step: status and file from
 * the routing, then the body form (304, range, gzip, page with the
 * script), then the headers, in the order Vercel applies them. */
static enum MHD_Result send_file(const struct server *s, struct MHD_Connection *c,
				 const struct gen *g, const char *url, const struct entry *e,
				 unsigned status)
{
	const char *type = content_type(e->path), *inm, *range, *data = e->b->data;
	const char *etag = blob_etag(e->b);
	struct MHD_Response *r;
	size_t len = e->b->len, from, to;
	bool has_type = false, gz = false, html = str_endswith(e->path, ".html");
	enum MHD_Result ret;
	char cr[96];

	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Range");
	if (status == 200 && inm && (strstr(inm, etag) || !strcmp(inm, "*"))) {
		r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		status = 304;
	} else if (status == 200 && range && !html && !compressible(type)) {
		if (!parse_range(range, len, &from, &to)) {
			r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
			snprintf(cr, sizeof(cr), "bytes */%zu", len);
			MHD_add_response_header(r, "Content-Range", cr);
			status = 416;
		} else {
			blob_ref(e->b);
			r = MHD_create_response_from_buffer_with_free_callback_cls(
				to - from + 1, (char *)data + from, free_blob, e->b);
			snprintf(cr, sizeof(cr), "bytes %zu-%zu/%zu", from, to, len);
			MHD_add_response_header(r, "Content-Range", cr);
			status = 206;
		}
	} else if (html) {
		r = page_response(s, e->b);
	} else {
		size_t glen;
		const char *gzd = compressible(type) && len >= 1024 && accepts_gzip(c) ?
				  blob_gz(e->b, &glen) : NULL;

		blob_ref(e->b);
		if (gzd) {
			r = MHD_create_response_from_buffer_with_free_callback_cls(glen, (char *)gzd,
										   free_blob, e->b);
			gz = true;
		} else {
			r = MHD_create_response_from_buffer_with_free_callback_cls(len, (char *)data,
										   free_blob, e->b);
		}
	}
	add_rules(r, g, url, &has_type);
	if (!has_type && status != 304)
		MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "ETag", etag);
	if (!html && !compressible(type))
		MHD_add_response_header(r, "Accept-Ranges", "bytes");
	if (compressible(type))
		MHD_add_response_header(r, "Vary", "Accept-Encoding");
	if (gz)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result redirect(struct MHD_Connection *c, const struct gen *g, const char *url,
				const char *to)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	unsigned status = 308;
	bool has_type = false;
	enum MHD_Result ret;

	for (size_t i = 0; i < g->nrd; i++)
		if (!strcmp(g->rd[i].from, url))
			status = g->rd[i].permanent ? 308 : 307;
	add_rules(r, g, url, &has_type);
	MHD_add_response_header(r, "Location", to);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static bool host_ok(const struct server *s, struct MHD_Connection *c)
{
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");

	if (!host)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(s->hosts); i++)
		if (s->hosts[i][0] && !strcasecmp(host, s->hosts[i]))
			return true;
	return false;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **req)
{
	struct server *s = cls;
	struct strbuf where = STRBUF_INIT;
	enum MHD_Result ret;
	struct gen *g;
	const struct entry *e;

	(void)version, (void)upload;
	/* the first call only says a request began; answering then would
	 * make libmicrohttpd close the connection after the response */
	if (!*req) {
		*req = s;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;	/* a body is read and ignored */
		return MHD_YES;
	}
	if (!host_ok(s, c))
		return plain(c, 403, "presetgen serve answers requests for its own address only "
			     "(127.0.0.1 or localhost): this Host is refused\n");
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return plain(c, 405, "presetgen serve answers GET and HEAD only\n");
	if (!strcmp(url, "/__presetgen/live.js")) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
			strlen(live_script), (void *)live_script, MHD_RESPMEM_PERSISTENT);

		MHD_add_response_header(r, "Content-Type", "application/javascript; charset=utf-8");
		MHD_add_response_header(r, "Cache-Control", "public, max-age=31536000, immutable");
		ret = MHD_queue_response(c, 200, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (!strcmp(url, "/__presetgen/events"))
		return live_events(s->live, c, MHD_lookup_connection_value(c,
						MHD_GET_ARGUMENT_KIND, "path"));
	g = current(s);
	if (!g)
		return plain(c, 503, "presetgen serve is building the site\n");
	switch (site_route(url, g->rd, g->nrd, exists, g, &where)) {
	case SITE_ROUTE_REDIRECT:
		ret = redirect(c, g, url, where.buf);
		break;
	case SITE_ROUTE_FILE:
		/* vercel.json is Vercel's configuration, not a file it serves */
		if (strcmp(where.buf, "vercel.json")) {
			ret = send_file(s, c, g, url, gen_find(g, where.buf), 200);
			break;
		}
		/* fall through */
	default:
		e = gen_find(g, "404.html");
		ret = e ? send_file(s, c, g, url, e, 404) : plain(c, 404, "not found\n");
		break;
	}
	gen_unref(g);
	strbuf_release(&where);
	return ret;
}

/* The listening socket is made here, so that a port in use is told
 * apart from any other failure. */
struct server *server_start(const char *bind_to, int port, struct live *l, int *err)
{
	struct server *s;
	struct sockaddr_in sa;
	int fd, one = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, bind_to, &sa.sin_addr) != 1) {
		*err = EINVAL;
		return NULL;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
		*err = errno;
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->live = l;
	pthread_mutex_init(&s->lock, NULL);
	snprintf(s->hosts[0], sizeof(s->hosts[0]), "%s:%d", bind_to, port);
	snprintf(s->hosts[1], sizeof(s->hosts[1]), "localhost:%d", port);
	snprintf(s->hosts[2], sizeof(s->hosts[2]), "127.0.0.1:%d", port);
	/* versioned, so browsers keep it and a new presetgen's is fetched */
	snprintf(s->live_tag, sizeof(s->live_tag),
		 "<script src=\"/__presetgen/live.js?v=%016llx\"></script>",
		 (unsigned long long)fnv1a(live_script, strlen(live_script), FNV_START));
	s->mhd = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
				  MHD_USE_ITC, (uint16_t)port, NULL, NULL, handle, s,
				  MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
				  MHD_OPTION_END);
	if (!s->mhd) {
		*err = errno ? errno : EIO;
		close(fd);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return NULL;
	}
	return s;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->mhd);
	gen_unref(s->gen);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
