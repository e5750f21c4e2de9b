/*
 * One proxied connection: the accepted socket, the upstream socket and the
 * owfp_flow between them. Engine callbacks only record what must happen
 * (bytes to write, FIN, reset, pause, offload); conn_settle() carries it out
 * once the owfp_flow_* call has returned, because a flow must not be closed
 * from inside its own callbacks.
 */
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host/dir.h"
#include "host/flow_key.h"
#include "host/flow_ops.h"
#include "proxy/procinfo.h"
#include "proxy/proxy_int.h"
#include "proxy/sock.h"
#include "util/alloc.h"

static void conn_settle(struct owfp_conn *c);

static bool client_local(const struct owfp_conn *c)
{
	return c->w->proxy->o.local == OWFP_PROXY_LOCAL_CLIENT;
}

/* Q28: which data direction each socket is the source of (host/dir.h). */
static int dir_of_source(const struct owfp_conn *c, int side)
{
	return owfp_host_dir(client_local(c), side == OWFP_SIDE_CLIENT);
}

static int source_of_dir(const struct owfp_conn *c, int dir)
{
	return owfp_host_dir_from_client(client_local(c), dir) ? OWFP_SIDE_CLIENT
							       : OWFP_SIDE_UPSTREAM;
}

static struct owfp_side *dest_of_dir(struct owfp_conn *c, int dir)
{
	return &c->s[1 - source_of_dir(c, dir)];
}

void owfp_conn_emit(struct owfp_conn *c, enum owfp_proxy_event_type type, int err, const char *detail)
{
	const owfp_proxy_opts *o = &c->w->proxy->o;
	owfp_proxy_event ev = {
		.type = type,
		.conn_id = c->id,
		.flow_id = c->flow ? owfp_flow_id(c->flow) : 0,
		.client = (const struct sockaddr *)&c->client.ss,
		.upstream = c->upstream.len ? (const struct sockaddr *)&c->upstream.ss : NULL,
		.err = err,
		.bytes = {c->written[0], c->written[1]},
		.detail = detail,
	};
	if (o->event)
		o->event(o->user, &ev);
}

/* ------------------------------------------------------------ queueing */

/* Queued bytes count against the process memory limit with every byte
 * the engine holds (one account, the engine's: docs/semantics.md, "Memory
 * limit"); `queued` is only the statistic. */
static void queue_account(struct owfp_conn *c, size_t added, size_t removed)
{
	struct owfp_proxy *p = c->w->proxy;

	if (added) {
		atomic_fetch_add_explicit(&p->queued, added, memory_order_relaxed);
		owfp_engine_mem_charge(p->engine, added);
	}
	if (removed) {
		atomic_fetch_sub_explicit(&p->queued, removed, memory_order_relaxed);
		owfp_engine_mem_release(p->engine, removed);
	}
}

static void side_clear_queue(struct owfp_conn *c, struct owfp_side *s)
{
	queue_account(c, 0, s->out.bytes);
	owfp_outq_clear(&s->out);
}

static void note_written(struct owfp_conn *c, struct owfp_side *d, size_t n)
{
	c->written[d->idx] += n;
	atomic_fetch_add_explicit(&c->w->c.bytes_written[d->idx], n, memory_order_relaxed);
}

/*
 * The upstream socket gets TCP_NODELAY just before its second write, not at
 * connect: Nagle holds a small segment back only while an earlier one is
 * unacknowledged (Linux's Minshall variant), so a first write never waits,
 * and a connection that writes once to its upstream (a request) spends no
 * system call on it. Accepted sockets inherit it from the listener.
 */
