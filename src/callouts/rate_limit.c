/*
 * rate_limit: a token bucket on inbound data, per flow or per remote
 * address. Bytes within the budget are PERMITted (a prefix, when only part
 * of an indication fits); when the bucket is empty classifyFn answers DEFER,
 * which stops the stream at this callout (and, on a real stack, stops
 * acknowledging, so the sender's window closes and TCP itself slows it).
 * A timer thread calls FwpsStreamContinue0 when the bucket has refilled
 * enough, and the engine presents the held bytes again (S49).
 *
 * DEFER exists only for inbound data (S48); outbound and urgent data pass.
 * Everything else waits for its tokens, also when the engine presents it
 * with NO_MORE_DATA or BUFFER_LIMIT_REACHED: the engine keeps deferred
 * bytes by pausing the source (Q8, and the process memory limit), so the
 * limiter never has to let a backlog through, and over any interval no
 * more than burst + rate x time passes (docs/callouts.md).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "callouts/kit.h"
#include "callouts/registry.h"
#include "callouts/params.h"
#include "util/alloc.h"

typedef struct rl_bucket {
	double tokens;
	uint64_t last_ns;
} rl_bucket;

typedef struct rl_addr {
	struct rl_addr *next;
	UINT16 layer;
	uint8_t addr[16];
	rl_bucket b;
} rl_addr;

typedef struct rl_timer {
	struct rl_timer *next;
	uint64_t due_ns;
	UINT64 flowId;
	UINT32 calloutId;
	UINT16 layerId;
	UINT32 flags;
} rl_timer;

typedef struct rl_instance {
	owfp_bi bi;
	double rate; /* bytes per second */
	double burst;
	bool per_address;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool thread_started, stop;
	rl_timer *timers; /* sorted by due_ns */
	rl_addr *addrs;
} rl_instance;
OWFP_BI_FIRST(rl_instance);

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void refill(const rl_instance *ri, rl_bucket *b, uint64_t now)
{
	if (b->last_ns == 0) {
		b->tokens = ri->burst;
	} else if (now > b->last_ns) {
		b->tokens += ri->rate * (double)(now - b->last_ns) / 1e9;
		if (b->tokens > ri->burst)
			b->tokens = ri->burst;
	}
	b->last_ns = now;
}

static void schedule_locked(rl_instance *ri, rl_timer *t)
{
	rl_timer **pp = &ri->timers;
	while (*pp && (*pp)->due_ns <= t->due_ns)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	pthread_cond_signal(&ri->cv);
}

static void *timer_main(void *arg)
{
	rl_instance *ri = arg;
	pthread_mutex_lock(&ri->mu);
	while (!ri->stop) {
		if (!ri->timers) {
			pthread_cond_wait(&ri->cv, &ri->mu);
			continue;
		}
		uint64_t now = now_ns();
		rl_timer *t = ri->timers;
		if (t->due_ns > now) {
			struct timespec ts = {(time_t)(t->due_ns / 1000000000ull),
					      (long)(t->due_ns % 1000000000ull)};
			pthread_cond_timedwait(&ri->cv, &ri->mu, &ts);
			continue;
		}
		ri->timers = t->next;
		pthread_mutex_unlock(&ri->mu);
		/* A continue that overtakes the DEFER waits for it in the engine;
		 * a refusal means the flow is gone, and there is nothing to do. */
		(void)FwpsStreamContinue0(t->flowId, t->calloutId, t->layerId, t->flags);
		free(t);
		pthread_mutex_lock(&ri->mu);
	}
	while (ri->timers) {
		rl_timer *t = ri->timers;
		ri->timers = t->next;
		free(t);
	}
	pthread_mutex_unlock(&ri->mu);
	return NULL;
}

