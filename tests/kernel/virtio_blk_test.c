/*
 * tests/kernel/virtio_blk_test.c - virtio-blk through the block layer on
 * the disks tools/run-tests gives the x86_64-virtio-blk configuration:
 * vda (a fresh image) gets the pattern of drivers/block/blk_pattern.h in
 * sectors [PAT_FIRST, PAT_FIRST + PAT_SECTORS) by many requests in
 * flight at once, read back and compared, then flushed; the host checks
 * the image byte for byte afterwards (tools/check-disk-pattern). vdb is
 * behind QEMU blkdebug failing reads of sector ERR_SECTOR: that error
 * must reach the caller with that sector. Skipped without the disks.
 */
#include "drivers/block/blk.h"
#include "drivers/block/blk_pattern.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>

#define PAT_FIRST	64
#define PAT_SECTORS	2048		/* 1 MiB */
#define PAT_ORDER	8		/* 1 MiB of pages */
#define REQ_SECTORS	8		/* 4 KiB requests: 256 of them */
#define NR_REQS		(PAT_SECTORS / REQ_SECTORS)
#define ERR_SECTOR	100

static struct blk_request reqs[NR_REQS];
static struct blk_segment segs[NR_REQS];
static volatile unsigned int nr_done;

static void count_done(struct blk_request *req)
{
	(void)req;
	__atomic_add_fetch(&nr_done, 1, __ATOMIC_SEQ_CST);
}

/* All of [PAT_FIRST, +PAT_SECTORS) in 4 KiB requests, submitted at once. */
static int run_all(struct kunit *test, struct block_device *b, enum blk_op op,
		   struct page *pages)
{
	int errors = 0;

	nr_done = 0;
	for (int k = 0; k < NR_REQS; k++) {
		segs[k] = (struct blk_segment){ pages + k, 0, REQ_SECTORS * 512 };
		reqs[k] = (struct blk_request){ .op = op,
			.sector = PAT_FIRST + (uint64_t)k * REQ_SECTORS,
			.segs = &segs[k], .nr_segs = 1, .end_io = count_done };
		if (blk_submit(b, &reqs[k])) {
			KUNIT_FAIL(test, "blk_submit of request %d refused", k);
			nr_done++;
		}
	}
	while (READ_ONCE(nr_done) < NR_REQS) {
		if (!b->irq_driven)
			b->ops->poll(b);
		arch_cpu_relax();
	}
	for (int k = 0; k < NR_REQS; k++)
		errors += reqs[k].status != 0;
	return errors;
}

static void pattern_written_and_read_back(struct kunit *test)
{
	struct block_device *b = blk_get("vda");

	if (!b)
		kunit_skip(test, "no virtio-blk disk vda");
	KUNIT_ASSERT_GE(test, b->nr_sectors, (uint64_t)(PAT_FIRST + PAT_SECTORS));
	struct page *wp = alloc_pages(GFP_KERNEL, PAT_ORDER);
	struct page *rp = alloc_pages(GFP_KERNEL, PAT_ORDER);

	KUNIT_ASSERT_NOT_NULL(test, wp);
	KUNIT_ASSERT_NOT_NULL(test, rp);
	uint8_t *w = page_address(wp), *r = page_address(rp);

	for (unsigned int s = 0; s < PAT_SECTORS; s++)
		for (unsigned int i = 0; i < 512; i++)
			w[s * 512 + i] = blk_pattern_byte(PAT_FIRST + s, i);
	memset(r, 0xee, PAT_SECTORS * 512);
	KUNIT_EXPECT_EQ(test, run_all(test, b, BLK_OP_WRITE, wp), 0);
	KUNIT_EXPECT_EQ(test, blk_flush(b), 0);
	KUNIT_EXPECT_EQ(test, run_all(test, b, BLK_OP_READ, rp), 0);
	KUNIT_EXPECT_EQ(test, memcmp(w, r, PAT_SECTORS * 512), 0);
	/* The synchronous helper, across a request's worth of pages. */
	memset(r, 0, 65536);
	KUNIT_EXPECT_EQ(test, blk_read(b, PAT_FIRST + 8, r, 128, NULL), 0);
	KUNIT_EXPECT_EQ(test, memcmp(w + 8 * 512, r, 65536), 0);
	kunit_info(test, "%s: %d requests of 4 KiB each way, %u in flight at most",
		   b->name, NR_REQS, b->queue_depth);
	__free_pages(wp, PAT_ORDER);
	__free_pages(rp, PAT_ORDER);
}

