// SPDX-License-Identifier: GPL-2.0
/*
 * Stream verdict of the proxy's sockmap offload (docs/proxy.md "Offload").
 * Every socket of an offloaded flow is in owfp_socks under its SO_COOKIE;
 * owfp_peers maps that cookie to the other socket's and counts the bytes.
 * A socket with no peer entry keeps its bytes (SK_PASS: they wait in its own
 * queue) and is noted in owfp_nopeer and the no-peer counter: the proxy
 * inserts the peer entries before it lets the kernel look at a socket's data
 * (src/proxy/sockmap.c), so this should never happen; the tests check the
 * counter stays 0. No CO-RE: only the __sk_buff
 * context and maps are used.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "proxy/sockmap_abi.h"

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 131072);
	__type(key, __u64);
	__type(value, __u64);
} owfp_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, struct owfp_sm_peer);
} owfp_peers SEC(".maps");

/* Sockets whose bytes met no peer entry (SK_PASS), by cookie: the proxy
 * looks its flow's two up once the switch-over is done and resets the flow
 * if either is here, since those bytes are no longer in order with the
 * redirected ones. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u64);
} owfp_nopeer SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OWFP_SM_NCOUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} owfp_counters SEC(".maps");

SEC("sk_skb/stream_verdict")
int owfp_verdict(struct __sk_buff *skb)
{
	/* The segment that carried a FIN reaches us even when empty; an empty
	 * redirect would make the kernel's send of it fail with EPIPE and break
	 * the peer socket. The proxy passes the FIN on itself. */
	if (skb->len == 0)
		return SK_DROP;

	__u64 cookie = bpf_get_socket_cookie(skb);
	struct owfp_sm_peer *p = bpf_map_lookup_elem(&owfp_peers, &cookie);

	if (!p) {
		__u32 k = OWFP_SM_NO_PEER;
		__u64 *n = bpf_map_lookup_elem(&owfp_counters, &k);
		__u64 one = 1;

		if (n)
			__sync_fetch_and_add(n, 1);
		bpf_map_update_elem(&owfp_nopeer, &cookie, &one, BPF_ANY);
		return SK_PASS;
	}
	__sync_fetch_and_add(&p->bytes, skb->len);
	return bpf_sk_redirect_hash(skb, &owfp_socks, &p->peer_cookie, 0);
}

char LICENSE[] SEC("license") = "GPL";
