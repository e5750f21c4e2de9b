/* One `filters:` entry: layer, sublayer, weight, conditions, action. */
#include "config/parse.h"
#include "config/values.h"
#include "util/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const struct {
	const char *name;
	unsigned layers;
} layer_names[] = {
	{"stream_v4", OWFP_CFG_LAYER_STREAM_V4},
	{"stream_v6", OWFP_CFG_LAYER_STREAM_V6},
	{"stream", OWFP_CFG_LAYER_STREAM_V4 | OWFP_CFG_LAYER_STREAM_V6},
	{"flow_established_v4", OWFP_CFG_LAYER_FLOW_V4},
	{"flow_established_v6", OWFP_CFG_LAYER_FLOW_V6},
	{"flow_established", OWFP_CFG_LAYER_FLOW_V4 | OWFP_CFG_LAYER_FLOW_V6},
};

static const char *const field_names[OWFP_CFG_F_COUNT] = {
	"local_address", "remote_address", "local_address_type", "local_port", "remote_port",
	"direction",     "flags",          "compartment_id",     "app_id",     "ip_protocol",
};

#define FIELD_LIST                                                                \
	"local_address, remote_address, local_address_type, local_port, "         \
	"remote_port, direction, flags, compartment_id, and at flow_established " \
	"also app_id, ip_protocol"

static const struct {
	const char *name;
	uint32_t number;
} protocol_names[] = {
	{"icmp", 1},
	{"tcp", 6},
	{"udp", 17},
	{"icmpv6", 58},
};

static const struct {
	const char *name;
	enum owfp_cfg_match m;
} match_names[] = {
	{"equal", OWFP_CFG_M_EQUAL},
	{"not_equal", OWFP_CFG_M_NOT_EQUAL},
	{"greater", OWFP_CFG_M_GREATER},
	{"less", OWFP_CFG_M_LESS},
	{"greater_or_equal", OWFP_CFG_M_GREATER_OR_EQUAL},
	{"less_or_equal", OWFP_CFG_M_LESS_OR_EQUAL},
	{"range", OWFP_CFG_M_RANGE},
	{"flags_all_set", OWFP_CFG_M_FLAGS_ALL_SET},
	{"flags_any_set", OWFP_CFG_M_FLAGS_ANY_SET},
	{"flags_none_set", OWFP_CFG_M_FLAGS_NONE_SET},
};

static const struct {
	const char *name;
	uint32_t type;
} action_names[] = {
	{"permit", OWFP_CFG_A_PERMIT},
	{"block", OWFP_CFG_A_BLOCK},
	{"callout_terminating", OWFP_CFG_A_CALLOUT_TERMINATING},
	{"callout_inspection", OWFP_CFG_A_CALLOUT_INSPECTION},
	{"callout_unknown", OWFP_CFG_A_CALLOUT_UNKNOWN},
};

static const char *const addr_types[] = {"unspecified", "unicast",   "anycast",
					 "multicast",   "broadcast", "invalid"};

static bool is_address(enum owfp_cfg_field f)
{
	return f == OWFP_CFG_F_LOCAL_ADDRESS || f == OWFP_CFG_F_REMOTE_ADDRESS;
}

static uint64_t field_max(enum owfp_cfg_field f)
{
	switch (f) {
	case OWFP_CFG_F_LOCAL_ADDRESS_TYPE:
		return 0xff;
	case OWFP_CFG_F_LOCAL_PORT:
	case OWFP_CFG_F_REMOTE_PORT:
		return 0xffff;
	case OWFP_CFG_F_DIRECTION:
		return 1;
	case OWFP_CFG_F_IP_PROTOCOL:
		return 0xff;
	default:
		return 0xffffffffu;
	}
}

