/*
 * arch/x86_64/trap.c - GDT, TSS, IDT and what happens on an exception:
 * a crash report in words (Intel SDM vol. 3, ch. 6 "Interrupt and
 * Exception Handling" lists the vectors and error codes decoded here).
 */
#include "arch/x86_64/io.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/user.h"
#include "kernel/entry.h"
#include "kernel/extable.h"
#include "kernel/fault.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/profile.h"
#include "kernel/sched.h"
#include "mm/fault.h"
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/mmu.h>
#include <arch/page.h>

/* ------------------------------------------------------------ GDT, TSS */

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __packed;

/* One GDT and TSS per CPU: a TSS is marked busy when loaded, and each CPU
 * needs its own emergency stacks. */
static struct tss tss[NR_CPUS];
/* null, kernel code 0x08, kernel data 0x10, (32-bit user code 0x18: left
 * empty), user data 0x23, user code 0x2b, TSS 0x30 (two slots); the
 * order is SYSCALL/SYSRET's (arch/x86_64/user.h). */
static uint64_t gdt[NR_CPUS][8];
/* Separate stacks for faults that may come from a broken stack. */
static uint8_t ist_double_fault[NR_CPUS][8192] __aligned(16);
static uint8_t ist_nmi[NR_CPUS][8192] __aligned(16);

static void gdt_init(unsigned int cpu)
{
	struct tss *t = &tss[cpu];
	uint64_t *g = gdt[cpu];
	uint64_t base = (uint64_t)t;
	uint64_t limit = sizeof(*t) - 1;
	struct { uint16_t limit; uint64_t base; } __packed ptr;

	g[1] = 0x00af9a000000ffffULL;		/* 0x08 kernel code, 64-bit */
	g[2] = 0x00cf92000000ffffULL;		/* 0x10 kernel data */
	g[4] = 0x00cff2000000ffffULL;		/* 0x20 user data, DPL 3 */
	g[5] = 0x00affa000000ffffULL;		/* 0x28 user code, 64-bit, DPL 3 */
	g[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
	       (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48) |
	       (((base >> 24) & 0xff) << 56);	/* 0x30 available 64-bit TSS */
	g[7] = base >> 32;
	t->ist[0] = (uint64_t)(ist_double_fault[cpu] + sizeof(ist_double_fault[cpu]));
	t->ist[1] = (uint64_t)(ist_nmi[cpu] + sizeof(ist_nmi[cpu]));
	t->iomap_base = sizeof(*t);
	ptr.limit = sizeof(gdt[cpu]) - 1;
	ptr.base = (uint64_t)g;
	/* Reloads CS, DS, ES, SS; not GS, whose base holds the per-CPU block. */
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq $0x08\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1: movw $0x10, %%ax\n\t"
		"movw %%ax, %%ds\n\t movw %%ax, %%es\n\t movw %%ax, %%ss\n\t"
		"movw $0x30, %%ax\n\t ltr %%ax"
		: : "m"(ptr) : "rax", "memory");
}

void x86_set_kernel_stack(unsigned long top)
{
	tss[arch_cpu_id()].rsp[0] = top;
	__asm__ __volatile__("movq %0, %%gs:%c1" : : "r"(top),
			     "i"(offsetof(struct x86_cpu_local, kernel_stack))
			     : "memory");
}

/* ------------------------------------------------------------ user mode */

#define CR0_MP		(1UL << 1)
#define CR0_EM		(1UL << 2)
#define CR0_TS		(1UL << 3)
#define CR0_NE		(1UL << 5)
#define CR4_OSFXSR	(1UL << 9)
#define CR4_OSXMMEXCPT	(1UL << 10)
#define CR4_SMEP	(1UL << 20)
#define CR4_SMAP	(1UL << 21)
#define EFER_SCE	(1UL << 0)

bool x86_have_smep, x86_have_smap;
extern char x86_syscall_entry[];

