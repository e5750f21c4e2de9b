/* openwfp replay [options] CAPTURE...: the command line of src/replay. */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "openwfp/openwfp.h"
#include "replay/replay.h"
#include "replay/resegment.h"
#include "util/alloc.h"

/* What the options fill in. */
struct replay_cli {
	owfp_replay_opts o;
	owfp_cli_list plugins;      /* --callout */
	owfp_cli_list dparams;      /* --driver-param */
	owfp_replay_process *procs; /* --process, room for argc */
	bool json;
	const char *metrics_file; /* --metrics-file */
	unsigned long resegment;  /* runs; 0: none */
	unsigned long long seed;
};

static int set_process(void *at, const char *arg, owfp_error *err)
{
	struct replay_cli *c = at;

	if (owfp_replay_parse_process(arg, &c->procs[c->o.nprocesses])) {
		snprintf(err->msg, sizeof(err->msg),
			 "--process '%s': expected PORT=PATH or "
			 "PORT=PID:PATH with an absolute PATH (e.g. 40000=/usr/bin/curl)",
			 arg);
		return -1;
	}
	c->o.nprocesses++;
	return 0;
}

static int set_local(void *at, const char *arg, owfp_error *err)
{
	if (owfp_replay_parse_local(arg, at)) {
		snprintf(err->msg, sizeof(err->msg),
			 "--local '%s': expected client, server or ADDR[/PREFIX]", arg);
		return -1;
	}
	return 0;
}

static int set_drain(void *at, const char *arg, owfp_error *err)
{
	unsigned ms;

	if (owfp_cli_parse_seconds(arg, &ms)) {
		snprintf(err->msg, sizeof(err->msg),
			 "--drain-timeout '%s': expected seconds (0..86400, e.g. 5 or 0.5)", arg);
		return -1;
	}
	*(uint64_t *)at = ms;
	return 0;
}

static int set_overlap(void *at, const char *arg, owfp_error *err)
{
	enum owfp_capture_overlap *overlap = at;

	if (!strcmp(arg, "first")) {
		*overlap = OWFP_CAPTURE_OVERLAP_FIRST;
	} else if (!strcmp(arg, "last")) {
		*overlap = OWFP_CAPTURE_OVERLAP_LAST;
	} else {
		snprintf(err->msg, sizeof(err->msg), "--overlap '%s': expected first or last", arg);
		return -1;
	}
	return 0;
}

static int set_work_items(void *at, const char *arg, owfp_error *err)
{
	bool *hold = at;

	if (!strcmp(arg, "concurrent")) {
		*hold = false;
	} else if (!strcmp(arg, "at-turns")) {
		*hold = true;
	} else {
		snprintf(err->msg, sizeof(err->msg),
			 "--work-items '%s': expected concurrent or at-turns", arg);
		return -1;
	}
	return 0;
}

static int set_resegment(void *at, const char *arg, owfp_error *err)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	if (end == arg || *end || n < 1 || n > 100000) {
		snprintf(err->msg, sizeof(err->msg),
			 "--resegment '%s': expected a number of runs (1..100000)", arg);
		return -1;
	}
	*(unsigned long *)at = n;
	return 0;
}

static int set_workers(void *at, const char *arg, owfp_error *err)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	if (end == arg || *end || n < 1 || n > 64) {
		snprintf(err->msg, sizeof(err->msg),
			 "--workers '%s': expected a number of threads (1..64)", arg);
		return -1;
	}
	*(unsigned *)at = (unsigned)n;
	return 0;
}

static int set_seed(void *at, const char *arg, owfp_error *err)
{
	char *end;
	unsigned long long seed = strtoull(arg, &end, 0);

	if (end == arg || *end) {
		snprintf(err->msg, sizeof(err->msg), "--seed '%s': expected a number", arg);
		return -1;
	}
	*(unsigned long long *)at = seed;
	return 0;
}

#define AT(m, t) OWFP_CLI_FIELD(struct replay_cli, m, t)
#define STRING(m) OWFP_CLI_STRING(struct replay_cli, m)
#define FLAG(m) OWFP_CLI_FLAG(struct replay_cli, m)