/* An integer-valued field: numbers plus the field's symbolic names. */
static int parse_uint_value(owfp_ydoc *d, yaml_node_t *n, enum owfp_cfg_field f, uint32_t *out,
			    owfp_error *err)
{
	const char *s = owfp_ydoc_str(n);
	uint64_t v;
	if (f == OWFP_CFG_F_FLAGS && n && n->type == YAML_SEQUENCE_NODE) {
		uint32_t acc = 0;
		for (size_t i = 0; i < owfp_ydoc_len(n); i++) {
			yaml_node_t *it = owfp_ydoc_item(d, n, i);
			uint32_t bit;
			const char *fs = owfp_ydoc_str(it);
			if (!fs || owfp_cfg_flag_bit(fs, &bit))
				return owfp_ydoc_fail(
					d, it, err,
					"unknown condition flag '%s'; expected one of: %s",
					fs ? fs : "?", owfp_cfg_flag_names_help());
			acc |= bit;
		}
		*out = acc;
		return 0;
	}
	if (!s)
		return owfp_ydoc_fail(
			d, n, err, "%s value is %s; expected %s", field_names[f], owfp_ydoc_kind(n),
			f == OWFP_CFG_F_FLAGS ? "a number or a list of flag names" : "a number");
	if (owfp_ydoc_parse_uint(s, field_max(f), &v)) {
		*out = (uint32_t)v;
		return 0;
	}
	if (f == OWFP_CFG_F_DIRECTION) {
		if (!strcmp(s, "outbound") || !strcmp(s, "inbound")) {
			*out = !strcmp(s, "inbound");
			return 0;
		}
		return owfp_ydoc_fail(
			d, n, err, "direction '%s' is not valid; expected outbound or inbound", s);
	}
	if (f == OWFP_CFG_F_LOCAL_ADDRESS_TYPE) {
		for (uint32_t i = 0; i < sizeof(addr_types) / sizeof(addr_types[0]); i++)
			if (!strcmp(s, addr_types[i])) {
				*out = i;
				return 0;
			}
		return owfp_ydoc_fail(d, n, err,
				      "address type '%s' is not valid; expected unicast, "
				      "anycast, multicast, broadcast, unspecified, invalid or 0..5",
				      s);
	}
	if (f == OWFP_CFG_F_IP_PROTOCOL) {
		for (size_t i = 0; i < sizeof(protocol_names) / sizeof(protocol_names[0]); i++)
			if (!strcmp(s, protocol_names[i].name)) {
				*out = protocol_names[i].number;
				return 0;
			}
		return owfp_ydoc_fail(d, n, err,
				      "ip_protocol '%s' is not valid; expected tcp, udp, "
				      "icmp, icmpv6 or 0..255",
				      s);
	}
	if (f == OWFP_CFG_F_FLAGS) {
		uint32_t bit;
		if (!owfp_cfg_flag_bit(s, &bit)) {
			*out = bit;
			return 0;
		}
		return owfp_ydoc_fail(d, n, err,
				      "unknown condition flag '%s'; expected a number or: %s", s,
				      owfp_cfg_flag_names_help());
	}
	return owfp_ydoc_fail(d, n, err, "%s value '%s' is not valid; expected an integer 0..%llu",
			      field_names[f], s, (unsigned long long)field_max(f));
}

static int parse_addr_value(owfp_ydoc *d, yaml_node_t *n, enum owfp_cfg_field f, owfp_cfg_addr *a,
			    owfp_error *err)
{
	const char *s = owfp_ydoc_str(n);
	if (!s || owfp_cfg_parse_addr(s, a))
		return owfp_ydoc_fail(d, n, err,
				      "%s value %s%s%s is not valid; expected an IPv4 or "
				      "IPv6 address, optionally with /PREFIX (\"10.0.0.0/8\", "
				      "\"2001:db8::/32\")",
				      field_names[f], s ? "'" : "", s ? s : owfp_ydoc_kind(n),
				      s ? "'" : "");
	return 0;
}

