/* --local: which capture endpoint plays the local host (spec Q28). */
#include "replay/local.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void owfp_replay_opts_init(owfp_replay_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->local = OWFP_REPLAY_LOCAL_CLIENT;
	o->drain_timeout_ms = 5000;
	o->overlap = OWFP_CAPTURE_OVERLAP_FIRST;
	o->diag = stderr;
}

int owfp_replay_parse_local(const char *text, owfp_replay_opts *o)
{
	char buf[64];
	if (!strcmp(text, "client")) {
		o->local = OWFP_REPLAY_LOCAL_CLIENT;
		return 0;
	}
	if (!strcmp(text, "server")) {
		o->local = OWFP_REPLAY_LOCAL_SERVER;
		return 0;
	}
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, text, n);
	buf[n] = 0;
	memset(o->local_addr, 0, sizeof(o->local_addr));
	if (inet_pton(AF_INET, buf, o->local_addr) == 1)
		o->local_family = AF_INET;
	else if (inet_pton(AF_INET6, buf, o->local_addr) == 1)
		o->local_family = AF_INET6;
	else
		return -1;
	unsigned max = o->local_family == AF_INET ? 32 : 128;
	o->local_prefix = max;
	if (slash) {
		char *end;
		unsigned long p = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || slash[1] == '-' || slash[1] == '+' || p > max)
			return -1;
		o->local_prefix = (unsigned)p;
	}
	o->local = OWFP_REPLAY_LOCAL_PREFIX;
	return 0;
}

static bool in_prefix(const owfp_replay_opts *o, int family, const uint8_t *addr)
{
	if (family != o->local_family)
		return false;
	unsigned bits = o->local_prefix, i = 0;
	for (; bits >= 8; bits -= 8, i++)
		if (addr[i] != o->local_addr[i])
			return false;
	if (bits) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits));
		if ((addr[i] & mask) != (o->local_addr[i] & mask))
			return false;
	}
	return true;
}

/* With an address, the client is local when it is inside the prefix (also
 * when both are, e.g. loopback), the server when only it is, and the client
 * when neither is (the documented default). */
bool owfp_replay_local_is_client(const owfp_replay_opts *o, const owfp_capture_flow *f)
{
	switch (o->local) {
	case OWFP_REPLAY_LOCAL_SERVER:
		return false;
	case OWFP_REPLAY_LOCAL_PREFIX:
		if (in_prefix(o, f->family, f->client.addr))
			return true;
		return !in_prefix(o, f->family, f->server.addr);
	default:
		return true;
	}
}
