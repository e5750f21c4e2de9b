/*
 * Calling into callout code with the signature each callout registered,
 * inside containment (src/wdm/contain.h): a failed NT_ASSERT or a bug check
 * in the driver ends that call only, and the engine answers for it, fail
 * closed.
 */
#include <stdio.h>

#include "engine/engine_internal.h"
#include "wdm/contain.h"

/* This thread's classifies in flight (engine.h). */
_Thread_local owfp_classify_nest owfp_classify_stack __attribute__((tls_model("initial-exec")));

void owfp_callout_classify_unwind(unsigned depth)
{
	owfp_classify_nest *n = &owfp_classify_stack;

	while (n->depth > depth) {
		n->depth--;
		/* Deeper than the list: counted, not listed, so left counted. */
		if (n->depth < OWFP_CLASSIFY_NEST)
			owfp_inflight_dec(n->at[n->depth].c, n->at[n->depth].slot);
	}
}

/* What a failure report needs to name the callout and the flow. */
typedef struct classify_args {
	const owfp_callout *c;
	const FWPS_INCOMING_METADATA_VALUES0 *meta;
} classify_args;

static inline void classify_direct(const owfp_callout *c, const FWPS_INCOMING_VALUES0 *in,
				   const FWPS_INCOMING_METADATA_VALUES0 *meta, void *layer_data,
				   const FWPS_FILTER3 *filter, UINT64 flow_context,
				   FWPS_CLASSIFY_OUT0 *out)
{
	/* FWPS_FILTER0..3 share one layout; only the provider-context type differs. */
	switch (c->version) {
	case 0:
		c->classify.fn0(in, meta, layer_data, (const FWPS_FILTER0 *)filter, flow_context,
				out);
		break;
	case 1:
		c->classify.fn1(in, meta, layer_data, NULL, (const FWPS_FILTER1 *)filter,
				flow_context, out);
		break;
	case 2:
		c->classify.fn2(in, meta, layer_data, NULL, (const FWPS_FILTER2 *)filter,
				flow_context, out);
		break;
	default:
		c->classify.fn3(in, meta, layer_data, NULL, filter, flow_context, out);
		break;
	}
}

static bool has_flow(const FWPS_INCOMING_METADATA_VALUES0 *meta)
{
	return meta && (meta->currentMetadataValues & FWPS_METADATA_FIELD_FLOW_HANDLE);
}

static void classify_describe(void *arg, char *buf, size_t len)
{
	const classify_args *a = arg;

	if (has_flow(a->meta))
		snprintf(buf, len, "callout '%s', flow %llu: the flow is dropped (fail closed)",
			 a->c->name, (unsigned long long)a->meta->flowHandle);
	else
		snprintf(buf, len, "callout '%s': the action is BLOCK (fail closed)", a->c->name);
}

static const owfp_contain_site classify_site = {"classifyFn", classify_describe};

/* Out of line, so the built-in path keeps a frame as small as before; the
 * containment is open-coded (contain.h) to spare a trampoline per call. */
__attribute__((noinline)) static bool classify_contained(const owfp_callout *c,
							 const FWPS_INCOMING_VALUES0 *in,
							 const FWPS_INCOMING_METADATA_VALUES0 *meta,
							 void *layer_data, const FWPS_FILTER3 *filter,
							 UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out)
{
	classify_args a = {c, meta};
	owfp_contain_frame fr;
	unsigned depth = owfp_classify_stack.depth;

	owfp_contain_frame_init(&fr, c->driver, (const void *)c->classify.fn0, &classify_site, &a);
	if (sigsetjmp(fr.jb, 0) == 0) {
		owfp_contain_push(&fr);
		classify_direct(c, in, meta, layer_data, filter, flow_context, out);
		owfp_contain_pop(&fr);
		return false;
	}
	/* Classifies nested in the failed call never reached their leave. */
	owfp_callout_classify_unwind(depth);
	out->actionType = FWP_ACTION_BLOCK;
	if (layer_data) {
		FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layer_data;

		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		io->countBytesRequired = 0;
		io->countBytesEnforced = 0;
	}
	/* An inspection callout's DROP_CONNECTION is ignored (S39): abort the
	 * flow itself, which every callout type honours. */
	if (has_flow(meta))
		(void)FwpsFlowAbort0(meta->flowHandle);
	return true;
}

