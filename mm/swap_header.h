/*
 * mm/swap_header.h - the header of a swap area on disk, as util-linux's
 * `mkswap` writes it and Linux's swapon reads it. A pure parser: it looks
 * at one page of bytes and says what is in it, or what is wrong with it.
 * docs/mm/swap.md, "The swap area on disk", draws the layout.
 *
 *	struct swap_header_info info;		// ~2.6 KiB: not on a small stack
 *	char why[SWAP_HEADER_REASON_LEN];
 *	if (swap_header_parse(page, dev_bytes, &info, why, sizeof(why)) < 0)
 *		pr_err("swapon: %s\n", why);
 *	else
 *		swap_alloc_init(&sa, info.last_page, info.bad, info.nr_bad, nr_cpus);
 *
 * The header is the device's first page (4096 bytes: our PAGE_SIZE, which
 * must also be the page size of the machine that ran mkswap, since the
 * magic sits at the page's end). All numbers are little-endian 32-bit
 * words:
 *
 *	byte	field			what
 *	0	bootbits[1024]		left alone: a partition table or boot
 *					block may live here
 *	1024	version			1 (0 was the old format, below)
 *	1028	last_page		the last page of the area that is used
 *	1032	nr_badpages		how many entries badpages[] has
 *	1036	uuid[16]		the area's UUID (mkswap -U)
 *	1052	volume_name[16]		its label (mkswap -L), NUL-padded
 *	1068	padding[117]		zero
 *	1536	badpages[]		page numbers not to use, up to 637
 *	4086	magic[10]		"SWAPSPACE2"
 *
 * A page number is a slot: page n of the device holds slot n. Page 0 is
 * this header, so slot 0 is never used; the usable slots are
 * 1..last_page, less the bad ones.
 *
 * What is refused (-EINVAL, with a one-line reason naming the field, its
 * byte offset where that helps, and the value found):
 *  - a device shorter than the header page;
 *  - no "SWAPSPACE2" at byte 4086; "SWAP-SPACE" there is the old v0
 *    format (a bitmap of good pages instead of a list of bad ones), which
 *    Linux dropped in 2.5: run mkswap again;
 *  - a version word of 0x01000000: version 1 written by a big-endian
 *    machine (Linux would byte-swap it; we ask for mkswap here instead,
 *    one format to read is easier to trust);
 *  - any other version than 1;
 *  - last_page 0 or 1: an area of no or one slot is too small to be worth
 *    a swap device (mkswap itself insists on ten pages);
 *  - last_page at or beyond the device's end (the header promises pages
 *    the device does not have: a truncated image or the wrong device);
 *  - more bad pages than fit between badpages[] and the magic (637);
 *  - a bad page 0 (that is the header), past last_page, or listed twice;
 *  - no usable slot left once the bad ones are taken out.
 * A last_page well inside the device is fine: the pages after it are not
 * used (Linux does the same: mkswap may be asked for a smaller area).
 */
#ifndef MM_SWAP_HEADER_H
#define MM_SWAP_HEADER_H

#include "kernel/types.h"

#define SWAP_HEADER_SIZE	4096	/* one page: our PAGE_SIZE, and mkswap's */
#define SWAP_HEADER_VERSION	1
#define SWAP_MAGIC		"SWAPSPACE2"
#define SWAP_MAGIC_OLD		"SWAP-SPACE"	/* v0: refused */
#define SWAP_MAGIC_LEN		10
#define SWAP_UUID_LEN		16
#define SWAP_LABEL_LEN		16

/* Byte offsets of the fields in the header page. */
#define SWAP_OFF_VERSION	1024
#define SWAP_OFF_LAST_PAGE	1028
#define SWAP_OFF_NR_BADPAGES	1032
#define SWAP_OFF_UUID		1036
#define SWAP_OFF_LABEL		1052
#define SWAP_OFF_BADPAGES	1536
#define SWAP_OFF_MAGIC		(SWAP_HEADER_SIZE - SWAP_MAGIC_LEN)	/* 4086 */

/* How many bad-page words fit between badpages[] and the magic. */
#define SWAP_MAX_BADPAGES	((SWAP_OFF_MAGIC - SWAP_OFF_BADPAGES) / 4)	/* 637 */

/* A reason buffer this long holds every reason whole. */
#define SWAP_HEADER_REASON_LEN	128
/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" and its NUL. */
#define SWAP_UUID_STR_LEN	37

/* What a good header says. */
struct swap_header_info {
	unsigned int version;		/* 1 */
	unsigned long last_page;	/* slots are 1..last_page */
	unsigned long dev_pages;	/* whole pages on the device */
	unsigned long nr_slots;		/* usable: last_page less the bad */
	unsigned int nr_bad;
	uint32_t bad[SWAP_MAX_BADPAGES];	/* as listed: distinct, in 1..last_page */
	uint8_t uuid[SWAP_UUID_LEN];
	char label[SWAP_LABEL_LEN + 1];	/* NUL-terminated ("" if none) */
};

/*
 * Read the header in page (the device's first SWAP_HEADER_SIZE bytes, at
 * any alignment) of a device of dev_bytes bytes. 0: info is filled.
 * -EINVAL: refused, info is undefined and reason holds one line saying
 * what is wrong and where (always NUL-terminated, cut to reason_len).
 * Linux's name for this is read_swap_header() (mm/swapfile.c).
 */
int swap_header_parse(const void *page, uint64_t dev_bytes,
		      struct swap_header_info *info,
		      char *reason, size_t reason_len);

/* The UUID as text, the way mkswap and blkid print it. */
void swap_header_uuid_str(const struct swap_header_info *info,
			  char out[SWAP_UUID_STR_LEN]);

#endif
