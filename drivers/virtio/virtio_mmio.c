/*
 * drivers/virtio/virtio_mmio.c - the virtio-mmio transport (virtio v1.2
 * sec. 4.2): one 0x200-byte register block per device, found through the
 * device tree's `virtio,mmio` nodes (QEMU's arm64 virt has 32, most of
 * them empty: DeviceID 0). Only version 2 ("modern") register blocks are
 * driven; QEMU virt offers legacy (version 1) ones unless started with
 * `-global virtio-mmio.force-legacy=false`.
 *
 * Queues come from the same split-ring code as virtio_pci.c
 * (vring_create_virtqueue). One wired interrupt (the node's SPI) serves
 * the whole device: InterruptStatus says why (a used buffer, or a
 * configuration change: vdev.config_changed), InterruptACK clears it.
 * DMA goes through the DMA API on the transport's own struct device
 * (direct: QEMU's SMMU sits in front of PCI only).
 */
#include "boot/boot_info.h"
#include "drivers/fdt/fdt.h"
#include "drivers/virtio/virtio_mmio.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"
#include <arch/irq.h>
#include <arch/mmio.h>

#define VM_MAX_NODES	64

static struct virtio_mmio *to_vm(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_mmio, vdev);
}

static uint32_t vm_read(struct virtio_mmio *vm, unsigned int reg)
{
	return readl(vm->base + reg);
}

static void vm_write(struct virtio_mmio *vm, unsigned int reg, uint32_t v)
{
	writel(v, vm->base + reg);
}

