/*
 * tests/kernel/swap_user_test.c - swap end to end (issue 16): user
 * programs whose anonymous memory outgrows RAM on a machine with a swap
 * disk the host made with util-linux's mkswap (tools/e2e.sh, swap_setup;
 * docs/testing.md). memhog (user/bin/memhog.c) writes a pattern over its
 * memory, reads it all back and counts the words that differ; it must
 * report 0 mismatches while the kernel swaps.
 *
 * The harness promises (kunit.expect=, so a missing disk fails, not
 * skips):
 *   swap.dev:vda     the swap area, on at boot (swap=vda)
 *   swap.hogs:N      memhogs to run at once (1 on -smp 2, 4 on -smp 4)
 *   swap.size:192M   memory all of them touch together (1.5x RAM)
 * Without swap.dev the suite skips: other configurations run it too.
 */
#include "kernel/console.h"
#include "kernel/kunit.h"
#include "tests/kernel/e2e_user.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/mmzone.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

#define MAX_HOGS	4

static uint64_t mib(struct kunit *test, const char *s)
{
	uint64_t v;
	size_t n = strlen(s);
	char buf[24];

	strlcpy(buf, s, sizeof(buf));
	if (n && buf[n - 1] == 'M')
		buf[n - 1] = '\0';
	if (!parse_u64(buf, &v, false))
		KUNIT_FAIL(test, "swap.size:%s is not a size in MiB", s);
	return v;
}

