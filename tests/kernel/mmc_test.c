/*
 * tests/kernel/mmc_test.c - the SD card driver on QEMU's raspi3b and on
 * sdhci-pci (q35, virt) (suite mmc): the card the harness made
 * (tools/e2e.sh sd_setup: PART_LAYOUT's partitions on an image of a
 * power-of-two size, as QEMU's SD card wants; tools/run-tests
 * sdhci_card: a blank one on PCI), identified, written and read through
 * the block layer, checked against a model, by DMA where the host has
 * it (the SDHOST's engine, the SDHCI's ADMA2 on PCI) and by PIO where a
 * piece of memory does not suit DMA, and an error
 * said with the command that failed.
 *
 * Promised by the harness (without them the suite skips; the
 * configurations with a card promise them, and must run every case):
 *   mmc.card:mmcblk0	the card's block device
 *   mmc.sectors:N	its size in 512-byte sectors
 *   mmc.hc:1|0		high capacity (SDHC: block addresses) or not
 *   mmc.host:sdhost|sdhci	the controller that must drive it
 *   mmc.dma:1|0		its data moves by DMA (the SDHOST's engine, sdhci-pci's
 *			ADMA2), or never
 *   mmc.iommu:1|0	(optional) whether that DMA must go through an IOMMU
 *			domain (sdhci-pci behind VT-d or SMMUv3)
 * After the run the host checks the pattern at both ends of the card
 * (sd_check: tools/check-disk-pattern).
 */
#include "drivers/block/blk.h"
#include "drivers/block/blk_pattern.h"
#include "drivers/mmc/mmc.h"
#include "kernel/device.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/vmalloc.h"
#include "tests/suites/random_cuts.h"

/* The pattern the host checks: 1024 sectors at each end of the card, the
 * first pair beyond PART_LAYOUT's last partition (which ends at sector
 * 43008, tools/e2e.sh). */
#define PAT_LOW		49152
#define PAT_LEN		1024
/* The model's region: 4096 sectors below the pattern at the top. */
#define MODEL_LEN	4096
#define MAX_IO		700		/* sectors a request: past sdhost's 511 */

/* The promised card and its host; the case ends (skipped without the
 * promise, failed without the card). */
static struct mmc_host *card_host(struct kunit *test, struct block_device **bdev)
{
	const char *name = kunit_expectation("mmc.card");

	if (!name) {
		kunit_do_skip(test, "no SD card promised (kunit.expect=mmc.card)");
		kunit_end_case(test);
	}
	*bdev = blk_get(name);
	for (unsigned int i = 0; *bdev && i < mmc_nr_hosts; i++)
		if (&mmc_hosts[i]->bdev == *bdev)
			return mmc_hosts[i];
	KUNIT_FAIL(test, "no SD card %s", name);
	kunit_end_case(test);
	return NULL;
}

static unsigned long promised_number(struct kunit *test, const char *key)
{
	const char *v = kunit_expectation(key);
	unsigned long n = 0;

	if (!v) {
		KUNIT_FAIL(test, "kunit.expect=%s: not promised", key);
		kunit_end_case(test);
		return 0;
	}
	for (; *v >= '0' && *v <= '9'; v++)
		n = n * 10 + (unsigned long)(*v - '0');
	return n;
}

/* The card the harness made, identified as it is: its size, its kind, on
 * the controller the device tree gave it, 4 bits wide, with a thread. */
