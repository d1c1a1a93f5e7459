/*
 * fs/inode.c - the inode cache (fs/fs.h): every inode in memory is
 * hashed by (super_block, ino) while it has references or is worth
 * keeping. An inode with no reference goes on the unused list (oldest
 * first); the inode shrinker and drop_caches evict from there.
 *
 * Life of an inode:
 *   iget: found (a reference), or new with I_NEW -> ->read_inode ->
 *         unlock_new_inode (others looking for it wait meanwhile)
 *   iput: the last reference of an unlinked inode evicts it at once;
 *         of a linked one, it goes on the unused list
 *   evict: I_FREEING, unhashed, the page cache truncated, ->evict_inode
 *         (frees the blocks when nlink is 0), ->free_inode
 *
 * inode_hash_lock (a spinlock) covers the hash, i_count, i_state, the
 * unused list and every s_inodes list. Nothing that sleeps runs under it.
 */
#include "drivers/block/blk.h"
#include "fs/internal.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"
#include "mm/shrinker.h"
#include <arch/machine.h>

#define INODE_HASH_SIZE	256

static spinlock_t inode_hash_lock = SPINLOCK_INIT("inode_hash");
static struct list_head inode_hash[INODE_HASH_SIZE];
static bool inode_hash_ready;
static struct list_head inode_unused = LIST_HEAD_INIT(inode_unused);
static unsigned long nr_unused_inodes;
static DECLARE_WAIT_QUEUE_HEAD(inode_new_wq);

static struct list_head *hash_head(struct super_block *sb, unsigned long ino)
{
	unsigned long h = ((unsigned long)sb >> 6) ^ ino ^ (ino >> 8);

	if (!inode_hash_ready) {
		for (int i = 0; i < INODE_HASH_SIZE; i++)
			INIT_LIST_HEAD(&inode_hash[i]);
		inode_hash_ready = true;
	}
	return &inode_hash[h % INODE_HASH_SIZE];
}

/* Seconds added to the time since boot (vfs_clock_advance). */
static long long clock_offset;

long long current_time_sec(void)
{
	return __atomic_load_n(&clock_offset, __ATOMIC_RELAXED) +
	       (long long)(arch_clock_ns() / 1000000000ULL);
}

void vfs_clock_advance(long long t)
{
	long long now = current_time_sec();

	if (t > now)
		__atomic_fetch_add(&clock_offset, t - now, __ATOMIC_RELAXED);
}

/* A new inode of sb, not yet hashed: the common fields set. */
static struct inode *alloc_inode(struct super_block *sb, unsigned long ino)
{
	struct inode *inode = sb->s_op->alloc_inode ? sb->s_op->alloc_inode(sb)
						    : kzalloc(sizeof(*inode),
							      GFP_KERNEL);

	if (!inode)
		return NULL;
	inode->i_ino = ino;
	inode->i_sb = sb;
	inode->i_nlink = 1;
	inode->i_count = 1;
	inode->i_mapping = &inode->i_data;
	address_space_init(&inode->i_data, NULL, inode);	/* fs sets a_ops */
	if (sb->s_bdev)		/* written back by its device's flusher */
		inode->i_data.wb = &sb->s_bdev->bdi.wb;
	inode->i_data.sb_wb_err = &sb->s_wb_err;	/* syncfs hears of them */
	mutex_init(&inode->i_rwsem, "i_rwsem");
	INIT_LIST_HEAD(&inode->i_lru);
	INIT_LIST_HEAD(&inode->i_hash);
	INIT_LIST_HEAD(&inode->i_sb_list);
	return inode;
}

static void free_inode(struct inode *inode)
{
	if (inode->i_sb->s_op->free_inode)
		inode->i_sb->s_op->free_inode(inode);
	else
		kfree(inode);
}

/* Under inode_hash_lock: the live inode (sb, ino) or NULL. */
static struct inode *find_inode(struct super_block *sb, unsigned long ino)
{
	struct inode *inode;

	list_for_each_entry(inode, hash_head(sb, ino), i_hash)
		if (inode->i_sb == sb && inode->i_ino == ino &&
		    !(inode->i_state & I_FREEING))
			return inode;
	return NULL;
}