/* The decimal number at s (0 if none). */
static uint64_t number_at(const char *s)
{
	uint64_t v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

/*
 * memhog -v's swap lines in out: how many, the largest "KiB after the
 * write pass" and the largest "KiB before" (the swap in use as sysinfo(2)
 * told the program, so a sysinfo that leaves the swap fields 0 fails).
 */
static unsigned int swap_lines(uint64_t *max_after_write, uint64_t *max_before)
{
	const char *key = "memhog: swap in use: ";
	unsigned int n = 0;

	*max_after_write = *max_before = 0;
	for (const char *p = out; (p = strstr(p, key)); n++) {
		const char *w;

		p += strlen(key);
		*max_before = max(*max_before, number_at(p));
		w = strstr(p, " KiB before, ");
		if (w)
			*max_after_write = max(*max_after_write,
					       number_at(w + strlen(" KiB before, ")));
	}
	return n;
}

/* The area is on, as the console says (swaps: Linux's /proc/swaps). */
static void swap_area_is_on(struct kunit *test)
{
	const char *dev = promised(test, "swap.dev");
	unsigned long total, free;
	char want[48];

	capture(test);
	KUNIT_EXPECT_EQ(test, console("swaps"), 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	ksnprintf(want, sizeof(want), "/dev/%s", dev);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "Filename");
	KUNIT_EXPECT_STR_CONTAINS(test, out, want);
	si_swapinfo(&total, &free);
	KUNIT_EXPECT_GT(test, total, 0UL);
	/* Free, or (the cma suites ran first on the -smp 4 machines) held
	 * only by pages the swap cache still has. */
	KUNIT_EXPECT_LE(test, total - free,
			node_page_state_snapshot(&contig_page_data,
						 NR_SWAPCACHE));
}

/*
 * memhog over 1.5x RAM (swap.hogs of them, each its share): every one
 * says 0 mismatches and exits 0; pages went out and came back (pswpout,
 * pswpin); at the end every slot is free again. Each runs with -v, so
 * sysinfo(2) is checked too: swap was in use after some write pass (a
 * lone memhog finds none in use before it starts), never more than the
 * area holds.
 */
static void memhogs_outgrow_ram_and_verify(struct kunit *test)
{
	const char *hogs_s = promised(test, "swap.hogs");
	uint64_t total_mib = mib(test, promised(test, "swap.size")), nhogs;
	unsigned long out0, in0;
	unsigned long total, free;
	uint64_t after_write, before;
	int pids[MAX_HOGS];
	char size[16];

	KUNIT_ASSERT_TRUE(test, parse_u64(hogs_s, &nhogs, false));
	KUNIT_ASSERT_TRUE(test, nhogs >= 1 && nhogs <= MAX_HOGS);
	/* The promise the case rests on: more than RAM in all. */
	KUNIT_ASSERT_GT(test, total_mib << 20,
			(uint64_t)totalram_pages() * PAGE_SIZE);
	ksnprintf(size, sizeof(size), "%lluM",
		  (unsigned long long)(total_mib / nhogs));
	/*
	 * The hogs outgrow RAM only while they hold their memory at the same
	 * time. Several start one after another (each a process start-up
	 * under TCG), and one that ran alone can be done and gone before the
	 * last is under way: seen once in a whole make test, pswpout 148 and
	 * pswpin 0. Such a run says nothing about swap, so it runs again, at
	 * most twice more; with swap-in broken every run shows none and the
	 * checks below fail.
	 */
	for (int run = 1;; run++) {
		out0 = global_vm_event(PSWPOUT);
		in0 = global_vm_event(PSWPIN);
		capture(test);
		for (uint64_t i = 0; i < nhogs; i++) {
			const char *const argv[] = { "memhog", "-v", size, NULL };

			pids[i] = start(test, argv);
		}
		for (uint64_t i = 0; i < nhogs; i++)
			KUNIT_EXPECT_EQ(test, process_wait(pids[i]), EXITED(0));
		if (global_vm_event(PSWPIN) != in0 || nhogs == 1 || run == 3)
			break;
		KUNIT_EXPECT_EQ(test, kunit_capture_stop(test, DIAG_WARN), 0UL);
		kunit_info(test, "run %d: the hogs never held more than RAM at once (pswpout %lu, pswpin 0); again",
			   run, global_vm_event(PSWPOUT) - out0);
	}
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_EQ(test, count_lines(" 0 mismatches"), (unsigned int)nhogs);
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "Out of memory");
	KUNIT_EXPECT_GT(test, global_vm_event(PSWPOUT) - out0, 0UL);
	KUNIT_EXPECT_GT(test, global_vm_event(PSWPIN) - in0, 0UL);
	si_swapinfo(&total, &free);
	KUNIT_EXPECT_EQ(test, swap_lines(&after_write, &before), (unsigned int)nhogs);
	KUNIT_EXPECT_GT(test, after_write, 0ULL);
	KUNIT_EXPECT_LE(test, after_write, (uint64_t)total * (PAGE_SIZE / 1024));
	if (nhogs == 1)
		KUNIT_EXPECT_EQ(test, before, 0ULL);
	kunit_info(test, "%llu x memhog -v %s: pswpout %lu pswpin %lu, sysinfo: up to %llu KiB of swap in use after a write pass",
		   (unsigned long long)nhogs, size,
		   global_vm_event(PSWPOUT) - out0,
		   global_vm_event(PSWPIN) - in0,
		   (unsigned long long)after_write);
	/* Every slot is free again, or held only by a page the swap cache
	 * still has (one that was being written when its process exited:
	 * reclaim frees it later, as Linux's SwapCached); none leaked. */
	si_swapinfo(&total, &free);
	KUNIT_EXPECT_LE(test, total - free,
			node_page_state_snapshot(&contig_page_data,
						 NR_SWAPCACHE));
}

/*
 * fork beside a memhog that outgrows RAM: forktest's children share, copy
 * and exit while the memhog fills memory and starts to swap (after it
 * swaps: forktest_after_memory_is_full).
 */
