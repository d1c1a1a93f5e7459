/*
 * tests/host/shim.c - what the kernel provides that portable code calls,
 * done the host way: the clock is CLOCK_MONOTONIC, the console is stdout,
 * panic() aborts (or returns to a test that expects it, see host.h).
 */
#include "tests/host/host.h"
#include <string.h>
#include "kernel/fault.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/preempt.h"
#include "kernel/console.h"
#include "kernel/lib/diag.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/stop_machine.h"
#include "kernel/thread.h"
#include "kernel/uaccess.h"
#include "kernel/lib/vsprintf.h"
#include <arch/cpu.h>
#include <arch/machine.h>

#include "kernel/time.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Per thread: each thread of a bench plays a CPU (<arch/cpu.h>). */
_Thread_local unsigned long host_irq_flags = 1;
void (*host_cpu_relax_hook)(void);	/* <arch/cpu.h> */
struct host_dma_cache_log host_dma_cache_log;	/* <arch/mmu.h> */

jmp_buf *host_panic_jmp;
char host_panic_msg[256];

uint64_t arch_clock_ns(void)
{
	static uint64_t start;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;

	if (!start)
		start = now;
	return now - start;
}

/* kernel/time.c's busy wait, for the drivers' register settle times
 * (drivers/mmc): the host sleeps instead. */
void udelay(uint64_t us)
{
	usleep((useconds_t)us);
}

void arch_poweroff(void) { exit(0); }
void arch_test_exit(bool passed) { exit(passed ? 0 : 1); }
void arch_halt(void) { abort(); }
const char *arch_machine_name(void) { return "host"; }

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (host_panic_jmp) {
		jmp_buf *j = host_panic_jmp;

		host_panic_jmp = NULL;
		longjmp(*j, 1);
	}
	printk(KERN_EMERG "Kernel panic: %s\n", host_panic_msg);
	fflush(stdout);
	abort();
}

/* A test case ended early (kunit) inside HOST_EXPECT_PANIC: forget it. */
void fault_catch_abandon(void)
{
	host_panic_jmp = NULL;
}

void warn_slowpath(const char *file, int line, const char *cond)
{
	diag_report(DIAG_WARN);
	printk(KERN_WARNING "WARNING at %s:%d: %s\n", file, line, cond);
}

static void stdout_write(struct console *con, const char *s, size_t len)
{
	(void)con;
	fwrite(s, 1, len, stdout);
}

static struct console stdout_console = { .name = "stdout", .write = stdout_write };

void host_console_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	register_console(&stdout_console);
}

unsigned long cpu_online_mask = 1;

/* The one "thread" of the host tests: spinlocks count preemption in it and
 * lock debugging names it. */
struct thread host_thread = { .name = "host", .bound_cpu = -1 };

/* No interactive console on the host: drivers that offer input are ignored. */
void console_add_input(struct console_input *in) { (void)in; }
void console_input_push(const char *s, size_t n) { (void)s; (void)n; }
void console_input_receive(struct console_input *in) { (void)in; }

/* User copies (kernel/uaccess.h): plain copies that stop where a test
 * says the "user" memory ends (tests/host/host.h). */
char *host_user_fault_at;

static size_t host_user_room(const void *user, size_t n)
{
	const char *u = user;

	if (!host_user_fault_at || u + n <= host_user_fault_at)
		return n;
	return u >= host_user_fault_at ? 0 : (size_t)(host_user_fault_at - u);
}

size_t arch_copy_to_user(void *to, const void *from, size_t n)
{
	size_t ok = host_user_room(to, n);

	memcpy(to, from, ok);
	return n - ok;
}

size_t arch_copy_from_user(void *to, const void *from, size_t n)
{
	size_t ok = host_user_room(from, n);

	memcpy(to, from, ok);
	return n - ok;
}

size_t arch_clear_user(void *to, size_t n)
{
	size_t ok = host_user_room(to, n);

	memset(to, 0, ok);
	return n - ok;
}

/* The host test binary has one address space and no TLB to shoot down. */
void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	(void)start;
	(void)end;
}

/*
 * One CPU on the host (arch_cpu_id() is 0): a cross-CPU call to CPU 0 runs
 * here with "interrupts" off, any other CPU is offline; stopping the
 * machine is running with interrupts off.
 */
int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *arg)
{
	if (cpu != 0)
		return -1;
	smp_call_function_many(1UL, fn, arg);
	return 0;
}

void smp_call_function_many(unsigned long mask, smp_call_func_t fn, void *arg)
{
	if (mask & 1UL) {
		unsigned long flags = arch_irq_save();

		fn(arg);
		arch_irq_restore(flags);
	}
}

void on_each_cpu(smp_call_func_t fn, void *arg)
{
	smp_call_function_many(~0UL, fn, arg);
}

/* No scheduler on the host: nothing asks for a switch. */
void preempt_schedule(void)
{
}

int stop_machine(int (*fn)(void *arg), void *arg)
{
	unsigned long flags = arch_irq_save();
	int ret = fn(arg);

	arch_irq_restore(flags);
	return ret;
}

/* No symbol table on the host (the kernel's is made at link time by
 * tools/gensyms): an address prints as a number. */
void ksym_format(char *buf, size_t size, unsigned long addr)
{
	ksnprintf(buf, size, "0x%lx", addr);
}
