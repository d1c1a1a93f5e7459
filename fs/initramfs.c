/*
 * fs/initramfs.c - the read-only tree from a cpio archive (fs/initramfs.h):
 * building it, looking paths up in it, and serving it to the VFS as the
 * file system "initramfs" (mounted on "/" at boot: kernel/fs_console.c).
 */
#include "fs/initramfs.h"
#include "fs/internal.h"
#include "kernel/errno.h"
#include "kernel/lib/cpio.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"

static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, min(alen, blen));

	return c ? c : (alen > blen) - (alen < blen);
}

static struct initramfs_node *new_node(struct initramfs *fs,
				       struct initramfs_node *parent,
				       const char *name, size_t len,
				       enum initramfs_kind kind,
				       unsigned int mode)
{
	struct initramfs_node *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (!n)
		return NULL;
	n->name = name;
	n->namelen = len;
	n->kind = kind;
	n->mode = mode;
	n->ino = ++fs->nr_nodes;
	n->parent = parent ? parent : n;
	if (parent) {
		/* Keep entries in name order: ls and getdents read sorted. */
		struct initramfs_node **pp = &parent->children;

		while (*pp && name_cmp((*pp)->name, (*pp)->namelen,
				       name, len) < 0)
			pp = &(*pp)->next;
		n->next = *pp;
		*pp = n;
	}
	return n;
}

static struct initramfs_node *child(const struct initramfs_node *dir,
				    const char *name, size_t len)
{
	for (struct initramfs_node *c = dir->children; c; c = c->next)
		if (c->namelen == len && !memcmp(c->name, name, len))
			return c;
	return NULL;
}

static void free_nodes(struct initramfs_node *n)
{
	while (n) {
		struct initramfs_node *next = n->next;

		free_nodes(n->children);
		kfree(n);
		n = next;
	}
}

void initramfs_free(struct initramfs *fs)
{
	if (fs->root)
		free_nodes(fs->root);
	fs->root = NULL;
	fs->nr_nodes = 0;
}

/* Add one archive entry: its parent directories must exist or are made. */
static int add_entry(struct initramfs *fs, const struct cpio_entry *e,
		     char *err, size_t errlen)
{
	const char *p = e->name;
	struct initramfs_node *dir = fs->root;
	enum initramfs_kind kind;

	switch (e->mode & S_IFMT) {
	case S_IFDIR: kind = NODE_DIR; break;
	case S_IFREG: kind = NODE_REG; break;
	case S_IFLNK: kind = NODE_LNK; break;
	default:
		ksnprintf(err, errlen, "cpio: offset 0x%zx: '%s': file type %#o "
			  "is not held (only directories, files, symlinks)",
			  e->offset, e->name, e->mode & S_IFMT);
		return -EINVAL;
	}
	for (;;) {
		while (*p == '/')
			p++;
		if (p[0] == '.' && (p[1] == '/' || !p[1])) {
			p++;
			continue;
		}
		if (!*p)
			return 0;	/* "." or "/": the root itself */
		const char *end = p;

		while (*end && *end != '/')
			end++;
		size_t len = (size_t)(end - p);
		bool last = true;

		for (const char *q = end; *q; q++)
			if (*q != '/')
				last = false;
		if (len > NAME_MAX || (len == 2 && !memcmp(p, "..", 2))) {
			ksnprintf(err, errlen, "cpio: offset 0x%zx: '%s': %s",
				  e->offset, e->name, len > NAME_MAX ?
				  "a name over 255 bytes" : "'..' in a name");
			return -EINVAL;
		}
		struct initramfs_node *c = child(dir, p, len);

		if (!last) {
			if (!c)
				c = new_node(fs, dir, p, len, NODE_DIR,
					     S_IFDIR | 0755);
			if (!c)
				return -ENOMEM;
			if (c->kind != NODE_DIR) {
				ksnprintf(err, errlen, "cpio: offset 0x%zx: '%s': "
					  "'%.*s' is not a directory",
					  e->offset, e->name, (int)len, p);
				return -EINVAL;
			}
			dir = c;
			p = end;
			continue;
		}
		if (c && !(c->kind == NODE_DIR && kind == NODE_DIR)) {
			ksnprintf(err, errlen, "cpio: offset 0x%zx: '%s' is in "
				  "the archive twice", e->offset, e->name);
			return -EINVAL;
		}
		if (!c)
			c = new_node(fs, dir, p, len, kind, e->mode);
		if (!c)
			return -ENOMEM;
		c->mode = e->mode;
		c->data = e->data;
		c->size = e->size;
		if (kind == NODE_LNK && (e->size == 0 || e->size >= PATH_MAX)) {
			ksnprintf(err, errlen, "cpio: offset 0x%zx: '%s': symlink "
				  "target of %zu bytes", e->offset, e->name,
				  e->size);
			return -EINVAL;
		}
		return 0;
	}
}

