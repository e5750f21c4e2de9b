/*
 * Q9 with an out-of-band worker (S48–S50): a FwpsStreamContinue0 that
 * arrives from another thread before the DEFER it answers is back in the
 * engine. Also run under ThreadSanitizer (make test-tsan).
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stream/flow.h"
#include "stream_harness.h"

#define DIN OWFP_DIR_INBOUND

struct worker {
	UINT64 flow;
	UINT32 callout;
	NTSTATUS st;
};

static UINT32 deferred_flags;

/*
 * Q9 and an out-of-band worker: the classify hands the indication to a
 * worker whose FwpsStreamContinue0 arrives before the DEFER it answers is
 * back in the engine. The classify returns only once the worker is waiting
 * inside the engine (or, with join_worker, once its continue has returned).
 */
enum overtake_answer { OVERTAKE_DEFER, OVERTAKE_PERMIT };
static struct {
	owfp_flow *flow;
	enum overtake_answer answer;
	bool join_worker;
	struct worker w;
	atomic_bool returned;
	pthread_t t;
} ov;

static void *overtaking_worker(void *p)
{
	struct worker *w = p;
	w->st = FwpsStreamContinue0(w->flow, w->callout, FWPS_LAYER_STREAM_V4, deferred_flags);
	atomic_store(&ov.returned, true);
	return NULL;
}

static void answer_after_worker(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
				FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
				UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)meta, (void)filter, (void)ctx;
	out->actionType = FWP_ACTION_PERMIT;
	if (c->ncalls != 1)
		return;
	deferred_flags = io->streamData->flags;
	ov.w = (struct worker){owfp_flow_id(ov.flow), c->id, 0};
	atomic_store(&ov.returned, false);
	assert_int_equal(pthread_create(&ov.t, NULL, overtaking_worker, &ov.w), 0);
	if (ov.join_worker)
		pthread_join(ov.t, NULL);
	else /* (an engine that does not wait refuses at once: returned) */
		while (!atomic_load(&ov.flow->continue_waiters) && !atomic_load(&ov.returned))
			sched_yield();
	if (ov.answer == OVERTAKE_DEFER) {
		io->streamAction = FWPS_STREAM_ACTION_DEFER;
		out->actionType = FWP_ACTION_NONE;
	}
}

static owfp_flow *overtake_setup(sh *h, enum overtake_answer answer, bool join_worker, sh_callout **cp)
{
	*cp = sh_callout_new(h, 0, answer_after_worker);
	sh_filter(h, NULL, FWP_ACTION_CALLOUT_TERMINATING, *cp, 0, 0);
	ov.flow = sh_flow(h);
	ov.answer = answer;
	ov.join_worker = join_worker;
	return ov.flow;
}

static void test_q9_continue_overtaking_its_defer_waits_and_is_accepted(void **state)
{
	sh *h = *state;
	sh_callout *c;
	owfp_flow *f = overtake_setup(h, OVERTAKE_DEFER, false, &c);
	sh_send(f, DIN, "payload");
	pthread_join(ov.t, NULL);
	assert_int_equal(ov.w.st, STATUS_SUCCESS);
	assert_int_equal(sh_count_events(h, OWFP_EV_DEFER, NULL), 1);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_int_equal(c->ncalls, 2);
	sh_expect(h, DIN, "payload");
	assert_int_equal(sh_count_events(h, OWFP_EV_CONTINUE, NULL), 1);
	assert_int_equal(sh_count_events(h, OWFP_EV_VIOLATION, NULL), 0);
	owfp_flow_close(f);
}

static void test_q9_continue_overtaking_an_answer_that_is_not_defer_is_invalid(void **state)
{
	sh *h = *state;
	sh_callout *c;
	owfp_flow *f = overtake_setup(h, OVERTAKE_PERMIT, false, &c);
	sh_send(f, DIN, "payload");
	pthread_join(ov.t, NULL);
	assert_int_equal(ov.w.st, STATUS_INVALID_PARAMETER);
	sh_expect(h, DIN, "payload");
	assert_int_equal(owfp_flow_run_pending(f), 0);
	assert_int_equal(c->ncalls, 1);
	assert_int_equal(sh_count_events(h, OWFP_EV_CONTINUE, NULL), 0);
	owfp_flow_close(f);
}

/* A classify that waits for its worker's continue: refused after the
 * bounded wait, not a deadlock; the DEFER then stands and can be continued. */
static void test_q9_continue_from_a_worker_its_classify_waits_for_is_refused(void **state)
{
	sh *h = *state;
	sh_callout *c;
	owfp_flow *f = overtake_setup(h, OVERTAKE_DEFER, true, &c);
	sh_send(f, DIN, "payload");
	assert_int_equal(ov.w.st, STATUS_INVALID_PARAMETER);
	sh_expect(h, DIN, "");
	assert_int_equal(
		FwpsStreamContinue0(owfp_flow_id(f), c->id, FWPS_LAYER_STREAM_V4, deferred_flags),
		STATUS_SUCCESS);
	assert_int_equal(owfp_flow_run_pending(f), 0);
	sh_expect(h, DIN, "payload");
	owfp_flow_close(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_q9_continue_overtaking_its_defer_waits_and_is_accepted,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_q9_continue_overtaking_an_answer_that_is_not_defer_is_invalid,
			sh_fixture_setup, sh_fixture_teardown),
		cmocka_unit_test_setup_teardown(
			test_q9_continue_from_a_worker_its_classify_waits_for_is_refused,
			sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
