/*
 * The sharded dispatch of `replay --workers N` (shard.h).
 *
 * The capture thread runs the capture's callbacks as the in-line path
 * does, except that the steps a flow's lane takes (create, turn, indicate,
 * FIN/RST, end) become messages to the flow's worker. Every message has a
 * sequence number, and every output a worker makes (outlog.h) is keyed by
 * the message it was making, so merging by key gives the one-thread
 * order. Messages also carry the number of the capture callback they came
 * from: after a drop, a worker ignores the rest of the flow from the next
 * callback on, as the capture would have after owfp_capture_ignore (which
 * the worker asks for, and which takes effect some packets later here).
 */
#include "replay/shard.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "replay/lane.h"
#include "replay/local.h"
#include "replay/ring.h"
#include "util/alloc.h"
#include "wdm/contain.h"

#define RING_BYTES ((size_t)2 << 20) /* > 2x the largest chunk (256 KiB) */
#define MERGE_EVERY 256u             /* messages between merges of the outputs */
#define KICK_EVERY 64u               /* messages to a worker between wake-ups */

enum mtype {
	M_START,
	M_CREATE,
	M_TURN,
	M_DATA,
	M_DONE,
	M_END,
	M_FLOW_END,
	M_ASSIGN,
	M_EOI,
	M_FINAL,
	M_QUIT
};

typedef struct msg {
	uint32_t len; /* first: the ring's length word */
	uint8_t type, dir, flag, pad;
	uint64_t seq, cb;
	rp_flow *rf;
	uint64_t id;
	uint64_t indicated[2];
	uint64_t missed;
	uint32_t flags, reason;
	_Alignas(8) uint8_t data[];
} msg;

typedef struct worker {
	owfp_shard *s;
	pthread_t th;
	bool started;
	owfp_ring ring;
	replay lane;
	owfp_outlog out;
	_Alignas(64) atomic_ullong done; /* seq of the last message finished */
	uint64_t posted;                 /* capture thread: seq of the last message sent */
	unsigned unkicked;               /* capture thread: messages since the last kick */
} worker;

/* The capture thread's half of a flow. */
typedef struct sflow {
	owfp_coalesce_run run; /* first: runs map back to flows */
	rp_flow *rf;           /* the lane's half, owned by the worker after M_START */
	worker *w;
	uint64_t id;
	uint64_t indicated[2];
	bool spoke;
	unsigned last_cdir;
	struct sflow *next, *prev;
} sflow;

typedef struct req {
	enum owfp_shard_req what;
	uint64_t flow;
	unsigned dir;
} req;

struct owfp_shard {
	replay *rp;
	unsigned n;
	worker *w;
	uint64_t seq, cb, next_id;
	sflow live; /* in start order */
	owfp_coalescer co;
	sflow *adding; /* the flow whose own chunk is being added */
	bool own_sent; /* an indication of that chunk was sent */
	unsigned since_merge;
	pthread_mutex_t req_mu;
	req *reqs;
	size_t nreqs, capreqs;
	atomic_bool req_pending;
	pthread_mutex_t done_mu;
	pthread_cond_t done_cv;
	atomic_int writer_waiting;
};

unsigned owfp_shard_of(const owfp_capture_flow *cf, unsigned n)
{
	uint64_t h[2];
	const owfp_capture_endpoint *e[2] = {&cf->client, &cf->server};
	for (int i = 0; i < 2; i++) {
		uint64_t x = 0xcbf29ce484222325ull ^ e[i]->port;
		for (int k = 0; k < 16; k++)
			x = (x ^ e[i]->addr[k]) * 0x100000001b3ull;
		x ^= x >> 29;
		h[i] = x * 0xbf58476d1ce4e5b9ull;
	}
	uint64_t m = h[0] + h[1]; /* either order: both directions, both ways round */
	m ^= m >> 31;
	return (unsigned)(m % n);
}

