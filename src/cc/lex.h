/*
 * A C/C++ token scanner for openwfp-cc's source passes (the MSVC dialect
 * pass, the WPP scanner). It does not preprocess: it splits text into
 * tokens that keep their exact source bytes, so a pass can copy what it
 * does not change and the result differs from the input only where it
 * means to. Comments, string and character literals (with L/u/U/u8/R
 * prefixes), backslash-newline continuations and preprocessor directive
 * lines are recognised, so patterns inside them are never matched.
 */
#ifndef OWFP_CC_LEX_H
#define OWFP_CC_LEX_H

#include <stdbool.h>
#include <stddef.h>

enum cc_tok_kind {
	CC_T_WS,      /* blanks and backslash-newline continuations */
	CC_T_NL,      /* an end of line */
	CC_T_COMMENT, /* a comment, either form */
	CC_T_IDENT,
	CC_T_NUMBER, /* a preprocessing number */
	CC_T_STRING, /* a string literal with its prefix and quotes */
	CC_T_CHAR,   /* a character literal */
	CC_T_HEADER, /* <name> after #include */
	CC_T_PUNCT,
};

typedef struct cc_token {
	enum cc_tok_kind kind;
	size_t off, len;
	int line;       /* 1-based line where the token starts */
	bool directive; /* part of a preprocessor directive line (its NL included) */
	bool bol;       /* the first token other than blanks and comments on its line */
} cc_token;

typedef struct cc_tokens {
	cc_token *t;
	size_t n;
	const char *src;
} cc_tokens;

/* 0 or -ENOMEM. The tokens point into src, which must outlive them. */
int cc_lex(const char *src, size_t len, cc_tokens *out);
void cc_tokens_free(cc_tokens *t);

bool cc_tok_is(const cc_tokens *t, size_t i, const char *text);
/* Next/previous index that is not blank, newline or comment (t->n / SIZE_MAX
 * when none). Neither crosses out of a directive line into the code around it. */
size_t cc_tok_next(const cc_tokens *t, size_t i);
size_t cc_tok_prev(const cc_tokens *t, size_t i);
/* Index of the ')' or ']' matching the '(' or '[' at i, or t->n. */
size_t cc_tok_match(const cc_tokens *t, size_t i);
/* Number of line ends in the source bytes of tokens [a, b). */
int cc_tok_lines(const cc_tokens *t, size_t a, size_t b);

#endif /* OWFP_CC_LEX_H */
