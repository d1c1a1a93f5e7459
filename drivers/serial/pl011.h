/*
 * drivers/serial/pl011.h - the Arm PrimeCell UART (PL011): QEMU virt's
 * serial port, and the Raspberry Pi's "full" UART (UART0).
 *
 * The board maps the registers (ioremap) and gives the driver their
 * virtual address, the UART's reference clock and its interrupt. Output
 * waits for room in the transmit FIFO, but not forever (uart_tx.h). Input, once the console starts it,
 * comes by the receive and receive-timeout interrupts (TRM 3.4): the
 * handler drains the receive FIFO into console_input_push(). Without an
 * interrupt the console polls pl011_getc().
 */
#ifndef DRIVERS_SERIAL_PL011_H
#define DRIVERS_SERIAL_PL011_H

#include "drivers/serial/uart_tx.h"
#include "kernel/console.h"
#include "kernel/printk.h"

struct pl011 {
	volatile void *base;		/* mapped registers */
	unsigned int clock_hz;		/* UARTCLK; 0: keep the firmware's baud */
	unsigned int irq;		/* for arch_irq_request; 0: none (polled) */
	struct uart_tx tx;		/* bounded waits for room (uart_tx.h) */
	struct console con;
	struct console_input input;
};

/* Program 8N1 at `baud` (when clock_hz is known), FIFOs on, interrupts
 * masked, transmitter and receiver enabled. */
void pl011_init(struct pl011 *u, unsigned int baud);
/* Program the divisor for a clock learnt later (keeps interrupts and
 * enables as they are); waits for the transmitter to be idle first. */
void pl011_set_baud(struct pl011 *u, unsigned int clock_hz, unsigned int baud);
void pl011_putc(struct pl011 *u, char c);
/* A received character, or -1 if none is waiting. */
int pl011_getc(struct pl011 *u);
/* Make it a printk console ("\n" -> "\r\n"); `input`: also a console input. */
void pl011_register_console(struct pl011 *u, const char *name, bool input);

/* The baud rate divisor for clock_hz and baud, as the PL011 takes it:
 * integer part and 6-bit fraction (TRM 3.3.6). Exposed for tests. */
void pl011_divisor(unsigned int clock_hz, unsigned int baud,
		   unsigned int *ibrd, unsigned int *fbrd);

#endif