/* The options, in --help order. A new option is one entry: a shared setter
 * (cli/options.h: string, flag, size, list ...) or a set_* above. */
static const owfp_cli_opt options[] = {
	{"interface", 'i', "IFACE", STRING(o.live_iface),
	 "capture live on IFACE (lo, eth0, any, ...) instead of reading\n"
	 "files, until Ctrl-C or SIGTERM, then the same summary,\n"
	 "--extract and --events (flows still open end 'open').\n"
	 "Says \"listening on IFACE, ...\" on stderr once capturing.\n"
	 "Observed, not enforced: the traffic is not in our path, so\n"
	 "BLOCK, DROP and DEFER change what is reported and extracted,\n"
	 "not what the hosts exchange (openwfp proxy enforces)"},
	{"bpf", 0, "EXPR", STRING(o.bpf),
	 "with -i: capture only what this BPF expression accepts\n"
	 "(tcpdump's syntax, e.g. 'tcp port 80')"},
	{"config", 'c', "FILE", OWFP_CLI_CONFIG(struct replay_cli, o.config_path),
	 "filter configuration (YAML or JSON: sublayers, callouts and\n"
	 "their parameters, filters); see docs/configuration.md"},
	{"callout", 0, "PLUGIN.so", OWFP_CLI_ADD(struct replay_cli, plugins),
	 "load a callout plugin (repeatable); its DriverEntry\n"
	 "registers callouts and adds filters"},
	{"driver-param", 0, "DRIVER.VALUE=DATA", OWFP_CLI_DRIVER_PARAM(struct replay_cli, dparams),
	 "\na value of a driver's Parameters registry key (repeatable;\n"
	 "over the configuration's): DATA is dword:N, sz:TEXT,\n"
	 "multi_sz:A,B, binary:HEX, or a number / text; DRIVER is a\n"
	 "drivers: name or a plugin's file name without .so"},
	{"process", 0, "PORT=[PID:]PATH", set_process, 0,
	 "\nflows whose local port is PORT belong to program PATH\n"
	 "(process id PID): ALE_FLOW_ESTABLISHED then carries\n"
	 "PROCESS_PATH/ALE_APP_ID (and PROCESS_ID); repeatable"},
	{"extract", 0, "DIR", STRING(o.extract_dir),
	 "write, for every flow direction, the bytes its receiver got\n"
	 "after filtering, to DIR/SRC.SPORT-DST.DPORT (~2, ~3 for a\n"
	 "reused 5-tuple), plus DIR/flows.tsv (flow_id src sport dst\n"
	 "dport bytes sha256 end; end is fin|rst|drop|open|timeout)"},
	{"metrics-file", 0, "FILE", STRING(metrics_file),
	 "the final counters in the Prometheus text format\n"
	 "(node-exporter textfile collector; written atomically)"},
	{"events", 0, "FILE", STRING(o.events_path),
	 "JSON Lines, one object per event: flow_start, flow_end,\n"
	 "decision, need_more_data, drop, defer, continue, allow,\n"
	 "inject, missed, violation, limit ('-' for stdout)"},
	{"json", 0, NULL, FLAG(json), "print the final summary as one JSON object instead of text"},
	{"local", 0, "client|server|ADDR[/PREFIX]", set_local, AT(o, owfp_replay_opts),
	 "\nwhich endpoint is the local host (default: client, the side\n"
	 "that sent the SYN). It sets the local/remote fields, the\n"
	 "connection DIRECTION and RECEIVE vs SEND: DEFER applies to\n"
	 "data arriving at the local host. With ADDR, a flow's client\n"
	 "is local if inside the prefix, else its server if inside,\n"
	 "else the client."},
	{"drain-timeout", 0, "SECONDS", set_drain, AT(o.drain_timeout_ms, uint64_t),
	 "\nat the end of a capture, wait up to this long for deferred\n"
	 "streams to be continued and injections to complete before\n"
	 "ending the flows (default 5; bytes still held are reported)"},
	{"overlap", 0, "first|last", set_overlap, AT(o.overlap, enum owfp_capture_overlap),
	 "which copy wins when segments overlap with different\n"
	 "data (default first, as most stacks do)"},
	{"work-items", 0, "concurrent|at-turns", set_work_items, AT(o.hold_work_items, bool),
	 "\nwhen the drivers' work items run: concurrent (default, on\n"
	 "worker threads as they are queued, as on Windows) or at-turns\n"
	 "(held until a direction turn or the end of the capture, so a\n"
	 "run does not depend on thread timing; 1,024 held items let\n"
	 "the oldest run)"},
	{"verify-checksums", 0, NULL, FLAG(o.verify_checksums),
	 "drop IPv4 headers and TCP segments with bad checksums\n"
	 "(default: not checked; sending hosts offload them)"},
	{"no-read-ahead", 0, NULL, FLAG(o.no_read_ahead),
	 "read the capture in line instead of on a second thread\n"
	 "(less CPU in all, more wall time; see docs/reassembly.md)"},
	{"workers", 0, "N", set_workers, AT(o.workers, unsigned),
	 "drive the flows on N threads, sharded by address and port\n"
	 "(default 1); events, flows.tsv, --extract and the summary\n"
	 "are the same for every N (docs/replay.md, \"Workers\")"},
	{"segments", 0, NULL, FLAG(o.segments),
	 "one indication per captured segment (default: consecutive\n"
	 "in-order segments merged, as a receiving stack does; Q19)"},
	{"resegment", 0, "N", set_resegment, AT(resegment, unsigned long),
	 "the segmentation check: replay every flow once as captured,\n"
	 "then N more times cut into different random segments (1 byte\n"
	 "to 64 KiB), and report every flow whose delivered bytes or\n"
	 "callout decisions differ, with the seed and segments that show\n"
	 "it (exit status 3 when any differ)"},
	{"seed", 0, "S", set_seed, AT(seed, unsigned long long),
	 "first seed of --resegment (default 1); run k uses S+k-1"},
	{"strict-asserts", 0, NULL, OWFP_CLI_STRICT,
	 "a failed NT_ASSERT or a bug check in a plugin aborts the\n"
	 "process (for a debugger) instead of dropping that flow"},
	{"quiet", 'q', NULL, OWFP_CLI_QUIET(struct replay_cli, o.verbosity),
	 "no summary, no notices: only errors"},
	{"verbose", 'v', NULL, OWFP_CLI_VERBOSE(struct replay_cli, o.verbosity),
	 "more detail from the engine (repeat for debug)"},
	OWFP_CLI_HELP,
	{0},
};

