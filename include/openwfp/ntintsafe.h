/*
 * Integer arithmetic and conversions that detect overflow (the WDK's
 * ntintsafe.h): Rtl<Type>Add/Sub/Mult and Rtl<From>To<To> return
 * STATUS_SUCCESS, or STATUS_INTEGER_OVERFLOW with *pResult set to the
 * type's error value (all ones: -1 for signed types). The signed forms are
 * always available (the WDK wants ENABLE_INTSAFE_SIGNED_FUNCTIONS). Only
 * conversions that can fail (on 32- or 64-bit Windows) are provided, as
 * in the WDK. SIZE_T, ULONG_PTR
 * and the other pointer-sized types are 64 bits; LONG/ULONG 32, as on
 * Windows. Generated from one table: every type pair is checked the same
 * way (__builtin_*_overflow).
 */
#ifndef OPENWFP_NTINTSAFE_H
#define OPENWFP_NTINTSAFE_H

#include "ntdef.h"

OWFP_EXTERN_C_BEGIN

/* Sets the error value and returns the failure when `overflow`. */
#define OWFP_NTINTSAFE_RET(overflow, T) \
	((overflow) ? (*pResult = (T)-1, STATUS_INTEGER_OVERFLOW) : STATUS_SUCCESS)

/* ------------------------------------------------------------ arithmetic */

