/*
 * The built-ins' own threads under concurrency (run under ThreadSanitizer by
 * `make test-tsan`): several flows, each driven by its own thread, through
 * shared instances of stream_edit out of band (one worker thread, continue
 * from injection completions) and rate_limit (a timer thread calling
 * FwpsStreamContinue0), plus http_filter and pattern_match flow contexts.
 * Every flow must deliver exactly the edited bytes.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <cmocka.h>

#include "callout_harness.h"

#define NTHREADS 4
#define TOTAL (4096 * 60) /* a whole number of "rainy day " */

typedef struct worker {
	owfp_engine *engine;
	int index;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool woken, paused, dropped;
	uint8_t *out;
	size_t outlen;
	int ok;
	size_t bad_at;
} worker;

static void deliver(void *dp, owfp_flow *f, int dir, const uint8_t *d, size_t n)
{
	(void)f;
	worker *w = dp;
	if (dir != OWFP_DIR_INBOUND)
		return;
	memcpy(w->out + w->outlen, d, n);
	w->outlen += n;
}
static void nop_fin(void *dp, owfp_flow *f, int dir)
{
	(void)dp;
	(void)f;
	(void)dir;
}
static void on_drop(void *dp, owfp_flow *f, enum owfp_drop_reason r)
{
	(void)f;
	(void)r;
	((worker *)dp)->dropped = true;
}
static void on_pause(void *dp, owfp_flow *f, int dir, bool p)
{
	(void)f;
	if (dir == OWFP_DIR_INBOUND)
		((worker *)dp)->paused = p;
}
static void nop_offload(void *dp, owfp_flow *f)
{
	(void)dp;
	(void)f;
}
static void on_wake(void *dp, owfp_flow *f)
{
	(void)f;
	worker *w = dp;
	pthread_mutex_lock(&w->mu);
	w->woken = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}
static const owfp_flow_ops ops = {deliver,  nop_fin,     nop_fin, on_drop,
				  on_pause, nop_offload, on_wake};

static void wait_wake(worker *w, owfp_flow *f)
{
	struct timespec d;
	clock_gettime(CLOCK_REALTIME, &d);
	d.tv_sec += 20;
	pthread_mutex_lock(&w->mu);
	int rc = 0;
	while (!w->woken && rc == 0)
		rc = pthread_cond_timedwait(&w->cv, &w->mu, &d);
	w->woken = false;
	pthread_mutex_unlock(&w->mu);
	owfp_flow_run_pending(f);
}

static void *drive(void *arg)
{
	worker *w = arg;
	owfp_flow_key k;
	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	inet_pton(AF_INET, "10.9.0.1", k.local_addr);
	inet_pton(AF_INET, "10.9.0.2", k.remote_addr);
	k.local_port = (uint16_t)(41000 + w->index);
	k.remote_port = 80;
	k.outbound = true;
	owfp_flow *f = NULL;
	if (owfp_flow_create(w->engine, &k, &ops, w, &f))
		return NULL;
	const char *req = "GET /a HTTP/1.1\r\nHost: ok\r\n\r\n";
	owfp_flow_indicate(f, OWFP_DIR_OUTBOUND, (const uint8_t *)req, strlen(req), 0, 0);
	uint8_t *in = malloc(TOTAL);
	for (size_t i = 0; i < TOTAL; i++)
		in[i] = (uint8_t) "rainy day "[i % 10];
	for (size_t o = 0; o < TOTAL && !w->dropped; o += 4096) {
		while (w->paused && !w->dropped)
			wait_wake(w, f);
		owfp_flow_indicate(f, OWFP_DIR_INBOUND, in + o, 4096, OWFP_SEG_PUSH, 0);
		owfp_flow_run_pending(f);
	}
	owfp_flow_indicate_fin(f, OWFP_DIR_INBOUND);
	owfp_flow_indicate_fin(f, OWFP_DIR_OUTBOUND);
	owfp_flow_run_pending(f);
	while (!owfp_flow_finished(f) && !owfp_flow_dropped(f))
		wait_wake(w, f);
	owfp_flow_close(f);
	/* "rainy day " -> "sunny day " everywhere */
	w->ok = !w->dropped && w->outlen == TOTAL;
	for (size_t i = 0; w->ok && i < TOTAL; i++) {
		w->ok = w->out[i] == (uint8_t) "sunny day "[i % 10];
		if (!w->ok)
			w->bad_at = i;
	}
	free(in);
	return NULL;
}

static void test_many_flows_through_shared_instances_on_many_threads(void **st)
{
	(void)st;
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	assert_non_null(owfp_harness_add(&h, "http_filter", "{\"deny\":[{\"path\":\"/admin\"}]}",
					 FWP_ACTION_CALLOUT_TERMINATING));
	assert_non_null(owfp_harness_add(&h, "stream_edit",
					 "{\"find\":\"rainy\",\"replace\":\"sunny\",\"mode\":\"oob\","
					 "\"direction\":\"inbound\",\"busy_threshold\":8192}",
					 FWP_ACTION_CALLOUT_TERMINATING));
	assert_non_null(owfp_harness_add(&h, "pattern_match", "{\"patterns\":[\"day\"]}",
					 FWP_ACTION_CALLOUT_TERMINATING));
	assert_non_null(owfp_harness_add(&h, "rate_limit", "{\"rate\":4000000,\"burst\":32768}",
					 FWP_ACTION_CALLOUT_TERMINATING));
	worker w[NTHREADS];
	pthread_t t[NTHREADS];
	for (int i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].engine = h.engine;
		w[i].index = i;
		w[i].out = malloc(TOTAL);
		pthread_mutex_init(&w[i].mu, NULL);
		pthread_cond_init(&w[i].cv, NULL);
		assert_int_equal(pthread_create(&t[i], NULL, drive, &w[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		if (!w[i].ok)
			fail_msg("flow %d: %zu bytes delivered, dropped %d, first wrong byte at %zu: '%.20s'",
				 i, w[i].outlen, w[i].dropped, w[i].bad_at,
				 (const char *)w[i].out + (w[i].bad_at > 10 ? w[i].bad_at - 10 : 0));
		free(w[i].out);
		pthread_cond_destroy(&w[i].cv);
		pthread_mutex_destroy(&w[i].mu);
	}
	assert_true(__atomic_load_n(&h.events[OWFP_EV_DEFER], __ATOMIC_RELAXED) > 0);
	owfp_harness_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_flows_through_shared_instances_on_many_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
