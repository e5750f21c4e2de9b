/*
 * The deferred-flow timeout: a callout that answers DEFER and never calls
 * FwpsStreamContinue0 would otherwise stall that direction for as long as
 * the connection lives. The data path asks when the oldest deferral runs
 * out and, once it has, the flow is reset (fail closed, OWFP_DROP_LIMIT).
 */
#include <stdio.h>

#include "stream/flow.h"

static uint64_t defer_timeout(const owfp_flow *f)
{
	return f->opts.defer_timeout_ms;
}

/* The stage deferred the longest, or NULL. */
static owfp_stage *oldest_deferred(const owfp_flow *f)
{
	owfp_stage *best = NULL;
	if (!f->ndeferred || owfp_flow_is_dropped(f) || owfp_flow_is_ended(f))
		return NULL;
	for (int dir = 0; dir < 2; dir++) {
		const owfp_dirstate *d = &f->dir[dir];
		for (unsigned i = 0; i < d->nstages; i++) {
			owfp_stage *st = &d->stages[i];
			if (st->state == OWFP_ST_DEFERRED &&
			    (!best || st->deferred_at_ms < best->deferred_at_ms))
				best = st;
		}
	}
	return best;
}

uint64_t owfp_flow_defer_deadline_ms(const owfp_flow *f)
{
	const owfp_stage *st = oldest_deferred(f);
	if (!st)
		return 0;
	uint64_t t = defer_timeout(f);
	/* Never 0, which means "none"; saturate rather than wrap. */
	return st->deferred_at_ms > UINT64_MAX - t ? UINT64_MAX : st->deferred_at_ms + t;
}

int owfp_flow_expire(owfp_flow *f, uint64_t now_ms)
{
	if (!f || f->depth)
		return 0; /* from inside a callback: the data path retries later */
	owfp_stage *st = oldest_deferred(f);
	if (!st || now_ms < owfp_flow_defer_deadline_ms(f))
		return 0;
	unsigned long long ms = (unsigned long long)defer_timeout(f);
	const char *name = st->d.callout ? st->d.callout->name : "?";
	char detail[256];
	snprintf(detail, sizeof(detail),
		 "callout '%s' deferred longer than %llu ms without FwpsStreamContinue0", name, ms);

	f->depth++;
	owfp_flow *prev = owfp_flow_enter(f);
	if (st->d.callout)
		OWFP_SLOT_ADD(st->d.callout->counts, violations, 1);
	owfp_engine_count(f->engine, OWFP_COUNT_LIMIT, st->dir, 1);
	owfp_flow_emit(f, OWFP_EV_LIMIT, st->dir, st, st->in.len, detail);
	owfp_engine_log(f->engine, OWFP_LOG_WARN,
			"flow %llu: callout '%s' (filter %llu) deferred longer than %llu ms "
			"without FwpsStreamContinue0; flow reset (fail closed)",
			(unsigned long long)f->id, name, (unsigned long long)st->d.filter.filterId,
			ms);
	owfp_flow_do_drop(f, OWFP_DROP_LIMIT, detail);
	owfp_flow_leave(prev);
	f->depth--;
	owfp_flow_pump(f); /* ends the flow (flowDeleteFn) like any other drop */
	return 1;
}
