/*
 * The WPP runtime (include/openwfp/openwfp_wpp.h): a trace message from a
 * driver built by openwfp-cc becomes one log line through DbgPrint's
 * formatter (dbgformat.c), with the control, level and flag names in front.
 *
 * The control block is process-wide, like WPP's own per-driver blocks: it
 * is written once when openwfp starts (-v) and only read afterwards.
 */
#include "openwfp/openwfp_wpp.h"

#include <stdio.h>
#include <string.h>

#include "openwfp/openwfp.h"
#include "openwfp/wdm.h"
#include "wdm/dbgformat.h"

owfp_wpp_control_block owfp_wpp_control;

static void (*sink_fn)(void *user, const char *line);
static void *sink_user;

void owfp_wpp_set_enabled(bool on)
{
	memset(owfp_wpp_control.Flags, on ? 0xff : 0, sizeof(owfp_wpp_control.Flags));
	owfp_wpp_control.Level = on ? 0xff : 0;
}

void owfp_wpp_set_sink(void (*fn)(void *user, const char *line), void *user)
{
	sink_fn = fn;
	sink_user = user;
}

void owfp_wpp_touch(int unused, ...)
{
	(void)unused;
}

const char *owfp_wpp_level_name(int level)
{
	static const char *const names[] = {"NONE",    "CRITICAL",    "ERROR",
					    "WARNING", "INFORMATION", "VERBOSE"};

	return level >= 0 && level <= 5 ? names[level] : NULL;
}

/* names: "\001Control", "FLAG", "FLAG", "\001Control", ... NULL */
const char *owfp_wpp_flag_name(const char *const *names, int bit)
{
	if (!names || bit < 0)
		return "";
	for (int i = 0; i <= bit; i++)
		if (!names[i])
			return "";
	return names[bit][0] == '\001' ? "" : names[bit];
}

const char *owfp_wpp_control_name(const char *const *names, int bit)
{
	if (!names)
		return "";
	if (bit < 0)
		return names[0] && names[0][0] == '\001' ? names[0] + 1 : "";
	for (int i = 0; i <= bit; i++)
		if (!names[i])
			return "";
	for (int i = bit; i >= 0; i--)
		if (names[i][0] == '\001')
			return names[i] + 1;
	return "";
}

static void output(const char *line)
{
	if (sink_fn)
		sink_fn(sink_user, line); /* the host's engine log */
	else
		fprintf(stderr, "%s\n", line);
}

void owfp_wpp_emit(const char *const *names, const char *file, int line, int level, int bit,
		   const char *fmt, ...)
{
	char text[1024];
	const char *lname = owfp_wpp_level_name(level), *flag = owfp_wpp_flag_name(names, bit);
	size_t n;
	va_list ap;

	n = (size_t)snprintf(text, sizeof(text), "wpp %s", owfp_wpp_control_name(names, bit));
	if (lname && n < sizeof(text))
		n += (size_t)snprintf(text + n, sizeof(text) - n, " %s", lname);
	else if (level >= 0 && n < sizeof(text))
		n += (size_t)snprintf(text + n, sizeof(text) - n, " LEVEL%d", level);
	if (flag[0] && n < sizeof(text))
		n += (size_t)snprintf(text + n, sizeof(text) - n, " %s", flag);
	if (n < sizeof(text))
		n += (size_t)snprintf(text + n, sizeof(text) - n, " %s:%d: ", file, line);
	if (n >= sizeof(text))
		n = sizeof(text) - 1;
	va_start(ap, fmt);
	n += owfp_dbg_vformat(text + n, sizeof(text) - n, fmt, ap);
	va_end(ap);
	/* one message, one line: trailing line ends go, inner ones become blanks */
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
		text[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (text[i] == '\n' || text[i] == '\r')
			text[i] = ' ';
	output(text);
}

#define S(x)          \
	{             \
		x, #x \
	}
static const struct {
	NTSTATUS v;
	const char *name;
} statuses[] = {
	S(STATUS_SUCCESS),
	S(STATUS_PENDING),
	S(STATUS_UNSUCCESSFUL),
	S(STATUS_NOT_IMPLEMENTED),
	S(STATUS_INVALID_PARAMETER),
	S(STATUS_NO_MEMORY),
	S(STATUS_INSUFFICIENT_RESOURCES),
	S(STATUS_NOT_FOUND),
	S(STATUS_ACCESS_DENIED),
	S(STATUS_BUFFER_TOO_SMALL),
	S(STATUS_BUFFER_OVERFLOW),
	S(STATUS_INVALID_DEVICE_REQUEST),
	S(STATUS_INVALID_DEVICE_STATE),
	S(STATUS_NOT_SUPPORTED),
	S(STATUS_CANCELLED),
	S(STATUS_TIMEOUT),
	S(STATUS_INVALID_HANDLE),
	S(STATUS_OBJECT_NAME_NOT_FOUND),
	S(STATUS_OBJECT_NAME_COLLISION),
	S(STATUS_OBJECT_NAME_EXISTS),
	S(STATUS_DEVICE_BUSY),
	S(STATUS_MORE_PROCESSING_REQUIRED),
	S(STATUS_DRIVER_INTERNAL_ERROR),
	S(STATUS_INVALID_BUFFER_SIZE),
	S(STATUS_FWP_CALLOUT_NOT_FOUND),
	S(STATUS_FWP_FILTER_NOT_FOUND),
	S(STATUS_FWP_LAYER_NOT_FOUND),
	S(STATUS_FWP_SUBLAYER_NOT_FOUND),
	S(STATUS_FWP_NOT_FOUND),
	S(STATUS_FWP_ALREADY_EXISTS),
	S(STATUS_FWP_IN_USE),
	S(STATUS_FWP_TCPIP_NOT_READY),
	S(STATUS_FWP_INJECT_HANDLE_CLOSING),
	S(STATUS_FWP_INJECT_HANDLE_STALE),
	S(STATUS_FWP_CANNOT_PEND),
	S(STATUS_FWP_INVALID_PARAMETER),
	S(STATUS_FWP_NULL_POINTER),
	S(STATUS_FWP_TOO_MANY_CALLOUTS),
	S(STATUS_FWP_INCOMPATIBLE_LAYER),
};
#undef S

const char *owfp_wpp_fmt_status(char *b, size_t n, int32_t status)
{
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].v == status) {
			snprintf(b, n, "%s", statuses[i].name);
			return b;
		}
	snprintf(b, n, "0x%08X", (unsigned)status);
	return b;
}

