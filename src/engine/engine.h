/*
 * Internal interface between the filter engine (src/engine) and the stream
 * state machine (src/stream). Not installed.
 *
 * The engine owns: the bound-engine registry, management objects (sublayers,
 * filters, callouts added with Fwpm*), callout registration (Fwps*Register),
 * condition matching, arbitration order, and ALE_FLOW_ESTABLISHED
 * classification. The stream module owns flows and their table: pipelines,
 * buffers, flow contexts, injection, continue, abort. Calls and includes go
 * from stream to engine only; the engine reaches the stream layer through
 * the one callback of owfp_engine_upper_attach.
 */
#ifndef OWFP_ENGINE_ENGINE_H
#define OWFP_ENGINE_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "openwfp/fwpsk.h"
#include "openwfp/fwpmk.h"
#include "openwfp/openwfp.h"
#include "util/memacct.h"
#include "util/thread_slot.h"

/* One thread slot's share of a callout's counters, padded to two cache
 * lines so that two threads' cells do not share one. */
typedef struct owfp_callout_counts {
	atomic_ullong classify_calls, bytes_indicated, bytes_permitted, bytes_blocked,
		bytes_continued, bytes_injected, violations;
	atomic_ullong stream_actions[OWFP_STREAM_ACTIONS];
	/* classifyFn calls of this callout running on this slot's thread
	 * (owfp_callout_classify_enter); not a statistic. */
	atomic_ullong inflight;
	char pad_[128 - (8 + OWFP_STREAM_ACTIONS) * sizeof(atomic_ullong)];
} owfp_callout_counts;
_Static_assert(sizeof(owfp_callout_counts) == 128, "two cache lines per cell");

/*
 * A registered callout (FWPS_CALLOUTn). Unregistering clears `registered`;
 * a stage that still points at the object keeps it alive (each owfp_match
 * holds a reference on its stages' callouts), so S70 then applies. The
 * object is freed once it is fully unregistered and the last match naming
 * it is released: reloads make fresh callouts, and keeping every old one
 * grew a proxy by ~60 kB per reload (issue 17 item 5).
 */
typedef struct owfp_callout {
	UINT32 id; /* run-time calloutId, never reused */
	GUID key;
	UINT32 flags; /* FWP_CALLOUT_FLAG_* */
	int version;  /* 0..3: which classify/notify signature */
	union {
		FWPS_CALLOUT_CLASSIFY_FN0 fn0;
		FWPS_CALLOUT_CLASSIFY_FN1 fn1;
		FWPS_CALLOUT_CLASSIFY_FN2 fn2;
		FWPS_CALLOUT_CLASSIFY_FN3 fn3;
	} classify;
	union {
		FWPS_CALLOUT_NOTIFY_FN0 fn0;
		FWPS_CALLOUT_NOTIFY_FN1 fn1;
		FWPS_CALLOUT_NOTIFY_FN2 fn2;
		FWPS_CALLOUT_NOTIFY_FN3 fn3;
	} notify;
	FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 flow_delete;
	PDRIVER_OBJECT driver;       /* the registering device's driver, for reports */
	bool contained;              /* a plugin's: calls run inside containment */
	atomic_bool registered;      /* false once unregistered (Q22) */
	atomic_long contexts;        /* flow contexts held (S72 DEVICE_BUSY) */
	atomic_int unregister_waits; /* unregister calls waiting for classifies (S72a) */
	char name[96];               /* UTF-8, from FWPM_CALLOUT0 display data or the key */
	/* Counters, one cell per thread slot (util/thread_slot.h): add with
	 * OWFP_SLOT_ADD(c->counts, ...), read with owfp_engine_stats_get. */
	owfp_callout_counts counts[OWFP_THREAD_SLOTS + 1];
} owfp_callout;

/*
 * One matching stream filter: a stage of a flow's pipeline (S103). `filter`
 * is exactly what classifyFn receives (FWPS_FILTER3 has the layout of every
 * FWPS_FILTERn); its condition pointers stay valid while the owfp_match is
 * referenced. `callout` is NULL for a non-callout filter (static PERMIT/
 * BLOCK) or when the named callout key was never registered. A callout
 * stage whose callout is NULL or has `registered` false follows S70 (the
 * stream module checks `registered` at each classify: Q22).
 */
typedef struct owfp_stage_desc {
	FWPS_FILTER3 filter;
	UINT16 layer_id;       /* FWPS_LAYER_STREAM_V4 or _V6 */
	UINT32 sublayer_index; /* 0 = highest-weight sublayer of the match */
	owfp_callout *callout;
	bool added_after_flow; /* filter id newer than the flow (S81) */
} owfp_stage_desc;

/* The ordered stages for one flow: sublayer weight desc, filter weight desc. */
typedef struct owfp_match {
	atomic_int refs;
	uint64_t generation; /* engine filter generation it was computed from */
	size_t nstages;
	UINT32 nsublayers;
	void *priv; /* engine-private: keeps the filters alive */
	owfp_stage_desc stages[];
} owfp_match;

/* The engine bound to this process (registry.c), or NULL. */
owfp_engine *owfp_registry_engine(void);

