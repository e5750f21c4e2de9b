/*
 * Stream-layer classification cost against filter count: ns per
 * owfp_engine_match_stream() (match + release) with 1, 10, 1,000 and 10,000
 * filters, and the 10k/10 ratio (the index must keep it under 3).
 *
 * Filters look like a firewall rule set: service ports, port ranges,
 * subnets (address/mask), address ranges, some direction and flag
 * conditions, a few rules with no indexable condition, spread over many
 * sublayers. Flows draw their ports and addresses from the same pools, so
 * they match a handful of rules each, as real traffic does.
 *
 *   build-bench/bench/classify_bench [iterations]    (OWFP_BENCH_RUNS runs, default 5)
 *
 * Each run builds each filter set afresh and the sizes take turns, so load
 * on the machine hits them alike; the figures are medians over runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"

#define NFLOWS 4096
#define MAX_RUNS 15

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const UINT16 services[] = {22,  25,   53,   80,   110,  143,  443,  465,  587,  993,
				  995, 1433, 3306, 3389, 5432, 6379, 8000, 8080, 8443, 9000};
#define NSERVICES (sizeof(services) / sizeof(services[0]))

/* Hosts of 10.0.0.0/8, in host order. */
static UINT32 addr(void)
{
	return 0x0a000000u | (UINT32)(rnd() & 0xffffff);
}

static UINT16 ephemeral(void)
{
	return (UINT16)(32768 + rnd() % 28232);
}

static GUID guid(uint32_t n)
{
	GUID g = {0xbe9cbe9c, 0x1, 0x2, {0x80, 0, 0, 0, 0, 0, 0, 0}};

	memcpy(&g.Data4[4], &n, 4);
	return g;
}

static void cond_u16(FWPM_FILTER_CONDITION0 *c, const GUID *f, FWP_MATCH_TYPE m, UINT16 v)
{
	memset(c, 0, sizeof(*c));
	c->fieldKey = *f;
	c->matchType = m;
	c->conditionValue.type = FWP_UINT16;
	c->conditionValue.uint16 = v;
}

static void cond_u32(FWPM_FILTER_CONDITION0 *c, const GUID *f, FWP_MATCH_TYPE m, UINT32 v)
{
	memset(c, 0, sizeof(*c));
	c->fieldKey = *f;
	c->matchType = m;
	c->conditionValue.type = FWP_UINT32;
	c->conditionValue.uint32 = v;
}

static void cond_range(FWPM_FILTER_CONDITION0 *c, const GUID *f, FWP_RANGE0 *r, FWP_DATA_TYPE t,
		       UINT32 lo, UINT32 hi)
{
	memset(c, 0, sizeof(*c));
	memset(r, 0, sizeof(*r));
	c->fieldKey = *f;
	c->matchType = FWP_MATCH_RANGE;
	c->conditionValue.type = FWP_RANGE_TYPE;
	c->conditionValue.rangeValue = r;
	r->valueLow.type = r->valueHigh.type = t;
	if (t == FWP_UINT16) {
		r->valueLow.uint16 = (UINT16)lo;
		r->valueHigh.uint16 = (UINT16)hi;
	} else {
		r->valueLow.uint32 = lo;
		r->valueHigh.uint32 = hi;
	}
}

static void cond_mask(FWPM_FILTER_CONDITION0 *c, const GUID *f, FWP_V4_ADDR_AND_MASK *am, UINT32 a,
		      unsigned prefix)
{
	memset(c, 0, sizeof(*c));
	c->fieldKey = *f;
	c->matchType = FWP_MATCH_EQUAL;
	c->conditionValue.type = FWP_V4_ADDR_MASK;
	c->conditionValue.v4AddrMask = am;
	am->mask = prefix ? 0xffffffffu << (32 - prefix) : 0;
	am->addr = a & am->mask;
}

