/*
 * tests/suites/dirty_limits_test.c - the dirty limits' tunables
 * (mm/page-writeback.c): dirty_limits_for against a table of ratios and
 * byte counts, with Linux's rules (bytes win when set, rounded up to
 * pages; a background limit at or above the hard one is cut to half of
 * it), and the vm.* sysctls' handlers that keep a ratio and its _bytes
 * exclusive. Runs on the host and in the kernel; every case puts the
 * tunables back as it found them.
 */
#include "kernel/kunit.h"
#include "kernel/sysctl.h"
#include "mm/filemap.h"

struct dirty_tunables {
	unsigned int ratio, bg_ratio;
	unsigned long bytes, bg_bytes;
	unsigned int writeback_ms, expire_ms;
};

static struct dirty_tunables saved;

static int dirty_case_init(struct kunit *test)
{
	saved = (struct dirty_tunables){
		dirty_ratio, dirty_background_ratio, dirty_bytes,
		dirty_background_bytes, dirty_writeback_ms, dirty_expire_ms,
	};
	return 0;
}

static void dirty_case_exit(struct kunit *test)
{
	dirty_ratio = saved.ratio;
	dirty_background_ratio = saved.bg_ratio;
	dirty_bytes = saved.bytes;
	dirty_background_bytes = saved.bg_bytes;
	dirty_writeback_ms = saved.writeback_ms;
	dirty_expire_ms = saved.expire_ms;
}

#define P PAGE_SIZE

static const struct {
	unsigned long dirtyable;
	unsigned int ratio, bg_ratio;
	unsigned long bytes, bg_bytes;
	unsigned long limit, background;	/* expected, pages */
} limit_cases[] = {
	/* The defaults: 20% and 10%. */
	{ 1000, 20, 10, 0, 0, 200, 100 },
	{ 131072, 20, 10, 0, 0, 26214, 13107 },
	/* Rounded down, as Linux's ratios. */
	{ 999, 20, 10, 0, 0, 199, 99 },
	{ 0, 20, 10, 0, 0, 0, 0 },
	/* Background at or above the limit: half of the limit. */
	{ 1000, 20, 20, 0, 0, 200, 100 },
	{ 1000, 20, 50, 0, 0, 200, 100 },
	{ 1000, 0, 10, 0, 0, 0, 0 },
	{ 1000, 100, 0, 0, 0, 1000, 0 },
	{ 1000, 100, 100, 0, 0, 1000, 500 },
	/* Bytes win over the ratio, rounded up to whole pages. */
	{ 1000, 0, 10, 64 * P, 0, 64, 32 },	/* bg 100 >= 64: halved */
	{ 1000, 0, 10, 300 * P, 0, 300, 100 },
	{ 1000, 0, 10, 300 * P + 1, 0, 301, 100 },
	{ 1000, 20, 0, 0, 50 * P, 200, 50 },
	{ 1000, 20, 0, 0, 1, 200, 1 },
	{ 1000, 0, 0, 2 * P, 1, 2, 1 },
	{ 1000, 0, 0, 2 * P, 2 * P, 2, 1 },
	{ 1000, 0, 0, 3 * P, 5 * P, 3, 1 },
	/* Bytes do not depend on the dirtyable memory. */
	{ 0, 0, 0, 256 * P, 128 * P, 256, 128 },
	{ 1UL << 30, 0, 0, 256 * P, 128 * P, 256, 128 },
	/* Both set (a direct assignment; the sysctls never leave both):
	 * the bytes apply. */
	{ 1000, 20, 10, 40 * P, 30 * P, 40, 30 },
};

static void dirty_limits_table(struct kunit *test)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(limit_cases); i++) {
		unsigned long bg = ~0UL, limit = ~0UL;

		dirty_ratio = limit_cases[i].ratio;
		dirty_background_ratio = limit_cases[i].bg_ratio;
		dirty_bytes = limit_cases[i].bytes;
		dirty_background_bytes = limit_cases[i].bg_bytes;
		dirty_limits_for(limit_cases[i].dirtyable, &bg, &limit);
		if (limit != limit_cases[i].limit ||
		    bg != limit_cases[i].background)
			kunit_info(test, "case %u: limit %lu background %lu, "
				   "expected %lu %lu", i, limit, bg,
				   limit_cases[i].limit,
				   limit_cases[i].background);
		KUNIT_EXPECT_EQ(test, limit, limit_cases[i].limit);
		KUNIT_EXPECT_EQ(test, bg, limit_cases[i].background);
	}
}

/* global_dirty_limits is dirty_limits_for of the machine's dirtyable
 * memory: with bytes set it does not depend on it. */
