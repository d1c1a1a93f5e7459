/*
 * tests/kernel/virtio_net_test.c - virtio-net through the netdev contract
 * (drivers/net/netdev.h) with no TCP/IP stack: the frames are built and
 * read here, by hand, against QEMU's user-mode network started with
 * restrict=on (tools/run-tests: the disk configurations carry a NIC).
 * Every frame goes to slirp's own addresses (its gateway 10.0.2.2 and
 * name server 10.0.2.3, answered inside QEMU); restrict=on keeps anything
 * from leaving the user network even by mistake.
 *
 * What it proves: an ARP request built from the device's MAC goes out and
 * slirp's reply comes back with the right fields (so transmit and receive
 * both work, through the IOMMU where there is one); an ICMP echo of the
 * largest frame (1514 bytes) to the gateway comes back whole (receive
 * buffers hold a full frame); too long a frame is refused with -EMSGSIZE;
 * the counters move; with interrupts, an arrival calls dev->notify with no
 * polling; and a burst of 500 frames, more than the transmit ring, gets
 * only 0 or -EBUSY, and the replies that come back are well formed.
 * Skipped ("no virtio-net device") without a NIC.
 */
#include "drivers/net/netdev.h"
#include "net/net.h"
#include "kernel/device.h"
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/time.h"
#include "mm/dma-iommu.h"
#include <arch/cpu.h>

#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define WAIT_NS		5000000000ULL	/* a hang check, not a measurement */
#define BURST		500

static const uint8_t our_ip[4] = { 10, 0, 2, 15 };	/* slirp's DHCP guest */
static const uint8_t gw_ip[4] = { 10, 0, 2, 2 };
static const uint8_t dns_ip[4] = { 10, 0, 2, 3 };
static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* What deliver() saw; reset by each case. */
static struct {
	struct net_device *dev;
	unsigned int frames;
	unsigned int wrong_dev;		/* deliver() given another device */
	unsigned int arp_replies;	/* well formed, to us */
	unsigned int arp_from[2];	/* of them from 10.0.2.2, .3 */
	unsigned int bad_arp_replies;	/* to us, but a field wrong */
	unsigned int echo_replies;	/* matching id, whole payload */
	unsigned int echo_len;
	uint8_t gw_mac[ETH_ALEN];
	uint16_t echo_id;
	unsigned int echo_payload;
} rx;

static volatile unsigned int notified;

