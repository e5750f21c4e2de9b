/*
 * Applying a configuration: built-in instances first (FwpsCalloutRegister*
 * is not transactional), then every management object in one
 * FwpmTransaction so a bad configuration changes nothing.
 */
#include "config/apply.h"
#include "config/parse.h"
#include "config/same.h"
#include "config/status.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "engine/appid.h"
#include "openwfp/fwpmk.h"
#include "util/alloc.h"

_Static_assert((int)OWFP_CFG_M_NOT_EQUAL == (int)FWP_MATCH_NOT_EQUAL, "match values");
_Static_assert((int)OWFP_CFG_M_FLAGS_NONE_SET == (int)FWP_MATCH_FLAGS_NONE_SET, "match values");
_Static_assert(OWFP_CFG_A_CALLOUT_UNKNOWN == FWP_ACTION_CALLOUT_UNKNOWN, "action values");
_Static_assert(OWFP_CFG_A_CALLOUT_INSPECTION == FWP_ACTION_CALLOUT_INSPECTION, "action values");
_Static_assert(OWFP_CFG_FF_PERMIT_IF_CALLOUT_UNREGISTERED ==
		       FWPM_FILTER_FLAG_PERMIT_IF_CALLOUT_UNREGISTERED,
	       "flag values");
_Static_assert(sizeof(owfp_cfg_guid) == sizeof(GUID), "GUID layout");

struct owfp_config_applied {
	owfp_config *cfg;
	HANDLE session;
	void **instances; /* per cfg->callouts[i] */
	const owfp_builtin **builtins;
	GUID *callout_keys; /* management callouts added */
	size_t ncallout_keys;
	GUID *sublayer_keys; /* sublayers this configuration owns */
	size_t nsublayer_keys;
	uint64_t *filter_ids;
	size_t nfilter_ids, filter_cap;
	/* cfg->filters[i] added filter_ids[fstart[i]] up to fstart[i + 1];
	 * ids past fstart[nfilters] came from owfp_config_filter_add. */
	size_t *fstart;
	size_t *ffrom; /* while applying: 1 + the previous filter a filter keeps */
	/* Per cfg->callouts[i]: 1 + the index of the previous configuration's
	 * instance it uses, until that configuration hands it over; 0: own. */
	size_t *borrowed;
};

const char *owfp_config_status_name(NTSTATUS st)
{
	return owfp_status_name(st);
}

/* UTF-8 to wchar_t (UTF-32 on Linux); invalid bytes become U+FFFD. */
static wchar_t *to_wide(const char *s)
{
	size_t n = strlen(s);
	wchar_t *w = owfp_calloc(n + 1, sizeof(*w)), *o = w;
	if (!w)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, need = c < 0x80         ? 0
					: (c >> 5) == 6  ? 1
					: (c >> 4) == 14 ? 2
					: (c >> 3) == 30 ? 3
							 : 9;
		unsigned cp = need == 0   ? c
			      : need == 1 ? c & 0x1f
			      : need == 2 ? c & 0x0f
					  : c & 0x07;
		p++;
		unsigned got = 0;
		while (got < need && need < 9 && (*p & 0xc0) == 0x80) {
			cp = cp << 6 | (*p++ & 0x3f);
			got++;
		}
		*o++ = (need == 9 || got != need) ? 0xfffd : (wchar_t)cp;
	}
	*o = 0;
	return w;
}

static int fail_status(owfp_error *err, const owfp_config *cfg, owfp_cfg_mark m, const char *what,
		       NTSTATUS st)
{
	return owfp_cfg_fail(err, cfg ? cfg->file : "<filter>", m, "%s failed: %s (0x%08X)", what,
			     owfp_config_status_name(st), (unsigned)st);
}

static bool guid_eq(const GUID *a, const GUID *b)
{
	return memcmp(a, b, sizeof(GUID)) == 0;
}

/* ------------------------------------------------------------ filters */

/* Storage for everything FWPM_FILTER_CONDITION0 values point at. */
typedef struct cond_store {
	FWPM_FILTER_CONDITION0 c;
	FWP_V4_ADDR_AND_MASK v4m;
	FWP_V6_ADDR_AND_MASK v6m;
	FWP_BYTE_ARRAY16 a16, a16_hi;
	FWP_RANGE0 range;
	FWP_BYTE_BLOB blob; /* app id; data malloc'ed */
} cond_store;

