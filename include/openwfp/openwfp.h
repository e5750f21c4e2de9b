/*
 * openwfp native API: what the data paths (replay, proxy, tests, benchmarks)
 * use to drive the WFP stream model.
 *
 * The WFP-named API (fwpsk.h, fwpmk.h) is what callouts see. This header is
 * the other side of the engine: create an engine, create flows, indicate
 * segments into them, and carry out what the engine decides through a small
 * set of callbacks (owfp_flow_ops). Replay and proxy plug in the same way;
 * the stream semantics live only behind this interface.
 *
 * Threading contract
 *  - An engine may be used by many threads. Filters and callouts may be
 *    added and removed at any time (classification sees a consistent
 *    snapshot, old or new).
 *  - A flow belongs to one thread at a time: every owfp_flow_* call for a
 *    flow must come from the thread that owns it (the data path's event
 *    loop). All callout callbacks for that flow (classifyFn, flowDeleteFn,
 *    injection completions, continue re-presentation) run on that thread,
 *    from inside owfp_flow_* calls, never concurrently (spec S31/Q25).
 *  - FwpsStreamContinue0, FwpsStreamInjectAsync0 and FwpsFlowAbort0 may be
 *    called from any thread. They queue work to the flow and call
 *    ops->wake(); the data path then calls owfp_flow_run_pending() on the
 *    flow's thread.
 *
 * Errors: functions return 0 on success or a negative errno; functions that
 * can fail for a reason worth printing also take an owfp_error.
 */
#ifndef OPENWFP_OPENWFP_H
#define OPENWFP_OPENWFP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OWFP_VERSION_STRING "0.1.0"
const char *owfp_version(void);

/* A short, specific message for the edge (CLI) to print. */
typedef struct owfp_error {
	char msg[512];
} owfp_error;

typedef struct owfp_engine owfp_engine;
typedef struct owfp_flow owfp_flow;

/* ---------------------------------------------------------------- engine */

/* Q1: how countBytesRequired is read. */
enum owfp_nmd_mode {
	OWFP_NMD_ADDITIONAL = 0, /* default: bytes beyond what is held (S41) */
	OWFP_NMD_TOTAL = 1,      /* total bytes the next indication must hold */
};

/* Q13: how missedBytes is counted. */
enum owfp_missed_mode {
	OWFP_MISSED_SAME_SUBLAYER = 0, /* default: S52 */
	OWFP_MISSED_INCLUDE_UPPER = 1, /* also bytes blocked by upper sublayers */
};

enum owfp_log_level { OWFP_LOG_ERROR = 0, OWFP_LOG_WARN, OWFP_LOG_INFO, OWFP_LOG_DEBUG };

/* Events the engine reports (replay --events, proxy --events, stats). */
enum owfp_event_type {
	OWFP_EV_FLOW_START = 1,
	OWFP_EV_FLOW_END,
	OWFP_EV_DECISION, /* a non-NONE answer or a BLOCK/PERMIT of bytes */
	OWFP_EV_NEED_MORE_DATA,
	OWFP_EV_DROP, /* flow dropped (DROP_CONNECTION, FwpsFlowAbort0, fail-closed) */
	OWFP_EV_DEFER,
	OWFP_EV_CONTINUE,  /* FwpsStreamContinue0 accepted */
	OWFP_EV_ALLOW,     /* ALLOW_CONNECTION: flow bypassed for a callout */
	OWFP_EV_INJECT,    /* FwpsStreamInjectAsync0 accepted */
	OWFP_EV_MISSED,    /* missedBytes reported to a callout, or a capture hole */
	OWFP_EV_VIOLATION, /* invalid callout output, handled by a documented rule */
	OWFP_EV_LIMIT,     /* a resource limit was hit */
};

