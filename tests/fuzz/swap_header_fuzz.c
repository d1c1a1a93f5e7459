/*
 * tests/fuzz/swap_header_fuzz.c - libFuzzer target for the swap area
 * header parser (mm/swap_header.c), what swapon trusts.
 *
 * The input is the device's first page (zero-padded if shorter), then
 * optionally the device's size in pages (4 bytes, little-endian); without
 * them the device is the input itself. The header is refused with a
 * reason or accepted; after an acceptance every slot it promises is on
 * the device and every bad page is a distinct usable slot.
 *
 *	make fuzz FUZZ=swap_header        (tests/fuzz/fuzz.mk)
 *
 * Seeds in tests/fuzz/corpus/swap_header/: mkswap images' first pages,
 * made by tools/mkswap-corpus.
 */
#include "tests/fuzz/fuzz.h"
#include "kernel/errno.h"
#include "mm/swap_header.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t page[SWAP_HEADER_SIZE];
	static struct swap_header_info info;
	char why[SWAP_HEADER_REASON_LEN];
	uint64_t dev_bytes = size;
	int ret;

	memset(page, 0, sizeof(page));
	memcpy(page, data, size < sizeof(page) ? size : sizeof(page));
	if (size >= SWAP_HEADER_SIZE + 4) {
		const uint8_t *p = data + SWAP_HEADER_SIZE;

		dev_bytes = (uint64_t)(p[0] | p[1] << 8 | p[2] << 16 |
				       (uint32_t)p[3] << 24) * SWAP_HEADER_SIZE;
	}
	ret = swap_header_parse(page, dev_bytes, &info, why, sizeof(why));
	if (ret < 0) {
		CHECK(ret == -EINVAL);
		CHECK(why[0] != '\0' && strlen(why) < sizeof(why));
		return 0;
	}
	CHECK(ret == 0 && why[0] == '\0');
	CHECK(info.version == 1);
	CHECK(info.last_page >= 2 && info.last_page < info.dev_pages);
	CHECK((uint64_t)info.dev_pages * SWAP_HEADER_SIZE <= dev_bytes);
	CHECK(info.nr_bad <= SWAP_MAX_BADPAGES);
	CHECK(info.nr_slots == info.last_page - info.nr_bad && info.nr_slots >= 1);
	for (unsigned int i = 0; i < info.nr_bad; i++) {
		CHECK(info.bad[i] >= 1 && info.bad[i] <= info.last_page);
		for (unsigned int j = 0; j < i; j++)
			CHECK(info.bad[i] != info.bad[j]);
	}
	CHECK(memchr(info.label, '\0', sizeof(info.label)) != NULL);
	return 0;
}
