/*
 * The process memory limit (docs/semantics.md, "Memory limit"; issue 17,
 * finding 1): one account of every byte the process holds for its flows,
 * sources paused at the high mark and woken below the low mark, and a
 * flow that still grows past the limit dropped, fail closed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stream_harness.h"
#include "util/memacct.h"

#define DIN OWFP_DIR_INBOUND

/* ------------------------------------------------------------ the account */

static int woken;
static void count_wake(void *arg)
{
	(void)arg;
	woken++;
}

static void test_account_marks(void **state)
{
	(void)state;
	owfp_memacct a;
	owfp_memacct_init(&a, 1000);
	owfp_memacct_charge(&a, 700);
	assert_int_equal(owfp_memacct_level(&a), OWFP_MEM_OK);
	owfp_memacct_charge(&a, 50); /* high mark: limit - limit/4 */
	assert_int_equal(owfp_memacct_level(&a), OWFP_MEM_HIGH);
	owfp_memacct_charge(&a, 251);
	assert_int_equal(owfp_memacct_level(&a), OWFP_MEM_OVER);
	assert_int_equal(owfp_memacct_used(&a), 1001);
	owfp_memacct_release(&a, 1001);
	assert_int_equal(owfp_memacct_used(&a), 0);
	assert_int_equal(owfp_memacct_peak(&a), 1001);
	owfp_memacct_set_limit(&a, 0); /* no limit: never high */
	owfp_memacct_charge(&a, (size_t)1 << 40);
	assert_int_equal(owfp_memacct_level(&a), OWFP_MEM_OK);
	assert_true(owfp_memacct_low(&a));
	owfp_memacct_release(&a, (size_t)1 << 40);
	owfp_memacct_fini(&a);
}

static void test_account_wakes_waiters_below_the_low_mark_once(void **state)
{
	(void)state;
	owfp_memacct a;
	owfp_memwait w1 = {0}, w2 = {0};
	owfp_memacct_init(&a, 1000);
	woken = 0;
	assert_false(owfp_memacct_wait(&a, &w1, count_wake, NULL)); /* low already */
	assert_false(w1.queued);
	owfp_memacct_charge(&a, 800);
	assert_true(owfp_memacct_wait(&a, &w1, count_wake, NULL));
	assert_true(owfp_memacct_wait(&a, &w1, count_wake, NULL)); /* idempotent */
	assert_true(owfp_memacct_wait(&a, &w2, count_wake, NULL));
	owfp_memacct_cancel(&a, &w2);
	owfp_memacct_release(&a, 250); /* 550: above the low mark (500) */
	assert_int_equal(woken, 0);
	owfp_memacct_release(&a, 100); /* 450 */
	assert_int_equal(woken, 1);    /* w1 only: w2 was cancelled */
	assert_false(w1.queued);
	owfp_memacct_release(&a, 450);
	assert_int_equal(woken, 1); /* once */
	owfp_memacct_fini(&a);
}

/* ------------------------------------------------------- through the engine */

static sh H;

static void up(size_t limit)
{
	owfp_engine_opts o;
	memset(&o, 0, sizeof(o));
	o.memory_limit = limit;
	sh_up(&H, &o);
}

static UINT32 deferred_flags;
static void defer_all(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		      FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		      FWPS_CLASSIFY_OUT0 *out)
{
	(void)meta, (void)filter, (void)ctx;
	if (c->user) { /* released: permit from now on */
		out->actionType = FWP_ACTION_PERMIT;
		return;
	}
	io->streamAction = FWPS_STREAM_ACTION_DEFER;
	out->actionType = FWP_ACTION_NONE;
	deferred_flags = io->streamData->flags;
}

static void need_more(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		      FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 ctx,
		      FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)filter, (void)ctx;
	io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
	io->countBytesRequired = 1 << 20;
	out->actionType = FWP_ACTION_NONE;
}

static void send_n(owfp_flow *f, size_t n)
{
	uint8_t *b = calloc(1, n);
	assert_non_null(b);
	assert_int_equal(owfp_flow_indicate(f, DIN, b, n, 0, 0), 0);
	free(b);
}

