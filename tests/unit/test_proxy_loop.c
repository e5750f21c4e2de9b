/*
 * The proxy's event loop on real loopback sockets: forwarding, half-close,
 * RST, drop, pause/wake, offload (splice), back-pressure and a refused
 * upstream. The engine decisions are made by small hooks on the flow
 * functions (tests/unit/proxy_fake/fake_flow.c), so each behaviour of the data
 * path is checked on its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* The fake replaces the real owfp_flow_* for this test only (it is not in
 * the shared test support, so other tests get the real stream engine). */
#include "proxy_fake/fake_flow.h"
#include "proxy_fake/fake_flow.c"
#include "proxy/proxy.h"

#define WAIT_MS 5000

struct rig {
	owfp_proxy *proxy;
	int upstream_listener;
	int client, server; /* the test's two ends */
};

static int listen_any(struct sockaddr_in *out)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*out = a;
	return fd;
}

static bool wait_fd(int fd, short events)
{
	struct pollfd p = {.fd = fd, .events = events};
	return poll(&p, 1, WAIT_MS) == 1;
}

/* Limits for the next rig (0 = the proxy's defaults). */
static size_t next_flow_limit, next_global_limit, next_read_size;

static void rig_start_to(struct rig *r, const struct sockaddr_in *upstream, size_t queue_high)
{
	/* splice: these tests count spliced bytes; the sockmap offload is
	 * covered by tests/integration/test_proxy_offload.sh. */
	owfp_proxy_opts o = {.workers = 1,
			     .queue_high = queue_high,
			     .flow_limit = next_flow_limit,
			     .global_limit = next_global_limit,
			     .read_size = next_read_size,
			     .offload = OWFP_PROXY_OFFLOAD_SPLICE};
	owfp_error err;
	struct sockaddr_in l = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

	memcpy(&o.listen.ss, &l, sizeof(l));
	o.listen.len = sizeof(l);
	memcpy(&o.upstream.ss, upstream, sizeof(*upstream));
	o.upstream.len = sizeof(*upstream);
	assert_int_equal(owfp_proxy_start(NULL, &o, &r->proxy, &err), 0);

	const owfp_proxy_addr *pa = owfp_proxy_listen_addr(r->proxy);
	r->client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(r->client, (const struct sockaddr *)&pa->ss, pa->len), 0);
}

static void rig_start(struct rig *r, size_t queue_high)
{
	struct sockaddr_in up;

	memset(r, 0, sizeof(*r));
	r->upstream_listener = listen_any(&up);
	rig_start_to(r, &up, queue_high);
	assert_true(wait_fd(r->upstream_listener, POLLIN));
	r->server = accept4(r->upstream_listener, NULL, NULL, SOCK_CLOEXEC);
	assert_true(r->server >= 0);
	/* The flow exists once the proxy saw the upstream connect complete. */
	for (int i = 0; i < 5000 && !__atomic_load_n(&fake_flow_last, __ATOMIC_ACQUIRE); i++)
		poll(NULL, 0, 1);
	assert_non_null(__atomic_load_n(&fake_flow_last, __ATOMIC_ACQUIRE));
}

static void rig_stop(struct rig *r)
{
	owfp_proxy_destroy(r->proxy);
	if (r->client >= 0)
		close(r->client);
	if (r->server >= 0)
		close(r->server);
	if (r->upstream_listener >= 0)
		close(r->upstream_listener);
	fake_flow_on_indicate = NULL;
	fake_flow_on_pending = NULL;
	fake_flow_on_fin = NULL;
}

/* Reads exactly n bytes (or fails the test). */
static void read_exact(int fd, uint8_t *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		assert_true(wait_fd(fd, POLLIN));
		ssize_t r = recv(fd, buf + got, n - got, 0);
		assert_true(r > 0);
		got += (size_t)r;
	}
}