typedef struct owfp_event {
	enum owfp_event_type type;
	uint64_t flow_id;         /* 0 when not about a flow */
	int dir;                  /* OWFP_DIR_*, or -1 */
	uint32_t callout_id;      /* 0 when not about a callout */
	const char *callout_name; /* UTF-8 display name, or NULL */
	uint64_t filter_id;
	uint32_t stream_action; /* FWPS_STREAM_ACTION_TYPE as returned */
	uint32_t action_type;   /* FWP_ACTION_TYPE as applied */
	uint64_t bytes;         /* bytes the event is about */
	uint64_t offset;        /* stream offset (source bytes) where it happened */
	const char *detail;     /* human-readable detail (rule number for violations), or NULL */
} owfp_event;

typedef struct owfp_engine_opts {
	enum owfp_nmd_mode nmd_mode;
	enum owfp_missed_mode missed_mode;
	size_t buffer_limit; /* S44 per (flow, dir, filter); 0 = 8 MiB */
	size_t defer_keep_limit; /* Q8: bytes kept while deferred before pausing the source; 0 = 8 MiB */
	size_t inject_outstanding_max; /* bytes injected but not yet delivered per flow; 0 = 64 MiB */
	/* How long a stage may stay deferred without FwpsStreamContinue0
	 * before owfp_flow_expire() resets the flow (fail closed); 0 = 60000. */
	uint64_t defer_timeout_ms;
	/* Every byte the process holds for its flows (engine stages, DEFER,
	 * injections, and what data paths charge for their own queues) counts
	 * against this one limit; 0 = none (docs/semantics.md, "Memory
	 * limit"). At 3/4 of it sources are paused (owfp_flow_may_read), below
	 * 1/2 they resume, past it a flow that still adds bytes is dropped. */
	size_t memory_limit;
	void (*log)(void *user, enum owfp_log_level lvl, const char *msg);
	void (*event)(void *user, const owfp_event *ev); /* may be NULL; called on the flow's thread */
	void *user;
} owfp_engine_opts;

/*
 * Creates an engine and binds it as this process's WFP engine: the WFP-named
 * calls (FwpsCalloutRegister*, FwpmEngineOpen0, Fwps flow calls, ...) act on
 * it. Only one engine may be bound at a time (-EBUSY otherwise).
 */
int owfp_engine_create(const owfp_engine_opts *opts, owfp_engine **out);
/* Ends every remaining flow (flowDeleteFn runs), unbinds and frees. */
void owfp_engine_destroy(owfp_engine *engine);

/* Counters per callout and overall; copy out with owfp_engine_stats(). */
#define OWFP_STREAM_ACTIONS 6 /* NONE..ALLOW_CONNECTION plus one slot for invalid */
typedef struct owfp_callout_stats {
	uint32_t callout_id;
	char name[96];
	uint64_t classify_calls;
	uint64_t bytes_indicated;
	uint64_t bytes_permitted;
	uint64_t bytes_blocked;
	uint64_t bytes_continued;
	uint64_t bytes_injected;
	uint64_t stream_actions[OWFP_STREAM_ACTIONS]; /* index = FWPS_STREAM_ACTION_TYPE, last = invalid */
	uint64_t violations;
} owfp_callout_stats;

typedef struct owfp_engine_stats {
	uint64_t flows_created;
	uint64_t flows_active;
	uint64_t flows_dropped;
	uint64_t bytes_indicated[2]; /* per OWFP_DIR_* */
	uint64_t bytes_delivered[2];
	uint64_t violations;
	uint64_t limits_hit;
	uint64_t driver_failures; /* contained NT_ASSERT/bug checks in drivers (process-wide) */
	size_t ncallouts;
	owfp_callout_stats callouts[64]; /* first 64 registered callouts */
} owfp_engine_stats;

void owfp_engine_stats_get(owfp_engine *engine, owfp_engine_stats *out);

/*
 * The process's byte account (docs/RELIABILITY.md, "Limits"). A data path
 * charges the bytes it queues for its flows and releases them when they
 * leave, so that one count holds everything; the engine charges what its
 * flows hold itself. Any thread. owfp_engine_mem_limit_set changes
 * memory_limit (0 = none); used and peak are in bytes.
 */
