/*
 * Integer arithmetic and conversions that detect overflow (the SDK's
 * intsafe.h): <Type>Add/Sub/Mult and <From>To<To> return S_OK, or
 * INTSAFE_E_ARITHMETIC_OVERFLOW with *pResult set to the type's error
 * value (all ones: -1 for signed types). The kernel form with NTSTATUS
 * results is ntintsafe.h (RtlULongAdd ...). Signed forms are always
 * available. Only conversions that can fail (on 32- or 64-bit Windows) are
 * provided, as in the SDK.
 * Generated from one table: every type pair is checked the same way
 * (__builtin_*_overflow).
 */
#ifndef OPENWFP_INTSAFE_H
#define OPENWFP_INTSAFE_H

#include "ntdef.h"

OWFP_EXTERN_C_BEGIN

#ifndef OWFP_HRESULT_DEFINED
#define OWFP_HRESULT_DEFINED
typedef LONG HRESULT;
#endif
#ifndef S_OK
#define S_OK ((HRESULT)0L)
#define S_FALSE ((HRESULT)1L)
#endif
#ifndef SUCCEEDED
#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#define FAILED(hr) (((HRESULT)(hr)) < 0)
#endif
#define INTSAFE_E_ARITHMETIC_OVERFLOW ((HRESULT)0x80070216L)

/* Sets the error value and returns the failure when `overflow`. */
#define OWFP_INTSAFE_RET(overflow, T) \
	((overflow) ? (*pResult = (T)-1, INTSAFE_E_ARITHMETIC_OVERFLOW) : S_OK)

/* ------------------------------------------------------------ arithmetic */

