/*
 * One stderr line per failed upstream connection, rate-limited: a refused
 * or unreachable upstream is the first thing a user gets wrong, and a flood
 * of clients against a dead upstream must not become a flood of lines.
 *
 * Contract: at most one line per OWFP_UPSTREAM_LOG_INTERVAL_MS; failures in
 * between are counted and the count is given with the next line, or by
 * owfp_upstream_log_flush() at exit. Thread-safe (workers call it).
 */
#ifndef OWFP_PROXY_UPSTREAM_LOG_H
#define OWFP_PROXY_UPSTREAM_LOG_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "proxy/proxy.h"

#define OWFP_UPSTREAM_LOG_INTERVAL_MS 1000

typedef struct owfp_upstream_log {
	pthread_mutex_t lock;
	FILE *out;
	uint64_t last_ms;    /* when the last line was written; 0 = never */
	uint64_t suppressed; /* failures since then that got no line */
} owfp_upstream_log;

void owfp_upstream_log_init(owfp_upstream_log *l, FILE *out);
/* `ev` is an OWFP_PEV_UPSTREAM_ERROR; `now_ms` a monotonic clock. */
void owfp_upstream_log_event(owfp_upstream_log *l, const owfp_proxy_event *ev, uint64_t now_ms);
/* Says how many failures got no line, if any; then frees the lock. */
void owfp_upstream_log_flush(owfp_upstream_log *l);

#endif /* OWFP_PROXY_UPSTREAM_LOG_H */
