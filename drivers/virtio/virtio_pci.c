/*
 * drivers/virtio/virtio_pci.c - the virtio 1.x modern PCI transport
 * (virtio v1.2 sec. 4.1): vendor capabilities point into BARs at the
 * common configuration, the notification area, the ISR status and the
 * device-specific configuration. Legacy (0.9.5) devices are not driven.
 *
 * Interrupts: MSI-X, else the wired INTx line through the ISR register
 * (shared lines: pci_request_intx), else polling. With MSI-X the function
 * gets as many vectors as its table has, up to one per queue and one for
 * configuration changes (virtio-net-pci: 4, virtio-blk-pci with -smp 2:
 * 3): queue i takes vector i modulo the queue vectors, so with fewer
 * vectors than queues some share one and its handler runs each of them;
 * the last vector is the configuration-change one, taken at DRIVER_OK if
 * the driver set vdev.config_changed. With a single vector the queues
 * share it and configuration changes are not interrupted for
 * (vdev.config_irq false: the driver looks for itself).
 */
#include "drivers/pci/pci.h"
#include "drivers/virtio/virtio.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"
#include <arch/irq.h>
#include <arch/mmio.h>

#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4

/* Common configuration offsets. */
#define VPC_DFSELECT	0
#define VPC_DF		4
#define VPC_GFSELECT	8
#define VPC_GF		12
#define VPC_MSIX	16
#define VPC_NUMQ	18
#define VPC_STATUS	20
#define VPC_GEN		21
#define VPC_Q_SELECT	22
#define VPC_Q_SIZE	24
#define VPC_Q_MSIX	26
#define VPC_Q_ENABLE	28
#define VPC_Q_NOFF	30
#define VPC_Q_DESC	32
#define VPC_Q_DRIVER	40
#define VPC_Q_DEVICE	48
#define VIRTIO_MSI_NO_VECTOR	0xffff

#define VP_MAX_QUEUES	4

struct virtio_pci;

/* One MSI-X vector: the queues it serves, or configuration changes. */
struct vp_vector {
	struct virtio_pci *vp;
	struct virtqueue *vqs[VP_MAX_QUEUES];
	unsigned int nr_vqs;		/* published after vqs[] is written */
	bool config;
	bool requested;			/* its handler is installed */
};

struct virtio_pci {
	struct virtio_device vdev;
	struct pci_dev *pdev;
	volatile uint8_t *common, *isr, *device;
	volatile uint8_t *notify_base;
	uint32_t notify_mult;
	unsigned int nvec;		/* MSI-X vectors enabled, 0: none */
	unsigned int nqvec;		/* of which serve queues */
	struct vp_vector vec[VP_MAX_QUEUES + 1];
	struct virtqueue *vqs[VP_MAX_QUEUES];
	unsigned int nr_vqs;
};

static struct virtio_pci *to_vp(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_pci, vdev);
}

static uint64_t vp_get_features(struct virtio_device *vdev)
{
	struct virtio_pci *vp = to_vp(vdev);
	uint64_t f;

	writel(0, vp->common + VPC_DFSELECT);
	f = readl(vp->common + VPC_DF);
	writel(1, vp->common + VPC_DFSELECT);
	return f | (uint64_t)readl(vp->common + VPC_DF) << 32;
}

static uint8_t vp_get_status(struct virtio_device *vdev)
{
	return readb(to_vp(vdev)->common + VPC_STATUS);
}

static int vp_request_vector(struct virtio_pci *vp, unsigned int idx);

/*
 * The configuration-change vector, for a driver that listens (set
 * config_changed before DRIVER_OK): taken only then, so a driver that
 * does not (virtio-blk) spends no interrupt on it, and after the queues'
 * vectors, so theirs are spread over the CPUs as before.
 */
static void vp_setup_config_vector(struct virtio_pci *vp)
{
	unsigned int cfg = vp->nvec - 1;

	if (vp->nvec < 2 || !vp->vdev.config_changed || vp->vec[cfg].requested)
		return;
	vp->vec[cfg].config = true;
	if (vp_request_vector(vp, cfg))
		return;
	writew((uint16_t)cfg, vp->common + VPC_MSIX);
	vp->vdev.config_irq = readw(vp->common + VPC_MSIX) == cfg;
}

static void vp_set_status(struct virtio_device *vdev, uint8_t s)
{
	if (s & VIRTIO_STATUS_DRIVER_OK)
		vp_setup_config_vector(to_vp(vdev));
	writeb(s, to_vp(vdev)->common + VPC_STATUS);
}

