/*
 * net/lwip/netd.c - netd, the thread that owns lwIP (net/net.h), and the
 * glue between lwIP's netif and our network drivers (drivers/net/netdev.h).
 * docs/net/lwip.md.
 *
 * netd sleeps on one wait queue and wakes for: a driver's notify (frames
 * arrived, a transmit buffer came free, the link changed), a net_call
 * from another thread, or lwIP's next timer. Each round it runs the calls
 * queued, takes at most NETD_RX_BUDGET frames from each interface (so one
 * busy interface cannot starve the calls or the timers), and runs lwIP's
 * timers. An interface without interrupts is polled every NETD_POLL_MS.
 *
 * Frames in: the driver hands netd a frame in its own buffer; netd copies
 * it into a pbuf and gives it to lwIP's ethernet_input. Frames out:
 * lwIP's linkoutput hands a pbuf chain; netd passes its pieces to the
 * driver's xmit, which copies them before returning.
 */
#include "net/net.h"
#include "net/inet.h"
#include "net/lwip/internal.h"
#include "net/lwip/port.h"
#include "drivers/net/netdev.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/kthread.h"
#include "kernel/lib/list.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"
#include <arch/thread.h>

#include "lwip/dhcp.h"
#include "lwip/etharp.h"
#include "lwip/inet_chksum.h"
#include "lwip/init.h"
#include "lwip/ip4.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/prot/icmp.h"
#include "lwip/prot/ip4.h"
#include "lwip/raw.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

#define NETD_RX_BUDGET	64	/* frames per interface per round */
#define NETD_POLL_MS	5	/* interfaces without interrupts */
#define NETD_MAX_SLEEP_MS 1000
#define NETD_TX_WAIT_MS	50	/* a full transmit ring, at most */

/* One interface as lwIP sees it. */
struct net_if {
	struct netif netif;
	struct net_device *dev;
	bool dhcp;
	bool paused;		/* net_device_pause: a test drives dev */
};

static struct thread *netd_thread;
static DECLARE_WAIT_QUEUE_HEAD(netd_wq);
static bool netd_pending;		/* a wake to look at the devices */
static bool netd_any_polled;		/* an interface without interrupts */
static struct net_if *net_ifs[8];
static unsigned int nr_net_ifs;

/* ---------------------------------------------------------------- ip= */

static struct net_ip_config ip_param;
static bool ip_param_set;

/* ip=ADDR/PREFIX[,GW] or ip=dhcp (net/inet.h). */
static int set_ip(const char *value)
{
	if (net_parse_ip_config(value, &ip_param)) {
		pr_err("net: ip=%s: expected ADDR/PREFIX[,GW] (ip=10.0.2.15/24,10.0.2.2) or dhcp\n",
		       value ? value : "");
		return -1;
	}
	ip_param_set = true;
	return 0;
}
KERNEL_PARAM("ip", set_ip, "ADDR/PREFIX[,GW] or dhcp: the first network interface's IPv4 address");

/* ---------------------------------------------------------------- calls */

struct net_call_req {
	struct list_head node;
	int (*fn)(void *arg);
	void *arg;
	int ret;
	struct completion done;
};

static spinlock_t net_call_lock = SPINLOCK_INIT("net_call_lock");
static struct list_head net_calls = LIST_HEAD_INIT(net_calls);

bool net_ready(void)
{
	return READ_ONCE(netd_thread) != NULL;
}

void net_wake(void)
{
	WRITE_ONCE(netd_pending, true);
	wake_up(&netd_wq);
}

int net_call(int (*fn)(void *arg), void *arg)
{
	struct net_call_req req = { .fn = fn, .arg = arg };
	unsigned long flags;

	if (!net_ready())
		return -ENODEV;
	if (arch_current() == netd_thread)
		return fn(arg);
	init_completion(&req.done);
	spin_lock_irqsave(&net_call_lock, flags);
	list_add_tail(&req.node, &net_calls);
	spin_unlock_irqrestore(&net_call_lock, flags);
	wake_up(&netd_wq);
	wait_for_completion(&req.done);
	return req.ret;
}

