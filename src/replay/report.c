/* The replay summary: text for people, one JSON object for programs. */
#include "replay/report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "host/events.h"

const char *const owfp_replay_end_names[OWFP_END_COUNT] = {"fin", "rst", "drop", "open", "timeout"};

void owfp_replay_report_talker(owfp_replay_report *r, const owfp_replay_talker *t)
{
	uint64_t total = t->bytes[0] + t->bytes[1];
	size_t pos = r->ntop;
	while (pos > 0 && r->top[pos - 1].bytes[0] + r->top[pos - 1].bytes[1] < total)
		pos--;
	if (pos >= OWFP_REPORT_TOP)
		return;
	size_t last = r->ntop < OWFP_REPORT_TOP ? r->ntop : OWFP_REPORT_TOP - 1;
	memmove(&r->top[pos + 1], &r->top[pos], (last - pos) * sizeof(r->top[0]));
	r->top[pos] = *t;
	if (r->ntop < OWFP_REPORT_TOP)
		r->ntop++;
}

void owfp_replay_report_free(owfp_replay_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ncaps; i++)
		free(r->caps[i].file);
	free(r->caps);
	free(r);
}

static void human(char *out, size_t len, uint64_t v)
{
	if (v < 1000)
		snprintf(out, len, "%llu B", (unsigned long long)v);
	else if (v < 1000000)
		snprintf(out, len, "%.1f KB", (double)v / 1e3);
	else if (v < 1000000000)
		snprintf(out, len, "%.1f MB", (double)v / 1e6);
	else
		snprintf(out, len, "%.2f GB", (double)v / 1e9);
}

/* The lines under a capture that speak only when something happened: each
 * is shown when its `show` holds; its format takes up to four %llu. */
static void print_capture_notes(FILE *out, const owfp_capture_stats *s)
{
	const struct {
		bool show;
		const char *fmt;
		unsigned long long v[4];
	} notes[] = {
		{s->non_tcp || s->bad_packets || s->bad_checksums || s->unsupported_link,
		 "    skipped: %llu non-TCP, %llu malformed, %llu bad checksum, %llu unsupported link\n",
		 {s->non_tcp, s->bad_packets, s->bad_checksums, s->unsupported_link}},
		{s->kernel_dropped || s->interface_dropped,
		 "    not captured: %llu packets dropped by the kernel (buffer full), %llu by the "
		 "interface; their bytes are holes\n",
		 {s->kernel_dropped, s->interface_dropped}},
		{s->retransmitted_bytes || s->overlaps_differing,
		 "    retransmitted %llu bytes, %llu overlapping segments with different data "
		 "(%llu bytes)\n",
		 {s->retransmitted_bytes, s->overlaps_differing, s->overlap_bytes_differing}},
	};

	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		if (notes[i].show)
			fprintf(out, notes[i].fmt, notes[i].v[0], notes[i].v[1], notes[i].v[2],
				notes[i].v[3]);
}

