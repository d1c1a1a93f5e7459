/*
 * tests/suites/kunit_test.c - the test runner itself: suites run in name
 * order, two suites with one name are refused rather than one of them
 * silently shadowing the other, and every verdict the harness relies on
 * (not ok, skip, ASSERT ending the case from a helper, exit hooks, globs
 * that match nothing, empty suites, debug reports, locks left held, what a
 * failed substring expectation prints, reports counted inside a capture)
 * is checked on suites run inside a case.
 */
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/preempt.h"
#include <arch/cpu.h>

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
 * refused whole, so a typo cannot silently drop an expectation. The
 * machine's own promises are put back at the end, for the suites after. */
static void expectations_are_looked_up_by_key(struct kunit *test)
{
	char saved[256];
	uint64_t v = 0;

	strlcpy(saved, kunit_expectations(), sizeof(saved));

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
	KUNIT_EXPECT_STR_CONTAINS(test, log, "'oops' is not KEY:VALUE");
	KUNIT_EXPECT_EQ(test, kunit_set_expectations(saved), 0);
	KUNIT_EXPECT_STREQ(test, kunit_expectations(), saved);
}

/*
 * The runner's verdicts, checked by running small suites of its own
 * through kunit_run_suites() and reading what they printed. `reached`
 * records which lines of the inner cases ran.
 */
static char inner_log[6144];
static unsigned int reached;
#define REACHED(bit)	(reached |= 1u << (bit))

static void helper_asserts(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, 1, 2);
	REACHED(0);			/* never: the assert ended the case */
}

static void helper_skips(struct kunit *test)
{
	kunit_skip(test, "no such device");
	REACHED(1);
}

/* Like tests/kernel/edu.c's edu_begin(): a helper that returns a value. */
static bool helper_finds_no_device(struct kunit *test)
{
	kunit_do_skip(test, "no edu device");
	return false;
}

static void inner_value_helper_skips(struct kunit *test)
{
	if (!helper_finds_no_device(test))
		REACHED(7);		/* never: the skip ended the case */
	KUNIT_EXPECT_TRUE(test, false);	/* never */
}

static void inner_expect_fails(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1, 2);
	REACHED(2);			/* EXPECT carries on */
}

static void inner_assert_in_helper(struct kunit *test)
{
	helper_asserts(test);
	REACHED(3);			/* never */
}

static void inner_skip_in_helper(struct kunit *test)
{
	helper_skips(test);
	REACHED(4);			/* never */
}

static void inner_passes(struct kunit *test)
{
	REACHED(5);
}

/* With interrupts off (as in an interrupt handler) ASSERT must not jump. */
static void inner_assert_with_irqs_off(struct kunit *test)
{
	arch_irq_disable();
	helper_asserts(test);
	REACHED(6);
	arch_irq_enable();
}

static void inner_warns_undeclared(struct kunit *test)
{
	WARN_ON(true);
}

static void inner_warns_declared(struct kunit *test)
{
	kunit_expect_reports(test, DIAG_WARN, 1);
	WARN_ON(true);
}

static void inner_declares_more_than_seen(struct kunit *test)
{
	kunit_expect_reports(test, DIAG_WARN, 2);
	WARN_ON(true);
}

/* What a spin_lock() without its unlock leaves behind, minus the lock
 * itself (which nobody could take back cleanly). */
static void inner_returns_holding_lock(struct kunit *test)
{
	preempt_disable();
}

static struct kunit_case verdict_cases[] = {
	KUNIT_CASE(inner_expect_fails),
	KUNIT_CASE(inner_assert_in_helper),
	KUNIT_CASE(inner_skip_in_helper),
	KUNIT_CASE(inner_passes),
	KUNIT_CASE(inner_assert_with_irqs_off),
	KUNIT_CASE(inner_value_helper_skips),
	{}
};
static struct kunit_suite verdict_suite = { .name = "verdicts", .test_cases = verdict_cases };

static void inner_slow_case(struct kunit *test)
{
	(void)test;
	REACHED(8);
}

