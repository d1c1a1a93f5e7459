/*
 * tests/bench/page_alloc.c - how fast the buddy allocator is, how well
 * mobility grouping keeps large blocks available, and what the memmap
 * costs. A host program over a private arena, measuring the API a kernel
 * caller uses (alloc_pages_node / __free_pages, GFP_KERNEL: gfp handling
 * and watermark check included) with the production configuration:
 * page_alloc.debug=off and lockdebug=off (kernel/spinlock.h).
 *
 *   make O=build bench   (or build/host/bench-page_alloc after a build)
 */
#include "tests/host/host.h"
#include "kernel/lib/random.h"
#include "mm/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ARENA_SIZE	(2304UL << 20)	/* a batch of 1000 order-9 blocks fits */
#define FRAG_SIZE	(256UL << 20)
#define BATCH		1000

static pg_data_t node;
static struct page *batch[BATCH];

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void set_pcp(bool on)
{
	struct zone *zone;

	for_each_populated_zone_in(zone, &node) {
		if (on)
			zone_pcp_update(zone);
		else
			zone_set_pcp(zone, 0, 1);
	}
}

/* "met", or "missed by X ns", for a figure against its goal. */
static const char *verdict(double ns, double goal, char *buf, size_t size)
{
	if (ns <= goal)
		return "met";
	snprintf(buf, size, "missed by %.1f ns", ns - goal);
	return buf;
}

#define RUNS	50	/* timed runs per figure (a few ms each); the fastest counts */

/*
 * ns per alloc+free pair, one after the other: the best of RUNS runs of
 * iters / RUNS pairs (the machine is shared; the best run is the one
 * least disturbed by other programs).
 */
static double bench_pair(unsigned int order, long iters)
{
	double best = 0;

	for (int run = 0; run < RUNS; run++) {
		double t0 = now_ns(), t;

		for (long i = 0; i < iters / RUNS; i++) {
			struct page *p = alloc_pages_node(&node, GFP_KERNEL,
							  order);

			if (!p)
				abort();
			__free_pages(p, order);
		}
		t = (now_ns() - t0) / (iters / RUNS);
		if (run == 0 || t < best)
			best = t;
	}
	return best;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * ns per pair: BATCH allocations, then freed in random order. The median
 * round (rounds <= 2000) is reported: a round is far shorter than a
 * scheduler time slice, so most rounds run undisturbed by other programs
 * on a shared machine.
 */
static double bench_batch(unsigned int order, int rounds, struct prng *rng)
{
	static double t[2000];

	for (int r = 0; r < rounds; r++) {
		double t0 = now_ns();

		for (int i = 0; i < BATCH; i++)
			if (!(batch[i] = alloc_pages_node(&node, GFP_KERNEL, order)))
				abort();
		t[r] = now_ns() - t0;
		for (int i = BATCH - 1; i > 0; i--) {	/* shuffle, untimed */
			int j = (int)prng_below(rng, (uint64_t)i + 1);
			struct page *x = batch[i];

			batch[i] = batch[j];
			batch[j] = x;
		}
		t0 = now_ns();
		for (int i = 0; i < BATCH; i++)
			__free_pages(batch[i], order);
		t[r] += now_ns() - t0;
	}
	qsort(t, (size_t)rounds, sizeof(t[0]), cmp_double);
	return t[rounds / 2] / BATCH;
}

/* The floor: a bare free-list stack of 4 KiB pages, push and pop. */
static double bench_stack(long iters, char *mem)
{
	void **top = NULL;

	for (int i = 0; i < 1024; i++) {
		void **p = (void **)(mem + (size_t)i * 4096);

		*p = top;
		top = p;
	}
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		void **p = top;

		top = *p;			/* pop */
		__asm__ __volatile__("" : : "r"(p) : "memory");
		*p = top;			/* push */
		top = p;
	}
	return (now_ns() - t0) / iters;
}

/*
 * The floor for a per-CPU list as this allocator locks it: the same stack,
 * but each pop and each push with interrupts off (on the host a flag; in
 * the kernel pushf/cli/popf on x86_64, daif on arm64).
 */
static double bench_irqoff_stack(long iters, char *mem)
{
	void **top = NULL;

	for (int i = 0; i < 1024; i++) {
		void **p = (void **)(mem + (size_t)i * 4096);

		*p = top;
		top = p;
	}
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		unsigned long flags;
		void **p;

		flags = arch_irq_save();
		p = top;			/* pop */
		top = *p;
		arch_irq_restore(flags);
		__asm__ __volatile__("" : : "r"(p) : "memory");
		flags = arch_irq_save();
		*p = top;			/* push */
		top = p;
		arch_irq_restore(flags);
	}
	return (now_ns() - t0) / iters;
}

