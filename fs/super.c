/*
 * fs/super.c - file system types, super blocks and the mount table
 * (fs/fs.h): register_filesystem, do_mount, do_umount, sync.
 *
 * The name space is a tree of mounts: the root mount (the initramfs,
 * "/") and each mount attached at a directory (mnt_mountpoint) of its
 * parent mount. A mount holds a reference to its parent and to that
 * directory; open files and working directories hold references to the
 * mount they are on, which is how umount knows it is busy.
 *
 * mount_lock (a spinlock) covers the mount list, mnt_count and the super
 * block list; do_mount and do_umount are serialised by mount_mutex
 * (they sleep: reading a super block, writing back).
 */
#include "drivers/block/blk.h"
#include "fs/internal.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"

static spinlock_t mount_lock = SPINLOCK_INIT("mount_lock");
static DEFINE_MUTEX(mount_mutex);
static struct list_head mounts = LIST_HEAD_INIT(mounts);		/* oldest first */
static struct list_head super_blocks = LIST_HEAD_INIT(super_blocks);
static struct list_head file_systems = LIST_HEAD_INIT(file_systems);
static struct vfsmount *root_mnt;

/* ------------------------------------------------------ file systems */

int register_filesystem(struct file_system_type *type)
{
	unsigned long flags;

	if (get_fs_type(type->name))
		return -EBUSY;
	spin_lock_irqsave(&mount_lock, flags);
	list_add_tail(&type->list, &file_systems);
	spin_unlock_irqrestore(&mount_lock, flags);
	return 0;
}

struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *t, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&mount_lock, flags);
	list_for_each_entry(t, &file_systems, list)
		if (!strcmp(t->name, name))
			found = t;
	spin_unlock_irqrestore(&mount_lock, flags);
	return found;
}

/* ------------------------------------------------------ super blocks */

struct super_block *alloc_super(struct file_system_type *type)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);

	if (!sb)
		return NULL;
	sb->s_type = type;
	mutex_init(&sb->s_vfs_rename_mutex, "s_vfs_rename_mutex");
	mutex_init(&sb->s_lock, "s_lock");
	spin_lock_init(&sb->s_inode_list_lock, "s_inode_list_lock");
	INIT_LIST_HEAD(&sb->s_inodes);
	INIT_LIST_HEAD(&sb->s_list);
	sb->s_blocksize = 4096;
	sb->s_blocksize_bits = 12;
	return sb;
}

void free_super(struct super_block *sb)
{
	kfree(sb);
}

static void add_super(struct super_block *sb)
{
	unsigned long flags;

	spin_lock_irqsave(&mount_lock, flags);
	list_add_tail(&sb->s_list, &super_blocks);
	spin_unlock_irqrestore(&mount_lock, flags);
}

void iterate_supers(void (*fn)(struct super_block *sb, void *arg), void *arg)
{
	struct super_block *sb;

	/* Mounts change only under mount_mutex: hold it, so fn may sleep. */
	mutex_lock(&mount_mutex);
	list_for_each_entry(sb, &super_blocks, s_list)
		fn(sb, arg);
	mutex_unlock(&mount_mutex);
}

int sync_filesystem(struct super_block *sb)
{
	int err = sync_sb_inodes(sb, true), r = 0;

	if (sb->s_op && sb->s_op->sync_fs && !sb->s_readonly)
		r = sb->s_op->sync_fs(sb, true);
	return err ? err : r;
}

int vfs_syncfs(struct file *f)
{
	struct super_block *sb;
	int r, r2;

	if (!f->f_inode)
		return 0;
	sb = f->f_inode->i_sb;
	r = sync_filesystem(sb);
	r2 = errseq_check_and_advance(&sb->s_wb_err, &f->f_sb_err);
	return r ? r : r2;
}

static void sync_one(struct super_block *sb, void *arg)
{
	bool wait = *(bool *)arg;

	sync_sb_inodes(sb, wait);
	if (sb->s_op && sb->s_op->sync_fs && !sb->s_readonly)
		sb->s_op->sync_fs(sb, wait);
}

void sync_filesystems(bool wait)
{
	iterate_supers(sync_one, &wait);
}

int vfs_statfs(struct inode *inode, struct kstatfs *st)
{
	struct super_block *sb = inode->i_sb;

	memset(st, 0, sizeof(*st));
	st->f_bsize = sb->s_blocksize;
	st->f_namelen = NAME_MAX;
	if (sb->s_op && sb->s_op->statfs)
		return sb->s_op->statfs(sb, st);
	return 0;
}

