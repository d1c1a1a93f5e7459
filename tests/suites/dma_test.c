/*
 * tests/suites/dma_test.c - the DMA mapping API end to end over a private
 * page arena: the direct backend (DMA address = physical address), the
 * bounce pool (a device whose bus reaches only the pool, so every arena
 * page bounces; copies checked per direction and per sync), and the IOMMU
 * backend over the software test IOMMU, strict and lazy: a device reads
 * and writes through it, is refused what it was not given, and after an
 * unmap is stopped at once (strict) or after the flush (lazy). Every case
 * ends with all arena pages back. Host and kernel.
 *
 * Layout of the 4 MiB test chunk: the first 256 KiB are the device's bounce
 * pool, the rest is the arena, so every arena page lies above the pool.
 */
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/dma-mapping.h"
#include "mm/page_alloc.h"
#include "tests/suites/test_arena.h"
#include "mm/swiotlb.h"
#include "drivers/iommu/test_iommu.h"

#define POOL_BYTES	(256UL << 10)


/* The DMA layer's counters of d, summed over the CPUs. */
static struct iommu_dma_stats stats_of(struct iommu_domain *d)
{
	struct iommu_dma_stats st;

	iommu_dma_get_stats(d, &st);
	return st;
}

static unsigned long mapped_now(struct iommu_domain *d)
{
	struct iommu_dma_stats st = stats_of(d);

	return st.bytes_mapped - st.bytes_unmapped;
}

static struct {
	struct test_arena arena;
	struct io_tlb_pool pool;
	struct device dev;
} a;

static int dma_case_init(struct kunit *test)
{
	memset(&a, 0, sizeof(a));
	if (!test_arena_make(test, &a.arena, POOL_BYTES))
		return -1;
	if (swiotlb_init_pool(&a.pool, "test", a.arena.chunk, POOL_BYTES))
		return -1;
	dma_device_init(&a.dev, "testdev");
	a.dev.node = &a.arena.pgdat;
	a.dev.dma_io_tlb_mem = &a.pool;
	return 0;
}

static void dma_case_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dma_debug_device_detach(&a.dev), 0UL);
	KUNIT_EXPECT_EQ(test, a.pool.used, 0U);
	test_arena_done(test, &a.arena);
}

static char *arena_buf(unsigned int order)
{
	struct page *pg = alloc_pages_node(&a.arena.pgdat, GFP_KERNEL, order);

	return pg ? page_address(pg) : NULL;
}

static void arena_buf_free(void *p, unsigned int order)
{
	free_pages((unsigned long)p, order);
}

/* What "the device" sees at a DMA address without an IOMMU. */
static char *bus(dma_addr_t addr)
{
	return phys_to_virt(addr);
}

/* ---------------------------------------------------------------- direct */

static void direct_map_is_physical(struct kunit *test)
{
	char *buf = arena_buf(0);
	dma_addr_t h;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(&a.dev, DMA_BIT_MASK(64)), 0);
	h = dma_map_single(&a.dev, buf + 100, 200, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, dma_mapping_error(&a.dev, h), 0);
	KUNIT_EXPECT_EQ(test, h, (dma_addr_t)virt_to_phys(buf + 100));
	memset(bus(h), 0x5a, 200);			/* the device writes */
	dma_unmap_single(&a.dev, h, 200, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, (unsigned char)buf[100], 0x5a);
	KUNIT_EXPECT_EQ(test, a.pool.nr_maps, 0UL);	/* nothing bounced */
	arena_buf_free(buf, 0);
}

