/*
 * tests/suites/vfs_testfs.c - testfs (vfs_testfs.h): every node is a
 * struct tnode in a table by inode number; directories keep their
 * children in a list, in creation order.
 */
#include "tests/suites/vfs_testfs.h"
#include "fs/initramfs.h"
#include "kernel/lib/string.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "mm/xarray.h"

#define TESTFS_MAX_INO	4096

struct tnode {
	unsigned long ino;
	unsigned int mode;
	char name[NAME_MAX + 1];
	size_t namelen;
	struct tnode *parent;
	struct list_head children, sibling;
	char *data;			/* file bytes, symlink target */
	size_t size;
	unsigned int nlink;
};

struct tsb {
	struct tnode *by_ino[TESTFS_MAX_INO];
	unsigned long next_ino;
};

static unsigned long nr_nodes, nr_evicted;

unsigned long testfs_nr_nodes(void)
{
	return nr_nodes;
}

unsigned long testfs_nr_evicted(void)
{
	return nr_evicted;
}

static struct tsb *tsb_of(struct super_block *sb)
{
	return sb->s_fs_info;
}

static struct tnode *tnode_of(struct inode *inode)
{
	return tsb_of(inode->i_sb)->by_ino[inode->i_ino];
}

static struct tnode *tnode_new(struct super_block *sb, struct tnode *parent,
			       const char *name, size_t len, unsigned int mode)
{
	struct tsb *t = tsb_of(sb);
	struct tnode *n;

	if (t->next_ino >= TESTFS_MAX_INO)
		return NULL;
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return NULL;
	nr_nodes++;
	n->ino = t->next_ino++;
	n->mode = mode;
	memcpy(n->name, name, len);
	n->namelen = len;
	n->parent = parent ? parent : n;
	n->nlink = S_ISDIR(mode) ? 2 : 1;
	INIT_LIST_HEAD(&n->children);
	INIT_LIST_HEAD(&n->sibling);
	if (parent)
		list_add_tail(&n->sibling, &parent->children);
	t->by_ino[n->ino] = n;
	return n;
}

static void tnode_free(struct super_block *sb, struct tnode *n)
{
	tsb_of(sb)->by_ino[n->ino] = NULL;
	kfree(n->data);
	kfree(n);
	nr_nodes--;
}

static struct tnode *find(struct tnode *dir, const char *name, size_t len)
{
	struct tnode *c;

	list_for_each_entry(c, &dir->children, sibling)
		if (c->namelen == len && !memcmp(c->name, name, len))
			return c;
	return NULL;
}

/* ------------------------------------------------------------ files */

static ssize_t t_read(struct file *f, char *buf, size_t n, loff_t *pos)
{
	struct tnode *t = tnode_of(f->f_inode);

	if (*pos < 0)
		return -EINVAL;
	if ((size_t)*pos >= t->size)
		return 0;
	n = min(n, t->size - (size_t)*pos);
	memcpy(buf, t->data + *pos, n);
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static int resize(struct tnode *t, size_t size)
{
	char *d;

	if (size <= t->size) {
		t->size = size;
		return 0;
	}
	d = kzalloc(size, GFP_KERNEL);
	if (!d)
		return -ENOSPC;
	if (t->data)
		memcpy(d, t->data, t->size);
	kfree(t->data);
	t->data = d;
	t->size = size;
	return 0;
}

static ssize_t t_write(struct file *f, const char *buf, size_t n, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	struct tnode *t = tnode_of(inode);
	int r;

	mutex_lock(&inode->i_rwsem);
	if (f->f_flags & O_APPEND)
		*pos = (loff_t)t->size;
	if ((size_t)*pos + n > t->size) {
		r = resize(t, (size_t)*pos + n);
		if (r < 0) {
			mutex_unlock(&inode->i_rwsem);
			return r;
		}
	}
	memcpy(t->data + *pos, buf, n);
	*pos += (loff_t)n;
	i_size_write(inode, (loff_t)t->size);
	mutex_unlock(&inode->i_rwsem);
	return (ssize_t)n;
}

static int t_iterate(struct file *f, struct dir_context *ctx, loff_t *pos)
{
	struct tnode *d = tnode_of(f->f_inode), *c;
	loff_t i = 2;

	if (*pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 1, d->ino, DT_DIR))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		if (!ctx->actor(ctx, "..", 2, 2, d->parent->ino, DT_DIR))
			return 0;
		*pos = 2;
	}
	list_for_each_entry(c, &d->children, sibling) {
		if (i++ < *pos)
			continue;
		if (!ctx->actor(ctx, c->name, c->namelen, *pos + 1, c->ino,
				S_ISDIR(c->mode) ? DT_DIR : S_ISLNK(c->mode) ?
				DT_LNK : DT_REG))
			return 0;
		(*pos)++;
	}
	return 0;
}