static void global_dirty_limits_use_bytes(struct kunit *test)
{
	unsigned long bg, limit;

	dirty_bytes = 1000 * P;
	dirty_background_bytes = 100 * P;
	global_dirty_limits(&bg, &limit);
	KUNIT_EXPECT_EQ(test, limit, 1000UL);
	KUNIT_EXPECT_EQ(test, bg, 100UL);
}

static const struct ctl_table *vm(struct kunit *test, const char *name)
{
	struct ctl_set set = sysctl_registered();
	const struct ctl_table *t = sysctl_find(&set, name);

	KUNIT_EXPECT_NOT_NULL(test, t);
	return t;
}

static int set(struct kunit *test, const char *name, const char *value)
{
	const struct ctl_table *t = vm(test, name);

	return t ? sysctl_write(t, value) : -1;
}

/* Linux's handlers: writing a ratio zeroes its _bytes and the other way
 * round; a refused write changes neither. */
static void ratio_and_bytes_exclude_each_other(struct kunit *test)
{
	unsigned long bg, limit;

	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_bytes", "8388608"), 0);
	KUNIT_EXPECT_EQ(test, dirty_bytes, 8388608UL);
	KUNIT_EXPECT_EQ(test, dirty_ratio, 0U);
	global_dirty_limits(&bg, &limit);
	KUNIT_EXPECT_EQ(test, limit, 8388608UL / P);

	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_ratio", "15"), 0);
	KUNIT_EXPECT_EQ(test, dirty_ratio, 15U);
	KUNIT_EXPECT_EQ(test, dirty_bytes, 0UL);

	/* Linux zeroes the bytes only when the ratio changed. */
	dirty_bytes = 16 * P;
	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_ratio", "15"), 0);
	KUNIT_EXPECT_EQ(test, dirty_bytes, 16 * P);

	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_background_bytes", "4096"), 0);
	KUNIT_EXPECT_EQ(test, dirty_background_bytes, 4096UL);
	KUNIT_EXPECT_EQ(test, dirty_background_ratio, 0U);
	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_background_ratio", "5"), 0);
	KUNIT_EXPECT_EQ(test, dirty_background_ratio, 5U);
	KUNIT_EXPECT_EQ(test, dirty_background_bytes, 0UL);

	/* Refused: Linux's minimums (2 pages, 1 byte) and 100%. */
	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_bytes", "4096"), -ERANGE);
	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_bytes", "0"), -ERANGE);
	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_background_bytes", "0"),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_ratio", "101"), -ERANGE);
	KUNIT_EXPECT_EQ(test, dirty_ratio, 15U);
	KUNIT_EXPECT_EQ(test, dirty_bytes, 16 * P);
	KUNIT_EXPECT_EQ(test, dirty_background_ratio, 5U);
	KUNIT_EXPECT_EQ(test, dirty_background_bytes, 0UL);
}

/* The centisecs are kept in ms. */
static void centisecs_kept_in_ms(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sysctl_read(vm(test, "vm.dirty_expire_centisecs")),
			(unsigned long)dirty_expire_ms / 10);
	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_expire_centisecs", "3000"), 0);
	KUNIT_EXPECT_EQ(test, dirty_expire_ms, 30000U);
	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_writeback_centisecs", "25"), 0);
	KUNIT_EXPECT_EQ(test, dirty_writeback_ms, 250U);
	KUNIT_EXPECT_EQ(test, sysctl_read(vm(test, "vm.dirty_writeback_centisecs")),
			25UL);
	/* 0 would make our flusher spin (mm/page-writeback.c). */
	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_writeback_centisecs", "0"),
			-ERANGE);
	/* The largest value whose ms fit an unsigned int, and one more. */
	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_expire_centisecs",
				  "429496729"), 0);
	KUNIT_EXPECT_EQ(test, dirty_expire_ms, 4294967290U);
	KUNIT_EXPECT_EQ(test, set(test, "vm.dirty_expire_centisecs",
				  "429496730"), -ERANGE);
	KUNIT_EXPECT_EQ(test, dirty_expire_ms, 4294967290U);
}

static struct kunit_case dirty_limits_cases[] = {
	KUNIT_CASE(dirty_limits_table),
	KUNIT_CASE(global_dirty_limits_use_bytes),
	KUNIT_CASE(ratio_and_bytes_exclude_each_other),
	KUNIT_CASE(centisecs_kept_in_ms),
	{}
};

static struct kunit_suite dirty_limits_suite = {
	.name = "dirty_limits",
	.init = dirty_case_init,
	.exit = dirty_case_exit,
	.test_cases = dirty_limits_cases,
};
kunit_test_suite(dirty_limits_suite);
