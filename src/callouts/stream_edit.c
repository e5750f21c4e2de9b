/*
 * stream_edit: find and replace a byte string in one or both directions of
 * every flow, also where it spans segment boundaries. The replacement may
 * be longer, shorter or empty. Two implementations of the same contract
 * (output = input with every non-overlapping occurrence, leftmost first,
 * replaced): inline (stream_edit_inline.c) and out of band
 * (stream_edit_oob.c), after Microsoft's stmedit sample.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "callouts/registry.h"
#include "callouts/params.h"
#include "callouts/stream_edit.h"
#include "util/alloc.h"

long se_search(const se_instance *si, const uint8_t *p, size_t n)
{
	const uint8_t *m = memmem(p, n, si->find, si->find_len);
	return m ? (long)(m - p) : -1;
}

size_t se_partial_start(const se_instance *si, const uint8_t *p, size_t n)
{
	/* KMP over the last find_len - 1 bytes: any match that is still
	 * incomplete at the end must start there. */
	size_t from = n > si->find_len - 1 ? n - (si->find_len - 1) : 0;
	size_t q = 0;
	for (size_t i = from; i < n; i++) {
		while (q > 0 && si->find[q] != p[i])
			q = si->kmp[q - 1];
		if (si->find[q] == p[i])
			q++;
		if (q == si->find_len) /* a full match here was already handled */
			q = si->kmp[q - 1];
	}
	return n - q;
}

static void NTAPI se_classify(const FWPS_INCOMING_VALUES0 *inFixedValues,
			      const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues, void *layerData,
			      const void *classifyContext, const FWPS_FILTER3 *filter,
			      UINT64 flowContext, FWPS_CLASSIFY_OUT0 *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;
	se_instance *si = owfp_bi_classify_begin(filter, io, classifyOut);
	(void)classifyContext;
	if (!si)
		return;
	const FWPS_STREAM_DATA0 *sd = io->streamData;
	if (!si->dir[owfp_bi_dir(sd->flags)]) {
		classifyOut->actionType = FWP_ACTION_PERMIT;
		return;
	}
	if (si->oob) {
		se_oob_classify(si, inFixedValues, inMetaValues, io, filter, flowContext,
				classifyOut);
		return;
	}
	/* S19/S20 and the end of the stream: nothing to edit */
	if (sd->dataLength == 0 || owfp_bi_is_end(sd->flags) || owfp_bi_is_expedited(sd->flags)) {
		classifyOut->actionType = FWP_ACTION_PERMIT;
		return;
	}
	se_inline_classify(si, inFixedValues, inMetaValues, io, filter, classifyOut);
}

static int get_bytes(const owfp_params *p, const char *key, bool required, uint8_t **out, size_t *len)
{
	const json_t *v = json_object_get(p->obj, key);
	*out = NULL;
	*len = 0;
	if (!v) {
		if (required)
			return owfp_params_fail(p, "parameter '%s' is required", key);
		*out = malloc(1);
		return *out ? 0 : -ENOMEM;
	}
	if (!json_is_string(v))
		return owfp_params_fail(p, "parameter '%s' must be a string", key);
	/* *len stays 0 until *out holds that many bytes. */
	size_t n = json_string_length(v);
	if (n > SE_FIND_MAX)
		return owfp_params_fail(p, "parameter '%s' is longer than %d bytes", key,
					SE_FIND_MAX);
	*out = malloc(n + 1);
	if (!*out)
		return -ENOMEM;
	memcpy(*out, json_string_value(v), n);
	*len = n;
	return 0;
}

static void se_free(void *instance)
{
	se_instance *si = instance;
	free(si->find);
	free(si->repl);
	free(si->kmp);
	free(si->win);
	free(si->out);
	pthread_cond_destroy(&si->idle_cv);
	pthread_cond_destroy(&si->cv);
	pthread_mutex_destroy(&si->mu);
	free(si);
}

static int se_create(const void *params, const char *name, void **out, char *err, size_t errlen)
{
	static const char *const known[] = {"find", "replace",        "direction",
					    "mode", "busy_threshold", NULL};
	static const char *const dirs[] = {"inbound", "outbound", "both", NULL};
	static const char *const modes[] = {"inline", "oob", NULL};
	owfp_params p;
	int rc = owfp_params_open(&p, params, name, known, err, errlen);
	if (rc)
		return rc;
	se_instance *si = owfp_calloc(1, sizeof(*si));
	if (!si)
		return -ENOMEM;
	pthread_mutex_init(&si->mu, NULL);
	pthread_cond_init(&si->cv, NULL);
	pthread_cond_init(&si->idle_cv, NULL);
	int dir = 2, mode = 0;
	uint64_t busy = 16384;
	if ((rc = get_bytes(&p, "find", true, &si->find, &si->find_len)) ||
	    (rc = get_bytes(&p, "replace", false, &si->repl, &si->repl_len)) ||
	    (rc = owfp_params_choice(&p, "direction", dirs, 2, &dir)) ||
	    (rc = owfp_params_choice(&p, "mode", modes, 0, &mode)) ||
	    (rc = owfp_params_u64(&p, "busy_threshold", 16384, 1, 1u << 30, &busy))) {
		se_free(si);
		return rc;
	}
	if (si->find_len == 0) {
		se_free(si);
		return owfp_params_fail(&p, "parameter 'find' must not be empty");
	}
	si->dir[OWFP_DIR_INBOUND] = dir != 1;
	si->dir[OWFP_DIR_OUTBOUND] = dir != 0;
	si->oob = mode == 1;
	si->busy_threshold = (size_t)busy;
	si->kmp = owfp_calloc(si->find_len, sizeof(size_t));
	if (!si->kmp) {
		se_free(si);
		return -ENOMEM;
	}
	for (size_t i = 1, k = 0; i < si->find_len; i++) {
		while (k > 0 && si->find[i] != si->find[k])
			k = si->kmp[k - 1];
		if (si->find[i] == si->find[k])
			k++;
		si->kmp[i] = k;
	}
	static const owfp_bi_class inline_cls = {
		.type = "stream_edit", .injects = true, .free = se_free};
	static const owfp_bi_class oob_cls = {.type = "stream_edit",
					      .injects = true,
					      .start = se_oob_start,
					      .stop = se_oob_stop,
					      .free = se_free};
	const FWPS_CALLOUT3 c = {
		.classifyFn = se_classify,
		.notifyFn = owfp_bi_notify3,
		.flowDeleteFn = si->oob ? se_oob_flow_delete : NULL,
	};
	return owfp_bi_create3(si, si->oob ? &oob_cls : &inline_cls, &c, name, out, err, errlen);
}

const owfp_builtin owfp_builtin_stream_edit = {
	.name = "stream_edit",
	.summary = "find and replace a byte string, also across segment boundaries (inline or out of band)",
	.params_help =
		"find            string  (required)  bytes to look for (at most 64 KiB)\n"
		"replace         string  \"\"          bytes to put in their place (any length)\n"
		"direction       string  both        inbound | outbound | both\n"
		"mode            string  inline      inline (NEED_MORE_DATA + inject + BLOCK) | oob (clone, BLOCK, edit on a worker thread)\n"
		"busy_threshold  integer 16384       oob: inbound bytes queued before DEFER\n",
	.create = se_create,
	.callout_key = owfp_bi_callout_key,
	.destroy = owfp_bi_destroy,
};
