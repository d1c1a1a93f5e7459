/*
 * drivers/serial/bcm2835_aux.c - BCM2835 mini UART, polled. Registers
 * from "BCM2835 ARM Peripherals", 2.2.2, relative to AUX_MU_IO_REG
 * (0x7e215040 on the VideoCore bus).
 */
#include "drivers/serial/bcm2835_aux.h"
#include "kernel/console.h"
#include <arch/mmio.h>

enum {
	MU_IO = 0x00,		/* data */
	MU_LSR = 0x14,		/* line status */
};
#define LSR_DATA_READY	(1U << 0)
#define LSR_TX_EMPTY	(1U << 5)	/* room for at least one byte */

void bcm2835_aux_putc(struct bcm2835_aux *u, char c)
{
	while (!(readl((volatile char *)u->base + MU_LSR) & LSR_TX_EMPTY))
		;
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

static struct bcm2835_aux *input_uart;

static int aux_console_getc(void)
{
	return bcm2835_aux_getc(input_uart);
}

void bcm2835_aux_register_console(struct bcm2835_aux *u, const char *name,
				  bool input)
{
	u->con.name = name;
	u->con.write = aux_console_write;
	register_console(&u->con);
	if (input) {
		input_uart = u;
		console_set_input(aux_console_getc);
	}
}
