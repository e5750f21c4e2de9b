/* Internal structures of the proxy: workers, connections, their sides. */
#ifndef OWFP_PROXY_PROXY_INT_H
#define OWFP_PROXY_PROXY_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "proxy/outq.h"
#include "proxy/proxy.h"

/* What an epoll entry points at (the first member of each owner). */
enum owfp_ep_kind { OWFP_EP_LISTENER = 1, OWFP_EP_WAKE, OWFP_EP_SIDE };

enum { OWFP_SIDE_CLIENT = 0, OWFP_SIDE_UPSTREAM = 1 };

struct owfp_conn;
struct owfp_worker;

/* One socket of a proxied connection. */
struct owfp_side {
	enum owfp_ep_kind kind;
	struct owfp_conn *conn;
	int idx;         /* OWFP_SIDE_* */
	int fd;          /* -1 once closed */
	uint32_t events; /* mask registered with epoll (0 = not registered) */
	owfp_outq out;   /* engine output waiting to be written to fd */
	bool rd_ready;   /* edge-triggered: fd may hold bytes, a FIN or an error to read */
	bool on_ready;   /* in the worker's ready list (w->ready_head) */
	bool nodelay;    /* TCP_NODELAY is set (inherited by accepted sockets) */
	bool more;       /* the source's FIN follows what is delivered now: MSG_MORE */
	bool corked;     /* a MSG_MORE send left bytes for the FIN or a push to send */
	struct owfp_side *ready_next;
	bool rd_closed;   /* FIN or error read: nothing more to read */
	bool fin_pending; /* deliver_fin: shut down writing once out is empty */
	bool wr_closed;   /* shutdown(SHUT_WR) done, or writing failed */
	bool paused;      /* ops->pause for the direction this side sources */
	bool bp;          /* the other side's queue is above the high-water mark */
	bool rx_part;     /* the last recv() filled its buffer: the skb at the head of
			   * the receive queue may be partly read (sockmap.c) */
	int pipe[2];      /* offloaded: bytes read from fd waiting in a pipe */
	size_t in_pipe;
	size_t pipe_cap;    /* F_GETPIPE_SZ */
	bool pipe_full;     /* the last splice into the pipe found no room */
	uint64_t sm_cookie; /* sockmap: SO_COOKIE, the socket's key in the maps */
	uint64_t sm_base;   /* sockmap: bytes in the send queue's count at the switch */
};

enum owfp_conn_state { OWFP_CONN_CONNECTING = 1, OWFP_CONN_OPEN, OWFP_CONN_OFFLOADED };

struct owfp_conn {
	struct owfp_worker *w;
	uint64_t id;
	enum owfp_conn_state state;
	owfp_flow *flow;
	struct owfp_side s[2];
	owfp_proxy_addr client, upstream;
	uint64_t connect_deadline_ms;
	uint64_t active_ms; /* the last time anything happened on it (worker clock) */
	bool kill;          /* reset both sockets at the next settle point (drop, limit) */
	bool deferred;      /* a stage of the flow is deferred: counted in w->ndeferred */
	bool offload_req;
	bool ka_pending;  /* the upstream socket's keepalive waits for the next sweep */
	bool sm;          /* offloaded into the sockmap (sockmap.c) */
	bool sm_wait;     /* a FIN waits for the kernel's redirected bytes: w->nsm_wait */
	uint64_t sm_seen; /* redirected bytes at the last idle check */
	int rst_side;     /* side whose peer reset (read or write error), or -1 */
	bool dead;        /* destroyed; freed after the current epoll batch */
	struct owfp_conn *grave_next;
	uint64_t written[2];         /* bytes written to each side */
	bool wake_queued;            /* under w->wake_lock */
	struct owfp_conn *wake_next; /* under w->wake_lock */
	struct owfp_conn *prev, *next;
};

struct owfp_worker_counters {
	atomic_ullong accepted, closed, upstream_errors, refused, dropped, resets, offloaded,
		limits_hit, bytes_spliced, bytes_redirected;
	atomic_ullong bytes_read[2], bytes_written[2];
};

struct owfp_worker {
	struct owfp_proxy *proxy;
	int index;
	int epfd;
	struct {
		enum owfp_ep_kind kind;
		int fd;
	} listener, wake;
	pthread_t thread;
	bool started;
	bool busy; /* the last sleep was short: poll before sleeping */
	uint8_t *rbuf;
	size_t rbuf_size;
	struct owfp_conn *conns; /* every open connection of this worker */
	uint64_t nconns;
	uint64_t nconnecting;
	uint64_t next_timeout_check;
	uint64_t now_ms;    /* owfp_clock_ms() after the last epoll_wait */
	unsigned sweep_ms;  /* how often open connections are checked for timeouts; 0 = never */
	uint64_t ndeferred; /* connections whose flow has a deferred stage */
	uint64_t nsm_wait;  /* connections with sm_wait: look again every 1 ms */
	uint64_t next_defer_check;
	struct owfp_conn *graveyard; /* destroyed during this batch */
	/* Sides that may still hold bytes and may read now, though no event
	 * will say so (edge-triggered): read again after the batch. */
	struct owfp_side *ready_head;
	pthread_mutex_t wake_lock;
	struct owfp_conn *wake_head;
	atomic_bool stop_accepting;
	atomic_bool stop;
	struct owfp_worker_counters c;
	/* Out of descriptors: a spare one is given up to accept and reset the
	 * waiting connection (else the level-triggered listener would spin and
	 * the client hang); without a spare, accepting pauses for a while. */
	int spare_fd;
	bool accept_paused;
	uint64_t accept_resume_ms;
};

