/*
 * mm/pgtable.h - the one page-table walker: every radix page table in the
 * kernel (the CPU's kernel tables, user address spaces, and the IOMMUs'
 * tables) is walked by mm/pgtable.c over an entry format its owner
 * supplies (struct pgtable_fmt). The walker knows the shape (512 entries
 * of 8 bytes a level, 9 VA bits per level over 4 KiB pages, 3 or 4
 * levels, leaves at level 1 (4 KiB), level 2 (2 MiB) or level 3 (1 GiB)
 * where the format allows); the format knows what the bits mean.
 *
 * Levels count up from the pages: level 1 holds 4 KiB leaves, the root is
 * at pt->levels. An entry is one of:
 *   0                  empty (tables start zeroed; unmap writes 0);
 *   a table pointer    (levels > 1) to the next level's table;
 *   a leaf             a 4 KiB page (level 1) or a block (level 2 or 3);
 *   a payload          non-present but not 0: a swap or migration entry,
 *                      at level 1 only (pgtable_set_nonpresent).
 * docs/mm/pgtable.md tells the whole story.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include "kernel/types.h"
#include "kernel/errno.h"
#include "mm/page_alloc.h"

#define PGTABLE_ENTRIES		512
#define PGTABLE_LEVEL_SHIFT(l)	(12 + 9 * ((l) - 1))	/* VA bits below */
#define PGTABLE_LEVEL_SIZE(l)	(1UL << PGTABLE_LEVEL_SHIFT(l))
#define PGTABLE_MAX_LEVELS	4

/*
 * An entry format. "attrs" are a leaf's permission and attribute bits,
 * made once per call from the owner's prot (PROT_* for CPU tables,
 * IOMMU_READ/WRITE for IOMMU tables) and copied to each page when a
 * block is split. Every function is pure. The empty entry is 0.
 */
struct pgtable_fmt {
	const char *name;
	uint64_t addr_mask;		/* the output-address bits of an entry */
	unsigned int leaf_levels;	/* BIT(level) for each level that may
					 * hold a leaf: BIT(1), BIT(1) | BIT(2)
					 * or BIT(1) | BIT(2) | BIT(3) */
	/* The attrs for prot; 0 if the format cannot map prot (-EINVAL). */
	uint64_t (*prot_to_attrs)(unsigned int prot);
	/* The prot that attrs stand for (reports, protect, tests). */
	unsigned int (*attrs_to_prot)(uint64_t attrs);
	/* An entry pointing at the next level's table at phys. */
	uint64_t (*mk_table)(phys_addr_t phys);
	/* A leaf for paddr at level. Must be (paddr & addr_mask) | bits that
	 * do not depend on paddr: the walker writes a run of pages from one
	 * mk_leaf(0, attrs, 1). */
	uint64_t (*mk_leaf)(phys_addr_t paddr, uint64_t attrs,
			    unsigned int level);
	/* The attrs of leaf e, as mk_leaf takes them. */
	uint64_t (*leaf_attrs)(uint64_t e);
	/* Does e translate anything (a table or a leaf)? */
	bool (*is_present)(uint64_t e);
	/* Is the present entry e at level (> 1) a leaf (a block)? */
	bool (*is_leaf)(uint64_t e, unsigned int level);
	/*
	 * Non-present entries that carry a payload (swap entries, migration
	 * entries): payload_bits wide; 0 and NULL for formats without them
	 * (the IOMMUs'). The entry must test !is_present and != 0.
	 */
	unsigned int payload_bits;
	uint64_t (*mk_nonpresent)(uint64_t payload);
	uint64_t (*nonpresent_payload)(uint64_t e);
	/* Leaf bits the hardware (or the fault path) sets: 0 if none.
	 * pgtable_protect keeps them. */
	uint64_t young_bit, dirty_bit;
	/*
	 * Reclaim's aging may clear young_bit without a TLB flush: a CPU
	 * that still caches the entry does not set the bit again (nor, on
	 * arm64 without hardware access flags, take the access-flag fault)
	 * until the entry leaves its TLB, so a page in use may look unused
	 * once, and at worst is reclaimed and faulted back. The flush it
	 * saves, for every page aged: on x86_64 an IPI to each CPU running
	 * the mm (Linux skips it there too: ptep_clear_flush_young); on
	 * arm64 a broadcast TLBI, which Linux issues but QEMU's TCG runs as
	 * work synchronised across every vCPU (32% of a swap benchmark's
	 * samples). Both CPU formats say true; the IOMMU and test formats
	 * have no aging and leave it false.
	 */
	bool young_clear_no_flush;
	/* The virtual address of a table at phys (NULL: phys_to_virt). */
	void *(*table_virt)(phys_addr_t phys);
	/* Called after a new table is filled and before the entry pointing
	 * at it is written, so a hardware walker that follows the entry
	 * sees the contents (arm64: dsb ishst; a cache clean for a
	 * non-coherent walker). NULL: a release fence, enough for a
	 * coherent walker. */
	void (*sync)(void);
	/*
	 * Which counter the table pages the walker allocates itself (no
	 * alloc_table hook) go to: false for the CPU's tables
	 * (NR_PAGETABLE, meminfo's PageTables), true for a device's
	 * (NR_SECONDARY_PAGETABLE, SecPageTables: the IOMMUs), as Linux
	 * splits them. Owners with their own allocator count their own.
	 */
	bool secondary;
};

