/*
 * The engine setups the stream tests share, on top of the stream harness:
 * a callout behind one filter (scripted or with its own classify), the
 * two-sublayer stack, and the classify functions several tests need.
 */
#ifndef OWFP_TEST_FIXTURE_STREAM_H
#define OWFP_TEST_FIXTURE_STREAM_H

#include "stream_harness.h"

/* A new callout behind one filter of `type` (0: CALLOUT_TERMINATING) with
 * this weight (0: FWP_EMPTY) in `sublayer` (NULL: the default). Given a
 * script, it answers from it (sh_fn_script, n answers); otherwise fn
 * classifies. */
sh_callout *sh_stage(sh *h, const GUID *sublayer, FWP_ACTION_TYPE type, UINT64 weight, sh_fn fn,
		     const sh_answer *script, size_t n);
/* The common case: a scripted callout behind one terminating filter in the
 * default sublayer. */
sh_callout *sh_scripted(sh *h, const sh_answer *script, size_t n);
/* A callout with its own classify behind one terminating filter in the
 * default sublayer. */
sh_callout *sh_terminating(sh *h, sh_fn fn);

/* The two-sublayer setup: callout `up` behind one terminating filter in a
 * sublayer weighted 0x40, above `down` behind one in a sublayer weighted
 * 0x20. A callout given a script answers from it (sh_fn_script). */
typedef struct sh_stack {
	sh_callout *up, *down;
} sh_stack;
sh_stack sh_two_sublayers(sh *h, sh_fn up_fn, const sh_answer *up_script, size_t up_n,
			  sh_fn down_fn, const sh_answer *down_script, size_t down_n);
/* Both in one sublayer weighted 0x40: `up` behind a filter of up_type
 * weighted 10, above `down` behind a terminating one weighted 5. */
sh_stack sh_one_sublayer(sh *h, FWP_ACTION_TYPE up_type, sh_fn up_fn, const sh_answer *up_script,
			 size_t up_n, sh_fn down_fn, const sh_answer *down_script, size_t down_n);

/* Calls FwpsFlowAbort0 on its flow from inside classifyFn, then PERMITs. */
void sh_fn_abort(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		 FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
		 UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out);
/* DEFERs the callout's first indication, PERMITs every later one. */
void sh_fn_defer_once(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		      FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
		      UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out);

#endif
