/*
 * The sockmap offload: once no stage inspects a flow, its two sockets go
 * into a BPF sockhash whose stream-verdict program (bpf/owfp_sockmap.bpf.c)
 * redirects every byte one socket receives to the other's send queue, in the
 * kernel, without waking the proxy. The proxy keeps each socket in epoll for
 * EPOLLRDHUP/EPOLLERR only (FIN and RST), and reads the per-flow byte counts
 * from the peer map when the flow closes.
 *
 * The switch-over (docs/proxy.md "Offload"): the proxy has flushed its
 * output queues and stopped reading; bytes still in a socket's receive queue
 * stay there. Its last recv() must have drained the socket (a short read):
 * the verdict runs from tcp_read_skb(), which hands the program every skb in
 * the queue whole, from its first byte, not from the socket's read position,
 * so the part of an skb recv() had already copied would be redirected a
 * second time (seen: exactly --read-size bytes too many at the peer).
 * SO_RCVLOWAT set out of reach keeps TCP from calling the socket's
 * data_ready, so the verdict program cannot see a byte before both sockets
 * and both peer entries are in the maps; setting it back to 1 calls
 * data_ready once (tcp_set_rcvlowat), and the kernel redirects what waited
 * in the queue, in order, before anything that arrives later.
 *
 * A FIN: TCP calls state_change (our EPOLLRDHUP) before data_ready for the
 * segment that carried it, so a recv(MSG_PEEK) first waits on the socket's
 * lock for that to finish; after it the count of redirected bytes is final.
 * The redirected bytes reach the peer's send queue from the kernel's psock
 * work, later: the FIN is passed on only once the peer's TCP_INFO shows all
 * of them queued (sent + not yet sent), else the worker looks again in 1 ms.
 *
 * libbpf, not raw bpf(2): it loads the skeleton's object, BTF and maps.
 */
#include <errno.h>
#include <limits.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy/proxy_int.h"
#include "proxy/sock.h"
#include "util/alloc.h"

#ifdef OWFP_HAVE_SOCKMAP
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "owfp_sockmap.skel.h"
#include "proxy/sockmap_abi.h"

#define SM_SNDBUF (8 << 20)

struct owfp_sockmap {
	struct owfp_sockmap_bpf *skel;
	int socks, peers, nopeer, counters, prog;
	atomic_ullong flows; /* flows in the maps now */
};

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0; /* the reason is reported once, by the caller */
}

int owfp_sockmap_open(struct owfp_sockmap **out, char *why, size_t len)
{
	struct owfp_sockmap *m = owfp_calloc(1, sizeof(*m));
	int rc;

	*out = NULL;
	if (!m) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	libbpf_set_print(quiet_print);
	m->skel = owfp_sockmap_bpf__open_and_load();
	if (!m->skel) {
		rc = -errno;
		snprintf(why, len,
			 "loading the BPF program failed: %s (needs CAP_BPF and CAP_NET_ADMIN, Linux >= 5.15)",
			 strerror(-rc));
		free(m);
		return rc ? rc : -EPERM;
	}
	m->socks = bpf_map__fd(m->skel->maps.owfp_socks);
	m->peers = bpf_map__fd(m->skel->maps.owfp_peers);
	m->nopeer = bpf_map__fd(m->skel->maps.owfp_nopeer);
	m->counters = bpf_map__fd(m->skel->maps.owfp_counters);
	m->prog = bpf_program__fd(m->skel->progs.owfp_verdict);
	if (bpf_prog_attach(m->prog, m->socks, BPF_SK_SKB_STREAM_VERDICT, 0)) {
		rc = -errno;
		snprintf(why, len, "attaching the stream verdict failed: %s", strerror(-rc));
		owfp_sockmap_bpf__destroy(m->skel);
		free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void owfp_sockmap_close(struct owfp_sockmap *m)
{
	if (!m)
		return;
	bpf_prog_detach2(m->prog, m->socks, BPF_SK_SKB_STREAM_VERDICT);
	owfp_sockmap_bpf__destroy(m->skel);
	free(m);
}

void owfp_sockmap_counts(struct owfp_sockmap *m, uint64_t *flows, uint64_t *no_peer)
{
	__u32 k = OWFP_SM_NO_PEER;
	__u64 v = 0;

	*flows = m ? atomic_load(&m->flows) : 0;
	*no_peer = 0;
	if (m && bpf_map_lookup_elem(m->counters, &k, &v) == 0)
		*no_peer = v;
}

static int gate(int fd, int lowat)
{
	return setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)) ? -errno : 0;
}

