/*
 * mm/memory.c - the pages of user address spaces: mm lifetime (mm_alloc,
 * dup_mm, mmput), page faults (demand zero, copy-on-write, stack growth,
 * file pages through the VMA's vm_ops), unmapping ranges, shared
 * anonymous memory, access_remote_vm.
 * Contracts: mm/mm.h; the picture: docs/mm/vm.md.
 */
#include "mm/vm_internal.h"
#include "mm/rmap.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "mm/filemap.h"
#include "mm/swap.h"
#include "mm/migrate.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/wait.h"
#include "kernel/sysctl.h"

/* ---------------------------------------------------------------- pages */

static struct page *alloc_user_page_gfp(struct mm_struct *mm, gfp_t gfp)
{
	gfp = fault_gfp(gfp | __GFP_ZERO | __GFP_NOWARN);
	return mm->node ? alloc_pages_node(mm->node, gfp, 0) : alloc_page(gfp);
}

/* A page for a private anonymous mapping: movable (mm/migrate.h). */
static struct page *alloc_user_page(struct mm_struct *mm)
{
	return alloc_user_page_gfp(mm, GFP_HIGHUSER_MOVABLE);
}

void put_user_page(struct page *page)
{
	put_page(page);		/* mm/lru.h: off the LRU, cleared, freed */
}

/* Which rss counter a mapped page is in: private anonymous pages,
 * shared anonymous pages (swap-backed, no anon_vma), or page-cache pages
 * (neither: not swap-backed). */
static enum mm_counter page_counter(const struct page *page)
{
	if (PageAnon(page))
		return MM_ANONPAGES;
	return PageSwapBacked(page) ? MM_SHMEMPAGES : MM_FILEPAGES;
}

static bool is_file_page(const struct page *page)
{
	return page_counter(page) == MM_FILEPAGES;
}

static struct page *pa_page(phys_addr_t pa)
{
	struct page *page = pfn_to_page(PHYS_PFN(pa));

	BUG_ON(!page);
	return page;
}

/* Does the PTE at va map page (present)? mmap_lock held. */
static bool pte_maps_page(struct mm_struct *mm, unsigned long va,
			  struct page *page)
{
	uint64_t pte = 0;
	phys_addr_t pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);

	return mm->arch.pgt.fmt->is_present(pte) &&
	       PHYS_PFN(pa) == page_to_pfn(page);
}

/*
 * A fault reads its PTE without page_table_lock: reclaim may have unmapped
 * the page since, and freed it. Take a reference on page only if the PTE
 * at va still maps it; false: the access faults again and finds what is
 * there now.
 */
static bool get_page_if_mapped(struct mm_struct *mm, unsigned long va,
			       struct page *page)
{
	bool mapped;

	spin_lock(&mm->page_table_lock);
	mapped = pte_maps_page(mm, va, page);
	if (mapped)
		get_page(page);
	spin_unlock(&mm->page_table_lock);
	return mapped;
}

/* ---------------------------------------------------------------- walks */

#define PTE_BATCH	32

/* Present level-1 leaves of a range, a batch at a time. */
struct pte_batch {
	const struct pgtable_fmt *fmt;
	unsigned int n;
	unsigned long va[PTE_BATCH];
	phys_addr_t pa[PTE_BATCH];
	unsigned int prot[PTE_BATCH];
	bool dirty[PTE_BATCH];
};

static int collect_pte(unsigned long va, uint64_t *e, unsigned int level,
		       void *arg)
{
	struct pte_batch *b = arg;

	if (!b->fmt->is_present(*e))
		return 0;	/* a payload: swap's, later */
	BUG_ON(level != 1);	/* user pages are mapped one by one */
	b->va[b->n] = va;
	b->pa[b->n] = *e & b->fmt->addr_mask;
	b->prot[b->n] = b->fmt->attrs_to_prot(b->fmt->leaf_attrs(*e));
	b->dirty[b->n] = *e & b->fmt->dirty_bit;
	return ++b->n == PTE_BATCH;
}

/* Fill b with the next present PTEs at or above *cur below end; advances
 * *cur. Returns how many. */
static unsigned int next_ptes(struct mm_struct *mm, unsigned long *cur,
			      unsigned long end, struct pte_batch *b)
{
	b->fmt = mm->arch.pgt.fmt;
	b->n = 0;
	if (*cur >= end)
		return 0;
	pgtable_walk(&mm->arch.pgt, *cur, end - *cur, collect_pte, b);
	*cur = b->n == PTE_BATCH ? b->va[b->n - 1] + PAGE_SIZE : end;
	return b->n;
}

struct bits_arg {
	uint64_t clear, set, old;
};

static int update_bits(unsigned long va, uint64_t *e, unsigned int level,
		       void *arg)
{
	struct bits_arg *a = arg;

	(void)va;
	if (level != 1 || !(*e))
		return 0;
	/* Atomic: the CPU may set accessed/dirty bits at the same time. */
	a->old = __atomic_fetch_and(e, ~a->clear, __ATOMIC_RELAXED);
	if (a->set)
		__atomic_fetch_or(e, a->set, __ATOMIC_RELAXED);
	return 1;
}

uint64_t pte_update_bits(struct mm_struct *mm, unsigned long va,
			 uint64_t clear, uint64_t set)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	struct bits_arg a = { clear, set, 0 };
	uint64_t pte = 0;

	va &= ~(PAGE_SIZE - 1);
	pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	if (!fmt->is_present(pte))
		return 0;
	pgtable_walk(&mm->arch.pgt, va, PAGE_SIZE, update_bits, &a);
	return a.old;
}

/* The PTEs of one page went: its counters and its dirty bit. The
 * caller drops its reference (zap_range: a batch at once). */
static void unmapped_page(struct mm_struct *mm, struct page *page, bool dirty)
{
	/* A dirty PTE of a file page: the data must reach the file. */
	if (dirty && is_file_page(page))
		set_page_dirty(page);
	add_mm_counter(mm, page_counter(page), -1);
	page_remove_rmap(page);
}

/* ---------------------------------------------------------------- swap entries */

/* The swap entries (non-present payloads) of a range, a batch at a time. */
struct swp_batch {
	const struct pgtable_fmt *fmt;
	unsigned int n;
	unsigned int type;		/* MAX_SWAPFILES: any area */
	unsigned long va[PTE_BATCH];
	swp_entry_t entry[PTE_BATCH];
};

static int collect_swp(unsigned long va, uint64_t *e, unsigned int level,
		       void *arg)
{
	struct swp_batch *b = arg;
	uint64_t payload;

	if (b->fmt->is_present(*e))
		return 0;
	payload = b->fmt->nonpresent_payload(*e);
	if (!is_swap_payload(payload))
		return 0;
	b->va[b->n] = va;
	b->entry[b->n] = payload_to_swp_entry(payload);
	if (b->type != MAX_SWAPFILES && swp_type(b->entry[b->n]) != b->type)
		return 0;
	(void)level;
	return ++b->n == PTE_BATCH;
}

static unsigned int next_swp(struct mm_struct *mm, unsigned long *cur,
			     unsigned long end, struct swp_batch *b)
{
	b->fmt = mm->arch.pgt.fmt;
	b->n = 0;
	if (*cur >= end || !mm->arch.pgt.nr_nonpresent)
		return 0;
	pgtable_walk(&mm->arch.pgt, *cur, end - *cur, collect_swp, b);
	*cur = b->n == PTE_BATCH ? b->va[b->n - 1] + PAGE_SIZE : end;
	return b->n;
}

/* Drop the swap entries of [start, end): each gives back its slot
 * reference (and the swap cache's page, when nothing else needs it). */
static void zap_swap_entries(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long cur = start;
	struct swp_batch b = { .type = MAX_SWAPFILES };

	for (;;) {
		spin_lock(&mm->page_table_lock);
		if (!next_swp(mm, &cur, end, &b)) {
			spin_unlock(&mm->page_table_lock);
			break;
		}
		for (unsigned int i = 0; i < b.n; i++)
			pgtable_unmap(&mm->arch.pgt, b.va[i], PAGE_SIZE);
		spin_unlock(&mm->page_table_lock);
		/* The entries are gone from the table: theirs to free. */
		for (unsigned int i = 0; i < b.n; i++) {
			add_mm_counter(mm, MM_SWAPENTS, -1);
			free_swap_and_cache(b.entry[i]);
		}
	}
}

/*
 * Unmap [start, end) of vma; flush: the TLB needs it (not at exit).
 * only: unmap just the pages of this page cache (truncate: private COW
 * copies stay); NULL: every page.
 */
