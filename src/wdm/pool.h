/*
 * Pool accounting and fault injection for the WDM pool calls
 * (ExAllocatePool2 and friends, and the runtime's own MDL/NBL/device
 * allocations).
 *
 * This is process-wide state on purpose, like the kernel's pool tracker:
 * callouts allocate through a global API that takes no context. Everything
 * here is thread-safe, and allocating or freeing takes no lock (see pool.c).
 * The counts are exact once the threads that allocate and free have
 * finished or synchronised with the caller; a block may be freed on a
 * different thread than the one that allocated it.
 */
#ifndef OWFP_WDM_POOL_H
#define OWFP_WDM_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openwfp/wdm.h"

/* A tag whose bytes read a,b,c,d in memory, as 'dcba' does on Windows. */
#define OWFP_POOL_TAG(a, b, c, d)                                               \
	((ULONG)(UCHAR)(a) | (ULONG)(UCHAR)(b) << 8 | (ULONG)(UCHAR)(c) << 16 | \
	 (ULONG)(UCHAR)(d) << 24)

/* Tags of the runtime's own allocations. */
#define OWFP_TAG_MDL OWFP_POOL_TAG('O', 'w', 'M', 'd')
#define OWFP_TAG_NBL OWFP_POOL_TAG('O', 'w', 'N', 'b')
#define OWFP_TAG_NBL_POOL OWFP_POOL_TAG('O', 'w', 'P', 'l')
#define OWFP_TAG_DEVICE OWFP_POOL_TAG('O', 'w', 'D', 'v')
#define OWFP_TAG_DRIVER OWFP_POOL_TAG('O', 'w', 'D', 'r')
#define OWFP_TAG_THREAD OWFP_POOL_TAG('O', 'w', 'T', 'h')

/* Allocates with a tag header; NULL on failure or injected failure. */
void *owfp_pool_alloc(size_t size, ULONG tag, bool zero);
/* Frees; counts a mismatch when check_tag and the tag differs. NULL is ignored. */
void owfp_pool_free(void *p, ULONG tag, bool check_tag);

/* Allocations with this tag not yet freed. */
size_t owfp_pool_outstanding(ULONG tag);
/* Allocations of every tag not yet freed. */
size_t owfp_pool_outstanding_total(void);
/* Allocation attempts so far (successful or not): lets a test count the
 * allocations of a scenario, then fail each one in turn. */
uint64_t owfp_pool_attempts(void);
/* Makes the nth allocation attempt from now fail (1 = the next one);
 * 0 cancels. One failure only. */
void owfp_pool_fail_nth(uint64_t nth);
/* ExFreePoolWithTag calls whose tag did not match the allocation. */
uint64_t owfp_pool_tag_mismatches(void);

#endif /* OWFP_WDM_POOL_H */
