/*
 * The control socket: JSON Lines over a unix stream socket. One request
 * object per line, one reply object per line. Only the owner may connect:
 * the socket file is created mode 0600 and every peer's SO_PEERCRED uid
 * must be ours or root. Requests are bounded (OWFP_CONTROL_MAX_LINE) and
 * validated before anything acts on them.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "proxy/serve.h"
#include "config/ioctl_args.h"
#include "config/status.h"
#include "wdm/ioctl.h"
#include "util/alloc.h"

#define OWFP_CONTROL_MAX_LINE ((size_t)64 * 1024)
#define OWFP_CONTROL_MAX_CLIENTS 16
#define OWFP_CONTROL_IO_MS 2000
#define OWFP_CONTROL_MAX_DEVICE 256
#define OWFP_CONTROL_MAX_IOCTL_OUT 65536
/* A client must send a whole request line within this long of connecting
 * (or of its last reply), or it is dropped: silent clients would otherwise
 * hold all OWFP_CONTROL_MAX_CLIENTS slots and lock management out. */
#define OWFP_CONTROL_REQUEST_MS 2000
/* How long an IOCTL may stay pending before it is cancelled. Requests are
 * served one at a time on the proxy's main loop (signals, reloads, every
 * other client wait meanwhile), and the client gives up after 10 s: a
 * driver that never completes must get its cancel well before either. */
#define OWFP_CONTROL_IOCTL_MS 3000

struct control_client {
	int fd;
	uint64_t deadline_ms;
	size_t len;
	char buf[OWFP_CONTROL_MAX_LINE];
};

struct owfp_control {
	int epfd, lfd;
	char *path;
	owfp_proxy *proxy;
	owfp_proxy_manage m;
	struct control_client *clients[OWFP_CONTROL_MAX_CLIENTS];
};

static int unix_addr(const char *path, struct sockaddr_un *sa, owfp_error *err)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		snprintf(err->msg, sizeof(err->msg), "control socket path too long (max %zu): %s",
			 sizeof(sa->sun_path) - 1, path);
		return -ENAMETOOLONG;
	}
	strcpy(sa->sun_path, path);
	return 0;
}

/* A leftover socket from a dead proxy is replaced; anything else is refused. */
static int clear_stale(const char *path, const struct sockaddr_un *sa, owfp_error *err)
{
	struct stat st;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err->msg, sizeof(err->msg), "control socket %s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err->msg, sizeof(err->msg),
			 "control socket %s: exists and is not a socket", path);
		return -EEXIST;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	int e = errno;
	close(fd);
	if (rc == 0) {
		snprintf(err->msg, sizeof(err->msg),
			 "control socket %s: another process is listening on it", path);
		return -EADDRINUSE;
	}
	if (e != ECONNREFUSED) {
		snprintf(err->msg, sizeof(err->msg), "control socket %s: %s", path, strerror(e));
		return -e;
	}
	unlink(path);
	return 0;
}

