/*
 * mm/rmap.h - the reverse map: from a page, every (mm, VMA, address)
 * whose page-table entry maps it (Linux: mm/rmap.c, struct anon_vma;
 * page-cache pages through their mapping's i_mmap, at the end). Swap-out (unmap a page everywhere before writing it)
 * and CMA migration (move a page, then point every PTE at the copy) walk
 * it; docs/mm/vm.md explains the design.
 *
 * Design: one anon_vma per fork family. A private VMA gets an anon_vma
 * at its first anonymous page; fork links the child's copy of the VMA to
 * the same anon_vma; splitting a VMA links both halves. Every anonymous
 * page points at its anon_vma (page->mapping | PAGE_MAPPING_ANON) and
 * keeps its linear index (page->index = vm_pgoff + page offset in the
 * VMA), which fork, split and merge preserve. A walk visits each VMA on
 * the anon_vma's list, computes where the page would be in it and checks
 * the PTE there really maps this page (after a COW break it maps the
 * copy, and is skipped). Simpler than Linux's anon_vma_chain (which
 * gives each generation its own anon_vma so a walk skips VMAs that never
 * shared the page) and gives the same answer; the cost is visiting
 * unrelated VMAs of a large fork family.
 *
 * Locking. anon_vma->lock protects its VMA list. Lock order: mm->mmap_lock,
 * then anon_vma->lock (the fault path links VMAs under mmap_lock). A walk
 * takes no mmap_lock: it enters each mm's rmap gate (mm_rmap_enter,
 * mm/mm.h), closed only while a writer changes the mm's VMAs; a closed
 * one makes rmap_walk() return -EAGAIN after visiting the others (the
 * caller retries later, as Linux's try_to_unmap may fail); an mm the
 * caller holds (rwc->locked_mm) is visited without the gate. Each visit
 * holds the mm's page_table_lock, as every other change to a PTE does.
 *
 * Contract for swap and migration: rmap_one() is called inside the
 * visited mm's gate (or with its lock held), under its page_table_lock,
 * with the PTE at `address` mapping `page`; it must not sleep; it may change
 * that PTE through arch_mm_* (unmap, set a payload with
 * pgtable_set_nonpresent, map another page) and must keep the page's
 * _mapcount, _refcount and the mm's rss in step (page_remove_rmap(),
 * put_user_page()). It returns 0 to go on, anything else to stop the
 * walk (returned by rmap_walk).
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include "kernel/lib/list.h"
#include "kernel/spinlock.h"
#include "mm/mm.h"

struct anon_vma {
	spinlock_t lock;
	struct list_head vmas;		/* vm_area_struct.anon_vma_node */
	int refcount;			/* VMAs linked (under lock) */
	struct kmalloc_set *ks;		/* where it came from */
	/* Walks that hold it (page_get_anon_vma), and whether its last VMA
	 * went meanwhile (the last walk frees it): anon_vma_free_lock. */
	int walkers;
	bool dead;
};

/* Give vma an anon_vma if it has none (its first anonymous page).
 * Caller holds vma->vm_mm->mmap_lock. 0 or -ENOMEM. */
int anon_vma_prepare(struct vm_area_struct *vma);
/* Link vma (not linked yet) to av: fork's child, a split's new half. */
void anon_vma_link(struct vm_area_struct *vma, struct anon_vma *av);
/* Unlink vma from its anon_vma; the last VMA frees the anon_vma. */
void unlink_anon_vma(struct vm_area_struct *vma);

/*
 * The anon_vma of a mapped anonymous page, held so it cannot be freed
 * under a walk (NULL: the page is not mapped, or not anonymous). An
 * anon_vma is freed when its last VMA is unlinked, which munmap and exit
 * do after unmapping the pages, without any page's lock; a page that is
 * still mapped has a linked VMA, and one lock (anon_vma_free_lock) makes
 * the check and the hold one step against that free (Linux uses RCU and
 * the anon_vma's refcount for the same thing). put_anon_vma() lets go.
 */
