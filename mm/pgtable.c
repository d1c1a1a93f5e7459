/*
 * mm/pgtable.c - the one page-table walker (contract: mm/pgtable.h; the
 * story: docs/mm/pgtable.md).
 *
 * A virtual address is cut into 9-bit indices above a 12-bit page offset:
 *
 *   levels = 4:  [47:39] level 4 | [38:30] level 3 | [29:21] level 2 |
 *                [20:12] level 1 | [11:0] offset in the 4 KiB page
 *   levels = 3:  the same without level 4 (a 39-bit space)
 *
 * Bits above the root's index are not looked at: pt->va_start and
 * pt->va_last say which addresses the table may hold, and every call
 * checks its range against them first.
 *
 * The root is one page of 512 entries at level pt->levels. An entry above
 * level 1 is empty, a pointer to the next level's table, or (at a level
 * in fmt->leaf_levels) a leaf for a whole block: the walk stops there and
 * the VA bits below the level are the offset in the block. Tables are
 * made on the way down as a map needs them and stay until pgtable_free(),
 * so an unmap never frees memory - except that unmapping or protecting
 * part of a block first replaces it by a table of the 512 smaller leaves
 * it stood for (a split: 1 GiB into 2 MiB blocks, 2 MiB into pages).
 *
 * What an entry's bits mean is the format's business (pt->fmt): this
 * file asks it to make a table pointer or a leaf, and whether an entry is
 * present and whether it is a leaf. It relies on two rules of every
 * format: the empty entry is 0, and a page is (paddr & addr_mask) | bits
 * that do not depend on paddr.
 *
 * The fast path. A DMA mapping is usually one page, and consecutive ones
 * land in the same 2 MiB (the IOVA caches hand the same ranges back), so
 * most maps and unmaps need the same level-1 table as the one before.
 * pt->hint_table remembers it; since a level-1 table is never freed or
 * replaced before pgtable_free, the hint is always right for its 2 MiB
 * (and no block can appear there: a block needs an empty entry), and a
 * hit costs one compare instead of a walk from the root, which under
 * emulation is several indirect calls into the format per level. Pages
 * are written without calling the format either: a page is
 * (paddr & addr_mask) | the bits of mk_leaf(0, ...), made once per map,
 * and for a format without payloads "is something there" is a test
 * against 0. A range of pages goes in (and out) in runs to the end of each
 * level-1 table: a 1 MiB DMA mapping is one run of 256 stores, not 256
 * trips through the block and hint checks (under TCG 16 -> 5 us to map
 * it on VT-d, 19 -> 9 us on SMMUv3; docs/benchmarks.md).
 */
#include "mm/pgtable.h"
#include "kernel/lib/string.h"
#include "kernel/wait.h"
#include "mm/vmstat.h"

#define HINT_SHIFT	PGTABLE_LEVEL_SHIFT(2)	/* the VA a level-1 table covers */
#define NO_HINT		(~0UL)

/* The index of va in a table at level (1: the pages). */
static inline unsigned int index_at(unsigned long va, unsigned int level)
{
	return (unsigned int)(va >> PGTABLE_LEVEL_SHIFT(level)) &
	       (PGTABLE_ENTRIES - 1);
}

/* The VA one table at level covers: 2^(12 + 9 * level). */
static inline unsigned long table_span(unsigned int level)
{
	return 1UL << PGTABLE_LEVEL_SHIFT(level + 1);
}

/* The node counter of the table pages the walker allocates itself. */
static inline enum node_stat_item table_stat(const struct pgtable *pt)
{
	return pt->fmt->secondary ? NR_SECONDARY_PAGETABLE : NR_PAGETABLE;
}

/* A zeroed page from pt's node (any node if none), or NULL. */
static struct page *table_page(struct pgtable *pt, gfp_t gfp)
{
	gfp |= __GFP_ZERO | __GFP_NOWARN;
	return pt->node ? alloc_pages_node(pt->node, gfp, 0)
			: alloc_pages(gfp, 0);
}

/* A zeroed (all entries empty) table page, counted in the node's
 * page-table statistic (table_alloc counts it in pt->nr_tables); NULL if
 * no memory. */
