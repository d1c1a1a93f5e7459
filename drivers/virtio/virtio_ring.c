/*
 * drivers/virtio/virtio_ring.c - split virtqueues (contract: virtio.h;
 * virtio v1.2 sec. 2.7). No EVENT_IDX, no indirect descriptors: a chain
 * takes one descriptor per buffer.
 */
#include "drivers/virtio/virtio.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"

/* The device sees memory through DMA: order our stores/loads with it. */
#define virtio_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)

void vring_init(struct virtqueue *vq, unsigned int num, void *ring,
		dma_addr_t ring_dma, void **tokens)
{
	vq->num = num;
	vq->ring_mem = ring;
	vq->ring_dma = ring_dma;
	vq->desc = ring;
	vq->avail = (struct vring_avail *)((char *)ring + vring_avail_offset(num));
	vq->used = (struct vring_used *)((char *)ring + vring_used_offset(num));
	vq->tokens = tokens;
	memset(ring, 0, vring_size(num));
	memset(tokens, 0, num * sizeof(*tokens));
	for (unsigned int i = 0; i < num; i++)
		vq->desc[i].next = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->num_free = num;
	vq->avail_idx = 0;
	vq->last_used = 0;
	spin_lock_init(&vq->lock, "virtqueue");
}

int virtqueue_add(struct virtqueue *vq, const struct vq_buf *bufs,
		  unsigned int n, void *token)
{
	uint16_t head = vq->free_head, i = head, prev = head;

	if (!n || n > vq->num_free || !token)
		return -ENOSPC;
	for (unsigned int k = 0; k < n; k++) {
		struct vring_desc *d = &vq->desc[i];

		d->addr = bufs[k].addr;
		d->len = bufs[k].len;
		d->flags = (bufs[k].device_writes ? VRING_DESC_F_WRITE : 0) |
			   (k + 1 < n ? VRING_DESC_F_NEXT : 0);
		prev = i;
		i = d->next;
	}
	(void)prev;
	vq->free_head = i;
	vq->num_free -= n;
	vq->tokens[head] = token;
	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = head;
	vq->avail_idx++;
	return 0;
}

bool virtqueue_kick_prepare(struct virtqueue *vq)
{
	virtio_mb();			/* ring entries before the index */
	WRITE_ONCE(vq->avail->idx, vq->avail_idx);
	virtio_mb();			/* index before reading used->flags */
	return !(READ_ONCE(vq->used->flags) & 1);	/* VRING_USED_F_NO_NOTIFY */
}

void virtqueue_kick(struct virtqueue *vq)
{
	if (virtqueue_kick_prepare(vq) && vq->vdev && vq->vdev->config->notify) {
		vq->vdev->config->notify(vq);
		vq->nr_kicks++;
	}
}

bool virtqueue_more_used(const struct virtqueue *vq)
{
	return READ_ONCE(vq->used->idx) != vq->last_used;
}

void *virtqueue_get_buf(struct virtqueue *vq, uint32_t *len)
{
	struct vring_used_elem e;
	void *token;
	uint16_t i;

	if (!virtqueue_more_used(vq))
		return NULL;
	virtio_mb();			/* the index before the entry */
	e = vq->used->ring[vq->last_used & (vq->num - 1)];
	vq->last_used++;
	if (e.id >= vq->num || !vq->tokens[e.id])
		return NULL;		/* a broken device: ignore the entry */
	token = vq->tokens[e.id];
	vq->tokens[e.id] = NULL;
	if (len)
		*len = e.len;
	/* Put the chain back on the free list. */
	i = (uint16_t)e.id;
	vq->num_free++;
	while (vq->desc[i].flags & VRING_DESC_F_NEXT) {
		i = vq->desc[i].next;
		vq->num_free++;
	}
	vq->desc[i].next = vq->free_head;
	vq->free_head = (uint16_t)e.id;
	return token;
}

int virtio_negotiate(struct virtio_device *vdev, uint64_t driver_features)
{
	const struct virtio_config_ops *c = vdev->config;
	uint64_t offered, want;

	c->reset(vdev);
	c->set_status(vdev, VIRTIO_STATUS_ACKNOWLEDGE);
	c->set_status(vdev, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	offered = c->get_features(vdev);
	if (!(offered & (1ULL << VIRTIO_F_VERSION_1))) {
		c->set_status(vdev, VIRTIO_STATUS_FAILED);
		return -EIO;
	}
	want = driver_features | (1ULL << VIRTIO_F_VERSION_1) |
	       (1ULL << VIRTIO_F_ACCESS_PLATFORM);
	vdev->features = offered & want;
	if (c->finalize_features(vdev, vdev->features)) {
		c->set_status(vdev, VIRTIO_STATUS_FAILED);
		return -EIO;
	}
	/* No ACCESS_PLATFORM: the device reads and writes guest physical
	 * addresses, untranslated, even behind an IOMMU. IOVAs would send
	 * its DMA to whatever RAM has those physical addresses. */
	if (!virtio_has_feature(vdev, VIRTIO_F_ACCESS_PLATFORM) &&
	    vdev->dma_dev && vdev->dma_dev->dma_ops) {
		dma_device_init(&vdev->dma_direct, vdev->name);
		vdev->dma_dev = &vdev->dma_direct;
		pr_info("virtio %s: no ACCESS_PLATFORM: the device uses physical "
			"addresses, not the IOMMU's\n", vdev->name);
	}
	return 0;
}

struct virtqueue *vring_create_virtqueue(struct virtio_device *vdev,
					 unsigned int index,
					 unsigned int dev_max, unsigned int max,
					 void (*callback)(struct virtqueue *vq))
{
	unsigned int num = 1;
	struct virtqueue *vq;
	void **tokens;
	dma_addr_t dma;
	void *ring;

	if (!dev_max || !max)
		return NULL;
	while (num * 2 <= dev_max && num * 2 <= max)
		num *= 2;
	vq = kzalloc(sizeof(*vq), GFP_KERNEL);
	tokens = kzalloc(num * sizeof(void *), GFP_KERNEL);
	ring = dma_alloc_coherent(vdev->dma_dev, vring_size(num), &dma, GFP_KERNEL);
	if (!vq || !tokens || !ring) {
		if (ring)
			dma_free_coherent(vdev->dma_dev, vring_size(num), ring, dma);
		kfree(tokens);
		kfree(vq);
		return NULL;
	}
	vring_init(vq, num, ring, dma, tokens);
	vq->vdev = vdev;
	vq->index = index;
	vq->callback = callback;
	return vq;
}

void vring_interrupt(struct virtqueue *vq)
{
	vq->nr_irqs++;
	if (vq->callback)
		vq->callback(vq);
}
