/*
 * tests/host/ext2_vfs_test.c - ext2 under the VFS on the host: an image
 * made by mke2fs (1 KiB blocks, so a page holds several blocks and the
 * block device's cache shares pages with file data) on a queued host
 * block device (tests/host/blkfile.h: reads complete later, as a disk's
 * do), mounted with do_mount and used through the VFS calls: read back,
 * written and fsync'ed (debugfs reads it while still mounted), truncated,
 * renamed, removed (once while still open), unmounted,
 * then checked by e2fsck -fn and debugfs, and read again after a new
 * mount. The glue is fs/ext2/vfs.c and file.c (docs/fs/ext2.md).
 */
#include "tests/host/host.h"
#include "tests/host/blkfile.h"
#include "tests/host/ext2_image.h"
#include "tests/suites/vfs_testfs.h"
#include "fs/ext2/internal.h"
#include "fs/fs.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/filemap.h"
#include "mm/lru.h"

/* The host's C library (its headers' loff_t is not the kernel's). */
void *malloc(size_t size);
void free(void *ptr);

/* The whole of path through the VFS into a malloc'ed buffer: its size,
 * or -errno. */
static long read_all(const char *path, uint8_t **out)
{
	struct file *f = file_open_at(NULL, path, O_RDONLY, 0);
	size_t cap = 1 << 20, n = 0;
	uint8_t *buf;
	loff_t pos = 0;

	if (IS_ERR(f))
		return PTR_ERR(f);
	buf = malloc(cap);
	for (;;) {
		ssize_t r = kernel_read(f, buf + n, min(cap - n, (size_t)3000),
					&pos);

		if (r <= 0) {
			fput(f);
			if (r < 0) {
				free(buf);
				return r;
			}
			*out = buf;
			return (long)n;
		}
		n += (size_t)r;
	}
}

static bool file_is(struct kunit *test, const char *path, const uint8_t *want,
		    size_t len)
{
	uint8_t *got = NULL;
	long n = read_all(path, &got);
	bool same = n == (long)len && !memcmp(got, want, len);

	if (!same)
		KUNIT_FAIL(test, "%s: %ld bytes, want %zu (%s)", path, n, len,
			   n == (long)len ? "different bytes" : "length");
	free(got);
	return same;
}