static void card_is_the_one_promised(struct kunit *test)
{
	struct block_device *b;
	struct mmc_host *host = card_host(test, &b);
	const char *promise = kunit_expectation("mmc.host");
	char want_host[16] = "";

	/* A copy: the next lookup reuses kunit_expectation's buffer. */
	strlcpy(want_host, promise ? promise : "", sizeof(want_host));
	KUNIT_EXPECT_EQ(test, b->nr_sectors, (uint64_t)promised_number(test, "mmc.sectors"));
	KUNIT_EXPECT_EQ(test, host->card.high_capacity,
			promised_number(test, "mmc.hc") == 1);
	KUNIT_EXPECT_EQ(test, host->card.csd_version,
			host->card.high_capacity ? 2U : 1U);
	KUNIT_ASSERT_NOT_NULL(test, promise);
	KUNIT_EXPECT_EQ(test, strncmp(host->name, want_host, strlen(want_host)), 0);
	KUNIT_EXPECT_EQ(test, host->name[strlen(want_host)], '@');
	/* Behind an IOMMU the host's DMA must go through its domain. */
	if (kunit_expectation("mmc.iommu")) {
		bool behind = promised_number(test, "mmc.iommu") == 1;

		KUNIT_ASSERT_NOT_NULL(test, host->dma_dev);
		KUNIT_EXPECT_EQ(test, host->dma_dev->domain != NULL, behind);
	}
	KUNIT_EXPECT_EQ(test, host->width, 4U);
	KUNIT_EXPECT_GT(test, host->clock_hz, 400000U);
	KUNIT_EXPECT_LE(test, host->clock_hz, 50000000U);
	KUNIT_EXPECT_TRUE(test, host->card.bus_4bit);
	KUNIT_EXPECT_NE(test, host->card.rca, 0U);
	KUNIT_EXPECT_TRUE(test, b->irq_driven);	/* its thread runs */
	kunit_info(test, "%s: %s, %llu sectors, %u-bit at %u Hz, CID %08x%08x%08x%08x",
		   b->name, host->name, (unsigned long long)b->nr_sectors,
		   host->width, host->clock_hz, host->card.cid[0],
		   host->card.cid[1], host->card.cid[2], host->card.cid[3]);
}

static void fill_pattern(uint8_t *buf, uint64_t first, unsigned int n)
{
	for (unsigned int s = 0; s < n; s++)
		for (unsigned int i = 0; i < SECTOR_SIZE; i++)
			buf[s * SECTOR_SIZE + i] = blk_pattern_byte(first + s, i);
}

/* The pattern at both ends of the card, through the block layer, read
 * back; the host finds it where it should be (above 2 GiB on the SDHC
 * card: block addressing, not bytes). */
static void pattern_at_both_ends(struct kunit *test)
{
	struct block_device *b;
	struct mmc_host *host = card_host(test, &b);
	uint64_t starts[2] = { PAT_LOW, b->nr_sectors - PAT_LEN };
	const unsigned int chunk = 128;
	uint8_t *w = kmalloc(chunk * SECTOR_SIZE, GFP_KERNEL);
	uint8_t *r = kmalloc(chunk * SECTOR_SIZE, GFP_KERNEL);

	(void)host;
	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (unsigned int e = 0; e < 2; e++)
		for (unsigned int s = 0; s < PAT_LEN; s += chunk) {
			uint64_t at = starts[e] + s;

			fill_pattern(w, at, chunk);
			KUNIT_ASSERT_EQ(test, blk_write(b, at, w, chunk, NULL), 0);
			memset(r, 0, chunk * SECTOR_SIZE);
			KUNIT_ASSERT_EQ(test, blk_read(b, at, r, chunk, NULL), 0);
			if (memcmp(w, r, chunk * SECTOR_SIZE)) {
				KUNIT_FAIL(test, "sectors %llu-%llu read back wrong",
					   (unsigned long long)at,
					   (unsigned long long)at + chunk - 1);
				goto out;
			}
		}
	/* One past the end is refused before it reaches the card. */
	KUNIT_EXPECT_EQ(test, blk_read(b, b->nr_sectors, r, 1, NULL), -EINVAL);
	kunit_info(test, "pattern at sectors %llu-%llu and %llu-%llu",
		   (unsigned long long)starts[0],
		   (unsigned long long)starts[0] + PAT_LEN - 1,
		   (unsigned long long)starts[1],
		   (unsigned long long)starts[1] + PAT_LEN - 1);
out:
	kfree(w);
	kfree(r);
}

/* A request over buf's bytes [0, len) cut into up to 4 segments at random
 * places (any lengths, the total whole sectors): the PIO iterator must
 * cross every cut. Half the requests are cut at multiples of 4 bytes, as
 * ADMA2 takes them; the others fall back to PIO on a DMA host. */
