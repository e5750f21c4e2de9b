/*
 * Throughput of each built-in callout over a large synthetic stream driven
 * through the real engine (one flow, 16 KiB indications), and pattern_match
 * with 1, 100 and 10,000 patterns. Median of 5 runs each. The reference,
 * measured in the same run, is `count` (the lightest callout: the engine's
 * own cost per indication); with no callout at all the engine passes the
 * bytes without a copy, which is no useful yardstick.
 *
 *   RATIO callouts.NAME.MB/s     <MB/s>  -
 *   RATIO callouts.NAME/count    <ratio> -
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "callouts/registry.h"
#include "openwfp/fwpmk.h"
#include "openwfp/fwpsk.h"
#include "openwfp/openwfp.h"

#define STREAM_BYTES (64u << 20)
#define SEG 16384
#define RUNS 5

typedef struct bench {
	owfp_engine *engine;
	HANDLE mgmt;
	const owfp_builtin *b;
	void *inst;
	uint64_t delivered;
	bool dropped;
} bench;

static void deliver(void *dp, owfp_flow *f, int dir, const uint8_t *d, size_t n)
{
	(void)f;
	(void)dir;
	(void)d;
	((bench *)dp)->delivered += n;
}
static void fin(void *dp, owfp_flow *f, int dir)
{
	(void)dp;
	(void)f;
	(void)dir;
}
static void drop(void *dp, owfp_flow *f, enum owfp_drop_reason w)
{
	(void)f;
	(void)w;
	((bench *)dp)->dropped = true;
}
static void pause_cb(void *dp, owfp_flow *f, int dir, bool p)
{
	(void)dp;
	(void)f;
	(void)dir;
	(void)p;
}
static void offload(void *dp, owfp_flow *f)
{
	(void)dp;
	(void)f;
}
static void wake(void *dp, owfp_flow *f)
{
	(void)dp;
	(void)f;
}
static const owfp_flow_ops ops = {deliver, fin, fin, drop, pause_cb, offload, wake};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int setup(bench *bc, const char *type, const char *params, FWP_ACTION_TYPE action)
{
	memset(bc, 0, sizeof(*bc));
	owfp_engine_opts o = {0};
	if (owfp_engine_create(&o, &bc->engine) ||
	    !NT_SUCCESS(FwpmEngineOpen0(NULL, RPC_C_AUTHN_DEFAULT, NULL, NULL, &bc->mgmt)))
		return -1;
	if (!type)
		return 0;
	char err[512] = "";
	json_t *p = params ? json_loads(params, 0, NULL) : NULL;
	bc->b = owfp_builtin_find(type);
	int rc = bc->b ? bc->b->create(p, type, &bc->inst, err, sizeof(err)) : -1;
	json_decref(p);
	if (rc) {
		fprintf(stderr, "%s: %s\n", type, err);
		return -1;
	}
	FWPM_CALLOUT0 mc;
	memset(&mc, 0, sizeof(mc));
	mc.calloutKey = *(const GUID *)bc->b->callout_key(bc->inst, AF_INET);
	mc.displayData.name = L"bench";
	mc.applicableLayer = FWPM_LAYER_STREAM_V4;
	FWPM_FILTER0 f;
	memset(&f, 0, sizeof(f));
	f.displayData.name = L"bench";
	f.layerKey = FWPM_LAYER_STREAM_V4;
	f.action.type = action;
	f.action.calloutKey = mc.calloutKey;
	UINT64 id;
	if (!NT_SUCCESS(FwpmCalloutAdd0(bc->mgmt, &mc, NULL, NULL)) ||
	    !NT_SUCCESS(FwpmFilterAdd0(bc->mgmt, &f, NULL, &id)))
		return -1;
	return 0;
}

static void teardown(bench *bc)
{
	if (bc->inst)
		bc->b->destroy(bc->inst);
	FwpmEngineClose0(bc->mgmt);
	owfp_engine_destroy(bc->engine);
}

static owfp_flow *new_flow(bench *bc)
{
	owfp_flow_key k;
	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	inet_pton(AF_INET, "10.0.0.1", k.local_addr);
	inet_pton(AF_INET, "10.0.0.2", k.remote_addr);
	k.local_port = 40000;
	k.remote_port = 80;
	k.outbound = true;
	owfp_flow *f = NULL;
	owfp_flow_create(bc->engine, &k, &ops, bc, &f);
	return f;
}

/* Seconds to push `len` bytes of `data` (cycled) through one flow and end it. */
static double run_stream(bench *bc, const uint8_t *data, size_t len, size_t total)
{
	owfp_flow *f = new_flow(bc);
	double t0 = now();
	for (size_t o = 0, at = 0; o < total && !bc->dropped;) {
		size_t n = SEG < len - at ? SEG : len - at;
		owfp_flow_indicate(f, OWFP_DIR_OUTBOUND, data + at, n, OWFP_SEG_PUSH, 0);
		owfp_flow_run_pending(f);
		o += n;
		at = (at + n) % len;
	}
	owfp_flow_indicate_fin(f, OWFP_DIR_OUTBOUND);
	owfp_flow_indicate_fin(f, OWFP_DIR_INBOUND);
	for (int spin = 0; !owfp_flow_finished(f) && spin < 2000000; spin++) {
		owfp_flow_run_pending(f);
		if (spin > 1000)
			usleep(50);
	}
	double t = now() - t0;
	owfp_flow_close(f);
	return t;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median_mbps(const char *type, const char *params, FWP_ACTION_TYPE action,
			  const uint8_t *data, size_t len)
{
	double r[RUNS];
	for (int i = 0; i < RUNS; i++) {
		bench bc;
		if (setup(&bc, type, params, action)) {
			fprintf(stderr, "setup of %s failed\n", type ? type : "none");
			exit(1);
		}
		double t = run_stream(&bc, data, len, STREAM_BYTES);
		if (bc.dropped || bc.delivered < STREAM_BYTES / 2) {
			fprintf(stderr, "%s: flow dropped or short (%llu bytes)\n", type,
				(unsigned long long)bc.delivered);
			exit(1);
		}
		r[i] = STREAM_BYTES / t / 1e6;
		teardown(&bc);
	}
	qsort(r, RUNS, sizeof(r[0]), cmp);
	return r[RUNS / 2];
}

/* Flows per second: each flow carries `msg` (in two segments), then ends. */
static double median_flows(const char *type, const char *params, FWP_ACTION_TYPE action,
			   const uint8_t *msg, size_t len, int nflows)
{
	double r[RUNS];
	for (int i = 0; i < RUNS; i++) {
		bench bc;
		if (setup(&bc, type, params, action))
			exit(1);
		double t0 = now();
		for (int k = 0; k < nflows; k++) {
			owfp_flow *f = new_flow(&bc);
			owfp_flow_indicate(f, OWFP_DIR_OUTBOUND, msg, len / 2, OWFP_SEG_PUSH, 0);
			owfp_flow_indicate(f, OWFP_DIR_OUTBOUND, msg + len / 2, len - len / 2,
					   OWFP_SEG_PUSH, 0);
			owfp_flow_indicate(f, OWFP_DIR_INBOUND, msg, 64, OWFP_SEG_PUSH, 0);
			owfp_flow_indicate_fin(f, OWFP_DIR_OUTBOUND);
			owfp_flow_indicate_fin(f, OWFP_DIR_INBOUND);
			owfp_flow_run_pending(f);
			owfp_flow_close(f);
		}
		r[i] = nflows / (now() - t0);
		if (bc.dropped) {
			fprintf(stderr, "%s: a flow was dropped\n", type);
			exit(1);
		}
		teardown(&bc);
	}
	qsort(r, RUNS, sizeof(r[0]), cmp);
	return r[RUNS / 2];
}

/* A minimal well-formed ClientHello (SNI + ALPN) in one record. */
static size_t client_hello(uint8_t *b)
{
	static const uint8_t body[] = {
		3,   3,    /* random */ 1,
		2,   3,    4,
		5,   6,    7,
		8,   9,    10,
		11,  12,   13,
		14,  15,   16,
		17,  18,   19,
		20,  21,   22,
		23,  24,   25,
		26,  27,   28,
		29,  30,   31,
		32,  0,    0,
		2,   0x13, 0x01,
		1,   0,    0,
		40,  0,    0,
		0,   21,   0,
		19,  0,    0,
		16,  'w',  'w',
		'w', '.',  's',
		'h', 'o',  'p',
		'.', 'e',  'x',
		'a', 'm',  'p',
		'l', 'e',  0,
		16,  0,    11,
		0,   9,    8,
		'h', 't',  't',
		'p', '/',  '1',
		'.', '1',
	};
	size_t hl = sizeof(body);
	uint8_t *p = b;
	*p++ = 22;
	*p++ = 3;
	*p++ = 1;
	*p++ = (uint8_t)((hl + 4) >> 8);
	*p++ = (uint8_t)(hl + 4);
	*p++ = 1;
	*p++ = 0;
	*p++ = (uint8_t)(hl >> 8);
	*p++ = (uint8_t)hl;
	memcpy(p, body, hl);
	return 9 + hl;
}

static void report(const char *name, double mbps, double base)
{
	printf("RATIO callouts.%s.MB/s %.1f -\n", name, mbps);
	printf("RATIO callouts.%s/count %.3f -\n", name, mbps / base);
	fflush(stdout);
}

/* Keep-alive HTTP requests with bodies: what http_filter has to follow. */
static size_t http_text(uint8_t *buf, size_t cap)
{
	size_t o = 0;
	char body[4096];
	memset(body, 'b', sizeof(body));
	while (o + 8192 < cap) {
		o += (size_t)snprintf((char *)buf + o, cap - o,
				      "POST /api/v1/items HTTP/1.1\r\nHost: api.example.com\r\n"
				      "User-Agent: bench\r\nContent-Length: %zu\r\n\r\n",
				      sizeof(body));
		memcpy(buf + o, body, sizeof(body));
		o += sizeof(body);
		o += (size_t)snprintf((char *)buf + o, cap - o,
				      "GET /static/app.js HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
	}
	return o;
}

static char *many_patterns(int n)
{
	size_t cap = (size_t)n * 48 + 64, o = 0;
	char *p = malloc(cap);
	o += (size_t)snprintf(p + o, cap - o, "{\"patterns\":[");
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(p + o, cap - o, "%s\"sig-%08x-%d\"", i ? "," : "",
				      (unsigned)(i * 2654435761u), i);
	snprintf(p + o, cap - o, "]}");
	return p;
}

int main(void)
{
	setenv("OWFP_DBGPRINT", "0", 0);
	size_t len = 1 << 20;
	uint8_t *text = malloc(len), *http = malloc(len);
	/* printable pseudo-random text with "rainy" about every 1 KiB */
	uint32_t x = 12345;
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		text[i] = (uint8_t)('a' + (x >> 16) % 26);
		if (i % 1024 == 1000 && i + 5 < len) {
			memcpy(text + i, "rainy", 5);
			i += 4;
		}
	}
	size_t hlen = http_text(http, len);

	printf("RATIO callouts.none.MB/s %.1f -\n", median_mbps(NULL, NULL, 0, text, len));
	double base = median_mbps("count", NULL, FWP_ACTION_CALLOUT_INSPECTION, text, len);
	printf("RATIO callouts.count.MB/s %.1f -\n", base);
	report("stream_edit_inline",
	       median_mbps("stream_edit", "{\"find\":\"rainy\",\"replace\":\"sunny\"}",
			   FWP_ACTION_CALLOUT_TERMINATING, text, len),
	       base);
	report("stream_edit_oob",
	       median_mbps("stream_edit",
			   "{\"find\":\"rainy\",\"replace\":\"sunny\",\"mode\":\"oob\"}",
			   FWP_ACTION_CALLOUT_TERMINATING, text, len),
	       base);
	double hbase = median_mbps("count", NULL, FWP_ACTION_CALLOUT_INSPECTION, http, hlen);
	report("http_filter",
	       median_mbps("http_filter", "{\"deny\":[\".evil.example\",{\"path\":\"/admin/*\"}]}",
			   FWP_ACTION_CALLOUT_TERMINATING, http, hlen),
	       hbase);
	report("rate_limit_unlimited",
	       median_mbps("rate_limit", "{\"rate\":1e12}", FWP_ACTION_CALLOUT_TERMINATING, text, len),
	       base);
	char path[] = "/tmp/owfp-bench-flowlog-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	char flp[128];
	snprintf(flp, sizeof(flp), "{\"path\":\"%s\"}", path);
	report("flow_log", median_mbps("flow_log", flp, FWP_ACTION_CALLOUT_INSPECTION, text, len),
	       base);
	uint8_t hello[512];
	size_t hello_len = client_hello(hello);
	double fbase = median_flows("count", NULL, FWP_ACTION_CALLOUT_INSPECTION, hello, hello_len,
				    20000);
	printf("RATIO callouts.count.flows/s %.0f -\n", fbase);
	double tls = median_flows("tls_sni_filter", "{\"allow\":[\".example\"]}",
				  FWP_ACTION_CALLOUT_TERMINATING, hello, hello_len, 20000);
	printf("RATIO callouts.tls_sni_filter.flows/s %.0f -\n", tls);
	printf("RATIO callouts.tls_sni_filter.flows/count %.3f -\n", tls / fbase);
	double fl = median_flows("flow_log", flp, FWP_ACTION_CALLOUT_INSPECTION, hello, hello_len,
				 20000);
	printf("RATIO callouts.flow_log.flows/s %.0f -\n", fl);
	printf("RATIO callouts.flow_log.flows/count %.3f -\n", fl / fbase);
	unlink(path);
	int counts[3] = {1, 100, 10000};
	for (int i = 0; i < 3; i++) {
		char *p = many_patterns(counts[i]);
		char name[64];
		snprintf(name, sizeof(name), "pattern_match_%d", counts[i]);
		report(name,
		       median_mbps("pattern_match", p, FWP_ACTION_CALLOUT_TERMINATING, text, len),
		       base);
		free(p);
	}
	free(text);
	free(http);
	return 0;
}
