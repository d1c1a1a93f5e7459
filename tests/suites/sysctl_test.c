/*
 * tests/suites/sysctl_test.c - the tunables registry (kernel/sysctl.c) on
 * a private table: parsing against a table of inputs, a write stores the
 * value times its scale and runs the handler once, a refused one changes
 * nothing; the console command's output in sysctl(8)'s format and its
 * refusals; and the registered tables are well formed. Runs on the host
 * and in the kernel; the randomised model is tests/host/sysctl_model_test.c.
 */
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sysctl.h"

static unsigned int t_ratio, t_ms;
static unsigned long t_bytes;
static unsigned int handler_calls;
static unsigned long handler_old;

static void t_handler(const struct ctl_table *t, unsigned long old)
{
	handler_calls++;
	handler_old = old;
}

static const struct ctl_table test_sysctls[] = {
	{ .procname = "test.ratio", .data = &t_ratio, .type = CTL_UINT,
	  .min = 0, .max = 100, .unit = "%", .handler = t_handler },
	{ .procname = "test.bytes", .data = &t_bytes, .type = CTL_ULONG,
	  .min = 8192, .max = ~0UL, .unit = "bytes" },
	{ .procname = "test.a_centisecs", .data = &t_ms, .type = CTL_UINT,
	  .scale = 10, .min = 1, .max = ~0U / 10 },
};
static const struct ctl_table_header test_hdr = {
	.table = test_sysctls, .count = ARRAY_SIZE(test_sysctls),
};
static const struct ctl_table_header *const test_hdrs[] = { &test_hdr };
static const struct ctl_set test_set = {
	.first = test_hdrs, .last = test_hdrs + 1,
};

#define RATIO	(&test_sysctls[0])
#define BYTES	(&test_sysctls[1])
#define CENTI	(&test_sysctls[2])

static int sysctl_case_init(struct kunit *test)
{
	t_ratio = 20;
	t_bytes = 0;
	t_ms = 5000;
	handler_calls = 0;
	handler_old = ~0UL;
	return 0;
}

static const struct {
	int table;		/* 0 ratio, 1 bytes, 2 centisecs */
	const char *in;
	int err;
	unsigned long out;
} parse_cases[] = {
	{ 0, "0", 0, 0 },
	{ 0, "100", 0, 100 },
	{ 0, "007", 0, 7 },		/* decimal, not Linux's octal */
	{ 0, "0x1f", 0, 31 },
	{ 0, "0X1F", 0, 31 },
	{ 0, "101", -ERANGE, 0 },
	{ 0, "4294967296", -ERANGE, 0 },
	{ 0, "-1", -ERANGE, 0 },
	{ 0, "-0", -ERANGE, 0 },
	{ 0, "", -EINVAL, 0 },
	{ 0, "-", -EINVAL, 0 },
	{ 0, "0x", -EINVAL, 0 },
	{ 0, "abc", -EINVAL, 0 },
	{ 0, "12a", -EINVAL, 0 },
	{ 0, "1f", -EINVAL, 0 },
	{ 0, "+5", -EINVAL, 0 },
	{ 0, " 5", -EINVAL, 0 },
	{ 0, "5 ", -EINVAL, 0 },
	{ 0, "5=6", -EINVAL, 0 },
	{ 0, "-abc", -EINVAL, 0 },
	{ 1, "8192", 0, 8192 },
	{ 1, "8191", -ERANGE, 0 },
	{ 1, "0", -ERANGE, 0 },
	{ 1, "18446744073709551615", 0, ~0UL },
	{ 1, "0xffffffffffffffff", 0, ~0UL },
	{ 1, "18446744073709551616", -ERANGE, 0 },
	{ 1, "0x10000000000000000", -ERANGE, 0 },
	{ 1, "99999999999999999999999", -ERANGE, 0 },
	/* Overflowed, then a stray character: not a number first. */
	{ 1, "99999999999999999999999x", -EINVAL, 0 },
	{ 2, "1", 0, 1 },
	{ 2, "0", -ERANGE, 0 },
	{ 2, "429496729", 0, 429496729 },
	{ 2, "429496730", -ERANGE, 0 },
};

