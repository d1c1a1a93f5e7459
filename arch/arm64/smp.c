/*
 * arch/arm64/smp.c - starting the other cores, and IPIs.
 *
 * Two ways to start a core, as the device tree's enable-method says:
 *  - PSCI CPU_ON (Arm DEN 0022, 5.1.4; QEMU virt): the firmware powers the
 *    core on at our entry point;
 *  - spin table (the Raspberry Pi firmware): the core polls its
 *    cpu-release-addr (0xd8 + 8 * core) and jumps to what is written there
 *    once an SEV wakes it.
 * Either way it begins at head.S's secondary_entry with the MMU off, sets
 * up translation from secondary_boot, and comes to arm64_secondary_start()
 * on its idle thread's stack. IPIs are GIC SGIs (or BCM2836 mailbox bits),
 * one per enum ipi_kind.
 */
#include "arch/arm64/board.h"
#include "arch/arm64/irq.h"
#include "arch/arm64/mmu.h"
#include "arch/arm64/smp.h"
#include "arch/arm64/trap.h"
#include "drivers/fdt/fdt.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include <arch/mmio.h>
#include <arch/page.h>
#include <arch/thread.h>

struct secondary_boot {		/* head.S's SB_* offsets */
	uint64_t cpu, stack, local, ttbr1, tcr, mair;
};
extern struct secondary_boot secondary_boot;
extern char secondary_entry[];
extern struct fdt arm64_boot_fdt;	/* start.c */

static struct arm64_cpu_info cpus[NR_CPUS];
static unsigned int nr_cpus;

void arm64_smp_record_cpus(void)
{
	struct fdt_cpu fc[NR_CPUS];
	char err[120];
	int n;

	if (!board_cfg.from_dt) {
		/* Board defaults: a Pi's four cores in the firmware spin table. */
		for (nr_cpus = 0; nr_cpus < 4 && nr_cpus < NR_CPUS; nr_cpus++)
			cpus[nr_cpus] = (struct arm64_cpu_info){ nr_cpus,
				CPU_ENABLE_SPIN_TABLE, 0xd8 + 8 * nr_cpus };
		return;
	}
	n = fdt_find_cpus(&arm64_boot_fdt, fc, NR_CPUS, err, sizeof(err));
	if (n < 0) {
		pr_warn("smp: %s; using the boot CPU only\n", err);
		n = 0;
	}
	if (n > NR_CPUS) {
		pr_info("smp: the device tree lists %d CPUs; this kernel runs at "
			"most %d (NR_CPUS)\n", n, NR_CPUS);
		n = NR_CPUS;
	}
	for (int i = 0; i < n; i++) {
		if (!fc[i].enabled)
			continue;
		cpus[nr_cpus].hwid = fc[i].hwid;
		cpus[nr_cpus].release_addr = fc[i].release_addr;
		cpus[nr_cpus].method =
			fc[i].method == FDT_CPU_METHOD_PSCI ? CPU_ENABLE_PSCI :
			fc[i].method == FDT_CPU_METHOD_SPIN_TABLE ? CPU_ENABLE_SPIN_TABLE :
			CPU_ENABLE_NONE;
		nr_cpus++;
	}
}

unsigned int arch_smp_early_init(void)
{
	uint64_t mpidr;

	__asm__ __volatile__("mrs %0, mpidr_el1" : "=r"(mpidr));
	mpidr &= 0xff00ffffffUL;
	/* The boot CPU is CPU 0 whatever its place in the list. */
	for (unsigned int i = 1; i < nr_cpus; i++)
		if (cpus[i].hwid == mpidr) {
			struct arm64_cpu_info t = cpus[0];

			cpus[0] = cpus[i];
			cpus[i] = t;
		}
	if (!nr_cpus)
		nr_cpus = 1;
	cpus[0].hwid = mpidr;
	for (unsigned int i = 0; i < nr_cpus; i++) {
		arm64_cpu_locals[i].cpu = i;
		arm64_cpu_locals[i].hwid = (unsigned int)cpus[i].hwid;
	}
	pr_info("smp: %u CPU%s in the %s\n", nr_cpus, nr_cpus == 1 ? "" : "s",
		board_cfg.from_dt ? "device tree" : "board defaults");
	return nr_cpus;
}

