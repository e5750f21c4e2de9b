/*
 * Processor numbers and counts: one group of every configured CPU (at most
 * 64, one KAFFINITY). The current index is the CPU the thread is on, kept
 * below the count so per-processor arrays sized by the count are safe.
 */
#include <sched.h>
#include <unistd.h>

#include "openwfp/wdm.h"

static ULONG cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	if (n < 1)
		n = 1;
	if (n > MAXIMUM_PROCESSORS)
		n = MAXIMUM_PROCESSORS;
	return (ULONG)n;
}

ULONG KeGetCurrentProcessorIndex(void)
{
	int cpu = sched_getcpu();

	return cpu < 0 ? 0 : (ULONG)cpu % cpu_count();
}

ULONG KeGetCurrentProcessorNumber(void)
{
	return KeGetCurrentProcessorIndex();
}

ULONG KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber)
{
	ULONG i = KeGetCurrentProcessorIndex();

	if (ProcNumber) {
		ProcNumber->Group = 0;
		ProcNumber->Number = (UCHAR)i;
		ProcNumber->Reserved = 0;
	}
	return i;
}

KAFFINITY KeQueryActiveProcessors(void)
{
	ULONG n = cpu_count();

	return n >= 64 ? ~(KAFFINITY)0 : ((KAFFINITY)1 << n) - 1;
}

ULONG KeQueryActiveProcessorCount(PKAFFINITY ActiveProcessors)
{
	if (ActiveProcessors)
		*ActiveProcessors = KeQueryActiveProcessors();
	return cpu_count();
}

ULONG KeQueryActiveProcessorCountEx(USHORT GroupNumber)
{
	return GroupNumber == 0 || GroupNumber == ALL_PROCESSOR_GROUPS ? cpu_count() : 0;
}

ULONG KeQueryMaximumProcessorCount(void)
{
	return cpu_count();
}

ULONG KeQueryMaximumProcessorCountEx(USHORT GroupNumber)
{
	return KeQueryActiveProcessorCountEx(GroupNumber);
}

USHORT KeQueryActiveGroupCount(void)
{
	return 1;
}

USHORT KeQueryMaximumGroupCount(void)
{
	return 1;
}

NTSTATUS KeGetProcessorNumberFromIndex(ULONG ProcIndex, PPROCESSOR_NUMBER ProcNumber)
{
	if (!ProcNumber || ProcIndex >= cpu_count())
		return STATUS_INVALID_PARAMETER;
	ProcNumber->Group = 0;
	ProcNumber->Number = (UCHAR)ProcIndex;
	ProcNumber->Reserved = 0;
	return STATUS_SUCCESS;
}

ULONG KeGetProcessorIndexFromNumber(PPROCESSOR_NUMBER ProcNumber)
{
	if (!ProcNumber || ProcNumber->Group != 0 || ProcNumber->Number >= cpu_count())
		return (ULONG)-1; /* INVALID_PROCESSOR_INDEX */
	return ProcNumber->Number;
}