struct pgtable {
	const struct pgtable_fmt *fmt;
	uint64_t *root;			/* the table at level `levels` */
	unsigned int levels;		/* 3 or 4 */
	/* The VA range this table may map (inclusive end): the kernel half,
	 * the user half, or [0, 2^(12 + 9 * levels)) for an IOMMU. It lies
	 * inside one 2^(12 + 9 * levels) span; index bits above the top
	 * level are ignored, so sign-extended kernel addresses work. */
	unsigned long va_start, va_last;
	pg_data_t *node;		/* table pages from here; NULL: global */
	/* Table allocator (a zeroed page, NULL when out): NULL means
	 * pgtable_page_alloc(). Boot code passes memblock's
	 * (pgtable_init_alloc). free_table NULL: __free_page, uncounted
	 * from the node's page-table counter if alloc_table is NULL too.
	 * `private` is the hooks' own. */
	void *(*alloc_table)(struct pgtable *pt);
	void (*free_table)(struct pgtable *pt, void *table);
	void *private;
	/*
	 * A user address space's table (arch_mm_create sets it). Its tables
	 * come from the page allocator like any (pgtable_page_alloc), but
	 * while the fault that asks for them may retry (handle_mm_fault:
	 * current_fault_may_retry) without the reserves: GFP_NOWAIT, not
	 * GFP_ATOMIC. The reserves are for whoever cannot wait; the fault
	 * can, by failing, reclaiming with no lock held and coming back.
	 */
	bool user;
	/*
	 * Set by an owner that alone changes the table and holds no
	 * spinlock, for as long as that lasts (dup_mm while it fills a
	 * child's table): a table then comes from a round of reclaim
	 * (GFP_KERNEL | __GFP_NORETRY) when memory is short, and from the
	 * reserves only if that found nothing.
	 */
	bool may_sleep;
	unsigned long nr_tables;	/* table pages now, root included */
	unsigned long nr_leaves[PGTABLE_MAX_LEVELS + 1]; /* present leaves
					 * now, by level ([1]: 4 KiB pages) */
	unsigned long nr_nonpresent;	/* level-1 payload entries now */
	unsigned long nr_splits;	/* blocks split by unmap or protect */
	/* The last level-1 table reached and the 2 MiB it covers (va >> 21;
	 * ~0UL: none), the io-pgtable fast path; see mm/pgtable.c. */
	unsigned long hint_region;
	uint64_t *hint_table;
	unsigned long nr_hint_hits, nr_walks;
};

/*
 * Locking: calls on one table must not overlap (the owner holds its lock
 * around each). Tables are written so hardware may walk them at any
 * moment: a new table is filled before the entry pointing at it. TLB and
 * IOTLB flushing is the caller's: the walker returns what changed.
 */

/*
 * An empty table (the root only), table pages from the page allocator of
 * node (NULL: any). 0; -EINVAL (levels not 3 or 4, an empty or unaligned
 * range, a range wider than the table reaches, a format whose
 * leaf_levels is not BIT(1) and the levels above it); -ENOMEM.
 */
int pgtable_init(struct pgtable *pt, const struct pgtable_fmt *fmt,
		 unsigned int levels, unsigned long va_start,
		 unsigned long va_last, pg_data_t *node);
/*
 * pgtable_init with the owner's table allocator for every table, the
 * root included (boot code: memblock's; a pool). free_table may be NULL
 * if the table is never freed.
 */
/*
 * The walker's own table allocator, for hooks that use it once the page
 * allocator runs: a zeroed page from pt->node (GFP_ATOMIC; GFP_NOWAIT for
 * a user table while its fault may retry: pt->user; while pt->may_sleep,
 * first GFP_KERNEL | __GFP_NORETRY), counted in the
 * node's NR_PAGETABLE (NR_SECONDARY_PAGETABLE for a secondary format).
 * NULL when out of memory.
 */
