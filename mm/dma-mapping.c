/*
 * mm/dma-mapping.c - the DMA API entry points: pick the device's backend
 * (direct when dev->dma_ops is NULL, else its ops, e.g. iommu_dma_ops),
 * and let dma-debug see every call with the driver's return address.
 */
#include "mm/dma-internal.h"
#include "boot/boot_info.h"
#include "mm/cma.h"
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/page_alloc.h"
#include "mm/swiotlb.h"

#define _RET_IP_	((unsigned long)__builtin_return_address(0))

const char *dma_dir_name(enum dma_data_direction dir)
{
	static const char *const names[] = {
		"DMA_BIDIRECTIONAL", "DMA_TO_DEVICE", "DMA_FROM_DEVICE", "DMA_NONE",
	};

	return (unsigned int)dir < ARRAY_SIZE(names) ? names[dir] : "DMA_?";
}

/* ---------------------------------------------------------------- sg */

void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	memset(sgl, 0, nents * sizeof(*sgl));
	if (nents)
		sgl[nents - 1].last = true;
}

void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
		 unsigned int offset)
{
	sg->page = page;
	sg->offset = offset;
	sg->length = len;
}

void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int len)
{
	sg_set_page(sg, virt_to_page(buf), len,
		    (unsigned int)((uintptr_t)buf & (PAGE_SIZE - 1)));
}

phys_addr_t sg_phys(const struct scatterlist *sg)
{
	return PFN_PHYS(page_to_pfn(sg->page)) + sg->offset;
}

void *sg_virt(const struct scatterlist *sg)
{
	return (char *)page_address(sg->page) + sg->offset;
}

/* ---------------------------------------------------------------- device */

void dma_device_init(struct device *dev, const char *name)
{
	memset(dev, 0, sizeof(*dev));
	dev->name = name;
	dev->dma_mask = DMA_BIT_MASK(32);
	dev->coherent_dma_mask = DMA_BIT_MASK(32);
	INIT_LIST_HEAD(&dev->iommu_node);
	INIT_LIST_HEAD(&dev->dma_debug_list);
}

void dma_device_set_window(struct device *dev, phys_addr_t cpu, dma_addr_t bus,
			   uint64_t size)
{
	dev->dma_bus_offset = bus - cpu;
	dev->dma_bus_base = bus;
	dev->bus_dma_limit = size ? bus + size - 1 : 0;
}

void dma_device_set_noncoherent(struct device *dev)
{
	dev->dma_noncoherent = true;
}

bool dma_supported(struct device *dev, uint64_t mask)
{
	if (dev->dma_ops && dev->dma_ops->dma_supported)
		return dev->dma_ops->dma_supported(dev, mask);
	return dma_direct_supported(dev, mask);
}

int dma_set_mask(struct device *dev, uint64_t mask)
{
	if (!dma_supported(dev, mask)) {
		pr_warn("dma: %s: mask %#llx unusable: no memory or bounce pool below it\n",
			dev->name, (unsigned long long)mask);
		return -EIO;
	}
	dev->dma_mask = mask;
	return 0;
}

int dma_set_coherent_mask(struct device *dev, uint64_t mask)
{
	if (!dma_supported(dev, mask))
		return -EIO;
	dev->coherent_dma_mask = mask;
	return 0;
}

int dma_set_mask_and_coherent(struct device *dev, uint64_t mask)
{
	int ret = dma_set_mask(dev, mask);

	if (!ret)
		ret = dma_set_coherent_mask(dev, mask);
	return ret;
}

/* ---------------------------------------------------------------- streaming */

static dma_addr_t map_page(struct device *dev, struct page *page,
			   unsigned long offset, size_t size,
			   enum dma_data_direction dir,
			   enum dma_debug_type type, unsigned long caller)
{
	dma_addr_t addr;