/* Returns 0 for EOF, -errno for an error, after draining any data. */
static int read_end(int fd)
{
	uint8_t tmp[4096];
	for (;;) {
		if (!wait_fd(fd, POLLIN))
			return -ETIMEDOUT;
		ssize_t r = recv(fd, tmp, sizeof(tmp), 0);
		if (r == 0)
			return 0;
		if (r < 0)
			return -errno;
	}
}

/* Sends a from one socket while reading it on another, until all arrived. */
static void transfer(int from, int to, size_t n)
{
	uint8_t *src = malloc(n), *dst = malloc(n);
	size_t sent = 0, got = 0;

	for (size_t i = 0; i < n; i++)
		src[i] = (uint8_t)(i * 7 + (i >> 13));
	while (got < n) {
		struct pollfd p[2] = {{.fd = to, .events = POLLIN},
				      {.fd = from, .events = sent < n ? POLLOUT : 0}};
		assert_true(poll(p, 2, WAIT_MS) > 0);
		if (p[1].revents & POLLOUT) {
			ssize_t w = send(from, src + sent, n - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
			assert_true(w > 0 || errno == EAGAIN);
			if (w > 0)
				sent += (size_t)w;
		}
		if (p[0].revents & POLLIN) {
			ssize_t r = recv(to, dst + got, n - got, MSG_DONTWAIT);
			assert_true(r > 0 || errno == EAGAIN);
			if (r > 0)
				got += (size_t)r;
		}
	}
	assert_memory_equal(src, dst, n);
	free(src);
	free(dst);
}

static void test_proxy_forwards_both_directions_in_order(void **state)
{
	struct rig r;
	(void)state;
	rig_start(&r, 0);
	transfer(r.client, r.server, 3u << 20);
	transfer(r.server, r.client, 3u << 20);
	owfp_proxy_stats st;
	owfp_proxy_stats_get(r.proxy, &st);
	assert_int_equal(st.bytes_written[1], 3u << 20);
	assert_int_equal(st.bytes_written[0], 3u << 20);
	assert_int_equal(st.active, 1);
	rig_stop(&r);
}

static void test_proxy_half_close_keeps_other_direction(void **state)
{
	struct rig r;
	uint8_t buf[3];
	(void)state;
	rig_start(&r, 0);
	assert_int_equal(send(r.client, "hi", 2, 0), 2);
	assert_int_equal(shutdown(r.client, SHUT_WR), 0);
	read_exact(r.server, buf, 2);
	assert_memory_equal(buf, "hi", 2);
	assert_int_equal(read_end(r.server), 0); /* FIN after the data */
	assert_int_equal(send(r.server, "bye", 3, 0), 3);
	read_exact(r.client, buf, 3);
	assert_memory_equal(buf, "bye", 3);
	close(r.server);
	r.server = -1;
	assert_int_equal(read_end(r.client), 0);
	rig_stop(&r);
}

static void test_proxy_urgent_byte_stays_in_the_stream(void **state)
{
	struct rig r;
	uint8_t buf[5];
	(void)state;
	rig_start(&r, 0);
	assert_int_equal(send(r.client, "ab", 2, 0), 2);
	assert_int_equal(send(r.client, "c", 1, MSG_OOB), 1);
	assert_int_equal(send(r.client, "de", 2, 0), 2);
	read_exact(r.server, buf, 5);
	assert_memory_equal(buf, "abcde", 5);
	rig_stop(&r);
}

/*
 * The worker is held inside an indication (a callout taking its time) while
 * bytes arrive on the client socket, so the proxy sees them through one
 * edge-triggered event after it returns. hold_on_marker delivers the marker
 * and waits there until the test lets it go.
 */
static int worker_hold, worker_held;
static bool hold_on_marker(struct fake_flow *f, int dir, const uint8_t *data, size_t len)
{
	if (len != 4 || memcmp(data, "wait", 4) != 0)
		return false;
	f->ops->deliver(f->dp, (owfp_flow *)f, dir, data, len);
	__atomic_store_n(&worker_held, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < WAIT_MS && __atomic_load_n(&worker_hold, __ATOMIC_ACQUIRE); i++)
		poll(NULL, 0, 1);
	return true;
}

/* Holds the worker with a marker from one end, runs send_more on the
 * other, waits until the proxy's socket has every byte (that end's send
 * queue, FIN included, is acknowledged), then releases the worker. */
static void with_worker_held_from(int marker_from, int to, void (*send_more)(int fd))
{
	uint8_t buf[4];
	int unacked = -1;

	__atomic_store_n(&worker_hold, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&worker_held, 0, __ATOMIC_RELEASE);
	fake_flow_on_indicate = hold_on_marker;
	assert_int_equal(send(marker_from, "wait", 4, 0), 4);
	read_exact(to, buf, 4);
	for (int i = 0; i < WAIT_MS && !__atomic_load_n(&worker_held, __ATOMIC_ACQUIRE); i++)
		poll(NULL, 0, 1);
	assert_true(__atomic_load_n(&worker_held, __ATOMIC_ACQUIRE));
	send_more(to);
	for (int i = 0; i < WAIT_MS; i++) {
		assert_int_equal(ioctl(to, SIOCOUTQ, &unacked), 0);
		if (unacked == 0)
			break;
		poll(NULL, 0, 1);
	}
	assert_int_equal(unacked, 0);
	__atomic_store_n(&worker_hold, 0, __ATOMIC_RELEASE);
}

/* The marker from the server: the client's bytes come behind one edge. */
static void with_worker_held(struct rig *r, void (*send_more)(int fd))
{
	with_worker_held_from(r->server, r->client, send_more);
}

static void send_urgent(int fd)
{
	assert_int_equal(send(fd, "ab", 2, 0), 2);
	assert_int_equal(send(fd, "c", 1, MSG_OOB), 1);
	assert_int_equal(send(fd, "de", 2, 0), 2);
}

/* recv() stops short at an urgent byte with the rest still queued: that
 * short read must not count as having drained the socket, since no new
 * edge comes for the bytes already there. */
static void test_proxy_urgent_byte_behind_one_edge(void **state)
{
	struct rig r;
	uint8_t buf[5];
	(void)state;
	rig_start(&r, 0);
	with_worker_held(&r, send_urgent);
	read_exact(r.server, buf, 5);
	assert_memory_equal(buf, "abcde", 5);
	rig_stop(&r);
}

static uint8_t burst[64 * 1024];
static void send_burst(int fd)
{
	for (size_t i = 0; i < sizeof(burst); i++)
		burst[i] = (uint8_t)(i * 13 + (i >> 9));
	assert_int_equal(send(fd, burst, sizeof(burst), 0), (ssize_t)sizeof(burst));
}

/* More bytes than one event's read budget (4 reads of --read-size) behind
 * one edge: the worker goes on reading them after the batch. */
static void test_proxy_reads_on_after_the_read_budget(void **state)
{
	struct rig r;
	static uint8_t got[sizeof(burst)];
	(void)state;
	next_read_size = 1024;
	rig_start(&r, 0);
	next_read_size = 0;
	with_worker_held(&r, send_burst);
	read_exact(r.server, got, sizeof(got));
	assert_memory_equal(got, burst, sizeof(burst));
	rig_stop(&r);
}

/* The proxy's connected socket (in this process) at the other end of
 * the test's socket `end`: its local address is end's peer and the other
 * way round (the proxy's listener has the same local address). */
static int proxy_fd_facing(int end)
{
	struct sockaddr_storage want_local, want_peer, local, peer;
	socklen_t wl = sizeof(want_local), wp = sizeof(want_peer);

	assert_int_equal(getpeername(end, (struct sockaddr *)&want_local, &wl), 0);
	assert_int_equal(getsockname(end, (struct sockaddr *)&want_peer, &wp), 0);
	for (int fd = 3; fd < 4096; fd++) {
		socklen_t ll = sizeof(local), pl = sizeof(peer);
		if (fd != end && getsockname(fd, (struct sockaddr *)&local, &ll) == 0 && ll == wl &&
		    memcmp(&local, &want_local, wl) == 0 &&
		    getpeername(fd, (struct sockaddr *)&peer, &pl) == 0 && pl == wp &&
		    memcmp(&peer, &want_peer, wp) == 0)
			return fd;
	}
	return -1;
}

static int nodelay_of(int fd)
{
	int v = -1;
	socklen_t len = sizeof(v);

	assert_int_equal(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len), 0);
	return v;
}