static void side_nodelay(struct owfp_side *d)
{
	int one = 1;

	if (d->nodelay || d->fd < 0)
		return;
	setsockopt(d->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	d->nodelay = true;
}

static void side_before_write(struct owfp_conn *c, struct owfp_side *d)
{
	if (!d->nodelay && c->written[d->idx])
		side_nodelay(d);
}

/* Sends what a MSG_MORE send left in the socket (setting TCP_NODELAY
 * pushes pending frames), when no FIN came to carry it. */
static void side_push(struct owfp_side *d)
{
	int one = 1;

	if (!d->corked)
		return;
	d->corked = false;
	if (d->fd >= 0)
		setsockopt(d->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	d->nodelay = true;
}

/* The peer of d is gone (EPIPE, ECONNRESET): handled as an RST from it. */
static void side_write_failed(struct owfp_conn *c, struct owfp_side *d)
{
	d->wr_closed = true;
	side_clear_queue(c, d);
	if (c->rst_side < 0)
		c->rst_side = d->idx;
}

static void limit_hit(struct owfp_conn *c, const char *what)
{
	atomic_fetch_add_explicit(&c->w->c.limits_hit, 1, memory_order_relaxed);
	owfp_conn_emit(c, OWFP_PEV_LIMIT, ENOBUFS, what);
	c->kill = true;
}

static void queue_bytes(struct owfp_conn *c, struct owfp_side *d, const uint8_t *data, size_t len)
{
	const struct owfp_proxy *p = c->w->proxy;

	if (d->out.bytes + len > p->o.flow_limit) {
		limit_hit(c, "per-flow queue limit");
		return;
	}
	if (owfp_engine_mem_used(p->engine) + len > p->o.global_limit) {
		limit_hit(c, "global memory limit (--global-limit)");
		return;
	}
	if (owfp_outq_append(&d->out, data, len)) {
		limit_hit(c, "out of memory");
		return;
	}
	queue_account(c, len, 0);
}

/* ------------------------------------------------------- engine callbacks */

static void op_deliver(void *dp, owfp_flow *flow, int dir, const uint8_t *data, size_t len)
{
	struct owfp_conn *c = dp;
	struct owfp_side *d = dest_of_dir(c, dir);

	(void)flow;
	if (c->kill || d->wr_closed || d->fd < 0 || len == 0)
		return;
	/* Fast path: nothing queued, so write straight from the engine's bytes. */
	if (d->out.bytes == 0) {
		side_before_write(c, d);
		/* The source's FIN follows (side_read): MSG_MORE keeps these
		 * bytes for the segment that carries it (conn_settle). */
		ssize_t n = send(d->fd, data, len,
				 MSG_NOSIGNAL | MSG_DONTWAIT | (d->more ? MSG_MORE : 0));
		if (n > 0 && d->more)
			d->corked = true;
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
				side_write_failed(c, d);
				return;
			}
			n = 0;
		}
		note_written(c, d, (size_t)n);
		data += n;
		len -= (size_t)n;
		if (len == 0)
			return;
	}
	queue_bytes(c, d, data, len);
}

static void op_deliver_fin(void *dp, owfp_flow *flow, int dir)
{
	struct owfp_conn *c = dp;

	(void)flow;
	dest_of_dir(c, dir)->fin_pending = true;
}

static void op_deliver_abort(void *dp, owfp_flow *flow, int dir)
{
	struct owfp_conn *c = dp;

	(void)flow;
	/* Q24: an RST ends both directions; the source side is gone already. */
	if (c->rst_side < 0)
		c->rst_side = source_of_dir(c, dir);
}

static void op_drop(void *dp, owfp_flow *flow, enum owfp_drop_reason why)
{
	struct owfp_conn *c = dp;

	(void)flow;
	(void)why;
	atomic_fetch_add_explicit(&c->w->c.dropped, 1, memory_order_relaxed);
	c->kill = true;
}

static void op_pause(void *dp, owfp_flow *flow, int dir, bool paused)
{
	struct owfp_conn *c = dp;

	(void)flow;
	c->s[source_of_dir(c, dir)].paused = paused;
}

static void op_offload(void *dp, owfp_flow *flow)
{
	struct owfp_conn *c = dp;

	(void)flow;
	c->offload_req = c->w->proxy->offload != OWFP_PROXY_OFFLOAD_NONE;
	if (c->offload_req) /* the kernel writes from now on: Nagle must not hold its bytes */
		side_nodelay(&c->s[OWFP_SIDE_UPSTREAM]);
}

static void op_wake(void *dp, owfp_flow *flow)
{
	struct owfp_conn *c = dp;
	struct owfp_worker *w = c->w;
	bool kick = false;

	(void)flow;
	pthread_mutex_lock(&w->wake_lock);
	if (!c->wake_queued) {
		c->wake_queued = true;
		c->wake_next = w->wake_head;
		w->wake_head = c;
		kick = true;
	}
	pthread_mutex_unlock(&w->wake_lock);
	if (kick)
		owfp_worker_kick(w);
}

static const owfp_flow_ops conn_ops = OWFP_HOST_FLOW_OPS(op);

/* ------------------------------------------------------------- lifecycle */

