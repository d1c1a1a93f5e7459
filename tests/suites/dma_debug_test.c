/*
 * tests/suites/dma_debug_test.c - every DMA-debug detection provoked on
 * purpose and its report checked: unmap of what was never mapped, double
 * unmap, wrong size, wrong direction, wrong function, sync of an unmapped
 * handle, sync outside the mapping, sync in the wrong direction, and
 * mappings still live at detach. Each report must name the device and the
 * mapping's origin (a symbol in the kernel, an address on the host), and
 * a wrong unmap must still undo exactly the mapping (nothing leaks).
 * Host and kernel (direct backend, over a private arena).
 */
#include "kernel/kunit.h"
#include "kernel/lib/diag.h"
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/dma-mapping.h"
#include "mm/page_alloc.h"
#include "tests/suites/test_arena.h"
#include "tests/suites/vfs_testfs.h"


static struct {
	struct test_arena arena;
	unsigned long live_before;
	struct device dev;
	char *buf;
} d;
static char out[4096];

static int dbg_init(struct kunit *test)
{
	memset(&d, 0, sizeof(d));
	if (!test_arena_make(test, &d.arena, 0))
		return -1;
	dma_device_init(&d.dev, "dbgdev");
	d.dev.dma_mask = d.dev.coherent_dma_mask = DMA_BIT_MASK(64);
	d.dev.node = &d.arena.pgdat;
	d.buf = page_address(alloc_pages_node(&d.arena.pgdat, GFP_KERNEL, 0));
	d.live_before = dma_debug_live();
	return dma_debug_enabled ? 0 : -1;
}

static void dbg_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, d.dev.dma_debug_count, 0UL);
	KUNIT_EXPECT_EQ(test, dma_debug_live(), d.live_before);
	free_page((unsigned long)d.buf);
	test_arena_done(test, &d.arena);
}

static void expect(struct kunit *test, const char *needle)
{
	KUNIT_EXPECT_STR_CONTAINS(test, out, needle);
}

/*
 * The origin of a mapping made in fn: "mapped at fn+" where symbols exist
 * (the kernel), "mapped at 0x" where they do not (the host).
 */
static void expect_origin(struct kunit *test, void (*fn)(struct kunit *))
{
	char sym[96], want[128], *plus;

	ksym_format(sym, sizeof(sym), (unsigned long)fn);
	plus = strchr(sym, '+');
	if (plus)
		plus[1] = '\0';
	else
		memcpy(sym, "0x", 3);
	ksnprintf(want, sizeof(want), "mapped at %s", sym);
	expect(test, want);
}

static void unmap_never_mapped(struct kunit *test)
{
	kunit_capture_start(test, out, sizeof(out));
	dma_unmap_single(&d.dev, 0x1234000, 64, DMA_TO_DEVICE);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 1);
	expect(test, "DMA-API: dbgdev: device driver unmaps DMA memory it has not mapped "
		     "[device address=0x1234000] [size=64 bytes]");
	expect(test, "called from");
}

static void double_unmap(struct kunit *test)
{
	dma_addr_t h = dma_map_single(&d.dev, d.buf, 128, DMA_TO_DEVICE);

	dma_unmap_single(&d.dev, h, 128, DMA_TO_DEVICE);
	kunit_capture_start(test, out, sizeof(out));
	dma_unmap_single(&d.dev, h, 128, DMA_TO_DEVICE);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 1);
	expect(test, "DMA-API: dbgdev: device driver unmaps DMA memory it has already unmapped (double unmap)");
	expect(test, "first unmapped at");
	expect_origin(test, double_unmap);
}

static void wrong_size(struct kunit *test)
{
	dma_addr_t h = dma_map_single(&d.dev, d.buf, 64, DMA_FROM_DEVICE);
	char want[160];

	kunit_capture_start(test, out, sizeof(out));
	dma_unmap_single(&d.dev, h, 32, DMA_FROM_DEVICE);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 1);
	ksnprintf(want, sizeof(want), "DMA-API: dbgdev: device driver frees DMA memory with different size "
		  "[device address=%#llx] [map size=64 bytes] [unmap size=32 bytes]",
		  (unsigned long long)h);
	expect(test, want);
	expect_origin(test, wrong_size);
	expect(test, "unmapped from");
}

static void wrong_direction(struct kunit *test)
{
	dma_addr_t h = dma_map_single(&d.dev, d.buf, 64, DMA_TO_DEVICE);

	kunit_capture_start(test, out, sizeof(out));
	dma_unmap_single(&d.dev, h, 64, DMA_FROM_DEVICE);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 1);
	expect(test, "frees DMA memory with different direction");
	expect(test, "[mapped with DMA_TO_DEVICE] [unmapped with DMA_FROM_DEVICE]");
	expect_origin(test, wrong_direction);
}

static void wrong_function(struct kunit *test)
{
	dma_addr_t h = dma_map_page(&d.dev, virt_to_page(d.buf), 0, 256, DMA_TO_DEVICE);

	kunit_capture_start(test, out, sizeof(out));
	dma_unmap_single(&d.dev, h, 256, DMA_TO_DEVICE);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 1);
	expect(test, "frees DMA memory with wrong function");
	expect(test, "[mapped as page] [unmapped as single]");
}

