/*
 * Containment of driver failures: NT_ASSERT, NT_VERIFY, ASSERT and
 * KeBugCheck(Ex) in plugin code (and the runtime's own bug checks on a
 * driver's behalf, such as freeing what is not a pool block).
 *
 * Every place the runtime calls into driver code (DriverEntry,
 * DriverUnload, classifyFn, notifyFn, flowDeleteFn, injection completions,
 * work items, DPCs, system threads) goes through owfp_contain_run or
 * owfp_contain_call. They set a per-thread jump point (sigsetjmp without
 * the signal mask: no system call, no allocation), so a failure inside the
 * driver code returns straight to the call site with -EFAULT. Calls nest:
 * the innermost one catches, so a jump never crosses runtime code between
 * two driver calls.
 *
 * A failure is reported once, as one line on stderr naming the driver,
 * the file, line and expression (or the bug-check code and parameters),
 * what was running and what follows; then counted. After 20 reports
 * further failures are only counted. With strict mode on (--strict-asserts)
 * the report is followed by abort(), as a Windows machine would stop. A
 * failure with no contained call on the thread (driver code on a thread
 * the runtime does not know) cannot be contained: reported, then abort().
 */
#ifndef OWFP_WDM_CONTAIN_H
#define OWFP_WDM_CONTAIN_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "openwfp/wdm.h"

/* Runs fn(arg) so that a failed assertion or bug check inside driver code
 * returns here instead of killing the process (unless strict). Returns 0,
 * or -EFAULT when the driver code failed (already reported and counted). */
int owfp_contain_run(PDRIVER_OBJECT driver, void (*fn)(void *arg), void *arg);

/* What a contained call is, for the report. */
typedef struct owfp_contain_site {
	const char *what; /* "classifyFn", "work item routine", ... */
	/* Optional: more context and the consequence (e.g. "callout 'x',
	 * flow 12: the flow is dropped"), written only when a failure is
	 * reported, on the failing thread, with the call's arg. */
	void (*describe)(void *arg, char *buf, size_t len);
} owfp_contain_site;

/* owfp_contain_run with a site. `code` (may be NULL) names the driver by
 * the shared object holding that address when `driver` is NULL. */
int owfp_contain_call(PDRIVER_OBJECT driver, const void *code, const owfp_contain_site *site,
		      void (*fn)(void *arg), void *arg);

/*
 * The same, open-coded for the classify path (no trampoline, no argument
 * struct): the caller owns a frame, and
 *
 *	owfp_contain_frame fr;
 *	owfp_contain_frame_init(&fr, driver, code, site, arg);
 *	if (sigsetjmp(fr.jb, 0) == 0) {
 *		owfp_contain_push(&fr);
 *		... driver call ...
 *		owfp_contain_pop(&fr);
 *	} else {
 *		... the driver failed (reported and counted; already popped) ...
 *	}
 *
 * sigsetjmp must be called in the function that makes the driver call, and
 * nothing the failure branch reads may be modified after it.
 */
typedef struct owfp_contain_frame {
	sigjmp_buf jb;
	struct owfp_contain_frame *prev;
	PDRIVER_OBJECT driver;
	const void *code;
	const owfp_contain_site *site;
	void *arg;
} owfp_contain_frame;

/* This thread's innermost frame; only the functions here touch it. */
extern _Thread_local owfp_contain_frame *owfp_contain_top __attribute__((tls_model("initial-exec")));

static inline void owfp_contain_frame_init(owfp_contain_frame *f, PDRIVER_OBJECT driver,
					   const void *code, const owfp_contain_site *site, void *arg)
{
	f->driver = driver;
	f->code = code;
	f->site = site;
	f->arg = arg;
}

static inline void owfp_contain_push(owfp_contain_frame *f)
{
	f->prev = owfp_contain_top;
	owfp_contain_top = f;
}

static inline void owfp_contain_pop(owfp_contain_frame *f)
{
	owfp_contain_top = f->prev;
}

/* --strict-asserts: abort() after the report, as Windows would bug-check. */
void owfp_contain_set_strict(bool strict);
bool owfp_contain_strict(void);
/* How many failures were contained (or reported before a strict abort). */
uint64_t owfp_contain_failures(void);

/* The driver of the innermost contained call on this thread, or NULL:
 * lets the runtime charge a timer or DPC set up by driver code to it. */
PDRIVER_OBJECT owfp_contain_current_driver(void);
/* This thread's last failure report ("" if none): for errors that name it,
 * such as a DriverEntry that failed an assertion. */
const char *owfp_contain_last_report(void);

/* The name a report gives a driver: DriverName without "\Driver\", else
 * the plugin file's name without ".so", else "built-in". */
void owfp_contain_driver_name(PDRIVER_OBJECT driver, char *buf, size_t len);

#endif /* OWFP_WDM_CONTAIN_H */
