/*
 * kernel/profile.c - the tick's sampling profiler (kernel/profile.h) and
 * the console's `profile start|stop|show [N]`.
 *
 * Samples go into one array, claimed slot by slot with an atomic
 * increment from every CPU's tick; when it is full, later ticks are
 * counted as dropped. `show` sorts a copy of the program counters, so
 * that the samples of one function sit together, and ranks the functions.
 */
#include "kernel/profile.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/thread.h"
#include "kernel/time.h"
#include "mm/vmalloc.h"
#include "kernel/spinlock.h"
#include <arch/thread.h>
#include <arch/user.h>

#define PROFILE_DEFAULT_SAMPLES	65536UL
#define PROFILE_MAX_SAMPLES	(1UL << 22)

/* Stand-in program counters for the buckets that are not functions. */
#define PC_IDLE		1UL	/* a CPU's idle thread */
#define PC_NOREGS	2UL	/* a tick without an interrupt frame */

static DEFINE_PER_CPU(struct pt_regs *, irq_regs);

struct pt_regs *get_irq_regs(void)
{
	return *this_cpu_ptr(irq_regs);
}

/* For the lock debugger (kernel/spinlock.h): in a handler or not. */
static bool in_irq_handler(void)
{
	return get_irq_regs() != NULL;
}

struct pt_regs *set_irq_regs(struct pt_regs *regs)
{
	struct pt_regs **slot = this_cpu_ptr(irq_regs);
	struct pt_regs *old = *slot;

	if (!lockdebug_in_irq)
		lockdebug_in_irq = in_irq_handler;	/* the first interrupt */

	*slot = regs;
	return old;
}

static unsigned long *samples;	/* NULL when stopped and never started */
static unsigned long nr_max;
static unsigned long nr_taken;	/* slots claimed (may pass nr_max) */
static bool running;
static unsigned int in_tick;	/* ticks between their check and their store */

void profile_tick(void)
{
	struct pt_regs *regs;
	unsigned long i, pc;

	if (!READ_ONCE(running))
		return;
	/* Announce, then look again: profile_stop clears running, then
	 * waits for in_tick to drain, so a tick that saw running here
	 * stores into the buffer before anyone may free it. */
	__atomic_add_fetch(&in_tick, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&running, __ATOMIC_SEQ_CST)) {
		regs = get_irq_regs();
		if (arch_current()->is_idle)
			pc = PC_IDLE;
		else
			pc = regs ? instruction_pointer(regs) : PC_NOREGS;
		i = __atomic_fetch_add(&nr_taken, 1, __ATOMIC_RELAXED);
		if (i < nr_max)
			samples[i] = pc;
	}
	__atomic_sub_fetch(&in_tick, 1, __ATOMIC_RELEASE);
}

