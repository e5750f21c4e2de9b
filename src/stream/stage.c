/*
 * One stage: presenting what waits at a filter to its callout and carrying
 * out the decoded answer (S32–S52, S104–S105).
 */
#include <stdlib.h>
#include <string.h>

#include "stream/flow.h"
#include "util/alloc.h"

static size_t buffer_limit(const owfp_flow *f)
{
	return f->opts.buffer_limit;
}

bool owfp_flow_bypassed(const owfp_flow *f, UINT64 filter_id)
{
	for (size_t i = 0; i < f->nbypass; i++)
		if (f->bypass[i] == filter_id)
			return true;
	return false;
}

static bool is_callout_action(FWP_ACTION_TYPE a)
{
	return (a & FWP_ACTION_FLAG_CALLOUT) != 0;
}

/*
 * Stages that act without a classify: deleted or bypassed filters, static
 * PERMIT/BLOCK filters, unregistered callouts (S70), CONDITIONAL_ON_FLOW
 * callouts without a context (S79), mid-stream exclusions (S81).
 * False means the callout is to be called: `g`, when not NULL, has then
 * entered it (owfp_callout_classify_enter, S72a) and the caller leaves
 * after the call; NULL only asks (no call follows).
 */
static bool stage_auto(owfp_flow *f, const owfp_stage *st, enum owfp_verdict *v,
		       owfp_classify_guard *g)
{
	FWP_ACTION_TYPE a = st->d.filter.action.type;
	bool inspection = a == FWP_ACTION_CALLOUT_INSPECTION;
	if (st->removed || st->skip) {
		*v = OWFP_V_CONTINUE;
		return true;
	}
	if (owfp_flow_bypassed(f, st->d.filter.filterId)) {
		*v = inspection ? OWFP_V_CONTINUE : OWFP_V_PERMIT;
		return true;
	}
	if (!is_callout_action(a)) {
		*v = a == FWP_ACTION_BLOCK ? OWFP_V_BLOCK : OWFP_V_PERMIT;
		return true;
	}
	owfp_callout *c = st->d.callout;
	if (!c || !(g ? owfp_callout_classify_enter(c, g) : atomic_load(&c->registered))) {
		if (inspection)
			*v = OWFP_V_CONTINUE;
		else if (st->d.filter.flags & FWPS_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED)
			*v = OWFP_V_PERMIT;
		else
			*v = OWFP_V_BLOCK;
		return true;
	}
	if (c->flags & FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW) {
		bool found = false;
		owfp_flow_context_get(f, st->d.layer_id, c->id, &found);
		if (!found) {
			if (g)
				owfp_callout_classify_leave(g);
			*v = OWFP_V_CONTINUE;
			return true;
		}
	}
	return false;
}

bool owfp_stage_ready(owfp_flow *f, owfp_stage *st)
{
	if (st->state == OWFP_ST_DEFERRED)
		return false;
	if (owfp_chain_empty(&st->in)) {
		if (st->state == OWFP_ST_WAIT)
			st->state = OWFP_ST_IDLE;
		return st->fin_in;
	}
	if (st->state == OWFP_ST_WAIT) {
		return st->in.len >= st->threshold || st->in.len >= buffer_limit(f) || st->eof ||
		       st->urgent_nodes > 0;
	}
	return true;
}

static void missed_add(owfp_flow *f, owfp_stage *st, size_t n, bool blocked)
{
	owfp_dirstate *d = &f->dir[st->dir];
	unsigned last = d->sls[st->sl].last;
	if (blocked && f->opts.missed_mode == OWFP_MISSED_INCLUDE_UPPER)
		last = d->nstages - 1;
	for (unsigned i = st->idx + 1; i <= last; i++)
		d->stages[i].missed += n;
}

