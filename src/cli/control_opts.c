/* The options every control-socket client command shares: --control PATH,
 * --json and --help, before or after the command's own arguments. */
#include <getopt.h>
#include <stdio.h>

#include "cli/commands.h"

int owfp_cli_control_opts(int argc, char **argv, const char *cmd, void (*help)(FILE *),
			  const char **path, bool *json)
{
	static const struct option longopts[] = {
		{"control", required_argument, NULL, 'C'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int c;

	*path = NULL;
	*json = false;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C':
			*path = optarg;
			break;
		case 'j':
			*json = true;
			break;
		case 'h':
			help(stdout);
			return OWFP_EXIT_OK;
		default:
			return owfp_cli_usage_error(cmd, "unknown option or missing argument: '%s'",
						    argv[optind - 1]);
		}
	}
	return -1;
}
