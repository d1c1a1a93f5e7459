/*
 * tests/kernel/edu.c - driving QEMU's edu device for the IOMMU suites
 * (see edu.h).
 */
#include "tests/kernel/edu.h"
#include "drivers/pci/pci.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/time.h"
#include "mm/dma-iommu.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/mmio.h>

/*
 * Assertions inside a helper that must clean up: a KUNIT_ASSERT_* here
 * would end the whole case at once (kernel/kunit.h), leaking edu's pages
 * and leaving the domain lazy. These report as an assertion but only give
 * the result, so the helper returns and its caller cleans up and returns.
 */
#define CHECK_TRUE(t, c)	__KUNIT_TRUE(t, true, c, true, #c)
#define CHECK_FALSE(t, c)	__KUNIT_TRUE(t, true, c, false, #c)
#define CHECK_EQ(t, a, b)	__KUNIT_BINARY(t, true, a, ==, b)

#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_START	0x1

bool edu_dma(void *bar, uint64_t src, uint64_t dst, uint32_t cmd)
{
	uint64_t start = clock_ns();

	writeq(src, (char *)bar + EDU_DMA_SRC);
	writeq(dst, (char *)bar + EDU_DMA_DST);
	writeq(PATTERN_LEN, (char *)bar + EDU_DMA_CNT);
	writel(cmd | EDU_CMD_START, (char *)bar + EDU_DMA_CMD);
	while (readl((char *)bar + EDU_DMA_CMD) & EDU_CMD_START) {
		if (clock_ns() - start > 3000000000ULL)
			return false;
		arch_cpu_relax();
	}
	return true;
}

bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

bool edu_begin(struct kunit *test, struct edu_case *c)
{
	memset(c, 0, sizeof(*c));
	c->pdev = pci_get_device(EDU_VENDOR, EDU_DEVICE, NULL);
	if (!c->pdev) {
		kunit_do_skip(test, "no edu device (run with -device edu)");
		return false;
	}
	c->d = c->pdev->dev.domain;
	KUNIT_EXPECT_NOT_NULL(test, c->d);	/* the PCI hook attached it */
	if (!c->d)
		return false;
	pci_enable_device(c->pdev);
	c->bar = pci_iomap(c->pdev, 0, 0, 0x100);
	KUNIT_EXPECT_NOT_NULL(test, c->bar);
	if (!c->bar)
		return false;
	if (!CHECK_EQ(test, readl((char *)c->bar + EDU_ID) & 0xffff, 0x00edu) ||
	    !CHECK_EQ(test, dma_set_mask(&c->pdev->dev, DMA_BIT_MASK(28)), 0))
		return false;
	c->src_pg = alloc_pages(GFP_KERNEL, 0);
	c->dst_pg = alloc_pages(GFP_KERNEL, 0);
	if (!c->src_pg || !c->dst_pg) {
		KUNIT_FAIL(test, "no pages for edu's buffers");
		edu_end(c);
		return false;
	}
	c->src = page_address(c->src_pg);
	c->dst = page_address(c->dst_pg);
	return true;
}

void edu_end(struct edu_case *c)
{
	if (c->src_pg)
		__free_pages(c->src_pg, 0);
	if (c->dst_pg)
		__free_pages(c->dst_pg, 0);
	c->src_pg = c->dst_pg = NULL;
}

