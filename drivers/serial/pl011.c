/*
 * drivers/serial/pl011.c - PL011 UART: output polled, input by interrupt.
 * Register map from the PrimeCell UART (PL011) Technical Reference
 * Manual, Arm DDI 0183, 3.2.
 */
#include "drivers/serial/pl011.h"
#include "drivers/serial/uart_tx.h"
#include <arch/irq.h>
#include <arch/mmio.h>

enum {
	UARTDR = 0x00,		/* data */
	UARTFR = 0x18,		/* flags */
	UARTIBRD = 0x24,	/* integer baud divisor */
	UARTFBRD = 0x28,	/* fractional baud divisor */
	UARTLCR_H = 0x2c,	/* line control */
	UARTCR = 0x30,		/* control */
	UARTIMSC = 0x38,	/* interrupt mask */
	UARTICR = 0x44,		/* interrupt clear */
};
#define FR_BUSY		(1U << 3)
#define FR_RXFE		(1U << 4)	/* receive FIFO empty */
#define FR_TXFF		(1U << 5)	/* transmit FIFO full */
#define LCR_H_FEN	(1U << 4)
#define LCR_H_WLEN8	(3U << 5)
#define CR_UARTEN	(1U << 0)
#define CR_TXE		(1U << 8)
#define CR_RXE		(1U << 9)
#define INT_RX		(1U << 4)	/* IMSC/ICR: receive (FIFO at its level) */
#define INT_RT		(1U << 6)	/* receive timeout (bytes left below the level) */

static uint32_t rd(struct pl011 *u, unsigned int reg)
{
	return readl((volatile char *)u->base + reg);
}

static void wr(struct pl011 *u, unsigned int reg, uint32_t v)
{
	writel(v, (volatile char *)u->base + reg);
}

static bool pl011_tx_ready(void *arg)
{
	return !(rd(arg, UARTFR) & FR_TXFF);
}

static bool pl011_idle(void *arg)
{
	return !(rd(arg, UARTFR) & FR_BUSY);
}

void pl011_divisor(unsigned int clock_hz, unsigned int baud,
		   unsigned int *ibrd, unsigned int *fbrd)
{
	/* divisor = clock / (16 * baud); in 1/64ths, rounded to nearest. */
	uint64_t d64 = ((uint64_t)clock_hz * 4 + baud / 2) / baud;

	*ibrd = (unsigned int)(d64 >> 6);
	*fbrd = (unsigned int)(d64 & 63);
}

void pl011_init(struct pl011 *u, unsigned int baud)
{
	unsigned int ibrd, fbrd;

	if (!u->clock_hz) {
		/* Keep the firmware's line settings; just make sure it runs. */
		wr(u, UARTIMSC, 0);
		wr(u, UARTCR, rd(u, UARTCR) | CR_UARTEN | CR_TXE | CR_RXE);
		return;
	}
	uart_tx_wait(&u->tx, pl011_idle, u);	/* let the last byte out */
	wr(u, UARTCR, 0);			/* disable while programming */
	wr(u, UARTIMSC, 0);			/* polled: no interrupts */
	wr(u, UARTICR, 0x7ff);
	pl011_divisor(u->clock_hz, baud, &ibrd, &fbrd);
	wr(u, UARTIBRD, ibrd);
	wr(u, UARTFBRD, fbrd);
	wr(u, UARTLCR_H, LCR_H_WLEN8 | LCR_H_FEN);	/* 8N1, FIFOs (latches the divisor) */
	wr(u, UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
}

/*
 * A new clock, learnt after the console started (the Raspberry Pi's
 * firmware tells it through the mailbox): once the last byte is out, the
 * divisor is set for clock_hz and baud, 8N1 with FIFOs (the LCR_H write
 * latches the divisor), and the control and interrupt masks are put back
 * as they were, so console input carries on. Bytes are not queued meanwhile.
 */
void pl011_set_baud(struct pl011 *u, unsigned int clock_hz, unsigned int baud)
{
	unsigned int ibrd, fbrd;
	uint32_t cr, imsc;

	uart_tx_wait(&u->tx, pl011_idle, u);
	cr = rd(u, UARTCR);
	imsc = rd(u, UARTIMSC);
	wr(u, UARTCR, 0);
	u->clock_hz = clock_hz;
	pl011_divisor(clock_hz, baud, &ibrd, &fbrd);
	wr(u, UARTIBRD, ibrd);
	wr(u, UARTFBRD, fbrd);
	wr(u, UARTLCR_H, LCR_H_WLEN8 | LCR_H_FEN);
	wr(u, UARTCR, cr | CR_UARTEN | CR_TXE | CR_RXE);
	wr(u, UARTIMSC, imsc);
}

void pl011_putc(struct pl011 *u, char c)
{
	if (uart_tx_wait(&u->tx, pl011_tx_ready, u))
		wr(u, UARTDR, (uint8_t)c);
}

int pl011_getc(struct pl011 *u)
{
	if (rd(u, UARTFR) & FR_RXFE)
		return -1;
	return rd(u, UARTDR) & 0xff;
}

static void pl011_console_write(struct console *con, const char *s, size_t len)
{
	struct pl011 *u = container_of(con, struct pl011, con);

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			pl011_putc(u, '\r');
		pl011_putc(u, s[i]);
	}
}

/*
 * The receive interrupt: clear it first, then take every byte the FIFO
 * holds, so a byte that lands after the last read raises it afresh
 * instead of being cleared unseen.
 */
static void pl011_rx_interrupt(void *arg)
{
	struct pl011 *u = arg;

	wr(u, UARTICR, INT_RX | INT_RT);
	console_input_receive(&u->input);
}

static int pl011_input_poll(struct console_input *in)
{
	return pl011_getc(container_of(in, struct pl011, input));
}

static int pl011_input_start_irq(struct console_input *in)
{
	struct pl011 *u = container_of(in, struct pl011, input);

	if (!u->irq || arch_irq_request(u->irq, pl011_rx_interrupt, u) < 0)
		return -1;
	wr(u, UARTIMSC, INT_RX | INT_RT);	/* raises it at once if bytes wait */
	return 0;
}

void pl011_register_console(struct pl011 *u, const char *name, bool input)
{
	u->con.name = name;
	u->con.write = pl011_console_write;
	register_console(&u->con);
	if (input) {
		u->input.name = name;
		u->input.poll = pl011_input_poll;
		u->input.start_irq = pl011_input_start_irq;
		console_add_input(&u->input);
	}
}