struct anon_vma *page_get_anon_vma(struct page *page);
void put_anon_vma(struct anon_vma *av);

/* The linear index of addr in vma (what page->index holds). */
static inline pgoff_t linear_page_index(const struct vm_area_struct *vma,
					unsigned long addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/* A new anonymous page mapped once at addr of vma (which has an
 * anon_vma): sets mapping and index, _mapcount 0, counts AnonPages. */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long addr);
/* One more PTE maps the page (fork copied it). */
void page_dup_rmap(struct page *page);
/* One PTE less maps the page; the last one uncounts AnonPages (anonymous
 * pages) or Shmem mappings stay counted by their object. */
void page_remove_rmap(struct page *page);

struct rmap_walk_control {
	int (*rmap_one)(struct page *page, struct vm_area_struct *vma,
			unsigned long address, void *arg);
	void *arg;
	struct mm_struct *locked_mm;	/* held by the caller: not locked */
	/*
	 * Migration's walks: held[0..nr_held) are mms whose lock the caller
	 * holds; with held set, only they are visited (any other mm counts
	 * as busy). any_pte: call rmap_one at every address where a VMA
	 * would map the page, whatever the PTE there holds (migration puts
	 * its entries back). anon_vma: walk this one (held with
	 * page_get_anon_vma) rather than the page's (a page being migrated
	 * is unmapped for a while).
	 */
	struct mm_struct *const *held;
	unsigned int nr_held;
	bool any_pte;
	struct anon_vma *anon_vma;
};

/* Visit every PTE mapping the page, anonymous (its anon_vma's VMAs) or
 * page-cache (its mapping's i_mmap VMAs, under i_mmap_lock, a spinlock:
 * rmap_one may not sleep). Returns 0, rmap_one's non-zero value, -EAGAIN
 * (an mm was busy and was skipped) or -EINVAL (neither kind). An
 * unmapped anonymous page has nothing to visit: 0. A page-cache page's
 * caller holds its page lock (truncate could free the mapping). */
int rmap_walk(struct page *page, struct rmap_walk_control *rwc);

/*
 * Migration's first step: the processes whose page tables map page now,
 * each with a reference (mmget), at most max. The page tables are read
 * without the mms' locks (they live as long as a VMA is linked, and the
 * walk's spinlock keeps the VMA linked), so the answer is a hint the
 * caller checks once it holds the locks. av: an anonymous page's
 * anon_vma, held (page_get_anon_vma; NULL: unmapped, nothing to find); a
 * page-cache page is locked. Returns how many, or -EBUSY (more than
 * max) or -EAGAIN (one of them is exiting), holding none then.
 */
int rmap_collect_mms(struct page *page, struct anon_vma *av,
		     struct mm_struct **mms, unsigned int max);

/* ------------------------------------------------ file pages (issue 14)
 *
 * A page-cache page is mapped by the VMAs of its mapping's i_mmap list
 * (vma->vm_file->f_mapping); a VMA maps page index i at vm_start +
 * ((i - vm_pgoff) << PAGE_SHIFT) when that is inside it. rmap_walk()
 * takes both kinds of page. A MAP_PRIVATE file VMA maps the cache's page
 * until a write copies it (then the copy is an anonymous page of that
 * VMA's anon_vma).
 */
struct address_space;
/* Link / unlink a file VMA in its mapping's i_mmap (mmap, split, fork,
 * munmap); a shared anonymous VMA in its object's (mm/shared_anon.h),
 * whose pages rmap then finds the same way. */
void vma_link_file(struct vm_area_struct *vma);
void vma_unlink_file(struct vm_area_struct *vma);
/* One more PTE maps a page-cache page (NR_FILE_MAPPED on the first, but
 * not for a shared anonymous object's page). */
void page_add_file_rmap(struct page *page);