/*
 * Everything ring 3 needs on this CPU: SYSCALL (EFER.SCE; STAR's
 * selectors, LSTAR the entry, FMASK clears IF DF TF NT AC IOPL on entry),
 * the FPU for user programs (x87 native errors, FXSAVE and SSE with its
 * exceptions; no XSAVE: see process.c), and SMEP/SMAP where CPUID has
 * them. The boot CPU decides, the others follow it (the SMP trampoline
 * also copies the boot CPU's CR4).
 */
void x86_user_init_cpu(unsigned int cpu)
{
	uint64_t cr0, cr4;

	if (cpu == 0) {
		uint32_t a, b, c, d;

		cpuid(0, 0, &a, &b, &c, &d);
		if (a >= 7) {
			cpuid(7, 0, &a, &b, &c, &d);
			x86_have_smep = b & (1U << 7);
			x86_have_smap = b & (1U << 20);
		}
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)USER32_CS << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)x86_syscall_entry);
	wrmsr(MSR_FMASK, X86_RFLAGS_IF | X86_RFLAGS_TF | X86_RFLAGS_DF |
			 X86_RFLAGS_NT | X86_RFLAGS_AC | X86_RFLAGS_IOPL);
	wrmsr(MSR_KERNEL_GS_BASE, 0);	/* user GS base until a program sets one */

	__asm__ __volatile__("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE;
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (x86_have_smep)
		cr4 |= CR4_SMEP;
	if (x86_have_smap)
		cr4 |= CR4_SMAP;
	__asm__ __volatile__("mov %0, %%cr0; mov %1, %%cr4" : : "r"(cr0), "r"(cr4)
			     : "memory");
	__asm__ __volatile__("fninit");
	if (cpu == 0)
		pr_info("x86: ring 3 by SYSCALL/SYSRET; SMEP %s, SMAP %s; FPU by FXSAVE\n",
			x86_have_smep ? "on" : "not on this CPU",
			x86_have_smap ? "on" : "not on this CPU");
}

/* ------------------------------------------------------------ IDT */

struct idt_entry {
	uint16_t offset_low, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_high, zero;
} __packed;

static struct idt_entry idt[256] __aligned(16);
extern const uint64_t isr_stub_table[256];
static void (*irq_handlers[256])(struct pt_regs *);

/* An interrupt gate; dpl 3 lets user code raise it with INT n. */
static void idt_set(unsigned int v, uint64_t handler, unsigned int ist,
		    unsigned int dpl)
{
	idt[v] = (struct idt_entry) {
		.offset_low = handler & 0xffff,
		.selector = KERNEL_CS,
		.ist = ist,
		.type_attr = 0x8e | dpl << 5,	/* present, interrupt gate */
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_high = handler >> 32,
	};
}

static void idt_load(void)
{
	struct { uint16_t limit; uint64_t base; } __packed ptr;

	ptr.limit = sizeof(idt) - 1;
	ptr.base = (uint64_t)idt;
	__asm__ __volatile__("lidt %0" : : "m"(ptr));
}

void x86_trap_init(void)
{
	gdt_init(0);
	/* Only #BP (int3, a debugger's breakpoint) may be raised from user
	 * mode; any other INT n there is a #GP. */
	for (unsigned int v = 0; v < 256; v++)
		idt_set(v, isr_stub_table[v], v == 8 ? 1 : v == 2 ? 2 : 0,
			v == 3 ? 3 : 0);
	idt_load();
	x86_user_init_cpu(0);
}

/* A secondary CPU: its own GDT and TSS, the shared IDT. */
void x86_trap_init_cpu(unsigned int cpu)
{
	gdt_init(cpu);
	idt_load();
	x86_user_init_cpu(cpu);
}

void x86_set_irq_handler(unsigned int vector, void (*fn)(struct pt_regs *))
{
	irq_handlers[vector] = fn;
}

/* ------------------------------------------------------------ reports */

