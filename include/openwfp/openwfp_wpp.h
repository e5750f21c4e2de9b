/*
 * WPP software tracing for drivers built with openwfp-cc.
 *
 * The X.tmh headers openwfp-cc generates (tracewpp's part) include this
 * file; driver code uses what WPP gives it on Windows: WPP_INIT_TRACING,
 * WPP_CLEANUP, the trace functions of its configuration (DoTraceMessage,
 * DoTraceLevelMessage, ...), WPP_CONTROL(...).Level, WPP_FLAG_ENABLED,
 * WPP_LEVEL_ENABLED, WPP_LEVEL_LOGGER and the TRACE_LEVEL_* values.
 *
 * There is no ETW session on Linux: a trace message becomes one openwfp log
 * line, shown when openwfp runs with -v (replay, proxy):
 *   wpp CtlGuid INFORMATION CO_GENERAL StreamEdit.c:241: <message>
 * naming the control (WPP_DEFINE_CONTROL_GUID), the level, the flag
 * (WPP_DEFINE_BIT) and where the call is. Without -v every flag and level
 * is off, so a trace call costs one test. docs/porting.md, "## WPP tracing".
 *
 * The owfp_wpp_* functions below are called by generated code only.
 */
#ifndef OPENWFP_OPENWFP_WPP_H
#define OPENWFP_OPENWFP_WPP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#ifdef __cplusplus
extern "C" {
#endif

/* evntrace.h's levels */
#ifndef TRACE_LEVEL_NONE
#define TRACE_LEVEL_NONE 0
#define TRACE_LEVEL_CRITICAL 1
#define TRACE_LEVEL_FATAL 1
#define TRACE_LEVEL_ERROR 2
#define TRACE_LEVEL_WARNING 3
#define TRACE_LEVEL_INFORMATION 4
#define TRACE_LEVEL_VERBOSE 5
#define TRACE_LEVEL_RESERVED6 6
#define TRACE_LEVEL_RESERVED7 7
#define TRACE_LEVEL_RESERVED8 8
#define TRACE_LEVEL_RESERVED9 9
#endif

/* What WPP_CONTROL(bit) gives: one block for every control GUID of every
 * driver, since openwfp has one switch (-v) for all of them. */
typedef struct owfp_wpp_control_block {
	uint32_t Flags[8];
	uint8_t Level;
	void *Logger;
} owfp_wpp_control_block;
extern owfp_wpp_control_block owfp_wpp_control;

/* One (size, address) piece of a complex type's argument (WPP_LOGPAIR). */
typedef struct owfp_wpp_pair {
	const void *p;
	size_t n;
} owfp_wpp_pair;

/* One enumerator of an ItemEnum type. */
typedef struct owfp_wpp_enum_item {
	int64_t value;
	const char *name;
} owfp_wpp_enum_item;

#define OWFP_WPP_XLEN 512

#define WPP_CONTROL(CTL) (owfp_wpp_control)
#define WPP_FLAG_NO(CTL) ((unsigned)(CTL) / 32u % 8u)
#define WPP_MASK(CTL) (1u << ((unsigned)(CTL) % 32u))
#define WPP_FLAG_ENABLED(FLAG)                                             \
	((WPP_CONTROL(WPP_BIT_##FLAG).Flags[WPP_FLAG_NO(WPP_BIT_##FLAG)] & \
	  WPP_MASK(WPP_BIT_##FLAG)) != 0)
#define WPP_LEVEL_ENABLED(FLAG) WPP_FLAG_ENABLED(FLAG)
/* Ends in a comma, as on Windows: generated calls put it before the next argument. */
#define WPP_LEVEL_LOGGER(FLAG) (WPP_CONTROL(WPP_BIT_##FLAG).Logger),
#define WPP_FLAG_LOGGER(FLAG) WPP_LEVEL_LOGGER(FLAG)

#define WPP_LOGPAIR(Size, Addr) {(const void *)(Addr), (size_t)(Size)},
#define WPP_LOGTYPEVAL(Type, Value) WPP_LOGPAIR(sizeof(Type), &(Value))
#define WPP_LOGTYPEPTR(Value) WPP_LOGPAIR(sizeof(*(Value)), (Value))
#define WPP_LOGASTR(Value) WPP_LOGPAIR(strlen(Value) + 1, (Value))
#define WPP_LOGWSTR(Value) WPP_LOGPAIR((wcslen(Value) + 1) * sizeof(wchar_t), (Value))

/* Nothing to register without ETW; the arguments are still evaluated. */
#define WPP_INIT_TRACING(...) owfp_wpp_touch(0, __VA_ARGS__)
#define WPP_CLEANUP(...) owfp_wpp_touch(0, __VA_ARGS__)

void owfp_wpp_touch(int unused, ...);

/* One trace message: names is the source's table of control and flag
 * names (WPP_NAMES_), bit an index into it or -1, level a TRACE_LEVEL_*
 * or -1; fmt is DbgPrint's format. */
void owfp_wpp_emit(const char *const *names, const char *file, int line, int level, int bit,
		   const char *fmt, ...);

/* Text for %!NAME! arguments, written into b (n bytes); each returns b. */
const char *owfp_wpp_fmt_status(char *b, size_t n, int32_t status);
const char *owfp_wpp_fmt_ipaddr(char *b, size_t n, uint32_t addr);
const char *owfp_wpp_fmt_ipv6(char *b, size_t n, const void *addr16);
const char *owfp_wpp_fmt_guid(char *b, size_t n, const void *guid);
const char *owfp_wpp_fmt_list(char *b, size_t n, int64_t v, const char *const *items, size_t count);
const char *owfp_wpp_fmt_set(char *b, size_t n, uint64_t v, const char *const *items, size_t count);
const char *owfp_wpp_fmt_enum(char *b, size_t n, int64_t v, const owfp_wpp_enum_item *items,
			      size_t count);
const char *owfp_wpp_fmt_cplx(char *b, size_t n, const char *item, const owfp_wpp_pair *pairs,
			      size_t count);
const char *owfp_wpp_level_name(int level);
const char *owfp_wpp_flag_name(const char *const *names, int bit);
const char *owfp_wpp_control_name(const char *const *names, int bit);

/* Native side. Turns every flag and level on (openwfp -v) or off (default). */
void owfp_wpp_set_enabled(bool on);
/* Where lines go: fn(user, line) for each message; NULL restores the
 * default, the bound engine's log at OWFP_LOG_INFO. */
void owfp_wpp_set_sink(void (*fn)(void *user, const char *line), void *user);

#ifdef __cplusplus
}
#endif

#endif /* OPENWFP_OPENWFP_WPP_H */
