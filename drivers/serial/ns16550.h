/*
 * drivers/serial/ns16550.h - the 16550 UART (PC COM ports; also found
 * memory-mapped on many boards).
 *
 * The driver does not know how registers are reached: the board gives it
 * read/write functions (x86 port I/O, or MMIO with a register stride).
 * Polled: output waits for the transmitter, input is read when asked.
 */
#ifndef DRIVERS_SERIAL_NS16550_H
#define DRIVERS_SERIAL_NS16550_H

#include "kernel/printk.h"

struct ns16550 {
	uintptr_t base;
	unsigned int reg_shift;		/* register n is at base + (n << shift) */
	uint8_t (*read)(struct ns16550 *u, unsigned int reg);
	void (*write)(struct ns16550 *u, unsigned int reg, uint8_t v);
	struct console con;
};

/* Program 8N1 at `baud` from a `clock_hz` input clock; FIFOs on. */
void ns16550_init(struct ns16550 *u, unsigned int baud, unsigned int clock_hz);
void ns16550_putc(struct ns16550 *u, char c);
/* A received character, or -1 if none is waiting. */
int ns16550_getc(struct ns16550 *u);
/* Make it a printk console (turning "\n" into "\r\n") and the console input. */
void ns16550_register_console(struct ns16550 *u, const char *name);

#endif