static const char *const exception_names[32] = {
	[0] = "Divide error (#DE)",		[1] = "Debug (#DB)",
	[2] = "Non-maskable interrupt (NMI)",	[3] = "Breakpoint (#BP)",
	[4] = "Overflow (#OF)",			[5] = "BOUND range exceeded (#BR)",
	[6] = "Invalid opcode (#UD)",		[7] = "Device not available (#NM)",
	[8] = "Double fault (#DF)",		[9] = "Coprocessor segment overrun",
	[10] = "Invalid TSS (#TS)",		[11] = "Segment not present (#NP)",
	[12] = "Stack-segment fault (#SS)",	[13] = "General protection fault (#GP)",
	[14] = "Page fault (#PF)",		[16] = "x87 floating-point error (#MF)",
	[17] = "Alignment check (#AC)",		[18] = "Machine check (#MC)",
	[19] = "SIMD floating-point exception (#XM)",
	[20] = "Virtualization exception (#VE)",
	[21] = "Control protection exception (#CP)",
};

static void page_fault_words(char *buf, size_t size, uint64_t err)
{
	/* SDM vol. 3, 4.7: P, W/R, U/S, RSVD, I/D, PK, SS bits. */
	kscnprintf(buf, size, "%s %s a %s page in %s mode%s%s%s",
		   (err & 16) ? "instruction fetch" : (err & 2) ? "write" : "read",
		   (err & 16) ? "from" : "to",
		   (err & 1) ? "present (protection violation)" : "non-present",
		   (err & 4) ? "user" : "kernel",
		   (err & 8) ? "; reserved bit set in a page-table entry" : "",
		   (err & 32) ? "; protection key" : "",
		   (err & 64) ? "; shadow stack" : "");
}

static void selector_words(char *buf, size_t size, uint64_t err)
{
	if (err == 0) {
		ksnprintf(buf, size, "no selector involved");
		return;
	}
	ksnprintf(buf, size, "selector index %llu in the %s%s",
		  (unsigned long long)(err >> 3),
		  (err & 2) ? "IDT" : (err & 4) ? "LDT" : "GDT",
		  (err & 1) ? " (external event)" : "");
}

static void print_flags(uint64_t f)
{
	static const struct { int bit; const char *name; } names[] = {
		{ 0, "CF" }, { 2, "PF" }, { 4, "AF" }, { 6, "ZF" }, { 7, "SF" },
		{ 8, "TF" }, { 9, "IF" }, { 10, "DF" }, { 11, "OF" },
	};
	char buf[64];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (f & (1UL << names[i].bit))
			n += kscnprintf(buf + n, sizeof(buf) - n, " %s", names[i].name);
	buf[n] = '\0';
	printk(KERN_EMERG "RFLAGS: %016llx [%s ]\n", (unsigned long long)f, buf);
}

static uint64_t read_cr(int n)
{
	uint64_t v = 0;

	switch (n) {
	case 0: __asm__ __volatile__("mov %%cr0, %0" : "=r"(v)); break;
	case 2: __asm__ __volatile__("mov %%cr2, %0" : "=r"(v)); break;
	case 3: __asm__ __volatile__("mov %%cr3, %0" : "=r"(v)); break;
	case 4: __asm__ __volatile__("mov %%cr4, %0" : "=r"(v)); break;
	}
	return v;
}

static void print_registers(const struct pt_regs *f)
{
	printk(KERN_EMERG "RIP: %04llx:%016llx  RSP: %04llx:%016llx\n",
	       (unsigned long long)f->cs, (unsigned long long)f->rip,
	       (unsigned long long)f->ss, (unsigned long long)f->rsp);
	print_flags(f->rflags);
	printk(KERN_EMERG "RAX: %016llx RBX: %016llx RCX: %016llx\n",
	       (unsigned long long)f->rax, (unsigned long long)f->rbx,
	       (unsigned long long)f->rcx);
	printk(KERN_EMERG "RDX: %016llx RSI: %016llx RDI: %016llx\n",
	       (unsigned long long)f->rdx, (unsigned long long)f->rsi,
	       (unsigned long long)f->rdi);
	printk(KERN_EMERG "RBP: %016llx R08: %016llx R09: %016llx\n",
	       (unsigned long long)f->rbp, (unsigned long long)f->r8,
	       (unsigned long long)f->r9);
	printk(KERN_EMERG "R10: %016llx R11: %016llx R12: %016llx\n",
	       (unsigned long long)f->r10, (unsigned long long)f->r11,
	       (unsigned long long)f->r12);
	printk(KERN_EMERG "R13: %016llx R14: %016llx R15: %016llx\n",
	       (unsigned long long)f->r13, (unsigned long long)f->r14,
	       (unsigned long long)f->r15);
	printk(KERN_EMERG "CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n",
	       (unsigned long long)read_cr(0), (unsigned long long)read_cr(2),
	       (unsigned long long)read_cr(3), (unsigned long long)read_cr(4));
}

