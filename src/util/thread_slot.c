/*
 * Who owns which counter slot (thread_slot.h). This file holds the process's
 * only state for it: the bitmap of owned slots and each thread's own slot.
 */
#include "util/thread_slot.h"

#include <pthread.h>

_Static_assert(OWFP_THREAD_SLOTS <= 32, "the owned-slot bitmap is 32 bits");

static atomic_uint slots_owned;
static pthread_key_t slot_key;
static pthread_once_t slot_key_once = PTHREAD_ONCE_INIT;
static int slot_key_ok;
_Thread_local int owfp_thread_slot_mine __attribute__((tls_model("initial-exec"))) = -1;

/* Release, so the next owner's acquire sees every sum this thread stored. */
static void slot_release(void *p)
{
	unsigned s = (unsigned)(uintptr_t)p - 1;
	owfp_thread_slot_mine = OWFP_THREAD_SLOT_SHARED; /* counts from later destructors */
	atomic_fetch_and_explicit(&slots_owned, ~(1u << s), memory_order_release);
}

static void slot_key_create(void)
{
	slot_key_ok = pthread_key_create(&slot_key, slot_release) == 0;
}

static int slot_claim(void)
{
	pthread_once(&slot_key_once, slot_key_create);
	if (!slot_key_ok)
		return OWFP_THREAD_SLOT_SHARED;
	unsigned owned = atomic_load_explicit(&slots_owned, memory_order_relaxed);
	for (;;) {
		if (owned == UINT32_MAX >> (32 - OWFP_THREAD_SLOTS))
			return OWFP_THREAD_SLOT_SHARED;
		unsigned s = (unsigned)__builtin_ctz(~owned);
		if (atomic_compare_exchange_weak_explicit(&slots_owned, &owned, owned | 1u << s,
							  memory_order_acquire,
							  memory_order_relaxed)) {
			/* Without the key the slot would never be given back:
			 * use the shared cell rather than leak it. */
			if (pthread_setspecific(slot_key, (void *)(uintptr_t)(s + 1)) != 0) {
				slot_release((void *)(uintptr_t)(s + 1));
				return OWFP_THREAD_SLOT_SHARED;
			}
			return (int)s;
		}
	}
}

int owfp_thread_slot_claim(void)
{
	owfp_thread_slot_mine = slot_claim();
	return owfp_thread_slot_mine;
}

uint64_t owfp_slot_sum(const void *first, size_t stride)
{
	uint64_t sum = 0;
	for (int s = 0; s <= OWFP_THREAD_SLOTS; s++)
		sum += atomic_load_explicit((atomic_ullong *)((uintptr_t)first + (size_t)s * stride),
					    memory_order_relaxed);
	return sum;
}
