/*
 * The flow object and its per-direction pipeline (S103–S108). Internal to
 * src/stream; the data paths use openwfp.h.
 *
 * Shape: each data direction has the stages of every matching stream filter
 * (stage.c, decide.c), grouped into sublayers. Bytes enter a sublayer at its
 * first stage, move from stage to stage by CONTINUE, and leave through the
 * sublayer's exit (sublayer.c), which puts them back into stream order using
 * the labels the sublayer gave them on entry (S38) and places injected bytes
 * (inject.c). The last exit delivers to the data path (ops->deliver).
 *
 * Threading: everything here runs on the flow's thread except what is
 * marked "any thread", which goes through `mu` and the pending queue.
 */
#ifndef OWFP_STREAM_FLOW_H
#define OWFP_STREAM_FLOW_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "buffer/chain.h"
#include "buffer/nbl_view.h"
#include "engine/engine.h"

enum owfp_stage_state {
	OWFP_ST_IDLE = 0,
	OWFP_ST_WAIT,     /* NEED_MORE_DATA: held until the threshold (S41) */
	OWFP_ST_DEFERRED, /* DEFER: held until FwpsStreamContinue0 (S48) */
};

/* What a stage does with a run of bytes (decoded answer, or automatic). */
enum owfp_verdict {
	OWFP_V_PERMIT = 0,
	OWFP_V_BLOCK,
	OWFP_V_CONTINUE,
	OWFP_V_NEED_MORE,
	OWFP_V_DEFER,
	OWFP_V_DROP,
	OWFP_V_ALLOW,
};

typedef struct owfp_stage {
	owfp_stage_desc d;
	unsigned idx, sl; /* index in the direction's stages / sublayers */
	int dir;
	owfp_chain in; /* bytes waiting here (held bytes first) */
	size_t urgent_nodes;
	bool push; /* a PSH segment contributed to what is waiting (Q18) */
	enum owfp_stage_state state;
	size_t threshold; /* WAIT: bytes `in` must reach */
	UINT32 defer_flags;
	uint64_t deferred_at_ms; /* owfp_clock_ms() when it answered DEFER */
	bool eof;                /* nothing more will arrive */
	bool fin_in;             /* the end indication is queued behind `in` */
	bool fin_held;           /* the callout blocked the FIN (S57) */
	bool done;               /* the end left this stage */
	bool removed;            /* its filter was deleted (S80) */
	bool skip;               /* never classified on this flow (S81) */
	bool midstream_flag;     /* next classify carries MID_STREAM_INSPECTION */
	uint64_t cursor;         /* label after the last byte it decided (S56) */
	uint64_t missed;         /* S52, reported on the next classify */
	owfp_nbl_view view;
} owfp_stage;

typedef struct owfp_injection owfp_injection;
typedef struct owfp_indication owfp_indication;

typedef struct owfp_sublayer {
	unsigned first, last;
	uint64_t in_count; /* labels handed out */
	uint64_t next;     /* the next label to leave */
	owfp_chain out;    /* decided bytes (and holes) waiting for earlier ones */
	owfp_injection *inj_head, *inj_tail; /* by (pos, seq) */
	bool fin_released;                   /* the FIN left some stage toward the exit */
	bool fin_sent;
} owfp_sublayer;

typedef struct owfp_dirstate {
	owfp_match *match;
	owfp_stage *stages;
	unsigned nstages;
	owfp_sublayer *sls;
	unsigned nsl;
	unsigned stage_cap; /* stages (and sublayers) the `stages` block has room for */
	bool fin_source;    /* the source ended (FIN indicated) */
	bool ended;         /* the FIN was delivered, or the direction aborted */
	bool paused;
	bool mem_paused; /* paused for the process memory limit (memlimit.c) */
	bool rematch;    /* filters changed: rebuild when quiescent */
	uint64_t src_bytes;
	size_t held;      /* bytes inside the pipeline */
	size_t inj_bytes; /* injected bytes not yet handed on */
} owfp_dirstate;

/*
 * Where a flow is in its life (docs/architecture.md has the table). Ordered:
 * from OWFP_FLOW_ABORTED on, the flow takes no new work and `gone` is set.
 * The state changes only in owfp_flow_transition (flow_state.c), which
 * refuses any change the table does not list. Per-direction facts (a FIN
 * seen, a direction ended, paused) stay in owfp_dirstate: a flow is in one
 * state, each of its directions has its own facts.
 */
