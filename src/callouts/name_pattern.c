/* Exact, suffix and glob matching of host names (see name_pattern.h). */
#include "callouts/name_pattern.h"
#include "util/alloc.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

static bool is_glob(const char *p)
{
	return strpbrk(p, "*?[") != NULL;
}

bool owfp_name_match(const char *pattern, const char *name, size_t len)
{
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len >= OWFP_NAME_MAX || (len && memchr(name, '\0', len)))
		return false;
	char buf[OWFP_NAME_MAX];
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[len] = '\0';

	if (is_glob(pattern))
		return fnmatch(pattern, buf, FNM_CASEFOLD) == 0;
	if (pattern[0] == '.') {
		size_t pl = strlen(pattern);
		/* ".example.com" covers "example.com" too */
		if (len == pl - 1 && strcasecmp(pattern + 1, buf) == 0)
			return true;
		return len > pl && strcasecmp(buf + (len - pl), pattern) == 0;
	}
	return strlen(pattern) == len && strcasecmp(pattern, buf) == 0;
}

bool owfp_glob_match_case(const char *pattern, const char *s, size_t len, bool case_sensitive)
{
	if (len >= 8192 || (len && memchr(s, '\0', len)))
		return false;
	char buf[8192];
	if (len)
		memcpy(buf, s, len);
	buf[len] = '\0';
	if (!is_glob(pattern))
		return case_sensitive ? strcmp(pattern, buf) == 0 : strcasecmp(pattern, buf) == 0;
	return fnmatch(pattern, buf, case_sensitive ? 0 : FNM_CASEFOLD) == 0;
}

bool owfp_glob_match(const char *pattern, const char *s, size_t len)
{
	return owfp_glob_match_case(pattern, s, len, true);
}

int owfp_name_list_init(owfp_name_list *l, const void *array, char *err, size_t errlen)
{
	const json_t *a = array;
	l->n = 0;
	l->pats = NULL;
	if (!a)
		return 0;
	if (!json_is_array(a)) {
		snprintf(err, errlen, "name list must be an array of strings");
		return -EINVAL;
	}
	size_t n = json_array_size(a);
	l->pats = owfp_calloc(n ? n : 1, sizeof(char *));
	if (!l->pats)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_array_get(a, i);
		if (!json_is_string(v) || json_string_length(v) == 0) {
			snprintf(err, errlen, "name list entry %zu must be a non-empty string", i);
			owfp_name_list_free(l);
			return -EINVAL;
		}
		l->pats[i] = owfp_strdup(json_string_value(v));
		if (!l->pats[i]) {
			owfp_name_list_free(l);
			return -ENOMEM;
		}
		l->n = i + 1;
	}
	return 0;
}

bool owfp_name_list_match(const owfp_name_list *l, const char *name, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (owfp_name_match(l->pats[i], name, len))
			return true;
	return false;
}

void owfp_name_list_free(owfp_name_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->pats[i]);
	free(l->pats);
	l->pats = NULL;
	l->n = 0;
}
