/*
 * kernel/cma_console.c - CMA at the console (docs/mm/cma.md):
 *
 *	mm> cma			the regions: base, size, allocated, lent, free
 *	mm> cma alloc SIZE	allocate SIZE (K/M/G) from the first region,
 *				aligned to its own size (up to 4 MiB); prints
 *				an ID
 *	mm> cma free ID		give allocation ID back
 *
 * For labs: allocate while programs run and watch their pages move
 * (vmstat's pgmigrate_success, cma_alloc_success / _fail).
 */
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/cma.h"

#define CMA_CONSOLE_IDS	32

/* What `cma alloc` handed out, by ID (slot + 1); page NULL: unused. */
static struct {
	struct cma *cma;
	struct page *page;
	unsigned long count;
} allocs[CMA_CONSOLE_IDS];

static int cma_console_alloc(const char *arg)
{
	struct cma *cma = cma_default();
	unsigned long count;
	unsigned int align;
	struct page *page;
	uint64_t bytes;
	int id;

	if (!cma) {
		printk("cma: no region (boot with cma=SIZE[@BASE])\n");
		return 1;
	}
	if (!parse_u64(arg, &bytes, true) || !bytes) {
		printk("cma alloc: size '%s': a non-zero number with K, M or G\n",
		       arg);
		return 1;
	}
	for (id = 0; id < CMA_CONSOLE_IDS && allocs[id].page; id++)
		;
	if (id == CMA_CONSOLE_IDS) {
		printk("cma alloc: %d allocations held already; cma free one\n",
		       CMA_CONSOLE_IDS);
		return 1;
	}
	count = (unsigned long)((bytes + PAGE_SIZE - 1) >> PAGE_SHIFT);
	align = min(get_order(count << PAGE_SHIFT), (unsigned int)MAX_PAGE_ORDER);
	page = cma_alloc(cma, count, align);
	if (!page) {
		printk("cma alloc: %lu pages from %s failed (error %d)\n",
		       count, cma->name, cma->last_err);
		return 1;
	}
	allocs[id].cma = cma;
	allocs[id].page = page;
	allocs[id].count = count;
	printk("cma: id %d: %lu pages at %#llx (pfn %#lx) from %s\n", id + 1,
	       count, (unsigned long long)PFN_PHYS(page_to_pfn(page)),
	       page_to_pfn(page), cma->name);
	return 0;
}

static int cma_console_free(const char *arg)
{
	uint64_t id;

	if (!parse_u64(arg, &id, false) || !id || id > CMA_CONSOLE_IDS ||
	    !allocs[id - 1].page) {
		printk("cma free: '%s' is no allocation ID (see cma alloc)\n",
		       arg);
		return 1;
	}
	id--;
	if (!cma_release(allocs[id].cma, allocs[id].page, allocs[id].count)) {
		printk("cma free: id %llu was not released\n",
		       (unsigned long long)id + 1);
		return 1;
	}
	printk("cma: id %llu: %lu pages released\n", (unsigned long long)id + 1,
	       allocs[id].count);
	allocs[id].page = NULL;
	return 0;
}

static int cmd_cma(int argc, char **argv)
{
	if (argc == 1) {
		cma_show();
		for (int i = 0; i < CMA_CONSOLE_IDS; i++)
			if (allocs[i].page)
				printk("  id %d: %lu pages at pfn %#lx\n", i + 1,
				       allocs[i].count,
				       page_to_pfn(allocs[i].page));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "alloc"))
		return cma_console_alloc(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "free"))
		return cma_console_free(argv[2]);
	printk("cma: usage: cma | cma alloc SIZE | cma free ID\n");
	return 1;
}
CONSOLE_COMMAND(cma, "[alloc SIZE | free ID]: CMA regions; take and give back contiguous pages", cmd_cma);
