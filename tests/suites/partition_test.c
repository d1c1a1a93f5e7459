/*
 * tests/suites/partition_test.c - the MBR reader (drivers/block/
 * partition.h): tables as sfdisk writes them, and each malformed kind
 * reported with its entry and reason, never followed. Runs on the host
 * and in the kernel; the partitions as block devices are tested on real
 * disks made by sfdisk (tests/kernel/partition_user_test.c).
 */
#include "drivers/block/partition.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"

static uint8_t sector[512];

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void entry(unsigned int i, uint8_t flag, uint8_t type, uint32_t start,
		  uint32_t count)
{
	uint8_t *e = sector + MBR_TABLE_OFF + 16 * (i - 1);

	e[0] = flag;
	e[1] = 0xfe;	/* CHS fields as large disks have them: ignored */
	e[2] = 0xff;
	e[3] = 0xff;
	e[4] = type;
	e[5] = 0xfe;
	e[6] = 0xff;
	e[7] = 0xff;
	put32(e + 8, start);
	put32(e + 12, count);
}

/* A Raspberry Pi style card: FAT32 boot (bootable), Linux, swap. */
static void good_table(void)
{
	memset(sector, 0, sizeof(sector));
	sector[0] = 0xfa;	/* boot code is not looked at */
	entry(1, 0x80, 0x0c, 2048, 8192);
	entry(2, 0x00, 0x83, 10240, 20480);
	entry(3, 0x00, 0x82, 30720, 2048);
	sector[510] = 0x55;
	sector[511] = 0xaa;
}

#define DISK	65536ULL	/* 32 MiB */

static void table_read(struct kunit *test)
{
	struct mbr_partition p[MBR_NR_ENTRIES];
	char err[160];

	good_table();
	KUNIT_ASSERT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), 3);
	KUNIT_EXPECT_STREQ(test, err, "");
	KUNIT_EXPECT_EQ(test, p[0].number, 1U);
	KUNIT_EXPECT_EQ(test, p[0].type, 0x0c);
	KUNIT_EXPECT_TRUE(test, p[0].bootable);
	KUNIT_EXPECT_EQ(test, p[0].start, 2048ULL);
	KUNIT_EXPECT_EQ(test, p[0].nr_sectors, 8192ULL);
	KUNIT_EXPECT_EQ(test, p[1].number, 2U);
	KUNIT_EXPECT_FALSE(test, p[1].bootable);
	KUNIT_EXPECT_EQ(test, p[1].start, 10240ULL);
	KUNIT_EXPECT_EQ(test, p[2].type, 0x82);
	KUNIT_EXPECT_EQ(test, p[2].start + p[2].nr_sectors, 32768ULL);
	KUNIT_EXPECT_FALSE(test, p[2].extended);
	/* Exactly the disk's size is fine: the last sector is DISK - 1. */
	entry(4, 0x00, 0x83, 32768, (uint32_t)(DISK - 32768));
	KUNIT_EXPECT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), 4);
	KUNIT_EXPECT_EQ(test, p[3].number, 4U);
}

/* No signature: a plain disk (ext2 over the whole disk), not an error. */
static void no_signature_no_table(struct kunit *test)
{
	struct mbr_partition p[MBR_NR_ENTRIES];
	char err[160];

	good_table();
	sector[511] = 0xab;
	KUNIT_EXPECT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), 0);
	KUNIT_EXPECT_STREQ(test, err, "");
	memset(sector, 0, sizeof(sector));
	KUNIT_EXPECT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), 0);
}

/* Unused entries (type 0, whatever else they hold) and used ones with 0
 * sectors are skipped; numbers stay the entries'. */
static void unused_entries_skipped(struct kunit *test)
{
	struct mbr_partition p[MBR_NR_ENTRIES];
	char err[160];

	good_table();
	entry(1, 0x00, 0x00, 0, 12345);		/* type 0: unused */
	entry(2, 0x00, 0x83, 999999, 0);	/* 0 sectors: unused */
	KUNIT_ASSERT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), 1);
	KUNIT_EXPECT_EQ(test, p[0].number, 3U);
}

static void extended_flagged(struct kunit *test)
{
	struct mbr_partition p[MBR_NR_ENTRIES];
	char err[160];

	good_table();
	entry(4, 0x00, 0x0f, 40000, 8000);
	KUNIT_ASSERT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), 4);
	KUNIT_EXPECT_TRUE(test, p[3].extended);
	KUNIT_EXPECT_FALSE(test, p[1].extended);
}

/* Each malformed kind: -1, the entry and the reason, in words. */
static void malformed_reported(struct kunit *test)
{
	struct mbr_partition p[MBR_NR_ENTRIES];
	char err[160];

	good_table();
	entry(2, 0x12, 0x83, 10240, 20480);
	KUNIT_EXPECT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "entry 2: boot flag 0x12 is neither 0x00 nor 0x80 (not a partition table)");

	good_table();
	entry(3, 0x00, 0x82, 0, 2048);
	KUNIT_EXPECT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "entry 3: starts at sector 0, over the table itself");

	good_table();
	entry(3, 0x00, 0x82, 30720, 40000);
	KUNIT_EXPECT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "entry 3: sectors 30720-70719 end past the disk's end (65536 sectors)");

	good_table();
	entry(3, 0x00, 0x82, 18000, 2048);
	KUNIT_EXPECT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "entry 3: sectors 18000-20047 overlap entry 2's 10240-30719");

	good_table();
	entry(1, 0x00, 0xee, 1, 0xffffffff);
	KUNIT_EXPECT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "entry 1: type 0xee, a GPT's protective MBR (GPT is not read)");

	/* The largest a 32-bit entry can say, on a small disk: no overflow. */
	good_table();
	entry(4, 0x00, 0x83, 0xffffffff, 0xffffffff);
	KUNIT_EXPECT_EQ(test, mbr_parse(sector, DISK, p, err, sizeof(err)), -1);
	KUNIT_EXPECT_STREQ(test, err, "entry 4: sectors 4294967295-8589934589 end past the disk's end (65536 sectors)");
}

static void names(struct kunit *test)
{
	char b[16];

	partition_name(b, sizeof(b), "vda", 1);
	KUNIT_EXPECT_STREQ(test, b, "vda1");
	partition_name(b, sizeof(b), "nbd0", 2);
	KUNIT_EXPECT_STREQ(test, b, "nbd0p2");
	partition_name(b, sizeof(b), "mmcblk0", 4);
	KUNIT_EXPECT_STREQ(test, b, "mmcblk0p4");
}

static struct kunit_case partition_cases[] = {
	KUNIT_CASE(table_read),
	KUNIT_CASE(no_signature_no_table),
	KUNIT_CASE(unused_entries_skipped),
	KUNIT_CASE(extended_flagged),
	KUNIT_CASE(malformed_reported),
	KUNIT_CASE(names),
	{}
};

static struct kunit_suite partition_suite = {
	.name = "partition",
	.test_cases = partition_cases,
};
kunit_test_suite(partition_suite);