static void direct_sg_and_coherent(struct kunit *test)
{
	struct scatterlist sg[3];
	char *b0 = arena_buf(0), *b1 = arena_buf(1);
	dma_addr_t ch;
	int n;

	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(&a.dev, DMA_BIT_MASK(64)), 0);
	sg_init_table(sg, 3);
	sg_set_buf(&sg[0], b0, 512);
	sg_set_buf(&sg[1], b1, 2 * PAGE_SIZE);
	sg_set_buf(&sg[2], b0 + 1024, 100);
	n = dma_map_sg(&a.dev, sg, 3, DMA_TO_DEVICE);
	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, sg_dma_address(&sg[1]), (dma_addr_t)virt_to_phys(b1));
	KUNIT_EXPECT_EQ(test, sg_dma_len(&sg[1]), 2 * PAGE_SIZE);
	dma_unmap_sg(&a.dev, sg, 3, DMA_TO_DEVICE);

	char *c = dma_alloc_coherent(&a.dev, 3 * PAGE_SIZE, &ch, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ch, (dma_addr_t)virt_to_phys(c));
	KUNIT_EXPECT_EQ(test, c[3 * PAGE_SIZE - 1], 0);	/* zeroed */
	bus(ch)[5] = 7;					/* coherent: no sync */
	KUNIT_EXPECT_EQ(test, c[5], 7);
	dma_free_coherent(&a.dev, 3 * PAGE_SIZE, c, ch);
	arena_buf_free(b0, 0);
	arena_buf_free(b1, 1);
}

/* A mask below every memory the device could bounce through is refused. */
static void mask_below_bounce_pool_refused(struct kunit *test)
{
	uint64_t before = a.dev.dma_mask;
	int ret = dma_set_mask(&a.dev, DMA_BIT_MASK(24));

	if (a.pool.end - 1 > DMA_BIT_MASK(24)) {
		KUNIT_EXPECT_EQ(test, ret, -EIO);
		KUNIT_EXPECT_EQ(test, a.dev.dma_mask, before);
	} else {
		KUNIT_EXPECT_EQ(test, ret, 0);
	}
	/* Forced (a driver ignoring the error): mapping fails, nothing leaks. */
	if (a.pool.end - 1 > DMA_BIT_MASK(24)) {
		char *buf = arena_buf(0);

		a.dev.dma_mask = DMA_BIT_MASK(24);
		KUNIT_EXPECT_EQ(test, dma_map_single(&a.dev, buf, 64, DMA_TO_DEVICE),
				DMA_MAPPING_ERROR);
		KUNIT_EXPECT_EQ(test, a.pool.used, 0U);
		arena_buf_free(buf, 0);
	}
}

/* ---------------------------------------------------------------- bounce */

/* The bus reaches only up to the end of the pool: every arena page bounces. */
static void narrow_bus(void)
{
	a.dev.dma_mask = DMA_BIT_MASK(64);
	a.dev.bus_dma_limit = a.pool.end - 1;
}

static bool in_pool(dma_addr_t h)
{
	return h >= a.pool.start && h < a.pool.end;
}

