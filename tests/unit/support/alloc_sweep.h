/*
 * Shared by the allocation-failure sweeps (tests/unit/test_alloc_sweep_*.c):
 * in an ASan build, a leak check after each failed allocation, so a leak is
 * reported with the N that caused it rather than once at exit.
 */
#ifndef OWFP_TEST_ALLOC_SWEEP_H
#define OWFP_TEST_ALLOC_SWEEP_H

#include <stdint.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define OWFP_SWEEP_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define OWFP_SWEEP_LSAN 1
#endif
#endif

static inline void owfp_sweep_leak_check(uint64_t n)
{
#ifdef OWFP_SWEEP_LSAN
	if (__lsan_do_recoverable_leak_check())
		fail_msg("allocation %llu failed and memory leaked (report above)",
			 (unsigned long long)n);
#else
	(void)n;
#endif
}

#endif
