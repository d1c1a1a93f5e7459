/*
 * boot/multiboot2.c - the multiboot2 boot information (MBI) that GRUB
 * leaves in %ebx, turned into struct boot_info.
 *
 * The MBI (Multiboot2 Specification 2.0, section 3.6) is an 8-byte aligned
 * header { u32 total_size; u32 reserved; } followed by tags, each
 * { u32 type; u32 size; payload }, each starting on an 8-byte boundary (the
 * next tag follows the previous one's size rounded up to 8), ending with
 * the end tag { 0, 8 }. Nothing here trusts a length before checking it
 * against what contains it; every field is copied out with memcpy.
 */
#include "boot/boot_info.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

enum {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_BASIC_MEMINFO = 4,
	MB2_TAG_MMAP = 6,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
	MB2_TAG_EFI_MMAP = 17,
	MB2_TAG_EFI_BS = 18,
};

#define MB2_HDR_SIZE		8
#define MB2_TAG_HDR		8
#define MB2_MAX_TOTAL_SIZE	(16u << 20)	/* far beyond any real MBI */
#define MB2_MMAP_ENTRY_MIN	24	/* base_addr, length, type, reserved */
#define MB2_EFI_DESC_MIN	40	/* an EFI_MEMORY_DESCRIPTOR */
#define RSDP_V1_SIZE		20
#define RSDP_V2_SIZE		36
#define EFI_PAGE_SHIFT		12

struct mb2 {
	const uint8_t *p;		/* the mapped MBI, total bytes */
	uint32_t total;
	uint64_t phys;
	struct boot_info *bi;
	char *err;
	size_t errlen;
	bool have_mmap;			/* tag 6 gave ranges: the map to use */
	bool rsdp_new;			/* tag 15 seen: prefer it to 14 */
	bool efi_bs_active;		/* tag 18: boot services still run */
	uint32_t efi_mmap_off;		/* last tag 17, 0 if none */
	uint32_t meminfo_off;		/* last tag 4, 0 if none */
};

static uint32_t rd32(const struct mb2 *m, uint32_t off)
{
	uint32_t v;

	memcpy(&v, m->p + off, sizeof(v));
	return v;
}

static uint64_t rd64(const struct mb2 *m, uint32_t off)
{
	uint64_t v;

	memcpy(&v, m->p + off, sizeof(v));
	return v;
}

