/*
 * Where an HTTP/1.x connection stops being HTTP.
 *
 * A request with Upgrade, or a CONNECT, only asks to leave HTTP; the server
 * decides. It has left only when the response to that very request is a
 * 101 (Upgrade) or a 2xx (CONNECT); any other answer keeps the connection
 * HTTP, and what the client sent behind the request is more requests. To
 * know which response answers which request, this follows the response
 * stream the way the client does (RFC 9112 section 6.3): heads, interim 1xx
 * responses, bodies by Content-Length or chunked framing, no body for HEAD,
 * 204 and 304. It never decides anything about the requests themselves.
 *
 * Fail closed: whatever it cannot follow exactly (a head it cannot parse, a
 * body delimited by the end of the connection, a response nobody asked for,
 * more than OWFP_HTTP_PENDING_MAX requests waiting for their answers) puts
 * it in LOST for good: it then never reports a switch, so the connection is
 * judged as HTTP to its end.
 */
#ifndef OWFP_CALLOUTS_HTTP_EXCHANGE_H
#define OWFP_CALLOUTS_HTTP_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "callouts/http_head.h"

#define OWFP_HTTP_PENDING_MAX 64
/* A response head longer than this is not followed (LOST). */
#define OWFP_HTTP_RESPONSE_HEAD_MAX 65536

typedef enum owfp_http_req_kind {
	OWFP_HTTP_REQ_OTHER,
	OWFP_HTTP_REQ_HEAD,    /* its response has no body */
	OWFP_HTTP_REQ_UPGRADE, /* a 101 to it switches */
	OWFP_HTTP_REQ_CONNECT, /* a 2xx to it switches */
} owfp_http_req_kind;

typedef enum owfp_http_resp_state {
	OWFP_HTTP_RESP_HEAD,     /* the next bytes are a response head */
	OWFP_HTTP_RESP_BODY,     /* `remaining` bytes of a counted body */
	OWFP_HTTP_RESP_CHUNKED,  /* a chunked body */
	OWFP_HTTP_RESP_LOST,     /* not followed any more: never switches */
	OWFP_HTTP_RESP_SWITCHED, /* the server left HTTP */
} owfp_http_resp_state;

typedef struct owfp_http_exchange {
	owfp_http_resp_state state;
	uint8_t first, n; /* requests waiting for their final response */
	uint8_t tunnels;  /* how many of them are UPGRADE or CONNECT */
	uint64_t remaining;
	owfp_http_chunked ch;
	const char *lost; /* why LOST (static text; the caller may clear it once said) */
	uint8_t kind[OWFP_HTTP_PENDING_MAX];
} owfp_http_exchange;

typedef enum owfp_http_step {
	OWFP_HTTP_STEP_PASS,     /* *used bytes are done with; call again for the rest */
	OWFP_HTTP_STEP_MORE,     /* an incomplete response head: show it again with more */
	OWFP_HTTP_STEP_SWITCHED, /* the server switched protocols: no longer HTTP */
} owfp_http_step;

void owfp_http_exchange_init(owfp_http_exchange *x);

/* A request of this kind was passed on to the server. */
void owfp_http_exchange_request(owfp_http_exchange *x, owfp_http_req_kind kind);

/* Stops following the responses for good (`why` is static text). */
void owfp_http_exchange_lose(owfp_http_exchange *x, const char *why);

/* A switch is still possible: an Upgrade or CONNECT request awaits its answer. */
bool owfp_http_exchange_tunnel_pending(const owfp_http_exchange *x);

/* Bytes of a counted body need not be looked at (buf may then be NULL). */
bool owfp_http_exchange_wants_bytes(const owfp_http_exchange *x);

/*
 * Feeds response bytes from where the last call stopped. `final` says no
 * more bytes will join these (end of stream or buffer limit). A head must be
 * presented from its start each time (MORE). Never fails: what cannot be
 * followed turns the state to LOST and passes everything.
 */
owfp_http_step owfp_http_exchange_response(owfp_http_exchange *x, const uint8_t *buf, size_t len,
					   bool final, size_t *used);

#endif
