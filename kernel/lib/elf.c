/*
 * kernel/lib/elf.c - the ELF64 reader and validator (kernel/lib/elf.h).
 *
 * Field offsets are the gABI's for ELF64; they are written out because a
 * refusal names the offset of the field it refuses.
 */
#include "kernel/lib/elf.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

/* ELF header fields (offsets in the file). */
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define E_TYPE		16
#define E_MACHINE	18
#define E_VERSION	20
#define E_ENTRY		24
#define E_PHOFF		32
#define E_SHOFF		40
#define E_EHSIZE	52
#define E_PHENTSIZE	54
#define E_PHNUM		56
#define E_SHENTSIZE	58
#define E_SHNUM		60

#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1

#define SHT_SYMTAB	2
#define STT_NOTYPE	0
#define STT_FUNC	2

/* Little-endian reads at an offset the caller has checked. */
static uint64_t rd(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = bytes; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}
#define RD16(d, o)	((uint16_t)rd((d) + (o), 2))
#define RD32(d, o)	((uint32_t)rd((d) + (o), 4))
#define RD64(d, o)	rd((d) + (o), 8)

/* [off, off + len) lies inside a buffer of `size` bytes (no overflow). */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static int refuse(char *why, size_t why_size, const char *fmt, ...)
	__printf(3, 4);
static int refuse(char *why, size_t why_size, const char *fmt, ...)
{
	va_list ap;

	if (why && why_size) {
		va_start(ap, fmt);
		kvsnprintf(why, why_size, fmt, ap);
		va_end(ap);
	}
	return -ENOEXEC;
}
#define REFUSE(...)	refuse(why, why_size, __VA_ARGS__)

static void read_phdr(const uint8_t *d, uint64_t off, struct elf_phdr *ph)
{
	ph->p_type = RD32(d, off + 0);
	ph->p_flags = RD32(d, off + 4);
	ph->p_offset = RD64(d, off + 8);
	ph->p_vaddr = RD64(d, off + 16);
	ph->p_paddr = RD64(d, off + 24);
	ph->p_filesz = RD64(d, off + 32);
	ph->p_memsz = RD64(d, off + 40);
	ph->p_align = RD64(d, off + 48);
}

void elf_get_phdr(const struct elf_image *img, unsigned int i,
		  struct elf_phdr *ph)
{
	read_phdr(img->data, img->phoff + (uint64_t)i * ELF64_PHDR_SIZE, ph);
}

/* The ELF header alone: identity, type, machine, program header table. */
static int check_ehdr(const uint8_t *d, size_t size,
		      const struct elf_rules *rules, char *why,
		      size_t why_size)
{
	uint64_t phoff;
	uint16_t phnum;

	if (size < ELF64_EHDR_SIZE)
		return REFUSE("file too short for an ELF header (%zu bytes, "
			      "need %u)", size, ELF64_EHDR_SIZE);
	if (memcmp(d, "\177ELF", 4))
		return REFUSE("bad magic at offset 0 (not an ELF file)");
	if (d[EI_CLASS] != ELFCLASS64)
		return REFUSE("e_ident[EI_CLASS] %u at offset 0x%x: not ELF64",
			      d[EI_CLASS], EI_CLASS);
	if (d[EI_DATA] != ELFDATA2LSB)
		return REFUSE("e_ident[EI_DATA] %u at offset 0x%x: not "
			      "little-endian", d[EI_DATA], EI_DATA);
	if (d[EI_VERSION] != EV_CURRENT)
		return REFUSE("e_ident[EI_VERSION] %u at offset 0x%x: not 1",
			      d[EI_VERSION], EI_VERSION);
	if (RD16(d, E_TYPE) != ET_EXEC && RD16(d, E_TYPE) != ET_DYN)
		return REFUSE("e_type %u at offset 0x%x: not ET_EXEC (2) or "
			      "ET_DYN (3)", RD16(d, E_TYPE), E_TYPE);
	if (RD16(d, E_MACHINE) != rules->machine)
		return REFUSE("e_machine %u at offset 0x%x: this machine is %u",
			      RD16(d, E_MACHINE), E_MACHINE, rules->machine);
	if (RD32(d, E_VERSION) != EV_CURRENT)
		return REFUSE("e_version %u at offset 0x%x: not 1",
			      RD32(d, E_VERSION), E_VERSION);
	if (RD16(d, E_EHSIZE) != ELF64_EHDR_SIZE)
		return REFUSE("e_ehsize %u at offset 0x%x: not %u",
			      RD16(d, E_EHSIZE), E_EHSIZE, ELF64_EHDR_SIZE);
	if (RD16(d, E_PHENTSIZE) != ELF64_PHDR_SIZE)
		return REFUSE("e_phentsize %u at offset 0x%x: not %u",
			      RD16(d, E_PHENTSIZE), E_PHENTSIZE,
			      ELF64_PHDR_SIZE);
	phnum = RD16(d, E_PHNUM);
	if (phnum == 0 || phnum > ELF_MAX_PHNUM)
		return REFUSE("e_phnum %u at offset 0x%x: not 1..%u", phnum,
			      E_PHNUM, ELF_MAX_PHNUM);
	phoff = RD64(d, E_PHOFF);
	if (!in_file(phoff, (uint64_t)phnum * ELF64_PHDR_SIZE, size))
		return REFUSE("e_phoff 0x%llx at offset 0x%x: %u program headers "
			      "end beyond the file (%zu bytes)",
			      (unsigned long long)phoff, E_PHOFF, phnum, size);
	if (phoff % 8)
		return REFUSE("e_phoff 0x%llx at offset 0x%x: not 8-byte aligned",
			      (unsigned long long)phoff, E_PHOFF);
	return 0;
}