static void zap_range(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end, bool flush,
		      const struct address_space *only)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long cur = start;
	struct pte_batch b;
	bool drop[PTE_BATCH];
	struct page *put[PTE_BATCH];
	unsigned int nr_put;

	for (;;) {
		/* The PTEs are read and cleared under page_table_lock (reclaim
		 * unmaps beside us, needing no mmap_lock); what they held is
		 * ours to account for after. The debt of reclaim's batches
		 * is paid under it too: a PTE reclaim cleared is not seen
		 * here, and its stale TLB entry must go all the same. */
		spin_lock(&mm->page_table_lock);
		flush_tlb_batched_pending(mm);
		if (!next_ptes(mm, &cur, end, &b)) {
			spin_unlock(&mm->page_table_lock);
			break;
		}
		for (unsigned int i = 0; i < b.n; i++)
			drop[i] = !only || page_mapping(pa_page(b.pa[i])) == only;
		/* Runs of neighbouring pages go in one unmap (one flush). */
		for (unsigned int i = 0; i < b.n;) {
			unsigned int j = i + 1;

			if (!drop[i]) {
				i++;
				continue;
			}
			while (j < b.n && drop[j] &&
			       b.va[j] == b.va[j - 1] + PAGE_SIZE)
				j++;
			if (flush)
				arch_mm_unmap(&mm->arch, b.va[i],
					      (j - i) * PAGE_SIZE);
			else
				pgtable_unmap(&mm->arch.pgt, b.va[i],
					      (j - i) * PAGE_SIZE);
			i = j;
		}
		spin_unlock(&mm->page_table_lock);
		/* The dirty bits were read before the unmap: a shared file
		 * page that is writable was dirtied when it became so
		 * (do_page_mkwrite), so a store racing with it loses
		 * nothing. */
		nr_put = 0;
		for (unsigned int i = 0; i < b.n; i++)
			if (drop[i]) {
				put[nr_put] = pa_page(b.pa[i]);
				unmapped_page(mm, put[nr_put], b.dirty[i]);
				/* Back from swap and now unmapped: the slot
				 * and the cache's copy go too. */
				free_swap_cache(put[nr_put++]);
			}
		release_pages(put, nr_put);	/* lru_lock once, not per page */
	}
	/* Swap entries are anonymous pages: truncate (only) keeps them. */
	if (!only)
		zap_swap_entries(vma, start, end);
}

/*
 * Unmap the present PTE at va (and flush it): stores are stopped first
 * (write-protect), so the dirty bit in the returned entry is final. *prot
 * gets the protection it had.
 */
static uint64_t unmap_pte_final(struct mm_struct *mm, unsigned long va,
				unsigned int *prot)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	uint64_t pte = 0;

	pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	*prot = fmt->attrs_to_prot(fmt->leaf_attrs(pte));
	if (*prot & PROT_WRITE)
		arch_mm_protect(&mm->arch, va, PAGE_SIZE, *prot & ~PROT_WRITE);
	pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	arch_mm_unmap(&mm->arch, va, PAGE_SIZE);
	return pte;
}

void zap_file_pte(struct mm_struct *mm, unsigned long va, struct page *page)
{
	unsigned int prot;
	uint64_t pte = unmap_pte_final(mm, va, &prot);

	unmapped_page(mm, page, pte & mm->arch.pgt.fmt->dirty_bit);
	put_page(page);
}

int zap_anon_pte_to_swap(struct mm_struct *mm, unsigned long va,
			 struct page *page, struct tlb_batch *tlb)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	swp_entry_t entry = page_swap_entry(page);
	uint64_t pte;
	unsigned int prot;
	int err;

	err = swap_duplicate(entry);
	if (err)
		return err;
	/* One exchange: the entry in, the PTE with its final dirty bit out
	 * (a CPU that would set the bit now walks to the entry and faults).
	 * A CPU may still store through its TLB until the flush; such a
	 * PTE was dirty, so the page is, and it is written only after. */
	pte = pgtable_exchange_nonpresent(&mm->arch.pgt, va,
					  swp_entry_to_payload(entry));
	if (!pte)
		panic("zap_anon_pte_to_swap: no present PTE at %lx", va);
	if (!tlb || !tlb_batch_add(tlb, mm, va))
		arch_flush_tlb_mm_range(&mm->arch, va, PAGE_SIZE);
	prot = fmt->attrs_to_prot(fmt->leaf_attrs(pte));
	/* A writable PTE may have been stored through whatever its dirty
	 * bit says (an arch whose bit is set by software): count it dirty. */
	if ((pte & fmt->dirty_bit) || (prot & PROT_WRITE))
		SetPageDirty(page);
	add_mm_counter(mm, MM_ANONPAGES, -1);
	add_mm_counter(mm, MM_SWAPENTS, 1);
	page_remove_rmap(page);
	put_page(page);			/* the PTE's reference */
	return 0;
}

/* The part [*s, *e) of file VMA v that maps pages [start, start + nr) of
 * mapping (nr 0 or past the end: to the end of the file); false if none. */
static bool vma_file_range(const struct vm_area_struct *v,
			   const struct address_space *mapping, pgoff_t start,
			   pgoff_t nr, unsigned long *s, unsigned long *e)
{
	pgoff_t first = v->vm_pgoff, last;

	if (!v->vm_file || v->vm_file->f_mapping != mapping)
		return false;
	last = first + ((v->vm_end - v->vm_start) >> PAGE_SHIFT);
	if (start >= last || (nr && start + nr > start && start + nr <= first))
		return false;
	*s = v->vm_start + ((max(start, first) - first) << PAGE_SHIFT);
	*e = (!nr || start + nr > last || start + nr < start) ? v->vm_end :
	     v->vm_start + ((start + nr - first) << PAGE_SHIFT);
	return true;
}

void zap_mapping_range(struct mm_struct *mm, struct address_space *mapping,
		       pgoff_t start, pgoff_t nr)
{
	struct gap_node *n;
	unsigned long s, e;

	gap_tree_for_each(n, &mm->vmas) {
		struct vm_area_struct *v = container_of(n, struct vm_area_struct,
							vm_node);

		if (vma_file_range(v, mapping, start, nr, &s, &e))
			zap_range(v, s, e, true, mapping);
	}
}

struct maps_arg {
	const struct pgtable_fmt *fmt;
	const struct address_space *mapping;
};

static int maps_page_of(unsigned long va, uint64_t *e, unsigned int level,
			void *arg)
{
	struct maps_arg *a = arg;
	uint64_t pte = READ_ONCE(*e);
	struct page *page;

	(void)va;
	if (level != 1 || !a->fmt->is_present(pte))
		return 0;
	page = pfn_to_page(PHYS_PFN(pte & a->fmt->addr_mask));
	return page && page_mapping(page) == a->mapping;
}

bool vma_maps_mapping_range(struct vm_area_struct *vma,
			    struct address_space *mapping, pgoff_t start,
			    pgoff_t nr)
{
	struct maps_arg a = { vma->vm_mm->arch.pgt.fmt, mapping };
	unsigned long s, e;

	if (!vma_file_range(vma, mapping, start, nr, &s, &e))
		return false;
	return pgtable_walk(&vma->vm_mm->arch.pgt, s, e - s, maps_page_of, &a);
}

void zap_page_range(struct vm_area_struct *vma, unsigned long start,
		    unsigned long end)
{
	zap_range(vma, start, end, true, NULL);
}

void msync_dirty_ptes(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end)
{
	unsigned long cur = start;
	struct pte_batch b;

	/* The PTE bits stay: page_mkclean clears them, with the write
	 * protection, when writeback starts (clearing one here would need a
	 * TLB flush, or the CPU would not set it again). */
	spin_lock(&vma->vm_mm->page_table_lock);	/* the pages stay */
	while (next_ptes(vma->vm_mm, &cur, end, &b))
		for (unsigned int i = 0; i < b.n; i++) {
			struct page *page = pa_page(b.pa[i]);

			if (b.dirty[i] && is_file_page(page))
				set_page_dirty(page);
		}
	spin_unlock(&vma->vm_mm->page_table_lock);
}

/* Clear the accessed bit of the PTE at va, flushing its TLB entry if it
 * was set (so the CPU sets it again on the next access). */
static void clear_young(struct mm_struct *mm, unsigned long va)
{
	uint64_t young = mm->arch.pgt.fmt->young_bit;

	if (young && (pte_update_bits(mm, va, young, 0) & young))
		arch_flush_tlb_mm_range(&mm->arch, va, PAGE_SIZE);
}