/* The nodes every tree has: /dev/{null,zero,console,tty}, /proc/self/exe,
 * and the directories /mnt and /tmp to mount on.
 * An archive may hold /dev and /proc as directories, not these names. */
static int add_specials(struct initramfs *fs, char *err, size_t errlen)
{
	static const struct {
		const char *dir, *name;
		enum initramfs_kind kind;
		unsigned int mode;
	} specials[] = {
		{ "dev", "null", NODE_DEV_NULL, S_IFCHR | 0666 },
		{ "dev", "zero", NODE_DEV_ZERO, S_IFCHR | 0666 },
		{ "dev", "console", NODE_DEV_TTY, S_IFCHR | 0620 },
		{ "dev", "tty", NODE_DEV_TTY, S_IFCHR | 0666 },
		{ "proc", "self", NODE_DIR, S_IFDIR | 0555 },
		{ "proc/self", "exe", NODE_PROC_SELF_EXE, S_IFLNK | 0777 },
	};

	/* Mount points: /mnt (root=DEV) and /tmp, unless the archive has
	 * them. */
	static const char *const mount_dirs[] = { "mnt", "tmp" };

	for (size_t i = 0; i < ARRAY_SIZE(mount_dirs); i++) {
		const struct initramfs_node *d;

		if (initramfs_walk(fs, NULL, mount_dirs[i], false, &d) == 0)
			continue;
		if (!new_node(fs, fs->root, mount_dirs[i],
			      strlen(mount_dirs[i]), NODE_DIR, S_IFDIR | 0755))
			return -ENOMEM;
	}
	for (size_t i = 0; i < ARRAY_SIZE(specials); i++) {
		const struct initramfs_node *d;
		struct initramfs_node *dir;
		const char *dn = specials[i].dir;

		if (initramfs_walk(fs, NULL, dn, false, &d) < 0) {
			/* "dev" or "proc" is missing: make it. */
			if (!new_node(fs, fs->root, dn, strlen(dn), NODE_DIR,
				      S_IFDIR | 0755))
				return -ENOMEM;
			if (initramfs_walk(fs, NULL, dn, false, &d) < 0)
				return -EINVAL;
		}
		dir = (struct initramfs_node *)d;
		if (dir->kind != NODE_DIR) {
			ksnprintf(err, errlen, "initramfs: /%s in the archive "
				  "is not a directory", dn);
			return -EINVAL;
		}
		if (child(dir, specials[i].name, strlen(specials[i].name))) {
			ksnprintf(err, errlen, "initramfs: the archive holds "
				  "/%s/%s, which the kernel provides", dn,
				  specials[i].name);
			return -EINVAL;
		}
		if (!new_node(fs, dir, specials[i].name,
			      strlen(specials[i].name), specials[i].kind,
			      specials[i].mode))
			return -ENOMEM;
	}
	return 0;
}

int initramfs_build(struct initramfs *fs, const void *archive, size_t size,
		    char *err, size_t errlen)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int r;

	fs->nr_nodes = 0;
	fs->root = new_node(fs, NULL, "", 0, NODE_DIR, S_IFDIR | 0755);
	if (!fs->root)
		return -ENOMEM;
	cpio_iter_init(&it, archive, size);
	while (size && (r = cpio_next(&it, &e, err, errlen)) != 0) {
		if (r < 0) {
			r = -EINVAL;
			goto fail;
		}
		r = add_entry(fs, &e, err, errlen);
		if (r < 0)
			goto fail;
	}
	r = add_specials(fs, err, errlen);
	if (r < 0)
		goto fail;
	return 0;
