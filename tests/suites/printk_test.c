/*
 * tests/suites/printk_test.c - the kernel log: Linux-style timestamps,
 * levels, continuation lines, the ring buffer and rate limiting.
 */
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include <arch/machine.h>

static char out[1024];

/* "[sssss.uuuuuu] " : 5-wide seconds, a dot, 6 digits, "] ". */
static bool is_stamp(const char *s)
{
	if (s[0] != '[' || s[6] != '.' || s[13] != ']' || s[14] != ' ')
		return false;
	for (int i = 1; i < 13; i++) {
		if (i == 6)
			continue;
		if (!((s[i] >= '0' && s[i] <= '9') || (i < 6 && s[i] == ' ')))
			return false;
	}
	return s[5] >= '0' && s[5] <= '9';
}

static void messages_get_a_linux_timestamp(struct kunit *test)
{
	printk_capture_start(out, sizeof(out));
	printk(KERN_INFO "hello %d\n", 42);
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, is_stamp(out));
	KUNIT_EXPECT_STREQ(test, out + 15, "hello 42\n");
}

static void continuation_lines_have_no_stamp(struct kunit *test)
{
	printk_capture_start(out, sizeof(out));
	printk("a");
	pr_cont("b");
	pr_cont("c\n");
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, is_stamp(out));
	KUNIT_EXPECT_STREQ(test, out + 15, "abc\n");
}

static void unterminated_line_is_ended_by_the_next_message(struct kunit *test)
{
	printk_capture_start(out, sizeof(out));
	printk("first");
	printk("second\n");
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, strncmp(out + 15, "first\n", 6), 0);
	KUNIT_EXPECT_TRUE(test, is_stamp(out + 21));
	KUNIT_EXPECT_STREQ(test, out + 36, "second\n");
}

static void each_line_of_a_message_is_stamped(struct kunit *test)
{
	printk_capture_start(out, sizeof(out));
	printk("one\ntwo\n");
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, is_stamp(out));
	KUNIT_EXPECT_EQ(test, strncmp(out + 15, "one\n", 4), 0);
	KUNIT_EXPECT_TRUE(test, is_stamp(out + 19));
	KUNIT_EXPECT_STREQ(test, out + 34, "two\n");
}

static void levels_are_not_printed_as_text(struct kunit *test)
{
	int saved = console_loglevel;

	console_loglevel = 3;	/* quiet console: the ring and capture still see it */
	printk_capture_start(out, sizeof(out));
	pr_debug("debug line\n");
	printk_capture_stop();
	console_loglevel = saved;
	KUNIT_EXPECT_STREQ(test, out + 15, "debug line\n");
	KUNIT_EXPECT_NULL(test, strchr(out, '\001'));
}

static void ring_keeps_recent_messages(struct kunit *test)
{
	static char ring[256];
	size_t n;

	printk("ring marker 12345\n");
	n = log_buf_read(ring, sizeof(ring));
	KUNIT_EXPECT_EQ(test, n, sizeof(ring) - 1);
	KUNIT_EXPECT_STREQ(test, ring + n - 18, "ring marker 12345\n");
}

static void capture_is_bounded(struct kunit *test)
{
	char small[8];

	printk_capture_start(small, sizeof(small));
	printk("a long message that does not fit\n");
	KUNIT_EXPECT_EQ(test, printk_capture_stop(), sizeof(small) - 1);
	KUNIT_EXPECT_EQ(test, small[7], '\0');
}

static void ratelimit_lets_one_through_per_interval(struct kunit *test)
{
	struct ratelimit rl = RATELIMIT_INIT(1000000000ULL * 3600);
	int passed = 0;

	printk_capture_start(out, sizeof(out));
	for (int i = 0; i < 10; i++)
		passed += __ratelimit(&rl);
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, passed, 1);
	KUNIT_EXPECT_EQ(test, rl.missed, 9U);
	/* A zero interval lets everything through and reports the misses. */
	rl.interval_ns = 0;
	printk_capture_start(out, sizeof(out));
	KUNIT_EXPECT_TRUE(test, __ratelimit(&rl));
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, strncmp(out + 15, "9 messages suppressed", 21), 0);
}

static struct kunit_case printk_cases[] = {
	KUNIT_CASE(messages_get_a_linux_timestamp),
	KUNIT_CASE(continuation_lines_have_no_stamp),
	KUNIT_CASE(unterminated_line_is_ended_by_the_next_message),
	KUNIT_CASE(each_line_of_a_message_is_stamped),
	KUNIT_CASE(levels_are_not_printed_as_text),
	KUNIT_CASE(ring_keeps_recent_messages),
	KUNIT_CASE(capture_is_bounded),
	KUNIT_CASE(ratelimit_lets_one_through_per_interval),
	{}
};

static struct kunit_suite printk_suite = {
	.name = "printk",
	.test_cases = printk_cases,
};
kunit_test_suite(printk_suite);
