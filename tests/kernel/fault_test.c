/*
 * tests/kernel/fault_test.c - the crash path: faults provoked on purpose are
 * caught (run_catching_faults), and the report printed for them says what
 * a student needs: the cause in words, the address decoded, and a
 * symbolised backtrace naming the functions involved. Kernel only.
 */
#include "kernel/fault.h"
#include "kernel/kunit.h"
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

static char report[8192];

#define EXPECT_REPORT_HAS(test, s)	KUNIT_EXPECT_STR_CONTAINS(test, report, s)

/* Three named levels, so the backtrace has something to show. */
static __attribute__((noinline)) void fault_level3(void *arg)
{
	*(volatile unsigned long *)arg = 0x5a;
}

static __attribute__((noinline)) void fault_level2(void *arg)
{
	fault_level3(arg);
	barrier();
}

static __attribute__((noinline)) void fault_level1(void *arg)
{
	fault_level2(arg);
	barrier();
}

static bool provoke(void (*fn)(void *), void *arg, struct fault_info *fi)
{
	bool caught;

	printk_capture_start(report, sizeof(report));
	caught = run_catching_faults(fn, arg, fi);
	printk_capture_stop();
	return caught;
}

static void null_write_is_caught_and_reported(struct kunit *test)
{
	struct fault_info fi = { 0 };

	KUNIT_ASSERT_TRUE(test, provoke(fault_level1, (void *)0x10, &fi));
	KUNIT_EXPECT_TRUE(test, fi.addr_valid);
	KUNIT_EXPECT_EQ(test, fi.addr, 0x10UL);
	KUNIT_EXPECT_FALSE(test, fi.is_panic);
	EXPECT_REPORT_HAS(test, "NULL pointer dereference");
	EXPECT_REPORT_HAS(test, "write");
	EXPECT_REPORT_HAS(test, "Call trace:");
	EXPECT_REPORT_HAS(test, "fault_level3+");
	EXPECT_REPORT_HAS(test, "fault_level2+");
	EXPECT_REPORT_HAS(test, "fault_level1+");
	EXPECT_REPORT_HAS(test, "end of crash report");
}

static const unsigned long read_only_value = 42;

static void write_to_rodata_faults(struct kunit *test)
{
	struct fault_info fi = { 0 };

	KUNIT_ASSERT_TRUE(test, provoke(fault_level1, (void *)&read_only_value, &fi));
	KUNIT_EXPECT_EQ(test, fi.addr, (unsigned long)&read_only_value);
	KUNIT_EXPECT_EQ(test, read_only_value, 42UL);
	/* The address is decoded to the variable it hit. */
	EXPECT_REPORT_HAS(test, "read_only_value");
}

static void write_to_mapped_memory_does_not_fault(struct kunit *test)
{
	struct fault_info fi = { 0 };
	unsigned long target = 0;

	KUNIT_EXPECT_FALSE(test, provoke(fault_level1, &target, &fi));
	KUNIT_EXPECT_EQ(test, target, 0x5aUL);
}

static void do_panic(void *arg)
{
	panic("deliberate panic number %d", 7);
}

static void panic_is_reported_with_message(struct kunit *test)
{
	struct fault_info fi = { 0 };

	KUNIT_ASSERT_TRUE(test, provoke(do_panic, NULL, &fi));
	KUNIT_EXPECT_TRUE(test, fi.is_panic);
	EXPECT_REPORT_HAS(test, "Kernel panic - not syncing: deliberate panic number 7");
	EXPECT_REPORT_HAS(test, "do_panic+");
	/* After recovery nothing is left marked as a panic in progress. */
	KUNIT_EXPECT_EQ(test, panic_message[0], '\0');
}

static void do_bug_on(void *arg)
{
	int broken_invariant = 1;

	BUG_ON(broken_invariant == 1);
}

static void bug_on_names_the_condition_and_place(struct kunit *test)
{
	struct fault_info fi = { 0 };

	KUNIT_ASSERT_TRUE(test, provoke(do_bug_on, NULL, &fi));
	EXPECT_REPORT_HAS(test, "BUG at tests/kernel/fault_test.c:");
	EXPECT_REPORT_HAS(test, "broken_invariant == 1");
}

static void warn_on_reports_and_continues(struct kunit *test)
{
	bool fired;

	kunit_expect_reports(test, DIAG_WARN, 1);
	printk_capture_start(report, sizeof(report));
	fired = WARN_ON(report[0] == '\0');
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, fired);
	EXPECT_REPORT_HAS(test, "WARNING: report[0] == '\\0' at tests/kernel/fault_test.c:");
	EXPECT_REPORT_HAS(test, "warn_on_reports_and_continues+");
	KUNIT_EXPECT_FALSE(test, WARN_ON(false));
}

static void symbols_resolve(struct kunit *test)
{
	unsigned long off = 99;
	const char *name = ksym_lookup((unsigned long)fault_level2, &off);

	KUNIT_ASSERT_NOT_NULL(test, name);
	KUNIT_EXPECT_STREQ(test, name, "fault_level2");
	KUNIT_EXPECT_EQ(test, off, 0UL);
	name = ksym_lookup((unsigned long)fault_level2 + 4, &off);
	KUNIT_EXPECT_STREQ(test, name, "fault_level2");
	KUNIT_EXPECT_EQ(test, off, 4UL);
	KUNIT_EXPECT_NULL(test, ksym_lookup(0x1000, &off));
}

static struct kunit_case fault_cases[] = {
	KUNIT_CASE(null_write_is_caught_and_reported),
	KUNIT_CASE(write_to_rodata_faults),
	KUNIT_CASE(write_to_mapped_memory_does_not_fault),
	KUNIT_CASE(panic_is_reported_with_message),
	KUNIT_CASE(bug_on_names_the_condition_and_place),
	KUNIT_CASE(warn_on_reports_and_continues),
	KUNIT_CASE(symbols_resolve),
	{}
};

static struct kunit_suite fault_suite = {
	.name = "fault",
	.test_cases = fault_cases,
};
kunit_test_suite(fault_suite);
