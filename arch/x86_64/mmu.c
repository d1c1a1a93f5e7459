/*
 * arch/x86_64/mmu.c - the kernel's page table and user address spaces
 * (4-level paging, SDM vol. 3, 4.5), walked by mm/pgtable.c over the
 * formats of arch/x86_64/pgtable.c: the x86_64 primitives of the MMU
 * interface, whose portable half and contract are mm/arch_mm.[ch].
 *
 * The boot code left temporary tables: the first 4 GiB identity-mapped and
 * direct-mapped with 2 MiB pages, and the kernel at -2 GiB. arch_mm_init()
 * replaces them with a table built from memblock's view of RAM:
 *   - the kernel image at KERNEL_BASE in 4 KiB pages with W^X permissions
 *     (text read-only + executable, rodata read-only, data and bss
 *     writable, nothing else executable);
 *   - every RAM range in the direct map, with the largest pages that fit
 *     (1 GiB where the CPU has them, then 2 MiB, then 4 KiB), not executable;
 *   - no identity map: a stray low pointer now faults;
 *   - a level-3 table under every top-level entry of the vmalloc and
 *     ioremap windows, made now so the kernel half's 256 top-level entries
 *     never change again: a user PML4 copies them once, at creation, and
 *     stays in step with every later vmalloc or ioremap.
 *
 * PCIDs (SDM vol. 3, 4.10.1): with CR4.PCIDE each TLB entry is tagged with
 * the 12-bit PCID in CR3's low bits, and a CR3 write with bit 63 set keeps
 * the entries of other PCIDs, so switching address spaces costs no flush.
 * PCIDE is set on each CPU at its first arch_switch_mm(), not at boot: the
 * SMP trampoline copies the boot CPU's CR4 in 32-bit mode, where setting
 * PCIDE faults.
 */
#include "arch/x86_64/pgtable.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/spinlock.h"
#include "mm/asid.h"
#include "mm/memblock.h"
#include "mm/arch_mm.h"
#include "mm/page_alloc.h"
#include "arch/x86_64/io.h"
#include <arch/cpu.h>
#include <arch/machine.h>
#include "kernel/errno.h"
#include <arch/mmu.h>
#include <arch/page.h>

#define SZ_2M		(1UL << 21)
#define SZ_1G		(1UL << 30)
#define CR3_NOFLUSH	(1UL << 63)
#define CR4_PGE		(1UL << 7)
#define CR4_PCIDE	(1UL << 17)
#define KERNEL_HALF	0xffff800000000000UL
#define FLUSH_ALL_PAGES	32	/* beyond this, one full flush is cheaper */

extern char _text[], _etext[], _data[], _kernel_end[];

static struct pgtable kernel_pgt;
static bool have_gbpages, have_pcid, have_invpcid;

static struct asid_allocator pcids;
static bool pcide_on[NR_CPUS];		/* CR4.PCIDE set on this CPU */

/* Give every top-level entry of [start, last] a table now (see the top). */
static void prefill_top_level(unsigned long start, unsigned long last)
{
	for (unsigned long i = (start >> 39) & 511; i <= ((last >> 39) & 511); i++) {
		void *t;

		if (kernel_pgt.root[i])
			continue;
		t = kernel_pgtable_alloc(&kernel_pgt);
		if (!t)
			panic("mmu: out of memory for the kernel's tables");
		kernel_pgt.root[i] = x86_kernel_fmt.mk_table(virt_to_phys(t));
		kernel_pgt.nr_tables++;
	}
}

