/*
 * The Interlocked* family at every width, over the compiler's __atomic
 * builtins. Windows' plain forms are full barriers (sequentially
 * consistent here); the Acquire / Release / NoFence forms map to acquire,
 * release and relaxed ordering. Return values follow Windows exactly:
 * Increment/Decrement/Add return the new value, ExchangeAdd/And/Or/Xor/
 * Exchange/CompareExchange the old one. Included by wdm.h.
 *
 * Absent: InterlockedCompareExchange128 (it needs cmpxchg16b or
 * libatomic) and the SLIST family (InterlockedPushEntrySList etc.).
 */
#ifndef OPENWFP_WDM_INTERLOCKED_H
#define OPENWFP_WDM_INTERLOCKED_H

#include "ntdef.h"

OWFP_EXTERN_C_BEGIN

#define KeMemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define MemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define KeMemoryBarrierWithoutFence() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define _ReadWriteBarrier() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define YieldProcessor() ((void)0)

/* ------------------------------------------------------------- 8-bit */
static inline CHAR InterlockedExchange8(CHAR volatile *Target, CHAR Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static inline CHAR InterlockedExchangeAdd8(CHAR volatile *Addend, CHAR Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline CHAR InterlockedCompareExchange8(CHAR volatile *Destination, CHAR ExChange,
					       CHAR Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return Comperand;
}
static inline CHAR InterlockedAnd8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline CHAR InterlockedOr8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline CHAR InterlockedXor8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline CHAR InterlockedAndAcquire8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline CHAR InterlockedOrAcquire8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline CHAR InterlockedXorAcquire8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline CHAR InterlockedAndRelease8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_RELEASE);
}
static inline CHAR InterlockedOrRelease8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_RELEASE);
}
static inline CHAR InterlockedXorRelease8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_RELEASE);
}
static inline CHAR InterlockedAndNoFence8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_RELAXED);
}
static inline CHAR InterlockedOrNoFence8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_RELAXED);
}
static inline CHAR InterlockedXorNoFence8(CHAR volatile *Destination, CHAR Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------ 16-bit */
static inline SHORT InterlockedIncrement16(SHORT volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline SHORT InterlockedDecrement16(SHORT volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline SHORT InterlockedExchange16(SHORT volatile *Target, SHORT Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static inline SHORT InterlockedExchangeAdd16(SHORT volatile *Addend, SHORT Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline SHORT InterlockedCompareExchange16(SHORT volatile *Destination, SHORT ExChange,
						 SHORT Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return Comperand;
}
static inline SHORT InterlockedAnd16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline SHORT InterlockedOr16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline SHORT InterlockedXor16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline SHORT InterlockedIncrementAcquire16(SHORT volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_ACQUIRE);
}
static inline SHORT InterlockedDecrementAcquire16(SHORT volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_ACQUIRE);
}
static inline SHORT InterlockedExchangeAcquire16(SHORT volatile *Target, SHORT Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_ACQUIRE);
}
static inline SHORT InterlockedExchangeAddAcquire16(SHORT volatile *Addend, SHORT Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_ACQUIRE);
}
static inline SHORT InterlockedCompareExchangeAcquire16(SHORT volatile *Destination, SHORT ExChange,
							SHORT Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_ACQUIRE,
				    __ATOMIC_ACQUIRE);
	return Comperand;
}
static inline SHORT InterlockedAndAcquire16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline SHORT InterlockedOrAcquire16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline SHORT InterlockedXorAcquire16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline SHORT InterlockedIncrementRelease16(SHORT volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_RELEASE);
}
static inline SHORT InterlockedDecrementRelease16(SHORT volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_RELEASE);
}
static inline SHORT InterlockedExchangeAddRelease16(SHORT volatile *Addend, SHORT Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_RELEASE);
}
static inline SHORT InterlockedCompareExchangeRelease16(SHORT volatile *Destination, SHORT ExChange,
							SHORT Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
	return Comperand;
}
static inline SHORT InterlockedAndRelease16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_RELEASE);
}
static inline SHORT InterlockedOrRelease16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_RELEASE);
}
static inline SHORT InterlockedXorRelease16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_RELEASE);
}
static inline SHORT InterlockedIncrementNoFence16(SHORT volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_RELAXED);
}
static inline SHORT InterlockedDecrementNoFence16(SHORT volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_RELAXED);
}
static inline SHORT InterlockedExchangeNoFence16(SHORT volatile *Target, SHORT Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_RELAXED);
}
static inline SHORT InterlockedExchangeAddNoFence16(SHORT volatile *Addend, SHORT Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_RELAXED);
}
static inline SHORT InterlockedCompareExchangeNoFence16(SHORT volatile *Destination, SHORT ExChange,
							SHORT Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_RELAXED,
				    __ATOMIC_RELAXED);
	return Comperand;
}
static inline SHORT InterlockedAndNoFence16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_RELAXED);
}
static inline SHORT InterlockedOrNoFence16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_RELAXED);
}
static inline SHORT InterlockedXorNoFence16(SHORT volatile *Destination, SHORT Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------ 32-bit */
static inline LONG InterlockedIncrement(LONG volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedDecrement(LONG volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedExchange(LONG volatile *Target, LONG Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedExchangeAdd(LONG volatile *Addend, LONG Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedCompareExchange(LONG volatile *Destination, LONG ExChange,
					      LONG Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return Comperand;
}
static inline LONG InterlockedAnd(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedOr(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedXor(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedAdd(LONG volatile *Addend, LONG Value)
{
	return __atomic_add_fetch(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline LONG InterlockedIncrementAcquire(LONG volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_ACQUIRE);
}
static inline LONG InterlockedDecrementAcquire(LONG volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_ACQUIRE);
}
static inline LONG InterlockedExchangeAcquire(LONG volatile *Target, LONG Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_ACQUIRE);
}
static inline LONG InterlockedExchangeAddAcquire(LONG volatile *Addend, LONG Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_ACQUIRE);
}
static inline LONG InterlockedCompareExchangeAcquire(LONG volatile *Destination, LONG ExChange,
						     LONG Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_ACQUIRE,
				    __ATOMIC_ACQUIRE);
	return Comperand;
}
static inline LONG InterlockedAndAcquire(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline LONG InterlockedOrAcquire(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline LONG InterlockedXorAcquire(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline LONG InterlockedAddAcquire(LONG volatile *Addend, LONG Value)
{
	return __atomic_add_fetch(Addend, Value, __ATOMIC_ACQUIRE);
}
static inline LONG InterlockedIncrementRelease(LONG volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_RELEASE);
}
static inline LONG InterlockedDecrementRelease(LONG volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_RELEASE);
}
static inline LONG InterlockedExchangeAddRelease(LONG volatile *Addend, LONG Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_RELEASE);
}
static inline LONG InterlockedCompareExchangeRelease(LONG volatile *Destination, LONG ExChange,
						     LONG Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
	return Comperand;
}
static inline LONG InterlockedAndRelease(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_RELEASE);
}
static inline LONG InterlockedOrRelease(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_RELEASE);
}
static inline LONG InterlockedXorRelease(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_RELEASE);
}
static inline LONG InterlockedAddRelease(LONG volatile *Addend, LONG Value)
{
	return __atomic_add_fetch(Addend, Value, __ATOMIC_RELEASE);
}
static inline LONG InterlockedIncrementNoFence(LONG volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_RELAXED);
}
static inline LONG InterlockedDecrementNoFence(LONG volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_RELAXED);
}
static inline LONG InterlockedExchangeNoFence(LONG volatile *Target, LONG Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_RELAXED);
}
static inline LONG InterlockedExchangeAddNoFence(LONG volatile *Addend, LONG Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_RELAXED);
}
static inline LONG InterlockedCompareExchangeNoFence(LONG volatile *Destination, LONG ExChange,
						     LONG Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_RELAXED,
				    __ATOMIC_RELAXED);
	return Comperand;
}
static inline LONG InterlockedAndNoFence(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_RELAXED);
}
static inline LONG InterlockedOrNoFence(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_RELAXED);
}
static inline LONG InterlockedXorNoFence(LONG volatile *Destination, LONG Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_RELAXED);
}
static inline LONG InterlockedAddNoFence(LONG volatile *Addend, LONG Value)
{
	return __atomic_add_fetch(Addend, Value, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------ 64-bit */
static inline LONG64 InterlockedIncrement64(LONG64 volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedDecrement64(LONG64 volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedExchange64(LONG64 volatile *Target, LONG64 Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedCompareExchange64(LONG64 volatile *Destination, LONG64 ExChange,
						  LONG64 Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return Comperand;
}
static inline LONG64 InterlockedAnd64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedOr64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedXor64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedAdd64(LONG64 volatile *Addend, LONG64 Value)
{
	return __atomic_add_fetch(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline LONG64 InterlockedIncrementAcquire64(LONG64 volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_ACQUIRE);
}
static inline LONG64 InterlockedDecrementAcquire64(LONG64 volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_ACQUIRE);
}
static inline LONG64 InterlockedExchangeAcquire64(LONG64 volatile *Target, LONG64 Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_ACQUIRE);
}
static inline LONG64 InterlockedExchangeAddAcquire64(LONG64 volatile *Addend, LONG64 Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_ACQUIRE);
}
static inline LONG64 InterlockedCompareExchangeAcquire64(LONG64 volatile *Destination,
							 LONG64 ExChange, LONG64 Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_ACQUIRE,
				    __ATOMIC_ACQUIRE);
	return Comperand;
}
static inline LONG64 InterlockedAndAcquire64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline LONG64 InterlockedOrAcquire64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline LONG64 InterlockedXorAcquire64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_ACQUIRE);
}
static inline LONG64 InterlockedAddAcquire64(LONG64 volatile *Addend, LONG64 Value)
{
	return __atomic_add_fetch(Addend, Value, __ATOMIC_ACQUIRE);
}
static inline LONG64 InterlockedIncrementRelease64(LONG64 volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_RELEASE);
}
static inline LONG64 InterlockedDecrementRelease64(LONG64 volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_RELEASE);
}
static inline LONG64 InterlockedExchangeAddRelease64(LONG64 volatile *Addend, LONG64 Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_RELEASE);
}
static inline LONG64 InterlockedCompareExchangeRelease64(LONG64 volatile *Destination,
							 LONG64 ExChange, LONG64 Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
	return Comperand;
}
static inline LONG64 InterlockedAndRelease64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_RELEASE);
}
static inline LONG64 InterlockedOrRelease64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_RELEASE);
}
static inline LONG64 InterlockedXorRelease64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_RELEASE);
}
static inline LONG64 InterlockedAddRelease64(LONG64 volatile *Addend, LONG64 Value)
{
	return __atomic_add_fetch(Addend, Value, __ATOMIC_RELEASE);
}
static inline LONG64 InterlockedIncrementNoFence64(LONG64 volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_RELAXED);
}
static inline LONG64 InterlockedDecrementNoFence64(LONG64 volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_RELAXED);
}
static inline LONG64 InterlockedExchangeNoFence64(LONG64 volatile *Target, LONG64 Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_RELAXED);
}
static inline LONG64 InterlockedExchangeAddNoFence64(LONG64 volatile *Addend, LONG64 Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_RELAXED);
}
static inline LONG64 InterlockedCompareExchangeNoFence64(LONG64 volatile *Destination,
							 LONG64 ExChange, LONG64 Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_RELAXED,
				    __ATOMIC_RELAXED);
	return Comperand;
}
static inline LONG64 InterlockedAndNoFence64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_and(Destination, Value, __ATOMIC_RELAXED);
}
static inline LONG64 InterlockedOrNoFence64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_or(Destination, Value, __ATOMIC_RELAXED);
}
static inline LONG64 InterlockedXorNoFence64(LONG64 volatile *Destination, LONG64 Value)
{
	return __atomic_fetch_xor(Destination, Value, __ATOMIC_RELAXED);
}
static inline LONG64 InterlockedAddNoFence64(LONG64 volatile *Addend, LONG64 Value)
{
	return __atomic_add_fetch(Addend, Value, __ATOMIC_RELAXED);
}

