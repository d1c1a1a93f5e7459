/*
 * drivers/serial/bcm2835_aux.h - the Raspberry Pi's "mini UART" (UART1 of
 * the BCM2835 auxiliary peripherals). By default the Pi 3 and Pi 4 route
 * it to GPIO 14/15, the header's TX/RX pins, while the PL011 drives
 * Bluetooth. Its baud rate derives from the VPU core clock, which the
 * firmware fixes when config.txt says enable_uart=1; so this driver keeps
 * the firmware's line settings and only moves bytes. Output is polled,
 * each wait for room bounded (uart_tx.h: a mini UART whose clock the
 * firmware did not set never makes room);
 * input, once the console starts it, comes by the receive interrupt
 * (AUX_MU_IER_REG bit 0; the AUX block's one line, shared by UART1 and
 * the two SPI masters, which this kernel does not use). Without an
 * interrupt the console polls bcm2835_aux_getc().
 */
#ifndef DRIVERS_SERIAL_BCM2835_AUX_H
#define DRIVERS_SERIAL_BCM2835_AUX_H

#include "drivers/serial/uart_tx.h"
#include "kernel/console.h"
#include "kernel/printk.h"

struct bcm2835_aux {
	volatile void *base;	/* mapped AUX_MU_IO_REG (the device tree's reg) */
	unsigned int irq;	/* for arch_irq_request; 0: none (polled) */
	struct uart_tx tx;	/* bounded waits for room (uart_tx.h) */
	struct console con;
	struct console_input input;
};

void bcm2835_aux_putc(struct bcm2835_aux *u, char c);
/* A received character, or -1 if none is waiting. */
int bcm2835_aux_getc(struct bcm2835_aux *u);
/* Make it a printk console ("\n" -> "\r\n"); `input`: also a console input. */
void bcm2835_aux_register_console(struct bcm2835_aux *u, const char *name,
				  bool input);

#endif
