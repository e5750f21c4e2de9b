/*
 * Live capture (owfp_capture_open_live, src/capture/reader_live.c): a stop
 * from another thread ends a wait on a quiet interface, the stop flag a
 * signal handler sets is seen without any packet (on the idle tick), and
 * open errors say which interface and what is wrong. Needs CAP_NET_RAW (the
 * tests run as root); the traffic itself is tested end to end by
 * tests/integration/test_replay_live.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "capture/capture.h"

/* Nothing matches: the capture stays quiet. */
#define QUIET "tcp port 1 and tcp port 2"

typedef struct run_arg {
	owfp_capture *cap;
	int rc;
	atomic_int idles;
	volatile int flag;
	int stop_after_idles; /* 0: never set the flag */
} run_arg;

static void on_idle(void *user)
{
	run_arg *a = user;
	int n = atomic_fetch_add(&a->idles, 1) + 1;
	if (a->stop_after_idles && n >= a->stop_after_idles)
		a->flag = 1; /* what the CLI's signal handler does */
}

static const owfp_capture_sink sink = {.idle = on_idle};

static void *runner(void *p)
{
	run_arg *a = p;
	a->rc = owfp_capture_run(a->cap, &sink, a, NULL);
	return NULL;
}

static void test_stop_from_another_thread_ends_a_quiet_capture(void **state)
{
	(void)state;
	run_arg a;
	owfp_capture_error err;
	memset(&a, 0, sizeof(a));
	int rc = owfp_capture_open_live("lo", QUIET, NULL, &a.cap, &err);
	if (rc)
		print_error("%s\n", err.message);
	assert_int_equal(rc, 0);
	assert_string_equal(owfp_capture_reader_name(a.cap), "live");
	char what[300];
	owfp_capture_describe(a.cap, what, sizeof(what));
	assert_string_equal(what, "lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes, "
				  "filter '" QUIET "'");
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, runner, &a), 0);
	/* Whenever the stop lands, before or during the wait, run() ends. */
	owfp_capture_stop(a.cap);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(a.rc, -ECANCELED);
	owfp_capture_close(a.cap);
}

static void test_the_stop_flag_is_seen_without_packets(void **state)
{
	(void)state;
	run_arg a;
	owfp_capture_opts o;
	memset(&a, 0, sizeof(a));
	owfp_capture_opts_init(&o);
	o.stop = &a.flag;
	a.stop_after_idles = 2;
	assert_int_equal(owfp_capture_open_live("lo", QUIET, &o, &a.cap, NULL), 0);
	runner(&a);
	assert_int_equal(a.rc, -ECANCELED);
	assert_true(atomic_load(&a.idles) >= 2);
	owfp_capture_stats st;
	owfp_capture_get_stats(a.cap, &st);
	assert_int_equal(st.records, 0);
	assert_int_equal(st.kernel_dropped, 0);
	owfp_capture_close(a.cap);
}

static void test_open_errors_name_the_interface(void **state)
{
	(void)state;
	owfp_capture *cap = NULL;
	owfp_capture_error err;
	assert_int_equal(owfp_capture_open_live("owfp-nosuch0", NULL, NULL, &cap, &err), -ENODEV);
	assert_null(cap);
	assert_non_null(strstr(err.message, "interface owfp-nosuch0: no such interface"));
	assert_int_equal(owfp_capture_open_live("lo", "tcp port", NULL, &cap, &err), -EINVAL);
	assert_null(cap);
	assert_non_null(strstr(err.message, "interface lo: --bpf 'tcp port': "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stop_from_another_thread_ends_a_quiet_capture),
		cmocka_unit_test(test_the_stop_flag_is_seen_without_packets),
		cmocka_unit_test(test_open_errors_name_the_interface),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