/* Under inode_hash_lock: take a reference (off the unused list). */
static void __iget(struct inode *inode)
{
	if (inode->i_count++ == 0 && !list_empty(&inode->i_lru)) {
		list_del_init(&inode->i_lru);
		nr_unused_inodes--;
	}
}

static void hash_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	list_add(&inode->i_hash, hash_head(sb, inode->i_ino));
	list_add_tail(&inode->i_sb_list, &sb->s_inodes);
}

struct inode *iget(struct super_block *sb, unsigned long ino)
{
	struct inode *inode, *fresh = NULL;
	unsigned long flags;
	int r;

again:
	spin_lock_irqsave(&inode_hash_lock, flags);
	inode = find_inode(sb, ino);
	if (inode) {
		__iget(inode);
		spin_unlock_irqrestore(&inode_hash_lock, flags);
		if (fresh)
			free_inode(fresh);
		wait_event(inode_new_wq,
			   !(__atomic_load_n(&inode->i_state, __ATOMIC_ACQUIRE)
			     & I_NEW));
		if (inode->i_state & I_FREEING) {
			/* Its read failed: the reader unhashed it. */
			iput(inode);
			return ERR_PTR(-EIO);
		}
		return inode;
	}
	if (!fresh) {
		spin_unlock_irqrestore(&inode_hash_lock, flags);
		fresh = alloc_inode(sb, ino);
		if (!fresh)
			return ERR_PTR(-ENOMEM);
		goto again;
	}
	fresh->i_state = I_NEW;
	hash_inode(fresh);
	spin_unlock_irqrestore(&inode_hash_lock, flags);

	r = sb->s_op->read_inode ? sb->s_op->read_inode(fresh) : 0;
	spin_lock_irqsave(&inode_hash_lock, flags);
	if (r < 0) {
		fresh->i_state |= I_FREEING;
		list_del_init(&fresh->i_hash);
		list_del_init(&fresh->i_sb_list);
	}
	__atomic_and_fetch(&fresh->i_state, ~I_NEW, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&inode_hash_lock, flags);
	wake_up(&inode_new_wq);
	if (r < 0) {
		/* Waiters hold references: the last iput frees it. */
		iput(fresh);
		return ERR_PTR(r);
	}
	return fresh;
}

struct inode *new_inode(struct super_block *sb, unsigned long ino)
{
	struct inode *inode = alloc_inode(sb, ino);
	unsigned long flags;

	if (!inode)
		return NULL;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time_sec();
	spin_lock_irqsave(&inode_hash_lock, flags);
	hash_inode(inode);
	spin_unlock_irqrestore(&inode_hash_lock, flags);
	return inode;
}

struct inode *ihold(struct inode *inode)
{
	unsigned long flags;

	spin_lock_irqsave(&inode_hash_lock, flags);
	BUG_ON(inode->i_count <= 0);
	inode->i_count++;
	spin_unlock_irqrestore(&inode_hash_lock, flags);
	return inode;
}

/*
 * Free an inode already marked I_FREEING and unhashed (no one can find
 * it): its pages, then the file system's part (blocks of an unlinked
 * file), then the memory.
 */
static void evict(struct inode *inode)
{
	const struct super_operations *op = inode->i_sb->s_op;

	/* A linked file keeps its data: what is dirty goes to disk first
	 * (umount; the shrinker never picks an inode with pages). */
	if (inode->i_nlink && inode->i_data.nrpages)
		filemap_write_and_wait(&inode->i_data);
	if (inode->i_state & I_DIRTY && inode->i_nlink && op->write_inode)
		op->write_inode(inode, false);
	truncate_inode_pages(&inode->i_data, 0);	/* pages and shadows */
	mapping_forget_dirty(&inode->i_data);	/* off the flusher's list */
	if (op->evict_inode)
		op->evict_inode(inode);
	xa_destroy(&inode->i_data.i_pages);	/* any node left */
	free_inode(inode);
}

