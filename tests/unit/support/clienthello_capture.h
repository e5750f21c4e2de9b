/*
 * Test helper: records a real TLS ClientHello at test time by running
 * `openssl s_client` against a listener on 127.0.0.1 and reading what it
 * sends first. Nothing recorded elsewhere is shipped.
 */
#ifndef OWFP_TEST_CLIENTHELLO_CAPTURE_H
#define OWFP_TEST_CLIENTHELLO_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

/*
 * `sni` NULL sends no server_name (-noservername); `alpn` is a comma list
 * or NULL; `extra` is one more s_client option (e.g. "-tls1_2") or NULL.
 * Returns the number of bytes recorded (the complete first handshake
 * flight's records), or a negative errno.
 */
long owfp_test_record_clienthello(const char *sni, const char *alpn, const char *extra,
				  uint8_t *buf, size_t cap);

/*
 * Re-frames the handshake payload of `in` (TLS records) into records of at
 * most `rec_payload` bytes each. Returns the new length or -1.
 */
long owfp_test_reframe_records(const uint8_t *in, size_t len, size_t rec_payload, uint8_t *out,
			       size_t cap);

#endif
