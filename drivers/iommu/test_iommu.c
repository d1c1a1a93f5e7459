/*
 * drivers/iommu/test_iommu.c - the software IOMMU (drivers/iommu/test_iommu.h).
 *
 * Entry format (all levels): bit 0 present, bit 1 readable by the device,
 * bit 2 writable, bits 12..51 the next table's or the page's address.
 */
#include "drivers/iommu/test_iommu.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "mm/page_alloc.h"

#define PTE_PRESENT	0x1ULL
#define PTE_READ	0x2ULL
#define PTE_WRITE	0x4ULL
#define PTE_ADDR	0x000ffffffffff000ULL
#define LEVELS		4
#define ENTRIES		512

static unsigned int next_id;

static struct test_iommu_domain *to_test(struct iommu_domain *d)
{
	return container_of(d, struct test_iommu_domain, domain);
}

static unsigned int level_index(unsigned long iova, int level)
{
	return (unsigned int)(iova >> (12 + 9 * level)) & (ENTRIES - 1);
}

static uint64_t *table_alloc(struct test_iommu_domain *t)
{
	gfp_t gfp = GFP_ATOMIC | __GFP_ZERO | __GFP_NOWARN;
	struct page *pg = t->node ? alloc_pages_node(t->node, gfp, 0)
				  : alloc_pages(gfp, 0);

	if (!pg)
		return NULL;
	t->nr_tables++;
	return page_address(pg);
}

/* The leaf entry for iova, making tables on the way if alloc. */
static uint64_t *walk(struct test_iommu_domain *t, unsigned long iova, bool alloc)
{
	uint64_t *table = t->root;

	for (int level = LEVELS - 1; level > 0; level--) {
		uint64_t *e = &table[level_index(iova, level)];

		if (!(*e & PTE_PRESENT)) {
			uint64_t *next;

			if (!alloc || !(next = table_alloc(t)))
				return NULL;
			*e = virt_to_phys(next) | PTE_PRESENT;
		}
		table = phys_to_virt(*e & PTE_ADDR);
	}
	return &table[level_index(iova, 0)];
}

static int t_map(struct iommu_domain *d, unsigned long iova, phys_addr_t paddr,
		 size_t size, int prot)
{
	struct test_iommu_domain *t = to_test(d);
	uint64_t bits = PTE_PRESENT | ((prot & IOMMU_READ) ? PTE_READ : 0) |
			((prot & IOMMU_WRITE) ? PTE_WRITE : 0);
	unsigned long flags;
	size_t done;

	spin_lock_irqsave(&t->lock, flags);
	for (done = 0; done < size; done += PAGE_SIZE) {
		uint64_t *pte = walk(t, iova + done, true);

		if (!pte)
			break;
		*pte = ((paddr + done) & PTE_ADDR) | bits;
	}
	if (done < size) {			/* undo: nothing left mapped */
		for (size_t u = 0; u < done; u += PAGE_SIZE)
			*walk(t, iova + u, false) = 0;
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return done < size ? -ENOMEM : 0;
}

/* Clears the page-table entries only: the IOTLB keeps what it cached. */
static size_t t_unmap(struct iommu_domain *d, unsigned long iova, size_t size)
{
	struct test_iommu_domain *t = to_test(d);
	unsigned long flags;
	size_t done = 0;

	spin_lock_irqsave(&t->lock, flags);
	for (size_t off = 0; off < size; off += PAGE_SIZE) {
		uint64_t *pte = walk(t, iova + off, false);

		if (pte && (*pte & PTE_PRESENT)) {
			*pte = 0;
			done += PAGE_SIZE;
		}
	}
	spin_unlock_irqrestore(&t->lock, flags);
	return done;
}

static void t_iotlb_sync(struct iommu_domain *d, unsigned long iova, size_t size)
{
	struct test_iommu_domain *t = to_test(d);
	unsigned long flags, first = iova >> 12, last = (iova + size - 1) >> 12;

	spin_lock_irqsave(&t->lock, flags);
	for (int i = 0; i < TEST_IOMMU_IOTLB; i++) {
		unsigned long pfn = t->iotlb[i].pfn - 1;

		if (t->iotlb[i].pfn && pfn >= first && pfn <= last)
			t->iotlb[i].pfn = 0;
	}
	spin_unlock_irqrestore(&t->lock, flags);
}

static void t_flush_all(struct iommu_domain *d)
{
	struct test_iommu_domain *t = to_test(d);
	unsigned long flags;

	spin_lock_irqsave(&t->lock, flags);
	for (int i = 0; i < TEST_IOMMU_IOTLB; i++)
		t->iotlb[i].pfn = 0;
	spin_unlock_irqrestore(&t->lock, flags);
}

static phys_addr_t t_iova_to_phys(struct iommu_domain *d, unsigned long iova)
{
	struct test_iommu_domain *t = to_test(d);
	unsigned long flags;
	phys_addr_t pa = 0;
	uint64_t *pte;

	spin_lock_irqsave(&t->lock, flags);
	pte = walk(t, iova, false);
	if (pte && (*pte & PTE_PRESENT))
		pa = (*pte & PTE_ADDR) | (iova & (PAGE_SIZE - 1));
	spin_unlock_irqrestore(&t->lock, flags);
	return pa;
}

static void t_show(struct iommu_domain *d)
{
	struct test_iommu_domain *t = to_test(d);

	printk("    software tables: %lu pages, %lu walks, %lu IOTLB hits (%lu stale)\n",
	       t->nr_tables, t->nr_walks, t->nr_iotlb_hits, t->nr_stale_hits);
}

static const struct iommu_domain_ops test_iommu_ops = {
	.map = t_map,
	.unmap = t_unmap,
	.iotlb_sync = t_iotlb_sync,
	.flush_iotlb_all = t_flush_all,
	.iova_to_phys = t_iova_to_phys,
	.show = t_show,
	.msi_translated = true,		/* like an SMMU: MSIs are DMA writes */
};

struct iommu_domain *test_iommu_domain_alloc(pg_data_t *node,
					     unsigned int aperture_bits)
{
	unsigned int order = get_order(sizeof(struct test_iommu_domain));
	struct test_iommu_domain *t;
	struct page *pg;

	pg = node ? alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO, order)
		  : alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	if (!pg)
		return NULL;
	t = page_address(pg);
	t->order = order;
	t->node = node;
	spin_lock_init(&t->lock, "test_iommu");
	ksnprintf(t->name, sizeof(t->name), "test%u", next_id++);
	if (aperture_bits > TEST_IOMMU_BITS)
		aperture_bits = TEST_IOMMU_BITS;
	t->root = table_alloc(t);
	if (!t->root ||
	    iommu_domain_init(&t->domain, &test_iommu_ops, "test", t->name,
			      PAGE_SIZE, PAGE_SIZE, DMA_BIT_MASK(aperture_bits), node)) {
		if (t->root)
			free_page((unsigned long)t->root);
		__free_pages(pg, order);
		return NULL;
	}
	return &t->domain;
}

