/*
 * tls_sni_filter: allow or deny TLS connections by the server name (SNI)
 * and the application protocols (ALPN) of the ClientHello.
 *
 * The ClientHello is the first thing the connecting side sends; it may be
 * split over several TCP segments and TLS records. classifyFn answers
 * NEED_MORE_DATA until the parser (tls_clienthello.c) has all of it, judges
 * it, and then ends inspection with ALLOW_CONNECTION or drops the
 * connection. The engine holds the bytes meanwhile, so the callout keeps no
 * state of its own.
 *
 * Fail closed: a malformed or oversized hello, one cut short by the end of
 * the stream, lost bytes (missedBytes): DROP_CONNECTION. Traffic that is not
 * TLS at all follows `non_tls`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "callouts/kit.h"
#include "callouts/registry.h"
#include "callouts/name_pattern.h"
#include "callouts/params.h"
#include "callouts/tls_clienthello.h"
#include "util/alloc.h"

typedef struct sni_instance {
	owfp_bi bi;
	owfp_name_list allow, deny, alpn_allow, alpn_deny;
	bool no_sni_allow;
	bool non_tls_allow;
	size_t max_hello;
} sni_instance;
OWFP_BI_FIRST(sni_instance);

static void answer(FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out,
		   FWPS_STREAM_ACTION_TYPE sa)
{
	io->streamAction = sa;
	out->actionType = FWP_ACTION_NONE;
}

static void drop(const sni_instance *si, UINT64 flow, const char *why, const uint8_t *name,
		 size_t len, FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out)
{
	DbgPrintEx(DPFLTR_IHVNETWORK_ID, DPFLTR_INFO_LEVEL,
		   "tls_sni_filter %s: flow %llu dropped: %s %.*s\n", si->bi.instance,
		   (unsigned long long)flow, why, (int)len, name ? (const char *)name : "");
	answer(io, out, FWPS_STREAM_ACTION_DROP_CONNECTION);
}

static bool alpn_matches(const owfp_name_list *l, const owfp_tls_hello *h)
{
	for (size_t i = 0; i < h->alpn_count; i++)
		if (owfp_name_list_match(l, (const char *)h->alpn[i], h->alpn_len[i]))
			return true;
	return false;
}

static void judge(const sni_instance *si, UINT64 flow, const owfp_tls_hello *h,
		  FWPS_STREAM_CALLOUT_IO_PACKET0 *io, FWPS_CLASSIFY_OUT0 *out)
{
	if (h->sni) {
		const char *n = (const char *)h->sni;
		if (owfp_name_list_match(&si->deny, n, h->sni_len))
			return drop(si, flow, "denied server name", h->sni, h->sni_len, io, out);
		if (si->allow.n && !owfp_name_list_match(&si->allow, n, h->sni_len))
			return drop(si, flow, "server name not allowed", h->sni, h->sni_len, io, out);
	} else if (!si->no_sni_allow) {
		return drop(si, flow, "no server name", NULL, 0, io, out);
	}
	if (si->alpn_deny.n && alpn_matches(&si->alpn_deny, h))
		return drop(si, flow, "denied ALPN protocol", NULL, 0, io, out);
	if (si->alpn_allow.n && !alpn_matches(&si->alpn_allow, h))
		return drop(si, flow, "no allowed ALPN protocol", NULL, 0, io, out);
	answer(io, out, FWPS_STREAM_ACTION_ALLOW_CONNECTION);
}

static void NTAPI sni_classify(const FWPS_INCOMING_VALUES0 *inFixedValues,
			       const FWPS_INCOMING_METADATA_VALUES0 *inMetaValues, void *layerData,
			       const void *classifyContext, const FWPS_FILTER3 *filter,
			       UINT64 flowContext, FWPS_CLASSIFY_OUT0 *classifyOut)
{
	FWPS_STREAM_CALLOUT_IO_PACKET0 *io = layerData;
	sni_instance *si = owfp_bi_classify_begin(filter, io, classifyOut);
	(void)classifyContext;
	(void)flowContext;
	if (!si)
		return;
	const FWPS_STREAM_DATA0 *sd = io->streamData;
	UINT64 flow = inMetaValues->flowHandle;
	/* The server's bytes, and ends of stream: nothing to judge here. A
	 * partial hello cut by the end was already presented with NO_MORE_DATA. */
	if (owfp_bi_dir_flag(sd->flags) != owfp_bi_initiator_flag(inFixedValues) ||
	    owfp_bi_is_end(sd->flags) || sd->dataLength == 0) {
		classifyOut->actionType = FWP_ACTION_PERMIT;
		return;
	}
	if (io->missedBytes)
		return drop(si, flow, "client bytes were missed", NULL, 0, io, classifyOut);

	owfp_bi_bytes b;
	uint8_t *scratch = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED,
					   si->max_hello, OWFP_BI_TAG);
	if (!scratch || owfp_bi_bytes_get(sd, &b)) {
		if (scratch)
			ExFreePoolWithTag(scratch, OWFP_BI_TAG);
		return drop(si, flow, "out of memory", NULL, 0, io, classifyOut);
	}
	owfp_tls_hello h;
	enum owfp_tls_result r = owfp_tls_clienthello_parse(b.p, b.len, scratch, si->max_hello, &h);
	bool final = (classifyOut->flags & (FWPS_CLASSIFY_OUT_FLAG_NO_MORE_DATA |
					    FWPS_CLASSIFY_OUT_FLAG_BUFFER_LIMIT_REACHED)) != 0;
	switch (r) {
	case OWFP_TLS_OK:
		judge(si, flow, &h, io, classifyOut);
		break;
	case OWFP_TLS_INCOMPLETE:
		if (final) {
			drop(si, flow, "stream ended inside the ClientHello", NULL, 0, io,
			     classifyOut);
		} else {
			io->countBytesRequired = 1;
			answer(io, classifyOut, FWPS_STREAM_ACTION_NEED_MORE_DATA);
		}
		break;
	case OWFP_TLS_NOT_TLS:
		if (si->non_tls_allow)
			answer(io, classifyOut, FWPS_STREAM_ACTION_ALLOW_CONNECTION);
		else
			drop(si, flow, "not TLS", NULL, 0, io, classifyOut);
		break;
	case OWFP_TLS_MALFORMED:
		drop(si, flow, h.error, NULL, 0, io, classifyOut);
		break;
	}
	owfp_bi_bytes_put(&b);
	ExFreePoolWithTag(scratch, OWFP_BI_TAG);
}

