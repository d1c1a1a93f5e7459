/*
 * mm/dma-iommu.c - the DMA API over an IOMMU domain (iommu_dma_ops): IOVA
 * allocation, map/unmap through the driver's ops, strict or lazy
 * invalidation, MSI doorbells, the domain list. See mm/dma-iommu.h for
 * the driver contract; domains are made by drivers/iommu/iommu.c.
 */
#include "mm/dma-iommu.h"
#include "mm/dma-internal.h"
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/spinlock.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>

bool iommu_dma_strict = true;

static void iommu_dma_unmap_msi_pages(struct iommu_domain *d);

static int set_iommu_strict(const char *v)
{
	return param_parse_bool(v, &iommu_dma_strict) ? 0 : -1;
}
KERNEL_PARAM("iommu.strict", set_iommu_strict,
	     "1|0: invalidate the IOTLB on every DMA unmap (1), or in batches (0)");

static struct list_head domains = LIST_HEAD_INIT(domains);
static DEFINE_SPINLOCK(domains_lock);

static void fq_flush(struct iova_domain *iovad)
{
	struct iommu_domain *d = container_of(iovad, struct iommu_domain, iovad);

	__atomic_fetch_add(&d->nr_flush_all, 1, __ATOMIC_RELAXED);
	d->ops->flush_iotlb_all(d);
}

void (*iommu_dma_fq_kick)(void);

/*
 * A lazy domain's time bound fell due in an unmap. With the work item
 * running (mm/dma_flush_kthread.c) the flush is its job: it runs on a
 * CPU with nothing better to do, typically while the next request is on
 * the device, not in the completion path that made the unmap. A domain
 * on a test's clock, or one before the work item exists (and the host's
 * unit tests, which have none), is ticked here and now.
 */
static void fq_kick(struct iova_domain *iovad)
{
	if (iommu_dma_fq_kick && !iovad->fq_clock)
		iommu_dma_fq_kick();
	else
		iova_flush_queue_tick(iovad);
}

void iommu_dma_init_domain(struct iommu_domain *d, pg_data_t *node)
{
	unsigned long granule = d->pgsize_bitmap & -d->pgsize_bitmap;	/* smallest page */
	unsigned long flags;

	spin_lock_init(&d->msi_lock, "iommu_msi");
	init_iova_domain_node(&d->iovad, granule,
			      max((unsigned long)(d->aperture_start / granule), 1UL), node);
	iommu_set_dma_strict(d, iommu_dma_strict);
	spin_lock_irqsave(&domains_lock, flags);
	list_add_tail(&d->list, &domains);
	spin_unlock_irqrestore(&domains_lock, flags);
}

void iommu_set_dma_strict(struct iommu_domain *d, bool strict)
{
	if (strict && d->iovad.fq_flush)
		iova_flush_queue_flush(&d->iovad);
	d->strict = strict;
	if (!strict && !d->iovad.fq_flush)
		iova_domain_init_flush_queue(&d->iovad, fq_flush, fq_kick, d, NULL);
}

void iommu_dma_exit_domain(struct iommu_domain *d)
{
	unsigned long flags;

	iova_flush_queue_flush(&d->iovad);
	iommu_dma_unmap_msi_pages(d);
	spin_lock_irqsave(&domains_lock, flags);
	list_del(&d->list);
	spin_unlock_irqrestore(&domains_lock, flags);
	put_iova_domain(&d->iovad);
}

void iommu_for_each_domain(void (*fn)(struct iommu_domain *d, void *arg),
			   void *arg)
{
	struct list_head *pos;
	unsigned long flags;

	spin_lock_irqsave(&domains_lock, flags);
	for (pos = domains.next; pos != &domains; pos = pos->next)
		fn(list_entry(pos, struct iommu_domain, list), arg);
	spin_unlock_irqrestore(&domains_lock, flags);
}

/*
 * The periodic tick bounds real time, so it skips a domain running on an
 * injected clock (a test's): whoever owns that clock drives its bound.
 */
static void tick_one(struct iommu_domain *d, void *arg)
{
	if (!d->strict && !d->iovad.fq_clock)
		iova_flush_queue_tick(&d->iovad);
}

void iommu_dma_flush_queue_tick_all(void)
{
	iommu_for_each_domain(tick_one, NULL);
}

/* ---------------------------------------------------------------- IOVAs */

static int dir_to_prot(enum dma_data_direction dir)
{
	switch (dir) {
	case DMA_TO_DEVICE:	return IOMMU_READ;
	case DMA_FROM_DEVICE:	return IOMMU_WRITE;
	default:		return IOMMU_READ | IOMMU_WRITE;
	}
}

