/*
 * tests/kernel/iommu_report_test.c - the `iommu` command shows what IOMMU
 * drivers registered (iommu_register_report, mm/dma-iommu.h), once each,
 * without the DMA layer naming any driver.
 */
#include "kernel/console.h"
#include "kernel/kunit.h"
#include "mm/dma-iommu.h"

static unsigned int shown;

static void fake_show(void)
{
	shown++;
	printk("fake-iommu: one unit\n");
}

static struct iommu_report fake_report = {
	.name = "fake-iommu",
	.show = fake_show,
};

static void registered_report_is_shown_once(struct kunit *test)
{
	char line[] = "iommu";

	iommu_register_report(&fake_report);
	iommu_register_report(&fake_report);	/* again: a no-op */
	shown = 0;
	KUNIT_EXPECT_EQ(test, console_execute(line), 0);
	KUNIT_EXPECT_EQ(test, shown, 1u);
}

static struct kunit_case iommu_report_cases[] = {
	KUNIT_CASE(registered_report_is_shown_once),
	{}
};

static struct kunit_suite iommu_report_suite = {
	.name = "iommu_report",
	.test_cases = iommu_report_cases,
};
kunit_test_suite(iommu_report_suite);
