/*
 * --events FILE: one JSON object per line for every engine event
 * (owfp_event, written by src/host/events.c so the lines are replay's)
 * and every proxy event (accept, upstream error, offload, close, ...). Lines are written whole
 * under a lock, from any worker thread, and flushed at once so a reader
 * (a test, tail -f) sees them while the proxy runs.
 */
#ifndef OWFP_PROXY_EVENTS_H
#define OWFP_PROXY_EVENTS_H

#include "proxy/proxy.h"

typedef struct owfp_proxy_events owfp_proxy_events;

/* "-" is standard output. The file is created mode 0600 and appended to. */
int owfp_proxy_events_open(const char *path, owfp_proxy_events **out, owfp_error *err);
void owfp_proxy_events_close(owfp_proxy_events *e);
/* Signatures of owfp_engine_opts.event and owfp_proxy_opts.event. */
void owfp_proxy_events_engine(void *e, const owfp_event *ev);
void owfp_proxy_events_proxy(void *e, const owfp_proxy_event *ev);
/* Any other line ({"event":"reload",...}) as a ready JSON object text. */
void owfp_proxy_events_raw(owfp_proxy_events *e, const char *json_line);

#endif /* OWFP_PROXY_EVENTS_H */