static void count_notify(struct net_device *dev)
{
	(void)dev;
	__atomic_add_fetch(&notified, 1, __ATOMIC_RELAXED);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* The Internet checksum (RFC 1071) of len bytes. */
static uint16_t csum(const uint8_t *p, unsigned int len)
{
	uint32_t sum = 0;

	for (unsigned int i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint8_t payload_byte(unsigned int i)
{
	return (uint8_t)(i * 7 + 3);
}

/* An ARP reply (opcode 2) from slirp to us: sender 10.0.2.2 or .3, target
 * our MAC and IP. Counts it as good or bad; ignores other frames. */
static void check_arp(const uint8_t *f, unsigned int len)
{
	const uint8_t *a = f + ETH_HLEN;
	bool ok;

	if (len < ETH_HLEN + 28 || get16(f + 12) != ETH_P_ARP ||
	    get16(a + 6) != 2 || memcmp(f, rx.dev->mac, ETH_ALEN))
		return;
	ok = get16(a) == 1 && get16(a + 2) == ETH_P_IP && a[4] == 6 && a[5] == 4 &&
	     (!memcmp(a + 14, gw_ip, 4) || !memcmp(a + 14, dns_ip, 4)) &&
	     !memcmp(a + 18, rx.dev->mac, ETH_ALEN) && !memcmp(a + 24, our_ip, 4) &&
	     !memcmp(a + 8, f + 6, ETH_ALEN);
	if (!ok) {
		rx.bad_arp_replies++;
		return;
	}
	rx.arp_replies++;
	rx.arp_from[!memcmp(a + 14, dns_ip, 4)]++;
	if (!memcmp(a + 14, gw_ip, 4))
		memcpy(rx.gw_mac, a + 8, ETH_ALEN);
}

/* An ICMP echo reply from the gateway with our id and the whole payload. */
static void check_echo(const uint8_t *f, unsigned int len)
{
	const uint8_t *ip = f + ETH_HLEN, *icmp;
	unsigned int ihl;

	if (len < ETH_HLEN + 28 || get16(f + 12) != ETH_P_IP ||
	    memcmp(f, rx.dev->mac, ETH_ALEN) || ip[9] != 1 ||
	    memcmp(ip + 12, gw_ip, 4) || memcmp(ip + 16, our_ip, 4))
		return;
	ihl = (ip[0] & 15) * 4;
	icmp = ip + ihl;
	if (len < ETH_HLEN + ihl + 8 + rx.echo_payload || icmp[0] != 0 ||
	    get16(icmp + 4) != rx.echo_id)
		return;
	for (unsigned int i = 0; i < rx.echo_payload; i++)
		if (icmp[8 + i] != payload_byte(i))
			return;
	rx.echo_replies++;
	rx.echo_len = len;
}

static void deliver(struct net_device *dev, const void *frame, unsigned int len)
{
	rx.wrong_dev += dev != rx.dev;
	rx.frames++;
	check_arp(frame, len);
	check_echo(frame, len);
}

/* The first virtio-net interface, or skip the case. */
static struct net_device *vnet_begin(struct kunit *test)
{
	struct net_device *dev = NULL;

	while ((dev = netdev_next(dev)))
		if (!strncmp(dev->driver_name, "virtio-net", 10))
			break;
	if (!dev)
		kunit_do_skip(test, "no virtio-net device");
	memset(&rx, 0, sizeof(rx));
	rx.dev = dev;
	/* What an earlier case (or slirp, unasked) left behind. */
	while (dev->ops->rx_poll(dev, 64, deliver))
		;
	memset(&rx, 0, sizeof(rx));
	rx.dev = dev;
	return dev;
}

/* An ARP who-has target, tell 10.0.2.15, from our MAC, in two fragments. */
static int send_arp(struct net_device *dev, const uint8_t target[4])
{
	uint8_t eth[ETH_HLEN], arp[28];
	struct net_frag frags[2] = { { eth, sizeof(eth) }, { arp, sizeof(arp) } };

	memcpy(eth, bcast, ETH_ALEN);
	memcpy(eth + 6, dev->mac, ETH_ALEN);
	put16(eth + 12, ETH_P_ARP);
	put16(arp, 1);				/* Ethernet */
	put16(arp + 2, ETH_P_IP);
	arp[4] = 6;
	arp[5] = 4;
	put16(arp + 6, 1);			/* request */
	memcpy(arp + 8, dev->mac, ETH_ALEN);
	memcpy(arp + 14, our_ip, 4);
	memset(arp + 18, 0, ETH_ALEN);
	memcpy(arp + 24, target, 4);
	return dev->ops->xmit(dev, frags, 2);
}

/* Poll (rx_poll, and poll without interrupts) until *count reaches want
 * or WAIT_NS passed. */
static void wait_for(struct kunit *test, struct net_device *dev,
		     unsigned int *count, unsigned int want)
{
	uint64_t deadline = clock_ns() + WAIT_NS;

	while (READ_ONCE(*count) < want && clock_ns() < deadline) {
		if (dev->ops->poll)
			dev->ops->poll(dev);
		if (!dev->ops->rx_poll(dev, 16, deliver))
			arch_cpu_relax();
	}
	KUNIT_EXPECT_EQ(test, rx.wrong_dev, 0U);
}

static void arp_request_gets_slirps_reply(struct kunit *test)
{
	struct net_device *dev = vnet_begin(test);
	struct net_device_stats before = dev->stats;
	char mac[18];

	KUNIT_EXPECT_TRUE(test, dev->link_up);
	KUNIT_EXPECT_EQ(test, dev->mtu, 1500U);
	KUNIT_EXPECT_GT(test, dev->rx_ring, 0U);
	KUNIT_EXPECT_GT(test, dev->tx_ring, 0U);
	KUNIT_ASSERT_EQ(test, send_arp(dev, gw_ip), 0);
	wait_for(test, dev, &rx.arp_replies, 1);
	KUNIT_ASSERT_EQ(test, rx.arp_replies, 1U);
	KUNIT_EXPECT_EQ(test, rx.bad_arp_replies, 0U);
	/* The counters moved: one frame out, at least one in. */
	KUNIT_EXPECT_EQ(test, dev->stats.tx_packets, before.tx_packets + 1);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_bytes, before.tx_bytes + 42);
	KUNIT_EXPECT_GE(test, dev->stats.rx_packets, before.rx_packets + 1);
	KUNIT_EXPECT_GE(test, dev->stats.rx_bytes, before.rx_bytes + 42);
	KUNIT_EXPECT_EQ(test, dev->stats.rx_errors, before.rx_errors);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_errors, before.tx_errors);
	if (dev->irq_driven) {
		uint64_t deadline = clock_ns() + WAIT_NS;

		/* wait_for polls the ring, so it can take the reply before
		 * the interrupt for it is handled: on another CPU, which a
		 * loaded host may not run for a while (seen once in a run
		 * beside two others: 1 frame in, 0 irqs). The interrupt must
		 * still come. */
		while (__atomic_load_n(&dev->stats.irqs, __ATOMIC_RELAXED) ==
		       before.irqs && clock_ns() < deadline)
			arch_cpu_relax();
		KUNIT_EXPECT_GT(test, __atomic_load_n(&dev->stats.irqs,
						      __ATOMIC_RELAXED), before.irqs);
	}
	kunit_info(test, "%s (%s): 10.0.2.2 is at %s; %u frame(s) in, %lu irqs",
		   dev->name, dev->driver_name, netdev_format_mac(rx.gw_mac, mac),
		   rx.frames, dev->stats.irqs - before.irqs);
}

/* With interrupts, the arrival itself must wake the stack: dev->notify
 * is called though nobody polls. */
static void arrival_calls_notify(struct kunit *test)
{
	struct net_device *dev = vnet_begin(test);
	uint64_t deadline;

	if (!dev->irq_driven)
		kunit_skip(test, "%s is polled: no interrupt to notify from",
			   dev->name);
	KUNIT_ASSERT_TRUE(test, arch_irqs_enabled());
	KUNIT_ASSERT_NULL(test, dev->notify);		/* no stack here */
	notified = 0;
	dev->notify = count_notify;
	KUNIT_ASSERT_EQ(test, send_arp(dev, gw_ip), 0);
	deadline = clock_ns() + WAIT_NS;
	/* One call for the transmit slot that came free, one for the reply:
	 * nothing polls, so only the interrupts can have made them. */
	while (clock_ns() < deadline && READ_ONCE(notified) < 2)
		arch_cpu_relax();
	KUNIT_EXPECT_GE(test, READ_ONCE(notified), 2U);
	wait_for(test, dev, &rx.arp_replies, 1);
	dev->notify = NULL;
	KUNIT_EXPECT_EQ(test, rx.arp_replies, 1U);
	kunit_info(test, "notify called %u times for one frame out and its reply",
		   notified);
}

/* The largest frame (1514 bytes: a 1472-byte echo) to the gateway and
 * back. slirp answers echo requests to its own address even with
 * restrict=on (libslirp's icmp_input reflects them before it checks). */
static void largest_icmp_echo_comes_back_whole(struct kunit *test)
{
	struct net_device *dev = vnet_begin(test);
	static uint8_t f[ETH_HLEN + 1500];
	uint8_t *ip = f + ETH_HLEN, *icmp = ip + 20;
	unsigned int payload = 1500 - 20 - 8;
	struct net_frag frag = { f, sizeof(f) };

	KUNIT_ASSERT_EQ(test, send_arp(dev, gw_ip), 0);	/* the gateway's MAC */
	wait_for(test, dev, &rx.arp_replies, 1);
	KUNIT_ASSERT_EQ(test, rx.arp_replies, 1U);
	rx.echo_id = 0x7e57;
	rx.echo_payload = payload;
	memcpy(f, rx.gw_mac, ETH_ALEN);
	memcpy(f + 6, dev->mac, ETH_ALEN);
	put16(f + 12, ETH_P_IP);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 1500);
	put16(ip + 4, 1);			/* id */
	ip[8] = 64;				/* ttl */
	ip[9] = 1;				/* ICMP */
	memcpy(ip + 12, our_ip, 4);
	memcpy(ip + 16, gw_ip, 4);
	put16(ip + 10, csum(ip, 20));
	icmp[0] = 8;				/* echo request */
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, rx.echo_id);
	put16(icmp + 6, 1);			/* sequence */
	for (unsigned int i = 0; i < payload; i++)
		icmp[8 + i] = payload_byte(i);
	put16(icmp + 2, csum(icmp, 8 + payload));
	KUNIT_ASSERT_EQ(test, dev->ops->xmit(dev, &frag, 1), 0);
	wait_for(test, dev, &rx.echo_replies, 1);
	KUNIT_ASSERT_EQ(test, rx.echo_replies, 1U);
	KUNIT_EXPECT_EQ(test, rx.echo_len, (unsigned int)sizeof(f));
	kunit_info(test, "a %u-byte echo to 10.0.2.2 came back as %u bytes",
		   (unsigned int)sizeof(f), rx.echo_len);
}

