/*
 * mm/vm_internal.h - what the address-space files share among themselves
 * (mm/mmap.c: VMAs; mm/memory.c: pages and faults; mm/rmap.c). Not for
 * other components: they use mm/mm.h and mm/rmap.h.
 */
#ifndef MM_VM_INTERNAL_H
#define MM_VM_INTERNAL_H

#include "mm/mm.h"
#include "mm/shared_anon.h"

struct tlb_batch;

/* ---- mm/mmap.c */

/* Zeroed bookkeeping memory from the mm's kmalloc set; kfree() frees. */
void *vm_zalloc(struct mm_struct *mm, size_t size);
/* The PTE protection a VMA's pages get (PROT_* | PROT_USER; a PROT_NONE
 * VMA's pages stay mapped for the kernel only, see docs/mm/vm.md). */
unsigned int vm_pte_prot(unsigned long vm_flags);
/* The first VMA that ends above addr (Linux's find_vma), or NULL. */
struct vm_area_struct *vma_above(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vma_next(struct mm_struct *mm,
				struct vm_area_struct *vma);
struct vm_area_struct *vma_prev(struct mm_struct *mm,
				struct vm_area_struct *vma);
/* Put a VMA in the tree / take it out, keeping map_count, total_vm and
 * committed (Committed_AS) right. vma_insert: 0 or -1 (overlap). */
int vma_insert(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);
/* Free a VMA taken out of the tree: drops its anon_vma link, its shared
 * object's reference, and a file VMA's i_mmap link and file reference
 * (vm_ops->close first). */
void vma_free(struct vm_area_struct *vma);
/* A new VMA in mm like old (flags, name, offset, range; its anon_vma
 * linked, its shared object referenced, its file referenced and the VMA
 * linked in the file's i_mmap, vm_ops->open called); not in the tree
 * yet. */
struct vm_area_struct *vma_dup(struct mm_struct *mm,
			       const struct vm_area_struct *old);
/* Change a linked VMA's range (its pages stay where they are). */
void vma_set_range(struct mm_struct *mm, struct vm_area_struct *vma,
		   unsigned long start, unsigned long end);

/* ---- mm/memory.c */

/* Unmap [start, end) of vma (inside it): every page's mapping goes,
 * pages nobody maps any more are freed. */
void zap_page_range(struct vm_area_struct *vma, unsigned long start,
		    unsigned long end);
/* msync: the dirty bits of [start, end)'s PTEs of a shared file VMA go
 * to their pages (set_page_dirty). */
void msync_dirty_ptes(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end);
/* MADV_COLD: the pages of [start, end) that only this PTE maps lose
 * their accessed bit and go to the inactive list (deactivate_page). */
void cold_page_range(struct vm_area_struct *vma, unsigned long start,
		     unsigned long end);
/* MADV_PAGEOUT: isolate the pages of [start, end) that only this PTE
 * maps onto list (each with a reference), their accessed bits cleared;
 * the caller gives them to reclaim_pages() once mmap_lock is dropped
 * (rmap needs the mm's lock to unmap them). */
void pageout_page_range(struct vm_area_struct *vma, unsigned long start,
			unsigned long end, struct list_head *list);
/* Make the PTEs of [start, end) of vma match its flags (mprotect). */
void change_protection(struct vm_area_struct *vma, unsigned long start,
		       unsigned long end);
/* Clear then set bits (the accessed and dirty bits: fmt->young_bit,
 * dirty_bit) of the level-1 entry mapping va, atomically against the
 * CPU's own updates; returns the entry as it was (0: nothing mapped).
 * No TLB flush: the caller's, where one is needed. page_table_lock held
 * (or the rmap gate closed: mmap_write_lock). */
uint64_t pte_update_bits(struct mm_struct *mm, unsigned long va,
			 uint64_t clear, uint64_t set);
/* Unmap the PTE at va (mapping page, a page-cache page): its dirty bit
 * goes to the page (set_page_dirty), the rss, _mapcount and the PTE's
 * reference are dropped. try_to_unmap's step; page_table_lock held. */
void zap_file_pte(struct mm_struct *mm, unsigned long va, struct page *page);
/* Replace the PTE at va (mapping page, an anonymous page in the swap
 * cache) by the page's swap entry in one atomic exchange: takes a slot
 * reference, moves the dirty bit to the page, drops rss, _mapcount and
 * the PTE's reference. The TLB flush is added to tlb (a batch, flushed
 * before the page is written or freed: mm/rmap.h), or done now if tlb is
 * NULL. try_to_unmap's step; page_table_lock held. 0, or -errno (the PTE is
 * left as it was: no slot reference could be taken). */
int zap_anon_pte_to_swap(struct mm_struct *mm, unsigned long va,
			 struct page *page, struct tlb_batch *tlb);
/* Unmap mm's PTEs of pages [start, start + nr) of mapping (nr 0: to the
 * end) in every VMA of mm mapping that file; private COW copies stay.
 * unmap_mapping_pages' step; mmap_lock held. */
void zap_mapping_range(struct mm_struct *mm, struct address_space *mapping,
		       pgoff_t start, pgoff_t nr);
/* Does vma map any page [start, start + nr) of mapping? Reads the page
 * table without the mm's lock (tables live as long as the VMA is linked),
 * so the answer is a hint: unmap_mapping_pages' way of finding the mms
 * that need its lock. */
bool vma_maps_mapping_range(struct vm_area_struct *vma,
			    struct address_space *mapping, pgoff_t start,
			    pgoff_t nr);
/* swapoff's search: bring back into every mm each page of area type,
 * and into every shared anonymous object (mm/swapfile.c). 0, -ENOMEM (memory is short: stopped), -EIO (a slot
 * could not be read). */
int try_to_unuse(unsigned int type);
/* handle_mm_fault with mm->mmap_lock held. */
enum vm_fault_result __handle_mm_fault(struct mm_struct *mm,
				       unsigned long addr,
				       enum fault_access access);
/* Drop a reference to a user page; the last one clears its owner state
 * and frees it. */
void put_user_page(struct page *page);

/* Committed_AS in pages (every mm's VM_ACCOUNT pages). */
extern long vm_committed_pages;

#endif
