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

struct boot_info {
	const char *protocol;		/* "multiboot2", "pvh", "devicetree" */
	char loader[64];		/* boot loader name, when given */
	char cmdline[BOOT_CMDLINE_MAX];

	/* The firmware's map as given: unsorted, may overlap (memblock copes). */
	struct boot_mem_range mem[BOOT_MAX_MEM_RANGES];
	unsigned int nr_mem;
	unsigned int mem_dropped;	/* ranges that did not fit */

	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned int nr_modules;

	uint64_t acpi_rsdp;		/* physical; 0 when not given */
	uint64_t dtb;			/* physical; 0 when not given */
	uint64_t dtb_size;

	/* Filled by the arch entry code: what to keep out of the allocator. */
	uint64_t kernel_start, kernel_end;	/* physical, page aligned */
	uint64_t info_start, info_end;		/* the loader's own structure */
};

/*
 * The parsers read physical memory through a callback so the host tests can
 * hand them fake memory: map(phys, len) returns a pointer to len readable
 * bytes at phys, or NULL if that range cannot be read.
 */
typedef const void *(*boot_map_fn)(uint64_t phys, uint64_t len);

/*
 * Each parser fills *bi and returns 0, or returns -1 with a message naming
 * the field that is wrong (and its offset) in err.
 */
int multiboot2_parse(uint64_t info_phys, boot_map_fn map, struct boot_info *bi,
		     char *err, size_t errlen);
int pvh_parse(uint64_t start_info_phys, boot_map_fn map, struct boot_info *bi,
	      char *err, size_t errlen);

/* Log the boot information (protocol, command line, memory map, modules). */
void boot_info_print(const struct boot_info *bi);

#endif
