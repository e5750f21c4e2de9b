/*
 * DEFER and FwpsStreamContinue0 (S48–S51, Q8, Q9). A deferred stage is
 * recorded under the flow lock so that FwpsStreamContinue0 can check and
 * accept it from any thread; the re-presentation itself always happens
 * later on the flow's thread (S50), through the work queue.
 *
 * An out-of-band callout hands the data to its worker inside classifyFn and
 * answers DEFER; the worker can finish and call FwpsStreamContinue0 before
 * that answer is back in the engine. Such a continue waits (on another
 * thread only, and at most CONTINUE_WAIT_MS) until the answer is applied,
 * and is then checked as usual: accepted if it was a DEFER, refused if not.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stream/flow.h"
#include "util/deadline.h"
#include "util/alloc.h"

struct owfp_deferral {
	struct owfp_deferral *next;
	UINT32 callout_id;
	UINT32 flags;
};

void owfp_defer_record(owfp_flow *f, owfp_stage *st)
{
	struct owfp_deferral *r = owfp_malloc(sizeof(*r));
	if (!r) {
		owfp_flow_do_drop(f, OWFP_DROP_LIMIT, "out of memory recording DEFER");
		return;
	}
	r->callout_id = st->d.callout->id;
	r->flags = st->defer_flags;
	pthread_mutex_lock(&f->mu);
	r->next = f->deferrals;
	f->deferrals = r;
	pthread_mutex_unlock(&f->mu);
}

/* Bounds a continue's wait for a classifyFn that blocks on the very
 * worker that is calling FwpsStreamContinue0: refused, not deadlocked. */
#define CONTINUE_WAIT_MS 1000

void owfp_defer_answer_begin(owfp_flow *f, const owfp_stage *st)
{
	/* The callout's own hand-off to its worker (inside classifyFn) orders
	 * this store before any continue that could wait on it. */
	if (st->dir == OWFP_DIR_INBOUND && st->d.callout)
		atomic_store_explicit(&f->deferring, st->d.callout->id, memory_order_release);
}

void owfp_defer_answer_end(owfp_flow *f)
{
	if (!atomic_load_explicit(&f->deferring, memory_order_relaxed))
		return;
	/* Sequentially consistent store, then load (the waiter does the
	 * reverse): either the waiter sees 0 and does not sleep, or we see it
	 * and wake it. */
	atomic_store(&f->deferring, 0);
	if (atomic_load(&f->continue_waiters)) {
		pthread_mutex_lock(&f->mu);
		pthread_cond_broadcast(&f->cv);
		pthread_mutex_unlock(&f->mu);
	}
}

static struct owfp_deferral *take(owfp_flow *f, UINT32 callout_id)
{
	for (struct owfp_deferral **pp = &f->deferrals; *pp; pp = &(*pp)->next) {
		if ((*pp)->callout_id == callout_id) {
			struct owfp_deferral *r = *pp;
			*pp = r->next;
			return r;
		}
	}
	return NULL;
}

void owfp_defer_forget(owfp_flow *f, UINT32 callout_id)
{
	pthread_mutex_lock(&f->mu);
	struct owfp_deferral *r = take(f, callout_id);
	pthread_mutex_unlock(&f->mu);
	free(r);
}

void owfp_defer_forget_all(owfp_flow *f)
{
	pthread_mutex_lock(&f->mu);
	struct owfp_deferral *r = f->deferrals;
	f->deferrals = NULL;
	pthread_mutex_unlock(&f->mu);
	while (r) {
		struct owfp_deferral *n = r->next;
		free(r);
		r = n;
	}
}

/* Called under f->mu when no deferral is recorded for callout_id yet: waits
 * while that callout's classify is in flight and returns the deferral its
 * answer recorded, or NULL (another answer, the flow gone, or the cap). */
