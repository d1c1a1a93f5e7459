/*
 * tests/bench/slab.c - kmalloc+kfree speed against glibc malloc+free, and
 * the memory overhead of each kmalloc size class.
 *
 * Patterns (ns per alloc+free pair, best of 5 runs):
 *   pair   allocate one object, free it, repeat
 *   batch  allocate 1000 objects, free them in a random order, repeat
 * Sizes 8, 64, 256 and 4096 bytes. What is timed is kmalloc_from() and
 * kfree() exactly as a kernel caller uses them (kfree finds the cache from
 * the address), debug off, on a kmalloc set over a private 256 MiB page
 * arena (the page allocator refills slabs from it), backed by 2 MiB host
 * pages where the host allows (madvise), as the kernel's direct map is.
 * The arena's size matters to one figure: a cache's barn keeps up to
 * 4 MiB of objects on a node of 256 MiB or more, a 64th of smaller ones,
 * and a 4 KiB batch of 1000 needs the whole 4 MiB to skip its slabs
 * (docs/mm/slab.md, "Measured", has the figure for a 64 MiB node).
 *
 * The malloc column is whatever library serves malloc in the process
 * (dladdr names it): glibc when run as built. The same binary then runs
 * itself again with jemalloc and with tcmalloc preloaded (LD_PRELOAD of
 * Debian's libjemalloc.so.2 and libtcmalloc_minimal.so.4, installed by
 * `tools/deps bench`), `--malloc-only`, and the table shows all three
 * measured in this run beside kmalloc, with each goal and verdict.
 *
 * Two threads: the host's arch_cpu_id() is 0 in every thread, so two
 * threads sharing a kmalloc set would share one CPU's per-CPU state (a
 * race). Each thread gets its own arena and kmalloc set instead: what is
 * measured is two CPUs each using their own per-CPU caches, which is what
 * the kernel's per-CPU design gives. (The host's "interrupt flag" is a
 * thread-local, so the threads share no line the kernel's CPUs would not.)
 * Only one arena is pfn_to_page()'s main range (mm/memmap.c): the other
 * thread's kfree() searches the memmap table out of line, and that thread
 * is the slower one the table shows.
 */
#define _GNU_SOURCE		/* dladdr */
#include "kernel/lib/random.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/slab_internal.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <time.h>

#define ARENA_SIZE	(256UL << 20)
#define BATCH		1000
#define PAIR_ITERS	2000000
#define BATCH_ROUNDS	400
#define RUNS		5

static const size_t sizes[] = { 8, 64, 256, 4096 };

