/*
 * Containment (src/wdm/contain.c): a failed NT_ASSERT, NT_VERIFY or
 * KeBugCheckEx inside a contained driver call ends that call only, is
 * counted and reported with file, line, expression and driver; nested
 * calls catch at the innermost one; --strict-asserts and a failure outside
 * any driver call abort; system threads and runtime-detected bug checks
 * (freeing what is not a pool block) are contained too.
 */
/* Assertions are what this test is about: on in every build type. */
#undef NDEBUG
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "wdm/contain.h"

static WCHAR name_buf[] = L"\\Driver\\sample";
static DRIVER_OBJECT drv = {
	.Type = 4, .DriverName = {sizeof(name_buf) - sizeof(WCHAR), sizeof(name_buf), name_buf}};

static int reached_after;
static int assert_line;

static void fails_an_assert(void *arg)
{
	int x = *(int *)arg;

	assert_line = __LINE__ + 1;
	NT_ASSERT(x == 2);
	reached_after = 1;
}

static void test_failed_assert_ends_the_call_and_is_reported(void **state)
{
	int one = 1, two = 2;
	uint64_t before = owfp_contain_failures();
	char line[32];

	(void)state;
	reached_after = 0;
	assert_int_equal(owfp_contain_run(&drv, fails_an_assert, &two), 0);
	assert_int_equal(reached_after, 1);
	reached_after = 0;
	assert_int_equal(owfp_contain_run(&drv, fails_an_assert, &one), -EFAULT);
	assert_int_equal(reached_after, 0);
	assert_int_equal(owfp_contain_failures(), before + 1);
	snprintf(line, sizeof(line), "test_wdm_contain.c:%d", assert_line);
	assert_non_null(strstr(owfp_contain_last_report(), "NT_ASSERT(x == 2)"));
	assert_non_null(strstr(owfp_contain_last_report(), line));
	assert_non_null(strstr(owfp_contain_last_report(), "driver 'sample'"));
}

static void inner_fails(void *arg)
{
	(void)arg;
	KeBugCheckEx(MANUALLY_INITIATED_CRASH, 1, 2, 3, 4);
}

static int outer_saw;

static void outer(void *arg)
{
	(void)arg;
	outer_saw = owfp_contain_run(&drv, inner_fails, NULL);
	assert_ptr_equal(owfp_contain_current_driver(), &drv);
}

static void test_nested_calls_catch_at_the_innermost(void **state)
{
	(void)state;
	outer_saw = 0;
	assert_null(owfp_contain_current_driver());
	assert_int_equal(owfp_contain_run(&drv, outer, NULL), 0);
	assert_int_equal(outer_saw, -EFAULT);
	assert_non_null(
		strstr(owfp_contain_last_report(), "KeBugCheckEx(0x000000E2, 0x1, 0x2, 0x3, 0x4)"));
	assert_null(owfp_contain_current_driver());
}

static BOOLEAN verified;

static void verifies(void *arg)
{
	verified = NT_VERIFY(*(int *)arg == 1);
}

static void test_nt_verify_yields_its_value(void **state)
{
	int one = 1, zero = 0;

	(void)state;
	verified = FALSE;
	assert_int_equal(owfp_contain_run(&drv, verifies, &one), 0);
	assert_true(verified);
	/* In a debug build FALSE is also a failure. */
	assert_int_equal(owfp_contain_run(&drv, verifies, &zero), -EFAULT);
	assert_non_null(strstr(owfp_contain_last_report(), "NT_VERIFY"));
}

/* Not a pool block (its would-be header lies inside `fake`, so even
 * ASan sees only valid reads): Windows bug-checks, here it is contained. */
static void frees_a_wild_pointer(void *arg)
{
	(void)arg;
	_Alignas(16) UCHAR fake[64] = {0};

	ExFreePoolWithTag(fake + 32, 'btsT');
}

static void test_wild_free_is_a_contained_bug_check(void **state)
{
	(void)state;
	assert_int_equal(owfp_contain_run(&drv, frees_a_wild_pointer, NULL), -EFAULT);
	assert_non_null(strstr(owfp_contain_last_report(), "KeBugCheckEx(0x000000C2, 0x99"));
}

static void NTAPI thread_asserts(PVOID ctx)
{
	(void)ctx;
	NT_ASSERTMSG("never", FALSE);
	reached_after = 1;
}

static void start_thread(void *arg)
{
	assert_int_equal(PsCreateSystemThread(arg, THREAD_ALL_ACCESS, NULL, NULL, NULL,
					      thread_asserts, NULL),
			 STATUS_SUCCESS);
}

static void test_system_thread_failure_ends_the_thread(void **state)
{
	HANDLE h = NULL;
	PVOID obj = NULL;
	uint64_t before = owfp_contain_failures();

	(void)state;
	reached_after = 0;
	assert_int_equal(owfp_contain_run(&drv, start_thread, &h), 0);
	assert_int_equal(
		ObReferenceObjectByHandle(h, SYNCHRONIZE, *PsThreadType, KernelMode, &obj, NULL),
		STATUS_SUCCESS);
	assert_int_equal(KeWaitForSingleObject(obj, Executive, KernelMode, FALSE, NULL),
			 STATUS_SUCCESS);
	ObDereferenceObject(obj);
	ZwClose(h);
	assert_int_equal(reached_after, 0);
	assert_int_equal(owfp_contain_failures(), before + 1);
}

static int child_status(void (*body)(void))
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The report goes to stderr; keep the test log quiet. */
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		body();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void strict_body(void)
{
	int one = 1;

	owfp_contain_set_strict(true);
	(void)owfp_contain_run(&drv, fails_an_assert, &one);
}

static void outside_body(void)
{
	NT_ASSERT(getpid() == 0);
}

static void test_strict_and_uncontained_failures_abort(void **state)
{
	int st;

	(void)state;
	st = child_status(strict_body);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	st = child_status(outside_body);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	assert_false(owfp_contain_strict());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_assert_ends_the_call_and_is_reported),
		cmocka_unit_test(test_nested_calls_catch_at_the_innermost),
		cmocka_unit_test(test_nt_verify_yields_its_value),
		cmocka_unit_test(test_wild_free_is_a_contained_bug_check),
		cmocka_unit_test(test_system_thread_failure_ends_the_thread),
		cmocka_unit_test(test_strict_and_uncontained_failures_abort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
