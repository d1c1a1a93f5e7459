/*
 * mm/memblock.h - the boot-time physical memory allocator.
 *
 * Before the page allocator exists, the kernel still needs memory (page
 * tables, the struct page array, per-CPU areas). memblock keeps two sorted
 * lists of physical ranges, as Linux's memblock does:
 *
 *   memory    the RAM the firmware said we have (memblock_add/remove)
 *   reserved  parts of it already in use: the kernel image, the boot
 *             loader's data, modules, the DTB, and every memblock
 *             allocation (memblock_reserve/phys_free, memblock_*alloc*)
 *
 * Free memory is "memory minus reserved". Allocation is top-down (highest
 * suitable address first), below memblock's current limit, and is never
 * freed in bulk: when the page allocator takes over it walks
 * for_each_free_mem_range() once and memblock's job is done.
 *
 * Contract:
 * - Ranges are [base, base + size). Both lists stay sorted, non-overlapping,
 *   and regions that touch with equal flags are merged, whatever order and
 *   overlap the caller (a firmware map) gives.
 * - A zero size is ignored (returns 0). A range that would run past the top
 *   of the 64-bit space is clamped to end at PHYS_ADDR_MAX (memblock_add
 *   says so on the log: that is a firmware bug worth seeing).
 * - Reserving memory that was never added is allowed and kept (a
 *   reservation may come before the RAM that contains it is added).
 * - memblock_phys_free() undoes a reservation. Freeing any byte that is
 *   not reserved is a bug: it prints, returns -1 and changes nothing.
 * - Alignment must be a power of two; anything else (0 included) fails
 *   with a message. Allocations never return address 0 (0 means failure),
 *   so the first page is never handed out.
 * - Storage is fixed: each list holds at most its capacity of regions (128
 *   in the global instance). An operation that would not fit prints what
 *   did not fit (KERN_ERR), returns -1 and leaves both lists as they were.
 * - Not thread-safe: memblock is used on one CPU, before SMP start.
 *
 * Every operation has an instance form, memblock_*_in(mb, ...), that works
 * on a private `struct memblock` built by memblock_init() over arrays the
 * caller supplies (tests and course labs use these); the plain names work
 * on the global instance `memblock`.
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include "kernel/types.h"
#include "boot/boot_info.h"

/* Cursor type of the iterators (identical redefinition is legal C11). */
typedef uint64_t u64;

#define PHYS_ADDR_MAX		(~(phys_addr_t)0)

/* memblock_phys_alloc_range() end values, as in Linux. */
#define MEMBLOCK_ALLOC_ACCESSIBLE	0		/* the current limit */
#define MEMBLOCK_ALLOC_ANYWHERE		PHYS_ADDR_MAX	/* no limit */

/* Capacity of each list in the global instance. */
#define INIT_MEMBLOCK_REGIONS	128

/* Region flags (memory list only). */
enum memblock_flags {
	MEMBLOCK_NONE = 0,
	MEMBLOCK_NOMAP = 0x4,	/* RAM, but not for the direct map or allocation */
};

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	enum memblock_flags flags;
};

struct memblock_type {
	unsigned long cnt;		/* regions in use */
	unsigned long max;		/* capacity of regions[] */
	phys_addr_t total_size;		/* sum of the sizes */
	struct memblock_region *regions;
	const char *name;		/* "memory" or "reserved" */
};

struct memblock {
	phys_addr_t current_limit;	/* allocations end at or below this */
	struct memblock_type memory;
	struct memblock_type reserved;
};

/* The global instance, used by the plain (non-_in) functions. */
extern struct memblock memblock;

/*
 * Make *mb an empty memblock over the caller's arrays (nr_mem and nr_rsv
 * regions of capacity, each at least 1), with no allocation limit. The
 * arrays must outlive *mb.
 */
