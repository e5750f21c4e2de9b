/*
 * S89–S96 at ALE_FLOW_ESTABLISHED: per-sublayer evaluation (first PERMIT or
 * BLOCK decides the sublayer), the WRITE right (soft/hard), veto, the
 * classifyOut pre-fill, default permit, inspection and UNKNOWN callouts,
 * unregistered callouts (S70), and what a callout is handed there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

/* What each callout answers, and what it saw. */
typedef struct behaviour {
	FWP_ACTION_TYPE answer;
	bool clear_right;
} behaviour;

#define NCALLOUTS 4
static behaviour want[NCALLOUTS];
static struct seen {
	UINT64 filter;
	FWP_ACTION_TYPE prefill;
	UINT32 rights;
	int who;
} seen[32];
static int nseen;
static UINT64 seen_flow;
static UINT16 seen_layer;
static UINT32 seen_values;
static UINT32 seen_meta;
static bool seen_layer_data_null;
static UINT32 seen_rport;
static UINT8 seen_proto;

static void record(int who, const FWPS_INCOMING_VALUES0 *in,
		   const FWPS_INCOMING_METADATA_VALUES0 *meta, void *layerData,
		   const FWPS_FILTER3 *filter, FWPS_CLASSIFY_OUT0 *out)
{
	seen[nseen++] = (struct seen){filter->filterId, out->actionType, out->rights, who};
	seen_flow = meta->flowHandle;
	seen_meta = meta->currentMetadataValues;
	seen_layer = in->layerId;
	seen_values = in->valueCount;
	seen_layer_data_null = layerData == NULL;
	seen_rport = in->incomingValue[FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_REMOTE_PORT].value.uint16;
	seen_proto = in->incomingValue[FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_PROTOCOL].value.uint8;
	out->actionType = want[who].answer;
	if (want[who].clear_right)
		out->rights &= ~FWPS_RIGHT_ACTION_WRITE;
}

#define CALLOUT_FN(n)                                                                       \
	static void NTAPI classify##n(const FWPS_INCOMING_VALUES0 *in,                      \
				      const FWPS_INCOMING_METADATA_VALUES0 *meta, void *ld, \
				      const void *ctx, const FWPS_FILTER3 *f, UINT64 fc,    \
				      FWPS_CLASSIFY_OUT0 *out)                              \
	{                                                                                   \
		assert_null(ctx);                                                           \
		assert_int_equal(fc, 0);                                                    \
		record(n, in, meta, ld, f, out);                                            \
	}
CALLOUT_FN(0)
CALLOUT_FN(1)
CALLOUT_FN(2)
CALLOUT_FN(3)
static FWPS_CALLOUT_CLASSIFY_FN3 fns[NCALLOUTS] = {classify0, classify1, classify2, classify3};

typedef struct world {
	efx x;
	GUID callout[NCALLOUTS];
	GUID sub[3]; /* weights 300, 200, 100 */
} world;

static void world_up(world *w, bool register_all)
{
	efx_up(&w->x);
	memset(want, 0, sizeof(want));
	nseen = 0;
	for (int i = 0; i < NCALLOUTS; i++) {
		w->callout[i] = efx_guid(100 + (uint32_t)i);
		efx_callout_add(&w->x, &w->callout[i], &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4);
		if (register_all)
			assert_int_equal(efx_register(&w->x, &w->callout[i], 0, fns[i], NULL, NULL),
					 STATUS_SUCCESS);
		want[i].answer = FWP_ACTION_CONTINUE;
	}
	for (int i = 0; i < 3; i++) {
		w->sub[i] = efx_guid(200 + (uint32_t)i);
		efx_sublayer(&w->x, &w->sub[i], (UINT16)(300 - 100 * i));
	}
}

static UINT64 add(world *w, int sub, FWP_ACTION_TYPE action, int callout, UINT64 weight, UINT32 flags)
{
	FWPM_FILTER0 f = efx_filter(&FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, &w->sub[sub], action);
	UINT64 id;

	if (callout >= 0)
		f.action.calloutKey = w->callout[callout];
	f.weight.type = FWP_UINT64;
	f.weight.uint64 = &weight;
	f.flags = flags;
	assert_int_equal(efx_add(&w->x, &f, &id), STATUS_SUCCESS);
	return id;
}

static FWP_ACTION_TYPE classify(world *w)
{
	owfp_flow_key k = efx_key4(0x0a000001, 40000, 0x0a000002, 443, true);

	nseen = 0;
	return owfp_engine_classify_flow_established(w->x.engine, &k, 77);
}

static void test_s95_no_filters_permit(void **state)
{
	world w;

	(void)state;
	world_up(&w, true);
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT);
	add(&w, 0, FWP_ACTION_CALLOUT_INSPECTION, 0, 1, 0);
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT);
	assert_int_equal(nseen, 1);
	efx_down(&w.x);
}

