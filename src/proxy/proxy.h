/*
 * openwfp proxy: the live TCP data path. Accepted connections are paired
 * with an upstream connection and their bytes flow through an owfp_flow in
 * each direction; the engine's decisions (deliver, FIN, RST, drop, pause,
 * offload) are carried out on the real sockets.
 *
 * Threads: `workers` event loops, each with its own SO_REUSEPORT listener
 * and its own flows (a flow never changes thread). The caller's thread runs
 * owfp_proxy_serve(): signals (SIGTERM drains, SIGHUP reloads) and the
 * control socket.
 */
#ifndef OWFP_PROXY_PROXY_H
#define OWFP_PROXY_PROXY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "openwfp/openwfp.h"

/* Which side of the proxied connection plays WFP's local host (Q28). */
enum owfp_proxy_local {
	OWFP_PROXY_LOCAL_CLIENT = 0, /* the accepted side: upstream data is INBOUND */
	OWFP_PROXY_LOCAL_SERVER = 1, /* the upstream side: client data is INBOUND */
};

typedef struct owfp_proxy_addr {
	struct sockaddr_storage ss;
	socklen_t len;
} owfp_proxy_addr;

/* Parses "1.2.3.4:80", "[::1]:80" or "host:port" (numeric only). */
int owfp_proxy_addr_parse(const char *text, owfp_proxy_addr *out, owfp_error *err);
/* "1.2.3.4:80" / "[::1]:80" into buf. */
const char *owfp_proxy_addr_str(const struct sockaddr *sa, char *buf, size_t len);

/* Events the proxy itself reports (besides the engine's owfp_event). */
enum owfp_proxy_event_type {
	OWFP_PEV_ACCEPT = 1,     /* a client connected */
	OWFP_PEV_UPSTREAM_ERROR, /* connect to the upstream failed: client reset */
	OWFP_PEV_FLOW_REFUSED,   /* owfp_flow_create failed (e.g. ALE BLOCK) */
	OWFP_PEV_OFFLOAD,        /* the flow is spliced from now on */
	OWFP_PEV_LIMIT,          /* a proxy memory limit was hit: flow reset */
	OWFP_PEV_CLOSE,          /* both sockets closed */
	OWFP_PEV_RELOAD,         /* configuration reloaded (or rejected) */
	OWFP_PEV_DRAIN,          /* SIGTERM: draining */
};

typedef struct owfp_proxy_event {
	enum owfp_proxy_event_type type;
	uint64_t conn_id; /* proxy connection number */
	uint64_t flow_id; /* 0 when no flow exists */
	const struct sockaddr *client;
	const struct sockaddr *upstream;
	int err;           /* errno, or 0 */
	uint64_t bytes[2]; /* bytes written to the client / upstream */
	const char *detail;
} owfp_proxy_event;

#define OWFP_PROXY_NO_TIMEOUT UINT_MAX

/* How a flow no stage inspects any longer moves (docs/proxy.md "Offload"). */
enum owfp_proxy_offload {
	OWFP_PROXY_OFFLOAD_AUTO = 0, /* splice for now (proxy.c says why) */
	OWFP_PROXY_OFFLOAD_SOCKMAP,  /* BPF sockmap redirect, in the kernel */
	OWFP_PROXY_OFFLOAD_SPLICE,   /* splice(2) through a pipe per direction */
	OWFP_PROXY_OFFLOAD_NONE,     /* stays on the copying path */
};

