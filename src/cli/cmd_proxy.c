/* openwfp proxy [options]: the command line of src/proxy. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "openwfp/openwfp.h"
#include "config/drivers.h"
#include "openwfp/openwfp_wpp.h"
#include "proxy/app.h"
#include "util/alloc.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: openwfp proxy --listen ADDR:PORT --upstream ADDR:PORT [options]\n"
		"       openwfp proxy --transparent --listen ADDR:PORT [options]\n"
		"\n"
		"Puts the WFP stream callouts in the path of live TCP connections: every accepted\n"
		"connection is paired with a connection to the upstream (explicit) or to its\n"
		"original destination (transparent), and its bytes flow through the stream layer\n"
		"in both directions, so each stream action has its real effect. Without -c or\n"
		"--callout, the built-in 'count' inspection callout runs and changes nothing.\n"
		"\n"
		"Options:\n"
		"      --listen ADDR:PORT     where to accept (IPv4 1.2.3.4:80 or IPv6 [::1]:80;\n"
		"                             port 0 picks one, printed at start)\n"
		"      --upstream ADDR:PORT   where every accepted connection goes (explicit mode)\n"
		"      --transparent          the original destination is the upstream: TPROXY\n"
		"                             (IP_TRANSPARENT listener, the accepted socket's local\n"
		"                             address) or REDIRECT/DNAT (SO_ORIGINAL_DST); needs\n"
		"                             CAP_NET_ADMIN\n"
		"      --spoof-source         with TPROXY, connect upstream from the client's address\n"
		"                             (the return route must lead back through this host)\n"
		"  -c, --config FILE          filter configuration (YAML or JSON), as for replay\n"
		"      --callout PLUGIN.so    load a callout plugin (repeatable)\n"
		"      --driver-param DRIVER.VALUE=DATA\n"
		"                             a value of a driver's Parameters registry key\n"
		"                             (repeatable; over the configuration's): DATA is\n"
		"                             dword:N, sz:TEXT, multi_sz:A,B, binary:HEX, or a\n"
		"                             number / text\n"
		"      --workers N            event-loop threads, each with its own SO_REUSEPORT\n"
		"                             listener (default: number of CPUs)\n"
		"      --local client|server  which side plays the local host (default client: data\n"
		"                             from the upstream is inbound, so DEFER slows the\n"
		"                             upstream; server: data from clients is inbound)\n"
		"      --control PATH         unix socket for `openwfp filters` and `openwfp stats`\n"
		"                             (mode 0600; only our uid or root may connect)\n"
		"      --events FILE          JSON Lines: the engine events as replay writes them, plus\n"
		"                             proxy_accept, proxy_upstream_error, proxy_offload,\n"
		"                             proxy_limit, proxy_close ('-' for stdout)\n"
		"      --drain-timeout SECONDS  after SIGTERM, how long open connections may take to\n"
		"                             finish before they are reset (default 10)\n"
		"      --queue-high BYTES     per connection and direction: stop reading the source\n"
		"                             while this much waits for the destination (default 1M)\n"
		"      --flow-limit BYTES     per connection and direction: hard cap on queued bytes;\n"
		"                             past it the connection is reset (default 16M)\n"
		"      --global-limit BYTES   all queued bytes in the process: past it the connection\n"
		"                             that queues is reset and, above 90%%, new connections\n"
		"                             are refused (default 512M)\n"
		"      --user NAME            after binding and loading, switch to this user for good\n"
		"                             (all threads). No capability is kept, except\n"
		"                             CAP_NET_ADMIN and CAP_NET_RAW with --spoof-source\n"
		"                             (each upstream socket needs IP_TRANSPARENT). The\n"
		"                             control socket is then created as that user\n"
		"      --max-connections N    proxied connections at once; past it a new connection\n"
		"                             is reset at accept (fail closed; default 65536)\n"
		"      --read-size BYTES      bytes per recv(), the largest indication (default 256K)\n"
		"      --offload MODE         how an allowed flow moves: sockmap (BPF redirect in the\n"
		"                             kernel; fails the start where it cannot load),\n"
		"                             splice (default) or none (stays copied)\n"
		"      --pipe-size BYTES      splice pipe per direction of an offloaded flow (default 256K,\n"
		"                             capped by /proc/sys/fs/pipe-max-size)\n"
		"      --connect-timeout SECONDS  upstream connect timeout (default 10)\n"
		"      --idle-timeout SECONDS  reset a connection when no byte moved either way for\n"
		"                             this long (default 300; 0: never)\n"
		"      --half-closed-timeout SECONDS  the same once a peer sent its FIN (default 60,\n"
		"                             at most --idle-timeout; 0: --idle-timeout applies)\n"
		"      --keepalive SECONDS    TCP keepalive on both sockets: first probe after this\n"
		"                             idle time, then every 10 s, 6 probes (default 60; 0: off)\n"
		"      --poll-spin N          a busy worker (its last sleep was under 200 us) polls\n"
		"                             up to N times, yielding the CPU between polls, before\n"
		"                             it sleeps (default 32; 0: sleep at once)\n"
		"      --defer-timeout SECONDS  a callout that defers (FWPS_STREAM_ACTION_DEFER) and\n"
		"                             does not call FwpsStreamContinue0 within this time has\n"
		"                             its connection reset (fail closed; default 60)\n"
		"      --strict-asserts       a failed NT_ASSERT or a bug check in a plugin aborts\n"
		"                             (for a debugger) instead of dropping that flow\n"
		"  -q, --quiet                only errors\n"
		"  -v, --verbose              more engine messages (repeat for debug)\n"
		"  -h, --help                 this help\n"
		"\n"
		"Signals: SIGTERM/SIGINT drain (stop accepting, let connections finish, exit 0);\n"
		"SIGHUP reloads -c FILE atomically (a bad file is rejected, the old one stays).\n"
		"\n"
		"Examples:\n"
		"  openwfp proxy --listen 127.0.0.1:8080 --upstream 127.0.0.1:80\n"
		"  openwfp proxy --listen [::]:8443 --upstream [2001:db8::1]:443 -c sni.yaml \\\n"
		"      --control /run/openwfp.sock --events /var/log/openwfp.jsonl\n"
		"  openwfp proxy --transparent --listen 0.0.0.0:15001 --callout ./mycallout.so\n"
		"\n"
		"Exit status: 0 after a drain, 1 bad input or setup failure, 2 bad usage.\n"
		"See docs/proxy.md.\n");
}

/* "64K", "16M", "1G" or a plain byte count. */
static int parse_size(const char *s, size_t *out)
{
	char *end;
	double v = strtod(s, &end);
	double mul = 1;

	if (end == s || !isfinite(v) || v < 0)
		return -1;
	if (*end == 'K' || *end == 'k')
		mul = 1024, end++;
	else if (*end == 'M' || *end == 'm')
		mul = 1024.0 * 1024, end++;
	else if (*end == 'G' || *end == 'g')
		mul = 1024.0 * 1024 * 1024, end++;
	if (*end || v * mul < 1 || v * mul > 64.0 * 1024 * 1024 * 1024)
		return -1;
	*out = (size_t)(v * mul);
	return 0;
}

