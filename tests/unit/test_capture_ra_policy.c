/* The read-ahead policy (src/capture/ra_policy.c) on injected
 * measurements: which mode it probes next and what it keeps. No clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "capture/internal.h"

#define BIG ((uint64_t)2 << 30)
#define W CAP_RA_WINDOW
#define SMALL (CAP_RA_WINDOW * CAP_RA_SMALL_WINDOWS)

static struct cap_ra_probe probe(unsigned wi, uint64_t ns_in, unsigned wt, uint64_t ns_th)
{
	struct cap_ra_probe p;
	memset(&p, 0, sizeof(p));
	p.windows[0] = wi;
	p.windows[1] = wt;
	p.bytes[0] = (uint64_t)wi * CAP_RA_WINDOW;
	p.bytes[1] = (uint64_t)wt * CAP_RA_WINDOW;
	p.ns[0] = ns_in;
	p.ns[1] = ns_th;
	return p;
}

static void test_forced_modes_ignore_measurements(void **state)
{
	(void)state;
	struct cap_ra_probe p = probe(2, 100, 2, 1);
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_INLINE, &p, W, BIG, true), CAP_RA_USE_INLINE);
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_THREAD, &p, W, BIG, false), CAP_RA_USE_THREAD);
	p = probe(2, 1, 2, 100);
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_THREAD, &p, W, BIG, true), CAP_RA_USE_THREAD);
}

/* The default: no probing; the thread only where reads wait for the disk. */
static void test_cold_uses_the_thread_only_for_an_uncached_file(void **state)
{
	(void)state;
	struct cap_ra_probe p = probe(2, 100, 2, 1); /* the thread measured faster */
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_COLD, &p, W, BIG, true), CAP_RA_USE_INLINE);
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_COLD, &p, W, BIG, false), CAP_RA_USE_THREAD);
	p = probe(0, 0, 0, 0);
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_COLD, &p, W, SMALL - 1, true),
			 CAP_RA_USE_INLINE);
}

static void test_small_file_reads_in_line_and_uncached_file_uses_the_thread(void **state)
{
	(void)state;
	struct cap_ra_probe p = probe(0, 0, 0, 0);
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, SMALL - 1, true),
			 CAP_RA_USE_INLINE);
	/* Reads waiting for the disk: the thread, whatever the size. */
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, BIG, false), CAP_RA_USE_THREAD);
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, SMALL - 1, false),
			 CAP_RA_USE_THREAD);
}

static void test_probe_alternates_in_line_first(void **state)
{
	(void)state;
	enum cap_ra_choice want[] = {CAP_RA_PROBE_INLINE, CAP_RA_PROBE_THREAD, CAP_RA_PROBE_INLINE,
				     CAP_RA_PROBE_THREAD};
	struct cap_ra_probe p = probe(0, 0, 0, 0);
	for (unsigned i = 0; i < 4; i++) {
		enum cap_ra_choice c = owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, BIG, true);
		assert_int_equal(c, want[i]);
		unsigned m = c == CAP_RA_PROBE_THREAD;
		p.windows[m]++;
		p.bytes[m] += CAP_RA_WINDOW;
		p.ns[m] += 10000000;
	}
	/* Equal times after 2 + 2 windows: the thread did not pay. */
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, BIG, true), CAP_RA_USE_INLINE);
}

static void test_thread_kept_only_when_faster_by_the_margin(void **state)
{
	(void)state;
	struct cap_ra_probe p = probe(2, 20000000, 2, 17000000); /* 15% faster */
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, BIG, true), CAP_RA_USE_THREAD);
	p = probe(2, 20000000, 2, 19400000); /* 3% faster: within the margin */
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, BIG, true), CAP_RA_USE_INLINE);
	p = probe(2, 20000000, 2, 26000000); /* slower: issue 23's case (a) */
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, BIG, true), CAP_RA_USE_INLINE);
	/* Per byte, not per window: the thread's windows were longer. */
	p = probe(2, 20000000, 2, 20000000);
	p.bytes[1] *= 2;
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, BIG, true), CAP_RA_USE_THREAD);
}

/* One window each is enough when they differ by more than 20%; within
 * that, the second round is measured. */
static void test_clear_difference_decides_after_one_round(void **state)
{
	(void)state;
	struct cap_ra_probe p = probe(1, 10000000, 1, 13000000); /* thread 30% slower */
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, BIG, true), CAP_RA_USE_INLINE);
	p = probe(1, 10000000, 1, 7000000); /* thread 30% faster */
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, BIG, true), CAP_RA_USE_THREAD);
	p = probe(1, 10000000, 1, 11000000); /* 10%: not clear */
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, BIG, true), CAP_RA_PROBE_INLINE);
	p = probe(1, 10000000, 0, 0); /* one side unmeasured */
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_AUTO, &p, W, BIG, true), CAP_RA_PROBE_THREAD);
}

static void test_alternate_never_settles(void **state)
{
	(void)state;
	struct cap_ra_probe p = probe(7, 1, 7, 1000);
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_ALTERNATE, &p, W, 1000, true),
			 CAP_RA_PROBE_INLINE);
	p.windows[0]++;
	assert_int_equal(owfp_capture_ra_decide(CAP_RA_ALTERNATE, &p, W, 1000, true),
			 CAP_RA_PROBE_THREAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forced_modes_ignore_measurements),
		cmocka_unit_test(test_cold_uses_the_thread_only_for_an_uncached_file),
		cmocka_unit_test(test_small_file_reads_in_line_and_uncached_file_uses_the_thread),
		cmocka_unit_test(test_probe_alternates_in_line_first),
		cmocka_unit_test(test_thread_kept_only_when_faster_by_the_margin),
		cmocka_unit_test(test_clear_difference_decides_after_one_round),
		cmocka_unit_test(test_alternate_never_settles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
