/*
 * Cost of the WDM pool (tagged, counted ExAllocatePool2/ExFreePoolWithTag)
 * against plain calloc/free, measured in the same run: one 64-byte
 * allocate+free pair, the pattern of a callout that copies each indication.
 * Prints RATIO lines for bench/run.sh (pool time / calloc time).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "openwfp/wdm.h"

#define ROUNDS 2000000
#define BENCH_TAG 'hcnB'

static volatile int use_pool;

static void *churn(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		void *p = use_pool ? ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, BENCH_TAG)
				   : calloc(1, 64);

		if (!p)
			abort();
		((volatile char *)p)[0] = 1;
		if (use_pool)
			ExFreePoolWithTag(p, BENCH_TAG);
		else
			free(p);
	}
	return NULL;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Wall-clock nanoseconds per allocate+free pair, over all threads. */
static double measure(int pool, int threads)
{
	pthread_t t[8];
	double t0;

	use_pool = pool;
	t0 = now();
	for (int i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, churn, NULL) != 0)
			abort();
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	return (now() - t0) * 1e9 / ((double)ROUNDS * threads);
}

int main(void)
{
	for (int threads = 1; threads <= 2; threads++) {
		double base = measure(0, threads), pool = measure(1, threads);

		printf("threads=%d calloc+free %.1f ns, ExAllocatePool2+ExFreePoolWithTag %.1f ns\n",
		       threads, base, pool);
		printf("RATIO pool.alloc_free.%dthread.pool/calloc %.2f <=3\n", threads, pool / base);
	}
	return 0;
}
