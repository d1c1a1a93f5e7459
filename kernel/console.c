/*
 * kernel/console.c - the `mm> ` prompt: reads a line with simple editing
 * (kernel/lib/line_edit.h), splits it into words as a shell would
 * (kernel/lib/argv_split.h: quotes and backslashes) and runs the command
 * of that name (CONSOLE_COMMAND).
 *
 * How a typed character gets here (docs/console.md): the UART raises its
 * receive interrupt; the driver's handler drains the hardware FIFO into
 * console_input_push(), which queues the bytes in a ring (kfifo) and wakes
 * the wait queue the console thread sleeps on; the thread takes them out
 * one by one and feeds the line editor. Only an input without a usable
 * interrupt is polled, every 10 ms (said at the first prompt).
 */
#include "kernel/console.h"
#include "kernel/cmdline.h"
#include "kernel/kunit.h"
#include "kernel/lib/argv_split.h"
#include "kernel/lib/kfifo.h"
#include "kernel/lib/line_edit.h"
#include "kernel/lib/string.h"
#include "kernel/fault.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/tty.h"
#include "kernel/wait.h"
#include <arch/cpu.h>
#include <arch/machine.h>

extern const struct console_command *const __start_console_cmds[];
extern const struct console_command *const __stop_console_cmds[];

#define LINE_MAX	256
#define MAX_ARGS	16
#define INPUT_RING_SIZE	4096	/* a 4000-character paste fits whole */
#define POLL_MS		10	/* one tick at HZ=100 */

static struct console_input *inputs;
static bool any_polled;			/* some input has no interrupt */

static unsigned char input_buf[INPUT_RING_SIZE];
static struct kfifo input_ring = {
	.buf = input_buf, .mask = INPUT_RING_SIZE - 1,
};
/* Producers are interrupt handlers of up to two UARTs and the polling
 * thread: they take this lock; the console thread reads without it. */
static DEFINE_SPINLOCK(input_lock);
static DECLARE_WAIT_QUEUE_HEAD(input_wait);

void console_add_input(struct console_input *in)
{
	in->next = inputs;
	inputs = in;
}

void console_input_push(const char *s, size_t n)
{
	unsigned long flags;

	/* A program in the foreground has the terminal (kernel/tty.h). */
	if (tty_receive(s, n))
		return;
	spin_lock_irqsave(&input_lock, flags);
	for (size_t i = 0; i < n; i++)
		kfifo_put(&input_ring, (unsigned char)s[i]);
	spin_unlock_irqrestore(&input_lock, flags);
	wake_up(&input_wait);
}

void console_input_receive(struct console_input *in)
{
	char buf[32];
	size_t n = 0;
	int c, budget = INPUT_RING_SIZE;

	while (budget-- > 0 && (c = in->poll(in)) >= 0) {
		buf[n++] = (char)c;
		if (n == sizeof(buf)) {
			console_input_push(buf, n);
			n = 0;
		}
	}
	if (n)
		console_input_push(buf, n);
}

/* Ask every input for its interrupt; note the ones left polled. */
static void start_inputs(void)
{
	for (struct console_input *in = inputs; in; in = in->next) {
		in->by_irq = in->start_irq && in->start_irq(in) == 0;
		if (in->by_irq) {
			pr_info("console: %s input by interrupt\n", in->name);
		} else {
			any_polled = true;
			pr_info("console: %s has no receive interrupt: its input "
				"is polled every %d ms\n", in->name, POLL_MS);
		}
	}
}

/* The polled inputs' waiting bytes into the ring (at most a ringful each,
 * so a UART that never runs dry cannot hold the thread here). */
static void poll_inputs(void)
{
	for (struct console_input *in = inputs; in; in = in->next)
		if (!in->by_irq)
			console_input_receive(in);
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
	char why[64];
	int argc = argv_split(line, argv, MAX_ARGS, why, sizeof(why));

	/* Words as a shell splits them (quotes, backslashes), so every
	 * command takes "a b" as one argument. */
	if (argc < 0) {
		printk("console: %s; nothing run\n", why);
		return 1;
	}
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

/* The next typed byte: sleeps on input_wait until one is queued. */
static int read_char(void)
{
	unsigned char c;

	for (;;) {
		unsigned long dropped = kfifo_take_dropped(&input_ring);

		if (dropped)
			pr_warn("console: input ring full: %lu typed bytes "
				"dropped\n", dropped);
		if (any_polled || !sched_running)
			poll_inputs();
		if (kfifo_get(&input_ring, &c))
			break;
		if (!sched_running)
			arch_wait_for_interrupt();	/* no threads yet */
		else if (any_polled)
			wait_event_timeout(input_wait,
					   !kfifo_is_empty(&input_ring), POLL_MS);
		else
			wait_event(input_wait, !kfifo_is_empty(&input_ring));
	}
	return c;
}

static void echo(void *ctx, const char *s)
{
	(void)ctx;
	printk(KERN_CONT "%s", s);
}

void console_run(void)
{
	static char line[LINE_MAX];
	struct line_edit ed;

	start_inputs();
	line_edit_init(&ed, line, sizeof(line), echo, NULL);
	printk("Type `help` for commands.\n");
	for (;;) {
		enum line_edit_result r;

		printk_time = false;	/* no timestamps on what is typed */
		printk("mm> ");
		while ((r = line_edit_feed(&ed, read_char())) == LINE_EDIT_MORE)
			;
		if (r == LINE_EDIT_DONE)
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
