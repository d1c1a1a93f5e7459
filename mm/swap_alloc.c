/*
 * mm/swap_alloc.c - one swap area's slot allocator: swap_map, clusters and
 * per-CPU current clusters (mm/swap_alloc.h has the contract and the
 * picture; docs/mm/swap.md the story).
 *
 * Every public function takes sa->lock; the helpers below it (cluster_*,
 * slot_*) expect it held.
 */
#include "mm/swap_alloc.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "mm/page_alloc.h"

/* ------------------------------------------------------------ tables */

/* bytes of zeroed memory from whole pages of node (NULL: the global one). */
static void *table_alloc(pg_data_t *node, size_t bytes, unsigned int *order)
{
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN;
	struct page *pg;

	*order = get_order(bytes);
	if (*order > MAX_PAGE_ORDER)
		return NULL;
	pg = node ? alloc_pages_node(node, gfp, *order) : alloc_pages(gfp, *order);
	return pg ? page_address(pg) : NULL;
}

static void table_free(void *table, unsigned int order)
{
	if (table)
		__free_pages(virt_to_page(table), order);
}

/* ---------------------------------------------------------- clusters */

static unsigned long cluster_of(unsigned long off)
{
	return off / SWAPFILE_CLUSTER;
}

static unsigned long cluster_first(unsigned long c)
{
	return c * SWAPFILE_CLUSTER;
}

/* Put cluster c (on no list now) where its count says it belongs. */
static void cluster_settle(struct swap_alloc *sa, unsigned long c)
{
	struct swap_cluster *ci = &sa->clusters[c];

	if (ci->count == 0) {
		ci->state = SWAP_CLUSTER_FREE;
		list_add_tail(&ci->list, &sa->free_clusters);
	} else if (ci->count < SWAPFILE_CLUSTER) {
		ci->state = SWAP_CLUSTER_NONFULL;
		list_add_tail(&ci->list, &sa->nonfull_clusters);
	} else {
		ci->state = SWAP_CLUSTER_FULL;
	}
}

/* Cluster c's count changed (one slot taken or freed): move it if its
 * state no longer fits. A CPU's current cluster stays where it is. */
static void cluster_count_changed(struct swap_alloc *sa, unsigned long c)
{
	struct swap_cluster *ci = &sa->clusters[c];

	if (ci->state == SWAP_CLUSTER_CPU)
		return;
	list_del_init(&ci->list);	/* off free/nonfull (a no-op if full) */
	cluster_settle(sa, c);
}

/* CPU cpu lets go of its current cluster. */
static void cpu_release_cluster(struct swap_alloc *sa, unsigned int cpu)
{
	struct swap_cpu_cluster *pc = &sa->cpu[cpu];

	if (pc->cluster == SWAP_NO_CLUSTER)
		return;
	cluster_settle(sa, pc->cluster);
	pc->cluster = SWAP_NO_CLUSTER;
}

/* CPU cpu takes the first cluster of list (free or nonfull) as its
 * current, its cursor at the cluster's start; false if list is empty. */
static bool cpu_take_cluster(struct swap_alloc *sa, unsigned int cpu,
			     struct list_head *list)
{
	struct swap_cluster *ci;

	if (list_empty(list))
		return false;
	ci = list_first_entry(list, struct swap_cluster, list);
	list_del_init(&ci->list);
	ci->state = SWAP_CLUSTER_CPU;
	sa->cpu[cpu].cluster = (unsigned long)(ci - sa->clusters);
	sa->cpu[cpu].next = cluster_first(sa->cpu[cpu].cluster);
	return true;
}

/* The first free slot in [from, end of from's cluster), or 0. */
static unsigned long scan_cluster(struct swap_alloc *sa, unsigned long from)
{
	unsigned long end = cluster_first(cluster_of(from)) + SWAPFILE_CLUSTER;

	for (unsigned long off = from; off < end; off++)
		if (sa->swap_map[off] == 0)
			return off;
	return 0;
}

