/*
 * http_filter: allow or deny HTTP/1.x requests by Host, method and path.
 *
 * The bytes sent by the side that opened the connection are requests:
 * classifyFn holds each request head with NEED_MORE_DATA until it is
 * complete (at most max_head bytes), judges it, then PERMITs exactly the head
 * and follows the body (Content-Length or chunked) so that the next request
 * head on a keep-alive connection is found at the right place and judged
 * too. With allow_after_first, the first allowed request ends inspection
 * (ALLOW_CONNECTION).
 *
 * The other direction is followed response by response (http_exchange.h)
 * for one reason: an Upgrade or CONNECT request leaves HTTP only when the
 * server says so (101, or 2xx to CONNECT). That answer ends inspection
 * (ALLOW_CONNECTION, from the response side); until it comes, what the
 * client sends is judged as requests, and bytes that are not HTTP behind a
 * tunnel request are held (NEED_MORE_DATA), not passed: they are delivered
 * if the server switches, and dropped as not HTTP if it does not.
 *
 * Fail closed: anything that cannot be parsed unambiguously (see
 * http_head.h), a path that servers could read differently (http_path.h), a
 * head over the cap, a partial head at the end of the stream, lost bytes
 * (missedBytes), urgent data, or no memory: the connection is dropped
 * (DROP_CONNECTION).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "callouts/kit.h"
#include "callouts/registry.h"
#include "callouts/http_exchange.h"
#include "callouts/http_head.h"
#include "callouts/http_path.h"
#include "callouts/name_pattern.h"
#include "callouts/params.h"
#include "util/alloc.h"

typedef struct hf_rule {
	char *host, *method, *path; /* NULL = any */
} hf_rule;

typedef struct hf_rules {
	size_t n;
	hf_rule *r;
} hf_rules;

typedef struct hf_instance {
	owfp_bi bi;
	hf_rules allow, deny;
	size_t max_head;
	bool allow_after_first;
	bool non_http_allow;
} hf_instance;
OWFP_BI_FIRST(hf_instance);

/* Where the request stream is. */
typedef enum hf_req_state { HF_HEAD, HF_BODY, HF_CHUNKED } hf_req_state;

typedef struct hf_flow {
	hf_req_state state;
	uint64_t remaining;
	owfp_http_chunked ch;
	bool seen_request;
	owfp_http_exchange x; /* the response stream */
} hf_flow;

/* Deny rules ignore case (a server may: IIS, or a case-insensitive file
 * system), allow rules do not: each errs towards refusing. */
static bool rule_matches(const hf_rule *r, const owfp_http_head *h, const char *path, bool deny)
{
	if (r->host && !owfp_name_match(r->host, h->host.p, h->host.len))
		return false;
	if (r->method && !owfp_glob_match_case(r->method, h->method.p, h->method.len, !deny))
		return false;
	if (r->path && !owfp_glob_match_case(r->path, path, strlen(path), !deny))
		return false;
	return true;
}

static bool any_matches(const hf_rules *rs, const owfp_http_head *h, const char *path, bool deny)
{
	for (size_t i = 0; i < rs->n; i++)
		if (rule_matches(&rs->r[i], h, path, deny))
			return true;
	return false;
}

/*
 * Judges every reading of the path a server may make (http_path.h): the
 * literal one and, when there is a ';', the one without path parameters. A
 * deny rule that matches any reading denies; the allow list must admit each.
 * Returns NULL when allowed, else why not.
 */
static const char *request_refusal(const hf_instance *hi, const owfp_http_head *h)
{
	char path[2][8192];
	const char *why = NULL;
	int readings = 1;
	if (owfp_http_path_normalize(h->path.p, h->path.len, 0, path[0], sizeof(path[0]), &why) < 0)
		return why;
	if (memchr(h->path.p, ';', h->path.len)) {
		if (owfp_http_path_normalize(h->path.p, h->path.len, OWFP_HTTP_PATH_STRIP_PARAMS,
					     path[1], sizeof(path[1]), &why) < 0)
			return why;
		readings = 2;
	}
	for (int k = 0; k < readings; k++) {
		if (any_matches(&hi->deny, h, path[k], true))
			return "request denied by the rules";
		if (hi->allow.n && !any_matches(&hi->allow, h, path[k], false))
			return "request not allowed by the rules";
	}
	return NULL;
}

static void answer(FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out,
		   FWPS_STREAM_ACTION_TYPE sa)
{
	io->streamAction = sa;
	out->actionType = FWP_ACTION_NONE;
}

static void permit(FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out, size_t n)
{
	io->countBytesEnforced = n == io->streamData->dataLength ? 0 : n;
	out->actionType = FWP_ACTION_PERMIT;
}

