/*
 * mm/rmap.c - the reverse map of anonymous pages and of page-cache pages
 * (mm/rmap.h has the design, the locking and the contract for swap,
 * migration and reclaim), and reclaim's questions built on it:
 * page_referenced, try_to_unmap, page_mkclean, unmap_mapping_pages.
 */
#include "mm/rmap.h"
#include "kernel/wait.h"
#include "mm/vm_internal.h"
#include "mm/filemap.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *av;

	if (vma->anon_vma)
		return 0;
	av = vm_zalloc(vma->vm_mm, sizeof(*av));
	if (!av)
		return -ENOMEM;
	spin_lock_init(&av->lock, "anon_vma");
	INIT_LIST_HEAD(&av->vmas);
	av->ks = vma->vm_mm->ks;
	anon_vma_link(vma, av);
	return 0;
}

void anon_vma_link(struct vm_area_struct *vma, struct anon_vma *av)
{
	spin_lock(&av->lock);
	list_add_tail(&vma->anon_vma_node, &av->vmas);
	av->refcount++;
	vma->anon_vma = av;
	spin_unlock(&av->lock);
}

static spinlock_t anon_vma_free_lock = SPINLOCK_INIT("anon_vma_free");

void unlink_anon_vma(struct vm_area_struct *vma)
{
	struct anon_vma *av = vma->anon_vma;
	bool last;

	spin_lock(&av->lock);
	list_del(&vma->anon_vma_node);
	INIT_LIST_HEAD(&vma->anon_vma_node);
	last = --av->refcount == 0;
	spin_unlock(&av->lock);
	vma->anon_vma = NULL;
	if (!last)
		return;
	spin_lock(&anon_vma_free_lock);
	if (av->walkers) {
		av->dead = true;	/* the last walk frees it */
		av = NULL;
	}
	spin_unlock(&anon_vma_free_lock);
	kfree(av);
}

struct anon_vma *page_get_anon_vma(struct page *page)
{
	struct anon_vma *av = NULL;

	spin_lock(&anon_vma_free_lock);
	/* Mapped: a PTE in a VMA linked to it, so it is not freed yet. */
	if (PageAnon(page) && page_mapped(page)) {
		av = page_rmapping(page);
		av->walkers++;
	}
	spin_unlock(&anon_vma_free_lock);
	return av;
}

void put_anon_vma(struct anon_vma *av)
{
	bool free;

	spin_lock(&anon_vma_free_lock);
	free = --av->walkers == 0 && av->dead;
	spin_unlock(&anon_vma_free_lock);
	if (free)
		kfree(av);
}

void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long addr)
{
	WRITE_ONCE(page->index, linear_page_index(vma, addr));
	WRITE_ONCE(page->mapping, (struct address_space *)
		   ((unsigned long)vma->anon_vma | PAGE_MAPPING_ANON));
	__atomic_store_n(&page->_mapcount, 0, __ATOMIC_RELAXED);
	mod_node_page_state(page_pgdat(page), NR_ANON_MAPPED, 1);
}

void page_dup_rmap(struct page *page)
{
	if (__atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED) == 0 &&
	    PageAnon(page))
		mod_node_page_state(page_pgdat(page), NR_ANON_MAPPED, 1);
}

void page_remove_rmap(struct page *page)
{
	int left = __atomic_sub_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED);

	BUG_ON(left < -1);
	if (left != -1)
		return;
	if (PageAnon(page))
		mod_node_page_state(page_pgdat(page), NR_ANON_MAPPED, -1);
	else if (!PageSwapBacked(page))		/* a page-cache page */
		mod_node_page_state(page_pgdat(page), NR_FILE_MAPPED, -1);
}

/* Does the PTE at va of mm map page? (Caller holds mm->page_table_lock.) */
static bool pte_maps(struct mm_struct *mm, unsigned long va, struct page *page)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	uint64_t pte = 0;
	phys_addr_t pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);

	return fmt->is_present(pte) && PHYS_PFN(pa) == page_to_pfn(page);
}

static int rmap_visit(struct page *page, struct vm_area_struct *vma,
		      struct rmap_walk_control *rwc, bool *busy);
static unsigned long vma_address(const struct vm_area_struct *vma,
				 pgoff_t idx);
static int rmap_walk_file(struct page *page, struct rmap_walk_control *rwc);

