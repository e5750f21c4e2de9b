/*
 * The offload: once no stage inspects a flow (ALLOW_CONNECTION from all),
 * its bytes go socket to socket in the kernel: through the BPF sockmap
 * (sockmap.c) when the proxy has it, else (or when a flow cannot go there,
 * e.g. half-closed or the map full) socket -> pipe -> socket with splice(2);
 * they never enter user space. One pipe per direction. The source is read while its pipe has
 * room, also while the destination is full, so reading and writing overlap;
 * at most one pipe's worth per direction is in flight.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "proxy/proxy_int.h"

#define PUMP_ROUNDS 8

bool owfp_offload_drained(struct owfp_conn *c, struct owfp_side *d)
{
	if (c->sm)
		return owfp_sockmap_drained(c, d);
	return c->s[1 - d->idx].in_pipe == 0;
}

int owfp_offload_start(struct owfp_conn *c)
{
	const struct owfp_proxy *p = c->w->proxy;

	if (p->offload == OWFP_PROXY_OFFLOAD_NONE)
		return -EOPNOTSUPP;
	if (p->offload == OWFP_PROXY_OFFLOAD_SOCKMAP) {
		int rc = owfp_sockmap_start(c);
		if (rc == 0 || rc == -EPROTO) {
			c->state = OWFP_CONN_OFFLOADED;
			atomic_fetch_add_explicit(&c->w->c.offloaded, 1, memory_order_relaxed);
			if (rc == 0)
				owfp_conn_emit(c, OWFP_PEV_OFFLOAD, 0, "sockmap");
			return rc;
		}
		if (rc == -EAGAIN)
			return rc;
		/* Not this flow (half-closed, map full): splice it. */
	}

	for (int i = 0; i < 2; i++) {
		struct owfp_side *s = &c->s[i];
		if (pipe2(s->pipe, O_NONBLOCK | O_CLOEXEC)) {
			int e = errno;
			for (int j = 0; j <= i; j++)
				owfp_offload_stop(&c->s[j]);
			return -e;
		}
		/* Bigger pipes mean fewer splice calls; the kernel may cap the size. */
		fcntl(s->pipe[1], F_SETPIPE_SZ, (int)p->o.pipe_size);
		int cap = fcntl(s->pipe[1], F_GETPIPE_SZ);
		s->pipe_cap = cap > 0 ? (size_t)cap : 65536;
		s->pipe_full = false;
	}
	c->state = OWFP_CONN_OFFLOADED;
	atomic_fetch_add_explicit(&c->w->c.offloaded, 1, memory_order_relaxed);
	owfp_conn_emit(c, OWFP_PEV_OFFLOAD, 0, "splice");
	return 0;
}

int owfp_offload_pump(struct owfp_conn *c, struct owfp_side *s, bool *eof)
{
	struct owfp_side *o = &c->s[1 - s->idx];
	struct owfp_worker *w = c->w;

	*eof = false;
	for (int round = 0; round < PUMP_ROUNDS; round++) {
		bool progress = false;
		if (s->in_pipe && !o->wr_closed && o->fd >= 0) {
			ssize_t n = splice(s->pipe[0], NULL, o->fd, NULL, s->in_pipe,
					   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n < 0 && errno != EINTR && errno != EAGAIN) {
				o->wr_closed = true;
				if (c->rst_side < 0)
					c->rst_side = o->idx;
				return -errno;
			}
			if (n > 0) {
				s->in_pipe -= (size_t)n;
				s->pipe_full = false;
				progress = true;
				c->written[o->idx] += (size_t)n;
				atomic_fetch_add_explicit(&w->c.bytes_written[o->idx], (uint64_t)n,
							  memory_order_relaxed);
				atomic_fetch_add_explicit(&w->c.bytes_spliced, (uint64_t)n,
							  memory_order_relaxed);
			}
		}
		if (!s->rd_closed && !s->paused && !s->pipe_full && s->in_pipe < s->pipe_cap) {
			ssize_t n = splice(s->fd, NULL, s->pipe[1], NULL, s->pipe_cap - s->in_pipe,
					   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n == 0) {
				*eof = true;
				return 0;
			}
			if (n < 0 && errno == EAGAIN && s->in_pipe) {
				/* No room left in the pipe's slots (not the socket's fault):
				 * stop reading until the destination takes some. */
				s->pipe_full = true;
			} else if (n < 0 && errno != EINTR && errno != EAGAIN) {
				s->rd_closed = true;
				if (c->rst_side < 0)
					c->rst_side = s->idx;
				return -errno;
			} else if (n > 0) {
				s->in_pipe += (size_t)n;
				progress = true;
				atomic_fetch_add_explicit(&w->c.bytes_read[s->idx], (uint64_t)n,
							  memory_order_relaxed);
			}
		}
		if (!progress)
			return 0;
	}
	return 0;
}

void owfp_offload_stop(struct owfp_side *s)
{
	for (int i = 0; i < 2; i++) {
		if (s->pipe[i] >= 0)
			close(s->pipe[i]);
		s->pipe[i] = -1;
	}
	s->in_pipe = 0;
	s->pipe_full = false;
}
