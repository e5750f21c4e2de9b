/*
 * The allocation seam: every heap allocation of the library and the data
 * paths goes through these, so a test can make the Nth one fail and check
 * that the caller ends in a clean error or a fail-closed drop (the sweep,
 * SQLite-style, in tests/unit/test_alloc_sweep_*.c).
 *
 * Memory from these is released with plain free(): they only decide whether
 * to call the C library, they add no header, so memory can cross the seam in
 * either direction (strdup'd strings from libyaml/jansson callers, getline
 * buffers) without a mismatch.
 *
 * Why our own: the C library has no failure hook, and an LD_PRELOAD shim
 * (as failmalloc does) also fails libc's and libyaml's own allocations, which
 * we cannot make fail closed; the sweep wants exactly our call sites.
 */
#ifndef OWFP_UTIL_ALLOC_H
#define OWFP_UTIL_ALLOC_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Non-zero only while a test has armed the hook: the unarmed path is one
 * relaxed load and a predictable branch. */
extern atomic_int owfp_alloc_armed;

/* Counts the attempt and answers whether it must fail (armed path only). */
int owfp_alloc_should_fail(void);

static inline int owfp_alloc_fails(void)
{
	return __builtin_expect(atomic_load_explicit(&owfp_alloc_armed, memory_order_relaxed), 0) &&
	       owfp_alloc_should_fail();
}

void *owfp_malloc(size_t size);
void *owfp_calloc(size_t n, size_t size);
void *owfp_realloc(void *p, size_t size);
char *owfp_strdup(const char *s);
char *owfp_strndup(const char *s, size_t n);

/* Test hooks. owfp_alloc_count_start() starts counting attempts (nothing
 * fails); owfp_alloc_fail_nth(n) makes the nth attempt from now fail, and
 * with `sticky` every attempt after it too (a process out of memory);
 * owfp_alloc_disarm() stops both. owfp_alloc_attempts() is the count since
 * the last start/fail_nth. */
void owfp_alloc_count_start(void);
void owfp_alloc_fail_nth(uint64_t nth, int sticky);
void owfp_alloc_disarm(void);
uint64_t owfp_alloc_attempts(void);
/* Attempts made to fail since the last start/fail_nth. */
uint64_t owfp_alloc_failed(void);

#endif /* OWFP_UTIL_ALLOC_H */
