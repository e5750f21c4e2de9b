/* openwfp replay [options] CAPTURE...: the command line of src/replay. */
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "openwfp/openwfp.h"
#include "openwfp/openwfp_wpp.h"
#include "replay/replay.h"
#include "replay/resegment.h"
#include "config/drivers.h"
#include "util/alloc.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: openwfp replay [options] CAPTURE...     (CAPTURE may be - for stdin)\n"
		"       openwfp replay [options] -i IFACE [--bpf EXPR]     (live capture)\n"
		"\n"
		"Reads pcap/pcapng captures, rebuilds every TCP stream as the receiving host saw\n"
		"it, runs it through the configured WFP stream callouts and reports what every\n"
		"callout decided and what every receiver got. Without -c or --callout, the\n"
		"built-in 'count' inspection callout runs on both stream layers and changes nothing.\n"
		"\n"
		"Options:\n"
		"  -i, --interface IFACE  capture live on IFACE (lo, eth0, any, ...) instead of reading\n"
		"                         files, until Ctrl-C or SIGTERM, then the same summary,\n"
		"                         --extract and --events (flows still open end 'open').\n"
		"                         Says \"listening on IFACE, ...\" on stderr once capturing.\n"
		"                         Observed, not enforced: the traffic is not in our path, so\n"
		"                         BLOCK, DROP and DEFER change what is reported and extracted,\n"
		"                         not what the hosts exchange (openwfp proxy enforces)\n"
		"      --bpf EXPR         with -i: capture only what this BPF expression accepts\n"
		"                         (tcpdump's syntax, e.g. 'tcp port 80')\n"
		"  -c, --config FILE      filter configuration (YAML or JSON: sublayers, callouts and\n"
		"                         their parameters, filters); see docs/configuration.md\n"
		"      --callout PLUGIN.so  load a callout plugin (repeatable); its DriverEntry\n"
		"                         registers callouts and adds filters\n"
		"      --driver-param DRIVER.VALUE=DATA\n"
		"                         a value of a driver's Parameters registry key (repeatable;\n"
		"                         over the configuration's): DATA is dword:N, sz:TEXT,\n"
		"                         multi_sz:A,B, binary:HEX, or a number / text; DRIVER is a\n"
		"                         drivers: name or a plugin's file name without .so\n"
		"      --process PORT=[PID:]PATH\n"
		"                         flows whose local port is PORT belong to program PATH\n"
		"                         (process id PID): ALE_FLOW_ESTABLISHED then carries\n"
		"                         PROCESS_PATH/ALE_APP_ID (and PROCESS_ID); repeatable\n"
		"      --extract DIR      write, for every flow direction, the bytes its receiver got\n"
		"                         after filtering, to DIR/SRC.SPORT-DST.DPORT (~2, ~3 for a\n"
		"                         reused 5-tuple), plus DIR/flows.tsv (flow_id src sport dst\n"
		"                         dport bytes sha256 end; end is fin|rst|drop|open|timeout)\n"
		"      --events FILE      JSON Lines, one object per event: flow_start, flow_end,\n"
		"                         decision, need_more_data, drop, defer, continue, allow,\n"
		"                         inject, missed, violation, limit ('-' for stdout)\n"
		"      --json             print the final summary as one JSON object instead of text\n"
		"      --local client|server|ADDR[/PREFIX]\n"
		"                         which endpoint is the local host (default: client, the side\n"
		"                         that sent the SYN). It sets the local/remote fields, the\n"
		"                         connection DIRECTION and RECEIVE vs SEND: DEFER applies to\n"
		"                         data arriving at the local host. With ADDR, a flow's client\n"
		"                         is local if inside the prefix, else its server if inside,\n"
		"                         else the client.\n"
		"      --drain-timeout SECONDS\n"
		"                         at the end of a capture, wait up to this long for deferred\n"
		"                         streams to be continued and injections to complete before\n"
		"                         ending the flows (default 5; bytes still held are reported)\n"
		"      --overlap first|last  which copy wins when segments overlap with different\n"
		"                         data (default first, as most stacks do)\n"
		"      --verify-checksums drop IPv4 headers and TCP segments with bad checksums\n"
		"                         (default: not checked; sending hosts offload them)\n"
		"      --no-read-ahead    read the capture in line instead of on a second thread\n"
		"                         (less CPU in all, more wall time; see docs/reassembly.md)\n"
		"      --segments         one indication per captured segment (default: consecutive\n"
		"                         in-order segments merged, as a receiving stack does; Q19)\n"
		"      --resegment N      the segmentation check: replay every flow once as captured,\n"
		"                         then N more times cut into different random segments (1 byte\n"
		"                         to 64 KiB), and report every flow whose delivered bytes or\n"
		"                         callout decisions differ, with the seed and segments that show\n"
		"                         it (exit status 3 when any differ)\n"
		"      --seed S           first seed of --resegment (default 1); run k uses S+k-1\n"
		"      --strict-asserts   a failed NT_ASSERT or a bug check in a plugin aborts the\n"
		"                         process (for a debugger) instead of dropping that flow\n"
		"  -q, --quiet            no summary, no notices: only errors\n"
		"  -v, --verbose          more detail from the engine (repeat for debug)\n"
		"  -h, --help             this help\n"
		"\n"
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
		"with 0 on SIGINT/SIGTERM, its normal end.\n");
}

