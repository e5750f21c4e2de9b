/*
 * host/notify.c, host/logprio.c, host/metrics.c: the sd_notify datagram
 * reaches a path or an abstract NOTIFY_SOCKET and nothing is sent without
 * one; WATCHDOG_USEC counts only for our pid; label values are escaped;
 * the text buffer grows past its first allocation; the metrics file is
 * replaced whole (no temporary left); stderr counts as the journal only
 * when JOURNAL_STREAM names it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "host/metrics.h"
#include "host/notify.h"

static int dgram_at(const char *name, bool abstract)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	size_t n = strlen(name);

	assert_true(fd >= 0);
	memcpy(sa.sun_path + (abstract ? 1 : 0), name, n);
	assert_int_equal(
		bind(fd, (struct sockaddr *)&sa,
		     (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (abstract ? 1 : 0))),
		0);
	return fd;
}

static void expect_msg(int fd, const char *want)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	assert_true(n > 0);
	buf[n] = 0;
	assert_string_equal(buf, want);
}

static void test_notify_path_and_abstract(void **state)
{
	char path[64], env[80];
	(void)state;

	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(owfp_notify("READY=1"), 0); /* not under systemd: nothing, no error */

	snprintf(path, sizeof(path), "/tmp/owfp-notify-test.%d", (int)getpid());
	unlink(path);
	int fd = dgram_at(path, false);
	setenv("NOTIFY_SOCKET", path, 1);
	assert_int_equal(owfp_notify("READY=1\nSTATUS=x"), 0);
	expect_msg(fd, "READY=1\nSTATUS=x");
	assert_int_equal(owfp_notify_reloading(), 0);
	char buf[128];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	buf[n] = 0;
	assert_memory_equal(buf, "RELOADING=1\nMONOTONIC_USEC=", 27);
	close(fd);
	unlink(path);

	snprintf(env, sizeof(env), "owfp-notify-abstract.%d", (int)getpid());
	fd = dgram_at(env, true);
	char at[90];
	snprintf(at, sizeof(at), "@%s", env);
	setenv("NOTIFY_SOCKET", at, 1);
	assert_int_equal(owfp_notify("STOPPING=1"), 0);
	expect_msg(fd, "STOPPING=1");
	close(fd);

	setenv("NOTIFY_SOCKET", "vsock:2:1", 1);
	assert_int_equal(owfp_notify("READY=1"), -EAFNOSUPPORT);
	unsetenv("NOTIFY_SOCKET");
}

static void test_watchdog_only_for_our_pid(void **state)
{
	char pid[32];
	(void)state;

	setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	assert_int_equal(owfp_notify_watchdog_usec(), 0);
	setenv("WATCHDOG_USEC", "3000000", 1);
	assert_int_equal(owfp_notify_watchdog_usec(), 3000000);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(owfp_notify_watchdog_usec(), 3000000);
	setenv("WATCHDOG_PID", "1", 1); /* a parent's: not ours */
	assert_int_equal(owfp_notify_watchdog_usec(), 0);
	setenv("WATCHDOG_PID", pid, 1);
	setenv("WATCHDOG_USEC", "soon", 1);
	assert_int_equal(owfp_notify_watchdog_usec(), 0);
	unsetenv("WATCHDOG_PID");
	unsetenv("WATCHDOG_USEC");
	unsetenv("NOTIFY_SOCKET");
}

static void test_metrics_text(void **state)
{
	owfp_metrics_buf b = {0};
	char esc[64];
	(void)state;

	owfp_metrics_escape("a\"b\\c\nd", esc, sizeof(esc));
	assert_string_equal(esc, "a\\\"b\\\\c\\nd");
	owfp_metrics_escape("abcdefgh", esc, 6); /* truncated, terminated */
	assert_true(strlen(esc) < 6);

	owfp_metrics_family(&b, "openwfp_x_total", "counter", "X.");
	owfp_metrics_sample(&b, "openwfp_x_total", "k=\"v\"", 18446744073709551615ull);
	assert_string_equal(b.p, "# HELP openwfp_x_total X.\n# TYPE openwfp_x_total counter\n"
				 "openwfp_x_total{k=\"v\"} 18446744073709551615\n");
	for (int i = 0; i < 5000; i++) /* well past the first 16 KiB */
		owfp_metrics_sample(&b, "openwfp_y", NULL, (uint64_t)i);
	assert_false(b.oom);
	assert_non_null(strstr(b.p, "openwfp_y 4999\n"));
	owfp_metrics_buf_free(&b);
	assert_null(b.p);
}

static void test_metrics_file_replaced_whole(void **state)
{
	char dir[] = "/tmp/owfp-metrics-test.XXXXXX", path[96], buf[64];
	owfp_error err = {{0}};
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/openwfp.prom", dir);
	FILE *f = fopen(path, "w");
	fputs("old old old old old\n", f);
	fclose(f);
	assert_int_equal(owfp_metrics_write_file(path, "new 1\n", 6, &err), 0);
	f = fopen(path, "r");
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(n, 6);
	assert_memory_equal(buf, "new 1\n", 6);
	unlink(path);
	assert_int_equal(rmdir(dir), 0); /* nothing else (no temporary) was left */

	snprintf(path, sizeof(path), "%s/missing/openwfp.prom", dir);
	assert_int_equal(owfp_metrics_write_file(path, "x\n", 2, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "--metrics-file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notify_path_and_abstract),
		cmocka_unit_test(test_watchdog_only_for_our_pid),
		cmocka_unit_test(test_metrics_text),
		cmocka_unit_test(test_metrics_file_replaced_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