/* Hand out free slot off: SWAP_HAS_CACHE, counted. */
static unsigned long slot_take(struct swap_alloc *sa, unsigned long off)
{
	sa->swap_map[off] = SWAP_HAS_CACHE;
	sa->clusters[cluster_of(off)].count++;
	sa->inuse++;
	cluster_count_changed(sa, cluster_of(off));
	return off;
}

/* From cpu's current cluster at its cursor; 0 if nothing is ahead of it
 * (the cluster is then let go). */
static unsigned long alloc_from_current(struct swap_alloc *sa, unsigned int cpu)
{
	struct swap_cpu_cluster *pc = &sa->cpu[cpu];
	unsigned long off;

	if (pc->cluster == SWAP_NO_CLUSTER)
		return 0;
	off = scan_cluster(sa, pc->next);
	if (off) {
		slot_take(sa, off);
		pc->next = off + 1;
		if (pc->next == cluster_first(pc->cluster) + SWAPFILE_CLUSTER)
			cpu_release_cluster(sa, cpu);	/* its end: done */
		return off;
	}
	cpu_release_cluster(sa, cpu);
	return 0;
}

/* Step 4: any free slot in another CPU's current cluster, or 0. */
static unsigned long alloc_from_other_cpu(struct swap_alloc *sa, unsigned int cpu)
{
	for (unsigned int i = 0; i < sa->nr_cpus; i++) {
		unsigned long c = sa->cpu[i].cluster, off;

		if (i == cpu || c == SWAP_NO_CLUSTER)
			continue;
		off = scan_cluster(sa, cluster_first(c));
		if (off)
			return slot_take(sa, off);
	}
	return 0;
}

/* ------------------------------------------------------------- slots */

static bool slot_valid(const struct swap_alloc *sa, unsigned long off)
{
	return off >= 1 && off <= sa->last_page;
}

/* Slot off lost its last reference and cache bit (map is 0 or BAD). */
static void slot_released(struct swap_alloc *sa, unsigned long off)
{
	if (sa->swap_map[off] & SWAP_MAP_BAD)
		return;		/* bad: stays counted, left inuse when marked */
	sa->inuse--;
	sa->clusters[cluster_of(off)].count--;
	cluster_count_changed(sa, cluster_of(off));
}

/* What a caller sees of a slot: its references and cache bit. */
static unsigned int slot_held(const struct swap_alloc *sa, unsigned long off)
{
	return sa->swap_map[off] & (SWAP_COUNT_MASK | SWAP_HAS_CACHE);
}

/* Mark slot off bad (lock held): see swap_slot_mark_bad. */
static void slot_mark_bad(struct swap_alloc *sa, unsigned long off)
{
	uint16_t *map = &sa->swap_map[off];

	if (*map & SWAP_MAP_BAD)
		return;
	sa->nr_slots_usable--;
	if (*map == 0) {
		/* Free until now: its cluster counts it from here on. */
		sa->clusters[cluster_of(off)].count++;
		*map = SWAP_MAP_BAD;
		cluster_count_changed(sa, cluster_of(off));
	} else {
		/* In use: counted already; no longer a usable slot in use. */
		sa->inuse--;
		*map |= SWAP_MAP_BAD;
	}
}

/* ------------------------------------------------------------ the API */

