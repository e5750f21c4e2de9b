/*
 * --extract DIR: one file per flow direction with the bytes its receiver
 * got after filtering, named SRC.SPORT-DST.DPORT (a later connection on the
 * same 5-tuple gets ~2, ~3, ...), plus DIR/flows.tsv with one row per flow
 * direction: flow_id src sport dst dport bytes sha256 end.
 *
 * Files are written through a small buffer and reopened in append mode on
 * each flush, so any number of concurrent flows needs no open descriptors.
 */
#ifndef OWFP_REPLAY_EXTRACT_H
#define OWFP_REPLAY_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "openwfp/openwfp.h"
#include "replay/sha256.h"

typedef struct owfp_extract owfp_extract;

typedef struct owfp_extract_stream {
	char *name;         /* file name inside DIR */
	unsigned char *buf; /* grows with what the stream delivers, up to 64 KiB */
	size_t used, cap;
	bool created;
	owfp_sha256 *sha;
	uint64_t bytes;
} owfp_extract_stream;

/* Loads libcrypto (for the sha256 column), creates DIR if needed, truncates
 * DIR/flows.tsv and writes its header. */
int owfp_extract_open(const char *dir, owfp_extract **out, owfp_error *err);

/* Names both directions of a new flow: "C.CP-S.SP" and "S.SP-C.CP", with
 * the smallest suffix (~2, ~3, ...) free for both. */
int owfp_extract_flow_begin(owfp_extract *x, const char *c2s_base, const char *s2c_base,
			    owfp_extract_stream *c2s, owfp_extract_stream *s2c);
void owfp_extract_write(owfp_extract *x, owfp_extract_stream *s, const uint8_t *data, size_t len);
/* Flushes, creates the file if it is still empty, appends the flows.tsv row
 * and frees the stream's buffers. */
void owfp_extract_stream_end(owfp_extract *x, owfp_extract_stream *s, uint64_t flow_id,
			     const char *src, unsigned sport, const char *dst, unsigned dport,
			     const char *end);
/* The same with the row written to `rows` (NULL: flows.tsv): a replay
 * worker's, whose rows owfp_extract_rows_write adds in capture order. */
void owfp_extract_stream_end_to(owfp_extract *x, owfp_extract_stream *s, FILE *rows,
				uint64_t flow_id, const char *src, unsigned sport, const char *dst,
				unsigned dport, const char *end);
void owfp_extract_rows_write(owfp_extract *x, const void *rows, size_t len);
/* Frees a stream without writing a row (used on teardown after errors). */
void owfp_extract_stream_discard(owfp_extract_stream *s);

/* Closes flows.tsv. Returns the first write error (negative errno), with
 * err naming the file. */
int owfp_extract_close(owfp_extract *x, owfp_error *err);

#endif
