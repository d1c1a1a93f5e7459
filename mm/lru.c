/*
 * mm/lru.c - the LRU lists of a node: adding pages, promoting and
 * demoting them, taking them off for reclaim, and the last put_page.
 * Contracts: mm/lru.h; the picture: docs/mm/reclaim.md.
 *
 * Every list change happens under lruvec->lru_lock with interrupts off
 * (end_page_writeback may rotate a page from I/O completion), and moves
 * three counts together: lruvec->nr_pages[lru], the zone's NR_ZONE_* and
 * the node's NR_* item of that list. Because only this file changes them
 * and always under the lock, the snapshot readers are exact whenever the
 * lock is held (lruvec_check compares all three).
 *
 * Adding is batched per CPU (Linux's cpu_fbatches.lru_add): a new page
 * waits in its CPU's batch, holding a reference and with PG_lru still
 * clear, until LRU_ADD_BATCH pages are there; then one lru_lock
 * acquisition puts them all on their lists. With a lock taken per page,
 * eight CPUs faulting at once queued for it page by page, and on the
 * 8-CPU machine of make test (8 vCPUs on 2 host cores) a ticket lock
 * hands itself to the next waiter even when the host is not running
 * that vCPU: a 64 MiB memhog test took a minute instead of a second.
 * Each batch has its own lock (never contended but by a drain), so
 * lru_add_drain_all() empties every CPU's batch from anywhere, without
 * interrupting the other CPUs; reclaim, MADV_COLD, cache invalidation
 * and lruvec_check drain first, so that they see every page.
 */
#include "mm/lru_internal.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "mm/workingset.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

static inline pg_data_t *lruvec_pgdat(struct lruvec *lruvec)
{
	return container_of(lruvec, pg_data_t, __lruvec);
}

struct lruvec *page_lruvec(struct page *page)
{
	return node_lruvec(page_pgdat(page));
}

void lruvec_init(struct lruvec *lruvec)
{
	spin_lock_init(&lruvec->lru_lock, "lru_lock");
	for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
		INIT_LIST_HEAD(&lruvec->lists[lru]);
		lruvec->nr_pages[lru] = 0;
	}
	lruvec->nonresident_age = 0;
	for (int i = 0; i < 2; i++)
		lruvec->recent_scanned[i] = lruvec->recent_rotated[i] = 0;
}

/* The three counts of list lru move by delta (lru_lock held, irqs off). */
static void update_lru_size(struct lruvec *lruvec, struct page *page,
			    enum lru_list lru, long delta)
{
	lruvec->nr_pages[lru] += (unsigned long)delta;
	__mod_zone_page_state(page_zone(page),
			      (enum zone_stat_item)(NR_ZONE_LRU_BASE + lru),
			      delta);
	__mod_node_page_state(lruvec_pgdat(lruvec),
			      (enum node_stat_item)(NR_LRU_BASE + lru), delta);
}

/* Put page at the head (newest end) of list lru (lock held). */
static void add_page_to_lru_list(struct page *page, struct lruvec *lruvec,
				 enum lru_list lru)
{
	list_add(&page->lru, &lruvec->lists[lru]);
	update_lru_size(lruvec, page, lru, 1);
}

/* ... at the tail (oldest end: reclaim looks there next). */
static void add_page_to_lru_list_tail(struct page *page,
				      struct lruvec *lruvec, enum lru_list lru)
{
	list_add_tail(&page->lru, &lruvec->lists[lru]);
	update_lru_size(lruvec, page, lru, 1);
}

static void del_page_from_lru_list(struct page *page, struct lruvec *lruvec,
				   enum lru_list lru)
{
	list_del_init(&page->lru);
	update_lru_size(lruvec, page, lru, -1);
}

/* ------------------------------------------------ per-CPU add batches */

struct lru_add_batch {
	spinlock_t lock;
	unsigned int nr;
	struct page *pages[LRU_ADD_BATCH];
};

static DEFINE_PER_CPU(struct lru_add_batch, lru_add_batches) = {
	[0 ... NR_CPUS - 1] = { .v = { .lock = SPINLOCK_INIT("lru_add_batch") } },
};

