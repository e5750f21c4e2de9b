/* openwfp callouts [NAME]: the built-in callouts and their parameters. */
#include <stdio.h>
#include <string.h>

#include "callouts/registry.h"
#include "cli/commands.h"
#include "openwfp/openwfp.h"

static void usage(FILE *out)
{
	fprintf(out, "Usage: openwfp callouts [NAME]\n"
		     "\n"
		     "Without NAME, lists the built-in callouts. With NAME, describes one: what\n"
		     "it does, the filter action to use with it, and its parameters (name, type,\n"
		     "default, meaning).\n"
		     "\n"
		     "A configuration file creates built-ins by type and names them in filters:\n"
		     "  callouts:\n"
		     "    - name: edit\n"
		     "      type: stream_edit\n"
		     "      params: {find: rainy, replace: sunny}\n"
		     "\n"
		     "See docs/callouts.md.\n");
}

int owfp_cmd_callouts(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return OWFP_EXIT_OK;
	}
	if (argc > 2)
		return owfp_cli_usage_error("callouts", "expected at most one callout name");
	const owfp_builtin *const *all = owfp_builtin_list();
	if (argc == 1) {
		for (size_t i = 0; all[i]; i++)
			printf("%-16s %s\n", all[i]->name, all[i]->summary);
		return OWFP_EXIT_OK;
	}
	const owfp_builtin *b = owfp_builtin_find(argv[1]);
	if (!b) {
		fprintf(stderr,
			"openwfp callouts: no built-in callout '%s'; expected one of:", argv[1]);
		for (size_t i = 0; all[i]; i++)
			fprintf(stderr, " %s", all[i]->name);
		fprintf(stderr, "\n");
		return OWFP_EXIT_INPUT;
	}
	printf("%s: %s\n\nFilter action: %s\n\nParameters (name, type, default, meaning):\n%s",
	       b->name, b->summary, owfp_builtin_filter_action(b->name), b->params_help);
	return OWFP_EXIT_OK;
}
