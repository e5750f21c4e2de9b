/*
 * Test helper: drives built-in callouts through the real engine. One engine,
 * any number of built-in instances (each with a filter at STREAM_V4 and one
 * at STREAM_V6 in its own sublayer, first added = highest weight), one flow
 * at a time; records
 * what is delivered per direction and which events happened.
 */
#ifndef OWFP_TEST_CALLOUT_HARNESS_H
#define OWFP_TEST_CALLOUT_HARNESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openwfp/fwpmk.h"
#include "openwfp/fwpsk.h"
#include "openwfp/openwfp.h"

#define OWFP_HARNESS_MAX 8

typedef struct owfp_harness {
	owfp_engine *engine;
	HANDLE mgmt;
	size_t n;
	const owfp_builtin *b[OWFP_HARNESS_MAX];
	void *inst[OWFP_HARNESS_MAX];
	owfp_flow *flow;
	uint8_t *out[2];
	size_t outlen[2], outcap[2];
	bool fin[2]; /* a FIN was delivered */
	bool fin_sent[2];
	bool paused[2];
	bool dropped;
	uint64_t events[OWFP_EV_LIMIT + 1];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool woken;
	char err[512];
} owfp_harness;

int owfp_harness_open(owfp_harness *h);
/* Creates a built-in from JSON params and a filter naming it. Returns the
 * instance, or NULL (h->err says why). */
void *owfp_harness_add(owfp_harness *h, const char *type, const char *params_json,
		       FWP_ACTION_TYPE action);
/* A new IPv4 flow (127.0.0.1:40000 -> 127.0.0.2:80, opened by the local side). */
int owfp_harness_flow(owfp_harness *h);
/* The same for AF_INET or AF_INET6 (2001:db8::1 -> 2001:db8::2). */
int owfp_harness_flow_af(owfp_harness *h, int family);
/* An IPv4 flow from 127.0.0.1:40000 to `remote` (dotted quad) port 80. */
int owfp_harness_flow_to(owfp_harness *h, const char *remote);
int owfp_harness_send(owfp_harness *h, int dir, const void *data, size_t len);
int owfp_harness_fin(owfp_harness *h, int dir);
/* Runs queued work until `n` bytes were delivered in `dir` (bounded wait). */
bool owfp_harness_wait_delivered(owfp_harness *h, int dir, size_t n);
/* Runs queued work (waiting for wake-ups) until the flow has finished or
 * was dropped; bounded at 20 s so a hang fails the test instead. */
void owfp_harness_settle(owfp_harness *h);
/* Settles when both FINs were sent, then closes the flow; delivered bytes
 * stay readable. */
void owfp_harness_flow_close(owfp_harness *h);
void owfp_harness_reset_output(owfp_harness *h);
void owfp_harness_close(owfp_harness *h);

#endif
