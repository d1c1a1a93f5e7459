/*
 * net/lwip/internal.h - between the port's files (netd.c, sock.c).
 */
#ifndef NET_LWIP_INTERNAL_H
#define NET_LWIP_INTERNAL_H

/* netd, each round: reopen the TCP windows of bytes readers took. */
void net_sock_service(void);

/*
 * Memalloc connections (net/lwip/memalloc.c), netd only. add/del name a
 * connection by its ports (host order) and the peer's address (network
 * order); add fails with -ENOSPC past 8. enter/leave bracket work that
 * may be a memalloc connection's (nesting); active: lwIP's allocations
 * may use the reserves now.
 */
#include "kernel/types.h"
int net_memalloc_add(uint16_t local_port, uint32_t remote_ip_n,
		     uint16_t remote_port);
void net_memalloc_del(uint16_t local_port, uint32_t remote_ip_n,
		      uint16_t remote_port);
unsigned int net_memalloc_nr_conns(void);
void netd_memalloc_enter(void);
void netd_memalloc_leave(void);
bool netd_memalloc_active(void);

#endif
