/*
 * `replay --workers N`: flows sharded by a symmetric hash of their
 * addresses and ports over N worker threads, each driving its flows
 * through the engine as the one replay thread would (lane.h). The capture
 * thread keeps reading, reassembling and coalescing (Q19) as before,
 * numbers flows in capture order, and hands each flow's steps to its
 * worker through a bounded ring; every output is keyed by the capture
 * step that caused it and merged in that order by the capture thread, so
 * the events, flows.tsv, --extract, the report and the exit status are
 * the same whatever N is (docs/replay.md, "Workers"). Internal to
 * src/replay.
 */
#ifndef OWFP_REPLAY_SHARD_H
#define OWFP_REPLAY_SHARD_H

#include <stdint.h>
#include <stdio.h>

#include "capture/capture.h"
#include "replay/replay.h"

struct replay;
typedef struct owfp_shard owfp_shard;

/* What a worker asks of the capture (the capture thread carries it out
 * at its next callback). */
enum owfp_shard_req { OWFP_SHARD_IGNORE, OWFP_SHARD_PAUSE, OWFP_SHARD_RESUME };
void owfp_shard_request(owfp_shard *s, enum owfp_shard_req what, uint64_t cap_flow, unsigned dir);

/* How many workers the run uses: o->workers (0: the default, 1), or 1
 * when something needs the one-thread order (said once on `diag`). */
unsigned owfp_shard_workers(const owfp_replay_opts *o, FILE *diag);

/* The lanes copy what they share from `main` (options, engine, extract,
 * names); `main` keeps the capture, the report and the outputs. */
int owfp_shard_create(struct replay *main, unsigned n, owfp_shard **out);
/* Runs main->cap through the workers to its end: the drain and the close
 * of every flow included, outputs merged. Returns owfp_capture_run's. */
int owfp_shard_run_capture(owfp_shard *s, owfp_capture_error *cerr);
/* Stops the workers and adds their counters to main's report. */
void owfp_shard_destroy(owfp_shard *s);

/* The worker of a flow: the same for both directions (symmetric). */
unsigned owfp_shard_of(const owfp_capture_flow *cf, unsigned n);

#endif
