/*
 * Shared support for the stream tests: a real engine with a management
 * session, test callouts registered through FwpsCalloutRegister3 /
 * FwpmCalloutAdd0 / FwpmFilterAdd0, a recorder of what each side receives
 * and of engine events, and scriptable callouts.
 */
#ifndef OWFP_TEST_STREAM_HARNESS_H
#define OWFP_TEST_STREAM_HARNESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

/* One classify as the callout saw it. */
typedef struct sh_call {
	uint8_t *data; /* the indicated bytes, flat (FwpsCopyStreamDataToBuffer0) */
	size_t len;
	size_t missed;
	UINT32 stream_flags;
	UINT32 out_flags;  /* classifyOut->flags on input */
	UINT32 meta_flags; /* inMetaValues->flags */
	UINT32 prefill_action;
	UINT32 prefill_rights;
	UINT64 flow_context;
	UINT64 flow_id;
	int dir;
} sh_call;

/* A scripted answer. */
typedef struct sh_answer {
	UINT32 stream_action;   /* FWPS_STREAM_ACTION_* */
	FWP_ACTION_TYPE action; /* 0: leave the engine's pre-fill */
	SIZE_T enforced;
	UINT32 required;
	const char *inject; /* inline-inject these bytes first (NULL: none) */
} sh_answer;

typedef struct sh_callout sh_callout;
typedef void (*sh_fn)(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		      FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
		      UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out);

struct sh_callout {
	GUID key;
	UINT32 id;
	sh_fn fn;
	void *user;
	const sh_answer *script; /* used by sh_fn_script: call i gets script[min(i, n-1)] */
	size_t nscript;
	sh_call *calls;
	size_t ncalls, capcalls;
	int deletes; /* flowDeleteFn calls */
	UINT64 last_deleted;
	UINT16 last_deleted_layer;
	UINT32 injected_completions;
	NTSTATUS last_inject;
};

typedef struct sh_event {
	owfp_event ev;
	char detail[192];
	char callout_name[96];
} sh_event;

typedef struct sh_side {
	uint8_t *buf;
	size_t len, cap;
	int fins, aborts;
	size_t fin_at; /* len when the FIN was delivered */
} sh_side;

typedef struct sh {
	owfp_engine *engine;
	HANDLE session;
	HANDLE inj; /* a stream injection handle */
	int device;
	owfp_engine_opts opts;
	owfp_flow_ops ops;
	sh_side side[2];
	int drops;
	enum owfp_drop_reason drop_why;
	int pauses[2];
	bool paused[2];
	int offloads;
	atomic_int wakes;
	pthread_mutex_t wake_mu;
	pthread_cond_t wake_cv;
	sh_event *events;
	size_t nevents, capevents;
	int logs;
} sh;

/* Engine up with default options (or *opts, whose sinks are replaced). */
void sh_up(sh *h, const owfp_engine_opts *opts);
void sh_down(sh *h);
/* cmocka setup/teardown around one harness with default options (the
 * harness of whichever test runs; tests of one file run one at a time). */
int sh_fixture_setup(void **state);
int sh_fixture_teardown(void **state);

GUID sh_guid(uint32_t n);
/* A sublayer with this weight; returns its key. */
GUID sh_sublayer(sh *h, UINT16 weight);
/* A stream callout (STREAM_V4) with its classify function and flags. */
sh_callout *sh_callout_new(sh *h, UINT32 flags, sh_fn fn);
/* A callout at ALE_FLOW_ESTABLISHED_V4 (classify3 given directly). */
UINT32 sh_ale_callout(sh *h, GUID key, FWPS_CALLOUT_CLASSIFY_FN3 fn,
		      FWPS_CALLOUT_FLOW_DELETE_NOTIFY_FN0 del);
/* A STREAM_V4 filter: callout c (NULL for static PERMIT/BLOCK types). weight 0 = FWP_EMPTY. */
UINT64 sh_filter(sh *h, const GUID *sublayer, FWP_ACTION_TYPE type, sh_callout *c, UINT64 weight,
		 UINT32 flags);
UINT64 sh_filter_layer(sh *h, const GUID *layer, const GUID *sublayer, FWP_ACTION_TYPE type,
		       const GUID *callout_key, UINT64 weight);

/* A flow with the recorder as its data path. */
owfp_flow *sh_flow(sh *h);
owfp_flow *sh_flow_key(sh *h, const owfp_flow_key *key);
owfp_flow_key sh_key(void);

/* Indicates a string (no PSH). */
void sh_send(owfp_flow *f, int dir, const char *s);
/* Asserts that side `dir` received exactly `s`. */
void sh_expect(sh *h, int dir, const char *s);
void sh_expect_bytes(sh *h, int dir, const uint8_t *b, size_t n);
/* Blocks until a wake() arrived (count > seen), then returns the count. */
int sh_wait_wake(sh *h, int seen);

/* Scripted and stock classify functions. */
void sh_fn_script(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		  FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
		  UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out);
void sh_fn_none(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter, UINT64 flow_context,
		FWPS_CLASSIFY_OUT0 *out);
void sh_fn_permit(sh_callout *c, const FWPS_INCOMING_METADATA_VALUES0 *meta,
		  FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
		  UINT64 flow_context, FWPS_CLASSIFY_OUT0 *out);

/* Inline-injects `len` bytes into the flow (as the callout, direction of the call). */
NTSTATUS sh_inject(sh *h, sh_callout *c, UINT64 flow, UINT32 sflags, const void *data, size_t len);

/* Counts recorded events of a type (optionally with this detail). */
size_t sh_count_events(const sh *h, enum owfp_event_type t, const char *detail);

/* The harness of the running test (callouts have no user pointer). */
sh *sh_current(void);

#endif
