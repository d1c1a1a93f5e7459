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
#include "kernel/lib/vsprintf.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/vmstat.h"
#include "kernel/thread.h"

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

/* The flusher's step for one file: start writing its dirty pages
 * (WB_SYNC_NONE, not waited for), then let the disk finish them. */
static void flush_file(struct kunit *test, struct file *f)
{
	struct writeback_control wbc = {
		.nr_to_write = (long)(~0UL >> 1),
		.range_end = (loff_t)(~0ULL >> 1),
		.sync_mode = WB_SYNC_NONE,
		.for_background = true,
	};

	KUNIT_EXPECT_EQ(test, do_writepages(f->f_inode->i_mapping, &wbc), 0);
	blkfile_complete_all();
}

/* The disk sector of f's byte pos (its block mapped with ext2_bmap). */
static uint64_t file_sector(struct file *f, loff_t pos)
{
	struct inode *inode = f->f_inode;
	struct ext2_mount *m = EXT2_SB(inode->i_sb);
	uint32_t pblk = 0;

	mutex_lock(&inode->i_sb->s_lock);
	ext2_bmap(&m->sbi, inode->i_ino, &EXT2_I(inode)->raw,
		  (uint64_t)pos >> m->sbi.block_bits, &pblk, m->err,
		  sizeof(m->err));
	mutex_unlock(&inode->i_sb->s_lock);
	return (uint64_t)pblk << (m->sbi.block_bits - SECTOR_SHIFT);
}

static void write_at(struct kunit *test, struct file *f, const uint8_t *buf,
		     size_t len, loff_t pos)
{
	KUNIT_EXPECT_EQ(test, kernel_write(f, (const char *)buf, len, &pos),
			(ssize_t)len);
}

/*
 * Write-back in large requests (ext2_writepages), on 1 and 4 KiB blocks:
 * a 4 MiB file (and a partial last page) written in 512 KiB steps, each
 * started by the flusher's step or by fsync; the disk must have seen
 * requests of many pages, far fewer than one a page. Two files written
 * in turns of 1 KiB (so each page's blocks are apart on the disk: one
 * request a block). A write error: fsync gives -EIO once. No memory for
 * requests: one synchronous request a run. Then e2fsck and debugfs find
 * every byte.
 */
