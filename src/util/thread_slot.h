/*
 * Thread slots for counters that many threads add to and few read.
 *
 * A counter kept as one atomic costs a locked instruction per add, and on
 * the machines we measure on (2-core VMs) profiles put each of those near a
 * cache miss, and every classify made five.
 * Instead, a counter is an array of OWFP_THREAD_SLOTS + 1 cells. A thread
 * owns one slot while it lives and adds to its cell with a plain load and
 * store; readers sum the cells. Threads beyond OWFP_THREAD_SLOTS share the
 * last cell, OWFP_THREAD_SLOT_SHARED, and add to it atomically, so a count
 * is never lost. A slot freed by an exiting thread keeps its sums: the next
 * owner adds to them.
 */
#ifndef OWFP_UTIL_THREAD_SLOT_H
#define OWFP_UTIL_THREAD_SLOT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define OWFP_THREAD_SLOTS 32
#define OWFP_THREAD_SLOT_SHARED OWFP_THREAD_SLOTS

/* Initial-exec TLS: the library is loaded with the program, and the
 * general model made every add a call to __tls_get_addr. */
extern _Thread_local int owfp_thread_slot_mine __attribute__((tls_model("initial-exec")));
int owfp_thread_slot_claim(void);

/* This thread's slot, 0 .. OWFP_THREAD_SLOTS (the shared one). */
static inline int owfp_thread_slot(void)
{
	int s = owfp_thread_slot_mine;
	return s >= 0 ? s : owfp_thread_slot_claim();
}

/* As owfp_slot_add with the store's order given (a count another thread
 * synchronises with, such as S72a's classifies in flight); adding
 * (uint64_t)-1 subtracts one. */
static inline void owfp_slot_add_explicit(atomic_ullong *cell, uint64_t n, int slot,
					  memory_order order)
{
	if (slot == OWFP_THREAD_SLOT_SHARED)
		atomic_fetch_add_explicit(cell, n, order);
	else
		atomic_store_explicit(cell, atomic_load_explicit(cell, memory_order_relaxed) + n,
				      order);
}

static inline void owfp_slot_add(atomic_ullong *cell, uint64_t n, int slot)
{
	owfp_slot_add_explicit(cell, n, slot, memory_order_relaxed);
}

/* The sum of one counter over its OWFP_THREAD_SLOTS + 1 cells, `stride`
 * bytes apart, the first at `first`. */
uint64_t owfp_slot_sum(const void *first, size_t stride);

/* For counters kept as a field of a per-slot struct, `cells` being the
 * array of OWFP_THREAD_SLOTS + 1 of them: add to this thread's cell, and
 * sum all of them. */
#define OWFP_SLOT_ADD(cells, field, n)                            \
	do {                                                      \
		int slot_ = owfp_thread_slot();                   \
		owfp_slot_add(&(cells)[slot_].field, (n), slot_); \
	} while (0)
#define OWFP_SLOT_SUM(cells, field) owfp_slot_sum(&(cells)[0].field, sizeof((cells)[0]))

#endif /* OWFP_UTIL_THREAD_SLOT_H */
