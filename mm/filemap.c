/*
 * mm/filemap.c - the page cache: finding, adding and removing a file's
 * pages, the page lock's sleeping side, and the read, write and fault
 * paths through the cache. Contracts in mm/filemap.h; the picture and the
 * locking order in docs/mm/filemap.md.
 *
 * Dirtying and writeback are in mm/page-writeback.c, readahead in
 * mm/readahead.c, truncation in mm/truncate.c.
 */
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "mm/backing-dev.h"
#include "mm/filemap.h"
#include "mm/lru.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include "mm/workingset.h"

/* Pages of AS_BDEV mappings now in the cache (meminfo's Buffers). */
static unsigned long nr_bdev_pages;

void address_space_init(struct address_space *mapping,
			const struct address_space_operations *a_ops,
			void *host)
{
	memset(mapping, 0, sizeof(*mapping));
	xa_init(&mapping->i_pages);
	spin_lock_init(&mapping->i_pages_lock, "i_pages");
	spin_lock_init(&mapping->i_mmap_lock, "i_mmap");
	INIT_LIST_HEAD(&mapping->i_mmap);
	INIT_LIST_HEAD(&mapping->dirty_link);
	mapping->wb = &noop_bdi.wb;
	mapping->gfp_mask = GFP_KERNEL;
	mapping->a_ops = a_ops;
	mapping->host = host;
}