/* app_id: an absolute path, compared whole (equal / not_equal). */
static int parse_app_id(owfp_ydoc *d, yaml_node_t *n, owfp_cfg_condition *c, owfp_error *err)
{
	yaml_node_t *vn = owfp_ydoc_get(d, n, "value"), *mn = owfp_ydoc_get(d, n, "match");
	const char *s;
	int rc;

	c->kind = OWFP_CFG_V_APP_ID;
	c->match = OWFP_CFG_M_EQUAL;
	if (mn) {
		if ((rc = owfp_ydoc_string(d, mn, "match", &s, err)))
			return rc;
		if (!strcmp(s, "not_equal"))
			c->match = OWFP_CFG_M_NOT_EQUAL;
		else if (strcmp(s, "equal") != 0)
			return owfp_ydoc_fail(d, mn, err,
					      "match '%s' does not apply to app_id; expected "
					      "equal or not_equal",
					      s);
	}
	if (!vn)
		return owfp_ydoc_fail(d, n, err,
				      "condition on app_id has no 'value'; expected the "
				      "program's absolute path, e.g. /usr/bin/curl");
	if ((rc = owfp_ydoc_string(d, vn, "app_id value", &s, err)))
		return rc;
	if (s[0] != '/')
		return owfp_ydoc_fail(d, vn, err,
				      "app_id '%s' is not an absolute path; expected the "
				      "program's path, e.g. /usr/bin/curl",
				      s);
	if (strlen(s) >= 4096)
		return owfp_ydoc_fail(d, vn, err,
				      "app_id is longer than 4095 bytes; expected a path");
	if (!(c->text = owfp_strdup(s)))
		return -ENOMEM;
	return 0;
}