static bool net_calls_waiting(void)
{
	return !list_empty(&net_calls);
}

static void run_calls(void)
{
	unsigned long flags;

	for (;;) {
		struct net_call_req *req = NULL;

		spin_lock_irqsave(&net_call_lock, flags);
		if (!list_empty(&net_calls)) {
			req = list_first_entry(&net_calls, struct net_call_req,
					       node);
			list_del(&req->node);
		}
		spin_unlock_irqrestore(&net_call_lock, flags);
		if (!req)
			return;
		req->ret = req->fn(req->arg);
		complete(&req->done);
	}
}

/* ---------------------------------------------------------------- frames */

/* A frame from the driver's buffer into a pbuf for lwIP. */
static void netd_deliver(struct net_device *dev, const void *frame,
			 unsigned int len)
{
	struct net_if *nif = dev->stack_data;
	struct pbuf *p;

	if (len > 0xffff) {
		dev->stats.rx_dropped++;
		return;
	}
	/* Whose frame it is is not known yet: it may be the swap server's
	 * reply, so it may take the reserves (and is marked if it did). */
	lwip_port_reserve_used = false;
	netd_memalloc_enter();
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	netd_memalloc_leave();
	if (!p) {
		dev->stats.rx_dropped++;	/* no memory: TCP sends again */
		return;
	}
	pbuf_take(p, frame, (u16_t)len);
	if (!lwip_port_reserve_used) {
		if (nif->netif.input(p, &nif->netif) != ERR_OK) {
			pbuf_free(p);
			dev->stats.rx_dropped++;
		}
		return;
	}
	/* Memory is critical: only a memalloc connection's segment (or
	 * ARP) goes further (lwip_hook_ip4_input), and what lwIP allocates
	 * for it (an ACK) may take the reserves too. */
	p->flags |= PBUF_FLAG_PFMEMALLOC;
	netd_memalloc_enter();
	if (nif->netif.input(p, &nif->netif) != ERR_OK) {
		pbuf_free(p);
		dev->stats.rx_dropped++;
	}
	netd_memalloc_leave();
}

/* A frame whose pbuf chain has more pieces than the driver takes is
 * flattened here first (netd is the only user). */
static uint8_t tx_flat[ETH_HLEN + 1500 + 64];

static err_t netd_linkoutput(struct netif *netif, struct pbuf *p)
{
	struct net_if *nif = netif->state;
	struct net_device *dev = nif->dev;
	struct net_frag frags[NETDEV_MAX_FRAGS];
	unsigned int n = 0;
	uint64_t deadline;
	int err;

	if (p->tot_len > sizeof(tx_flat))
		return ERR_BUF;
	for (struct pbuf *q = p; q; q = q->next) {
		if (!q->len)
			continue;
		if (n == NETDEV_MAX_FRAGS) {
			pbuf_copy_partial(p, tx_flat, p->tot_len, 0);
			frags[0] = (struct net_frag){ tx_flat, p->tot_len };
			n = 1;
			break;
		}
		frags[n++] = (struct net_frag){ q->payload, q->len };
	}
	/* A full ring empties as the device sends: wait for it a little
	 * (the driver's notify wakes us), then drop: TCP sends again. */
	deadline = clock_ns() + (uint64_t)NETD_TX_WAIT_MS * 1000000;
	while ((err = dev->ops->xmit(dev, frags, n)) == -EBUSY) {
		if (clock_ns() > deadline)
			return ERR_MEM;
		if (dev->ops->poll)
			dev->ops->poll(dev);
		wait_event_timeout(netd_wq, READ_ONCE(netd_pending), 1);
	}
	return err ? ERR_IF : ERR_OK;
}

static err_t netd_netif_init(struct netif *netif)
{
	struct net_if *nif = netif->state;
	struct net_device *dev = nif->dev;

	netif->name[0] = 'e';
	netif->name[1] = 't';
	netif->output = etharp_output;
	netif->linkoutput = netd_linkoutput;
	netif->mtu = (u16_t)dev->mtu;
	netif->hwaddr_len = ETH_ALEN;
	memcpy(netif->hwaddr, dev->mac, ETH_ALEN);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		       NETIF_FLAG_ETHERNET;
	return ERR_OK;
}

