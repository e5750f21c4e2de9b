/*
 * flow_log: an inspection callout that writes one JSON line per flow when
 * the flow ends: addresses and ports, which side opened it, bytes per
 * direction, duration, the first bytes of each direction (hex) and how it
 * ended. The per-flow record is a flow context (FwpsFlowAssociateContext0)
 * created at the flow's first indication; the line is written from
 * flowDeleteFn, which the engine calls for every flow that has one.
 *
 * It never changes the stream: CONTINUE (PERMIT if its filter is
 * TERMINATING). Registered with FWPS_CALLOUT3.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "callouts/kit.h"
#include "callouts/registry.h"
#include "callouts/params.h"
#include "util/alloc.h"

typedef struct fl_instance {
	owfp_bi bi;
	pthread_mutex_t mu;
	FILE *out;
	size_t first_bytes;
} fl_instance;
OWFP_BI_FIRST(fl_instance);

typedef struct fl_flow {
	fl_instance *fi;
	UINT64 flowId;
	LARGE_INTEGER start; /* KeQuerySystemTime: 100 ns since 1601 */
	LARGE_INTEGER t0;    /* KeQueryPerformanceCounter */
	char local[INET6_ADDRSTRLEN], remote[INET6_ADDRSTRLEN];
	UINT16 lport, rport;
	bool v6, outbound;
	uint64_t bytes[2];
	bool fin[2], reset;
	size_t nfirst[2];
	uint8_t first[]; /* 2 * first_bytes */
} fl_flow;

static void addr_text(const FWPS_INCOMING_VALUES0 *in, int idx, bool v6, char *out)
{
	const FWP_VALUE0 *v = &in->incomingValue[idx].value;
	if (v6 && v->type == FWP_BYTE_ARRAY16_TYPE && v->byteArray16) {
		inet_ntop(AF_INET6, v->byteArray16->byteArray16, out, INET6_ADDRSTRLEN);
	} else {
		UINT32 a = htonl(v->uint32); /* incoming IPv4 values are host order (S6) */
		inet_ntop(AF_INET, &a, out, INET6_ADDRSTRLEN);
	}
}

static fl_flow *flow_new(fl_instance *fi, const FWPS_INCOMING_VALUES0 *in,
			 const FWPS_INCOMING_METADATA_VALUES0 *meta, const FWPS_FILTER3 *filter)
{
	fl_flow *f = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*f) + 2 * fi->first_bytes,
				     OWFP_BI_TAG);
	if (!f)
		return NULL;
	f->fi = fi;
	f->flowId = meta->flowHandle;
	KeQuerySystemTime(&f->start);
	f->t0 = KeQueryPerformanceCounter(NULL);
	f->v6 = in->layerId == FWPS_LAYER_STREAM_V6;
	addr_text(in, FWPS_FIELD_STREAM_V4_IP_LOCAL_ADDRESS, f->v6, f->local);
	addr_text(in, FWPS_FIELD_STREAM_V4_IP_REMOTE_ADDRESS, f->v6, f->remote);
	f->lport = in->incomingValue[FWPS_FIELD_STREAM_V4_IP_LOCAL_PORT].value.uint16;
	f->rport = in->incomingValue[FWPS_FIELD_STREAM_V4_IP_REMOTE_PORT].value.uint16;
	f->outbound = owfp_bi_initiator_flag(in) == FWPS_STREAM_FLAG_SEND;
	if (FwpsFlowAssociateContext0(meta->flowHandle, in->layerId, filter->action.calloutId,
				      (UINT64)(uintptr_t)f) != STATUS_SUCCESS) {
		ExFreePoolWithTag(f, OWFP_BI_TAG);
		return NULL;
	}
	return f;
}

static void NTAPI fl_classify(const FWPS_INCOMING_VALUES0 *inFixedValues,
			      const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues, void *layerData,
			      const void *classifyContext, const FWPS_FILTER3 *filter,
			      UINT64 flowContext, FWPS_CLASSIFY_OUT0 *classifyOut)
{
	(void)classifyContext;
	classifyOut->actionType = filter->action.type == FWP_ACTION_CALLOUT_TERMINATING
					  ? FWP_ACTION_PERMIT
					  : FWP_ACTION_CONTINUE;
	fl_instance *fi = owfp_bi_owner(filter->action.calloutId);
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;
	if (!fi || !io || !io->streamData)
		return;
	const FWPS_STREAM_DATA0 *sd = io->streamData;
	fl_flow *f = flowContext ? (fl_flow *)(uintptr_t)flowContext
				 : flow_new(fi, inFixedValues, inMetaValues, filter);
	if (!f)
		return; /* logging is best effort; the stream is never harmed */
	int dir = owfp_bi_dir(sd->flags);
	f->bytes[dir] += sd->dataLength;
	if (owfp_bi_is_abort(sd->flags))
		f->reset = true;
	else if (owfp_bi_is_end(sd->flags))
		f->fin[dir] = true;
	if (f->nfirst[dir] < fi->first_bytes && sd->dataLength) {
		size_t want = fi->first_bytes - f->nfirst[dir];
		SIZE_T got = 0;
		FwpsCopyStreamDataToBuffer0(sd, f->first + dir * fi->first_bytes + f->nfirst[dir],
					    want, &got);
		f->nfirst[dir] += got;
	}
}