static void bounce_to_device_copies_at_map_and_sync(struct kunit *test)
{
	char *buf = arena_buf(0);
	dma_addr_t h;

	narrow_bus();
	memset(buf, 'a', PAGE_SIZE);
	h = dma_map_single(&a.dev, buf, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_ASSERT_EQ(test, dma_mapping_error(&a.dev, h), 0);
	KUNIT_EXPECT_TRUE(test, in_pool(h));
	KUNIT_EXPECT_EQ(test, h % PAGE_SIZE, 0ULL);	/* page-sized: page-aligned */
	KUNIT_EXPECT_EQ(test, bus(h)[PAGE_SIZE - 1], 'a');	/* copied in */
	buf[0] = 'b';					/* CPU writes after map ... */
	KUNIT_EXPECT_EQ(test, bus(h)[0], 'a');		/* ... device can't see it */
	dma_sync_single_for_device(&a.dev, h, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, bus(h)[0], 'b');		/* until synced */
	bus(h)[1] = 'X';				/* device scribbles */
	dma_unmap_single(&a.dev, h, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, buf[1], 'a');		/* TO_DEVICE: no copy back */
	arena_buf_free(buf, 0);
}

static void bounce_from_device_copies_at_sync_and_unmap(struct kunit *test)
{
	char *buf = arena_buf(0);
	dma_addr_t h;

	narrow_bus();
	memset(buf, 'A', PAGE_SIZE);
	h = dma_map_single(&a.dev, buf + 8, 3000, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, dma_mapping_error(&a.dev, h), 0);
	KUNIT_EXPECT_TRUE(test, in_pool(h));
	memcpy(bus(h), "hello", 5);			/* device writes 5 bytes */
	KUNIT_EXPECT_EQ(test, buf[8], 'A');		/* not yet visible */
	dma_sync_single_for_cpu(&a.dev, h, 3000, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 8, "hello", 5), 0);
	dma_sync_single_for_device(&a.dev, h, 3000, DMA_FROM_DEVICE);
	memcpy(bus(h), "world", 5);
	dma_unmap_single(&a.dev, h, 3000, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 8, "world", 5), 0);
	/* Bytes the device did not write keep the buffer's own contents,
	 * not whatever the pool slot held before. */
	KUNIT_EXPECT_EQ(test, buf[8 + 2999], 'A');
	KUNIT_EXPECT_EQ(test, buf[7], 'A');		/* outside: untouched */
	KUNIT_EXPECT_EQ(test, buf[8 + 3000], 'A');
	arena_buf_free(buf, 0);
}

static void bounce_bidirectional_and_sg(struct kunit *test)
{
	struct scatterlist sg[2];
	char *b0 = arena_buf(0), *b1 = arena_buf(0);
	int n;

	narrow_bus();
	memset(b0, 1, PAGE_SIZE);
	memset(b1, 2, PAGE_SIZE);
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], b0, 100);
	sg_set_buf(&sg[1], b1 + 50, 200);
	n = dma_map_sg(&a.dev, sg, 2, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_TRUE(test, in_pool(sg_dma_address(&sg[0])));
	KUNIT_EXPECT_TRUE(test, in_pool(sg_dma_address(&sg[1])));
	KUNIT_EXPECT_EQ(test, bus(sg_dma_address(&sg[1]))[0], 2);
	bus(sg_dma_address(&sg[0]))[99] = 9;
	bus(sg_dma_address(&sg[1]))[0] = 8;
	dma_unmap_sg(&a.dev, sg, 2, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, b0[99], 9);
	KUNIT_EXPECT_EQ(test, b1[50], 8);
	KUNIT_EXPECT_EQ(test, b0[100], 1);
	arena_buf_free(b0, 0);
	arena_buf_free(b1, 0);
}

static void bounce_pool_full_fails_cleanly(struct kunit *test)
{
	static dma_addr_t h[128];
	char *buf = arena_buf(4);	/* 64 KiB */
	unsigned int n = 0;

	narrow_bus();
	while (n < ARRAY_SIZE(h)) {
		h[n] = dma_map_single(&a.dev, buf, 32 << 10, DMA_TO_DEVICE);
		if (dma_mapping_error(&a.dev, h[n]))
			break;
		n++;
	}
	KUNIT_EXPECT_GT(test, n, 3U);			/* 256 KiB pool, minus bookkeeping */
	KUNIT_EXPECT_LT(test, n, 8U);
	KUNIT_EXPECT_EQ(test, a.pool.nr_full, 1UL);
	while (n)
		dma_unmap_single(&a.dev, h[--n], 32 << 10, DMA_TO_DEVICE);
	arena_buf_free(buf, 4);
}

static void force_bounce_even_when_reachable(struct kunit *test)
{
	char *buf = arena_buf(0);
	dma_addr_t h;

	a.dev.dma_mask = DMA_BIT_MASK(64);
	a.dev.dma_force_bounce = true;
	h = dma_map_single(&a.dev, buf, 64, DMA_TO_DEVICE);
	KUNIT_EXPECT_TRUE(test, in_pool(h));
	dma_unmap_single(&a.dev, h, 64, DMA_TO_DEVICE);
	arena_buf_free(buf, 0);
}

