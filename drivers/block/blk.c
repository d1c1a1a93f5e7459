/*
 * drivers/block/blk.c - the block layer's common part (contract: blk.h):
 * the device list, request checks, synchronous helpers, `blk` command.
 */
#include "drivers/block/blk.h"
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/thread.h"
#include "kernel/wait.h"
#include "mm/dma-mapping.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include <arch/cpu.h>

static struct list_head blk_devices = LIST_HEAD_INIT(blk_devices);

void blk_register(struct block_device *bdev)
{
	list_add_tail(&bdev->list, &blk_devices);
	bdi_init(&bdev->bdi, bdev->name);
	bdi_register(&bdev->bdi);
}

struct block_device *blk_get(const char *name)
{
	struct block_device *b;

	list_for_each_entry(b, &blk_devices, list)
		if (!strcmp(b->name, name))
			return b;
	return NULL;
}

struct block_device *blk_first(void)
{
	return list_empty(&blk_devices) ? NULL :
	       list_first_entry(&blk_devices, struct block_device, list);
}

void blk_for_each(void (*fn)(struct block_device *bdev, void *arg), void *arg)
{
	struct block_device *b;

	list_for_each_entry(b, &blk_devices, list)
		fn(b, arg);
}

int blk_submit(struct block_device *bdev, struct blk_request *req)
{
	uint64_t bytes = 0;

	for (unsigned int i = 0; i < req->nr_segs; i++)
		bytes += req->segs[i].len;
	if (req->op != BLK_OP_FLUSH) {
		if (!req->nr_segs || bytes % SECTOR_SIZE ||
		    req->sector + bytes / SECTOR_SIZE > bdev->nr_sectors ||
		    req->sector + bytes / SECTOR_SIZE < req->sector)
			return -EINVAL;
		if (req->nr_segs > bdev->max_segments)
			return -EINVAL;
	}
	if (req->op == BLK_OP_WRITE && bdev->read_only)
		return -EINVAL;
	if (blk_dead(bdev))
		return -ENODEV;
	/* The measure of "direct reclaim never writes" (mm/vmscan.h). */
	if (req->op == BLK_OP_WRITE && !(req->flags & REQ_SWAP) &&
	    current_in_direct_reclaim())
		count_vm_event(DIRECT_RECLAIM_WRITE);
	req->status = 0;
	req->error_sector = 0;
	req->part = NULL;
	return bdev->ops->submit(bdev, req);
}

void blk_mark_dead(struct block_device *bdev, const char *why)
{
	if (!__atomic_exchange_n(&bdev->dead, true, __ATOMIC_RELAXED))
		pr_err("blk: %s is dead (%s): its requests fail from now on\n",
		       bdev->name, why);
}

static spinlock_t blk_claim_lock = SPINLOCK_INIT("blk_claim");

int blk_claim(struct block_device *bdev, const char *holder,
	      const char **by)
{
	unsigned long flags;
	int r = 0;

	spin_lock_irqsave(&blk_claim_lock, flags);
	if (bdev->holder || (bdev->whole && bdev->whole->holder)) {
		if (by)
			*by = bdev->holder ? bdev->holder : bdev->whole->holder;
		r = -EBUSY;
	} else if (bdev->part_claims) {
		if (by)
			*by = "a partition's user";
		r = -EBUSY;
	} else {
		bdev->holder = holder;
		if (bdev->whole)
			bdev->whole->part_claims++;
	}
	spin_unlock_irqrestore(&blk_claim_lock, flags);
	return r;
}

void blk_unclaim(struct block_device *bdev, const char *holder)
{
	unsigned long flags;

	spin_lock_irqsave(&blk_claim_lock, flags);
	WARN_ON(bdev->holder != holder);
	if (bdev->holder == holder) {
		bdev->holder = NULL;
		bdev->holder_ops = NULL;
		if (bdev->whole)
			bdev->whole->part_claims--;
	}
	spin_unlock_irqrestore(&blk_claim_lock, flags);
}

void blk_set_holder_ops(struct block_device *bdev,
			const struct blk_holder_ops *ops)
{
	unsigned long flags;

	spin_lock_irqsave(&blk_claim_lock, flags);
	WARN_ON(!bdev->holder);
	bdev->holder_ops = ops;
	spin_unlock_irqrestore(&blk_claim_lock, flags);
}

