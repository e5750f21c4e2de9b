/*
 * What the sockmap offload's BPF program (bpf/owfp_sockmap.bpf.c) and the
 * proxy (src/proxy/sockmap.c) share: the value of the peer map, keyed by the
 * SO_COOKIE of the socket the bytes come from. Plain fixed-size types only:
 * this header is compiled for both the host and -target bpf.
 */
#ifndef OWFP_PROXY_SOCKMAP_ABI_H
#define OWFP_PROXY_SOCKMAP_ABI_H

#include <linux/types.h>

struct owfp_sm_peer {
	__u64 peer_cookie; /* key of the destination socket in the sockhash */
	__u64 bytes;       /* bytes redirected from this socket to the peer */
};

/* Index of the global counter array. */
enum { OWFP_SM_NO_PEER = 0, OWFP_SM_NCOUNTERS };

#endif /* OWFP_PROXY_SOCKMAP_ABI_H */