unsigned long nr_blockdev_pages(void)
{
	return __atomic_load_n(&nr_bdev_pages, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------ page wait queues */

/*
 * Sleepers on a page's PG_locked or PG_writeback wait on one of a few
 * shared queues, chosen by hashing the page's address (Linux's
 * page_waitqueue): a queue per page would cost struct page a word, and
 * few pages have sleepers at once. A wake-up wakes every sleeper of the
 * bucket; each re-checks its own page's bit and sleeps again if it is
 * not the one (wait_event re-checks).
 */
#define PAGE_WAIT_TABLE_BITS	6
#define PW(i)		WAIT_QUEUE_HEAD_INIT(page_wait_table[i])
#define PW4(i)		PW(i), PW(i + 1), PW(i + 2), PW(i + 3)
#define PW16(i)		PW4(i), PW4(i + 4), PW4(i + 8), PW4(i + 12)
static struct wait_queue_head page_wait_table[1 << PAGE_WAIT_TABLE_BITS] = {
	PW16(0), PW16(16), PW16(32), PW16(48)
};

static struct wait_queue_head *page_waitqueue(const struct page *page)
{
	unsigned long h = (unsigned long)page * 0x9e3779b97f4a7c15UL;

	return &page_wait_table[h >> (64 - PAGE_WAIT_TABLE_BITS)];
}

void lock_page(struct page *page)
{
	if (trylock_page(page))
		return;
	wait_event(*page_waitqueue(page), trylock_page(page));
}

void wait_on_page_locked(struct page *page)
{
	wait_event(*page_waitqueue(page), !page_flag_test(page, PG_locked));
}

void wait_on_page_writeback(struct page *page)
{
	wait_event(*page_waitqueue(page), !PageWriteback(page));
}

void wake_up_page(struct page *page, int bit)
{
	(void)bit;	/* one queue for both bits: sleepers re-check */
	wake_up(page_waitqueue(page));
}

void unlock_page_wake(struct page *page)
{
	unlock_page(page);
	wake_up_page(page, PG_locked);
}

/* ----------------------------------------------------------------- lookup */

struct page *find_get_page(struct address_space *mapping, pgoff_t index)
{
	unsigned long flags;
	struct page *page;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	page = xa_load(&mapping->i_pages, index);
	if (page && xa_is_value(page))
		page = NULL;	/* a shadow: the page was evicted */
	if (page)
		get_page(page);	/* under the lock: delete cannot free it */
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	return page;
}

struct page *find_lock_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	for (;;) {
		page = find_get_page(mapping, index);
		if (!page)
			return NULL;
		lock_page(page);
		if (page->mapping == mapping && page->index == index)
			return page;
		/* Truncated or reclaimed while we slept: look again. */
		unlock_page_wake(page);
		put_page(page);
	}
}

static struct page *page_cache_alloc(struct address_space *mapping, gfp_t gfp)
{
	struct page *page = mapping->node ?
			    alloc_pages_node(mapping->node, gfp, 0) :
			    alloc_page(gfp);

	if (page)
		__SetPageLocked(page);
	return page;
}

/* A new page that never became visible (add failed): back to the allocator. */
static void page_cache_free_new(struct page *page)
{
	page->flags &= ~PAGE_FLAGS_OWNER;
	__free_page(page);
}

struct page *find_or_create_page(struct address_space *mapping,
				 pgoff_t index, gfp_t gfp)
{
	for (;;) {
		struct page *page = find_lock_page(mapping, index);
		int err;

		if (page)
			return page;
		page = page_cache_alloc(mapping, gfp);
		if (!page)
			return NULL;
		err = add_to_page_cache_lru(page, mapping, index, gfp);
		if (!err)
			return page;
		page_cache_free_new(page);
		if (err != -EEXIST)
			return NULL;
		/* Someone added one meanwhile: take theirs. */
	}
}

int add_to_page_cache_lru(struct page *page, struct address_space *mapping,
			  pgoff_t index, gfp_t gfp)
{
	unsigned long flags;
	void *old, *ret;

	get_page(page);			/* the cache's reference */
	page->mapping = mapping;
	page->index = index;
	ClearPageSwapBacked(page);	/* a file page: the file LRU lists */

	do {
		/* The index's nodes, allocated where we may sleep (Linux's
		 * preload); the store under the spinlock takes them. */
		/* The index's nodes are slab memory: never movable. */
		if (xa_reserve(&mapping->i_pages, index,
			       gfp & ~__GFP_MOVABLE)) {
			ret = ERR_PTR(-ENOMEM);
			old = NULL;
			break;
		}
		spin_lock_irqsave(&mapping->i_pages_lock, flags);
		old = xa_load(&mapping->i_pages, index);
		if (old && !xa_is_value(old)) {
			ret = ERR_PTR(-EEXIST);
		} else {
			/* XA_ERR_NOMEM: the tree grew since the reserve;
			 * nothing changed, reserve again. */
			ret = xa_store(&mapping->i_pages, index, page,
				       GFP_NOWAIT);
			if (!xa_is_err(ret)) {
				ret = NULL;
				mapping->nrpages++;
				if (old)
					mapping->nrshadows--;
				mod_node_page_state(page_pgdat(page),
						    NR_FILE_PAGES, 1);
				if (mapping->flags & (1UL << AS_BDEV))
					__atomic_add_fetch(&nr_bdev_pages, 1,
							   __ATOMIC_RELAXED);
			}
		}
		spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	} while (xa_is_err(ret));

	if (ret) {
		page->mapping = NULL;
		page->index = 0;
		put_page_testzero(page);	/* the caller still holds one */
		return (int)PTR_ERR(ret);
	}
	if (old)
		workingset_refault(page, old);	/* may set PG_active */
	lru_cache_add(page);
	return 0;
}

/*
 * Shadows are kept only while they can matter (mm/workingset.h): a file
 * read once from end to end, bigger than memory, would otherwise keep a
 * shadow for every page it ever had, and the index nodes holding them,
 * for as long as its inode is cached. When a mapping holds twice as many
 * shadows as the node has pages, at least half of them are stale (each
 * eviction has its own clock value, and only a node's worth of them can
 * be recent), so one walk erasing them all costs O(1) per eviction,
 * amortised. i_pages_lock held; page is the page being evicted.
 */
static void prune_stale_shadows(struct address_space *mapping,
				struct page *page)
{
	unsigned long index = 0, pruned = 0;
	void *entry;

	while ((entry = xa_find(&mapping->i_pages, &index, ~0UL,
				XA_PRESENT))) {
		if (xa_is_value(entry) &&
		    workingset_shadow_stale(page, entry)) {
			xa_erase(&mapping->i_pages, index);
			mapping->nrshadows--;
			pruned++;
		}
		if (index++ == ~0UL)
			break;
	}
	count_vm_events(WORKINGSET_NODERECLAIM, pruned);
}

void __delete_from_page_cache(struct page *page, void *shadow)
{
	struct address_space *mapping = page->mapping;
	unsigned long flags;

	/* While the page is still the mapping's: the file system may
	 * look at both to drop what it keeps in page->private. */
	if (mapping->a_ops && mapping->a_ops->invalidate_folio)
		mapping->a_ops->invalidate_folio(page);

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	xa_store(&mapping->i_pages, page->index, shadow, GFP_NOWAIT);
	mapping->nrpages--;
	if (shadow && ++mapping->nrshadows >
		      2 * node_managed_pages(page_pgdat(page)))
		prune_stale_shadows(mapping, page);
	mod_node_page_state(page_pgdat(page), NR_FILE_PAGES, -1);
	if (PageDirty(page)) {
		/* Only truncation drops a dirty page (it cancelled it);
		 * keep the count right if someone did not. */
		ClearPageDirty(page);
		mod_node_page_state(page_pgdat(page), NR_FILE_DIRTY, -1);
	}
	if (mapping->flags & (1UL << AS_BDEV))
		__atomic_sub_fetch(&nr_bdev_pages, 1, __ATOMIC_RELAXED);
	page->mapping = NULL;
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);

	ClearPageReadahead(page);
	put_page(page);			/* the cache's reference */
}

