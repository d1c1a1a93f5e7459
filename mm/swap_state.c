/*
 * mm/swap_state.c - the swap cache and swap-in readahead. Contracts in
 * mm/swap.h; the picture in docs/mm/swap.md.
 *
 * The swap cache is an address_space per swap area, indexed by slot: the
 * page cache's index (xarray and i_pages_lock) holding anonymous pages.
 * A page is in it while it is on its way out (written, then freed by
 * reclaim) or on its way in (read, then mapped by each process whose PTE
 * holds its entry). It is what makes a page shared after fork come back
 * as one page: the second process's fault finds the first's.
 *
 * A page in the swap cache: PG_swapcache, page->private = its entry, one
 * reference held by the cache, and its slot's SWAP_HAS_CACHE bit. Like
 * Linux, it also counts in NR_FILE_PAGES (meminfo's Cached subtracts
 * SwapCached).
 */
#include "kernel/printk.h"
#include "kernel/sysctl.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

unsigned int swap_ra_pages = 8;		/* 1 << page_cluster */
static unsigned int page_cluster = 3;	/* Linux's vm.page-cluster */

static void page_cluster_handler(const struct ctl_table *t, unsigned long old)
{
	(void)t;
	(void)old;
	WRITE_ONCE(swap_ra_pages, 1U << page_cluster);
}

static const struct ctl_table swap_sysctls[] = {
	{ .procname = "vm.page-cluster",
	  .data = &page_cluster, .type = CTL_UINT,
	  .min = 0, .max = 5,
	  .unit = "log2 of the pages one swap-in reads (0: no readahead)",
	  .handler = page_cluster_handler },
};
REGISTER_SYSCTL_TABLE(swap_sysctls);

/* Add a locked page for entry (whose HAS_CACHE bit the caller holds) to
 * the swap cache. 0, -EEXIST (someone's page is there), -ENOMEM. */
static int __add_to_swap_cache(struct page *page, swp_entry_t entry,
			       gfp_t gfp)
{
	struct swap_info_struct *si = swap_info_get(entry);
	struct address_space *cache = &si->cache;
	pgoff_t idx = swp_offset(entry);
	unsigned long flags;
	void *old, *ret;

	if (xa_reserve(&cache->i_pages, idx, gfp))
		return -ENOMEM;
	get_page(page);			/* the cache's reference */
	page->private = entry.val;
	SetPageSwapCache(page);
	for (;;) {
		spin_lock_irqsave(&cache->i_pages_lock, flags);
		old = xa_load(&cache->i_pages, idx);
		if (old) {
			spin_unlock_irqrestore(&cache->i_pages_lock, flags);
			ret = ERR_PTR(-EEXIST);
			break;
		}
		ret = xa_store(&cache->i_pages, idx, page, GFP_NOWAIT);
		if (!xa_is_err(ret)) {
			cache->nrpages++;
			spin_unlock_irqrestore(&cache->i_pages_lock, flags);
			ret = NULL;
			break;
		}
		spin_unlock_irqrestore(&cache->i_pages_lock, flags);
		/* The tree grew since the reserve: reserve again. */
		if (xa_reserve(&cache->i_pages, idx, gfp)) {
			ret = ERR_PTR(-ENOMEM);
			break;
		}
	}
	if (ret) {
		ClearPageSwapCache(page);
		page->private = 0;
		put_page(page);
		return PTR_ERR(ret);
	}
	mod_node_page_state(page_pgdat(page), NR_FILE_PAGES, 1);
	mod_node_page_state(page_pgdat(page), NR_SWAPCACHE, 1);
	return 0;
}

int add_to_swap(struct page *page)
{
	swp_entry_t entry = get_swap_page();
	struct swap_info_struct *si;
	int err;

	if (!entry.val)
		return -ENOSPC;
	/* Reclaim may not wait for memory here: it is making some, and it
	 * may use the reserves that exist for it (__GFP_MEMALLOC). */
	err = __add_to_swap_cache(page, entry, GFP_NOWAIT | __GFP_MEMALLOC |
				   __GFP_NOWARN);
	if (err) {
		si = swap_info_get(entry);
		swap_slot_clear_cache(&si->slots, swp_offset(entry));
		return err;
	}
	/* Nothing is in the slot yet: the page must be written. Its
	 * contents are what a swap-in would read (do_swap_page checks). */
	SetPageDirty(page);
	SetPageUptodate(page);
	return 0;
}

/* Out of the index and the counts; the caller drops the slot's cache bit
 * and the cache's reference. */
static void __delete_from_swap_cache(struct page *page)
{
	swp_entry_t entry = page_swap_entry(page);
	struct swap_info_struct *si = swap_info_get(entry);
	unsigned long flags;

	spin_lock_irqsave(&si->cache.i_pages_lock, flags);
	xa_erase(&si->cache.i_pages, swp_offset(entry));
	si->cache.nrpages--;
	spin_unlock_irqrestore(&si->cache.i_pages_lock, flags);
	ClearPageSwapCache(page);
	page->private = 0;
	mod_node_page_state(page_pgdat(page), NR_FILE_PAGES, -1);
	mod_node_page_state(page_pgdat(page), NR_SWAPCACHE, -1);
}