static void ext2_writeback_large_requests(struct kunit *test)
{
	static struct blkfile bfs[2];	/* stay in the block layer's list */
	static const unsigned int bsizes[2] = { 1024, 4096 };
	size_t blen = (4 << 20) + 1234, alen = 64 << 10, step = 512 << 10;
	uint8_t *big = malloc(blen), *a = malloc(alen), *b = malloc(alen);

	KUNIT_ASSERT_TRUE(test, vfs_test_ensure_mm());
	vfs_test_ensure_root();
	if (!get_fs_type("ext2"))
		init_ext2_fs();
	fill(big, blen, 11);
	fill(a, alen, 12);
	fill(b, alen, 13);
	for (int i = 0; i < 2; i++) {
		struct blkfile *bf = &bfs[i];
		char name[16];
		struct image img;
		struct file *f, *fa, *fb;
		unsigned long reqs;
		uint64_t bytes, bad;

		if (!have_e2fsprogs(test) ||
		    !make_image(test, &img, bsizes[i], "", 16384))
			break;
		ksnprintf(name, sizeof(name), "e2wb%u", bsizes[i] >> 10);
		KUNIT_ASSERT_EQ(test, blkfile_open(bf, img.path, name, true), 0);
		KUNIT_ASSERT_EQ(test, do_mount(name, "/tmp", "ext2", false), 0);

		f = file_open_at(NULL, "/tmp/big", O_CREAT | O_WRONLY, 0644);
		KUNIT_ASSERT_FALSE(test, IS_ERR(f));
		reqs = bf->bdev.nr_writes;
		bytes = bf->write_bytes;
		for (size_t done = 0; done < blen; done += step) {
			write_at(test, f, big + done, min(step, blen - done),
				 (loff_t)done);
			if (done / step % 2)
				KUNIT_EXPECT_EQ(test, f->f_op->fsync(f, 0,
					(loff_t)(~0ULL >> 1), 0), 0);
			else
				flush_file(test, f);
			/* The host has 4 MiB: room for the next step. */
			invalidate_mapping_pages(f->f_inode->i_mapping, 0,
						 ~(pgoff_t)0);
		}
		KUNIT_EXPECT_EQ(test, f->f_op->fsync(f, 0, (loff_t)(~0ULL >> 1),
						     0), 0);
		reqs = bf->bdev.nr_writes - reqs;
		bytes = bf->write_bytes - bytes;
		kunit_info(test, "%u-byte blocks: %lu write requests, %llu "
			   "bytes, the largest %llu", bsizes[i], reqs,
			   (unsigned long long)bytes,
			   (unsigned long long)bf->max_write_bytes);
		/* The file's 1025 pages plus metadata, in requests of 16
		 * pages or more on average; the largest of 64 KiB or more. */
		KUNIT_EXPECT_GE(test, bytes, (uint64_t)blen);
		KUNIT_EXPECT_LE(test, (uint64_t)reqs, bytes / (16 * 4096) + 40);
		KUNIT_EXPECT_GE(test, bf->max_write_bytes, (uint64_t)64 << 10);

		/* A write error: reported once, by the next fsync. The same
		 * bytes are written, so the disk keeps the right ones. */
		write_at(test, f, big + (1 << 20), 256 << 10, 1 << 20);
		bad = file_sector(f, (1 << 20) + (100 << 10));
		KUNIT_EXPECT_NE(test, bad, 0ULL);
		bf->fail_sector = bad;
		KUNIT_EXPECT_EQ(test, f->f_op->fsync(f, 0, (loff_t)(~0ULL >> 1),
						     0), -EIO);
		bf->fail_sector = ~0ULL;
		KUNIT_EXPECT_EQ(test, f->f_op->fsync(f, 0, (loff_t)(~0ULL >> 1),
						     0), 0);

		/* No memory for requests: each run written at once, waited
		 * for. The same bytes again, so the disk keeps the right
		 * ones; one request a run, none left in flight. */
		write_at(test, f, big + (2 << 20), 64 << 10, 2 << 20);
		reqs = bf->bdev.nr_writes;
		ext2_wb_fail_alloc = ~0U;
		flush_file(test, f);
		ext2_wb_fail_alloc = 0;
		KUNIT_EXPECT_GE(test, bf->bdev.nr_writes - reqs,
				(unsigned long)(64 << 10) / PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, EXT2_SB(f->f_inode->i_sb)->wb_inflight,
				0UL);
		fput(f);

		/* Two files in turns of 1 KiB: their blocks interleave. */
		fa = file_open_at(NULL, "/tmp/a", O_CREAT | O_WRONLY, 0644);
		fb = file_open_at(NULL, "/tmp/b", O_CREAT | O_WRONLY, 0644);
		KUNIT_ASSERT_FALSE(test, IS_ERR(fa) || IS_ERR(fb));
		for (size_t off = 0; off < alen; off += 1024) {
			write_at(test, fa, a + off, 1024, (loff_t)off);
			write_at(test, fb, b + off, 1024, (loff_t)off);
		}
		flush_file(test, fa);
		KUNIT_EXPECT_EQ(test, fb->f_op->fsync(fb, 0,
				(loff_t)(~0ULL >> 1), 0), 0);
		fput(fa);
		fput(fb);

		KUNIT_ASSERT_EQ(test, do_umount("/tmp"), 0);
		KUNIT_EXPECT_EQ(test, sh(E2PATH "e2fsck -fn %s >/dev/null 2>&1",
					 img.path), 0);
		KUNIT_EXPECT_TRUE(test, debugfs_matches(&img, "/big", big,
							blen));
		KUNIT_EXPECT_TRUE(test, debugfs_matches(&img, "/a", a, alen));
		KUNIT_EXPECT_TRUE(test, debugfs_matches(&img, "/b", b, alen));
		blkfile_close(bf);
		drop_image(&img);
	}
	free(big);
	free(a);
	free(b);
}

/*
 * Write-back looks a file's blocks up EXT2_WB_AHEAD at a time (one s_lock
 * hold for many pages, fs/ext2/file.c), and looks again once blocks may
 * have been freed (truncate_gen moved). 4 KiB blocks, a 32-page file
 * written and flushed: one look-up for the whole file. Again, with the
 * generation bumped while page 4 is being written (as a truncate of
 * another file would): two, and the bytes on the disk are right either
 * way (e2fsck, debugfs).
 */
static unsigned long *hook_gen;

static void bump_gen_at_page_4(struct page *page)
{
	if (page->index == 4)
		__atomic_add_fetch(hook_gen, 1, __ATOMIC_SEQ_CST);
}

static void ext2_writeback_looks_blocks_up_ahead(struct kunit *test)
{
	static struct blkfile bf;
	size_t len = 32 * PAGE_SIZE;
	uint8_t *buf = malloc(len), *buf2 = malloc(len);
	struct ext2_mount *m;
	struct image img;
	struct file *f;
	unsigned long before;

	KUNIT_ASSERT_TRUE(test, vfs_test_ensure_mm());
	vfs_test_ensure_root();
	if (!get_fs_type("ext2"))
		init_ext2_fs();
	fill(buf, len, 21);
	fill(buf2, len, 22);
	if (!have_e2fsprogs(test) || !make_image(test, &img, 4096, "", 16384))
		goto out;
	KUNIT_ASSERT_EQ(test, blkfile_open(&bf, img.path, "e2ahead", true), 0);
	KUNIT_ASSERT_EQ(test, do_mount("e2ahead", "/tmp", "ext2", false), 0);
	f = file_open_at(NULL, "/tmp/ahead", O_CREAT | O_WRONLY, 0644);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	m = EXT2_SB(f->f_inode->i_sb);

	write_at(test, f, buf, len, 0);
	before = m->wb_lookups;
	flush_file(test, f);
	KUNIT_EXPECT_EQ(test, m->wb_lookups - before, 1UL);

	write_at(test, f, buf2, len, 0);
	hook_gen = &m->sbi.truncate_gen;
	ext2_wb_page_hook = bump_gen_at_page_4;
	before = m->wb_lookups;
	flush_file(test, f);
	ext2_wb_page_hook = NULL;
	KUNIT_EXPECT_EQ(test, m->wb_lookups - before, 2UL);
	fput(f);

	KUNIT_ASSERT_EQ(test, do_umount("/tmp"), 0);
	KUNIT_EXPECT_EQ(test, sh(E2PATH "e2fsck -fn %s >/dev/null 2>&1",
				 img.path), 0);
	KUNIT_EXPECT_TRUE(test, debugfs_matches(&img, "/ahead", buf2, len));
	blkfile_close(&bf);
	drop_image(&img);
out:
	free(buf);
	free(buf2);
}

