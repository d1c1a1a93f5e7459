/*
 * kernel/kunit.h - unit tests that report KTAP v1.
 *
 * The names and output follow Linux's KUnit, so what a student learns here
 * carries over. One test source serves two runners: the same suite links
 * into the kernel (selected with `test=GLOB` on the command line or the
 * console's `test GLOB`) and into the host test binary (build/host/unit,
 * run under AddressSanitizer and UBSan).
 *
 *	static void add_then_find(struct kunit *test)
 *	{
 *		KUNIT_EXPECT_EQ(test, 2 + 2, 4);
 *	}
 *	static struct kunit_case example_cases[] = {
 *		KUNIT_CASE(add_then_find),
 *		{}
 *	};
 *	static struct kunit_suite example_suite = {
 *		.name = "example",
 *		.test_cases = example_cases,
 *	};
 *	kunit_test_suite(example_suite);
 *
 * EXPECT records a failure and carries on. ASSERT records it and ends the
 * case; kunit_skip() marks the case skipped and ends it. Both work from any
 * depth of helper functions: the runner keeps a resume point (arch_setjmp)
 * and jumps back to it, then runs the suite's exit hook as usual. So a
 * helper may assert or skip, and its caller never goes on with the setup
 * that failed. Two limits, both checked:
 *  - only the thread running the case can end it, and only with
 *    interrupts on (with them off it may be an interrupt handler); an
 *    ASSERT on another thread or CPU, in a timer callback or with
 *    interrupts off records the failure and returns from the function it
 *    is in (report results to the case and assert there);
 *  - a case must not end while holding a spinlock or with preemption off:
 *    the runner reports that as a failure (the lock stays held).
 *
 * Reports of the kernel's debug checks (WARN_ON, bad page state, slab and
 * DMA-API debugging, the lock debugger; kernel/lib/diag.h) fail the case
 * that caused them. A case that provokes them on purpose declares how many
 * with kunit_expect_reports(); the count must then match exactly.
 *
 * Each case gets a fresh `struct kunit`; test->seed is the seed for any
 * randomness in the case (printed, and settable with `kunit.seed=N`, so a
 * failing random run replays).
 */
#ifndef KERNEL_KUNIT_H
#define KERNEL_KUNIT_H

#include "kernel/types.h"
#include "kernel/lib/diag.h"
#include <arch/setjmp.h>

struct kunit {
	const char *name;	/* the running case */
	bool failed;
	bool skipped;
	char skip_reason[64];
	uint64_t seed;		/* for randomised tests: replay with kunit.seed= */
	void *priv;		/* for the suite's init/exit */

	/* The runner's own (set before the case starts). */
	struct arch_jmp_buf *resume;	/* where ASSERT and skip jump to */
	const void *owner;		/* the thread running the case */
	unsigned long expected_reports[NR_DIAG_KINDS];
	unsigned long capture_from[NR_DIAG_KINDS];	/* kunit_capture_start */
	bool capturing;
};

/*
 * How long a case takes, as Linux's KUnit attribute `speed`. A slow case
 * (seconds under TCG: it sleeps through timer periods, or fills memory)
 * is declared with KUNIT_CASE_SLOW; `kunit.filter=speed>slow` on the
 * command line then skips it (see kunit_set_filter). The test harness
 * runs slow cases in each architecture's base configurations and filters
 * them in the ones that exist for a boot path or a device
 * (docs/testing.md, "Slow cases").
 */
enum kunit_speed {
	KUNIT_SPEED_NORMAL = 0,	/* the default: a case that does not say */
	KUNIT_SPEED_SLOW,
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	enum kunit_speed speed;
};

struct kunit_suite {
	const char *name;
	int (*suite_init)(void);		/* optional, once before the cases */
	void (*suite_exit)(void);		/* optional, once after */
	int (*init)(struct kunit *test);	/* optional, before each case */
	void (*exit)(struct kunit *test);	/* optional, after each case */
	struct kunit_case *test_cases;		/* ends with an empty entry */
};

