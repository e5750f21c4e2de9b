/*
 * Prometheus text exposition (format 0.0.4) of openwfp's counters, shared
 * by `openwfp proxy --metrics` (served over HTTP, src/proxy/metrics*.c) and
 * `openwfp replay --metrics-file` (the node-exporter textfile collector).
 *
 * Written here rather than with a client library: Debian 12 packages no C
 * client (only prometheus-cpp, C++ with its own embedded HTTP server and
 * threads), and what is needed is small: render counters that already
 * exist (the ones `openwfp stats` shows) into text on demand. No registry,
 * no locks of its own: each render reads the live counters once.
 *
 * Names follow Prometheus conventions: openwfp_ prefix, _total on
 * counters, base units (bytes), labels only of bounded cardinality (callout
 * names from the configuration, directions, reasons; never addresses).
 */
#ifndef OWFP_HOST_METRICS_H
#define OWFP_HOST_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openwfp/openwfp.h"

/* A growing text buffer; on allocation failure oom is set and further
 * appends do nothing (the render then fails as a whole). */
typedef struct owfp_metrics_buf {
	char *p;
	size_t len, cap;
	bool oom;
} owfp_metrics_buf;

void owfp_metrics_printf(owfp_metrics_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "# HELP name help\n# TYPE name type\n": once per family, before its samples. */
void owfp_metrics_family(owfp_metrics_buf *b, const char *name, const char *type, const char *help);
/* One sample: name{labels} value. labels is NULL or `k="v",...` already escaped. */
void owfp_metrics_sample(owfp_metrics_buf *b, const char *name, const char *labels, uint64_t v);
/* A family of one unlabelled sample ("counter" or "gauge"). */
void owfp_metrics_counter(owfp_metrics_buf *b, const char *name, const char *help, uint64_t v);
void owfp_metrics_gauge(owfp_metrics_buf *b, const char *name, const char *help, uint64_t v);
/* A label value escaped (\\, \", \n) into out (truncated to fit). */
void owfp_metrics_escape(const char *in, char *out, size_t outlen);
void owfp_metrics_buf_free(owfp_metrics_buf *b);

/* openwfp_build_info{version=...} 1. */
void owfp_metrics_build_info(owfp_metrics_buf *b);
/* The engine's counters and each configured callout's (engine/callout_rows.h).
 * 0 or -ENOMEM. Safe from any thread (the engine's own lock). */
int owfp_metrics_engine(owfp_metrics_buf *b, owfp_engine *engine);
/* The same from counters copied earlier (a replay's report, the engine
 * gone): callouts of one name (one per layer) summed into one series. */
void owfp_metrics_engine_stats(owfp_metrics_buf *b, const owfp_engine_stats *st);

/* Writes text to path atomically (a temporary file beside it, then
 * rename), mode 0644, as the textfile collector wants: a reader never sees
 * half a file. 0 or negative errno with err set. */
int owfp_metrics_write_file(const char *path, const char *text, size_t len, owfp_error *err);

#endif /* OWFP_HOST_METRICS_H */