struct ctx {
	pg_data_t pgdat;
	struct kmalloc_set ks;
	void *ptrs[BATCH];
	unsigned int order[BATCH];
	double res[2][2][ARRAY_SIZE(sizes)];	/* [kmalloc/glibc][pair/batch] */
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void ctx_init(struct ctx *c, const char *name)
{
	void *mem = aligned_alloc(4UL << 20, ARENA_SIZE);
	struct mem_range r = { virt_to_phys(mem), virt_to_phys(mem) + ARENA_SIZE };
	struct prng rng;

	/* The kernel's direct map uses 2 MiB / 1 GiB pages; ask for 2 MiB
	 * ones here so the host does not add TLB misses the kernel lacks. */
	if (mem)
		madvise(mem, ARENA_SIZE, MADV_HUGEPAGE);
	if (!mem || page_arena_init(&c->pgdat, &r, 1, 0) ||
	    kmalloc_set_init(&c->ks, &c->pgdat, name, 0)) {
		fprintf(stderr, "bench: no arena\n");
		exit(1);
	}
	/* A fixed random free order. */
	prng_seed(&rng, 42);
	for (unsigned int i = 0; i < BATCH; i++)
		c->order[i] = i;
	for (unsigned int i = BATCH - 1; i > 0; i--) {
		unsigned int j = (unsigned int)prng_below(&rng, i + 1), t = c->order[i];

		c->order[i] = c->order[j];
		c->order[j] = t;
	}
}

#define KEEP(p)	__asm__ __volatile__("" : : "r"(p) : "memory")

static double pair_kmalloc(struct ctx *c, size_t size)
{
	double t = now_ns();

	for (int i = 0; i < PAIR_ITERS; i++) {
		void *p = kmalloc_from(&c->ks, size, GFP_KERNEL);

		KEEP(p);
		kfree(p);
	}
	return (now_ns() - t) / PAIR_ITERS;
}

static double pair_glibc(size_t size)
{
	double t = now_ns();

	for (int i = 0; i < PAIR_ITERS; i++) {
		void *p = malloc(size);

		KEEP(p);
		free(p);
	}
	return (now_ns() - t) / PAIR_ITERS;
}

static double batch_kmalloc(struct ctx *c, size_t size)
{
	double t = now_ns();

	for (int r = 0; r < BATCH_ROUNDS; r++) {
		for (int i = 0; i < BATCH; i++) {
			c->ptrs[i] = kmalloc_from(&c->ks, size, GFP_KERNEL);
			KEEP(c->ptrs[i]);
		}
		for (int i = 0; i < BATCH; i++)
			kfree(c->ptrs[c->order[i]]);
	}
	return (now_ns() - t) / ((double)BATCH_ROUNDS * BATCH);
}

static double batch_glibc(struct ctx *c, size_t size)
{
	double t = now_ns();

	for (int r = 0; r < BATCH_ROUNDS; r++) {
		for (int i = 0; i < BATCH; i++) {
			c->ptrs[i] = malloc(size);
			KEEP(c->ptrs[i]);
		}
		for (int i = 0; i < BATCH; i++)
			free(c->ptrs[c->order[i]]);
	}
	return (now_ns() - t) / ((double)BATCH_ROUNDS * BATCH);
}

static const char *malloc_library(void);

/* The cache of c's kmalloc set that serves size bytes. */
static struct kmem_cache *kmalloc_cache(struct ctx *c, size_t size)
{
	for (unsigned int i = 0; i < KMALLOC_NR_CLASSES; i++)
		if (c->ks.caches[i]->object_size == kmalloc_size_class(size))
			return c->ks.caches[i];
	return c->ks.caches[0];
}

static double best(double a, double b)
{
	return a < b ? a : b;
}

static void measure(struct ctx *c)
{
	for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
		double kp = 1e9, kb = 1e9, gp = 1e9, gb = 1e9;

		for (int run = 0; run < RUNS; run++) {
			kp = best(kp, pair_kmalloc(c, sizes[s]));
			gp = best(gp, pair_glibc(sizes[s]));
			kb = best(kb, batch_kmalloc(c, sizes[s]));
			gb = best(gb, batch_glibc(c, sizes[s]));
		}
		c->res[0][0][s] = kp;
		c->res[0][1][s] = kb;
		c->res[1][0][s] = gp;
		c->res[1][1][s] = gb;
	}
}

static void *thread_main(void *arg)
{
	measure(arg);
	return NULL;
}

static void print_table(const char *title, struct ctx **cs, int n)
{
	printf("%s\n", title);
	char mp[32], mb[32];

	snprintf(mp, sizeof(mp), "%s pair", malloc_library());
	snprintf(mb, sizeof(mb), "%s batch", malloc_library());
	printf("  %-8s %14s %14s %14s %14s\n", "size", "kmalloc pair", mp,
	       "kmalloc batch", mb);
	for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
		printf("  %-8zu", sizes[s]);
		for (int k = 0; k < 4; k++) {
			int lib = k % 2 ? 1 : 0, pat = k / 2;
			double worst = 0;

			for (int i = 0; i < n; i++)
				worst = worst > cs[i]->res[lib][pat][s] ? worst : cs[i]->res[lib][pat][s];
			printf(" %11.2f ns", worst);
		}
		printf("\n");
	}
}

