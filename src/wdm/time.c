/* Kernel clocks: system time in Windows units, and a monotonic counter. */
#include <time.h>

#include "openwfp/wdm.h"

/* Seconds from 1601-01-01 (the Windows epoch) to 1970-01-01. */
#define EPOCH_DELTA_SECONDS 11644473600LL
#define TICKS_PER_SECOND 10000000LL /* 100 ns */

void KeQuerySystemTime(PLARGE_INTEGER CurrentTime)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	CurrentTime->QuadPart = ((LONGLONG)ts.tv_sec + EPOCH_DELTA_SECONDS) * TICKS_PER_SECOND +
				ts.tv_nsec / 100;
}

void KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime)
{
	KeQuerySystemTime(CurrentTime);
}

LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
	struct timespec ts;
	LARGE_INTEGER now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now.QuadPart = (LONGLONG)ts.tv_sec * TICKS_PER_SECOND + ts.tv_nsec / 100;
	if (PerformanceFrequency)
		PerformanceFrequency->QuadPart = TICKS_PER_SECOND;
	return now;
}

ULONGLONG KeQueryInterruptTime(void)
{
	return (ULONGLONG)KeQueryPerformanceCounter(NULL).QuadPart;
}

ULONGLONG KeQueryUnbiasedInterruptTime(void)
{
	return KeQueryInterruptTime();
}

/* Windows' usual clock tick: 15.625 ms. */
#define TIME_INCREMENT 156250u

ULONG KeQueryTimeIncrement(void)
{
	return TIME_INCREMENT;
}

void KeQueryTickCount(PLARGE_INTEGER CurrentCount)
{
	CurrentCount->QuadPart = (LONGLONG)(KeQueryInterruptTime() / TIME_INCREMENT);
}