/* Descriptors each worker opens (epoll, eventfd, listener, spare). */
#define OWFP_PROXY_FDS_PER_WORKER 4
/* The proxy_limit detail when a connection is refused for want of them. */
#define OWFP_PROXY_FD_LIMIT_DETAIL \
	"descriptor limit (RLIMIT_NOFILE, ulimit -n): new connection refused"

struct owfp_proxy {
	owfp_engine *engine;
	owfp_proxy_opts o;
	int nworkers;
	struct owfp_worker *workers;
	atomic_ullong next_conn_id;
	atomic_size_t queued;            /* bytes in every output queue (global limit) */
	enum owfp_proxy_offload offload; /* the mode in use (o.offload asked for one) */
	struct owfp_sockmap *sm;         /* OWFP_PROXY_OFFLOAD_SOCKMAP only */
	char offload_why[160];           /* why sockmap is not in use, when it was wanted */
};

/* worker.c */
int owfp_worker_init(struct owfp_worker *w, struct owfp_proxy *p, int index, owfp_error *err);
int owfp_worker_start(struct owfp_worker *w, owfp_error *err);
void owfp_worker_kick(struct owfp_worker *w);
void owfp_worker_join(struct owfp_worker *w);
void owfp_worker_fini(struct owfp_worker *w);

/* conn.c */
void owfp_conn_accept(struct owfp_worker *w, int fd, const struct sockaddr *peer, socklen_t len);
void owfp_conn_event(struct owfp_side *s, uint32_t events);
/* Reads the sides of w->ready_head that were there when it was called. */
void owfp_conn_run_ready(struct owfp_worker *w);
void owfp_conn_run_pending(struct owfp_conn *c);
void owfp_conn_check_timeout(struct owfp_conn *c, uint64_t now);
/* Resets the connection if its flow stayed deferred past the engine's timeout. */
void owfp_conn_check_defer(struct owfp_conn *c, uint64_t now);
void owfp_conn_destroy(struct owfp_conn *c, bool reset);
void owfp_conn_emit(struct owfp_conn *c, enum owfp_proxy_event_type type, int err,
		    const char *detail);

void owfp_conn_settle_now(struct owfp_conn *c);

/* offload.c: sockmap or splice(2) for flows no stage inspects any longer.
 * 0; -EAGAIN: not yet, the flow stays on the copying path (try again at the
 * next settle); other -errno: stays there for good (c->kill: reset it). */
int owfp_offload_start(struct owfp_conn *c);
/* The kernel has nothing left that the other side sent toward d. */
bool owfp_offload_drained(struct owfp_conn *c, struct owfp_side *d);
/* Moves bytes from s->fd through s's pipe to the other side. 0, or -errno on a hard error. */
int owfp_offload_pump(struct owfp_conn *c, struct owfp_side *s, bool *eof);
void owfp_offload_stop(struct owfp_side *s);

/* sockmap.c: the BPF sockmap offload (one instance per proxy). */
struct owfp_sockmap;
/* Loads and attaches the program; on failure `why` says what is missing. */
int owfp_sockmap_open(struct owfp_sockmap **out, char *why, size_t len);
void owfp_sockmap_close(struct owfp_sockmap *m);
/* Flows in the maps now; bytes that met no peer entry (should stay 0). */
void owfp_sockmap_counts(struct owfp_sockmap *m, uint64_t *flows, uint64_t *no_peer);
/* The switch-over of an OPEN flow with empty output queues: as owfp_offload_start. */
int owfp_sockmap_start(struct owfp_conn *c);
/* An epoll event of an offloaded side: 1 its peer's FIN (every byte before
 * it redirected), -errno a reset, 0 nothing to do. */
int owfp_sockmap_event(struct owfp_conn *c, struct owfp_side *s, uint32_t events);
/* Every byte redirected toward d is in d's send queue (else c->sm_wait). */
bool owfp_sockmap_drained(struct owfp_conn *c, struct owfp_side *d);
/* Bytes moved since the last call (the idle timeout sees no events). */
bool owfp_sockmap_moved(struct owfp_conn *c);
/* Counts the flow's redirected bytes into c->written and the worker's
 * counters and takes its sockets out of the maps. */
void owfp_sockmap_stop(struct owfp_conn *c);

#endif /* OWFP_PROXY_PROXY_INT_H */
