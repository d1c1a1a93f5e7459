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

/* Where typed characters come from: set by the UART driver. */
void console_set_input(int (*getc)(void));

#endif
