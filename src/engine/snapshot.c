/*
 * The published filter set and how readers take it without ever waiting
 * for a writer.
 *
 * A reader needs a reference on a compiled layer of the current snapshot.
 * Loading the snapshot pointer and then incrementing a count on it is not
 * safe by itself: a writer could free the snapshot in between. So readers
 * announce themselves first, in one of two counters chosen by the current
 * epoch bit, and only then load the pointer and take their layer reference.
 * A writer swaps the pointer, flips the epoch and waits until the counter
 * of the old epoch drains to zero (twice, so a reader that sampled the
 * epoch just before a flip is covered), after which no reader can still be
 * between "load pointer" and "take reference" on the old snapshot, and it
 * may be dropped. Layers themselves are plain reference counts: the
 * snapshot holds one, every reader that got past the window holds one.
 *
 * Why it is correct: all counter and pointer operations are sequentially
 * consistent. A reader that loads the old pointer did so after its counter
 * increment and after re-checking that the epoch had not moved. If that
 * re-check came before the writer's flip, its increment also came before
 * the flip, so the writer's wait (which starts after the flip) sees it until
 * the reader leaves. If the re-check came after the flip, the reader saw the
 * new epoch and retried, unless a later flip brought the epoch back; a later
 * flip belongs to a later publish, after this swap, so that reader loads
 * the new pointer. Readers only ever increment, re-check, load and
 * decrement: they never spin on writers.
 */
#include <sched.h>
#include <stdlib.h>

#include "engine/engine_internal.h"

static unsigned reader_enter(owfp_engine *e)
{
	for (;;) {
		unsigned ep = atomic_load(&e->epoch) & 1;

		atomic_fetch_add(&e->readers[ep], 1);
		if ((atomic_load(&e->epoch) & 1) == ep)
			return ep;
		atomic_fetch_sub(&e->readers[ep], 1);
	}
}

static void reader_exit(owfp_engine *e, unsigned ep)
{
	atomic_fetch_sub(&e->readers[ep], 1);
}

owfp_clayer *owfp_snapshot_layer(owfp_engine *e, int slot)
{
	unsigned ep = reader_enter(e);
	owfp_snapshot *s = atomic_load(&e->snap);
	owfp_clayer *l = s->layers[slot];

	owfp_clayer_ref(l);
	reader_exit(e, ep);
	return l;
}

unsigned owfp_snapshot_read_begin(owfp_engine *e)
{
	return reader_enter(e);
}

void owfp_snapshot_read_end(owfp_engine *e, unsigned ep)
{
	reader_exit(e, ep);
}

void owfp_snapshot_wait_readers(owfp_engine *e)
{
	for (int round = 0; round < 2; round++) {
		unsigned ep = atomic_load(&e->epoch) & 1;

		atomic_store(&e->epoch, ep ^ 1);
		while (atomic_load(&e->readers[ep]) != 0)
			sched_yield();
	}
}

void owfp_snapshot_free(owfp_snapshot *s)
{
	if (!s)
		return;
	for (int i = 0; i < OWFP_NSLOTS; i++)
		owfp_clayer_unref(s->layers[i]);
	free(s);
}

void owfp_snapshot_publish(owfp_engine *e, owfp_snapshot *next)
{
	owfp_snapshot *old = atomic_exchange(&e->snap, next);

	owfp_snapshot_wait_readers(e);
	owfp_snapshot_free(old);
}
