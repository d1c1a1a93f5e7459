/*
 * drivers/virtio/virtio_blk.c - virtio block devices (virtio v1.2 sec.
 * 5.2) behind the block layer (drivers/block/blk.h).
 *
 * A request is a descriptor chain: a 16-byte header {type, reserved,
 * sector} the device reads, the data segments (read or written), and a
 * status byte the device writes. Headers and status bytes of every
 * request slot sit in one coherent DMA block; data segments are mapped
 * with dma_map_page per request and unmapped when it completes, unless
 * the submitter registered them (seg.dma_mapped: used as given). As many
 * requests are in flight as the ring has descriptors for; the rest wait
 * on a list and are started as completions free descriptors.
 *
 * A device that gives up is noticed three ways: a failed request, a
 * configuration-change interrupt (a device setting DEVICE_NEEDS_RESET
 * sends one), and a watchdog that looks at the device when requests have
 * gone unanswered for virtio_blk.io_timeout= seconds (an unplugged
 * device answers nothing and interrupts nobody). Then the device is
 * reset, so it can no longer touch memory, and everything it held fails
 * with -ENODEV (blk_mark_dead). Behind a PCI Express hot-plug slot the
 * slot says so itself (vblk_remove: a card pulled, or one asked out with
 * the attention button, whose users let go first).
 */
#include "drivers/block/blk.h"
#include "drivers/virtio/virtio.h"
#include "kernel/lib/string.h"
#include "kernel/cmdline.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "mm/kmalloc.h"

#define VIRTIO_BLK_F_SIZE_MAX	1
#define VIRTIO_BLK_F_SEG_MAX	2
#define VIRTIO_BLK_F_RO		5
#define VIRTIO_BLK_F_BLK_SIZE	6
#define VIRTIO_BLK_F_FLUSH	9

#define VIRTIO_BLK_T_IN		0
#define VIRTIO_BLK_T_OUT	1
#define VIRTIO_BLK_T_FLUSH	4

#define VIRTIO_BLK_S_OK		0
#define VIRTIO_BLK_S_IOERR	1
#define VIRTIO_BLK_S_UNSUPP	2

#define VBLK_MAX_SEGS		32
#define VBLK_QUEUE_MAX		256

struct vblk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
	uint8_t status;
	uint8_t pad[15];
};

struct vblk_slot {
	struct blk_request *req;
	struct { dma_addr_t addr; uint32_t len; } map[VBLK_MAX_SEGS];
	unsigned int nr_map;
	enum dma_data_direction dir;
	int next_free;
};

struct virtio_blk {
	struct block_device bdev;
	struct virtio_device *vdev;
	struct virtqueue *vq;
	struct vblk_hdr *hdrs;		/* coherent, one per slot */
	dma_addr_t hdrs_dma;
	struct vblk_slot *slots;
	unsigned int nr_slots;
	int free_slot;			/* list through next_free, -1: none */
	struct list_head pending;	/* requests waiting for a slot */
	spinlock_t lock;
	unsigned int in_flight, max_in_flight;
	bool killed;			/* reset after it gave up: no ring */
	/* The watchdog: when a request last finished (or the first of a
	 * busy spell started), and whether a stall was reported. */
	uint64_t last_progress;		/* clock_ns */
	bool stall_reported;
	struct list_head node;		/* in vblk_disks */
};

static unsigned int vblk_count;
/* Every virtio disk, for the watchdog. Disks are probed at boot, before
 * the watchdog's timer starts, and never removed: no lock. */
static struct list_head vblk_disks = LIST_HEAD_INIT(vblk_disks);

/* Seconds a request may go unanswered before the device is looked at
 * (virtio_blk.io_timeout=; Linux's block layer waits 30 s too). */
static unsigned int vblk_io_timeout_s = 30;

static int set_vblk_io_timeout(const char *value)
{
	if (param_parse_uint(value, 1, 3600, &vblk_io_timeout_s))
		return 0;
	pr_err("virtio-blk: virtio_blk.io_timeout=%s: expected seconds, 1-3600\n",
	       value ? value : "");
	return -1;
}
KERNEL_PARAM("virtio_blk.io_timeout", set_vblk_io_timeout, "seconds a virtio-blk request may go unanswered before the driver asks the device whether it is still there (30)");

