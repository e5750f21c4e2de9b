/*
 * Filters or callouts changed while the flow runs (S80, S81, S103). Checked
 * at indication boundaries: deleted filters let go of what they hold at
 * once (as PERMIT, a deferral resumed, injections refused from then on);
 * new filters join the pipeline the next time the direction holds nothing,
 * since a stage cannot be inserted in front of bytes already past it.
 */
#include "stream/flow.h"

static const owfp_stage_desc *find_desc(const owfp_match *m, UINT64 filter_id)
{
	for (size_t i = 0; i < m->nstages; i++)
		if (m->stages[i].filter.filterId == filter_id)
			return &m->stages[i];
	return NULL;
}

static bool same_shape(const owfp_dirstate *d, const owfp_match *m)
{
	if (d->nstages != m->nstages)
		return false;
	for (unsigned i = 0; i < d->nstages; i++)
		if (d->stages[i].d.filter.filterId != m->stages[i].filter.filterId)
			return false;
	return true;
}

static void apply_removals(owfp_flow *f, int dir, const owfp_match *m)
{
	owfp_dirstate *d = &f->dir[dir];
	for (unsigned i = 0; i < d->nstages; i++) {
		owfp_stage *st = &d->stages[i];
		const owfp_stage_desc *nd = find_desc(m, st->d.filter.filterId);
		if (nd) {
			/* Same filter: pick up a callout registered since. */
			st->d.callout = nd->callout;
			continue;
		}
		if (st->removed)
			continue;
		if (st->state == OWFP_ST_DEFERRED && st->d.callout)
			owfp_defer_forget(f, st->d.callout->id);
		owfp_stage_flush(f, st, OWFP_V_PERMIT);
		st->removed = true;
	}
}

/* Carries per-filter state into the rebuilt pipeline. */
static void carry(owfp_stage *old, unsigned nold, owfp_stage *st)
{
	for (unsigned i = 0; i < nold; i++) {
		if (old[i].d.filter.filterId != st->d.filter.filterId)
			continue;
		st->missed = old[i].missed;
		st->midstream_flag = old[i].midstream_flag;
		st->skip = old[i].skip;
		st->done = old[i].done;
		st->eof = old[i].eof;
		return;
	}
}

static void rebuild(owfp_flow *f, int dir, owfp_match *m)
{
	owfp_dirstate *d = &f->dir[dir];
	owfp_dirstate old = *d;
	d->match = NULL;
	d->stages = NULL;
	d->sls = NULL;
	d->nstages = d->nsl = 0;
	if (owfp_pipeline_build(f, dir, m, f->key.midstream)) {
		owfp_match_release(m);
		*d = old;
		return;
	}
	for (unsigned i = 0; i < d->nstages; i++)
		carry(old.stages, old.nstages, &d->stages[i]);
	owfp_dirstate tmp = *d;
	*d = old;
	owfp_pipeline_free(f, dir); /* quiescent: frees only the structure */
	tmp.fin_source = old.fin_source;
	tmp.ended = old.ended;
	tmp.paused = old.paused;
	tmp.src_bytes = old.src_bytes;
	tmp.held = old.held;
	tmp.inj_bytes = old.inj_bytes;
	tmp.rematch = false;
	*d = tmp;
}

void owfp_flow_check_generation(owfp_flow *f)
{
	uint64_t gen = owfp_engine_generation(f->engine);
	bool pending = f->dir[0].rematch || f->dir[1].rematch;
	if (gen == f->generation && !pending)
		return;
	f->generation = gen;
	for (int dir = 0; dir < 2; dir++) {
		owfp_dirstate *d = &f->dir[dir];
		if (d->ended)
			continue;
		owfp_match *m = NULL;
		if (owfp_engine_match_stream(f->engine, &f->key, f->last_filter_id, &m))
			continue;
		apply_removals(f, dir, m);
		if (same_shape(d, m)) {
			d->rematch = false;
			owfp_match_release(m);
			continue;
		}
		d->rematch = true;
		if (owfp_pipeline_quiescent(f, dir))
			rebuild(f, dir, m);
		else
			owfp_match_release(m);
	}
}