/* Bytes the kernel has taken into fd's send queue since the connection began. */
static int queued_total(int fd, uint64_t *out)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return -errno;
	if (len < offsetof(struct tcp_info, tcpi_bytes_retrans) + sizeof(ti.tcpi_bytes_retrans))
		return -EOPNOTSUPP;
	*out = ti.tcpi_bytes_sent - ti.tcpi_bytes_retrans + ti.tcpi_notsent_bytes;
	return 0;
}

/* The receive queue is far from full, so no segment can make TCP call
 * data_ready through the SO_RCVLOWAT gate (memory pressure, a window below
 * one MSS) while the maps are filled. */
static bool room_to_gate(int fd)
{
	uint32_t mi[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mi);

	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mi, &len))
		return false;
	return mi[SK_MEMINFO_RMEM_ALLOC] < mi[SK_MEMINFO_RCVBUF] / 4;
}

/* recv() stopped at urgent data (SO_OOBINLINE) and left the rest of its skb:
 * a short read that did not drain the socket. */
static bool at_urgent_mark(int fd)
{
	int at = 0;

	return ioctl(fd, SIOCATMARK, &at) == 0 && at;
}

/* Waits on fd's lock for the softirq work of segments already received;
 * 0 at FIN, 1 with data still queued (the verdict passed it: not ours),
 * -errno on an error, -EAGAIN when nothing is there. */
static int sync_queue(int fd)
{
	char b;
	ssize_t n = recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);

	if (n > 0)
		return 1;
	return n == 0 ? 0 : -errno;
}

static void unmap(struct owfp_sockmap *m, struct owfp_conn *c, int upto)
{
	for (int i = 0; i < upto && i < 2; i++)
		bpf_map_delete_elem(m->socks, &c->s[i].sm_cookie);
	for (int i = 0; i < 2; i++) {
		bpf_map_delete_elem(m->peers, &c->s[i].sm_cookie);
		bpf_map_delete_elem(m->nopeer, &c->s[i].sm_cookie);
	}
}

