/*
 * drivers/iommu/arm-smmu-v3-pgtable.c - stage-1 page tables for the SMMU
 * in the AArch64 VMSAv8-64 long-descriptor format, 4 KiB granule (Arm ARM
 * D8.3; the CPU's own format): 512 entries of 8 bytes a level, 9 input
 * bits per level. 3 levels (starting at level 1) translate a 39-bit input
 * address, 4 levels (starting at level 0) 48 bits.
 *
 *   table descriptor (levels 0-2): next table | 0b11
 *   page descriptor  (level 3):    page | AF | SH=inner | AP | nG | XN | AttrIndx | 0b11
 *   block descriptor (levels 1-2): 1 GiB or 2 MiB | the same attributes | 0b01
 * AP[2] (bit 7) makes a page read-only; AP[1] (bit 6) "unprivileged" is
 * set as Linux does for device streams. AttrIndx 0 (normal write-back) for
 * memory, 1 (device nGnRE) for IOMMU_MMIO. AF is set so the walk never takes
 * an access-flag fault (the SMMU does not update it: no HTTU). With
 * pt->blocks, 2 MiB blocks are used where iova and paddr are 2 MiB aligned
 * and 2 MiB remain; unmapping part of a block splits it into pages.
 */
#include "drivers/iommu/arm-smmu-v3.h"

/*
 * The walk, the splits and the counts are mm/pgtable.c's; what follows is
 * only what the bits of a stage-1 descriptor mean. Bits 1:0 give the
 * kind: 0bx0 invalid, 0b11 a table (levels 0-2) or a page (level 3),
 * 0b01 a block (Arm levels 1 and 2: our levels 3 and 2). A leaf's
 * attributes are everything but the address and bit 1, so a split copies
 * them from block to pages.
 */
#define S1_PTE_TYPE_MASK	(S1_PTE_VALID | S1_PTE_TABLE)

/* Never 0 (VALID is in it): any prot maps, at least read-only. */
static uint64_t s1_prot_to_attrs(unsigned int prot)
{
	/* MAIR attr0: normal write-back memory; attr1: device nGnRE, for
	 * registers (an MSI doorbell), which must not be cached or merged. */
	uint64_t attrs = S1_PTE_VALID | S1_PTE_AF | S1_PTE_SH_ISH |
			 S1_PTE_ATTRIDX((prot & IOMMU_MMIO) ? 1 : 0) |
			 S1_PTE_NG | S1_PTE_AP_UNPRIV | S1_PTE_XN;

	if (!(prot & IOMMU_WRITE))
		attrs |= S1_PTE_AP_RDONLY;
	return attrs;
}

static unsigned int s1_attrs_to_prot(uint64_t attrs)
{
	return IOMMU_READ |
	       ((attrs & S1_PTE_AP_RDONLY) ? 0 : IOMMU_WRITE) |
	       ((attrs & S1_PTE_ATTRIDX(1)) ? IOMMU_MMIO : 0);
}

static uint64_t s1_mk_table(phys_addr_t phys)
{
	return (phys & S1_PTE_ADDR) | S1_PTE_TABLE | S1_PTE_VALID;
}

/* block: bits 1:0 = 0b01; page: 0b11 (the same code as a table). */
static uint64_t s1_mk_leaf(phys_addr_t paddr, uint64_t attrs,
			   unsigned int level)
{
	return (paddr & S1_PTE_ADDR) | attrs | (level > 1 ? 0 : S1_PTE_TABLE);
}

static uint64_t s1_leaf_attrs(uint64_t e)
{
	return e & ~(S1_PTE_ADDR | S1_PTE_TABLE);
}

static bool s1_is_present(uint64_t e)
{
	return e & S1_PTE_VALID;
}

static bool s1_is_leaf(uint64_t e, unsigned int level)
{
	(void)level;
	return (e & S1_PTE_TYPE_MASK) == S1_PTE_VALID;
}

/* Blocks at Arm levels 1 and 2; the driver asks for at most 2 MiB. */
const struct pgtable_fmt smmu_s1_fmt = {
	.name = "arm stage 1",
	.secondary = true,
	.addr_mask = S1_PTE_ADDR,
	.leaf_levels = BIT(1) | BIT(2) | BIT(3),
	.prot_to_attrs = s1_prot_to_attrs,
	.attrs_to_prot = s1_attrs_to_prot,
	.mk_table = s1_mk_table,
	.mk_leaf = s1_mk_leaf,
	.leaf_attrs = s1_leaf_attrs,
	.is_present = s1_is_present,
	.is_leaf = s1_is_leaf,
};
