/*
 * arch/arm64/trap.c - what happens on an exception: interrupts go to the
 * interrupt controller's handler, everything else gets a crash report in
 * words. The syndrome (ESR_EL1) is decoded following the Arm ARM (DDI
 * 0487), D17.2.37 "ESR_EL1": the exception class (EC, bits 31:26) says
 * what kind of exception, the ISS below it the details; for aborts the
 * fault status code (DFSC/IFSC, bits 5:0) says which check failed and at
 * which level of the page-table walk.
 */
#include "arch/arm64/sysreg.h"
#include "arch/arm64/trap.h"
#include "kernel/entry.h"
#include "kernel/extable.h"
#include "kernel/fault.h"
#include "kernel/ksyms.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/profile.h"
#include "mm/fault.h"
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/mmu.h>
#include <arch/page.h>

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_ISS(esr)	((esr) & 0x1ffffff)

#define EC_UNKNOWN	0x00
#define EC_ILLEGAL	0x0e
#define EC_SVC64	0x15
#define EC_SYS64	0x18
#define EC_PC_ALIGN	0x22
#define EC_SP_ALIGN	0x26
#define EC_FP_EXC64	0x2c
#define EC_IABT_LOW	0x20
#define EC_IABT_CUR	0x21
#define EC_DABT_LOW	0x24
#define EC_DABT_CUR	0x25
#define EC_BRK64	0x3c

#define HLT_SEMIHOSTING	0xd45e0000U	/* hlt #0xf000 */

/* Linux's signal numbers (the same on every architecture). */
#define SIGILL		4
#define SIGTRAP		5
#define SIGBUS		7
#define SIGFPE		8
#define SIGSEGV		11

void (*arm64_irq_handler)(struct pt_regs *regs);
/* kernel/sched.c: may switch threads at the end of an interrupt. Weak while
 * the scheduler is not in every tree this builds in. */
void sched_preempt_irq(void) __attribute__((weak));
volatile bool arm64_semihosting_probe;
volatile bool arm64_semihosting_absent;

static const char *const entry_names[16] = {
	"synchronous exception from EL1 on SP_EL0", "IRQ from EL1 on SP_EL0",
	"FIQ from EL1 on SP_EL0", "SError from EL1 on SP_EL0",
	"synchronous exception from EL1", "IRQ from EL1",
	"FIQ from EL1", "SError from EL1",
	"synchronous exception from EL0 (AArch64)", "IRQ from EL0 (AArch64)",
	"FIQ from EL0 (AArch64)", "SError from EL0 (AArch64)",
	"synchronous exception from EL0 (AArch32)", "IRQ from EL0 (AArch32)",
	"FIQ from EL0 (AArch32)", "SError from EL0 (AArch32)",
};

static const char *const ec_names[64] = {
	[0x00] = "Unknown reason (undefined instruction)",
	[0x01] = "Trapped WFI/WFE",
	[0x03] = "Trapped MCR/MRC (AArch32)",
	[0x07] = "SIMD/floating-point access trapped",
	[0x0e] = "Illegal execution state",
	[0x11] = "SVC (AArch32)",
	[0x15] = "SVC (system call)",
	[0x16] = "HVC (hypervisor call)",
	[0x17] = "SMC (secure monitor call)",
	[0x18] = "Trapped MSR/MRS/system instruction",
	[0x19] = "SVE access trapped",
	[0x1c] = "Pointer authentication failure",
	[0x20] = "Instruction abort from a lower EL",
	[0x21] = "Instruction abort from EL1",
	[0x22] = "PC alignment fault",
	[0x24] = "Data abort from a lower EL",
	[0x25] = "Data abort from EL1",
	[0x26] = "SP alignment fault",
	[0x28] = "Floating-point exception (AArch32)",
	[0x2c] = "Floating-point exception",
	[0x2f] = "SError interrupt",
	[0x30] = "Breakpoint from a lower EL",
	[0x31] = "Breakpoint from EL1",
	[0x32] = "Software step from a lower EL",
	[0x33] = "Software step from EL1",
	[0x34] = "Watchpoint from a lower EL",
	[0x35] = "Watchpoint from EL1",
	[0x38] = "BKPT (AArch32)",
	[0x3c] = "BRK instruction",
};

