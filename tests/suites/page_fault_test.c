/*
 * tests/suites/page_fault_test.c - the portable page-fault entry
 * (mm/fault.h): the words every kind of decoded fault gets, that
 * do_page_fault() handles nothing yet, and what the report says about a
 * kernel address (inside the vmalloc window: what the kernel table
 * holds; outside it: nothing). Host and kernel; the faults themselves,
 * decoded by each arch, are in tests/kernel/mmu_test.c.
 */
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/fault.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>
#include <arch/page.h>

static void reasons_in_words(struct kunit *test)
{
	static const struct {
		enum fault_access access;
		enum fault_type type;
		const char *words;
	} cases[] = {
		{ FAULT_READ, FAULT_NOT_PRESENT, "read of a not-present page" },
		{ FAULT_WRITE, FAULT_NOT_PRESENT, "write to a not-present page" },
		{ FAULT_EXEC, FAULT_NOT_PRESENT,
		  "instruction fetch from a not-present page" },
		{ FAULT_WRITE, FAULT_PERMISSION, "write to a read-only page" },
		{ FAULT_EXEC, FAULT_PERMISSION,
		  "instruction fetch from a non-executable page" },
		{ FAULT_READ, FAULT_PERMISSION,
		  "read of a page the mapping does not let this mode read" },
		{ FAULT_READ, FAULT_ACCESS_FLAG,
		  "read of a page whose access flag is clear (not young)" },
	};
	char buf[96];

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		struct page_fault pf = { .addr = 0x1000, .access = cases[i].access,
					 .type = cases[i].type };

		KUNIT_EXPECT_STREQ(test, page_fault_reason(&pf, buf, sizeof(buf)),
				   cases[i].words);
		KUNIT_EXPECT_EQ(test, do_page_fault(&pf), -14);	/* -EFAULT */
	}
}

static char out[1024];

static bool out_has(const char *needle)
{
	size_t n = strlen(needle);

	for (const char *p = out; *p; p++)
		if (!strncmp(p, needle, n))
			return true;
	return false;
}

static void report_names_the_kernel_table_entry(struct kunit *test)
{
	/* The top page of the vmalloc window: no area reaches it here. */
	struct page_fault pf = { .addr = VMALLOC_END + 1 - PAGE_SIZE,
				 .access = FAULT_WRITE, .type = FAULT_NOT_PRESENT,
				 .level = 2 };

	if (arch_kernel_pte_present(pf.addr))
		kunit_skip(test, "something is mapped at the top of vmalloc");
	memset(out, 0, sizeof(out));
	printk_capture_start_quiet(out, sizeof(out));
	page_fault_report(&pf);
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, out_has("page fault: write to a not-present page, "
					"kernel mode (the walk stopped at level 2)"));
	KUNIT_EXPECT_TRUE(test, out_has("kernel page table: nothing mapped"));

	/* Outside the windows the table is not consulted; a user fault
	 * never looks at the kernel's table. */
	pf.addr = 0x1000;
	memset(out, 0, sizeof(out));
	printk_capture_start_quiet(out, sizeof(out));
	page_fault_report(&pf);
	pf.addr = VMALLOC_END + 1 - PAGE_SIZE;
	pf.user = true;
	page_fault_report(&pf);
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, out_has("page fault: write to a not-present page, user mode"));
	KUNIT_EXPECT_FALSE(test, out_has("kernel page table"));
}

static struct kunit_case page_fault_cases[] = {
	KUNIT_CASE(reasons_in_words),
	KUNIT_CASE(report_names_the_kernel_table_entry),
	{}
};

static struct kunit_suite page_fault_suite = {
	.name = "page_fault",
	.test_cases = page_fault_cases,
};
kunit_test_suite(page_fault_suite);
