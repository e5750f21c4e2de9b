/* DbgPrint's conversion grammar, read once for the formatter and openwfp-cc. */
#include "util/dbg_spec.h"

#include <string.h>

/* Digits into a number, capped so that no int overflows. */
static size_t number(const char *s, size_t len, int *out)
{
	size_t i = 0;

	*out = 0;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		if (*out < 100000000)
			*out = *out * 10 + (s[i] - '0');
		i++;
	}
	return i;
}

/* Width or precision: '*', digits, or (with `none`) nothing. */
static size_t width_or_star(const char *s, size_t len, int *out, int none)
{
	if (len && s[0] == '*') {
		*out = OWFP_DBG_STAR;
		return 1;
	}
	if (!len || s[0] < '0' || s[0] > '9') {
		*out = none;
		return 0;
	}
	return number(s, len, out);
}

static const struct {
	const char *text;
	enum owfp_dbg_size size;
} prefixes[] = {
	/* Longest first: I64 before I, ll before l, hh before h. */
	{"I64", OWFP_DBG_SZ_64}, {"I32", OWFP_DBG_SZ_32}, {"I", OWFP_DBG_SZ_PTR},
	{"z", OWFP_DBG_SZ_PTR},  {"t", OWFP_DBG_SZ_PTR},  {"j", OWFP_DBG_SZ_64},
	{"ll", OWFP_DBG_SZ_64},  {"hh", OWFP_DBG_SZ_HH},  {"h", OWFP_DBG_SZ_H},
	{"l", OWFP_DBG_SZ_32},   {"w", OWFP_DBG_SZ_WIDE}, {"L", OWFP_DBG_SZ_LONGDOUBLE},
};

size_t owfp_dbg_spec_parse(const char *s, size_t len, owfp_dbg_spec *out)
{
	size_t i = 0, nf = 0;

	len = strnlen(s, len);
	while (i < len && strchr("-+ #0", s[i]) && nf < sizeof(out->flags) - 1)
		out->flags[nf++] = s[i++];
	out->flags[nf] = '\0';
	i += width_or_star(s + i, len - i, &out->width, OWFP_DBG_NONE);
	out->prec = OWFP_DBG_NONE;
	if (i < len && s[i] == '.')
		i += 1 + width_or_star(s + i + 1, len - i - 1, &out->prec, 0);
	out->size = OWFP_DBG_SZ_DEFAULT;
	for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
		size_t n = strlen(prefixes[k].text);

		if (n <= len - i && !strncmp(s + i, prefixes[k].text, n)) {
			out->size = prefixes[k].size;
			i += n;
			break;
		}
	}
	out->conv = i < len ? s[i++] : '\0';
	return i;
}

enum owfp_dbg_class owfp_dbg_spec_class(char conv)
{
	static const struct {
		const char *letters;
		enum owfp_dbg_class class;
	} classes[] = {
		{"di", OWFP_DBG_SIGNED}, {"uxXo", OWFP_DBG_UNSIGNED}, {"eEfFgGaA", OWFP_DBG_FLOAT},
		{"cC", OWFP_DBG_CHAR},   {"sS", OWFP_DBG_STRING},     {"Z", OWFP_DBG_COUNTED},
		{"p", OWFP_DBG_POINTER}, {"n", OWFP_DBG_WRITEBACK},   {"%", OWFP_DBG_PERCENT},
	};

	for (size_t k = 0; conv && k < sizeof(classes) / sizeof(classes[0]); k++)
		if (strchr(classes[k].letters, conv))
			return classes[k].class;
	return OWFP_DBG_UNKNOWN;
}
