/* Starting, stopping and counting the proxy's workers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy/proxy_int.h"
#include "util/alloc.h"

static void opts_defaults(owfp_proxy_opts *o)
{
	if (!o->queue_high)
		o->queue_high = 1u << 20;
	if (!o->flow_limit)
		o->flow_limit = 16u << 20;
	if (!o->global_limit)
		o->global_limit = (size_t)512u << 20;
	if (!o->read_size)
		o->read_size = 256u << 10;
	if (!o->pipe_size)
		o->pipe_size = 256u << 10;
	if (!o->connect_timeout_ms)
		o->connect_timeout_ms = 10000;
	if (!o->idle_timeout_ms)
		o->idle_timeout_ms = 300000;
	if (!o->half_closed_timeout_ms)
		o->half_closed_timeout_ms = 60000;
	if (o->half_closed_timeout_ms > o->idle_timeout_ms)
		o->half_closed_timeout_ms = o->idle_timeout_ms;
	if (!o->keepalive_s)
		o->keepalive_s = 60;
	if (!o->poll_spin)
		o->poll_spin = 32;
	if (o->workers <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		o->workers = n > 0 ? (int)n : 1;
	}
	/* Fail closed at a count the descriptor limit can hold (fdlimit.c). */
	if (!o->max_connections) {
		uint64_t fit = owfp_proxy_fd_fit((uint64_t)o->workers * OWFP_PROXY_FDS_PER_WORKER);
		o->max_connections = fit < 65536 ? fit : 65536;
	}
	/* The limit must leave room for at least one high-water queue. */
	if (o->flow_limit < o->queue_high + o->read_size)
		o->flow_limit = o->queue_high + o->read_size;
}

static const char *const offload_names[] = {
	[OWFP_PROXY_OFFLOAD_AUTO] = "auto",
	[OWFP_PROXY_OFFLOAD_SOCKMAP] = "sockmap",
	[OWFP_PROXY_OFFLOAD_SPLICE] = "splice",
	[OWFP_PROXY_OFFLOAD_NONE] = "none",
};

/* AUTO is splice for now: the kernel's sockmap redirect does not push back
 * on a sender faster than the receiver (docs/proxy.md "Limits"), so a bulk
 * flow on a busy machine can reach the fail-closed limit. SOCKMAP asked for
 * by name and unavailable fails the start. */
static int offload_setup(struct owfp_proxy *p, owfp_error *err)
{
	enum owfp_proxy_offload want = p->o.offload;

	p->offload = want == OWFP_PROXY_OFFLOAD_AUTO ? OWFP_PROXY_OFFLOAD_SPLICE : want;
	if (want != OWFP_PROXY_OFFLOAD_SOCKMAP)
		return 0;
	int rc = owfp_sockmap_open(&p->sm, p->offload_why, sizeof(p->offload_why));
	if (rc == 0) {
		p->offload = OWFP_PROXY_OFFLOAD_SOCKMAP;
		return 0;
	}
	if (want == OWFP_PROXY_OFFLOAD_SOCKMAP) {
		snprintf(err->msg, sizeof(err->msg), "--offload sockmap: %s; use --offload splice",
			 p->offload_why);
		return rc;
	}
	p->offload = OWFP_PROXY_OFFLOAD_SPLICE;
	return 0;
}

const char *owfp_proxy_offload_mode(const owfp_proxy *p, const char **why)
{
	if (why)
		*why = p->offload_why;
	return offload_names[p->offload];
}

