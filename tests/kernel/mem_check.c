/*
 * tests/kernel/mem_check.c - the leak check of the suites that run user
 * code (contract in mem_check.h).
 */
#include "tests/kernel/mem_check.h"
#include "kernel/kthread.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/vmstat.h"
#include "net/net.h"

void mem_snapshot(struct mem_snapshot *m)
{
	pg_data_t *pgdat = NODE_DATA(0);

	lru_add_drain_all();	/* pages the LRU add batches hold */
	drain_all_pages(NULL);
	m->threads = nr_threads();
	m->processes = nr_processes();
	m->free = nr_free_pages();
	/* _B items are kept and read in pages. */
	m->slab = node_page_state_snapshot(pgdat, NR_SLAB_RECLAIMABLE_B) +
		  node_page_state_snapshot(pgdat, NR_SLAB_UNRECLAIMABLE_B);
	m->used = totalram_pages() - m->free - m->slab;
	m->anon = node_page_state_snapshot(pgdat, NR_ANON_MAPPED);
	m->pagetables = node_page_state_snapshot(pgdat, NR_PAGETABLE);
	m->stack_kb = node_page_state_snapshot(pgdat, NR_KERNEL_STACK_KB);
	/* The network stack's objects live on its own timers (a closed
	 * connection's TIME_WAIT ends minutes later): not the test's. */
	m->slab_objects = kmem_objects_in_use_total() - net_slab_objects();
}

/*
 * Objects in use cache by cache at the last quiet snapshot (the base a
 * case compares with), and now: when the total moved, the report names
 * the caches that moved it. Static: cases run one at a time, and 2 KiB
 * a snapshot would weigh on a 16 KiB stack.
 */
#define MEM_CHECK_CACHES	128
static struct kmem_usage base_caches[MEM_CHECK_CACHES], now_caches[MEM_CHECK_CACHES];
static unsigned int base_nr;

static const struct kmem_usage *find_usage(const struct kmem_usage *u,
					   unsigned int nr,
					   const struct kmem_cache *c)
{
	for (unsigned int i = 0; i < nr && i < MEM_CHECK_CACHES; i++)
		if (u[i].cache == c)
			return &u[i];
	return NULL;
}

/* Print each cache whose count differs from the base's. */
static void report_caches(struct kunit *test)
{
	unsigned int now_nr = kmem_objects_in_use_each(now_caches,
						      MEM_CHECK_CACHES);

	for (unsigned int i = 0; i < now_nr && i < MEM_CHECK_CACHES; i++) {
		const struct kmem_usage *b = find_usage(base_caches, base_nr,
							now_caches[i].cache);

		if (!b)
			kunit_info(test, "slab cache %s: new since the base, %lu "
				   "objects", now_caches[i].cache->name,
				   now_caches[i].objects);
		else if (b->objects != now_caches[i].objects)
			kunit_info(test, "slab cache %s: %lu -> %lu objects",
				   now_caches[i].cache->name, b->objects,
				   now_caches[i].objects);
	}
	for (unsigned int i = 0; i < base_nr && i < MEM_CHECK_CACHES; i++)
		if (!find_usage(now_caches, now_nr, base_caches[i].cache))
			kunit_info(test, "a slab cache of the base (%lu objects) "
				   "was destroyed", base_caches[i].objects);
	if (now_nr > MEM_CHECK_CACHES || base_nr > MEM_CHECK_CACHES)
		kunit_info(test, "(only the first %u caches compared)",
			   MEM_CHECK_CACHES);
}

void mem_snapshot_quiet(struct mem_snapshot *m)
{
	uint64_t end = clock_ns() + 1000000000ULL;
	unsigned int n;

	do {
		n = nr_threads();
		sleep_ms(20);
	} while (nr_threads() != n && clock_ns() < end);
	/* Two snapshots alike, so a moment mid-update (an object allocated
	 * and not yet counted as the stack's) is not taken as the base. */
	mem_snapshot(m);
	do {
		struct mem_snapshot again;

		mem_snapshot(&again);
		if (mem_snapshot_equal(&again, m))
			break;
		*m = again;
		sleep_ms(10);
	} while (clock_ns() < end + 1000000000ULL);
	base_nr = kmem_objects_in_use_each(base_caches, MEM_CHECK_CACHES);
}

bool mem_snapshot_equal(const struct mem_snapshot *a,
			const struct mem_snapshot *b)
{
	return a->used == b->used && a->anon == b->anon &&
	       a->pagetables == b->pagetables && a->stack_kb == b->stack_kb &&
	       a->slab_objects == b->slab_objects &&
	       a->threads == b->threads && a->processes == b->processes;
}

bool mem_expect_back(struct kunit *test, const struct mem_snapshot *before)
{
	const struct mem_snapshot *b = before;
	uint64_t end = clock_ns() + 2000000000ULL;
	struct mem_snapshot now;

	for (;;) {
		mem_snapshot(&now);
		if (mem_snapshot_equal(&now, before)) {
			if (now.free != b->free)
				kunit_info(test, "free pages %lu -> %lu, slab pages "
					   "%lu -> %lu: slabs kept, nothing leaked",
					   b->free, now.free, b->slab, now.slab);
			return true;
		}
		if (clock_ns() >= end)
			break;
		sleep_ms(10);
	}
	kunit_info(test, "memory not back (before -> now): used %lu -> %lu, "
		   "free %lu -> %lu, slab pages %lu -> %lu, slab objects %lu -> %lu, "
		   "AnonPages %lu -> %lu, PageTables %lu -> %lu, "
		   "KernelStack %lu -> %lu kB, threads %u -> %u, processes %u -> %u",
		   b->used, now.used, b->free, now.free, b->slab, now.slab,
		   b->slab_objects, now.slab_objects, b->anon, now.anon,
		   b->pagetables, now.pagetables, b->stack_kb, now.stack_kb,
		   b->threads, now.threads, b->processes, now.processes);
	if (now.slab_objects != b->slab_objects)
		report_caches(test);
	KUNIT_EXPECT_EQ(test, now.used, b->used);
	KUNIT_EXPECT_EQ(test, now.slab_objects, b->slab_objects);
	KUNIT_EXPECT_EQ(test, now.anon, b->anon);
	KUNIT_EXPECT_EQ(test, now.pagetables, b->pagetables);
	KUNIT_EXPECT_EQ(test, now.stack_kb, b->stack_kb);
	KUNIT_EXPECT_EQ(test, now.threads, b->threads);
	KUNIT_EXPECT_EQ(test, now.processes, b->processes);
	return false;
}
