/*
 * The flow: creation (ALE_FLOW_ESTABLISHED, matching), the data path entry
 * points, the pump that runs stages and queued work, drop and end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "stream/flow.h"

void owfp_flow_ref(owfp_flow *f)
{
	atomic_fetch_add(&f->refs, 1);
}

static void flow_free(owfp_flow *f)
{
	/* Work another thread queued while the flow was being closed still
	 * owes its completions. */
	owfp_work *w = f->work_head;
	f->work_head = f->work_tail = NULL;
	while (w) {
		owfp_work *next = w->next;
		if (w->type == OWFP_WORK_INJECT)
			owfp_inject_fail(f, w->inj, STATUS_CANCELLED);
		free(w);
		w = next;
	}
	for (int dir = 0; dir < 2; dir++)
		owfp_pipeline_free(f, dir);
	owfp_inject_run_completions(f);
	owfp_defer_forget_all(f);
	owfp_bnode_pool_destroy(&f->pool);
	owfp_slab_writer_release(&f->writer);
	pthread_mutex_destroy(&f->mu);
	free(f->bypass);
	free(f);
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
	if (!owfp_engine_options(f->engine)->event)
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
		atomic_fetch_add(&st->d.callout->violations, 1);
	owfp_engine_count(f->engine, OWFP_COUNT_VIOLATION, st ? st->dir : 0, 1);
	owfp_flow_emit(f, OWFP_EV_VIOLATION, st ? st->dir : -1, st, 0, rule);
	owfp_engine_log(f->engine, OWFP_LOG_WARN,
			"flow %llu: callout '%s' (filter %llu): %s; handled by rule %s",
			(unsigned long long)f->id,
			st && st->d.callout ? st->d.callout->name : "?",
			st ? (unsigned long long)st->d.filter.filterId : 0ULL, what, rule);
}

/* Everything the flow holds goes away; injections complete with `status`. */
static void discard_all(owfp_flow *f, NTSTATUS status)
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
	pthread_mutex_lock(&f->mu);
	owfp_work *w = f->work_head;
	f->work_head = f->work_tail = NULL;
	atomic_store(&f->has_work, false);
	pthread_mutex_unlock(&f->mu);
	while (w) {
		owfp_work *next = w->next;
		if (w->type == OWFP_WORK_INJECT)
			owfp_inject_fail(f, w->inj, status);
		free(w);
		w = next;
	}
	(void)status;
}

void owfp_flow_end(owfp_flow *f)
{
	if (f->finished)
		return;
	f->finished = true;
	atomic_store(&f->gone, true);
	owfp_flow_contexts_end(f);
	owfp_engine_count(f->engine, OWFP_COUNT_FLOW_ENDED, -1, 1);
	owfp_flow_emit(f, OWFP_EV_FLOW_END, -1, NULL, f->end_held,
		       f->dropped    ? "dropped"
		       : f->end_held ? "closed with bytes still held (discarded)"
				     : NULL);
}

void owfp_flow_do_drop(owfp_flow *f, enum owfp_drop_reason why, const char *detail)
{
	if (f->dropped || f->finished)
		return;
	f->dropped = true;
	f->drop_why = why;
	pthread_mutex_lock(&f->mu);
	atomic_store(&f->gone, true);
	pthread_mutex_unlock(&f->mu);
	discard_all(f, STATUS_CANCELLED);
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
	const owfp_engine_opts *o = owfp_engine_options(f->engine);
	owfp_dirstate *d = &f->dir[dir];
	size_t bl = o->buffer_limit ? o->buffer_limit : 8u * 1024u * 1024u;
	size_t kl = o->defer_keep_limit ? o->defer_keep_limit : 8u * 1024u * 1024u;
	/* Each stage may hold one buffer limit; deferral adds its keep cap and
	 * a source that ignores pause() gets as much again before we give up. */
	size_t cap = bl * (d->nstages + 1) + 2 * kl;
	if (d->held <= cap)
		return true;
	owfp_engine_count(f->engine, OWFP_COUNT_LIMIT, dir, 1);
	owfp_flow_emit(f, OWFP_EV_LIMIT, dir, NULL, d->held, "bytes held for the flow over the limit");
	owfp_flow_do_drop(f, OWFP_DROP_LIMIT, "held bytes over the limit");
	return false;
}