/*
 * Both sockets of an open connection are registered once, edge-triggered:
 * whether a socket may hold bytes is kept in rd_ready, and what waits to be
 * written in its queue, so no epoll_ctl follows while bytes move (pause,
 * back-pressure and a FIN change nothing in the kernel). The upstream
 * socket gets EP_OPEN | EPOLLOUT at connect (EPOLLOUT says it completed),
 * the client EP_OPEN once the upstream is there: two epoll_ctl per
 * connection. The client gets EPOLLOUT, for good, only when a write to it
 * leaves bytes queued: an edge-triggered EPOLLOUT is reported at every
 * wake-up of the socket (registration, our own shutdown), which a short
 * connection would pay for in events that carry nothing.
 * EPOLLPRI: urgent data ends a recv() short of the bytes after it (side_read).
 */
#define EP_OPEN (EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLET)

static void ep_set(struct owfp_conn *c, struct owfp_side *s, uint32_t want)
{
	int epfd = c->w->epfd;
	struct epoll_event ev = {.events = want, .data.ptr = s};

	if (s->fd < 0 || want == s->events)
		return;
	if (want == 0)
		epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL);
	else if (s->events == 0)
		epoll_ctl(epfd, EPOLL_CTL_ADD, s->fd, &ev);
	else
		epoll_ctl(epfd, EPOLL_CTL_MOD, s->fd, &ev);
	s->events = want;
}

static void conn_update_events(struct owfp_conn *c)
{
	for (int i = 0; i < 2; i++) {
		struct owfp_side *s = &c->s[i], *o = &c->s[1 - i];
		uint32_t want = 0;

		switch (c->state) {
		case OWFP_CONN_CONNECTING:
			if (i == OWFP_SIDE_UPSTREAM)
				want = EP_OPEN | EPOLLOUT;
			break;
		case OWFP_CONN_OPEN:
			want = EP_OPEN | (s->out.bytes ? EPOLLOUT : s->events & EPOLLOUT);
			break;
		case OWFP_CONN_OFFLOADED:
			if (c->sm) { /* the kernel moves the bytes: FIN, RST, full (sockmap.c) */
				want = EPOLLRDHUP | EPOLLET | (s->wr_closed ? 0 : EPOLLOUT);
				break;
			}
			if (!s->rd_closed && !s->paused && !s->pipe_full && s->in_pipe < s->pipe_cap)
				want |= EPOLLIN;
			if (o->in_pipe && !s->wr_closed)
				want |= EPOLLOUT;
			break;
		}
		/*
		 * An offloaded socket we neither read nor write stays
		 * registered, edge-triggered, so an RST (EPOLLERR) is still
		 * seen without a level-triggered EPOLLHUP/RDHUP firing at every
		 * wait. While the upstream connects, the client waits
		 * unregistered (its first bytes are read without an event).
		 */
		if (!want && c->state != OWFP_CONN_CONNECTING)
			want = EPOLLET;
		ep_set(c, s, want);
	}
}

/* Whether side_read may run now: bytes may be there and nothing holds them back. */
static bool side_may_read(const struct owfp_side *s)
{
	return s->rd_ready && !s->rd_closed && !s->paused && !s->bp && s->fd >= 0;
}

/* No edge will come for bytes already there: the worker reads them after
 * this batch of events (owfp_conn_run_ready). */
static void ready_push(struct owfp_worker *w, struct owfp_side *s)
{
	if (s->on_ready)
		return;
	s->on_ready = true;
	s->ready_next = w->ready_head;
	w->ready_head = s;
}

/* A side still queued is unlinked (one being run is skipped as dead). */
static void ready_remove(struct owfp_worker *w, struct owfp_side *s)
{
	if (!s->on_ready)
		return;
	for (struct owfp_side **pp = &w->ready_head; *pp; pp = &(*pp)->ready_next) {
		if (*pp == s) {
			*pp = s->ready_next;
			s->on_ready = false;
			return;
		}
	}
}

/* Keeps the worker's count of deferred connections, which bounds its wait. */
static void conn_note_deferred(struct owfp_conn *c, bool deferred)
{
	if (deferred == c->deferred)
		return;
	c->deferred = deferred;
	if (deferred)
		c->w->ndeferred++;
	else
		c->w->ndeferred--;
}

