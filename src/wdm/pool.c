/*
 * Tagged pool allocations over malloc, with per-tag counters.
 *
 * All of the pool's process-wide state lives in this file (the pool API takes
 * no context, like Windows' pool tracker), and it is laid out so that an
 * allocation or a free writes no cache line another thread also writes:
 *
 *   - tag_table: tag -> slot index, open addressing, read-mostly. Slots are
 *     claimed under pool_lock and never removed; a slot's `used` flag is
 *     published with a release store after its tag is written, so lookups
 *     take no lock.
 *   - Counters live in per-thread shards: each thread, on its first pool call,
 *     gets a block of counters (outstanding per slot, attempts) that only it
 *     writes, linked into `shards` under pool_lock. A pthread key destructor
 *     folds an exiting thread's counts into `retired` and unlinks the shard.
 *     A block allocated on one thread and freed on another leaves +1 in one
 *     shard and -1 in the other: only the sum means anything, and the queries
 *     sum everything under pool_lock.
 *   - Fault injection costs one relaxed load while nothing is armed; once
 *     armed, each attempt takes pool_lock to count down to the failing one.
 *   - The tag-mismatch count is a plain relaxed atomic (mismatches are rare).
 */
#include "wdm/pool.h"
#include "util/alloc.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_MAGIC 0x4f775046u /* "FPwO" */
#define POOL_FREED 0x64656566u
#define TAG_SLOTS 1024          /* power of two */
#define OVERFLOW_SLOT TAG_SLOTS /* every tag once the table is full */
#define COUNTERS (TAG_SLOTS + 1)
#define CACHE_LINE 64

/* Keeps the payload as aligned as malloc's own result. */
typedef struct pool_hdr {
	alignas(16) uint32_t magic;
	ULONG tag;
	size_t size;
} pool_hdr;

typedef struct tag_slot {
	ULONG tag; /* written once, under pool_lock, before `used` */
	atomic_bool used;
} tag_slot;

/* Counters one thread writes; others only read them (under pool_lock). */
typedef struct pool_shard {
	alignas(CACHE_LINE) atomic_int_least64_t outstanding[COUNTERS];
	atomic_uint_least64_t attempts;
	struct pool_shard *next; /* in `shards`, under pool_lock */
} pool_shard;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static tag_slot tag_table[TAG_SLOTS];
static pool_shard *shards; /* live threads' shards */
/* Counts of exited threads, and of threads without a shard (they add here). */
static atomic_int_least64_t retired[COUNTERS];
static atomic_uint_least64_t retired_attempts;
static atomic_bool fail_armed;  /* fail_countdown != 0 */
static uint64_t fail_countdown; /* under pool_lock */
static atomic_uint_least64_t mismatches;

static pthread_once_t shard_key_once = PTHREAD_ONCE_INIT;
static pthread_key_t shard_key;
static bool shard_key_ok;
/* Marks a thread whose shard is already folded into `retired`: its last
 * pool calls (from later thread-exit destructors) count there directly. */
static pool_shard thread_gone;
/* initial-exec: the library is loaded at startup, and this keeps the hot
 * path free of a __tls_get_addr call. */
static _Thread_local pool_shard *my_shard __attribute__((tls_model("initial-exec")));

/* ------------------------------------------------------------- tag table */

static uint32_t tag_hash(ULONG tag)
{
	return (tag * 2654435761u) & (TAG_SLOTS - 1);
}

/* Slot index of tag, or -1 if it has none (yet). Takes no lock. */
static int slot_find(ULONG tag)
{
	uint32_t h = tag_hash(tag);

	for (uint32_t i = 0; i < TAG_SLOTS; i++) {
		tag_slot *s = &tag_table[(h + i) & (TAG_SLOTS - 1)];

		if (!atomic_load_explicit(&s->used, memory_order_acquire))
			return -1;
		if (s->tag == tag)
			return (int)((h + i) & (TAG_SLOTS - 1));
	}
	return OVERFLOW_SLOT;
}

/* Never fails: a full table hands out the overflow slot. */
static int slot_get(ULONG tag)
{
	uint32_t h = tag_hash(tag);
	int idx = slot_find(tag);

	if (idx >= 0)
		return idx;
	/* Another thread may be claiming a slot for the same tag: look again
	 * under the lock, where claims happen. */
	pthread_mutex_lock(&pool_lock);
	idx = OVERFLOW_SLOT;
	for (uint32_t i = 0; i < TAG_SLOTS; i++) {
		tag_slot *s = &tag_table[(h + i) & (TAG_SLOTS - 1)];

		if (!atomic_load_explicit(&s->used, memory_order_relaxed)) {
			s->tag = tag;
			atomic_store_explicit(&s->used, true, memory_order_release);
			idx = (int)((h + i) & (TAG_SLOTS - 1));
			break;
		}
		if (s->tag == tag) {
			idx = (int)((h + i) & (TAG_SLOTS - 1));
			break;
		}
	}
	pthread_mutex_unlock(&pool_lock);
	return idx;
}

