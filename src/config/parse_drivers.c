/*
 * The drivers: section: plugins loaded with a driver name, their
 * Parameters values and the IOCTLs sent once every driver is loaded.
 * Relative paths (path:, in: @FILE) are taken from the configuration
 * file's directory. See docs/configuration.md "drivers".
 */
#include "config/parse.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/ioctl_args.h"
#include "config/status.h"
#include "util/alloc.h"

#define MAX_OUT_SIZE (64u * 1024)

/* path joined to the directory of `file` unless absolute or the file is not one. */
static char *resolve(const char *file, const char *path)
{
	char *copy, *dir, *out = NULL;

	if (path[0] == '/' || !file || file[0] == '<' || !strchr(file, '/'))
		return owfp_strdup(path);
	if (!(copy = owfp_strdup(file)))
		return NULL;
	dir = dirname(copy);
	if (asprintf(&out, "%s/%s", dir, path) < 0)
		out = NULL;
	free(copy);
	return out;
}

static int set_items(owfp_cfg_regvalue *v, size_t n)
{
	v->items = owfp_calloc(n + 1, sizeof(char *));
	return v->items ? 0 : -ENOMEM;
}

static int parse_multi(owfp_ydoc *d, yaml_node_t *seq, owfp_cfg_regvalue *v, owfp_error *err)
{
	int rc = owfp_ydoc_expect_seq(d, seq, "a REG_MULTI_SZ value", err);
	const char *s;

	if (rc)
		return rc;
	v->type = OWFP_CFG_REG_MULTI_SZ;
	if ((rc = set_items(v, owfp_ydoc_len(seq))))
		return rc;
	for (size_t i = 0; i < owfp_ydoc_len(seq); i++) {
		yaml_node_t *it = owfp_ydoc_item(d, seq, i);
		s = owfp_ydoc_str(it);
		if (!s || strlen(s) != it->data.scalar.length)
			return owfp_ydoc_fail(d, it, err,
					      "REG_MULTI_SZ item is %s; expected text "
					      "(without NUL)",
					      owfp_ydoc_kind(it));
		if (!*s)
			return owfp_ydoc_fail(d, it, err,
					      "REG_MULTI_SZ item is empty; an empty "
					      "string ends the list in the registry, expected text");
		if (!(v->items[v->nitems++] = owfp_strdup(s)))
			return -ENOMEM;
	}
	return 0;
}

static int set_sz(owfp_ydoc *d, yaml_node_t *n, owfp_cfg_regvalue *v, owfp_error *err)
{
	const char *s = owfp_ydoc_str(n);

	if (!s || strlen(s) != n->data.scalar.length)
		return owfp_ydoc_fail(d, n, err, "REG_SZ value is %s; expected text (without NUL)",
				      owfp_ydoc_kind(n));
	v->type = OWFP_CFG_REG_SZ;
	if (set_items(v, 1) || !(v->items[0] = owfp_strdup(s)))
		return -ENOMEM;
	v->nitems = 1;
	return 0;
}

/* One value: 8888 | "text" | [a, b] | {dword: N} | {sz: T} | {multi_sz: [..]} | {binary: HEX} */
static int parse_value(owfp_ydoc *d, yaml_node_t *n, owfp_cfg_regvalue *v, owfp_error *err)
{
	uint64_t u;
	const char *s;
	int rc;

	if (n->type == YAML_SEQUENCE_NODE)
		return parse_multi(d, n, v, err);
	if (n->type == YAML_SCALAR_NODE) {
		if (owfp_ydoc_is_plain(n) && owfp_ydoc_parse_uint(owfp_ydoc_str(n), 0xffffffffu, &u)) {
			v->type = OWFP_CFG_REG_DWORD;
			v->dword = (uint32_t)u;
			return 0;
		}
		return set_sz(d, n, v, err);
	}
	if (n->type != YAML_MAPPING_NODE ||
	    n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
		return owfp_ydoc_fail(d, n, err,
				      "parameter '%s' is %s; expected a number (REG_DWORD), "
				      "text (REG_SZ), a list (REG_MULTI_SZ) or one of {dword: N}, "
				      "{sz: TEXT}, {multi_sz: [..]}, {binary: HEX}",
				      v->name, owfp_ydoc_kind(n));
	yaml_node_pair_t *p = n->data.mapping.pairs.start;
	yaml_node_t *kn = yaml_document_get_node(&d->doc, p->key);
	yaml_node_t *vn = yaml_document_get_node(&d->doc, p->value);
	s = owfp_ydoc_str(kn);
	if (s && !strcmp(s, "dword")) {
		if ((rc = owfp_ydoc_uint(d, vn, "REG_DWORD value", 0xffffffffu, &u, err)))
			return rc;
		v->type = OWFP_CFG_REG_DWORD;
		v->dword = (uint32_t)u;
		return 0;
	}
	if (s && !strcmp(s, "sz"))
		return set_sz(d, vn, v, err);
	if (s && !strcmp(s, "multi_sz"))
		return parse_multi(d, vn, v, err);
	if (s && !strcmp(s, "binary")) {
		const char *hex = owfp_ydoc_str(vn);
		rc = hex ? owfp_hex_parse(hex, 1u << 20, &v->bin, &v->binlen) : -EINVAL;
		if (rc == -ENOMEM)
			return rc;
		if (rc)
			return owfp_ydoc_fail(
				d, vn, err,
				"REG_BINARY value is not hex bytes; expected "
				"pairs of hex digits such as \"01 00 ff\" (at most 1 MiB)");
		v->type = OWFP_CFG_REG_BINARY;
		return 0;
	}
	return owfp_ydoc_fail(d, kn, err,
			      "unknown value type '%s'; expected dword, sz, multi_sz "
			      "or binary",
			      s ? s : owfp_ydoc_kind(kn));
}

static int parse_params(owfp_ydoc *d, yaml_node_t *m, owfp_cfg_driver *drv, owfp_error *err)
{
	size_t n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	int rc;

	if (!(drv->params = owfp_calloc(n + 1, sizeof(*drv->params))))
		return -ENOMEM;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(&d->doc, p->key);
		owfp_cfg_regvalue *v = &drv->params[drv->nparams];
		const char *name = owfp_ydoc_str(kn);

		if (!name || !*name || strlen(name) > 255 || strchr(name, '\\'))
			return owfp_ydoc_fail(d, kn, err,
					      "parameter name %s is not valid; expected "
					      "a registry value name (1..255 characters, no '\\')",
					      name ? name : owfp_ydoc_kind(kn));
		for (size_t j = 0; j < drv->nparams; j++)
			if (!strcasecmp(drv->params[j].name, name))
				return owfp_ydoc_fail(d, kn, err,
						      "parameter '%s' given twice (registry "
						      "names ignore case); expected each once",
						      name);
		if (!(v->name = owfp_strdup(name)))
			return -ENOMEM;
		v->mark = owfp_ydoc_mark(kn);
		drv->nparams++;
		if ((rc = parse_value(d, yaml_document_get_node(&d->doc, p->value), v, err)))
			return rc;
	}
	return 0;
}