static const GUID *field_key(enum owfp_cfg_field f)
{
	switch (f) {
	case OWFP_CFG_F_LOCAL_ADDRESS:
		return &FWPM_CONDITION_IP_LOCAL_ADDRESS;
	case OWFP_CFG_F_REMOTE_ADDRESS:
		return &FWPM_CONDITION_IP_REMOTE_ADDRESS;
	case OWFP_CFG_F_LOCAL_ADDRESS_TYPE:
		return &FWPM_CONDITION_IP_LOCAL_ADDRESS_TYPE;
	case OWFP_CFG_F_LOCAL_PORT:
		return &FWPM_CONDITION_IP_LOCAL_PORT;
	case OWFP_CFG_F_REMOTE_PORT:
		return &FWPM_CONDITION_IP_REMOTE_PORT;
	case OWFP_CFG_F_DIRECTION:
		return &FWPM_CONDITION_DIRECTION;
	case OWFP_CFG_F_FLAGS:
		return &FWPM_CONDITION_FLAGS;
	case OWFP_CFG_F_APP_ID:
		return &FWPM_CONDITION_ALE_APP_ID;
	case OWFP_CFG_F_IP_PROTOCOL:
		return &FWPM_CONDITION_IP_PROTOCOL;
	default:
		return &FWPM_CONDITION_COMPARTMENT_ID;
	}
}

static void set_uint(FWP_VALUE0 *v, enum owfp_cfg_field f, uint32_t u)
{
	if (f == OWFP_CFG_F_LOCAL_ADDRESS_TYPE || f == OWFP_CFG_F_IP_PROTOCOL) {
		v->type = FWP_UINT8;
		v->uint8 = (UINT8)u;
	} else if (f == OWFP_CFG_F_LOCAL_PORT || f == OWFP_CFG_F_REMOTE_PORT) {
		v->type = FWP_UINT16;
		v->uint16 = (UINT16)u;
	} else {
		v->type = FWP_UINT32;
		v->uint32 = u;
	}
}

/* Returns 0, or -ENOMEM / -EINVAL (an app id path that cannot be one). */
static int build_condition(const owfp_cfg_condition *in, cond_store *s)
{
	FWPM_FILTER_CONDITION0 *c = &s->c;
	FWP_CONDITION_VALUE0 *v = &c->conditionValue;
	FWP_VALUE0 tmp;
	memset(&tmp, 0, sizeof(tmp));
	c->fieldKey = *field_key(in->field);
	c->matchType = (FWP_MATCH_TYPE)in->match;
	switch (in->kind) {
	case OWFP_CFG_V_UINT:
		set_uint(&tmp, in->field, in->u);
		v->type = tmp.type;
		v->uint32 = 0;
		if (tmp.type == FWP_UINT8)
			v->uint8 = tmp.uint8;
		else if (tmp.type == FWP_UINT16)
			v->uint16 = tmp.uint16;
		else
			v->uint32 = tmp.uint32;
		break;
	case OWFP_CFG_V_V4:
		v->type = FWP_UINT32;
		v->uint32 = in->v4;
		break;
	case OWFP_CFG_V_V4_MASK:
		s->v4m.addr = in->v4;
		s->v4m.mask = in->v4_mask;
		v->type = FWP_V4_ADDR_MASK;
		v->v4AddrMask = &s->v4m;
		break;
	case OWFP_CFG_V_V6:
		memcpy(s->a16.byteArray16, in->v6, 16);
		v->type = FWP_BYTE_ARRAY16_TYPE;
		v->byteArray16 = &s->a16;
		break;
	case OWFP_CFG_V_V6_MASK:
		memcpy(s->v6m.addr, in->v6, 16);
		s->v6m.prefixLength = in->prefix;
		v->type = FWP_V6_ADDR_MASK;
		v->v6AddrMask = &s->v6m;
		break;
	case OWFP_CFG_V_RANGE_UINT:
		set_uint(&s->range.valueLow, in->field, in->u);
		set_uint(&s->range.valueHigh, in->field, in->u_hi);
		v->type = FWP_RANGE_TYPE;
		v->rangeValue = &s->range;
		break;
	case OWFP_CFG_V_RANGE_V4:
		s->range.valueLow.type = s->range.valueHigh.type = FWP_UINT32;
		s->range.valueLow.uint32 = in->v4;
		s->range.valueHigh.uint32 = in->v4_hi;
		v->type = FWP_RANGE_TYPE;
		v->rangeValue = &s->range;
		break;
	case OWFP_CFG_V_RANGE_V6:
		memcpy(s->a16.byteArray16, in->v6, 16);
		memcpy(s->a16_hi.byteArray16, in->v6_hi, 16);
		s->range.valueLow.type = s->range.valueHigh.type = FWP_BYTE_ARRAY16_TYPE;
		s->range.valueLow.byteArray16 = &s->a16;
		s->range.valueHigh.byteArray16 = &s->a16_hi;
		v->type = FWP_RANGE_TYPE;
		v->rangeValue = &s->range;
		break;
	case OWFP_CFG_V_APP_ID: {
		int rc = owfp_appid_from_config_path(in->text, &s->blob);
		if (rc)
			return rc;
		v->type = FWP_BYTE_BLOB_TYPE;
		v->byteBlob = &s->blob;
		break;
	}
	}
	return 0;
}