/* The ULONG as it lies in memory, network byte order, as WPP shows it. */
const char *owfp_wpp_fmt_ipaddr(char *b, size_t n, uint32_t addr)
{
	const unsigned char *p = (const unsigned char *)&addr;

	snprintf(b, n, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
	return b;
}

const char *owfp_wpp_fmt_ipv6(char *b, size_t n, const void *addr16)
{
	const unsigned char *p = addr16;
	size_t len = 0;

	if (!p) {
		snprintf(b, n, "(null)");
		return b;
	}
	b[0] = '\0';
	for (int i = 0; i < 16 && len < n; i += 2)
		len += (size_t)snprintf(b + len, n - len, "%s%x", i ? ":" : "", p[i] << 8 | p[i + 1]);
	return b;
}

const char *owfp_wpp_fmt_guid(char *b, size_t n, const void *guid)
{
	const GUID *g = guid;

	if (!g)
		snprintf(b, n, "(null)");
	else
		snprintf(b, n, "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", g->Data1,
			 g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3],
			 g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);
	return b;
}

const char *owfp_wpp_fmt_list(char *b, size_t n, int64_t v, const char *const *items, size_t count)
{
	if (v >= 0 && (uint64_t)v < count && items[v])
		snprintf(b, n, "%s", items[v]);
	else
		snprintf(b, n, "%lld", (long long)v);
	return b;
}

const char *owfp_wpp_fmt_set(char *b, size_t n, uint64_t v, const char *const *items, size_t count)
{
	size_t len = 0;

	b[0] = '\0';
	for (size_t i = 0; i < count && i < 64 && len < n; i++)
		if (items[i] && (v >> i & 1)) {
			len += (size_t)snprintf(b + len, n - len, "%s%s", len ? "|" : "", items[i]);
			v &= ~(1ull << i);
		}
	if (v && len < n)
		snprintf(b + len, n - len, "%s0x%llx", len ? "|" : "", (unsigned long long)v);
	else if (!len)
		snprintf(b, n, "0");
	return b;
}

const char *owfp_wpp_fmt_enum(char *b, size_t n, int64_t v, const owfp_wpp_enum_item *items,
			      size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (items[i].value == v) {
			snprintf(b, n, "%s", items[i].name);
			return b;
		}
	snprintf(b, n, "%lld", (long long)v);
	return b;
}

/* Hex bytes of the data piece: the last pair (a length prefix comes first,
 * as in WPP_LOGPAIR(2, &len) WPP_LOGPAIR(len, buf)). Long dumps are cut,
 * saying how many bytes there were. */
static const char *hexdump(char *b, size_t n, const owfp_wpp_pair *p)
{
	const unsigned char *d = p->p;
	size_t len = 0, shown = p->n;

	if (!d && p->n) {
		snprintf(b, n, "(null)");
		return b;
	}
	if (shown * 3 + 32 > n)
		shown = n > 32 ? (n - 32) / 3 : 0;
	b[0] = '\0';
	for (size_t i = 0; i < shown && len < n; i++)
		len += (size_t)snprintf(b + len, n - len, "%s%02x", i ? " " : "", d[i]);
	if (shown < p->n && len < n)
		snprintf(b + len, n - len, " ... (%zu bytes)", p->n);
	return b;
}

const char *owfp_wpp_fmt_cplx(char *b, size_t n, const char *item, const owfp_wpp_pair *pairs,
			      size_t count)
{
	if (!count) {
		snprintf(b, n, "(empty)");
		return b;
	}
	(void)item; /* ItemHEXDump and every other complex kind: shown as hex bytes */
	return hexdump(b, n, &pairs[count - 1]);
}