static void sync_unmapped(struct kunit *test)
{
	dma_addr_t h = dma_map_single(&d.dev, d.buf, 64, DMA_FROM_DEVICE);

	dma_unmap_single(&d.dev, h, 64, DMA_FROM_DEVICE);
	kunit_capture_start(test, out, sizeof(out));
	dma_sync_single_for_cpu(&d.dev, h + 0x10000, 64, DMA_FROM_DEVICE);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 1);
	expect(test, "DMA-API: dbgdev: device driver syncs DMA memory it has not mapped");
}

static void sync_outside_and_wrong_direction(struct kunit *test)
{
	dma_addr_t h = dma_map_single(&d.dev, d.buf, 64, DMA_FROM_DEVICE);

	kunit_capture_start(test, out, sizeof(out));
	dma_sync_single_for_cpu(&d.dev, h + 32, 64, DMA_FROM_DEVICE);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 1);
	expect(test, "syncs DMA memory outside the mapped range");
	expect_origin(test, sync_outside_and_wrong_direction);
	kunit_capture_start(test, out, sizeof(out));
	dma_sync_single_for_device(&d.dev, h, 64, DMA_TO_DEVICE);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 1);
	expect(test, "syncs DMA memory with a different direction");
	expect(test, "[mapped with DMA_FROM_DEVICE] [synced for device with DMA_TO_DEVICE]");
	/* A correct sync says nothing. */
	kunit_capture_start(test, out, sizeof(out));
	dma_sync_single_for_cpu(&d.dev, h, 64, DMA_FROM_DEVICE);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 0);
	dma_unmap_single(&d.dev, h, 64, DMA_FROM_DEVICE);
}

static void live_mappings_at_detach(struct kunit *test)
{
	dma_addr_t h1 = dma_map_single(&d.dev, d.buf, 100, DMA_TO_DEVICE);
	dma_addr_t ch;
	void *c = dma_alloc_coherent(&d.dev, PAGE_SIZE, &ch, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, dma_debug_device_detach(&d.dev), 2UL);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 1);
	expect(test, "DMA-API: dbgdev: device driver has pending DMA allocations while released from device [count=2]");
	expect(test, "[size=100 bytes]");
	expect(test, "[mapped as single]");
	expect(test, "[mapped as coherent]");
	expect_origin(test, live_mappings_at_detach);
	/* Still recorded: the late unmaps match. */
	kunit_capture_start(test, out, sizeof(out));
	dma_unmap_single(&d.dev, h1, 100, DMA_TO_DEVICE);
	dma_free_coherent(&d.dev, PAGE_SIZE, c, ch);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 0);
}

static void sg_entry_count_mismatch(struct kunit *test)
{
	struct scatterlist sg[2];

	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], d.buf, 64);
	sg_set_buf(&sg[1], d.buf + 512, 64);
	KUNIT_ASSERT_EQ(test, dma_map_sg(&d.dev, sg, 2, DMA_TO_DEVICE), 2);
	kunit_capture_start(test, out, sizeof(out));
	dma_unmap_sg(&d.dev, sg, 1, DMA_TO_DEVICE);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_DMA_API, 1);
	expect(test, "frees DMA sg list with different entry count [map count=2] [unmap count=1]");
}

/* More live mappings than the static pool holds (swap keeps thousands
 * mapped for writes at once): the pool grows, every one is tracked, and
 * debugging stays on - no report. */
#define MANY	3000
static dma_addr_t many[MANY];

static void many_live_mappings_grow_the_pool(struct kunit *test)
{
	unsigned long live = dma_debug_live();

	/* The records come from the kernel's node (the host makes one). */
	KUNIT_ASSERT_TRUE(test, vfs_test_ensure_mm());
	for (int i = 0; i < MANY; i++)
		many[i] = dma_map_single(&d.dev, d.buf + (i % 64) * 64, 64,
					 DMA_TO_DEVICE);
	KUNIT_EXPECT_TRUE(test, dma_debug_enabled);
	KUNIT_EXPECT_EQ(test, dma_debug_live(), live + MANY);
	KUNIT_EXPECT_EQ(test, d.dev.dma_debug_count, (unsigned long)MANY);
	for (int i = 0; i < MANY; i++)
		dma_unmap_single(&d.dev, many[i], 64, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, dma_debug_live(), live);
}

static struct kunit_case dma_debug_cases[] = {
	KUNIT_CASE(unmap_never_mapped),
	KUNIT_CASE(double_unmap),
	KUNIT_CASE(wrong_size),
	KUNIT_CASE(wrong_direction),
	KUNIT_CASE(wrong_function),
	KUNIT_CASE(sync_unmapped),
	KUNIT_CASE(sync_outside_and_wrong_direction),
	KUNIT_CASE(live_mappings_at_detach),
	KUNIT_CASE(sg_entry_count_mismatch),
	KUNIT_CASE(many_live_mappings_grow_the_pool),
	{}
};

static struct kunit_suite dma_debug_suite = {
	.name = "dma_debug",
	.init = dbg_init,
	.exit = dbg_exit,
	.test_cases = dma_debug_cases,
};
kunit_test_suite(dma_debug_suite);
