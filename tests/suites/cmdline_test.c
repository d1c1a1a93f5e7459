/*
 * tests/suites/cmdline_test.c - command-line parsing: options reach their
 * handlers, quoting works, and every bad word is reported, not ignored.
 */
#include "kernel/cmdline.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

static char got_value[64];
static int calls;

static int set_probe(const char *v)
{
	calls++;
	strlcpy(got_value, v ? v : "(none)", sizeof(got_value));
	return v && !strcmp(v, "bad") ? -1 : 0;
}
KERNEL_PARAM("cmdline_test.probe", set_probe, "for the cmdline test suite");

static char parse_log[2048];

static int parse(const char *line)
{
	int r;

	calls = 0;
	got_value[0] = '\0';
	printk_capture_start(parse_log, sizeof(parse_log));
	r = cmdline_parse(line);
	printk_capture_stop();
	return r;
}

static bool log_has(const char *s)
{
	size_t n = strlen(s);

	for (const char *p = parse_log; *p; p++)
		if (!strncmp(p, s, n))
			return true;
	return false;
}

static void option_with_value_reaches_handler(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, parse("  cmdline_test.probe=42  "), 0);
	KUNIT_EXPECT_EQ(test, calls, 1);
	KUNIT_EXPECT_STREQ(test, got_value, "42");
}

static void option_without_value(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, parse("cmdline_test.probe"), 0);
	KUNIT_EXPECT_STREQ(test, got_value, "(none)");
}

static void quotes_group_spaces(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, parse("cmdline_test.probe=\"a b=c\""), 0);
	KUNIT_EXPECT_STREQ(test, got_value, "a b=c");
}

static void unknown_option_is_reported(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, parse("nosuch=1 cmdline_test.probe=x"), 1);
	KUNIT_EXPECT_EQ(test, calls, 1);	/* the rest still parsed */
	KUNIT_EXPECT_TRUE(test, log_has("unknown option 'nosuch' (offset 0)"));
}

static void rejected_value_is_reported(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, parse("cmdline_test.probe=bad"), 1);
	KUNIT_EXPECT_TRUE(test, log_has("bad value 'bad' for 'cmdline_test.probe'"));
}

static void unterminated_quote_is_reported(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, parse("cmdline_test.probe=\"open"), 1);
	KUNIT_EXPECT_EQ(test, calls, 0);
	KUNIT_EXPECT_TRUE(test, log_has("unterminated quote"));
}

static void overlong_word_is_reported(struct kunit *test)
{
	char line[400];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	KUNIT_EXPECT_EQ(test, parse(line), 1);
	KUNIT_EXPECT_TRUE(test, log_has("longer than"));
}

static void empty_and_null_lines(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, parse(""), 0);
	KUNIT_EXPECT_EQ(test, parse(NULL), 0);
	KUNIT_EXPECT_EQ(test, calls, 0);
}

static void booleans(struct kunit *test)
{
	bool b = false;

	KUNIT_EXPECT_TRUE(test, param_parse_bool(NULL, &b));
	KUNIT_EXPECT_TRUE(test, b);
	KUNIT_EXPECT_TRUE(test, param_parse_bool("off", &b));
	KUNIT_EXPECT_FALSE(test, b);
	KUNIT_EXPECT_TRUE(test, param_parse_bool("1", &b));
	KUNIT_EXPECT_TRUE(test, b);
	KUNIT_EXPECT_FALSE(test, param_parse_bool("maybe", &b));
	KUNIT_EXPECT_TRUE(test, b);
}

static void numbers_in_a_range(struct kunit *test)
{
	unsigned int n = 7;

	KUNIT_EXPECT_TRUE(test, param_parse_uint("30", 1, 3600, &n));
	KUNIT_EXPECT_EQ(test, n, 30U);
	KUNIT_EXPECT_TRUE(test, param_parse_uint("1", 1, 3600, &n));
	KUNIT_EXPECT_TRUE(test, param_parse_uint("3600", 1, 3600, &n));
	KUNIT_EXPECT_EQ(test, n, 3600U);
	n = 7;
	KUNIT_EXPECT_FALSE(test, param_parse_uint("0", 1, 3600, &n));
	KUNIT_EXPECT_FALSE(test, param_parse_uint("3601", 1, 3600, &n));
	KUNIT_EXPECT_FALSE(test, param_parse_uint("99999999999999999999", 1, 3600, &n));
	KUNIT_EXPECT_FALSE(test, param_parse_uint("5s", 1, 3600, &n));
	KUNIT_EXPECT_FALSE(test, param_parse_uint("", 1, 3600, &n));
	KUNIT_EXPECT_FALSE(test, param_parse_uint(NULL, 1, 3600, &n));
	KUNIT_EXPECT_EQ(test, n, 7U);		/* untouched by a refusal */
}

static struct kunit_case cmdline_cases[] = {
	KUNIT_CASE(option_with_value_reaches_handler),
	KUNIT_CASE(option_without_value),
	KUNIT_CASE(quotes_group_spaces),
	KUNIT_CASE(unknown_option_is_reported),
	KUNIT_CASE(rejected_value_is_reported),
	KUNIT_CASE(unterminated_quote_is_reported),
	KUNIT_CASE(overlong_word_is_reported),
	KUNIT_CASE(empty_and_null_lines),
	KUNIT_CASE(booleans),
	KUNIT_CASE(numbers_in_a_range),
	{}
};

static struct kunit_suite cmdline_suite = {
	.name = "cmdline",
	.test_cases = cmdline_cases,
};
kunit_test_suite(cmdline_suite);
