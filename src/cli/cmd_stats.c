/* openwfp stats --control PATH [--json]: counters of a running proxy. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "proxy/serve.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: openwfp stats --control PATH [--json]\n"
		"\n"
		"Prints the counters of a running `openwfp proxy`: connections (accepted, active,\n"
		"upstream errors, resets, offloaded), bytes per side, and per callout\n"
		"configured now (one row per callout, with the layers it is added at) the\n"
		"classify calls, bytes and stream actions it answered, plus engine errors\n"
		"(violations, limits hit). A reload starts the new callouts' counters at zero.\n"
		"\n"
		"Options:\n"
		"      --control PATH   the proxy's control socket (required)\n"
		"      --json           one JSON object (the control socket's reply)\n"
		"  -h, --help           this help\n"
		"\n"
		"Exit status: 0 done, 1 the proxy did not answer, 2 bad usage.\n");
}

static long long num(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);
	if (b)
		v = json_object_get(v, b);
	return (long long)json_integer_value(v);
}

/* "stream_v4,stream_v6": the row's layers; returns the length. */
static int layer_list(json_t *c, char *out, size_t len)
{
	json_t *l;
	size_t i, used = 0;

	out[0] = '\0';
	json_array_foreach (json_object_get(c, "layers"), i, l) {
		int k = snprintf(out + used, len - used, "%s%s", used ? "," : "",
				 json_string_value(l) ? json_string_value(l) : "?");
		if (k < 0 || (size_t)k >= len - used)
			break;
		used += (size_t)k;
	}
	if (!used)
		snprintf(out, len, "-");
	return (int)strlen(out);
}

static void print_text(json_t *r)
{
	json_t *p = json_object_get(r, "proxy"), *e = json_object_get(r, "engine"), *c;
	size_t i;

	printf("connections: %lld accepted, %lld active, %lld upstream errors, %lld refused, "
	       "%lld dropped, %lld resets, %lld offloaded, %lld limits hit\n",
	       num(p, "accepted", NULL), num(p, "active", NULL), num(p, "upstream_errors", NULL),
	       num(p, "refused", NULL), num(p, "dropped", NULL), num(p, "resets", NULL),
	       num(p, "offloaded", NULL), num(p, "limits_hit", NULL));
	printf("bytes: read %lld from clients, %lld from upstreams; written %lld to clients, "
	       "%lld to upstreams; %lld spliced; %lld queued now\n",
	       num(p, "bytes_read", "client"), num(p, "bytes_read", "upstream"),
	       num(p, "bytes_written", "client"), num(p, "bytes_written", "upstream"),
	       num(p, "bytes_spliced", NULL), num(p, "queued", NULL));
	if (!e)
		return;
	printf("engine: %lld flows created, %lld active, %lld dropped; %lld violations, "
	       "%lld limits hit\n",
	       num(e, "flows_created", NULL), num(e, "flows_active", NULL),
	       num(e, "flows_dropped", NULL), num(e, "violations", NULL), num(e, "limits_hit", NULL));
	/* Columns as wide as the longest name and layer list, so nothing shifts. */
	json_t *rows = json_object_get(e, "callouts");
	int wname = 7, wlayers = 6;
	char layers[256];
	json_array_foreach (rows, i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		int l = name ? (int)strlen(name) : 0, k = layer_list(c, layers, sizeof(layers));
		wname = l > wname ? l : wname;
		wlayers = k > wlayers ? k : wlayers;
	}
	printf("%-*s %-*s %10s %14s %14s %14s %8s %8s %8s %8s %8s\n", wname, "CALLOUT", wlayers,
	       "LAYERS", "CLASSIFY", "INDICATED", "PERMITTED", "BLOCKED", "NMD", "DROP", "DEFER",
	       "ALLOW", "VIOL");
	json_array_foreach (rows, i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		layer_list(c, layers, sizeof(layers));
		printf("%-*s %-*s %10lld %14lld %14lld %14lld %8lld %8lld %8lld %8lld %8lld\n",
		       wname, name ? name : "?", wlayers, layers, num(c, "classify_calls", NULL),
		       num(c, "bytes_indicated", NULL), num(c, "bytes_permitted", NULL),
		       num(c, "bytes_blocked", NULL), num(c, "stream_actions", "need_more_data"),
		       num(c, "stream_actions", "drop_connection"), num(c, "stream_actions", "defer"),
		       num(c, "stream_actions", "allow_connection"), num(c, "violations", NULL));
	}
}

int owfp_cmd_stats(int argc, char **argv)
{
	const char *path;
	bool json;
	/* Options may come before or after the verb and its arguments. */
	int done = owfp_cli_control_opts(argc, argv, "stats", help, &path, &json);
	if (done >= 0)
		return done;
	if (optind != argc)
		return owfp_cli_usage_error("stats", "unexpected argument '%s'", argv[optind]);
	if (!path)
		return owfp_cli_usage_error("stats", "--control PATH is required");
	owfp_error err = {{0}};
	json_t *req = json_pack("{s:s}", "cmd", "stats"), *reply = NULL;
	int rc = owfp_control_request(path, req, &reply, &err);
	json_decref(req);
	if (rc) {
		fprintf(stderr, "openwfp stats: %s\n", err.msg);
		return OWFP_EXIT_INPUT;
	}
	if (!json_is_true(json_object_get(reply, "ok"))) {
		const char *e = json_string_value(json_object_get(reply, "error"));
		fprintf(stderr, "openwfp stats: %s\n", e ? e : "refused");
		json_decref(reply);
		return OWFP_EXIT_INPUT;
	}
	if (json) {
		json_dumpf(reply, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else {
		print_text(reply);
	}
	json_decref(reply);
	return OWFP_EXIT_OK;
}
