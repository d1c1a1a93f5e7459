/*
 * mm/cma.c - the contiguous memory allocator: regions, their bitmaps,
 * cma_alloc / cma_release, the boot regions (cma=), and the region lines
 * of meminfo. Contracts in mm/cma.h; the story in docs/mm/cma.md.
 *
 * The region only keeps the books (which chunks are handed out); the
 * page allocator does the work: init_cma_*_pageblock makes the region's
 * pageblocks MIGRATE_CMA (lent: movable allocations use them, CMA first
 * while CMA holds more than half of a zone's free pages, mm/page_alloc.c
 * __rmqueue), alloc_contig_range takes a run back (isolate, migrate,
 * take), free_contig_range gives it back to be lent again.
 */
#include "mm/cma.h"
#include "mm/memblock.h"
#include "mm/page_isolation.h"
#include "mm/vmstat.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/mutex.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

#define K(pages)	((pages) << (PAGE_SHIFT - 10))
#define BITS_PER_LONG	(8 * sizeof(long))

static struct cma cma_areas[MAX_CMA_AREAS];
static unsigned int cma_area_nr;

/* One alloc_contig_range at a time (see mm/cma.h, "Context"). */
static DEFINE_MUTEX(cma_mutex);

/* ================================================================ bitmap */

/*
 * A bitmap of the region's chunks. Small and private: the only other
 * bitmaps in the tree (swap slots) have their own cluster logic.
 * cma->lock held for everything that changes or must see a stable map.
 */
static bool chunk_test(const unsigned long *map, unsigned long i)
{
	return map[i / BITS_PER_LONG] & (1UL << (i % BITS_PER_LONG));
}

