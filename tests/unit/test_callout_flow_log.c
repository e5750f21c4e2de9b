/* flow_log and count through the real engine: one JSON line per flow with
 * addresses, byte counts, first bytes and how it ended; nothing changed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "callout_harness.h"
#include "callouts/registry.h"

static void test_one_line_per_flow_with_counts_and_end(void **st)
{
	(void)st;
	char path[] = "/tmp/owfp-fl-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char params[256];
	snprintf(params, sizeof(params), "{\"path\":\"%s\",\"first_bytes\":4}", path);
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	if (!owfp_harness_add(&h, "flow_log", params, FWP_ACTION_CALLOUT_INSPECTION))
		fail_msg("%s", h.err);
	void *count = owfp_harness_add(&h, "count", NULL, FWP_ACTION_CALLOUT_INSPECTION);
	assert_non_null(count);

	/* flow 1: both FINs */
	assert_int_equal(owfp_harness_flow(&h), 0);
	owfp_harness_send(&h, OWFP_DIR_OUTBOUND, "GET", 3);
	owfp_harness_send(&h, OWFP_DIR_OUTBOUND, " /x", 3);
	owfp_harness_send(&h, OWFP_DIR_INBOUND, "\x01\x02", 2);
	owfp_harness_fin(&h, OWFP_DIR_OUTBOUND);
	owfp_harness_fin(&h, OWFP_DIR_INBOUND);
	owfp_harness_flow_close(&h);
	assert_int_equal(h.outlen[OWFP_DIR_OUTBOUND], 6);
	/* flow 2: reset */
	assert_int_equal(owfp_harness_flow(&h), 0);
	owfp_harness_send(&h, OWFP_DIR_INBOUND, "abc", 3);
	owfp_flow_indicate_abort(h.flow, OWFP_DIR_INBOUND);
	owfp_harness_flow_close(&h);

	uint64_t totals[2];
	owfp_count_totals(count, totals);
	assert_int_equal(totals[OWFP_DIR_OUTBOUND], 6);
	assert_int_equal(totals[OWFP_DIR_INBOUND], 5);
	owfp_harness_close(&h);

	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[2048];
	json_t *rec[2] = {NULL, NULL};
	int n = 0;
	while (n < 3 && fgets(line, sizeof(line), f)) {
		assert_true(n < 2);
		rec[n] = json_loads(line, 0, NULL);
		assert_non_null(rec[n]);
		n++;
	}
	fclose(f);
	unlink(path);
	assert_int_equal(n, 2);
	assert_string_equal(json_string_value(json_object_get(rec[0], "local")), "127.0.0.1");
	assert_string_equal(json_string_value(json_object_get(rec[0], "remote")), "127.0.0.2");
	assert_int_equal(json_integer_value(json_object_get(rec[0], "remote_port")), 80);
	assert_int_equal(json_integer_value(json_object_get(rec[0], "bytes_out")), 6);
	assert_int_equal(json_integer_value(json_object_get(rec[0], "bytes_in")), 2);
	assert_string_equal(json_string_value(json_object_get(rec[0], "first_out")), "47455420");
	assert_string_equal(json_string_value(json_object_get(rec[0], "first_in")), "0102");
	assert_string_equal(json_string_value(json_object_get(rec[0], "end")), "fin");
	assert_string_equal(json_string_value(json_object_get(rec[0], "opened_by")), "local");
	assert_string_equal(json_string_value(json_object_get(rec[1], "end")), "reset");
	assert_int_equal(json_integer_value(json_object_get(rec[1], "bytes_in")), 3);
	json_decref(rec[0]);
	json_decref(rec[1]);
}

/* IPv6 flows: addresses come as 16-byte arrays at STREAM_V6, and the
 * instance's STREAM_V6 callout does the same work. */
static void test_ipv6_flow_is_logged_and_edited(void **st)
{
	(void)st;
	char path[] = "/tmp/owfp-fl6-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char params[256];
	snprintf(params, sizeof(params), "{\"path\":\"%s\"}", path);
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	assert_non_null(owfp_harness_add(&h, "stream_edit",
					 "{\"find\":\"rainy\",\"replace\":\"sunny\"}",
					 FWP_ACTION_CALLOUT_TERMINATING));
	assert_non_null(owfp_harness_add(&h, "flow_log", params, FWP_ACTION_CALLOUT_INSPECTION));
	assert_int_equal(owfp_harness_flow_af(&h, AF_INET6), 0);
	owfp_harness_send(&h, OWFP_DIR_OUTBOUND, "it is rai", 9);
	owfp_harness_send(&h, OWFP_DIR_OUTBOUND, "ny", 2);
	owfp_harness_fin(&h, OWFP_DIR_OUTBOUND);
	owfp_harness_fin(&h, OWFP_DIR_INBOUND);
	owfp_harness_flow_close(&h);
	assert_int_equal(h.outlen[OWFP_DIR_OUTBOUND], 11);
	assert_memory_equal(h.out[OWFP_DIR_OUTBOUND], "it is sunny", 11);
	owfp_harness_close(&h);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[2048];
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	unlink(path);
	json_t *o = json_loads(line, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "family")), "ipv6");
	assert_string_equal(json_string_value(json_object_get(o, "local")), "2001:db8::1");
	assert_string_equal(json_string_value(json_object_get(o, "remote")), "2001:db8::2");
	/* flow_log sits downstream of the editor: it sees the edited bytes */
	assert_int_equal(json_integer_value(json_object_get(o, "bytes_out")), 11);
	json_decref(o);
}

static void test_path_is_required(void **st)
{
	(void)st;
	owfp_harness h;
	assert_int_equal(owfp_harness_open(&h), 0);
	assert_null(owfp_harness_add(&h, "flow_log", "{}", FWP_ACTION_CALLOUT_INSPECTION));
	assert_non_null(strstr(h.err, "path"));
	owfp_harness_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line_per_flow_with_counts_and_end),
		cmocka_unit_test(test_ipv6_flow_is_logged_and_edited),
		cmocka_unit_test(test_path_is_required),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
