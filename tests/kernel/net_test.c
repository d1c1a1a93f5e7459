/*
 * tests/kernel/net_test.c - the network stack end to end (net/net.h,
 * net/sock.h): lwIP over the virtio-net driver, against QEMU's user-mode
 * network with restrict=on (tools/run-tests net_setup): the guest is
 * 10.0.2.15/24 (ip= on the command line), 10.0.2.2 is QEMU's gateway, and
 * 10.0.2.100:7 is a guestfwd to `cat` on the host (an echo with no host
 * port at all). Nothing leaves QEMU's user network.
 *
 * Skips with "no network interface" where the machine has none; the
 * configurations with a NIC must run every case (MUST_RUN).
 */
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/kmalloc.h"
#include "mm/mm_types.h"
#include "mm/page_alloc.h"
#include "mm/vmalloc.h"
#include "net/inet.h"
#include "net/lwip/port.h"
#include "net/net.h"
#include "net/sock.h"

#define GUEST_ADDR	0x0a00020fu	/* 10.0.2.15 */
#define GATEWAY		0x0a000202u	/* 10.0.2.2 */
#define ECHO_ADDR	0x0a000264u	/* 10.0.2.100 (guestfwd -> cat) */
#define ECHO_PORT	7

static void need_net(struct kunit *test)
{
	if (!net_ready())
		kunit_skip(test, "no network interface");
}

/*
 * The address ip= gave, or (net.dhcp promised: ip=dhcp) the one QEMU's
 * DHCP server hands out: the same address and mask, but no gateway, for
 * with restrict=on its offer leaves out the router option (seen here:
 * gw 0). 10.0.2.2 is on the link either way, so the cases below work.
 */
static void interface_has_its_address(struct kunit *test)
{
	bool dhcp = kunit_expectation("net.dhcp") != NULL;
	uint64_t end = clock_ns() + 20000000000ull;
	struct net_if_status st;

	need_net(test);
	/* DHCP's four messages ride lwIP's 500 ms timer: give it 20 s. */
	while (dhcp && !net_if_status(0, &st) && !st.addr && clock_ns() < end)
		sleep_ms(50);
	KUNIT_ASSERT_EQ(test, net_if_status(0, &st), 0);
	KUNIT_EXPECT_EQ(test, st.dhcp, dhcp);
	KUNIT_EXPECT_EQ(test, st.addr, GUEST_ADDR);
	KUNIT_EXPECT_EQ(test, st.mask, 0xffffff00u);
	KUNIT_EXPECT_EQ(test, st.gw, dhcp ? 0 : GATEWAY);
	KUNIT_EXPECT_TRUE(test, st.up);
	KUNIT_EXPECT_TRUE(test, st.link);
	KUNIT_EXPECT_EQ(test, net_if_status(99, &st), -ENOENT);
}

/* QEMU's user network answers ICMP echo for its own addresses. */
static void ping_gateway_answers(struct kunit *test)
{
	unsigned int answered = 0;

	need_net(test);
	for (unsigned int seq = 1; seq <= 5; seq++) {
		uint64_t rtt = 0;
		unsigned int ttl = 0;
		int err = net_ping(GATEWAY, 56 + seq * 100, seq, 2000, &rtt, &ttl);

		KUNIT_EXPECT_EQ(test, err, 0);
		if (!err) {
			answered++;
			KUNIT_EXPECT_GT(test, ttl, 0u);
			KUNIT_EXPECT_GT(test, rtt, 0ull);
		}
	}
	KUNIT_EXPECT_EQ(test, answered, 5u);
	/* Nobody at 10.0.2.77: no answer, in bounded time. */
	uint64_t rtt, t0 = clock_ns();
	unsigned int ttl;

	KUNIT_EXPECT_EQ(test, net_ping(0x0a00024du, 56, 1, 300, &rtt, &ttl),
			-ETIMEDOUT);
	KUNIT_EXPECT_LT(test, clock_ns() - t0, 5000000000ull);
}

/*
 * 2 MiB of a seeded pattern through the echo, in writes of random sizes
 * with the reads interleaved (the echo's window would fill otherwise):
 * every byte comes back, in order. The receive ring is the window, so a
 * slow reader stalls the sender, never loses data.
 */
