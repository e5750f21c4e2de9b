/* Names for logs and stats: GUIDs and WFP display strings as UTF-8. */
#include <stdio.h>

#include "engine/engine_internal.h"

void owfp_guid_format(const GUID *g, char *buf, size_t len)
{
	snprintf(buf, len, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", g->Data1, g->Data2,
		 g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4],
		 g->Data4[5], g->Data4[6], g->Data4[7]);
}

/* Truncates at a character boundary; invalid code points become '?'. */
void owfp_wstr_to_utf8(const wchar_t *w, char *buf, size_t len)
{
	size_t n = 0;

	if (len == 0)
		return;
	for (; w && *w; w++) {
		unsigned long c = (unsigned long)*w;
		char tmp[4];
		size_t k;

		if (c < 0x80) {
			tmp[0] = (char)c, k = 1;
		} else if (c < 0x800) {
			tmp[0] = (char)(0xc0 | c >> 6), tmp[1] = (char)(0x80 | (c & 0x3f)), k = 2;
		} else if (c < 0x10000 && (c < 0xd800 || c > 0xdfff)) {
			tmp[0] = (char)(0xe0 | c >> 12), tmp[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			tmp[2] = (char)(0x80 | (c & 0x3f)), k = 3;
		} else if (c >= 0x10000 && c < 0x110000) {
			tmp[0] = (char)(0xf0 | c >> 18), tmp[1] = (char)(0x80 | ((c >> 12) & 0x3f));
			tmp[2] = (char)(0x80 | ((c >> 6) & 0x3f)), tmp[3] = (char)(0x80 | (c & 0x3f));
			k = 4;
		} else {
			tmp[0] = '?', k = 1;
		}
		if (n + k >= len)
			break;
		for (size_t i = 0; i < k; i++)
			buf[n++] = tmp[i];
	}
	buf[n] = '\0';
}
