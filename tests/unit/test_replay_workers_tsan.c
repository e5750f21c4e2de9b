/*
 * replay --workers N (docs/replay.md, "Workers"): the capture thread's ring
 * to a worker keeps every message whole and in order across wraps and
 * full waits; a flow's two directions go to one worker; and a capture of
 * many interleaved flows (some dropped, some reset, more merged runs
 * pending than the coalescer keeps) replayed on 1, 2 and 4 workers writes
 * the same flows.tsv, --extract files and events, and the same report.
 * Run under ThreadSanitizer (make test-tsan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "replay/outlog.h"
#include "replay/report.h"
#include "replay/ring.h"
#include "replay/shard.h"

/* ------------------------------------------------------------- ring */

#define NMSG 20000

static size_t msg_len(unsigned i)
{
	/* Mostly small, now and then up to 40 KiB: wraps and full waits. */
	return 8 + (i % 13 == 0 ? (i * 7919u) % 40000u : (i * 31u) % 300u);
}

static void *producer(void *arg)
{
	owfp_ring *r = arg;
	for (unsigned i = 0; i < NMSG; i++) {
		size_t len = msg_len(i);
		uint8_t *m = owfp_ring_reserve(r, len);
		uint32_t l = (uint32_t)len;
		memcpy(m, &l, 4);
		memcpy(m + 4, &i, 4);
		for (size_t k = 8; k < len; k++)
			m[k] = (uint8_t)(i + k);
		owfp_ring_commit(r, len);
		if (i % 7 == 0)
			owfp_ring_kick(r);
	}
	owfp_ring_kick(r);
	return NULL;
}

static void test_the_ring_keeps_messages_whole_and_in_order(void **state)
{
	(void)state;
	owfp_ring r;
	pthread_t th;
	assert_int_equal(owfp_ring_init(&r, 128 * 1024), 0);
	assert_int_equal(pthread_create(&th, NULL, producer, &r), 0);
	for (unsigned i = 0; i < NMSG; i++) {
		uint8_t *m = owfp_ring_peek(&r);
		uint32_t l, got;
		memcpy(&l, m, 4);
		memcpy(&got, m + 4, 4);
		assert_int_equal(got, i);
		assert_int_equal(l, msg_len(i));
		for (size_t k = 8; k < l; k++)
			if (m[k] != (uint8_t)(i + k))
				fail_msg("message %u byte %zu differs", i, k);
		owfp_ring_release(&r, l);
	}
	pthread_join(th, NULL);
	owfp_ring_destroy(&r);
}

static void test_both_directions_of_a_flow_go_to_one_worker(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 2000; i++) {
		owfp_capture_flow a, b;
		memset(&a, 0, sizeof(a));
		a.family = 2;
		a.client.addr[0] = 10, a.client.addr[3] = (uint8_t)i;
		a.server.addr[0] = 10, a.server.addr[2] = (uint8_t)(i >> 8), a.server.addr[3] = 1;
		a.client.port = (uint16_t)(40000 + i);
		a.server.port = 80;
		b = a;
		b.client = a.server;
		b.server = a.client;
		for (unsigned n = 2; n <= 8; n++)
			assert_int_equal(owfp_shard_of(&a, n), owfp_shard_of(&b, n));
	}
}

/* ----------------------------------------------------------- outlog */

#define NREC 3000

static void *writer(void *arg)
{
	owfp_outlog *o = arg;
	FILE *f = owfp_outlog_stream(o, OWFP_OUT_EVENTS);
	assert_non_null(f);
	for (unsigned i = 1; i <= NREC; i++) {
		owfp_outlog_key(o, i, 0);
		/* Some records outgrow a 16 KiB chunk while they are written. */
		unsigned lines = i % 97 == 0 ? 3000 : 1 + i % 5;
		for (unsigned k = 0; k < lines; k++)
			fprintf(f, "record %u line %u\n", i, k);
		fflush(f);
		owfp_outlog_append(o, OWFP_OUT_TSV, &i, sizeof(i));
		if (i % 10 == 0 || i == NREC) /* a big record then starts mid-chunk */
			owfp_outlog_publish(o);
	}
	fclose(f);
	return NULL;
}

static void test_the_outlog_hands_over_records_whole_and_in_order(void **state)
{
	(void)state;
	owfp_outlog o;
	pthread_t th;
	owfp_outlog_init(&o);
	assert_int_equal(pthread_create(&th, NULL, writer, &o), 0);
	unsigned want = 1, kind = OWFP_OUT_EVENTS;
	while (want <= NREC) {
		const owfp_outrec *r = owfp_outlog_peek(&o);
		if (!r) {
			sched_yield();
			continue;
		}
		assert_int_equal(r->seq, want);
		assert_int_equal(r->kind, kind);
		if (kind == OWFP_OUT_EVENTS) {
			unsigned lines = want % 97 == 0 ? 3000 : 1 + want % 5, n = 0;
			for (uint32_t k = 0; k < r->len; k++)
				n += r->data[k] == '\n';
			assert_int_equal(n, lines);
			char first[64];
			int fl = snprintf(first, sizeof(first), "record %u line 0\n", want);
			assert_memory_equal(r->data, first, (size_t)fl);
			kind = OWFP_OUT_TSV;
		} else {
			unsigned v;
			memcpy(&v, r->data, sizeof(v));
			assert_int_equal(v, want);
			kind = OWFP_OUT_EVENTS;
			want++;
		}
		owfp_outlog_next(&o);
	}
	pthread_join(th, NULL);
	assert_null(owfp_outlog_peek(&o));
	assert_int_equal(o.error, 0);
	owfp_outlog_destroy(&o);
}

