/*
 * drivers/block/partition.c - partitions as block devices (contract:
 * partition.h); the table reader itself is drivers/block/mbr.c.
 */
#include "drivers/block/partition.h"
#include "drivers/block/blk.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"

/* ---------------------------------------------------------------- devices */

/*
 * A partition's requests are its disk's, shifted by its start: blk_submit
 * checks them against the partition's size and then hands them to the
 * disk (blk.c); nothing here runs per request.
 */
static struct block_device *make_partition(struct block_device *disk,
					   const struct mbr_partition *p)
{
	struct block_device *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return NULL;
	partition_name(b->name, sizeof(b->name), disk->name, p->number);
	b->nr_sectors = p->nr_sectors;
	b->queue_depth = disk->queue_depth;
	b->max_segments = disk->max_segments;
	b->has_flush = disk->has_flush;
	b->read_only = disk->read_only;
	b->ops = &blk_partition_ops;
	b->irq_driven = disk->irq_driven;
	b->dma_dev = disk->dma_dev;
	b->whole = disk;
	b->start_sect = p->start;
	b->partno = p->number;
	return b;
}

int blk_scan_partitions(struct block_device *disk)
{
	struct mbr_partition parts[MBR_NR_ENTRIES];
	char err[160];
	uint8_t *buf;
	int n, made = 0, r;

	if (disk->whole || disk->scanned || !disk->nr_sectors)
		return 0;
	disk->scanned = true;
	buf = kmalloc(SECTOR_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	r = blk_read(disk, 0, buf, 1, NULL);
	if (r) {
		pr_err("blk: %s: sector 0 unreadable (error %d): partitions "
		       "not read\n", disk->name, r);
		kfree(buf);
		return r;
	}
	n = mbr_parse(buf, disk->nr_sectors, parts, err, sizeof(err));
	kfree(buf);
	if (n < 0) {
		pr_err("blk: %s: partition table (MBR) not read: %s\n",
		       disk->name, err);
		return 0;
	}
	for (int i = 0; i < n; i++) {
		const struct mbr_partition *p = &parts[i];
		struct block_device *b;
		char name[16];

		partition_name(name, sizeof(name), disk->name, p->number);
		if (p->extended) {
			pr_info("blk: %s: extended partition (type 0x%02x): its "
				"logical partitions are not read\n", name, p->type);
			continue;
		}
		b = make_partition(disk, p);
		if (!b) {
			pr_err("blk: %s: no memory for the partition\n", name);
			continue;
		}
		blk_register(b);
		made++;
		pr_info("blk: %s: sectors %llu-%llu (%llu MiB), type 0x%02x%s\n",
			b->name, (unsigned long long)p->start,
			(unsigned long long)(p->start + p->nr_sectors - 1),
			(unsigned long long)(p->nr_sectors >> 11), p->type,
			p->bootable ? ", bootable" : "");
	}
	return made;
}

static void scan_one(struct block_device *b, void *arg)
{
	(void)arg;
	blk_scan_partitions(b);		/* partitions (added behind) skip */
}

void blk_scan_all_partitions(void)
{
	blk_for_each(scan_one, NULL);
}
