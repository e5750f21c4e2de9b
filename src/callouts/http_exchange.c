/* Pairs responses with requests to find a real protocol switch (see
 * http_exchange.h). */
#include "callouts/http_exchange.h"

#include <string.h>

void owfp_http_exchange_init(owfp_http_exchange *x)
{
	memset(x, 0, sizeof(*x));
	x->state = OWFP_HTTP_RESP_HEAD;
}

static owfp_http_step lose(owfp_http_exchange *x, const char *why, size_t len, size_t *used)
{
	x->state = OWFP_HTTP_RESP_LOST;
	x->lost = why;
	*used = len;
	return OWFP_HTTP_STEP_PASS;
}

void owfp_http_exchange_lose(owfp_http_exchange *x, const char *why)
{
	size_t used;
	if (x->state != OWFP_HTTP_RESP_LOST)
		lose(x, why, 0, &used);
}

static bool is_tunnel(uint8_t kind)
{
	return kind == OWFP_HTTP_REQ_UPGRADE || kind == OWFP_HTTP_REQ_CONNECT;
}

void owfp_http_exchange_request(owfp_http_exchange *x, owfp_http_req_kind kind)
{
	if (x->state == OWFP_HTTP_RESP_LOST) {
		/* only counted, so that the caller can say why no switch will come */
		if (is_tunnel((uint8_t)kind) && x->tunnels < UINT8_MAX)
			x->tunnels++;
		return;
	}
	if (x->state == OWFP_HTTP_RESP_SWITCHED)
		return;
	if (x->n == OWFP_HTTP_PENDING_MAX)
		return owfp_http_exchange_lose(x, "too many requests waiting for their responses");
	x->kind[(x->first + x->n) % OWFP_HTTP_PENDING_MAX] = (uint8_t)kind;
	x->n++;
	if (is_tunnel((uint8_t)kind))
		x->tunnels++;
}

bool owfp_http_exchange_tunnel_pending(const owfp_http_exchange *x)
{
	return x->tunnels > 0 && x->state != OWFP_HTTP_RESP_LOST;
}

bool owfp_http_exchange_wants_bytes(const owfp_http_exchange *x)
{
	return x->state == OWFP_HTTP_RESP_HEAD || x->state == OWFP_HTTP_RESP_CHUNKED;
}

/* The final response to the oldest pending request has been read. */
static uint8_t pop(owfp_http_exchange *x)
{
	uint8_t kind = x->kind[x->first];
	x->first = (uint8_t)((x->first + 1) % OWFP_HTTP_PENDING_MAX);
	x->n--;
	if (is_tunnel(kind))
		x->tunnels--;
	return kind;
}

static owfp_http_step head(owfp_http_exchange *x, const uint8_t *buf, size_t len, bool final,
			   size_t *used)
{
	owfp_http_response r;
	long hl = owfp_http_response_parse(buf, len, &r);
	if (hl == OWFP_HTTP_INCOMPLETE) {
		if (len >= OWFP_HTTP_RESPONSE_HEAD_MAX)
			return lose(x, "response head over 64 KiB", len, used);
		if (final)
			return lose(x, "stream ended inside a response head", len, used);
		return OWFP_HTTP_STEP_MORE;
	}
	if (hl == OWFP_HTTP_ERROR)
		return lose(x, r.error, len, used);
	if (x->n == 0)
		return lose(x, "a response to no request", len, used);
	uint8_t kind = x->kind[x->first];
	if (r.status == 101) {
		if (kind != OWFP_HTTP_REQ_UPGRADE)
			return lose(x, "101 to a request without Upgrade", len, used);
		x->state = OWFP_HTTP_RESP_SWITCHED;
		return OWFP_HTTP_STEP_SWITCHED;
	}
	if (kind == OWFP_HTTP_REQ_CONNECT && r.status >= 200 && r.status < 300) {
		x->state = OWFP_HTTP_RESP_SWITCHED;
		return OWFP_HTTP_STEP_SWITCHED;
	}
	*used = (size_t)hl;
	if (r.status < 200)
		return OWFP_HTTP_STEP_PASS; /* interim (100, 103): the final one follows */
	pop(x);
	if (kind == OWFP_HTTP_REQ_HEAD || r.status == 204 || r.status == 304)
		return OWFP_HTTP_STEP_PASS;
	if (r.chunked) {
		x->state = OWFP_HTTP_RESP_CHUNKED;
		owfp_http_chunked_init(&x->ch);
		return OWFP_HTTP_STEP_PASS;
	}
	if (r.transfer_encoding || r.content_length < 0) {
		owfp_http_exchange_lose(x, "a body that ends with the connection");
		return OWFP_HTTP_STEP_PASS;
	}
	if (r.content_length > 0) {
		x->state = OWFP_HTTP_RESP_BODY;
		x->remaining = (uint64_t)r.content_length;
	}
	return OWFP_HTTP_STEP_PASS;
}

owfp_http_step owfp_http_exchange_response(owfp_http_exchange *x, const uint8_t *buf, size_t len,
					   bool final, size_t *used)
{
	*used = 0;
	switch (x->state) {
	case OWFP_HTTP_RESP_HEAD:
		return head(x, buf, len, final, used);
	case OWFP_HTTP_RESP_BODY:
		*used = x->remaining < len ? (size_t)x->remaining : len;
		x->remaining -= *used;
		if (x->remaining == 0)
			x->state = OWFP_HTTP_RESP_HEAD;
		return OWFP_HTTP_STEP_PASS;
	case OWFP_HTTP_RESP_CHUNKED: {
		bool done;
		long n = owfp_http_chunked_feed(&x->ch, buf, len, &done);
		if (n < 0)
			return lose(x, "malformed chunked response body", len, used);
		*used = (size_t)n;
		if (done)
			x->state = OWFP_HTTP_RESP_HEAD;
		return OWFP_HTTP_STEP_PASS;
	}
	case OWFP_HTTP_RESP_SWITCHED:
		*used = len;
		return OWFP_HTTP_STEP_SWITCHED;
	case OWFP_HTTP_RESP_LOST:
		break;
	}
	*used = len;
	return OWFP_HTTP_STEP_PASS;
}
