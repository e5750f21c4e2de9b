/*
 * The allocation seam (alloc.h): the C library's allocator behind a hook a
 * test can arm to fail the Nth attempt.
 */
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

atomic_int owfp_alloc_armed;
static _Atomic uint64_t attempts;
static _Atomic uint64_t failed;
static _Atomic uint64_t fail_at; /* 0: count only */
static atomic_int fail_sticky;

int owfp_alloc_should_fail(void)
{
	uint64_t n = atomic_fetch_add(&attempts, 1) + 1;
	uint64_t at = atomic_load(&fail_at);

	if (at == 0 || n < at || (n > at && !atomic_load(&fail_sticky)))
		return 0;
	atomic_fetch_add(&failed, 1);
	return 1;
}

void *owfp_malloc(size_t size)
{
	return owfp_alloc_fails() ? NULL : malloc(size);
}

void *owfp_calloc(size_t n, size_t size)
{
	return owfp_alloc_fails() ? NULL : calloc(n, size);
}

void *owfp_realloc(void *p, size_t size)
{
	return owfp_alloc_fails() ? NULL : realloc(p, size);
}

char *owfp_strdup(const char *s)
{
	return owfp_alloc_fails() ? NULL : strdup(s);
}

char *owfp_strndup(const char *s, size_t n)
{
	return owfp_alloc_fails() ? NULL : strndup(s, n);
}

static void arm(uint64_t at, int sticky)
{
	atomic_store(&owfp_alloc_armed, 0);
	atomic_store(&attempts, 0);
	atomic_store(&failed, 0);
	atomic_store(&fail_at, at);
	atomic_store(&fail_sticky, sticky);
	atomic_store(&owfp_alloc_armed, 1);
}

void owfp_alloc_count_start(void)
{
	arm(0, 0);
}

void owfp_alloc_fail_nth(uint64_t nth, int sticky)
{
	arm(nth, sticky);
}

void owfp_alloc_disarm(void)
{
	atomic_store(&owfp_alloc_armed, 0);
	atomic_store(&fail_at, 0);
}

uint64_t owfp_alloc_attempts(void)
{
	return atomic_load(&attempts);
}

uint64_t owfp_alloc_failed(void)
{
	return atomic_load(&failed);
}