static unsigned int cut_segments(struct prng *rng, uint8_t *buf, unsigned int len,
				 struct blk_segment *segs)
{
	unsigned int align = prng_below(rng, 2) ? 4 : 1;
	unsigned int cuts[RANDOM_CUTS_MAX + 1], nsegs = 0;
	unsigned int n = random_cuts(rng, len, align, cuts);

	for (unsigned int i = 0; i < n; i++) {
		uint8_t *p = buf + cuts[i];

		if (cuts[i + 1] == cuts[i])
			continue;
		segs[nsegs].page = virt_to_page(p);
		segs[nsegs].offset = (unsigned int)((uintptr_t)p & (PAGE_SIZE - 1));
		segs[nsegs].len = cuts[i + 1] - cuts[i];
		segs[nsegs].dma_mapped = false;
		nsegs++;
	}
	return nsegs;
}

/*
 * Random reads and writes in a 2 MiB region near the top of the card,
 * of 1 to 700 sectors (sdhost splits past 511) in 1 to 4 segments cut
 * anywhere, against a model that says what every read must return.
 */
static void random_io_matches_a_model(struct kunit *test)
{
	struct block_device *b;
	struct mmc_host *host = card_host(test, &b);
	const unsigned int order = 9;		/* 2 MiB: MAX_IO fits */
	uint64_t base = b->nr_sectors - PAT_LEN - MODEL_LEN;
	struct blk_segment segs[4];
	struct page *pg = alloc_pages(GFP_KERNEL, order);
	uint8_t *model = vmalloc(MODEL_LEN * SECTOR_SIZE), *io;
	struct prng rng;
	unsigned int ops = 0, reads = 0, split = 0;
	unsigned long dma0 = host->nr_dma, pio0 = host->nr_pio;
	bool dma = promised_number(test, "mmc.dma") == 1;

	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_ASSERT_NOT_NULL(test, model);
	io = page_address(pg);
	prng_seed(&rng, test->seed);
	/* The region starts as the model says: written whole. */
	for (unsigned int i = 0; i < MODEL_LEN * SECTOR_SIZE; i++)
		model[i] = (uint8_t)prng_next(&rng);
	for (unsigned int s = 0; s < MODEL_LEN; s += MAX_IO) {
		unsigned int n = MODEL_LEN - s < MAX_IO ? MODEL_LEN - s : MAX_IO;

		memcpy(io, model + s * SECTOR_SIZE, n * SECTOR_SIZE);
		KUNIT_ASSERT_EQ(test, blk_write(b, base + s, io, n, NULL), 0);
	}
	for (ops = 0; ops < 120; ops++) {
		unsigned int n = 1 + prng_below(&rng, prng_below(&rng, 4) ? 16 : MAX_IO);
		unsigned int at = prng_below(&rng, MODEL_LEN - n + 1);
		bool write = prng_below(&rng, 2);
		struct blk_request req = {
			.op = write ? BLK_OP_WRITE : BLK_OP_READ,
			.sector = base + at, .segs = segs,
		};

		if (write)
			for (unsigned int i = 0; i < n * SECTOR_SIZE; i++)
				io[i] = (uint8_t)prng_next(&rng);
		else
			memset(io, 0xa5, n * SECTOR_SIZE);
		req.nr_segs = cut_segments(&rng, io, n * SECTOR_SIZE, segs);
		split += n > host->max_blocks;
		if (blk_execute(b, &req)) {
			KUNIT_FAIL(test, "%s of %u sectors at %llu: %d",
				   write ? "write" : "read", n,
				   (unsigned long long)req.sector, req.status);
			break;
		}
		if (write) {
			memcpy(model + at * SECTOR_SIZE, io, n * SECTOR_SIZE);
			continue;
		}
		reads++;
		if (memcmp(model + at * SECTOR_SIZE, io, n * SECTOR_SIZE)) {
			KUNIT_FAIL(test, "op %u: %u sectors read at %llu differ "
				   "from what was written there", ops, n,
				   (unsigned long long)req.sector);
			break;
		}
	}
	/* And the whole region at the end, in one pass. */
	for (unsigned int s = 0; s < MODEL_LEN; s += MAX_IO) {
		unsigned int n = MODEL_LEN - s < MAX_IO ? MODEL_LEN - s : MAX_IO;

		KUNIT_ASSERT_EQ(test, blk_read(b, base + s, io, n, NULL), 0);
		if (memcmp(model + s * SECTOR_SIZE, io, n * SECTOR_SIZE))
			KUNIT_FAIL(test, "sectors %llu-%llu differ from the model "
				   "at the end", (unsigned long long)(base + s),
				   (unsigned long long)(base + s + n - 1));
	}
	KUNIT_EXPECT_GT(test, reads, 20U);
	if (host->max_blocks < MAX_IO)		/* sdhost: 511 */
		KUNIT_EXPECT_GT(test, split, 0U);
	/* A DMA host moved most of it by DMA (every request of one piece,
	 * half the others) and the misaligned cuts by PIO; a PIO host none
	 * by DMA. */
	if (dma) {
		KUNIT_EXPECT_GT(test, host->nr_dma - dma0, 60UL);
		KUNIT_EXPECT_GT(test, host->nr_pio - pio0, 5UL);
	} else {
		KUNIT_EXPECT_EQ(test, host->nr_dma, 0UL);
	}
	kunit_info(test, "%u requests (%u reads, %u longer than the host's %u "
		   "blocks) in sectors %llu-%llu; commands by DMA %lu, by PIO "
		   "%lu", ops, reads, split,
		   host->max_blocks, (unsigned long long)base,
		   (unsigned long long)base + MODEL_LEN - 1,
		   host->nr_dma - dma0, host->nr_pio - pio0);
	vfree(model);
	__free_pages(pg, order);
}