static void sni_free(void *instance)
{
	sni_instance *si = instance;
	owfp_name_list_free(&si->allow);
	owfp_name_list_free(&si->deny);
	owfp_name_list_free(&si->alpn_allow);
	owfp_name_list_free(&si->alpn_deny);
	free(si);
}

static int list(const owfp_params *p, const char *key, owfp_name_list *l)
{
	const json_t *a;
	int rc = owfp_params_array(p, key, &a);
	if (rc)
		return rc;
	char why[200];
	rc = owfp_name_list_init(l, a, why, sizeof(why));
	if (rc == -EINVAL)
		return owfp_params_fail(p, "parameter '%s': %s", key, why);
	return rc;
}

static int sni_create(const void *params, const char *name, void **out, char *err, size_t errlen)
{
	static const char *const known[] = {"allow",  "deny",    "alpn_allow", "alpn_deny",
					    "no_sni", "non_tls", "max_hello",  NULL};
	static const char *const policies[] = {"drop", "allow", NULL};
	owfp_params p;
	int rc = owfp_params_open(&p, params, name, known, err, errlen);
	if (rc)
		return rc;
	sni_instance *si = owfp_calloc(1, sizeof(*si));
	if (!si)
		return -ENOMEM;
	int no_sni = -1, non_tls = 0;
	uint64_t max_hello;
	if ((rc = list(&p, "allow", &si->allow)) || (rc = list(&p, "deny", &si->deny)) ||
	    (rc = list(&p, "alpn_allow", &si->alpn_allow)) ||
	    (rc = list(&p, "alpn_deny", &si->alpn_deny)) ||
	    (rc = owfp_params_choice(&p, "no_sni", policies, -1, &no_sni)) ||
	    (rc = owfp_params_choice(&p, "non_tls", policies, 0, &non_tls)) ||
	    (rc = owfp_params_u64(&p, "max_hello", 16384, 512, 1u << 20, &max_hello))) {
		sni_free(si);
		return rc;
	}
	/* Without SNI a name allow-list cannot be satisfied: drop by default then. */
	si->no_sni_allow = no_sni == -1 ? si->allow.n == 0 : no_sni == 1;
	si->non_tls_allow = non_tls == 1;
	si->max_hello = (size_t)max_hello;
	static const owfp_bi_class cls = {.type = "tls_sni_filter", .free = sni_free};
	const FWPS_CALLOUT3 c = {.classifyFn = sni_classify, .notifyFn = owfp_bi_notify3};
	return owfp_bi_create3(si, &cls, &c, name, out, err, errlen);
}

const owfp_builtin owfp_builtin_tls_sni_filter = {
	.name = "tls_sni_filter",
	.summary = "allow or deny TLS connections by ClientHello server name (SNI) and ALPN",
	.params_help =
		"allow       array   []      server names; when not empty, the SNI must match one\n"
		"deny        array   []      server names that drop the connection\n"
		"                            name: exact, \".suffix.example\" (the name and below) or glob\n"
		"alpn_allow  array   []      when not empty, one offered ALPN protocol must match\n"
		"alpn_deny   array   []      an offered ALPN protocol matching one drops the connection\n"
		"no_sni      string  (auto)  drop | allow a hello without SNI (default: drop when allow is set)\n"
		"non_tls     string  drop    drop | allow connections that are not TLS\n"
		"max_hello   integer 16384   largest ClientHello accepted; larger fails closed\n",
	.create = sni_create,
	.callout_key = owfp_bi_callout_key,
	.destroy = owfp_bi_destroy,
};
