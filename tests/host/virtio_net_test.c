/*
 * tests/host/virtio_net_test.c - the virtio-net driver (drivers/virtio/
 * virtio_net.c) on the host against a fake device: a transport whose
 * registers are variables and a "device" that reads the driver's split
 * rings in memory as QEMU would (the DMA API is direct on the host, so a
 * descriptor's address is the buffer's). What it proves: the features
 * taken and refused; every receive buffer posted at probe, whole-frame
 * sized, and reposted after delivery, round after round, with nothing
 * allocated; bad frames counted and their buffers reposted; transmit
 * copies into its own slots (header zeroed), -EBUSY when every slot is in
 * flight, slots freed by completions from the interrupt or xmit itself;
 * -EMSGSIZE; link and DEVICE_NEEDS_RESET from a configuration change, the
 * latter said once. Host only: each probe registers an ethN for good.
 */
#include "drivers/net/netdev.h"
#include "drivers/virtio/virtio.h"
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/page_alloc.h"
#include "tests/suites/vfs_testfs.h"

#define F_MAC		(1ULL << 5)
#define F_STATUS	(1ULL << 16)
#define F_CSUM		(1ULL << 0)
#define F_GUEST_CSUM	(1ULL << 1)
#define F_GUEST_TSO4	(1ULL << 7)
#define F_HOST_TSO4	(1ULL << 11)
#define F_MRG_RXBUF	(1ULL << 15)
#define F_VERSION_1	(1ULL << 32)
#define HDR		12
#define QMAX		16		/* the fake's queues: 16 entries */

static struct fake {
	struct virtio_device vdev;
	struct device dev;
	uint64_t offered;
	uint8_t status;
	uint8_t cfg[12];
	struct virtqueue *vqs[2];
	unsigned int kicks[2];
	uint16_t seen[2];		/* avail entries the device took */
} f;

static uint64_t fk_get_features(struct virtio_device *vdev)
{
	(void)vdev;
	return f.offered;
}

static int fk_finalize(struct virtio_device *vdev, uint64_t features)
{
	(void)vdev;
	(void)features;
	f.status |= VIRTIO_STATUS_FEATURES_OK;
	return 0;
}

static uint8_t fk_get_status(struct virtio_device *vdev)
{
	(void)vdev;
	return f.status;
}

static void fk_set_status(struct virtio_device *vdev, uint8_t s)
{
	(void)vdev;
	f.status = s;
}

static void fk_reset(struct virtio_device *vdev)
{
	(void)vdev;
	f.status = 0;
}

static uint64_t fk_read_config(struct virtio_device *vdev, unsigned int off,
			       unsigned int len)
{
	uint64_t v = 0;

	(void)vdev;
	for (unsigned int i = 0; i < len && off + i < sizeof(f.cfg); i++)
		v |= (uint64_t)f.cfg[off + i] << (8 * i);
	return v;
}

static struct virtqueue *fk_setup_vq(struct virtio_device *vdev,
				     unsigned int index, unsigned int max,
				     void (*callback)(struct virtqueue *vq))
{
	if (index > 1)
		return NULL;
	f.vqs[index] = vring_create_virtqueue(vdev, index, QMAX, max, callback);
	return f.vqs[index];
}

static void fk_notify(struct virtqueue *vq)
{
	f.kicks[vq->index]++;
}

static const struct virtio_config_ops fk_ops = {
	.get_features = fk_get_features,
	.finalize_features = fk_finalize,
	.get_status = fk_get_status,
	.set_status = fk_set_status,
	.reset = fk_reset,
	.read_config = fk_read_config,
	.setup_vq = fk_setup_vq,
	.notify = fk_notify,
};

static unsigned int notified;
static uint8_t fake_link;		/* the status field at probe */

static int fake_case_init(struct kunit *test)
{
	(void)test;
	fake_link = 1;
	return 0;
}

static void count_notify(struct net_device *dev)
{
	(void)dev;
	notified++;
}

static struct net_device *probed;

/* Probe a fake device offering features; its net_device (the last
 * registered) in probed. PROBE(offered): the same, as a value. */
