/*
 * drivers/serial/pl011.h - the Arm PrimeCell UART (PL011): QEMU virt's
 * serial port, and the Raspberry Pi's "full" UART (UART0).
 *
 * The board maps the registers (ioremap) and gives the driver their
 * virtual address and the UART's reference clock. Polled: output waits
 * for room in the transmit FIFO, input is read when asked.
 */
#ifndef DRIVERS_SERIAL_PL011_H
#define DRIVERS_SERIAL_PL011_H

#include "kernel/printk.h"

struct pl011 {
	volatile void *base;		/* mapped registers */
	unsigned int clock_hz;		/* UARTCLK; 0: keep the firmware's baud */
	struct console con;
};

/* Program 8N1 at `baud` (when clock_hz is known), FIFOs on, interrupts
 * masked, transmitter and receiver enabled. */
void pl011_init(struct pl011 *u, unsigned int baud);
void pl011_putc(struct pl011 *u, char c);
/* A received character, or -1 if none is waiting. */
int pl011_getc(struct pl011 *u);
/* Make it a printk console ("\n" -> "\r\n"); `input`: also the console input. */
void pl011_register_console(struct pl011 *u, const char *name, bool input);

/* The baud rate divisor for clock_hz and baud, as the PL011 takes it:
 * integer part and 6-bit fraction (TRM 3.3.6). Exposed for tests. */
void pl011_divisor(unsigned int clock_hz, unsigned int baud,
		   unsigned int *ibrd, unsigned int *fbrd);

#endif