	if (dev->dma_ops)
		addr = dev->dma_ops->map_page(dev, page, offset, size, dir);
	else
		addr = dma_direct_map_page(dev, page, offset, size, dir);
	if (dma_debug_enabled && addr != DMA_MAPPING_ERROR)
		debug_dma_map(dev, addr, size, dir, type,
			      PFN_PHYS(page_to_pfn(page)) + offset, caller);
	return addr;
}

static void unmap_page(struct device *dev, dma_addr_t addr, size_t size,
		       enum dma_data_direction dir, enum dma_debug_type type,
		       unsigned long caller)
{
	if (dma_debug_enabled && !debug_dma_unmap(dev, addr, &size, &dir, type, caller))
		return;
	if (dev->dma_ops)
		dev->dma_ops->unmap_page(dev, addr, size, dir);
	else
		dma_direct_unmap_page(dev, addr, size, dir);
}

dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir)
{
	return map_page(dev, virt_to_page(ptr),
			(unsigned long)((uintptr_t)ptr & (PAGE_SIZE - 1)), size, dir,
			DMA_DEBUG_SINGLE, _RET_IP_);
}

void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir)
{
	unmap_page(dev, addr, size, dir, DMA_DEBUG_SINGLE, _RET_IP_);
}

dma_addr_t dma_map_page(struct device *dev, struct page *page,
			unsigned long offset, size_t size,
			enum dma_data_direction dir)
{
	return map_page(dev, page, offset, size, dir, DMA_DEBUG_PAGE, _RET_IP_);
}

void dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir)
{
	unmap_page(dev, addr, size, dir, DMA_DEBUG_PAGE, _RET_IP_);
}

int dma_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
	       enum dma_data_direction dir)
{
	int n;

	if (nents <= 0)
		return 0;
	if (dev->dma_ops)
		n = dev->dma_ops->map_sg(dev, sgl, nents, dir);
	else
		n = dma_direct_map_sg(dev, sgl, nents, dir);
	if (dma_debug_enabled && n > 0)
		debug_dma_map_sg(dev, sgl, nents, n, dir, _RET_IP_);
	return n;
}

void dma_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
		  enum dma_data_direction dir)
{
	if (dma_debug_enabled && !debug_dma_unmap_sg(dev, sgl, nents, &dir, _RET_IP_))
		return;
	if (dev->dma_ops)
		dev->dma_ops->unmap_sg(dev, sgl, nents, dir);
	else
		dma_direct_unmap_sg(dev, sgl, nents, dir);
}

void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir)
{
	if (dma_debug_enabled && !debug_dma_sync(dev, addr, size, dir, false, _RET_IP_))
		return;
	if (dev->dma_ops)
		dev->dma_ops->sync_single_for_cpu(dev, addr, size, dir);
	else
		dma_direct_sync_single_for_cpu(dev, addr, size, dir);
}

void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir)
{
	if (dma_debug_enabled && !debug_dma_sync(dev, addr, size, dir, true, _RET_IP_))
		return;
	if (dev->dma_ops)
		dev->dma_ops->sync_single_for_device(dev, addr, size, dir);
	else
		dma_direct_sync_single_for_device(dev, addr, size, dir);
}

/* ---------------------------------------------------------------- coherent */

/*
 * Large coherent buffers come from CMA (Linux's dma_alloc_contiguous):
 * a buffer of many pages is where buddy allocations of high order fail
 * first once memory is fragmented, and CMA's region gives it back by
 * moving the movable pages that borrowed it. Used when the device has a
 * region (dev->cma_area, else the boot region), the buffer is large
 * (CMA_DMA_MIN_ORDER: 64 KiB and up - a virtio ring or a command buffer
 * of a few pages stays with the buddy allocator, where such blocks are
 * plentiful, and does not pin part of the region for the device's
 * life), the caller may sleep (cma_alloc migrates), and - without an
 * IOMMU - the device can reach the whole region (its coherent mask and
 * bus limit: the Raspberry Pi's 30-bit DMA wants its region below
 * 1 GiB). Behind an IOMMU any region does: the IOVA is what the device
 * sees. Aligned to the buffer's order, at most 2^CMA_DMA_ALIGN pages
 * (Linux's CONFIG_CMA_ALIGNMENT). NULL: use the buddy allocator.
 */
