/* Stream test support (see stream_harness.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "stream_harness.h"

#define SH_MAX_CALLOUTS 32

static sh *current;
static sh_callout *callouts[SH_MAX_CALLOUTS];
static size_t ncallouts;
static uint32_t guid_seq;

sh *sh_current(void)
{
	return current;
}

static sh_callout *by_id(UINT32 id)
{
	for (size_t i = 0; i < ncallouts; i++)
		if (callouts[i]->id == id)
			return callouts[i];
	return NULL;
}

static void on_event(void *user, const owfp_event *ev)
{
	sh *h = user;
	if (h->nevents == h->capevents) {
		h->capevents = h->capevents ? h->capevents * 2 : 64;
		h->events = realloc(h->events, h->capevents * sizeof(*h->events));
		assert_non_null(h->events);
	}
	sh_event *e = &h->events[h->nevents++];
	e->ev = *ev;
	e->ev.callout_name = NULL;
	snprintf(e->callout_name, sizeof(e->callout_name), "%s",
		 ev->callout_name ? ev->callout_name : "");
	snprintf(e->detail, sizeof(e->detail), "%s", ev->detail ? ev->detail : "");
	e->ev.detail = NULL;
}

static void on_log(void *user, enum owfp_log_level lvl, const char *msg)
{
	(void)lvl;
	(void)msg;
	((sh *)user)->logs++;
}

static void side_add(sh_side *s, const uint8_t *d, size_t n)
{
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2 + 64;
		s->buf = realloc(s->buf, s->cap);
		assert_non_null(s->buf);
	}
	memcpy(s->buf + s->len, d, n);
	s->len += n;
}

static void dp_deliver(void *dp, owfp_flow *f, int dir, const uint8_t *data, size_t len)
{
	(void)f;
	sh *h = dp;
	assert_int_equal(h->side[dir].fins, 0); /* nothing after the FIN */
	side_add(&h->side[dir], data, len);
}

static void dp_fin(void *dp, owfp_flow *f, int dir)
{
	(void)f;
	sh *h = dp;
	h->side[dir].fins++;
	h->side[dir].fin_at = h->side[dir].len;
}

static void dp_abort(void *dp, owfp_flow *f, int dir)
{
	(void)f;
	((sh *)dp)->side[dir].aborts++;
}

static void dp_drop(void *dp, owfp_flow *f, enum owfp_drop_reason why)
{
	(void)f;
	sh *h = dp;
	h->drops++;
	h->drop_why = why;
}

static void dp_pause(void *dp, owfp_flow *f, int dir, bool paused)
{
	(void)f;
	sh *h = dp;
	h->pauses[dir]++;
	h->paused[dir] = paused;
}

static void dp_offload(void *dp, owfp_flow *f)
{
	(void)f;
	((sh *)dp)->offloads++;
}

static void dp_wake(void *dp, owfp_flow *f)
{
	(void)f;
	sh *h = dp;
	pthread_mutex_lock(&h->wake_mu);
	atomic_fetch_add(&h->wakes, 1);
	pthread_cond_broadcast(&h->wake_cv);
	pthread_mutex_unlock(&h->wake_mu);
}

int sh_wait_wake(sh *h, int seen)
{
	pthread_mutex_lock(&h->wake_mu);
	while (atomic_load(&h->wakes) <= seen)
		pthread_cond_wait(&h->wake_cv, &h->wake_mu);
	int n = atomic_load(&h->wakes);
	pthread_mutex_unlock(&h->wake_mu);
	return n;
}

void sh_up(sh *h, const owfp_engine_opts *opts)
{
	memset(h, 0, sizeof(*h));
	if (opts)
		h->opts = *opts;
	h->opts.event = on_event;
	h->opts.log = on_log;
	h->opts.user = h;
	current = h;
	ncallouts = 0;
	pthread_mutex_init(&h->wake_mu, NULL);
	pthread_cond_init(&h->wake_cv, NULL);
	assert_int_equal(owfp_engine_create(&h->opts, &h->engine), 0);
	assert_int_equal(FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &h->session),
			 STATUS_SUCCESS);
	assert_int_equal(FwpsInjectionHandleCreate0(AF_INET, FWPS_INJECTION_TYPE_STREAM, &h->inj),
			 STATUS_SUCCESS);
	h->ops.deliver = dp_deliver;
	h->ops.deliver_fin = dp_fin;
	h->ops.deliver_abort = dp_abort;
	h->ops.drop = dp_drop;
	h->ops.pause = dp_pause;
	h->ops.offload = dp_offload;
	h->ops.wake = dp_wake;
}

