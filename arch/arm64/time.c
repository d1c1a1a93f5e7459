/*
 * arch/arm64/time.c - the clock and the timer tick, from the Arm generic
 * timer (Arm ARM D11): a system counter every core sees, CNTFRQ_EL0 ticks
 * a second (62.5 MHz under QEMU, 19.2 MHz on a Pi 3, 54 MHz on a Pi 4),
 * and per-core comparators that raise a PPI. The kernel uses the virtual
 * counter and timer (CNTVCT_EL0, CNTV_*), which head.S made equal to the
 * physical ones when it came in at EL2.
 *
 * Clock: counter ticks since kernel entry (head.S read the counter first
 * thing), converted with a 32.32 fixed-point multiplier: no division on
 * the hot path, and valid from the first printk since CNTFRQ needs no
 * calibration. Tick: the comparator is moved forward by one period each
 * interrupt (CVAL, not TVAL, so a late interrupt does not drift the tick).
 */
#include "arch/arm64/board.h"
#include "arch/arm64/irq.h"
#include "arch/arm64/smp.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include <arch/cpu.h>
#include <arch/machine.h>

uint64_t arm64_entry_count;		/* start.c, from head.S */
static uint64_t ns_per_tick_32_32;
static uint64_t freq_hz, tick_period;

static uint64_t read_cntfrq(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

uint64_t arch_clock_ns(void)
{
	if (!ns_per_tick_32_32) {
		freq_hz = read_cntfrq();
		if (!freq_hz)
			return 0;
		ns_per_tick_32_32 = (1000000000ULL << 32) / freq_hz;
	}
	uint64_t delta = arch_cycles() - arm64_entry_count;

	return (uint64_t)(((unsigned __int128)delta * ns_per_tick_32_32) >> 32);
}

static void timer_interrupt(unsigned int irq)
{
	uint64_t cval;

	(void)irq;
	__asm__ __volatile__("mrs %0, cntv_cval_el0" : "=r"(cval));
	cval += tick_period;
	if (cval < arch_cycles())	/* far behind (a debugger stop): catch up */
		cval = arch_cycles() + tick_period;
	__asm__ __volatile__("msr cntv_cval_el0, %0\n\tisb" : : "r"(cval));
	timer_tick();
}

/* Start this CPU's tick (each CPU has its own comparator). */
void arm64_timer_cpu_init(void)
{
	if (!tick_period)
		return;
	__asm__ __volatile__("msr cntv_cval_el0, %0\n\t"
			     "msr cntv_ctl_el0, %1\n\t"	/* ENABLE, not masked */
			     "isb" : : "r"(arch_cycles() + tick_period), "r"(1UL));
}

void arch_time_init(void)
{
	(void)arch_clock_ns();		/* freq_hz */
	if (!freq_hz) {
		pr_err("time: CNTFRQ_EL0 is 0 (firmware did not set it); no tick\n");
		return;
	}
	if (irq_init(&board_cfg) < 0) {
		pr_err("time: no interrupt controller; no tick\n");
		return;
	}
	arm64_smp_irq_init();		/* IPIs, before any other CPU starts */
	tick_period = freq_hz / HZ;
	arm64_timer_cpu_init();
	irq_request(board_cfg.timer_irq, timer_interrupt);
	pr_info("time: generic timer %llu.%03llu MHz, virtual timer interrupt %u, "
		"tick %d Hz\n", (unsigned long long)(freq_hz / 1000000),
		(unsigned long long)(freq_hz / 1000 % 1000), board_cfg.timer_irq, HZ);
	arch_irq_enable();
}
