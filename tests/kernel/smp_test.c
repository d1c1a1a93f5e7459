/*
 * tests/kernel/smp_test.c - more than one CPU: every CPU is online and
 * knows its number, cross-CPU calls reach each CPU, a reschedule IPI
 * wakes an idle CPU, and a TLB shootdown is observed on a remote CPU
 * (it reads the new mapping and counted a flush). With one CPU the
 * remote cases are skipped.
 */
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/percpu.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "mm/page_alloc.h"
#include "mm/arch_mm.h"
#include <arch/machine.h>
#include <arch/mmu.h>
#include <arch/page.h>

static void cpus_online_have_distinct_ids(struct kunit *test)
{
	unsigned long seen = 0;

	KUNIT_EXPECT_GE(test, num_online_cpus(), 1u);
	KUNIT_EXPECT_TRUE(test, cpu_online_mask & 1);
	for_each_online_cpu(cpu)
		seen |= 1UL << arch_cpu_hwid(cpu) % 64;
	KUNIT_EXPECT_EQ(test, (unsigned int)__builtin_popcountl(seen), num_online_cpus());
}

/*
 * Every CPU the machine has came up. The harness says how many it gave
 * QEMU (expect_cpus=N, from -smp N); without that promise there is
 * nothing to compare with, so the case skips (and the harness, which
 * always makes the promise, fails a skip here).
 */
static void expected_cpus_online(struct kunit *test)
{
	unsigned int want = smp_expected_cpus();

	if (!want)
		kunit_skip(test, "no expect_cpus=N on the command line");
	if (num_online_cpus() != want)
		KUNIT_FAIL(test, "expect_cpus=%u, but %u CPU(s) are online (mask %#lx): "
			   "secondary CPUs did not start (see the smp: lines at boot)",
			   want, num_online_cpus(), cpu_online_mask);
}

/*
 * arch_cpu_virtualized() knows the machine: the harness says whether its
 * CPUs are host threads (kunit.expect=cpu.virtualized:1 for QEMU's q35 and
 * virt, 0 for the raspi3b model, which poses as hardware). It decides how
 * spinlocks wait: test-and-set in a virtual machine, tickets on hardware
 * (kernel/spinlock.h), unless spinlock= said otherwise.
 */
static void cpu_virtualized_is_known(struct kunit *test)
{
	uint64_t want;

	if (!kunit_expectation_u64("cpu.virtualized", &want))
		kunit_skip(test, "no kunit.expect=cpu.virtualized:0|1: the machine is not known");
	KUNIT_EXPECT_EQ(test, (uint64_t)arch_cpu_virtualized(), want);
	kunit_info(test, "virtualized: %d; spinlocks wait by %s",
		   arch_cpu_virtualized(), spin_lock_virt ? "test-and-set" : "ticket");
}

static DEFINE_PER_CPU(unsigned int, hits);
static DEFINE_PER_CPU(unsigned int, hit_cpu);

static void count_hit(void *arg)
{
	(void)arg;
	(*this_cpu_ptr(hits))++;
	*this_cpu_ptr(hit_cpu) = arch_cpu_id();
}

static void call_function_reaches_every_cpu(struct kunit *test)
{
	for (unsigned int c = 0; c < NR_CPUS; c++)
		*per_cpu_ptr(hits, c) = 0;
	on_each_cpu(count_hit, NULL);
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		bool online = cpu_online_mask & (1UL << c);

		KUNIT_EXPECT_EQ(test, *per_cpu_ptr(hits, c), online ? 1u : 0u);
		if (online)
			KUNIT_EXPECT_EQ(test, *per_cpu_ptr(hit_cpu, c), c);
	}
	for_each_online_cpu(cpu) {
		KUNIT_EXPECT_EQ(test, smp_call_function_single(cpu, count_hit, NULL), 0);
		KUNIT_EXPECT_EQ(test, *per_cpu_ptr(hits, cpu), 2u);
	}
	KUNIT_EXPECT_EQ(test, smp_call_function_single(NR_CPUS, count_hit, NULL), -1);
}