static int vp_finalize(struct virtio_device *vdev, uint64_t f)
{
	struct virtio_pci *vp = to_vp(vdev);

	writel(0, vp->common + VPC_GFSELECT);
	writel((uint32_t)f, vp->common + VPC_GF);
	writel(1, vp->common + VPC_GFSELECT);
	writel((uint32_t)(f >> 32), vp->common + VPC_GF);
	vp_set_status(vdev, vp_get_status(vdev) | VIRTIO_STATUS_FEATURES_OK);
	return (vp_get_status(vdev) & VIRTIO_STATUS_FEATURES_OK) ? 0 : -EIO;
}

static void vp_reset(struct virtio_device *vdev)
{
	vp_set_status(vdev, 0);
	while (vp_get_status(vdev))	/* 4.1.4.3.2: wait for 0 */
		;
}

static uint64_t vp_read_config(struct virtio_device *vdev, unsigned int off,
			       unsigned int len)
{
	struct virtio_pci *vp = to_vp(vdev);
	uint8_t gen;
	uint64_t v;

	do {
		gen = readb(vp->common + VPC_GEN);
		v = virtio_cread(vp->device + off, len);
	} while (gen != readb(vp->common + VPC_GEN));
	return v;
}

static void vp_notify(struct virtqueue *vq)
{
	writew((uint16_t)vq->index, vq->notify);
}

static void vp_vector_interrupt(void *arg)
{
	struct vp_vector *v = arg;
	unsigned int n = __atomic_load_n(&v->nr_vqs, __ATOMIC_ACQUIRE);

	if (v->config)
		virtio_config_changed(&v->vp->vdev);
	for (unsigned int i = 0; i < n; i++)
		vring_interrupt(v->vqs[i]);
}

static void vp_intx_interrupt(void *arg)
{
	struct virtio_pci *vp = arg;
	uint8_t isr = readb(vp->isr);	/* reading acknowledges */

	if (isr & 2)			/* configuration change */
		virtio_config_changed(&vp->vdev);
	if (!(isr & 1))
		return;
	for (unsigned int i = 0; i < vp->nr_vqs; i++)
		vring_interrupt(vp->vqs[i]);
}

/* Install vector idx's handler once. 0, or -1 if it cannot be. */
static int vp_request_vector(struct virtio_pci *vp, unsigned int idx)
{
	struct vp_vector *v = &vp->vec[idx];

	if (v->requested)
		return 0;
	v->vp = vp;
	if (pci_msix_vector(vp->pdev, idx, vp_vector_interrupt, v,
			    v->config ? MSI_RARE : 0))
		return -1;
	v->requested = true;
	return 0;
}

static struct virtqueue *vp_setup_vq(struct virtio_device *vdev,
				     unsigned int index, unsigned int max,
				     void (*callback)(struct virtqueue *vq))
{
	struct virtio_pci *vp = to_vp(vdev);
	struct virtqueue *vq;
	unsigned int num;

	if (index >= VP_MAX_QUEUES)
		return NULL;
	writew((uint16_t)index, vp->common + VPC_Q_SELECT);
	vq = vring_create_virtqueue(vdev, index, readw(vp->common + VPC_Q_SIZE),
				    max, callback);
	if (!vq)
		return NULL;
	num = vq->num;
	vq->notify = vp->notify_base +
		     readw(vp->common + VPC_Q_NOFF) * vp->notify_mult;
	writew((uint16_t)num, vp->common + VPC_Q_SIZE);
	writeq(vq->ring_dma, vp->common + VPC_Q_DESC);
	writeq(vq->ring_dma + vring_avail_offset(num), vp->common + VPC_Q_DRIVER);
	writeq(vq->ring_dma + vring_used_offset(num), vp->common + VPC_Q_DEVICE);
	if (vp->nvec) {
		unsigned int vec = index % vp->nqvec;
		struct vp_vector *v = &vp->vec[vec];

		/* On the vector's list before the device can raise it. */
		v->vqs[v->nr_vqs] = vq;
		__atomic_store_n(&v->nr_vqs, v->nr_vqs + 1, __ATOMIC_RELEASE);
		if (vp_request_vector(vp, vec) == 0) {
			writew((uint16_t)vec, vp->common + VPC_Q_MSIX);
			if (readw(vp->common + VPC_Q_MSIX) == vec)
				vdev->irq_driven = true;
		}
	}
	writew(1, vp->common + VPC_Q_ENABLE);
	vp->vqs[vp->nr_vqs++] = vq;
	return vq;
}

