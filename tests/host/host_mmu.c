/*
 * tests/host/host_mmu.c - the host's MMU primitives (mm/arch_mm.h;
 * tests/host/include/arch/mmu.h): a software entry format for the
 * portable walker, and the kernel table vmalloc maps into, with table
 * pages from malloc (the user tables' too) so that AddressSanitizer
 * watches every access the walker makes.
 */
#include "mm/arch_mm.h"
#include "mm/pgtable.h"
#include <arch/mmu.h>

#include <stdlib.h>
#include <string.h>

#define HOST_PTE_PERMS	(HOST_PTE_R | HOST_PTE_W | HOST_PTE_X | HOST_PTE_U | \
			 HOST_PTE_DEV)
#define HOST_PROTS	(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_DEVICE | \
			 PROT_USER)

unsigned int host_mmu_fail_after;

/*
 * Refused: no access at all, or a bit the format does not know; and the
 * host_mmu_fail_after'th call from now (fault injection: pgtable_map and
 * pgtable_protect ask this first, so the change fails before it starts).
 */
static uint64_t host_prot_to_attrs(unsigned int prot)
{
	if (host_mmu_fail_after && --host_mmu_fail_after == 0)
		return 0;
	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) || (prot & ~HOST_PROTS))
		return 0;
	return HOST_PTE_V | HOST_PTE_L |
	       ((prot & PROT_READ) ? HOST_PTE_R : 0) |
	       ((prot & PROT_WRITE) ? HOST_PTE_W : 0) |
	       ((prot & PROT_EXEC) ? HOST_PTE_X : 0) |
	       ((prot & PROT_USER) ? HOST_PTE_U : 0) |
	       ((prot & PROT_DEVICE) ? HOST_PTE_DEV : 0);
}

static unsigned int host_attrs_to_prot(uint64_t attrs)
{
	return ((attrs & HOST_PTE_R) ? PROT_READ : 0) |
	       ((attrs & HOST_PTE_W) ? PROT_WRITE : 0) |
	       ((attrs & HOST_PTE_X) ? PROT_EXEC : 0) |
	       ((attrs & HOST_PTE_U) ? PROT_USER : 0) |
	       ((attrs & HOST_PTE_DEV) ? PROT_DEVICE : 0);
}

static uint64_t host_mk_table(phys_addr_t phys)
{
	return (phys & HOST_PTE_ADDR) | HOST_PTE_V;
}

/* The same bits at every level: L tells a leaf from a table. */
static uint64_t host_mk_leaf(phys_addr_t paddr, uint64_t attrs,
			     unsigned int level)
{
	(void)level;
	return (paddr & HOST_PTE_ADDR) | attrs | HOST_PTE_V | HOST_PTE_L;
}

/* Permissions and young/dirty: a split keeps them all. */
static uint64_t host_leaf_attrs(uint64_t e)
{
	return e & (HOST_PTE_V | HOST_PTE_L | HOST_PTE_PERMS | HOST_PTE_A |
		    HOST_PTE_D);
}

static bool host_is_present(uint64_t e)
{
	return e & HOST_PTE_V;
}

static bool host_is_leaf(uint64_t e, unsigned int level)
{
	(void)level;
	return e & HOST_PTE_L;
}

static uint64_t host_mk_nonpresent(uint64_t payload)
{
	return (payload << HOST_PTE_PAYLOAD_SHIFT) | HOST_PTE_L;
}

static uint64_t host_nonpresent_payload(uint64_t e)
{
	return e >> HOST_PTE_PAYLOAD_SHIFT;
}

const struct pgtable_fmt host_pte_fmt = {
	.name = "host software",
	.addr_mask = HOST_PTE_ADDR,
	.leaf_levels = BIT(1) | BIT(2) | BIT(3),
	.prot_to_attrs = host_prot_to_attrs,
	.attrs_to_prot = host_attrs_to_prot,
	.mk_table = host_mk_table,
	.mk_leaf = host_mk_leaf,
	.leaf_attrs = host_leaf_attrs,
	.is_present = host_is_present,
	.is_leaf = host_is_leaf,
	.payload_bits = 64 - HOST_PTE_PAYLOAD_SHIFT,
	.mk_nonpresent = host_mk_nonpresent,
	.nonpresent_payload = host_nonpresent_payload,
	.young_bit = HOST_PTE_A,
	.dirty_bit = HOST_PTE_D,
};

/* ------------------------------------------------------ the kernel table */

static struct pgtable kernel_pgtable;

/* A zeroed, page-aligned table page from malloc, so ASan sees overruns. */
void *host_table_alloc(struct pgtable *pt)
{
	void *t = aligned_alloc(PAGE_SIZE, PAGE_SIZE);

	(void)pt;
	if (t)
		memset(t, 0, PAGE_SIZE);
	return t;
}

void host_table_free(struct pgtable *pt, void *table)
{
	(void)pt;
	free(table);
}

/* Four levels over the vmalloc range, made on first use. */
struct pgtable *arch_kernel_pgtable(void)
{
	if (!kernel_pgtable.root &&
	    pgtable_init_alloc(&kernel_pgtable, &host_pte_fmt, 4, VMALLOC_START,
			       VMALLOC_END, host_table_alloc, host_table_free,
			       NULL))
		abort();
	return &kernel_pgtable;
}

void arch_flush_tlb_kernel_range(unsigned long va, size_t size)
{
	(void)va;
	(void)size;
}
