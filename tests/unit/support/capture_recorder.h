/* Test support: an owfp_capture sink that writes every event to a text log
 * and keeps each direction's delivered bytes, so tests can compare runs and
 * assert exact sequences. */
#ifndef OWFP_TEST_CAPTURE_RECORDER_H
#define OWFP_TEST_CAPTURE_RECORDER_H

#include "capture/capture.h"

#include <stddef.h>
#include <stdint.h>

struct rec_flow {
	owfp_capture_flow info;
	uint8_t *bytes[2];
	size_t len[2], cap[2];
	uint64_t missed[2];
	int fin[2];
	int rst_from;   /* -1 none */
	int end_reason; /* -1 not ended */
};

struct recorder {
	char *log;
	size_t loglen, logcap;
	struct rec_flow *flows;
	size_t nflows;
	owfp_capture *cap; /* for tests that pause/ignore */
	int log_ts;        /* include timestamps in the log */
	/* hooks for tests */
	void (*on_data)(struct recorder *r, struct rec_flow *f, const owfp_capture_data *d);
	void *hook_state;
};

extern const owfp_capture_sink recorder_sink;

void recorder_init(struct recorder *r);
void recorder_free(struct recorder *r);
struct rec_flow *recorder_flow(struct recorder *r, uint64_t id);

/* Opens `path` with opts, runs it into r (r->cap is set during the run) and
 * returns run()'s result; *stats and *err may be NULL. */
int recorder_run(struct recorder *r, const char *path, const owfp_capture_opts *opts,
		 owfp_capture_stats *stats, owfp_capture_error *err);

#endif
