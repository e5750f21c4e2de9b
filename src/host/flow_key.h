/*
 * The one flow-key builder. Every incoming value a callout sees at
 * ALE_FLOW_ESTABLISHED and STREAM (addresses, address type, ports,
 * direction, flags, compartment; src/engine/layers.c) is derived from the
 * owfp_flow_key this function fills, so a connection looks the same to a
 * callout whether replay read it from a capture or the proxy carried it
 * live. Data paths only translate their own address form into
 * owfp_host_endpoint; they never set a key field themselves.
 */
#ifndef OWFP_HOST_FLOW_KEY_H
#define OWFP_HOST_FLOW_KEY_H

#include <stdbool.h>
#include <stdint.h>

#include "openwfp/openwfp.h"

typedef struct owfp_host_endpoint {
	int family;       /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network order; AF_INET uses the first 4 bytes */
	uint16_t port;    /* host order */
} owfp_host_endpoint;

typedef struct owfp_host_conn {
	owfp_host_endpoint client; /* the end that opened the connection (SYN) */
	owfp_host_endpoint server;
	bool local_is_client; /* Q28: which end plays the local host */
	bool midstream;       /* picked up without its handshake (S81) */
} owfp_host_conn;

/*
 * Fills *k. The family is AF_INET when both ends are IPv4, else AF_INET6
 * with an IPv4 end written v4-mapped (::ffff:a.b.c.d). outbound (S7) is
 * local_is_client. condition_flags: FWP_CONDITION_FLAG_IS_LOOPBACK by
 * owfp_host_is_loopback; no other flag can be known from a TCP connection
 * (docs/semantics.md, "IS_LOOPBACK").
 */
void owfp_host_flow_key(const owfp_host_conn *c, owfp_flow_key *k);

/*
 * The IS_LOOPBACK rule, decided once: the traffic is loopback traffic when
 * both ends are on this host, which the addresses prove when both are
 * loopback addresses (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104) or when they
 * are one and the same address (a host connecting to its own address). For
 * `k` with local_addr and remote_addr already filled.
 */
bool owfp_host_is_loopback(const owfp_flow_key *k);

#endif /* OWFP_HOST_FLOW_KEY_H */
