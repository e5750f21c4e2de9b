/*
 * A bounded single-producer single-consumer queue of variable-size
 * messages in one byte ring: replay's capture thread hands each worker its
 * flows' events through one (docs/replay.md, "Workers"). Bounded, so a
 * fast reader cannot run ahead of a slow worker with unbounded memory: the
 * producer sleeps while the ring is full, the consumer while it is empty,
 * and neither takes a lock while the other is awake. Internal to src/replay.
 *
 * Why not a library: liblfds and ck ship SPSC rings of fixed-size
 * elements; a message here is 64 bytes to 256 KiB of segment data, copied
 * in once, so the ring holds bytes, not pointers to allocations.
 */
#ifndef OWFP_REPLAY_RING_H
#define OWFP_REPLAY_RING_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct owfp_ring {
	uint8_t *buf;
	size_t cap;                      /* a power of two */
	_Alignas(64) atomic_size_t head; /* consumer position, never wraps */
	_Alignas(64) atomic_size_t tail; /* producer position */
	atomic_int sleeping[2];          /* [0] consumer, [1] producer */
	pthread_mutex_t mu;
	pthread_cond_t cv[2];
} owfp_ring;

/* cap: bytes, a power of two, at least twice the largest message. */
int owfp_ring_init(owfp_ring *r, size_t cap);
void owfp_ring_destroy(owfp_ring *r);

/* Producer: room for a message of `len` bytes (sleeps while full). The
 * message is 8-byte aligned and invisible until owfp_ring_commit(len).
 * A sleeping consumer wakes at owfp_ring_kick (or when the ring is full):
 * waking it for every message costs two futex calls per message, so the
 * producer kicks once per batch and before it waits for the consumer. */
void *owfp_ring_reserve(owfp_ring *r, size_t len);
void owfp_ring_commit(owfp_ring *r, size_t len);
void owfp_ring_kick(owfp_ring *r);

/* Consumer: the oldest message (sleeps while empty); owfp_ring_release
 * with its length frees it. */
void *owfp_ring_peek(owfp_ring *r);
void owfp_ring_release(owfp_ring *r, size_t len);

#endif
