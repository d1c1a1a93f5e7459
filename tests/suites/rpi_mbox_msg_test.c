/*
 * tests/suites/rpi_mbox_msg_test.c - the Raspberry Pi firmware's property
 * messages (drivers/firmware/rpi_mbox_msg.h): a request laid out word by
 * word as the firmware documents it, a good reply read back, and each
 * kind of bad reply refused with what and where. A pretend firmware
 * answers in memory; the real one (QEMU's raspi3b) is asked by
 * tests/kernel/rpi_mailbox_test.c. Runs on the host and in the kernel.
 */
#include "drivers/firmware/rpi_mbox_msg.h"
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"

static uint32_t buf[64];
static struct rpi_prop_msg msg;
static int i_rev, i_mem, i_uart;
static char err[160];

/* Board revision, ARM memory, UART clock: the request. */
static void build(void)
{
	uint32_t uart = RPI_CLOCK_UART;

	memset(buf, 0xa5, sizeof(buf));
	rpi_prop_init(&msg, buf, sizeof(buf));
	i_rev = rpi_prop_add(&msg, RPI_TAG_BOARD_REV, NULL, 0, 1);
	i_mem = rpi_prop_add(&msg, RPI_TAG_ARM_MEMORY, NULL, 0, 2);
	i_uart = rpi_prop_add(&msg, RPI_TAG_CLOCK_RATE, &uart, 1, 2);
	rpi_prop_finish(&msg);
}

/* What a good firmware writes back (offsets as laid out by build()). */
static void answer(void)
{
	buf[1] = RPI_PROP_SUCCESS;
	buf[4] = RPI_PROP_TAG_RESPONSE | 4;
	buf[5] = 0xa02082;
	buf[8] = RPI_PROP_TAG_RESPONSE | 8;
	buf[9] = 0;
	buf[10] = 0x3c000000;
	buf[13] = RPI_PROP_TAG_RESPONSE | 8;
	buf[14] = RPI_CLOCK_UART;
	buf[15] = 48000000;
}

