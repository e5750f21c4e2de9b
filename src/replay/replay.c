/*
 * The replay data path: capture callbacks in, owfp_flow_* calls out, and
 * the engine's decisions (owfp_flow_ops) carried out on the extraction,
 * the capture (ignore, pause) and the report. One thread owns every flow;
 * other threads only reach us through ops->wake.
 */
#include "replay/replay.h"

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "host/dir.h"
#include "host/events.h"
#include "host/flow_key.h"
#include "host/flow_ops.h"
#include "host/host.h"
#include "replay/coalesce.h"
#include "replay/events.h"
#include "replay/extract.h"
#include "replay/lane.h"
#include "replay/local.h"
#include "replay/shard.h"
#include "replay/progress.h"
#include "replay/report.h"
#include "replay/wakeq.h"
#include "util/deadline.h"
#include "wdm/deferred.h"
#include "util/alloc.h"

enum { END_NONE, END_FIN, END_RST };

static const owfp_flow_ops rp_ops;
static bool ensure_flow(struct replay *rp, rp_flow *rf);

/* ------------------------------------------------------------ helpers */

/* The lane of this thread: a worker's, or NULL for the capture thread's. */
static _Thread_local replay *bound_lane;

void owfp_replay_lane_bind(replay *rp)
{
	bound_lane = rp;
}

/* The capture belongs to the capture thread: a worker lane asks for it. */
static void cap_ignore(replay *rp, rp_flow *rf)
{
	atomic_store(&rf->cap_ignored, true);
	if (rp->shard)
		owfp_shard_request(rp->shard, OWFP_SHARD_IGNORE, rf->info.id, 0);
	else if (rp->cap)
		owfp_capture_ignore(rp->cap, rf->info.id);
}

static void cap_pause(replay *rp, rp_flow *rf, unsigned cdir, bool paused)
{
	if (rp->shard)
		owfp_shard_request(rp->shard, paused ? OWFP_SHARD_PAUSE : OWFP_SHARD_RESUME,
				   rf->info.id, cdir);
	else if (paused)
		owfp_capture_pause(rp->cap, rf->info.id, cdir);
	else
		owfp_capture_resume(rp->cap, rf->info.id, cdir);
}

static int cap_dir(const rp_flow *rf, int edir)
{
	return owfp_host_dir_from_client(rf->local_is_client, edir) ? OWFP_CAPTURE_DIR_C2S
								    : OWFP_CAPTURE_DIR_S2C;
}

static int eng_dir(const rp_flow *rf, unsigned cdir)
{
	return owfp_host_dir(rf->local_is_client, cdir == OWFP_CAPTURE_DIR_C2S);
}

static rp_flow *find_flow(replay *rp, uint64_t id)
{
	if (rp->current && rp->current->id == id)
		return rp->current;
	for (rp_flow *f = rp->live.next; f != &rp->live; f = f->next)
		if (f->id == id)
			return f;
	return NULL;
}

static bool need_wait(rp_flow *rf)
{
	if (!rf->flow || rf->dropped || owfp_flow_dropped(rf->flow))
		return false;
	if ((rf->deferred[0] || rf->deferred[1]) && owfp_flow_busy(rf->flow))
		return true;
	return rf->src_ended[0] && rf->src_ended[1] && !owfp_flow_finished(rf->flow);
}

static const char *end_name(const rp_flow *rf, int cdir)
{
	if (rf->end[cdir] == END_FIN)
		return owfp_replay_end_names[OWFP_END_FIN];
	if (rf->dropped)
		return owfp_replay_end_names[OWFP_END_DROP];
	if (rf->aborted || rf->end[cdir] == END_RST)
		return owfp_replay_end_names[OWFP_END_RST];
	if (rf->cap_end == OWFP_CAPTURE_END_TIMEOUT || rf->cap_end == OWFP_CAPTURE_END_EVICTED)
		return owfp_replay_end_names[OWFP_END_TIMEOUT];
	return owfp_replay_end_names[OWFP_END_OPEN];
}

static int end_index(const char *name)
{
	for (int i = 0; i < OWFP_END_COUNT; i++)
		if (!strcmp(owfp_replay_end_names[i], name))
			return i;
	return OWFP_END_OPEN;
}