#define KUNIT_CASE(fn) { .run_case = fn, .name = #fn }
#define KUNIT_CASE_SLOW(fn) \
	{ .run_case = fn, .name = #fn, .speed = KUNIT_SPEED_SLOW }

/* Registers a suite in the `kunit_suites` linker section. */
#define kunit_test_suite(s) \
	static const struct kunit_suite *const __kunit_ptr_##s \
	__used __section("kunit_suites") __aligned(sizeof(void *)) = &(s)

struct kunit_totals {
	unsigned int suites, passed, failed, skipped;
	unsigned long unexpected_reports;	/* since boot, see kernel/lib/diag.h */
};

/*
 * Run every suite whose name matches glob, in name order, printing KTAP v1
 * and, last, two summary lines:
 *	# Totals: pass:P fail:F skip:S total:T
 *	# Reports: warn:0 bad_page:0 slab:0 dma_api:0 lockdep:0 unexpected:0
 * (report counts since boot; "unexpected" are those no case declared).
 * Returns false if any case failed, if the glob matched no suite, if a
 * selected suite has no cases, if there was an unexpected report, or if
 * registration is broken (duplicate names); true otherwise. Totals are
 * optional.
 */
bool kunit_run_all(const char *glob, struct kunit_totals *totals);

/*
 * The same over a given array of suites (sorted here; duplicates refused),
 * for the runner's own tests.
 */
bool kunit_run_suites(const struct kunit_suite **suites, size_t n,
		      const char *glob, struct kunit_totals *totals);

/*
 * Declare that this case provokes n more reports of one kind (on top of
 * any declared before). At the end of the case the number seen must equal
 * the number declared, kind by kind.
 */
void kunit_expect_reports(struct kunit *test, enum diag_kind kind, unsigned long n);

/*
 * A case that provokes a debug report on purpose and checks what it said:
 *
 *	kunit_capture_start(test, buf, sizeof(buf));
 *	kfree(p); kfree(p);				// the misuse
 *	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_SLAB, 1);
 *	KUNIT_EXPECT_STR_CONTAINS(test, buf, "double free");
 *
 * kunit_capture_start() notes every report counter and captures what
 * printk prints into buf (cleared first; the console still shows it; buf
 * NULL: count only). KUNIT_EXPECT_CAPTURED_REPORTS() stops the capture,
 * declares n reports of kind for the case (kunit_expect_reports) and
 * expects exactly n of them since the start, so each report is pinned to
 * the call that made it. kunit_capture_stop() stops and returns that
 * count without checking. One capture at a time: printk has one buffer.
 */
void kunit_capture_start(struct kunit *test, char *buf, size_t size);
unsigned long kunit_capture_stop(struct kunit *test, enum diag_kind kind);
#define KUNIT_EXPECT_CAPTURED_REPORTS(t, kind, n) do { \
	unsigned long __want = (n); \
	unsigned long __seen = kunit_capture_stop(t, kind); \
	kunit_expect_reports(t, kind, __want); \
	if (__seen != __want) \
		kunit_fail_at(t, __FILE__, __LINE__, false, \
			      "Expected %lu %s report(s) during the capture, " \
			      "but %lu came", __want, diag_name(kind), __seen); \
} while (0)

/*
 * Sort suites by name in place; returns n, or -1 (printed) if two share a
 * name. The runner applies it to the registered suites before every run.
 */
int kunit_sort_suites(const struct kunit_suite **suites, size_t n);

/* Print the registered suites (the console's `test` with no argument). */
void kunit_list(void);

/* Seed for the next run (0: take one from the clock). */
void kunit_set_seed(uint64_t seed);

/*
 * Which cases run, by attribute, as Linux's `kunit.filter`. The one filter
 * understood is "speed>slow": only cases faster than slow run. "" clears
 * it. A case the filter leaves out is reported as skipped, with the
 * reason "filtered out (speed>slow)", not left out of the KTAP as Linux
 * does by default: the totals then still count it, and the harness can
 * tell it from a case that skipped for want of hardware. Returns -1
 * (printed) for a filter it does not understand.
 */
int kunit_set_filter(const char *filter);
const char *kunit_filter(void);		/* the one in force ("" for none) */

/*
 * What the harness promises about the machine under test, so that a case
 * checks the hardware its configuration exists for rather than whatever
 * the driver happened to detect. tools/run-tests passes them on the
 * command line as `kunit.expect=KEY:VALUE,KEY:VALUE` (the host runner:
 * `--expect KEY:VALUE,...`); keys are dotted names such as
 * `vtd.levels:4` or `smmu.ril:1`, listed in docs/testing.md.
 *
 * kunit_expectation() returns the value given for key (a pointer into a
 * static copy, valid until the next kunit_set_expectations), or NULL when
 * the harness said nothing about it; a case then tests what it can and
 * must not assume either way. kunit_expectation_u64() parses the value as
 * a number; false when absent or not a number.
 */