static void callout_bytes(const owfp_stage *st, enum owfp_verdict v, size_t n)
{
	owfp_callout *c = st->d.callout;
	if (!c || !n)
		return;
	if (v == OWFP_V_PERMIT)
		OWFP_SLOT_ADD(c->counts, bytes_permitted, n);
	else if (v == OWFP_V_BLOCK)
		OWFP_SLOT_ADD(c->counts, bytes_blocked, n);
	else if (v == OWFP_V_CONTINUE)
		OWFP_SLOT_ADD(c->counts, bytes_continued, n);
}

/* Sends decided bytes where the verdict says (S35–S37). */
static void route(owfp_flow *f, owfp_stage *st, enum owfp_verdict v, owfp_chain *c)
{
	owfp_dirstate *d = &f->dir[st->dir];
	owfp_sublayer *s = &d->sls[st->sl];
	if (c->tail)
		st->cursor = c->tail->label + owfp_bnode_len(c->tail);
	size_t n = c->len;
	switch (v) {
	case OWFP_V_CONTINUE:
		if (st->idx < s->last)
			owfp_stage_in_push(f, &d->stages[st->idx + 1], c);
		else
			owfp_sublayer_accept(f, st->dir, st->sl, c, false);
		break;
	case OWFP_V_BLOCK:
		missed_add(f, st, n, true);
		owfp_sublayer_accept(f, st->dir, st->sl, c, true);
		break;
	default:
		missed_add(f, st, n, false);
		owfp_sublayer_accept(f, st->dir, st->sl, c, false);
		break;
	}
}

/* The end indication leaves a stage (S46, S57, S107). */
static void fin_route(owfp_flow *f, owfp_stage *st, enum owfp_verdict v)
{
	owfp_dirstate *d = &f->dir[st->dir];
	owfp_sublayer *s = &d->sls[st->sl];
	st->fin_in = false;
	if (v == OWFP_V_BLOCK) {
		st->fin_held = true;
		return;
	}
	st->done = true;
	if (v == OWFP_V_CONTINUE && st->idx < s->last) {
		owfp_stage_set_eof(f, st->dir, st->idx + 1, st->idx + 1, true);
		return;
	}
	if (st->idx < s->last)
		owfp_stage_set_eof(f, st->dir, st->idx + 1, s->last, false);
	owfp_sublayer_release_fin(f, st->dir, st->sl);
}

void owfp_stage_release_fin(owfp_flow *f, owfp_stage *st)
{
	st->fin_held = false;
	st->fin_in = true;
	fin_route(f, st, OWFP_V_PERMIT);
}

static void take_route(owfp_flow *f, owfp_stage *st, enum owfp_verdict v, size_t n)
{
	owfp_chain tmp;
	owfp_chain_init(&tmp);
	if (owfp_chain_take(&st->in, n, &tmp, &f->pool)) {
		owfp_flow_do_drop(f, OWFP_DROP_LIMIT, "out of memory splitting held data");
		return;
	}
	for (owfp_bnode *x = tmp.head; x; x = owfp_bnode_next(x))
		if (x->flags & OWFP_BN_URGENT)
			st->urgent_nodes--;
	if (owfp_chain_empty(&st->in))
		st->push = false;
	route(f, st, v, &tmp);
}

void owfp_stage_flush(owfp_flow *f, owfp_stage *st, enum owfp_verdict v)
{
	if (st->state == OWFP_ST_DEFERRED)
		f->ndeferred--;
	st->state = OWFP_ST_IDLE;
	if (!owfp_chain_empty(&st->in))
		take_route(f, st, v, st->in.len ? st->in.len : 0);
	/* Markers left over (empty indications) go the same way. */
	while (st->in.head) {
		owfp_chain one;
		owfp_chain_init(&one);
		owfp_chain_push(&one, owfp_chain_pop(&st->in));
		route(f, st, v, &one);
	}
	st->push = false;
	st->urgent_nodes = 0;
	if (st->fin_in)
		fin_route(f, st, v == OWFP_V_BLOCK ? OWFP_V_PERMIT : v);
	else if (st->fin_held && v != OWFP_V_BLOCK)
		owfp_stage_release_fin(f, st);
}