void owfp_engine_mem_limit_set(owfp_engine *engine, size_t limit);
void owfp_engine_mem_charge(owfp_engine *engine, size_t bytes);
void owfp_engine_mem_release(owfp_engine *engine, size_t bytes);
size_t owfp_engine_mem_used(owfp_engine *engine);
size_t owfp_engine_mem_peak(owfp_engine *engine);

/*
 * A read-only listing of the committed filters, for management tools
 * (`openwfp filters list` through the proxy's control socket). Reads the
 * published snapshot, so it never waits for a writer.
 */
typedef struct owfp_filter_info {
	uint64_t id;
	char name[96];
	const char *layer; /* "stream_v4", "stream_v6", "ale_flow_established_v4", ... */
	uint16_t sublayer_weight;
	uint64_t weight;      /* effective weight */
	uint32_t action_type; /* FWP_ACTION_TYPE */
	uint32_t callout_id;  /* 0 unless a callout action */
	char callout[96];     /* the callout's name, or "" */
	uint32_t nconditions;
} owfp_filter_info;

/* Every committed filter, per layer in arbitration order. Free *out with free(). */
int owfp_engine_filters_list(owfp_engine *engine, owfp_filter_info **out, size_t *n);

/*
 * True when some filter sits at ALE_FLOW_ESTABLISHED (V4 or V6): only then
 * can a flow's local process (owfp_flow_key.process_*) change anything, so
 * a data path may skip looking it up otherwise. Lock-free; false for NULL.
 */
bool owfp_engine_wants_process(owfp_engine *engine);

/* ------------------------------------------------------------------ flows */

/* Data directions, as the local host sees them (spec S14). */
enum owfp_dir {
	OWFP_DIR_INBOUND = 0,  /* toward the local host: FWPS_STREAM_FLAG_RECEIVE */
	OWFP_DIR_OUTBOUND = 1, /* from the local host:   FWPS_STREAM_FLAG_SEND */
};

/*
 * What WFP knows of a connection (spec S5–S7, Q28). Addresses are 4 or 16
 * bytes in network order; ports in host order.
 */
typedef struct owfp_flow_key {
	int family; /* AF_INET or AF_INET6 */
	uint8_t local_addr[16];
	uint8_t remote_addr[16];
	uint16_t local_port;
	uint16_t remote_port;
	bool outbound;            /* the local side initiated the connection */
	bool midstream;           /* picked up without its handshake (S81) */
	uint32_t condition_flags; /* FWP_CONDITION_FLAG_* (e.g. IS_LOOPBACK) */
	/* The local process of the connection, when the data path knows it:
	 * ALE_FLOW_ESTABLISHED then carries PROCESS_ID / PROCESS_PATH metadata
	 * and the ALE_APP_ID field. 0 / NULL: unknown, and they are absent, as
	 * WFP leaves them. process_path (absolute, UTF-8) is read only during
	 * owfp_flow_create; the flow keeps no pointer to it. */
	uint64_t process_id;
	const char *process_path;
	/* 0: the engine numbers the flow. Else its id (the flowHandle), for a
	 * data path that numbers flows itself (replay's workers: capture order);
	 * it must be unique among the engine's flows and not mix with 0. */
	uint64_t flow_id;
} owfp_flow_key;

/* Segment flags for owfp_flow_indicate(). */
#define OWFP_SEG_PUSH 0x1u   /* a contributing TCP segment had PSH (Q18) */
#define OWFP_SEG_URGENT 0x2u /* TCP urgent data: its own indication (S20, Q17) */

/* Why a flow was dropped (owfp_flow_ops.drop). */
enum owfp_drop_reason {
	OWFP_DROP_CALLOUT = 1, /* DROP_CONNECTION from a callout */
	OWFP_DROP_ABORT,       /* FwpsFlowAbort0 */
	OWFP_DROP_VIOLATION,   /* fail-closed after an invalid answer (Q10) */
	OWFP_DROP_LIMIT,       /* a resource limit, fail closed */
};