fail:
	if (r == -ENOMEM)
		ksnprintf(err, errlen, "initramfs: out of memory");
	initramfs_free(fs);
	return r;
}

/* ------------------------------------------------------------- lookup */

/* The target of a symlink into buf (NUL-terminated): 0 or -errno. */
static int link_target(const struct initramfs_node *n, char *buf,
		       size_t size)
{
	if (n->kind == NODE_PROC_SELF_EXE)
		return vfs_exe_path(buf, size);	/* -ENOENT: no program */
	if (n->size >= size)
		return -ENAMETOOLONG;
	memcpy(buf, n->data, n->size);
	buf[n->size] = '\0';
	return 0;
}

static bool is_link(const struct initramfs_node *n)
{
	return n->kind == NODE_LNK || n->kind == NODE_PROC_SELF_EXE;
}

static int walk(const struct initramfs *fs, const struct initramfs_node *dir,
		const char *path, bool follow, int *links,
		const struct initramfs_node **out)
{
	const struct initramfs_node *cur = dir;
	const char *p = path;

	if (!*path)
		return -ENOENT;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (*p == '/')
		cur = fs->root;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *end = p;

		while (*end && *end != '/')
			end++;
		size_t len = (size_t)(end - p);
		bool last = true, slash = *end == '/';

		for (const char *q = end; *q; q++)
			if (*q != '/')
				last = false;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (cur->kind != NODE_DIR)
			return -ENOTDIR;
		const struct initramfs_node *next;

		if (len == 1 && p[0] == '.')
			next = cur;
		else if (len == 2 && p[0] == '.' && p[1] == '.')
			next = cur->parent;
		else
			next = child(cur, p, len);
		if (!next)
			return -ENOENT;
		if (is_link(next) && (!last || follow || slash)) {
			char *target;
			int r;

			if (++*links > MAXSYMLINKS)
				return -ELOOP;
			target = kmalloc(PATH_MAX, GFP_KERNEL);
			if (!target)
				return -ENOMEM;
			r = link_target(next, target, PATH_MAX);
			if (r == 0)
				r = walk(fs, cur, target, true, links, &next);
			kfree(target);
			if (r < 0)
				return r;
		}
		cur = next;
		p = end;
		if (last && slash && cur->kind != NODE_DIR)
			return -ENOTDIR;
	}
	*out = cur;
	return 0;
}

int initramfs_walk(const struct initramfs *fs,
		   const struct initramfs_node *cwd, const char *path,
		   bool follow, const struct initramfs_node **out)
{
	int links = 0;

	if (!fs || !fs->root)
		return -ENOENT;
	return walk(fs, cwd ? cwd : fs->root, path, follow, &links, out);
}

int initramfs_node_path(const struct initramfs_node *n, char *buf,
			size_t size)
{
	size_t len = 0;

	/* Measure, then fill from the end. */
	for (const struct initramfs_node *m = n; m->parent != m; m = m->parent)
		len += m->namelen + 1;
	if (len == 0)
		len = 1;		/* "/" */
	if (len + 1 > size)
		return -ERANGE;
	buf[len] = '\0';
	buf[0] = '/';
	size_t at = len;

	for (const struct initramfs_node *m = n; m->parent != m; m = m->parent) {
		at -= m->namelen;
		memcpy(buf + at, m->name, m->namelen);
		buf[--at] = '/';
	}
	return (int)len;
}

/* ------------------------------------------------------------ open files */

/*
 * The file system. Inode numbers are the nodes' (1 for the root); the
 * super block keeps a table from number to node. A node's inode holds
 * the node in i_private.
 */
struct initramfs_sb {
	struct initramfs tree;
	struct initramfs_node **by_ino;		/* [1..nr_nodes] */
};

static const struct initramfs_node *node_of(const struct inode *inode)
{
	return inode->i_private;
}