static void chunks_set(unsigned long *map, unsigned long i, unsigned long n,
		       bool on)
{
	for (; n; i++, n--) {
		if (on)
			map[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
		else
			map[i / BITS_PER_LONG] &= ~(1UL << (i % BITS_PER_LONG));
	}
}

/* The first chunk from start that is clear, or size. */
static unsigned long next_zero_chunk(const unsigned long *map,
				     unsigned long size, unsigned long start)
{
	while (start < size && chunk_test(map, start))
		start++;
	return start;
}

/*
 * Linux's bitmap_find_next_zero_area_off: the lowest index >= start of
 * nr clear chunks with (index + align_offset) & align_mask == 0, or an
 * index past size - nr if there is none. First fit: a set chunk inside
 * a candidate run rules out every candidate up to it, so the search
 * restarts after it.
 */
static unsigned long find_zero_area(const unsigned long *map,
				    unsigned long size, unsigned long start,
				    unsigned long nr, unsigned long align_mask,
				    unsigned long align_offset)
{
	for (;;) {
		unsigned long index = next_zero_chunk(map, size, start);
		unsigned long end;

		index = ((index + align_offset + align_mask) & ~align_mask) -
			align_offset;
		end = index + nr;
		if (end > size)
			return end;
		for (start = index; start < end && !chunk_test(map, start);)
			start++;
		if (start == end)
			return index;
		start++;		/* past the set chunk */
	}
}

static unsigned long cma_bitmap_maxno(const struct cma *cma)
{
	return cma->count >> cma->order_per_bit;
}

static unsigned long cma_pages_to_bits(const struct cma *cma,
				       unsigned long pages)
{
	return ALIGN_UP(pages, 1UL << cma->order_per_bit) >> cma->order_per_bit;
}

/* Chunks between aligned starts, minus one (Linux's aligned mask). */
static unsigned long cma_bitmap_aligned_mask(const struct cma *cma,
					     unsigned int align)
{
	if (align <= cma->order_per_bit)
		return 0;
	return (1UL << (align - cma->order_per_bit)) - 1;
}

/* How far chunk 0 lies past an aligned pfn, in chunks. */
static unsigned long cma_bitmap_aligned_offset(const struct cma *cma,
					       unsigned int align)
{
	return (cma->base_pfn & ((1UL << align) - 1)) >> cma->order_per_bit;
}

/* ================================================================ regions */

static void cma_init_struct(struct cma *cma, const char *name,
			    unsigned long base_pfn, unsigned long count,
			    unsigned int order_per_bit, unsigned long *bitmap)
{
	memset(cma, 0, sizeof(*cma));
	strlcpy(cma->name, name, sizeof(cma->name));
	cma->base_pfn = base_pfn;
	cma->count = count;
	cma->order_per_bit = order_per_bit;
	cma->bitmap = bitmap;
	memset(bitmap, 0, cma_bitmap_longs(count, order_per_bit) * sizeof(long));
	spin_lock_init(&cma->lock, "cma->lock");
	cma->report_rs = (struct ratelimit)RATELIMIT_INIT(5ULL * 1000000000);
}

/*
 * Can [base_pfn, base_pfn + count) be a region: pageblock-aligned, in
 * one memmap range? Prints why not.
 */
static bool cma_range_ok(const char *name, unsigned long base_pfn,
			 unsigned long count, unsigned int order_per_bit)
{
	struct page *first, *last;

	if (!count || (base_pfn | count) & (pageblock_nr_pages - 1)) {
		pr_err("cma: %s: pfns %#lx+%#lx are not whole pageblocks (%lu pages)\n",
		       name, base_pfn, count, pageblock_nr_pages);
		return false;
	}
	if (order_per_bit > pageblock_order) {
		pr_err("cma: %s: order_per_bit %u above the pageblock order %d\n",
		       name, order_per_bit, pageblock_order);
		return false;
	}
	first = pfn_to_page(base_pfn);
	last = pfn_to_page(base_pfn + count - 1);
	if (!first || !last || first->range_id != last->range_id) {
		pr_err("cma: %s: pfns %#lx-%#lx are not one run of memory in one zone\n",
		       name, base_pfn, base_pfn + count);
		return false;
	}
	return true;
}

int cma_init_arena_region(struct cma *cma, const char *name,
			  unsigned long base_pfn, unsigned long count,
			  unsigned int order_per_bit, unsigned long *bitmap)
{
	unsigned long pfn;

	if (!cma_range_ok(name, base_pfn, count, order_per_bit))
		return -EINVAL;
	for (pfn = base_pfn; pfn < base_pfn + count; pfn += pageblock_nr_pages)
		if (init_cma_free_pageblock(pfn_to_page(pfn)) < 0) {
			pr_err("cma: %s: pageblock at pfn %#lx is not all free\n",
			       name, pfn);
			while (pfn > base_pfn) {
				pfn -= pageblock_nr_pages;
				release_cma_free_pageblock(pfn_to_page(pfn));
			}
			return -EBUSY;
		}
	cma_init_struct(cma, name, base_pfn, count, order_per_bit, bitmap);
	cma->pgdat = page_pgdat(pfn_to_page(base_pfn));
	cma->active = true;
	return 0;
}

void cma_destroy_arena_region(struct cma *cma)
{
	if (!cma->active)
		return;
	if (cma->allocated)
		pr_err("cma: %s: destroyed with %lu pages still allocated\n",
		       cma->name, cma->allocated);
	for (unsigned long pfn = cma->base_pfn; pfn < cma->base_pfn + cma->count;
	     pfn += pageblock_nr_pages)
		release_cma_free_pageblock(pfn_to_page(pfn));
	cma->active = false;
}

/* ================================================================ alloc */

/* Who a page belongs to, for the failure report. */
static const char *cma_page_owner(const struct migrate_failure *why)
{
	struct page *page = pfn_to_page(why->pfn);

	if (why->anon || (page && PageAnon(page)))
		return "anonymous";
	if (why->flags & (1UL << PG_swapcache))
		return "swap cache";
	if (page && page_mapping(page))
		return "page cache";
	if (why->flags & (1UL << PG_slab))
		return "kernel (slab)";
	return "kernel";
}

/* The one report of a failed cma_alloc. */
static void cma_report_failure(struct cma *cma, unsigned long count,
			       unsigned int align, int err,
			       const struct migrate_failure *why)
{
	if (!__ratelimit(&cma->report_rs))
		return;
	pr_warn("cma: %s: cma_alloc of %lu pages (align order %u) failed, error %d%s\n",
		cma->name, count, align, err,
		why->pfn ? "" : err == -ENOMEM && !why->err ?
		": no free aligned run in the region" : "");
	if (!why->pfn)
		return;
	/* expected: what migration allowed for (0: it did not get there) */
	pr_warn("cma: %s:   pfn %#lx: %s page, refcount %d%s%.0d%s, %s%.0d%s, flags %#lx: %s\n",
		cma->name, why->pfn, cma_page_owner(why), why->refcount,
		why->expected ? " (expected " : "", why->expected,
		why->expected ? ")" : "",
		why->pincount ? "pinned " : "not pinned", why->pincount,
		why->pincount ? " time(s)" : "",
		why->flags, why->why ? why->why : "?");
	if (why->pincount && why->pin[0])
		pr_warn("cma: %s:   the pin: %s\n", cma->name, why->pin);
}

struct page *cma_alloc(struct cma *cma, unsigned long count,
		       unsigned int align)
{
	struct migrate_failure why = { 0 };
	unsigned long mask, offset, maxno, nbits, start = 0, flags;
	struct page *page = NULL;
	int err = -ENOMEM;

	if (!cma || !cma->active || !count)
		return NULL;
	if (align > MAX_PAGE_ORDER)
		align = MAX_PAGE_ORDER;
	mask = cma_bitmap_aligned_mask(cma, align);
	offset = cma_bitmap_aligned_offset(cma, align);
	maxno = cma_bitmap_maxno(cma);
	nbits = cma_pages_to_bits(cma, count);

	for (;;) {
		unsigned long no, pfn;
		int ret;

		spin_lock_irqsave(&cma->lock, flags);
		no = find_zero_area(cma->bitmap, maxno, start, nbits, mask,
				    offset);
		if (no + nbits > maxno || count > cma->count) {
			spin_unlock_irqrestore(&cma->lock, flags);
			break;
		}
		chunks_set(cma->bitmap, no, nbits, true);
		cma->allocated += nbits << cma->order_per_bit;
		spin_unlock_irqrestore(&cma->lock, flags);

		pfn = cma->base_pfn + (no << cma->order_per_bit);
		mutex_lock(&cma_mutex);
		ret = alloc_contig_range(pfn, pfn + count, MIGRATE_CMA, &why);
		mutex_unlock(&cma_mutex);
		if (!ret) {
			page = pfn_to_page(pfn);
			break;
		}
		spin_lock_irqsave(&cma->lock, flags);
		chunks_set(cma->bitmap, no, nbits, false);
		cma->allocated -= nbits << cma->order_per_bit;
		spin_unlock_irqrestore(&cma->lock, flags);
		err = ret;
		if (ret != -EBUSY)
			break;
		/* This run has a page that cannot move: the next aligned
		 * one, past that page (a run holding it would fail again). */
		start = no + mask + 1;
		if (why.pfn >= pfn && why.pfn < cma->base_pfn + cma->count)
			start = max(start,
				    ((why.pfn - cma->base_pfn) >> cma->order_per_bit) + 1);
	}
	if (page) {
		cma->last_err = 0;
		count_vm_event(CMA_ALLOC_SUCCESS);
		return page;
	}
	cma->last_err = err;
	cma->last_failure = why;
	count_vm_event(CMA_ALLOC_FAIL);
	cma_report_failure(cma, count, align, err, &why);
	return NULL;
}

bool cma_release(struct cma *cma, const struct page *pages,
		 unsigned long count)
{
	unsigned long pfn, no, nbits, flags;
	bool ok = true;

	if (!cma || !pages || !count)
		return false;
	pfn = page_to_pfn(pages);
	if (pfn < cma->base_pfn || pfn + count > cma->base_pfn + cma->count ||
	    pfn + count < pfn)
		return false;
	no = (pfn - cma->base_pfn) >> cma->order_per_bit;
	nbits = cma_pages_to_bits(cma, count);
	spin_lock_irqsave(&cma->lock, flags);
	for (unsigned long i = no; i < no + nbits; i++)
		ok &= chunk_test(cma->bitmap, i);
	spin_unlock_irqrestore(&cma->lock, flags);
	if (!ok || (pfn - cma->base_pfn) & ((1UL << cma->order_per_bit) - 1)) {
		pr_err("cma: %s: release of %lu pages at pfn %#lx: not allocated by cma_alloc; left alone\n",
		       cma->name, count, pfn);
		return false;
	}
	free_contig_range(pfn, count);
	spin_lock_irqsave(&cma->lock, flags);
	chunks_set(cma->bitmap, no, nbits, false);
	cma->allocated -= nbits << cma->order_per_bit;
	spin_unlock_irqrestore(&cma->lock, flags);
	return true;
}

/* ================================================================ reports */

/*
 * Free pages in the region: in free blocks (the part of each block
 * inside the region) and on per-CPU lists. A report: no lock, so a
 * count may be off by what changes meanwhile.
 */
static unsigned long cma_free_pages(const struct cma *cma)
{
	unsigned long end = cma->base_pfn + cma->count, free = 0;

	for (unsigned long pfn = cma->base_pfn; pfn < end;) {
		struct page *page = pfn_to_page(pfn);
		unsigned long n = 1;

		if (page && (PageBuddy(page) || PagePcp(page))) {
			n = 1UL << READ_ONCE(page->order);
			free += min(n, end - pfn);
		}
		pfn += n;
	}
	return free;
}

unsigned long cma_lent_pages(struct cma *cma)
{
	unsigned long free = cma_free_pages(cma);
	unsigned long used = cma->allocated + free;

	return used < cma->count ? cma->count - used : 0;
}

unsigned int cma_area_count(void)
{
	return cma_area_nr;
}

struct cma *cma_area(unsigned int i)
{
	return i < cma_area_nr ? &cma_areas[i] : NULL;
}

struct cma *cma_default(void)
{
	return cma_area(0);
}

void cma_show(void)
{
	if (!cma_area_nr) {
		printk("no CMA regions (boot with cma=SIZE[@BASE])\n");
		return;
	}
	printk("%-16s %-18s %10s %10s %10s %10s %5s\n", "name", "base",
	       "size(kB)", "alloc(kB)", "lent(kB)", "free(kB)", "opb");
	for (unsigned int i = 0; i < cma_area_nr; i++) {
		struct cma *cma = &cma_areas[i];

		printk("%-16s %#018llx %10lu %10lu %10lu %10lu %5u%s\n",
		       cma->name, (unsigned long long)PFN_PHYS(cma->base_pfn),
		       K(cma->count), K(cma->allocated),
		       cma->active ? K(cma_lent_pages(cma)) : 0,
		       cma->active ? K(cma_free_pages(cma)) : 0,
		       cma->order_per_bit, cma->active ? "" : " (not active)");
	}
}

/*
 * meminfo's CmaTotal: Linux's totalcma_pages, the boot regions of the
 * node (CmaFree, the free pages on the CMA lists, is the allocator's
 * line in mm/show_mem.c).
 */
static unsigned long cma_total_kb(pg_data_t *pgdat)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < cma_area_nr; i++)
		if (cma_areas[i].active && cma_areas[i].pgdat == pgdat)
			n += cma_areas[i].count;
	return K(n);
}
MEMINFO_LINE(CmaTotal, "VmallocChunk", cma_total_kb);

