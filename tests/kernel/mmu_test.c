/*
 * tests/kernel/mmu_test.c - user address spaces through the arch MMU
 * contract (arch/mmu.h), on the real page tables and TLB of both
 * architectures. Nothing runs in user mode yet, so the kernel reads and
 * writes through the user half itself (no SMAP or PAN yet): two address
 * spaces map different pages at one VA and each sees its own; a
 * protection change, an unmap and a non-present payload each give the
 * fault the contract promises, decoded the same way on both arches
 * (mm/fault.h); destroying an address space gives back every table page;
 * and the kernel-side fault report says what the kernel table holds.
 *
 * The TLB: QEMU's TCG keeps a translation in each CPU's software TLB until
 * something flushes it, so a missing flush shows when a CPU reads, stays
 * loaded, and reads again after a remap (the two remap cases; removing
 * the unmap's flush fails both). That is not a promise TCG makes (an
 * entry may be evicted first), so these cases can miss a bug but never
 * fail a correct kernel; a switch in between flushes anyway, and which
 * switch must flush is the ASID/PCID allocator's business, tested
 * directly in tests/suites/asid_test.c. Kernel only.
 */
#include "kernel/fault.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "mm/arch_mm.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/mmu.h>

#define UVA	0x400000UL			/* 4 MiB: a user address */
#define UVA_FAR	(1UL << 40)			/* another top-level entry */
#define KVA	(VMALLOC_END + 1 - (2UL << 30))	/* far from vmalloc's areas */
/* The pages these tests map in user address spaces are read and written
 * by the kernel itself, which PAN (arm64) and SMAP (x86_64) forbid for
 * pages user mode may use: so no PROT_USER. */
#define RW_KERNEL	(PROT_READ | PROT_WRITE)

static char report[8192];

static bool report_has(const char *needle)
{
	size_t n = strlen(needle);

	for (const char *p = report; *p; p++)
		if (!strncmp(p, needle, n))
			return true;
	return false;
}

#define EXPECT_REPORT_HAS(test, s) do { \
	if (!report_has(s)) \
		KUNIT_FAIL(test, "the crash report does not mention \"%s\"", s); \
} while (0)

static phys_addr_t page_phys(struct page *p)
{
	return PFN_PHYS(page_to_pfn(p));
}

/* A zeroed page whose first word is value (NULL if none is free). */
static struct page *page_with(uint64_t value)
{
	struct page *p = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (p)
		*(uint64_t *)page_address(p) = value;
	return p;
}

struct load {
	unsigned long va;
	uint64_t value;
};

static void do_load(void *arg)
{
	struct load *l = arg;

	l->value = *(volatile uint64_t *)l->va;
}

#define FAULTED	0xfa017ed0fa017ed0ULL

/* Load mm, read the first word at va (FAULTED if that faults), unload. */
static uint64_t read_in(struct arch_mm *mm, unsigned long va)
{
	unsigned long flags = arch_irq_save();
	struct load l = { va, 0 };
	struct fault_info fi;

	arch_switch_mm(mm);
	arch_user_access_begin();	/* SMAP/PAN: reading a user page */
	if (run_catching_faults(do_load, &l, &fi))
		l.value = FAULTED;
	arch_user_access_end();
	arch_switch_mm(NULL);
	arch_irq_restore(flags);
	return l.value;
}

static void do_read(void *arg)
{
	(void)READ_ONCE(*(volatile uint64_t *)arg);
}

static void do_write(void *arg)
{
	*(volatile uint64_t *)arg = 0x5a5a;
}

/* Run fn(va) with mm loaded, capturing the report; true if it faulted. */
static bool faults_in(struct arch_mm *mm, void (*fn)(void *), unsigned long va,
		      struct fault_info *fi)
{
	unsigned long flags = arch_irq_save();
	bool caught;

	memset(report, 0, sizeof(report));
	arch_switch_mm(mm);
	printk_capture_start(report, sizeof(report));
	arch_user_access_begin();
	caught = run_catching_faults(fn, (void *)va, fi);
	arch_user_access_end();
	printk_capture_stop();
	arch_switch_mm(NULL);
	arch_irq_restore(flags);
	return caught;
}

