/*
 * mm/readahead.c - reading a file's pages before they are asked for
 * (Linux's on-demand readahead, mm/readahead.c). docs/mm/filemap.md,
 * "Readahead".
 *
 * Each open file has a window (struct file_ra_state): [start, start +
 * size) pages, of which the last async_size are read "ahead"; the first
 * page of that part carries PG_readahead. A read that misses the cache
 * starts a window (sync readahead): sized from the request, doubled or
 * quadrupled if it follows the previous read. A read that reaches the
 * PG_readahead page (async readahead) means the reader is streaming: the
 * next window, twice as big up to ra_pages, is started while the reader
 * still has async_size pages to consume, so I/O and reading overlap. A
 * read that follows neither the window nor the previous position is
 * random: no readahead.
 *
 * Nothing here waits for I/O: pages are added locked, handed to the file
 * system (->readahead in batches, else ->read_folio each) and unlocked by
 * the I/O completion; filemap_read waits on the page it needs.
 */
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"

/* 128 KiB, Linux's default (VM_READAHEAD_PAGES). */
unsigned int readahead_max_pages = 128 * 1024 / PAGE_SIZE;

static int set_readahead(const char *value)
{
	uint64_t kb;

	if (!value || !parse_u64(value, &kb, false) || kb > 64 * 1024) {
		pr_err("readahead=%s: want KB from 0 (off) to 65536\n",
		       value ? value : "");
		return -1;
	}
	readahead_max_pages = (unsigned int)(kb * 1024 / PAGE_SIZE);
	return 0;
}
KERNEL_PARAM("readahead", set_readahead,
	     "KB: the readahead window's limit per open file (default 128, "
	     "0 = off, at most 65536)");

static struct readahead_stats ra_stats;

void readahead_get_stats(struct readahead_stats *st)
{
	st->sync = __atomic_load_n(&ra_stats.sync, __ATOMIC_RELAXED);
	st->async = __atomic_load_n(&ra_stats.async, __ATOMIC_RELAXED);
	st->pages = __atomic_load_n(&ra_stats.pages, __ATOMIC_RELAXED);
	st->hits = __atomic_load_n(&ra_stats.hits, __ATOMIC_RELAXED);
}

void readahead_count_hit(void)
{
	__atomic_add_fetch(&ra_stats.hits, 1, __ATOMIC_RELAXED);
}

void file_ra_state_init(struct file_ra_state *ra)
{
	memset(ra, 0, sizeof(*ra));
	ra->ra_pages = readahead_max_pages;
	ra->prev_pos = -1;
}

/* -------------------------------------------------------- reading pages */

#define RA_BATCH	32	/* pages handed to the file system at once */
/* Readahead is a guess: under memory pressure give up rather than push
 * reclaim hard for it (Linux's readahead_gfp_mask). */
#define RA_GFP(mapping)	(mapping_gfp_mask(mapping) | __GFP_NORETRY | \
			 __GFP_NOWARN)

static void read_batch(struct address_space *mapping, struct file *file,
		       struct page **pages, unsigned int nr)
{
	unsigned int i;

	if (!nr)
		return;
	count_vm_events(PGPGIN, nr * (PAGE_SIZE / 1024));
	__atomic_add_fetch(&ra_stats.pages, nr, __ATOMIC_RELAXED);
	if (mapping->a_ops->readahead) {
		mapping->a_ops->readahead(mapping, pages, nr);
	} else {
		/* A read that could not start leaves its page unlocked and
		 * !uptodate: the reader tries again and sees the error. */
		for (i = 0; i < nr; i++)
			(void)mapping->a_ops->read_folio(file, pages[i]);
	}
	for (i = 0; i < nr; i++)
		put_page(pages[i]);	/* the cache keeps its own */
}

/*
 * Add and start reading the pages of [index, index + nr) that are not
 * cached, within the file; the page at index + nr - lookahead gets
 * PG_readahead. Runs of consecutive new pages go to the file system
 * together. Stops early when memory is short.
 */
