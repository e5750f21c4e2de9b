/* openwfp check-config FILE: parse, then apply to a scratch engine. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "config/config.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: openwfp check-config FILE\n"
		"\n"
		"Validates a configuration file (YAML or JSON): parses it, creates its built-in\n"
		"callouts and adds its sublayers, callouts and filters to a scratch engine in one\n"
		"transaction, then removes everything. Nothing runs.\n"
		"Errors name FILE:LINE:COLUMN and what was expected. FILE '-' reads stdin.\n"
		"Warns (on stderr; still valid) about filters that can never run: a filter\n"
		"before them in their sublayer always decides and matches every connection\n"
		"they match (docs/configuration.md, \"Filters that never run\").\n"
		"\n"
		"Example:\n"
		"  openwfp check-config examples/demo.yaml\n"
		"\n"
		"Exit status: 0 valid, 1 invalid (the message says where), 2 bad usage.\n");
}

static void warn(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "openwfp check-config: %s\n", msg);
}

int owfp_cmd_check_config(int argc, char **argv)
{
	static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {0}};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c == 'h') {
			help(stdout);
			return OWFP_EXIT_OK;
		}
		return owfp_cli_usage_error("check-config", "unknown option '%s'", argv[optind - 1]);
	}
	if (argc - optind != 1)
		return owfp_cli_usage_error("check-config", "expected exactly one FILE");
	const char *path = argv[optind];
	owfp_error err = {{0}};
	owfp_config *cfg;
	if (owfp_config_parse_file(path, &cfg, &err) == 0) {
		size_t nwarn = 0;
		int rc = owfp_config_check_warn(cfg, warn, NULL, &nwarn, &err);
		char w[48] = "";
		if (nwarn)
			snprintf(w, sizeof(w), ", %zu warning%s", nwarn, nwarn == 1 ? "" : "s");
		if (rc == 0)
			printf("%s: OK (%zu sublayers, %zu callouts, %zu filters)%s\n", path,
			       owfp_config_nsublayers(cfg), owfp_config_ncallouts(cfg),
			       owfp_config_nfilters(cfg), w);
		owfp_config_free(cfg);
		if (rc == 0)
			return OWFP_EXIT_OK;
	}
	fprintf(stderr, "openwfp check-config: %s\n", err.msg);
	return OWFP_EXIT_INPUT;
}
