/* The flow key both data paths hand to owfp_flow_create (flow_key.h). */
#include "host/flow_key.h"

#include <string.h>
#include <sys/socket.h>

#include "openwfp/fwptypes.h"

static const uint8_t v4_mapped_prefix[12] = {[10] = 0xff, [11] = 0xff};

static void put_addr(const owfp_host_endpoint *e, int family, uint8_t out[16])
{
	memset(out, 0, 16);
	if (e->family != AF_INET)
		memcpy(out, e->addr, 16);
	else if (family == AF_INET)
		memcpy(out, e->addr, 4);
	else {
		memcpy(out, v4_mapped_prefix, sizeof(v4_mapped_prefix));
		memcpy(out + 12, e->addr, 4);
	}
}

static bool addr_is_loopback(int family, const uint8_t *a)
{
	static const uint8_t v6_loop[16] = {[15] = 1};

	if (family == AF_INET)
		return a[0] == 127;
	if (!memcmp(a, v4_mapped_prefix, sizeof(v4_mapped_prefix)))
		return a[12] == 127;
	return !memcmp(a, v6_loop, sizeof(v6_loop));
}

bool owfp_host_is_loopback(const owfp_flow_key *k)
{
	size_t n = k->family == AF_INET ? 4 : 16;

	if (addr_is_loopback(k->family, k->local_addr) && addr_is_loopback(k->family, k->remote_addr))
		return true;
	return !memcmp(k->local_addr, k->remote_addr, n);
}

void owfp_host_flow_key(const owfp_host_conn *c, owfp_flow_key *k)
{
	const owfp_host_endpoint *l = c->local_is_client ? &c->client : &c->server;
	const owfp_host_endpoint *r = c->local_is_client ? &c->server : &c->client;

	memset(k, 0, sizeof(*k));
	k->family = l->family == AF_INET && r->family == AF_INET ? AF_INET : AF_INET6;
	put_addr(l, k->family, k->local_addr);
	put_addr(r, k->family, k->remote_addr);
	k->local_port = l->port;
	k->remote_port = r->port;
	/* S7: the direction of the connection: the local host opened it. */
	k->outbound = c->local_is_client;
	k->midstream = c->midstream;
	if (owfp_host_is_loopback(k))
		k->condition_flags |= FWP_CONDITION_FLAG_IS_LOOPBACK;
}
