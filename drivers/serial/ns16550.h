/*
 * drivers/serial/ns16550.h - the 16550 UART (PC COM ports; also found
 * memory-mapped on many boards).
 *
 * The driver does not know how registers are reached: the board gives it
 * read/write functions (x86 port I/O, or MMIO with a register stride),
 * and, if the line is wired, a function naming its interrupt.
 * Output waits for the transmitter. Input, once the console starts it,
 * comes by the "received data available" interrupt (IER bit 0): the
 * handler drains the receive FIFO into console_input_push(). Without an
 * interrupt the console polls ns16550_getc().
 */
#ifndef DRIVERS_SERIAL_NS16550_H
#define DRIVERS_SERIAL_NS16550_H

#include "drivers/serial/uart_tx.h"
#include "kernel/console.h"
#include "kernel/printk.h"

struct ns16550 {
	uintptr_t base;
	unsigned int reg_shift;		/* register n is at base + (n << shift) */
	uint8_t (*read)(struct ns16550 *u, unsigned int reg);
	void (*write)(struct ns16550 *u, unsigned int reg, uint8_t v);
	/* The interrupt arch_irq_request() takes for this port (x86: the
	 * GSI of its ISA IRQ), or -1; asked when the console starts input,
	 * after the interrupt controllers are up. NULL: no interrupt. */
	int (*irq)(struct ns16550 *u);
	struct uart_tx tx;		/* bounded waits for room (uart_tx.h) */
	struct console con;
	struct console_input input;
};

/* Program 8N1 at `baud` from a `clock_hz` input clock; FIFOs on. */
void ns16550_init(struct ns16550 *u, unsigned int baud, unsigned int clock_hz);
void ns16550_putc(struct ns16550 *u, char c);
/* A received character, or -1 if none is waiting. */
int ns16550_getc(struct ns16550 *u);
/* Make it a printk console (turning "\n" into "\r\n") and a console input. */
void ns16550_register_console(struct ns16550 *u, const char *name);

#endif