void owfp_conn_destroy(struct owfp_conn *c, bool reset)
{
	struct owfp_worker *w = c->w;

	if (c->dead)
		return;
	c->kill = true;       /* deliver nothing more while the flow closes */
	owfp_sockmap_stop(c); /* its byte counts go into the close event */
	if (c->flow) {
		owfp_conn_emit(c, OWFP_PEV_CLOSE, 0, reset ? "reset" : "closed");
		owfp_flow_close(c->flow);
		c->flow = NULL;
	} else {
		owfp_conn_emit(c, OWFP_PEV_CLOSE, 0, reset ? "reset" : "closed");
	}
	if (c->state == OWFP_CONN_CONNECTING)
		w->nconnecting--;
	conn_note_deferred(c, false);
	for (int i = 0; i < 2; i++) {
		struct owfp_side *s = &c->s[i];
		/* close() takes the fd out of the epoll set: no EPOLL_CTL_DEL. */
		s->events = 0;
		ready_remove(w, s);
		side_clear_queue(c, s);
		owfp_offload_stop(s);
		if (reset) /* bytes delivered before the reset still go first */
			side_push(s);
		if (reset)
			owfp_sock_reset(s->fd);
		else if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
	}
	pthread_mutex_lock(&w->wake_lock);
	if (c->wake_queued) {
		struct owfp_conn **pp = &w->wake_head;
		while (*pp != c)
			pp = &(*pp)->wake_next;
		*pp = c->wake_next;
		c->wake_queued = false;
	}
	pthread_mutex_unlock(&w->wake_lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		w->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	w->nconns--;
	atomic_fetch_add_explicit(&w->c.closed, 1, memory_order_relaxed);
	c->dead = true;
	c->grave_next = w->graveyard;
	w->graveyard = c;
}

/* An RST from side `src` (read error, write error, engine abort): Q24. */
static void conn_reset_from(struct owfp_conn *c, int src)
{
	struct owfp_side *o = &c->s[1 - src];

	c->s[src].rd_closed = true;
	if (c->flow && !c->kill)
		owfp_flow_indicate_abort(c->flow, dir_of_source(c, src));
	atomic_fetch_add_explicit(&c->w->c.resets, 1, memory_order_relaxed);
	/* Bytes queued before the RST still go first, as far as the peer takes them. */
	if (!c->kill && o->fd >= 0 && !o->wr_closed && o->out.bytes) {
		side_before_write(c, o);
		ssize_t n = owfp_outq_flush(&o->out, o->fd);
		if (n > 0) {
			note_written(c, o, (size_t)n);
			queue_account(c, 0, (size_t)n);
		}
	}
	owfp_conn_destroy(c, true);
}

static void conn_flush(struct owfp_conn *c, struct owfp_side *d)
{
	if (d->fd < 0 || d->wr_closed || d->out.bytes == 0)
		return;
	side_before_write(c, d);
	ssize_t n = owfp_outq_flush(&d->out, d->fd);
	if (n < 0) {
		side_write_failed(c, d);
		return;
	}
	note_written(c, d, (size_t)n);
	queue_account(c, 0, (size_t)n);
}

static bool conn_engine_idle(const struct owfp_conn *c)
{
	return owfp_flow_held_bytes(c->flow, OWFP_DIR_INBOUND) == 0 &&
	       owfp_flow_held_bytes(c->flow, OWFP_DIR_OUTBOUND) == 0;
}

static bool conn_all_closed(const struct owfp_conn *c)
{
	return c->s[0].rd_closed && c->s[1].rd_closed && c->s[0].wr_closed && c->s[1].wr_closed;
}

static void conn_settle(struct owfp_conn *c)
{
	const struct owfp_proxy *p = c->w->proxy;

	if (c->dead)
		return;
	if (c->kill) {
		owfp_conn_destroy(c, true);
		return;
	}
	for (int i = 0; i < 2; i++)
		conn_flush(c, &c->s[i]);
	if (c->rst_side >= 0) {
		conn_reset_from(c, c->rst_side);
		return;
	}
	bool fin_now[2] = {false, false};
	for (int i = 0; i < 2; i++) {
		struct owfp_side *d = &c->s[i];
		if (d->fin_pending && !d->wr_closed && d->out.bytes == 0 &&
		    owfp_offload_drained(c, d)) {
			fin_now[i] = true;
			d->wr_closed = true;
		}
	}
	if (conn_all_closed(c)) {
		/* close() sends the FIN itself (nothing is left unread): no shutdown(). */
		owfp_conn_destroy(c, false);
		return;
	}
	for (int i = 0; i < 2; i++) {
		if (fin_now[i])
			shutdown(c->s[i].fd, SHUT_WR); /* sends corked bytes with the FIN */
		else
			side_push(&c->s[i]);
		c->s[i].corked = false;
	}
	if (c->offload_req && c->state == OWFP_CONN_OPEN && c->s[0].out.bytes == 0 &&
	    c->s[1].out.bytes == 0 && conn_engine_idle(c) && owfp_offload_start(c) < 0 &&
	    c->kill) { /* else it stays on the copying path */
		owfp_conn_destroy(c, true);
		return;
	}
	for (int i = 0; i < 2; i++) {
		size_t q = c->s[1 - i].out.bytes;
		if (q > p->o.queue_high)
			c->s[i].bp = true;
		else if (q <= p->o.queue_high / 2)
			c->s[i].bp = false;
	}
	if (conn_all_closed(c)) {
		owfp_conn_destroy(c, false);
		return;
	}
	conn_note_deferred(c, c->flow && owfp_flow_defer_deadline_ms(c->flow) != 0);
	conn_update_events(c);
	/* Reading stopped short (paused, back-pressure, the read budget) and
	 * may go on now: no new edge would say so. */
	if (c->state == OWFP_CONN_OPEN)
		for (int i = 0; i < 2; i++)
			if (side_may_read(&c->s[i]))
				ready_push(c->w, &c->s[i]);
}

/* --------------------------------------------------------------- reading */

static void side_read_fin(struct owfp_conn *c, struct owfp_side *s, int dir)
{
	s->rd_closed = true;
	owfp_flow_indicate_fin(c->flow, dir);
}

static void side_read(struct owfp_conn *c, struct owfp_side *s, uint32_t events)
{
	struct owfp_worker *w = c->w;
	struct owfp_side *o = &c->s[1 - s->idx];
	int dir = dir_of_source(c, s->idx);

	for (int i = 0; i < 4; i++) {
		/* At the process memory limit the engine pauses the source
		 * (op_pause) and wakes the flow when there is room again. */
		if (!owfp_flow_may_read(c->flow, dir))
			return;
		ssize_t n = recv(s->fd, w->rbuf, w->rbuf_size, MSG_DONTWAIT);
		if (n > 0) {
			atomic_fetch_add_explicit(&w->c.bytes_read[s->idx], (uint64_t)n,
						  memory_order_relaxed);
			/* Only a short read is known to have left no skb partly
			 * read (the sockmap switch-over needs that: sockmap.c). */
			s->rx_part = (size_t)n == w->rbuf_size;
			/*
			 * A short read drained the socket: bytes arriving from
			 * now on raise a new edge. Not so when the peer's FIN
			 * is already here (EPOLLRDHUP: read it now, not after
			 * another epoll_wait), nor with urgent data pending
			 * (EPOLLPRI), where recv() stops at the urgent byte
			 * with the rest still queued.
			 */
			bool drained = (size_t)n < w->rbuf_size &&
				       !(events & (EPOLLRDHUP | EPOLLPRI));
			if (drained)
				s->rd_ready = false;
			/*
			 * The FIN was already here when the event was taken
			 * (EPOLLRDHUP, no error, no urgent data) and this read
			 * came back short: every byte before the FIN is read,
			 * and the next recv() could only return 0. It is not
			 * made; and what the engine delivers from these bytes
			 * waits (MSG_MORE) to leave in one segment with the FIN.
			 */
			bool fin_next = (size_t)n < w->rbuf_size && (events & EPOLLRDHUP) &&
					!(events & (EPOLLPRI | EPOLLERR));
			o->more = fin_next;
			/* Q18: a recv() that drained the socket ends what the sender pushed. */
			uint32_t flags = (size_t)n < w->rbuf_size ? OWFP_SEG_PUSH : 0;
			owfp_flow_indicate(c->flow, dir, w->rbuf, (size_t)n, flags, 0);
			/* An allowed flow (offload_req) reads on after a full read:
			 * it can switch to the offload only once a read drained
			 * the socket. */
			if (c->kill || c->rst_side >= 0 || s->paused ||
			    o->out.bytes > w->proxy->o.queue_high || drained) {
				o->more = false;
				return; /* conn_settle queues the rest (ready_push) */
			}
			if (fin_next) {
				side_read_fin(c, s, dir);
				o->more = false;
				return;
			}
			continue;
		}
		if (n == 0) {
			side_read_fin(c, s, dir);
			return;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			s->rd_ready = false;
			s->rx_part = false;
		} else {
			c->rst_side = s->idx;
		}
		return;
	}
	/* The read budget is spent with bytes left: conn_settle queues the side. */
}

static void offload_event(struct owfp_conn *c, struct owfp_side *s, uint32_t events)
{
	struct owfp_side *o = &c->s[1 - s->idx];
	bool eof = false;
	int rc;

	if (c->sm) {
		rc = owfp_sockmap_event(c, s, events);
		if (rc < 0 && c->rst_side < 0)
			c->rst_side = s->idx;
		if (rc > 0) {
			s->rd_closed = true;
			o->fin_pending = true;
			owfp_flow_indicate_fin(c->flow, dir_of_source(c, s->idx));
		}
		return;
	}
	if ((events & EPOLLOUT) && o->in_pipe) {
		rc = owfp_offload_pump(c, o, &eof);
		if (rc < 0)
			return;
		if (eof) {
			o->rd_closed = true;
			s->fin_pending = true;
			owfp_flow_indicate_fin(c->flow, dir_of_source(c, o->idx));
		}
	}
	eof = false;
	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !s->rd_closed) {
		rc = owfp_offload_pump(c, s, &eof);
		if (rc < 0)
			return;
		if (eof) {
			s->rd_closed = true;
			o->fin_pending = true;
			owfp_flow_indicate_fin(c->flow, dir_of_source(c, s->idx));
		}
	}
}