static struct owfp_deferral *wait_for_answer(owfp_flow *f, UINT32 callout_id)
{
	struct owfp_deferral *r = NULL;
	struct timespec until = owfp_deadline_after_ns(CLOCK_MONOTONIC,
						       CONTINUE_WAIT_MS * 1000000ull);
	atomic_fetch_add(&f->continue_waiters, 1);
	while (!r && !atomic_load(&f->gone) && atomic_load(&f->deferring) == callout_id) {
		if (pthread_cond_timedwait(&f->cv, &f->mu, &until))
			break; /* timed out: refused */
		r = take(f, callout_id);
	}
	atomic_fetch_sub(&f->continue_waiters, 1);
	return r;
}

NTSTATUS NTAPI FwpsStreamContinue0(UINT64 flowId, UINT32 calloutId, UINT16 layerId, UINT32 streamFlags)
{
	owfp_engine *e = owfp_registry_engine();
	if (!e)
		return STATUS_FWP_TCPIP_NOT_READY;
	if (layerId != FWPS_LAYER_STREAM_V4 && layerId != FWPS_LAYER_STREAM_V6)
		return STATUS_INVALID_PARAMETER;
	owfp_flow *f = owfp_flow_table_find(e, flowId);
	if (!f)
		return STATUS_INVALID_PARAMETER;
	owfp_work *w = owfp_calloc(1, sizeof(*w));
	pthread_mutex_lock(&f->mu);
	bool open = w && !atomic_load(&f->gone);
	struct owfp_deferral *r = open ? take(f, calloutId) : NULL;
	if (open && !r && !owfp_flow_on_thread(f))
		r = wait_for_answer(f, calloutId);
	pthread_mutex_unlock(&f->mu);
	if (!r) {
		free(w);
		owfp_flow_unref(f);
		return w ? STATUS_INVALID_PARAMETER : STATUS_INSUFFICIENT_RESOURCES;
	}
	w->type = OWFP_WORK_CONTINUE;
	w->callout_id = calloutId;
	w->stream_flags = r->flags;
	w->flag_mismatch = r->flags != streamFlags;
	free(r);
	owfp_flow_queue(f, w);
	owfp_flow_unref(f);
	return STATUS_SUCCESS;
}

void owfp_continue_apply(owfp_flow *f, UINT32 callout_id, UINT32 flags, bool mismatch)
{
	(void)flags;
	owfp_stage *st = owfp_pipeline_stage_for(f, OWFP_DIR_INBOUND, callout_id);
	if (!st || st->state != OWFP_ST_DEFERRED)
		return;
	if (mismatch)
		owfp_flow_violation(f, st, "Q9",
				    "FwpsStreamContinue0 flags differ from the deferred indication");
	st->state = OWFP_ST_IDLE;
	f->ndeferred--;
	owfp_flow_emit(f, OWFP_EV_CONTINUE, st->dir, st, st->in.len, NULL);
}

void owfp_defer_pause_check(owfp_flow *f)
{
	if (!f->ndeferred && !f->dir[0].paused && !f->dir[1].paused && !f->dir[0].mem_paused &&
	    !f->dir[1].mem_paused)
		return; /* nothing deferred, nothing to resume: the common case */
	size_t keep = f->opts.defer_keep_limit;
	for (int dir = 0; dir < 2; dir++) {
		owfp_dirstate *d = &f->dir[dir];
		/* Paused while the process is at its memory limit, or while a
		 * deferred stage keeps its cap (Q8). */
		bool want = owfp_flow_mem_paused(f, dir);
		for (unsigned i = 0; i < d->nstages && !want; i++)
			want = d->stages[i].state == OWFP_ST_DEFERRED && d->stages[i].in.len >= keep;
		if (owfp_flow_is_dropped(f) || d->ended)
			want = false;
		if (want != d->paused) {
			d->paused = want;
			if (f->ops->pause)
				f->ops->pause(f->dp, f, dir, want);
		}
	}
}
