/*
 * kernel/kunit.c - the test runner: finds the suites the linker gathered in
 * the `kunit_suites` section, sorts them by name, refuses duplicates, runs
 * the ones matching a glob and prints KTAP v1 as Linux's KUnit does.
 * Portable: the same file runs the suites on the host.
 *
 * A case runs under a resume point: ASSERT and skip jump back to it from
 * any depth (kunit_end_case). Around each case the runner snapshots the
 * debug-report counters (kernel/lib/diag.h) and the thread's preemption
 * count and held locks, and fails the case if they differ from what the
 * case declared or started with.
 */
#include "kernel/kunit.h"
#include "kernel/cmdline.h"
#include "kernel/fault.h"
#include "kernel/thread.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include <arch/cpu.h>
#include <arch/machine.h>

extern const struct kunit_suite *const __start_kunit_suites[];
extern const struct kunit_suite *const __stop_kunit_suites[];

#define MAX_SUITES 256

static uint64_t next_seed;

void kunit_set_seed(uint64_t seed)
{
	next_seed = seed;
}

/* kunit.filter: the slowest speed a case may have and still run. */
static enum kunit_speed max_speed = KUNIT_SPEED_SLOW;

int kunit_set_filter(const char *filter)
{
	if (!filter)
		return -1;	/* a bare "kunit.filter": malformed */
	if (!filter[0]) {
		max_speed = KUNIT_SPEED_SLOW;
		return 0;
	}
	if (!strcmp(filter, "speed>slow")) {
		max_speed = KUNIT_SPEED_NORMAL;
		return 0;
	}
	printk(KERN_ERR "kunit: kunit.filter '%s' is not understood (the one filter: speed>slow)\n",
	       filter);
	return -1;
}

const char *kunit_filter(void)
{
	return max_speed == KUNIT_SPEED_NORMAL ? "speed>slow" : "";
}

static int set_filter(const char *v)
{
	return kunit_set_filter(v);
}
KERNEL_PARAM("kunit.filter", set_filter,
	     "speed>slow: skip the cases declared KUNIT_CASE_SLOW");

/* kunit.expect=KEY:VALUE,... kept as given; looked up by key on demand. */
static char expectations[256];

int kunit_set_expectations(const char *list)
{
	expectations[0] = '\0';
	if (!list || !*list)
		return 0;
	if (strlen(list) >= sizeof(expectations)) {
		printk(KERN_ERR "kunit: kunit.expect= is longer than %zu characters\n",
		       sizeof(expectations) - 1);
		return -1;
	}
	/* Every item must be KEY:VALUE with a non-empty key and value. */
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		const char *colon = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (!colon || colon >= p + len || colon == p || colon + 1 == p + len) {
			printk(KERN_ERR "kunit: kunit.expect item '%.*s' is not KEY:VALUE\n",
			       (int)len, p);
			return -1;
		}
		p += len + (end ? 1 : 0);
	}
	strlcpy(expectations, list, sizeof(expectations));
	return 0;
}

const char *kunit_expectations(void)
{
	return expectations;
}

const char *kunit_expectation(const char *key)
{
	static char value[64];
	size_t klen = strlen(key);

	for (const char *p = expectations; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == ':') {
			size_t vlen = len - klen - 1;

			if (vlen >= sizeof(value))
				vlen = sizeof(value) - 1;
			memcpy(value, p + klen + 1, vlen);
			value[vlen] = '\0';
			return value;
		}
		p += len + (end ? 1 : 0);
	}
	return NULL;
}

bool kunit_expectation_u64(const char *key, uint64_t *out)
{
	const char *v = kunit_expectation(key);

	return v && parse_u64(v, out, false);
}

static int set_expect(const char *v)
{
	return kunit_set_expectations(v);
}
KERNEL_PARAM("kunit.expect", set_expect,
	     "KEY:VALUE,...: what the test harness promises about this machine");

int __kunit_strcmp(const char *a, const char *b)
{
	if (!a || !b)
		return a == b ? 0 : (a ? 1 : -1);
	return strcmp(a, b);
}

static int by_name(const void *a, const void *b)
{
	const struct kunit_suite *x = *(const struct kunit_suite *const *)a;
	const struct kunit_suite *y = *(const struct kunit_suite *const *)b;

	return strcmp(x->name, y->name);
}

int kunit_sort_suites(const struct kunit_suite **suites, size_t n)
{
	sort(suites, n, sizeof(suites[0]), by_name);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(suites[i - 1]->name, suites[i]->name) == 0) {
			printk(KERN_ERR "kunit: two suites are named '%s'; "
			       "names must be unique\n", suites[i]->name);
			return -1;
		}
	}
	return (int)n;
}