/* ================================================================ boot */

static phys_addr_t cma_param_size, cma_param_base;

/*
 * cma=SIZE[@BASE]: SIZE and BASE are numbers (0x for hex) with an
 * optional K, M or G. What is wrong is said with the part and its text;
 * the outputs change only on success, so the boot carries on without a
 * region (or with the one a previous good cma= asked for).
 */
int cma_parse_param(const char *value, phys_addr_t *size, phys_addr_t *base)
{
	uint64_t s, b = 0;
	char buf[64];
	char *at;

	if (!value || !*value) {
		pr_err("cma: no size given (cma=SIZE[@BASE], e.g. cma=64M)\n");
		return -1;
	}
	if (strlen(value) >= sizeof(buf)) {
		pr_err("cma: '%s' is too long\n", value);
		return -1;
	}
	strlcpy(buf, value, sizeof(buf));
	at = strchr(buf, '@');
	if (at)
		*at = '\0';
	if (!parse_u64(buf, &s, true) || !s) {
		pr_err("cma: bad SIZE '%s' in cma=%s (a non-zero number with K, M or G)\n",
		       buf, value);
		return -1;
	}
	if (at && !parse_u64(at + 1, &b, true)) {
		pr_err("cma: bad BASE '%s' after '@' in cma=%s (an address, 0x for hex, K/M/G allowed)\n",
		       at + 1, value);
		return -1;
	}
	*size = s;
	*base = b;
	return 0;
}

