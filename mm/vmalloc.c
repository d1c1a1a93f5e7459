/*
 * mm/vmalloc.c - vmalloc, vmap, ioremap's areas and the area allocator
 * under them.
 *
 * Areas are nodes of one gap tree (kernel/lib/gaptree.h) over the whole
 * address space, in bytes; each request searches only its own window
 * (vmalloc's [VMALLOC_START, VMALLOC_END], ioremap's window) for the
 * lowest free range that fits, so finding, freeing and looking up an area
 * are O(log areas). Every area carries one unmapped guard page at its
 * end, so areas never touch: an overrun faults on the guard, an underrun
 * on the previous area's guard. Area descriptors come from a fixed pool
 * (no allocation under vmap_lock, and ioremap works before any allocator
 * does).
 *
 * Mapping goes through the MMU interface only (mm/arch_mm.h:
 * arch_map_kernel_range and arch_unmap_kernel_range). The unmap flushes
 * only this CPU's TLB (arm64: every CPU's); every unmap here is
 * followed by flush_tlb_kernel_range() so no CPU keeps a stale
 * translation to pages that go back to the allocator. That is an IPI to
 * every CPU: vfree()/vunmap()/iounmap() need interrupts on, as in Linux.
 */
#include "mm/vmalloc.h"
#include "kernel/console.h"
#include "kernel/ksyms.h"
#include "kernel/lib/gaptree.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>

#define VMALLOC_MAX_AREAS	512
#define VM_UNMAPPING		0x80	/* being freed: a second free is refused */

static struct vm_struct area_pool[VMALLOC_MAX_AREAS];
static struct vm_struct *area_free;		/* unused descriptors */
/* Every area, vmalloc's and ioremap's; the space is all addresses. */
static struct gap_tree vmap_area_tree;
static DEFINE_SPINLOCK(vmap_lock);
static bool pool_ready;

static void pool_init_locked(void)
{
	if (pool_ready)
		return;
	for (int i = VMALLOC_MAX_AREAS - 1; i >= 0; i--) {
		area_pool[i].next_free = area_free;
		area_free = &area_pool[i];
	}
	gap_tree_init(&vmap_area_tree, 0, ~0UL - 1);
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

struct vm_struct *__get_vm_area_caller(unsigned long size, unsigned long flags,
				       unsigned long start, unsigned long end,
				       unsigned long caller)
{
	unsigned long irq, need;
	struct vm_struct *area;
	struct gap_fit fit;
	bool room;

	if (!size || start >= end || size > end - start)
		return NULL;
	need = ALIGN_UP(size, PAGE_SIZE) + PAGE_SIZE;	/* + guard */
	if (need < size)
		return NULL;
	spin_lock_irqsave(&vmap_lock, irq);
	pool_init_locked();
	room = gap_tree_fit_lowest(&vmap_area_tree, need, PAGE_SIZE, start,
				   end - 1, &fit);
	if (!room || !area_free) {
		spin_unlock_irqrestore(&vmap_lock, irq);
		pr_warn("vmalloc: no room for %lu bytes in [%#lx, %#lx) (%s)\n",
			size, start, end,
			area_free ? "address range full" : "all area descriptors in use");
		return NULL;
	}
	area = area_free;
	area_free = area->next_free;
	memset(area, 0, sizeof(*area));
	gap_tree_insert_fit(&vmap_area_tree, &area->node, &fit, need);
	area->addr = fit.start;
	area->size = need;
	area->flags = flags;
	area->caller = caller;
	spin_unlock_irqrestore(&vmap_lock, irq);
	return area;
}

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     unsigned long caller)
{
	return __get_vm_area_caller(size, flags, VMALLOC_START, VMALLOC_END + 1,
				    caller);
}

void free_vm_area(struct vm_struct *area)
{
	unsigned long irq;

	spin_lock_irqsave(&vmap_lock, irq);
	gap_tree_remove(&vmap_area_tree, &area->node);
	area->flags = 0;
	area->next_free = area_free;
	area_free = area;
	spin_unlock_irqrestore(&vmap_lock, irq);
}

static struct vm_struct *find_locked(unsigned long addr)
{
	struct gap_node *n = gap_tree_find(&vmap_area_tree, addr);

	return n ? container_of(n, struct vm_struct, node) : NULL;
}

struct vm_struct *find_vm_area(const void *addr)
{
	unsigned long irq;
	struct vm_struct *a;

