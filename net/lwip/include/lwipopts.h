/*
 * net/lwip/include/lwipopts.h - how lwIP 2.1.3 is configured for this
 * kernel (lwIP's opt.h lists every option and its default; only what
 * differs is here, each with why). docs/net/lwip.md.
 *
 * One thread owns lwIP (NO_SYS=1, the "netd" thread, net/lwip/netd.c):
 * every lwIP function is called from it and only from it, so lwIP needs
 * no locks of its own (SYS_LIGHTWEIGHT_PROT=0) and no OS threads,
 * semaphores or mailboxes (no sys_arch beyond sys_now). Other threads ask
 * netd to act (net_call) and wait for the answer.
 *
 * Memory: lwIP's heap and pools are our allocator (MEM_LIBC_MALLOC and
 * MEMP_MEM_MALLOC: every pbuf, PCB and segment is a kmalloc), with the
 * limits below bounding what one connection can hold. netd never enters
 * reclaim (net/lwip/port.c: the allocation is GFP_NOWAIT): reclaim may be
 * waiting for a page that netd is sending to the swap server.
 */
#ifndef NET_LWIP_LWIPOPTS_H
#define NET_LWIP_LWIPOPTS_H

/* ---- the OS: one thread, no locks */
#define NO_SYS				1
#define SYS_LIGHTWEIGHT_PROT		0
#define LWIP_NETCONN			0
#define LWIP_SOCKET			0
#define LWIP_TIMERS			1

/* ---- memory: our allocator (net/lwip/port.c) */
#define MEM_LIBC_MALLOC			1
#define MEMP_MEM_MALLOC			1
#define MEM_ALIGNMENT			8
#define mem_clib_malloc			lwip_port_malloc
#define mem_clib_free			lwip_port_free
#define mem_clib_calloc			lwip_port_calloc
/* Pool pbufs (received frames) are sized for one Ethernet frame. */
#define PBUF_POOL_BUFSIZE		1536

/* ---- protocols: IPv4, ARP, ICMP, UDP (DHCP), TCP, raw (ping) */
#define LWIP_IPV4			1
#define LWIP_IPV6			0
#define LWIP_ARP			1
#define LWIP_ETHERNET			1
#define LWIP_ICMP			1
#define LWIP_RAW			1
#define LWIP_UDP			1
#define LWIP_TCP			1
#define LWIP_DHCP			1
#define LWIP_DNS			0
#define LWIP_IGMP			0
#define LWIP_AUTOIP			0
#define IP_REASSEMBLY			1
#define IP_FRAG				1
#define ARP_TABLE_SIZE			16
#define ARP_QUEUEING			1
#define LWIP_NETIF_STATUS_CALLBACK	1
#define LWIP_NETIF_LINK_CALLBACK	1
#define LWIP_SINGLE_NETIF		0
#define LWIP_NETIF_HOSTNAME		0

/*
 * ---- TCP: sized for a block device's traffic (docs/net/lwip.md, "Sizes").
 * A 64 KiB window each way (window scaling off: 65535 is the most a
 * 16-bit window says) keeps a 128 KiB swap write and its replies moving
 * without a round trip per segment; TCP_SND_QUEUELEN bounds the segments
 * queued (lwIP's rule: at least 2 * TCP_SND_BUF / TCP_MSS).
 */
#define TCP_MSS				1460
#define TCP_WND				65535
#define TCP_SND_BUF			65535
#define TCP_SND_QUEUELEN		(4 * TCP_SND_BUF / TCP_MSS)
#define TCP_QUEUE_OOSEQ			1
#define TCP_OVERSIZE			TCP_MSS
#define LWIP_TCP_KEEPALIVE		1
#define TCP_LISTEN_BACKLOG		0
/* Delayed ACKs off for the request/reply traffic of a block protocol:
 * each reply is acknowledged at once (tcp_nagle_disable on the PCB
 * handles the send side). */
#define LWIP_TCP_TIMESTAMPS		0

/* ---- checksums in software, both ways (QEMU's virtio-net offers
 * offloads we do not take: docs/drivers/virtio-net.md) */
#define CHECKSUM_GEN_IP			1
#define CHECKSUM_GEN_TCP		1
#define CHECKSUM_GEN_UDP		1
#define CHECKSUM_GEN_ICMP		1
#define CHECKSUM_CHECK_IP		1
#define CHECKSUM_CHECK_TCP		1
#define CHECKSUM_CHECK_UDP		1
#define CHECKSUM_CHECK_ICMP		1

/* ---- counters for the `net` command */
#define LWIP_STATS			1
#define LWIP_STATS_DISPLAY		0
#define LINK_STATS			1
#define ETHARP_STATS			1
#define IP_STATS			1
#define ICMP_STATS			1
#define UDP_STATS			1
#define TCP_STATS			1
#define MEM_STATS			1
#define MEMP_STATS			1

/* ---- hooks into the port */
#define LWIP_RAND()			lwip_port_rand()
#define LWIP_HOOK_FILENAME		"lwip_hooks.h"
/* A received frame that needed the memory reserves (net/lwip/memalloc.c);
 * lwIP's own flags use the low six bits. */
#define PBUF_FLAG_PFMEMALLOC		0x80U

#endif
