/*
 * mm/dma-show.c - the `iommu` console command: the invalidation policy,
 * every IOMMU domain (hardware or the software test IOMMU) with its
 * devices, mappings, faults, invalidations and flush-queue figures, the
 * IOVA allocator's tree and caches, the bounce pool and dma-debug.
 *
 *	iommu		everything
 *	iommu mappings	also every live mapping dma-debug knows, with origin
 */
#include "mm/dma-iommu.h"
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/lib/diag.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/swiotlb.h"

static struct iommu_report *reports;
static DEFINE_SPINLOCK(reports_lock);

void iommu_register_report(struct iommu_report *r)
{
	struct iommu_report **p;
	unsigned long flags;

	spin_lock_irqsave(&reports_lock, flags);
	for (p = &reports; *p && *p != r; p = &(*p)->next)
		;
	if (!*p) {
		r->next = NULL;
		*p = r;
	}
	spin_unlock_irqrestore(&reports_lock, flags);
}

/* Each driver's own lines. Registration only ever appends, so the list
 * is walked without the lock (a report may take its own locks). */
static void show_drivers(void)
{
	for (struct iommu_report *r = READ_ONCE(reports); r; r = READ_ONCE(r->next))
		r->show();
}

/* Which MSI doorbells the domain's devices reach, and where. */
static void show_msi(struct iommu_domain *d)
{
	if (!d->ops->msi_translated) {
		printk("  msi: not translated by this IOMMU (interrupt requests pass as they are)\n");
		return;
	}
	if (!d->nr_msi_pages)
		printk("  msi: no doorbell mapped\n");
	for (unsigned int i = 0; i < d->nr_msi_pages; i++)
		printk("  msi: doorbell page %#llx at IOVA %#llx, write-only, %u vector%s\n",
		       (unsigned long long)d->msi_pages[i].phys,
		       (unsigned long long)d->msi_pages[i].iova,
		       d->msi_pages[i].users, d->msi_pages[i].users == 1 ? "" : "s");
}

static void show_domain(struct iommu_domain *d, void *arg)
{
	struct iova_domain *iovad = &d->iovad;
	unsigned int *count = arg;
	struct iommu_dma_stats ds;
	struct iova_stats st;
	struct list_head *pos;

	(*count)++;
	iova_get_stats(iovad, &st);
	printk("domain %s (%s): aperture %#llx-%#llx, pages %#lx, %s\n", d->name,
	       d->driver, (unsigned long long)d->aperture_start,
	       (unsigned long long)d->aperture_end, d->pgsize_bitmap,
	       d->strict ? "strict" : "lazy");
	printk("  devices:");
	for (pos = d->devices.next; pos != &d->devices; pos = pos->next)
		pr_cont(" %s", list_entry(pos, struct device, iommu_node)->name);
	pr_cont("%s\n", d->nr_devices ? "" : " none");
	iommu_dma_get_stats(d, &ds);
	printk("  mappings: %lu maps, %lu unmaps, %lu failed, %lu KiB mapped now\n",
	       ds.maps, ds.unmaps, ds.map_errors,
	       (ds.bytes_mapped - ds.bytes_unmapped) >> 10);
	printk("  faults: %lu\n", d->nr_faults);
	printk("  invalidations: %lu range syncs (strict), %lu full flushes\n",
	       ds.syncs, d->nr_flush_all);
	printk("  flush queue: %lu queued, %lu freed, %lu pending; flushes: %lu full, %lu timeout (%lu handed to the worker), %lu explicit (timeout %llu ms, %u/CPU)\n",
	       st.fq_queued, st.fq_freed, st.fq_pending,
	       iovad->fq_flushes[IOVA_FQ_FULL], iovad->fq_flushes[IOVA_FQ_TIMEOUT],
	       iovad->fq_kicks, iovad->fq_flushes[IOVA_FQ_EXPLICIT],
	       (unsigned long long)(iovad->fq_timeout_ns / 1000000), iovad->fq_max);
	printk("  iova: %lu ranges (%lu reserved), %lu cached in magazines (%lu depot), cache %lu hits %lu misses, %lu pages of nodes\n",
	       st.ranges, st.reserved, st.cached, st.depot_mags, st.hits,
	       st.misses, st.pool_pages);
	show_msi(d);
	if (d->ops->show)
		d->ops->show(d);
}

static int cmd_iommu(int argc, char **argv)
{
	unsigned int count = 0;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "mappings"))) {
		printk("usage: iommu [mappings]\n");
		return 1;
	}
	printk("policy: %s (iommu.strict=%d for new domains)\n",
	       iommu_dma_strict ? "strict: invalidate on every unmap"
				: "lazy: per-CPU flush queue, batched invalidation",
	       iommu_dma_strict);
	show_drivers();			/* the units: VT-d, SMMUv3, ... */
	iommu_for_each_domain(show_domain, &count);
	if (!count)
		printk("no IOMMU domains: no hardware IOMMU driver has registered; "
		       "devices use direct DMA (bounce buffers below)\n");
	if (io_tlb_default_pool)
		swiotlb_show(io_tlb_default_pool);
	else
		printk("swiotlb: no bounce pool\n");
	printk("dma-debug: %s, %lu live mappings, %lu errors reported\n",
	       dma_debug_enabled ? "on" : "off", dma_debug_live(), diag_count(DIAG_DMA_API));
	if (argc == 2)
		dma_debug_show(NULL);
	return 0;
}
CONSOLE_COMMAND(iommu, "IOMMU domains, DMA mappings, faults, invalidations, bounce pool",
		cmd_iommu);
