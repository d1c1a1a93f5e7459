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
	unsigned long slab_objects;	/* of bytes, objects in slabs now */
	unsigned long reserve_allocs;	/* of allocs, from the reserves */
	/* small objects from the static last-resort stash (port.c) */
	unsigned long stash_allocs, stash_in_use, stash_peak;
};
extern struct lwip_mem_stats lwip_mem;

/* Print what lwIP holds: its pools' objects in use, its heap, and each
 * TCP connection's state and queued bytes (net/lwip/describe.c). Runs
 * in netd; any thread may call it. */
void lwip_port_describe(void);
/* Set by an allocation that took the reserves; netd clears it before
 * receiving a frame, to mark the frame's pbuf (net/lwip/memalloc.c). */
extern bool lwip_port_reserve_used;

/*
 * Fault injection for tests (as Linux's fail_page_alloc): while set,
 * lwIP's ordinary allocations fail, as they do when memory is at the min
 * watermark and the slab caches hold nothing free, so only the reserves
 * serve (net/lwip/memalloc.c). Never set outside a test.
 */
extern bool lwip_port_fail_ordinary;

/* What the memalloc rules did to received frames (net/lwip/memalloc.c):
 * frames received into the reserves and kept (a memalloc connection's)
 * or dropped (anyone else's). */
struct net_memalloc_stats {
	unsigned long rx_kept, rx_dropped;
};
extern struct net_memalloc_stats net_memalloc;

#endif