unsigned owfp_shard_workers(const owfp_replay_opts *o, FILE *diag)
{
	unsigned n = o->workers ? o->workers : 1;
	const char *why = NULL;
	if (n <= 1)
		return 1;
	if (o->live_iface)
		why = "a live capture writes its events as they happen";
	else if (o->hold_work_items)
		why = "--work-items at-turns holds the drivers' work items for one thread's turns";
	else if (owfp_contain_strict())
		why = "--strict-asserts stops at the first failure, which must not depend on "
		      "the workers' timing";
	if (!why)
		return n;
	if (o->verbosity >= 0)
		fprintf(diag, "openwfp: replay: --workers %u: replaying on one worker: %s\n", n, why);
	return 1;
}

void owfp_shard_request(owfp_shard *s, enum owfp_shard_req what, uint64_t cap_flow, unsigned dir)
{
	pthread_mutex_lock(&s->req_mu);
	if (s->nreqs == s->capreqs) {
		size_t cap = s->capreqs ? s->capreqs * 2 : 64;
		req *n = owfp_realloc(s->reqs, cap * sizeof(*n));
		if (!n) { /* a lost pause or ignore: the engine's own limits still hold */
			pthread_mutex_unlock(&s->req_mu);
			return;
		}
		s->reqs = n;
		s->capreqs = cap;
	}
	s->reqs[s->nreqs++] = (req){what, cap_flow, dir};
	atomic_store(&s->req_pending, true);
	pthread_mutex_unlock(&s->req_mu);
}

static void apply_requests(owfp_shard *s)
{
	if (!atomic_load_explicit(&s->req_pending, memory_order_relaxed))
		return;
	pthread_mutex_lock(&s->req_mu);
	atomic_store(&s->req_pending, false);
	owfp_capture *cap = s->rp->cap;
	for (size_t i = 0; cap && i < s->nreqs; i++) {
		req *q = &s->reqs[i];
		if (q->what == OWFP_SHARD_IGNORE)
			owfp_capture_ignore(cap, q->flow);
		else if (q->what == OWFP_SHARD_PAUSE)
			owfp_capture_pause(cap, q->flow, q->dir);
		else
			owfp_capture_resume(cap, q->flow, q->dir);
	}
	s->nreqs = 0;
	pthread_mutex_unlock(&s->req_mu);
}

/* ----------------------------------------------------- ordered output */

static bool key_less(const owfp_outrec *a, const owfp_outrec *b)
{
	return a->seq != b->seq ? a->seq < b->seq : a->sub < b->sub;
}

static void emit(replay *rp, const owfp_outrec *r)
{
	switch (r->kind) {
	case OWFP_OUT_EVENTS:
		if (rp->events)
			fwrite(r->data, 1, r->len, rp->events);
		break;
	case OWFP_OUT_TSV:
		if (rp->x)
			owfp_extract_rows_write(rp->x, r->data, r->len);
		break;
	case OWFP_OUT_TALKER: {
		owfp_replay_talker t;
		memcpy(&t, r->data, sizeof(t));
		owfp_replay_report_talker(rp->r, &t);
		break;
	}
	case OWFP_OUT_LOG:
		owfp_progress_clear(&rp->progress);
		fwrite(r->data, 1, r->len, rp->o->diag);
		break;
	}
}

/*
 * Writes every record no worker can still precede: a worker with messages
 * outstanding may yet output at the key of its next one, which is above
 * the last it finished; an idle worker's next message comes after all.
 */
static void merge(owfp_shard *s)
{
	uint64_t limit = UINT64_MAX;
	for (unsigned v = 0; v < s->n; v++) {
		uint64_t d = atomic_load_explicit(&s->w[v].done, memory_order_acquire);
		if (d != s->w[v].posted && d < limit)
			limit = d;
	}
	for (;;) {
		const owfp_outrec *best = NULL;
		unsigned bw = 0;
		for (unsigned v = 0; v < s->n; v++) {
			const owfp_outrec *r = owfp_outlog_peek(&s->w[v].out);
			if (r && r->seq <= limit && (!best || key_less(r, best))) {
				best = r;
				bw = v;
			}
		}
		if (!best)
			break;
		emit(s->rp, best);
		owfp_outlog_next(&s->w[bw].out);
	}
	s->since_merge = 0;
}

