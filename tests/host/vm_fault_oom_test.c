/*
 * tests/host/vm_fault_oom_test.c - the two places where the address
 * space meets the rest of the kernel through global state, so host only
 * (in the kernel, the test thread's mm and the OOM iterator belong to
 * the process layer): do_page_fault()'s routing of user and uaccess
 * faults to current's mm, and the OOM victim choice with its report.
 */
#include "tests/host/host.h"
#include "tests/suites/test_arena.h"
#include "kernel/printk.h"
#include "kernel/thread.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"
#include "mm/oom_kill.h"
#include <arch/thread.h>

static struct test_arena arena;
static struct kmalloc_set ks;

static int fo_init(struct kunit *test)
{
	if (!test_arena_make(test, &arena, 0))
		return -1;
	return kmalloc_set_init(&ks, &arena.pgdat, "tfo", 0);
}

static void fo_exit(struct kunit *test)
{
	kmalloc_set_destroy(&ks);
	test_arena_done(test, &arena);
}

#define A	0x40000000UL

/* User faults and uaccess faults on user addresses go to current->mm;
 * the answer is 0, -EFAULT (SIGSEGV) or the kernel's -EFAULT. */
static void page_fault_routing(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc_node(&arena.pgdat, &ks);
	struct page_fault pf = { .addr = A + 8, .access = FAULT_WRITE,
				 .type = FAULT_NOT_PRESENT, .user = true };
	struct mm_struct *saved = arch_current()->mm;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, do_mmap(mm, A, PAGE_SIZE, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0), (long)A);
	KUNIT_EXPECT_EQ(test, do_page_fault(&pf), -EFAULT);	/* no mm */
	arch_current()->mm = mm;
	KUNIT_EXPECT_EQ(test, do_page_fault(&pf), 0);
	KUNIT_EXPECT_EQ(test, mm->rss[MM_ANONPAGES], 1L);
	pf.access = FAULT_EXEC;					/* not executable */
	KUNIT_EXPECT_EQ(test, do_page_fault(&pf), -EFAULT);
	pf.access = FAULT_READ;
	pf.addr = 0;						/* page 0 */
	KUNIT_EXPECT_EQ(test, do_page_fault(&pf), -EFAULT);
	pf.addr = TASK_SIZE + PAGE_SIZE;			/* a kernel address */
	KUNIT_EXPECT_EQ(test, do_page_fault(&pf), -EFAULT);
	pf.user = false;
	pf.uaccess = true;
	KUNIT_EXPECT_EQ(test, do_page_fault(&pf), -EFAULT);
	pf.addr = A + 16;					/* copy_from_user */
	KUNIT_EXPECT_EQ(test, do_page_fault(&pf), 0);
	pf.uaccess = false;					/* a kernel bug */
	KUNIT_EXPECT_EQ(test, do_page_fault(&pf), -EFAULT);
	KUNIT_EXPECT_GE(test, mm->pgfault, 5UL);
	arch_current()->mm = saved;
	mmput(mm);
}

static struct oom_candidate cands[3];

static void each(oom_visit_fn visit, void *arg)
{
	for (int i = 0; i < 3; i++)
		visit(&cands[i], arg);
}

/* The candidate with the most resident pages is chosen (not an
 * unkillable one), and the report is Linux's line. */
static void oom_victim_and_report(struct kunit *test)
{
	struct mm_struct *mm[3];
	struct oom_candidate v;
	static char log[512];
	static const char *const names[3] = { "init", "small", "memhog" };

	oom_set_candidates(NULL);
	KUNIT_EXPECT_FALSE(test, select_bad_process(&v));
	for (int i = 0; i < 3; i++) {
		mm[i] = mm_alloc_node(&arena.pgdat, &ks);
		KUNIT_ASSERT_NOT_NULL(test, mm[i]);
		/* init: 40 pages, small: 3, memhog: 20 */
		unsigned long n = i == 0 ? 40 : i == 1 ? 3 : 20;

		KUNIT_ASSERT_EQ(test, do_mmap(mm[i], A, n * PAGE_SIZE,
					      PROT_READ | PROT_WRITE,
					      MAP_PRIVATE | MAP_ANONYMOUS |
					      MAP_FIXED | MAP_POPULATE, 0), (long)A);
		cands[i] = (struct oom_candidate){ mm[i], i + 1, names[i], i == 0, NULL };
	}
	KUNIT_EXPECT_GT(test, oom_badness(mm[2]), oom_badness(mm[1]));
	KUNIT_EXPECT_GE(test, oom_badness(mm[2]), 20L);
	oom_set_candidates(each);
	KUNIT_ASSERT_TRUE(test, select_bad_process(&v));
	KUNIT_EXPECT_EQ(test, v.pid, 3);
	printk_capture_start(log, sizeof(log));
	oom_kill_report(&v);
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, log, "Out of memory: Killed process 3 (memhog) "
				  "total-vm:80kB, anon-rss:80kB, file-rss:0kB, shmem-rss:0kB");
	oom_set_candidates(NULL);
	for (int i = 0; i < 3; i++)
		mmput(mm[i]);
}

static struct kunit_case fo_cases[] = {
	KUNIT_CASE(page_fault_routing),
	KUNIT_CASE(oom_victim_and_report),
	{}
};

static struct kunit_suite fo_suite = {
	.name = "vm_fault_oom",
	.init = fo_init,
	.exit = fo_exit,
	.test_cases = fo_cases,
};
kunit_test_suite(fo_suite);
