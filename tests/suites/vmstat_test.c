/*
 * tests/suites/vmstat_test.c - the zone and node counters (mm/vmstat.h)
 * on a private arena: they move by exactly what an allocation or a free
 * moves, the per-CPU fold keeps within its threshold and loses nothing
 * (also against a random model), and meminfo / vmstat / zoneinfo print
 * what the counters say. Runs on the host and in the kernel; every case
 * ends with every arena page back (test_arena_done).
 *
 * The arena has no per-CPU page lists, so NR_FREE_PAGES (the buddy lists
 * only, as Linux) is every free page of the arena.
 */
#include "tests/suites/test_arena.h"
#include "kernel/lib/random.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/slab_internal.h"
#include "mm/internal.h"
#include "mm/kmalloc.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"
#include "mm/arch_mm.h"
#include "mm/filemap.h"
#include <arch/mmu.h>

static struct test_arena arena;

static int vmstat_case_init(struct kunit *test)
{
	return test_arena_make(test, &arena, 0) ? 0 : -1;
}

static void vmstat_case_exit(struct kunit *test)
{
	test_arena_done(test, &arena);
}

static pg_data_t *A(void)
{
	return &arena.pgdat;
}

static unsigned long free_counter(void)
{
	return sum_zone_node_page_state(A(), NR_FREE_PAGES);
}

/* Skip printk's "[time] " stamp at the start of a line, if any. */
static const char *skip_stamp(const char *p)
{
	const char *nl = strchr(p, '\n'), *rb = strchr(p, ']');

	if (*p == '[' && rb && (!nl || rb < nl))
		return rb + 2;
	return p;
}

/* The line after the one starting with `first` starts with `second`. */
static bool next_line_is(const char *buf, const char *first, const char *second)
{
	const char *p = strstr(buf, first), *nl;

	if (!p || !(nl = strchr(p, '\n')))
		return false;
	return !strncmp(skip_stamp(nl + 1), second, strlen(second));
}

/*
 * The number on the line of buf that starts with `name` and a space or
 * ':' (after printk's "[time] " stamp, if any); -1 if there is none.
 */
static long value_of(const char *buf, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = buf; *p; ) {
		const char *nl = strchr(p, '\n'), *v;
		uint64_t x = 0;
		size_t len = 0;

		p = skip_stamp(p);
		v = p + n;
		if (!strncmp(p, name, n) && (*v == ' ' || *v == ':')) {
			while (*v == ' ' || *v == ':')
				v++;
			for (; v[len] >= '0' && v[len] <= '9'; len++)
				x = x * 10 + (uint64_t)(v[len] - '0');
			return len ? (long)x : -1;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return -1;
}

/* ---------------------------------------------------------------- feeders */

static void free_pages_follows_the_buddy(struct kunit *test)
{
	unsigned long start = free_counter();
	struct page *p[8];

	KUNIT_EXPECT_EQ(test, start, node_free_pages(A()));
	for (unsigned int o = 0; o < 8; o++) {
		p[o] = alloc_pages_node(A(), GFP_KERNEL, o);
		KUNIT_ASSERT_NOT_NULL(test, p[o]);
	}
	/* 1 + 2 + ... + 128 pages */
	KUNIT_EXPECT_EQ(test, free_counter(), start - 255);
	for (unsigned int o = 0; o < 8; o++) {
		__free_pages(p[o], o);
		KUNIT_EXPECT_EQ(test, free_counter(),
				start - 255 + (2UL << o) - 1);
	}
	KUNIT_EXPECT_EQ(test, free_counter(), start);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_FREE_PAGES),
			sum_zone_node_page_state(&contig_page_data,
						 NR_FREE_PAGES));
}

static unsigned long slab_bytes(enum node_stat_item item)
{
	return node_page_state_snapshot(A(), item) * PAGE_SIZE;
}

