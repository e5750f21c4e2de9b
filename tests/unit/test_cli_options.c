/* src/cli/options.c: one table drives both getopt_long and --help. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"

struct ctx {
	const char *name, *config;
	bool flag;
	int verbosity;
	size_t size;
	owfp_cli_list list;
	const char *items[16];
};

#define T struct ctx
static const owfp_cli_opt opts[] = {
	{"name", 'n', "NAME", OWFP_CLI_STRING(T, name), "a name"},
	{"flag", 0, NULL, OWFP_CLI_FLAG(T, flag), "a switch\non two lines"},
	{"config", 'c', "FILE", OWFP_CLI_CONFIG(T, config), "at most once"},
	{"a-rather-long-option", 0, "VALUE", OWFP_CLI_SIZE(T, size), "past the column"},
	{"add", 0, "X", OWFP_CLI_ADD(T, list), "\nbelow the name"},
	{"quiet", 'q', NULL, OWFP_CLI_QUIET(T, verbosity), "quiet"},
	{"verbose", 'v', NULL, OWFP_CLI_VERBOSE(T, verbosity), "louder"},
	OWFP_CLI_HELP,
	{0},
};

static owfp_cli_spec spec = {
	.cmd = "test",
	.head = "Usage: test\nOptions:\n",
	.opts = opts,
	.column = 22,
	.tail = "End.\n",
	.in_order = 1,
};

static int parse(struct ctx *c, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(c, 0, sizeof(*c));
	c->list.items = c->items;
	return owfp_cli_parse(&spec, argc, argv, c);
}

static void test_cli_help_is_generated_from_the_table(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	assert_non_null(out);
	owfp_cli_help(&spec, out);
	fclose(out);
	assert_string_equal(text, "Usage: test\nOptions:\n"
				  "  -n, --name NAME     a name\n"
				  "      --flag          a switch\n"
				  "                      on two lines\n"
				  "  -c, --config FILE   at most once\n"
				  "      --a-rather-long-option VALUE  past the column\n"
				  "      --add X\n"
				  "                      below the name\n"
				  "  -q, --quiet         quiet\n"
				  "  -v, --verbose       louder\n"
				  "  -h, --help          this help\n"
				  "End.\n");
	free(text);
}

static void test_cli_parse_fills_the_fields_and_stops_at_the_first_operand(void **state)
{
	char *argv[] = {"test",
			"-n",
			"x",
			"--flag",
			"-c",
			"f.yaml",
			"--add",
			"a",
			"--add",
			"b",
			"--a-rather-long-option",
			"64K",
			"-vv",
			"operand",
			"--name",
			"y",
			NULL};
	struct ctx c;

	(void)state;
	assert_int_equal(parse(&c, argv), -1);
	assert_string_equal(c.name, "x");
	assert_true(c.flag);
	assert_string_equal(c.config, "f.yaml");
	assert_int_equal(c.list.n, 2);
	assert_string_equal(c.items[0], "a");
	assert_string_equal(c.items[1], "b");
	assert_int_equal(c.size, 65536);
	assert_int_equal(c.verbosity, 2);
	assert_int_equal(optind, 13); /* "operand": what follows is not ours */
}

static void test_cli_parse_permutes_when_not_in_order(void **state)
{
	char *argv[] = {"test", "operand", "--name", "y", NULL};
	struct ctx c;

	(void)state;
	spec.in_order = 0;
	assert_int_equal(parse(&c, argv), -1);
	spec.in_order = 1;
	assert_string_equal(c.name, "y");
	assert_int_equal(optind, 3);
	assert_string_equal(argv[optind], "operand");
}

static void test_cli_usage_errors_exit_2(void **state)
{
	char *unknown[] = {"test", "--nope", NULL};
	char *missing[] = {"test", "--name", NULL};
	char *twice[] = {"test", "-c", "a", "--config", "b", NULL};
	char *size[] = {"test", "--a-rather-long-option", "0", NULL};
	char *help[] = {"test", "-q", "--help", "--nope", NULL};
	struct ctx c;

	(void)state;
	assert_int_equal(parse(&c, unknown), OWFP_EXIT_USAGE);
	assert_int_equal(parse(&c, missing), OWFP_EXIT_USAGE);
	assert_int_equal(parse(&c, twice), OWFP_EXIT_USAGE);
	assert_int_equal(parse(&c, size), OWFP_EXIT_USAGE);
	assert_int_equal(parse(&c, help), OWFP_EXIT_OK);
	assert_int_equal(c.verbosity, -1);
}

static void test_cli_quiet_wins_over_verbose(void **state)
{
	char *argv[] = {"test", "-q", "-v", "--verbose", NULL};
	struct ctx c;

	(void)state;
	assert_int_equal(parse(&c, argv), -1);
	assert_int_equal(c.verbosity, -1);
}

static void test_cli_sizes(void **state)
{
	struct {
		const char *text;
		size_t want;
	} ok[] = {
		{"1", 1},
		{"65536", 65536},
		{"64K", 65536},
		{"64k", 65536},
		{"1.5M", 1536 * 1024},
		{"1G", 1024ul * 1024 * 1024},
		{"64G", 64ul << 30},
	};
	const char *bad[] = {"", "0", "-1", "0.5", "12x", "65G", "K", "nan", "inf", "1KB"};
	owfp_error err;
	size_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(owfp_cli_set_size(&v, ok[i].text, &err), 0);
		assert_int_equal(v, ok[i].want);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = 0;
		assert_int_equal(owfp_cli_set_size(&v, bad[i], &err), -1);
		assert_non_null(strstr(err.msg, "expected a byte count"));
	}
}

static void test_cli_seconds(void **state)
{
	unsigned ms;

	(void)state;
	assert_int_equal(owfp_cli_parse_seconds("0", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(owfp_cli_parse_seconds("0.5", &ms), 0);
	assert_int_equal(ms, 500);
	assert_int_equal(owfp_cli_parse_seconds("86400", &ms), 0);
	assert_int_equal(ms, 86400000u);
	assert_int_equal(owfp_cli_parse_seconds("86401", &ms), -1);
	assert_int_equal(owfp_cli_parse_seconds("-1", &ms), -1);
	assert_int_equal(owfp_cli_parse_seconds("5s", &ms), -1);
	assert_int_equal(owfp_cli_parse_seconds("", &ms), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_help_is_generated_from_the_table),
		cmocka_unit_test(test_cli_parse_fills_the_fields_and_stops_at_the_first_operand),
		cmocka_unit_test(test_cli_parse_permutes_when_not_in_order),
		cmocka_unit_test(test_cli_usage_errors_exit_2),
		cmocka_unit_test(test_cli_quiet_wins_over_verbose),
		cmocka_unit_test(test_cli_sizes),
		cmocka_unit_test(test_cli_seconds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