void delete_from_page_cache(struct page *page)
{
	__delete_from_page_cache(page, NULL);
}

/* ------------------------------------------------------------ reading */

/*
 * Read page (locked, in mapping, not uptodate) and wait for it: 0, or
 * -EIO (the page is then unlocked and !uptodate; PG_error set).
 * The page is unlocked on return either way.
 */
static int filemap_read_page(struct file *file, struct address_space *mapping,
			     struct page *page)
{
	int err;

	ClearPageError(page);
	count_vm_events(PGPGIN, PAGE_SIZE / 1024);
	err = mapping->a_ops->read_folio(file, page);
	if (err)
		return err;
	wait_on_page_locked(page);
	if (PageUptodate(page))
		return 0;
	return -EIO;
}

/*
 * The uptodate page at index, with a reference: from the cache (waiting
 * for a read in flight), or read now. ERR_PTR(-EIO/-ENOMEM), or NULL
 * when truncated away meanwhile (the caller re-checks the size).
 */
static struct page *filemap_get_uptodate(struct file *file,
					 struct address_space *mapping,
					 pgoff_t index, bool *major)
{
	struct page *page;
	int err;

	page = find_get_page(mapping, index);
	if (!page) {
		page = find_or_create_page(mapping, index,
					   mapping_gfp_mask(mapping));
		if (!page)
			return ERR_PTR(-ENOMEM);
	} else {
		if (PageUptodate(page))
			return page;
		lock_page(page);
		if (page->mapping != mapping) {
			unlock_page_wake(page);
			put_page(page);
			return NULL;
		}
	}
	if (PageUptodate(page)) {
		unlock_page_wake(page);
		return page;
	}
	if (major)
		*major = true;
	err = filemap_read_page(file, mapping, page);
	if (err) {
		put_page(page);
		return ERR_PTR(err);
	}
	return page;
}

struct page *read_mapping_page(struct address_space *mapping, pgoff_t index,
			       struct file *file)
{
	for (;;) {
		struct page *page = filemap_get_uptodate(file, mapping, index,
							 NULL);

		if (page)
			return page;
	}
}

ssize_t filemap_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct address_space *mapping = file->f_mapping;
	struct file_ra_state *ra = &file->f_ra;
	ssize_t done = 0;
	int err = 0;

	if (*pos < 0)
		return -EINVAL;
	while (to->count) {
		size_t n = to->count, copied;
		loff_t isize = __atomic_load_n(&mapping->size, __ATOMIC_RELAXED);
		pgoff_t index = (pgoff_t)(*pos >> PAGE_SHIFT);
		/* The request's last page, for readahead's sizing only (a
		 * huge n must not overflow the position). */
		size_t span = n < ((size_t)1 << 30) ? n : (size_t)1 << 30;
		pgoff_t last = (pgoff_t)((*pos + (loff_t)span - 1) >> PAGE_SHIFT);
		size_t offset = *pos & (PAGE_SIZE - 1), chunk;
		struct page *page;

		if (*pos >= isize)
			break;
		/* Killed: the rest of a long read would be for nobody. */
		if (current_killed()) {
			err = -EINTR;
			break;
		}
		page = find_get_page(mapping, index);
		if (page && index >= ra->start && index < ra->start + ra->size)
			readahead_count_hit();
		if (!page) {
			page_cache_sync_readahead(mapping, ra, file, index,
						  last - index + 1);
			page = find_get_page(mapping, index);
		}
		if (page && PageReadahead(page))
			page_cache_async_readahead(mapping, ra, file, page,
						   index, last - index + 1);
		if (page && !PageUptodate(page)) {
			put_page(page);
			page = NULL;	/* wait for it, or read it, below */
		}
		if (!page) {
			page = filemap_get_uptodate(file, mapping, index, NULL);
			if (!page)
				continue;	/* truncated: size again */
			if (IS_ERR(page)) {
				err = (int)PTR_ERR(page);
				break;
			}
		}
		/* The size again, now that the page is in: a truncate may
		 * have moved it while we read. */
		isize = __atomic_load_n(&mapping->size, __ATOMIC_RELAXED);
		if (*pos >= isize) {
			put_page(page);
			break;
		}
		chunk = PAGE_SIZE - offset;
		if (chunk > n)
			chunk = n;
		if ((loff_t)chunk > isize - *pos)
			chunk = (size_t)(isize - *pos);
		/* Only a reference is held here: the copy may fault in the
		 * user's page (even a mapping of this very file). */
		copied = copy_to_iter((char *)page_address(page) + offset,
				      chunk, to);
		/* One access per page, not per read() of it. */
		if (ra->prev_pos < 0 || (pgoff_t)(ra->prev_pos >> PAGE_SHIFT) != index ||
		    offset == 0)
			mark_page_accessed(page);
		put_page(page);
		ra->prev_pos = *pos;
		*pos += copied;
		done += copied;
		if (copied < chunk) {
			err = -EFAULT;
			break;
		}
	}
	return done ? done : err;
}

