/*
 * mm/vmalloc.c - vmalloc, vmap and the area allocator under them.
 *
 * The vmalloc range is handed out first-fit from a list of areas sorted by
 * address; the gaps between them are the free space. Every area carries
 * one unmapped guard page at its end, so areas never touch: an overrun
 * faults on the guard, an underrun on the previous area's guard. Area
 * descriptors come from a fixed pool (no allocation under vmap_lock).
 *
 * Mapping goes through <arch/mmu.h> only (arch_map_kernel_range and
 * arch_unmap_kernel_range), the one thing each architecture must supply.
 * The arch flushes only this CPU's TLB on unmap; every unmap here is
 * followed by flush_tlb_kernel_range() so no CPU keeps a stale
 * translation to pages that go back to the allocator. That is an IPI to
 * every CPU: vfree()/vunmap() need interrupts on, as in Linux.
 */
#include "mm/vmalloc.h"
#include "kernel/console.h"
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include <arch/mmu.h>

#define VMALLOC_MAX_AREAS	512

static struct vm_struct area_pool[VMALLOC_MAX_AREAS];
static struct vm_struct *area_free;		/* unused descriptors */
static struct list_head vmap_areas = LIST_HEAD_INIT(vmap_areas);
static DEFINE_SPINLOCK(vmap_lock);
static bool pool_ready;

static void pool_init_locked(void)
{
	if (pool_ready)
		return;
	for (int i = VMALLOC_MAX_AREAS - 1; i >= 0; i--) {
		area_pool[i].list.next = (struct list_head *)area_free;
		area_free = &area_pool[i];
	}
	pool_ready = true;
}

void vmalloc_init(void)
{
	unsigned long flags;

	spin_lock_irqsave(&vmap_lock, flags);
	pool_init_locked();
	spin_unlock_irqrestore(&vmap_lock, flags);
	pr_info("vmalloc: %lu GiB at %#lx, guard page after each area\n",
		(VMALLOC_END - VMALLOC_START + 1) >> 30, VMALLOC_START);
}

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     unsigned long caller)
{
	unsigned long irq, addr = VMALLOC_START, need;
	struct list_head *pos;
	struct vm_struct *area, *a;

	if (!size || size > VMALLOC_END - VMALLOC_START)
		return NULL;
	need = ALIGN_UP(size, PAGE_SIZE) + PAGE_SIZE;	/* + guard */
	spin_lock_irqsave(&vmap_lock, irq);
	pool_init_locked();
	/* First fit: the first gap before an area, or after the last. */
	for (pos = vmap_areas.next; pos != &vmap_areas; pos = pos->next) {
		a = list_entry(pos, struct vm_struct, list);
		if (a->addr - addr >= need)
			break;
		addr = a->addr + a->size;
	}
	if (VMALLOC_END - addr + 1 < need || !area_free) {
		spin_unlock_irqrestore(&vmap_lock, irq);
		pr_warn("vmalloc: no room for %lu bytes (%s)\n", size,
			area_free ? "address range full" : "all area descriptors in use");
		return NULL;
	}
	area = area_free;
	area_free = (struct vm_struct *)area->list.next;
	memset(area, 0, sizeof(*area));
	area->addr = addr;
	area->size = need;
	area->flags = flags;
	area->caller = caller;
	list_add_tail(&area->list, pos);	/* before pos: stays sorted */
	spin_unlock_irqrestore(&vmap_lock, irq);
	return area;
}

void free_vm_area(struct vm_struct *area)
{
	unsigned long irq;

	spin_lock_irqsave(&vmap_lock, irq);
	list_del(&area->list);
	area->list.next = (struct list_head *)area_free;
	area_free = area;
	spin_unlock_irqrestore(&vmap_lock, irq);
}

static struct vm_struct *find_locked(unsigned long addr)
{
	struct list_head *pos;

	for (pos = vmap_areas.next; pos != &vmap_areas; pos = pos->next) {
		struct vm_struct *a = list_entry(pos, struct vm_struct, list);

		if (addr < a->addr)
			return NULL;
		if (addr < a->addr + a->size)
			return a;
	}
	return NULL;
}

struct vm_struct *find_vm_area(const void *addr)
{
	unsigned long irq;
	struct vm_struct *a;

	spin_lock_irqsave(&vmap_lock, irq);
	a = find_locked((unsigned long)addr);
	spin_unlock_irqrestore(&vmap_lock, irq);
	return a;
}

bool is_vmalloc_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= VMALLOC_START && a <= VMALLOC_END;
}

static void count_pages(long delta)
{
	mod_node_page_state(&contig_page_data, NR_VMALLOC, delta);
}

/* Remove [va, va + size) from the page tables and from every CPU's TLB. */
static void unmap_and_flush(unsigned long va, unsigned long size)
{
	if (!size)
		return;
	arch_unmap_kernel_range(va, size);
	flush_tlb_kernel_range(va, va + size);
}

/* Map pages at area->addr one page at a time (they need not be adjacent). */
static int map_area(struct vm_struct *area, struct page **pages,
		    unsigned int count, unsigned int prot)
{
	for (unsigned int i = 0; i < count; i++) {
		unsigned long va = area->addr + (unsigned long)i * PAGE_SIZE;

		if (!pages[i] || arch_map_kernel_range(va, PFN_PHYS(page_to_pfn(pages[i])),
					  PAGE_SIZE, prot)) {
			unmap_and_flush(area->addr, (unsigned long)i * PAGE_SIZE);
			return -1;
		}
	}
	area->nr_pages = count;
	count_pages(count);
	return 0;
}