/* ALLOW_CONNECTION (S40, Q12): this filter is bypassed in both directions. */
static void allow(owfp_flow *f, owfp_stage *st)
{
	UINT64 id = st->d.filter.filterId;
	if (!owfp_flow_bypassed(f, id)) {
		UINT64 *nb = owfp_realloc(f->bypass, (f->nbypass + 1) * sizeof(*nb));
		if (!nb) {
			owfp_flow_do_drop(f, OWFP_DROP_LIMIT,
					  "out of memory recording ALLOW_CONNECTION");
			return;
		}
		f->bypass = nb;
		f->bypass[f->nbypass++] = id;
	}
	owfp_flow_emit(f, OWFP_EV_ALLOW, st->dir, st, 0, NULL);
	f->repump = true; /* stages of the other direction may have moved */
	for (int dir = 0; dir < 2; dir++) {
		owfp_dirstate *d = &f->dir[dir];
		for (unsigned i = 0; i < d->nstages; i++) {
			owfp_stage *o = &d->stages[i];
			if (o == st || o->d.filter.filterId != id)
				continue;
			/* Held bytes of the same filter in the other direction go on. */
			if (o->state != OWFP_ST_IDLE || !owfp_chain_empty(&o->in) || o->fin_held)
				owfp_stage_flush(f, o,
						 o->d.filter.action.type == FWP_ACTION_CALLOUT_INSPECTION
							 ? OWFP_V_CONTINUE
							 : OWFP_V_PERMIT);
		}
	}
	bool any = false;
	for (int dir = 0; dir < 2 && !any; dir++) {
		owfp_dirstate *d = &f->dir[dir];
		for (unsigned i = 0; i < d->nstages && !any; i++) {
			enum owfp_verdict v;
			if (!stage_auto(f, &d->stages[i], &v, NULL))
				any = true;
		}
	}
	if (!any && !f->offloaded) {
		f->offloaded = true;
		if (f->ops->offload)
			f->ops->offload(f->dp, f);
	}
}

/* The run presented next: held and new bytes up to an urgent boundary (Q17). */
static void next_run(owfp_flow *f, owfp_stage *st, owfp_indication *ind, bool *marker)
{
	memset(ind, 0, sizeof(*ind));
	ind->dir = st->dir;
	*marker = false;
	bool followed_by_urgent = false;
	bool push = st->push;
	owfp_bnode *h = st->in.head;
	if (!h) {
		ind->fin = true;
	} else if (st->in.len == 0) {
		*marker = true;
	} else if (st->urgent_nodes == 0) {
		ind->len = st->in.len;
	} else {
		/* Urgent bytes are waiting: find the run's end, and its PUSH
		 * from its own nodes (this walk is only done here). */
		bool urgent = false;
		owfp_bnode *x = h;
		while (x && owfp_bnode_len(x) == 0)
			x = owfp_bnode_next(x);
		urgent = x && (x->flags & OWFP_BN_URGENT);
		push = false;
		for (; x; x = owfp_bnode_next(x)) {
			if (!!(x->flags & OWFP_BN_URGENT) != urgent) {
				followed_by_urgent = !urgent;
				break;
			}
			ind->len += owfp_bnode_len(x);
			push |= (x->flags & OWFP_BN_PUSH) != 0;
		}
		ind->urgent = urgent;
	}
	UINT32 flags = owfp_dir_flag(st->dir);
	bool in = st->dir == OWFP_DIR_INBOUND;
	if (ind->urgent)
		flags |= in ? FWPS_STREAM_FLAG_RECEIVE_EXPEDITED : FWPS_STREAM_FLAG_SEND_EXPEDITED;
	if (push && !ind->fin)
		flags |= in ? FWPS_STREAM_FLAG_RECEIVE_PUSH : FWPS_STREAM_FLAG_SEND_NODELAY;
	if (ind->fin)
		flags |= in ? FWPS_STREAM_FLAG_RECEIVE_DISCONNECT : FWPS_STREAM_FLAG_SEND_DISCONNECT;
	ind->stream_flags = flags;
	if (st->eof && (ind->fin || ind->len == st->in.len))
		ind->out_flags |= FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA;
	if (ind->len >= buffer_limit(f) || followed_by_urgent)
		ind->out_flags |= FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED;
}