/* Per object: slot bytes beyond the class size, the slab's unused tail and
 * descriptor shared out, and each page's struct page shared out. */
static void print_overhead(struct ctx *c)
{
	printf("memory overhead per object (kmalloc classes, debug off)\n");
	printf("  %-6s %6s %6s %5s %12s %12s %10s\n", "class", "stride",
	       "objs", "pages", "slack+desc", "struct page", "total");
	for (unsigned int i = 0; i < KMALLOC_NR_CLASSES; i++) {
		struct kmem_cache *s = c->ks.caches[i];
		double slab = (double)(PAGE_SIZE << s->order);
		double slack = (slab - (double)s->objects * s->object_size) / s->objects;
		double pg = (double)sizeof(struct page) * (1 << s->order) / s->objects;

		printf("  %-6u %6u %6u %5u %9.1f B  %9.2f B  %7.1f%%\n",
		       s->object_size, s->size, s->objects, 1u << s->order, slack,
		       pg, 100.0 * (slack + pg) / s->object_size);
	}
	printf("  (per cache: one struct kmem_cache of %zu bytes, %u page(s); "
	       "per CPU two sheaves, one page each, of %u (8 B) .. %u (8 KiB) "
	       "objects; per cache a barn of %u (8 B) .. %u (8 KiB) full ones)\n",
	       sizeof(struct kmem_cache), 1u << c->ks.caches[0]->cache_order,
	       c->ks.caches[0]->sheaf_capacity,
	       c->ks.caches[KMALLOC_NR_CLASSES - 1]->sheaf_capacity,
	       c->ks.caches[0]->barn_max,
	       c->ks.caches[KMALLOC_NR_CLASSES - 1]->barn_max);
}

/* The library malloc comes from in this process, as a short name. */
static const char *malloc_library(void)
{
	Dl_info info;
	/* The definition the dynamic linker chose (in a non-PIE binary,
	 * `malloc` itself is the binary's own PLT stub). */
	void *m = dlsym(RTLD_DEFAULT, "malloc");

	if (!m || !dladdr(m, &info) || !info.dli_fname)
		return "unknown";
	if (strstr(info.dli_fname, "jemalloc"))
		return "jemalloc";
	if (strstr(info.dli_fname, "tcmalloc"))
		return "tcmalloc";
	if (strstr(info.dli_fname, "libc.so"))
		return "glibc";
	return info.dli_fname;
}

/* --malloc-only: the malloc column alone, one thread, one line a size
 * ("malloc NAME SIZE PAIR BATCH"), for the parent run to read. */
static int malloc_only(void)
{
	static struct ctx c;

	for (unsigned int i = 0; i < BATCH; i++)
		c.order[i] = (i * 7919u) % BATCH;	/* a fixed permutation */
	for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
		double p = 1e9, b = 1e9;

		for (int run = 0; run < RUNS; run++) {
			p = best(p, pair_glibc(sizes[s]));
			b = best(b, batch_glibc(&c, sizes[s]));
		}
		printf("malloc %s %zu %.2f %.2f\n", malloc_library(), sizes[s], p, b);
	}
	return 0;
}

/* Another allocator's figures: this binary again with lib preloaded.
 * Fills pair[] and batch[] (ns, -1: not measured) and says why not. */
static void measure_preloaded(const char *name, const char *lib,
			      double *pair, double *batch)
{
	char cmd[512], line[256], self[256];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	FILE *f;

	for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++)
		pair[s] = batch[s] = -1;
	if (access(lib, R_OK)) {
		printf("  %s: not measured: %s is missing (bash tools/deps bench "
		       "installs it)\n", name, lib);
		return;
	}
	if (n <= 0)
		return;
	self[n] = '\0';
	snprintf(cmd, sizeof(cmd), "LD_PRELOAD=%s '%s' --malloc-only", lib, self);
	f = popen(cmd, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char who[32];
		size_t size;
		double p, b;

		if (sscanf(line, "malloc %31s %zu %lf %lf", who, &size, &p, &b) != 4)
			continue;
		if (strcmp(who, name)) {
			printf("  %s: not measured: with it preloaded, malloc came "
			       "from %s\n", name, who);
			break;
		}
		for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++)
			if (sizes[s] == size) {
				pair[s] = p;
				batch[s] = b;
			}
	}
	pclose(f);
}

