/* openwfp proxy [options]: the command line of src/proxy. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "host/logprio.h"
#include "openwfp/openwfp.h"
#include "proxy/app.h"
#include "util/alloc.h"

/* What the options fill in. */
struct proxy_cli {
	owfp_proxy_app_opts o;
	owfp_cli_list plugins; /* --callout */
	owfp_cli_list dparams; /* --driver-param */
	bool have_listen, have_upstream;
};

static int set_listen(void *at, const char *arg, owfp_error *err)
{
	struct proxy_cli *c = at;

	if (owfp_proxy_addr_parse(arg, &c->o.proxy.listen, err))
		return -1;
	c->have_listen = true;
	return 0;
}

static int set_upstream(void *at, const char *arg, owfp_error *err)
{
	struct proxy_cli *c = at;

	if (owfp_proxy_addr_parse(arg, &c->o.proxy.upstream, err))
		return -1;
	c->have_upstream = true;
	return 0;
}

static int set_metrics(void *at, const char *arg, owfp_error *err)
{
	struct proxy_cli *c = at;

	if (owfp_proxy_addr_parse(arg, &c->o.metrics_addr, err))
		return -1;
	c->o.metrics = true;
	return 0;
}

static int set_offload(void *at, const char *arg, owfp_error *err)
{
	static const char *const modes[] = {"auto", "sockmap", "splice", "none"};
	struct proxy_cli *c = at;
	int m = 1; /* "auto" is the default, not a word to type */

	while (m < 4 && strcmp(arg, modes[m]))
		m++;
	if (m == 4) {
		snprintf(err->msg, sizeof(err->msg),
			 "--offload '%s': expected sockmap, splice or none", arg);
		return -1;
	}
	c->o.proxy.offload = (enum owfp_proxy_offload)m;
	return 0;
}

static int set_workers(void *at, const char *arg, owfp_error *err)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (end == arg || *end || n < 1 || n > 1024) {
		snprintf(err->msg, sizeof(err->msg), "--workers '%s': expected 1..1024", arg);
		return -1;
	}
	*(int *)at = (int)n;
	return 0;
}

static int set_local(void *at, const char *arg, owfp_error *err)
{
	enum owfp_proxy_local *local = at;

	if (!strcmp(arg, "client")) {
		*local = OWFP_PROXY_LOCAL_CLIENT;
	} else if (!strcmp(arg, "server")) {
		*local = OWFP_PROXY_LOCAL_SERVER;
	} else {
		snprintf(err->msg, sizeof(err->msg), "--local '%s': expected client or server", arg);
		return -1;
	}
	return 0;
}

/* Seconds into milliseconds; 0 stores `zero` (the option struct's 0
 * means "the default"). */
static int set_ms(unsigned *at, const char *arg, owfp_error *err, unsigned zero)
{
	unsigned ms;

	if (owfp_cli_parse_seconds(arg, &ms)) {
		snprintf(err->msg, sizeof(err->msg), "'%s': expected seconds (0..86400)", arg);
		return -1;
	}
	*at = ms ? ms : zero;
	return 0;
}

/* --drain-timeout, --defer-timeout, --connect-timeout: 0 means "at once" (1 ms). */
static int set_timeout(void *at, const char *arg, owfp_error *err)
{
	return set_ms(at, arg, err, 1);
}

/* --idle-timeout, --half-closed-timeout: 0 turns it off. */
static int set_timeout_or_never(void *at, const char *arg, owfp_error *err)
{
	return set_ms(at, arg, err, OWFP_PROXY_NO_TIMEOUT);
}

static int set_keepalive(void *at, const char *arg, owfp_error *err)
{
	unsigned ms;

	if (owfp_cli_parse_seconds(arg, &ms) || ms % 1000) {
		snprintf(err->msg, sizeof(err->msg), "'%s': expected whole seconds (0..86400)", arg);
		return -1;
	}
	*(unsigned *)at = ms ? ms / 1000 : OWFP_PROXY_NO_TIMEOUT;
	return 0;
}

static int set_max_connections(void *at, const char *arg, owfp_error *err)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || end == arg || v == 0 || v > 10000000ul) {
		snprintf(err->msg, sizeof(err->msg),
			 "--max-connections '%s': expected a count from 1 to 10000000", arg);
		return -1;
	}
	*(uint64_t *)at = (uint64_t)v;
	return 0;
}

static int set_poll_spin(void *at, const char *arg, owfp_error *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < 0 || v > 1000) {
		snprintf(err->msg, sizeof(err->msg),
			 "--poll-spin '%s': expected a count from 0 (off) to 1000", arg);
		return -1;
	}
	*(int *)at = v ? (int)v : -1;
	return 0;
}

#define AT(m, t) OWFP_CLI_FIELD(struct proxy_cli, m, t)
#define STRING(m) OWFP_CLI_STRING(struct proxy_cli, m)
#define FLAG(m) OWFP_CLI_FLAG(struct proxy_cli, m)
#define SIZE(m) OWFP_CLI_SIZE(struct proxy_cli, m)

