/*
 * The /metrics endpoint: a minimal HTTP/1.x responder on its own thread
 * (poll over a handful of non-blocking sockets). Written here because the
 * need is one fixed GET and Debian 12 has no small C HTTP server library
 * worth a dependency (libmicrohttpd would be ~1 MB of features unused).
 *
 * Abuse limits: at most METRICS_CLIENTS connections (more are closed at
 * accept), a request head of at most METRICS_MAX_REQUEST bytes (else 431),
 * METRICS_DEADLINE_MS for a client to send its request and take the whole
 * answer (else dropped), only GET /metrics (405 / 404 otherwise), one
 * request per connection. Nothing here touches a worker: the counters are
 * read as `openwfp stats` reads them (atomics, the engine's own lock).
 */
#include "proxy/metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/alloc.h"

#define METRICS_CLIENTS 16
#define METRICS_MAX_REQUEST 4096
#define METRICS_DEADLINE_MS 5000

struct metrics_client {
	int fd;
	uint64_t deadline_ms;
	size_t len; /* request bytes read */
	char req[METRICS_MAX_REQUEST];
	char *out; /* the answer, once the request is complete */
	size_t out_len, out_off;
};

struct owfp_metrics_server {
	int lfd;
	int wake[2]; /* written once by close: the thread returns */
	owfp_proxy_addr addr;
	owfp_metrics_render_fn render;
	void *user;
	pthread_t thread;
	bool started;
	struct metrics_client *clients[METRICS_CLIENTS];
};

int owfp_metrics_server_open(const owfp_proxy_addr *addr, owfp_metrics_server **out, owfp_error *err)
{
	struct owfp_metrics_server *s = owfp_calloc(1, sizeof(*s));
	char text[80];
	int one = 1;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->wake[0] = s->wake[1] = -1;
	s->addr = *addr;
	s->lfd = socket(addr->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0 || setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s->lfd, (const struct sockaddr *)&addr->ss, addr->len) || listen(s->lfd, 16) ||
	    getsockname(s->lfd, (struct sockaddr *)&s->addr.ss, &s->addr.len) ||
	    pipe2(s->wake, O_CLOEXEC | O_NONBLOCK)) {
		int e = errno;
		snprintf(err->msg, sizeof(err->msg), "--metrics %s: %s",
			 owfp_proxy_addr_str((const struct sockaddr *)&addr->ss, text, sizeof(text)),
			 strerror(e));
		owfp_metrics_server_close(s);
		return -e;
	}
	*out = s;
	return 0;
}

const owfp_proxy_addr *owfp_metrics_server_addr(const owfp_metrics_server *s)
{
	return &s->addr;
}

static void client_drop(owfp_metrics_server *s, int i)
{
	close(s->clients[i]->fd);
	free(s->clients[i]->out);
	free(s->clients[i]);
	s->clients[i] = NULL;
}

static void client_accept(owfp_metrics_server *s)
{
	for (;;) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		int slot = -1;
		for (int i = 0; i < METRICS_CLIENTS && slot < 0; i++)
			if (!s->clients[i])
				slot = i;
		struct metrics_client *c = slot >= 0 ? owfp_calloc(1, sizeof(*c)) : NULL;
		if (!c) { /* full: closing at once keeps the backlog from filling */
			close(fd);
			continue;
		}
		c->fd = fd;
		c->deadline_ms = owfp_clock_ms() + METRICS_DEADLINE_MS;
		s->clients[slot] = c;
	}
}

/* Sets the client's answer: status line, headers and body (copied). */
static void answer(struct metrics_client *c, const char *status, const char *extra,
		   const char *body, size_t blen)
{
	char head[320];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
			 "Connection: close\r\n\r\n",
			 status,
			 strncmp(status, "200", 3) ? "text/plain; charset=utf-8"
						   : "text/plain; version=0.0.4; charset=utf-8",
			 blen, extra);
	c->out = owfp_malloc((size_t)n + blen);
	if (!c->out)
		return;
	memcpy(c->out, head, (size_t)n);
	memcpy(c->out + n, body, blen);
	c->out_len = (size_t)n + blen;
}

static void answer_text(struct metrics_client *c, const char *status, const char *extra,
			const char *text)
{
	answer(c, status, extra, text, strlen(text));
}

