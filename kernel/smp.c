/*
 * kernel/smp.c - CPU bring-up, cross-CPU function calls, TLB shootdown,
 * and the `cpus` command (contract: kernel/smp.h).
 *
 * A cross-CPU call is a small request (struct call_req) on the caller's
 * stack, queued on the target CPU's list under that list's lock, followed
 * by an IPI_CALL_FUNC. The target's IPI handler takes the whole list and
 * runs each request, then marks it done; the caller spins on `done` with
 * interrupts on, so it still answers requests aimed at its own CPU.
 */
#include "kernel/smp.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/kthread.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/page.h>
#include <arch/thread.h>

struct call_req {
	smp_call_func_t fn;
	void *arg;
	struct call_req *next;
	bool done;
};

struct cpu_calls {
	spinlock_t lock;
	struct call_req *head;
	uint64_t ipis[NR_IPI_KINDS];
	uint64_t tlb_flushes;
};
static DEFINE_PER_CPU(struct cpu_calls, cpu_calls);

static unsigned int nr_possible = 1;
static unsigned int max_cpus = NR_CPUS;		/* maxcpus= */
static unsigned int expected_cpus;		/* expect_cpus=, 0: no promise */

/* A CPU count option's value, 1..NR_CPUS, into *out; -1 if it is not. */
static int parse_cpu_count(const char *v, unsigned int *out)
{
	uint64_t n;

	if (!v || !parse_u64(v, &n, false) || n < 1 || n > NR_CPUS)
		return -1;
	*out = (unsigned int)n;
	return 0;
}

static int set_maxcpus(const char *v)
{
	return parse_cpu_count(v, &max_cpus);
}
KERNEL_PARAM("maxcpus", set_maxcpus, "N: start at most N CPUs (the boot CPU counts)");

static int set_expect_cpus(const char *v)
{
	return parse_cpu_count(v, &expected_cpus);
}
KERNEL_PARAM("expect_cpus", set_expect_cpus,
	     "N: the machine has N CPUs; fewer online is an error (test harness)");

unsigned int smp_expected_cpus(void)
{
	return expected_cpus;
}

unsigned int num_online_cpus(void)
{
	return (unsigned int)__builtin_popcountl(READ_ONCE(cpu_online_mask));
}

/* ---------------------------------------------------------------- bring-up */

__noreturn void smp_secondary_entry(unsigned int cpu)
{
	__atomic_fetch_or(&cpu_online_mask, 1UL << cpu, __ATOMIC_SEQ_CST);
	sched_secondary_start();
}

/* spinlock=: 0 ticket, 1 test-and-set, -1 not given (the machine says). */
static int spinlock_opt = -1;

static int set_spinlock(const char *v)
{
	if (!v)
		return -1;	/* a bare "spinlock": reported as malformed */
	if (strcmp(v, "ticket") == 0)
		spinlock_opt = 0;
	else if (strcmp(v, "tas") == 0)
		spinlock_opt = 1;
	else
		return -1;
	return 0;
}
KERNEL_PARAM("spinlock", set_spinlock,
	     "ticket|tas: how spinlock waiters wait (default: tas in a virtual machine, ticket on hardware)");

void smp_early_init(void)
{
	bool virt = arch_cpu_virtualized();

	for (unsigned int c = 0; c < NR_CPUS; c++)
		spin_lock_init_raw(&per_cpu_ptr(cpu_calls, c)->lock, "cpu_calls");
	nr_possible = arch_smp_early_init();
	/* Before the other CPUs start; safe at any time (kernel/spinlock.h). */
	spin_lock_virt = spinlock_opt >= 0 ? spinlock_opt : virt;
	pr_info("smp: spinlocks wait by %s (%s)\n",
		spin_lock_virt ? "test-and-set" : "ticket",
		spinlock_opt >= 0 ? "spinlock= option" :
		virt ? "a virtual machine: the host may preempt a waiting CPU" :
		"hardware");
}

void smp_init(void)
{
	unsigned long failed = 0;

	for (unsigned int cpu = 1; cpu < nr_possible; cpu++) {
		if (cpu >= max_cpus) {
			pr_info("smp: CPU %u not started (maxcpus=%u)\n", cpu, max_cpus);
			continue;
		}
		struct thread *idle = kthread_create_idle(cpu);

		if (!idle) {
			pr_err("smp: CPU %u: no memory for its idle thread; not started\n", cpu);
			failed |= 1UL << cpu;
			continue;
		}
		if (arch_cpu_start(cpu, idle, (char *)idle->stack + idle->stack_size)) {
			failed |= 1UL << cpu;	/* the arch said why */
			continue;
		}
		/* It marks itself online just after the arch start-up. */
		uint64_t t0 = clock_ns();

		while (!(READ_ONCE(cpu_online_mask) & (1UL << cpu)) &&
		       clock_ns() - t0 < 1000000000ULL)
			arch_cpu_relax();
		if (!(READ_ONCE(cpu_online_mask) & (1UL << cpu))) {
			pr_err("smp: CPU %u started but never reached the scheduler\n", cpu);
			failed |= 1UL << cpu;
		}
	}
	char list[3 * NR_CPUS + 1];
	size_t n = 0;

	for_each_online_cpu(cpu)
		n += (size_t)ksnprintf(list + n, sizeof(list) - n, "%s%u",
				      n ? "," : "", cpu);
	list[n] = '\0';
	pr_info("smp: %u of %u CPUs online (%s)%s\n", num_online_cpus(),
		nr_possible, list, failed ? "; see the errors above" : "");
	if (expected_cpus && num_online_cpus() != expected_cpus)
		pr_err("smp: expect_cpus=%u, but %u CPU(s) are online (%s) of %u the "
		       "firmware lists%s\n", expected_cpus, num_online_cpus(), list,
		       nr_possible, max_cpus < nr_possible ? "; maxcpus= stopped the rest" : "");
}

