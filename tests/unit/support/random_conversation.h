/* Test support: random two-way TCP conversations (random ISNs, sometimes
 * wrapping, random segment sizes, retransmissions, overlapping copies with
 * the same or different bytes, interleaved directions, local reordering),
 * written to a capture under a random link type. */
#ifndef OWFP_TEST_RANDOM_CONVERSATION_H
#define OWFP_TEST_RANDOM_CONVERSATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pcap_writer.h"
#include "test_rng.h"

struct pkt {
	unsigned dir;
	uint32_t seq, ack;
	uint8_t flags;
	uint8_t *data; /* owned */
	size_t len;
};

struct gen_case {
	int family;
	enum tw_link link;
	uint32_t isn[2];
	uint8_t *stream[2];
	size_t slen[2];
	struct pkt *p; /* p[0..2] is the handshake */
	size_t n, cap;
};

/* differ: overlapping copies carry some different bytes. */
void gen(struct gen_case *c, struct rng *r, bool differ);
void gen_free(struct gen_case *c);
/* Writes packets p[i] for which keep (may be NULL) is true. */
void write_case_filtered(const struct gen_case *c, const char *path, enum tw_format fmt,
			 const bool *keep);
void write_case(const struct gen_case *c, const char *path, enum tw_format fmt);

#endif
