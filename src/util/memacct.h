/*
 * One count of the bytes a process holds for its flows, against one limit,
 * and the sources waiting for it to fall (docs/RELIABILITY.md, "Limits").
 *
 * Everyone that keeps a flow's bytes charges them here and releases them
 * when they leave: the stream layer for what its stages, sublayers,
 * deferrals and injections hold, a data path for its own queues (the
 * proxy's output queues). Three marks follow from the limit L:
 *   high  = L - L/4: sources that would add bytes are paused (the data path
 *                    stops reading), except where a callout needs more bytes
 *                    to decide (docs/semantics.md, "Memory limit");
 *   low   = L/2:     paused sources are woken to resume;
 *   L:               a flow that still adds bytes is dropped (fail closed).
 * The gap between high and low keeps pause and resume from flapping.
 *
 * Why one atomic and not thread slots (util/thread_slot.h): every charge
 * compares the sum with the marks, and summing 33 cells per charge costs
 * more than one locked add; charges come per indication and per queued
 * write, not per classify.
 *
 * Threads: every function may be called from any thread. A waiter's wake
 * callback runs with the account's mutex held: it must only queue work
 * (ops->wake), never charge, release or wait.
 */
#ifndef OWFP_UTIL_MEMACCT_H
#define OWFP_UTIL_MEMACCT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

enum owfp_mem_level {
	OWFP_MEM_OK = 0, /* below the high mark, or no limit */
	OWFP_MEM_HIGH,   /* at or over the high mark: pause sources */
	OWFP_MEM_OVER,   /* over the limit: drop what still grows */
};

typedef struct owfp_memwait {
	struct owfp_memwait *next, *prev; /* under the account's mutex */
	void (*wake)(void *arg);
	void *arg;
	bool queued; /* under the account's mutex */
} owfp_memwait;

typedef struct owfp_memacct {
	atomic_size_t used;
	atomic_size_t peak;
	atomic_size_t limit; /* 0: none */
	atomic_uint nwaiters;
	pthread_mutex_t mu;
	owfp_memwait *waiters; /* mu */
} owfp_memacct;

void owfp_memacct_init(owfp_memacct *a, size_t limit);
void owfp_memacct_fini(owfp_memacct *a);
void owfp_memacct_set_limit(owfp_memacct *a, size_t limit);
size_t owfp_memacct_limit(const owfp_memacct *a);
size_t owfp_memacct_used(const owfp_memacct *a);
/* The most ever charged at once. */
size_t owfp_memacct_peak(const owfp_memacct *a);

void owfp_memacct_charge(owfp_memacct *a, size_t n);
/* Wakes every waiter once usage is below the low mark. */
void owfp_memacct_release(owfp_memacct *a, size_t n);

enum owfp_mem_level owfp_memacct_level(const owfp_memacct *a);
/* True when usage is below the low mark (or there is no limit). */
bool owfp_memacct_low(const owfp_memacct *a);

/*
 * Queues `w` to be woken when usage falls below the low mark. Returns false
 * (and queues nothing, or unqueues it) when it is below it already, so a
 * release racing with the caller cannot leave it waiting forever. A queued
 * waiter is woken once, then unqueued; calling again while queued only
 * checks the mark.
 */
bool owfp_memacct_wait(owfp_memacct *a, owfp_memwait *w, void (*wake)(void *arg), void *arg);
/* Unqueues `w` if queued; after it returns no wake callback for `w` runs. */
void owfp_memacct_cancel(owfp_memacct *a, owfp_memwait *w);

#endif /* OWFP_UTIL_MEMACCT_H */
