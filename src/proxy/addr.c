/* ADDR:PORT parsing and printing for the proxy's command line and events. */
#include "proxy/proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_port(const char *s, uint16_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v > 65535)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

int owfp_proxy_addr_parse(const char *text, owfp_proxy_addr *out, owfp_error *err)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port;
	uint16_t p;
	bool bracketed = text[0] == '[';

	memset(out, 0, sizeof(*out));
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':' || (size_t)(close - text - 1) >= sizeof(host))
			goto bad;
		memcpy(host, text + 1, (size_t)(close - text - 1));
		host[close - text - 1] = '\0';
		port = close + 2;
	} else {
		const char *colon = strrchr(text, ':');
		if (!colon || (size_t)(colon - text) >= sizeof(host))
			goto bad;
		memcpy(host, text, (size_t)(colon - text));
		host[colon - text] = '\0';
		port = colon + 1;
	}
	/* IPv6 only in brackets, so "::1:80" cannot mean two things. */
	if (parse_port(port, &p) || (!bracketed && strchr(host, ':')))
		goto bad;

	struct sockaddr_in *in4 = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&out->ss;
	if (!bracketed && (host[0] == '\0' || inet_pton(AF_INET, host, &in4->sin_addr) == 1)) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(p);
		if (host[0] == '\0')
			in4->sin_addr.s_addr = htonl(INADDR_ANY);
		out->len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(p);
		out->len = sizeof(*in6);
		return 0;
	}
bad:
	if (err)
		snprintf(err->msg, sizeof(err->msg),
			 "bad address '%s': expected IPv4:PORT or [IPv6]:PORT", text);
	return -EINVAL;
}

const char *owfp_proxy_addr_str(const struct sockaddr *sa, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (!sa) {
		snprintf(buf, len, "-");
	} else if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in4 = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(in4->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, ntohs(in6->sin6_port));
	} else {
		snprintf(buf, len, "?");
	}
	return buf;
}
