/*
 * drivers/serial/uart_tx.h - the transmit wait every polled UART driver
 * shares: wait for room for one byte, but not forever.
 *
 * A UART that is not clocked, not on the pins, or held by flow control
 * never makes room, and a console that spins on it hangs the kernel in
 * its first printk: a board that shows nothing and does nothing. So the
 * wait is bounded (UART_TX_WAIT_NS, and an iteration count for a clock
 * that does not run yet); a byte that finds no room by then is dropped
 * and the UART marked stuck. While stuck, each byte gets one look and no
 * wait (a boot log must not take 10 ms a byte), and the first byte that
 * finds room again ends it. Bytes dropped are counted.
 *
 *	if (uart_tx_wait(&u->tx, pl011_tx_ready, u))
 *		wr(u, UARTDR, c);
 */
#ifndef DRIVERS_SERIAL_UART_TX_H
#define DRIVERS_SERIAL_UART_TX_H

#include "kernel/time.h"
#include "kernel/types.h"

/* A byte at 9600 baud takes 1 ms, a 64-byte FIFO at 115200 under 6 ms. */
#define UART_TX_WAIT_NS		(20ULL * 1000 * 1000)
#define UART_TX_WAIT_SPINS	(1UL << 24)

struct uart_tx {
	bool stuck;			/* the last wait ran out */
	unsigned long dropped;		/* bytes given up on */
};

/* True when ready(arg) says there is room (write the byte); false when
 * the byte is to be dropped (counted). */
static inline bool uart_tx_wait(struct uart_tx *tx, bool (*ready)(void *arg),
				void *arg)
{
	uint64_t start;

	if (ready(arg)) {
		tx->stuck = false;
		return true;
	}
	if (!tx->stuck) {
		start = clock_ns();
		for (unsigned long spins = 0; spins < UART_TX_WAIT_SPINS; spins++) {
			if (ready(arg))
				return true;
			if (clock_ns() - start > UART_TX_WAIT_NS)
				break;
		}
		tx->stuck = true;
	}
	tx->dropped++;
	return false;
}

#endif