static void tcp_echo_round_trips(struct kunit *test)
{
	const size_t total = 2 << 20;
	struct net_sock *s;
	uint8_t *out, *in;
	size_t sent = 0, got = 0;
	struct prng r;
	unsigned long mem_before, held;

	need_net(test);
	out = vmalloc(total);
	in = vmalloc(total);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, in);
	prng_seed(&r, test->seed);
	for (size_t i = 0; i < total; i++)
		out[i] = (uint8_t)prng_next(&r);
	mem_before = READ_ONCE(lwip_mem.bytes);
	KUNIT_ASSERT_EQ(test, net_tcp_connect(ECHO_ADDR, ECHO_PORT, 5000, &s), 0);
	while (got < total) {
		if (sent < total && sent - got < 48 * 1024) {
			size_t n = 1 + prng_below(&r, 20000);

			if (n > total - sent)
				n = total - sent;
			if (net_sock_send(s, out + sent, n, 10000)) {
				KUNIT_FAIL(test, "send failed at %zu", sent);
				break;
			}
			sent += n;
		}
		long n = net_sock_recv(s, in + got, total - got,
				       sent > got ? 10000 : 0);

		if (n == -ETIMEDOUT && sent == got)
			continue;
		if (n <= 0) {
			KUNIT_FAIL(test, "recv returned %ld at %zu of %zu", n,
				   got, total);
			break;
		}
		got += (size_t)n;
	}
	KUNIT_EXPECT_EQ(test, got, total);
	KUNIT_EXPECT_EQ(test, memcmp(out, in, total), 0);
	net_sock_close(s);
	/* What lwIP held for the connection comes back once the peer has
	 * acknowledged our FIN, less a TIME_WAIT PCB's worth. The peer is
	 * QEMU's slirp, served by its main loop. Once, in a full make test
	 * on a loaded host, 2976 bytes were still held after the 2 s this
	 * wait was; a late ACK is the likely cause, not confirmed. */
	/* One reading judged and reported: the count moves while a late
	 * segment passes through the stack, and a check that read it again
	 * after the wait saw 2848 bytes the wait had just seen go (session
	 * 27, a whole run; nothing printed, as the third read was low). */
	for (int i = 0; (held = READ_ONCE(lwip_mem.bytes)) > mem_before + 1024 &&
	     i < 1000; i++)
		sleep_ms(10);
	KUNIT_EXPECT_LE(test, held, mem_before + 1024);
	if (held > mem_before + 1024) {
		kunit_info(test, "lwIP held %lu bytes before the connection, %lu now",
			   mem_before, held);
		lwip_port_describe();
	}
	vfree(out);
	vfree(in);
}

/* A reader that waits with nothing coming times out, and the connection
 * is still good after. */
static void tcp_recv_times_out_and_carries_on(struct kunit *test)
{
	struct net_sock *s;
	char buf[8];
	uint64_t t0;

	need_net(test);
	KUNIT_ASSERT_EQ(test, net_tcp_connect(ECHO_ADDR, ECHO_PORT, 5000, &s), 0);
	t0 = clock_ns();
	KUNIT_EXPECT_EQ(test, net_sock_recv(s, buf, sizeof(buf), 200), -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, clock_ns() - t0, 150000000ull);
	KUNIT_EXPECT_EQ(test, net_sock_send(s, "ping", 4, 1000), 0);
	size_t got = 0;

	while (got < 4) {
		long n = net_sock_recv(s, buf + got, 4 - got, 5000);

		if (n <= 0) {
			KUNIT_FAIL(test, "recv %ld", n);
			break;
		}
		got += (size_t)n;
	}
	KUNIT_EXPECT_EQ(test, memcmp(buf, "ping", 4), 0);
	net_sock_close(s);
}

/* restrict=on: QEMU answers a connection to anything but the guestfwd
 * with a reset, which connect reports as refused. */
static void tcp_connect_elsewhere_is_refused(struct kunit *test)
{
	struct net_sock *s = NULL;

	need_net(test);
	KUNIT_EXPECT_EQ(test, net_tcp_connect(GATEWAY, 9, 3000, &s),
			-ECONNREFUSED);
	KUNIT_EXPECT_NULL(test, s);
}

/* Take every free page an allocation without reclaim can have, so that
 * the next one needs the reserves below the min watermark; a list through
 * the pages' lru. Returns pages taken. */
static unsigned long hog_to_min(struct list_head *hog)
{
	unsigned long n = 0;
	struct page *page;

	while (n < (1UL << 22) &&
	       (page = alloc_page(GFP_NOWAIT | __GFP_NOWARN))) {
		list_add(&page->lru, hog);
		n++;
	}
	return n;
}

static void hog_free(struct list_head *hog)
{
	while (!list_empty(hog)) {
		struct page *page = list_first_entry(hog, struct page, lru);

		list_del(&page->lru);
		__free_page(page);
	}
}

/* Read exactly len bytes (at most timeout_ms each wait). */
static long recv_all(struct net_sock *s, uint8_t *buf, size_t len,
		     unsigned int timeout_ms)
{
	size_t got = 0;

	while (got < len) {
		long n = net_sock_recv(s, buf + got, len - got, timeout_ms);

		if (n <= 0)
			return n ? n : -ECONNRESET;
		got += (size_t)n;
	}
	return (long)got;
}

/*
 * The deadlock's premise (docs/mm/swap-over-network.md): memory is at the
 * min watermark and no ordinary allocation succeeds (the pages are taken
 * by a hog; lwIP's ordinary allocations are failed on purpose, as they
 * fail once the slab caches are empty too). The swap connection must
 * still talk; nobody else may use the reserves.
 *  - a memalloc connection's 1 MiB echo completes byte for byte, lwIP's
 *    memory taken from the reserves (below min), its frames kept;
 *  - an ordinary connection's echo arrives into the reserves and is
 *    dropped (counted), and ping cannot even build its request;
 *  - once memory is back, the ordinary connection's data arrives after
 *    all (the echo's sender sends it again): dropped, never lost.
 */
