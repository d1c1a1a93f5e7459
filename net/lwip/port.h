/*
 * net/lwip/port.h - the port's own state, for netd and the console.
 */
#ifndef NET_LWIP_PORT_H
#define NET_LWIP_PORT_H

#include "kernel/types.h"

/* lwIP's memory through our allocator: bytes in use now (kmalloc's
 * ksize, so what it really costs), the most at once, allocations made
 * and refused. */
struct lwip_mem_stats {
	unsigned long bytes, peak, allocs, failed;
	unsigned long reserve_allocs;	/* of allocs, from the reserves */
};
extern struct lwip_mem_stats lwip_mem;
/* Set by an allocation that took the reserves; netd clears it before
 * receiving a frame, to mark the frame's pbuf (net/lwip/memalloc.c). */
extern bool lwip_port_reserve_used;

/* What the memalloc rules did to received frames (net/lwip/memalloc.c):
 * frames received into the reserves and kept (a memalloc connection's)
 * or dropped (anyone else's). */
struct net_memalloc_stats {
	unsigned long rx_kept, rx_dropped;
};
extern struct net_memalloc_stats net_memalloc;

#endif
