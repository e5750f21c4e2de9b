/*
 * stream_edit, out-of-band mode (spec S101): classifyFn clones each
 * indication and BLOCKs all of it; a worker thread edits the clones and
 * injects the result (FwpsStreamInjectAsync0 from outside classifyFn,
 * S56a), carrying a possible partial match over to the next clone. A FIN is
 * blocked too and re-injected after everything before it (S57).
 *
 * Back-pressure: "pending" counts the bytes taken from the stream and not
 * yet delivered downstream (their injection has not completed). When more
 * than busy_threshold inbound bytes are pending, classifyFn answers DEFER
 * instead of cloning; once pending is down to a quarter of the threshold,
 * FwpsStreamContinue0 is called (from the injection completion, on the
 * flow's thread), and the engine presents the deferred bytes again (S49).
 *
 * Any failure makes the flow fail closed: FwpsFlowAbort0 from the worker,
 * DROP_CONNECTION from classifyFn.
 *
 * Memory: per-flow state (se_flow, its carried tails) lives until the flow's
 * flowDeleteFn and its last queued task, whichever comes later; nothing of a
 * flow outlives both. The worker edits a task in windows of SE_WINDOW bytes
 * through two buffers of fixed size owned by the instance, so a large
 * indication (a deferred backlog presented again can be megabytes) never
 * costs an allocation of its size.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "callouts/stream_edit.h"
#include "util/alloc.h"

typedef struct se_dir {
	size_t pending; /* bytes queued for the worker */
	bool deferred;  /* we answered DEFER and owe a continue */
	UINT32 deferred_flags;
	bool ended;    /* FIN or RST seen: later indications are blocked */
	uint8_t *tail; /* possible start of a match, carried over */
	size_t tail_len, tail_cap;
} se_dir;

typedef struct se_flow {
	se_instance *si;
	int refs; /* the association + one per queued task (under si->mu) */
	bool failed;
	UINT64 flowId;
	UINT32 calloutId;
	UINT16 layerId;
	se_dir d[2];
} se_flow;

struct se_task {
	se_task *next;
	se_flow *f;
	int dir;
	UINT32 flags;
	bool fin;
	NET_BUFFER_LIST *clone;
	size_t len;
};

static void flow_unref_locked(se_flow *f)
{
	if (--f->refs > 0)
		return;
	for (int d = 0; d < 2; d++)
		free(f->d[d].tail);
	f->si->live_flows--;
	free(f);
}

/* One task's injections: the last completion hands its bytes back. */
typedef struct se_done {
	se_flow *f;
	int dir;
	size_t len;
	int nbls;   /* completions still to come */
	bool clone; /* the NBLs are the clone (else our copies) */
} se_done;

static void account(se_flow *f, int dir, size_t len);

static void NTAPI inject_done(void *context, NET_BUFFER_LIST *nbl, BOOLEAN dispatchLevel)
{
	(void)dispatchLevel;
	se_done *dn = context;
	if (dn->clone)
		FwpsFreeCloneNetBufferList0(nbl, 0);
	else
		owfp_bi_inject_free(nbl);
	if (--dn->nbls > 0)
		return;
	account(dn->f, dn->dir, dn->len);
	free(dn);
}

static UINT32 push_flag(int dir)
{
	return dir == OWFP_DIR_INBOUND ? FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_RECEIVE_PUSH
				       : FWPS_STREAM_FLAG_SEND | FWPS_STREAM_FLAG_SEND_NODELAY;
}

/* Injects our copy of p[0..n); with dn, its completion accounts the task. */
static NTSTATUS inject(se_flow *f, UINT32 flags, const uint8_t *p, size_t n, se_done *dn)
{
	if (n == 0)
		return STATUS_SUCCESS;
	if (!dn)
		return owfp_bi_inject(&f->si->bi, f->flowId, f->calloutId, f->layerId, flags, p, n);
	dn->nbls = 1;
	dn->clone = false;
	return owfp_bi_inject_cb(&f->si->bi, f->flowId, f->calloutId, f->layerId, flags, p, n,
				 inject_done, dn);
}

static NTSTATUS inject_clone(se_flow *f, UINT32 flags, se_task *t, se_done *dn)
{
	dn->nbls = 0;
	dn->clone = true;
	for (NET_BUFFER_LIST *n = t->clone; n; n = NET_BUFFER_LIST_NEXT_NBL(n))
		dn->nbls++;
	NTSTATUS st = FwpsStreamInjectAsync0(f->si->bi.injection, NULL, 0, f->flowId, f->calloutId,
					     f->layerId, flags, t->clone, t->len, inject_done, dn);
	if (NT_SUCCESS(st))
		t->clone = NULL;
	return st;
}

