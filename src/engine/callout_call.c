/* Calling into callout code with the signature each callout registered. */
#include "engine/engine_internal.h"

void owfp_callout_classify(const owfp_callout *c, const FWPS_INCOMING_VALUES0 *in,
			   const FWPS_INCOMING_METADATA_VALUES0 *meta, void *layer_data,
			   const FWPS_FILTER3 *filter, UINT64 flow_context,
			   FWPS_CLASSIFY_OUT0 *out)
{
	/* FWPS_FILTER0..3 share one layout; only the provider-context type differs. */
	switch (c->version) {
	case 0:
		c->classify.fn0(in, meta, layer_data, (const FWPS_FILTER0 *)filter, flow_context, out);
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

NTSTATUS owfp_callout_notify(const owfp_callout *c, FWPS_CALLOUT_NOTIFY_TYPE type,
			     const GUID *filter_key, FWPS_FILTER3 *filter)
{
	switch (c->version) {
	case 0:
		return c->notify.fn0 ? c->notify.fn0(type, filter_key, (FWPS_FILTER0 *)filter)
				     : STATUS_SUCCESS;
	case 1:
		return c->notify.fn1 ? c->notify.fn1(type, filter_key, (FWPS_FILTER1 *)filter)
				     : STATUS_SUCCESS;
	case 2:
		return c->notify.fn2 ? c->notify.fn2(type, filter_key, (FWPS_FILTER2 *)filter)
				     : STATUS_SUCCESS;
	default:
		return c->notify.fn3 ? c->notify.fn3(type, filter_key, filter) : STATUS_SUCCESS;
	}
}