static void test_held_bytes_are_charged_and_released(void **state)
{
	(void)state;
	up(1 << 20);
	sh_callout *c = sh_callout_new(&H, 0, defer_all);
	sh_filter(&H, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
	owfp_flow *f = sh_flow(&H);
	send_n(f, 3000);
	send_n(f, 1000);
	assert_int_equal(owfp_engine_mem_used(H.engine), 4000);
	/* A data path's own queue counts in the same account. */
	owfp_engine_mem_charge(H.engine, 500);
	assert_int_equal(owfp_engine_mem_used(H.engine), 4500);
	owfp_engine_mem_release(H.engine, 500);
	c->user = &H;
	assert_int_equal(
		FwpsStreamContinue0(owfp_flow_id(f), c->id, FWPS_LAYER_STREAM_V4, deferred_flags),
		STATUS_SUCCESS);
	owfp_flow_run_pending(f);
	assert_int_equal(H.side[DIN].len, 4000);
	assert_int_equal(owfp_engine_mem_used(H.engine), 0);
	c->user = NULL;
	send_n(f, 700); /* deferred again, then discarded by the close */
	assert_int_equal(owfp_engine_mem_used(H.engine), 700);
	owfp_flow_close(f);
	assert_int_equal(owfp_engine_mem_used(H.engine), 0);
	sh_down(&H);
}

static void test_source_paused_at_the_high_mark_resumed_below_the_low_mark(void **state)
{
	(void)state;
	up(4000); /* high mark 3000, low mark 2000 */
	sh_callout *c = sh_callout_new(&H, 0, defer_all);
	sh_filter(&H, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
	owfp_flow *f = sh_flow(&H);
	assert_true(owfp_flow_may_read(f, DIN));
	send_n(f, 3200);
	assert_false(H.paused[DIN]); /* Q8's keep limit is far away */
	assert_false(owfp_flow_may_read(f, DIN));
	assert_true(H.paused[DIN]);
	assert_false(owfp_flow_may_read(f, DIN)); /* stays paused */
	assert_int_equal(H.pauses[DIN], 1);
	int wakes = atomic_load(&H.wakes);
	c->user = &H;
	assert_int_equal(
		FwpsStreamContinue0(owfp_flow_id(f), c->id, FWPS_LAYER_STREAM_V4, deferred_flags),
		STATUS_SUCCESS);
	owfp_flow_run_pending(f);
	/* Delivering released the bytes: below the low mark the waiting
	 * source was woken and, in the same call, resumed. */
	assert_int_equal(H.side[DIN].len, 3200);
	assert_true(atomic_load(&H.wakes) > wakes + 0);
	assert_false(H.paused[DIN]);
	assert_true(owfp_flow_may_read(f, DIN));
	assert_int_equal(H.drops, 0);
	owfp_flow_close(f);
	assert_int_equal(owfp_engine_mem_used(H.engine), 0);
	sh_down(&H);
}

static void test_paused_source_resumes_when_another_flow_frees(void **state)
{
	(void)state;
	up(4000);
	sh_callout *c = sh_callout_new(&H, 0, defer_all);
	sh_filter(&H, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
	owfp_flow *a = sh_flow(&H);
	owfp_flow *b = sh_flow(&H);
	send_n(a, 3500);
	assert_false(owfp_flow_may_read(b, DIN)); /* b holds nothing, a filled the room */
	assert_true(H.paused[DIN]);
	int wakes = atomic_load(&H.wakes);
	owfp_flow_close(a); /* frees 3500: below the low mark */
	assert_true(atomic_load(&H.wakes) > wakes);
	owfp_flow_run_pending(b); /* what the data path does on wake */
	assert_false(H.paused[DIN]);
	assert_true(owfp_flow_may_read(b, DIN));
	owfp_flow_close(b);
	assert_int_equal(owfp_engine_mem_used(H.engine), 0);
	sh_down(&H);
}

static void test_waiting_callout_reads_on_and_is_dropped_past_the_limit(void **state)
{
	(void)state;
	up(4000);
	sh_callout *c = sh_callout_new(&H, 0, need_more);
	sh_filter(&H, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
	owfp_flow *f = sh_flow(&H);
	send_n(f, 3500);
	/* Pausing a source whose callout waits for more bytes could never
	 * free them: it may read on (no deadlock)... */
	assert_true(owfp_flow_may_read(f, DIN));
	assert_false(H.paused[DIN]);
	send_n(f, 400);
	assert_int_equal(H.drops, 0);
	/* ...and growing past the limit drops it, saying why. */
	send_n(f, 200);
	assert_int_equal(H.drops, 1);
	assert_int_equal(H.drop_why, OWFP_DROP_LIMIT);
	assert_int_equal(H.side[DIN].len, 0); /* nothing released unchecked */
	bool named = false;
	for (size_t i = 0; i < H.nevents; i++)
		if (H.events[i].ev.type == OWFP_EV_LIMIT &&
		    strstr(H.events[i].detail, "process memory limit (4000 bytes)") &&
		    strstr(H.events[i].detail, "waits for more data"))
			named = true;
	assert_true(named);
	assert_int_equal(owfp_engine_mem_used(H.engine), 0);
	owfp_flow_close(f);
	sh_down(&H);
}

/* A callout that holds what the client sends until the server answers (an
 * Upgrade request held until the 101, as http_filter does): it waits in
 * one direction on bytes of the other. */
static void wait_for_reply(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			   FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
			   UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)c, (void)meta, (void)filter, (void)ctx;
	out->actionType = FWP_ACTION_NONE;
	if (io->streamData->flags & FWPS_STREAM_FLAG_RECEIVE) {
		io->streamAction = FWPS_STREAM_ACTION_ALLOW_CONNECTION;
		return;
	}
	io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
	io->countBytesRequired = 1;
}

static void test_waiting_direction_does_not_pause_the_answer_it_waits_for(void **state)
{
	(void)state;
	up(4000);
	sh_callout *c = sh_callout_new(&H, 0, wait_for_reply);
	sh_filter(&H, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
	owfp_flow *f = sh_flow(&H);
	uint8_t b[3200] = {0};
	assert_int_equal(owfp_flow_indicate(f, OWFP_DIR_OUTBOUND, b, sizeof(b), 0, 0), 0);
	assert_int_equal(owfp_engine_mem_used(H.engine), 3200); /* over the high mark */
	assert_true(owfp_flow_may_read(f, OWFP_DIR_OUTBOUND));
	/* Pausing the server's side would hold the 3200 bytes for good (and
	 * every other source with them): only its answer frees them. */
	assert_true(owfp_flow_may_read(f, DIN));
	assert_false(H.paused[DIN]);
	send_n(f, 10);
	assert_int_equal(H.side[OWFP_DIR_OUTBOUND].len, 3200);
	assert_int_equal(H.drops, 0);
	assert_int_equal(owfp_engine_mem_used(H.engine), 0);
	owfp_flow_close(f);
	assert_int_equal(owfp_engine_mem_used(H.engine), 0);
	sh_down(&H);
}

static void test_paused_source_resumes_when_its_flow_starts_waiting(void **state)
{
	(void)state;
	up(4000);
	sh_callout *c = sh_callout_new(&H, 0, wait_for_reply);
	sh_filter(&H, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
	owfp_flow *a = sh_flow(&H);
	owfp_flow *f = sh_flow(&H);
	uint8_t b[3500] = {0};
	assert_int_equal(owfp_flow_indicate(a, OWFP_DIR_OUTBOUND, b, sizeof(b), 0, 0), 0);
	assert_false(owfp_flow_may_read(f, DIN)); /* a filled the room */
	assert_true(H.paused[DIN]);
	/* f's callout now holds bytes until f's server answers: the pause
	 * taken before must go, or f waits for good. */
	assert_int_equal(owfp_flow_indicate(f, OWFP_DIR_OUTBOUND, b, 10, 0, 0), 0);
	assert_false(H.paused[DIN]);
	assert_true(owfp_flow_may_read(f, DIN));
	send_n(f, 10);
	assert_int_equal(H.side[OWFP_DIR_OUTBOUND].len, 10);
	assert_int_equal(H.drops, 0);
	owfp_flow_close(f);
	owfp_flow_close(a);
	assert_int_equal(owfp_engine_mem_used(H.engine), 0);
	sh_down(&H);
}

/* A data path that cannot pause (replay reads a capture; it never asks
 * owfp_flow_may_read): past the limit the flow is dropped, never truncated. */
static void test_source_that_cannot_pause_is_dropped_past_the_limit(void **state)
{
	(void)state;
	up(4000);
	sh_callout *c = sh_callout_new(&H, 0, defer_all);
	sh_filter(&H, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
	owfp_flow *other = sh_flow(&H);
	owfp_flow *f = sh_flow(&H);
	send_n(other, 2000);
	send_n(f, 1900);
	assert_int_equal(H.drops, 0);
	send_n(f, 200);
	assert_int_equal(H.drops, 1);
	assert_true(owfp_flow_dropped(f));
	assert_false(owfp_flow_dropped(other));
	assert_int_equal(sh_count_events(&H, OWFP_EV_LIMIT, NULL), 1);
	assert_int_equal(owfp_engine_mem_used(H.engine), 2000);
	assert_int_equal(owfp_flow_indicate(f, DIN, (const uint8_t *)"x", 1, 0, 0), -EPIPE);
	owfp_flow_close(f);
	owfp_flow_close(other);
	assert_int_equal(owfp_engine_mem_used(H.engine), 0);
	sh_down(&H);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_account_marks),
		cmocka_unit_test(test_account_wakes_waiters_below_the_low_mark_once),
		cmocka_unit_test(test_held_bytes_are_charged_and_released),
		cmocka_unit_test(test_source_paused_at_the_high_mark_resumed_below_the_low_mark),
		cmocka_unit_test(test_paused_source_resumes_when_another_flow_frees),
		cmocka_unit_test(test_waiting_callout_reads_on_and_is_dropped_past_the_limit),
		cmocka_unit_test(test_source_that_cannot_pause_is_dropped_past_the_limit),
		cmocka_unit_test(test_waiting_direction_does_not_pause_the_answer_it_waits_for),
		cmocka_unit_test(test_paused_source_resumes_when_its_flow_starts_waiting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
