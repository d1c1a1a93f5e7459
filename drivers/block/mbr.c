/*
 * drivers/block/mbr.c - the MBR partition table reader (contract:
 * partition.h): a pure function of sector 0, kept apart from the devices
 * so the fuzz target links it alone.
 */
#include "drivers/block/partition.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

int mbr_parse(const uint8_t *sector0, uint64_t disk_sectors,
	      struct mbr_partition *parts, char *err, size_t errlen)
{
	int n = 0;

	err[0] = '\0';
	if (sector0[MBR_SIGNATURE_OFF] != 0x55 ||
	    sector0[MBR_SIGNATURE_OFF + 1] != 0xaa)
		return 0;			/* no table: a plain disk */
	for (unsigned int i = 0; i < MBR_NR_ENTRIES; i++) {
		const uint8_t *e = sector0 + MBR_TABLE_OFF + 16 * i;
		uint8_t flag = e[0], type = e[4];
		uint64_t start = le32(e + 8), count = le32(e + 12);

		if (flag != 0x00 && flag != 0x80) {
			ksnprintf(err, errlen, "entry %u: boot flag 0x%02x is "
				  "neither 0x00 nor 0x80 (not a partition "
				  "table)", i + 1, flag);
			return -1;
		}
		if (type == 0 || count == 0)
			continue;		/* unused */
		if (type == MBR_TYPE_GPT_PROTECTIVE) {
			ksnprintf(err, errlen, "entry %u: type 0xee, a GPT's "
				  "protective MBR (GPT is not read)", i + 1);
			return -1;
		}
		if (start == 0) {
			ksnprintf(err, errlen, "entry %u: starts at sector 0, "
				  "over the table itself", i + 1);
			return -1;
		}
		if (start + count > disk_sectors) {
			ksnprintf(err, errlen, "entry %u: sectors %llu-%llu "
				  "end past the disk's end (%llu sectors)", i + 1,
				  (unsigned long long)start,
				  (unsigned long long)(start + count - 1),
				  (unsigned long long)disk_sectors);
			return -1;
		}
		for (int j = 0; j < n; j++) {
			const struct mbr_partition *o = &parts[j];

			if (start < o->start + o->nr_sectors &&
			    o->start < start + count) {
				ksnprintf(err, errlen, "entry %u: sectors "
					  "%llu-%llu overlap entry %u's "
					  "%llu-%llu", i + 1,
					  (unsigned long long)start,
					  (unsigned long long)(start + count - 1),
					  o->number,
					  (unsigned long long)o->start,
					  (unsigned long long)(o->start + o->nr_sectors - 1));
				return -1;
			}
		}
		parts[n++] = (struct mbr_partition){
			.number = i + 1, .type = type, .bootable = flag == 0x80,
			.extended = is_extended(type), .start = start,
			.nr_sectors = count,
		};
	}
	return n;
}

void partition_name(char *buf, size_t len, const char *disk,
		    unsigned int number)
{
	size_t l = strlen(disk);
	bool digit = l && disk[l - 1] >= '0' && disk[l - 1] <= '9';

	ksnprintf(buf, len, "%s%s%u", disk, digit ? "p" : "", number);
}
