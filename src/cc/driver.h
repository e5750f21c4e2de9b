/*
 * The openwfp-cc command: its options (args.c), where openwfp is
 * (paths.c), the flags a driver build gets (flags.c), running the
 * compiler (spawn.c) and the build itself (build.c).
 */
#ifndef OWFP_CC_DRIVER_H
#define OWFP_CC_DRIVER_H

#include <stdio.h>

#include "cc/cc.h"

enum cc_mode {
	CC_MODE_LINK,
	CC_MODE_COMPILE /* -c */,
	CC_MODE_ASM /* -S */,
	CC_MODE_PREPROCESS /* -E */
};
enum cc_lang { CC_LANG_C, CC_LANG_CXX, CC_LANG_OTHER /* objects, archives: for the linker */ };

typedef struct cc_input {
	char *path;
	enum cc_lang lang;
} cc_input;

typedef struct cc_opts {
	enum cc_mode mode;
	bool shared;
	bool verbose; /* -v: print each command */
	bool keep_temps;
	bool print_cflags, print_libs, help, version;
	const char *output; /* -o */
	cc_input *inputs;
	size_t ninputs;
	cc_strv compile;     /* user flags for the compiler (-D, -I, -O2, -W..., ...) */
	cc_strv link;        /* user flags for the linker (-L, -l, -Wl,...) */
	cc_strv quote_dirs;  /* -iquote, then -I directories: where a driver's own headers are */
	cc_strv angle_dirs;  /* -I directories */
	cc_strv wpp_funcs;   /* --wpp-func */
	cc_strv wpp_scans;   /* --wpp-scan */
	bool user_opt_level; /* the user gave -O... */
	const char *depfile; /* -MF, when given */
	bool depfile_wanted; /* -MD / -MMD */
} cc_opts;

/* 0, or -EINVAL with a message naming the argument. */
int cc_args_parse(int argc, char **argv, cc_opts *o, char *err, size_t errlen);
void cc_opts_free(cc_opts *o);
void cc_usage(FILE *f);

typedef struct cc_paths {
	char include[4096]; /* the directory holding openwfp/ (headers) */
	char libdir[4096];  /* where libopenwfp.so is */
} cc_paths;

/* Finds openwfp's headers and library from this executable's location: in
 * the build tree (build/openwfp-cc) or an installed prefix (bin/ -> include/, lib/). */
int cc_paths_find(cc_paths *p, char *err, size_t errlen);

/* The flags a driver build adds, exactly what openwfp.pc gives: include
 * directories, the MSVC dialect header, the WDK's defines and the flags
 * MSVC-written code needs. */
void cc_flags_cflags(const cc_paths *p, cc_strv *out);
void cc_flags_libs(const cc_paths *p, cc_strv *out);
/* What openwfp-cc adds on top when it compiles itself: language standard,
 * warnings for foreign code (never -Werror), -fPIC, optimisation. */
void cc_flags_compile_extra(const cc_opts *o, enum cc_lang lang, cc_strv *out);

/* Runs argv (argv[0] searched in PATH). Its stderr passes through and is
 * also kept in *errtext (may be NULL) for hints. Returns the exit status,
 * 128+signal, or -errno when it could not start. */
int cc_spawn(char *const *argv, bool verbose, char **errtext);
/* Signals that end openwfp-cc are held until its temporary files are gone
 * (spawn.c): install at start; the pending one (0: none) is re-raised last. */
void cc_signals_install(void);
int cc_signal_pending(void);

/* The whole build. Returns the exit status for main. */
int cc_build(const cc_opts *o, const cc_paths *p);

#endif /* OWFP_CC_DRIVER_H */