/* ------------------------------------------------------------ connecting */

/* The proxy's address form into the host's; the key itself is built by
 * host/flow_key.c, as for replay. */
static void endpoint_of(const owfp_proxy_addr *a, owfp_host_endpoint *e)
{
	memset(e, 0, sizeof(*e));
	e->family = a->ss.ss_family;
	if (a->ss.ss_family == AF_INET) {
		const struct sockaddr_in *in4 = (const void *)&a->ss;
		e->port = ntohs(in4->sin_port);
		memcpy(e->addr, &in4->sin_addr, 4);
	} else {
		const struct sockaddr_in6 *in6 = (const void *)&a->ss;
		e->port = ntohs(in6->sin6_port);
		memcpy(e->addr, &in6->sin6_addr, 16);
	}
}

static void conn_key(const struct owfp_conn *c, owfp_flow_key *k)
{
	owfp_host_conn hc = {.local_is_client = client_local(c)};

	endpoint_of(&c->client, &hc.client);
	endpoint_of(&c->upstream, &hc.server);
	owfp_host_flow_key(&hc, k);
}

/* The client's program when it runs on this host and a flow-established
 * filter could use it (docs/porting.md "Flow metadata"); else unknown. */
static void conn_process(const struct owfp_conn *c, owfp_flow_key *k, char *path, size_t len)
{
	struct sockaddr_storage server;
	socklen_t slen = sizeof(server);
	uint64_t pid;

	if (c->w->proxy->o.local != OWFP_PROXY_LOCAL_CLIENT ||
	    !owfp_engine_wants_process(c->w->proxy->engine) ||
	    getsockname(c->s[OWFP_SIDE_CLIENT].fd, (struct sockaddr *)&server, &slen) ||
	    owfp_proxy_local_process((const struct sockaddr *)&c->client.ss,
				     (const struct sockaddr *)&server, &pid, path, len))
		return;
	k->process_id = pid;
	k->process_path = path;
}

