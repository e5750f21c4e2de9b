/* openwfp: one binary, one subcommand per file (see commands.h). */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "openwfp/openwfp.h"

static int cmd_help(int argc, char **argv);

static const owfp_command commands[] = {
	{"replay", owfp_cmd_replay, "run callouts over captures (pcap/pcapng) and report"},
	{"check-config", owfp_cmd_check_config, "validate a configuration file without running it"},
	{"callouts", owfp_cmd_callouts, "list the built-in callouts, or describe one (callouts NAME)"},
	{"proxy", owfp_cmd_proxy,
	 "enforce callouts on live TCP connections (explicit or transparent)"},
	{"filters", owfp_cmd_filters, "list, add or delete filters of a running proxy (--control)"},
	{"stats", owfp_cmd_stats, "counters of a running proxy: flows, bytes, decisions per callout"},
	{"ioctl", owfp_cmd_ioctl,
	 "DeviceIoControl on a driver's device in a running proxy (--control)"},
	{"help", cmd_help, "show this help, or a command's help (help COMMAND)"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "Usage: openwfp COMMAND [options] [arguments]\n"
		     "       openwfp --help | --version\n"
		     "\n"
		     "The Windows Filtering Platform stream-layer callout model on Linux: run WFP\n"
		     "stream callouts over captures and live TCP connections.\n"
		     "\n"
		     "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"Run 'openwfp COMMAND --help' for a command's options.\n"
		"\n"
		"Examples:\n"
		"  openwfp replay capture.pcap\n"
		"  openwfp replay -c filters.yaml --extract out/ capture.pcap\n"
		"  openwfp check-config filters.yaml\n"
		"  openwfp proxy --listen 127.0.0.1:8080 --upstream 127.0.0.1:80 --control /run/owfp.sock\n"
		"  openwfp stats --control /run/owfp.sock\n"
		"\n"
		"Exit status: 0 success, 1 bad input (the message names the file), 2 bad usage.\n"
		"See openwfp(1), docs/replay.md, docs/proxy.md and docs/configuration.md.\n");
}

static const owfp_command *find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	if (argc > 1) {
		const owfp_command *c = find(argv[1]);
		if (!c)
			return owfp_cli_usage_error("help", "unknown command '%s'", argv[1]);
		char *sub[] = {(char *)c->name, "--help", NULL};
		return c->run(2, sub);
	}
	usage(stdout);
	return OWFP_EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return OWFP_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return OWFP_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("openwfp %s\n", owfp_version());
		return OWFP_EXIT_OK;
	}
	const owfp_command *c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "openwfp: unknown command '%s'\nTry 'openwfp --help'.\n", argv[1]);
		return OWFP_EXIT_USAGE;
	}
	return c->run(argc - 1, argv + 1);
}