/*
 * How a data path carries out the engine's decisions. Every callback runs on
 * the flow's thread from inside an owfp_flow_* call, except wake(), which
 * may run on any thread.
 */
typedef struct owfp_flow_ops {
	/* Bytes leaving the last sublayer toward the receiver of `dir`, in
	 * order. `data` is valid only during the call. */
	void (*deliver)(void *dp, owfp_flow *flow, int dir, const uint8_t *data, size_t len);
	/* The end of `dir` (FIN) left the last sublayer: close that half. */
	void (*deliver_fin)(void *dp, owfp_flow *flow, int dir);
	/* An abort (RST) of `dir` went through: reset. */
	void (*deliver_abort)(void *dp, owfp_flow *flow, int dir);
	/* The flow is dropped: reset both sides, deliver nothing more (S39). */
	void (*drop)(void *dp, owfp_flow *flow, enum owfp_drop_reason why);
	/* Stop (true) or resume (false) reading the source of `dir`
	 * (DEFER back-pressure, Q8, buffer caps). */
	void (*pause)(void *dp, owfp_flow *flow, int dir, bool paused);
	/* No stage inspects the flow any longer (ALLOW_CONNECTION from all):
	 * the data path may splice it. Indications still work afterwards. */
	void (*offload)(void *dp, owfp_flow *flow);
	/* Work was queued for this flow from another thread: arrange for
	 * owfp_flow_run_pending() on the flow's thread. Any thread. */
	void (*wake)(void *dp, owfp_flow *flow);
} owfp_flow_ops;

/*
 * Creates a flow: classifies ALE_FLOW_ESTABLISHED_V4/V6 once (callouts may
 * associate stream contexts there), then matches the stream filters.
 * `dp` is handed back to every ops callback.
 */
int owfp_flow_create(owfp_engine *engine, const owfp_flow_key *key, const owfp_flow_ops *ops,
		     void *dp, owfp_flow **out);

/* The flow id (the flowHandle callouts see, S10). */
uint64_t owfp_flow_id(const owfp_flow *flow);
void *owfp_flow_dp(const owfp_flow *flow);

/*
 * Stream bytes from the source of `dir`, in order (the data path has already
 * reassembled them). `missed_before` reports bytes lost at the source just
 * before these (a capture hole): they are added to every stage's missedBytes.
 * The engine reads `data` during the call and copies only what it must keep.
 * Returns 0, or -EPIPE when that direction has ended or the flow was dropped
 * (the data path may discard the bytes).
 */
int owfp_flow_indicate(owfp_flow *flow, int dir, const uint8_t *data, size_t len,
		       uint32_t seg_flags, uint64_t missed_before);
/* The source of `dir` sent FIN: ends that direction after its data (S46). */
int owfp_flow_indicate_fin(owfp_flow *flow, int dir);
/* An RST came from the source of `dir` (Q24): both directions end now. */
int owfp_flow_indicate_abort(owfp_flow *flow, int dir);

/*
 * Asks before reading more from the source of `dir`. False when the
 * process is at the high mark of its memory limit (memory_limit): the
 * source is paused now (ops->pause(dir, true)) and the data path must not
 * read it; ops->wake comes once usage falls below the low mark, and the
 * next owfp_flow_run_pending resumes it (ops->pause(dir, false)). True
 * otherwise, and always for a direction whose callout waits for more
 * bytes to decide (NEED_MORE_DATA): pausing it could never free anything
 * (docs/semantics.md, "Memory limit"). On the flow's thread.
 */
bool owfp_flow_may_read(owfp_flow *flow, int dir);

/* Runs work queued from other threads (continue, injections, aborts). */
int owfp_flow_run_pending(owfp_flow *flow);

/* True while anything is held, deferred, or injected-but-not-completed. */
bool owfp_flow_busy(const owfp_flow *flow);
/* True once both directions ended (or the flow was dropped) and all work settled. */
bool owfp_flow_finished(const owfp_flow *flow);
bool owfp_flow_dropped(const owfp_flow *flow);