/*
 * An anonymous page's walk holds anon_vma->lock only to find the VMAs:
 * each one whose mm's rmap gate it enters (or the caller's own mm, whose
 * lock it holds) is noted, the lock is dropped, and rmap_one runs on the
 * noted ones inside their gates - enough, since a VMA leaves its mm only
 * with the gate closed - each under its mm's page_table_lock.
 * rmap_one may flush TLBs (an IPI on x86_64): under the spinlock, every
 * other reclaimer of the same process spun behind each flush (four CPUs
 * reclaiming four memhogs' pages spent almost all their time there).
 * Past RMAP_BATCH VMAs (a big fork family) the rest are visited the old
 * way, under the lock.
 */
#define RMAP_BATCH	8

struct rmap_target {
	struct vm_area_struct *vma;
	unsigned long va;
	bool mine;		/* the caller's own mm: gate not entered */
};

/* Does the caller hold mm's lock (locked_mm or the held set)? */
static bool rwc_holds(const struct rmap_walk_control *rwc,
		      const struct mm_struct *mm)
{
	if (mm == rwc->locked_mm)
		return true;
	for (unsigned int i = 0; i < rwc->nr_held; i++)
		if (rwc->held[i] == mm)
			return true;
	return false;
}

/* Enter mm's rmap gate for a visit (mm/mm.h) unless the caller holds its
 * lock (*mine); false: a writer is changing its VMAs (busy), or (a walk
 * over a held set) not one of the set. */
static bool rwc_lock_mm(const struct rmap_walk_control *rwc,
			struct mm_struct *mm, bool *mine)
{
	*mine = rwc_holds(rwc, mm);
	if (*mine)
		return true;
	return !rwc->held && mm_rmap_enter(mm);
}

static void rwc_unlock_mm(struct mm_struct *mm, bool mine)
{
	if (!mine)
		mm_rmap_exit(mm);
}

/* Is the PTE at va one rmap_one wants? */
static bool rwc_pte_ok(const struct rmap_walk_control *rwc,
		       struct mm_struct *mm, unsigned long va, struct page *page)
{
	return rwc->any_pte || pte_maps(mm, va, page);
}

/* The look at one PTE, and rmap_one, under mm's page_table_lock: a fault
 * of mm's own or a zap of the same PTE waits for it. */
static int rwc_visit_pte(struct rmap_walk_control *rwc, struct page *page,
			 struct vm_area_struct *vma, unsigned long va)
{
	struct mm_struct *mm = vma->vm_mm;
	int r = 0;

	spin_lock(&mm->page_table_lock);
	if (rwc_pte_ok(rwc, mm, va, page))
		r = rwc->rmap_one(page, vma, va, rwc->arg);
	spin_unlock(&mm->page_table_lock);
	return r;
}


int rmap_walk(struct page *page, struct rmap_walk_control *rwc)
{
	struct rmap_target t[RMAP_BATCH];
	struct anon_vma *av;
	struct vm_area_struct *vma;
	unsigned int n = 0, i;
	int r = 0;
	bool busy = false;

	if (!rwc->anon_vma && !PageAnon(page))
		return page_mapping(page) ? rmap_walk_file(page, rwc) : -EINVAL;
	av = rwc->anon_vma ? rwc->anon_vma : page_get_anon_vma(page);
	if (!av)
		return 0;		/* unmapped: nothing to visit */
	spin_lock(&av->lock);
	list_for_each_entry(vma, &av->vmas, anon_vma_node) {
		struct mm_struct *mm = vma->vm_mm;
		unsigned long va = vma_address(vma, page->index);
		bool mine;

		if (!va)
			continue;
		if (n == RMAP_BATCH) {
			r = rmap_visit(page, vma, rwc, &busy);
			if (r)
				break;
			continue;
		}
		if (!rwc_lock_mm(rwc, mm, &mine)) {
			busy = true;
			continue;
		}
		t[n++] = (struct rmap_target){ vma, va, mine };
	}
	spin_unlock(&av->lock);
	for (i = 0; i < n; i++) {
		if (!r)
			r = rwc_visit_pte(rwc, page, t[i].vma, t[i].va);
		rwc_unlock_mm(t[i].vma->vm_mm, t[i].mine);
	}
	if (!rwc->anon_vma)
		put_anon_vma(av);
	if (busy)
		count_vm_event(RMAP_BUSY);
	if (!r && busy)
		r = -EAGAIN;
	return r;
}

/* One VMA of rmap_collect_mms: its mm, if it maps page (unlocked read). */
static int collect_mm(struct page *page, struct vm_area_struct *vma,
		      struct mm_struct **mms, unsigned int *n, unsigned int max)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long va = vma_address(vma, page->index);

	if (!va || !pte_maps(mm, va, page))
		return 0;
	for (unsigned int i = 0; i < *n; i++)
		if (mms[i] == mm)
			return 0;
	if (*n == max)
		return -EBUSY;
	if (!mmget_not_zero(mm))
		return -EAGAIN;		/* exiting: mmput unmaps it */
	mms[(*n)++] = mm;
	return 0;
}