/* ---------------------------------------------------------------- iommu */

static uint64_t fake_now;
static uint64_t fake_clock(void)
{
	return fake_now;
}

static struct iommu_domain *make_domain(struct kunit *test, bool strict)
{
	struct iommu_domain *d = test_iommu_domain_alloc(&a.arena.pgdat, 48);

	if (!d)
		return NULL;
	iommu_set_dma_strict(d, strict);
	d->iovad.fq_clock = fake_clock;
	fake_now = 1000;
	if (iommu_attach_device(d, &a.dev))
		return NULL;
	dma_set_mask_and_coherent(&a.dev, DMA_BIT_MASK(64));
	return d;
}

static void drop_domain(struct iommu_domain *d)
{
	iommu_detach_device(d, &a.dev);
	test_iommu_domain_free(d);
}

static void iommu_translates_and_enforces_direction(struct kunit *test)
{
	struct iommu_domain *d = make_domain(test, true);
	char *buf = arena_buf(0), got[16];
	dma_addr_t h, r;

	KUNIT_ASSERT_NOT_NULL(test, d);
	memset(buf, 'm', PAGE_SIZE);
	h = dma_map_single(&a.dev, buf + 16, 64, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_EQ(test, dma_mapping_error(&a.dev, h), 0);
	KUNIT_EXPECT_NE(test, h, (dma_addr_t)virt_to_phys(buf + 16));	/* an IOVA */
	KUNIT_EXPECT_EQ(test, h % PAGE_SIZE, 16ULL);	/* offset kept */
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, (unsigned long)h),
			(phys_addr_t)virt_to_phys(buf + 16));
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &a.dev, h, "dev", 3), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 16, "dev", 3), 0);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_read(d, &a.dev, h + 3, got, 4), 0);
	KUNIT_EXPECT_EQ(test, got[0], 'm');
	/* TO_DEVICE: the device may read, not write. */
	r = dma_map_single(&a.dev, buf + 2048, 64, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_read(d, &a.dev, r, got, 8), 0);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &a.dev, r, "no", 2), -EFAULT);
	KUNIT_EXPECT_EQ(test, buf[2048], 'm');
	KUNIT_EXPECT_EQ(test, d->nr_faults, 1UL);
	/* Never mapped: faults. */
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &a.dev, 0x12345000, "x", 1), -EFAULT);
	dma_unmap_single(&a.dev, r, 64, DMA_TO_DEVICE);
	dma_unmap_single(&a.dev, h, 64, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, mapped_now(d), 0UL);
	arena_buf_free(buf, 0);
	drop_domain(d);
}

/*
 * Large and small mappings live apart (mm/dma-iommu.c alloc_iova_for): on
 * a unit with 2 MiB pages, mappings of 2 MiB or more take IOVAs from the
 * top half of what the device reaches, smaller ones from the bottom half,
 * so old leaf tables of small mappings do not sit where a 2 MiB IOMMU
 * page should go. The unit here only records nothing: the case is about
 * where the IOVAs fall.
 */
static int nop_map(struct iommu_domain *d, unsigned long iova, phys_addr_t paddr,
		   size_t size, int prot)
{
	(void)d; (void)iova; (void)paddr; (void)size; (void)prot;
	return 0;
}

static size_t nop_unmap(struct iommu_domain *d, unsigned long iova, size_t size)
{
	(void)d; (void)iova;
	return size;
}

static void nop_sync(struct iommu_domain *d, unsigned long iova, size_t size)
{
	(void)d; (void)iova; (void)size;
}

static void nop_flush(struct iommu_domain *d)
{
	(void)d;
}

static phys_addr_t nop_iova_to_phys(struct iommu_domain *d, unsigned long iova)
{
	(void)d; (void)iova;
	return 0;
}