#define PROBE(offered)	(fake_probe(test, offered), probed)
static void fake_probe(struct kunit *test, uint64_t offered)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
	struct net_device *dev = NULL, *next;

	KUNIT_ASSERT_TRUE(test, vfs_test_ensure_mm());
	memset(&f, 0, sizeof(f));
	dma_device_init(&f.dev, "fake-vnet");
	f.vdev.dma_dev = &f.dev;
	f.vdev.device_id = 1;
	f.vdev.config = &fk_ops;
	f.vdev.irq_driven = true;
	f.vdev.config_irq = true;
	ksnprintf(f.vdev.name, sizeof(f.vdev.name), "virtio@fake");
	f.offered = offered;
	memcpy(f.cfg, mac, 6);
	f.cfg[6] = fake_link;			/* VIRTIO_NET_S_LINK_UP */
	KUNIT_ASSERT_EQ(test, virtio_net_probe(&f.vdev), 0);
	while ((next = netdev_next(dev)))
		dev = next;
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_ASSERT_PTR_EQ(test, dev->dma_dev, &f.dev);
	notified = 0;
	dev->notify = count_notify;
	probed = dev;
}

static void *dma_to_host(uint64_t addr)
{
	return phys_to_virt((phys_addr_t)addr);
}

/* The device: a frame into the next posted receive buffer, with header
 * flags and gso_type; used length hdr + len unless used_len is given. */
static void fake_rx(struct kunit *test, const void *frame, unsigned int len,
		    uint8_t flags, uint8_t gso, int used_len)
{
	struct virtqueue *vq = f.vqs[0];
	uint16_t head;
	struct vring_desc *d;
	uint8_t *buf;

	KUNIT_ASSERT_NE(test, vq->avail->idx, f.seen[0]);	/* one posted */
	head = vq->avail->ring[f.seen[0]++ & (vq->num - 1)];
	d = &vq->desc[head];
	KUNIT_ASSERT_TRUE(test, d->flags & VRING_DESC_F_WRITE);
	KUNIT_ASSERT_FALSE(test, d->flags & VRING_DESC_F_NEXT);
	KUNIT_ASSERT_GE(test, d->len, HDR + len);
	buf = dma_to_host(d->addr);
	memset(buf, 0, HDR);
	buf[0] = flags;
	buf[1] = gso;
	memcpy(buf + HDR, frame, len);
	vq->used->ring[vq->used->idx & (vq->num - 1)] = (struct vring_used_elem){
		head, used_len >= 0 ? (uint32_t)used_len : HDR + len };
	__atomic_store_n(&vq->used->idx, (uint16_t)(vq->used->idx + 1),
			 __ATOMIC_RELEASE);
}

/* The device sends up to n queued transmits; the last one's bytes (after
 * the header) into out. How many it took. */
static unsigned int fake_tx(struct kunit *test, unsigned int n, uint8_t *out,
			    unsigned int *out_len)
{
	struct virtqueue *vq = f.vqs[1];
	unsigned int done = 0;

	while (done < n && vq->avail->idx != f.seen[1]) {
		uint16_t head = vq->avail->ring[f.seen[1]++ & (vq->num - 1)];
		struct vring_desc *d = &vq->desc[head];
		const uint8_t *buf = dma_to_host(d->addr);
		static const uint8_t zero[HDR];

		KUNIT_EXPECT_FALSE(test, d->flags & VRING_DESC_F_WRITE);
		KUNIT_EXPECT_FALSE(test, d->flags & VRING_DESC_F_NEXT);
		KUNIT_EXPECT_EQ(test, memcmp(buf, zero, HDR), 0);
		if (out) {
			memcpy(out, buf + HDR, d->len - HDR);
			*out_len = d->len - HDR;
		}
		vq->used->ring[vq->used->idx & (vq->num - 1)] =
			(struct vring_used_elem){ head, 0 };
		__atomic_store_n(&vq->used->idx, (uint16_t)(vq->used->idx + 1),
				 __ATOMIC_RELEASE);
		done++;
	}
	return done;
}

static struct {
	unsigned int n, len;
	uint8_t first;
} got;

static void take(struct net_device *dev, const void *frame, unsigned int len)
{
	(void)dev;
	got.n++;
	got.len = len;
	got.first = *(const uint8_t *)frame;
}

