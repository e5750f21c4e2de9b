/*
 * Basic Windows kernel types for callouts compiled on Linux (LP64).
 *
 * Windows is LLP64: LONG/ULONG are 32 bits there, so they are fixed-width
 * 32-bit types here, not C long. Pointers, SIZE_T and HANDLE are 64 bits on
 * both. WCHAR is wchar_t, which is 4 bytes on Linux (2 on Windows): L""
 * literals keep working, but UNICODE_STRING lengths are in bytes of
 * wchar_t. ADDRESS_FAMILY values are the Linux AF_* numbers
 * (AF_INET6 = 10 here, 23 on Windows).
 */
#ifndef OPENWFP_NTDEF_H
#define OPENWFP_NTDEF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>
#include <sys/socket.h>

#include "sal.h"

#ifdef __cplusplus
#define EXTERN_C extern "C"
#define OWFP_EXTERN_C_BEGIN extern "C" {
#define OWFP_EXTERN_C_END }
#else
#define EXTERN_C extern
#define OWFP_EXTERN_C_BEGIN
#define OWFP_EXTERN_C_END
#endif

OWFP_EXTERN_C_BEGIN

/* Calling conventions mean nothing on x86-64 System V. */
#define NTAPI
#define NTSYSAPI
#define NTKERNELAPI
#define NDIS_API
#define WINAPI
#define CALLBACK
#define FASTCALL
#define FORCEINLINE static inline
#ifndef __forceinline
#define __forceinline inline __attribute__((always_inline))
#endif
#define DECLSPEC_NOINLINE __attribute__((noinline))
#define DECLSPEC_ALIGN(n) __attribute__((aligned(n)))
#define DECLSPEC_SELECTANY __attribute__((weak))
#define DECLSPEC_CACHEALIGN __attribute__((aligned(64)))
#define FAR
#define NEAR
#define CONST const
#define VOID void

typedef uint8_t UINT8, *PUINT8;
typedef uint16_t UINT16, *PUINT16;
typedef uint32_t UINT32, *PUINT32;
typedef uint64_t UINT64, *PUINT64;
typedef int8_t INT8, *PINT8;
typedef int16_t INT16, *PINT16;
typedef int32_t INT32, *PINT32;
typedef int64_t INT64, *PINT64;

typedef char CHAR, *PCHAR, *PSTR, *LPSTR;
typedef const char *PCSTR, *LPCSTR, *PCSZ;
typedef unsigned char UCHAR, *PUCHAR;
typedef int16_t SHORT, *PSHORT, CSHORT;
typedef uint16_t USHORT, *PUSHORT;
typedef int32_t INT, *PINT;
typedef uint32_t UINT, *PUINT;
typedef int32_t LONG, *PLONG;
typedef uint32_t ULONG, *PULONG;
typedef int64_t LONGLONG, *PLONGLONG, LONG64, *PLONG64;
typedef uint64_t ULONGLONG, *PULONGLONG, ULONG64, *PULONG64, DWORD64, *PDWORD64;
typedef uint32_t DWORD, *PDWORD, *LPDWORD;
typedef uint16_t WORD, *PWORD;
typedef uint8_t BYTE, *PBYTE;
typedef int32_t BOOL, *PBOOL;
typedef intptr_t LONG_PTR, *PLONG_PTR, INT_PTR;
typedef uintptr_t ULONG_PTR, *PULONG_PTR, UINT_PTR, DWORD_PTR;
typedef size_t SIZE_T, *PSIZE_T;
typedef intptr_t SSIZE_T, *PSSIZE_T;
typedef void *PVOID, *LPVOID;
typedef const void *PCVOID, *LPCVOID;
typedef void *HANDLE, **PHANDLE;
typedef wchar_t WCHAR, *PWCHAR, *PWCH, *PWSTR, *LPWSTR;
typedef const wchar_t *PCWCH, *PCWSTR, *LPCWSTR;

