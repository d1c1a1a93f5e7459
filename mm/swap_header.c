/*
 * mm/swap_header.c - read a swap area's header (mm/swap_header.h has the
 * layout and the list of refusals; docs/mm/swap.md explains them).
 *
 * The checks run in the order a reader would ask: is this a swap area at
 * all (the magic), which format (the version), how big (last_page against
 * the device), which pages not to use (the bad list). The first failed
 * check is the reason given.
 */
#include "mm/swap_header.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

/* The fields as a struct, so the compiler checks the offsets the header
 * documents. The parser reads bytes (le32_at), not this struct: the page
 * may sit at any alignment. */
struct swap_header_layout {
	uint8_t bootbits[1024];
	uint32_t version;
	uint32_t last_page;
	uint32_t nr_badpages;
	uint8_t uuid[SWAP_UUID_LEN];
	char volume_name[SWAP_LABEL_LEN];
	uint32_t padding[117];
	uint32_t badpages[1];
};
_Static_assert(offsetof(struct swap_header_layout, version) == SWAP_OFF_VERSION, "version");
_Static_assert(offsetof(struct swap_header_layout, last_page) == SWAP_OFF_LAST_PAGE, "last_page");
_Static_assert(offsetof(struct swap_header_layout, nr_badpages) == SWAP_OFF_NR_BADPAGES, "nr_badpages");
_Static_assert(offsetof(struct swap_header_layout, uuid) == SWAP_OFF_UUID, "uuid");
_Static_assert(offsetof(struct swap_header_layout, volume_name) == SWAP_OFF_LABEL, "volume_name");
_Static_assert(offsetof(struct swap_header_layout, badpages) == SWAP_OFF_BADPAGES, "badpages");
_Static_assert(SWAP_MAX_BADPAGES == 637, "bad pages between badpages[] and the magic");

static uint32_t le32_at(const uint8_t *p, size_t off)
{
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
	       (uint32_t)p[off + 2] << 16 | (uint32_t)p[off + 3] << 24;
}

/* The bytes at the magic's place, printable: "SWAPSPACE2", or escapes
 * ("\x00...") for what is not plain ASCII. out holds 4 * len + 1. */
static void show_bytes(char *out, const uint8_t *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\') {
			*out++ = (char)p[i];
		} else {
			*out++ = '\\';
			*out++ = 'x';
			*out++ = hex[p[i] >> 4];
			*out++ = hex[p[i] & 15];
		}
	}
	*out = '\0';
}

#define REFUSE(...) ({ ksnprintf(reason, reason_len, __VA_ARGS__); -EINVAL; })

int swap_header_parse(const void *page, uint64_t dev_bytes,
		      struct swap_header_info *info,
		      char *reason, size_t reason_len)
{
	const uint8_t *p = page;
	uint32_t version, last_page, nr_bad;
	uint64_t dev_pages = dev_bytes / SWAP_HEADER_SIZE;

	if (reason_len)
		reason[0] = '\0';
	if (dev_bytes < SWAP_HEADER_SIZE)
		return REFUSE("device of %llu bytes is shorter than the %u-byte header",
			      (unsigned long long)dev_bytes, SWAP_HEADER_SIZE);

	/* 1. The magic: is this a swap area, and which generation. */
	if (memcmp(p + SWAP_OFF_MAGIC, SWAP_MAGIC_OLD, SWAP_MAGIC_LEN) == 0)
		return REFUSE("old-style (v0) swap area '%s': run mkswap", SWAP_MAGIC_OLD);
	if (memcmp(p + SWAP_OFF_MAGIC, SWAP_MAGIC, SWAP_MAGIC_LEN) != 0) {
		char found[4 * SWAP_MAGIC_LEN + 1];

		show_bytes(found, p + SWAP_OFF_MAGIC, SWAP_MAGIC_LEN);
		return REFUSE("no swap signature at byte %u (found \"%s\")",
			      SWAP_OFF_MAGIC, found);
	}

	/* 2. The version: 1, written on a little-endian machine. */
	version = le32_at(p, SWAP_OFF_VERSION);
	if (version == 0x01000000)
		return REFUSE("header written by a big-endian machine (version 0x%08x): run mkswap here",
			      version);
	if (version != SWAP_HEADER_VERSION)
		return REFUSE("version %u at byte %u (only %u is known)",
			      version, SWAP_OFF_VERSION, SWAP_HEADER_VERSION);

	/* 3. The size: slots 1..last_page must all be on the device. */
	last_page = le32_at(p, SWAP_OFF_LAST_PAGE);
	if (last_page < 2)
		return REFUSE("last_page %u: too small (at least 2 pages besides the header)",
			      last_page);
	if (last_page >= dev_pages)
		return REFUSE("last_page %u beyond the device (%llu pages, the last is %llu)",
			      last_page, (unsigned long long)dev_pages,
			      (unsigned long long)dev_pages - 1);

	/* 4. The bad pages: each a real slot, each once. */
	nr_bad = le32_at(p, SWAP_OFF_NR_BADPAGES);
	if (nr_bad > SWAP_MAX_BADPAGES)
		return REFUSE("too many bad pages (nr_badpages %u, at most %u)",
			      nr_bad, SWAP_MAX_BADPAGES);
	for (uint32_t i = 0; i < nr_bad; i++) {
		uint32_t bad = le32_at(p, SWAP_OFF_BADPAGES + 4 * i);

		if (bad == 0)
			return REFUSE("bad page 0 (badpages[%u]) is the header itself", i);
		if (bad > last_page)
			return REFUSE("bad page %u (badpages[%u]) out of range (last_page %u)",
				      bad, i, last_page);
		for (uint32_t j = 0; j < i; j++)
			if (info->bad[j] == bad)
				return REFUSE("bad page %u listed twice (badpages[%u] and [%u])",
					      bad, j, i);
		info->bad[i] = bad;
	}
	if (nr_bad >= last_page)
		return REFUSE("no usable slot: all %u pages after the header are bad",
			      last_page);

	info->version = version;
	info->last_page = last_page;
	info->dev_pages = (unsigned long)dev_pages;
	info->nr_bad = nr_bad;
	info->nr_slots = last_page - nr_bad;
	memcpy(info->uuid, p + SWAP_OFF_UUID, SWAP_UUID_LEN);
	memcpy(info->label, p + SWAP_OFF_LABEL, SWAP_LABEL_LEN);
	info->label[SWAP_LABEL_LEN] = '\0';	/* a 16-byte label has no NUL */
	return 0;
}

void swap_header_uuid_str(const struct swap_header_info *info,
			  char out[SWAP_UUID_STR_LEN])
{
	const uint8_t *u = info->uuid;

	ksnprintf(out, SWAP_UUID_STR_LEN,
		  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		  u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
		  u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}