static int parse_condition(owfp_ydoc *d, yaml_node_t *n, owfp_cfg_condition *c, owfp_error *err)
{
	static const char *const keys[] = {"field", "match", "value", NULL};
	int rc;
	const char *s;
	memset(c, 0, sizeof(*c));
	c->mark = owfp_ydoc_mark(n);
	if ((rc = owfp_ydoc_expect_map(d, n, "condition", err)) ||
	    (rc = owfp_ydoc_check_keys(d, n, "condition", keys, err)))
		return rc;

	yaml_node_t *fn = owfp_ydoc_get(d, n, "field");
	if (!fn)
		return owfp_ydoc_fail(d, n, err,
				      "condition has no 'field'; expected one of: " FIELD_LIST);
	if ((rc = owfp_ydoc_string(d, fn, "condition field", &s, err)))
		return rc;
	int f = -1;
	for (int i = 0; i < OWFP_CFG_F_COUNT; i++)
		if (!strcmp(field_names[i], s))
			f = i;
	if (f < 0)
		return owfp_ydoc_fail(
			d, fn, err, "unknown condition field '%s'; expected one of: " FIELD_LIST, s);
	c->field = (enum owfp_cfg_field)f;
	if (c->field == OWFP_CFG_F_APP_ID)
		return parse_app_id(d, n, c, err);

	yaml_node_t *vn = owfp_ydoc_get(d, n, "value");
	if (!vn)
		return owfp_ydoc_fail(d, n, err,
				      "condition on %s has no 'value'; expected a value to "
				      "compare with",
				      s);
	bool pair = vn->type == YAML_SEQUENCE_NODE && c->field != OWFP_CFG_F_FLAGS;

	yaml_node_t *mn = owfp_ydoc_get(d, n, "match");
	c->match = pair ? OWFP_CFG_M_RANGE : OWFP_CFG_M_EQUAL;
	if (mn) {
		if ((rc = owfp_ydoc_string(d, mn, "match", &s, err)))
			return rc;
		bool found = false;
		for (size_t i = 0; i < sizeof(match_names) / sizeof(match_names[0]); i++)
			if (!strcmp(match_names[i].name, s)) {
				c->match = match_names[i].m;
				found = true;
			}
		if (!found)
			return owfp_ydoc_fail(d, mn, err,
					      "unknown match '%s'; expected one of: equal, "
					      "not_equal, greater, less, greater_or_equal, less_or_equal, "
					      "range, flags_all_set, flags_any_set, flags_none_set",
					      s);
	}
	yaml_node_t *at = mn ? mn : vn;
	bool is_flags_match = c->match == OWFP_CFG_M_FLAGS_ALL_SET ||
			      c->match == OWFP_CFG_M_FLAGS_ANY_SET ||
			      c->match == OWFP_CFG_M_FLAGS_NONE_SET;
	if (is_flags_match && is_address(c->field))
		return owfp_ydoc_fail(d, at, err,
				      "match %s does not apply to %s; expected equal, "
				      "not_equal, an ordering match or range",
				      owfp_ydoc_str(mn), field_names[c->field]);
	if (c->match == OWFP_CFG_M_RANGE && !pair)
		return owfp_ydoc_fail(d, vn, err, "match range needs a value [low, high]; got %s",
				      owfp_ydoc_kind(vn));
	if (c->match != OWFP_CFG_M_RANGE && pair)
		return owfp_ydoc_fail(d, vn, err,
				      "a [low, high] value needs match range; expected a "
				      "single value for this match");

	if (pair) {
		if (owfp_ydoc_len(vn) != 2)
			return owfp_ydoc_fail(d, vn, err,
					      "range has %zu values; expected [low, high]",
					      owfp_ydoc_len(vn));
		yaml_node_t *lo = owfp_ydoc_item(d, vn, 0), *hi = owfp_ydoc_item(d, vn, 1);
		if (is_address(c->field)) {
			owfp_cfg_addr a, b;
			if ((rc = parse_addr_value(d, lo, c->field, &a, err)) ||
			    (rc = parse_addr_value(d, hi, c->field, &b, err)))
				return rc;
			if (a.has_prefix || b.has_prefix)
				return owfp_ydoc_fail(d, vn, err,
						      "range ends must be plain addresses; "
						      "expected no /PREFIX");
			if (a.family != b.family)
				return owfp_ydoc_fail(
					d, vn, err, "range mixes IPv4 and IPv6; expected one family");
			c->family = a.family;
			if (a.family == AF_INET) {
				c->kind = OWFP_CFG_V_RANGE_V4;
				c->v4 = a.v4;
				c->v4_hi = b.v4;
				if (a.v4 > b.v4)
					return owfp_ydoc_fail(
						d, vn, err,
						"range low is above high; expected low <= high");
			} else {
				c->kind = OWFP_CFG_V_RANGE_V6;
				memcpy(c->v6, a.v6, 16);
				memcpy(c->v6_hi, b.v6, 16);
				if (memcmp(a.v6, b.v6, 16) > 0)
					return owfp_ydoc_fail(
						d, vn, err,
						"range low is above high; expected low <= high");
			}
			return 0;
		}
		c->kind = OWFP_CFG_V_RANGE_UINT;
		if ((rc = parse_uint_value(d, lo, c->field, &c->u, err)) ||
		    (rc = parse_uint_value(d, hi, c->field, &c->u_hi, err)))
			return rc;
		if (c->u > c->u_hi)
			return owfp_ydoc_fail(d, vn, err,
					      "range low %u is above high %u; expected low <= high",
					      c->u, c->u_hi);
		return 0;
	}

	if (is_address(c->field)) {
		owfp_cfg_addr a;
		if ((rc = parse_addr_value(d, vn, c->field, &a, err)))
			return rc;
		c->family = a.family;
		if (a.has_prefix && c->match != OWFP_CFG_M_EQUAL && c->match != OWFP_CFG_M_NOT_EQUAL)
			return owfp_ydoc_fail(d, at, err,
					      "an address/PREFIX value only works with "
					      "equal or not_equal; expected one of those");
		if (a.family == AF_INET) {
			c->v4 = a.v4;
			c->kind = a.has_prefix ? OWFP_CFG_V_V4_MASK : OWFP_CFG_V_V4;
			if (a.has_prefix) {
				c->v4_mask = owfp_cfg_v4_mask(a.prefix);
				c->v4 &= c->v4_mask;
			}
		} else {
			memcpy(c->v6, a.v6, 16);
			c->kind = a.has_prefix ? OWFP_CFG_V_V6_MASK : OWFP_CFG_V_V6;
			c->prefix = a.prefix;
		}
		return 0;
	}
	c->kind = OWFP_CFG_V_UINT;
	return parse_uint_value(d, vn, c->field, &c->u, err);
}