/* Set by SIGINT/SIGTERM: replay stops reading and still reports. */
static volatile int interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

enum { OPT_CALLOUT = 256, OPT_EXTRACT, OPT_EVENTS, OPT_JSON, OPT_LOCAL, OPT_DRAIN, OPT_OVERLAP,
       OPT_VERIFY, OPT_NO_READ_AHEAD, OPT_RESEGMENT, OPT_SEED, OPT_DRIVER_PARAM, OPT_PROCESS,
	       OPT_STRICT, OPT_BPF, OPT_SEGMENTS };

/* The option arrays, freed on every way out. */
#define FREE_ARGS() (free(plugins), free(dparams), free(procs))

int owfp_cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"interface", required_argument, NULL, 'i'},
		{"bpf", required_argument, NULL, OPT_BPF},
		{"callout", required_argument, NULL, OPT_CALLOUT},
		{"extract", required_argument, NULL, OPT_EXTRACT},
		{"events", required_argument, NULL, OPT_EVENTS},
		{"json", no_argument, NULL, OPT_JSON},
		{"local", required_argument, NULL, OPT_LOCAL},
		{"drain-timeout", required_argument, NULL, OPT_DRAIN},
		{"overlap", required_argument, NULL, OPT_OVERLAP},
		{"verify-checksums", no_argument, NULL, OPT_VERIFY},
		{"no-read-ahead", no_argument, NULL, OPT_NO_READ_AHEAD},
		{"segments", no_argument, NULL, OPT_SEGMENTS},
		{"resegment", required_argument, NULL, OPT_RESEGMENT},
		{"seed", required_argument, NULL, OPT_SEED},
		{"strict-asserts", no_argument, NULL, OPT_STRICT},
		{"driver-param", required_argument, NULL, OPT_DRIVER_PARAM},
		{"process", required_argument, NULL, OPT_PROCESS},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	owfp_replay_opts o;
	bool json = false;
	unsigned long resegment = 0;
	unsigned long long seed = 1;
	const char **plugins = owfp_calloc((size_t)argc + 1, sizeof(*plugins));
	const char **dparams = owfp_calloc((size_t)argc + 1, sizeof(*dparams));
	owfp_replay_process *procs = owfp_calloc((size_t)argc + 1, sizeof(*procs));
	int c, status;
	char *end;

	if (!plugins || !dparams || !procs) {
		FREE_ARGS();
		return OWFP_EXIT_INPUT;
	}
	owfp_replay_opts_init(&o);
	o.plugins = plugins;
	o.driver_params = dparams;
	o.processes = procs;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+c:i:qvh", longopts, NULL)) != -1) {
		/* Options that read optarg all require an argument, so getopt set
		 * it; the others get "" rather than NULL, which no case reads. */
		if (!optarg)
			optarg = "";
		switch (c) {
		case 'c':
			if (o.config_path) {
				FREE_ARGS();
				return owfp_cli_usage_error("replay", "-c/--config given twice");
			}
			o.config_path = optarg;
			break;
		case OPT_CALLOUT:
			plugins[o.nplugins++] = optarg;
			break;
		case OPT_DRIVER_PARAM: {
			owfp_error perr = {{0}};
			if (owfp_driver_param_check(optarg, &perr)) {
				FREE_ARGS();
				return owfp_cli_usage_error("replay", "%s", perr.msg);
			}
			dparams[o.ndriver_params++] = optarg;
			break;
		}
		case OPT_PROCESS:
			if (owfp_replay_parse_process(optarg, &procs[o.nprocesses])) {
				FREE_ARGS();
				return owfp_cli_usage_error("replay", "--process '%s': expected "
							    "PORT=PATH or PORT=PID:PATH with an "
							    "absolute PATH (e.g. 40000=/usr/bin/curl)",
							    optarg);
			}
			o.nprocesses++;
			break;
		case 'i':
			o.live_iface = optarg;
			break;
		case OPT_BPF:
			o.bpf = optarg;
			break;
		case OPT_EXTRACT:
			o.extract_dir = optarg;
			break;
		case OPT_EVENTS:
			o.events_path = optarg;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_LOCAL:
			if (owfp_replay_parse_local(optarg, &o)) {
				FREE_ARGS();
				return owfp_cli_usage_error("replay", "--local '%s': expected client, server "
							    "or ADDR[/PREFIX]", optarg);
			}
			break;
		case OPT_DRAIN: {
			double s = strtod(optarg, &end);
			if (end == optarg || *end || !isfinite(s) || s < 0 || s > 86400) {
				FREE_ARGS();
				return owfp_cli_usage_error("replay", "--drain-timeout '%s': expected "
							    "seconds (0..86400, e.g. 5 or 0.5)", optarg);
			}
			o.drain_timeout_ms = (uint64_t)(s * 1000.0 + 0.5);
			break;
		}
		case OPT_OVERLAP:
			if (!strcmp(optarg, "first")) {
				o.overlap = OWFP_CAPTURE_OVERLAP_FIRST;
			} else if (!strcmp(optarg, "last")) {
				o.overlap = OWFP_CAPTURE_OVERLAP_LAST;
			} else {
				FREE_ARGS();
				return owfp_cli_usage_error("replay", "--overlap '%s': expected first or last",
							    optarg);
			}
			break;
		case OPT_VERIFY:
			o.verify_checksums = true;
			break;
		case OPT_NO_READ_AHEAD:
			o.no_read_ahead = true;
			break;
		case OPT_SEGMENTS:
			o.segments = true;
			break;
		case OPT_RESEGMENT:
			resegment = strtoul(optarg, &end, 10);
			if (end == optarg || *end || resegment < 1 || resegment > 100000) {
				FREE_ARGS();
				return owfp_cli_usage_error("replay", "--resegment '%s': expected a number "
							    "of runs (1..100000)", optarg);
			}
			break;
		case OPT_SEED:
			seed = strtoull(optarg, &end, 0);
			if (end == optarg || *end) {
				FREE_ARGS();
				return owfp_cli_usage_error("replay", "--seed '%s': expected a number",
							    optarg);
			}
			break;
		case OPT_STRICT:
			owfp_contain_set_strict(true);
			break;
		case 'q':
			o.verbosity = -1;
			break;
		case 'v':
			owfp_wpp_set_enabled(true); /* drivers' WPP traces: log lines at -v */
			if (o.verbosity >= 0)
				o.verbosity++;
			break;
		case 'h':
			help(stdout);
			FREE_ARGS();
			return OWFP_EXIT_OK;
		default:
			FREE_ARGS();
			if (optopt && optopt < 256 && c == '?')
				return owfp_cli_usage_error("replay", "option needs an argument or is "
							    "unknown: '%s'", argv[optind - 1]);
			return owfp_cli_usage_error("replay", "unknown option or missing argument: '%s'",
						    argv[optind - 1]);
		}
	}
	if (o.bpf && !o.live_iface) {
		FREE_ARGS();
		return owfp_cli_usage_error("replay", "--bpf filters a live capture (-i IFACE); for "
					    "a file: tcpdump -r FILE -w - 'EXPR' | openwfp replay -");
	}
	if (o.live_iface && (optind < argc || resegment)) {
		FREE_ARGS();
		return owfp_cli_usage_error("replay", "-i %s captures live: it takes no CAPTURE file "
					    "and no --resegment", o.live_iface);
	}
	if (optind >= argc && !o.live_iface) {
		FREE_ARGS();
		return owfp_cli_usage_error("replay", "expected at least one CAPTURE (or -i IFACE)");
	}
	o.captures = (const char *const *)(argv + optind);
	o.ncaptures = (size_t)(argc - optind);
	o.progress = o.verbosity >= 0 && isatty(STDERR_FILENO);

	owfp_error err = {{0}};
	if (resegment) {
		if (o.extract_dir || o.events_path || json || !strcmp(o.captures[0], "-")) {
			FREE_ARGS();
			return owfp_cli_usage_error("replay", "--resegment works on capture files and "
						    "takes no --extract, --events or --json");
		}
		status = owfp_replay_resegment(&o, (unsigned)resegment, seed, stdout, &err);
		FREE_ARGS();
		if (status == OWFP_REPLAY_BAD_INPUT) {
			fprintf(stderr, "openwfp replay: %s\n", err.msg);
			return OWFP_EXIT_INPUT;
		}
		return status;
	}
	owfp_replay_report *r = NULL;
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	o.stop = &interrupted;
	status = owfp_replay_run(&o, &r, &err);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (r) {
		if (json)
			owfp_replay_report_print_json(r, stdout);
		else if (o.verbosity >= 0)
			owfp_replay_report_print(r, stdout);
		fflush(stdout);
		owfp_replay_report_free(r);
	}
	FREE_ARGS();
	if (status == OWFP_REPLAY_STOPPED) {
		fprintf(stderr, "openwfp replay: %s\n", err.msg);
		return 128 + SIGINT;
	}
	if (status != OWFP_REPLAY_OK) {
		fprintf(stderr, "openwfp replay: %s\n", err.msg);
		return OWFP_EXIT_INPUT;
	}
	return OWFP_EXIT_OK;
}