static void unmap_slot(struct virtio_blk *vb, struct vblk_slot *s)
{
	for (unsigned int i = 0; i < s->nr_map; i++)
		dma_unmap_page(vb->vdev->dma_dev, s->map[i].addr, s->map[i].len,
			       s->dir);
	s->nr_map = 0;
}

/* Start req in a free slot. 0, -EAGAIN (no slot or descriptors: try
 * later), or another -errno (finished with that error). `malformed`
 * leaves out the status byte (virtio_blk_submit_malformed). Lock held. */
static int __start_locked(struct virtio_blk *vb, struct blk_request *req,
			  bool malformed)
{
	struct device *dev = vb->vdev->dma_dev;
	struct vq_buf bufs[VBLK_MAX_SEGS + 2];
	unsigned int n = 0;
	int si = vb->free_slot;

	if (si < 0)
		return -EAGAIN;
	struct vblk_slot *s = &vb->slots[si];
	struct vblk_hdr *h = &vb->hdrs[si];
	dma_addr_t hdma = vb->hdrs_dma + (dma_addr_t)si * sizeof(*h);

	h->type = req->op == BLK_OP_READ ? VIRTIO_BLK_T_IN :
		  req->op == BLK_OP_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_FLUSH;
	h->reserved = 0;
	h->sector = req->op == BLK_OP_FLUSH ? 0 : req->sector;
	h->status = 0xff;
	bufs[n++] = (struct vq_buf){ hdma, 16, false };
	s->dir = req->op == BLK_OP_READ ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
	s->nr_map = 0;
	for (unsigned int i = 0; i < req->nr_segs && req->op != BLK_OP_FLUSH; i++) {
		const struct blk_segment *g = &req->segs[i];
		dma_addr_t a;

		if (g->dma_mapped) {
			a = g->dma;		/* registered: the submitter's */
		} else {
			a = dma_map_page(dev, g->page, g->offset, g->len, s->dir);
			if (dma_mapping_error(dev, a)) {
				unmap_slot(vb, s);
				return -ENOMEM;
			}
			s->map[s->nr_map].addr = a;
			s->map[s->nr_map].len = g->len;
			s->nr_map++;
		}
		/* Merge with the previous buffer when the DMA is contiguous. */
		if (n > 1 && bufs[n - 1].addr + bufs[n - 1].len == a)
			bufs[n - 1].len += g->len;
		else
			bufs[n++] = (struct vq_buf){ a, g->len,
						     req->op == BLK_OP_READ };
	}
	if (!malformed)
		bufs[n++] = (struct vq_buf){ hdma + 16, 1, true };
	if (virtqueue_add(vb->vq, bufs, n, s)) {
		unmap_slot(vb, s);
		return -EAGAIN;
	}
	vb->free_slot = s->next_free;
	s->req = req;
	if (!vb->in_flight++)
		vb->last_progress = clock_ns();
	if (vb->in_flight > vb->max_in_flight)
		vb->max_in_flight = vb->in_flight;
	return 0;
}

static int start_locked(struct virtio_blk *vb, struct blk_request *req)
{
	return __start_locked(vb, req, false);
}

/*
 * Has the device given up? One that sets DEVICE_NEEDS_RESET (virtio 1.2
 * sec. 2.1.2) answers nothing more until it is reset; one that was
 * unplugged reads all ones or 0. Then the disk is dead (blk_mark_dead):
 * NULL if it is not. Asked only after an error, a configuration change
 * or a stall, since a register read costs a VM exit. Lock held.
 */
static const char *vblk_gone(struct virtio_blk *vb)
{
	uint8_t st = vb->vdev->config->get_status(vb->vdev);

	/* An unplugged PCI device reads all ones on real hardware; QEMU
	 * gives 0 for the hole it leaves. Status 0 is a reset device, and
	 * only the driver resets it: one that reads 0 is not ours any more. */
	if (st == 0xff || st == 0)
		return "the device is gone";
	if (st & VIRTIO_STATUS_NEEDS_RESET)
		return "the device needs a reset";
	return NULL;
}

