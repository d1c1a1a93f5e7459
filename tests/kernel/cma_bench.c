/*
 * tests/kernel/cma_bench.c - `bench=cma` (kernel/bench.c): issue 17's
 * measurements, on a machine booted with cma=SIZE and an empty ext2 disk
 * (tools/bench-cma makes one: 128 MiB, cma=16M, no swap):
 *
 *   cma_alloc of the whole region when it is lent (>= 90% of its pages in
 *   use by movable allocations), in ms per MiB, by who borrowed it:
 *     anon   memhog's anonymous memory
 *     clean  the page cache of a file just read
 *     dirty  the page cache of a file just written (pages still dirty)
 *   the success rate of 1000 takes of 1 MiB while a memhog churns
 *     anonymous memory and a writer writes a file (Linux's report: ~95%);
 *   the share of order-9 (2 MiB) allocations that succeed after a
 *     fragmenting workload (every other page of most of memory freed),
 *     without direct compaction and with it.
 *
 * One `bench: cma ...` line per figure; tools/bench-cma puts them beside
 * the goals. Skipped (said so) without a region or a disk.
 */
#include "kernel/bench.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/cma.h"
#include "mm/compaction.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"

static const char *const envp[] = { "PATH=/bin", "HOME=/", NULL };

static int spawn(const char *const *argv)
{
	char path[64];

	ksnprintf(path, sizeof(path), "/bin/%s", argv[0]);
	return process_spawn(path, argv, envp);
}

static int run(const char *const *argv)
{
	int pid = spawn(argv);

	return pid > 0 ? process_wait(pid) : pid;
}

static int cmd(const char *line)
{
	static char buf[128];

	strlcpy(buf, line, sizeof(buf));
	return console_execute(buf);
}

/* Pages of the region that are dirty page-cache pages now. */
static unsigned long dirty_in_region(struct cma *cma)
{
	unsigned long n = 0;

	for (unsigned long i = 0; i < cma->count; i++) {
		struct page *p = pfn_to_page(cma->base_pfn + i);

		if (p && page_count(p) && PageDirty(p) && !PageAnon(p))
			n++;
	}
	return n;
}

#define SAMPLES	5

struct takes {
	unsigned int n;
	uint64_t us_per_mib[SAMPLES];
	unsigned long lent[SAMPLES], dirty[SAMPLES];
	unsigned int failed;
};

/* Take the whole region once, if it is lent (>= 90%); true if measured. */
static bool take_whole(struct cma *cma, struct takes *t)
{
	unsigned long lent = cma_lent_pages(cma), dirty, mib;
	uint64_t t0;
	struct page *p;

	if (t->n == SAMPLES || lent < cma->count * 9 / 10)
		return false;
	dirty = dirty_in_region(cma);
	t0 = clock_ns();
	p = cma_alloc(cma, cma->count, 0);
	if (!p) {
		t->failed++;
		return true;
	}
	mib = cma->count * PAGE_SIZE >> 20;
	t->us_per_mib[t->n] = (clock_ns() - t0) / 1000 / mib;
	t->lent[t->n] = lent;
	t->dirty[t->n] = dirty;
	t->n++;
	cma_release(cma, p, cma->count);
	return true;
}

