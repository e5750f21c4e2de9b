/* The stream tests' shared engine setups (see fixture_stream.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "fixture_stream.h"

sh_callout *sh_stage(sh *h, const GUID *sublayer, FWP_ACTION_TYPE type, UINT64 weight, sh_fn fn,
		     const sh_answer *script, size_t n)
{
	sh_callout *c = sh_callout_new(h, 0, script ? sh_fn_script : fn);
	c->script = script;
	c->nscript = n;
	sh_filter(h, sublayer, type ? type : FWP_ACTION_CALLOUT_TERMINATING, c, weight, 0);
	return c;
}

sh_callout *sh_scripted(sh *h, const sh_answer *script, size_t n)
{
	return sh_stage(h, NULL, 0, 0, NULL, script, n);
}

sh_callout *sh_terminating(sh *h, sh_fn fn)
{
	return sh_stage(h, NULL, 0, 0, fn, NULL, 0);
}

sh_stack sh_two_sublayers(sh *h, sh_fn up_fn, const sh_answer *up_script, size_t up_n,
			  sh_fn down_fn, const sh_answer *down_script, size_t down_n)
{
	GUID hi = sh_sublayer(h, 0x40), lo = sh_sublayer(h, 0x20);
	sh_stack s;
	s.up = sh_stage(h, &hi, 0, 0, up_fn, up_script, up_n);
	s.down = sh_stage(h, &lo, 0, 0, down_fn, down_script, down_n);
	return s;
}

sh_stack sh_one_sublayer(sh *h, FWP_ACTION_TYPE up_type, sh_fn up_fn, const sh_answer *up_script,
			 size_t up_n, sh_fn down_fn, const sh_answer *down_script, size_t down_n)
{
	GUID s = sh_sublayer(h, 0x40);
	sh_stack st;
	st.up = sh_stage(h, &s, up_type, 10, up_fn, up_script, up_n);
	st.down = sh_stage(h, &s, 0, 5, down_fn, down_script, down_n);
	return st;
}

void sh_fn_abort(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		 FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
		 UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)io, (void)filter, (void)flow_context;
	assert_int_equal(FwpsFlowAbort0(meta->flowHandle), STATUS_SUCCESS);
	out->actionType = FWP_ACTION_PERMIT;
}

void sh_fn_defer_once(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		      FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
		      UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out)
{
	(void)meta, (void)filter, (void)flow_context;
	/* The harness records a call before classifying: 1 is the first. */
	if (c->ncalls == 1) {
		io->streamAction = FWPS_STREAM_ACTION_DEFER;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	out->actionType = FWP_ACTION_PERMIT;
}
