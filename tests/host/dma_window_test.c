/*
 * tests/host/dma_window_test.c - the direct DMA backend for the
 * Raspberry Pi's kind of device (mm/dma-mapping.h): a bus window
 * (dma_device_set_window, a device tree's dma-ranges: DMA address =
 * physical + offset, nothing outside the window reachable) and no cache
 * snooping (dma_device_set_noncoherent: the cache maintenance at map,
 * unmap and sync). The host's <arch/mmu.h> counts the maintenance calls
 * and keeps the last (tests/host/include/arch/mmu.h). Host only: in a
 * kernel the calls are real cache instructions, with nothing to count.
 *
 * A 4 MiB test chunk as tests/suites/dma_test.c lays it out: a 256 KiB
 * bounce pool first, the page arena after it.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/dma-mapping.h"
#include "mm/page_alloc.h"
#include "mm/swiotlb.h"
#include <arch/mmu.h>
#include "tests/suites/test_arena.h"

#define POOL_BYTES	(256UL << 10)
#define VC_BUS		0xc0000000ULL	/* the Pi's VideoCore alias */

static struct {
	struct test_arena arena;
	struct io_tlb_pool pool;
	struct device dev;
} w;

static int window_init(struct kunit *test)
{
	memset(&w, 0, sizeof(w));
	memset(&host_dma_cache_log, 0, sizeof(host_dma_cache_log));
	if (!test_arena_make(test, &w.arena, POOL_BYTES))
		return -1;
	if (swiotlb_init_pool(&w.pool, "window", w.arena.chunk, POOL_BYTES))
		return -1;
	dma_device_init(&w.dev, "pidev");
	w.dev.node = &w.arena.pgdat;
	w.dev.dma_io_tlb_mem = &w.pool;
	w.dev.dma_mask = DMA_BIT_MASK(64);
	w.dev.coherent_dma_mask = DMA_BIT_MASK(64);
	return 0;
}

static void window_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dma_debug_device_detach(&w.dev), 0UL);
	KUNIT_EXPECT_EQ(test, w.pool.used, 0U);
	test_arena_done(test, &w.arena);
}

static char *buf_alloc(void)
{
	struct page *pg = alloc_pages_node(&w.arena.pgdat, GFP_KERNEL, 0);

	return pg ? page_address(pg) : NULL;
}

static phys_addr_t chunk_phys(void)
{
	return virt_to_phys(w.arena.chunk);
}

/* What the device reaches at bus address h. */
static char *dev_sees(dma_addr_t h)
{
	return phys_to_virt(h - VC_BUS + chunk_phys());
}

/* The whole chunk seen at VC_BUS: a mapping is physical + the offset. */
static void window_offsets_the_address(struct kunit *test)
{
	char *buf = buf_alloc();
	dma_addr_t h;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	dma_device_set_window(&w.dev, chunk_phys(), VC_BUS, 4UL << 20);
	h = dma_map_single(&w.dev, buf + 64, 512, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, dma_mapping_error(&w.dev, h), 0);
	KUNIT_EXPECT_EQ(test, h, VC_BUS + (virt_to_phys(buf + 64) - chunk_phys()));
	KUNIT_EXPECT_EQ(test, w.pool.nr_maps, 0UL);	/* reachable: no bounce */
	memset(dev_sees(h), 0x3c, 512);			/* the device writes */
	dma_unmap_single(&w.dev, h, 512, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, (unsigned char)buf[64], 0x3c);
	KUNIT_EXPECT_EQ(test, (unsigned char)buf[64 + 511], 0x3c);
	free_pages((unsigned long)buf, 0);
}

/* A window of just the pool: an arena page (above it) bounces into the
 * pool, at the pool's bus address; the copy comes back at unmap. */