int rmap_collect_mms(struct page *page, struct anon_vma *av,
		     struct mm_struct **mms, unsigned int max)
{
	struct address_space *mapping = NULL;
	struct vm_area_struct *vma;
	unsigned int n = 0;
	int err = 0;

	if (PageAnon(page)) {
		if (!av)
			return 0;
		spin_lock(&av->lock);
		list_for_each_entry(vma, &av->vmas, anon_vma_node)
			if ((err = collect_mm(page, vma, mms, &n, max)))
				break;
		spin_unlock(&av->lock);
	} else {
		mapping = page_mapping(page);
		if (!mapping)
			return 0;
		spin_lock(&mapping->i_mmap_lock);
		list_for_each_entry(vma, &mapping->i_mmap, shared_node)
			if ((err = collect_mm(page, vma, mms, &n, max)))
				break;
		spin_unlock(&mapping->i_mmap_lock);
	}
	if (!err)
		return (int)n;
	while (n)
		mmput(mms[--n]);
	return err;
}

/* ------------------------------------------------------------ file pages */

/* The page cache a VMA maps: its file's, or its shared anonymous
 * object's (mm/shared_anon.h). */
static struct address_space *vma_mapping(const struct vm_area_struct *vma)
{
	return vma->vm_file ? vma->vm_file->f_mapping : &vma->shared->mapping;
}

void vma_link_file(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	spin_lock(&mapping->i_mmap_lock);
	list_add_tail(&vma->shared_node, &mapping->i_mmap);
	mapping->nr_mmaps++;
	spin_unlock(&mapping->i_mmap_lock);
}

void vma_unlink_file(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma_mapping(vma);

	spin_lock(&mapping->i_mmap_lock);
	list_del(&vma->shared_node);
	INIT_LIST_HEAD(&vma->shared_node);
	mapping->nr_mmaps--;
	spin_unlock(&mapping->i_mmap_lock);
}

void page_add_file_rmap(struct page *page)
{
	/* Shared anonymous pages are not counted in Mapped (as
	 * page_remove_rmap). */
	if (__atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED) == 0 &&
	    !PageSwapBacked(page))
		mod_node_page_state(page_pgdat(page), NR_FILE_MAPPED, 1);
}

/* Where vma would map the page at index idx, or 0 if outside it. */
static unsigned long vma_address(const struct vm_area_struct *vma, pgoff_t idx)
{
	if (idx < vma->vm_pgoff ||
	    idx - vma->vm_pgoff >= (vma->vm_end - vma->vm_start) >> PAGE_SHIFT)
		return 0;
	return vma->vm_start + ((idx - vma->vm_pgoff) << PAGE_SHIFT);
}

/* One VMA of a walk: enter its mm's gate (unless the caller holds its
 * lock), check the PTE maps page, call rmap_one. *busy when the gate was
 * closed. */
static int rmap_visit(struct page *page, struct vm_area_struct *vma,
		      struct rmap_walk_control *rwc, bool *busy)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long va = vma_address(vma, page->index);
	bool mine;
	int r = 0;

	if (!va)
		return 0;
	if (!rwc_lock_mm(rwc, mm, &mine)) {
		*busy = true;
		return 0;
	}
	r = rwc_visit_pte(rwc, page, vma, va);
	rwc_unlock_mm(mm, mine);
	return r;
}

/* A page-cache page: the VMAs of its mapping's i_mmap (shared and private
 * mappings; a private one's PTE maps the cache's page until a write
 * copies it, and then maps the copy, which pte_maps skips). */
static int rmap_walk_file(struct page *page, struct rmap_walk_control *rwc)
{
	struct address_space *mapping = page_mapping(page);
	struct vm_area_struct *vma;
	bool busy = false;
	int r = 0;

	spin_lock(&mapping->i_mmap_lock);
	list_for_each_entry(vma, &mapping->i_mmap, shared_node) {
		r = rmap_visit(page, vma, rwc, &busy);
		if (r)
			break;
	}
	spin_unlock(&mapping->i_mmap_lock);
	if (busy)
		count_vm_event(RMAP_BUSY);
	if (!r && busy)
		r = -EAGAIN;
	return r;
}