/* A complete request head in c->req[0..len): decide the answer. */
static void handle(owfp_metrics_server *s, struct metrics_client *c)
{
	char *sp1 = memchr(c->req, ' ', c->len);
	char *sp2 = sp1 ? memchr(sp1 + 1, ' ', c->len - (size_t)(sp1 + 1 - c->req)) : NULL;
	char *eol = memchr(c->req, '\n', c->len);

	if (!sp1 || !sp2 || !eol || sp2 > eol || strncmp(sp2 + 1, "HTTP/1.", 7)) {
		answer_text(c, "400 Bad Request", "", "bad request\n");
		return;
	}
	size_t mlen = (size_t)(sp1 - c->req), plen = (size_t)(sp2 - sp1 - 1);
	const char *path = sp1 + 1;
	if (mlen != 3 || memcmp(c->req, "GET", 3)) {
		answer_text(c, "405 Method Not Allowed", "Allow: GET\r\n", "only GET /metrics\n");
		return;
	}
	bool ours = (plen == 8 && !memcmp(path, "/metrics", 8)) ||
		    (plen > 8 && !memcmp(path, "/metrics?", 9));
	if (!ours) {
		answer_text(c, "404 Not Found", "", "only GET /metrics\n");
		return;
	}
	owfp_metrics_buf b = {0};
	if (s->render(s->user, &b) || b.oom)
		answer_text(c, "500 Internal Server Error", "", "out of memory\n");
	else
		answer(c, "200 OK", "", b.p ? b.p : "", b.len);
	owfp_metrics_buf_free(&b);
}

static bool head_complete(const struct metrics_client *c)
{
	for (size_t i = 0; i + 1 < c->len; i++) {
		if (c->req[i] == '\n' && c->req[i + 1] == '\n')
			return true;
		if (i + 3 < c->len && !memcmp(c->req + i, "\r\n\r\n", 4))
			return true;
	}
	return false;
}

/* Readable or writable: false when the client is finished (or gone). */
static bool client_step(owfp_metrics_server *s, struct metrics_client *c)
{
	while (!c->out) {
		ssize_t n = recv(c->fd, c->req + c->len, sizeof(c->req) - c->len, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return true;
		if (n <= 0)
			return false;
		c->len += (size_t)n;
		if (head_complete(c))
			handle(s, c);
		else if (c->len == sizeof(c->req))
			answer_text(c, "431 Request Header Fields Too Large", "",
				    "request too large\n");
		if (!c->out && c->len == sizeof(c->req))
			return false; /* no memory even for the error */
	}
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return true;
		if (n <= 0)
			return false;
		c->out_off += (size_t)n;
	}
	shutdown(c->fd, SHUT_WR);
	return false;
}

static void *serve(void *arg)
{
	owfp_metrics_server *s = arg;

	for (;;) {
		struct pollfd pf[METRICS_CLIENTS + 2];
		int slot[METRICS_CLIENTS + 2];
		nfds_t n = 0;
		pf[n++] = (struct pollfd){.fd = s->wake[0], .events = POLLIN};
		pf[n++] = (struct pollfd){.fd = s->lfd, .events = POLLIN};
		for (int i = 0; i < METRICS_CLIENTS; i++) {
			if (!s->clients[i])
				continue;
			slot[n] = i;
			pf[n++] = (struct pollfd){.fd = s->clients[i]->fd,
						  .events = s->clients[i]->out ? POLLOUT : POLLIN};
		}
		if (poll(pf, n, 500) < 0 && errno != EINTR)
			break;
		if (pf[0].revents)
			break;
		if (pf[1].revents & POLLIN)
			client_accept(s);
		for (nfds_t k = 2; k < n; k++)
			if (pf[k].revents && !client_step(s, s->clients[slot[k]]))
				client_drop(s, slot[k]);
		uint64_t now = owfp_clock_ms();
		for (int i = 0; i < METRICS_CLIENTS; i++)
			if (s->clients[i] && now >= s->clients[i]->deadline_ms)
				client_drop(s, i);
	}
	return NULL;
}

int owfp_metrics_server_start(owfp_metrics_server *s, owfp_metrics_render_fn render, void *user,
			      owfp_error *err)
{
	s->render = render;
	s->user = user;
	int rc = pthread_create(&s->thread, NULL, serve, s);
	if (rc) {
		snprintf(err->msg, sizeof(err->msg), "--metrics: cannot start its thread: %s",
			 strerror(rc));
		return -rc;
	}
	s->started = true;
	return 0;
}

void owfp_metrics_server_close(owfp_metrics_server *s)
{
	if (!s)
		return;
	if (s->started) {
		while (write(s->wake[1], "x", 1) < 0 && errno == EINTR)
			;
		pthread_join(s->thread, NULL);
	}
	for (int i = 0; i < METRICS_CLIENTS; i++)
		if (s->clients[i])
			client_drop(s, i);
	if (s->lfd >= 0)
		close(s->lfd);
	if (s->wake[0] >= 0)
		close(s->wake[0]);
	if (s->wake[1] >= 0)
		close(s->wake[1]);
	free(s);
}
