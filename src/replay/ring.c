/* Bounded SPSC byte ring (ring.h). */
#include "replay/ring.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

/* A message starts with its length (uint32_t); this one means "the rest
 * of the ring up to its end is empty, go on at 0". */
#define WRAP 0xffffffffu

static size_t round8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

int owfp_ring_init(owfp_ring *r, size_t cap)
{
	memset(r, 0, sizeof(*r));
	if (cap & (cap - 1))
		return -EINVAL;
	if (!(r->buf = owfp_malloc(cap)))
		return -ENOMEM;
	r->cap = cap;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->sleeping[0], 0);
	atomic_init(&r->sleeping[1], 0);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv[0], NULL);
	pthread_cond_init(&r->cv[1], NULL);
	return 0;
}

void owfp_ring_destroy(owfp_ring *r)
{
	if (!r->buf)
		return;
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv[0]);
	pthread_cond_destroy(&r->cv[1]);
	free(r->buf);
	r->buf = NULL;
}

/*
 * Sleeps as `who` (0 consumer, 1 producer) until ready(r) holds. The
 * sleeper announces itself, then looks again (both sequentially
 * consistent); the other side moves its position, then looks for a
 * sleeper. One of the two sees the other, and the wake is sent under the
 * mutex the sleeper holds while it looks, so it cannot be lost.
 */
static void sleep_until(owfp_ring *r, int who, bool (*ready)(owfp_ring *))
{
	if (ready(r))
		return;
	pthread_mutex_lock(&r->mu);
	atomic_store(&r->sleeping[who], 1);
	while (!ready(r))
		pthread_cond_wait(&r->cv[who], &r->mu);
	atomic_store(&r->sleeping[who], 0);
	pthread_mutex_unlock(&r->mu);
}

static void wake(owfp_ring *r, int who)
{
	if (!atomic_load(&r->sleeping[who]))
		return;
	pthread_mutex_lock(&r->mu);
	pthread_cond_signal(&r->cv[who]);
	pthread_mutex_unlock(&r->mu);
}

static _Thread_local size_t want; /* the producer's need, for has_room */

static bool has_room(owfp_ring *r)
{
	return r->cap - (atomic_load(&r->tail) - atomic_load(&r->head)) >= want;
}

static bool has_data(owfp_ring *r)
{
	return atomic_load(&r->tail) != atomic_load(&r->head);
}

void *owfp_ring_reserve(owfp_ring *r, size_t len)
{
	len = round8(len);
	size_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t pos = t & (r->cap - 1);
	if (r->cap - pos < len) {
		/* Skip to the start: mark the rest as empty once it is free. */
		want = r->cap - pos;
		if (!has_room(r))
			wake(r, 0);
		sleep_until(r, 1, has_room);
		*(uint32_t *)(r->buf + pos) = WRAP;
		atomic_store(&r->tail, t + (r->cap - pos));
		wake(r, 0);
		pos = 0;
	}
	want = len;
	if (!has_room(r))
		wake(r, 0); /* it may sleep on what was never kicked */
	sleep_until(r, 1, has_room);
	return r->buf + pos;
}

void owfp_ring_commit(owfp_ring *r, size_t len)
{
	atomic_store(&r->tail, atomic_load_explicit(&r->tail, memory_order_relaxed) + round8(len));
}

void owfp_ring_kick(owfp_ring *r)
{
	wake(r, 0);
}

void *owfp_ring_peek(owfp_ring *r)
{
	for (;;) {
		sleep_until(r, 0, has_data);
		size_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
		size_t pos = h & (r->cap - 1);
		if (*(uint32_t *)(r->buf + pos) != WRAP)
			return r->buf + pos;
		atomic_store(&r->head, h + (r->cap - pos));
		wake(r, 1);
	}
}

void owfp_ring_release(owfp_ring *r, size_t len)
{
	atomic_store(&r->head, atomic_load_explicit(&r->head, memory_order_relaxed) + round8(len));
	wake(r, 1);
}