static void write_cr3(uint64_t v)
{
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

void arch_mm_init(void)
{
	uint32_t a, b, c, d;
	int r;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	have_gbpages = d & (1U << 26);
	x86_nx_bit = (d & (1U << 20)) ? PTE_NX : 0;
	cpuid(1, 0, &a, &b, &c, &d);
	have_pcid = c & (1U << 17);
	cpuid(7, 0, &a, &b, &c, &d);
	have_invpcid = have_pcid && (b & (1U << 10));

	r = pgtable_init_alloc(&kernel_pgt, &x86_kernel_fmt, 4, KERNEL_HALF, ~0UL,
			       kernel_pgtable_alloc, NULL, NULL);
	if (r)
		panic("mmu: no memory for the kernel's top-level table (%d)", r);
	map_mem(&kernel_pgt, have_gbpages ? SZ_1G : SZ_2M);
	map_kernel(&kernel_pgt, _text, _etext, _data, _kernel_end);
	prefill_top_level(VMALLOC_START, VMALLOC_END);
	prefill_top_level(IOREMAP_BASE, IOREMAP_BASE + IOREMAP_SIZE - 1);

	write_cr3(virt_to_phys(kernel_pgt.root));
	pr_info("mmu: direct map of %llu MiB at 0x%lx: %lu x 1 GiB, %lu x 2 MiB, "
		"%lu x 4 KiB pages; kernel image W^X%s\n",
		(unsigned long long)(memblock_phys_mem_size() >> 20), PAGE_OFFSET,
		kernel_pgt.nr_leaves[3], kernel_pgt.nr_leaves[2],
		kernel_pgt.nr_leaves[1], x86_nx_bit ? "" : " (no NX on this CPU)");
	asid_allocator_init(&pcids, 12, "pcids");
	pcids.single = asid_disabled;	/* asid=off */
	pr_info("mmu: user address spaces: %s\n",
		!have_pcid ? "no PCIDs, every switch flushes the TLB" :
		pcids.single ? "PCIDs off (asid=off): a switch to another address space flushes" :
		have_invpcid ? "4095 PCIDs, INVPCID" : "4095 PCIDs, no INVPCID");
	memblock_set_current_limit(memblock_end_of_DRAM());
}

/* ------------------------------------------------------ primitives */

struct pgtable *arch_kernel_pgtable(void)
{
	return &kernel_pgt;
}

/* This CPU only: others by flush_tlb_kernel_range() (kernel/smp.h). */
void arch_flush_tlb_kernel_range(unsigned long va, size_t size)
{
	arch_flush_tlb_local_range(va, size);
}

int arch_pgd_alloc(struct pgtable *pgt)
{
	int r = pgtable_init(pgt, &x86_user_fmt, 4, 0, TASK_SIZE - 1, NULL);

	if (r)
		return r;
	/* The kernel half: the same level-3 tables as every address space. */
	memcpy(pgt->root + 256, kernel_pgt.root + 256, 256 * sizeof(uint64_t));
	return 0;
}

size_t arch_mm_max_leaf(void)
{
	return have_gbpages ? SZ_1G : SZ_2M;
}

static uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
	return v;
}

void arch_switch_mm(struct arch_mm *mm)
{
	unsigned int cpu = arch_cpu_id(), pcid;
	bool flush;

	if (have_pcid && !pcide_on[cpu]) {
		/* CR3's PCID bits must be 0 here: they are (kernel table). */
		__asm__ __volatile__("mov %0, %%cr4" : : "r"(read_cr4() | CR4_PCIDE)
				     : "memory");
		pcide_on[cpu] = true;
	}
	if (!mm) {
		/* PCID 0 never holds user entries: no flush needed. */
		write_cr3(virt_to_phys(kernel_pgt.root) | (have_pcid ? CR3_NOFLUSH : 0));
		WRITE_ONCE(cpu_loaded_mm[cpu], NULL);
		return;
	}
	pcid = asid_switch(&pcids, &mm->asid, cpu, &flush);
	if (flush)
		arch_flush_tlb_local_all();	/* a rollover: every PCID goes */
	__atomic_fetch_or(&mm->cpus, 1UL << cpu, __ATOMIC_RELAXED);
	WRITE_ONCE(cpu_loaded_mm[cpu], mm);
	/* Pairs with flush_mm(): it marks us stale, then looks whether we
	 * run mm; we say we run it, then look whether we are stale. One of
	 * the two sees the other, so no flush is lost. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_fetch_and(&mm->stale_cpus, ~(1UL << cpu), __ATOMIC_SEQ_CST) &
	    (1UL << cpu))
		flush = true;
	if (have_pcid)	/* without the no-flush bit: the PCID's entries go */
		write_cr3(virt_to_phys(mm->pgt.root) | pcid |
			  (flush ? 0 : CR3_NOFLUSH));
	else
		write_cr3(virt_to_phys(mm->pgt.root));
}

