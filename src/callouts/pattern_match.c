/*
 * pattern_match: many literal or regular-expression patterns, matched across
 * segment boundaries with Hyperscan's streaming mode, one action per
 * pattern: "log" (a JSON line, or a debug print) or "drop"
 * (DROP_CONNECTION).
 *
 * All patterns are compiled into one database, so each byte is looked at
 * once however many patterns there are. Each (flow, direction) has its own
 * hs_stream_t in a flow context (FwpsFlowAssociateContext0, freed by
 * flowDeleteFn); the stream carries partial matches from one indication to
 * the next, so no bytes are held back. A drop takes effect on the
 * indication that completes the match: the bytes of that indication are
 * never delivered, earlier parts of the match may have been.
 * Each pattern is reported at most once per flow and direction
 * (HS_FLAG_SINGLEMATCH).
 *
 * libhs is not linked: the first instance loads it (callouts/hs_api.h), and
 * every Hyperscan call goes through that table.
 */
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "callouts/kit.h"
#include "callouts/registry.h"
#include "callouts/params.h"
#include "util/alloc.h"

#ifdef OWFP_HAVE_HYPERSCAN
#include "callouts/hs_api.h"

typedef struct pm_pattern {
	char *label;
	bool drop;
} pm_pattern;

typedef struct pm_instance {
	owfp_bi bi;
	const struct owfp_hs_fns *hs;
	bool dir[2];
	hs_database_t *db;
	hs_scratch_t *proto; /* scratch template; clones are pooled */
	pthread_mutex_t mu;
	hs_scratch_t **pool;
	size_t npool, cappool;
	pm_pattern *pat;
	size_t npat;
	FILE *log; /* NULL: DbgPrintEx */
	atomic_uint_least64_t matches;
} pm_instance;
OWFP_BI_FIRST(pm_instance);

typedef struct pm_flow {
	hs_stream_t *s[2];
} pm_flow;

typedef struct pm_scan {
	pm_instance *pi;
	UINT64 flow;
	int dir;
	bool drop;
} pm_scan;

static hs_scratch_t *scratch_get(pm_instance *pi)
{
	hs_scratch_t *s = NULL;
	pthread_mutex_lock(&pi->mu);
	if (pi->npool)
		s = pi->pool[--pi->npool];
	pthread_mutex_unlock(&pi->mu);
	if (!s && pi->hs->hs_clone_scratch(pi->proto, &s) != HS_SUCCESS)
		return NULL;
	return s;
}

static void scratch_put(pm_instance *pi, hs_scratch_t *s)
{
	pthread_mutex_lock(&pi->mu);
	if (pi->npool == pi->cappool) {
		size_t cap = pi->cappool ? pi->cappool * 2 : 4;
		hs_scratch_t **p = owfp_realloc(pi->pool, cap * sizeof(hs_scratch_t *));
		if (!p) {
			pthread_mutex_unlock(&pi->mu);
			pi->hs->hs_free_scratch(s);
			return;
		}
		pi->pool = p;
		pi->cappool = cap;
	}
	pi->pool[pi->npool++] = s;
	pthread_mutex_unlock(&pi->mu);
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
		    unsigned int flags, void *ctx)
{
	(void)from;
	(void)flags;
	pm_scan *sc = ctx;
	pm_instance *pi = sc->pi;
	const pm_pattern *p = &pi->pat[id];
	atomic_fetch_add(&pi->matches, 1);
	const char *dir = sc->dir == OWFP_DIR_INBOUND ? "inbound" : "outbound";
	if (pi->log) {
		json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:I, s:s}", "callout", pi->bi.instance,
				      "flow", (json_int_t)sc->flow, "dir", dir, "pattern", p->label,
				      "offset", (json_int_t)to, "action", p->drop ? "drop" : "log");
		char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (line) {
			pthread_mutex_lock(&pi->mu);
			fprintf(pi->log, "%s\n", line);
			fflush(pi->log);
			pthread_mutex_unlock(&pi->mu);
		}
		free(line);
		json_decref(o);
	} else {
		DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_INFO_LEVEL,
			   "pattern_match %s: flow %llu %s: pattern %s at offset %llu (%s)\n",
			   pi->bi.instance, (unsigned long long)sc->flow, dir, p->label, to,
			   p->drop ? "drop" : "log");
	}
	if (p->drop) {
		sc->drop = true;
		return 1; /* stop scanning: the connection goes */
	}
	return 0;
}

static void NTAPI pm_flow_delete(UINT16 layerId, UINT32 calloutId, UINT64 flowContext)
{
	(void)layerId;
	(void)calloutId;
	pm_flow *f = (pm_flow *)(uintptr_t)flowContext;
	/* A flow context exists only once an instance has loaded the table. */
	const struct owfp_hs_fns *hs = owfp_hs_load(NULL, 0);
	for (int d = 0; d < 2; d++)
		if (f->s[d])
			hs->hs_close_stream(f->s[d], NULL, NULL, NULL);
	ExFreePoolWithTag(f, OWFP_BI_TAG);
}

