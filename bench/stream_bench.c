/*
 * Stream throughput: bytes through a flow whose only stage is a callout
 * that answers nothing (NONE), against memcpy of the same bytes in the same
 * run; and a callout that asks for one more byte each time, fed one byte
 * per indication, at 256 KiB, 512 KiB and 1 MiB: holding must cost O(n)
 * (time ratio ~2 per doubling), not O(n^2) (~4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "engine/engine.h"

/* CPU time of this thread: the machines are shared and loaded, and the
 * engine is single-threaded per flow, so wall time would mostly measure
 * the neighbours. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return v[n / 2];
}

static volatile uint64_t sink;
static size_t delivered;

static void deliver(void *dp, owfp_flow *f, int dir, const uint8_t *data, size_t len)
{
	(void)dp, (void)f, (void)dir;
	sink += data[0] + data[len - 1];
	delivered += len;
}

static void NTAPI classify_none(const FWPS_INCOMING_VALUES0 *in,
				const FWPS_INCOMING_METADATA_VALUES0 *meta, void *ld, const void *cc,
				const FWPS_FILTER3 *filter, UINT64 ctx, FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)meta, (void)ld, (void)cc, (void)filter, (void)ctx, (void)out;
}

static void NTAPI classify_one_more(const FWPS_INCOMING_VALUES0 *in,
				    const FWPS_INCOMING_METADATA_VALUES0 *meta, void *ld,
				    const void *cc, const FWPS_FILTER3 *filter, UINT64 ctx,
				    FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)meta, (void)cc, (void)filter, (void)ctx;
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = ld;
	if (!(out->flags &
	      (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA | FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED))) {
		io->streamAction = FWPS_STREAM_ACTION_NEED_MORE_DATA;
		io->countBytesRequired = 1;
		out->actionType = FWP_ACTION_NONE;
		return;
	}
	out->actionType = FWP_ACTION_PERMIT;
}

static NTSTATUS NTAPI notify(FWPS_CALLOUT_NOTIFY_TYPE t, const GUID *k, FWPS_FILTER3 *f)
{
	(void)t, (void)k, (void)f;
	return STATUS_SUCCESS;
}

static int device;

static owfp_engine *setup(FWPS_CALLOUT_CLASSIFY_FN3 fn, FWP_ACTION_TYPE type)
{
	owfp_engine *e;
	HANDLE h;
	if (owfp_engine_create(NULL, &e) || FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &h))
		exit(1);
	GUID key = {0xbe4c0001, 1, 2, {3, 4, 5, 6, 7, 8, 9, 10}};
	FWPM_CALLOUT0 mc;
	memset(&mc, 0, sizeof(mc));
	mc.calloutKey = key;
	mc.applicableLayer = FWPM_LAYER_STREAM_V4;
	FWPS_CALLOUT3 sc;
	memset(&sc, 0, sizeof(sc));
	sc.calloutKey = key;
	sc.classifyFn = fn;
	sc.notifyFn = notify;
	FWPM_FILTER0 f;
	memset(&f, 0, sizeof(f));
	f.layerKey = FWPM_LAYER_STREAM_V4;
	f.action.type = type;
	f.action.calloutKey = key;
	if (FwpmCalloutAdd0(h, &mc, NULL, NULL) || FwpsCalloutRegister3(&device, &sc, NULL) ||
	    FwpmFilterAdd0(h, &f, NULL, NULL)) {
		fprintf(stderr, "stream_bench: setup failed\n");
		exit(1);
	}
	FwpmEngineClose0(h);
	return e;
}

static owfp_flow *flow(owfp_engine *e, const owfp_flow_ops *ops)
{
	owfp_flow_key k;
	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	k.local_port = 1;
	k.remote_port = 2;
	owfp_flow *f;
	if (owfp_flow_create(e, &k, ops, NULL, &f))
		exit(1);
	return f;
}

/* Median GB/s through a NONE callout with `seg`-byte indications. */
static void bench_none(owfp_engine *e, const owfp_flow_ops *ops, int runs, uint8_t *buf,
		       uint8_t *dst, size_t seg, size_t nseg)
{
	size_t total = seg * nseg;
	double gbs[50], mem[50];
	for (int run = 0; run < runs; run++) {
		owfp_flow *f = flow(e, ops);
		delivered = 0;
		double t0 = now();
		for (size_t i = 0; i < nseg; i++)
			owfp_flow_indicate(f, OWFP_DIR_INBOUND, buf, seg, 0, 0);
		double t = now() - t0;
		owfp_flow_close(f);
		if (delivered != total) {
			fprintf(stderr, "stream_bench: delivered %zu of %zu\n", delivered, total);
			exit(1);
		}
		gbs[run] = (double)total / t / 1e9;
		t0 = now();
		for (size_t i = 0; i < nseg; i++) {
			memcpy(dst, buf, seg);
			sink += dst[i % seg];
		}
		mem[run] = (double)total / (now() - t0) / 1e9;
	}
	double g = median(gbs, runs), m = median(mem, runs);
	printf("NONE callout, %zu-byte indications, %zu MiB: %.2f GB/s, %.0f ns per indication"
	       " (memcpy of the same bytes: %.2f GB/s)\n",
	       seg, total >> 20, g, (double)seg / g, m);
	printf("RATIO stream.none_callout.%zuB.GB/s %.2f >=2\n", seg, g);
	printf("RATIO stream.none_callout.%zuB/memcpy %.2f -\n", seg, g / m);
}

