/*
 * tests/kernel/blk_bench.c - virtio-blk throughput through the block layer:
 * `bench=blk` (kernel/bench.c runs it) on the first block device. For
 * 4 KiB, 64 KiB, 1 MiB and 2 MiB requests (bb_sizes): sequential writes
 * from sector 0, a flush (timed on its own), then sequential reads of
 * what was written; after the 4 KiB pair, 4 KiB reads
 * at random 4 KiB-aligned sectors over the whole disk (fixed seed). Each
 * case keeps BB_DEPTH requests in flight: every completion (end_io, in
 * interrupt context) submits the next one until the case's time is up
 * (blkbench.ms, default 1500 ms), then the case drains. Throughput =
 * bytes completed / (last completion - start).
 * tools/bench-blk boots the standard machine with a disk and prints the
 * figures beside the QEMU command.
 *
 * Then the same reads from registered buffers (blk.h): BB_DEPTH buffers
 * carved from 2 MiB blocks of dma_alloc_coherent memory, mapped once for
 * the disk, so no request maps or unmaps anything and an IOMMU maps
 * each block with one 2 MiB page ("reg read", "reg rand read"). The
 * per-request rows are what the page cache and swap pay; the registered
 * rows what a submitter that owns its buffers pays.
 *
 * First of all, Linux's workload for the comparison of issue 20: `dd
 * if=/dev/vda of=/dev/null iflag=direct bs=SIZE` as Linux 6.1 was
 * measured on the same QEMU - one request in flight, sequential from
 * sector 0 through the first 128 MiB (which tools/bench-blk fills with
 * random bytes, as Linux's disk was), the buffer mapped per request as
 * O_DIRECT maps the user's pages ("dd read", 4 KiB, 64 KiB, 1 MiB). Whole
 * passes over the 128 MiB until the case's time is up: at least one
 * (at 1 MiB a pass is ~25 ms under TCG, too short alone to measure). It
 * runs before the write cases overwrite those bytes. Each size runs
 * twice: mapped per request ("dd read"), then mapped once before the
 * case with every request reusing the address ("dd-pre read"): the same
 * device-side work with the guest's mapping work removed, which is how
 * bench-blk shows QEMU's share of the IOMMU's cost. Behind an IOMMU a
 * third time, mapped once but with the IOMMU's TLB invalidated for the
 * buffer before each request ("dd-inval read"): every page of every
 * request is translated afresh, as it is for any correct per-request
 * mapping (a new IOVA, or an old one whose entries were invalidated), and
 * nothing else of the mapping work is done. That is QEMU's floor for
 * per-request mapping: "dd read" can approach it, not pass it.
 *
 * blkbench.pair=NAME replaces all of the above by the dd reads on two
 * disks in alternating slices (dd_pair_cases, below).
 *
 * Under TCG the figures are emulated time: they compare configurations
 * of this kernel on one machine (no IOMMU, strict, lazy), not hardware.
 */
#include "drivers/block/blk.h"
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "mm/dma-iommu.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>

#define BB_DEPTH	16u		/* requests in flight */
#define BB_SEED		0x7b1c0ffeeULL	/* random-read sectors */

static unsigned int bb_case_ms = 1500;

static int set_case_ms(const char *v)
{
	uint64_t ms;

	if (!parse_u64(v, &ms, false) || !ms || ms > 60000)
		return -1;
	bb_case_ms = (unsigned int)ms;
	return 0;
}
KERNEL_PARAM("blkbench.ms", set_case_ms, "N: milliseconds per bench=blk case (default 1500)");

static unsigned int bb_only_kib;	/* 0: every size */

static int set_only(const char *v)
{
	uint64_t kib;

	if (!parse_u64(v, &kib, false) || (kib != 4 && kib != 64 && kib != 1024 && kib != 2048))
		return -1;
	bb_only_kib = (unsigned int)kib;
	return 0;
}
KERNEL_PARAM("blkbench.size", set_only,
	     "4|64|1024|2048: run only the bench=blk cases of this request size in KiB (e.g. to profile one)");

/* blkbench.pair=NAME: only the paired dd cases, first device against
 * NAME (see dd_pair_cases). */
static char bb_pair_name[16];

static int set_pair(const char *v)
{
	if (!*v || strlen(v) >= sizeof(bb_pair_name))
		return -1;
	strlcpy(bb_pair_name, v, sizeof(bb_pair_name));
	return 0;
}
KERNEL_PARAM("blkbench.pair", set_pair,
	     "NAME: bench=blk runs only dd's reads alternating between the first disk and NAME, and their ratio");

