/*
 * tests/kernel/partition_user_test.c - partitions on a real disk, end to
 * end (suite fs_user_partitions, in the ext2 configurations): a disk the
 * host partitioned with sfdisk, with an ext2 file system made by mke2fs
 * in partition 1, a swap area made by mkswap in partition 2 and nothing
 * in partition 3, and a disk whose table is malformed (tools/e2e.sh,
 * ext2_setup). After the run the host checks each partition where
 * sfdisk put it, and that nothing outside them changed (ext2_check).
 *
 * Promised by the harness (without part.disk the suite skips: the -bad
 * configurations run fs_user* too):
 *   part.disk:vdd   the partitioned disk (layout below, also e2e.sh's);
 *                   mmcblk0 in arm64-rpi3-dtb: the same on an SD card
 *   part.bad:vde    a table whose entry 2 overlaps entry 1 (not where
 *                   there is one disk only: the Raspberry Pi's card)
 */
#include "drivers/block/partition.h"
#include "drivers/block/blk.h"
#include "drivers/block/blk_pattern.h"
#include "kernel/kunit.h"
#include "mm/kmalloc.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "tests/kernel/e2e_user.h"

/* The layout sfdisk writes (sectors; tools/e2e.sh PART_LAYOUT). */
#define P1_START	2048
#define P1_SIZE		16384	/* ext2, type 0x83 */
#define P2_START	18432
#define P2_SIZE		16384	/* swap, type 0x82 */
#define P3_START	34816
#define P3_SIZE		8192	/* raw: the pattern, type 0x83 */

/* Partition n of disk: vdd1, mmcblk0p1 (partition_name's rule). */
static const char *part_name(const char *disk, unsigned int n)
{
	static char names[4][16];
	static unsigned int next;
	char *name = names[next++ % ARRAY_SIZE(names)];

	partition_name(name, sizeof(names[0]), disk, n);
	return name;
}

static struct block_device *part_of(struct kunit *test, const char *disk,
				    unsigned int n)
{
	return blk_get(part_name(disk, n));
}

/* The partitions are where sfdisk put them, with its sizes; there is no
 * fourth; the malformed disk has none. */
static void partitions_are_sfdisks(struct kunit *test)
{
	const char *disk = promised(test, "part.disk");
	const char *bad = kunit_expectation("part.bad") ?
			  promised(test, "part.bad") : NULL;
	static const uint64_t start[] = { P1_START, P2_START, P3_START };
	static const uint64_t size[] = { P1_SIZE, P2_SIZE, P3_SIZE };
	struct block_device *d = blk_get(disk);
	char want[64];

	KUNIT_ASSERT_NOT_NULL(test, d);
	for (unsigned int i = 0; i < 3; i++) {
		struct block_device *p = part_of(test, disk, i + 1);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_PTR_EQ(test, p->whole, d);
		KUNIT_EXPECT_EQ(test, p->partno, i + 1);
		KUNIT_EXPECT_EQ(test, p->start_sect, start[i]);
		KUNIT_EXPECT_EQ(test, p->nr_sectors, size[i]);
	}
	KUNIT_EXPECT_NULL(test, part_of(test, disk, 4));
	if (bad) {
		KUNIT_EXPECT_NOT_NULL(test, blk_get(bad));
		KUNIT_EXPECT_NULL(test, part_of(test, bad, 1));
		KUNIT_EXPECT_NULL(test, part_of(test, bad, 2));
	}
	capture(test);
	KUNIT_EXPECT_EQ(test, console("blk list"), 0);
	ksnprintf(want, sizeof(want), "partition 2 of %s at 18432", disk);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
}

/*
 * The raw partition written whole with the pattern of its disk sectors
 * (the host checks them where sfdisk put partition 3), read back; a
 * request one sector past its end is refused, not sent to the disk.
 */
