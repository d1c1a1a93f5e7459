/*
 * arch/x86_64/pgtable.c - what the bits of an x86_64 page-table entry mean,
 * for mm/pgtable.c's one walk (the layout is drawn in arch/x86_64/pgtable.h).
 * Two formats share everything but three choices:
 *
 *                 tables point with  leaves get    PROT_USER
 *   x86_kernel_fmt  P W                G (global)   refused
 *   x86_user_fmt    P W U              -            sets U
 *
 * Kernel leaves are global so a CR3 write (an address-space switch) keeps
 * them; user leaves are not, so it drops them (or, with PCIDs, they are
 * tagged with their address space's PCID).
 */
#include "arch/x86_64/pgtable.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>

uint64_t x86_nx_bit;

static uint64_t x86_prot_to_attrs(unsigned int prot, bool user)
{
	uint64_t a = PTE_P;

	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return 0;		/* x86 cannot map "no access" present */
	if (prot & PROT_USER) {
		if (!user)
			return 0;
		a |= PTE_U;
	}
	if (!user)
		a |= PTE_G;
	if (prot & PROT_WRITE)
		a |= PTE_W;
	if (!(prot & PROT_EXEC))
		a |= x86_nx_bit;
	if (prot & PROT_DEVICE)
		a |= PTE_PCD | PTE_PWT;	/* uncached (PAT entry 3) */
	return a;
}

static uint64_t kernel_prot_to_attrs(unsigned int prot)
{
	return x86_prot_to_attrs(prot, false);
}

static uint64_t user_prot_to_attrs(unsigned int prot)
{
	return x86_prot_to_attrs(prot, true);
}

static unsigned int x86_attrs_to_prot(uint64_t attrs)
{
	unsigned int prot = 0;

	if (!(attrs & PTE_P))
		return 0;
	prot |= PROT_READ;
	if (attrs & PTE_W)
		prot |= PROT_WRITE;
	if (!(attrs & PTE_NX))
		prot |= PROT_EXEC;
	if (attrs & PTE_PCD)
		prot |= PROT_DEVICE;
	if (attrs & PTE_U)
		prot |= PROT_USER;
	return prot;
}

static uint64_t kernel_mk_table(phys_addr_t phys)
{
	return (phys & PTE_ADDR) | PTE_P | PTE_W;
}

static uint64_t user_mk_table(phys_addr_t phys)
{
	return (phys & PTE_ADDR) | PTE_P | PTE_W | PTE_U;
}

static uint64_t x86_mk_leaf(phys_addr_t paddr, uint64_t attrs,
			    unsigned int level)
{
	return (paddr & PTE_ADDR) | attrs | (level > 1 ? PTE_PS : 0);
}

static uint64_t x86_leaf_attrs(uint64_t e)
{
	return e & ~(PTE_ADDR | PTE_PS);
}

static bool x86_is_present(uint64_t e)
{
	return e & PTE_P;
}

static bool x86_is_leaf(uint64_t e, unsigned int level)
{
	return level == 1 || (e & PTE_PS);
}

static uint64_t x86_mk_nonpresent(uint64_t payload)
{
	return (payload << PTE_PAYLOAD_SHIFT) | PTE_PAYLOAD_MARK;
}

static uint64_t x86_nonpresent_payload(uint64_t e)
{
	return (e >> PTE_PAYLOAD_SHIFT) & ((1ULL << PTE_PAYLOAD_BITS) - 1);
}

#define X86_FMT_COMMON \
	.addr_mask = PTE_ADDR, \
	.leaf_levels = BIT(1) | BIT(2) | BIT(3), \
	.attrs_to_prot = x86_attrs_to_prot, \
	.mk_leaf = x86_mk_leaf, \
	.leaf_attrs = x86_leaf_attrs, \
	.is_present = x86_is_present, \
	.is_leaf = x86_is_leaf, \
	.payload_bits = PTE_PAYLOAD_BITS, \
	.mk_nonpresent = x86_mk_nonpresent, \
	.nonpresent_payload = x86_nonpresent_payload, \
	.young_bit = PTE_A, \
	.young_clear_no_flush = true, \
	.dirty_bit = PTE_D

const struct pgtable_fmt x86_kernel_fmt = {
	.name = "x86_64 kernel",
	.prot_to_attrs = kernel_prot_to_attrs,
	.mk_table = kernel_mk_table,
	X86_FMT_COMMON,
};

const struct pgtable_fmt x86_user_fmt = {
	.name = "x86_64 user",
	.prot_to_attrs = user_prot_to_attrs,
	.mk_table = user_mk_table,
	X86_FMT_COMMON,
};
