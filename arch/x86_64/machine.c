/*
 * arch/x86_64/machine.c - leaving the machine: power off, reboot, and the
 * test exit QEMU's isa-debug-exit device provides.
 */
#include "arch/x86_64/io.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include <arch/cpu.h>
#include <arch/machine.h>

/* isa-debug-exit at port 0xf4: QEMU exits with status (value << 1) | 1. */
#define DEBUG_EXIT_PORT	0xf4
#define EXIT_PASS	0x10	/* QEMU status 33 */
#define EXIT_FAIL	0x11	/* QEMU status 35 */

void arch_halt(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

void arch_test_exit(bool passed)
{
	outl(DEBUG_EXIT_PORT, passed ? EXIT_PASS : EXIT_FAIL);
	/* Not under QEMU with the device: say so and stop. */
	printk(KERN_EMERG "test run %s; no isa-debug-exit device, halting\n",
	       passed ? "passed" : "failed");
	arch_halt();
}

void arch_poweroff(void)
{
	/*
	 * ACPI S5 through the PM1a control register, where QEMU puts it:
	 * q35 (ICH9) at 0x604, i440fx (PIIX4) at 0xb004. SLP_EN with the
	 * S5 sleep type, which QEMU's DSDT defines as 0 for both.
	 */
	outw(0x604, 0x2000);
	outw(0xb004, 0x2000);
	udelay(500000);		/* QEMU acts on the request asynchronously */
	printk(KERN_EMERG "poweroff: the machine did not turn off; halting\n");
	arch_halt();
}

const char *arch_machine_name(void)
{
	return "x86_64 PC";
}

bool arch_cpu_virtualized(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return c & (1U << 31);
}
