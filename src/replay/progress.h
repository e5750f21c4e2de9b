/* The progress bar replay draws on a terminal: bytes read of total, rate,
 * ETA. Internal to src/replay. */
#ifndef OWFP_REPLAY_PROGRESS_H
#define OWFP_REPLAY_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct owfp_progress {
	FILE *out; /* NULL: disabled */
	const char *name;
	uint64_t start_ms, last_ms;
	bool drawn;
} owfp_progress;

void owfp_progress_start(owfp_progress *p, FILE *out, const char *name);
void owfp_progress_update(owfp_progress *p, uint64_t done, uint64_t total);
/* Erases the bar so a message can be printed. */
void owfp_progress_clear(owfp_progress *p);
void owfp_progress_finish(owfp_progress *p);

#endif
