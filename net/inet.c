/*
 * net/inet.c - IPv4 addresses and the ip= option's words, as text
 * (net/inet.h). Portable: the host tests it.
 */
#include "net/inet.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

int net_parse_ipv4(const char *s, uint32_t *addr)
{
	uint32_t a = 0;

	if (!s)
		return -EINVAL;
	for (int i = 0; i < 4; i++) {
		unsigned int v = 0, digits = 0;

		while (*s >= '0' && *s <= '9') {
			if (++digits > 3)
				return -EINVAL;
			v = v * 10 + (unsigned int)(*s++ - '0');
		}
		if (!digits || v > 255)
			return -EINVAL;
		a = a << 8 | v;
		if (i < 3 && *s++ != '.')
			return -EINVAL;
	}
	if (*s)
		return -EINVAL;
	*addr = a;
	return 0;
}

char *net_format_ipv4(uint32_t a, char *buf)
{
	ksnprintf(buf, NET_IPV4_STRLEN, "%u.%u.%u.%u", a >> 24, a >> 16 & 255,
		  a >> 8 & 255, a & 255);
	return buf;
}

int net_parse_ip_config(const char *value, struct net_ip_config *cfg)
{
	char buf[48], *slash, *comma;
	uint64_t prefix;
	struct net_ip_config c = { 0 };

	if (!value || !*value)
		return -EINVAL;
	if (!strcmp(value, "dhcp")) {
		c.dhcp = true;
		*cfg = c;
		return 0;
	}
	if (strlcpy(buf, value, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	comma = strchr(buf, ',');
	if (comma)
		*comma++ = 0;
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash++ = 0;
	if (net_parse_ipv4(buf, &c.addr) || !*slash ||
	    !parse_u64(slash, &prefix, false) || prefix < 1 || prefix > 32)
		return -EINVAL;
	c.prefix = (unsigned int)prefix;
	if (comma && net_parse_ipv4(comma, &c.gw))
		return -EINVAL;
	/* The address must not be the network's or its broadcast (for a
	 * prefix under 31), nor 0.0.0.0. */
	uint32_t host = c.prefix == 32 ? 0 : c.addr & (0xffffffffu >> c.prefix);

	if (!c.addr || (c.prefix < 31 &&
			(host == 0 || host == (0xffffffffu >> c.prefix))))
		return -EINVAL;
	*cfg = c;
	return 0;
}

uint32_t net_prefix_mask(unsigned int prefix)
{
	return prefix ? ~(uint32_t)0 << (32 - prefix) : 0;
}

int net_parse_endpoint(const char *s, uint16_t default_port, uint32_t *addr,
		       uint16_t *port)
{
	char buf[NET_IPV4_STRLEN];
	const char *colon;
	uint64_t p = default_port;
	uint32_t a;
	size_t n;

	if (!s)
		return -EINVAL;
	colon = strchr(s, ':');
	n = colon ? (size_t)(colon - s) : strlen(s);
	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = 0;
	if (net_parse_ipv4(buf, &a))
		return -EINVAL;
	if (colon && (!colon[1] || !parse_u64(colon + 1, &p, false) ||
		      p < 1 || p > 65535))
		return -EINVAL;
	*addr = a;
	*port = (uint16_t)p;
	return 0;
}