int main(void)
{
	const char *r = getenv("OWFP_BENCH_RUNS");
	int runs = r ? atoi(r) : 5;
	if (runs < 1 || runs > 50)
		runs = 5;
	owfp_flow_ops ops = {.deliver = deliver};

	/* 1. The data path here does not touch the payload, so this is the
	 * engine's own cost per byte (zero-copy delivery from the caller). */
	const size_t maxseg = 64 * 1024;
	uint8_t *buf = malloc(maxseg), *dst = malloc(maxseg);
	for (size_t i = 0; i < maxseg; i++)
		buf[i] = (uint8_t)i;
	owfp_engine *e = setup(classify_none, FWP_ACTION_CALLOUT_INSPECTION);
	bench_none(e, &ops, runs, buf, dst, maxseg, 32768);
	bench_none(e, &ops, runs, buf, dst, 1460, 200000);
	owfp_engine_destroy(e);

	/* 2. NEED_MORE_DATA one byte at a time. */
	e = setup(classify_one_more, FWP_ACTION_CALLOUT_TERMINATING);
	static const size_t sizes[3] = {256 * 1024, 512 * 1024, 1024 * 1024};
	double med[3];
	uint8_t one = 'x';
	for (int s = 0; s < 3; s++) {
		double ts[50];
		for (int run = 0; run < runs; run++) {
			owfp_flow *f = flow(e, &ops);
			delivered = 0;
			double t0 = now();
			for (size_t i = 0; i < sizes[s]; i++)
				owfp_flow_indicate(f, OWFP_DIR_INBOUND, &one, 1, 0, 0);
			owfp_flow_indicate_fin(f, OWFP_DIR_INBOUND);
			ts[run] = now() - t0;
			owfp_flow_close(f);
			if (delivered != sizes[s]) {
				fprintf(stderr, "stream_bench: NMD delivered %zu of %zu\n",
					delivered, sizes[s]);
				return 1;
			}
		}
		med[s] = median(ts, runs);
		printf("NEED_MORE_DATA +1 byte, 1-byte indications, %4zu KiB: %.3f s\n",
		       sizes[s] / 1024, med[s]);
	}
	owfp_engine_destroy(e);
	printf("time ratio 1 MiB / 256 KiB: %.2f (linear: 4, quadratic: 16)\n", med[2] / med[0]);
	printf("RATIO stream.nmd_1MiB/256KiB %.2f <=6\n", med[2] / med[0]);
	free(buf);
	free(dst);
	return 0;
}