static void drop_connection(FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out)
{
	io->streamAction = FWPS_STREAM_ACTION_DROP_CONNECTION;
	out->actionType = FWP_ACTION_NONE;
}

static void NTAPI pm_classify(const FWPS_INCOMING_VALUES0 *inFixedValues,
			      const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues, void *layerData,
			      const void *classifyContext, const FWPS_FILTER3 *filter,
			      UINT64 flowContext, FWPS_CLASSIFY_OUT0 *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;
	pm_instance *pi = owfp_bi_classify_begin(filter, io, classifyOut);
	(void)classifyContext;
	if (!pi)
		return;
	const FWPS_STREAM_DATA0 *sd = io->streamData;
	int dir = owfp_bi_dir(sd->flags);
	classifyOut->actionType = FWP_ACTION_PERMIT;
	bool end = owfp_bi_is_end(sd->flags);
	if (!pi->dir[dir] || (sd->dataLength == 0 && !end))
		return;

	pm_flow *f = (pm_flow *)(uintptr_t)flowContext;
	if (!f) {
		if (end)
			return; /* nothing was ever scanned in this flow */
		f = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*f), OWFP_BI_TAG);
		if (!f || FwpsFlowAssociateContext0(inMetaValues->flowHandle,
						    inFixedValues->layerId, filter->action.calloutId,
						    (UINT64)(uintptr_t)f) != STATUS_SUCCESS) {
			if (f)
				ExFreePoolWithTag(f, OWFP_BI_TAG);
			return drop_connection(io, classifyOut);
		}
	}
	pm_scan sc = {.pi = pi, .flow = inMetaValues->flowHandle, .dir = dir};
	hs_scratch_t *scratch = scratch_get(pi);
	if (!scratch)
		return drop_connection(io, classifyOut);
	hs_error_t rc = HS_SUCCESS;
	if (end) {
		/* end-anchored patterns ($) can only match now */
		if (f->s[dir])
			rc = pi->hs->hs_close_stream(f->s[dir], scratch, on_match, &sc);
		f->s[dir] = NULL;
	} else {
		if (!f->s[dir])
			rc = pi->hs->hs_open_stream(pi->db, 0, &f->s[dir]);
		/* the stream carries matches across calls: scan the pieces in place */
		owfp_bi_pieces r;
		const uint8_t *p;
		owfp_bi_pieces_stream(&r, sd);
		for (size_t k; rc == HS_SUCCESS && (k = owfp_bi_pieces_next(&r, UINT_MAX, &p)) > 0;)
			rc = pi->hs->hs_scan_stream(f->s[dir], (const char *)p, (unsigned)k, 0,
						    scratch, on_match, &sc);
	}
	scratch_put(pi, scratch);
	if (sc.drop || (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED))
		drop_connection(io, classifyOut);
}

/* ------------------------------------------------------------ parameters */

static char *literal_regex(const char *s, size_t len)
{
	char *r = owfp_malloc(len * 4 + 1);
	if (!r)
		return NULL;
	for (size_t i = 0; i < len; i++)
		sprintf(r + 4 * i, "\\x%02x", (unsigned char)s[i]);
	r[4 * len] = '\0';
	return r;
}

static void pm_free(void *instance)
{
	pm_instance *pi = instance;
	for (size_t i = 0; i < pi->npat; i++)
		free(pi->pat[i].label);
	free(pi->pat);
	/* Scratch and database exist only if the table was loaded. */
	for (size_t i = 0; i < pi->npool; i++)
		pi->hs->hs_free_scratch(pi->pool[i]);
	free(pi->pool);
	if (pi->proto)
		pi->hs->hs_free_scratch(pi->proto);
	if (pi->db)
		pi->hs->hs_free_database(pi->db);
	if (pi->log)
		fclose(pi->log);
	pthread_mutex_destroy(&pi->mu);
	free(pi);
}