static const struct iommu_domain_ops nop_ops = {
	.map = nop_map, .unmap = nop_unmap, .iotlb_sync = nop_sync,
	.flush_iotlb_all = nop_flush, .iova_to_phys = nop_iova_to_phys,
};

static void iommu_large_and_small_iovas_apart(struct kunit *test)
{
	static struct iommu_domain d;
	const uint64_t half = 1ULL << 31;	/* of a 32-bit device's space */
	char *buf = arena_buf(0);
	dma_addr_t small[4], large[2];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, iommu_domain_init(&d, &nop_ops, "nop", "nop",
				PAGE_SIZE | (2UL << 20), PAGE_SIZE,
				DMA_BIT_MASK(40), &a.arena.pgdat), 0);
	KUNIT_ASSERT_EQ(test, iommu_attach_device(&d, &a.dev), 0);
	dma_set_mask_and_coherent(&a.dev, DMA_BIT_MASK(32));
	for (int i = 0; i < 4; i++) {
		small[i] = dma_map_single(&a.dev, buf, (size_t)PAGE_SIZE << i,
					  DMA_TO_DEVICE);
		KUNIT_EXPECT_FALSE(test, dma_mapping_error(&a.dev, small[i]));
		KUNIT_EXPECT_LE(test, small[i] + ((uint64_t)PAGE_SIZE << i), half);
	}
	for (int i = 0; i < 2; i++) {
		large[i] = dma_map_single(&a.dev, buf, 2UL << 20, DMA_TO_DEVICE);
		KUNIT_EXPECT_FALSE(test, dma_mapping_error(&a.dev, large[i]));
		KUNIT_EXPECT_GE(test, large[i], half);
		KUNIT_EXPECT_LT(test, large[i], 1ULL << 32);
	}
	for (int i = 0; i < 2; i++)
		dma_unmap_single(&a.dev, large[i], 2UL << 20, DMA_TO_DEVICE);
	for (int i = 0; i < 4; i++)
		dma_unmap_single(&a.dev, small[i], (size_t)PAGE_SIZE << i, DMA_TO_DEVICE);
	iommu_detach_device(&d, &a.dev);
	iommu_domain_exit(&d);
	arena_buf_free(buf, 0);
}

/* The requester -> domain table both IOMMU drivers keep (dma-iommu.h). */
static void iommu_bindings_find_add_del(struct kunit *test)
{
	static struct iommu_bindings t;
	static struct iommu_domain dom[2];
	struct device dev2;
	struct iommu_binding *b;

	memset(&t, 0, sizeof(t));
	dma_device_init(&dev2, "other");
	KUNIT_EXPECT_NULL(test, iommu_binding_find(&t, 0x10));
	b = iommu_binding_add(&t, 0x10, &dom[0], &a.dev);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_EQ(test, iommu_binding_find(&t, 0x10), b);
	KUNIT_EXPECT_PTR_EQ(test, b->dom, &dom[0]);
	KUNIT_EXPECT_PTR_EQ(test, b->dev, &a.dev);
	/* one binding a requester */
	KUNIT_EXPECT_NULL(test, iommu_binding_add(&t, 0x10, &dom[1], &dev2));
	KUNIT_EXPECT_PTR_EQ(test, iommu_binding_find(&t, 0x10)->dom, &dom[0]);
	/* full: IOMMU_MAX_BINDINGS in all */
	for (uint32_t sid = 1; sid < IOMMU_MAX_BINDINGS; sid++)
		KUNIT_EXPECT_NOT_NULL(test, iommu_binding_add(&t, 0x100 + sid, &dom[1], &dev2));
	KUNIT_EXPECT_NULL(test, iommu_binding_add(&t, 0x200, &dom[1], &dev2));
	/* a freed slot is found free again, and the old sid is gone */
	iommu_binding_del(b);
	KUNIT_EXPECT_NULL(test, iommu_binding_find(&t, 0x10));
	b = iommu_binding_add(&t, 0x200, &dom[1], &dev2);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->sid, 0x200u);
	KUNIT_EXPECT_PTR_EQ(test, iommu_binding_find(&t, 0x101)->dom, &dom[1]);
}

