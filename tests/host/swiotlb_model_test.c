/*
 * tests/host/swiotlb_model_test.c - a randomised model test of the bounce
 * pool (mm/swiotlb.c). A long random run of swiotlb_tbl_map_single,
 * sync_for_cpu / sync_for_device and swiotlb_tbl_unmap_single over a
 * private pool, with random sizes (1 byte up to the largest mapping, many
 * just around slot and page boundaries, some too big or empty), random
 * directions and a random free order. The model is the set of live
 * mappings (slots, size, direction, the original buffer and the pattern
 * each side should hold); after every step:
 *  - no two live mappings overlap, each lies in the pool's usable slots,
 *    starts on a slot, and on a page when it is a page or bigger;
 *  - the pool's bitmap, per-mapping slot records and `used` match the model;
 *  - a map succeeds exactly when the model finds room (contiguous, aligned
 *    free slots); a refused map (no room, 0 bytes, more than IO_TLB_SEGSIZE
 *    slots) returns SWIOTLB_ERROR and changes neither the pool's
 *    bookkeeping nor the buffer;
 *  - copies per direction: map copies buffer -> slots in every direction,
 *    "the device" reads (TO_DEVICE) or writes (FROM_DEVICE, BIDIRECTIONAL)
 *    the slots, sync_for_cpu / unmap copy back only for FROM_DEVICE and
 *    BIDIRECTIONAL, sync_for_device copies in only for TO_DEVICE and
 *    BIDIRECTIONAL; every live mapping's slots and buffer are checked
 *    regularly, so a copy that strays into a neighbour shows.
 * At the end everything is unmapped: used == 0 and only the bookkeeping
 * slots are marked. Host only (long); replay: --seed N.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/swiotlb.h"

#include <stdlib.h>

#define POOL_BYTES	(384UL << 10)		/* 192 slots */
#define POOL_SLOTS	(POOL_BYTES >> IO_TLB_SHIFT)
#define MAX_MAP		(IO_TLB_SEGSIZE * IO_TLB_SIZE)
#define MAX_LIVE	POOL_SLOTS
#define STEPS		4000

struct live {
	phys_addr_t tlb;
	size_t size;
	unsigned int slot, nslots;
	enum dma_data_direction dir;
	uint8_t *orig;
	uint64_t orig_seed;		/* what the buffer should hold */
	uint64_t pool_seed;		/* what the slots should hold */
};

static struct {
	struct io_tlb_pool pool;
	struct device dev;
	void *mem;
	uint8_t used[POOL_SLOTS];	/* the model: 1 = slot taken */
	unsigned int nr_used;		/* mapped slots (bookkeeping excluded) */
	struct live live[MAX_LIVE];
	unsigned int nr_live;
	uint8_t meta[POOL_BYTES];	/* bookkeeping snapshot */
} S;

static uint8_t pat(uint64_t seed, size_t i)
{
	return (uint8_t)((seed + (uint64_t)i * 0x9e3779b97f4a7c15ULL) >> 56);
}

static void fill(void *p, size_t size, uint64_t seed)
{
	uint8_t *b = p;

	for (size_t i = 0; i < size; i++)
		b[i] = pat(seed, i);
}

/* Offset of the first byte that differs from the pattern, or -1. */
static long mismatch(const void *p, size_t size, uint64_t seed)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < size; i++)
		if (b[i] != pat(seed, i))
			return (long)i;
	return -1;
}

static const char *dir_name(enum dma_data_direction dir)
{
	return dir == DMA_TO_DEVICE ? "TO_DEVICE" :
	       dir == DMA_FROM_DEVICE ? "FROM_DEVICE" : "BIDIRECTIONAL";
}

static bool pool_slot_used(unsigned int i)
{
	return S.pool.bitmap[i / 64] & (1UL << (i % 64));
}

static unsigned int stride_of(size_t size)
{
	return size >= PAGE_SIZE ? (unsigned int)(PAGE_SIZE >> IO_TLB_SHIFT) : 1;
}

/* Is there a run of n free slots starting on a multiple of stride? */
static bool model_fits(unsigned int n, unsigned int stride)
{
	for (unsigned int i = ALIGN_UP(S.pool.first, stride);
	     i + n <= S.pool.nslabs; i += stride) {
		unsigned int j;

		for (j = 0; j < n && !S.used[i + j]; j++)
			;
		if (j == n)
			return true;
	}
	return false;
}

