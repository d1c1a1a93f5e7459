/*
 * kernel/ioremap.c - ioremap(): device registers mapped uncached into the
 * ioremap window (IOREMAP_BASE, IOREMAP_SIZE from <arch/page.h>) through
 * the arch's arch_map_kernel_range(PROT_DEVICE). Windows are handed out
 * upward and never reused (devices are found once, at boot), each followed
 * by an unmapped guard page so a driver running off its registers faults.
 */
#include "kernel/spinlock.h"
#include <arch/mmio.h>
#include <arch/mmu.h>
#include <arch/page.h>

static uint64_t ioremap_next = IOREMAP_BASE;
static DEFINE_SPINLOCK(ioremap_lock);

void *ioremap(phys_addr_t phys, size_t size)
{
	phys_addr_t base = ALIGN_DOWN(phys, PAGE_SIZE);
	uint64_t len = ALIGN_UP(phys + size, PAGE_SIZE) - base;
	unsigned long flags;
	uint64_t va;

	if (!size)
		return NULL;
	spin_lock_irqsave(&ioremap_lock, flags);	/* CPUs probe in parallel */
	va = ioremap_next;
	if (va + len > IOREMAP_BASE + IOREMAP_SIZE) {
		spin_unlock_irqrestore(&ioremap_lock, flags);
		return NULL;
	}
	ioremap_next += len + PAGE_SIZE;		/* the guard page */
	spin_unlock_irqrestore(&ioremap_lock, flags);
	if (arch_map_kernel_range(va, base, len, PROT_READ | PROT_WRITE | PROT_DEVICE))
		return NULL;
	return (void *)(uintptr_t)(va + (phys - base));
}