/* page_referenced: clear each PTE's accessed bit, count those set. */
struct referenced_arg {
	int referenced;
	unsigned long vm_flags;
};

static int referenced_one(struct page *page, struct vm_area_struct *vma,
			  unsigned long va, void *arg)
{
	struct referenced_arg *ra = arg;
	struct mm_struct *mm = vma->vm_mm;
	uint64_t young = mm->arch.pgt.fmt->young_bit;

	(void)page;
	if (vma->vm_flags & VM_LOCKED) {
		/* mlocked: reclaim keeps it, no need to look further. */
		ra->vm_flags |= VM_LOCKED;
		ra->referenced++;
		return 1;
	}
	if (young && (pte_update_bits(mm, va, young, 0) & young)) {
		/* The TLB may cache the entry with its bit set: without the
		 * flush, the CPU would not set the bit again on the next
		 * access. A format may accept that (young_clear_no_flush). */
		if (!mm->arch.pgt.fmt->young_clear_no_flush)
			arch_flush_tlb_mm_range(&mm->arch, va, PAGE_SIZE);
		ra->referenced++;
		ra->vm_flags |= vma->vm_flags;
	}
	return 0;
}

int page_referenced(struct page *page, unsigned long *vm_flags)
{
	struct referenced_arg ra = { 0, 0 };
	struct rmap_walk_control rwc = {
		.rmap_one = referenced_one, .arg = &ra,
		.locked_mm = current_locked_mm(),
	};

	bool contended = false;

	*vm_flags = 0;
	if (page_mapped(page) && (PageAnon(page) || page_mapping(page))) {
		/* A busy mm was skipped: whether it used the page is not
		 * known (below). */
		contended = rmap_walk(page, &rwc) == -EAGAIN;
		/* An access seen ends the page's idle period (page_idle). */
		if (ra.referenced)
			ClearPageIdle(page);
	}
	/* Idle tracking harvested an accessed bit before reclaim looked: it
	 * left PG_young so the access still counts here (Linux's
	 * folio_test_clear_young). */
	if (TestClearPageYoung(page))
		ra.referenced++;
	*vm_flags = ra.vm_flags;
	/* Nothing seen, and a mapper not asked: -1, as Linux's
	 * folio_referenced on rmap lock contention. */
	if (contended && !ra.referenced)
		return -1;
	return ra.referenced;
}

/* try_to_unmap: drop one PTE. A file page's dirty bit moves to the page;
 * an anonymous page's PTE becomes its swap entry (the page is in the swap
 * cache: add_to_swap came first), holding one slot reference. */
static int unmap_one(struct page *page, struct vm_area_struct *vma,
		     unsigned long va, void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	struct tlb_batch *tlb = arg;	/* NULL: flush each PTE now */

	if (vma->vm_flags & VM_LOCKED)
		return 1;		/* mlocked: stays mapped */
	if (!PageAnon(page)) {
		zap_file_pte(mm, va, page);
		return 0;
	}
	/* Pinned since reclaim looked (pin_user_pages pins under this
	 * page_table_lock, with the PTE still there): a device may write
	 * it, so it stays mapped. */
	if (page_maybe_dma_pinned(page))
		return 1;
	return zap_anon_pte_to_swap(mm, va, page, tlb) ? 1 : 0;
}

static bool unmap_walk(struct page *page, struct tlb_batch *tlb)
{
	struct rmap_walk_control rwc = { .rmap_one = unmap_one, .arg = tlb,
					 .locked_mm = current_locked_mm() };

	/* An anonymous page needs a slot to name in its PTEs. */
	if (PageAnon(page) ? !PageSwapCache(page) : !page_mapping(page))
		return !page_mapped(page);
	if (page_mapped(page))
		rmap_walk(page, &rwc);
	return !page_mapped(page);
}

bool try_to_unmap(struct page *page)
{
	return unmap_walk(page, NULL);
}

bool try_to_unmap_batch(struct page *page, struct tlb_batch *b)
{
	return unmap_walk(page, b);
}