static int resolve_sublayer(const owfp_config *cfg, const owfp_cfg_filter *f, GUID *out,
			    owfp_error *err)
{
	const owfp_cfg_sublayer *s;
	if (!f->sublayer || !strcmp(f->sublayer, "universal"))
		*out = FWPM_SUBLAYER_UNIVERSAL;
	else if (!strcmp(f->sublayer, "inspection"))
		*out = FWPM_SUBLAYER_INSPECTION;
	else if ((s = owfp_cfg_find_sublayer(cfg, f->sublayer)))
		memcpy(out, &s->key, sizeof(*out));
	else if (owfp_cfg_guid_parse(f->sublayer, (owfp_cfg_guid *)out))
		return owfp_cfg_fail(err, cfg ? cfg->file : "<filter>", f->sublayer_mark,
				     "unknown sublayer '%s'; expected a configured name, universal, "
				     "inspection or a GUID",
				     f->sublayer);
	return 0;
}

static int resolve_callout(const owfp_config_applied *a, const owfp_config *cfg,
			   const owfp_cfg_filter *f, int family, GUID *out, owfp_error *err)
{
	const char *file = cfg ? cfg->file : "<filter>";
	for (size_t i = 0; cfg && i < cfg->ncallouts; i++) {
		if (strcmp(cfg->callouts[i].name, f->callout) != 0)
			continue;
		if (!cfg->callouts[i].type) {
			memcpy(out, &cfg->callouts[i].key, sizeof(*out));
			return 0;
		}
		const GUID *k = NULL;
		if (a && a->instances && a->instances[i])
			k = a->builtins[i]->callout_key(a->instances[i], family);
		if (!k)
			return owfp_cfg_fail(err, file, f->callout_mark,
					     "callout '%s' has no %s stream callout; expected a "
					     "layer it supports",
					     f->callout, family == AF_INET ? "IPv4" : "IPv6");
		*out = *k;
		return 0;
	}
	if (owfp_cfg_guid_parse(f->callout, (owfp_cfg_guid *)out))
		return owfp_cfg_fail(err, file, f->callout_mark,
				     "unknown callout '%s'; expected a configured name or a GUID",
				     f->callout);
	return 0;
}