void delete_from_swap_cache(struct page *page)
{
	swp_entry_t entry = page_swap_entry(page);
	struct swap_info_struct *si = swap_info_get(entry);

	__delete_from_swap_cache(page);
	swap_slot_clear_cache(&si->slots, swp_offset(entry));
	put_page(page);			/* the cache's reference */
}

bool try_to_free_swap(struct page *page)
{
	if (!PageSwapCache(page) || PageWriteback(page))
		return false;
	if (swap_count(page_swap_entry(page)))
		return false;		/* a PTE still names the slot */
	delete_from_swap_cache(page);
	/* The slot's copy is gone: the page is the only one now. */
	SetPageDirty(page);
	return true;
}

void free_swap_cache(struct page *page)
{
	if (PageSwapCache(page) && !page_mapped(page) && trylock_page(page)) {
		if (PageSwapCache(page) && !page_mapped(page))
			try_to_free_swap(page);
		unlock_page_wake(page);
	}
}

struct page *lookup_swap_cache(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(entry);
	struct page *page;

	if (!si)
		return NULL;
	page = find_get_page(&si->cache, swp_offset(entry));
	/* A page readahead brought in, used for the first time. */
	if (page && TestClearPageReadahead(page))
		count_vm_event(SWAP_RA_HIT);
	return page;
}

/*
 * The page caching entry: found, or a new locked page added to the cache
 * and the LRU (*new true: the caller reads it). NULL: no memory, or the
 * slot is free (a stale entry).
 */
static struct page *swap_cache_get_or_add(swp_entry_t entry, bool *new)
{
	struct swap_info_struct *si = swap_info_get(entry);
	struct page *page;
	int err;

	*new = false;
	for (;;) {
		page = lookup_swap_cache(entry);
		if (page)
			return page;
		err = swap_slot_set_cache(&si->slots, swp_offset(entry));
		if (err == -ENOENT)
			return NULL;	/* freed meanwhile */
		if (err == -EEXIST)
			continue;	/* someone is adding it: look again */
		page = alloc_page(fault_gfp(GFP_HIGHUSER_MOVABLE |
					    __GFP_NOWARN));
		if (!page) {
			swap_slot_clear_cache(&si->slots, swp_offset(entry));
			return NULL;
		}
		__SetPageLocked(page);
		__SetPageSwapBacked(page);
		err = __add_to_swap_cache(page, entry, GFP_KERNEL);
		if (err) {
			swap_slot_clear_cache(&si->slots, swp_offset(entry));
			page->flags &= ~PAGE_FLAGS_OWNER;
			__free_page(page);
			if (err == -EEXIST)
				continue;
			return NULL;
		}
		lru_cache_add(page);	/* inactive anon */
		*new = true;
		return page;
	}
}

/*
 * Cluster readahead (Linux's swap_cluster_readahead): the slots around
 * the one faulted on, in the aligned window of swap_ra_pages, were most
 * likely written together (one cluster, one reclaim batch) and belong to
 * the same region of the same process. Each one in use and not cached
 * is read into a new page marked PG_readahead; its first use counts a
 * swap_ra_hit.
 */
struct page *swapin_readahead(swp_entry_t entry, struct vm_area_struct *vma,
			      unsigned long addr, bool *major)
{
	struct swap_info_struct *si = swap_info_get(entry);
	unsigned long off = swp_offset(entry), win = swap_ra_pages;
	unsigned long start, end;
	struct page *page = NULL, *run[SWAP_IO_MAX_PAGES];
	unsigned int nr = 0;
	bool new;

	(void)vma;
	(void)addr;
	*major = false;
	if (!si)
		return NULL;
	page = lookup_swap_cache(entry);
	if (page)
		return page;
	/* LAB: which slots to read with the one faulted on
	 * (docs/labs/05-swap-readahead.md). */
	if (win > si->backend->max_pages)
		win = si->backend->max_pages;
	start = win > 1 ? off & ~(win - 1) : off;
	end = start + (win > 1 ? win : 1);
	if (start == 0)
		start = 1;		/* slot 0 is the header */
	if (end > si->slots.last_page + 1)
		end = si->slots.last_page + 1;
	/* New pages of consecutive slots are read by one request. */
	for (unsigned long o = start; o < end; o++) {
		swp_entry_t e = swp_entry(swp_type(entry), o);
		struct page *p = NULL;

		if (o == off || swap_slot_count(&si->slots, o))
			p = swap_cache_get_or_add(e, &new);
		if (!p || !new) {
			/* Free, cached or no memory: the run ends here. */
			swap_readpages(run, nr);
			nr = 0;
		}
		if (!p)
			continue;
		if (new) {
			if (o != off) {
				SetPageReadahead(p);
				count_vm_event(SWAP_RA);
			}
			run[nr++] = p;
		}
		if (o == off) {
			page = p;
			*major = new;
		} else {
			put_page(p);	/* the cache keeps it */
		}
	}
	swap_readpages(run, nr);
	return page;
}