static ssize_t reg_read(struct file *f, char *buf, size_t n, loff_t *pos)
{
	const struct initramfs_node *node = node_of(f->f_inode);

	if (*pos < 0)
		return -EINVAL;
	if ((unsigned long long)*pos >= node->size)
		return 0;
	n = min(n, node->size - (size_t)*pos);
	memcpy(buf, (const char *)node->data + *pos, n);
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static unsigned int dtype(const struct initramfs_node *n)
{
	switch (n->kind) {
	case NODE_DIR: return DT_DIR;
	case NODE_REG: return DT_REG;
	case NODE_LNK:
	case NODE_PROC_SELF_EXE: return DT_LNK;
	default: return DT_CHR;
	}
}

/* Positions: 0 is ".", 1 "..", 2 + i the i-th entry. */
static int dir_iterate(struct file *f, struct dir_context *ctx, loff_t *pos)
{
	const struct initramfs_node *dir = node_of(f->f_inode);
	const struct initramfs_node *c = dir->children;
	loff_t i;

	if (*pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 1, dir->ino, DT_DIR))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		if (!ctx->actor(ctx, "..", 2, 2, dir->parent->ino, DT_DIR))
			return 0;
		*pos = 2;
	}
	for (i = 2; c && i < *pos; i++)
		c = c->next;
	for (; c; c = c->next) {
		if (!ctx->actor(ctx, c->name, c->namelen, *pos + 1, c->ino,
				dtype(c)))
			return 0;
		(*pos)++;
	}
	return 0;
}

static const struct file_operations reg_fops = {
	.read = reg_read, .llseek = generic_file_llseek,
};
static const struct file_operations dir_fops = {
	.llseek = generic_file_llseek, .iterate = dir_iterate,
};

void initramfs_node_stat(const struct initramfs_node *n, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->mode = n->mode;
	st->ino = n->ino;
	st->dev = 1;			/* the first file system */
	st->nlink = n->kind == NODE_DIR ? 2 : 1;
	st->size = n->kind == NODE_REG || n->kind == NODE_LNK ?
		   (long long)n->size : 0;
	st->blocks = ((unsigned long long)st->size + 511) / 512;
	st->blksize = 4096;
	switch (n->kind) {
	case NODE_DEV_NULL: st->rdev = 1 << 8 | 3; break;
	case NODE_DEV_ZERO: st->rdev = 1 << 8 | 5; break;
	case NODE_DEV_TTY: st->rdev = 5 << 8 | 1; break;
	default: break;
	}
}

int initramfs_readlink(const struct initramfs_node *n, char *buf,
		       size_t size)
{
	if (!is_link(n))
		return -EINVAL;
	return link_target(n, buf, size);
}

static int iramfs_lookup(struct inode *dir, const char *name, size_t len,
			 struct inode **out)
{
	const struct initramfs_node *d = node_of(dir), *c;
	struct inode *inode;

	if (len == 2 && name[0] == '.' && name[1] == '.')
		c = d->parent;
	else
		c = child(d, name, len);
	if (!c)
		return -ENOENT;
	inode = iget(dir->i_sb, c->ino);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	*out = inode;
	return 0;
}

static int iramfs_readlink(struct inode *inode, char *buf, size_t size)
{
	int r = initramfs_readlink(node_of(inode), buf, size);

	return r < 0 ? r : (int)strlen(buf);
}

static const struct inode_operations iramfs_iops = {
	.lookup = iramfs_lookup,
	.readlink = iramfs_readlink,
};

static int iramfs_read_inode(struct inode *inode)
{
	struct initramfs_sb *fs = inode->i_sb->s_fs_info;
	const struct initramfs_node *n;
	struct kstat st;

	if (inode->i_ino == 0 || inode->i_ino > fs->tree.nr_nodes)
		return -EIO;
	n = fs->by_ino[inode->i_ino];
	initramfs_node_stat(n, &st);
	inode->i_private = (void *)n;
	inode->i_mode = st.mode;
	inode->i_nlink = st.nlink;
	inode->i_rdev = st.rdev;
	inode->i_blocks = st.blocks;
	i_size_write(inode, n->kind == NODE_DIR ? 0 : st.size);
	inode->i_op = &iramfs_iops;
	inode->i_fop = n->kind == NODE_DIR ? &dir_fops :
		       n->kind == NODE_REG ? &reg_fops : NULL;
	inode->i_mapping->flags |= 1UL << AS_UNEVICTABLE;
	return 0;
}

