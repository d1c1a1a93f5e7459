/*
 * kernel/lib/elf.h - reading and checking an ELF64 executable (the System
 * V ABI's gABI, "Object Files" chapter), for execve and for symbolising a
 * user pc.
 *
 * Portable and free of any allocator: the file is a byte buffer that
 * stays in memory (exec keeps a pointer to it), every field is read with
 * memcpy (no alignment assumed), and every offset is checked against the
 * buffer before use. elf_parse() is the one gate: a file it accepts can be
 * loaded by walking its PT_LOAD segments without further checks; a file it
 * refuses gets one reason naming the field and its offset in the file
 * ("program header 2 (offset 0x78): p_filesz 0x2000 > p_memsz 0x1000").
 * The same code runs in the host tests (tests/suites/elf_test.c) and under
 * the fuzzer (tests/fuzz/elf_fuzz.c).
 */
#ifndef KERNEL_LIB_ELF_H
#define KERNEL_LIB_ELF_H

#include "kernel/types.h"

/* e_type */
#define ET_EXEC		2
#define ET_DYN		3
/* e_machine */
#define EM_X86_64	62
#define EM_AARCH64	183
/* p_type */
#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_STACK	0x6474e551
/* p_flags */
#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

#define ELF64_EHDR_SIZE	64
#define ELF64_PHDR_SIZE	56
#define ELF64_SHDR_SIZE	64
#define ELF64_SYM_SIZE	24
/* More program headers than this is refused (Linux allows 64 KiB of them;
 * a static program has fewer than 16). */
#define ELF_MAX_PHNUM	128

/* The fields of one program header, host order. */
struct elf_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

/* What the loader accepts: the caller's architecture and address space. */
struct elf_rules {
	uint16_t machine;	/* EM_X86_64, EM_AARCH64 */
	uint64_t page_size;	/* a power of two */
	uint64_t min_addr;	/* lowest address a segment may use (page 0
				 * stays unmapped: mmap_min_addr) */
	uint64_t user_end;	/* segments end at or below this (TASK_SIZE) */
	uint64_t dyn_base;	/* where an ET_DYN (static-pie) is loaded */
};

/* An accepted file. */
struct elf_image {
	const uint8_t *data;
	size_t size;
	uint16_t type;		/* ET_EXEC or ET_DYN */
	uint64_t bias;		/* added to every p_vaddr: 0 or dyn_base */
	uint64_t entry;		/* e_entry + bias */
	uint64_t phoff;
	uint16_t phnum;
	uint64_t phdr_addr;	/* where the program headers are in memory
				 * (AT_PHDR), 0 if no segment maps them */
	uint64_t load_start;	/* lowest PT_LOAD address, page-aligned */
	uint64_t load_end;	/* end of the highest PT_LOAD, page-aligned:
				 * the heap (brk) starts here */
};

/*
 * Check that data[0..size) is an ELF64 little-endian executable for
 * rules->machine that the kernel can load: ET_EXEC, or ET_DYN without
 * PT_INTERP (static-pie); program headers inside the file; at least one
 * PT_LOAD with p_memsz > 0 (those with 0 are ignored: the loader skips
 * them too); every other PT_LOAD with p_filesz <= p_memsz, its file bytes inside
 * the file, p_vaddr and p_offset equal modulo the page size, inside
 * [min_addr, user_end) once biased, in ascending order and not sharing a
 * page with the previous one; the entry inside an executable PT_LOAD.
 * Returns 0 and fills *img, or -ENOEXEC with the reason in why[] (always
 * NUL-terminated; why may be NULL).
 */
int elf_parse(struct elf_image *img, const void *data, size_t size,
	      const struct elf_rules *rules, char *why, size_t why_size);

/* Program header i (< img->phnum) of an accepted file, host order. */
void elf_get_phdr(const struct elf_image *img, unsigned int i,
		  struct elf_phdr *ph);

/*
 * The function symbol (from .symtab, STT_FUNC or STT_NOTYPE with a
 * non-zero value) that holds addr, a biased address: "main+0x14" into
 * buf. NULL if addr is outside the loaded image, the file has no usable
 * symbol table, or no symbol covers addr. Malformed section headers or symbol tables are treated as none.
 */
const char *elf_symbolize(const struct elf_image *img, uint64_t addr,
			  char *buf, size_t size);

#endif
