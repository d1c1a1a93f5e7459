/*
 * arch/x86_64/time.c - the clock and the timer tick.
 *
 * Clock: the time-stamp counter, whose rate is measured against the PIT
 * (a 1.193182 MHz reference every PC has). arch_clock_ns() converts TSC
 * ticks with a 32.32 fixed-point multiplier, no division on the hot path.
 * Tick: the local APIC timer in periodic mode at HZ, its rate measured
 * against the same PIT window. The 8259 PICs are masked: the APIC is the
 * only interrupt source.
 */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/trap.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/mmio.h>

#define PIT_HZ		1193182ULL
#define CALIBRATE_MS	10

#define APIC_BASE_MSR	0x1b
#define APIC_LVT_TIMER	0x320
#define APIC_TIMER_INIT	0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DIV	0x3e0
#define APIC_TIMER_PERIODIC (1U << 17)
#define APIC_MASKED	(1U << 16)

uint64_t x86_entry_tsc;		/* set by start.c from boot.asm's stamp */

static uint64_t tsc_base;		/* TSC at "time zero": kernel entry */
static uint64_t ns_per_tsc_32_32;	/* nanoseconds per tick, 32.32 fixed */
static uint64_t tsc_khz;
static uint32_t apic_per_tick;	/* timer count for one tick, all CPUs */
void *x86_lapic;

uint64_t arch_clock_ns(void)
{
	if (!ns_per_tsc_32_32)
		return 0;
	uint64_t delta = arch_cycles() - tsc_base;

	return (uint64_t)(((unsigned __int128)delta * ns_per_tsc_32_32) >> 32);
}

/* Busy-wait `ms` with PIT channel 2 (gated through port 0x61, no IRQ). */
static void pit_wait_start(unsigned int ms)
{
	uint16_t count = (uint16_t)(PIT_HZ * ms / 1000);

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* ch 2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	/* Restart the count: gate low then high. */
	outb(0x61, inb(0x61) & ~0x01);
	outb(0x61, inb(0x61) | 0x01);
}

static void pit_wait_end(void)
{
	while (!(inb(0x61) & 0x20))	/* OUT2 goes high at terminal count */
		arch_cpu_relax();
}


static void timer_interrupt(struct pt_regs *f)
{
	(void)f;
	lapic_write(APIC_EOI, 0);
	timer_tick();
}

void arch_time_init(void)
{
	/* Mask both 8259 PICs (remapped out of the exception range first). */
	outb(0x20, 0x11); outb(0xa0, 0x11);
	outb(0x21, 0xf0); outb(0xa1, 0xf8);
	outb(0x21, 0x04); outb(0xa1, 0x02);
	outb(0x21, 0x01); outb(0xa1, 0x01);
	outb(0x21, 0xff); outb(0xa1, 0xff);

	uint64_t apic_phys = rdmsr(APIC_BASE_MSR) & 0xffffff000ULL;

	wrmsr(APIC_BASE_MSR, rdmsr(APIC_BASE_MSR) | (1 << 11));	/* enable */
	x86_lapic = ioremap(apic_phys, 4096);
	lapic_write(APIC_SVR, 0x100 | IRQ_SPURIOUS_VECTOR);	/* software enable */

	/* Measure TSC and APIC timer rates over one PIT window. */
	lapic_write(APIC_TIMER_DIV, 0x3);			/* divide by 16 */
	lapic_write(APIC_LVT_TIMER, APIC_MASKED);
	pit_wait_start(CALIBRATE_MS);
	lapic_write(APIC_TIMER_INIT, 0xffffffff);
	uint64_t t0 = arch_cycles();

	pit_wait_end();
	uint64_t t1 = arch_cycles();
	uint32_t apic_ticks = 0xffffffff - lapic_read(APIC_TIMER_CUR);

	lapic_write(APIC_TIMER_INIT, 0);
	tsc_khz = (t1 - t0) / CALIBRATE_MS;
	ns_per_tsc_32_32 = (1000000ULL << 32) / tsc_khz;
	tsc_base = x86_entry_tsc;	/* time zero = kernel entry */

	apic_per_tick = (uint32_t)((uint64_t)apic_ticks * 1000 / CALIBRATE_MS / HZ);

	x86_set_irq_handler(IRQ_TIMER_VECTOR, timer_interrupt);
	lapic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | IRQ_TIMER_VECTOR);
	lapic_write(APIC_TIMER_INIT, apic_per_tick);
	pr_info("time: TSC %llu.%03llu MHz, APIC timer %llu kHz (/16), tick %d Hz; "
		"calibrated against the PIT over %d ms\n",
		(unsigned long long)(tsc_khz / 1000), (unsigned long long)(tsc_khz % 1000),
		(unsigned long long)apic_ticks / CALIBRATE_MS,
		HZ, CALIBRATE_MS);
	arch_irq_enable();
}

/* Secondary CPUs: the same tick, measured once on the boot CPU. */
void x86_lapic_init_secondary(void)
{
	wrmsr(APIC_BASE_MSR, rdmsr(APIC_BASE_MSR) | (1 << 11));
	lapic_write(APIC_SVR, 0x100 | IRQ_SPURIOUS_VECTOR);
	lapic_write(APIC_TIMER_DIV, 0x3);
	lapic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | IRQ_TIMER_VECTOR);
	lapic_write(APIC_TIMER_INIT, apic_per_tick);
}
