/*
 * `openwfp replay --resegment N [--seed S]`: the segmentation check. Every
 * capture is rewritten into a synthetic capture with the same connections
 * and the same bytes in the same order, first with the original segments
 * (the reference run), then N more times cut into different random segments
 * (1 byte to 64 KiB, drawn so that small ones are common; reproducible from
 * the seed). Each rewritten capture is replayed with the same callouts, and
 * every flow whose delivered bytes (per direction, sha256) or outcome (how
 * each direction ended, which callouts dropped or allowed it) differs from
 * the reference run is reported with the seed and segmentation that shows
 * it. Only a dependence counts (exit status 3); a flow both runs dropped
 * that only let a different number of bytes through before the drop is
 * reported as such and not counted (the rule: docs/semantics.md, "The
 * segmentation check").
 */
#ifndef OWFP_REPLAY_RESEGMENT_H
#define OWFP_REPLAY_RESEGMENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "replay/replay.h"

/* Exit status when any flow differs. */
#define OWFP_RESEGMENT_DIFFERS 3

/* What the rewriter did to one flow: its segment sizes per capture direction. */
typedef struct owfp_reseg_flow {
	uint64_t id;
	char *cuts[2]; /* "5 17 1 ..." (cut short after ~1000 characters) */
	size_t ncuts[2];
} owfp_reseg_flow;

typedef struct owfp_reseg_log {
	owfp_reseg_flow *flows;
	size_t n, cap;
} owfp_reseg_log;

void owfp_reseg_log_free(owfp_reseg_log *log);

/*
 * Writes `out` (classic pcap, Ethernet) from `in`: every TCP flow gets a
 * handshake, its data (cut where the original delivered it, or with
 * `recut` at random from `seed`) and its FINs or RST, in capture order.
 */
int owfp_reseg_write(const char *in, const owfp_replay_opts *o, const char *out, bool recut,
		     uint64_t seed, owfp_reseg_log *log, owfp_error *err);

/*
 * Runs the check. Returns 0 when every flow behaved the same in every run,
 * OWFP_RESEGMENT_DIFFERS when some did (each reported on `out`), or
 * OWFP_REPLAY_BAD_INPUT with err set.
 */
int owfp_replay_resegment(const owfp_replay_opts *o, unsigned runs, uint64_t seed, FILE *out,
			  owfp_error *err);

#endif
