/*
 * arch/arm64/atags.c - the ATAG list, the pre-device-tree Arm boot
 * protocol (Linux Documentation/arch/arm/booting.rst, 4b). QEMU's raspi3b
 * boots a kernel8.img without -dtb this way: x0 points at a list at 0x100
 * with the RAM size (what the VideoCore leaves the ARM) and the -append
 * command line. Each tag is {size in words, tag} and data; ATAG_NONE ends.
 */
#include "arch/arm64/atags.h"
#include "kernel/lib/string.h"

#define ATAG_NONE	0x00000000
#define ATAG_CORE	0x54410001
#define ATAG_MEM	0x54410002
#define ATAG_CMDLINE	0x54410009
#define ATAG_MAX_BYTES	4096	/* a longer list is treated as corrupt */

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

bool atags_present(const void *p)
{
	const uint8_t *b = p;

	return (rd32(b) == 5 || rd32(b) == 2) && rd32(b + 4) == ATAG_CORE;
}

int atags_to_boot_info(const void *list, uint64_t list_phys, struct boot_info *bi,
		       char *err, size_t errlen)
{
	const uint8_t *p = list;
	uint32_t off = 0;

	boot_info_reset(bi, "atags");
	if (!atags_present(list))
		return boot_err(err, errlen, "atags: no ATAG_CORE at the start");
	for (;;) {
		if (off + 8 > ATAG_MAX_BYTES)
			return boot_err(err, errlen, "atags: no ATAG_NONE in %u bytes",
					ATAG_MAX_BYTES);
		uint32_t words = rd32(p + off), tag = rd32(p + off + 4);

		if (tag == ATAG_NONE || words == 0)
			break;
		if (words < 2 || off + words * 4 > ATAG_MAX_BYTES)
			return boot_err(err, errlen, "atags: tag 0x%x at offset %u: "
					"size %u words runs past the list", tag, off, words);
		if (tag == ATAG_MEM && words >= 4) {
			uint32_t size = rd32(p + off + 8), start = rd32(p + off + 12);

			boot_add_mem(bi, start, size, BOOT_MEM_USABLE);
		} else if (tag == ATAG_CMDLINE) {
			bi->cmdline_truncated = boot_copy_str(bi->cmdline,
				sizeof(bi->cmdline), (const char *)p + off + 8,
				(words - 2) * 4);
		}
		off += words * 4;
	}
	if (bi->nr_mem == 0)
		return boot_err(err, errlen, "atags: no ATAG_MEM");
	bi->info_start = list_phys;
	bi->info_end = list_phys + off + 8;
	return 0;
}
