/* Test support: a capture of one TCP flow carrying a random stream client
 * to server in segments of random size, between raw non-IP records of
 * random size up to the largest a pcap may hold (counted and skipped by
 * the decoder): the shape that exercises a reader's block boundaries. */
#ifndef OWFP_TEST_BULK_CAPTURE_H
#define OWFP_TEST_BULK_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#define BULK_MAX_RECORD 262144u

struct bulk_shape {
	size_t max_segment;  /* payload bytes per segment: 1..max_segment */
	unsigned big_one_in; /* one raw record in this many is of random size (else 60 bytes) */
};

/* Writes `path` from `seed`; fills `stream` (cap bytes) with what the flow
 * carries. Returns the stream's length, 0 if the file could not be made. */
size_t bulk_capture_write(const char *path, uint64_t seed, const struct bulk_shape *shape,
			  uint8_t *stream, size_t cap);

#endif