struct bb_run {
	struct block_device *b;
	enum blk_op op;
	unsigned int sectors;		/* per request */
	bool random;
	uint64_t next;			/* sequential: next sector */
	uint64_t limit;			/* requests stay below this sector */
	uint64_t high;			/* highest sector reached + 1 */
	struct prng rng;
	uint64_t deadline;		/* clock_ns(): stop submitting */
	bool once;			/* dd: end with a whole pass */
	bool slice;			/* dd pair: one pass, whatever the time */
	uint64_t first;			/* sequential: the case's first sector */
	/* dd-inval: the IOMMU TLB range invalidated before each request */
	struct iommu_domain *inval;
	dma_addr_t inval_iova;
	unsigned int inval_bytes;
	/* dd-remap (bb_remap_next): the buffer's IOVAs, used in turn */
	struct bb_remap *remap;
	uint64_t t_last;		/* clock_ns() of the last completion */
	uint64_t done, errors, refused;
	volatile unsigned int in_flight;
	spinlock_t lock;
};

struct bb_slot {
	struct blk_request req;
	struct blk_segment seg;
	struct bb_run *run;
};

static struct bb_slot bb_slots[BB_DEPTH];

/* A slot's buffer: a page block, or a registered (already mapped) one. */
struct bb_buf {
	struct page *page;
	dma_addr_t dma;
	bool registered;
};

/* The next request's first sector. run->lock held. */
static uint64_t next_sector_locked(struct bb_run *run)
{
	uint64_t s;

	if (run->random) {
		s = prng_below(&run->rng, run->limit / run->sectors) * run->sectors;
	} else {
		if (run->next + run->sectors > run->limit)
			run->next = run->first;
		s = run->next;
		run->next += run->sectors;
	}
	if (s + run->sectors > run->high)
		run->high = s + run->sectors;
	return s;
}

/*
 * dd-remap: the least a lazy mapping per request with the unit's 4 KiB
 * pages must do, and nothing else. The buffer has BB_REMAP_RANGES IOVA
 * ranges (reserved by dma_map_page, their entries then cleared); each
 * request writes the buffer's entries into the next range, and they are
 * cleared once it completes, so every request is translated afresh from
 * entries written for it, as with a new IOVA from the allocator. Cleared
 * ranges are invalidated by one domain-wide flush when all were used or
 * the oldest has waited IOVA_FQ_TIMEOUT_NS: the flush queue's batch rules
 * (IOVA_FQ_SIZE ranges or 10 ms). What it leaves out: the IOVA
 * allocator, the flush queue's bookkeeping, the DMA API's layers.
 */
#define BB_REMAP_RANGES	IOVA_FQ_SIZE

struct bb_remap {
	struct iommu_domain *d;
	dma_addr_t iova[BB_REMAP_RANGES];
	phys_addr_t phys;
	unsigned int bytes;
	int cur;			/* range mapped now, -1: none */
	int first_cleared;		/* oldest cleared since the flush, -1: none */
	uint64_t cleared_ns;		/* when it was cleared */
	unsigned long flushes;
};

/* Clear the range in use and map the next; the new IOVA, 0 if its map
 * failed. */
static dma_addr_t bb_remap_next(struct bb_remap *r)
{
	struct iommu_domain *d = r->d;
	int next = (r->cur + 1) % BB_REMAP_RANGES;

	if (r->cur >= 0) {
		d->ops->unmap(d, (unsigned long)r->iova[r->cur], r->bytes);
		if (r->first_cleared < 0) {
			r->first_cleared = r->cur;
			r->cleared_ns = clock_ns();
		}
		r->cur = -1;
	}
	/* The next range must not be translated from before: flush first
	 * if it was cleared since the last flush, or if time is up. */
	if (r->first_cleared >= 0 &&
	    (next == r->first_cleared ||
	     clock_ns() - r->cleared_ns >= IOVA_FQ_TIMEOUT_NS)) {
		d->ops->flush_iotlb_all(d);
		r->first_cleared = -1;
		r->flushes++;
	}
	if (d->ops->map(d, (unsigned long)r->iova[next], r->phys, r->bytes,
			IOMMU_WRITE))
		return 0;
	r->cur = next;
	return r->iova[next];
}

/*
 * Before each request: dd-inval drops the IOMMU's cached translations
 * of the buffer, as a strict unmap does, so the device's next access
 * walks the tables; dd-remap moves the buffer to its next IOVA and points
 * the request there. False if that failed: the request must not go out.
 */
static bool bb_before_request(struct bb_run *run, struct blk_segment *seg)
{
	if (run->remap) {
		dma_addr_t a = bb_remap_next(run->remap);

		seg->dma = a;
		return a != 0;
	}
	if (run->inval)
		run->inval->ops->iotlb_sync(run->inval,
					    (unsigned long)run->inval_iova,
					    run->inval_bytes);
	return true;
}

