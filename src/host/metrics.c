/* Prometheus text of the engine's counters (host/metrics.h). */
#include "host/metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/callout_rows.h"
#include "util/alloc.h"

void owfp_metrics_printf(owfp_metrics_buf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;
		va_start(ap, fmt);
		int n = vsnprintf(b->p ? b->p + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 16384;
		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *p = owfp_realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

void owfp_metrics_family(owfp_metrics_buf *b, const char *name, const char *type, const char *help)
{
	owfp_metrics_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void owfp_metrics_sample(owfp_metrics_buf *b, const char *name, const char *labels, uint64_t v)
{
	if (labels)
		owfp_metrics_printf(b, "%s{%s} %llu\n", name, labels, (unsigned long long)v);
	else
		owfp_metrics_printf(b, "%s %llu\n", name, (unsigned long long)v);
}

void owfp_metrics_counter(owfp_metrics_buf *b, const char *name, const char *help, uint64_t v)
{
	owfp_metrics_family(b, name, "counter", help);
	owfp_metrics_sample(b, name, NULL, v);
}

void owfp_metrics_gauge(owfp_metrics_buf *b, const char *name, const char *help, uint64_t v)
{
	owfp_metrics_family(b, name, "gauge", help);
	owfp_metrics_sample(b, name, NULL, v);
}

void owfp_metrics_escape(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *in && o + 3 < outlen; in++) {
		if (*in == '\\' || *in == '"') {
			out[o++] = '\\';
			out[o++] = *in;
		} else if (*in == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else {
			out[o++] = *in;
		}
	}
	out[o] = 0;
}

void owfp_metrics_buf_free(owfp_metrics_buf *b)
{
	free(b->p);
	*b = (owfp_metrics_buf){0};
}

void owfp_metrics_build_info(owfp_metrics_buf *b)
{
	owfp_metrics_family(b, "openwfp_build_info", "gauge",
			    "Always 1; the version of openwfp in the label.");
	owfp_metrics_printf(b, "openwfp_build_info{version=\"%s\"} 1\n", owfp_version());
}

static void engine_totals(owfp_metrics_buf *b, const owfp_engine_stats *st)
{
	static const char *const dir[2] = {"direction=\"inbound\"", "direction=\"outbound\""};

	owfp_metrics_counter(b, "openwfp_flows_created_total",
			     "Flows (one per TCP connection) the engine created.", st->flows_created);
	owfp_metrics_gauge(b, "openwfp_flows_active", "Flows open now.", st->flows_active);
	owfp_metrics_counter(b, "openwfp_flows_dropped_total",
			     "Flows dropped (DROP_CONNECTION, FwpsFlowAbort0, fail-closed).",
			     st->flows_dropped);
	owfp_metrics_family(b, "openwfp_indicated_bytes_total", "counter",
			    "Bytes indicated to the stream layer, by direction.");
	for (int d = 0; d < 2; d++)
		owfp_metrics_sample(b, "openwfp_indicated_bytes_total", dir[d],
				    st->bytes_indicated[d]);
	owfp_metrics_family(b, "openwfp_delivered_bytes_total", "counter",
			    "Bytes the stream layer delivered to the receiver, by direction.");
	for (int d = 0; d < 2; d++)
		owfp_metrics_sample(b, "openwfp_delivered_bytes_total", dir[d],
				    st->bytes_delivered[d]);
	owfp_metrics_counter(b, "openwfp_violations_total",
			     "Stream-model rules a callout broke (each also logged).",
			     st->violations);
	owfp_metrics_counter(
		b, "openwfp_engine_limits_hit_total",
		"Engine limits reached (held bytes, deferred flows): the flow failed closed.",
		st->limits_hit);
	owfp_metrics_counter(b, "openwfp_driver_failures_total",
			     "Contained NT_ASSERT failures and bug checks in drivers.",
			     st->driver_failures);
}

/* Per-callout families: for each, every row (one per configured callout). */
static void callout_families(owfp_metrics_buf *b, const owfp_callout_row *rows, size_t n)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} fam[] = {
		{"openwfp_callout_classify_calls_total", "classifyFn calls.",
		 offsetof(owfp_callout_stats, classify_calls)},
		{"openwfp_callout_indicated_bytes_total", "Bytes indicated to the callout.",
		 offsetof(owfp_callout_stats, bytes_indicated)},
		{"openwfp_callout_permitted_bytes_total", "Bytes the callout permitted.",
		 offsetof(owfp_callout_stats, bytes_permitted)},
		{"openwfp_callout_blocked_bytes_total", "Bytes the callout blocked.",
		 offsetof(owfp_callout_stats, bytes_blocked)},
		{"openwfp_callout_continued_bytes_total",
		 "Bytes released by FwpsStreamContinue0 after a DEFER.",
		 offsetof(owfp_callout_stats, bytes_continued)},
		{"openwfp_callout_injected_bytes_total", "Bytes the callout injected.",
		 offsetof(owfp_callout_stats, bytes_injected)},
		{"openwfp_callout_violations_total", "Stream-model rules the callout broke.",
		 offsetof(owfp_callout_stats, violations)},
	};
	static const char *const action[OWFP_STREAM_ACTIONS] = {
		"none",  "need_more_data",   "drop_connection",
		"defer", "allow_connection", "invalid"};
	char name[200], labels[300];

	for (size_t f = 0; f < sizeof(fam) / sizeof(fam[0]); f++) {
		owfp_metrics_family(b, fam[f].name, "counter", fam[f].help);
		for (size_t i = 0; i < n; i++) {
			uint64_t v;
			memcpy(&v, (const char *)&rows[i].sum + fam[f].off, sizeof(v));
			owfp_metrics_escape(rows[i].name, name, sizeof(name));
			snprintf(labels, sizeof(labels), "callout=\"%s\"", name);
			owfp_metrics_sample(b, fam[f].name, labels, v);
		}
	}
	owfp_metrics_family(b, "openwfp_callout_answers_total", "counter",
			    "The callout's answers, by stream action (invalid: not a stream action).");
	for (size_t i = 0; i < n; i++) {
		owfp_metrics_escape(rows[i].name, name, sizeof(name));
		for (int a = 0; a < OWFP_STREAM_ACTIONS; a++) {
			snprintf(labels, sizeof(labels), "callout=\"%s\",action=\"%s\"", name,
				 action[a]);
			owfp_metrics_sample(b, "openwfp_callout_answers_total", labels,
					    rows[i].sum.stream_actions[a]);
		}
	}
}

void owfp_metrics_engine_stats(owfp_metrics_buf *b, const owfp_engine_stats *st)
{
	owfp_callout_row *rows = owfp_calloc(st->ncallouts ? st->ncallouts : 1, sizeof(*rows));
	size_t n = 0;

	if (!rows) {
		b->oom = true;
		return;
	}
	for (size_t i = 0; i < st->ncallouts; i++) {
		const owfp_callout_stats *c = &st->callouts[i];
		size_t k = 0;
		while (k < n && strcmp(rows[k].name, c->name))
			k++;
		if (k == n)
			snprintf(rows[n++].name, sizeof(rows[0].name), "%s", c->name);
		owfp_callout_stats *s = &rows[k].sum;
		s->classify_calls += c->classify_calls;
		s->bytes_indicated += c->bytes_indicated;
		s->bytes_permitted += c->bytes_permitted;
		s->bytes_blocked += c->bytes_blocked;
		s->bytes_continued += c->bytes_continued;
		s->bytes_injected += c->bytes_injected;
		s->violations += c->violations;
		for (int a = 0; a < OWFP_STREAM_ACTIONS; a++)
			s->stream_actions[a] += c->stream_actions[a];
	}
	engine_totals(b, st);
	callout_families(b, rows, n);
	free(rows);
}

int owfp_metrics_engine(owfp_metrics_buf *b, owfp_engine *engine)
{
	owfp_engine_stats *st = owfp_calloc(1, sizeof(*st));
	owfp_callout_row *rows = NULL;
	size_t n = 0;

	if (!st || owfp_engine_callout_rows(engine, &rows, &n)) {
		free(st);
		return -ENOMEM;
	}
	owfp_engine_stats_get(engine, st);
	engine_totals(b, st);
	owfp_metrics_gauge(b, "openwfp_held_bytes",
			   "Bytes held for flows now (engine stages, DEFER, injections, proxy queues): "
			   "the account --global-limit bounds.",
			   owfp_engine_mem_used(engine));
	callout_families(b, rows, n);
	free(rows);
	free(st);
	return b->oom ? -ENOMEM : 0;
}

int owfp_metrics_write_file(const char *path, const char *text, size_t len, owfp_error *err)
{
	size_t plen = strlen(path);
	char *tmp = owfp_malloc(plen + 16);
	int rc = 0;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, plen + 16, "%s.tmp.%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = w < 0 ? -errno : -EIO;
			break;
		}
		off += (size_t)w;
	}
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
out:
	if (rc)
		snprintf(err->msg, sizeof(err->msg), "--metrics-file %s: %s", path, strerror(-rc));
	free(tmp);
	return rc;
}
