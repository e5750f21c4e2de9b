/* The configuration document: top level, sublayers and callouts. */
#include "config/parse.h"
#include "config/params.h"
#include "util/alloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_MAX_BYTES (16u << 20)

static int builtin_names(char *out, size_t len)
{
	const owfp_builtin *const *list = owfp_builtin_list();
	size_t used = 0;
	out[0] = 0;
	for (size_t i = 0; list && list[i] && used < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? ", " : "",
					 list[i]->name);
	if (!out[0])
		snprintf(out, len, "(no built-in callouts in this build)");
	return 0;
}

static int parse_sublayers(owfp_ydoc *d, yaml_node_t *seq, owfp_config *cfg, owfp_error *err)
{
	static const char *const keys[] = {"name", "key", "weight", NULL};
	int rc = owfp_ydoc_expect_seq(d, seq, "sublayers", err);
	if (rc)
		return rc;
	size_t n = owfp_ydoc_len(seq);
	if (!(cfg->sublayers = owfp_calloc(n + 1, sizeof(*cfg->sublayers))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *m = owfp_ydoc_item(d, seq, i);
		owfp_cfg_sublayer *s = &cfg->sublayers[i];
		const char *name, *text;
		uint64_t w;
		if ((rc = owfp_ydoc_expect_map(d, m, "sublayer", err)) ||
		    (rc = owfp_ydoc_check_keys(d, m, "sublayer", keys, err)))
			return rc;
		yaml_node_t *v = owfp_ydoc_get(d, m, "name");
		if (!v)
			return owfp_ydoc_fail(d, m, err,
					      "sublayer has no 'name'; expected a unique name");
		if ((rc = owfp_ydoc_string(d, v, "sublayer name", &name, err)))
			return rc;
		if (!strcmp(name, "universal") || !strcmp(name, "inspection"))
			return owfp_ydoc_fail(d, v, err,
					      "sublayer name '%s' is built in; expected another name",
					      name);
		if (owfp_cfg_find_sublayer(cfg, name))
			return owfp_ydoc_fail(d, v, err,
					      "sublayer '%s' defined twice; expected unique names",
					      name);
		s->mark = owfp_ydoc_mark(m);
		v = owfp_ydoc_get(d, m, "weight");
		if (!v)
			return owfp_ydoc_fail(d, m, err,
					      "sublayer '%s' has no 'weight'; expected 0..65535 "
					      "(universal is 32768, inspection 0)",
					      name);
		if ((rc = owfp_ydoc_uint(d, v, "sublayer weight", 0xffff, &w, err)))
			return rc;
		s->weight = (uint16_t)w;
		v = owfp_ydoc_get(d, m, "key");
		if (v) {
			if ((rc = owfp_ydoc_string(d, v, "sublayer key", &text, err)))
				return rc;
			if (owfp_cfg_guid_parse(text, &s->key))
				return owfp_ydoc_fail(d, v, err,
						      "sublayer key '%s' is not a GUID; expected "
						      "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
						      text);
		} else {
			owfp_cfg_guid_derive("sublayer", name, &s->key);
		}
		for (size_t j = 0; j < i; j++)
			if (!memcmp(&cfg->sublayers[j].key, &s->key, sizeof(s->key)))
				return owfp_ydoc_fail(d, m, err,
						      "sublayer '%s' has the same key as '%s'; "
						      "expected distinct keys",
						      name, cfg->sublayers[j].name);
		if (!(s->name = owfp_strdup(name)))
			return -ENOMEM;
		cfg->nsublayers++;
	}
	return 0;
}

/* A driver's callout: `key` (its FwpsCalloutRegister* calloutKey) and the
 * one `layer` its filters are at, as FWPM_CALLOUT0.applicableLayer. */
static int parse_driver_callout(owfp_ydoc *d, yaml_node_t *m, const char *name, owfp_cfg_callout *c,
				owfp_error *err)
{
	static const struct {
		const char *name;
		unsigned bit;
	} layers[] = {
		{"stream_v4", OWFP_CFG_LAYER_STREAM_V4},
		{"stream_v6", OWFP_CFG_LAYER_STREAM_V6},
		{"flow_established_v4", OWFP_CFG_LAYER_FLOW_V4},
		{"flow_established_v6", OWFP_CFG_LAYER_FLOW_V6},
	};
	yaml_node_t *v = owfp_ydoc_get(d, m, "key");
	const char *text;
	int rc;

	if (owfp_ydoc_get(d, m, "params"))
		return owfp_ydoc_fail(d, owfp_ydoc_get(d, m, "params"), err,
				      "callout '%s' names a driver's callout (key:), which takes no "
				      "'params'; expected params only with a built-in type:",
				      name);
	if ((rc = owfp_ydoc_string(d, v, "callout key", &text, err)))
		return rc;
	if (owfp_cfg_guid_parse(text, &c->key))
		return owfp_ydoc_fail(d, v, err,
				      "callout key '%s' is not a GUID; expected the "
				      "driver's calloutKey as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
				      text);
	v = owfp_ydoc_get(d, m, "layer");
	if (!v)
		return owfp_ydoc_fail(d, m, err,
				      "callout '%s' has a key but no 'layer'; expected "
				      "the layer its filters are at: stream_v4, stream_v6, "
				      "flow_established_v4 or flow_established_v6",
				      name);
	if ((rc = owfp_ydoc_string(d, v, "callout layer", &text, err)))
		return rc;
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++)
		if (!strcmp(layers[i].name, text))
			c->layer = layers[i].bit;
	if (!c->layer)
		return owfp_ydoc_fail(d, v, err,
				      "callout layer '%s' is not one layer; expected "
				      "stream_v4, stream_v6, flow_established_v4 or "
				      "flow_established_v6 (a callout applies to exactly one)",
				      text);
	c->params_mark = owfp_ydoc_mark(m);
	return 0;
}