void cold_page_range(struct vm_area_struct *vma, unsigned long start,
		     unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long cur = start;
	struct pte_batch b;

	while (next_ptes(mm, &cur, end, &b))
		for (unsigned int i = 0; i < b.n; i++) {
			struct page *page = pa_page(b.pa[i]);

			/* Pages others map too are not this process's to
			 * judge (Linux skips them as well). */
			if (page_mapcount(page) != 1)
				continue;
			clear_young(mm, b.va[i]);
			deactivate_page(page);
		}
}

void pageout_page_range(struct vm_area_struct *vma, unsigned long start,
			unsigned long end, struct list_head *list)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long cur = start;
	struct pte_batch b;

	while (next_ptes(mm, &cur, end, &b))
		for (unsigned int i = 0; i < b.n; i++) {
			struct page *page = pa_page(b.pa[i]);

			/* Only pages this PTE alone maps (as Linux), and
			 * only user pages (anonymous or page cache). */
			if (page_mapcount(page) != 1 || PageReserved(page))
				continue;
			clear_young(mm, b.va[i]);
			get_page(page);
			if (!isolate_lru_page(page)) {
				put_page(page);
				continue;
			}
			list_add_tail(&page->lru, list);
		}
}

void change_protection(struct vm_area_struct *vma, unsigned long start,
		       unsigned long end)
{
	unsigned int prot = vm_pte_prot(vma->vm_flags);

	/* Private pages stay read-only: the first write decides whether
	 * the page is this mapping's alone (made writable) or shared with
	 * a fork relative (copied). Shared file pages too: the first write
	 * goes through page_mkwrite, which dirties the page. */
	if (!(vma->vm_flags & VM_SHARED) || vma->vm_ops)
		prot &= ~PROT_WRITE;
	flush_tlb_batched_pending(vma->vm_mm);
	arch_mm_protect(&vma->vm_mm->arch, start, end - start, prot);
}

/* ---------------------------------------------------------------- faults */

static bool access_allowed(const struct vm_area_struct *vma,
			   enum fault_access access)
{
	switch (access) {
	case FAULT_WRITE:
		return vma->vm_flags & VM_WRITE;
	case FAULT_EXEC:
		return vma->vm_flags & VM_EXEC;
	default:
		return vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
	}
}

/*
 * A fault below a VM_GROWSDOWN VMA: grow it down to the page of addr if
 * that stays within stack_limit below start_stack (the VMA's end when
 * exec set none) and STACK_GUARD_GAP above the VMA below. The stack VMA,
 * or NULL (SIGSEGV).
 */
static struct vm_area_struct *expand_stack(struct mm_struct *mm,
					   unsigned long addr)
{
	struct vm_area_struct *vma = vma_above(mm, addr), *prev;
	unsigned long start = addr & ~(PAGE_SIZE - 1), top, grow;
	bool writer;

	if (!vma || !(vma->vm_flags & VM_GROWSDOWN) || start < MMAP_MIN_ADDR)
		return NULL;
	top = mm->start_stack ? mm->start_stack : vma->vm_end;
	if (top < vma->vm_end)
		top = vma->vm_end;
	if (top - start > mm->stack_limit)
		return NULL;
	prev = vma_prev(mm, vma);
	if (prev && (prev->vm_end > start || start - prev->vm_end < STACK_GUARD_GAP))
		return NULL;
	grow = (vma->vm_start - start) >> PAGE_SHIFT;
	if (vma->vm_pgoff < grow)
		return NULL;
	/* A VMA change under the fault's mmap_lock: rmap walks compute
	 * addresses from vm_start and vm_pgoff, so they wait outside. (Set
	 * already: this mm's writer is us, faulting on its behalf.) */
	writer = READ_ONCE(mm->vmas_changing);
	if (!writer)
		mm_vmas_change_begin(mm);
	vma->vm_pgoff -= grow;	/* pages already there keep their index */
	vma_set_range(mm, vma, start, vma->vm_end);
	if (!writer)
		mm_vmas_change_end(mm);
	return vma;
}

/*
 * A new zeroed page for a private anonymous mapping in vma: vma's
 * anon_vma is ready for page_add_new_anon_rmap and the page is marked
 * swap-backed. NULL when out of memory (nothing else changed but, at
 * most, a new anon_vma that the VMA keeps).
 */
static struct page *alloc_anon_page(struct mm_struct *mm,
				    struct vm_area_struct *vma)
{
	struct page *page;

	if (anon_vma_prepare(vma))
		return NULL;
	page = alloc_user_page(mm);
	if (page)
		__SetPageSwapBacked(page);
	return page;
}

/*
 * Anonymous fault-around: a process writing its memory in order (a heap
 * being filled, memhog) takes one page fault per page, and under an
 * emulator the fault's entry and exit cost more than the zeroing. When a
 * fault lands right where the last one's pages ended, this one maps the
 * next few pages too, zeroed: 2, then 4, up to anon_fault_around_pages
 * (a window that doubles as readahead's does, and falls back to one page
 * at the first fault out of order). Linux gets the same effect from
 * large anonymous folios (mTHP); here they are order-0 pages, each its
 * own LRU page, swapped and migrated like any other. The cost is memory
 * mapped before it is touched, bounded by the window, the VMA's end, and
 * what the allocator gives without reclaiming.
 */
#define ANON_AROUND_MAX	64
static unsigned int anon_fault_around_pages = 16;

static const struct ctl_table anon_around_sysctls[] = {
	{ .procname = "vm.anon_fault_around_pages",
	  .data = &anon_fault_around_pages, .type = CTL_UINT,
	  .min = 1, .max = ANON_AROUND_MAX,
	  .unit = "pages one sequential anonymous fault may map (1: off)" },
};
REGISTER_SYSCTL_TABLE(anon_around_sysctls);

/* How many pages the fault at va maps, va's included (mmap_lock held). */
static unsigned int anon_fault_window(struct mm_struct *mm,
				      struct vm_area_struct *vma,
				      unsigned long va)
{
	unsigned int max = READ_ONCE(anon_fault_around_pages), n;
	unsigned long left = (vma->vm_end - va) >> PAGE_SHIFT;

	if (max <= 1 || va != mm->anon_next_fault ||
	    (vma->vm_flags & VM_GROWSDOWN)) {
		mm->anon_window = 1;
		return 1;
	}
	n = mm->anon_window * 2;
	if (n > max)
		n = max;
	if (n > left)
		n = left;
	mm->anon_window = n;
	return n;
}

/* First touch of a private page: a zeroed page of its own (and, for a
 * sequential writer, the next pages' too: above). */
static enum vm_fault_result do_anonymous_page(struct mm_struct *mm,
					      struct vm_area_struct *vma,
					      unsigned long va)
{
	struct page *pages[ANON_AROUND_MAX];
	unsigned int want = anon_fault_window(mm, vma, va), got, mapped = 0;
	unsigned int prot = vm_pte_prot(vma->vm_flags);

	/* LAB (docs/labs/02-page-faults.md): lazy zero pages. A read fault
	 * could map one shared zeroed page read-only here instead of a
	 * page of its own, and copy only on the first write. */
	pages[0] = alloc_anon_page(mm, vma);
	if (!pages[0])
		return VM_FAULT_OOM;
	/* The others only if the allocator has them at once: never a
	 * reclaim for pages nobody asked for yet. */
	for (got = 1; got < want; got++) {
		pages[got] = alloc_user_page_gfp(mm, GFP_HIGHUSER_MOVABLE &
						 ~__GFP_DIRECT_RECLAIM);
		if (!pages[got])
			break;
		__SetPageSwapBacked(pages[got]);
	}
	spin_lock(&mm->page_table_lock);
	for (unsigned int i = 0; i < got; i++) {
		unsigned long a = va + i * PAGE_SIZE;
		uint64_t pte = 0;

		/* Beyond the first, only PTEs that hold nothing (not a
		 * page, not a swap entry). */
		if (i) {
			pgtable_translate(&mm->arch.pgt, a, &pte, NULL);
			if (pte)
				break;
		}
		if (arch_mm_map(&mm->arch, a, PFN_PHYS(page_to_pfn(pages[i])),
				PAGE_SIZE, prot))
			break;
		page_add_new_anon_rmap(pages[i], vma, a);
		mapped++;
	}
	add_mm_counter(mm, MM_ANONPAGES, mapped);
	spin_unlock(&mm->page_table_lock);
	for (unsigned int i = 0; i < got; i++) {
		if (i < mapped)
			lru_cache_add(pages[i]);	/* inactive anon */
		else
			put_user_page(pages[i]);
	}
	if (!mapped)
		return VM_FAULT_OOM;
	if (mapped > 1)
		count_vm_events(PGFAULT_AROUND, mapped - 1);
	mm->anon_next_fault = va + mapped * PAGE_SIZE;
	if (mapped < want)
		mm->anon_window = mapped;	/* grow again from here */
	return VM_FAULT_DONE;
}

