/*
 * mm/dma-direct.c - DMA without an IOMMU: the DMA address is the physical
 * address seen through the device's bus window (dma_device_set_window:
 * physical + an offset; 1:1 on q35 and QEMU's virt), unless the device
 * cannot reach the buffer; then it bounces through the device's swiotlb
 * pool. A device that does not snoop the CPU's caches
 * (dma_device_set_noncoherent: the Raspberry Pi's) gets cache maintenance
 * at map, unmap and sync (arch_dma_cache_*, <arch/mmu.h>); the others
 * are coherent and sync only bounces.
 */
#include "mm/dma-internal.h"
#include "kernel/printk.h"
#include "mm/page_alloc.h"
#include "mm/swiotlb.h"
#include <arch/mmu.h>

static inline dma_addr_t phys_to_dma(struct device *dev, phys_addr_t phys)
{
	return phys + dev->dma_bus_offset;
}

static inline phys_addr_t dma_to_phys(struct device *dev, dma_addr_t addr)
{
	return addr - dev->dma_bus_offset;
}

/* The buffer the device will read or write: its lines out to memory. */
static void sync_for_device(struct device *dev, phys_addr_t phys, size_t size)
{
	if (dev->dma_noncoherent)
		arch_dma_cache_clean_inval(phys_to_virt(phys), size);
}

/* Back to the CPU: drop lines that may hide what the device wrote. */
static void sync_for_cpu(struct device *dev, phys_addr_t phys, size_t size,
			 enum dma_data_direction dir)
{
	if (dev->dma_noncoherent && dir != DMA_TO_DEVICE)
		arch_dma_cache_inval(phys_to_virt(phys), size);
}

bool dma_capable(struct device *dev, dma_addr_t addr, size_t size,
		 uint64_t mask)
{
	dma_addr_t end = addr + size - 1;

	if (dev->bus_dma_limit && dev->bus_dma_limit < mask)
		mask = dev->bus_dma_limit;
	return size && end >= addr && end <= mask && addr >= dev->dma_bus_base;
}

/*
 * Direct DMA works with any mask as long as the device can reach a bounce
 * pool, or 32 bits at least (coherent memory then comes from ZONE_DMA32).
 */
bool dma_direct_supported(struct device *dev, uint64_t mask)
{
	struct io_tlb_pool *p = dev_swiotlb_pool(dev);

	if (p && dma_capable(dev, p->start, (size_t)(p->end - p->start), mask))
		return true;
	return mask >= DMA_BIT_MASK(32);
}

static dma_addr_t map_bounce(struct device *dev, phys_addr_t phys, size_t size,
			     enum dma_data_direction dir)
{
	phys_addr_t tlb = swiotlb_tbl_map_single(dev, phys, size, dir);

	if (tlb == SWIOTLB_ERROR)
		return DMA_MAPPING_ERROR;
	if (!dma_capable(dev, phys_to_dma(dev, tlb), size, dev->dma_mask)) {
		swiotlb_tbl_unmap_single(dev, tlb, size, DMA_TO_DEVICE);
		pr_err("dma: %s: bounce buffer %#llx+%zu out of reach too (mask %#llx, bus limit %#llx)\n",
		       dev->name, (unsigned long long)tlb, size,
		       (unsigned long long)dev->dma_mask,
		       (unsigned long long)dev->bus_dma_limit);
		return DMA_MAPPING_ERROR;
	}
	sync_for_device(dev, tlb, size);	/* after the copy into it */
	return phys_to_dma(dev, tlb);
}

dma_addr_t dma_direct_map_page(struct device *dev, struct page *page,
			       unsigned long offset, size_t size,
			       enum dma_data_direction dir)
{
	phys_addr_t phys = PFN_PHYS(page_to_pfn(page)) + offset;
	dma_addr_t addr = phys_to_dma(dev, phys);

	if (unlikely(dev->dma_force_bounce || !dma_capable(dev, addr, size, dev->dma_mask)))
		return map_bounce(dev, phys, size, dir);
	sync_for_device(dev, phys, size);
	return addr;
}

void dma_direct_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir)
{
	phys_addr_t phys = dma_to_phys(dev, addr);

	sync_for_cpu(dev, phys, size, dir);	/* before any copy out of it */
	if (unlikely(is_swiotlb_buffer(dev, phys)))
		swiotlb_tbl_unmap_single(dev, phys, size, dir);
}

void dma_direct_sync_single_for_cpu(struct device *dev, dma_addr_t addr,
				    size_t size, enum dma_data_direction dir)
{
	phys_addr_t phys = dma_to_phys(dev, addr);

	sync_for_cpu(dev, phys, size, dir);
	if (unlikely(is_swiotlb_buffer(dev, phys)))
		swiotlb_sync_single_for_cpu(dev, phys, size, dir);
}

void dma_direct_sync_single_for_device(struct device *dev, dma_addr_t addr,
				       size_t size, enum dma_data_direction dir)
{
	phys_addr_t phys = dma_to_phys(dev, addr);

	if (unlikely(is_swiotlb_buffer(dev, phys)))
		swiotlb_sync_single_for_device(dev, phys, size, dir);
	sync_for_device(dev, phys, size);	/* after any copy into it */
}

int dma_direct_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = dma_direct_map_page(dev, sg->page, sg->offset,
						      sg->length, dir);
		if (sg->dma_address == DMA_MAPPING_ERROR) {
			dma_direct_unmap_sg(dev, sgl, i, dir);
			return 0;
		}
		sg->dma_length = sg->length;
	}
	return nents;
}

void dma_direct_unmap_sg(struct device *dev, struct scatterlist *sgl,
			 int nents, enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		dma_direct_unmap_page(dev, sg->dma_address, sg->dma_length, dir);
}

void *dma_direct_alloc(struct device *dev, size_t size, dma_addr_t *handle,
		       gfp_t gfp)
{
	unsigned int order;
	struct page *pg;

	if (dev->dma_noncoherent) {
		/* The CPU would keep writing into its cache, unseen: this
		 * needs an uncached mapping, which is not made yet. */
		pr_err("dma: %s: no coherent memory for a device that does not "
		       "snoop the caches; use streaming mappings\n", dev->name);
		return NULL;
	}
	if (dev->coherent_dma_mask < ARCH_DMA32_LIMIT + (uint64_t)0)
		gfp |= GFP_DMA32;	/* a 32-bit device: ZONE_DMA32 */
	pg = dma_alloc_pages_for(dev, size, gfp, &order);
	if (!pg)
		return NULL;
	*handle = phys_to_dma(dev, PFN_PHYS(page_to_pfn(pg)));
	if (!dma_capable(dev, *handle, size, dev->coherent_dma_mask)) {
		dma_free_pages_for(dev, pg, order);
		pr_warn("dma: %s: no coherent memory below %#llx\n", dev->name,
			(unsigned long long)dev->coherent_dma_mask);
		return NULL;
	}
	return page_address(pg);
}

void dma_direct_free(struct device *dev, size_t size, void *vaddr,
		     dma_addr_t handle)
{
	unsigned int order = get_order(size);

	dma_free_pages_for(dev, virt_to_page(vaddr), order);
}