void *pgtable_page_alloc(struct pgtable *pt)
{
	struct page *pg = NULL;

	/*
	 * An owner that may sleep reclaims first (one round: NORETRY), and
	 * only then takes the reserves, as before. Not reclaim alone: fork
	 * holds the parent's mmap_lock as a writer, which closes its rmap
	 * gate, so reclaim cannot take the parent's own pages, and when the
	 * parent is what fills memory (a memhog forking) it finds nothing.
	 */
	if (pt->may_sleep)
		pg = table_page(pt, GFP_KERNEL | __GFP_NORETRY);
	if (!pg)
		pg = table_page(pt, pt->user && current_fault_may_retry() ?
				GFP_NOWAIT : GFP_ATOMIC);
	if (!pg)
		return NULL;
	mod_node_page_state(page_pgdat(pg), table_stat(pt), 1);
	return page_address(pg);
}

static uint64_t *table_alloc(struct pgtable *pt)
{
	uint64_t *t = pt->alloc_table ? pt->alloc_table(pt)
				      : pgtable_page_alloc(pt);

	if (t)
		pt->nr_tables++;
	return t;
}

static void table_free(struct pgtable *pt, uint64_t *t)
{
	struct page *pg;

	if (pt->free_table) {
		pt->free_table(pt, t);
		return;
	}
	pg = virt_to_page(t);
	if (!pt->alloc_table)		/* counted by table_alloc */
		mod_node_page_state(page_pgdat(pg), table_stat(pt), -1);
	__free_page(pg);
}

/* The table the present, non-leaf entry e points at. */
static inline uint64_t *next_table(const struct pgtable *pt, uint64_t e)
{
	phys_addr_t phys = e & pt->fmt->addr_mask;

	return pt->fmt->table_virt ? pt->fmt->table_virt(phys)
				   : phys_to_virt(phys);
}

/* Make the filled table t reachable from *e (t's contents first: the
 * hardware may walk the moment the entry changes). */
static void install_table(struct pgtable *pt, uint64_t *e, uint64_t *t)
{
	if (pt->fmt->sync)
		pt->fmt->sync();
	else
		__atomic_thread_fence(__ATOMIC_RELEASE);
	WRITE_ONCE(*e, pt->fmt->mk_table(virt_to_phys(t)));
}

/* Is the present entry e at level a leaf? (Level 1: always.) */
static inline bool entry_is_leaf(const struct pgtable *pt, uint64_t e,
				 unsigned int level)
{
	return level == 1 || pt->fmt->is_leaf(e, level);
}

/* Is [va, va + size) non-empty, page aligned and inside the table's range? */
static bool range_ok(const struct pgtable *pt, unsigned long va, size_t size)
{
	unsigned long last = va + size - 1;

	return size && !((va | size) & (PAGE_SIZE - 1)) && last >= va &&
	       va >= pt->va_start && last <= pt->va_last;
}

static int init_common(struct pgtable *pt, const struct pgtable_fmt *fmt,
		       unsigned int levels, unsigned long va_start,
		       unsigned long va_last)
{
	unsigned int top = 1;	/* the highest leaf level */
	unsigned long span;

	if (levels != 3 && levels != 4)
		return -EINVAL;
	/* leaves at level 1 and each level above it up to top, no gap,
	 * none above the root */
	while (fmt->leaf_levels & BIT(top + 1))
		top++;
	if (!(fmt->leaf_levels & BIT(1)) || fmt->leaf_levels != BIT(top + 1) - 2 ||
	    top > levels)
		return -EINVAL;
	span = 1UL << PGTABLE_LEVEL_SHIFT(levels + 1);
	if (va_start > va_last || (va_start & (PAGE_SIZE - 1)) ||
	    ((va_last + 1) & (PAGE_SIZE - 1)) ||
	    (va_start & ~(span - 1)) != (va_last & ~(span - 1)))
		return -EINVAL;
	pt->fmt = fmt;
	pt->levels = levels;
	pt->va_start = va_start;
	pt->va_last = va_last;
	pt->hint_region = NO_HINT;
	pt->root = table_alloc(pt);
	return pt->root ? 0 : -ENOMEM;
}

int pgtable_init(struct pgtable *pt, const struct pgtable_fmt *fmt,
		 unsigned int levels, unsigned long va_start,
		 unsigned long va_last, pg_data_t *node)
{
	memset(pt, 0, sizeof(*pt));
	pt->node = node;
	return init_common(pt, fmt, levels, va_start, va_last);
}