/* Put n batched pages on their lists (one lock for a run of pages of the
 * same lruvec), then drop the batch's references. */
static void lru_add_pages(struct page **pages, unsigned int n)
{
	struct lruvec *locked = NULL;
	unsigned long flags = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct page *page = pages[i];
		struct lruvec *lruvec = page_lruvec(page);

		if (lruvec != locked) {
			if (locked)
				spin_unlock_irqrestore(&locked->lru_lock, flags);
			spin_lock_irqsave(&lruvec->lru_lock, flags);
			locked = lruvec;
		}
		/* LAB: the replacement policy decides here where a new
		 * page goes (Linux: the inactive head; a 2Q variant: a
		 * probation FIFO). */
		SetPageLRU(page);
		add_page_to_lru_list(page, lruvec, page_lru(page));
	}
	if (locked)
		spin_unlock_irqrestore(&locked->lru_lock, flags);
	/* A page truncated while it waited goes now, off its list again. */
	release_pages(pages, n);
}

/* Take everything out of batch b (into out); how many. b->lock held. */
static unsigned int __batch_take(struct lru_add_batch *b, struct page **out)
{
	unsigned int n = b->nr;

	for (unsigned int i = 0; i < n; i++)
		out[i] = b->pages[i];
	b->nr = 0;
	return n;
}

void lru_cache_add(struct page *page)
{
	struct page *full[LRU_ADD_BATCH];
	struct lru_add_batch *b;
	unsigned long flags;
	unsigned int n = 0;

	BUG_ON(PageLRU(page));
	BUG_ON(page_count(page) < 1);
	get_page(page);			/* the batch's */
	/* Whichever CPU's batch this turns out to be if we move meanwhile:
	 * its lock makes it ours. */
	b = this_cpu_ptr(lru_add_batches);
	spin_lock_irqsave(&b->lock, flags);
	b->pages[b->nr++] = page;
	if (b->nr == LRU_ADD_BATCH)	/* under the lock: nobody adds to it */
		n = __batch_take(b, full);
	spin_unlock_irqrestore(&b->lock, flags);
	if (n)
		lru_add_pages(full, n);
}

/*
 * A page used twice while it still waits in an add batch: it will go
 * straight to the active list (Linux's __lru_cache_activate_folio). False
 * if no batch holds it (it is isolated, or just being added).
 */
static bool activate_batched_page(struct page *page)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct lru_add_batch *b = per_cpu_ptr(lru_add_batches, cpu);
		unsigned long flags;
		bool found = false;

		if (!READ_ONCE(b->nr))
			continue;
		spin_lock_irqsave(&b->lock, flags);
		for (unsigned int i = 0; i < b->nr && !found; i++)
			if (b->pages[i] == page) {
				SetPageActive(page);
				found = true;
			}
		spin_unlock_irqrestore(&b->lock, flags);
		if (found)
			return true;
	}
	return false;
}

void lru_add_drain_all(void)
{
	struct page *pages[LRU_ADD_BATCH];

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct lru_add_batch *b = per_cpu_ptr(lru_add_batches, cpu);
		unsigned long flags;
		unsigned int n;

		if (!READ_ONCE(b->nr))
			continue;
		spin_lock_irqsave(&b->lock, flags);
		n = __batch_take(b, pages);
		spin_unlock_irqrestore(&b->lock, flags);
		if (n)
			lru_add_pages(pages, n);
	}
}

/*
 * Move an inactive page on the LRU to the active list's head (lock
 * held). False if the page is not on an inactive list (isolated,
 * active, unevictable).
 */
static bool __activate_page(struct page *page, struct lruvec *lruvec)
{
	enum lru_list lru;

	if (!PageLRU(page) || PageActive(page) || PageUnevictable(page))
		return false;
	lru = page_lru(page);
	del_page_from_lru_list(page, lruvec, lru);
	SetPageActive(page);
	add_page_to_lru_list(page, lruvec, lru + 1);
	return true;
}