static void NTAPI fl_flow_delete(UINT16 layerId, UINT32 calloutId, UINT64 flowContext)
{
	(void)layerId;
	(void)calloutId;
	fl_flow *f = (fl_flow *)(uintptr_t)flowContext;
	fl_instance *fi = f->fi;
	LARGE_INTEGER freq, t1 = KeQueryPerformanceCounter(&freq);
	double ms = freq.QuadPart
			    ? (double)(t1.QuadPart - f->t0.QuadPart) * 1000.0 / (double)freq.QuadPart
			    : 0;
	/* 100 ns since 1601-01-01 -> seconds since 1970-01-01 */
	int64_t unix100 = f->start.QuadPart - 116444736000000000LL;
	time_t secs = (time_t)(unix100 / 10000000);
	struct tm tm;
	char when[64];
	gmtime_r(&secs, &tm);
	size_t wl = strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + wl, sizeof(when) - wl, ".%03dZ", (int)((unix100 / 10000) % 1000));

	char *hex[2];
	for (int d = 0; d < 2; d++) {
		hex[d] = owfp_malloc(2 * f->nfirst[d] + 1);
		if (hex[d])
			owfp_bi_hex(f->first + d * fi->first_bytes, f->nfirst[d], hex[d]);
	}
	const char *end = f->reset                 ? "reset"
			  : f->fin[0] && f->fin[1] ? "fin"
			  : f->fin[0] || f->fin[1] ? "half_closed"
						   : "unfinished";
	json_t *o = json_pack(
		"{s:I, s:s, s:s, s:s, s:i, s:s, s:i, s:s, s:s, s:f, s:I, s:I, s:s, s:s, s:s}", "flow",
		(json_int_t)f->flowId, "callout", fi->bi.instance, "family", f->v6 ? "ipv6" : "ipv4",
		"local", f->local, "local_port", (int)f->lport, "remote", f->remote, "remote_port",
		(int)f->rport, "opened_by", f->outbound ? "local" : "remote", "start", when,
		"duration_ms", ms, "bytes_in", (json_int_t)f->bytes[OWFP_DIR_INBOUND], "bytes_out",
		(json_int_t)f->bytes[OWFP_DIR_OUTBOUND], "first_in",
		hex[OWFP_DIR_INBOUND] ? hex[OWFP_DIR_INBOUND] : "", "first_out",
		hex[OWFP_DIR_OUTBOUND] ? hex[OWFP_DIR_OUTBOUND] : "", "end", end);
	char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
	if (line) {
		pthread_mutex_lock(&fi->mu);
		fprintf(fi->out, "%s\n", line);
		fflush(fi->out);
		pthread_mutex_unlock(&fi->mu);
	}
	free(line);
	json_decref(o);
	free(hex[0]);
	free(hex[1]);
	ExFreePoolWithTag(f, OWFP_BI_TAG);
}

static void fl_free(void *instance)
{
	fl_instance *fi = instance;
	if (fi->out)
		fclose(fi->out);
	pthread_mutex_destroy(&fi->mu);
	free(fi);
}

static int fl_create(const void *params, const char *name, void **out, char *err, size_t errlen)
{
	static const char *const known[] = {"path", "first_bytes", NULL};
	owfp_params p;
	int rc = owfp_params_open(&p, params, name, known, err, errlen);
	if (rc)
		return rc;
	const char *path;
	uint64_t first;
	if ((rc = owfp_params_string(&p, "path", NULL, &path)) ||
	    (rc = owfp_params_u64(&p, "first_bytes", 16, 0, 4096, &first)))
		return rc;
	if (!path)
		return owfp_params_fail(&p, "parameter 'path' (the JSON Lines file) is required");
	fl_instance *fi = owfp_calloc(1, sizeof(*fi));
	if (!fi)
		return -ENOMEM;
	pthread_mutex_init(&fi->mu, NULL);
	fi->first_bytes = (size_t)first;
	if (!(fi->out = fopen(path, "a"))) {
		rc = owfp_params_fail(&p, "path '%s': %s", path, strerror(errno));
		fl_free(fi);
		return rc;
	}
	static const owfp_bi_class cls = {.type = "flow_log", .free = fl_free};
	const FWPS_CALLOUT3 c = {
		.classifyFn = fl_classify,
		.notifyFn = owfp_bi_notify3,
		.flowDeleteFn = fl_flow_delete,
	};
	return owfp_bi_create3(fi, &cls, &c, name, out, err, errlen);
}

const owfp_builtin owfp_builtin_flow_log = {
	.name = "flow_log",
	.summary = "inspection only: one JSON line per flow (addresses, bytes, duration, first bytes, end)",
	.params_help = "path         string   (required)  JSON Lines file to append to\n"
		       "first_bytes  integer  16          bytes of each direction's start to log, in hex (0..4096)\n",
	.create = fl_create,
	.callout_key = owfp_bi_callout_key,
	.destroy = owfp_bi_destroy,
	.filter_action = "callout_inspection",
};