int pgtable_init_alloc(struct pgtable *pt, const struct pgtable_fmt *fmt,
		       unsigned int levels, unsigned long va_start,
		       unsigned long va_last,
		       void *(*alloc_table)(struct pgtable *pt),
		       void (*free_table)(struct pgtable *pt, void *table),
		       void *private)
{
	memset(pt, 0, sizeof(*pt));
	pt->alloc_table = alloc_table;
	pt->free_table = free_table;
	pt->private = private;
	return init_common(pt, fmt, levels, va_start, va_last);
}

/*
 * The entry for va at level want, making the missing tables on the way
 * if alloc. The walk stops early, at a higher level, on an entry that is
 * not a table: a leaf (a block), or an empty entry when !alloc (a hole).
 * *level gets the level of the entry returned. NULL only when a table
 * could not be made.
 */
static uint64_t *walk(struct pgtable *pt, unsigned long va, unsigned int want,
		      bool alloc, unsigned int *level)
{
	const struct pgtable_fmt *fmt = pt->fmt;
	uint64_t *t = pt->root;
	unsigned int l;

	for (l = pt->levels; l > want; l--) {
		uint64_t *e = &t[index_at(va, l)];

		if (!*e) {
			uint64_t *n;

			if (!alloc)
				break;
			if (!(n = table_alloc(pt)))
				return NULL;
			install_table(pt, e, n);
		} else if (!fmt->is_present(*e) || fmt->is_leaf(*e, l)) {
			break;
		}
		t = next_table(pt, *e);
	}
	*level = l;
	return &t[index_at(va, l)];
}

/*
 * The level-1 entry for va, as walk(pt, va, 1, alloc, level) finds it,
 * but without the walk when va is in the 2 MiB of the last one.
 */
static inline uint64_t *leaf_entry(struct pgtable *pt, unsigned long va,
				   bool alloc, unsigned int *level)
{
	unsigned long region = va >> HINT_SHIFT;
	uint64_t *e;

	if (region == pt->hint_region) {
		pt->nr_hint_hits++;
		*level = 1;
		return &pt->hint_table[index_at(va, 1)];
	}
	pt->nr_walks++;
	e = walk(pt, va, 1, alloc, level);
	if (e && *level == 1) {
		pt->hint_region = region;
		pt->hint_table = e - index_at(va, 1);
	}
	return e;
}

/* Is something in the level-1 entry e that pgtable_unmap counts as
 * mapped? For a format without payloads (payloads false), any non-zero
 * entry. The caller reads pt->fmt->payload_bits once: after a volatile
 * store the compiler reads it again. */
static inline bool page_present(const struct pgtable *pt, bool payloads,
				uint64_t e)
{
	return e && (!payloads || pt->fmt->is_present(e));
}

/* The largest leaf level <= top for a step at va/pa with rest bytes left. */
static inline unsigned int fit_level(unsigned int top, unsigned long va,
				     phys_addr_t pa, size_t rest)
{
	while (top > 1 && (((va | pa) & (PGTABLE_LEVEL_SIZE(top) - 1)) ||
			   rest < PGTABLE_LEVEL_SIZE(top)))
		top--;
	return top;
}

/*
 * Lay a leaf of level want (> 1) for va -> pa, or, where an empty table
 * is already in the way, a smaller one (down to level 2) below it.
 * Returns the level of the leaf made; 1 if the level-1 table is there
 * (map pages into it); -EINVAL if a leaf or payload is in the way;
 * -ENOMEM.
 */
static int map_block(struct pgtable *pt, unsigned long va, phys_addr_t pa,
		     uint64_t attrs, unsigned int want)
{
	const struct pgtable_fmt *fmt = pt->fmt;
	uint64_t *t = pt->root;

	for (unsigned int l = pt->levels; l > 1; l--) {
		uint64_t *e = &t[index_at(va, l)];

		if (!*e) {
			uint64_t *n;

			if (l <= want) {
				WRITE_ONCE(*e, fmt->mk_leaf(pa, attrs, l));
				pt->nr_leaves[l]++;
				return (int)l;
			}
			if (!(n = table_alloc(pt)))
				return -ENOMEM;
			install_table(pt, e, n);
		} else if (!fmt->is_present(*e) || fmt->is_leaf(*e, l)) {
			return -EINVAL;
		}
		t = next_table(pt, *e);
	}
	return 1;
}

