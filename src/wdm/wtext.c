/* WCHAR text: strict UTF-8 decoding and registry/object-name case folding. */
#include "wdm/wtext.h"
#include "util/alloc.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <wctype.h>

/* Length of the UTF-8 sequence at s, or 0 when it is not valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	uint32_t c = s[0] & (0x7f >> len);

	if (len == 0 || s[0] > 0xf4)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the terminator */
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c < 0xe000))
		return 0;
	*cp = len == 1 ? s[0] : c;
	return len;
}

int owfp_wtext_from_utf8(const char *s, WCHAR **out, size_t *nchars)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0, k = 0;
	WCHAR *w;

	*out = NULL;
	*nchars = 0;
	for (size_t i = 0; u[i];) {
		uint32_t cp;
		size_t len = utf8_decode(u + i, &cp);

		if (!len)
			return -EINVAL;
		i += len;
		n++;
	}
	w = owfp_malloc((n + 1) * sizeof(WCHAR));
	if (!w)
		return -ENOMEM;
	for (size_t i = 0; u[i];) {
		uint32_t cp = 0;

		i += utf8_decode(u + i, &cp);
		w[k++] = (WCHAR)cp;
	}
	w[k] = 0;
	*out = w;
	*nchars = n;
	return 0;
}

/*
 * The C locale folds ASCII only; Windows folds all of Unicode. C.UTF-8
 * (built into glibc) has the full tables and is always present on the
 * systems we build for; without it ASCII folding is what remains.
 */
static locale_t upcase_locale;
static pthread_once_t upcase_once = PTHREAD_ONCE_INIT;

static void upcase_init(void)
{
	upcase_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

WCHAR owfp_wtext_upcase(WCHAR c)
{
	pthread_once(&upcase_once, upcase_init);
	if (upcase_locale)
		return (WCHAR)towupper_l((wint_t)c, upcase_locale);
	return c >= L'a' && c <= L'z' ? c - (L'a' - L'A') : c;
}

bool owfp_wtext_equal_ci(const WCHAR *a, size_t na, const WCHAR *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (a[i] != b[i] && owfp_wtext_upcase(a[i]) != owfp_wtext_upcase(b[i]))
			return false;
	return true;
}