static void sysctl_parse_table(struct kunit *test)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		unsigned long out = 12345;
		int err = sysctl_parse(&test_sysctls[parse_cases[i].table],
				       parse_cases[i].in, &out);

		if (err != parse_cases[i].err)
			kunit_info(test, "case %u: \"%s\" gave %d", i,
				   parse_cases[i].in, err);
		KUNIT_EXPECT_EQ(test, err, parse_cases[i].err);
		KUNIT_EXPECT_EQ(test, out, parse_cases[i].err ? 12345UL :
				parse_cases[i].out);
	}
	KUNIT_EXPECT_EQ(test, sysctl_parse(RATIO, NULL, NULL), -EINVAL);
}

static void sysctl_write_stores_and_calls_handler(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sysctl_write(RATIO, "15"), 0);
	KUNIT_EXPECT_EQ(test, t_ratio, 15U);
	KUNIT_EXPECT_EQ(test, handler_calls, 1U);
	KUNIT_EXPECT_EQ(test, handler_old, 20UL);
	/* The same value is a write too (the handler decides). */
	KUNIT_EXPECT_EQ(test, sysctl_write(RATIO, "15"), 0);
	KUNIT_EXPECT_EQ(test, handler_calls, 2U);
	KUNIT_EXPECT_EQ(test, handler_old, 15UL);
	/* Refused: nothing stored, no handler. */
	KUNIT_EXPECT_EQ(test, sysctl_write(RATIO, "150"), -ERANGE);
	KUNIT_EXPECT_EQ(test, sysctl_write(RATIO, "x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, t_ratio, 15U);
	KUNIT_EXPECT_EQ(test, handler_calls, 2U);

	KUNIT_EXPECT_EQ(test, sysctl_write(BYTES, "18446744073709551615"), 0);
	KUNIT_EXPECT_EQ(test, t_bytes, ~0UL);
	KUNIT_EXPECT_EQ(test, sysctl_read(BYTES), ~0UL);

	/* Scaled: centisecs in, ms stored, centisecs read (rounded down). */
	KUNIT_EXPECT_EQ(test, sysctl_read(CENTI), 500UL);
	KUNIT_EXPECT_EQ(test, sysctl_write(CENTI, "7"), 0);
	KUNIT_EXPECT_EQ(test, t_ms, 70U);
	t_ms = 79;
	KUNIT_EXPECT_EQ(test, sysctl_read(CENTI), 7UL);
}

static void sysctl_find_by_name(struct kunit *test)
{
	KUNIT_EXPECT_PTR_EQ(test, sysctl_find(&test_set, "test.bytes"), BYTES);
	KUNIT_EXPECT_PTR_EQ(test, sysctl_find(&test_set, "test/bytes"), BYTES);
	KUNIT_EXPECT_NULL(test, sysctl_find(&test_set, "test.byte"));
	KUNIT_EXPECT_NULL(test, sysctl_find(&test_set, "test.bytess"));
	KUNIT_EXPECT_NULL(test, sysctl_find(&test_set, ""));
	KUNIT_EXPECT_NULL(test, sysctl_find(&test_set, "test.bytes "));
}

static char out[2048];

/* Run the command line (words split on spaces) on the test set,
 * capturing what it prints; its status. */
static int run(const char *line)
{
	static char words[256];
	char *argv[16];
	int argc = 0, ret;

	strlcpy(words, line, sizeof(words));
	for (char *p = words; *p && argc < 16; ) {
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
	}
	printk_capture_start_quiet(out, sizeof(out));
	ret = sysctl_command(&test_set, argc, argv);
	printk_capture_stop();
	return ret;
}

static void sysctl_command_reads_and_writes(struct kunit *test)
{
	bool stamps = printk_time;

	printk_time = false;
	/* Every tunable, by name. */
	KUNIT_EXPECT_EQ(test, run("sysctl"), 0);
	KUNIT_EXPECT_STREQ(test, out, "test.a_centisecs = 500\n"
			   "test.bytes = 0\ntest.ratio = 20\n");
	KUNIT_EXPECT_EQ(test, run("sysctl -a"), 0);
	KUNIT_EXPECT_STREQ(test, out, "test.a_centisecs = 500\n"
			   "test.bytes = 0\ntest.ratio = 20\n");
	KUNIT_EXPECT_EQ(test, run("sysctl test.ratio"), 0);
	KUNIT_EXPECT_STREQ(test, out, "test.ratio = 20\n");
	KUNIT_EXPECT_EQ(test, run("sysctl test/ratio test.bytes"), 0);
	KUNIT_EXPECT_STREQ(test, out, "test.ratio = 20\ntest.bytes = 0\n");
	/* Set, then the new value, as sysctl(8) prints it. */
	KUNIT_EXPECT_EQ(test, run("sysctl test.ratio=15"), 0);
	KUNIT_EXPECT_STREQ(test, out, "test.ratio = 15\n");
	KUNIT_EXPECT_EQ(test, t_ratio, 15U);
	KUNIT_EXPECT_EQ(test, run("sysctl -w test.ratio=0x10 test.a_centisecs=3"), 0);
	KUNIT_EXPECT_STREQ(test, out, "test.ratio = 16\ntest.a_centisecs = 3\n");
	KUNIT_EXPECT_EQ(test, t_ms, 30U);
	printk_time = stamps;
}

static void sysctl_command_refuses(struct kunit *test)
{
	bool stamps = printk_time;

	printk_time = false;
	KUNIT_EXPECT_EQ(test, run("sysctl test.ratio=101"), 1);
	KUNIT_EXPECT_STREQ(test, out, "sysctl: test.ratio: '101' is out of "
			   "range: 0..100 (%); unchanged at 20\n");
	KUNIT_EXPECT_EQ(test, run("sysctl test.ratio=ten"), 1);
	KUNIT_EXPECT_STREQ(test, out, "sysctl: test.ratio: 'ten' is not a "
			   "number: 0..100 (%); unchanged at 20\n");
	KUNIT_EXPECT_EQ(test, run("sysctl test.ratio="), 1);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "'' is not a number");
	KUNIT_EXPECT_EQ(test, run("sysctl test.bytes=18446744073709551616"), 1);
	KUNIT_EXPECT_STREQ(test, out, "sysctl: test.bytes: "
			   "'18446744073709551616' is out of range: "
			   "8192..18446744073709551615 (bytes); unchanged at 0\n");
	KUNIT_EXPECT_EQ(test, run("sysctl test.a_centisecs=0"), 1);
	KUNIT_EXPECT_STREQ(test, out, "sysctl: test.a_centisecs: '0' is out "
			   "of range: 1..429496729; unchanged at 500\n");
	KUNIT_EXPECT_EQ(test, run("sysctl test.nosuch=1"), 1);
	KUNIT_EXPECT_STREQ(test, out, "sysctl: test.nosuch: unknown key "
			   "(`sysctl -a` lists them)\n");
	KUNIT_EXPECT_EQ(test, run("sysctl test.nosuch"), 1);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "test.nosuch: unknown key");
	/* A name longer than any, cut: still unknown, never a prefix match. */
	KUNIT_EXPECT_EQ(test, run("sysctl test.ratioooooooooooooooooooooooooo"
				  "ooooooooooooooooooooooooooooooooooooooooooo"
				  "=5"), 1);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "unknown key");
	/* One refused argument does not stop the others. */
	KUNIT_EXPECT_EQ(test, run("sysctl test.ratio=200 test.bytes=8192"), 1);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "test.bytes = 8192\n");
	KUNIT_EXPECT_EQ(test, t_bytes, 8192UL);
	/* Usage. */
	KUNIT_EXPECT_EQ(test, run("sysctl -w test.ratio"), 1);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "want NAME=VALUE");
	KUNIT_EXPECT_EQ(test, run("sysctl -x"), 1);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "usage: sysctl");
	KUNIT_EXPECT_EQ(test, run("sysctl -w"), 1);
	KUNIT_EXPECT_EQ(test, run("sysctl -a test.ratio"), 1);
	KUNIT_EXPECT_EQ(test, t_ratio, 20U);
	KUNIT_EXPECT_EQ(test, t_ms, 5000U);
	KUNIT_EXPECT_EQ(test, handler_calls, 0U);
	printk_time = stamps;
}