static int parse_callouts(owfp_ydoc *d, yaml_node_t *seq, owfp_config *cfg, owfp_error *err)
{
	static const char *const keys[] = {"name", "type", "params", "key", "layer", NULL};
	int rc = owfp_ydoc_expect_seq(d, seq, "callouts", err);
	if (rc)
		return rc;
	size_t n = owfp_ydoc_len(seq);
	if (!(cfg->callouts = owfp_calloc(n + 1, sizeof(*cfg->callouts))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *m = owfp_ydoc_item(d, seq, i);
		owfp_cfg_callout *c = &cfg->callouts[i];
		const char *name, *type;
		if ((rc = owfp_ydoc_expect_map(d, m, "callout", err)) ||
		    (rc = owfp_ydoc_check_keys(d, m, "callout", keys, err)))
			return rc;
		yaml_node_t *v = owfp_ydoc_get(d, m, "name");
		if (!v)
			return owfp_ydoc_fail(d, m, err,
					      "callout has no 'name'; expected a unique name");
		if ((rc = owfp_ydoc_string(d, v, "callout name", &name, err)))
			return rc;
		if (owfp_cfg_find_callout(cfg, name))
			return owfp_ydoc_fail(d, v, err,
					      "callout '%s' defined twice; expected unique names",
					      name);
		c->mark = owfp_ydoc_mark(m);
		v = owfp_ydoc_get(d, m, "type");
		if (v && owfp_ydoc_get(d, m, "key"))
			return owfp_ydoc_fail(
				d, owfp_ydoc_get(d, m, "key"), err,
				"callout '%s' has both 'type' and 'key'; expected type: for a "
				"built-in callout or key: and layer: for a driver's callout",
				name);
		if (!v && owfp_ydoc_get(d, m, "key")) {
			if ((rc = parse_driver_callout(d, m, name, c, err)))
				return rc;
			for (size_t j = 0; j < i; j++)
				if (!cfg->callouts[j].type &&
				    !memcmp(&cfg->callouts[j].key, &c->key, sizeof(c->key)))
					return owfp_ydoc_fail(d, owfp_ydoc_get(d, m, "key"), err,
							      "callout '%s' has the same key as '%s'; "
							      "expected one entry per callout key",
							      name, cfg->callouts[j].name);
			if (!(c->name = owfp_strdup(name)))
				return -ENOMEM;
			cfg->ncallouts++;
			continue;
		}
		if (owfp_ydoc_get(d, m, "layer"))
			return owfp_ydoc_fail(
				d, owfp_ydoc_get(d, m, "layer"), err,
				"callout '%s': 'layer' goes with 'key' (a driver's callout); "
				"a built-in callout covers both stream layers",
				name);
		if (!v) {
			char names[256];
			builtin_names(names, sizeof(names));
			return owfp_ydoc_fail(d, m, err,
					      "callout '%s' has no 'type'; expected a built-in "
					      "callout: %s; or key: and layer: for a callout a driver "
					      "registers",
					      name, names);
		}
		if ((rc = owfp_ydoc_string(d, v, "callout type", &type, err)))
			return rc;
		if (!owfp_builtin_find(type)) {
			char names[256];
			builtin_names(names, sizeof(names));
			return owfp_ydoc_fail(d, v, err,
					      "unknown callout type '%s'; expected one of: %s",
					      type, names);
		}
		yaml_node_t *pn = owfp_ydoc_get(d, m, "params");
		c->params_mark = owfp_ydoc_mark(pn ? pn : m);
		json_t *params;
		if ((rc = owfp_cfg_params_from_yaml(d, pn, &params, err)))
			return rc;
		c->params = params;
		c->name = owfp_strdup(name);
		c->type = owfp_strdup(type);
		cfg->ncallouts++;
		if (!c->name || !c->type)
			return -ENOMEM;
	}
	return 0;
}

static int parse_filters(owfp_ydoc *d, yaml_node_t *seq, owfp_config *cfg, owfp_error *err)
{
	int rc = owfp_ydoc_expect_seq(d, seq, "filters", err);
	if (rc)
		return rc;
	size_t n = owfp_ydoc_len(seq);
	if (!(cfg->filters = owfp_calloc(n + 1, sizeof(*cfg->filters))))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if ((rc = owfp_cfg_parse_filter(d, owfp_ydoc_item(d, seq, i), i, cfg,
						&cfg->filters[i], err)))
			return rc;
		cfg->nfilters++;
	}
	return 0;
}

