/*
 * openwfp-cc's part of tracewpp: what a driver's WPP configuration says
 * (wppcfg.c), how a trace message's format string reads (wppfmt.c) and the
 * generated X.tmh header (tmh.c). The runtime the generated code calls is
 * include/openwfp/openwfp_wpp.h (src/wdm/wpp.c). docs/porting.md,
 * "## WPP tracing", describes what is supported.
 */
#ifndef OWFP_CC_WPP_H
#define OWFP_CC_WPP_H

#include "cc/cc.h"

/* FUNC Name{COND=VALUE, ...}(COND, ..., MSG, ...) */
typedef struct cc_wpp_func {
	char *name;
	cc_strv conds;  /* condition names, fixed ones first, then parameters */
	cc_strv fixed;  /* values of the fixed conditions (conds[0..fixed.n)) */
	size_t nparams; /* condition parameters before MSG */
	bool variadic;  /* "..." after MSG */
} cc_wpp_func;

enum cc_wpp_type_kind {
	CC_WPP_LIST,   /* ItemListLong/Short/Byte(a, b, ...): value i -> item i */
	CC_WPP_SET,    /* ItemSetLong/Short/Byte(a, b, ...): bit i -> item i */
	CC_WPP_ENUM,   /* ItemEnum(TYPE): names of a C enum */
	CC_WPP_NUMBER, /* ItemLong, ItemULong, ... */
	CC_WPP_CPLX,   /* DEFINE_CPLX_TYPE: (size, pointer) pairs from a macro */
};

typedef struct cc_wpp_type {
	char *name;
	enum cc_wpp_type_kind kind;
	cc_strv items; /* LIST/SET item names; ENUM: the enumerators once found */
	char *arg;     /* ENUM: the C enum type; CPLX: the argument's C type */
	char *macro;   /* CPLX: the macro turning the argument into WPP_LOGPAIRs */
	char *item;    /* CPLX: the Item kind (ItemHEXDump, ...); NUMBER: the Item */
	bool is_unsigned;
	bool resolved; /* ENUM: enumerators found */
} cc_wpp_type;

typedef struct cc_wpp_config {
	cc_wpp_func *funcs;
	size_t nfuncs;
	cc_wpp_type *types;
	size_t ntypes;
	bool failed; /* out of memory along the way */
} cc_wpp_config;

/* DoTraceMessage(FLAG, MSG, ...) and DoTraceLevelMessage(LEVEL, FLAGS, MSG, ...). */
int cc_wpp_config_defaults(cc_wpp_config *c);
/* One FUNC declaration as tracewpp's -func: takes it ("Name(LEVEL,FLAGS,MSG,...)"). */
int cc_wpp_config_add_func(cc_wpp_config *c, const char *decl, char *err, size_t errlen);
/* Every "begin_wpp config ... end_wpp" block in text. file names the text in errors. */
int cc_wpp_config_scan(cc_wpp_config *c, const char *text, size_t len, const char *file, char *err,
		       size_t errlen);
const cc_wpp_func *cc_wpp_config_func(const cc_wpp_config *c, const char *name, size_t n);
cc_wpp_type *cc_wpp_config_type(const cc_wpp_config *c, const char *name, size_t n);
/* Fills an ItemEnum type's enumerators from a C enum definition in text, if
 * there is one. Returns true when found. */
bool cc_wpp_enum_resolve(cc_wpp_type *t, const char *text, size_t len);
void cc_wpp_config_free(cc_wpp_config *c);

/* One conversion of a trace message's format. */
enum cc_wpp_conv {
	CC_WPP_PRINTF, /* an ordinary printf/DbgPrint conversion */
	CC_WPP_EXT,    /* %!NAME! */
};

typedef struct cc_wpp_spec {
	enum cc_wpp_conv conv;
	size_t off, len; /* where in the literal text */
	char ctype[40];  /* PRINTF: the C type of its argument ("" for %%) */
	int stars;       /* PRINTF: '*' width/precision arguments (int) before it */
	char name[64];   /* EXT: the NAME */
} cc_wpp_spec;

/* Parses the inside of one string literal (escapes as written) into its
 * conversions. Returns the count (>= 0), or -EINVAL with a message for a
 * conversion openwfp cannot pass on (%n). */
int cc_wpp_format_parse(const char *lit, size_t len, cc_wpp_spec *specs, size_t max, char *err,
			size_t errlen);

/* What tmh.c needs to generate one source's header. */
typedef struct cc_tmh_input {
	const char *source_text;
	size_t source_len;
	const char *source_name; /* as shown in log lines and messages */
	const cc_wpp_config *config;
	/* Texts searched for C enums named by ItemEnum types. */
	const char *const *enum_texts;
	const size_t *enum_lens;
	size_t nenum_texts;
} cc_tmh_input;

/* Generates the header into out. Problems the compiler would otherwise
 * report obscurely are errors (err, "FILE:LINE: ..."); notes get warnings.
 * Returns 0, -EINVAL or -ENOMEM. */
int cc_tmh_generate(const cc_tmh_input *in, cc_buf *out, cc_strv *notes, char *err, size_t errlen);

#endif /* OWFP_CC_WPP_H */