static void forktest_under_swap_pressure(struct kunit *test)
{
	uint64_t total_mib = mib(test, promised(test, "swap.size"));
	const char *const fork_argv[] = { "forktest", NULL };
	char size[16];
	int hog, fk;

	ksnprintf(size, sizeof(size), "%lluM",
		  (unsigned long long)(total_mib * 3 / 4));
	{
		const char *const argv[] = { "memhog", size, NULL };

		capture(test);
		hog = start(test, argv);
	}
	fk = start(test, fork_argv);
	KUNIT_EXPECT_EQ(test, process_wait(fk), EXITED(0));
	KUNIT_EXPECT_EQ(test, process_wait(hog), EXITED(0));
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_EQ(test, count_lines(" 0 mismatches"), 1U);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "every copy private, all exited 0");
}

/*
 * fork *after* memory is full: a memhog of 1.5x RAM writes its pages
 * (swap in use past a quarter of RAM: memory is full), then forktest
 * forks, and every child runs. In session 14 this failed in one run of
 * three: fork's order-4 slab pages could not be had and the allocation
 * retried reclaim for minutes (docs/mm/swap.md). Direct compaction
 * (issue 17) now makes such blocks by moving pages; the case passed
 * without it too in two runs, so it stays to catch the old failure.
 */
static void forktest_after_memory_is_full(struct kunit *test)
{
	uint64_t total_mib = mib(test, promised(test, "swap.size"));
	const char *const fork_argv[] = { "forktest", NULL };
	unsigned long total, free, quarter = totalram_pages() / 4;
	char size[16];
	int hog, fk;
	uint64_t t0;

	ksnprintf(size, sizeof(size), "%lluM", (unsigned long long)total_mib);
	{
		const char *const argv[] = { "memhog", size, NULL };

		capture(test);
		hog = start(test, argv);
	}
	t0 = clock_ns();
	do {
		sleep_ms(20);
		si_swapinfo(&total, &free);
	} while (total - free < quarter && clock_ns() - t0 < 60000000000ULL);
	KUNIT_EXPECT_GE(test, total - free, quarter);
	fk = start(test, fork_argv);
	KUNIT_EXPECT_EQ(test, process_wait(fk), EXITED(0));
	KUNIT_EXPECT_EQ(test, process_wait(hog), EXITED(0));
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_EQ(test, count_lines(" 0 mismatches"), 1U);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "every copy private, all exited 0");
	kunit_info(test, "forktest started with %lu KiB of swap in use",
		   (total - free) * (PAGE_SIZE / 1024));
}

/*
 * Shared anonymous memory outgrows RAM too (mm/shared_anon.h): memhog -s
 * maps 1.5x RAM with MAP_SHARED|MAP_ANONYMOUS, writes it, a fork child
 * checks every word and writes its own pattern, the parent checks the
 * child's. Both say 0 mismatches; the pages went to swap and came back
 * (pswpout at least the part beyond RAM, pswpin), Shmem counted them
 * while they were in memory (sampled); at the end no slot is held but by
 * the swap cache.
 */