static void probe_takes_no_offloads_and_posts_every_rx_buffer(struct kunit *test)
{
	uint64_t all = F_MAC | F_STATUS | F_CSUM | F_GUEST_CSUM | F_GUEST_TSO4 |
		       F_HOST_TSO4 | F_MRG_RXBUF | F_VERSION_1;
	struct net_device *dev = PROBE(all);
	struct virtqueue *rvq = f.vqs[0];

	KUNIT_EXPECT_EQ(test, f.vdev.features, F_MAC | F_STATUS | F_VERSION_1);
	KUNIT_EXPECT_TRUE(test, f.status & VIRTIO_STATUS_DRIVER_OK);
	KUNIT_EXPECT_EQ(test, dev->rx_ring, (unsigned int)QMAX);
	KUNIT_EXPECT_EQ(test, dev->tx_ring, (unsigned int)QMAX);
	KUNIT_EXPECT_EQ(test, dev->mtu, 1500U);
	KUNIT_EXPECT_TRUE(test, dev->irq_driven);
	/* Every receive buffer is the device's, each 12 + 1514 bytes, one
	 * descriptor, device-writable; and kicked after DRIVER_OK. */
	KUNIT_EXPECT_EQ(test, rvq->num_free, 0U);
	KUNIT_EXPECT_EQ(test, rvq->avail->idx, (uint16_t)QMAX);
	for (unsigned int i = 0; i < QMAX; i++) {
		KUNIT_EXPECT_EQ(test, rvq->desc[i].len, (uint32_t)(HDR + 1514));
		KUNIT_EXPECT_EQ(test, rvq->desc[i].flags, (uint16_t)VRING_DESC_F_WRITE);
	}
	KUNIT_EXPECT_EQ(test, f.kicks[0], 1U);
	KUNIT_EXPECT_EQ(test, f.kicks[1], 0U);
	KUNIT_EXPECT_TRUE(test, glob_match("eth*", dev->name));
	KUNIT_EXPECT_STREQ(test, dev->driver_name, "virtio-net fake");
}

static void mac_and_link_from_config_or_made_up(struct kunit *test)
{
	static char log[512];
	struct net_device *dev = PROBE(F_MAC | F_STATUS | F_VERSION_1);

	KUNIT_EXPECT_EQ(test, dev->mac[3], 0xab);
	KUNIT_EXPECT_EQ(test, dev->mac[5], 0xef);
	KUNIT_EXPECT_TRUE(test, dev->link_up);
	fake_link = 0;				/* the status field: down */
	dev = PROBE(F_MAC | F_STATUS | F_VERSION_1);
	KUNIT_EXPECT_FALSE(test, dev->link_up);

	/* Neither offered: a locally administered unicast MAC, said so; the
	 * link is up whatever the status field says. */
	printk_capture_start(log, sizeof(log));
	dev = PROBE(F_VERSION_1);
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, dev->mac[0], 0x02);
	KUNIT_EXPECT_TRUE(test, dev->link_up);
	KUNIT_EXPECT_STR_CONTAINS(test, log, "locally administered");
	KUNIT_EXPECT_EQ(test, f.vdev.features, F_VERSION_1);
}

static void rx_delivers_after_the_header_and_reposts(struct kunit *test)
{
	struct net_device *dev = PROBE(F_MAC | F_STATUS | F_VERSION_1);
	struct virtqueue *rvq = f.vqs[0];
	uint8_t frame[1514];
	unsigned long free_before = node_free_pages(&contig_page_data);

	/* Three frames, a budget of two: two now (fewer would mean none
	 * left), the third next time, then none. */
	for (unsigned int i = 0; i < 3; i++) {
		memset(frame, 0x10 + i, sizeof(frame));
		fake_rx(test, frame, 60 + i, 0, 0, -1);
	}
	memset(&got, 0, sizeof(got));
	KUNIT_EXPECT_EQ(test, dev->ops->rx_poll(dev, 2, take), 2U);
	KUNIT_EXPECT_EQ(test, got.first, 0x11);
	KUNIT_EXPECT_EQ(test, got.len, 61U);
	KUNIT_EXPECT_EQ(test, rvq->avail->idx, (uint16_t)(QMAX + 2));	/* reposted */
	KUNIT_EXPECT_EQ(test, dev->ops->rx_poll(dev, 2, take), 1U);
	KUNIT_EXPECT_EQ(test, got.len, 62U);
	KUNIT_EXPECT_EQ(test, dev->ops->rx_poll(dev, 2, take), 0U);
	KUNIT_EXPECT_EQ(test, rvq->avail->idx, (uint16_t)(QMAX + 3));
	KUNIT_EXPECT_EQ(test, rvq->num_free, 0U);	/* all the device's */
	KUNIT_EXPECT_EQ(test, dev->stats.rx_packets, 3UL);
	KUNIT_EXPECT_EQ(test, dev->stats.rx_bytes, 183UL);

	/* Round after round through the ring, full-size frames: always a
	 * posted buffer, the frame right after a header, no page taken. */
	for (unsigned int i = 0; i < 5 * QMAX; i++) {
		memset(frame, i, sizeof(frame));
		fake_rx(test, frame, sizeof(frame), 0, 0, -1);
		KUNIT_ASSERT_EQ(test, dev->ops->rx_poll(dev, 8, take), 1U);
		KUNIT_ASSERT_EQ(test, got.len, 1514U);
		KUNIT_ASSERT_EQ(test, got.first, (uint8_t)i);
		KUNIT_ASSERT_EQ(test, rvq->num_free, 0U);
	}
	KUNIT_EXPECT_EQ(test, node_free_pages(&contig_page_data), free_before);
	KUNIT_EXPECT_EQ(test, dev->stats.rx_errors, 0UL);
	KUNIT_EXPECT_EQ(test, f.kicks[0], 1U + 2 + 5 * QMAX);	/* probe, then a kick a poll that reposted */
}

