/*
 * tests/suites/mmc_decode_test.c - the SD card registers as mmc_core.c
 * reads them (drivers/mmc/mmc.h, "Pure decoding"): CSDs and CIDs built
 * bit by bit from the SD Physical Layer Simplified Specification's
 * tables (CSD 1.0: 5.3.2, CSD 2.0: 5.3.3, CID: 5.2), fields that straddle
 * the words a 136-bit response comes in, and the card status's error
 * bits in words. Runs on the host and in the kernel; the protocol around
 * them is tested against a simulated card on the host
 * (tests/host/mmc_card_test.c).
 */
#include "drivers/mmc/mmc.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "tests/suites/mmc_regs.h"

/* Fields across word boundaries, against a plain 128-bit reference. */
static void bits_straddle_words(struct kunit *test)
{
	uint32_t r[4] = { 0, 0x00000001, 0x80000000, 0 };	/* bits 64, 63 */
	struct prng rng;

	KUNIT_EXPECT_EQ(test, mmc_bits(r, 63, 2), 3U);
	KUNIT_EXPECT_EQ(test, mmc_bits(r, 62, 4), 6U);
	KUNIT_EXPECT_EQ(test, mmc_bits(r, 64, 1), 1U);
	KUNIT_EXPECT_EQ(test, mmc_bits(r, 65, 31), 0U);
	r[0] = 0x80000000;					/* bit 127 */
	r[3] = 0x00000001;					/* bit 0 */
	KUNIT_EXPECT_EQ(test, mmc_bits(r, 127, 1), 1U);
	KUNIT_EXPECT_EQ(test, mmc_bits(r, 0, 1), 1U);
	KUNIT_EXPECT_EQ(test, mmc_bits(r, 96, 32), 0x80000000U);
	KUNIT_EXPECT_EQ(test, mmc_bits(r, 0, 32), 1U);
	prng_seed(&rng, test->seed);
	for (unsigned int i = 0; i < 2000; i++) {
		uint64_t hi, lo, v;
		unsigned int size = 1 + (unsigned int)prng_below(&rng, 32);
		unsigned int start = (unsigned int)prng_below(&rng, 128 - size + 1);
		uint32_t want;

		for (unsigned int w = 0; w < 4; w++)
			r[w] = (uint32_t)prng_next(&rng);
		/* the reference: two 64-bit halves, shifted */
		hi = (uint64_t)r[0] << 32 | r[1];
		lo = (uint64_t)r[2] << 32 | r[3];
		if (start >= 64)
			v = hi >> (start - 64);
		else if (start == 0)
			v = lo;
		else
			v = lo >> start | hi << (64 - start);
		want = (uint32_t)v & (uint32_t)(size == 32 ? ~0U : (1U << size) - 1);
		if (mmc_bits(r, start, size) != want) {
			KUNIT_FAIL(test, "bits %u-%u of %08x %08x %08x %08x: "
				   "0x%x, want 0x%x", start + size - 1, start,
				   r[0], r[1], r[2], r[3],
				   mmc_bits(r, start, size), want);
			break;
		}
	}
}

/* A 2 GiB SDSC card: READ_BL_LEN 10, C_SIZE 4095, C_SIZE_MULT 7; a 64
 * MiB one with 512-byte blocks; TRAN_SPEED 0x32 is 25 MHz. */
static void csd_1_0_capacity_and_speed(struct kunit *test)
{
	struct mmc_card card = { 0 };
	char err[128] = "";

	mmc_make_csd_v1(card.csd, 10, 4095, 7, 0x32);
	KUNIT_ASSERT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), 0);
	KUNIT_EXPECT_STREQ(test, err, "");
	KUNIT_EXPECT_EQ(test, card.csd_version, 1U);
	KUNIT_EXPECT_EQ(test, card.nr_sectors, 2ULL << 30 >> 9);
	KUNIT_EXPECT_EQ(test, card.max_hz, 25000000U);
	/* 64 MiB: (1023 + 1) << (5 + 2 + 9) = 64 Mi bytes. */
	mmc_make_csd_v1(card.csd, 9, 1023, 5, 0x32);
	KUNIT_ASSERT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, card.nr_sectors, 64ULL << 20 >> 9);
	/* 4 GiB, the most 1.0 can say (READ_BL_LEN 11). */
	mmc_make_csd_v1(card.csd, 11, 4095, 7, 0x5a);
	KUNIT_ASSERT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, card.nr_sectors, 4ULL << 30 >> 9);
	KUNIT_EXPECT_EQ(test, card.max_hz, 50000000U);
	/* The smallest: one unit of 4 blocks of 512 bytes. */
	mmc_make_csd_v1(card.csd, 9, 0, 0, 0x32);
	KUNIT_ASSERT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, card.nr_sectors, 4ULL);
}

/* 32 GiB SDHC: C_SIZE 65535; TRAN_SPEED 0x5a is 50 MHz; 2 TiB, the most
 * 2.0 says with its 22 bits. */