static rl_bucket *addr_bucket_locked(rl_instance *ri, const FWPS_INCOMING_VALUES0 *in, uint64_t now)
{
	uint8_t a[16] = {0};
	const FWP_VALUE0 *v = &in->incomingValue[FWPS_FIELD_STREAM_V4_IP_REMOTE_ADDRESS].value;
	if (in->layerId == FWPS_LAYER_STREAM_V6 && v->type == FWP_BYTE_ARRAY16_TYPE && v->byteArray16)
		memcpy(a, v->byteArray16->byteArray16, 16);
	else
		memcpy(a, &v->uint32, sizeof(v->uint32));
	for (rl_addr *e = ri->addrs; e; e = e->next)
		if (e->layer == in->layerId && memcmp(e->addr, a, 16) == 0)
			return &e->b;
	/* A bucket that refilled is the same as a new one, so it goes: else a
	 * client cycling through source addresses (an IPv6 /64) would grow
	 * the list without bound, outside every memory limit. What stays is
	 * the addresses that used tokens within the last burst/rate seconds.
	 * Only a new address can grow the list, so only it pays for pruning;
	 * a known address's classify does the lookup alone. */
	for (rl_addr **pp = &ri->addrs; *pp;) {
		rl_addr *e = *pp;
		refill(ri, &e->b, now);
		if (e->b.tokens >= ri->burst) {
			*pp = e->next;
			free(e);
			continue;
		}
		pp = &e->next;
	}
	rl_addr *e = owfp_calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->layer = in->layerId;
	memcpy(e->addr, a, 16);
	e->next = ri->addrs;
	ri->addrs = e;
	return &e->b;
}

static rl_bucket *flow_bucket(const FWPS_INCOMING_VALUES0 *in,
			      const FWPS_INCOMING_METADATA_VALUES0 *meta,
			      const FWPS_FILTER3 *filter, UINT64 flowContext)
{
	if (flowContext)
		return (rl_bucket *)(uintptr_t)flowContext;
	rl_bucket *b = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*b), OWFP_BI_TAG);
	if (b && FwpsFlowAssociateContext0(meta->flowHandle, in->layerId, filter->action.calloutId,
					   (UINT64)(uintptr_t)b) != STATUS_SUCCESS) {
		ExFreePoolWithTag(b, OWFP_BI_TAG);
		b = NULL;
	}
	return b;
}

static void NTAPI rl_flow_delete(UINT16 layerId, UINT32 calloutId, UINT64 flowContext)
{
	(void)layerId;
	(void)calloutId;
	ExFreePoolWithTag((void *)(uintptr_t)flowContext, OWFP_BI_TAG);
}

static void NTAPI rl_classify(const FWPS_INCOMING_VALUES0 *inFixedValues,
			      const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues, void *layerData,
			      const void *classifyContext, const FWPS_FILTER3 *filter,
			      UINT64 flowContext, FWPS_CLASSIFY_OUT0 *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;
	rl_instance *ri = owfp_bi_classify_begin(filter, io, classifyOut);
	(void)classifyContext;
	if (!ri)
		return;
	const FWPS_STREAM_DATA0 *sd = io->streamData;
	size_t n = sd->dataLength;
	classifyOut->actionType = FWP_ACTION_PERMIT;
	if (!(sd->flags & FWPS_STREAM_FLAG_RECEIVE) || n == 0 || owfp_bi_is_end(sd->flags) ||
	    owfp_bi_is_expedited(sd->flags))
		return;

	rl_bucket *fb = ri->per_address
				? NULL
				: flow_bucket(inFixedValues, inMetaValues, filter, flowContext);
	pthread_mutex_lock(&ri->mu);
	uint64_t now = now_ns();
	rl_bucket *b = ri->per_address ? addr_bucket_locked(ri, inFixedValues, now) : fb;
	if (!b) {
		pthread_mutex_unlock(&ri->mu);
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION; /* no memory: fail closed */
		classifyOut->actionType = FWP_ACTION_NONE;
		return;
	}
	refill(ri, b, now);
	/* Pass bytes in pieces of up to a bucketful, never in dribbles: below
	 * `want` tokens, wait until the bucket holds `want`. */
	double want = (double)n < ri->burst ? (double)n : ri->burst;
	if (b->tokens >= want) {
		size_t allow = b->tokens >= (double)n ? n : (size_t)b->tokens;
		b->tokens -= (double)allow;
		io->countBytesEnforced = allow == n ? 0 : allow;
	} else {
		rl_timer *t = owfp_calloc(1, sizeof(*t));
		if (!t) {
			pthread_mutex_unlock(&ri->mu);
			io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
			classifyOut->actionType = FWP_ACTION_NONE;
			return;
		}
		double wait_s = (want - b->tokens) / ri->rate;
		t->due_ns = now + (uint64_t)(wait_s * 1e9) + 1;
		t->flowId = inMetaValues->flowHandle;
		t->calloutId = filter->action.calloutId;
		t->layerId = inFixedValues->layerId;
		t->flags = sd->flags;
		schedule_locked(ri, t);
		io->streamAction = FWPS_STREAM_ACTION_DEFER;
		classifyOut->actionType = FWP_ACTION_NONE;
	}
	pthread_mutex_unlock(&ri->mu);
}