static int push_id(owfp_config_applied *a, uint64_t id)
{
	if (a->nfilter_ids == a->filter_cap) {
		size_t cap = a->filter_cap ? a->filter_cap * 2 : 16;
		uint64_t *n = owfp_realloc(a->filter_ids, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		a->filter_ids = n;
		a->filter_cap = cap;
	}
	a->filter_ids[a->nfilter_ids++] = id;
	return 0;
}

/* Adds one configured filter (one FWPM filter per layer it covers). */
static int add_filter(HANDLE session, owfp_config_applied *a, const owfp_config *cfg,
		      const owfp_cfg_filter *f, uint64_t *ids, size_t *nids, owfp_error *err)
{
	static const struct {
		unsigned bit;
		const GUID *layer;
		int family;
	} layers[] = {
		{OWFP_CFG_LAYER_STREAM_V4, &FWPM_LAYER_STREAM_V4, AF_INET},
		{OWFP_CFG_LAYER_STREAM_V6, &FWPM_LAYER_STREAM_V6, AF_INET6},
		{OWFP_CFG_LAYER_FLOW_V4, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, AF_INET},
		{OWFP_CFG_LAYER_FLOW_V6, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V6, AF_INET6},
	};
	const char *file = cfg ? cfg->file : "<filter>";
	int rc = 0;
	cond_store *cs = owfp_calloc(f->nconds + 1, sizeof(*cs));
	FWPM_FILTER_CONDITION0 *conds = owfp_calloc(f->nconds + 1, sizeof(*conds));
	wchar_t *wname = to_wide(f->name);
	if (!cs || !conds || !wname) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < f->nconds; i++) {
		if ((rc = build_condition(&f->conds[i], &cs[i]))) {
			if (rc == -EINVAL)
				rc = owfp_cfg_fail(err, file, f->conds[i].mark,
						   "app_id '%s' cannot be "
						   "an application id; expected an absolute path",
						   f->conds[i].text);
			goto out;
		}
		conds[i] = cs[i].c;
	}
	for (size_t l = 0; l < sizeof(layers) / sizeof(layers[0]); l++) {
		if (!(f->layers & layers[l].bit))
			continue;
		FWPM_FILTER0 mf;
		UINT64 weight = f->weight;
		memset(&mf, 0, sizeof(mf));
		mf.displayData.name = wname;
		mf.flags = f->flags;
		mf.layerKey = *layers[l].layer;
		if ((rc = resolve_sublayer(cfg, f, &mf.subLayerKey, err)))
			goto out;
		if (f->weight_kind == OWFP_CFG_W_UINT64) {
			mf.weight.type = FWP_UINT64;
			mf.weight.uint64 = &weight;
		} else if (f->weight_kind == OWFP_CFG_W_RANGE) {
			mf.weight.type = FWP_UINT8;
			mf.weight.uint8 = (UINT8)f->weight;
		} else {
			mf.weight.type = FWP_EMPTY;
		}
		mf.numFilterConditions = (UINT32)f->nconds;
		mf.filterCondition = f->nconds ? conds : NULL;
		mf.action.type = f->action;
		if (f->callout &&
		    (rc = resolve_callout(a, cfg, f, layers[l].family, &mf.action.calloutKey, err)))
			goto out;
		mf.rawContext = f->context;
		UINT64 id = 0;
		NTSTATUS st = FwpmFilterAdd0(session, &mf, NULL, &id);
		if (st == STATUS_FWP_CALLOUT_NOT_FOUND) {
			char g[40];
			owfp_cfg_guid_format((const owfp_cfg_guid *)&mf.action.calloutKey, g);
			rc = owfp_cfg_fail(err, file, f->mark,
					   "adding filter '%s' failed: STATUS_FWP_CALLOUT_NOT_FOUND "
					   "(0x%08X): no callout %s in the filter engine; a key a "
					   "driver registers with FwpsCalloutRegister needs its "
					   "FwpmCalloutAdd0 too: add {name: ..., key: %s, layer: ...} "
					   "to 'callouts' and name it here",
					   f->name, (unsigned)st, g, g);
			goto out;
		}
		if (!NT_SUCCESS(st)) {
			char what[160];
			snprintf(what, sizeof(what), "adding filter '%s'", f->name);
			rc = fail_status(err, cfg, f->mark, what, st);
			goto out;
		}
		if (ids)
			ids[(*nids)++] = id;
		if (a && (rc = push_id(a, id)))
			goto out;
	}
out:
	for (size_t i = 0; cs && i < f->nconds; i++)
		free(cs[i].blob.data);
	free(cs);
	free(conds);
	free(wname);
	return rc;
}

/* -------------------------------------------------------------- apply */

static void destroy_instances(owfp_config_applied *a)
{
	for (size_t i = 0; a->cfg && i < a->cfg->ncallouts; i++)
		if (a->instances && a->instances[i] && a->builtins[i] &&
		    !(a->borrowed && a->borrowed[i]))
			a->builtins[i]->destroy(a->instances[i]);
	free(a->instances);
	free(a->builtins);
	free(a->borrowed);
	a->borrowed = NULL;
	a->instances = NULL;
	a->builtins = NULL;
}

static void applied_free(owfp_config_applied *a)
{
	if (!a)
		return;
	destroy_instances(a);
	if (a->session)
		FwpmEngineClose0(a->session);
	owfp_config_free(a->cfg);
	free(a->callout_keys);
	free(a->sublayer_keys);
	free(a->filter_ids);
	free(a->fstart);
	free(a->ffrom);
	free(a);
}

/* The previous configuration's instance of an unchanged callout, so its
 * key, its filters and the state its flows keep survive the reload. */
static size_t find_kept_instance(const owfp_config_applied *a, const owfp_config_applied *prev,
				 const owfp_cfg_callout *c)
{
	for (size_t j = 0; prev && prev->instances && j < prev->cfg->ncallouts; j++) {
		bool taken = false;
		for (size_t i = 0; i < a->cfg->ncallouts; i++)
			taken |= a->borrowed[i] == j + 1;
		if (!taken && prev->instances[j] && owfp_cfg_callout_same(&prev->cfg->callouts[j], c))
			return j + 1;
	}
	return 0;
}