/*
 * The device gave up: reset it (writing 0 to its status; QEMU finishes or
 * drops what it was doing before the write returns, and a reset device
 * touches no memory), then fail every request it held or that waits,
 * moving them to done. Lock held; the caller then says so (vblk_dead).
 */
static void vblk_kill_locked(struct virtio_blk *vb, struct list_head *done)
{
	if (vb->killed)
		return;
	vb->killed = true;
	while (!list_empty(&vb->pending)) {
		struct blk_request *req = list_first_entry(&vb->pending,
						struct blk_request, queue);

		list_move_tail(&req->queue, done);
		req->status = -ENODEV;
	}
	vb->vdev->config->set_status(vb->vdev, 0);
	for (unsigned int i = 0; i < vb->nr_slots; i++) {
		struct vblk_slot *s = &vb->slots[i];

		if (!s->req)
			continue;
		unmap_slot(vb, s);
		s->req->status = -ENODEV;
		list_add_tail(&s->req->queue, done);
		s->req = NULL;
		s->next_free = vb->free_slot;
		vb->free_slot = (int)i;
		vb->in_flight--;
	}
}

static void vblk_complete_list(struct virtio_blk *vb, struct list_head *done)
{
	while (!list_empty(done)) {
		struct blk_request *req = list_first_entry(done,
						struct blk_request, queue);

		list_del(&req->queue);
		blk_complete(&vb->bdev, req, req->status);
	}
}

/* After vblk_kill_locked, lock dropped: say what was found and when,
 * and mark the disk dead. */
static void vblk_dead(struct virtio_blk *vb, const char *why, const char *gone)
{
	pr_err("virtio-blk %s: found after %s: %s\n", vb->bdev.name, why, gone);
	blk_mark_dead(&vb->bdev, gone);
}

/* Ask the device whether it gave up (told by `why`); if it did, kill it,
 * mark the disk dead and fail what it held. True if it is dead. */
static bool vblk_check(struct virtio_blk *vb, const char *why)
{
	struct list_head done;
	unsigned long flags;
	const char *gone;

	INIT_LIST_HEAD(&done);
	spin_lock_irqsave(&vb->lock, flags);
	gone = vb->killed ? NULL : vblk_gone(vb);
	if (gone)
		vblk_kill_locked(vb, &done);
	spin_unlock_irqrestore(&vb->lock, flags);
	if (gone)
		vblk_dead(vb, why, gone);
	vblk_complete_list(vb, &done);
	return vb->killed;
}

/* Collect finished requests and start waiting ones; complete outside the
 * lock (an end_io may submit again). */
static void vblk_service(struct virtio_blk *vb)
{
	struct list_head done;
	unsigned long flags;
	struct vblk_slot *s;
	bool kick = false, failed = false, progress = false;
	const char *gone = NULL;

	INIT_LIST_HEAD(&done);
	spin_lock_irqsave(&vb->lock, flags);
	while (!vb->killed && (s = virtqueue_get_buf(vb->vq, NULL))) {
		int si = (int)(s - vb->slots);
		struct blk_request *req = s->req;
		uint8_t st = READ_ONCE(vb->hdrs[si].status);

		unmap_slot(vb, s);
		req->status = st == VIRTIO_BLK_S_OK ? 0 :
			      st == VIRTIO_BLK_S_UNSUPP ? -EOPNOTSUPP : -EIO;
		failed |= st != VIRTIO_BLK_S_OK;
		s->req = NULL;
		s->next_free = vb->free_slot;
		vb->free_slot = si;
		vb->in_flight--;
		progress = true;
		list_add_tail(&req->queue, &done);
	}
	if (progress)
		vb->last_progress = clock_ns();	/* for the watchdog */
	if (failed && !vb->killed && !blk_dead(&vb->bdev))
		gone = vblk_gone(vb);
	if (gone)
		vblk_kill_locked(vb, &done);	/* pending emptied too */
	while (!list_empty(&vb->pending)) {
		struct blk_request *req = list_first_entry(&vb->pending,
						struct blk_request, queue);
		/* A dead device starts nothing: what waits fails. */
		int err = vb->killed || blk_dead(&vb->bdev) ? -ENODEV :
			  start_locked(vb, req);

		if (err == -11)
			break;
		list_del(&req->queue);
		if (err) {
			req->status = err;
			list_add_tail(&req->queue, &done);
		} else {
			kick = true;
		}
	}
	if (kick)
		virtqueue_kick(vb->vq);
	spin_unlock_irqrestore(&vb->lock, flags);
	if (gone)
		vblk_dead(vb, "a failed request", gone);
	vblk_complete_list(vb, &done);
}