/* One cache of each kind: its struct, then each new slab, is counted. */
static void slab_pages_counted_in_bytes(struct kunit *test)
{
	unsigned long unrec = slab_bytes(NR_SLAB_UNRECLAIMABLE_B);
	unsigned long rec = slab_bytes(NR_SLAB_RECLAIMABLE_B);
	unsigned long free = free_counter();
	struct kmem_cache *u, *r;
	unsigned long cache_bytes, slab, sheaf;
	void *a, *b;

	u = kmem_cache_create_node(A(), "vmstat_u", 100, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, u);
	cache_bytes = PAGE_SIZE << u->cache_order;
	KUNIT_EXPECT_EQ(test, slab_bytes(NR_SLAB_UNRECLAIMABLE_B), unrec + cache_bytes);
	a = kmem_cache_alloc(u, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	/* The first allocation takes a slab and, but in a debug cache, this
	 * CPU's first sheaf: a page, unreclaimable (as Linux's sheaves, which
	 * come from kmalloc). */
	slab = PAGE_SIZE << u->order;
	sheaf = slab_debug_on(u) ? 0 : PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, slab_bytes(NR_SLAB_UNRECLAIMABLE_B),
			unrec + cache_bytes + slab + sheaf);
	KUNIT_EXPECT_EQ(test, slab_bytes(NR_SLAB_RECLAIMABLE_B), rec);
	/* Every page the counters hold came out of the free count. */
	KUNIT_EXPECT_EQ(test, free - free_counter(),
			(cache_bytes + slab + sheaf) / PAGE_SIZE);

	r = kmem_cache_create_node(A(), "vmstat_r", 100, 0,
				   SLAB_RECLAIM_ACCOUNT, NULL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	b = kmem_cache_alloc(r, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, slab_bytes(NR_SLAB_RECLAIMABLE_B),
			rec + (PAGE_SIZE << r->order));
	/* The cache struct itself is unreclaimable, as in Linux. */
	KUNIT_EXPECT_EQ(test, slab_bytes(NR_SLAB_UNRECLAIMABLE_B),
			unrec + cache_bytes + slab + sheaf +
			(PAGE_SIZE << r->cache_order) +
			(slab_debug_on(r) ? 0 : PAGE_SIZE));

	kmem_cache_free(r, b);
	kmem_cache_destroy(r);
	kmem_cache_free(u, a);
	kmem_cache_destroy(u);
	KUNIT_EXPECT_EQ(test, slab_bytes(NR_SLAB_UNRECLAIMABLE_B), unrec);
	KUNIT_EXPECT_EQ(test, slab_bytes(NR_SLAB_RECLAIMABLE_B), rec);
}

/* A kmalloc above the largest class is a page block, counted as slab. */
static void large_kmalloc_counted(struct kunit *test)
{
	static struct kmalloc_set set;
	unsigned long unrec;
	void *p;

	KUNIT_ASSERT_EQ(test, kmalloc_set_init(&set, A(), "vmstat_k", 0), 0);
	unrec = slab_bytes(NR_SLAB_UNRECLAIMABLE_B);
	p = kmalloc_from(&set, 3 * PAGE_SIZE, GFP_KERNEL);	/* order 2 */
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, PageSlab(virt_to_page(p)));
	KUNIT_EXPECT_EQ(test, slab_bytes(NR_SLAB_UNRECLAIMABLE_B), unrec + 4 * PAGE_SIZE);
	kfree(p);
	KUNIT_EXPECT_EQ(test, slab_bytes(NR_SLAB_UNRECLAIMABLE_B), unrec);
	kmalloc_set_destroy(&set);
	KUNIT_EXPECT_EQ(test, slab_bytes(NR_SLAB_UNRECLAIMABLE_B), 0UL);
}

/*
 * Pages mapped in the vmalloc range count in the kernel's node (vmalloc
 * takes its pages from there; vmap here maps arena pages, the portable
 * way to reach the area code on the host too).
 */
static void vmap_pages_counted(struct kunit *test)
{
	unsigned long before = node_page_state_snapshot(&contig_page_data,
							NR_VMALLOC);
	struct page *pages[3];
	void *va;

	for (int i = 0; i < 3; i++) {
		pages[i] = alloc_pages_node(A(), GFP_KERNEL, 0);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	va = vmap(pages, 3, 0, PROT_READ | PROT_WRITE);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&contig_page_data,
						       NR_VMALLOC), before + 3);
	KUNIT_EXPECT_EQ(test, vmalloc_used_pages(), before + 3);
	vunmap(va);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&contig_page_data,
						       NR_VMALLOC), before);
	for (int i = 0; i < 3; i++)
		__free_pages(pages[i], 0);
}

