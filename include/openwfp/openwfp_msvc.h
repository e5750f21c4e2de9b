/*
 * MSVC dialect a macro can carry, for driver sources built by openwfp-cc
 * (which includes this file before each source: -include openwfp_msvc.h,
 * also in `openwfp-cc --print-cflags` and openwfp.pc). What a macro cannot
 * carry (the address of a cast, __inline's linkage in C, __declspec with a
 * string) is rewritten by openwfp-cc's source pass instead (src/cc/dialect.c).
 * Every construct and its treatment: docs/porting.md, "## MSVC dialect".
 * Each definition gives way to one made earlier.
 */
#ifndef OPENWFP_OPENWFP_MSVC_H
#define OPENWFP_OPENWFP_MSVC_H

/* Sized integer keywords. */
#ifndef __int8
#define __int8 char
#endif
#ifndef __int16
#define __int16 short
#endif
#ifndef __int32
#define __int32 int
#endif
#ifndef __int64
#define __int64 long long
#endif

/* Pointer and calling-convention qualifiers mean nothing on x86-64 Linux. */
#ifndef __ptr32
#define __ptr32
#endif
#ifndef __ptr64
#define __ptr64
#endif
#ifndef __unaligned
#define __unaligned
#endif
#ifndef __w64
#define __w64
#endif
#ifndef __cdecl
#define __cdecl
#endif
#ifndef __stdcall
#define __stdcall
#endif
#ifndef __fastcall
#define __fastcall
#endif
#ifndef __clrcall
#define __clrcall
#endif
#ifndef __vectorcall
#define __vectorcall
#endif
#ifndef _cdecl
#define _cdecl
#endif

/* __pragma(x) is _Pragma("x"): #pragma pack is honoured, MSVC's own
 * pragmas (warning, prefast, alloc_text, ...) are ignored by the compiler. */
#ifndef __pragma
#define __pragma(x) _Pragma(#x)
#endif

/* Analysis hints. __assume is not exploited (a wrong hint must not turn
 * into undefined behaviour here). */
#ifndef __assume
#define __assume(e) ((void)0)
#endif
#ifndef __analysis_assume
#define __analysis_assume(e) ((void)0)
#endif
#ifndef __FUNCDNAME__
#define __FUNCDNAME__ __func__
#endif
#ifndef __FUNCSIG__
#define __FUNCSIG__ __func__
#endif

#ifdef __cplusplus
/* C++ inline already has MSVC's one-copy-per-program linkage. */
#ifndef __forceinline
#define __forceinline inline __attribute__((__always_inline__))
#endif
#else
/* In C, openwfp-cc rewrites non-static __inline / __forceinline to weak
 * definitions; this covers files it does not rewrite (system headers,
 * builds that use --print-cflags). */
#ifndef __forceinline
#define __forceinline __inline__ __attribute__((__always_inline__))
#endif
#endif

/*
 * __declspec(x) for files openwfp-cc does not rewrite: identifier forms
 * only (a string argument, used by SAL, needs the source pass).
 */
#ifndef __declspec
#define __declspec(x) OWFP_DECLSPEC_##x
#define OWFP_DECLSPEC_selectany __attribute__((__weak__))
#define OWFP_DECLSPEC_noinline __attribute__((__noinline__))
#define OWFP_DECLSPEC_noreturn __attribute__((__noreturn__))
#define OWFP_DECLSPEC_nothrow __attribute__((__nothrow__))
#define OWFP_DECLSPEC_align(n) __attribute__((__aligned__(n)))
#define OWFP_DECLSPEC_deprecated __attribute__((__deprecated__))
#define OWFP_DECLSPEC_dllexport __attribute__((__visibility__("default")))
#define OWFP_DECLSPEC_dllimport
#define OWFP_DECLSPEC_thread __thread
#define OWFP_DECLSPEC_restrict
#define OWFP_DECLSPEC_noalias
#define OWFP_DECLSPEC_novtable
#define OWFP_DECLSPEC_safebuffers
#define OWFP_DECLSPEC_uuid(x)
#define OWFP_DECLSPEC_code_seg(x)
#define OWFP_DECLSPEC_allocate(x)
#endif

#endif /* OPENWFP_OPENWFP_MSVC_H */