const char *arm64_esr_class_name(uint64_t esr)
{
	const char *n = ec_names[ESR_EC(esr)];

	return n ? n : "Reserved exception class";
}

/* DFSC/IFSC (ISS bits 5:0) in words. */
static const char *fault_status(unsigned int fsc, int *level)
{
	*level = -1;
	switch (fsc & 0x3c) {
	case 0x00: *level = fsc & 3; return "address size fault";
	case 0x04: *level = fsc & 3; return "translation fault";
	case 0x08: *level = fsc & 3; return "access flag fault";
	case 0x0c: *level = fsc & 3; return "permission fault";
	}
	switch (fsc) {
	case 0x10: return "synchronous external abort";
	case 0x11: return "synchronous tag check fault";
	case 0x18: return "synchronous parity or ECC error";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	case 0x31: return "unsupported atomic hardware update fault";
	case 0x34: return "lockdown abort";
	case 0x35: return "unsupported exclusive or atomic access";
	}
	return "unknown fault status";
}

void arm64_esr_words(char *buf, size_t size, uint64_t esr)
{
	unsigned int ec = ESR_EC(esr), iss = ESR_ISS(esr);
	unsigned int fsc = iss & 0x3f;
	char lvl[32] = "";
	const char *fs, *why = "";
	int level;

	switch (ec) {
	case EC_DABT_LOW:
	case EC_DABT_CUR:
	case EC_IABT_LOW:
	case EC_IABT_CUR:
		fs = fault_status(fsc, &level);
		if (level >= 0)
			ksnprintf(lvl, sizeof(lvl), " (page-table walk level %d)", level);
		if ((fsc & 0x3c) == 0x04)
			why = ": nothing is mapped there";
		else if ((fsc & 0x3c) == 0x0c)
			why = ec == EC_IABT_CUR || ec == EC_IABT_LOW ?
			      ": the page is not executable" :
			      ": the mapping does not allow it";
		if (ec == EC_IABT_LOW || ec == EC_IABT_CUR)
			kscnprintf(buf, size, "%s on an instruction fetch%s%s",
				   fs, lvl, why);
		else
			kscnprintf(buf, size, "%s on a %s%s%s%s", fs,
				   (iss & (1U << 8)) ? "cache maintenance operation" :
				   (iss & (1U << 6)) ? "write" : "read",
				   lvl, why, (iss & (1U << 10)) ? "; FAR not valid" : "");
		break;
	case EC_BRK64:
		kscnprintf(buf, size, "BRK #0x%x", iss & 0xffff);
		break;
	case EC_UNKNOWN:
		kscnprintf(buf, size, "the instruction at ELR is undefined here");
		break;
	case 0x07:
		kscnprintf(buf, size, "FP/SIMD used, but the kernel is built "
			   "with -mgeneral-regs-only and CPACR_EL1 traps it");
		break;
	default:
		kscnprintf(buf, size, "ISS 0x%07x", iss);
		break;
	}
}

static void print_spsr(uint64_t spsr)
{
	static const char *const modes[16] = {
		[0] = "EL0t", [4] = "EL1t", [5] = "EL1h", [8] = "EL2t", [9] = "EL2h",
	};
	const char *mode = modes[spsr & 0xf];

	printk(KERN_EMERG "SPSR: %016llx [%c%c%c%c %s%s%s%s%s ]\n",
	       (unsigned long long)spsr,
	       (spsr & (1UL << 31)) ? 'N' : '-', (spsr & (1UL << 30)) ? 'Z' : '-',
	       (spsr & (1UL << 29)) ? 'C' : '-', (spsr & (1UL << 28)) ? 'V' : '-',
	       mode ? mode : "mode?",
	       (spsr & (1UL << 9)) ? " D" : "", (spsr & (1UL << 8)) ? " A" : "",
	       (spsr & (1UL << 7)) ? " I" : "", (spsr & (1UL << 6)) ? " F" : "");
}

