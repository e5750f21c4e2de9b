/*
 * Fuzzes the TLS ClientHello parser of tls_sni_filter. Invariants: the
 * answer does not depend on how the input is cut (a prefix of a parsable
 * hello is INCOMPLETE or the same OK, never MALFORMED); SNI and ALPN
 * pointers lie in the input or the scratch buffer; consumed ≤ input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "callouts/tls_clienthello.h"

static void inside(const uint8_t *p, size_t n, const uint8_t *a, size_t alen, const uint8_t *b,
		   size_t blen)
{
	if (!p)
		return;
	if (p >= a && p + n <= a + alen)
		return;
	if (p >= b && p + n <= b + blen)
		return;
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	static uint8_t scratch[64 * 1024];
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	owfp_tls_hello h;
	enum owfp_tls_result whole = owfp_tls_clienthello_parse(buf, size, scratch, sizeof(scratch),
								&h);
	if (whole == OWFP_TLS_OK) {
		if (h.consumed > size || h.alpn_count > OWFP_TLS_ALPN_MAX)
			abort();
		inside(h.sni, h.sni_len, buf, size, scratch, sizeof(scratch));
		for (size_t i = 0; i < h.alpn_count; i++)
			inside(h.alpn[i], h.alpn_len[i], buf, size, scratch, sizeof(scratch));
		for (size_t cut = 0; cut < h.consumed; cut += 1 + cut / 8) {
			owfp_tls_hello p;
			enum owfp_tls_result r = owfp_tls_clienthello_parse(buf, cut, scratch,
									    sizeof(scratch), &p);
			if (r != OWFP_TLS_INCOMPLETE && r != OWFP_TLS_OK)
				abort();
		}
	}
	free(buf);
	return 0;
}
