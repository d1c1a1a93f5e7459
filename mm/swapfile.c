/*
 * mm/swapfile.c - the swap areas: swapon, swapoff, the table of areas
 * and their priorities, and the slot references the rest of mm takes and
 * drops (swap_duplicate, swap_free). Contracts in mm/swap.h; the slots
 * themselves are mm/swap_alloc.c's, the header mm/swap_header.c's.
 */
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"
#include "mm/lru.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "mm/swap_header.h"
#include "mm/vm_internal.h"
#include "mm/vmstat.h"
#include <arch/cpu.h>

/*
 * swap_lock guards the table, the avail list and each area's flags and
 * prio. Areas on swap_avail_list are those with SWP_WRITEOK, highest
 * prio first; among equal prios the one used last goes behind the
 * others (round robin, as Linux's plist rotation).
 */
static spinlock_t swap_lock = SPINLOCK_INIT("swap_lock");
static struct swap_info_struct *swap_info[MAX_SWAPFILES];
static struct list_head swap_avail_list = LIST_HEAD_INIT(swap_avail_list);
static int least_priority;		/* the last automatic priority */
static struct list_head backend_lookups = LIST_HEAD_INIT(backend_lookups);

void swap_register_backend_lookup(struct swap_backend_lookup *l)
{
	spin_lock(&swap_lock);
	list_add_tail(&l->link, &backend_lookups);
	spin_unlock(&swap_lock);
}

/* The backend for name, NULL, or ERR_PTR with why filled. */
static struct swap_backend *find_backend(const char *name, char *why,
					 size_t whylen)
{
	struct swap_backend_lookup *l;

	/* Lookups are registered at boot and never leave: no lock needed
	 * to walk them once registered (and a lookup may sleep). */
	list_for_each_entry(l, &backend_lookups, link) {
		struct swap_backend *sb = l->lookup(name, why, whylen);

		if (sb)
			return sb;
	}
	return NULL;
}

struct swap_info_struct *swap_info_get(swp_entry_t entry)
{
	unsigned int type = swp_type(entry);
	struct swap_info_struct *si;

	if (type >= MAX_SWAPFILES)
		return NULL;
	si = READ_ONCE(swap_info[type]);
	if (!si || !swp_offset(entry) || swp_offset(entry) > si->slots.last_page)
		return NULL;
	return si;
}

/* Keep the avail list in priority order: insert si after every area of
 * a higher or equal priority. Under swap_lock. */
static void avail_insert(struct swap_info_struct *si)
{
	struct swap_info_struct *pos;

	list_for_each_entry(pos, &swap_avail_list, avail)
		if (pos->prio < si->prio) {
			list_add_tail(&si->avail, &pos->avail);
			return;
		}
	list_add_tail(&si->avail, &swap_avail_list);
}

/* ---------------------------------------------------------------- slots */

swp_entry_t get_swap_page(void)
{
	struct swap_info_struct *si;
	unsigned int cpu = arch_cpu_id();

	spin_lock(&swap_lock);
	list_for_each_entry(si, &swap_avail_list, avail) {
		unsigned long off;

		if (si->flags & SWP_DEAD)
			continue;
		off = swap_alloc_slot(&si->slots, cpu);
		if (!off)
			continue;	/* full: the next priority */
		/* Round robin among equal priorities. */
		list_del(&si->avail);
		avail_insert(si);
		spin_unlock(&swap_lock);
		return swp_entry(si->type, off);
	}
	spin_unlock(&swap_lock);
	return (swp_entry_t){ 0 };
}

int swap_duplicate(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(entry);

	return si ? swap_slot_dup(&si->slots, swp_offset(entry)) : -EINVAL;
}

void swap_free(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(entry);

	if (WARN_ON(!si))
		return;
	swap_slot_put(&si->slots, swp_offset(entry));
}

unsigned int swap_count(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(entry);

	return si ? swap_slot_count(&si->slots, swp_offset(entry)) : 0;
}

void free_swap_and_cache(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_info_get(entry);
	struct page *page;

	if (WARN_ON(!si))
		return;
	if (swap_slot_put(&si->slots, swp_offset(entry)) != SWAP_HAS_CACHE)
		return;		/* free now, or still referenced */
	/* Only the cache holds the slot: drop the cached copy if nobody is
	 * using it (a page under I/O or mapped stays; reclaim or the next
	 * fault lets it go). Not lookup_swap_cache: no readahead hit. */
	page = find_get_page(&si->cache, swp_offset(entry));
	if (!page)
		return;
	if (trylock_page(page)) {
		if (PageSwapCache(page) &&
		    page_swap_entry(page).val == entry.val &&
		    !PageWriteback(page) && !page_mapped(page))
			try_to_free_swap(page);
		unlock_page_wake(page);
	}
	put_page(page);
}