/*
 * Opaque HANDLE values for engine-owned objects (registry.c). Stale or
 * forged handles are rejected, never dereferenced. Handles of an engine are
 * dropped (fn called on each object) when it is destroyed.
 */
enum owfp_handle_kind { OWFP_HANDLE_SESSION = 1, OWFP_HANDLE_INJECTION = 2 };
HANDLE owfp_registry_handle_new(owfp_engine *engine, int kind, void *obj);
void *owfp_registry_handle_get(HANDLE h, int kind);
void *owfp_registry_handle_remove(HANDLE h, int kind);
void owfp_registry_handles_drop(owfp_engine *engine, int kind, void (*fn)(void *obj));
int owfp_registry_bind(owfp_engine *engine);
void owfp_registry_unbind(owfp_engine *engine);

/* The filter/callout generation: bumped on every change. Cheap (atomic). */
uint64_t owfp_engine_generation(owfp_engine *engine);

/* The highest filter id handed out so far (for S81 "added after the flow"). */
uint64_t owfp_engine_last_filter_id(owfp_engine *engine);

/*
 * Computes the stream pipeline for a flow: the stream filters (at the
 * STREAM_V4 or V6 layer per key->family) whose conditions match the flow's
 * incoming values, in arbitration order. Never blocks on writers. The
 * result is referenced; release with owfp_match_release().
 * `flow_last_filter_id` marks filters added after the flow started.
 */
int owfp_engine_match_stream(owfp_engine *engine, const owfp_flow_key *key,
			     uint64_t flow_last_filter_id, owfp_match **out);
/* The same from the stream values owfp_engine_stream_values built. */
int owfp_engine_match_stream_values(owfp_engine *engine, const FWPS_INCOMING_VALUES0 *in,
				    uint64_t flow_last_filter_id, owfp_match **out);
/* Matching goes through the per-thread match cache unless turned off here
 * (tests compare both; docs/semantics.md "Match cache"). On by default. */
void owfp_engine_match_cache_set(owfp_engine *engine, bool on);
void owfp_match_release(owfp_match *m);

/*
 * Classifies ALE_FLOW_ESTABLISHED_V4/V6 for a new flow (general arbitration
 * rules S89–S96). flowHandle is the flow id. Returns the final action
 * (FWP_ACTION_PERMIT or FWP_ACTION_BLOCK).
 */
FWP_ACTION_TYPE owfp_engine_classify_flow_established(owfp_engine *engine, const owfp_flow_key *key,
						      UINT64 flow_handle);

/* Looks up a callout by run-time id (registered or not). NULL if unknown
 * or fully unregistered (gone callouts leave the id table). */
owfp_callout *owfp_engine_callout_by_id(owfp_engine *engine, UINT32 id);

/*
 * Drops one flow context's hold on a callout; the stream layer calls it
 * after the context's flowDeleteFn returned. When that was the last context
 * of a callout whose unregister was already called (it got
 * STATUS_DEVICE_BUSY, S72), the drain hook runs on this thread with the
 * callout id, so whoever registered it can call FwpsCalloutUnregister*
 * again: Windows leaves that retry to the driver, and the built-ins use
 * this hook to free an old instance when the last flow of a reload ends.
 */
typedef void (*owfp_callout_drain_fn)(UINT32 callout_id);
void owfp_callout_context_put(owfp_callout *c);
/* One hook per process (the built-ins' instances.c); NULL removes it. */
void owfp_callout_set_drain_hook(owfp_callout_drain_fn fn);

/*
 * Calls classifyFn with the signature the callout registered with.
 * classifyContext is NULL for versions 1..3. A plugin's callout is called
 * inside containment (src/wdm/contain.h; built-in callouts are ours and
 * are called directly): if the driver fails an assertion or bug-checks, the
 * answer becomes a drop, fail closed: out->actionType BLOCK, and for a
 * stream layer (layer_data, when not NULL, is the stream I/O packet, the
 * only layer data here) DROP_CONNECTION, plus FwpsFlowAbort0 on the flow
 * so an inspection callout's flow is dropped too. Returns true then.
 */
bool owfp_callout_classify(const owfp_callout *c, const FWPS_INCOMING_VALUES0 *in,
			   const FWPS_INCOMING_METADATA_VALUES0 *meta, void *layer_data,
			   const FWPS_FILTER3 *filter, UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out);

/*
 * Classifies in flight, so that FwpsCalloutUnregister* does not return
 * success while the callout's classifyFn still runs (S72a). Every call of
 * owfp_callout_classify must sit between a successful enter and its leave:
 * enter counts the call in this thread's cell of `inflight`, then (after a
 * full fence) checks `registered`; false means the callout was unregistered
 * and the caller must act as S70 says, without calling it (nothing to leave).
 * The unregister side clears `registered`, fences, and waits until the
 * cells sum to the calls on its own thread (wait_classifies in
 * callout_register.c). Either the classify sees `registered` false, or the
 * unregister sees its count: the two fences forbid both missing each other.
 * The cost per classify is two stores to a cache line only this thread
 * writes, one fence and a thread-local push; no shared atomic.
 *
 * Each thread also lists its classifies in flight (owfp_classify_nest), so
 * that an unregister from inside a classifyFn can tell its own calls from
 * other threads', and so that containment, when a driver failure jumps out
 * of nested classifies, can leave the ones it skipped
 * (owfp_callout_classify_unwind): a count left behind would make the
 * unregister wait for ever. Nesting deeper than OWFP_CLASSIFY_NEST is counted
 * but not listed (such a call's own unregister would wait for itself).
 */