void mark_page_accessed(struct page *page)
{
	if (PageIdle(page))
		ClearPageIdle(page);
	/* LAB: a CLOCK policy would only set the reference bit here. */
	if (!PageReferenced(page)) {
		SetPageReferenced(page);
	} else if (!PageActive(page) && !PageUnevictable(page)) {
		struct lruvec *lruvec = page_lruvec(page);
		unsigned long flags;
		bool moved = false;

		if (PageLRU(page)) {
			spin_lock_irqsave(&lruvec->lru_lock, flags);
			moved = __activate_page(page, lruvec);
			spin_unlock_irqrestore(&lruvec->lru_lock, flags);
		} else {
			moved = activate_batched_page(page);
		}
		if (moved) {
			ClearPageReferenced(page);
			count_vm_event(PGACTIVATE);
			workingset_activation(page);
		}
	}
	/*
	 * A referenced page off the LRU (isolated by reclaim) keeps
	 * PG_referenced: reclaim's page_check_references
	 * sees it and activates the page there.
	 */
}

void deactivate_page(struct page *page)
{
	struct lruvec *lruvec = page_lruvec(page);
	unsigned long flags;
	bool moved = false;

	if (!PageLRU(page))
		lru_add_drain_all();	/* it may be waiting in a batch */
	spin_lock_irqsave(&lruvec->lru_lock, flags);
	if (PageLRU(page) && PageActive(page) && !PageUnevictable(page)) {
		enum lru_list lru = page_lru(page);

		del_page_from_lru_list(page, lruvec, lru);
		ClearPageActive(page);
		ClearPageReferenced(page);
		add_page_to_lru_list(page, lruvec, lru - 1);
		moved = true;
	}
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
	if (moved)
		count_vm_event(PGDEACTIVATE);
}

static enum node_stat_item isolated_item(const struct page *page)
{
	return PageSwapBacked(page) ? NR_ISOLATED_ANON : NR_ISOLATED_FILE;
}

/*
 * Take page off its list under lru_lock and count it isolated. get: take
 * the reference too, and only if one can be had (the page is on a list
 * under lru_lock, so it is a user page whose last put_page waits for
 * this lock to take it off; a count of 0 means that put is under way).
 */
static bool take_off_lru(struct page *page, bool get)
{
	struct lruvec *lruvec = page_lruvec(page);
	unsigned long flags;
	bool taken = false;

	spin_lock_irqsave(&lruvec->lru_lock, flags);
	if (PageLRU(page) && (!get || get_page_unless_zero(page))) {
		ClearPageLRU(page);
		del_page_from_lru_list(page, lruvec, page_lru(page));
		__mod_node_page_state(lruvec_pgdat(lruvec),
				      isolated_item(page), 1);
		taken = true;
	}
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
	return taken;
}

bool isolate_lru_page(struct page *page)
{
	if (!PageLRU(page))
		lru_add_drain_all();	/* it may be waiting in a batch */
	return take_off_lru(page, false);
}

bool get_and_isolate_lru_page(struct page *page)
{
	if (!PageLRU(page))
		return false;		/* a cheap look first: most are not */
	return take_off_lru(page, true);
}

void putback_lru_page(struct page *page)
{
	struct lruvec *lruvec = page_lruvec(page);
	unsigned long flags;

	BUG_ON(PageLRU(page));
	spin_lock_irqsave(&lruvec->lru_lock, flags);
	__mod_node_page_state(lruvec_pgdat(lruvec), isolated_item(page), -1);
	SetPageLRU(page);
	add_page_to_lru_list(page, lruvec, page_lru(page));
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
}

void rotate_reclaimable_page(struct page *page)
{
	struct lruvec *lruvec = page_lruvec(page);
	unsigned long flags;
	bool moved = false;

	spin_lock_irqsave(&lruvec->lru_lock, flags);
	if (PageLRU(page) && !PageActive(page) && !PageUnevictable(page)) {
		enum lru_list lru = page_lru(page);

		del_page_from_lru_list(page, lruvec, lru);
		add_page_to_lru_list_tail(page, lruvec, lru);
		moved = true;
	}
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
	if (moved)
		count_vm_event(PGROTATED);
}