static int create_instances(owfp_config_applied *a, const owfp_config_applied *prev, owfp_error *err)
{
	const owfp_config *cfg = a->cfg;
	a->instances = owfp_calloc(cfg->ncallouts + 1, sizeof(*a->instances));
	a->builtins = owfp_calloc(cfg->ncallouts + 1, sizeof(const owfp_builtin *));
	a->borrowed = owfp_calloc(cfg->ncallouts + 1, sizeof(*a->borrowed));
	if (!a->instances || !a->builtins || !a->borrowed)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->ncallouts; i++) {
		const owfp_cfg_callout *c = &cfg->callouts[i];
		if (!c->type)
			continue; /* a driver's callout: the driver registers it */
		size_t j = find_kept_instance(a, prev, c);
		if (j) {
			a->borrowed[i] = j;
			a->instances[i] = prev->instances[j - 1];
			a->builtins[i] = prev->builtins[j - 1];
			continue;
		}
		const owfp_builtin *b = owfp_builtin_find(c->type);
		char msg[300] = "";
		if (!b)
			return owfp_cfg_fail(err, cfg->file, c->mark, "unknown callout type '%s'",
					     c->type);
		int rc = b->create(c->params, c->name, &a->instances[i], msg, sizeof(msg));
		if (rc) {
			a->instances[i] = NULL;
			return owfp_cfg_fail(err, cfg->file, c->params_mark,
					     "callout '%s' (%s): %s", c->name, c->type,
					     msg[0] ? msg : strerror(rc < 0 ? -rc : rc));
		}
		a->builtins[i] = b;
	}
	return 0;
}

static bool prev_owns_sublayer(const owfp_config_applied *prev, const GUID *k)
{
	for (size_t i = 0; prev && i < prev->nsublayer_keys; i++)
		if (guid_eq(&prev->sublayer_keys[i], k))
			return true;
	return false;
}

/* FwpmCalloutAdd0 for a key a driver registers (or will): monitor.exe's part. */
static int add_driver_callout(owfp_config_applied *a, const owfp_cfg_callout *c, owfp_error *err)
{
	FWPM_CALLOUT0 mc;
	NTSTATUS st;

	memset(&mc, 0, sizeof(mc));
	memcpy(&mc.calloutKey, &c->key, sizeof(mc.calloutKey));
	mc.applicableLayer = c->layer == OWFP_CFG_LAYER_STREAM_V4   ? FWPM_LAYER_STREAM_V4
			     : c->layer == OWFP_CFG_LAYER_STREAM_V6 ? FWPM_LAYER_STREAM_V6
			     : c->layer == OWFP_CFG_LAYER_FLOW_V4
				     ? FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4
				     : FWPM_LAYER_ALE_FLOW_ESTABLISHED_V6;
	if (!(mc.displayData.name = to_wide(c->name)))
		return -ENOMEM;
	st = FwpmCalloutAdd0(a->session, &mc, NULL, NULL);
	free(mc.displayData.name);
	if (!NT_SUCCESS(st)) {
		char what[200];
		snprintf(what, sizeof(what), "adding callout '%s'%s", c->name,
			 st == STATUS_FWP_ALREADY_EXISTS ? " (its driver or another entry added this "
							   "key already)"
							 : "");
		return fail_status(err, a->cfg, c->mark, what, st);
	}
	a->callout_keys[a->ncallout_keys++] = mc.calloutKey;
	return 0;
}

static bool prev_has_callout(const owfp_config_applied *prev, const GUID *k)
{
	for (size_t i = 0; prev && i < prev->ncallout_keys; i++)
		if (guid_eq(&prev->callout_keys[i], k))
			return true;
	return false;
}

/* Whether the new configuration has a management callout with key `k`. */
static bool new_callout_key(const owfp_config_applied *a, const GUID *k)
{
	static const int fams[2] = {AF_INET, AF_INET6};
	for (size_t i = 0; i < a->cfg->ncallouts; i++) {
		const owfp_cfg_callout *c = &a->cfg->callouts[i];
		if (!c->type) {
			if (!memcmp(&c->key, k, sizeof(*k)))
				return true;
			continue;
		}
		for (int f = 0; f < 2; f++) {
			const GUID *key = a->builtins[i]->callout_key(a->instances[i], fams[f]);
			if (key && guid_eq(key, k))
				return true;
		}
	}
	return false;
}

/* Both filters resolve to the same sublayer and callout keys. */
static bool resolves_same(const owfp_config_applied *a, const owfp_cfg_filter *f,
			  const owfp_config_applied *prev, const owfp_cfg_filter *pf)
{
	GUID k1, k2;
	if (resolve_sublayer(a->cfg, f, &k1, NULL) || resolve_sublayer(prev->cfg, pf, &k2, NULL) ||
	    !guid_eq(&k1, &k2))
		return false;
	if (!f->callout)
		return true;
	/* A built-in named here must be the very instance the old filter used. */
	for (size_t i = 0; i < a->cfg->ncallouts; i++)
		if (a->cfg->callouts[i].type && !strcmp(a->cfg->callouts[i].name, f->callout) &&
		    (!a->borrowed[i] ||
		     strcmp(prev->cfg->callouts[a->borrowed[i] - 1].name, pf->callout)))
			return false;
	for (int fam = 0; fam < 2; fam++) {
		unsigned bits = fam ? OWFP_CFG_LAYERS_V6 : OWFP_CFG_LAYERS_V4;
		int family = fam ? AF_INET6 : AF_INET;
		if (!(f->layers & bits))
			continue;
		if (resolve_callout(a, a->cfg, f, family, &k1, NULL) ||
		    resolve_callout(prev, prev->cfg, pf, family, &k2, NULL) || !guid_eq(&k1, &k2))
			return false;
	}
	return true;
}

