/*
 * tests/suites/pl011_test.c - the PL011 driver against a fake register
 * block in ordinary memory (host and kernel alike): the baud divisor
 * arithmetic of the TRM (3.3.6), what init programs, and that putc/getc
 * follow the flag register.
 */
#include "drivers/serial/pl011.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/time.h"

#define REG(r)	(regs[(r) / 4])
enum { DR = 0x00, FR = 0x18, IBRD = 0x24, FBRD = 0x28, LCR_H = 0x2c, CR = 0x30 };

static uint32_t regs[0x100 / 4];

static void divisor_matches_the_trm(struct kunit *test)
{
	unsigned int i, f;

	pl011_divisor(4000000, 230400, &i, &f);		/* the TRM's example */
	KUNIT_EXPECT_EQ(test, i, 1U);
	KUNIT_EXPECT_EQ(test, f, 5U);
	pl011_divisor(24000000, 115200, &i, &f);	/* QEMU virt's apb-pclk */
	KUNIT_EXPECT_EQ(test, i, 13U);
	KUNIT_EXPECT_EQ(test, f, 1U);
	pl011_divisor(48000000, 115200, &i, &f);	/* a Raspberry Pi's UART clock */
	KUNIT_EXPECT_EQ(test, i, 26U);
	KUNIT_EXPECT_EQ(test, f, 3U);
}

static void init_programs_8n1_and_enables(struct kunit *test)
{
	struct pl011 u = { .base = regs, .clock_hz = 24000000 };

	memset(regs, 0, sizeof(regs));
	pl011_init(&u, 115200);
	KUNIT_EXPECT_EQ(test, REG(IBRD), 13U);
	KUNIT_EXPECT_EQ(test, REG(FBRD), 1U);
	KUNIT_EXPECT_EQ(test, REG(LCR_H), 0x70U);	/* 8 bits, FIFOs on */
	KUNIT_EXPECT_EQ(test, REG(CR), 0x301U);		/* UARTEN, TXE, RXE */
}

static void init_without_a_clock_keeps_the_baud(struct kunit *test)
{
	struct pl011 u = { .base = regs, .clock_hz = 0 };

	memset(regs, 0, sizeof(regs));
	REG(IBRD) = 26;
	REG(FBRD) = 3;
	pl011_init(&u, 115200);
	KUNIT_EXPECT_EQ(test, REG(IBRD), 26U);
	KUNIT_EXPECT_EQ(test, REG(FBRD), 3U);
	KUNIT_EXPECT_EQ(test, REG(CR) & 0x301U, 0x301U);
}

static void getc_follows_the_receive_flag(struct kunit *test)
{
	struct pl011 u = { .base = regs };

	memset(regs, 0, sizeof(regs));
	REG(FR) = 1U << 4;			/* RXFE: nothing received */
	KUNIT_EXPECT_EQ(test, pl011_getc(&u), -1);
	REG(FR) = 0;
	REG(DR) = 0x100 | 'x';			/* an error bit above the byte */
	KUNIT_EXPECT_EQ(test, pl011_getc(&u), 'x');
	pl011_putc(&u, 'k');
	KUNIT_EXPECT_EQ(test, REG(DR), (uint32_t)'k');
}

/*
 * A UART that never makes room (TXFF stuck: not clocked, not wired) does
 * not hold the CPU: the first byte waits at most UART_TX_WAIT_NS and is
 * dropped, the next ones are dropped at once, and once the FIFO has room
 * output goes on. Measured with the clock the kernel has.
 */
static void putc_gives_up_on_a_uart_that_never_makes_room(struct kunit *test)
{
	struct pl011 u = { .base = regs };
	uint64_t t0, first, rest;

	memset(regs, 0, sizeof(regs));
	REG(FR) = 1U << 5;			/* TXFF, for good */
	t0 = clock_ns();
	pl011_putc(&u, 'a');
	first = clock_ns() - t0;
	t0 = clock_ns();
	for (int i = 0; i < 1000; i++)
		pl011_putc(&u, 'b');
	rest = clock_ns() - t0;
	KUNIT_EXPECT_EQ(test, REG(DR), 0U);		/* nothing written */
	KUNIT_EXPECT_EQ(test, u.tx.dropped, 1001UL);
	KUNIT_EXPECT_TRUE(test, u.tx.stuck);
	KUNIT_EXPECT_LT(test, first, 10 * UART_TX_WAIT_NS);
	/* 1000 bytes without waiting: far less than one wait each. */
	KUNIT_EXPECT_LT(test, rest, UART_TX_WAIT_NS * 10);
	REG(FR) = 0;					/* room again */
	pl011_putc(&u, 'c');
	KUNIT_EXPECT_EQ(test, REG(DR), (uint32_t)'c');
	KUNIT_EXPECT_FALSE(test, u.tx.stuck);
	KUNIT_EXPECT_EQ(test, u.tx.dropped, 1001UL);
}

static struct kunit_case pl011_cases[] = {
	KUNIT_CASE(divisor_matches_the_trm),
	KUNIT_CASE(init_programs_8n1_and_enables),
	KUNIT_CASE(init_without_a_clock_keeps_the_baud),
	KUNIT_CASE(getc_follows_the_receive_flag),
	KUNIT_CASE(putc_gives_up_on_a_uart_that_never_makes_room),
	{}
};

static struct kunit_suite pl011_suite = {
	.name = "pl011",
	.test_cases = pl011_cases,
};
kunit_test_suite(pl011_suite);