static int set_cma(const char *value)
{
	return cma_parse_param(value, &cma_param_size, &cma_param_base);
}
KERNEL_PARAM("cma", set_cma, "SIZE[@BASE]: a CMA region lent to movable allocations (docs/mm/cma.md)");

/* Is [base, base + size) inside one memory region of memblock? */
static bool in_one_mem_range(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t start, end;
	u64 i;

	for_each_mem_range(i, &start, &end)
		if (base >= start && base + size <= end)
			return true;
	return false;
}

/*
 * Reserve a region of size bytes: at base if not 0, else anywhere in
 * [lo, hi) (hi 0: no limit) aligned to align (at least a pageblock).
 * Linux's cma_declare_contiguous_nid, without nodes.
 */
static int cma_declare(phys_addr_t base, phys_addr_t size, phys_addr_t align,
		       phys_addr_t lo, phys_addr_t hi, const char *name,
		       struct cma **res)
{
	const phys_addr_t limit = ARCH_DMA32_LIMIT;
	unsigned long longs;
	unsigned long *bitmap;

	if (cma_area_nr == MAX_CMA_AREAS) {
		pr_err("cma: %s: no room (%d regions at most)\n", name,
		       MAX_CMA_AREAS);
		return -ENOSPC;
	}
	align = max(align, (phys_addr_t)PFN_PHYS(pageblock_nr_pages));
	if (align & (align - 1)) {
		pr_err("cma: %s: alignment %#llx is not a power of two\n", name,
		       (unsigned long long)align);
		return -EINVAL;
	}
	size = ALIGN_UP(size, PFN_PHYS(pageblock_nr_pages));
	if (!hi)
		hi = MEMBLOCK_ALLOC_ANYWHERE;
	if (base & (PFN_PHYS(pageblock_nr_pages) - 1)) {
		pr_err("cma: %s: base %#llx is not aligned to a pageblock (%lu KiB)\n",
		       name, (unsigned long long)base,
		       (unsigned long)(PFN_PHYS(pageblock_nr_pages) >> 10));
		return -EINVAL;
	}
	if (base) {
		if (!in_one_mem_range(base, size)) {
			pr_err("cma: %s: [%#llx-%#llx) is not all RAM\n", name,
			       (unsigned long long)base,
			       (unsigned long long)(base + size));
			return -EINVAL;
		}
		if (base < limit && base + size > limit) {
			pr_err("cma: %s: [%#llx-%#llx) crosses the DMA32 limit %#llx (two zones)\n",
			       name, (unsigned long long)base,
			       (unsigned long long)(base + size),
			       (unsigned long long)limit);
			return -EINVAL;
		}
		if (memblock_is_region_reserved(base, size)) {
			pr_err("cma: %s: [%#llx-%#llx) overlaps memory in use (kernel, modules, boot data, firmware)\n",
			       name, (unsigned long long)base,
			       (unsigned long long)(base + size));
			return -EBUSY;
		}
		if (memblock_reserve(base, size) < 0)
			return -ENOMEM;
	} else {
		/* Below 4 GiB first, for devices with 32-bit DMA masks (as
		 * Linux does), and never across that edge: one zone. */
		if (memblock_start_of_DRAM() < limit && lo < limit)
			base = memblock_phys_alloc_range(size, align, lo,
							 min(hi, limit));
		if (!base && memblock_end_of_DRAM() > limit && hi > limit)
			base = memblock_phys_alloc_range(size, align,
							 max(lo, limit), hi);
		if (!base) {
			pr_err("cma: %s: no free %llu MiB aligned to %llu KiB in [%#llx-%#llx)\n",
			       name, (unsigned long long)(size >> 20),
			       (unsigned long long)(align >> 10),
			       (unsigned long long)lo, (unsigned long long)hi);
			return -ENOMEM;
		}
	}
	longs = cma_bitmap_longs(PHYS_PFN(size), 0);
	bitmap = memblock_alloc(longs * sizeof(long), sizeof(long));
	if (!bitmap) {
		memblock_phys_free(base, size);
		return -ENOMEM;
	}
	cma_init_struct(&cma_areas[cma_area_nr], name, PHYS_PFN(base),
			PHYS_PFN(size), 0, bitmap);
	if (res)
		*res = &cma_areas[cma_area_nr];
	cma_area_nr++;
	pr_info("cma: %s: reserved %llu MiB at %#llx\n", name,
		(unsigned long long)(size >> 20), (unsigned long long)base);
	return 0;
}