/* One PT_LOAD segment; *prev_end is the page-aligned end of the one
 * before (0 for the first). 0: accepted, 1: empty (p_memsz 0, ignored, as
 * Linux does: ld makes one for an empty .eh_frame), else -ENOEXEC. */
static int check_load(const struct elf_image *img, unsigned int i,
		      uint64_t at, const struct elf_phdr *ph,
		      const struct elf_rules *rules, uint64_t *prev_end,
		      char *why, size_t why_size)
{
	uint64_t page = rules->page_size;
	uint64_t start, end;

#define PH_REFUSE(fmt, ...) \
	REFUSE("program header %u (offset 0x%llx): " fmt, i, \
	       (unsigned long long)at, __VA_ARGS__)
	if (ph->p_filesz > ph->p_memsz)
		return PH_REFUSE("p_filesz 0x%llx > p_memsz 0x%llx",
				 (unsigned long long)ph->p_filesz,
				 (unsigned long long)ph->p_memsz);
	if (!in_file(ph->p_offset, ph->p_filesz, img->size))
		return PH_REFUSE("p_offset 0x%llx + p_filesz 0x%llx beyond the "
				 "file (%zu bytes)",
				 (unsigned long long)ph->p_offset,
				 (unsigned long long)ph->p_filesz, img->size);
	if (ph->p_memsz == 0)
		return 1;	/* an empty section's segment: nothing to map */
	if ((ph->p_vaddr - ph->p_offset) % page)
		return PH_REFUSE("p_vaddr 0x%llx and p_offset 0x%llx differ "
				 "modulo the page size 0x%llx",
				 (unsigned long long)ph->p_vaddr,
				 (unsigned long long)ph->p_offset,
				 (unsigned long long)page);
	if (ph->p_vaddr > rules->user_end ||
	    ph->p_memsz > rules->user_end - ph->p_vaddr ||
	    img->bias > rules->user_end - ph->p_vaddr - ph->p_memsz)
		return PH_REFUSE("p_vaddr 0x%llx + p_memsz 0x%llx ends above "
				 "the user half (0x%llx)",
				 (unsigned long long)ph->p_vaddr,
				 (unsigned long long)ph->p_memsz,
				 (unsigned long long)rules->user_end);
	start = ALIGN_DOWN(ph->p_vaddr + img->bias, page);
	end = ALIGN_UP(ph->p_vaddr + img->bias + ph->p_memsz, page);
	if (end < start)	/* user_end within a page of 2^64 */
		return PH_REFUSE("p_vaddr 0x%llx: end overflows",
				 (unsigned long long)ph->p_vaddr);
	if (start < rules->min_addr)
		return PH_REFUSE("p_vaddr 0x%llx is below the lowest user "
				 "address 0x%llx",
				 (unsigned long long)(ph->p_vaddr + img->bias),
				 (unsigned long long)rules->min_addr);
	if (start < *prev_end)
		return PH_REFUSE("p_vaddr 0x%llx overlaps or precedes the "
				 "previous PT_LOAD (ending at page 0x%llx)",
				 (unsigned long long)(ph->p_vaddr + img->bias),
				 (unsigned long long)*prev_end);
	*prev_end = end;
	return 0;
#undef PH_REFUSE
}