bool tlb_batch_add(struct tlb_batch *b, struct mm_struct *mm, unsigned long va)
{
	struct tlb_batch_mm *m = NULL;

	for (unsigned int i = 0; i < b->nr_mms; i++)
		if (b->mms[i].mm == mm)
			m = &b->mms[i];
	if (m) {
		m->start = min(m->start, va);
		m->end = max(m->end, va + PAGE_SIZE);
	} else {
		/* Full: flush this one now. Not by emptying the batch here:
		 * the walk holds locks, and putting a batch's mm may be its
		 * last reference (mmput sleeps). */
		if (b->nr_mms == TLB_BATCH_MMS)
			return false;
		/* An mm whose last reference went is being torn down (mmput
		 * waits for the gate the walk is inside): flush it now. */
		if (!mmget_not_zero(mm))
			return false;
		/* Under mm's page_table_lock: whoever changes its PTEs next
		 * sees the debt (flush_tlb_batched_pending). */
		__atomic_add_fetch(&mm->tlb_batched, 1, __ATOMIC_RELEASE);
		b->mms[b->nr_mms++] = (struct tlb_batch_mm){
			.mm = mm, .start = va, .end = va + PAGE_SIZE,
		};
	}
	b->nr++;
	return true;
}

void tlb_batch_flush(struct tlb_batch *b)
{
	for (unsigned int i = 0; i < b->nr_mms; i++) {
		struct tlb_batch_mm *m = &b->mms[i];

		/* The range, or (a wide one) the arch's whole-mm flush. */
		arch_flush_tlb_mm_range(&m->mm->arch, m->start,
					m->end - m->start);
		count_vm_event(TLB_BATCH_FLUSH);
		__atomic_sub_fetch(&m->mm->tlb_batched, 1, __ATOMIC_RELEASE);
		mmput(m->mm);
	}
	b->nr_mms = 0;
	b->nr = 0;
}

void flush_tlb_batched_pending(struct mm_struct *mm)
{
	if (__atomic_load_n(&mm->tlb_batched, __ATOMIC_ACQUIRE))
		arch_flush_tlb_mm(&mm->arch);
}

/* page_mkclean: write-protect one shared PTE, clearing its dirty bit. */
static int mkclean_one(struct page *page, struct vm_area_struct *vma,
		       unsigned long va, void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	int *cleaned = arg;
	uint64_t pte = 0;
	unsigned int prot;

	(void)page;
	if (!(vma->vm_flags & VM_SHARED))
		return 0;	/* private PTEs of file pages are read-only */
	pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
	prot = fmt->attrs_to_prot(fmt->leaf_attrs(pte));
	if (prot & PROT_WRITE)
		arch_mm_protect(&mm->arch, va, PAGE_SIZE, prot & ~PROT_WRITE);
	/* A shared file PTE is made writable only with its dirty bit set
	 * (do_page_mkwrite), and the CPU sets it on a write too. */
	if (pte_update_bits(mm, va, fmt->dirty_bit, 0) & fmt->dirty_bit)
		(*cleaned)++;
	return 0;
}

int page_mkclean(struct page *page)
{
	int cleaned = 0;
	struct rmap_walk_control rwc = {
		.rmap_one = mkclean_one, .arg = &cleaned,
	};

	if (PageAnon(page) || !page_mapping(page) || !page_mapped(page))
		return 0;
	rmap_walk(page, &rwc);
	return cleaned;
}

/* A reference on mm unless its last one is already gone (it is being torn
 * down: mmput unmaps it by itself). */

/*
 * Unmapping takes each mm's mmap_lock, a mutex, and the i_mmap walk holds
 * a spinlock: an mm whose lock is free is unmapped during the walk; a
 * busy one is taken out of the walk with a reference, waited for, then
 * the walk starts again. Only mms that still map a page of the range are
 * waited for: truncate calls this with a page locked, and a fault that
 * holds its mmap_lock while it waits for that page lock has not mapped
 * the page yet, so it is never waited for (no deadlock).
 */
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start,
			 pgoff_t nr)
{
	struct vm_area_struct *vma;
	struct mm_struct *wait;

	if (!nr)
		return;
	do {
		wait = NULL;
		spin_lock(&mapping->i_mmap_lock);
		list_for_each_entry(vma, &mapping->i_mmap, shared_node) {
			struct mm_struct *mm = vma->vm_mm;

			if (!vma_maps_mapping_range(vma, mapping, start, nr))
				continue;
			/* Read: zapping PTEs changes no VMA (and a writer
			 * may not wait for rmap walks under this spinlock,
			 * which a file walk holds throughout). */
			if (mmap_read_trylock(mm)) {
				zap_mapping_range(mm, mapping, start, nr);
				mmap_read_unlock(mm);
			} else if (mmget_not_zero(mm)) {
				wait = mm;
				break;
			}
			/* users 0: mmput is unmapping it already */
		}
		spin_unlock(&mapping->i_mmap_lock);
		if (wait) {
			mmap_read_lock(wait);
			zap_mapping_range(wait, mapping, start, nr);
			mmap_read_unlock(wait);
			mmput(wait);
		}
	} while (wait);
}