int profile_start(unsigned long max)
{
	unsigned long *buf;

	if (READ_ONCE(running))
		return -EBUSY;
	if (!max)
		max = PROFILE_DEFAULT_SAMPLES;
	buf = vmalloc(max * sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	if (samples)
		vfree(samples);
	samples = buf;
	nr_max = max;
	WRITE_ONCE(nr_taken, 0);
	__atomic_store_n(&running, true, __ATOMIC_RELEASE);
	return 0;
}

void profile_stop(void)
{
	__atomic_store_n(&running, false, __ATOMIC_SEQ_CST);
	/* A tick that saw running may still be storing its sample (on a
	 * vCPU the host has not scheduled, for a while): wait for it, so
	 * show and the next start may read or free the buffer. */
	while (__atomic_load_n(&in_tick, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
}

static int by_pc(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* What a sample's pc is charged to: a function's name, or a bucket. */
static const char *bucket(unsigned long pc)
{
	unsigned long off;
	const char *name;

	if (pc == PC_IDLE)
		return "[idle]";
	if (pc == PC_NOREGS)
		return "[tick without a frame]";
	name = ksym_lookup(pc, &off);
	if (name)
		return name;
	if ((long)pc >= 0)		/* the lower half: user space */
		return "[user]";
	return "[kernel, no symbol]";
}

struct profile_entry {
	const char *name;
	unsigned long count;
};

static int by_count(const void *a, const void *b)
{
	const struct profile_entry *x = a, *y = b;

	return x->count > y->count ? -1 : x->count < y->count;
}

void profile_show(unsigned int n)
{
	unsigned long taken = READ_ONCE(nr_taken), nr, nr_entries = 0;
	struct profile_entry *ents;
	unsigned long *pcs;

	if (READ_ONCE(running)) {
		printk("profile: still running; `profile stop` first\n");
		return;
	}
	nr = taken < nr_max ? taken : nr_max;
	if (!samples || !nr) {
		printk("profile: no samples (profile start, run something, profile stop)\n");
		return;
	}
	pcs = vmalloc(nr * sizeof(*pcs));
	ents = vmalloc(nr * sizeof(*ents));
	if (!pcs || !ents) {
		printk("profile: no memory to sort %lu samples\n", nr);
		goto out;
	}
	memcpy(pcs, samples, nr * sizeof(*pcs));
	sort(pcs, nr, sizeof(*pcs), by_pc);
	/* The samples of one function are adjacent now, and its name is
	 * the symbol table's own string: compare pointers with the last
	 * entry. A bucket ("[user]", ...) may be split by the functions
	 * whose pcs sort between its own: look for it among all. */
	for (unsigned long i = 0; i < nr; i++) {
		const char *name = bucket(pcs[i]);
		struct profile_entry *e = NULL;

		if (nr_entries && ents[nr_entries - 1].name == name)
			e = &ents[nr_entries - 1];
		for (unsigned long j = 0; !e && name[0] == '[' && j < nr_entries; j++)
			if (ents[j].name == name)
				e = &ents[j];
		if (!e) {
			e = &ents[nr_entries++];
			*e = (struct profile_entry){ name, 0 };
		}
		e->count++;
	}
	sort(ents, nr_entries, sizeof(*ents), by_count);
	printk("profile: %lu samples at %d Hz per CPU%s", nr, HZ,
	       taken > nr ? "" : "\n");
	if (taken > nr)
		printk(" (%lu more dropped: the buffer was full)\n", taken - nr);
	for (unsigned long i = 0; i < nr_entries && i < n && ents[i].count; i++)
		printk("%6lu %5lu.%lu%%  %s\n", ents[i].count,
		       ents[i].count * 100 / nr, ents[i].count * 1000 / nr % 10,
		       ents[i].name);
out:
	vfree(pcs);
	vfree(ents);
}

static int cmd_profile(int argc, char **argv)
{
	uint64_t v = 0;

	if (argc >= 2 && !strcmp(argv[1], "start") && argc <= 3) {
		int err;

		if (argc == 3 && (!parse_u64(argv[2], &v, false) || !v ||
				  v > PROFILE_MAX_SAMPLES)) {
			printk("profile: '%s' is not a sample count (1-%lu)\n",
			       argv[2], PROFILE_MAX_SAMPLES);
			return 1;
		}
		err = profile_start((unsigned long)v);
		if (err == -EBUSY)
			printk("profile: already running\n");
		else if (err)
			printk("profile: no memory for the samples\n");
		return err ? 1 : 0;
	}
	if (argc == 2 && !strcmp(argv[1], "stop")) {
		profile_stop();
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "show") && argc <= 3) {
		v = 20;
		if (argc == 3 && (!parse_u64(argv[2], &v, false) || !v)) {
			printk("profile: '%s' is not a count of lines\n", argv[2]);
			return 1;
		}
		profile_show((unsigned int)(v > 100000 ? 100000 : v));
		return 0;
	}
	printk("usage: profile start [SAMPLES] | stop | show [N]\n");
	return 1;
}
CONSOLE_COMMAND(profile, "profile start [SAMPLES]|stop|show [N]: where the "
		"CPUs spend their time, sampled on the timer tick", cmd_profile);