/* Waits until every worker finished what it was sent, then merges. */
static void kick_all(owfp_shard *s);

static void wait_all(owfp_shard *s)
{
	kick_all(s);
	pthread_mutex_lock(&s->done_mu);
	atomic_store(&s->writer_waiting, 1);
	for (unsigned v = 0; v < s->n; v++)
		while (atomic_load(&s->w[v].done) != s->w[v].posted)
			pthread_cond_wait(&s->done_cv, &s->done_mu);
	atomic_store(&s->writer_waiting, 0);
	pthread_mutex_unlock(&s->done_mu);
	merge(s);
}

/* ------------------------------------------------------------ sending */

static msg *begin(owfp_shard *s, worker *w, enum mtype type, sflow *sf, size_t datalen)
{
	size_t len = sizeof(msg) + datalen;
	msg *m = owfp_ring_reserve(&w->ring, len);
	memset(m, 0, sizeof(*m));
	m->len = (uint32_t)len;
	m->type = (uint8_t)type;
	m->seq = s->seq;
	m->cb = s->cb;
	if (sf) {
		m->rf = sf->rf;
		m->id = sf->id;
		m->indicated[0] = sf->indicated[0];
		m->indicated[1] = sf->indicated[1];
	}
	return m;
}

static void kick_all(owfp_shard *s)
{
	for (unsigned v = 0; v < s->n; v++) {
		owfp_ring_kick(&s->w[v].ring);
		s->w[v].unkicked = 0;
	}
}

static void hand_over(owfp_shard *s, worker *w, msg *m)
{
	w->posted = m->seq;
	owfp_ring_commit(&w->ring, m->len);
	s->seq++;
	if (++w->unkicked >= KICK_EVERY) {
		owfp_ring_kick(&w->ring);
		w->unkicked = 0;
	}
	if (++s->since_merge >= MERGE_EVERY) {
		kick_all(s);
		merge(s);
	}
}

static void post(owfp_shard *s, sflow *sf, enum mtype type, unsigned dir, unsigned flag)
{
	msg *m = begin(s, sf->w, type, sf, 0);
	m->dir = (uint8_t)dir;
	m->flag = (uint8_t)flag;
	hand_over(s, sf->w, m);
}

static void post_data(owfp_shard *s, sflow *sf, unsigned dir, const uint8_t *data, size_t len,
		      unsigned flags, uint64_t missed, bool own)
{
	msg *m = begin(s, sf->w, M_DATA, sf, len);
	m->dir = (uint8_t)dir;
	m->flag = own;
	s->own_sent |= own;
	m->flags = flags;
	m->missed = missed;
	if (len)
		memcpy(m->data, data, len);
	hand_over(s, sf->w, m);
}

static void broadcast(owfp_shard *s, enum mtype type)
{
	for (unsigned v = 0; v < s->n; v++) {
		msg *m = begin(s, &s->w[v], type, NULL, 0);
		s->w[v].posted = m->seq;
		owfp_ring_commit(&s->w[v].ring, m->len);
	}
	s->seq++;
	kick_all(s);
}

/* The engine flow is made at the flow's first step for it (ensure_flow):
 * its id is the next in capture order, as the engine would number it. */
static void ensure_id(owfp_shard *s, sflow *sf)
{
	if (!sf->id) {
		sf->id = ++s->next_id;
		post(s, sf, M_CREATE, 0, 0);
	}
}

static void on_run(void *user, owfp_coalesce_run *run, unsigned cdir, const uint8_t *data,
		   size_t len, unsigned flags, uint64_t missed)
{
	owfp_shard *s = user;
	sflow *sf = (sflow *)run;
	post_data(s, sf, cdir, data, len, flags, missed, sf == s->adding);
}

