/* Drives built-in callouts through the real engine (see header). */
#include "callout_harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

static void on_event(void *user, const owfp_event *ev)
{
	owfp_harness *h = user;
	/* flows of one harness may run on several threads */
	if (ev->type > 0 && ev->type <= OWFP_EV_LIMIT)
		__atomic_fetch_add(&h->events[ev->type], 1, __ATOMIC_RELAXED);
}

static void deliver(void *dp, owfp_flow *flow, int dir, const uint8_t *data, size_t len)
{
	(void)flow;
	owfp_harness *h = dp;
	if (h->outlen[dir] + len > h->outcap[dir]) {
		size_t cap = (h->outlen[dir] + len) * 2 + 64;
		uint8_t *p = realloc(h->out[dir], cap);
		if (!p)
			abort();
		h->out[dir] = p;
		h->outcap[dir] = cap;
	}
	memcpy(h->out[dir] + h->outlen[dir], data, len);
	h->outlen[dir] += len;
}

static void deliver_fin(void *dp, owfp_flow *flow, int dir)
{
	(void)flow;
	((owfp_harness *)dp)->fin[dir] = true;
}

static void deliver_abort(void *dp, owfp_flow *flow, int dir)
{
	(void)dp;
	(void)flow;
	(void)dir;
}

static void drop(void *dp, owfp_flow *flow, enum owfp_drop_reason why)
{
	(void)flow;
	(void)why;
	((owfp_harness *)dp)->dropped = true;
}

static void pause_cb(void *dp, owfp_flow *flow, int dir, bool paused)
{
	(void)flow;
	((owfp_harness *)dp)->paused[dir] = paused;
}

static void offload(void *dp, owfp_flow *flow)
{
	(void)dp;
	(void)flow;
}

static void wake(void *dp, owfp_flow *flow)
{
	(void)flow;
	owfp_harness *h = dp;
	pthread_mutex_lock(&h->mu);
	h->woken = true;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->mu);
}

static const owfp_flow_ops ops = {
	.deliver = deliver,
	.deliver_fin = deliver_fin,
	.deliver_abort = deliver_abort,
	.drop = drop,
	.pause = pause_cb,
	.offload = offload,
	.wake = wake,
};

int owfp_harness_open(owfp_harness *h)
{
	memset(h, 0, sizeof(*h));
	pthread_mutex_init(&h->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->cv, &ca);
	pthread_condattr_destroy(&ca);
	owfp_engine_opts o = {.event = on_event, .user = h};
	int rc = owfp_engine_create(&o, &h->engine);
	if (rc)
		return rc;
	NTSTATUS st = FwpmEngineOpen0(NULL, RPC_C_AUTHN_DEFAULT, NULL, NULL, &h->mgmt);
	return NT_SUCCESS(st) ? 0 : -EIO;
}

void *owfp_harness_add(owfp_harness *h, const char *type, const char *params_json,
		       FWP_ACTION_TYPE action)
{
	const owfp_builtin *b = owfp_builtin_find(type);
	if (!b || h->n == OWFP_HARNESS_MAX) {
		snprintf(h->err, sizeof(h->err), "no built-in '%s'", type);
		return NULL;
	}
	json_error_t je;
	json_t *params = params_json ? json_loads(params_json, 0, &je) : NULL;
	if (params_json && !params) {
		snprintf(h->err, sizeof(h->err), "bad test params: %s", je.text);
		return NULL;
	}
	char name[32];
	snprintf(name, sizeof(name), "%s%zu", type, h->n);
	void *inst = NULL;
	int rc = b->create(params, name, &inst, h->err, sizeof(h->err));
	json_decref(params);
	if (rc)
		return NULL;

	/* each instance in its own sublayer, earlier ones upstream */
	FWPM_SUBLAYER0 sl;
	memset(&sl, 0, sizeof(sl));
	sl.subLayerKey.Data1 = 0x5eb1a000u + (UINT32)h->n;
	sl.displayData.name = L"harness";
	sl.weight = (UINT16)(0x7000 - h->n);
	NTSTATUS st = FwpmSubLayerAdd0(h->mgmt, &sl, NULL);
	/* one management callout and one filter per layer (S69) */
	UINT64 id = 0;
	for (int v6 = 0; v6 < 2 && NT_SUCCESS(st); v6++) {
		FWPM_CALLOUT0 mc;
		memset(&mc, 0, sizeof(mc));
		mc.calloutKey = *(const GUID *)b->callout_key(inst, v6 ? AF_INET6 : AF_INET);
		mc.displayData.name = L"harness callout";
		mc.applicableLayer = v6 ? FWPM_LAYER_STREAM_V6 : FWPM_LAYER_STREAM_V4;
		st = FwpmCalloutAdd0(h->mgmt, &mc, NULL, NULL);
		FWPM_FILTER0 f;
		memset(&f, 0, sizeof(f));
		f.displayData.name = L"harness filter";
		f.layerKey = mc.applicableLayer;
		f.subLayerKey = sl.subLayerKey;
		f.weight.type = FWP_EMPTY;
		f.action.type = action;
		f.action.calloutKey = mc.calloutKey;
		if (NT_SUCCESS(st))
			st = FwpmFilterAdd0(h->mgmt, &f, NULL, &id);
	}
	if (!NT_SUCCESS(st)) {
		snprintf(h->err, sizeof(h->err), "adding the filter failed: 0x%08X", (unsigned)st);
		b->destroy(inst);
		return NULL;
	}
	h->b[h->n] = b;
	h->inst[h->n] = inst;
	h->n++;
	return inst;
}