enum owfp_flow_state {
	OWFP_FLOW_OPEN = 0,     /* bytes move */
	OWFP_FLOW_DROP_PENDING, /* a drop asked for inside a callback; applied when it returns */
	OWFP_FLOW_ABORTED,      /* the source reset (Q24): ABORT presented, both directions ended */
	OWFP_FLOW_DROPPED,      /* S39: everything held discarded, the data path told */
	OWFP_FLOW_ENDED,        /* the flow-end sequence ran (flowDeleteFn) */
	OWFP_FLOW_CLOSED,       /* the data path let go (owfp_flow_close) */
};
#define OWFP_FLOW_NSTATES (OWFP_FLOW_CLOSED + 1)

typedef struct owfp_ctx {
	struct owfp_ctx *next;
	UINT16 layer;
	UINT32 callout_id;
	UINT64 value;
	owfp_callout *callout;
	bool remove_pending; /* FwpsFlowRemoveContext0 during a classify (S77) */
} owfp_ctx;

enum owfp_work_type { OWFP_WORK_INJECT = 1, OWFP_WORK_CONTINUE, OWFP_WORK_ABORT };

typedef struct owfp_work {
	struct owfp_work *next;
	enum owfp_work_type type;
	UINT32 callout_id;
	UINT32 stream_flags;
	bool flag_mismatch;
	owfp_injection *inj;
} owfp_work;

/*
 * The engine options a flow acts on, copied with their defaults resolved
 * when it is created: an engine's options never change after
 * owfp_engine_create, and the copy saves a call into the engine per
 * segment.
 */
typedef struct owfp_flow_opts {
	size_t buffer_limit;     /* S44, per (dir, stage) */
	size_t defer_keep_limit; /* Q8 */
	size_t inject_max;       /* injected bytes outstanding */
	uint64_t defer_timeout_ms;
	enum owfp_nmd_mode nmd_mode;
	enum owfp_missed_mode missed_mode;
	bool events; /* an event sink is set: build events */
} owfp_flow_opts;

void owfp_flow_opts_copy(owfp_flow_opts *to, const owfp_engine_opts *from);

struct owfp_flow {
	owfp_engine *engine;
	struct owfp_flow_table *table;
	owfp_flow_opts opts;
	uint64_t id;
	owfp_flow_key key;
	const owfp_flow_ops *ops;
	void *dp;
	atomic_int refs;
	struct owfp_flow *hnext; /* flow table bucket */

	/* Any thread: */
	pthread_mutex_t mu;
	owfp_work *work_head, *work_tail;
	atomic_bool has_work;
	owfp_ctx *ctxs;
	atomic_int nctxs;                /* length of ctxs; changed under mu, read without it */
	struct owfp_deferral *deferrals; /* stages FwpsStreamContinue0 may resume */
	atomic_bool in_classify;
	atomic_bool gone; /* state >= OWFP_FLOW_ABORTED: refuse new work (set by the transition) */
	/* The callout whose inbound answer is being classified and applied (0:
	 * none), and FwpsStreamContinue0 calls waiting on cv for it to finish:
	 * a worker's continue can overtake the DEFER that it answers. */
	atomic_uint deferring;
	atomic_int continue_waiters;
	pthread_cond_t cv;

