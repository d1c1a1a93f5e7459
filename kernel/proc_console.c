/*
 * kernel/proc_console.c - the console's process commands (docs/console.md,
 * "Programs"): run, wait, ps, maps, kill (`syscalls` is in
 * kernel/entry.c).
 *
 *	mm> run memhog 32M		foreground: the console waits; ^C
 *					sends SIGINT to it
 *	mm> run sh -c 'echo hi | wc -c' &
 *	[1] 7				background: job 1 is pid 7
 *	mm> wait			every background job, how each ended
 *
 * A program is found by name in /bin (or by a path with a '/', on any
 * file system), started with process_spawn() (kernel/process.h) and reaped by
 * process_wait(): programs started here have no parent process.
 */
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/signal.h"
#include "kernel/tty.h"
#include "mm/mm.h"

#define MAX_JOBS	16

/* Background jobs: slot i is job i + 1; pid 0 = free. Only the console
 * thread touches this table. */
static struct job {
	int pid;
	char name[PROCESS_NAME_LEN];
} jobs[MAX_JOBS];

static const char *const run_envp[] = {
	"PATH=/bin", "HOME=/", "TERM=vt100", NULL,
};

/* How a process ended, from its wait4 status word, in the words `run`
 * and `wait` print: "exited with status 1", "killed by SIGSEGV". */
static const char *describe_status(int status, char *buf, size_t size)
{
	char sb[16];

	if ((status & 0x7f) == 0)
		ksnprintf(buf, size, "exited with status %d",
			  (status >> 8) & 0xff);
	else
		ksnprintf(buf, size, "killed by %s",
			  signal_name(status & 0x7f, sb, sizeof(sb)));
	return buf;
}

/* ^C or ^\ typed while a program has the terminal (interrupt context). */
static void console_intr(int pgrp, int sig)
{
	if (pgrp > 0)
		kill_pid(-pgrp, sig);
}

static const char *base_name(const char *path)
{
	const char *base = path;

	for (const char *s = path; *s; s++)
		if (*s == '/')
			base = s + 1;
	return base;
}

static int cmd_run(int argc, char **argv)
{
	bool background = argc > 1 && !strcmp(argv[argc - 1], "&");
	char path[64], how[48];
	int pid, status, r;

	if (background)
		argv[--argc] = NULL;
	if (argc < 2) {
		printk("run: usage: run PROGRAM [ARGS...] [&]\n");
		return 1;
	}
	r = program_find(argv[1], path, sizeof(path));
	if (r == -ENOENT) {
		printk("run: %s: no such program\n", argv[1]);
		return 1;
	}
	if (r) {
		printk("run: %s: cannot be run (error %d)\n", argv[1], r);
		return 1;
	}
	/* argv[1..] is the program's argv: its argv[0] as typed. */
	pid = process_spawn(path, (const char *const *)&argv[1], run_envp);
	if (pid < 0) {
		printk("run: %s: not started (error %d)\n", argv[1], pid);
		return 1;
	}
	if (background) {
		for (int i = 0; i < MAX_JOBS; i++) {
			if (jobs[i].pid)
				continue;
			jobs[i].pid = pid;
			strlcpy(jobs[i].name, base_name(argv[1]),
				sizeof(jobs[i].name));
			printk("[%d] %d\n", i + 1, pid);
			return 0;
		}
		/* No slot: it runs, but only the foreground can reap it. */
		printk("run: %d background jobs already; waiting for %s in "
		       "the foreground\n", MAX_JOBS, argv[1]);
	}
	tty_set_intr_handler(console_intr);
	tty_set_foreground(pid);	/* a spawned process leads its group */
	status = process_wait(pid);
	tty_set_foreground(0);
	if (status < 0) {
		printk("run: %s: lost (error %d)\n", argv[1], status);
		return 1;
	}
	if (status != 0)
		printk("run: %s %s\n", base_name(argv[1]),
		       describe_status(status, how, sizeof(how)));
	return status != 0;
}
CONSOLE_COMMAND(run, "run a program: run PROG [ARGS...] [&]", cmd_run);

static int cmd_wait(int argc, char **argv)
{
	char how[48];
	int n = 0;

	(void)argv;
	if (argc > 1) {
		printk("wait: takes no arguments (it waits for every job)\n");
		return 1;
	}
	for (int i = 0; i < MAX_JOBS; i++) {
		int status;

		if (!jobs[i].pid)
			continue;
		status = process_wait(jobs[i].pid);
		if (status < 0)
			printk("[%d] %d %s: lost (error %d)\n", i + 1,
			       jobs[i].pid, jobs[i].name, status);
		else
			printk("[%d] %d %s %s\n", i + 1, jobs[i].pid,
			       jobs[i].name,
			       describe_status(status, how, sizeof(how)));
		jobs[i].pid = 0;
		n++;
	}
	if (!n)
		printk("wait: no background jobs\n");
	return 0;
}
CONSOLE_COMMAND(wait, "wait for every background program to end", cmd_wait);