static void ext2_through_the_vfs(struct kunit *test)
{
	static struct blkfile bf;	/* stays in the block layer's list */
	size_t dlen = 300 * 1024 + 11, nlen = 200 * 1000 + 17;
	uint8_t *dbl = malloc(dlen), *newf = malloc(nlen), *single;
	uint8_t small[100], deep[5000];
	struct file *f, *open_deep;
	struct image img;
	loff_t pos = 0;

	if (!have_e2fsprogs(test) || !make_image(test, &img, 1024, "", 8192))
		return;
	KUNIT_ASSERT_TRUE(test, vfs_test_ensure_mm());
	vfs_test_ensure_root();
	if (!get_fs_type("ext2"))
		init_ext2_fs();
	KUNIT_ASSERT_EQ(test, blkfile_open(&bf, img.path, "e2vfs", true), 0);
	KUNIT_ASSERT_EQ(test, do_mount("e2vfs", "/tmp", "ext2", false), 0);

	/* Read: direct, single and double indirect blocks, async. */
	fill(dbl, dlen, 4);
	file_is(test, "/tmp/double", dbl, dlen);
	fill(deep, sizeof(deep), 5);
	file_is(test, "/tmp/d/e/f/deep", deep, sizeof(deep));

	/* Write a new file in pieces that straddle pages and blocks. */
	fill(newf, nlen, 7);
	f = file_open_at(NULL, "/tmp/new", O_CREAT | O_WRONLY, 0644);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	for (size_t done = 0; done < nlen;) {
		size_t n = min(nlen - done, (size_t)3000);

		KUNIT_ASSERT_EQ(test, kernel_write(f, (const char *)newf + done,
						   n, &pos), (ssize_t)n);
		done += n;
	}
	/* fsync: the data, the inode and the metadata are on the disk. */
	KUNIT_EXPECT_EQ(test, f->f_op->fsync(f, 0, (loff_t)(~0ULL >> 1), 0), 0);
	KUNIT_EXPECT_TRUE(test, debugfs_matches(&img, "/new", newf, nlen));
	fput(f);
	file_is(test, "/tmp/new", newf, nlen);

	/* Truncate /single to 5000 bytes, in the middle of a block. */
	single = malloc(13 * 4096 + 7);
	fill(single, 13 * 4096 + 7, 3);
	f = file_open_at(NULL, "/tmp/single", O_WRONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_EXPECT_EQ(test, vfs_truncate(f->f_inode, 5000), 0);
	fput(f);
	file_is(test, "/tmp/single", single, 5000);

	/* The name space. */
	KUNIT_EXPECT_EQ(test, vfs_mkdirat(NULL, "/tmp/dir2", 0755), 0);
	KUNIT_EXPECT_EQ(test, vfs_renameat(NULL, "/tmp/small", NULL,
					   "/tmp/dir2/moved", 0), 0);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/empty", false), 0);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/emptydir", true), 0);
	KUNIT_EXPECT_EQ(test, vfs_symlinkat("dir2/moved", NULL, "/tmp/link"), 0);
	fill(small, sizeof(small), 0);
	file_is(test, "/tmp/link", small, sizeof(small));

	/* Removed while open: still readable, freed on the last close. */
	open_deep = file_open_at(NULL, "/tmp/d/e/f/deep", O_RDONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(open_deep));
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/d/e/f/deep", false), 0);
	KUNIT_EXPECT_EQ(test, (long)PTR_ERR(file_open_at(NULL, "/tmp/d/e/f/deep",
						     O_RDONLY, 0)), -ENOENT);
	{
		uint8_t got[5000];
		loff_t p = 0;

		KUNIT_EXPECT_EQ(test, kernel_read(open_deep, got, sizeof(got),
						  &p), (ssize_t)sizeof(got));
		KUNIT_EXPECT_TRUE(test, !memcmp(got, deep, sizeof(got)));
	}
	fput(open_deep);

	KUNIT_ASSERT_EQ(test, do_umount("/tmp"), 0);
	KUNIT_EXPECT_EQ(test, sh(E2PATH "e2fsck -fn %s >/dev/null 2>&1",
				 img.path), 0);
	KUNIT_EXPECT_TRUE(test, debugfs_matches(&img, "/new", newf, nlen));
	KUNIT_EXPECT_TRUE(test, debugfs_matches(&img, "/single", single, 5000));
	KUNIT_EXPECT_TRUE(test, debugfs_matches(&img, "/dir2/moved", small,
						sizeof(small)));
	KUNIT_EXPECT_EQ(test, sh(E2PATH "debugfs -R 'stat /d/e/f/deep' %s 2>&1"
				 " | grep -q 'File not found'", img.path), 0);

	/* Mounted again: what was written comes back from the disk. */
	KUNIT_ASSERT_EQ(test, do_mount("e2vfs", "/tmp", "ext2", false), 0);
	file_is(test, "/tmp/new", newf, nlen);
	file_is(test, "/tmp/double", dbl, dlen);
	KUNIT_EXPECT_EQ(test, do_umount("/tmp"), 0);

	blkfile_close(&bf);
	free(dbl);
	free(newf);
	free(single);
	drop_image(&img);
}

static int fsync_of(struct file *f)
{
	return f->f_op->fsync(f, 0, (loff_t)(~0ULL >> 1), 0);
}

/*
 * A write-back that fails on the disk (the block under /double's first
 * page fails every request): fsync reports -EIO once to each file open
 * when it failed, fdatasync and syncfs keep their own cursors, a file
 * opened after the report hears nothing, sync(2)'s pass before any fsync
 * takes nothing from them, and the page keeps the data written (clean,
 * PG_error) while the disk keeps the old bytes.
 */
