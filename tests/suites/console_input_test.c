/*
 * tests/suites/console_input_test.c - the console's input path without a
 * UART: the byte ring the receive interrupts fill (kernel/lib/kfifo.h) and
 * the line editor the console thread feeds (kernel/lib/line_edit.h),
 * typed at programmatically. Runs on the host and in the kernel.
 */
#include "kernel/kunit.h"
#include "kernel/lib/kfifo.h"
#include "kernel/lib/line_edit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"

/* ------------------------------------------------------------------ kfifo */

static void kfifo_fills_then_refuses_and_counts(struct kunit *test)
{
	unsigned char buf[8], c;
	struct kfifo f;

	kfifo_init(&f, buf, sizeof(buf));
	KUNIT_EXPECT_TRUE(test, kfifo_is_empty(&f));
	KUNIT_EXPECT_FALSE(test, kfifo_get(&f, &c));
	for (unsigned int i = 0; i < 8; i++)
		KUNIT_EXPECT_TRUE(test, kfifo_put(&f, (unsigned char)('a' + i)));
	KUNIT_EXPECT_EQ(test, kfifo_len(&f), 8U);
	KUNIT_EXPECT_EQ(test, f.dropped, 0UL);
	/* Full: the new bytes are dropped, what is queued is kept. */
	KUNIT_EXPECT_FALSE(test, kfifo_put(&f, 'X'));
	KUNIT_EXPECT_FALSE(test, kfifo_put(&f, 'Y'));
	KUNIT_EXPECT_EQ(test, kfifo_len(&f), 8U);
	KUNIT_EXPECT_EQ(test, f.dropped, 2UL);
	KUNIT_EXPECT_EQ(test, kfifo_take_dropped(&f), 2UL);
	KUNIT_EXPECT_EQ(test, kfifo_take_dropped(&f), 0UL);	/* reported once */
	for (unsigned int i = 0; i < 8; i++) {
		KUNIT_ASSERT_TRUE(test, kfifo_get(&f, &c));
		KUNIT_EXPECT_EQ(test, c, (unsigned char)('a' + i));
	}
	KUNIT_EXPECT_FALSE(test, kfifo_get(&f, &c));
	KUNIT_EXPECT_TRUE(test, kfifo_put(&f, 'z'));	/* room again */
	KUNIT_EXPECT_EQ(test, kfifo_take_dropped(&f), 0UL);
}

static void kfifo_wraps_the_buffer_and_the_counters(struct kunit *test)
{
	unsigned char buf[4], c;
	struct kfifo f;
	unsigned char next_in = 0, next_out = 0;

	kfifo_init(&f, buf, sizeof(buf));
	/* Start the free-running counters just below UINT_MAX: they wrap
	 * during the run, as they do after 4 GiB of typing. */
	f.in = f.out = 0xfffffffeU;
	for (int round = 0; round < 100; round++) {
		unsigned int n = 1 + (unsigned int)round % 4;

		for (unsigned int i = 0; i < n; i++)
			KUNIT_ASSERT_TRUE(test, kfifo_put(&f, next_in++));
		KUNIT_EXPECT_EQ(test, kfifo_len(&f), n);
		for (unsigned int i = 0; i < n; i++) {
			KUNIT_ASSERT_TRUE(test, kfifo_get(&f, &c));
			KUNIT_ASSERT_EQ(test, c, next_out);
			next_out++;
		}
		KUNIT_EXPECT_TRUE(test, kfifo_is_empty(&f));
	}
	KUNIT_EXPECT_EQ(test, f.dropped, 0UL);
}