void sh_down(sh *h)
{
	FwpsInjectionHandleDestroy0(h->inj);
	assert_int_equal(FwpmEngineClose0(h->session), STATUS_SUCCESS);
	owfp_engine_destroy(h->engine);
	for (size_t i = 0; i < ncallouts; i++) {
		for (size_t k = 0; k < callouts[i]->ncalls; k++)
			free(callouts[i]->calls[k].data);
		free(callouts[i]->calls);
		free(callouts[i]);
	}
	ncallouts = 0;
	for (int d = 0; d < 2; d++)
		free(h->side[d].buf);
	free(h->events);
	pthread_mutex_destroy(&h->wake_mu);
	pthread_cond_destroy(&h->wake_cv);
	current = NULL;
}

GUID sh_guid(uint32_t n)
{
	GUID g = {0x57e4a11e, 0x5eed, 0x4bad, {0x90, 0, 0, 0, 0, 0, 0, 0}};
	g.Data4[4] = (UINT8)(n >> 24);
	g.Data4[5] = (UINT8)(n >> 16);
	g.Data4[6] = (UINT8)(n >> 8);
	g.Data4[7] = (UINT8)n;
	return g;
}

GUID sh_sublayer(sh *h, UINT16 weight)
{
	FWPM_SUBLAYER0 s;
	memset(&s, 0, sizeof(s));
	s.subLayerKey = sh_guid(++guid_seq);
	s.weight = weight;
	assert_int_equal(FwpmSubLayerAdd0(h->session, &s, NULL), STATUS_SUCCESS);
	return s.subLayerKey;
}

static void record(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		   const FWPS_STREAM_CALLOUT_IO_PACKET0 *io, UINT64 ctx,
		   const FWPS_CLASSIFY_OUT0 *out)
{
	if (c->ncalls == c->capcalls) {
		c->capcalls = c->capcalls ? c->capcalls * 2 : 16;
		c->calls = realloc(c->calls, c->capcalls * sizeof(*c->calls));
		assert_non_null(c->calls);
	}
	sh_call *k = &c->calls[c->ncalls++];
	memset(k, 0, sizeof(*k));
	const FWPS_STREAM_DATA0 *sd = io->streamData;
	k->len = sd->dataLength;
	k->data = malloc(k->len + 1);
	assert_non_null(k->data);
	SIZE_T got = 0;
	FwpsCopyStreamDataToBuffer0(sd, k->data, k->len, &got);
	assert_int_equal(got, k->len);
	k->data[k->len] = 0;
	k->missed = io->missedBytes;
	k->stream_flags = sd->flags;
	k->out_flags = out->flags;
	k->meta_flags = meta->flags;
	k->prefill_action = out->actionType;
	k->prefill_rights = out->rights;
	k->flow_context = ctx;
	k->flow_id = meta->flowHandle;
	k->dir = (sd->flags & FWPS_STREAM_FLAG_RECEIVE) ? OWFP_DIR_INBOUND : OWFP_DIR_OUTBOUND;
}

static void NTAPI classify3(const FWPS_INCOMING_VALUES0 *in,
			    const FWPS_INCOMING_METADATA_VALUES0 *meta, void *layer_data,
			    const void *cctx, const FWPS_FILTER3 *filter, UINT64 flow_context,
			    FWPS_CLASSIFY_OUT0 *out)
{
	(void)in;
	(void)cctx;
	sh_callout *c = by_id(filter->action.calloutId);
	assert_non_null(c);
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layer_data;
	assert_non_null(io);
	record(c, meta, io, flow_context, out);
	c->fn(c, meta, io, filter, flow_context, out);
}

static NTSTATUS NTAPI notify3(FWPS_CALLOUT_NOTIFY_TYPE t, const GUID *key, FWPS_FILTER3 *filter)
{
	(void)t;
	(void)key;
	(void)filter;
	return STATUS_SUCCESS;
}

static void NTAPI flow_delete(UINT16 layer, UINT32 callout_id, UINT64 ctx)
{
	sh_callout *c = by_id(callout_id);
	if (!c)
		return;
	c->deletes++;
	c->last_deleted = ctx;
	c->last_deleted_layer = layer;
}