/*
 * A read past the end of the card (the core's own mmc_rw: the block
 * layer would refuse it): the card answers with an error in its status,
 * which is said with the command and its argument; the card then reads
 * as before.
 */
static void an_error_names_its_command_and_the_card_carries_on(struct kunit *test)
{
	static char log[2048];
	struct block_device *b;
	struct mmc_host *host = card_host(test, &b);
	uint64_t bad = b->nr_sectors + 8;
	unsigned long errors = host->cmd_errors;
	uint8_t *buf = kmalloc(SECTOR_SIZE, GFP_KERNEL);
	char want[64];
	int err;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(log, 0, sizeof(log));
	kunit_capture_start(test, log, sizeof(log));
	err = mmc_rw(host, false, bad, buf, 1);
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_NE(test, err, 0);
	KUNIT_EXPECT_EQ(test, host->cmd_errors, errors + 1);
	ksnprintf(want, sizeof(want), "%s: CMD17 arg 0x%08x (read 1 block at sector %llu)",
		  b->name, (uint32_t)(host->card.high_capacity ? bad : bad * SECTOR_SIZE),
		  (unsigned long long)bad);
	KUNIT_EXPECT_STR_CONTAINS(test, log, want);
	/* A real card says out of range; QEMU's, address error. */
	KUNIT_EXPECT_STR_CONTAINS(test, log, "failed: the card says ");
	KUNIT_EXPECT_TRUE(test, strstr(log, "out of range") ||
			  strstr(log, "address error"));
	/* Still good. */
	KUNIT_EXPECT_EQ(test, mmc_rw(host, false, PAT_LOW, buf, 1), 0);
	KUNIT_EXPECT_EQ(test, buf[5], blk_pattern_byte(PAT_LOW, 5));
	kfree(buf);
}

/*
 * DMA where the host has it (promised mmc.dma:1: the SDHOST through the
 * BCM2835 DMA engine, at the VideoCore bus's addresses; the SDHCI's
 * ADMA2 on sdhci-pci): an aligned
 * request moves by DMA and reads back right; a request whose piece is
 * not 4-byte aligned goes by PIO and reads back right too. mmc.dma:0: no
 * data command ever moves by DMA.
 */