static void bad_requests_refused(struct kunit *test)
{
	struct block_device *b = blk_get("vda");
	uint8_t *buf;

	if (!b)
		kunit_skip(test, "no virtio-blk disk vda");
	struct page *p = alloc_pages(GFP_KERNEL, 0);

	KUNIT_ASSERT_NOT_NULL(test, p);
	buf = page_address(p);
	KUNIT_EXPECT_EQ(test, blk_read(b, b->nr_sectors, buf, 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, blk_read(b, b->nr_sectors - 1, buf, 2, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, blk_read(b, b->nr_sectors - 1, buf, 1, NULL), 0);
	__free_pages(p, 0);
}

static void io_error_reaches_caller(struct kunit *test)
{
	struct block_device *b = blk_get("vdb");
	uint64_t bad = 0;

	if (!b)
		kunit_skip(test, "no blkdebug disk vdb");
	struct page *p = alloc_pages(GFP_KERNEL, 3);

	KUNIT_ASSERT_NOT_NULL(test, p);
	uint8_t *buf = page_address(p);

	/*
	 * One sector a request, 8 in flight: only sector ERR_SECTOR fails.
	 * Every other sector, since QEMU merges adjacent requests into one
	 * and a merged request fails as a whole.
	 */
	nr_done = 0;
	for (int k = 0; k < 8; k++) {
		segs[k] = (struct blk_segment){ p, (unsigned int)k * 512, 512 };
		reqs[k] = (struct blk_request){ .op = BLK_OP_READ,
			.sector = ERR_SECTOR - 8 + 2 * (uint64_t)k, .segs = &segs[k],
			.nr_segs = 1, .end_io = count_done };
		KUNIT_ASSERT_EQ(test, blk_submit(b, &reqs[k]), 0);
	}
	while (READ_ONCE(nr_done) < 8) {
		if (!b->irq_driven)
			b->ops->poll(b);
		arch_cpu_relax();
	}
	for (int k = 0; k < 8; k++) {
		if (reqs[k].sector == ERR_SECTOR) {
			KUNIT_EXPECT_EQ(test, reqs[k].status, -EIO);
			KUNIT_EXPECT_EQ(test, reqs[k].error_sector, (uint64_t)ERR_SECTOR);
		} else if (reqs[k].status) {
			KUNIT_FAIL(test, "sector %llu: status %d",
				   (unsigned long long)reqs[k].sector, reqs[k].status);
		}
	}
	/* The synchronous helper over the bad sector. */
	KUNIT_EXPECT_EQ(test, blk_read(b, ERR_SECTOR - 2, buf, 4, &bad), -EIO);
	KUNIT_EXPECT_EQ(test, bad, (uint64_t)(ERR_SECTOR - 2));
	KUNIT_EXPECT_EQ(test, blk_read(b, ERR_SECTOR + 1, buf, 4, &bad), 0);
	__free_pages(p, 3);
}

static struct kunit_case virtio_blk_cases[] = {
	KUNIT_CASE(pattern_written_and_read_back),
	KUNIT_CASE(bad_requests_refused),
	KUNIT_CASE(io_error_reaches_caller),
	{}
};

static struct kunit_suite virtio_blk_suite = {
	.name = "virtio_blk",
	.test_cases = virtio_blk_cases,
};
kunit_test_suite(virtio_blk_suite);
