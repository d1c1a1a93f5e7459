/*
 * drivers/virtio/virtio_net.c - virtio network devices (virtio v1.2 sec.
 * 5.1) behind the netdev contract (drivers/net/netdev.h).
 * docs/drivers/virtio-net.md.
 *
 * One receive queue (0) and one transmit queue (1). No offloads: no
 * checksum, no segmentation, no merged receive buffers, so every frame
 * travels whole in one buffer behind a 12-byte virtio_net_hdr (the
 * VERSION_1 layout, num_buffers included), and one descriptor carries it.
 *
 * Every buffer the device touches is set aside at probe, in two coherent
 * DMA blocks, one buffer per queue entry: the receive buffers are all
 * posted then and reposted as rx_poll() hands each frame to the stack, so
 * receiving never allocates (a machine out of memory must still hear the
 * packets that free it); xmit() copies a frame into a free transmit slot
 * and a completion frees the slot. Nothing is mapped per packet.
 *
 * Locking: tx_lock (irqsave) covers the transmit queue, its free slots
 * and the transmit counters; the interrupt reaps completions under it.
 * The receive queue is rx_poll's alone (the contract: one thread, never
 * an interrupt); its interrupt only wakes the stack.
 */
#include "drivers/net/netdev.h"
#include "drivers/virtio/virtio.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"

#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16
#define VIRTIO_NET_S_LINK_UP	1

/* Device configuration (sec. 5.1.4): mac[6], then le16 status. */
#define VNET_CFG_MAC		0
#define VNET_CFG_STATUS		6

#define VIRTIO_NET_HDR_F_NEEDS_CSUM	1
#define VIRTIO_NET_HDR_GSO_NONE		0

struct virtio_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;		/* VERSION_1: always present */
};

#define VNET_HDR_LEN	sizeof(struct virtio_net_hdr)	/* 12 */
#define VNET_FRAME_MAX	(ETH_HLEN + ETH_DATA_LEN)	/* 1514, no FCS */
#define VNET_BUF_LEN	(VNET_HDR_LEN + VNET_FRAME_MAX)	/* 1526: 5.1.6.3.1 */
#define VNET_BUF_STRIDE	1536		/* buffers 64-byte aligned */
#define VNET_RX_MAX	128		/* buffers set aside for receive */
#define VNET_TX_MAX	64		/* and for transmit */
/* Without configuration interrupts rx_poll re-reads the link every this
 * many calls (a config read is a VM exit: not on every call). */
#define VNET_LINK_POLL	64

struct virtio_net {
	struct net_device ndev;
	struct virtio_device *vdev;
	struct virtqueue *rvq, *tvq;
	uint8_t *rx_buf, *tx_buf;	/* coherent: nr_rx / nr_tx strides */
	dma_addr_t rx_dma, tx_dma;
	unsigned int nr_rx, nr_tx;
	uint16_t tx_free[VNET_TX_MAX];	/* free slot numbers, a stack */
	unsigned int nr_tx_free;
	spinlock_t tx_lock;
	bool gone;			/* said once; xmit refuses */
	unsigned int link_poll;
	unsigned long config_changes;
};

static struct virtio_net *to_vnet(struct net_device *dev)
{
	return dev->driver_data;
}

/*
 * Has the device given up? One that sets DEVICE_NEEDS_RESET (sec. 2.1.2)
 * answers nothing more until reset; one that was unplugged reads all
 * ones. Said once with pr_err; from then on xmit returns -ENODEV. Asked
 * only when something looks wrong (a configuration change, a full
 * transmit ring, the polled path), since a register read is a VM exit.
 */
static bool vnet_check_gone(struct virtio_net *vn)
{
	uint8_t st;
	const char *why = NULL;

	if (READ_ONCE(vn->gone))
		return true;
	st = vn->vdev->config->get_status(vn->vdev);
	if (st == 0xff)
		why = "the device is gone";
	else if (st & VIRTIO_STATUS_NEEDS_RESET)
		why = "the device needs a reset";
	if (!why)
		return false;
	if (!__atomic_exchange_n(&vn->gone, true, __ATOMIC_SEQ_CST))
		pr_err("virtio-net %s: %s (status 0x%02x): no more frames\n",
		       vn->ndev.name, why, st);
	return true;
}

/* Read the link from the configuration (up when STATUS was not offered,
 * sec. 5.1.4.2). true if it changed. */
