/*
 * tests/fuzz/boot_fuzz.c - libFuzzer target for the boot protocol parsers.
 *
 * Each input is, in turn, a multiboot2 information structure and a PVH
 * start of day structure. Both are read through a map callback over an
 * exact-size heap copy of the input placed at physical address FUZZ_PHYS,
 * so an input can hold a whole PVH layout (start_info at FUZZ_PHYS, its
 * pointers into the same bytes) and any read past the input is an ASan
 * report. A successful parse must leave struct boot_info self-consistent;
 * a failed one must say why.
 *
 *	make fuzz                     (tests/fuzz/fuzz.mk)
 *	build/host/fuzz-boot -max_total_time=60 tests/fuzz/corpus/boot
 */
#include "boot/boot_info.h"
#include "kernel/lib/string.h"
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>

#define FUZZ_PHYS	0x1000ULL

static const uint8_t *fuzz_buf;
static size_t fuzz_len;

static const void *fuzz_map(uint64_t phys, uint64_t len)
{
	if (phys < FUZZ_PHYS || phys - FUZZ_PHYS > fuzz_len ||
	    len > fuzz_len - (phys - FUZZ_PHYS))
		return NULL;
	return fuzz_buf + (phys - FUZZ_PHYS);
}

static void check_result(int ret, const struct boot_info *bi,
			 const char *err, size_t errlen)
{
	CHECK(ret == 0 || ret == -1);
	CHECK(strnlen(err, errlen) < errlen);
	CHECK(strnlen(bi->cmdline, sizeof(bi->cmdline)) < sizeof(bi->cmdline));
	CHECK(strnlen(bi->loader, sizeof(bi->loader)) < sizeof(bi->loader));
	CHECK(bi->nr_mem <= BOOT_MAX_MEM_RANGES);
	CHECK(bi->nr_modules <= BOOT_MAX_MODULES);
	if (ret) {
		CHECK(err[0] != '\0');	/* a refusal says why */
		return;
	}
	CHECK(err[0] == '\0');
	CHECK(bi->nr_mem > 0 || bi->mem_dropped > 0);
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		CHECK(bi->mem[i].size > 0);
		CHECK(boot_range_ok(bi->mem[i].base, bi->mem[i].size));
		CHECK(bi->mem[i].type >= BOOT_MEM_USABLE &&
		      bi->mem[i].type <= BOOT_MEM_BAD);
	}
	for (unsigned int i = 0; i < bi->nr_modules; i++) {
		const struct boot_module *m = &bi->modules[i];

		CHECK(boot_range_ok(m->base, m->size));
		CHECK(strnlen(m->name, sizeof(m->name)) < sizeof(m->name));
	}
	CHECK(bi->info_start == FUZZ_PHYS);
	CHECK(bi->info_end > bi->info_start);
	CHECK(bi->info_end - FUZZ_PHYS <= fuzz_len);
	CHECK(bi->kernel_start == 0x200000 && bi->kernel_end == 0x400000);
	boot_info_print(bi);	/* no console: exercises the formatting */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	char err[200];
	uint8_t *copy = malloc(size ? size : 1);
	int ret;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	fuzz_buf = copy;
	fuzz_len = size;

	memset(&bi, 0xa5, sizeof(bi));	/* the parser must not rely on zero */
	bi.kernel_start = 0x200000;
	bi.kernel_end = 0x400000;
	memset(err, 'x', sizeof(err));
	ret = multiboot2_parse(FUZZ_PHYS, fuzz_map, &bi, err, sizeof(err));
	check_result(ret, &bi, err, sizeof(err));
	if (ret == 0 && bi.acpi_rsdp)	/* the copy inside an RSDP tag */
		CHECK(bi.acpi_rsdp >= bi.info_start + 16 &&
		      bi.acpi_rsdp + 20 <= bi.info_end);

	memset(&bi, 0x5a, sizeof(bi));
	bi.kernel_start = 0x200000;
	bi.kernel_end = 0x400000;
	memset(err, 'x', sizeof(err));
	ret = pvh_parse(FUZZ_PHYS, fuzz_map, &bi, err, sizeof(err));
	check_result(ret, &bi, err, sizeof(err));

	free(copy);
	return 0;
}