/*
 * Deferred-flow timeout. Times are CLOCK_MONOTONIC milliseconds (the engine
 * reads that clock when a stage answers DEFER; owfp_clock_ms() returns it).
 * owfp_flow_defer_deadline_ms: when the oldest deferred stage of the flow
 * times out, or 0 when nothing is deferred. owfp_flow_expire (on the flow's
 * thread, not from a callback): if `now_ms` is at or past that deadline the
 * flow is dropped with OWFP_DROP_LIMIT (ops->drop), an OWFP_EV_LIMIT event
 * and a log line name the callout, and the engine's limits_hit and the
 * callout's violations counters go up. Returns 1 if it dropped the flow,
 * else 0.
 */
uint64_t owfp_clock_ms(void);

/*
 * NT_ASSERT, NT_VERIFY and KeBugCheck(Ex) in driver code are contained:
 * reported, counted, and the flow in hand dropped (docs/porting.md,
 * "Assertions and bug checks"). Strict mode (--strict-asserts) aborts the
 * process instead, as Windows would bug-check, for debugging under gdb.
 */
void owfp_contain_set_strict(bool strict);
/* How many failures were contained so far, in this process. */
uint64_t owfp_contain_failures(void);
uint64_t owfp_flow_defer_deadline_ms(const owfp_flow *flow);
int owfp_flow_expire(owfp_flow *flow, uint64_t now_ms);

/* Bytes held inside the engine for `dir` (NEED_MORE_DATA, DEFER, queues). */
size_t owfp_flow_held_bytes(const owfp_flow *flow, int dir);

/*
 * The data path is done with the flow (connection closed, end of capture):
 * held bytes are reported (an event) and discarded, flowDeleteFn runs for
 * every context, and the flow is freed. Must not be called from a callback.
 */
void owfp_flow_close(owfp_flow *flow);

/* ---------------------------------------------------------------- plugins */

typedef struct owfp_plugin owfp_plugin;

/*
 * Loads a callout plugin (a shared object exporting DriverEntry) into the
 * bound engine. Refuses world-writable files or directories (fail closed).
 */
int owfp_plugin_load(const char *path, owfp_plugin **out, char *err, size_t errlen);
/* Calls the plugin's DriverUnload (if set) and unloads it. */
void owfp_plugin_unload(owfp_plugin *plugin);

/* ------------------------------------------------------ built-in callouts */

/*
 * A built-in callout is configured by name from the configuration file.
 * Each instance registers its own callout(s) with FwpsCalloutRegister*, in
 * WFP terms only; the configuration then adds filters that name
 * `callout_key`. `params` is a jansson json_t * object (kept as void * so
 * this header does not need jansson).
 */
typedef struct owfp_builtin {
	const char *name;
	const char *summary;
	const char *params_help; /* one line per parameter: "name  type  default  meaning" */
	int (*create)(const void *params, const char *instance_name, void **instance, char *err,
		      size_t errlen);
	/* The key (a const GUID *) of the instance's callout registered for
	 * FWPM_LAYER_STREAM_V4 (family AF_INET) or _V6 (AF_INET6). */
	const void *(*callout_key)(void *instance, int family);
	void (*destroy)(void *instance);
	/* The filter action its callouts are written for, as the
	 * configuration spells it: an inspection callout answers CONTINUE,
	 * which a TERMINATING filter reads as BLOCK; a deciding one answers
	 * PERMIT/BLOCK, which an INSPECTION filter ignores. NULL:
	 * "callout_terminating" (or "callout_unknown"). */
	const char *filter_action;
} owfp_builtin;

const owfp_builtin *owfp_builtin_find(const char *name);
/* NULL-terminated list of every built-in. */
const owfp_builtin *const *owfp_builtin_list(void);

#ifdef __cplusplus
}
#endif
#endif /* OPENWFP_OPENWFP_H */
