/*
 * tests/host/ext2_bdev_test.c - ext2 through fs/buffer.c: its metadata
 * and (here) data in the block device's page cache over a queued host
 * block device (tests/host/blkfile.h). Reads wait for the idle work to
 * complete them; changes stay in dirty pages until bdev_sync, after which
 * the image file passes e2fsck -fn and debugfs reads the bytes.
 *
 * (No C library headers here: the page cache's loff_t is the kernel's.)
 */
#include "tests/host/host.h"
#include "tests/host/blkfile.h"
#include "tests/host/ext2_image.h"
#include "fs/buffer.h"
#include "fs/ext2/ext2.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/xarray.h"
#include "tests/suites/vfs_testfs.h"

void *malloc(size_t size);
void free(void *p);
void *aligned_alloc(size_t align, size_t size);

static int cache_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return bdev_read(ctx, off, buf, len);
}

static int cache_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	return bdev_write(ctx, off, buf, len);
}

/*
 * ext2 with its metadata and (here) data through fs/buffer.c's block
 * device cache on a queued blkfile: reads wait for the idle work to
 * complete them; changes stay in dirty pages until bdev_sync; then the
 * file on the host passes e2fsck -fn and debugfs reads the bytes.
 */
static void ext2_writes_through_bdev_cache(struct kunit *test)
{
	static struct blkfile bf;
	static pg_data_t node;
	static struct bdev_cache bc;
	size_t arena = 16 << 20;
	void *mem = aligned_alloc(arena, arena);
	struct mem_range r = { virt_to_phys(mem), virt_to_phys(mem) + arena };
	struct ext2_sb_info sbi;
	struct ext2_inode raw;
	struct image img;
	uint8_t raw_sb[1024], *scratch, *buf;
	char err[200];
	uint32_t ino, dir;
	unsigned long writes;

	if (!have_e2fsprogs(test) || !make_image(test, &img, 1024, "", 8192))
		return;
	/* kmalloc for the buffer cache's asynchronous writes. */
	KUNIT_ASSERT_TRUE(test, vfs_test_ensure_mm());
	KUNIT_ASSERT_EQ(test, page_arena_init(&node, &r, 1, 0), 0);
	KUNIT_ASSERT_EQ(test, blkfile_open(&bf, img.path, "ext2c", true), 0);
	bdev_cache_init(&bc, &bf.bdev, &node);
	bc.mapping.i_pages.node_cache = xa_node_cache_create(&node);

	memset(&sbi, 0, sizeof(sbi));
	sbi.read = cache_read;
	sbi.write = cache_write;
	sbi.now = fixed_now;
	sbi.ctx = &bc;
	KUNIT_ASSERT_EQ(test, bdev_read(&bc, EXT2_SUPER_OFFSET, raw_sb,
					sizeof(raw_sb)), 0);
	KUNIT_ASSERT_EQ(test, ext2_parse_super(&sbi, raw_sb,
					       bf.bdev.nr_sectors * SECTOR_SIZE,
					       err, sizeof(err)), 0);
	sbi.gd = malloc(ext2_gd_bytes(&sbi));
	KUNIT_ASSERT_EQ(test, ext2_load_group_desc(&sbi, err, sizeof(err)), 0);
	KUNIT_EXPECT_GT(test, bc.mapping.nrpages, 0UL);

	scratch = malloc(sbi.block_size);
	buf = malloc(200000);
	fill(buf, 200000, 99);
	KUNIT_ASSERT_EQ(test, ext2_do_mkdir(&sbi, EXT2_ROOT_INO, "new", 3, 0755,
					    &dir, scratch, err, sizeof(err)), 0);
	KUNIT_ASSERT_EQ(test, ext2_do_create(&sbi, dir, "file", 4,
					     0x8000 | 0644, &ino, scratch, err,
					     sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, write_data(&sbi, ino, 0, buf, 200000, err,
					 sizeof(err)), 200000L);
	KUNIT_EXPECT_EQ(test, ext2_do_unlink(&sbi, EXT2_ROOT_INO, "double", 6,
					     scratch, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, ext2_do_setsize(&sbi, ino, 150000, err,
					      sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, ext2_write_super(&sbi), 0);
	/* Nothing reached the disk yet: it is all in dirty pages. */
	writes = bf.bdev.nr_writes;
	KUNIT_EXPECT_EQ(test, writes, 0UL);
	KUNIT_EXPECT_EQ(test, bdev_sync(&bc), 0);
	KUNIT_EXPECT_GT(test, bf.bdev.nr_writes, 10UL);
	KUNIT_EXPECT_GT(test, bf.bdev.nr_flushes, 0UL);
	KUNIT_EXPECT_EQ(test, lookup(&sbi, "/new/file", &ino, &raw, err,
				     sizeof(err)), 0);
	bdev_cache_release(&bc);
	KUNIT_EXPECT_EQ(test, bc.mapping.nrpages, 0UL);
	kmem_cache_destroy(bc.mapping.i_pages.node_cache);
	blkfile_close(&bf);

	KUNIT_EXPECT_EQ(test, sh(E2PATH "e2fsck -fn %s > %s/fsck.log 2>&1 || "
				 "{ cat %s/fsck.log; exit 1; }", img.path,
				 img.dir, img.dir), 0);
	KUNIT_EXPECT_TRUE(test, debugfs_matches(&img, "/new/file", buf, 150000));
	free(scratch);
	free(buf);
	free(sbi.gd);
	KUNIT_EXPECT_EQ(test, page_arena_destroy(&node), 0UL);
	free(mem);
	drop_image(&img);
}

/*
 * A write of a whole page to the block device cache does not read the
 * page first (ext2 zeroes each new indirect block so: a read there waited
 * behind the writes in flight with s_lock held); a partial one reads it
 * and keeps the rest. Both read back, and reach the disk at bdev_sync.
 */
static void bdev_whole_page_write_reads_nothing(struct kunit *test)
{
	static struct blkfile bf;
	static pg_data_t node;
	static struct bdev_cache bc;
	size_t arena = 4 << 20;
	void *mem = aligned_alloc(arena, arena);
	struct mem_range r = { virt_to_phys(mem), virt_to_phys(mem) + arena };
	static uint8_t page[4096], got[4096], old[4096];
	struct image img;
	struct kmem_cache *cache;
	unsigned long reads;

	if (!have_e2fsprogs(test) || !make_image(test, &img, 4096, "", 2048))
		return;
	KUNIT_ASSERT_TRUE(test, vfs_test_ensure_mm());
	KUNIT_ASSERT_EQ(test, page_arena_init(&node, &r, 1, 0), 0);
	KUNIT_ASSERT_EQ(test, blkfile_open(&bf, img.path, "bdevw", true), 0);
	bdev_cache_init(&bc, &bf.bdev, &node);
	cache = xa_node_cache_create(&node);
	bc.mapping.i_pages.node_cache = cache;

	fill(page, sizeof(page), 7);
	reads = bf.bdev.nr_reads;
	KUNIT_EXPECT_EQ(test, bdev_write(&bc, 100 * 4096, page, 4096), 0);
	KUNIT_EXPECT_EQ(test, bf.bdev.nr_reads, reads);	/* not read */
	KUNIT_EXPECT_EQ(test, bdev_read(&bc, 100 * 4096, got, 4096), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, page, 4096), 0);
	KUNIT_EXPECT_EQ(test, bf.bdev.nr_reads, reads);
	/* Partial: read first (once), the rest of the page kept. */
	KUNIT_EXPECT_EQ(test, bdev_read(&bc, 200 * 4096, old, 4096), 0);
	KUNIT_EXPECT_EQ(test, bdev_sync(&bc), 0);
	bdev_cache_release(&bc);
	bdev_cache_init(&bc, &bf.bdev, &node);
	bc.mapping.i_pages.node_cache = cache;
	reads = bf.bdev.nr_reads;
	KUNIT_EXPECT_EQ(test, bdev_write(&bc, 200 * 4096 + 512, page, 512), 0);
	KUNIT_EXPECT_EQ(test, bf.bdev.nr_reads, reads + 1);
	KUNIT_EXPECT_EQ(test, bdev_read(&bc, 200 * 4096, got, 4096), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, old, 512), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got + 512, page, 512), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got + 1024, old + 1024, 3072), 0);
	/* Both on the disk after a sync, as a fresh cache reads them. */
	KUNIT_EXPECT_EQ(test, bdev_sync(&bc), 0);
	bdev_cache_release(&bc);
	bdev_cache_init(&bc, &bf.bdev, &node);
	bc.mapping.i_pages.node_cache = cache;
	KUNIT_EXPECT_EQ(test, bdev_read(&bc, 100 * 4096, got, 4096), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, page, 4096), 0);
	KUNIT_EXPECT_EQ(test, bdev_read(&bc, 200 * 4096 + 512, got, 512), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, page, 512), 0);
	bdev_cache_release(&bc);
	kmem_cache_destroy(cache);
	blkfile_close(&bf);
	KUNIT_EXPECT_EQ(test, page_arena_destroy(&node), 0UL);
	free(mem);
	drop_image(&img);
}

static struct kunit_case ext2_bdev_cases[] = {
	KUNIT_CASE(ext2_writes_through_bdev_cache),
	KUNIT_CASE(bdev_whole_page_write_reads_nothing),
	{}
};

static struct kunit_suite ext2_bdev_suite = {
	.name = "ext2_bdev",
	.test_cases = ext2_bdev_cases,
};
kunit_test_suite(ext2_bdev_suite);