/* INVPCID (SDM vol. 2): type 0 one address in one PCID, 1 one PCID. */
static void invpcid(unsigned long type, unsigned int pcid, unsigned long va)
{
	struct { uint64_t pcid, va; } desc = { pcid, va };

	__asm__ __volatile__("invpcid %0, %1" : : "m"(desc), "r"(type) : "memory");
}

struct mm_flush {
	struct arch_mm *mm;
	unsigned long va;
	size_t size;			/* 0: all of mm */
};

/* This CPU's part of a flush. */
static void flush_mm_local(void *arg)
{
	struct mm_flush *f = arg;
	struct arch_mm *mm = f->mm;
	unsigned int cpu = arch_cpu_id();
	bool current = cpu_loaded_mm[cpu] == mm;
	size_t pages = f->size / PAGE_SIZE;

	/* A CPU that never loaded mm caches nothing of it (and may not
	 * have PCIDs on yet: INVPCID of a PCID other than 0 would fault). */
	if (!(READ_ONCE(mm->cpus) & (1UL << cpu)))
		return;
	if (!have_pcid) {
		/* Entries of an address space that is not loaded went with
		 * the CR3 write that unloaded it. */
		if (current && (!f->size || pages > FLUSH_ALL_PAGES))
			write_cr3(virt_to_phys(mm->pgt.root));
		else if (current)
			arch_flush_tlb_local_range(f->va, f->size);
		return;
	}
	if (!mm->asid)
		return;			/* never ran: nothing cached */
	if (f->size && pages <= FLUSH_ALL_PAGES && (current || have_invpcid)) {
		for (unsigned long a = f->va; a < f->va + f->size; a += PAGE_SIZE) {
			if (current)	/* INVLPG: the current PCID's entry */
				__asm__ __volatile__("invlpg (%0)" : : "r"(a) : "memory");
			else
				invpcid(0, asid_number(&pcids, mm->asid), a);
		}
	} else if (have_invpcid) {
		invpcid(1, asid_number(&pcids, mm->asid), 0);
	} else if (current) {
		/* A CR3 write without the no-flush bit drops its PCID's entries. */
		write_cr3(virt_to_phys(mm->pgt.root) | asid_number(&pcids, mm->asid));
	} else {
		arch_flush_tlb_local_all();
	}
}

/*
 * Every CPU that may cache mm's entries must drop them. Only the CPUs
 * running mm now are interrupted; the others are marked stale and flush
 * mm's PCID when they next load it (arch_switch_mm). Reclaim unmaps one
 * page at a time: an IPI to every CPU that ever ran the process, for each
 * page, cost more than the rest of swap-out under TCG.
 */
static void flush_mm(struct mm_flush *f)
{
	unsigned long flags = arch_irq_save();
	unsigned int me = arch_cpu_id();
	unsigned long others = f->mm->cpus & ~(1UL << me), ipi = 0;

	flush_mm_local(f);
	arch_irq_restore(flags);
	for (unsigned int cpu = 0; others; cpu++, others >>= 1) {
		if (!(others & 1))
			continue;
		__atomic_fetch_or(&f->mm->stale_cpus, 1UL << cpu,
				  __ATOMIC_SEQ_CST);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (READ_ONCE(cpu_loaded_mm[cpu]) == f->mm)
			ipi |= 1UL << cpu;
	}
	if (ipi)
		smp_call_function_many(ipi, flush_mm_local, f);
}

void arch_flush_tlb_mm(struct arch_mm *mm)
{
	struct mm_flush f = { mm, 0, 0 };

	flush_mm(&f);
}

void arch_flush_tlb_mm_range(struct arch_mm *mm, unsigned long va, size_t size)
{
	unsigned long start = va & PAGE_MASK;
	struct mm_flush f = { mm, start, ALIGN_UP(va + size, PAGE_SIZE) - start };

	flush_mm(&f);
}