static void test_what_the_callout_is_handed(void **state)
{
	world w;

	(void)state;
	world_up(&w, true);
	add(&w, 0, FWP_ACTION_CALLOUT_INSPECTION, 0, 1, 0);
	classify(&w);
	assert_int_equal(nseen, 1);
	assert_int_equal(seen_flow, 77);
	assert_true(seen_meta & FWPS_METADATA_FIELD_FLOW_HANDLE);
	assert_false(seen_meta & FWPS_METADATA_FIELD_PROCESS_ID);
	assert_int_equal(seen_layer, FWPS_LAYER_ALE_FLOW_ESTABLISHED_V4);
	assert_int_equal(seen_values, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_MAX);
	assert_true(seen_layer_data_null);
	assert_int_equal(seen_rport, 443);
	assert_int_equal(seen_proto, 6);
	/* S94: nothing decided yet: CONTINUE with the right. */
	assert_int_equal(seen[0].prefill, FWP_ACTION_CONTINUE);
	assert_int_equal(seen[0].rights, FWPS_RIGHT_ACTION_WRITE);
	efx_down(&w.x);
}

static void test_s89_first_decision_ends_sublayer(void **state)
{
	world w;
	UINT64 a, b;

	(void)state;
	world_up(&w, true);
	want[0].answer = FWP_ACTION_CONTINUE;
	want[1].answer = FWP_ACTION_PERMIT;
	a = add(&w, 0, FWP_ACTION_CALLOUT_UNKNOWN, 0, 30, 0);
	b = add(&w, 0, FWP_ACTION_CALLOUT_UNKNOWN, 1, 20, 0);
	add(&w, 0, FWP_ACTION_CALLOUT_UNKNOWN, 2, 10, 0); /* skipped */
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT);
	assert_int_equal(nseen, 2);
	assert_int_equal(seen[0].filter, a);
	assert_int_equal(seen[1].filter, b);
	efx_down(&w.x);
}

static void test_s91_soft_permit_overridden_by_lower_block(void **state)
{
	world w;

	(void)state;
	world_up(&w, true);
	add(&w, 0, FWP_ACTION_PERMIT, -1, 1, 0);
	want[0].answer = FWP_ACTION_BLOCK; /* soft: keeps the right */
	add(&w, 1, FWP_ACTION_CALLOUT_TERMINATING, 0, 1, 0);
	assert_int_equal(classify(&w), FWP_ACTION_BLOCK);
	/* S94: the callout saw the soft PERMIT with the right. */
	assert_int_equal(seen[0].prefill, FWP_ACTION_PERMIT);
	assert_int_equal(seen[0].rights, FWPS_RIGHT_ACTION_WRITE);
	efx_down(&w.x);
}

static void test_s91_soft_block_overridden_by_lower_permit(void **state)
{
	world w;

	(void)state;
	world_up(&w, true);
	want[0].answer = FWP_ACTION_BLOCK;
	add(&w, 0, FWP_ACTION_CALLOUT_TERMINATING, 0, 1, 0);
	add(&w, 1, FWP_ACTION_PERMIT, -1, 1, 0);
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT);
	efx_down(&w.x);
}

static void test_s92_hard_permit_and_veto(void **state)
{
	world w;

	(void)state;
	world_up(&w, true);
	add(&w, 0, FWP_ACTION_PERMIT, -1, 1, FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT);
	add(&w, 1, FWP_ACTION_BLOCK, -1, 1, 0); /* static block without the right: ignored */
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT);
	/* S93: a callout BLOCK without the right is a veto. */
	want[0].answer = FWP_ACTION_BLOCK;
	add(&w, 2, FWP_ACTION_CALLOUT_TERMINATING, 0, 1, 0);
	assert_int_equal(classify(&w), FWP_ACTION_BLOCK);
	assert_int_equal(nseen, 1);
	assert_int_equal(seen[0].prefill, FWP_ACTION_PERMIT);
	assert_int_equal(seen[0].rights, 0);
	efx_down(&w.x);
}

static void test_hard_block_final_inspection_still_runs(void **state)
{
	world w;

	(void)state;
	world_up(&w, true);
	add(&w, 0, FWP_ACTION_BLOCK, -1, 1, 0);
	want[0].answer = FWP_ACTION_PERMIT;
	add(&w, 1, FWP_ACTION_CALLOUT_TERMINATING, 0, 1, 0); /* not called */
	add(&w, 1, FWP_ACTION_PERMIT, -1, 0, FWPM_FILTER_FLAG_CLEAR_ACTION_RIGHT);
	add(&w, 2, FWP_ACTION_CALLOUT_INSPECTION, 1, 1, 0); /* called, result discarded */
	want[1].answer = FWP_ACTION_PERMIT;
	assert_int_equal(classify(&w), FWP_ACTION_BLOCK);
	assert_int_equal(nseen, 1);
	assert_int_equal(seen[0].who, 1);
	assert_int_equal(seen[0].prefill, FWP_ACTION_BLOCK);
	assert_int_equal(seen[0].rights, 0);
	efx_down(&w.x);
}

