/*
 * tests/host/swap_claim_test.c - one user a disk (blk_claim,
 * drivers/block/blk.h): swapon of a mounted disk is refused, and so is a
 * mount of a disk that is a swap area, each saying who has the disk;
 * once it is let go (umount, swapoff) the other may take it. Host block
 * devices over image files (tests/host/blkfile.h): an ext2 one made by
 * mke2fs, a swap area made by util-linux's mkswap. docs/mm/swap.md,
 * "Errors".
 */
#include "tests/host/host.h"
#include "tests/host/blkfile.h"
#include "tests/host/ext2_image.h"
#include "tests/suites/vfs_testfs.h"
#include "fs/fs.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "mm/swap.h"

static void mounted_disk_and_swap_area_refuse_each_other(struct kunit *test)
{
	/* Static: they stay in the block layer's list. */
	static struct blkfile fs_bf, sw_bf;
	static bool registered;
	char why[128], out[1024], swap_path[128];
	struct image img;

	if (!have_e2fsprogs(test) || !make_image(test, &img, 1024, "", 4096))
		return;
	KUNIT_ASSERT_TRUE(test, vfs_test_ensure_mm());
	vfs_test_ensure_root();
	if (!get_fs_type("ext2"))
		init_ext2_fs();
	if (!registered) {
		blk_swap_init();	/* the kernel's main does it at boot */
		registered = true;
	}
	ksnprintf(swap_path, sizeof(swap_path), "%s/swap.img", img.dir);
	KUNIT_ASSERT_EQ(test, sh(E2PATH "truncate -s 1M %s && mkswap -q %s "
				 ">/dev/null 2>&1", swap_path, swap_path), 0);
	KUNIT_ASSERT_EQ(test, blkfile_open(&fs_bf, img.path, "e2claim", true),
			0);
	KUNIT_ASSERT_EQ(test, blkfile_open(&sw_bf, swap_path, "swclaim", true),
			0);

	/* Mounted: no swap area, whatever its header says. */
	KUNIT_ASSERT_EQ(test, do_mount("e2claim", "/tmp", "ext2", false), 0);
	KUNIT_EXPECT_EQ(test, swapon("e2claim", -1, why, sizeof(why)), -EBUSY);
	KUNIT_EXPECT_STREQ(test, why, "in use by a mounted file system");
	KUNIT_EXPECT_EQ(test, do_umount("/tmp"), 0);
	/* Let go: swapon reads its header now (ext2: not a swap area). */
	KUNIT_EXPECT_EQ(test, swapon("e2claim", -1, why, sizeof(why)), -EINVAL);
	KUNIT_EXPECT_STR_CONTAINS(test, why, "no swap signature");

	/* A swap area: mount refuses it, and a second swapon too. */
	KUNIT_ASSERT_EQ(test, swapon("swclaim", -1, why, sizeof(why)), 0);
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, do_mount("swclaim", "/tmp", NULL, false), -EBUSY);
	KUNIT_EXPECT_EQ(test, do_mount("swclaim", "/tmp", "ext2", false),
			-EBUSY);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out,
				  "mount: swclaim: refused: in use by swap");
	KUNIT_EXPECT_EQ(test, swapon("swclaim", -1, why, sizeof(why)), -EBUSY);
	KUNIT_EXPECT_STREQ(test, why, "in use by swap");
	KUNIT_EXPECT_EQ(test, swapoff("swclaim"), 0);
	/* Let go: mount looks at it (no ext2 there), then ext2 mounts. */
	KUNIT_EXPECT_EQ(test, do_mount("swclaim", "/tmp", "ext2", false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, do_mount("e2claim", "/tmp", "ext2", false), 0);
	KUNIT_EXPECT_EQ(test, do_umount("/tmp"), 0);

	blkfile_close(&fs_bf);
	blkfile_close(&sw_bf);
	drop_image(&img);
}

static struct kunit_case swap_claim_cases[] = {
	KUNIT_CASE(mounted_disk_and_swap_area_refuse_each_other),
	{}
};

static struct kunit_suite swap_claim_suite = {
	.name = "swap_claim",
	.test_cases = swap_claim_cases,
};
kunit_test_suite(swap_claim_suite);