/* ---------------------------------------------------------------- fold */

static int node_threshold(void)
{
	return this_cpu_ptr(A()->per_cpu_nodestats)->stat_threshold;
}

/*
 * Updates stay in this CPU's difference until it passes the threshold;
 * then all of it reaches the shared counter. The snapshot is always
 * exact; refresh_cpu_vm_stats() makes the shared counter exact.
 */
static void fold_at_threshold(struct kunit *test)
{
	enum node_stat_item item = NR_PAGETABLE;
	unsigned long flags;
	int t;

	flags = arch_irq_save();	/* stay on one CPU */
	t = node_threshold();
	KUNIT_EXPECT_GT(test, t, 0);
	KUNIT_EXPECT_LE(test, t, 125);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(A(), item), 0UL);
	for (int i = 1; i <= t; i++) {
		__inc_node_page_state(A(), item);
		KUNIT_EXPECT_EQ(test, node_page_state(A(), item), 0UL);
		KUNIT_EXPECT_EQ(test, node_page_state_snapshot(A(), item),
				(unsigned long)i);
	}
	__inc_node_page_state(A(), item);	/* t + 1: over, folded */
	KUNIT_EXPECT_EQ(test, node_page_state(A(), item), (unsigned long)t + 1);
	__mod_node_page_state(A(), item, -3);	/* a difference again */
	KUNIT_EXPECT_EQ(test, node_page_state(A(), item), (unsigned long)t + 1);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(A(), item),
			(unsigned long)t - 2);
	KUNIT_EXPECT_TRUE(test, cpu_vm_stats_need_fold(A(), arch_cpu_id()));
	refresh_cpu_vm_stats(A());
	KUNIT_EXPECT_EQ(test, node_page_state(A(), item), (unsigned long)t - 2);
	KUNIT_EXPECT_FALSE(test, cpu_vm_stats_need_fold(A(), arch_cpu_id()));
	/* A change bigger than the threshold goes straight through. */
	__mod_node_page_state(A(), item, 2L * t);
	KUNIT_EXPECT_EQ(test, node_page_state(A(), item), 3UL * t - 2);
	__mod_node_page_state(A(), item, -(3L * t - 2));
	KUNIT_EXPECT_EQ(test, node_page_state(A(), item), 0UL);
	arch_irq_restore(flags);

	/* Zone items (but NR_FREE_PAGES) take the same road. */
	mod_zone_page_state(&A()->node_zones[ZONE_NORMAL], NR_BOUNCE, 5);
	KUNIT_EXPECT_EQ(test, sum_zone_node_page_state(A(), NR_BOUNCE), 5UL);
	dec_zone_page_state(&A()->node_zones[ZONE_NORMAL], NR_BOUNCE);
	KUNIT_EXPECT_TRUE(test, cpu_vm_stats_need_fold(A(), arch_cpu_id()));
	refresh_cpu_vm_stats(A());
	KUNIT_EXPECT_FALSE(test, cpu_vm_stats_need_fold(A(), arch_cpu_id()));
	KUNIT_EXPECT_EQ(test, zone_page_state(&A()->node_zones[ZONE_NORMAL],
					      NR_BOUNCE), 4UL);
	mod_zone_page_state(&A()->node_zones[ZONE_NORMAL], NR_BOUNCE, -4);
	refresh_cpu_vm_stats(A());
}

#define MODEL_STEPS	4000

/*
 * Random changes of random sizes to random items, against exact sums:
 * after every step the snapshot equals the model and the shared counter
 * is within the threshold of it; after a refresh it equals it.
 */
