/*
 * arch/arm64/machine.c - leaving the machine: PSCI power off, and the
 * semihosting exit QEMU offers the test harness.
 *
 * PSCI (Arm DEN 0022, 5.1): SYSTEM_OFF is function 0x84000008, called with
 * HVC or SMC as the device tree's /psci `method` says (QEMU virt: HVC when
 * the kernel starts at EL1). Semihosting (Arm IHI 0088, SYS_EXIT_EXTENDED,
 * operation 0x20): `hlt #0xf000` with w0 = 0x20 and x1 pointing at
 * {ADP_Stopped_ApplicationExit, status}; QEMU -semihosting exits with
 * `status`. On hardware without a debugger HLT is undefined: the trap
 * handler notices (arm64_semihosting_probe) and we say so and halt.
 */
#include "arch/arm64/board.h"
#include "arch/arm64/trap.h"
#include "kernel/console.h"
#include "kernel/printk.h"
#include <arch/cpu.h>
#include <arch/machine.h>

#define PSCI_SYSTEM_OFF		0x84000008U
#define PSCI_SYSTEM_RESET	0x84000009U
#define SEMIHOST_EXIT_EXTENDED	0x20
#define ADP_APPLICATION_EXIT	0x20026

void arch_halt(void)
{
	for (;;)
		__asm__ __volatile__("msr daifset, #0xf\n\twfi");
}

static void psci_call(uint32_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;

	if (board_cfg.psci == FDT_PSCI_HVC)
		__asm__ __volatile__("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	else if (board_cfg.psci == FDT_PSCI_SMC)
		__asm__ __volatile__("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

void arch_poweroff(void)
{
	if (board_cfg.psci != FDT_PSCI_NONE) {
		psci_call(PSCI_SYSTEM_OFF);
		printk(KERN_EMERG "poweroff: PSCI SYSTEM_OFF returned; halting\n");
	} else {
		printk(KERN_EMERG "poweroff: %s has no PSCI; halting (remove power now)\n",
		       arch_machine_name());
	}
	arch_halt();
}

/* `reboot`: PSCI SYSTEM_RESET (QEMU -no-reboot then exits). */
static int cmd_reboot(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		printk("reboot: takes no arguments\n");
		return 1;
	}
	if (board_cfg.psci == FDT_PSCI_NONE) {
		printk("reboot: %s has no PSCI; power-cycle it\n", arch_machine_name());
		return 1;
	}
	printk("Restarting.\n");
	psci_call(PSCI_SYSTEM_RESET);
	printk("reboot: PSCI SYSTEM_RESET returned\n");
	return 1;
}
CONSOLE_COMMAND(reboot, "restart the machine (PSCI SYSTEM_RESET)", cmd_reboot);

/* Returns only if there is no semihosting here. */
static void semihosting_exit(uint64_t status)
{
	uint64_t block[2] = { ADP_APPLICATION_EXIT, status };
	register uint64_t x0 __asm__("x0") = SEMIHOST_EXIT_EXTENDED;
	register uint64_t x1 __asm__("x1") = (uint64_t)block;

	arm64_semihosting_probe = true;
	__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	arm64_semihosting_probe = false;
}

void arch_test_exit(bool passed)
{
	semihosting_exit(passed ? 0 : 1);
	printk(KERN_EMERG "test run %s; no semihosting here (not QEMU -semihosting), "
	       "halting\n", passed ? "passed" : "failed");
	arch_halt();
}

const char *arch_machine_name(void)
{
	return board_cfg.model[0] ? board_cfg.model : "arm64";
}

bool arch_cpu_virtualized(void)
{
	return board_cfg.board && board_cfg.board->virtual_machine;
}