typedef struct owfp_proxy_opts {
	owfp_proxy_addr listen;
	owfp_proxy_addr upstream; /* unused when transparent */
	bool transparent;         /* TPROXY or REDIRECT: upstream = original destination */
	bool spoof_source;        /* TPROXY: connect upstream from the client's address */
	int workers;              /* 0 = number of online CPUs */
	enum owfp_proxy_local local;
	size_t queue_high;   /* per (flow, direction) output queue: stop reading above; 0 = 1 MiB */
	size_t flow_limit;   /* per (flow, direction) queue hard cap, fail closed; 0 = 16 MiB */
	size_t global_limit; /* every byte held for flows (queues and engine, one account:
	                               owfp_engine_mem_*), paused at 3/4, fail closed past it; 0 = 512 MiB */
	uint64_t max_connections; /* proxied connections at once, fail closed; 0 = what the
	                               descriptor limit holds, at most 65536 (fdlimit.c) */
	size_t read_size;         /* bytes per recv() = per indication at most; 0 = 256 KiB */
	size_t pipe_size;         /* splice pipe capacity when offloaded; 0 = 256 KiB */
	enum owfp_proxy_offload offload; /* SOCKMAP fails the start when BPF is unavailable */
	unsigned connect_timeout_ms;     /* 0 = 10000 */
	/* Timeouts of an open connection, reset (RST both ways, proxy_limit
	 * event) when no byte moved either way for this long; the half-closed
	 * one applies once either peer sent its FIN. 0 = the default (300 s,
	 * 60 s; the half-closed one at most the idle one),
	 * OWFP_PROXY_NO_TIMEOUT = never. */
	unsigned idle_timeout_ms;
	unsigned half_closed_timeout_ms;
	/* TCP keepalive on both sockets: idle seconds before the first probe
	 * (then every 10 s, 6 probes; TCP_USER_TIMEOUT the same total, for data
	 * never acknowledged). 0 = 60, OWFP_PROXY_NO_TIMEOUT = off. */
	unsigned keepalive_s;
	int poll_spin; /* polls (each after a sched_yield) before a busy worker
	                               sleeps; 0 = 32, negative = none */
	void (*event)(void *user, const owfp_proxy_event *ev); /* any worker thread; may be NULL */
	void *user;
	/* Called once the listeners are bound and before any worker thread
	 * exists, so what it does to the process (--user's privilege drop,
	 * capabilities kept for --spoof-source) is what every worker inherits.
	 * Non-zero aborts the start with that error. May be NULL. */
	int (*before_workers)(void *arg, owfp_error *err);
	void *before_workers_arg;
} owfp_proxy_opts;

/* Totals across workers (atomic snapshot). */
typedef struct owfp_proxy_stats {
	uint64_t accepted;
	uint64_t active;
	uint64_t upstream_errors;
	uint64_t refused; /* flow creation refused */
	uint64_t dropped; /* engine drop (DROP_CONNECTION, abort, limit) */
	uint64_t resets;  /* RST carried to a peer */
	uint64_t offloaded;
	uint64_t limits_hit;
	uint64_t bytes_read[2];    /* from the client / the upstream */
	uint64_t bytes_written[2]; /* to the client / the upstream */
	uint64_t bytes_spliced;
	uint64_t bytes_redirected; /* by the sockmap offload, counted when a flow closes */
	uint64_t sockmap_flows;    /* flows in the sockmap now */
	uint64_t sockmap_no_peer;  /* bytes that met no peer entry: should stay 0 */
	const char *offload;       /* "sockmap", "splice" or "none" */
	uint64_t queued;           /* bytes in output queues now */
} owfp_proxy_stats;

typedef struct owfp_proxy owfp_proxy;

/* Opens the listeners (one per worker) and starts the workers. */
int owfp_proxy_start(owfp_engine *engine, const owfp_proxy_opts *opts, owfp_proxy **out,
		     owfp_error *err);
/* Stops accepting; open connections carry on. */
void owfp_proxy_stop_accepting(owfp_proxy *p);
/* Connections still open. */
uint64_t owfp_proxy_active(owfp_proxy *p);
/* Resets every connection, stops the workers and frees. */
void owfp_proxy_destroy(owfp_proxy *p);
void owfp_proxy_stats_get(owfp_proxy *p, owfp_proxy_stats *out);
int owfp_proxy_nworkers(const owfp_proxy *p);
/* The offload mode in use; why sockmap is not ("" when it is or was not wanted). */
const char *owfp_proxy_offload_mode(const owfp_proxy *p, const char **why);
/* The listening address (with the port the kernel chose for port 0). */
const owfp_proxy_addr *owfp_proxy_listen_addr(const owfp_proxy *p);

/* fdlimit.c: RLIMIT_NOFILE's soft limit up to the hard one (best effort);
 * the soft limit (UINT64_MAX: none); the connections it holds at two
 * descriptors each, after those open now and `to_open` more. */
void owfp_proxy_fd_raise(void);
uint64_t owfp_proxy_fd_limit(void);
uint64_t owfp_proxy_fd_fit(uint64_t to_open);

#endif /* OWFP_PROXY_PROXY_H */
