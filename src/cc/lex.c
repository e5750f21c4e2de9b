/* Splits C/C++ source into tokens that keep their source bytes (lex.h).
 * No library offers a lossless, non-preprocessing C tokenizer small enough
 * to embed (libclang preprocesses and needs the headers to resolve), so
 * this is a direct scanner over the translation phases that matter here. */
#include "cc/lex.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct scan {
	const char *s;
	size_t len, i;
	int line;
	cc_tokens *out;
	size_t cap;
} scan;

static bool is_id0(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
	       (unsigned char)c >= 0x80;
}

static bool is_id(char c)
{
	return is_id0(c) || (c >= '0' && c <= '9');
}

/* A backslash-newline (LF or CRLF) at i: its length, else 0. */
static size_t splice_at(const scan *sc, size_t i)
{
	if (i < sc->len && sc->s[i] == '\\') {
		if (i + 1 < sc->len && sc->s[i + 1] == '\n')
			return 2;
		if (i + 2 < sc->len && sc->s[i + 1] == '\r' && sc->s[i + 2] == '\n')
			return 3;
	}
	return 0;
}

static int push(scan *sc, enum cc_tok_kind k, size_t start, int line)
{
	cc_token *t;

	if (sc->out->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 1024;
		cc_token *v = realloc(sc->out->t, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		sc->out->t = v;
		sc->cap = cap;
	}
	t = &sc->out->t[sc->out->n++];
	memset(t, 0, sizeof(*t));
	t->kind = k;
	t->off = start;
	t->len = sc->i - start;
	t->line = line;
	return 0;
}

static void count_lines(scan *sc, size_t from)
{
	for (size_t k = from; k < sc->i; k++)
		if (sc->s[k] == '\n')
			sc->line++;
}

static void quoted(scan *sc, char q)
{
	sc->i++;
	while (sc->i < sc->len && sc->s[sc->i] != q && sc->s[sc->i] != '\n') {
		size_t sp = splice_at(sc, sc->i);

		if (sp)
			sc->i += sp;
		else if (sc->s[sc->i] == '\\' && sc->i + 1 < sc->len && sc->s[sc->i + 1] != '\n')
			sc->i += 2;
		else
			sc->i++;
	}
	if (sc->i < sc->len && sc->s[sc->i] == q)
		sc->i++;
}

/* R"delim( ... )delim" starting at the quote. */
static void raw_string(scan *sc)
{
	char delim[20];
	size_t d = 0;

	sc->i++;
	while (sc->i < sc->len && sc->s[sc->i] != '(' && d < sizeof(delim) - 1)
		delim[d++] = sc->s[sc->i++];
	delim[d] = '\0';
	while (sc->i < sc->len) {
		if (sc->s[sc->i] == ')' && sc->i + 1 + d < sc->len &&
		    !strncmp(sc->s + sc->i + 1, delim, d) && sc->s[sc->i + 1 + d] == '"') {
			sc->i += d + 2;
			return;
		}
		sc->i++;
	}
}

static const char *const puncts[] = {
	"<<=", ">>=", "...", "->*", "<=>", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=",
	"&&",  "||",  "*=",  "/=",  "%=",  "+=", "-=", "&=", "^=", "|=", "##", "::", ".*", NULL,
};

static size_t punct_len(const scan *sc)
{
	for (int k = 0; puncts[k]; k++) {
		size_t n = strlen(puncts[k]);

		if (sc->i + n <= sc->len && !memcmp(sc->s + sc->i, puncts[k], n))
			return n;
	}
	return 1;
}

/* An identifier that prefixes a literal: L u U u8 and their R forms. */
static int literal_prefix(const char *p, size_t n, bool *raw)
{
	static const char *const pre[] = {"L", "u", "U", "u8", "R", "LR", "uR", "UR", "u8R", NULL};

	for (int k = 0; pre[k]; k++)
		if (strlen(pre[k]) == n && !memcmp(p, pre[k], n)) {
			*raw = p[n - 1] == 'R';
			return 1;
		}
	return 0;
}

int cc_lex(const char *src, size_t len, cc_tokens *out)
{
	scan sc = {src, len, 0, 1, out, 0};
	bool in_dir = false, line_start = true, want_header = false;
	size_t dir_words = 0;

	memset(out, 0, sizeof(*out));
	out->src = src;
	while (sc.i < len) {
		size_t start = sc.i;
		int line = sc.line;
		char c = src[sc.i];
		enum cc_tok_kind k;
		size_t sp = splice_at(&sc, sc.i);

		if (sp || c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r') {
			while (sc.i < len) {
				sp = splice_at(&sc, sc.i);
				if (sp)
					sc.i += sp;
				else if (strchr(" \t\f\v\r", src[sc.i]))
					sc.i++;
				else
					break;
			}
			k = CC_T_WS;
		} else if (c == '\n') {
			sc.i++;
			k = CC_T_NL;
		} else if (c == '/' && sc.i + 1 < len && src[sc.i + 1] == '/') {
			while (sc.i < len && src[sc.i] != '\n') {
				sp = splice_at(&sc, sc.i);
				sc.i += sp ? sp : 1;
			}
			k = CC_T_COMMENT;
		} else if (c == '/' && sc.i + 1 < len && src[sc.i + 1] == '*') {
			const char *e = NULL;

			for (size_t j = sc.i + 2; j + 1 < len; j++)
				if (src[j] == '*' && src[j + 1] == '/') {
					e = src + j + 2;
					break;
				}
			sc.i = e ? (size_t)(e - src) : len;
			k = CC_T_COMMENT;
		} else if (want_header && c == '<') {
			while (sc.i < len && src[sc.i] != '>' && src[sc.i] != '\n')
				sc.i++;
			if (sc.i < len && src[sc.i] == '>')
				sc.i++;
			k = CC_T_HEADER;
		} else if (c == '"') {
			quoted(&sc, '"');
			k = CC_T_STRING;
		} else if (c == '\'') {
			quoted(&sc, '\'');
			k = CC_T_CHAR;
		} else if (is_id0(c)) {
			bool raw = false;

			while (sc.i < len && is_id(src[sc.i]))
				sc.i++;
			k = CC_T_IDENT;
			if (sc.i < len && (src[sc.i] == '"' || src[sc.i] == '\'') &&
			    literal_prefix(src + start, sc.i - start, &raw)) {
				if (src[sc.i] == '\'') {
					quoted(&sc, '\'');
					k = CC_T_CHAR;
				} else {
					if (raw)
						raw_string(&sc);
					else
						quoted(&sc, '"');
					k = CC_T_STRING;
				}
			}
		} else if ((c >= '0' && c <= '9') || (c == '.' && sc.i + 1 < len &&
						      src[sc.i + 1] >= '0' && src[sc.i + 1] <= '9')) {
			sc.i++;
			while (sc.i < len) {
				char d = src[sc.i];

				if ((d == '+' || d == '-') && strchr("eEpP", src[sc.i - 1]))
					sc.i++;
				else if (is_id(d) || d == '.' ||
					 (d == '\'' && sc.i + 1 < len && is_id(src[sc.i + 1])))
					sc.i++;
				else
					break;
			}
			k = CC_T_NUMBER;
		} else {
			sc.i += punct_len(&sc);
			k = CC_T_PUNCT;
		}
		count_lines(&sc, start);
		if (push(&sc, k, start, line)) {
			cc_tokens_free(out);
			return -ENOMEM;
		}
		if (k == CC_T_NL) {
			out->t[out->n - 1].directive = in_dir;
			in_dir = false;
			line_start = true;
			want_header = false;
			continue;
		}
		if (k == CC_T_WS || k == CC_T_COMMENT) {
			out->t[out->n - 1].directive = in_dir;
			continue;
		}
		if (line_start && k == CC_T_PUNCT && sc.i - start == 1 && c == '#') {
			in_dir = true;
			dir_words = 0;
		}
		out->t[out->n - 1].bol = line_start;
		out->t[out->n - 1].directive = in_dir;
		if (in_dir) {
			dir_words++;
			want_header = dir_words == 2 && k == CC_T_IDENT &&
				      ((sc.i - start == 7 && !memcmp(src + start, "include", 7)) ||
				       (sc.i - start == 12 &&
					!memcmp(src + start, "include_next", 12)) ||
				       (sc.i - start == 6 && !memcmp(src + start, "import", 6)));
		}
		line_start = false;
	}
	return 0;
}

void cc_tokens_free(cc_tokens *t)
{
	free(t->t);
	t->t = NULL;
	t->n = 0;
}

bool cc_tok_is(const cc_tokens *t, size_t i, const char *text)
{
	size_t n = strlen(text);

	return i < t->n && t->t[i].len == n && !memcmp(t->src + t->t[i].off, text, n);
}

static bool blank(const cc_token *k)
{
	return k->kind == CC_T_WS || k->kind == CC_T_COMMENT || k->kind == CC_T_NL;
}

size_t cc_tok_next(const cc_tokens *t, size_t i)
{
	bool dir = i < t->n && t->t[i].directive;

	for (size_t j = i + 1; j < t->n; j++) {
		if (dir && t->t[j].kind == CC_T_NL)
			return t->n;
		if (!dir && t->t[j].directive)
			continue;
		if (!blank(&t->t[j]))
			return j;
	}
	return t->n;
}

size_t cc_tok_prev(const cc_tokens *t, size_t i)
{
	bool dir = i < t->n && t->t[i].directive;

	for (size_t j = i; j-- > 0;) {
		if (dir && (t->t[j].kind == CC_T_NL || !t->t[j].directive))
			return SIZE_MAX;
		if (!dir && t->t[j].directive)
			continue;
		if (!blank(&t->t[j]))
			return j;
	}
	return SIZE_MAX;
}

size_t cc_tok_match(const cc_tokens *t, size_t i)
{
	int depth = 0;

	for (size_t j = i; j < t->n; j = cc_tok_next(t, j)) {
		if (t->t[j].kind == CC_T_PUNCT && t->t[j].len == 1) {
			char c = t->src[t->t[j].off];

			if (c == '(' || c == '[' || c == '{')
				depth++;
			else if (c == ')' || c == ']' || c == '}') {
				if (--depth == 0)
					return j;
			}
		}
	}
	return t->n;
}

int cc_tok_lines(const cc_tokens *t, size_t a, size_t b)
{
	int n = 0;

	for (size_t j = a; j < b && j < t->n; j++)
		for (size_t k = 0; k < t->t[j].len; k++)
			n += t->src[t->t[j].off + k] == '\n';
	return n;
}