static void request_layout(struct kunit *test)
{
	static const uint32_t want[] = {
		68, 0,					/* size, request */
		0x00010002, 4, 0, 0,			/* board revision */
		0x00010005, 8, 0, 0, 0,			/* ARM memory */
		0x00030002, 8, 0, 2, 0,			/* clock rate, UART */
		0,					/* end tag */
	};

	build();
	KUNIT_EXPECT_EQ(test, i_rev, 0);
	KUNIT_EXPECT_EQ(test, i_mem, 1);
	KUNIT_EXPECT_EQ(test, i_uart, 2);
	KUNIT_ASSERT_EQ(test, msg.len, sizeof(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		KUNIT_EXPECT_EQ(test, buf[i], want[i]);
	KUNIT_EXPECT_EQ(test, buf[ARRAY_SIZE(want)], 0xa5a5a5a5U);	/* nothing past it */
}

static void good_reply_read(struct kunit *test)
{
	uint32_t v[2];

	build();
	answer();
	KUNIT_ASSERT_EQ(test, rpi_prop_check(&msg, err, sizeof(err)), 0);
	KUNIT_EXPECT_STREQ(test, err, "");
	KUNIT_ASSERT_EQ(test, rpi_prop_get(&msg, i_rev, v, 1, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, v[0], 0xa02082U);
	KUNIT_ASSERT_EQ(test, rpi_prop_get(&msg, i_mem, v, 2, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, v[0], 0U);
	KUNIT_EXPECT_EQ(test, v[1], 0x3c000000U);
	KUNIT_ASSERT_EQ(test, rpi_prop_get(&msg, i_uart, v, 2, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, v[1], 48000000U);
	/* A longer reply than needed but inside the buffer is fine. */
	buf[4] = RPI_PROP_TAG_RESPONSE | 4;
	KUNIT_EXPECT_EQ(test, rpi_prop_get(&msg, i_rev, v, 1, err, sizeof(err)), 0);
}

static void full_buffer_refused(struct kunit *test)
{
	uint32_t small[7];
	struct rpi_prop_msg m;

	rpi_prop_init(&m, small, sizeof(small));
	/* 28 bytes: 8 header + 12 + 8 leaves no room for the end tag. */
	KUNIT_EXPECT_EQ(test, rpi_prop_add(&m, RPI_TAG_ARM_MEMORY, NULL, 0, 2), -1);
	KUNIT_EXPECT_EQ(test, rpi_prop_add(&m, RPI_TAG_BOARD_REV, NULL, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, rpi_prop_add(&m, RPI_TAG_BOARD_REV, NULL, 0, 1), -1);
	KUNIT_EXPECT_EQ(test, rpi_prop_add(&m, 0, NULL, 0, 1), -1);	/* the end tag's id */
	KUNIT_EXPECT_EQ(test, rpi_prop_finish(&m), 28);
	KUNIT_EXPECT_EQ(test, rpi_prop_finish(&m), -1);
	KUNIT_EXPECT_EQ(test, rpi_prop_add(&m, RPI_TAG_BOARD_REV, NULL, 0, 1), -1);
}

/* Each malformed buffer: refused, with this text in the message. */
static void bad_buffers_refused(struct kunit *test)
{
	static const struct {
		unsigned int word;
		uint32_t value;
		const char *says;
	} bad[] = {
		{ 0, 4096, "reply size word 4096 at offset 0x0, but 68 bytes were sent (would overrun the buffer)" },
		{ 0, 64, "reply size word 64" },
		{ 1, RPI_PROP_ERROR, "buffer response code 0x80000001 at offset 0x4: the firmware could not parse the request" },
		{ 1, RPI_PROP_REQUEST, "still the request's: the firmware did not answer" },
		{ 1, 0x12345678, "neither success" },
		{ 2, 0x00010001, "rpi-mbox: tag 0x00010002 (board revision) at offset 0x8: the reply has tag id 0x00010001 there" },
		{ 7, 0x1000, "tag 0x00010005 (ARM memory) at offset 0x18: value buffer size 4096 in the reply, 8 sent (past the tag)" },
		{ 12, 4, "tag 0x00030002 (clock rate, UART) at offset 0x2c: value buffer size 4 in the reply, 8 sent" },
		{ 16, 0x00010002, "end tag missing at offset 0x40" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		build();
		answer();
		buf[bad[i].word] = bad[i].value;
		KUNIT_EXPECT_EQ(test, rpi_prop_check(&msg, err, sizeof(err)), -EPROTO);
		KUNIT_EXPECT_STR_CONTAINS(test, err, bad[i].says);
	}
	/* Never finished: nothing to judge. */
	rpi_prop_init(&msg, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, rpi_prop_check(&msg, err, sizeof(err)), -EPROTO);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "never finished");
}

/* Each malformed tag: its own error, the other tags still read. */
static void bad_tags_refused(struct kunit *test)
{
	static const struct {
		unsigned int word;
		uint32_t value;
		int idx, r;
		const char *says;
	} bad[] = {
		{ 13, RPI_PROP_TAG_RESPONSE | 12, 2, -EPROTO, "rpi-mbox: tag 0x00030002 (clock rate, UART) at offset 0x2c: reply length 12 > value buffer 8 bytes (truncated)" },
		{ 13, RPI_PROP_TAG_RESPONSE | 4, 2, -EPROTO, "tag 0x00030002 (clock rate, UART) at offset 0x2c: reply length 4 < 8 expected" },
		{ 8, 8, 1, -EOPNOTSUPP, "tag 0x00010005 (ARM memory) at offset 0x18: not answered (code 0x00000008: response bit 31 clear)" },
		{ 4, RPI_PROP_TAG_RESPONSE, 0, -EOPNOTSUPP, "tag 0x00010002 (board revision) at offset 0x8: answered with no value" },
		{ 4, 0xffffffff, 0, -EPROTO, "reply length 2147483647 > value buffer 4 bytes" },
	};
	uint32_t v[2];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		build();
		answer();
		buf[bad[i].word] = bad[i].value;
		KUNIT_ASSERT_EQ(test, rpi_prop_check(&msg, err, sizeof(err)), 0);
		KUNIT_EXPECT_EQ(test, rpi_prop_get(&msg, (unsigned int)bad[i].idx, v,
						   bad[i].idx ? 2 : 1, err, sizeof(err)), bad[i].r);
		KUNIT_EXPECT_STR_CONTAINS(test, err, bad[i].says);
		/* The tags around it are still good. */
		for (int j = 0; j < 3; j++)
			if (j != bad[i].idx)
				KUNIT_EXPECT_EQ(test, rpi_prop_get(&msg, (unsigned int)j,
								   v, j ? 2 : 1, NULL, 0), 0);
	}
	/* Asking for more than was expected, or a tag not sent. */
	build();
	answer();
	KUNIT_EXPECT_EQ(test, rpi_prop_get(&msg, 0, v, 2, err, sizeof(err)), -EPROTO);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "2 reply words asked, 1 expected");
	KUNIT_EXPECT_EQ(test, rpi_prop_get(&msg, 3, v, 1, err, sizeof(err)), -EPROTO);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "no tag 3 in the message (3 tags)");
}

static void tag_names(struct kunit *test)
{
	char b[40];

	rpi_prop_tag_name(RPI_TAG_CLOCK_RATE, RPI_CLOCK_EMMC2, b, sizeof(b));
	KUNIT_EXPECT_STREQ(test, b, "clock rate, EMMC2");
	rpi_prop_tag_name(RPI_TAG_CLOCK_RATE, 99, b, sizeof(b));
	KUNIT_EXPECT_STREQ(test, b, "clock rate, clock 99");
	rpi_prop_tag_name(RPI_TAG_VC_MEMORY, 0, b, sizeof(b));
	KUNIT_EXPECT_STREQ(test, b, "VideoCore memory");
	rpi_prop_tag_name(0x000dead0, 0, b, sizeof(b));
	KUNIT_EXPECT_STREQ(test, b, "unknown tag");
}

static void board_revisions_decoded(struct kunit *test)
{
	static const struct {
		uint32_t rev;
		const char *says;	/* NULL: not decoded, printed raw */
		unsigned int mib;
	} revs[] = {
		{ 0xa02082, "Raspberry Pi 3 Model B rev 1.2, 1 GiB, Sony UK", 1024 },
		{ 0xa22082, "Raspberry Pi 3 Model B rev 1.2, 1 GiB, Embest", 1024 },
		{ 0xa020d3, "Raspberry Pi 3 Model B+ rev 1.3, 1 GiB, Sony UK", 1024 },
		{ 0x9020e0, "Raspberry Pi 3 Model A+ rev 1.0, 512 MiB, Sony UK", 512 },
		{ 0xc03111, "Raspberry Pi 4 Model B rev 1.1, 4 GiB, Sony UK", 4096 },
		{ 0xd03114, "Raspberry Pi 4 Model B rev 1.4, 8 GiB, Sony UK", 8192 },
		{ 0xc03130, "Raspberry Pi 400 rev 1.0, 4 GiB, Sony UK", 4096 },
		{ 0x0010, NULL, 0 },		/* old style: a B+ */
		{ 0xa01041, NULL, 1024 },	/* new style, a Pi 2 B: not this family */
		{ 0xa02f82, NULL, 1024 },	/* unknown type 0xf8 */
		{ 0xa62082, NULL, 1024 },	/* unknown maker 6 */
		{ 0xe02082, NULL, 0 },		/* memory code 6: not made */
	};
	char b[80];

	for (size_t i = 0; i < ARRAY_SIZE(revs); i++) {
		strlcpy(b, "untouched", sizeof(b));
		KUNIT_EXPECT_EQ(test, rpi_board_rev_decode(revs[i].rev, b, sizeof(b)),
				revs[i].says != NULL);
		KUNIT_EXPECT_STREQ(test, b, revs[i].says ? revs[i].says : "untouched");
		KUNIT_EXPECT_EQ(test, rpi_board_rev_mem_mib(revs[i].rev), revs[i].mib);
	}
	KUNIT_EXPECT_FALSE(test, rpi_board_rev_is_bcm2711(0xa02082));
	KUNIT_EXPECT_TRUE(test, rpi_board_rev_is_bcm2711(0xc03111));
	KUNIT_EXPECT_FALSE(test, rpi_board_rev_is_bcm2711(0x3000));	/* old style */
}

static struct kunit_case rpi_mbox_msg_cases[] = {
	KUNIT_CASE(request_layout),
	KUNIT_CASE(good_reply_read),
	KUNIT_CASE(full_buffer_refused),
	KUNIT_CASE(bad_buffers_refused),
	KUNIT_CASE(bad_tags_refused),
	KUNIT_CASE(tag_names),
	KUNIT_CASE(board_revisions_decoded),
	{}
};

static struct kunit_suite rpi_mbox_msg_suite = {
	.name = "rpi_mbox_msg",
	.test_cases = rpi_mbox_msg_cases,
};
kunit_test_suite(rpi_mbox_msg_suite);