/* ----------------------------------------- unsigned and SIZE_T forms */
static inline ULONG InterlockedExchangeSubtract(ULONG volatile *Addend, ULONG Value)
{
	return __atomic_fetch_sub(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline SIZE_T InterlockedExchangeAddSizeT(SIZE_T volatile *Addend, SIZE_T Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}
static inline SIZE_T InterlockedIncrementSizeT(SIZE_T volatile *Addend)
{
	return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline SIZE_T InterlockedDecrementSizeT(SIZE_T volatile *Addend)
{
	return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static inline ULONG64 InterlockedExchangeAddU64(ULONG64 volatile *Addend, ULONG64 Value)
{
	return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}

/* ---------------------------------------------------------- pointers */
static inline PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static inline PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID ExChange,
						      PVOID Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return Comperand;
}
static inline PVOID InterlockedExchangePointerAcquire(PVOID volatile *Target, PVOID Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_ACQUIRE);
}
static inline PVOID InterlockedCompareExchangePointerAcquire(PVOID volatile *Destination,
							     PVOID ExChange, PVOID Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_ACQUIRE,
				    __ATOMIC_ACQUIRE);
	return Comperand;
}
static inline PVOID InterlockedCompareExchangePointerRelease(PVOID volatile *Destination,
							     PVOID ExChange, PVOID Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
	return Comperand;
}
static inline PVOID InterlockedExchangePointerNoFence(PVOID volatile *Target, PVOID Value)
{
	return __atomic_exchange_n(Target, Value, __ATOMIC_RELAXED);
}
static inline PVOID InterlockedCompareExchangePointerNoFence(PVOID volatile *Destination,
							     PVOID ExChange, PVOID Comperand)
{
	__atomic_compare_exchange_n(Destination, &Comperand, ExChange, 0, __ATOMIC_RELAXED,
				    __ATOMIC_RELAXED);
	return Comperand;
}

/* --------------------------------------------------------- bit tests */
static inline BOOLEAN InterlockedBitTestAndSet(LONG volatile *Base, LONG Offset)
{
	return (BOOLEAN)(((__atomic_fetch_or(Base, (LONG)((ULONG)1 << (Offset & 31)),
					     __ATOMIC_SEQ_CST)) >>
			  (Offset & 31)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndSetAcquire(LONG volatile *Base, LONG Offset)
{
	return (BOOLEAN)(((__atomic_fetch_or(Base, (LONG)((ULONG)1 << (Offset & 31)),
					     __ATOMIC_ACQUIRE)) >>
			  (Offset & 31)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndSetRelease(LONG volatile *Base, LONG Offset)
{
	return (BOOLEAN)(((__atomic_fetch_or(Base, (LONG)((ULONG)1 << (Offset & 31)),
					     __ATOMIC_RELEASE)) >>
			  (Offset & 31)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndReset(LONG volatile *Base, LONG Offset)
{
	return (BOOLEAN)(((__atomic_fetch_and(Base, ~(LONG)((ULONG)1 << (Offset & 31)),
					      __ATOMIC_SEQ_CST)) >>
			  (Offset & 31)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndResetAcquire(LONG volatile *Base, LONG Offset)
{
	return (BOOLEAN)(((__atomic_fetch_and(Base, ~(LONG)((ULONG)1 << (Offset & 31)),
					      __ATOMIC_ACQUIRE)) >>
			  (Offset & 31)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndResetRelease(LONG volatile *Base, LONG Offset)
{
	return (BOOLEAN)(((__atomic_fetch_and(Base, ~(LONG)((ULONG)1 << (Offset & 31)),
					      __ATOMIC_RELEASE)) >>
			  (Offset & 31)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndComplement(LONG volatile *Base, LONG Offset)
{
	return (BOOLEAN)(((__atomic_fetch_xor(Base, (LONG)((ULONG)1 << (Offset & 31)),
					      __ATOMIC_SEQ_CST)) >>
			  (Offset & 31)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndSet64(LONG64 volatile *Base, LONG64 Offset)
{
	return (BOOLEAN)(((__atomic_fetch_or(Base, (LONG64)((ULONG64)1 << (Offset & 63)),
					     __ATOMIC_SEQ_CST)) >>
			  (Offset & 63)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndSetAcquire64(LONG64 volatile *Base, LONG64 Offset)
{
	return (BOOLEAN)(((__atomic_fetch_or(Base, (LONG64)((ULONG64)1 << (Offset & 63)),
					     __ATOMIC_ACQUIRE)) >>
			  (Offset & 63)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndSetRelease64(LONG64 volatile *Base, LONG64 Offset)
{
	return (BOOLEAN)(((__atomic_fetch_or(Base, (LONG64)((ULONG64)1 << (Offset & 63)),
					     __ATOMIC_RELEASE)) >>
			  (Offset & 63)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndReset64(LONG64 volatile *Base, LONG64 Offset)
{
	return (BOOLEAN)(((__atomic_fetch_and(Base, ~(LONG64)((ULONG64)1 << (Offset & 63)),
					      __ATOMIC_SEQ_CST)) >>
			  (Offset & 63)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndResetAcquire64(LONG64 volatile *Base, LONG64 Offset)
{
	return (BOOLEAN)(((__atomic_fetch_and(Base, ~(LONG64)((ULONG64)1 << (Offset & 63)),
					      __ATOMIC_ACQUIRE)) >>
			  (Offset & 63)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndResetRelease64(LONG64 volatile *Base, LONG64 Offset)
{
	return (BOOLEAN)(((__atomic_fetch_and(Base, ~(LONG64)((ULONG64)1 << (Offset & 63)),
					      __ATOMIC_RELEASE)) >>
			  (Offset & 63)) &
			 1);
}
static inline BOOLEAN InterlockedBitTestAndComplement64(LONG64 volatile *Base, LONG64 Offset)
{
	return (BOOLEAN)(((__atomic_fetch_xor(Base, (LONG64)((ULONG64)1 << (Offset & 63)),
					      __ATOMIC_SEQ_CST)) >>
			  (Offset & 63)) &
			 1);
}

/* -------------------------------------------- plain reads and writes */
static inline CHAR ReadAcquire8(CHAR const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
static inline CHAR ReadNoFence8(CHAR const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline CHAR ReadRaw8(CHAR const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline void WriteRelease8(CHAR volatile *Destination, CHAR Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
static inline void WriteNoFence8(CHAR volatile *Destination, CHAR Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline void WriteRaw8(CHAR volatile *Destination, CHAR Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline SHORT ReadAcquire16(SHORT const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
static inline SHORT ReadNoFence16(SHORT const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline SHORT ReadRaw16(SHORT const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline void WriteRelease16(SHORT volatile *Destination, SHORT Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
static inline void WriteNoFence16(SHORT volatile *Destination, SHORT Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline void WriteRaw16(SHORT volatile *Destination, SHORT Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline LONG ReadAcquire(LONG const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
static inline LONG ReadNoFence(LONG const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline LONG ReadRaw(LONG const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline void WriteRelease(LONG volatile *Destination, LONG Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
static inline void WriteNoFence(LONG volatile *Destination, LONG Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline void WriteRaw(LONG volatile *Destination, LONG Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline LONG64 ReadAcquire64(LONG64 const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
static inline LONG64 ReadNoFence64(LONG64 const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline LONG64 ReadRaw64(LONG64 const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline void WriteRelease64(LONG64 volatile *Destination, LONG64 Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
static inline void WriteNoFence64(LONG64 volatile *Destination, LONG64 Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline void WriteRaw64(LONG64 volatile *Destination, LONG64 Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline PVOID ReadPointerAcquire(PVOID const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
static inline PVOID ReadPointerNoFence(PVOID const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline PVOID ReadPointerRaw(PVOID const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline void WritePointerRelease(PVOID volatile *Destination, PVOID Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
static inline void WritePointerNoFence(PVOID volatile *Destination, PVOID Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline void WritePointerRaw(PVOID volatile *Destination, PVOID Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline ULONG ReadULongAcquire(ULONG const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
static inline ULONG ReadULongNoFence(ULONG const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline ULONG ReadULongRaw(ULONG const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline void WriteULongRelease(ULONG volatile *Destination, ULONG Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
static inline void WriteULongNoFence(ULONG volatile *Destination, ULONG Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline void WriteULongRaw(ULONG volatile *Destination, ULONG Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline ULONG64 ReadULong64Acquire(ULONG64 const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
static inline ULONG64 ReadULong64NoFence(ULONG64 const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline ULONG64 ReadULong64Raw(ULONG64 const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline void WriteULong64Release(ULONG64 volatile *Destination, ULONG64 Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
static inline void WriteULong64NoFence(ULONG64 volatile *Destination, ULONG64 Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline void WriteULong64Raw(ULONG64 volatile *Destination, ULONG64 Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline BOOLEAN ReadBooleanAcquire(BOOLEAN const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
static inline BOOLEAN ReadBooleanNoFence(BOOLEAN const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline BOOLEAN ReadBooleanRaw(BOOLEAN const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline void WriteBooleanRelease(BOOLEAN volatile *Destination, BOOLEAN Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
static inline void WriteBooleanNoFence(BOOLEAN volatile *Destination, BOOLEAN Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline void WriteBooleanRaw(BOOLEAN volatile *Destination, BOOLEAN Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline SIZE_T ReadSizeTAcquire(SIZE_T const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_ACQUIRE);
}
static inline SIZE_T ReadSizeTNoFence(SIZE_T const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline SIZE_T ReadSizeTRaw(SIZE_T const volatile *Source)
{
	return __atomic_load_n(Source, __ATOMIC_RELAXED);
}
static inline void WriteSizeTRelease(SIZE_T volatile *Destination, SIZE_T Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELEASE);
}
static inline void WriteSizeTNoFence(SIZE_T volatile *Destination, SIZE_T Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}
static inline void WriteSizeTRaw(SIZE_T volatile *Destination, SIZE_T Value)
{
	__atomic_store_n(Destination, Value, __ATOMIC_RELAXED);
}

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDM_INTERLOCKED_H */