/* A handle outside the pool is refused before any slot is looked at. */
static void bounce_unmap_outside_pool_refused(struct kunit *test)
{
	static char log[512];
	unsigned int used = a.pool.used;

	printk_capture_start(log, sizeof(log));
	swiotlb_tbl_unmap_single(&a.dev, a.pool.end + PAGE_SIZE, 64, DMA_FROM_DEVICE);
	swiotlb_tbl_unmap_single(&a.dev, a.pool.start - PAGE_SIZE, 64, DMA_FROM_DEVICE);
	swiotlb_sync_single_for_cpu(&a.dev, a.pool.end, 64, DMA_FROM_DEVICE);
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, a.pool.used, used);
	bool said = false;

	for (const char *q = log; *q && !said; q++)
		said = !strncmp(q, "outside the bounce pool", 23);
	KUNIT_EXPECT_TRUE(test, said);
}

/* The security promise: after a strict unmap the device is stopped at once. */
static void iommu_strict_unmap_stops_device(struct kunit *test)
{
	struct iommu_domain *d = make_domain(test, true);
	char *buf = arena_buf(0);
	dma_addr_t h;

	KUNIT_ASSERT_NOT_NULL(test, d);
	memset(buf, 's', PAGE_SIZE);
	h = dma_map_single(&a.dev, buf, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, test_iommu_dma_write(d, &a.dev, h, "ok", 2), 0);	/* IOTLB filled */
	dma_unmap_single(&a.dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &a.dev, h + 100, "evil", 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, buf[100], 's');		/* memory unchanged */
	KUNIT_EXPECT_EQ(test, d->nr_faults, 1UL);
	KUNIT_EXPECT_EQ(test, stats_of(d).syncs, 1UL);
	KUNIT_EXPECT_EQ(test, d->nr_flush_all, 0UL);
	arena_buf_free(buf, 0);
	drop_domain(d);
}

/* Lazy: the stale IOTLB entry works until the flush queue flushes. */
static void iommu_lazy_unmap_delays_the_flush(struct kunit *test)
{
	struct iommu_domain *d = make_domain(test, false);
	char *buf = arena_buf(0), *other = arena_buf(0);
	dma_addr_t h, h2;

	KUNIT_ASSERT_NOT_NULL(test, d);
	memset(buf, 'l', PAGE_SIZE);
	h = dma_map_single(&a.dev, buf, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, test_iommu_dma_write(d, &a.dev, h, "ok", 2), 0);
	dma_unmap_single(&a.dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, d->nr_flush_all, 0UL);
	KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, (unsigned long)h), (phys_addr_t)0);
	/* The window lazy mode accepts: a stale translation still works ... */
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &a.dev, h + 10, "late", 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 10, "late", 4), 0);
	/* ... and the IOVA is not reused while it might. */
	h2 = dma_map_single(&a.dev, other, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_NE(test, h2, h);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&d->iovad), 1UL);
	/* Time passes; the next unmap applies the bound and flushes. */
	fake_now += IOVA_FQ_TIMEOUT_NS;
	dma_unmap_single(&a.dev, h2, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, d->nr_flush_all, 1UL);
	KUNIT_EXPECT_EQ(test, iova_fq_pending(&d->iovad), 0UL);
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &a.dev, h + 20, "evil", 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, buf[20], 'l');
	KUNIT_EXPECT_EQ(test, stats_of(d).syncs, 0UL);		/* no per-unmap invalidation */
	arena_buf_free(buf, 0);
	arena_buf_free(other, 0);
	drop_domain(d);
}

