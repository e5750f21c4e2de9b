/*
 * `openwfp proxy --metrics ADDR:PORT`: GET /metrics in the Prometheus text
 * format (host/metrics.h), served by a thread of its own so a slow or
 * hostile scraper never holds up a worker or the management loop.
 */
#ifndef OWFP_PROXY_METRICS_H
#define OWFP_PROXY_METRICS_H

#include <stdatomic.h>

#include "host/metrics.h"
#include "proxy/proxy.h"

/* Reloads (SIGHUP or the control socket's "reload"), counted by the app. */
typedef struct owfp_proxy_reloads {
	atomic_ullong ok, failed;
} owfp_proxy_reloads;

/* The proxy's counters (owfp_proxy_stats_get, as `openwfp stats` reads
 * them), the engine's and callouts', reloads and build info. 0 or -ENOMEM. */
int owfp_proxy_metrics_render(owfp_metrics_buf *b, owfp_proxy *p, owfp_engine *engine,
			      const owfp_proxy_reloads *reloads);

/* ---- metrics_http.c: the HTTP endpoint */

typedef struct owfp_metrics_server owfp_metrics_server;
/* Renders one response body into b; on non-zero the scrape gets a 500. */
typedef int (*owfp_metrics_render_fn)(void *user, owfp_metrics_buf *b);

/* Binds and listens (before any privilege drop); serves nothing yet. */
int owfp_metrics_server_open(const owfp_proxy_addr *addr, owfp_metrics_server **out, owfp_error *err);
/* The bound address (the kernel's port when 0 was asked). */
const owfp_proxy_addr *owfp_metrics_server_addr(const owfp_metrics_server *s);
/* Starts the serving thread; render runs on it, once per scrape. */
int owfp_metrics_server_start(owfp_metrics_server *s, owfp_metrics_render_fn render, void *user,
			      owfp_error *err);
/* Stops the thread (if started), closes every socket, frees. NULL is fine. */
void owfp_metrics_server_close(owfp_metrics_server *s);

#endif /* OWFP_PROXY_METRICS_H */