/*
 * DIRECT_RECLAIM_WRITE catches every write ext2 issues: a file's data
 * (ext2_writepages), its inode and the bitmaps (the block device's cache,
 * fs/buffer.c), written by fsync and sync while the thread is marked as
 * in direct reclaim (as try_to_free_pages marks it), each count one write
 * request the disk saw; the same writes unmarked count nothing.
 */
static void ext2_writes_from_direct_reclaim_are_counted(struct kunit *test)
{
	static struct blkfile bf;
	size_t len = 16 * PAGE_SIZE;
	uint8_t *buf = malloc(len);
	unsigned long w0, reqs;
	unsigned int noreclaim;
	struct image img;
	struct file *f;

	KUNIT_ASSERT_TRUE(test, vfs_test_ensure_mm());
	vfs_test_ensure_root();
	if (!get_fs_type("ext2"))
		init_ext2_fs();
	fill(buf, len, 31);
	if (!have_e2fsprogs(test) || !make_image(test, &img, 1024, "", 16384))
		goto out;
	KUNIT_ASSERT_EQ(test, blkfile_open(&bf, img.path, "e2drw", true), 0);
	KUNIT_ASSERT_EQ(test, do_mount("e2drw", "/tmp", "ext2", false), 0);
	f = file_open_at(NULL, "/tmp/drw", O_CREAT | O_WRONLY, 0644);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));

	/* Marked: data and metadata, each request counted. */
	write_at(test, f, buf, len, 0);
	KUNIT_EXPECT_EQ(test, vfs_mkdirat(NULL, "/tmp/drwdir", 0755), 0);
	w0 = global_vm_event(DIRECT_RECLAIM_WRITE);
	reqs = bf.bdev.nr_writes;
	noreclaim = memalloc_noreclaim_save();
	KUNIT_EXPECT_EQ(test, f->f_op->fsync(f, 0, (loff_t)(~0ULL >> 1), 0),
			0);
	KUNIT_EXPECT_EQ(test, sync_filesystem(f->f_inode->i_sb), 0);
	memalloc_noreclaim_restore(noreclaim);
	reqs = bf.bdev.nr_writes - reqs;
	kunit_info(test, "%lu write requests while marked", reqs);
	/* The file's blocks in a request or more, plus its inode, the
	 * directory's block and inode, the bitmaps. */
	KUNIT_EXPECT_GE(test, reqs, 3UL);
	KUNIT_EXPECT_EQ(test, global_vm_event(DIRECT_RECLAIM_WRITE) - w0, reqs);

	/* Unmarked: the disk is written, nothing counted. */
	write_at(test, f, buf, len, (loff_t)len);
	w0 = global_vm_event(DIRECT_RECLAIM_WRITE);
	reqs = bf.bdev.nr_writes;
	KUNIT_EXPECT_EQ(test, f->f_op->fsync(f, 0, (loff_t)(~0ULL >> 1), 0),
			0);
	KUNIT_EXPECT_GT(test, bf.bdev.nr_writes - reqs, 0UL);
	KUNIT_EXPECT_EQ(test, global_vm_event(DIRECT_RECLAIM_WRITE), w0);
	fput(f);

	KUNIT_ASSERT_EQ(test, do_umount("/tmp"), 0);
	KUNIT_EXPECT_EQ(test, sh(E2PATH "e2fsck -fn %s >/dev/null 2>&1",
				 img.path), 0);
	blkfile_close(&bf);
	drop_image(&img);
out:
	free(buf);
}

static struct kunit_case ext2_vfs_cases[] = {
	KUNIT_CASE(ext2_through_the_vfs),
	KUNIT_CASE(ext2_write_error_reaches_every_file),
	KUNIT_CASE(ext2_writeback_large_requests),
	KUNIT_CASE(ext2_writeback_looks_blocks_up_ahead),
	KUNIT_CASE(ext2_writes_from_direct_reclaim_are_counted),
	{}
};

static struct kunit_suite ext2_vfs_suite = {
	.name = "ext2_vfs",
	.test_cases = ext2_vfs_cases,
};
kunit_test_suite(ext2_vfs_suite);
