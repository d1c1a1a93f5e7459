/*
 * mm/vmalloc.h - virtually contiguous kernel memory.
 *
 *	u32 *table = vmalloc(1 << 20);		// 1 MiB, any physical pages
 *	...
 *	vfree(table);
 *
 * vmalloc gathers single pages from the page allocator and maps them side
 * by side in [VMALLOC_START, VMALLOC_END] (<arch/mmu.h>). Each area is
 * followed by one unmapped guard page, so running off the end of an area
 * faults instead of corrupting the next one; the crash report names the
 * area and its owner (the code that called vmalloc). vmap maps pages the
 * caller already has. Use kmalloc for small or physically contiguous
 * memory; vmalloc for big buffers that need neither.
 *
 * The same area allocator hands out ioremap's areas (ioremap_in below;
 * <arch/mmio.h> has ioremap/iounmap): one gap tree (kernel/lib/gaptree.h)
 * holds every area, each request searching its own window, lowest fit
 * first. Finding room, freeing and looking up an area are O(log areas).
 *
 * Context: may take the page allocator's and vmalloc's locks; not from
 * interrupt handlers.
 */
#ifndef MM_VMALLOC_H
#define MM_VMALLOC_H

#include "kernel/types.h"
#include "kernel/lib/gaptree.h"
#include "mm/gfp.h"

struct page;

#define VM_ALLOC	0x1	/* vmalloc: pages are ours to free */
#define VM_MAP		0x2	/* vmap: pages belong to the caller */
#define VM_NO_GUARD	0x4	/* (not used: every area has its guard) */
#define VM_IOREMAP	0x8	/* ioremap: device registers at phys_addr */

/* One area: [addr, addr + size), the last page of which is the guard. */
struct vm_struct {
	union {
		struct gap_node node;	/* in the area tree: [addr, addr + size - 1] */
		struct vm_struct *next_free;	/* unused: the descriptor pool */
	};
	unsigned long addr;
	unsigned long size;		/* with the guard page */
	unsigned long flags;
	unsigned int nr_pages;
	struct page **pages;		/* VM_ALLOC: the pages mapped */
	phys_addr_t phys_addr;		/* VM_IOREMAP: first page mapped */
	unsigned long caller;		/* return address of the owner */
};

/* size bytes (rounded up to pages) of uninitialised memory, or NULL.
 * vzalloc zeroes it. */
void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
/* Free memory from vmalloc (NULL is ignored). */
void vfree(const void *addr);
/* Map count pages at consecutive addresses with prot (PROT_*). */
void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   unsigned int prot);
/* Undo vmap (the pages stay the caller's). */
void vunmap(const void *addr);

/*
 * The area allocator on its own: reserve size bytes (+ a guard page) of
 * the vmalloc range with nothing mapped, owned by caller; free it again.
 */
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     unsigned long caller);
void free_vm_area(struct vm_struct *area);
/*
 * The same inside [start, end) (end exclusive, as Linux's): the lowest
 * free page-aligned range there that holds size bytes and the guard.
 */
struct vm_struct *__get_vm_area_caller(unsigned long size, unsigned long flags,
				       unsigned long start, unsigned long end,
				       unsigned long caller);
/* The area containing addr (its guard page too), or NULL. */
struct vm_struct *find_vm_area(const void *addr);
bool is_vmalloc_addr(const void *addr);

/* Pages mapped by vmalloc/vmap now (meminfo's VmallocUsed). */
unsigned long vmalloc_used_pages(void);
/* Linux's /proc/vmallocinfo (the `vmallocinfo` command). */
void show_vmallocinfo(void);
/*
 * ioremap's mechanics, in the window [start, end) (kernel/ioremap.c
 * passes the arch's ioremap window; tests may pass another): map the
 * pages holding [phys, phys + size) as device memory (PROT_DEVICE) in a
 * new VM_IOREMAP area, and return the address of phys there, or NULL
 * (no room, no descriptor, no page-table memory).
 * iounmap_area: addr is what ioremap_in returned (any address in the
 * area's first page; NULL is ignored); unmap the area and free it for
 * reuse. Returns 0,
 * or -1 if addr is not a live ioremap area (freed already, vmalloc's,
 * nothing): reported with what it is and caller's name, and a WARN.
 * Interrupts on (the unmap flushes every CPU's TLB).
 */
void *ioremap_in(phys_addr_t phys, size_t size, unsigned long start,
		 unsigned long end, unsigned long caller);
int iounmap_area(const volatile void *addr, unsigned long caller);

/*
 * For crash reports (kernel/fault.c): describe addr if it is in the
 * vmalloc range or in any area ("vmalloc area 0x...-0x... (3 pages) from
 * owner+0x1c: guard page...", "ioremap area ... (phys ...) from owner").
 * Returns false if addr is outside the range and in no area.
 */
bool vmalloc_describe(unsigned long addr, char *buf, size_t size);

void vmalloc_init(void);

#endif
