/*
 * Pooled flow objects (flow.h, OWFP_FLOW_POOL_MAX): a flow made from a
 * closed one's object behaves as a fresh one (same bytes, same stages,
 * fresh id, no state carried over, a pipeline of another size), a warm
 * pool makes a short flow without allocating its object or its stage
 * blocks, and at most OWFP_FLOW_POOL_MAX objects wait in a pool (a burst
 * of flows closed together frees the rest: ASan's leak check sees them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stream/flow.h"
#include "stream_harness.h"
#include "util/alloc.h"

static uint64_t allocs_for_one_flow(sh *h, const char *text)
{
	owfp_alloc_count_start();
	owfp_flow *f = sh_flow(h);
	sh_send(f, OWFP_DIR_OUTBOUND, text);
	owfp_flow_close(f);
	uint64_t n = owfp_alloc_attempts();
	owfp_alloc_disarm();
	return n;
}

static void test_reused_flow_is_fresh(void **state)
{
	sh h;
	sh_callout *c;

	(void)state;
	sh_up(&h, NULL);
	c = sh_callout_new(&h, 0, sh_fn_permit);
	sh_filter(&h, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);

	owfp_flow *a = sh_flow(&h);
	uint64_t ida = owfp_flow_id(a);
	sh_send(a, OWFP_DIR_OUTBOUND, "first");
	sh_send(a, OWFP_DIR_INBOUND, "reply");
	owfp_flow_close(a);

	/* A second stream filter: the next pipeline needs a bigger block. */
	sh_filter(&h, NULL, FWP_ACTION_PERMIT, NULL, 0, 0);
	owfp_flow *b = sh_flow(&h);
	assert_true(owfp_flow_id(b) > ida);
	assert_int_equal(b->dir[OWFP_DIR_OUTBOUND].nstages, 2);
	assert_int_equal(b->dir[OWFP_DIR_INBOUND].nstages, 2);
	for (int d = 0; d < 2; d++) {
		assert_int_equal(b->dir[d].held, 0);
		assert_int_equal(b->dir[d].src_bytes, 0);
		assert_false(b->dir[d].fin_source);
		for (unsigned i = 0; i < b->dir[d].nstages; i++) {
			assert_int_equal(b->dir[d].stages[i].cursor, 0);
			assert_true(owfp_chain_empty(&b->dir[d].stages[i].in));
		}
	}
	assert_int_equal(b->state, OWFP_FLOW_OPEN);
	sh_send(b, OWFP_DIR_OUTBOUND, "second");
	sh_expect(&h, OWFP_DIR_OUTBOUND, "firstsecond");
	sh_expect(&h, OWFP_DIR_INBOUND, "reply");
	owfp_flow_close(b);
	sh_down(&h);
}

static void test_warm_pool_allocates_less(void **state)
{
	sh h;
	sh_callout *c;

	(void)state;
	sh_up(&h, NULL);
	c = sh_callout_new(&h, 0, sh_fn_permit);
	sh_filter(&h, NULL, FWP_ACTION_CALLOUT_TERMINATING, c, 0, 0);
	uint64_t cold = allocs_for_one_flow(&h, "a");
	uint64_t warm = allocs_for_one_flow(&h, "b");
	/* The flow object and two stage blocks come from the pool. */
	assert_true(warm + 3 <= cold);
	assert_int_equal(allocs_for_one_flow(&h, "c"), warm);
	sh_down(&h);
}

/* Allocation attempts for making N flows (ports from 30000), all kept open. */
static uint64_t allocs_for_flows(sh *h, owfp_flow **f, int n)
{
	owfp_alloc_count_start();
	for (int i = 0; i < n; i++) {
		owfp_flow_key k = sh_key();
		k.local_port = (UINT16)(30000 + i);
		f[i] = sh_flow_key(h, &k);
	}
	uint64_t a = owfp_alloc_attempts();
	owfp_alloc_disarm();
	return a;
}

static void test_pool_bounded(void **state)
{
	enum { N = OWFP_FLOW_POOL_MAX + 40 };
	static owfp_flow *f[N];
	sh h;

	(void)state;
	sh_up(&h, NULL);
	owfp_flow_close(sh_flow(&h));                /* the table exists; one object pooled */
	uint64_t first = allocs_for_flows(&h, f, N); /* one from the pool */
	for (int i = 0; i < N; i++)
		owfp_flow_close(f[i]);
	/* Only OWFP_FLOW_POOL_MAX of the N were kept: the rest were freed. */
	uint64_t second = allocs_for_flows(&h, f, N);
	assert_int_equal(first - second, OWFP_FLOW_POOL_MAX - 1);
	for (int i = 0; i < N; i++)
		owfp_flow_close(f[i]);
	sh_down(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reused_flow_is_fresh),
		cmocka_unit_test(test_warm_pool_allocates_less),
		cmocka_unit_test(test_pool_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