/* A shared anonymous page: the object's page at this offset, found,
 * read back from swap or new (mm/shared_anon.h), mapped with its lock
 * held so reclaim's unmap-then-move cannot miss this PTE. */
static enum vm_fault_result do_shared_page(struct mm_struct *mm,
					   struct vm_area_struct *vma,
					   unsigned long va)
{
	pgoff_t idx = linear_page_index(vma, va);
	struct page *page;
	bool major;
	int err;

	if (idx >= vma->shared->nr_pages)
		return VM_FAULT_SIGSEGV;
	err = shared_anon_get_page(vma->shared, idx, mm, &page, &major);
	switch (err) {
	case 0:
		break;
	case -EAGAIN:
		return VM_FAULT_RETRY;	/* mmap_lock was dropped */
	case -EIO:
		return VM_FAULT_BUS;	/* reported: the slot's read failed */
	default:
		return VM_FAULT_OOM;
	}
	if (major) {
		mm->pgmajfault++;
		count_vm_event(PGMAJFAULT);
	}
	spin_lock(&mm->page_table_lock);
	if (arch_mm_map(&mm->arch, va, PFN_PHYS(page_to_pfn(page)), PAGE_SIZE,
			vm_pte_prot(vma->vm_flags))) {
		spin_unlock(&mm->page_table_lock);
		unlock_page_wake(page);
		put_page(page);
		return VM_FAULT_OOM;
	}
	page_dup_rmap(page);		/* our reference is the PTE's now */
	add_mm_counter(mm, MM_SHMEMPAGES, 1);
	spin_unlock(&mm->page_table_lock);
	unlock_page_wake(page);
	return VM_FAULT_DONE;
}

/*
 * A write to a present read-only page of a private writable VMA: the page
 * is shared copy-on-write (after fork) or was made read-only by mprotect.
 * If this PTE is its only mapping and nobody else holds it, it becomes
 * writable in place; otherwise this mapping gets a copy of its own.
 */
static enum vm_fault_result do_wp_page(struct mm_struct *mm,
				       struct vm_area_struct *vma,
				       unsigned long va, phys_addr_t pa)
{
	struct page *old = pa_page(pa), *page;
	unsigned int prot = vm_pte_prot(vma->vm_flags);

	if (!get_page_if_mapped(mm, va, old))
		return VM_FAULT_DONE;
	/* A page back from swap that only this PTE uses: its slot copy is
	 * about to be stale, let it go (the cache's reference with it). */
	if (PageAnon(old) && PageSwapCache(old) && page_mapcount(old) == 1 &&
	    trylock_page(old)) {
		try_to_free_swap(old);
		unlock_page_wake(old);
	}
	/* LAB (docs/labs/02-page-faults.md): copy-on-write. The reuse test
	 * and the copy below are what the lab asks students to write. Two
	 * references: the PTE's and ours. */
	spin_lock(&mm->page_table_lock);
	if (PageAnon(old) && page_mapcount(old) == 1 && page_count(old) == 2 &&
	    pte_maps_page(mm, va, old)) {
		arch_mm_protect(&mm->arch, va, PAGE_SIZE, prot);
		spin_unlock(&mm->page_table_lock);
		put_page(old);
		return VM_FAULT_DONE;
	}
	spin_unlock(&mm->page_table_lock);
	/* The allocation may reclaim, and reclaim may unmap old from this
	 * very mm: we hold old, and look again before the switch. */
	page = alloc_anon_page(mm, vma);
	if (!page) {
		put_page(old);
		return VM_FAULT_OOM;
	}
	/* A CPU could still store into old through a translation reclaim's
	 * batch has not flushed yet (old came back from the swap cache
	 * read-only): that store would miss the copy. */
	flush_tlb_batched_pending(mm);
	/* No store reaches old meanwhile: every PTE of it is read-only. */
	memcpy(page_address(page), page_address(old), PAGE_SIZE);
	spin_lock(&mm->page_table_lock);
	if (!pte_maps_page(mm, va, old)) {
		/* Unmapped meanwhile (only reclaim can: this mm's faults wait
		 * for its mmap_lock): fault again. */
		spin_unlock(&mm->page_table_lock);
		put_user_page(page);
		put_page(old);
		return VM_FAULT_DONE;
	}
	arch_mm_unmap(&mm->arch, va, PAGE_SIZE);
	add_mm_counter(mm, page_counter(old), -1);
	page_remove_rmap(old);
	/* The level-1 table stays after an unmap: this map needs no memory. */
	if (arch_mm_map(&mm->arch, va, PFN_PHYS(page_to_pfn(page)), PAGE_SIZE,
			prot))
		panic("do_wp_page: remap of %lx failed", va);
	page_add_new_anon_rmap(page, vma, va);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	spin_unlock(&mm->page_table_lock);
	put_page(old);			/* the PTE's */
	put_page(old);			/* ours */
	lru_cache_add(page);		/* inactive anon: reclaim sees it */
	return VM_FAULT_DONE;
}

/* ---------------------------------------------------------------- files */

static enum vm_fault_result fault_error(vm_fault_t ret)
{
	if (ret & VM_FAULT_ERR_OOM)
		return VM_FAULT_OOM;
	return VM_FAULT_BUS;
}

/*
 * Ask the file (vm_ops->page_mkwrite, the page cache's: it dirties the
 * page) before a shared file page becomes writable; the page is held by
 * the caller, unlocked, and is unlocked again on return. 0 (go on),
 * VM_FAULT_NOPAGE (the page was truncated meanwhile: map nothing, the
 * access faults again), VM_FAULT_SIGBUS or VM_FAULT_ERR_OOM.
 */
static vm_fault_t do_page_mkwrite(struct vm_area_struct *vma,
				  unsigned long va, struct page *page)
{
	struct vm_fault vmf = {
		.vma = vma, .address = va, .page = page,
		.pgoff = linear_page_index(vma, va), .flags = FAULT_FLAG_WRITE,
	};
	vm_fault_t ret;

	if (!vma->vm_ops->page_mkwrite)
		return 0;
	ret = vma->vm_ops->page_mkwrite(&vmf);
	if (ret & VM_FAULT_LOCKED)
		unlock_page_wake(page);
	ret &= VM_FAULT_SIGBUS | VM_FAULT_ERR_OOM | VM_FAULT_NOPAGE;
	/* Stores through a shared mapping dirty the file as write() does,
	 * and are throttled the same way (the page lock is dropped: the
	 * writer may sleep here; killed while it does, it dies on its way
	 * back to user mode, before its next store). */
	if (!ret && vma->vm_file && vma->vm_file->f_mapping)
		(void)balance_dirty_pages_ratelimited(vma->vm_file->f_mapping);
	return ret;
}

/*
 * No PTE in a file VMA: vm_ops->fault finds (or reads) the page. A read,
 * or any access to a private mapping but a write, maps the cache's page
 * read-only; a write to a private mapping maps a copy of its own (an
 * anonymous page: the file is not changed); a write to a shared mapping
 * asks page_mkwrite, then maps the page writable and dirty.
 */