static bool vnet_read_link(struct virtio_net *vn)
{
	bool up = true;

	if (virtio_has_feature(vn->vdev, VIRTIO_NET_F_STATUS))
		up = vn->vdev->config->read_config(vn->vdev, VNET_CFG_STATUS, 2) &
		     VIRTIO_NET_S_LINK_UP;
	if (up == READ_ONCE(vn->ndev.link_up))
		return false;
	WRITE_ONCE(vn->ndev.link_up, up);
	return true;
}

/* Free the slots of finished transmits. How many. tx_lock held. */
static unsigned int vnet_reap_tx_locked(struct virtio_net *vn)
{
	unsigned int n = 0;
	uint8_t *buf;

	while ((buf = virtqueue_get_buf(vn->tvq, NULL))) {
		vn->tx_free[vn->nr_tx_free++] =
			(uint16_t)((buf - vn->tx_buf) / VNET_BUF_STRIDE);
		n++;
	}
	return n;
}

static unsigned int vnet_reap_tx(struct virtio_net *vn)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&vn->tx_lock, flags);
	n = vnet_reap_tx_locked(vn);
	spin_unlock_irqrestore(&vn->tx_lock, flags);
	return n;
}

/* Hand receive buffer i to the device (no kick). Cannot fail: the queue
 * has one entry per buffer and a buffer is posted at most once. */
static void vnet_post_rx(struct virtio_net *vn, unsigned int i)
{
	struct vq_buf b = { vn->rx_dma + (dma_addr_t)i * VNET_BUF_STRIDE,
			    VNET_BUF_LEN, true };

	virtqueue_add(vn->rvq, &b, 1, vn->rx_buf + (size_t)i * VNET_BUF_STRIDE);
}

static int vnet_xmit(struct net_device *dev, const struct net_frag *frags,
		     unsigned int n)
{
	struct virtio_net *vn = to_vnet(dev);
	unsigned int total = 0, slot;
	unsigned long flags;
	uint8_t *buf, *p;
	struct vq_buf b;

	if (n > NETDEV_MAX_FRAGS)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++)
		total += frags[i].len;
	spin_lock_irqsave(&vn->tx_lock, flags);
	if (total > dev->mtu + ETH_HLEN || total < ETH_HLEN ||
	    READ_ONCE(vn->gone)) {
		int err = READ_ONCE(vn->gone) ? -ENODEV :
			  total < ETH_HLEN ? -EINVAL : -EMSGSIZE;

		dev->stats.tx_errors++;
		spin_unlock_irqrestore(&vn->tx_lock, flags);
		return err;
	}
	if (!vn->nr_tx_free)
		vnet_reap_tx_locked(vn);
	if (!vn->nr_tx_free) {
		/* Full: busy, or a device that stopped taking frames. */
		int err = vnet_check_gone(vn) ? -ENODEV : -EBUSY;

		if (err == -ENODEV)
			dev->stats.tx_errors++;
		else
			dev->stats.tx_busy++;
		spin_unlock_irqrestore(&vn->tx_lock, flags);
		return err;
	}
	slot = vn->tx_free[--vn->nr_tx_free];
	buf = vn->tx_buf + (size_t)slot * VNET_BUF_STRIDE;
	memset(buf, 0, VNET_HDR_LEN);		/* no offloads asked for */
	p = buf + VNET_HDR_LEN;
	for (unsigned int i = 0; i < n; i++) {
		memcpy(p, frags[i].data, frags[i].len);
		p += frags[i].len;
	}
	b = (struct vq_buf){ vn->tx_dma + (dma_addr_t)slot * VNET_BUF_STRIDE,
			     (uint32_t)(VNET_HDR_LEN + total), false };
	if (virtqueue_add(vn->tvq, &b, 1, buf)) {
		/* Not reached: one descriptor per slot. Be safe anyway. */
		vn->tx_free[vn->nr_tx_free++] = (uint16_t)slot;
		dev->stats.tx_busy++;
		spin_unlock_irqrestore(&vn->tx_lock, flags);
		return -EBUSY;
	}
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += total;
	virtqueue_kick(vn->tvq);
	spin_unlock_irqrestore(&vn->tx_lock, flags);
	return 0;
}

/*
 * A frame the device wrote: is it one to deliver? Not if shorter than a
 * header and an Ethernet header, longer than the buffer, or carrying
 * what we refused: a partial checksum (CSUM not negotiated, so the frame
 * as it stands is wrong) or a segmentation type. num_buffers is not
 * checked: without MRG_RXBUF the spec wants 1, but devices have not
 * always set it (Linux's vhost-net did not until 2025) and nothing here
 * needs it.
 */
