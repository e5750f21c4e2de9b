/*
 * The process memory limit as a flow sees it (docs/semantics.md, "Memory
 * limit"): what the flow holds (stages, sublayer queues, deferred and
 * injected bytes: its directions' `held`) is charged to the engine's one
 * account (util/memacct.h) as it changes; at the high mark a source asks
 * before reading and is paused, below the low mark it is woken; past the
 * limit a flow that still grew is dropped, fail closed, so that nothing is
 * released unchecked and nothing waits forever.
 */
#include <stdio.h>

#include "stream/flow.h"

static owfp_memacct *acct(owfp_flow *f)
{
	return owfp_engine_memacct(f->engine);
}

void owfp_flow_mem_charge(owfp_flow *f)
{
	size_t now = f->dir[0].held + f->dir[1].held;
	if (now > f->mem_charged)
		owfp_memacct_charge(acct(f), now - f->mem_charged);
	else if (now < f->mem_charged)
		owfp_memacct_release(acct(f), f->mem_charged - now);
	f->mem_charged = now;
}

/* The first stage holding bytes that it waits on, for the message. */
static const owfp_stage *holder(const owfp_flow *f)
{
	for (int dir = 0; dir < 2; dir++)
		for (unsigned i = 0; i < f->dir[dir].nstages; i++) {
			const owfp_stage *st = &f->dir[dir].stages[i];
			if (st->state != OWFP_ST_IDLE && st->in.len)
				return st;
		}
	return NULL;
}

static void drop_over(owfp_flow *f, size_t held)
{
	owfp_memacct *a = acct(f);
	const owfp_stage *st = holder(f);
	const char *callout = st && st->d.callout ? st->d.callout->name : NULL;
	char detail[320]; /* room for every number and a callout name of up to 64 characters */
	snprintf(detail, sizeof(detail),
		 "process memory limit (%zu bytes) reached: %zu held in all, %zu by this flow%s%.64s%s",
		 owfp_memacct_limit(a), owfp_memacct_used(a), held, callout ? " (callout '" : "",
		 callout ? callout : "",
		 callout ? (st->state == OWFP_ST_WAIT ? "' waits for more data)" : "' deferred)")
			 : "");
	owfp_engine_count(f->engine, OWFP_COUNT_LIMIT, -1, 1);
	owfp_flow_emit(f, OWFP_EV_LIMIT, -1, st, held, detail);
	owfp_engine_log(f->engine, OWFP_LOG_WARN, "flow %llu: %s; dropped (fail closed)",
			(unsigned long long)f->id, detail);
	owfp_flow_do_drop(f, OWFP_DROP_LIMIT, detail);
}

void owfp_flow_mem_check(owfp_flow *f)
{
	owfp_flow_mem_charge(f);
	size_t held = f->mem_charged;
	bool grew = held > f->mem_base;
	f->mem_base = held;
	if (!grew || owfp_flow_is_dropped(f) || owfp_flow_is_ended(f) ||
	    owfp_memacct_level(acct(f)) != OWFP_MEM_OVER)
		return;
	drop_over(f, held);
	owfp_flow_mem_charge(f);
	f->mem_base = f->mem_charged;
}

void owfp_flow_mem_close(owfp_flow *f)
{
	owfp_memacct_cancel(acct(f), &f->memwait);
	f->dir[0].mem_paused = f->dir[1].mem_paused = false;
	if (f->mem_charged)
		owfp_memacct_release(acct(f), f->mem_charged);
	f->mem_charged = f->mem_base = 0;
}

/* Runs with the account's mutex held: only queue work for the flow. */
static void mem_wake(void *arg)
{
	owfp_flow *f = arg;
	if (f->ops->wake)
		f->ops->wake(f->dp, f);
}

static bool waits_for_bytes(const owfp_flow *f);

bool owfp_flow_mem_paused(owfp_flow *f, int dir)
{
	owfp_dirstate *d = &f->dir[dir];
	/* A callout began to wait for bytes since the pause: as in
	 * owfp_flow_may_read, neither source stays paused. */
	if ((f->dir[0].mem_paused || f->dir[1].mem_paused) && waits_for_bytes(f)) {
		owfp_memacct_cancel(acct(f), &f->memwait);
		f->dir[0].mem_paused = f->dir[1].mem_paused = false;
	}
	/* Still above the low mark: stay queued (a wake-up may have come
	 * and gone while others took the room first). */
	if (d->mem_paused && !owfp_memacct_wait(acct(f), &f->memwait, mem_wake, f))
		d->mem_paused = false;
	return d->mem_paused;
}

/* A callout of `dir` holds bytes and waits for more to decide: pausing the
 * source could never free them, so it may read (and is dropped past the
 * limit instead). Bytes stop at a deferred stage, so one before it wins. */
static bool dir_waits_for_bytes(const owfp_flow *f, int dir)
{
	const owfp_dirstate *d = &f->dir[dir];
	for (unsigned i = 0; i < d->nstages; i++) {
		const owfp_stage *st = &d->stages[i];
		if (st->state == OWFP_ST_DEFERRED)
			return false;
		if (st->state == OWFP_ST_WAIT && st->in.len)
			return true;
	}
	return false;
}

/* Either direction: a callout may wait on the other one's bytes (an
 * Upgrade request held until the server's 101), and pausing that source
 * would keep the held bytes, and every source paused with them, for good. */
static bool waits_for_bytes(const owfp_flow *f)
{
	return dir_waits_for_bytes(f, OWFP_DIR_INBOUND) || dir_waits_for_bytes(f, OWFP_DIR_OUTBOUND);
}

bool owfp_flow_may_read(owfp_flow *f, int dir)
{
	if (!f || (dir != OWFP_DIR_INBOUND && dir != OWFP_DIR_OUTBOUND))
		return true;
	owfp_dirstate *d = &f->dir[dir];
	if (owfp_flow_is_dropped(f) || owfp_flow_is_ended(f) || d->ended)
		return true;
	if (!d->mem_paused) {
		if (owfp_memacct_level(acct(f)) == OWFP_MEM_OK || waits_for_bytes(f))
			return true;
		if (!owfp_memacct_wait(acct(f), &f->memwait, mem_wake, f))
			return true; /* fell below the low mark meanwhile */
		d->mem_paused = true;
		owfp_engine_log(f->engine, OWFP_LOG_DEBUG,
				"flow %llu: source of %s paused: process memory at %zu of %zu bytes",
				(unsigned long long)f->id,
				dir == OWFP_DIR_INBOUND ? "inbound" : "outbound",
				owfp_memacct_used(acct(f)), owfp_memacct_limit(acct(f)));
	}
	owfp_defer_pause_check(f); /* tells the data path (ops->pause) */
	return !d->mem_paused;
}