static void rx_bad_frames_count_errors_and_are_reposted(struct kunit *test)
{
	struct net_device *dev = PROBE(F_MAC | F_STATUS | F_VERSION_1);
	uint8_t frame[64] = { 0x42 };

	fake_rx(test, frame, 0, 0, 0, 8);		/* shorter than a header */
	fake_rx(test, frame, 10, 0, 0, -1);		/* than an Ethernet one */
	fake_rx(test, frame, 64, 1, 0, -1);		/* NEEDS_CSUM: refused */
	fake_rx(test, frame, 64, 0, 1, -1);		/* GSO TCPv4: refused */
	fake_rx(test, frame, 64, 0, 0, HDR + 1515);	/* past the buffer */
	fake_rx(test, frame, 64, 0, 0, -1);		/* a good one */
	memset(&got, 0, sizeof(got));
	KUNIT_EXPECT_EQ(test, dev->ops->rx_poll(dev, 16, take), 1U);
	KUNIT_EXPECT_EQ(test, got.n, 1U);
	KUNIT_EXPECT_EQ(test, got.len, 64U);
	KUNIT_EXPECT_EQ(test, dev->stats.rx_errors, 5UL);
	KUNIT_EXPECT_EQ(test, dev->stats.rx_packets, 1UL);
	KUNIT_EXPECT_EQ(test, f.vqs[0]->num_free, 0U);	/* all reposted */
}

static int send(struct net_device *dev, uint8_t tag, unsigned int len)
{
	static uint8_t a[1600], b[1600];
	struct net_frag frags[2] = { { a, 14 }, { b, len - 14 } };
	int r;

	memset(a, tag, sizeof(a));
	memset(b, tag + 1, sizeof(b));
	r = dev->ops->xmit(dev, frags, 2);
	memset(a, 0xee, sizeof(a));		/* the caller may reuse it */
	memset(b, 0xee, sizeof(b));
	return r;
}

static void tx_copies_busy_when_full_freed_by_completion(struct kunit *test)
{
	struct net_device *dev = PROBE(F_MAC | F_STATUS | F_VERSION_1);
	uint8_t out[1600];
	unsigned int len = 0;

	/* Copied whole before xmit returned; header zero (fake_tx checks). */
	KUNIT_ASSERT_EQ(test, send(dev, 1, 60), 0);
	KUNIT_EXPECT_EQ(test, f.kicks[1], 1U);
	KUNIT_ASSERT_EQ(test, fake_tx(test, 1, out, &len), 1U);
	KUNIT_EXPECT_EQ(test, len, 60U);
	KUNIT_EXPECT_EQ(test, out[0], 1);
	KUNIT_EXPECT_EQ(test, out[13], 1);
	KUNIT_EXPECT_EQ(test, out[14], 2);
	KUNIT_EXPECT_EQ(test, out[59], 2);

	/* Every slot in flight (the completion above not reaped yet: xmit
	 * reaps only when it finds none free): then -EBUSY, counted. */
	for (unsigned int i = 0; i < QMAX; i++)
		KUNIT_ASSERT_EQ(test, send(dev, (uint8_t)(10 + i), 100), 0);
	KUNIT_EXPECT_EQ(test, send(dev, 99, 100), -EBUSY);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_busy, 1UL);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_packets, (unsigned long)QMAX + 1);

	/* The device sends two; the interrupt frees their slots and wakes
	 * the stack; two more go, the third is busy again. */
	KUNIT_ASSERT_EQ(test, fake_tx(test, 2, out, &len), 2U);
	KUNIT_EXPECT_EQ(test, out[0], 11);		/* in order, intact */
	notified = 0;
	KUNIT_EXPECT_EQ(test, f.vqs[1]->num_free, 0U);
	vring_interrupt(f.vqs[1]);
	KUNIT_EXPECT_EQ(test, notified, 1U);
	KUNIT_EXPECT_EQ(test, f.vqs[1]->num_free, 2U);	/* reaped there */
	KUNIT_EXPECT_EQ(test, send(dev, 50, 100), 0);
	KUNIT_EXPECT_EQ(test, send(dev, 51, 100), 0);
	KUNIT_EXPECT_EQ(test, send(dev, 52, 100), -EBUSY);

	/* Without the interrupt, xmit reaps for itself. */
	KUNIT_ASSERT_EQ(test, fake_tx(test, 1, out, &len), 1U);
	KUNIT_EXPECT_EQ(test, send(dev, 53, 100), 0);
	/* Everything the device took came out as sent, slot reuse or not. */
	while (fake_tx(test, 1, out, &len))
		KUNIT_EXPECT_EQ(test, out[99], (uint8_t)(out[0] + 1));
	KUNIT_EXPECT_EQ(test, out[0], 53);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_errors, 0UL);
}