/* Follow the device's link state. */
static void netd_link(struct net_if *nif)
{
	bool up = READ_ONCE(nif->dev->link_up);

	if (up && !netif_is_link_up(&nif->netif))
		netif_set_link_up(&nif->netif);
	else if (!up && netif_is_link_up(&nif->netif))
		netif_set_link_down(&nif->netif);
}

static void netd_attach(struct net_device *dev, bool first)
{
	struct net_if *nif;
	ip4_addr_t addr, mask, gw;

	if (nr_net_ifs == ARRAY_SIZE(net_ifs)) {
		pr_warn("net: %s: only %u interfaces are supported\n",
			dev->name, (unsigned int)ARRAY_SIZE(net_ifs));
		return;
	}
	nif = kzalloc(sizeof(*nif), GFP_KERNEL);
	if (!nif) {
		pr_err("net: %s: no memory to attach it\n", dev->name);
		return;
	}
	nif->dev = dev;
	ip4_addr_set_zero(&addr);
	ip4_addr_set_zero(&mask);
	ip4_addr_set_zero(&gw);
	if (first && ip_param_set && !ip_param.dhcp) {
		addr.addr = lwip_htonl(ip_param.addr);
		mask.addr = lwip_htonl(net_prefix_mask(ip_param.prefix));
		gw.addr = lwip_htonl(ip_param.gw);
	}
	if (!netif_add(&nif->netif, &addr, &mask, &gw, nif, netd_netif_init,
		       ethernet_input)) {
		pr_err("net: %s: lwIP refused the interface\n", dev->name);
		kfree(nif);
		return;
	}
	dev->stack_data = nif;
	net_ifs[nr_net_ifs++] = nif;
	if (!dev->irq_driven)
		netd_any_polled = true;
	if (first)
		netif_set_default(&nif->netif);
	netif_set_up(&nif->netif);
	netd_link(nif);
	if (first && ip_param.dhcp) {
		nif->dhcp = true;
		dhcp_start(&nif->netif);
	}
	dev->notify = (void (*)(struct net_device *))net_wake;
}

static unsigned int netd_sleep_ms(void)
{
	u32_t ms = sys_timeouts_sleeptime();

	if (netd_any_polled && ms > NETD_POLL_MS)
		ms = NETD_POLL_MS;
	if (ms > NETD_MAX_SLEEP_MS)
		ms = NETD_MAX_SLEEP_MS;
	return ms;
}

static int netd_main(void *unused)
{
	(void)unused;
	for (;;) {
		unsigned int ms = netd_sleep_ms();

		if (ms)
			wait_event_timeout(netd_wq, READ_ONCE(netd_pending) ||
					   net_calls_waiting(), ms);
		WRITE_ONCE(netd_pending, false);
		run_calls();
		net_sock_service();
		for (unsigned int i = 0; i < nr_net_ifs; i++) {
			struct net_device *dev = net_ifs[i]->dev;

			if (net_ifs[i]->paused)
				continue;
			if (!dev->irq_driven && dev->ops->poll)
				dev->ops->poll(dev);
			/* More than a budget waiting: come round again. */
			if (dev->ops->rx_poll(dev, NETD_RX_BUDGET,
					      netd_deliver) == NETD_RX_BUDGET)
				WRITE_ONCE(netd_pending, true);
			netd_link(net_ifs[i]);
		}
		/* Retransmissions may be a memalloc connection's. */
		netd_memalloc_enter();
		sys_check_timeouts();
		netd_memalloc_leave();
	}
	return 0;
}

