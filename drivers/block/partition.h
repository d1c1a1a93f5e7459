/*
 * drivers/block/partition.h - MBR partition tables, and partitions as
 * block devices of their own (docs/drivers/virtio-blk.md, "Partitions").
 *
 * The reader (mbr_parse) is a pure function of sector 0 and the disk's
 * size: portable, host-tested and fuzzed. It reads the four primary
 * entries of a classic MBR (the layout every PC and every Raspberry Pi
 * card uses): at byte 446, four 16-byte entries {boot flag, CHS start,
 * type, CHS end, LBA start (le32), sector count (le32)}, and the
 * signature 0x55 0xaa at byte 510. CHS fields are ignored (LBA only).
 *
 * A table is followed only if all of it makes sense; otherwise it is
 * reported with the entry and the reason, and no partition is made:
 *   - a boot flag other than 0x00 or 0x80 (a FAT boot sector also ends
 *     in 0x55aa: its code bytes are no table);
 *   - a used entry (type != 0) starting at sector 0 (over the table),
 *     or ending past the disk's end, or overlapping another;
 *   - type 0xee: a GPT's protective MBR (GPT is not read).
 * A used entry with 0 sectors is skipped, as Linux does. Extended
 * partitions (types 0x05, 0x0f, 0x85) are returned flagged: their
 * logical partitions are not read, and no device is made for them.
 */
#ifndef DRIVERS_BLOCK_PARTITION_H
#define DRIVERS_BLOCK_PARTITION_H

#include "kernel/types.h"

#define MBR_NR_ENTRIES	4
#define MBR_SIGNATURE_OFF 510
#define MBR_TABLE_OFF	446
#define MBR_TYPE_GPT_PROTECTIVE 0xee

struct mbr_partition {
	unsigned int number;		/* 1-4: its entry */
	uint8_t type;			/* 0x83 Linux, 0x82 swap, 0x0c FAT32 */
	bool bootable;			/* boot flag 0x80 */
	bool extended;			/* a container: not a device */
	uint64_t start, nr_sectors;	/* 512-byte sectors */
};

/*
 * Read the table in sector0 (512 bytes) of a disk of disk_sectors.
 * Returns how many entries it put in parts[MBR_NR_ENTRIES] (0..4,
 * in entry order), 0 with err "" if the sector has no MBR signature (a
 * disk without a table), or -1 with err set to what is wrong and where
 * ("entry 3: sectors 20480-24575 end past the disk's end (16384
 * sectors)"): then nothing in parts is to be used.
 */
int mbr_parse(const uint8_t *sector0, uint64_t disk_sectors,
	      struct mbr_partition *parts, char *err, size_t errlen);

/* A partition's device name: disk "vda" + 1 -> "vda1"; a disk whose name
 * ends in a digit gets a 'p' first ("nbd0" -> "nbd0p1"), as Linux. */
void partition_name(char *buf, size_t len, const char *disk,
		    unsigned int number);

struct block_device;
/*
 * Read disk's table and register a block device for each partition
 * (blk.h: whole, start_sect, partno), printing one line per partition
 * or the reason the table was not read. A disk scanned before keeps what
 * it has (no rescan). Reads sector 0 synchronously. Returns the number
 * of partitions made, or -errno (the read failed: reported).
 */
int blk_scan_partitions(struct block_device *disk);
/* Scan every whole disk registered so far (boot, after the drivers). */
void blk_scan_all_partitions(void);

#endif