typedef UCHAR BOOLEAN, *PBOOLEAN;
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

typedef LONG NTSTATUS, *PNTSTATUS;
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status) ((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status) ((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status) ((((ULONG)(Status)) >> 30) == 3)

typedef USHORT ADDRESS_FAMILY;

typedef union _LARGE_INTEGER {
	__extension__ struct {
		ULONG LowPart;
		LONG HighPart;
	};
	__extension__ struct {
		ULONG LowPart;
		LONG HighPart;
	} u;
	LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
	__extension__ struct {
		ULONG LowPart;
		ULONG HighPart;
	};
	__extension__ struct {
		ULONG LowPart;
		ULONG HighPart;
	} u;
	ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

/* Length and MaximumLength are in bytes, as on Windows. */
typedef struct _UNICODE_STRING {
	USHORT Length;
	USHORT MaximumLength;
	PWCH Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _STRING {
	USHORT Length;
	USHORT MaximumLength;
	PCHAR Buffer;
} STRING, ANSI_STRING, *PSTRING, *PANSI_STRING;

#define RTL_CONSTANT_STRING(s)                                               \
	{                                                                    \
		(USHORT)(sizeof(s) - sizeof((s)[0])), (USHORT)sizeof(s), (s) \
	}

/* A named UNICODE_STRING over a string literal (file or block scope). */
#define DECLARE_CONST_UNICODE_STRING(_var, _string)                             \
	const WCHAR _var##_buffer[] = _string;                                  \
	const UNICODE_STRING _var = {(USHORT)(sizeof(_string) - sizeof(WCHAR)), \
				     (USHORT)sizeof(_string), (PWCH)_var##_buffer}
/* Defined in every object that uses it, merged at link time (selectany). */
#define DECLARE_GLOBAL_CONST_UNICODE_STRING(_var, _str)                                            \
	extern const UNICODE_STRING _var;                                                          \
	__attribute__((weak)) const UNICODE_STRING _var = {(USHORT)(sizeof(_str) - sizeof(WCHAR)), \
							   (USHORT)sizeof(_str), (PWCH)(_str)}
/* An empty UNICODE_STRING with room for _size characters. */
#define DECLARE_UNICODE_STRING_SIZE(_var, _size) \
	WCHAR _var##_buffer[_size];              \
	UNICODE_STRING _var = {0, (USHORT)((_size) * sizeof(WCHAR)), _var##_buffer}
#define RTL_CONSTANT_OBJECT_ATTRIBUTES(n, a)                                                         \
	{                                                                                            \
		sizeof(OBJECT_ATTRIBUTES), NULL, RTL_CONST_CAST(PUNICODE_STRING)(n), (a), NULL, NULL \
	}
#define RTL_CONST_CAST(type) (type)

typedef struct _LIST_ENTRY {
	struct _LIST_ENTRY *Flink;
	struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
	struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define RTL_FIELD_SIZE(type, field) (sizeof(((type *)0)->field))
#define RTL_NUMBER_OF(a) (sizeof(a) / sizeof((a)[0]))
#define ARRAYSIZE(a) RTL_NUMBER_OF(a)
#define CONTAINING_RECORD(address, type, field) ((type *)((PCHAR)(address)-offsetof(type, field)))

#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))

#ifdef __cplusplus
#define C_ASSERT(e) static_assert(e, #e)
#else
#define C_ASSERT(e) _Static_assert(e, #e)
#endif

/* As in the Windows headers; C only, so C++ code keeps std::min/std::max. */
#if !defined(__cplusplus) && !defined(NOMINMAX)
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#endif

#define MAXUSHORT 0xffff
#define MAXULONG 0xffffffffu
#define MAXUINT32 ((UINT32) ~((UINT32)0))
#define MAXUINT64 ((UINT64) ~((UINT64)0))

OWFP_EXTERN_C_END

#include "guiddef.h"
#include "ntstatus.h"

#endif /* OPENWFP_NTDEF_H */
