/* Load the drivers with their Parameters, then send the configured IOCTLs (drivers.h). */
#include "config/drivers.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/ioctl_args.h"
#include "config/model.h"
#include "config/status.h"
#include "wdm/ioctl.h"
#include "wdm/plugin.h"
#include "wdm/regparams.h"
#include "util/alloc.h"

struct owfp_drivers {
	owfp_plugin **plugins;
	size_t n;
};

/* One --driver-param, parsed. */
typedef struct cli_param {
	char *driver;
	owfp_cfg_regvalue v;
	bool used;
} cli_param;

static void cli_param_free(cli_param *p)
{
	for (size_t i = 0; i < p->v.nitems; i++)
		free(p->v.items[i]);
	free(p->v.items);
	free(p->v.bin);
	free(p->v.name);
	free(p->driver);
}

static int fail(owfp_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(owfp_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int split_items(const char *s, owfp_cfg_regvalue *v)
{
	size_t n = 1;

	for (const char *p = s; *p; p++)
		n += *p == ',';
	if (!(v->items = owfp_calloc(n, sizeof(char *))))
		return -ENOMEM;
	for (const char *p = s;; p++) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0)
			return -EINVAL;
		if (!(v->items[v->nitems++] = owfp_strndup(p, len)))
			return -ENOMEM;
		if (!end)
			return 0;
		p = end;
	}
}

static int parse_param(const char *text, cli_param *p, owfp_error *err)
{
	const char *dot = strchr(text, '.'), *eq = dot ? strchr(dot, '=') : NULL, *data;
	char *endp;
	unsigned long long u;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	if (!dot || !eq || dot == text || eq == dot + 1)
		return fail(err,
			    "--driver-param '%s': expected DRIVER.VALUE=DATA, e.g. "
			    "stmedit.InspectionLocalPort=8888",
			    text);
	if (!(p->driver = owfp_strndup(text, (size_t)(dot - text))) ||
	    !(p->v.name = owfp_strndup(dot + 1, (size_t)(eq - dot - 1))))
		return -ENOMEM;
	if (strlen(p->v.name) > 255 || strchr(p->v.name, '\\'))
		return fail(err,
			    "--driver-param '%s': value name '%s' is not a registry value name "
			    "(1..255 characters, no '\\')",
			    text, p->v.name);
	data = eq + 1;
	if (!strncmp(data, "dword:", 6) ||
	    (strncmp(data, "sz:", 3) && strncmp(data, "multi_sz:", 9) &&
	     strncmp(data, "binary:", 7) && *data >= '0' && *data <= '9')) {
		const char *num = strncmp(data, "dword:", 6) ? data : data + 6;
		errno = 0;
		u = strtoull(num, &endp, 0);
		if (*num >= '0' && *num <= '9' && !*endp && !errno && u <= 0xffffffffULL) {
			p->v.type = OWFP_CFG_REG_DWORD;
			p->v.dword = (uint32_t)u;
			return 0;
		}
		if (num != data)
			return fail(err,
				    "--driver-param '%s': '%s' is not a REG_DWORD; expected "
				    "0..4294967295 (decimal or 0x hex)",
				    text, num);
	}
	if (!strncmp(data, "binary:", 7)) {
		rc = owfp_hex_parse(data + 7, 1u << 20, &p->v.bin, &p->v.binlen);
		if (rc == -ENOMEM)
			return rc;
		if (rc)
			return fail(err,
				    "--driver-param '%s': not hex bytes; expected binary:HEX such "
				    "as binary:0100ff",
				    text);
		p->v.type = OWFP_CFG_REG_BINARY;
		return 0;
	}
	if (!strncmp(data, "multi_sz:", 9)) {
		p->v.type = OWFP_CFG_REG_MULTI_SZ;
		rc = split_items(data + 9, &p->v);
		if (rc == -EINVAL)
			return fail(err,
				    "--driver-param '%s': an empty REG_MULTI_SZ item; expected "
				    "multi_sz:A,B,C",
				    text);
		return rc;
	}
	p->v.type = OWFP_CFG_REG_SZ;
	if (!(p->v.items = owfp_calloc(1, sizeof(char *))) ||
	    !(p->v.items[0] = owfp_strdup(strncmp(data, "sz:", 3) ? data : data + 3)))
		return -ENOMEM;
	p->v.nitems = 1;
	return 0;
}

