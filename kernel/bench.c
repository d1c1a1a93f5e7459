/*
 * kernel/bench.c - in-kernel benchmarks of the concurrency primitives,
 * which cannot run on the host: `bench=NAME` on the command line (runs
 * them at boot, prints the figures, leaves QEMU) or `bench NAME` at the
 * prompt. NAME is a glob over: ctxswitch, lock, ipi, blk, cma (`bench=*`:
 * all; blk is tests/kernel/blk_bench.c, skipped without a disk; cma is
 * tests/kernel/cma_bench.c, skipped without a CMA region).
 * tools/bench-qemu boots the standard machine with bench=* and prints
 * each figure with the QEMU command beside it.
 *
 * Figures under TCG are emulated time: compare runs on the same machine
 * and QEMU command only.
 */
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/kthread.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include <arch/cpu.h>
#include <arch/machine.h>

/* ---------------------------------------------------------------- ctxswitch */

#define SWITCH_ROUNDS	20000

static struct completion cs_done;

static int yielder(void *arg)
{
	(void)arg;
	for (int i = 0; i < SWITCH_ROUNDS; i++)
		yield();
	complete(&cs_done);
	return 0;
}

static void bench_ctxswitch(void)
{
	struct thread *a, *b;
	unsigned int cpu = num_online_cpus() > 1 ? 1 : 0;

	init_completion(&cs_done);
	a = kthread_create(yielder, NULL, "yield-a");
	b = kthread_create(yielder, NULL, "yield-b");
	if (!a || !b)
		return;
	kthread_bind(a, cpu);
	kthread_bind(b, cpu);
	uint64_t t0 = clock_ns(), c0 = arch_cycles();
	uint64_t s0 = sched_nr_switches(cpu);

	wake_up_process(a);
	wake_up_process(b);
	wait_for_completion(&cs_done);
	wait_for_completion(&cs_done);
	uint64_t ns = clock_ns() - t0, cycles = arch_cycles() - c0;
	uint64_t switches = sched_nr_switches(cpu) - s0;

	kthread_stop(a);
	kthread_stop(b);
	printk("bench: ctxswitch: %llu switches between two threads on CPU %u: "
	       "%llu ns/switch (%llu arch_cycles ticks)\n", (unsigned long long)switches, cpu,
	       (unsigned long long)(ns / switches),
	       (unsigned long long)(cycles / switches));
}

/* ---------------------------------------------------------------- lock */

#define LOCK_ROUNDS	1000000

static DEFINE_SPINLOCK(bench_lock);

static void lock_loop(const char *what, bool irqsave)
{
	uint64_t t0 = clock_ns(), c0 = arch_cycles();
	unsigned long flags;

	for (int i = 0; i < LOCK_ROUNDS; i++) {
		if (irqsave) {
			spin_lock_irqsave(&bench_lock, flags);
			spin_unlock_irqrestore(&bench_lock, flags);
		} else {
			spin_lock(&bench_lock);
			spin_unlock(&bench_lock);
		}
	}
	uint64_t ns = clock_ns() - t0, cycles = arch_cycles() - c0;

	printk("bench: lock: uncontended %s, lock debugging %s: %llu.%01llu ns "
	       "per lock+unlock (%llu arch_cycles ticks)\n", what, lock_debug ? "on " : "off",
	       (unsigned long long)(ns / LOCK_ROUNDS),
	       (unsigned long long)(ns * 10 / LOCK_ROUNDS % 10),
	       (unsigned long long)(cycles / LOCK_ROUNDS));
}

static void bench_lock_all(void)
{
	bool was = lock_debug;

	for (int debug = 0; debug < 2; debug++) {
		lock_debug = debug;
		lock_loop("spin_lock", false);
		lock_loop("spin_lock_irqsave", true);
	}
	lock_debug = was;
}

/* ---------------------------------------------------------------- ipi */

#define IPI_ROUNDS	2000

static void nothing(void *arg) { (void)arg; }

static void bench_ipi(void)
{
	unsigned int target;

	preempt_disable();
	target = arch_cpu_id() == 0 ? 1 : 0;
	preempt_enable();
	if (num_online_cpus() < 2) {
		printk("bench: ipi: needs two CPUs; skipped\n");
		return;
	}
	uint64_t t0 = clock_ns(), c0 = arch_cycles();

	for (int i = 0; i < IPI_ROUNDS; i++)
		smp_call_function_single(target, nothing, NULL);
	uint64_t ns = clock_ns() - t0, cycles = arch_cycles() - c0;

	printk("bench: ipi: call-function round trip to CPU %u: %llu ns "
	       "(%llu arch_cycles ticks)\n", target, (unsigned long long)(ns / IPI_ROUNDS),
	       (unsigned long long)(cycles / IPI_ROUNDS));
}

/* ---------------------------------------------------------------- runner */

static const struct {
	const char *name;
	void (*fn)(void);
} benches[] = {
	{ "ctxswitch", bench_ctxswitch },
	{ "lock", bench_lock_all },
	{ "ipi", bench_ipi },
	{ "blk", bench_blk },
	{ "cma", bench_cma },
};

static char bench_glob[64];

static int bench_run(const char *glob)
{
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(benches); i++) {
		if (glob_match(glob, benches[i].name)) {
			benches[i].fn();
			n++;
		}
	}
	if (!n)
		printk("bench: nothing matches '%s' (ctxswitch, lock, ipi, blk, cma)\n", glob);
	return n ? 0 : 1;
}

static int set_bench(const char *v)
{
	if (!v || !*v)
		return -1;
	strlcpy(bench_glob, v, sizeof(bench_glob));
	return 0;
}
KERNEL_PARAM("bench", set_bench, "GLOB: run the kernel benchmarks matching GLOB (ctxswitch, lock, ipi, blk), then exit QEMU");

void bench_run_requested(void)
{
	if (!bench_glob[0])
		return;
	printk("bench: %u CPUs online\n", num_online_cpus());
	arch_test_exit(bench_run(bench_glob) == 0);
}

static int cmd_bench(int argc, char **argv)
{
	return bench_run(argc > 1 ? argv[1] : "*");
}
CONSOLE_COMMAND(bench, "[GLOB] kernel benchmarks: ctxswitch, lock, ipi, blk", cmd_bench);