static void count_action(owfp_callout *c, UINT32 sa)
{
	UINT32 i = sa < FWPS_STREAM_ACTION_TYPE_MAX ? sa : OWFP_STREAM_ACTIONS - 1;
	OWFP_SLOT_ADD(c->counts, stream_actions[i], 1);
}

void owfp_stage_classify(owfp_flow *f, owfp_stage *st, const owfp_indication *ind,
			 FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out)
{
	owfp_callout *c = st->d.callout;
	owfp_nbl_view_build(&st->view, &st->in, ind->len, ind->stream_flags);
	st->view.nbl.OwfpContext = &f->pool;
	memset(io, 0, sizeof(*io));
	io->streamData = &st->view.sd;
	io->missedBytes = st->missed;
	io->streamAction = FWPS_STREAM_ACTION_NONE;
	if (st->missed)
		owfp_flow_emit(f, OWFP_EV_MISSED, st->dir, st, st->missed, NULL);
	st->missed = 0;

	FWPS_INCOMING_METADATA_VALUES0 meta;
	memset(&meta, 0, sizeof(meta));
	meta.currentMetadataValues = FWPS_METADATA_FIELD_FLOW_HANDLE |
				     FWPS_METADATA_FIELD_SYSTEM_FLAGS;
	meta.flowHandle = f->id;
	if (st->midstream_flag)
		meta.flags |= FWPS_INCOMING_FLAG_MID_STREAM_INSPECTION;
	st->midstream_flag = false;

	memset(out, 0, sizeof(*out));
	out->actionType = FWP_ACTION_CONTINUE;
	out->rights = FWPS_RIGHT_ACTION_WRITE;
	out->flags = ind->out_flags;
	out->filterId = st->d.filter.filterId;

	OWFP_SLOT_ADD(c->counts, classify_calls, 1);
	OWFP_SLOT_ADD(c->counts, bytes_indicated, ind->len);
	UINT64 ctx = owfp_flow_classify_enter(f, st);
	owfp_callout_classify(c, &f->in_values, &meta, io, &st->d.filter, ctx, out);
	owfp_flow_classify_leave(f);
	count_action(c, io->streamAction);
}

static void emit_decision(owfp_flow *f, owfp_stage *st, const owfp_decision *d,
			  const FWPS_STREAM_CALLOUT_IO_PACKET0 *io)
{
	if (io->streamAction == FWPS_STREAM_ACTION_NONE && d->v == OWFP_V_CONTINUE)
		return;
	if (!f->opts.events)
		return;
	owfp_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.type = d->v == OWFP_V_NEED_MORE ? OWFP_EV_NEED_MORE_DATA
		  : d->v == OWFP_V_DEFER   ? OWFP_EV_DEFER
					   : OWFP_EV_DECISION;
	ev.flow_id = f->id;
	ev.dir = st->dir;
	ev.callout_id = st->d.callout ? st->d.callout->id : 0;
	ev.callout_name = st->d.callout ? st->d.callout->name : NULL;
	ev.filter_id = st->d.filter.filterId;
	ev.stream_action = io->streamAction;
	ev.action_type = d->v == OWFP_V_PERMIT  ? FWP_ACTION_PERMIT
			 : d->v == OWFP_V_BLOCK ? FWP_ACTION_BLOCK
						: FWP_ACTION_CONTINUE;
	ev.bytes = d->v == OWFP_V_NEED_MORE ? d->required : d->n;
	ev.offset = st->in.head ? st->in.head->label : st->cursor;
	owfp_engine_emit(f->engine, &ev);
}