/*
 * True when the task's bytes hold a match or end with what may start one
 * (which must then be carried over). Scans window by window, keeping the
 * possible start of a match from one window to the next.
 */
static bool needs_edit(se_instance *si, se_task *t)
{
	owfp_bi_pieces r;
	size_t keep = 0;
	owfp_bi_pieces_chain(&r, t->clone);
	for (;;) {
		size_t got = owfp_bi_pieces_copy(&r, si->win + keep, SE_WINDOW);
		size_t n = keep + got;
		if (se_search(si, si->win, n) >= 0)
			return true;
		size_t j = se_partial_start(si, si->win, n);
		if (got == 0)
			return j < n;
		keep = n - j;
		memmove(si->win, si->win + j, keep);
	}
}

/* The edited output, injected whenever the next piece would not fit. */
typedef struct se_out {
	se_flow *f;
	UINT32 flags;
	size_t len;
} se_out;

static NTSTATUS out_put(se_out *o, const uint8_t *p, size_t n)
{
	se_instance *si = o->f->si;
	if (o->len + n > SE_OUT_CAP) {
		NTSTATUS st = inject(o->f, o->flags, si->out, o->len, NULL);
		if (!NT_SUCCESS(st))
			return st;
		o->len = 0;
	}
	memcpy(si->out + o->len, p, n);
	o->len += n;
	return STATUS_SUCCESS;
}

/*
 * Edits the carried tail and the task's bytes window by window, injecting
 * the output as it fills; the last injection carries *dnp (set to NULL).
 * What may start a match at the end becomes the new tail.
 */
static NTSTATUS edit_windows(se_flow *f, se_task *t, UINT32 flags, se_done **dnp)
{
	se_instance *si = f->si;
	se_dir *d = &f->d[t->dir];
	se_out o = {.f = f, .flags = flags};
	owfp_bi_pieces r;
	NTSTATUS st = STATUS_SUCCESS;
	size_t keep = d->tail_len;
	if (keep)
		memcpy(si->win, d->tail, keep);
	owfp_bi_pieces_chain(&r, t->clone);
	for (bool last = false; !last && NT_SUCCESS(st);) {
		size_t got = owfp_bi_pieces_copy(&r, si->win + keep, SE_WINDOW);
		size_t n = keep + got, i = 0;
		last = got == 0;
		long at;
		while (NT_SUCCESS(st) && (at = se_search(si, si->win + i, n - i)) >= 0) {
			st = out_put(&o, si->win + i, (size_t)at);
			if (NT_SUCCESS(st))
				st = out_put(&o, si->repl, si->repl_len);
			i += (size_t)at + si->find_len;
		}
		size_t j = i + se_partial_start(si, si->win + i, n - i);
		if (NT_SUCCESS(st))
			st = out_put(&o, si->win + i, j - i);
		keep = n - j;
		memmove(si->win, si->win + j, keep);
	}
	if (!NT_SUCCESS(st))
		return st;
	/* the tail is shorter than `find`: a flow never keeps more than that */
	if (keep > d->tail_cap) {
		uint8_t *nt = owfp_realloc(d->tail, si->find_len);
		if (!nt)
			return STATUS_INSUFFICIENT_RESOURCES;
		d->tail = nt;
		d->tail_cap = si->find_len;
	}
	if (keep)
		memcpy(d->tail, si->win, keep);
	d->tail_len = keep;
	if (o.len == 0)
		return STATUS_SUCCESS; /* all of it is carried over, or removed */
	st = inject(f, flags, si->out, o.len, *dnp);
	if (NT_SUCCESS(st))
		*dnp = NULL;
	return st;
}

/*
 * Edits one task's bytes (after the carried tail) and injects the result.
 * *dnp is handed to the last injection (and set to NULL) when there is one;
 * otherwise the caller accounts the task itself.
 */
static NTSTATUS edit_and_inject(se_flow *f, se_task *t, se_done **dnp)
{
	se_instance *si = f->si;
	se_dir *d = &f->d[t->dir];
	UINT32 flags = push_flag(t->dir);
	NTSTATUS st;

	if (t->fin) {
		st = inject(f, flags, d->tail, d->tail_len, NULL);
		d->tail_len = 0;
		if (NT_SUCCESS(st))
			st = owfp_bi_inject(&si->bi, f->flowId, f->calloutId, f->layerId,
					    owfp_bi_dir_flag(t->flags) |
						    (t->flags & (FWPS_STREAM_FLAG_RECEIVE_DISCONNECT |
								 FWPS_STREAM_FLAG_SEND_DISCONNECT)),
					    NULL, 0);
		return st;
	}
	if (owfp_bi_is_expedited(t->flags)) {
		/* urgent bytes are never edited; they keep their place in the stream */
		st = inject(f, flags, d->tail, d->tail_len, NULL);
		d->tail_len = 0;
		if (NT_SUCCESS(st)) {
			st = inject_clone(f,
					  owfp_bi_dir_flag(t->flags) |
						  (t->flags & (FWPS_STREAM_FLAG_RECEIVE_EXPEDITED |
							       FWPS_STREAM_FLAG_SEND_EXPEDITED)),
					  t, *dnp);
			if (NT_SUCCESS(st))
				*dnp = NULL;
		}
		return st;
	}

	if (!d->tail_len && !needs_edit(si, t)) {
		/* nothing changes: give the clone back as it is */
		st = inject_clone(f, flags, t, *dnp);
		if (NT_SUCCESS(st))
			*dnp = NULL;
		return st;
	}
	return edit_windows(f, t, flags, dnp);
}

