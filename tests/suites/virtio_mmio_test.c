/*
 * tests/suites/virtio_mmio_test.c - the virtio-mmio transport against a
 * register block in ordinary memory (host and kernel alike): what
 * identifies a device, feature negotiation through the 32-bit feature
 * windows, the kick, and the interrupt's acknowledge. The fake block has
 * one cell per register, so a "Sel" register does not switch what the
 * window shows: both halves of the features read the same word, and the
 * last half written stays.
 */
#include "drivers/virtio/virtio_mmio.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"

#define REG(r)	(regs[(r) / 4])

static uint32_t regs[0x200 / 4];
static struct virtio_mmio vm;
static unsigned int callbacks;

static void fake_device(uint32_t version, uint32_t id)
{
	memset(regs, 0, sizeof(regs));
	memset(&vm, 0, sizeof(vm));
	REG(VIRTIO_MMIO_MAGIC_VALUE) = VIRTIO_MMIO_MAGIC;
	REG(VIRTIO_MMIO_VERSION) = version;
	REG(VIRTIO_MMIO_DEVICE_ID) = id;
	virtio_mmio_setup(&vm, (volatile uint8_t *)regs, 0xa003e00, id);
}

static void identify_skips_empty_and_legacy(struct kunit *test)
{
	char why[96];

	fake_device(2, 2);
	KUNIT_EXPECT_EQ(test, virtio_mmio_identify((uint8_t *)regs, why, sizeof(why)), 2);
	fake_device(2, 0);			/* an empty slot */
	KUNIT_EXPECT_EQ(test, virtio_mmio_identify((uint8_t *)regs, why, sizeof(why)), 0);
	fake_device(1, 0);			/* legacy and empty: still empty */
	KUNIT_EXPECT_EQ(test, virtio_mmio_identify((uint8_t *)regs, why, sizeof(why)), 0);
	fake_device(1, 2);
	KUNIT_EXPECT_EQ(test, virtio_mmio_identify((uint8_t *)regs, why, sizeof(why)), -EIO);
	KUNIT_EXPECT_TRUE(test, glob_match("legacy (version 1) device ID 2 *", why));
	KUNIT_EXPECT_TRUE(test, glob_match("*force-legacy=false", why));
	fake_device(2, 2);
	REG(VIRTIO_MMIO_MAGIC_VALUE) = 0x12345678;
	KUNIT_EXPECT_EQ(test, virtio_mmio_identify((uint8_t *)regs, NULL, 0), -EIO);
}

static void negotiation_keeps_version_1_and_access_platform(struct kunit *test)
{
	/* Offered: bits 0, 1, 9 and (the same word high) 32, 33, 41. */
	fake_device(2, 2);
	REG(VIRTIO_MMIO_DEVICE_FEATURES) = 0x203;
	KUNIT_EXPECT_EQ(test, virtio_negotiate(&vm.vdev, 1ULL << 9), 0);
	KUNIT_EXPECT_EQ(test, vm.vdev.features, 0x300000200ULL);
	/* High half written first, low half last (selector back at 0). */
	KUNIT_EXPECT_EQ(test, REG(VIRTIO_MMIO_DRIVER_FEATURES), 0x200U);
	KUNIT_EXPECT_EQ(test, REG(VIRTIO_MMIO_DRIVER_FEATURES_SEL), 0U);
	KUNIT_EXPECT_EQ(test, REG(VIRTIO_MMIO_STATUS),
			(uint32_t)(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
				   VIRTIO_STATUS_FEATURES_OK));
}

static void negotiation_fails_without_version_1(struct kunit *test)
{
	fake_device(2, 2);
	REG(VIRTIO_MMIO_DEVICE_FEATURES) = 0x200;	/* no bit 32 */
	KUNIT_EXPECT_EQ(test, virtio_negotiate(&vm.vdev, 1ULL << 9), -EIO);
	KUNIT_EXPECT_EQ(test, REG(VIRTIO_MMIO_STATUS), (uint32_t)VIRTIO_STATUS_FAILED);
}

/*
 * A device that does not offer ACCESS_PLATFORM uses guest physical
 * addresses even behind an IOMMU (QEMU's iommu_platform=off): its DMA
 * must go through the direct-mapping device, not the IOMMU's. The fake
 * word is both halves, so 0x1 offers bits 0 and 32 (VERSION_1 alone) and
 * 0x3 adds 1 and 33 (ACCESS_PLATFORM).
 */
/* A fresh device offering the fake word features, its transport's DMA
 * through ops (NULL: no IOMMU), negotiated; returns the transport's
 * device. */
static struct device *negotiated(struct kunit *test, uint32_t features,
				 const struct dma_map_ops *ops)
{
	struct device *own;

	fake_device(2, 2);
	own = vm.vdev.dma_dev;
	own->dma_ops = ops;
	REG(VIRTIO_MMIO_DEVICE_FEATURES) = features;
	KUNIT_EXPECT_EQ(test, virtio_negotiate(&vm.vdev, 0), 0);
	return own;
}