/* ---------------------------------------------------------------- calls */

void smp_ipi_handler(enum ipi_kind kind)
{
	struct cpu_calls *cc = this_cpu_ptr(cpu_calls);

	cc->ipis[kind]++;
	if (kind == IPI_RESCHEDULE) {
		resched_cpu(arch_cpu_id());	/* acted on as the IPI returns */
		return;
	}
	spin_lock(&cc->lock);
	struct call_req *r = cc->head;

	cc->head = NULL;
	spin_unlock(&cc->lock);
	while (r) {
		struct call_req *next = r->next;	/* r dies once done */

		r->fn(r->arg);
		__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
		r = next;
	}
}

static void queue_call(unsigned int cpu, struct call_req *r)
{
	struct cpu_calls *cc = per_cpu_ptr(cpu_calls, cpu);
	unsigned long flags;

	spin_lock_irqsave(&cc->lock, flags);
	r->next = cc->head;
	cc->head = r;
	spin_unlock_irqrestore(&cc->lock, flags);
	arch_send_ipi(cpu, IPI_CALL_FUNC);
}

static void wait_done(struct call_req *r)
{
	while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
}

static void run_here(smp_call_func_t fn, void *arg)
{
	unsigned long flags = arch_irq_save();

	fn(arg);
	arch_irq_restore(flags);
}

void smp_call_function_many(unsigned long mask, smp_call_func_t fn, void *arg)
{
	struct call_req reqs[NR_CPUS];
	unsigned int me;

	mask &= READ_ONCE(cpu_online_mask);
	preempt_disable();
	me = arch_cpu_id();
	/* Only this CPU (early boot, one CPU online) needs nobody to answer. */
	if ((mask & ~(1UL << me)) && !arch_irqs_enabled())
		pr_warn("smp: cross-CPU call with interrupts off may deadlock\n");
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(mask & (1UL << cpu)) || cpu == me)
			continue;
		reqs[cpu] = (struct call_req){ .fn = fn, .arg = arg };
		queue_call(cpu, &reqs[cpu]);
	}
	if (mask & (1UL << me))
		run_here(fn, arg);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if ((mask & (1UL << cpu)) && cpu != me)
			wait_done(&reqs[cpu]);
	preempt_enable();
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *arg)
{
	if (cpu >= NR_CPUS || !(READ_ONCE(cpu_online_mask) & (1UL << cpu)))
		return -1;
	smp_call_function_many(1UL << cpu, fn, arg);
	return 0;
}

void on_each_cpu(smp_call_func_t fn, void *arg)
{
	smp_call_function_many(~0UL, fn, arg);
}

uint64_t smp_ipi_count(unsigned int cpu, enum ipi_kind kind)
{
	return per_cpu_ptr(cpu_calls, cpu)->ipis[kind];
}

/* ---------------------------------------------------------------- TLB */

struct flush_range {
	unsigned long start, end;
};

#define FLUSH_ALL_PAGES	32	/* beyond this, one full flush is cheaper */

static void do_flush(void *arg)
{
	struct flush_range *r = arg;

	if (!r || (r->end - r->start) / PAGE_SIZE > FLUSH_ALL_PAGES)
		arch_flush_tlb_local_all();
	else
		arch_flush_tlb_local_range(r->start, r->end - r->start);
	this_cpu_ptr(cpu_calls)->tlb_flushes++;
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	struct flush_range r = { start, end };

	on_each_cpu(do_flush, &r);
}

void flush_tlb_all(void)
{
	on_each_cpu(do_flush, NULL);
}

uint64_t smp_tlb_flush_count(unsigned int cpu)
{
	return per_cpu_ptr(cpu_calls, cpu)->tlb_flushes;
}

/* ---------------------------------------------------------------- cpus */

static int cmd_cpus(int argc, char **argv)
{
	uint64_t now = clock_ns();

	(void)argv;
	if (argc > 1) {
		printk("cpus: takes no arguments\n");
		return 1;
	}
	printk("CPU HWID STATE   RUNNING SWITCHES  IDLE%%  RESCHED-IPI CALL-IPI TLB-FLUSH\n");
	for (unsigned int cpu = 0; cpu < nr_possible; cpu++) {
		bool online = cpu_online_mask & (1UL << cpu);
		uint64_t idle = online ? sched_idle_ns(cpu) : 0;

		printk("%3u %4u %-7s %7u %8llu %5llu %12llu %8llu %9llu\n", cpu,
		       arch_cpu_hwid(cpu), online ? "online" : "offline",
		       online ? sched_nr_running(cpu) : 0,
		       (unsigned long long)sched_nr_switches(cpu),
		       (unsigned long long)(now ? idle * 100 / now : 0),
		       (unsigned long long)smp_ipi_count(cpu, IPI_RESCHEDULE),
		       (unsigned long long)smp_ipi_count(cpu, IPI_CALL_FUNC),
		       (unsigned long long)smp_tlb_flush_count(cpu));
	}
	printk("%u of %u CPUs online\n", num_online_cpus(), nr_possible);
	return 0;
}
CONSOLE_COMMAND(cpus, "CPUs: hardware id, state, load, switches, idle time, IPIs", cmd_cpus);
