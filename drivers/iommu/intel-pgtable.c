/*
 * drivers/iommu/intel-pgtable.c - VT-d second-level page tables (VT-d
 * 3.6 and 9.8; contract: intel-iommu.h). The shape of x86's own tables:
 * 512 entries of 8 bytes a level, 9 IOVA bits per level over 4 KiB pages,
 * 3 levels for a 39-bit IOVA space, 4 for 48 bits.
 *
 *   non-leaf entry:  next table's address | W | R (both set: the rights
 *                    that count are the leaf's)
 *   leaf (level 1):  page address | W? | R?
 *   leaf (level 2):  2 MiB page address | PS | W? | R?
 *   leaf (level 3):  1 GiB page address | PS | W? | R?
 * An entry with neither R nor W is not present. Bit 11 (SNP) and the
 * memory-type bits stay 0: QEMU treats SNP as reserved unless the unit
 * has snoop control.
 */
#include "drivers/iommu/intel-iommu.h"
#include "kernel/lib/string.h"

/*
 * The walk, the splits and the counts are mm/pgtable.c's; what follows is
 * only what the bits of a VT-d second-level entry mean. The format has
 * leaves at levels 1-3 (PS marks a 2 MiB or 1 GiB superpage); the driver
 * asks for at most 2 MiB (io_pgtable_map), the size CAP.SLLPS bit 0
 * promises.
 */
#define PRESENT		(VTD_PTE_R | VTD_PTE_W)

/* R and W as asked; 0 (refused) for neither: such an entry is absent. */
static uint64_t vtd_prot_to_attrs(unsigned int prot)
{
	return ((prot & IOMMU_READ) ? VTD_PTE_R : 0) |
	       ((prot & IOMMU_WRITE) ? VTD_PTE_W : 0);
}

static unsigned int vtd_attrs_to_prot(uint64_t attrs)
{
	return ((attrs & VTD_PTE_R) ? IOMMU_READ : 0) |
	       ((attrs & VTD_PTE_W) ? IOMMU_WRITE : 0);
}

/* A non-leaf entry grants both rights: the leaf's are the ones that count. */
static uint64_t vtd_mk_table(phys_addr_t phys)
{
	return (phys & VTD_PTE_ADDR) | PRESENT;
}

/* PS marks a superpage: above level 1, the entry maps the block itself. */
static uint64_t vtd_mk_leaf(phys_addr_t paddr, uint64_t attrs,
			    unsigned int level)
{
	return (paddr & VTD_PTE_ADDR) | attrs | (level > 1 ? VTD_PTE_PS : 0);
}

static uint64_t vtd_leaf_attrs(uint64_t e)
{
	return e & PRESENT;
}

static bool vtd_is_present(uint64_t e)
{
	return e & PRESENT;
}

static bool vtd_is_leaf(uint64_t e, unsigned int level)
{
	(void)level;
	return e & VTD_PTE_PS;
}

const struct pgtable_fmt vtd_sl_fmt = {
	.name = "vt-d second level",
	.secondary = true,
	.addr_mask = VTD_PTE_ADDR,
	.leaf_levels = BIT(1) | BIT(2) | BIT(3),
	.prot_to_attrs = vtd_prot_to_attrs,
	.attrs_to_prot = vtd_attrs_to_prot,
	.mk_table = vtd_mk_table,
	.mk_leaf = vtd_mk_leaf,
	.leaf_attrs = vtd_leaf_attrs,
	.is_present = vtd_is_present,
	.is_leaf = vtd_is_leaf,
};

/* ------------------------------------------------------------ fault words */

static const char *const fault_reasons[] = {
	[0x0] = "reserved (advanced fault logging)",
	[0x1] = "root entry not present: no context table for the bus",
	[0x2] = "context entry not present: the device was never attached to a domain",
	[0x3] = "invalid context entry programming",
	[0x4] = "address beyond the domain's address width",
	[0x5] = "write to a page not mapped writable (or not mapped at all)",
	[0x6] = "read from a page not mapped readable (or not mapped at all)",
	[0x7] = "a page-table entry could not be read",
	[0x8] = "the root table could not be read",
	[0x9] = "a context table could not be read",
	[0xa] = "reserved bits set in a root entry",
	[0xb] = "reserved bits set in a context entry",
	[0xc] = "reserved bits set in a page-table entry",
	[0xd] = "translation type blocked by the context entry",
};

const char *vtd_fault_reason_str(unsigned int reason)
{
	if (reason < ARRAY_SIZE(fault_reasons) && fault_reasons[reason])
		return fault_reasons[reason];
	if (reason >= 0x20 && reason <= 0x26)
		return "interrupt remapping fault";
	return "unknown fault reason";
}

void vtd_format_sid(uint16_t sid, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char s[8];

	s[0] = hex[(sid >> 12) & 0xf];
	s[1] = hex[(sid >> 8) & 0xf];
	s[2] = ':';
	s[3] = hex[(sid >> 7) & 1];
	s[4] = hex[(sid >> 3) & 0xf];
	s[5] = '.';
	s[6] = (char)('0' + (sid & 7));
	s[7] = 0;
	strlcpy(buf, s, len);
}
