/*
 * net/nbd.h - network block devices: nbd0, nbd1... backed by an NBD
 * server over TCP (docs/net/nbd.md), usable by ext2 and as swap.
 *
 *	nbd=10.0.2.100:10809/swap	(boot) nbd0, before swap= is read
 *	mm> nbd connect 10.0.2.100:10809 swap
 *	mm> nbd				the devices, their state and counters
 *	mm> nbd disconnect nbd0
 *
 * The protocol is net/nbd_proto.h; this is the block device around it
 * (net/nbd_kthread.c): two threads per device, one sending requests and
 * one receiving replies and reconnecting. Their memory is set aside when
 * the device is made (a table of NBD_SLOTS requests in flight, a receive
 * buffer), and their connection is a memalloc socket (net/sock.h), so
 * swapping out to the device never waits for memory
 * (docs/mm/swap-over-network.md).
 *
 * Server restarts: when the connection drops, requests in flight stay in
 * the table and new ones wait; the receiving thread connects again with
 * back-off (100 ms doubling to 2 s) and resends them. Processes that need
 * those pages wait; nothing is lost. Past nbd.timeout= seconds (default
 * 60) without a connection the device is dead (blk_mark_dead): what it
 * holds fails with -ENODEV and swap treats it as a dead area (issue 16).
 */
#ifndef NET_NBD_H
#define NET_NBD_H

#include "kernel/types.h"

#define NBD_SLOTS	64	/* requests in flight per device */
#define NBD_MAX_DEVICES	4

/*
 * Connect to addr:port (host order), negotiate export, and register the
 * block device (its name in name, at least 16 bytes). 0, or -errno with
 * why (at least 160 bytes) saying what failed: the connection, the
 * server's refusal (its message quoted), the protocol.
 */
int nbd_connect(uint32_t addr, uint16_t port, const char *export,
		char *name, char *why, size_t why_len);

/*
 * Close device name (nbd0...) cleanly: requests already submitted are
 * answered, then NBD_CMD_DISC, then the connection is closed (cut if the
 * server has not closed it within a second). The device stays, refusing
 * requests ("disconnected" in `nbd`). 0 with why saying how it closed,
 * or -errno with why: -ENODEV no such device, -ENOTCONN not connected
 * (reconnecting, dead, disconnected), -EBUSY in use (mounted, swap) or
 * requests that never drained.
 */
int nbd_disconnect(const char *name, char *why, size_t why_len);

/* nbd=ADDR:PORT/EXPORT at boot (after the network is up). */
void nbd_boot_init(void);

#endif