static size_t meta_bytes(void)
{
	return (size_t)S.pool.first << IO_TLB_SHIFT;
}

static bool check_live(struct kunit *test, const struct live *l, const char *when)
{
	long at = mismatch(phys_to_virt(l->tlb), l->size, l->pool_seed);

	if (at >= 0) {
		KUNIT_FAIL(test, "%s: slots of %#llx+%zu (%s) differ at byte %ld",
			   when, (unsigned long long)l->tlb, l->size,
			   dir_name(l->dir), at);
		return false;
	}
	at = mismatch(l->orig, l->size, l->orig_seed);
	if (at >= 0) {
		KUNIT_FAIL(test, "%s: buffer of %#llx+%zu (%s) differs at byte %ld",
			   when, (unsigned long long)l->tlb, l->size,
			   dir_name(l->dir), at);
		return false;
	}
	return true;
}

/* Bookkeeping against the model; contents too when full. */
static bool check_pool(struct kunit *test, bool full)
{
	for (unsigned int i = 0; i < S.pool.nslabs; i++) {
		if (pool_slot_used(i) != !!S.used[i]) {
			KUNIT_FAIL(test, "slot %u: pool says %s, model %s", i,
				   pool_slot_used(i) ? "used" : "free",
				   S.used[i] ? "used" : "free");
			return false;
		}
	}
	if (S.pool.used != S.nr_used) {
		KUNIT_FAIL(test, "pool used %u, model %u", S.pool.used, S.nr_used);
		return false;
	}
	for (unsigned int k = 0; k < S.nr_live; k++) {
		const struct live *l = &S.live[k];
		const struct io_tlb_slot *s = &S.pool.slots[l->slot];

		if (s->nslots != l->nslots || s->alloc_size != l->size ||
		    s->orig_addr != virt_to_phys(l->orig)) {
			KUNIT_FAIL(test, "slot %u records %u slots, %u bytes, %#llx; model %u, %zu, %p",
				   l->slot, s->nslots, s->alloc_size,
				   (unsigned long long)s->orig_addr,
				   l->nslots, l->size, l->orig);
			return false;
		}
		if (full && !check_live(test, l, "check"))
			return false;
	}
	return true;
}

static void drop_live(unsigned int k)
{
	struct live *l = &S.live[k];

	memset(&S.used[l->slot], 0, l->nslots);
	S.nr_used -= l->nslots;
	free(l->orig);
	S.live[k] = S.live[--S.nr_live];
}

static size_t random_size(struct prng *rng)
{
	uint64_t r = prng_below(rng, 100);
	size_t s;

	if (r < 35)		/* small: within one or two slots */
		return 1 + prng_below(rng, 2 * IO_TLB_SIZE);
	if (r < 55) {		/* just around a slot boundary */
		s = (1 + prng_below(rng, 8)) * IO_TLB_SIZE;
		return s - 1 + prng_below(rng, 3);
	}
	if (r < 70) {		/* just around a page boundary */
		s = (1 + prng_below(rng, 16)) * PAGE_SIZE;
		return s - 1 + prng_below(rng, 3);
	}
	if (r < 92)		/* anything up to the largest mapping */
		return 1 + prng_below(rng, MAX_MAP);
	if (r < 96)		/* the largest, and one byte less */
		return MAX_MAP - prng_below(rng, 2);
	if (r < 99)		/* too big */
		return MAX_MAP + 1 + prng_below(rng, 2 * IO_TLB_SIZE);
	return 0;		/* empty */
}

static const enum dma_data_direction dirs[] = {
	DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL,
};