/*
 * The zone path's buddy work alone: take an order-0 block off the free
 * lists (splitting an order-10 one ten times) and free it (merging it back
 * ten times), zone->lock held once around the whole loop, nothing else:
 * no gfp, watermark, refcount or checks. What is left of the zone path's
 * goal after it is what the API and two lock round trips may take.
 */
/* Levels an order-0 GFP_KERNEL allocation splits now (its smallest block). */
static unsigned int split_levels(void)
{
	struct zone *zone = &node.node_zones[ZONE_NORMAL];
	unsigned int o = 0;

	while (o < MAX_PAGE_ORDER &&
	       list_empty(&zone->free_area[o].free_list[MIGRATE_UNMOVABLE]))
		o++;
	return o;
}

static double bench_split_merge(long iters, unsigned int *levels)
{
	struct zone *zone = &node.node_zones[ZONE_NORMAL];
	unsigned long flags;
	double t0, t;

	*levels = split_levels();
	spin_lock_irqsave(&zone->lock, flags);
	t0 = now_ns();
	for (long i = 0; i < iters; i++) {
		struct page *page = __rmqueue_smallest(zone, 0, MIGRATE_UNMOVABLE);

		if (!page)
			abort();
		__free_one_page(page, page_to_pfn(page), zone, 0, MIGRATE_UNMOVABLE);
	}
	t = (now_ns() - t0) / iters;
	spin_unlock_irqrestore(&zone->lock, flags);
	return t;
}

/*
 * A floor for the buddy work: the textbook algorithm over its own memmap
 * of 64-byte entries (struct page's size), one free list per order and
 * nothing else: no migratetypes, pageblocks, holes, zones or counters
 * but one per order. An order-0 block is split off an order-10 one and
 * merged back, as split+merge does, so what separates the two lines is
 * what this allocator keeps beside the textbook's lists.
 */
struct tb_page {
	struct list_head lru;
	unsigned long order;		/* while free */
	bool free;
	char pad[64 - sizeof(struct list_head) - sizeof(unsigned long) - sizeof(bool)];
};
_Static_assert(sizeof(struct tb_page) == 64, "struct page's size");

#define TB_PAGES	(1UL << MAX_PAGE_ORDER)

static struct tb_page tb_map[TB_PAGES];
static struct list_head tb_list[NR_PAGE_ORDERS];
static unsigned long tb_nr[NR_PAGE_ORDERS];

static __attribute__((noinline)) struct tb_page *tb_alloc0(void)
{
	unsigned int o = 0;
	struct tb_page *p;

	while (o < NR_PAGE_ORDERS && list_empty(&tb_list[o]))
		o++;
	if (o == NR_PAGE_ORDERS)
		return NULL;
	p = list_first_entry(&tb_list[o], struct tb_page, lru);
	list_del(&p->lru);
	tb_nr[o]--;
	p->free = false;
	while (o--) {			/* split: the upper half goes free */
		struct tb_page *b = p + (1UL << o);

		b->free = true;
		b->order = o;
		list_add(&b->lru, &tb_list[o]);
		tb_nr[o]++;
	}
	return p;
}

static __attribute__((noinline)) void tb_free0(struct tb_page *p)
{
	unsigned long pfn = (unsigned long)(p - tb_map);
	unsigned int o = 0;

	for (; o < MAX_PAGE_ORDER; o++) {
		unsigned long bpfn = pfn ^ (1UL << o);
		struct tb_page *b = &tb_map[bpfn];

		if (!b->free || b->order != o)
			break;
		list_del(&b->lru);
		tb_nr[o]--;
		b->free = false;
		pfn &= bpfn;
	}
	p = &tb_map[pfn];
	p->free = true;
	p->order = o;
	list_add(&p->lru, &tb_list[o]);
	tb_nr[o]++;
}

static double bench_textbook(long iters)
{
	double best = 0;

	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
		INIT_LIST_HEAD(&tb_list[o]);
	tb_map[0].free = true;
	tb_map[0].order = MAX_PAGE_ORDER;
	list_add(&tb_map[0].lru, &tb_list[MAX_PAGE_ORDER]);
	for (int run = 0; run < RUNS; run++) {
		double t0 = now_ns(), t;

		for (long i = 0; i < iters / RUNS; i++) {
			struct tb_page *p = tb_alloc0();

			if (!p)
				abort();
			__asm__ __volatile__("" : : "r"(p) : "memory");
			tb_free0(p);
		}
		t = (now_ns() - t0) / (iters / RUNS);
		if (run == 0 || t < best)
			best = t;
	}
	return best;
}