int owfp_control_open(const char *path, owfp_proxy *p, const owfp_proxy_manage *m,
		      owfp_control **out, owfp_error *err)
{
	struct sockaddr_un sa;
	struct epoll_event ev = {.events = EPOLLIN};
	int rc = unix_addr(path, &sa, err);

	*out = NULL;
	if (rc)
		return rc;
	rc = clear_stale(path, &sa, err);
	if (rc)
		return rc;
	struct owfp_control *c = owfp_calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->proxy = p;
	c->m = *m;
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	c->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	c->path = owfp_strdup(path);
	if (c->epfd < 0 || c->lfd < 0 || !c->path) {
		rc = -errno;
		snprintf(err->msg, sizeof(err->msg), "control socket %s: %s", path, strerror(errno));
		goto fail;
	}
	/* No window in which the socket exists with looser permissions. */
	mode_t old = umask(0177);
	rc = bind(c->lfd, (const struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc || chmod(path, 0600) || listen(c->lfd, 8)) {
		rc = -errno;
		snprintf(err->msg, sizeof(err->msg), "control socket %s: %s", path, strerror(errno));
		goto fail;
	}
	ev.data.ptr = NULL;
	epoll_ctl(c->epfd, EPOLL_CTL_ADD, c->lfd, &ev);
	/* the configuration's IOCTLs were sent at start; only ours come now */
	owfp_ioctl_set_timeout_ms(OWFP_CONTROL_IOCTL_MS);
	*out = c;
	return 0;
fail:
	if (c->lfd >= 0)
		close(c->lfd);
	if (c->epfd >= 0)
		close(c->epfd);
	free(c->path);
	free(c);
	return rc;
}

int owfp_control_fd(const owfp_control *c)
{
	return c->epfd;
}

static void client_close(owfp_control *c, int slot)
{
	struct control_client *cl = c->clients[slot];

	epoll_ctl(c->epfd, EPOLL_CTL_DEL, cl->fd, NULL);
	close(cl->fd);
	free(cl);
	c->clients[slot] = NULL;
}

static bool peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return false;
	return cred.uid == geteuid() || cred.uid == 0;
}

static void control_accept(owfp_control *c)
{
	for (;;) {
		int fd = accept4(c->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		int slot = -1;
		for (int i = 0; i < OWFP_CONTROL_MAX_CLIENTS && slot < 0; i++)
			if (!c->clients[i])
				slot = i;
		struct control_client *cl = slot >= 0 && peer_allowed(fd) ? owfp_malloc(sizeof(*cl))
									  : NULL;
		if (!cl) {
			close(fd);
			continue;
		}
		cl->fd = fd;
		cl->len = 0;
		cl->deadline_ms = owfp_clock_ms() + OWFP_CONTROL_REQUEST_MS;
		c->clients[slot] = cl;
		struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)slot + 1};
		epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev);
	}
}

/* Writes all of buf within OWFP_CONTROL_IO_MS; false if the client is too slow. */
static bool write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return false;
		struct pollfd p = {.fd = fd, .events = POLLOUT};
		if (poll(&p, 1, OWFP_CONTROL_IO_MS) <= 0)
			return false;
	}
	return true;
}

static bool send_reply(int fd, json_t *reply)
{
	char *text = json_dumps(reply, JSON_COMPACT);
	bool ok = false;

	if (text) {
		size_t n = strlen(text);
		ok = write_all(fd, text, n) && write_all(fd, "\n", 1);
		free(text);
	}
	json_decref(reply);
	return ok;
}

static void control_client_read(owfp_control *c, int slot)
{
	struct control_client *cl = c->clients[slot];

	for (;;) {
		ssize_t n = recv(cl->fd, cl->buf + cl->len, sizeof(cl->buf) - cl->len, 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			client_close(c, slot);
			return;
		}
		if (n < 0)
			return;
		cl->len += (size_t)n;
		char *nl;
		while ((nl = memchr(cl->buf, '\n', cl->len))) {
			size_t line = (size_t)(nl - cl->buf);
			json_t *reply = owfp_control_handle(c->proxy, &c->m, cl->buf, line);
			memmove(cl->buf, nl + 1, cl->len - line - 1);
			cl->len -= line + 1;
			if (!send_reply(cl->fd, reply)) {
				client_close(c, slot);
				return;
			}
			cl->deadline_ms = owfp_clock_ms() + OWFP_CONTROL_REQUEST_MS;
		}
		if (cl->len == sizeof(cl->buf)) {
			send_reply(cl->fd, json_pack("{s:b, s:s}", "ok", 0, "error",
						     "request longer than 65536 bytes"));
			client_close(c, slot);
			return;
		}
	}
}

