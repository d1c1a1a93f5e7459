/*
 * drivers/net/netdev.h - network interfaces as the drivers present them:
 * Ethernet frames out, Ethernet frames in. docs/drivers/virtio-net.md.
 *
 * The contract, driver side:
 * - The driver owns every buffer the device touches. Receive buffers are
 *   set aside when the device is brought up and handed back to the device
 *   after each frame is delivered: nothing on the receive path allocates
 *   (a machine out of memory still hears the packets that would free it,
 *   issue 18). Transmit copies the frame into one of the driver's own
 *   buffers before xmit() returns, so the caller may free or reuse its
 *   memory at once.
 * - xmit(dev, frags, n): one frame, the concatenation of n fragments
 *   (at most NETDEV_MAX_FRAGS, at most dev->mtu + 14 bytes in all, with
 *   the Ethernet header, no FCS). 0: queued. -EBUSY: no transmit buffer
 *   free now (dev->notify is called when one is). -EMSGSIZE: too long.
 *   -ENODEV: the device is gone. Any context; the driver locks.
 * - rx_poll(dev, budget, deliver): give at most budget received frames to
 *   deliver(dev, frame, len), one at a time, in arrival order; the frame's
 *   memory is the driver's and valid only during the call (the stack
 *   copies what it keeps). Returns how many were delivered; fewer than
 *   budget means none is left. Called from one thread at a time (the
 *   stack's), never from an interrupt.
 * - The driver calls dev->notify(dev) (if set) from any context, its
 *   interrupt handler included, when frames have arrived, a transmit
 *   buffer came free or the link changed. notify only wakes the stack;
 *   the work happens in rx_poll.
 * - Without interrupts (dev->irq_driven false) the stack calls rx_poll
 *   on a timer; poll(dev), if set, collects transmit completions too.
 *
 * Stack side: netdev_register() lists the device (named eth0, eth1... in
 * registration order); netdev_get(name) and netdev_next() find them. The
 * counters are the driver's to keep and anyone's to read.
 */
#ifndef DRIVERS_NET_NETDEV_H
#define DRIVERS_NET_NETDEV_H

#include "kernel/types.h"
#include "kernel/lib/list.h"

#define ETH_ALEN		6
#define ETH_HLEN		14
#define ETH_DATA_LEN		1500
#define NETDEV_MAX_FRAGS	16

struct device;
struct net_device;

struct net_frag {
	const void *data;
	unsigned int len;
};

struct net_device_ops {
	int (*xmit)(struct net_device *dev, const struct net_frag *frags,
		    unsigned int n);
	unsigned int (*rx_poll)(struct net_device *dev, unsigned int budget,
				void (*deliver)(struct net_device *dev,
						const void *frame,
						unsigned int len));
	/* Collect completed transmits without an interrupt (may be NULL). */
	void (*poll)(struct net_device *dev);
};

struct net_device_stats {
	unsigned long rx_packets, rx_bytes;
	unsigned long rx_errors;	/* frames the device marked bad, short */
	unsigned long rx_dropped;	/* good frames the stack did not keep */
	unsigned long tx_packets, tx_bytes;
	unsigned long tx_errors;	/* refused: too long, device gone */
	unsigned long tx_busy;		/* -EBUSY: no transmit buffer */
	unsigned long irqs;
};

struct net_device {
	char name[16];			/* eth0 ... (netdev_register) */
	char driver_name[24];		/* "virtio-net 0000:00:03.0" */
	uint8_t mac[ETH_ALEN];
	unsigned int mtu;		/* payload bytes, 1500 */
	bool link_up;			/* as the device last reported */
	bool irq_driven;
	unsigned int rx_ring, tx_ring;	/* buffers set aside, each way */
	const struct net_device_ops *ops;
	struct device *dma_dev;
	void *driver_data;
	struct net_device_stats stats;
	/* The stack's: */
	void (*notify)(struct net_device *dev);
	void *stack_data;
	struct list_head node;
};

/* List dev under the next free ethN name. */
void netdev_register(struct net_device *dev);
/* The device named name, or NULL. */
struct net_device *netdev_get(const char *name);
/* The device after prev in registration order (NULL: the first); NULL at
 * the end. */
struct net_device *netdev_next(struct net_device *prev);
/* "52:54:00:12:34:56" into buf (at least 18 bytes). */
char *netdev_format_mac(const uint8_t mac[ETH_ALEN], char *buf);

/* Called by the driver: wake the stack if it listens. */
static inline void netdev_notify(struct net_device *dev)
{
	void (*fn)(struct net_device *) = dev->notify;

	if (fn)
		fn(dev);
}

#endif
