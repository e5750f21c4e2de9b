/*
 * S73: notifyFn. ADD_FILTER when a filter naming the callout is added (a
 * failure refuses the filter; the callout may set filter->context),
 * DELETE_FILTER with a NULL key when it is deleted (at commit), and
 * ADD_FILTER_POST_COMMIT after the commit for ENABLE_COMMIT_ADD_NOTIFY.
 * Filters added before registration get no ADD but do get DELETE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine_fixture.h"

static struct note {
	FWPS_CALLOUT_NOTIFY_TYPE type;
	bool key_null;
	GUID key;
	UINT64 filter;
	UINT64 context;
} notes[32];
static int nnotes;
static NTSTATUS add_answer;

static NTSTATUS NTAPI notify(FWPS_CALLOUT_NOTIFY_TYPE type, const GUID *key, FWPS_FILTER3 *f)
{
	struct note *n = &notes[nnotes++];

	n->type = type;
	n->key_null = key == NULL;
	if (key)
		n->key = *key;
	n->filter = f->filterId;
	n->context = f->context;
	if (type == FWPS_CALLOUT_NOTIFY_ADD_FILTER) {
		if (add_answer != STATUS_SUCCESS)
			return add_answer;
		f->context = 0xc0ffee00 + f->filterId;
	}
	return STATUS_SUCCESS;
}

static void NTAPI classify(const FWPS_INCOMING_VALUES0 *in, const FWPS_INCOMING_METADATA_VALUES0 *m,
			   void *ld, const void *ctx, const FWPS_FILTER3 *f, UINT64 fc,
			   FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)m, (void)ld, (void)ctx, (void)f, (void)fc;
	out->actionType = FWP_ACTION_PERMIT;
}

static FWPM_FILTER0 callout_filter(const GUID *callout)
{
	FWPM_FILTER0 f = efx_filter(&FWPM_LAYER_STREAM_V4, NULL, FWP_ACTION_CALLOUT_TERMINATING);

	f.action.calloutKey = *callout;
	f.rawContext = 5;
	return f;
}

static void test_add_and_delete(void **state)
{
	efx x;
	GUID k = efx_guid(1), fk = efx_guid(2);
	FWPM_FILTER0 f;
	UINT64 id;
	owfp_flow_key key = efx_key4(1, 2, 3, 4, true);
	owfp_match *m;

	(void)state;
	efx_up(&x);
	nnotes = 0;
	add_answer = STATUS_SUCCESS;
	efx_callout_add(&x, &k, &FWPM_LAYER_STREAM_V4);
	assert_int_equal(efx_register(&x, &k, 0, classify, notify, NULL), STATUS_SUCCESS);
	f = callout_filter(&k);
	f.filterKey = fk;
	assert_int_equal(efx_add(&x, &f, &id), STATUS_SUCCESS);
	assert_int_equal(nnotes, 1);
	assert_int_equal(notes[0].type, FWPS_CALLOUT_NOTIFY_ADD_FILTER);
	assert_false(notes[0].key_null);
	assert_memory_equal(&notes[0].key, &fk, sizeof(GUID));
	assert_int_equal(notes[0].filter, id);
	assert_int_equal(notes[0].context, 5); /* S98: rawContext */
	/* The context the callout set is what classifyFn will see. */
	assert_int_equal(owfp_engine_match_stream(x.engine, &key, UINT64_MAX, &m), 0);
	assert_int_equal(m->stages[0].filter.context, 0xc0ffee00 + id);
	owfp_match_release(m);

	assert_int_equal(FwpmFilterDeleteById0(x.h, id), STATUS_SUCCESS);
	assert_int_equal(nnotes, 2);
	assert_int_equal(notes[1].type, FWPS_CALLOUT_NOTIFY_DELETE_FILTER);
	assert_true(notes[1].key_null);
	assert_int_equal(notes[1].filter, id);
	assert_int_equal(notes[1].context, 0xc0ffee00 + id);

	/* A refusal makes the add fail, and nothing is added. */
	add_answer = STATUS_INSUFFICIENT_RESOURCES;
	assert_int_equal(efx_add(&x, &f, NULL), STATUS_FWP_CALLOUT_NOTIFICATION_FAILED);
	assert_int_equal(owfp_engine_match_stream(x.engine, &key, UINT64_MAX, &m), 0);
	assert_int_equal(m->nstages, 0);
	owfp_match_release(m);
	efx_down(&x);
}