static int rl_start(void *instance)
{
	rl_instance *ri = instance;
	if (pthread_create(&ri->thread, NULL, timer_main, ri))
		return -EAGAIN;
	ri->thread_started = true;
	return 0;
}

static void rl_stop(void *instance)
{
	rl_instance *ri = instance;
	if (!ri->thread_started)
		return;
	pthread_mutex_lock(&ri->mu);
	ri->stop = true;
	pthread_cond_signal(&ri->cv);
	pthread_mutex_unlock(&ri->mu);
	pthread_join(ri->thread, NULL);
	ri->thread_started = false;
}

static void rl_free(void *instance)
{
	rl_instance *ri = instance;
	while (ri->addrs) {
		rl_addr *e = ri->addrs;
		ri->addrs = e->next;
		free(e);
	}
	pthread_cond_destroy(&ri->cv);
	pthread_mutex_destroy(&ri->mu);
	free(ri);
}

static int rl_create(const void *params, const char *name, void **out, char *err, size_t errlen)
{
	static const char *const known[] = {"rate", "burst", "key", NULL};
	static const char *const keys[] = {"flow", "remote_address", NULL};
	owfp_params p;
	int rc = owfp_params_open(&p, params, name, known, err, errlen);
	if (rc)
		return rc;
	if (!json_object_get(p.obj, "rate"))
		return owfp_params_fail(&p, "parameter 'rate' (bytes per second) is required");
	rl_instance *ri = owfp_calloc(1, sizeof(*ri));
	if (!ri)
		return -ENOMEM;
	pthread_mutex_init(&ri->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ri->cv, &ca);
	pthread_condattr_destroy(&ca);
	int key = 0;
	if ((rc = owfp_params_double(&p, "rate", 0, 1, 1e12, &ri->rate)) ||
	    (rc = owfp_params_double(&p, "burst", ri->rate, 1, 1e12, &ri->burst)) ||
	    (rc = owfp_params_choice(&p, "key", keys, 0, &key))) {
		rl_free(ri);
		return rc;
	}
	ri->per_address = key == 1;
	static const owfp_bi_class cls = {
		.type = "rate_limit", .start = rl_start, .stop = rl_stop, .free = rl_free};
	const FWPS_CALLOUT3 c = {
		.classifyFn = rl_classify,
		.notifyFn = owfp_bi_notify3,
		.flowDeleteFn = rl_flow_delete,
	};
	return owfp_bi_create3(ri, &cls, &c, name, out, err, errlen);
}

const owfp_builtin owfp_builtin_rate_limit = {
	.name = "rate_limit",
	.summary = "token bucket on inbound data per flow or remote address: DEFER, then continue from a timer",
	.params_help = "rate   number  (required)  bytes per second\n"
		       "burst  number  rate        bucket size in bytes (what may pass at once)\n"
		       "key    string  flow        flow | remote_address (one bucket shared by all flows from it)\n",
	.create = rl_create,
	.callout_key = owfp_bi_callout_key,
	.destroy = owfp_bi_destroy,
};
