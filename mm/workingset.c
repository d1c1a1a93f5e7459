/*
 * mm/workingset.c - refault detection: shadows of evicted page-cache
 * pages, and the refault distance that tells a page of the working set
 * from one read once. Contracts: mm/workingset.h; docs/mm/reclaim.md,
 * "Refaults".
 *
 * The shadow is a value entry (mm/xarray.h) holding
 *
 *	bit 0                  PG_workingset of the evicted page
 *	bits 1..EVICTION_BITS  the node's clock (nonresident_age) at eviction
 *
 * There is one lruvec per node and a file's pages all come from its
 * mapping's node, so the node is not recorded (Linux packs the memcg and
 * node ids too). The clock is kept modulo 2^EVICTION_BITS: a distance
 * that wrapped looks short, which at 2^40 events never matters here.
 */
#include "mm/workingset.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "mm/xarray.h"

#define EVICTION_BITS	40
#define EVICTION_MASK	((1UL << EVICTION_BITS) - 1)

static void workingset_age_nonresident(struct lruvec *lruvec,
				       unsigned long nr)
{
	__atomic_fetch_add(&lruvec->nonresident_age, nr, __ATOMIC_RELAXED);
}

static unsigned long read_clock(struct lruvec *lruvec)
{
	return __atomic_load_n(&lruvec->nonresident_age, __ATOMIC_RELAXED);
}

void *workingset_eviction(struct page *page)
{
	struct lruvec *lruvec = page_lruvec(page);
	unsigned long eviction;

	/* The eviction itself is an event the clock counts. */
	workingset_age_nonresident(lruvec, 1);
	eviction = read_clock(lruvec) & EVICTION_MASK;
	return xa_mk_value((eviction << 1) | (PageWorkingset(page) ? 1 : 0));
}

/*
 * How many pages a refaulting page could have been kept in for: the
 * active file list (Linux's rule). Anonymous pages cannot be evicted
 * without swap, so while there is none their lists could not have made
 * room and do not count (Linux adds them only when swap exists).
 */
static unsigned long workingset_size(struct lruvec *lruvec)
{
	return lruvec_lru_size(lruvec, LRU_ACTIVE_FILE);
}

void workingset_refault(struct page *page, void *shadow)
{
	struct lruvec *lruvec = page_lruvec(page);
	unsigned long entry, eviction, distance;

	if (!shadow || !xa_is_value(shadow))
		return;
	entry = xa_to_value(shadow);
	eviction = (entry >> 1) & EVICTION_MASK;
	distance = (read_clock(lruvec) - eviction) & EVICTION_MASK;

	count_vm_event(WORKINGSET_REFAULT_FILE);
	/* LAB: a replacement policy judges "was this evicted too early?"
	 * here; refaults are what the lab's benchmark counts. */
	if (distance > workingset_size(lruvec))
		return;
	/* It would have stayed with a bigger active list: it is part of the
	 * working set. Straight to the active list. */
	SetPageActive(page);
	SetPageWorkingset(page);
	workingset_age_nonresident(lruvec, 1);
	count_vm_event(WORKINGSET_ACTIVATE_FILE);
}

void workingset_activation(struct page *page)
{
	workingset_age_nonresident(page_lruvec(page), 1);
}

bool workingset_shadow_stale(struct page *page, void *shadow)
{
	struct lruvec *lruvec = page_lruvec(page);
	unsigned long eviction, distance;

	eviction = (xa_to_value(shadow) >> 1) & EVICTION_MASK;
	distance = (read_clock(lruvec) - eviction) & EVICTION_MASK;
	/* The active list can never be bigger than the node. */
	return distance > node_managed_pages(page_pgdat(page));
}