/* sysctl_check finds each kind of malformed entry. */
static void sysctl_check_finds_bad_tables(struct kunit *test)
{
	static const struct ctl_table bad[] = {
		{ .procname = "b.min_above_max", .data = &t_ratio,
		  .type = CTL_UINT, .min = 5, .max = 4 },
		{ .procname = "b.too_big", .data = &t_ratio,
		  .type = CTL_UINT, .max = 1UL << 32 },
		{ .procname = "b.scaled_too_big", .data = &t_ratio,
		  .type = CTL_UINT, .scale = 10, .max = ~0U / 10 + 1 },
		{ .procname = "b.no_data", .type = CTL_UINT },
		{ .procname = "test.ratio", .data = &t_ratio, .type = CTL_UINT,
		  .max = 100 },
	};
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		const struct ctl_table_header h = { .table = &bad[i], .count = 1 };
		const struct ctl_table_header *const hs[] = { &test_hdr, &h };
		const struct ctl_set set = { .first = hs, .last = hs + 2 };

		KUNIT_EXPECT_PTR_EQ(test, sysctl_check(&set), &bad[i]);
	}
	KUNIT_EXPECT_NULL(test, sysctl_check(&test_set));
}

/* The registered tables: well formed, every value in its range (or 0,
 * "unset", for the _bytes whose minimum is above 0, as in Linux), and
 * the vm tunables issue 15 asks for are there. */