/*
 * Its PCI slot is giving the device up (drivers/pci/pciehp.h). Announced
 * (surprise false): the disk still works, so its users let go first
 * (blk_prepare_removal: swap pulls its pages back), then the device is
 * reset and whatever is still in flight or waiting fails. By surprise:
 * the device is gone, and the same reset-and-fail is all there is to do.
 * Either way the disk is dead from then on.
 */
static void vblk_remove(struct virtio_device *vdev, bool surprise)
{
	struct virtio_blk *vb = vdev->priv;
	struct list_head done;
	unsigned long flags;
	bool was_killed;

	if (!vb)
		return;
	if (!surprise && !vb->killed)
		blk_prepare_removal(&vb->bdev);
	INIT_LIST_HEAD(&done);
	spin_lock_irqsave(&vb->lock, flags);
	was_killed = vb->killed;
	vblk_kill_locked(vb, &done);
	spin_unlock_irqrestore(&vb->lock, flags);
	if (!was_killed)
		vblk_dead(vb, "a hot-plug event", surprise ?
			  "the device is gone" : "the device was removed");
	vblk_complete_list(vb, &done);
}

/* The configuration changed: a device that gives up says so this way. */
static void vblk_config_changed(struct virtio_device *vdev)
{
	struct virtio_blk *vb = vdev->priv;

	if (vb)
		vblk_check(vb, "a configuration change");
}

/*
 * The watchdog's step for one disk (virtio_blk_check_stalls): if requests
 * are in flight and none has finished for vblk_io_timeout_s at `now`, ask
 * the device whether it is still there. A device that is (a slow disk, a
 * stopped host) is reported once and waited for.
 */
static void vblk_check_stall(struct virtio_blk *vb, uint64_t now)
{
	unsigned int n = READ_ONCE(vb->in_flight);

	if (!n || READ_ONCE(vb->killed)) {
		vb->stall_reported = false;
		return;
	}
	if (now - READ_ONCE(vb->last_progress) <
	    (uint64_t)vblk_io_timeout_s * 1000000000ULL)
		return;
	if (vblk_check(vb, "a stall") || vb->stall_reported)
		return;
	vb->stall_reported = true;
	pr_warn("virtio-blk %s: %u request%s unanswered for %u s; the device "
		"says it is still there, so they are waited for\n",
		vb->bdev.name, n, n == 1 ? "" : "s", vblk_io_timeout_s);
}

void virtio_blk_check_stalls(uint64_t now)
{
	struct virtio_blk *vb;

	list_for_each_entry(vb, &vblk_disks, node)
		vblk_check_stall(vb, now);
}

static void vblk_vq_done(struct virtqueue *vq)
{
	vblk_service(vq->vdev->priv);
}

static void vblk_poll(struct block_device *bdev)
{
	vblk_service(bdev->driver_data);
}

static int vblk_submit(struct block_device *bdev, struct blk_request *req)
{
	struct virtio_blk *vb = bdev->driver_data;
	unsigned long flags;
	int err;

	if (req->nr_segs > VBLK_MAX_SEGS)
		return -EINVAL;
	if (req->op == BLK_OP_FLUSH && !bdev->has_flush) {
		blk_complete(bdev, req, 0);	/* write-through: nothing to do */
		return 0;
	}
	spin_lock_irqsave(&vb->lock, flags);
	if (vb->killed)
		err = -ENODEV;			/* the device gave up */
	else if (!list_empty(&vb->pending))
		err = -11;			/* keep the order */
	else
		err = start_locked(vb, req);
	if (err == -11)
		list_add_tail(&req->queue, &vb->pending);
	else if (!err)
		virtqueue_kick(vb->vq);
	spin_unlock_irqrestore(&vb->lock, flags);
	return err == -11 ? 0 : err;
}

static const struct block_device_ops vblk_ops = {
	.submit = vblk_submit,
	.poll = vblk_poll,
};

