/* openwfp check-config FILE: parse, then apply to a scratch engine. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "config/config.h"
#include "config/drivers.h"
#include "util/alloc.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: openwfp check-config [--driver-param DRIVER.VALUE=DATA]... FILE\n"
		"\n"
		"Validates a configuration file (YAML or JSON): parses it, loads its drivers:\n"
		"with their parameters and sends their ioctls: (their DriverEntry runs), creates\n"
		"its built-in callouts and adds its sublayers, callouts and filters to a scratch\n"
		"engine in one transaction, then removes everything. No traffic is handled.\n"
		"Errors name FILE:LINE:COLUMN and what was expected. FILE '-' reads stdin.\n"
		"Warns (on stderr; still valid) about filters that can never run: a filter\n"
		"before them in their sublayer always decides and matches every connection\n"
		"they match (docs/configuration.md, \"Filters that never run\").\n"
		"\n"
		"Options:\n"
		"      --driver-param DRIVER.VALUE=DATA\n"
		"                 a value of a driver's Parameters key, as for replay and proxy\n"
		"                 (DATA: dword:N, sz:TEXT, multi_sz:A,B, binary:HEX, a number or text)\n"
		"  -h, --help     this help\n"
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
	static const struct option longopts[] = {
		{"driver-param", required_argument, NULL, 'P'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	const char **params = owfp_calloc((size_t)argc + 1, sizeof(*params));
	size_t nparams = 0;
	owfp_error err = {{0}};
	int c, status = OWFP_EXIT_INPUT;

	if (!params)
		return OWFP_EXIT_INPUT;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c == 'h') {
			help(stdout);
			free(params);
			return OWFP_EXIT_OK;
		}
		if (c == 'P' && owfp_driver_param_check(optarg, &err) == 0) {
			params[nparams++] = optarg;
			continue;
		}
		free(params);
		if (c == 'P')
			return owfp_cli_usage_error("check-config", "%s", err.msg);
		return owfp_cli_usage_error("check-config",
					    "unknown option or missing argument: '%s'",
					    argv[optind - 1]);
	}
	if (argc - optind != 1) {
		free(params);
		return owfp_cli_usage_error("check-config", "expected exactly one FILE");
	}
	const char *path = argv[optind];
	owfp_config *cfg;
	if (owfp_config_parse_file(path, &cfg, &err) == 0) {
		size_t nwarn = 0;
		int rc = owfp_drivers_check(cfg, params, nparams, warn, NULL, &nwarn, &err);
		if (rc == 0) {
			char drivers[32] = "", w[48] = "";
			if (owfp_config_ndrivers(cfg))
				snprintf(drivers, sizeof(drivers), "%zu drivers, ",
					 owfp_config_ndrivers(cfg));
			if (nwarn)
				snprintf(w, sizeof(w), ", %zu warning%s", nwarn,
					 nwarn == 1 ? "" : "s");
			printf("%s: OK (%s%zu sublayers, %zu callouts, %zu filters)%s\n", path,
			       drivers, owfp_config_nsublayers(cfg), owfp_config_ncallouts(cfg),
			       owfp_config_nfilters(cfg), w);
			status = OWFP_EXIT_OK;
		}
		owfp_config_free(cfg);
	}
	if (status != OWFP_EXIT_OK)
		fprintf(stderr, "openwfp check-config: %s\n", err.msg);
	free(params);
	return status;
}
