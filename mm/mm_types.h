/*
 * mm/mm_types.h - struct page: one per physical page frame (the memmap),
 * and the page flags with Linux's helper names.
 *
 * 64 bytes per 4 KiB page, as Linux's: 1.56% of RAM, 16 MiB of memmap per
 * GiB. It was 32 bytes while only the allocator and slab used it; the
 * page cache, rmap, the LRU and migration need mapping, index and
 * _mapcount as well, and flags became a long for atomic bit operations:
 * 58 bytes, which alignment rounds to 64. At 64, each struct page is one
 * cache line (the memmap is page-aligned), so two CPUs working on
 * neighbouring pages do not share a line. docs/mm/struct-page.md has the whole story: who owns
 * each field in which state, the flags table, the cost.
 *
 * Ownership: the page allocator owns a page while it is free; whoever
 * allocated it (slab, the page cache, an anonymous mapping, a page
 * table, a driver) owns lru, mapping, index, private and the owner flags
 * while it holds the page, and must leave them clear when it frees it
 * (checked under page_alloc.debug=on). Allocation hands every owner field
 * out clear: flags (but the migratetype), mapping, index, private 0 and
 * _mapcount -1.
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include "kernel/types.h"
#include "kernel/lib/list.h"

struct kmem_cache;
struct address_space;

/* A page's offset in its file or anonymous area, in pages (Linux's). */
typedef unsigned long pgoff_t;

struct page {
	unsigned long flags;	/* PG_* bits below; changed atomically by
				 * owners, see "Flags" */
	struct list_head lru;	/* free: buddy or per-CPU list; else the
				 * owner's (an LRU list) */
	struct address_space *mapping;	/* page cache: the file's; anonymous:
					 * the anon_vma | PAGE_MAPPING_ANON;
					 * else NULL */
	pgoff_t index;		/* offset in mapping (pages); 0 if none */
	union {
		unsigned long private;	/* the owner's */
		struct kmem_cache *slab_cache;	/* PageSlab: every page of a
						 * slab points to its cache
						 * (mm/slab.c) */
	};
	int32_t _mapcount;	/* page-table entries mapping it, minus 1:
				 * -1 = unmapped; use page_mapcount() */
	int32_t _refcount;	/* 0 while free, >= 1 while allocated */
	uint8_t order;		/* free: block order; allocated head: order
				 * it was allocated with */
	uint8_t range_id;	/* which memmap range (pfn, zone) */
	/* 2 bytes spare */
	int32_t _pincount;	/* pin_user_pages pins (DMA into user
				 * memory): a pinned page does not move
				 * (mm/migrate.h); 0 while free */
};

_Static_assert(sizeof(struct page) == 64, "struct page changed size: update "
	       "mm/mm_types.h and docs/mm/struct-page.md");

/* ---------------------------------------------------------------- flags */

/*
 * Owner flags (bits 0-15) are set and cleared with atomic bit operations
 * (SetPageDirty, TestClearPageDirty, ...) because other CPUs may change
 * or read them while the owner holds the page: writeback clears
 * PG_writeback from I/O completion, reclaim tests PG_referenced while a
 * fault sets it, the LRU moves a page while the page cache dirties it.
 * Because of them, every change to the word made while others may look
 * must be atomic; the __SetPage/__ClearPage forms are for a page nobody
 * else can see yet (just allocated, or being freed).
 *
 * Allocator flags (bits 16 and up: reserved, buddy, pcp, slab, the
 * migratetype) are changed only by the page allocator while the page is
 * free and by slab on pages it has just allocated, so they use plain
 * (non-atomic) stores. Everyone may test any flag at any time.
 */