int virtio_blk_submit_malformed(struct block_device *bdev,
				struct blk_request *req)
{
	struct virtio_blk *vb = bdev->driver_data;
	unsigned long flags;
	int err;

	if (bdev->ops != &vblk_ops || req->op != BLK_OP_FLUSH)
		return -EINVAL;
	spin_lock_irqsave(&vb->lock, flags);
	err = vb->killed ? -ENODEV : __start_locked(vb, req, true);
	if (!err)
		virtqueue_kick(vb->vq);
	spin_unlock_irqrestore(&vb->lock, flags);
	return err;
}

int virtio_blk_probe(struct virtio_device *vdev)
{
	const struct virtio_config_ops *c = vdev->config;
	struct virtio_blk *vb;
	uint64_t want = (1ULL << VIRTIO_BLK_F_FLUSH) | (1ULL << VIRTIO_BLK_F_RO) |
			(1ULL << VIRTIO_BLK_F_SEG_MAX) | (1ULL << VIRTIO_BLK_F_BLK_SIZE);

	if (virtio_negotiate(vdev, want)) {
		pr_err("virtio-blk %s: feature negotiation failed\n", vdev->name);
		return -EIO;
	}
	vb = kzalloc(sizeof(*vb), GFP_KERNEL);
	if (!vb)
		return -ENOMEM;
	vdev->priv = vb;
	vb->vdev = vdev;
	dma_set_mask_and_coherent(vdev->dma_dev, DMA_BIT_MASK(64));
	vb->vq = c->setup_vq(vdev, 0, VBLK_QUEUE_MAX, vblk_vq_done);
	if (!vb->vq) {
		pr_err("virtio-blk %s: cannot set up the request queue\n", vdev->name);
		c->set_status(vdev, VIRTIO_STATUS_FAILED);
		kfree(vb);
		return -EIO;
	}
	/* A one-segment request takes 3 descriptors. */
	vb->nr_slots = vb->vq->num / 3 ? vb->vq->num / 3 : 1;
	vb->slots = kzalloc(vb->nr_slots * sizeof(*vb->slots), GFP_KERNEL);
	vb->hdrs = dma_alloc_coherent(vdev->dma_dev, vb->nr_slots * sizeof(*vb->hdrs),
				      &vb->hdrs_dma, GFP_KERNEL);
	if (!vb->slots || !vb->hdrs) {
		c->set_status(vdev, VIRTIO_STATUS_FAILED);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < vb->nr_slots; i++)
		vb->slots[i].next_free = i + 1 < vb->nr_slots ? (int)i + 1 : -1;
	vb->free_slot = 0;
	INIT_LIST_HEAD(&vb->pending);
	spin_lock_init(&vb->lock, "virtio-blk");

	struct block_device *b = &vb->bdev;

	ksnprintf(b->name, sizeof(b->name), "vd%c", 'a' + vblk_count++);
	b->nr_sectors = c->read_config(vdev, 0, 8);
	b->queue_depth = vb->nr_slots;
	b->max_segments = VBLK_MAX_SEGS;
	b->has_flush = virtio_has_feature(vdev, VIRTIO_BLK_F_FLUSH);
	b->read_only = virtio_has_feature(vdev, VIRTIO_BLK_F_RO);
	b->ops = &vblk_ops;
	b->driver_data = vb;
	b->irq_driven = vdev->irq_driven;
	b->dma_dev = vdev->dma_dev;
	vdev->config_changed = vblk_config_changed;	/* before DRIVER_OK */
	vdev->remove = vblk_remove;
	c->set_status(vdev, c->get_status(vdev) | VIRTIO_STATUS_DRIVER_OK);
	blk_register(b);
	list_add_tail(&vb->node, &vblk_disks);
	pr_info("virtio-blk %s: %s, %llu sectors (%llu MiB), queue %u entries, "
		"%u requests in flight, %s%s%s, features 0x%llx\n", b->name,
		vdev->name, (unsigned long long)b->nr_sectors,
		(unsigned long long)(b->nr_sectors >> 11), vb->vq->num,
		b->queue_depth, vdev->irq_driven ? "interrupts" : "polled",
		b->has_flush ? ", flush" : "", b->read_only ? ", read-only" : "",
		(unsigned long long)vdev->features);
	return 0;
}