static void fail_flow(se_flow *f)
{
	se_instance *si = f->si;
	pthread_mutex_lock(&si->mu);
	bool first = !f->failed;
	f->failed = true;
	pthread_mutex_unlock(&si->mu);
	if (first)
		FwpsFlowAbort0(f->flowId);
}

/*
 * Gives back `len` pending bytes and drops the task's flow reference; resumes a
 * deferred stream once the backlog is small. From an injection completion
 * (the flow's thread: the DEFER is recorded by then) or, for a task that
 * injected nothing, from the worker (the engine holds a continue that
 * overtakes the DEFER until the DEFER is recorded).
 */
static void account(se_flow *f, int dir, size_t len)
{
	se_instance *si = f->si;
	pthread_mutex_lock(&si->mu);
	se_dir *d = &f->d[dir];
	d->pending -= len;
	bool resume = !f->failed && d->deferred && d->pending <= si->busy_threshold / 4;
	UINT32 flags = d->deferred_flags;
	if (resume)
		d->deferred = false;
	f->refs++; /* keep f while unlocked */
	pthread_mutex_unlock(&si->mu);
	if (resume) {
		NTSTATUS st = FwpsStreamContinue0(f->flowId, f->calloutId, f->layerId, flags);
		if (!NT_SUCCESS(st))
			fail_flow(f);
	}
	pthread_mutex_lock(&si->mu);
	f->refs--;            /* ours from above; never the last, the task still holds one */
	flow_unref_locked(f); /* the task's reference */
	pthread_mutex_unlock(&si->mu);
}

static void *worker_main(void *arg)
{
	se_instance *si = arg;
	pthread_mutex_lock(&si->mu);
	for (;;) {
		while ((!si->head || si->hold) && !si->stop)
			pthread_cond_wait(&si->cv, &si->mu);
		if (!si->head)
			break;
		se_task *t = si->head;
		si->head = t->next;
		if (!si->head)
			si->tail = NULL;
		se_flow *f = t->f;
		bool failed = f->failed;
		si->busy = true;
		pthread_mutex_unlock(&si->mu);

		NTSTATUS st = STATUS_SUCCESS;
		se_done *dn = owfp_calloc(1, sizeof(*dn));
		bool handed = false;
		if (!dn) {
			st = STATUS_INSUFFICIENT_RESOURCES;
		} else if (!failed) {
			*dn = (se_done){.f = f, .dir = t->dir, .len = t->len};
			st = edit_and_inject(f, t, &dn);
			handed = dn == NULL;
		}
		if (!NT_SUCCESS(st))
			fail_flow(f);
		if (t->clone)
			FwpsDiscardClonedStreamData0(t->clone, 0, FALSE);
		if (!handed) {
			/* no injection carries this task: account for it here */
			free(dn);
			account(f, t->dir, t->len);
		}
		free(t);
		pthread_mutex_lock(&si->mu);
		si->busy = false;
		if (!si->head)
			pthread_cond_broadcast(&si->idle_cv);
	}
	pthread_mutex_unlock(&si->mu);
	return NULL;
}

int se_oob_start(void *instance)
{
	se_instance *si = instance;
	si->win = owfp_malloc(SE_WIN_CAP);
	si->out = owfp_malloc(SE_OUT_CAP);
	if (!si->win || !si->out)
		return -ENOMEM; /* se_free frees them */
	if (pthread_create(&si->worker, NULL, worker_main, si))
		return -EAGAIN;
	si->worker_started = true;
	return 0;
}

void se_oob_quiesce(se_instance *si)
{
	pthread_mutex_lock(&si->mu);
	while ((si->head && !si->hold) || si->busy)
		pthread_cond_wait(&si->idle_cv, &si->mu);
	pthread_mutex_unlock(&si->mu);
}

size_t se_oob_live_flows(se_instance *si)
{
	pthread_mutex_lock(&si->mu);
	size_t n = si->live_flows;
	pthread_mutex_unlock(&si->mu);
	return n;
}