static int ran_on;

static int note_cpu(void *arg)
{
	(void)arg;
	ran_on = (int)arch_cpu_id();
	return 0;
}

static void reschedule_ipi_wakes_an_idle_cpu(struct kunit *test)
{
	unsigned int target = num_online_cpus() - 1;
	struct thread *t;

	uint64_t before;

	if (target == 0)
		kunit_skip(test, "one CPU");
	/* The target must be idle when woken; it may be busy with something
	 * else at first, so try a few times. */
	for (int i = 0; i < 10; i++) {
		/* Only a wake-up of a CPU running nothing needs the IPI: wait
		 * (up to 1 s; a loaded host can starve a virtual CPU) until the
		 * target's last thread, e.g. the previous try's, is gone. */
		for (int w = 0; w < 100 && sched_nr_running(target) != 0; w++)
			sleep_ms(10);
		sleep_ms(10);
		before = smp_ipi_count(target, IPI_RESCHEDULE);
		ran_on = -1;
		t = kthread_create(note_cpu, NULL, "ipi-target");
		KUNIT_ASSERT_NOT_NULL(test, t);
		kthread_bind(t, target);
		wake_up_process(t);
		kthread_stop(t);
		KUNIT_EXPECT_EQ(test, ran_on, (int)target);
		if (smp_ipi_count(target, IPI_RESCHEDULE) > before)
			break;
	}
	KUNIT_EXPECT_GT(test, smp_ipi_count(target, IPI_RESCHEDULE), before);
}

/* ---------------------------------------------------------------- TLB */

#define TEST_VA	(VMALLOC_END + 1 - (1UL << 30))	/* far from vmalloc's start */

static volatile uint64_t remote_read;

static void read_test_va(void *arg)
{
	(void)arg;
	remote_read = *(volatile uint64_t *)TEST_VA;
}

static void tlb_shootdown_seen_on_remote_cpu(struct kunit *test)
{
	unsigned int remote = num_online_cpus() - 1;
	struct page *a, *b;

	if (remote == 0)
		kunit_skip(test, "one CPU");
	a = alloc_page(GFP_KERNEL);
	b = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	*(uint64_t *)page_address(a) = 0xaaaa;
	*(uint64_t *)page_address(b) = 0xbbbb;

	KUNIT_ASSERT_EQ(test, arch_map_kernel_range(TEST_VA, PFN_PHYS(page_to_pfn(a)),
						    PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	smp_call_function_single(remote, read_test_va, NULL);	/* caches A */
	KUNIT_EXPECT_EQ(test, remote_read, 0xaaaaULL);

	/* Point the page at B. Only this CPU's TLB knows so far. */
	arch_unmap_kernel_range(TEST_VA, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, arch_map_kernel_range(TEST_VA, PFN_PHYS(page_to_pfn(b)),
						    PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	uint64_t flushes = smp_tlb_flush_count(remote);

	flush_tlb_kernel_range(TEST_VA, TEST_VA + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, smp_tlb_flush_count(remote), flushes + 1);
	smp_call_function_single(remote, read_test_va, NULL);
	KUNIT_EXPECT_EQ(test, remote_read, 0xbbbbULL);

	arch_unmap_kernel_range(TEST_VA, PAGE_SIZE);
	flush_tlb_kernel_range(TEST_VA, TEST_VA + PAGE_SIZE);
	__free_page(a);
	__free_page(b);
}

static struct kunit_case smp_cases[] = {
	KUNIT_CASE(cpus_online_have_distinct_ids),
	KUNIT_CASE(expected_cpus_online),
	KUNIT_CASE(cpu_virtualized_is_known),
	KUNIT_CASE(call_function_reaches_every_cpu),
	KUNIT_CASE(reschedule_ipi_wakes_an_idle_cpu),
	KUNIT_CASE(tlb_shootdown_seen_on_remote_cpu),
	{}
};

static struct kunit_suite smp_suite = {
	.name = "smp",
	.test_cases = smp_cases,
};
kunit_test_suite(smp_suite);