static void shared_memory_outgrows_ram_and_verifies(struct kunit *test)
{
	uint64_t total_mib = mib(test, promised(test, "swap.size"));
	unsigned long out0 = global_vm_event(PSWPOUT);
	unsigned long in0 = global_vm_event(PSWPIN);
	unsigned long total, free, shmem, max_shmem = 0;
	char size[16];
	const char *const argv[] = { "memhog", "-s", size, NULL };
	int pid, st;

	ksnprintf(size, sizeof(size), "%lluM", (unsigned long long)total_mib);
	capture(test);
	pid = start(test, argv);
	while ((st = process_wait_nohang(pid)) == -EAGAIN) {
		shmem = node_page_state_snapshot(&contig_page_data, NR_SHMEM);
		if (shmem > max_shmem)
			max_shmem = shmem;
		sleep_ms(50);
	}
	KUNIT_EXPECT_EQ(test, st, EXITED(0));
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "memhog: shared: child verified and rewrote");
	/* The child's line and the pass line. */
	KUNIT_EXPECT_EQ(test, count_lines(" 0 mismatches"), 2U);
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "Out of memory");
	KUNIT_EXPECT_GT(test, global_vm_event(PSWPOUT) - out0, 0UL);
	KUNIT_EXPECT_GT(test, global_vm_event(PSWPIN) - in0, 0UL);
	/* Counted as Shmem while in memory; and what could not fit went
	 * out: at least the part beyond RAM (the write pass alone). */
	KUNIT_EXPECT_GT(test, max_shmem, 0UL);
	KUNIT_EXPECT_GE(test, global_vm_event(PSWPOUT) - out0,
			(unsigned long)(total_mib << (20 - PAGE_SHIFT)) -
			totalram_pages());
	si_swapinfo(&total, &free);
	KUNIT_EXPECT_LE(test, total - free,
			node_page_state_snapshot(&contig_page_data,
						 NR_SWAPCACHE));
	kunit_info(test, "memhog -s %s: pswpout %lu pswpin %lu, Shmem up to %lu KiB",
		   size, global_vm_event(PSWPOUT) - out0,
		   global_vm_event(PSWPIN) - in0,
		   max_shmem * (PAGE_SIZE / 1024));
}

/*
 * swapoff while a memhog is swapping: either every page comes back
 * (swapoff succeeds and the memhog goes on in memory) or memory is too
 * short and swapoff says so, leaving the area on; either way the memhog
 * verifies 0 mismatches. swapon again after a successful one.
 */
static void swapoff_under_load(struct kunit *test)
{
	const char *dev = promised(test, "swap.dev");
	uint64_t total_mib = mib(test, promised(test, "swap.size"));
	unsigned long out0 = global_vm_event(PSWPOUT), total, free;
	char size[16], line[32];
	int hog, r;

	/* As much as RAM: it swaps while it runs, and most of it could
	 * come back. */
	ksnprintf(size, sizeof(size), "%lluM",
		  (unsigned long long)(total_mib * 2 / 3));
	{
		const char *const argv[] = { "memhog", size, NULL };

		capture(test);
		hog = start(test, argv);
	}
	KUNIT_EXPECT_TRUE(test, wait_pswpout(out0, 1000));
	ksnprintf(line, sizeof(line), "swapoff %s", dev);
	r = console(line);
	si_swapinfo(&total, &free);
	if (r == 0) {
		KUNIT_EXPECT_EQ(test, total, 0UL);	/* it is gone */
		ksnprintf(line, sizeof(line), "swapon %s", dev);
		KUNIT_EXPECT_EQ(test, console(line), 0);
	} else {
		KUNIT_EXPECT_STR_CONTAINS(test, out, "it stays on");
		KUNIT_EXPECT_GT(test, total, 0UL);
	}
	KUNIT_EXPECT_EQ(test, process_wait(hog), EXITED(0));
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_EQ(test, count_lines(" 0 mismatches"), 1U);
	si_swapinfo(&total, &free);
	KUNIT_EXPECT_GT(test, total, 0UL);
	kunit_info(test, "swapoff under load: %s", r ? "refused (memory short)"
						     : "every page came back");
}

static struct kunit_case swap_user_cases[] = {
	KUNIT_CASE(swap_area_is_on),
	KUNIT_CASE(memhogs_outgrow_ram_and_verify),
	KUNIT_CASE(forktest_under_swap_pressure),
	KUNIT_CASE(forktest_after_memory_is_full),
	/* Slow (a 1.5x RAM memhog and its child): run by the -smp 2 swap
	 * machines, filtered on the -smp 4 ones (tools/run-tests). */
	KUNIT_CASE_SLOW(shared_memory_outgrows_ram_and_verifies),
	KUNIT_CASE(swapoff_under_load),
	{}
};

static struct kunit_suite swap_user_suite = {
	.name = "swap_user",
	.test_cases = swap_user_cases,
};
kunit_test_suite(swap_user_suite);
