/*
 * TLS ClientHello: a pure, allocation-free, bounds-checked parser (fuzzed on
 * its own; see tests/fuzz).
 *
 * Input is the start of the client's byte stream: one or more TLS records of
 * type handshake(22) whose payloads, concatenated, begin with the ClientHello
 * handshake message (RFC 8446 section 4.1.2). The message may be split across
 * records and the records across TCP segments; the caller feeds everything it
 * has so far and asks again when more arrives.
 */
#ifndef OWFP_CALLOUTS_TLS_CLIENTHELLO_H
#define OWFP_CALLOUTS_TLS_CLIENTHELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum owfp_tls_result {
	OWFP_TLS_OK = 0,
	OWFP_TLS_INCOMPLETE = -1, /* a prefix of a well-formed ClientHello so far */
	OWFP_TLS_NOT_TLS = -2,    /* the stream does not start with a TLS handshake record */
	OWFP_TLS_MALFORMED = -3,  /* starts like TLS, but the hello is invalid or too large */
};

#define OWFP_TLS_ALPN_MAX 16

typedef struct owfp_tls_hello {
	uint16_t record_version;
	uint16_t legacy_version;
	const uint8_t *sni; /* host_name from server_name, or NULL */
	size_t sni_len;
	size_t alpn_count; /* protocols offered in application_layer_protocol_negotiation */
	const uint8_t *alpn[OWFP_TLS_ALPN_MAX];
	size_t alpn_len[OWFP_TLS_ALPN_MAX];
	bool alpn_truncated; /* more than OWFP_TLS_ALPN_MAX were offered */
	bool has_ech;        /* encrypted_client_hello: sni is only the outer (public) name */
	size_t hello_len;    /* length of the ClientHello body */
	size_t consumed;     /* bytes of input up to the end of the record that completed it */
	const char *error;   /* why, for NOT_TLS and MALFORMED (static text) */
} owfp_tls_hello;

/*
 * Parses the ClientHello at the start of `buf`. The handshake message is
 * reassembled into `scratch` (a hello longer than scratch_len is MALFORMED);
 * on OWFP_TLS_OK, out->sni and out->alpn point into scratch.
 */
enum owfp_tls_result owfp_tls_clienthello_parse(const uint8_t *buf, size_t len, uint8_t *scratch,
						size_t scratch_len, owfp_tls_hello *out);

#endif