static enum vm_fault_result do_file_fault(struct mm_struct *mm,
					  struct vm_area_struct *vma,
					  unsigned long va,
					  enum fault_access access)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	bool write = access == FAULT_WRITE;
	struct vm_fault vmf = {
		.vma = vma, .address = va, .pgoff = linear_page_index(vma, va),
		.flags = write ? FAULT_FLAG_WRITE : 0,
	};
	unsigned int prot = vm_pte_prot(vma->vm_flags) & ~PROT_WRITE;
	struct page *page, *copy;
	vm_fault_t ret;

	ret = vma->vm_ops->fault(&vmf);
	if (ret & (VM_FAULT_SIGBUS | VM_FAULT_ERR_OOM))
		return fault_error(ret);
	if (ret & VM_FAULT_NOPAGE)
		return VM_FAULT_DONE;
	page = vmf.page;
	if (ret & VM_FAULT_MAJOR) {
		mm->pgmajfault++;
		count_vm_event(PGMAJFAULT);
	}
	if (ret & VM_FAULT_LOCKED)
		unlock_page_wake(page);

	if (write && !(vma->vm_flags & VM_SHARED)) {
		/* A private file page written at once is copied at once
		 * (the file's page is never mapped writable here). */
		copy = alloc_anon_page(mm, vma);
		if (!copy) {
			put_page(page);
			return VM_FAULT_OOM;
		}
		memcpy(page_address(copy), page_address(page), PAGE_SIZE);
		put_page(page);
		spin_lock(&mm->page_table_lock);
		if (arch_mm_map(&mm->arch, va, PFN_PHYS(page_to_pfn(copy)),
				PAGE_SIZE, vm_pte_prot(vma->vm_flags))) {
			spin_unlock(&mm->page_table_lock);
			put_user_page(copy);
			return VM_FAULT_OOM;
		}
		page_add_new_anon_rmap(copy, vma, va);
		add_mm_counter(mm, MM_ANONPAGES, 1);
		spin_unlock(&mm->page_table_lock);
		lru_cache_add(copy);
		return VM_FAULT_DONE;
	}
	if (write) {
		ret = do_page_mkwrite(vma, va, page);
		if (ret) {
			put_page(page);
			return ret == VM_FAULT_NOPAGE ? VM_FAULT_DONE :
			       fault_error(ret);
		}
		prot |= PROT_WRITE;
	}
	/* The fault's reference becomes the PTE's. */
	spin_lock(&mm->page_table_lock);
	if (arch_mm_map(&mm->arch, va, PFN_PHYS(page_to_pfn(page)), PAGE_SIZE,
			prot)) {
		spin_unlock(&mm->page_table_lock);
		put_page(page);
		return VM_FAULT_OOM;
	}
	if (write)
		pte_update_bits(mm, va, 0, fmt->dirty_bit);
	page_add_file_rmap(page);
	add_mm_counter(mm, MM_FILEPAGES, 1);
	spin_unlock(&mm->page_table_lock);
	return VM_FAULT_DONE;
}

/* A write to a present read-only page of a shared file mapping: the
 * first store since it was mapped or cleaned (page_mkclean). */
static enum vm_fault_result do_shared_wp(struct mm_struct *mm,
					 struct vm_area_struct *vma,
					 unsigned long va, phys_addr_t pa)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	struct page *page = pa_page(pa);
	vm_fault_t ret;

	if (!get_page_if_mapped(mm, va, page))
		return VM_FAULT_DONE;
	ret = do_page_mkwrite(vma, va, page);
	spin_lock(&mm->page_table_lock);
	if (!ret && pte_maps_page(mm, va, page)) {
		arch_mm_protect(&mm->arch, va, PAGE_SIZE,
				vm_pte_prot(vma->vm_flags));
		pte_update_bits(mm, va, 0, fmt->dirty_bit);
	}
	spin_unlock(&mm->page_table_lock);
	put_page(page);
	if (ret && ret != VM_FAULT_NOPAGE)
		return fault_error(ret);
	return VM_FAULT_DONE;
}

/* ---------------------------------------------------------------- swap-in */

/*
 * Map page (locked, in the swap cache for entry, read) at va in place of
 * the PTE's swap entry, and give back the entry's slot reference. Mapped
 * writable only when this is a write and nobody else has the page or the
 * slot (else do_wp_page copies on the write). With swap more than half
 * full, a page only this PTE needed leaves the swap cache at once.
 * 0; 1 if the PTE no longer holds entry (nothing done); -ENOMEM.
 */
static int map_swapped_page(struct mm_struct *mm, struct vm_area_struct *vma,
			    unsigned long va, struct page *page,
			    swp_entry_t entry, bool write)
{
	unsigned int prot = vm_pte_prot(vma->vm_flags);
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	uint64_t pte = 0;
	bool exclusive;

	if (anon_vma_prepare(vma))
		return -ENOMEM;
	exclusive = swap_count(entry) == 1 && !page_mapped(page);
	if (!(write && exclusive))
		prot &= ~PROT_WRITE;
	spin_lock(&mm->page_table_lock);
	/* Still the entry the caller read? (Under the mmap_lock a reader
	 * holds, only another reader could have changed it: swapoff's
	 * unuse_mm and a fault of this mm.) */
	pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	if (fmt->is_present(pte) || !pte ||
	    fmt->nonpresent_payload(pte) != swp_entry_to_payload(entry)) {
		spin_unlock(&mm->page_table_lock);
		return 1;
	}
	pgtable_unmap(&mm->arch.pgt, va, PAGE_SIZE);	/* the entry */
	if (arch_mm_map(&mm->arch, va, PFN_PHYS(page_to_pfn(page)), PAGE_SIZE,
			prot)) {
		/* The table is there, the map cannot fail... put the entry
		 * back all the same. */
		pgtable_set_nonpresent(&mm->arch.pgt, va,
				       swp_entry_to_payload(entry));
		spin_unlock(&mm->page_table_lock);
		return -ENOMEM;
	}
	if (!page_mapped(page))
		page_add_new_anon_rmap(page, vma, va);
	else
		page_dup_rmap(page);
	get_page(page);			/* the PTE's reference */
	add_mm_counter(mm, MM_ANONPAGES, 1);
	add_mm_counter(mm, MM_SWAPENTS, -1);
	spin_unlock(&mm->page_table_lock);
	swap_free(entry);
	/* A slot whose write failed (PG_error) is let go as soon as no
	 * PTE names it: the page then gets a good slot next time. */
	if (exclusive && (write || vm_swap_full() || PageError(page)) &&
	    try_to_free_swap(page))
		ClearPageError(page);
	return 0;
}

/*
 * Swap-in fault-around: the PTEs after va in this VMA whose pages are
 * already in the swap cache, read and unlocked (readahead brought them
 * with the faulting one: reclaim wrote neighbouring pages to
 * neighbouring slots), are mapped now, with no I/O, as the faulting page
 * was (writable only for a write to a page nobody else has). A process
 * reading its memory back in order then takes one fault per readahead
 * window, not one per page. Up to min(anon_fault_around_pages,
 * swap_ra_pages) - 1 pages; stops at the first PTE that is not such an
 * entry. Each counts pgfault_around, and swap_ra_hit if readahead brought
 * it (it is used: mapped for the process).
 */
static void swapin_fault_around(struct mm_struct *mm,
				struct vm_area_struct *vma, unsigned long va,
				bool write)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	unsigned int max = READ_ONCE(anon_fault_around_pages), mapped = 0;

	if (max > READ_ONCE(swap_ra_pages))
		max = READ_ONCE(swap_ra_pages);
	for (unsigned int i = 1; i < max; i++) {
		unsigned long a = va + i * PAGE_SIZE;
		uint64_t pte = 0, payload;
		struct page *page;
		swp_entry_t e;
		int r = -1;

		if (a >= vma->vm_end)
			break;
		/* Read without the lock: map_swapped_page looks again. */
		pgtable_translate(&mm->arch.pgt, a, &pte, NULL);
		if (!pte || fmt->is_present(pte))
			break;
		payload = fmt->nonpresent_payload(pte);
		if (!is_swap_payload(payload))
			break;
		e = payload_to_swp_entry(payload);
		if (!swap_info_get(e) || !(page = lookup_swap_cache(e)))
			break;
		if (trylock_page(page)) {
			if (PageSwapCache(page) &&
			    page_swap_entry(page).val == e.val &&
			    PageUptodate(page) && !PageError(page))
				r = map_swapped_page(mm, vma, a, page, e, write);
			unlock_page_wake(page);
		}
		put_page(page);
		if (r)
			break;
		mapped++;
	}
	if (mapped)
		count_vm_events(PGFAULT_AROUND, mapped);
}