enum pageflags {
	PG_locked,	/* owner flags (atomic) */
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_active,
	PG_writeback,
	PG_swapbacked,
	PG_swapcache,
	PG_unevictable,
	PG_error,	/* an I/O error happened on this page (read or write) */
	PG_readahead,	/* readahead marker: reaching it starts the next batch */
	PG_workingset,	/* was active before eviction (refault detection) */
	PG_idle,	/* page_idle: marked idle, no access seen since */
	PG_young,	/* page_idle: an accessed bit was cleared for it */
	PG_reclaim,	/* reclaim wants it freed once writeback ends */
	PG_reserved,	/* never given to the allocator (hole, firmware, kernel) */
	PG_buddy,	/* head of a free block in a buddy free list */
	PG_pcp,		/* on a per-CPU free list (order in ->order) */
	PG_slab,	/* owned by the slab allocator (mm/slab.c) */
	PG_mt_shift,	/* 3 bits: the migratetype the page was allocated as */
	PG_mt_end = PG_mt_shift + 3,
	NR_PAGEFLAGS = PG_mt_end,
};
#define PG_mt_mask	(7UL << PG_mt_shift)
#define PAGE_FLAGS_OWNER	((1UL << PG_reserved) - 1)

static inline bool page_flag_test(const struct page *p, int bit)
{
	return __atomic_load_n(&p->flags, __ATOMIC_RELAXED) & (1UL << bit);
}

/* Page##name test, __SetPage##name / __ClearPage##name: not atomic. */
#define __PAGEFLAG(name, bit)						\
static inline bool Page##name(const struct page *p)			\
{ return page_flag_test(p, bit); }					\
static inline void __SetPage##name(struct page *p)			\
{ p->flags |= 1UL << (bit); }						\
static inline void __ClearPage##name(struct page *p)			\
{ p->flags &= ~(1UL << (bit)); }

/*
 * The above plus atomic SetPage##name / ClearPage##name (no ordering, as
 * Linux's set_bit) and TestSetPage##name / TestClearPage##name (return the
 * old value; fully ordered, as Linux's test_and_set_bit).
 */
#define PAGEFLAG(name, bit)						\
__PAGEFLAG(name, bit)							\
static inline void SetPage##name(struct page *p)			\
{ __atomic_fetch_or(&p->flags, 1UL << (bit), __ATOMIC_RELAXED); }	\
static inline void ClearPage##name(struct page *p)			\
{ __atomic_fetch_and(&p->flags, ~(1UL << (bit)), __ATOMIC_RELAXED); }	\
static inline bool TestSetPage##name(struct page *p)			\
{ return __atomic_fetch_or(&p->flags, 1UL << (bit),			\
			   __ATOMIC_SEQ_CST) & (1UL << (bit)); }		\
static inline bool TestClearPage##name(struct page *p)			\
{ return __atomic_fetch_and(&p->flags, ~(1UL << (bit)),		\
			    __ATOMIC_SEQ_CST) & (1UL << (bit)); }

__PAGEFLAG(Locked, PG_locked)	/* locked through trylock_page() */
PAGEFLAG(Referenced, PG_referenced)
PAGEFLAG(Dirty, PG_dirty)
PAGEFLAG(LRU, PG_lru)
PAGEFLAG(Active, PG_active)
PAGEFLAG(Writeback, PG_writeback)
PAGEFLAG(SwapBacked, PG_swapbacked)
PAGEFLAG(SwapCache, PG_swapcache)
PAGEFLAG(Unevictable, PG_unevictable)
PAGEFLAG(Error, PG_error)
PAGEFLAG(Readahead, PG_readahead)
PAGEFLAG(Workingset, PG_workingset)
PAGEFLAG(Idle, PG_idle)
PAGEFLAG(Young, PG_young)
PAGEFLAG(Reclaim, PG_reclaim)
__PAGEFLAG(Reserved, PG_reserved)
__PAGEFLAG(Buddy, PG_buddy)
__PAGEFLAG(Pcp, PG_pcp)
__PAGEFLAG(Slab, PG_slab)

/*
 * PG_locked is a bit lock: it keeps a page's identity and contents stable
 * during I/O and page-cache changes. Take it with trylock_page() (true if
 * taken; acquire ordering), drop it with unlock_page() (release). A new
 * page nobody can see yet is locked with __SetPageLocked(). (lock_page(),
 * which sleeps, comes with the page cache's wait queues.)
 */
static inline bool trylock_page(struct page *page)
{
	return !(__atomic_fetch_or(&page->flags, 1UL << PG_locked,
				   __ATOMIC_ACQUIRE) & (1UL << PG_locked));
}

