/*
 * tests/kernel/rpi_mailbox_test.c - the Raspberry Pi firmware, asked for
 * real through the VideoCore mailbox (drivers/firmware/rpi_mbox.h): under
 * QEMU's raspi3b its emulated firmware answers. Each case skips with "no
 * VideoCore mailbox" on other machines; tools/run-tests makes every case
 * run on arm64-rpi3 and arm64-rpi3-dtb, and promises what QEMU's board
 * is:
 *   rpi.board_rev	the board revision code the firmware must give
 *			(QEMU 7.2 raspi3b: 0xa02082)
 *   rpi.silent_chan	a mailbox channel nothing listens on (QEMU: 7),
 *			for the timeout case; without it that case skips,
 *			as on a real board it must not write junk there
 * The messages' checks are tests/suites/rpi_mbox_msg_test.c's.
 */
#include "drivers/firmware/rpi_mbox.h"
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/time.h"
#include "mm/memblock.h"
#include <arch/page.h>

static char err[160];

/* call must return 0; else the case ends, saying what err says. */
#define ASSERT_OK(test, call) do {					\
	int r_ = (call);						\
	if (r_)								\
		kunit_info(test, "%s", err);				\
	KUNIT_ASSERT_EQ(test, r_, 0);					\
} while (0)

static void need_mailbox(struct kunit *test)
{
	if (!rpi_mbox_location())
		kunit_skip(test, "no VideoCore mailbox");
}

/* One tag, its reply words into v: asserts the transfer and the tag. */
static void ask(struct kunit *test, uint32_t tag, uint32_t arg, bool has_arg,
		unsigned int words, uint32_t *v)
{
	uint32_t buf[16];
	struct rpi_prop_msg m;

	rpi_prop_init(&m, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, rpi_prop_add(&m, tag, &arg, has_arg, words), 0);
	KUNIT_ASSERT_TRUE(test, rpi_prop_finish(&m) > 0);
	ASSERT_OK(test, rpi_mbox_property(&m, err, sizeof(err)));
	ASSERT_OK(test, rpi_prop_get(&m, 0, v, words, err, sizeof(err)));
}

static void board_revision_is_the_machines(struct kunit *test)
{
	uint32_t rev, fw;
	uint64_t want;
	char s[80];

	need_mailbox(test);
	ask(test, RPI_TAG_BOARD_REV, 0, false, 1, &rev);
	ask(test, RPI_TAG_FIRMWARE_REV, 0, false, 1, &fw);
	kunit_info(test, "board revision 0x%x, firmware 0x%x", rev, fw);
	KUNIT_EXPECT_NE(test, fw, 0U);
	if (kunit_expectation_u64("rpi.board_rev", &want))
		KUNIT_EXPECT_EQ(test, rev, (uint32_t)want);
	/* Every Pi this kernel boots on has a new-style code it can decode. */
	KUNIT_EXPECT_TRUE(test, rpi_board_rev_decode(rev, s, sizeof(s)));
	/* The boot report read the same. */
	KUNIT_EXPECT_EQ(test, rpi_firmware_boot_info()->board_rev, rev);
}

/*
 * The firmware's ARM memory is the RAM the kernel runs on: memblock's
 * memory (from the device tree or the ATAGs) lies inside it, reaches its
 * end and starts at its base, but for the first page, which the kernel
 * keeps out (the firmware's spin table); the holes between are what the
 * loader reserved (the device tree blob). None of the VideoCore's part,
 * which follows the ARM's, is RAM to the kernel.
 */
static void arm_memory_is_the_kernels(struct kunit *test)
{
	uint32_t arm[2], vc[2];
	uint64_t arm_end, vc_end, lo = UINT64_MAX, hi = 0;

	need_mailbox(test);
	ask(test, RPI_TAG_ARM_MEMORY, 0, false, 2, arm);
	ask(test, RPI_TAG_VC_MEMORY, 0, false, 2, vc);
	arm_end = (uint64_t)arm[0] + arm[1];
	vc_end = (uint64_t)vc[0] + vc[1];
	kunit_info(test, "ARM 0x%x + 0x%x, VideoCore 0x%x + 0x%x", arm[0], arm[1],
		   vc[0], vc[1]);
	KUNIT_EXPECT_NE(test, arm[1], 0U);
	KUNIT_EXPECT_NE(test, vc[1], 0U);
	KUNIT_EXPECT_EQ(test, arm_end, (uint64_t)vc[0]);
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		uint64_t end = r->base + r->size;

		if (r->base >= vc_end)
			continue;	/* a Pi 4's RAM above the VideoCore's */
		KUNIT_EXPECT_TRUE(test, r->base >= arm[0] && end <= arm_end);
		lo = min(lo, (uint64_t)r->base);
		hi = max(hi, end);
	}
	if (memblock_mem_limit())	/* mem= left the top out */
		KUNIT_EXPECT_LE(test, hi, arm_end);
	else
		KUNIT_EXPECT_EQ(test, hi, arm_end);
	KUNIT_EXPECT_TRUE(test, lo >= arm[0] && lo <= (uint64_t)arm[0] + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, rpi_firmware_boot_info()->arm_size, arm[1]);
}