static void deny(const hf_instance *hi, UINT64 flow, const char *why,
		 FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out)
{
	DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_INFO_LEVEL, "http_filter %s: flow %llu dropped: %s\n",
		   hi->bi.instance, (unsigned long long)flow, why);
	answer(io, out, FWPS_STREAM_ACTION_DROP_CONNECTION);
}

static hf_flow *flow_get(const FWPS_INCOMING_VALUES0 *in, const FWPS_INCOMING_METADATA_VALUES0 *meta,
			 const FWPS_FILTER3 *filter, UINT64 flowContext)
{
	if (flowContext)
		return (hf_flow *)(uintptr_t)flowContext;
	hf_flow *f = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*f), OWFP_BI_TAG);
	if (!f)
		return NULL;
	f->state = HF_HEAD;
	owfp_http_exchange_init(&f->x);
	if (FwpsFlowAssociateContext0(meta->flowHandle, in->layerId, filter->action.calloutId,
				      (UINT64)(uintptr_t)f) != STATUS_SUCCESS) {
		ExFreePoolWithTag(f, OWFP_BI_TAG);
		return NULL;
	}
	return f;
}

static void NTAPI hf_flow_delete(UINT16 layerId, UINT32 calloutId, UINT64 flowContext)
{
	(void)layerId;
	(void)calloutId;
	ExFreePoolWithTag((void *)(uintptr_t)flowContext, OWFP_BI_TAG);
}

static bool is_final(const FWPS_CLASSIFY_OUT0 *out)
{
	return (out->flags & (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA |
			      FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED)) != 0;
}

/* Logs once why the responses are no longer followed, when that matters:
 * a tunnel request is (or comes to be) waiting for an answer it cannot get. */
static void said_lost(const hf_instance *hi, owfp_http_exchange *x, UINT64 flow)
{
	if (x->state != OWFP_HTTP_RESP_LOST || !x->lost || !x->tunnels)
		return;
	DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_INFO_LEVEL,
		   "http_filter %s: flow %llu: responses no longer followed (%s); "
		   "an Upgrade or CONNECT on it cannot switch\n",
		   hi->bi.instance, (unsigned long long)flow, x->lost);
	x->lost = NULL;
}

static owfp_http_req_kind request_kind(const owfp_http_head *h)
{
	if (h->method.len == 7 && memcmp(h->method.p, "CONNECT", 7) == 0)
		return OWFP_HTTP_REQ_CONNECT;
	if (h->upgrade)
		return OWFP_HTTP_REQ_UPGRADE;
	if (h->method.len == 4 && memcmp(h->method.p, "HEAD", 4) == 0)
		return OWFP_HTTP_REQ_HEAD;
	return OWFP_HTTP_REQ_OTHER;
}

static void judge_head(const hf_instance *hi, hf_flow *f, UINT64 flow, const owfp_bi_bytes *b,
		       FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out)
{
	owfp_http_head h;
	long hl = owfp_http_head_parse(b->p, b->len, &h);
	bool final = is_final(out);
	if (hl == OWFP_HTTP_INCOMPLETE) {
		if (b->len >= hi->max_head)
			return deny(hi, flow, "request head over max_head", io, out);
		if (final)
			return deny(hi, flow, "stream ended inside a request head", io, out);
		io->countBytesRequired = 1;
		return answer(io, out, FWPS_STREAM_ACTION_NEED_MORE_DATA);
	}
	if (hl == OWFP_HTTP_ERROR) {
		if (h.not_http && !f->seen_request && hi->non_http_allow)
			return answer(io, out, FWPS_STREAM_ACTION_ALLOW_CONNECTION);
		if (h.not_http && owfp_http_exchange_tunnel_pending(&f->x)) {
			/* tunnel bytes sent before the server's answer: they pass
			 * only if it switches (ALLOW_CONNECTION releases them) */
			if (final)
				return deny(hi, flow,
					    "not HTTP, and the server has not switched protocols",
					    io, out);
			io->countBytesRequired = 1;
			return answer(io, out, FWPS_STREAM_ACTION_NEED_MORE_DATA);
		}
		return deny(hi, flow, h.error, io, out);
	}
	if ((size_t)hl > hi->max_head)
		return deny(hi, flow, "request head over max_head", io, out);
	f->seen_request = true;
	const char *refused = request_refusal(hi, &h);
	if (refused)
		return deny(hi, flow, refused, io, out);
	if (hi->allow_after_first)
		return answer(io, out, FWPS_STREAM_ACTION_ALLOW_CONNECTION);
	owfp_http_exchange_request(&f->x, request_kind(&h));
	said_lost(hi, &f->x, flow);
	if (h.chunked) {
		f->state = HF_CHUNKED;
		owfp_http_chunked_init(&f->ch);
	} else if (h.content_length > 0) {
		f->state = HF_BODY;
		f->remaining = (uint64_t)h.content_length;
	}
	permit(io, out, (size_t)hl);
}