static void no_access_platform_behind_an_iommu_maps_directly(struct kunit *test)
{
	static const struct dma_map_ops iommu_like = { .name = "iommu-like" };
	struct device *own = negotiated(test, 0x1, &iommu_like);

	KUNIT_EXPECT_FALSE(test, virtio_has_feature(&vm.vdev, VIRTIO_F_ACCESS_PLATFORM));
	KUNIT_EXPECT_PTR_EQ(test, vm.vdev.dma_dev, &vm.vdev.dma_direct);
	KUNIT_EXPECT_NULL(test, vm.vdev.dma_dev->dma_ops);
	KUNIT_EXPECT_PTR_EQ(test, own->dma_ops, &iommu_like);	/* the transport's: kept */

	/* Offered: the device's DMA goes through the IOMMU, as before. */
	own = negotiated(test, 0x3, &iommu_like);
	KUNIT_EXPECT_TRUE(test, virtio_has_feature(&vm.vdev, VIRTIO_F_ACCESS_PLATFORM));
	KUNIT_EXPECT_PTR_EQ(test, vm.vdev.dma_dev, own);

	/* No IOMMU: the transport's own device stays (its bus window too). */
	own = negotiated(test, 0x1, NULL);
	KUNIT_EXPECT_PTR_EQ(test, vm.vdev.dma_dev, own);
}

static void count_callback(struct virtqueue *vq)
{
	(void)vq;
	callbacks++;
}

static unsigned int config_changes;

static void count_config_change(struct virtio_device *vdev)
{
	(void)vdev;
	config_changes++;
}

/*
 * Queue set-up itself allocates (kzalloc, dma_alloc_coherent) and is
 * exercised by the arm64-virt-virtio-mmio-blk boot; here a queue on plain
 * memory stands in for it, as in virtio_ring_test.c.
 */
static void kick_and_interrupt(struct kunit *test)
{
	static uint8_t ring[4096] __aligned(16);
	static void *tokens[8];
	static struct virtqueue vq;

	fake_device(2, 2);
	vring_init(&vq, 8, ring, 0x1000, tokens);
	vq.vdev = &vm.vdev;
	vq.index = 1;
	vq.callback = count_callback;
	vq.notify = (uint8_t *)regs + VIRTIO_MMIO_QUEUE_NOTIFY;
	vm.vqs[vm.nr_vqs++] = &vq;
	/* A kick writes the queue's index to QueueNotify. */
	virtqueue_kick(&vq);
	KUNIT_EXPECT_EQ(test, REG(VIRTIO_MMIO_QUEUE_NOTIFY), 1U);

	/* The interrupt: acknowledge what is pending, callbacks on VRING. */
	callbacks = 0;
	virtio_mmio_interrupt(&vm);		/* nothing pending: not ours */
	KUNIT_EXPECT_EQ(test, REG(VIRTIO_MMIO_INTERRUPT_ACK), 0U);
	REG(VIRTIO_MMIO_INTERRUPT_STATUS) = VIRTIO_MMIO_INT_CONFIG;
	virtio_mmio_interrupt(&vm);		/* no driver listening: fine */
	KUNIT_EXPECT_EQ(test, REG(VIRTIO_MMIO_INTERRUPT_ACK), 2U);
	KUNIT_EXPECT_EQ(test, callbacks, 0U);
	/* A configuration change reaches the driver that listens (a NIC's
	 * link, DEVICE_NEEDS_RESET), and only that. */
	config_changes = 0;
	vm.vdev.config_changed = count_config_change;
	virtio_mmio_interrupt(&vm);
	KUNIT_EXPECT_EQ(test, config_changes, 1U);
	KUNIT_EXPECT_EQ(test, callbacks, 0U);
	REG(VIRTIO_MMIO_INTERRUPT_STATUS) = VIRTIO_MMIO_INT_VRING;
	virtio_mmio_interrupt(&vm);
	KUNIT_EXPECT_EQ(test, config_changes, 1U);
	callbacks = 0;
	vq.nr_irqs = 0;
	REG(VIRTIO_MMIO_INTERRUPT_STATUS) = VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG;
	virtio_mmio_interrupt(&vm);
	KUNIT_EXPECT_EQ(test, REG(VIRTIO_MMIO_INTERRUPT_ACK), 3U);
	KUNIT_EXPECT_EQ(test, callbacks, 1U);
	KUNIT_EXPECT_EQ(test, vq.nr_irqs, 1UL);
}

static struct kunit_case virtio_mmio_cases[] = {
	KUNIT_CASE(identify_skips_empty_and_legacy),
	KUNIT_CASE(negotiation_keeps_version_1_and_access_platform),
	KUNIT_CASE(negotiation_fails_without_version_1),
	KUNIT_CASE(no_access_platform_behind_an_iommu_maps_directly),
	KUNIT_CASE(kick_and_interrupt),
	{}
};

static struct kunit_suite virtio_mmio_suite = {
	.name = "virtio_mmio",
	.test_cases = virtio_mmio_cases,
};
kunit_test_suite(virtio_mmio_suite);