/* Fill `out` with the registered suites in name order; -1 on duplicates. */
static int sorted_suites(const struct kunit_suite **out, size_t max)
{
	size_t n = 0;

	for (const struct kunit_suite *const *p = __start_kunit_suites;
	     p < __stop_kunit_suites; p++) {
		if (n == max) {
			printk(KERN_ERR "kunit: more than %zu suites\n", max);
			return -1;
		}
		out[n++] = *p;
	}
	return kunit_sort_suites(out, n);
}

void kunit_list(void)
{
	static const struct kunit_suite *suites[MAX_SUITES];
	int n = sorted_suites(suites, MAX_SUITES);

	for (int i = 0; i < n; i++) {
		int cases = 0;

		for (const struct kunit_case *c = suites[i]->test_cases; c->run_case; c++)
			cases++;
		printk("  %-24s %d case%s\n", suites[i]->name, cases,
		       cases == 1 ? "" : "s");
	}
}

static void vtest_line(struct kunit *test, const char *fmt, va_list ap)
{
	char msg[256];

	kvsnprintf(msg, sizeof(msg), fmt, ap);
	/* Multi-line messages keep the KTAP diagnostic prefix on each line. */
	char *line = msg;

	for (;;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		printk("        # %s: %s\n", test->name, line);
		if (!nl || !nl[1])
			break;
		line = nl + 1;
	}
}

void kunit_info(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtest_line(test, fmt, ap);
	va_end(ap);
}

void kunit_fail_at(struct kunit *test, const char *file, int line,
		   bool is_assert, const char *fmt, ...)
{
	va_list ap;

	test->failed = true;
	kunit_info(test, "%s FAILED at %s:%d", is_assert ? "ASSERTION" :
		   "EXPECTATION", file, line);
	va_start(ap, fmt);
	vtest_line(test, fmt, ap);
	va_end(ap);
}

void kunit_binary_fail(struct kunit *test, const char *file, int line,
		       bool is_assert, const char *left_text, const char *op,
		       const char *right_text, long long left, long long right)
{
	kunit_fail_at(test, file, line, is_assert,
		      "Expected %s %s %s, but\n    %s == %lld (0x%llx)\n"
		      "    %s == %lld (0x%llx)", left_text, op, right_text,
		      left_text, left, (unsigned long long)left,
		      right_text, right, (unsigned long long)right);
}

void kunit_str_fail(struct kunit *test, const char *file, int line,
		    bool is_assert, const char *left_text, const char *op,
		    const char *right_text, const char *left, const char *right)
{
	kunit_fail_at(test, file, line, is_assert,
		      "Expected %s %s %s, but\n    %s == \"%s\"\n    %s == \"%s\"",
		      left_text, op, right_text, left_text, left ? left : "(null)",
		      right_text, right ? right : "(null)");
}

void kunit_capture_start(struct kunit *test, char *buf, size_t size)
{
	for (int k = 0; k < NR_DIAG_KINDS; k++)
		test->capture_from[k] = diag_count((enum diag_kind)k);
	test->capturing = buf && size;
	if (test->capturing)
		printk_capture_start(buf, size);
}

unsigned long kunit_capture_stop(struct kunit *test, enum diag_kind kind)
{
	if (test->capturing)
		printk_capture_stop();
	test->capturing = false;
	return diag_count(kind) - test->capture_from[kind];
}

bool __kunit_str_contains(const char *hay, const char *needle)
{
	return hay && needle && strstr(hay, needle);
}

/* Longest piece of a haystack line printed as one diagnostic line. */
#define HAY_PIECE	160

void kunit_contains_fail(struct kunit *test, const char *file, int line,
			 bool is_assert, bool want, const char *hay_text,
			 const char *needle_text, const char *hay,
			 const char *needle)
{
	const char *p, *end;

	kunit_fail_at(test, file, line, is_assert,
		      "Expected %s %s %s, but\n    %s == \"%s\"", hay_text,
		      want ? "to contain" : "not to contain", needle_text,
		      needle_text, needle ? needle : "(null)");
	if (!hay) {
		kunit_info(test, "    %s == (null)", hay_text);
		return;
	}
	/*
	 * The length is taken once: if hay is the buffer printk is still
	 * capturing into, what is printed here is not printed again.
	 */
	end = hay + strlen(hay);
	kunit_info(test, "    %s == (%lu bytes)%s", hay_text,
		   (unsigned long)(end - hay), end > hay ? ":" : "");
	for (p = hay; p < end;) {
		const char *nl = strchr(p, '\n');
		size_t n = (nl && nl < end ? nl : end) - p;

		if (n > HAY_PIECE)
			n = HAY_PIECE;
		kunit_info(test, "    | %.*s", (int)n, p);
		p += n;
		if (p < end && *p == '\n')
			p++;
	}
}

