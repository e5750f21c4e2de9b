/* The ELF dynamic-section reader behind plugin trust: reads a real plugin's
 * dependencies, says "not ELF" for what the loader would refuse anyway, and
 * never crashes or reads out of bounds on a damaged file (the file is the
 * untrusted input: ASan watches). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "wdm/plugin_elf.h"

static uint8_t *image;
static size_t image_len;

static int setup(void **st)
{
	(void)st;
	const char *build = getenv("OWFP_BUILD_DIR");
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/plugins/plugin_minimal.so", build ? build : ".");
	int fd = open(path, O_RDONLY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0)
		return -1;
	image_len = (size_t)sb.st_size;
	image = malloc(image_len);
	if (!image || read(fd, image, image_len) != (ssize_t)image_len)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	free(image);
	return 0;
}

/* An in-memory file holding these bytes. */
static int file_of(const uint8_t *p, size_t n)
{
	int fd = memfd_create("elf", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	return fd;
}

static void test_reads_the_needed_libraries_of_a_plugin(void **st)
{
	(void)st;
	owfp_elf_deps d;
	int fd = file_of(image, image_len);
	assert_int_equal(owfp_elf_deps_read(fd, &d), 0);
	bool libc = false;
	for (size_t i = 0; i < d.n_needed; i++)
		libc |= strcmp(d.needed[i], "libc.so.6") == 0;
	assert_true(libc);
	assert_null(d.runpath);
	owfp_elf_deps_free(&d);
	close(fd);
}

static void test_what_is_not_elf_is_left_to_the_loader(void **st)
{
	(void)st;
	owfp_elf_deps d;
	int fd = file_of((const uint8_t *)"#!/bin/sh\necho hi\n", 18);
	assert_int_equal(owfp_elf_deps_read(fd, &d), -ENOEXEC);
	close(fd);
	fd = file_of((const uint8_t *)"", 0);
	assert_int_equal(owfp_elf_deps_read(fd, &d), -ENOEXEC);
	close(fd);
}

static void check_result(int rc, owfp_elf_deps *d)
{
	assert_true(rc == 0 || rc == -ENOEXEC || rc == -EBADMSG);
	if (rc) {
		assert_int_equal(d->n_needed, 0);
		assert_null(d->runpath);
		return;
	}
	for (size_t i = 0; i < d->n_needed; i++)
		assert_true(strlen(d->needed[i]) < PATH_MAX);
	owfp_elf_deps_free(d);
}

static void test_truncated_files_are_refused_or_read_safely(void **st)
{
	(void)st;
	for (size_t n = 0; n < image_len; n += 1 + n / 16) {
		owfp_elf_deps d;
		int fd = file_of(image, n);
		check_result(owfp_elf_deps_read(fd, &d), &d);
		close(fd);
	}
}

static void test_damaged_files_are_refused_or_read_safely(void **st)
{
	(void)st;
	uint8_t *copy = malloc(image_len);
	assert_non_null(copy);
	srand(17);
	for (int t = 0; t < 3000; t++) {
		memcpy(copy, image, image_len);
		int flips = 1 + rand() % 8;
		for (int k = 0; k < flips; k++) {
			/* mostly the headers and the dynamic section, where it matters */
			size_t at = (size_t)rand() % (rand() % 2 ? 0x400 : image_len);
			copy[at] = (uint8_t)rand();
		}
		owfp_elf_deps d;
		int fd = file_of(copy, image_len);
		check_result(owfp_elf_deps_read(fd, &d), &d);
		close(fd);
	}
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_the_needed_libraries_of_a_plugin),
		cmocka_unit_test(test_what_is_not_elf_is_left_to_the_loader),
		cmocka_unit_test(test_truncated_files_are_refused_or_read_safely),
		cmocka_unit_test(test_damaged_files_are_refused_or_read_safely),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