static void conn_upstream_failed(struct owfp_conn *c, int err)
{
	atomic_fetch_add_explicit(&c->w->c.upstream_errors, 1, memory_order_relaxed);
	owfp_conn_emit(c, OWFP_PEV_UPSTREAM_ERROR, err, strerror(err));
	owfp_conn_destroy(c, true);
}

/* `events` of the upstream socket; 0 when connect() completed at once. */
static void conn_connected(struct owfp_conn *c, uint32_t events)
{
	struct owfp_proxy *p = c->w->proxy;
	/* Only a failed connect raises EPOLLERR/EPOLLHUP: no SO_ERROR call otherwise. */
	int e = (events & (EPOLLERR | EPOLLHUP)) ? owfp_sock_error(c->s[OWFP_SIDE_UPSTREAM].fd) : 0;

	if ((events & (EPOLLERR | EPOLLHUP)) && !e)
		e = ECONNREFUSED;
	owfp_flow_key key;
	char process_path[PATH_MAX];

	if (e) {
		conn_upstream_failed(c, e);
		return;
	}
	if (c->state == OWFP_CONN_CONNECTING)
		c->w->nconnecting--;
	c->state = OWFP_CONN_OPEN;
	conn_key(c, &key);
	conn_process(c, &key, process_path, sizeof(process_path));
	int rc = owfp_flow_create(p->engine, &key, &conn_ops, c, &c->flow);
	if (rc < 0) {
		c->flow = NULL;
		atomic_fetch_add_explicit(&c->w->c.refused, 1, memory_order_relaxed);
		owfp_conn_emit(c, OWFP_PEV_FLOW_REFUSED, -rc, strerror(-rc));
		owfp_conn_destroy(c, true);
		return;
	}
	/* A client usually sends its first bytes while the upstream connects:
	 * read them now, not after another epoll_wait (one wake-up and one
	 * system call less per connection; a client that waits for the server
	 * costs one recv() that finds nothing). */
	c->s[OWFP_SIDE_CLIENT].rd_ready = true;
	side_read(c, &c->s[OWFP_SIDE_CLIENT], 0);
	conn_settle(c);
}