static const struct file_operations t_reg_fops = {
	.read = t_read, .write = t_write, .llseek = generic_file_llseek,
};
static const struct file_operations t_dir_fops = {
	.iterate = t_iterate, .llseek = generic_file_llseek,
};

/* ------------------------------------------------------------ inodes */

static int t_lookup(struct inode *dir, const char *name, size_t len,
		    struct inode **out)
{
	struct tnode *d = tnode_of(dir);
	struct tnode *c = len == 2 && !memcmp(name, "..", 2) ? d->parent
							    : find(d, name, len);
	struct inode *inode;

	if (!c)
		return -ENOENT;
	inode = iget(dir->i_sb, c->ino);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	*out = inode;
	return 0;
}

static int t_create(struct inode *dir, const char *name, size_t len,
		    unsigned int mode, struct inode **out)
{
	struct tnode *n = tnode_new(dir->i_sb, tnode_of(dir), name, len, mode);
	struct inode *inode;

	if (!n)
		return -ENOSPC;
	inode = iget(dir->i_sb, n->ino);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	*out = inode;
	return 0;
}

static int t_mkdir(struct inode *dir, const char *name, size_t len,
		   unsigned int mode)
{
	if (!tnode_new(dir->i_sb, tnode_of(dir), name, len, mode))
		return -ENOSPC;
	tnode_of(dir)->nlink++;
	inc_nlink(dir);
	return 0;
}

static int t_symlink(struct inode *dir, const char *name, size_t len,
		     const char *target)
{
	struct tnode *n = tnode_new(dir->i_sb, tnode_of(dir), name, len,
				    S_IFLNK | 0777);

	if (!n)
		return -ENOSPC;
	if (resize(n, strlen(target)) < 0)
		return -ENOSPC;
	memcpy(n->data, target, n->size);
	return 0;
}

/* Take c out of its directory; its inode (cached: the VFS holds it)
 * loses its links, and the node goes when the inode is evicted. */
static void t_remove(struct inode *dir, struct tnode *c)
{
	struct inode *inode = iget(dir->i_sb, c->ino);

	list_del_init(&c->sibling);
	if (S_ISDIR(c->mode)) {
		tnode_of(dir)->nlink--;
		drop_nlink(dir);
	}
	c->nlink = 0;
	if (!IS_ERR(inode)) {
		inode->i_nlink = 0;
		iput(inode);
	}
}

static int t_unlink(struct inode *dir, const char *name, size_t len)
{
	struct tnode *c = find(tnode_of(dir), name, len);

	if (!c)
		return -ENOENT;
	t_remove(dir, c);
	return 0;
}

static int t_rmdir(struct inode *dir, const char *name, size_t len)
{
	struct tnode *c = find(tnode_of(dir), name, len);

	if (!c)
		return -ENOENT;
	if (!list_empty(&c->children))
		return -ENOTEMPTY;
	t_remove(dir, c);
	return 0;
}

static int t_rename(struct inode *odir, const char *oname, size_t olen,
		    struct inode *ndir, const char *nname, size_t nlen)
{
	struct tnode *src = find(tnode_of(odir), oname, olen);
	struct tnode *dst = find(tnode_of(ndir), nname, nlen);

	if (!src)
		return -ENOENT;
	if (dst) {
		if (S_ISDIR(dst->mode) && !list_empty(&dst->children))
			return -ENOTEMPTY;
		t_remove(ndir, dst);
	}
	list_del_init(&src->sibling);
	if (S_ISDIR(src->mode)) {
		tnode_of(odir)->nlink--;
		drop_nlink(odir);
		tnode_of(ndir)->nlink++;
		inc_nlink(ndir);
	}
	memcpy(src->name, nname, nlen);
	src->namelen = nlen;
	src->parent = tnode_of(ndir);
	list_add_tail(&src->sibling, &src->parent->children);
	return 0;
}

