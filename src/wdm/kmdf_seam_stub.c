/*
 * TEMPORARY STUB (helper ctlplane), dropped at merge: the smallest stand-in
 * for helper kmdf's registry Parameters store, plugin load options and
 * IOCTL dispatch (SEAMS.md), so the configuration and CLI side can be
 * built and tested before kmdf's branch lands. Values are kept but no
 * driver can read them; every IOCTL finds no device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wdm/ioctl.h"
#include "wdm/plugin.h"
#include "wdm/regparams.h"

struct owfp_regparams {
	size_t n;
};

owfp_regparams *owfp_regparams_new(void)
{
	return calloc(1, sizeof(owfp_regparams));
}

void owfp_regparams_free(owfp_regparams *p)
{
	free(p);
}

static int check_name(const char *name, char *err, size_t errlen)
{
	if (!name || !*name || strlen(name) > 255 || strchr(name, '\\')) {
		snprintf(err, errlen, "value name '%s' is not valid: 1..255 characters, no '\\'",
			 name ? name : "");
		return -EINVAL;
	}
	return 0;
}

int owfp_regparams_set_dword(owfp_regparams *p, const char *name, uint32_t v, char *err, size_t errlen)
{
	(void)v;
	int rc = check_name(name, err, errlen);
	p->n += !rc;
	return rc;
}

int owfp_regparams_set_sz(owfp_regparams *p, const char *name, const char *utf8, char *err, size_t errlen)
{
	(void)utf8;
	int rc = check_name(name, err, errlen);
	p->n += !rc;
	return rc;
}

int owfp_regparams_set_multi_sz(owfp_regparams *p, const char *name, const char *const *items, size_t n,
				char *err, size_t errlen)
{
	(void)items, (void)n;
	int rc = check_name(name, err, errlen);
	p->n += !rc;
	return rc;
}

int owfp_regparams_set_binary(owfp_regparams *p, const char *name, const void *data, size_t len,
			      char *err, size_t errlen)
{
	(void)data, (void)len;
	int rc = check_name(name, err, errlen);
	p->n += !rc;
	return rc;
}

int owfp_plugin_load_opts(const char *path, const owfp_plugin_opts *opts, owfp_plugin **out,
			  char *err, size_t errlen)
{
	(void)opts;
	return owfp_plugin_load(path, out, err, errlen);
}

const char *owfp_plugin_driver_name(const owfp_plugin *plugin)
{
	const char *s = strrchr(owfp_plugin_path(plugin), '/');
	return s ? s + 1 : owfp_plugin_path(plugin);
}

NTSTATUS owfp_device_ioctl(const char *device, ULONG code, const void *in, ULONG in_len,
			   void *out, ULONG out_len, ULONG_PTR *information)
{
	(void)device, (void)code, (void)in, (void)in_len, (void)out, (void)out_len;
	if (information)
		*information = 0;
	return STATUS_OBJECT_NAME_NOT_FOUND;
}