static void ext2_write_error_reaches_every_file(struct kunit *test)
{
	static struct blkfile bf;	/* stays in the block layer's list */
	size_t dlen = 300 * 1024 + 11;
	uint8_t *dbl = malloc(dlen), got[4096], mine[4096];
	struct file *f1, *f2, *f3;
	struct page *page;
	struct image img;
	loff_t pos = 0;

	if (!have_e2fsprogs(test) || !make_image(test, &img, 1024, "", 8192))
		return;
	KUNIT_ASSERT_TRUE(test, vfs_test_ensure_mm());
	vfs_test_ensure_root();
	if (!get_fs_type("ext2"))
		init_ext2_fs();
	KUNIT_ASSERT_EQ(test, blkfile_open(&bf, img.path, "e2err", true), 0);
	KUNIT_ASSERT_EQ(test, do_mount("e2err", "/tmp", "ext2", false), 0);
	fill(dbl, dlen, 4);

	f1 = file_open_at(NULL, "/tmp/double", O_RDWR, 0);
	f2 = file_open_at(NULL, "/tmp/double", O_RDWR, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f1));
	KUNIT_ASSERT_FALSE(test, IS_ERR(f2));
	bf.fail_sector = (uint64_t)EXT2_I(f1->f_inode)->raw.i_block[0] * 2;
	memset(mine, 0x5a, sizeof(mine));
	KUNIT_ASSERT_EQ(test, kernel_write(f1, mine, sizeof(mine), &pos),
			(ssize_t)sizeof(mine));
	/* sync(2) writes it back first: it fails, and sync says nothing. */
	sync_filesystems(true);
	KUNIT_EXPECT_GT(test, bf.bdev.nr_errors, 0UL);

	KUNIT_EXPECT_EQ(test, fsync_of(f1), -EIO);
	KUNIT_EXPECT_EQ(test, fsync_of(f1), 0);
	KUNIT_EXPECT_EQ(test, f2->f_op->fsync(f2, 0, 4095, 1), -EIO);
	KUNIT_EXPECT_EQ(test, fsync_of(f2), 0);
	/* syncfs: the file system's cursor, once per file too. */
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f1), -EIO);
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f1), 0);
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f2), -EIO);
	/* Opened after the error was reported: nothing. */
	f3 = file_open_at(NULL, "/tmp/double", O_RDONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f3));
	KUNIT_EXPECT_EQ(test, fsync_of(f3), 0);
	KUNIT_EXPECT_EQ(test, vfs_syncfs(f3), 0);

	/* The page: still in the cache with what was written, clean,
	 * PG_error; a read returns it. */
	page = find_get_page(f1->f_mapping, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_FALSE(test, PageDirty(page));
	KUNIT_EXPECT_TRUE(test, PageUptodate(page));
	KUNIT_EXPECT_TRUE(test, PageError(page));
	put_page(page);
	pos = 0;
	KUNIT_EXPECT_EQ(test, kernel_read(f3, got, sizeof(got), &pos),
			(ssize_t)sizeof(got));
	KUNIT_EXPECT_TRUE(test, !memcmp(got, mine, sizeof(got)));

	/* The disk works again and the page is written anew: it reaches
	 * the disk, PG_error goes, and no file hears of an error. */
	bf.fail_sector = ~0ULL;
	pos = 0;
	KUNIT_EXPECT_EQ(test, kernel_write(f2, mine, sizeof(mine), &pos),
			(ssize_t)sizeof(mine));
	KUNIT_EXPECT_EQ(test, fsync_of(f2), 0);
	KUNIT_EXPECT_EQ(test, fsync_of(f1), 0);
	page = find_get_page(f1->f_mapping, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_FALSE(test, PageError(page));
	put_page(page);
	memcpy(dbl, mine, sizeof(mine));
	KUNIT_EXPECT_TRUE(test, debugfs_matches(&img, "/double", dbl, dlen));

	fput(f1);
	fput(f2);
	fput(f3);
	KUNIT_ASSERT_EQ(test, do_umount("/tmp"), 0);
	KUNIT_EXPECT_EQ(test, sh(E2PATH "e2fsck -fn %s >/dev/null 2>&1",
				 img.path), 0);
	blkfile_close(&bf);
	free(dbl);
	drop_image(&img);
}

static struct kunit_case ext2_vfs_cases[] = {
	KUNIT_CASE(ext2_through_the_vfs),
	KUNIT_CASE(ext2_write_error_reaches_every_file),
	{}
};

static struct kunit_suite ext2_vfs_suite = {
	.name = "ext2_vfs",
	.test_cases = ext2_vfs_cases,
};
kunit_test_suite(ext2_vfs_suite);
