/* The process's byte account and its waiters (memacct.h). */
#include "util/memacct.h"

void owfp_memacct_init(owfp_memacct *a, size_t limit)
{
	atomic_init(&a->used, 0);
	atomic_init(&a->peak, 0);
	atomic_init(&a->limit, limit);
	atomic_init(&a->nwaiters, 0);
	pthread_mutex_init(&a->mu, NULL);
	a->waiters = NULL;
}

void owfp_memacct_fini(owfp_memacct *a)
{
	pthread_mutex_destroy(&a->mu);
}

void owfp_memacct_set_limit(owfp_memacct *a, size_t limit)
{
	atomic_store(&a->limit, limit);
}

size_t owfp_memacct_limit(const owfp_memacct *a)
{
	return atomic_load_explicit(&a->limit, memory_order_relaxed);
}

size_t owfp_memacct_used(const owfp_memacct *a)
{
	return atomic_load(&a->used);
}

size_t owfp_memacct_peak(const owfp_memacct *a)
{
	return atomic_load_explicit(&a->peak, memory_order_relaxed);
}

void owfp_memacct_charge(owfp_memacct *a, size_t n)
{
	if (!n)
		return;
	size_t now = atomic_fetch_add(&a->used, n) + n;
	size_t peak = atomic_load_explicit(&a->peak, memory_order_relaxed);
	while (now > peak &&
	       !atomic_compare_exchange_weak_explicit(&a->peak, &peak, now, memory_order_relaxed,
						      memory_order_relaxed))
		;
}

static bool below_low(size_t used, size_t limit)
{
	return !limit || used < limit / 2;
}

bool owfp_memacct_low(const owfp_memacct *a)
{
	return below_low(atomic_load(&a->used), owfp_memacct_limit(a));
}

enum owfp_mem_level owfp_memacct_level(const owfp_memacct *a)
{
	size_t limit = owfp_memacct_limit(a);
	size_t used = atomic_load(&a->used);
	if (!limit || used < limit - limit / 4)
		return OWFP_MEM_OK;
	return used > limit ? OWFP_MEM_OVER : OWFP_MEM_HIGH;
}

static void wake_all(owfp_memacct *a)
{
	pthread_mutex_lock(&a->mu);
	/* Checked again under the lock: a charge may have come in between. */
	if (owfp_memacct_low(a)) {
		owfp_memwait *w = a->waiters;
		a->waiters = NULL;
		atomic_store(&a->nwaiters, 0);
		while (w) {
			owfp_memwait *next = w->next;
			w->queued = false;
			w->next = w->prev = NULL;
			w->wake(w->arg);
			w = next;
		}
	}
	pthread_mutex_unlock(&a->mu);
}

void owfp_memacct_release(owfp_memacct *a, size_t n)
{
	if (!n)
		return;
	/* Sequentially consistent, as is the waiter's check in
	 * owfp_memacct_wait: either it sees the lower count and does not
	 * queue, or this sees its count and wakes it. */
	size_t now = atomic_fetch_sub(&a->used, n) - n;
	if (atomic_load(&a->nwaiters) && below_low(now, owfp_memacct_limit(a)))
		wake_all(a);
}

/* Takes w off the waiting list (a->mu held, w queued). */
static void unlink_waiter(owfp_memacct *a, owfp_memwait *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		a->waiters = w->next;
	if (w->next)
		w->next->prev = w->prev;
	w->queued = false;
	w->next = w->prev = NULL;
	atomic_fetch_sub(&a->nwaiters, 1);
}

bool owfp_memacct_wait(owfp_memacct *a, owfp_memwait *w, void (*wake)(void *arg), void *arg)
{
	pthread_mutex_lock(&a->mu);
	if (!w->queued) {
		w->wake = wake;
		w->arg = arg;
		w->queued = true;
		w->prev = NULL;
		w->next = a->waiters;
		if (a->waiters)
			a->waiters->prev = w;
		a->waiters = w;
		atomic_fetch_add(&a->nwaiters, 1);
	}
	bool wait = !owfp_memacct_low(a);
	if (!wait) /* fell below the mark already: a release may have missed us */
		unlink_waiter(a, w);
	pthread_mutex_unlock(&a->mu);
	return wait;
}

void owfp_memacct_cancel(owfp_memacct *a, owfp_memwait *w)
{
	pthread_mutex_lock(&a->mu);
	if (w->queued)
		unlink_waiter(a, w);
	pthread_mutex_unlock(&a->mu);
}