/*
 * Reclaim's questions (the page is locked):
 * page_referenced: how many PTEs mapping page had their accessed bit
 * set; the bits are cleared (and the TLB entries flushed) so the next
 * look sees only new accesses (arm64, whose CPU does not set the access
 * flag itself, takes an access-flag fault that sets it again). *vm_flags
 * gets the union of those VMAs' flags (VM_LOCKED: keep it; the walk stops
 * there). A busy mm is skipped: when nothing else showed a reference the
 * answer is -1, "not known" (Linux's rmap-contention result). A PG_young
 * left by idle tracking (an
 * accessed bit it harvested, mm/page_idle.h) is cleared and counts as one
 * more; a reference found clears PG_idle. Anonymous and file pages alike.
 * try_to_unmap: remove every PTE mapping the page; true when none is left.
 * A page-cache page's PTE dirty bits move to the page (set_page_dirty);
 * an anonymous page must be in the swap cache (add_to_swap) and each PTE
 * becomes its swap entry (one slot reference each, its dirty bit moved
 * to the page); without a slot it stays mapped (false). A VM_LOCKED VMA
 * keeps its PTE.
 * page_mkclean: write-protect and clean every PTE of a shared file
 * mapping of page (writeback is starting), so the next store faults and
 * dirties the page again; the number of PTEs that were dirty.
 */
int page_referenced(struct page *page, unsigned long *vm_flags);
bool try_to_unmap(struct page *page);

/*
 * Deferred TLB flushes for reclaim (Linux's TTU_BATCH_FLUSH): each
 * shootdown interrupts every CPU running the process, and reclaim unmaps
 * pages one at a time, so it collects them and flushes once.
 * try_to_unmap_batch() is try_to_unmap() whose anonymous PTEs become swap
 * entries at once but whose flush is added to b. Until tlb_batch_flush()
 * another CPU may still store through its old translation, so flush
 * before a page's data goes to I/O (struct swap_plug does, before each
 * submit) and before a page is freed or left unlocked for good. Up to
 * TLB_BATCH_MMS mms (reclaim's list mixes the pages of every process
 * that runs; with one mm a batch, four memhogs on four CPUs sent twice
 * the cross-CPU calls, each waiting ~1 ms for a vCPU the host had not
 * scheduled); PTEs of one more are flushed at once. The batch holds a
 * reference on each mm (mmget) until its flush.
 */
#define TLB_BATCH_MMS	4
struct tlb_batch_mm {
	struct mm_struct *mm;
	unsigned long start, end;	/* the VA range to flush */
};
struct tlb_batch {
	unsigned int nr_mms;		/* 0: nothing owed */
	struct tlb_batch_mm mms[TLB_BATCH_MMS];
	unsigned int nr;		/* PTEs unmapped in it */
};
bool try_to_unmap_batch(struct page *page, struct tlb_batch *b);
/* Owe the flush of mm's va to b; false (flush it now) if b is full.
 * mm's page_table_lock held. */
bool tlb_batch_add(struct tlb_batch *b, struct mm_struct *mm, unsigned long va);
/* Flush what b owes and drop its mm reference (which may be the last:
 * sleeps; no spinlock held). */
void tlb_batch_flush(struct tlb_batch *b);
/*
 * Reclaim's batch may still owe mm a flush after its walk let mm's lock
 * go: a CPU may still store through a translation whose PTE is now a
 * swap entry. Whoever then changes mm's PTEs under its lock and relies on
 * the TLB agreeing with them (zap for munmap and MADV_DONTNEED, mprotect,
 * fork's copy) calls this first: it flushes the whole mm while any batch
 * owes it (Linux's flush_tlb_batched_pending). mmap_lock held.
 */
void flush_tlb_batched_pending(struct mm_struct *mm);
int page_mkclean(struct page *page);
/* Unmap pages [start, start + nr) (page offsets) of mapping from every
 * process (truncate). Private COW copies are kept (as Linux, with
 * even_cows = false). Sleeps (each mm's mmap_lock); may be called with a
 * page of the range locked (truncate does): only mms that map a page of
 * the range are waited for, and a fault waiting for that page lock has
 * not mapped it. */
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start,
			 pgoff_t nr);

#endif
