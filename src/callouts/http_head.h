/*
 * HTTP/1.x request and response heads and chunked bodies: pure, allocation-free,
 * bounds-checked parsers (fuzzed on their own; see tests/fuzz).
 *
 * The contract follows picohttpparser: the return value says "complete
 * (this many bytes)", "incomplete" or "error"; parsing is stateless for heads
 * (feed the whole buffer again when more arrives) and incremental for chunked
 * bodies. Everything ambiguous is an error, because the callers use these to
 * make security decisions and two parsers disagreeing about where a request
 * ends is how filters get bypassed (request smuggling):
 *  - lines must end in CRLF (a bare CR or LF is an error);
 *  - obsolete line folding, whitespace before ':', control bytes, a missing
 *    Host in HTTP/1.1, two Host or two Content-Length headers, Content-Length
 *    together with Transfer-Encoding, or a Transfer-Encoding whose last coding
 *    is not "chunked" are errors.
 */
#ifndef OWFP_CALLOUTS_HTTP_HEAD_H
#define OWFP_CALLOUTS_HTTP_HEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* picohttpparser's values, so the two cannot be confused by a reader who
 * knows one: -1 error, -2 incomplete, > 0 bytes consumed. */
#define OWFP_HTTP_ERROR (-1)
#define OWFP_HTTP_INCOMPLETE (-2)

/* The value of one hex digit, or -1. */
static inline int owfp_http_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

typedef struct owfp_http_str {
	const char *p;
	size_t len;
} owfp_http_str;

typedef struct owfp_http_head {
	owfp_http_str method;
	owfp_http_str target; /* the request-target as sent */
	owfp_http_str path; /* path part without query or fragment ("*" for asterisk-form, empty for CONNECT) */
	owfp_http_str host;     /* from the absolute-form target, else Host; no port, no brackets */
	int minor_version;      /* HTTP/1.<minor> */
	int64_t content_length; /* -1 when absent */
	bool chunked;           /* body framed by Transfer-Encoding: chunked */
	bool upgrade;           /* an Upgrade header is present */
	bool connection_close;
	const char *error; /* why, when OWFP_HTTP_ERROR was returned (static text) */
	bool not_http;     /* with ERROR: the request line is not HTTP/1.x at all */
} owfp_http_head;

/*
 * Parses a request head at the start of buf. Returns its length (> 0,
 * including the blank line), OWFP_HTTP_INCOMPLETE, or OWFP_HTTP_ERROR
 * (out->error says why). Input that cannot be the start of an HTTP/1.x
 * request is reported as an error as early as possible (before the head is
 * complete), so non-HTTP traffic is not held until a size cap.
 * Pointers in *out point into buf.
 */
long owfp_http_head_parse(const uint8_t *buf, size_t len, owfp_http_head *out);

/* A response head: what is needed to find where the response ends. */
typedef struct owfp_http_response {
	int status; /* 3 digits */
	int minor_version;
	int64_t content_length; /* -1 when absent */
	bool transfer_encoding; /* present; the body then ends with the connection unless chunked */
	bool chunked;           /* the last coding is chunked */
	bool connection_close;
	const char *error;
} owfp_http_response;

/*
 * Parses a response head at the start of buf, with the same contract and the
 * same strictness as owfp_http_head_parse (Content-Length with
 * Transfer-Encoding is an error here too). Input that cannot be an HTTP/1.x
 * status line is an error as soon as that is known.
 */
long owfp_http_response_parse(const uint8_t *buf, size_t len, owfp_http_response *out);

/* Incremental parser of a chunked body, request or response (RFC 9112 section 7.1). */
typedef struct owfp_http_chunked {
	int state;
	uint64_t remaining; /* bytes left in the current chunk */
	size_t line;        /* bytes seen in the current size or trailer line */
	int digits;
} owfp_http_chunked;

void owfp_http_chunked_init(owfp_http_chunked *c);
/*
 * Consumes bytes of the body. Returns how many bytes belong to the body
 * (<= len; less than len only when the body ended inside buf, *done is then
 * true), or OWFP_HTTP_ERROR.
 */
long owfp_http_chunked_feed(owfp_http_chunked *c, const uint8_t *buf, size_t len, bool *done);

#endif