static void bb_end_io(struct blk_request *req)
{
	struct bb_slot *slot = container_of(req, struct bb_slot, req);
	struct bb_run *run = slot->run;
	uint64_t now = clock_ns();
	unsigned long flags;
	bool again;

	spin_lock_irqsave(&run->lock, flags);
	run->done++;
	if (req->status)
		run->errors++;
	run->t_last = now;
	/* A dd case ends at the end of a whole pass over its range, the
	 * first one after its time is up. */
	again = now < run->deadline ||
		(run->once && run->next + run->sectors <= run->limit);
	if (again)
		req->sector = next_sector_locked(run);
	else
		run->in_flight--;
	spin_unlock_irqrestore(&run->lock, flags);
	if (again && (!bb_before_request(run, &slot->seg) ||
		      blk_submit(run->b, req))) {
		spin_lock_irqsave(&run->lock, flags);
		run->refused++;
		run->in_flight--;
		spin_unlock_irqrestore(&run->lock, flags);
	}
}

/* Wait for every request of run; sleeping lets the idle vCPU halt. */
static void bb_wait(struct bb_run *run)
{
	while (READ_ONCE(run->in_flight)) {
		if (!run->b->irq_driven)
			run->b->ops->poll(run->b);
		else
			sleep_ms(1);
	}
}

/*
 * One case: depth requests of bytes each from bufs[] (one block of
 * bytes per slot), until bb_case_ms has passed. Returns elapsed ns (0 on
 * failure); run->done and run->high say what was done.
 */
static uint64_t bb_case(struct bb_run *run, const struct bb_buf *bufs,
			unsigned int depth, unsigned int bytes)
{
	unsigned long flags;
	uint64_t t0;

	run->sectors = bytes / SECTOR_SIZE;
	run->done = run->errors = run->refused = 0;
	run->next = run->first;
	run->high = 0;
	prng_seed(&run->rng, BB_SEED);
	spin_lock_init(&run->lock, "blk_bench");
	t0 = clock_ns();
	run->t_last = t0;
	run->deadline = run->slice ? t0 : t0 + (uint64_t)bb_case_ms * 1000000;
	run->in_flight = depth;
	for (unsigned int i = 0; i < depth; i++) {
		struct bb_slot *s = &bb_slots[i];

		s->run = run;
		s->seg = (struct blk_segment){ .page = bufs[i].page, .len = bytes,
			.dma_mapped = bufs[i].registered, .dma = bufs[i].dma };
		spin_lock_irqsave(&run->lock, flags);
		s->req = (struct blk_request){ .op = run->op,
			.sector = next_sector_locked(run), .segs = &s->seg,
			.nr_segs = 1, .end_io = bb_end_io };
		spin_unlock_irqrestore(&run->lock, flags);
		if (!bb_before_request(run, &s->seg) ||
		    blk_submit(run->b, &s->req)) {
			spin_lock_irqsave(&run->lock, flags);
			run->refused++;
			run->in_flight--;
			spin_unlock_irqrestore(&run->lock, flags);
		}
	}
	bb_wait(run);
	if (run->errors || run->refused || !run->done) {
		printk("bench: blk: %s%s %u KiB: %llu errors, %llu refused submissions; no figure\n",
		       bufs[0].registered ? "registered " : "",
		       run->op == BLK_OP_READ ? "read" : "write", bytes >> 10,
		       (unsigned long long)run->errors,
		       (unsigned long long)run->refused);
		return 0;
	}
	return run->t_last - t0;
}

/* "12.3" MiB/s from bytes and ns, integer arithmetic only. */
static void print_mibs(const char *kind, const char *what, unsigned int bytes,
		       unsigned int depth, const struct bb_run *run, uint64_t ns)
{
	uint64_t kib = run->done * (bytes >> 10);
	uint64_t tenths = kib * 10 * 1000 / 1024 * 1000 / (ns / 1000 ? ns / 1000 : 1);

	printk("bench: blk: %s %-5s %4u KiB x QD%u: %llu.%llu MiB/s "
	       "(%llu requests, %llu MiB in %llu ms)\n", kind, what,
	       bytes >> 10, depth, (unsigned long long)(tenths / 10),
	       (unsigned long long)(tenths % 10), (unsigned long long)run->done,
	       (unsigned long long)(kib >> 10), (unsigned long long)(ns / 1000000));
}

/*
 * 2 MiB: no goal is set for it; each buffer is a 2 MiB-aligned block, so
 * with an IOMMU the DMA API can map it with one 2 MiB IOMMU page (if the
 * unit has them and the IOVA is aligned): what large pages save.
 */
static const unsigned int bb_sizes[] = { 4096, 65536, 1 << 20, 2 << 20 };
#define BB_MAX_BYTES	(2u << 20)
#define BB_REG_BLOCK	(2u << 20)	/* registered memory, a block at a time */