static void turn(owfp_shard *s, sflow *sf, unsigned cdir, enum mtype type, unsigned rst)
{
	bool t = sf->spoke && sf->last_cdir != cdir;
	sf->spoke = true;
	sf->last_cdir = cdir;
	if (type == M_TURN)
		post(s, sf, M_TURN, cdir, t);
	else
		post(s, sf, M_END, cdir, (t ? 1u : 0u) | (rst ? 2u : 0u));
}

/*
 * The coalescer holds at most OWFP_COALESCE_PENDING_MAX runs and flushes
 * the oldest to start one more, so which run goes depends on which are
 * pending; in line, a dropped flow's run is discarded at once, here it
 * stays until the capture thread hears of the drop. So before an add that
 * would flush the oldest, catch up: wait for the workers, and discard the
 * runs of the flows they dropped, as the one thread would have.
 */
static bool would_evict(const owfp_coalescer *c, const owfp_coalesce_run *r,
			const owfp_capture_data *d)
{
	bool urgent = d->flags & OWFP_CAPTURE_DATA_URG;
	bool ends = r->len && (r->dir != d->dir || d->missed_before || urgent || !d->len ||
			       d->ts_ns > r->last_ts + OWFP_COALESCE_GAP_NS ||
			       r->len + d->len > OWFP_COALESCE_MAX);
	bool direct = urgent || !d->len || (d->flags & OWFP_CAPTURE_DATA_PSH) ||
		      d->len >= OWFP_COALESCE_MAX;
	size_t pending = c->npending - (ends ? 1 : 0);
	return (!r->len || ends) && !direct && pending >= OWFP_COALESCE_PENDING_MAX;
}

static void forget_dropped(owfp_shard *s)
{
	wait_all(s);
	owfp_coalesce_run *r = s->co.pending.next, *next;
	for (; r != &s->co.pending; r = next) {
		next = r->next;
		if (atomic_load(&((sflow *)r)->rf->cap_ignored))
			owfp_coalesce_discard(&s->co, r);
	}
}

/* ------------------------------------------------------ capture sink */

static void enter(owfp_shard *s)
{
	replay *rp = s->rp;
	s->cb++;
	if (rp->o->stop && *rp->o->stop && rp->cap && !rp->stopped) {
		rp->stopped = true;
		owfp_capture_stop(rp->cap);
	}
	apply_requests(s);
}

static void *on_flow_start(void *user, const owfp_capture_flow *cf)
{
	owfp_shard *s = user;
	replay *rp = s->rp;
	enter(s);
	sflow *sf = owfp_calloc(1, sizeof(*sf));
	rp_flow *rf = owfp_calloc(1, sizeof(*rf));
	if (!sf || !rf) {
		free(sf);
		free(rf);
		rp->error = rp->error ? rp->error : -ENOMEM;
		owfp_capture_ignore(rp->cap, cf->id);
		return NULL;
	}
	sf->w = &s->w[owfp_shard_of(cf, s->n)];
	sf->rf = rf;
	rf->rp = &sf->w->lane;
	rf->cap_path = rp->cap_path;
	rf->info = *cf;
	rf->local_is_client = owfp_replay_local_is_client(rp->o, cf);
	rf->start_seq = s->seq;
	sf->next = &s->live;
	sf->prev = s->live.prev;
	s->live.prev->next = sf;
	s->live.prev = sf;
	post(s, sf, M_START, 0, 0);
	return sf;
}

static void on_data(void *user, void *fu, const owfp_capture_data *d)
{
	owfp_shard *s = user;
	sflow *sf = fu;
	enter(s);
	if (!sf)
		return;
	sf->indicated[d->dir] += d->len;
	ensure_id(s, sf);
	if (sf->run.len && sf->run.dir != d->dir)
		owfp_coalesce_flush(&s->co, &sf->run);
	turn(s, sf, d->dir, M_TURN, 0);
	if (!s->rp->o->segments && would_evict(&s->co, &sf->run, d))
		forget_dropped(s);
	s->adding = sf;
	s->own_sent = false;
	if (s->rp->o->segments)
		post_data(s, sf, d->dir, d->bytes, d->len, d->flags, d->missed_before, true);
	else
		owfp_coalesce_add(&s->co, &sf->run, d);
	s->adding = NULL;
	/* Only an indication of its own chunk can have dropped it here. */
	if (s->own_sent)
		post(s, sf, M_DONE, 0, 0);
}