/*
 * A page fault in portable terms (SDM vol. 3, 4.7, the error code: P,
 * W/R, U/S, RSVD, I/D). x86 does not say at which level the walk stopped.
 */
static void page_fault_decode(const struct pt_regs *f, struct page_fault *pf)
{
	uint64_t err = f->error;

	pf->addr = read_cr(2);
	pf->pc = f->rip;
	pf->access = (err & 16) ? FAULT_EXEC : (err & 2) ? FAULT_WRITE : FAULT_READ;
	pf->type = (err & 8) ? FAULT_OTHER :
		   (err & 1) ? FAULT_PERMISSION : FAULT_NOT_PRESENT;
	pf->user = err & 4;
	pf->level = 0;
}

/* pf: the decoded page fault, if it is one; why: a kernel bug the
 * handler recognised (SMAP, SMEP), or NULL. */
static __noreturn void crash(struct pt_regs *f, const struct page_fault *pf,
			     const char *why)
{
	struct fault_info fi = {
		.vector = f->vector,
		.error_code = f->error,
		.pc = f->rip,
		.fp = f->rbp,
		.sp = f->rsp,
	};
	char words[160], where[160];
	bool is_panic = f->vector == 6 && panic_message[0];

	fi.name = f->vector < 32 && exception_names[f->vector] ?
		  exception_names[f->vector] : "Unexpected interrupt";
	fi.is_panic = is_panic;
	printk(KERN_EMERG "------------[ cut here ]------------\n");
	if (is_panic) {
		fi.name = "Kernel panic";
		printk(KERN_EMERG "Kernel panic - not syncing: %s\n", panic_message);
	} else {
		printk(KERN_EMERG "%s, vector %llu, error code 0x%llx, on CPU %u\n",
		       fi.name, (unsigned long long)f->vector,
		       (unsigned long long)f->error, arch_cpu_id());
	}
	if (f->vector == 14) {
		fi.addr = read_cr(2);
		fi.addr_valid = true;
		page_fault_words(words, sizeof(words), f->error);
		describe_address(where, sizeof(where), fi.addr);
		printk(KERN_EMERG "  cause: %s\n", words);
		printk(KERN_EMERG "  faulting address: 0x%016lx, %s\n", fi.addr, where);
		if (why)
			printk(KERN_EMERG "  %s\n", why);
		if (pf)
			page_fault_report(pf);
	} else if (f->vector == 10 || f->vector == 11 || f->vector == 12 ||
		   f->vector == 13) {
		selector_words(words, sizeof(words), f->error);
		printk(KERN_EMERG "  error code: %s\n", words);
	} else if (f->vector == 8) {
		printk(KERN_EMERG "  a fault happened while delivering another; "
		       "often a kernel stack overflow (RSP below)\n");
	}
	describe_address(where, sizeof(where), f->rip);
	printk(KERN_EMERG "  at %s\n", where);
	print_registers(f);
	/* If the faulting function had no frame yet, its return address is
	 * the word at RSP; read it only if RSP is a sane kernel address. */
	unsigned long maybe_ret = 0;

	if (f->rsp >= PAGE_OFFSET && !(f->rsp & 7) && f->vector != 8)
		maybe_ret = *(const unsigned long *)f->rsp;
	print_backtrace(f->rip, f->rbp, maybe_ret);
	crash_report_end(&fi);
}

/* ------------------------------------------------------------ dispatch */

/* Linux's signal numbers (x86 and arm64 share them). */
#define SIGILL		4
#define SIGTRAP		5
#define SIGBUS		7
#define SIGFPE		8
#define SIGSEGV		11