static int compile(pm_instance *pi, const owfp_params *p, const json_t *a)
{
	size_t n = json_array_size(a);
	char **expr = owfp_calloc(n, sizeof(char *));
	unsigned *flags = owfp_calloc(n, sizeof(unsigned));
	unsigned *ids = owfp_calloc(n, sizeof(unsigned));
	pi->pat = owfp_calloc(n, sizeof(pm_pattern));
	int rc = (!expr || !flags || !ids || !pi->pat) ? -ENOMEM : 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const json_t *o = json_array_get(a, i);
		const json_t *pat = json_is_string(o) ? o : json_object_get(o, "pattern");
		const json_t *re = json_object_get(o, "regex"), *act = json_object_get(o, "action");
		const json_t *cl = json_object_get(o, "caseless"), *nm = json_object_get(o, "name");
		if (!json_is_string(pat) || json_string_length(pat) == 0 ||
		    (json_is_object(o) &&
		     json_object_size(o) != (size_t)1 + !!re + !!act + !!cl + !!nm) ||
		    (re && !json_is_boolean(re)) || (cl && !json_is_boolean(cl)) ||
		    (nm && !json_is_string(nm)) ||
		    (act && (!json_is_string(act) || (strcmp(json_string_value(act), "log") != 0 &&
						      strcmp(json_string_value(act), "drop") != 0)))) {
			rc = owfp_params_fail(p,
					      "patterns[%zu]: want a string or {pattern, regex, "
					      "action: log|drop, caseless, name}",
					      i);
			break;
		}
		pi->npat = i + 1;
		pi->pat[i].drop = act && strcmp(json_string_value(act), "drop") == 0;
		pi->pat[i].label = owfp_strdup(nm ? json_string_value(nm) : json_string_value(pat));
		expr[i] = json_is_true(re)
				  ? owfp_strdup(json_string_value(pat))
				  : literal_regex(json_string_value(pat), json_string_length(pat));
		if (!pi->pat[i].label || !expr[i])
			rc = -ENOMEM;
		flags[i] = HS_FLAG_SINGLEMATCH | (json_is_true(cl) ? HS_FLAG_CASELESS : 0);
		ids[i] = (unsigned)i;
	}
	if (!rc) {
		hs_compile_error_t *ce = NULL;
		if (pi->hs->hs_compile_multi((const char *const *)expr, flags, ids, (unsigned)n,
					     HS_MODE_STREAM, NULL, &pi->db, &ce) != HS_SUCCESS) {
			rc = owfp_params_fail(p, "patterns[%d]: %s", ce ? ce->expression : -1,
					      ce ? ce->message : "compile failed");
			pi->hs->hs_free_compile_error(ce);
		} else if (pi->hs->hs_alloc_scratch(pi->db, &pi->proto) != HS_SUCCESS) {
			rc = -ENOMEM;
		}
	}
	for (size_t i = 0; expr && i < n; i++)
		free(expr[i]);
	free(expr);
	free(flags);
	free(ids);
	return rc;
}

static int pm_create(const void *params, const char *name, void **out, char *err, size_t errlen)
{
	static const char *const known[] = {"patterns", "direction", "log_path", NULL};
	static const char *const dirs[] = {"inbound", "outbound", "both", NULL};
	owfp_params p;
	int rc = owfp_params_open(&p, params, name, known, err, errlen);
	if (rc)
		return rc;
	pm_instance *pi = owfp_calloc(1, sizeof(*pi));
	if (!pi)
		return -ENOMEM;
	pthread_mutex_init(&pi->mu, NULL);
	const json_t *a;
	const char *log_path;
	int dir = 2;
	if ((rc = owfp_params_array(&p, "patterns", &a)) ||
	    (rc = owfp_params_choice(&p, "direction", dirs, 2, &dir)) ||
	    (rc = owfp_params_string(&p, "log_path", NULL, &log_path))) {
		pm_free(pi);
		return rc;
	}
	if (!a || json_array_size(a) == 0) {
		pm_free(pi);
		return owfp_params_fail(&p, "parameter 'patterns' must list at least one pattern");
	}
	char why[256];
	if (!(pi->hs = owfp_hs_load(why, sizeof(why)))) {
		pm_free(pi);
		owfp_params_fail(&p, "pattern_match needs Hyperscan: %s", why);
		return -ELIBACC;
	}
	pi->dir[OWFP_DIR_INBOUND] = dir != 1;
	pi->dir[OWFP_DIR_OUTBOUND] = dir != 0;
	if (log_path && !(pi->log = fopen(log_path, "a"))) {
		pm_free(pi);
		return owfp_params_fail(&p, "log_path '%s': %s", log_path, strerror(errno));
	}
	if ((rc = compile(pi, &p, a))) {
		pm_free(pi);
		return rc;
	}
	static const owfp_bi_class cls = {.type = "pattern_match", .free = pm_free};
	const FWPS_CALLOUT3 c = {
		.classifyFn = pm_classify,
		.notifyFn = owfp_bi_notify3,
		.flowDeleteFn = pm_flow_delete,
	};
	return owfp_bi_create3(pi, &cls, &c, name, out, err, errlen);
}

#else /* !OWFP_HAVE_HYPERSCAN */

static int pm_create(const void *params, const char *name, void **out, char *err, size_t errlen)
{
	(void)params;
	(void)out;
	snprintf(err, errlen,
		 "callout '%s': pattern_match needs Hyperscan (libhyperscan-dev), "
		 "which this build did not find",
		 name);
	return -ENOTSUP;
}

#endif

const owfp_builtin owfp_builtin_pattern_match = {
	.name = "pattern_match",
	.summary = "many literal or regex patterns across segments (Hyperscan streaming); log or drop per pattern",
	.params_help =
		"patterns   array   (required)  \"literal\" or {\"pattern\":..,\"regex\":false,\"action\":\"log\"|\"drop\",\n"
		"                               \"caseless\":false,\"name\":..}\n"
		"direction  string  both        inbound | outbound | both\n"
		"log_path   string  (none)      append one JSON line per match here (default: debug print)\n",
	.create = pm_create,
	.callout_key = owfp_bi_callout_key,
	.destroy = owfp_bi_destroy,
};