static void report(const char *what, struct cma *cma, struct takes *t)
{
	uint64_t v[SAMPLES];

	if (!t->n) {
		printk("bench: cma %s: no take with the region >= 90%% lent "
		       "(%u failed)\n", what, t->failed);
		return;
	}
	memcpy(v, t->us_per_mib, sizeof(v));
	for (unsigned int i = 1; i < t->n; i++)	/* sort: the median */
		for (unsigned int j = i; j && v[j - 1] > v[j]; j--) {
			uint64_t x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	printk("bench: cma %s: %llu.%03llu ms per MiB (median of %u takes of "
	       "%lu MiB, min %llu.%03llu max %llu.%03llu); %lu of %lu pages "
	       "lent, %lu of them dirty, at the first; %u failed\n", what,
	       (unsigned long long)(v[t->n / 2] / 1000),
	       (unsigned long long)(v[t->n / 2] % 1000), t->n,
	       cma->count * PAGE_SIZE >> 20,
	       (unsigned long long)(v[0] / 1000),
	       (unsigned long long)(v[0] % 1000),
	       (unsigned long long)(v[t->n - 1] / 1000),
	       (unsigned long long)(v[t->n - 1] % 1000), t->lent[0],
	       cma->count, t->dirty[0], t->failed);
}

/* Anonymous: a memhog of nearly all free memory, three passes; take
 * whenever the region is lent. */
static void bench_anon(struct cma *cma)
{
	/* All free memory but 12 MiB (no swap: more would call the OOM
	 * killer), so the region is lent nearly whole (CMA-first). */
	unsigned long mib = (nr_free_pages() * PAGE_SIZE >> 20) - 12;
	struct takes t = { 0 };
	char size[16];
	int pid;

	ksnprintf(size, sizeof(size), "%luM", mib);
	{
		const char *const argv[] = { "memhog", size, "3", NULL };

		pid = spawn(argv);
	}
	while (pid > 0 && process_wait_nohang(pid) == -EAGAIN)
		if (!take_whole(cma, &t))
			sleep_ms(5);
	report("anon", cma, &t);
}

/* Clean page cache: read a file of most of memory after dropping the
 * cache; then take. Dirty: write a file and take at once. */
static void bench_file(struct cma *cma)
{
	/* A little more than free memory: reading it fills memory, reclaim
	 * evicts its first (oldest) pages, and the last ones, which took
	 * the region (CMA-first once free memory is low), stay. */
	unsigned long mib = (nr_free_pages() * PAGE_SIZE >> 20) + 8;
	struct takes clean = { 0 }, dirty = { 0 };
	char size[16], line[96];

	ksnprintf(size, sizeof(size), "%luM", mib);
	ksnprintf(line, sizeof(line), "pattern 3 %s | dd of=/mnt/c bs=64k "
		  "status=none", size);
	{
		const char *const w[] = { "sh", "-c", line, NULL };

		run(w);
	}
	cmd("sync");
	for (int i = 0; i < 2 * SAMPLES && clean.n < SAMPLES; i++) {
		const char *const r[] = { "pattern", "-c", "3", size, "/mnt/c",
					  NULL };

		cmd("drop_caches 3");
		run(r);
		take_whole(cma, &clean);
	}
	report("clean", cma, &clean);
	/* The cache full of the clean file: a new file's dirty pages
	 * land where reclaim makes room, the region among it. The dirty
	 * limits raised so the flusher leaves them dirty for a while. */
	cmd("sysctl vm.dirty_background_ratio=50");
	cmd("sysctl vm.dirty_ratio=60");
	for (int i = 0; i < 2 * SAMPLES && dirty.n < SAMPLES; i++) {
		const char *const r[] = { "pattern", "-c", "3", size, "/mnt/c",
					  NULL };
		const char *const w[] = { "sh", "-c", "pattern 4 40M | dd "
			"of=/mnt/d bs=64k status=none", NULL };

		run(r);
		run(w);
		take_whole(cma, &dirty);
		cmd("sync");
	}
	report("dirty", cma, &dirty);
	cmd("sysctl vm.dirty_ratio=20");
	cmd("sysctl vm.dirty_background_ratio=10");
}

/* 1000 takes of 1 MiB (aligned) while a memhog and a writer run. */
static void bench_loops(struct cma *cma)
{
	unsigned long mib = totalram_pages() * PAGE_SIZE >> 20;
	unsigned int ok = 0, tries = 0;
	char size[16];
	int pids[2];
	uint64_t t0 = clock_ns();

	ksnprintf(size, sizeof(size), "%luM", mib / 2);
	{
		const char *const m[] = { "memhog", size, "5", NULL };
		const char *const w[] = { "sh", "-c", "pattern 5 48M | dd "
			"of=/mnt/l bs=64k status=none", NULL };

		pids[0] = spawn(m);
		pids[1] = spawn(w);
	}
	while (tries < 1000) {
		struct page *p = cma_alloc(cma, 256, 8);

		tries++;
		if (p) {
			ok++;
			cma_release(cma, p, 256);
		}
	}
	printk("bench: cma loops: %u of %u takes of 1 MiB succeeded (%u.%u%%) "
	       "beside a memhog and a writer, %llu ms\n", ok, tries,
	       ok * 100 / tries, ok * 1000 / tries % 10,
	       (unsigned long long)((clock_ns() - t0) / 1000000));
	for (int i = 0; i < 2; i++)
		if (pids[i] > 0)
			process_wait(pids[i]);
}

/* ------------------------------------------------ order 9 after fragmenting */

#define FRAG_VA		0x40000000UL
#define ORDER9_TRIES	16

static unsigned int order9_successes(void)
{
	struct page *got[ORDER9_TRIES];
	unsigned int n = 0;

	for (int i = 0; i < ORDER9_TRIES; i++) {
		got[n] = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN,
				     9);
		if (got[n])
			n++;
	}
	for (unsigned int i = 0; i < n; i++)
		__free_pages(got[i], 9);
	return n;
}