static void two_spaces_see_their_own_page(struct kunit *test)
{
	struct page *pa = page_with(0xaaaa), *pb = page_with(0xbbbb);
	struct fault_info fi = { 0 };
	struct arch_mm a, b;
	KUNIT_ASSERT_NOT_NULL(test, pa);
	KUNIT_ASSERT_NOT_NULL(test, pb);

	KUNIT_ASSERT_EQ(test, arch_mm_create(&a), 0);
	KUNIT_ASSERT_EQ(test, arch_mm_create(&b), 0);
	KUNIT_ASSERT_EQ(test, arch_mm_map(&a, UVA, page_phys(pa), PAGE_SIZE, RW_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, arch_mm_map(&b, UVA, page_phys(pb), PAGE_SIZE, RW_KERNEL), 0);

	KUNIT_EXPECT_EQ(test, read_in(&a, UVA), 0xaaaaULL);
	KUNIT_EXPECT_EQ(test, read_in(&b, UVA), 0xbbbbULL);
	KUNIT_EXPECT_EQ(test, read_in(&a, UVA), 0xaaaaULL);
	/* Each has its own ASID/PCID, kept across switches. */
	KUNIT_EXPECT_NE(test, a.asid, 0ULL);
	KUNIT_EXPECT_NE(test, b.asid, 0ULL);
	KUNIT_EXPECT_NE(test, a.asid, b.asid);

	/* A write through one is seen through the direct map, not the other. */
	KUNIT_EXPECT_FALSE(test, faults_in(&b, do_write, UVA, &fi));
	KUNIT_EXPECT_EQ(test, *(uint64_t *)page_address(pb), 0x5a5aULL);
	KUNIT_EXPECT_EQ(test, read_in(&a, UVA), 0xaaaaULL);

	arch_mm_destroy(&a);
	arch_mm_destroy(&b);
	__free_page(pa);
	__free_page(pb);
}

static void read_only_page_gives_a_permission_fault(struct kunit *test)
{
	struct page *p = page_with(0x1234);
	struct fault_info fi = { 0 };
	struct arch_mm mm;
	KUNIT_ASSERT_NOT_NULL(test, p);

	KUNIT_ASSERT_EQ(test, arch_mm_create(&mm), 0);
	KUNIT_ASSERT_EQ(test, arch_mm_map(&mm, UVA, page_phys(p), PAGE_SIZE, RW_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, faults_in(&mm, do_write, UVA + 8, &fi));
	KUNIT_EXPECT_EQ(test, ((uint64_t *)page_address(p))[1], 0x5a5aULL);

	KUNIT_EXPECT_EQ(test, arch_mm_protect(&mm, UVA, PAGE_SIZE, PROT_READ),
			(long)PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, faults_in(&mm, do_write, UVA + 16, &fi));
	KUNIT_EXPECT_EQ(test, fi.addr, UVA + 16);
	EXPECT_REPORT_HAS(test, "page fault: write to a read-only page, kernel mode");
	KUNIT_EXPECT_EQ(test, ((uint64_t *)page_address(p))[2], 0ULL);
	/* Reading is still allowed. */
	KUNIT_EXPECT_FALSE(test, faults_in(&mm, do_read, UVA, &fi));
	KUNIT_EXPECT_EQ(test, read_in(&mm, UVA), 0x1234ULL);

	arch_mm_destroy(&mm);
	__free_page(p);
}

static void unmapped_page_gives_a_not_present_fault(struct kunit *test)
{
	struct page *p = page_with(0x4321);
	struct fault_info fi = { 0 };
	struct arch_mm mm;
	KUNIT_ASSERT_NOT_NULL(test, p);

	KUNIT_ASSERT_EQ(test, arch_mm_create(&mm), 0);
	KUNIT_ASSERT_EQ(test, arch_mm_map(&mm, UVA, page_phys(p), PAGE_SIZE, RW_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, read_in(&mm, UVA), 0x4321ULL);
	KUNIT_EXPECT_EQ(test, arch_mm_unmap(&mm, UVA, PAGE_SIZE), (size_t)PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, faults_in(&mm, do_read, UVA, &fi));
	KUNIT_EXPECT_EQ(test, fi.addr, UVA);
	EXPECT_REPORT_HAS(test, "page fault: read of a not-present page, kernel mode");
	/* The whole user half is empty in the kernel-only context. */
	KUNIT_EXPECT_TRUE(test, faults_in(NULL, do_read, UVA, &fi));
	EXPECT_REPORT_HAS(test, "page fault: read of a not-present page");

	arch_mm_destroy(&mm);
	__free_page(p);
}

struct payload_seen {
	unsigned long va;
	uint64_t entry;
	unsigned int level, count;
};

static int note_entry(unsigned long va, uint64_t *entry, unsigned int level,
		      void *arg)
{
	struct payload_seen *s = arg;

	s->va = va;
	s->entry = *entry;
	s->level = level;
	s->count++;
	return 0;
}

static void nonpresent_payload_reads_back_and_faults(struct kunit *test)
{
	struct page *p = page_with(1);
	const struct pgtable_fmt *fmt;
	struct payload_seen seen = { 0 };
	struct fault_info fi = { 0 };
	uint64_t payload, widest;
	struct arch_mm mm;
	KUNIT_ASSERT_NOT_NULL(test, p);

	KUNIT_ASSERT_EQ(test, arch_mm_create(&mm), 0);
	fmt = mm.pgt.fmt;
	KUNIT_ASSERT_GE(test, fmt->payload_bits, 40U);
	widest = fmt->payload_bits >= 64 ? ~0ULL : (1ULL << fmt->payload_bits) - 1;
	/* The table for UVA exists once a neighbour is mapped. */
	KUNIT_ASSERT_EQ(test, arch_mm_map(&mm, UVA + PAGE_SIZE, page_phys(p), PAGE_SIZE,
					  RW_KERNEL), 0);
	for (int i = 0; i < 3; i++) {
		payload = i == 0 ? 0 : i == 1 ? 0x0123456789abcdefULL & widest : widest;
		KUNIT_ASSERT_EQ(test, pgtable_set_nonpresent(&mm.pgt, UVA, payload), 0);
		memset(&seen, 0, sizeof(seen));
		KUNIT_EXPECT_EQ(test, pgtable_walk(&mm.pgt, UVA, PAGE_SIZE, note_entry, &seen), 0);
		KUNIT_EXPECT_EQ(test, seen.count, 1U);
		KUNIT_EXPECT_EQ(test, seen.va, UVA);
		KUNIT_EXPECT_EQ(test, seen.level, 1U);
		KUNIT_EXPECT_FALSE(test, fmt->is_present(seen.entry));
		KUNIT_EXPECT_EQ(test, fmt->nonpresent_payload(seen.entry), payload);
		/* The CPU agrees: nothing is mapped there. */
		KUNIT_EXPECT_TRUE(test, faults_in(&mm, do_read, UVA, &fi));
		EXPECT_REPORT_HAS(test, "page fault: read of a not-present page");
	}
	KUNIT_EXPECT_EQ(test, arch_mm_unmap(&mm, UVA, PAGE_SIZE), 0UL);
	memset(&seen, 0, sizeof(seen));
	pgtable_walk(&mm.pgt, UVA, PAGE_SIZE, note_entry, &seen);
	KUNIT_EXPECT_EQ(test, seen.count, 0U);	/* unmap cleared the payload */

	arch_mm_destroy(&mm);
	__free_page(p);
}

static void destroy_frees_every_table(struct kunit *test)
{
	struct page *p = page_with(7);
	static const unsigned long vas[] = { UVA, UVA + (1UL << 30), UVA_FAR,
					     TASK_SIZE - PAGE_SIZE };
	unsigned long before = nr_free_pages(), tables;
	struct arch_mm mm;
	KUNIT_ASSERT_NOT_NULL(test, p);

	KUNIT_ASSERT_EQ(test, arch_mm_create(&mm), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(vas); i++) {
		KUNIT_ASSERT_EQ(test, arch_mm_map(&mm, vas[i], page_phys(p), PAGE_SIZE,
						  RW_KERNEL), 0);
		KUNIT_EXPECT_EQ(test, read_in(&mm, vas[i]), 7ULL);
	}
	/* The root; for UVA three tables; UVA + 1 GiB a level-2 and a
	 * level-1 one; each far address three more. */
	tables = mm.pgt.nr_tables;
	KUNIT_EXPECT_EQ(test, tables, 1UL + 3 + 2 + 3 + 3);
	KUNIT_EXPECT_EQ(test, before - nr_free_pages(), tables);
	arch_mm_destroy(&mm);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), before);
	__free_page(p);
}

static void remap_with_flush_reads_the_new_page(struct kunit *test)
{
	struct page *pa = page_with(0xa), *pb = page_with(0xb);
	unsigned long flags;
	struct arch_mm mm;
	uint64_t first, second;
	KUNIT_ASSERT_NOT_NULL(test, pa);
	KUNIT_ASSERT_NOT_NULL(test, pb);

	KUNIT_ASSERT_EQ(test, arch_mm_create(&mm), 0);
	KUNIT_ASSERT_EQ(test, arch_mm_map(&mm, UVA, page_phys(pa), PAGE_SIZE, RW_KERNEL), 0);
	/* Stay loaded throughout, so a stale entry could be used. */
	flags = arch_irq_save();
	arch_switch_mm(&mm);
	arch_user_access_begin();
	first = *(volatile uint64_t *)UVA;
	arch_mm_unmap(&mm, UVA, PAGE_SIZE);	/* flushes the page */
	arch_mm_map(&mm, UVA, page_phys(pb), PAGE_SIZE, RW_KERNEL);
	second = *(volatile uint64_t *)UVA;
	arch_user_access_end();
	arch_flush_tlb_mm(&mm);
	arch_switch_mm(NULL);
	arch_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, first, 0xaULL);
	KUNIT_EXPECT_EQ(test, second, 0xbULL);
	KUNIT_EXPECT_EQ(test, read_in(&mm, UVA), 0xbULL);

	arch_mm_destroy(&mm);
	__free_page(pa);
	__free_page(pb);
}