/* ----------------------------------------------------------- shards */

static void shard_retire(void *arg)
{
	pool_shard *sh = arg, **pp;

	pthread_mutex_lock(&pool_lock);
	for (int i = 0; i < COUNTERS; i++)
		atomic_fetch_add_explicit(
			&retired[i], atomic_load_explicit(&sh->outstanding[i], memory_order_relaxed),
			memory_order_relaxed);
	atomic_fetch_add_explicit(&retired_attempts,
				  atomic_load_explicit(&sh->attempts, memory_order_relaxed),
				  memory_order_relaxed);
	for (pp = &shards; *pp != sh; pp = &(*pp)->next)
		;
	*pp = sh->next;
	pthread_mutex_unlock(&pool_lock);
	my_shard = &thread_gone;
	free(sh);
}

static void shard_key_create(void)
{
	shard_key_ok = pthread_key_create(&shard_key, shard_retire) == 0;
}

/* This thread's shard; NULL when it has none and counts into `retired`. */
static pool_shard *shard_mine(void)
{
	pool_shard *sh = my_shard;

	if (sh)
		return sh == &thread_gone ? NULL : sh;
	pthread_once(&shard_key_once, shard_key_create);
	if (!shard_key_ok)
		return NULL;
	sh = aligned_alloc(CACHE_LINE, sizeof(*sh));
	if (!sh)
		return NULL; /* tried again on the next call */
	for (int i = 0; i < COUNTERS; i++)
		atomic_init(&sh->outstanding[i], 0);
	atomic_init(&sh->attempts, 0);
	if (pthread_setspecific(shard_key, sh) != 0) {
		free(sh);
		return NULL;
	}
	pthread_mutex_lock(&pool_lock);
	sh->next = shards;
	shards = sh;
	pthread_mutex_unlock(&pool_lock);
	my_shard = sh;
	return sh;
}

/* Only the owning thread writes its shard, so no read-modify-write is
 * needed; `retired` is shared and needs one. */
static void count_outstanding(pool_shard *sh, int idx, int64_t delta)
{
	if (sh) {
		atomic_int_least64_t *c = &sh->outstanding[idx];

		atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + delta,
				      memory_order_relaxed);
	} else {
		atomic_fetch_add_explicit(&retired[idx], delta, memory_order_relaxed);
	}
}

static void count_attempt(pool_shard *sh)
{
	if (sh)
		atomic_store_explicit(&sh->attempts,
				      atomic_load_explicit(&sh->attempts, memory_order_relaxed) + 1,
				      memory_order_relaxed);
	else
		atomic_fetch_add_explicit(&retired_attempts, 1, memory_order_relaxed);
}

/* Sum of one counter over every shard; under pool_lock. */
static int64_t sum_outstanding(int idx)
{
	int64_t n = atomic_load_explicit(&retired[idx], memory_order_relaxed);

	for (pool_shard *sh = shards; sh; sh = sh->next)
		n += atomic_load_explicit(&sh->outstanding[idx], memory_order_relaxed);
	return n;
}

/* ------------------------------------------------------- fault injection */

/* True when this attempt is the one owfp_pool_fail_nth asked to fail. */
static bool injected_failure(void)
{
	bool fail = false;

	if (!atomic_load_explicit(&fail_armed, memory_order_relaxed))
		return false;
	pthread_mutex_lock(&pool_lock);
	if (fail_countdown != 0 && --fail_countdown == 0) {
		fail = true;
		atomic_store_explicit(&fail_armed, false, memory_order_relaxed);
	}
	pthread_mutex_unlock(&pool_lock);
	return fail;
}

/* ----------------------------------------------------------- alloc / free */

void *owfp_pool_alloc(size_t size, ULONG tag, bool zero)
{
	pool_shard *sh = shard_mine();
	pool_hdr *h;
	int idx;

	count_attempt(sh);
	if (injected_failure() || size > SIZE_MAX - sizeof(*h))
		return NULL;
	h = zero ? owfp_calloc(1, sizeof(*h) + size) : owfp_malloc(sizeof(*h) + size);
	if (!h)
		return NULL;
	idx = slot_get(tag);
	count_outstanding(sh, idx, 1);
	h->magic = POOL_MAGIC;
	h->tag = tag;
	h->size = size;
	return h + 1;
}

