/*
 * tests/suites/net_inet_test.c - IPv4 text and the ip= option (net/inet.h),
 * on the host and in the kernel: every malformed word refused, every good
 * one read exactly; a randomised round trip against the formatter.
 */
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "net/inet.h"

static void ipv4_text_reads_exactly(struct kunit *test)
{
	uint32_t a = 0x12345678;

	KUNIT_EXPECT_EQ(test, net_parse_ipv4("10.0.2.15", &a), 0);
	KUNIT_EXPECT_EQ(test, a, 0x0a00020fu);
	KUNIT_EXPECT_EQ(test, net_parse_ipv4("255.255.255.255", &a), 0);
	KUNIT_EXPECT_EQ(test, a, 0xffffffffu);
	KUNIT_EXPECT_EQ(test, net_parse_ipv4("0.0.0.0", &a), 0);
	KUNIT_EXPECT_EQ(test, a, 0u);
	KUNIT_EXPECT_EQ(test, net_parse_ipv4("010.000.002.015", &a), 0);
	KUNIT_EXPECT_EQ(test, a, 0x0a00020fu);
}

static void ipv4_text_refuses_malformed(struct kunit *test)
{
	static const char *const bad[] = {
		"", "10", "10.0.2", "10.0.2.", "10.0.2.15.", "10.0.2.15.1",
		"256.0.0.1", "1.2.3.256", "1.2.3.4 ", " 1.2.3.4", "1..2.3",
		"0001.2.3.4", "a.b.c.d", "1.2.3.-4", "1.2.3.4/24", "99999999999",
		"1,2,3,4",
	};
	uint32_t a = 0x12345678;

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ(test, net_parse_ipv4(bad[i], &a), -EINVAL);
		KUNIT_EXPECT_EQ(test, a, 0x12345678u);	/* untouched */
	}
	KUNIT_EXPECT_EQ(test, net_parse_ipv4(NULL, &a), -EINVAL);
}

static void ipv4_format_round_trips(struct kunit *test)
{
	struct prng r;
	char buf[NET_IPV4_STRLEN];

	prng_seed(&r, test->seed);
	for (int i = 0; i < 10000; i++) {
		uint32_t a = (uint32_t)prng_next(&r), b = ~a;

		KUNIT_ASSERT_EQ(test, net_parse_ipv4(net_format_ipv4(a, buf), &b), 0);
		KUNIT_ASSERT_EQ(test, a, b);
	}
	KUNIT_EXPECT_STREQ(test, net_format_ipv4(0xffffffffu, buf), "255.255.255.255");
}

static void ip_option_reads_static_and_dhcp(struct kunit *test)
{
	struct net_ip_config c;

	KUNIT_ASSERT_EQ(test, net_parse_ip_config("10.0.2.15/24,10.0.2.2", &c), 0);
	KUNIT_EXPECT_FALSE(test, c.dhcp);
	KUNIT_EXPECT_EQ(test, c.addr, 0x0a00020fu);
	KUNIT_EXPECT_EQ(test, c.prefix, 24u);
	KUNIT_EXPECT_EQ(test, c.gw, 0x0a000202u);
	KUNIT_ASSERT_EQ(test, net_parse_ip_config("192.168.1.7/16", &c), 0);
	KUNIT_EXPECT_EQ(test, c.gw, 0u);
	KUNIT_EXPECT_EQ(test, c.prefix, 16u);
	KUNIT_ASSERT_EQ(test, net_parse_ip_config("10.1.1.1/32", &c), 0);
	KUNIT_ASSERT_EQ(test, net_parse_ip_config("10.1.1.0/31", &c), 0);
	KUNIT_ASSERT_EQ(test, net_parse_ip_config("dhcp", &c), 0);
	KUNIT_EXPECT_TRUE(test, c.dhcp);
	KUNIT_EXPECT_EQ(test, net_prefix_mask(24), 0xffffff00u);
	KUNIT_EXPECT_EQ(test, net_prefix_mask(32), 0xffffffffu);
	KUNIT_EXPECT_EQ(test, net_prefix_mask(1), 0x80000000u);
	KUNIT_EXPECT_EQ(test, net_prefix_mask(0), 0u);
}

static void ip_option_refuses_malformed(struct kunit *test)
{
	static const char *const bad[] = {
		"", "10.0.2.15", "10.0.2.15/", "10.0.2.15/0", "10.0.2.15/33",
		"10.0.2.15/24,", "10.0.2.15/24,10.0.2", "10.0.2.15/x",
		"10.0.2.15/24/8", "10.0.2.0/24", "10.0.2.255/24", "0.0.0.0/8",
		"DHCP", "dhcp,10.0.2.2", "10.0.2.15/24,10.0.2.2,1.1.1.1",
		"10.0.2.15/24 ,10.0.2.2",
		"10.0.2.15/24,10.0.2.2xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	};
	struct net_ip_config c = { .addr = 7 };

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ(test, net_parse_ip_config(bad[i], &c), -EINVAL);
		KUNIT_EXPECT_EQ(test, c.addr, 7u);	/* untouched */
	}
	KUNIT_EXPECT_EQ(test, net_parse_ip_config(NULL, &c), -EINVAL);
}

static struct kunit_case net_inet_cases[] = {
	KUNIT_CASE(ipv4_text_reads_exactly),
	KUNIT_CASE(ipv4_text_refuses_malformed),
	KUNIT_CASE(ipv4_format_round_trips),
	KUNIT_CASE(ip_option_reads_static_and_dhcp),
	KUNIT_CASE(ip_option_refuses_malformed),
	{}
};

static struct kunit_suite net_inet_suite = {
	.name = "net_inet",
	.test_cases = net_inet_cases,
};
kunit_test_suite(net_inet_suite);
