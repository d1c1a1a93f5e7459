/*
 * mm/fault.c - the portable page-fault entry (mm/fault.h). Compiled for
 * the host too: the words are tested there.
 */
#include "mm/fault.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/errno.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>

int do_page_fault(const struct page_fault *pf)
{
	(void)pf;
	/* Nothing to handle yet: no address space has VMAs. With them,
	 * this looks up the faulting address's VMA, maps a page on a
	 * not-present fault, copies it on a write to a copy-on-write page,
	 * and reads it back from swap when the entry holds a payload. */
	return -EFAULT;
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