/* ----------------------------------------------------------- mounts */

struct vfsmount *mntget(struct vfsmount *mnt)
{
	__atomic_fetch_add(&mnt->mnt_count, 1, __ATOMIC_RELAXED);
	return mnt;
}

/* A mount is freed by do_umount only (the table holds a reference while
 * it is attached), so the last mntput frees nothing. */
void mntput(struct vfsmount *mnt)
{
	int left = __atomic_sub_fetch(&mnt->mnt_count, 1, __ATOMIC_ACQ_REL);

	WARN_ON(left < 0);
}

void path_get(const struct path *p)
{
	mntget(p->mnt);
	ihold(p->inode);
}

void path_put(const struct path *p)
{
	iput(p->inode);
	mntput(p->mnt);
}

void get_fs_root(struct path *root)
{
	root->mnt = root_mnt;
	root->inode = root_mnt ? root_mnt->mnt_sb->s_root : NULL;
	if (root_mnt)
		path_get(root);
}

struct vfsmount *lookup_mnt(struct vfsmount *mnt, struct inode *dir)
{
	struct vfsmount *m, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&mount_lock, flags);
	list_for_each_entry(m, &mounts, mnt_list)
		if (m->mnt_parent == mnt && m->mnt_mountpoint == dir &&
		    m != mnt)
			found = m;
	if (found)
		mntget(found);
	spin_unlock_irqrestore(&mount_lock, flags);
	return found;
}

void for_each_mount(void (*fn)(const struct vfsmount *mnt, void *arg),
		    void *arg)
{
	struct vfsmount *m;

	mutex_lock(&mount_mutex);
	list_for_each_entry(m, &mounts, mnt_list)
		fn(m, arg);
	mutex_unlock(&mount_mutex);
}

static struct vfsmount *new_mount(struct super_block *sb, const char *dev,
				  const char *path)
{
	struct vfsmount *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return NULL;
	m->mnt_sb = sb;
	m->mnt_count = 1;		/* the table's */
	ksnprintf(m->mnt_devname, sizeof(m->mnt_devname), "%s", dev);
	ksnprintf(m->mnt_path, sizeof(m->mnt_path), "%s", path);
	return m;
}

static void attach_mount(struct vfsmount *m)
{
	unsigned long flags;

	spin_lock_irqsave(&mount_lock, flags);
	list_add_tail(&m->mnt_list, &mounts);
	spin_unlock_irqrestore(&mount_lock, flags);
}

int mount_root_sb(struct super_block *sb, const char *devname)
{
	struct vfsmount *m;

	if (root_mnt)
		return -EBUSY;
	m = new_mount(sb, devname, "/");
	if (!m)
		return -ENOMEM;
	m->mnt_parent = m;
	sb->s_active = 1;
	mutex_lock(&mount_mutex);
	add_super(sb);
	attach_mount(m);
	root_mnt = m;
	mutex_unlock(&mount_mutex);
	return 0;
}

/* Make and fill a super block of type on bdev; the reason in err. */
static struct super_block *read_super(struct file_system_type *type,
				      struct block_device *bdev,
				      const char *devname, bool readonly,
				      char *err, size_t errlen)
{
	struct super_block *sb = alloc_super(type);
	int r;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_bdev = bdev;
	sb->s_readonly = readonly || (bdev && bdev->read_only);
	ksnprintf(sb->s_id, sizeof(sb->s_id), "%s", devname ? devname : "none");
	sb->s_active = 1;
	err[0] = '\0';
	r = type->fill_super(sb, err, errlen);
	if (r < 0) {
		free_super(sb);
		return ERR_PTR(r);
	}
	if (!sb->s_root || !S_ISDIR(sb->s_root->i_mode)) {
		ksnprintf(err, errlen, "%s: no root directory", type->name);
		if (sb->s_root)
			iput(sb->s_root);
		if (sb->s_op && sb->s_op->put_super)
			sb->s_op->put_super(sb);
		free_super(sb);
		return ERR_PTR(-EINVAL);
	}
	return sb;
}

/* What a mounted disk's claim says to others (blk_claim). */
static const char mount_holder[] = "a mounted file system";