static void on_end(owfp_shard *s, sflow *sf, unsigned dir, bool rst)
{
	enter(s);
	if (!sf)
		return;
	ensure_id(s, sf);
	owfp_coalesce_flush(&s->co, &sf->run);
	turn(s, sf, dir & 1, M_END, rst);
}

static void on_fin(void *user, void *fu, unsigned dir, uint64_t ts)
{
	(void)ts;
	on_end(user, fu, dir, false);
}

static void on_rst(void *user, void *fu, unsigned dir, uint64_t ts)
{
	(void)ts;
	on_end(user, fu, dir, true);
}

static void on_flow_end(void *user, void *fu, enum owfp_capture_end_reason reason, uint64_t ts)
{
	owfp_shard *s = user;
	sflow *sf = fu;
	(void)ts;
	enter(s);
	if (!sf)
		return;
	owfp_coalesce_flush(&s->co, &sf->run);
	if (!sf->id) /* closing makes the engine flow of a flow that never had one */
		sf->id = ++s->next_id;
	msg *m = begin(s, sf->w, M_FLOW_END, sf, 0);
	m->reason = (uint32_t)reason;
	hand_over(s, sf->w, m);
	sf->prev->next = sf->next;
	sf->next->prev = sf->prev;
	free(sf);
}

static void on_end_of_input(void *user)
{
	owfp_shard *s = user;
	s->cb++;
	owfp_coalesce_flush_all(&s->co);
	broadcast(s, M_EOI);
}

static void on_progress(void *user, uint64_t done, uint64_t total)
{
	owfp_shard *s = user;
	owfp_progress_update(&s->rp->progress, done, total);
}

static void on_notice(void *user, const char *message)
{
	owfp_shard *s = user;
	replay *rp = s->rp;
	if (rp->o->verbosity >= 0) {
		owfp_progress_clear(&rp->progress);
		fprintf(rp->o->diag, "openwfp: %s: %s\n", rp->cap_path, message);
	}
}

static const owfp_capture_sink shard_sink = {
	.flow_start = on_flow_start,
	.data = on_data,
	.fin = on_fin,
	.rst = on_rst,
	.flow_end = on_flow_end,
	.end_of_input = on_end_of_input,
	.progress = on_progress,
	.notice = on_notice,
};

int owfp_shard_run_capture(owfp_shard *s, owfp_capture_error *cerr)
{
	int rc = owfp_capture_run(s->rp->cap, &shard_sink, s, cerr);
	s->cb++;
	owfp_coalesce_flush_all(&s->co);
	/* Flows the capture never ended are closed in start order: the ones
	 * never made get their ids in that order, as ensure_flow gives them. */
	for (sflow *sf = s->live.next, *next; sf != &s->live; sf = next) {
		next = sf->next;
		if (!sf->id) {
			sf->id = ++s->next_id;
			post(s, sf, M_ASSIGN, 0, 0);
		}
		free(sf);
	}
	s->live.next = s->live.prev = &s->live;
	broadcast(s, M_FINAL);
	wait_all(s);
	pthread_mutex_lock(&s->req_mu); /* the capture they were for is gone */
	s->nreqs = 0;
	atomic_store(&s->req_pending, false);
	pthread_mutex_unlock(&s->req_mu);
	return rc;
}

/* ------------------------------------------------------------ workers */

