/*
 * drivers/virtio/virtio.h - virtio 1.x devices (OASIS virtio v1.2): the
 * device/transport split, feature bits, and split virtqueues.
 * docs/drivers/virtio-blk.md.
 *
 * A virtqueue is three areas in one dma_alloc_coherent block (sec. 2.7):
 *   descriptor table  16 bytes x num   {addr, len, flags, next}
 *   available ring    4 + 2 x num (+2) {flags, idx, ring[num]}: driver -> device
 *   used ring         4 + 8 x num (+2) {flags, idx, ring[num] of {id, len}}
 * num is a power of two; indices run free modulo 2^16 and are reduced
 * modulo num when used. The device reads only DMA addresses: the ring's
 * own (from dma_alloc_coherent) and the buffers' (dma_map_*), which is
 * why VIRTIO_F_ACCESS_PLATFORM can always be accepted here. A device that
 * does not offer it uses guest physical addresses whatever IOMMU sits in
 * front of its transport (sec. 6.1; QEMU's iommu_platform=off): for it,
 * virtio_negotiate() points dma_dev at a direct-mapping device
 * (dma_direct), so the DMA API hands it physical addresses, not IOVAs.
 * Device drivers: virtio_blk.c (docs/drivers/virtio-blk.md), virtio_net.c
 * (docs/drivers/virtio-net.md).
 */
#ifndef DRIVERS_VIRTIO_VIRTIO_H
#define DRIVERS_VIRTIO_VIRTIO_H

#include "kernel/spinlock.h"
#include "kernel/types.h"
#include "mm/dma-mapping.h"
#include <arch/mmio.h>

#define VIRTIO_STATUS_ACKNOWLEDGE	1
#define VIRTIO_STATUS_DRIVER		2
#define VIRTIO_STATUS_DRIVER_OK		4
#define VIRTIO_STATUS_FEATURES_OK	8
#define VIRTIO_STATUS_NEEDS_RESET	64
#define VIRTIO_STATUS_FAILED		128

#define VIRTIO_F_INDIRECT_DESC		28
#define VIRTIO_F_EVENT_IDX		29
#define VIRTIO_F_VERSION_1		32
#define VIRTIO_F_ACCESS_PLATFORM	33

#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2	/* device writes (else reads) */
#define VRING_AVAIL_F_NO_INTERRUPT 1

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};

/* Layout of a queue of num entries: offsets of the rings and total size. */
static inline size_t vring_avail_offset(unsigned int num)
{
	return 16 * (size_t)num;
}
static inline size_t vring_used_offset(unsigned int num)
{
	return ALIGN_UP(vring_avail_offset(num) + 6 + 2 * (size_t)num, 4);
}
static inline size_t vring_size(unsigned int num)
{
	return vring_used_offset(num) + 6 + 8 * (size_t)num;
}

struct virtqueue;
struct virtio_device;

/* One piece of a chain: a DMA address the device reads or writes. */
struct vq_buf {
	dma_addr_t addr;
	uint32_t len;
	bool device_writes;
};

struct virtqueue {
	struct virtio_device *vdev;
	unsigned int index;
	unsigned int num;		/* entries, a power of two */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	void *ring_mem;			/* dma_alloc_coherent'd (or the test's) */
	dma_addr_t ring_dma;
	unsigned int num_free;
	uint16_t free_head;		/* free descriptors chained by next */
	uint16_t avail_idx;		/* our copy of avail->idx */
	uint16_t last_used;		/* next used entry to look at */
	void **tokens;			/* per head descriptor, NULL: free */
	void (*callback)(struct virtqueue *vq);
	volatile void *notify;		/* where a kick is written */
	spinlock_t lock;
	unsigned long nr_kicks, nr_irqs;
};

/*
 * Lay a queue of num entries over ring (vring_size(num) bytes, DMA
 * address ring_dma) and tokens (num pointers). Host tests call it on
 * plain memory; transports after dma_alloc_coherent.
 */
void vring_init(struct virtqueue *vq, unsigned int num, void *ring,
		dma_addr_t ring_dma, void **tokens);

/*
 * Add a chain of n buffers (device-readable first, then device-writable)
 * identified by token (not NULL). 0, or -ENOSPC if fewer than n
 * descriptors are free (nothing added). Caller holds vq->lock or is the
 * queue's only user.
 */
int virtqueue_add(struct virtqueue *vq, const struct vq_buf *bufs,
		  unsigned int n, void *token);
/* Publish what was added (avail->idx) and notify the device. */
void virtqueue_kick(struct virtqueue *vq);
/* Publish only; true if the device should be notified. */
bool virtqueue_kick_prepare(struct virtqueue *vq);
/* The next completed chain's token (its descriptors freed), *len the
 * bytes the device wrote; NULL if none. */
void *virtqueue_get_buf(struct virtqueue *vq, uint32_t *len);
bool virtqueue_more_used(const struct virtqueue *vq);

/*
 * For transports: a queue of the largest power of two entries that is at
 * most dev_max (what the device offers) and max (what the driver wants),
 * its ring from dma_alloc_coherent on vdev->dma_dev. The transport then
 * tells the device the ring's three DMA addresses (vq->ring_dma plus
 * vring_avail_offset / vring_used_offset) and enables it. NULL if either
 * limit is 0 or memory ran out.
 */
struct virtqueue *vring_create_virtqueue(struct virtio_device *vdev,
					 unsigned int index,
					 unsigned int dev_max, unsigned int max,
					 void (*callback)(struct virtqueue *vq));