/* Closes the engine flow and reports it (events, --extract rows, summary). */
static void finish_flow(replay *rp, rp_flow *rf)
{
	uint64_t held = 0;
	if (rf->finished)
		return;
	ensure_flow(rp, rf);
	rf->finished = true;
	owfp_coalesce_discard(&rp->co, &rf->run);
	if (rf->flow) {
		held = owfp_flow_held_bytes(rf->flow, 0) + owfp_flow_held_bytes(rf->flow, 1);
		rp->current = rf;
		owfp_flow_close(rf->flow);
		rp->current = NULL;
		rf->flow = NULL;
	}
	owfp_wakeq_remove(&rp->wq, &rf->wnode);
	if (held) {
		rp->r->held_bytes += held;
		rp->r->held_flows++;
	}

	const char *ends[2] = {end_name(rf, 0), end_name(rf, 1)};
	for (int d = 0; d < 2; d++) {
		rp->r->ends[d][end_index(ends[d])]++;
		rp->r->indicated[d] += rf->indicated[d];
		rp->r->delivered[d] += rf->delivered[d];
	}
	if (rf->dropped)
		rp->r->flows_dropped++;
	if (rf->offloaded)
		rp->r->flows_offloaded++;
	if (rp->events)
		owfp_replay_event_flow_end(rp->events, rf->id, ends[0], ends[1], rf->delivered,
					   rf->indicated, held,
					   rf->cap_ended ? owfp_capture_end_reason_name(rf->cap_end)
					   : rf->dropped ? "ignored"
							 : "open");
	if (rp->x) {
		const owfp_capture_endpoint *c = &rf->info.client, *s = &rf->info.server;
		owfp_extract_stream_end_to(rp->x, &rf->xs[0], rp->rows, rf->id, c->text, c->port,
					   s->text, s->port, ends[0]);
		owfp_extract_stream_end_to(rp->x, &rf->xs[1], rp->rows, rf->id, s->text, s->port,
					   c->text, c->port, ends[1]);
	}
	owfp_replay_talker t = {.flow_id = rf->id,
				.cport = rf->info.client.port,
				.sport = rf->info.server.port,
				.bytes = {rf->indicated[0], rf->indicated[1]}};
	memcpy(t.client, rf->info.client.text, sizeof(t.client));
	memcpy(t.server, rf->info.server.text, sizeof(t.server));
	if (rp->out)
		owfp_outlog_append(rp->out, OWFP_OUT_TALKER, &t, sizeof(t));
	else
		owfp_replay_report_talker(rp->r, &t);
}

static void close_flow(replay *rp, rp_flow *rf)
{
	finish_flow(rp, rf);
	rf->prev->next = rf->next;
	rf->next->prev = rf->prev;
	free(rf);
}

/*
 * A flow closes when the capture ended it and nothing is outstanding. A
 * dropped flow is finished at once (the capture ignores the rest of it), so
 * its engine state and buffers go now; the small record waits for the
 * capture's flow_end. Never called from inside an engine callback.
 */
static void maybe_close(replay *rp, rp_flow *rf)
{
	if (rf->cap_ended && !need_wait(rf))
		close_flow(rp, rf);
	else if (rf->dropped && !rf->finished)
		finish_flow(rp, rf);
}

/* Runs what other threads queued (continue, injections, aborts). */
static void service_wakes(replay *rp)
{
	owfp_wakeq_node *n;
	while ((n = owfp_wakeq_pop(&rp->wq))) {
		rp_flow *rf = (rp_flow *)n;
		if (!rf->flow)
			continue;
		/* What the capture handed over came before the queued work. */
		owfp_coalesce_flush(&rp->co, &rf->run);
		if (!rf->flow)
			continue;
		rp->current = rf;
		owfp_flow_run_pending(rf->flow);
		rp->current = NULL;
		maybe_close(rp, rf);
	}
}

static bool any_need_wait(replay *rp, uint64_t *count)
{
	uint64_t n = 0;
	for (rp_flow *f = rp->live.next; f != &rp->live; f = f->next)
		n += need_wait(f);
	if (count)
		*count = n;
	return n > 0;
}

static void set_deadline(replay *rp)
{
	if (rp->deadline_set)
		return;
	rp->deadline = owfp_deadline_after_ns(CLOCK_MONOTONIC, rp->o->drain_timeout_ms * 1000000u);
	rp->deadline_set = true;
}

/*
 * Q29: wait for deferred streams to be continued and for flows whose both
 * directions ended to settle (out-of-band injections, held FINs), bounded
 * by the drain deadline. Sleeps on the wake queue's condition variable.
 */
static void drain(replay *rp)
{
	uint64_t start = owfp_clock_ms(), waiting = 0;
	if (rp->stopped || (rp->o->stop && *rp->o->stop)) {
		service_wakes(rp);
		return;
	}
	set_deadline(rp);
	owfp_workitems_hold(false); /* --work-items at-turns: the end is a turn */
	for (;;) {
		service_wakes(rp);
		if (!any_need_wait(rp, &waiting))
			break;
		if (waiting > rp->r->drain_flows)
			rp->r->drain_flows = waiting;
		if (!owfp_wakeq_wait(&rp->wq, &rp->deadline)) {
			rp->r->drain_timed_out = true;
			break;
		}
	}
	rp->r->drain_waited_ms += owfp_clock_ms() - start;
}

