/*
 * tests/suites/virtio_ring_test.c - split virtqueue arithmetic on plain
 * memory, with this test playing the device: ring layout, chains with
 * the right flags, free-list reuse, index wrap-around past 2^16, and
 * out-of-order completion.
 */
#include "drivers/virtio/virtio.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"

#define NUM	8
static uint8_t ring[4096] __aligned(16);
static void *tokens[NUM];
static struct virtqueue vq;

/* The device: take the next available chain, return its head. */
static uint16_t dev_take(uint16_t *dev_avail)
{
	return vq.avail->ring[(*dev_avail)++ & (NUM - 1)];
}

static void dev_complete(uint16_t head, uint32_t len)
{
	uint16_t u = vq.used->idx;

	vq.used->ring[u & (NUM - 1)] = (struct vring_used_elem){ head, len };
	vq.used->idx = (uint16_t)(u + 1);
}

static void layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vring_avail_offset(256), (size_t)4096);
	KUNIT_EXPECT_EQ(test, vring_used_offset(256), (size_t)(4096 + 6 + 512 + 2));
	KUNIT_EXPECT_EQ(test, vring_size(256), (size_t)(4616 + 6 + 2048));
	KUNIT_EXPECT_EQ(test, vring_used_offset(8) % 4, (size_t)0);
	vring_init(&vq, NUM, ring, 0x1000, tokens);
	KUNIT_EXPECT_PTR_EQ(test, (void *)vq.avail, (void *)(ring + 128));
	KUNIT_EXPECT_PTR_EQ(test, (void *)vq.used, (void *)(ring + vring_used_offset(NUM)));
	KUNIT_EXPECT_EQ(test, vq.num_free, (unsigned int)NUM);
}

static void chains_and_reuse(struct kunit *test)
{
	struct vq_buf b[3] = { { 0x100, 16, false }, { 0x200, 4096, true },
			       { 0x300, 1, true } };
	int t1, t2, t3;
	uint16_t dev_avail = 0, h;
	uint32_t len;

	vring_init(&vq, NUM, ring, 0x1000, tokens);
	KUNIT_ASSERT_EQ(test, virtqueue_add(&vq, b, 3, &t1), 0);
	KUNIT_ASSERT_EQ(test, virtqueue_add(&vq, b, 3, &t2), 0);
	KUNIT_EXPECT_EQ(test, vq.num_free, 2u);
	KUNIT_EXPECT_EQ(test, virtqueue_add(&vq, b, 3, &t3), -28);	/* -ENOSPC */
	virtqueue_kick_prepare(&vq);
	KUNIT_EXPECT_EQ(test, vq.avail->idx, 2);
	h = dev_take(&dev_avail);
	KUNIT_EXPECT_EQ(test, vq.desc[h].addr, 0x100ULL);
	KUNIT_EXPECT_EQ(test, vq.desc[h].flags, VRING_DESC_F_NEXT);
	uint16_t d1 = vq.desc[h].next, d2 = vq.desc[d1].next;

	KUNIT_EXPECT_EQ(test, vq.desc[d1].flags, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
	KUNIT_EXPECT_EQ(test, vq.desc[d2].flags, VRING_DESC_F_WRITE);
	KUNIT_EXPECT_EQ(test, vq.desc[d2].len, 1u);
	uint16_t h2 = dev_take(&dev_avail);

	/* The second completes first. */
	KUNIT_EXPECT_NULL(test, virtqueue_get_buf(&vq, &len));
	dev_complete(h2, 4097);
	KUNIT_EXPECT_PTR_EQ(test, virtqueue_get_buf(&vq, &len), (void *)&t2);
	KUNIT_EXPECT_EQ(test, len, 4097u);
	dev_complete(h, 1);
	KUNIT_EXPECT_PTR_EQ(test, virtqueue_get_buf(&vq, &len), (void *)&t1);
	KUNIT_EXPECT_EQ(test, vq.num_free, (unsigned int)NUM);
	KUNIT_EXPECT_FALSE(test, virtqueue_more_used(&vq));

	/* 70000 one-descriptor round trips: the 16-bit indices wrap. */
	for (unsigned int k = 0; k < 70000; k++) {
		KUNIT_ASSERT_EQ(test, virtqueue_add(&vq, b + 1, 1, &t3), 0);
		virtqueue_kick_prepare(&vq);
		dev_complete(dev_take(&dev_avail), 0);
		KUNIT_ASSERT_PTR_EQ(test, virtqueue_get_buf(&vq, NULL), (void *)&t3);
	}
	KUNIT_EXPECT_EQ(test, vq.avail->idx, (uint16_t)70002);
	KUNIT_EXPECT_EQ(test, vq.num_free, (unsigned int)NUM);
}

static void broken_device_ignored(struct kunit *test)
{
	struct vq_buf b = { 0x100, 16, false };
	int t;

	vring_init(&vq, NUM, ring, 0x1000, tokens);
	KUNIT_ASSERT_EQ(test, virtqueue_add(&vq, &b, 1, &t), 0);
	dev_complete(NUM + 3, 0);		/* id out of range */
	dev_complete(5, 0);			/* a free descriptor */
	KUNIT_EXPECT_NULL(test, virtqueue_get_buf(&vq, NULL));
	KUNIT_EXPECT_NULL(test, virtqueue_get_buf(&vq, NULL));
	KUNIT_EXPECT_EQ(test, vq.num_free, (unsigned int)NUM - 1);
}

static struct kunit_case virtio_ring_cases[] = {
	KUNIT_CASE(layout),
	KUNIT_CASE(chains_and_reuse),
	KUNIT_CASE(broken_device_ignored),
	{}
};

static struct kunit_suite virtio_ring_suite = {
	.name = "virtio_ring",
	.test_cases = virtio_ring_cases,
};
kunit_test_suite(virtio_ring_suite);