static void outside_the_window_bounces_inside_it(struct kunit *test)
{
	char *buf = buf_alloc();
	dma_addr_t h;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	dma_device_set_window(&w.dev, chunk_phys(), VC_BUS, POOL_BYTES);
	memset(buf, 'p', PAGE_SIZE);
	h = dma_map_single(&w.dev, buf, PAGE_SIZE, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_EQ(test, dma_mapping_error(&w.dev, h), 0);
	KUNIT_EXPECT_GE(test, h, VC_BUS);
	KUNIT_EXPECT_LT(test, h, VC_BUS + POOL_BYTES);
	KUNIT_EXPECT_EQ(test, w.pool.nr_maps, 1UL);
	KUNIT_EXPECT_EQ(test, dev_sees(h)[100], 'p');	/* copied in */
	dev_sees(h)[100] = 'q';
	dma_unmap_single(&w.dev, h, PAGE_SIZE, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, buf[100], 'q');		/* and back */
	free_pages((unsigned long)buf, 0);
}

/* A window that starts above the pool: the pool is below it, so what
 * lies below the window cannot be bounced either: a clean refusal. */
static void below_the_window_is_refused(struct kunit *test)
{
	char *buf = buf_alloc();
	dma_addr_t h;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* The window begins just past the buffer's page; the pool lies
	 * below the arena, so below the window too. */
	dma_device_set_window(&w.dev, virt_to_phys(buf) + PAGE_SIZE, VC_BUS,
			      1UL << 20);
	h = dma_map_single(&w.dev, buf, 256, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, dma_mapping_error(&w.dev, h), -ENOMEM);
	KUNIT_EXPECT_EQ(test, w.pool.used, 0U);
	free_pages((unsigned long)buf, 0);
}

/* Non-coherent: map cleans the buffer's lines, whatever the direction;
 * unmap and sync for the CPU invalidate them when the device may have
 * written; sync for the device cleans again. A coherent device gets no
 * maintenance at all. */
static void noncoherent_maintenance_at_map_unmap_sync(struct kunit *test)
{
	struct host_dma_cache_log *log = &host_dma_cache_log;
	char *buf = buf_alloc();
	dma_addr_t h;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	h = dma_map_single(&w.dev, buf, 300, DMA_FROM_DEVICE);
	dma_unmap_single(&w.dev, h, 300, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, log->clean_inval + log->inval, 0UL);	/* coherent */

	dma_device_set_noncoherent(&w.dev);
	h = dma_map_single(&w.dev, buf, 300, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, log->clean_inval, 1UL);
	KUNIT_EXPECT_PTR_EQ(test, log->last_va, (void *)buf);
	KUNIT_EXPECT_EQ(test, log->last_len, (size_t)300);
	dma_unmap_single(&w.dev, h, 300, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, log->inval, 0UL);		/* it only read */

	h = dma_map_single(&w.dev, buf + 8, 100, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, log->clean_inval, 2UL);	/* no dirty line may
							 * land on its data */
	dma_sync_single_for_cpu(&w.dev, h, 100, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, log->inval, 1UL);
	KUNIT_EXPECT_PTR_EQ(test, log->last_va, (void *)(buf + 8));
	dma_sync_single_for_device(&w.dev, h, 100, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, log->clean_inval, 3UL);
	dma_unmap_single(&w.dev, h, 100, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, log->inval, 2UL);
	KUNIT_EXPECT_TRUE(test, log->last_was_inval);
	free_pages((unsigned long)buf, 0);
}

/* Bounced and non-coherent: the maintenance is on the bounce slot, after
 * the copy in and before the copy out. */
static void noncoherent_bounce_keeps_the_slot(struct kunit *test)
{
	struct host_dma_cache_log *log = &host_dma_cache_log;
	char *buf = buf_alloc();
	dma_addr_t h;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	dma_device_set_window(&w.dev, chunk_phys(), VC_BUS, POOL_BYTES);
	dma_device_set_noncoherent(&w.dev);
	h = dma_map_single(&w.dev, buf, 700, DMA_FROM_DEVICE);
	KUNIT_ASSERT_EQ(test, dma_mapping_error(&w.dev, h), 0);
	KUNIT_EXPECT_PTR_EQ(test, log->last_va, (void *)dev_sees(h));
	KUNIT_EXPECT_EQ(test, log->clean_inval, 1UL);
	dma_unmap_single(&w.dev, h, 700, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, log->inval, 1UL);
	KUNIT_EXPECT_PTR_EQ(test, log->last_va, (void *)dev_sees(h));
	free_pages((unsigned long)buf, 0);
}

/* No coherent memory for a device that does not snoop: refused, said. */
static void noncoherent_device_gets_no_coherent_memory(struct kunit *test)
{
	dma_addr_t h = 0;

	dma_device_set_noncoherent(&w.dev);
	KUNIT_EXPECT_NULL(test, dma_alloc_coherent(&w.dev, PAGE_SIZE, &h, GFP_KERNEL));
}

static struct kunit_case dma_window_cases[] = {
	KUNIT_CASE(window_offsets_the_address),
	KUNIT_CASE(outside_the_window_bounces_inside_it),
	KUNIT_CASE(below_the_window_is_refused),
	KUNIT_CASE(noncoherent_maintenance_at_map_unmap_sync),
	KUNIT_CASE(noncoherent_bounce_keeps_the_slot),
	KUNIT_CASE(noncoherent_device_gets_no_coherent_memory),
	{}
};

static struct kunit_suite dma_window_suite = {
	.name = "dma_window",
	.init = window_init,
	.exit = window_exit,
	.test_cases = dma_window_cases,
};
kunit_test_suite(dma_window_suite);