/* The cost of the locked instruction every spin_lock() executes. */
static double bench_lock(long iters)
{
	static DEFINE_SPINLOCK(lock);
	double t0 = now_ns();

	for (long i = 0; i < iters; i++) {
		spin_lock(&lock);
		spin_unlock(&lock);
	}
	return (now_ns() - t0) / iters;
}

/* Share of free memory in blocks of at least pageblock size. */
static double order9_share(void)
{
	unsigned long big = 0, all = 0;
	struct zone *zone;

	drain_node_pages(&node);
	for_each_populated_zone_in(zone, &node) {
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
			all += zone->free_area[o].nr_free << o;
			if (o >= pageblock_order)
				big += zone->free_area[o].nr_free << o;
		}
	}
	return all ? 100.0 * big / all : 0;
}

struct held {
	struct page *page;
	unsigned int order;
	bool movable;
};

/*
 * A long mixed workload: 25% unmovable, 75% movable, orders 0-3, memory
 * kept between 40% and 80% used, frees in random order. Reports the share
 * of free memory as order>=9 blocks at the end, and after every movable
 * page is freed (what compaction or reclaim could reach).
 */
static void fragmentation(bool grouping, char *mem)
{
	static struct held held[60000];
	unsigned int nr = 0;
	unsigned long used = 0, total;
	struct mem_range r = { virt_to_phys(mem), virt_to_phys(mem) + FRAG_SIZE };
	struct prng rng;
	double during, after;

	prng_seed(&rng, 42);
	page_arena_init(&node, &r, 1, 0);
	set_mobility_grouping(&node, grouping);
	total = node_managed_pages(&node);
	for (long step = 0; step < 2000000; step++) {
		bool alloc = used < total * 4 / 10 ||
			     (used < total * 8 / 10 && prng_below(&rng, 2));

		if (alloc && nr < sizeof(held) / sizeof(held[0])) {
			bool movable = prng_below(&rng, 4) != 0;
			unsigned int order = (unsigned int)prng_below(&rng, 4);
			struct page *p = alloc_pages_node(&node,
				(movable ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL) |
				__GFP_NOWARN, order);

			if (p) {
				held[nr++] = (struct held){ p, order, movable };
				used += 1UL << order;
			}
		} else if (nr) {
			unsigned int i = (unsigned int)prng_below(&rng, nr);

			__free_pages(held[i].page, held[i].order);
			used -= 1UL << held[i].order;
			held[i] = held[--nr];
		}
	}
	during = order9_share();
	for (unsigned int i = 0; i < nr;) {
		if (held[i].movable) {
			__free_pages(held[i].page, held[i].order);
			held[i] = held[--nr];
		} else {
			i++;
		}
	}
	after = order9_share();
	printf("  grouping %-3s: free memory in order>=9 blocks: %5.1f%% under load, %5.1f%% once movable pages are gone (%lu pageblock steals)\n",
	       grouping ? "on" : "off", during, after,
	       node.node_zones[ZONE_NORMAL].events[ZE_STEAL_BLOCK]);
	while (nr) {
		nr--;
		__free_pages(held[nr].page, held[nr].order);
	}
	page_arena_destroy(&node);
}