int pgtable_map(struct pgtable *pt, unsigned long va, phys_addr_t paddr,
		size_t size, unsigned int prot, size_t max_leaf)
{
	const struct pgtable_fmt *fmt = pt->fmt;
	uint64_t attrs = fmt->prot_to_attrs(prot);
	uint64_t page_bits, mask = fmt->addr_mask;
	unsigned int top = pt->levels;
	int err = -EINVAL;
	size_t done;

	if (!attrs || !range_ok(pt, va, size) || (paddr & (PAGE_SIZE - 1)))
		return -EINVAL;
	while (top > 1 && (!(fmt->leaf_levels & BIT(top)) ||
			   PGTABLE_LEVEL_SIZE(top) > max_leaf))
		top--;
	page_bits = fmt->mk_leaf(0, attrs, 1);
	for (done = 0; done < size;) {
		unsigned long v = va + done;
		phys_addr_t pa = paddr + done;
		unsigned int level;
		uint64_t *e;

		if (top > 1 && (level = fit_level(top, v, pa, size - done)) > 1) {
			int got = map_block(pt, v, pa, attrs, level);

			if (got < 0) {
				err = got;
				break;
			}
			if (got > 1) {
				done += PGTABLE_LEVEL_SIZE(got);
				continue;
			}
			/* an empty page table is there: pages into it */
		}
		e = leaf_entry(pt, v, true, &level);
		if (!e) {
			err = -ENOMEM;
			break;
		}
		if (level != 1)
			break;		/* a block around it */
		/* Pages to the end of this level-1 table or of the range:
		 * none of them can start a block (a block would start the
		 * next table), so they go in one run without the checks. */
		size_t n = min((size_t)(PGTABLE_ENTRIES - index_at(v, 1)),
			       (size - done) >> PAGE_SHIFT), i;

		for (i = 0; i < n && !e[i]; i++)
			WRITE_ONCE(e[i], ((pa + (i << PAGE_SHIFT)) & mask) | page_bits);
		pt->nr_leaves[1] += i;
		done += i << PAGE_SHIFT;
		if (i < n)
			break;		/* an entry in the way */
	}
	if (done < size) {
		pgtable_unmap(pt, va, done);
		return err;
	}
	return 0;
}

/*
 * Replace the leaf at *e (level > 1) by a table of the 512 leaves one
 * level down it stands for, with its attributes; false if no page for
 * the table. The translation does not change.
 */
static bool split_block(struct pgtable *pt, uint64_t *e, unsigned int level)
{
	const struct pgtable_fmt *fmt = pt->fmt;
	unsigned long sub = PGTABLE_LEVEL_SIZE(level - 1);
	uint64_t base = *e & fmt->addr_mask & ~(uint64_t)(PGTABLE_LEVEL_SIZE(level) - 1);
	uint64_t attrs = fmt->leaf_attrs(*e);
	uint64_t *t = table_alloc(pt);

	if (!t)
		return false;
	for (unsigned int i = 0; i < PGTABLE_ENTRIES; i++)
		t[i] = fmt->mk_leaf(base + (uint64_t)i * sub, attrs, level - 1);
	install_table(pt, e, t);
	pt->nr_leaves[level]--;
	pt->nr_leaves[level - 1] += PGTABLE_ENTRIES;
	pt->nr_splits++;
	return true;
}