void owfp_control_run(owfp_control *c)
{
	struct epoll_event evs[OWFP_CONTROL_MAX_CLIENTS + 1];
	int n = epoll_wait(c->epfd, evs, OWFP_CONTROL_MAX_CLIENTS + 1, 0);

	for (int i = 0; i < n; i++) {
		if (evs[i].data.u64 == 0)
			control_accept(c);
		else if (c->clients[evs[i].data.u64 - 1])
			control_client_read(c, (int)evs[i].data.u64 - 1);
	}
	/* A request may have arrived while a pending IOCTL held the loop (up to
	 * OWFP_CONTROL_IOCTL_MS): read what waits before calling a client slow. */
	for (int i = 0; i < OWFP_CONTROL_MAX_CLIENTS; i++) {
		if (!c->clients[i] || owfp_clock_ms() < c->clients[i]->deadline_ms)
			continue;
		control_client_read(c, i);
		if (c->clients[i] && owfp_clock_ms() >= c->clients[i]->deadline_ms)
			client_close(c, i);
	}
}

void owfp_control_close(owfp_control *c)
{
	if (!c)
		return;
	for (int i = 0; i < OWFP_CONTROL_MAX_CLIENTS; i++)
		if (c->clients[i])
			client_close(c, i);
	close(c->lfd);
	close(c->epfd);
	unlink(c->path);
	free(c->path);
	free(c);
}

/* ------------------------------------------------------------- requests */

static json_t *fail(const char *fmt, const char *arg)
{
	char msg[600];
	snprintf(msg, sizeof(msg), fmt, arg);
	return json_pack("{s:b, s:s}", "ok", 0, "error", msg);
}

static json_t *proxy_stats_json(owfp_proxy *p)
{
	owfp_proxy_stats st;

	owfp_proxy_stats_get(p, &st);
	json_t *j = json_pack(
		"{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I}, s:{s:I, s:I}, s:I, s:I, s:i}",
		"accepted", (json_int_t)st.accepted, "active", (json_int_t)st.active,
		"upstream_errors", (json_int_t)st.upstream_errors, "refused", (json_int_t)st.refused,
		"dropped", (json_int_t)st.dropped, "resets", (json_int_t)st.resets, "offloaded",
		(json_int_t)st.offloaded, "limits_hit", (json_int_t)st.limits_hit, "bytes_read",
		"client", (json_int_t)st.bytes_read[0], "upstream", (json_int_t)st.bytes_read[1],
		"bytes_written", "client", (json_int_t)st.bytes_written[0], "upstream",
		(json_int_t)st.bytes_written[1], "bytes_spliced", (json_int_t)st.bytes_spliced,
		"queued", (json_int_t)st.queued, "workers", owfp_proxy_nworkers(p));
	if (j) /* offload.c, sockmap.c */
		json_object_update_new(j, json_pack("{s:s, s:I, s:I, s:I}", "offload", st.offload,
						    "bytes_redirected",
						    (json_int_t)st.bytes_redirected, "sockmap_flows",
						    (json_int_t)st.sockmap_flows, "sockmap_no_peer",
						    (json_int_t)st.sockmap_no_peer));
	return j;
}

/*
 * {"cmd":"ioctl","device":D,"code":N,"in":HEX,"out_size":N}: DeviceIoControl
 * on a loaded driver's device, like the mutating requests only for peers
 * the socket admits (our uid or root). Every length is bounded before
 * anything is allocated; the driver's answer, failure statuses included,
 * is a reply with "ok": true (the request was carried out).
 */