bool owfp_callout_classify(const owfp_callout *c, const FWPS_INCOMING_VALUES0 *in,
			   const FWPS_INCOMING_METADATA_VALUES0 *meta, void *layer_data,
			   const FWPS_FILTER3 *filter, UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out)
{
	if (c->contained)
		return classify_contained(c, in, meta, layer_data, filter, flow_context, out);
	/* Built-in callouts: the bare call. */
	classify_direct(c, in, meta, layer_data, filter, flow_context, out);
	return false;
}

typedef struct notify_args {
	const owfp_callout *c;
	FWPS_CALLOUT_NOTIFY_TYPE type;
	const GUID *filter_key;
	FWPS_FILTER3 *filter;
	NTSTATUS status;
} notify_args;

static void notify_fn(void *arg)
{
	notify_args *a = arg;
	const owfp_callout *c = a->c;

	switch (c->version) {
	case 0:
		a->status = c->notify.fn0(a->type, a->filter_key, (FWPS_FILTER0 *)a->filter);
		break;
	case 1:
		a->status = c->notify.fn1(a->type, a->filter_key, (FWPS_FILTER1 *)a->filter);
		break;
	case 2:
		a->status = c->notify.fn2(a->type, a->filter_key, (FWPS_FILTER2 *)a->filter);
		break;
	default:
		a->status = c->notify.fn3(a->type, a->filter_key, a->filter);
		break;
	}
}

static void notify_describe(void *arg, char *buf, size_t len)
{
	const notify_args *a = arg;

	snprintf(buf, len, "callout '%s': the notification fails%s", a->c->name,
		 a->type == FWPS_CALLOUT_NOTIFY_ADD_FILTER ? " (the filter is not added)" : "");
}

static const owfp_contain_site notify_site = {"notifyFn", notify_describe};

NTSTATUS owfp_callout_notify(const owfp_callout *c, FWPS_CALLOUT_NOTIFY_TYPE type,
			     const GUID *filter_key, FWPS_FILTER3 *filter)
{
	notify_args a = {c, type, filter_key, filter, STATUS_SUCCESS};

	if (!c->notify.fn0) /* the same slot for every version */
		return STATUS_SUCCESS;
	if (!c->contained) {
		notify_fn(&a);
		return a.status;
	}
	if (owfp_contain_call(c->driver, (const void *)c->notify.fn0, &notify_site, notify_fn, &a))
		return STATUS_DRIVER_INTERNAL_ERROR;
	return a.status;
}

typedef struct flow_delete_args {
	const owfp_callout *c;
	UINT16 layer_id;
	UINT32 callout_id;
	UINT64 flow_context;
} flow_delete_args;

static void flow_delete_fn(void *arg)
{
	const flow_delete_args *a = arg;

	a->c->flow_delete(a->layer_id, a->callout_id, a->flow_context);
}

static void flow_delete_describe(void *arg, char *buf, size_t len)
{
	const flow_delete_args *a = arg;

	snprintf(buf, len, "callout '%s': the flow context is given up (the driver may leak it)",
		 a->c->name);
}

static const owfp_contain_site flow_delete_site = {"flowDeleteFn", flow_delete_describe};

void owfp_callout_flow_delete(const owfp_callout *c, UINT16 layer_id, UINT32 callout_id,
			      UINT64 flow_context)
{
	flow_delete_args a = {c, layer_id, callout_id, flow_context};

	if (!c->contained) {
		flow_delete_fn(&a);
		return;
	}
	(void)owfp_contain_call(c->driver, (const void *)c->flow_delete, &flow_delete_site,
				flow_delete_fn, &a);
}

typedef struct complete_args {
	FWPS_INJECT_COMPLETE0 fn;
	void *context;
	NET_BUFFER_LIST *nbl;
	BOOLEAN dispatch_level;
} complete_args;

static void complete_fn(void *arg)
{
	const complete_args *a = arg;

	a->fn(a->context, a->nbl, a->dispatch_level);
}

static const owfp_contain_site complete_site = {"injection completionFn", NULL};

void owfp_callout_inject_complete(FWPS_INJECT_COMPLETE0 fn, void *context, NET_BUFFER_LIST *nbl,
				  BOOLEAN dispatch_level)
{
	complete_args a = {fn, context, nbl, dispatch_level};

	/* The driver is found from the routine's address. */
	(void)owfp_contain_call(NULL, (const void *)fn, &complete_site, complete_fn, &a);
}