size_t pgtable_unmap(struct pgtable *pt, unsigned long va, size_t size)
{
	size_t unmapped = 0;

	if (!range_ok(pt, va, size))
		return 0;
	for (size_t off = 0; off < size;) {
		unsigned long v = va + off;
		unsigned int level;
		uint64_t *e = leaf_entry(pt, v, false, &level);
		unsigned long bsize = PGTABLE_LEVEL_SIZE(level);
		size_t rest = min((size_t)(bsize - (v & (bsize - 1))), size - off);

		if (level == 1) {
			/* To the end of this table or of the range, in one run,
			 * counted in locals and added up after it: an entry's
			 * store could alias the counters in pt, so counting
			 * there costs two memory updates an entry (a 1 MiB DMA
			 * unmap clears 256 of them, and under TCG every memory
			 * access is a lookup). */
			size_t n = min((size_t)(PGTABLE_ENTRIES - index_at(v, 1)),
				       (size - off) >> PAGE_SHIFT);
			unsigned long pages = 0, others = 0;
			bool payloads = pt->fmt->payload_bits;

			for (size_t i = 0; i < n; i++) {
				uint64_t x = e[i];

				if (!x)
					continue;
				if (page_present(pt, payloads, x))
					pages++;
				else
					others++;
				WRITE_ONCE(e[i], 0);
			}
			pt->nr_leaves[1] -= pages;
			pt->nr_nonpresent -= others;
			unmapped += pages << PAGE_SHIFT;
			off += n << PAGE_SHIFT;
			continue;
		} else if (*e) {
			/* a block: all of it, or split and look again */
			if (rest < bsize && split_block(pt, e, level))
				continue;
			WRITE_ONCE(*e, 0);	/* (no page for the split) */
			pt->nr_leaves[level]--;
			unmapped += rest;
		}
		off += rest;
	}
	return unmapped;
}

/*
 * Split the blocks around boundary x until a leaf starts at x (a protect
 * must not change what lies outside its range). 0 or -ENOMEM.
 */
static int split_at(struct pgtable *pt, unsigned long x)
{
	for (;;) {
		unsigned int level;
		uint64_t *e = walk(pt, x, 1, false, &level);

		if (level == 1 || !*e ||
		    !(x & (PGTABLE_LEVEL_SIZE(level) - 1)))
			return 0;
		if (!split_block(pt, e, level))
			return -ENOMEM;
	}
}

long pgtable_protect(struct pgtable *pt, unsigned long va, size_t size,
		     unsigned int prot)
{
	const struct pgtable_fmt *fmt = pt->fmt;
	uint64_t attrs = fmt->prot_to_attrs(prot);
	uint64_t keep = fmt->young_bit | fmt->dirty_bit;
	unsigned long end = va + size;
	long changed = 0;

	if (!attrs || !range_ok(pt, va, size))
		return -EINVAL;
	/* First the splits (they change no translation), then the leaves. */
	if (split_at(pt, va) ||
	    (end - 1 < pt->va_last && split_at(pt, end)))
		return -ENOMEM;
	for (size_t off = 0; off < size;) {
		unsigned long v = va + off;
		unsigned int level;
		uint64_t *e = leaf_entry(pt, v, false, &level);
		unsigned long bsize = PGTABLE_LEVEL_SIZE(level);
		size_t rest = min((size_t)(bsize - (v & (bsize - 1))), size - off);

		if (*e && fmt->is_present(*e)) {
			uint64_t base = *e & fmt->addr_mask & ~(uint64_t)(bsize - 1);

			WRITE_ONCE(*e, fmt->mk_leaf(base, attrs, level) | (*e & keep));
			changed += rest;
		}
		off += rest;
	}
	return changed;
}

phys_addr_t pgtable_translate(struct pgtable *pt, unsigned long va,
			      uint64_t *pte, unsigned int *level)
{
	unsigned long bsize;
	unsigned int l;
	uint64_t *e, ent;

	if (pte)
		*pte = 0;
	if (level)
		*level = 0;
	if (va < pt->va_start || va > pt->va_last)
		return 0;
	e = walk(pt, va, 1, false, &l);
	ent = *e;
	if (!ent)
		return 0;
	if (pte)
		*pte = ent;
	if (level)
		*level = l;
	if (!pt->fmt->is_present(ent))
		return 0;
	bsize = PGTABLE_LEVEL_SIZE(l);
	return (ent & pt->fmt->addr_mask & ~(uint64_t)(bsize - 1)) |
	       (va & (bsize - 1));
}

int pgtable_set_nonpresent(struct pgtable *pt, unsigned long va,
			   uint64_t payload)
{
	const struct pgtable_fmt *fmt = pt->fmt;
	unsigned int level;
	uint64_t *e;

	if (!fmt->payload_bits || !range_ok(pt, va, PAGE_SIZE) ||
	    (fmt->payload_bits < 64 && (payload >> fmt->payload_bits)))
		return -EINVAL;
	e = leaf_entry(pt, va, true, &level);
	if (!e)
		return -ENOMEM;
	if (level != 1 || (*e && fmt->is_present(*e)))
		return -EINVAL;
	if (!*e)
		pt->nr_nonpresent++;
	WRITE_ONCE(*e, fmt->mk_nonpresent(payload));
	return 0;
}