int swap_alloc_init_node(struct swap_alloc *sa, unsigned long last_page,
			 const uint32_t *bad, unsigned int nr_bad,
			 unsigned int nr_cpus, pg_data_t *node)
{
	memset(sa, 0, sizeof(*sa));
	if (last_page == 0 || last_page >= SWAP_ALLOC_MAX_SLOTS || nr_cpus == 0)
		return -EINVAL;
	for (unsigned int i = 0; i < nr_bad; i++)
		if (bad[i] == 0 || bad[i] > last_page)
			return -EINVAL;

	spin_lock_init(&sa->lock, "swap_alloc");
	sa->node = node;
	sa->last_page = last_page;
	sa->nr_clusters = (last_page + 1 + SWAPFILE_CLUSTER - 1) / SWAPFILE_CLUSTER;
	sa->nr_slots = sa->nr_clusters * SWAPFILE_CLUSTER;
	sa->nr_cpus = nr_cpus;
	sa->swap_map = table_alloc(node, sa->nr_slots * sizeof(uint16_t), &sa->map_order);
	sa->clusters = table_alloc(node, sa->nr_clusters * sizeof(struct swap_cluster),
				   &sa->cluster_order);
	sa->cpu = table_alloc(node, nr_cpus * sizeof(struct swap_cpu_cluster), &sa->cpu_order);
	if (!sa->swap_map || !sa->clusters || !sa->cpu) {
		swap_alloc_destroy(sa);
		return -ENOMEM;
	}
	INIT_LIST_HEAD(&sa->free_clusters);
	INIT_LIST_HEAD(&sa->nonfull_clusters);
	for (unsigned int i = 0; i < nr_cpus; i++)
		sa->cpu[i].cluster = SWAP_NO_CLUSTER;

	/*
	 * Slots that are not slots: the header (0) and the tail of the last
	 * cluster past last_page. They are bad for good, so they are never
	 * handed out, and their clusters count them.
	 */
	sa->nr_slots_usable = last_page;
	sa->swap_map[0] = SWAP_MAP_BAD;
	sa->clusters[0].count = 1;
	for (unsigned long off = last_page + 1; off < sa->nr_slots; off++) {
		sa->swap_map[off] = SWAP_MAP_BAD;
		sa->clusters[cluster_of(off)].count++;
	}
	for (unsigned int i = 0; i < nr_bad; i++) {
		if (sa->swap_map[bad[i]])
			continue;			/* listed twice */
		sa->swap_map[bad[i]] = SWAP_MAP_BAD;
		sa->clusters[cluster_of(bad[i])].count++;
		sa->nr_slots_usable--;
	}
	for (unsigned long c = 0; c < sa->nr_clusters; c++) {
		INIT_LIST_HEAD(&sa->clusters[c].list);
		cluster_settle(sa, c);
	}
	return 0;
}

int swap_alloc_init(struct swap_alloc *sa, unsigned long last_page,
		    const uint32_t *bad, unsigned int nr_bad, unsigned int nr_cpus)
{
	return swap_alloc_init_node(sa, last_page, bad, nr_bad, nr_cpus, NULL);
}

void swap_alloc_destroy(struct swap_alloc *sa)
{
	table_free(sa->swap_map, sa->map_order);
	table_free(sa->clusters, sa->cluster_order);
	table_free(sa->cpu, sa->cpu_order);
	memset(sa, 0, sizeof(*sa));
}

unsigned long swap_alloc_slot(struct swap_alloc *sa, unsigned int cpu)
{
	unsigned long flags;
	unsigned long off;

	BUG_ON(cpu >= sa->nr_cpus);
	spin_lock_irqsave(&sa->lock, flags);
	if (sa->inuse == sa->nr_slots_usable) {
		off = 0;				/* full: don't look */
	} else if ((off = alloc_from_current(sa, cpu))) {
		sa->nr_alloc_current++;
	} else if (cpu_take_cluster(sa, cpu, &sa->nonfull_clusters)) {
		off = alloc_from_current(sa, cpu);
		sa->nr_alloc_nonfull++;
	} else if (cpu_take_cluster(sa, cpu, &sa->free_clusters)) {
		off = alloc_from_current(sa, cpu);
		sa->nr_alloc_free++;
	} else if ((off = alloc_from_other_cpu(sa, cpu))) {
		sa->nr_alloc_other_cpu++;
	}
	if (!off)
		sa->nr_alloc_failed++;
	spin_unlock_irqrestore(&sa->lock, flags);
	return off;
}