static int parse_weight(owfp_ydoc *d, yaml_node_t *n, owfp_cfg_filter *f, owfp_error *err)
{
	const char *s = owfp_ydoc_str(n);
	if (s && !strcmp(s, "auto")) {
		f->weight_kind = OWFP_CFG_W_AUTO;
		return 0;
	}
	if (n->type == YAML_MAPPING_NODE) {
		static const char *const keys[] = {"range", NULL};
		int rc = owfp_ydoc_check_keys(d, n, "weight", keys, err);
		if (rc)
			return rc;
		yaml_node_t *r = owfp_ydoc_get(d, n, "range");
		if (!r)
			return owfp_ydoc_fail(
				d, n, err, "weight mapping has no 'range'; expected {range: 0..15}");
		f->weight_kind = OWFP_CFG_W_RANGE;
		return owfp_ydoc_uint(d, r, "weight range", 15, &f->weight, err);
	}
	if (!s || !owfp_ydoc_parse_uint(s, UINT64_MAX, &f->weight))
		return owfp_ydoc_fail(d, n, err,
				      "weight %s%s%s is not valid; expected an integer "
				      "0..18446744073709551615, {range: 0..15} or auto",
				      s ? "'" : "", s ? s : owfp_ydoc_kind(n), s ? "'" : "");
	f->weight_kind = OWFP_CFG_W_UINT64;
	return 0;
}

static int parse_flags(owfp_ydoc *d, yaml_node_t *n, owfp_cfg_filter *f, owfp_error *err)
{
	int rc = owfp_ydoc_expect_seq(d, n, "filter flags", err);
	if (rc)
		return rc;
	for (size_t i = 0; i < owfp_ydoc_len(n); i++) {
		yaml_node_t *it = owfp_ydoc_item(d, n, i);
		const char *s = owfp_ydoc_str(it);
		if (s && !strcmp(s, "clear_action_right"))
			f->flags |= OWFP_CFG_FF_CLEAR_ACTION_RIGHT;
		else if (s && !strcmp(s, "permit_if_callout_unregistered"))
			f->flags |= OWFP_CFG_FF_PERMIT_IF_CALLOUT_UNREGISTERED;
		else
			return owfp_ydoc_fail(d, it, err,
					      "unknown filter flag %s%s%s; expected "
					      "clear_action_right or permit_if_callout_unregistered",
					      s ? "'" : "", s ? s : owfp_ydoc_kind(it), s ? "'" : "");
	}
	return 0;
}

static const char *layer_name(unsigned layers)
{
	for (size_t i = 0; i < sizeof(layer_names) / sizeof(layer_names[0]); i++)
		if (layer_names[i].layers == layers)
			return layer_names[i].name;
	return "more than one layer";
}

static bool is_builtin_sublayer(const char *s)
{
	return !strcmp(s, "universal") || !strcmp(s, "inspection");
}

/* The filter's conditions (a sequence), each checked against its layers;
 * narrows f->layers to the address family the values name. */
static int parse_filter_conditions(owfp_ydoc *d, yaml_node_t *v, owfp_cfg_filter *f, owfp_error *err)
{
	int rc;

	if ((rc = owfp_ydoc_expect_seq(d, v, "conditions", err)))
		return rc;
	f->nconds = owfp_ydoc_len(v);
	if (f->nconds && !(f->conds = owfp_calloc(f->nconds, sizeof(*f->conds))))
		return -ENOMEM;
	for (size_t i = 0; i < f->nconds; i++) {
		owfp_cfg_condition *c = &f->conds[i];
		if ((rc = parse_condition(d, owfp_ydoc_item(d, v, i), c, err)))
			return rc;
		if (c->field >= OWFP_CFG_F_FIRST_FLOW_ONLY && (f->layers & OWFP_CFG_LAYERS_STREAM))
			return owfp_cfg_fail(err, d->file, c->mark,
					     "condition field %s exists only at the "
					     "flow_established layers; expected layer: "
					     "flow_established (or _v4/_v6)",
					     field_names[c->field]);
		unsigned keep = c->family == AF_INET    ? OWFP_CFG_LAYERS_V4
				: c->family == AF_INET6 ? OWFP_CFG_LAYERS_V6
							: ~0u;
		if (!(f->layers & keep))
			return owfp_cfg_fail(err, d->file, c->mark,
					     "condition value is %s but the filter's layer is %s; "
					     "expected an address of the layer's family",
					     c->family == AF_INET ? "IPv4" : "IPv6",
					     c->family == AF_INET ? "IPv6" : "IPv4");
		f->layers &= keep;
	}
	return 0;
}