static const char *tag_name(uint32_t type)
{
	static const char *const names[] = {
		[0] = "end", [1] = "command line", [2] = "boot loader name",
		[3] = "module", [4] = "basic meminfo",
		[5] = "BIOS boot device", [6] = "memory map",
		[7] = "VBE info", [8] = "framebuffer info",
		[9] = "ELF sections", [10] = "APM table",
		[11] = "EFI 32-bit system table",
		[12] = "EFI 64-bit system table", [13] = "SMBIOS tables",
		[14] = "ACPI old RSDP", [15] = "ACPI new RSDP",
		[16] = "networking", [17] = "EFI memory map",
		[18] = "EFI boot services not terminated",
		[19] = "EFI 32-bit image handle",
		[20] = "EFI 64-bit image handle",
		[21] = "image load base address",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "unknown";
}

/* "multiboot2: tag T (name) at offset 0xOFF: <why>"; returns -1. */
static int __printf(4, 5) tag_err(const struct mb2 *m, uint32_t type,
				  uint32_t off, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return boot_err(m->err, m->errlen,
			"multiboot2: tag %u (%s) at offset 0x%x: %s",
			type, tag_name(type), off, why);
}

/* Tags 1 and 2: a NUL-terminated string fills the rest of the tag. */
static int check_string(const struct mb2 *m, uint32_t type, uint32_t off,
			uint32_t str_off, uint32_t size)
{
	uint32_t len = size - str_off;

	if (len == 0 || strnlen((const char *)m->p + off + str_off, len) == len)
		return tag_err(m, type, off,
			       "string is not NUL-terminated within the tag (size %u)",
			       size);
	return 0;
}

static int parse_string(struct mb2 *m, uint32_t type, uint32_t off,
			uint32_t size)
{
	const char *s = (const char *)m->p + off + MB2_TAG_HDR;
	struct boot_info *bi = m->bi;

	if (check_string(m, type, off, MB2_TAG_HDR, size))
		return -1;
	if (type == MB2_TAG_CMDLINE)
		bi->cmdline_truncated = boot_copy_str(bi->cmdline,
				sizeof(bi->cmdline), s, size - MB2_TAG_HDR);
	else
		boot_copy_str(bi->loader, sizeof(bi->loader), s,
			      size - MB2_TAG_HDR);
	return 0;
}

/* Tag 3: { u32 mod_start; u32 mod_end; char string[]; } */
static int parse_module(struct mb2 *m, uint32_t off, uint32_t size)
{
	uint32_t start, end;
	struct boot_module *mod;

	if (size < MB2_TAG_HDR + 9)
		return tag_err(m, MB2_TAG_MODULE, off,
			       "size %u is smaller than 17 (mod_start, mod_end, string)",
			       size);
	start = rd32(m, off + 8);
	end = rd32(m, off + 12);
	if (end < start)
		return tag_err(m, MB2_TAG_MODULE, off,
			       "mod_end 0x%x is below mod_start 0x%x", end, start);
	if (check_string(m, MB2_TAG_MODULE, off, 16, size))
		return -1;
	mod = boot_add_module(m->bi, start, end - start);
	if (mod)
		boot_copy_str(mod->name, sizeof(mod->name),
			      (const char *)m->p + off + 16, size - 16);
	return 0;
}

/* Tag 4: { u32 mem_lower; u32 mem_upper; } in KiB, from 0 and from 1 MiB. */
static int parse_meminfo(struct mb2 *m, uint32_t off, uint32_t size)
{
	uint32_t lower;

	if (size < MB2_TAG_HDR + 8)
		return tag_err(m, MB2_TAG_BASIC_MEMINFO, off,
			       "size %u is smaller than 16", size);
	lower = rd32(m, off + 8);
	if (lower > 640)
		return tag_err(m, MB2_TAG_BASIC_MEMINFO, off,
			       "mem_lower %u KiB is more than 640", lower);
	m->meminfo_off = off;
	return 0;
}

static void add_meminfo(struct mb2 *m)
{
	uint64_t lower = rd32(m, m->meminfo_off + 8);
	uint64_t upper = rd32(m, m->meminfo_off + 12);

	boot_add_mem(m->bi, 0, lower << 10, BOOT_MEM_USABLE);
	boot_add_mem(m->bi, 1ULL << 20, upper << 10, BOOT_MEM_USABLE);
}

/*
 * The shape both memory map tags share: { u32 entry_size; u32 version; }
 * then entries of entry_size bytes filling the rest of the tag exactly.
 * Returns the number of entries, or -1.
 */
static long check_map(const struct mb2 *m, uint32_t type, uint32_t off,
		      uint32_t size, uint32_t min_entry, const char *size_name)
{
	uint32_t esize, bytes;

	if (size < MB2_TAG_HDR + 8)
		return tag_err(m, type, off,
			       "size %u is smaller than 16 (%s, version)",
			       size, size_name);
	esize = rd32(m, off + 8);
	if (esize < min_entry)
		return tag_err(m, type, off, "%s %u is smaller than %u",
			       size_name, esize, min_entry);
	if (!IS_ALIGNED(esize, 8))
		return tag_err(m, type, off, "%s %u is not a multiple of 8",
			       size_name, esize);
	bytes = size - 16;
	if (bytes % esize)
		return tag_err(m, type, off,
			       "%u bytes of entries is not a multiple of %s %u (last entry runs past the tag)",
			       bytes, size_name, esize);
	return bytes / esize;
}

/*
 * Tag 6: entries { u64 base_addr; u64 length; u32 type; u32 reserved; }.
 * entry_version must be 0, the only version there is; the specification
 * promises later versions stay compatible, so this is the check to relax
 * if one ever appears.
 */
static int parse_mmap(struct mb2 *m, uint32_t off, uint32_t size)
{
	long n = check_map(m, MB2_TAG_MMAP, off, size, MB2_MMAP_ENTRY_MIN,
			   "entry_size");
	uint32_t esize, version;

	if (n < 0)
		return -1;
	esize = rd32(m, off + 8);
	version = rd32(m, off + 12);
	if (version != 0)
		return tag_err(m, MB2_TAG_MMAP, off,
			       "entry_version %u is not 0", version);
	unsigned int before = m->bi->nr_mem + m->bi->mem_dropped;

	for (long i = 0; i < n; i++) {
		uint32_t e = off + 16 + (uint32_t)i * esize;
		uint64_t base = rd64(m, e), len = rd64(m, e + 8);

		if (!boot_range_ok(base, len))
			return tag_err(m, MB2_TAG_MMAP, off,
				       "entry %ld at offset 0x%x: base_addr 0x%llx + length 0x%llx overflows",
				       i, e, (unsigned long long)base,
				       (unsigned long long)len);
		boot_add_mem(m->bi, base, len, rd32(m, e + 16));
	}
	/* An empty map (or only empty entries) leaves the others to try. */
	if (m->bi->nr_mem + m->bi->mem_dropped != before)
		m->have_mmap = true;
	return 0;
}

/* An EFI memory type as e820 would call it. */
static uint32_t efi_type(uint32_t t, bool boot_services_active)
{
	switch (t) {
	case 1: case 2:		/* EfiLoaderCode, EfiLoaderData */
	case 7:			/* EfiConventionalMemory */
		return BOOT_MEM_USABLE;
	case 3: case 4:		/* EfiBootServicesCode, EfiBootServicesData */
		return boot_services_active ? BOOT_MEM_RESERVED
					    : BOOT_MEM_USABLE;
	case 8:			/* EfiUnusableMemory */
		return BOOT_MEM_BAD;
	case 9:			/* EfiACPIReclaimMemory */
		return BOOT_MEM_ACPI_RECLAIMABLE;
	case 10:		/* EfiACPIMemoryNVS */
		return BOOT_MEM_ACPI_NVS;
	default:
		return BOOT_MEM_RESERVED;
	}
}

/*
 * Tag 17: { u32 descriptor_size; u32 descriptor_version; } then UEFI
 * EFI_MEMORY_DESCRIPTORs { u32 Type; u32 pad; u64 PhysicalStart;
 * u64 VirtualStart; u64 NumberOfPages; u64 Attribute; }. Checked when met,
 * used (add) only when there is no tag 6.
 */
static int parse_efi_mmap(struct mb2 *m, uint32_t off, uint32_t size,
			  bool add)
{
	long n = check_map(m, MB2_TAG_EFI_MMAP, off, size, MB2_EFI_DESC_MIN,
			   "descriptor_size");
	uint32_t dsize;

	if (n < 0)
		return -1;
	dsize = rd32(m, off + 8);
	for (long i = 0; i < n; i++) {
		uint32_t e = off + 16 + (uint32_t)i * dsize;
		uint64_t base = rd64(m, e + 8), pages = rd64(m, e + 24);

		if (pages > (UINT64_MAX >> EFI_PAGE_SHIFT) ||
		    !boot_range_ok(base, pages << EFI_PAGE_SHIFT))
			return tag_err(m, MB2_TAG_EFI_MMAP, off,
				       "descriptor %ld at offset 0x%x: PhysicalStart 0x%llx + NumberOfPages 0x%llx overflows",
				       i, e, (unsigned long long)base,
				       (unsigned long long)pages);
		if (add)
			boot_add_mem(m->bi, base, pages << EFI_PAGE_SHIFT,
				     efi_type(rd32(m, e), m->efi_bs_active));
	}
	m->efi_mmap_off = off;
	return 0;
}

/* Tags 14 and 15: a copy of the RSDP (20 or 36 bytes) fills the tag. */
static int parse_rsdp(struct mb2 *m, uint32_t type, uint32_t off,
		      uint32_t size)
{
	uint32_t need = type == MB2_TAG_ACPI_NEW ? RSDP_V2_SIZE : RSDP_V1_SIZE;

	if (size < MB2_TAG_HDR + need)
		return tag_err(m, type, off,
			       "size %u is too small for a %u-byte RSDP", size,
			       need);
	if (memcmp(m->p + off + MB2_TAG_HDR, "RSD PTR ", 8) != 0)
		return tag_err(m, type, off,
			       "RSDP signature is not \"RSD PTR \"");
	if (type == MB2_TAG_ACPI_NEW || !m->rsdp_new)
		m->bi->acpi_rsdp = m->phys + off + MB2_TAG_HDR;
	if (type == MB2_TAG_ACPI_NEW)
		m->rsdp_new = true;
	return 0;
}

static int parse_tag(struct mb2 *m, uint32_t type, uint32_t off,
		     uint32_t size)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
	case MB2_TAG_LOADER:
		return parse_string(m, type, off, size);
	case MB2_TAG_MODULE:
		return parse_module(m, off, size);
	case MB2_TAG_BASIC_MEMINFO:
		return parse_meminfo(m, off, size);
	case MB2_TAG_MMAP:
		return parse_mmap(m, off, size);
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		return parse_rsdp(m, type, off, size);
	case MB2_TAG_EFI_MMAP:
		return parse_efi_mmap(m, off, size, false);
	case MB2_TAG_EFI_BS:
		m->efi_bs_active = true;
		return 0;
	default:
		return 0;	/* unknown or unused: skipped */
	}
}