static void raw_partition_written_in_place(struct kunit *test)
{
	const char *disk = promised(test, "part.disk");
	struct block_device *p = part_of(test, disk, 3);
	const unsigned int chunk = 64;		/* sectors a request */
	uint8_t *buf;

	KUNIT_ASSERT_NOT_NULL(test, p);
	buf = kmalloc(chunk * SECTOR_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (uint64_t s = 0; s < P3_SIZE; s += chunk) {
		for (unsigned int k = 0; k < chunk; k++)
			for (unsigned int i = 0; i < SECTOR_SIZE; i++)
				buf[k * SECTOR_SIZE + i] =
					blk_pattern_byte(P3_START + s + k, i);
		KUNIT_ASSERT_EQ(test, blk_write(p, s, buf, chunk, NULL), 0);
	}
	KUNIT_EXPECT_EQ(test, blk_flush(p), 0);
	memset(buf, 0, chunk * SECTOR_SIZE);
	KUNIT_ASSERT_EQ(test, blk_read(p, P3_SIZE - chunk, buf, chunk, NULL), 0);
	KUNIT_EXPECT_EQ(test, buf[(chunk - 1) * SECTOR_SIZE + 7],
			blk_pattern_byte(P3_START + P3_SIZE - 1, 7));
	/* The same sectors through the whole disk, where they must be. */
	memset(buf, 0, chunk * SECTOR_SIZE);
	KUNIT_ASSERT_EQ(test, blk_read(p->whole, P3_START + P3_SIZE - chunk, buf,
				       chunk, NULL), 0);
	for (unsigned int k = 0; k < chunk; k++)
		if (buf[k * SECTOR_SIZE + 100] !=
		    blk_pattern_byte(P3_START + P3_SIZE - chunk + k, 100)) {
			KUNIT_FAIL(test, "disk sector %u does not hold what "
				   "partition 3's sector %u was written with",
				   P3_START + P3_SIZE - chunk + k,
				   P3_SIZE - chunk + k);
			break;
		}
	KUNIT_EXPECT_EQ(test, blk_read(p, P3_SIZE, buf, 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, blk_write(p, P3_SIZE - 1, buf, 2, NULL), -EINVAL);
	kfree(buf);
}

/*
 * ext2 on partition 1: mounted, the file mke2fs put there read back,
 * one written (the host reads it with debugfs after the run); while it
 * is mounted the whole disk cannot be swap or mounted, and its other
 * partitions can.
 */
static void ext2_on_a_partition(struct kunit *test)
{
	const char *disk = promised(test, "part.disk");
	char line[64], want[96];

	/* /mnt is the one mount point (the initramfs is read-only): the
	 * root disk leaves it if fs_user has not unmounted it already. */
	console("umount /mnt");
	capture(test);
	ksnprintf(line, sizeof(line), "mount %s /mnt", part_name(disk, 1));
	KUNIT_ASSERT_EQ(test, console(line), 0);
	KUNIT_EXPECT_EQ(test, sh(test, "cat /mnt/hello"), EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "written by mke2fs -d on the host");
	KUNIT_EXPECT_EQ(test, sh(test, "echo written in partition 1 > "
				 "/mnt/guest && sync"), EXITED(0));
	ksnprintf(line, sizeof(line), "swapon %s", disk);
	KUNIT_EXPECT_NE(test, console(line), 0);
	ksnprintf(want, sizeof(want), "swapon: %s: in use by a partition's user",
		  disk);
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	ksnprintf(line, sizeof(line), "swapon %s", part_name(disk, 2));
	KUNIT_EXPECT_EQ(test, console(line), 0);
	ksnprintf(line, sizeof(line), "swapoff %s", part_name(disk, 2));
	KUNIT_EXPECT_EQ(test, console(line), 0);
	KUNIT_EXPECT_EQ(test, console("umount /mnt"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

/* MiB a process can fill without swap: free pages above the min
 * watermarks, less one page of page table for every 512 it maps. */
static unsigned long user_can_have_mib(void)
{
	unsigned long free = nr_free_pages(), reserve = 0;
	struct zone *zone;

	for_each_populated_zone_in(zone, &contig_page_data)
		reserve += min_wmark_pages(zone);
	free = free > reserve ? free - reserve : 0;
	return (free - free / 512) >> (20 - PAGE_SHIFT);
}

/*
 * What the swap case's memhog may have, at most: on a machine with more
 * free (the Raspberry Pi's 1 GiB) the case sets the rest aside first. A
 * memhog that loops over a little more than memory is LRU's worst case:
 * its verify pass reads back nearly all of itself, here at the SD card's
 * ~2 MiB/s (114 MiB took 46 s of the Pi 3 machine's 62), while what the
 * case proves needs only pages going out to the partition and back.
 */
#define HOG_ROOM_MIB	16

/* Allocate (and keep on held) until user_can_have_mib() is at most
 * HOG_ROOM_MIB: 2 MiB blocks while the allocator has them, pages after. */
static void hold_memory(struct list_head *held)
{
	unsigned int order = 9;

	while (user_can_have_mib() > HOG_ROOM_MIB) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN |
					     __GFP_NORETRY, order);

		if (!p) {
			if (!order)
				break;
			order = 0;
			continue;
		}
		p->private = order;
		list_add(&p->lru, held);
	}
}

static void release_memory(struct list_head *held)
{
	while (!list_empty(held)) {
		struct page *p = list_first_entry(held, struct page, lru);

		list_del(&p->lru);
		__free_pages(p, (unsigned int)p->private);
	}
}

/*
 * Swap on partition 2 (mkswap's header at the partition's start, not the
 * disk's): a memhog of what is free plus 2 MiB (at most HOG_ROOM_MIB + 2:
 * the rest set aside) goes out to it and reads every word back right. The host then finds ext2 in partition 1 clean
 * and partition 3's pattern whole: nothing landed beside the area.
 */
static void swap_on_a_partition(struct kunit *test)
{
	const char *disk = promised(test, "part.disk");
	unsigned long out0 = global_vm_event(PSWPOUT);
	char line[64], size[16], want[80];
	const char *const argv[] = { "memhog", size, NULL };
	struct list_head held = LIST_HEAD_INIT(held);

	capture(test);
	ksnprintf(line, sizeof(line), "swapon %s", part_name(disk, 2));
	KUNIT_ASSERT_EQ(test, console(line), 0);
	KUNIT_EXPECT_EQ(test, console("swaps"), 0);
	/* mkswap's header: P2_SIZE / 8 pages, the first the header. */
	ksnprintf(want, sizeof(want), "/dev/%s", part_name(disk, 2));
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "partition\t8188\t");
	ksnprintf(line, sizeof(line), "mount %s /mnt", disk);
	KUNIT_EXPECT_NE(test, console(line), 0);
	/* 2 MiB more than a process can have without swap: a quarter of the
	 * area. What it can have is what is free above the min watermarks
	 * (the reserves), less its page tables (one page per 2 MiB). On the
	 * 32 MiB machine those are small; on the Raspberry Pi's 1 GiB they
	 * are 4 and 2 MiB, and "free + 2 MiB" asked for more than the area
	 * holds: the OOM killer, rightly. (With 4 MiB more, one full run of
	 * the 32 MiB machine, right after fs_user, ended in the OOM killer
	 * with pages already out and the area mostly free: see
	 * docs/mm/swap.md, "Not yet".) */
	hold_memory(&held);
	ksnprintf(size, sizeof(size), "%luM", user_can_have_mib() + 2);
	KUNIT_EXPECT_EQ(test, process_wait(start(test, argv)), EXITED(0));
	release_memory(&held);
	KUNIT_EXPECT_EQ(test, count_lines(", 0 mismatches"), 1U);
	KUNIT_EXPECT_GT(test, global_vm_event(PSWPOUT) - out0, 128UL);
	ksnprintf(line, sizeof(line), "swapoff %s", part_name(disk, 2));
	KUNIT_EXPECT_EQ(test, console(line), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

static struct kunit_case fs_user_partitions_cases[] = {
	KUNIT_CASE(partitions_are_sfdisks),
	KUNIT_CASE(raw_partition_written_in_place),
	KUNIT_CASE(ext2_on_a_partition),
	KUNIT_CASE(swap_on_a_partition),
	{}
};

static struct kunit_suite fs_user_partitions_suite = {
	.name = "fs_user_partitions",
	.test_cases = fs_user_partitions_cases,
};
kunit_test_suite(fs_user_partitions_suite);