int owfp_sockmap_start(struct owfp_conn *c)
{
	struct owfp_sockmap *m = c->w->proxy->sm;
	int rc = 0, i;

	for (i = 0; i < 2; i++) {
		const struct owfp_side *s = &c->s[i];
		socklen_t len = sizeof(uint64_t);
		if (s->fd < 0 || s->rd_closed || s->wr_closed || s->fin_pending || s->paused)
			return -EOPNOTSUPP; /* a half-closed flow is left to splice */
		if (s->rx_part || at_urgent_mark(s->fd))
			return -EAGAIN; /* an skb may be partly read: read on first */
		if (getsockopt(s->fd, SOL_SOCKET, SO_COOKIE, &c->s[i].sm_cookie, &len))
			return -errno;
	}
	for (i = 0; i < 2; i++)
		if ((rc = gate(c->s[i].fd, INT_MAX)) < 0)
			goto ungate;
	for (i = 0; i < 2; i++) {
		if (!room_to_gate(c->s[i].fd)) {
			rc = -EAGAIN; /* read some more on the copying path first */
			goto ungate;
		}
		if ((rc = queued_total(c->s[i].fd, &c->s[i].sm_base)) < 0)
			goto ungate;
	}
	for (i = 0; i < 2; i++) {
		struct owfp_sm_peer pe = {.peer_cookie = c->s[1 - i].sm_cookie};
		if (bpf_map_update_elem(m->peers, &c->s[i].sm_cookie, &pe, BPF_NOEXIST)) {
			rc = -errno;
			unmap(m, c, 0);
			goto ungate;
		}
	}
	for (i = 0; i < 2; i++) {
		__u64 fd = (__u64)c->s[i].fd;
		if (bpf_map_update_elem(m->socks, &c->s[i].sm_cookie, &fd, BPF_NOEXIST)) {
			rc = -errno;
			unmap(m, c, i);
			goto ungate;
		}
	}
	c->sm = true;
	atomic_fetch_add(&m->flows, 1);
	/* The kernel retries a full send queue only a jiffy later: a deeper
	 * one keeps the redirect from idling (best effort; FORCE needs
	 * CAP_NET_ADMIN, which loading the program needed too). */
	for (i = 0; i < 2; i++) {
		int sz = SM_SNDBUF;
		if (setsockopt(c->s[i].fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)))
			setsockopt(c->s[i].fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	}
	for (i = 0; i < 2; i++)
		gate(c->s[i].fd, 1);
	/* Did any byte meet the verdict before its peer entry? Then it waits in
	 * the socket's own queue, out of order with what was redirected: reset
	 * rather than deliver it late (fail closed; the gate makes it rare). */
	for (i = 0; i < 2; i++) {
		__u64 v;
		int q = sync_queue(c->s[i].fd);
		/* recv() has taken the socket's error (an RST during the switch):
		 * it is ours to carry now, or the RST would later look like a FIN. */
		if (q < 0 && q != -EAGAIN && c->rst_side < 0)
			c->rst_side = i;
		if (q > 0 || bpf_map_lookup_elem(m->nopeer, &c->s[i].sm_cookie, &v) == 0) {
			owfp_conn_emit(
				c, OWFP_PEV_LIMIT, EPROTO,
				"sockmap switch-over: bytes reached a socket before its peer entry; reset");
			c->kill = true;
			return -EPROTO;
		}
	}
	return 0;
ungate:
	for (int j = 0; j < 2; j++)
		gate(c->s[j].fd, 1);
	return rc;
}

static uint64_t redirected(struct owfp_sockmap *m, const struct owfp_side *s);

/* Bytes the kernel took from d's peer for d and has not yet put in d's send
 * queue: the psock's backlog, which the kernel does not bound. */
static uint64_t held_for(struct owfp_conn *c, struct owfp_side *d)
{
	uint64_t q;

	if (queued_total(d->fd, &q) < 0)
		return 0;
	uint64_t in = redirected(c->w->proxy->sm, &c->s[1 - d->idx]), out = q - d->sm_base;
	return in > out ? in - out : 0;
}

int owfp_sockmap_event(struct owfp_conn *c, struct owfp_side *s, uint32_t events)
{
	if (s->fd < 0)
		return 0;
	if (events & EPOLLERR) {
		int e = owfp_sock_error(s->fd);
		if (e)
			return -e;
	}
	/* EPOLLOUT (edge): s's send queue was full and has room again, so the
	 * kernel may be holding bytes for it, without a bound of its own: tens
	 * of MiB for an ordinary reader behind a fast sender (it retries a full
	 * socket once a jiffy). Over --global-limit for one flow: fail closed. */
	if ((events & EPOLLOUT) && !s->wr_closed && held_for(c, s) > c->w->proxy->o.global_limit) {
		atomic_fetch_add_explicit(&c->w->c.limits_hit, 1, memory_order_relaxed);
		owfp_conn_emit(
			c, OWFP_PEV_LIMIT, ENOBUFS,
			"global queue limit: the kernel holds more for one peer (sockmap offload)");
		c->kill = true;
		return 0;
	}
	if (s->rd_closed || !(events & (EPOLLRDHUP | EPOLLHUP)))
		return 0;
	int rc = sync_queue(s->fd);
	if (rc == 0)
		return 1;
	if (rc == -EAGAIN)
		return 0; /* EPOLLHUP of our own shutdown, the peer's FIN not here yet */
	return rc > 0 ? -EPROTO : rc;
}