void memblock_init(struct memblock *mb,
		   struct memblock_region *mem, unsigned long nr_mem,
		   struct memblock_region *rsv, unsigned long nr_rsv);

/* ---- the global instance (what the kernel calls) ---- */

/* Add RAM. 0 ok, -1 error (printed). */
int memblock_add(phys_addr_t base, phys_addr_t size);
/* Forget RAM (e.g. above a mem= limit); removing what is not there is ok. */
int memblock_remove(phys_addr_t base, phys_addr_t size);
/* Keep a range out of allocation. 0 ok, -1 error (printed). */
int memblock_reserve(phys_addr_t base, phys_addr_t size);
/* Undo a reserve (or an allocation). -1 if any of it was not reserved. */
int memblock_phys_free(phys_addr_t base, phys_addr_t size);
/* Set/clear MEMBLOCK_NOMAP on the memory in a range. */
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);
int memblock_clear_nomap(phys_addr_t base, phys_addr_t size);

/*
 * Allocate and reserve size bytes aligned to align (a power of two) inside
 * [start, end), taking the highest address that fits. end may be
 * MEMBLOCK_ALLOC_ACCESSIBLE (the current limit) or MEMBLOCK_ALLOC_ANYWHERE.
 * Returns the physical address, or 0 on failure (printed).
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end);
/* memblock_phys_alloc_range(size, align, 0, current limit). */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align);
/* As memblock_phys_alloc, zeroed and returned through phys_to_virt(). */
void *memblock_alloc(phys_addr_t size, phys_addr_t align);

/*
 * Allocations end at or below limit (what the early direct map covers);
 * MEMBLOCK_ALLOC_ANYWHERE lifts it.
 */
void memblock_set_current_limit(phys_addr_t limit);
phys_addr_t memblock_get_current_limit(void);

phys_addr_t memblock_phys_mem_size(void);	/* sum of memory */
phys_addr_t memblock_reserved_size(void);	/* sum of reserved */
phys_addr_t memblock_start_of_DRAM(void);	/* lowest memory; 0 if none */
phys_addr_t memblock_end_of_DRAM(void);		/* end of highest; 0 if none */
bool memblock_is_memory(phys_addr_t addr);
/* True if any byte of [base, base + size) is reserved. */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);
/* printk both lists, one region a line. */
void memblock_dump(void);
/*
 * Check the invariants (each list sorted, no overlap, touching regions with
 * equal flags merged, counts within capacity, totals right). Returns 0, or
 * -1 after printing the first broken one. A debugging aid for labs/tests.
 */
int memblock_check(void);

/*
 * Feed the boot loader's map in: add BOOT_MEM_USABLE ranges shrunk inward
 * to whole pages, then remove every other type of range (grown outward to
 * whole pages, so firmware's reserved entries win over overlapping usable
 * ones, as Linux's e820 sanitiser decides), then reserve the kernel image,
 * the boot information, the modules and the DTB. Returns 0, or -1 if
 * anything did not fit (printed; what did fit stays recorded).
 */
int memblock_add_boot_info(const struct boot_info *bi);
/*
 * mem=SIZE on the command line (Linux's): memblock_add_boot_info keeps
 * only the lowest SIZE bytes of the usable RAM (never cutting below what
 * the loader put there: the image, the boot information, the modules,
 * the device tree) and says so. For a small machine on a big board: the
 * Raspberry Pi tests run their swap case on 128 MiB of the Pi's 1 GiB.
 * memblock_mem_limit: the limit (0: none). memblock_apply_mem_limit_in:
 * the cut itself, on any memblock (tests), after the boot information's
 * ranges are in. 0 or -1.
 */
phys_addr_t memblock_mem_limit(void);
struct memblock;
int memblock_apply_mem_limit_in(struct memblock *mb, const struct boot_info *bi,
				phys_addr_t limit);

