#include "util/deadline.h"

struct timespec owfp_deadline_after_ns(clockid_t clock, uint64_t ns)
{
	struct timespec t;
	clock_gettime(clock, &t);
	t.tv_sec += (time_t)(ns / 1000000000u);
	t.tv_nsec += (long)(ns % 1000000000u);
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}
