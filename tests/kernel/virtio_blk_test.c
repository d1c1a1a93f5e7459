/*
 * tests/kernel/virtio_blk_test.c - virtio-blk through the block layer on
 * the disks tools/run-tests gives the x86_64-virtio-blk configuration:
 * vda (a fresh image) gets the pattern of drivers/block/blk_pattern.h in
 * sectors [PAT_FIRST, PAT_FIRST + PAT_SECTORS) by many requests in
 * flight at once, read back and compared, then flushed; the host checks
 * the image byte for byte afterwards (tools/check-disk-pattern). vdb is
 * behind QEMU blkdebug failing reads of sector ERR_SECTOR: that error
 * must reach the caller with that sector. Skipped without the disks.
 * On the IOMMU machines vdb's device does not offer ACCESS_PLATFORM
 * (iommu_platform=off, the promise blk.untranslated:vdb): its DMA must
 * use physical addresses although the IOMMU sits in front of it (suite
 * virtio_blk_iommu, which skips elsewhere).
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
		segs[k] = (struct blk_segment){ .page = pages + k,
						 .len = REQ_SECTORS * 512 };
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

/*
 * Registered buffers (blk.h): a segment with dma_mapped set is used at
 * its DMA address, not mapped again. To tell which one the driver used,
 * each segment names a decoy page while its DMA address is the
 * registered buffer's: reads must land in the registered buffer (whose
 * 2 MiB come from dma_alloc_coherent, so an IOMMU maps them with a
 * 2 MiB page) and leave the decoy alone.
 */
#define REG_BYTES	(2u << 20)

static void registered_buffers_used_as_given(struct kunit *test)
{
	struct block_device *b = blk_get("vda");
	struct blk_segment seg[2];
	struct blk_request rq[2];
	dma_addr_t dma;
	uint8_t *reg, *decoy;

	if (!b)
		kunit_skip(test, "no virtio-blk disk vda");
	if (!b->dma_dev)
		kunit_skip(test, "%s does not do DMA", b->name);
	reg = dma_alloc_coherent(b->dma_dev, REG_BYTES, &dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, reg);
	struct page *dp = alloc_pages(GFP_KERNEL, 0);

	KUNIT_ASSERT_NOT_NULL(test, dp);
	decoy = page_address(dp);
	memset(decoy, 0xd5, PAGE_SIZE);
	memset(reg, 0xee, REG_BYTES);
	/* Two 4 KiB reads of the pattern, one at each end of the buffer. */
	for (int k = 0; k < 2; k++) {
		size_t off = k ? REG_BYTES - PAGE_SIZE : 0;

		seg[k] = (struct blk_segment){ .page = dp, .len = PAGE_SIZE,
			.dma_mapped = true, .dma = dma + off };
		rq[k] = (struct blk_request){ .op = BLK_OP_READ,
			.sector = PAT_FIRST + (uint64_t)k * 8, .segs = &seg[k],
			.nr_segs = 1 };
		KUNIT_EXPECT_EQ(test, blk_execute(b, &rq[k]), 0);
		for (unsigned int i = 0; i < PAGE_SIZE; i++) {
			unsigned int sector = PAT_FIRST + (unsigned int)k * 8 + i / 512;

			if (reg[off + i] != blk_pattern_byte(sector, i % 512)) {
				KUNIT_FAIL(test, "registered buffer byte %zu is %#x, not the pattern",
					   off + i, reg[off + i]);
				break;
			}
		}
	}
	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		if (decoy[i] != 0xd5) {
			KUNIT_FAIL(test, "the decoy page was written (byte %u): the driver mapped seg.page instead of using seg.dma",
				   i);
			break;
		}
	__free_pages(dp, 0);
	dma_free_coherent(b->dma_dev, REG_BYTES, reg, dma);
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
		segs[k] = (struct blk_segment){ .page = p,
			.offset = (unsigned int)k * 512, .len = 512 };
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

/*
 * The disk promised without ACCESS_PLATFORM reads and writes guest
 * physical addresses, untranslated, behind the IOMMU (virtio 1.2 sec.
 * 6.1): its DMA device maps directly, and a write and a read come back
 * byte for byte. Given IOVAs, the device would have written to disk
 * whatever RAM has those physical addresses, and the read overwritten it.
 */
static void untranslated_disk_gets_physical_addresses(struct kunit *test)
{
	const char *name = kunit_expectation("blk.untranslated");
	struct block_device *b, *vda;
	struct page *p;
	uint8_t *buf;
	const unsigned int sectors = 64, first = 256;	/* 32 KiB, past ERR_SECTOR */

	if (!name)
		kunit_skip(test, "no disk promised without ACCESS_PLATFORM");
	b = blk_get(name);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, b->dma_dev);
	KUNIT_EXPECT_NULL(test, b->dma_dev->dma_ops);
	/* The other disk offers it, and is translated: the IOMMU is there. */
	vda = blk_get("vda");
	KUNIT_ASSERT_NOT_NULL(test, vda);
	KUNIT_EXPECT_NOT_NULL(test, vda->dma_dev->dma_ops);

	p = alloc_pages(GFP_KERNEL, 4);			/* 64 KiB: out, then in */
	KUNIT_ASSERT_NOT_NULL(test, p);
	buf = page_address(p);
	for (unsigned int i = 0; i < sectors * 512; i++)
		buf[i] = blk_pattern_byte(first + i / 512, i % 512);
	memset(buf + sectors * 512, 0xee, sectors * 512);
	KUNIT_EXPECT_EQ(test, blk_write(b, first, buf, sectors, NULL), 0);
	KUNIT_EXPECT_EQ(test, blk_read(b, first, buf + sectors * 512, sectors, NULL), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, buf + sectors * 512, sectors * 512), 0);
	__free_pages(p, 4);
}

static struct kunit_case virtio_blk_cases[] = {
	KUNIT_CASE(pattern_written_and_read_back),
	KUNIT_CASE(registered_buffers_used_as_given),
	KUNIT_CASE(bad_requests_refused),
	KUNIT_CASE(io_error_reaches_caller),
	{}
};

static struct kunit_suite virtio_blk_suite = {
	.name = "virtio_blk",
	.test_cases = virtio_blk_cases,
};
kunit_test_suite(virtio_blk_suite);

/* A suite of its own: it must run on the machines with an IOMMU only. */
static struct kunit_case virtio_blk_iommu_cases[] = {
	KUNIT_CASE(untranslated_disk_gets_physical_addresses),
	{}
};

static struct kunit_suite virtio_blk_iommu_suite = {
	.name = "virtio_blk_iommu",
	.test_cases = virtio_blk_iommu_cases,
};
kunit_test_suite(virtio_blk_iommu_suite);