/* The filter's 'callout': a configured callout (whose layer must fit the
 * filter's) or a callout GUID. */
static int parse_filter_callout(owfp_ydoc *d, yaml_node_t *v, const owfp_config *scope,
				owfp_cfg_filter *f, owfp_error *err)
{
	const char *s;
	owfp_cfg_guid g;
	int rc;

	const owfp_cfg_callout *co;
	if ((rc = owfp_ydoc_string(d, v, "callout", &s, err)))
		return rc;
	if (!(co = owfp_cfg_find_callout(scope, s))) {
		if (owfp_cfg_guid_parse(s, &g))
			return owfp_ydoc_fail(d, v, err,
					      "unknown callout '%s'; expected a name "
					      "from 'callouts' or a callout GUID",
					      s);
	} else if (co->type && (f->layers & (OWFP_CFG_LAYER_FLOW_V4 | OWFP_CFG_LAYER_FLOW_V6))) {
		return owfp_ydoc_fail(d, v, err,
				      "callout '%s' is a built-in stream callout but "
				      "the filter's layer is flow_established; expected a "
				      "stream layer",
				      s);
	} else if (!co->type && f->layers != co->layer) {
		return owfp_ydoc_fail(d, v, err,
				      "callout '%s' applies to %s only but the filter "
				      "is at %s; expected layer: %s (a callout key has one "
				      "layer, as FWPM_CALLOUT0.applicableLayer)",
				      s, layer_name(co->layer), layer_name(f->layers),
				      layer_name(co->layer));
	}
	if (!(f->callout = owfp_strdup(s)))
		return -ENOMEM;
	return 0;
}

