/*
 * net/lwip/net_console.c - the network at the console (docs/console.md):
 *
 *	mm> net			each interface: driver, MAC, link, address,
 *				the driver's counters; lwIP's counters and
 *				the memory it holds
 *	mm> ping ADDR [COUNT [SIZE]]	ICMP echo, Linux ping's lines
 */
#include "net/net.h"
#include "net/inet.h"
#include "net/lwip/port.h"
#include "drivers/net/netdev.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/time.h"

#include "lwip/stats.h"


static unsigned int mask_prefix(uint32_t mask)
{
	unsigned int n = 0;

	while (mask & 0x80000000u) {
		n++;
		mask <<= 1;
	}
	return n;
}

static int cmd_net(int argc, char **argv)
{
	struct net_if_status st;
	char mac[18];
	unsigned int i;

	(void)argc;
	(void)argv;
	if (!net_ready()) {
		printk("net: no network interface (QEMU: -netdev user,id=n0,restrict=on "
		       "-device virtio-net-pci,netdev=n0)\n");
		return 0;
	}
	for (i = 0; net_if_status(i, &st) == 0; i++) {
		struct net_device *dev = st.dev;
		const struct net_device_stats *s = &dev->stats;

		printk("%s: %s, mac %s, link %s, mtu %u, %s\n", dev->name,
		       dev->driver_name, netdev_format_mac(dev->mac, mac),
		       st.link ? "up" : "down", dev->mtu,
		       dev->irq_driven ? "interrupts" : "polled");
		if (st.addr) {
			/* One printk a line: a line left open is ended by
			 * the next message (kernel/printk.h). */
			char a[NET_IPV4_STRLEN], g[NET_IPV4_STRLEN + 9] = "";

			if (st.gw) {
				strlcpy(g, " gateway ", sizeof(g));
				net_format_ipv4(st.gw, g + 9);
			}
			printk("  inet %s/%u%s%s\n", net_format_ipv4(st.addr, a),
			       mask_prefix(st.mask), g,
			       st.dhcp ? " (dhcp)" : " (static)");
		} else {
			printk("  inet none%s\n", st.dhcp ? " (dhcp: waiting)" : "");
		}
		printk("  rx %lu packets %lu bytes, %lu errors, %lu dropped; "
		       "tx %lu packets %lu bytes, %lu errors, %lu busy; irqs %lu\n",
		       s->rx_packets, s->rx_bytes, s->rx_errors, s->rx_dropped,
		       s->tx_packets, s->tx_bytes, s->tx_errors, s->tx_busy,
		       s->irqs);
		printk("  buffers set aside: rx %u, tx %u\n", dev->rx_ring,
		       dev->tx_ring);
	}
	printk("lwip: ip rx %u tx %u drop %u, tcp rx %u tx %u drop %u no-memory %u, "
	       "icmp rx %u tx %u, arp rx %u tx %u\n",
	       (unsigned int)lwip_stats.ip.recv, (unsigned int)lwip_stats.ip.xmit,
	       (unsigned int)lwip_stats.ip.drop, (unsigned int)lwip_stats.tcp.recv,
	       (unsigned int)lwip_stats.tcp.xmit, (unsigned int)lwip_stats.tcp.drop,
	       (unsigned int)lwip_stats.tcp.memerr, (unsigned int)lwip_stats.icmp.recv,
	       (unsigned int)lwip_stats.icmp.xmit, (unsigned int)lwip_stats.etharp.recv,
	       (unsigned int)lwip_stats.etharp.xmit);
	printk("lwip: memory %lu bytes in use, peak %lu, %lu allocations, %lu refused\n",
	       READ_ONCE(lwip_mem.bytes), READ_ONCE(lwip_mem.peak),
	       READ_ONCE(lwip_mem.allocs), READ_ONCE(lwip_mem.failed));
	lwip_port_describe();
	printk("memalloc: %lu allocations from the reserves, %lu from the stash "
	       "(%lu in use, peak %lu); frames received into the reserves: "
	       "%lu kept, %lu dropped\n",
	       READ_ONCE(lwip_mem.reserve_allocs), READ_ONCE(lwip_mem.stash_allocs),
	       READ_ONCE(lwip_mem.stash_in_use), READ_ONCE(lwip_mem.stash_peak),
	       READ_ONCE(net_memalloc.rx_kept), READ_ONCE(net_memalloc.rx_dropped));
	return 0;
}
CONSOLE_COMMAND(net, "network interfaces: address, link, counters, lwIP's memory", cmd_net);

static int cmd_ping(int argc, char **argv)
{
	uint64_t count = 4, size = 56, total_ns = 0, min_ns = ~0ULL, max_ns = 0;
	unsigned int received = 0, i;
	uint64_t t0 = clock_ns();
	uint32_t addr;

	if (argc < 2 || argc > 4 || net_parse_ipv4(argv[1], &addr) ||
	    (argc > 2 && (!parse_u64(argv[2], &count, false) || !count ||
			  count > 100000)) ||
	    (argc > 3 && (!parse_u64(argv[3], &size, false) || size > 1400))) {
		printk("usage: ping ADDR [COUNT [SIZE]]  (ADDR dotted IPv4; COUNT 1-100000, default 4; SIZE 0-1400, default 56)\n");
		return 1;
	}
	printk("PING %s (%s) %u(%u) bytes of data.\n", argv[1], argv[1],
	       (unsigned int)size, (unsigned int)size + 28);
	for (i = 1; i <= count; i++) {
		uint64_t rtt;
		unsigned int ttl;
		int err = net_ping(addr, (unsigned int)size, i, 1000, &rtt, &ttl);

		if (err == -ENETUNREACH || err == -ENODEV) {
			printk("ping: %s: %s\n", argv[1], err == -ENODEV ?
			       "no network interface" :
			       "network unreachable (no address: boot with ip=)");
			return 1;
		}
		if (err == -ETIMEDOUT) {
			printk("no answer from %s: icmp_seq=%u\n", argv[1], i);
		} else if (err) {
			printk("ping: %s: error %d\n", argv[1], err);
		} else {
			received++;
			total_ns += rtt;
			min_ns = rtt < min_ns ? rtt : min_ns;
			max_ns = rtt > max_ns ? rtt : max_ns;
			printk("%u bytes from %s: icmp_seq=%u ttl=%u time=%llu.%03llu ms\n",
			       (unsigned int)size + 8, argv[1], i, ttl,
			       (unsigned long long)(rtt / 1000000),
			       (unsigned long long)(rtt / 1000 % 1000));
		}
	}
	if (i > count)
		i = (unsigned int)count;
	printk("--- %s ping statistics ---\n", argv[1]);
	printk("%u packets transmitted, %u received, %u%% packet loss, time %llums\n",
	       i, received, (i - received) * 100 / i,
	       (unsigned long long)((clock_ns() - t0) / 1000000));
	if (received) {
		uint64_t avg = total_ns / received;

		printk("rtt min/avg/max = %llu.%03llu/%llu.%03llu/%llu.%03llu ms\n",
		       (unsigned long long)(min_ns / 1000000),
		       (unsigned long long)(min_ns / 1000 % 1000),
		       (unsigned long long)(avg / 1000000),
		       (unsigned long long)(avg / 1000 % 1000),
		       (unsigned long long)(max_ns / 1000000),
		       (unsigned long long)(max_ns / 1000 % 1000));
	}
	return received ? 0 : 1;
}
CONSOLE_COMMAND(ping, "ADDR [COUNT [SIZE]]: ICMP echo to an IPv4 address", cmd_ping);
