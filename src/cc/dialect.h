/*
 * The MSVC dialect pass: rewrites a copy of a driver source (or one of its
 * own headers) so GCC/Clang accept what MSVC accepts, changing nothing else.
 * Every construct and its treatment is listed in docs/porting.md,
 * "## MSVC dialect"; constructs a macro or a flag can handle are in
 * include/openwfp/openwfp_msvc.h and src/cc/flags.c instead.
 *
 * Rewritten here:
 *  - &(TYPE)operand (address of a cast, MSVC's lvalue cast)
 *      -> ((TYPE *)&(operand))
 *  - __declspec(modifiers), each modifier mapped to its GCC attribute or
 *    dropped (SAL strings, code_seg, uuid, ...); selectany -> weak
 *    (C++: extern weak, since const objects are internal there)
 *  - C only: __inline / __forceinline that are not static -> a weak
 *    definition (MSVC gives them COMDAT linkage: one copy per program
 *    however many files include the header); static ones -> inline
 *  - #include of a file in the driver's own tree -> the rewritten copy of
 *    that file (through map_include)
 * Line structure is kept (a replacement carries the newlines of what it
 * replaces) and the output starts with #line 1 "line_name", so compiler
 * messages and __LINE__ / __FILE__ name the author's file and line.
 */
#ifndef OWFP_CC_DIALECT_H
#define OWFP_CC_DIALECT_H

#include "cc/cc.h"

typedef struct cc_dialect_opts {
	bool cplusplus;
	const char *line_name; /* the original path, for #line; NULL: no #line */
	/* Called for each #include; returns a malloc()ed path to include instead,
	 * or NULL to leave the directive as written. May be NULL. */
	char *(*map_include)(void *user, const char *name, bool angled);
	void *user;
} cc_dialect_opts;

/* Appends the rewritten text to out. Returns 0 or -ENOMEM. Notes about
 * constructs dropped or not understood go to notes as "LINE: text". */
int cc_dialect_run(const char *src, size_t len, const cc_dialect_opts *o, cc_buf *out,
		   cc_strv *notes);

#endif /* OWFP_CC_DIALECT_H */