static inline NTSTATUS RtlUInt8Add(UINT8 Augend, UINT8 Addend, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), UINT8);
}
static inline NTSTATUS RtlUInt8Sub(UINT8 Minuend, UINT8 Subtrahend, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), UINT8);
}
static inline NTSTATUS RtlUInt8Mult(UINT8 Multiplicand, UINT8 Multiplier, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), UINT8);
}
static inline NTSTATUS RtlUCharAdd(UCHAR Augend, UCHAR Addend, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), UCHAR);
}
static inline NTSTATUS RtlUCharSub(UCHAR Minuend, UCHAR Subtrahend, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), UCHAR);
}
static inline NTSTATUS RtlUCharMult(UCHAR Multiplicand, UCHAR Multiplier, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), UCHAR);
}
static inline NTSTATUS RtlByteAdd(BYTE Augend, BYTE Addend, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), BYTE);
}
static inline NTSTATUS RtlByteSub(BYTE Minuend, BYTE Subtrahend, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), BYTE);
}
static inline NTSTATUS RtlByteMult(BYTE Multiplicand, BYTE Multiplier, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), BYTE);
}
static inline NTSTATUS RtlUShortAdd(USHORT Augend, USHORT Addend, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), USHORT);
}
static inline NTSTATUS RtlUShortSub(USHORT Minuend, USHORT Subtrahend, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), USHORT);
}
static inline NTSTATUS RtlUShortMult(USHORT Multiplicand, USHORT Multiplier, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), USHORT);
}
static inline NTSTATUS RtlWordAdd(WORD Augend, WORD Addend, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), WORD);
}
static inline NTSTATUS RtlWordSub(WORD Minuend, WORD Subtrahend, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), WORD);
}
static inline NTSTATUS RtlWordMult(WORD Multiplicand, WORD Multiplier, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), WORD);
}
static inline NTSTATUS RtlUIntAdd(UINT Augend, UINT Addend, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), UINT);
}
static inline NTSTATUS RtlUIntSub(UINT Minuend, UINT Subtrahend, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), UINT);
}
static inline NTSTATUS RtlUIntMult(UINT Multiplicand, UINT Multiplier, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), UINT);
}
static inline NTSTATUS RtlULongAdd(ULONG Augend, ULONG Addend, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), ULONG);
}
static inline NTSTATUS RtlULongSub(ULONG Minuend, ULONG Subtrahend, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), ULONG);
}
static inline NTSTATUS RtlULongMult(ULONG Multiplicand, ULONG Multiplier, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), ULONG);
}
static inline NTSTATUS RtlDWordAdd(DWORD Augend, DWORD Addend, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), DWORD);
}
static inline NTSTATUS RtlDWordSub(DWORD Minuend, DWORD Subtrahend, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), DWORD);
}
static inline NTSTATUS RtlDWordMult(DWORD Multiplicand, DWORD Multiplier, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), DWORD);
}
static inline NTSTATUS RtlULongLongAdd(ULONGLONG Augend, ULONGLONG Addend, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), ULONGLONG);
}
static inline NTSTATUS RtlULongLongSub(ULONGLONG Minuend, ULONGLONG Subtrahend, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), ULONGLONG);
}
static inline NTSTATUS RtlULongLongMult(ULONGLONG Multiplicand, ULONGLONG Multiplier,
					ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult),
				  ULONGLONG);
}
static inline NTSTATUS RtlDWord64Add(DWORD64 Augend, DWORD64 Addend, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), DWORD64);
}
static inline NTSTATUS RtlDWord64Sub(DWORD64 Minuend, DWORD64 Subtrahend, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), DWORD64);
}
static inline NTSTATUS RtlDWord64Mult(DWORD64 Multiplicand, DWORD64 Multiplier, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), DWORD64);
}
static inline NTSTATUS RtlULong64Add(ULONG64 Augend, ULONG64 Addend, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), ULONG64);
}
static inline NTSTATUS RtlULong64Sub(ULONG64 Minuend, ULONG64 Subtrahend, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), ULONG64);
}
static inline NTSTATUS RtlULong64Mult(ULONG64 Multiplicand, ULONG64 Multiplier, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), ULONG64);
}
static inline NTSTATUS RtlSizeTAdd(size_t Augend, size_t Addend, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), size_t);
}
static inline NTSTATUS RtlSizeTSub(size_t Minuend, size_t Subtrahend, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), size_t);
}
static inline NTSTATUS RtlSizeTMult(size_t Multiplicand, size_t Multiplier, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), size_t);
}
static inline NTSTATUS RtlSIZETAdd(SIZE_T Augend, SIZE_T Addend, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), SIZE_T);
}
static inline NTSTATUS RtlSIZETSub(SIZE_T Minuend, SIZE_T Subtrahend, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), SIZE_T);
}
static inline NTSTATUS RtlSIZETMult(SIZE_T Multiplicand, SIZE_T Multiplier, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), SIZE_T);
}
static inline NTSTATUS RtlULongPtrAdd(ULONG_PTR Augend, ULONG_PTR Addend, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlULongPtrSub(ULONG_PTR Minuend, ULONG_PTR Subtrahend, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlULongPtrMult(ULONG_PTR Multiplicand, ULONG_PTR Multiplier,
				       ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult),
				  ULONG_PTR);
}
static inline NTSTATUS RtlDWordPtrAdd(DWORD_PTR Augend, DWORD_PTR Addend, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlDWordPtrSub(DWORD_PTR Minuend, DWORD_PTR Subtrahend, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlDWordPtrMult(DWORD_PTR Multiplicand, DWORD_PTR Multiplier,
				       DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult),
				  DWORD_PTR);
}
static inline NTSTATUS RtlUIntPtrAdd(UINT_PTR Augend, UINT_PTR Addend, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), UINT_PTR);
}
static inline NTSTATUS RtlUIntPtrSub(UINT_PTR Minuend, UINT_PTR Subtrahend, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), UINT_PTR);
}
static inline NTSTATUS RtlUIntPtrMult(UINT_PTR Multiplicand, UINT_PTR Multiplier, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult),
				  UINT_PTR);
}
static inline NTSTATUS RtlInt8Add(INT8 Augend, INT8 Addend, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), INT8);
}
static inline NTSTATUS RtlInt8Sub(INT8 Minuend, INT8 Subtrahend, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), INT8);
}
static inline NTSTATUS RtlInt8Mult(INT8 Multiplicand, INT8 Multiplier, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), INT8);
}
static inline NTSTATUS RtlShortAdd(SHORT Augend, SHORT Addend, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), SHORT);
}
static inline NTSTATUS RtlShortSub(SHORT Minuend, SHORT Subtrahend, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), SHORT);
}
static inline NTSTATUS RtlShortMult(SHORT Multiplicand, SHORT Multiplier, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), SHORT);
}
static inline NTSTATUS RtlIntAdd(INT Augend, INT Addend, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), INT);
}
static inline NTSTATUS RtlIntSub(INT Minuend, INT Subtrahend, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), INT);
}
static inline NTSTATUS RtlIntMult(INT Multiplicand, INT Multiplier, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), INT);
}
static inline NTSTATUS RtlLongAdd(LONG Augend, LONG Addend, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), LONG);
}
static inline NTSTATUS RtlLongSub(LONG Minuend, LONG Subtrahend, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), LONG);
}
static inline NTSTATUS RtlLongMult(LONG Multiplicand, LONG Multiplier, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), LONG);
}
static inline NTSTATUS RtlLongLongAdd(LONGLONG Augend, LONGLONG Addend, LONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), LONGLONG);
}
static inline NTSTATUS RtlLongLongSub(LONGLONG Minuend, LONGLONG Subtrahend, LONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), LONGLONG);
}
static inline NTSTATUS RtlLongLongMult(LONGLONG Multiplicand, LONGLONG Multiplier, LONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult),
				  LONGLONG);
}
static inline NTSTATUS RtlLong64Add(LONG64 Augend, LONG64 Addend, LONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), LONG64);
}
static inline NTSTATUS RtlLong64Sub(LONG64 Minuend, LONG64 Subtrahend, LONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), LONG64);
}
static inline NTSTATUS RtlLong64Mult(LONG64 Multiplicand, LONG64 Multiplier, LONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), LONG64);
}
static inline NTSTATUS RtlInt64Add(INT64 Augend, INT64 Addend, INT64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), INT64);
}
static inline NTSTATUS RtlInt64Sub(INT64 Minuend, INT64 Subtrahend, INT64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), INT64);
}
static inline NTSTATUS RtlInt64Mult(INT64 Multiplicand, INT64 Multiplier, INT64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), INT64);
}
static inline NTSTATUS RtlLongPtrAdd(LONG_PTR Augend, LONG_PTR Addend, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), LONG_PTR);
}
static inline NTSTATUS RtlLongPtrSub(LONG_PTR Minuend, LONG_PTR Subtrahend, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), LONG_PTR);
}
static inline NTSTATUS RtlLongPtrMult(LONG_PTR Multiplicand, LONG_PTR Multiplier, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult),
				  LONG_PTR);
}
static inline NTSTATUS RtlIntPtrAdd(INT_PTR Augend, INT_PTR Addend, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), INT_PTR);
}
static inline NTSTATUS RtlIntPtrSub(INT_PTR Minuend, INT_PTR Subtrahend, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), INT_PTR);
}
static inline NTSTATUS RtlIntPtrMult(INT_PTR Multiplicand, INT_PTR Multiplier, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), INT_PTR);
}
static inline NTSTATUS RtlSSIZETAdd(SSIZE_T Augend, SSIZE_T Addend, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), SSIZE_T);
}
static inline NTSTATUS RtlSSIZETSub(SSIZE_T Minuend, SSIZE_T Subtrahend, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), SSIZE_T);
}
static inline NTSTATUS RtlSSIZETMult(SSIZE_T Multiplicand, SSIZE_T Multiplier, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), SSIZE_T);
}
static inline NTSTATUS RtlPtrdiffTAdd(ptrdiff_t Augend, ptrdiff_t Addend, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlPtrdiffTSub(ptrdiff_t Minuend, ptrdiff_t Subtrahend, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlPtrdiffTMult(ptrdiff_t Multiplicand, ptrdiff_t Multiplier,
				       ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult),
				  ptrdiff_t);
}