void net_init(void)
{
	struct net_device *dev = NULL;
	bool first = true;

	if (!netdev_next(NULL)) {
		if (ip_param_set)
			pr_warn("net: ip= given, but there is no network interface\n");
		return;
	}
	/* lwIP's calls before netd exists are this thread's alone. */
	lwip_init();
	while ((dev = netdev_next(dev))) {
		netd_attach(dev, first);
		first = false;
	}
	for (unsigned int i = 0; i < nr_net_ifs; i++) {
		struct net_if *nif = net_ifs[i];
		uint32_t a = lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(&nif->netif)));

		if (nif->dhcp)
			pr_info("net: %s: lwIP %s, address from DHCP\n",
				nif->dev->name, LWIP_VERSION_STRING);
		else if (!a)
			pr_info("net: %s: lwIP %s, no address (boot with ip=ADDR/PREFIX,GW or ip=dhcp)\n",
				nif->dev->name, LWIP_VERSION_STRING);
		else
			pr_info("net: %s: lwIP %s, address %u.%u.%u.%u/%u gateway %u.%u.%u.%u\n",
				nif->dev->name, LWIP_VERSION_STRING, a >> 24,
				a >> 16 & 255, a >> 8 & 255, a & 255,
				ip_param.prefix, ip_param.gw >> 24,
				ip_param.gw >> 16 & 255, ip_param.gw >> 8 & 255,
				ip_param.gw & 255);
	}
	netd_thread = kthread_run(netd_main, NULL, "netd");
	if (!netd_thread)
		pr_err("net: cannot start netd: no network\n");
}

/* ---------------------------------------------------------------- pause */

struct pause_arg {
	struct net_device *dev;
	bool pause;
};

static int do_pause(void *arg)
{
	struct pause_arg *pa = arg;
	struct net_if *nif = pa->dev->stack_data;

	if (!nif || nif->paused == pa->pause)
		return 0;
	nif->paused = pa->pause;
	/* In netd: once this returns, netd is not inside the driver. */
	pa->dev->notify = pa->pause ? NULL :
			  (void (*)(struct net_device *))net_wake;
	return 0;
}

void net_device_pause(struct net_device *dev)
{
	struct pause_arg pa = { dev, true };

	if (dev->stack_data)
		net_call(do_pause, &pa);
}

void net_device_resume(struct net_device *dev)
{
	struct pause_arg pa = { dev, false };

	if (dev->stack_data) {
		net_call(do_pause, &pa);
		net_wake();	/* what arrived meanwhile */
	}
}

/* ---------------------------------------------------------------- ping */

#define PING_ID		0x6d6d		/* "mm" */

struct ping_state {
	uint32_t addr;			/* host order */
	unsigned int size, seq;
	uint64_t sent_ns, rtt_ns;
	unsigned int ttl;
	bool answered;
	struct completion done;
	struct raw_pcb *pcb;
	int err;
};

static u8_t ping_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p,
		      const ip_addr_t *from)
{
	struct ping_state *ps = arg;
	struct ip_hdr iph;
	struct icmp_echo_hdr echo;
	u16_t hlen;

	(void)pcb;
	if (pbuf_copy_partial(p, &iph, sizeof(iph), 0) != sizeof(iph))
		return 0;
	hlen = (u16_t)(IPH_HL(&iph) * 4);
	if (pbuf_copy_partial(p, &echo, sizeof(echo), hlen) != sizeof(echo))
		return 0;
	if (echo.type != ICMP_ER || echo.id != lwip_htons(PING_ID) ||
	    lwip_ntohs(echo.seqno) != (ps->seq & 0xffff) ||
	    ip4_addr_get_u32(ip_2_ip4(from)) != lwip_htonl(ps->addr))
		return 0;		/* not ours: lwIP goes on with it */
	if (!ps->answered) {
		ps->rtt_ns = clock_ns() - ps->sent_ns;
		ps->ttl = IPH_TTL(&iph);
		ps->answered = true;
		complete(&ps->done);
	}
	pbuf_free(p);
	return 1;			/* eaten */
}