static json_t *control_ioctl(json_t *req)
{
	json_t *jd = json_object_get(req, "device"), *jc = json_object_get(req, "code");
	json_t *ji = json_object_get(req, "in"), *jo = json_object_get(req, "out_size");
	const char *device = json_string_value(jd), *hex = ji ? json_string_value(ji) : "";
	json_int_t code = json_integer_value(jc), out_size = jo ? json_integer_value(jo) : 0;
	uint8_t *in = NULL, *out = NULL;
	size_t in_len = 0;
	ULONG_PTR info = 0;
	NTSTATUS st;
	json_t *reply;
	char *outhex;

	if (!device || !*device || strlen(device) > OWFP_CONTROL_MAX_DEVICE)
		return fail("ioctl needs a string \"device\" of 1..%s characters", "256");
	if (!json_is_integer(jc) || code < 0 || code > 0xffffffffLL)
		return fail("%s", "ioctl needs an integer \"code\" 0..4294967295");
	if ((jo && !json_is_integer(jo)) || out_size < 0 || out_size > OWFP_CONTROL_MAX_IOCTL_OUT)
		return fail("ioctl \"out_size\" must be an integer 0..%s", "65536");
	if (!hex)
		return fail("%s", "ioctl \"in\" must be a string of hex digits");
	if (owfp_hex_parse(hex, OWFP_CONTROL_MAX_LINE / 2, &in, &in_len))
		return fail("%s", "ioctl \"in\" is not hex bytes (pairs of hex digits)");
	if (out_size && !(out = owfp_calloc(1, (size_t)out_size))) {
		free(in);
		return NULL;
	}
	st = owfp_device_ioctl(device, (ULONG)code, in, (ULONG)in_len, out, (ULONG)out_size, &info);
	free(in);
	/* A driver claiming more than the buffer holds is not believed. */
	if (info > (ULONG_PTR)out_size)
		info = (ULONG_PTR)out_size;
	outhex = owfp_malloc(2 * (size_t)info + 1);
	if (outhex) {
		for (size_t i = 0; i < info; i++)
			snprintf(outhex + 2 * i, 3, "%02x", out[i]);
		outhex[2 * info] = 0;
	}
	free(out);
	if (!outhex)
		return NULL;
	reply = json_pack("{s:b, s:I, s:s, s:I, s:s}", "ok", 1, "status", (json_int_t)(uint32_t)st,
			  "status_name", owfp_status_name(st), "information", (json_int_t)info,
			  "out", outhex);
	free(outhex);
	return reply;
}

/*
 * filters.list answers one page: {"offset": N, "limit": M} (both optional;
 * M at most OWFP_CONTROL_LIST_PAGE) gives filters [N, N+M) of the list in
 * arbitration order, with "total" and "more". A whole list of ~10,000
 * filters outgrew the client's 1 MiB reply (issue 17 item 7); a page of
 * 1,000 is ~150 kB. Pages are cut from a fresh list each time: a change
 * between two requests can shift entries (the CLI reads until "more" is
 * false and says nothing is atomic across pages).
 */
#define OWFP_CONTROL_LIST_PAGE 1000

static json_t *filters_page(const owfp_proxy_manage *m, json_t *req)
{
	owfp_error err = {{0}};
	json_t *jo = json_object_get(req, "offset"), *jl = json_object_get(req, "limit");
	json_t *list = NULL, *page;
	json_int_t off = jo ? json_integer_value(jo) : 0, lim = jl ? json_integer_value(jl) : 0;

	if ((jo && (!json_is_integer(jo) || off < 0)) || (jl && (!json_is_integer(jl) || lim <= 0)))
		return fail("%s",
			    "filters.list: \"offset\" must be an integer >= 0 and \"limit\" > 0");
	if (!jl || lim > OWFP_CONTROL_LIST_PAGE)
		lim = OWFP_CONTROL_LIST_PAGE;
	if (m->filters_list(m->user, &list, &err))
		return fail("%s", err.msg);
	size_t total = json_array_size(list);
	if (!(page = json_array())) {
		json_decref(list);
		return NULL;
	}
	for (size_t i = (size_t)off; i < total && i < (size_t)off + (size_t)lim; i++)
		json_array_append(page, json_array_get(list, i));
	json_decref(list);
	bool more = (size_t)off + json_array_size(page) < total;
	return json_pack("{s:b, s:o, s:I, s:I, s:b}", "ok", 1, "filters", page, "offset", off,
			 "total", (json_int_t)total, "more", more);
}

