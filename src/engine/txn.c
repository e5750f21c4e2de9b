/*
 * Management transactions. Every Fwpm* change runs inside one: the
 * session's explicit transaction (FwpmTransactionBegin0) or an implicit one
 * around the single call. Changes go to the model right away, with an undo
 * record; readers keep classifying against the published snapshot, so
 * nothing is visible until commit compiles the changed layers and swaps the
 * snapshot in one step. Abort replays the undo records backwards.
 *
 * One session owns the transaction at a time; other sessions wait for it.
 * Notifications (DELETE_FILTER, ADD_FILTER_POST_COMMIT) are delivered after
 * the commit, without locks, in the order the changes were made.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

/* How long a session waits for another session's transaction (FWPM_SESSION0
 * txnWaitTimeoutInMSec is not honoured). */
#define TXN_WAIT_SECONDS 30

typedef struct notice {
	owfp_callout *callout; /* NULL: nobody to tell, just drop the ref; held */
	FWPS_CALLOUT_NOTIFY_TYPE type;
	owfp_rfilter *filter; /* one reference owned by the notice */
} notice;

typedef struct notices {
	notice *v;
	size_t n;
} notices;

owfp_session *owfp_session_get(HANDLE h)
{
	return owfp_registry_handle_get(h, OWFP_HANDLE_SESSION);
}

int owfp_txn_log(owfp_engine *e, int op, void *obj)
{
	if (e->nundo == e->capundo) {
		size_t cap = e->capundo ? e->capundo * 2 : 32;
		owfp_undo *u = owfp_realloc(e->undo, sizeof(*u) * cap);

		if (!u)
			return -ENOMEM;
		e->undo = u;
		e->capundo = cap;
	}
	e->undo[e->nundo++] = (owfp_undo){op, obj};
	return 0;
}

/* e->mu held. Waits until `s` may own the transaction. */
static NTSTATUS acquire(owfp_engine *e, owfp_session *s)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += TXN_WAIT_SECONDS;
	while (e->txn_owner && e->txn_owner != s)
		if (pthread_cond_timedwait(&e->txn_cv, &e->mu, &deadline) == ETIMEDOUT)
			return STATUS_FWP_TIMEOUT;
	e->txn_owner = s;
	return STATUS_SUCCESS;
}

static void release(owfp_engine *e)
{
	e->txn_owner = NULL;
	pthread_cond_broadcast(&e->txn_cv);
}

static void run_notices(notices *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		notice *n = &ns->v[i];

		/* S73: DELETE_FILTER passes no key; the result is ignored. The
		 * filter may be published: the callout gets a copy to scribble on. */
		if (n->callout) {
			FWPS_FILTER3 copy = n->filter->fps;

			(void)owfp_callout_notify(n->callout, n->type,
						  n->type == FWPS_CALLOUT_NOTIFY_DELETE_FILTER
							  ? NULL
							  : &n->filter->key,
						  &copy);
		}
		if (n->callout)
			owfp_callout_release(n->callout);
		owfp_rfilter_unref(n->filter);
	}
	free(ns->v);
}

/* e->mu held. Held for the notice: it is delivered after e->mu is let go,
 * when an unregister could otherwise free the callout. */
static owfp_callout *filter_callout(owfp_engine *e, const owfp_rfilter *f)
{
	owfp_callout *c;

	if (!(f->fps.action.type & FWP_ACTION_FLAG_CALLOUT))
		return NULL;
	c = owfp_callout_registered(e, f->fps.action.calloutId);
	if (c)
		owfp_callout_hold(c);
	return c;
}

/* The model vector a sublayer or callout undo record changes. */
static owfp_vec *undo_vec(owfp_model *m, int op)
{
	return op == OWFP_UNDO_ADD_SUBLAYER || op == OWFP_UNDO_DEL_SUBLAYER ? &m->sublayers
									    : &m->callouts;
}

/* Takes out what an undone add put in `v`: that very object, so no key
 * lookup per kind is needed. */
static void vec_remove_object(owfp_vec *v, const void *obj)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i] == obj) {
			owfp_vec_remove(v, i);
			return;
		}
}

/* e->mu held. After commit or abort the undo log and the dirty layers
 * start empty again. */
