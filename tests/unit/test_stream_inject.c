/* Injection: positions, sublayer skipping, completion, errors, clones (S53–S66, Q14, Q15). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "buffer/slab.h"
#include "fixture_stream.h"

#define DIN OWFP_DIR_INBOUND
#define DOUT OWFP_DIR_OUTBOUND

static void test_s53_inline_inject_then_block_replaces(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 3, 0, NULL},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 3, 0, "XYZ!"},
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, NULL},
	};
	sh_callout *c = sh_scripted(h, a, 3);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DOUT, "aaabbbccc");
	sh_expect(h, DOUT, "aaaXYZ!ccc");
	/* Completion after the bytes went on, once per NBL. */
	assert_int_equal(c->injected_completions, 1);
	owfp_flow_close(f);
}

static void test_s53_inline_inject_then_permit_goes_in_front(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_PERMIT, 0, 0, "<<"},
	};
	sh_scripted(h, a, 1);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "msg");
	sh_expect(h, DIN, "<<msg");
	owfp_flow_close(f);
}

static void test_s54_q15_injected_bytes_skip_own_sublayer_enter_next(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 0, 0, "new"}};
	sh_stack hi = sh_one_sublayer(h, FWP_ACTION_CALLOUT_UNKNOWN, NULL, a, 1, sh_fn_permit, NULL,
				      0);
	sh_callout *inj = hi.up, *same = hi.down;
	GUID lo = sh_sublayer(h, 0x20);
	sh_callout *lower = sh_stage(h, &lo, 0, 5, sh_fn_permit, NULL, 0);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "old");
	assert_int_equal(inj->ncalls, 1);
	assert_int_equal(same->ncalls, 0);
	assert_int_equal(lower->ncalls, 1);
	assert_string_equal((char *)lower->calls[0].data, "new");
	sh_expect(h, DIN, "new");
	owfp_flow_close(f);
}

static void test_s56_q14_out_of_band_appended_at_output_cursor(void **state)
{
	sh *h = *state;
	static const sh_answer a[] = {
		{FWPS_STREAM_ACTION_NONE, FWP_ACTION_BLOCK, 0, 0, NULL},
	};
	sh_callout *c = sh_scripted(h, a, 1);
	owfp_flow *f = sh_flow(h);
	UINT64 id = owfp_flow_id(f);
	sh_send(f, DOUT, "one");
	assert_int_equal(sh_inject(h, c, id, FWPS_STREAM_FLAG_SEND, "ONE", 3), STATUS_SUCCESS);
	/* Never inside the call: nothing yet, no completion yet. */
	sh_expect(h, DOUT, "");
	assert_int_equal(c->injected_completions, 0);
	assert_true(atomic_load(&h->wakes) > 0);
	sh_send(f, DOUT, "two"); /* the queued injection runs first */
	assert_int_equal(sh_inject(h, c, id, FWPS_STREAM_FLAG_SEND, "TWO", 3), STATUS_SUCCESS);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	sh_expect(h, DOUT, "ONETWO");
	assert_int_equal(c->injected_completions, 2);
	owfp_flow_close(f);
}