void si_swapinfo(unsigned long *total, unsigned long *free)
{
	*total = *free = 0;
	spin_lock(&swap_lock);
	for (unsigned int i = 0; i < MAX_SWAPFILES; i++) {
		struct swap_info_struct *si = swap_info[i];

		/* A dead area counts for nothing: no slot of it is usable,
		 * and counted full it would make vm_swap_full() say the
		 * areas still working are fuller than they are. */
		if (!si || !(si->flags & SWP_WRITEOK) ||
		    (READ_ONCE(si->flags) & SWP_DEAD))
			continue;
		*total += si->slots.nr_slots_usable;
		*free += si->slots.nr_slots_usable - READ_ONCE(si->slots.inuse);
	}
	spin_unlock(&swap_lock);
}

bool vm_swap_full(void)
{
	unsigned long total, free;

	si_swapinfo(&total, &free);
	return free * 2 < total;
}

bool swap_writes_stalled(void)
{
	bool stalled = false;

	spin_lock(&swap_lock);
	for (unsigned int i = 0; i < MAX_SWAPFILES && !stalled; i++) {
		struct swap_info_struct *si = swap_info[i];

		stalled = si && si->backend && si->backend->stalled &&
			  si->backend->stalled(si->backend);
	}
	spin_unlock(&swap_lock);
	return stalled;
}

bool swap_has_room(void)
{
	unsigned long total, free;

	si_swapinfo(&total, &free);
	return free > 0;
}

/* ---------------------------------------------------------------- swapon */

int swapon(const char *name, int prio, char *why, size_t whylen)
{
	struct swap_header_info *hdr = NULL;
	struct swap_info_struct *si;
	struct swap_backend *sb;
	struct page *page;
	unsigned int type;
	int err;

	why[0] = '\0';
	sb = find_backend(name, why, whylen);
	if (IS_ERR(sb))
		return (int)PTR_ERR(sb);
	if (!sb) {
		ksnprintf(why, whylen, "no such device");
		return -ENODEV;
	}
	spin_lock(&swap_lock);
	for (type = 0; type < MAX_SWAPFILES; type++) {
		if (swap_info[type] && swap_info[type]->backend &&
		    !strcmp(swap_info[type]->backend->name, sb->name)) {
			spin_unlock(&swap_lock);
			sb->release(sb);
			ksnprintf(why, whylen, "swap is on already");
			return -EBUSY;
		}
	}
	for (type = 0; type < MAX_SWAPFILES && swap_info[type]; type++)
		;
	spin_unlock(&swap_lock);
	if (type == MAX_SWAPFILES) {
		sb->release(sb);
		ksnprintf(why, whylen, "%u areas on already", MAX_SWAPFILES);
		return -ENOSPC;
	}

	page = alloc_page(GFP_KERNEL);
	si = kzalloc(sizeof(*si), GFP_KERNEL);
	hdr = kzalloc(sizeof(*hdr), GFP_KERNEL);	/* 2.6 KiB: not the stack */
	err = -ENOMEM;
	if (!page || !si || !hdr)
		goto fail;
	err = sb->read_header(sb, page);
	if (err) {
		ksnprintf(why, whylen, "cannot read the header page (%d)", err);
		goto fail;
	}
	err = swap_header_parse(page_address(page), sb->nr_bytes, hdr,
				why, whylen);
	if (err)
		goto fail;
	err = swap_alloc_init(&si->slots, hdr->last_page, hdr->bad,
			      hdr->nr_bad, NR_CPUS);
	if (err == -EINVAL) {
		ksnprintf(why, whylen, "%lu slots: more than one area may have "
			  "(%lu)", hdr->last_page, SWAP_ALLOC_MAX_SLOTS - 1);
		goto fail;
	} else if (err) {
		ksnprintf(why, whylen, "no memory for the tables of %lu slots",
			  hdr->last_page);
		goto fail;
	}
	__free_page(page);
	page = NULL;

	si->backend = sb;
	err = swap_io_pool_fill(si);
	if (err) {
		ksnprintf(why, whylen, "no memory for its I/O requests");
		swap_alloc_destroy(&si->slots);
		goto fail;
	}
	address_space_init(&si->cache, NULL, si);
	si->cache.name = sb->name;
	spin_lock(&swap_lock);
	if (swap_info[type]) {		/* taken meanwhile: look again */
		spin_unlock(&swap_lock);
		swap_io_pool_drain(si);
		swap_alloc_destroy(&si->slots);
		kfree(si);
		kfree(hdr);
		sb->release(sb);
		return swapon(name, prio, why, whylen);
	}
	si->type = type;
	si->prio = prio >= 0 ? prio : --least_priority;
	si->flags = SWP_USED | SWP_WRITEOK;
	WRITE_ONCE(swap_info[type], si);
	avail_insert(si);
	spin_unlock(&swap_lock);
	pr_info("swap: on %s: %lu KiB (%u bad pages), priority %d\n",
		sb->name, si->slots.nr_slots_usable * (PAGE_SIZE / 1024),
		hdr->nr_bad, si->prio);
	kfree(hdr);
	return 0;

fail:
	if (page)
		__free_page(page);
	kfree(hdr);
	kfree(si);
	sb->release(sb);
	if (err == -ENOMEM && !why[0])
		ksnprintf(why, whylen, "out of memory");
	return err;
}