static void undo_reset(owfp_engine *e)
{
	e->nundo = 0;
	for (int i = 0; i < OWFP_NSLOTS; i++)
		e->dirty[i] = false;
}

static NTSTATUS commit_locked(owfp_engine *e, notices *ns)
{
	owfp_snapshot *old = atomic_load(&e->snap), *next;
	bool changed = false;

	next = owfp_calloc(1, sizeof(*next));
	ns->v = owfp_calloc(e->nundo ? e->nundo : 1, sizeof(*ns->v));
	ns->n = 0;
	if (!next || !ns->v)
		goto nomem;
	for (int i = 0; i < OWFP_NSLOTS; i++) {
		if (e->dirty[i]) {
			next->layers[i] = owfp_clayer_build(
				(owfp_rfilter *const *)e->model.order[i].v, e->model.order[i].n);
			if (!next->layers[i])
				goto nomem;
			changed = true;
		} else {
			next->layers[i] = old->layers[i];
			owfp_clayer_ref(next->layers[i]);
		}
	}
	if (e->model.filters.n) {
		owfp_rfilter *last = e->model.filters.v[e->model.filters.n - 1];

		if (last->id > e->committed_last_id)
			e->committed_last_id = last->id;
	}
	next->last_filter_id = e->committed_last_id;
	if (changed) {
		owfp_snapshot_publish(e, next);
		atomic_store(&e->last_filter_id, e->committed_last_id);
		owfp_engine_bump_generation(e);
	} else {
		owfp_snapshot_free(next);
	}

	for (size_t i = 0; i < e->nundo; i++) {
		owfp_undo *u = &e->undo[i];
		owfp_rfilter *f = u->obj;
		owfp_callout *c;

		switch (u->op) {
		case OWFP_UNDO_ADD_FILTER:
			c = filter_callout(e, f);
			if (!f->deleted && c &&
			    (c->flags & FWP_CALLOUT_FLAG_ENABLE_COMMIT_ADD_NOTIFY)) {
				owfp_rfilter_ref(f);
				ns->v[ns->n++] = (notice){
					c, FWPS_CALLOUT_NOTIFY_ADD_FILTER_POST_COMMIT, f};
			} else if (c) {
				owfp_callout_release(c);
			}
			break;
		case OWFP_UNDO_DEL_FILTER:
			/* The model's reference moves to the notice. */
			ns->v[ns->n++] = (notice){filter_callout(e, f),
						  FWPS_CALLOUT_NOTIFY_DELETE_FILTER, f};
			break;
		case OWFP_UNDO_DEL_SUBLAYER:
		case OWFP_UNDO_DEL_CALLOUT:
			free(u->obj);
			break;
		default:
			break;
		}
	}
	undo_reset(e);
	return STATUS_SUCCESS;
nomem:
	if (next)
		owfp_snapshot_free(next);
	free(ns->v);
	ns->v = NULL;
	return STATUS_NO_MEMORY;
}

static void abort_locked(owfp_engine *e, notices *ns)
{
	ns->v = owfp_calloc(e->nundo ? e->nundo : 1, sizeof(*ns->v));
	ns->n = 0;
	for (size_t i = e->nundo; i-- > 0;) {
		owfp_undo *u = &e->undo[i];
		owfp_rfilter *f = u->obj;
		owfp_vec *v;

		switch (u->op) {
		case OWFP_UNDO_ADD_SUBLAYER:
		case OWFP_UNDO_ADD_CALLOUT:
			vec_remove_object(undo_vec(&e->model, u->op), u->obj);
			free(u->obj);
			break;
		case OWFP_UNDO_DEL_SUBLAYER:
		case OWFP_UNDO_DEL_CALLOUT:
			/* Cannot fail: the slot it left is still allocated. */
			v = undo_vec(&e->model, u->op);
			(void)owfp_vec_insert(v, v->n, u->obj);
			break;
		case OWFP_UNDO_ADD_FILTER:
			owfp_model_filter_remove(&e->model, f);
			/* The callout saw ADD_FILTER: let it release what it set up. */
			if (f->notified && ns->v)
				ns->v[ns->n++] = (notice){filter_callout(e, f),
							  FWPS_CALLOUT_NOTIFY_DELETE_FILTER, f};
			else
				owfp_rfilter_unref(f);
			break;
		case OWFP_UNDO_DEL_FILTER:
			f->deleted = false;
			(void)owfp_model_filter_insert(&e->model, f);
			break;
		default:
			break;
		}
	}
	undo_reset(e);
}

