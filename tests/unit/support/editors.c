/* Test editors (see editors.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "editors.h"

#define MAX_SETS 4
static ed_set *sets[MAX_SETS];
static size_t nsets;

static ed_set *set_of(UINT32 callout_id)
{
	for (size_t i = 0; i < nsets; i++)
		if (sets[i]->stream_id == callout_id || sets[i]->ale_id == callout_id)
			return sets[i];
	return NULL;
}

size_t ed_reference(const uint8_t *in, size_t n, const char *find, const char *repl, uint8_t *out)
{
	size_t L = strlen(find), R = strlen(repl), o = 0;
	for (size_t i = 0; i < n;) {
		if (i + L <= n && !memcmp(in + i, find, L)) {
			memcpy(out + o, repl, R);
			o += R;
			i += L;
		} else {
			out[o++] = in[i++];
		}
	}
	return o;
}

/* ---------------------------------------------------------- injection */

static void NTAPI free_buffer_nbl(void *ctx, NET_BUFFER_LIST *nbl, BOOLEAN d)
{
	(void)ctx, (void)d;
	MDL *m = nbl->FirstNetBuffer->MdlChain;
	void *mem = m->MappedSystemVa;
	FwpsFreeNetBufferList0(nbl);
	IoFreeMdl(m);
	free(mem);
}

static void NTAPI free_clone_nbl(void *ctx, NET_BUFFER_LIST *nbl, BOOLEAN d)
{
	(void)ctx, (void)d;
	FwpsFreeCloneNetBufferList0(nbl, 0);
}

static NTSTATUS inject_bytes(ed_set *s, UINT64 flow, UINT32 flags, const uint8_t *p, size_t n)
{
	if (!n)
		return STATUS_SUCCESS;
	uint8_t *mem = malloc(n);
	memcpy(mem, p, n);
	MDL *m = IoAllocateMdl(mem, (ULONG)n, FALSE, FALSE, NULL);
	NET_BUFFER_LIST *nbl = NULL;
	FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, m, 0, n, &nbl);
	NTSTATUS st = FwpsStreamInjectAsync0(sh_current()->inj, NULL, 0, flow, s->stream_id,
					     FWPS_LAYER_STREAM_V4, flags, nbl, n, free_buffer_nbl, s);
	if (!NT_SUCCESS(st)) {
		FwpsFreeNetBufferList0(nbl);
		IoFreeMdl(m);
		free(mem);
		s->errors++;
	}
	return st;
}

/* --------------------------------------------------------- inline (S100) */

static size_t tail_partial(const uint8_t *d, size_t n, const char *find)
{
	size_t L = strlen(find);
	for (size_t k = L - 1; k > 0; k--)
		if (k <= n && !memcmp(d + n - k, find, k))
			return k;
	return 0;
}