static uint64_t redirected(struct owfp_sockmap *m, const struct owfp_side *s)
{
	struct owfp_sm_peer pe;

	return bpf_map_lookup_elem(m->peers, &s->sm_cookie, &pe) == 0 ? pe.bytes : 0;
}

static void wait_note(struct owfp_conn *c, bool wait)
{
	if (wait == c->sm_wait)
		return;
	c->sm_wait = wait;
	if (wait)
		c->w->nsm_wait++;
	else
		c->w->nsm_wait--;
}

bool owfp_sockmap_drained(struct owfp_conn *c, struct owfp_side *d)
{
	struct owfp_sockmap *m = c->w->proxy->sm;
	uint64_t q;

	if (queued_total(d->fd, &q) < 0 || q - d->sm_base >= redirected(m, &c->s[1 - d->idx])) {
		wait_note(c, false);
		return true;
	}
	wait_note(c, true);
	return false;
}

bool owfp_sockmap_moved(struct owfp_conn *c)
{
	struct owfp_sockmap *m = c->w->proxy->sm;
	uint64_t sum = redirected(m, &c->s[0]) + redirected(m, &c->s[1]);
	bool moved = sum != c->sm_seen;

	c->sm_seen = sum;
	return moved;
}

void owfp_sockmap_stop(struct owfp_conn *c)
{
	struct owfp_sockmap *m = c->w->proxy->sm;
	struct owfp_worker_counters *wc = &c->w->c;

	if (!c->sm)
		return;
	for (int i = 0; i < 2; i++) {
		uint64_t n = redirected(m, &c->s[i]);
		int d = 1 - i;
		c->written[d] += n;
		atomic_fetch_add_explicit(&wc->bytes_read[i], n, memory_order_relaxed);
		atomic_fetch_add_explicit(&wc->bytes_written[d], n, memory_order_relaxed);
		atomic_fetch_add_explicit(&wc->bytes_redirected, n, memory_order_relaxed);
	}
	unmap(m, c, 2);
	wait_note(c, false);
	c->sm = false;
	atomic_fetch_sub(&m->flows, 1);
}

#else /* !OWFP_HAVE_SOCKMAP */

int owfp_sockmap_open(struct owfp_sockmap **out, char *why, size_t len)
{
	*out = NULL;
	snprintf(why, len,
		 "built without BPF (clang, bpftool or libbpf-dev missing: scripts/install-deps.sh)");
	return -EOPNOTSUPP;
}

void owfp_sockmap_close(struct owfp_sockmap *m)
{
	(void)m;
}

void owfp_sockmap_counts(struct owfp_sockmap *m, uint64_t *flows, uint64_t *no_peer)
{
	(void)m;
	*flows = *no_peer = 0;
}

int owfp_sockmap_start(struct owfp_conn *c)
{
	(void)c;
	return -EOPNOTSUPP;
}

int owfp_sockmap_event(struct owfp_conn *c, struct owfp_side *s, uint32_t events)
{
	(void)c;
	(void)s;
	(void)events;
	return 0;
}

bool owfp_sockmap_drained(struct owfp_conn *c, struct owfp_side *d)
{
	(void)c;
	(void)d;
	return true;
}

bool owfp_sockmap_moved(struct owfp_conn *c)
{
	(void)c;
	return false;
}

void owfp_sockmap_stop(struct owfp_conn *c)
{
	(void)c;
}

#endif /* OWFP_HAVE_SOCKMAP */
