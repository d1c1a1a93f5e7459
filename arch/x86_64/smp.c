/*
 * arch/x86_64/smp.c - the x86_64 side of SMP and threads: per-CPU blocks
 * behind GS, the CPU list from the ACPI MADT, starting application
 * processors with INIT-SIPI-SIPI through a real-mode trampoline (Intel SDM
 * vol. 3, 9.4 "Multiple-Processor Initialization" and 11.6 "Issuing
 * Interprocessor Interrupts"), IPIs, TLB flushes, and a new thread's first
 * stack frame. The contract is arch/x86_64/include/arch/thread.h.
 */
#include "arch/x86_64/apic.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/user.h"
#include "drivers/acpi/acpi.h"
#include "kernel/lib/string.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "mm/memblock.h"
#include <arch/cpu.h>
#include <arch/mmio.h>
#include <arch/page.h>
#include <arch/thread.h>

#define MSR_GS_BASE	0xc0000101
#define MSR_EFER	0xc0000080
#define AP_START_TIMEOUT_MS	500	/* generous: TCG on a busy host */

struct x86_cpu_local x86_cpu_locals[NR_CPUS];
uint64_t x86_acpi_rsdp;		/* from boot_info (start.c); 0: scan for it */

static unsigned int nr_cpus = 1;
static phys_addr_t tramp_phys;		/* the start page below 1 MiB */
static volatile unsigned int ap_alive;	/* last CPU that reached C */

/* ---------------------------------------------------------------- per-CPU */

static void set_gs_base(unsigned int cpu)
{
	struct x86_cpu_local *l = &x86_cpu_locals[cpu];

	l->self = l;
	l->cpu = cpu;
	wrmsr(MSR_GS_BASE, (uint64_t)l);
}

/* start.c, before anything else: the boot CPU's block, current = main. */
void x86_percpu_init_boot(void);
void x86_percpu_init_boot(void)
{
	set_gs_base(0);
	x86_cpu_locals[0].curr_thread = &boot_thread;
}

unsigned int arch_cpu_hwid(unsigned int cpu)
{
	return cpu < NR_CPUS ? x86_cpu_locals[cpu].apic_id : 0;
}

/* ---------------------------------------------------------------- threads */

extern char arch_thread_start[];

void arch_thread_init(struct arch_context *ctx, void *stack_top,
		      void (*entry)(void *), void *arg)
{
	/* The top struct pt_regs is the frame of user-mode entries
	 * (task_pt_regs); the kernel stack proper starts below it. What
	 * arch_context_switch pops: r15 r14 r13 r12 rbx rbp, then the
	 * return address; above it a zero word ends backtraces and keeps
	 * the stack 16-byte aligned at arch_thread_start's call. */
	uint64_t *sp = (uint64_t *)ALIGN_DOWN((uintptr_t)stack_top, 16);

	ctx->stack_top = (unsigned long)sp;
	sp = (uint64_t *)((struct pt_regs *)sp - 1);
	x86_init_user_context(ctx);
	*--sp = 0;
	*--sp = 0;
	*--sp = (uint64_t)arch_thread_start;
	*--sp = 0;			/* rbp */
	*--sp = 0;			/* rbx */
	*--sp = (uint64_t)entry;	/* r12 */
	*--sp = (uint64_t)arg;		/* r13 */
	*--sp = 0;			/* r14 */
	*--sp = 0;			/* r15 */
	ctx->sp = (unsigned long)sp;
}

/* ---------------------------------------------------------------- MADT */

/* ACPI tables are outside the direct map (not RAM to memblock): map them. */
static const void *acpi_map(uint64_t phys, uint64_t len)
{
	return ioremap(phys, len);
}