static bool vnet_rx_good(const struct virtio_net_hdr *h, uint32_t len)
{
	if (len < VNET_HDR_LEN + ETH_HLEN || len > VNET_BUF_LEN)
		return false;
	return !(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
	       h->gso_type == VIRTIO_NET_HDR_GSO_NONE;
}

static unsigned int vnet_rx_poll(struct net_device *dev, unsigned int budget,
				 void (*deliver)(struct net_device *dev,
						 const void *frame,
						 unsigned int len))
{
	struct virtio_net *vn = to_vnet(dev);
	unsigned int done = 0, reposted = 0;
	uint8_t *buf;
	uint32_t len;

	if (!vn->vdev->config_irq && ++vn->link_poll >= VNET_LINK_POLL) {
		vn->link_poll = 0;
		if (vnet_read_link(vn))
			netdev_notify(dev);
	}
	while (done < budget && (buf = virtqueue_get_buf(vn->rvq, &len))) {
		unsigned int i = (unsigned int)((buf - vn->rx_buf) / VNET_BUF_STRIDE);

		if (vnet_rx_good((const struct virtio_net_hdr *)buf, len)) {
			deliver(dev, buf + VNET_HDR_LEN, len - VNET_HDR_LEN);
			dev->stats.rx_packets++;
			dev->stats.rx_bytes += len - VNET_HDR_LEN;
			done++;
		} else {
			dev->stats.rx_errors++;
		}
		vnet_post_rx(vn, i);		/* the stack copied what it keeps */
		reposted++;
	}
	if (reposted)
		virtqueue_kick(vn->rvq);
	return done;
}

/* Without interrupts (the stack's timer): collect finished transmits,
 * and look at the device and the link, which nothing else would. */
static void vnet_poll(struct net_device *dev)
{
	struct virtio_net *vn = to_vnet(dev);
	bool changed;

	changed = vnet_reap_tx(vn) > 0;
	if (!vn->vdev->irq_driven || !vn->vdev->config_irq) {
		vnet_check_gone(vn);
		changed |= vnet_read_link(vn);
	}
	if (changed)
		netdev_notify(dev);
}

static const struct net_device_ops vnet_ops = {
	.xmit = vnet_xmit,
	.rx_poll = vnet_rx_poll,
	.poll = vnet_poll,
};

/* Frames arrived: wake the stack, which takes them in rx_poll. */
static void vnet_rx_done(struct virtqueue *vq)
{
	struct virtio_net *vn = vq->vdev->priv;

	if (!vn)			/* a probe that failed */
		return;
	__atomic_add_fetch(&vn->ndev.stats.irqs, 1, __ATOMIC_RELAXED);
	netdev_notify(&vn->ndev);
}

/* Transmits finished: free their slots and say a slot is free. */
static void vnet_tx_done(struct virtqueue *vq)
{
	struct virtio_net *vn = vq->vdev->priv;

	if (!vn)
		return;
	__atomic_add_fetch(&vn->ndev.stats.irqs, 1, __ATOMIC_RELAXED);
	if (vnet_reap_tx(vn))
		netdev_notify(&vn->ndev);
}

/* The configuration changed: the link, or the device gave up. */
static void vnet_config_changed(struct virtio_device *vdev)
{
	struct virtio_net *vn = vdev->priv;

	vn->config_changes++;
	__atomic_add_fetch(&vn->ndev.stats.irqs, 1, __ATOMIC_RELAXED);
	vnet_check_gone(vn);
	vnet_read_link(vn);
	netdev_notify(&vn->ndev);
}

/* A locally administered unicast address (first byte 0x02), the same on
 * every boot for the same transport: a hash of its name. */
static void vnet_make_mac(struct virtio_net *vn, uint8_t mac[ETH_ALEN])
{
	uint32_t h = 2166136261u;		/* FNV-1a */

	for (const char *s = vn->vdev->name; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	mac[0] = 0x02;
	mac[1] = 0x00;
	for (int i = 0; i < 4; i++)
		mac[2 + i] = (uint8_t)(h >> (8 * i));
}

int virtio_net_probe(struct virtio_device *vdev)
{
	const struct virtio_config_ops *c = vdev->config;
	uint64_t want = (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS);
	struct virtio_net *vn;
	struct net_device *nd;
	const char *where;
	char mac[18];

	if (virtio_negotiate(vdev, want)) {
		pr_err("virtio-net %s: feature negotiation failed\n", vdev->name);
		return -EIO;
	}
	vn = kzalloc(sizeof(*vn), GFP_KERNEL);
	if (!vn) {
		c->set_status(vdev, VIRTIO_STATUS_FAILED);
		return -ENOMEM;
	}
	vdev->priv = vn;
	vn->vdev = vdev;
	spin_lock_init(&vn->tx_lock, "virtio-net tx");
	dma_set_mask_and_coherent(vdev->dma_dev, DMA_BIT_MASK(64));
	vn->rvq = c->setup_vq(vdev, 0, VNET_RX_MAX, vnet_rx_done);
	vn->tvq = vn->rvq ? c->setup_vq(vdev, 1, VNET_TX_MAX, vnet_tx_done) : NULL;
	if (!vn->tvq) {
		pr_err("virtio-net %s: cannot set up the receive and transmit "
		       "queues\n", vdev->name);
		goto fail;
	}
	vn->nr_rx = vn->rvq->num;
	vn->nr_tx = vn->tvq->num;
	vn->rx_buf = dma_alloc_coherent(vdev->dma_dev,
					(size_t)vn->nr_rx * VNET_BUF_STRIDE,
					&vn->rx_dma, GFP_KERNEL);
	vn->tx_buf = dma_alloc_coherent(vdev->dma_dev,
					(size_t)vn->nr_tx * VNET_BUF_STRIDE,
					&vn->tx_dma, GFP_KERNEL);
	if (!vn->rx_buf || !vn->tx_buf) {
		pr_err("virtio-net %s: no memory for %u + %u buffers\n",
		       vdev->name, vn->nr_rx, vn->nr_tx);
		goto fail;
	}
	for (unsigned int i = 0; i < vn->nr_tx; i++)
		vn->tx_free[i] = (uint16_t)(vn->nr_tx - 1 - i);
	vn->nr_tx_free = vn->nr_tx;
	for (unsigned int i = 0; i < vn->nr_rx; i++)
		vnet_post_rx(vn, i);

	nd = &vn->ndev;
	where = vdev->name;
	if (!strncmp(where, "virtio@", 7))
		where += 7;
	ksnprintf(nd->driver_name, sizeof(nd->driver_name), "virtio-net %s",
		  where);
	if (virtio_has_feature(vdev, VIRTIO_NET_F_MAC))
		for (unsigned int i = 0; i < ETH_ALEN; i++)
			nd->mac[i] = (uint8_t)c->read_config(vdev, VNET_CFG_MAC + i, 1);
	else
		vnet_make_mac(vn, nd->mac);
	nd->mtu = ETH_DATA_LEN;
	nd->link_up = !virtio_has_feature(vdev, VIRTIO_NET_F_STATUS);
	vnet_read_link(vn);
	nd->irq_driven = vdev->irq_driven;
	nd->rx_ring = vn->nr_rx;
	nd->tx_ring = vn->nr_tx;
	nd->ops = &vnet_ops;
	nd->dma_dev = vdev->dma_dev;
	nd->driver_data = vn;
	vdev->config_changed = vnet_config_changed;
	/* Buffers are posted, but no notification before DRIVER_OK (sec.
	 * 3.1.1): kick after it. */
	c->set_status(vdev, c->get_status(vdev) | VIRTIO_STATUS_DRIVER_OK);
	virtqueue_kick(vn->rvq);
	netdev_register(nd);
	netdev_format_mac(nd->mac, mac);
	if (!virtio_has_feature(vdev, VIRTIO_NET_F_MAC))
		pr_info("virtio-net %s: the device offers no MAC address; using "
			"the locally administered %s\n", nd->name, mac);
	pr_info("virtio-net %s: %s, MAC %s, link %s, rx %u x %u bytes, tx %u "
		"x %u bytes, %s, configuration changes %s, features 0x%llx\n",
		nd->name, vdev->name, mac, nd->link_up ? "up" : "down",
		vn->nr_rx, (unsigned int)VNET_BUF_LEN, vn->nr_tx,
		(unsigned int)VNET_BUF_LEN,
		vdev->irq_driven ? "interrupts" : "polled",
		vdev->config_irq ? "interrupt" : "polled",
		(unsigned long long)vdev->features);
	return 0;

fail:
	/* The queues stay with the transport (nothing takes them back). */
	c->set_status(vdev, VIRTIO_STATUS_FAILED);
	vdev->priv = NULL;
	if (vn->rx_buf)
		dma_free_coherent(vdev->dma_dev, (size_t)vn->nr_rx * VNET_BUF_STRIDE,
				  vn->rx_buf, vn->rx_dma);
	if (vn->tx_buf)
		dma_free_coherent(vdev->dma_dev, (size_t)vn->nr_tx * VNET_BUF_STRIDE,
				  vn->tx_buf, vn->tx_dma);
	kfree(vn);
	return -ENOMEM;
}