static uint64_t vm_get_features(struct virtio_device *vdev)
{
	struct virtio_mmio *vm = to_vm(vdev);
	uint64_t f;

	vm_write(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	f = (uint64_t)vm_read(vm, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	vm_write(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	return f | vm_read(vm, VIRTIO_MMIO_DEVICE_FEATURES);
}

static uint8_t vm_get_status(struct virtio_device *vdev)
{
	return (uint8_t)vm_read(to_vm(vdev), VIRTIO_MMIO_STATUS);
}

static void vm_set_status(struct virtio_device *vdev, uint8_t s)
{
	vm_write(to_vm(vdev), VIRTIO_MMIO_STATUS, s);
}

static int vm_finalize(struct virtio_device *vdev, uint64_t f)
{
	struct virtio_mmio *vm = to_vm(vdev);

	vm_write(vm, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	vm_write(vm, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(f >> 32));
	vm_write(vm, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	vm_write(vm, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)f);
	vm_set_status(vdev, vm_get_status(vdev) | VIRTIO_STATUS_FEATURES_OK);
	return (vm_get_status(vdev) & VIRTIO_STATUS_FEATURES_OK) ? 0 : -EIO;
}

static void vm_reset(struct virtio_device *vdev)
{
	vm_set_status(vdev, 0);
	while (vm_get_status(vdev))	/* 4.2.3.1: reads 0 once reset */
		;
}

static uint64_t vm_read_config(struct virtio_device *vdev, unsigned int off,
			       unsigned int len)
{
	struct virtio_mmio *vm = to_vm(vdev);
	uint32_t gen;
	uint64_t v;

	do {
		gen = vm_read(vm, VIRTIO_MMIO_CONFIG_GENERATION);
		v = virtio_cread(vm->base + VIRTIO_MMIO_CONFIG + off, len);
	} while (gen != vm_read(vm, VIRTIO_MMIO_CONFIG_GENERATION));
	return v;
}

static void vm_notify(struct virtqueue *vq)
{
	writel(vq->index, vq->notify);
}

static void vm_write64(struct virtio_mmio *vm, unsigned int low, uint64_t v)
{
	vm_write(vm, low, (uint32_t)v);
	vm_write(vm, low + 4, (uint32_t)(v >> 32));
}

static struct virtqueue *vm_setup_vq(struct virtio_device *vdev,
				     unsigned int index, unsigned int max,
				     void (*callback)(struct virtqueue *vq))
{
	struct virtio_mmio *vm = to_vm(vdev);
	struct virtqueue *vq;

	if (index >= VM_MAX_QUEUES)
		return NULL;
	vm_write(vm, VIRTIO_MMIO_QUEUE_SEL, index);
	if (vm_read(vm, VIRTIO_MMIO_QUEUE_READY))	/* in use already */
		return NULL;
	vq = vring_create_virtqueue(vdev, index,
				    vm_read(vm, VIRTIO_MMIO_QUEUE_NUM_MAX),
				    max, callback);
	if (!vq)
		return NULL;
	vq->notify = vm->base + VIRTIO_MMIO_QUEUE_NOTIFY;
	vm_write(vm, VIRTIO_MMIO_QUEUE_NUM, vq->num);
	vm_write64(vm, VIRTIO_MMIO_QUEUE_DESC_LOW, vq->ring_dma);
	vm_write64(vm, VIRTIO_MMIO_QUEUE_DRIVER_LOW,
		   vq->ring_dma + vring_avail_offset(vq->num));
	vm_write64(vm, VIRTIO_MMIO_QUEUE_DEVICE_LOW,
		   vq->ring_dma + vring_used_offset(vq->num));
	vm->vqs[vm->nr_vqs++] = vq;	/* before the interrupt can see it */
	vm_write(vm, VIRTIO_MMIO_QUEUE_READY, 1);
	return vq;
}

static const struct virtio_config_ops vm_ops = {
	.get_features = vm_get_features,
	.finalize_features = vm_finalize,
	.get_status = vm_get_status,
	.set_status = vm_set_status,
	.reset = vm_reset,
	.read_config = vm_read_config,
	.setup_vq = vm_setup_vq,
	.notify = vm_notify,
};

int virtio_mmio_identify(const volatile uint8_t *base, char *why, size_t len)
{
	uint32_t magic = readl(base + VIRTIO_MMIO_MAGIC_VALUE);
	uint32_t version = readl(base + VIRTIO_MMIO_VERSION);
	uint32_t id = readl(base + VIRTIO_MMIO_DEVICE_ID);

	if (magic != VIRTIO_MMIO_MAGIC) {
		if (why)
			ksnprintf(why, len, "bad magic value 0x%x", magic);
		return -EIO;
	}
	if (!id)
		return 0;
	if (version != 2) {
		if (why)
			ksnprintf(why, len, "%s (version %u) device ID %u not "
				  "driven%s", version == 1 ? "legacy" : "unknown",
				  version, id, version == 1 ?
				  "; QEMU: -global virtio-mmio.force-legacy=false" : "");
		return -EIO;
	}
	return (int)id;
}

void virtio_mmio_setup(struct virtio_mmio *vm, volatile uint8_t *base,
		       uint64_t phys, uint32_t device_id)
{
	vm->base = base;
	vm->phys = phys;
	ksnprintf(vm->vdev.name, sizeof(vm->vdev.name), "virtio@%llx",
		  (unsigned long long)phys);
	dma_device_init(&vm->dev, vm->vdev.name);
	vm->vdev.dma_dev = &vm->dev;
	vm->vdev.device_id = device_id;
	vm->vdev.config = &vm_ops;
	vm->vdev.transport = vm;
}

void virtio_mmio_interrupt(void *arg)
{
	struct virtio_mmio *vm = arg;
	uint32_t why = vm_read(vm, VIRTIO_MMIO_INTERRUPT_STATUS);

	if (!why)
		return;
	/* Acknowledge first: a completion after this raises the line again,
	 * and one before it is in the used ring the callbacks read. */
	vm_write(vm, VIRTIO_MMIO_INTERRUPT_ACK, why);
	if (why & VIRTIO_MMIO_INT_CONFIG)
		virtio_config_changed(&vm->vdev);
	if (why & VIRTIO_MMIO_INT_VRING)
		for (unsigned int i = 0; i < vm->nr_vqs; i++)
			vring_interrupt(vm->vqs[i]);
}

/* The node's interrupt, edge-triggered if the tree says so (QEMU virt:
 * rising edge). true if the device can interrupt us. */
static bool vm_request_irq(struct virtio_mmio *vm, const struct fdt *f,
			   int node)
{
	struct fdt_irq irq;

	if (fdt_get_irq(f, node, 0, &irq, NULL, 0) < 0)
		return false;
	/* GIC binding: cells[2] bits 0-3 are the trigger; 1, 2 are edges. */
	if (irq.nr_cells >= 3 && (irq.cells[2] & 3) &&
	    arch_irq_set_edge(irq.intid) < 0)
		return false;
	return arch_irq_request(irq.intid, virtio_mmio_interrupt, vm) == 0;
}

/* 1 if a driver took the device, 0 for an empty slot, else -errno. */
static int vm_probe(const struct fdt *f, int node, uint64_t phys,
		    volatile uint8_t *base)
{
	struct virtio_mmio *vm;
	char why[96];
	int id = virtio_mmio_identify(base, why, sizeof(why));

	if (id <= 0) {
		if (id < 0)
			pr_err("virtio-mmio@%llx: %s\n", (unsigned long long)phys, why);
		return id;
	}
	if (id != 1 && id != 2) {
		pr_info("virtio-mmio@%llx: device ID %d: no driver\n",
			(unsigned long long)phys, id);
		return -EIO;
	}
	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return -ENOMEM;
	virtio_mmio_setup(vm, base, phys, (uint32_t)id);
	vm->vdev.irq_driven = vm_request_irq(vm, f, node);
	/* One line says both why's (InterruptStatus). */
	vm->vdev.config_irq = vm->vdev.irq_driven;
	if (id == 1)
		return virtio_net_probe(&vm->vdev) == 0 ? 1 : -EIO;
	return virtio_blk_probe(&vm->vdev) == 0 ? 1 : -EIO;
}

struct vm_node {
	uint64_t phys;
	int node;
};

static int vm_node_cmp_desc(const void *a, const void *b)
{
	uint64_t x = ((const struct vm_node *)a)->phys;
	uint64_t y = ((const struct vm_node *)b)->phys;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * Probe order: highest address first. QEMU virt gives the first -device
 * on its command line the highest transport, so vda is the first disk.
 */
void virtio_mmio_init(const struct boot_info *bi)
{
	static struct vm_node nodes[VM_MAX_NODES];
	const struct fdt *dt = fdt_boot_tree(bi);
	unsigned int n = 0, found = 0;
	volatile uint8_t *page = NULL;
	uint64_t page_phys = 0;
	struct fdt_reg reg;

	if (!dt)
		return;
	for (int node = fdt_node_by_compatible(dt, -1, "virtio,mmio");
	     node >= 0 && n < VM_MAX_NODES;
	     node = fdt_node_by_compatible(dt, node, "virtio,mmio")) {
		if (!fdt_node_is_enabled(dt, node) ||
		    fdt_get_reg_phys(dt, node, 0, &reg, NULL, 0) < 0 ||
		    reg.size < VIRTIO_MMIO_CONFIG)
			continue;
		nodes[n].phys = reg.base;
		nodes[n++].node = node;
	}
	if (!n)
		return;
	sort(nodes, n, sizeof(nodes[0]), vm_node_cmp_desc);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t phys = nodes[i].phys;

		/* Blocks share pages (QEMU: 0x200 apart): map each page once. */
		if (!page || ALIGN_DOWN(phys, 0x1000) != page_phys) {
			page_phys = ALIGN_DOWN(phys, 0x1000);
			page = ioremap(page_phys, 0x1000);
			if (!page)
				break;
		}
		if (vm_probe(dt, nodes[i].node, phys,
			     page + (phys - page_phys)) > 0)
			found++;
	}
	pr_info("virtio-mmio: %u transports, %u devices driven\n", n, found);
}
