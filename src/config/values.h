/* Condition value text forms. Internal to src/config. */
#ifndef OWFP_CONFIG_VALUES_H
#define OWFP_CONFIG_VALUES_H

#include <stdbool.h>
#include <stdint.h>

typedef struct owfp_cfg_addr {
	int family;     /* AF_INET or AF_INET6 */
	uint32_t v4;    /* host order, for AF_INET */
	uint8_t v6[16]; /* wire order, for AF_INET6 (first 4 bytes for AF_INET) */
	bool has_prefix;
	uint8_t prefix;
} owfp_cfg_addr;

/* "10.0.0.1", "10.0.0.0/8", "2001:db8::1", "2001:db8::/32". */
int owfp_cfg_parse_addr(const char *s, owfp_cfg_addr *out);
uint32_t owfp_cfg_v4_mask(uint8_t prefix);

/* FWP_CONDITION_FLAG_IS_<NAME> from "name" or "is_name" (lower case). */
int owfp_cfg_flag_bit(const char *name, uint32_t *bit);
const char *owfp_cfg_flag_names_help(void);

#endif
