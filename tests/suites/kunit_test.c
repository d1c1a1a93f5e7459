/*
 * tests/suites/kunit_test.c - the test runner itself: suites run in name
 * order, and two suites with one name are refused rather than one of them
 * silently shadowing the other.
 */
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

static struct kunit_case no_cases[] = { {} };
static struct kunit_suite s_b = { .name = "bravo", .test_cases = no_cases };
static struct kunit_suite s_a = { .name = "alpha", .test_cases = no_cases };
static struct kunit_suite s_c = { .name = "charlie", .test_cases = no_cases };
static struct kunit_suite s_a2 = { .name = "alpha", .test_cases = no_cases };

static void suites_are_sorted_by_name(struct kunit *test)
{
	const struct kunit_suite *list[] = { &s_c, &s_a, &s_b };

	KUNIT_ASSERT_EQ(test, kunit_sort_suites(list, 3), 3);
	KUNIT_EXPECT_STREQ(test, list[0]->name, "alpha");
	KUNIT_EXPECT_STREQ(test, list[1]->name, "bravo");
	KUNIT_EXPECT_STREQ(test, list[2]->name, "charlie");
}

static void duplicate_names_are_refused(struct kunit *test)
{
	const struct kunit_suite *list[] = { &s_b, &s_a, &s_c, &s_a2 };
	char log[256];

	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_EQ(test, kunit_sort_suites(list, 4), -1);
	printk_capture_stop();
	KUNIT_EXPECT_NOT_NULL(test, strchr(log, '\''));
	KUNIT_EXPECT_EQ(test, strncmp(log + 15, "kunit: two suites are named 'alpha'", 35), 0);
}

static void empty_list_is_fine(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kunit_sort_suites(NULL, 0), 0);
}

/* The harness's promises are found by exact key; malformed lists are
 * refused whole, so a typo cannot silently drop an expectation. */
static void expectations_are_looked_up_by_key(struct kunit *test)
{
	uint64_t v = 0;

	KUNIT_ASSERT_EQ(test, kunit_set_expectations("vtd.levels:4,smmu.ril:1,cpu:max"), 0);
	KUNIT_EXPECT_STREQ(test, kunit_expectation("vtd.levels"), "4");
	KUNIT_EXPECT_STREQ(test, kunit_expectation("cpu"), "max");
	KUNIT_EXPECT_NULL(test, kunit_expectation("vtd"));
	KUNIT_EXPECT_NULL(test, kunit_expectation("smmu.ri"));
	KUNIT_EXPECT_TRUE(test, kunit_expectation_u64("smmu.ril", &v));
	KUNIT_EXPECT_EQ(test, v, 1ULL);
	KUNIT_EXPECT_FALSE(test, kunit_expectation_u64("cpu", &v));

	char log[256];

	printk_capture_start(log, sizeof(log));
	KUNIT_EXPECT_EQ(test, kunit_set_expectations("vtd.levels:4,oops"), -1);
	KUNIT_EXPECT_EQ(test, kunit_set_expectations("a:"), -1);
	KUNIT_EXPECT_EQ(test, kunit_set_expectations(":1"), -1);
	printk_capture_stop();
	KUNIT_EXPECT_NULL(test, kunit_expectation("vtd.levels"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(log, "'oops' is not KEY:VALUE"));
	kunit_set_expectations(NULL);
}

static struct kunit_case kunit_cases[] = {
	KUNIT_CASE(suites_are_sorted_by_name),
	KUNIT_CASE(duplicate_names_are_refused),
	KUNIT_CASE(empty_list_is_fine),
	KUNIT_CASE(expectations_are_looked_up_by_key),
	{}
};

static struct kunit_suite kunit_suite = {
	.name = "kunit",
	.test_cases = kunit_cases,
};
kunit_test_suite(kunit_suite);