/* ---------------------------------------------------------- engine ops */

static void op_deliver(void *dp, owfp_flow *flow, int dir, const uint8_t *data, size_t len)
{
	rp_flow *rf = dp;
	int c = cap_dir(rf, dir);
	(void)flow;
	rf->delivered[c] += len;
	if (rf->rp->x)
		owfp_extract_write(rf->rp->x, &rf->xs[c], data, len);
}

static void op_deliver_fin(void *dp, owfp_flow *flow, int dir)
{
	rp_flow *rf = dp;
	(void)flow;
	rf->end[cap_dir(rf, dir)] = END_FIN;
}

static void op_deliver_abort(void *dp, owfp_flow *flow, int dir)
{
	rp_flow *rf = dp;
	(void)flow;
	rf->aborted = true;
	if (rf->end[cap_dir(rf, dir)] != END_FIN)
		rf->end[cap_dir(rf, dir)] = END_RST;
}

static void op_drop(void *dp, owfp_flow *flow, enum owfp_drop_reason why)
{
	rp_flow *rf = dp;
	(void)flow;
	(void)why;
	rf->dropped = true;
	rf->deferred[0] = rf->deferred[1] = false;
	if (!rf->cap_ended)
		cap_ignore(rf->rp, rf);
}

static void op_pause(void *dp, owfp_flow *flow, int dir, bool paused)
{
	rp_flow *rf = dp;
	(void)flow;
	if (rf->cap_ended || (!rf->rp->cap && !rf->rp->shard))
		return;
	cap_pause(rf->rp, rf, (unsigned)cap_dir(rf, dir), paused);
}

static void op_offload(void *dp, owfp_flow *flow)
{
	rp_flow *rf = dp;
	(void)flow;
	rf->offloaded = true;
}

static void op_wake(void *dp, owfp_flow *flow)
{
	rp_flow *rf = dp;
	(void)flow;
	owfp_wakeq_push(&rf->rp->wq, &rf->wnode);
}

static const owfp_flow_ops rp_ops = OWFP_HOST_FLOW_OPS(op);

/* ------------------------------------------------------ engine events */

static void on_event(void *user, const owfp_event *ev)
{
	replay *rp = bound_lane ? bound_lane : user;
	rp_flow *rf;
	if (ev->type == OWFP_EV_FLOW_START || ev->type == OWFP_EV_FLOW_END)
		return; /* replay writes its own, with addresses */
	if ((ev->type == OWFP_EV_DEFER || ev->type == OWFP_EV_CONTINUE) &&
	    (ev->dir == 0 || ev->dir == 1) && (rf = find_flow(rp, ev->flow_id)))
		rf->deferred[ev->dir] = ev->type == OWFP_EV_DEFER;
	if (ev->type == OWFP_EV_MISSED)
		rp->r->missed_bytes_events += ev->bytes;
	if (rp->events) {
		owfp_event named = *ev;
		for (size_t i = 0; ev->callout_id && i < rp->names.ncallouts && i < 64; i++)
			if (rp->names.callouts[i].callout_id == ev->callout_id)
				named.callout_name = rp->names.callouts[i].name;
		owfp_host_event_write(rp->events, &named);
		rp->r->events_written++;
	}
}