unsigned int arch_cpu_hwid(unsigned int cpu)
{
	return cpu < NR_CPUS ? arm64_cpu_locals[cpu].hwid : 0;
}

static int64_t psci_cpu_on(uint64_t target, uint64_t entry)
{
	register uint64_t x0 __asm__("x0") = board_cfg.psci_cpu_on;
	register uint64_t x1 __asm__("x1") = target;
	register uint64_t x2 __asm__("x2") = entry;
	register uint64_t x3 __asm__("x3") = 0;

	if (board_cfg.psci == FDT_PSCI_HVC)
		__asm__ __volatile__("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	else
		__asm__ __volatile__("smc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	return (int64_t)x0;
}

/*
 * Write v at physical address pa (a spin-table slot). The slot's page is
 * kept out of the direct map (it is the firmware's), so it is mapped like a
 * device: uncached, the store goes straight to RAM where the waiting core,
 * its MMU off, reads it. SEV wakes it from WFE.
 */
static int write_release(uint64_t pa, uint64_t v)
{
	volatile uint64_t *slot = (pa & 7) ? NULL : ioremap(pa, 8);

	if (!slot)
		return -1;
	*slot = v;
	__asm__ __volatile__("dsb sy\n\tsev" ::: "memory");
	return 0;
}

int arch_cpu_start(unsigned int cpu, struct thread *idle, void *stack_top)
{
	struct arm64_cpu_info *c = &cpus[cpu];
	uint64_t entry = virt_to_phys(secondary_entry), tcr;
	int64_t r;

	if (cpu >= nr_cpus)
		return -1;
	arm64_cpu_locals[cpu].current = idle;
	secondary_boot.cpu = cpu;
	secondary_boot.stack = (uint64_t)stack_top & ~15UL;
	secondary_boot.local = (uint64_t)&arm64_cpu_locals[cpu];
	__asm__ __volatile__("mrs %0, ttbr1_el1" : "=r"(secondary_boot.ttbr1));
	__asm__ __volatile__("mrs %0, tcr_el1" : "=r"(tcr));
	secondary_boot.tcr = tcr & ~(1UL << 7);		/* EPD0: identity map on */
	__asm__ __volatile__("mrs %0, mair_el1" : "=r"(secondary_boot.mair));
	/* The core reads it with its caches off. */
	__asm__ __volatile__("dc civac, %0\n\tdsb sy" : : "r"(&secondary_boot) : "memory");

	switch (c->method) {
	case CPU_ENABLE_PSCI:
		r = psci_cpu_on(c->hwid, entry);
		if (r) {
			pr_err("smp: CPU %u (MPIDR 0x%llx): PSCI CPU_ON returned %lld\n",
			       cpu, (unsigned long long)c->hwid, (long long)r);
			return -1;
		}
		return 0;
	case CPU_ENABLE_SPIN_TABLE:
		if (write_release(c->release_addr, entry)) {
			pr_err("smp: CPU %u: spin-table address 0x%llx is not usable\n",
			       cpu, (unsigned long long)c->release_addr);
			return -1;
		}
		return 0;
	case CPU_ENABLE_NONE:
		break;
	}
	pr_err("smp: CPU %u (MPIDR 0x%llx): no enable-method this kernel knows\n",
	       cpu, (unsigned long long)c->hwid);
	return -1;
}

/* First C code on a secondary CPU (head.S), on its idle thread's stack. */
void arm64_secondary_start(unsigned int cpu);
void arm64_secondary_start(unsigned int cpu)
{
	arm64_user_cpu_init();		/* EL0 controls, FP/SIMD, PAN */
	irq_cpu_init();			/* its GIC redistributor / CPU interface */
	arm64_timer_cpu_init();		/* its own tick */
	smp_secondary_entry(cpu);	/* interrupts still off */
}

static void ipi_interrupt(unsigned int irq)
{
	smp_ipi_handler((enum ipi_kind)(irq - irq_ipi_base()));
}

void arm64_smp_irq_init(void)
{
	/* On the boot CPU; secondaries enable them in irq_cpu_init(). */
	for (unsigned int k = 0; k < NR_IPI_KINDS; k++)
		irq_request(irq_ipi_base() + k, ipi_interrupt);
}

void arch_send_ipi(unsigned int cpu, enum ipi_kind kind)
{
	irq_send_ipi(cpu, kind);
}