void iput(struct inode *inode)
{
	unsigned long flags;
	bool gone;

	if (!inode)
		return;
	spin_lock_irqsave(&inode_hash_lock, flags);
	BUG_ON(inode->i_count <= 0);
	if (--inode->i_count) {
		spin_unlock_irqrestore(&inode_hash_lock, flags);
		return;
	}
	/* Unlinked, failed to read, or its file system is going: now. */
	gone = !inode->i_nlink || (inode->i_state & I_FREEING) ||
	       !inode->i_sb->s_active ||
	       (inode->i_sb->s_op->drop_inode &&
		inode->i_sb->s_op->drop_inode(inode));
	if (gone) {
		inode->i_state |= I_FREEING;
		list_del_init(&inode->i_hash);
		list_del_init(&inode->i_sb_list);
	} else {
		list_add_tail(&inode->i_lru, &inode_unused);
		nr_unused_inodes++;
	}
	spin_unlock_irqrestore(&inode_hash_lock, flags);
	if (gone)
		evict(inode);
}

void mark_inode_dirty(struct inode *inode)
{
	__atomic_fetch_or(&inode->i_state, I_DIRTY, __ATOMIC_RELAXED);
}

int write_inode_now(struct inode *inode, bool wait)
{
	const struct super_operations *op = inode->i_sb->s_op;

	if (!(__atomic_fetch_and(&inode->i_state, ~I_DIRTY, __ATOMIC_RELAXED)
	      & I_DIRTY) || !op->write_inode)
		return 0;
	return op->write_inode(inode, wait);
}

void inc_nlink(struct inode *inode)
{
	inode->i_nlink++;
	mark_inode_dirty(inode);
}

void drop_nlink(struct inode *inode)
{
	WARN_ON(inode->i_nlink == 0);
	if (inode->i_nlink)
		inode->i_nlink--;
	mark_inode_dirty(inode);
}

/*
 * Whether evicting inode now would lose data: its pages are dirty or
 * being written (evict truncates the page cache). The shrinker and
 * drop_caches leave such an inode for after the flusher or sync; umount
 * has synced first. Under inode_hash_lock; the marks are read without
 * the mapping's lock (a page dirtied just after needs a reference to the
 * inode: an open file or a mapping, so the inode is not unused then).
 */
static bool inode_unsynced(struct inode *inode)
{
	return (inode->i_state & I_DIRTY) ||
	       xa_marked(&inode->i_data.i_pages, PAGECACHE_TAG_DIRTY) ||
	       xa_marked(&inode->i_data.i_pages, PAGECACHE_TAG_WRITEBACK);
}

/*
 * Evict up to nr unused inodes (oldest first) that satisfy keep == NULL
 * or belong to sb: the shrinker, drop_caches and umount.
 */
static unsigned long prune(unsigned long nr, struct super_block *sb)
{
	unsigned long done = 0;

	while (done < nr) {
		struct inode *inode = NULL, *it;
		unsigned long flags;

		spin_lock_irqsave(&inode_hash_lock, flags);
		list_for_each_entry(it, &inode_unused, i_lru) {
			/* The shrinker and drop_caches leave an inode with
			 * pages in its cache or anything unwritten: reclaim
			 * takes the pages first (the inode goes when they are
			 * gone), and reclaim never writes. umount takes all
			 * (evict writes what is dirty). */
			if (sb ? it->i_sb == sb :
			    !it->i_data.nrpages && !inode_unsynced(it)) {
				inode = it;
				break;
			}
		}
		if (inode) {
			list_del_init(&inode->i_lru);
			nr_unused_inodes--;
			inode->i_state |= I_FREEING;
			list_del_init(&inode->i_hash);
			list_del_init(&inode->i_sb_list);
		}
		spin_unlock_irqrestore(&inode_hash_lock, flags);
		if (!inode)
			break;
		evict(inode);
		done++;
	}
	return done;
}

unsigned long prune_icache(unsigned long nr)
{
	return prune(nr, NULL);
}