static int iramfs_statfs(struct super_block *sb, struct kstatfs *st)
{
	struct initramfs_sb *fs = sb->s_fs_info;

	st->f_type = 0x858458f6;	/* Linux's RAMFS_MAGIC */
	st->f_bsize = 4096;
	st->f_files = fs->tree.nr_nodes;
	return 0;
}

/* The tree is in memory: an unused inode is not worth keeping. */
static bool iramfs_drop_inode(struct inode *inode)
{
	return true;
}

static const struct super_operations iramfs_sops = {
	.read_inode = iramfs_read_inode,
	.drop_inode = iramfs_drop_inode,
	.statfs = iramfs_statfs,
};

const void *initramfs_file_bytes(const struct inode *inode, size_t *size)
{
	const struct initramfs_node *n;

	if (inode->i_sb->s_op != &iramfs_sops || !S_ISREG(inode->i_mode))
		return NULL;
	n = node_of(inode);
	*size = n->size;
	return n->data;
}

static struct file_system_type initramfs_type = { .name = "initramfs" };

static void index_nodes(struct initramfs_node **by_ino,
			struct initramfs_node *n)
{
	for (; n; n = n->next) {
		by_ino[n->ino] = n;
		index_nodes(by_ino, n->children);
	}
}

struct super_block *initramfs_mount_tree(const void *archive, size_t size,
					 char *err, size_t errlen)
{
	struct initramfs_sb *fs = kzalloc(sizeof(*fs), GFP_KERNEL);
	struct super_block *sb = alloc_super(&initramfs_type);
	struct inode *root;

	if (!fs || !sb) {
		ksnprintf(err, errlen, "initramfs: out of memory");
		goto fail;
	}
	if (initramfs_build(&fs->tree, archive, size, err, errlen) < 0)
		goto fail;
	fs->by_ino = kzalloc(sizeof(*fs->by_ino) * (fs->tree.nr_nodes + 1),
			     GFP_KERNEL);
	if (!fs->by_ino) {
		ksnprintf(err, errlen, "initramfs: out of memory");
		initramfs_free(&fs->tree);
		goto fail;
	}
	index_nodes(fs->by_ino, fs->tree.root);
	sb->s_op = &iramfs_sops;
	sb->s_fs_info = fs;
	sb->s_readonly = true;
	sb->s_dev = 1;
	sb->s_active = 1;
	ksnprintf(sb->s_id, sizeof(sb->s_id), "initramfs");
	root = iget(sb, fs->tree.root->ino);
	if (IS_ERR(root)) {
		ksnprintf(err, errlen, "initramfs: root inode: error %ld",
			  PTR_ERR(root));
		kfree(fs->by_ino);
		initramfs_free(&fs->tree);
		goto fail;
	}
	sb->s_root = root;
	return sb;
fail:
	kfree(fs);
	if (sb)
		free_super(sb);
	return NULL;
}

void initramfs_kill_sb(struct super_block *sb)
{
	struct initramfs_sb *fs = sb->s_fs_info;
	unsigned long busy;

	sb->s_active = 0;
	iput(sb->s_root);
	busy = evict_sb_inodes(sb);
	WARN_ON(busy);
	kfree(fs->by_ino);
	initramfs_free(&fs->tree);
	kfree(fs);
	free_super(sb);
}

void vfs_init_root(const void *archive, size_t size)
{
	struct super_block *sb;
	char err[160];

	inode_cache_init();
	sb = initramfs_mount_tree(archive, size, err, sizeof(err));
	if (!sb) {
		pr_err("initramfs: archive of %zu bytes refused: %s; booting "
		       "on without programs\n", size, err);
		sb = initramfs_mount_tree(NULL, 0, err, sizeof(err));
		if (!sb) {
			pr_err("initramfs: %s\n", err);
			return;
		}
	} else if (!size) {
		pr_info("initramfs: no archive in this kernel (no programs)\n");
	} else {
		pr_info("initramfs: %lu entries from a %zu-byte archive, "
			"mounted on /\n",
			((struct initramfs_sb *)sb->s_fs_info)->tree.nr_nodes,
			size);
	}
	if (mount_root_sb(sb, "initramfs") < 0) {
		pr_err("vfs: cannot mount the initramfs on /\n");
		initramfs_kill_sb(sb);
	}
}