struct remote_read {
	struct arch_mm *mm;		/* load it first (if it is not) */
	bool unload;			/* and unload it after */
	uint64_t value;
};

static void read_on_this_cpu(void *arg)
{
	struct remote_read *r = arg;

	if (cpu_loaded_mm[arch_cpu_id()] != r->mm)
		arch_switch_mm(r->mm);
	arch_user_access_begin();
	r->value = READ_ONCE(*(volatile uint64_t *)UVA);
	arch_user_access_end();
	if (r->unload)
		arch_switch_mm(NULL);
}

/*
 * Another CPU loads the address space, reads A and stays loaded (its
 * TLB may keep the translation); this CPU points the page at B, and the
 * unmap must flush every CPU that ran the address space (x86_64 by IPI,
 * arm64 by broadcast TLBI); the other CPU then reads B. If it ran another
 * thread in between, the scheduler unloaded the address space, and the
 * second read loads it again: with PCIDs/ASIDs that reload keeps the
 * cached entries (no flush), so a stale one would still be seen.
 */
static void remap_is_seen_by_another_cpu(struct kunit *test)
{
	unsigned int remote = num_online_cpus() - 1;
	struct page *pa = page_with(0xa1), *pb = page_with(0xb1);
	struct remote_read r = { 0 };
	struct arch_mm mm;

	KUNIT_ASSERT_NOT_NULL(test, pa);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	if (remote == 0) {
		__free_page(pa);
		__free_page(pb);
		kunit_skip(test, "one CPU");
	}
	KUNIT_ASSERT_EQ(test, arch_mm_create(&mm), 0);
	KUNIT_ASSERT_EQ(test, arch_mm_map(&mm, UVA, page_phys(pa), PAGE_SIZE, RW_KERNEL), 0);
	r.mm = &mm;
	KUNIT_ASSERT_EQ(test, smp_call_function_single(remote, read_on_this_cpu, &r), 0);
	KUNIT_EXPECT_EQ(test, r.value, 0xa1ULL);
	KUNIT_EXPECT_TRUE(test, mm.cpus & (1UL << remote));

	KUNIT_EXPECT_EQ(test, arch_mm_unmap(&mm, UVA, PAGE_SIZE), (size_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, arch_mm_map(&mm, UVA, page_phys(pb), PAGE_SIZE, RW_KERNEL), 0);
	r.unload = true;
	KUNIT_EXPECT_EQ(test, smp_call_function_single(remote, read_on_this_cpu, &r), 0);
	KUNIT_EXPECT_EQ(test, r.value, 0xb1ULL);

	arch_mm_destroy(&mm);
	__free_page(pa);
	__free_page(pb);
}

static void kernel_fault_report_says_what_the_table_holds(struct kunit *test)
{
	struct page *p = page_with(3);
	struct fault_info fi = { 0 };
	char want[96];
	KUNIT_ASSERT_NOT_NULL(test, p);

	KUNIT_ASSERT_EQ(test, arch_map_kernel_range(KVA, page_phys(p), PAGE_SIZE,
						    PROT_READ), 0);
	KUNIT_EXPECT_EQ(test, *(volatile uint64_t *)KVA, 3ULL);
	KUNIT_EXPECT_TRUE(test, faults_in(NULL, do_write, KVA, &fi));
	EXPECT_REPORT_HAS(test, "page fault: write to a read-only page, kernel mode");
	ksnprintf(want, sizeof(want), "kernel page table: level-1 leaf to physical 0x%llx, "
		  "read-only, not executable", (unsigned long long)page_phys(p));
	EXPECT_REPORT_HAS(test, want);

	/* The next page is nothing: a guard page, say. */
	KUNIT_EXPECT_TRUE(test, faults_in(NULL, do_read, KVA + PAGE_SIZE, &fi));
	EXPECT_REPORT_HAS(test, "page fault: read of a not-present page");
	EXPECT_REPORT_HAS(test, "kernel page table: nothing mapped at this page");

	arch_unmap_kernel_range(KVA, PAGE_SIZE);
	flush_tlb_kernel_range(KVA, KVA + PAGE_SIZE);
	__free_page(p);
}

static void kernel_range_outside_the_windows_is_refused(struct kunit *test)
{
	struct page *p = page_with(0);
	KUNIT_ASSERT_NOT_NULL(test, p);

	/* The user half, and the kernel half outside vmalloc and ioremap:
	 * a top-level entry there would not reach existing address spaces. */
	KUNIT_EXPECT_EQ(test, arch_map_kernel_range(UVA, page_phys(p), PAGE_SIZE,
						    PROT_READ), -1);
	KUNIT_EXPECT_EQ(test, arch_map_kernel_range(VMALLOC_START - PAGE_SIZE,
						    page_phys(p), PAGE_SIZE, PROT_READ), -1);
	/* PROT_USER has no meaning in the kernel's table. */
	KUNIT_EXPECT_EQ(test, arch_map_kernel_range(KVA, page_phys(p), PAGE_SIZE,
						    PROT_READ | PROT_USER), -1);
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(KVA));
	__free_page(p);
}

static struct kunit_case mmu_cases[] = {
	KUNIT_CASE(two_spaces_see_their_own_page),
	KUNIT_CASE(read_only_page_gives_a_permission_fault),
	KUNIT_CASE(unmapped_page_gives_a_not_present_fault),
	KUNIT_CASE(nonpresent_payload_reads_back_and_faults),
	KUNIT_CASE(destroy_frees_every_table),
	KUNIT_CASE(remap_with_flush_reads_the_new_page),
	KUNIT_CASE(remap_is_seen_by_another_cpu),
	KUNIT_CASE(kernel_fault_report_says_what_the_table_holds),
	KUNIT_CASE(kernel_range_outside_the_windows_is_refused),
	{}
};

static struct kunit_suite mmu_suite = {
	.name = "mmu",
	.test_cases = mmu_cases,
};
kunit_test_suite(mmu_suite);
