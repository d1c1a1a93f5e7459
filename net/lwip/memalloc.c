/*
 * net/lwip/memalloc.c - the memory reserves for the traffic that frees
 * memory (docs/mm/swap-over-network.md): Linux's memalloc sockets and
 * pfmemalloc packets, for lwIP.
 *
 * A connection that carries swap (the NBD client's) is marked memalloc
 * (net_sock_set_memalloc). While any exists, netd may take lwIP's memory
 * from the reserves below the min watermark (__GFP_MEMALLOC) when the
 * ordinary allocation fails, but only for work that may be that
 * connection's: receiving frames (which connection a frame is for is not
 * known until it is parsed), lwIP's timers (retransmissions), and calls
 * made on a memalloc connection. A frame received into the reserves is
 * marked PBUF_FLAG_PFMEMALLOC and dropped at IP input unless it is TCP for
 * a memalloc connection, or ARP (which ethernet_input handles before IP:
 * the gateway's address must stay reachable). So when memory is critical,
 * only the swap traffic is heard; everything else is dropped and sent
 * again by its sender later, as Linux does.
 *
 * Everything here is netd's alone (no locks): lwIP, its hooks and its
 * allocations run only in netd.
 */
#include "net/lwip/internal.h"
#include "net/lwip/port.h"
#include "kernel/errno.h"

#include "lwip/ip4.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ip.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/tcp.h"
#include "lwip_hooks.h"

#define MEMALLOC_CONNS	8

static struct memalloc_conn {
	bool used;
	uint16_t local_port, remote_port;	/* host order */
	uint32_t remote_ip;			/* network order, as on the wire */
} conns[MEMALLOC_CONNS];

static unsigned int nr_conns;
static unsigned int memalloc_depth;
struct net_memalloc_stats net_memalloc;

int net_memalloc_add(uint16_t local_port, uint32_t remote_ip_n,
		     uint16_t remote_port)
{
	for (unsigned int i = 0; i < MEMALLOC_CONNS; i++) {
		if (conns[i].used)
			continue;
		conns[i] = (struct memalloc_conn){ true, local_port,
						   remote_port, remote_ip_n };
		nr_conns++;
		return 0;
	}
	return -ENOSPC;
}

void net_memalloc_del(uint16_t local_port, uint32_t remote_ip_n,
		      uint16_t remote_port)
{
	for (unsigned int i = 0; i < MEMALLOC_CONNS; i++) {
		struct memalloc_conn *c = &conns[i];

		if (c->used && c->local_port == local_port &&
		    c->remote_port == remote_port && c->remote_ip == remote_ip_n) {
			c->used = false;
			nr_conns--;
			return;
		}
	}
}

unsigned int net_memalloc_nr_conns(void)
{
	return nr_conns;
}

void netd_memalloc_enter(void)
{
	memalloc_depth++;
}

void netd_memalloc_leave(void)
{
	memalloc_depth--;
}

bool netd_memalloc_active(void)
{
	return nr_conns && memalloc_depth;
}

static bool is_memalloc_segment(const struct ip_hdr *iph, const uint8_t *l4,
				size_t l4_len)
{
	uint16_t sport, dport;

	if (l4_len < 4)
		return false;
	sport = (uint16_t)(l4[0] << 8 | l4[1]);
	dport = (uint16_t)(l4[2] << 8 | l4[3]);
	for (unsigned int i = 0; i < MEMALLOC_CONNS; i++) {
		const struct memalloc_conn *c = &conns[i];

		if (c->used && c->local_port == dport &&
		    c->remote_port == sport &&
		    c->remote_ip == iph->src.addr)
			return true;
	}
	return false;
}

int lwip_hook_ip4_input(struct pbuf *p, struct netif *inp)
{
	const struct ip_hdr *iph = p->payload;
	size_t hlen;

	(void)inp;
	if (!(p->flags & PBUF_FLAG_PFMEMALLOC))
		return 0;
	/* The IP and TCP headers are in the first pbuf: a frame is one
	 * pool pbuf (PBUF_POOL_BUFSIZE). Anything else is not ours. */
	if (p->len >= IP_HLEN) {
		hlen = IPH_HL_BYTES(iph);
		if (IPH_PROTO(iph) == IP_PROTO_TCP && hlen >= IP_HLEN &&
		    hlen <= p->len &&
		    !(IPH_OFFSET(iph) & PP_HTONS(IP_OFFMASK | IP_MF)) &&
		    is_memalloc_segment(iph, (const uint8_t *)p->payload + hlen,
					p->len - hlen)) {
			net_memalloc.rx_kept++;
			return 0;
		}
	}
	net_memalloc.rx_dropped++;
	pbuf_free(p);
	return 1;
}