static void memalloc_socket_talks_at_the_min_watermark(struct kunit *test)
{
	const size_t total = 1 << 20, chunk = 16384;
	struct list_head hog = LIST_HEAD_INIT(hog);
	unsigned long reserve0, kept0, dropped0, hogged;
	struct net_sock *s, *plain;
	uint8_t *out, *in, small[64];
	size_t sent = 0, got = 0;
	uint64_t rtt;
	unsigned int ttl;

	need_net(test);
	out = vmalloc(total);
	in = vmalloc(total);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, in);
	for (size_t i = 0; i < total; i++)
		out[i] = (uint8_t)(i * 7 + (i >> 12));
	KUNIT_ASSERT_EQ(test, net_tcp_connect(ECHO_ADDR, ECHO_PORT, 5000, &s), 0);
	KUNIT_ASSERT_EQ(test, net_sock_set_memalloc(s), 0);
	KUNIT_ASSERT_EQ(test, net_tcp_connect(ECHO_ADDR, ECHO_PORT, 5000, &plain), 0);
	reserve0 = READ_ONCE(lwip_mem.reserve_allocs);
	kept0 = READ_ONCE(net_memalloc.rx_kept);
	dropped0 = READ_ONCE(net_memalloc.rx_dropped);

	hogged = hog_to_min(&hog);
	KUNIT_EXPECT_GT(test, hogged, 0ul);
	WRITE_ONCE(lwip_port_fail_ordinary, true);
	KUNIT_EXPECT_EQ(test, net_ping(GATEWAY, 56, 1, 500, &rtt, &ttl), -ENOMEM);
	while (got < total) {
		if (sent < total && sent - got < 32 * 1024) {
			hog_to_min(&hog);
			if (net_sock_send(s, out + sent, chunk, 10000)) {
				KUNIT_FAIL(test, "send failed at %zu", sent);
				break;
			}
			sent += chunk;
		}
		long n = net_sock_recv(s, in + got, total - got, 10000);

		if (n <= 0) {
			KUNIT_FAIL(test, "recv returned %ld at %zu", n, got);
			break;
		}
		got += (size_t)n;
	}
	KUNIT_EXPECT_EQ(test, got, total);
	KUNIT_EXPECT_EQ(test, memcmp(out, in, total), 0);
	KUNIT_EXPECT_GT(test, READ_ONCE(lwip_mem.reserve_allocs), reserve0);
	KUNIT_EXPECT_GT(test, READ_ONCE(net_memalloc.rx_kept), kept0);
	/*
	 * The ordinary connection: its bytes go out while memory is there,
	 * and the echo comes back while it is not: dropped (counted), not
	 * delivered. If the echo beat the switch, the premise did not hold:
	 * take it and try again.
	 */
	memset(small, 0x5a, sizeof(small));
	bool dropped = false;

	for (int tries = 0; tries < 5 && !dropped; tries++) {
		WRITE_ONCE(lwip_port_fail_ordinary, false);
		KUNIT_ASSERT_EQ(test, net_sock_send(plain, small, sizeof(small), 2000), 0);
		WRITE_ONCE(lwip_port_fail_ordinary, true);
		if (net_sock_recv(plain, in, sizeof(small), 500) == -ETIMEDOUT) {
			dropped = true;
			break;
		}
		WRITE_ONCE(lwip_port_fail_ordinary, false);
		recv_all(plain, in, sizeof(small), 5000);	/* the rest */
	}
	KUNIT_EXPECT_TRUE(test, dropped);
	KUNIT_EXPECT_GT(test, READ_ONCE(net_memalloc.rx_dropped), dropped0);

	WRITE_ONCE(lwip_port_fail_ordinary, false);
	hog_free(&hog);
	/* Memory is back: the echo's sender sends it again. */
	KUNIT_EXPECT_EQ(test, recv_all(plain, in, sizeof(small), 15000),
			(long)sizeof(small));
	KUNIT_EXPECT_EQ(test, memcmp(in, small, sizeof(small)), 0);
	net_sock_close(plain);
	net_sock_close(s);
	vfree(out);
	vfree(in);
}

static struct kunit_case net_cases[] = {
	KUNIT_CASE(interface_has_its_address),
	KUNIT_CASE(ping_gateway_answers),
	KUNIT_CASE(tcp_echo_round_trips),
	KUNIT_CASE(tcp_recv_times_out_and_carries_on),
	KUNIT_CASE(tcp_connect_elsewhere_is_refused),
	KUNIT_CASE(memalloc_socket_talks_at_the_min_watermark),
	{}
};

static struct kunit_suite net_suite = {
	.name = "net",
	.test_cases = net_cases,
};
kunit_test_suite(net_suite);
