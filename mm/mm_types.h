/*
 * mm/mm_types.h - struct page: one per physical page frame (the memmap).
 *
 * 32 bytes per 4 KiB page, 0.78% of RAM: 8 MiB of memmap per GiB (Linux's
 * is 64 bytes). The page allocator owns a page while it is free; the
 * allocating code owns lru and private while it holds the page.
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include "kernel/types.h"
#include "kernel/lib/list.h"

struct slab;

struct page {
	uint16_t flags;		/* PG_* bits below */
	uint8_t order;		/* free: block order; allocated head: order
				 * it was allocated with */
	uint8_t range_id;	/* which memmap range (pfn, zone) */
	int32_t _refcount;	/* 0 while free, >= 1 while allocated */
	struct list_head lru;	/* free: buddy or per-CPU list; else owner's */
	union {
		unsigned long private;	/* the owner's */
		struct slab *slab;	/* PageSlab: every page of a slab points
					 * to its descriptor (mm/slab.c) */
	};
};

_Static_assert(sizeof(struct page) == 32, "struct page grew: update docs");

enum pageflags {
	PG_reserved,	/* never given to the allocator (hole, firmware, kernel) */
	PG_buddy,	/* head of a free block in a buddy free list */
	PG_pcp,		/* on a per-CPU free list (order in ->order) */
	PG_mt_shift,	/* 3 bits: the migratetype the page was allocated as */
	PG_mt_end = PG_mt_shift + 3,
	PG_slab = PG_mt_end,	/* owned by the slab allocator (mm/slab.c) */
};
#define PG_mt_mask	(7u << PG_mt_shift)

#define PAGEFLAG(name, bit)						\
static inline bool Page##name(const struct page *p)			\
{ return p->flags & (1u << (bit)); }					\
static inline void __SetPage##name(struct page *p)			\
{ p->flags |= (1u << (bit)); }						\
static inline void __ClearPage##name(struct page *p)			\
{ p->flags &= ~(1u << (bit)); }

PAGEFLAG(Reserved, PG_reserved)
PAGEFLAG(Buddy, PG_buddy)
PAGEFLAG(Pcp, PG_pcp)
PAGEFLAG(Slab, PG_slab)

static inline int page_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}

static inline void set_page_count(struct page *page, int v)
{
	__atomic_store_n(&page->_refcount, v, __ATOMIC_RELAXED);
}

/* Take another reference to an allocated page. */
static inline void get_page(struct page *page)
{
	__atomic_fetch_add(&page->_refcount, 1, __ATOMIC_RELAXED);
}

/* Drop a reference; true if it was the last one. */
static inline bool put_page_testzero(struct page *page)
{
	return __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

#endif
