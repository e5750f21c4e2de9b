/* Test support: the obviously-correct twin of the TCP reassembler. One
 * direction is an offset-addressed byte array: each segment writes the
 * bytes at or past the delivered prefix that are still empty (policy
 * first) or all of them (policy last); the delivered prefix then grows over
 * every filled byte. No lists, no wrap tricks: offsets are computed from
 * the ISN with 64-bit arithmetic by the caller. */
#ifndef OWFP_TEST_NAIVE_REASSEMBLY_H
#define OWFP_TEST_NAIVE_REASSEMBLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct naive_dir {
	uint8_t *bytes;
	bool *have;
	size_t size;      /* capacity of the stream */
	size_t delivered; /* length of the delivered prefix */
	bool last_wins;
	bool fin_seen, fin_delivered;
	size_t fin_off;
};

void naive_init(struct naive_dir *n, size_t size, bool last_wins);
void naive_free(struct naive_dir *n);
/* A segment carrying [off, off + len) and maybe a FIN after it. */
void naive_segment(struct naive_dir *n, size_t off, const uint8_t *data, size_t len, bool fin);

#endif
