/*
 * tests/kernel/arm64_exception_test.c - arm64 exceptions in words: each
 * case provokes one kind of synchronous exception under
 * run_catching_faults() and checks what the crash report said about it
 * (the exception class, the fault status and its page-table level, read or
 * write, the address decoded); plus the ESR decoder on syndromes built by
 * hand, for the kinds a test cannot provoke safely.
 *
 * arm64 only: the Makefile builds tests/kernel/arm64_*.c into arm64
 * kernels alone.
 */
#include "arch/arm64/trap.h"
#include "kernel/fault.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include <arch/page.h>

static char report[8192];

#define EXPECT_REPORT_HAS(test, s)	KUNIT_EXPECT_STR_CONTAINS(test, report, s)

static bool provoke(void (*fn)(void *), void *arg, struct fault_info *fi)
{
	bool caught;

	memset(report, 0, sizeof(report));
	printk_capture_start(report, sizeof(report));
	caught = run_catching_faults(fn, arg, fi);
	printk_capture_stop();
	return caught;
}

static __attribute__((noinline)) void do_udf(void *arg)
{
	(void)arg;
	__asm__ __volatile__("udf #0x42");
}

static void undefined_instruction_is_named(struct kunit *test)
{
	struct fault_info fi = { 0 };

	KUNIT_ASSERT_TRUE(test, provoke(do_udf, NULL, &fi));
	KUNIT_EXPECT_EQ(test, fi.vector, 0x00UL);		/* EC: unknown */
	KUNIT_EXPECT_FALSE(test, fi.addr_valid);
	EXPECT_REPORT_HAS(test, "Unknown reason (undefined instruction) (EC 0x00)");
	EXPECT_REPORT_HAS(test, "do_udf+");
	EXPECT_REPORT_HAS(test, "ESR: ");
	EXPECT_REPORT_HAS(test, "SPSR: ");
	EXPECT_REPORT_HAS(test, "EL1h");
	EXPECT_REPORT_HAS(test, "x28: ");
}

static __attribute__((noinline)) void do_read(void *arg)
{
	(void)READ_ONCE(*(volatile unsigned long *)arg);
}

static void read_of_unmapped_kernel_address(struct kunit *test)
{
	struct fault_info fi = { 0 };
	/* In the direct map's first 512 GiB but above any RAM: the level 1
	 * table has no entry for it. */
	unsigned long addr = PAGE_OFFSET + (1UL << 38);	/* 256 GiB */

	KUNIT_ASSERT_TRUE(test, provoke(do_read, (void *)addr, &fi));
	KUNIT_EXPECT_EQ(test, fi.vector, 0x25UL);		/* data abort, EL1 */
	KUNIT_EXPECT_TRUE(test, fi.addr_valid);
	KUNIT_EXPECT_EQ(test, fi.addr, addr);
	EXPECT_REPORT_HAS(test, "Data abort from EL1 (EC 0x25)");
	EXPECT_REPORT_HAS(test, "translation fault on a read (page-table walk level 1)");
	EXPECT_REPORT_HAS(test, "nothing is mapped there");
	EXPECT_REPORT_HAS(test, "direct map: physical address 0x4000000000");
}

static __attribute__((noinline)) void do_write(void *arg)
{
	*(volatile unsigned long *)arg = 1;
}

static void write_to_null_says_write_and_level_0(struct kunit *test)
{
	struct fault_info fi = { 0 };

	KUNIT_ASSERT_TRUE(test, provoke(do_write, (void *)8, &fi));
	EXPECT_REPORT_HAS(test, "translation fault on a write (page-table walk level 0)");
	EXPECT_REPORT_HAS(test, "NULL pointer dereference");
}

/* Data is never executable (PXN): jumping into it is an instruction abort. */
static uint32_t not_code[4] __aligned(16) = { 0xd65f03c0 };	/* ret */

static __attribute__((noinline)) void do_jump(void *arg)
{
	((void (*)(void))arg)();
}