int elf_parse(struct elf_image *img, const void *data, size_t size,
	      const struct elf_rules *rules, char *why, size_t why_size)
{
	const uint8_t *d = data;
	struct elf_phdr ph;
	uint64_t prev_end = 0, entry;
	bool entry_ok = false, any_load = false;
	int r;

	if (why && why_size)
		why[0] = '\0';
	memset(img, 0, sizeof(*img));
	r = check_ehdr(d, size, rules, why, why_size);
	if (r)
		return r;
	img->data = d;
	img->size = size;
	img->type = RD16(d, E_TYPE);
	img->bias = img->type == ET_DYN ? rules->dyn_base : 0;
	img->phoff = RD64(d, E_PHOFF);
	img->phnum = RD16(d, E_PHNUM);
	entry = RD64(d, E_ENTRY);

	for (unsigned int i = 0; i < img->phnum; i++) {
		uint64_t at = img->phoff + (uint64_t)i * ELF64_PHDR_SIZE;

		read_phdr(d, at, &ph);
		if (ph.p_type == PT_INTERP)
			return REFUSE("program header %u (offset 0x%llx): "
				      "PT_INTERP: dynamically linked programs "
				      "are not supported (link it -static)",
				      i, (unsigned long long)at);
		if (ph.p_type == PT_PHDR)
			img->phdr_addr = ph.p_vaddr + img->bias;
		if (ph.p_type != PT_LOAD)
			continue;
		r = check_load(img, i, at, &ph, rules, &prev_end, why,
			       why_size);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		if (!any_load)
			img->load_start = ALIGN_DOWN(ph.p_vaddr + img->bias,
						     rules->page_size);
		any_load = true;
		img->load_end = prev_end;
		if ((ph.p_flags & PF_X) && entry >= ph.p_vaddr &&
		    entry - ph.p_vaddr < ph.p_memsz)
			entry_ok = true;
		/* The segment holding the program headers in the file maps
		 * them: AT_PHDR when there is no PT_PHDR. */
		if (!img->phdr_addr && img->phoff >= ph.p_offset &&
		    img->phoff + (uint64_t)img->phnum * ELF64_PHDR_SIZE <=
		    ph.p_offset + ph.p_filesz)
			img->phdr_addr = ph.p_vaddr + img->bias +
					 (img->phoff - ph.p_offset);
	}
	if (!any_load)
		return REFUSE("no PT_LOAD program header among the %u at "
			      "offset 0x%llx: nothing to load", img->phnum,
			      (unsigned long long)img->phoff);
	if (!entry_ok)
		return REFUSE("e_entry 0x%llx at offset 0x%x is not inside an "
			      "executable PT_LOAD segment",
			      (unsigned long long)entry, E_ENTRY);
	img->entry = entry + img->bias;
	return 0;
}

/* ------------------------------------------------------------ symbols */

/* Section header `idx`'s fields, if it lies in the file. */
struct shdr {
	uint32_t type, link;
	uint64_t offset, size, entsize;
};

static bool get_shdr(const struct elf_image *img, unsigned int idx,
		     struct shdr *sh)
{
	const uint8_t *d = img->data;
	uint64_t shoff = RD64(d, E_SHOFF);
	uint64_t at;

	if (RD16(d, E_SHENTSIZE) != ELF64_SHDR_SIZE ||
	    idx >= RD16(d, E_SHNUM))
		return false;
	at = shoff + (uint64_t)idx * ELF64_SHDR_SIZE;
	if (shoff == 0 || at < shoff ||
	    !in_file(at, ELF64_SHDR_SIZE, img->size))
		return false;
	sh->type = RD32(d, at + 4);
	sh->offset = RD64(d, at + 24);
	sh->size = RD64(d, at + 32);
	sh->link = RD32(d, at + 40);
	sh->entsize = RD64(d, at + 56);
	return in_file(sh->offset, sh->size, img->size);
}

const char *elf_symbolize(const struct elf_image *img, uint64_t addr,
			  char *buf, size_t size)
{
	const uint8_t *d = img->data;
	struct shdr symtab, strtab;
	uint64_t best_value = 0, best_name = 0, a;
	bool found = false;
	unsigned int n, i;

	/* Only the program's own image has its symbols: a pc elsewhere (a
	 * jump into the kernel, the stack) must not become "_end+0x...". */
	if (!buf || !size || addr < img->load_start || addr >= img->load_end)
		return NULL;
	a = addr - img->bias;
	n = img->size >= ELF64_EHDR_SIZE ? RD16(d, E_SHNUM) : 0;
	for (i = 0; i < n; i++)
		if (get_shdr(img, i, &symtab) && symtab.type == SHT_SYMTAB)
			break;
	if (i == n || symtab.entsize != ELF64_SYM_SIZE ||
	    !get_shdr(img, symtab.link, &strtab))
		return NULL;

	for (uint64_t off = symtab.offset;
	     off + ELF64_SYM_SIZE <= symtab.offset + symtab.size;
	     off += ELF64_SYM_SIZE) {
		unsigned int kind = d[off + 4] & 0xf;
		uint64_t value = RD64(d, off + 8), sz = RD64(d, off + 16);

		if ((kind != STT_FUNC && kind != STT_NOTYPE) || value == 0 ||
		    RD16(d, off + 6) == 0 /* SHN_UNDEF */ || value > a ||
		    (sz && a - value >= sz) || (found && value < best_value))
			continue;
		if (RD32(d, off) == 0 || RD32(d, off) >= strtab.size)
			continue;
		found = true;
		best_value = value;
		best_name = strtab.offset + RD32(d, off);
	}
	if (!found)
		return NULL;
	{
		const char *name = (const char *)d + best_name;
		size_t max = strtab.offset + strtab.size - best_name;
		int len = (int)strnlen(name, min(max, (size_t)64));

		ksnprintf(buf, size, "%.*s+0x%llx", len, name,
			  (unsigned long long)(a - best_value));
	}
	return buf;
}