static unsigned int find_cpus(void)
{
	static struct acpi_madt_info madt;
	char err[160];
	unsigned int me = lapic_id(), n = 1;
	uint64_t rsdp = x86_acpi_rsdp;

	x86_cpu_locals[0].apic_id = me;
	if (!rsdp)
		rsdp = acpi_find_rsdp(acpi_map);
	if (!rsdp) {
		pr_warn("smp: no ACPI RSDP from the loader or in the BIOS areas; "
			"running on the boot CPU only\n");
		return 1;
	}
	if (acpi_parse_madt(rsdp, acpi_map, &madt, err, sizeof(err))) {
		pr_err("smp: %s; running on the boot CPU only\n", err);
		return 1;
	}
	pr_info("smp: ACPI RSDP at 0x%llx (revision %u, OEM '%s', %s): MADT "
		"lists %u CPU%s, local APIC at 0x%llx\n",
		(unsigned long long)rsdp, madt.rsdp_revision, madt.oem_id,
		madt.used_xsdt ? "XSDT" : "RSDT", madt.nr_cpus,
		madt.nr_cpus == 1 ? "" : "s", (unsigned long long)madt.lapic_phys);
	if (madt.entries_skipped)
		pr_err("smp: %u MADT entr%s skipped, the first: %s\n",
		       madt.entries_skipped, madt.entries_skipped == 1 ? "y" : "ies",
		       madt.skipped_why);
	x86_ioapic_init(&madt);		/* wired interrupts: I/O APICs, all masked */
	for (unsigned int i = 0; i < madt.nr_cpus; i++) {
		const struct acpi_cpu *c = &madt.cpus[i];

		if (c->apic_id == me)
			continue;	/* the boot CPU is CPU 0 */
		if (!c->enabled) {
			pr_info("smp: APIC ID %u (UID %u) not started: disabled in "
				"the MADT%s\n", c->apic_id, c->uid,
				c->online_capable ? " (online-capable, no hotplug here)" : "");
			continue;
		}
		if (n == NR_CPUS) {
			pr_warn("smp: APIC ID %u not started: NR_CPUS is %d\n",
				c->apic_id, NR_CPUS);
			continue;
		}
		if (c->apic_id > 255) {
			pr_warn("smp: APIC ID %u not started: needs x2APIC mode, "
				"which this kernel does not use\n", c->apic_id);
			continue;
		}
		x86_cpu_locals[n++].apic_id = c->apic_id;
	}
	if (madt.cpus_dropped)
		pr_warn("smp: %u more MADT CPUs ignored (table of %d)\n",
			madt.cpus_dropped, ACPI_MAX_CPUS);
	return n;
}

/* ---------------------------------------------------------------- start */

extern const char x86_trampoline_start[], x86_trampoline_end[];
extern const char x86_tramp_gdtr[], x86_tramp_far32[], x86_tramp_far64[];
extern const char x86_tramp_cr3[], x86_tramp_cr4[], x86_tramp_efer[];
extern const char x86_tramp_cr0[], x86_tramp_cpu[], x86_tramp_kernel_cr3[];
extern const char x86_tramp_stack[], x86_tramp_entry[];
extern char x86_ap_entry64[];

/* The trampoline's page tables: identity map of the first 2 MiB (where it
 * runs) plus the kernel's upper half. In the image, so below 4 GiB, as a
 * CR3 loaded in 32-bit mode must be. */
static uint64_t tramp_pml4[512] __aligned(4096);
static uint64_t tramp_pdpt[512] __aligned(4096);
static uint64_t tramp_pd[512] __aligned(4096);

static void ipi_interrupt(struct pt_regs *f);

unsigned int arch_smp_early_init(void)
{
	x86_set_irq_handler(IPI_RESCHEDULE_VECTOR, ipi_interrupt);
	x86_set_irq_handler(IPI_CALL_FUNC_VECTOR, ipi_interrupt);
	nr_cpus = find_cpus();
	if (nr_cpus == 1)
		return 1;
	tramp_phys = memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, 0x1000, 0x100000);
	if (!tramp_phys) {
		pr_err("smp: no free page below 1 MiB for the AP start code; "
		       "running on the boot CPU only\n");
		nr_cpus = 1;
	}
	return nr_cpus;
}

static void tramp_set(const char *sym, uint64_t v, size_t size)
{
	memcpy((char *)phys_to_virt(tramp_phys) + (sym - x86_trampoline_start),
	       &v, size);
}

static void tramp_prepare(void)
{
	static bool done;
	size_t size = (size_t)(x86_trampoline_end - x86_trampoline_start);
	uint64_t cr0, cr3, cr4;

	if (done)
		return;
	done = true;
	__asm__ __volatile__("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
			     : "=r"(cr0), "=r"(cr3), "=r"(cr4));
	uint64_t *kpml4 = phys_to_virt(cr3 & PAGE_MASK);

	tramp_pd[0] = 0 | 0x83;				/* 2 MiB, P W PS */
	tramp_pdpt[0] = virt_to_phys(tramp_pd) | 0x3;
	tramp_pml4[0] = virt_to_phys(tramp_pdpt) | 0x3;
	for (int i = 256; i < 512; i++)
		tramp_pml4[i] = kpml4[i];
	memcpy(phys_to_virt(tramp_phys), x86_trampoline_start, size);
	/* Page-relative addresses in the code become physical ones. */
	uint32_t v;

	memcpy(&v, x86_tramp_gdtr + 2, 4);
	tramp_set(x86_tramp_gdtr + 2, tramp_phys + v, 4);
	memcpy(&v, x86_tramp_far32, 4);
	tramp_set(x86_tramp_far32, tramp_phys + v, 4);
	memcpy(&v, x86_tramp_far64, 4);
	tramp_set(x86_tramp_far64, tramp_phys + v, 4);
	tramp_set(x86_tramp_cr3, virt_to_phys(tramp_pml4), 8);
	tramp_set(x86_tramp_cr4, cr4, 8);
	tramp_set(x86_tramp_efer, rdmsr(MSR_EFER) & ~(1ULL << 10), 8);	/* not LMA */
	tramp_set(x86_tramp_cr0, cr0, 8);
	tramp_set(x86_tramp_kernel_cr3, cr3, 8);
	tramp_set(x86_tramp_entry, (uint64_t)x86_ap_entry64, 8);
}