static void tx_refuses_oversized(struct kunit *test)
{
	struct net_device *dev = PROBE(F_MAC | F_STATUS | F_VERSION_1);

	KUNIT_EXPECT_EQ(test, send(dev, 1, 1515), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_errors, 1UL);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_packets, 0UL);
	KUNIT_EXPECT_EQ(test, send(dev, 1, 1514), 0);	/* the largest */
	KUNIT_EXPECT_EQ(test, dev->stats.tx_bytes, 1514UL);
}

static void config_change_link_and_needs_reset_said_once(struct kunit *test)
{
	static char log[1024];
	struct net_device *dev = PROBE(F_MAC | F_STATUS | F_VERSION_1);
	const char *p;
	unsigned int said = 0;

	/* The link goes down: heard from the configuration interrupt. */
	f.cfg[6] = 0;
	notified = 0;
	virtio_config_changed(&f.vdev);
	KUNIT_EXPECT_FALSE(test, dev->link_up);
	KUNIT_EXPECT_EQ(test, notified, 1U);
	KUNIT_EXPECT_EQ(test, send(dev, 1, 60), 0);	/* still alive */

	/* The device needs a reset: said once, however often asked, and
	 * xmit refuses from then on. */
	printk_capture_start(log, sizeof(log));
	f.status |= VIRTIO_STATUS_NEEDS_RESET;
	virtio_config_changed(&f.vdev);
	virtio_config_changed(&f.vdev);
	KUNIT_EXPECT_EQ(test, send(dev, 1, 60), -ENODEV);
	KUNIT_EXPECT_EQ(test, send(dev, 1, 60), -ENODEV);
	printk_capture_stop();
	for (p = log; (p = strstr(p, "needs a reset")); p++)
		said++;
	KUNIT_EXPECT_EQ(test, said, 1U);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_errors, 2UL);

	/* One that reads all ones is gone: noticed when the ring fills. */
	dev = PROBE(F_MAC | F_STATUS | F_VERSION_1);
	for (unsigned int i = 0; i < QMAX; i++)
		KUNIT_ASSERT_EQ(test, send(dev, 1, 60), 0);
	f.status = 0xff;
	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_EQ(test, send(dev, 1, 60), -ENODEV);
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, log, "the device is gone");
}

static struct kunit_case virtio_net_fake_cases[] = {
	KUNIT_CASE(probe_takes_no_offloads_and_posts_every_rx_buffer),
	KUNIT_CASE(mac_and_link_from_config_or_made_up),
	KUNIT_CASE(rx_delivers_after_the_header_and_reposts),
	KUNIT_CASE(rx_bad_frames_count_errors_and_are_reposted),
	KUNIT_CASE(tx_copies_busy_when_full_freed_by_completion),
	KUNIT_CASE(tx_refuses_oversized),
	KUNIT_CASE(config_change_link_and_needs_reset_said_once),
	{}
};

static struct kunit_suite virtio_net_fake_suite = {
	.name = "virtio_net_fake",
	.init = fake_case_init,
	.test_cases = virtio_net_fake_cases,
};
kunit_test_suite(virtio_net_fake_suite);
