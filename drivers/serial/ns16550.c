/*
 * drivers/serial/ns16550.c - 16550 UART: output polled, input by the
 * receive interrupt. Register map from the National Semiconductor
 * PC16550D data sheet.
 */
#include "drivers/serial/ns16550.h"
#include "drivers/serial/uart_tx.h"
#include <arch/irq.h>

enum {
	UART_RBR = 0, UART_THR = 0, UART_DLL = 0,	/* DLAB=1: divisor low */
	UART_IER = 1, UART_DLM = 1,
	UART_FCR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
};
#define IER_RDI		0x01		/* received data available (and timeout) */
#define MCR_DTR_RTS	0x03
#define MCR_OUT2	0x08		/* PC: gates the UART's line to the interrupt controller */
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20

void ns16550_init(struct ns16550 *u, unsigned int baud, unsigned int clock_hz)
{
	unsigned int divisor = clock_hz / (16 * baud);

	u->write(u, UART_IER, 0);		/* polled: no interrupts */
	u->write(u, UART_LCR, LCR_DLAB);
	u->write(u, UART_DLL, divisor & 0xff);
	u->write(u, UART_DLM, (divisor >> 8) & 0xff);
	u->write(u, UART_LCR, LCR_8N1);
	u->write(u, UART_FCR, 0x07);		/* enable and clear FIFOs */
	u->write(u, UART_MCR, MCR_DTR_RTS);
}

static bool ns16550_tx_ready(void *arg)
{
	struct ns16550 *u = arg;

	return u->read(u, UART_LSR) & LSR_THR_EMPTY;
}

void ns16550_putc(struct ns16550 *u, char c)
{
	if (uart_tx_wait(&u->tx, ns16550_tx_ready, u))
		u->write(u, UART_THR, (uint8_t)c);
}

int ns16550_getc(struct ns16550 *u)
{
	if (!(u->read(u, UART_LSR) & LSR_DATA_READY))
		return -1;
	return u->read(u, UART_RBR);
}

static void ns16550_console_write(struct console *con, const char *s, size_t len)
{
	struct ns16550 *u = container_of(con, struct ns16550, con);

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			ns16550_putc(u, '\r');
		ns16550_putc(u, s[i]);
	}
}

/*
 * The receive interrupt: take every byte the FIFO holds. Reading RBR until
 * LSR says empty is what lowers the interrupt (data sheet, table IV), so
 * an edge-triggered line rises again for the next byte.
 */
static void ns16550_rx_interrupt(void *arg)
{
	struct ns16550 *u = arg;

	console_input_receive(&u->input);
}

static int ns16550_input_poll(struct console_input *in)
{
	return ns16550_getc(container_of(in, struct ns16550, input));
}

static int ns16550_input_start_irq(struct console_input *in)
{
	struct ns16550 *u = container_of(in, struct ns16550, input);
	int irq = u->irq ? u->irq(u) : -1;

	if (irq < 0 || arch_irq_request((unsigned int)irq, ns16550_rx_interrupt, u) < 0)
		return -1;
	u->write(u, UART_MCR, MCR_DTR_RTS | MCR_OUT2);
	u->write(u, UART_IER, IER_RDI);	/* raises it at once if bytes wait */
	return 0;
}

void ns16550_register_console(struct ns16550 *u, const char *name)
{
	u->con.name = name;
	u->con.write = ns16550_console_write;
	register_console(&u->con);
	u->input.name = name;
	u->input.poll = ns16550_input_poll;
	u->input.start_irq = ns16550_input_start_irq;
	console_add_input(&u->input);
}