static int add_filters(HANDLE h, size_t n, unsigned nsub)
{
	FWPM_FILTER_CONDITION0 c[4];
	FWP_RANGE0 r[2];
	FWP_V4_ADDR_AND_MASK am[2];

	if (FwpmTransactionBegin0(h, 0) != STATUS_SUCCESS)
		return -1;
	for (unsigned s = 0; s < nsub; s++) {
		FWPM_SUBLAYER0 sl;

		memset(&sl, 0, sizeof(sl));
		sl.subLayerKey = guid(s + 1);
		sl.weight = (UINT16)(0x1000 + (rnd() % 0xe000));
		if (FwpmSubLayerAdd0(h, &sl, NULL) != STATUS_SUCCESS)
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		FWPM_FILTER0 f;
		unsigned nc = 0, kind = (unsigned)(rnd() % 100);

		memset(&f, 0, sizeof(f));
		f.layerKey = FWPM_LAYER_STREAM_V4;
		f.subLayerKey = guid((uint32_t)(rnd() % nsub) + 1);
		f.action.type = rnd() % 4 ? FWP_ACTION_PERMIT : FWP_ACTION_BLOCK;
		if (kind < 40) {
			/* Outbound access to a service on a subnet or host. */
			static const unsigned prefixes[] = {24, 28, 32};

			cond_mask(&c[nc++], &FWPM_CONDITION_IP_REMOTE_ADDRESS, &am[0], addr(),
				  prefixes[rnd() % 3]);
			cond_u16(&c[nc++], &FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_EQUAL,
				 services[rnd() % NSERVICES]);
			if (rnd() % 2)
				cond_u16(&c[nc++], &FWPM_CONDITION_IP_REMOTE_PORT, FWP_MATCH_EQUAL,
					 services[rnd() % NSERVICES]);
		} else if (kind < 60) {
			/* An inbound service open to one /16. */
			cond_u16(&c[nc++], &FWPM_CONDITION_IP_LOCAL_PORT, FWP_MATCH_EQUAL,
				 services[rnd() % NSERVICES]);
			cond_mask(&c[nc++], &FWPM_CONDITION_IP_REMOTE_ADDRESS, &am[0], addr(), 16);
			cond_u32(&c[nc++], &FWPM_CONDITION_DIRECTION, FWP_MATCH_EQUAL,
				 FWP_DIRECTION_INBOUND);
		} else if (kind < 75) {
			/* A band of ports for one local subnet. */
			UINT16 lo = ephemeral();

			cond_range(&c[nc++], &FWPM_CONDITION_IP_REMOTE_PORT, &r[0], FWP_UINT16, lo,
				   (UINT16)(lo + rnd() % 100));
			cond_mask(&c[nc++], &FWPM_CONDITION_IP_LOCAL_ADDRESS, &am[1], addr(), 24);
		} else if (kind < 90) {
			UINT32 a = addr();

			cond_range(&c[nc++], &FWPM_CONDITION_IP_REMOTE_ADDRESS, &r[1], FWP_UINT32,
				   a, a + (UINT32)(rnd() % 4096));
		} else {
			cond_mask(&c[nc++], &FWPM_CONDITION_IP_LOCAL_ADDRESS, &am[1], addr(), 24);
			cond_u32(&c[nc++], &FWPM_CONDITION_FLAGS, FWP_MATCH_FLAGS_NONE_SET,
				 FWP_CONDITION_FLAG_IS_LOOPBACK);
		}
		f.numFilterConditions = nc;
		f.filterCondition = c;
		if (FwpmFilterAdd0(h, &f, NULL, NULL) != STATUS_SUCCESS)
			return -1;
	}
	/* Rules with nothing to index (they are candidates for every flow). */
	for (size_t i = 0; i < (n >= 10 ? 2u : 0u); i++) {
		FWPM_FILTER0 f;

		memset(&f, 0, sizeof(f));
		f.layerKey = FWPM_LAYER_STREAM_V4;
		f.action.type = FWP_ACTION_PERMIT;
		cond_u32(&c[0], &FWPM_CONDITION_FLAGS, FWP_MATCH_FLAGS_ANY_SET,
			 FWP_CONDITION_FLAG_IS_LOOPBACK);
		f.numFilterConditions = 1;
		f.filterCondition = c;
		if (FwpmFilterAdd0(h, &f, NULL, NULL) != STATUS_SUCCESS)
			return -1;
	}
	return FwpmTransactionCommit0(h) == STATUS_SUCCESS ? 0 : -1;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One timed run: ns per classify; *stages = mean stages per flow. */
static int measure(size_t nfilters, long iters, double *ns, double *stages)
{
	static owfp_flow_key flows[NFLOWS];
	owfp_engine *e;
	HANDLE h;
	unsigned long long total = 0;
	double t0;

	if (owfp_engine_create(NULL, &e) ||
	    FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &h) != STATUS_SUCCESS)
		return -1;
	rng = 0x2545f4914f6cdd1dull + nfilters; /* the same set and flows every run */
	if (add_filters(h, nfilters, nfilters >= 1000 ? 50 : nfilters >= 10 ? 5 : 1)) {
		fprintf(stderr, "classify_bench: adding %zu filters failed\n", nfilters);
		return -1;
	}
	for (int i = 0; i < NFLOWS; i++) {
		UINT32 l = addr(), r = addr();
		owfp_flow_key *k = &flows[i];

		memset(k, 0, sizeof(*k));
		k->family = AF_INET;
		for (int b = 0; b < 4; b++) {
			k->local_addr[b] = (uint8_t)(l >> (24 - 8 * b));
			k->remote_addr[b] = (uint8_t)(r >> (24 - 8 * b));
		}
		k->outbound = rnd() % 2;
		k->local_port = k->outbound ? ephemeral() : services[rnd() % NSERVICES];
		k->remote_port = k->outbound ? services[rnd() % NSERVICES] : ephemeral();
	}
	t0 = now_ns();
	for (long i = 0; i < iters; i++) {
		owfp_match *m;

		if (owfp_engine_match_stream(e, &flows[i % NFLOWS], UINT64_MAX, &m))
			return -1;
		total += m->nstages;
		owfp_match_release(m);
	}
	*ns = (now_ns() - t0) / (double)iters;
	*stages = (double)total / (double)iters;
	FwpmEngineClose0(h);
	owfp_engine_destroy(e);
	return 0;
}

