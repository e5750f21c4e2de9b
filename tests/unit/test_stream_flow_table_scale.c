/*
 * The engine's flow table stays O(1) per flow however many flows are open
 * at once (issue 17 item 7: replay of 300k concurrent flows was quadratic
 * because 1024 fixed buckets made every close walk ~300 flows). Counts the
 * chain links walked rather than timing anything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "stream/flow.h"
#include "stream_harness.h"

#define NFLOWS 50000u

static void test_many_open_flows_cost_one_step_each(void **state)
{
	sh *h = *state;
	owfp_flow **f = calloc(NFLOWS, sizeof(*f));
	assert_non_null(f);
	for (unsigned i = 0; i < NFLOWS; i++)
		f[i] = sh_flow(h);
	size_t count, nbuckets;
	uint64_t before, after;
	owfp_flow_table_stats(h->engine, &count, &nbuckets, &before);
	assert_int_equal(count, NFLOWS);
	assert_true(nbuckets >= NFLOWS);
	/* Lookups by id (FwpsStreamContinue0 and friends) and closes. */
	for (unsigned i = 0; i < NFLOWS; i++) {
		owfp_flow *g = owfp_flow_table_find(h->engine, owfp_flow_id(f[i]));
		assert_ptr_equal(g, f[i]);
		owfp_flow_unref(g);
	}
	for (unsigned i = 0; i < NFLOWS; i++)
		owfp_flow_close(f[i]);
	owfp_flow_table_stats(h->engine, &count, &nbuckets, &after);
	assert_int_equal(count, 0);
	/* 2 * NFLOWS operations; a chain of more than ~2 links on average would
	 * mean the buckets did not keep up (1024 fixed buckets: ~25 each here). */
	print_message("%llu links walked for %u finds and %u closes\n",
		      (unsigned long long)(after - before), NFLOWS, NFLOWS);
	assert_true(after - before <= 2ull * NFLOWS * 2);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_many_open_flows_cost_one_step_each,
						sh_fixture_setup, sh_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