/*
 * Pairs each filter with an unchanged one of the previous configuration
 * (a->ffrom) and marks the previous filter ids those keep (*keep).
 */
static int find_kept_filters(owfp_config_applied *a, const owfp_config_applied *prev, bool **keep)
{
	const owfp_config *cfg = a->cfg, *pcfg = prev->cfg;
	bool *taken = owfp_calloc(pcfg->nfilters + 1, sizeof(*taken));
	*keep = owfp_calloc(prev->nfilter_ids + 1, sizeof(**keep));
	if (!taken || !*keep) {
		free(taken);
		free(*keep);
		*keep = NULL;
		return -ENOMEM;
	}
	for (size_t i = 0; prev->fstart && i < cfg->nfilters; i++) {
		for (size_t j = 0; j < pcfg->nfilters; j++) {
			if (taken[j] || !owfp_cfg_filter_same(&cfg->filters[i], &pcfg->filters[j]) ||
			    !resolves_same(a, &cfg->filters[i], prev, &pcfg->filters[j]))
				continue;
			taken[j] = true;
			a->ffrom[i] = j + 1;
			for (size_t k = prev->fstart[j]; k < prev->fstart[j + 1]; k++)
				(*keep)[k] = true;
			break;
		}
	}
	free(taken);
	return 0;
}

static int add_objects(owfp_config_applied *a, owfp_config_applied *prev, owfp_error *err)
{
	const owfp_config *cfg = a->cfg;
	HANDLE h = a->session;
	NTSTATUS st;
	int rc;

	bool *keep = NULL; /* per prev->filter_ids[i] */
	a->fstart = owfp_calloc(cfg->nfilters + 1, sizeof(*a->fstart));
	a->ffrom = owfp_calloc(cfg->nfilters + 1, sizeof(*a->ffrom));
	if (!a->fstart || !a->ffrom)
		return -ENOMEM;
	if (prev && (rc = find_kept_filters(a, prev, &keep)))
		return rc;
	if (prev) {
		for (size_t i = 0; i < prev->nfilter_ids; i++)
			if (!keep[i])
				FwpmFilterDeleteById0(h, prev->filter_ids[i]);
		for (size_t i = 0; i < prev->ncallout_keys; i++)
			if (!new_callout_key(a, &prev->callout_keys[i]))
				FwpmCalloutDeleteByKey0(h, &prev->callout_keys[i]);
		for (size_t i = 0; i < prev->nsublayer_keys; i++) {
			bool kept = false;
			for (size_t j = 0; j < cfg->nsublayers; j++)
				kept |= !memcmp(&cfg->sublayers[j].key, &prev->sublayer_keys[i],
						sizeof(GUID));
			if (!kept)
				FwpmSubLayerDeleteByKey0(h, &prev->sublayer_keys[i]);
		}
	}

	free(keep);
	a->sublayer_keys = owfp_calloc(cfg->nsublayers + 1, sizeof(GUID));
	a->callout_keys = owfp_calloc(2 * cfg->ncallouts + 1, sizeof(GUID));
	if (!a->sublayer_keys || !a->callout_keys)
		return -ENOMEM;
	for (size_t i = 0; i < cfg->nsublayers; i++) {
		const owfp_cfg_sublayer *s = &cfg->sublayers[i];
		GUID key;
		memcpy(&key, &s->key, sizeof(key));
		a->sublayer_keys[a->nsublayer_keys++] = key;
		if (prev_owns_sublayer(prev, &key))
			continue;
		FWPM_SUBLAYER0 sl;
		memset(&sl, 0, sizeof(sl));
		sl.subLayerKey = key;
		sl.weight = s->weight;
		if (!(sl.displayData.name = to_wide(s->name)))
			return -ENOMEM;
		st = FwpmSubLayerAdd0(h, &sl, NULL);
		free(sl.displayData.name);
		if (!NT_SUCCESS(st)) {
			char what[160];
			snprintf(what, sizeof(what), "adding sublayer '%s'", s->name);
			return fail_status(err, cfg, s->mark, what, st);
		}
	}
	for (size_t i = 0; i < cfg->ncallouts; i++) {
		static const int fams[2] = {AF_INET, AF_INET6};
		if (!cfg->callouts[i].type) {
			GUID key;
			memcpy(&key, &cfg->callouts[i].key, sizeof(key));
			if (prev_has_callout(prev, &key))
				a->callout_keys[a->ncallout_keys++] = key;
			else if ((rc = add_driver_callout(a, &cfg->callouts[i], err)))
				return rc;
			continue;
		}
		for (int k = 0; k < 2; k++) {
			const GUID *key = a->builtins[i]->callout_key(a->instances[i], fams[k]);
			if (!key)
				continue;
			FWPM_CALLOUT0 mc;
			memset(&mc, 0, sizeof(mc));
			mc.calloutKey = *key;
			mc.applicableLayer = fams[k] == AF_INET ? FWPM_LAYER_STREAM_V4
								: FWPM_LAYER_STREAM_V6;
			if (!(mc.displayData.name = to_wide(cfg->callouts[i].name)))
				return -ENOMEM;
			/* Kept from the previous configuration: it is there. */
			st = prev_has_callout(prev, key) ? STATUS_SUCCESS
							 : FwpmCalloutAdd0(h, &mc, NULL, NULL);
			free(mc.displayData.name);
			if (!NT_SUCCESS(st)) {
				char what[160];
				snprintf(what, sizeof(what), "adding callout '%s'",
					 cfg->callouts[i].name);
				return fail_status(err, cfg, cfg->callouts[i].mark, what, st);
			}
			a->callout_keys[a->ncallout_keys++] = *key;
		}
	}
	for (size_t i = 0; i < cfg->nfilters; i++) {
		a->fstart[i] = a->nfilter_ids;
		size_t j = a->ffrom[i];
		if (j) { /* unchanged: the filter objects stay, with their flows' stages */
			for (size_t k = prev->fstart[j - 1]; k < prev->fstart[j]; k++)
				if ((rc = push_id(a, prev->filter_ids[k])))
					return rc;
		} else if ((rc = add_filter(h, a, cfg, &cfg->filters[i], NULL, NULL, err))) {
			return rc;
		}
	}
	a->fstart[cfg->nfilters] = a->nfilter_ids;
	return 0;
}