uint64_t edu_stale_iova(struct kunit *test, struct edu_case *c, uint8_t first)
{
	struct device *dev = &c->pdev->dev;
	uint8_t pattern[PATTERN_LEN];
	dma_addr_t hs, hd;

	for (int i = 0; i < PATTERN_LEN; i++)
		pattern[i] = (uint8_t)(first + i);
	iommu_set_dma_strict(c->d, true);

	/* 1. RAM -> device buffer: edu reads through the IOMMU */
	memcpy(c->src, pattern, PATTERN_LEN);
	hs = dma_map_single(dev, c->src, PAGE_SIZE, DMA_TO_DEVICE);
	if (!CHECK_FALSE(test, dma_mapping_error(dev, hs)))
		return 0;
	KUNIT_EXPECT_LT(test, hs, DMA_BIT_MASK(28));
	if (!CHECK_TRUE(test, edu_dma(c->bar, hs, EDU_BUF, 0)))
		return 0;
	dma_unmap_single(dev, hs, PAGE_SIZE, DMA_TO_DEVICE);

	/* 2. device -> RAM while mapped: the write must land (the control) */
	memset(c->dst, 0, PAGE_SIZE);
	hd = dma_map_single(dev, c->dst, PAGE_SIZE, DMA_FROM_DEVICE);
	if (!CHECK_FALSE(test, dma_mapping_error(dev, hd)))
		return 0;
	KUNIT_EXPECT_EQ(test, c->d->ops->iova_to_phys(c->d, hd), virt_to_phys(c->dst));
	if (!CHECK_TRUE(test, edu_dma(c->bar, EDU_BUF, hd, EDU_CMD_TO_RAM)))
		return 0;
	dma_unmap_single(dev, hd, PAGE_SIZE, DMA_FROM_DEVICE);
	if (memcmp(c->dst, pattern, PATTERN_LEN)) {
		KUNIT_FAIL(test, "edu's write through a live mapping did not arrive: "
			   "the isolation check would prove nothing");
		return 0;
	}
	/* The unmap took the entry out of the table (strict: and the TLB). */
	KUNIT_EXPECT_EQ(test, c->d->ops->iova_to_phys(c->d, hd), (phys_addr_t)0);
	memset(c->dst, 0x5a, PAGE_SIZE);
	return hd;
}

bool edu_expect_blocked(struct kunit *test, struct edu_case *c, uint64_t hd,
			const struct edu_iommu *u)
{
	unsigned long faults = u->nr_faults(u->unit);
	unsigned long dom_faults = c->d->nr_faults;

	if (!CHECK_TRUE(test, edu_dma(c->bar, EDU_BUF, hd, EDU_CMD_TO_RAM)))
		return false;
	for (uint64_t t0 = clock_ns(); u->irq && u->nr_faults(u->unit) == faults &&
	     clock_ns() - t0 < 1000000000ULL;)
		arch_cpu_relax();		/* the fault interrupt */
	u->drain(u->unit);			/* and whatever it left */
	KUNIT_EXPECT_TRUE(test, all_bytes(c->dst, PAGE_SIZE, 0x5a));
	KUNIT_EXPECT_GT(test, u->nr_faults(u->unit), faults);
	KUNIT_EXPECT_GT(test, c->d->nr_faults, dom_faults);
	return true;
}

void edu_lazy_window_case(struct kunit *test, const struct edu_iommu *u)
{
	struct edu_case c;
	uint64_t timeout;
	dma_addr_t h;
	bool landed;

	if (!edu_begin(test, &c))
		return;
	iommu_set_dma_strict(c.d, false);
	/* Hold the queue's time bound off: QEMU's edu starts a transfer
	 * 100 ms after its command, and the 10 ms bound (its tick,
	 * mm/dma_flush_kthread.c) would close the window first. */
	timeout = c.d->iovad.fq_timeout_ns;
	c.d->iovad.fq_timeout_ns = 60ULL * 1000 * 1000 * 1000;
	memset(c.dst, 0, PAGE_SIZE);
	h = dma_map_single(&c.pdev->dev, c.dst, PAGE_SIZE, DMA_FROM_DEVICE);
	if (!CHECK_FALSE(test, dma_mapping_error(&c.pdev->dev, h)) ||
	    !CHECK_TRUE(test, edu_dma(c.bar, EDU_BUF, h, EDU_CMD_TO_RAM)))
		goto out;
	KUNIT_EXPECT_FALSE(test, all_bytes(c.dst, PATTERN_LEN, 0));	/* it wrote */
	dma_unmap_single(&c.pdev->dev, h, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, c.d->ops->iova_to_phys(c.d, h), (phys_addr_t)0);

	/* inside the window: the table says no, the TLB may say yes */
	memset(c.dst, 0x5a, PAGE_SIZE);
	if (!CHECK_TRUE(test, edu_dma(c.bar, EDU_BUF, h, EDU_CMD_TO_RAM)))
		goto out;
	landed = !all_bytes(c.dst, PATTERN_LEN, 0x5a);
	kunit_info(test, "lazy unmap, before the flush: edu's write through the stale TLB entry %s",
		   landed ? "LANDED (the window strict mode closes)" : "was blocked");

	/* after the flush queue's invalidation: stopped for sure */
	iova_flush_queue_flush(&c.d->iovad);
	u->drain(u->unit);
	memset(c.dst, 0x5a, PAGE_SIZE);
	edu_expect_blocked(test, &c, h, u);
out:
	c.d->iovad.fq_timeout_ns = timeout;
	iommu_set_dma_strict(c.d, true);
	edu_end(&c);
}
