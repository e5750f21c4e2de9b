/*
 * The control socket's "ioctl" request: every field checked and bounded
 * before anything is allocated or called, a malformed request refused
 * with a reason, and a well-formed one answered with the driver's status
 * (name and number) and output bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "proxy/serve.h"

static json_t *ask(const char *line)
{
	owfp_proxy_manage m;

	memset(&m, 0, sizeof(m));
	json_t *r = owfp_control_handle(NULL, &m, line, strlen(line));
	assert_non_null(r);
	return r;
}

static void refused(const char *line, const char *why)
{
	json_t *r = ask(line);
	const char *e = json_string_value(json_object_get(r, "error"));

	assert_false(json_is_true(json_object_get(r, "ok")));
	if (!e || !strstr(e, why))
		print_error("got '%s', want '%s'\n", e ? e : "(none)", why);
	assert_non_null(e);
	assert_non_null(strstr(e, why));
	json_decref(r);
}

static void test_malformed_requests_are_refused(void **state)
{
	char big[400];

	(void)state;
	refused("{\"cmd\":\"ioctl\",\"code\":1}", "needs a string \"device\"");
	refused("{\"cmd\":\"ioctl\",\"device\":\"\",\"code\":1}", "needs a string \"device\"");
	refused("{\"cmd\":\"ioctl\",\"device\":5,\"code\":1}", "needs a string \"device\"");
	refused("{\"cmd\":\"ioctl\",\"device\":\"D\"}", "integer \"code\"");
	refused("{\"cmd\":\"ioctl\",\"device\":\"D\",\"code\":\"0x10\"}", "integer \"code\"");
	refused("{\"cmd\":\"ioctl\",\"device\":\"D\",\"code\":4294967296}", "integer \"code\"");
	refused("{\"cmd\":\"ioctl\",\"device\":\"D\",\"code\":-1}", "integer \"code\"");
	refused("{\"cmd\":\"ioctl\",\"device\":\"D\",\"code\":1,\"out_size\":65537}", "out_size");
	refused("{\"cmd\":\"ioctl\",\"device\":\"D\",\"code\":1,\"out_size\":-1}", "out_size");
	refused("{\"cmd\":\"ioctl\",\"device\":\"D\",\"code\":1,\"out_size\":\"8\"}", "out_size");
	refused("{\"cmd\":\"ioctl\",\"device\":\"D\",\"code\":1,\"in\":\"0g\"}", "not hex");
	refused("{\"cmd\":\"ioctl\",\"device\":\"D\",\"code\":1,\"in\":\"012\"}", "not hex");
	refused("{\"cmd\":\"ioctl\",\"device\":\"D\",\"code\":1,\"in\":7}", "must be a string");
	memset(big, 'x', sizeof(big));
	snprintf(big, sizeof(big), "{\"cmd\":\"ioctl\",\"device\":\"%0300d\",\"code\":1}", 0);
	refused(big, "1..256 characters");
}

static void test_answer_carries_status_and_output(void **state)
{
	(void)state;
	/* No driver here owns this device: the request is carried out and the
	 * answer is the status a missing device gives. */
	json_t *r = ask("{\"cmd\":\"ioctl\",\"device\":\"\\\\Device\\\\NoSuchDevice\","
			"\"code\":1179652,\"in\":\"01 00 00 00\",\"out_size\":8}");

	assert_true(json_is_true(json_object_get(r, "ok")));
	assert_int_equal(json_integer_value(json_object_get(r, "status")), 0xC0000034);
	assert_string_equal(json_string_value(json_object_get(r, "status_name")),
			    "STATUS_OBJECT_NAME_NOT_FOUND");
	assert_int_equal(json_integer_value(json_object_get(r, "information")), 0);
	assert_string_equal(json_string_value(json_object_get(r, "out")), "");
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malformed_requests_are_refused),
		cmocka_unit_test(test_answer_carries_status_and_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