static bool step_map(struct kunit *test, struct prng *rng,
		     unsigned long *maps, unsigned long *refused)
{
	size_t size = random_size(rng);
	enum dma_data_direction dir = dirs[prng_below(rng, ARRAY_SIZE(dirs))];
	unsigned int n = (unsigned int)DIV_ROUND_UP(size, IO_TLB_SIZE);
	unsigned int stride = stride_of(size);
	bool fits = size && n <= IO_TLB_SEGSIZE && model_fits(n, stride);
	uint64_t seed = prng_next(rng);
	uint8_t *orig = malloc(size ? size : 1);
	unsigned long full_before = S.pool.nr_full, maps_before = S.pool.nr_maps;
	unsigned int used_before = S.pool.used;
	phys_addr_t tlb, first_tlb, last_tlb;
	int loglevel = console_loglevel;

	if (!orig) {
		KUNIT_FAIL(test, "out of host memory");
		return false;
	}
	fill(orig, size, seed);
	memcpy(S.meta, S.pool.vaddr, meta_bytes());
	if (!fits)
		console_loglevel = 2;	/* the expected "full" report */
	tlb = swiotlb_tbl_map_single(&S.dev, virt_to_phys(orig), size, dir);
	console_loglevel = loglevel;

	if (!fits) {
		free(orig);
		if (tlb != SWIOTLB_ERROR) {
			KUNIT_FAIL(test, "map of %zu bytes (%u slots) gave %#llx; the model has no room",
				   size, n, (unsigned long long)tlb);
			return false;
		}
		(*refused)++;
		if (S.pool.used != used_before || S.pool.nr_maps != maps_before ||
		    memcmp(S.meta, S.pool.vaddr, meta_bytes())) {
			KUNIT_FAIL(test, "refused map of %zu bytes changed the pool's bookkeeping",
				   size);
			return false;
		}
		/* Only a pool that is full counts as full. */
		if (S.pool.nr_full != full_before + (size && n <= IO_TLB_SEGSIZE)) {
			KUNIT_FAIL(test, "refused map of %zu bytes: nr_full %lu -> %lu",
				   size, full_before, S.pool.nr_full);
			return false;
		}
		return true;
	}
	if (tlb == SWIOTLB_ERROR) {
		KUNIT_FAIL(test, "map of %zu bytes (%u slots, stride %u) failed; the model has room",
			   size, n, stride);
		free(orig);
		return false;
	}
	(*maps)++;
	first_tlb = S.pool.start + ((phys_addr_t)S.pool.first << IO_TLB_SHIFT);
	last_tlb = S.pool.end - ((phys_addr_t)n << IO_TLB_SHIFT);
	if (tlb < first_tlb || tlb > last_tlb || (tlb - S.pool.start) % IO_TLB_SIZE ||
	    (size >= PAGE_SIZE && tlb % PAGE_SIZE)) {
		KUNIT_FAIL(test, "map of %zu bytes at %#llx: pool usable %#llx-%#llx, misplaced or misaligned",
			   size, (unsigned long long)tlb,
			   (unsigned long long)first_tlb,
			   (unsigned long long)S.pool.end - 1);
		free(orig);
		return false;
	}

	struct live *l = &S.live[S.nr_live];

	l->tlb = tlb;
	l->size = size;
	l->slot = (unsigned int)((tlb - S.pool.start) >> IO_TLB_SHIFT);
	l->nslots = n;
	l->dir = dir;
	l->orig = orig;
	l->orig_seed = seed;
	l->pool_seed = seed;		/* map copies in every direction */
	for (unsigned int j = 0; j < n; j++) {
		if (S.used[l->slot + j]) {
			KUNIT_FAIL(test, "map of %zu bytes at slot %u overlaps slot %u, already taken",
				   size, l->slot, l->slot + j);
			free(orig);
			return false;
		}
	}
	memset(&S.used[l->slot], 1, n);
	S.nr_used += n;
	S.nr_live++;
	return check_live(test, l, "after map");
}

static bool step_sync(struct kunit *test, struct prng *rng)
{
	struct live *l = &S.live[prng_below(rng, S.nr_live)];
	bool to_dev = l->dir != DMA_FROM_DEVICE;
	bool from_dev = l->dir != DMA_TO_DEVICE;

	if (prng_below(rng, 2)) {
		/* The device wrote (if it may); the CPU looks. */
		if (from_dev) {
			l->pool_seed = prng_next(rng);
			fill(phys_to_virt(l->tlb), l->size, l->pool_seed);
		}
		swiotlb_sync_single_for_cpu(&S.dev, l->tlb, l->size, l->dir);
		if (from_dev)
			l->orig_seed = l->pool_seed;
		return check_live(test, l, "after sync_for_cpu");
	}
	/* The CPU wrote (it owns the buffer between the syncs); device's turn. */
	if (to_dev) {
		l->orig_seed = prng_next(rng);
		fill(l->orig, l->size, l->orig_seed);
		swiotlb_sync_single_for_device(&S.dev, l->tlb, l->size, l->dir);
		l->pool_seed = l->orig_seed;
	} else {
		swiotlb_sync_single_for_device(&S.dev, l->tlb, l->size, l->dir);
	}
	return check_live(test, l, "after sync_for_device");
}