void se_oob_hold(se_instance *si, bool hold)
{
	pthread_mutex_lock(&si->mu);
	si->hold = hold;
	pthread_cond_broadcast(&si->cv);
	pthread_mutex_unlock(&si->mu);
}

void se_oob_stop(void *instance)
{
	se_instance *si = instance;
	if (!si->worker_started)
		return;
	pthread_mutex_lock(&si->mu);
	si->stop = true;
	pthread_cond_signal(&si->cv);
	pthread_mutex_unlock(&si->mu);
	pthread_join(si->worker, NULL);
	si->worker_started = false;
}

void NTAPI se_oob_flow_delete(UINT16 layerId, UINT32 calloutId, UINT64 flowContext)
{
	(void)layerId;
	(void)calloutId;
	se_flow *f = (se_flow *)(uintptr_t)flowContext;
	se_instance *si = f->si;
	pthread_mutex_lock(&si->mu);
	f->failed = true; /* queued work for a dead flow is only discarded */
	flow_unref_locked(f);
	pthread_mutex_unlock(&si->mu);
}

static se_flow *flow_get(se_instance *si, const FWPS_INCOMING_VALUES0 *in,
			 const FWPS_INCOMING_METADATA_VALUES0 *meta, const FWPS_FILTER3 *filter,
			 UINT64 flowContext)
{
	if (flowContext)
		return (se_flow *)(uintptr_t)flowContext;
	se_flow *f = owfp_calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->si = si;
	f->refs = 1;
	f->flowId = meta->flowHandle;
	f->calloutId = filter->action.calloutId;
	f->layerId = in->layerId;
	NTSTATUS st = FwpsFlowAssociateContext0(f->flowId, f->layerId, f->calloutId,
						(UINT64)(uintptr_t)f);
	if (st != STATUS_SUCCESS) {
		free(f);
		return NULL;
	}
	pthread_mutex_lock(&si->mu);
	si->live_flows++;
	pthread_mutex_unlock(&si->mu);
	return f;
}

void se_oob_classify(se_instance *si, const FWPS_INCOMING_VALUES0 *in,
		     const FWPS_INCOMING_METADATA_VALUES0 *meta, FWPS_STREAM_CALLOUT_IO_PACKET0 *io,
		     const FWPS_FILTER3 *filter, UINT64 flowContext, FWPS_CLASSIFY_OUT0 *out)
{
	FWPS_STREAM_DATA0 *sd = io->streamData;
	int dir = owfp_bi_dir(sd->flags);
	out->actionType = FWP_ACTION_BLOCK; /* S55: out of band blocks everything */
	io->countBytesEnforced = 0;

	se_flow *f = flow_get(si, in, meta, filter, flowContext);
	if (!f) {
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	bool fin = owfp_bi_is_end(sd->flags) && !owfp_bi_is_abort(sd->flags);
	pthread_mutex_lock(&si->mu);
	se_dir *d = &f->d[dir];
	if (f->failed) {
		pthread_mutex_unlock(&si->mu);
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	if (d->ended || owfp_bi_is_abort(sd->flags) || (sd->dataLength == 0 && !fin)) {
		/* after an RST nothing may be injected (S62); empty data has nothing to edit */
		d->ended = d->ended || owfp_bi_is_abort(sd->flags);
		pthread_mutex_unlock(&si->mu);
		return;
	}
	if (dir == OWFP_DIR_INBOUND && !fin && !owfp_bi_is_expedited(sd->flags) && d->pending > 0 &&
	    d->pending + sd->dataLength > si->busy_threshold) {
		d->deferred = true;
		d->deferred_flags = sd->flags;
		pthread_mutex_unlock(&si->mu);
		io->streamAction = FWPS_STREAM_ACTION_DEFER;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	pthread_mutex_unlock(&si->mu);

	se_task *t = owfp_calloc(1, sizeof(*t));
	NTSTATUS st = t ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
	if (t && sd->dataLength)
		st = FwpsCloneStreamData0(sd, NULL, NULL, 0, &t->clone);
	pthread_mutex_lock(&si->mu);
	if (!NT_SUCCESS(st)) {
		f->failed = true;
		pthread_mutex_unlock(&si->mu);
		free(t);
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	t->f = f;
	t->dir = dir;
	t->flags = sd->flags;
	t->fin = fin;
	t->len = sd->dataLength;
	f->refs++;
	d->pending += t->len;
	d->ended = fin;
	if (si->tail)
		si->tail->next = t;
	else
		si->head = t;
	si->tail = t;
	pthread_cond_signal(&si->cv);
	pthread_mutex_unlock(&si->mu);
}
