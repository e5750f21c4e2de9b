/*
 * Containment of driver failures (contain.h): the per-thread jump point,
 * and the entry points that end in it — the assertion macros' runtime
 * function, KeBugCheckEx and RtlAssert.
 */
#include "wdm/contain.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wdm/plugin.h"

#define REPORT_LIMIT 20 /* reports printed; later failures are only counted */

typedef owfp_contain_frame frame;

/* Initial-exec: one %fs-relative access instead of a __tls_get_addr call
 * per access on the classify path (libopenwfp is linked at start-up, so
 * its TLS is in the static block). */
_Thread_local owfp_contain_frame *owfp_contain_top __attribute__((tls_model("initial-exec")));
#define top owfp_contain_top

static _Thread_local char last_report[1024];
static atomic_bool strict;
static atomic_uint_least64_t failures;
static atomic_uint_least64_t printed;

int owfp_contain_call(PDRIVER_OBJECT driver, const void *code, const owfp_contain_site *site,
		      void (*fn)(void *arg), void *arg)
{
	frame fr; /* not zeroed: the jump buffer is 200 bytes, filled by sigsetjmp */

	owfp_contain_frame_init(&fr, driver, code, site, arg);
	/* 0: no signal mask saved, so no system call on this path. */
	if (sigsetjmp(fr.jb, 0))
		return -EFAULT; /* fail() popped the frame */
	owfp_contain_push(&fr);
	fn(arg);
	owfp_contain_pop(&fr);
	return 0;
}

int owfp_contain_run(PDRIVER_OBJECT driver, void (*fn)(void *arg), void *arg)
{
	return owfp_contain_call(driver, NULL, NULL, fn, arg);
}

void owfp_contain_set_strict(bool on)
{
	atomic_store(&strict, on);
}

bool owfp_contain_strict(void)
{
	return atomic_load(&strict);
}

uint64_t owfp_contain_failures(void)
{
	return atomic_load(&failures);
}

PDRIVER_OBJECT owfp_contain_current_driver(void)
{
	return top ? top->driver : NULL;
}

const char *owfp_contain_last_report(void)
{
	return last_report;
}

static void basename_no_so(const char *path, char *buf, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 3 && !strcmp(base + n - 3, ".so"))
		n -= 3;
	snprintf(buf, len, "%.*s", (int)n, base);
}

void owfp_contain_driver_name(PDRIVER_OBJECT driver, char *buf, size_t len)
{
	static const WCHAR prefix[] = L"\\Driver\\";
	const size_t np = RTL_NUMBER_OF(prefix) - 1;

	if (driver && driver->DriverName.Buffer && driver->DriverName.Length) {
		const WCHAR *w = driver->DriverName.Buffer;
		size_t n = driver->DriverName.Length / sizeof(WCHAR), k = 0;

		if (n > np && !memcmp(w, prefix, np * sizeof(WCHAR))) {
			w += np;
			n -= np;
		}
		for (size_t i = 0; i < n && k + 1 < len; i++)
			buf[k++] = w[i] < 0x80 ? (char)w[i] : '?';
		buf[k] = '\0';
		return;
	}
	if (driver && driver->OwfpHost) {
		basename_no_so(owfp_plugin_path(driver->OwfpHost), buf, len);
		return;
	}
	snprintf(buf, len, "%s", driver ? "built-in" : "unknown driver");
}

/* The driver a code address belongs to, by its shared object's file. */
static void name_by_code(const void *code, char *buf, size_t len)
{
	Dl_info info;
	char target[PATH_MAX];
	const char *path;
	ssize_t n;

	if (!code || !dladdr(code, &info) || !info.dli_fname) {
		snprintf(buf, len, "unknown driver");
		return;
	}
	path = info.dli_fname;
	/* Plugins are loaded through /proc/self/fd/N (plugin.c). */
	if (!strncmp(path, "/proc/self/fd/", 14) &&
	    (n = readlink(path, target, sizeof(target) - 1)) > 0) {
		target[n] = '\0';
		path = target;
	}
	basename_no_so(path, buf, len);
}

/* Reports (once), counts, and leaves the driver call; never returns. */
__attribute__((noreturn)) static void fail(const char *what_failed)
{
	frame *f = top;
	char name[128], more[384] = "";
	uint64_t nth;

	if (f && f->driver)
		owfp_contain_driver_name(f->driver, name, sizeof(name));
	else
		name_by_code(f ? f->code : NULL, name, sizeof(name));
	if (f && f->site && f->site->describe)
		f->site->describe(f->arg, more, sizeof(more));
	snprintf(last_report, sizeof(last_report), "driver '%s': %s%s%s%s%s", name, what_failed,
		 f && f->site ? " in " : "", f && f->site ? f->site->what : "", more[0] ? ", " : "",
		 more);
	nth = atomic_fetch_add(&failures, 1) + 1;
	if (atomic_load(&strict) || !f) {
		fprintf(stderr, "openwfp: %s; %s\n", last_report,
			f ? "aborting (--strict-asserts)"
			  : "not inside a driver call the runtime can contain: aborting");
		abort();
	}
	if (atomic_fetch_add(&printed, 1) < REPORT_LIMIT) {
		fprintf(stderr, "openwfp: %s; contained (failure %llu)\n", last_report,
			(unsigned long long)nth);
		if (atomic_load(&printed) == REPORT_LIMIT)
			fprintf(stderr, "openwfp: further contained driver failures are counted, "
					"not printed\n");
	}
	top = f->prev;
	siglongjmp(f->jb, 1);
}

void owfp_wdm_assert_failed(const char *kind, const char *file, int line, const char *expression,
			    const char *message)
{
	char what[640];

	snprintf(what, sizeof(what), "%s(%s)%s%s%s failed at %s:%d", kind, expression,
		 message ? " \"" : "", message ? message : "", message ? "\"" : "", file, line);
	fail(what);
}

void owfp_wdm_assert_failed_w(const char *kind, const char *file, int line, const char *expression,
			      const WCHAR *message)
{
	char msg[256] = "";

	if (message) {
		size_t k = 0;

		for (size_t i = 0; message[i] && k + 1 < sizeof(msg); i++)
			msg[k++] = message[i] < 0x80 ? (char)message[i] : '?';
		msg[k] = '\0';
	}
	owfp_wdm_assert_failed(kind, file, line, expression, message ? msg : NULL);
}

void KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR BugCheckParameter1, ULONG_PTR BugCheckParameter2,
		  ULONG_PTR BugCheckParameter3, ULONG_PTR BugCheckParameter4)
{
	char what[160];

	snprintf(what, sizeof(what), "KeBugCheckEx(0x%08X, 0x%llx, 0x%llx, 0x%llx, 0x%llx)",
		 (unsigned)BugCheckCode, (unsigned long long)BugCheckParameter1,
		 (unsigned long long)BugCheckParameter2, (unsigned long long)BugCheckParameter3,
		 (unsigned long long)BugCheckParameter4);
	fail(what);
}

void KeBugCheck(ULONG BugCheckCode)
{
	char what[64];

	snprintf(what, sizeof(what), "KeBugCheck(0x%08X)", (unsigned)BugCheckCode);
	fail(what);
}

void RtlAssert(PVOID VoidFailedAssertion, PVOID VoidFileName, ULONG LineNumber, PSTR MutableMessage)
{
	owfp_wdm_assert_failed(
		"ASSERT", VoidFileName ? (const char *)VoidFileName : "?", (int)LineNumber,
		VoidFailedAssertion ? (const char *)VoidFailedAssertion : "", MutableMessage);
}
