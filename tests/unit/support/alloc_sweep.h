/*
 * Shared by the allocation-failure sweeps (tests/unit/test_alloc_sweep_*.c):
 * in an ASan build, a leak check during the sweep, so a leak is reported
 * with the N (or the few N) that caused it rather than once at exit. A
 * check scans the whole heap, so by default it runs every 16th N and at the
 * end of each sweep (the config sweep took 77 s in ASan checking every N,
 * 13 s without); OWFP_SWEEP_LEAK_EVERY=1 checks after every N to pin one
 * down.
 */
#ifndef OWFP_TEST_ALLOC_SWEEP_H
#define OWFP_TEST_ALLOC_SWEEP_H

#include <stdint.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define OWFP_SWEEP_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define OWFP_SWEEP_LSAN 1
#endif
#endif

/* After run n of a sweep; `last`: the sweep's final run. */
static inline void owfp_sweep_leak_check(uint64_t n, int last)
{
#ifdef OWFP_SWEEP_LSAN
	static uint64_t every;
	if (!every) {
		const char *e = getenv("OWFP_SWEEP_LEAK_EVERY");
		every = e && atoi(e) > 0 ? (uint64_t)atoi(e) : 16;
	}
	if ((last || n % every == 0) && __lsan_do_recoverable_leak_check())
		fail_msg("memory leaked with an allocation among the last %llu failed (up to N = %llu; "
			 "report above; OWFP_SWEEP_LEAK_EVERY=1 names the one)",
			 (unsigned long long)(last ? (n - 1) % every + 1 : every),
			 (unsigned long long)n);
#else
	(void)n, (void)last;
#endif
}

#endif
