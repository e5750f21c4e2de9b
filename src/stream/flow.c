/*
 * The flow object: creation (ALE_FLOW_ESTABLISHED, matching), events and
 * violations, drop, end and close. The data path entry points are in
 * indicate.c, the loop that runs stages and queued work in pump.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "stream/flow.h"
#include "util/alloc.h"

void owfp_flow_ref(owfp_flow *f)
{
	atomic_fetch_add(&f->refs, 1);
}

/* Drops work taken off the queue; injections in it complete with status. */
static void fail_work(owfp_flow *f, owfp_work *w, NTSTATUS status)
{
	while (w) {
		owfp_work *next = w->next;
		if (w->type == OWFP_WORK_INJECT)
			owfp_inject_fail(f, w->inj, status);
		free(w);
		w = next;
	}
}

static void flow_free(owfp_flow *f)
{
	/* Work another thread queued while the flow was being closed still
	 * owes its completions. */
	fail_work(f, owfp_flow_take_work(f), STATUS_CANCELLED);
	for (int dir = 0; dir < 2; dir++)
		owfp_pipeline_free(f, dir);
	owfp_inject_run_completions(f);
	owfp_defer_forget_all(f);
	owfp_bnode_pool_destroy(&f->pool);
	owfp_slab_writer_release(&f->writer);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	free(f->bypass);
	owfp_flow_pool_put(f->table, f);
}

void owfp_flow_unref(owfp_flow *f)
{
	if (atomic_fetch_sub(&f->refs, 1) == 1)
		flow_free(f);
}

uint64_t owfp_flow_id(const owfp_flow *flow)
{
	return flow->id;
}

void *owfp_flow_dp(const owfp_flow *flow)
{
	return flow->dp;
}

void owfp_flow_emit(owfp_flow *f, enum owfp_event_type t, int dir, const owfp_stage *st,
		    uint64_t bytes, const char *detail)
{
	if (!f->opts.events)
		return;
	owfp_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.type = t;
	ev.flow_id = f->id;
	ev.dir = dir;
	if (st) {
		ev.callout_id = st->d.callout ? st->d.callout->id : 0;
		ev.callout_name = st->d.callout ? st->d.callout->name : NULL;
		ev.filter_id = st->d.filter.filterId;
		ev.offset = st->cursor;
	}
	ev.bytes = bytes;
	ev.detail = detail;
	owfp_engine_emit(f->engine, &ev);
}

void owfp_flow_violation(owfp_flow *f, owfp_stage *st, const char *rule, const char *what)
{
	if (st && st->d.callout)
		OWFP_SLOT_ADD(st->d.callout->counts, violations, 1);
	owfp_engine_count(f->engine, OWFP_COUNT_VIOLATION, st ? st->dir : 0, 1);
	owfp_flow_emit(f, OWFP_EV_VIOLATION, st ? st->dir : -1, st, 0, rule);
	owfp_engine_log(f->engine, OWFP_LOG_WARN,
			"flow %llu: callout '%s' (filter %llu): %s; handled by rule %s",
			(unsigned long long)f->id, st && st->d.callout ? st->d.callout->name : "?",
			st ? (unsigned long long)st->d.filter.filterId : 0ULL, what, rule);
}

/* Everything the flow holds goes away; injections complete with `status`. */
void owfp_flow_discard_all(owfp_flow *f, NTSTATUS status)
{
	for (int dir = 0; dir < 2; dir++) {
		owfp_dirstate *d = &f->dir[dir];
		for (unsigned i = 0; i < d->nstages; i++) {
			owfp_stage *st = &d->stages[i];
			owfp_chain_clear(&st->in, &f->pool);
			st->state = OWFP_ST_IDLE;
			st->fin_in = st->fin_held = false;
			st->urgent_nodes = 0;
		}
		for (unsigned i = 0; i < d->nsl; i++)
			owfp_sublayer_clear(f, &d->sls[i]);
		d->held = 0;
		d->inj_bytes = 0;
	}
	owfp_defer_forget_all(f);
	f->ndeferred = 0;
	fail_work(f, owfp_flow_take_work(f), status);
	(void)status;
}