static void sysctl_registered_tables(struct kunit *test)
{
	static const char *const want[] = {
		"vm.dirty_ratio", "vm.dirty_background_ratio",
		"vm.dirty_bytes", "vm.dirty_background_bytes",
		"vm.dirty_writeback_centisecs", "vm.dirty_expire_centisecs",
	};
	struct ctl_set set = sysctl_registered();
	const struct ctl_table_header *const *h;

	KUNIT_EXPECT_NULL(test, sysctl_check(&set));
	for (h = set.first; h < set.last; h++)
		for (unsigned int i = 0; i < (*h)->count; i++) {
			const struct ctl_table *t = &(*h)->table[i];
			unsigned long v = sysctl_read(t);

			if (v && (v < t->min || v > t->max))
				kunit_info(test, "%s = %lu outside %lu..%lu",
					   t->procname, v, t->min, t->max);
			KUNIT_EXPECT_TRUE(test, !v || (v >= t->min &&
							 v <= t->max));
		}
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++)
		KUNIT_EXPECT_NOT_NULL(test, sysctl_find(&set, want[i]));
}

static struct kunit_case sysctl_cases[] = {
	KUNIT_CASE(sysctl_parse_table),
	KUNIT_CASE(sysctl_write_stores_and_calls_handler),
	KUNIT_CASE(sysctl_find_by_name),
	KUNIT_CASE(sysctl_command_reads_and_writes),
	KUNIT_CASE(sysctl_command_refuses),
	KUNIT_CASE(sysctl_check_finds_bad_tables),
	KUNIT_CASE(sysctl_registered_tables),
	{}
};

static struct kunit_suite sysctl_suite = {
	.name = "sysctl",
	.init = sysctl_case_init,
	.test_cases = sysctl_cases,
};
kunit_test_suite(sysctl_suite);