static void *__vmalloc(unsigned long size, gfp_t gfp, unsigned long caller)
{
	struct vm_struct *area;
	unsigned int n, i;

	if (!size)
		return NULL;
	area = get_vm_area_caller(size, VM_ALLOC, caller);
	if (!area)
		return NULL;
	n = (unsigned int)(ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE);
	area->pages = kmalloc(n * sizeof(struct page *), gfp & ~__GFP_ZERO);
	if (!area->pages)
		goto fail_area;
	for (i = 0; i < n; i++) {
		area->pages[i] = alloc_page(gfp);
		if (!area->pages[i])
			goto fail_pages;
	}
	if (map_area(area, area->pages, n, PROT_READ | PROT_WRITE))
		goto fail_pages;
	return (void *)area->addr;

fail_pages:
	while (i-- > 0)
		__free_page(area->pages[i]);
	kfree(area->pages);
fail_area:
	free_vm_area(area);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL,
			 (unsigned long)__builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO,
			 (unsigned long)__builtin_return_address(0));
}

void *vmap(struct page **pages, unsigned int count, unsigned long flags,
	   unsigned int prot)
{
	struct vm_struct *area;

	area = get_vm_area_caller((unsigned long)count * PAGE_SIZE,
				  VM_MAP | flags,
				  (unsigned long)__builtin_return_address(0));
	if (!area)
		return NULL;
	if (map_area(area, pages, count, prot)) {
		free_vm_area(area);
		return NULL;
	}
	return (void *)area->addr;
}

/* Take the area of addr (which must be its start) out of use. */
static struct vm_struct *unmap_area(const void *addr, unsigned long want,
				    const char *fn)
{
	struct vm_struct *area = find_vm_area(addr);

	if (!area || area->addr != (unsigned long)addr || !(area->flags & want)) {
		pr_err("%s(%p): not the start of a %s area; ignored\n", fn,
		       addr, want == VM_ALLOC ? "vmalloc" : "vmap");
		return NULL;
	}
	unmap_and_flush(area->addr, (unsigned long)area->nr_pages * PAGE_SIZE);
	count_pages(-(long)area->nr_pages);
	return area;
}

void vfree(const void *addr)
{
	struct vm_struct *area;

	if (!addr)
		return;
	area = unmap_area(addr, VM_ALLOC, "vfree");
	if (!area)
		return;
	for (unsigned int i = 0; i < area->nr_pages; i++)
		__free_page(area->pages[i]);
	kfree(area->pages);
	free_vm_area(area);
}

void vunmap(const void *addr)
{
	struct vm_struct *area;

	if (!addr)
		return;
	area = unmap_area(addr, VM_MAP, "vunmap");
	if (area)
		free_vm_area(area);
}

unsigned long vmalloc_used_pages(void)
{
	return node_page_state_snapshot(&contig_page_data, NR_VMALLOC);
}

bool vmalloc_describe(unsigned long addr, char *buf, size_t size)
{
	struct vm_struct *a;
	char owner[96];

	if (addr < VMALLOC_START || addr > VMALLOC_END)
		return false;
	/* A crash report may come from under vmap_lock: do not wait for it. */
	if (!spin_trylock(&vmap_lock)) {
		ksnprintf(buf, size, "vmalloc range (areas locked)");
		return true;
	}
	a = find_locked(addr);
	if (!a) {
		spin_unlock(&vmap_lock);
		ksnprintf(buf, size, "vmalloc range, in no area (never mapped)");
		return true;
	}
	ksym_format(owner, sizeof(owner), a->caller);
	ksnprintf(buf, size, "vmalloc area %#lx-%#lx (%u pages) from %s%s",
		  a->addr, a->addr + a->size - PAGE_SIZE, a->nr_pages, owner,
		  addr >= a->addr + (unsigned long)a->nr_pages * PAGE_SIZE ?
		  ": guard page, an overrun past the area's end" : "");
	spin_unlock(&vmap_lock);
	return true;
}

void show_vmallocinfo(void)
{
	unsigned long irq;
	struct list_head *pos;
	char owner[96];

	spin_lock_irqsave(&vmap_lock, irq);
	for (pos = vmap_areas.next; pos != &vmap_areas; pos = pos->next) {
		struct vm_struct *a = list_entry(pos, struct vm_struct, list);

		ksym_format(owner, sizeof(owner), a->caller);
		printk("%#018lx-%#018lx %7lu %s pages=%u%s%s\n", a->addr,
		       a->addr + a->size, a->size, owner, a->nr_pages,
		       a->flags & VM_ALLOC ? " vmalloc" : "",
		       a->flags & VM_MAP ? " vmap" : "");
	}
	spin_unlock_irqrestore(&vmap_lock, irq);
}

static int cmd_vmallocinfo(int argc, char **argv)
{
	show_vmallocinfo();
	return 0;
}
CONSOLE_COMMAND(vmallocinfo, "vmalloc areas and their owners (/proc/vmallocinfo)",
		cmd_vmallocinfo);