static int ping_send(void *arg)
{
	struct ping_state *ps = arg;
	struct icmp_echo_hdr *echo;
	struct pbuf *p;
	ip_addr_t to;
	err_t err;

	if (!netif_default || ip4_addr_isany(netif_ip4_addr(netif_default)))
		return -ENETUNREACH;
	ps->pcb = raw_new(IP_PROTO_ICMP);
	if (!ps->pcb)
		return -ENOMEM;
	raw_recv(ps->pcb, ping_recv, ps);
	p = pbuf_alloc(PBUF_IP, (u16_t)(sizeof(*echo) + ps->size), PBUF_RAM);
	if (!p) {
		raw_remove(ps->pcb);
		ps->pcb = NULL;
		return -ENOMEM;
	}
	echo = p->payload;
	ICMPH_TYPE_SET(echo, ICMP_ECHO);
	ICMPH_CODE_SET(echo, 0);
	echo->id = lwip_htons(PING_ID);
	echo->seqno = lwip_htons((u16_t)ps->seq);
	for (unsigned int i = 0; i < ps->size; i++)
		((uint8_t *)(echo + 1))[i] = (uint8_t)(i + ps->seq);
	echo->chksum = 0;
	echo->chksum = inet_chksum(echo, p->len);
	ip_addr_set_ip4_u32(&to, lwip_htonl(ps->addr));
	ps->sent_ns = clock_ns();
	err = raw_sendto(ps->pcb, p, &to);
	pbuf_free(p);
	if (err != ERR_OK) {
		raw_remove(ps->pcb);
		ps->pcb = NULL;
		return err == ERR_RTE ? -ENETUNREACH : -ENOMEM;
	}
	return 0;
}

static int ping_finish(void *arg)
{
	struct ping_state *ps = arg;

	if (ps->pcb)
		raw_remove(ps->pcb);
	ps->pcb = NULL;
	return 0;
}

int net_ping(uint32_t addr, unsigned int size, unsigned int seq,
	     unsigned int timeout_ms, uint64_t *rtt_ns, unsigned int *ttl)
{
	struct ping_state ps = { .addr = addr, .size = size, .seq = seq };
	int err;

	if (size > 1400)
		return -EMSGSIZE;
	init_completion(&ps.done);
	err = net_call(ping_send, &ps);
	if (err)
		return err;
	wait_for_completion_timeout(&ps.done, timeout_ms);
	/* In netd: no reply can be delivered to ps once its PCB is gone. */
	net_call(ping_finish, &ps);
	if (!ps.answered)
		return -ETIMEDOUT;
	*rtt_ns = ps.rtt_ns;
	*ttl = ps.ttl;
	return 0;
}

/* ---------------------------------------------------------------- show */

static int get_if_status(void *arg)
{
	struct net_if_status *st = arg;
	struct net_if *nif;

	if (st->index >= nr_net_ifs)
		return -ENOENT;
	nif = net_ifs[st->index];
	st->dev = nif->dev;
	st->addr = lwip_ntohl(ip4_addr_get_u32(netif_ip4_addr(&nif->netif)));
	st->mask = lwip_ntohl(ip4_addr_get_u32(netif_ip4_netmask(&nif->netif)));
	st->gw = lwip_ntohl(ip4_addr_get_u32(netif_ip4_gw(&nif->netif)));
	st->dhcp = nif->dhcp;
	st->up = netif_is_up(&nif->netif);
	st->link = netif_is_link_up(&nif->netif);
	return 0;
}

int net_if_status(unsigned int index, struct net_if_status *st)
{
	st->index = index;
	return net_call(get_if_status, st);
}

int net_wait_address(unsigned int timeout_ms)
{
	uint64_t start = clock_ns();
	uint64_t end = start + (uint64_t)timeout_ms * 1000000ull;
	struct net_if_status st;
	bool waited = false;
	int err;

	for (;;) {
		err = net_if_status(0, &st);
		if (err)
			return err;
		if (st.addr)
			break;
		if (!st.dhcp)
			return -ENETUNREACH;	/* nothing will give one */
		if (clock_ns() >= end)
			return -ETIMEDOUT;
		waited = true;
		sleep_ms(50);
	}
	if (waited)
		pr_info("net: %s: address %u.%u.%u.%u from DHCP after %llu ms\n",
			st.dev->name, st.addr >> 24, st.addr >> 16 & 255,
			st.addr >> 8 & 255, st.addr & 255,
			(unsigned long long)((clock_ns() - start) / 1000000));
	return 0;
}
