/*
 * The `openwfp` subcommands. Each lives in its own cmd_NAME.c; to add one,
 * declare it here and add one line to the table in main.c.
 *
 * A command gets argv with argv[0] = its name, prints its own errors, and
 * returns the process exit status.
 */
#ifndef OWFP_CLI_COMMANDS_H
#define OWFP_CLI_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses shared by every command. */
#define OWFP_EXIT_OK 0
#define OWFP_EXIT_INPUT 1 /* bad input: capture, configuration, plugin (the message names it) */
#define OWFP_EXIT_USAGE 2 /* bad usage: unknown option, missing argument */

typedef struct owfp_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} owfp_command;

int owfp_cmd_replay(int argc, char **argv);
int owfp_cmd_check_config(int argc, char **argv);
int owfp_cmd_callouts(int argc, char **argv);
int owfp_cmd_proxy(int argc, char **argv);
int owfp_cmd_filters(int argc, char **argv);
int owfp_cmd_stats(int argc, char **argv);
int owfp_cmd_ioctl(int argc, char **argv);

/*
 * Parses --control PATH, --json and --help for a control-socket client
 * command. Returns -1 to go on (arguments from optind on), or the exit
 * status when the command is done (help printed, or a usage error).
 */
int owfp_cli_control_opts(int argc, char **argv, const char *cmd, void (*help)(FILE *),
			  const char **path, bool *json);

/* Prints "openwfp NAME: msg" plus a hint to use --help; returns OWFP_EXIT_USAGE. */
int owfp_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
