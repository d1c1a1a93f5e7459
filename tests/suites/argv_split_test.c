/*
 * tests/suites/argv_split_test.c - the console's word splitting
 * (kernel/lib/argv_split.h): blanks, both quotes, backslashes, empty
 * words, and the two refusals. Runs on the host and in the kernel.
 */
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/argv_split.h"
#include "kernel/lib/string.h"

#define MAXW	8

struct split {
	char line[128];
	char *argv[MAXW + 1];
	char err[80];
	int argc;
};

static struct split *split(const char *text, int max)
{
	static struct split s;

	memset(&s, 0, sizeof(s));
	strlcpy(s.line, text, sizeof(s.line));
	s.argc = argv_split(s.line, s.argv, max, s.err, sizeof(s.err));
	return &s;
}

static void splits_on_blanks(struct kunit *test)
{
	struct split *s = split("  run\tmemhog  32M \t", MAXW);

	KUNIT_ASSERT_EQ(test, s->argc, 3);
	KUNIT_EXPECT_STREQ(test, s->argv[0], "run");
	KUNIT_EXPECT_STREQ(test, s->argv[1], "memhog");
	KUNIT_EXPECT_STREQ(test, s->argv[2], "32M");
	KUNIT_EXPECT_NULL(test, s->argv[3]);
	KUNIT_EXPECT_STREQ(test, s->err, "");
}

static void blank_line_has_no_words(struct kunit *test)
{
	struct split *s = split("", MAXW);

	KUNIT_EXPECT_EQ(test, s->argc, 0);
	KUNIT_EXPECT_NULL(test, s->argv[0]);
	s = split(" \t  ", MAXW);
	KUNIT_EXPECT_EQ(test, s->argc, 0);
	KUNIT_EXPECT_NULL(test, s->argv[0]);
}

static void single_quotes_keep_everything(struct kunit *test)
{
	struct split *s = split("run sh -c 'echo hi | wc -c' '\\n \"x\"'", MAXW);

	KUNIT_ASSERT_EQ(test, s->argc, 5);
	KUNIT_EXPECT_STREQ(test, s->argv[2], "-c");
	KUNIT_EXPECT_STREQ(test, s->argv[3], "echo hi | wc -c");
	/* No escapes inside '...': the backslash and quotes stay. */
	KUNIT_EXPECT_STREQ(test, s->argv[4], "\\n \"x\"");
}

static void double_quotes_take_four_escapes(struct kunit *test)
{
	struct split *s = split("echo \"a \\\"b\\\" \\\\ \\$ \\` \\n 'c'\"", MAXW);

	KUNIT_ASSERT_EQ(test, s->argc, 2);
	/* \" \\ \$ \` lose the backslash; \n keeps it; ' is plain. */
	KUNIT_EXPECT_STREQ(test, s->argv[1], "a \"b\" \\ $ ` \\n 'c'");
}

static void backslash_outside_quotes_escapes_any(struct kunit *test)
{
	struct split *s = split("a\\ b c\\'d \\\\", MAXW);

	KUNIT_ASSERT_EQ(test, s->argc, 3);
	KUNIT_EXPECT_STREQ(test, s->argv[0], "a b");
	KUNIT_EXPECT_STREQ(test, s->argv[1], "c'd");
	KUNIT_EXPECT_STREQ(test, s->argv[2], "\\");
}

static void adjacent_parts_make_one_word(struct kunit *test)
{
	struct split *s = split("a'b c'\"d\"e x", MAXW);

	KUNIT_ASSERT_EQ(test, s->argc, 2);
	KUNIT_EXPECT_STREQ(test, s->argv[0], "ab cde");
	KUNIT_EXPECT_STREQ(test, s->argv[1], "x");
}

static void empty_quotes_are_empty_words(struct kunit *test)
{
	struct split *s = split("'' x \"\" ''\"\"", MAXW);

	KUNIT_ASSERT_EQ(test, s->argc, 4);
	KUNIT_EXPECT_STREQ(test, s->argv[0], "");
	KUNIT_EXPECT_STREQ(test, s->argv[1], "x");
	KUNIT_EXPECT_STREQ(test, s->argv[2], "");
	KUNIT_EXPECT_STREQ(test, s->argv[3], "");
}

static void unterminated_quotes_are_refused(struct kunit *test)
{
	struct split *s = split("run sh -c 'echo hi", MAXW);

	KUNIT_EXPECT_EQ(test, s->argc, -EINVAL);
	KUNIT_EXPECT_STREQ(test, s->err,
			   "no closing ' for the quote at column 11");
	s = split("x \"a\\\"", MAXW);		/* the \" does not close it */
	KUNIT_EXPECT_EQ(test, s->argc, -EINVAL);
	KUNIT_EXPECT_STREQ(test, s->err,
			   "no closing \" for the quote at column 3");
	s = split("ab\\", MAXW);
	KUNIT_EXPECT_EQ(test, s->argc, -EINVAL);
	KUNIT_EXPECT_STREQ(test, s->err,
			   "nothing after the backslash at column 3");
}

static void too_many_words_are_refused(struct kunit *test)
{
	struct split *s = split("1 2 3 4", 4);

	KUNIT_EXPECT_EQ(test, s->argc, 4);		/* exactly max: fine */
	KUNIT_EXPECT_NULL(test, s->argv[4]);
	s = split("1 2 3 4 5", 4);
	KUNIT_EXPECT_EQ(test, s->argc, -E2BIG);
	KUNIT_EXPECT_STREQ(test, s->err, "more than 4 words");
	s = split("1 2 3 4   ", 4);		/* trailing blanks are no word */
	KUNIT_EXPECT_EQ(test, s->argc, 4);
}

static void words_are_rewritten_in_place(struct kunit *test)
{
	struct split *s = split("'a'  \"b\" c", MAXW);

	KUNIT_ASSERT_EQ(test, s->argc, 3);
	/* Every word lies inside the line, in order, each NUL-ended. */
	for (int i = 0; i < s->argc; i++) {
		KUNIT_EXPECT_TRUE(test, s->argv[i] >= s->line &&
				  s->argv[i] < s->line + sizeof(s->line));
		if (i)
			KUNIT_EXPECT_TRUE(test, s->argv[i] > s->argv[i - 1]);
	}
	KUNIT_EXPECT_STREQ(test, s->argv[0], "a");
	KUNIT_EXPECT_STREQ(test, s->argv[1], "b");
	KUNIT_EXPECT_STREQ(test, s->argv[2], "c");
}

static struct kunit_case argv_split_cases[] = {
	KUNIT_CASE(splits_on_blanks),
	KUNIT_CASE(blank_line_has_no_words),
	KUNIT_CASE(single_quotes_keep_everything),
	KUNIT_CASE(double_quotes_take_four_escapes),
	KUNIT_CASE(backslash_outside_quotes_escapes_any),
	KUNIT_CASE(adjacent_parts_make_one_word),
	KUNIT_CASE(empty_quotes_are_empty_words),
	KUNIT_CASE(unterminated_quotes_are_refused),
	KUNIT_CASE(too_many_words_are_refused),
	KUNIT_CASE(words_are_rewritten_in_place),
	{}
};

static struct kunit_suite argv_split_suite = {
	.name = "argv_split",
	.test_cases = argv_split_cases,
};
kunit_test_suite(argv_split_suite);