/* A page whose last reference went and which is off its list: clear what
 * its owner set, then free it. */
static void free_user_page(struct page *page)
{
	if (unlikely(page_mapped(page) || PageWriteback(page) ||
		     page_mapping(page)))
		pr_err("put_page: pfn %#lx freed while %s (flags %#lx)\n",
		       page_to_pfn(page),
		       page_mapped(page) ? "mapped" :
		       PageWriteback(page) ? "under writeback" :
		       "still in a page cache", page->flags);
	/* Clear what the owner set, then free. */
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	page->flags &= ~PAGE_FLAGS_OWNER;
	page_mapcount_reset(page);
	set_page_count(page, 1);
	__free_page(page);
}

void put_page(struct page *page)
{
	if (!put_page_testzero(page))
		return;
	/*
	 * The last reference. Nobody can take a new one now (reclaim takes
	 * its references with get_page_unless_zero under lru_lock), so the
	 * page only has to leave its list.
	 */
	if (PageLRU(page)) {
		struct lruvec *lruvec = page_lruvec(page);
		unsigned long flags;

		spin_lock_irqsave(&lruvec->lru_lock, flags);
		ClearPageLRU(page);
		del_page_from_lru_list(page, lruvec, page_lru(page));
		spin_unlock_irqrestore(&lruvec->lru_lock, flags);
	}
	free_user_page(page);
}

void release_pages(struct page **pages, unsigned int n)
{
	struct lruvec *locked = NULL;
	unsigned long flags = 0;
	unsigned int nr_free = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct page *page = pages[i];

		if (!put_page_testzero(page))
			continue;
		if (PageLRU(page)) {
			struct lruvec *lruvec = page_lruvec(page);

			if (lruvec != locked) {
				if (locked)
					spin_unlock_irqrestore(&locked->lru_lock,
							       flags);
				spin_lock_irqsave(&lruvec->lru_lock, flags);
				locked = lruvec;
			}
			ClearPageLRU(page);
			del_page_from_lru_list(page, lruvec, page_lru(page));
		}
		pages[nr_free++] = page;	/* freed after the unlock */
	}
	if (locked)
		spin_unlock_irqrestore(&locked->lru_lock, flags);
	for (unsigned int i = 0; i < nr_free; i++)
		free_user_page(pages[i]);
}

unsigned long isolate_lru_pages(struct lruvec *lruvec, enum lru_list lru,
				unsigned long nr_to_scan,
				struct list_head *dst,
				unsigned long *nr_scanned)
{
	struct list_head *src = &lruvec->lists[lru];
	struct list_head *pos;
	unsigned long scanned = 0, taken = 0, flags;

	spin_lock_irqsave(&lruvec->lru_lock, flags);
	pos = src->prev;
	while (pos != src && scanned < nr_to_scan) {
		struct page *page = list_entry(pos, struct page, lru);

		pos = pos->prev;
		scanned++;
		if (!get_page_unless_zero(page))
			continue;	/* being freed: put_page removes it */
		ClearPageLRU(page);
		del_page_from_lru_list(page, lruvec, lru);
		list_add_tail(&page->lru, dst);
		__mod_node_page_state(lruvec_pgdat(lruvec),
				      isolated_item(page), 1);
		taken++;
	}
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
	*nr_scanned = scanned;
	return taken;
}

void putback_lru_pages(struct lruvec *lruvec, struct list_head *list)
{
	unsigned long flags, nr_active = 0;
	struct list_head to_free = LIST_HEAD_INIT(to_free);

	spin_lock_irqsave(&lruvec->lru_lock, flags);
	/* Oldest (list head) first, each to its list's head. */
	while (!list_empty(list)) {
		struct page *page = list_first_entry(list, struct page, lru);
		enum lru_list lru = page_lru(page);

		list_del(&page->lru);
		__mod_node_page_state(lruvec_pgdat(lruvec),
				      isolated_item(page), -1);
		/* On the list before reclaim's reference goes, so a put_page
		 * that drops the last one meanwhile finds it there. */
		SetPageLRU(page);
		add_page_to_lru_list(page, lruvec, lru);
		if (PageActive(page))
			nr_active++;
		if (put_page_testzero(page)) {
			/* Reclaim's was the last reference. */
			ClearPageLRU(page);
			del_page_from_lru_list(page, lruvec, lru);
			list_add(&page->lru, &to_free);
		}
	}
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
	__atomic_fetch_add(&lruvec->nonresident_age, nr_active,
			   __ATOMIC_RELAXED);
	while (!list_empty(&to_free)) {
		struct page *page = list_first_entry(&to_free, struct page, lru);

		list_del_init(&page->lru);
		free_user_page(page);
	}
}