static void random_updates_match_model(struct kunit *test)
{
	long model[NR_VM_NODE_STAT_ITEMS] = { 0 };
	int t = node_threshold();
	unsigned long bad = 0;
	struct prng r;

	prng_seed(&r, test->seed);
	for (int step = 0; step < MODEL_STEPS && !bad; step++) {
		/* items nothing else changes on this node while we run */
		static const enum node_stat_item items[] = {
			NR_PAGETABLE, NR_FILE_PAGES, NR_KERNEL_MISC_RECLAIMABLE,
			NR_SLAB_RECLAIMABLE_B,
		};
		enum node_stat_item item = items[prng_below(&r, ARRAY_SIZE(items))];
		long delta;

		/* mostly small steps, sometimes one past any threshold */
		delta = (long)prng_below(&r, prng_below(&r, 8) ? 4 : 300);
		if (model[item] >= delta && prng_below(&r, 2))
			delta = -delta;
		model[item] += delta;
		if (vmstat_item_in_bytes(item))
			delta *= (long)PAGE_SIZE;
		mod_node_page_state(A(), item, delta);

		for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
			long shared = (long)node_page_state(A(), i);

			if ((long)node_page_state_snapshot(A(), i) != model[i] ||
			    shared > model[i] + t || shared < model[i] - t) {
				KUNIT_FAIL(test, "seed %llu step %d item %s: "
					   "model %ld snapshot %lu shared %ld (threshold %d)",
					   (unsigned long long)test->seed, step,
					   node_stat_names[i], model[i],
					   node_page_state_snapshot(A(), i), shared, t);
				bad++;
				break;
			}
		}
	}
	refresh_cpu_vm_stats(A());
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
		KUNIT_EXPECT_EQ(test, (long)node_page_state(A(), i), model[i]);
		if (vmstat_item_in_bytes(i))
			mod_node_page_state(A(), i, -model[i] * (long)PAGE_SIZE);
		else
			mod_node_page_state(A(), i, -model[i]);
	}
	refresh_cpu_vm_stats(A());
}

/* ---------------------------------------------------------------- reports */

static char buf[8192];

static void meminfo_reads_the_counters(struct kunit *test)
{
	struct kmem_cache *s = kmem_cache_create_node(A(), "vmstat_m", 64, 0,
						      0, NULL);
	void *obj;
	unsigned long slab;
	char want[96];

	KUNIT_ASSERT_NOT_NULL(test, s);
	obj = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	mod_node_page_state(A(), NR_PAGETABLE, 3);
	mod_node_page_state(A(), NR_KERNEL_STACK_KB, 32);
	printk_capture_start(buf, sizeof(buf));
	show_meminfo(A());
	printk_capture_stop();
	slab = node_page_state_snapshot(A(), NR_SLAB_UNRECLAIMABLE_B);
	KUNIT_EXPECT_GT(test, slab, 0UL);
	KUNIT_EXPECT_EQ(test, value_of(buf, "MemFree"),
			(long)(free_counter() * (PAGE_SIZE / 1024)));
	KUNIT_EXPECT_EQ(test, value_of(buf, "SUnreclaim"), (long)(slab * 4));
	KUNIT_EXPECT_EQ(test, value_of(buf, "Slab"), (long)(slab * 4));
	KUNIT_EXPECT_EQ(test, value_of(buf, "SReclaimable"), 0L);
	KUNIT_EXPECT_EQ(test, value_of(buf, "PageTables"), 12L);
	KUNIT_EXPECT_EQ(test, value_of(buf, "KernelStack"), 32L);
	KUNIT_EXPECT_EQ(test, value_of(buf, "VmallocUsed"), 0L);	/* not this node */
	KUNIT_EXPECT_EQ(test, value_of(buf, "Cached"), 0L);
	/* Linux's format, and the registered lines where they asked to be. */
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "SUnreclaim:     ");
	KUNIT_EXPECT_TRUE(test, next_line_is(buf, "VmallocChunk:", "CmaTotal:"));
	KUNIT_EXPECT_TRUE(test, next_line_is(buf, "CmaTotal:", "CmaFree:"));
	/* A line placed after a registered one is printed there only. */
	KUNIT_EXPECT_NULL(test, strstr(strstr(buf, "CmaFree:") + 1, "CmaFree:"));
	KUNIT_EXPECT_TRUE(test, next_line_is(buf, "MemFree:", "MemAvailable:"));
	mod_node_page_state(A(), NR_PAGETABLE, -3);
	mod_node_page_state(A(), NR_KERNEL_STACK_KB, -32);

	printk_capture_start(buf, sizeof(buf));
	show_vmstat(A());
	printk_capture_stop();
	KUNIT_EXPECT_EQ(test, value_of(buf, "nr_free_pages"), (long)free_counter());
	KUNIT_EXPECT_EQ(test, value_of(buf, "nr_slab_unreclaimable"), (long)slab);
	KUNIT_EXPECT_EQ(test, value_of(buf, "nr_page_table_pages"), 0L);
	KUNIT_EXPECT_EQ(test, value_of(buf, "nr_zone_active_file"), 0L);

	printk_capture_start(buf, sizeof(buf));
	show_zoneinfo(A());
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "  per-node stats\n");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "  vm stats threshold: ");
	KUNIT_EXPECT_EQ(test, value_of(buf, "      nr_slab_unreclaimable"), (long)slab);

	/* The allocation failure report starts with the same counters. */
	printk_capture_start(buf, sizeof(buf));
	show_free_areas(A());
	printk_capture_stop();
	ksnprintf(want, sizeof(want), " slab_reclaimable:0 slab_unreclaimable:%lu\n",
		  slab);
	KUNIT_EXPECT_STR_CONTAINS(test, buf, want);
	ksnprintf(want, sizeof(want), " free:%lu free_pcp:0 free_cma:0\n",
		  free_counter());
	KUNIT_EXPECT_STR_CONTAINS(test, buf, want);

	kmem_cache_free(s, obj);
	kmem_cache_destroy(s);
}

