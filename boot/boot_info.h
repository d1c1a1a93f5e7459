/*
 * boot/boot_info.h - what the boot loader told us, in one shape.
 *
 * Every boot protocol (multiboot2 from GRUB, PVH start_info from
 * `qemu -kernel`, a device tree on arm64) is turned into this struct by a
 * parser in boot/, before anything else looks at memory. The rest of the
 * kernel reads only this.
 */
#ifndef BOOT_BOOT_INFO_H
#define BOOT_BOOT_INFO_H

#include "kernel/types.h"

#define BOOT_MAX_MEM_RANGES	128
#define BOOT_MAX_MODULES	8
#define BOOT_MAX_CMA_POOLS	4
#define BOOT_CMDLINE_MAX	1024

/* Memory range types (the e820 / multiboot2 numbering). */
enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIMABLE = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mem_range {
	uint64_t base;
	uint64_t size;
	uint32_t type;		/* enum boot_mem_type */
};

struct boot_module {
	uint64_t base;		/* physical */
	uint64_t size;
	char name[64];		/* the module's command line */
};

/*
 * A pool of RAM the firmware lets the kernel lend out and take back: a
 * device-tree /reserved-memory child with compatible "shared-dma-pool"
 * and `reusable` (Linux's CMA binding). It stays usable RAM in mem[];
 * mm/cma.c makes a CMA region of it. Either fixed (`reg`: base, size)
 * or dynamic (base 0: `size`, with `alignment` and the first
 * `alloc-ranges` entry when given). why: non-empty when the node is
 * malformed (the pool is then not used, and mm says why).
 */
struct boot_cma_pool {
	char name[32];		/* the node's name: "linux,cma" */
	uint64_t base, size;
	uint64_t align;				/* 0: none asked */
	uint64_t alloc_start, alloc_end;	/* [start, end); 0, 0: anywhere */
	bool is_default;	/* linux,cma-default: the kernel's default */
	char why[64];
};

struct boot_info {
	const char *protocol;		/* "multiboot2", "pvh", "devicetree" */
	char loader[64];		/* boot loader name, when given */
	char cmdline[BOOT_CMDLINE_MAX];
	bool cmdline_truncated;		/* the loader's was longer */

	/* The firmware's map as given: unsorted, may overlap (memblock copes). */
	struct boot_mem_range mem[BOOT_MAX_MEM_RANGES];
	unsigned int nr_mem;
	unsigned int mem_dropped;	/* ranges that did not fit */

	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned int nr_modules;
	unsigned int modules_dropped;	/* modules that did not fit */

	struct boot_cma_pool cma_pools[BOOT_MAX_CMA_POOLS];
	unsigned int nr_cma_pools;
	unsigned int cma_pools_dropped;	/* pools that did not fit */

	uint64_t acpi_rsdp;		/* physical; 0 when not given */
	uint64_t dtb;			/* physical; 0 when not given */
	uint64_t dtb_size;
	/* How far up RAM every device's DMA reaches, by the device tree's
	 * dma-ranges (fdt_dma_limit: a Pi 4's EMMC2 only the first GiB);
	 * 0: nothing says (the bounce pool still stays below 4 GiB). */
	uint64_t dma_limit;

	/*
	 * What to keep out of the allocator. kernel_* is filled by the arch
	 * entry code (the parsers leave it alone); info_* by the parser: the
	 * loader's own structure, [start, end), which acpi_rsdp may point
	 * into (multiboot2 passes a copy of the RSDP inside a tag).
	 */
	uint64_t kernel_start, kernel_end;	/* physical, page aligned */
	uint64_t info_start, info_end;
};

/*
 * The parsers read physical memory through a callback so the host tests can
 * hand them fake memory: map(phys, len) returns a pointer to len readable
 * bytes at phys, or NULL if that range cannot be read.
 */
typedef const void *(*boot_map_fn)(uint64_t phys, uint64_t len);

/*
 * Each parser fills *bi and returns 0, or returns -1 with a message naming
 * the field that is wrong (and its offset) in err, e.g.
 *   "multiboot2: tag 6 (memory map) at offset 0x48: entry_size 12 is
 *    smaller than 24".
 * Everything in *bi except kernel_start/kernel_end is overwritten; after an
 * error its contents are incomplete (but its strings are terminated).
 * A parser reads the loader's memory only through map, never beyond what
 * map granted, and copies fields out with memcpy (nothing need be aligned
 * beyond what the protocol promises).
 *
 * multiboot2_parse: info_phys is what GRUB left in %ebx. The memory map
 * comes from tag 6, else the EFI map (tag 17), else basic meminfo (tag 4);
 * an MBI with none of them is an error.
 * pvh_parse: start_info_phys is what the loader left in %ebx. Version 1 with
 * a memory map is required: version 0 has no map, and guessing one is not
 * safe.
 */
int multiboot2_parse(uint64_t info_phys, boot_map_fn map, struct boot_info *bi,
		     char *err, size_t errlen);
int pvh_parse(uint64_t start_info_phys, boot_map_fn map, struct boot_info *bi,
	      char *err, size_t errlen);

/* Log the boot information (protocol, command line, memory map, modules). */
void boot_info_print(const struct boot_info *bi);

/* Linux's name for a memory range type: "usable", "reserved", ... */
const char *boot_mem_type_name(uint32_t type);

/* ---- for the parsers in boot/ ---- */

/* Reset *bi for a parse by `protocol`, keeping kernel_start/kernel_end. */
void boot_info_reset(struct boot_info *bi, const char *protocol);

/* True if [base, base + size) does not wrap around the address space. */
static inline bool boot_range_ok(uint64_t base, uint64_t size)
{
	return size <= UINT64_MAX - base;
}

/*
 * Append a memory range (size 0 is ignored; a type outside enum
 * boot_mem_type becomes BOOT_MEM_RESERVED). Past BOOT_MAX_MEM_RANGES the
 * range is counted in mem_dropped instead. The caller checks boot_range_ok.
 */
void boot_add_mem(struct boot_info *bi, uint64_t base, uint64_t size,
		  uint32_t type);

/*
 * Append a module and return it (name empty) for the caller to name, or
 * count it in modules_dropped and return NULL.
 */
struct boot_module *boot_add_module(struct boot_info *bi, uint64_t base,
				    uint64_t size);

/*
 * Copy the NUL-terminated string at src (whose NUL lies within srclen bytes)
 * into dst[dstlen], always terminating. Returns true if it was cut short.
 */
bool boot_copy_str(char *dst, size_t dstlen, const char *src, size_t srclen);

/*
 * Copy the NUL-terminated string at physical address phys into dst[dstlen]
 * through map, a byte at a time so it never asks for memory past the NUL.
 * Returns 0 (with *truncated set if it did not fit), or -1 if a byte before
 * the NUL could not be mapped. truncated may be NULL.
 */
int boot_map_str(boot_map_fn map, uint64_t phys, char *dst, size_t dstlen,
		 bool *truncated);

/* Format into err (when errlen > 0) and return -1: `return boot_err(...)`. */
int boot_err(char *err, size_t errlen, const char *fmt, ...) __printf(3, 4);

#endif