/* flowDeleteFn for every context, the count and the FLOW_END event. */
static void end_sequence(owfp_flow *f)
{
	owfp_flow_contexts_end(f);
	owfp_engine_count(f->engine, OWFP_COUNT_FLOW_ENDED, -1, 1);
	owfp_flow_emit(f, OWFP_EV_FLOW_END, -1, NULL, f->end_held,
		       owfp_flow_is_dropped(f) ? "dropped"
		       : f->end_held           ? "closed with bytes still held (discarded)"
					       : NULL);
}

void owfp_flow_end(owfp_flow *f)
{
	if (owfp_flow_is_ended(f) || !owfp_flow_transition(f, OWFP_FLOW_ENDED, 0))
		return;
	end_sequence(f);
}

void owfp_flow_do_drop(owfp_flow *f, enum owfp_drop_reason why, const char *detail)
{
	if (f->state >= OWFP_FLOW_DROPPED || !owfp_flow_transition(f, OWFP_FLOW_DROPPED, why))
		return;
	owfp_flow_discard_all(f, STATUS_CANCELLED);
	for (int dir = 0; dir < 2; dir++)
		f->dir[dir].ended = true;
	if (f->ops->drop)
		f->ops->drop(f->dp, f, why);
	owfp_engine_count(f->engine, OWFP_COUNT_FLOW_DROPPED, -1, 1);
	owfp_flow_emit(f, OWFP_EV_DROP, -1, NULL, 0, detail);
	owfp_engine_log(f->engine, OWFP_LOG_INFO, "flow %llu dropped: %s",
			(unsigned long long)f->id, detail ? detail : "");
}

bool owfp_flow_limit_check(owfp_flow *f, int dir)
{
	owfp_dirstate *d = &f->dir[dir];
	size_t bl = f->opts.buffer_limit;
	size_t kl = f->opts.defer_keep_limit;
	/* Each stage may hold one buffer limit; deferral adds its keep cap and
	 * a source that ignores pause() gets as much again before we give up. */
	size_t cap = bl * (d->nstages + 1) + 2 * kl;
	if (d->held <= cap)
		return true;
	owfp_engine_count(f->engine, OWFP_COUNT_LIMIT, dir, 1);
	owfp_flow_emit(f, OWFP_EV_LIMIT, dir, NULL, d->held,
		       "bytes held for the flow over the limit");
	owfp_flow_do_drop(f, OWFP_DROP_LIMIT, "held bytes over the limit");
	return false;
}

void owfp_flow_opts_copy(owfp_flow_opts *to, const owfp_engine_opts *o)
{
	to->buffer_limit = o->buffer_limit ? o->buffer_limit : (size_t)8 * 1024 * 1024;
	to->defer_keep_limit = o->defer_keep_limit ? o->defer_keep_limit : (size_t)8 * 1024 * 1024;
	to->inject_max = o->inject_outstanding_max ? o->inject_outstanding_max
						   : (size_t)64 * 1024 * 1024;
	to->defer_timeout_ms = o->defer_timeout_ms ? o->defer_timeout_ms : 60000u;
	to->nmd_mode = o->nmd_mode;
	to->missed_mode = o->missed_mode;
	to->events = o->event != NULL;
}

