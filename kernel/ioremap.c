/*
 * kernel/ioremap.c - ioremap()/iounmap() in the arch's ioremap window
 * (IOREMAP_BASE, IOREMAP_SIZE from <arch/page.h>), on vmalloc's area
 * allocator (mm/vmalloc.c: ioremap_in, iounmap_area), as Linux's
 * mm/ioremap.c is: a VM_IOREMAP area, mapped with PROT_DEVICE, followed by
 * an unmapped guard page so a driver running off its registers faults,
 * listed in `vmallocinfo` as "ioremap" and named in crash reports.
 *
 * This file stays out of mm/ because mm/ is also built for the host, where
 * <arch/mmio.h> maps "registers" one to one so driver tests can run on
 * plain memory; the mechanics themselves are in mm/vmalloc.c and tested
 * on the host there.
 */
#include "mm/vmalloc.h"
#include <arch/mmio.h>
#include <arch/page.h>

void *ioremap(phys_addr_t phys, size_t size)
{
	return ioremap_in(phys, size, IOREMAP_BASE, IOREMAP_BASE + IOREMAP_SIZE,
			  (unsigned long)__builtin_return_address(0));
}

void iounmap(volatile void *addr)
{
	iounmap_area(addr, (unsigned long)__builtin_return_address(0));
}