uint64_t pgtable_exchange_nonpresent(struct pgtable *pt, unsigned long va,
				     uint64_t payload)
{
	const struct pgtable_fmt *fmt = pt->fmt;
	unsigned int level;
	uint64_t *e, old;

	if (!fmt->payload_bits || !range_ok(pt, va, PAGE_SIZE) ||
	    (fmt->payload_bits < 64 && (payload >> fmt->payload_bits)))
		return 0;
	e = leaf_entry(pt, va, false, &level);
	if (!e || level != 1 || !page_present(pt, pt->fmt->payload_bits, *e))
		return 0;
	old = __atomic_exchange_n(e, fmt->mk_nonpresent(payload),
				  __ATOMIC_RELAXED);
	pt->nr_leaves[1]--;
	pt->nr_nonpresent++;
	return old;
}

/* Visit the entries of table t (at level, covering VA from base) that
 * hold a part of [first, last]. */
static int walk_table(struct pgtable *pt, uint64_t *t, unsigned int level,
		      unsigned long base, unsigned long first,
		      unsigned long last,
		      int (*fn)(unsigned long, uint64_t *, unsigned int, void *),
		      void *arg)
{
	unsigned long bsize = PGTABLE_LEVEL_SIZE(level);

	for (unsigned int i = index_at(first, level);
	     i <= index_at(last, level); i++) {
		unsigned long eva = base + i * bsize;
		uint64_t e = t[i];
		int ret;

		if (!e)
			continue;
		if (!pt->fmt->is_present(e) || entry_is_leaf(pt, e, level))
			ret = fn(eva, &t[i], level, arg);
		else
			ret = walk_table(pt, next_table(pt, e), level - 1, eva,
					 max(first, eva),
					 min(last, eva + (bsize - 1)), fn, arg);
		if (ret)
			return ret;
	}
	return 0;
}

int pgtable_walk(struct pgtable *pt, unsigned long va, size_t size,
		 int (*fn)(unsigned long va, uint64_t *entry,
			   unsigned int level, void *arg),
		 void *arg)
{
	unsigned long first = max(va, pt->va_start);
	unsigned long last = va + size - 1;

	if (!size)
		return 0;
	if (last < va)
		last = ~0UL;	/* the range wraps: to the end of the space */
	last = min(last, pt->va_last);
	if (first > last)
		return 0;
	return walk_table(pt, pt->root, pt->levels,
			  first & ~(table_span(pt->levels) - 1),
			  first, last, fn, arg);
}

/* Free the table t at level and every table below it; the count. */
static unsigned long free_level(struct pgtable *pt, uint64_t *t,
				unsigned int level)
{
	unsigned long n = 1;

	if (level > 1)
		for (unsigned int i = 0; i < PGTABLE_ENTRIES; i++)
			if (t[i] && pt->fmt->is_present(t[i]) &&
			    !pt->fmt->is_leaf(t[i], level))
				n += free_level(pt, next_table(pt, t[i]),
						level - 1);
	table_free(pt, t);
	return n;
}

unsigned long pgtable_free(struct pgtable *pt)
{
	const struct pgtable_fmt *fmt = pt->fmt;
	unsigned int top = pt->levels;
	unsigned long n = 0;

	if (!pt->root)
		return 0;
	for (unsigned int i = index_at(pt->va_start, top);
	     i <= index_at(pt->va_last, top); i++) {
		uint64_t e = pt->root[i];

		if (e && fmt->is_present(e) && !fmt->is_leaf(e, top))
			n += free_level(pt, next_table(pt, e), top - 1);
	}
	table_free(pt, pt->root);
	n++;
	pt->root = NULL;
	pt->hint_region = NO_HINT;
	pt->hint_table = NULL;
	pt->nr_tables = 0;
	pt->nr_nonpresent = 0;
	memset(pt->nr_leaves, 0, sizeof(pt->nr_leaves));
	return n;
}
