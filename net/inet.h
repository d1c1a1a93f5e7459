/*
 * net/inet.h - IPv4 addresses as text, and the ip= option
 * (docs/net/lwip.md). Addresses are host order here: 10.0.2.15 is
 * 0x0a00020f.
 */
#ifndef NET_INET_H
#define NET_INET_H

#include "kernel/types.h"

#define NET_IPV4_STRLEN	16	/* "255.255.255.255" and its NUL */

/* Dotted decimal, exactly four numbers 0-255 of at most three digits
 * each, nothing after: 0, or -EINVAL (*addr untouched). */
int net_parse_ipv4(const char *s, uint32_t *addr);
/* a as dotted decimal into buf (NET_IPV4_STRLEN bytes); returns buf. */
char *net_format_ipv4(uint32_t a, char *buf);
/* The netmask of a prefix length 0-32. */
uint32_t net_prefix_mask(unsigned int prefix);

/* "ADDR[:PORT]": the port 1-65535, or default_port when left out.
 * 0, or -EINVAL (nothing set). */
int net_parse_endpoint(const char *s, uint16_t default_port, uint32_t *addr,
		       uint16_t *port);

/* ip=ADDR/PREFIX[,GW] or ip=dhcp. */
struct net_ip_config {
	bool dhcp;
	uint32_t addr, gw;		/* gw 0: none */
	unsigned int prefix;		/* 1-32 */
};
/* 0, or -EINVAL (*cfg untouched) for anything else, an address that is
 * its network's or broadcast address, or 0.0.0.0. */
int net_parse_ip_config(const char *value, struct net_ip_config *cfg);

#endif
