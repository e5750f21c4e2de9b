/*
 * The flags of a driver build. cc_flags_cflags and cc_flags_libs are what
 * `openwfp-cc --print-cflags` / `--print-libs` print and must say the same
 * as openwfp.pc.in (tests/integration/test_openwfp_cc.sh compares them).
 */
#include <string.h>

#include "cc/driver.h"

/* What a WDK build of an x64 kernel driver for Windows 10 defines, and the
 * versions the samples' projects select. Not _WIN32 and not _MSC_VER: code
 * testing those expects the MSVC compiler and its intrinsics. */
static const char *const wdk_defines[] = {
	"-D_AMD64_",
	"-DAMD64",
	"-D_WIN64",
	"-D_KERNEL_MODE",
	"-DWINNT=1",
	"-D_WIN32_WINNT=0x0A00",
	"-DWINVER=0x0A00",
	"-DNTDDI_VERSION=0x0A00000C",
	"-DPOOL_NX_OPTIN=1",
	"-DNDIS_SUPPORT_NDIS6=1",
	"-DNDIS630=1",
	"-DKMDF_VERSION_MAJOR=1",
	"-DKMDF_VERSION_MINOR=15",
	"-DUNICODE",
	"-D_UNICODE",
	NULL,
};

void cc_flags_cflags(const cc_paths *p, cc_strv *out)
{
	cc_strv_addf(out, "-I%s/openwfp", p->include);
	cc_strv_addf(out, "-I%s", p->include);
	cc_strv_add(out, "-include");
	cc_strv_addf(out, "%s/openwfp/openwfp_msvc.h", p->include);
	for (int k = 0; wdk_defines[k]; k++)
		cc_strv_add(out, wdk_defines[k]);
	/* anonymous struct members of a typedef'd type, as MSVC allows */
	cc_strv_add(out, "-fms-extensions");
	/* MSVC does no type-based alias analysis; driver code relies on that */
	cc_strv_add(out, "-fno-strict-aliasing");
	cc_strv_add(out, "-fwrapv");
}

void cc_flags_libs(const cc_paths *p, cc_strv *out)
{
	cc_strv_addf(out, "-L%s", p->libdir);
	cc_strv_add(out, "-lopenwfp");
}

/* Warnings that say something about foreign code without drowning the
 * build in MSVC-isms; never -Werror (a user's own -Werror still counts). */
static const char *const warnings[] = {
	"-Wall",
	"-Wno-unknown-pragmas",
	"-Wno-unused-function",
	"-Wno-unused-variable",
	"-Wno-unused-but-set-variable",
	"-Wno-unused-label",
	"-Wno-unused-value",
	"-Wno-missing-braces",
	"-Wno-comment",
	"-Wno-switch",
	"-Wno-multichar",
	"-Wno-parentheses",
	"-Wno-attributes",
	NULL,
};

void cc_flags_compile_extra(const cc_opts *o, enum cc_lang lang, cc_strv *out)
{
	bool user_std = false;

	for (size_t k = 0; k < o->compile.n; k++)
		user_std = user_std || !strncmp(o->compile.v[k], "-std=", 5);
	if (!user_std)
		cc_strv_add(out, lang == CC_LANG_CXX ? "-std=gnu++17" : "-std=gnu11");
	cc_strv_add(out, "-fPIC");
	if (!o->user_opt_level) {
		cc_strv_add(out, "-O2");
		cc_strv_add(out, "-g");
	}
	for (int k = 0; warnings[k]; k++)
		cc_strv_add(out, warnings[k]);
	if (lang == CC_LANG_C) {
		cc_strv_add(out, "-Wno-pointer-sign");
		/* MSVC warns (C4028/C4047) where a callback's declared type differs
		 * from the typedef it is assigned to, e.g. a notifyFn taking a const
		 * FWPS_FILTER *: GCC 14 and clang 16 make that an error; keep it the
		 * warning it is on Windows, still shown. */
		cc_strv_add(out, "-Wno-error=incompatible-pointer-types");
	}
}
