/*
 * tests/suites/lib_test.c - kernel/lib: formatting, strings, glob, sort,
 * number parsing and the test PRNG. Runs on the host and in the kernel.
 */
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define EXPECT_FMT(test, want, fmt, ...) do { \
	char _b[128]; \
	int _n = ksnprintf(_b, sizeof(_b), fmt, ##__VA_ARGS__); \
	KUNIT_EXPECT_STREQ(test, _b, want); \
	KUNIT_EXPECT_EQ(test, _n, (int)strlen(want)); \
} while (0)

static int fmt_unchecked(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void vsprintf_integers(struct kunit *test)
{
	EXPECT_FMT(test, "0", "%d", 0);
	EXPECT_FMT(test, "-42", "%d", -42);
	EXPECT_FMT(test, "-9223372036854775808", "%lld", (long long)INT64_MIN);
	EXPECT_FMT(test, "18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	EXPECT_FMT(test, "ff FF 0xff 377", "%x %X %#x %o", 255, 255, 255, 255);
	EXPECT_FMT(test, "  -7|-7  |-007", "%4d|%-4d|%04d", -7, -7, -7);
	EXPECT_FMT(test, "+5  5", "%+d % d", 5, 5);
	EXPECT_FMT(test, "00012", "%.5u", 12u);
	EXPECT_FMT(test, "-1 255 65535", "%hhd %hhu %hu", -1, 255, 65535);
	EXPECT_FMT(test, "123456", "%zu", (size_t)123456);
	EXPECT_FMT(test, "0x00000000deadbeef", "%p", (void *)(uintptr_t)0xdeadbeef);
}

static void vsprintf_strings(struct kunit *test)
{
	EXPECT_FMT(test, "[  ab][ab  ][a]", "[%4s][%-4s][%.1s]", "ab", "ab", "abc");
	char buf[16];
	const char *null_str = NULL;

	/* Formats the compiler would reject go through an unchecked wrapper. */
	fmt_unchecked(buf, sizeof(buf), "%s", null_str);
	KUNIT_EXPECT_STREQ(test, buf, "(null)");
	fmt_unchecked(buf, sizeof(buf), "%q");
	KUNIT_EXPECT_STREQ(test, buf, "%q");
	EXPECT_FMT(test, "x%", "%c%%", 'x');
	EXPECT_FMT(test, "[   7]", "[%*d]", 4, 7);
}

static void vsprintf_truncates(struct kunit *test)
{
	char buf[6];
	int n = ksnprintf(buf, sizeof(buf), "%s", "abcdefgh");

	KUNIT_EXPECT_EQ(test, n, 8);	/* the length it wanted */
	KUNIT_EXPECT_STREQ(test, buf, "abcde");
	KUNIT_EXPECT_EQ(test, kscnprintf(buf, sizeof(buf), "%d", 1234567), 5);
	KUNIT_EXPECT_EQ(test, ksnprintf(NULL, 0, "%d", 100), 3);
}

static void glob_patterns(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, glob_match("*", ""));
	KUNIT_EXPECT_TRUE(test, glob_match("*", "memblock"));
	KUNIT_EXPECT_TRUE(test, glob_match("mem*", "memblock"));
	KUNIT_EXPECT_TRUE(test, glob_match("*block", "memblock"));
	KUNIT_EXPECT_TRUE(test, glob_match("m?mb*k", "memblock"));
	KUNIT_EXPECT_TRUE(test, glob_match("*a*b*", "xxaxxbxx"));
	KUNIT_EXPECT_FALSE(test, glob_match("mem", "memblock"));
	KUNIT_EXPECT_FALSE(test, glob_match("*x", "memblock"));
	KUNIT_EXPECT_FALSE(test, glob_match("?", ""));
	KUNIT_EXPECT_TRUE(test, glob_match("page_alloc*", "page_alloc_model"));
	/* Lists: any one of them (test=swap_user*,cma_user*). */
	KUNIT_EXPECT_TRUE(test, glob_match_list("swap_user*,cma_user*", "cma_user"));
	KUNIT_EXPECT_TRUE(test, glob_match_list("swap_user*,cma_user*", "swap_user"));
	KUNIT_EXPECT_FALSE(test, glob_match_list("swap_user*,cma_user*", "swap"));
	KUNIT_EXPECT_TRUE(test, glob_match_list("*", "anything"));
	KUNIT_EXPECT_FALSE(test, glob_match_list("a,b", "ab"));
	KUNIT_EXPECT_TRUE(test, glob_match_list("a,,b", "b"));
}

static void parse_numbers(struct kunit *test)
{
	uint64_t v = 7;

	KUNIT_EXPECT_TRUE(test, parse_u64("0", &v, false));
	KUNIT_EXPECT_EQ(test, v, 0ULL);
	KUNIT_EXPECT_TRUE(test, parse_u64("0x1F", &v, false));
	KUNIT_EXPECT_EQ(test, v, 31ULL);
	KUNIT_EXPECT_TRUE(test, parse_u64("64M", &v, true));
	KUNIT_EXPECT_EQ(test, v, 64ULL << 20);
	KUNIT_EXPECT_TRUE(test, parse_u64("18446744073709551615", &v, false));
	KUNIT_EXPECT_EQ(test, v, UINT64_MAX);
	v = 7;
	KUNIT_EXPECT_FALSE(test, parse_u64("18446744073709551616", &v, false));
	KUNIT_EXPECT_FALSE(test, parse_u64("", &v, false));
	KUNIT_EXPECT_FALSE(test, parse_u64(NULL, &v, false));	/* a bare option */
	KUNIT_EXPECT_FALSE(test, parse_u64("0x", &v, false));
	KUNIT_EXPECT_FALSE(test, parse_u64("12a", &v, false));
	KUNIT_EXPECT_FALSE(test, parse_u64("64M", &v, false));
	KUNIT_EXPECT_FALSE(test, parse_u64("17179869184G", &v, true));
	KUNIT_EXPECT_EQ(test, v, 7ULL);	/* untouched by every failure */
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static void sort_random_arrays(struct kunit *test)
{
	struct prng r;
	int a[257];

	prng_seed(&r, test->seed);
	for (int round = 0; round < 50; round++) {
		size_t n = prng_below(&r, ARRAY_SIZE(a) + 1);
		long sum = 0, sum2 = 0;

		for (size_t i = 0; i < n; i++) {
			a[i] = (int)prng_below(&r, 100) - 50;
			sum += a[i];
		}
		sort(a, n, sizeof(a[0]), cmp_int);
		for (size_t i = 0; i < n; i++) {
			sum2 += a[i];
			if (i)
				KUNIT_ASSERT_LE(test, a[i - 1], a[i]);
		}
		KUNIT_EXPECT_EQ(test, sum, sum2);
	}
}

static void prng_is_deterministic_and_bounded(struct kunit *test)
{
	struct prng a, b;

	prng_seed(&a, 12345);
	prng_seed(&b, 12345);
	for (int i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, prng_next(&a), prng_next(&b));
	for (int i = 0; i < 1000; i++)
		KUNIT_ASSERT_LT(test, prng_below(&a, 7), 7ULL);
}

static void string_functions(struct kunit *test)
{
	char buf[16];
	char ov[] = "abcdef";

	KUNIT_EXPECT_EQ(test, strlcpy(buf, "hello world, long", 6), (size_t)17);
	KUNIT_EXPECT_STREQ(test, buf, "hello");
	memmove(ov + 2, ov, 4);
	KUNIT_EXPECT_STREQ(test, ov, "ababcd");
	KUNIT_EXPECT_LT(test, strcmp("abc", "abd"), 0);
	KUNIT_EXPECT_EQ(test, strncmp("abcx", "abcy", 3), 0);
	const char *abc = "abc";

	KUNIT_EXPECT_PTR_EQ(test, strchr(abc, 'c'), abc + 2);
	KUNIT_EXPECT_PTR_EQ(test, strchr(abc, '\0'), abc + 3);
	KUNIT_EXPECT_NULL(test, strchr("abc", 'z'));
	memset(buf, 0xab, sizeof(buf));
	KUNIT_EXPECT_EQ(test, (unsigned char)buf[15], 0xab);
}

static struct kunit_case lib_cases[] = {
	KUNIT_CASE(vsprintf_integers),
	KUNIT_CASE(vsprintf_strings),
	KUNIT_CASE(vsprintf_truncates),
	KUNIT_CASE(glob_patterns),
	KUNIT_CASE(parse_numbers),
	KUNIT_CASE(sort_random_arrays),
	KUNIT_CASE(prng_is_deterministic_and_bounded),
	KUNIT_CASE(string_functions),
	{}
};

static struct kunit_suite lib_suite = {
	.name = "lib",
	.test_cases = lib_cases,
};
kunit_test_suite(lib_suite);
