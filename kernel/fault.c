/*
 * kernel/fault.c - the portable half of crash reports: backtraces, address
 * descriptions, and resuming after a fault a test provoked on purpose.
 */
#include "kernel/fault.h"
#include "kernel/ksyms.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/vmalloc.h"		/* vmalloc_describe: names the area */
#include <arch/machine.h>
#include <arch/page.h>
#include <arch/setjmp.h>

bool kernel_test_mode;
char panic_message[256];

static struct arch_jmp_buf *catch_point;
static struct fault_info *catch_info;

bool run_catching_faults(void (*fn)(void *), void *arg, struct fault_info *fi)
{
	struct arch_jmp_buf jb;

	if (arch_setjmp(&jb) != 0) {
		catch_point = NULL;
		return true;
	}
	catch_info = fi;
	catch_point = &jb;
	fn(arg);
	catch_point = NULL;
	return false;
}

void fault_catch_abandon(void)
{
	catch_point = NULL;
}

void fault_try_recover(const struct fault_info *fi)
{
	struct arch_jmp_buf *jb = catch_point;

	if (!jb)
		return;
	*catch_info = *fi;
	catch_point = NULL;
	panic_message[0] = '\0';
	printk(KERN_INFO "fault caught by run_catching_faults(); resuming the caller\n");
	arch_longjmp(jb, 1);
}

void crash_report_end(const struct fault_info *fi)
{
	printk(KERN_EMERG "---[ end of crash report ]---\n");
	fault_try_recover(fi);		/* a test that provoked it resumes */
	if (kernel_test_mode) {
		printk(KERN_EMERG "test run ended by the crash above\n");
		arch_test_exit(false);
	}
	printk(KERN_EMERG "System halted.\n");
	arch_halt();
}

#define MAX_FRAMES	32
#define MAX_STACK	(64 * 1024)	/* a frame chain longer than this is junk */

/*
 * Frame records are {previous fp, return address} on both x86_64 (rbp) and
 * arm64 (x29). The walk stops at a NULL fp, a misaligned one, one that goes
 * down the stack instead of up, or one too far from where it started, so a
 * corrupted stack ends the backtrace instead of faulting inside the report.
 */
void print_backtrace(unsigned long pc, unsigned long fp, unsigned long maybe_ret)
{
	char sym[128];
	unsigned long first = fp, off;

	printk(KERN_EMERG "Call trace:\n");
	ksym_format(sym, sizeof(sym), pc);
	printk(KERN_EMERG "  [<%016lx>] %s\n", pc, sym);
	if (maybe_ret && ksym_lookup(maybe_ret - 1, &off) &&
	    !(fp && !(fp & 7) && fp >= PAGE_OFFSET &&
	      ((const unsigned long *)fp)[1] == maybe_ret)) {
		ksym_format(sym, sizeof(sym), maybe_ret - 1);
		printk(KERN_EMERG "  [<%016lx>] ? %s\n", maybe_ret, sym);
	}
	for (int depth = 0; depth < MAX_FRAMES; depth++) {
		if (!fp || (fp & 7) || fp < first || fp - first > MAX_STACK)
			return;
		if (fp < PAGE_OFFSET)	/* not a kernel stack address */
			return;
		const unsigned long *frame = (const unsigned long *)fp;
		unsigned long ret = frame[1];
		unsigned long next = frame[0];

		if (!ret)
			return;
		/* The return address is after the call; look up the call. */
		ksym_format(sym, sizeof(sym), ret - 1);
		printk(KERN_EMERG "  [<%016lx>] %s\n", ret, sym);
		if (next <= fp)
			return;
		fp = next;
	}
	printk(KERN_EMERG "  ... (more than %d frames)\n", MAX_FRAMES);
}

void describe_address(char *buf, size_t size, unsigned long addr)
{
	unsigned long off;
	const char *name;
	unsigned long top = addr >> 47;

	if (addr < PAGE_SIZE) {
		ksnprintf(buf, size, "in the NULL page: a NULL pointer "
			  "dereference (offset 0x%lx)", addr);
	} else if (top != 0 && top != 0x1ffff) {
		ksnprintf(buf, size, "non-canonical: bits 63..47 differ, no "
			  "pointer looks like this (corrupted or uninitialised?)");
	} else if ((name = ksym_lookup(addr, &off)) != NULL) {
		ksnprintf(buf, size, "kernel image: %s+0x%lx", name, off);
	} else if (addr >= KERNEL_BASE) {
		ksnprintf(buf, size, "kernel image area, outside any symbol");
	} else if (vmalloc_describe(addr, buf, size)) {
		/* a vmalloc area: named with its owner */
	} else if (addr >= IOREMAP_BASE && addr < IOREMAP_BASE + IOREMAP_SIZE) {
		ksnprintf(buf, size, "ioremap window (device registers)");
	} else if (addr >= PAGE_OFFSET && addr < IOREMAP_BASE) {
		ksnprintf(buf, size, "direct map: physical address 0x%lx",
			  addr - PAGE_OFFSET);
	} else if (addr < (1UL << 47)) {
		ksnprintf(buf, size, "lower half (user space; the kernel has "
			  "no mappings there)");
	} else {
		ksnprintf(buf, size, "kernel half, outside every kernel region");
	}
}