static void apply(owfp_flow *f, owfp_stage *st, const owfp_indication *ind, bool marker,
		  const owfp_decision *d)
{
	enum owfp_verdict v = d->v;
	switch (v) {
	case OWFP_V_NEED_MORE: {
		if (ind->fin || marker) {
			/* An empty indication answered NEED_MORE_DATA: wait for bytes. */
			if (marker)
				owfp_bnode_free(&f->pool, owfp_chain_pop(&st->in));
			if (ind->fin) /* unreachable: NO_MORE_DATA is set (Q6) */
				fin_route(f, st, OWFP_V_BLOCK);
			return;
		}
		bool total = f->opts.nmd_mode == OWFP_NMD_TOTAL;
		size_t want = total ? d->required : ind->len + (size_t)d->required;
		if (want <= ind->len)
			want = ind->len + 1;
		st->threshold = want;
		st->state = OWFP_ST_WAIT;
		return;
	}
	case OWFP_V_DEFER:
		st->state = OWFP_ST_DEFERRED;
		f->ndeferred++;
		st->defer_flags = ind->stream_flags;
		st->deferred_at_ms = owfp_clock_ms();
		owfp_defer_record(f, st);
		return;
	case OWFP_V_DROP:
		owfp_flow_do_drop(f, d->drop_why, d->rule ? d->rule : "DROP_CONNECTION");
		return;
	case OWFP_V_ALLOW:
		v = st->d.filter.action.type == FWP_ACTION_CALLOUT_INSPECTION ? OWFP_V_CONTINUE
									      : OWFP_V_PERMIT;
		break;
	default:
		break;
	}
	st->state = OWFP_ST_IDLE;
	if (ind->fin) {
		fin_route(f, st, v);
	} else if (marker) {
		owfp_chain one;
		owfp_chain_init(&one);
		owfp_chain_push(&one, owfp_chain_pop(&st->in));
		route(f, st, v, &one);
	} else {
		callout_bytes(st, v, d->n);
		take_route(f, st, v, d->n);
	}
	if (d->v == OWFP_V_ALLOW && !owfp_flow_is_dropped(f))
		allow(f, st);
}

void owfp_stage_step(owfp_flow *f, owfp_stage *st)
{
	enum owfp_verdict av;
	owfp_classify_guard g;
	if (stage_auto(f, st, &av, &g)) {
		owfp_stage_flush(f, st, av);
		return;
	}
	owfp_indication ind;
	bool marker;
	next_run(f, st, &ind, &marker);
	FWPS_STREAM_CALLOUT_IO_PACKET0 io;
	FWPS_CLASSIFY_OUT0 out;
	owfp_defer_answer_begin(f, st);
	owfp_stage_classify(f, st, &ind, &io, &out);
	owfp_callout_classify_leave(&g);
	if (owfp_flow_is_dropped(f)) {
		owfp_defer_answer_end(f);
		return; /* FwpsFlowAbort0 from inside the classify (applied on return) */
	}
	owfp_decision d;
	owfp_decide(st->d.filter.action.type, &ind, &io, &out, &d);
	if (d.rule)
		owfp_flow_violation(f, st, d.rule, d.what);
	emit_decision(f, st, &d, &io);
	apply(f, st, &ind, marker, &d);
	owfp_defer_answer_end(f);
	if (!owfp_flow_is_dropped(f))
		owfp_sublayer_flush(f, st->dir, st->sl);
}

/* Q24: the ABORT indication; its answer changes nothing on the wire. */
void owfp_abort_present(owfp_flow *f, owfp_stage *st, UINT32 stream_flags)
{
	enum owfp_verdict v;
	owfp_classify_guard g;
	if (stage_auto(f, st, &v, &g))
		return;
	owfp_indication ind;
	memset(&ind, 0, sizeof(ind));
	ind.dir = st->dir;
	ind.fin = true;
	ind.stream_flags = stream_flags;
	ind.out_flags = FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA;
	FWPS_STREAM_CALLOUT_IO_PACKET0 io;
	FWPS_CLASSIFY_OUT0 out;
	owfp_stage_classify(f, st, &ind, &io, &out);
	owfp_callout_classify_leave(&g);
}