ssize_t filemap_read(struct file *file, char *buf, size_t n, loff_t *pos)
{
	struct iov_iter to;

	iov_iter_kbuf(&to, buf, n);
	return filemap_read_iter(file, &to, pos);
}

/* ------------------------------------------------------------ writing */

/* Largest file the page cache indexes (bytes). */
#define MAX_LFS_FILESIZE	((loff_t)1 << 43)

ssize_t generic_perform_write(struct file *file, const char *buf, size_t n,
			      loff_t *pos)
{
	struct address_space *mapping = file->f_mapping;
	const struct address_space_operations *a_ops = mapping->a_ops;
	ssize_t done = 0;
	int err = 0;

	if (*pos < 0)
		return -EINVAL;
	while (n) {
		size_t offset = *pos & (PAGE_SIZE - 1);
		unsigned int bytes = (unsigned int)(PAGE_SIZE - offset);
		struct page *page;
		int copied;

		if (*pos >= MAX_LFS_FILESIZE) {
			err = -EFBIG;
			break;
		}
		if (bytes > n)
			bytes = (unsigned int)n;
		err = a_ops->write_begin(file, mapping, *pos, bytes, &page);
		if (err)
			break;
		memcpy((char *)page_address(page) + offset, buf + done, bytes);
		mark_page_accessed(page);
		copied = a_ops->write_end(file, mapping, *pos, bytes, bytes,
					  page);
		if (copied <= 0) {
			err = copied ? copied : -EIO;
			break;
		}
		*pos += copied;
		done += copied;
		n -= (size_t)copied;
		/* No page lock held: the writer may wait here, and stops
		 * when killed while it waits. */
		if (balance_dirty_pages_ratelimited(mapping)) {
			err = -EINTR;
			break;
		}
	}
	return done ? done : err;
}

int simple_write_begin(struct file *file, struct address_space *mapping,
		       loff_t pos, unsigned int len, struct page **pagep)
{
	pgoff_t index = (pgoff_t)(pos >> PAGE_SHIFT);
	size_t offset = pos & (PAGE_SIZE - 1);
	struct page *page;

	for (;;) {
		page = find_or_create_page(mapping, index,
					   mapping_gfp_mask(mapping));
		if (!page)
			return -ENOMEM;
		if (PageUptodate(page) || len == PAGE_SIZE)
			break;
		if (!mapping->a_ops->read_folio ||
		    (loff_t)index << PAGE_SHIFT >= mapping->size) {
			/* Nothing on the store here: the rest is zeros. */
			char *p = page_address(page);

			memset(p, 0, offset);
			memset(p + offset + len, 0, PAGE_SIZE - offset - len);
			break;
		}
		/* Part of the page is the store's: read it first. */
		if (filemap_read_page(file, mapping, page)) {
			put_page(page);
			return -EIO;
		}
		lock_page(page);
		if (page->mapping == mapping)
			break;
		unlock_page_wake(page);	/* truncated meanwhile */
		put_page(page);
	}
	*pagep = page;
	return 0;
}