static struct kunit_case speed_cases[] = {
	KUNIT_CASE(inner_passes),
	KUNIT_CASE_SLOW(inner_slow_case),
	{}
};
static struct kunit_suite speed_suite = { .name = "speeds", .test_cases = speed_cases };

static void exit_hook_fails(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, false);
}
static struct kunit_case exit_cases[] = { KUNIT_CASE(inner_passes), {} };
static struct kunit_suite exit_suite = {
	.name = "exit_hook", .test_cases = exit_cases, .exit = exit_hook_fails,
};

static struct kunit_case report_cases[] = {
	KUNIT_CASE(inner_warns_undeclared),
	KUNIT_CASE(inner_warns_declared),
	KUNIT_CASE(inner_declares_more_than_seen),
	{}
};
static struct kunit_suite report_suite = { .name = "reports", .test_cases = report_cases };

/* A capture pins reports to the calls inside it (kunit_capture_start). */
static void inner_capture_counts_reports(struct kunit *test)
{
	kunit_capture_start(test, NULL, 0);
	WARN_ON(true);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 1);
	REACHED(11);
}

static void inner_capture_count_differs(struct kunit *test)
{
	kunit_capture_start(test, NULL, 0);
	WARN_ON(true);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 2);
}

static void inner_report_before_capture_not_counted(struct kunit *test)
{
	kunit_expect_reports(test, DIAG_WARN, 1);
	WARN_ON(true);
	kunit_capture_start(test, NULL, 0);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
}

static struct kunit_case capture_cases[] = {
	KUNIT_CASE(inner_capture_counts_reports),
	KUNIT_CASE(inner_capture_count_differs),
	KUNIT_CASE(inner_report_before_capture_not_counted),
	{}
};
static struct kunit_suite capture_suite = { .name = "capture", .test_cases = capture_cases };

/* KUNIT_*_STR_CONTAINS: a failure shows the needle and the whole haystack. */
static const char two_lines[] = "first line\nsecond line";
static char long_line[180];

static void inner_contains_holds(struct kunit *test)
{
	KUNIT_EXPECT_STR_CONTAINS(test, two_lines, "line\nsecond");
	KUNIT_EXPECT_STR_CONTAINS(test, two_lines, "");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, two_lines, "third");
	KUNIT_ASSERT_STR_CONTAINS(test, two_lines, "first");
	REACHED(8);
}

static void inner_contains_fails(struct kunit *test)
{
	KUNIT_EXPECT_STR_CONTAINS(test, two_lines, "third");
	REACHED(9);			/* EXPECT carries on */
}

static void inner_not_contains_fails(struct kunit *test)
{
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, two_lines, "second");
}

static void inner_null_contains_nothing(struct kunit *test)
{
	const char *none = NULL;

	KUNIT_EXPECT_STR_CONTAINS(test, none, "x");
}

static void inner_long_line_is_cut(struct kunit *test)
{
	memset(long_line, 'x', 170);
	strlcpy(long_line + 170, "END", sizeof(long_line) - 170);
	KUNIT_EXPECT_STR_CONTAINS(test, long_line, "START");
}

static void inner_assert_contains_ends(struct kunit *test)
{
	KUNIT_ASSERT_STR_CONTAINS(test, two_lines, "third");
	REACHED(10);			/* never */
}

static struct kunit_case contains_cases[] = {
	KUNIT_CASE(inner_contains_holds),
	KUNIT_CASE(inner_contains_fails),
	KUNIT_CASE(inner_not_contains_fails),
	KUNIT_CASE(inner_null_contains_nothing),
	KUNIT_CASE(inner_long_line_is_cut),
	KUNIT_CASE(inner_assert_contains_ends),
	{}
};
static struct kunit_suite contains_suite = { .name = "contains", .test_cases = contains_cases };

static struct kunit_case lock_cases[] = { KUNIT_CASE(inner_returns_holding_lock), {} };
static struct kunit_suite lock_suite = { .name = "held_lock", .test_cases = lock_cases };

static struct kunit_suite empty_suite = { .name = "empty", .test_cases = no_cases };

/* Run the given suites with glob; the log lands in inner_log. */
static bool run_inner(const struct kunit_suite **list, size_t n, const char *glob,
		      struct kunit_totals *tot)
{
	bool ok;