static uint64_t read_sysreg_ttbr1(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, ttbr1_el1" : "=r"(v));
	return v;
}

static void print_registers(const struct pt_regs *r)
{
	printk(KERN_EMERG "pc : %016llx  lr : %016llx  sp : %016llx\n",
	       (unsigned long long)r->elr, (unsigned long long)r->x[30],
	       (unsigned long long)r->sp);
	print_spsr(r->spsr);
	printk(KERN_EMERG "ESR: %016llx  FAR: %016llx  TTBR1: %016llx\n",
	       (unsigned long long)r->esr, (unsigned long long)r->far,
	       (unsigned long long)read_sysreg_ttbr1());
	for (int i = 0; i < 30; i += 3) {
		if (i + 2 < 30)
			printk(KERN_EMERG "x%-2d: %016llx x%-2d: %016llx x%-2d: %016llx\n",
			       i, (unsigned long long)r->x[i], i + 1,
			       (unsigned long long)r->x[i + 1], i + 2,
			       (unsigned long long)r->x[i + 2]);
	}
	printk(KERN_EMERG "x29: %016llx (fp)\n", (unsigned long long)r->x[29]);
}

static bool is_abort(unsigned int ec)
{
	return ec == EC_DABT_CUR || ec == EC_DABT_LOW ||
	       ec == EC_IABT_CUR || ec == EC_IABT_LOW;
}

/*
 * An instruction or data abort in portable terms: the fault status code
 * (ISS bits 5:0) gives the kind and the Arm level of the walk (0-3, which
 * mm/pgtable.h counts the other way: 4-1); WnR (bit 6) a write, unless CM
 * (bit 8) says it was cache maintenance. False if it is not a page fault
 * with a valid FAR.
 */
static bool page_fault_decode(const struct pt_regs *r, struct page_fault *pf)
{
	unsigned int ec = ESR_EC(r->esr), iss = ESR_ISS(r->esr);
	unsigned int fsc = iss & 0x3f;

	if (!is_abort(ec) || (iss & (1U << 10)))	/* FnV: FAR not valid */
		return false;
	pf->addr = r->far;
	pf->pc = r->elr;
	pf->uaccess = false;
	pf->user = ec == EC_DABT_LOW || ec == EC_IABT_LOW;
	if (ec == EC_IABT_CUR || ec == EC_IABT_LOW)
		pf->access = FAULT_EXEC;
	else
		pf->access = (iss & (1U << 6)) && !(iss & (1U << 8)) ?
			     FAULT_WRITE : FAULT_READ;
	pf->level = 4 - (fsc & 3);
	switch (fsc & 0x3c) {
	case 0x04: pf->type = FAULT_NOT_PRESENT; break;
	case 0x08: pf->type = FAULT_ACCESS_FLAG; break;
	case 0x0c: pf->type = FAULT_PERMISSION; break;
	default: pf->type = FAULT_OTHER; pf->level = 0; break;
	}
	return true;
}

/* Would EL0 be allowed to read va in the current address space? (AT
 * S1E0R: a stage 1 walk with EL0's permissions; PAR_EL1.F = 0 if so.) */
static bool el0_may_read(unsigned long va)
{
	uint64_t par;

	__asm__ __volatile__("at s1e0r, %1\n\tisb\n\tmrs %0, par_el1"
			     : "=r"(par) : "r"(va) : "memory");
	return !(par & 1);
}