static inline HRESULT UInt8Add(UINT8 Augend, UINT8 Addend, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), UINT8);
}
static inline HRESULT UInt8Sub(UINT8 Minuend, UINT8 Subtrahend, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), UINT8);
}
static inline HRESULT UInt8Mult(UINT8 Multiplicand, UINT8 Multiplier, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), UINT8);
}
static inline HRESULT UCharAdd(UCHAR Augend, UCHAR Addend, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), UCHAR);
}
static inline HRESULT UCharSub(UCHAR Minuend, UCHAR Subtrahend, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), UCHAR);
}
static inline HRESULT UCharMult(UCHAR Multiplicand, UCHAR Multiplier, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), UCHAR);
}
static inline HRESULT ByteAdd(BYTE Augend, BYTE Addend, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), BYTE);
}
static inline HRESULT ByteSub(BYTE Minuend, BYTE Subtrahend, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), BYTE);
}
static inline HRESULT ByteMult(BYTE Multiplicand, BYTE Multiplier, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), BYTE);
}
static inline HRESULT UShortAdd(USHORT Augend, USHORT Addend, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), USHORT);
}
static inline HRESULT UShortSub(USHORT Minuend, USHORT Subtrahend, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), USHORT);
}
static inline HRESULT UShortMult(USHORT Multiplicand, USHORT Multiplier, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), USHORT);
}
static inline HRESULT WordAdd(WORD Augend, WORD Addend, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), WORD);
}
static inline HRESULT WordSub(WORD Minuend, WORD Subtrahend, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), WORD);
}
static inline HRESULT WordMult(WORD Multiplicand, WORD Multiplier, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), WORD);
}
static inline HRESULT UIntAdd(UINT Augend, UINT Addend, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), UINT);
}
static inline HRESULT UIntSub(UINT Minuend, UINT Subtrahend, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), UINT);
}
static inline HRESULT UIntMult(UINT Multiplicand, UINT Multiplier, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), UINT);
}
static inline HRESULT ULongAdd(ULONG Augend, ULONG Addend, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), ULONG);
}
static inline HRESULT ULongSub(ULONG Minuend, ULONG Subtrahend, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), ULONG);
}
static inline HRESULT ULongMult(ULONG Multiplicand, ULONG Multiplier, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), ULONG);
}
static inline HRESULT DWordAdd(DWORD Augend, DWORD Addend, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), DWORD);
}
static inline HRESULT DWordSub(DWORD Minuend, DWORD Subtrahend, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), DWORD);
}
static inline HRESULT DWordMult(DWORD Multiplicand, DWORD Multiplier, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), DWORD);
}
static inline HRESULT ULongLongAdd(ULONGLONG Augend, ULONGLONG Addend, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), ULONGLONG);
}
static inline HRESULT ULongLongSub(ULONGLONG Minuend, ULONGLONG Subtrahend, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), ULONGLONG);
}
static inline HRESULT ULongLongMult(ULONGLONG Multiplicand, ULONGLONG Multiplier, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), ULONGLONG);
}
static inline HRESULT DWord64Add(DWORD64 Augend, DWORD64 Addend, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), DWORD64);
}
static inline HRESULT DWord64Sub(DWORD64 Minuend, DWORD64 Subtrahend, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), DWORD64);
}
static inline HRESULT DWord64Mult(DWORD64 Multiplicand, DWORD64 Multiplier, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), DWORD64);
}
static inline HRESULT ULong64Add(ULONG64 Augend, ULONG64 Addend, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), ULONG64);
}
static inline HRESULT ULong64Sub(ULONG64 Minuend, ULONG64 Subtrahend, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), ULONG64);
}
static inline HRESULT ULong64Mult(ULONG64 Multiplicand, ULONG64 Multiplier, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), ULONG64);
}
static inline HRESULT SizeTAdd(size_t Augend, size_t Addend, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), size_t);
}
static inline HRESULT SizeTSub(size_t Minuend, size_t Subtrahend, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), size_t);
}
static inline HRESULT SizeTMult(size_t Multiplicand, size_t Multiplier, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), size_t);
}
static inline HRESULT SIZETAdd(SIZE_T Augend, SIZE_T Addend, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), SIZE_T);
}
static inline HRESULT SIZETSub(SIZE_T Minuend, SIZE_T Subtrahend, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), SIZE_T);
}
static inline HRESULT SIZETMult(SIZE_T Multiplicand, SIZE_T Multiplier, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), SIZE_T);
}
static inline HRESULT ULongPtrAdd(ULONG_PTR Augend, ULONG_PTR Addend, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), ULONG_PTR);
}
static inline HRESULT ULongPtrSub(ULONG_PTR Minuend, ULONG_PTR Subtrahend, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), ULONG_PTR);
}
static inline HRESULT ULongPtrMult(ULONG_PTR Multiplicand, ULONG_PTR Multiplier, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), ULONG_PTR);
}
static inline HRESULT DWordPtrAdd(DWORD_PTR Augend, DWORD_PTR Addend, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), DWORD_PTR);
}
static inline HRESULT DWordPtrSub(DWORD_PTR Minuend, DWORD_PTR Subtrahend, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), DWORD_PTR);
}
static inline HRESULT DWordPtrMult(DWORD_PTR Multiplicand, DWORD_PTR Multiplier, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), DWORD_PTR);
}
static inline HRESULT UIntPtrAdd(UINT_PTR Augend, UINT_PTR Addend, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), UINT_PTR);
}
static inline HRESULT UIntPtrSub(UINT_PTR Minuend, UINT_PTR Subtrahend, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), UINT_PTR);
}
static inline HRESULT UIntPtrMult(UINT_PTR Multiplicand, UINT_PTR Multiplier, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), UINT_PTR);
}
static inline HRESULT Int8Add(INT8 Augend, INT8 Addend, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), INT8);
}
static inline HRESULT Int8Sub(INT8 Minuend, INT8 Subtrahend, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), INT8);
}
static inline HRESULT Int8Mult(INT8 Multiplicand, INT8 Multiplier, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), INT8);
}
static inline HRESULT ShortAdd(SHORT Augend, SHORT Addend, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), SHORT);
}
static inline HRESULT ShortSub(SHORT Minuend, SHORT Subtrahend, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), SHORT);
}
static inline HRESULT ShortMult(SHORT Multiplicand, SHORT Multiplier, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), SHORT);
}
static inline HRESULT IntAdd(INT Augend, INT Addend, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), INT);
}
static inline HRESULT IntSub(INT Minuend, INT Subtrahend, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), INT);
}
static inline HRESULT IntMult(INT Multiplicand, INT Multiplier, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), INT);
}
static inline HRESULT LongAdd(LONG Augend, LONG Addend, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), LONG);
}
static inline HRESULT LongSub(LONG Minuend, LONG Subtrahend, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), LONG);
}
static inline HRESULT LongMult(LONG Multiplicand, LONG Multiplier, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), LONG);
}
static inline HRESULT LongLongAdd(LONGLONG Augend, LONGLONG Addend, LONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), LONGLONG);
}
static inline HRESULT LongLongSub(LONGLONG Minuend, LONGLONG Subtrahend, LONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), LONGLONG);
}
static inline HRESULT LongLongMult(LONGLONG Multiplicand, LONGLONG Multiplier, LONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), LONGLONG);
}
static inline HRESULT Long64Add(LONG64 Augend, LONG64 Addend, LONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), LONG64);
}
static inline HRESULT Long64Sub(LONG64 Minuend, LONG64 Subtrahend, LONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), LONG64);
}
static inline HRESULT Long64Mult(LONG64 Multiplicand, LONG64 Multiplier, LONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), LONG64);
}
static inline HRESULT Int64Add(INT64 Augend, INT64 Addend, INT64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), INT64);
}
static inline HRESULT Int64Sub(INT64 Minuend, INT64 Subtrahend, INT64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), INT64);
}
static inline HRESULT Int64Mult(INT64 Multiplicand, INT64 Multiplier, INT64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), INT64);
}
static inline HRESULT LongPtrAdd(LONG_PTR Augend, LONG_PTR Addend, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), LONG_PTR);
}
static inline HRESULT LongPtrSub(LONG_PTR Minuend, LONG_PTR Subtrahend, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), LONG_PTR);
}
static inline HRESULT LongPtrMult(LONG_PTR Multiplicand, LONG_PTR Multiplier, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), LONG_PTR);
}
static inline HRESULT IntPtrAdd(INT_PTR Augend, INT_PTR Addend, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), INT_PTR);
}
static inline HRESULT IntPtrSub(INT_PTR Minuend, INT_PTR Subtrahend, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), INT_PTR);
}
static inline HRESULT IntPtrMult(INT_PTR Multiplicand, INT_PTR Multiplier, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), INT_PTR);
}
static inline HRESULT SSIZETAdd(SSIZE_T Augend, SSIZE_T Addend, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), SSIZE_T);
}
static inline HRESULT SSIZETSub(SSIZE_T Minuend, SSIZE_T Subtrahend, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), SSIZE_T);
}
static inline HRESULT SSIZETMult(SSIZE_T Multiplicand, SSIZE_T Multiplier, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), SSIZE_T);
}
static inline HRESULT PtrdiffTAdd(ptrdiff_t Augend, ptrdiff_t Addend, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Augend, Addend, pResult), ptrdiff_t);
}
static inline HRESULT PtrdiffTSub(ptrdiff_t Minuend, ptrdiff_t Subtrahend, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_sub_overflow(Minuend, Subtrahend, pResult), ptrdiff_t);
}
static inline HRESULT PtrdiffTMult(ptrdiff_t Multiplicand, ptrdiff_t Multiplier, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_mul_overflow(Multiplicand, Multiplier, pResult), ptrdiff_t);
}

