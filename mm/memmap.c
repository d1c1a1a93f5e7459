/*
 * mm/memmap.c - finding the struct page of a pfn, and pageblock types.
 *
 * The memmap is not one array over all of physical memory: each run of
 * present pages (a memmap range, see mm/mmzone.h) has its own array, so a
 * hole between runs costs nothing. A page records its range in
 * page->range_id, which makes page_to_pfn() two loads and an add;
 * pfn_to_page() binary-searches the ranges sorted by pfn (at most
 * MAX_MEMMAP_RANGES, in practice 1-4, so one to three compares).
 *
 * An arena built over pages allocated from another node (in-kernel tests)
 * "nests": its range lies inside one of the table's ranges and is kept on
 * a short separate list that pfn_to_page() checks first, so its pfns
 * resolve to the arena's own struct pages.
 *
 * The table changes only when a node is built or an arena destroyed.
 * Readers do not lock: a sequence count makes a lookup that raced with a
 * change retry.
 *
 * Most lookups land in one range, the largest (kfree() finds its cache
 * this way, object after object). Each change to the table copies that
 * range - the largest with no nested range inside it, which could shadow
 * part of it - into memmap_main, beside the sequence count, where
 * pfn_to_page() (mm/page_alloc.h, inline) looks first; any other pfn
 * takes the whole search below (pfn_to_page_slow). A lookup writes
 * nothing, so the line stays shared in every CPU's cache.
 */
#include "mm/internal.h"
#include "kernel/spinlock.h"

struct memmap_range memmap_ranges[MAX_MEMMAP_RANGES];

static uint8_t sorted_ids[MAX_MEMMAP_RANGES];	/* ids by start_pfn */
static unsigned int nr_sorted;
static uint8_t nested_ids[MAX_MEMMAP_RANGES];	/* inside a sorted one */
static unsigned int nr_nested;
struct memmap_main memmap_main;	/* a whole cache line (mm/page_alloc.h) */
static DEFINE_SPINLOCK(memmap_lock);

/* The whole search: nested ranges first, then the sorted ones. */
static struct page *lookup(unsigned long pfn)
{
	unsigned int lo = 0, hi = READ_ONCE(nr_sorted);
	const struct memmap_range *r;

	for (unsigned int i = 0; i < READ_ONCE(nr_nested); i++) {
		r = &memmap_ranges[nested_ids[i]];
		if (pfn >= r->start_pfn && pfn < r->end_pfn)
			goto found;
	}

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		r = &memmap_ranges[sorted_ids[mid]];
		if (pfn < r->start_pfn)
			hi = mid;
		else if (pfn >= r->end_pfn)
			lo = mid + 1;
		else
			goto found;
	}
	return NULL;
found:
	return r->memmap + (pfn - r->start_pfn);
}

struct page *pfn_to_page_slow(unsigned long pfn)
{
	unsigned int seq;
	struct page *page;