	/* Flow thread: */
	owfp_stage *classifying;    /* the stage inside classifyFn, or NULL */
	enum owfp_flow_state state; /* only owfp_flow_transition changes it */
	owfp_dirstate dir[2];
	owfp_bnode_pool pool;
	owfp_slab_writer writer;
	uint64_t generation;
	uint64_t last_filter_id;
	uint64_t inj_seq;
	owfp_injection *done_head, *done_tail; /* completions to run */
	UINT64 *bypass;                        /* filter ids bypassed by ALLOW_CONNECTION (S40) */
	size_t nbypass;
	int depth; /* pump nesting (callbacks may call back in) */
	bool repump;
	bool offloaded;        /* ops->offload was called (once; not a state: bytes still move) */
	uint64_t classify_pos; /* where inline injections go (S53) */
	unsigned ndeferred;    /* stages in OWFP_ST_DEFERRED */
	size_t end_held;       /* bytes discarded by owfp_flow_close */
	/* Why the flow is dropped or to be dropped (DROP_PENDING); 0 while it is
	 * not. Kept after ENDED: the outcome. */
	enum owfp_drop_reason drop_why;
	/* The process memory limit (memlimit.c): what is charged for this
	 * flow now, what it held at the end of the last owfp_flow_* call, and
	 * its place among the sources waiting for usage to fall. */
	size_t mem_charged;
	size_t mem_base;
	owfp_memwait memwait;
	UINT16 layer; /* FWPS_LAYER_STREAM_V4/V6 */
	FWPS_INCOMING_VALUES0 in_values;
	FWPS_INCOMING_VALUE0 values[FWPS_FIELD_STREAM_V4_MAX + 1];
	FWP_BYTE_ARRAY16 v6_local, v6_remote;
	/* A stage block per direction kept for the next pipeline, and its
	 * room; they stay with the flow object in the table's pool. */
	owfp_stage *spare[2];
	unsigned spare_cap[2];
};

/* ---- flow_state.c */
/* Whether the table lists from -> to. */
bool owfp_flow_state_allowed(enum owfp_flow_state from, enum owfp_flow_state to);
const char *owfp_flow_state_name(enum owfp_flow_state s);
/*
 * The one place a flow changes state: checks the transition and the
 * invariants of the states it leaves and enters, sets `gone` (under mu) on
 * entering ABORTED or later, records `why` on entering DROP_PENDING or
 * DROPPED. A transition the table does not list is a bug: it asserts in a
 * Debug build; otherwise it is logged, the flow is made to drop at the next
 * boundary (fail closed, OWFP_DROP_VIOLATION) if it still could carry bytes,
 * and false is returned: the caller must not carry on.
 */
bool owfp_flow_transition(owfp_flow *f, enum owfp_flow_state to, enum owfp_drop_reason why);
/* The flow was dropped: it is, or it ended that way. */
static inline bool owfp_flow_is_dropped(const owfp_flow *f)
{
	return f->state == OWFP_FLOW_DROPPED || (f->state >= OWFP_FLOW_ENDED && f->drop_why);
}
/* The flow-end sequence has run (or the flow is closed). */
static inline bool owfp_flow_is_ended(const owfp_flow *f)
{
	return f->state >= OWFP_FLOW_ENDED;
}
/* FwpsFlowAbort0 from inside a callback, or a limit hit inline: the drop
 * is applied when the callback returns (owfp_flow_apply_pending_drop). */
void owfp_flow_request_drop(owfp_flow *f, enum owfp_drop_reason why);
void owfp_flow_apply_pending_drop(owfp_flow *f);

/* ---- pump.c */
void owfp_flow_pump(owfp_flow *f);
/* Copies what is still held of the data path's memory (before returning). */
void owfp_flow_own_leftovers(owfp_flow *f);

/* ---- flow.c */
/* Discards everything held in both directions; injections complete with status. */
void owfp_flow_discard_all(owfp_flow *f, NTSTATUS status);
void owfp_flow_ref(owfp_flow *f);
void owfp_flow_unref(owfp_flow *f);
/* Ends the flow now (S39): queues discarded, injections failed, ops->drop. */
void owfp_flow_do_drop(owfp_flow *f, enum owfp_drop_reason why, const char *detail);
/* Runs the flow-end sequence once (flowDeleteFn for every context). */
void owfp_flow_end(owfp_flow *f);
void owfp_flow_emit(owfp_flow *f, enum owfp_event_type t, int dir, const owfp_stage *st,
		    uint64_t bytes, const char *detail);
void owfp_flow_violation(owfp_flow *f, owfp_stage *st, const char *rule, const char *what);
bool owfp_flow_limit_check(owfp_flow *f, int dir);