/* ---------------------------------------------------------------- swapoff */

static struct swap_info_struct *find_area(const char *name)
{
	for (unsigned int i = 0; i < MAX_SWAPFILES; i++)
		if (swap_info[i] && !strcmp(swap_info[i]->backend->name, name))
			return swap_info[i];
	return NULL;
}

/*
 * After every PTE let go of the area's slots, the swap cache still holds
 * pages: readahead's unused ones, pages now mapped again, pages being
 * written. Wait for the writes and take each out (a mapped page keeps its
 * data, dirty). A slot a PTE still names stays: the next pass of
 * unuse_area finds its PTE.
 */
static void drain_swap_cache(struct swap_info_struct *si)
{
	unsigned long off = 1;

	while ((off = swap_alloc_next_used(&si->slots, off))) {
		swp_entry_t entry = swp_entry(si->type, off);
		struct page *page;

		/* Not lookup_swap_cache: this is no use of a readahead page. */
		page = find_get_page(&si->cache, off);
		if (page) {
			lock_page(page);
			wait_on_page_writeback(page);
			if (PageSwapCache(page) &&
			    page_swap_entry(page).val == entry.val)
				try_to_free_swap(page);	/* no, if counted */
			unlock_page_wake(page);
			put_page(page);
		}
		off++;
	}
}

/* Passes in a row that may free nothing before swapoff gives up, each
 * after a pause of swapoff_idle_pause_ms: about two seconds in all. */
#define UNUSE_IDLE_PASSES	20
unsigned int swapoff_idle_pause_ms = 100;

static DECLARE_WAIT_QUEUE_HEAD(unuse_backoff);

/*
 * Every slot of si back in memory: 0, or try_to_unuse's error, or -EBUSY
 * (passes stopped freeing slots). One pass is not always enough. Reclaim
 * that took a slot (add_to_swap) before swapoff cleared SWP_WRITEOK
 * writes it into the PTEs (try_to_unmap) when it gets there, which may be
 * after this pass searched that mm; and an mm being torn down (mmput)
 * holds its slots until its unmap is done, though the search skips it.
 * Both finish on their own, so search again while slots remain, as
 * Linux's try_to_unuse does. No new slot can appear meanwhile, but a
 * slot can be named again (fork copies an entry, reclaim unmaps a
 * swap-cache page again): pass by pass the number in use still falls.
 */
static int unuse_area(struct swap_info_struct *si)
{
	unsigned long left = ~0UL;
	unsigned int idle = 0;

	for (unsigned int pass = 0;; pass++) {
		unsigned long now;
		int err = try_to_unuse(si->type);

		if (err)
			return err;
		drain_swap_cache(si);
		if (!swap_alloc_next_used(&si->slots, 1)) {
			if (pass)
				pr_info("swapoff %s: searched %u times: slots "
					"were being mapped or freed\n",
					si->backend->name, pass + 1);
			return 0;
		}
		now = READ_ONCE(si->slots.inuse);
		if (now < left) {
			left = now;
			idle = 0;
		} else if (++idle == UNUSE_IDLE_PASSES) {
			return -EBUSY;
		}
		if (idle)	/* let whoever holds them finish */
			wait_event_timeout(unuse_backoff, false,
					   READ_ONCE(swapoff_idle_pause_ms));
	}
}

