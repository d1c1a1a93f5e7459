/*
 * drivers/serial/bcm2835_aux.c - BCM2835 mini UART: output polled, input
 * by interrupt. Registers from "BCM2835 ARM Peripherals", 2.2.2, relative
 * to AUX_MU_IO_REG (0x7e215040 on the VideoCore bus). The data sheet has
 * the two AUX_MU_IER_REG enable bits swapped (its errata): bit 0 enables
 * the receive interrupt, as on a 16550.
 */
#include "drivers/serial/bcm2835_aux.h"
#include "drivers/serial/uart_tx.h"
#include <arch/irq.h>
#include <arch/mmio.h>

enum {
	MU_IO = 0x00,		/* data */
	MU_IER = 0x04,		/* interrupt enable */
	MU_LSR = 0x14,		/* line status */
};
#define IER_RX		(1U << 0)
#define LSR_DATA_READY	(1U << 0)
#define LSR_TX_EMPTY	(1U << 5)	/* room for at least one byte */

static bool aux_tx_ready(void *arg)
{
	struct bcm2835_aux *u = arg;

	return readl((volatile char *)u->base + MU_LSR) & LSR_TX_EMPTY;
}

void bcm2835_aux_putc(struct bcm2835_aux *u, char c)
{
	if (uart_tx_wait(&u->tx, aux_tx_ready, u))
		writel((uint8_t)c, (volatile char *)u->base + MU_IO);
}

int bcm2835_aux_getc(struct bcm2835_aux *u)
{
	if (!(readl((volatile char *)u->base + MU_LSR) & LSR_DATA_READY))
		return -1;
	return readl((volatile char *)u->base + MU_IO) & 0xff;
}

static void aux_console_write(struct console *con, const char *s, size_t len)
{
	struct bcm2835_aux *u = container_of(con, struct bcm2835_aux, con);

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			bcm2835_aux_putc(u, '\r');
		bcm2835_aux_putc(u, s[i]);
	}
}

/* The receive interrupt: it stays raised while the FIFO holds a byte, so
 * take them all. */
static void aux_rx_interrupt(void *arg)
{
	struct bcm2835_aux *u = arg;

	console_input_receive(&u->input);
}

static int aux_input_poll(struct console_input *in)
{
	return bcm2835_aux_getc(container_of(in, struct bcm2835_aux, input));
}

static int aux_input_start_irq(struct console_input *in)
{
	struct bcm2835_aux *u = container_of(in, struct bcm2835_aux, input);

	if (!u->irq || arch_irq_request(u->irq, aux_rx_interrupt, u) < 0)
		return -1;
	writel(IER_RX, (volatile char *)u->base + MU_IER);
	return 0;
}

void bcm2835_aux_register_console(struct bcm2835_aux *u, const char *name,
				  bool input)
{
	u->con.name = name;
	u->con.write = aux_console_write;
	register_console(&u->con);
	if (input) {
		u->input.name = name;
		u->input.poll = aux_input_poll;
		u->input.start_irq = aux_input_start_irq;
		console_add_input(&u->input);
	}
}