/* ---- pipeline.c */
int owfp_pipeline_build(owfp_flow *f, int dir, owfp_match *m, bool midstream_all);
void owfp_pipeline_free(owfp_flow *f, int dir);
void owfp_pipeline_run_dir(owfp_flow *f, int dir);
bool owfp_pipeline_quiescent(const owfp_flow *f, int dir);
/* Appends source (or injected-onward) bytes to stage `st`'s input. */
void owfp_stage_in_push(owfp_flow *f, owfp_stage *st, owfp_chain *c);
void owfp_stage_set_eof(owfp_flow *f, int dir, unsigned from, unsigned to, bool fin);
owfp_stage *owfp_pipeline_stage_for(owfp_flow *f, int dir, UINT32 callout_id);

/* ---- sublayer.c */
void owfp_sublayer_enter(owfp_flow *f, int dir, unsigned sl, owfp_chain *c);
void owfp_sublayer_accept(owfp_flow *f, int dir, unsigned sl, owfp_chain *c, bool hole);
void owfp_sublayer_flush(owfp_flow *f, int dir, unsigned sl);
void owfp_sublayer_release_fin(owfp_flow *f, int dir, unsigned sl);
void owfp_sublayer_add_injection(owfp_flow *f, int dir, unsigned sl, owfp_injection *inj);
void owfp_sublayer_clear(owfp_flow *f, owfp_sublayer *s);
/* Bytes of `dir` leave the last sublayer. */
void owfp_deliver(owfp_flow *f, int dir, owfp_chain *c);
void owfp_deliver_fin(owfp_flow *f, int dir);

/* ---- stage.c */
bool owfp_stage_ready(owfp_flow *f, owfp_stage *st);
void owfp_stage_step(owfp_flow *f, owfp_stage *st);
/* Moves the whole input on as `v` (PERMIT, CONTINUE or BLOCK), FIN included. */
void owfp_stage_flush(owfp_flow *f, owfp_stage *st, enum owfp_verdict v);
bool owfp_flow_bypassed(const owfp_flow *f, UINT64 filter_id);
void owfp_abort_present(owfp_flow *f, owfp_stage *st, UINT32 stream_flags);
void owfp_stage_classify(owfp_flow *f, owfp_stage *st, const owfp_indication *ind,
			 FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out);
/* The callout injected the FIN it was holding (S57). */
void owfp_stage_release_fin(owfp_flow *f, owfp_stage *st);

/* ---- decide.c */
typedef struct owfp_decision {
	enum owfp_verdict v;
	size_t n;         /* bytes the verdict covers */
	UINT32 required;  /* NEED_MORE */
	const char *rule; /* a violation was handled under this rule, or NULL */
	const char *what;
	enum owfp_drop_reason drop_why;
} owfp_decision;

struct owfp_indication {
	size_t len;
	UINT32 stream_flags;
	UINT32 out_flags; /* NO_MORE_DATA, BUFFER_LIMIT_REACHED */
	bool fin;         /* a DISCONNECT/ABORT indication */
	bool urgent;
	int dir;
};

void owfp_decide(FWP_ACTION_TYPE filter_action, const owfp_indication *ind,
		 const FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_CLASSIFY_OUT0 *out,
		 owfp_decision *d);

/* ---- context.c */
UINT64 owfp_flow_context_get(owfp_flow *f, UINT16 layer, UINT32 callout_id, bool *found);
void owfp_flow_contexts_end(owfp_flow *f);
/* Marks a classify in progress and returns the stage's flow context. */
UINT64 owfp_flow_classify_enter(owfp_flow *f, owfp_stage *st);
void owfp_flow_classify_leave(owfp_flow *f);

/* ---- inject.c */
struct owfp_injection {
	owfp_injection *next;
	uint64_t pos, seq;
	owfp_chain data;
	NET_BUFFER_LIST *nbls; /* completed one by one once handed on */
	FWPS_INJECT_COMPLETE0 complete;
	HANDLE complete_ctx;
	struct owfp_inj_handle *handle;
	UINT32 callout_id;
	UINT32 stream_flags;
	SIZE_T len;
	NTSTATUS status; /* what the completion reports */
	bool fin;        /* DISCONNECT: releases the held FIN */
};
void owfp_inject_run_completions(owfp_flow *f);
/* Completes an injection that will never be handed on (status != success). */
void owfp_inject_fail(owfp_flow *f, owfp_injection *inj, NTSTATUS status);
/* Queues inj for its completion (owfp_inject_run_completions), status as set. */
void owfp_inject_done(owfp_flow *f, owfp_injection *inj);
NTSTATUS owfp_inject_apply(owfp_flow *f, owfp_injection *inj, bool inline_);