#define K(pages)	((pages) << (PAGE_SHIFT - 10))

/* Linux ps's STAT letter: R running or ready, S sleeping, Z zombie. */
static char process_stat(const struct process *p)
{
	if (p->state == PROCESS_ZOMBIE)
		return 'Z';
	if (p->thread && p->thread->state == THREAD_SLEEPING)
		return 'S';
	return 'R';
}

static int cmd_ps(int argc, char **argv)
{
	char threads_cmd[] = "threads";
	struct process *p;
	unsigned long flags;

	(void)argv;
	if (argc > 1) {
		printk("ps: takes no arguments\n");
		return 1;
	}
	printk("  PID  PPID STAT      VSZ      RSS     SWAP COMMAND\n");
	/* Under process_lock: exit drops p->mm under it before putting the
	 * mm, so an mm seen here stays alive until the unlock. */
	spin_lock_irqsave(&process_lock, flags);
	for_each_process(p) {
		struct mm_struct *mm = p->mm;
		unsigned long vsz = 0, rss = 0, swap = 0;

		if (mm) {
			vsz = READ_ONCE(mm->total_vm);
			for (int i = 0; i < NR_MM_COUNTERS; i++)
				if (i != MM_SWAPENTS)
					rss += (unsigned long)
					       READ_ONCE(mm->rss[i]);
			swap = (unsigned long)READ_ONCE(mm->rss[MM_SWAPENTS]);
		}
		printk("%5d %5d %c    %8lu %8lu %8lu %s\n", p->pid,
		       p->parent ? p->parent->pid : 0, process_stat(p),
		       K(vsz), K(rss), K(swap), p->name);
	}
	spin_unlock_irqrestore(&process_lock, flags);
	printk("(VSZ, RSS, SWAP in KiB) kernel threads:\n");
	return console_execute(threads_cmd);
}
CONSOLE_COMMAND(ps, "processes: PID PPID STAT VSZ RSS, then kernel threads",
		cmd_ps);

/* A pid argument: a positive decimal number, or 0 after a message. */
static int parse_pid(const char *cmd, const char *s)
{
	uint64_t n;

	if (!parse_u64(s, &n, false) || n == 0 || n >= PID_MAX) {
		printk("%s: '%s' is not a process id\n", cmd, s);
		return 0;
	}
	return (int)n;
}

static int cmd_maps(int argc, char **argv)
{
	struct process *p;
	struct mm_struct *mm = NULL;
	unsigned long flags;
	int pid;

	if (argc != 2) {
		printk("maps: usage: maps PID\n");
		return 1;
	}
	pid = parse_pid("maps", argv[1]);
	if (!pid)
		return 1;
	/* p->mm is dropped under process_lock before its last put. */
	spin_lock_irqsave(&process_lock, flags);
	p = find_process_by_pid(pid);
	if (p && p->mm) {
		mm = p->mm;
		mmget(mm);
	}
	spin_unlock_irqrestore(&process_lock, flags);
	if (!mm) {
		printk("maps: no process %d with an address space\n", pid);
		return 1;
	}
	show_maps(mm);
	mmput(mm);
	return 0;
}
CONSOLE_COMMAND(maps, "a process's mappings, as /proc/PID/maps", cmd_maps);

static int cmd_kill(int argc, char **argv)
{
	int sig = SIGTERM, pid, r;
	int a = 1;

	if (argc == 3 && argv[1][0] == '-') {
		sig = signal_from_name(argv[1] + 1);
		if (!sig) {
			printk("kill: '%s' is not a signal (e.g. -9, -KILL, "
			       "-SIGINT)\n", argv[1]);
			return 1;
		}
		a = 2;
	} else if (argc != 2) {
		printk("kill: usage: kill [-SIGNAL] PID\n");
		return 1;
	}
	pid = parse_pid("kill", argv[a]);
	if (!pid)
		return 1;
	r = kill_pid(pid, sig);
	if (r == -ESRCH) {
		printk("kill: no process %d\n", pid);
		return 1;
	}
	if (r) {
		printk("kill: error %d\n", r);
		return 1;
	}
	return 0;
}
CONSOLE_COMMAND(kill, "send a signal: kill [-SIGNAL] PID (default TERM)",
		cmd_kill);