int do_mount(const char *devname, const char *path, const char *fstype,
	     bool readonly)
{
	struct file_system_type *type = NULL, *t;
	struct block_device *bdev = NULL;
	struct super_block *sb = ERR_PTR(-ENODEV);
	struct vfsmount *m, *above;
	struct path mp;
	char err[128] = "";
	int r;

	if (fstype && !(type = get_fs_type(fstype))) {
		pr_err("mount: no file system type '%s'\n", fstype);
		return -ENODEV;
	}
	r = kern_path(NULL, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &mp,
		      NULL, NULL);
	if (r < 0) {
		pr_err("mount: %s: %s\n", path, r == -ENOTDIR ?
		       "not a directory" : "no such directory");
		return r;
	}
	mutex_lock(&mount_mutex);
	above = lookup_mnt(mp.mnt, mp.inode);
	if (above || mp.inode == mp.mnt->mnt_sb->s_root) {
		/* Something is mounted there (or it is a mount's root). */
		if (above)
			mntput(above);
		pr_err("mount: %s: already a mount point\n", path);
		r = -EBUSY;
		goto out;
	}
	if (devname) {
		bdev = blk_get(devname);
		if (!bdev) {
			pr_err("mount: %s: no such disk\n", devname);
			r = -ENODEV;
			goto out;
		}
		/* Mounted already, or a swap area: one user a disk. */
		const char *by = "";

		if (blk_claim(bdev, mount_holder, &by)) {
			pr_err("mount: %s: refused: in use by %s\n", devname,
			       by);
			r = -EBUSY;
			goto out;
		}
	}
	if (type) {
		sb = read_super(type, bdev, devname, readonly, err, sizeof(err));
	} else {
		list_for_each_entry(t, &file_systems, list) {
			if (!t->requires_dev || !bdev)
				continue;
			sb = read_super(t, bdev, devname, readonly, err,
					sizeof(err));
			if (!IS_ERR(sb) || PTR_ERR(sb) != -EINVAL)
				break;
		}
	}
	if (IS_ERR(sb)) {
		r = (int)PTR_ERR(sb);
		pr_err("mount: %s on %s refused: %s\n",
		       devname ? devname : "none", path,
		       err[0] ? err : "no file system recognised it");
		goto unclaim;
	}
	m = new_mount(sb, devname ? devname : sb->s_type->name, path);
	if (!m) {
		r = -ENOMEM;
		iput(sb->s_root);
		evict_sb_inodes(sb);
		if (sb->s_op->put_super)
			sb->s_op->put_super(sb);
		free_super(sb);
		goto unclaim;
	}
	/* The mount keeps mp's references: its parent and mount point. */
	m->mnt_parent = mp.mnt;
	m->mnt_mountpoint = mp.inode;
	add_super(sb);
	attach_mount(m);
	mutex_unlock(&mount_mutex);
	return 0;
unclaim:
	if (bdev)
		blk_unclaim(bdev, mount_holder);
out:
	mutex_unlock(&mount_mutex);
	path_put(&mp);
	return r;
}

int do_umount(const char *path)
{
	struct vfsmount *m, *c;
	struct super_block *sb;
	unsigned long flags, busy;
	struct path p;
	int r;

	r = kern_path(NULL, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p, NULL,
		      NULL);
	if (r < 0)
		return r;
	m = p.mnt;
	sb = m->mnt_sb;
	if (p.inode != sb->s_root) {
		path_put(&p);
		return -EINVAL;		/* not a mount point */
	}
	if (m == root_mnt) {
		path_put(&p);
		return -EBUSY;
	}
	mutex_lock(&mount_mutex);
	spin_lock_irqsave(&mount_lock, flags);
	r = 0;
	list_for_each_entry(c, &mounts, mnt_list)
		if (c->mnt_parent == m && c != m)
			r = -EBUSY;		/* a mount below */
	/* The table's reference and p's: anything more is a user. */
	if (m->mnt_count > 2)
		r = -EBUSY;
	if (!r)
		list_del_init(&m->mnt_list);
	spin_unlock_irqrestore(&mount_lock, flags);
	path_put(&p);
	if (r) {
		mutex_unlock(&mount_mutex);
		return r;
	}
	r = sync_filesystem(sb);
	if (r < 0)
		pr_err("umount: %s: writing back failed (%d)\n", sb->s_id, r);
	list_del_init(&sb->s_list);
	sb->s_active = 0;
	iput(sb->s_root);
	busy = evict_sb_inodes(sb);
	if (busy)
		pr_err("umount: %s: %lu inodes still in use\n", sb->s_id, busy);
	if (sb->s_op->put_super)
		sb->s_op->put_super(sb);
	if (sb->s_bdev)
		blk_unclaim(sb->s_bdev, mount_holder);
	free_super(sb);
	iput(m->mnt_mountpoint);
	mntput(m->mnt_parent);
	kfree(m);
	mutex_unlock(&mount_mutex);
	return 0;
}