static void dma_where_the_host_has_it(struct kunit *test)
{
	struct block_device *b;
	struct mmc_host *host = card_host(test, &b);
	bool dma = promised_number(test, "mmc.dma") == 1;
	uint64_t at = b->nr_sectors - PAT_LEN - MODEL_LEN - 64;
	uint8_t *w = kmalloc(32 * SECTOR_SIZE + 8, GFP_KERNEL);
	uint8_t *r = kmalloc(32 * SECTOR_SIZE + 8, GFP_KERNEL);
	unsigned long dma0 = host->nr_dma, pio0 = host->nr_pio;
	struct blk_segment seg;
	struct blk_request req = { .segs = &seg, .nr_segs = 1 };

	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (unsigned int i = 0; i < 32 * SECTOR_SIZE + 8; i++)
		w[i] = (uint8_t)(i * 7 + 3);
	/* Aligned: 16 KiB out and back. */
	KUNIT_ASSERT_EQ(test, blk_write(b, at, w, 32, NULL), 0);
	memset(r, 0, 32 * SECTOR_SIZE);
	KUNIT_ASSERT_EQ(test, blk_read(b, at, r, 32, NULL), 0);
	KUNIT_EXPECT_EQ(test, memcmp(w, r, 32 * SECTOR_SIZE), 0);
	if (dma)
		KUNIT_EXPECT_EQ(test, host->nr_dma - dma0, 2UL);
	else
		KUNIT_EXPECT_EQ(test, host->nr_dma, 0UL);
	/* A piece 1 byte into its buffer: PIO, whatever the host has. */
	pio0 = host->nr_pio;
	seg = (struct blk_segment){ .page = virt_to_page(w + 1),
		.offset = (unsigned int)((uintptr_t)(w + 1) & (PAGE_SIZE - 1)),
		.len = SECTOR_SIZE };
	req.op = BLK_OP_WRITE;
	req.sector = at + 40;
	KUNIT_ASSERT_EQ(test, blk_execute(b, &req), 0);
	memset(r, 0, SECTOR_SIZE + 8);
	seg = (struct blk_segment){ .page = virt_to_page(r + 3),
		.offset = (unsigned int)((uintptr_t)(r + 3) & (PAGE_SIZE - 1)),
		.len = SECTOR_SIZE };
	req.op = BLK_OP_READ;
	KUNIT_ASSERT_EQ(test, blk_execute(b, &req), 0);
	KUNIT_EXPECT_EQ(test, memcmp(w + 1, r + 3, SECTOR_SIZE), 0);
	KUNIT_EXPECT_EQ(test, host->nr_pio - pio0, 2UL);
	kunit_info(test, "%s: %lu data commands by DMA, %lu by PIO so far",
		   host->name, host->nr_dma, host->nr_pio);
	kfree(w);
	kfree(r);
}

/* One request over n pieces of buf, each { offset, length }. */
static int rw_pieces(struct block_device *b, bool write, uint64_t sector,
		     uint8_t *buf, const unsigned int (*piece)[2], unsigned int n)
{
	struct blk_segment segs[4];
	struct blk_request req = {
		.op = write ? BLK_OP_WRITE : BLK_OP_READ, .sector = sector,
		.segs = segs, .nr_segs = n,
	};

	for (unsigned int i = 0; i < n; i++) {
		uint8_t *p = buf + piece[i][0];

		segs[i].page = virt_to_page(p);
		segs[i].offset = (unsigned int)((uintptr_t)p & (PAGE_SIZE - 1));
		segs[i].len = piece[i][1];
		segs[i].dma_mapped = false;
	}
	return blk_execute(b, &req);
}

/*
 * Pieces DMA cannot take (an address that is not a multiple of 4, a
 * length that is not: the rule of both the SDHCI's ADMA2 and the
 * SDHOST's engine), two to a request, send the whole command by PIO;
 * what it wrote reads back right through an aligned buffer (by DMA on a
 * DMA host), and reads into the same odd pieces are right too.
 */