static const owfp_cli_spec spec = {
	.cmd = "replay",
	.head = "Usage: openwfp replay [options] CAPTURE...     (CAPTURE may be - for stdin)\n"
		"       openwfp replay [options] -i IFACE [--bpf EXPR]     (live capture)\n"
		"\n"
		"Reads pcap/pcapng captures, rebuilds every TCP stream as the receiving host saw\n"
		"it, runs it through the configured WFP stream callouts and reports what every\n"
		"callout decided and what every receiver got. Without -c or --callout, the\n"
		"built-in 'count' inspection callout runs on both stream layers and changes nothing.\n"
		"\n"
		"Options:\n",
	.opts = options,
	.column = 25,
	.tail = "\n"
		"Examples:\n"
		"  openwfp replay capture.pcap\n"
		"  openwfp replay -c examples/demo.yaml --extract out/ examples/demo.pcap\n"
		"  openwfp replay --callout ./mycallout.so --events ev.jsonl --local server cap.pcapng\n"
		"  openwfp replay -i eth0 --bpf 'tcp port 80' -c filters.yaml --extract out/\n"
		"  tcpdump -U -w - -i lo port 80 | openwfp replay --json -\n"
		"  openwfp replay --callout ./mycallout.so --resegment 20 --seed 7 cap.pcap\n"
		"  openwfp replay -c monitor.yaml --driver-param msnmntr.Trace=1 \\\n"
		"      --process 40000=1234:/usr/bin/curl cap.pcap\n"
		"\n"
		"Exit status: 0 done, 1 bad input (capture, configuration or plugin; the message\n"
		"names the file and, for captures, the record number), 2 bad usage, 3 --resegment\n"
		"found flows that depend on segmentation, 130 when interrupted (SIGINT/SIGTERM:\n"
		"reading stops, the summary covers what was read). A live capture (-i) ends\n"
		"with 0 on SIGINT/SIGTERM, its normal end.\n",
	.in_order = 1,
};