#define OWFP_CLASSIFY_NEST 32
typedef struct owfp_classify_guard {
	owfp_callout *c;
	int slot;
} owfp_classify_guard;
typedef struct owfp_classify_nest {
	unsigned depth; /* may exceed OWFP_CLASSIFY_NEST; entries only below it */
	owfp_classify_guard at[OWFP_CLASSIFY_NEST];
} owfp_classify_nest;

extern _Thread_local owfp_classify_nest owfp_classify_stack
	__attribute__((tls_model("initial-exec")));

static inline void owfp_inflight_dec(owfp_callout *c, int slot)
{
	/* Release: what the classify did happens before an unregister that
	 * sees the count drop (and so before the driver frees its state). */
	owfp_slot_add_explicit(&c->counts[slot].inflight, (uint64_t)-1, slot, memory_order_release);
}

static inline bool owfp_callout_classify_enter(owfp_callout *c, owfp_classify_guard *g)
{
	int slot = owfp_thread_slot();
	owfp_classify_nest *n = &owfp_classify_stack;

	owfp_slot_add(&c->counts[slot].inflight, 1, slot);
	atomic_thread_fence(memory_order_seq_cst);
	if (!atomic_load_explicit(&c->registered, memory_order_relaxed)) {
		owfp_inflight_dec(c, slot);
		return false;
	}
	g->c = c;
	g->slot = slot;
	if (n->depth < OWFP_CLASSIFY_NEST)
		n->at[n->depth] = *g;
	n->depth++;
	return true;
}

static inline void owfp_callout_classify_leave(const owfp_classify_guard *g)
{
	owfp_classify_stack.depth--;
	owfp_inflight_dec(g->c, g->slot);
}

/* Leaves every classify entered on this thread above `depth` (containment,
 * after a jump out of driver code). */
void owfp_callout_classify_unwind(unsigned depth);

/* flowDeleteFn and an injection's completionFn, contained (a failure is
 * reported and counted; the runtime goes on as if the call returned). */
void owfp_callout_flow_delete(const owfp_callout *c, UINT16 layer_id, UINT32 callout_id,
			      UINT64 flow_context);
void owfp_callout_inject_complete(FWPS_INJECT_COMPLETE0 fn, void *context, NET_BUFFER_LIST *nbl,
				  BOOLEAN dispatch_level);

/* Fills the stream-layer incoming values for a flow (S5, S6). `values` has
 * room for FWPS_FIELD_STREAM_V4_MAX entries; v6 addresses point into key. */
void owfp_engine_stream_values(const owfp_flow_key *key, FWPS_INCOMING_VALUE0 *values,
			       FWP_BYTE_ARRAY16 *v6_local, FWP_BYTE_ARRAY16 *v6_remote,
			       FWPS_INCOMING_VALUES0 *out);

/* Engine options and event/log sinks, for the stream module. */
const owfp_engine_opts *owfp_engine_options(owfp_engine *engine);
/* The process's byte account (util/memacct.h); its limit is
 * opts.memory_limit or owfp_engine_mem_limit_set. */
owfp_memacct *owfp_engine_memacct(owfp_engine *engine);
void owfp_engine_emit(owfp_engine *engine, const owfp_event *ev);
void owfp_engine_log(owfp_engine *engine, enum owfp_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Flow bookkeeping the engine keeps for stats and for engine teardown. */
uint64_t owfp_engine_next_flow_id(owfp_engine *engine);
void owfp_engine_count(owfp_engine *engine, int what, int dir, uint64_t n);
enum {
	OWFP_COUNT_FLOW_CREATED,
	OWFP_COUNT_FLOW_ENDED,
	OWFP_COUNT_FLOW_DROPPED,
	OWFP_COUNT_BYTES_INDICATED,
	OWFP_COUNT_BYTES_DELIVERED,
	OWFP_COUNT_VIOLATION,
	OWFP_COUNT_LIMIT
};

/*
 * What the layer above keeps per engine (src/stream: its flow table), held
 * here so that the engine knows nothing of it: the engine never includes or
 * calls the stream layer, it only calls `destroy` back.
 * owfp_engine_upper_attach sets it once, from any thread: the first
 * caller's object is kept and returned; a later caller gets that one back
 * and still owns its own. owfp_engine_destroy calls destroy(obj) before
 * anything of the engine goes (flows' flowDeleteFn may still make WFP
 * calls). owfp_engine_upper: the object, or NULL before the first attach.
 */
void *owfp_engine_upper(owfp_engine *engine);
void *owfp_engine_upper_attach(owfp_engine *engine, void *obj, void (*destroy)(void *obj));

#endif /* OWFP_ENGINE_ENGINE_H */
