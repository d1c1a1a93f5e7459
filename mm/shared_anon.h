/*
 * mm/shared_anon.h - shared anonymous memory: the object behind a
 * MAP_SHARED|MAP_ANONYMOUS mapping (Linux's shmem file of
 * shmem_zero_setup), and how its pages go to swap and come back.
 *
 * One object per mmap() call; fork and VMA splits share it (a reference
 * per VMA). Its pages are indexed by their offset in the object in an
 * address_space of its own, as a file's are in the page cache:
 *
 *   i_pages[idx] = the page        (in memory: PageSwapBacked, not
 *                                   PageAnon; page->mapping = &mapping,
 *                                   page->index = idx; on the anonymous
 *                                   LRU lists, as Linux's shmem)
 *                = a value entry   (swapped out: the swp_entry_t of the
 *                                   slot that holds it, which has one
 *                                   reference, the object's)
 *                = nothing         (never touched: reads as zeroes)
 *
 * and the VMAs mapping it are on the mapping's i_mmap list, so rmap finds
 * every PTE of a page the way it does for a file page (mm/rmap.h). That
 * is what lets reclaim unmap the page everywhere, and migration move it
 * (the object's a_ops->migrate_folio is the page cache's).
 *
 * To swap, differently from a private anonymous page: the PTEs are
 * dropped, not turned into swap entries; the entry lives once, in the
 * object. A fault (or swapoff) finds the entry there, reads the slot
 * through the swap cache (readahead included) and puts the page back in
 * the object in place of the entry, freeing the slot; each process then
 * maps it by its next fault.
 *
 *   reclaim (page locked, isolated): try_to_unmap (rmap, every PTE) ->
 *     shared_anon_writeout: a slot, the swap cache, i_pages[idx] = entry
 *     -> written and freed as any swap cache page (mm/swap.h steps 3-4)
 *   fault: shared_anon_get_page: i_pages[idx] is an entry ->
 *     swapin_readahead -> i_pages[idx] = page, out of the swap cache,
 *     slot freed -> mapped by the caller
 *
 * Locking. The mapping's i_pages_lock guards i_pages and the counts;
 * the page lock is what moves a page between the object and the swap
 * cache (reclaim holds it for the move out, the fault and swapoff for the
 * move back), so a fault that found the page checks, once it holds the
 * lock, that the page is still the object's page at that index. A fault
 * maps the page with its lock held: reclaim, holding the same lock,
 * unmaps every PTE and then finds none (page_mapped() false) when it
 * moves the page out.
 */
#ifndef MM_SHARED_ANON_H
#define MM_SHARED_ANON_H

#include "kernel/lib/list.h"
#include "kernel/types.h"
#include "mm/filemap.h"

struct mm_struct;
struct page;

struct shared_anon {
	int refcount;			/* VMAs pointing at it, and walks */
	unsigned long nr_pages;		/* its size */
	struct address_space mapping;	/* pages and swap entries by offset;
					 * i_mmap: the VMAs mapping it */
	unsigned long nr_swapped;	/* entries (slots held), under
					 * mapping.i_pages_lock */
	struct list_head link;		/* on the list swapoff searches */
};

/* A new object of nr_pages zero pages for a mapping of mm (its pages
 * come from mm's node). NULL when out of memory. */
struct shared_anon *shared_anon_alloc(struct mm_struct *mm,
				      unsigned long nr_pages);
void shared_anon_get(struct shared_anon *s);
/* Drop a reference; the last one frees the pages the object holds and
 * the slots of those that are out. May sleep (page locks). */
void shared_anon_put(struct shared_anon *s);

/* Is page (locked) an object's page, in its mapping? */
bool page_is_shared_anon(const struct page *page);

/*
 * The page at idx (< s->nr_pages) for a fault of mm (NULL: swapoff,
 * no mmap_lock held): the page in the object, read back from swap, or a
 * new zeroed page. On success (0) *pagep is locked, with a reference
 * that is the caller's, and is the object's page at idx; *major says a
 * read from swap was needed. Otherwise:
 *   -ENOMEM  no memory (for the page, the index or the read)
 *   -EIO     its slot could not be read (reported, naming the slot; the
 *            entry stays, so a later fault reads it again)
 *   -EAGAIN  the page was locked and the fault may be retried: mm's
 *            mmap_lock was dropped while waiting (VM_FAULT_RETRY)
 */
int shared_anon_get_page(struct shared_anon *s, pgoff_t idx,
			 struct mm_struct *mm, struct page **pagep,
			 bool *major);

/*
 * Reclaim's step for a locked, isolated page of an object that no PTE
 * maps any more (try_to_unmap came first): a slot (from the highest
 * priority area with room), into the swap cache (dirty: it must be
 * written), and the object's index holds the slot's entry instead of the
 * page. From then on it is a swap cache page like any other (mm/swap.h),
 * written and freed by reclaim. 0; -ENOSPC (no slot), -ENOMEM, -EBUSY
 * (pinned by a device, or mapped again), -EINVAL (not an object's page:
 * its object went away while reclaim held it).
 */
int shared_anon_writeout(struct page *page);

/*
 * swapoff's search: every object's entries of area type come back into
 * memory (into the object; processes map them on their next fault).
 * 0, -ENOMEM (stopped: what came back stays), -EIO (a slot could not
 * be read; the entry stays).
 */
int shared_anon_unuse(unsigned int type);

#endif
