/*
 * arch/arm64/pgtable.c - what the bits of a VMSAv8-64 descriptor mean, for
 * mm/pgtable.c's one walk (arch/arm64/pgtable.h draws them). The kernel
 * and user formats differ in three choices:
 *
 *                      leaves        PROT_USER   table_virt
 *   arm64_kernel_fmt   global, UXN   refused     kernel image or direct map
 *   arm64_user_fmt     nG, PXN       sets AP[1]  direct map
 */
#include "arch/arm64/pgtable.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>
#include <arch/page.h>

extern char _head[], _kernel_end[];

#define ATTR_NORMAL	(PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF)
#define ATTR_DEVICE	(PTE_ATTRINDX(MT_DEVICE_nGnRE) | PTE_AF)
#define ATTRINDX_MASK	PTE_ATTRINDX(7)

/* attrs always hold AF (bit 10), so they are never 0 for a prot that maps. */
static uint64_t kernel_prot_to_attrs(unsigned int prot)
{
	uint64_t a;

	if (prot & PROT_USER)
		return 0;
	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return 0;
	if (prot & PROT_DEVICE)
		return ATTR_DEVICE | PTE_PXN | PTE_UXN;
	a = ATTR_NORMAL | PTE_UXN;
	if (!(prot & PROT_WRITE))
		a |= PTE_AP_RO;
	if (!(prot & PROT_EXEC))
		a |= PTE_PXN;
	return a;
}

static uint64_t user_prot_to_attrs(unsigned int prot)
{
	uint64_t a;

	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return 0;
	a = ((prot & PROT_DEVICE) ? ATTR_DEVICE : ATTR_NORMAL) | PTE_NG | PTE_PXN;
	if (prot & PROT_USER)
		a |= PTE_USER;
	if (!(prot & PROT_WRITE))
		a |= PTE_AP_RO;
	if (!(prot & PROT_EXEC))
		a |= PTE_UXN;
	return a;
}

static unsigned int arm64_attrs_to_prot(uint64_t attrs)
{
	unsigned int prot = PROT_READ;

	if (!(attrs & PTE_AP_RO))
		prot |= PROT_WRITE;
	if (attrs & PTE_USER) {
		prot |= PROT_USER;
		if (!(attrs & PTE_UXN))
			prot |= PROT_EXEC;
	} else if (!(attrs & PTE_PXN)) {
		prot |= PROT_EXEC;
	}
	if ((attrs & ATTRINDX_MASK) == PTE_ATTRINDX(MT_DEVICE_nGnRE))
		prot |= PROT_DEVICE;
	return prot;
}

static uint64_t arm64_mk_table(phys_addr_t phys)
{
	return (phys & PTE_ADDR_MASK) | PTE_TABLE;
}

static uint64_t arm64_mk_leaf(phys_addr_t paddr, uint64_t attrs,
			      unsigned int level)
{
	return (paddr & PTE_ADDR_MASK) | attrs |
	       (level == 1 ? PTE_PAGE : PTE_BLOCK);
}

static uint64_t arm64_leaf_attrs(uint64_t e)
{
	return e & ~(PTE_ADDR_MASK | PTE_TYPE_MASK);
}

static bool arm64_is_present(uint64_t e)
{
	return e & PTE_VALID;
}

static bool arm64_is_leaf(uint64_t e, unsigned int level)
{
	return level == 1 || (e & PTE_TYPE_MASK) == PTE_BLOCK;
}

static uint64_t arm64_mk_nonpresent(uint64_t payload)
{
	return (payload << PTE_PAYLOAD_SHIFT) | PTE_PAYLOAD_MARK;
}

static uint64_t arm64_nonpresent_payload(uint64_t e)
{
	return (e >> PTE_PAYLOAD_SHIFT) & ((_UL(1) << PTE_PAYLOAD_BITS) - 1);
}

/*
 * The kernel's tables live in the kernel image (head.S's, the early pool)
 * or in RAM from memblock and the page allocator (the direct map).
 */
static void *kernel_table_virt(phys_addr_t pa)
{
	phys_addr_t kstart = virt_to_phys(_head), kend = virt_to_phys(_kernel_end);

	if (pa >= kstart && pa < kend)
		return (void *)(uintptr_t)(pa + kimage_voffset);
	return phys_to_virt(pa);
}

/* A table is complete in memory before the walker may see the entry. */
static void arm64_sync(void)
{
	__asm__ __volatile__("dsb ishst" ::: "memory");
}

#define ARM64_FMT_COMMON \
	.addr_mask = PTE_ADDR_MASK, \
	.leaf_levels = BIT(1) | BIT(2) | BIT(3), \
	.attrs_to_prot = arm64_attrs_to_prot, \
	.mk_table = arm64_mk_table, \
	.mk_leaf = arm64_mk_leaf, \
	.leaf_attrs = arm64_leaf_attrs, \
	.is_present = arm64_is_present, \
	.is_leaf = arm64_is_leaf, \
	.payload_bits = PTE_PAYLOAD_BITS, \
	.mk_nonpresent = arm64_mk_nonpresent, \
	.nonpresent_payload = arm64_nonpresent_payload, \
	.young_bit = PTE_AF, \
	.young_clear_no_flush = true, \
	.dirty_bit = PTE_DIRTY, \
	.sync = arm64_sync

const struct pgtable_fmt arm64_kernel_fmt = {
	.name = "arm64 kernel (TTBR1)",
	.prot_to_attrs = kernel_prot_to_attrs,
	.table_virt = kernel_table_virt,
	ARM64_FMT_COMMON,
};

const struct pgtable_fmt arm64_user_fmt = {
	.name = "arm64 user (TTBR0)",
	.prot_to_attrs = user_prot_to_attrs,
	ARM64_FMT_COMMON,
};
