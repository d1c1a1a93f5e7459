/*
 * kernel/console.c - the `mm> ` prompt: reads a line with simple editing
 * (backspace, Ctrl-U to erase the line, Ctrl-C to drop it), splits it into
 * words and runs the command of that name (CONSOLE_COMMAND). Input is
 * polled: between characters the console thread sleeps a tick, so this
 * CPU's idle thread (and anything else ready) runs meanwhile.
 */
#include "kernel/console.h"
#include "kernel/cmdline.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/fault.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include <arch/cpu.h>
#include <arch/machine.h>

extern const struct console_command *const __start_console_cmds[];
extern const struct console_command *const __stop_console_cmds[];

#define LINE_MAX	256
#define MAX_ARGS	16

static int (*input_getc)(void);

void console_set_input(int (*getc)(void))
{
	input_getc = getc;
}

static const struct console_command *find_command(const char *name)
{
	for (const struct console_command *const *c = __start_console_cmds;
	     c < __stop_console_cmds; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

int console_execute(char *line)
{
	char *argv[MAX_ARGS + 1];
	int argc = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (argc == MAX_ARGS) {
			printk("console: more than %d words; nothing run\n", MAX_ARGS);
			return 1;
		}
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	argv[argc] = NULL;
	if (argc == 0)
		return 0;

	const struct console_command *cmd = find_command(argv[0]);

	if (!cmd) {
		printk("%s: unknown command; `help` lists them\n", argv[0]);
		return 1;
	}
	bool stamps = printk_time;
	int status;

	printk_time = false;	/* command output reads like a /proc file */
	status = cmd->run(argc, argv);
	printk_time = stamps;
	return status;
}

static int read_char(void)
{
	for (;;) {
		int c = input_getc ? input_getc() : -1;

		if (c >= 0)
			return c;
		if (sched_running)
			sleep_ms(10);			/* one tick at HZ=100 */
		else
			arch_wait_for_interrupt();	/* no threads yet */
	}
}

static void echo(const char *s)
{
	printk(KERN_CONT "%s", s);
}

void console_run(void)
{
	char line[LINE_MAX];

	printk("Type `help` for commands.\n");
	for (;;) {
		size_t n = 0;

		printk_time = false;	/* no timestamps on what is typed */
		printk("mm> ");
		for (;;) {
			int c = read_char();

			if (c == '\r' || c == '\n') {
				echo("\n");
				break;
			} else if (c == 0x7f || c == '\b') {
				if (n) {
					n--;
					echo("\b \b");
				}
			} else if (c == 0x15) {		/* Ctrl-U */
				while (n) {
					n--;
					echo("\b \b");
				}
			} else if (c == 0x03) {		/* Ctrl-C */
				n = 0;
				echo("^C\n");
				break;
			} else if (c >= ' ' && c < 0x7f && n + 1 < sizeof(line)) {
				char s[2] = { (char)c, '\0' };

				line[n++] = (char)c;
				echo(s);
			}
		}
		line[n] = '\0';
		console_execute(line);
		printk_time = true;
	}
}

/* ------------------------------------------------------------ commands */

static int cmd_help(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "params")) {
		cmdline_list_params();
		return 0;
	}
	if (argc > 1) {
		printk("help: usage: help [params]\n");
		return 1;
	}
	for (const struct console_command *const *c = __start_console_cmds;
	     c < __stop_console_cmds; c++)
		printk("  %-14s %s\n", (*c)->name, (*c)->help);
	printk("  (`help params` lists the kernel command-line options)\n");
	return 0;
}
CONSOLE_COMMAND(help, "list the commands", cmd_help);

static int cmd_test(int argc, char **argv)
{
	if (argc == 1) {
		kunit_list();
		printk("usage: test GLOB   (e.g. `test mem*`, `test *`)\n");
		return 0;
	}
	if (argc != 2) {
		printk("test: usage: test GLOB\n");
		return 1;
	}
	return kunit_run_all(argv[1], NULL) ? 0 : 1;
}
CONSOLE_COMMAND(test, "run the KTAP suites matching GLOB", cmd_test);

static int cmd_poweroff(int argc, char **argv)
{
	printk("Powering off.\n");
	arch_poweroff();
}
CONSOLE_COMMAND(poweroff, "turn the machine off (leaves QEMU)", cmd_poweroff);

static int cmd_dmesg(int argc, char **argv)
{
	static char buf[16384];
	size_t n = log_buf_read(buf, sizeof(buf));

	/* In pieces: printk formats at most a few hundred bytes at a time. */
	for (size_t i = 0; i < n; i += 256)
		printk(KERN_CONT "%.*s", (int)(n - i < 256 ? n - i : 256), buf + i);
	return 0;
}
CONSOLE_COMMAND(dmesg, "show the kernel log ring", cmd_dmesg);

static void do_crash(void *arg)
{
	volatile unsigned long *p = (volatile unsigned long *)(uintptr_t)arg;

	*p = 1;
}

static int cmd_crash(int argc, char **argv)
{
	uint64_t addr = 0x10;

	if (argc == 2 && !parse_u64(argv[1], &addr, false)) {
		printk("crash: '%s' is not an address\n", argv[1]);
		return 1;
	}
	if (argc > 2) {
		printk("crash: usage: crash [ADDRESS]\n");
		return 1;
	}
	struct fault_info fi;

	printk("crash: writing to 0x%llx to show a crash report\n",
	       (unsigned long long)addr);
	if (run_catching_faults(do_crash, (void *)(uintptr_t)addr, &fi))
		printk("crash: recovered; the kernel carries on\n");
	else
		printk("crash: the write succeeded (mapped memory)\n");
	return 0;
}
CONSOLE_COMMAND(crash, "fault on purpose to see a crash report", cmd_crash);
