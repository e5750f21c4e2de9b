/*
 * Private to src/engine: the engine object, the management model, compiled
 * layers and the snapshot readers classify against.
 *
 * Locking (see docs/filter-engine.md):
 *  - e->mu guards the management model, the undo log, callout bindings and
 *    the callout table's writers. It is never held across a callback into
 *    callout code (notifyFn, classifyFn).
 *  - A management transaction is owned by one session (e->txn_owner); other
 *    sessions wait on e->txn_cv for it to end.
 *  - Classification never takes e->mu: it reads the published snapshot
 *    (snapshot.c) and the callout table (atomic pointers).
 */
#ifndef OWFP_ENGINE_INTERNAL_H
#define OWFP_ENGINE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "engine/engine.h"

/* The layers filters may be added at: one compiled filter set each. */
enum owfp_slot {
	OWFP_SLOT_STREAM_V4 = 0,
	OWFP_SLOT_STREAM_V6,
	OWFP_SLOT_ALE_V4,
	OWFP_SLOT_ALE_V6,
	OWFP_NSLOTS
};

/* Index dimensions: conditions the interval index can serve (ivx.c). */
enum owfp_dim {
	OWFP_DIM_NONE = -1,
	OWFP_DIM_LOCAL_ADDR = 0,
	OWFP_DIM_REMOTE_ADDR,
	OWFP_DIM_LOCAL_PORT,
	OWFP_DIM_REMOTE_PORT,
	OWFP_NDIMS
};

/* ------------------------------------------------------------- layers.c */

typedef struct owfp_field_desc {
	const GUID *key;
	UINT16 index;         /* into incomingValue[] */
	FWP_DATA_TYPE v4type; /* value type at the V4 layer */
	FWP_DATA_TYPE v6type; /* value type at the V6 layer */
	bool is_addr;         /* accepts FWP_V4/V6_ADDR_MASK */
	int dim;              /* enum owfp_dim */
} owfp_field_desc;

typedef struct owfp_layer_desc {
	const GUID *key;
	int slot;
	UINT16 layer_id;
	int family; /* AF_INET or AF_INET6 */
	bool stream;
	UINT32 value_count;
	const owfp_field_desc *fields;
	size_t nfields;
} owfp_layer_desc;

const owfp_layer_desc *owfp_layer_find(const GUID *layer_key);
const owfp_layer_desc *owfp_layer_by_slot(int slot);
const owfp_field_desc *owfp_layer_field(const owfp_layer_desc *l, const GUID *field_key);
FWP_DATA_TYPE owfp_field_type(const owfp_layer_desc *l, const owfp_field_desc *f);
/* Field index of an index dimension at this layer. */
UINT16 owfp_layer_dim_index(const owfp_layer_desc *l, int dim);
NL_ADDRESS_TYPE owfp_addr_type(int family, const uint8_t *addr);

/* ALE_FLOW_ESTABLISHED incoming values (FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_MAX).
 * `app_id` (may be NULL or empty: the field stays FWP_EMPTY) is pointed at. */
void owfp_engine_ale_values(const owfp_flow_key *key, FWPS_INCOMING_VALUE0 *values,
			    FWP_BYTE_ARRAY16 *v6_local, FWP_BYTE_ARRAY16 *v6_remote,
			    FWP_BYTE_BLOB *app_id, FWPS_INCOMING_VALUES0 *out);

/* ---------------------------------------------------------- conditions.c */

typedef struct owfp_k128 {
	uint64_t hi, lo;
} owfp_k128;

