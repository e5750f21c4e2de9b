/*
 * One conversion of a DbgPrint format ("%-08.3I64x"), read as the Windows
 * kernel reads it: flags, width, precision, size prefix (I64 and ll are 64
 * bits, I32 and l 32, I z t pointer-sized, j 64, h 16, hh 8, w wide, L long
 * double), conversion letter. The runtime formatter (src/wdm/dbgformat.c)
 * and openwfp-cc's reading of trace messages (src/cc/wppfmt.c) both read
 * formats through it, so a message means at build time what it prints.
 */
#ifndef OWFP_UTIL_DBG_SPEC_H
#define OWFP_UTIL_DBG_SPEC_H

#include <stddef.h>

enum owfp_dbg_size {
	OWFP_DBG_SZ_DEFAULT,
	OWFP_DBG_SZ_HH,
	OWFP_DBG_SZ_H,
	OWFP_DBG_SZ_32,
	OWFP_DBG_SZ_64,
	OWFP_DBG_SZ_PTR,
	OWFP_DBG_SZ_LONGDOUBLE,
	OWFP_DBG_SZ_WIDE,
};

/* What a conversion letter prints (and so which argument it takes). */
enum owfp_dbg_class {
	OWFP_DBG_UNKNOWN,   /* not a conversion: printed as written */
	OWFP_DBG_SIGNED,    /* d i */
	OWFP_DBG_UNSIGNED,  /* u x X o */
	OWFP_DBG_FLOAT,     /* e E f F g G a A */
	OWFP_DBG_CHAR,      /* c C */
	OWFP_DBG_STRING,    /* s S */
	OWFP_DBG_COUNTED,   /* Z: ANSI_STRING *, wZ: UNICODE_STRING * */
	OWFP_DBG_POINTER,   /* p */
	OWFP_DBG_WRITEBACK, /* n */
	OWFP_DBG_PERCENT,   /* %% */
};

#define OWFP_DBG_NONE (-1) /* no width / precision */
#define OWFP_DBG_STAR (-2) /* '*': taken from the arguments */

typedef struct owfp_dbg_spec {
	char flags[8];   /* of "-+ #0", as written; at most 7 are read */
	int width, prec; /* a number, OWFP_DBG_NONE or OWFP_DBG_STAR */
	enum owfp_dbg_size size;
	char conv; /* the letter; 0 when the text ends before it */
} owfp_dbg_spec;

/*
 * Reads the conversion that follows a '%' in s[0..len) (the text also ends
 * at a NUL). Returns the characters read, the letter included. A letter
 * that is no conversion is returned as read (the caller decides: '!' starts
 * WPP's %!NAME!).
 */
size_t owfp_dbg_spec_parse(const char *s, size_t len, owfp_dbg_spec *out);

enum owfp_dbg_class owfp_dbg_spec_class(char conv);

#endif /* OWFP_UTIL_DBG_SPEC_H */