/* The options, in --help order. A new option is one entry: a shared setter
 * (cli/options.h: string, flag, size, list ...) or a set_* above. */
static const owfp_cli_opt options[] = {
	{"listen", 0, "ADDR:PORT", set_listen, 0,
	 "where to accept (IPv4 1.2.3.4:80 or IPv6 [::1]:80;\n"
	 "port 0 picks one, printed at start)"},
	{"upstream", 0, "ADDR:PORT", set_upstream, 0,
	 "where every accepted connection goes (explicit mode)"},
	{"transparent", 0, NULL, FLAG(o.proxy.transparent),
	 "the original destination is the upstream: TPROXY\n"
	 "(IP_TRANSPARENT listener, the accepted socket's local\n"
	 "address) or REDIRECT/DNAT (SO_ORIGINAL_DST); needs\n"
	 "CAP_NET_ADMIN"},
	{"spoof-source", 0, NULL, FLAG(o.proxy.spoof_source),
	 "with TPROXY, connect upstream from the client's address\n"
	 "(the return route must lead back through this host)"},
	{"config", 'c', "FILE", OWFP_CLI_CONFIG(struct proxy_cli, o.config_path),
	 "filter configuration (YAML or JSON), as for replay"},
	{"callout", 0, "PLUGIN.so", OWFP_CLI_ADD(struct proxy_cli, plugins),
	 "load a callout plugin (repeatable)"},
	{"driver-param", 0, "DRIVER.VALUE=DATA", OWFP_CLI_DRIVER_PARAM(struct proxy_cli, dparams),
	 "\na value of a driver's Parameters registry key\n"
	 "(repeatable; over the configuration's): DATA is\n"
	 "dword:N, sz:TEXT, multi_sz:A,B, binary:HEX, or a\n"
	 "number / text"},
	{"workers", 0, "N", set_workers, AT(o.proxy.workers, int),
	 "event-loop threads, each with its own SO_REUSEPORT\n"
	 "listener (default: number of CPUs)"},
	{"local", 0, "client|server", set_local, AT(o.proxy.local, enum owfp_proxy_local),
	 "which side plays the local host (default client: data\n"
	 "from the upstream is inbound, so DEFER slows the\n"
	 "upstream; server: data from clients is inbound)"},
	{"control", 0, "PATH", STRING(o.control_path),
	 "unix socket for `openwfp filters` and `openwfp stats`\n"
	 "(mode 0600; only our uid or root may connect)"},
	{"metrics", 0, "ADDR:PORT", set_metrics, 0,
	 "serve Prometheus metrics at http://ADDR:PORT/metrics"},
	{"events", 0, "FILE", STRING(o.events_path),
	 "JSON Lines: the engine events as replay writes them, plus\n"
	 "proxy_accept, proxy_upstream_error, proxy_offload,\n"
	 "proxy_limit, proxy_close ('-' for stdout)"},
	{"drain-timeout", 0, "SECONDS", set_timeout, AT(o.drain_timeout_ms, unsigned),
	 "after SIGTERM, how long open connections may take to\n"
	 "finish before they are reset (default 10)"},
	{"queue-high", 0, "BYTES", SIZE(o.proxy.queue_high),
	 "per connection and direction: stop reading the source\n"
	 "while this much waits for the destination (default 1M)"},
	{"flow-limit", 0, "BYTES", SIZE(o.proxy.flow_limit),
	 "per connection and direction: hard cap on queued bytes;\n"
	 "past it the connection is reset (default 16M)"},
	{"global-limit", 0, "BYTES", SIZE(o.proxy.global_limit),
	 "every byte held for flows (queues and engine): at 3/4\n"
	 "sources are paused, past it the flow that grows is\n"
	 "reset; above 90%, new connections are refused (512M)"},
	{"user", 0, "NAME", STRING(o.user),
	 "after binding and loading, switch to this user for good\n"
	 "(all threads). No capability is kept, except\n"
	 "CAP_NET_ADMIN and CAP_NET_RAW with --spoof-source\n"
	 "(each upstream socket needs IP_TRANSPARENT). The\n"
	 "control socket is then created as that user"},
	{"max-connections", 0, "N", set_max_connections, AT(o.proxy.max_connections, uint64_t),
	 "proxied connections at once; past it a new connection\n"
	 "is reset at accept (fail closed; default 65536)"},
	{"read-size", 0, "BYTES", SIZE(o.proxy.read_size),
	 "bytes per recv(), the largest indication (default 256K)"},
	{"offload", 0, "MODE", set_offload, 0,
	 "how an allowed flow moves: sockmap (BPF redirect in the\n"
	 "kernel; fails the start where it cannot load),\n"
	 "splice (default) or none (stays copied)"},
	{"pipe-size", 0, "BYTES", SIZE(o.proxy.pipe_size),
	 "splice pipe per direction of an offloaded flow (default 256K,\n"
	 "capped by /proc/sys/fs/pipe-max-size)"},
	{"connect-timeout", 0, "SECONDS", set_timeout, AT(o.proxy.connect_timeout_ms, unsigned),
	 "upstream connect timeout (default 10)"},
	{"idle-timeout", 0, "SECONDS", set_timeout_or_never, AT(o.proxy.idle_timeout_ms, unsigned),
	 "reset a connection when no byte moved either way for\n"
	 "this long (default 300; 0: never)"},
	{"half-closed-timeout", 0, "SECONDS", set_timeout_or_never,
	 AT(o.proxy.half_closed_timeout_ms, unsigned),
	 "the same once a peer sent its FIN (default 60,\n"
	 "at most --idle-timeout; 0: --idle-timeout applies)"},
	{"keepalive", 0, "SECONDS", set_keepalive, AT(o.proxy.keepalive_s, unsigned),
	 "TCP keepalive on both sockets: first probe after this\n"
	 "idle time, then every 10 s, 6 probes (default 60; 0: off)"},
	{"poll-spin", 0, "N", set_poll_spin, AT(o.proxy.poll_spin, int),
	 "a busy worker (its last sleep was under 200 us) polls\n"
	 "up to N times, yielding the CPU between polls, before\n"
	 "it sleeps (default 32; 0: sleep at once)"},
	{"defer-timeout", 0, "SECONDS", set_timeout, AT(o.defer_timeout_ms, unsigned),
	 "a callout that defers (FWPS_STREAM_ACTION_DEFER) and\n"
	 "does not call FwpsStreamContinue0 within this time has\n"
	 "its connection reset (fail closed; default 60)"},
	{"strict-asserts", 0, NULL, OWFP_CLI_STRICT,
	 "a failed NT_ASSERT or a bug check in a plugin aborts\n"
	 "(for a debugger) instead of dropping that flow"},
	{"quiet", 'q', NULL, OWFP_CLI_QUIET(struct proxy_cli, o.verbosity), "only errors"},
	{"verbose", 'v', NULL, OWFP_CLI_VERBOSE(struct proxy_cli, o.verbosity),
	 "more engine messages (repeat for debug)"},
	OWFP_CLI_HELP,
	{0},
};

