/*
 * The replay summary's per-capture notes ("skipped", "not captured",
 * "retransmitted"): each line appears exactly when one of the counters it
 * is about is not zero, with every number in its place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay/report.h"

static char *print(const owfp_capture_stats *st)
{
	owfp_replay_capture_report cap = {.file = "t.pcap", .stats = *st};
	owfp_replay_report r = {.caps = &cap, .ncaps = 1};
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	owfp_replay_report_print(&r, out);
	assert_int_equal(fclose(out), 0);
	return text;
}

static void test_quiet_capture_has_no_notes(void **state)
{
	(void)state;
	owfp_capture_stats st = {.bytes_read = 10, .records = 1};
	char *text = print(&st);

	assert_null(strstr(text, "    skipped:"));
	assert_null(strstr(text, "    not captured:"));
	assert_null(strstr(text, "    retransmitted"));
	free(text);
}

static void test_each_note_speaks_for_its_counters(void **state)
{
	(void)state;
	owfp_capture_stats st = {.non_tcp = 1,
				 .bad_packets = 2,
				 .bad_checksums = 3,
				 .unsupported_link = 4,
				 .kernel_dropped = 5,
				 .interface_dropped = 6,
				 .retransmitted_bytes = 7,
				 .overlaps_differing = 8,
				 .overlap_bytes_differing = 9};
	char *text = print(&st);

	assert_non_null(strstr(text, "    skipped: 1 non-TCP, 2 malformed, 3 bad checksum, "
				     "4 unsupported link\n"));
	assert_non_null(strstr(text, "    not captured: 5 packets dropped by the kernel (buffer "
				     "full), 6 by the interface; their bytes are holes\n"));
	assert_non_null(strstr(text, "    retransmitted 7 bytes, 8 overlapping segments with "
				     "different data (9 bytes)\n"));
	free(text);
}

static void test_one_counter_is_enough(void **state)
{
	(void)state;
	owfp_capture_stats st = {
		.unsupported_link = 1, .interface_dropped = 2, .overlaps_differing = 3};
	char *text = print(&st);

	assert_non_null(strstr(text, "    skipped: 0 non-TCP, 0 malformed, 0 bad checksum, "
				     "1 unsupported link\n"));
	assert_non_null(strstr(text, "    not captured: 0 packets dropped by the kernel (buffer "
				     "full), 2 by the interface"));
	assert_non_null(strstr(text, "    retransmitted 0 bytes, 3 overlapping segments with "
				     "different data (0 bytes)\n"));
	free(text);
}

/* The differing bytes alone do not make the retransmission line speak. */
static void test_overlap_bytes_alone_stay_quiet(void **state)
{
	(void)state;
	owfp_capture_stats st = {.overlap_bytes_differing = 5};
	char *text = print(&st);

	assert_null(strstr(text, "    retransmitted"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_capture_has_no_notes),
		cmocka_unit_test(test_each_note_speaks_for_its_counters),
		cmocka_unit_test(test_one_counter_is_enough),
		cmocka_unit_test(test_overlap_bytes_alone_stay_quiet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
