/*
 * mm/shared_anon.c - shared anonymous memory and its swap (contract and
 * design: mm/shared_anon.h; the life of a page: docs/mm/swap.md).
 */
#include "mm/shared_anon.h"
#include "mm/vm_internal.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/wait.h"

/* Every object with a reference, for swapoff (shared_anon_unuse). */
static struct list_head shared_anon_list = LIST_HEAD_INIT(shared_anon_list);
static DEFINE_SPINLOCK(shared_anon_lock);

/* Its pages move as page-cache pages do: the index switch under
 * i_pages_lock (migrate_page_mapping), so they are allocated movable. */
static const struct address_space_operations shared_anon_aops = {
	.migrate_folio = filemap_migrate_folio,
};

/* What shared_anon_get_page's steps return besides 0 and -errno: the
 * index changed under us, look at it again. */
#define LOOK_AGAIN	1

struct shared_anon *shared_anon_alloc(struct mm_struct *mm,
				      unsigned long nr_pages)
{
	struct shared_anon *s = vm_zalloc(mm, sizeof(*s));

	if (!s)
		return NULL;
	address_space_init(&s->mapping, &shared_anon_aops, s);
	s->mapping.node = mm->node;
	s->mapping.gfp_mask = GFP_HIGHUSER_MOVABLE;
	s->mapping.size = (loff_t)nr_pages << PAGE_SHIFT;
	s->mapping.name = "shared-anon";
	s->refcount = 1;
	s->nr_pages = nr_pages;
	spin_lock(&shared_anon_lock);
	list_add_tail(&s->link, &shared_anon_list);
	spin_unlock(&shared_anon_lock);
	return s;
}

void shared_anon_get(struct shared_anon *s)
{
	__atomic_add_fetch(&s->refcount, 1, __ATOMIC_RELAXED);
}

