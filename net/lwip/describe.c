/*
 * net/lwip/describe.c - what lwIP holds, said in words: the objects of
 * each of its pools in use, its heap, and every TCP connection with its
 * state and what its queues hold. For the `net` console command and for
 * a test that finds memory not given back (tests/kernel/net_test.c).
 * Reads lwIP's state, so it runs in netd (net_call).
 */
#include "net/lwip/port.h"
#include "net/net.h"
#include "net/inet.h"
#include "kernel/printk.h"
#include "kernel/lib/vsprintf.h"

#include "lwip/memp.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/tcp.h"
#include "lwip/priv/tcp_priv.h"

/* lwIP's pool names, from its own list (memp_std.h). */
static const char *const pool_names[MEMP_MAX] = {
#define LWIP_MEMPOOL(name, num, size, desc) #name,
#include "lwip/priv/memp_std.h"
};

static unsigned int queue_bytes(const struct tcp_seg *seg)
{
	unsigned int n = 0;

	for (; seg; seg = seg->next)
		n += seg->p ? seg->p->tot_len : 0;
	return n;
}

static void describe_pcb(const char *list, const struct tcp_pcb *pcb)
{
	char local[16], remote[16];

	net_format_ipv4(lwip_htonl(ip4_addr_get_u32(ip_2_ip4(&pcb->local_ip))),
			local);
	net_format_ipv4(lwip_htonl(ip4_addr_get_u32(ip_2_ip4(&pcb->remote_ip))),
			remote);
	printk("lwip: tcp %s:%u -> %s:%u %s (%s): unsent %u bytes, unacked %u, "
	       "out of order %u, refused %u\n",
	       local, pcb->local_port, remote, pcb->remote_port,
	       tcp_debug_state_str(pcb->state), list,
	       queue_bytes(pcb->unsent), queue_bytes(pcb->unacked),
#if TCP_QUEUE_OOSEQ
	       queue_bytes(pcb->ooseq),
#else
	       0u,
#endif
	       pcb->refused_data ? pcb->refused_data->tot_len : 0u);
}

static int describe(void *arg)
{
	char line[400];
	size_t n = 0;

	(void)arg;
	/* One printk a line: a line printed in pieces is split by the
	 * timestamps. */
	n += (size_t)ksnprintf(line, sizeof(line), "lwip: pools in use:");
	for (unsigned int i = 0; i < MEMP_MAX && n < sizeof(line); i++)
		if (lwip_stats.memp[i] && lwip_stats.memp[i]->used)
			n += (size_t)ksnprintf(line + n, sizeof(line) - n, " %s %u",
					      pool_names[i],
					      (unsigned int)lwip_stats.memp[i]->used);
	printk("%s; heap (the pools included) %u bytes\n", line,
	       (unsigned int)lwip_stats.mem.used);
	for (const struct tcp_pcb *pcb = tcp_active_pcbs; pcb; pcb = pcb->next)
		describe_pcb("active", pcb);
	for (const struct tcp_pcb *pcb = tcp_tw_pcbs; pcb; pcb = pcb->next)
		describe_pcb("time-wait", pcb);
	return 0;
}

void lwip_port_describe(void)
{
	net_call(describe, NULL);
}