void owfp_replay_report_print(const owfp_replay_report *r, FILE *out)
{
	char a[32], b[32], c[32], d[32];
	uint64_t read = 0, missed = 0, holes = 0, dropped_paused = 0;
	fprintf(out, "openwfp replay: %zu capture%s, filters: %s%s\n", r->ncaps,
		r->ncaps == 1 ? "" : "s", r->config, r->nplugins ? " + plugins" : "");
	for (size_t i = 0; i < r->ncaps; i++) {
		const owfp_replay_capture_report *cr = &r->caps[i];
		const owfp_capture_stats *s = &cr->stats;
		read += s->bytes_read;
		missed += s->bytes_missed;
		holes += s->holes_skipped;
		dropped_paused += s->bytes_dropped_paused;
		human(a, sizeof(a), s->bytes_read);
		fprintf(out,
			"  %s: %s, %llu records, %llu TCP segments, %llu flows (%llu mid-stream)%s%s\n",
			cr->file, a, (unsigned long long)s->records,
			(unsigned long long)s->tcp_segments, (unsigned long long)s->flows,
			(unsigned long long)s->flows_midstream, cr->failed ? "\n    STOPPED: " : "",
			cr->failed ? cr->error : "");
		print_capture_notes(out, s);
	}
	fprintf(out, "\nflows: %llu", (unsigned long long)r->flows);
	if (r->flows_midstream)
		fprintf(out, " (%llu picked up mid-stream)", (unsigned long long)r->flows_midstream);
	fprintf(out, ", %llu dropped, %llu refused at flow-established, %llu offloaded\n",
		(unsigned long long)r->flows_dropped, (unsigned long long)r->flows_refused,
		(unsigned long long)r->flows_offloaded);
	static const char *const dn[2] = {"client->server", "server->client"};
	for (int dir = 0; dir < 2; dir++) {
		human(a, sizeof(a), r->indicated[dir]);
		human(b, sizeof(b), r->delivered[dir]);
		fprintf(out, "  %s: %s sent, %s delivered; ends:", dn[dir], a, b);
		for (int e = 0; e < OWFP_END_COUNT; e++)
			fprintf(out, " %s %llu", owfp_replay_end_names[e],
				(unsigned long long)r->ends[dir][e]);
		fputc('\n', out);
	}

	/* A built-in registers one callout per family under one name: show
	 * them together. */
	fprintf(out, "\ncallouts:\n");
	if (!r->engine.ncallouts)
		fprintf(out, "  (none registered)\n");
	size_t n = r->engine.ncallouts < 64 ? r->engine.ncallouts : 64;
	for (size_t i = 0; i < n; i++) {
		const owfp_callout_stats *first = &r->engine.callouts[i];
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(r->engine.callouts[j].name, first->name);
		if (seen)
			continue;
		owfp_callout_stats cs = *first;
		for (size_t j = i + 1; j < n; j++) {
			const owfp_callout_stats *o = &r->engine.callouts[j];
			if (strcmp(o->name, first->name) != 0)
				continue;
			cs.classify_calls += o->classify_calls;
			cs.bytes_indicated += o->bytes_indicated;
			cs.bytes_permitted += o->bytes_permitted;
			cs.bytes_blocked += o->bytes_blocked;
			cs.bytes_continued += o->bytes_continued;
			cs.bytes_injected += o->bytes_injected;
			cs.violations += o->violations;
			for (int k = 0; k < OWFP_STREAM_ACTIONS; k++)
				cs.stream_actions[k] += o->stream_actions[k];
		}
		human(a, sizeof(a), cs.bytes_indicated);
		human(b, sizeof(b), cs.bytes_permitted);
		human(c, sizeof(c), cs.bytes_blocked);
		human(d, sizeof(d), cs.bytes_injected);
		fprintf(out,
			"  %-20s %llu classify calls, %s indicated, %s permitted, %s blocked, "
			"%s injected\n",
			cs.name, (unsigned long long)cs.classify_calls, a, b, c, d);
		fprintf(out, "  %-20s answers:", "");
		for (int k = 0; k < OWFP_STREAM_ACTIONS; k++)
			if (cs.stream_actions[k] || k == 0)
				fprintf(out, " %s %llu", owfp_host_stream_action_name((uint32_t)k),
					(unsigned long long)cs.stream_actions[k]);
		if (cs.violations)
			fprintf(out, "; %llu contract violations", (unsigned long long)cs.violations);
		fputc('\n', out);
	}

	if (r->ntop) {
		fprintf(out, "\ntop talkers (flows by bytes sent):\n");
		for (size_t i = 0; i < r->ntop; i++) {
			const owfp_replay_talker *t = &r->top[i];
			human(a, sizeof(a), t->bytes[0]);
			human(b, sizeof(b), t->bytes[1]);
			fprintf(out, "  #%-4llu %s:%u -> %s:%u  %s up, %s down\n",
				(unsigned long long)t->flow_id, t->client, t->cport, t->server,
				t->sport, a, b);
		}
	}

	fprintf(out, "\nmissed and held:\n");
	human(a, sizeof(a), missed);
	fprintf(out, "  capture holes skipped: %llu (%s never captured)\n",
		(unsigned long long)holes, a);
	if (dropped_paused)
		fprintf(out, "  bytes dropped while a direction was paused: %llu\n",
			(unsigned long long)dropped_paused);
	human(a, sizeof(a), r->held_bytes);
	fprintf(out, "  still held by callouts when flows ended: %s in %llu flows\n", a,
		(unsigned long long)r->held_flows);
	fprintf(out, "  drain at end of capture: waited %llu ms for %llu flows%s\n",
		(unsigned long long)r->drain_waited_ms, (unsigned long long)r->drain_flows,
		r->drain_timed_out ? " (timed out: --drain-timeout)" : "");
	if (r->engine.violations || r->engine.limits_hit)
		fprintf(out, "  contract violations: %llu, resource limits hit: %llu\n",
			(unsigned long long)r->engine.violations,
			(unsigned long long)r->engine.limits_hit);
	if (r->engine.driver_failures)
		fprintf(out, "  driver assertion failures and bug checks contained: %llu\n",
			(unsigned long long)r->engine.driver_failures);
	human(a, sizeof(a), read);
	fprintf(out, "\n%s read in %.2f s", a, r->elapsed_s);
	if (r->elapsed_s > 0)
		fprintf(out, " (%.1f MB/s)", (double)read / 1e6 / r->elapsed_s);
	fputc('\n', out);
}

#define U(v) json_integer((json_int_t)(v))