static void iommu_masks_sg_and_coherent(struct kunit *test)
{
	struct iommu_domain *d = make_domain(test, false);
	struct scatterlist sg[3];
	char *b[3], got[3 * 8];
	dma_addr_t h64, h32, ch;
	int n;

	KUNIT_ASSERT_NOT_NULL(test, d);
	for (int i = 0; i < 3; i++) {
		b[i] = arena_buf(0);
		KUNIT_ASSERT_NOT_NULL(test, b[i]);
		memset(b[i], 'x' + i, PAGE_SIZE);
	}
	h64 = dma_map_single(&a.dev, b[0], 8, DMA_TO_DEVICE);
	KUNIT_EXPECT_GT(test, h64, DMA_BIT_MASK(32));	/* top-down below the mask */
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(&a.dev, DMA_BIT_MASK(32)), 0);
	h32 = dma_map_single(&a.dev, b[0], 8, DMA_TO_DEVICE);
	KUNIT_EXPECT_LE(test, h32, DMA_BIT_MASK(32));
	dma_unmap_single(&a.dev, h32, 8, DMA_TO_DEVICE);
	dma_unmap_single(&a.dev, h64, 8, DMA_TO_DEVICE);

	/* Three whole pages: one IOVA range, merged into one DMA segment. */
	sg_init_table(sg, 3);
	for (int i = 0; i < 3; i++)
		sg_set_buf(&sg[i], b[i], PAGE_SIZE);
	n = dma_map_sg(&a.dev, sg, 3, DMA_TO_DEVICE);
	KUNIT_ASSERT_EQ(test, n, 1);
	KUNIT_EXPECT_EQ(test, sg_dma_len(&sg[0]), 3 * PAGE_SIZE);
	for (int i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, test_iommu_dma_read(d, &a.dev,
				sg_dma_address(&sg[0]) + i * PAGE_SIZE + 5, got + 8 * i, 8), 0);
	KUNIT_EXPECT_EQ(test, got[0], 'x');
	KUNIT_EXPECT_EQ(test, got[16], 'z');
	dma_unmap_sg(&a.dev, sg, 3, DMA_TO_DEVICE);

	char *c = dma_alloc_coherent(&a.dev, 100, &ch, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_LE(test, ch, DMA_BIT_MASK(32));
	KUNIT_EXPECT_EQ(test, test_iommu_dma_write(d, &a.dev, ch + 1, "c", 1), 0);
	KUNIT_EXPECT_EQ(test, c[1], 'c');
	dma_free_coherent(&a.dev, 100, c, ch);
	KUNIT_EXPECT_EQ(test, mapped_now(d), 0UL);
	for (int i = 0; i < 3; i++)
		arena_buf_free(b[i], 0);
	drop_domain(d);
}

static struct kunit_case dma_cases[] = {
	KUNIT_CASE(direct_map_is_physical),
	KUNIT_CASE(direct_sg_and_coherent),
	KUNIT_CASE(mask_below_bounce_pool_refused),
	KUNIT_CASE(bounce_to_device_copies_at_map_and_sync),
	KUNIT_CASE(bounce_from_device_copies_at_sync_and_unmap),
	KUNIT_CASE(bounce_bidirectional_and_sg),
	KUNIT_CASE(bounce_pool_full_fails_cleanly),
	KUNIT_CASE(force_bounce_even_when_reachable),
	KUNIT_CASE(bounce_unmap_outside_pool_refused),
	KUNIT_CASE(iommu_translates_and_enforces_direction),
	KUNIT_CASE(iommu_strict_unmap_stops_device),
	KUNIT_CASE(iommu_lazy_unmap_delays_the_flush),
	KUNIT_CASE(iommu_masks_sg_and_coherent),
	KUNIT_CASE(iommu_large_and_small_iovas_apart),
	KUNIT_CASE(iommu_bindings_find_add_del),
	{}
};

static struct kunit_suite dma_suite = {
	.name = "dma",
	.init = dma_case_init,
	.exit = dma_case_exit,
	.test_cases = dma_cases,
};
kunit_test_suite(dma_suite);