static void execute_data_is_a_permission_fault(struct kunit *test)
{
	struct fault_info fi = { 0 };

	KUNIT_ASSERT_TRUE(test, provoke(do_jump, not_code, &fi));
	KUNIT_EXPECT_EQ(test, fi.vector, 0x21UL);		/* instruction abort */
	KUNIT_EXPECT_EQ(test, fi.addr, (unsigned long)not_code);
	EXPECT_REPORT_HAS(test, "Instruction abort from EL1 (EC 0x21)");
	EXPECT_REPORT_HAS(test, "permission fault on an instruction fetch (page-table walk level 3)");
	EXPECT_REPORT_HAS(test, "the page is not executable");
	EXPECT_REPORT_HAS(test, "not_code");
	/* The caller is in lr: the backtrace still names it. */
	EXPECT_REPORT_HAS(test, "do_jump+");
}

static __attribute__((noinline)) void do_brk(void *arg)
{
	(void)arg;
	__asm__ __volatile__("brk #0x123");
}

static void brk_is_not_a_panic(struct kunit *test)
{
	struct fault_info fi = { 0 };

	KUNIT_ASSERT_TRUE(test, provoke(do_brk, NULL, &fi));
	KUNIT_EXPECT_FALSE(test, fi.is_panic);
	KUNIT_EXPECT_EQ(test, fi.vector, 0x3cUL);
	EXPECT_REPORT_HAS(test, "BRK instruction (EC 0x3c)");
	EXPECT_REPORT_HAS(test, "BRK #0x123");
}

static void esr_decoder_in_words(struct kunit *test)
{
	char w[192];

	/* Data abort, same EL, WnR, DFSC 0b000101: translation, level 1. */
	arm64_esr_words(w, sizeof(w), 0x96000045);
	KUNIT_EXPECT_STREQ(test, w, "translation fault on a write (page-table walk "
			   "level 1): nothing is mapped there");
	/* Read, DFSC 0b001011: access flag fault, level 3. */
	arm64_esr_words(w, sizeof(w), 0x9600000b);
	KUNIT_EXPECT_STREQ(test, w, "access flag fault on a read (page-table walk level 3)");
	/* Alignment fault (DFSC 0b100001), FAR not valid (FnV). */
	arm64_esr_words(w, sizeof(w), 0x96000421);
	KUNIT_EXPECT_STREQ(test, w, "alignment fault on a read; FAR not valid");
	/* Synchronous external abort on an instruction fetch. */
	arm64_esr_words(w, sizeof(w), 0x86000010);
	KUNIT_EXPECT_STREQ(test, w, "synchronous external abort on an instruction fetch");
	KUNIT_EXPECT_STREQ(test, arm64_esr_class_name(0x5e000000), "SMC (secure monitor call)");
	KUNIT_EXPECT_STREQ(test, arm64_esr_class_name(0x1fe00000),
			   "SIMD/floating-point access trapped");
	KUNIT_EXPECT_STREQ(test, arm64_esr_class_name(0x9a000000), "SP alignment fault");
	KUNIT_EXPECT_STREQ(test, arm64_esr_class_name(0xbe000000), "SError interrupt");
	KUNIT_EXPECT_STREQ(test, arm64_esr_class_name(0xfc000000), "Reserved exception class");
}

static struct kunit_case arm64_exception_cases[] = {
	KUNIT_CASE(undefined_instruction_is_named),
	KUNIT_CASE(read_of_unmapped_kernel_address),
	KUNIT_CASE(write_to_null_says_write_and_level_0),
	KUNIT_CASE(execute_data_is_a_permission_fault),
	KUNIT_CASE(brk_is_not_a_panic),
	KUNIT_CASE(esr_decoder_in_words),
	{}
};

static struct kunit_suite arm64_exception_suite = {
	.name = "arm64_exception",
	.test_cases = arm64_exception_cases,
};
kunit_test_suite(arm64_exception_suite);