static void handle(replay *rp, const msg *m)
{
	rp_flow *rf = m->rf;
	switch (m->type) {
	case M_START:
		owfp_replay_lane_start(rp, rf);
		return;
	case M_EOI:
		owfp_replay_lane_drain(rp);
		return;
	case M_FINAL:
		owfp_replay_lane_drain(rp);
		owfp_replay_lane_close_all(rp, m->seq);
		rp->deadline_set = false; /* the next capture has its own drain */
		return;
	case M_QUIT:
		return;
	case M_ASSIGN:
		rf->preset_id = m->id;
		return;
	default:
		break;
	}
	owfp_replay_lane_service(rp);
	if (m->type == M_FLOW_END) {
		if (!rf->preset_id)
			rf->preset_id = m->id;
		if (!rf->dropped)
			memcpy(rf->indicated, m->indicated, sizeof(rf->indicated));
		owfp_replay_lane_flow_end(rp, rf, (enum owfp_capture_end_reason)m->reason);
		return;
	}
	/* Dropped in an earlier callback: the capture would not deliver it. */
	if (rf->dropped && !(rf->drop_cb_set && rf->drop_cb == m->cb))
		return;
	bool was = rf->dropped;
	if (!rf->preset_id)
		rf->preset_id = m->id;
	if (!was)
		memcpy(rf->indicated, m->indicated, sizeof(rf->indicated));
	switch (m->type) {
	case M_CREATE:
		owfp_replay_lane_create(rp, rf);
		break;
	case M_TURN:
		if (!rf->drop_cb_set)
			owfp_replay_lane_turn(rp, rf, m->dir, m->flag);
		break;
	case M_DATA:
		if (!rf->drop_cb_set)
			owfp_replay_lane_indicate(rp, rf, m->dir, m->data, m->len - sizeof(*m),
						  m->flags, m->missed);
		if (rf->dropped && !was)
			rf->drop_own = m->flag;
		break;
	case M_DONE:
		if (rf->dropped && rf->drop_own) /* dropped by its own chunk's indication */
			owfp_replay_lane_data_done(rp, rf);
		break;
	case M_END:
		owfp_replay_lane_end(rp, rf, m->dir, m->flag & 2, m->flag & 1);
		break;
	}
	if (rf->dropped && !was) {
		rf->drop_cb_set = true;
		rf->drop_cb = m->cb;
	}
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	replay *rp = &w->lane;
	owfp_replay_lane_bind(rp);
	for (;;) {
		msg *m = owfp_ring_peek(&w->ring);
		uint64_t seq = m->seq;
		uint32_t len = m->len;
		int type = m->type;
		owfp_outlog_key(&w->out, seq, 0);
		handle(rp, m);
		if (rp->events)
			fflush(rp->events);
		if (rp->rows)
			fflush(rp->rows);
		owfp_outlog_publish(&w->out);
		owfp_ring_release(&w->ring, len);
		/* Sequentially consistent, against wait_all's flag: one of the
		 * two sees the other, so the writer is never left asleep. */
		atomic_store(&w->done, seq);
		if (atomic_load(&w->s->writer_waiting)) {
			pthread_mutex_lock(&w->s->done_mu);
			pthread_cond_broadcast(&w->s->done_cv);
			pthread_mutex_unlock(&w->s->done_mu);
		}
		if (type == M_QUIT)
			break;
	}
	owfp_replay_lane_bind(NULL);
	return NULL;
}

static void unused_flush(void *user, owfp_coalesce_run *run, unsigned dir, const uint8_t *data,
			 size_t len, unsigned flags, uint64_t missed)
{
	(void)user, (void)run, (void)dir, (void)data, (void)len, (void)flags, (void)missed;
}

static int lane_init(owfp_shard *s, worker *w)
{
	replay *m = s->rp, *rp = &w->lane;
	memset(rp, 0, sizeof(*rp));
	w->s = s;
	atomic_init(&w->done, 0);
	owfp_outlog_init(&w->out);
	rp->o = m->o;
	rp->host = m->host;
	rp->engine = m->engine;
	rp->x = m->x;
	rp->names = m->names;
	rp->shard = s;
	rp->out = &w->out;
	rp->live.next = rp->live.prev = &rp->live;
	owfp_coalesce_init(&rp->co, unused_flush, rp);
	if (!(rp->r = owfp_calloc(1, sizeof(*rp->r))))
		return -ENOMEM;
	if (owfp_wakeq_init(&rp->wq))
		return -ENOMEM;
	if (m->events && !(rp->events = owfp_outlog_stream(&w->out, OWFP_OUT_EVENTS)))
		return -ENOMEM;
	if (m->x && !(rp->rows = owfp_outlog_stream(&w->out, OWFP_OUT_TSV)))
		return -ENOMEM;
	if (owfp_ring_init(&w->ring, RING_BYTES))
		return -ENOMEM;
	if (pthread_create(&w->th, NULL, worker_main, w))
		return -EAGAIN;
	w->started = true;
	return 0;
}