static void test_s58_s59_s60_inject_argument_errors(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	UINT64 id = owfp_flow_id(f);
	NET_BUFFER_LIST *nbl = NULL;
	static uint8_t mem[4] = "abcd";
	MDL *m = IoAllocateMdl(mem, 4, FALSE, FALSE, NULL);
	assert_int_equal(FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, m, 0, 4, &nbl),
			 STATUS_SUCCESS);
	FWPS_INJECT_COMPLETE0 none = NULL;
	/* S60: completion required. */
	assert_int_equal(FwpsStreamInjectAsync0(h->inj, NULL, 0, id, c->id, FWPS_LAYER_STREAM_V4,
						FWPS_STREAM_FLAG_SEND, nbl, 4, none, NULL),
			 STATUS_FWP_NULL_POINTER);
	/* S59: DISCONNECT without its direction, both directions, none, ABORT. */
	UINT32 bad[] = {FWPS_STREAM_FLAG_SEND_DISCONNECT,
			FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_RECEIVE, 0,
			FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_ABORT,
			FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_SEND_NODELAY};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sh_inject(h, c, id, bad[i], "x", 1), STATUS_FWP_INVALID_PARAMETER);
	/* Wrong layer, unknown flow, NULL NBL without DISCONNECT, length over the chain. */
	assert_int_equal(FwpsStreamInjectAsync0(h->inj, NULL, 0, id, c->id, FWPS_LAYER_STREAM_V6,
						FWPS_STREAM_FLAG_SEND, nbl, 4,
						(FWPS_INJECT_COMPLETE0)1, NULL),
			 STATUS_FWP_INVALID_PARAMETER);
	assert_int_equal(sh_inject(h, c, id + 999, FWPS_STREAM_FLAG_SEND, "x", 1),
			 STATUS_FWP_INVALID_PARAMETER);
	assert_int_equal(sh_inject(h, c, id, FWPS_STREAM_FLAG_SEND, NULL, 0),
			 STATUS_FWP_NULL_POINTER);
	assert_int_equal(FwpsStreamInjectAsync0(h->inj, NULL, 0, id, c->id, FWPS_LAYER_STREAM_V4,
						FWPS_STREAM_FLAG_SEND, nbl, 5,
						(FWPS_INJECT_COMPLETE0)1, NULL),
			 STATUS_FWP_INVALID_PARAMETER);
	/* S63: a closing handle. */
	HANDLE h2;
	assert_int_equal(FwpsInjectionHandleCreate0(AF_UNSPEC, 0, &h2), STATUS_SUCCESS);
	assert_int_equal(FwpsInjectionHandleDestroy0(h2), STATUS_SUCCESS);
	assert_int_equal(FwpsInjectionHandleCreate0(AF_INET, 0x40000, &h2), STATUS_INVALID_PARAMETER);
	FwpsFreeNetBufferList0(nbl);
	IoFreeMdl(m);
	sh_expect(h, DOUT, "");
	owfp_flow_close(f);
}

static void test_s63_destroyed_handle_refuses_new_injections_completes_old(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, sh_fn_permit);
	owfp_flow *f = sh_flow(h);
	HANDLE keep = h->inj;
	assert_int_equal(FwpsInjectionHandleCreate0(AF_INET, FWPS_INJECTION_TYPE_STREAM, &h->inj),
			 STATUS_SUCCESS);
	HANDLE mine = h->inj;
	assert_int_equal(sh_inject(h, c, owfp_flow_id(f), FWPS_STREAM_FLAG_SEND, "ok", 2),
			 STATUS_SUCCESS);
	/* Destroy while an injection is in flight: it still completes. */
	assert_int_equal(FwpsInjectionHandleDestroy0(mine), STATUS_SUCCESS);
	/* Still referenced by the injection in flight: new ones are refused. */
	assert_int_equal(sh_inject(h, c, owfp_flow_id(f), FWPS_STREAM_FLAG_SEND, "no", 2),
			 STATUS_FWP_INJECT_HANDLE_CLOSING);
	h->inj = keep;
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_int_equal(c->injected_completions, 1);
	sh_expect(h, DOUT, "ok");
	owfp_flow_close(f);
}

/* S65: flat copy honours dataOffset, copied = min(n, dataLength). */
static size_t copied_small, copied_big;
static void copier(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		   FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		   FWPS_CLASSIFY_OUT0 *out)
{
	(void)meta, (void)filter, (void)ctx;
	char buf[64];
	SIZE_T n = 0;
	FwpsCopyStreamDataToBuffer0(io->streamData, buf, 2, &n);
	copied_small = n;
	FwpsCopyStreamDataToBuffer0(io->streamData, buf, sizeof(buf), &n);
	copied_big = n;
	out->actionType = FWP_ACTION_PERMIT;
	if (c->ncalls == 1) /* permit 2, see the rest from an offset */
		io->countBytesEnforced = 2;
}

static void test_s65_copy_stream_data_min_of_n_and_length(void **state)
{
	sh *h = *state;
	sh_callout *c = sh_terminating(h, copier);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "abcdef");
	assert_int_equal(copied_small, 2);
	assert_int_equal(copied_big, 4);
	assert_string_equal((char *)c->calls[1].data, "cdef");
	owfp_flow_close(f);
}

