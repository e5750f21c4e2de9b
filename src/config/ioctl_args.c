/* IOCTL codes, hex bytes and input files as the configuration and CLI write them. */
#include "config/ioctl_args.h"
#include "util/alloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *name;
	uint32_t v;
} code_names[] = {
	{"FILE_DEVICE_NETWORK", 0x12},
	{"FILE_DEVICE_UNKNOWN", 0x22},
	{"FILE_DEVICE_NETWORK_FILE_SYSTEM", 0x14},
	{"METHOD_BUFFERED", 0},
	{"METHOD_IN_DIRECT", 1},
	{"METHOD_OUT_DIRECT", 2},
	{"METHOD_NEITHER", 3},
	{"FILE_ANY_ACCESS", 0},
	{"FILE_READ_ACCESS", 1},
	{"FILE_WRITE_ACCESS", 2},
	{"FILE_READ_DATA", 1},
	{"FILE_WRITE_DATA", 2},
};

static int number(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	char buf[64], *end;
	unsigned long v;

	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	for (size_t i = 0; i < sizeof(code_names) / sizeof(code_names[0]); i++)
		if (!strcasecmp(buf, code_names[i].name)) {
			*out = code_names[i].v;
			return *out <= max ? 0 : -1;
		}
	if (buf[0] == '-' || buf[0] == '+')
		return -1;
	errno = 0;
	v = strtoul(buf, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int owfp_ioctl_code_parse(const char *s, uint32_t *out)
{
	static const uint32_t max[4] = {0xffff, 0xfff, 3, 3};
	uint32_t part[4];
	const char *p;

	if (strncasecmp(s, "CTL_CODE(", 9) != 0)
		return number(s, strlen(s), 0xffffffffu, out);
	p = s + 9;
	for (int i = 0; i < 4; i++) {
		const char *end = strchr(p, i < 3 ? ',' : ')');
		if (!end || number(p, (size_t)(end - p), max[i], &part[i]))
			return -1;
		p = end + 1;
	}
	if (*p)
		return -1;
	*out = part[0] << 16 | part[3] << 14 | part[1] << 2 | part[2];
	return 0;
}

static int hexval(int c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

int owfp_hex_parse(const char *s, size_t max, uint8_t **out, size_t *len)
{
	size_t n = 0, cap = strlen(s) / 2 + 1;
	uint8_t *b;

	*out = NULL;
	*len = 0;
	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	if (!(b = owfp_malloc(cap)))
		return -ENOMEM;
	while (*s) {
		int hi, lo;

		if (*s == ' ' || *s == ':' || *s == '-' || *s == '\t' || *s == '\n') {
			s++;
			continue;
		}
		if ((hi = hexval(s[0])) < 0 || (lo = hexval(s[1])) < 0) {
			free(b);
			return -EINVAL;
		}
		if (n == max) {
			free(b);
			return -E2BIG;
		}
		b[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	*out = b;
	*len = n;
	return 0;
}

int owfp_file_read(const char *path, size_t max, uint8_t **out, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	uint8_t *b;
	size_t n = 0;

	*out = NULL;
	*len = 0;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		int e = fd < 0 ? errno : EINVAL;
		snprintf(err, errlen, "%s: cannot read: %s", path,
			 fd >= 0 ? "not a regular file" : strerror(e));
		if (fd >= 0)
			close(fd);
		return -e;
	}
	if ((size_t)st.st_size > max) {
		snprintf(err, errlen, "%s: %lld bytes, more than the %zu an IOCTL input may have",
			 path, (long long)st.st_size, max);
		close(fd);
		return -E2BIG;
	}
	if (!(b = owfp_malloc((size_t)st.st_size + 1))) {
		close(fd);
		return -ENOMEM;
	}
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, b + n, (size_t)st.st_size - n);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	*out = b;
	*len = n;
	return 0;
}