void owfp_pool_free(void *p, ULONG tag, bool check_tag)
{
	pool_hdr *h;
	int idx;

	if (!p)
		return;
	h = (pool_hdr *)p - 1;
	if (h->magic != POOL_MAGIC) {
		/* Windows bug-checks; nothing was touched yet, so inside a driver
		 * call this is contained like any bug check (else it aborts). */
		fprintf(stderr,
			"openwfp: ExFreePool of %p: not a pool allocation (or freed twice)\n", p);
		KeBugCheckEx(BAD_POOL_CALLER, 0x99, (ULONG_PTR)p, 0, 0);
	}
	if (check_tag && h->tag != tag)
		atomic_fetch_add_explicit(&mismatches, 1, memory_order_relaxed);
	/* The allocation made the slot, and happened before this free. */
	idx = slot_find(h->tag);
	count_outstanding(shard_mine(), idx < 0 ? OVERFLOW_SLOT : idx, -1);
	h->magic = POOL_FREED;
	free(h);
}

/* ------------------------------------------------------------- queries */

size_t owfp_pool_outstanding(ULONG tag)
{
	int idx = slot_find(tag);
	int64_t n;

	if (idx < 0 || idx == OVERFLOW_SLOT)
		return 0;
	pthread_mutex_lock(&pool_lock);
	n = sum_outstanding(idx);
	pthread_mutex_unlock(&pool_lock);
	/* A free counted before the allocation it undoes can show for a moment
	 * when other threads are still running. */
	return n > 0 ? (size_t)n : 0;
}

size_t owfp_pool_outstanding_total(void)
{
	int64_t n = 0;

	pthread_mutex_lock(&pool_lock);
	for (int i = 0; i < COUNTERS; i++)
		n += sum_outstanding(i);
	pthread_mutex_unlock(&pool_lock);
	return n > 0 ? (size_t)n : 0;
}

uint64_t owfp_pool_attempts(void)
{
	uint64_t n;

	pthread_mutex_lock(&pool_lock);
	n = atomic_load_explicit(&retired_attempts, memory_order_relaxed);
	for (pool_shard *sh = shards; sh; sh = sh->next)
		n += atomic_load_explicit(&sh->attempts, memory_order_relaxed);
	pthread_mutex_unlock(&pool_lock);
	return n;
}

void owfp_pool_fail_nth(uint64_t nth)
{
	pthread_mutex_lock(&pool_lock);
	fail_countdown = nth;
	atomic_store_explicit(&fail_armed, nth != 0, memory_order_relaxed);
	pthread_mutex_unlock(&pool_lock);
}

uint64_t owfp_pool_tag_mismatches(void)
{
	return atomic_load_explicit(&mismatches, memory_order_relaxed);
}

/* ------------------------------------------------------- the WDM entry points */

static bool pool_type_valid(POOL_TYPE type)
{
	switch (type) {
	case NonPagedPool:
	case PagedPool:
	case NonPagedPoolMustSucceed:
	case NonPagedPoolCacheAligned:
	case PagedPoolCacheAligned:
	case NonPagedPoolCacheAlignedMustS:
	case NonPagedPoolNx:
	case NonPagedPoolNxCacheAligned:
	case NonPagedPoolSessionNx:
		return true;
	default:
		return false;
	}
}

PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag)
{
	const POOL_FLAGS kinds = POOL_FLAG_NON_PAGED | POOL_FLAG_NON_PAGED_EXECUTE | POOL_FLAG_PAGED;

	/* Exactly one pool kind must be named, as ExAllocatePool2 requires. */
	if ((Flags & kinds) == 0 || ((Flags & kinds) & ((Flags & kinds) - 1)) != 0)
		return NULL;
	return owfp_pool_alloc(NumberOfBytes, Tag, !(Flags & POOL_FLAG_UNINITIALIZED));
}

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
	if (!pool_type_valid(PoolType))
		return NULL;
	return owfp_pool_alloc(NumberOfBytes, Tag, false);
}

PVOID ExAllocatePoolUninitialized(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
	return ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
}

PVOID ExAllocatePoolZero(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
	if (!pool_type_valid(PoolType))
		return NULL;
	return owfp_pool_alloc(NumberOfBytes, Tag, true);
}

void ExFreePoolWithTag(PVOID P, ULONG Tag)
{
	owfp_pool_free(P, Tag, true);
}

void ExFreePool(PVOID P)
{
	owfp_pool_free(P, 0, false);
}

/* ------------------------------------------------------ driver runtime */

POOL_TYPE ExDefaultNonPagedPoolType = NonPagedPool;
ULONG ExDefaultMdlProtection = 0;

void ExInitializeDriverRuntime(ULONG RuntimeFlags)
{
	/* Every pool is the same memory here; only what Windows sets is set. */
	if (RuntimeFlags & DrvRtPoolNxOptIn) {
		ExDefaultNonPagedPoolType = NonPagedPoolNx;
		ExDefaultMdlProtection = 0x40000000; /* MdlMappingNoExecute */
	}
}