	reached = 0;
	printk_capture_start_quiet(inner_log, sizeof(inner_log));
	ok = kunit_run_suites(list, n, glob, tot);
	printk_capture_stop();
	return ok;
}

static bool logged(const char *s)
{
	return strstr(inner_log, s) != NULL;
}

static void failing_expect_gives_not_ok_and_fails_the_run(struct kunit *test)
{
	const struct kunit_suite *list[] = { &verdict_suite };
	struct kunit_totals tot;

	KUNIT_EXPECT_FALSE(test, run_inner(list, 1, "*", &tot));
	KUNIT_EXPECT_TRUE(test, logged("    not ok 1 inner_expect_fails\n"));
	KUNIT_EXPECT_TRUE(test, logged("not ok 1 verdicts\n"));
	KUNIT_EXPECT_TRUE(test, reached & (1u << 2));
	KUNIT_EXPECT_EQ(test, tot.failed, 3u);	/* expect, assert, irqs-off assert */
	KUNIT_EXPECT_EQ(test, tot.skipped, 2u);
	KUNIT_EXPECT_EQ(test, tot.passed, 1u);
	KUNIT_EXPECT_TRUE(test, logged("# Totals: pass:1 fail:3 skip:2 total:6"));
}

static void assert_in_a_helper_ends_the_case(struct kunit *test)
{
	const struct kunit_suite *list[] = { &verdict_suite };

	run_inner(list, 1, "*", NULL);
	KUNIT_EXPECT_TRUE(test, logged("    not ok 2 inner_assert_in_helper\n"));
	KUNIT_EXPECT_FALSE(test, reached & (1u << 0));
	KUNIT_EXPECT_FALSE(test, reached & (1u << 3));
	KUNIT_EXPECT_TRUE(test, reached & (1u << 5));	/* the next case ran */
}

static void assert_with_irqs_off_returns_instead(struct kunit *test)
{
	const struct kunit_suite *list[] = { &verdict_suite };

	run_inner(list, 1, "*", NULL);
	KUNIT_EXPECT_TRUE(test, logged("    not ok 5 inner_assert_with_irqs_off\n"));
	KUNIT_EXPECT_TRUE(test, reached & (1u << 6));
	KUNIT_EXPECT_TRUE(test, arch_irqs_enabled());
}

static void skip_in_a_helper_counts_as_skip(struct kunit *test)
{
	const struct kunit_suite *list[] = { &verdict_suite };

	run_inner(list, 1, "*", NULL);
	KUNIT_EXPECT_TRUE(test, logged("    ok 3 inner_skip_in_helper # SKIP no such device\n"));
	KUNIT_EXPECT_FALSE(test, reached & (1u << 1));
	KUNIT_EXPECT_FALSE(test, reached & (1u << 4));
	/* The edu_lazy_window bug: a helper that skips and returns false. */
	KUNIT_EXPECT_TRUE(test, logged("    ok 6 inner_value_helper_skips # SKIP no edu device\n"));
	KUNIT_EXPECT_FALSE(test, reached & (1u << 7));
}

/* kunit.filter=speed>slow: a KUNIT_CASE_SLOW is reported skipped, with a
 * reason the harness recognises, and does not run; without the filter it
 * runs. An unknown filter is refused and changes nothing. */
