/*
 * stream_edit internals, shared by the inline editor (stream_edit_inline.c,
 * spec S100), the out-of-band editor (stream_edit_oob.c, S101) and the
 * entry points (stream_edit.c).
 */
#ifndef OWFP_CALLOUTS_STREAM_EDIT_H
#define OWFP_CALLOUTS_STREAM_EDIT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "callouts/kit.h"

#define SE_FIND_MAX 65536
/* The out-of-band worker edits this many bytes of a task at a time. */
#define SE_WINDOW 65536
/* Its buffers: a window plus what may be carried into it (shorter than
 * `find`), and the output of one window plus one replacement. */
#define SE_WIN_CAP (SE_WINDOW + SE_FIND_MAX)
#define SE_OUT_CAP (SE_WINDOW + SE_FIND_MAX)

typedef struct se_task se_task;

typedef struct se_instance {
	owfp_bi bi;
	uint8_t *find;
	size_t find_len;
	uint8_t *repl;
	size_t repl_len;
	size_t *kmp; /* failure function of `find` */
	bool dir[2]; /* which directions (OWFP_DIR_*) are edited */
	bool oob;
	size_t busy_threshold;
	/* out-of-band worker */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t worker;
	bool worker_started, stop;
	bool hold;              /* tests: the worker takes no task while set */
	bool busy;              /* the worker is running a task */
	pthread_cond_t idle_cv; /* signalled when the queue is empty and !busy */
	se_task *head, *tail;
	size_t live_flows;  /* se_flow objects not yet freed */
	uint8_t *win, *out; /* the worker's, SE_WIN_CAP and SE_OUT_CAP bytes */
} se_instance;
OWFP_BI_FIRST(se_instance);

/* Offset of the first occurrence of find in p, or -1. */
long se_search(const se_instance *si, const uint8_t *p, size_t n);
/* Start of the longest suffix of p[0..n) that is a proper prefix of find
 * (n when there is none): bytes before it can never start a match. */
size_t se_partial_start(const se_instance *si, const uint8_t *p, size_t n);

void se_inline_classify(se_instance *si, const FWPS_INCOMING_VALUES0 *in,
			const FWPS_INCOMING_METADATA_VALUES0 *meta,
			FWPS_STREAM_CALLOUT_IO_PACKET0 *io, const FWPS_FILTER3 *filter,
			FWPS_CLASSIFY_OUT0 *out);

int se_oob_start(void *instance); /* an se_instance: owfp_bi_class.start */
void se_oob_stop(void *instance);
void se_oob_classify(se_instance *si, const FWPS_INCOMING_VALUES0 *in,
		     const FWPS_INCOMING_METADATA_VALUES0 *meta, FWPS_STREAM_CALLOUT_IO_PACKET0 *io,
		     const FWPS_FILTER3 *filter, UINT64 flowContext, FWPS_CLASSIFY_OUT0 *out);
void NTAPI se_oob_flow_delete(UINT16 layerId, UINT32 calloutId, UINT64 flowContext);
/* Test seam: keeps the worker from taking tasks (true) or lets it go, so a
 * test can build up a backlog deterministically. */
void se_oob_hold(se_instance *si, bool hold);
/* Test seams: waits until the worker has no task queued (unless held) or
 * running; the number of flows whose state is still allocated (0 once every
 * flow has ended and its queued work is done). */
void se_oob_quiesce(se_instance *si);
size_t se_oob_live_flows(se_instance *si);

#endif