/* Registered buffers: BB_DEPTH blocks of 2 MiB, mapped once for the disk. */
static struct {
	void *cpu[BB_DEPTH];
	dma_addr_t dma[BB_DEPTH];
	unsigned int nr;
} bb_reg;

static void reg_free(struct block_device *b)
{
	while (bb_reg.nr) {
		bb_reg.nr--;
		dma_free_coherent(b->dma_dev, BB_REG_BLOCK, bb_reg.cpu[bb_reg.nr],
				  bb_reg.dma[bb_reg.nr]);
	}
}

static bool reg_alloc(struct block_device *b, unsigned int depth)
{
	if (!b->dma_dev) {
		printk("bench: blk: %s does no DMA: no registered-buffer cases\n",
		       b->name);
		return false;
	}
	for (bb_reg.nr = 0; bb_reg.nr < depth; bb_reg.nr++) {
		bb_reg.cpu[bb_reg.nr] = dma_alloc_coherent(b->dma_dev, BB_REG_BLOCK,
					&bb_reg.dma[bb_reg.nr], GFP_KERNEL);
		if (!bb_reg.cpu[bb_reg.nr]) {
			printk("bench: blk: no memory for registered buffers\n");
			reg_free(b);
			return false;
		}
	}
	return true;
}

/* Slot i's registered buffer of bytes: packed into the 2 MiB blocks. */
static struct bb_buf reg_buf(unsigned int i, unsigned int bytes)
{
	unsigned int per_block = BB_REG_BLOCK / bytes;
	unsigned int blk = i / per_block, off = (i % per_block) * bytes;

	return (struct bb_buf){ .page = virt_to_page((char *)bb_reg.cpu[blk] + off),
				.dma = bb_reg.dma[blk] + off, .registered = true };
}

static void print_iops(const char *kind, unsigned int depth,
		       const struct block_device *b, const struct bb_run *run,
		       uint64_t ns)
{
	printk("bench: blk: %s 4 KiB x QD%u: %llu IOPS "
	       "(%llu requests in %llu ms, seed %#llx, over all %llu MiB)\n",
	       kind, depth, (unsigned long long)(run->done * 1000000000 / ns),
	       (unsigned long long)run->done, (unsigned long long)(ns / 1000000),
	       (unsigned long long)BB_SEED, (unsigned long long)(b->nr_sectors >> 11));
}

/*
 * The read cases of one request size: sequential reads of what the
 * writes covered (below `written`, not sparse holes), and for 4 KiB also
 * random reads over the whole disk. Labels "seq"/"rand read" for
 * per-request buffers, "reg"/"reg rand read" for registered ones.
 */
static void read_cases(struct bb_run *run, const struct bb_buf *bufs,
		       unsigned int depth, unsigned int bytes, uint64_t written,
		       bool registered)
{
	uint64_t ns;

	run->op = BLK_OP_READ;
	run->random = false;
	run->limit = max(written, (uint64_t)depth * (bytes / SECTOR_SIZE));
	ns = bb_case(run, bufs, depth, bytes);
	if (ns)
		print_mibs(registered ? "reg" : "seq", "read", bytes, depth, run, ns);
	if (bytes != 4096)
		return;
	run->random = true;
	run->limit = run->b->nr_sectors;
	ns = bb_case(run, bufs, depth, bytes);
	if (ns)
		print_iops(registered ? "reg rand read" : "rand read", depth,
			   run->b, run, ns);
}

/* "dd-inval read" (top of the file): buf is mapped; behind an IOMMU,
 * the case again with every page translated afresh for each request. */
static void dd_inval_case(struct bb_run *run, const struct bb_buf *buf,
			  unsigned int bytes)
{
	struct iommu_domain *d = run->b->dma_dev->domain;
	uint64_t ns;

	if (!d)
		return;			/* direct mapping: nothing to invalidate */
	run->inval = d;
	run->inval_iova = buf->dma;
	run->inval_bytes = bytes;
	ns = bb_case(run, buf, 1, bytes);
	run->inval = NULL;
	if (ns)
		print_mibs("dd-inval", "read", bytes, 1, run, ns);
}

#define BB_DD_BYTES	(128u << 20)
static const unsigned int bb_dd_sizes[] = { 4096, 65536, 1 << 20 };

/* Linux's dd workload (top of the file): one buffer, QD1, the first
 * 128 MiB once, per request mapping. */
