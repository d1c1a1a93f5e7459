/*
 * kernel/idle_console.c - the console's `idle PID [SECONDS]`: a process's
 * idle working set over an interval (mm/page_idle.h, docs/mm/page_idle.md).
 *
 *	mm> idle 12 5
 *	idle: marked 1024 pages of pid 12 idle, waiting 5 s
 *	idle: pid 12 total 4096 kB idle 3072 kB (anon 2048 kB, file 1024 kB)
 *	accessed 1024 kB (anon 1024 kB, file 0 kB) pages 1024 idle 768
 *
 * (the result is one line). Every page the process maps is marked idle;
 * after the interval, a page it (or anyone sharing it) touched is
 * "accessed", the rest "idle". Pages first mapped during the interval
 * count as accessed.
 */
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "mm/mm.h"
#include "mm/page_idle.h"

#define IDLE_DEFAULT_SECONDS	5
#define IDLE_MAX_SECONDS	3600

static unsigned long kb(unsigned long pages)
{
	return pages * (PAGE_SIZE / 1024);
}

/* A reference on pid's address space, or NULL (printed). */
static struct mm_struct *idle_get_mm(int pid)
{
	struct mm_struct *mm = NULL;
	struct process *p;
	unsigned long flags;

	/* p->mm is dropped under process_lock before its last put. */
	spin_lock_irqsave(&process_lock, flags);
	p = find_process_by_pid(pid);
	if (p && p->mm) {
		mm = p->mm;
		mmget(mm);
	}
	spin_unlock_irqrestore(&process_lock, flags);
	return mm;
}

static bool same_mm(int pid, struct mm_struct *mm)
{
	struct mm_struct *now = idle_get_mm(pid);
	bool same = now == mm;

	if (now)
		mmput(now);
	return same;
}

static int cmd_idle(int argc, char **argv)
{
	uint64_t pid, seconds = IDLE_DEFAULT_SECONDS;
	struct mm_struct *mm;
	struct idle_count c;
	unsigned long marked, total, idle;

	if (argc < 2 || argc > 3) {
		printk("idle: usage: idle PID [SECONDS] (default %d)\n",
		       IDLE_DEFAULT_SECONDS);
		return 1;
	}
	if (!parse_u64(argv[1], &pid, false) || pid == 0 || pid >= PID_MAX) {
		printk("idle: '%s' is not a process id\n", argv[1]);
		return 1;
	}
	if (argc == 3 && (!parse_u64(argv[2], &seconds, false) ||
			  seconds == 0 || seconds > IDLE_MAX_SECONDS)) {
		printk("idle: '%s' is not a number of seconds (1..%d)\n",
		       argv[2], IDLE_MAX_SECONDS);
		return 1;
	}
	mm = idle_get_mm((int)pid);
	if (!mm) {
		printk("idle: no process %llu with an address space\n",
		       (unsigned long long)pid);
		return 1;
	}
	marked = mm_idle_mark(mm);
	printk("idle: marked %lu pages of pid %llu idle, waiting %llu s\n",
	       marked, (unsigned long long)pid, (unsigned long long)seconds);
	sleep_ms((unsigned int)seconds * 1000);
	if (!same_mm((int)pid, mm)) {
		/* It exited (or exec'd a new image): its pages are gone. */
		printk("idle: pid %llu exited or exec'd during the interval\n",
		       (unsigned long long)pid);
		mmput(mm);
		return 1;
	}
	mm_idle_count(mm, &c);
	mmput(mm);
	total = c.anon + c.file;
	idle = c.anon_idle + c.file_idle;
	printk("idle: pid %llu total %lu kB idle %lu kB (anon %lu kB, file %lu "
	       "kB) accessed %lu kB (anon %lu kB, file %lu kB) pages %lu "
	       "idle %lu\n", (unsigned long long)pid, kb(total), kb(idle),
	       kb(c.anon_idle), kb(c.file_idle), kb(total - idle),
	       kb(c.anon - c.anon_idle), kb(c.file - c.file_idle), total, idle);
	return 0;
}
CONSOLE_COMMAND(idle, "idle PID [SECONDS]: a process's idle and accessed "
		"pages over an interval (default 5 s)", cmd_idle);