int cma_declare_contiguous(phys_addr_t base, phys_addr_t size,
			   const char *name, struct cma **res)
{
	return cma_declare(base, size, 0, 0, 0, name, res);
}

/*
 * The device tree's reusable shared-dma-pools (boot_info.cma_pools,
 * drivers/fdt): the default one first, so cma_default() finds it; a
 * cma= on the command line replaces the default one, as in Linux.
 */
static void cma_reserve_dt_pools(const struct boot_info *bi, bool is_default)
{
	for (unsigned int i = 0; i < bi->nr_cma_pools; i++) {
		const struct boot_cma_pool *pool = &bi->cma_pools[i];

		if (pool->is_default != is_default)
			continue;
		if (pool->why[0]) {
			pr_err("cma: device tree pool %s: %s; not used\n",
			       pool->name, pool->why);
			continue;
		}
		if (is_default && cma_param_size) {
			pr_info("cma: cma= on the command line replaces the device tree's %s\n",
				pool->name);
			continue;
		}
		cma_declare(pool->base, pool->size, pool->align,
			    pool->alloc_start, pool->alloc_end, pool->name, NULL);
	}
}

void cma_reserve_boot_regions(const struct boot_info *bi)
{
	if (cma_param_size)
		cma_declare_contiguous(cma_param_base, cma_param_size,
				       "reserved", NULL);
	cma_reserve_dt_pools(bi, true);
	cma_reserve_dt_pools(bi, false);
	if (bi->cma_pools_dropped)
		pr_err("cma: %u device tree pools past the first %d left out\n",
		       bi->cma_pools_dropped, BOOT_MAX_CMA_POOLS);
}

void cma_init_reserved_areas(void)
{
	for (unsigned int i = 0; i < cma_area_nr; i++) {
		struct cma *cma = &cma_areas[i];

		if (cma->active ||
		    !cma_range_ok(cma->name, cma->base_pfn, cma->count,
				  cma->order_per_bit))
			continue;	/* its pages stay reserved: unused */
		for (unsigned long pfn = cma->base_pfn;
		     pfn < cma->base_pfn + cma->count; pfn += pageblock_nr_pages)
			init_cma_reserved_pageblock(pfn_to_page(pfn));
		cma->pgdat = page_pgdat(pfn_to_page(cma->base_pfn));
		cma->active = true;
		pr_info("cma: %s: %lu MiB at %#llx lent to movable allocations\n",
			cma->name, cma->count >> (20 - PAGE_SHIFT),
			(unsigned long long)PFN_PHYS(cma->base_pfn));
	}
}
