/*
 * net/lwip/internal.h - between the port's files (netd.c, sock.c).
 */
#ifndef NET_LWIP_INTERNAL_H
#define NET_LWIP_INTERNAL_H

/* netd, each round: reopen the TCP windows of bytes readers took. */
void net_sock_service(void);

#endif