/* ----------------------------------------------------------- conversions */

/* Every pair that can fail on 32-bit or 64-bit Windows (on 64-bit Linux some
 * always succeed, e.g. ULongLongToULongPtr). */
static inline HRESULT UInt8ToInt8(UINT8 Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT UCharToInt8(UCHAR Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT ByteToInt8(BYTE Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT UShortToUInt8(USHORT Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT UShortToUChar(USHORT Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT UShortToByte(USHORT Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT UShortToInt8(USHORT Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT UShortToShort(USHORT Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT WordToUInt8(WORD Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT WordToUChar(WORD Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT WordToByte(WORD Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT WordToInt8(WORD Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT WordToShort(WORD Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT UIntToUInt8(UINT Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT UIntToUChar(UINT Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT UIntToByte(UINT Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT UIntToUShort(UINT Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT UIntToWord(UINT Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT UIntToInt8(UINT Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT UIntToShort(UINT Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT UIntToInt(UINT Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT UIntToLong(UINT Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT UIntToLongPtr(UINT Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT UIntToIntPtr(UINT Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT UIntToSSIZET(UINT Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT UIntToPtrdiffT(UINT Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT ULongToUInt8(ULONG Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT ULongToUChar(ULONG Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT ULongToByte(ULONG Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT ULongToUShort(ULONG Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT ULongToWord(ULONG Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT ULongToInt8(ULONG Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT ULongToShort(ULONG Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT ULongToInt(ULONG Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT ULongToLong(ULONG Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT ULongToLongPtr(ULONG Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT ULongToIntPtr(ULONG Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT ULongToSSIZET(ULONG Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT ULongToPtrdiffT(ULONG Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT DWordToUInt8(DWORD Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT DWordToUChar(DWORD Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT DWordToByte(DWORD Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT DWordToUShort(DWORD Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT DWordToWord(DWORD Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT DWordToInt8(DWORD Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT DWordToShort(DWORD Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT DWordToInt(DWORD Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT DWordToLong(DWORD Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT DWordToLongPtr(DWORD Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT DWordToIntPtr(DWORD Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT DWordToSSIZET(DWORD Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT DWordToPtrdiffT(DWORD Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT ULongLongToUInt8(ULONGLONG Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT ULongLongToUChar(ULONGLONG Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT ULongLongToByte(ULONGLONG Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT ULongLongToUShort(ULONGLONG Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT ULongLongToWord(ULONGLONG Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT ULongLongToUInt(ULONGLONG Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT ULongLongToULong(ULONGLONG Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT ULongLongToDWord(ULONGLONG Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT ULongLongToSizeT(ULONGLONG Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT ULongLongToSIZET(ULONGLONG Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT ULongLongToULongPtr(ULONGLONG Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT ULongLongToDWordPtr(ULONGLONG Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT ULongLongToUIntPtr(ULONGLONG Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT ULongLongToInt8(ULONGLONG Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT ULongLongToShort(ULONGLONG Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT ULongLongToInt(ULONGLONG Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT ULongLongToLong(ULONGLONG Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT ULongLongToLongLong(ULONGLONG Operand, LONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline HRESULT ULongLongToLong64(ULONGLONG Operand, LONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline HRESULT ULongLongToInt64(ULONGLONG Operand, INT64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline HRESULT ULongLongToLongPtr(ULONGLONG Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT ULongLongToIntPtr(ULONGLONG Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT ULongLongToSSIZET(ULONGLONG Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT ULongLongToPtrdiffT(ULONGLONG Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT DWord64ToUInt8(DWORD64 Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT DWord64ToUChar(DWORD64 Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT DWord64ToByte(DWORD64 Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT DWord64ToUShort(DWORD64 Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT DWord64ToWord(DWORD64 Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT DWord64ToUInt(DWORD64 Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT DWord64ToULong(DWORD64 Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT DWord64ToDWord(DWORD64 Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT DWord64ToSizeT(DWORD64 Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT DWord64ToSIZET(DWORD64 Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT DWord64ToULongPtr(DWORD64 Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT DWord64ToDWordPtr(DWORD64 Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT DWord64ToUIntPtr(DWORD64 Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT DWord64ToInt8(DWORD64 Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT DWord64ToShort(DWORD64 Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT DWord64ToInt(DWORD64 Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT DWord64ToLong(DWORD64 Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT DWord64ToLongLong(DWORD64 Operand, LONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline HRESULT DWord64ToLong64(DWORD64 Operand, LONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline HRESULT DWord64ToInt64(DWORD64 Operand, INT64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline HRESULT DWord64ToLongPtr(DWORD64 Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT DWord64ToIntPtr(DWORD64 Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT DWord64ToSSIZET(DWORD64 Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT DWord64ToPtrdiffT(DWORD64 Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT ULong64ToUInt8(ULONG64 Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT ULong64ToUChar(ULONG64 Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT ULong64ToByte(ULONG64 Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT ULong64ToUShort(ULONG64 Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT ULong64ToWord(ULONG64 Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT ULong64ToUInt(ULONG64 Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT ULong64ToULong(ULONG64 Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT ULong64ToDWord(ULONG64 Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT ULong64ToSizeT(ULONG64 Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT ULong64ToSIZET(ULONG64 Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT ULong64ToULongPtr(ULONG64 Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT ULong64ToDWordPtr(ULONG64 Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT ULong64ToUIntPtr(ULONG64 Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT ULong64ToInt8(ULONG64 Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT ULong64ToShort(ULONG64 Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT ULong64ToInt(ULONG64 Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT ULong64ToLong(ULONG64 Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT ULong64ToLongLong(ULONG64 Operand, LONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline HRESULT ULong64ToLong64(ULONG64 Operand, LONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline HRESULT ULong64ToInt64(ULONG64 Operand, INT64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline HRESULT ULong64ToLongPtr(ULONG64 Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT ULong64ToIntPtr(ULONG64 Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT ULong64ToSSIZET(ULONG64 Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT ULong64ToPtrdiffT(ULONG64 Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT SizeTToUInt8(size_t Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT SizeTToUChar(size_t Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT SizeTToByte(size_t Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT SizeTToUShort(size_t Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT SizeTToWord(size_t Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT SizeTToUInt(size_t Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT SizeTToULong(size_t Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT SizeTToDWord(size_t Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT SizeTToInt8(size_t Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT SizeTToShort(size_t Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT SizeTToInt(size_t Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT SizeTToLong(size_t Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT SizeTToLongLong(size_t Operand, LONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline HRESULT SizeTToLong64(size_t Operand, LONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline HRESULT SizeTToInt64(size_t Operand, INT64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline HRESULT SizeTToLongPtr(size_t Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT SizeTToIntPtr(size_t Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT SizeTToSSIZET(size_t Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT SizeTToPtrdiffT(size_t Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT SIZETToUInt8(SIZE_T Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT SIZETToUChar(SIZE_T Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT SIZETToByte(SIZE_T Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT SIZETToUShort(SIZE_T Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT SIZETToWord(SIZE_T Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT SIZETToUInt(SIZE_T Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT SIZETToULong(SIZE_T Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT SIZETToDWord(SIZE_T Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT SIZETToInt8(SIZE_T Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT SIZETToShort(SIZE_T Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT SIZETToInt(SIZE_T Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT SIZETToLong(SIZE_T Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT SIZETToLongLong(SIZE_T Operand, LONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline HRESULT SIZETToLong64(SIZE_T Operand, LONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline HRESULT SIZETToInt64(SIZE_T Operand, INT64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline HRESULT SIZETToLongPtr(SIZE_T Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT SIZETToIntPtr(SIZE_T Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT SIZETToSSIZET(SIZE_T Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT SIZETToPtrdiffT(SIZE_T Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT ULongPtrToUInt8(ULONG_PTR Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT ULongPtrToUChar(ULONG_PTR Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT ULongPtrToByte(ULONG_PTR Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT ULongPtrToUShort(ULONG_PTR Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT ULongPtrToWord(ULONG_PTR Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT ULongPtrToUInt(ULONG_PTR Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT ULongPtrToULong(ULONG_PTR Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT ULongPtrToDWord(ULONG_PTR Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT ULongPtrToInt8(ULONG_PTR Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT ULongPtrToShort(ULONG_PTR Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT ULongPtrToInt(ULONG_PTR Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT ULongPtrToLong(ULONG_PTR Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT ULongPtrToLongLong(ULONG_PTR Operand, LONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline HRESULT ULongPtrToLong64(ULONG_PTR Operand, LONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline HRESULT ULongPtrToInt64(ULONG_PTR Operand, INT64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline HRESULT ULongPtrToLongPtr(ULONG_PTR Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT ULongPtrToIntPtr(ULONG_PTR Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT ULongPtrToSSIZET(ULONG_PTR Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT ULongPtrToPtrdiffT(ULONG_PTR Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT DWordPtrToUInt8(DWORD_PTR Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT DWordPtrToUChar(DWORD_PTR Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT DWordPtrToByte(DWORD_PTR Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT DWordPtrToUShort(DWORD_PTR Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT DWordPtrToWord(DWORD_PTR Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT DWordPtrToUInt(DWORD_PTR Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT DWordPtrToULong(DWORD_PTR Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT DWordPtrToDWord(DWORD_PTR Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT DWordPtrToInt8(DWORD_PTR Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT DWordPtrToShort(DWORD_PTR Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT DWordPtrToInt(DWORD_PTR Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT DWordPtrToLong(DWORD_PTR Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT DWordPtrToLongLong(DWORD_PTR Operand, LONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline HRESULT DWordPtrToLong64(DWORD_PTR Operand, LONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline HRESULT DWordPtrToInt64(DWORD_PTR Operand, INT64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline HRESULT DWordPtrToLongPtr(DWORD_PTR Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT DWordPtrToIntPtr(DWORD_PTR Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT DWordPtrToSSIZET(DWORD_PTR Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT DWordPtrToPtrdiffT(DWORD_PTR Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT UIntPtrToUInt8(UINT_PTR Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT UIntPtrToUChar(UINT_PTR Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT UIntPtrToByte(UINT_PTR Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT UIntPtrToUShort(UINT_PTR Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT UIntPtrToWord(UINT_PTR Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT UIntPtrToUInt(UINT_PTR Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT UIntPtrToULong(UINT_PTR Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT UIntPtrToDWord(UINT_PTR Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT UIntPtrToInt8(UINT_PTR Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT UIntPtrToShort(UINT_PTR Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT UIntPtrToInt(UINT_PTR Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT UIntPtrToLong(UINT_PTR Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT UIntPtrToLongLong(UINT_PTR Operand, LONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONGLONG);
}
static inline HRESULT UIntPtrToLong64(UINT_PTR Operand, LONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG64);
}
static inline HRESULT UIntPtrToInt64(UINT_PTR Operand, INT64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT64);
}
static inline HRESULT UIntPtrToLongPtr(UINT_PTR Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT UIntPtrToIntPtr(UINT_PTR Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT UIntPtrToSSIZET(UINT_PTR Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT UIntPtrToPtrdiffT(UINT_PTR Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT Int8ToUInt8(INT8 Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT Int8ToUChar(INT8 Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT Int8ToByte(INT8 Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT Int8ToUShort(INT8 Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT Int8ToWord(INT8 Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT Int8ToUInt(INT8 Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT Int8ToULong(INT8 Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT Int8ToDWord(INT8 Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT Int8ToULongLong(INT8 Operand, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline HRESULT Int8ToDWord64(INT8 Operand, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline HRESULT Int8ToULong64(INT8 Operand, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline HRESULT Int8ToSizeT(INT8 Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT Int8ToSIZET(INT8 Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT Int8ToULongPtr(INT8 Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT Int8ToDWordPtr(INT8 Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT Int8ToUIntPtr(INT8 Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT ShortToUInt8(SHORT Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT ShortToUChar(SHORT Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT ShortToByte(SHORT Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT ShortToUShort(SHORT Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT ShortToWord(SHORT Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT ShortToUInt(SHORT Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT ShortToULong(SHORT Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT ShortToDWord(SHORT Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT ShortToULongLong(SHORT Operand, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline HRESULT ShortToDWord64(SHORT Operand, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline HRESULT ShortToULong64(SHORT Operand, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline HRESULT ShortToSizeT(SHORT Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT ShortToSIZET(SHORT Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT ShortToULongPtr(SHORT Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT ShortToDWordPtr(SHORT Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT ShortToUIntPtr(SHORT Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT ShortToInt8(SHORT Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT IntToUInt8(INT Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT IntToUChar(INT Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT IntToByte(INT Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT IntToUShort(INT Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT IntToWord(INT Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT IntToUInt(INT Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT IntToULong(INT Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT IntToDWord(INT Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT IntToULongLong(INT Operand, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline HRESULT IntToDWord64(INT Operand, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline HRESULT IntToULong64(INT Operand, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline HRESULT IntToSizeT(INT Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT IntToSIZET(INT Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT IntToULongPtr(INT Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT IntToDWordPtr(INT Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT IntToUIntPtr(INT Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT IntToInt8(INT Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT IntToShort(INT Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT LongToUInt8(LONG Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT LongToUChar(LONG Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT LongToByte(LONG Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT LongToUShort(LONG Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT LongToWord(LONG Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT LongToUInt(LONG Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT LongToULong(LONG Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT LongToDWord(LONG Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT LongToULongLong(LONG Operand, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline HRESULT LongToDWord64(LONG Operand, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline HRESULT LongToULong64(LONG Operand, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline HRESULT LongToSizeT(LONG Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT LongToSIZET(LONG Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT LongToULongPtr(LONG Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT LongToDWordPtr(LONG Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT LongToUIntPtr(LONG Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT LongToInt8(LONG Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT LongToShort(LONG Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT LongLongToUInt8(LONGLONG Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT LongLongToUChar(LONGLONG Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT LongLongToByte(LONGLONG Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT LongLongToUShort(LONGLONG Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT LongLongToWord(LONGLONG Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT LongLongToUInt(LONGLONG Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT LongLongToULong(LONGLONG Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT LongLongToDWord(LONGLONG Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT LongLongToULongLong(LONGLONG Operand, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline HRESULT LongLongToDWord64(LONGLONG Operand, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline HRESULT LongLongToULong64(LONGLONG Operand, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline HRESULT LongLongToSizeT(LONGLONG Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT LongLongToSIZET(LONGLONG Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT LongLongToULongPtr(LONGLONG Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT LongLongToDWordPtr(LONGLONG Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT LongLongToUIntPtr(LONGLONG Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT LongLongToInt8(LONGLONG Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT LongLongToShort(LONGLONG Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT LongLongToInt(LONGLONG Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT LongLongToLong(LONGLONG Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT LongLongToLongPtr(LONGLONG Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT LongLongToIntPtr(LONGLONG Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT LongLongToSSIZET(LONGLONG Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT LongLongToPtrdiffT(LONGLONG Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT Long64ToUInt8(LONG64 Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT Long64ToUChar(LONG64 Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT Long64ToByte(LONG64 Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT Long64ToUShort(LONG64 Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT Long64ToWord(LONG64 Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT Long64ToUInt(LONG64 Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT Long64ToULong(LONG64 Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT Long64ToDWord(LONG64 Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT Long64ToULongLong(LONG64 Operand, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline HRESULT Long64ToDWord64(LONG64 Operand, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline HRESULT Long64ToULong64(LONG64 Operand, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline HRESULT Long64ToSizeT(LONG64 Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT Long64ToSIZET(LONG64 Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT Long64ToULongPtr(LONG64 Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT Long64ToDWordPtr(LONG64 Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT Long64ToUIntPtr(LONG64 Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT Long64ToInt8(LONG64 Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT Long64ToShort(LONG64 Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT Long64ToInt(LONG64 Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT Long64ToLong(LONG64 Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT Long64ToLongPtr(LONG64 Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT Long64ToIntPtr(LONG64 Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT Long64ToSSIZET(LONG64 Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT Long64ToPtrdiffT(LONG64 Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT Int64ToUInt8(INT64 Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT Int64ToUChar(INT64 Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT Int64ToByte(INT64 Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT Int64ToUShort(INT64 Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT Int64ToWord(INT64 Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT Int64ToUInt(INT64 Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT Int64ToULong(INT64 Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT Int64ToDWord(INT64 Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT Int64ToULongLong(INT64 Operand, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline HRESULT Int64ToDWord64(INT64 Operand, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline HRESULT Int64ToULong64(INT64 Operand, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline HRESULT Int64ToSizeT(INT64 Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT Int64ToSIZET(INT64 Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT Int64ToULongPtr(INT64 Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT Int64ToDWordPtr(INT64 Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT Int64ToUIntPtr(INT64 Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT Int64ToInt8(INT64 Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT Int64ToShort(INT64 Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT Int64ToInt(INT64 Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT Int64ToLong(INT64 Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT Int64ToLongPtr(INT64 Operand, LONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG_PTR);
}
static inline HRESULT Int64ToIntPtr(INT64 Operand, INT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT_PTR);
}
static inline HRESULT Int64ToSSIZET(INT64 Operand, SSIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SSIZE_T);
}
static inline HRESULT Int64ToPtrdiffT(INT64 Operand, ptrdiff_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ptrdiff_t);
}
static inline HRESULT LongPtrToUInt8(LONG_PTR Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT LongPtrToUChar(LONG_PTR Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT LongPtrToByte(LONG_PTR Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT LongPtrToUShort(LONG_PTR Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT LongPtrToWord(LONG_PTR Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT LongPtrToUInt(LONG_PTR Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT LongPtrToULong(LONG_PTR Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT LongPtrToDWord(LONG_PTR Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT LongPtrToULongLong(LONG_PTR Operand, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline HRESULT LongPtrToDWord64(LONG_PTR Operand, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline HRESULT LongPtrToULong64(LONG_PTR Operand, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline HRESULT LongPtrToSizeT(LONG_PTR Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT LongPtrToSIZET(LONG_PTR Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT LongPtrToULongPtr(LONG_PTR Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT LongPtrToDWordPtr(LONG_PTR Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT LongPtrToUIntPtr(LONG_PTR Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT LongPtrToInt8(LONG_PTR Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT LongPtrToShort(LONG_PTR Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT LongPtrToInt(LONG_PTR Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT LongPtrToLong(LONG_PTR Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT IntPtrToUInt8(INT_PTR Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT IntPtrToUChar(INT_PTR Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT IntPtrToByte(INT_PTR Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT IntPtrToUShort(INT_PTR Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT IntPtrToWord(INT_PTR Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT IntPtrToUInt(INT_PTR Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT IntPtrToULong(INT_PTR Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT IntPtrToDWord(INT_PTR Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT IntPtrToULongLong(INT_PTR Operand, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline HRESULT IntPtrToDWord64(INT_PTR Operand, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline HRESULT IntPtrToULong64(INT_PTR Operand, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline HRESULT IntPtrToSizeT(INT_PTR Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT IntPtrToSIZET(INT_PTR Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT IntPtrToULongPtr(INT_PTR Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT IntPtrToDWordPtr(INT_PTR Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT IntPtrToUIntPtr(INT_PTR Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT IntPtrToInt8(INT_PTR Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT IntPtrToShort(INT_PTR Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT IntPtrToInt(INT_PTR Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT IntPtrToLong(INT_PTR Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT SSIZETToUInt8(SSIZE_T Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT SSIZETToUChar(SSIZE_T Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT SSIZETToByte(SSIZE_T Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT SSIZETToUShort(SSIZE_T Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT SSIZETToWord(SSIZE_T Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT SSIZETToUInt(SSIZE_T Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT SSIZETToULong(SSIZE_T Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT SSIZETToDWord(SSIZE_T Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT SSIZETToULongLong(SSIZE_T Operand, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline HRESULT SSIZETToDWord64(SSIZE_T Operand, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline HRESULT SSIZETToULong64(SSIZE_T Operand, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline HRESULT SSIZETToSizeT(SSIZE_T Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT SSIZETToSIZET(SSIZE_T Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT SSIZETToULongPtr(SSIZE_T Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT SSIZETToDWordPtr(SSIZE_T Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT SSIZETToUIntPtr(SSIZE_T Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT SSIZETToInt8(SSIZE_T Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT SSIZETToShort(SSIZE_T Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT SSIZETToInt(SSIZE_T Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT SSIZETToLong(SSIZE_T Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}
static inline HRESULT PtrdiffTToUInt8(ptrdiff_t Operand, UINT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT8);
}
static inline HRESULT PtrdiffTToUChar(ptrdiff_t Operand, UCHAR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UCHAR);
}
static inline HRESULT PtrdiffTToByte(ptrdiff_t Operand, BYTE *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), BYTE);
}
static inline HRESULT PtrdiffTToUShort(ptrdiff_t Operand, USHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), USHORT);
}
static inline HRESULT PtrdiffTToWord(ptrdiff_t Operand, WORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), WORD);
}
static inline HRESULT PtrdiffTToUInt(ptrdiff_t Operand, UINT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT);
}
static inline HRESULT PtrdiffTToULong(ptrdiff_t Operand, ULONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG);
}
static inline HRESULT PtrdiffTToDWord(ptrdiff_t Operand, DWORD *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD);
}
static inline HRESULT PtrdiffTToULongLong(ptrdiff_t Operand, ULONGLONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONGLONG);
}
static inline HRESULT PtrdiffTToDWord64(ptrdiff_t Operand, DWORD64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD64);
}
static inline HRESULT PtrdiffTToULong64(ptrdiff_t Operand, ULONG64 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG64);
}
static inline HRESULT PtrdiffTToSizeT(ptrdiff_t Operand, size_t *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), size_t);
}
static inline HRESULT PtrdiffTToSIZET(ptrdiff_t Operand, SIZE_T *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SIZE_T);
}
static inline HRESULT PtrdiffTToULongPtr(ptrdiff_t Operand, ULONG_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), ULONG_PTR);
}
static inline HRESULT PtrdiffTToDWordPtr(ptrdiff_t Operand, DWORD_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), DWORD_PTR);
}
static inline HRESULT PtrdiffTToUIntPtr(ptrdiff_t Operand, UINT_PTR *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), UINT_PTR);
}
static inline HRESULT PtrdiffTToInt8(ptrdiff_t Operand, INT8 *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT8);
}
static inline HRESULT PtrdiffTToShort(ptrdiff_t Operand, SHORT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), SHORT);
}
static inline HRESULT PtrdiffTToInt(ptrdiff_t Operand, INT *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), INT);
}
static inline HRESULT PtrdiffTToLong(ptrdiff_t Operand, LONG *pResult)
{
	return OWFP_INTSAFE_RET(__builtin_add_overflow(Operand, 0, pResult), LONG);
}

OWFP_EXTERN_C_END

#endif /* OPENWFP_INTSAFE_H */