/*
 * vmstat prints nr_dirty_threshold and nr_dirty_background_threshold
 * (global_dirty_limits, computed at read time) where Linux does: after
 * the last node item, before the events. The limits are set in bytes for
 * the case, so they do not move with the machine's free memory.
 */
static void vmstat_dirty_thresholds(struct kunit *test)
{
	unsigned long saved_bytes = dirty_bytes;
	unsigned long saved_bg_bytes = dirty_background_bytes;
	char first[64], second[64];

	dirty_bytes = 64 * PAGE_SIZE;
	dirty_background_bytes = 16 * PAGE_SIZE + 1;	/* rounds up */
	printk_capture_start_quiet(buf, sizeof(buf));
	show_vmstat(A());
	printk_capture_stop();
	dirty_bytes = saved_bytes;
	dirty_background_bytes = saved_bg_bytes;
	KUNIT_EXPECT_EQ(test, value_of(buf, "nr_dirty_threshold"), 64L);
	KUNIT_EXPECT_EQ(test, value_of(buf, "nr_dirty_background_threshold"),
			17L);
	ksnprintf(first, sizeof(first), "%s ",
		  node_stat_names[NR_VM_NODE_STAT_ITEMS - 1]);
	KUNIT_EXPECT_TRUE(test, next_line_is(buf, first, "nr_dirty_threshold "));
	KUNIT_EXPECT_TRUE(test, next_line_is(buf, "nr_dirty_threshold ",
					     "nr_dirty_background_threshold "));
	ksnprintf(second, sizeof(second), "%s ", vm_event_names[0]);
	KUNIT_EXPECT_TRUE(test, next_line_is(buf,
					     "nr_dirty_background_threshold ",
					     second));
}

/* Every item has its /proc/vmstat name (a missing one would print NULL). */
static void every_item_named(struct kunit *test)
{
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		KUNIT_EXPECT_TRUE(test, zone_stat_names[i] &&
				  !strncmp(zone_stat_names[i], "nr_", 3));
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		KUNIT_EXPECT_TRUE(test, node_stat_names[i] &&
				  !strncmp(node_stat_names[i], "nr_", 3));
}

static struct kunit_case vmstat_cases[] = {
	KUNIT_CASE(every_item_named),
	KUNIT_CASE(free_pages_follows_the_buddy),
	KUNIT_CASE(slab_pages_counted_in_bytes),
	KUNIT_CASE(large_kmalloc_counted),
	KUNIT_CASE(vmap_pages_counted),
	KUNIT_CASE(fold_at_threshold),
	KUNIT_CASE(random_updates_match_model),
	KUNIT_CASE(meminfo_reads_the_counters),
	KUNIT_CASE(vmstat_dirty_thresholds),
	{}
};

static struct kunit_suite vmstat_suite = {
	.name = "vmstat",
	.init = vmstat_case_init,
	.exit = vmstat_case_exit,
	.test_cases = vmstat_cases,
};
kunit_test_suite(vmstat_suite);
