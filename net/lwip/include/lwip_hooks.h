/*
 * net/lwip/include/lwip_hooks.h - our code that lwIP calls at its hook
 * points (lwipopts.h: LWIP_HOOK_FILENAME). net/lwip/memalloc.c.
 */
#ifndef NET_LWIP_HOOKS_H
#define NET_LWIP_HOOKS_H

struct pbuf;
struct netif;

/* Every IPv4 packet before lwIP looks at it: 1 = eaten (dropped here),
 * 0 = lwIP goes on. Drops a packet received into the memory reserves
 * unless it belongs to a memalloc connection (docs/mm/swap-over-network.md). */
int lwip_hook_ip4_input(struct pbuf *p, struct netif *inp);
#define LWIP_HOOK_IP4_INPUT(p, inp)	lwip_hook_ip4_input(p, inp)

#endif