/* Random puts and gets against a plain array queue with a capacity. */
static void kfifo_matches_a_model(struct kunit *test)
{
	static unsigned char buf[64], model[64];
	unsigned int head = 0, count = 0;	/* model: model[head..] */
	unsigned long dropped = 0;
	struct kfifo f;
	struct prng r;

	prng_seed(&r, test->seed);
	kfifo_init(&f, buf, sizeof(buf));
	for (int step = 0; step < 20000; step++) {
		/* Phases that favour putting, then getting, to hit full and empty. */
		bool put = prng_below(&r, 100) < ((step / 500) % 2 ? 30 : 70);
		unsigned char c;

		if (put) {
			unsigned char v = (unsigned char)prng_next(&r);
			bool ok = kfifo_put(&f, v);

			if (count < sizeof(model)) {
				model[(head + count++) % sizeof(model)] = v;
				KUNIT_ASSERT_TRUE(test, ok);
			} else {
				dropped++;
				KUNIT_ASSERT_FALSE(test, ok);
			}
		} else {
			bool ok = kfifo_get(&f, &c);

			KUNIT_ASSERT_EQ(test, ok, count > 0);
			if (ok) {
				KUNIT_ASSERT_EQ(test, c, model[head]);
				head = (head + 1) % sizeof(model);
				count--;
			}
		}
		KUNIT_ASSERT_EQ(test, kfifo_len(&f), count);
		KUNIT_ASSERT_EQ(test, f.dropped, dropped);
	}
	KUNIT_EXPECT_GT(test, dropped, 0UL);	/* the run did overflow */
}

/* -------------------------------------------------------------- line_edit */

struct screen {
	char text[2048];
	size_t len;
};

static void screen_echo(void *ctx, const char *s)
{
	struct screen *sc = ctx;

	while (*s && sc->len + 1 < sizeof(sc->text))
		sc->text[sc->len++] = *s++;
	sc->text[sc->len] = '\0';
}

static unsigned int count_of(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	unsigned int k = 0;

	for (const char *p = hay; *p; p++)
		if (!strncmp(p, needle, n))
			k++;
	return k;
}

/* The editor's results as ints, for the comparison macros. */
#define MORE	((int)LINE_EDIT_MORE)
#define DONE	((int)LINE_EDIT_DONE)
#define CANCEL	((int)LINE_EDIT_CANCEL)

static int feed(struct line_edit *ed, int c)
{
	return (int)line_edit_feed(ed, c);
}

/* Feed s; the result of its last character. */
static int type(struct line_edit *ed, const char *s)
{
	int r = MORE;

	while (*s)
		r = feed(ed, (unsigned char)*s++);
	return r;
}

static void line_edit_returns_a_typed_line(struct kunit *test)
{
	static struct screen sc;
	char line[16];
	struct line_edit ed;

	sc.len = 0;
	line_edit_init(&ed, line, sizeof(line), screen_echo, &sc);
	KUNIT_EXPECT_EQ(test, type(&ed, "help"), MORE);
	KUNIT_EXPECT_EQ(test, feed(&ed, '\r'), DONE);
	KUNIT_EXPECT_STREQ(test, line, "help");
	KUNIT_EXPECT_STREQ(test, sc.text, "help\n");
	/* CR LF is one end of line; LF alone is another. */
	KUNIT_EXPECT_EQ(test, type(&ed, "ls\r"), DONE);
	KUNIT_EXPECT_STREQ(test, line, "ls");
	KUNIT_EXPECT_EQ(test, feed(&ed, '\n'), MORE);
	KUNIT_EXPECT_EQ(test, feed(&ed, '\n'), DONE);
	KUNIT_EXPECT_STREQ(test, line, "");
}

static void line_edit_erases_and_cancels(struct kunit *test)
{
	static struct screen sc;
	char line[16];
	struct line_edit ed;

	sc.len = 0;
	line_edit_init(&ed, line, sizeof(line), screen_echo, &sc);
	KUNIT_EXPECT_EQ(test, type(&ed, "\x7fhelo\x7f\blp\n"), DONE);
	KUNIT_EXPECT_STREQ(test, line, "help");
	/* Backspace on an empty line echoes nothing; two erase two. */
	KUNIT_EXPECT_STREQ(test, sc.text, "helo\b \b\b \blp\n");
	KUNIT_EXPECT_EQ(test, type(&ed, "junk\x15ok\n"), DONE);	/* ^U */
	KUNIT_EXPECT_STREQ(test, line, "ok");
	KUNIT_EXPECT_EQ(test, type(&ed, "rm\x1b[A\t"), MORE);	/* ignored */
	KUNIT_EXPECT_EQ(test, type(&ed, "\x03"), CANCEL);	/* ^C */
	KUNIT_EXPECT_EQ(test, type(&ed, "\n"), DONE);
	KUNIT_EXPECT_STREQ(test, line, "");		/* the ^C'd line is gone */
}

