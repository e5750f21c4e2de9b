/* openwfp ioctl --control PATH DEVICE CODE [--in HEX|@FILE] [--out-size N]: DeviceIoControl on a running proxy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "config/ioctl_args.h"
#include "proxy/serve.h"
#include "util/alloc.h"

#define MAX_IN ((size_t)32 * 1024) /* fits the control socket's 64 KiB request line as hex */
#define MAX_OUT ((size_t)64 * 1024)

/* What the options fill in. */
struct ioctl_cli {
	const char *path, *in;
	unsigned long out_size;
	bool json;
};

static int set_out_size(void *at, const char *arg, owfp_error *err)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 0);

	if (end == arg || *end || *arg == '-' || n > MAX_OUT) {
		snprintf(err->msg, sizeof(err->msg), "--out-size '%s': expected 0..65536", arg);
		return -1;
	}
	*(unsigned long *)at = n;
	return 0;
}

static const owfp_cli_opt options[] = {
	{"control", 0, "PATH", OWFP_CLI_STRING(struct ioctl_cli, path),
	 "the proxy's control socket (required)"},
	{"in", 0, "HEX|@FILE", OWFP_CLI_STRING(struct ioctl_cli, in),
	 "the input buffer: hex bytes (\"01 00 00 00\") or a file's\n"
	 "contents (at most 32 KiB); default none"},
	{"out-size", 0, "N", set_out_size, OWFP_CLI_FIELD(struct ioctl_cli, out_size, unsigned long),
	 "the output buffer's size (0..65536, default 0)"},
	{"json", 0, NULL, OWFP_CLI_FLAG(struct ioctl_cli, json),
	 "the control socket's reply as one JSON object"},
	OWFP_CLI_HELP,
	{0},
};

static const owfp_cli_spec spec = {
	.cmd = "ioctl",
	.head = "Usage: openwfp ioctl --control PATH DEVICE CODE [--in HEX|@FILE] [--out-size N] [--json]\n"
		"\n"
		"Sends DeviceIoControl to a device a driver loaded in a running `openwfp proxy`\n"
		"created (what a Windows tool does with CreateFile and DeviceIoControl), and\n"
		"prints the NTSTATUS the driver completed the request with and the bytes it\n"
		"wrote to the output buffer, in hex. The request is refused unless it comes from\n"
		"the proxy's user or root, like every control request.\n"
		"\n"
		"  DEVICE   \\\\Device\\\\NAME, \\\\??\\\\NAME, \\\\DosDevices\\\\NAME, or a bare NAME\n"
		"  CODE     a number (0x120004) or CTL_CODE(DeviceType, Function, Method, Access),\n"
		"           e.g. 'CTL_CODE(FILE_DEVICE_NETWORK, 0x1, METHOD_BUFFERED, FILE_ANY_ACCESS)'\n"
		"\n"
		"Options:\n",
	.opts = options,
	.column = 23,
	.tail = "\n"
		"Example:\n"
		"  openwfp ioctl --control /run/owfp.sock MonitorSample 0x120004 --in '01000000 00000000'\n"
		"\n"
		"Exit status: 0 the driver returned a success status, 1 it returned an error\n"
		"status or the proxy refused or did not answer, 2 bad usage.\n",
};

static void print_out(const char *hex)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i += 16) {
		printf("%04zx ", i);
		for (size_t j = i; j < n && j < i + 16; j++)
			printf(" %.2s", hex + 2 * j);
		printf("\n");
	}
}

static int read_in(const char *arg, uint8_t **in, size_t *len)
{
	char msg[400];
	int rc;

	if (arg[0] != '@') {
		rc = owfp_hex_parse(arg, MAX_IN, in, len);
		if (rc)
			return owfp_cli_usage_error(
				"ioctl", "--in '%s': %s", arg,
				rc == -E2BIG ? "more than 32 KiB"
					     : "expected hex bytes such as \"01 00 ff\" or @FILE");
		return 0;
	}
	if (owfp_file_read(arg + 1, MAX_IN, in, len, msg, sizeof(msg))) {
		fprintf(stderr, "openwfp ioctl: %s\n", msg);
		return OWFP_EXIT_INPUT;
	}
	return 0;
}

int owfp_cmd_ioctl(int argc, char **argv)
{
	struct ioctl_cli o = {0};
	uint32_t code;
	int rc = owfp_cli_parse(&spec, argc, argv, &o);

	if (rc >= 0)
		return rc;
	if (!o.path)
		return owfp_cli_usage_error("ioctl", "--control PATH is required");
	if (argc - optind != 2)
		return owfp_cli_usage_error("ioctl", "expected DEVICE and CODE");
	const char *device = argv[optind];
	if (!*device || strlen(device) > 256)
		return owfp_cli_usage_error("ioctl", "DEVICE must be 1..256 characters");
	if (owfp_ioctl_code_parse(argv[optind + 1], &code))
		return owfp_cli_usage_error("ioctl",
					    "CODE '%s': expected a number or "
					    "CTL_CODE(DeviceType, Function, Method, Access)",
					    argv[optind + 1]);
	uint8_t *in = NULL;
	size_t in_len = 0;
	if (o.in && (rc = read_in(o.in, &in, &in_len)))
		return rc;
	char *hex = owfp_malloc(2 * in_len + 1);
	if (!hex) {
		free(in);
		return OWFP_EXIT_INPUT;
	}
	for (size_t i = 0; i < in_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", in[i]);
	hex[2 * in_len] = 0;
	free(in);

	json_t *req = json_pack("{s:s, s:s, s:I, s:s, s:I}", "cmd", "ioctl", "device", device, "code",
				(json_int_t)code, "in", hex, "out_size", (json_int_t)o.out_size);
	json_t *reply = NULL;
	owfp_error err = {{0}};
	free(hex);
	rc = req ? owfp_control_request(o.path, req, &reply, &err) : -1;
	json_decref(req);
	if (rc) {
		fprintf(stderr, "openwfp ioctl: %s\n", err.msg[0] ? err.msg : "out of memory");
		return OWFP_EXIT_INPUT;
	}
	if (!json_is_true(json_object_get(reply, "ok"))) {
		fprintf(stderr, "openwfp ioctl: %s\n",
			json_string_value(json_object_get(reply, "error")) ?: "refused");
		json_decref(reply);
		return OWFP_EXIT_INPUT;
	}
	uint32_t st = (uint32_t)json_integer_value(json_object_get(reply, "status"));
	const char *out = json_string_value(json_object_get(reply, "out"));
	if (o.json) {
		json_dumpf(reply, stdout, JSON_COMPACT);
		printf("\n");
	} else {
		printf("%s (0x%08X), %lld bytes out\n",
		       json_string_value(json_object_get(reply, "status_name")) ?: "?", st,
		       (long long)json_integer_value(json_object_get(reply, "information")));
		if (out)
			print_out(out);
	}
	json_decref(reply);
	return (int32_t)st >= 0 ? OWFP_EXIT_OK : OWFP_EXIT_INPUT; /* NT_SUCCESS */
}