/* Nagle is off on both of the proxy's sockets before a second write can
 * wait behind an unacknowledged first one: the accepted socket from its
 * listener, the upstream socket before its second write. */
static void test_proxy_nodelay_before_a_second_write(void **state)
{
	struct rig r;
	uint8_t buf[1];
	(void)state;
	rig_start(&r, 0);
	int up = proxy_fd_facing(r.server), cl = proxy_fd_facing(r.client);
	assert_true(up >= 0 && cl >= 0);
	assert_int_equal(send(r.client, "a", 1, 0), 1);
	read_exact(r.server, buf, 1);
	assert_int_equal(send(r.client, "b", 1, 0), 1);
	read_exact(r.server, buf, 1);
	assert_int_equal(buf[0], 'b');
	assert_int_not_equal(nodelay_of(up), 0);
	assert_int_not_equal(nodelay_of(cl), 0);
	rig_stop(&r);
}

static bool hold_fin(struct fake_flow *f, int dir)
{
	(void)f;
	(void)dir;
	return true;
}

static void send_then_fin(int fd)
{
	assert_int_equal(send(fd, "last", 4, 0), 4);
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
}

/* Bytes read together with the peer's FIN wait in the socket for the FIN
 * to carry them (MSG_MORE); when the engine keeps the FIN, they still go
 * at once, not when TCP's probe timer finds them. */
