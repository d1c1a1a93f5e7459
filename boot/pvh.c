/*
 * boot/pvh.c - the PVH start of day structure (Xen's struct hvm_start_info,
 * which QEMU's `-kernel` also builds for an ELF with a PVH note), turned
 * into struct boot_info.
 *
 * Layout (Xen public header arch-x86/hvm/start_info.h), little endian:
 *   0 magic 0x336ec578   4 version   8 flags   12 nr_modules
 *  16 modlist_paddr     24 cmdline_paddr      32 rsdp_paddr
 * version 1 adds:
 *  40 memmap_paddr      48 memmap_entries     52 reserved     (56 bytes)
 * a module is { paddr, size, cmdline_paddr, reserved } (4 x u64), a memory
 * map entry { u64 addr; u64 size; u32 type; u32 reserved; } with e820
 * types. Every pointer is physical and read through map; 0 means absent.
 */
#include "boot/boot_info.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define PVH_MAGIC	0x336ec578

struct pvh_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	/* version >= 1 */
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct pvh_module {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct pvh_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

#define PVH_V0_SIZE	offsetof(struct pvh_start_info, memmap_paddr)
_Static_assert(PVH_V0_SIZE == 40, "start_info version 0 is 40 bytes");
_Static_assert(sizeof(struct pvh_start_info) == 56, "start_info v1 is 56");
_Static_assert(sizeof(struct pvh_module) == 32, "modlist entry is 32");
_Static_assert(sizeof(struct pvh_memmap_entry) == 24, "memmap entry is 24");

#define OFF(field)	((unsigned int)offsetof(struct pvh_start_info, field))

/*
 * Map an array of n entries of esize bytes at phys, or NULL if it wraps
 * or is not readable.
 */
static const void *map_array(boot_map_fn map, uint64_t phys, uint64_t n,
			     uint64_t esize)
{
	uint64_t bytes = n * esize;	/* n is a u32: cannot overflow */

	if (!bytes || !boot_range_ok(phys, bytes))
		return NULL;
	return map(phys, bytes);
}

static int parse_memmap(const struct pvh_start_info *si, boot_map_fn map,
			struct boot_info *bi, char *err, size_t errlen)
{
	const uint8_t *table;

	if (si->memmap_entries == 0)
		return boot_err(err, errlen,
				"pvh: start_info offset 0x%x: memmap_entries is 0: no memory map, and the kernel will not guess one",
				OFF(memmap_entries));
	if (si->memmap_paddr == 0)
		return boot_err(err, errlen,
				"pvh: start_info offset 0x%x: memmap_paddr is 0 but memmap_entries is %u",
				OFF(memmap_paddr), si->memmap_entries);
	table = map_array(map, si->memmap_paddr, si->memmap_entries,
			  sizeof(struct pvh_memmap_entry));
	if (!table)
		return boot_err(err, errlen,
				"pvh: start_info offset 0x%x: memmap_paddr 0x%llx: %u entries of 24 bytes are not readable",
				OFF(memmap_paddr),
				(unsigned long long)si->memmap_paddr,
				si->memmap_entries);
	for (uint32_t i = 0; i < si->memmap_entries; i++) {
		struct pvh_memmap_entry e;

		memcpy(&e, table + (size_t)i * sizeof(e), sizeof(e));
		if (!boot_range_ok(e.addr, e.size))
			return boot_err(err, errlen,
					"pvh: memmap entry %u at 0x%llx: addr 0x%llx + size 0x%llx overflows",
					i, (unsigned long long)(si->memmap_paddr + i * sizeof(e)),
					(unsigned long long)e.addr,
					(unsigned long long)e.size);
		boot_add_mem(bi, e.addr, e.size, e.type);
	}
	if (!bi->nr_mem && !bi->mem_dropped)
		return boot_err(err, errlen,
				"pvh: start_info offset 0x%x: memmap_paddr 0x%llx: all %u entries are empty (size 0)",
				OFF(memmap_paddr),
				(unsigned long long)si->memmap_paddr,
				si->memmap_entries);
	return 0;
}

static int parse_modules(const struct pvh_start_info *si, boot_map_fn map,
			 struct boot_info *bi, char *err, size_t errlen)
{
	const uint8_t *list;

	if (si->nr_modules == 0)
		return 0;
	if (si->modlist_paddr == 0)
		return boot_err(err, errlen,
				"pvh: start_info offset 0x%x: modlist_paddr is 0 but nr_modules is %u",
				OFF(modlist_paddr), si->nr_modules);
	list = map_array(map, si->modlist_paddr, si->nr_modules,
			 sizeof(struct pvh_module));
	if (!list)
		return boot_err(err, errlen,
				"pvh: start_info offset 0x%x: modlist_paddr 0x%llx: %u entries of 32 bytes are not readable",
				OFF(modlist_paddr),
				(unsigned long long)si->modlist_paddr,
				si->nr_modules);
	for (uint32_t i = 0; i < si->nr_modules; i++) {
		uint64_t at = si->modlist_paddr + (uint64_t)i * 32;
		struct boot_module *mod;
		struct pvh_module e;

		memcpy(&e, list + (size_t)i * sizeof(e), sizeof(e));
		if (!boot_range_ok(e.paddr, e.size))
			return boot_err(err, errlen,
					"pvh: module %u at 0x%llx: paddr 0x%llx + size 0x%llx overflows",
					i, (unsigned long long)at,
					(unsigned long long)e.paddr,
					(unsigned long long)e.size);
		mod = boot_add_module(bi, e.paddr, e.size);
		if (mod && e.cmdline_paddr &&
		    boot_map_str(map, e.cmdline_paddr, mod->name,
				 sizeof(mod->name), NULL))
			return boot_err(err, errlen,
					"pvh: module %u at 0x%llx offset 0x10: cmdline_paddr 0x%llx is not readable up to its NUL",
					i, (unsigned long long)at,
					(unsigned long long)e.cmdline_paddr);
	}
	return 0;
}

int pvh_parse(uint64_t start_info_phys, boot_map_fn map, struct boot_info *bi,
	      char *err, size_t errlen)
{
	struct pvh_start_info si;
	const void *p;

	boot_info_reset(bi, "pvh");
	if (err && errlen)
		err[0] = '\0';
	if (!boot_range_ok(start_info_phys, sizeof(si)) ||
	    !(p = map(start_info_phys, PVH_V0_SIZE)))
		return boot_err(err, errlen,
				"pvh: start_info at 0x%llx (40 bytes) is not readable",
				(unsigned long long)start_info_phys);
	memset(&si, 0, sizeof(si));
	memcpy(&si, p, PVH_V0_SIZE);
	if (si.magic != PVH_MAGIC)
		return boot_err(err, errlen,
				"pvh: start_info offset 0x0: magic 0x%x is not 0x%x",
				si.magic, PVH_MAGIC);
	if (si.version == 0)
		return boot_err(err, errlen,
				"pvh: start_info offset 0x4: version 0 has no memory map (memmap_paddr needs version 1), and the kernel will not guess one");
	if (si.version > 1)
		return boot_err(err, errlen,
				"pvh: start_info offset 0x4: version %u is not supported (0 or 1)",
				si.version);
	p = map(start_info_phys, sizeof(si));
	if (!p)
		return boot_err(err, errlen,
				"pvh: start_info offset 0x%x: version 1 fields (memmap_paddr, memmap_entries) at 0x%llx are not readable",
				OFF(memmap_paddr),
				(unsigned long long)start_info_phys);
	memcpy(&si, p, sizeof(si));

	if (si.cmdline_paddr &&
	    boot_map_str(map, si.cmdline_paddr, bi->cmdline,
			 sizeof(bi->cmdline), &bi->cmdline_truncated))
		return boot_err(err, errlen,
				"pvh: start_info offset 0x%x: cmdline_paddr 0x%llx is not readable up to its NUL",
				OFF(cmdline_paddr),
				(unsigned long long)si.cmdline_paddr);
	if (parse_memmap(&si, map, bi, err, errlen) ||
	    parse_modules(&si, map, bi, err, errlen))
		return -1;
	bi->acpi_rsdp = si.rsdp_paddr;
	bi->info_start = start_info_phys;
	bi->info_end = start_info_phys + sizeof(si);
	return 0;
}
