/*
 * tests/fuzz/elf_fuzz.c - libFuzzer target for the ELF validator
 * (kernel/lib/elf.c), the gate between a file in the initramfs and
 * execve's loader.
 *
 * Each input is an ELF file in an exact-size heap buffer (so any read past
 * it is an ASan report), parsed with x86_64's and arm64's rules. A refusal
 * must come with a reason; an accepted file must keep every promise the
 * loader relies on (kernel/lib/elf.h): PT_LOAD segments ascending, apart,
 * page-consistent, inside the user half with their file bytes inside the
 * file, the entry in an executable one. Then every program header is
 * read and symbols are looked up at addresses around the segments.
 *
 *	make fuzz FUZZ=elf                   (tests/fuzz/fuzz.mk)
 *	build/host/fuzz-elf -max_total_time=120 tests/fuzz/corpus/elf
 *
 * Seeds in tests/fuzz/corpus/elf/: the small executables of
 * tests/suites/elf_test.c, with and without a symbol table, for both
 * machines, and one static-pie.
 */
#include "kernel/errno.h"
#include "kernel/lib/elf.h"
#include "kernel/lib/string.h"
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>

static void check_one(const uint8_t *data, size_t size,
		      const struct elf_rules *rules)
{
	struct elf_image img;
	struct elf_phdr ph;
	char why[160], sym[80];
	uint64_t prev_end = 0;
	bool entry_ok = false;
	int r;

	r = elf_parse(&img, data, size, rules, why, sizeof(why));
	CHECK(strnlen(why, sizeof(why)) < sizeof(why));
	if (r) {
		CHECK(r == -ENOEXEC);
		CHECK(why[0] != '\0');
		return;
	}
	CHECK(why[0] == '\0');
	CHECK(img.type == ET_EXEC || img.type == ET_DYN);
	CHECK(img.phnum >= 1 && img.phnum <= ELF_MAX_PHNUM);
	CHECK(img.load_start < img.load_end);
	CHECK(img.load_end <= rules->user_end);
	for (unsigned int i = 0; i < img.phnum; i++) {
		uint64_t start, end;

		elf_get_phdr(&img, i, &ph);
		CHECK(ph.p_type != PT_INTERP);
		if (ph.p_type != PT_LOAD)
			continue;
		CHECK(ph.p_filesz <= ph.p_memsz);
		if (ph.p_memsz == 0)
			continue;	/* ignored by the loader */
		CHECK(ph.p_offset <= size && ph.p_filesz <= size - ph.p_offset);
		CHECK((ph.p_vaddr - ph.p_offset) % rules->page_size == 0);
		start = ph.p_vaddr + img.bias;
		end = start + ph.p_memsz;
		CHECK(start >= rules->min_addr && end > start &&
		      end <= rules->user_end);
		CHECK(start >= prev_end);
		prev_end = (end + rules->page_size - 1) &
			   ~(rules->page_size - 1);
		if ((ph.p_flags & PF_X) && img.entry >= start &&
		    img.entry < end)
			entry_ok = true;
		elf_symbolize(&img, start, sym, sizeof(sym));
		elf_symbolize(&img, end - 1, sym, sizeof(sym));
	}
	CHECK(entry_ok);
	CHECK(prev_end == img.load_end);
	if (elf_symbolize(&img, img.entry, sym, sizeof(sym)))
		CHECK(strnlen(sym, sizeof(sym)) < sizeof(sym));
	elf_symbolize(&img, img.entry, sym, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct elf_rules x86 = {
		.machine = EM_X86_64, .page_size = 4096, .min_addr = 0x10000,
		.user_end = 1ULL << 47, .dyn_base = 0x555555554000ULL,
	};
	static const struct elf_rules arm = {
		.machine = EM_AARCH64, .page_size = 4096, .min_addr = 0x10000,
		.user_end = 1ULL << 48, .dyn_base = 0xaaaaaaaa0000ULL,
	};
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	check_one(copy, size, &x86);
	check_one(copy, size, &arm);
	free(copy);
	return 0;
}