static void judge_request_bytes(const hf_instance *hi, hf_flow *f, UINT64 flow,
				FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out)
{
	const FWPS_STREAM_DATA0 *sd = io->streamData;
	if (io->missedBytes)
		return deny(hi, flow, "request bytes were missed", io, out);
	if (owfp_bi_is_expedited(sd->flags))
		return deny(hi, flow, "urgent data in a request stream", io, out);
	if (f->state == HF_BODY) {
		/* a counted body needs no bytes: no copy of a large indication */
		size_t take = f->remaining < sd->dataLength ? (size_t)f->remaining : sd->dataLength;
		f->remaining -= take;
		if (f->remaining == 0)
			f->state = HF_HEAD;
		return permit(io, out, take);
	}
	owfp_bi_bytes b;
	if (owfp_bi_bytes_get(sd, &b))
		return deny(hi, flow, "out of memory", io, out);
	if (f->state == HF_HEAD) {
		judge_head(hi, f, flow, &b, io, out);
	} else {
		bool done;
		long used = owfp_http_chunked_feed(&f->ch, b.p, b.len, &done);
		if (used < 0) {
			deny(hi, flow, "malformed chunked body", io, out);
		} else {
			if (done)
				f->state = HF_HEAD;
			permit(io, out, (size_t)used);
		}
	}
	owfp_bi_bytes_put(&b);
}

/* One step of following the responses; the rest of the indication, if
 * any, is presented again at once (countBytesEnforced). Responses are never
 * blocked: they only tell whether the connection left HTTP. */
static void follow_response(const hf_instance *hi, hf_flow *f, UINT64 flow,
			    FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out)
{
	const FWPS_STREAM_DATA0 *sd = io->streamData;
	owfp_http_exchange *x = &f->x;
	if (io->missedBytes || owfp_bi_is_expedited(sd->flags))
		owfp_http_exchange_lose(x, "response bytes missed, or urgent");
	if (x->state == OWFP_HTTP_RESP_LOST) {
		said_lost(hi, x, flow);
		return permit(io, out, sd->dataLength);
	}
	size_t used = sd->dataLength;
	owfp_http_step step;
	if (!owfp_http_exchange_wants_bytes(x)) {
		step = owfp_http_exchange_response(x, NULL, sd->dataLength, is_final(out), &used);
	} else {
		owfp_bi_bytes b;
		if (owfp_bi_bytes_get_max(sd, OWFP_HTTP_RESPONSE_HEAD_MAX, &b))
			return deny(hi, flow, "out of memory", io, out);
		step = owfp_http_exchange_response(x, b.p, b.len,
						   is_final(out) || b.len < sd->dataLength, &used);
		owfp_bi_bytes_put(&b);
	}
	said_lost(hi, x, flow);
	switch (step) {
	case OWFP_HTTP_STEP_SWITCHED:
		return answer(io, out, FWPS_STREAM_ACTION_ALLOW_CONNECTION);
	case OWFP_HTTP_STEP_MORE:
		io->countBytesRequired = 1;
		return answer(io, out, FWPS_STREAM_ACTION_NEED_MORE_DATA);
	case OWFP_HTTP_STEP_PASS:
		break;
	}
	permit(io, out, used ? used : sd->dataLength);
}

static void NTAPI hf_classify(const FWPS_INCOMING_VALUES0 *inFixedValues,
			      const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues, void *layerData,
			      const void *classifyContext, const FWPS_FILTER3 *filter,
			      UINT64 flowContext, FWPS_CLASSIFY_OUT0 *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;
	hf_instance *hi = owfp_bi_classify_begin(filter, io, classifyOut);
	(void)classifyContext;
	if (!hi)
		return;
	const FWPS_STREAM_DATA0 *sd = io->streamData;
	UINT64 flow = inMetaValues->flowHandle;
	if (owfp_bi_is_end(sd->flags) || sd->dataLength == 0)
		return permit(io, classifyOut, sd->dataLength);
	hf_flow *f = flow_get(inFixedValues, inMetaValues, filter, flowContext);
	if (!f)
		return deny(hi, flow, "out of memory", io, classifyOut);
	if (owfp_bi_dir_flag(sd->flags) == owfp_bi_initiator_flag(inFixedValues))
		judge_request_bytes(hi, f, flow, io, classifyOut);
	else
		follow_response(hi, f, flow, io, classifyOut);
}

/* ------------------------------------------------------------ parameters */

