/*
 * tests/suites/elf_test.c - the ELF validator (kernel/lib/elf.c): a small
 * valid static executable is accepted with the right entry, heap start and
 * AT_PHDR; each refusal is provoked by one bad field and must name that
 * field and its offset; symbols are found from .symtab, and a broken
 * symbol table gives no symbol rather than a bad read.
 */
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/elf.h"
#include "kernel/lib/string.h"

#define FILE_SIZE	0x3000
#define PHOFF		64

static const struct elf_rules rules = {
	.machine = EM_X86_64,
	.page_size = 4096,
	.min_addr = 0x10000,
	.user_end = 1ULL << 47,
	.dyn_base = 0x555555554000ULL,
};

static uint8_t file[FILE_SIZE];
static char why[200];

static void put(uint64_t off, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		file[off + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t ph_at(unsigned int i)
{
	return PHOFF + (uint64_t)i * ELF64_PHDR_SIZE;
}

static void put_phdr(unsigned int i, uint32_t type, uint32_t flags,
		     uint64_t offset, uint64_t vaddr, uint64_t filesz,
		     uint64_t memsz)
{
	uint64_t at = ph_at(i);

	put(at + 0, type, 4);
	put(at + 4, flags, 4);
	put(at + 8, offset, 8);
	put(at + 16, vaddr, 8);
	put(at + 24, vaddr, 8);
	put(at + 32, filesz, 8);
	put(at + 40, memsz, 8);
	put(at + 48, 0x1000, 8);
}

/*
 * A valid static executable like `ld -static` makes: headers and
 * rodata (R) at 0x400000 from offset 0, text (R E) at 0x401000 from
 * offset 0x1000 with the entry at 0x401010, data+bss (RW) at 0x402800
 * from offset 0x2800 (0x100 bytes in the file, 0x2000 in memory).
 */
static void make_valid(void)
{
	memset(file, 0, sizeof(file));
	memcpy(file, "\177ELF", 4);
	file[4] = 2;			/* ELFCLASS64 */
	file[5] = 1;			/* ELFDATA2LSB */
	file[6] = 1;			/* EV_CURRENT */
	put(16, ET_EXEC, 2);
	put(18, EM_X86_64, 2);
	put(20, 1, 4);
	put(24, 0x401010, 8);		/* e_entry */
	put(32, PHOFF, 8);		/* e_phoff */
	put(52, ELF64_EHDR_SIZE, 2);
	put(54, ELF64_PHDR_SIZE, 2);
	put(56, 3, 2);			/* e_phnum */
	put_phdr(0, PT_LOAD, PF_R, 0, 0x400000, 0x200, 0x200);
	put_phdr(1, PT_LOAD, PF_R | PF_X, 0x1000, 0x401000, 0x100, 0x100);
	put_phdr(2, PT_LOAD, PF_R | PF_W, 0x2800, 0x402800, 0x100, 0x2000);
}

static int parse(struct elf_image *img)
{
	return elf_parse(img, file, sizeof(file), &rules, why, sizeof(why));
}

static void accepts_static_exec(struct kunit *test)
{
	struct elf_image img;
	struct elf_phdr ph;

	make_valid();
	KUNIT_ASSERT_EQ(test, parse(&img), 0);
	KUNIT_EXPECT_STREQ(test, why, "");
	KUNIT_EXPECT_EQ(test, img.type, ET_EXEC);
	KUNIT_EXPECT_EQ(test, img.bias, 0ULL);
	KUNIT_EXPECT_EQ(test, img.entry, 0x401010ULL);
	KUNIT_EXPECT_EQ(test, img.phnum, 3ULL);
	KUNIT_EXPECT_EQ(test, img.load_start, 0x400000ULL);
	KUNIT_EXPECT_EQ(test, img.load_end, 0x405000ULL);
	/* No PT_PHDR: the first segment maps offset 64. */
	KUNIT_EXPECT_EQ(test, img.phdr_addr, 0x400040ULL);
	elf_get_phdr(&img, 2, &ph);
	KUNIT_EXPECT_EQ(test, ph.p_type, (uint32_t)PT_LOAD);
	KUNIT_EXPECT_EQ(test, ph.p_flags, (uint32_t)(PF_R | PF_W));
	KUNIT_EXPECT_EQ(test, ph.p_memsz, 0x2000ULL);
}

static void accepts_static_pie_at_base(struct kunit *test)
{
	struct elf_image img;

	make_valid();
	put(16, ET_DYN, 2);
	put(24, 0x1010, 8);
	put_phdr(0, PT_LOAD, PF_R, 0, 0, 0x200, 0x200);
	put_phdr(1, PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x100, 0x100);
	put_phdr(2, PT_PHDR, PF_R, PHOFF, PHOFF, 3 * 56, 3 * 56);
	KUNIT_ASSERT_EQ(test, parse(&img), 0);
	KUNIT_EXPECT_EQ(test, img.bias, rules.dyn_base);
	KUNIT_EXPECT_EQ(test, img.entry, rules.dyn_base + 0x1010);
	KUNIT_EXPECT_EQ(test, img.load_start, rules.dyn_base);
	KUNIT_EXPECT_EQ(test, img.load_end, rules.dyn_base + 0x2000);
	KUNIT_EXPECT_EQ(test, img.phdr_addr, rules.dyn_base + PHOFF);
}

/* Parse, expect -ENOEXEC and a reason holding `needle`. */
#define EXPECT_REFUSED(test, needle) do {				\
	struct elf_image img__;						\
	KUNIT_EXPECT_EQ(test, parse(&img__), -ENOEXEC);			\
	KUNIT_EXPECT_STR_CONTAINS(test, why, needle);			\
} while (0)

static void refuses_short_file(struct kunit *test)
{
	struct elf_image img;

	make_valid();
	KUNIT_EXPECT_EQ(test, elf_parse(&img, file, 63, &rules, why,
					sizeof(why)), -ENOEXEC);
	KUNIT_EXPECT_STR_CONTAINS(test, why, "too short");
	KUNIT_EXPECT_EQ(test, elf_parse(&img, file, 0, &rules, NULL, 0),
			-ENOEXEC);
}

static void refuses_bad_ident(struct kunit *test)
{
	make_valid();
	file[1] = 'X';
	EXPECT_REFUSED(test, "bad magic at offset 0");
	make_valid();
	file[4] = 1;
	EXPECT_REFUSED(test, "EI_CLASS] 1 at offset 0x4: not ELF64");
	make_valid();
	file[5] = 2;
	EXPECT_REFUSED(test, "EI_DATA] 2 at offset 0x5: not little-endian");
	make_valid();
	file[6] = 0;
	EXPECT_REFUSED(test, "EI_VERSION] 0 at offset 0x6");
}

static void refuses_bad_type_machine_version(struct kunit *test)
{
	make_valid();
	put(16, 1, 2);			/* ET_REL */
	EXPECT_REFUSED(test, "e_type 1 at offset 0x10");
	make_valid();
	put(18, EM_AARCH64, 2);
	EXPECT_REFUSED(test, "e_machine 183 at offset 0x12: this machine is 62");
	make_valid();
	put(20, 2, 4);
	EXPECT_REFUSED(test, "e_version 2 at offset 0x14");
	make_valid();
	put(52, 52, 2);
	EXPECT_REFUSED(test, "e_ehsize 52 at offset 0x34");
}

static void refuses_bad_phdr_table(struct kunit *test)
{
	make_valid();
	put(54, 32, 2);
	EXPECT_REFUSED(test, "e_phentsize 32 at offset 0x36");
	make_valid();
	put(56, 0, 2);
	EXPECT_REFUSED(test, "e_phnum 0 at offset 0x38");
	make_valid();
	put(56, ELF_MAX_PHNUM + 1, 2);
	EXPECT_REFUSED(test, "e_phnum 129 at offset 0x38");
	make_valid();
	put(32, FILE_SIZE - 100, 8);
	EXPECT_REFUSED(test, "e_phoff 0x2f9c at offset 0x20: 3 program headers end beyond the file");
	make_valid();
	put(32, ~0ULL - 8, 8);		/* phoff + size wraps */
	EXPECT_REFUSED(test, "beyond the file");
	make_valid();
	put(32, 65, 8);
	EXPECT_REFUSED(test, "e_phoff 0x41 at offset 0x20: not 8-byte aligned");
}

static void refuses_interp(struct kunit *test)
{
	make_valid();
	put(56, 4, 2);
	put_phdr(3, PT_INTERP, PF_R, 0x200, 0x400200, 0x1c, 0x1c);
	EXPECT_REFUSED(test, "program header 3 (offset 0xe8): PT_INTERP");
}

static void refuses_filesz_above_memsz(struct kunit *test)
{
	make_valid();
	put_phdr(2, PT_LOAD, PF_R | PF_W, 0x2800, 0x402800, 0x300, 0x200);
	EXPECT_REFUSED(test, "program header 2 (offset 0xb0): p_filesz 0x300 > p_memsz 0x200");
}

static void refuses_bytes_beyond_file(struct kunit *test)
{
	make_valid();
	put_phdr(2, PT_LOAD, PF_R | PF_W, 0x2800, 0x402800, 0x900, 0x2000);
	EXPECT_REFUSED(test, "program header 2 (offset 0xb0): p_offset 0x2800 + p_filesz 0x900 beyond the file");
	make_valid();
	put_phdr(2, PT_LOAD, PF_R | PF_W, ~0ULL - 0x7ff, 0x402800, 0x900,
		 0x2000);
	EXPECT_REFUSED(test, "beyond the file");
}

/* ld makes an empty PT_LOAD for an empty .eh_frame, sharing a page with
 * the next one: accepted and ignored, as Linux does. */
static void ignores_empty_segment(struct kunit *test)
{
	struct elf_image img;

	make_valid();
	put_phdr(2, PT_LOAD, PF_R, 0x2000, 0x402000, 0, 0);
	put(56, 4, 2);
	put_phdr(3, PT_LOAD, PF_R | PF_W, 0x2800, 0x402800, 0x100, 0x2000);
	KUNIT_EXPECT_EQ(test, parse(&img), 0);
	KUNIT_EXPECT_EQ(test, img.load_end, 0x405000ULL);
	/* Only empty ones: nothing to load. */
	for (unsigned int i = 0; i < 4; i++)
		put(ph_at(i) + 40, 0, 8);
	for (unsigned int i = 0; i < 4; i++)
		put(ph_at(i) + 32, 0, 8);
	EXPECT_REFUSED(test, "no PT_LOAD program header");
}

static void refuses_page_inconsistent(struct kunit *test)
{
	make_valid();
	put_phdr(2, PT_LOAD, PF_R | PF_W, 0x2800, 0x402900, 0x100, 0x2000);
	EXPECT_REFUSED(test, "p_vaddr 0x402900 and p_offset 0x2800 differ modulo the page size");
}

static void refuses_outside_user_half(struct kunit *test)
{
	make_valid();
	put_phdr(2, PT_LOAD, PF_R | PF_W, 0x2800, (1ULL << 47) - 0x800,
		 0x100, 0x2000);
	EXPECT_REFUSED(test, "ends above the user half (0x800000000000)");
	make_valid();
	put_phdr(2, PT_LOAD, PF_R | PF_W, 0x2800, 0xffff800000002800ULL,
		 0x100, 0x100);
	EXPECT_REFUSED(test, "ends above the user half");
	make_valid();		/* p_vaddr + p_memsz wraps around */
	put_phdr(2, PT_LOAD, PF_R | PF_W, 0x2800, 0x402800, 0x100,
		 ~0ULL - 0x1000);
	EXPECT_REFUSED(test, "ends above the user half");
	make_valid();		/* an ET_DYN whose bias pushes it out */
	put(16, ET_DYN, 2);
	put_phdr(2, PT_LOAD, PF_R | PF_W, 0x2800, (1ULL << 47) - 0x10000,
		 0x100, 0x2000);
	EXPECT_REFUSED(test, "program header 2 (offset 0xb0)");
}

static void refuses_page_zero(struct kunit *test)
{
	make_valid();
	put_phdr(0, PT_LOAD, PF_R, 0, 0, 0x200, 0x200);
	EXPECT_REFUSED(test, "program header 0 (offset 0x40): p_vaddr 0x0 is below the lowest user address 0x10000");
}

static void refuses_overlap_and_disorder(struct kunit *test)
{
	make_valid();	/* data starts in text's page */
	put_phdr(2, PT_LOAD, PF_R | PF_W, 0x2080, 0x401080, 0x100, 0x2000);
	EXPECT_REFUSED(test, "program header 2 (offset 0xb0): p_vaddr 0x401080 overlaps or precedes the previous PT_LOAD");
	make_valid();	/* descending order */
	put_phdr(0, PT_LOAD, PF_R, 0, 0x500000, 0x200, 0x200);
	EXPECT_REFUSED(test, "program header 1 (offset 0x78): p_vaddr 0x401000 overlaps or precedes");
}

static void refuses_no_load(struct kunit *test)
{
	make_valid();
	for (unsigned int i = 0; i < 3; i++)
		put(ph_at(i), PT_NOTE, 4);
	EXPECT_REFUSED(test, "no PT_LOAD program header");
}

static void refuses_entry_outside_text(struct kunit *test)
{
	make_valid();
	put(24, 0x400010, 8);		/* in the R segment, not R E */
	EXPECT_REFUSED(test, "e_entry 0x400010 at offset 0x18 is not inside an executable PT_LOAD");
	make_valid();
	put(24, 0x401100, 8);		/* one past text's end */
	EXPECT_REFUSED(test, "e_entry 0x401100");
}

/* ---- symbols: a .symtab + .strtab appended at 0x2000 */

#define SHOFF		0x2100
#define SYMOFF		0x2000
#define STROFF		0x2080

static void put_shdr(unsigned int i, uint32_t type, uint64_t off,
		     uint64_t size, uint32_t link, uint64_t entsize)
{
	uint64_t at = SHOFF + (uint64_t)i * ELF64_SHDR_SIZE;

	put(at + 4, type, 4);
	put(at + 24, off, 8);
	put(at + 32, size, 8);
	put(at + 40, link, 4);
	put(at + 56, entsize, 8);
}

static void put_sym(unsigned int i, uint32_t name, uint8_t info,
		    uint64_t value, uint64_t size)
{
	uint64_t at = SYMOFF + (uint64_t)i * ELF64_SYM_SIZE;

	put(at, name, 4);
	file[at + 4] = info;
	put(at + 6, 1, 2);		/* st_shndx: some section */
	put(at + 8, value, 8);
	put(at + 16, size, 8);
}

static void make_with_symbols(void)
{
	make_valid();
	put(40, SHOFF, 8);		/* e_shoff */
	put(58, ELF64_SHDR_SIZE, 2);
	put(60, 3, 2);			/* null, .symtab, .strtab */
	memcpy(file + STROFF, "\0_start\0main\0data_obj\0_end\0", 28);
	put_sym(1, 1, 0x12, 0x401000, 0x10);	/* _start, GLOBAL FUNC */
	put_sym(2, 8, 0x12, 0x401010, 0x40);	/* main */
	put_sym(3, 13, 0x11, 0x402800, 0x8);	/* data_obj: OBJECT */
	put_sym(4, 22, 0x10, 0x403000, 0);	/* _end: GLOBAL NOTYPE, size 0 */
	put_shdr(1, 2 /* SHT_SYMTAB */, SYMOFF, 5 * ELF64_SYM_SIZE, 2,
		 ELF64_SYM_SIZE);
	put_shdr(2, 3 /* SHT_STRTAB */, STROFF, 28, 0, 0);
}

static void symbolizes_from_symtab(struct kunit *test)
{
	struct elf_image img;
	char buf[64];

	make_with_symbols();
	KUNIT_ASSERT_EQ(test, parse(&img), 0);
	KUNIT_EXPECT_STREQ(test, elf_symbolize(&img, 0x401024, buf,
					       sizeof(buf)), "main+0x14");
	KUNIT_EXPECT_STREQ(test, elf_symbolize(&img, 0x401000, buf,
					       sizeof(buf)), "_start+0x0");
	/* Past main's size, in data, below everything: none. */
	KUNIT_EXPECT_NULL(test, elf_symbolize(&img, 0x401050, buf,
					      sizeof(buf)));
	KUNIT_EXPECT_NULL(test, elf_symbolize(&img, 0x402800, buf,
					      sizeof(buf)));
	KUNIT_EXPECT_NULL(test, elf_symbolize(&img, 0x1000, buf,
					      sizeof(buf)));
	/* Outside the program's image (a jump into the kernel): no symbol,
	 * though the size-0 _end lies below it. */
	KUNIT_EXPECT_NULL(test, elf_symbolize(&img, 0xffffffff80100000ULL,
					      buf, sizeof(buf)));
}

static void broken_symtab_gives_no_symbol(struct kunit *test)
{
	struct elf_image img;
	char buf[64];

	make_with_symbols();
	put_shdr(1, 2, SYMOFF, 0x100000, 2, ELF64_SYM_SIZE);	/* too big */
	KUNIT_ASSERT_EQ(test, parse(&img), 0);
	KUNIT_EXPECT_NULL(test, elf_symbolize(&img, 0x401024, buf,
					      sizeof(buf)));
	make_with_symbols();
	put_shdr(1, 2, SYMOFF, 4 * ELF64_SYM_SIZE, 7, ELF64_SYM_SIZE);
	KUNIT_ASSERT_EQ(test, parse(&img), 0);	/* strtab link out of range */
	KUNIT_EXPECT_NULL(test, elf_symbolize(&img, 0x401024, buf,
					      sizeof(buf)));
	make_with_symbols();
	put_sym(2, 1000, 0x12, 0x401010, 0x40);	/* name beyond .strtab */
	KUNIT_ASSERT_EQ(test, parse(&img), 0);
	KUNIT_EXPECT_NULL(test, elf_symbolize(&img, 0x401024, buf,
					      sizeof(buf)));
	make_with_symbols();
	put(40, ~0ULL - 10, 8);			/* e_shoff wraps */
	KUNIT_ASSERT_EQ(test, parse(&img), 0);
	KUNIT_EXPECT_NULL(test, elf_symbolize(&img, 0x401024, buf,
					      sizeof(buf)));
}

static struct kunit_case elf_cases[] = {
	KUNIT_CASE(accepts_static_exec),
	KUNIT_CASE(accepts_static_pie_at_base),
	KUNIT_CASE(refuses_short_file),
	KUNIT_CASE(refuses_bad_ident),
	KUNIT_CASE(refuses_bad_type_machine_version),
	KUNIT_CASE(refuses_bad_phdr_table),
	KUNIT_CASE(refuses_interp),
	KUNIT_CASE(refuses_filesz_above_memsz),
	KUNIT_CASE(refuses_bytes_beyond_file),
	KUNIT_CASE(ignores_empty_segment),
	KUNIT_CASE(refuses_page_inconsistent),
	KUNIT_CASE(refuses_outside_user_half),
	KUNIT_CASE(refuses_page_zero),
	KUNIT_CASE(refuses_overlap_and_disorder),
	KUNIT_CASE(refuses_no_load),
	KUNIT_CASE(refuses_entry_outside_text),
	KUNIT_CASE(symbolizes_from_symtab),
	KUNIT_CASE(broken_symtab_gives_no_symbol),
	{}
};

static struct kunit_suite elf_suite = {
	.name = "elf",
	.test_cases = elf_cases,
};
kunit_test_suite(elf_suite);