/* umount: evict every unused inode of sb; the number still in use. */
unsigned long evict_sb_inodes(struct super_block *sb)
{
	unsigned long busy = 0, flags;
	struct inode *inode;

	prune(~0UL, sb);
	spin_lock_irqsave(&inode_hash_lock, flags);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list)
		busy++;
	spin_unlock_irqrestore(&inode_hash_lock, flags);
	return busy;
}

/*
 * Write every dirty inode of sb (sync, umount): its dirty pages (whether
 * write() or a store through a shared mapping dirtied them: the page
 * cache's dirty mark says so, as Linux's I_DIRTY_PAGES) and then the
 * inode. Each inode once, in list order (a reference on the last one
 * keeps the place), so a page that cannot be written and is dirtied again
 * cannot loop. First error or 0.
 */
int sync_sb_inodes(struct super_block *sb, bool wait)
{
	struct inode *prev = NULL;
	int err = 0;

	for (;;) {
		struct inode *inode = NULL, *it;
		unsigned long flags;
		bool past = prev == NULL;
		int r;

		spin_lock_irqsave(&inode_hash_lock, flags);
		list_for_each_entry(it, &sb->s_inodes, i_sb_list) {
			if (!past) {
				past = it == prev;
				continue;
			}
			if (!(it->i_state & (I_NEW | I_FREEING)) &&
			    inode_unsynced(it)) {
				inode = it;
				__iget(inode);
				break;
			}
		}
		spin_unlock_irqrestore(&inode_hash_lock, flags);
		if (prev)
			iput(prev);
		if (!inode)
			return err;
		r = filemap_write_and_wait(inode->i_mapping);
		if (!err)
			err = r;
		r = write_inode_now(inode, wait);
		if (!err)
			err = r;
		/* A write_inode that leaves it dirty: clear (written). */
		__atomic_fetch_and(&inode->i_state, ~I_DIRTY, __ATOMIC_RELAXED);
		prev = inode;
	}
}

/* Call fn on every cached inode of sb with a reference held (drop_caches
 * invalidating each inode's pages). */
void iterate_sb_inodes(struct super_block *sb, void (*fn)(struct inode *))
{
	struct inode *prev = NULL;

	for (;;) {
		struct inode *inode = NULL, *it;
		unsigned long flags;
		bool past = prev == NULL;

		spin_lock_irqsave(&inode_hash_lock, flags);
		list_for_each_entry(it, &sb->s_inodes, i_sb_list) {
			if (!past) {
				past = it == prev;
				continue;
			}
			if (!(it->i_state & (I_NEW | I_FREEING))) {
				inode = it;
				__iget(inode);
				break;
			}
		}
		if (!past)		/* prev left the list: start over */
			inode = NULL;
		spin_unlock_irqrestore(&inode_hash_lock, flags);
		if (prev)
			iput(prev);
		if (!inode)
			return;
		fn(inode);
		prev = inode;
	}
}

unsigned long nr_cached_inodes(unsigned long *unused)
{
	unsigned long n = 0, flags;

	spin_lock_irqsave(&inode_hash_lock, flags);
	if (unused)
		*unused = nr_unused_inodes;
	for (int i = 0; inode_hash_ready && i < INODE_HASH_SIZE; i++) {
		struct list_head *p;

		list_for_each(p, &inode_hash[i])
			n++;
	}
	spin_unlock_irqrestore(&inode_hash_lock, flags);
	return n;
}

/* ---------------------------------------------------------- the shrinker */

static unsigned long inode_count(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long n = __atomic_load_n(&nr_unused_inodes, __ATOMIC_RELAXED);

	return n ? n : SHRINK_EMPTY;
}

static unsigned long inode_scan(struct shrinker *s, struct shrink_control *sc)
{
	return prune_icache(sc->nr_to_scan);
}

void inode_cache_init(void)
{
	struct shrinker *s = shrinker_alloc(0, "inode-cache");

	if (!s) {
		pr_warn("vfs: no memory for the inode shrinker\n");
		return;
	}
	s->count_objects = inode_count;
	s->scan_objects = inode_scan;
	s->seeks = DEFAULT_SEEKS;
	shrinker_register(s);
}
