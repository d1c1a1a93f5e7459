/*
 * mm/swiotlb.c - bounce-buffer pools. See mm/swiotlb.h.
 */
#include "mm/swiotlb.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"

#define BITS_PER_LONG	64

struct io_tlb_pool *io_tlb_default_pool;
static struct io_tlb_pool default_pool;

static bool slot_used(const struct io_tlb_pool *p, unsigned int i)
{
	return p->bitmap[i / BITS_PER_LONG] & (1UL << (i % BITS_PER_LONG));
}

static void slots_mark(struct io_tlb_pool *p, unsigned int i, unsigned int n,
		       bool used)
{
	for (; n; n--, i++) {
		if (used)
			p->bitmap[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
		else
			p->bitmap[i / BITS_PER_LONG] &= ~(1UL << (i % BITS_PER_LONG));
	}
}

int swiotlb_init_pool(struct io_tlb_pool *pool, const char *name,
		      void *vaddr, size_t bytes)
{
	unsigned int nslabs = (unsigned int)(bytes >> IO_TLB_SHIFT);
	size_t meta = DIV_ROUND_UP(nslabs, BITS_PER_LONG) * sizeof(unsigned long) +
		      nslabs * sizeof(struct io_tlb_slot);

	memset(pool, 0, sizeof(*pool));
	if (!vaddr || nslabs < 4)
		return -EINVAL;
	spin_lock_init(&pool->lock, "swiotlb");
	pool->name = name;
	pool->vaddr = vaddr;
	pool->start = virt_to_phys(vaddr);
	pool->end = pool->start + ((phys_addr_t)nslabs << IO_TLB_SHIFT);
	pool->nslabs = nslabs;
	/* Bookkeeping in the first slots: slot info, then the bitmap. */
	pool->slots = vaddr;
	pool->bitmap = (unsigned long *)((char *)vaddr + nslabs * sizeof(struct io_tlb_slot));
	pool->first = (unsigned int)DIV_ROUND_UP(meta, IO_TLB_SIZE);
	if (pool->first >= nslabs)
		return -EINVAL;
	memset(vaddr, 0, meta);
	slots_mark(pool, 0, pool->first, true);
	pool->hint = pool->first;
	return 0;
}

/* What swiotlb_reserve_early set aside (0: nothing), and below what. */
static phys_addr_t early_pool, early_limit;
static size_t early_bytes;

int swiotlb_reserve_early(size_t bytes, phys_addr_t limit)
{
	phys_addr_t p = memblock_phys_alloc_range(bytes, PAGE_SIZE, 0, limit);

	if (!p) {
		pr_warn("swiotlb: no %zu KiB below %#llx for the bounce pool\n",
			bytes >> 10, (unsigned long long)limit);
		return -ENOMEM;
	}
	early_pool = p;
	early_bytes = bytes;
	early_limit = limit;
	return 0;
}

phys_addr_t swiotlb_early_limit(void)
{
	return early_pool ? early_limit : 0;
}

int swiotlb_init(size_t bytes)
{
	void *vaddr;

	if (early_pool) {
		vaddr = phys_to_virt(early_pool);
		bytes = early_bytes;
	} else {
		unsigned int order = get_order(bytes);
		struct page *pg = alloc_pages(GFP_KERNEL | GFP_DMA32 |
					      __GFP_NOWARN, order);

		if (!pg) {
			pr_warn("swiotlb: no %zu KiB for the bounce pool\n",
				bytes >> 10);
			return -ENOMEM;
		}
		vaddr = page_address(pg);
		bytes = PAGE_SIZE << order;
	}
	if (swiotlb_init_pool(&default_pool, "default", vaddr, bytes))
		return -EINVAL;
	io_tlb_default_pool = &default_pool;
	pr_info("swiotlb: bounce pool %#llx-%#llx (%u slots of %lu bytes)%s\n",
		(unsigned long long)default_pool.start,
		(unsigned long long)default_pool.end - 1,
		default_pool.nslabs - default_pool.first, IO_TLB_SIZE,
		early_pool ? ", set aside at boot below the DMA limit" : "");
	if (early_pool)
		pr_info("swiotlb: DMA limit %#llx\n",
			(unsigned long long)early_limit);
	return 0;
}

struct io_tlb_pool *dev_swiotlb_pool(struct device *dev)
{
	return dev->dma_io_tlb_mem ? dev->dma_io_tlb_mem : io_tlb_default_pool;
}

bool is_swiotlb_buffer(struct device *dev, phys_addr_t addr)
{
	struct io_tlb_pool *p = dev_swiotlb_pool(dev);

	return p && addr >= p->start && addr < p->end;
}

/* Copy between the buffer and its slots: to_pool or back. */
static void bounce(struct io_tlb_pool *p, phys_addr_t orig, phys_addr_t tlb,
		   size_t size, bool to_pool)
{
	if (to_pool) {
		memcpy(phys_to_virt(tlb), phys_to_virt(orig), size);
		p->bytes_in += size;
	} else {
		memcpy(phys_to_virt(orig), phys_to_virt(tlb), size);
		p->bytes_out += size;
	}
}

phys_addr_t swiotlb_tbl_map_single(struct device *dev, phys_addr_t orig,
				   size_t size, enum dma_data_direction dir)
{
	struct io_tlb_pool *p = dev_swiotlb_pool(dev);
	unsigned int n, stride, i, tries;
	unsigned long flags;
	phys_addr_t tlb;

	if (!p) {
		pr_err("swiotlb: %s: no bounce pool\n", dev->name);
		return SWIOTLB_ERROR;
	}
	n = (unsigned int)DIV_ROUND_UP(size, IO_TLB_SIZE);
	if (!size || n > IO_TLB_SEGSIZE) {
		pr_err("swiotlb: %s: cannot bounce %zu bytes (most %lu)\n",
		       dev->name, size, IO_TLB_SEGSIZE * IO_TLB_SIZE);
		return SWIOTLB_ERROR;
	}
	/* Page-sized and bigger buffers start on a page boundary. */
	stride = size >= PAGE_SIZE ? (unsigned int)(PAGE_SIZE >> IO_TLB_SHIFT) : 1;
	spin_lock_irqsave(&p->lock, flags);
	i = ALIGN_UP(p->hint, stride);
	for (tries = 0; tries < p->nslabs; tries += stride, i += stride) {
		unsigned int j;

		if (i + n > p->nslabs)
			i = ALIGN_UP(p->first, stride);
		if (i + n > p->nslabs)
			break;
		for (j = 0; j < n && !slot_used(p, i + j); j++)
			;
		if (j == n)
			goto found;
	}
	p->nr_full++;
	spin_unlock_irqrestore(&p->lock, flags);
	pr_err("swiotlb: %s: bounce pool %s full (%zu bytes wanted, %u of %u slots used)\n",
	       dev->name, p->name, size, p->used, p->nslabs - p->first);
	return SWIOTLB_ERROR;
found:
	slots_mark(p, i, n, true);
	p->slots[i].orig_addr = orig;
	p->slots[i].alloc_size = (uint32_t)size;
	p->slots[i].nslots = (uint16_t)n;
	p->hint = i + n;
	p->used += n;
	if (p->used > p->high_water)
		p->high_water = p->used;
	p->nr_maps++;
	tlb = p->start + ((phys_addr_t)i << IO_TLB_SHIFT);
	spin_unlock_irqrestore(&p->lock, flags);
	bounce(p, orig, tlb, size, true);	/* always: no stale bytes */
	return tlb;
}

/* The first slot of the mapping at tlb, or -1 (reported). */
static int slot_of(struct io_tlb_pool *p, phys_addr_t tlb, size_t size,
		   const char *what, struct device *dev)
{
	/* Outside the pool: a handle that was never a bounce mapping. */
	if (tlb < p->start || ((tlb - p->start) >> IO_TLB_SHIFT) >= p->nslabs) {
		pr_err("swiotlb: %s: %s of %#llx+%zu: outside the bounce pool\n",
		       dev->name, what, (unsigned long long)tlb, size);
		return -1;
	}
	unsigned int i = (unsigned int)((tlb - p->start) >> IO_TLB_SHIFT);

	if ((tlb & (IO_TLB_SIZE - 1)) || i < p->first || !p->slots[i].nslots ||
	    size > p->slots[i].alloc_size) {
		pr_err("swiotlb: %s: %s of %#llx+%zu: not a bounce mapping\n",
		       dev->name, what, (unsigned long long)tlb, size);
		return -1;
	}
	return (int)i;
}

void swiotlb_tbl_unmap_single(struct device *dev, phys_addr_t tlb,
			      size_t size, enum dma_data_direction dir)
{
	struct io_tlb_pool *p = dev_swiotlb_pool(dev);
	unsigned long flags;
	int i = slot_of(p, tlb, size, "unmap", dev);

	if (i < 0)
		return;
	if (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL)
		bounce(p, p->slots[i].orig_addr, tlb, size, false);
	spin_lock_irqsave(&p->lock, flags);
	slots_mark(p, (unsigned int)i, p->slots[i].nslots, false);
	p->used -= p->slots[i].nslots;
	p->slots[i].nslots = 0;
	p->slots[i].alloc_size = 0;
	spin_unlock_irqrestore(&p->lock, flags);
}

void swiotlb_sync_single_for_cpu(struct device *dev, phys_addr_t tlb,
				 size_t size, enum dma_data_direction dir)
{
	struct io_tlb_pool *p = dev_swiotlb_pool(dev);
	int i = slot_of(p, tlb, size, "sync", dev);

	if (i >= 0 && (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
		bounce(p, p->slots[i].orig_addr, tlb, size, false);
}

void swiotlb_sync_single_for_device(struct device *dev, phys_addr_t tlb,
				    size_t size, enum dma_data_direction dir)
{
	struct io_tlb_pool *p = dev_swiotlb_pool(dev);
	int i = slot_of(p, tlb, size, "sync", dev);

	if (i >= 0 && (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL))
		bounce(p, p->slots[i].orig_addr, tlb, size, true);
}

void swiotlb_show(struct io_tlb_pool *p)
{
	printk("swiotlb %s: %#llx-%#llx, %u slots of %lu bytes, %u used (high %u), "
	       "%lu maps, %lu full, %lu KiB in, %lu KiB out\n",
	       p->name, (unsigned long long)p->start, (unsigned long long)p->end - 1,
	       p->nslabs - p->first, IO_TLB_SIZE, p->used, p->high_water,
	       p->nr_maps, p->nr_full, p->bytes_in >> 10, p->bytes_out >> 10);
}