/* A reference unless the last one went already (swapoff's walk). */
static bool shared_anon_get_not_zero(struct shared_anon *s)
{
	int r = __atomic_load_n(&s->refcount, __ATOMIC_RELAXED);

	do {
		if (!r)
			return false;
	} while (!__atomic_compare_exchange_n(&s->refcount, &r, r + 1, false,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

bool page_is_shared_anon(const struct page *page)
{
	struct address_space *m = page_mapping(page);

	return m && m->a_ops == &shared_anon_aops;
}

static swp_entry_t value_to_entry(const void *e)
{
	return (swp_entry_t){ xa_to_value(e) };
}

/*
 * The last reference went: no VMA maps the object, so no fault can find
 * it; reclaim and migration still may hold one of its pages (locked, and
 * they check page->mapping under that lock). Each page leaves the index
 * under its lock; each entry gives its slot back.
 */
static void shared_anon_free(struct shared_anon *s)
{
	struct address_space *m = &s->mapping;
	unsigned long flags, idx = 0;
	void *e;

	spin_lock(&shared_anon_lock);
	list_del(&s->link);
	spin_unlock(&shared_anon_lock);
	for (;;) {
		struct page *page;

		spin_lock_irqsave(&m->i_pages_lock, flags);
		e = xa_find(&m->i_pages, &idx, ~0UL, XA_PRESENT);
		if (e && xa_is_value(e)) {
			xa_erase(&m->i_pages, idx);
			s->nr_swapped--;
		} else if (e) {
			get_page(e);
		}
		spin_unlock_irqrestore(&m->i_pages_lock, flags);
		if (!e)
			break;
		if (xa_is_value(e)) {
			/* Its data goes: the slot, and the swap cache's copy
			 * when nobody holds it. */
			free_swap_and_cache(value_to_entry(e));
			continue;
		}
		page = e;
		lock_page(page);
		/* Reclaim may have moved it to the swap cache meanwhile:
		 * then the index holds its entry, found next time round. */
		if (page->mapping == m && page->index == idx) {
			spin_lock_irqsave(&m->i_pages_lock, flags);
			xa_erase(&m->i_pages, idx);
			m->nrpages--;
			page->mapping = NULL;
			spin_unlock_irqrestore(&m->i_pages_lock, flags);
			mod_node_page_state(page_pgdat(page), NR_SHMEM, -1);
			ClearPageDirty(page);
			put_page(page);		/* the object's reference */
		}
		unlock_page_wake(page);
		put_page(page);
	}
	BUG_ON(m->nrpages || s->nr_swapped);
	xa_destroy(&m->i_pages);
	kfree(s);
}

void shared_anon_put(struct shared_anon *s)
{
	if (!__atomic_sub_fetch(&s->refcount, 1, __ATOMIC_ACQ_REL))
		shared_anon_free(s);
}

/* ---------------------------------------------------------------- faults */

/* Lock page for a fault of mm. Waiting with mm's mmap_lock held would
 * keep this process's faults (and the rmap walks counting it busy) behind
 * someone else's I/O: where the fault may be retried the lock is dropped
 * for the wait and false returned (the page's reference stays ours). */
static bool lock_page_for_fault(struct page *page, struct mm_struct *mm)
{
	if (trylock_page(page))
		return true;
	if (mm && current_fault_may_retry()) {
		mmap_read_unlock(mm);
		wait_on_page_locked(page);
		return false;
	}
	lock_page(page);
	return true;
}

/* A first touch: a new zeroed page, locked, into the index. 0 (*pagep
 * holds it), LOOK_AGAIN (someone else filled the index), -ENOMEM. */
static int add_new_page(struct shared_anon *s, pgoff_t idx,
			struct page **pagep)
{
	struct address_space *m = &s->mapping;
	gfp_t gfp = fault_gfp(m->gfp_mask | __GFP_ZERO | __GFP_NOWARN);
	struct page *page;
	unsigned long flags;
	void *ret;

	page = m->node ? alloc_pages_node(m->node, gfp, 0) : alloc_page(gfp);
	if (!page)
		return -ENOMEM;
	__SetPageLocked(page);
	__SetPageSwapBacked(page);
	SetPageUptodate(page);
	page->mapping = m;
	page->index = idx;
	do {
		/* The index's nodes are slab memory: never movable. */
		if (xa_reserve(&m->i_pages, idx, gfp & ~__GFP_MOVABLE)) {
			ret = ERR_PTR(-ENOMEM);
			break;
		}
		spin_lock_irqsave(&m->i_pages_lock, flags);
		if (xa_load(&m->i_pages, idx)) {
			ret = ERR_PTR(-EEXIST);
		} else {
			ret = xa_store(&m->i_pages, idx, page, GFP_NOWAIT);
			if (!xa_is_err(ret)) {
				ret = NULL;
				m->nrpages++;
				get_page(page);	/* the object's reference */
			}
		}
		spin_unlock_irqrestore(&m->i_pages_lock, flags);
	} while (xa_is_err(ret));
	if (ret) {
		page->mapping = NULL;
		page->flags &= ~PAGE_FLAGS_OWNER;
		__free_page(page);
		return ret == ERR_PTR(-EEXIST) ? LOOK_AGAIN : -ENOMEM;
	}
	mod_node_page_state(page_pgdat(page), NR_SHMEM, 1);
	lru_cache_add(page);		/* swap-backed: the anonymous lists */
	*pagep = page;
	return 0;
}

/*
 * Index idx holds e, the entry of a slot: read it (or find it in the swap
 * cache) and put the page back in the index in e's place; the slot is
 * freed. 0 or LOOK_AGAIN (then look at the index again), -ENOMEM, -EIO,
 * -EAGAIN (mm's lock was dropped to wait).
 */
static int swap_back(struct shared_anon *s, pgoff_t idx, void *e,
		     struct mm_struct *mm, bool *major)
{
	struct address_space *m = &s->mapping;
	swp_entry_t entry = value_to_entry(e);
	struct swap_info_struct *si = swap_info_get(entry);
	struct page *page;
	unsigned long flags;
	bool still;

	if (!si) {
		pr_err("mm: shared anonymous page %lu names swap entry %#lx, "
		       "whose area %u is not on\n", idx, entry.val,
		       swp_type(entry));
		return -EIO;
	}
	page = swapin_readahead(entry, NULL, 0, major);
	if (!page) {
		/* No memory, or the slot was freed: by whoever brought the
		 * page back first (the index changed). */
		spin_lock_irqsave(&m->i_pages_lock, flags);
		still = xa_load(&m->i_pages, idx) == e;
		spin_unlock_irqrestore(&m->i_pages_lock, flags);
		return still ? -ENOMEM : LOOK_AGAIN;
	}
	if (!lock_page_for_fault(page, mm)) {
		put_page(page);
		return -EAGAIN;
	}
	if (!PageSwapCache(page) || page_swap_entry(page).val != entry.val) {
		/* Left the cache (its read could not start): again. */
		unlock_page_wake(page);
		put_page(page);
		return LOOK_AGAIN;
	}
	if (!PageUptodate(page)) {
		pr_err("mm: swap-in of shared anonymous page %lu failed: read "
		       "error on %s slot %lu\n", idx, si->backend->name,
		       swp_offset(entry));
		/* Out of the cache, so a later fault reads the slot again. */
		if (PageError(page) && !page_mapped(page))
			delete_from_swap_cache(page);
		unlock_page_wake(page);
		put_page(page);
		return -EIO;
	}
	/* A write from the swap-out that put it there may still be on its
	 * way: the slot is about to be freed under it. */
	wait_on_page_writeback(page);
	spin_lock_irqsave(&m->i_pages_lock, flags);
	if (xa_load(&m->i_pages, idx) != e) {
		/* Someone else brought it back. */
		spin_unlock_irqrestore(&m->i_pages_lock, flags);
		unlock_page_wake(page);
		put_page(page);
		return LOOK_AGAIN;
	}
	/* An existing index: the store needs no memory. */
	if (xa_store(&m->i_pages, idx, page, GFP_NOWAIT) != e)
		panic("shared_anon: the index at %lu changed under its lock",
		      idx);
	m->nrpages++;
	s->nr_swapped--;
	get_page(page);			/* the object's reference */
	spin_unlock_irqrestore(&m->i_pages_lock, flags);
	/* Out of the swap cache (its reference goes), then the slot. */
	delete_from_swap_cache(page);
	swap_free(entry);
	page->mapping = m;
	page->index = idx;
	/* The slot's copy is gone, and the object's pages carry no dirty
	 * state (swap-out always writes). A failed write's mark goes. */
	ClearPageDirty(page);
	ClearPageError(page);
	ClearPageReclaim(page);
	mod_node_page_state(page_pgdat(page), NR_SHMEM, 1);
	unlock_page_wake(page);
	put_page(page);			/* swapin's */
	return 0;
}

int shared_anon_get_page(struct shared_anon *s, pgoff_t idx,
			 struct mm_struct *mm, struct page **pagep,
			 bool *major)
{
	struct address_space *m = &s->mapping;
	bool read = false;

	*major = false;
	for (int tries = 0;; tries++) {
		struct page *page;
		unsigned long flags;
		int r;
		void *e;

		/* A read that never started, again and again (no memory
		 * for the request): out of memory. */
		if (tries > 16)
			return -ENOMEM;
		spin_lock_irqsave(&m->i_pages_lock, flags);
		e = xa_load(&m->i_pages, idx);
		if (e && !xa_is_value(e))
			get_page(e);
		spin_unlock_irqrestore(&m->i_pages_lock, flags);
		if (!e) {
			r = add_new_page(s, idx, pagep);
		} else if (xa_is_value(e)) {
			r = swap_back(s, idx, e, mm, &read);
			*major |= read;
			if (!r)
				r = LOOK_AGAIN;	/* it is in the index now */
		} else {
			page = e;
			if (!lock_page_for_fault(page, mm)) {
				put_page(page);
				return -EAGAIN;
			}
			/* Still there? (Reclaim may have moved it to the
			 * swap cache, migration to a new page.) */
			if (page->mapping == m && page->index == idx) {
				*pagep = page;
				return 0;
			}
			unlock_page_wake(page);
			put_page(page);
			r = LOOK_AGAIN;
		}
		if (r != LOOK_AGAIN)
			return r;
	}
}

/* ---------------------------------------------------------------- reclaim */

int shared_anon_writeout(struct page *page)
{
	struct address_space *m = page_mapping(page);
	struct shared_anon *s;
	swp_entry_t entry;
	unsigned long flags;
	void *old;
	int err;

	if (!page_is_shared_anon(page))
		return -EINVAL;
	s = m->host;
	if (page_mapped(page) || page_maybe_dma_pinned(page))
		return -EBUSY;
	err = add_to_swap(page);	/* a slot, the cache, dirty */
	if (err)
		return err;
	entry = page_swap_entry(page);
	/* The object's reference on the slot (the cache has its own). */
	err = swap_duplicate(entry);
	if (err) {
		delete_from_swap_cache(page);
		ClearPageDirty(page);
		return err;
	}
	spin_lock_irqsave(&m->i_pages_lock, flags);
	old = xa_store(&m->i_pages, page->index, xa_mk_value(entry.val),
		       GFP_NOWAIT);
	if (old != page)
		panic("shared_anon: page %lu of a mapping is not in its index",
		      page->index);
	m->nrpages--;
	s->nr_swapped++;
	page->mapping = NULL;
	spin_unlock_irqrestore(&m->i_pages_lock, flags);
	mod_node_page_state(page_pgdat(page), NR_SHMEM, -1);
	put_page(page);			/* the object's reference */
	return 0;
}

/* ---------------------------------------------------------------- swapoff */

/* The first entry of area type at or above *idx in s, or NULL. */
static void *next_entry_of(struct shared_anon *s, unsigned int type,
			   unsigned long *idx)
{
	struct address_space *m = &s->mapping;
	unsigned long flags;
	void *e;

	spin_lock_irqsave(&m->i_pages_lock, flags);
	for (e = xa_find(&m->i_pages, idx, ~0UL, XA_PRESENT); e;
	     e = xa_find_after(&m->i_pages, idx, ~0UL, XA_PRESENT))
		if (xa_is_value(e) && swp_type(value_to_entry(e)) == type)
			break;
	spin_unlock_irqrestore(&m->i_pages_lock, flags);
	return e;
}

static int unuse_object(struct shared_anon *s, unsigned int type)
{
	unsigned long idx = 0;
	void *e;

	while ((e = next_entry_of(s, type, &idx))) {
		struct page *page;
		bool major;
		int err;

		/* Back into the object; the page's reference is not needed
		 * (the object holds it). */
		err = shared_anon_get_page(s, idx, NULL, &page, &major);
		if (err)
			return err;
		unlock_page_wake(page);
		put_page(page);
	}
	return 0;
}

int shared_anon_unuse(unsigned int type)
{
	struct shared_anon *s, *prev = NULL;
	int err = 0;

	spin_lock(&shared_anon_lock);
	list_for_each_entry(s, &shared_anon_list, link) {
		if (!shared_anon_get_not_zero(s))
			continue;	/* being freed: its slots go too */
		spin_unlock(&shared_anon_lock);
		if (prev)
			shared_anon_put(prev);
		prev = s;
		err = unuse_object(s, type);
		spin_lock(&shared_anon_lock);
		if (err)
			break;
	}
	spin_unlock(&shared_anon_lock);
	if (prev)
		shared_anon_put(prev);
	return err;
}