int kunit_set_expectations(const char *list);	/* -1 (printed) if malformed */
const char *kunit_expectation(const char *key);
const char *kunit_expectations(void);	/* the whole list, to save and restore */
bool kunit_expectation_u64(const char *key, uint64_t *out);

/* ---- what the macros call ---- */
void kunit_fail_at(struct kunit *test, const char *file, int line,
		   bool is_assert, const char *fmt, ...) __printf(5, 6);
void kunit_info(struct kunit *test, const char *fmt, ...) __printf(2, 3);
void kunit_binary_fail(struct kunit *test, const char *file, int line,
		       bool is_assert, const char *left_text, const char *op,
		       const char *right_text, long long left,
		       long long right);
void kunit_str_fail(struct kunit *test, const char *file, int line,
		    bool is_assert, const char *left_text, const char *op,
		    const char *right_text, const char *left,
		    const char *right);
/* Mark the case skipped and end it (kunit_end_case); a helper that must
 * return a value calls this and returns, for the cases where it cannot
 * end the case (another thread). */
void kunit_do_skip(struct kunit *test, const char *fmt, ...) __printf(2, 3);
/* End the case now if called on the case's own thread; else return. */
void kunit_end_case(struct kunit *test);

#define __KUNIT_BINARY(test, is_assert, left, op, right) ({ \
	__typeof__(left) __l = (left); \
	__typeof__(right) __r = (right); \
	bool __ok = (__l op __r); \
	if (!__ok) \
		kunit_binary_fail(test, __FILE__, __LINE__, is_assert, \
				  #left, #op, #right, \
				  (long long)__l, (long long)__r); \
	__ok; \
})

#define __KUNIT_PTR(test, is_assert, left, op, right) ({ \
	const void *__l = (left); \
	const void *__r = (right); \
	bool __ok = (__l op __r); \
	if (!__ok) \
		kunit_binary_fail(test, __FILE__, __LINE__, is_assert, \
				  #left, #op, #right, \
				  (long long)(uintptr_t)__l, \
				  (long long)(uintptr_t)__r); \
	__ok; \
})

#define __KUNIT_TRUE(test, is_assert, cond, want, text) ({ \
	bool __ok = (!!(cond)) == (want); \
	if (!__ok) \
		kunit_fail_at(test, __FILE__, __LINE__, is_assert, \
			      "Expected %s to be %s", text, \
			      (want) ? "true" : "false"); \
	__ok; \
})

#define __KUNIT_STR(test, is_assert, left, op, right) ({ \
	const char *__l = (left); \
	const char *__r = (right); \
	bool __ok = (__kunit_strcmp(__l, __r) op 0); \
	if (!__ok) \
		kunit_str_fail(test, __FILE__, __LINE__, is_assert, \
			       #left, #op, #right, __l, __r); \
	__ok; \
})
int __kunit_strcmp(const char *a, const char *b);	/* NULL-safe */

/* On failure: the needle, and the whole haystack line by line. */
#define __KUNIT_STR_CONTAINS(test, is_assert, hay, needle, want) ({ \
	const char *__h = (hay); \
	const char *__n = (needle); \
	bool __ok = __kunit_str_contains(__h, __n) == (want); \
	if (!__ok) \
		kunit_contains_fail(test, __FILE__, __LINE__, is_assert, \
				    want, #hay, #needle, __h, __n); \
	__ok; \
})
bool __kunit_str_contains(const char *hay, const char *needle);	/* NULL: no */
void kunit_contains_fail(struct kunit *test, const char *file, int line,
			 bool is_assert, bool want, const char *hay_text,
			 const char *needle_text, const char *hay,
			 const char *needle);

