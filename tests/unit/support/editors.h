/*
 * Test callouts modelled on the stream-edit sample behaviour (S99–S102),
 * written from the spec's description: an inline editor, an out-of-band
 * editor with a worker thread and DEFER back-pressure, and an identity
 * out-of-band callout. Each set has a flow-established callout that
 * attaches per-flow state to its CONDITIONAL_ON_FLOW stream callout.
 */
#ifndef OWFP_TEST_EDITORS_H
#define OWFP_TEST_EDITORS_H

#include <pthread.h>
#include <stdbool.h>

#include "stream_harness.h"

enum ed_kind { ED_INLINE, ED_OOB, ED_IDENTITY };

typedef struct ed_task {
	struct ed_task *next;
	NET_BUFFER_LIST *clone;
	size_t len;
	bool fin;
	UINT64 flow;
} ed_task;

typedef struct ed_set {
	enum ed_kind kind;
	const char *find, *repl;
	size_t busy_threshold; /* OOB: DEFER when pending + new exceeds it */
	UINT32 stream_id, ale_id;
	GUID stream_key, ale_key;
	/* OOB worker */
	pthread_t worker;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	ed_task *head, *tail;
	bool stop;
	bool hold; /* worker waits (ed_hold) */
	size_t pending;
	bool busy;
	UINT32 defer_flags;
	UINT64 defer_flow;
	uint8_t *carry;
	size_t ncarry;
	int defers, continues;
	int errors;
	int flow_states; /* allocated per-flow states alive */
} ed_set;

/* Registers the set's two callouts and filters (sublayer of `weight`). */
void ed_install(sh *h, ed_set *s, enum ed_kind kind, UINT16 weight, const char *find,
		const char *repl);
void ed_stop(ed_set *s);
/* Holds the out-of-band worker, or lets it go: a test holds it so that a
 * backlog forms (and DEFER happens) however fast the worker would run. */
void ed_hold(ed_set *s, bool hold);

/* Replaces every non-overlapping `find` by `repl` (the reference). */
size_t ed_reference(const uint8_t *in, size_t n, const char *find, const char *repl, uint8_t *out);

#endif
