/*
 * Fuzzes the HTTP/1.x request- and response-head parsers of http_filter,
 * its path normalisation and its chunked body tracker. Invariants: the parser's answer does not depend on how the
 * input is cut (a prefix never parses as complete with a different length,
 * the picohttpparser contract); every string it returns lies inside the
 * input; a complete head's length is within the input; the chunked tracker
 * never consumes more than it was given.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "callouts/http_head.h"
#include "callouts/http_path.h"

static void inside(const owfp_http_str *s, const uint8_t *buf, size_t len)
{
	if (!s->p)
		return;
	const uint8_t *p = (const uint8_t *)s->p;
	if (p < buf || p + s->len > buf + len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Copy so ASan sees any read past the end. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	owfp_http_head h;
	long whole = owfp_http_head_parse(buf, size, &h);
	if (whole > (long)size ||
	    (whole < 0 && whole != OWFP_HTTP_INCOMPLETE && whole != OWFP_HTTP_ERROR))
		abort();
	if (whole > 0) {
		inside(&h.method, buf, size);
		inside(&h.target, buf, size);
		inside(&h.path, buf, size);
		inside(&h.host, buf, size);
	}
	/* Every prefix: a complete answer must be the same head. */
	for (size_t cut = 0; cut < size; cut += 1 + cut / 8) {
		owfp_http_head p;
		long r = owfp_http_head_parse(buf, cut, &p);
		if (r > 0 && whole > 0 && r != whole)
			abort();
		if (r > 0 && whole == OWFP_HTTP_INCOMPLETE)
			abort();
		if (r > (long)cut)
			abort();
	}
	char norm[256];
	if (whole > 0 && h.path.p) {
		long n = owfp_http_path_normalize(h.path.p, h.path.len, 0, norm, sizeof(norm), NULL);
		if (n >= (long)sizeof(norm))
			abort();
	}
	for (unsigned flags = 0; flags <= OWFP_HTTP_PATH_STRIP_PARAMS; flags++) {
		const char *why = NULL;
		long n = owfp_http_path_normalize((const char *)buf, size, flags, norm,
						  sizeof(norm), &why);
		if (n >= (long)sizeof(norm) || (n < 0 && !why) || (n >= 0 && norm[n] != '\0'))
			abort();
	}
	owfp_http_response r;
	long rwhole = owfp_http_response_parse(buf, size, &r);
	if (rwhole > (long)size ||
	    (rwhole < 0 && rwhole != OWFP_HTTP_INCOMPLETE && rwhole != OWFP_HTTP_ERROR))
		abort();
	for (size_t cut = 0; cut < size; cut += 1 + cut / 8) {
		owfp_http_response rp;
		long rr = owfp_http_response_parse(buf, cut, &rp);
		if ((rr > 0 && rwhole > 0 && rr != rwhole) ||
		    (rr > 0 && rwhole == OWFP_HTTP_INCOMPLETE))
			abort();
	}
	owfp_http_chunked c;
	owfp_http_chunked_init(&c);
	bool done = false;
	long used = owfp_http_chunked_feed(&c, buf, size, &done);
	if (used > (long)size)
		abort();
	free(buf);
	return 0;
}