/* The goals (issue 20): 8-256 B pair <= 7 ns, batch <= 10 ns;
 * 4096 B both <= 12 ns. */
static double goal(size_t size, int batch)
{
	return size == 4096 ? 12.0 : batch ? 10.0 : 7.0;
}

static void print_comparison(const struct ctx *c)
{
	static const struct { const char *name, *lib; } others[] = {
		{ "jemalloc", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2" },
		{ "tcmalloc", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4" },
	};
	double op[2][ARRAY_SIZE(sizes)], ob[2][ARRAY_SIZE(sizes)];

	for (unsigned int i = 0; i < 2; i++)
		measure_preloaded(others[i].name, others[i].lib, op[i], ob[i]);
	printf("one thread, measured in this run: ns per pair / per object of a "
	       "batch (malloc column: %s)\n", malloc_library());
	printf("  %-6s %15s %15s %15s %15s %9s  %s\n", "size", "kmalloc",
	       malloc_library(), others[0].name, others[1].name, "goal",
	       "verdict (kmalloc)");
	for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
		char vp[48], vb[48];
		double kp = c->res[0][0][s], kb = c->res[0][1][s];

		printf("  %-6zu %6.2f / %6.2f %6.2f / %6.2f", sizes[s], kp, kb,
		       c->res[1][0][s], c->res[1][1][s]);
		for (unsigned int i = 0; i < 2; i++) {
			if (op[i][s] < 0)
				printf(" %15s", "-");
			else
				printf(" %6.2f / %6.2f", op[i][s], ob[i][s]);
		}
		snprintf(vp, sizeof(vp), kp <= goal(sizes[s], 0) ? "pair met" :
			 "pair missed by %.1f ns", kp - goal(sizes[s], 0));
		snprintf(vb, sizeof(vb), kb <= goal(sizes[s], 1) ? "batch met" :
			 "batch missed by %.1f ns", kb - goal(sizes[s], 1));
		printf("  %3.0f / %3.0f  %s, %s\n", goal(sizes[s], 0),
		       goal(sizes[s], 1), vp, vb);
	}
}

int main(int argc, char **argv)
{
	static struct ctx one, two[2];
	struct ctx *p1[] = { &one }, *p2[] = { &two[0], &two[1] };
	pthread_t t[2];

	if (argc == 2 && !strcmp(argv[1], "--malloc-only"))
		return malloc_only();
	ctx_init(&one, "b1");
	measure(&one);
	printf("kmalloc_from()+kfree() as kernel callers use them, slab debug "
	       "off; a %lu MiB arena on 2 MiB host pages (madvise) like the "
	       "direct map; barn of kmalloc-4096: %u full sheaves of %u\n",
	       ARENA_SIZE >> 20, kmalloc_cache(&one, 4096)->barn_max,
	       kmalloc_cache(&one, 4096)->sheaf_capacity);
	print_table("one thread: ns per alloc+free pair (best of 5; pair = "
		    "alloc,free repeated; batch = 1000 allocs freed in random order)",
		    p1, 1);

	ctx_init(&two[0], "b2a");
	ctx_init(&two[1], "b2b");
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, thread_main, &two[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	print_table("two threads at once, each with its own arena and kmalloc set "
		    "(the slower thread shown; glibc: both threads share its heap "
		    "arenas as usual)", p2, 2);
	print_comparison(&one);
	print_overhead(&one);
	return 0;
}
