/*
 * mm/rmap.c - the reverse map of anonymous pages (mm/rmap.h has the
 * design, the locking and the contract for swap and migration).
 */
#include "mm/rmap.h"
#include "mm/vm_internal.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "kernel/errno.h"
#include "kernel/panic.h"

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
	if (last)
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
	if (left == -1 && PageAnon(page))
		mod_node_page_state(page_pgdat(page), NR_ANON_MAPPED, -1);
}

/* Does the PTE at va of mm map page? (Caller holds mm->mmap_lock.) */
static bool pte_maps(struct mm_struct *mm, unsigned long va, struct page *page)
{
	const struct pgtable_fmt *fmt = mm->arch.pgt.fmt;
	uint64_t pte = 0;
	phys_addr_t pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);

	return fmt->is_present(pte) && PHYS_PFN(pa) == page_to_pfn(page);
}

int rmap_walk(struct page *page, struct rmap_walk_control *rwc)
{
	struct anon_vma *av;
	struct vm_area_struct *vma;
	int r = 0;
	bool busy = false;

	if (!PageAnon(page))
		return -EINVAL;
	av = page_rmapping(page);
	spin_lock(&av->lock);
	list_for_each_entry(vma, &av->vmas, anon_vma_node) {
		struct mm_struct *mm = vma->vm_mm;
		pgoff_t idx = page->index;
		unsigned long va;
		bool mine = mm == rwc->locked_mm;

		if (idx < vma->vm_pgoff ||
		    idx - vma->vm_pgoff >= (vma->vm_end - vma->vm_start) >> PAGE_SHIFT)
			continue;
		va = vma->vm_start + ((idx - vma->vm_pgoff) << PAGE_SHIFT);
		if (!mine && !mmap_read_trylock(mm)) {
			busy = true;
			continue;
		}
		if (pte_maps(mm, va, page))
			r = rwc->rmap_one(page, vma, va, rwc->arg);
		if (!mine)
			mmap_read_unlock(mm);
		if (r)
			break;
	}
	spin_unlock(&av->lock);
	if (!r && busy)
		r = -EAGAIN;
	return r;
}
