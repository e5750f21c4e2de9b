/*
 * Flows woken from other threads (FwpsStreamContinue0, injections, aborts
 * call ops->wake), queued for owfp_flow_run_pending() on the replay thread.
 * The end-of-capture drain sleeps on the condition variable, so it wakes
 * exactly when work arrives instead of polling.
 */
#ifndef OWFP_REPLAY_WAKEQ_H
#define OWFP_REPLAY_WAKEQ_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

typedef struct owfp_wakeq_node {
	struct owfp_wakeq_node *next, *prev;
	bool queued;
} owfp_wakeq_node;

typedef struct owfp_wakeq {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	owfp_wakeq_node head;
	atomic_bool pending; /* cheap check for the hot path */
} owfp_wakeq;

int owfp_wakeq_init(owfp_wakeq *q);
void owfp_wakeq_destroy(owfp_wakeq *q);
/* Any thread. */
void owfp_wakeq_push(owfp_wakeq *q, owfp_wakeq_node *n);
/* Replay thread: the next woken node, or NULL. */
owfp_wakeq_node *owfp_wakeq_pop(owfp_wakeq *q);
/* Replay thread: forget a node about to be freed. */
void owfp_wakeq_remove(owfp_wakeq *q, owfp_wakeq_node *n);
/* Waits until something is queued or `deadline` (CLOCK_MONOTONIC) passes.
 * Returns false on timeout with nothing queued. */
bool owfp_wakeq_wait(owfp_wakeq *q, const struct timespec *deadline);

static inline bool owfp_wakeq_pending(owfp_wakeq *q)
{
	return atomic_load_explicit(&q->pending, memory_order_acquire);
}

#endif