static int parse_filter_body(owfp_ydoc *d, yaml_node_t *n, size_t index, const owfp_config *scope,
			     owfp_cfg_filter *f, owfp_error *err)
{
	static const char *const keys[] = {"name",   "layer",   "sublayer", "weight",  "conditions",
					   "action", "callout", "flags",    "context", NULL};
	int rc;
	const char *s;
	owfp_cfg_guid g;

	f->mark = owfp_ydoc_mark(n);
	if ((rc = owfp_ydoc_expect_map(d, n, "filter", err)) ||
	    (rc = owfp_ydoc_check_keys(d, n, "filter", keys, err)))
		return rc;

	yaml_node_t *v = owfp_ydoc_get(d, n, "name");
	if (v) {
		if ((rc = owfp_ydoc_string(d, v, "filter name", &s, err)))
			return rc;
		f->name = owfp_strdup(s);
	} else if (asprintf(&f->name, "filter#%zu", index + 1) < 0) {
		f->name = NULL;
	}
	if (!f->name)
		return -ENOMEM;

	v = owfp_ydoc_get(d, n, "layer");
	if (!v)
		return owfp_ydoc_fail(d, n, err,
				      "filter '%s' has no 'layer'; expected stream_v4, "
				      "stream_v6, stream, flow_established_v4, flow_established_v6 "
				      "or flow_established",
				      f->name);
	f->layer_mark = owfp_ydoc_mark(v);
	if ((rc = owfp_ydoc_string(d, v, "layer", &s, err)))
		return rc;
	for (size_t i = 0; i < sizeof(layer_names) / sizeof(layer_names[0]); i++)
		if (!strcmp(layer_names[i].name, s))
			f->layers = layer_names[i].layers;
	if (!f->layers)
		return owfp_ydoc_fail(d, v, err,
				      "unknown layer '%s'; expected stream_v4, stream_v6, "
				      "stream, flow_established_v4, flow_established_v6 or "
				      "flow_established",
				      s);

	v = owfp_ydoc_get(d, n, "sublayer");
	f->sublayer_mark = owfp_ydoc_mark(v ? v : n);
	if (v) {
		if ((rc = owfp_ydoc_string(d, v, "sublayer", &s, err)))
			return rc;
		if (!is_builtin_sublayer(s) && !owfp_cfg_find_sublayer(scope, s) &&
		    owfp_cfg_guid_parse(s, &g))
			return owfp_ydoc_fail(d, v, err,
					      "unknown sublayer '%s'; expected a name from "
					      "'sublayers', universal, inspection or a GUID",
					      s);
		if (!(f->sublayer = owfp_strdup(s)))
			return -ENOMEM;
	}

	v = owfp_ydoc_get(d, n, "weight");
	if (v && (rc = parse_weight(d, v, f, err)))
		return rc;

	v = owfp_ydoc_get(d, n, "conditions");
	if (v && !(owfp_ydoc_is_plain(v) && v->data.scalar.length == 0) &&
	    (rc = parse_filter_conditions(d, v, f, err)))
		return rc;

	v = owfp_ydoc_get(d, n, "action");
	if (!v)
		return owfp_ydoc_fail(d, n, err,
				      "filter '%s' has no 'action'; expected permit, block, "
				      "callout_terminating, callout_inspection or callout_unknown",
				      f->name);
	if ((rc = owfp_ydoc_string(d, v, "action", &s, err)))
		return rc;
	for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
		if (!strcmp(action_names[i].name, s))
			f->action = action_names[i].type;
	if (!f->action)
		return owfp_ydoc_fail(d, v, err,
				      "unknown action '%s'; expected permit, block, "
				      "callout_terminating, callout_inspection or callout_unknown",
				      s);
	bool callout_action = f->action & 0x4000;
	yaml_node_t *action_node = v;

	v = owfp_ydoc_get(d, n, "callout");
	f->callout_mark = owfp_ydoc_mark(v ? v : n);
	if (callout_action && !v)
		return owfp_ydoc_fail(d, action_node, err,
				      "action %s needs a 'callout'; expected the "
				      "name of an entry in 'callouts' or a callout GUID",
				      s);
	if (!callout_action && v)
		return owfp_ydoc_fail(d, v, err,
				      "action %s takes no 'callout'; expected a "
				      "callout_* action to name a callout",
				      s);
	if (v && (rc = parse_filter_callout(d, v, scope, f, err)))
		return rc;

	v = owfp_ydoc_get(d, n, "flags");
	if (v && (rc = parse_flags(d, v, f, err)))
		return rc;
	if ((f->flags & OWFP_CFG_FF_PERMIT_IF_CALLOUT_UNREGISTERED) &&
	    f->action != OWFP_CFG_A_CALLOUT_TERMINATING && f->action != OWFP_CFG_A_CALLOUT_UNKNOWN)
		return owfp_ydoc_fail(d, v, err,
				      "flag permit_if_callout_unregistered needs action "
				      "callout_terminating or callout_unknown");

	v = owfp_ydoc_get(d, n, "context");
	if (v && (rc = owfp_ydoc_uint(d, v, "filter context", UINT64_MAX, &f->context, err)))
		return rc;
	return 0;
}

int owfp_cfg_parse_filter(owfp_ydoc *d, yaml_node_t *n, size_t index, const owfp_config *scope,
			  owfp_cfg_filter *out, owfp_error *err)
{
	memset(out, 0, sizeof(*out));
	int rc = parse_filter_body(d, n, index, scope, out, err);
	if (rc)
		owfp_cfg_filter_clear(out);
	return rc;
}