static void on_log(void *user, enum owfp_log_level lvl, const char *msg)
{
	replay *rp = bound_lane ? bound_lane : user;
	int v = rp->o->verbosity;
	if ((lvl == OWFP_LOG_ERROR && v >= -1) || (lvl == OWFP_LOG_WARN && v >= 0) ||
	    (lvl == OWFP_LOG_INFO && v >= 1) || (lvl == OWFP_LOG_DEBUG && v >= 2)) {
		/* In capture order, by the writer; an error at once (a failure
		 * may end the process before the writer gets to it). */
		if (rp->out && lvl != OWFP_LOG_ERROR) {
			char line[1200];
			int n = snprintf(line, sizeof(line), "openwfp: %s\n", msg);
			owfp_outlog_append(rp->out, OWFP_OUT_LOG, line,
					   n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
			return;
		}
		if (!rp->out) /* the progress bar is the capture thread's */
			owfp_progress_clear(&rp->progress);
		fprintf(rp->o->diag, "openwfp: %s\n", msg);
	}
}

/* -------------------------------------------------------- capture sink */

static void check_stop(replay *rp)
{
	if (rp->o->stop && *rp->o->stop && rp->cap && !rp->stopped) {
		rp->stopped = true;
		owfp_capture_stop(rp->cap);
	}
}

/*
 * A direction turn: the capture shows rf's other host sending after it had
 * received what came before (a host answers what it got). Out-of-band
 * callouts work on what came before in work items and DPCs and inject it
 * later; without the path they were in, the capture does not wait for them,
 * so replay does: until the drivers' deferred work is idle and its
 * injections have run, bounded by --drain-timeout. Otherwise the answer (a
 * FIN, the next request) overtakes the edited bytes it followed, and what a
 * driver that keeps per-flow state sees depends on thread timing. A driver
 * whose deferred work never idles costs one bound, then turns stop waiting.
 */
static void settle(replay *rp, rp_flow *rf)
{
	if (rp->settle_gave_up || rp->stopped || (rp->shard && rp->o->stop && *rp->o->stop))
		return;
	if (!owfp_deferred_ever_queued()) { /* nothing to wait for: no clock read either */
		service_wakes(rp);
		return;
	}
	uint64_t start = owfp_clock_ms(), budget = rp->o->drain_timeout_ms;
	for (;;) {
		service_wakes(rp);
		uint64_t spent = owfp_clock_ms() - start;
		if (spent >= budget || !owfp_deferred_wait_idle(budget - spent)) {
			rp->settle_gave_up = true;
			fprintf(stderr,
				"openwfp: replay: flow %" PRIu64 ": the drivers' work items or DPCs "
				"were still busy after %" PRIu64 " ms at a direction turn; later "
				"turns do not wait for them (--drain-timeout sets the bound)\n",
				rf->id, budget);
			return;
		}
		if (!owfp_wakeq_pending(&rp->wq))
			return;
	}
}

static void settle_turn(replay *rp, rp_flow *rf, unsigned cdir)
{
	bool turn = rf->spoke && rf->last_cdir != cdir;

	rf->spoke = true;
	rf->last_cdir = cdir;
	if (turn)
		settle(rp, rf);
}

static void endpoint_of(owfp_host_endpoint *e, int family, const owfp_capture_endpoint *c)
{
	e->family = family;
	memcpy(e->addr, c->addr, sizeof(e->addr));
	e->port = c->port;
}

/*
 * The engine flow (ALE_FLOW_ESTABLISHED, the stream pipelines, the extract
 * streams) is made when the flow first has something for the engine: its
 * first data, FIN or RST, or its end. A flow that never carried data (a SYN
 * scan, an unanswered SYN) then holds only the capture's record and rp_flow
 * until its end, instead of ~3.4 KB of engine state (issue 17 item 7); the
 * engine still sees every flow, in the same order relative to its own
 * events. Flow ids are the engine's, so they follow that order.
 */
static bool ensure_flow(replay *rp, rp_flow *rf)
{
	if (rf->created)
		return rf->flow != NULL;
	rf->created = true;
	const owfp_capture_flow *cf = &rf->info;
	owfp_flow_key key;
	owfp_host_conn hc = {.local_is_client = rf->local_is_client, .midstream = cf->midstream};
	endpoint_of(&hc.client, cf->family, &cf->client);
	endpoint_of(&hc.server, cf->family, &cf->server);
	owfp_host_flow_key(&hc, &key);
	owfp_replay_process_apply(rp->o, &key);
	key.flow_id = rf->preset_id;

	if (rp->x) {
		char a[128], b[128];
		snprintf(a, sizeof(a), "%s.%u-%s.%u", cf->client.text, cf->client.port,
			 cf->server.text, cf->server.port);
		snprintf(b, sizeof(b), "%s.%u-%s.%u", cf->server.text, cf->server.port,
			 cf->client.text, cf->client.port);
		if (owfp_extract_flow_begin(rp->x, a, b, &rf->xs[0], &rf->xs[1]) && !rp->error)
			rp->error = -ENOMEM;
	}

	rp_flow *was = rp->current;
	rp->current = rf;
	int rc = owfp_flow_create(rp->engine, &key, &rp_ops, rf, &rf->flow);
	rp->current = was;
	if (rc) {
		/* Refused at ALE_FLOW_ESTABLISHED (or no memory): nothing is delivered. */
		rf->flow = NULL;
		rf->dropped = true;
		rp->r->flows_refused++;
		if (!rf->cap_ended)
			cap_ignore(rp, rf);
	} else {
		rf->id = owfp_flow_id(rf->flow);
	}
	if (rp->events)
		owfp_replay_event_flow_start(rp->events, rf->id, rf->cap_path, cf,
					     rf->local_is_client, rc != 0);
	return rf->flow != NULL;
}

static void *on_flow_start(void *user, const owfp_capture_flow *cf)
{
	replay *rp = user;
	rp_flow *rf = owfp_calloc(1, sizeof(*rf));
	check_stop(rp);
	service_wakes(rp);
	if (!rf) {
		rp->error = rp->error ? rp->error : -ENOMEM;
		owfp_capture_ignore(rp->cap, cf->id);
		return NULL;
	}
	rf->rp = rp;
	rf->cap_path = rp->cap_path;
	rf->info = *cf;
	rf->local_is_client = owfp_replay_local_is_client(rp->o, cf);
	rp->r->flows++;
	rp->r->flows_midstream += cf->midstream;
	rf->next = &rp->live;
	rf->prev = rp->live.prev;
	rp->live.prev->next = rf;
	rp->live.prev = rf;
	return rf;
}

/* One indication of capture direction `cdir` (capture flags). */
static void indicate(replay *rp, rp_flow *rf, unsigned cdir, const uint8_t *bytes, size_t len,
		     unsigned cflags, uint64_t missed)
{
	uint32_t flags = 0;
	if (!rf->flow || rf->dropped)
		return;
	if (cflags & OWFP_CAPTURE_DATA_PSH)
		flags |= OWFP_SEG_PUSH;
	if (cflags & OWFP_CAPTURE_DATA_URG)
		flags |= OWFP_SEG_URGENT;
	rp_flow *was = rp->current;
	rp->current = rf;
	owfp_flow_indicate(rf->flow, eng_dir(rf, cdir), bytes, len, flags, missed);
	rp->current = was;
	rp->r->indications++;
}

static void on_run(void *user, owfp_coalesce_run *run, unsigned cdir, const uint8_t *data,
		   size_t len, unsigned flags, uint64_t missed)
{
	rp_flow *rf = (rp_flow *)((char *)run - offsetof(rp_flow, run));
	indicate(user, rf, cdir, data, len, flags, missed);
}

/* Indicates rf's pending run now (before anything else of rf). A drop it
 * causes is left to the caller's maybe_close. */
static void flush_run(replay *rp, rp_flow *rf)
{
	owfp_coalesce_flush(&rp->co, &rf->run);
}

static void on_data(void *user, void *fu, const owfp_capture_data *d)
{
	replay *rp = user;
	rp_flow *rf = fu;
	check_stop(rp);
	if (owfp_wakeq_pending(&rp->wq))
		service_wakes(rp);
	if (!rf)
		return;
	rf->indicated[d->dir] += d->len;
	if (!ensure_flow(rp, rf)) {
		maybe_close(rp, rf);
		return;
	}
	if (rf->dropped)
		return;
	/* The other side spoke: its run ends before the turn. */
	if (rf->run.len && rf->run.dir != d->dir)
		flush_run(rp, rf);
	if (!rf->flow || rf->dropped)
		return;
	settle_turn(rp, rf, d->dir);
	if (!rf->flow || rf->dropped)
		return;
	if (rp->o->segments)
		indicate(rp, rf, d->dir, d->bytes, d->len, d->flags, d->missed_before);
	else
		owfp_coalesce_add(&rp->co, &rf->run, d);
	if (rf->dropped)
		maybe_close(rp, rf);
}

static void mark_ended(rp_flow *rf, unsigned dir, bool rst)
{
	if (rst)
		rf->src_ended[0] = rf->src_ended[1] = true;
	else
		rf->src_ended[dir & 1] = true;
}

/* The FIN or RST itself, once rf has its engine flow and its run is out:
 * settles the direction turn when `turn`, then indicates the end; closes rf
 * when the engine dropped it. Shared by one thread and the workers. */
static void end_in_turn(replay *rp, rp_flow *rf, unsigned dir, bool rst, bool turn)
{
	if (!rf->flow || rf->dropped) {
		maybe_close(rp, rf);
		return;
	}
	owfp_replay_lane_turn(rp, rf, dir & 1, turn);
	if (!rf->flow || rf->dropped)
		return;
	rp->current = rf;
	if (rst)
		owfp_flow_indicate_abort(rf->flow, eng_dir(rf, dir));
	else
		owfp_flow_indicate_fin(rf->flow, eng_dir(rf, dir));
	rp->current = NULL;
	if (rf->dropped)
		maybe_close(rp, rf);
}

/* A FIN (rst false) or RST of capture direction dir: what waits in rf's run
 * goes first, then the end in its turn; closes rf when the engine dropped it. */
static void indicate_end(replay *rp, rp_flow *rf, unsigned dir, bool rst)
{
	if (owfp_wakeq_pending(&rp->wq))
		service_wakes(rp);
	if (!rf)
		return;
	mark_ended(rf, dir, rst);
	ensure_flow(rp, rf);
	flush_run(rp, rf);
	end_in_turn(rp, rf, dir, rst, rf->spoke && rf->last_cdir != (dir & 1));
}

static void on_fin(void *user, void *fu, unsigned dir, uint64_t ts)
{
	(void)ts;
	indicate_end(user, fu, dir, false);
}

static void on_rst(void *user, void *fu, unsigned dir, uint64_t ts)
{
	(void)ts;
	indicate_end(user, fu, dir, true);
}

static void on_flow_end(void *user, void *fu, enum owfp_capture_end_reason reason, uint64_t ts)
{
	replay *rp = user;
	rp_flow *rf = fu;
	(void)ts;
	if (owfp_wakeq_pending(&rp->wq))
		service_wakes(rp);
	if (!rf)
		return;
	flush_run(rp, rf);
	rf->cap_ended = true;
	rf->cap_end = reason;
	maybe_close(rp, rf);
}

static void on_end_of_input(void *user)
{
	replay *rp = user;
	owfp_coalesce_flush_all(&rp->co);
	drain(user);
}

static void on_progress(void *user, uint64_t done, uint64_t total)
{
	replay *rp = user;
	owfp_progress_update(&rp->progress, done, total);
}

static void on_idle(void *user)
{
	replay *rp = user;
	check_stop(rp);
	owfp_coalesce_flush_all(&rp->co); /* a quiet live capture holds nothing back */
	service_wakes(rp);
}

static void on_notice(void *user, const char *message)
{
	replay *rp = user;
	if (rp->o->verbosity >= 0) {
		owfp_progress_clear(&rp->progress);
		fprintf(rp->o->diag, "openwfp: %s: %s\n", rp->cap_path, message);
	}
}

static const owfp_capture_sink rp_sink = {
	.flow_start = on_flow_start,
	.data = on_data,
	.fin = on_fin,
	.rst = on_rst,
	.flow_end = on_flow_end,
	.end_of_input = on_end_of_input,
	.progress = on_progress,
	.notice = on_notice,
	.idle = on_idle,
};

/* ------------------------------------------------------- worker lanes */

/* Each step below is the part of an in-line callback above that runs on
 * the flow's lane; the dispatcher (shard.c) did the capture's part (the
 * coalescer, the id, the turn) on the capture thread, in the same order.
 * A message for a flow the lane has dropped is ignored whole, as the
 * capture would not have delivered it after owfp_capture_ignore. */

void owfp_replay_lane_service(replay *rp)
{
	if (owfp_wakeq_pending(&rp->wq))
		service_wakes(rp);
}

void owfp_replay_lane_start(replay *rp, rp_flow *rf)
{
	service_wakes(rp);
	rp->r->flows++;
	rp->r->flows_midstream += rf->info.midstream;
	rf->next = &rp->live;
	rf->prev = rp->live.prev;
	rp->live.prev->next = rf;
	rp->live.prev = rf;
}

bool owfp_replay_lane_create(replay *rp, rp_flow *rf)
{
	if (!ensure_flow(rp, rf)) {
		maybe_close(rp, rf);
		return false;
	}
	return !rf->dropped;
}

void owfp_replay_lane_turn(replay *rp, rp_flow *rf, unsigned cdir, bool turn)
{
	rf->spoke = true;
	rf->last_cdir = cdir;
	if (turn && rf->flow && !rf->dropped)
		settle(rp, rf);
}

void owfp_replay_lane_indicate(replay *rp, rp_flow *rf, unsigned cdir, const uint8_t *bytes,
			       size_t len, unsigned cflags, uint64_t missed)
{
	indicate(rp, rf, cdir, bytes, len, cflags, missed);
}

void owfp_replay_lane_data_done(replay *rp, rp_flow *rf)
{
	if (rf->dropped)
		maybe_close(rp, rf);
}

void owfp_replay_lane_end(replay *rp, rp_flow *rf, unsigned dir, bool rst, bool turn)
{
	mark_ended(rf, dir, rst);
	ensure_flow(rp, rf);
	end_in_turn(rp, rf, dir, rst, turn);
}

void owfp_replay_lane_flow_end(replay *rp, rp_flow *rf, enum owfp_capture_end_reason reason)
{
	rf->cap_ended = true;
	rf->cap_end = reason;
	maybe_close(rp, rf);
}

void owfp_replay_lane_drain(replay *rp)
{
	drain(rp);
}

void owfp_replay_lane_close_all(replay *rp, uint64_t seq)
{
	while (rp->live.next != &rp->live) {
		rp_flow *rf = rp->live.next;
		if (rp->out) {
			if (rp->events)
				fflush(rp->events);
			if (rp->rows)
				fflush(rp->rows);
			owfp_outlog_key(rp->out, seq, rf->start_seq + 1);
		}
		close_flow(rp, rf); // NOLINT(clang-analyzer-unix.Malloc)
	}
}

/* --------------------------------------------------------------- run */

static int run_capture(replay *rp, const char *path, owfp_error *err)
{
	owfp_capture_opts copts;
	owfp_capture_error cerr;
	owfp_replay_report *r = rp->r;
	owfp_replay_capture_report *cr = &r->caps[r->ncaps++];
	int rc;

	memset(&cerr, 0, sizeof(cerr));
	owfp_capture_opts_init(&copts);
	copts.overlap = rp->o->overlap;
	copts.verify_checksums = rp->o->verify_checksums;
	copts.read_ahead = !rp->o->no_read_ahead;
	if (rp->o->progress)
		copts.progress_step = 1u << 20;
	bool live = rp->o->live_iface != NULL;
	char name[300];
	snprintf(name, sizeof(name), live ? "interface %s" : "%s", path);
	if (!(cr->file = owfp_strdup(name))) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return OWFP_REPLAY_BAD_INPUT;
	}
	copts.stop = rp->o->stop;
	if (live)
		rc = owfp_capture_open_live(path, rp->o->bpf, &copts, &rp->cap, &cerr);
	else
		rc = owfp_capture_open(path, &copts, &rp->cap, &cerr);
	if (rc) {
		rp->open_failed = r->ncaps == 1; /* nothing read at all: no report */
		cr->failed = true;
		snprintf(cr->error, sizeof(cr->error), "%s", cerr.message[0] ? cerr.message : path);
		snprintf(err->msg, sizeof(err->msg), "%s", cr->error);
		return OWFP_REPLAY_BAD_INPUT;
	}
	rp->cap_path = path;
	rp->deadline_set = false;
	cr->reader = owfp_capture_reader_name(rp->cap);
	cr->linktype = owfp_capture_linktype(rp->cap);
	if (live) {
		/* Scripts and people wait for this line: packets are captured from now on. */
		char what[400];
		owfp_capture_describe(rp->cap, what, sizeof(what));
		fprintf(rp->o->diag,
			"openwfp replay: listening on %s (Ctrl-C or SIGTERM ends it)\n", what);
		fflush(rp->o->diag);
	}
	owfp_progress_start(&rp->progress, rp->o->progress ? rp->o->diag : NULL, path);
	owfp_workitems_hold(rp->o->hold_work_items);
	if (rp->shard) {
		rc = owfp_shard_run_capture(rp->shard, &cerr);
	} else {
		rc = owfp_capture_run(rp->cap, &rp_sink, rp, &cerr);
		owfp_coalesce_flush_all(&rp->co);
		drain(rp);
	}
	owfp_workitems_hold(false);
	while (rp->live.next != &rp->live)
		/* close_flow unlinks rf from the sentinel list; the analyzer cannot follow it. */
		close_flow(rp, rp->live.next); // NOLINT(clang-analyzer-unix.Malloc)
	owfp_progress_finish(&rp->progress);
	owfp_capture_get_stats(rp->cap, &cr->stats);
	owfp_capture_close(rp->cap);
	rp->cap = NULL;
	/* A signal also interrupts a blocking read (a pipe from tcpdump): that
	 * read error is the stop, not bad input. */
	if (rc == -ECANCELED || (rc && rp->o->stop && *rp->o->stop))
		return live ? OWFP_REPLAY_OK : OWFP_REPLAY_STOPPED; /* a live run ends so */
	if (rc) {
		cr->failed = true;
		snprintf(cr->error, sizeof(cr->error), "%s", cerr.message[0] ? cerr.message : path);
		snprintf(err->msg, sizeof(err->msg), "%s", cr->error);
		return OWFP_REPLAY_BAD_INPUT;
	}
	return OWFP_REPLAY_OK;
}

