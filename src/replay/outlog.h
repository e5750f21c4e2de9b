/*
 * What one replay worker produced, in the order the capture caused it:
 * records of output (events lines, flows.tsv rows, top-talker entries, log
 * lines), each keyed by (seq, sub): the capture sequence number of the
 * callback that caused it, and a tie-break for work the end of a capture
 * does for all workers at once. A worker appends and publishes after each
 * message; the capture thread merges all workers' records by key, so the
 * output is the same whatever the number of workers (docs/replay.md,
 * "Workers"). Internal to src/replay.
 */
#ifndef OWFP_REPLAY_OUTLOG_H
#define OWFP_REPLAY_OUTLOG_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum owfp_outlog_kind {
	OWFP_OUT_EVENTS = 1, /* bytes of the --events file */
	OWFP_OUT_TSV,        /* bytes of flows.tsv */
	OWFP_OUT_TALKER,     /* an owfp_replay_talker */
	OWFP_OUT_LOG,        /* a line for stderr */
};

typedef struct owfp_outrec {
	uint64_t seq, sub;
	uint32_t kind, len;
	uint8_t data[]; /* len bytes, then padding to 8 */
} owfp_outrec;

typedef struct owfp_outchunk owfp_outchunk;

typedef struct owfp_outlog {
	/* Worker side. */
	owfp_outchunk *cur;
	uint64_t seq, sub;
	owfp_outrec *last; /* in cur, to extend with the same key and kind */
	int error;         /* -ENOMEM once a record could not be kept */
	/* Published chunks, oldest first. */
	pthread_mutex_t mu;
	owfp_outchunk *head, *tail;
	/* Reader side: where the next record is. */
	owfp_outchunk *rd;
	size_t rdoff;
} owfp_outlog;

void owfp_outlog_init(owfp_outlog *o);
void owfp_outlog_destroy(owfp_outlog *o);

/* Worker: the key of what follows. */
void owfp_outlog_key(owfp_outlog *o, uint64_t seq, uint64_t sub);
/* Worker: appends; consecutive appends of one kind and key make one record. */
void owfp_outlog_append(owfp_outlog *o, enum owfp_outlog_kind kind, const void *data, size_t len);
/* Worker: makes what was appended visible to the reader. */
void owfp_outlog_publish(owfp_outlog *o);
/* A stdio stream whose writes append `kind` records (fully buffered:
 * fflush it before the key changes and before publishing). */
FILE *owfp_outlog_stream(owfp_outlog *o, enum owfp_outlog_kind kind);

/* Reader: the next published record, or NULL; owfp_outlog_next passes it. */
const owfp_outrec *owfp_outlog_peek(owfp_outlog *o);
void owfp_outlog_next(owfp_outlog *o);

#endif