static void test_filters_older_than_registration(void **state)
{
	efx x;
	GUID k = efx_guid(3);
	FWPM_FILTER0 f;
	UINT64 id;

	(void)state;
	efx_up(&x);
	nnotes = 0;
	add_answer = STATUS_SUCCESS;
	efx_callout_add(&x, &k, &FWPM_LAYER_STREAM_V4);
	f = callout_filter(&k);
	assert_int_equal(efx_add(&x, &f, &id), STATUS_SUCCESS);
	assert_int_equal(efx_register(&x, &k, 0, classify, notify, NULL), STATUS_SUCCESS);
	assert_int_equal(nnotes, 0);
	assert_int_equal(FwpmFilterDeleteById0(x.h, id), STATUS_SUCCESS);
	assert_int_equal(nnotes, 1);
	assert_int_equal(notes[0].type, FWPS_CALLOUT_NOTIFY_DELETE_FILTER);
	efx_down(&x);
}

static void test_post_commit_and_transactions(void **state)
{
	efx x;
	GUID k = efx_guid(4);
	FWPM_FILTER0 f;
	UINT64 a, b, c;

	(void)state;
	efx_up(&x);
	nnotes = 0;
	add_answer = STATUS_SUCCESS;
	efx_callout_add(&x, &k, &FWPM_LAYER_STREAM_V4);
	assert_int_equal(efx_register(&x, &k, FWP_CALLOUT_FLAG_ENABLE_COMMIT_ADD_NOTIFY, classify,
				      notify, NULL),
			 STATUS_SUCCESS);
	f = callout_filter(&k);
	assert_int_equal(FwpmTransactionBegin0(x.h, 0), STATUS_SUCCESS);
	assert_int_equal(efx_add(&x, &f, &a), STATUS_SUCCESS);
	assert_int_equal(efx_add(&x, &f, &b), STATUS_SUCCESS);
	assert_int_equal(FwpmFilterDeleteById0(x.h, b), STATUS_SUCCESS);
	/* Inside the transaction: only the ADD calls so far. */
	assert_int_equal(nnotes, 2);
	assert_int_equal(FwpmTransactionCommit0(x.h), STATUS_SUCCESS);
	/* After commit, in order: POST_COMMIT for a, DELETE for b (b never got POST_COMMIT). */
	assert_int_equal(nnotes, 4);
	assert_int_equal(notes[2].type, FWPS_CALLOUT_NOTIFY_ADD_FILTER_POST_COMMIT);
	assert_int_equal(notes[2].filter, a);
	assert_int_equal(notes[3].type, FWPS_CALLOUT_NOTIFY_DELETE_FILTER);
	assert_int_equal(notes[3].filter, b);

	/* An aborted add is undone with DELETE_FILTER, so the callout can let go. */
	nnotes = 0;
	assert_int_equal(FwpmTransactionBegin0(x.h, 0), STATUS_SUCCESS);
	assert_int_equal(efx_add(&x, &f, &c), STATUS_SUCCESS);
	assert_int_equal(FwpmFilterDeleteById0(x.h, a), STATUS_SUCCESS);
	assert_int_equal(FwpmTransactionAbort0(x.h), STATUS_SUCCESS);
	assert_int_equal(nnotes, 2);
	assert_int_equal(notes[0].type, FWPS_CALLOUT_NOTIFY_ADD_FILTER);
	assert_int_equal(notes[1].type, FWPS_CALLOUT_NOTIFY_DELETE_FILTER);
	assert_int_equal(notes[1].filter, c);
	/* a survived the abort. */
	assert_int_equal(FwpmFilterDeleteById0(x.h, a), STATUS_SUCCESS);
	assert_int_equal(FwpmFilterDeleteById0(x.h, c), STATUS_FWP_FILTER_NOT_FOUND);
	efx_down(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_delete),
		cmocka_unit_test(test_filters_older_than_registration),
		cmocka_unit_test(test_post_commit_and_transactions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