/* Filters that can never run: said once, before the first flow (off with -q). */
static void warn_shadowed(void *user, const char *msg)
{
	replay *rp = user;

	fprintf(rp->o->diag, "openwfp: %s\n", msg);
}

int owfp_replay_run(const owfp_replay_opts *o, owfp_replay_report **report, owfp_error *err)
{
	replay rp;
	owfp_host_opts ho;
	int status = OWFP_REPLAY_OK;
	uint64_t t0 = owfp_clock_ms();

	memset(&rp, 0, sizeof(rp));
	*report = NULL;
	/* A file that is not a capture: that, and nothing else (no report). */
	for (size_t i = 0; !o->live_iface && i < o->ncaptures; i++) {
		owfp_capture_error cerr;
		if (owfp_capture_probe(o->captures[i], &cerr)) {
			snprintf(err->msg, sizeof(err->msg), "%s", cerr.message);
			return OWFP_REPLAY_BAD_INPUT;
		}
	}
	rp.o = o;
	rp.live.next = rp.live.prev = &rp.live;
	owfp_coalesce_init(&rp.co, on_run, &rp);
	if (!(rp.r = owfp_calloc(1, sizeof(*rp.r))) ||
	    !(rp.r->caps = owfp_calloc(o->ncaptures + 1, sizeof(*rp.r->caps)))) {
		free(rp.r);
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return OWFP_REPLAY_BAD_INPUT;
	}
	snprintf(rp.r->config, sizeof(rp.r->config), "%s",
		 o->config_path ? o->config_path
		 : o->nplugins  ? "(plugins only)"
				: "(default: count)");
	rp.r->nplugins = o->nplugins;
	if (owfp_wakeq_init(&rp.wq)) {
		owfp_replay_report_free(rp.r);
		snprintf(err->msg, sizeof(err->msg), "cannot create the wake queue");
		return OWFP_REPLAY_BAD_INPUT;
	}

	if (o->events_path) {
		rp.events = strcmp(o->events_path, "-") ? fopen(o->events_path, "w") : stdout;
		if (!rp.events) {
			snprintf(err->msg, sizeof(err->msg), "%s: cannot create: %s",
				 o->events_path, strerror(errno));
			status = OWFP_REPLAY_BAD_INPUT;
			goto out;
		}
		if (o->live_iface) /* live events are read as they happen (tail -f) */
			setvbuf(rp.events, NULL, _IOLBF, 0);
	}
	if (o->extract_dir && owfp_extract_open(o->extract_dir, &rp.x, err)) {
		status = OWFP_REPLAY_BAD_INPUT;
		goto out;
	}
	memset(&ho, 0, sizeof(ho));
	ho.engine.event = on_event;
	ho.engine.log = on_log;
	ho.engine.user = &rp;
	ho.config_path = o->config_path;
	ho.plugins = o->plugins;
	ho.nplugins = o->nplugins;
	ho.driver_params = o->driver_params;
	ho.ndriver_params = o->ndriver_params;
	if (o->verbosity >= 0) {
		ho.warn = warn_shadowed;
		ho.warn_user = &rp;
	}
	if (owfp_host_open(&ho, &rp.host, err)) {
		status = OWFP_REPLAY_BAD_INPUT;
		goto out;
	}
	rp.engine = owfp_host_engine(rp.host);
	owfp_engine_stats_get(rp.engine, &rp.names);

	unsigned workers = owfp_shard_workers(o, o->diag);
	if (workers > 1 && owfp_shard_create(&rp, workers, &rp.shard)) {
		snprintf(err->msg, sizeof(err->msg), "cannot start %u replay workers", workers);
		status = OWFP_REPLAY_BAD_INPUT;
		goto out;
	}
	if (o->live_iface)
		status = run_capture(&rp, o->live_iface, err);
	for (size_t i = 0; !o->live_iface && i < o->ncaptures && status == OWFP_REPLAY_OK; i++)
		status = run_capture(&rp, o->captures[i], err);
	owfp_shard_destroy(rp.shard); /* adds the workers' counters and errors */
	rp.shard = NULL;
	if (status == OWFP_REPLAY_STOPPED)
		snprintf(err->msg, sizeof(err->msg), "interrupted: the report covers what was read");
	if (rp.error && status == OWFP_REPLAY_OK) {
		snprintf(err->msg, sizeof(err->msg), "replay failed: %s", strerror(-rp.error));
		status = OWFP_REPLAY_BAD_INPUT;
	}
	owfp_engine_stats_get(rp.engine, &rp.r->engine);
	if (!rp.open_failed)
		*report = rp.r;
out:
	owfp_shard_destroy(rp.shard);
	service_wakes(&rp);
	while (rp.live.next != &rp.live)
		/* close_flow unlinks rf from the sentinel list; the analyzer cannot follow it. */
		close_flow(&rp, rp.live.next); // NOLINT(clang-analyzer-unix.Malloc)
	owfp_host_close(rp.host);
	if (rp.x) {
		owfp_error xerr;
		if (owfp_extract_close(rp.x, &xerr) && status == OWFP_REPLAY_OK) {
			*err = xerr;
			status = OWFP_REPLAY_BAD_INPUT;
		}
	}
	if (rp.events && rp.events != stdout)
		fclose(rp.events);
	else if (rp.events)
		fflush(rp.events);
	owfp_wakeq_destroy(&rp.wq);
	owfp_coalesce_destroy(&rp.co);
	rp.r->elapsed_s = (double)(owfp_clock_ms() - t0) / 1000.0;
	if (!*report)
		owfp_replay_report_free(rp.r);
	return status;
}