static void bench_order9(void)
{
	bool (*hook)(pg_data_t *, enum zone_type, unsigned int, unsigned int) =
		page_alloc_try_compaction;
	struct mm_struct *mm = mm_alloc();
	unsigned long n = nr_free_pages(), touched = 0;
	unsigned int without, with;
	unsigned long stall, moved;

	if (!mm || do_mmap(mm, FRAG_VA, n * PAGE_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0) !=
		   (long)FRAG_VA) {
		printk("bench: cma order9: no address space\n");
		if (mm)
			mmput(mm);
		return;
	}
	/* Until 4 MiB are left free: no free 2 MiB block to speak of. */
	for (unsigned long i = 0; i < n; i++, touched++) {
		uint64_t v = i;

		if (nr_free_pages() < 1024 ||
		    access_remote_vm(mm, FRAG_VA + i * PAGE_SIZE, &v, 8,
				     true) != 8)
			break;
	}
	for (unsigned long i = 1; i < touched; i += 2)
		do_madvise(mm, FRAG_VA + i * PAGE_SIZE, PAGE_SIZE,
			   MADV_DONTNEED);
	page_alloc_try_compaction = NULL;
	without = order9_successes();
	page_alloc_try_compaction = hook;
	stall = global_vm_event(COMPACTSTALL);
	moved = global_vm_event(PGMIGRATE_SUCCESS);
	with = hook ? order9_successes() : 0;
	printk("bench: cma order9: after freeing every other page of %lu "
	       "MiB: %u of %u order-9 allocations without compaction, %u of "
	       "%u with it (%lu compaction stalls, %lu pages moved)\n",
	       touched * PAGE_SIZE >> 20, without, ORDER9_TRIES, with,
	       ORDER9_TRIES, global_vm_event(COMPACTSTALL) - stall,
	       global_vm_event(PGMIGRATE_SUCCESS) - moved);
	mmput(mm);
}

void bench_cma(void)
{
	struct cma *cma = cma_default();
	char line[64];

	if (!cma) {
		printk("bench: cma: skipped (no region: boot with cma=SIZE "
		       "and an empty ext2 disk, as tools/bench-cma does)\n");
		return;
	}
	bench_order9();
	bench_anon(cma);
	ksnprintf(line, sizeof(line), "mount vda /mnt");
	if (cmd(line)) {
		printk("bench: cma: file figures skipped (no ext2 disk vda)\n");
		return;
	}
	bench_file(cma);
	bench_loops(cma);
	cmd("umount /mnt");
}
