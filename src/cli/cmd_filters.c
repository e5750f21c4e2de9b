/* openwfp filters list|add|delete --control PATH: filters of a running proxy. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "proxy/serve.h"
#include "util/alloc.h"

static void help(FILE *out)
{
	fprintf(out,
		"Usage: openwfp filters list --control PATH [--json]\n"
		"       openwfp filters add --control PATH FILTER    (FILTER may be - for stdin)\n"
		"       openwfp filters delete --control PATH ID...\n"
		"\n"
		"Changes the filters of a running `openwfp proxy` through its control socket.\n"
		"Changes take effect for new classifications: flows already open keep their\n"
		"filter set until the next indication boundary, as the engine's matching rules say.\n"
		"\n"
		"FILTER is one entry of a configuration file's `filters:` list, in YAML flow or\n"
		"JSON syntax, e.g.\n"
		"  '{name: no-80, layer: stream, action: block,\n"
		"    conditions: [{field: remote_port, match: equal, value: 80}]}'\n"
		"A `layer: stream` filter becomes one filter per family: two ids are printed.\n"
		"\n"
		"Options:\n"
		"      --control PATH   the proxy's control socket (required)\n"
		"      --json           print the reply as JSON\n"
		"  -h, --help           this help\n"
		"\n"
		"Exit status: 0 done, 1 the proxy refused (its message is printed), 2 bad usage.\n");
}

static char *read_stdin(void)
{
	size_t cap = 4096, len = 0;
	char *buf = owfp_malloc(cap);

	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, stdin);
		len += n;
		if (n == 0)
			break;
		if (len + 1 == cap) {
			char *nb = cap < 65536 ? owfp_realloc(buf, cap *= 2) : NULL;
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

static int request(const char *path, json_t *req, bool json, json_t **reply)
{
	owfp_error err = {{0}};

	*reply = NULL;
	if (owfp_control_request(path, req, reply, &err)) {
		fprintf(stderr, "openwfp filters: %s\n", err.msg);
		return OWFP_EXIT_INPUT;
	}
	if (json) {
		json_dumpf(*reply, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	}
	if (!json_is_true(json_object_get(*reply, "ok"))) {
		const char *e = json_string_value(json_object_get(*reply, "error"));
		fprintf(stderr, "openwfp filters: %s\n", e ? e : "refused");
		return OWFP_EXIT_INPUT;
	}
	return OWFP_EXIT_OK;
}

static void print_list(json_t *filters)
{
	size_t i;
	json_t *f;

	printf("%-8s %-24s %-20s %-20s %-20s %s\n", "ID", "LAYER", "WEIGHT", "ACTION", "CALLOUT",
	       "NAME");
	json_array_foreach (filters, i, f) {
		const char *callout = json_string_value(json_object_get(f, "callout"));
		printf("%-8lld %-24s %-20lld %-20s %-20s %s\n",
		       (long long)json_integer_value(json_object_get(f, "id")),
		       json_string_value(json_object_get(f, "layer")),
		       (long long)json_integer_value(json_object_get(f, "weight")),
		       json_string_value(json_object_get(f, "action")), callout ? callout : "-",
		       json_string_value(json_object_get(f, "name")));
	}
}

/* filters.list comes in pages (the whole list outgrew one reply): read
 * them all, then print one list (--json: one reply object, as before). */
static int list_all(const char *path, bool json)
{
	json_t *all = json_array(), *reply = NULL;
	int rc = all ? OWFP_EXIT_OK : OWFP_EXIT_INPUT;

	for (json_int_t off = 0; rc == OWFP_EXIT_OK;) {
		json_t *req = json_pack("{s:s, s:I}", "cmd", "filters.list", "offset", off);
		rc = req ? request(path, req, false, &reply) : OWFP_EXIT_INPUT;
		json_decref(req);
		if (rc != OWFP_EXIT_OK)
			break;
		json_t *page = json_object_get(reply, "filters");
		json_array_extend(all, page);
		off += (json_int_t)json_array_size(page);
		bool more = json_is_true(json_object_get(reply, "more")) && json_array_size(page);
		json_decref(reply);
		reply = NULL;
		if (!more)
			break;
	}
	json_decref(reply);
	if (rc == OWFP_EXIT_OK && json) {
		json_t *out = json_pack("{s:b, s:O}", "ok", 1, "filters", all);
		json_dumpf(out, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(out);
	} else if (rc == OWFP_EXIT_OK) {
		print_list(all);
	}
	json_decref(all);
	return rc;
}

int owfp_cmd_filters(int argc, char **argv)
{
	const char *path;
	bool json;
	/* Options may come before or after the verb and its arguments. */
	int done = owfp_cli_control_opts(argc, argv, "filters", help, &path, &json);
	if (done >= 0)
		return done;
	if (optind >= argc)
		return owfp_cli_usage_error("filters", "expected list, add or delete");
	if (!path)
		return owfp_cli_usage_error("filters", "--control PATH is required");
	const char *verb = argv[optind++];
	json_t *reply = NULL;
	int rc;

	if (!strcmp(verb, "list")) {
		if (optind != argc)
			return owfp_cli_usage_error("filters", "list takes no arguments");
		rc = list_all(path, json);
	} else if (!strcmp(verb, "add")) {
		if (optind + 1 != argc)
			return owfp_cli_usage_error("filters",
						    "add takes one FILTER (or - for stdin)");
		char *text = !strcmp(argv[optind], "-") ? read_stdin() : owfp_strdup(argv[optind]);
		if (!text) {
			fprintf(stderr, "openwfp filters: cannot read the filter (at most 64 KiB)\n");
			return OWFP_EXIT_INPUT;
		}
		json_t *req = json_pack("{s:s, s:s}", "cmd", "filters.add", "filter", text);
		free(text);
		rc = request(path, req, json, &reply);
		json_decref(req);
		if (rc == OWFP_EXIT_OK && !json) {
			size_t i;
			json_t *id;
			printf("added");
			json_array_foreach (json_object_get(reply, "ids"), i, id)
				printf(" %lld", (long long)json_integer_value(id));
			printf("\n");
		}
	} else if (!strcmp(verb, "delete")) {
		if (optind >= argc)
			return owfp_cli_usage_error("filters", "delete takes one or more filter IDs");
		rc = OWFP_EXIT_OK;
		for (; optind < argc && rc == OWFP_EXIT_OK; optind++) {
			char *end;
			long long id = strtoll(argv[optind], &end, 10);
			if (end == argv[optind] || *end || id <= 0)
				return owfp_cli_usage_error("filters", "'%s' is not a filter id",
							    argv[optind]);
			json_t *req = json_pack("{s:s, s:I}", "cmd", "filters.delete", "id",
						(json_int_t)id);
			json_decref(reply);
			rc = request(path, req, json, &reply);
			json_decref(req);
			if (rc == OWFP_EXIT_OK && !json)
				printf("deleted %lld\n", id);
		}
	} else {
		return owfp_cli_usage_error("filters",
					    "unknown verb '%s': expected list, add or delete", verb);
	}
	json_decref(reply);
	return rc;
}