static void line_edit_takes_a_line_that_just_fits(struct kunit *test)
{
	static struct screen sc;
	char line[8];
	struct line_edit ed;

	sc.len = 0;
	line_edit_init(&ed, line, sizeof(line), screen_echo, &sc);
	KUNIT_EXPECT_EQ(test, type(&ed, "1234567\n"), DONE);
	KUNIT_EXPECT_STREQ(test, line, "1234567");
	KUNIT_EXPECT_EQ(test, count_of(sc.text, "longer than"), 0U);
	/* One more is too long. */
	KUNIT_EXPECT_EQ(test, type(&ed, "12345678\n"), CANCEL);
	KUNIT_EXPECT_EQ(test, count_of(sc.text, "line longer than 7 characters, ignored"), 1U);
}

/*
 * A paste longer than the line: 4000 characters into a 256-byte line. One
 * message, the line ends cancelled at its newline (the console prints
 * the prompt again), nothing of it comes back as a line, and the next
 * command is read whole.
 */
static void line_edit_cuts_an_overlong_paste_once(struct kunit *test)
{
	static struct screen sc;
	static char line[256];
	struct line_edit ed;
	unsigned int done = 0, cancel = 0, cancel_at = 0;
	int r;

	sc.len = 0;
	line_edit_init(&ed, line, sizeof(line), screen_echo, &sc);
	for (unsigned int i = 0; i <= 4000; i++) {
		r = feed(&ed, i < 4000 ? 'a' + i % 26 : '\n');
		done += r == DONE;
		if (r == CANCEL) {
			cancel++;
			cancel_at = i;
		}
	}
	KUNIT_EXPECT_EQ(test, done, 0U);
	KUNIT_EXPECT_EQ(test, cancel, 1U);
	KUNIT_EXPECT_EQ(test, cancel_at, 4000U);	/* at the newline: prompt back */
	KUNIT_EXPECT_EQ(test, count_of(sc.text,
		"console: line longer than 255 characters, ignored\n"), 1U);
	/* Echoed up to the limit, then the message on a line of its own. */
	KUNIT_EXPECT_EQ(test, (size_t)(strchr(sc.text, '\n') - sc.text), (size_t)255);
	KUNIT_EXPECT_EQ(test, ed.cut, 1UL);

	KUNIT_EXPECT_EQ(test, type(&ed, "uptime\n"), DONE);
	KUNIT_EXPECT_STREQ(test, line, "uptime");
	/* ^C also ends a line being cut, and the next one is whole. */
	for (unsigned int i = 0; i < 300; i++)
		feed(&ed, 'y');
	KUNIT_EXPECT_EQ(test, type(&ed, "\x03"), CANCEL);
	KUNIT_EXPECT_EQ(test, type(&ed, "help\r\n"), MORE);
	KUNIT_EXPECT_STREQ(test, line, "help");
	KUNIT_EXPECT_EQ(test, ed.cut, 2UL);
}

static struct kunit_case console_input_cases[] = {
	KUNIT_CASE(kfifo_fills_then_refuses_and_counts),
	KUNIT_CASE(kfifo_wraps_the_buffer_and_the_counters),
	KUNIT_CASE(kfifo_matches_a_model),
	KUNIT_CASE(line_edit_returns_a_typed_line),
	KUNIT_CASE(line_edit_erases_and_cancels),
	KUNIT_CASE(line_edit_takes_a_line_that_just_fits),
	KUNIT_CASE(line_edit_cuts_an_overlong_paste_once),
	{}
};

static struct kunit_suite console_input_suite = {
	.name = "console_input",
	.test_cases = console_input_cases,
};
kunit_test_suite(console_input_suite);
