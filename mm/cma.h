/*
 * mm/cma.h - the contiguous memory allocator (Linux's CMA): regions of
 * physical memory set aside at boot that the page allocator lends to
 * movable allocations (user pages, page cache) while nobody needs them
 * contiguous, and that a driver takes back, in aligned runs of pages,
 * by migrating the borrowers out. docs/mm/cma.md tells the story:
 * lend -> isolate -> migrate -> take -> release.
 *
 *	struct page *p = cma_alloc(cma_default(), 256, 8);  // 1 MiB, 1 MiB aligned
 *	if (!p)
 *		return -ENOMEM;		// reported: the page, its owner, the pin
 *	...
 *	cma_release(cma_default(), p, 256);
 *
 * A region is pageblock-aligned (base and size multiples of 2 MiB), lies
 * in one memmap range (one zone, no hole), and every pageblock of it is
 * MIGRATE_CMA once it is active. Its bitmap has one bit per chunk of
 * 2^order_per_bit pages: set while a cma_alloc holds the chunk (Linux's
 * design: a bigger order_per_bit makes a smaller bitmap for a big
 * region, at the price of rounding every allocation up to a chunk).
 *
 * Where regions come from:
 *   - `cma=SIZE[@BASE]` on the command line (K/M/G suffixes) and the
 *     device tree's reusable shared-dma-pools: reserved from memblock by
 *     cma_reserve_boot_regions() before the buddy allocator exists,
 *     activated by cma_init_reserved_areas() when it is built (its
 *     pageblocks become MIGRATE_CMA and its pages go to the buddy lists);
 *   - cma_init_arena_region(): a region over free pageblocks of a
 *     running node (tests, labs: a private arena).
 *
 * Context: cma_alloc sleeps (migration) and takes cma_mutex, which
 * serialises alloc_contig_range for every region (two allocations in one
 * pageblock would otherwise fail each other's isolation); cma_release
 * does not sleep. Neither may be called with a spinlock held.
 */
#ifndef MM_CMA_H
#define MM_CMA_H

#include "kernel/types.h"
#include "kernel/spinlock.h"
#include "mm/migrate.h"
#include "mm/page_alloc.h"

struct boot_info;

#define CMA_MAX_NAME	32
#define MAX_CMA_AREAS	8	/* boot regions */

struct cma {
	char name[CMA_MAX_NAME];
	unsigned long base_pfn;		/* pageblock-aligned */
	unsigned long count;		/* pages, a multiple of pageblock_nr_pages */
	unsigned int order_per_bit;	/* one bit per 2^order_per_bit pages */
	unsigned long *bitmap;		/* set: a chunk cma_alloc handed out */
	spinlock_t lock;		/* the bitmap and allocated */
	unsigned long allocated;	/* pages in handed-out chunks */
	pg_data_t *pgdat;		/* the node its pages belong to */
	bool active;			/* pageblocks CMA, pages in the buddy */
	/* Why the last cma_alloc that failed failed (tests, the console). */
	struct migrate_failure last_failure;
	int last_err;
	struct ratelimit report_rs;	/* failure reports: one per 5 s */
};

/* Words of bitmap a region of count pages needs at order_per_bit. */
static inline unsigned long cma_bitmap_longs(unsigned long count,
					     unsigned int order_per_bit)
{
	unsigned long bits = count >> order_per_bit;

	return (bits + 8 * sizeof(long) - 1) / (8 * sizeof(long));
}

/*
 * Allocate count pages aligned to 2^align pages (align is an order, as
 * in Linux; clamped to MAX_PAGE_ORDER): find the lowest free run of
 * chunks in the bitmap whose first pfn is so aligned, mark it, and take
 * its pages with alloc_contig_range(). A run with a page that cannot
 * move (-EBUSY) is given up at once for the next aligned one. Returns
 * the first page (count order-0 pages, refcount 1 each), or NULL: no
 * free run, or every run had a page that could not move, or no memory
 * to move pages to; then one report (rate-limited per region: a burst
 * of failures is counted, not printed) names the region, the request,
 * the page, its owner (anonymous / page cache / swap cache / kernel) and
 * the pin if any, and cma->last_err / last_failure keep it. Counts CMA_ALLOC_SUCCESS
 * or CMA_ALLOC_FAIL. count 0 or a NULL cma: NULL, nothing counted.
 */
struct page *cma_alloc(struct cma *cma, unsigned long count,
		       unsigned int align);

/*
 * Give back count pages from cma_alloc starting at pages. false, with
 * nothing done, if they are not in the region, or (reported) not
 * allocated by cma_alloc.
 */
bool cma_release(struct cma *cma, const struct page *pages,
		 unsigned long count);

/*
 * A region over [base_pfn, base_pfn + count) of a running node whose
 * pages are all free: pageblock-aligned, in one memmap range. bitmap:
 * cma_bitmap_longs(count, order_per_bit) words the caller keeps for the
 * region's life. 0, or -EINVAL (bad range) / -EBUSY (a page not free),
 * printed, with nothing changed. cma_destroy_arena_region: every chunk
 * released first; the pageblocks become movable again.
 */
int cma_init_arena_region(struct cma *cma, const char *name,
			  unsigned long base_pfn, unsigned long count,
			  unsigned int order_per_bit, unsigned long *bitmap);
void cma_destroy_arena_region(struct cma *cma);

/* ---- boot regions (the global node) ---- */

/*
 * Reserve from memblock, with their bitmaps, the regions the command
 * line (cma=, named "reserved") and the device tree (bi->cma_pools:
 * reusable shared-dma-pools, named after their node) ask for: cma= or
 * else the device tree's linux,cma-default pool first (cma_default()),
 * then the other pools. After memblock_add_boot_info(), before anything
 * allocates from memblock at a fixed place; failures are printed and the
 * kernel carries on without that region.
 */
void cma_reserve_boot_regions(const struct boot_info *bi);
/*
 * Parse cma='s value SIZE[@BASE] (K/M/G suffixes, 0x for hex): 0, or -1
 * after printing what is wrong and where. For the option and its tests.
 */
int cma_parse_param(const char *value, phys_addr_t *size, phys_addr_t *base);
/*
 * Reserve one region (Linux's cma_declare_contiguous): size bytes at
 * base (0: anywhere, below the DMA32 limit if it fits), pageblock
 * aligned. 0 or -errno (printed, nothing reserved).
 */
int cma_declare_contiguous(phys_addr_t base, phys_addr_t size,
			   const char *name, struct cma **res);
/* mm_core_init, once the buddy allocator is built: every reserved region
 * becomes MIGRATE_CMA pageblocks whose pages are free (lent). */
void cma_init_reserved_areas(void);

/* The boot regions: how many, the i-th, the first (NULL if none). */
unsigned int cma_area_count(void);
struct cma *cma_area(unsigned int i);
struct cma *cma_default(void);

/* Pages of the region lent out now: neither free nor cma_alloc'ed. */
unsigned long cma_lent_pages(struct cma *cma);

/* The console's `cma` listing: one line a region. */
void cma_show(void);

#endif