int owfp_harness_flow(owfp_harness *h)
{
	return owfp_harness_flow_af(h, AF_INET);
}

static int flow_of(owfp_harness *h, int family, const char *remote)
{
	owfp_flow_key k;
	memset(&k, 0, sizeof(k));
	k.family = family;
	inet_pton(family, family == AF_INET6 ? "2001:db8::1" : "127.0.0.1", k.local_addr);
	inet_pton(family, remote, k.remote_addr);
	k.local_port = 40000;
	k.remote_port = 80;
	k.outbound = true;
	h->dropped = false;
	h->fin[0] = h->fin[1] = false;
	h->fin_sent[0] = h->fin_sent[1] = false;
	h->paused[0] = h->paused[1] = false;
	return owfp_flow_create(h->engine, &k, &ops, h, &h->flow);
}

int owfp_harness_flow_af(owfp_harness *h, int family)
{
	return flow_of(h, family, family == AF_INET6 ? "2001:db8::2" : "127.0.0.2");
}

int owfp_harness_flow_to(owfp_harness *h, const char *remote)
{
	return flow_of(h, AF_INET, remote);
}

/* Waits for a wake() (or the deadline), then runs the queued work. */
static bool wait_wake(owfp_harness *h, const struct timespec *deadline)
{
	int rc = 0;
	pthread_mutex_lock(&h->mu);
	while (!h->woken && rc == 0)
		rc = pthread_cond_timedwait(&h->cv, &h->mu, deadline);
	h->woken = false;
	pthread_mutex_unlock(&h->mu);
	owfp_flow_run_pending(h->flow);
	return rc != ETIMEDOUT;
}

static struct timespec deadline_in(int seconds)
{
	struct timespec d;
	clock_gettime(CLOCK_MONOTONIC, &d);
	d.tv_sec += seconds;
	return d;
}

int owfp_harness_send(owfp_harness *h, int dir, const void *data, size_t len)
{
	struct timespec d = deadline_in(20);
	owfp_flow_run_pending(h->flow);
	while (h->paused[dir] && !h->dropped && wait_wake(h, &d))
		;
	int rc = owfp_flow_indicate(h->flow, dir, data, len, OWFP_SEG_PUSH, 0);
	owfp_flow_run_pending(h->flow);
	return rc;
}

int owfp_harness_fin(owfp_harness *h, int dir)
{
	struct timespec d = deadline_in(20);
	owfp_flow_run_pending(h->flow);
	while (h->paused[dir] && !h->dropped && wait_wake(h, &d))
		;
	int rc = owfp_flow_indicate_fin(h->flow, dir);
	h->fin_sent[dir] = true;
	owfp_flow_run_pending(h->flow);
	return rc;
}

bool owfp_harness_wait_delivered(owfp_harness *h, int dir, size_t n)
{
	struct timespec d = deadline_in(20);
	owfp_flow_run_pending(h->flow);
	while (h->outlen[dir] < n && !h->dropped && wait_wake(h, &d))
		;
	return h->outlen[dir] >= n;
}

void owfp_harness_settle(owfp_harness *h)
{
	struct timespec d = deadline_in(20);
	owfp_flow_run_pending(h->flow);
	while (!owfp_flow_finished(h->flow) && !owfp_flow_dropped(h->flow) && wait_wake(h, &d))
		;
}

void owfp_harness_flow_close(owfp_harness *h)
{
	if (!h->flow)
		return;
	if (h->fin_sent[0] && h->fin_sent[1])
		owfp_harness_settle(h);
	owfp_flow_close(h->flow);
	h->flow = NULL;
}

void owfp_harness_reset_output(owfp_harness *h)
{
	h->outlen[0] = h->outlen[1] = 0;
	memset(h->events, 0, sizeof(h->events));
}

void owfp_harness_close(owfp_harness *h)
{
	owfp_harness_flow_close(h);
	for (size_t i = h->n; i-- > 0;)
		h->b[i]->destroy(h->inst[i]);
	if (h->mgmt)
		FwpmEngineClose0(h->mgmt);
	owfp_engine_destroy(h->engine);
	free(h->out[0]);
	free(h->out[1]);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
}