static __noreturn void crash(struct pt_regs *r, unsigned int kind,
			     const struct page_fault *pf)
{
	unsigned int ec = ESR_EC(r->esr);
	bool sync = (kind & 3) == 0;
	bool is_panic = sync && ec == EC_BRK64 &&
			(ESR_ISS(r->esr) & 0xffff) == ARM64_PANIC_BRK_IMM &&
			panic_message[0];
	struct fault_info fi = {
		.vector = sync ? ec : 0x100 + kind,
		.error_code = r->esr,
		.pc = r->elr,
		.fp = r->x[29],
		.sp = r->sp,
		.is_panic = is_panic,
	};
	char words[192], where[160];

	fi.name = sync ? arm64_esr_class_name(r->esr) : entry_names[kind];
	printk(KERN_EMERG "------------[ cut here ]------------\n");
	if (is_panic) {
		fi.name = "Kernel panic";
		printk(KERN_EMERG "Kernel panic - not syncing: %s\n", panic_message);
	} else if (sync) {
		printk(KERN_EMERG "%s (EC 0x%02x), ESR 0x%08llx, %s, on CPU %u\n",
		       fi.name, ec, (unsigned long long)r->esr, entry_names[kind],
		       arch_cpu_id());
		arm64_esr_words(words, sizeof(words), r->esr);
		printk(KERN_EMERG "  cause: %s\n", words);
		if (is_abort(ec)) {
			if (!(r->esr & (1U << 10))) {	/* FnV: FAR is valid */
				fi.addr = r->far;
				fi.addr_valid = true;
			}
			describe_address(where, sizeof(where), r->far);
			printk(KERN_EMERG "  faulting address: 0x%016llx, %s\n",
			       (unsigned long long)r->far, where);
			if (pf)
				page_fault_report(pf);
			if (pf && !pf->user && pf->type == FAULT_PERMISSION &&
			    pf->access != FAULT_EXEC && (r->spsr & PSR_PAN) &&
			    el0_may_read(r->far))
				printk(KERN_EMERG "  PAN: the kernel touched user "
				       "memory outside the uaccess routines "
				       "(kernel/uaccess.h)\n");
			else if (pf && !pf->user && pf->access == FAULT_EXEC &&
				 r->far < TASK_SIZE)
				printk(KERN_EMERG "  PXN: the kernel jumped to a "
				       "user address (user pages are never "
				       "executable in EL1)\n");
		}
	} else {
		printk(KERN_EMERG "Unexpected %s (vector entry %u), ESR 0x%08llx, on CPU %u\n",
		       entry_names[kind], kind, (unsigned long long)r->esr,
		       arch_cpu_id());
	}
	describe_address(where, sizeof(where), r->elr);
	printk(KERN_EMERG "  at %s\n", where);
	print_registers(r);
	/* A function that faulted before it saved its frame record (a leaf)
	 * still has its caller in lr: print_backtrace shows it as '?'. When lr
	 * points into the faulting function itself it is no caller. */
	unsigned long off, maybe_ret = r->x[30];
	const char *f = ksym_lookup(r->elr, &off);

	if (f && f == ksym_lookup(maybe_ret - 1, &off))
		maybe_ret = 0;
	print_backtrace(r->elr, r->x[29], maybe_ret);
	crash_report_end(&fi);
}

/*
 * A synchronous exception from EL0 (AArch64), interrupts masked on entry:
 * a system call, a page fault, or anything else as a signal (kernel/entry.h
 * says what each portable call does). The portable side runs with
 * interrupts on, as the interrupted user code had them.
 */
