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
	KUNIT_EXPECT_EQ(test, now.used, b->used);
	KUNIT_EXPECT_EQ(test, now.slab_objects, b->slab_objects);
	KUNIT_EXPECT_EQ(test, now.anon, b->anon);
	KUNIT_EXPECT_EQ(test, now.pagetables, b->pagetables);
	KUNIT_EXPECT_EQ(test, now.stack_kb, b->stack_kb);
	KUNIT_EXPECT_EQ(test, now.threads, b->threads);
	KUNIT_EXPECT_EQ(test, now.processes, b->processes);
	return false;
}