int owfp_driver_param_check(const char *text, owfp_error *err)
{
	cli_param p;
	int rc = parse_param(text, &p, err);

	if (rc == -ENOMEM)
		snprintf(err->msg, sizeof(err->msg), "out of memory");
	cli_param_free(&p);
	return rc;
}

static int set_value(owfp_regparams *rp, const owfp_cfg_regvalue *v, char *msg, size_t len)
{
	switch (v->type) {
	case OWFP_CFG_REG_DWORD:
		return owfp_regparams_set_dword(rp, v->name, v->dword, msg, len);
	case OWFP_CFG_REG_SZ:
		return owfp_regparams_set_sz(rp, v->name, v->items[0], msg, len);
	case OWFP_CFG_REG_MULTI_SZ:
		return owfp_regparams_set_multi_sz(rp, v->name, (const char *const *)v->items,
						   v->nitems, msg, len);
	default:
		return owfp_regparams_set_binary(rp, v->name, v->bin, v->binlen, msg, len);
	}
}

/* The Parameters of driver `name`: the entry's values, then the command line's. */
static int build_params(const char *file, const owfp_cfg_driver *entry, const char *name,
			cli_param *cli, size_t ncli, owfp_regparams **out, owfp_error *err)
{
	owfp_regparams *rp = owfp_regparams_new();
	char msg[300] = "";
	int rc = 0;

	*out = NULL;
	if (!rp)
		return -ENOMEM;
	for (size_t i = 0; entry && i < entry->nparams && !rc; i++)
		if ((rc = set_value(rp, &entry->params[i], msg, sizeof(msg))) && rc != -ENOMEM)
			rc = owfp_cfg_fail(err, file, entry->params[i].mark,
					   "driver '%s' parameter "
					   "'%s': %s",
					   name, entry->params[i].name, msg);
	for (size_t i = 0; i < ncli && !rc; i++) {
		if (strcasecmp(cli[i].driver, name))
			continue;
		cli[i].used = true;
		if ((rc = set_value(rp, &cli[i].v, msg, sizeof(msg))) && rc != -ENOMEM)
			rc = fail(err, "--driver-param %s.%s: %s", cli[i].driver, cli[i].v.name, msg);
	}
	if (rc) {
		owfp_regparams_free(rp);
		return rc;
	}
	*out = rp;
	return 0;
}

static int load_one(owfp_drivers *d, const char *file, const owfp_cfg_driver *entry,
		    const char *path, cli_param *cli, size_t ncli, owfp_error *err)
{
	char name[80], msg[400] = "";
	owfp_regparams *rp;
	int rc;

	if (entry) {
		snprintf(name, sizeof(name), "%s", entry->name);
	} else {
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		size_t n = strlen(base);
		if (n > 3 && !strcmp(base + n - 3, ".so"))
			n -= 3;
		snprintf(name, sizeof(name), "%.*s", (int)(n < 79 ? n : 79), base);
	}
	if ((rc = build_params(file, entry, name, cli, ncli, &rp, err)))
		return rc;
	owfp_plugin_opts po = {.driver_name = name, .params = rp};
	rc = owfp_plugin_load_opts(path, &po, &d->plugins[d->n], msg, sizeof(msg));
	owfp_regparams_free(rp);
	if (rc) {
		d->plugins[d->n] = NULL;
		if (entry)
			return owfp_cfg_fail(err, file, entry->mark,
					     "driver '%s' (%s): cannot load: %s", name, path,
					     msg[0] ? msg : strerror(-rc));
		snprintf(err->msg, sizeof(err->msg), "%s: cannot load plugin: %s", path,
			 msg[0] ? msg : strerror(-rc));
		return rc;
	}
	d->n++;
	return 0;
}

static int send_ioctl(const char *file, const owfp_cfg_driver *drv, const owfp_cfg_ioctl *io,
		      owfp_error *err)
{
	uint8_t *out = io->out_size ? owfp_calloc(1, io->out_size) : NULL;
	ULONG_PTR info = 0;
	NTSTATUS st;

	if (io->out_size && !out)
		return -ENOMEM;
	st = owfp_device_ioctl(io->device, io->code, io->in, (ULONG)io->inlen, out, io->out_size,
			       &info);
	free(out);
	if (io->has_expect ? (uint32_t)st == io->expect : NT_SUCCESS(st))
		return 0;
	return owfp_cfg_fail(
		err, file, io->mark,
		"driver '%s': ioctl 0x%08X to %s returned %s "
		"(0x%08X); expected %s (0x%08X)%s",
		drv->name, io->code, io->device, owfp_status_name(st), (unsigned)st,
		io->has_expect ? owfp_status_name((NTSTATUS)io->expect) : "success",
		io->has_expect ? io->expect : 0u,
		io->has_expect ? "" : "; set expect_status: if the driver answers so on purpose");
}