NTSTATUS owfp_txn_op_begin(owfp_session *s)
{
	owfp_engine *e = s->engine;
	NTSTATUS st = STATUS_SUCCESS;

	pthread_mutex_lock(&e->mu);
	if (e->txn_owner != s)
		st = acquire(e, s);
	if (st == STATUS_SUCCESS)
		s->depth++;
	pthread_mutex_unlock(&e->mu);
	return st;
}

/* e->mu held and `s` owns the transaction. Commits it (aborting if that
 * fails) or aborts it, lets e->mu go, then delivers the notices. */
static NTSTATUS end_locked(owfp_engine *e, owfp_session *s, bool commit)
{
	notices ns = {0};
	NTSTATUS st = commit ? commit_locked(e, &ns) : STATUS_SUCCESS;

	if (!commit || st != STATUS_SUCCESS)
		abort_locked(e, &ns);
	s->explicit_txn = false;
	release(e);
	pthread_mutex_unlock(&e->mu);
	run_notices(&ns);
	return st;
}

NTSTATUS owfp_txn_op_end(owfp_session *s, bool ok)
{
	owfp_engine *e = s->engine;

	pthread_mutex_lock(&e->mu);
	if (--s->depth > 0 || s->explicit_txn) {
		pthread_mutex_unlock(&e->mu);
		return STATUS_SUCCESS;
	}
	return end_locked(e, s, ok);
}

NTSTATUS owfp_txn_op_lock(owfp_session *s)
{
	NTSTATUS st = owfp_txn_op_begin(s);

	if (st == STATUS_SUCCESS)
		pthread_mutex_lock(&s->engine->mu);
	return st;
}

NTSTATUS owfp_txn_op_unlock(owfp_session *s, NTSTATUS st)
{
	pthread_mutex_unlock(&s->engine->mu);
	return owfp_txn_op_end(s, st == STATUS_SUCCESS) == STATUS_SUCCESS ? st : STATUS_NO_MEMORY;
}

NTSTATUS NTAPI FwpmTransactionBegin0(HANDLE engineHandle, UINT32 flags)
{
	owfp_session *s = owfp_session_get(engineHandle);
	owfp_engine *e;
	NTSTATUS st;

	if (!s)
		return STATUS_INVALID_HANDLE;
	/* A read-only transaction is accepted and behaves as a normal one. */
	if (flags & ~(UINT32)FWPM_TXN_READ_ONLY)
		return STATUS_FWP_INVALID_FLAGS;
	e = s->engine;
	pthread_mutex_lock(&e->mu);
	if (s->explicit_txn) {
		pthread_mutex_unlock(&e->mu);
		return STATUS_FWP_TXN_IN_PROGRESS;
	}
	st = acquire(e, s);
	if (st == STATUS_SUCCESS)
		s->explicit_txn = true;
	pthread_mutex_unlock(&e->mu);
	return st;
}

static NTSTATUS end_explicit(HANDLE engineHandle, bool commit)
{
	owfp_session *s = owfp_session_get(engineHandle);
	owfp_engine *e;

	if (!s)
		return STATUS_INVALID_HANDLE;
	e = s->engine;
	pthread_mutex_lock(&e->mu);
	if (!s->explicit_txn || s->depth > 0) {
		pthread_mutex_unlock(&e->mu);
		return STATUS_FWP_NO_TXN_IN_PROGRESS;
	}
	return end_locked(e, s, commit);
}

NTSTATUS NTAPI FwpmTransactionCommit0(HANDLE engineHandle)
{
	return end_explicit(engineHandle, true);
}

NTSTATUS NTAPI FwpmTransactionAbort0(HANDLE engineHandle)
{
	return end_explicit(engineHandle, false);
}

void owfp_txn_abort_session(owfp_session *s)
{
	owfp_engine *e = s->engine;

	pthread_mutex_lock(&e->mu);
	if (e->txn_owner != s) {
		pthread_mutex_unlock(&e->mu);
		return;
	}
	(void)end_locked(e, s, false);
}