void owfp_replay_report_print_json(const owfp_replay_report *r, FILE *out)
{
	json_t *o = json_object(), *caps = json_array(), *cos = json_array(), *top = json_array();
	for (size_t i = 0; i < r->ncaps; i++) {
		const owfp_replay_capture_report *cr = &r->caps[i];
		const owfp_capture_stats *s = &cr->stats;
		json_t *c = json_object();
		json_object_set_new(c, "file", json_string(cr->file ? cr->file : ""));
		json_object_set_new(c, "reader", json_string(cr->reader ? cr->reader : ""));
		json_object_set_new(c, "records", U(s->records));
		json_object_set_new(c, "bytes_read", U(s->bytes_read));
		json_object_set_new(c, "tcp_segments", U(s->tcp_segments));
		json_object_set_new(c, "non_tcp", U(s->non_tcp));
		json_object_set_new(c, "bad_packets", U(s->bad_packets));
		json_object_set_new(c, "bad_checksums", U(s->bad_checksums));
		json_object_set_new(c, "fragments_reassembled", U(s->fragments_reassembled));
		json_object_set_new(c, "flows", U(s->flows));
		json_object_set_new(c, "flows_midstream", U(s->flows_midstream));
		json_object_set_new(c, "retransmitted_bytes", U(s->retransmitted_bytes));
		json_object_set_new(c, "overlaps_differing", U(s->overlaps_differing));
		json_object_set_new(c, "holes_skipped", U(s->holes_skipped));
		json_object_set_new(c, "bytes_missed", U(s->bytes_missed));
		json_object_set_new(c, "bytes_dropped_paused", U(s->bytes_dropped_paused));
		if (cr->reader && !strcmp(cr->reader, "live")) {
			json_object_set_new(c, "kernel_dropped", U(s->kernel_dropped));
			json_object_set_new(c, "interface_dropped", U(s->interface_dropped));
		}
		json_object_set_new(c, "error", cr->failed ? json_string(cr->error) : json_null());
		json_array_append_new(caps, c);
	}
	json_object_set_new(o, "captures", caps);
	json_object_set_new(o, "config", json_string(r->config));
	json_object_set_new(o, "plugins", U(r->nplugins));
	json_object_set_new(o, "flows",
			    json_pack("{s:o, s:o, s:o, s:o, s:o}", "total", U(r->flows), "midstream",
				      U(r->flows_midstream), "dropped", U(r->flows_dropped), "refused",
				      U(r->flows_refused), "offloaded", U(r->flows_offloaded)));
	json_t *ends = json_object();
	static const char *const dn[2] = {"c2s", "s2c"};
	for (int d = 0; d < 2; d++) {
		json_t *e = json_object();
		for (int k = 0; k < OWFP_END_COUNT; k++)
			json_object_set_new(e, owfp_replay_end_names[k], U(r->ends[d][k]));
		json_object_set_new(ends, dn[d], e);
	}
	json_object_set_new(o, "ends", ends);
	json_object_set_new(o, "indications", U(r->indications));
	json_object_set_new(o, "bytes",
			    json_pack("{s:{s:o, s:o}, s:{s:o, s:o}}", "indicated", "c2s",
				      U(r->indicated[0]), "s2c", U(r->indicated[1]), "delivered",
				      "c2s", U(r->delivered[0]), "s2c", U(r->delivered[1])));
	for (size_t i = 0; i < r->engine.ncallouts && i < 64; i++) {
		const owfp_callout_stats *cs = &r->engine.callouts[i];
		json_t *c = json_object(), *acts = json_object();
		json_object_set_new(c, "name", json_string(cs->name));
		json_object_set_new(c, "callout_id", U(cs->callout_id));
		json_object_set_new(c, "classify_calls", U(cs->classify_calls));
		json_object_set_new(c, "bytes_indicated", U(cs->bytes_indicated));
		json_object_set_new(c, "bytes_permitted", U(cs->bytes_permitted));
		json_object_set_new(c, "bytes_blocked", U(cs->bytes_blocked));
		json_object_set_new(c, "bytes_continued", U(cs->bytes_continued));
		json_object_set_new(c, "bytes_injected", U(cs->bytes_injected));
		for (int k = 0; k < OWFP_STREAM_ACTIONS; k++)
			json_object_set_new(acts, owfp_host_stream_action_name((uint32_t)k),
					    U(cs->stream_actions[k]));
		json_object_set_new(c, "stream_actions", acts);
		json_object_set_new(c, "violations", U(cs->violations));
		json_array_append_new(cos, c);
	}
	json_object_set_new(o, "callouts", cos);
	for (size_t i = 0; i < r->ntop; i++) {
		const owfp_replay_talker *t = &r->top[i];
		json_array_append_new(top, json_pack("{s:o, s:s, s:i, s:s, s:i, s:o, s:o}", "flow",
						     U(t->flow_id), "client", t->client,
						     "client_port", (int)t->cport, "server",
						     t->server, "server_port", (int)t->sport, "c2s",
						     U(t->bytes[0]), "s2c", U(t->bytes[1])));
	}
	json_object_set_new(o, "top_talkers", top);
	json_object_set_new(
		o, "held",
		json_pack("{s:o, s:o}", "bytes", U(r->held_bytes), "flows", U(r->held_flows)));
	json_object_set_new(o, "drain",
			    json_pack("{s:o, s:o, s:b}", "waited_ms", U(r->drain_waited_ms),
				      "flows", U(r->drain_flows), "timed_out", r->drain_timed_out));
	json_object_set_new(o, "violations", U(r->engine.violations));
	json_object_set_new(o, "limits_hit", U(r->engine.limits_hit));
	json_object_set_new(o, "driver_failures", U(r->engine.driver_failures));
	json_object_set_new(o, "events_written", U(r->events_written));
	json_object_set_new(o, "elapsed_s", json_real(r->elapsed_s));
	json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(o);
}