int simple_write_end(struct file *file, struct address_space *mapping,
		     loff_t pos, unsigned int len, unsigned int copied,
		     struct page *page)
{
	(void)file;
	(void)len;
	/* write_begin made the rest of the page valid: all of it is now. */
	if (!PageUptodate(page))
		SetPageUptodate(page);
	if (pos + copied > mapping->size)
		__atomic_store_n(&mapping->size, pos + copied, __ATOMIC_RELAXED);
	set_page_dirty(page);
	unlock_page_wake(page);
	put_page(page);
	return (int)copied;
}

/* ----------------------------------------------------------- mappings */

static pgoff_t size_in_pages(struct address_space *mapping)
{
	loff_t size = __atomic_load_n(&mapping->size, __ATOMIC_RELAXED);

	return (pgoff_t)((size + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

vm_fault_t filemap_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	vm_fault_t ret = 0;
	struct page *page;
	bool major = false;

	for (;;) {
		if (vmf->pgoff >= size_in_pages(mapping))
			return VM_FAULT_SIGBUS;
		page = find_get_page(mapping, vmf->pgoff);
		if (!page) {
			/* Read-around: the pages near a fault are likely
			 * next (Linux's do_sync_mmap_readahead). */
			page_cache_read_around(mapping, &file->f_ra, file,
					       vmf->pgoff);
			ret |= VM_FAULT_MAJOR;
			page = find_get_page(mapping, vmf->pgoff);
		} else if (PageReadahead(page)) {
			page_cache_async_readahead(mapping, &file->f_ra, file,
						   page, vmf->pgoff, 1);
		}
		if (page)
			put_page(page);
		page = filemap_get_uptodate(file, mapping, vmf->pgoff, &major);
		if (IS_ERR(page))
			return IS_ERR(page) && PTR_ERR(page) == -ENOMEM ?
			       VM_FAULT_ERR_OOM : VM_FAULT_SIGBUS;
		if (!page)
			continue;
		lock_page(page);
		if (page->mapping == mapping && PageUptodate(page))
			break;
		unlock_page_wake(page);		/* truncated meanwhile */
		put_page(page);
	}
	if (vmf->pgoff >= size_in_pages(mapping)) {
		unlock_page_wake(page);
		put_page(page);
		return VM_FAULT_SIGBUS;
	}
	mark_page_accessed(page);
	vmf->page = page;
	return ret | (major ? VM_FAULT_MAJOR : 0) | VM_FAULT_LOCKED;
}

vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	struct page *page = vmf->page;

	lock_page(page);
	if (page->mapping != mapping ||
	    page->index >= size_in_pages(mapping)) {
		unlock_page_wake(page);
		return VM_FAULT_NOPAGE;		/* truncated: fault again */
	}
	set_page_dirty(page);
	wait_on_page_writeback(page);	/* stable while the disk reads it */
	return VM_FAULT_LOCKED;
}

const struct vm_operations_struct generic_file_vm_ops = {
	.fault = filemap_fault,
	.page_mkwrite = filemap_page_mkwrite,
	.name = "file",
};

int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (!file->f_mapping || !file->f_mapping->a_ops ||
	    !file->f_mapping->a_ops->read_folio)
		return -ENODEV;
	vma->vm_ops = &generic_file_vm_ops;
	return 0;
}

/* ----------------------------------------------------- write-back errors */

int file_check_and_advance_wb_err(struct file *file)
{
	struct address_space *mapping = file->f_mapping;
	/* Two fsyncs of one file at once: only one reports the error
	 * (errseq_check_and_advance moves the cursor by compare-and-swap). */
	int err = errseq_check_and_advance(&mapping->wb_err, &file->f_wb_err);

	if (!err)
		return 0;
	/* Reported now: the old-style flags have nothing left to say. */
	__atomic_fetch_and(&mapping->flags,
			   ~((1UL << AS_EIO) | (1UL << AS_ENOSPC)),
			   __ATOMIC_RELAXED);
	return err;
}

int file_write_and_wait_range(struct file *file, loff_t start, loff_t end)
{
	struct address_space *mapping = file->f_mapping;
	struct writeback_control wbc = {
		.nr_to_write = (long)(~0UL >> 1),
		.range_start = start,
		.range_end = end,
		.sync_mode = WB_SYNC_ALL,
	};
	int err = do_writepages(mapping, &wbc), err2;

	/* Its return is the old-style flag, whose every error is also in
	 * wb_err: this file's cursor says which of them are news to it. */
	(void)filemap_fdatawait_range(mapping, start, end);
	err2 = file_check_and_advance_wb_err(file);
	return err ? err : err2;
}
