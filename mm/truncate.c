/*
 * mm/truncate.c - taking pages out of a file's cache: truncate(2) and
 * drop_caches. docs/mm/filemap.md, "Truncation".
 *
 * Truncation must win against every other user of the page: it unmaps
 * the page from every process (rmap), waits for writeback to end, throws
 * away a dirty page's changes (they are beyond the new end of the file),
 * and removes it under the page lock, so a reader or a fault that looked
 * it up before sees page->mapping == NULL once it gets the lock and
 * looks again. Invalidation (drop_caches) is the polite form: it only
 * drops pages nobody uses.
 */
#include "kernel/lib/string.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "mm/rmap.h"

/* The next page at index >= *index (<= end), with a reference; shadows
 * passed on the way are erased if drop_shadows. NULL when none is left. */
static struct page *next_page(struct address_space *mapping, pgoff_t *index,
			      pgoff_t end, bool drop_shadows)
{
	unsigned long flags, i = *index;
	struct page *page;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	while ((page = xa_find(&mapping->i_pages, &i, end, XA_PRESENT)) &&
	       xa_is_value(page)) {
		if (drop_shadows) {
			xa_erase(&mapping->i_pages, i);
			mapping->nrshadows--;
		}
		if (i++ == end) {
			page = NULL;
			break;
		}
	}
	if (page)
		get_page(page);
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	*index = i;
	return page;
}

void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	pgoff_t start = (pgoff_t)((lstart + PAGE_SIZE - 1) >> PAGE_SHIFT);
	size_t partial = lstart & (PAGE_SIZE - 1);
	pgoff_t index = start;
	struct page *page;

	if (partial) {
		/* The page holding the new end stays; its tail is zeroed
		 * so a later extension reads zeros there. */
		page = find_lock_page(mapping, (pgoff_t)(lstart >> PAGE_SHIFT));
		if (page) {
			wait_on_page_writeback(page);
			memset((char *)page_address(page) + partial, 0,
			       PAGE_SIZE - partial);
			unlock_page_wake(page);
			put_page(page);
		}
	}
	while ((page = next_page(mapping, &index, ~0UL, true))) {
		lock_page(page);
		wait_on_page_writeback(page);
		if (page->mapping == mapping) {
			/* Out of every page table first: a store through a
			 * PTE would otherwise dirty a page that is gone. */
			if (page_mapped(page))
				unmap_mapping_pages(mapping, page->index, 1);
			cancel_dirty_page(page);
			delete_from_page_cache(page);
		}
		unlock_page_wake(page);
		put_page(page);
		index++;
	}
}

void truncate_pagecache(struct address_space *mapping, loff_t newsize)
{
	pgoff_t first = (pgoff_t)((newsize + PAGE_SIZE - 1) >> PAGE_SHIFT);

	__atomic_store_n(&mapping->size, newsize, __ATOMIC_RELAXED);
	/*
	 * Unmap first, so the pages are not in use through page tables while
	 * they go; again after, for a fault that raced in between (it found
	 * the page before it left the cache). Private COW copies stay: they
	 * belong to the process now.
	 */
	unmap_mapping_pages(mapping, first, ~0UL - first);
	truncate_inode_pages(mapping, newsize);
	unmap_mapping_pages(mapping, first, ~0UL - first);
}

unsigned long invalidate_mapping_pages(struct address_space *mapping,
				       pgoff_t start, pgoff_t end)
{
	unsigned long dropped = 0;
	pgoff_t index = start;
	struct page *page;

	/* A page waiting in an LRU add batch holds the batch's reference:
	 * put it on its list, or it would look busy below. */
	lru_add_drain_all();
	while (index <= end &&
	       (page = next_page(mapping, &index, end, false))) {
		if (trylock_page(page)) {
			/* Ours and the cache's references only: nobody uses
			 * it, and nobody can find it while we hold the lock
			 * and it is clean. */
			if (page->mapping == mapping && !PageDirty(page) &&
			    !PageWriteback(page) && !page_mapped(page) &&
			    page_count(page) == 2) {
				delete_from_page_cache(page);
				dropped++;
			}
			unlock_page_wake(page);
		}
		put_page(page);
		if (index++ == end)
			break;
	}
	return dropped;
}