sh_callout *sh_callout_new(sh *h, UINT32 flags, sh_fn fn)
{
	assert_true(ncallouts < SH_MAX_CALLOUTS);
	sh_callout *c = calloc(1, sizeof(*c));
	assert_non_null(c);
	c->key = sh_guid(++guid_seq);
	c->fn = fn;
	FWPM_CALLOUT0 mc;
	memset(&mc, 0, sizeof(mc));
	mc.calloutKey = c->key;
	mc.applicableLayer = FWPM_LAYER_STREAM_V4;
	UINT32 mid = 0;
	assert_int_equal(FwpmCalloutAdd0(h->session, &mc, NULL, &mid), STATUS_SUCCESS);
	FWPS_CALLOUT3 sc;
	memset(&sc, 0, sizeof(sc));
	sc.calloutKey = c->key;
	sc.flags = flags;
	sc.classifyFn = classify3;
	sc.notifyFn = notify3;
	sc.flowDeleteFn = flow_delete;
	assert_int_equal(FwpsCalloutRegister3(&h->device, &sc, &c->id), STATUS_SUCCESS);
	callouts[ncallouts++] = c;
	return c;
}

UINT32 sh_ale_callout(sh *h, GUID key, FWPS_CALLOUT_CLASSIFY_FN3 fn,
		      FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 del)
{
	FWPM_CALLOUT0 mc;
	memset(&mc, 0, sizeof(mc));
	mc.calloutKey = key;
	mc.applicableLayer = FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4;
	assert_int_equal(FwpmCalloutAdd0(h->session, &mc, NULL, NULL), STATUS_SUCCESS);
	FWPS_CALLOUT3 sc;
	memset(&sc, 0, sizeof(sc));
	sc.calloutKey = key;
	sc.classifyFn = fn;
	sc.notifyFn = notify3;
	sc.flowDeleteFn = del;
	UINT32 id = 0;
	assert_int_equal(FwpsCalloutRegister3(&h->device, &sc, &id), STATUS_SUCCESS);
	return id;
}

UINT64 sh_filter_layer(sh *h, const GUID *layer, const GUID *sublayer, FWP_ACTION_TYPE type,
		       const GUID *callout_key, UINT64 weight)
{
	FWPM_FILTER0 f;
	memset(&f, 0, sizeof(f));
	f.filterKey = sh_guid(++guid_seq);
	f.layerKey = *layer;
	if (sublayer)
		f.subLayerKey = *sublayer;
	UINT64 w = weight;
	if (weight) {
		f.weight.type = FWP_UINT64;
		f.weight.uint64 = &w;
	}
	f.action.type = type;
	if (callout_key)
		f.action.calloutKey = *callout_key;
	UINT64 id = 0;
	assert_int_equal(FwpmFilterAdd0(h->session, &f, NULL, &id), STATUS_SUCCESS);
	return id;
}

UINT64 sh_filter(sh *h, const GUID *sublayer, FWP_ACTION_TYPE type, sh_callout *c, UINT64 weight,
		 UINT32 flags)
{
	FWPM_FILTER0 f;
	memset(&f, 0, sizeof(f));
	f.filterKey = sh_guid(++guid_seq);
	f.layerKey = FWPM_LAYER_STREAM_V4;
	f.flags = flags;
	if (sublayer)
		f.subLayerKey = *sublayer;
	UINT64 w = weight;
	if (weight) {
		f.weight.type = FWP_UINT64;
		f.weight.uint64 = &w;
	}
	f.action.type = type;
	if (c)
		f.action.calloutKey = c->key;
	UINT64 id = 0;
	assert_int_equal(FwpmFilterAdd0(h->session, &f, NULL, &id), STATUS_SUCCESS);
	return id;
}

owfp_flow_key sh_key(void)
{
	owfp_flow_key k;
	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	k.local_addr[0] = 10, k.local_addr[3] = 1;
	k.remote_addr[0] = 10, k.remote_addr[3] = 2;
	k.local_port = 40000;
	k.remote_port = 80;
	k.outbound = true;
	return k;
}

owfp_flow *sh_flow_key(sh *h, const owfp_flow_key *key)
{
	owfp_flow *f = NULL;
	assert_int_equal(owfp_flow_create(h->engine, key, &h->ops, h, &f), 0);
	assert_non_null(f);
	return f;
}