#define KUNIT_EXPECT_TRUE(t, c)		((void)__KUNIT_TRUE(t, false, c, true, #c))
#define KUNIT_EXPECT_FALSE(t, c)	((void)__KUNIT_TRUE(t, false, c, false, #c))
#define KUNIT_EXPECT_EQ(t, a, b)	((void)__KUNIT_BINARY(t, false, a, ==, b))
#define KUNIT_EXPECT_NE(t, a, b)	((void)__KUNIT_BINARY(t, false, a, !=, b))
#define KUNIT_EXPECT_LT(t, a, b)	((void)__KUNIT_BINARY(t, false, a, <, b))
#define KUNIT_EXPECT_LE(t, a, b)	((void)__KUNIT_BINARY(t, false, a, <=, b))
#define KUNIT_EXPECT_GT(t, a, b)	((void)__KUNIT_BINARY(t, false, a, >, b))
#define KUNIT_EXPECT_GE(t, a, b)	((void)__KUNIT_BINARY(t, false, a, >=, b))
#define KUNIT_EXPECT_PTR_EQ(t, a, b)	((void)__KUNIT_PTR(t, false, a, ==, b))
#define KUNIT_EXPECT_PTR_NE(t, a, b)	((void)__KUNIT_PTR(t, false, a, !=, b))
#define KUNIT_EXPECT_NULL(t, p)		((void)__KUNIT_PTR(t, false, p, ==, NULL))
#define KUNIT_EXPECT_NOT_NULL(t, p)	((void)__KUNIT_PTR(t, false, p, !=, NULL))
#define KUNIT_EXPECT_STREQ(t, a, b)	((void)__KUNIT_STR(t, false, a, ==, b))
#define KUNIT_EXPECT_STRNEQ(t, a, b)	((void)__KUNIT_STR(t, false, a, !=, b))
/* hay (a message, a captured report) has needle somewhere in it, or not. */
#define KUNIT_EXPECT_STR_CONTAINS(t, hay, needle) \
	((void)__KUNIT_STR_CONTAINS(t, false, hay, needle, true))
#define KUNIT_EXPECT_STR_NOT_CONTAINS(t, hay, needle) \
	((void)__KUNIT_STR_CONTAINS(t, false, hay, needle, false))

/* On another thread kunit_end_case() returns; the helper then returns. */
#define __KUNIT_ASSERT(t, check) do { \
	if (!(check)) { \
		kunit_end_case(t); \
		return; \
	} \
} while (0)
#define KUNIT_ASSERT_TRUE(t, c)		__KUNIT_ASSERT(t, __KUNIT_TRUE(t, true, c, true, #c))
#define KUNIT_ASSERT_FALSE(t, c)	__KUNIT_ASSERT(t, __KUNIT_TRUE(t, true, c, false, #c))
#define KUNIT_ASSERT_EQ(t, a, b)	__KUNIT_ASSERT(t, __KUNIT_BINARY(t, true, a, ==, b))
#define KUNIT_ASSERT_NE(t, a, b)	__KUNIT_ASSERT(t, __KUNIT_BINARY(t, true, a, !=, b))
#define KUNIT_ASSERT_LT(t, a, b)	__KUNIT_ASSERT(t, __KUNIT_BINARY(t, true, a, <, b))
#define KUNIT_ASSERT_LE(t, a, b)	__KUNIT_ASSERT(t, __KUNIT_BINARY(t, true, a, <=, b))
#define KUNIT_ASSERT_GT(t, a, b)	__KUNIT_ASSERT(t, __KUNIT_BINARY(t, true, a, >, b))
#define KUNIT_ASSERT_GE(t, a, b)	__KUNIT_ASSERT(t, __KUNIT_BINARY(t, true, a, >=, b))
#define KUNIT_ASSERT_PTR_EQ(t, a, b)	__KUNIT_ASSERT(t, __KUNIT_PTR(t, true, a, ==, b))
#define KUNIT_ASSERT_NULL(t, p)		__KUNIT_ASSERT(t, __KUNIT_PTR(t, true, p, ==, NULL))
#define KUNIT_ASSERT_NOT_NULL(t, p)	__KUNIT_ASSERT(t, __KUNIT_PTR(t, true, p, !=, NULL))
#define KUNIT_ASSERT_STREQ(t, a, b)	__KUNIT_ASSERT(t, __KUNIT_STR(t, true, a, ==, b))
#define KUNIT_ASSERT_STR_CONTAINS(t, hay, needle) \
	__KUNIT_ASSERT(t, __KUNIT_STR_CONTAINS(t, true, hay, needle, true))

#define KUNIT_FAIL(t, fmt, ...) \
	kunit_fail_at(t, __FILE__, __LINE__, false, fmt, ##__VA_ARGS__)

/* Mark the case skipped (not failed) and end it (see the top). */
#define kunit_skip(t, fmt, ...) do { \
	kunit_do_skip(t, fmt, ##__VA_ARGS__); \
	return; \
} while (0)

#endif