/*
 * An exception in user mode, interrupts on: the portable side decides
 * (kernel/entry.h): resolve a page fault, or signal the process. Linux's
 * choice of signal for each vector.
 */
static void user_trap(struct pt_regs *f)
{
	struct page_fault pf;
	int sig = SIGSEGV;
	unsigned long addr = 0;

	if (f->vector == 14) {
		page_fault_decode(f, &pf);	/* CR2 before anything faults */
		arch_irq_enable();
		user_page_fault(&pf, f);
		arch_irq_disable();
		return;
	}
	switch (f->vector) {
	case 0: case 16: case 19:	/* #DE, #MF, #XM */
		sig = SIGFPE;
		addr = f->rip;
		break;
	case 6:				/* #UD */
		sig = SIGILL;
		addr = f->rip;
		break;
	case 1: case 3:			/* #DB, #BP */
		sig = SIGTRAP;
		addr = f->rip;
		break;
	case 17:			/* #AC */
		sig = SIGBUS;
		break;
	default:			/* #GP, #SS, #NP, #BR, #OF, ... */
		break;
	}
	arch_irq_enable();
	user_exception(sig, exception_names[f->vector] ? exception_names[f->vector]
			     : "Unexpected exception", f, addr);
	arch_irq_disable();
}

/*
 * A page fault in kernel mode. At a pc with an exception-table entry (a
 * user-memory accessor, kernel/uaccess.h) mm may resolve it (the page is
 * faulted in and the copy retried); if it cannot, the copy resumes at the
 * fixup and reports what it did not copy. A kernel access to a user
 * address anywhere else is a kernel bug: SMAP or SMEP, when the CPU has
 * them, is what stopped it, and the report says so.
 */
static void kernel_page_fault(struct pt_regs *f)
{
	struct page_fault pf;
	unsigned long fixup = search_exception_tables(f->rip);
	const char *why = NULL;
	int r;

	page_fault_decode(f, &pf);
	if (pf.addr < TASK_SIZE && (f->error & 1)) {
		if (pf.access == FAULT_EXEC && x86_have_smep)
			why = "SMEP: the kernel tried to execute a user page";
		else if (x86_have_smap && !(f->rflags & X86_RFLAGS_AC))
			why = "SMAP: the kernel touched a user page outside "
			      "the uaccess routines (kernel/uaccess.h)";
	}
	if (fixup && why) {
		f->rip = fixup;		/* refused: nothing for mm to do */
		return;
	}
	if (fixup) {
		pf.uaccess = true;
		if (f->rflags & X86_RFLAGS_IF)
			arch_irq_enable();	/* as in the system call */
		r = do_page_fault(&pf);
		arch_irq_disable();
		if (r != 0)
			f->rip = fixup;
		return;
	}
	if (pf.addr < TASK_SIZE)
		crash(f, &pf, why ? why : "a kernel access to a user address "
		      "outside the uaccess routines (kernel/uaccess.h)");
	if (do_page_fault(&pf) == 0)
		return;		/* resolved: retry the access */
	crash(f, &pf, NULL);
}

/* Called from isr_common for every vector. From user mode (CPL 3) the
 * way back always goes through exit_to_user_mode(): preemption of user
 * code by the timer, and signals, happen there. */
void x86_trap(struct pt_regs *f);
void x86_trap(struct pt_regs *f)
{
	bool from_user = user_mode(f);

	if (f->vector >= 32 && irq_handlers[f->vector]) {
		struct pt_regs *old = set_irq_regs(f);

		irq_handlers[f->vector](f);
		set_irq_regs(old);
		if (from_user)
			exit_to_user_mode(f);
		else
			sched_preempt_irq();	/* time slice over, or a wake-up */
		return;
	}
	if (f->vector == IRQ_SPURIOUS_VECTOR)
		return;
	/* NMI, #DF and #MC come on their own stacks and are the kernel's. */
	if (from_user && f->vector < 32 && f->vector != 2 && f->vector != 8 &&
	    f->vector != 18) {
		user_trap(f);
		exit_to_user_mode(f);
		return;
	}
	if (f->vector == 14) {
		kernel_page_fault(f);
		return;
	}
	crash(f, NULL, NULL);
}