static int parse_seconds(const char *s, unsigned *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !isfinite(v) || v < 0 || v > 86400)
		return -1;
	*ms = (unsigned)(v * 1000.0 + 0.5);
	return 0;
}

enum { OPT_LISTEN = 256, OPT_UPSTREAM, OPT_TRANSPARENT, OPT_SPOOF, OPT_CALLOUT, OPT_WORKERS,
       OPT_LOCAL, OPT_CONTROL, OPT_EVENTS, OPT_DRAIN, OPT_QHIGH, OPT_FLOWLIM, OPT_GLOBLIM,
       OPT_READSZ, OPT_CONNTO, OPT_PIPESZ, OPT_MAXCONN, OPT_USER,
	       OPT_DEFERTO, OPT_POLLSPIN, OPT_IDLETO, OPT_HALFTO, OPT_KEEPALIVE, OPT_STRICT, OPT_OFFLOAD,
	       OPT_DRIVER_PARAM };

int owfp_cmd_proxy(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"listen", required_argument, NULL, OPT_LISTEN},
		{"upstream", required_argument, NULL, OPT_UPSTREAM},
		{"transparent", no_argument, NULL, OPT_TRANSPARENT},
		{"spoof-source", no_argument, NULL, OPT_SPOOF},
		{"config", required_argument, NULL, 'c'},
		{"callout", required_argument, NULL, OPT_CALLOUT},
		{"driver-param", required_argument, NULL, OPT_DRIVER_PARAM},
		{"workers", required_argument, NULL, OPT_WORKERS},
		{"local", required_argument, NULL, OPT_LOCAL},
		{"control", required_argument, NULL, OPT_CONTROL},
		{"events", required_argument, NULL, OPT_EVENTS},
		{"drain-timeout", required_argument, NULL, OPT_DRAIN},
		{"queue-high", required_argument, NULL, OPT_QHIGH},
		{"flow-limit", required_argument, NULL, OPT_FLOWLIM},
		{"global-limit", required_argument, NULL, OPT_GLOBLIM},
		{"read-size", required_argument, NULL, OPT_READSZ},
		{"pipe-size", required_argument, NULL, OPT_PIPESZ},
		{"connect-timeout", required_argument, NULL, OPT_CONNTO},
		{"defer-timeout", required_argument, NULL, OPT_DEFERTO},
		{"idle-timeout", required_argument, NULL, OPT_IDLETO},
		{"half-closed-timeout", required_argument, NULL, OPT_HALFTO},
		{"keepalive", required_argument, NULL, OPT_KEEPALIVE},
		{"max-connections", required_argument, NULL, OPT_MAXCONN},
		{"user", required_argument, NULL, OPT_USER},
		{"poll-spin", required_argument, NULL, OPT_POLLSPIN},
		{"strict-asserts", no_argument, NULL, OPT_STRICT},
		{"offload", required_argument, NULL, OPT_OFFLOAD},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	owfp_proxy_app_opts o = { 0 };
	/* --callout paths, then --driver-param texts, in one block freed once. */
	const char **plugins = owfp_calloc(2 * ((size_t)argc + 1), sizeof(*plugins));
	const char **dparams = plugins ? plugins + argc + 1 : NULL;
	bool have_listen = false, have_upstream = false;
	owfp_error err = { { 0 } };
	int c, rc = OWFP_EXIT_OK;
	char *end;

	if (!plugins)
		return OWFP_EXIT_INPUT;
	o.plugins = plugins;
	o.driver_params = dparams;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+c:qvh", longopts, NULL)) != -1) {
		/* Options that read optarg all require an argument, so getopt set
		 * it; the others get "" rather than NULL, which no case reads. */
		if (!optarg)
			optarg = "";
		switch (c) {
		case OPT_LISTEN:
			if (owfp_proxy_addr_parse(optarg, &o.proxy.listen, &err))
				goto usage_err;
			have_listen = true;
			break;
		case OPT_UPSTREAM:
			if (owfp_proxy_addr_parse(optarg, &o.proxy.upstream, &err))
				goto usage_err;
			have_upstream = true;
			break;
		case OPT_TRANSPARENT:
			o.proxy.transparent = true;
			break;
		case OPT_SPOOF:
			o.proxy.spoof_source = true;
			break;
		case 'c':
			if (o.config_path) {
				snprintf(err.msg, sizeof(err.msg), "-c/--config given twice");
				goto usage_err;
			}
			o.config_path = optarg;
			break;
		case OPT_CALLOUT:
			plugins[o.nplugins++] = optarg;
			break;
		case OPT_DRIVER_PARAM:
			if (owfp_driver_param_check(optarg, &err))
				goto usage_err;
			dparams[o.ndriver_params++] = optarg;
			break;
		case OPT_WORKERS: {
			long n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > 1024) {
				snprintf(err.msg, sizeof(err.msg), "--workers '%s': expected 1..1024", optarg);
				goto usage_err;
			}
			o.proxy.workers = (int)n;
			break;
		}
		case OPT_LOCAL:
			if (!strcmp(optarg, "client")) {
				o.proxy.local = OWFP_PROXY_LOCAL_CLIENT;
			} else if (!strcmp(optarg, "server")) {
				o.proxy.local = OWFP_PROXY_LOCAL_SERVER;
			} else {
				snprintf(err.msg, sizeof(err.msg), "--local '%s': expected client or server",
					 optarg);
				goto usage_err;
			}
			break;
		case OPT_CONTROL:
			o.control_path = optarg;
			break;
		case OPT_EVENTS:
			o.events_path = optarg;
			break;
		case OPT_IDLETO:
		case OPT_HALFTO:
		case OPT_KEEPALIVE: {
			unsigned ms;
			if (parse_seconds(optarg, &ms) || (c == OPT_KEEPALIVE && ms % 1000)) {
				snprintf(err.msg, sizeof(err.msg), "'%s': expected %sseconds (0..86400)", optarg,
					 c == OPT_KEEPALIVE ? "whole " : "");
				goto usage_err;
			}
			/* 0 turns it off; the option struct's 0 means "the default" */
			if (c == OPT_IDLETO)
				o.proxy.idle_timeout_ms = ms ? ms : OWFP_PROXY_NO_TIMEOUT;
			else if (c == OPT_HALFTO)
				o.proxy.half_closed_timeout_ms = ms ? ms : OWFP_PROXY_NO_TIMEOUT;
			else
				o.proxy.keepalive_s = ms ? ms / 1000 : OWFP_PROXY_NO_TIMEOUT;
			break;
		}
		case OPT_DRAIN:
		case OPT_DEFERTO:
		case OPT_CONNTO: {
			unsigned ms;
			if (parse_seconds(optarg, &ms)) {
				snprintf(err.msg, sizeof(err.msg), "'%s': expected seconds (0..86400)", optarg);
				goto usage_err;
			}
			if (c == OPT_DRAIN)
				o.drain_timeout_ms = ms ? ms : 1;
			else if (c == OPT_DEFERTO)
				o.defer_timeout_ms = ms ? ms : 1;
			else
				o.proxy.connect_timeout_ms = ms ? ms : 1;
			break;
		}
		case OPT_USER:
			o.user = optarg;
			break;
		case OPT_MAXCONN: {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || v == 0 || v > 10000000ul) {
				snprintf(err.msg, sizeof(err.msg),
					 "--max-connections '%s': expected a count from 1 to 10000000", optarg);
				goto usage_err;
			}
			o.proxy.max_connections = (uint64_t)v;
			break;
		}
		case OPT_POLLSPIN: {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 0 || v > 1000) {
				snprintf(err.msg, sizeof(err.msg),
					 "--poll-spin '%s': expected a count from 0 (off) to 1000", optarg);
				goto usage_err;
			}
			o.proxy.poll_spin = v ? (int)v : -1;
			break;
		}
		case OPT_QHIGH:
		case OPT_FLOWLIM:
		case OPT_GLOBLIM:
		case OPT_READSZ:
		case OPT_PIPESZ: {
			size_t v;
			if (parse_size(optarg, &v)) {
				snprintf(err.msg, sizeof(err.msg),
					 "'%s': expected a byte count such as 65536, 64K, 16M or 1G", optarg);
				goto usage_err;
			}
			if (c == OPT_QHIGH)
				o.proxy.queue_high = v;
			else if (c == OPT_FLOWLIM)
				o.proxy.flow_limit = v;
			else if (c == OPT_GLOBLIM)
				o.proxy.global_limit = v;
			else if (c == OPT_READSZ)
				o.proxy.read_size = v;
			else
				o.proxy.pipe_size = v;
			break;
		}
		case OPT_OFFLOAD: {
			static const char *const modes[] = { "auto", "sockmap", "splice", "none" };
			int m = 0;
			while (m < 4 && strcmp(optarg, modes[m]))
				m++;
			if (m == 4) {
				snprintf(err.msg, sizeof(err.msg),
					 "--offload '%s': expected sockmap, splice or none", optarg);
				goto usage_err;
			}
			o.proxy.offload = (enum owfp_proxy_offload)m;
			break;
		}
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
			free(plugins);
			return OWFP_EXIT_OK;
		default:
			free(plugins);
			return owfp_cli_usage_error("proxy", "unknown option or missing argument: '%s'",
						    argv[optind - 1]);
		}
	}
	if (optind < argc) {
		snprintf(err.msg, sizeof(err.msg), "unexpected argument '%s'", argv[optind]);
		goto usage_err;
	}
	if (!have_listen) {
		snprintf(err.msg, sizeof(err.msg), "--listen ADDR:PORT is required");
		goto usage_err;
	}
	if (o.proxy.transparent == have_upstream) {
		snprintf(err.msg, sizeof(err.msg), o.proxy.transparent
			 ? "--transparent takes no --upstream (the original destination is used)"
			 : "--upstream ADDR:PORT is required (or --transparent)");
		goto usage_err;
	}
	if (o.proxy.spoof_source && !o.proxy.transparent) {
		snprintf(err.msg, sizeof(err.msg), "--spoof-source needs --transparent");
		goto usage_err;
	}
	if (owfp_proxy_app_run(&o, &err)) {
		fprintf(stderr, "openwfp proxy: %s\n", err.msg);
		rc = OWFP_EXIT_INPUT;
	}
	free(plugins);
	return rc;
usage_err:
	free(plugins);
	return owfp_cli_usage_error("proxy", "%s", err.msg);
}