/* The last IOVA pfn dev may use in d. */
static unsigned long limit_pfn(struct iommu_domain *d, uint64_t mask)
{
	uint64_t limit = min(mask, (uint64_t)d->aperture_end);

	return (unsigned long)(limit >> iova_shift(&d->iovad));
}

/*
 * Large and small mappings live apart: a mapping of at least the unit's
 * smallest large page (2 MiB) takes its IOVA from the top half of what
 * the device can reach, anything smaller from the bottom half, and only
 * when its half is full does either use the whole. Why: the I/O page
 * table keeps a leaf table once it made one (freeing it safely would
 * need the unit's cached pointer to it invalidated first), and a 2 MiB
 * slot holding a leaf table can only be mapped with 512 small pages. Kept
 * apart, 2 MiB-aligned buffers keep finding slots where a 2 MiB IOMMU
 * page fits, which is what the emulated units need to translate a large
 * transfer cheaply (docs/mm/dma.md).
 */
static dma_addr_t alloc_iova_for(struct iommu_domain *d, size_t size,
				 uint64_t mask)
{
	struct iova_domain *iovad = &d->iovad;
	unsigned long large = d->pgsize_bitmap & ~iovad->granule;
	unsigned long pages = size >> iova_shift(iovad);
	unsigned long limit = limit_pfn(d, mask);
	unsigned long start = iovad->start_pfn;
	unsigned long half = start + (limit - start + 1) / 2 - 1; /* last pfn of the bottom half */
	unsigned long pfn = 0;

	large &= -large;			/* the smallest large page, 0: none */
	/* Small: the bottom half. Large: from the top down, as before, so
	 * they fill the top half (which small ones leave alone) first. */
	if (large && size < large && half > start + pages)
		pfn = alloc_iova_fast(iovad, pages, half, false);
	if (!pfn)
		pfn = alloc_iova_fast(iovad, pages, limit, true);
	return pfn ? (dma_addr_t)pfn << iova_shift(iovad) : 0;
}

/*
 * The fast path. A map or an unmap runs with interrupts off from end to
 * end: the IOVA caches, the driver's domain lock and the flush queue each
 * turn them off anyway, and under emulation turning them back on is what
 * costs (it ends a translated block), so one off/on pair replaces several.
 * It also makes this CPU's counters safe to bump with plain additions.
 */
static struct iommu_dma_stats *cpu_stats(struct iommu_domain *d)
{
	return &d->stats[arch_cpu_id()];	/* interrupts off */
}

void iommu_dma_get_stats(struct iommu_domain *d, struct iommu_dma_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		const struct iommu_dma_stats *s = &d->stats[c];

		sum->maps += READ_ONCE(s->maps);
		sum->unmaps += READ_ONCE(s->unmaps);
		sum->map_errors += READ_ONCE(s->map_errors);
		sum->bytes_mapped += READ_ONCE(s->bytes_mapped);
		sum->bytes_unmapped += READ_ONCE(s->bytes_unmapped);
		sum->syncs += READ_ONCE(s->syncs);
	}
}

static void count_map_error(struct iommu_domain *d)
{
	unsigned long flags = arch_irq_save();

	cpu_stats(d)->map_errors++;
	arch_irq_restore(flags);
}

/* Undo a mapping of size (granule-aligned) bytes at iova. */
static void unmap_and_free(struct iommu_domain *d, dma_addr_t iova, size_t size)
{
	struct iova_domain *iovad = &d->iovad;
	unsigned long pfn = iova_pfn(iovad, iova);
	unsigned long pages = size >> iova_shift(iovad);
	unsigned long flags = arch_irq_save();
	struct iommu_dma_stats *st = cpu_stats(d);
	size_t done = d->ops->unmap(d, (unsigned long)iova, size);

	if (unlikely(done != size))
		pr_err("iommu: %s: unmapped %zu of %zu bytes at %#llx\n", d->name,
		       done, size, (unsigned long long)iova);
	st->unmaps++;
	st->bytes_unmapped += size;
	if (d->strict) {
		st->syncs++;
		d->ops->iotlb_sync(d, (unsigned long)iova, size);
		free_iova_fast(iovad, pfn, pages);
	} else {
		queue_iova(iovad, pfn, pages);
	}
	arch_irq_restore(flags);
}