static void dd_cases(struct bb_run *run)
{
	for (size_t k = 0; k < ARRAY_SIZE(bb_dd_sizes); k++) {
		unsigned int bytes = bb_dd_sizes[k], order = get_order(bytes);
		struct bb_buf buf = { alloc_pages(GFP_KERNEL, order), 0, false };
		uint64_t ns;

		if (bb_only_kib && bytes != bb_only_kib << 10) {
			if (buf.page)
				__free_pages(buf.page, order);
			continue;
		}
		if (!buf.page) {
			printk("bench: blk: no memory for a %u KiB dd buffer\n",
			       bytes >> 10);
			return;
		}
		run->op = BLK_OP_READ;
		run->random = false;
		run->once = true;
		run->limit = min(run->b->nr_sectors, (uint64_t)BB_DD_BYTES / SECTOR_SIZE);
		ns = bb_case(run, &buf, 1, bytes);
		if (ns)
			print_mibs("dd", "read", bytes, 1, run, ns);
		/* The same with the mapping work removed: the buffer mapped
		 * once (4 KiB IOMMU pages, as per request) and every request
		 * passing that address. Behind an IOMMU, what is left of the
		 * cost is the device side: QEMU translating each page of each
		 * request through its emulated unit (issue 20's floor). */
		if (run->b->dma_dev) {
			buf.dma = dma_map_page(run->b->dma_dev, buf.page, 0, bytes,
					       DMA_FROM_DEVICE);
			buf.registered = !dma_mapping_error(run->b->dma_dev,
							    buf.dma);
			if (buf.registered) {
				ns = bb_case(run, &buf, 1, bytes);
				if (ns)
					print_mibs("dd-pre", "read", bytes, 1,
						   run, ns);
				dd_inval_case(run, &buf, bytes);
				dma_unmap_page(run->b->dma_dev, buf.dma, bytes,
					       DMA_FROM_DEVICE);
			}
		}
		run->once = false;
		__free_pages(buf.page, order);
	}
}

/*
 * blkbench.pair=NAME (tools/bench-blk PAIR=yes): dd's workload on two
 * disks of one machine, the first (A) and NAME (B), in alternating
 * slices of the same bytes: A then B, then B then A, and so on until the
 * case's time is up. Each pair's ratio (A's rate / B's) divides two
 * figures taken within a fraction of a second of each other, so what
 * drifts on the host between boots or over a boot (10-20% at one request
 * in flight on a 2-core host) falls on both alike. With A behind the
 * IOMMU and B not (its device without ACCESS_PLATFORM: no translation,
 * direct mapping) the ratio is what translation and mapping cost, in
 * the same boot. "dd pair" maps A's buffer per request; "dd-inval pair"
 * maps it once and invalidates its IOTLB entries before each request
 * (the per-request floor, as "dd-inval read" above); "dd-remap pair"
 * writes and clears the buffer's entries for each request at IOVAs used
 * in turn, flushed in the flush queue's batches (bb_remap_next): the
 * floor of a lazy mapping per request with 4 KiB IOMMU pages, which
 * must write the entries it maps.
 */
#define BB_PAIRS_MAX	256
#define BB_PAIR_MIN	4		/* pairs per case, whatever the time */

struct bb_side {
	struct bb_run run;
	uint64_t pos;			/* next slice's first sector */
	uint64_t ns, requests;		/* over the case */
};

/* One slice of side sd: slice_sectors from its position, one request of
 * bytes at a time. Elapsed ns, 0 on failure. */
