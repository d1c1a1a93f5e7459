/*
 * tests/fuzz/partition_fuzz.c - libFuzzer target for the MBR reader
 * (drivers/block/partition.h), which reads sector 0 of every disk at boot.
 *
 * The input is sector 0 (zero-padded if shorter), then optionally the
 * disk's size in sectors (4 bytes, little-endian; else 65536). A table is
 * refused with "entry N: ..." or read; what is read lies on the disk,
 * after sector 0, in entry order, and no two partitions overlap.
 *
 *	make fuzz FUZZ=partition          (tests/fuzz/fuzz.mk)
 *
 * Seeds in tests/fuzz/corpus/partition/: sector 0 of images made by
 * sfdisk (tools/e2e.sh's partitioned disk and a Raspberry Pi style card),
 * and tables the suite refuses.
 */
#include "tests/fuzz/fuzz.h"
#include "drivers/block/partition.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t sector[512];
	struct mbr_partition p[MBR_NR_ENTRIES];
	char err[160];
	uint64_t disk = 65536;
	int n;

	memset(sector, 0, sizeof(sector));
	memcpy(sector, data, size < 512 ? size : 512);
	if (size >= 516)
		disk = (uint64_t)data[512] | (uint64_t)data[513] << 8 |
		       (uint64_t)data[514] << 16 | (uint64_t)data[515] << 24;
	n = mbr_parse(sector, disk, p, err, sizeof(err));
	if (n < 0) {
		CHECK(n == -1);
		CHECK(strncmp(err, "entry ", 6) == 0);
		CHECK(strlen(err) < sizeof(err) - 1);
		return 0;
	}
	CHECK(err[0] == '\0');
	CHECK(n <= MBR_NR_ENTRIES);
	for (int i = 0; i < n; i++) {
		CHECK(p[i].number >= 1 && p[i].number <= MBR_NR_ENTRIES);
		CHECK(i == 0 || p[i].number > p[i - 1].number);
		CHECK(p[i].type != 0 && p[i].type != MBR_TYPE_GPT_PROTECTIVE);
		CHECK(p[i].start >= 1 && p[i].nr_sectors >= 1);
		CHECK(p[i].start + p[i].nr_sectors <= disk);
		for (int j = 0; j < i; j++)
			CHECK(p[i].start >= p[j].start + p[j].nr_sectors ||
			      p[j].start >= p[i].start + p[i].nr_sectors);
	}
	return 0;
}
