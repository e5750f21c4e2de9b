/* One option table per command: getopt_long's arrays and --help built from it. */
#include <getopt.h>
#include <stdarg.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "config/drivers.h"
#include "openwfp/openwfp_wpp.h"
#include "util/alloc.h"

int owfp_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "openwfp %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'openwfp %s --help'.\n", cmd);
	return OWFP_EXIT_USAGE;
}

int owfp_cli_set_string(void *at, const char *arg, owfp_error *err)
{
	(void)err;
	*(const char **)at = arg;
	return 0;
}

int owfp_cli_set_flag(void *at, const char *arg, owfp_error *err)
{
	(void)arg, (void)err;
	*(bool *)at = true;
	return 0;
}

int owfp_cli_set_config(void *at, const char *arg, owfp_error *err)
{
	const char **path = at;

	if (*path) {
		snprintf(err->msg, sizeof(err->msg), "-c/--config given twice");
		return -1;
	}
	*path = arg;
	return 0;
}

int owfp_cli_set_quiet(void *at, const char *arg, owfp_error *err)
{
	(void)arg, (void)err;
	*(int *)at = -1;
	return 0;
}

int owfp_cli_set_verbose(void *at, const char *arg, owfp_error *err)
{
	int *verbosity = at;

	(void)arg, (void)err;
	owfp_wpp_set_enabled(true); /* drivers' WPP traces: log lines at -v */
	if (*verbosity >= 0)
		(*verbosity)++;
	return 0;
}

int owfp_cli_set_strict(void *at, const char *arg, owfp_error *err)
{
	(void)at, (void)arg, (void)err;
	owfp_contain_set_strict(true);
	return 0;
}

/* "64K", "16M", "1G" or a plain byte count, 1 byte to 64 GiB. */
int owfp_cli_set_size(void *at, const char *arg, owfp_error *err)
{
	char *end;
	double v = strtod(arg, &end);
	double mul = 1;

	if (end == arg || !isfinite(v) || v < 0)
		goto bad;
	if (*end == 'K' || *end == 'k')
		mul = 1024, end++;
	else if (*end == 'M' || *end == 'm')
		mul = 1024.0 * 1024, end++;
	else if (*end == 'G' || *end == 'g')
		mul = 1024.0 * 1024 * 1024, end++;
	if (*end || v * mul < 1 || v * mul > 64.0 * 1024 * 1024 * 1024)
		goto bad;
	*(size_t *)at = (size_t)(v * mul);
	return 0;
bad:
	snprintf(err->msg, sizeof(err->msg),
		 "'%s': expected a byte count such as 65536, 64K, 16M or 1G", arg);
	return -1;
}

int owfp_cli_add(void *at, const char *arg, owfp_error *err)
{
	owfp_cli_list *l = at;

	(void)err;
	l->items[l->n++] = arg;
	return 0;
}

int owfp_cli_add_driver_param(void *at, const char *arg, owfp_error *err)
{
	if (owfp_driver_param_check(arg, err))
		return -1;
	return owfp_cli_add(at, arg, err);
}

int owfp_cli_parse_seconds(const char *s, unsigned *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !isfinite(v) || v < 0 || v > 86400)
		return -1;
	*ms = (unsigned)(v * 1000.0 + 0.5);
	return 0;
}

static size_t count(const owfp_cli_opt *opts)
{
	size_t n = 0;

	while (opts[n].name)
		n++;
	return n;
}

/* getopt_long's value for entry i: its short letter, else 256 + i. */
static int value_of(const owfp_cli_opt *opts, size_t i)
{
	return opts[i].short_name ? opts[i].short_name : 256 + (int)i;
}

static const owfp_cli_opt *entry_of(const owfp_cli_opt *opts, size_t n, int value)
{
	for (size_t i = 0; i < n; i++)
		if (value_of(opts, i) == value)
			return &opts[i];
	return NULL;
}

/* The arrays getopt_long reads, in one block: struct option[n + 1], then
 * the short-option string ("+c:qvh"). */
static struct option *getopt_arrays(const owfp_cli_spec *spec, size_t n, char **shorts)
{
	struct option *lo = owfp_calloc(1, (n + 1) * sizeof(*lo) + 3 * n + 2);
	char *s;

	if (!lo)
		return NULL;
	s = *shorts = (char *)(lo + n + 1);
	if (spec->in_order)
		*s++ = '+';
	for (size_t i = 0; i < n; i++) {
		const owfp_cli_opt *o = &spec->opts[i];
		lo[i] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL,
					value_of(spec->opts, i)};
		if (o->short_name) {
			*s++ = o->short_name;
			if (o->arg)
				*s++ = ':';
		}
	}
	return lo;
}

int owfp_cli_parse(const owfp_cli_spec *spec, int argc, char **argv, void *ctx)
{
	size_t n = count(spec->opts);
	char *shorts;
	struct option *lo = getopt_arrays(spec, n, &shorts);
	owfp_error err = {{0}};
	int c;

	if (!lo) {
		fprintf(stderr, "openwfp %s: out of memory\n", spec->cmd);
		return OWFP_EXIT_INPUT;
	}
	optind = 0; /* glibc: start over, re-reading the optstring's '+' (1 would not) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		const owfp_cli_opt *o = c == '?' ? NULL : entry_of(spec->opts, n, c);

		if (!o) {
			free(lo);
			return owfp_cli_usage_error(spec->cmd,
						    "unknown option or missing argument: '%s'",
						    argv[optind - 1]);
		}
		if (!o->set) {
			free(lo);
			owfp_cli_help(spec, stdout);
			return OWFP_EXIT_OK;
		}
		if (o->set((char *)ctx + o->at, optarg ? optarg : "", &err)) {
			free(lo);
			return owfp_cli_usage_error(spec->cmd, "%s", err.msg);
		}
	}
	free(lo);
	return -1;
}

/* "  -c, --config FILE" or "      --listen ADDR:PORT", then the text. */
static void help_entry(const owfp_cli_opt *o, int column, FILE *out)
{
	int len;

	if (o->short_name)
		len = fprintf(out, "  -%c, --%s", o->short_name, o->name);
	else
		len = fprintf(out, "      --%s", o->name);
	if (o->arg)
		len += fprintf(out, " %s", o->arg);
	if (o->help[0] != '\n')
		fprintf(out, "%*s", len + 2 <= column ? column - len : 2, ""); /* 2 spaces at least */
	for (const char *p = o->help; *p; p++) {
		fputc(*p, out);
		if (*p == '\n')
			fprintf(out, "%*s", column, "");
	}
	fputc('\n', out);
}

void owfp_cli_help(const owfp_cli_spec *spec, FILE *out)
{
	fputs(spec->head, out);
	for (const owfp_cli_opt *o = spec->opts; o->name; o++)
		help_entry(o, spec->column, out);
	fputs(spec->tail, out);
}