/* One byte over mtu + 14 is refused and counted, and nothing is sent. */
static void oversized_frame_is_refused(struct kunit *test)
{
	struct net_device *dev = vnet_begin(test);
	static uint8_t big[ETH_HLEN + 1500 + 1];
	struct net_frag frags[2] = { { big, 1000 }, { big + 1000, sizeof(big) - 1000 } };
	struct net_device_stats before = dev->stats;

	memset(big, 0, sizeof(big));
	memcpy(big, bcast, ETH_ALEN);
	memcpy(big + 6, dev->mac, ETH_ALEN);
	put16(big + 12, ETH_P_ARP);
	KUNIT_EXPECT_EQ(test, dev->ops->xmit(dev, frags, 2), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_errors, before.tx_errors + 1);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_packets, before.tx_packets);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_bytes, before.tx_bytes);
}

/*
 * 500 ARP requests as fast as xmit takes them, more than the transmit
 * ring holds: each xmit says 0 or -EBUSY, the counters add up, replies
 * come back well formed (a slot reused before its frame went out would
 * garble a request or repeat another, and slirp would not answer it as
 * asked), and the ring still works afterwards.
 */
static void burst_beyond_the_ring_busy_never_corrupt(struct kunit *test)
{
	struct net_device *dev = vnet_begin(test);
	struct net_device_stats before = dev->stats;
	unsigned int sent = 0, busy = 0, other = 0, replies, sent_to[2] = { 0, 0 };
	int first_other = 0;

	for (unsigned int i = 0; i < BURST; i++) {
		int r = send_arp(dev, i & 1 ? dns_ip : gw_ip);

		if (r == 0) {
			sent++;
			sent_to[i & 1]++;
		} else if (r == -EBUSY)
			busy++;
		else if (!other++)
			first_other = r;
	}
	KUNIT_EXPECT_EQ(test, other, 0U);
	if (other)
		kunit_info(test, "first unexpected xmit result %d", first_other);
	KUNIT_EXPECT_EQ(test, sent + busy, (unsigned int)BURST);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_packets, before.tx_packets + sent);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_busy, before.tx_busy + busy);
	KUNIT_EXPECT_EQ(test, dev->stats.tx_errors, before.tx_errors);
	/* Take what comes back; at least one reply, none garbled. */
	wait_for(test, dev, &rx.arp_replies, sent);
	replies = rx.arp_replies;
	KUNIT_EXPECT_GT(test, replies, 0U);
	KUNIT_EXPECT_LE(test, replies, sent);
	KUNIT_EXPECT_EQ(test, rx.bad_arp_replies, 0U);
	/* The requests alternate between .2 and .3: a slot overwritten
	 * before the device read it would tip the replies to one side. */
	KUNIT_EXPECT_LE(test, rx.arp_from[0], sent_to[0]);
	KUNIT_EXPECT_LE(test, rx.arp_from[1], sent_to[1]);
	/* And the ring is whole: one more exchange. */
	rx.arp_replies = 0;
	KUNIT_EXPECT_EQ(test, send_arp(dev, gw_ip), 0);
	wait_for(test, dev, &rx.arp_replies, 1);
	KUNIT_EXPECT_GE(test, rx.arp_replies, 1U);
	kunit_info(test, "%u sent, %u -EBUSY (tx ring %u), %u replies, %lu rx "
		   "errors", sent, busy, dev->tx_ring, replies,
		   dev->stats.rx_errors - before.rx_errors);
}

