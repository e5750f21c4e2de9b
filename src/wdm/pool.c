/* Tagged pool allocations over malloc, with per-tag counters. */
#include "wdm/pool.h"

#include <pthread.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_MAGIC 0x4f775046u /* "FPwO" */
#define POOL_FREED 0x64656566u
#define TAG_SLOTS 1024          /* power of two */

/* Keeps the payload as aligned as malloc's own result. */
typedef struct pool_hdr {
	alignas(16) uint32_t magic;
	ULONG tag;
	size_t size;
} pool_hdr;

typedef struct tag_slot {
	ULONG tag;
	bool used;
	size_t outstanding;
} tag_slot;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static tag_slot slots[TAG_SLOTS];
static tag_slot overflow; /* every tag once the table is full */
static size_t outstanding_total;
static uint64_t attempts;
static uint64_t fail_at;  /* attempt number that fails, 0 = none */
static uint64_t mismatches;

static tag_slot *slot_for(ULONG tag, bool create)
{
	uint32_t h = (tag * 2654435761u) & (TAG_SLOTS - 1);

	for (size_t i = 0; i < TAG_SLOTS; i++) {
		tag_slot *s = &slots[(h + i) & (TAG_SLOTS - 1)];

		if (s->used && s->tag == tag)
			return s;
		if (!s->used) {
			if (!create)
				return NULL;
			s->used = true;
			s->tag = tag;
			return s;
		}
	}
	return create ? &overflow : NULL;
}

void *owfp_pool_alloc(size_t size, ULONG tag, bool zero)
{
	pool_hdr *h;
	tag_slot *s;
	bool fail;

	/* One critical section per allocation: count it before malloc, and
	 * take the count back in the rare case malloc fails. */
	pthread_mutex_lock(&pool_lock);
	attempts++;
	fail = (fail_at != 0 && attempts == fail_at) || size > SIZE_MAX - sizeof(*h);
	if (fail_at != 0 && attempts == fail_at)
		fail_at = 0;
	s = NULL;
	if (!fail) {
		/* Creating never fails: a full table hands out the overflow slot. */
		s = slot_for(tag, true);
		s->outstanding++;
		outstanding_total++;
	}
	pthread_mutex_unlock(&pool_lock);
	if (fail)
		return NULL;

	h = zero ? calloc(1, sizeof(*h) + size) : malloc(sizeof(*h) + size);
	if (!h) {
		pthread_mutex_lock(&pool_lock);
		s->outstanding--;
		outstanding_total--;
		pthread_mutex_unlock(&pool_lock);
		return NULL;
	}
	h->magic = POOL_MAGIC;
	h->tag = tag;
	h->size = size;
	return h + 1;
}

void owfp_pool_free(void *p, ULONG tag, bool check_tag)
{
	pool_hdr *h;
	tag_slot *s;

	if (!p)
		return;
	h = (pool_hdr *)p - 1;
	if (h->magic != POOL_MAGIC) {
		/* Windows would bug-check; a wild free cannot be survived safely. */
		fprintf(stderr, "openwfp: ExFreePool of %p: not a pool allocation (or freed twice)\n", p);
		abort();
	}
	pthread_mutex_lock(&pool_lock);
	if (check_tag && h->tag != tag)
		mismatches++;
	s = slot_for(h->tag, false);
	if (!s)
		s = &overflow;
	if (s->outstanding)
		s->outstanding--;
	outstanding_total--;
	pthread_mutex_unlock(&pool_lock);
	h->magic = POOL_FREED;
	free(h);
}

size_t owfp_pool_outstanding(ULONG tag)
{
	size_t n;
	tag_slot *s;

	pthread_mutex_lock(&pool_lock);
	s = slot_for(tag, false);
	n = s ? s->outstanding : 0;
	pthread_mutex_unlock(&pool_lock);
	return n;
}

size_t owfp_pool_outstanding_total(void)
{
	size_t n;

	pthread_mutex_lock(&pool_lock);
	n = outstanding_total;
	pthread_mutex_unlock(&pool_lock);
	return n;
}

uint64_t owfp_pool_attempts(void)
{
	uint64_t n;

	pthread_mutex_lock(&pool_lock);
	n = attempts;
	pthread_mutex_unlock(&pool_lock);
	return n;
}

void owfp_pool_fail_nth(uint64_t nth)
{
	pthread_mutex_lock(&pool_lock);
	fail_at = nth ? attempts + nth : 0;
	pthread_mutex_unlock(&pool_lock);
}

uint64_t owfp_pool_tag_mismatches(void)
{
	uint64_t n;

	pthread_mutex_lock(&pool_lock);
	n = mismatches;
	pthread_mutex_unlock(&pool_lock);
	return n;
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
