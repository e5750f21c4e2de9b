/* Building a direction's stages from the engine's match, and running them. */
#include <stdlib.h>
#include <string.h>

#include "stream/flow.h"
#include "util/alloc.h"

static bool callout_excluded_midstream(const owfp_stage_desc *sd)
{
	if (!(sd->filter.action.type & FWP_ACTION_FLAG_CALLOUT) || !sd->callout)
		return false;
	return !(sd->callout->flags & FWP_CALLOUT_FLAG_ALLOW_MID_STREAM_INSPECTION);
}

int owfp_pipeline_build(owfp_flow *f, int dir, owfp_match *m, bool midstream_all)
{
	owfp_dirstate *d = &f->dir[dir];
	unsigned n = (unsigned)m->nstages;
	/* One block for the stages and their sublayers (at most one per
	 * stage): one allocation per direction and flow, not two. */
	_Static_assert(sizeof(owfp_stage) % _Alignof(owfp_sublayer) == 0,
		       "sublayers follow the stages in one block");
	owfp_stage *st = NULL;
	unsigned cap = n;
	if (n && f->spare[dir] && f->spare_cap[dir] >= n) {
		/* The block a pooled or rebuilt flow kept: no allocation. */
		st = f->spare[dir];
		cap = f->spare_cap[dir];
		f->spare[dir] = NULL;
		memset(st, 0, n * (sizeof(*st) + sizeof(owfp_sublayer)));
	} else if (n && !(st = owfp_calloc(n, sizeof(*st) + sizeof(owfp_sublayer)))) {
		return -1;
	}
	owfp_sublayer *sls = n ? (owfp_sublayer *)(st + n) : NULL;
	unsigned nsl = 0;
	for (unsigned i = 0; i < n; i++) {
		owfp_stage *s = &st[i];
		s->d = m->stages[i];
		s->idx = i;
		s->dir = dir;
		owfp_chain_init(&s->in);
		if (i == 0 || m->stages[i].sublayer_index != m->stages[i - 1].sublayer_index) {
			sls[nsl].first = i;
			owfp_chain_init(&sls[nsl].out);
			nsl++;
		}
		s->sl = nsl - 1;
		sls[nsl - 1].last = i;
		/* S81: a flow picked up mid-stream, or a filter newer than the
		 * flow, is classified only by callouts that allow it. */
		bool mid = midstream_all || s->d.added_after_flow;
		if (mid && callout_excluded_midstream(&s->d))
			s->skip = true;
		else if (mid && s->d.callout)
			s->midstream_flag = true;
	}
	d->match = m;
	d->stages = st;
	d->nstages = n;
	d->sls = sls;
	d->nsl = nsl;
	d->stage_cap = cap;
	return 0;
}

void owfp_pipeline_free(owfp_flow *f, int dir)
{
	owfp_dirstate *d = &f->dir[dir];
	for (unsigned i = 0; i < d->nstages; i++)
		owfp_chain_clear(&d->stages[i].in, &f->pool);
	for (unsigned i = 0; i < d->nsl; i++)
		owfp_sublayer_clear(f, &d->sls[i]);
	/* The block (the sublayers too) is kept for the next pipeline. */
	if (d->stages && !f->spare[dir]) {
		f->spare[dir] = d->stages;
		f->spare_cap[dir] = d->stage_cap;
	} else {
		free(d->stages);
	}
	d->stages = NULL;
	d->stage_cap = 0;
	d->sls = NULL;
	d->nstages = d->nsl = 0;
	if (d->match)
		owfp_match_release(d->match);
	d->match = NULL;
}

void owfp_stage_in_push(owfp_flow *f, owfp_stage *st, owfp_chain *c)
{
	owfp_bnode *n;
	while ((n = owfp_chain_pop(c))) {
		size_t len = owfp_bnode_len(n);
		if (len == 0 && (!owfp_chain_empty(&st->in) || st->state != OWFP_ST_IDLE)) {
			owfp_bnode_free(&f->pool, n); /* an empty indication behind bytes: absorbed */
			continue;
		}
		if (n->flags & OWFP_BN_URGENT)
			st->urgent_nodes++;
		if (n->flags & OWFP_BN_PUSH)
			st->push = true;
		owfp_chain_push(&st->in, n);
	}
}

void owfp_stage_set_eof(owfp_flow *f, int dir, unsigned from, unsigned to, bool fin)
{
	owfp_dirstate *d = &f->dir[dir];
	for (unsigned i = from; i <= to && i < d->nstages; i++) {
		d->stages[i].eof = true;
		if (fin)
			d->stages[i].fin_in = true;
	}
}

owfp_stage *owfp_pipeline_stage_for(owfp_flow *f, int dir, UINT32 callout_id)
{
	owfp_dirstate *d = &f->dir[dir];
	for (unsigned i = 0; i < d->nstages; i++) {
		owfp_stage *st = &d->stages[i];
		if (st->d.callout && st->d.callout->id == callout_id && !st->removed && !st->skip)
			return st;
	}
	return NULL;
}

void owfp_pipeline_run_dir(owfp_flow *f, int dir)
{
	owfp_dirstate *d = &f->dir[dir];
	for (unsigned i = 0; i < d->nstages && !owfp_flow_is_dropped(f); i++) {
		owfp_stage *st = &d->stages[i];
		while (!owfp_flow_is_dropped(f) && owfp_stage_ready(f, st))
			owfp_stage_step(f, st);
	}
}

bool owfp_pipeline_quiescent(const owfp_flow *f, int dir)
{
	const owfp_dirstate *d = &f->dir[dir];
	if (d->fin_source && !d->ended)
		return false;
	for (unsigned i = 0; i < d->nstages; i++) {
		const owfp_stage *st = &d->stages[i];
		if (!owfp_chain_empty(&st->in) || st->state != OWFP_ST_IDLE || st->fin_in ||
		    st->fin_held)
			return false;
	}
	for (unsigned i = 0; i < d->nsl; i++)
		if (d->sls[i].out.head || d->sls[i].inj_head)
			return false;
	return true;
}