void *pgtable_page_alloc(struct pgtable *pt);
int pgtable_init_alloc(struct pgtable *pt, const struct pgtable_fmt *fmt,
		       unsigned int levels, unsigned long va_start,
		       unsigned long va_last,
		       void *(*alloc_table)(struct pgtable *pt),
		       void (*free_table)(struct pgtable *pt, void *table),
		       void *private);
/*
 * Map [va, va + size) to paddr with prot: page-aligned; the largest leaf
 * the format allows at each step, up to max_leaf bytes (PAGE_SIZE forces
 * pages), where va and paddr are aligned, the rest of the range covers
 * it and the entry is empty (an empty table already there takes smaller
 * leaves under it).
 * 0; -EINVAL (unaligned, empty, outside the range, a prot the format
 * refuses, or an entry in the way: a page or a payload already there, or
 * a block around the page); -ENOMEM. On failure nothing of the range is
 * left mapped (what was there before stays).
 */
int pgtable_map(struct pgtable *pt, unsigned long va, phys_addr_t paddr,
		size_t size, unsigned int prot, size_t max_leaf);
/*
 * Clear the range's leaves and non-present payloads, splitting a block
 * covered only in part (if no table page is left for the split, the whole
 * block goes: the range loses more than asked, never keeps more).
 * Returns the bytes of the range that were mapped (payloads not counted).
 * Tables stay until pgtable_free. A range that is unaligned, empty or not
 * wholly inside the table's range: 0, nothing done.
 */
size_t pgtable_unmap(struct pgtable *pt, unsigned long va, size_t size);
/*
 * Give the range's present leaves prot (splitting a block covered only in
 * part); holes and payloads are skipped; young and dirty bits are kept.
 * Returns the bytes changed, or -EINVAL (unaligned, empty, outside the
 * range, a prot the format refuses) / -ENOMEM (no page for a split): no
 * translation or permission changed then.
 */
long pgtable_protect(struct pgtable *pt, unsigned long va, size_t size,
		     unsigned int prot);
/*
 * The translation of va (0 if none). *pte gets the entry found for va (a
 * leaf, a payload, or 0) and *level its level (0 if none); either may be
 * NULL. Since physical address 0 may be mapped, *pte tells for sure.
 */
phys_addr_t pgtable_translate(struct pgtable *pt, unsigned long va,
			      uint64_t *pte, unsigned int *level);
/*
 * Store a non-present payload (< 2^payload_bits) in the level-1 entry of
 * va (page aligned), making the tables down to it. The entry must be
 * empty or a payload; a present page must be unmapped (and its TLB entry
 * flushed) first. 0; -EINVAL (no payloads in this format, too wide,
 * outside the range, a page or block there); -ENOMEM. It is read back
 * with pgtable_translate and fmt->nonpresent_payload.
 */
int pgtable_set_nonpresent(struct pgtable *pt, unsigned long va,
			   uint64_t payload);
/*
 * Replace the present 4 KiB leaf of va by a non-present payload in one
 * atomic exchange, and return the leaf it held. A CPU may set the leaf's
 * accessed and dirty bits at any moment; the exchange reads them as
 * final (a CPU that must set one later walks the tables and finds the
 * payload: a fault). The caller flushes the TLB: until then a CPU may
 * still use the old translation. 0 (nothing changed) when va holds no
 * present 4 KiB leaf or the payload does not fit.
 */
uint64_t pgtable_exchange_nonpresent(struct pgtable *pt, unsigned long va,
				     uint64_t payload);
/*
 * Visit every leaf and non-present payload in [va, va + size), ascending:
 * fn(va of the leaf's start, entry, level, arg); a block partly in the
 * range is visited once. fn may change a leaf's attribute bits in place
 * (clear the young bit, say; the TLB flush is the caller's) but not make
 * or remove entries. A non-zero return stops the walk and is returned.
 */
int pgtable_walk(struct pgtable *pt, unsigned long va, size_t size,
		 int (*fn)(unsigned long va, uint64_t *entry,
			   unsigned int level, void *arg),
		 void *arg);
/* Free every table page reachable inside [va_start, va_last] (entries of
 * the root outside it are left: shared kernel half) and the root; the
 * count of pages freed. The counts go to 0 (nr_splits stays). */
unsigned long pgtable_free(struct pgtable *pt);

#endif