/* ----------------------------------------------------------- conversions */

/* Every pair that can fail on 32-bit or 64-bit Windows (on 64-bit Linux some
 * always succeed, e.g. ULongLongToULongPtr). */
static inline NTSTATUS RtlUInt8ToInt8(UINT8 Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlUCharToInt8(UCHAR Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlByteToInt8(BYTE Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlUShortToUInt8(USHORT Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlUShortToUChar(USHORT Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlUShortToByte(USHORT Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlUShortToInt8(USHORT Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlUShortToShort(USHORT Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlWordToUInt8(WORD Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlWordToUChar(WORD Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlWordToByte(WORD Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlWordToInt8(WORD Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlWordToShort(WORD Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlUIntToUInt8(UINT Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlUIntToUChar(UINT Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlUIntToByte(UINT Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlUIntToUShort(UINT Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlUIntToWord(UINT Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlUIntToInt8(UINT Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlUIntToShort(UINT Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlUIntToInt(UINT Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlUIntToLong(UINT Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlUIntToLongPtr(UINT Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlUIntToIntPtr(UINT Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlUIntToSSIZET(UINT Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlUIntToPtrdiffT(UINT Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlULongToUInt8(ULONG Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlULongToUChar(ULONG Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlULongToByte(ULONG Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlULongToUShort(ULONG Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlULongToWord(ULONG Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlULongToInt8(ULONG Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlULongToShort(ULONG Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlULongToInt(ULONG Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlULongToLong(ULONG Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlULongToLongPtr(ULONG Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlULongToIntPtr(ULONG Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlULongToSSIZET(ULONG Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlULongToPtrdiffT(ULONG Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlDWordToUInt8(DWORD Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlDWordToUChar(DWORD Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlDWordToByte(DWORD Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlDWordToUShort(DWORD Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlDWordToWord(DWORD Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlDWordToInt8(DWORD Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlDWordToShort(DWORD Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlDWordToInt(DWORD Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlDWordToLong(DWORD Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlDWordToLongPtr(DWORD Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlDWordToIntPtr(DWORD Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlDWordToSSIZET(DWORD Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlDWordToPtrdiffT(DWORD Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlULongLongToUInt8(ULONGLONG Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlULongLongToUChar(ULONGLONG Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlULongLongToByte(ULONGLONG Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlULongLongToUShort(ULONGLONG Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlULongLongToWord(ULONGLONG Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlULongLongToUInt(ULONGLONG Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlULongLongToULong(ULONGLONG Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlULongLongToDWord(ULONGLONG Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlULongLongToSizeT(ULONGLONG Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlULongLongToSIZET(ULONGLONG Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlULongLongToULongPtr(ULONGLONG Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlULongLongToDWordPtr(ULONGLONG Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlULongLongToUIntPtr(ULONGLONG Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlULongLongToInt8(ULONGLONG Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlULongLongToShort(ULONGLONG Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlULongLongToInt(ULONGLONG Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlULongLongToLong(ULONGLONG Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlULongLongToLongLong(ULONGLONG Operand, LONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline NTSTATUS RtlULongLongToLong64(ULONGLONG Operand, LONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline NTSTATUS RtlULongLongToInt64(ULONGLONG Operand, INT64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline NTSTATUS RtlULongLongToLongPtr(ULONGLONG Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlULongLongToIntPtr(ULONGLONG Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlULongLongToSSIZET(ULONGLONG Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlULongLongToPtrdiffT(ULONGLONG Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlDWord64ToUInt8(DWORD64 Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlDWord64ToUChar(DWORD64 Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlDWord64ToByte(DWORD64 Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlDWord64ToUShort(DWORD64 Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlDWord64ToWord(DWORD64 Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlDWord64ToUInt(DWORD64 Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlDWord64ToULong(DWORD64 Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlDWord64ToDWord(DWORD64 Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlDWord64ToSizeT(DWORD64 Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlDWord64ToSIZET(DWORD64 Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlDWord64ToULongPtr(DWORD64 Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlDWord64ToDWordPtr(DWORD64 Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlDWord64ToUIntPtr(DWORD64 Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlDWord64ToInt8(DWORD64 Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlDWord64ToShort(DWORD64 Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlDWord64ToInt(DWORD64 Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlDWord64ToLong(DWORD64 Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlDWord64ToLongLong(DWORD64 Operand, LONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline NTSTATUS RtlDWord64ToLong64(DWORD64 Operand, LONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline NTSTATUS RtlDWord64ToInt64(DWORD64 Operand, INT64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline NTSTATUS RtlDWord64ToLongPtr(DWORD64 Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlDWord64ToIntPtr(DWORD64 Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlDWord64ToSSIZET(DWORD64 Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlDWord64ToPtrdiffT(DWORD64 Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlULong64ToUInt8(ULONG64 Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlULong64ToUChar(ULONG64 Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlULong64ToByte(ULONG64 Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlULong64ToUShort(ULONG64 Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlULong64ToWord(ULONG64 Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlULong64ToUInt(ULONG64 Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlULong64ToULong(ULONG64 Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlULong64ToDWord(ULONG64 Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlULong64ToSizeT(ULONG64 Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlULong64ToSIZET(ULONG64 Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlULong64ToULongPtr(ULONG64 Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlULong64ToDWordPtr(ULONG64 Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlULong64ToUIntPtr(ULONG64 Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlULong64ToInt8(ULONG64 Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlULong64ToShort(ULONG64 Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlULong64ToInt(ULONG64 Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlULong64ToLong(ULONG64 Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlULong64ToLongLong(ULONG64 Operand, LONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline NTSTATUS RtlULong64ToLong64(ULONG64 Operand, LONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline NTSTATUS RtlULong64ToInt64(ULONG64 Operand, INT64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline NTSTATUS RtlULong64ToLongPtr(ULONG64 Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlULong64ToIntPtr(ULONG64 Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlULong64ToSSIZET(ULONG64 Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlULong64ToPtrdiffT(ULONG64 Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlSizeTToUInt8(size_t Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlSizeTToUChar(size_t Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlSizeTToByte(size_t Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlSizeTToUShort(size_t Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlSizeTToWord(size_t Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlSizeTToUInt(size_t Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlSizeTToULong(size_t Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlSizeTToDWord(size_t Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlSizeTToInt8(size_t Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlSizeTToShort(size_t Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlSizeTToInt(size_t Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlSizeTToLong(size_t Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlSizeTToLongLong(size_t Operand, LONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline NTSTATUS RtlSizeTToLong64(size_t Operand, LONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline NTSTATUS RtlSizeTToInt64(size_t Operand, INT64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline NTSTATUS RtlSizeTToLongPtr(size_t Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlSizeTToIntPtr(size_t Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlSizeTToSSIZET(size_t Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlSizeTToPtrdiffT(size_t Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlSIZETToUInt8(SIZE_T Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlSIZETToUChar(SIZE_T Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlSIZETToByte(SIZE_T Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlSIZETToUShort(SIZE_T Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlSIZETToWord(SIZE_T Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlSIZETToUInt(SIZE_T Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlSIZETToULong(SIZE_T Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlSIZETToDWord(SIZE_T Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlSIZETToInt8(SIZE_T Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlSIZETToShort(SIZE_T Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlSIZETToInt(SIZE_T Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlSIZETToLong(SIZE_T Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlSIZETToLongLong(SIZE_T Operand, LONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline NTSTATUS RtlSIZETToLong64(SIZE_T Operand, LONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline NTSTATUS RtlSIZETToInt64(SIZE_T Operand, INT64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline NTSTATUS RtlSIZETToLongPtr(SIZE_T Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlSIZETToIntPtr(SIZE_T Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlSIZETToSSIZET(SIZE_T Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlSIZETToPtrdiffT(SIZE_T Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlULongPtrToUInt8(ULONG_PTR Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlULongPtrToUChar(ULONG_PTR Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlULongPtrToByte(ULONG_PTR Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlULongPtrToUShort(ULONG_PTR Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlULongPtrToWord(ULONG_PTR Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlULongPtrToUInt(ULONG_PTR Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlULongPtrToULong(ULONG_PTR Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlULongPtrToDWord(ULONG_PTR Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlULongPtrToInt8(ULONG_PTR Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlULongPtrToShort(ULONG_PTR Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlULongPtrToInt(ULONG_PTR Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlULongPtrToLong(ULONG_PTR Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlULongPtrToLongLong(ULONG_PTR Operand, LONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline NTSTATUS RtlULongPtrToLong64(ULONG_PTR Operand, LONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline NTSTATUS RtlULongPtrToInt64(ULONG_PTR Operand, INT64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline NTSTATUS RtlULongPtrToLongPtr(ULONG_PTR Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlULongPtrToIntPtr(ULONG_PTR Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlULongPtrToSSIZET(ULONG_PTR Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlULongPtrToPtrdiffT(ULONG_PTR Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlDWordPtrToUInt8(DWORD_PTR Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlDWordPtrToUChar(DWORD_PTR Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlDWordPtrToByte(DWORD_PTR Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlDWordPtrToUShort(DWORD_PTR Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlDWordPtrToWord(DWORD_PTR Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlDWordPtrToUInt(DWORD_PTR Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlDWordPtrToULong(DWORD_PTR Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlDWordPtrToDWord(DWORD_PTR Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlDWordPtrToInt8(DWORD_PTR Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlDWordPtrToShort(DWORD_PTR Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlDWordPtrToInt(DWORD_PTR Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlDWordPtrToLong(DWORD_PTR Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlDWordPtrToLongLong(DWORD_PTR Operand, LONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline NTSTATUS RtlDWordPtrToLong64(DWORD_PTR Operand, LONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline NTSTATUS RtlDWordPtrToInt64(DWORD_PTR Operand, INT64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline NTSTATUS RtlDWordPtrToLongPtr(DWORD_PTR Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlDWordPtrToIntPtr(DWORD_PTR Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlDWordPtrToSSIZET(DWORD_PTR Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlDWordPtrToPtrdiffT(DWORD_PTR Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlUIntPtrToUInt8(UINT_PTR Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlUIntPtrToUChar(UINT_PTR Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlUIntPtrToByte(UINT_PTR Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlUIntPtrToUShort(UINT_PTR Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlUIntPtrToWord(UINT_PTR Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlUIntPtrToUInt(UINT_PTR Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlUIntPtrToULong(UINT_PTR Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlUIntPtrToDWord(UINT_PTR Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlUIntPtrToInt8(UINT_PTR Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlUIntPtrToShort(UINT_PTR Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlUIntPtrToInt(UINT_PTR Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlUIntPtrToLong(UINT_PTR Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlUIntPtrToLongLong(UINT_PTR Operand, LONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline NTSTATUS RtlUIntPtrToLong64(UINT_PTR Operand, LONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline NTSTATUS RtlUIntPtrToInt64(UINT_PTR Operand, INT64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline NTSTATUS RtlUIntPtrToLongPtr(UINT_PTR Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlUIntPtrToIntPtr(UINT_PTR Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlUIntPtrToSSIZET(UINT_PTR Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlUIntPtrToPtrdiffT(UINT_PTR Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlInt8ToUInt8(INT8 Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlInt8ToUChar(INT8 Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlInt8ToByte(INT8 Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlInt8ToUShort(INT8 Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlInt8ToWord(INT8 Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlInt8ToUInt(INT8 Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlInt8ToULong(INT8 Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlInt8ToDWord(INT8 Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlInt8ToULongLong(INT8 Operand, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline NTSTATUS RtlInt8ToDWord64(INT8 Operand, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline NTSTATUS RtlInt8ToULong64(INT8 Operand, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline NTSTATUS RtlInt8ToSizeT(INT8 Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlInt8ToSIZET(INT8 Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlInt8ToULongPtr(INT8 Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlInt8ToDWordPtr(INT8 Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlInt8ToUIntPtr(INT8 Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlShortToUInt8(SHORT Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlShortToUChar(SHORT Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlShortToByte(SHORT Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlShortToUShort(SHORT Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlShortToWord(SHORT Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlShortToUInt(SHORT Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlShortToULong(SHORT Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlShortToDWord(SHORT Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlShortToULongLong(SHORT Operand, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline NTSTATUS RtlShortToDWord64(SHORT Operand, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline NTSTATUS RtlShortToULong64(SHORT Operand, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline NTSTATUS RtlShortToSizeT(SHORT Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlShortToSIZET(SHORT Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlShortToULongPtr(SHORT Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlShortToDWordPtr(SHORT Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlShortToUIntPtr(SHORT Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlShortToInt8(SHORT Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlIntToUInt8(INT Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlIntToUChar(INT Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlIntToByte(INT Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlIntToUShort(INT Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlIntToWord(INT Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlIntToUInt(INT Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlIntToULong(INT Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlIntToDWord(INT Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlIntToULongLong(INT Operand, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline NTSTATUS RtlIntToDWord64(INT Operand, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline NTSTATUS RtlIntToULong64(INT Operand, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline NTSTATUS RtlIntToSizeT(INT Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlIntToSIZET(INT Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlIntToULongPtr(INT Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlIntToDWordPtr(INT Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlIntToUIntPtr(INT Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlIntToInt8(INT Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlIntToShort(INT Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlLongToUInt8(LONG Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlLongToUChar(LONG Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlLongToByte(LONG Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlLongToUShort(LONG Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlLongToWord(LONG Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlLongToUInt(LONG Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlLongToULong(LONG Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlLongToDWord(LONG Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlLongToULongLong(LONG Operand, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline NTSTATUS RtlLongToDWord64(LONG Operand, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline NTSTATUS RtlLongToULong64(LONG Operand, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline NTSTATUS RtlLongToSizeT(LONG Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlLongToSIZET(LONG Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlLongToULongPtr(LONG Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlLongToDWordPtr(LONG Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlLongToUIntPtr(LONG Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlLongToInt8(LONG Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlLongToShort(LONG Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlLongLongToUInt8(LONGLONG Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlLongLongToUChar(LONGLONG Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlLongLongToByte(LONGLONG Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlLongLongToUShort(LONGLONG Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlLongLongToWord(LONGLONG Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlLongLongToUInt(LONGLONG Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlLongLongToULong(LONGLONG Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlLongLongToDWord(LONGLONG Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlLongLongToULongLong(LONGLONG Operand, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline NTSTATUS RtlLongLongToDWord64(LONGLONG Operand, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline NTSTATUS RtlLongLongToULong64(LONGLONG Operand, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline NTSTATUS RtlLongLongToSizeT(LONGLONG Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlLongLongToSIZET(LONGLONG Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlLongLongToULongPtr(LONGLONG Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlLongLongToDWordPtr(LONGLONG Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlLongLongToUIntPtr(LONGLONG Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlLongLongToInt8(LONGLONG Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlLongLongToShort(LONGLONG Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlLongLongToInt(LONGLONG Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlLongLongToLong(LONGLONG Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlLongLongToLongPtr(LONGLONG Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlLongLongToIntPtr(LONGLONG Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlLongLongToSSIZET(LONGLONG Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlLongLongToPtrdiffT(LONGLONG Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlLong64ToUInt8(LONG64 Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlLong64ToUChar(LONG64 Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlLong64ToByte(LONG64 Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlLong64ToUShort(LONG64 Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlLong64ToWord(LONG64 Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlLong64ToUInt(LONG64 Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlLong64ToULong(LONG64 Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlLong64ToDWord(LONG64 Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlLong64ToULongLong(LONG64 Operand, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline NTSTATUS RtlLong64ToDWord64(LONG64 Operand, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline NTSTATUS RtlLong64ToULong64(LONG64 Operand, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline NTSTATUS RtlLong64ToSizeT(LONG64 Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlLong64ToSIZET(LONG64 Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlLong64ToULongPtr(LONG64 Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlLong64ToDWordPtr(LONG64 Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlLong64ToUIntPtr(LONG64 Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlLong64ToInt8(LONG64 Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlLong64ToShort(LONG64 Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlLong64ToInt(LONG64 Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlLong64ToLong(LONG64 Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlLong64ToLongPtr(LONG64 Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlLong64ToIntPtr(LONG64 Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlLong64ToSSIZET(LONG64 Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlLong64ToPtrdiffT(LONG64 Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlInt64ToUInt8(INT64 Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlInt64ToUChar(INT64 Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlInt64ToByte(INT64 Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlInt64ToUShort(INT64 Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlInt64ToWord(INT64 Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlInt64ToUInt(INT64 Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlInt64ToULong(INT64 Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlInt64ToDWord(INT64 Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlInt64ToULongLong(INT64 Operand, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline NTSTATUS RtlInt64ToDWord64(INT64 Operand, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline NTSTATUS RtlInt64ToULong64(INT64 Operand, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline NTSTATUS RtlInt64ToSizeT(INT64 Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlInt64ToSIZET(INT64 Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlInt64ToULongPtr(INT64 Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlInt64ToDWordPtr(INT64 Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlInt64ToUIntPtr(INT64 Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlInt64ToInt8(INT64 Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlInt64ToShort(INT64 Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlInt64ToInt(INT64 Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlInt64ToLong(INT64 Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlInt64ToLongPtr(INT64 Operand, LONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline NTSTATUS RtlInt64ToIntPtr(INT64 Operand, INT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline NTSTATUS RtlInt64ToSSIZET(INT64 Operand, SSIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline NTSTATUS RtlInt64ToPtrdiffT(INT64 Operand, ptrdiff_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline NTSTATUS RtlLongPtrToUInt8(LONG_PTR Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlLongPtrToUChar(LONG_PTR Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlLongPtrToByte(LONG_PTR Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlLongPtrToUShort(LONG_PTR Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlLongPtrToWord(LONG_PTR Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlLongPtrToUInt(LONG_PTR Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlLongPtrToULong(LONG_PTR Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlLongPtrToDWord(LONG_PTR Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlLongPtrToULongLong(LONG_PTR Operand, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline NTSTATUS RtlLongPtrToDWord64(LONG_PTR Operand, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline NTSTATUS RtlLongPtrToULong64(LONG_PTR Operand, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline NTSTATUS RtlLongPtrToSizeT(LONG_PTR Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlLongPtrToSIZET(LONG_PTR Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlLongPtrToULongPtr(LONG_PTR Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlLongPtrToDWordPtr(LONG_PTR Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlLongPtrToUIntPtr(LONG_PTR Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlLongPtrToInt8(LONG_PTR Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlLongPtrToShort(LONG_PTR Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlLongPtrToInt(LONG_PTR Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlLongPtrToLong(LONG_PTR Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlIntPtrToUInt8(INT_PTR Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlIntPtrToUChar(INT_PTR Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlIntPtrToByte(INT_PTR Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlIntPtrToUShort(INT_PTR Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlIntPtrToWord(INT_PTR Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlIntPtrToUInt(INT_PTR Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlIntPtrToULong(INT_PTR Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlIntPtrToDWord(INT_PTR Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlIntPtrToULongLong(INT_PTR Operand, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline NTSTATUS RtlIntPtrToDWord64(INT_PTR Operand, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline NTSTATUS RtlIntPtrToULong64(INT_PTR Operand, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline NTSTATUS RtlIntPtrToSizeT(INT_PTR Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlIntPtrToSIZET(INT_PTR Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlIntPtrToULongPtr(INT_PTR Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlIntPtrToDWordPtr(INT_PTR Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlIntPtrToUIntPtr(INT_PTR Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlIntPtrToInt8(INT_PTR Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlIntPtrToShort(INT_PTR Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlIntPtrToInt(INT_PTR Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlIntPtrToLong(INT_PTR Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlSSIZETToUInt8(SSIZE_T Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlSSIZETToUChar(SSIZE_T Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlSSIZETToByte(SSIZE_T Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlSSIZETToUShort(SSIZE_T Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlSSIZETToWord(SSIZE_T Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlSSIZETToUInt(SSIZE_T Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlSSIZETToULong(SSIZE_T Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlSSIZETToDWord(SSIZE_T Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlSSIZETToULongLong(SSIZE_T Operand, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline NTSTATUS RtlSSIZETToDWord64(SSIZE_T Operand, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline NTSTATUS RtlSSIZETToULong64(SSIZE_T Operand, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline NTSTATUS RtlSSIZETToSizeT(SSIZE_T Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlSSIZETToSIZET(SSIZE_T Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlSSIZETToULongPtr(SSIZE_T Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlSSIZETToDWordPtr(SSIZE_T Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlSSIZETToUIntPtr(SSIZE_T Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlSSIZETToInt8(SSIZE_T Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlSSIZETToShort(SSIZE_T Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlSSIZETToInt(SSIZE_T Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlSSIZETToLong(SSIZE_T Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline NTSTATUS RtlPtrdiffTToUInt8(ptrdiff_t Operand, UINT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline NTSTATUS RtlPtrdiffTToUChar(ptrdiff_t Operand, UCHAR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline NTSTATUS RtlPtrdiffTToByte(ptrdiff_t Operand, BYTE *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline NTSTATUS RtlPtrdiffTToUShort(ptrdiff_t Operand, USHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline NTSTATUS RtlPtrdiffTToWord(ptrdiff_t Operand, WORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline NTSTATUS RtlPtrdiffTToUInt(ptrdiff_t Operand, UINT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline NTSTATUS RtlPtrdiffTToULong(ptrdiff_t Operand, ULONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline NTSTATUS RtlPtrdiffTToDWord(ptrdiff_t Operand, DWORD *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline NTSTATUS RtlPtrdiffTToULongLong(ptrdiff_t Operand, ULONGLONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline NTSTATUS RtlPtrdiffTToDWord64(ptrdiff_t Operand, DWORD64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline NTSTATUS RtlPtrdiffTToULong64(ptrdiff_t Operand, ULONG64 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline NTSTATUS RtlPtrdiffTToSizeT(ptrdiff_t Operand, size_t *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline NTSTATUS RtlPtrdiffTToSIZET(ptrdiff_t Operand, SIZE_T *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline NTSTATUS RtlPtrdiffTToULongPtr(ptrdiff_t Operand, ULONG_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline NTSTATUS RtlPtrdiffTToDWordPtr(ptrdiff_t Operand, DWORD_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline NTSTATUS RtlPtrdiffTToUIntPtr(ptrdiff_t Operand, UINT_PTR *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline NTSTATUS RtlPtrdiffTToInt8(ptrdiff_t Operand, INT8 *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline NTSTATUS RtlPtrdiffTToShort(ptrdiff_t Operand, SHORT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline NTSTATUS RtlPtrdiffTToInt(ptrdiff_t Operand, INT *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline NTSTATUS RtlPtrdiffTToLong(ptrdiff_t Operand, LONG *pResult)
{
	return OWFP_NTINTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}

OWFP_EXTERN_C_END

#endif /* OPENWFP_NTINTSAFE_H */
