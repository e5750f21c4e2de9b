/* Condition values: addresses, prefixes, ports, directions and flag names. */
#include "config/values.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const struct {
	const char *name;
	uint32_t bit;
} flag_names[] = {
	{"loopback", 0x1},
	{"ipsec_secured", 0x2},
	{"reauthorize", 0x4},
	{"wildcard_bind", 0x8},
	{"raw_endpoint", 0x10},
	{"fragment", 0x20},
	{"fragment_group", 0x40},
	{"ipsec_natt_reclassify", 0x80},
	{"requires_ale_classify", 0x100},
	{"implicit_bind", 0x200},
	{"reassembled", 0x400},
	{"name_app_specified", 0x4000},
	{"promiscuous", 0x8000},
	{"auth_fw", 0x10000},
	{"reclassify", 0x20000},
	{"outbound_pass_thru", 0x40000},
	{"inbound_pass_thru", 0x80000},
	{"connection_redirected", 0x100000},
	{"proxy_connection", 0x200000},
	{"appcontainer_loopback", 0x400000},
	{"non_appcontainer_loopback", 0x800000},
	{"honoring_policy_authorize", 0x2000000},
};

int owfp_cfg_flag_bit(const char *name, uint32_t *bit)
{
	if (strncmp(name, "is_", 3) == 0)
		name += 3;
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (strcmp(flag_names[i].name, name) == 0) {
			*bit = flag_names[i].bit;
			return 0;
		}
	return -1;
}

const char *owfp_cfg_flag_names_help(void)
{
	return "loopback, ipsec_secured, reauthorize, wildcard_bind, raw_endpoint, fragment, "
	       "fragment_group, reassembled, promiscuous, connection_redirected, "
	       "proxy_connection, ... (FWP_CONDITION_FLAG_IS_* in lower case)";
}

int owfp_cfg_parse_addr(const char *s, owfp_cfg_addr *out)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= sizeof(buf) - 1)
		return -1;
	memcpy(buf, s, alen);
	buf[alen] = 0;
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->v6) == 1) {
		out->family = AF_INET;
		out->v4 = (uint32_t)out->v6[0] << 24 | (uint32_t)out->v6[1] << 16 |
			  (uint32_t)out->v6[2] << 8 | out->v6[3];
	} else if (inet_pton(AF_INET6, buf, out->v6) == 1) {
		out->family = AF_INET6;
	} else {
		return -1;
	}
	if (!slash)
		return 0;
	const char *p = slash + 1;
	char *end;
	unsigned long len = strtoul(p, &end, 10);
	unsigned max = out->family == AF_INET ? 32 : 128;
	if (!*p || *end || *p == '-' || *p == '+' || len > max)
		return -1;
	out->has_prefix = true;
	out->prefix = (uint8_t)len;
	return 0;
}

uint32_t owfp_cfg_v4_mask(uint8_t prefix)
{
	return prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
}