static void filter_skips_slow_cases_and_says_so(struct kunit *test)
{
	const struct kunit_suite *list[] = { &speed_suite };
	char was[16];
	struct kunit_totals tot;

	strlcpy(was, kunit_filter(), sizeof(was));
	KUNIT_ASSERT_EQ(test, kunit_set_filter("speed>slow"), 0);
	KUNIT_EXPECT_TRUE(test, run_inner(list, 1, "*", &tot));
	KUNIT_EXPECT_TRUE(test, logged("    ok 2 inner_slow_case # SKIP filtered out (speed>slow)\n"));
	KUNIT_EXPECT_FALSE(test, reached & (1u << 8));
	KUNIT_EXPECT_EQ(test, tot.passed, 1u);
	KUNIT_EXPECT_EQ(test, tot.skipped, 1u);
	printk_capture_start_quiet(inner_log, sizeof(inner_log));
	KUNIT_EXPECT_EQ(test, kunit_set_filter("speed>fast"), -1);
	printk_capture_stop();
	KUNIT_EXPECT_TRUE(test, logged("kunit.filter 'speed>fast' is not understood"));
	KUNIT_EXPECT_STREQ(test, kunit_filter(), "speed>slow");

	KUNIT_ASSERT_EQ(test, kunit_set_filter(""), 0);
	KUNIT_EXPECT_TRUE(test, run_inner(list, 1, "*", &tot));
	KUNIT_EXPECT_TRUE(test, logged("    ok 2 inner_slow_case\n"));
	KUNIT_EXPECT_TRUE(test, reached & (1u << 8));
	KUNIT_EXPECT_EQ(test, tot.passed, 2u);
	KUNIT_EXPECT_EQ(test, kunit_set_filter(was), 0);
}

static void exit_hook_failure_counts(struct kunit *test)
{
	const struct kunit_suite *list[] = { &exit_suite };
	struct kunit_totals tot;

	KUNIT_EXPECT_FALSE(test, run_inner(list, 1, "*", &tot));
	KUNIT_EXPECT_TRUE(test, logged("    not ok 1 inner_passes\n"));
	KUNIT_EXPECT_EQ(test, tot.failed, 1u);
}

static void unmatched_glob_fails(struct kunit *test)
{
	const struct kunit_suite *list[] = { &exit_suite };
	struct kunit_totals tot;

	KUNIT_EXPECT_FALSE(test, run_inner(list, 1, "nosuch*", &tot));
	KUNIT_EXPECT_TRUE(test, logged("# no suite matches 'nosuch*'"));
	KUNIT_EXPECT_EQ(test, tot.suites, 0u);
}

static void suite_without_cases_fails(struct kunit *test)
{
	const struct kunit_suite *list[] = { &empty_suite };

	KUNIT_EXPECT_FALSE(test, run_inner(list, 1, "*", NULL));
	KUNIT_EXPECT_TRUE(test, logged("not ok 1 empty\n"));
}

static void reports_must_match_what_the_case_declared(struct kunit *test)
{
	const struct kunit_suite *list[] = { &report_suite };

	kunit_expect_reports(test, DIAG_WARN, 3);	/* the inner cases' */
	run_inner(list, 1, "*", NULL);
	KUNIT_EXPECT_TRUE(test, logged("    not ok 1 inner_warns_undeclared\n"));
	KUNIT_EXPECT_TRUE(test, logged("1 warn report(s) during the case, 0 declared"));
	KUNIT_EXPECT_TRUE(test, logged("    ok 2 inner_warns_declared\n"));
	KUNIT_EXPECT_TRUE(test, logged("    not ok 3 inner_declares_more_than_seen\n"));
	KUNIT_EXPECT_TRUE(test, logged("1 warn report(s) during the case, 2 declared"));
}

static void case_ending_with_a_lock_held_fails(struct kunit *test)
{
	const struct kunit_suite *list[] = { &lock_suite };

	KUNIT_EXPECT_FALSE(test, run_inner(list, 1, "*", NULL));
	KUNIT_EXPECT_TRUE(test, logged("    not ok 1 inner_returns_holding_lock\n"));
	KUNIT_EXPECT_TRUE(test, logged("(a lock left held"));
	/* The runner restored the count, so this case ends balanced. */
}