static int parse_ioctl(owfp_ydoc *d, yaml_node_t *m, const char *file, owfp_cfg_ioctl *io,
		       owfp_error *err)
{
	static const char *const keys[] = {"device",   "code",          "in",
					   "out_size", "expect_status", NULL};
	const char *s;
	uint64_t u;
	int rc;

	io->mark = owfp_ydoc_mark(m);
	if ((rc = owfp_ydoc_expect_map(d, m, "ioctl", err)) ||
	    (rc = owfp_ydoc_check_keys(d, m, "ioctl", keys, err)))
		return rc;
	yaml_node_t *v = owfp_ydoc_get(d, m, "device");
	if (!v)
		return owfp_ydoc_fail(d, m, err,
				      "ioctl has no 'device'; expected the driver's device "
				      "name, e.g. \\\\Device\\\\MonitorSample or MonitorSample");
	if ((rc = owfp_ydoc_string(d, v, "ioctl device", &s, err)))
		return rc;
	if (!(io->device = owfp_strdup(s)))
		return -ENOMEM;
	v = owfp_ydoc_get(d, m, "code");
	if (!v)
		return owfp_ydoc_fail(
			d, m, err,
			"ioctl has no 'code'; expected a number or "
			"CTL_CODE(FILE_DEVICE_NETWORK, 0x1, METHOD_BUFFERED, FILE_ANY_ACCESS)");
	s = owfp_ydoc_str(v);
	if (!s || owfp_ioctl_code_parse(s, &io->code))
		return owfp_ydoc_fail(d, v, err,
				      "ioctl code %s is not valid; expected a 32-bit "
				      "number or CTL_CODE(DeviceType, Function, Method, Access)",
				      s ? s : owfp_ydoc_kind(v));
	v = owfp_ydoc_get(d, m, "in");
	if (v) {
		if (!(s = owfp_ydoc_str(v)))
			return owfp_ydoc_fail(d, v, err,
					      "ioctl in is %s; expected hex bytes or @FILE",
					      owfp_ydoc_kind(v));
		if (s[0] == '@') {
			char msg[400];
			char *path = resolve(file, s + 1);
			if (!path)
				return -ENOMEM;
			rc = owfp_file_read(path, OWFP_IOCTL_MAX_IN, &io->in, &io->inlen, msg,
					    sizeof(msg));
			free(path);
			if (rc == -ENOMEM)
				return rc;
			if (rc)
				return owfp_ydoc_fail(d, v, err,
						      "ioctl in %s; expected a readable file", msg);
		} else {
			rc = owfp_hex_parse(s, OWFP_IOCTL_MAX_IN, &io->in, &io->inlen);
			if (rc == -ENOMEM)
				return rc;
			if (rc)
				return owfp_ydoc_fail(
					d, v, err,
					"ioctl in is not hex bytes; expected "
					"pairs of hex digits (\"01 00 00 00\") or @FILE");
		}
	}
	v = owfp_ydoc_get(d, m, "out_size");
	if (v) {
		if ((rc = owfp_ydoc_uint(d, v, "ioctl out_size", MAX_OUT_SIZE, &u, err)))
			return rc;
		io->out_size = (uint32_t)u;
	}
	v = owfp_ydoc_get(d, m, "expect_status");
	if (v) {
		NTSTATUS st;
		s = owfp_ydoc_str(v);
		if (!s || owfp_status_parse(s, &st))
			return owfp_ydoc_fail(d, v, err,
					      "expect_status %s is not an NTSTATUS; expected "
					      "a name such as STATUS_SUCCESS or a number such as "
					      "0xC0000010",
					      s ? s : owfp_ydoc_kind(v));
		io->has_expect = true;
		io->expect = (uint32_t)st;
	}
	return 0;
}