	do {
		while ((seq = __atomic_load_n(&memmap_main.seq,
					      __ATOMIC_ACQUIRE)) & 1)
			arch_cpu_relax();
		page = lookup(pfn);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (seq != __atomic_load_n(&memmap_main.seq, __ATOMIC_RELAXED));
	return page;
}

static void write_begin(void)
{
	__atomic_store_n(&memmap_main.seq, memmap_main.seq + 1,
			 __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static bool overlaps(const struct memmap_range *a, unsigned int id)
{
	const struct memmap_range *b = &memmap_ranges[id];

	return a->start_pfn < b->end_pfn && b->start_pfn < a->end_pfn;
}

static bool inside(const struct memmap_range *a, unsigned int id)
{
	const struct memmap_range *b = &memmap_ranges[id];

	return a->start_pfn >= b->start_pfn && a->end_pfn <= b->end_pfn;
}

/* The largest sorted range that no nested range lies inside. */
static const struct memmap_range *pick_main(void)
{
	const struct memmap_range *best = NULL, *r;

	for (unsigned int i = 0; i < nr_sorted; i++) {
		bool shadowed = false;

		r = &memmap_ranges[sorted_ids[i]];
		for (unsigned int j = 0; j < nr_nested; j++)
			shadowed |= inside(&memmap_ranges[nested_ids[j]],
					   sorted_ids[i]);
		if (!shadowed && (!best || r->end_pfn - r->start_pfn >
					   best->end_pfn - best->start_pfn))
			best = r;
	}
	return best;
}

/* Copy the main range for pfn_to_page(), then let readers in. */
static void write_end(void)
{
	const struct memmap_range *r = pick_main();

	__atomic_store_n(&memmap_main.start_pfn, r ? r->start_pfn : 0,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&memmap_main.nr_pages,
			 r ? r->end_pfn - r->start_pfn : 0, __ATOMIC_RELAXED);
	__atomic_store_n(&memmap_main.memmap, r ? r->memmap : NULL,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&memmap_main.seq, memmap_main.seq + 1,
			 __ATOMIC_RELEASE);
}

int memmap_range_add(const struct memmap_range *r)
{
	unsigned long flags;
	unsigned int id, pos = 0;
	bool nest = false;

	spin_lock_irqsave(&memmap_lock, flags);
	for (id = 0; id < MAX_MEMMAP_RANGES; id++)
		if (!memmap_ranges[id].memmap)
			break;
	if (id == MAX_MEMMAP_RANGES) {
		spin_unlock_irqrestore(&memmap_lock, flags);
		pr_err("memmap: all %d ranges in use; pfns %#lx-%#lx not added\n",
		       MAX_MEMMAP_RANGES, r->start_pfn, r->end_pfn);
		return -1;
	}
	for (unsigned int i = 0; i < nr_nested; i++)
		if (overlaps(r, nested_ids[i]))
			goto overlap;
	for (unsigned int i = 0; i < nr_sorted; i++) {
		if (overlaps(r, sorted_ids[i])) {
			if (!inside(r, sorted_ids[i]))
				goto overlap;
			nest = true;
		}
		if (memmap_ranges[sorted_ids[i]].start_pfn < r->start_pfn)
			pos = i + 1;
	}
	write_begin();
	memmap_ranges[id] = *r;
	if (nest) {
		nested_ids[nr_nested++] = (uint8_t)id;
	} else {
		for (unsigned int i = nr_sorted; i > pos; i--)
			sorted_ids[i] = sorted_ids[i - 1];
		sorted_ids[pos] = (uint8_t)id;
		nr_sorted++;
	}
	write_end();
	spin_unlock_irqrestore(&memmap_lock, flags);
	return (int)id;

overlap:
	spin_unlock_irqrestore(&memmap_lock, flags);
	pr_err("memmap: pfns %#lx-%#lx overlap a range already present\n",
	       r->start_pfn, r->end_pfn);
	return -1;
}

/* Remove id from list[] of *nr entries; true if it was there. */
static bool remove_id(uint8_t *list, unsigned int *nr, unsigned int id)
{
	for (unsigned int pos = 0; pos < *nr; pos++) {
		if (list[pos] != id)
			continue;
		for (unsigned int i = pos; i + 1 < *nr; i++)
			list[i] = list[i + 1];
		(*nr)--;
		return true;
	}
	return false;
}

void memmap_range_remove(unsigned int id)
{
	unsigned long flags;

	spin_lock_irqsave(&memmap_lock, flags);
	write_begin();
	if (remove_id(sorted_ids, &nr_sorted, id) ||
	    remove_id(nested_ids, &nr_nested, id))
		memmap_ranges[id] = (struct memmap_range){ 0 };
	write_end();
	spin_unlock_irqrestore(&memmap_lock, flags);
}

void memmap_for_each_range(void (*fn)(struct memmap_range *r, void *arg),
			   void *arg)
{
	for (unsigned int i = 0; i < READ_ONCE(nr_sorted); i++)
		fn(&memmap_ranges[sorted_ids[i]], arg);
	for (unsigned int i = 0; i < READ_ONCE(nr_nested); i++)
		fn(&memmap_ranges[nested_ids[i]], arg);
}

int get_pageblock_migratetype(const struct page *page)
{
	return get_pfnblock_migratetype(page, page_to_pfn(page));
}

void set_pageblock_migratetype(struct page *page, int migratetype)
{
	struct memmap_range *r = page_range(page);

	r->pageblock_mt[pageblock_index(r, page_to_pfn(page))] =
		(uint8_t)migratetype;
}
