/*
 * Absolute deadlines for pthread_cond_timedwait and friends: now on a given
 * clock plus a relative time, normalised (tv_nsec below one second).
 */
#ifndef OWFP_UTIL_DEADLINE_H
#define OWFP_UTIL_DEADLINE_H

#include <stdint.h>
#include <time.h>

struct timespec owfp_deadline_after_ns(clockid_t clock, uint64_t ns);

#endif
