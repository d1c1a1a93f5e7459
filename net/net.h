/*
 * net/net.h - the network stack: lwIP (Debian's source, built under
 * build/) run by one kernel thread, netd, over the interfaces the drivers
 * registered (drivers/net/netdev.h). docs/net/lwip.md.
 *
 * Every lwIP call is made by netd. Another thread that wants the stack to
 * act runs a function in netd with net_call() and waits for it; what lwIP
 * calls back (a TCP segment received, an ICMP reply) runs in netd too.
 *
 * Configuration at boot: `ip=ADDR/PREFIX[,GW]` gives the first interface
 * a static IPv4 address (ip=10.0.2.15/24,10.0.2.2), `ip=dhcp` asks a DHCP
 * server; without ip= the interfaces are up with no address. A malformed
 * ip= is reported and ignored.
 */
#ifndef NET_NET_H
#define NET_NET_H

#include "kernel/types.h"

/* Start netd and attach every registered interface (after the drivers
 * probed: pci_init, virtio_mmio_init). */
void net_init(void);

/* Is the stack running (an interface exists and netd started)? */
bool net_ready(void);

/* Run fn(arg) in netd and return its result; from netd itself, call it.
 * May sleep: not from interrupts or with locks held. -ENODEV when the
 * stack is not running. */
int net_call(int (*fn)(void *arg), void *arg);

/*
 * Take dev from the stack for a test that drives the device itself (the
 * virtio_net suite): netd stops polling it and dev->notify is cleared
 * until net_device_resume. Frames that arrive meanwhile are the test's.
 * Nothing happens for a device the stack does not have. May sleep.
 */
struct net_device;
void net_device_pause(struct net_device *dev);
void net_device_resume(struct net_device *dev);

/* Wake netd (a driver's notify, a timer): any context. */
void net_wake(void);

/*
 * ICMP echo to addr (host order) with a payload of size bytes, waiting at
 * most timeout_ms for the reply: 0 and the round trip in *rtt_ns and the
 * reply's TTL in *ttl, -ETIMEDOUT, -ENETUNREACH (no interface has an
 * address), -ENOMEM.
 */
int net_ping(uint32_t addr, unsigned int size, unsigned int seq,
	     unsigned int timeout_ms, uint64_t *rtt_ns, unsigned int *ttl);

/* An interface's state, for the console: index counts from 0 in
 * registration order. 0, -ENOENT past the last, -ENODEV without a
 * stack. */
struct net_device;
struct net_if_status {
	unsigned int index;
	struct net_device *dev;
	uint32_t addr, mask, gw;	/* host order; 0: none */
	bool dhcp, up, link;
};
int net_if_status(unsigned int index, struct net_if_status *st);

/*
 * Wait until the first interface has an address (ip=dhcp: until the
 * DHCP server answered), at most timeout_ms. 0 (saying how long it took
 * when it had to wait), -ETIMEDOUT, -ENETUNREACH (no address and no
 * DHCP to give one), -ENODEV (no stack). May sleep. For what needs the
 * network at boot (nbd=), as Linux's ip=dhcp holds the boot until the
 * lease.
 */
int net_wait_address(unsigned int timeout_ms);

/*
 * Slab objects the stack holds now (of kmem_objects_in_use_total). They
 * come and go on the stack's own clock - a connection's TIME_WAIT ends
 * two minutes after it closed, ARP entries expire, segments are
 * retransmitted - so a leak check of something else leaves them out
 * (tests/kernel/mem_check.c). Read without a lock: exact when netd is
 * idle.
 */
unsigned long net_slab_objects(void);

#endif