static uint64_t pair_slice(struct bb_side *sd, const struct bb_buf *buf,
			   unsigned int bytes, uint64_t slice_sectors)
{
	struct bb_run *run = &sd->run;
	uint64_t ns, span = min(run->b->nr_sectors, (uint64_t)BB_DD_BYTES / SECTOR_SIZE);

	run->op = BLK_OP_READ;
	run->random = false;
	run->once = run->slice = true;
	run->first = sd->pos;
	run->limit = sd->pos + slice_sectors;
	ns = bb_case(run, buf, 1, bytes);
	sd->pos = run->limit + slice_sectors <= span ? run->limit : 0;
	sd->ns += ns;
	sd->requests += run->done;
	return ns;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* MiB/s x 10 from bytes and ns, integer arithmetic only. */
static uint64_t tenths_mibs(uint64_t bytes, uint64_t ns)
{
	return bytes * 10 / 1024 * 1000 / 1024 * 1000 / (ns / 1000 ? ns / 1000 : 1);
}

static const char *dma_kind(const struct block_device *b)
{
	return !b->dma_dev ? "no DMA" : b->dma_dev->domain ? "translated" : "direct";
}

/*
 * The guest's own share of a "dd pair" request on a translated disk: the
 * buffer's dma_map_page + dma_unmap_page alone, no I/O (the lazy flush
 * queue's flushes included, as the requests pay them). Best of 3 loops
 * of BB_MAP_LOOPS, ns a pair; 0 if a mapping failed.
 */
#define BB_MAP_LOOPS	256u

static uint64_t map_unmap_ns(struct device *dev, struct page *pg, unsigned int bytes)
{
	uint64_t best = ~0ULL;

	for (int r = 0; r < 3; r++) {
		uint64_t t0 = clock_ns();

		for (unsigned int i = 0; i < BB_MAP_LOOPS; i++) {
			dma_addr_t a = dma_map_page(dev, pg, 0, bytes, DMA_FROM_DEVICE);

			if (dma_mapping_error(dev, a))
				return 0;
			dma_unmap_page(dev, a, bytes, DMA_FROM_DEVICE);
		}
		best = min(best, (clock_ns() - t0) / BB_MAP_LOOPS);
	}
	return best;
}

/*
 * The same for dd-remap's share (bb_remap_next: the entries written at
 * the next IOVA, the last ones cleared, a domain-wide flush as often as
 * the flush queue's would come), so that "dd map+unmap" minus this is
 * what the DMA API, the IOVA allocator and the flush queue add to a
 * request. ns a request, best of 3 loops of BB_MAP_LOOPS; 0 on failure.
 */
static uint64_t remap_ns(struct bb_remap *r)
{
	uint64_t best = ~0ULL;

	for (int k = 0; k < 3; k++) {
		uint64_t t0 = clock_ns();

		for (unsigned int i = 0; i < BB_MAP_LOOPS; i++)
			if (!bb_remap_next(r))
				return 0;
		best = min(best, (clock_ns() - t0) / BB_MAP_LOOPS);
	}
	return best;
}

/* How a paired case maps A's buffer. */
enum bb_pair_kind {
	BB_PAIR_MAPPED,		/* "dd pair": per request, by the DMA API */
	BB_PAIR_INVAL,		/* "dd-inval pair": once; IOTLB range
				 * invalidated before each request */
	BB_PAIR_REMAP,		/* "dd-remap pair": entries written and cleared
				 * per request, IOVAs in turn (bb_remap_next) */
};

static const char *const bb_pair_names[] = {
	[BB_PAIR_MAPPED] = "dd pair",
	[BB_PAIR_INVAL] = "dd-inval pair",
	[BB_PAIR_REMAP] = "dd-remap pair",
};

/*
 * dd-remap's set-up: BB_REMAP_RANGES IOVAs for the buffer, reserved by
 * mapping it at each, then cleared and flushed. False if the domain's
 * space or memory ran out (what was made is undone).
 */
static bool bb_remap_setup(struct bb_remap *r, struct device *dev,
			   struct page *pg, unsigned int bytes)
{
	struct iommu_domain *d = dev->domain;
	unsigned int i;

	*r = (struct bb_remap){ .d = d, .phys = PFN_PHYS(page_to_pfn(pg)),
				.bytes = bytes, .cur = -1, .first_cleared = -1 };
	for (i = 0; i < BB_REMAP_RANGES; i++) {
		r->iova[i] = dma_map_page(dev, pg, 0, bytes, DMA_FROM_DEVICE);
		if (dma_mapping_error(dev, r->iova[i]))
			break;
	}
	if (i < BB_REMAP_RANGES) {
		while (i--)
			dma_unmap_page(dev, r->iova[i], bytes, DMA_FROM_DEVICE);
		return false;
	}
	for (i = 0; i < BB_REMAP_RANGES; i++)
		d->ops->unmap(d, (unsigned long)r->iova[i], bytes);
	d->ops->flush_iotlb_all(d);
	return true;
}

/* Map every range again (what dma_unmap_page expects) and unmap them. */
static void bb_remap_teardown(struct bb_remap *r, struct device *dev)
{
	for (unsigned int i = 0; i < BB_REMAP_RANGES; i++) {
		if ((int)i != r->cur &&
		    r->d->ops->map(r->d, (unsigned long)r->iova[i], r->phys,
				   r->bytes, IOMMU_WRITE)) {
			printk("bench: blk: dd-remap: could not map range %u again; its IOVA is lost\n", i);
			continue;
		}
		dma_unmap_page(dev, r->iova[i], r->bytes, DMA_FROM_DEVICE);
	}
}

/* One paired case of bytes, A's buffer mapped as kind says. */
static void pair_case(struct bb_side *a, struct bb_side *b, unsigned int bytes,
		      unsigned int slice_bytes, enum bb_pair_kind pk)
{
	static uint32_t ratio[BB_PAIRS_MAX];	/* A's rate / B's, x 1000 */
	static struct bb_remap remap;
	bool remapping = false;
	unsigned int order = get_order(bytes), n = 0, med;
	struct bb_buf buf = { alloc_pages(GFP_KERNEL, order), 0, false };
	struct bb_buf abuf;
	struct device *adev = a->run.b->dma_dev;
	uint64_t t_end, ta, tb, slice = slice_bytes / SECTOR_SIZE;
	const char *kind = bb_pair_names[pk];
	bool inval = pk != BB_PAIR_MAPPED;

	if (!buf.page) {
		printk("bench: blk: no memory for a %u KiB dd buffer\n", bytes >> 10);
		return;
	}
	abuf = buf;
	if (pk == BB_PAIR_REMAP) {
		if (!adev || !adev->domain)
			goto out;	/* no page table */
		if (!bb_remap_setup(&remap, adev, buf.page, bytes)) {
			printk("bench: blk: %s %u KiB: could not map the buffer at %u IOVAs (IOVA space or page-table memory ran out)\n",
			       kind, bytes >> 10, BB_REMAP_RANGES);
			goto out;
		}
		remapping = abuf.registered = true;
		a->run.remap = &remap;
	} else if (inval) {
		if (!adev || !adev->domain)
			goto out;	/* nothing to invalidate */
		abuf.dma = dma_map_page(adev, buf.page, 0, bytes, DMA_FROM_DEVICE);
		if (dma_mapping_error(adev, abuf.dma)) {
			printk("bench: blk: %s %u KiB: mapping failed\n", kind, bytes >> 10);
			goto out;
		}
		abuf.registered = true;
		a->run.inval = adev->domain;
		a->run.inval_iova = abuf.dma;
		a->run.inval_bytes = bytes;
	}
	a->pos = b->pos = 0;
	a->ns = a->requests = b->ns = b->requests = 0;
	t_end = clock_ns() + (uint64_t)bb_case_ms * 1000000;
	while (n < BB_PAIRS_MAX && (n < BB_PAIR_MIN || clock_ns() < t_end)) {
		/* A first in even pairs, B first in odd ones: a steady drift
		 * over the pair favours neither side. */
		if (n % 2 == 0) {
			ta = pair_slice(a, &abuf, bytes, slice);
			tb = ta ? pair_slice(b, &buf, bytes, slice) : 0;
		} else {
			tb = pair_slice(b, &buf, bytes, slice);
			ta = tb ? pair_slice(a, &abuf, bytes, slice) : 0;
		}
		if (!ta || !tb)
			goto out;	/* bb_case said why */
		ratio[n++] = (uint32_t)(tb * 1000 / ta);
	}
	sort(ratio, n, sizeof(ratio[0]), cmp_u32);
	med = (ratio[(n - 1) / 2] + ratio[n / 2]) / 2;
	ta = tenths_mibs(a->requests * bytes, a->ns);
	tb = tenths_mibs(b->requests * bytes, b->ns);
	printk("bench: blk: %s %4u KiB: %s %llu.%llu MiB/s %s, %s %llu.%llu MiB/s %s: "
	       "ratio %u.%03u (quartiles %u.%03u-%u.%03u; %u pairs of %u MiB)\n",
	       kind, bytes >> 10, a->run.b->name, (unsigned long long)(ta / 10),
	       (unsigned long long)(ta % 10), dma_kind(a->run.b), b->run.b->name,
	       (unsigned long long)(tb / 10), (unsigned long long)(tb % 10),
	       dma_kind(b->run.b), med / 1000, med % 1000,
	       ratio[n / 4] / 1000, ratio[n / 4] % 1000,
	       ratio[3 * n / 4] / 1000, ratio[3 * n / 4] % 1000, n, slice_bytes >> 20);
	if (remapping) {
		uint64_t ns;

		printk("bench: blk: dd-remap %4u KiB: %llu requests on %s, %lu domain-wide flushes\n",
		       bytes >> 10, (unsigned long long)a->requests, a->run.b->name,
		       remap.flushes);
		ns = remap_ns(&remap);
		if (ns)
			printk("bench: blk: dd-remap map+unmap %4u KiB on %s: %llu.%llu us a request "
			       "(best of 3 x %u, no I/O)\n", bytes >> 10, a->run.b->name,
			       (unsigned long long)(ns / 1000),
			       (unsigned long long)(ns % 1000 / 100), BB_MAP_LOOPS);
	}
	if (!inval && adev && adev->domain) {
		uint64_t ns = map_unmap_ns(adev, buf.page, bytes);

		if (ns)
			printk("bench: blk: dd map+unmap %4u KiB on %s: %llu.%llu us a request "
			       "(best of 3 x %u, no I/O)\n", bytes >> 10, a->run.b->name,
			       (unsigned long long)(ns / 1000),
			       (unsigned long long)(ns % 1000 / 100), BB_MAP_LOOPS);
	}
out:
	a->run.inval = NULL;
	a->run.remap = NULL;
	a->run.once = a->run.slice = b->run.once = b->run.slice = false;
	a->run.first = b->run.first = 0;
	if (remapping)
		bb_remap_teardown(&remap, adev);
	else if (abuf.registered)
		dma_unmap_page(adev, abuf.dma, bytes, DMA_FROM_DEVICE);
	__free_pages(buf.page, order);
}

/* dd's sizes, each with the bytes of one slice: long enough for a
 * clock's worth of requests, short enough for many pairs a case. */
static const unsigned int bb_pair_slice[] = { 8u << 20, 32u << 20, 128u << 20 };

static void dd_pair_cases(struct block_device *first)
{
	static struct bb_side a, b;
	struct block_device *other = blk_get(bb_pair_name);

	if (!other || other == first) {
		printk("bench: blk: blkbench.pair=%s: no such second block device; no paired cases\n",
		       bb_pair_name);
		return;
	}
	if (other->read_only || other->nr_sectors < BB_DD_BYTES / SECTOR_SIZE ||
	    first->nr_sectors < BB_DD_BYTES / SECTOR_SIZE) {
		printk("bench: blk: %s or %s is read-only or smaller than %u MiB; no paired cases\n",
		       first->name, other->name, BB_DD_BYTES >> 20);
		return;
	}
	printk("bench: blk: dd pairs: %s (%s) against %s (%s), QD1, %u ms per case\n",
	       first->name, dma_kind(first), other->name, dma_kind(other), bb_case_ms);
	a.run.b = first;
	b.run.b = other;
	for (size_t k = 0; k < ARRAY_SIZE(bb_dd_sizes); k++) {
		if (bb_only_kib && bb_dd_sizes[k] != bb_only_kib << 10)
			continue;
		pair_case(&a, &b, bb_dd_sizes[k], bb_pair_slice[k], BB_PAIR_MAPPED);
		pair_case(&a, &b, bb_dd_sizes[k], bb_pair_slice[k], BB_PAIR_INVAL);
		pair_case(&a, &b, bb_dd_sizes[k], bb_pair_slice[k], BB_PAIR_REMAP);
	}
}

void bench_blk(void)
{
	struct block_device *b = blk_first();
	static struct bb_buf bufs[BB_DEPTH];
	static struct bb_run run;
	uint64_t written = 0;
	unsigned int depth;
	bool have_reg;

	if (!b) {
		printk("bench: blk: no block device; skipped (tools/bench-blk attaches one)\n");
		return;
	}
	depth = min(BB_DEPTH, b->queue_depth);
	if (b->nr_sectors < (uint64_t)depth * 2 * (BB_MAX_BYTES / SECTOR_SIZE) ||
	    b->read_only) {
		printk("bench: blk: %s is read-only or smaller than %u MiB; skipped\n",
		       b->name, depth * 2 * (BB_MAX_BYTES >> 20));
		return;
	}
	printk("bench: blk: %s, %llu MiB, %s, queue depth %u (driver allows %u), "
	       "%u ms per case\n", b->name,
	       (unsigned long long)(b->nr_sectors >> 11),
	       b->irq_driven ? "interrupts" : "polled", depth, b->queue_depth,
	       bb_case_ms);
	if (bb_pair_name[0]) {
		dd_pair_cases(b);
		return;
	}
	run.b = b;
	dd_cases(&run);
	have_reg = reg_alloc(b, depth);
	for (size_t k = 0; k < ARRAY_SIZE(bb_sizes); k++) {
		unsigned int bytes = bb_sizes[k];
		unsigned int order = 0;
		uint64_t ns;
		unsigned int i;

		if (bb_only_kib && bytes != bb_only_kib << 10)
			continue;
		order = get_order(bytes);
		for (i = 0; i < depth; i++) {
			bufs[i] = (struct bb_buf){ alloc_pages(GFP_KERNEL, order), 0, false };
			if (!bufs[i].page)
				break;
			memset(page_address(bufs[i].page), 0x5a + (int)i, bytes);
		}
		if (i < depth) {
			printk("bench: blk: no memory for %u x %u KiB buffers\n",
			       depth, bytes >> 10);
			while (i--)
				__free_pages(bufs[i].page, order);
			break;
		}

		run.op = BLK_OP_WRITE;
		run.random = false;
		run.limit = b->nr_sectors;
		ns = bb_case(&run, bufs, depth, bytes);
		if (ns)
			print_mibs("seq", "write", bytes, depth, &run, ns);
		if (run.high > written)
			written = run.high;
		if (b->has_flush) {
			uint64_t t0 = clock_ns();
			int err = blk_flush(b);

			printk("bench: blk: flush after %u KiB writes: %llu ms%s\n",
			       bytes >> 10,
			       (unsigned long long)((clock_ns() - t0) / 1000000),
			       err ? " (failed)" : "");
		}

		read_cases(&run, bufs, depth, bytes, written, false);
		for (i = 0; i < depth; i++)
			__free_pages(bufs[i].page, order);

		if (!have_reg)
			continue;
		for (i = 0; i < depth; i++)
			bufs[i] = reg_buf(i, bytes);
		read_cases(&run, bufs, depth, bytes, written, true);
	}
	if (have_reg)
		reg_free(b);
}