static void el0_sync(struct pt_regs *r)
{
	unsigned int ec = ESR_EC(r->esr), fsc = ESR_ISS(r->esr) & 0x3f;
	struct page_fault pf;
	char words[192];

	arch_irq_enable();
	switch (ec) {
	case EC_SVC64:
		r->orig_x0 = r->x[0];
		do_syscall(r);
		break;
	case EC_DABT_LOW:
	case EC_IABT_LOW:
		if (fsc == 0x21) {
			user_exception(SIGBUS, "alignment fault", r, r->far);
		} else if (page_fault_decode(r, &pf)) {
			user_page_fault(&pf, r);
		} else {
			arm64_esr_words(words, sizeof(words), r->esr);
			user_exception(SIGBUS, words, r, r->far);
		}
		break;
	case EC_UNKNOWN:
		user_exception(SIGILL, "undefined instruction", r, r->elr);
		break;
	case EC_SYS64:
	case EC_ILLEGAL:
		user_exception(SIGILL, arm64_esr_class_name(r->esr), r, r->elr);
		break;
	case EC_PC_ALIGN:
		user_exception(SIGBUS, "PC alignment fault", r, r->elr);
		break;
	case EC_SP_ALIGN:
		user_exception(SIGBUS, "SP alignment fault", r, r->sp);
		break;
	case EC_BRK64:
		user_exception(SIGTRAP, "BRK instruction", r, r->elr);
		break;
	case EC_FP_EXC64:
		user_exception(SIGFPE, "floating-point exception", r, r->elr);
		break;
	default:
		user_exception(SIGSEGV, arm64_esr_class_name(r->esr), r, r->elr);
		break;
	}
	arch_irq_disable();
}

/* Every way back to EL0 ends here: the portable exit work (preemption,
 * signals), then a frame that can only resume EL0t. */
static void el0_exit(struct pt_regs *r)
{
	exit_to_user_mode(r);
	r->spsr = arm64_user_spsr(r->spsr);
}

/*
 * A kernel abort at an instruction with an exception-table entry (a
 * user-memory accessor, uaccess.S): let mm resolve it as a user access
 * would be (demand zero, COW), with interrupts as the accessor had them;
 * if it cannot, resume at the fixup, which returns what was not copied.
 */
static bool el1_uaccess_fault(struct pt_regs *r, struct page_fault *pf)
{
	unsigned long fixup = search_exception_tables(r->elr);
	int ret;

	if (!fixup)
		return false;
	pf->uaccess = true;
	if (!(r->spsr & PSR_I))
		arch_irq_enable();
	ret = do_page_fault(pf);
	arch_irq_disable();
	if (ret != 0)
		r->elr = fixup;
	return true;
}

/* Called from entry.S for every exception; `kind` is the vector entry. */
void arm64_trap(struct pt_regs *r, unsigned int kind);
void arm64_trap(struct pt_regs *r, unsigned int kind)
{
	struct page_fault pf;

	if (kind == 5 && arm64_irq_handler) {		/* IRQ from EL1h */
		struct pt_regs *old = set_irq_regs(r);

		arm64_irq_handler(r);
		set_irq_regs(old);
		if (sched_preempt_irq)
			sched_preempt_irq();
		return;
	}
	if (kind == 8) {				/* sync from EL0 */
		el0_sync(r);
		el0_exit(r);
		return;
	}
	if (kind == 9 && arm64_irq_handler) {		/* IRQ from EL0 */
		struct pt_regs *old = set_irq_regs(r);

		arm64_irq_handler(r);
		set_irq_regs(old);
		el0_exit(r);			/* the timer preempts user code */
		return;
	}
	/* arch_test_exit's semihosting call on a machine without it. */
	if (kind == 4 && ESR_EC(r->esr) == EC_UNKNOWN && arm64_semihosting_probe &&
	    *(const uint32_t *)r->elr == HLT_SEMIHOSTING) {
		arm64_semihosting_absent = true;
		r->elr += 4;
		return;
	}
	/* Synchronous from EL1: a uaccess fault, else a page fault mm may
	 * resolve, else the crash report. */
	if (kind == 4 && page_fault_decode(r, &pf)) {
		if (el1_uaccess_fault(r, &pf))
			return;
		if (do_page_fault(&pf) == 0)
			return;		/* resolved: retry the access */
		crash(r, kind, &pf);
	}
	crash(r, kind, NULL);
}
