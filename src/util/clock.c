/*
 * The one clock of the library and the data paths: CLOCK_MONOTONIC in
 * milliseconds (owfp_clock_ms, openwfp.h). DEFER deadlines, the proxy's
 * connect and drain deadlines and replay's timings all read it, so their
 * times compare.
 */
#include <time.h>

#include "openwfp/openwfp.h"

uint64_t owfp_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