int swap_slot_dup(struct swap_alloc *sa, unsigned long off)
{
	unsigned long flags;
	int ret = 0;

	if (!slot_valid(sa, off))
		return -EINVAL;
	spin_lock_irqsave(&sa->lock, flags);
	if (!slot_held(sa, off))
		ret = -EINVAL;			/* free, or bad and unused */
	else if ((sa->swap_map[off] & SWAP_COUNT_MASK) == SWAP_MAP_MAX)
		ret = -EOVERFLOW;
	else
		sa->swap_map[off]++;
	spin_unlock_irqrestore(&sa->lock, flags);
	return ret;
}

unsigned int swap_slot_put(struct swap_alloc *sa, unsigned long off)
{
	unsigned long flags;
	unsigned int left;

	if (WARN_ON(!slot_valid(sa, off)))
		return 0;
	spin_lock_irqsave(&sa->lock, flags);
	if (!WARN_ON(!(sa->swap_map[off] & SWAP_COUNT_MASK))) {
		sa->swap_map[off]--;
		if (!slot_held(sa, off))
			slot_released(sa, off);
	}
	left = slot_held(sa, off);
	spin_unlock_irqrestore(&sa->lock, flags);
	return left;
}

unsigned int swap_slot_clear_cache(struct swap_alloc *sa, unsigned long off)
{
	unsigned long flags;
	unsigned int left;

	if (WARN_ON(!slot_valid(sa, off)))
		return 0;
	spin_lock_irqsave(&sa->lock, flags);
	if (!WARN_ON(!(sa->swap_map[off] & SWAP_HAS_CACHE))) {
		sa->swap_map[off] &= (uint16_t)~SWAP_HAS_CACHE;
		if (!slot_held(sa, off))
			slot_released(sa, off);
	}
	left = slot_held(sa, off);
	spin_unlock_irqrestore(&sa->lock, flags);
	return left;
}

int swap_slot_set_cache(struct swap_alloc *sa, unsigned long off)
{
	unsigned long flags;
	int ret = 0;

	if (!slot_valid(sa, off))
		return -EINVAL;
	spin_lock_irqsave(&sa->lock, flags);
	if (sa->swap_map[off] & SWAP_HAS_CACHE)
		ret = -EEXIST;
	else if (!(sa->swap_map[off] & SWAP_COUNT_MASK))
		ret = -ENOENT;
	else
		sa->swap_map[off] |= SWAP_HAS_CACHE;
	spin_unlock_irqrestore(&sa->lock, flags);
	return ret;
}

void swap_slot_mark_bad(struct swap_alloc *sa, unsigned long off)
{
	unsigned long flags;
	if (WARN_ON(!slot_valid(sa, off)))
		return;
	spin_lock_irqsave(&sa->lock, flags);
	slot_mark_bad(sa, off);
	spin_unlock_irqrestore(&sa->lock, flags);
}

unsigned int swap_slot_count(struct swap_alloc *sa, unsigned long off)
{
	return swap_slot_map(sa, off) & SWAP_COUNT_MASK;
}

unsigned int swap_slot_map(struct swap_alloc *sa, unsigned long off)
{
	unsigned long flags;
	unsigned int map;

	if (!slot_valid(sa, off))
		return 0;
	spin_lock_irqsave(&sa->lock, flags);
	map = sa->swap_map[off];
	spin_unlock_irqrestore(&sa->lock, flags);
	return map;
}

unsigned long swap_alloc_next_used(struct swap_alloc *sa, unsigned long from)
{
	unsigned long flags;
	unsigned long found = 0;

	spin_lock_irqsave(&sa->lock, flags);
	for (unsigned long off = from ? from : 1; off <= sa->last_page; off++) {
		if (slot_held(sa, off)) {
			found = off;
			break;
		}
	}
	spin_unlock_irqrestore(&sa->lock, flags);
	return found;
}

/* ------------------------------------------------------------ checks */

#define BROKEN(...) do { ksnprintf(why, len, __VA_ARGS__); ok = false; goto out; } while (0)

