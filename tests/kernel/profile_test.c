/*
 * tests/kernel/profile_test.c - the tick's sampling profiler
 * (kernel/profile.h): a CPU that spins in one function for a while is
 * seen there, and the console's report ranks it.
 */
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/timer.h"

static char report[4096];

/* Spin here, interrupts on, for ms milliseconds. */
static __attribute__((noinline)) void profile_test_spin(unsigned int ms)
{
	uint64_t end = clock_ns() + ms * 1000000ULL;

	/* Mostly here, not in clock_ns(): ten thousand rounds a look. A
	 * clock read is a host call under QEMU, slow on a loaded host: with
	 * a thousand rounds a look, a loaded full run once found 7 of this
	 * CPU's 41 samples in arch_clock_ns, and the share below missed by
	 * one sample. */
	while (clock_ns() < end)
		for (volatile unsigned int i = 0; i < 10000; i++)
			;
}

/* The sample count on report's line for name, or -1. */
static int count_of(const char *name)
{
	const char *line = strstr(report, name);
	const char *p;
	int n = 0;

	if (!line)
		return -1;
	/* The line is "COUNT PCT.D%  name": back up to its start. */
	for (p = line; p > report && p[-1] != '\n'; p--)
		;
	if (*p == '[')			/* printk's time stamp */
		while (*p && *p++ != ']')
			;
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9')
		n = n * 10 + (*p++ - '0');
	return n;
}

/* The number right after what in report, or -1. */
static int number_after(const char *what)
{
	const char *p = strstr(report, what);
	int n = 0;

	if (!p)
		return -1;
	for (p += strlen(what); *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (*p - '0');
	return n;
}

static void spinning_function_is_sampled(struct kunit *test)
{
	int spin, total;

	KUNIT_ASSERT_EQ(test, profile_start(0), 0);
	KUNIT_EXPECT_EQ(test, profile_start(0), -EBUSY);
	profile_test_spin(500);
	profile_stop();
	printk_capture_start_quiet(report, sizeof(report));
	profile_show(10);
	printk_capture_stop();
	kunit_info(test, "%s", report);
	KUNIT_EXPECT_STR_CONTAINS(test, report, "samples at 100 Hz per CPU");
	/* Half a second is 50 of this CPU's ticks (fewer on a loaded
	 * host, whose delays stretch every CPU's alike): each CPU has about
	 * total / ncpus of the samples, and this one spent nearly all of
	 * its own in the spin. (What the other CPUs did is not ours to
	 * predict: a background thread may be running there.) */
	spin = count_of("profile_test_spin");
	total = number_after("profile: ");
	KUNIT_EXPECT_GE(test, spin, 10);
	KUNIT_EXPECT_GE(test, spin * 4 * (int)num_online_cpus(), total * 3);
}

static void show_while_running_refuses(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, profile_start(16), 0);
	printk_capture_start_quiet(report, sizeof(report));
	profile_show(10);
	printk_capture_stop();
	profile_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, report, "still running");
}

/* A small buffer fills: later ticks are counted as dropped. */
static void full_buffer_counts_drops(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, profile_start(4), 0);
	profile_test_spin(200);
	profile_stop();
	printk_capture_start_quiet(report, sizeof(report));
	profile_show(5);
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, report, "profile: 4 samples");
	KUNIT_EXPECT_STR_CONTAINS(test, report, "more dropped");
}

static struct kunit_case profile_cases[] = {
	KUNIT_CASE(spinning_function_is_sampled),
	KUNIT_CASE(show_while_running_refuses),
	KUNIT_CASE(full_buffer_counts_drops),
	{}
};

static struct kunit_suite profile_suite = {
	.name = "profile",
	.test_cases = profile_cases,
};
kunit_test_suite(profile_suite);