json_t *owfp_control_handle(owfp_proxy *p, const owfp_proxy_manage *m, const char *line, size_t len)
{
	json_error_t jerr;
	owfp_error err = {{0}};
	json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *reply = NULL;
	const char *cmd;

	if (!req)
		return fail("request is not JSON: %s", jerr.text);
	if (!json_is_object(req) || !(cmd = json_string_value(json_object_get(req, "cmd")))) {
		json_decref(req);
		return fail("%s", "request must be an object with a string \"cmd\"");
	}
	if (strcmp(cmd, "stats") == 0) {
		reply = json_pack("{s:b, s:o}", "ok", 1, "proxy", proxy_stats_json(p));
		if (m->stats)
			m->stats(m->user, reply);
	} else if (strcmp(cmd, "filters.list") == 0 && m->filters_list) {
		reply = filters_page(m, req);
	} else if (strcmp(cmd, "filters.add") == 0 && m->filter_add) {
		const char *text = json_string_value(json_object_get(req, "filter"));
		json_t *ids = NULL;
		if (!text)
			reply = fail("%s", "filters.add needs a string \"filter\"");
		else if (m->filter_add(m->user, text, &ids, &err) == 0)
			reply = json_pack("{s:b, s:o}", "ok", 1, "ids", ids);
		else
			reply = fail("%s", err.msg);
	} else if (strcmp(cmd, "filters.delete") == 0 && m->filter_delete) {
		json_t *id = json_object_get(req, "id");
		if (!json_is_integer(id) || json_integer_value(id) <= 0)
			reply = fail("%s", "filters.delete needs a positive integer \"id\"");
		else if (m->filter_delete(m->user, (uint64_t)json_integer_value(id), &err) == 0)
			reply = json_pack("{s:b}", "ok", 1);
		else
			reply = fail("%s", err.msg);
	} else if (strcmp(cmd, "ioctl") == 0) {
		reply = control_ioctl(req);
	} else if (strcmp(cmd, "reload") == 0 && m->reload) {
		if (m->reload(m->user, &err) == 0)
			reply = json_pack("{s:b}", "ok", 1);
		else
			reply = fail("%s", err.msg);
	} else {
		reply = fail("unknown command \"%s\" (stats, filters.list, filters.add, "
			     "filters.delete, ioctl, reload)",
			     cmd);
	}
	json_decref(req);
	return reply ? reply : fail("%s", "out of memory");
}

/* ---------------------------------------------------------------- client */

int owfp_control_request(const char *path, json_t *req, json_t **reply, owfp_error *err)
{
	struct sockaddr_un sa;
	const size_t cap = OWFP_CONTROL_MAX_LINE * 16;
	size_t len = 0;
	int rc = unix_addr(path, &sa, err);

	*reply = NULL;
	if (rc)
		return rc;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (const struct sockaddr *)&sa, sizeof(sa))) {
		rc = -errno;
		snprintf(err->msg, sizeof(err->msg), "control socket %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	char *text = json_dumps(req, JSON_COMPACT);
	char *buf = owfp_malloc(cap);
	bool ok = text && buf && write_all(fd, text, strlen(text)) && write_all(fd, "\n", 1);
	free(text);
	while (ok && len < cap) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 10000) <= 0) {
			ok = false;
			break;
		}
		ssize_t n = recv(fd, buf + len, cap - len, 0);
		if (n <= 0) {
			ok = false;
			break;
		}
		len += (size_t)n;
		if (memchr(buf, '\n', len))
			break;
	}
	close(fd);
	if (!ok) {
		free(buf);
		snprintf(err->msg, sizeof(err->msg),
			 "control socket %s: no reply (refused, or the proxy closed the connection)",
			 path);
		return -EPROTO;
	}
	json_error_t jerr;
	*reply = json_loadb(buf, len, JSON_DISABLE_EOF_CHECK, &jerr);
	free(buf);
	if (!*reply) {
		snprintf(err->msg, sizeof(err->msg), "control socket %s: bad reply: %s", path,
			 jerr.text);
		return -EPROTO;
	}
	return 0;
}
