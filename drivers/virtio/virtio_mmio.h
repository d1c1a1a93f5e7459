/*
 * drivers/virtio/virtio_mmio.h - the virtio-mmio transport (virtio v1.2
 * sec. 4.2), version 2 ("modern") register layout only. Exposed for the
 * host test (tests/suites/virtio_mmio_test.c), which drives it over a
 * register block in ordinary memory.
 */
#ifndef DRIVERS_VIRTIO_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_VIRTIO_MMIO_H

#include "drivers/virtio/virtio.h"

/* Register offsets (sec. 4.2.2); all 32 bits wide. */
#define VIRTIO_MMIO_MAGIC_VALUE		0x000	/* "virt" */
#define VIRTIO_MMIO_VERSION		0x004	/* 2; 1 is legacy */
#define VIRTIO_MMIO_DEVICE_ID		0x008	/* 0: nothing here */
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL	0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL	0x024
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW	0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW	0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc
#define VIRTIO_MMIO_CONFIG		0x100

#define VIRTIO_MMIO_MAGIC		0x74726976	/* 'v' 'i' 'r' 't' */
#define VIRTIO_MMIO_INT_VRING		1	/* a used buffer */
#define VIRTIO_MMIO_INT_CONFIG		2	/* configuration changed */

#define VM_MAX_QUEUES	4

struct virtio_mmio {
	struct virtio_device vdev;
	struct device dev;		/* the DMA API's view (direct) */
	volatile uint8_t *base;
	uint64_t phys;
	struct virtqueue *vqs[VM_MAX_QUEUES];
	unsigned int nr_vqs;
};

/*
 * What sits at the registers at base: its device ID (> 0) if it is a
 * version 2 device; 0 for an empty slot; -EIO with the reason in why
 * (may be NULL) for a bad magic value or a legacy/unknown version.
 */
int virtio_mmio_identify(const volatile uint8_t *base, char *why,
			 size_t len);

/* Make vm (zeroed) a virtio device for the identified registers at base:
 * config ops, DMA device, name. Interrupts are the caller's. */
void virtio_mmio_setup(struct virtio_mmio *vm, volatile uint8_t *base,
		       uint64_t phys, uint32_t device_id);

/* The wired interrupt: acknowledge what InterruptStatus says and run the
 * queues' callbacks on a used-buffer notification. arg: the virtio_mmio. */
void virtio_mmio_interrupt(void *arg);

#endif
