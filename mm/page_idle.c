/*
 * mm/page_idle.c - idle page tracking: mark pages idle, harvest accessed
 * bits through rmap, count what stayed idle. Contract: mm/page_idle.h;
 * story: docs/mm/page_idle.md.
 */
#include "mm/page_idle.h"
#include "mm/arch_mm.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"

/* ------------------------------------------------------- accessed bits */

struct young_arg {
	const struct pgtable_fmt *fmt;
	bool young;
};

static int clear_young_one(unsigned long va, uint64_t *entry,
			   unsigned int level, void *arg)
{
	struct young_arg *ya = arg;
	uint64_t bit = ya->fmt->young_bit;

	(void)va;
	if (level != 1 || !ya->fmt->is_present(*entry))
		return 0;
	/* Atomic: the MMU may set the dirty bit of this entry meanwhile. */
	if (__atomic_fetch_and(entry, ~bit, __ATOMIC_RELAXED) & bit)
		ya->young = true;
	return 0;
}

/* Test and clear the accessed bit of the PTE at va in mm (its
 * page_table_lock held);
 * flush its TLB entry if it was set and flush says so (the MMU sets the
 * bit only when it walks the table, so a cached entry would hide the
 * next access). A format with no accessed bit: always "accessed". */
static bool ptep_test_and_clear_young(struct mm_struct *mm, unsigned long va,
				      bool flush)
{
	struct young_arg ya = { .fmt = mm->arch.pgt.fmt };

	if (!ya.fmt->young_bit)
		return true;
	pgtable_walk(&mm->arch.pgt, va, PAGE_SIZE, clear_young_one, &ya);
	if (ya.young && flush)
		arch_flush_tlb_mm_range(&mm->arch, va, PAGE_SIZE);
	return ya.young;
}

struct harvest_arg {
	struct mm_struct *own;		/* locked by the caller; flushed later */
	bool young;
};

static int harvest_one(struct page *page, struct vm_area_struct *vma,
		       unsigned long address, void *arg)
{
	struct harvest_arg *ha = arg;
	struct mm_struct *mm = vma->vm_mm;

	(void)page;
	if (ptep_test_and_clear_young(mm, address, mm != ha->own))
		ha->young = true;
	return 0;
}

/*
 * Clear every accessed bit of page's PTEs (Linux's
 * page_idle_clear_pte_refs); if one was set, the page was used: it loses
 * PG_idle and gets PG_young (for reclaim). Returns whether it was used.
 */
static bool page_idle_harvest(struct page *page, struct mm_struct *mm,
			      unsigned long va)
{
	struct harvest_arg ha = { .own = mm };
	struct rmap_walk_control rwc = {
		.rmap_one = harvest_one, .arg = &ha, .locked_mm = mm,
	};
	int r = rmap_walk(page, &rwc);

	/* A page neither anonymous nor in a page cache (none is mapped
	 * today): only this mapping can be asked. */
	if (r == -EINVAL) {
		spin_lock(&mm->page_table_lock);
		ha.young = ptep_test_and_clear_young(mm, va, false);
		spin_unlock(&mm->page_table_lock);
	}
	else if (r == -EAGAIN)	/* a busy mm may have used it (as reclaim) */
		ha.young = true;
	if (ha.young) {
		ClearPageIdle(page);
		SetPageYoung(page);
	}
	return ha.young;
}

void page_idle_mark(struct page *page, struct mm_struct *mm, unsigned long va)
{
	page_idle_harvest(page, mm, va);
	SetPageIdle(page);
}

bool page_idle_test(struct page *page, struct mm_struct *mm, unsigned long va)
{
	page_idle_harvest(page, mm, va);
	return PageIdle(page);
}

/* ------------------------------------------------------ a whole process */

#define IDLE_BATCH	32

/* A batch of mapped pages found by one page-table walk. The walk stops
 * when the batch is full (rmap walks must not run inside it: they walk
 * tables of their own), and goes on from `next`. */
struct idle_batch {
	const struct pgtable_fmt *fmt;
	unsigned int nr;
	unsigned long next;
	unsigned long va[IDLE_BATCH];
	struct page *page[IDLE_BATCH];
	unsigned long untracked;
};

static int collect_one(unsigned long va, uint64_t *entry, unsigned int level,
		       void *arg)
{
	struct idle_batch *b = arg;
	struct page *page;

	if (!b->fmt->is_present(*entry))
		return 0;		/* a swap or migration entry */
	b->next = va + PGTABLE_LEVEL_SIZE(level);
	page = level == 1 ? pfn_to_page(PHYS_PFN(*entry & b->fmt->addr_mask))
			  : NULL;
	if (!page) {
		b->untracked++;
		return 0;
	}
	/* Held: reclaim may unmap and free it once the walk lets go of
	 * page_table_lock (reclaim needs no mmap_lock). */
	if (!get_page_unless_zero(page))
		return 0;
	b->va[b->nr] = va;
	b->page[b->nr] = page;
	return ++b->nr == IDLE_BATCH;
}

/* Call fn on every page mm maps, a batch at a time; mm's lock held. */
static void for_each_mapped_page(struct mm_struct *mm, struct idle_batch *b,
				 void (*fn)(struct page *page,
					    struct mm_struct *mm,
					    unsigned long va, void *arg),
				 void *arg)
{
	unsigned long va = 0;

	b->fmt = mm->arch.pgt.fmt;
	b->untracked = 0;
	while (va < TASK_SIZE) {
		b->nr = 0;
		b->next = TASK_SIZE;
		spin_lock(&mm->page_table_lock);
		if (!pgtable_walk(&mm->arch.pgt, va, TASK_SIZE - va,
				  collect_one, b))
			b->next = TASK_SIZE;	/* walked to the end */
		spin_unlock(&mm->page_table_lock);
		for (unsigned int i = 0; i < b->nr; i++) {
			fn(b->page[i], mm, b->va[i], arg);
			put_page(b->page[i]);
		}
		va = b->next;
	}
}

static void mark_fn(struct page *page, struct mm_struct *mm, unsigned long va,
		    void *arg)
{
	page_idle_mark(page, mm, va);
	(*(unsigned long *)arg)++;
}

unsigned long mm_idle_mark(struct mm_struct *mm)
{
	struct idle_batch b;
	unsigned long marked = 0;

	mmap_read_lock(mm);
	for_each_mapped_page(mm, &b, mark_fn, &marked);
	mmap_read_unlock(mm);
	arch_flush_tlb_mm(&mm->arch);
	return marked;
}

static void count_fn(struct page *page, struct mm_struct *mm, unsigned long va,
		     void *arg)
{
	struct idle_count *c = arg;
	bool idle = page_idle_test(page, mm, va);

	/* Shared anonymous pages have a mapping (their object's) but are
	 * anonymous memory, counted as such (as meminfo's Shmem is not a
	 * file's). */
	if (page_mapping(page) && !PageSwapBacked(page)) {
		c->file++;
		c->file_idle += idle;
	} else {
		c->anon++;
		c->anon_idle += idle;
	}
}

void mm_idle_count(struct mm_struct *mm, struct idle_count *c)
{
	struct idle_batch b;

	*c = (struct idle_count){ 0 };
	mmap_read_lock(mm);
	for_each_mapped_page(mm, &b, count_fn, c);
	c->untracked = b.untracked;
	mmap_read_unlock(mm);
	arch_flush_tlb_mm(&mm->arch);
}