/* S66 + S55: an out-of-band callout clones, blocks, and re-injects the clone. */
static NET_BUFFER_LIST *clones[16];
static size_t nclones;
static void NTAPI free_clone(void *ctx, NET_BUFFER_LIST *nbl, BOOLEAN d)
{
	(void)d;
	(*(int *)ctx)++;
	assert_int_equal(nbl->Status, STATUS_SUCCESS);
	FwpsFreeCloneNetBufferList0(nbl, 0);
}

static void cloner(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		   FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		   FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)filter, (void)ctx;
	NET_BUFFER_LIST *nbl = NULL;
	assert_int_equal(FwpsCloneStreamData0(io->streamData, NULL, NULL, 0, &nbl), STATUS_SUCCESS);
	assert_true(nclones < 16);
	clones[nclones++] = nbl;
	out->actionType = FWP_ACTION_BLOCK;
}

static void test_s66_clone_references_and_reinjects(void **state)
{
	sh *h = *state;
	nclones = 0;
	sh_callout *c = sh_terminating(h, cloner);
	owfp_flow *f = sh_flow(h);
	char seg[] = "first";
	sh_send(f, DIN, seg);
	memset(seg, 'X', 5); /* the data path reuses its buffer: the clone owns a copy */
	sh_send(f, DIN, "second");
	assert_int_equal(nclones, 2);
	assert_int_equal(clones[0]->FirstNetBuffer->DataLength, 5);
	static int done;
	done = 0;
	UINT64 id = owfp_flow_id(f);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(FwpsStreamInjectAsync0(
					 h->inj, NULL, 0, id, c->id, FWPS_LAYER_STREAM_V4,
					 FWPS_STREAM_FLAG_RECEIVE, clones[i],
					 clones[i]->FirstNetBuffer->DataLength, free_clone, &done),
				 STATUS_SUCCESS);
	assert_int_equal(done, 0);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_int_equal(done, 2);
	sh_expect(h, DIN, "firstsecond");
	owfp_flow_close(f);
}

/* A clone of a few borrowed bytes holds a slab of that size, not a 64 KiB
 * packing slab, however long the callout keeps it. */
static void test_s66_small_clone_holds_only_its_bytes(void **state)
{
	sh *h = *state;
	nclones = 0;
	sh_terminating(h, cloner);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "tiny");
	assert_int_equal(nclones, 1);
	const MDL *m = clones[0]->FirstNetBuffer->MdlChain;
	assert_non_null(m);
	const owfp_slab *backing = m->OwfpBacking;
	assert_non_null(backing);
	assert_int_equal(backing->cap, 4);
	FwpsFreeCloneNetBufferList0(clones[0], 0);
	owfp_flow_close(f);
}

static void test_s66_discard_cloned_stream_data(void **state)
{
	sh *h = *state;
	nclones = 0;
	sh_terminating(h, cloner);
	owfp_flow *f = sh_flow(h);
	sh_send(f, DIN, "abc");
	sh_send(f, DIN, "");
	clones[0]->Next = clones[1];
	FwpsDiscardClonedStreamData0(clones[0], 0, FALSE); /* ASan checks nothing leaks */
	NET_BUFFER_LIST *x;
	FWPS_STREAM_DATA0 sd;
	memset(&sd, 0, sizeof(sd));
	assert_int_equal(FwpsCloneStreamData0(&sd, NULL, NULL, 1, &x), STATUS_INVALID_PARAMETER);
	owfp_flow_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_s53_inline_inject_then_block_replaces,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s53_inline_inject_then_permit_goes_in_front,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s54_q15_injected_bytes_skip_own_sublayer_enter_next,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s56_q14_out_of_band_appended_at_output_cursor,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s58_s59_s60_inject_argument_errors,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_s63_destroyed_handle_refuses_new_injections_completes_old,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s65_copy_stream_data_min_of_n_and_length,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s66_clone_references_and_reinjects,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s66_small_clone_holds_only_its_bytes,
						sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_s66_discard_cloned_stream_data,
						sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