static void free_tables(uint64_t *table, int level)
{
	if (level > 0)
		for (int i = 0; i < ENTRIES; i++)
			if (table[i] & PTE_PRESENT)
				free_tables(phys_to_virt(table[i] & PTE_ADDR), level - 1);
	free_page((unsigned long)table);
}

void test_iommu_domain_free(struct iommu_domain *d)
{
	struct test_iommu_domain *t = to_test(d);

	iommu_domain_exit(d);
	free_tables(t->root, LEVELS - 1);
	__free_pages(virt_to_page(t), t->order);
}

unsigned long test_iommu_tables(struct iommu_domain *d)
{
	return to_test(d)->nr_tables;
}

/*
 * Translate one page for the device: the IOTLB first (which may be
 * stale: that is the point), then the tables, caching the result.
 */
static bool translate(struct test_iommu_domain *t, unsigned long iova,
		      bool write, phys_addr_t *pa)
{
	unsigned long pfn = iova >> 12, flags;
	unsigned int slot = (unsigned int)(pfn % TEST_IOMMU_IOTLB);
	uint64_t pte = 0, *p;

	spin_lock_irqsave(&t->lock, flags);
	if (t->iotlb[slot].pfn == pfn + 1) {
		pte = t->iotlb[slot].pte;
		t->nr_iotlb_hits++;
		p = walk(t, iova, false);
		if (!p || *p != pte)
			t->nr_stale_hits++;
	} else {
		t->nr_walks++;
		p = walk(t, iova, false);
		if (p && (*p & PTE_PRESENT)) {
			pte = *p;
			t->iotlb[slot].pfn = pfn + 1;
			t->iotlb[slot].pte = pte;
		}
	}
	spin_unlock_irqrestore(&t->lock, flags);
	if (!(pte & PTE_PRESENT) || !(pte & (write ? PTE_WRITE : PTE_READ)))
		return false;
	*pa = (pte & PTE_ADDR) | (iova & (PAGE_SIZE - 1));
	return true;
}

static int device_access(struct iommu_domain *d, struct device *dev,
			 dma_addr_t addr, void *buf, size_t len, bool write)
{
	struct test_iommu_domain *t = to_test(d);

	while (len) {
		size_t chunk = PAGE_SIZE - (size_t)(addr & (PAGE_SIZE - 1));
		phys_addr_t pa;

		if (chunk > len)
			chunk = len;
		if (!translate(t, (unsigned long)addr, write, &pa)) {
			report_iommu_fault(d, dev, (unsigned long)addr,
					   write ? IOMMU_FAULT_WRITE : IOMMU_FAULT_READ);
			return -EFAULT;
		}
		if (write)
			memcpy(phys_to_virt(pa), buf, chunk);
		else
			memcpy(buf, phys_to_virt(pa), chunk);
		addr += chunk;
		buf = (char *)buf + chunk;
		len -= chunk;
	}
	return 0;
}

int test_iommu_dma_read(struct iommu_domain *d, struct device *dev,
			dma_addr_t addr, void *buf, size_t len)
{
	return device_access(d, dev, addr, buf, len, false);
}

int test_iommu_dma_write(struct iommu_domain *d, struct device *dev,
			 dma_addr_t addr, const void *buf, size_t len)
{
	return device_access(d, dev, addr, (void *)buf, len, true);
}