static int open_session(HANDLE *h, const char *file, owfp_error *err)
{
	NTSTATUS st = FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, h);
	if (!NT_SUCCESS(st)) {
		if (err)
			snprintf(err->msg, sizeof(err->msg),
				 "%s: FwpmEngineOpen0 failed: %s (0x%08X); is an engine created?",
				 file, owfp_config_status_name(st), (unsigned)st);
		return -ENODEV;
	}
	return 0;
}

int owfp_config_apply(const owfp_config *cfg, owfp_config_applied *prev, owfp_config_applied **out,
		      owfp_error *err)
{
	owfp_config_applied *a;
	int rc;
	/* Drivers load once, before the first apply (config/drivers.h); a
	 * reload cannot load, unload or re-parameterise one. */
	if (prev && !owfp_cfg_drivers_equal(prev->cfg, cfg))
		return owfp_cfg_fail(err, cfg->file,
				     cfg->ndrivers ? cfg->drivers[0].mark : (owfp_cfg_mark){1, 1},
				     "the drivers: section changed; a reload cannot load, unload or "
				     "re-parameterise drivers: restart to use it (the previous "
				     "configuration stays in force)");
	if (!(a = owfp_calloc(1, sizeof(*a)))) {
		if (err)
			snprintf(err->msg, sizeof(err->msg), "%s: out of memory", cfg->file);
		return -ENOMEM;
	}
	if ((rc = owfp_config_copy(cfg, &a->cfg)) || (rc = create_instances(a, prev, err)) ||
	    (rc = open_session(&a->session, cfg->file, err)))
		goto fail;
	NTSTATUS st = FwpmTransactionBegin0(a->session, 0);
	if (!NT_SUCCESS(st)) {
		rc = fail_status(err, cfg, (owfp_cfg_mark){1, 1}, "FwpmTransactionBegin0", st);
		goto fail;
	}
	if ((rc = add_objects(a, prev, err))) {
		FwpmTransactionAbort0(a->session);
		goto fail;
	}
	st = FwpmTransactionCommit0(a->session);
	if (!NT_SUCCESS(st)) {
		rc = fail_status(err, cfg, (owfp_cfg_mark){1, 1}, "FwpmTransactionCommit0", st);
		goto fail;
	}
	/* The kept instances are this configuration's now. */
	for (size_t i = 0; i < a->cfg->ncallouts; i++)
		if (a->borrowed[i])
			prev->instances[a->borrowed[i] - 1] = NULL;
	free(a->borrowed);
	a->borrowed = NULL;
	free(a->ffrom);
	a->ffrom = NULL;
	applied_free(prev);
	*out = a;
	return 0;
fail:
	if (rc == -ENOMEM && err)
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", cfg->file);
	a->nfilter_ids = 0;
	applied_free(a);
	return rc;
}

