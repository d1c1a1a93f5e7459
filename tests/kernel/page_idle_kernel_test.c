/*
 * tests/kernel/page_idle_kernel_test.c - idle page tracking against a real
 * program and a real MMU: /bin/idlehog maps 256 pages at 0x10000000,
 * writes them all, then keeps writing only the even ones. Marked idle
 * after it wrote them and read back two seconds later, exactly the odd
 * pages must be idle and the even ones accessed: the accessed bits the
 * CPU set were harvested through rmap.
 *
 * Needs the fault path to set the accessed bit of a present page (on
 * arm64 a cleared access flag faults; without that the program would
 * fault forever): the test checks that first and skips with the reason.
 */
#include "kernel/kunit.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "mm/page_idle.h"
#include "mm/pgtable.h"

#define HOG_ADDR	0x10000000UL
#define HOG_PAGES	256

static int clear_young(unsigned long va, uint64_t *entry, unsigned int level,
		       void *arg)
{
	const struct pgtable_fmt *fmt = arg;

	(void)va;
	if (level == 1 && fmt->is_present(*entry))
		*entry &= ~fmt->young_bit;
	return 0;
}

/* Does a fault on a present page whose accessed bit is clear set it? */
static bool fault_sets_young(void)
{
	struct mm_struct *mm = mm_alloc();
	const struct pgtable_fmt *fmt;
	unsigned long va = HOG_ADDR;
	uint64_t x = 1, pte = 0;
	bool young = false;

	if (!mm)
		return false;
	fmt = mm->arch.pgt.fmt;
	if (do_mmap(mm, va, PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0) == (long)va &&
	    access_remote_vm(mm, va, &x, sizeof(x), true) == sizeof(x)) {
		pgtable_walk(&mm->arch.pgt, va, PAGE_SIZE, clear_young,
			     (void *)fmt);
		handle_mm_fault(mm, va, FAULT_READ);
		pgtable_translate(&mm->arch.pgt, va, &pte, NULL);
		young = fmt->is_present(pte) && (pte & fmt->young_bit);
	}
	mmput(mm);
	return young;
}

static struct mm_struct *mm_of(int pid)
{
	struct mm_struct *mm = NULL;
	struct process *p;
	unsigned long flags;

	spin_lock_irqsave(&process_lock, flags);
	p = find_process_by_pid(pid);
	if (p && p->mm) {
		mm = p->mm;
		mmget(mm);
	}
	spin_unlock_irqrestore(&process_lock, flags);
	return mm;
}

static struct page *page_at(struct mm_struct *mm, unsigned long va)
{
	uint64_t pte = 0;
	phys_addr_t pa = pgtable_translate(&mm->arch.pgt, va, &pte, NULL);

	return mm->arch.pgt.fmt->is_present(pte) ? pfn_to_page(PHYS_PFN(pa))
						 : NULL;
}

static bool last_page_written(struct mm_struct *mm)
{
	struct page *page;
	bool written;

	mmap_read_lock(mm);
	page = page_at(mm, HOG_ADDR + (HOG_PAGES - 1) * PAGE_SIZE);
	written = page && READ_ONCE(*(volatile uint64_t *)page_address(page)) ==
			  HOG_PAGES - 1;
	mmap_read_unlock(mm);
	return written;
}

static void idlehog_odd_pages_idle(struct kunit *test)
{
	/* It would run a minute: the case measures, then kills it. */
	static const char *const argv[] = { "idlehog", "256", "60", NULL };
	static const char *const envp[] = { "PATH=/bin", NULL };
	char path[64];
	struct mm_struct *mm = NULL;
	struct idle_count c;
	unsigned long wrong_idle = 0, wrong_used = 0;
	int pid, waited;

	/* /bin/idlehog is always in the initramfs (user/Makefile). */
	KUNIT_ASSERT_EQ(test, program_find("idlehog", path, sizeof(path)), 0);
	if (!fault_sets_young())
		kunit_skip(test, "the fault path does not set the accessed bit "
			   "of a present page yet (arm64 would fault forever)");
	pid = process_spawn("/bin/idlehog", argv, envp);
	KUNIT_ASSERT_GT(test, pid, 0);
	/*
	 * Wait until it has written all its pages: the last one holds its
	 * index (it writes them in order). Not "rss >= 256": its stack and
	 * data are anonymous pages too, so that came a few pages early and
	 * the last odd pages were written after the mark (seen used).
	 */
	for (waited = 0; waited < 5000; waited += 20) {
		if (!mm)
			mm = mm_of(pid);
		if (mm && last_page_written(mm))
			break;
		sleep_ms(20);
	}
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_TRUE(test, last_page_written(mm));
	KUNIT_ASSERT_GE(test, mm->rss[MM_ANONPAGES], (long)HOG_PAGES);
	KUNIT_EXPECT_GE(test, mm_idle_mark(mm), (unsigned long)HOG_PAGES);
	sleep_ms(2000);		/* it writes the even pages from 1 s on */
	mm_idle_count(mm, &c);
	KUNIT_EXPECT_GE(test, c.anon, (unsigned long)HOG_PAGES);
	KUNIT_EXPECT_GE(test, c.anon_idle, (unsigned long)HOG_PAGES / 2);
	mmap_read_lock(mm);
	for (unsigned long i = 0; i < HOG_PAGES; i++) {
		struct page *page = page_at(mm, HOG_ADDR + i * PAGE_SIZE);

		if (!page || PageIdle(page) != (i % 2 == 1)) {
			if (i % 2)
				wrong_used++;
			else
				wrong_idle++;
		}
	}
	mmap_read_unlock(mm);
	kunit_info(test, "anon %lu pages, %lu idle; file %lu, %lu idle",
		   c.anon, c.anon_idle, c.file, c.file_idle);
	KUNIT_EXPECT_EQ(test, wrong_idle, 0UL);	/* even pages seen idle */
	KUNIT_EXPECT_EQ(test, wrong_used, 0UL);	/* odd pages seen used */
	mmput(mm);
	KUNIT_EXPECT_EQ(test, kill_pid(pid, SIGKILL), 0);
	KUNIT_EXPECT_EQ(test, process_wait(pid), SIGKILL);
}

static struct kunit_case page_idle_kernel_cases[] = {
	KUNIT_CASE_SLOW(idlehog_odd_pages_idle),
	{}
};

static struct kunit_suite page_idle_kernel_suite = {
	.name = "page_idle_kernel",
	.test_cases = page_idle_kernel_cases,
};
kunit_test_suite(page_idle_kernel_suite);