#define CMA_DMA_ALIGN	8
#define CMA_DMA_MIN_ORDER	4

static struct cma *dev_cma(struct device *dev)
{
	return dev->cma_area ? dev->cma_area : cma_default();
}

static struct page *dma_alloc_contiguous(struct device *dev, unsigned int order,
					 gfp_t gfp)
{
	struct cma *cma = dev_cma(dev);
	struct page *pg;

	if (!cma || order < CMA_DMA_MIN_ORDER || !(gfp & __GFP_DIRECT_RECLAIM))
		return NULL;
	if (!dev->dma_ops &&
	    !dma_capable(dev, PFN_PHYS(cma->base_pfn),
			 (size_t)cma->count << PAGE_SHIFT,
			 dev->coherent_dma_mask))
		return NULL;
	pg = cma_alloc(cma, 1UL << order, min(order, (unsigned int)CMA_DMA_ALIGN));
	if (pg)
		memset(page_address(pg), 0, PAGE_SIZE << order);
	return pg;
}

struct page *dma_alloc_pages_for(struct device *dev, size_t size, gfp_t gfp,
				 unsigned int *order)
{
	unsigned int o = get_order(size);
	struct page *pg = dma_alloc_contiguous(dev, o, gfp);

	*order = o;
	if (pg)
		return pg;
	gfp |= __GFP_ZERO | __GFP_NOWARN;
	return dev->node ? alloc_pages_node(dev->node, gfp, o) : alloc_pages(gfp, o);
}

void dma_free_pages_for(struct device *dev, struct page *pg, unsigned int order)
{
	struct cma *cma = dev_cma(dev);

	/* cma_release says false for pages outside the region. */
	if (order >= CMA_DMA_MIN_ORDER && cma &&
	    cma_release(cma, pg, 1UL << order))
		return;
	__free_pages(pg, order);
}

void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle,
			 gfp_t gfp)
{
	void *va;

	if (!size)
		return NULL;
	if (dev->dma_ops)
		va = dev->dma_ops->alloc(dev, size, handle, gfp);
	else
		va = dma_direct_alloc(dev, size, handle, gfp);
	if (va && dma_debug_enabled)
		debug_dma_map(dev, *handle, size, DMA_BIDIRECTIONAL,
			      DMA_DEBUG_COHERENT, virt_to_phys(va), _RET_IP_);
	return va;
}

void dma_free_coherent(struct device *dev, size_t size, void *vaddr,
		       dma_addr_t handle)
{
	enum dma_data_direction dir = DMA_BIDIRECTIONAL;

	if (!vaddr)
		return;
	if (dma_debug_enabled &&
	    !debug_dma_unmap(dev, handle, &size, &dir, DMA_DEBUG_COHERENT, _RET_IP_))
		return;
	if (dev->dma_ops)
		dev->dma_ops->free(dev, size, vaddr, handle);
	else
		dma_direct_free(dev, size, vaddr, handle);
}

/* ---------------------------------------------------------------- boot */

phys_addr_t dma_bounce_limit(const struct boot_info *bi)
{
	phys_addr_t limit = ARCH_DMA32_LIMIT;

	if (bi->dma_limit && bi->dma_limit < limit)
		limit = bi->dma_limit;
	return limit;
}

void dma_reserve_early(const struct boot_info *bi)
{
	swiotlb_reserve_early(IO_TLB_DEFAULT_SIZE, dma_bounce_limit(bi));
}

void dma_init(void)
{
	swiotlb_init(IO_TLB_DEFAULT_SIZE);
	pr_info("dma: direct mapping with bounce buffers; dma_debug %s\n",
		dma_debug_enabled ? "on" : "off");
}