/* Map [phys, phys + size) anywhere below mask; returns the DMA address. */
static dma_addr_t map_phys(struct device *dev, phys_addr_t phys, size_t size,
			   int prot, uint64_t mask)
{
	struct iommu_domain *d = dev->domain;
	unsigned long granule = d->iovad.granule;
	size_t off = (size_t)(phys & (granule - 1));
	size_t len = ALIGN_UP(size + off, granule);
	struct iommu_dma_stats *st;
	unsigned long flags;
	dma_addr_t iova;

	if (!size)
		return DMA_MAPPING_ERROR;
	flags = arch_irq_save();
	st = cpu_stats(d);
	iova = alloc_iova_for(d, len, mask);
	if (unlikely(!iova)) {
		st->map_errors++;
		arch_irq_restore(flags);
		pr_err("iommu: %s: no IOVA space for %zu bytes below %#llx\n",
		       dev->name, len, (unsigned long long)mask);
		return DMA_MAPPING_ERROR;
	}
	if (unlikely(d->ops->map(d, (unsigned long)iova, phys - off, len, prot))) {
		free_iova_fast(&d->iovad, iova_pfn(&d->iovad, iova), len >> iova_shift(&d->iovad));
		st->map_errors++;
		arch_irq_restore(flags);
		return DMA_MAPPING_ERROR;
	}
	st->maps++;
	st->bytes_mapped += len;
	arch_irq_restore(flags);
	return iova + off;
}

/* ---------------------------------------------------------------- ops */

static dma_addr_t iommu_dma_map_page(struct device *dev, struct page *page,
				     unsigned long offset, size_t size,
				     enum dma_data_direction dir)
{
	return map_phys(dev, PFN_PHYS(page_to_pfn(page)) + offset, size,
			dir_to_prot(dir), dev->dma_mask);
}

static void iommu_dma_unmap_page(struct device *dev, dma_addr_t addr,
				 size_t size, enum dma_data_direction dir)
{
	struct iommu_domain *d = dev->domain;
	unsigned long granule = d->iovad.granule;
	size_t off = (size_t)(addr & (granule - 1));

	unmap_and_free(d, addr - off, ALIGN_UP(size + off, granule));
}

/*
 * One IOVA range for the whole list: each segment gets whole granules at
 * its offset in the range; segments that meet at granule boundaries merge
 * into one DMA segment (what a device with few descriptor slots wants).
 */
static int iommu_dma_map_sg(struct device *dev, struct scatterlist *sgl,
			    int nents, enum dma_data_direction dir)
{
	struct iommu_domain *d = dev->domain;
	unsigned long granule = d->iovad.granule;
	struct scatterlist *sg, *out = NULL;
	size_t total = 0, pos = 0;
	unsigned long flags;
	dma_addr_t iova;
	int i, count = 0;

	for_each_sg(sgl, sg, nents, i)
		total += ALIGN_UP(sg->length + (sg_phys(sg) & (granule - 1)), granule);
	iova = alloc_iova_for(d, total, dev->dma_mask);
	if (!iova) {
		count_map_error(d);
		return 0;
	}
	for_each_sg(sgl, sg, nents, i) {
		phys_addr_t phys = sg_phys(sg);
		size_t off = (size_t)(phys & (granule - 1));
		size_t len = ALIGN_UP(sg->length + off, granule);

		if (d->ops->map(d, (unsigned long)(iova + pos), phys - off, len,
				dir_to_prot(dir))) {
			if (pos)
				d->ops->unmap(d, (unsigned long)iova, pos);
			d->ops->iotlb_sync(d, (unsigned long)iova, total);
			free_iova_fast(&d->iovad, iova_pfn(&d->iovad, iova),
				       total >> iova_shift(&d->iovad));
			count_map_error(d);
			return 0;
		}
		/* Merge with the previous DMA segment if contiguous. */
		if (out && off == 0 &&
		    out->dma_address + out->dma_length == iova + pos) {
			out->dma_length += sg->length;
		} else {
			out = out ? out + 1 : sgl;
			out->dma_address = iova + pos + off;
			out->dma_length = sg->length;
			count++;
		}
		pos += len;
	}
	for (sg = out + 1; sg < sgl + nents; sg++)	/* unused tail */
		sg->dma_length = 0;
	flags = arch_irq_save();
	cpu_stats(d)->maps++;
	cpu_stats(d)->bytes_mapped += total;
	arch_irq_restore(flags);
	return count;
}

static void iommu_dma_unmap_sg(struct device *dev, struct scatterlist *sgl,
			       int nents, enum dma_data_direction dir)
{
	struct iommu_domain *d = dev->domain;
	unsigned long granule = d->iovad.granule;
	struct scatterlist *sg;
	size_t total = 0;
	int i;

	/* The same sum as map_sg: the range starts at the first segment. */
	for_each_sg(sgl, sg, nents, i)
		total += ALIGN_UP(sg->length + (sg_phys(sg) & (granule - 1)), granule);
	unmap_and_free(d, ALIGN_DOWN(sgl->dma_address, (dma_addr_t)granule), total);
}