static void do_page_cache_ra(struct address_space *mapping, struct file *file,
			     pgoff_t index, unsigned long nr,
			     unsigned long lookahead)
{
	loff_t size = __atomic_load_n(&mapping->size, __ATOMIC_RELAXED);
	pgoff_t end_index = (pgoff_t)((size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	pgoff_t mark = index + nr - lookahead;
	struct page *batch[RA_BATCH];
	unsigned int n = 0;
	pgoff_t i;

	if (index >= end_index)
		return;
	if (nr > end_index - index)
		nr = end_index - index;
	for (i = index; i < index + nr; i++) {
		struct page *page = find_get_page(mapping, i);
		int err;

		if (page) {	/* cached already: the run ends here */
			put_page(page);
			read_batch(mapping, file, batch, n);
			n = 0;
			continue;
		}
		page = mapping->node ? alloc_pages_node(mapping->node,
							RA_GFP(mapping), 0) :
				       alloc_page(RA_GFP(mapping));
		if (!page)
			break;
		__SetPageLocked(page);
		if (i == mark && lookahead)
			__SetPageReadahead(page);
		err = add_to_page_cache_lru(page, mapping, i, RA_GFP(mapping));
		if (err) {
			page->flags &= ~PAGE_FLAGS_OWNER;
			__free_page(page);
			read_batch(mapping, file, batch, n);
			n = 0;
			if (err == -EEXIST)
				continue;
			break;
		}
		batch[n++] = page;
		if (n == RA_BATCH) {
			read_batch(mapping, file, batch, n);
			n = 0;
		}
	}
	read_batch(mapping, file, batch, n);
}

/* ------------------------------------------------------ the window sizes */

static unsigned long roundup_pow2(unsigned long x)
{
	unsigned long p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

/* The first window for a request of size pages (Linux's get_init_ra_size):
 * small requests get 4x, medium 2x, large the limit. */
static unsigned long get_init_ra_size(unsigned long size, unsigned long max)
{
	unsigned long newsize = roundup_pow2(size);

	if (newsize <= max / 32)
		newsize *= 4;
	else if (newsize <= max / 4)
		newsize *= 2;
	else
		newsize = max;
	return newsize;
}

/* The next window after one of cur pages: x4 while small, x2, then max. */
static unsigned long get_next_ra_size(unsigned long cur, unsigned long max)
{
	if (cur < max / 16)
		return 4 * cur;
	if (cur <= max / 2)
		return 2 * cur;
	return max;
}

/*
 * How many pages just before index are cached (at most max): the trace a
 * sequential reader leaves behind. If that history is longer than the
 * request, index is taken to continue a stream: the window is the
 * history (doubled if it reaches back to the file's start) plus the
 * request. False: no history, a random read.
 */
static bool try_context_readahead(struct address_space *mapping,
				  struct file_ra_state *ra, pgoff_t index,
				  unsigned long req_size, unsigned long max)
{
	unsigned long history = 0, flags;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	while (history < max && history < index) {
		void *e = xa_load(&mapping->i_pages, index - 1 - history);

		if (!e || xa_is_value(e))
			break;
		history++;
	}
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	if (history <= req_size)
		return false;
	if (history >= index)
		history *= 2;
	ra->start = index;
	ra->size = (unsigned int)(history + req_size < max ?
				  history + req_size : max);
	ra->async_size = 1;
	return true;
}

static void ra_submit(struct file_ra_state *ra, struct address_space *mapping,
		      struct file *file)
{
	do_page_cache_ra(mapping, file, ra->start, ra->size, ra->async_size);
}

/*
 * Linux's ondemand_readahead: decide the window from where this read is
 * relative to the current window and the previous read, then read it.
 */
static void ondemand_readahead(struct address_space *mapping,
			       struct file_ra_state *ra, struct file *file,
			       bool hit_readahead_marker, pgoff_t index,
			       unsigned long req_size)
{
	unsigned long max = ra->ra_pages;
	pgoff_t prev_index;

	if (!max)
		return;		/* readahead is off for this file */
	if (req_size > max)
		req_size = max;

	/* Start of file: assume a sequential reader. */
	if (!index)
		goto initial;

	/* The expected next read: at the look-ahead mark or just past the
	 * window. Move the window on and grow it. */
	if (ra->size && (index == ra->start + ra->size - ra->async_size ||
			 index == ra->start + ra->size)) {
		ra->start += ra->size;
		ra->size = (unsigned int)get_next_ra_size(ra->size, max);
		ra->async_size = ra->size;
		goto readit;
	}

	/*
	 * A PG_readahead page not where our window says: another reader
	 * of the same file (interleaved streams), or a window we lost.
	 * Find where the cached run after index ends and read on from
	 * there, as if the window had been ours.
	 */
	if (hit_readahead_marker) {
		unsigned long flags;
		pgoff_t start;

		spin_lock_irqsave(&mapping->i_pages_lock, flags);
		start = xa_next_hole(&mapping->i_pages, index + 1, index + max);
		spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
		if (start - index > max)
			return;
		ra->start = start;
		ra->size = (unsigned int)(start - index + req_size);
		ra->size = (unsigned int)get_next_ra_size(ra->size, max);
		ra->async_size = ra->size;
		goto readit;
	}

	/* A big request: read it as a new stream. */
	if (req_size >= max)
		goto initial;

	/* Follows the previous read (or re-reads its page): sequential. */
	prev_index = ra->prev_pos < 0 ? (pgoff_t)-1 :
		     (pgoff_t)(ra->prev_pos >> PAGE_SHIFT);
	if (prev_index != (pgoff_t)-1 && index - prev_index <= 1)
		goto initial;

	/* Another stream of the same file, whose pages are cached just
	 * before index: read on after them (Linux's context readahead,
	 * what keeps interleaved streams going). */
	if (try_context_readahead(mapping, ra, index, req_size, max))
		goto readit;

	/* Random: no readahead; the reader reads what it asked for. */
	return;

initial:
	ra->start = index;
	ra->size = (unsigned int)get_init_ra_size(req_size, max);
	ra->async_size = ra->size > req_size ? ra->size - (unsigned int)req_size :
			 ra->size;
readit:
	if (hit_readahead_marker)
		__atomic_add_fetch(&ra_stats.async, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&ra_stats.sync, 1, __ATOMIC_RELAXED);
	ra_submit(ra, mapping, file);
}

void page_cache_sync_readahead(struct address_space *mapping,
			       struct file_ra_state *ra, struct file *file,
			       pgoff_t index, unsigned long req_count)
{
	ondemand_readahead(mapping, ra, file, false, index, req_count);
}

void page_cache_async_readahead(struct address_space *mapping,
				struct file_ra_state *ra, struct file *file,
				struct page *page, pgoff_t index,
				unsigned long req_count)
{
	ClearPageReadahead(page);	/* one trigger per marker */
	if (PageWriteback(page))
		return;			/* being written: not a stream */
	ondemand_readahead(mapping, ra, file, true, index, req_count);
}

void page_cache_read_around(struct address_space *mapping,
			    struct file_ra_state *ra, struct file *file,
			    pgoff_t index)
{
	unsigned long max = ra->ra_pages;

	if (!max)
		return;
	/* Sequential faults (the window says so) are streamed instead. */
	if (ra->size && index == ra->start + ra->size - ra->async_size) {
		ondemand_readahead(mapping, ra, file, false, index, 1);
		return;
	}
	ra->start = index > max / 2 ? index - max / 2 : 0;
	ra->size = (unsigned int)max;
	ra->async_size = (unsigned int)(max / 4);
	__atomic_add_fetch(&ra_stats.sync, 1, __ATOMIC_RELAXED);
	ra_submit(ra, mapping, file);
}