static void csd_2_0_capacity_and_speed(struct kunit *test)
{
	struct mmc_card card = { 0 };
	char err[128] = "";

	mmc_make_csd_v2(card.csd, 65535, 0x5a);
	KUNIT_ASSERT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, card.csd_version, 2U);
	KUNIT_EXPECT_EQ(test, card.nr_sectors, 32ULL << 30 >> 9);
	KUNIT_EXPECT_EQ(test, card.max_hz, 50000000U);
	mmc_make_csd_v2(card.csd, 0x3fffff, 0x32);
	KUNIT_ASSERT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, card.nr_sectors, 2ULL << 40 >> 9);
	KUNIT_EXPECT_EQ(test, card.max_hz, 25000000U);
	/* Other entries of the table: 0x2a is 2.0 x 10 Mbit/s, 0x48 is
	 * 4.0 x 100 kbit/s (the least capacity 2.0 says: 4 MiB). */
	mmc_make_csd_v2(card.csd, 7, 0x2a);
	KUNIT_ASSERT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, card.max_hz, 20000000U);
	KUNIT_EXPECT_EQ(test, card.nr_sectors, 8192ULL);
	mmc_make_csd_v2(card.csd, 7, 0x48);
	KUNIT_ASSERT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, card.max_hz, 400000U);
}

/* What this kernel cannot read is refused with why. */
static void csd_refusals_say_why(struct kunit *test)
{
	struct mmc_card card = { 0 };
	char err[128];

	mmc_make_csd_v2(card.csd, 65535, 0x32);
	mmc_set_bits(card.csd, 126, 2, 2);
	KUNIT_EXPECT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), -EINVAL);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "CSD structure 2 (SDUC");
	mmc_set_bits(card.csd, 126, 2, 3);
	KUNIT_EXPECT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), -EINVAL);
	KUNIT_EXPECT_STR_CONTAINS(test, err, "CSD structure 3 (reserved)");
	/* TRAN_SPEED: value 0 is reserved, and units past 100 Mbit/s. */
	mmc_make_csd_v2(card.csd, 65535, 0x02);
	KUNIT_EXPECT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err, "CSD TRAN_SPEED 0x02 names no speed");
	mmc_make_csd_v1(card.csd, 9, 1023, 5, 0x34);
	KUNIT_EXPECT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err, "CSD TRAN_SPEED 0x34 names no speed");
	mmc_make_csd_v1(card.csd, 8, 1023, 5, 0x32);
	KUNIT_EXPECT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err, "CSD 1.0 READ_BL_LEN 8 is not 9-11");
	mmc_make_csd_v1(card.csd, 12, 1023, 5, 0x32);
	KUNIT_EXPECT_EQ(test, mmc_decode_csd(&card, err, sizeof(err)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, err, "CSD 1.0 READ_BL_LEN 12 is not 9-11");
}

/* MID 0x1b, OID "SM", PNM "EB1QT", PRV 3.0, PSN 0x8a3c1f07, MDT
 * 2019-05 (year 19 in bits 19:12, month in 11:8). */
static void cid_fields(struct kunit *test)
{
	struct mmc_card card = { 0 };

	mmc_make_cid(card.cid, 0x1b, "SM", "EB1QT", 3, 0, 0x8a3c1f07, 2019, 5);
	mmc_decode_cid(&card);
	KUNIT_EXPECT_EQ(test, card.manfid, 0x1b);
	KUNIT_EXPECT_STREQ(test, card.oemid, "SM");
	KUNIT_EXPECT_STREQ(test, card.name, "EB1QT");
	KUNIT_EXPECT_EQ(test, card.prv_major, 3U);
	KUNIT_EXPECT_EQ(test, card.prv_minor, 0U);
	KUNIT_EXPECT_EQ(test, card.serial, 0x8a3c1f07U);
	KUNIT_EXPECT_EQ(test, card.year, 2019U);
	KUNIT_EXPECT_EQ(test, card.month, 5U);
	/* Bytes a name cannot print become '?'. */
	mmc_set_bits(card.cid, 96, 8, 0x07);
	mmc_set_bits(card.cid, 64, 8, 0xc3);
	mmc_decode_cid(&card);
	KUNIT_EXPECT_STREQ(test, card.name, "?B1Q?");
}

/* The card status's error bits, in words, in the table's order. */
static void r1_errors_in_words(struct kunit *test)
{
	char buf[160];

	mmc_r1_errors(0x00000900, buf, sizeof(buf));	/* tran, ready */
	KUNIT_EXPECT_STREQ(test, buf, "");
	mmc_r1_errors(R1_OUT_OF_RANGE | R1_READY_FOR_DATA, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "out of range");
	mmc_r1_errors(R1_ADDRESS_ERROR | R1_ILLEGAL_COMMAND, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "address error, illegal command");
	mmc_r1_errors(R1_ERRORS, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "out of range, address error, block "
			   "length error, write protected, command CRC error, "
			   "illegal command, card ECC failed, card controller "
			   "error, general error");
	/* A short buffer is cut, never overrun. */
	memset(buf, 'x', sizeof(buf));
	mmc_r1_errors(R1_ERRORS, buf, 10);
	KUNIT_EXPECT_STREQ(test, buf, "out of ra");
	KUNIT_EXPECT_EQ(test, buf[10], 'x');
	KUNIT_EXPECT_STREQ(test, mmc_strerror(-ETIMEDOUT), "no response (timeout)");
	KUNIT_EXPECT_STREQ(test, mmc_strerror(-EILSEQ), "CRC error");
}

static struct kunit_case mmc_decode_cases[] = {
	KUNIT_CASE(bits_straddle_words),
	KUNIT_CASE(csd_1_0_capacity_and_speed),
	KUNIT_CASE(csd_2_0_capacity_and_speed),
	KUNIT_CASE(csd_refusals_say_why),
	KUNIT_CASE(cid_fields),
	KUNIT_CASE(r1_errors_in_words),
	{}
};

static struct kunit_suite mmc_decode_suite = {
	.name = "mmc_decode",
	.test_cases = mmc_decode_cases,
};
kunit_test_suite(mmc_decode_suite);