static inline void unlock_page(struct page *page)
{
	__atomic_fetch_and(&page->flags, ~(1UL << PG_locked),
			   __ATOMIC_RELEASE);
}

/*
 * PG_uptodate: the page holds valid data. SetPageUptodate() publishes the
 * data written before it (release); a reader that sees PageUptodate() true
 * also sees that data (acquire).
 */
static inline bool PageUptodate(const struct page *page)
{
	return __atomic_load_n(&page->flags, __ATOMIC_ACQUIRE) &
	       (1UL << PG_uptodate);
}

static inline void SetPageUptodate(struct page *page)
{
	__atomic_fetch_or(&page->flags, 1UL << PG_uptodate, __ATOMIC_RELEASE);
}

static inline void __SetPageUptodate(struct page *page)
{
	page->flags |= 1UL << PG_uptodate;
}

static inline void ClearPageUptodate(struct page *page)
{
	__atomic_fetch_and(&page->flags, ~(1UL << PG_uptodate),
			   __ATOMIC_RELAXED);
}

/* ---------------------------------------------------------------- mapping */

/*
 * Anonymous pages store their anon_vma (for rmap) in ->mapping with the
 * low bit set, as Linux does: one word says both "anonymous" and where
 * the reverse map is, so a lock-free reader never sees one without the
 * other. Pointers are at least 8-byte aligned, so the bit is free.
 */
#define PAGE_MAPPING_ANON	0x1UL
#define PAGE_MAPPING_FLAGS	PAGE_MAPPING_ANON

static inline bool PageAnon(const struct page *page)
{
	return (unsigned long)READ_ONCE(page->mapping) & PAGE_MAPPING_ANON;
}

/*
 * The page-cache mapping of a file page; NULL for an anonymous page or a
 * page outside the page cache. (With the swap cache, Linux returns the
 * swap cache's mapping for a PageSwapCache page; not yet here.)
 */
static inline struct address_space *page_mapping(const struct page *page)
{
	unsigned long m = (unsigned long)READ_ONCE(page->mapping);

	return (m & PAGE_MAPPING_FLAGS) ? NULL : (struct address_space *)m;
}

/* ->mapping without the flag bits: the anon_vma of an anonymous page. */
static inline void *page_rmapping(const struct page *page)
{
	return (void *)((unsigned long)READ_ONCE(page->mapping) &
			~PAGE_MAPPING_FLAGS);
}

/* ---------------------------------------------------------------- counts */

/* How many page-table entries map the page (0: unmapped). */
static inline int page_mapcount(const struct page *page)
{
	return __atomic_load_n(&page->_mapcount, __ATOMIC_RELAXED) + 1;
}

static inline bool page_mapped(const struct page *page)
{
	return page_mapcount(page) > 0;
}

/* Back to unmapped (_mapcount -1). */
static inline void page_mapcount_reset(struct page *page)
{
	__atomic_store_n(&page->_mapcount, -1, __ATOMIC_RELAXED);
}

static inline int page_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}

static inline void set_page_count(struct page *page, int v)
{
	__atomic_store_n(&page->_refcount, v, __ATOMIC_RELAXED);
}

/* Pins on the page (pin_user_pages), each also a reference. */
static inline int page_pincount(const struct page *page)
{
	return __atomic_load_n(&page->_pincount, __ATOMIC_ACQUIRE);
}

/* May a device be reading or writing the page (Linux's
 * page_maybe_dma_pinned)? Then it must not move. */
static inline bool page_maybe_dma_pinned(const struct page *page)
{
	return page_pincount(page) > 0;
}

/* Take another reference to an allocated page. */
static inline void get_page(struct page *page)
{
	__atomic_fetch_add(&page->_refcount, 1, __ATOMIC_RELAXED);
}

/* A reference, unless the page's last one is already gone (Linux's
 * get_page_unless_zero). */
static inline bool get_page_unless_zero(struct page *page)
{
	int32_t c = __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);

	while (c > 0)
		if (__atomic_compare_exchange_n(&page->_refcount, &c, c + 1,
						false, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

/* Drop a reference; true if it was the last one. */
static inline bool put_page_testzero(struct page *page)
{
	return __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

#endif