/* The fixed header: alignment, total_size, reserved; then map it all. */
static int map_info(struct mb2 *m, boot_map_fn map)
{
	const uint8_t *hdr;
	uint32_t reserved;

	if (!IS_ALIGNED(m->phys, 8))
		return boot_err(m->err, m->errlen,
				"multiboot2: info at 0x%llx is not 8-byte aligned",
				(unsigned long long)m->phys);
	if (!boot_range_ok(m->phys, MB2_HDR_SIZE) ||
	    !(hdr = map(m->phys, MB2_HDR_SIZE)))
		return boot_err(m->err, m->errlen,
				"multiboot2: header at 0x%llx (total_size, reserved) is not readable",
				(unsigned long long)m->phys);
	memcpy(&m->total, hdr, 4);
	memcpy(&reserved, hdr + 4, 4);
	if (m->total < MB2_HDR_SIZE + MB2_TAG_HDR)
		return boot_err(m->err, m->errlen,
				"multiboot2: header at offset 0x0: total_size %u is smaller than 16 (header and end tag)",
				m->total);
	if (m->total > MB2_MAX_TOTAL_SIZE)
		return boot_err(m->err, m->errlen,
				"multiboot2: header at offset 0x0: total_size %u is larger than %u",
				m->total, MB2_MAX_TOTAL_SIZE);
	if (!IS_ALIGNED(m->total, 8))
		return boot_err(m->err, m->errlen,
				"multiboot2: header at offset 0x0: total_size %u is not a multiple of 8",
				m->total);
	if (reserved != 0)
		return boot_err(m->err, m->errlen,
				"multiboot2: header at offset 0x4: reserved is 0x%x, not 0",
				reserved);
	if (!boot_range_ok(m->phys, m->total) ||
	    !(m->p = map(m->phys, m->total)))
		return boot_err(m->err, m->errlen,
				"multiboot2: header at offset 0x0: total_size %u: [0x%llx-0x%llx) is not readable",
				m->total, (unsigned long long)m->phys,
				(unsigned long long)(m->phys + m->total));
	return 0;
}