void kunit_do_skip(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	test->skipped = true;
	va_start(ap, fmt);
	kvsnprintf(test->skip_reason, sizeof(test->skip_reason), fmt, ap);
	va_end(ap);
	kunit_end_case(test);
}

void kunit_end_case(struct kunit *test)
{
	/*
	 * Jump only from the case's own thread with interrupts on: with them
	 * off this may be an interrupt handler (a timer callback) that
	 * interrupted the case, and leaving it by a jump would skip its end
	 * of interrupt. Otherwise the failure is recorded and the function
	 * that asserted returns, as plain C would.
	 */
	if (test->resume && test->owner == arch_current() && arch_irqs_enabled())
		arch_longjmp(test->resume, 1);
}

void kunit_expect_reports(struct kunit *test, enum diag_kind kind, unsigned long n)
{
	if ((unsigned int)kind < NR_DIAG_KINDS)
		test->expected_reports[kind] += n;
}

/* Reports the cases declared and saw, summed since boot: the rest are
 * unexpected (boot, kthreads after their case, more than declared). */
static unsigned long reports_absorbed;

/* Runs in progress: the runner's own tests run suites inside a case. Only
 * the outermost run judges unexpected reports, and only outermost cases
 * absorb what they declared, so nothing is counted twice. */
static int run_depth;

static unsigned long reports_total(void)
{
	unsigned long sum = 0;

	for (int k = 0; k < NR_DIAG_KINDS; k++)
		sum += diag_count(k);
	return sum;
}

/*
 * Run the case's function under a resume point. noinline keeps the
 * setjmp in a frame of its own, with nothing live across it but `test`.
 */
static __attribute__((noinline)) void run_case_body(struct kunit *test,
						    const struct kunit_case *c)
{
	struct arch_jmp_buf resume;
	/* A capture already running belongs to an outer case (the runner's
	 * own tests); only one the case started is stopped. */
	char *const outer_capture = printk_capture_buffer();

	if (arch_setjmp(&resume) != 0) {
		/* Ended early by ASSERT or skip: undo what the jump skipped. */
		test->resume = NULL;
		if (printk_capture_buffer() != outer_capture)
			printk_capture_stop();
		fault_catch_abandon();
		return;
	}
	test->resume = &resume;
	test->owner = arch_current();
	c->run_case(test);
	test->resume = NULL;
}

/* One case: init, body, exit, then the checks the runner makes itself. */
static void run_case(const struct kunit_suite *s, const struct kunit_case *c,
		     struct kunit *test)
{
	struct thread *self = arch_current();
	int preempt_before = self->preempt_count;
	unsigned int held_before = self->nr_held;
	unsigned long before[NR_DIAG_KINDS];

	for (int k = 0; k < NR_DIAG_KINDS; k++)
		before[k] = diag_count(k);
	if (s->init && s->init(test) != 0) {
		kunit_fail_at(test, __FILE__, __LINE__, true, "the suite's init failed");
		return;
	}
	run_case_body(test, c);
	if (s->exit)
		s->exit(test);

	if (self->preempt_count != preempt_before || self->nr_held != held_before) {
		kunit_fail_at(test, __FILE__, __LINE__, false,
			      "the case ended with preemption count %d and %u lock(s) "
			      "held, but started with %d and %u (a lock left held, or "
			      "an ASSERT between lock and unlock?)",
			      self->preempt_count, self->nr_held, preempt_before,
			      held_before);
		self->preempt_count = preempt_before;	/* let the run go on */
		self->nr_held = held_before;
	}
	for (int k = 0; k < NR_DIAG_KINDS; k++) {
		unsigned long seen = diag_count(k) - before[k];
		unsigned long want = test->expected_reports[k];

		if (run_depth == 1)
			reports_absorbed += seen < want ? seen : want;
		if (seen != want)
			kunit_fail_at(test, __FILE__, __LINE__, false,
				      "%lu %s report(s) during the case, %lu declared "
				      "(kunit_expect_reports)", seen, diag_name(k), want);
	}
}

