/*
 * kernel/console.h - the interactive serial console (the `mm> ` prompt).
 *
 * Commands are declared next to the code they show:
 *
 *	static int cmd_buddyinfo(int argc, char **argv) { ...; return 0; }
 *	CONSOLE_COMMAND(buddyinfo, "free blocks per order, per zone", cmd_buddyinfo);
 *
 * argv[0] is the command name. A command prints with printk() and returns
 * 0, or prints a one-line reason and returns non-zero on bad arguments.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/types.h"

struct console_command {
	const char *name;
	const char *help;
	int (*run)(int argc, char **argv);
};

#define CONSOLE_COMMAND(cname, helptext, fn) \
	static const struct console_command __cmd_##cname = { \
		.name = #cname, .help = helptext, .run = fn }; \
	static const struct console_command *const __cmd_ptr_##cname \
	__used __section("console_cmds") __aligned(sizeof(void *)) = &__cmd_##cname

/* Run one command line as if typed; returns the command's status. */
int console_execute(char *line);

/* Read and run commands forever (the prompt). */
__noreturn void console_run(void);

/*
 * Where typed characters come from: a UART driver registers one input per
 * port it offers for typing (console_add_input, at boot). When the prompt
 * starts, the console asks each to start_irq(): from then on the driver's
 * interrupt handler drains the UART's receive FIFO and hands the bytes to
 * console_input_push(), which queues them in one ring (kernel/lib/kfifo.h)
 * and wakes the console thread. An input without an interrupt (start_irq
 * NULL or failing) is polled instead, every 10 ms, and the console says so.
 */
struct console_input {
	const char *name;			/* "ttyS0" */
	/* A received byte, or -1 if none is waiting (the polled path). */
	int (*poll)(struct console_input *in);
	/* Turn on receive interrupts; 0, or -1 if there is none (polled).
	 * Thread context, interrupt controllers up. */
	int (*start_irq)(struct console_input *in);
	bool by_irq;				/* set by the console */
	struct console_input *next;
};

void console_add_input(struct console_input *in);

/* Queue n received bytes for the prompt and wake it. Any context (the
 * drivers call it from their interrupt handlers); bytes that find the
 * ring full are dropped, counted and reported by the console thread. */
void console_input_push(const char *s, size_t n);

/* Move the bytes waiting in `in` (read with in->poll until it says none,
 * at most one ring's worth) into the ring: a driver's receive interrupt
 * handler, after acknowledging the interrupt, and the polled path. */
void console_input_receive(struct console_input *in);

#endif