int owfp_proxy_start(owfp_engine *engine, const owfp_proxy_opts *opts, owfp_proxy **out,
		     owfp_error *err)
{
	struct owfp_proxy *p = owfp_calloc(1, sizeof(*p));
	int rc = 0;

	*out = NULL;
	if (!p) {
		snprintf(err->msg, sizeof(err->msg), "proxy: out of memory");
		return -ENOMEM;
	}
	p->engine = engine;
	p->o = *opts;
	opts_defaults(&p->o);
	/* One limit for queued bytes and bytes the engine holds. */
	if (engine)
		owfp_engine_mem_limit_set(engine, p->o.global_limit);
	p->workers = owfp_calloc((size_t)p->o.workers, sizeof(*p->workers));
	if (!p->workers) {
		free(p);
		snprintf(err->msg, sizeof(err->msg), "proxy: out of memory");
		return -ENOMEM;
	}
	rc = offload_setup(p, err);
	if (rc)
		goto fail;
	for (int i = 0; i < p->o.workers; i++) {
		rc = owfp_worker_init(&p->workers[i], p, i, err);
		p->nworkers = i + 1;
		if (rc)
			goto fail;
		/* Port 0: every later listener shares the port the first one got. */
		if (i == 0) {
			struct sockaddr_storage ss;
			socklen_t len = sizeof(ss);
			if (getsockname(p->workers[0].listener.fd, (struct sockaddr *)&ss, &len) ==
			    0) {
				memcpy(&p->o.listen.ss, &ss, len);
				p->o.listen.len = len;
			}
		}
	}
	if (p->o.before_workers) {
		rc = p->o.before_workers(p->o.before_workers_arg, err);
		if (rc)
			goto fail;
	}
	for (int i = 0; i < p->nworkers; i++) {
		rc = owfp_worker_start(&p->workers[i], err);
		if (rc)
			goto fail;
	}
	*out = p;
	return 0;
fail:
	owfp_proxy_destroy(p);
	return rc;
}

const owfp_proxy_addr *owfp_proxy_listen_addr(const owfp_proxy *p)
{
	return &p->o.listen;
}

void owfp_proxy_stop_accepting(owfp_proxy *p)
{
	for (int i = 0; i < p->nworkers; i++) {
		atomic_store(&p->workers[i].stop_accepting, true);
		owfp_worker_kick(&p->workers[i]);
	}
}

uint64_t owfp_proxy_active(owfp_proxy *p)
{
	uint64_t a = 0, c = 0;

	for (int i = 0; i < p->nworkers; i++) {
		a += atomic_load(&p->workers[i].c.accepted);
		c += atomic_load(&p->workers[i].c.closed);
	}
	return a - c;
}

int owfp_proxy_nworkers(const owfp_proxy *p)
{
	return p->nworkers;
}

void owfp_proxy_stats_get(owfp_proxy *p, owfp_proxy_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < p->nworkers; i++) {
		struct owfp_worker_counters *c = &p->workers[i].c;
		uint64_t closed = atomic_load(&c->closed);
		out->accepted += atomic_load(&c->accepted);
		out->active -= closed; /* wraps back once accepted is added below */
		out->upstream_errors += atomic_load(&c->upstream_errors);
		out->refused += atomic_load(&c->refused);
		out->dropped += atomic_load(&c->dropped);
		out->resets += atomic_load(&c->resets);
		out->offloaded += atomic_load(&c->offloaded);
		out->limits_hit += atomic_load(&c->limits_hit);
		out->bytes_spliced += atomic_load(&c->bytes_spliced);
		out->bytes_redirected += atomic_load(&c->bytes_redirected);
		for (int d = 0; d < 2; d++) {
			out->bytes_read[d] += atomic_load(&c->bytes_read[d]);
			out->bytes_written[d] += atomic_load(&c->bytes_written[d]);
		}
	}
	out->active += out->accepted;
	out->queued = atomic_load(&p->queued);
	out->offload = offload_names[p->offload];
	owfp_sockmap_counts(p->sm, &out->sockmap_flows, &out->sockmap_no_peer);
}

void owfp_proxy_destroy(owfp_proxy *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nworkers; i++)
		owfp_worker_join(&p->workers[i]);
	for (int i = 0; i < p->nworkers; i++)
		owfp_worker_fini(&p->workers[i]);
	owfp_sockmap_close(p->sm);
	free(p->workers);
	free(p);
}
