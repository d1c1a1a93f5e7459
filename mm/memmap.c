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
 * Most lookups land in the range the one before found (kfree() finds its
 * cache this way, object after object): that range is kept as a hint,
 * which pfn_to_page() (mm/page_alloc.h, inline) looks at first. A hint
 * is good only while the table is as it was when a lookup wrote it (it
 * carries the sequence count) and no nested range can shadow it; else
 * the whole search below runs (pfn_to_page_slow).
 */
#include "mm/internal.h"
#include "kernel/spinlock.h"

struct memmap_range memmap_ranges[MAX_MEMMAP_RANGES];

static uint8_t sorted_ids[MAX_MEMMAP_RANGES];	/* ids by start_pfn */
static unsigned int nr_sorted;
static uint8_t nested_ids[MAX_MEMMAP_RANGES];	/* inside a sorted one */
unsigned int memmap_nr_nested;
unsigned int memmap_seq;			/* odd while changing */
uint64_t memmap_hint;
static DEFINE_SPINLOCK(memmap_lock);

/* The whole search; the range found becomes the hint, stamped with seq
 * (the count the caller read before it looked). */
static struct page *lookup(unsigned long pfn, unsigned int seq)
{
	unsigned int lo = 0, hi = READ_ONCE(nr_sorted);
	const struct memmap_range *r;
	unsigned int id;

	for (unsigned int i = 0; i < READ_ONCE(memmap_nr_nested); i++) {
		id = nested_ids[i];
		r = &memmap_ranges[id];
		if (pfn >= r->start_pfn && pfn < r->end_pfn) {
			id |= MEMMAP_HINT_NESTED;
			goto found;
		}
	}

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		id = sorted_ids[mid];
		r = &memmap_ranges[id];
		if (pfn < r->start_pfn)
			hi = mid;
		else if (pfn >= r->end_pfn)
			lo = mid + 1;
		else
			goto found;
	}
	return NULL;
found:
	/* Written only when it changes: while a nested range exists, every
	 * lookup of an outer range comes here, and a store on every CPU
	 * would bounce the hint's cache line (beside memmap_seq, which
	 * every lookup reads) for nothing. */
	if (__atomic_load_n(&memmap_hint, __ATOMIC_RELAXED) !=
	    ((uint64_t)seq << 32 | id))
		__atomic_store_n(&memmap_hint, (uint64_t)seq << 32 | id,
				 __ATOMIC_RELAXED);
	return r->memmap + (pfn - r->start_pfn);
}

struct page *pfn_to_page_slow(unsigned long pfn)
{
	unsigned int seq;
	struct page *page;

	do {
		while ((seq = __atomic_load_n(&memmap_seq, __ATOMIC_ACQUIRE)) & 1)
			arch_cpu_relax();
		page = lookup(pfn, seq);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (seq != __atomic_load_n(&memmap_seq, __ATOMIC_RELAXED));
	return page;
}

static void write_begin(void)
{
	__atomic_store_n(&memmap_seq, memmap_seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void write_end(void)
{
	__atomic_store_n(&memmap_seq, memmap_seq + 1, __ATOMIC_RELEASE);
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
	for (unsigned int i = 0; i < memmap_nr_nested; i++)
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
		nested_ids[memmap_nr_nested++] = (uint8_t)id;
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
	    remove_id(nested_ids, &memmap_nr_nested, id))
		memmap_ranges[id] = (struct memmap_range){ 0 };
	write_end();
	spin_unlock_irqrestore(&memmap_lock, flags);
}

void memmap_for_each_range(void (*fn)(struct memmap_range *r, void *arg),
			   void *arg)
{
	for (unsigned int i = 0; i < READ_ONCE(nr_sorted); i++)
		fn(&memmap_ranges[sorted_ids[i]], arg);
	for (unsigned int i = 0; i < READ_ONCE(memmap_nr_nested); i++)
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