owfp_flow *sh_flow(sh *h)
{
	owfp_flow_key k = sh_key();
	return sh_flow_key(h, &k);
}

void sh_send(owfp_flow *f, int dir, const char *s)
{
	assert_int_equal(owfp_flow_indicate(f, dir, (const uint8_t *)s, strlen(s), 0, 0), 0);
}

void sh_expect_bytes(sh *h, int dir, const uint8_t *b, size_t n)
{
	assert_int_equal(h->side[dir].len, n);
	if (n)
		assert_memory_equal(h->side[dir].buf, b, n);
}

void sh_expect(sh *h, int dir, const char *s)
{
	if (h->side[dir].len != strlen(s) || (strlen(s) && memcmp(h->side[dir].buf, s, strlen(s))))
		print_error("side %d got '%.*s', want '%s'\n", dir, (int)h->side[dir].len,
			    h->side[dir].buf ? (const char *)h->side[dir].buf : "", s);
	sh_expect_bytes(h, dir, (const uint8_t *)s, strlen(s));
}

static void NTAPI inject_done(void *ctx, NET_BUFFER_LIST *nbl, BOOLEAN dispatch)
{
	(void)dispatch;
	sh_callout *c = ctx;
	c->injected_completions++;
	MDL *m = nbl->FirstNetBuffer ? nbl->FirstNetBuffer->MdlChain : NULL;
	void *mem = m ? m->MappedSystemVa : NULL;
	FwpsFreeNetBufferList0(nbl);
	if (m)
		IoFreeMdl(m);
	free(mem);
}

NTSTATUS sh_inject(sh *h, sh_callout *c, UINT64 flow, UINT32 sflags, const void *data, size_t len)
{
	NET_BUFFER_LIST *nbl = NULL;
	void *mem = NULL;
	MDL *m = NULL;
	if (data) {
		mem = malloc(len ? len : 1);
		assert_non_null(mem);
		memcpy(mem, data, len);
		m = IoAllocateMdl(mem, (ULONG)len, FALSE, FALSE, NULL);
		assert_non_null(m);
		assert_int_equal(FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, m, 0, len, &nbl),
				 STATUS_SUCCESS);
	}
	NTSTATUS st = FwpsStreamInjectAsync0(h->inj, NULL, 0, flow, c->id, FWPS_LAYER_STREAM_V4,
					     sflags, nbl, data ? len : 0, inject_done, c);
	c->last_inject = st;
	if (!NT_SUCCESS(st) && nbl) {
		FwpsFreeNetBufferList0(nbl);
		IoFreeMdl(m);
		free(mem);
	}
	return st;
}

void sh_fn_none(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 flow_context,
		FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)io, (void)filter, (void)flow_context, (void)out;
}

void sh_fn_permit(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		  FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
		  UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)io, (void)filter, (void)flow_context;
	out->actionType = FWP_ACTION_PERMIT;
}

void sh_fn_script(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		  FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
		  UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out)
{
	(void)filter, (void)flow_context;
	assert_true(c->nscript > 0);
	size_t i = c->ncalls - 1;
	const sh_answer *a = &c->script[i < c->nscript ? i : c->nscript - 1];
	if (a->inject) {
		UINT32 dirflag = io->streamData->flags &
				 (FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_SEND);
		NTSTATUS st = sh_inject(sh_current(), c, meta->flowHandle, dirflag, a->inject,
					strlen(a->inject));
		assert_int_equal(st, STATUS_SUCCESS);
	}
	io->streamAction = a->stream_action;
	io->countBytesEnforced = a->enforced;
	io->countBytesRequired = a->required;
	if (a->action)
		out->actionType = a->action;
}

size_t sh_count_events(const sh *h, enum owfp_event_type t, const char *detail)
{
	size_t n = 0;
	for (size_t i = 0; i < h->nevents; i++)
		if (h->events[i].ev.type == t && (!detail || !strcmp(detail, h->events[i].detail)))
			n++;
	return n;
}

/* The one harness the fixture functions hand to cmocka tests. */
static sh fixture_harness;

int sh_fixture_setup(void **state)
{
	sh_up(&fixture_harness, NULL);
	*state = &fixture_harness;
	return 0;
}

int sh_fixture_teardown(void **state)
{
	sh_down(*state);
	return 0;
}
