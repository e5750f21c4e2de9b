/*
 * --extract: file names per flow direction (~2 for a reused 5-tuple, also
 * when a later connection reverses the roles), exact bytes across the
 * buffer size, empty directions still get a file, and flows.tsv rows carry
 * the sha256 of what was written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay/extract.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/owfp-extract-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static void test_names_and_reuse_suffixes(void **state)
{
	(void)state;
	owfp_extract *x;
	owfp_error err;
	owfp_extract_stream a[2], b[2], c[2];
	assert_int_equal(owfp_extract_open(dir, &x, &err), 0);
	assert_int_equal(owfp_extract_flow_begin(x, "1.1.1.1.5-2.2.2.2.80", "2.2.2.2.80-1.1.1.1.5",
						 &a[0], &a[1]),
			 0);
	assert_int_equal(owfp_extract_flow_begin(x, "1.1.1.1.5-2.2.2.2.80", "2.2.2.2.80-1.1.1.1.5",
						 &b[0], &b[1]),
			 0);
	/* The roles reversed on the same 5-tuple: both names must be new. */
	assert_int_equal(owfp_extract_flow_begin(x, "2.2.2.2.80-1.1.1.1.5", "1.1.1.1.5-2.2.2.2.80",
						 &c[0], &c[1]),
			 0);
	assert_string_equal(a[0].name, "1.1.1.1.5-2.2.2.2.80");
	assert_string_equal(b[0].name, "1.1.1.1.5-2.2.2.2.80~2");
	assert_string_equal(b[1].name, "2.2.2.2.80-1.1.1.1.5~2");
	assert_string_equal(c[0].name, "2.2.2.2.80-1.1.1.1.5~3");
	assert_string_equal(c[1].name, "1.1.1.1.5-2.2.2.2.80~3");
	for (int i = 0; i < 2; i++) {
		owfp_extract_stream_end(x, &a[i], 1, "s", 1, "d", 2, "fin");
		owfp_extract_stream_end(x, &b[i], 2, "s", 1, "d", 2, "fin");
		owfp_extract_stream_end(x, &c[i], 3, "s", 1, "d", 2, "fin");
	}
	assert_int_equal(owfp_extract_close(x, &err), 0);
}

static void test_bytes_and_rows(void **state)
{
	(void)state;
	owfp_extract *x;
	owfp_error err;
	owfp_extract_stream s[2];
	size_t n = 200000, len;
	uint8_t *data = malloc(n);
	for (size_t i = 0; i < n; i++)
		data[i] = (uint8_t)(i * 31 + 7);
	assert_int_equal(owfp_extract_open(dir, &x, &err), 0);
	assert_int_equal(owfp_extract_flow_begin(x, "a", "b", &s[0], &s[1]), 0);
	/* Writes of odd sizes across the 64 KiB buffer boundary. */
	for (size_t off = 0; off < n;) {
		size_t k = off % 3 ? 1 : 70001;
		if (k > n - off)
			k = n - off;
		owfp_extract_write(x, &s[0], data + off, k);
		off += k;
	}
	owfp_extract_stream_end(x, &s[0], 7, "10.0.0.1", 1234, "10.0.0.2", 80, "fin");
	owfp_extract_stream_end(x, &s[1], 7, "10.0.0.2", 80, "10.0.0.1", 1234, "drop");
	assert_int_equal(owfp_extract_close(x, &err), 0);

	char *got = slurp("a", &len);
	assert_non_null(got);
	assert_int_equal(len, n);
	assert_memory_equal(got, data, n);
	free(got);
	got = slurp("b", &len);
	assert_non_null(got); /* an empty direction still has its file */
	assert_int_equal(len, 0);
	free(got);

	char cmd[256], line[512];
	snprintf(cmd, sizeof(cmd), "sha256sum < %s/a", dir);
	FILE *p = popen(cmd, "r");
	char sha[65] = "";
	assert_int_equal(fscanf(p, "%64s", sha), 1);
	pclose(p);
	got = slurp("flows.tsv", &len);
	got[len] = 0;
	snprintf(line, sizeof(line),
		 "flow_id\tsrc\tsport\tdst\tdport\tbytes\tsha256\tend\n"
		 "7\t10.0.0.1\t1234\t10.0.0.2\t80\t200000\t%s\tfin\n"
		 "7\t10.0.0.2\t80\t10.0.0.1\t1234\t0\t"
		 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\tdrop\n",
		 sha);
	assert_string_equal(got, line);
	free(got);
	free(data);
}

static void test_unwritable_directory_is_reported(void **state)
{
	(void)state;
	owfp_extract *x;
	owfp_error err;
	char path[128];
	snprintf(path, sizeof(path), "%s/file", dir);
	FILE *f = fopen(path, "w");
	fclose(f);
	snprintf(path, sizeof(path), "%s/file/sub", dir);
	assert_int_not_equal(owfp_extract_open(path, &x, &err), 0);
	assert_non_null(strstr(err.msg, "file/sub: cannot create directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names_and_reuse_suffixes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bytes_and_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_directory_is_reported, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