static enum vm_fault_result do_swap_page(struct mm_struct *mm,
					 struct vm_area_struct *vma,
					 unsigned long va,
					 enum fault_access access,
					 uint64_t payload)
{
	swp_entry_t entry = payload_to_swp_entry(payload);
	struct page *page;
	bool major;
	int err;

	/* A migrator holds this mm's lock for as long as its entries are
	 * in the table (mm/migrate.h): one seen here was left behind. */
	if (is_migration_payload(payload))
		panic("mm: a fault at %#lx found a migration entry for pfn "
		      "%#lx: migration left it without holding the mm's lock "
		      "(mm/migrate.c)", va, migration_payload_pfn(payload));
	if (!is_swap_payload(payload) || !swap_info_get(entry)) {
		pr_err("mm: bad swap entry %#lx at %#lx (area %u is not on):"
		       " the process that touched it is killed\n", entry.val,
		       va, swp_type(entry));
		return VM_FAULT_BUS;
	}
	page = swapin_readahead(entry, vma, va, &major);
	if (!page) {
		/* No memory, or the slot was freed (then the PTE changed
		 * under us, which the mmap_lock we hold rules out). */
		return VM_FAULT_OOM;
	}
	if (!trylock_page(page)) {
		/* The read is still on its way. Where the fault may be tried
		 * again, wait for it without mmap_lock: held, it would keep
		 * reclaim's rmap out of this whole process for the length
		 * of a disk read (every page it scanned of ours counted as
		 * busy), as Linux's lock_page_or_retry avoids. */
		if (current_fault_may_retry()) {
			mmap_read_unlock(mm);
			wait_on_page_locked(page);
			put_page(page);
			return VM_FAULT_RETRY;
		}
		lock_page(page);	/* waits for the read */
	}
	if (!PageSwapCache(page) || page_swap_entry(page).val != entry.val) {
		/* Left the cache meanwhile (no memory to read it): look at
		 * the PTE again. */
		unlock_page_wake(page);
		put_page(page);
		return VM_FAULT_DONE;
	}
	if (!PageUptodate(page)) {
		struct swap_info_struct *si = swap_info_get(entry);

		pr_err("mm: swap-in of %#lx failed: read error on %s slot %lu;"
		       " the process that needed it is killed\n", va,
		       si->backend->name, swp_offset(entry));
		/* Out of the cache, so a later fault reads the slot again. */
		if (PageError(page) && !page_mapped(page))
			delete_from_swap_cache(page);
		unlock_page_wake(page);
		put_page(page);
		return VM_FAULT_BUS;
	}
	if (major) {
		mm->pgmajfault++;
		count_vm_event(PGMAJFAULT);
	}
	err = map_swapped_page(mm, vma, va, page, entry,
			       access == FAULT_WRITE);
	unlock_page_wake(page);
	put_page(page);			/* swapin's reference */
	if (!err)
		swapin_fault_around(mm, vma, va, access == FAULT_WRITE);
	/* (1: the PTE changed meanwhile; the fault looks again.) */
	return err < 0 ? VM_FAULT_OOM : VM_FAULT_DONE;
}

static enum vm_fault_result fault_locked(struct mm_struct *mm,
					 unsigned long addr,
					 enum fault_access access);

/* The fault with mm->mmap_lock held: reclaim entered from it may work on
 * mm too (current_locked_mm, kernel/wait.h). */
enum vm_fault_result __handle_mm_fault(struct mm_struct *mm,
				       unsigned long addr,
				       enum fault_access access)
{
	struct mm_struct *prev = current_locked_mm();
	enum vm_fault_result r;

	set_current_locked_mm(mm);
	r = fault_locked(mm, addr, access);
	set_current_locked_mm(prev);
	return r;
}

static enum vm_fault_result fault_locked(struct mm_struct *mm,
					 unsigned long addr,
					 enum fault_access access)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	unsigned long va = addr & ~(PAGE_SIZE - 1);
	struct vm_area_struct *vma;
	unsigned int have, want;
	uint64_t pte = 0, again = 0;
	phys_addr_t pa;

	mm->pgfault++;
	count_vm_event(PGFAULT);
	if (addr >= TASK_SIZE)
		return VM_FAULT_SIGSEGV;
	vma = find_vma(mm, addr);
	if (!vma)
		vma = expand_stack(mm, addr);
	if (!vma || !access_allowed(vma, access))
		return VM_FAULT_SIGSEGV;
	pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	if (!fmt->is_present(pte)) {
		if (pte)
			return do_swap_page(mm, vma, va, access,
					    fmt->nonpresent_payload(pte));
		if (vma->vm_ops)
			return do_file_fault(mm, vma, va, access);
		if (vma->vm_flags & VM_SHARED)
			return do_shared_page(mm, vma, va);
		return do_anonymous_page(mm, vma, va);
	}
	have = fmt->attrs_to_prot(fmt->leaf_attrs(pte));
	pa &= ~(phys_addr_t)(PAGE_SIZE - 1);
	if (access == FAULT_WRITE && !(have & PROT_WRITE)) {
		if (!(vma->vm_flags & VM_SHARED))
			return do_wp_page(mm, vma, va, pa);
		if (vma->vm_ops)
			return do_shared_wp(mm, vma, va, pa);
	}
	/* The rest changes the PTE: under page_table_lock, and only if it is
	 * still the one read above (reclaim may have unmapped the page or
	 * write-protected it for writeback since): else the access faults
	 * again and finds what is there now. */
	spin_lock(&mm->page_table_lock);
	if (pgtable_translate(&mm->arch.pgt, va, &again, NULL) != pa ||
	    ((again ^ pte) & ~(fmt->young_bit | fmt->dirty_bit))) {
		spin_unlock(&mm->page_table_lock);
		return VM_FAULT_DONE;
	}
	want = vm_pte_prot(vma->vm_flags);
	if (!(vma->vm_flags & VM_SHARED) || vma->vm_ops)
		want = (want & ~PROT_WRITE) | (have & PROT_WRITE);
	if ((have & (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_USER)) != want)
		arch_mm_protect(&mm->arch, va, PAGE_SIZE, want);
	else if (fmt->young_bit && !(pte & fmt->young_bit))
		/* page_referenced cleared the accessed bit and the CPU does
		 * not set it itself (arm64: an access-flag fault). */
		pte_update_bits(mm, va, 0, fmt->young_bit);
	/* Otherwise spurious: another CPU's stale TLB entry, already fixed. */
	spin_unlock(&mm->page_table_lock);
	return VM_FAULT_DONE;
}

/* Tries of a user fault that ran out of memory under its lock (fault_gfp)
 * before the last, which reclaims under it. */
#define FAULT_RETRIES	8

enum vm_fault_result handle_mm_fault(struct mm_struct *mm, unsigned long addr,
				     enum fault_access access)
{
	enum vm_fault_result r;

	for (int tries = 0;; tries++) {
		struct page *page;

		/* The last try reclaims under the lock, as before. */
		set_current_fault_may_retry(tries < FAULT_RETRIES);
		mmap_read_lock(mm);
		r = __handle_mm_fault(mm, addr, access);
		if (r != VM_FAULT_RETRY)	/* RETRY dropped it */
			mmap_read_unlock(mm);
		set_current_fault_may_retry(false);
		if (r == VM_FAULT_RETRY)
			continue;	/* waited for a read: look again */
		if (r != VM_FAULT_OOM || tries == FAULT_RETRIES)
			return r;
		/* Reclaim (or the OOM killer) without the lock: a page's
		 * worth, given back at once for the next try to take. Not a
		 * movable page: what failed may be a page table (never
		 * movable), and a movable allocation is served from CMA's
		 * free pages without reclaiming anything, so the table's
		 * allocation would fail again until the OOM killer came
		 * (cma_user.thousand_takes_under_load on -smp 4). */
		page = alloc_user_page_gfp(mm, GFP_USER);
		if (!page)
			return VM_FAULT_OOM;
		put_user_page(page);
	}
}

/* ---------------------------------------------------------------- lifetime */

/* Every mm, for swapoff's search (Linux keeps only those that have been
 * swapped from; one list of all is simpler and costs a link). */
static spinlock_t mmlist_lock = SPINLOCK_INIT("mmlist_lock");
static struct list_head mmlist = LIST_HEAD_INIT(mmlist);

void mm_vmas_change_begin(struct mm_struct *mm)
{
	spin_lock(&mm->page_table_lock);
	BUG_ON(mm->vmas_changing);	/* the mutex lets one writer in */
	mm->vmas_changing = true;
	spin_unlock(&mm->page_table_lock);
	/* No walk enters now; those inside leave within a look at a few
	 * PTEs (they never sleep there), the last one waking us. */
	wait_event(mm->rmap_wq, !READ_ONCE(mm->rmap_walkers));
	spin_lock(&mm->page_table_lock);	/* the last one's wake-up is over */
	spin_unlock(&mm->page_table_lock);
}

void mm_vmas_change_end(struct mm_struct *mm)
{
	spin_lock(&mm->page_table_lock);
	mm->vmas_changing = false;
	spin_unlock(&mm->page_table_lock);
}