static void test_proxy_bytes_before_a_held_fin_still_go(void **state)
{
	struct rig r;
	uint8_t buf[4];
	int unsent = -1;
	(void)state;
	rig_start(&r, 0);
	int cl = proxy_fd_facing(r.client);
	assert_true(cl >= 0);
	fake_flow_on_fin = hold_fin;
	with_worker_held_from(r.client, r.server, send_then_fin);
	/* A later event: the worker is done with the one that read the FIN. */
	assert_int_equal(send(r.client, "ping", 4, 0), 4);
	read_exact(r.server, buf, 4);
	assert_int_equal(ioctl(cl, SIOCOUTQNSD, &unsent), 0);
	assert_int_equal(unsent, 0); /* nothing left unsent in the proxy's socket */
	read_exact(r.client, buf, 4);
	assert_memory_equal(buf, "last", 4);
	rig_stop(&r);
}

static void test_proxy_rst_carried_to_other_side(void **state)
{
	struct rig r;
	struct linger lg = {1, 0};
	(void)state;
	rig_start(&r, 0);
	setsockopt(r.server, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(r.server);
	r.server = -1;
	assert_int_equal(read_end(r.client), -ECONNRESET);
	rig_stop(&r);
}

static bool drop_on_marker(struct fake_flow *f, int dir, const uint8_t *data, size_t len)
{
	(void)dir;
	if (len >= 4 && memcmp(data, "DROP", 4) == 0) {
		f->dropped = true;
		f->ops->drop(f->dp, (owfp_flow *)f, OWFP_DROP_CALLOUT);
		return true;
	}
	return false;
}

static void test_proxy_drop_resets_both_sides(void **state)
{
	struct rig r;
	uint8_t buf[2];
	(void)state;
	fake_flow_on_indicate = drop_on_marker;
	rig_start(&r, 0);
	assert_int_equal(send(r.client, "ok", 2, 0), 2);
	read_exact(r.server, buf, 2);
	assert_int_equal(send(r.client, "DROP", 4, 0), 4);
	assert_int_equal(read_end(r.server), -ECONNRESET);
	assert_int_equal(read_end(r.client), -ECONNRESET);
	rig_stop(&r);
}

/* Inbound data (from the upstream, --local client) is held and its source paused. */
static uint8_t held[64];
static size_t nheld;
static bool hold_inbound(struct fake_flow *f, int dir, const uint8_t *data, size_t len)
{
	if (dir != OWFP_DIR_INBOUND || len > sizeof(held) - nheld)
		return false;
	memcpy(held + nheld, data, len);
	__atomic_store_n(&nheld, nheld + len, __ATOMIC_RELEASE);
	f->ops->pause(f->dp, (owfp_flow *)f, dir, true);
	return true;
}

static void release_inbound(struct fake_flow *f)
{
	fake_flow_on_indicate = NULL;
	f->ops->deliver(f->dp, (owfp_flow *)f, OWFP_DIR_INBOUND, held, nheld);
	f->ops->pause(f->dp, (owfp_flow *)f, OWFP_DIR_INBOUND, false);
	__atomic_store_n(&nheld, 0, __ATOMIC_RELEASE);
}

static void test_proxy_pause_holds_until_wake(void **state)
{
	struct rig r;
	uint8_t buf[8];
	(void)state;
	nheld = 0;
	fake_flow_on_indicate = hold_inbound;
	fake_flow_on_pending = release_inbound;
	rig_start(&r, 0);
	assert_int_equal(send(r.server, "held", 4, 0), 4);
	for (int i = 0; i < 5000 && __atomic_load_n(&nheld, __ATOMIC_ACQUIRE) < 4; i++)
		poll(NULL, 0, 1);
	assert_int_equal(__atomic_load_n(&nheld, __ATOMIC_ACQUIRE), 4);
	assert_int_equal(send(r.server, "more", 4, 0), 4);
	/* Nothing reaches the client while paused. */
	struct pollfd p = {.fd = r.client, .events = POLLIN};
	assert_int_equal(poll(&p, 1, 50), 0);
	/* A wake from another thread (FwpsStreamContinue0's path). */
	struct fake_flow *f = __atomic_load_n(&fake_flow_last, __ATOMIC_ACQUIRE);
	f->ops->wake(f->dp, (owfp_flow *)f);
	read_exact(r.client, buf, 8);
	assert_memory_equal(buf, "heldmore", 8);
	rig_stop(&r);
}

static bool offload_at_once(struct fake_flow *f, int dir, const uint8_t *data, size_t len)
{
	f->ops->deliver(f->dp, (owfp_flow *)f, dir, data, len);
	f->ops->offload(f->dp, (owfp_flow *)f);
	return true;
}

static void test_proxy_offload_splices_rest_of_flow(void **state)
{
	struct rig r;
	uint8_t buf[5];
	(void)state;
	fake_flow_on_indicate = offload_at_once;
	rig_start(&r, 0);
	assert_int_equal(send(r.client, "first", 5, 0), 5);
	read_exact(r.server, buf, 5);
	transfer(r.client, r.server, 8u << 20);
	transfer(r.server, r.client, 8u << 20);
	owfp_proxy_stats st;
	owfp_proxy_stats_get(r.proxy, &st);
	assert_int_equal(st.offloaded, 1);
	assert_true(st.bytes_spliced >= (16u << 20) - 5);
	/* FIN still travels after the spliced bytes. */
	shutdown(r.client, SHUT_WR);
	assert_int_equal(read_end(r.server), 0);
	rig_stop(&r);
}

static void test_proxy_backpressure_bounds_queue(void **state)
{
	struct rig r;
	int small = 64 * 1024;
	(void)state;
	rig_start(&r, 256 * 1024);
	setsockopt(r.server, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	/* The upstream reads nothing: the client can only fill buffers up to a bound. */
	static uint8_t chunk[65536];
	size_t sent = 0;
	for (int idle = 0; idle < 20;) {
		ssize_t w = send(r.client, chunk, sizeof(chunk), MSG_DONTWAIT);
		if (w > 0) {
			sent += (size_t)w;
			idle = 0;
		} else {
			idle++;
			poll(NULL, 0, 5);
		}
		assert_true(sent < (256u << 20));
	}
	owfp_proxy_stats st;
	owfp_proxy_stats_get(r.proxy, &st);
	assert_true(st.queued <= 256 * 1024 + 256 * 1024 * 4);
	assert_int_equal(st.limits_hit, 0);
	rig_stop(&r);
}

/* Like a callout injecting far more than it was given: 64 KiB per byte. */
static bool inject_flood(struct fake_flow *f, int dir, const uint8_t *data, size_t len)
{
	static uint8_t big[64 * 1024];
	(void)data;
	for (size_t i = 0; i < len && !f->dropped; i++)
		f->ops->deliver(f->dp, (owfp_flow *)f, dir, big, sizeof(big));
	return true;
}

static void limit_resets_both_sides(size_t flow_limit, size_t global_limit)
{
	struct rig r;
	int small = 64 * 1024;
	static uint8_t chunk[4096];

	next_flow_limit = flow_limit;
	next_global_limit = global_limit;
	fake_flow_on_indicate = inject_flood;
	rig_start(&r, 256 * 1024);
	next_flow_limit = next_global_limit = 0;
	/* The upstream reads nothing, so the flood can only pile up in the queue. */
	setsockopt(r.server, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	assert_int_equal(send(r.client, chunk, sizeof(chunk), 0), (ssize_t)sizeof(chunk));
	assert_int_equal(read_end(r.client), -ECONNRESET);
	owfp_proxy_stats st;
	owfp_proxy_stats_get(r.proxy, &st);
	/* The worker counts the close just after resetting the sockets. */
	for (int i = 0; i < 5000 && st.active; i++) {
		poll(NULL, 0, 1);
		owfp_proxy_stats_get(r.proxy, &st);
	}
	assert_int_equal(st.limits_hit, 1);
	assert_int_equal(st.queued, 0);
	assert_int_equal(st.active, 0);
	rig_stop(&r);
}

static void test_proxy_flow_limit_fails_closed(void **state)
{
	(void)state;
	limit_resets_both_sides(2u << 20, 0);
}

static void test_proxy_global_limit_fails_closed(void **state)
{
	(void)state;
	limit_resets_both_sides(0, 3u << 20);
}

static void test_proxy_upstream_refused_resets_client(void **state)
{
	struct rig r;
	struct sockaddr_in up;
	(void)state;
	memset(&r, 0, sizeof(r));
	r.server = -1;
	int l = listen_any(&up);
	close(l); /* nothing listens there any more */
	r.upstream_listener = -1;
	rig_start_to(&r, &up, 0);
	int e = read_end(r.client);
	assert_true(e == -ECONNRESET || e == 0);
	owfp_proxy_stats st;
	owfp_proxy_stats_get(r.proxy, &st);
	assert_int_equal(st.upstream_errors, 1);
	rig_stop(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proxy_forwards_both_directions_in_order),
		cmocka_unit_test(test_proxy_half_close_keeps_other_direction),
		cmocka_unit_test(test_proxy_urgent_byte_stays_in_the_stream),
		cmocka_unit_test(test_proxy_urgent_byte_behind_one_edge),
		cmocka_unit_test(test_proxy_reads_on_after_the_read_budget),
		cmocka_unit_test(test_proxy_nodelay_before_a_second_write),
		cmocka_unit_test(test_proxy_bytes_before_a_held_fin_still_go),
		cmocka_unit_test(test_proxy_rst_carried_to_other_side),
		cmocka_unit_test(test_proxy_drop_resets_both_sides),
		cmocka_unit_test(test_proxy_pause_holds_until_wake),
		cmocka_unit_test(test_proxy_offload_splices_rest_of_flow),
		cmocka_unit_test(test_proxy_backpressure_bounds_queue),
		cmocka_unit_test(test_proxy_flow_limit_fails_closed),
		cmocka_unit_test(test_proxy_global_limit_fails_closed),
		cmocka_unit_test(test_proxy_upstream_refused_resets_client),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