static void test_callout_clearing_right_is_hard(void **state)
{
	world w;

	(void)state;
	world_up(&w, true);
	want[0].answer = FWP_ACTION_PERMIT;
	want[0].clear_right = true;
	add(&w, 0, FWP_ACTION_CALLOUT_TERMINATING, 0, 1, 0);
	add(&w, 1, FWP_ACTION_BLOCK, -1, 1, 0);
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT);
	want[0].answer = FWP_ACTION_BLOCK;
	want[1].answer = FWP_ACTION_PERMIT;
	add(&w, 2, FWP_ACTION_CALLOUT_TERMINATING, 1, 1, 0); /* permit after hard block: ignored */
	assert_int_equal(classify(&w), FWP_ACTION_BLOCK);
	efx_down(&w.x);
}

static void test_s30_terminating_and_unknown_answers(void **state)
{
	world w;

	(void)state;
	world_up(&w, true);
	/* TERMINATING: anything but PERMIT is BLOCK. */
	want[0].answer = FWP_ACTION_CONTINUE;
	add(&w, 0, FWP_ACTION_CALLOUT_TERMINATING, 0, 1, 0);
	add(&w, 1, FWP_ACTION_PERMIT, -1, 1, 0);
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT); /* soft block, then permit */
	add(&w, 2, FWP_ACTION_CALLOUT_UNKNOWN, 1, 1, 0);
	want[1].answer = FWP_ACTION_NONE; /* garbage from UNKNOWN counts as CONTINUE */
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT);
	want[1].answer = FWP_ACTION_BLOCK;
	assert_int_equal(classify(&w), FWP_ACTION_BLOCK);
	/* INSPECTION answers never decide. */
	efx_down(&w.x);
	world_up(&w, true);
	want[0].answer = FWP_ACTION_BLOCK;
	add(&w, 0, FWP_ACTION_CALLOUT_INSPECTION, 0, 1, 0);
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT);
	efx_down(&w.x);
}

static void test_s70_unregistered_callouts(void **state)
{
	world w;

	(void)state;
	world_up(&w, false);
	add(&w, 0, FWP_ACTION_CALLOUT_INSPECTION, 0, 1, 0); /* skipped */
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT);
	add(&w, 1, FWP_ACTION_CALLOUT_TERMINATING, 1, 1,
	    FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED);
	add(&w, 2, FWP_ACTION_BLOCK, -1, 1, 0);
	/* PERMIT_IF_CALLOUT_UNREGISTERED gives a soft permit: the block below wins. */
	assert_int_equal(classify(&w), FWP_ACTION_BLOCK);
	efx_down(&w.x);
	world_up(&w, false);
	add(&w, 0, FWP_ACTION_CALLOUT_UNKNOWN, 0, 1, 0);
	add(&w, 1, FWP_ACTION_PERMIT, -1, 1, 0);
	assert_int_equal(classify(&w), FWP_ACTION_BLOCK); /* acts as a (hard) BLOCK */
	assert_int_equal(efx_register(&w.x, &w.callout[0], 0, fns[0], NULL, NULL), STATUS_SUCCESS);
	want[0].answer = FWP_ACTION_CONTINUE;
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT);
	assert_int_equal(FwpsCalloutUnregisterByKey0(&w.callout[0]), STATUS_SUCCESS);
	assert_int_equal(classify(&w), FWP_ACTION_BLOCK);
	assert_int_equal(nseen, 0);
	efx_down(&w.x);
}

static void test_s79_conditional_on_flow_not_classified(void **state)
{
	world w;

	(void)state;
	world_up(&w, false);
	assert_int_equal(efx_register(&w.x, &w.callout[0], FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW,
				      fns[0], NULL, NULL),
			 STATUS_SUCCESS);
	want[0].answer = FWP_ACTION_BLOCK;
	add(&w, 0, FWP_ACTION_CALLOUT_TERMINATING, 0, 1, 0);
	assert_int_equal(classify(&w), FWP_ACTION_PERMIT);
	assert_int_equal(nseen, 0);
	efx_down(&w.x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s95_no_filters_permit),
		cmocka_unit_test(test_what_the_callout_is_handed),
		cmocka_unit_test(test_s89_first_decision_ends_sublayer),
		cmocka_unit_test(test_s91_soft_permit_overridden_by_lower_block),
		cmocka_unit_test(test_s91_soft_block_overridden_by_lower_permit),
		cmocka_unit_test(test_s92_hard_permit_and_veto),
		cmocka_unit_test(test_hard_block_final_inspection_still_runs),
		cmocka_unit_test(test_callout_clearing_right_is_hard),
		cmocka_unit_test(test_s30_terminating_and_unknown_answers),
		cmocka_unit_test(test_s70_unregistered_callouts),
		cmocka_unit_test(test_s79_conditional_on_flow_not_classified),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
