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
};
extern struct lwip_mem_stats lwip_mem;

#endif
