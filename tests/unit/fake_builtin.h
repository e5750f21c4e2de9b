/*
 * A stand-in built-in callout registry for the config tests: defining
 * owfp_builtin_find/list in the test executable interposes on the library's
 * registry, so these tests do not depend on which built-ins exist.
 * "fake" registers a real callout per family (FwpsCalloutRegister3) so
 * apply can add FWPM callouts and filters that name it; its parameter
 * "fail: true" makes create fail; "flags: N" registers with those
 * FWP_CALLOUT_FLAG_* bits.
 */
#ifndef OWFP_TEST_FAKE_BUILTIN_H
#define OWFP_TEST_FAKE_BUILTIN_H

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openwfp/fwpsk.h"
#include "openwfp/openwfp.h"

typedef struct fake_instance {
	GUID key[2];
	UINT32 id[2];
	bool registered[2];
} fake_instance;

static unsigned fake_instances_live;
/* Instances ever created: tells a kept instance from a replaced one. */
static unsigned fake_instances_created;
/* FwpsCalloutRegister wants a device; a zeroed one belongs to no driver. */
static DEVICE_OBJECT fake_device;

static void NTAPI fake_classify(const FWPS_INCOMING_VALUES0 *in,
				const FWPS_INCOMING_METADATA_VALUES0 *meta, void *layer_data,
				const void *ctx, const FWPS_FILTER3 *filter, UINT64 flow_ctx,
				FWPS_CLASSIFY_OUT0 *out)
{
	(void)in;
	(void)meta;
	(void)layer_data;
	(void)ctx;
	(void)filter;
	(void)flow_ctx;
	out->actionType = FWP_ACTION_CONTINUE;
}

static NTSTATUS NTAPI fake_notify(FWPS_CALLOUT_NOTIFY_TYPE t, const GUID *k, FWPS_FILTER3 *f)
{
	(void)t;
	(void)k;
	(void)f;
	return STATUS_SUCCESS;
}

static int fake_create(const void *params, const char *name, void **out, char *err, size_t errlen)
{
	const json_t *p = params;
	if (json_is_true(json_object_get(p, "fail"))) {
		snprintf(err, errlen, "parameter fail: asked to fail");
		return -EINVAL;
	}
	fake_instance *fi = calloc(1, sizeof(*fi));
	if (!fi)
		return -ENOMEM;
	for (int k = 0; k < 2; k++) {
		/* A key per (name, family), distinct across instances. */
		memset(&fi->key[k], 0, sizeof(GUID));
		fi->key[k].Data1 = 0xfa4e0000u + (UINT32)k;
		strncpy((char *)fi->key[k].Data4, name, 8);
		fi->key[k].Data2 = (UINT16)strlen(name);
		FWPS_CALLOUT3 c;
		memset(&c, 0, sizeof(c));
		c.calloutKey = fi->key[k];
		c.classifyFn = fake_classify;
		c.notifyFn = fake_notify;
		c.flags = (UINT32)json_integer_value(json_object_get(p, "flags"));
		if (NT_SUCCESS(FwpsCalloutRegister3(&fake_device, &c, &fi->id[k])))
			fi->registered[k] = true;
	}
	fake_instances_live++;
	fake_instances_created++;
	*out = fi;
	return 0;
}

static const void *fake_key(void *inst, int family)
{
	fake_instance *fi = inst;
	return &fi->key[family == AF_INET6];
}

static void fake_destroy(void *inst)
{
	fake_instance *fi = inst;
	for (int k = 0; k < 2; k++)
		if (fi->registered[k])
			FwpsCalloutUnregisterById0(fi->id[k]);
	fake_instances_live--;
	free(fi);
}

static const owfp_builtin fake_builtin = {
	.name = "fake",
	.summary = "test stand-in",
	.params_help = "fail  bool  false  make create fail\n"
		       "flags  int  0  FWP_CALLOUT_FLAG_* to register with",
	.create = fake_create,
	.callout_key = fake_key,
	.destroy = fake_destroy,
};

static const owfp_builtin *const fake_list[] = {&fake_builtin, NULL};

const owfp_builtin *owfp_builtin_find(const char *name)
{
	return strcmp(name, "fake") ? NULL : &fake_builtin;
}

const owfp_builtin *const *owfp_builtin_list(void)
{
	return fake_list;
}

#endif
