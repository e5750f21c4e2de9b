/*
 * The pump: the one loop that runs a flow's queued work, its stages in both
 * directions and the injection completions, so callbacks are never nested
 * (S108); and giving the data path's memory back before a call returns.
 */
#include <errno.h>
#include <stdlib.h>

#include "stream/flow.h"

static void process_work(owfp_flow *f)
{
	owfp_work *w = owfp_flow_take_work(f);
	while (w) {
		owfp_work *next = w->next;
		switch (w->type) {
		case OWFP_WORK_INJECT:
			owfp_inject_apply(f, w->inj, false);
			break;
		case OWFP_WORK_CONTINUE:
			if (!owfp_flow_is_dropped(f))
				owfp_continue_apply(f, w->callout_id, w->stream_flags,
						    w->flag_mismatch);
			break;
		case OWFP_WORK_ABORT:
			owfp_flow_do_drop(f, OWFP_DROP_ABORT, "FwpsFlowAbort0");
			break;
		}
		free(w);
		w = next;
	}
}

/* Gives the data path's memory back: what is still held gets its own copy. */
void owfp_flow_own_leftovers(owfp_flow *f)
{
	int rc = owfp_bnode_pool_own_tracked(&f->pool, &f->writer);
	if (rc == 1) {
		for (int dir = 0; dir < 2 && rc >= 0; dir++) {
			owfp_dirstate *d = &f->dir[dir];
			for (unsigned i = 0; i < d->nstages && rc >= 0; i++)
				if (owfp_chain_own(&d->stages[i].in, &f->writer) < 0)
					rc = -ENOMEM;
			for (unsigned i = 0; i < d->nsl && rc >= 0; i++)
				if (owfp_chain_own(&d->sls[i].out, &f->writer) < 0)
					rc = -ENOMEM;
		}
	}
	if (rc < 0) {
		owfp_engine_count(f->engine, OWFP_COUNT_LIMIT, -1, 1);
		owfp_flow_emit(f, OWFP_EV_LIMIT, -1, NULL, 0, "out of memory keeping held bytes");
		owfp_flow_do_drop(f, OWFP_DROP_LIMIT, "out of memory keeping held bytes");
	}
}

static bool settled(const owfp_flow *f)
{
	for (int dir = 0; dir < 2; dir++) {
		const owfp_dirstate *d = &f->dir[dir];
		if (!d->ended || d->held || d->inj_bytes)
			return false;
	}
	return !f->done_head && !atomic_load(&f->has_work);
}

void owfp_flow_pump(owfp_flow *f)
{
	if (f->depth) {
		f->repump = true;
		return;
	}
	f->depth++;
	owfp_flow *prev = owfp_flow_enter(f);
	for (;;) {
		f->repump = false;
		if (atomic_load(&f->has_work))
			process_work(f);
		if (!owfp_flow_is_dropped(f))
			owfp_flow_check_generation(f);
		for (int dir = 0; dir < 2 && !owfp_flow_is_dropped(f); dir++)
			owfp_pipeline_run_dir(f, dir);
		if (f->done_head)
			owfp_inject_run_completions(f);
		owfp_flow_apply_pending_drop(f);
		if (!owfp_flow_is_dropped(f))
			owfp_defer_pause_check(f);
		/* Bytes only move forward within a direction, so one pass is
		 * enough unless something set repump (ALLOW touching the other
		 * direction, a callback re-entering) or queued work. */
		if (!f->repump && !atomic_load(&f->has_work))
			break;
	}
	for (int dir = 0; dir < 2 && !owfp_flow_is_dropped(f); dir++)
		owfp_flow_limit_check(f, dir);
	owfp_flow_mem_check(f);
	if (owfp_flow_is_dropped(f) && f->done_head)
		owfp_inject_run_completions(f);
	if (!owfp_flow_is_ended(f) && (owfp_flow_is_dropped(f) || settled(f)))
		owfp_flow_end(f);
	owfp_flow_leave(prev);
	f->depth--;
}
