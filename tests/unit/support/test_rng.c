#include "test_rng.h"

uint64_t rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

unsigned below(struct rng *r, unsigned n)
{
	return (unsigned)(rnd(r) % n);
}