int owfp_flow_create(owfp_engine *engine, const owfp_flow_key *key, const owfp_flow_ops *ops,
		     void *dp, owfp_flow **out)
{
	if (!engine || !key || !ops || !out)
		return -EINVAL;
	if (key->family != AF_INET && key->family != AF_INET6)
		return -EAFNOSUPPORT;
	struct owfp_flow_table *table = owfp_flow_table_of(engine);
	if (!table)
		return -ENOMEM;
	owfp_flow *f = owfp_flow_pool_get(table);
	if (!f)
		return -ENOMEM;
	f->engine = engine;
	f->table = table;
	owfp_flow_opts_copy(&f->opts, owfp_engine_options(engine));
	f->key = *key;
	f->key.process_path = NULL; /* the caller's string; used at create only */
	f->ops = ops;
	f->dp = dp;
	atomic_init(&f->refs, 1);
	pthread_mutex_init(&f->mu, NULL);
	/* FwpsStreamContinue0's bounded wait (continue.c) is on the
	 * monotonic clock: a wall-clock step must not stretch it. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&f->cv, &ca);
	pthread_condattr_destroy(&ca);
	f->id = key->flow_id ? key->flow_id : owfp_engine_next_flow_id(engine);
	f->layer = key->family == AF_INET6 ? FWPS_LAYER_STREAM_V6 : FWPS_LAYER_STREAM_V4;
	owfp_engine_stream_values(&f->key, f->values, &f->v6_local, &f->v6_remote, &f->in_values);
	f->generation = owfp_engine_generation(engine);
	f->last_filter_id = owfp_engine_last_filter_id(engine);
	owfp_flow_table_insert(f->table, f);
	owfp_engine_count(engine, OWFP_COUNT_FLOW_CREATED, -1, 1);
	owfp_flow_emit(f, OWFP_EV_FLOW_START, -1, NULL, 0, NULL);

	owfp_match *m = NULL;
	int rc = owfp_engine_match_stream_values(engine, &f->in_values, f->last_filter_id, &m);
	if (rc == 0) {
		atomic_fetch_add(&m->refs, 1);
		if (owfp_pipeline_build(f, OWFP_DIR_INBOUND, m, key->midstream)) {
			owfp_match_release(m);
			rc = -ENOMEM;
		} else if (owfp_pipeline_build(f, OWFP_DIR_OUTBOUND, m, key->midstream)) {
			rc = -ENOMEM;
		}
	}
	if (rc) {
		if (m && !f->dir[OWFP_DIR_OUTBOUND].match)
			owfp_match_release(m);
		/* Never handed to the data path: closed, no end sequence. */
		owfp_flow_transition(f, OWFP_FLOW_CLOSED, 0);
		owfp_flow_table_remove(f->table, f);
		owfp_flow_unref(f);
		return rc;
	}

	/* ALE_FLOW_ESTABLISHED: callouts may associate stream contexts here. */
	f->depth++;
	owfp_flow *prev = owfp_flow_enter(f);
	owfp_flow_classify_enter(f, NULL);
	FWP_ACTION_TYPE a = owfp_engine_classify_flow_established(engine, key, f->id);
	owfp_flow_classify_leave(f);
	owfp_flow_leave(prev);
	f->depth--;
	*out = f;
	if (a == FWP_ACTION_BLOCK) {
		f->depth++;
		owfp_flow_do_drop(f, OWFP_DROP_CALLOUT, "blocked at ALE_FLOW_ESTABLISHED");
		f->depth--;
		owfp_flow_pump(f);
	}
	return 0;
}

void owfp_flow_close(owfp_flow *f)
{
	if (!f || f->state == OWFP_FLOW_CLOSED)
		return;
	f->depth++;
	owfp_flow *prev = owfp_flow_enter(f);
	bool ended = owfp_flow_is_ended(f);
	size_t held = f->dir[0].held + f->dir[1].held;
	if (!ended && held) {
		f->end_held = held; /* reported by the FLOW_END event (Q29) */
		owfp_engine_log(f->engine, OWFP_LOG_INFO, "flow %llu closed with %zu bytes held",
				(unsigned long long)f->id, held);
	}
	/* Allowed from every state but CLOSED: never refused here. */
	owfp_flow_transition(f, OWFP_FLOW_CLOSED, 0);
	owfp_flow_discard_all(f, STATUS_CANCELLED);
	owfp_inject_run_completions(f);
	if (!ended)
		end_sequence(f);
	owfp_flow_mem_close(f);
	owfp_flow_leave(prev);
	f->depth--;
	if (f->table)
		owfp_flow_table_remove(f->table, f);
	owfp_flow_unref(f);
}

NTSTATUS NTAPI FwpsFlowAbort0(UINT64 flowId)
{
	owfp_engine *e = owfp_registry_engine();
	if (!e)
		return STATUS_FWP_TCPIP_NOT_READY;
	owfp_flow *f = owfp_flow_table_find(e, flowId);
	if (!f)
		return STATUS_INVALID_PARAMETER;
	if (atomic_load(&f->gone)) {
		owfp_flow_unref(f);
		return STATUS_INVALID_PARAMETER;
	}
	if (owfp_flow_on_thread(f)) {
		/* From inside a callback of this flow: applied when it returns. */
		owfp_flow_request_drop(f, OWFP_DROP_ABORT);
		owfp_flow_unref(f);
		return STATUS_SUCCESS;
	}
	owfp_work *w = owfp_calloc(1, sizeof(*w));
	if (!w) {
		owfp_flow_unref(f);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	w->type = OWFP_WORK_ABORT;
	owfp_flow_queue(f, w);
	owfp_flow_unref(f);
	return STATUS_SUCCESS;
}