static void clock_rates_nonzero_and_stable(struct kunit *test)
{
	static const uint32_t ids[] = { RPI_CLOCK_UART, RPI_CLOCK_EMMC, RPI_CLOCK_CORE };
	uint32_t a[2], hz;

	need_mailbox(test);
	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
		ask(test, RPI_TAG_CLOCK_RATE, ids[i], true, 2, a);
		KUNIT_EXPECT_EQ(test, a[0], ids[i]);	/* the clock asked for */
		KUNIT_EXPECT_NE(test, a[1], 0U);
		ASSERT_OK(test, rpi_firmware_clock_rate(ids[i], &hz, err,
								  sizeof(err)));
		KUNIT_EXPECT_EQ(test, hz, a[1]);
		kunit_info(test, "%s clock %u Hz", rpi_clock_name(ids[i]), hz);
	}
	KUNIT_EXPECT_EQ(test, rpi_firmware_boot_info()->clock_uart,
			(rpi_firmware_clock_rate(RPI_CLOCK_UART, &hz, err, sizeof(err)), hz));
}

/* The boot report's one message of ten tags reads what single ones do. */
static void one_message_many_tags(struct kunit *test)
{
	struct rpi_firmware_info f;
	uint32_t v[2];

	need_mailbox(test);
	ASSERT_OK(test, rpi_firmware_query(&f, err, sizeof(err)));
	KUNIT_EXPECT_EQ(test, f.board_rev_err, 0);
	KUNIT_EXPECT_EQ(test, f.arm_err, 0);
	KUNIT_EXPECT_EQ(test, f.uart_err, 0);
	KUNIT_EXPECT_EQ(test, f.core_err, 0);
	ask(test, RPI_TAG_BOARD_REV, 0, false, 1, v);
	KUNIT_EXPECT_EQ(test, f.board_rev, v[0]);
	ask(test, RPI_TAG_ARM_MEMORY, 0, false, 2, v);
	KUNIT_EXPECT_EQ(test, f.arm_base, v[0]);
	KUNIT_EXPECT_EQ(test, f.arm_size, v[1]);
	ask(test, RPI_TAG_CLOCK_RATE, RPI_CLOCK_CORE, true, 2, v);
	KUNIT_EXPECT_EQ(test, f.clock_core, v[1]);
	kunit_info(test, "model 0x%x (err %d), serial 0x%llx (err %d), EMMC2 %u (err %d)",
		   f.board_model, f.board_model_err, (unsigned long long)f.serial,
		   f.serial_err, f.clock_emmc2, f.emmc2_err);
}

/*
 * A tag the firmware does not know, between two it does: it comes back
 * unsupported, the message is still well formed and its neighbours are
 * answered; the mailbox works afterwards.
 */
static void unknown_tag_unsupported_without_harm(struct kunit *test)
{
	uint32_t buf[32], v[2], rev, again;
	struct rpi_prop_msg m;

	need_mailbox(test);
	ask(test, RPI_TAG_BOARD_REV, 0, false, 1, &rev);
	rpi_prop_init(&m, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, rpi_prop_add(&m, RPI_TAG_BOARD_REV, NULL, 0, 1), 0);
	KUNIT_ASSERT_EQ(test, rpi_prop_add(&m, 0x000dead0, NULL, 0, 2), 1);
	KUNIT_ASSERT_EQ(test, rpi_prop_add(&m, RPI_TAG_ARM_MEMORY, NULL, 0, 2), 2);
	KUNIT_ASSERT_TRUE(test, rpi_prop_finish(&m) > 0);
	ASSERT_OK(test, rpi_mbox_property(&m, err, sizeof(err)));
	KUNIT_EXPECT_EQ(test, rpi_prop_get(&m, 1, v, 2, err, sizeof(err)), -EOPNOTSUPP);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "tag 0x000dead0 (unknown tag) at offset 0x18");
	kunit_info(test, "%s", err);
	KUNIT_EXPECT_EQ(test, rpi_prop_get(&m, 0, v, 1, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, v[0], rev);
	KUNIT_EXPECT_EQ(test, rpi_prop_get(&m, 2, v, 2, err, sizeof(err)), 0);
	KUNIT_EXPECT_NE(test, v[1], 0U);
	ask(test, RPI_TAG_BOARD_REV, 0, false, 1, &again);
	KUNIT_EXPECT_EQ(test, again, rev);
}

/* Nobody answers: a clear error within the time given, not a hang. */
static void silent_channel_times_out(struct kunit *test)
{
	uint64_t chan, t0;
	uint32_t reply, rev;

	need_mailbox(test);
	if (!kunit_expectation_u64("rpi.silent_chan", &chan))
		kunit_skip(test, "no channel promised silent (rpi.silent_chan)");
	t0 = clock_ns();
	KUNIT_EXPECT_EQ(test, rpi_mbox_call((unsigned int)chan, 0, &reply,
					    20000000, err, sizeof(err)), -ETIMEDOUT);
	KUNIT_EXPECT_TRUE(test, clock_ns() - t0 >= 20000000);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "no answer on channel");
	KUNIT_EXPECT_STR_CONTAINS(test, err, "within 20 ms");
	ask(test, RPI_TAG_BOARD_REV, 0, false, 1, &rev);
	KUNIT_EXPECT_EQ(test, rev, rpi_firmware_boot_info()->board_rev);
}

static struct kunit_case rpi_mailbox_cases[] = {
	KUNIT_CASE(board_revision_is_the_machines),
	KUNIT_CASE(arm_memory_is_the_kernels),
	KUNIT_CASE(clock_rates_nonzero_and_stable),
	KUNIT_CASE(one_message_many_tags),
	KUNIT_CASE(unknown_tag_unsupported_without_harm),
	KUNIT_CASE(silent_channel_times_out),
	{}
};

static struct kunit_suite rpi_mailbox_suite = {
	.name = "rpi_mailbox",
	.test_cases = rpi_mailbox_cases,
};
kunit_test_suite(rpi_mailbox_suite);
