/*
 * A flow's lifecycle: the table of allowed state changes and the one
 * function that makes them (flow.h, docs/architecture.md). Every other file
 * asks the state; none writes it. Keeping the changes in one place is what
 * lets the invariants below be checked at all: with one boolean per fact
 * (dropped, aborted, finished, closing, drop_requested) nothing said which
 * combinations could occur.
 */
#include <assert.h>

#include "stream/flow.h"

#define A(s) (1u << (s))

/* allowed[from]: the states it may change to. */
static const unsigned allowed[OWFP_FLOW_NSTATES] = {
	[OWFP_FLOW_OPEN] = A(OWFP_FLOW_DROP_PENDING) | A(OWFP_FLOW_ABORTED) | A(OWFP_FLOW_DROPPED) |
			   A(OWFP_FLOW_ENDED) | A(OWFP_FLOW_CLOSED),
	/* A second request inside the same callback names the newer reason. */
	[OWFP_FLOW_DROP_PENDING] = A(OWFP_FLOW_DROP_PENDING) | A(OWFP_FLOW_DROPPED) |
				   A(OWFP_FLOW_CLOSED),
	/* A FwpsFlowAbort0 queued before the RST still drops the flow. */
	[OWFP_FLOW_ABORTED] = A(OWFP_FLOW_DROPPED) | A(OWFP_FLOW_ENDED) | A(OWFP_FLOW_CLOSED),
	[OWFP_FLOW_DROPPED] = A(OWFP_FLOW_ENDED) | A(OWFP_FLOW_CLOSED),
	[OWFP_FLOW_ENDED] = A(OWFP_FLOW_CLOSED),
	[OWFP_FLOW_CLOSED] = 0,
};

bool owfp_flow_state_allowed(enum owfp_flow_state from, enum owfp_flow_state to)
{
	if ((unsigned)from >= OWFP_FLOW_NSTATES || (unsigned)to >= OWFP_FLOW_NSTATES)
		return false;
	return (allowed[from] & A(to)) != 0;
}

const char *owfp_flow_state_name(enum owfp_flow_state s)
{
	static const char *const names[OWFP_FLOW_NSTATES] = {
		"OPEN", "DROP_PENDING", "ABORTED", "DROPPED", "ENDED", "CLOSED",
	};
	return (unsigned)s < OWFP_FLOW_NSTATES ? names[s] : "?";
}

/* What must hold in `to` once entered (beyond what the table says). */
static bool entry_ok(const owfp_flow *f, enum owfp_flow_state to, enum owfp_drop_reason why)
{
	switch (to) {
	case OWFP_FLOW_DROP_PENDING:
	case OWFP_FLOW_DROPPED:
		return why != 0;
	case OWFP_FLOW_ENDED:
		/* Settled, aborted or dropped: no direction can still move bytes. */
		return f->dir[0].ended && f->dir[1].ended;
	default:
		return true;
	}
}

bool owfp_flow_transition(owfp_flow *f, enum owfp_flow_state to, enum owfp_drop_reason why)
{
	enum owfp_flow_state from = f->state;
	/* gone mirrors the state for other threads; drop_why is 0 until a drop. */
	assert(atomic_load(&f->gone) == (from >= OWFP_FLOW_ABORTED));
	assert(from == OWFP_FLOW_DROP_PENDING || from >= OWFP_FLOW_DROPPED || f->drop_why == 0);
	if (!owfp_flow_state_allowed(from, to) || !entry_ok(f, to, why)) {
		assert(!"forbidden flow state transition");
		owfp_engine_log(f->engine, OWFP_LOG_ERROR,
				"flow %llu: internal error: state %s -> %s refused; the flow is dropped "
				"(fail closed). Please report this.",
				(unsigned long long)f->id, owfp_flow_state_name(from),
				owfp_flow_state_name(to));
		if (from <= OWFP_FLOW_DROP_PENDING) {
			f->state = OWFP_FLOW_DROP_PENDING;
			f->drop_why = OWFP_DROP_VIOLATION;
			f->repump = true;
		}
		return false;
	}
	if (to == OWFP_FLOW_DROP_PENDING || to == OWFP_FLOW_DROPPED)
		f->drop_why = why;
	if (to >= OWFP_FLOW_ABORTED && from < OWFP_FLOW_ABORTED) {
		/* Under mu: FwpsFlowAssociateContext0 and FwpsStreamContinue0
		 * test gone and act under it. */
		pthread_mutex_lock(&f->mu);
		f->state = to;
		atomic_store(&f->gone, true);
		pthread_mutex_unlock(&f->mu);
	} else {
		f->state = to;
	}
	return true;
}

void owfp_flow_request_drop(owfp_flow *f, enum owfp_drop_reason why)
{
	if (f->state <= OWFP_FLOW_DROP_PENDING) {
		owfp_flow_transition(f, OWFP_FLOW_DROP_PENDING, why);
		f->repump = true;
	}
}

void owfp_flow_apply_pending_drop(owfp_flow *f)
{
	if (f->state == OWFP_FLOW_DROP_PENDING)
		owfp_flow_do_drop(f, f->drop_why,
				  f->drop_why == OWFP_DROP_ABORT   ? "FwpsFlowAbort0"
				  : f->drop_why == OWFP_DROP_LIMIT ? "injection limit"
								   : "internal error (fail closed)");
}