void blk_prepare_removal(struct block_device *disk)
{
	struct block_device *b;

	/* The list only grows, at boot and when a table is read: no lock
	 * for the walk. Each holder's ops are read under the claim lock and
	 * called outside it (letting go sleeps, and unclaims). */
	list_for_each_entry(b, &blk_devices, list) {
		const struct blk_holder_ops *ops;
		const char *holder;
		unsigned long flags;

		if (b != disk && b->whole != disk)
			continue;
		spin_lock_irqsave(&blk_claim_lock, flags);
		ops = b->holder_ops;
		holder = b->holder;
		spin_unlock_irqrestore(&blk_claim_lock, flags);
		if (!holder)
			continue;
		if (ops && ops->let_go) {
			pr_info("blk: %s is being removed: asking %s to let go\n",
				b->name, holder);
			ops->let_go(b);
		} else {
			pr_warn("blk: %s is being removed under %s, which "
				"cannot let go: its I/O will fail\n", b->name,
				holder);
		}
	}
}

static void count_request(struct block_device *bdev, struct blk_request *req,
			  int status)
{
	if (status)
		bdev->nr_errors++;
	if (req->op == BLK_OP_READ)
		bdev->nr_reads++;
	else if (req->op == BLK_OP_WRITE)
		bdev->nr_writes++;
	else
		bdev->nr_flushes++;
}

/* A partition's request back in the partition's sectors. */
static void unshift_request(struct blk_request *req)
{
	struct block_device *part = req->part;

	if (req->op != BLK_OP_FLUSH)
		req->sector -= part->start_sect;
	req->part = NULL;
}

void blk_complete(struct block_device *bdev, struct blk_request *req, int status)
{
	req->status = status;
	count_request(bdev, req, status);
	if (req->part) {
		count_request(req->part, req, status);
		unshift_request(req);
	}
	if (status)
		req->error_sector = req->sector;
	if (req->end_io)
		req->end_io(req);
}

/* A partition passes its requests to its disk, shifted by its start;
 * blk_complete shifts them back. */
static int part_submit(struct block_device *part, struct blk_request *req)
{
	struct block_device *disk = part->whole;
	int r;

	if (req->op != BLK_OP_FLUSH)
		req->sector += part->start_sect;
	req->part = part;
	r = disk->ops->submit(disk, req);
	if (r)
		unshift_request(req);	/* not started: the caller's again */
	return r;
}

static void part_poll(struct block_device *part)
{
	part->whole->ops->poll(part->whole);
}

const struct block_device_ops blk_partition_ops = {
	.submit = part_submit,
	.poll = part_poll,
};

/*
 * Synchronous requests sleep here: one queue for all of them, because a
 * waiter's flag lives on its stack and may be gone the moment it is set,
 * while the queue must outlive the wake-up.
 */
static DECLARE_WAIT_QUEUE_HEAD(blk_sync_wait);

static void sync_end_io(struct blk_request *req)
{
	WRITE_ONCE(*(volatile bool *)req->private, true);
	wake_up(&blk_sync_wait);
}

/*
 * Submit req and wait for it. A thread that may sleep sleeps until the
 * completion interrupt: a write queued behind seconds of others on a
 * slow disk must not hold a CPU (the spin this replaced kept one of the
 * two busy for as long as the flusher wrote metadata to the 8 MiB/s
 * benchmark disk, and the writer to the fast disk beside it ran 30%
 * slower). Without interrupts, or where sleeping is not allowed (boot,
 * interrupts off), it polls the device.
 */
int blk_execute(struct block_device *bdev, struct blk_request *req)
{
	volatile bool done = false;
	int err;

	req->end_io = sync_end_io;
	req->private = (void *)&done;
	err = blk_submit(bdev, req);
	if (err)
		return err;
	if (bdev->irq_driven && can_sleep()) {
		wait_event(blk_sync_wait, READ_ONCE(done));
		return req->status;
	}
	while (!READ_ONCE(done)) {
		if (!bdev->irq_driven || !arch_irqs_enabled())
			bdev->ops->poll(bdev);
		else
			arch_cpu_relax();
	}
	return req->status;
}

static int blk_rw(struct block_device *bdev, enum blk_op op, uint64_t sector,
		  const void *buf, unsigned int count, uint64_t *error_sector)
{
	struct blk_segment seg = {
		.page = virt_to_page(buf),
		.offset = (unsigned int)((uintptr_t)buf & (PAGE_SIZE - 1)),
		.len = count * SECTOR_SIZE,
	};
	struct blk_request req = {
		.op = op, .sector = sector, .segs = &seg, .nr_segs = 1,
	};
	int err = blk_execute(bdev, &req);

	if (err && error_sector)
		*error_sector = req.error_sector;
	return err;
}