static void process_work(owfp_flow *f)
{
	pthread_mutex_lock(&f->mu);
	owfp_work *w = f->work_head;
	f->work_head = f->work_tail = NULL;
	atomic_store(&f->has_work, false);
	pthread_mutex_unlock(&f->mu);
	while (w) {
		owfp_work *next = w->next;
		switch (w->type) {
		case OWFP_WORK_INJECT:
			owfp_inject_apply(f, w->inj, false);
			break;
		case OWFP_WORK_CONTINUE:
			if (!f->dropped)
				owfp_continue_apply(f, w->callout_id, w->stream_flags, w->flag_mismatch);
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
static void own_leftovers(owfp_flow *f)
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
	for (int guard = 0;; guard++) {
		f->repump = false;
		unsigned steps = 0;
		if (atomic_load(&f->has_work)) {
			process_work(f);
			steps++;
		}
		if (!f->dropped)
			owfp_flow_check_generation(f);
		for (int dir = 0; dir < 2 && !f->dropped; dir++)
			steps += owfp_pipeline_run_dir(f, dir);
		if (f->done_head) {
			owfp_inject_run_completions(f);
			steps++;
		}
		if (f->drop_requested && !f->dropped)
			owfp_flow_do_drop(f, f->drop_why, "FwpsFlowAbort0");
		if (!f->dropped)
			owfp_defer_pause_check(f);
		/* Bytes only move forward within a direction, so one pass is
		 * enough unless something set repump (ALLOW touching the other
		 * direction, a callback re-entering) or queued work. */
		if (!f->repump && !atomic_load(&f->has_work))
			break;
		(void)guard;
		(void)steps;
	}
	for (int dir = 0; dir < 2 && !f->dropped; dir++)
		owfp_flow_limit_check(f, dir);
	if (f->dropped && f->done_head)
		owfp_inject_run_completions(f);
	if (!f->finished && (f->dropped || settled(f)))
		owfp_flow_end(f);
	owfp_flow_leave(prev);
	f->depth--;
}

int owfp_flow_create(owfp_engine *engine, const owfp_flow_key *key,
		     const owfp_flow_ops *ops, void *dp, owfp_flow **out)
{
	if (!engine || !key || !ops || !out)
		return -EINVAL;
	if (key->family != AF_INET && key->family != AF_INET6)
		return -EAFNOSUPPORT;
	owfp_flow *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->engine = engine;
	f->table = owfp_engine_flow_table(engine);
	f->key = *key;
	f->ops = ops;
	f->dp = dp;
	atomic_init(&f->refs, 1);
	pthread_mutex_init(&f->mu, NULL);
	f->id = owfp_engine_next_flow_id(engine);
	f->layer = key->family == AF_INET6 ? FWPS_LAYER_STREAM_V6 : FWPS_LAYER_STREAM_V4;
	owfp_engine_stream_values(&f->key, f->values, &f->v6_local, &f->v6_remote, &f->in_values);
	f->generation = owfp_engine_generation(engine);
	f->last_filter_id = owfp_engine_last_filter_id(engine);
	if (f->table)
		owfp_flow_table_insert(f->table, f);
	owfp_engine_count(engine, OWFP_COUNT_FLOW_CREATED, -1, 1);
	owfp_flow_emit(f, OWFP_EV_FLOW_START, -1, NULL, 0, NULL);

	owfp_match *m = NULL;
	int rc = owfp_engine_match_stream(engine, key, f->last_filter_id, &m);
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
		f->finished = true;
		atomic_store(&f->gone, true);
		if (f->table)
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

static int entry_check(owfp_flow *f, int dir)
{
	if (dir != OWFP_DIR_INBOUND && dir != OWFP_DIR_OUTBOUND)
		return -EINVAL;
	if (f->dropped || f->finished || f->aborted || f->dir[dir].fin_source)
		return -EPIPE;
	return 0;
}

int owfp_flow_indicate(owfp_flow *f, int dir, const uint8_t *data, size_t len,
		       uint32_t seg_flags, uint64_t missed_before)
{
	int rc = entry_check(f, dir);
	if (rc)
		return rc;
	owfp_dirstate *d = &f->dir[dir];
	if (missed_before)
		for (unsigned i = 0; i < d->nstages; i++)
			d->stages[i].missed += missed_before;
	owfp_engine_count(f->engine, OWFP_COUNT_BYTES_INDICATED, dir, len);
	d->src_bytes += len;
	uint32_t nf = 0;
	if (seg_flags & OWFP_SEG_PUSH)
		nf |= OWFP_BN_PUSH;
	if (seg_flags & OWFP_SEG_URGENT)
		nf |= OWFP_BN_URGENT;
	if (!len && missed_before)
		return 0;
	owfp_chain c;
	owfp_chain_init(&c);
	/* One node per GiB keeps every MDL ByteCount within ULONG. */
	const size_t piece = (size_t)1 << 30;
	size_t off = 0;
	do {
		size_t k = len - off < piece ? len - off : piece;
		owfp_bnode *n = owfp_bnode_make(&f->pool, NULL, data + off, k, 0,
						nf | (len ? 0 : OWFP_BN_EMPTY));
		if (!n) {
			owfp_chain_clear(&c, &f->pool);
			owfp_flow *prev = owfp_flow_enter(f);
			f->depth++;
			owfp_engine_count(f->engine, OWFP_COUNT_LIMIT, dir, 1);
			owfp_flow_emit(f, OWFP_EV_LIMIT, dir, NULL, len, "out of memory taking indicated bytes");
			owfp_flow_do_drop(f, OWFP_DROP_LIMIT, "out of memory taking indicated bytes");
			f->depth--;
			owfp_flow_leave(prev);
			owfp_flow_pump(f);
			return -ENOMEM;
		}
		owfp_chain_push(&c, n);
		off += k;
	} while (off < len);
	d->held += len;
	f->depth++;
	owfp_flow *prev = owfp_flow_enter(f);
	/* An indication boundary: filter changes apply before these bytes
	 * (not when called back from inside this flow's own pump). */
	if (f->depth == 1)
		owfp_flow_check_generation(f);
	owfp_sublayer_enter(f, dir, 0, &c);
	owfp_flow_leave(prev);
	f->depth--;
	owfp_flow_pump(f);
	if (!f->dropped)
		own_leftovers(f);
	else
		owfp_bnode_pool_own_tracked(&f->pool, &f->writer);
	return 0;
}

int owfp_flow_indicate_fin(owfp_flow *f, int dir)
{
	int rc = entry_check(f, dir);
	if (rc)
		return rc;
	owfp_dirstate *d = &f->dir[dir];
	d->fin_source = true;
	if (d->nsl == 0) {
		f->depth++;
		owfp_flow *prev = owfp_flow_enter(f);
		owfp_deliver_fin(f, dir);
		owfp_flow_leave(prev);
		f->depth--;
	} else {
		owfp_stage_set_eof(f, dir, 0, 0, true);
	}
	owfp_flow_pump(f);
	return 0;
}

/* Q24: the RST ends both directions now; each filter of `dir` sees ABORT. */
int owfp_flow_indicate_abort(owfp_flow *f, int dir)
{
	if (dir != OWFP_DIR_INBOUND && dir != OWFP_DIR_OUTBOUND)
		return -EINVAL;
	if (f->dropped || f->finished || f->aborted)
		return -EPIPE;
	f->depth++;
	owfp_flow *prev = owfp_flow_enter(f);
	f->aborted = true;
	pthread_mutex_lock(&f->mu);
	atomic_store(&f->gone, true);
	pthread_mutex_unlock(&f->mu);
	discard_all(f, STATUS_CANCELLED);
	f->refuse_inject = true;
	owfp_dirstate *d = &f->dir[dir];
	bool in = dir == OWFP_DIR_INBOUND;
	for (unsigned i = 0; i < d->nstages && !d->ended; i++) {
		owfp_stage *st = &d->stages[i];
		owfp_abort_present(f, st, in ? FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_ABORT
					     : FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_ABORT);
	}
	f->refuse_inject = false;
	bool was_ended = d->ended;
	f->dir[0].ended = f->dir[1].ended = true;
	if (!was_ended && f->ops->deliver_abort)
		f->ops->deliver_abort(f->dp, f, dir);
	owfp_flow_leave(prev);
	f->depth--;
	owfp_flow_pump(f);
	return 0;
}

int owfp_flow_run_pending(owfp_flow *f)
{
	owfp_flow_pump(f);
	if (!f->dropped)
		own_leftovers(f);
	return 0;
}

bool owfp_flow_busy(const owfp_flow *f)
{
	if (f->dropped || f->finished)
		return false;
	for (int dir = 0; dir < 2; dir++) {
		const owfp_dirstate *d = &f->dir[dir];
		if (d->held || d->inj_bytes)
			return true;
		for (unsigned i = 0; i < d->nstages; i++)
			if (d->stages[i].state == OWFP_ST_DEFERRED || d->stages[i].fin_held)
				return true;
	}
	return f->done_head || atomic_load(&((owfp_flow *)f)->has_work);
}

bool owfp_flow_finished(const owfp_flow *f)
{
	return f->finished;
}

bool owfp_flow_dropped(const owfp_flow *f)
{
	return f->dropped;
}

size_t owfp_flow_held_bytes(const owfp_flow *f, int dir)
{
	if (dir != OWFP_DIR_INBOUND && dir != OWFP_DIR_OUTBOUND)
		return 0;
	return f->dir[dir].held;
}

void owfp_flow_close(owfp_flow *f)
{
	if (!f || f->closing)
		return;
	f->closing = true;
	f->depth++;
	owfp_flow *prev = owfp_flow_enter(f);
	size_t held = f->dir[0].held + f->dir[1].held;
	if (!f->finished && held) {
		f->end_held = held; /* reported by the FLOW_END event (Q29) */
		owfp_engine_log(f->engine, OWFP_LOG_INFO, "flow %llu closed with %zu bytes held",
				(unsigned long long)f->id, held);
	}
	pthread_mutex_lock(&f->mu);
	atomic_store(&f->gone, true);
	pthread_mutex_unlock(&f->mu);
	discard_all(f, STATUS_CANCELLED);
	owfp_inject_run_completions(f);
	owfp_flow_end(f);
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
		f->drop_why = OWFP_DROP_ABORT;
		f->drop_requested = true;
		f->repump = true;
		owfp_flow_unref(f);
		return STATUS_SUCCESS;
	}
	owfp_work *w = calloc(1, sizeof(*w));
	if (!w) {
		owfp_flow_unref(f);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	w->type = OWFP_WORK_ABORT;
	owfp_flow_queue(f, w);
	owfp_flow_unref(f);
	return STATUS_SUCCESS;
}
