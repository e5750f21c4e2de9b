#include "capture_recorder.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void logf_(struct recorder *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct recorder *r, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (r->loglen + (size_t)n + 1 > r->logcap) {
		r->logcap = (r->logcap + (size_t)n + 1) * 2;
		r->log = realloc(r->log, r->logcap);
	}
	memcpy(r->log + r->loglen, line, (size_t)n + 1);
	r->loglen += (size_t)n;
}

void recorder_init(struct recorder *r)
{
	memset(r, 0, sizeof(*r));
	r->log = calloc(1, 1);
	r->logcap = 1;
}

void recorder_free(struct recorder *r)
{
	for (size_t i = 0; i < r->nflows; i++) {
		free(r->flows[i].bytes[0]);
		free(r->flows[i].bytes[1]);
	}
	free(r->flows);
	free(r->log);
	memset(r, 0, sizeof(*r));
}

struct rec_flow *recorder_flow(struct recorder *r, uint64_t id)
{
	return id >= 1 && id <= r->nflows ? &r->flows[id - 1] : NULL;
}

static void *on_start(void *user, const owfp_capture_flow *f)
{
	struct recorder *r = user;
	r->flows = realloc(r->flows, (r->nflows + 1) * sizeof(*r->flows));
	struct rec_flow *rf = &r->flows[r->nflows++];
	memset(rf, 0, sizeof(*rf));
	rf->info = *f;
	rf->rst_from = -1;
	rf->end_reason = -1;
	logf_(r, "start %" PRIu64 " %s:%u > %s:%u%s\n", f->id, f->client.text, f->client.port,
	      f->server.text, f->server.port, f->midstream ? " midstream" : "");
	return (void *)(uintptr_t)f->id;
}

static void on_data(void *user, void *fu, const owfp_capture_data *d)
{
	struct recorder *r = user;
	struct rec_flow *f = recorder_flow(r, (uintptr_t)fu);
	unsigned dir = d->dir;
	if (f->len[dir] + d->len > f->cap[dir]) {
		f->cap[dir] = (f->len[dir] + d->len) * 2 + 64;
		f->bytes[dir] = realloc(f->bytes[dir], f->cap[dir]);
	}
	if (d->len)
		memcpy(f->bytes[dir] + f->len[dir], d->bytes, d->len);
	f->len[dir] += d->len;
	f->missed[dir] += d->missed_before;
	char text[24] = "";
	size_t k = d->len < 16 ? d->len : 16;
	for (size_t i = 0; i < k; i++)
		text[i] = d->bytes[i] >= 32 && d->bytes[i] < 127 ? (char)d->bytes[i] : '.';
	text[k] = 0;
	logf_(r, "data %" PRIuPTR " %u off=%" PRIu64 " len=%zu%s%s%s missed=%" PRIu64 " '%s'",
	      (uintptr_t)fu, dir, d->offset, d->len, d->flags & OWFP_CAPTURE_DATA_PSH ? " P" : "",
	      d->flags & OWFP_CAPTURE_DATA_URG ? " U" : "",
	      d->flags & OWFP_CAPTURE_DATA_MORE ? " M" : "", d->missed_before, text);
	if (r->log_ts)
		logf_(r, " ts=%" PRIu64, d->ts_ns);
	logf_(r, "\n");
	if (r->on_data)
		r->on_data(r, f, d);
}

static void on_fin(void *user, void *fu, unsigned dir, uint64_t ts)
{
	struct recorder *r = user;
	recorder_flow(r, (uintptr_t)fu)->fin[dir]++;
	logf_(r, "fin %" PRIuPTR " %u\n", (uintptr_t)fu, dir);
	(void)ts;
}

static void on_rst(void *user, void *fu, unsigned dir, uint64_t ts)
{
	struct recorder *r = user;
	recorder_flow(r, (uintptr_t)fu)->rst_from = (int)dir;
	logf_(r, "rst %" PRIuPTR " %u\n", (uintptr_t)fu, dir);
	(void)ts;
}

static void on_end(void *user, void *fu, enum owfp_capture_end_reason reason, uint64_t ts)
{
	struct recorder *r = user;
	recorder_flow(r, (uintptr_t)fu)->end_reason = (int)reason;
	logf_(r, "end %" PRIuPTR " %s\n", (uintptr_t)fu, owfp_capture_end_reason_name(reason));
	(void)ts;
}

const owfp_capture_sink recorder_sink = {
	.flow_start = on_start,
	.data = on_data,
	.fin = on_fin,
	.rst = on_rst,
	.flow_end = on_end,
};

int recorder_run(struct recorder *r, const char *path, const owfp_capture_opts *opts,
		 owfp_capture_stats *stats, owfp_capture_error *err)
{
	owfp_capture *cap;
	int rc = owfp_capture_open(path, opts, &cap, err);
	if (rc)
		return rc;
	r->cap = cap;
	rc = owfp_capture_run(cap, &recorder_sink, r, err);
	if (stats)
		owfp_capture_get_stats(cap, stats);
	r->cap = NULL;
	owfp_capture_close(cap);
	return rc;
}