static void odd_pieces_go_by_pio_and_read_back_right(struct kunit *test)
{
	/* 8 sectors at odd addresses; 2 at aligned ones with odd lengths */
	static const unsigned int odd_addr[2][2] = { { 1, 1001 }, { 2003, 3095 } };
	static const unsigned int odd_len[2][2] = { { 0, 514 }, { 1024, 510 } };
	struct block_device *b;
	struct mmc_host *host = card_host(test, &b);
	bool dma = promised_number(test, "mmc.dma") == 1;
	uint64_t at = PAT_LOW + PAT_LEN;	/* beyond the pattern */
	struct page *pg = alloc_pages(GFP_KERNEL, 1);
	uint8_t *buf, *r = kmalloc(8 * SECTOR_SIZE, GFP_KERNEL);
	unsigned long dma0 = host->nr_dma, pio0 = host->nr_pio;
	/* what an aligned read adds to each counter */
	unsigned long a_dma = dma ? 1 : 0, a_pio = dma ? 0 : 1;
	struct prng rng;

	KUNIT_ASSERT_NOT_NULL(test, pg);
	KUNIT_ASSERT_NOT_NULL(test, r);
	buf = page_address(pg);
	prng_seed(&rng, test->seed);
	for (unsigned int i = 0; i < 2 * PAGE_SIZE; i++)
		buf[i] = (uint8_t)prng_next(&rng);
	/* Written from odd addresses: PIO. */
	KUNIT_ASSERT_EQ(test, rw_pieces(b, true, at, buf, odd_addr, 2), 0);
	KUNIT_EXPECT_EQ(test, host->nr_pio, pio0 + 1);
	KUNIT_EXPECT_EQ(test, host->nr_dma, dma0);
	/* Read back into an aligned buffer. */
	memset(r, 0, 8 * SECTOR_SIZE);
	KUNIT_ASSERT_EQ(test, blk_read(b, at, r, 8, NULL), 0);
	KUNIT_EXPECT_EQ(test, host->nr_dma, dma0 + a_dma);
	KUNIT_EXPECT_EQ(test, memcmp(r, buf + 1, 1001), 0);
	KUNIT_EXPECT_EQ(test, memcmp(r + 1001, buf + 2003, 3095), 0);
	/* Read into the odd pieces again: PIO, and the same bytes. */
	memset(buf, 0, 2 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, rw_pieces(b, false, at, buf, odd_addr, 2), 0);
	KUNIT_EXPECT_EQ(test, host->nr_pio, pio0 + 2 + a_pio);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 1, r, 1001), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 2003, r + 1001, 3095), 0);
	/* Aligned addresses, lengths not a multiple of 4: PIO too. */
	for (unsigned int i = 0; i < 2 * PAGE_SIZE; i++)
		buf[i] = (uint8_t)prng_next(&rng);
	KUNIT_ASSERT_EQ(test, rw_pieces(b, true, at, buf, odd_len, 2), 0);
	KUNIT_EXPECT_EQ(test, host->nr_pio, pio0 + 3 + a_pio);
	memset(r, 0, 2 * SECTOR_SIZE);
	KUNIT_ASSERT_EQ(test, blk_read(b, at, r, 2, NULL), 0);
	KUNIT_EXPECT_EQ(test, memcmp(r, buf, 514), 0);
	KUNIT_EXPECT_EQ(test, memcmp(r + 514, buf + 1024, 510), 0);
	KUNIT_EXPECT_EQ(test, host->nr_dma, dma0 + 2 * a_dma);
	KUNIT_EXPECT_EQ(test, host->nr_pio, pio0 + 3 + 2 * a_pio);
	kunit_info(test, "%s: %lu data commands by PIO, %lu by DMA", b->name,
		   host->nr_pio - pio0, host->nr_dma - dma0);
	kfree(r);
	__free_pages(pg, 1);
}

static struct kunit_case mmc_cases[] = {
	KUNIT_CASE(card_is_the_one_promised),
	KUNIT_CASE(pattern_at_both_ends),
	KUNIT_CASE(random_io_matches_a_model),
	KUNIT_CASE(an_error_names_its_command_and_the_card_carries_on),
	KUNIT_CASE(dma_where_the_host_has_it),
	KUNIT_CASE(odd_pieces_go_by_pio_and_read_back_right),
	{}
};

static struct kunit_suite mmc_suite = {
	.name = "mmc",
	.test_cases = mmc_cases,
};
kunit_test_suite(mmc_suite);
