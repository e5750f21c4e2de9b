/* GUID text form and name-derived keys for the configuration file. */
#include "config/model.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Accepts "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", optionally in braces. */
int owfp_cfg_guid_parse(const char *s, owfp_cfg_guid *out)
{
	static const int groups[] = {8, 4, 4, 4, 12};
	uint8_t b[16];
	size_t n = strlen(s), bi = 0;

	if (n == 38 && s[0] == '{' && s[37] == '}') {
		s++;
		n = 36;
	}
	if (n != 36)
		return -1;
	for (int g = 0; g < 5; g++) {
		if (g > 0 && *s++ != '-')
			return -1;
		for (int i = 0; i < groups[g]; i += 2) {
			int hi = hexval((unsigned char)s[0]), lo = hexval((unsigned char)s[1]);
			if (hi < 0 || lo < 0)
				return -1;
			b[bi++] = (uint8_t)(hi << 4 | lo);
			s += 2;
		}
	}
	out->d1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	out->d2 = (uint16_t)(b[4] << 8 | b[5]);
	out->d3 = (uint16_t)(b[6] << 8 | b[7]);
	memcpy(out->d4, b + 8, 8);
	return 0;
}

void owfp_cfg_guid_format(const owfp_cfg_guid *g, char out[37])
{
	snprintf(out, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", g->d1, g->d2, g->d3,
		 g->d4[0], g->d4[1], g->d4[2], g->d4[3], g->d4[4], g->d4[5], g->d4[6], g->d4[7]);
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

/*
 * Two FNV-1a passes with different offsets give 128 bits; the version and
 * variant bits make it a valid RFC 9562 version-8 (custom) UUID. Not
 * cryptographic: keys only need to be stable and distinct per name.
 */
void owfp_cfg_guid_derive(const char *kind, const char *name, owfp_cfg_guid *out)
{
	uint64_t a = fnv1a(fnv1a(0xcbf29ce484222325ull, "openwfp:"), kind);
	uint64_t b = fnv1a(fnv1a(0x84222325cbf29ce4ull, "openwfp:"), kind);
	a = fnv1a(fnv1a(a, ":"), name);
	b = fnv1a(fnv1a(b, ":"), name);
	uint8_t u[16];
	for (int i = 0; i < 8; i++) {
		u[i] = (uint8_t)(a >> (56 - 8 * i));
		u[8 + i] = (uint8_t)(b >> (56 - 8 * i));
	}
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x80);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
	out->d1 = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3];
	out->d2 = (uint16_t)(u[4] << 8 | u[5]);
	out->d3 = (uint16_t)(u[6] << 8 | u[7]);
	memcpy(out->d4, u + 8, 8);
}