bool swap_alloc_check(struct swap_alloc *sa, char *why, size_t len)
{
	unsigned long flags;
	unsigned long usable = 0, inuse = 0, on_free = 0, on_nonfull = 0;
	unsigned long nr_state[4] = { 0 };
	struct swap_cluster *ci;
	bool ok = true;

	if (len)
		why[0] = '\0';
	spin_lock_irqsave(&sa->lock, flags);
	for (unsigned long c = 0; c < sa->nr_clusters; c++) {
		unsigned int used = 0;

		ci = &sa->clusters[c];
		for (unsigned long off = cluster_first(c); off < cluster_first(c + 1); off++) {
			uint16_t map = sa->swap_map[off];

			if (map)
				used++;
			if (off == 0 || off > sa->last_page) {
				if (map != SWAP_MAP_BAD)
					BROKEN("slot %lu is not a slot but its map is %#x", off, map);
				continue;
			}
			if (!(map & SWAP_MAP_BAD)) {
				usable++;
				if (map)
					inuse++;
			}
		}
		if (ci->count != used)
			BROKEN("cluster %lu counts %u slots not free, the map has %u",
			       c, ci->count, used);
		nr_state[ci->state]++;
		switch (ci->state) {
		case SWAP_CLUSTER_FREE:
			if (ci->count)
				BROKEN("cluster %lu is free with %u slots used", c, ci->count);
			break;
		case SWAP_CLUSTER_NONFULL:
			if (!ci->count || ci->count == SWAPFILE_CLUSTER)
				BROKEN("cluster %lu is nonfull with count %u", c, ci->count);
			break;
		case SWAP_CLUSTER_FULL:
			if (ci->count != SWAPFILE_CLUSTER || !list_empty(&ci->list))
				BROKEN("cluster %lu is full with count %u%s", c, ci->count,
				       list_empty(&ci->list) ? "" : ", on a list");
			break;
		case SWAP_CLUSTER_CPU: {
			unsigned int owners = 0;

			for (unsigned int i = 0; i < sa->nr_cpus; i++)
				owners += sa->cpu[i].cluster == c;
			if (owners != 1 || !list_empty(&ci->list))
				BROKEN("cluster %lu is current for %u CPUs%s", c, owners,
				       list_empty(&ci->list) ? "" : ", and on a list");
			break;
		}
		}
	}
	list_for_each_entry(ci, &sa->free_clusters, list) {
		if (ci->state != SWAP_CLUSTER_FREE)
			BROKEN("cluster %lu on the free list in state %u",
			       (unsigned long)(ci - sa->clusters), ci->state);
		on_free++;
	}
	list_for_each_entry(ci, &sa->nonfull_clusters, list) {
		if (ci->state != SWAP_CLUSTER_NONFULL)
			BROKEN("cluster %lu on the nonfull list in state %u",
			       (unsigned long)(ci - sa->clusters), ci->state);
		on_nonfull++;
	}
	if (on_free != nr_state[SWAP_CLUSTER_FREE] || on_nonfull != nr_state[SWAP_CLUSTER_NONFULL])
		BROKEN("lists hold %lu free and %lu nonfull clusters, states say %lu and %lu",
		       on_free, on_nonfull, nr_state[SWAP_CLUSTER_FREE],
		       nr_state[SWAP_CLUSTER_NONFULL]);
	for (unsigned int i = 0; i < sa->nr_cpus; i++) {
		unsigned long c = sa->cpu[i].cluster;

		if (c == SWAP_NO_CLUSTER)
			continue;
		if (c >= sa->nr_clusters || sa->clusters[c].state != SWAP_CLUSTER_CPU)
			BROKEN("CPU %u's current cluster %lu is not in state CPU", i, c);
		if (cluster_of(sa->cpu[i].next) != c)
			BROKEN("CPU %u's cursor %lu is outside its cluster %lu", i,
			       sa->cpu[i].next, c);
	}
	if (usable != sa->nr_slots_usable || inuse != sa->inuse)
		BROKEN("counters say %lu usable, %lu in use; the map says %lu, %lu",
		       sa->nr_slots_usable, sa->inuse, usable, inuse);
out:
	spin_unlock_irqrestore(&sa->lock, flags);
	return ok;
}