/* ---- instance forms: the same contracts on a private memblock ---- */
int memblock_add_in(struct memblock *mb, phys_addr_t base, phys_addr_t size);
int memblock_remove_in(struct memblock *mb, phys_addr_t base, phys_addr_t size);
int memblock_reserve_in(struct memblock *mb, phys_addr_t base,
			phys_addr_t size);
int memblock_phys_free_in(struct memblock *mb, phys_addr_t base,
			  phys_addr_t size);
int memblock_mark_nomap_in(struct memblock *mb, phys_addr_t base,
			   phys_addr_t size);
int memblock_clear_nomap_in(struct memblock *mb, phys_addr_t base,
			    phys_addr_t size);
phys_addr_t memblock_phys_alloc_range_in(struct memblock *mb,
					 phys_addr_t size, phys_addr_t align,
					 phys_addr_t start, phys_addr_t end);
phys_addr_t memblock_phys_alloc_in(struct memblock *mb, phys_addr_t size,
				   phys_addr_t align);
void *memblock_alloc_in(struct memblock *mb, phys_addr_t size,
			phys_addr_t align);
void memblock_set_current_limit_in(struct memblock *mb, phys_addr_t limit);
phys_addr_t memblock_phys_mem_size_in(const struct memblock *mb);
phys_addr_t memblock_reserved_size_in(const struct memblock *mb);
phys_addr_t memblock_start_of_DRAM_in(const struct memblock *mb);
phys_addr_t memblock_end_of_DRAM_in(const struct memblock *mb);
bool memblock_is_memory_in(const struct memblock *mb, phys_addr_t addr);
bool memblock_is_region_reserved_in(const struct memblock *mb,
				    phys_addr_t base, phys_addr_t size);
void memblock_dump_in(const struct memblock *mb);
int memblock_check_in(const struct memblock *mb);
int memblock_add_boot_info_in(struct memblock *mb, const struct boot_info *bi);

/* ---- iterators ---- */

/*
 * What the iterators call: advance *idx (start at 0) and store the next
 * range in start and end (either may be NULL). Returns false when done.
 * __next_free_mem_range yields memory minus reserved, skipping NOMAP
 * memory, in ascending order; the _rev form descends (start *idx at
 * MEMBLOCK_ITER_REV_START).
 */
#define MEMBLOCK_ITER_REV_START	(~(u64)0)
bool __next_mem_range(const struct memblock *mb, u64 *idx,
		      phys_addr_t *start, phys_addr_t *end);
bool __next_free_mem_range(const struct memblock *mb, u64 *idx,
			   phys_addr_t *start, phys_addr_t *end);
bool __next_free_mem_range_rev(const struct memblock *mb, u64 *idx,
			       phys_addr_t *start, phys_addr_t *end);

/* Every memory region (NOMAP included); end is exclusive. */
#define for_each_mem_range_in(mb, i, p_start, p_end)			\
	for ((i) = 0; __next_mem_range((mb), &(i), (p_start), (p_end)); )

/* Memory minus reserved (NOMAP excluded), ascending; end is exclusive. */
#define for_each_free_mem_range_in(mb, i, p_start, p_end)		\
	for ((i) = 0; __next_free_mem_range((mb), &(i), (p_start), (p_end)); )

/* The same, descending (what top-down allocation walks). */
#define for_each_free_mem_range_reverse_in(mb, i, p_start, p_end)	\
	for ((i) = MEMBLOCK_ITER_REV_START;				\
	     __next_free_mem_range_rev((mb), &(i), (p_start), (p_end)); )

#define for_each_mem_range(i, p_start, p_end) \
	for_each_mem_range_in(&memblock, i, p_start, p_end)
#define for_each_free_mem_range(i, p_start, p_end) \
	for_each_free_mem_range_in(&memblock, i, p_start, p_end)
#define for_each_free_mem_range_reverse(i, p_start, p_end) \
	for_each_free_mem_range_reverse_in(&memblock, i, p_start, p_end)

#endif