static void rules_free(hf_rules *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->r[i].host);
		free(rs->r[i].method);
		free(rs->r[i].path);
	}
	free(rs->r);
	rs->r = NULL;
	rs->n = 0;
}

static int rule_field(const owfp_params *p, const char *list, size_t i, const json_t *o,
		      const char *key, char **out)
{
	const json_t *v = json_object_get(o, key);
	if (!v)
		return 0;
	if (!json_is_string(v) || json_string_length(v) == 0)
		return owfp_params_fail(p, "%s[%zu].%s must be a non-empty string", list, i, key);
	*out = strdup(json_string_value(v));
	return *out ? 0 : -ENOMEM;
}

static int rules_init(const owfp_params *p, const char *list, hf_rules *rs)
{
	const json_t *a;
	int rc = owfp_params_array(p, list, &a);
	if (rc || !a)
		return rc;
	rs->r = owfp_calloc(json_array_size(a) + 1, sizeof(hf_rule));
	if (!rs->r)
		return -ENOMEM;
	for (size_t i = 0; i < json_array_size(a); i++) {
		const json_t *o = json_array_get(a, i);
		hf_rule *r = &rs->r[i];
		rs->n = i + 1;
		if (json_is_string(o) && json_string_length(o) > 0) {
			if (!(r->host = owfp_strdup(json_string_value(o))))
				return -ENOMEM;
			continue;
		}
		if (!json_is_object(o))
			return owfp_params_fail(p, "%s[%zu] must be a host pattern or an object",
						list, i);
		const char *k;
		json_t *v;
		json_object_foreach ((json_t *)o, k, v) {
			if (strcmp(k, "host") != 0 && strcmp(k, "method") != 0 &&
			    strcmp(k, "path") != 0)
				return owfp_params_fail(p, "%s[%zu]: unknown key '%s'", list, i, k);
		}
		if ((rc = rule_field(p, list, i, o, "host", &r->host)) ||
		    (rc = rule_field(p, list, i, o, "method", &r->method)) ||
		    (rc = rule_field(p, list, i, o, "path", &r->path)))
			return rc;
	}
	return 0;
}

static void hf_free(void *instance)
{
	hf_instance *hi = instance;
	rules_free(&hi->allow);
	rules_free(&hi->deny);
	free(hi);
}

static int hf_create(const void *params, const char *name, void **out, char *err, size_t errlen)
{
	static const char *const known[] = {"allow",    "deny", "max_head", "allow_after_first",
					    "non_http", NULL};
	static const char *const policies[] = {"drop", "allow", NULL};
	owfp_params p;
	int rc = owfp_params_open(&p, params, name, known, err, errlen);
	if (rc)
		return rc;
	hf_instance *hi = owfp_calloc(1, sizeof(*hi));
	if (!hi)
		return -ENOMEM;
	uint64_t max_head;
	int non_http = 0;
	if ((rc = rules_init(&p, "allow", &hi->allow)) || (rc = rules_init(&p, "deny", &hi->deny)) ||
	    (rc = owfp_params_u64(&p, "max_head", 16384, 64, 1u << 20, &max_head)) ||
	    (rc = owfp_params_bool(&p, "allow_after_first", false, &hi->allow_after_first)) ||
	    (rc = owfp_params_choice(&p, "non_http", policies, 0, &non_http))) {
		hf_free(hi);
		return rc;
	}
	hi->max_head = (size_t)max_head;
	hi->non_http_allow = non_http == 1;
	static const owfp_bi_class cls = {.type = "http_filter", .free = hf_free};
	const FWPS_CALLOUT3 c = {
		.classifyFn = hf_classify,
		.notifyFn = owfp_bi_notify3,
		.flowDeleteFn = hf_flow_delete,
	};
	return owfp_bi_create3(hi, &cls, &c, name, out, err, errlen);
}

const owfp_builtin owfp_builtin_http_filter = {
	.name = "http_filter",
	.summary = "allow or deny HTTP/1.x requests by Host, method and path; drops denied connections",
	.params_help =
		"allow              array   []     rules; when not empty, a request must match one\n"
		"deny               array   []     rules; a request matching one drops the connection\n"
		"                                  rule: \"host-pattern\" or {\"host\":..,\"method\":..,\"path\":..}\n"
		"                                  host: exact, \".suffix.example\" or glob; method/path: exact or glob\n"
		"max_head           integer 16384  longest request head; longer fails closed (drop)\n"
		"allow_after_first  bool    false  stop inspecting after the first allowed request\n"
		"non_http           string  drop   drop | allow connections whose first bytes are not HTTP/1.x\n",
	.create = hf_create,
	.callout_key = owfp_bi_callout_key,
	.destroy = owfp_bi_destroy,
};
