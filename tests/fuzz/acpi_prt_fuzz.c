/*
 * tests/fuzz/acpi_prt_fuzz.c - libFuzzer target for the DSDT _PRT reader
 * (drivers/acpi/acpi_prt.c). Each input is a whole table, header
 * included, in an exact-size heap copy, so any read past it is an ASan
 * report. A success must give entries in range; a refusal must say why.
 *
 *	make fuzz FUZZ=acpi_prt       (tests/fuzz/fuzz.mk)
 *	build/host/fuzz-acpi_prt -max_total_time=60 tests/fuzz/corpus/acpi_prt
 */
#include "drivers/acpi/acpi_prt.h"
#include "kernel/lib/string.h"
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct acpi_prt prt;
	char err[160];
	uint8_t *copy = malloc(size ? size : 1);
	int r;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	err[0] = 'x';
	r = acpi_prt_parse(copy, size, &prt, err, sizeof(err));
	CHECK(r == 0 || r == -1);
	CHECK(strnlen(err, sizeof(err)) < sizeof(err));
	if (r) {
		CHECK(err[0] != '\0');
		CHECK(prt.nr == 0);
	} else {
		CHECK(err[0] == '\0');
		CHECK(prt.nr <= ACPI_PRT_MAX);
		for (unsigned int i = 0; i < prt.nr; i++) {
			CHECK(prt.entries[i].slot < 32);
			CHECK(prt.entries[i].pin >= 1 && prt.entries[i].pin <= 4);
		}
	}
	free(copy);
	return 0;
}