static bool empty_value(const yaml_node_t *n)
{
	return owfp_ydoc_is_plain(n) && n->data.scalar.length == 0;
}

static int parse_doc(owfp_ydoc *d, owfp_config *cfg, owfp_error *err)
{
	static const char *const keys[] = {"drivers", "sublayers", "callouts", "filters", NULL};
	yaml_node_t *root = owfp_ydoc_root(d);
	int rc;
	if (!root || empty_value(root))
		return owfp_cfg_fail(err, d->file, (owfp_cfg_mark){1, 1},
				     "the configuration is empty; expected a mapping with drivers, "
				     "sublayers, callouts and/or filters");
	if ((rc = owfp_ydoc_expect_map(d, root, "the configuration", err)) ||
	    (rc = owfp_ydoc_check_keys(d, root, "top-level", keys, err)))
		return rc;
	/* Sections are read in dependency order, whatever their order in the file. */
	yaml_node_t *v = owfp_ydoc_get(d, root, "drivers");
	if (v && !empty_value(v) && (rc = owfp_cfg_parse_drivers(d, v, cfg, err)))
		return rc;
	v = owfp_ydoc_get(d, root, "sublayers");
	if (v && !empty_value(v) && (rc = parse_sublayers(d, v, cfg, err)))
		return rc;
	v = owfp_ydoc_get(d, root, "callouts");
	if (v && !empty_value(v) && (rc = parse_callouts(d, v, cfg, err)))
		return rc;
	v = owfp_ydoc_get(d, root, "filters");
	if (v && !empty_value(v) && (rc = parse_filters(d, v, cfg, err)))
		return rc;
	return 0;
}

int owfp_config_parse_string(const char *name, const char *text, size_t len, owfp_config **out,
			     owfp_error *err)
{
	owfp_ydoc d;
	owfp_config *cfg = owfp_calloc(1, sizeof(*cfg));
	if (!cfg || !(cfg->file = owfp_strdup(name))) {
		free(cfg);
		if (err)
			snprintf(err->msg, sizeof(err->msg), "%s: out of memory", name);
		return -ENOMEM;
	}
	int rc = owfp_ydoc_load(&d, cfg->file, text, len, err);
	if (!rc) {
		rc = parse_doc(&d, cfg, err);
		owfp_ydoc_free(&d);
	}
	if (rc == -ENOMEM && err)
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", name);
	if (rc) {
		owfp_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return 0;
}

static int read_all(FILE *f, char **out, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *buf = owfp_malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap >= CONFIG_MAX_BYTES) {
				free(buf);
				return -EFBIG;
			}
			char *nb = owfp_realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0) {
			if (ferror(f)) {
				free(buf);
				return -EIO;
			}
			break;
		}
	}
	*out = buf;
	*len = n;
	return 0;
}

int owfp_config_parse_file(const char *path, owfp_config **out, owfp_error *err)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f) {
		int e = errno;
		if (err)
			snprintf(err->msg, sizeof(err->msg), "%s: cannot open: %s", path,
				 strerror(e));
		return -e;
	}
	char *text;
	size_t len;
	int rc = read_all(f, &text, &len);
	if (!is_stdin)
		fclose(f);
	if (rc) {
		if (err)
			snprintf(err->msg, sizeof(err->msg), "%s: cannot read: %s", path,
				 rc == -EFBIG ? "larger than 16 MiB" : strerror(-rc));
		return rc;
	}
	rc = owfp_config_parse_string(is_stdin ? "<stdin>" : path, text, len, out, err);
	free(text);
	return rc;
}