int swapoff(const char *name)
{
	struct swap_info_struct *si;
	unsigned long avail;
	int err;

	spin_lock(&swap_lock);
	si = find_area(name);
	if (!si || !(si->flags & SWP_WRITEOK)) {
		spin_unlock(&swap_lock);
		return -EINVAL;
	}
	/*
	 * Refuse at once if what is out cannot fit back: into memory, or
	 * (as reclaim makes room for it) into the other areas' free slots.
	 * Linux's heuristic check counts all swap too; memory alone would
	 * refuse every swapoff while memory is full, and an area whose
	 * disk is being unplugged (blk_swap.c) must empty into the others.
	 */
	avail = si_mem_available();
	for (unsigned int i = 0; i < MAX_SWAPFILES; i++) {
		struct swap_info_struct *o = swap_info[i];

		if (o && o != si && (o->flags & SWP_WRITEOK) &&
		    !(o->flags & SWP_DEAD))
			avail += o->slots.nr_slots_usable -
				 READ_ONCE(o->slots.inuse);
	}
	if (READ_ONCE(si->slots.inuse) > avail) {
		spin_unlock(&swap_lock);
		return -ENOMEM;
	}
	si->flags &= ~SWP_WRITEOK;	/* no new slots from it */
	list_del(&si->avail);
	spin_unlock(&swap_lock);

	err = unuse_area(si);
	if (err) {
		/* Leave it on, as it was. */
		spin_lock(&swap_lock);
		si->flags |= SWP_WRITEOK;
		avail_insert(si);
		spin_unlock(&swap_lock);
		if (err == -EBUSY)
			pr_err("swapoff %s: slot %lu still in use after %u "
			       "searches of every process freed no more\n",
			       name, swap_alloc_next_used(&si->slots, 1),
			       UNUSE_IDLE_PASSES);
		return err;
	}
	spin_lock(&swap_lock);
	WRITE_ONCE(swap_info[si->type], NULL);
	/* Give back the automatic priorities above it (Linux does). */
	if (si->prio < 0 && si->prio == least_priority)
		least_priority++;
	spin_unlock(&swap_lock);
	pr_info("swap: off %s\n", name);
	xa_destroy(&si->cache.i_pages);
	swap_io_pool_drain(si);
	swap_alloc_destroy(&si->slots);
	si->backend->release(si->backend);
	kfree(si);
	return 0;
}

void show_swaps(void)
{
	printk("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	spin_lock(&swap_lock);
	for (unsigned int i = 0; i < MAX_SWAPFILES; i++) {
		struct swap_info_struct *si = swap_info[i];
		char path[24];

		if (!si || !(si->flags & SWP_WRITEOK))
			continue;
		ksnprintf(path, sizeof(path), "/dev/%s", si->backend->name);
		printk("%-40s%s\t%lu\t\t%lu\t\t%d\n", path, "partition",
		       si->slots.nr_slots_usable * (PAGE_SIZE / 1024),
		       READ_ONCE(si->slots.inuse) * (PAGE_SIZE / 1024),
		       si->prio);
	}
	/* Not in Linux's table: what went wrong, after it, one line an
	 * area that had trouble (docs/mm/swap.md, "Errors"). */
	for (unsigned int i = 0; i < MAX_SWAPFILES; i++) {
		struct swap_info_struct *si = swap_info[i];

		if (!si || !(si->flags & SWP_WRITEOK) ||
		    !(si->nr_write_errors || si->nr_read_errors ||
		      (si->flags & SWP_DEAD)))
			continue;
		printk("# /dev/%s: %lu write errors (their slots are bad), "
		       "%lu read errors%s\n", si->backend->name,
		       READ_ONCE(si->nr_write_errors),
		       READ_ONCE(si->nr_read_errors),
		       (si->flags & SWP_DEAD) ? ", dead: treated as full" : "");
	}
	spin_unlock(&swap_lock);
}

/* ---------------------------------------------------------------- meminfo */

static unsigned long swap_total_kb(pg_data_t *pgdat)
{
	unsigned long total, free;

	(void)pgdat;
	si_swapinfo(&total, &free);
	return total * (PAGE_SIZE / 1024);
}

static unsigned long swap_free_kb(pg_data_t *pgdat)
{
	unsigned long total, free;

	(void)pgdat;
	si_swapinfo(&total, &free);
	return free * (PAGE_SIZE / 1024);
}

MEMINFO_LINE(SwapTotal, "Mlocked", swap_total_kb);
MEMINFO_LINE(SwapFree, "SwapTotal", swap_free_kb);