int main(int argc, char **argv)
{
	static const size_t counts[] = {1, 10, 1000, 10000};
	long iters = argc > 1 ? atol(argv[1]) : 400000;
	const char *env = getenv("OWFP_BENCH_RUNS");
	int runs = env ? atoi(env) : 5;
	double ns[4][MAX_RUNS], med[4], stages[4];

	if (iters <= 0)
		iters = 400000;
	if (runs < 1 || runs > MAX_RUNS)
		runs = 5;
	/* Sizes interleaved run by run, so load changes hit them alike. */
	for (int run = 0; run < runs; run++)
		for (int i = 0; i < 4; i++)
			if (measure(counts[i], iters, &ns[i][run], &stages[i])) {
				fprintf(stderr, "classify_bench: run with %zu filters failed\n",
					counts[i]);
				return 1;
			}
	printf("%-8s %14s %12s %14s\n", "filters", "median ns", "min ns", "stages/flow");
	for (int i = 0; i < 4; i++) {
		qsort(ns[i], (size_t)runs, sizeof(ns[i][0]), dcmp);
		med[i] = ns[i][runs / 2];
		printf("%-8zu %14.1f %12.1f %14.2f\n", counts[i], med[i], ns[i][0], stages[i]);
	}
	printf("ratio 10000/10: %.2f median, %.2f min (limit 3.00)\n", med[3] / med[1],
	       ns[3][0] / ns[1][0]);
	printf("RATIO classify_10000_over_10_filters %.2f <=3\n", med[3] / med[1]);
	return 0;
}