/* Run one suite as a KTAP subtest; returns its result line's verdict. */
static bool run_suite(const struct kunit_suite *s, unsigned int index,
		      struct kunit_totals *tot)
{
	unsigned int ncases = 0, pass = 0, fail = 0, skip = 0;

	for (const struct kunit_case *c = s->test_cases; c->run_case; c++)
		ncases++;
	printk("    KTAP version 1\n    # Subtest: %s\n    1..%u\n", s->name, ncases);

	if (ncases == 0) {
		printk("    # %s: the suite has no cases\n", s->name);
		printk("not ok %u %s\n", index, s->name);
		tot->suites++;
		return false;
	}
	if (s->suite_init && s->suite_init() != 0) {
		printk("    # %s: suite_init failed\n", s->name);
		printk("not ok %u %s\n", index, s->name);
		tot->failed += ncases;
		return false;
	}
	unsigned int i = 0;

	for (const struct kunit_case *c = s->test_cases; c->run_case; c++) {
		struct kunit test = { .name = c->name };

		i++;
		test.seed = next_seed ? next_seed : arch_clock_ns() ^ 0x6b756e6974ULL;
		if (c->speed > max_speed) {
			test.skipped = true;
			strlcpy(test.skip_reason, "filtered out (speed>slow)",
				sizeof(test.skip_reason));
		} else {
			run_case(s, c, &test);
		}
		if (test.failed) {
			printk("        # %s: seed %llu (replay with kunit.seed=%llu)\n",
			       c->name, (unsigned long long)test.seed,
			       (unsigned long long)test.seed);
			printk("    not ok %u %s\n", i, c->name);
			fail++;
		} else if (test.skipped) {
			printk("    ok %u %s # SKIP %s\n", i, c->name, test.skip_reason);
			skip++;
		} else {
			printk("    ok %u %s\n", i, c->name);
			pass++;
		}
	}
	if (s->suite_exit)
		s->suite_exit();
	printk("# %s: pass:%u fail:%u skip:%u total:%u\n", s->name, pass, fail,
	       skip, ncases);
	printk("%s %u %s\n", fail ? "not ok" : "ok", index, s->name);
	tot->passed += pass;
	tot->failed += fail;
	tot->skipped += skip;
	tot->suites++;
	return fail == 0;
}

/* Run the suites of a sorted array that match glob (n < 0: registration
 * was refused; nothing runs and the run fails). */
static bool run_sorted(const struct kunit_suite **suites, int n,
		       const char *glob, struct kunit_totals *totals)
{
	struct kunit_totals tot = { 0 };
	unsigned int selected = 0, index = 0;
	bool ok = n >= 0;

	if (n < 0)
		n = 0;
	run_depth++;
	for (int i = 0; i < n; i++)
		if (glob_match_list(glob, suites[i]->name))
			selected++;
	printk("KTAP version 1\n1..%u\n", selected);
	for (int i = 0; i < n; i++) {
		if (!glob_match_list(glob, suites[i]->name))
			continue;
		if (!run_suite(suites[i], ++index, &tot))
			ok = false;
	}
	printk("# Totals: pass:%u fail:%u skip:%u total:%u\n", tot.passed,
	       tot.failed, tot.skipped, tot.passed + tot.failed + tot.skipped);

	unsigned long total = reports_total();

	tot.unexpected_reports = total - reports_absorbed;
	printk("# Reports:");
	for (int k = 0; k < NR_DIAG_KINDS; k++)
		printk(KERN_CONT " %s:%lu", diag_name(k), diag_count(k));
	printk(KERN_CONT " unexpected:%lu\n", tot.unexpected_reports);
	if (tot.unexpected_reports)
		printk("# %lu report(s) no case declared: see the reports above "
		       "(a case fails for its own; the rest came from outside any "
		       "case)\n", tot.unexpected_reports);
	if (selected == 0) {
		printk("# no suite matches '%s'\n", glob);
		ok = false;
	}
	if (tot.unexpected_reports && run_depth == 1)
		ok = false;
	run_depth--;
	if (totals)
		*totals = tot;
	return ok;
}

bool kunit_run_all(const char *glob, struct kunit_totals *totals)
{
	static const struct kunit_suite *suites[MAX_SUITES];

	return run_sorted(suites, sorted_suites(suites, MAX_SUITES), glob, totals);
}

bool kunit_run_suites(const struct kunit_suite **suites, size_t n,
		      const char *glob, struct kunit_totals *totals)
{
	return run_sorted(suites, kunit_sort_suites(suites, n), glob, totals);
}