/* ---- continue.c */
void owfp_continue_apply(owfp_flow *f, UINT32 callout_id, UINT32 flags, bool mismatch);
void owfp_defer_forget_all(owfp_flow *f);
/* A stage answered DEFER: FwpsStreamContinue0 may now name it (any thread). */
void owfp_defer_record(owfp_flow *f, owfp_stage *st);
void owfp_defer_answer_begin(owfp_flow *f, const owfp_stage *st);
void owfp_defer_answer_end(owfp_flow *f);
/* The stage is no longer deferred for another reason (S80, drop). */
void owfp_defer_forget(owfp_flow *f, UINT32 callout_id);
/* Pauses or resumes sources per Q8 and the memory limit (memlimit.c). */
void owfp_defer_pause_check(owfp_flow *f);

/* ---- memlimit.c */
/* Charges or releases the difference between what the flow holds and what
 * is charged for it (any time, never drops). */
void owfp_flow_mem_charge(owfp_flow *f);
/* End of an owfp_flow_* call: charges, and drops the flow if it grew while
 * the process is over its limit. */
void owfp_flow_mem_check(owfp_flow *f);
/* The flow closes: everything released, no wake-up pending. */
void owfp_flow_mem_close(owfp_flow *f);
/* Whether `dir` stays paused for the memory limit (clears it once usage
 * is below the low mark). */
bool owfp_flow_mem_paused(owfp_flow *f, int dir);

/* ---- flow_table.c */
/*
 * The flows of an engine, by id, for the WFP flow-id calls
 * (FwpsStreamContinue0, FwpsStreamInjectAsync0, FwpsFlowAbort0,
 * FwpsFlowAssociateContext0, ...) from any thread. The stream layer owns
 * it: created with the engine's first flow and kept with the engine
 * (owfp_engine_upper_attach), which destroys it first, closing every flow
 * still open (flowDeleteFn runs). owfp_flow_table_of: the table, created if
 * need be; NULL only when out of memory.
 */
struct owfp_flow_table *owfp_flow_table_of(owfp_engine *engine);
owfp_flow *owfp_flow_table_find(owfp_engine *engine, UINT64 id); /* referenced */
int owfp_flow_table_insert(struct owfp_flow_table *t, owfp_flow *f);
void owfp_flow_table_remove(struct owfp_flow_table *t, owfp_flow *f);
/*
 * Flow objects come from a pool per table and thread slot (only the slot's
 * owner uses it, so no lock), at most OWFP_FLOW_POOL_MAX each, and go back
 * to the pool of the thread that lets the last reference go. A flow from
 * the pool is all zero except the spare stage blocks it keeps. NULL: out
 * of memory.
 */
#define OWFP_FLOW_POOL_MAX 64
owfp_flow *owfp_flow_pool_get(struct owfp_flow_table *t);
/* Gives a flow whose mutex and cv are destroyed back (or frees it). */
void owfp_flow_pool_put(struct owfp_flow_table *t, owfp_flow *f);
/* For tests: flows in the table, its buckets, chain links walked so far. */
void owfp_flow_table_stats(owfp_engine *engine, size_t *count, size_t *nbuckets, uint64_t *steps);
/* Queues work from any thread and wakes the data path. */
void owfp_flow_queue(owfp_flow *f, owfp_work *w);
/* Takes all queued work (oldest first), leaving the queue empty. */
owfp_work *owfp_flow_take_work(owfp_flow *f);
/* True when the caller is the flow's own thread inside a callback. */
bool owfp_flow_on_thread(owfp_flow *f);
/* Brackets every owfp_flow_* entry: returns the previous current flow. */
owfp_flow *owfp_flow_enter(owfp_flow *f);
void owfp_flow_leave(owfp_flow *prev);

/* ---- rematch.c */
void owfp_flow_check_generation(owfp_flow *f);

static inline UINT32 owfp_dir_flag(int dir)
{
	return dir == OWFP_DIR_INBOUND ? FWPS_STREAM_FLAG_RECEIVE : FWPS_STREAM_FLAG_SEND;
}

#endif