static void *iommu_dma_alloc(struct device *dev, size_t size,
			     dma_addr_t *handle, gfp_t gfp)
{
	unsigned int order;
	struct page *pg = dma_alloc_pages_for(dev, size, gfp, &order);
	dma_addr_t a;

	if (!pg)
		return NULL;
	a = map_phys(dev, PFN_PHYS(page_to_pfn(pg)), PAGE_SIZE << order,
		     IOMMU_READ | IOMMU_WRITE, dev->coherent_dma_mask);
	if (a == DMA_MAPPING_ERROR) {
		dma_free_pages_for(dev, pg, order);
		return NULL;
	}
	*handle = a;
	return page_address(pg);
}

static void iommu_dma_free(struct device *dev, size_t size, void *vaddr,
			   dma_addr_t handle)
{
	unsigned int order = get_order(size);

	unmap_and_free(dev->domain, handle, PAGE_SIZE << order);
	dma_free_pages_for(dev, virt_to_page(vaddr), order);
}

/* Coherent machines: nothing to do (no bouncing behind an IOMMU here). */
static void iommu_dma_sync(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir)
{
}

static bool iommu_dma_supported(struct device *dev, uint64_t mask)
{
	struct iommu_domain *d = dev->domain;

	return mask > d->aperture_start + d->iovad.granule;
}

const struct dma_map_ops iommu_dma_ops = {
	.name = "iommu",
	.map_page = iommu_dma_map_page,
	.unmap_page = iommu_dma_unmap_page,
	.map_sg = iommu_dma_map_sg,
	.unmap_sg = iommu_dma_unmap_sg,
	.alloc = iommu_dma_alloc,
	.free = iommu_dma_free,
	.sync_single_for_cpu = iommu_dma_sync,
	.sync_single_for_device = iommu_dma_sync,
	.dma_supported = iommu_dma_supported,
};

/* ---------------------------------------------------------------- MSIs */

/*
 * Why a mapping: behind an IOMMU that translates MSI writes (an SMMU) a
 * device's MSI is one more DMA write, so it reaches the interrupt
 * controller only if the doorbell is mapped in the device's domain. One
 * page per doorbell, write-only: the device can ring it and do nothing
 * else there. Its IOVA comes from the domain's own tree (not the caches),
 * so dma_map_*() cannot hand it out while it is mapped.
 */
int iommu_dma_prepare_msi(struct device *dev, phys_addr_t doorbell,
			  uint64_t *msi_addr)
{
	struct iommu_domain *d = dev->domain;
	unsigned long granule, flags, limit;
	struct iommu_msi_page *mp = NULL;
	phys_addr_t page;
	struct iova *iova;
	int ret = 0;

	if (!d || !d->ops->msi_translated) {
		*msi_addr = doorbell;
		return 0;
	}
	granule = d->iovad.granule;
	page = doorbell & ~(phys_addr_t)(granule - 1);
	spin_lock_irqsave(&d->msi_lock, flags);
	for (unsigned int i = 0; i < d->nr_msi_pages; i++)
		if (d->msi_pages[i].phys == page)
			mp = &d->msi_pages[i];
	if (!mp) {
		if (d->nr_msi_pages == IOMMU_MAX_MSI_PAGES) {
			ret = -ENOSPC;
			goto out;
		}
		limit = (unsigned long)(min((uint64_t)d->aperture_end,
					    DMA_BIT_MASK(32)) >> iova_shift(&d->iovad));
		iova = alloc_iova(&d->iovad, 1, limit, true);
		if (!iova) {
			ret = -ENOSPC;
			goto out;
		}
		mp = &d->msi_pages[d->nr_msi_pages];
		mp->phys = page;
		mp->iova = (dma_addr_t)iova->pfn_lo << iova_shift(&d->iovad);
		mp->users = 0;
		if (d->ops->map(d, (unsigned long)mp->iova, page, granule,
				IOMMU_WRITE | IOMMU_MMIO)) {
			__free_iova(&d->iovad, iova);
			ret = -ENOMEM;
			goto out;
		}
		d->nr_msi_pages++;
		pr_info("iommu: %s: MSI doorbell page %#llx mapped at IOVA %#llx (write-only)\n",
			d->name, (unsigned long long)page,
			(unsigned long long)mp->iova);
	}
	mp->users++;
	*msi_addr = mp->iova + (doorbell - page);
out:
	spin_unlock_irqrestore(&d->msi_lock, flags);
	return ret;
}

/* iommu_domain_exit: the devices are gone; unmap the doorbells (their
 * IOVAs go back with the whole tree). */
static void iommu_dma_unmap_msi_pages(struct iommu_domain *d)
{
	unsigned long granule = d->iovad.granule;

	for (unsigned int i = 0; i < d->nr_msi_pages; i++) {
		d->ops->unmap(d, (unsigned long)d->msi_pages[i].iova, granule);
		d->ops->iotlb_sync(d, (unsigned long)d->msi_pages[i].iova, granule);
	}
	d->nr_msi_pages = 0;
}