unsigned long lruvec_lru_size(struct lruvec *lruvec, enum lru_list lru)
{
	return READ_ONCE(lruvec->nr_pages[lru]);
}

static const char *const lru_names[NR_LRU_LISTS] = {
	"inactive_anon", "active_anon", "inactive_file", "active_file",
	"unevictable",
};

const char *lru_list_name(enum lru_list lru)
{
	return (unsigned int)lru < NR_LRU_LISTS ? lru_names[lru] : "?";
}

/* One list: every page's flags and node say this list; counts agree. */
static int check_one_list(struct lruvec *lruvec, enum lru_list lru,
			  unsigned long zone_count[MAX_NR_ZONES])
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	unsigned long n = 0;
	struct page *page;

	list_for_each_entry(page, &lruvec->lists[lru], lru) {
		if (!PageLRU(page) || page_lru(page) != lru ||
		    page_pgdat(page) != pgdat) {
			pr_err("lruvec_check: pfn %#lx on %s: flags %#lx say "
			       "%s%s\n", page_to_pfn(page), lru_names[lru],
			       page->flags,
			       PageLRU(page) ? lru_names[page_lru(page)] :
			       "not on an LRU",
			       page_pgdat(page) != pgdat ? ", other node" : "");
			return -EINVAL;
		}
		if (page_count(page) < 1) {
			pr_err("lruvec_check: pfn %#lx on %s has refcount %d\n",
			       page_to_pfn(page), lru_names[lru],
			       page_count(page));
			return -EINVAL;
		}
		zone_count[page_zone(page)->idx]++;
		if (++n > lruvec->nr_pages[lru] + 1)
			break;		/* a loop, or a count far off */
	}
	if (n != lruvec->nr_pages[lru]) {
		pr_err("lruvec_check: %s holds %lu pages, its count says %lu\n",
		       lru_names[lru], n, lruvec->nr_pages[lru]);
		return -EINVAL;
	}
	if (node_page_state_snapshot(pgdat,
				     (enum node_stat_item)(NR_LRU_BASE + lru)) != n) {
		pr_err("lruvec_check: %s holds %lu pages, node counter %s says "
		       "%lu\n", lru_names[lru], n,
		       node_stat_names[NR_LRU_BASE + lru],
		       node_page_state_snapshot(pgdat,
				(enum node_stat_item)(NR_LRU_BASE + lru)));
		return -EINVAL;
	}
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		unsigned long c = zone_page_state_snapshot(zone,
				(enum zone_stat_item)(NR_ZONE_LRU_BASE + lru));

		if (c != zone_count[z]) {
			pr_err("lruvec_check: %s has %lu pages in zone %s, its "
			       "counter %s says %lu\n", lru_names[lru],
			       zone_count[z], zone->name,
			       zone_stat_names[NR_ZONE_LRU_BASE + lru], c);
			return -EINVAL;
		}
	}
	return 0;
}

int lruvec_check(struct lruvec *lruvec)
{
	unsigned long flags;
	int ret = 0;

	lru_add_drain_all();		/* every page on its list first */
	spin_lock_irqsave(&lruvec->lru_lock, flags);
	for (int lru = 0; lru < NR_LRU_LISTS && !ret; lru++) {
		unsigned long zone_count[MAX_NR_ZONES] = { 0 };

		ret = check_one_list(lruvec, (enum lru_list)lru, zone_count);
	}
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
	return ret;
}
