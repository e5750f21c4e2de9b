/* The replay's wake queue: a locked intrusive list plus a condition variable. */
#include "replay/wakeq.h"

#include <errno.h>

int owfp_wakeq_init(owfp_wakeq *q)
{
	pthread_condattr_t ca;
	q->head.next = q->head.prev = &q->head;
	atomic_init(&q->pending, false);
	if (pthread_mutex_init(&q->lock, NULL))
		return -ENOMEM;
	if (pthread_condattr_init(&ca) || pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) ||
	    pthread_cond_init(&q->cond, &ca)) {
		pthread_mutex_destroy(&q->lock);
		return -ENOMEM;
	}
	pthread_condattr_destroy(&ca);
	return 0;
}

void owfp_wakeq_destroy(owfp_wakeq *q)
{
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
}

static void unlink_node(owfp_wakeq_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = NULL;
	n->queued = false;
}

void owfp_wakeq_push(owfp_wakeq *q, owfp_wakeq_node *n)
{
	pthread_mutex_lock(&q->lock);
	if (!n->queued) {
		n->queued = true;
		n->prev = q->head.prev;
		n->next = &q->head;
		q->head.prev->next = n;
		q->head.prev = n;
	}
	atomic_store_explicit(&q->pending, true, memory_order_release);
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
}

owfp_wakeq_node *owfp_wakeq_pop(owfp_wakeq *q)
{
	owfp_wakeq_node *n = NULL;
	pthread_mutex_lock(&q->lock);
	if (q->head.next != &q->head) {
		n = q->head.next;
		unlink_node(n);
	}
	if (q->head.next == &q->head)
		atomic_store_explicit(&q->pending, false, memory_order_release);
	pthread_mutex_unlock(&q->lock);
	return n;
}

void owfp_wakeq_remove(owfp_wakeq *q, owfp_wakeq_node *n)
{
	pthread_mutex_lock(&q->lock);
	if (n->queued)
		unlink_node(n);
	if (q->head.next == &q->head)
		atomic_store_explicit(&q->pending, false, memory_order_release);
	pthread_mutex_unlock(&q->lock);
}

bool owfp_wakeq_wait(owfp_wakeq *q, const struct timespec *deadline)
{
	bool got;
	pthread_mutex_lock(&q->lock);
	while (q->head.next == &q->head) {
		if (pthread_cond_timedwait(&q->cond, &q->lock, deadline) == ETIMEDOUT)
			break;
	}
	got = q->head.next != &q->head;
	pthread_mutex_unlock(&q->lock);
	return got;
}