/* Where the harness promises an IOMMU (kunit.expect=net.iommu:1), the
 * NIC's DMA goes through a domain; the exchanges above went through it. */
static void behind_the_iommu_when_promised(struct kunit *test)
{
	struct net_device *dev = vnet_begin(test);
	struct iommu_domain *d = dev->dma_dev ? dev->dma_dev->domain : NULL;
	uint64_t want = 0;

	if (!kunit_expectation_u64("net.iommu", &want))
		kunit_skip(test, "no promise about an IOMMU here (%s)",
			   d ? "behind one" : "direct");
	KUNIT_EXPECT_EQ(test, d != NULL, want != 0);
	if (d) {
		struct iommu_dma_stats st;

		iommu_dma_get_stats(d, &st);
		KUNIT_EXPECT_GT(test, st.maps, 0UL);
		kunit_info(test, "%s's DMA goes through domain %s", dev->name,
			   d->name);
	}
}

static struct kunit_case virtio_net_cases[] = {
	KUNIT_CASE(arp_request_gets_slirps_reply),
	KUNIT_CASE(arrival_calls_notify),
	KUNIT_CASE(largest_icmp_echo_comes_back_whole),
	KUNIT_CASE(oversized_frame_is_refused),
	KUNIT_CASE(burst_beyond_the_ring_busy_never_corrupt),
	KUNIT_CASE(behind_the_iommu_when_promised),
	{}
};

/* The network stack (netd) polls the NIC too: the suite takes it while
 * it talks to the device itself, and gives it back. */
static struct net_device *paused_dev;

static int virtio_net_suite_init(void)
{
	struct net_device *dev = NULL;

	while ((dev = netdev_next(dev)))
		if (!strncmp(dev->driver_name, "virtio-net", 10))
			break;
	if (dev)
		net_device_pause(dev);
	paused_dev = dev;
	return 0;
}

static void virtio_net_suite_exit(void)
{
	if (paused_dev)
		net_device_resume(paused_dev);
	paused_dev = NULL;
}

static struct kunit_suite virtio_net_suite = {
	.name = "virtio_net",
	.suite_init = virtio_net_suite_init,
	.suite_exit = virtio_net_suite_exit,
	.test_cases = virtio_net_cases,
};
kunit_test_suite(virtio_net_suite);
