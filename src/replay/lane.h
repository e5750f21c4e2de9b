/*
 * A replay lane: the flows one thread drives through the engine, with
 * their wake queue, report counters and outputs. With one worker the
 * capture thread is the only lane and calls in line; with --workers N
 * each worker thread has one and the dispatcher (shard.c) feeds it the
 * capture's callbacks as messages. Internal to src/replay.
 */
#ifndef OWFP_REPLAY_LANE_H
#define OWFP_REPLAY_LANE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "host/host.h"
#include "replay/coalesce.h"
#include "replay/extract.h"
#include "replay/outlog.h"
#include "replay/progress.h"
#include "replay/replay.h"
#include "replay/report.h"
#include "replay/wakeq.h"

struct owfp_shard;

typedef struct rp_flow {
	owfp_wakeq_node wnode; /* first: wake queue nodes map back to flows */
	struct replay *rp;
	owfp_flow *flow;
	uint64_t id;
	uint64_t preset_id; /* workers: the id the dispatcher gave (capture order) */
	const char *cap_path;
	owfp_capture_flow info;
	bool local_is_client;
	bool dropped, aborted, offloaded, cap_ended;
	bool finished; /* engine flow closed and reported; waits for the capture's flow_end */
	enum owfp_capture_end_reason cap_end;
	bool src_ended[2]; /* per capture dir: FIN or RST seen at the source */
	int end[2];        /* per capture dir: what reached the receiver */
	bool deferred[2];  /* per engine dir: a DEFER not yet continued */
	bool spoke;        /* something was indicated; last_cdir is its direction */
	unsigned last_cdir;
	uint64_t indicated[2], delivered[2];
	owfp_extract_stream xs[2];
	owfp_coalesce_run run; /* bytes waiting to be indicated as one (Q19) */
	bool created;          /* ensure_flow ran: the engine flow exists, or was refused */
	uint64_t start_seq;    /* workers: the order of the final close */
	/* Workers: the capture callback the flow was dropped in (the rest of
	 * that callback still runs, later ones are ignored), whether its own
	 * chunk's indication dropped it, and whether it asked the capture to
	 * ignore it (read by the capture thread). */
	uint64_t drop_cb;
	bool drop_cb_set, drop_own;
	atomic_bool cap_ignored;
	struct rp_flow *next, *prev;
} rp_flow;

typedef struct replay {
	const owfp_replay_opts *o;
	bool open_failed; /* the first capture could not be opened */
	owfp_host *host;
	owfp_engine *engine;
	owfp_capture *cap; /* NULL in a worker lane */
	const char *cap_path;
	owfp_wakeq wq;
	owfp_coalescer co; /* unused with --segments and in worker lanes */
	owfp_extract *x;
	FILE *events;
	rp_flow live;     /* list head of flows not yet closed */
	rp_flow *current; /* the flow being driven, for events */
	owfp_replay_report *r;
	owfp_progress progress;
	struct timespec deadline;
	bool deadline_set;
	int error;           /* first internal error (negative errno) */
	bool stopped;        /* opts.stop was seen: no drain, no further captures */
	bool settle_gave_up; /* deferred work once did not settle at a turn */
	/* Display names by callout id, read once the filters are in: events
	 * may carry only the key of a callout registered before its
	 * FWPM_CALLOUT0 named it. */
	owfp_engine_stats names;
	/* Worker lanes only: where ignore/pause requests go, and the ordered
	 * outputs (events and flows.tsv rows through `events` and `rows`). */
	struct owfp_shard *shard;
	owfp_outlog *out;
	FILE *rows;
} replay;

/* What the dispatcher's messages do in a worker lane: the steps of the
 * in-line callbacks in replay.c, in the same order. */
void owfp_replay_lane_service(replay *rp);
void owfp_replay_lane_start(replay *rp, rp_flow *rf);
bool owfp_replay_lane_create(replay *rp, rp_flow *rf);
void owfp_replay_lane_turn(replay *rp, rp_flow *rf, unsigned cdir, bool turn);
void owfp_replay_lane_indicate(replay *rp, rp_flow *rf, unsigned cdir, const uint8_t *bytes,
			       size_t len, unsigned cflags, uint64_t missed);
void owfp_replay_lane_data_done(replay *rp, rp_flow *rf);
void owfp_replay_lane_end(replay *rp, rp_flow *rf, unsigned dir, bool rst, bool turn);
void owfp_replay_lane_flow_end(replay *rp, rp_flow *rf, enum owfp_capture_end_reason reason);
void owfp_replay_lane_drain(replay *rp);
/* Closes every flow of the lane, in start order; sets the output key's
 * sub to each flow's start_seq + 1 first (workers). */
void owfp_replay_lane_close_all(replay *rp, uint64_t seq);
/* The engine's event and log callbacks find the lane of their thread. */
void owfp_replay_lane_bind(replay *rp);

#endif