static bool icr_wait(void)
{
	for (int i = 0; i < 100000; i++) {
		if (!(lapic_read(APIC_ICR_LOW) & APIC_ICR_BUSY))
			return true;
		arch_cpu_relax();
	}
	return false;
}

static void send_icr(unsigned int apic_id, uint32_t low)
{
	unsigned long flags = arch_irq_save();

	lapic_write(APIC_ICR_HIGH, apic_id << 24);
	lapic_write(APIC_ICR_LOW, low);
	icr_wait();
	arch_irq_restore(flags);
}

int arch_cpu_start(unsigned int cpu, struct thread *idle, void *stack_top)
{
	unsigned int apic = x86_cpu_locals[cpu].apic_id;

	tramp_prepare();
	x86_cpu_locals[cpu].curr_thread = idle;
	tramp_set(x86_tramp_cpu, cpu, 8);
	tramp_set(x86_tramp_stack, (uint64_t)stack_top, 8);
	__atomic_store_n(&ap_alive, 0, __ATOMIC_SEQ_CST);

	send_icr(apic, 0x4500);			/* INIT, level assert */
	udelay(10000);
	for (int i = 0; i < 2; i++) {		/* STARTUP twice, as the SDM says */
		send_icr(apic, 0x4600 | (uint32_t)(tramp_phys >> 12));
		udelay(200);
	}
	uint64_t t0 = clock_ns();

	while (__atomic_load_n(&ap_alive, __ATOMIC_ACQUIRE) != cpu) {
		if (clock_ns() - t0 > AP_START_TIMEOUT_MS * 1000000ULL) {
			pr_err("smp: CPU %u (APIC ID %u) did not come up: no answer "
			       "to INIT-SIPI-SIPI within %d ms\n", cpu, apic,
			       AP_START_TIMEOUT_MS);
			return -1;
		}
		arch_cpu_relax();
	}
	return 0;
}

/* Called by x86_ap_entry64 on the new CPU, on its idle thread's stack. */
__noreturn void x86_ap_main(unsigned int cpu);
__noreturn void x86_ap_main(unsigned int cpu)
{
	set_gs_base(cpu);
	x86_trap_init_cpu(cpu);
	x86_lapic_init_secondary();
	__atomic_store_n(&ap_alive, cpu, __ATOMIC_RELEASE);
	smp_secondary_entry(cpu);
}

/* ---------------------------------------------------------------- IPIs */

static void ipi_interrupt(struct pt_regs *f)
{
	lapic_write(APIC_EOI, 0);
	smp_ipi_handler(f->vector == IPI_RESCHEDULE_VECTOR ? IPI_RESCHEDULE
							   : IPI_CALL_FUNC);
}

void arch_send_ipi(unsigned int cpu, enum ipi_kind kind)
{
	send_icr(x86_cpu_locals[cpu].apic_id,
		 kind == IPI_RESCHEDULE ? IPI_RESCHEDULE_VECTOR : IPI_CALL_FUNC_VECTOR);
}

/* ---------------------------------------------------------------- TLB */

void arch_flush_tlb_local_range(unsigned long va, size_t size)
{
	for (unsigned long a = va & PAGE_MASK; a < va + size; a += PAGE_SIZE)
		__asm__ __volatile__("invlpg (%0)" : : "r"(a) : "memory");
}

void arch_flush_tlb_local_all(void)
{
	uint64_t cr4;

	/* Toggling CR4.PGE drops global entries too (SDM vol. 3, 4.10.4.1). */
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(cr4 & ~(1UL << 7)) : "memory");
	__asm__ __volatile__("mov %0, %%cr4" : : "r"(cr4) : "memory");
}
