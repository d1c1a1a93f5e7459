/*
 * mm/swiotlb.h - bounce buffers for devices that cannot reach a page
 * (Linux's swiotlb, "software I/O TLB").
 *
 * A pool is a run of memory the device can reach, cut into IO_TLB_SIZE
 * (2 KiB) slots with a bitmap of used ones. Mapping a buffer the device
 * cannot reach takes enough contiguous slots, copies the data in (every
 * direction, so a device that writes only part of the buffer cannot show
 * the CPU stale pool bytes) and gives the device the slots' address;
 * unmapping copies the data back for DMA_FROM_DEVICE / BIDIRECTIONAL and
 * frees the slots. sync_for_cpu copies pool -> buffer, sync_for_device
 * buffer -> pool. Each slot remembers the original address, so unmap and
 * sync need only the DMA address.
 *
 * The global pool is set aside at boot, before the page allocator takes
 * memory, where every device reaches (swiotlb_reserve_early: below 4 GiB
 * and below the device tree's narrowest dma-ranges, as Linux's
 * swiotlb_init puts it in low memory), and made by swiotlb_init (through
 * dma_init); a device may have its own (dev->dma_io_tlb_mem, Linux's
 * restricted pools), which is how tests build one exactly where they want.
 * The pool's own bookkeeping lives in its first slots.
 */
#ifndef MM_SWIOTLB_H
#define MM_SWIOTLB_H

#include "kernel/types.h"
#include "kernel/spinlock.h"
#include "mm/dma-mapping.h"

#define IO_TLB_SHIFT		11
#define IO_TLB_SIZE		(1UL << IO_TLB_SHIFT)
#define IO_TLB_SEGSIZE		128	/* most slots one mapping takes: 256 KiB */
#define IO_TLB_DEFAULT_SIZE	(1UL << 20)	/* the global pool */
#define SWIOTLB_ERROR		(~(phys_addr_t)0)

struct io_tlb_slot {
	phys_addr_t orig_addr;		/* first slot of a mapping: the buffer */
	uint32_t alloc_size;		/* bytes mapped */
	uint16_t nslots;		/* slots taken (first slot only) */
};

struct io_tlb_pool {
	spinlock_t lock;
	const char *name;
	phys_addr_t start, end;		/* [start, end) */
	void *vaddr;
	unsigned int nslabs;		/* slots, bookkeeping included */
	unsigned int first;		/* first usable slot */
	unsigned long *bitmap;		/* 1 = used */
	struct io_tlb_slot *slots;
	unsigned int hint;		/* where the next search starts */
	unsigned int used, high_water;
	unsigned long nr_maps, nr_full, bytes_in, bytes_out;
};

/* The global pool (NULL until swiotlb_init) */
extern struct io_tlb_pool *io_tlb_default_pool;

/*
 * Set bytes aside for the global pool from memblock, below limit (before
 * the buddy allocator takes memory): 0, or -ENOMEM (said; swiotlb_init
 * then takes the pool from ZONE_DMA32).
 */
int swiotlb_reserve_early(size_t bytes, phys_addr_t limit);
/* The limit the global pool was set aside below (0: it was not). */
phys_addr_t swiotlb_early_limit(void);
/* Make the global pool: what swiotlb_reserve_early set aside, else bytes
 * from ZONE_DMA32 (host tests); 0 or -ENOMEM. */
int swiotlb_init(size_t bytes);
/* Make a pool over the caller's memory (page-aligned, >= 4 slots). */
int swiotlb_init_pool(struct io_tlb_pool *pool, const char *name,
		      void *vaddr, size_t bytes);

/* The pool dev bounces through (its own, or the global one), or NULL. */
struct io_tlb_pool *dev_swiotlb_pool(struct device *dev);
bool is_swiotlb_buffer(struct device *dev, phys_addr_t addr);

/*
 * Take slots for size bytes (<= IO_TLB_SEGSIZE slots) and copy orig in;
 * returns the bounce address or SWIOTLB_ERROR (pool full, reported).
 */
phys_addr_t swiotlb_tbl_map_single(struct device *dev, phys_addr_t orig,
				   size_t size, enum dma_data_direction dir);
void swiotlb_tbl_unmap_single(struct device *dev, phys_addr_t tlb,
			      size_t size, enum dma_data_direction dir);
void swiotlb_sync_single_for_cpu(struct device *dev, phys_addr_t tlb,
				 size_t size, enum dma_data_direction dir);
void swiotlb_sync_single_for_device(struct device *dev, phys_addr_t tlb,
				    size_t size, enum dma_data_direction dir);

/* One line per pool for the `iommu` command. */
void swiotlb_show(struct io_tlb_pool *pool);

#endif
