/*
 * tests/kernel/pci_msi_test.c - MSI-X of real PCI devices, with or without
 * an IOMMU (suite pci_msi). Runs in every configuration and skips where
 * there is nothing to check:
 *  - every function with MSI-X enabled has, in its table, the address it
 *    must write: the physical doorbell when it has no IOMMU domain or its
 *    IOMMU does not translate MSIs (VT-d), else the doorbell page's IOVA
 *    in its domain (mm/dma-iommu.h, iommu_dma_prepare_msi), which lies in
 *    the domain's aperture and IOVA tree, translates to the doorbell, and
 *    is never what dma_map_single hands the device;
 *  - every bound virtio-blk PCI function uses MSI-X, and vda completes a
 *    read by interrupt alone (no polling): so behind the SMMU a fallback
 *    to INTx, or an MSI lost in the IOMMU, fails here.
 */
#include "drivers/block/blk.h"
#include "drivers/pci/pci.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/time.h"
#include "mm/dma-iommu.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/irq.h>
#include <arch/mmio.h>

#define MAX_FNS	16

static void nop_handler(void *arg)
{
	(void)arg;
}

static bool bound(const struct pci_dev *pdev)
{
	return pdev->driver && pdev->driver != (const struct pci_driver *)-1;
}

struct msix_fns {
	unsigned int n;
	struct pci_dev *fn[MAX_FNS];
};

static void collect_msix(struct pci_dev *pdev, void *arg)
{
	struct msix_fns *f = arg;

	if (pdev->msix_enabled && f->n < MAX_FNS)
		f->fn[f->n++] = pdev;
}

/* The physical doorbell the architecture gives pdev (a vector taken and
 * given back at once); 0 if none. */
static uint64_t physical_doorbell(struct pci_dev *pdev)
{
	uint64_t addr;
	uint32_t data;

	if (arch_msi_alloc_dev(pci_msi_devid(pdev), nop_handler, NULL, &addr,
			       &data, 0))
		return 0;
	arch_msi_free(data);
	return addr;
}

/* The doorbell page's entry in d, or NULL. */
static const struct iommu_msi_page *msi_page(struct iommu_domain *d,
					     uint64_t phys)
{
	phys_addr_t page = phys & ~(phys_addr_t)(d->iovad.granule - 1);

	for (unsigned int i = 0; i < d->nr_msi_pages; i++)
		if (d->msi_pages[i].phys == page)
			return &d->msi_pages[i];
	return NULL;
}

/* dma_map_single of 16 pages for pdev: none may be the doorbell's IOVA. */
static void dma_map_avoids(struct kunit *test, struct pci_dev *pdev,
			   dma_addr_t bell_iova)
{
	struct page *pg = alloc_pages(GFP_KERNEL, 0);
	dma_addr_t h[16];

	KUNIT_ASSERT_NOT_NULL(test, pg);
	for (int i = 0; i < 16; i++) {
		h[i] = dma_map_single(&pdev->dev, page_address(pg), PAGE_SIZE,
				      DMA_FROM_DEVICE);
		KUNIT_EXPECT_NE(test, h[i], DMA_MAPPING_ERROR);
		KUNIT_EXPECT_NE(test, h[i] & ~(dma_addr_t)(PAGE_SIZE - 1), bell_iova);
	}
	for (int i = 0; i < 16; i++)
		if (h[i] != DMA_MAPPING_ERROR)
			dma_unmap_single(&pdev->dev, h[i], PAGE_SIZE, DMA_FROM_DEVICE);
	__free_pages(pg, 0);
}