static int start(const owfp_config *cfg, const owfp_drivers_opts *o, owfp_drivers *d, owfp_error *err)
{
	const char *file = cfg ? cfg->file : NULL;
	size_t ndrv = cfg ? cfg->ndrivers : 0;
	cli_param *cli = owfp_calloc(o->nparams + 1, sizeof(*cli));
	int rc = 0;

	if (!cli)
		return -ENOMEM;
	d->plugins = owfp_calloc(ndrv + o->nplugins + 1, sizeof(*d->plugins));
	if (!d->plugins)
		rc = -ENOMEM;
	for (size_t i = 0; i < o->nparams && !rc; i++)
		rc = parse_param(o->params[i], &cli[i], err);
	for (size_t i = 0; i < ndrv && !rc; i++)
		rc = load_one(d, file, &cfg->drivers[i], cfg->drivers[i].path, cli, o->nparams, err);
	for (size_t i = 0; i < o->nplugins && !rc; i++)
		rc = load_one(d, file, NULL, o->plugins[i], cli, o->nparams, err);
	/* A parameter for no loaded driver is a typo: say so rather than ignore it. */
	for (size_t i = 0; i < o->nparams && !rc; i++)
		if (!cli[i].used)
			rc = fail(err,
				  "--driver-param '%s': no driver named '%s' is loaded; expected "
				  "a drivers: name: or a --callout file name without .so",
				  o->params[i], cli[i].driver);
	for (size_t i = 0; i < ndrv && !rc; i++)
		for (size_t j = 0; j < cfg->drivers[i].nioctls && !rc; j++)
			rc = send_ioctl(file, &cfg->drivers[i], &cfg->drivers[i].ioctls[j], err);
	for (size_t i = 0; i < o->nparams; i++)
		cli_param_free(&cli[i]);
	free(cli);
	if (rc == -ENOMEM)
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory loading drivers",
			 file ? file : "openwfp");
	return rc;
}

int owfp_drivers_start(const owfp_drivers_opts *o, owfp_drivers **out, owfp_error *err)
{
	owfp_config *parsed = NULL;
	const owfp_config *cfg = o->config;
	owfp_drivers *d;
	int rc;

	*out = NULL;
	if (!cfg && o->config_path) {
		if ((rc = owfp_config_parse_file(o->config_path, &parsed, err)))
			return rc;
		cfg = parsed;
	}
	if (!(d = owfp_calloc(1, sizeof(*d)))) {
		owfp_config_free(parsed);
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	rc = start(cfg, o, d, err);
	owfp_config_free(parsed);
	if (rc) {
		owfp_drivers_stop(d);
		return rc;
	}
	*out = d;
	return 0;
}

void owfp_drivers_stop(owfp_drivers *d)
{
	if (!d)
		return;
	for (size_t i = d->n; i > 0; i--)
		owfp_plugin_unload(d->plugins[i - 1]);
	free(d->plugins);
	free(d);
}

size_t owfp_drivers_count(const owfp_drivers *d)
{
	return d ? d->n : 0;
}

int owfp_drivers_check(const owfp_config *cfg, const char *const *params, size_t nparams,
		       owfp_config_warn_fn warn, void *ctx, size_t *nwarnings, owfp_error *err)
{
	owfp_drivers_opts o = {.config = cfg, .params = params, .nparams = nparams};
	owfp_engine_opts eo;
	owfp_engine *engine;
	owfp_drivers *d = NULL;
	owfp_config_applied *a = NULL;
	int rc;

	memset(&eo, 0, sizeof(eo));
	if ((rc = owfp_engine_create(&eo, &engine))) {
		snprintf(err->msg, sizeof(err->msg), "%s: cannot create a scratch engine: %s",
			 cfg->file, strerror(-rc));
		return rc;
	}
	rc = owfp_drivers_start(&o, &d, err);
	if (!rc && !(rc = owfp_config_apply(cfg, NULL, &a, err))) {
		size_t n = warn ? owfp_config_warn_shadowed(a, warn, ctx) : 0;
		if (nwarnings)
			*nwarnings = n;
		owfp_config_unapply(a);
	}
	owfp_drivers_stop(d);
	owfp_engine_destroy(engine);
	return rc;
}