/* What no single option can check; sets the captures. Returns -1 to go on,
 * or the usage error's exit status. */
static int check(struct replay_cli *c, int argc, char **argv)
{
	owfp_replay_opts *o = &c->o;

	if (o->bpf && !o->live_iface)
		return owfp_cli_usage_error("replay",
					    "--bpf filters a live capture (-i IFACE); for "
					    "a file: tcpdump -r FILE -w - 'EXPR' | openwfp replay -");
	if (o->live_iface && (optind < argc || c->resegment))
		return owfp_cli_usage_error("replay",
					    "-i %s captures live: it takes no CAPTURE file "
					    "and no --resegment",
					    o->live_iface);
	if (optind >= argc && !o->live_iface)
		return owfp_cli_usage_error("replay", "expected at least one CAPTURE (or -i IFACE)");
	o->captures = (const char *const *)(argv + optind);
	o->ncaptures = (size_t)(argc - optind);
	if (c->resegment &&
	    (o->extract_dir || o->events_path || c->json || !strcmp(o->captures[0], "-")))
		return owfp_cli_usage_error("replay", "--resegment works on capture files and "
						      "takes no --extract, --events or --json");
	return -1;
}

static int resegment(struct replay_cli *c)
{
	owfp_error err = {{0}};
	int status = owfp_replay_resegment(&c->o, (unsigned)c->resegment, c->seed, stdout, &err);

	if (status == OWFP_REPLAY_BAD_INPUT) {
		fprintf(stderr, "openwfp replay: %s\n", err.msg);
		return OWFP_EXIT_INPUT;
	}
	return status;
}

/* Set by SIGINT/SIGTERM: replay stops reading and still reports. */
static volatile int interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int replay(struct replay_cli *c)
{
	owfp_error err = {{0}};
	owfp_replay_report *r = NULL;
	struct sigaction sa, old_int, old_term;
	int status;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	c->o.stop = &interrupted;
	status = owfp_replay_run(&c->o, &r, &err);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (r && c->metrics_file && owfp_replay_metrics_write(r, c->metrics_file, &err) &&
	    status == OWFP_REPLAY_OK)
		status = OWFP_REPLAY_BAD_INPUT; /* err says which file and why */
	if (r) {
		if (c->json)
			owfp_replay_report_print_json(r, stdout);
		else if (c->o.verbosity >= 0)
			owfp_replay_report_print(r, stdout);
		fflush(stdout);
		owfp_replay_report_free(r);
	}
	if (status == OWFP_REPLAY_OK)
		return OWFP_EXIT_OK;
	fprintf(stderr, "openwfp replay: %s\n", err.msg);
	return status == OWFP_REPLAY_STOPPED ? 128 + SIGINT : OWFP_EXIT_INPUT;
}

int owfp_cmd_replay(int argc, char **argv)
{
	struct replay_cli c = {.seed = 1};
	int rc = OWFP_EXIT_INPUT;

	owfp_replay_opts_init(&c.o);
	/* --callout paths, then --driver-param texts, in one block. */
	c.plugins.items = owfp_calloc(2 * ((size_t)argc + 1), sizeof(*c.plugins.items));
	c.procs = owfp_calloc((size_t)argc + 1, sizeof(*c.procs));
	if (c.plugins.items && c.procs) {
		c.dparams.items = c.plugins.items + argc + 1;
		c.o.processes = c.procs;
		rc = owfp_cli_parse(&spec, argc, argv, &c);
		if (rc < 0)
			rc = check(&c, argc, argv);
	}
	if (rc < 0) {
		c.o.plugins = c.plugins.items;
		c.o.nplugins = c.plugins.n;
		c.o.driver_params = c.dparams.items;
		c.o.ndriver_params = c.dparams.n;
		c.o.progress = c.o.verbosity >= 0 && isatty(STDERR_FILENO);
		rc = c.resegment ? resegment(&c) : replay(&c);
	}
	free(c.plugins.items);
	free(c.procs);
	return rc;
}