static void addr_unmap(owfp_proxy_addr *a)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;

	if (a->ss.ss_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
		return;
	struct sockaddr_in in4 = {.sin_family = AF_INET, .sin_port = in6->sin6_port};
	memcpy(&in4.sin_addr, &in6->sin6_addr.s6_addr[12], 4);
	memset(&a->ss, 0, sizeof(a->ss));
	memcpy(&a->ss, &in4, sizeof(in4));
	a->len = sizeof(in4);
}

void owfp_conn_accept(struct owfp_worker *w, int fd, const struct sockaddr *peer, socklen_t len)
{
	struct owfp_proxy *p = w->proxy;
	struct owfp_conn *c = owfp_calloc(1, sizeof(*c));
	bool tproxy = false, done = false;

	atomic_fetch_add_explicit(&w->c.accepted, 1, memory_order_relaxed);
	if (!c) {
		owfp_sock_reset(fd);
		atomic_fetch_add_explicit(&w->c.closed, 1, memory_order_relaxed);
		return;
	}
	c->w = w;
	c->id = atomic_fetch_add(&p->next_conn_id, 1) + 1;
	c->rst_side = -1;
	c->state = OWFP_CONN_CONNECTING;
	for (int i = 0; i < 2; i++) {
		c->s[i].kind = OWFP_EP_SIDE;
		c->s[i].conn = c;
		c->s[i].idx = i;
		c->s[i].fd = -1;
		c->s[i].pipe[0] = c->s[i].pipe[1] = -1;
	}
	c->s[OWFP_SIDE_CLIENT].fd = fd;
	c->s[OWFP_SIDE_CLIENT].nodelay = true; /* from the listener */
	memcpy(&c->client.ss, peer, len);
	c->client.len = len;
	addr_unmap(&c->client);
	c->next = w->conns;
	if (w->conns)
		w->conns->prev = c;
	w->conns = c;
	w->nconns++;
	w->nconnecting++;
	/* TCP_NODELAY and SO_OOBINLINE come from the listener (sock.c). */

	if (p->o.transparent) {
		int rc = owfp_sock_original_dst(fd, &c->upstream, &tproxy);
		if (rc < 0) {
			conn_upstream_failed(c, -rc);
			return;
		}
		addr_unmap(&c->upstream);
		/* A connection to the proxy itself would loop forever. */
		if (owfp_sock_addr_equal((struct sockaddr *)&c->upstream.ss,
					 (struct sockaddr *)&p->o.listen.ss)) {
			conn_upstream_failed(c, ELOOP);
			return;
		}
	} else {
		c->upstream = p->o.upstream;
	}
	owfp_conn_emit(c, OWFP_PEV_ACCEPT, 0, NULL);
	/* Fail closed on too many connections: a flood must not exhaust memory
	 * or descriptors for the connections already being served. */
	if (owfp_proxy_active(p) > p->o.max_connections) {
		limit_hit(c, "connection limit (--max-connections): new connection refused");
		owfp_conn_destroy(c, true);
		return;
	}
	/* Fail closed before taking on more work than the global limit allows. */
	if (owfp_engine_mem_used(p->engine) > p->o.global_limit / 10 * 9) {
		limit_hit(c, "global memory limit (--global-limit): new connection refused");
		owfp_conn_destroy(c, true);
		return;
	}
	const owfp_proxy_addr *source = NULL;
	owfp_proxy_addr src_copy;
	if (tproxy && p->o.spoof_source) {
		src_copy = c->client;
		((struct sockaddr_in *)&src_copy.ss)->sin_port = 0; /* same offset for v6 */
		source = &src_copy;
	}
	int ufd = owfp_sock_connect(&c->upstream, source, &done);
	if (ufd == -EMFILE || ufd == -ENFILE) {
		/* Our limit, not the upstream's fault: say so, as at accept. */
		limit_hit(c, OWFP_PROXY_FD_LIMIT_DETAIL);
		owfp_conn_destroy(c, true);
		return;
	}
	if (ufd < 0) {
		conn_upstream_failed(c, -ufd);
		return;
	}
	c->s[OWFP_SIDE_UPSTREAM].fd = ufd;
	/* Keepalive (five setsockopt calls) waits for the worker's next sweep:
	 * most connections are over by then (docs/proxy.md, --keepalive). */
	if (p->o.keepalive_s != OWFP_PROXY_NO_TIMEOUT) {
		if (w->sweep_ms)
			c->ka_pending = true;
		else /* no sweep: now; best effort, a timeout still ends it */
			owfp_sock_keepalive(ufd, p->o.keepalive_s);
	}
	c->active_ms = owfp_clock_ms();
	c->connect_deadline_ms = c->active_ms + p->o.connect_timeout_ms;
	if (done) {
		conn_connected(c, 0);
		return;
	}
	conn_update_events(c);
}

