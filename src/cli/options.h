/*
 * A command's options as one table: what getopt_long parses and what --help
 * prints come from the same entries, so the two cannot drift apart. Adding
 * an option is one entry (plus a setter when no shared one fits).
 *
 * A setter gets `at`, the command's context plus the entry's offset, and
 * the option's argument ("" for a switch). It returns 0, or -1 with err->msg
 * set to the whole message, which the parser prints as a usage error
 * (exit status 2). Entries with offset 0 get the whole context.
 */
#ifndef OWFP_CLI_OPTIONS_H
#define OWFP_CLI_OPTIONS_H

#include <getopt.h> /* optind: the first operand after owfp_cli_parse */
#include <stddef.h>
#include <stdio.h>

#include "openwfp/openwfp.h"

typedef int (*owfp_cli_setter)(void *at, const char *arg, owfp_error *err);

typedef struct owfp_cli_opt {
	const char *name;    /* long name, without "--"; NULL ends the table */
	char short_name;     /* 0: none */
	const char *arg;     /* NULL: a switch; else the argument as --help names it */
	owfp_cli_setter set; /* NULL: this is --help (print it, exit 0) */
	size_t at;           /* offset of what `set` writes in the command's context */
	/* --help text, starting at the help column; each '\n' continues at that
	 * column on the next line; a leading '\n' starts it below the name. */
	const char *help;
} owfp_cli_opt;

typedef struct owfp_cli_spec {
	const char *cmd;  /* "proxy": for "openwfp proxy: ..." messages */
	const char *head; /* --help before the options (usage ... "Options:\n") */
	const owfp_cli_opt *opts;
	int column;       /* where the help texts start */
	const char *tail; /* --help after the options */
	int in_order;     /* options end at the first operand (else anywhere) */
} owfp_cli_spec;

/* The offset of `member` in `type`, a compile error unless it is a `ftype`. */
#define OWFP_CLI_FIELD(type, member, ftype) \
	(offsetof(type, member) + 0 * sizeof((ftype *)0 == &((type *)0)->member))

/* A repeatable option's arguments, in order; items has room for argc. */
typedef struct owfp_cli_list {
	const char **items;
	size_t n;
} owfp_cli_list;

/* Shared setters and the `set, at` pair of an entry that uses them. */
int owfp_cli_set_string(void *at, const char *arg, owfp_error *err);  /* const char * */
int owfp_cli_set_flag(void *at, const char *arg, owfp_error *err);    /* bool = true */
int owfp_cli_set_config(void *at, const char *arg, owfp_error *err);  /* -c, at most once */
int owfp_cli_set_quiet(void *at, const char *arg, owfp_error *err);   /* int verbosity = -1 */
int owfp_cli_set_verbose(void *at, const char *arg, owfp_error *err); /* WPP on, verbosity++ */
int owfp_cli_set_strict(void *at, const char *arg, owfp_error *err);  /* --strict-asserts */
int owfp_cli_set_size(void *at, const char *arg, owfp_error *err);    /* size_t: 64K, 16M, 1G */
int owfp_cli_add(void *at, const char *arg, owfp_error *err);         /* owfp_cli_list */
int owfp_cli_add_driver_param(void *at, const char *arg, owfp_error *err); /* checked, added */
#define OWFP_CLI_STRING(type, m) owfp_cli_set_string, OWFP_CLI_FIELD(type, m, const char *)
#define OWFP_CLI_FLAG(type, m) owfp_cli_set_flag, OWFP_CLI_FIELD(type, m, bool)
#define OWFP_CLI_CONFIG(type, m) owfp_cli_set_config, OWFP_CLI_FIELD(type, m, const char *)
#define OWFP_CLI_QUIET(type, m) owfp_cli_set_quiet, OWFP_CLI_FIELD(type, m, int)
#define OWFP_CLI_VERBOSE(type, m) owfp_cli_set_verbose, OWFP_CLI_FIELD(type, m, int)
#define OWFP_CLI_SIZE(type, m) owfp_cli_set_size, OWFP_CLI_FIELD(type, m, size_t)
#define OWFP_CLI_ADD(type, m) owfp_cli_add, OWFP_CLI_FIELD(type, m, owfp_cli_list)
#define OWFP_CLI_DRIVER_PARAM(type, m) \
	owfp_cli_add_driver_param, OWFP_CLI_FIELD(type, m, owfp_cli_list)
#define OWFP_CLI_STRICT owfp_cli_set_strict, 0
#define OWFP_CLI_HELP                                   \
	{                                               \
		"help", 'h', NULL, NULL, 0, "this help" \
	}

/*
 * Parses argv[1..] by the table into ctx. Returns -1 to go on (operands from
 * optind on), or the exit status when the command is done: OWFP_EXIT_OK after
 * --help, OWFP_EXIT_USAGE after a message on stderr.
 */
int owfp_cli_parse(const owfp_cli_spec *spec, int argc, char **argv, void *ctx);

/* Prints head, one entry per option, tail. */
void owfp_cli_help(const owfp_cli_spec *spec, FILE *out);

/* SECONDS (0..86400, fractions allowed) in ms; -1 if not. */
int owfp_cli_parse_seconds(const char *s, unsigned *ms);

#endif