int blk_read(struct block_device *bdev, uint64_t sector, void *buf,
	     unsigned int count, uint64_t *error_sector)
{
	return blk_rw(bdev, BLK_OP_READ, sector, buf, count, error_sector);
}

int blk_write(struct block_device *bdev, uint64_t sector, const void *buf,
	      unsigned int count, uint64_t *error_sector)
{
	return blk_rw(bdev, BLK_OP_WRITE, sector, buf, count, error_sector);
}

int blk_flush(struct block_device *bdev)
{
	struct blk_request req = { .op = BLK_OP_FLUSH };

	return blk_execute(bdev, &req);
}

/* ---------------------------------------------------------------- blk */

static void blk_list_one(struct block_device *b, void *arg)
{
	char part[48] = "";

	(void)arg;
	if (b->whole)
		ksnprintf(part, sizeof(part), "  partition %u of %s at %llu",
			  b->partno, b->whole->name,
			  (unsigned long long)b->start_sect);
	printk("%-6s %10llu sectors (%llu MiB)  depth %u%s%s  %s  reads %lu "
	       "writes %lu flushes %lu errors %lu%s%s%s%s\n", b->name,
	       (unsigned long long)b->nr_sectors,
	       (unsigned long long)(b->nr_sectors >> 11), b->queue_depth,
	       b->has_flush ? " flush" : "", b->read_only ? " ro" : "",
	       b->irq_driven ? "irq" : "polled", b->nr_reads, b->nr_writes,
	       b->nr_flushes, b->nr_errors, blk_dead(b) ? "  DEAD" : "",
	       b->holder ? "  used by " : "", b->holder ? b->holder : "",
	       part);
}

static void hexdump(const uint8_t *p, size_t len, uint64_t base)
{
	for (size_t off = 0; off < len; off += 16) {
		char line[80];
		size_t n = 0;

		for (size_t i = 0; i < 16; i++)
			n += ksnprintf(line + n, sizeof(line) - n, "%02x ", p[off + i]);
		line[n++] = ' ';
		for (size_t i = 0; i < 16; i++)
			line[n++] = p[off + i] >= 32 && p[off + i] < 127 ?
				    (char)p[off + i] : '.';
		line[n] = '\0';
		printk("%08llx  %s\n", (unsigned long long)(base + off), line);
	}
}

static int cmd_blk(int argc, char **argv)
{
	struct block_device *b;
	uint64_t sector, count = 1, bad = 0;
	uint8_t *buf;
	int err;

	if (argc < 2 || !strcmp(argv[1], "list")) {
		if (list_empty(&blk_devices))
			printk("blk: no block devices\n");
		blk_for_each(blk_list_one, NULL);
		return 0;
	}
	if (argc < 4 || (strcmp(argv[1], "read") && strcmp(argv[1], "write"))) {
		printk("usage: blk list | blk read DEV SECTOR [COUNT] | "
		       "blk write DEV SECTOR PATTERN\n");
		return 1;
	}
	b = blk_get(argv[2]);
	if (!b) {
		printk("blk: no device '%s'\n", argv[2]);
		return 1;
	}
	if (!parse_u64(argv[3], &sector, false) ||
	    (argv[1][0] == 'r' && argc > 4 && !parse_u64(argv[4], &count, false)) ||
	    !count || count > 64) {
		printk("blk: bad SECTOR or COUNT (1..64)\n");
		return 1;
	}
	buf = kmalloc(count * SECTOR_SIZE, GFP_KERNEL);
	if (!buf)
		return 1;
	if (argv[1][0] == 'r') {
		err = blk_read(b, sector, buf, (unsigned int)count, &bad);
		if (!err)
			hexdump(buf, count * SECTOR_SIZE, sector * SECTOR_SIZE);
	} else {
		size_t plen = strlen(argv[4]);

		for (size_t i = 0; i < SECTOR_SIZE; i++)
			buf[i] = (uint8_t)argv[4][i % plen];
		err = blk_write(b, sector, buf, 1, &bad);
		if (!err)
			printk("blk: wrote sector %llu of %s\n",
			       (unsigned long long)sector, b->name);
	}
	if (err)
		printk("blk: %s %s sector %llu: error %d at sector %llu\n",
		       argv[1], b->name, (unsigned long long)sector, err,
		       (unsigned long long)bad);
	kfree(buf);
	return err ? 1 : 0;
}
CONSOLE_COMMAND(blk, "block devices: blk list | read DEV SECTOR [COUNT] | write DEV SECTOR PATTERN", cmd_blk);