void owfp_conn_check_timeout(struct owfp_conn *c, uint64_t now)
{
	const owfp_proxy_opts *o = &c->w->proxy->o;

	if (c->dead)
		return;
	if (c->ka_pending && c->state != OWFP_CONN_CONNECTING) {
		c->ka_pending = false; /* best effort: a timeout still ends it */
		owfp_sock_keepalive(c->s[OWFP_SIDE_UPSTREAM].fd, o->keepalive_s);
	}
	if (c->state == OWFP_CONN_CONNECTING) {
		if (now >= c->connect_deadline_ms)
			conn_upstream_failed(c, ETIMEDOUT);
		return;
	}
	/* Idle connections must not hold --max-connections (and memory)
	 * forever; once a peer has sent its FIN, the wait is shorter. */
	bool half = c->s[0].rd_closed || c->s[1].rd_closed;
	unsigned limit = half ? o->half_closed_timeout_ms : o->idle_timeout_ms;
	if (limit == OWFP_PROXY_NO_TIMEOUT || now < c->active_ms + limit)
		return;
	if (c->sm && owfp_sockmap_moved(c)) { /* the kernel moved bytes: no events */
		c->active_ms = now;
		return;
	}
	limit_hit(c, half ? "half-closed timeout (--half-closed-timeout): nothing moved since a FIN"
			  : "idle timeout (--idle-timeout): nothing moved either way");
	conn_settle(c);
}

void owfp_conn_check_defer(struct owfp_conn *c, uint64_t now)
{
	if (c->dead || !c->flow || !c->deferred)
		return;
	/* A drop goes through op_drop (kill): settling resets both sockets. */
	owfp_flow_expire(c->flow, now);
	conn_settle(c);
}

void owfp_conn_settle_now(struct owfp_conn *c)
{
	conn_settle(c);
}

void owfp_conn_run_pending(struct owfp_conn *c)
{
	if (c->dead || !c->flow)
		return;
	c->active_ms = c->w->now_ms;
	owfp_flow_run_pending(c->flow);
	conn_settle(c);
}

void owfp_conn_event(struct owfp_side *s, uint32_t events)
{
	struct owfp_conn *c = s->conn;

	if (c->dead)
		return;
	c->active_ms = c->w->now_ms;
	if (events & (EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		s->rd_ready = true;
	if (c->state == OWFP_CONN_CONNECTING) {
		if (s->idx == OWFP_SIDE_UPSTREAM)
			conn_connected(c, events);
		return;
	}
	if (c->state == OWFP_CONN_OFFLOADED) {
		offload_event(c, s, events);
		conn_settle(c);
		return;
	}
	if (events & EPOLLOUT)
		conn_flush(c, s);
	if (side_may_read(s))
		side_read(c, s, events);
	else if (events & EPOLLERR) {
		int e = owfp_sock_error(s->fd);
		if (e && c->rst_side < 0)
			c->rst_side = s->idx;
	}
	conn_settle(c);
}

void owfp_conn_run_ready(struct owfp_worker *w)
{
	struct owfp_side *s = w->ready_head;

	/* Sides queued while these run wait for the next round, after
	 * epoll_wait: a fast sender cannot starve the other connections. */
	w->ready_head = NULL;
	while (s) {
		struct owfp_side *next = s->ready_next;
		struct owfp_conn *c = s->conn;
		s->on_ready = false;
		if (!c->dead && c->state == OWFP_CONN_OPEN && side_may_read(s)) {
			c->active_ms = w->now_ms;
			/* EPOLLPRI: no short read counts as drained here, since
			 * nothing tells whether urgent data stopped it. */
			side_read(c, s, EPOLLPRI);
			conn_settle(c);
		}
		s = next;
	}
}