static const owfp_cli_spec spec = {
	.cmd = "proxy",
	.head = "Usage: openwfp proxy --listen ADDR:PORT --upstream ADDR:PORT [options]\n"
		"       openwfp proxy --transparent --listen ADDR:PORT [options]\n"
		"\n"
		"Puts the WFP stream callouts in the path of live TCP connections: every accepted\n"
		"connection is paired with a connection to the upstream (explicit) or to its\n"
		"original destination (transparent), and its bytes flow through the stream layer\n"
		"in both directions, so each stream action has its real effect. Without -c or\n"
		"--callout, the built-in 'count' inspection callout runs and changes nothing.\n"
		"\n"
		"Options:\n",
	.opts = options,
	.column = 29,
	.tail = "\n"
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
		"See docs/proxy.md.\n",
	.in_order = 1,
};

/* What no single option can check. */
static int check(const struct proxy_cli *c, int argc, char **argv, owfp_error *err)
{
	const char *msg = NULL;

	if (optind < argc) {
		snprintf(err->msg, sizeof(err->msg), "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (!c->have_listen)
		msg = "--listen ADDR:PORT is required";
	else if (c->o.proxy.transparent && c->have_upstream)
		msg = "--transparent takes no --upstream (the original destination is used)";
	else if (!c->o.proxy.transparent && !c->have_upstream)
		msg = "--upstream ADDR:PORT is required (or --transparent)";
	else if (c->o.proxy.spoof_source && !c->o.proxy.transparent)
		msg = "--spoof-source needs --transparent";
	if (msg)
		snprintf(err->msg, sizeof(err->msg), "%s", msg);
	return msg ? -1 : 0;
}

int owfp_cmd_proxy(int argc, char **argv)
{
	struct proxy_cli c = {0};
	owfp_error err = {{0}};
	int rc;

	/* --callout paths, then --driver-param texts, in one block freed once. */
	c.plugins.items = owfp_calloc(2 * ((size_t)argc + 1), sizeof(*c.plugins.items));
	if (!c.plugins.items)
		return OWFP_EXIT_INPUT;
	c.dparams.items = c.plugins.items + argc + 1;
	rc = owfp_cli_parse(&spec, argc, argv, &c);
	if (rc < 0 && check(&c, argc, argv, &err))
		rc = owfp_cli_usage_error("proxy", "%s", err.msg);
	if (rc < 0) {
		c.o.plugins = c.plugins.items;
		c.o.nplugins = c.plugins.n;
		c.o.driver_params = c.dparams.items;
		c.o.ndriver_params = c.dparams.n;
		rc = OWFP_EXIT_OK;
		if (owfp_proxy_app_run(&c.o, &err)) {
			owfp_log_line(OWFP_LOG_PRIO_ERR, "openwfp proxy", err.msg);
			rc = OWFP_EXIT_INPUT;
		}
	}
	free(c.plugins.items);
	return rc;
}
