/*
 * Assertions and bug checks in driver code. Included by wdm.h.
 *
 * On Windows a failed NT_ASSERT or a KeBugCheckEx stops the machine. Here
 * the failure is reported once (file, line, expression or bug-check code
 * and parameters, driver name), counted, and contained: the driver call in
 * progress (classifyFn, a work item, DriverEntry, ...) is abandoned at
 * once and the runtime goes on; for a classifyFn the flow in hand is
 * dropped (fail closed). `--strict-asserts` makes it abort() instead, so a
 * debugger stops at the failure. What containment does not undo (locks
 * the driver held, its half-updated state) is described in
 * docs/porting.md, "Assertions and bug checks".
 *
 * As on Windows, ASSERT, NT_ASSERT and NT_ASSERTMSG check only in debug
 * builds: with NDEBUG defined the expression is not evaluated (but still
 * type-checked). NT_VERIFY always evaluates its expression and yields it
 * as a BOOLEAN; only debug builds treat FALSE as a failure. NT_FRE_ASSERT
 * checks in every build.
 */
#ifndef OPENWFP_WDM_ASSERT_H
#define OPENWFP_WDM_ASSERT_H

#include "ntdef.h"

OWFP_EXTERN_C_BEGIN

#define OWFP_NORETURN __attribute__((noreturn))

/* The runtime's end of the assertion macros: reports, counts, and leaves
 * the driver call in progress (or aborts under --strict-asserts). */
OWFP_NORETURN void owfp_wdm_assert_failed(const char *kind, const char *file, int line,
					  const char *expression, const char *message);
OWFP_NORETURN void owfp_wdm_assert_failed_w(const char *kind, const char *file, int line,
					    const char *expression, const WCHAR *message);

/* Bug checks: contained the same way, reported with code and parameters. */
OWFP_NORETURN void KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR BugCheckParameter1,
				ULONG_PTR BugCheckParameter2, ULONG_PTR BugCheckParameter3,
				ULONG_PTR BugCheckParameter4);
OWFP_NORETURN void KeBugCheck(ULONG BugCheckCode);

/* The older assertion entry (what ASSERT calls on Windows). */
OWFP_NORETURN void RtlAssert(PVOID VoidFailedAssertion, PVOID VoidFileName, ULONG LineNumber,
			     PSTR MutableMessage);

/* The expression is stringified here, before its macros expand. */
#define OWFP_ASSERT_FAIL(kind, text, msg) \
	owfp_wdm_assert_failed(kind, __FILE__, __LINE__, text, msg)
#define OWFP_ASSERT_CHECK(kind, e, text, msg) \
	((void)((e) ? 0 : (OWFP_ASSERT_FAIL(kind, text, msg), 0)))
#define OWFP_ASSERT_CHECK_W(kind, e, text, msg) \
	((void)((e) ? 0 : (owfp_wdm_assert_failed_w(kind, __FILE__, __LINE__, text, msg), 0)))
#define OWFP_ASSERT_IGNORE(e) ((void)sizeof((e) ? 1 : 0))
/* A call, so that NT_VERIFY(x); as a statement does not warn. */
static inline BOOLEAN owfp_nt_verified(int v)
{
	return (BOOLEAN)v;
}

#ifdef NDEBUG
#define ASSERT(e) OWFP_ASSERT_IGNORE(e)
#define ASSERTMSG(msg, e) OWFP_ASSERT_IGNORE(e)
#define NT_ASSERT(e) OWFP_ASSERT_IGNORE(e)
#define NT_ASSERTMSG(msg, e) OWFP_ASSERT_IGNORE(e)
#define NT_ASSERTMSGW(msg, e) OWFP_ASSERT_IGNORE(e)
#define NT_VERIFY(e) owfp_nt_verified((e) ? 1 : 0)
#define NT_VERIFYMSG(msg, e) owfp_nt_verified((e) ? 1 : 0)
#define NT_VERIFYMSGW(msg, e) owfp_nt_verified((e) ? 1 : 0)
#else
#define ASSERT(e) OWFP_ASSERT_CHECK("ASSERT", e, #e, NULL)
#define ASSERTMSG(msg, e) OWFP_ASSERT_CHECK("ASSERTMSG", e, #e, msg)
#define NT_ASSERT(e) OWFP_ASSERT_CHECK("NT_ASSERT", e, #e, NULL)
#define NT_ASSERTMSG(msg, e) OWFP_ASSERT_CHECK("NT_ASSERTMSG", e, #e, msg)
#define NT_ASSERTMSGW(msg, e) OWFP_ASSERT_CHECK_W("NT_ASSERTMSGW", e, #e, msg)
#define NT_VERIFY(e) ((e) ? TRUE : (OWFP_ASSERT_FAIL("NT_VERIFY", #e, NULL), FALSE))
#define NT_VERIFYMSG(msg, e) ((e) ? TRUE : (OWFP_ASSERT_FAIL("NT_VERIFYMSG", #e, msg), FALSE))
#define NT_VERIFYMSGW(msg, e) \
	((e) ? TRUE           \
	     : (owfp_wdm_assert_failed_w("NT_VERIFYMSGW", __FILE__, __LINE__, #e, msg), FALSE))
#endif
#define NT_FRE_ASSERT(e) OWFP_ASSERT_CHECK("NT_FRE_ASSERT", e, #e, NULL)
#ifdef NDEBUG
#define NT_ASSERT_ASSUME(e) OWFP_ASSERT_IGNORE(e)
#define NT_ASSERT_NOASSUME(e) OWFP_ASSERT_IGNORE(e)
#define NT_ASSERTMSG_ASSUME(msg, e) OWFP_ASSERT_IGNORE(e)
#else
#define NT_ASSERT_ASSUME(e) OWFP_ASSERT_CHECK("NT_ASSERT", e, #e, NULL)
#define NT_ASSERT_NOASSUME(e) OWFP_ASSERT_CHECK("NT_ASSERT", e, #e, NULL)
#define NT_ASSERTMSG_ASSUME(msg, e) OWFP_ASSERT_CHECK("NT_ASSERTMSG", e, #e, msg)
#endif
#define NT_ANALYSIS_ASSUME(e) ((void)0)
#define DbgRaiseAssertionFailure() \
	owfp_wdm_assert_failed("DbgRaiseAssertionFailure", __FILE__, __LINE__, "", NULL)

/* A few bug-check codes drivers pass to KeBugCheckEx. */
#define IRQL_NOT_LESS_OR_EQUAL 0x0000000A
#define KMODE_EXCEPTION_NOT_HANDLED 0x0000001E
#define PAGE_FAULT_IN_NONPAGED_AREA 0x00000050
#define DRIVER_IRQL_NOT_LESS_OR_EQUAL 0x000000D1
#define DRIVER_VERIFIER_DETECTED_VIOLATION 0x000000C4
#define DRIVER_CORRUPTED_EXPOOL 0x000000C5
#define BAD_POOL_CALLER 0x000000C2
#define MANUALLY_INITIATED_CRASH 0x000000E2
#define KERNEL_SECURITY_CHECK_FAILURE 0x00000139
#define NETIO_INVALID_POOL_CALLER 0x00000117
#define FLTMGR_FILE_SYSTEM 0x000000F5

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDM_ASSERT_H */