/* The queue's interrupt (or a shared one that may concern it): count it
 * and run its callback. */
void vring_interrupt(struct virtqueue *vq);

/*
 * Read len (1, 2, 4 or 8) bytes of device configuration at p; 8 as two
 * 32-bit reads, low first. Transports retry around it while the
 * configuration generation changes.
 */
static inline uint64_t virtio_cread(const volatile uint8_t *p, unsigned int len)
{
	switch (len) {
	case 1: return readb(p);
	case 2: return readw(p);
	case 4: return readl(p);
	default: return readl(p) | (uint64_t)readl(p + 4) << 32;
	}
}

/* ---------------------------------------------------------------- devices */

struct virtio_config_ops {
	uint64_t (*get_features)(struct virtio_device *vdev);
	/* Write the driver's features, set FEATURES_OK, check it stuck. */
	int (*finalize_features)(struct virtio_device *vdev, uint64_t features);
	uint8_t (*get_status)(struct virtio_device *vdev);
	void (*set_status)(struct virtio_device *vdev, uint8_t status);
	void (*reset)(struct virtio_device *vdev);
	/* Device-specific configuration, read by bytes (len 1, 2, 4 or 8). */
	uint64_t (*read_config)(struct virtio_device *vdev, unsigned int off,
				unsigned int len);
	/* Set up queue index with at most max entries, callback from its
	 * interrupt. NULL on failure. */
	struct virtqueue *(*setup_vq)(struct virtio_device *vdev,
				      unsigned int index, unsigned int max,
				      void (*callback)(struct virtqueue *vq));
	void (*notify)(struct virtqueue *vq);
};

struct virtio_device {
	/* For the DMA API: the transport's device (the PCI function), or
	 * &dma_direct for a device without ACCESS_PLATFORM behind an IOMMU. */
	struct device *dma_dev;
	struct device dma_direct;
	uint32_t device_id;		/* 1: network, 2: block */
	uint64_t features;		/* negotiated */
	const struct virtio_config_ops *config;
	bool irq_driven;		/* queue interrupts work */
	/* The transport delivers configuration-change notifications (sec.
	 * 2.3): it then calls config_changed, if the driver set it before
	 * DRIVER_OK, from the interrupt. Known once DRIVER_OK is set (PCI
	 * MSI-X takes a vector for it then). false: the driver must look
	 * for itself. */
	bool config_irq;
	void (*config_changed)(struct virtio_device *vdev);
	/* The transport's device is leaving (PCI hot-plug: pci_driver's
	 * remove, same contract): set by the device driver, or NULL (the
	 * transport just resets the device). */
	void (*remove)(struct virtio_device *vdev, bool surprise);
	void *priv;			/* the device driver's */
	void *transport;		/* the transport's */
	char name[24];
};

static inline bool virtio_has_feature(const struct virtio_device *vdev,
				      unsigned int bit)
{
	return vdev->features & (1ULL << bit);
}

/* For transports: the device says its configuration changed (a link went
 * down, or it set DEVICE_NEEDS_RESET, sec. 2.1.2). Interrupt context. */
static inline void virtio_config_changed(struct virtio_device *vdev)
{
	void (*fn)(struct virtio_device *) = vdev->config_changed;

	if (fn)
		fn(vdev);
}

/*
 * Negotiate: reset, ACKNOWLEDGE|DRIVER, accept driver_features & offered
 * (always VERSION_1 and ACCESS_PLATFORM if offered), FEATURES_OK.
 * 0, or -EIO (device marked FAILED) without VERSION_1. Without
 * ACCESS_PLATFORM, and with dma_dev behind an IOMMU (dma_ops set), the
 * device is given dma_direct for its DMA (header); its transport stays
 * attached to the IOMMU (its MSIs still go through it).
 */
int virtio_negotiate(struct virtio_device *vdev, uint64_t driver_features);

/* Register the PCI transport's driver (binds when PCI finds devices). */
void virtio_pci_init(void);

struct boot_info;
/* Probe the device tree's virtio,mmio transports (none without a tree). */
void virtio_mmio_init(const struct boot_info *bi);

/* Drivers of device types, probed by the transports. */
int virtio_blk_probe(struct virtio_device *vdev);
/*
 * virtio-blk's watchdog step: every disk with requests in flight of which
 * none finished for virtio_blk.io_timeout= seconds before `now`
 * (clock_ns) has its device asked whether it is still there (docs/
 * drivers/virtio-blk.md, "A device that gives up"). Called every second
 * by the timer of virtio_blk_kthread.c; any context.
 */
void virtio_blk_check_stalls(uint64_t now);
/* Start that timer (kernel only). */
void virtio_blk_watchdog_init(void);
/*
 * For the tests: start req, a flush (BLK_OP_FLUSH), on virtio disk bdev
 * as a chain with no status byte, one the device can only refuse (virtio
 * 1.2 sec. 5.2.6: a request ends in the byte the device writes). QEMU
 * answers it as a device that gave up does, with DEVICE_NEEDS_RESET and
 * a configuration-change interrupt: the way to break a real device on
 * purpose. 0 (req completes as any request does, -ENODEV once the
 * driver found the device gone), -EINVAL if bdev is not a virtio disk or
 * req not a flush, -ENODEV if the device is gone already, -EAGAIN if no
 * slot is free.
 */
struct block_device;
struct blk_request;
int virtio_blk_submit_malformed(struct block_device *bdev,
				struct blk_request *req);
int virtio_net_probe(struct virtio_device *vdev);

#endif