static void contains_failure_shows_needle_and_haystack(struct kunit *test)
{
	const struct kunit_suite *list[] = { &contains_suite };
	struct kunit_totals tot;
	char want[200];

	KUNIT_EXPECT_FALSE(test, run_inner(list, 1, "*", &tot));
	KUNIT_EXPECT_EQ(test, tot.passed, 1u);
	KUNIT_EXPECT_EQ(test, tot.failed, 5u);
	KUNIT_EXPECT_TRUE(test, reached & (1u << 8));
	KUNIT_EXPECT_TRUE(test, reached & (1u << 9));
	KUNIT_EXPECT_FALSE(test, reached & (1u << 10));

	KUNIT_EXPECT_TRUE(test, logged("# inner_contains_fails: Expected two_lines to contain \"third\", but\n"));
	KUNIT_EXPECT_TRUE(test, logged("# inner_contains_fails:     \"third\" == \"third\"\n"));
	KUNIT_EXPECT_TRUE(test, logged("# inner_contains_fails:     two_lines == (22 bytes):\n"));
	KUNIT_EXPECT_TRUE(test, logged("# inner_contains_fails:     | first line\n"));
	KUNIT_EXPECT_TRUE(test, logged("# inner_contains_fails:     | second line\n"));
	KUNIT_EXPECT_TRUE(test, logged("# inner_not_contains_fails: Expected two_lines not to contain \"second\", but\n"));
	KUNIT_EXPECT_TRUE(test, logged("# inner_null_contains_nothing:     none == (null)\n"));
	KUNIT_EXPECT_TRUE(test, logged("# inner_assert_contains_ends: ASSERTION FAILED at "));

	/* a line longer than one diagnostic line goes out in pieces */
	ksnprintf(want, sizeof(want), "# inner_long_line_is_cut:     | %.160s\n", long_line);
	KUNIT_EXPECT_TRUE(test, logged(want));
	KUNIT_EXPECT_TRUE(test, logged("# inner_long_line_is_cut:     | xxxxxxxxxxEND\n"));
}

static void captured_reports_are_counted_where_they_happen(struct kunit *test)
{
	const struct kunit_suite *list[] = { &capture_suite };
	struct kunit_totals tot;
	static char buf[512];

	kunit_expect_reports(test, DIAG_WARN, 3);	/* the inner cases' */
	KUNIT_EXPECT_FALSE(test, run_inner(list, 1, "*", &tot));
	KUNIT_EXPECT_TRUE(test, logged("    ok 1 inner_capture_counts_reports\n"));
	KUNIT_EXPECT_TRUE(test, reached & (1u << 11));
	KUNIT_EXPECT_TRUE(test, logged("    not ok 2 inner_capture_count_differs\n"));
	KUNIT_EXPECT_TRUE(test, logged("# inner_capture_count_differs: Expected 2 warn report(s) during the capture, but 1 came\n"));
	KUNIT_EXPECT_TRUE(test, logged("    ok 3 inner_report_before_capture_not_counted\n"));
	KUNIT_EXPECT_EQ(test, tot.failed, 1u);

	/* with a buffer: the report's text, and the capture ends */
	kunit_capture_start(test, buf, sizeof(buf));
	WARN_ON(test == NULL);
	WARN_ON(true);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 1);
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "WARNING");	/* the host's words differ */
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "kunit_test.c:");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, buf, "test == NULL");
	KUNIT_EXPECT_PTR_NE(test, printk_capture_buffer(), buf);
}

static struct kunit_case kunit_cases[] = {
	KUNIT_CASE(suites_are_sorted_by_name),
	KUNIT_CASE(duplicate_names_are_refused),
	KUNIT_CASE(empty_list_is_fine),
	KUNIT_CASE(expectations_are_looked_up_by_key),
	KUNIT_CASE(failing_expect_gives_not_ok_and_fails_the_run),
	KUNIT_CASE(assert_in_a_helper_ends_the_case),
	KUNIT_CASE(skip_in_a_helper_counts_as_skip),
	KUNIT_CASE(assert_with_irqs_off_returns_instead),
	KUNIT_CASE(exit_hook_failure_counts),
	KUNIT_CASE(filter_skips_slow_cases_and_says_so),
	KUNIT_CASE(unmatched_glob_fails),
	KUNIT_CASE(suite_without_cases_fails),
	KUNIT_CASE(reports_must_match_what_the_case_declared),
	KUNIT_CASE(case_ending_with_a_lock_held_fails),
	KUNIT_CASE(contains_failure_shows_needle_and_haystack),
	KUNIT_CASE(captured_reports_are_counted_where_they_happen),
	{}
};

static struct kunit_suite kunit_suite = {
	.name = "kunit",
	.test_cases = kunit_cases,
};
kunit_test_suite(kunit_suite);