/* A service name: the registry key under ...\Services, and what
 * --driver-param DRIVER.VALUE names. */
static bool name_valid(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.' || s[i] == '/' || s[i] == '\\' || (unsigned char)s[i] < 0x20 ||
		    s[i] == 0x7f)
			return false;
	return true;
}

static int parse_driver(owfp_ydoc *d, yaml_node_t *m, owfp_config *cfg, owfp_cfg_driver *drv,
			owfp_error *err)
{
	static const char *const keys[] = {"path", "name", "parameters", "ioctls", NULL};
	const char *s;
	int rc;

	drv->mark = owfp_ydoc_mark(m);
	if ((rc = owfp_ydoc_expect_map(d, m, "driver", err)) ||
	    (rc = owfp_ydoc_check_keys(d, m, "driver", keys, err)))
		return rc;
	yaml_node_t *v = owfp_ydoc_get(d, m, "path");
	if (!v)
		return owfp_ydoc_fail(d, m, err,
				      "driver has no 'path'; expected the plugin file "
				      "(a .so built with openwfp-cc)");
	if ((rc = owfp_ydoc_string(d, v, "driver path", &s, err)))
		return rc;
	if (!(drv->path = resolve(cfg->file, s)))
		return -ENOMEM;
	v = owfp_ydoc_get(d, m, "name");
	if (v) {
		if ((rc = owfp_ydoc_string(d, v, "driver name", &s, err)))
			return rc;
		if (!name_valid(s, strlen(s)))
			return owfp_ydoc_fail(d, v, err,
					      "driver name '%s' is not valid; expected a "
					      "service name of 1..64 characters without '.', '/', '\\' "
					      "or control characters",
					      s);
		drv->name = owfp_strdup(s);
	} else {
		const char *base = strrchr(drv->path, '/');
		base = base ? base + 1 : drv->path;
		size_t n = strlen(base);
		if (n > 3 && !strcmp(base + n - 3, ".so"))
			n -= 3;
		/* the default obeys the rule a written name does: --driver-param
		 * splits DRIVER.VALUE at the first '.', messages print it */
		if (!name_valid(base, n))
			return owfp_ydoc_fail(d, m, err,
					      "driver name '%.*s' taken from the file name "
					      "is not valid; expected 1..64 characters without '.' or "
					      "control characters: give the entry a name:",
					      (int)n, base);
		drv->name = owfp_strndup(base, n);
	}
	if (!drv->name)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->ndrivers; i++)
		if (!strcasecmp(cfg->drivers[i].name, drv->name))
			return owfp_ydoc_fail(d, m, err,
					      "driver name '%s' is used twice; expected "
					      "name: to tell the drivers apart",
					      drv->name);
	v = owfp_ydoc_get(d, m, "parameters");
	if (v && !(owfp_ydoc_is_plain(v) && v->data.scalar.length == 0)) {
		if ((rc = owfp_ydoc_expect_map(d, v, "driver parameters", err)) ||
		    (rc = parse_params(d, v, drv, err)))
			return rc;
	}
	v = owfp_ydoc_get(d, m, "ioctls");
	if (v && !(owfp_ydoc_is_plain(v) && v->data.scalar.length == 0)) {
		if ((rc = owfp_ydoc_expect_seq(d, v, "driver ioctls", err)))
			return rc;
		if (!(drv->ioctls = owfp_calloc(owfp_ydoc_len(v) + 1, sizeof(*drv->ioctls))))
			return -ENOMEM;
		for (size_t i = 0; i < owfp_ydoc_len(v); i++) {
			drv->nioctls++;
			if ((rc = parse_ioctl(d, owfp_ydoc_item(d, v, i), cfg->file,
					      &drv->ioctls[i], err)))
				return rc;
		}
	}
	return 0;
}

int owfp_cfg_parse_drivers(owfp_ydoc *d, yaml_node_t *seq, owfp_config *cfg, owfp_error *err)
{
	int rc = owfp_ydoc_expect_seq(d, seq, "drivers", err);
	size_t n = owfp_ydoc_len(seq);

	if (rc)
		return rc;
	if (!(cfg->drivers = owfp_calloc(n + 1, sizeof(*cfg->drivers))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		rc = parse_driver(d, owfp_ydoc_item(d, seq, i), cfg, &cfg->drivers[i], err);
		/* Counted even when it failed, so owfp_config_free frees what it holds. */
		cfg->ndrivers++;
		if (rc)
			return rc;
	}
	return 0;
}