void owfp_config_unapply(owfp_config_applied *a)
{
	if (!a)
		return;
	if (a->session) {
		bool txn = NT_SUCCESS(FwpmTransactionBegin0(a->session, 0));
		for (size_t i = 0; i < a->nfilter_ids; i++)
			FwpmFilterDeleteById0(a->session, a->filter_ids[i]);
		for (size_t i = 0; i < a->ncallout_keys; i++)
			FwpmCalloutDeleteByKey0(a->session, &a->callout_keys[i]);
		for (size_t i = 0; i < a->nsublayer_keys; i++)
			FwpmSubLayerDeleteByKey0(a->session, &a->sublayer_keys[i]);
		if (txn)
			FwpmTransactionCommit0(a->session);
	}
	applied_free(a);
}

size_t owfp_config_applied_filter_ids(const owfp_config_applied *a, const uint64_t **ids)
{
	*ids = a->filter_ids;
	return a->nfilter_ids;
}

int owfp_config_filter_add(owfp_config_applied *a, const char *text, size_t len, uint64_t ids[2],
			   size_t *nids, owfp_error *err)
{
	owfp_ydoc d;
	owfp_cfg_filter f;
	const owfp_config *scope = a ? a->cfg : NULL;
	HANDLE h = a ? a->session : NULL;
	bool own_session = !h;
	int rc = owfp_ydoc_load(&d, "<filter>", text, len, err);
	*nids = 0;
	if (rc)
		return rc;
	yaml_node_t *root = owfp_ydoc_root(&d);
	if (!root) {
		owfp_ydoc_free(&d);
		return owfp_cfg_fail(err, "<filter>", (owfp_cfg_mark){1, 1},
				     "the filter is empty; expected a mapping with layer and action");
	}
	rc = owfp_cfg_parse_filter(&d, root, scope ? scope->nfilters : 0, scope, &f, err);
	owfp_ydoc_free(&d);
	if (rc)
		return rc;
	if (own_session && (rc = open_session(&h, "<filter>", err))) {
		owfp_cfg_filter_clear(&f);
		return rc;
	}
	NTSTATUS st = FwpmTransactionBegin0(h, 0);
	if (!NT_SUCCESS(st)) {
		rc = fail_status(err, NULL, f.mark, "FwpmTransactionBegin0", st);
	} else {
		size_t before = a ? a->nfilter_ids : 0;
		rc = add_filter(h, a, scope, &f, ids, nids, err);
		if (rc) {
			FwpmTransactionAbort0(h);
			if (a)
				a->nfilter_ids = before;
			*nids = 0;
		} else if (!NT_SUCCESS(st = FwpmTransactionCommit0(h))) {
			rc = fail_status(err, NULL, f.mark, "FwpmTransactionCommit0", st);
			if (a)
				a->nfilter_ids = before;
			*nids = 0;
		}
	}
	if (own_session)
		FwpmEngineClose0(h);
	owfp_cfg_filter_clear(&f);
	return rc;
}

const owfp_config *owfp_config_applied_config(const owfp_config_applied *a)
{
	return a->cfg;
}

int owfp_config_check(const owfp_config *cfg, owfp_error *err)
{
	return owfp_config_check_warn(cfg, NULL, NULL, NULL, err);
}

int owfp_config_check_warn(const owfp_config *cfg, owfp_config_warn_fn warn, void *ctx,
			   size_t *nwarnings, owfp_error *err)
{
	owfp_engine *engine;
	owfp_config_applied *a = NULL;
	owfp_engine_opts opts;
	memset(&opts, 0, sizeof(opts));
	int rc = owfp_engine_create(&opts, &engine);
	if (rc) {
		if (err)
			snprintf(err->msg, sizeof(err->msg),
				 "%s: cannot create a scratch engine: %s", cfg->file, strerror(-rc));
		return rc;
	}
	rc = owfp_config_apply(cfg, NULL, &a, err);
	if (!rc) {
		size_t n = warn ? owfp_config_warn_shadowed(a, warn, ctx) : 0;
		if (nwarnings)
			*nwarnings = n;
		owfp_config_unapply(a);
	}
	owfp_engine_destroy(engine);
	return rc;
}