int multiboot2_parse(uint64_t info_phys, boot_map_fn map, struct boot_info *bi,
		     char *err, size_t errlen)
{
	struct mb2 m = {
		.phys = info_phys, .bi = bi, .err = err, .errlen = errlen,
	};
	uint32_t off = MB2_HDR_SIZE;

	boot_info_reset(bi, "multiboot2");
	if (err && errlen)
		err[0] = '\0';
	if (map_info(&m, map))
		return -1;

	for (;;) {
		uint32_t type, size;

		/* off and total are multiples of 8, off <= total */
		if (m.total - off < MB2_TAG_HDR)
			return boot_err(err, errlen,
					"multiboot2: end tag missing: no room for a tag at offset 0x%x (total_size %u)",
					off, m.total);
		type = rd32(&m, off);
		size = rd32(&m, off + 4);
		if (size < MB2_TAG_HDR)
			return tag_err(&m, type, off,
				       "size %u is smaller than 8", size);
		if (size > m.total - off)
			return tag_err(&m, type, off,
				       "size %u runs past total_size %u",
				       size, m.total);
		if (type == MB2_TAG_END) {
			if (size != MB2_TAG_HDR)
				return tag_err(&m, type, off,
					       "size %u is not 8", size);
			break;
		}
		if (parse_tag(&m, type, off, size))
			return -1;
		/* cannot pass total: size <= total - off, both aligned */
		off += ALIGN_UP(size, 8);
	}

	/*
	 * The memory map: tag 6, else the EFI map, else basic meminfo; the
	 * first that gives at least one non-empty range.
	 */
	if (!m.have_mmap && m.efi_mmap_off)
		parse_efi_mmap(&m, m.efi_mmap_off,
			       rd32(&m, m.efi_mmap_off + 4), true);
	if (!bi->nr_mem && !bi->mem_dropped && m.meminfo_off)
		add_meminfo(&m);
	if (!bi->nr_mem && !bi->mem_dropped)
		return boot_err(err, errlen,
				"multiboot2: no memory map: none of tags 4 (basic meminfo), 6 (memory map), 17 (EFI memory map) gives a non-empty range");
	bi->info_start = info_phys;
	bi->info_end = info_phys + m.total;
	return 0;
}