int owfp_shard_create(replay *main, unsigned n, owfp_shard **out)
{
	owfp_shard *s = owfp_calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->rp = main;
	s->live.next = s->live.prev = &s->live;
	pthread_mutex_init(&s->req_mu, NULL);
	pthread_mutex_init(&s->done_mu, NULL);
	pthread_cond_init(&s->done_cv, NULL);
	owfp_coalesce_init(&s->co, on_run, s);
	s->seq = 1;
	if (!(s->w = owfp_calloc(n, sizeof(*s->w)))) {
		owfp_shard_destroy(s);
		return -ENOMEM;
	}
	for (unsigned v = 0; v < n; v++) {
		s->n = v + 1;
		int rc = lane_init(s, &s->w[v]);
		if (rc) {
			owfp_shard_destroy(s);
			return rc;
		}
	}
	*out = s;
	return 0;
}

static void add_report(owfp_replay_report *to, const owfp_replay_report *r)
{
	to->flows += r->flows;
	to->flows_midstream += r->flows_midstream;
	to->flows_refused += r->flows_refused;
	to->flows_dropped += r->flows_dropped;
	to->flows_offloaded += r->flows_offloaded;
	for (int d = 0; d < 2; d++) {
		for (int e = 0; e < OWFP_END_COUNT; e++)
			to->ends[d][e] += r->ends[d][e];
		to->indicated[d] += r->indicated[d];
		to->delivered[d] += r->delivered[d];
	}
	to->held_bytes += r->held_bytes;
	to->held_flows += r->held_flows;
	to->missed_bytes_events += r->missed_bytes_events;
	to->indications += r->indications;
	to->events_written += r->events_written;
	to->drain_flows += r->drain_flows;
	if (r->drain_waited_ms > to->drain_waited_ms)
		to->drain_waited_ms = r->drain_waited_ms;
	to->drain_timed_out |= r->drain_timed_out;
}

void owfp_shard_destroy(owfp_shard *s)
{
	if (!s)
		return;
	for (unsigned v = 0; s->w && v < s->n; v++)
		if (s->w[v].started) {
			msg *m = begin(s, &s->w[v], M_QUIT, NULL, 0);
			s->w[v].posted = m->seq;
			owfp_ring_commit(&s->w[v].ring, m->len);
			owfp_ring_kick(&s->w[v].ring);
		}
	s->seq++;
	for (unsigned v = 0; s->w && v < s->n; v++)
		if (s->w[v].started)
			pthread_join(s->w[v].th, NULL);
	if (s->w && s->n)
		merge(s);
	for (unsigned v = 0; s->w && v < s->n; v++) {
		worker *w = &s->w[v];
		replay *rp = &w->lane;
		if (rp->r) {
			add_report(s->rp->r, rp->r);
			free(rp->r);
		}
		if (rp->error && !s->rp->error)
			s->rp->error = rp->error;
		if (w->out.error && !s->rp->error)
			s->rp->error = w->out.error;
		if (rp->events)
			fclose(rp->events);
		if (rp->rows)
			fclose(rp->rows);
		owfp_wakeq_destroy(&rp->wq);
		owfp_coalesce_destroy(&rp->co);
		owfp_ring_destroy(&w->ring);
		owfp_outlog_destroy(&w->out);
	}
	owfp_coalesce_destroy(&s->co);
	free(s->w);
	free(s->reqs);
	pthread_mutex_destroy(&s->req_mu);
	pthread_mutex_destroy(&s->done_mu);
	pthread_cond_destroy(&s->done_cv);
	free(s);
}