static void inline_classify(ed_set *s, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			    FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out)
{
	FWPS_STREAM_DATA0 *sd = io->streamData;
	size_t n = sd->dataLength, L = strlen(s->find);
	bool nomore = out->flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA;
	out->actionType = FWP_ACTION_PERMIT;
	if (n == 0 ||
	    (sd->flags & (FWPS_STREAM_FLAG_RECEIVE_DISCONNECT | FWPS_STREAM_FLAG_SEND_DISCONNECT)))
		return;
	if (n < L && !nomore) {
		io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
		io->countBytesRequired = (UINT32)(L - n);
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	uint8_t *buf = malloc(n);
	SIZE_T got = 0;
	FwpsCopyStreamDataToBuffer0(sd, buf, n, &got);
	for (size_t i = 0; i + L <= n; i++) {
		if (memcmp(buf + i, s->find, L))
			continue;
		if (i > 0) {
			io->countBytesEnforced = i; /* the match comes back at offset 0 */
		} else {
			UINT32 dirf = sd->flags & (FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_SEND);
			if (!NT_SUCCESS(inject_bytes(s, meta->flowHandle, dirf,
						     (const uint8_t *)s->repl, strlen(s->repl)))) {
				io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
				out->actionType = FWP_ACTION_NONE;
			} else {
				out->actionType = FWP_ACTION_BLOCK;
				io->countBytesEnforced = L;
			}
		}
		free(buf);
		return;
	}
	size_t k = nomore ? 0 : tail_partial(buf, n, s->find);
	free(buf);
	if (k)
		io->countBytesEnforced = n - k; /* the tail comes back short: NEED_MORE_DATA */
}

/* ------------------------------------------------------ out of band (S101) */

static void queue_task(ed_set *s, ed_task *t)
{
	pthread_mutex_lock(&s->mu);
	if (s->tail)
		s->tail->next = t;
	else
		s->head = t;
	s->tail = t;
	s->pending += t->len;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

typedef struct ed_flow {
	ed_set *set;
	bool fin_queued[2]; /* per data direction */
} ed_flow;

static void oob_classify(ed_set *s, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			 FWPS_STREAM_CALLOUT_IO_PACKET0 *io, UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	ed_flow *ef = (ed_flow *)(uintptr_t)ctx;
	FWPS_STREAM_DATA0 *sd = io->streamData;
	size_t n = sd->dataLength, L = strlen(s->find);
	bool nomore = out->flags & FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA;
	bool fin = sd->flags &
		   (FWPS_STREAM_FLAG_RECEIVE_DISCONNECT | FWPS_STREAM_FLAG_SEND_DISCONNECT);
	int dir = (sd->flags & FWPS_STREAM_FLAG_RECEIVE) ? 0 : 1;
	out->actionType = FWP_ACTION_BLOCK;
	io->countBytesEnforced = 0;
	if (ef->fin_queued[dir])
		return;
	if (s->kind == ED_OOB && !fin && n < L && !nomore) {
		io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
		io->countBytesRequired = (UINT32)(L - n);
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	bool inbound = sd->flags & FWPS_STREAM_FLAG_RECEIVE;
	pthread_mutex_lock(&s->mu);
	/* Deferring only makes sense while the worker has something to finish:
	 * its progress is what resumes the stream. */
	bool defer = s->kind == ED_OOB && inbound && n && !nomore && !s->busy && s->pending &&
		     s->pending + n > s->busy_threshold;
	if (defer) {
		s->busy = true;
		s->defer_flags = sd->flags;
		s->defer_flow = meta->flowHandle;
		s->defers++;
	}
	pthread_mutex_unlock(&s->mu);
	if (defer) {
		io->streamAction = FWPS_STREAM_ACTION_DEFER;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	ed_task *t = calloc(1, sizeof(*t));
	if (!t || !NT_SUCCESS(FwpsCloneStreamData0(sd, NULL, NULL, 0, &t->clone))) {
		free(t);
		io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	t->len = n;
	t->fin = fin;
	t->flow = meta->flowHandle;
	t->clone->Flags = sd->flags; /* remembered for the re-injection */
	if (fin)
		ef->fin_queued[dir] = true;
	queue_task(s, t);
}

static size_t flatten(NET_BUFFER_LIST *nbl, uint8_t *out)
{
	size_t o = 0;
	for (; nbl; nbl = nbl->Next)
		for (NET_BUFFER *nb = nbl->FirstNetBuffer; nb; nb = nb->Next) {
			size_t left = nb->DataLength, off = nb->CurrentMdlOffset;
			for (MDL *m = nb->CurrentMdl; m && left; m = m->Next, off = 0) {
				size_t k = m->ByteCount - off < left ? m->ByteCount - off : left;
				memcpy(out + o, (uint8_t *)m->MappedSystemVa + off, k);
				o += k;
				left -= k;
			}
		}
	return o;
}

static void run_task(ed_set *s, ed_task *t)
{
	UINT32 dirf = t->clone->Flags & (FWPS_STREAM_FLAG_RECEIVE | FWPS_STREAM_FLAG_SEND);
	if (s->kind == ED_IDENTITY) {
		UINT32 fl = t->clone->Flags &
			    ~(UINT32)(FWPS_STREAM_FLAG_RECEIVE_PUSH | FWPS_STREAM_FLAG_SEND_NODELAY);
		if (!NT_SUCCESS(FwpsStreamInjectAsync0(sh_current()->inj, NULL, 0, t->flow,
						       s->stream_id, FWPS_LAYER_STREAM_V4, fl,
						       t->clone, t->len, free_clone_nbl, s))) {
			FwpsFreeCloneNetBufferList0(t->clone, 0);
			s->errors++;
		}
		return;
	}
	size_t L = strlen(s->find), R = strlen(s->repl);
	uint8_t *buf = malloc(s->ncarry + t->len + 1);
	if (s->ncarry)
		memcpy(buf, s->carry, s->ncarry);
	size_t n = s->ncarry + flatten(t->clone, buf + s->ncarry);
	uint8_t *outb = malloc(n / (L ? L : 1) * (R + 1) + n + 1);
	size_t keep = t->fin ? 0 : tail_partial(buf, n, s->find);
	size_t o = 0;
	for (size_t i = 0; i < n - keep;) {
		if (i + L <= n && !memcmp(buf + i, s->find, L)) {
			memcpy(outb + o, s->repl, R);
			o += R;
			i += L;
		} else {
			outb[o++] = buf[i++];
		}
	}
	free(s->carry);
	s->carry = keep ? malloc(keep) : NULL;
	if (keep)
		memcpy(s->carry, buf + n - keep, keep);
	s->ncarry = keep;
	inject_bytes(s, t->flow, dirf, outb, o);
	free(buf);
	free(outb);
	if (t->fin) {
		/* The FIN goes last, as the clone of the empty FIN indication. */
		UINT32 fl = t->clone->Flags &
			    ~(UINT32)(FWPS_STREAM_FLAG_RECEIVE_PUSH | FWPS_STREAM_FLAG_SEND_NODELAY);
		if (!NT_SUCCESS(FwpsStreamInjectAsync0(sh_current()->inj, NULL, 0, t->flow,
						       s->stream_id, FWPS_LAYER_STREAM_V4, fl,
						       t->clone, 0, free_clone_nbl, s))) {
			FwpsFreeCloneNetBufferList0(t->clone, 0);
			s->errors++;
		}
	} else {
		FwpsFreeCloneNetBufferList0(t->clone, 0);
	}
}

static void *worker(void *p)
{
	ed_set *s = p;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		while ((!s->head || s->hold) && !s->stop)
			pthread_cond_wait(&s->cv, &s->mu);
		if (!s->head)
			break;
		ed_task *t = s->head;
		s->head = t->next;
		if (!s->head)
			s->tail = NULL;
		pthread_mutex_unlock(&s->mu);
		run_task(s, t);
		pthread_mutex_lock(&s->mu);
		s->pending -= t->len;
		bool resume = s->busy && s->pending <= s->busy_threshold / 4;
		if (resume)
			s->busy = false;
		UINT32 fl = s->defer_flags;
		UINT64 flow = s->defer_flow;
		pthread_mutex_unlock(&s->mu);
		if (resume) {
			/* The worker can drain the backlog before the classify that
			 * answered DEFER has returned: the engine then waits for it. */
			NTSTATUS st = FwpsStreamContinue0(flow, s->stream_id, FWPS_LAYER_STREAM_V4,
							  fl);
			if (NT_SUCCESS(st))
				s->continues++;
			else
				s->errors++;
		}
		free(t);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* ------------------------------------------------------------ plumbing */

static void NTAPI stream_classify(const FWPS_INCOMING_VALUES0 *in,
				  const FWPS_INCOMING_METADATA_VALUES0 *meta, void *ld,
				  const void *cc, const FWPS_FILTER3 *filter, UINT64 ctx,
				  FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)cc;
	ed_set *s = set_of(filter->action.calloutId);
	assert_non_null(s);
	assert_int_not_equal(ctx, 0); /* conditional on flow: only flows with state */
	if (s->kind == ED_INLINE)
		inline_classify(s, meta, ld, out);
	else
		oob_classify(s, meta, ld, ctx, out);
}

static void NTAPI ale_classify(const FWPS_INCOMING_VALUES0 *in,
			       const FWPS_INCOMING_METADATA_VALUES0 *meta, void *ld, const void *cc,
			       const FWPS_FILTER3 *filter, UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)ld, (void)cc, (void)ctx;
	ed_set *s = set_of(filter->action.calloutId);
	ed_flow *ef = calloc(1, sizeof(*ef));
	ef->set = s;
	if (FwpsFlowAssociateContext0(meta->flowHandle, FWPS_LAYER_STREAM_V4, s->stream_id,
				      (UINT64)(uintptr_t)ef) == STATUS_SUCCESS)
		s->flow_states++;
	else
		free(ef);
	out->actionType = FWP_ACTION_CONTINUE;
}

static void NTAPI stream_flow_delete(UINT16 layer, UINT32 id, UINT64 ctx)
{
	(void)layer;
	ed_set *s = set_of(id);
	s->flow_states--;
	free((void *)(uintptr_t)ctx);
}

static NTSTATUS NTAPI notify(FWPS_CALLOUT_NOTIFY_TYPE t, const GUID *k, FWPS_FILTER3 *f)
{
	(void)t, (void)k, (void)f;
	return STATUS_SUCCESS;
}

static UINT32 reg(sh *h, GUID key, const GUID *layer, UINT32 flags, FWPS_CALLOUT_CLASSIFY_FN3 fn,
		  FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 del)
{
	FWPM_CALLOUT0 mc;
	memset(&mc, 0, sizeof(mc));
	mc.calloutKey = key;
	mc.applicableLayer = *layer;
	assert_int_equal(FwpmCalloutAdd0(h->session, &mc, NULL, NULL), STATUS_SUCCESS);
	FWPS_CALLOUT3 sc;
	memset(&sc, 0, sizeof(sc));
	sc.calloutKey = key;
	sc.flags = flags;
	sc.classifyFn = fn;
	sc.notifyFn = notify;
	sc.flowDeleteFn = del;
	UINT32 id = 0;
	assert_int_equal(FwpsCalloutRegister3(&h->device, &sc, &id), STATUS_SUCCESS);
	return id;
}

void ed_install(sh *h, ed_set *s, enum ed_kind kind, UINT16 weight, const char *find, const char *repl)
{
	static uint32_t seq = 0x6000;
	assert_true(nsets < MAX_SETS);
	s->kind = kind;
	s->find = find;
	s->repl = repl;
	if (!s->busy_threshold)
		s->busy_threshold = 16 * 1024;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->stream_key = sh_guid(++seq);
	s->ale_key = sh_guid(++seq);
	sets[nsets++] = s;
	s->stream_id = reg(h, s->stream_key, &FWPM_LAYER_STREAM_V4,
			   FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW, stream_classify, stream_flow_delete);
	s->ale_id = reg(h, s->ale_key, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, 0, ale_classify, NULL);
	GUID sub = sh_sublayer(h, weight);
	sh_filter_layer(h, &FWPM_LAYER_STREAM_V4, &sub, FWP_ACTION_CALLOUT_TERMINATING,
			&s->stream_key, 0);
	sh_filter_layer(h, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, NULL, FWP_ACTION_CALLOUT_INSPECTION,
			&s->ale_key, 0);
	if (kind != ED_INLINE)
		pthread_create(&s->worker, NULL, worker, s);
}

void ed_hold(ed_set *s, bool hold)
{
	pthread_mutex_lock(&s->mu);
	s->hold = hold;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

void ed_stop(ed_set *s)
{
	if (s->kind != ED_INLINE) {
		pthread_mutex_lock(&s->mu);
		s->stop = true;
		pthread_cond_signal(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->worker, NULL);
	}
	free(s->carry);
	s->carry = NULL;
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	for (size_t i = 0; i < nsets; i++)
		if (sets[i] == s)
			sets[i] = sets[--nsets];
}