int main(void)
{
	char *mem = aligned_alloc(4UL << 20, ARENA_SIZE);
	struct mem_range r = { virt_to_phys(mem), virt_to_phys(mem) + ARENA_SIZE };
	struct prng rng;
	const long N = 20000000;
	char buf[40];

	page_alloc_set_debug(false);	/* production settings: debug aids off */
	lock_debug = false;
	console_loglevel = 3;
	prng_seed(&rng, 1);
	if (!mem || page_arena_init(&node, &r, 1, 0) < 0)
		return 1;
	struct zone *zone = &node.node_zones[ZONE_NORMAL];

	printf("page allocator, %lu MiB arena, pcp high %d batch %d\n",
	       ARENA_SIZE >> 20, zone->pcp_high, zone->pcp_batch);
	printf("configuration: host, gcc -O2 -DNDEBUG, no sanitizers, 1 CPU; page_alloc.debug=off, lockdebug=off;\n"
	       "  alloc_pages_node(GFP_KERNEL) + __free_pages(); pair: best of %d runs, batch: median round\n",
	       RUNS);
	printf("ns per alloc+free pair     pair   batch-of-1000-random-free\n");
	set_pcp(true);
	double p0 = bench_pair(0, N), b0 = bench_batch(0, 2000, &rng);

	printf("  order 0, per-CPU lists %6.1f  %6.1f   goal <= 10 both: %s (Linux pcp fast path ~60)\n",
	       p0, b0, verdict(max(p0, b0), 10, buf, sizeof(buf)));
	lock_debug = true;
	printf("  order 0, pcp, lockdebug on %5.1f           (the kernel's default; `lockdebug=off` in production)\n",
	       bench_pair(0, N / 2));
	lock_debug = false;
	set_pcp(false);
	unsigned int levels = split_levels();
	double pz = bench_pair(0, N / 2), bz = bench_batch(0, 2000, &rng);

	printf("  order 0, zone (no pcp) %6.1f  %6.1f   goal <= 40: %s (pair splits and merges %u levels)\n",
	       pz, bz, verdict(max(pz, bz), 40, buf, sizeof(buf)), levels);
	struct page *pin = alloc_pages_node(&node, GFP_KERNEL, 0);
	double ph = bench_pair(0, N / 2);

	printf("  order 0, zone, buddy held %5.1f          goal <= 40: %s (steady state: no split, no merge)\n",
	       ph, verdict(ph, 40, buf, sizeof(buf)));
	__free_pages(pin, 0);
	set_pcp(true);
	printf("  order 3, per-CPU lists %6.1f  %6.1f\n",
	       bench_pair(3, N / 2), bench_batch(3, 1000, &rng));
	set_pcp(false);
	printf("  order 3, zone (no pcp) %6.1f  %6.1f\n",
	       bench_pair(3, N / 2), bench_batch(3, 1000, &rng));
	double p9 = bench_pair(9, N / 2), b9 = bench_batch(9, 20, &rng);

	printf("  order 9 (zone path)    %6.1f  %6.1f   goal <= 60 both: %s\n",
	       p9, b9, verdict(max(p9, b9), 60, buf, sizeof(buf)));
	printf("  bare free-list stack   %6.1f           (the floor; 1.2-2.5 measured before)\n",
	       bench_stack(N * 5, mem + ARENA_SIZE / 2));
	double irqstack = bench_irqoff_stack(N, mem + ARENA_SIZE / 2);

	printf("  same, irq off around each %4.1f           (pop and push as the per-CPU lists lock them: their floor)\n",
	       irqstack);
	double lock = bench_lock(N), split = bench_split_merge(N / 4, &levels);
	double tb = bench_textbook(N / 4);

	printf("  spin_lock+unlock       %6.1f           (zone->lock: twice per zone-path pair, once per pcp batch)\n",
	       lock);
	printf("  split+merge %2u levels  %6.1f           (the buddy work alone, one lock held throughout: leaves %.1f ns of\n"
	       "                                          the zone path's 40 for the API and two lock round trips of %.1f)\n",
	       levels, split, 40 - split, lock);
	/*
	 * What a zone-path pair cannot do without: the buddy work (the
	 * textbook's, less than ours), zone->lock taken twice, and the
	 * per-pair work outside any list (gfp, watermark, owner fields,
	 * refcount and free checks), which the per-CPU pair measures with
	 * only its list operations (the irq-off stack) on top.
	 */
	double floor = tb + 2 * lock + max(p0 - irqstack, 0.0);

	printf("  textbook split+merge   %6.1f           (%u levels, one list per order, nothing else)\n",
	       tb, MAX_PAGE_ORDER);
	printf("  zone pair floor here   %6.1f           textbook %.1f + two lock round trips %.1f + the per-CPU pair less its\n"
	       "                                          list work %.1f: goal 40 %s on this machine\n",
	       floor, tb, 2 * lock, max(p0 - irqstack, 0.0),
	       floor > 40 ? "out of reach" : "within reach");
	set_pcp(true);
	page_arena_destroy(&node);

	printf("fragmentation (%lu MiB, 2M steps, 25%% unmovable, orders 0-3):\n",
	       FRAG_SIZE >> 20);
	fragmentation(true, mem);
	fragmentation(false, mem);

	page_arena_init(&node, &r, 1, 0);
	zone = &node.node_zones[ZONE_NORMAL];
	printf("memory overhead (%lu MiB arena):\n", ARENA_SIZE >> 20);
	printf("  memmap: %zu bytes per 4 KiB page = %.2f%% of RAM (%lu KiB per GiB)\n",
	       sizeof(struct page), 100.0 * sizeof(struct page) / PAGE_SIZE,
	       (unsigned long)((1UL << 30) / PAGE_SIZE * sizeof(struct page)) >> 10);
	printf("  pageblock types: 1 byte per 2 MiB = %.5f%%\n",
	       100.0 / (2 << 20));
	printf("  per-CPU lists: %zu bytes of struct per CPU per zone; pages held at most high=%d per CPU = %.2f%% of the zone per CPU\n",
	       sizeof(struct per_cpu_pages), zone->pcp_high,
	       100.0 * zone->pcp_high / zone->managed_pages);
	page_arena_destroy(&node);
	free(mem);
	return 0;
}
