/* Test support: a small deterministic generator (xorshift64), so a random
 * test case replays exactly from its seed. For tests only. */
#ifndef OWFP_TEST_RNG_H
#define OWFP_TEST_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s; /* never 0 */
};

uint64_t rnd(struct rng *r);
/* A value in [0, n); n > 0. */
unsigned below(struct rng *r, unsigned n);

#endif