	spin_lock_irqsave(&vmap_lock, irq);
	pool_init_locked();
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

static const char *kind_name(unsigned long flags)
{
	if (flags & VM_ALLOC)
		return "vmalloc";
	if (flags & VM_MAP)
		return "vmap";
	if (flags & VM_IOREMAP)
		return "ioremap";
	return "reserved";
}

/*
 * Claim the area starting at addr, of a kind in want, for freeing: the
 * first caller gets it, and a second free of the same area (even racing
 * on another CPU) is refused. The area stays in the tree, so its
 * addresses are not handed out again while they are being unmapped.
 * Returns NULL with *why saying what addr is instead.
 */
static struct vm_struct *claim_area(unsigned long addr, unsigned long want,
				    const char **why)
{
	unsigned long irq;
	struct vm_struct *a;

	*why = NULL;
	spin_lock_irqsave(&vmap_lock, irq);
	pool_init_locked();
	a = find_locked(addr);
	if (!a)
		*why = "in no area (never mapped, or freed already)";
	else if (a->flags & VM_UNMAPPING)
		*why = "in an area being freed already";
	else if (a->addr != addr)
		*why = "inside an area, not at its start";
	else if (!(a->flags & want))
		*why = a->flags & VM_ALLOC ? "a vmalloc area" :
		       a->flags & VM_MAP ? "a vmap area" :
		       a->flags & VM_IOREMAP ? "an ioremap area" : "a reserved area";
	else
		a->flags |= VM_UNMAPPING;
	spin_unlock_irqrestore(&vmap_lock, irq);
	return *why ? NULL : a;
}

/* Take the area of addr (which must be its start) out of use. */
static struct vm_struct *unmap_area(const void *addr, unsigned long want,
				    const char *fn)
{
	const char *why = NULL;
	struct vm_struct *area = claim_area((unsigned long)addr, want, &why);

	if (!area) {
		pr_err("%s(%p): not the start of a %s area (%s); ignored\n", fn,
		       addr, kind_name(want), why);
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

/* Map [phys, phys + size) as device registers in an area of [start, end). */
void *ioremap_in(phys_addr_t phys, size_t size, unsigned long start,
		 unsigned long end, unsigned long caller)
{
	phys_addr_t base = ALIGN_DOWN(phys, PAGE_SIZE);
	unsigned long len;
	struct vm_struct *area;

	if (!size || phys + size < phys)
		return NULL;
	len = (unsigned long)(ALIGN_UP(phys + size, PAGE_SIZE) - base);
	area = __get_vm_area_caller(len, VM_IOREMAP, start, end, caller);
	if (!area)
		return NULL;
	area->phys_addr = base;
	if (arch_map_kernel_range(area->addr, base, len,
				  PROT_READ | PROT_WRITE | PROT_DEVICE)) {
		free_vm_area(area);
		return NULL;
	}
	return (void *)(uintptr_t)(area->addr + (phys - base));
}

int iounmap_area(const volatile void *addr, unsigned long caller)
{
	unsigned long va = ALIGN_DOWN((unsigned long)(uintptr_t)addr, PAGE_SIZE);
	const char *why;
	struct vm_struct *area;
	char owner[96];

	if (!addr)			/* as iounmap(NULL) is in Linux */
		return 0;
	area = claim_area(va, VM_IOREMAP, &why);
	if (!area) {
		ksym_format(owner, sizeof(owner), caller);
		pr_err("iounmap(%p) from %s: not an ioremap address: %s\n",
		       (const void *)addr, owner, why);
		WARN_ON(!area);
		return -1;
	}
	unmap_and_flush(area->addr, area->size - PAGE_SIZE);	/* not the guard */
	free_vm_area(area);
	return 0;
}

/* One line for an area: "vmalloc area 0x...-0x... (3 pages) from owner". */
static void describe_area(const struct vm_struct *a, unsigned long addr,
			  char *buf, size_t size)
{
	unsigned long mapped = a->size - PAGE_SIZE;
	char owner[96];

	ksym_format(owner, sizeof(owner), a->caller);
	if (a->flags & VM_IOREMAP)
		ksnprintf(buf, size, "ioremap area %#lx-%#lx (phys %#llx) from %s%s",
			  a->addr, a->addr + mapped, (unsigned long long)a->phys_addr,
			  owner, addr >= a->addr + mapped ?
			  ": guard page, an overrun past the registers' end" : "");
	else
		ksnprintf(buf, size, "vmalloc area %#lx-%#lx (%u pages) from %s%s",
			  a->addr, a->addr + mapped,
			  a->nr_pages, owner,
			  addr >= a->addr + (unsigned long)a->nr_pages * PAGE_SIZE ?
			  ": guard page, an overrun past the area's end" : "");
}

bool vmalloc_describe(unsigned long addr, char *buf, size_t size)
{
	bool in_range = addr >= VMALLOC_START && addr <= VMALLOC_END;
	struct vm_struct *a;

	/* A crash report may come from under vmap_lock: do not wait for it. */
	if (!spin_trylock(&vmap_lock)) {
		if (in_range)
			ksnprintf(buf, size, "vmalloc range (areas locked)");
		return in_range;
	}
	a = pool_ready ? find_locked(addr) : NULL;
	if (a)
		describe_area(a, addr, buf, size);
	else if (in_range)
		ksnprintf(buf, size, "vmalloc range, in no area (never mapped)");
	spin_unlock(&vmap_lock);
	return a || in_range;
}

void show_vmallocinfo(void)
{
	unsigned long irq;
	struct gap_node *n;
	char owner[96];

	spin_lock_irqsave(&vmap_lock, irq);
	pool_init_locked();
	gap_tree_for_each(n, &vmap_area_tree) {
		struct vm_struct *a = container_of(n, struct vm_struct, node);

		ksym_format(owner, sizeof(owner), a->caller);
		if (a->flags & VM_IOREMAP) {
			printk("%#018lx-%#018lx %7lu %s phys=%#llx ioremap\n",
			       a->addr, a->addr + a->size, a->size, owner,
			       (unsigned long long)a->phys_addr);
			continue;
		}
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