static void msix_table_has_the_right_address(struct kunit *test)
{
	struct msix_fns f = { 0 };
	unsigned int translated = 0;

	pci_for_each_dev(collect_msix, &f);
	if (!f.n)
		kunit_skip(test, "no PCI function with MSI-X enabled");
	for (unsigned int i = 0; i < f.n; i++) {
		struct pci_dev *pdev = f.fn[i];
		struct iommu_domain *d = pdev->dev.domain;
		char *e = pdev->msix_table;
		uint64_t phys = physical_doorbell(pdev);
		uint64_t addr = readl(e) | (uint64_t)readl(e + 4) << 32;
		const struct iommu_msi_page *mp;

		KUNIT_ASSERT_NE(test, phys, 0ULL);
		if (!d || !d->ops->msi_translated) {
			KUNIT_EXPECT_EQ(test, addr, phys);
			kunit_info(test, "%s: MSI-X to the doorbell at %#llx itself (%s)",
				   pdev->name, (unsigned long long)addr,
				   d ? "its IOMMU does not translate MSIs" : "no IOMMU");
			continue;
		}
		translated++;
		mp = msi_page(d, phys);
		KUNIT_ASSERT_NOT_NULL(test, mp);
		KUNIT_EXPECT_EQ(test, addr, mp->iova + (phys - mp->phys));
		KUNIT_EXPECT_NE(test, addr, phys);
		KUNIT_EXPECT_GE(test, mp->iova, d->aperture_start);
		KUNIT_EXPECT_LE(test, mp->iova, d->aperture_end);
		KUNIT_EXPECT_NOT_NULL(test, find_iova(&d->iovad,
						      iova_pfn(&d->iovad, mp->iova)));
		KUNIT_EXPECT_EQ(test, d->ops->iova_to_phys(d, (unsigned long)addr),
				(phys_addr_t)phys);
		dma_map_avoids(test, pdev, mp->iova);
		kunit_info(test, "%s: MSI-X to IOVA %#llx in %s -> doorbell %#llx",
			   pdev->name, (unsigned long long)addr, d->name,
			   (unsigned long long)phys);
	}
	kunit_info(test, "%u functions with MSI-X, %u through an IOMMU mapping",
		   f.n, translated);
}

static void virtio_blk_uses_msix(struct pci_dev *pdev, void *arg)
{
	unsigned int *count = arg;

	if (pdev->vendor == 0x1af4 && pdev->device == 0x1042 && bound(pdev)) {
		count[0]++;
		count[1] += pdev->msix_enabled;
		count[2] += pdev->msix_cap != 0;
	}
}

static volatile bool read_done;

static void note_done(struct blk_request *req)
{
	(void)req;
	read_done = true;
}

static void virtio_blk_interrupts_by_msix(struct kunit *test)
{
	struct block_device *b = blk_get("vda");
	unsigned int count[3] = { 0, 0, 0 };	/* bound, MSI-X on, capable */
	struct page *pg;
	struct blk_segment seg;
	struct blk_request req;
	uint64_t deadline;

	pci_for_each_dev(virtio_blk_uses_msix, count);
	if (!b || !count[0])
		kunit_skip(test, "no virtio-blk PCI disk vda");
	/* Every function that can use MSI-X does (x86_64-virtio-blk-intx's
	 * have none: vectors=0; they complete by INTx). */
	KUNIT_EXPECT_EQ(test, count[1], count[2]);
	KUNIT_ASSERT_TRUE(test, b->irq_driven);
	KUNIT_ASSERT_TRUE(test, arch_irqs_enabled());
	pg = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	seg = (struct blk_segment){ .page = pg, .offset = 0, .len = 4096 };
	req = (struct blk_request){ .op = BLK_OP_READ, .sector = 0,
				    .segs = &seg, .nr_segs = 1,
				    .end_io = note_done };
	read_done = false;
	KUNIT_ASSERT_EQ(test, blk_submit(b, &req), 0);
	/* No ->poll: only the device's interrupt can complete it. */
	deadline = clock_ns() + 2000000000ULL;
	while (!read_done && clock_ns() < deadline)
		arch_cpu_relax();
	KUNIT_EXPECT_TRUE(test, read_done);
	while (!read_done)		/* reap it anyway, then report */
		b->ops->poll(b);
	KUNIT_EXPECT_EQ(test, req.status, 0);
	__free_pages(pg, 0);
	kunit_info(test, "%u virtio-blk PCI functions, %u with MSI-X; a read of vda "
		   "completed by interrupt", count[0], count[1]);
}

static struct kunit_case pci_msi_cases[] = {
	KUNIT_CASE(msix_table_has_the_right_address),
	KUNIT_CASE(virtio_blk_interrupts_by_msix),
	{}
};

static struct kunit_suite pci_msi_suite = {
	.name = "pci_msi",
	.test_cases = pci_msi_cases,
};
kunit_test_suite(pci_msi_suite);