struct mm_struct *mm_alloc_node(pg_data_t *node, struct kmalloc_set *ks)
{
	struct mm_struct *mm = ks ?
		kmalloc_from(ks, sizeof(*mm), GFP_KERNEL | __GFP_ZERO) :
		kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	mutex_init(&mm->mmap_lock, "mmap_lock");
	spin_lock_init(&mm->page_table_lock, "page_table_lock");
	init_waitqueue_head(&mm->rmap_wq, "rmap_wq");
	mm->users = 1;
	mm->node = node;
	mm->ks = ks;
	gap_tree_init(&mm->vmas, MMAP_MIN_ADDR >> PAGE_SHIFT,
		      (TASK_SIZE >> PAGE_SHIFT) - 1);
	mm->stack_limit = DEFAULT_STACK_LIMIT;
	mm->mmap_base = TASK_SIZE - MMAP_BASE_GAP - DEFAULT_STACK_LIMIT;
	if (arch_mm_create(&mm->arch)) {
		kfree(mm);
		return NULL;
	}
	spin_lock(&mmlist_lock);
	list_add_tail(&mm->mmlist, &mmlist);
	spin_unlock(&mmlist_lock);
	return mm;
}

struct mm_struct *mm_alloc(void)
{
	return mm_alloc_node(NULL, NULL);
}

bool mmget_not_zero(struct mm_struct *mm)
{
	int n = __atomic_load_n(&mm->users, __ATOMIC_RELAXED);

	while (n)
		if (__atomic_compare_exchange_n(&mm->users, &n, n + 1, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return true;
	return false;
}

void mmget(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->users, 1, __ATOMIC_RELAXED);
}

/* Fork: the child's PTEs name the same slots (one more reference each);
 * the page comes back once, into each process that faults on it. */
static int copy_swap_entries(struct mm_struct *old, struct mm_struct *new,
			     struct vm_area_struct *vma)
{
	unsigned long cur = vma->vm_start;
	struct swp_batch b = { .type = MAX_SWAPFILES };

	while (next_swp(old, &cur, vma->vm_end, &b))
		for (unsigned int i = 0; i < b.n; i++) {
			if (swap_duplicate(b.entry[i]))
				return -ENOMEM;
			if (pgtable_set_nonpresent(&new->arch.pgt, b.va[i],
					swp_entry_to_payload(b.entry[i]))) {
				swap_free(b.entry[i]);
				return -ENOMEM;
			}
			add_mm_counter(new, MM_SWAPENTS, 1);
		}
	return 0;
}

/* Copy vma's PTEs from old to new (fork), private writable pages
 * read-only in both. 0 or -ENOMEM. */
/* fork of a pinned anonymous page at va: a copy for the child, the page
 * writable again for the parent (copy_ptes write-protected it). */
static int copy_pinned_pte(struct mm_struct *old, struct mm_struct *new,
			   struct vm_area_struct *vma, unsigned long va,
			   struct page *page)
{
	unsigned int prot = vm_pte_prot(vma->vm_flags);
	struct page *copy = alloc_user_page(new);

	if (!copy)
		return -ENOMEM;
	memcpy(page_address(copy), page_address(page), PAGE_SIZE);
	if (arch_mm_map(&new->arch, va, PFN_PHYS(page_to_pfn(copy)),
			PAGE_SIZE, prot)) {
		put_user_page(copy);
		return -ENOMEM;
	}
	page_add_new_anon_rmap(copy, vma, va);	/* same anon_vma, index */
	lru_cache_add(copy);
	add_mm_counter(new, MM_ANONPAGES, 1);
	arch_mm_protect(&old->arch, va, PAGE_SIZE, prot);
	return 0;
}

static int copy_ptes(struct mm_struct *old, struct mm_struct *new,
		     struct vm_area_struct *vma)
{
	unsigned long cur = vma->vm_start;
	struct pte_batch b;

	if (!(vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE))
		arch_mm_protect(&old->arch, vma->vm_start,
				vma->vm_end - vma->vm_start,
				vm_pte_prot(vma->vm_flags) & ~PROT_WRITE);
	while (next_ptes(old, &cur, vma->vm_end, &b)) {
		for (unsigned int i = 0; i < b.n; i++) {
			struct page *page = pa_page(b.pa[i]);

			/* A pinned anonymous page (a device may be writing
			 * it) is not shared copy-on-write: the parent's next
			 * store would move the parent to a copy and leave the
			 * device's data to the child. The child gets its copy
			 * now, and the parent keeps the page, writable (Linux's
			 * page_needs_cow_for_dma). */
			if (PageAnon(page) && page_maybe_dma_pinned(page) &&
			    (vma->vm_flags & VM_WRITE)) {
				if (copy_pinned_pte(old, new, vma, b.va[i], page))
					return -ENOMEM;
				continue;
			}
			if (arch_mm_map(&new->arch, b.va[i], b.pa[i], PAGE_SIZE,
					b.prot[i]))
				return -ENOMEM;
			/* A writable shared file page is dirty (it went
			 * through page_mkwrite): the child's PTE says so too,
			 * so page_mkclean finds it. */
			if (vma->vm_ops && (b.prot[i] & PROT_WRITE))
				pte_update_bits(new, b.va[i], 0,
						new->arch.pgt.fmt->dirty_bit);
			get_page(page);
			page_dup_rmap(page);
			add_mm_counter(new, page_counter(page), 1);
		}
	}
	return copy_swap_entries(old, new, vma);
}

struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *new = mm_alloc_node(old->node, old->ks);
	struct gap_node *n;
	int r = 0;

	if (!new)
		return NULL;
	mmap_write_lock(old);
	/* The child's VMAs join the parent's anon_vmas and files as they are
	 * copied, where rmap walks find them: its gate stays closed until
	 * its page table is whole. And it is on the mm list already, where
	 * swapoff's search (try_to_unuse) finds it and walks its VMAs under
	 * its mmap_lock: held, as Linux's dup_mmap holds both. */
	mmap_write_lock(new);
	/* Only this thread changes new's table, with no spinlock held: its
	 * tables may reclaim before they take the reserves (GFP_ATOMIC). */
	new->arch.pgt.may_sleep = true;
	/* No store through a stale translation may reach a page the child
	 * now shares (reclaim's batch: mm/rmap.h). */
	flush_tlb_batched_pending(old);
	new->start_brk = old->start_brk;
	new->brk = old->brk;
	new->start_stack = old->start_stack;
	new->stack_limit = old->stack_limit;
	new->mmap_base = old->mmap_base;
	new->arg_start = old->arg_start;
	new->arg_end = old->arg_end;
	new->env_start = old->env_start;
	new->env_end = old->env_end;
	gap_tree_for_each(n, &old->vmas) {
		struct vm_area_struct *v = container_of(n, struct vm_area_struct,
							vm_node), *nv;

		if (v->vm_flags & VM_DONTCOPY)
			continue;
		nv = vma_dup(new, v);
		if (!nv) {
			r = -ENOMEM;
			break;
		}
		if (vma_insert(new, nv))
			panic("dup_mm: VMAs overlap");
		r = copy_ptes(old, new, v);
		if (r)
			break;
	}
	new->arch.pgt.may_sleep = false;
	mmap_write_unlock(new);
	mmap_write_unlock(old);
	if (r) {
		mmput(new);
		return NULL;
	}
	return new;
}

void mmput(struct mm_struct *mm)
{
	struct gap_node *n;

	if (__atomic_sub_fetch(&mm->users, 1, __ATOMIC_ACQ_REL))
		return;
	spin_lock(&mmlist_lock);
	list_del(&mm->mmlist);
	spin_unlock(&mmlist_lock);
	/* Nobody runs in it: unmap without TLB flushes (its ASID/PCID is
	 * not reused before a flush, mm/asid.h). The lock keeps rmap walks
	 * (which reach this mm through its VMAs, with a trylock) out. */
	mmap_write_lock(mm);
	while ((n = gap_tree_first(&mm->vmas))) {
		struct vm_area_struct *v = container_of(n, struct vm_area_struct,
							vm_node);

		zap_range(v, v->vm_start, v->vm_end, false, NULL);
		vma_unlink(mm, v);
		vma_free(v);
	}
	mmap_write_unlock(mm);
	arch_mm_destroy(&mm->arch);
	kfree(mm);
}

/* ---------------------------------------------------------------- remote */

/*
 * Looks at one page's PTE before access_remote_vm gives up on it. Each
 * retry follows a change by someone else (reclaim or a file's
 * try_to_unmap took the PTE away between our fault and our look, which
 * needs no mmap_lock): with 3, a vCPU held up mid-access on a busy host
 * while another CPU unmapped the same page twice could fail an access
 * that should succeed (Linux's get_user_pages retries such faults
 * without a bound).
 */
#define REMOTE_TRIES	32