static bool step_unmap(struct kunit *test, struct prng *rng, unsigned int k)
{
	struct live *l = &S.live[k];

	if (l->dir != DMA_TO_DEVICE && prng_below(rng, 4)) {
		/* The device writes; otherwise the map-time copy comes back. */
		l->pool_seed = prng_next(rng);
		fill(phys_to_virt(l->tlb), l->size, l->pool_seed);
	}
	if (!check_live(test, l, "before unmap"))
		return false;
	swiotlb_tbl_unmap_single(&S.dev, l->tlb, l->size, l->dir);
	if (l->dir != DMA_TO_DEVICE)
		l->orig_seed = l->pool_seed;
	if (mismatch(l->orig, l->size, l->orig_seed) >= 0) {
		KUNIT_FAIL(test, "after unmap of %#llx+%zu (%s): buffer at byte %ld is wrong",
			   (unsigned long long)l->tlb, l->size, dir_name(l->dir),
			   mismatch(l->orig, l->size, l->orig_seed));
		return false;
	}
	drop_live(k);
	return true;
}

static void swiotlb_random_ops_match_model(struct kunit *test)
{
	struct prng rng;
	unsigned long maps = 0, refused = 0, unmaps = 0, syncs = 0;
	unsigned long step;

	memset(&S, 0, sizeof(S));
	S.mem = aligned_alloc(PAGE_SIZE, POOL_BYTES);
	KUNIT_ASSERT_NOT_NULL(test, S.mem);
	KUNIT_ASSERT_EQ(test, swiotlb_init_pool(&S.pool, "model", S.mem, POOL_BYTES), 0);
	KUNIT_ASSERT_EQ(test, S.pool.nslabs, (unsigned int)POOL_SLOTS);
	KUNIT_ASSERT_LT(test, S.pool.first, S.pool.nslabs);
	KUNIT_ASSERT_EQ(test, S.pool.used, 0U);
	memset(S.used, 1, S.pool.first);	/* bookkeeping slots */
	dma_device_init(&S.dev, "swiotlb-model");
	S.dev.dma_io_tlb_mem = &S.pool;
	prng_seed(&rng, test->seed);
	KUNIT_ASSERT_TRUE(test, check_pool(test, true));

	for (step = 0; step < STEPS && !test->failed; step++) {
		uint64_t op = prng_below(&rng, 100);
		bool ok = true;

		if ((op < 50 && S.nr_live < MAX_LIVE) || !S.nr_live) {
			ok = step_map(test, &rng, &maps, &refused);
		} else if (op < 62) {
			ok = step_sync(test, &rng);
			syncs++;
		} else {
			ok = step_unmap(test, &rng,
					(unsigned int)prng_below(&rng, S.nr_live));
			unmaps++;
		}
		if (!ok || !check_pool(test, step % 8 == 0)) {
			kunit_info(test, "at step %lu (seed %llu)", step,
				   (unsigned long long)test->seed);
			break;
		}
	}
	kunit_info(test, "%lu steps: %lu maps, %lu refused, %lu syncs, %lu unmaps, high water %u of %u slots",
		   step, maps, refused, syncs, unmaps, S.pool.high_water,
		   S.pool.nslabs - S.pool.first);
	if (!test->failed) {
		KUNIT_EXPECT_GT(test, maps, 500UL);
		KUNIT_EXPECT_GT(test, refused, 50UL);	/* the pool ran out */
		KUNIT_EXPECT_EQ(test, S.pool.nr_maps, maps);
	}

	/* Unmap everything, in a random order. */
	while (S.nr_live && !test->failed) {
		if (!step_unmap(test, &rng, (unsigned int)prng_below(&rng, S.nr_live)) ||
		    !check_pool(test, false))
			break;
	}
	while (S.nr_live)		/* after a failure: just let go */
		drop_live(0);
	if (!test->failed) {
		KUNIT_EXPECT_EQ(test, S.pool.used, 0U);
		for (unsigned int i = 0; i < S.pool.nslabs; i++)
			KUNIT_EXPECT_EQ(test, pool_slot_used(i), i < S.pool.first);
	}
	free(S.mem);
}

static struct kunit_case swiotlb_model_cases[] = {
	KUNIT_CASE(swiotlb_random_ops_match_model),
	{}
};

static struct kunit_suite swiotlb_model_suite = {
	.name = "swiotlb_model",
	.test_cases = swiotlb_model_cases,
};
kunit_test_suite(swiotlb_model_suite);