static const struct virtio_config_ops vp_ops = {
	.get_features = vp_get_features,
	.finalize_features = vp_finalize,
	.get_status = vp_get_status,
	.set_status = vp_set_status,
	.reset = vp_reset,
	.read_config = vp_read_config,
	.setup_vq = vp_setup_vq,
	.notify = vp_notify,
};

static volatile uint8_t *map_cap(struct pci_dev *pdev, unsigned int cap,
				 uint32_t min_len)
{
	uint8_t bar = pci_read_config8(pdev, cap + 4);
	uint32_t off = pci_read_config32(pdev, cap + 8);
	uint32_t len = pci_read_config32(pdev, cap + 12);

	if (len < min_len)
		return NULL;
	return pci_iomap(pdev, bar, off, len);
}

static int virtio_pci_probe(struct pci_dev *pdev)
{
	struct virtio_pci *vp;
	unsigned int cap;

	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;
	vp->pdev = pdev;
	for (cap = pci_find_capability(pdev, PCI_CAP_ID_VNDR); cap;
	     cap = pci_find_next_capability(pdev, cap, PCI_CAP_ID_VNDR)) {
		uint8_t type = pci_read_config8(pdev, cap + 3);

		if (type == VIRTIO_PCI_CAP_COMMON_CFG && !vp->common)
			vp->common = map_cap(pdev, cap, 56);
		else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG && !vp->notify_base) {
			vp->notify_base = map_cap(pdev, cap, 2);
			vp->notify_mult = pci_read_config32(pdev, cap + 16);
		} else if (type == VIRTIO_PCI_CAP_ISR_CFG && !vp->isr)
			vp->isr = map_cap(pdev, cap, 1);
		else if (type == VIRTIO_PCI_CAP_DEVICE_CFG && !vp->device)
			vp->device = map_cap(pdev, cap, 1);
	}
	if (!vp->common || !vp->notify_base || !vp->isr) {
		pr_err("virtio-pci %s: no modern virtio capabilities (legacy "
		       "device? use disable-legacy=on)\n", pdev->name);
		kfree(vp);
		return -EIO;
	}
	pci_enable_device(pdev);
	vp->vdev.dma_dev = &pdev->dev;
	vp->vdev.device_id = pdev->device - 0x1040;
	vp->vdev.config = &vp_ops;
	vp->vdev.transport = vp;
	ksnprintf(vp->vdev.name, sizeof(vp->vdev.name), "virtio@%s", pdev->name);
	/* As many vectors as the table has, up to a queue each and one for
	 * configuration changes (pci_msix_enable refuses more than that). */
	for (unsigned int n = VP_MAX_QUEUES + 1; n && !vp->nvec; n--)
		if (pci_msix_enable(pdev, n) > 0)
			vp->nvec = n;
	if (vp->nvec) {
		/* The last vector is kept for configuration changes
		 * (vp_setup_config_vector, at DRIVER_OK). */
		vp->nqvec = vp->nvec > 1 ? vp->nvec - 1 : 1;
		writew(VIRTIO_MSI_NO_VECTOR, vp->common + VPC_MSIX);
	} else if (pci_request_intx(pdev, vp_intx_interrupt, vp) == 0) {
		vp->vdev.irq_driven = true;
		vp->vdev.config_irq = true;
	}
	pdev->driver_data = vp;
	if (vp->vdev.device_id == 1)
		return virtio_net_probe(&vp->vdev);
	if (vp->vdev.device_id == 2)
		return virtio_blk_probe(&vp->vdev);
	return -EIO;
}

/* Hot-plug (drivers/pci/pciehp.h): the device driver lets go; without
 * one that can, an announced removal still resets the device, so it
 * stops touching memory before it goes. */
static void virtio_pci_remove(struct pci_dev *pdev, bool surprise)
{
	struct virtio_pci *vp = pdev->driver_data;

	if (vp->vdev.remove)
		vp->vdev.remove(&vp->vdev, surprise);
	else if (!surprise)
		vp_ops.reset(&vp->vdev);
}

static const struct pci_device_id virtio_pci_ids[] = {
	{ .vendor = 0x1af4, .device = 0x1041 },	/* network */
	{ .vendor = 0x1af4, .device = 0x1042 },	/* block */
	{ 0 },
};

static struct pci_driver virtio_pci_driver = {
	.name = "virtio-pci",
	.id_table = virtio_pci_ids,
	.probe = virtio_pci_probe,
	.remove = virtio_pci_remove,
};

void virtio_pci_init(void)
{
	pci_register_driver(&virtio_pci_driver);
}