/* -------------------------------------------------- whole-run outputs */

static FILE *pcap;
static uint64_t now_us = 1000000000ull;

static uint16_t ip_sum(const uint8_t *h)
{
	uint32_t s = 0;
	for (int i = 0; i < 20; i += 2)
		s += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

enum { FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16 };

typedef struct conn {
	uint8_t c[4], s[4];
	uint16_t cport;
	uint32_t cseq, sseq;
} conn;

static void seg(conn *k, bool c2s, unsigned flags, const char *data, size_t len)
{
	uint8_t f[14 + 20 + 20 + 1500];
	memset(f, 0, 54);
	memcpy(f, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	uint8_t *ip = f + 14, *tcp = f + 34;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((40 + len) >> 8), ip[3] = (uint8_t)(40 + len);
	ip[6] = 0x40, ip[8] = 64, ip[9] = 6;
	memcpy(ip + 12, c2s ? k->c : k->s, 4);
	memcpy(ip + 16, c2s ? k->s : k->c, 4);
	uint16_t sum = ip_sum(ip);
	ip[10] = (uint8_t)(sum >> 8), ip[11] = (uint8_t)sum;
	uint16_t sp = c2s ? k->cport : 80, dp = c2s ? 80 : k->cport;
	uint32_t seq = c2s ? k->cseq : k->sseq, ack = c2s ? k->sseq : k->cseq;
	tcp[0] = (uint8_t)(sp >> 8), tcp[1] = (uint8_t)sp, tcp[2] = (uint8_t)(dp >> 8),
	tcp[3] = (uint8_t)dp;
	for (int i = 0; i < 4; i++) {
		tcp[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
		tcp[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	tcp[12] = 5 << 4, tcp[13] = (uint8_t)flags, tcp[14] = 0xff, tcp[15] = 0xff;
	memcpy(tcp + 20, data, len);
	uint32_t n = (uint32_t)(54 + len);
	now_us += 1;
	uint32_t rec[4] = {(uint32_t)(now_us / 1000000), (uint32_t)(now_us % 1000000), n, n};
	fwrite(rec, sizeof(rec), 1, pcap);
	fwrite(f, 1, n, pcap);
	uint32_t adv = (uint32_t)len + ((flags & (SYN | FIN)) ? 1u : 0u);
	if (c2s)
		k->cseq += adv;
	else
		k->sseq += adv;
}

/* 300 connections open at once, their packets interleaved: a request, an
 * answer in three segments (PSH on the last), every 7th answer with
 * TOP-SECRET (the configuration drops those), every 11th reset. */
static void write_capture(const char *path)
{
	enum { N = 300 };
	static conn k[N];
	char buf[600];
	pcap = fopen(path, "wb");
	assert_non_null(pcap);
	uint32_t hdr[6] = {0xa1b2c3d4, 2 | 4u << 16, 0, 0, 65535, 1};
	fwrite(hdr, sizeof(hdr), 1, pcap);
	for (int i = 0; i < N; i++) {
		k[i] = (conn){{10, 1, (uint8_t)(i >> 8), (uint8_t)i},
			      {10, 0, 0, 1},
			      (uint16_t)(20000 + i),
			      1000,
			      5000};
		seg(&k[i], true, SYN, "", 0);
		seg(&k[i], false, SYN | ACK, "", 0);
		seg(&k[i], true, ACK, "", 0);
	}
	for (int i = 0; i < N; i++)
		seg(&k[i], true, PSH | ACK, "GET / HTTP/1.1\r\n\r\n", 18);
	for (int part = 0; part < 3; part++)
		for (int i = 0; i < N; i++) {
			int n = 0;
			while (n < 500)
				n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%d:%d ", i, part);
			if (part == 0 && i % 7 == 3)
				memcpy(buf + 100, "TOP-SECRET", 10);
			seg(&k[i], false, ACK | (part == 2 ? PSH : 0), buf, 500);
		}
	for (int i = 0; i < N; i++) {
		if (i % 11 == 5) {
			seg(&k[i], true, RST | ACK, "", 0);
			continue;
		}
		seg(&k[i], true, FIN | ACK, "", 0);
		seg(&k[i], false, FIN | ACK, "", 0);
		seg(&k[i], true, ACK, "", 0);
	}
	fclose(pcap);
}

static const char *config =
	"callouts:\n"
	"  - {name: secrets, type: pattern_match, params: {direction: inbound, patterns: "
	"[{name: s, pattern: TOP-SECRET, action: drop}]}}\n"
	"  - {name: count, type: count}\n"
	"filters:\n"
	"  - {name: d, layer: stream, action: callout_terminating, callout: secrets}\n"
	"  - {name: c, layer: stream, sublayer: inspection, action: callout_inspection, "
	"callout: count}\n";

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	b[n] = 0;
	*len = (size_t)n;
	return b;
}

static void same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = slurp(a, &la), *y = slurp(b, &lb);
	if (la != lb || memcmp(x, y, la))
		fail_msg("%s and %s differ", a, b);
	free(x);
	free(y);
}

static owfp_replay_report *run(const char *dir, const char *cap, const char *cfg, unsigned n)
{
	char ex[400], ev[400];
	snprintf(ex, sizeof(ex), "%s/x", dir);
	snprintf(ev, sizeof(ev), "%s/events.jsonl", dir);
	const char *caps[] = {cap};
	owfp_replay_opts o;
	owfp_replay_opts_init(&o);
	o.captures = caps;
	o.ncaptures = 1;
	o.config_path = cfg;
	o.extract_dir = ex;
	o.events_path = ev;
	o.workers = n;
	o.no_read_ahead = n == 2; /* both readers under the workers */
	o.verbosity = -1;
	owfp_replay_report *r = NULL;
	owfp_error err;
	memset(&err, 0, sizeof(err));
	assert_int_equal(owfp_replay_run(&o, &r, &err), OWFP_REPLAY_OK);
	assert_non_null(r);
	return r;
}

static void test_workers_write_what_one_thread_writes(void **state)
{
	(void)state;
	char base[] = "/tmp/owfp_workers_XXXXXX", cap[100], cfg[100], d[3][100];
	assert_non_null(mkdtemp(base));
	snprintf(cap, sizeof(cap), "%s/many.pcap", base);
	snprintf(cfg, sizeof(cfg), "%s/drop.yaml", base);
	write_capture(cap);
	FILE *f = fopen(cfg, "w");
	fputs(config, f);
	fclose(f);
	const unsigned ns[3] = {1, 2, 4};
	owfp_replay_report *r[3];
	for (int i = 0; i < 3; i++) {
		snprintf(d[i], sizeof(d[i]), "%s/w%u", base, ns[i]);
		mkdir(d[i], 0700);
		r[i] = run(d[i], cap, cfg, ns[i]);
	}
	/* What the capture holds, so the comparison is of something. */
	assert_int_equal(r[0]->flows, 300);
	assert_int_equal(r[0]->flows_dropped, 43);
	assert_int_equal(r[0]->ends[0][OWFP_END_RST], 23);
	assert_true(r[0]->indications < 1200); /* merged runs */
	for (int i = 1; i < 3; i++) {
		assert_int_equal(r[i]->flows, r[0]->flows);
		assert_int_equal(r[i]->flows_dropped, r[0]->flows_dropped);
		assert_int_equal(r[i]->indications, r[0]->indications);
		assert_memory_equal(r[i]->ends, r[0]->ends, sizeof(r[0]->ends));
		assert_memory_equal(r[i]->indicated, r[0]->indicated, sizeof(r[0]->indicated));
		assert_memory_equal(r[i]->delivered, r[0]->delivered, sizeof(r[0]->delivered));
		assert_int_equal(r[i]->ntop, r[0]->ntop);
		assert_memory_equal(r[i]->top, r[0]->top, sizeof(r[0]->top[0]) * r[0]->ntop);
		assert_int_equal(r[i]->events_written, r[0]->events_written);
		char a[512], b[512];
		snprintf(a, sizeof(a), "%s/events.jsonl", d[0]);
		snprintf(b, sizeof(b), "%s/events.jsonl", d[i]);
		same_file(a, b);
		snprintf(a, sizeof(a), "%s/x", d[0]);
		DIR *dir = opendir(a);
		assert_non_null(dir);
		struct dirent *e;
		int files = 0;
		while ((e = readdir(dir))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(a, sizeof(a), "%s/x/%s", d[0], e->d_name);
			snprintf(b, sizeof(b), "%s/x/%s", d[i], e->d_name);
			same_file(a, b);
			files++;
		}
		closedir(dir);
		assert_int_equal(files, 601); /* two per flow and flows.tsv */
	}
	for (int i = 0; i < 3; i++)
		owfp_replay_report_free(r[i]);
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_ring_keeps_messages_whole_and_in_order),
		cmocka_unit_test(test_both_directions_of_a_flow_go_to_one_worker),
		cmocka_unit_test(test_the_outlog_hands_over_records_whole_and_in_order),
		cmocka_unit_test(test_workers_write_what_one_thread_writes),
	};
	setenv("OWFP_DBGPRINT", "0", 1); /* the drops' DbgPrint lines */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