static int t_readlink(struct inode *inode, char *buf, size_t size)
{
	struct tnode *t = tnode_of(inode);

	if (t->size >= size)
		return -ENAMETOOLONG;
	memcpy(buf, t->data, t->size);
	buf[t->size] = '\0';
	return (int)t->size;
}

static int t_setsize(struct inode *inode, loff_t size)
{
	return resize(tnode_of(inode), (size_t)size);
}

static const struct inode_operations t_iops = {
	.lookup = t_lookup, .create = t_create, .mkdir = t_mkdir,
	.symlink = t_symlink, .unlink = t_unlink, .rmdir = t_rmdir,
	.rename = t_rename, .readlink = t_readlink, .setsize = t_setsize,
};

static int t_read_inode(struct inode *inode)
{
	struct tnode *t = inode->i_ino < TESTFS_MAX_INO ? tnode_of(inode) : NULL;

	if (!t)
		return -EIO;
	inode->i_mode = t->mode;
	inode->i_nlink = t->nlink;
	inode->i_op = &t_iops;
	inode->i_fop = S_ISDIR(t->mode) ? &t_dir_fops :
		       S_ISREG(t->mode) ? &t_reg_fops : NULL;
	i_size_write(inode, (loff_t)t->size);
	return 0;
}

static void t_evict_inode(struct inode *inode)
{
	struct tnode *t = tnode_of(inode);

	nr_evicted++;
	if (t && !inode->i_nlink)
		tnode_free(inode->i_sb, t);
}

static void free_tree(struct super_block *sb, struct tnode *n)
{
	while (!list_empty(&n->children)) {
		struct tnode *c = list_first_entry(&n->children, struct tnode,
						   sibling);

		list_del_init(&c->sibling);
		free_tree(sb, c);
	}
	tnode_free(sb, n);
}

static void t_put_super(struct super_block *sb)
{
	struct tsb *t = tsb_of(sb);

	free_tree(sb, t->by_ino[1]);
	/* Unlinked nodes whose inodes are gone are already freed. */
	kfree(t);
}

static const struct super_operations t_sops = {
	.read_inode = t_read_inode,
	.evict_inode = t_evict_inode,
	.put_super = t_put_super,
};

static int t_fill_super(struct super_block *sb, char *err, size_t errlen)
{
	struct tsb *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct tnode *root;

	if (!t)
		return -ENOMEM;
	t->next_ino = 1;
	sb->s_fs_info = t;
	sb->s_op = &t_sops;
	sb->s_maxbytes = TESTFS_MAX_BYTES;
	sb->s_dev = 0x700 | (unsigned long)((unsigned long)sb >> 8 & 0xff);
	root = tnode_new(sb, NULL, "", 0, S_IFDIR | 0755);
	sb->s_root = root ? iget(sb, root->ino) : NULL;
	if (!root || IS_ERR(sb->s_root)) {
		kfree(t);
		return -ENOMEM;
	}
	return 0;
}

static struct file_system_type testfs_type = {
	.name = "testfs", .fill_super = t_fill_super,
};

void testfs_register(void)
{
	if (!get_fs_type("testfs"))
		register_filesystem(&testfs_type);
}

/* A 4 MiB chunk for an arena (tests/host/page_alloc_model_test.c on the
 * host, tests/kernel/page_alloc_kernel_test.c in the kernel). */
void *page_alloc_test_chunk(void);

bool vfs_test_ensure_mm(void)
{
	struct mem_range r;
	void *chunk;

	if (contig_page_data.nr_ranges)
		return true;		/* the kernel, or done already */
	chunk = page_alloc_test_chunk();
	if (!chunk)
		return false;
	r.start = virt_to_phys(chunk);
	r.end = r.start + (4UL << 20);
	if (page_arena_init(&contig_page_data, &r, 1, 0) < 0)
		return false;
	kmem_cache_init();
	xarray_init();		/* as kernel_main: the index's node cache */
	return true;
}

void vfs_test_ensure_root(void)
{
	struct path root;

	get_fs_root(&root);
	if (root.inode) {
		path_put(&root);
		return;
	}
	vfs_init_root(NULL, 0);
}
