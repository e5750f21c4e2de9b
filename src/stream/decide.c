/*
 * Decoding a stream callout's answer (S29–S45, Q2–Q3, Q6–Q7, Q10, Q17):
 * a pure function from what the callout wrote to what the pipeline does.
 * Every invalid answer maps to a documented fail-closed verdict and names
 * the rule, so the caller can count and report the violation.
 */
#include "stream/flow.h"

static void set(owfp_decision *d, enum owfp_verdict v, size_t n)
{
	d->v = v;
	d->n = n;
}

static void violate(owfp_decision *d, const char *rule, const char *what)
{
	if (!d->rule) {
		d->rule = rule;
		d->what = what;
	}
}

/* S30: what actionType means for this filter type when streamAction is NONE. */
static enum owfp_verdict action_verdict(FWP_ACTION_TYPE filter_action, FWP_ACTION_TYPE a,
					owfp_decision *d)
{
	switch (filter_action) {
	case FWP_ACTION_CALLOUT_TERMINATING:
		if (a == FWP_ACTION_PERMIT)
			return OWFP_V_PERMIT;
		if (a != FWP_ACTION_BLOCK)
			violate(d, "S30", "terminating callout returned neither PERMIT nor BLOCK");
		return OWFP_V_BLOCK;
	case FWP_ACTION_CALLOUT_INSPECTION:
		if (a != FWP_ACTION_CONTINUE)
			violate(d, "S30", "inspection callout returned other than CONTINUE");
		return OWFP_V_CONTINUE;
	default: /* CALLOUT_UNKNOWN */
		if (a == FWP_ACTION_PERMIT)
			return OWFP_V_PERMIT;
		if (a == FWP_ACTION_BLOCK)
			return OWFP_V_BLOCK;
		if (a != FWP_ACTION_CONTINUE)
			violate(d, "S30",
				"unknown-type callout returned an action other than PERMIT/BLOCK/CONTINUE");
		return OWFP_V_CONTINUE;
	}
}

static void need_more(const owfp_indication *ind, UINT32 required, owfp_decision *d)
{
	if (ind->urgent) { /* Q17: urgent data is never held */
		set(d, OWFP_V_PERMIT, ind->len);
		return;
	}
	if (ind->out_flags &
	    (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA | FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED)) {
		violate(d, "Q6", "NEED_MORE_DATA after NO_MORE_DATA or BUFFER_LIMIT_REACHED");
		set(d, OWFP_V_BLOCK, ind->len);
		return;
	}
	if (required == 0) {
		violate(d, "Q2", "NEED_MORE_DATA with countBytesRequired = 0");
		required = 1;
	}
	set(d, OWFP_V_NEED_MORE, ind->len);
	d->required = required;
}

void owfp_decide(FWP_ACTION_TYPE filter_action, const owfp_indication *ind,
		 const FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_CLASSIFY_OUT0 *out,
		 owfp_decision *d)
{
	d->rule = d->what = NULL;
	d->required = 0;
	d->drop_why = OWFP_DROP_CALLOUT;
	bool inspection = filter_action == FWP_ACTION_CALLOUT_INSPECTION;

	switch (io->streamAction) {
	case FWPS_STREAM_ACTION_NONE: {
		enum owfp_verdict v = action_verdict(filter_action, out->actionType, d);
		size_t n = io->countBytesEnforced;
		if (n == 0) /* S34 */
			n = ind->len;
		if (n > ind->len) {
			violate(d, "Q3", "countBytesEnforced larger than dataLength");
			n = ind->len;
		}
		set(d, v, n);
		return;
	}
	case FWPS_STREAM_ACTION_NEED_MORE_DATA:
		need_more(ind, io->countBytesRequired, d);
		return;
	case FWPS_STREAM_ACTION_DROP_CONNECTION:
		if (inspection) /* S39: ignored, CONTINUE over the whole indication */
			set(d, OWFP_V_CONTINUE, ind->len);
		else
			set(d, OWFP_V_DROP, ind->len);
		return;
	case FWPS_STREAM_ACTION_DEFER:
		if (ind->urgent) {
			set(d, OWFP_V_PERMIT, ind->len);
			return;
		}
		if (ind->len == 0 || ind->fin) {
			violate(d, "Q7", "DEFER on an empty or FIN indication");
			set(d, inspection ? OWFP_V_CONTINUE : OWFP_V_PERMIT, ind->len);
			return;
		}
		if (ind->dir != OWFP_DIR_INBOUND) {
			violate(d, "Q7", "DEFER on outbound data");
			need_more(ind, 1, d);
			return;
		}
		set(d, OWFP_V_DEFER, ind->len);
		return;
	case FWPS_STREAM_ACTION_ALLOW_CONNECTION:
		set(d, OWFP_V_ALLOW, ind->len);
		return;
	default:
		violate(d, "Q10", "streamAction out of range");
		set(d, OWFP_V_DROP, ind->len);
		d->drop_why = OWFP_DROP_VIOLATION;
		return;
	}
}
