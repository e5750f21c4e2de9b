/*
 * Coalesced indications (Q19, docs/replay.md): consecutive in-order chunks
 * of one direction of a flow are merged into one indication, as a
 * receiving stack's GRO/LRO (Linux) or RSC (Windows) merges segments, so
 * the engine runs once per run of segments instead of once per frame.
 *
 * A run ends (is flushed) before a chunk that has missed bytes before it,
 * is urgent, comes more than OWFP_COALESCE_GAP_NS of capture time after
 * the run's last chunk or would take the run past OWFP_COALESCE_MAX; and
 * after a chunk that carried PSH or filled the run. The data path also
 * flushes a flow's run before anything else of that flow reaches the
 * engine (the other direction's data, FIN, RST, the flow's end, queued
 * work) and every run at the end of input and when a live capture idles.
 * Nothing here knows the engine: runs leave through the flush callback.
 */
#ifndef OWFP_REPLAY_COALESCE_H
#define OWFP_REPLAY_COALESCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture.h"

#define OWFP_COALESCE_MAX ((size_t)64 * 1024)
#define OWFP_COALESCE_GAP_NS 1000000ull /* 1 ms of capture time */
/* Runs pending at once (each holds up to OWFP_COALESCE_MAX bytes); one
 * more flushes the oldest, so memory stays bounded with many flows. */
#define OWFP_COALESCE_PENDING_MAX 256u

typedef struct owfp_coalesce_run {
	uint8_t *buf;                          /* OWFP_COALESCE_MAX bytes while pending */
	size_t len;                            /* 0: nothing pending */
	unsigned dir;                          /* capture direction of what is pending */
	unsigned flags;                        /* OWFP_CAPTURE_DATA_* of the run */
	uint64_t missed;                       /* missed bytes before the run's first byte */
	uint64_t last_ts;                      /* capture time of the run's last chunk */
	struct owfp_coalesce_run *next, *prev; /* pending list, oldest first */
} owfp_coalesce_run;

/* Hands one indication to the data path: `data` is valid during the call. */
typedef void (*owfp_coalesce_flush_fn)(void *user, owfp_coalesce_run *run, unsigned dir,
				       const uint8_t *data, size_t len, unsigned flags,
				       uint64_t missed);

typedef struct owfp_coalescer {
	owfp_coalesce_run pending; /* list head */
	size_t npending;
	/* Buffers of flushed runs, for the next: as many as may be pending at
	 * once, so a capture with many flows open does not malloc and free
	 * (and the heap trim and fault in again) a 64 KiB buffer per run. */
	uint8_t *spare[OWFP_COALESCE_PENDING_MAX];
	size_t nspare;
	owfp_coalesce_flush_fn flush;
	void *user;
	uint64_t chunks, indications; /* what came in, what went out */
} owfp_coalescer;

void owfp_coalesce_init(owfp_coalescer *c, owfp_coalesce_flush_fn flush, void *user);
void owfp_coalesce_destroy(owfp_coalescer *c);

static inline bool owfp_coalesce_pending(const owfp_coalesce_run *r)
{
	return r->len > 0;
}

/* Adds a chunk of a flow (the caller has flushed the other direction).
 * Returns -ENOMEM when no buffer could be had (the chunk then went out
 * on its own: nothing is lost). */
int owfp_coalesce_add(owfp_coalescer *c, owfp_coalesce_run *r, const owfp_capture_data *d);
/* Hands what is pending in r to the flush callback, if anything. */
void owfp_coalesce_flush(owfp_coalescer *c, owfp_coalesce_run *r);
/* Forgets what is pending in r (the flow was dropped). */
void owfp_coalesce_discard(owfp_coalescer *c, owfp_coalesce_run *r);
/* Flushes every pending run, oldest first. */
void owfp_coalesce_flush_all(owfp_coalescer *c);

#endif