/*
 * access_remote_vm's fault at va, mmap_lock held (and held again on
 * return), as handle_mm_fault makes it: while it may be tried again, it
 * waits for a swap read and reclaims without the lock, and its page
 * tables leave the reserves alone (pgtable->user); only the last of
 * FAULT_RETRIES tries that ran out of memory reclaims under the lock and
 * may take them. *ooms counts those tries for this page. 0: look at the
 * PTE again; -EFAULT, -ENOMEM: the access fails here.
 */
static int remote_fault(struct mm_struct *mm, unsigned long va,
			enum fault_access a, int *ooms)
{
	bool was = current_fault_may_retry();
	enum vm_fault_result r;
	struct page *page;

	set_current_fault_may_retry(*ooms < FAULT_RETRIES);
	r = __handle_mm_fault(mm, va, a);
	set_current_fault_may_retry(was);
	if (r == VM_FAULT_RETRY) {	/* it dropped the lock to wait */
		mmap_read_lock(mm);
		return 0;
	}
	if (r == VM_FAULT_DONE)
		return 0;
	if (r != VM_FAULT_OOM)
		return -EFAULT;
	if (*ooms == FAULT_RETRIES)
		return -ENOMEM;
	(*ooms)++;
	/* A page's worth of reclaim without the lock (handle_mm_fault says
	 * why a page that is not movable). */
	mmap_read_unlock(mm);
	page = alloc_user_page_gfp(mm, GFP_USER);
	mmap_read_lock(mm);
	if (!page)
		return -ENOMEM;
	put_user_page(page);
	return 0;
}

size_t access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf,
			size_t len, bool write)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	enum fault_access a = write ? FAULT_WRITE : FAULT_READ;
	size_t done = 0;
	int tries = 0, ooms = 0;

	mmap_read_lock(mm);
	while (done < len) {
		unsigned long va = addr + done;
		size_t off = va & (PAGE_SIZE - 1);
		size_t chunk = min(PAGE_SIZE - off, len - done);
		struct vm_area_struct *vma = find_vma(mm, va);
		uint64_t pte = 0;
		phys_addr_t pa = 0;
		unsigned int have = 0;
		struct page *page;
		char *p;

		if (va < addr || va >= TASK_SIZE)
			break;
		if (vma && access_allowed(vma, a)) {
			pa = pgtable_translate(&mm->arch.pgt, va - off, &pte, NULL);
			if (fmt->is_present(pte))
				have = fmt->attrs_to_prot(fmt->leaf_attrs(pte));
		}
		if (!(have & PROT_USER) || (write && !(have & PROT_WRITE))) {
			/* As the user access would: fault it in, or fail. */
			if (++tries > REMOTE_TRIES ||
			    remote_fault(mm, va, a, &ooms))
				break;
			continue;
		}
		/* A reference, as get_user_pages takes one, while the PTE
		 * still maps the page: reclaim may unmap and free it
		 * (try_to_unmap needs no mmap_lock, only page_table_lock).
		 * If the PTE moved, look again (REMOTE_TRIES times in a
		 * row at most: a page that never gives a reference is not
		 * one this can write). */
		page = pa_page(pa);
		spin_lock(&mm->page_table_lock);
		if (pgtable_translate(&mm->arch.pgt, va - off, &pte, NULL) != pa ||
		    !fmt->is_present(pte) || !get_page_unless_zero(page)) {
			spin_unlock(&mm->page_table_lock);
			if (++tries > REMOTE_TRIES)
				break;
			continue;
		}
		/* As the MMU would: accessed, and dirty after a store. */
		pte_update_bits(mm, va - off, 0, fmt->young_bit |
				(write ? fmt->dirty_bit : 0));
		spin_unlock(&mm->page_table_lock);
		tries = 0;
		ooms = 0;
		p = (char *)page_address(page) + off;
		if (write)
			memcpy(p, (char *)buf + done, chunk);
		else
			memcpy((char *)buf + done, p, chunk);
		/* And the page dirty after the store, as Linux's
		 * set_page_dirty_lock there: a write-back that cleaned it
		 * (page_mkclean) between our look at the PTE and the copy
		 * would leave the new bytes in a clean page, never written
		 * (vm_smp.shared_file_on_every_cpu caught it once in a full
		 * run: a shared file page held an older value after msync).
		 * The MMU's own store cannot do that: the TLB flush after
		 * page_mkclean stops it. */
		if (write && is_file_page(page)) {
			lock_page(page);
			set_page_dirty(page);
			unlock_page_wake(page);
		}
		put_page(page);
		done += chunk;
	}
	mmap_read_unlock(mm);
	return done;
}

/* ---------------------------------------------------------------- swapoff */

/*
 * The next batch of mm's entries of area b->type at or above *cur, in
 * its VMA (returned; NULL: none left). mmap_lock held (read); the table
 * is read under page_table_lock, as reclaim changes it beside us.
 */
static struct vm_area_struct *next_unuse_batch(struct mm_struct *mm,
					       unsigned long *cur,
					       struct swp_batch *b)
{
	struct vm_area_struct *v;

	for (v = vma_above(mm, *cur); v; v = vma_above(mm, v->vm_end)) {
		unsigned int n;

		if (*cur < v->vm_start)
			*cur = v->vm_start;
		spin_lock(&mm->page_table_lock);
		n = next_swp(mm, cur, v->vm_end, b);
		spin_unlock(&mm->page_table_lock);
		if (n)
			return v;
		if (v->vm_end >= TASK_SIZE)
			break;
	}
	return NULL;
}

/* One entry of a batch back in: 0, -ENOMEM, -EIO (as unuse_mm). */
static int unuse_one(struct mm_struct *mm, struct vm_area_struct *v,
		     unsigned long va, swp_entry_t entry)
{
	for (int tries = 0; tries < 8; tries++) {
		struct page *page;
		bool major;
		int err = 0;

		page = swapin_readahead(entry, v, va, &major);
		if (!page)
			return -ENOMEM;
		lock_page(page);
		if (!PageSwapCache(page) ||
		    page_swap_entry(page).val != entry.val) {
			/* The read never started (no memory for it, or the
			 * device's queue was full): as a fault does, try
			 * again. */
			unlock_page_wake(page);
			put_page(page);
			continue;
		}
		if (!PageUptodate(page))
			err = -EIO;
		else if (map_swapped_page(mm, v, va, page, entry, false) < 0)
			err = -ENOMEM;
		/* (1: the PTE changed meanwhile: not ours to bring back.) */
		unlock_page_wake(page);
		put_page(page);
		return err;
	}
	return -ENOMEM;
}

/*
 * Bring back every page of area type that mm's PTEs name. 0, -ENOMEM
 * (no memory for a page: stop, what came back stays), -EIO (a slot
 * could not be read: the mm's process is killed by its next touch of
 * that page, as a fault would; the entry stays).
 *
 * A batch at a time, each under the mmap_lock as a reader, as a fault
 * takes it. Not as the writer: that closes the rmap gate, and when the
 * process whose pages come back is the one filling memory (a memhog
 * beside swapoff), reclaim could then take none of its pages to make
 * room for the rest, and swapoff ran out of memory. Between batches the
 * process runs; the cursor goes on from where the last batch ended,
 * whatever VMAs changed meanwhile.
 */
static int unuse_mm(struct mm_struct *mm, unsigned int type)
{
	unsigned long cur = 0;
	int err = 0;

	while (!err) {
		struct swp_batch b = { .type = type };
		struct vm_area_struct *v;

		mmap_read_lock(mm);
		v = next_unuse_batch(mm, &cur, &b);
		for (unsigned int i = 0; v && i < b.n && !err; i++)
			err = unuse_one(mm, v, b.va[i], b.entry[i]);
		mmap_read_unlock(mm);
		if (!v)
			break;
	}
	return err;
}

int try_to_unuse(unsigned int type)
{
	struct mm_struct *mm, *prev = NULL;
	int err = 0;

	spin_lock(&mmlist_lock);
	list_for_each_entry(mm, &mmlist, mmlist) {
		if (!mmget_not_zero(mm))
			continue;	/* on its way out: its entries go too */
		spin_unlock(&mmlist_lock);
		if (prev)
			mmput(prev);
		prev = mm;
		err = unuse_mm(mm, type);
		spin_lock(&mmlist_lock);
		if (err)
			break;
	}
	spin_unlock(&mmlist_lock);
	if (prev)
		mmput(prev);
	/* Shared anonymous memory keeps its entries in its objects. */
	if (!err)
		err = shared_anon_unuse(type);
	return err;
}