/* Orders keys as unsigned 128-bit numbers: -1, 0 or 1. */
static inline int owfp_k128_cmp(owfp_k128 a, owfp_k128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

/* The incoming values of the index dimensions, as keys. */
typedef struct owfp_dim_keys {
	bool present[OWFP_NDIMS];
	owfp_k128 key[OWFP_NDIMS];
} owfp_dim_keys;

NTSTATUS owfp_cond_validate(const owfp_layer_desc *l, const FWPM_FILTER_CONDITION0 *c,
			    const owfp_field_desc **field);
/* Deep copy into a run-time condition; 0 or -ENOMEM. */
int owfp_cond_copy(FWPS_FILTER_CONDITION0 *dst, const FWPM_FILTER_CONDITION0 *src, UINT16 field_id);
void owfp_cond_free(FWPS_FILTER_CONDITION0 *c);
bool owfp_cond_match(const FWPS_FILTER_CONDITION0 *c, const FWP_VALUE0 *v);
/* AND of OR groups (consecutive conditions on the same field). */
bool owfp_filter_match(const FWPS_FILTER3 *f, const FWPS_INCOMING_VALUES0 *in);
/*
 * The key intervals [lo, hi] a condition accepts, when it can be said that
 * way (EQUAL, ranges, comparisons, contiguous masks, NOT_EQUAL). Returns the
 * number written (0..2, 0 = matches nothing) or -1 if not expressible.
 */
int owfp_cond_intervals(const FWPS_FILTER_CONDITION0 *c, owfp_k128 lo[2], owfp_k128 hi[2]);
owfp_k128 owfp_value_key(const FWP_VALUE0 *v);

/* ------------------------------------------------------------ weight.c */

NTSTATUS owfp_weight_check(const FWP_VALUE0 *w);
UINT64 owfp_weight_auto(unsigned distinct_fields, UINT64 ordinal);
UINT64 owfp_weight_effective(const FWP_VALUE0 *w, unsigned distinct_fields, UINT64 ordinal);

/* ------------------------------------------------------------- filters */

typedef struct owfp_ival {
	owfp_k128 lo, hi;
} owfp_ival;

/*
 * Up to two single-interval conditions besides the indexed one, checked
 * before the full condition walk: a candidate that fails them is dropped
 * without touching the filter itself (which at 10,000 filters is a few
 * cache misses away).
 */
typedef struct owfp_quick {
	int8_t dim[2]; /* enum owfp_dim, OWFP_DIM_NONE when unused */
	owfp_k128 lo[2], hi[2];
} owfp_quick;

/*
 * A filter as the engine keeps it: the management data it was added with
 * and the run-time FWPS_FILTER3 callouts see. Immutable once published;
 * reference counted (the model holds one, each compiled layer one).
 */
typedef struct owfp_rfilter {
	atomic_long refs;
	UINT64 id;
	GUID key;
	int slot;
	UINT32 mgmt_flags;
	GUID sublayer_key;
	UINT16 sublayer_weight;
	UINT64 weight;
	GUID callout_key;
	bool notified; /* ADD_FILTER was delivered to a notifyFn */
	bool deleted;  /* deleted inside the open transaction */
	FWPS_FILTER3 fps;
	int index_dim; /* enum owfp_dim */
	size_t nivals;
	owfp_ival *ivals;
	owfp_quick quick;
	char name[96];
} owfp_rfilter;

void owfp_rfilter_ref(owfp_rfilter *f);
void owfp_rfilter_unref(owfp_rfilter *f);
/* Arbitration order: sublayer weight desc, sublayer key asc, weight desc, id asc. */
int owfp_rfilter_cmp(const owfp_rfilter *a, const owfp_rfilter *b);

/* ---------------------------------------------------------------- ivx.c */

/*
 * A filter in an index node: its rank plus its first quick check when that
 * fits 64 bits, so most non-matching candidates are dropped while the node
 * list is read, without a look at the filter.
 */
typedef struct owfp_ivx_entry {
	uint32_t rank;
	int8_t qdim; /* OWFP_DIM_NONE: no check here */
	uint64_t qlo, qhi;
} owfp_ivx_entry;

/* Interval index over 128-bit keys: a segment tree on elementary intervals. */
typedef struct owfp_ivx {
	size_t nb; /* elementary interval starts (0 = empty index) */
	owfp_k128 *bounds;
	size_t leaves;        /* power of two >= nb */
	uint32_t *off;        /* 2*leaves + 1 CSR offsets into pool */
	owfp_ivx_entry *pool; /* ascending rank per node */
	uint32_t *anc_off;    /* nb + 1 CSR offsets into anc */
	uint32_t *anc; /* per elementary interval: [start, end) pool ranges of its non-empty nodes */
	/* Bucket table narrowing the binary search when every key fits 64 bits. */
	uint64_t tab_base;
	unsigned tab_shift;
	size_t ntab;
	uint32_t *tab;
	uint64_t *b64; /* the bounds again, as 64-bit keys, when there is a table */
} owfp_ivx;

typedef struct owfp_ivx_item {
	owfp_k128 lo, hi;
	owfp_ivx_entry entry;
} owfp_ivx_item;

/* `items` in ascending rank order. 0 or -ENOMEM. */
int owfp_ivx_build(owfp_ivx *x, const owfp_ivx_item *items, size_t n);
void owfp_ivx_free(owfp_ivx *x);

typedef struct owfp_ranks {
	uint32_t *v;
	size_t n, cap;
	uint32_t inl[256];
} owfp_ranks;

void owfp_ranks_init(owfp_ranks *r);
void owfp_ranks_fini(owfp_ranks *r);
int owfp_ranks_append(owfp_ranks *r, const uint32_t *src, size_t n);
/* Sorts ascending and removes duplicates. */
void owfp_ranks_normalize(owfp_ranks *r);
/* Appends the ranks stored for k whose in-node quick check `keys` passes. */
int owfp_ivx_query(const owfp_ivx *x, owfp_k128 k, const owfp_dim_keys *keys, owfp_ranks *out);

/* ------------------------------------------------------- layer_compile.c */

typedef struct owfp_clayer {
	atomic_long refs;
	/* Bit i: some filter's condition (or the index) reads incomingValue[i];
	 * `untestable`: one reads a field past bit 63 (match_cache.c). */
	uint64_t tested;
	bool untestable;
	size_t n;
	owfp_rfilter **f;   /* arbitration order; rank = position */
	uint32_t *sublayer; /* sublayer ordinal of each rank (0 = first) */
	owfp_quick *quick;  /* per rank */
	size_t nunindexed;
	uint32_t *unindexed; /* ranks with no indexable condition */
	owfp_ivx dims[OWFP_NDIMS];
	unsigned used_dims; /* bit d: some index or quick check reads dimension d */
} owfp_clayer;

owfp_clayer *owfp_clayer_build(owfp_rfilter *const *order, size_t n);
void owfp_clayer_ref(owfp_clayer *l);
void owfp_clayer_unref(owfp_clayer *l);
/* The keys of the dimensions `l` reads; the others are marked absent. */
void owfp_dim_keys_get(const owfp_clayer *l, const owfp_layer_desc *ld,
		       const FWPS_INCOMING_VALUES0 *in, owfp_dim_keys *k);
/* Candidate ranks for incoming values: a superset of the matches, ascending. */
int owfp_clayer_candidates(const owfp_clayer *l, const owfp_dim_keys *k, owfp_ranks *out);
/* False when the rank's quick conditions already rule it out. */
bool owfp_clayer_quick_ok(const owfp_clayer *l, uint32_t rank, const owfp_dim_keys *k);

/* -------------------------------------------------------------- match.c */

/* The ranks of `l` whose conditions all hold for `in` (the layer's values),
 * ascending, appended to `r`: the full walk. Count or -ENOMEM. */
long owfp_clayer_match(const owfp_clayer *l, const owfp_layer_desc *ld,
		       const FWPS_INCOMING_VALUES0 *in, owfp_ranks *r);
/*
 * The matching filters of a layer for incoming values: ranks into the
 * referenced *layer (release with owfp_clayer_unref). Count or -ENOMEM.
 * `gen` is the generation read before (owfp_engine_generation).
 */
long owfp_engine_match_layer(owfp_engine *e, int slot, uint64_t gen,
			     const FWPS_INCOMING_VALUES0 *in, owfp_clayer **layer, owfp_ranks *r);

/* -------------------------------------------------------- match_cache.c */

/* One engine's per-thread-slot cache of matches (docs/semantics.md "Match
 * cache"). Only the thread owning the slot uses it. */
typedef struct owfp_mcache owfp_mcache;
/* The entry a lookup found or filled, valid until the thread's next lookup. */
typedef struct owfp_mhit {
	struct owfp_mentry *entry;
} owfp_mhit;

/* As owfp_engine_match_layer, through this thread's cache: the same ranks
 * and layer a full walk at `gen` gives. */
long owfp_mcache_match(owfp_engine *e, int slot, uint64_t gen, const FWPS_INCOMING_VALUES0 *in,
		       owfp_clayer **layer, owfp_ranks *r, owfp_mhit *hit);
/* The stream match kept with the entry (referenced), if every filter in it
 * is no newer than `flow_last_filter_id`; else NULL. */
owfp_match *owfp_mcache_match_get(owfp_mhit *hit, uint64_t flow_last_filter_id);
/* Keeps `m` (a new reference) with the entry; `max_id` its newest filter. */
void owfp_mcache_match_put(owfp_mhit *hit, owfp_match *m, uint64_t max_id);
void owfp_mcache_free(owfp_mcache *c);
/* Whether the layer has no (enabled) filter at `gen`: nothing to match. */
bool owfp_mcache_layer_empty(owfp_engine *e, int slot, uint64_t gen);

/* ----------------------------------------------------------- snapshot.c */

typedef struct owfp_snapshot {
	owfp_clayer *layers[OWFP_NSLOTS];
	UINT64 last_filter_id;
} owfp_snapshot;

/* A referenced compiled layer of the current snapshot. Never blocks. */
owfp_clayer *owfp_snapshot_layer(owfp_engine *e, int slot);
/* Writer side (e->mu held): replace the snapshot, wait out readers of the
 * old one, drop it. */
void owfp_snapshot_publish(owfp_engine *e, owfp_snapshot *next);
void owfp_snapshot_free(owfp_snapshot *s);
/* A read section: what a reader loads lock-free inside one (the snapshot,
 * a callout table slot) stays valid until it ends, for a writer that
 * unpublishes it calls owfp_snapshot_wait_readers (e->mu held) before
 * freeing it. */
unsigned owfp_snapshot_read_begin(owfp_engine *e);
void owfp_snapshot_read_end(owfp_engine *e, unsigned ep);
void owfp_snapshot_wait_readers(owfp_engine *e);

/* ------------------------------------------------------------- model.c */

typedef struct owfp_vec {
	void **v;
	size_t n, cap;
} owfp_vec;

int owfp_vec_insert(owfp_vec *v, size_t at, void *p);
void owfp_vec_remove(owfp_vec *v, size_t at);
void owfp_vec_free(owfp_vec *v);

typedef struct owfp_sublayer {
	GUID key;
	UINT16 weight;
	UINT32 flags;
	bool builtin;
	char name[96];
} owfp_sublayer;

typedef struct owfp_mcallout {
	GUID key;
	GUID layer;
	UINT32 flags;
	UINT32 id;
	char name[96];
} owfp_mcallout;

typedef struct owfp_model {
	owfp_vec sublayers;          /* owfp_sublayer * */
	owfp_vec callouts;           /* owfp_mcallout * */
	owfp_vec filters;            /* owfp_rfilter *, by id ascending */
	owfp_vec order[OWFP_NSLOTS]; /* owfp_rfilter *, arbitration order */
} owfp_model;

int owfp_model_init(owfp_model *m);
void owfp_model_fini(owfp_model *m);
owfp_sublayer *owfp_model_sublayer(owfp_model *m, const GUID *key, size_t *at);
owfp_mcallout *owfp_model_callout(owfp_model *m, const GUID *key, size_t *at);
owfp_mcallout *owfp_model_callout_by_id(owfp_model *m, UINT32 id, size_t *at);
owfp_rfilter *owfp_model_filter(owfp_model *m, UINT64 id, size_t *at);
owfp_rfilter *owfp_model_filter_by_key(owfp_model *m, const GUID *key);
int owfp_model_filter_insert(owfp_model *m, owfp_rfilter *f);
void owfp_model_filter_remove(owfp_model *m, owfp_rfilter *f);
bool owfp_model_sublayer_used(owfp_model *m, const GUID *key);
bool owfp_model_callout_used(owfp_model *m, const GUID *key);

/* -------------------------------------------------------------- txn.c */

enum owfp_undo_op {
	OWFP_UNDO_ADD_SUBLAYER = 1,
	OWFP_UNDO_DEL_SUBLAYER,
	OWFP_UNDO_ADD_CALLOUT,
	OWFP_UNDO_DEL_CALLOUT,
	OWFP_UNDO_ADD_FILTER,
	OWFP_UNDO_DEL_FILTER,
};

typedef struct owfp_undo {
	int op;
	void *obj;
} owfp_undo;

/* An FwpmEngineOpen0 session. */
/* An object a dynamic session added, deleted when the session closes. */
typedef struct owfp_session_obj {
	int kind;  /* OWFP_SESSION_OBJ_* */
	GUID key;  /* sublayer or callout key */
	UINT64 id; /* filter id */
} owfp_session_obj;
enum { OWFP_SESSION_OBJ_SUBLAYER, OWFP_SESSION_OBJ_CALLOUT, OWFP_SESSION_OBJ_FILTER };

typedef struct owfp_session {
	owfp_engine *engine;
	bool explicit_txn; /* FwpmTransactionBegin0 is open */
	int depth;         /* nested operations of this session */
	bool dynamic;      /* FWPM_SESSION_FLAG_DYNAMIC: its objects die with it */
	owfp_session_obj *objs;
	size_t nobjs, capobjs;
} owfp_session;

/* Remembers an object a dynamic session added (no-op for other sessions).
 * Out of memory is ignored: the object then outlives the session, as a
 * static one would. */
void owfp_session_track(owfp_session *s, int kind, const GUID *key, UINT64 id);

/* Resolves an engine handle; NULL if it is not a live session. */
owfp_session *owfp_session_get(HANDLE h);
/* Every Fwpm* change runs between these: it joins the session's open
 * transaction or runs in an implicit one committed at op_end. */
NTSTATUS owfp_txn_op_begin(owfp_session *s);
NTSTATUS owfp_txn_op_end(owfp_session *s, bool ok);
/* The same around a change made under e->mu: op_lock begins and, when that
 * succeeds, takes e->mu; op_unlock lets it go and ends with `st`, returning
 * `st`, or STATUS_NO_MEMORY when `st` succeeded but the commit did not. */
NTSTATUS owfp_txn_op_lock(owfp_session *s);
NTSTATUS owfp_txn_op_unlock(owfp_session *s, NTSTATUS st);
/* e->mu held: records how to undo a change. */
int owfp_txn_log(owfp_engine *e, int op, void *obj);
void owfp_txn_abort_session(owfp_session *s);

/* ---------------------------------------------------- callout_table.c */

typedef struct owfp_callout_obj {
	owfp_callout pub;       /* first: an owfp_callout * is an obj * */
	atomic_long refs;       /* the id table's (until gone) + one per match */
	bool unregister_called; /* e->mu: an unregister call was made (Q22) */
	bool gone;              /* e->mu: fully unregistered */
} owfp_callout_obj;

/* Match references (match.c): hold while a stage points at the callout. */
void owfp_callout_hold(owfp_callout *c);
void owfp_callout_release(owfp_callout *c);
/* Current object for a callout id (registered or not), or NULL. */
owfp_callout_obj *owfp_callout_table_get(owfp_engine *e, UINT32 id);
int owfp_callout_table_set(owfp_engine *e, UINT32 id, owfp_callout_obj *c);
/* e->mu held: the id bound to a key (FwpmCalloutAdd0 or FwpsCalloutRegister),
 * binding a new one when `create`. 0 if none. */
UINT32 owfp_callout_id_for_key(owfp_engine *e, const GUID *key, bool create);
/* Calls notifyFn (any version). STATUS_SUCCESS when there is none. */
NTSTATUS owfp_callout_notify(const owfp_callout *c, FWPS_CALLOUT_NOTIFY_TYPE type,
			     const GUID *filter_key, FWPS_FILTER3 *filter);
/* The registered callout for an id, or NULL. Without e->mu held, a caller
 * that uses it after the lookup takes the _hold form (any thread; release
 * with owfp_callout_release): an unregister may free it otherwise. */
owfp_callout *owfp_callout_registered(owfp_engine *e, UINT32 id);
owfp_callout *owfp_callout_registered_hold(owfp_engine *e, UINT32 id);
void owfp_guid_format(const GUID *g, char *buf, size_t len);
void owfp_wstr_to_utf8(const wchar_t *w, char *buf, size_t len);

/* ------------------------------------------------------------ engine.c */

#define OWFP_CALLOUT_CHUNK 256
#define OWFP_CALLOUT_CHUNKS 4096

typedef struct owfp_callout_chunk {
	_Atomic(owfp_callout_obj *) slot[OWFP_CALLOUT_CHUNK];
} owfp_callout_chunk;

typedef struct owfp_binding {
	GUID key;
	UINT32 id;
} owfp_binding;

/* One thread slot's share of the engine's counters (owfp_engine_count). */
typedef struct owfp_engine_counts {
	atomic_ullong flows_created, flows_ended, flows_dropped, violations, limits_hit;
	atomic_ullong bytes_indicated[2], bytes_delivered[2];
	char pad_[128 - 9 * sizeof(atomic_ullong)];
} owfp_engine_counts;
_Static_assert(sizeof(owfp_engine_counts) == 128, "two cache lines per cell");

struct owfp_engine {
	owfp_engine_opts opts;

	pthread_mutex_t mu;
	pthread_cond_t txn_cv;
	owfp_session *txn_owner; /* mu */
	owfp_model model;        /* mu; includes the open transaction */
	owfp_undo *undo;         /* mu */
	size_t nundo, capundo;
	bool dirty[OWFP_NSLOTS];  /* mu: layers changed in the transaction */
	UINT64 next_filter_id;    /* mu */
	UINT64 committed_last_id; /* mu */
	UINT32 next_callout_id;   /* mu */
	owfp_vec bindings;        /* mu: owfp_binding * */
	_Atomic(owfp_callout_chunk *) callout_chunks[OWFP_CALLOUT_CHUNKS];

	_Atomic(owfp_snapshot *) snap;
	atomic_long readers[2];
	atomic_uint epoch;

	atomic_ullong generation;
	atomic_ullong last_filter_id;
	/* Match caches, one per thread slot (match_cache.c); on unless a test
	 * turns them off (owfp_engine_match_cache_set). */
	owfp_mcache *mcache[OWFP_THREAD_SLOTS];
	atomic_bool mcache_on;
	atomic_ullong next_flow_id;
	owfp_engine_counts counts[OWFP_THREAD_SLOTS + 1]; /* util/thread_slot.h */

	/* Every byte the process holds for its flows (util/memacct.h). */
	owfp_memacct mem;

	/* The stream layer's per-engine object (owfp_engine_upper_attach). */
	_Atomic(void *) upper;
	void (*upper_destroy)(void *obj); /* written by the attach that won */
};

void owfp_engine_bump_generation(owfp_engine *e);

#endif /* OWFP_ENGINE_INTERNAL_H */
