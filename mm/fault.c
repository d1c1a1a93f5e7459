/*
 * mm/fault.c - the portable page-fault entry (mm/fault.h). Compiled for
 * the host too: the words are tested there.
 */
#include "mm/fault.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/errno.h"
#include "kernel/thread.h"
#include "mm/arch_mm.h"
#include "mm/mm.h"
#include <arch/mmu.h>
#include <arch/thread.h>

/*
 * A fault from user mode, or from a user-memory accessor on a user
 * address, is the running thread's address space's: handle_mm_fault()
 * decides (0 mapped, -EFAULT: SIGSEGV or the accessor's -EFAULT,
 * -ENOMEM: out of memory, -EIO: SIGBUS, a file page that is not there). Anything else in kernel mode is a kernel bug:
 * -EFAULT, and the crash report follows.
 */
int do_page_fault(const struct page_fault *pf)
{
	struct mm_struct *mm;

	if (!pf->user && !(pf->uaccess && pf->addr < TASK_SIZE))
		return -EFAULT;
	mm = arch_current()->mm;
	if (!mm)
		return -EFAULT;
	switch (handle_mm_fault(mm, pf->addr, pf->access)) {
	case VM_FAULT_DONE:
		return 0;
	case VM_FAULT_OOM:
		return -ENOMEM;
	case VM_FAULT_BUS:
		return -EIO;
	default:
		return -EFAULT;
	}
}

static const char *const access_words[] = {
	[FAULT_READ] = "read of",
	[FAULT_WRITE] = "write to",
	[FAULT_EXEC] = "instruction fetch from",
};

const char *page_fault_reason(const struct page_fault *pf, char *buf,
			      size_t size)
{
	const char *what = access_words[pf->access];
	const char *page;

	switch (pf->type) {
	case FAULT_NOT_PRESENT:
		page = "a not-present page";
		break;
	case FAULT_PERMISSION:
		page = pf->access == FAULT_WRITE ? "a read-only page" :
		       pf->access == FAULT_EXEC ? "a non-executable page" :
		       "a page the mapping does not let this mode read";
		break;
	case FAULT_ACCESS_FLAG:
		page = "a page whose access flag is clear (not young)";
		break;
	default:
		page = "a page, failing for a reason other than its mapping";
		break;
	}
	ksnprintf(buf, size, "%s %s", what, page);
	return buf;
}

static void prot_words(char *buf, size_t size, unsigned int prot)
{
	ksnprintf(buf, size, "%s%s%s%s",
		  (prot & PROT_WRITE) ? "writable" : "read-only",
		  (prot & PROT_EXEC) ? ", executable" : ", not executable",
		  (prot & PROT_DEVICE) ? ", device (uncached)" : "",
		  (prot & PROT_USER) ? ", user" : "");
}

void page_fault_report(const struct page_fault *pf)
{
	char words[96], prot[80], lvl[40] = "";
	phys_addr_t pa;
	unsigned int p, level;
	int r;

	if (pf->level)
		ksnprintf(lvl, sizeof(lvl), " (the walk stopped at level %u)",
			  pf->level);
	printk(KERN_EMERG "  page fault: %s, %s mode%s\n",
	       page_fault_reason(pf, words, sizeof(words)),
	       pf->user ? "user" : "kernel", lvl);
	if (pf->user)
		return;
	r = arch_kernel_translate(pf->addr, &pa, &p, &level);
	if (r == -EINVAL)
		return;			/* not a window that changes after boot */
	if (r < 0) {
		printk(KERN_EMERG "  kernel page table: busy (its lock is held), "
		       "not walked\n");
	} else if (r == 0) {
		printk(KERN_EMERG "  kernel page table: nothing mapped at this page "
		       "(a guard page, or an area already freed)\n");
	} else {
		prot_words(prot, sizeof(prot), p);
		printk(KERN_EMERG "  kernel page table: level-%u leaf to physical "
		       "0x%llx, %s\n", level, (unsigned long long)pa, prot);
	}
}
