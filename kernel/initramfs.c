/*
 * kernel/initramfs.c - the read-only tree from the embedded cpio archive
 * (kernel/initramfs.h): building it, looking paths up in it.
 */
#include "kernel/initramfs.h"
#include "kernel/errno.h"
#include "kernel/file.h"
#include "kernel/lib/cpio.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/tty.h"
#include "mm/kmalloc.h"

extern const char __initramfs_start[], __initramfs_end[];

static struct initramfs boot_fs;
static bool boot_fs_ok;

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

/* The nodes every tree has: /dev/{null,zero,console,tty}, /proc/self/exe.
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
	if (n->kind == NODE_PROC_SELF_EXE) {
		struct files_struct *files = current_files();

		if (!files || !files->exe)
			return -ENOENT;	/* a kernel thread: no program */
		return initramfs_node_path(files->exe, buf, size) < 0 ?
			-ENAMETOOLONG : 0;
	}
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

/* --------------------------------------------------------------- boot tree */

const struct initramfs *initramfs_root(void)
{
	return boot_fs_ok ? &boot_fs : NULL;
}

void initramfs_init(void)
{
	size_t size = (size_t)(__initramfs_end - __initramfs_start);
	char err[160];
	int r;

	r = initramfs_build(&boot_fs, __initramfs_start, size, err,
			    sizeof(err));
	if (r < 0) {
		pr_err("initramfs: archive of %zu bytes refused: %s; booting "
		       "on without programs\n", size, err);
		r = initramfs_build(&boot_fs, NULL, 0, err, sizeof(err));
		if (r < 0) {
			pr_err("initramfs: %s\n", err);
			return;
		}
	} else if (!size) {
		pr_info("initramfs: no archive in this kernel (no programs)\n");
	} else {
		pr_info("initramfs: %lu entries from a %zu-byte archive\n",
			boot_fs.nr_nodes, size);
	}
	boot_fs_ok = true;
}

static const struct initramfs_node *current_cwd(void)
{
	struct files_struct *files = current_files();

	return files ? files->cwd : NULL;
}

/* The regular file at path (from the current directory, symbolic links
 * followed): the walk's errno, or -EACCES for anything but a file. */
static int lookup_reg(const char *path, const struct initramfs_node **n)
{
	int r = initramfs_walk(initramfs_root(), current_cwd(), path, true, n);

	if (r < 0)
		return r;
	return (*n)->kind == NODE_REG ? 0 : -EACCES;
}

int initramfs_lookup(const char *path, const void **data, size_t *size)
{
	const struct initramfs_node *n;
	int r = lookup_reg(path, &n);

	if (r < 0)
		return r;
	*data = n->data;
	*size = n->size;
	return 0;
}

int initramfs_set_exe(struct files_struct *files, const char *path)
{
	const struct initramfs_node *n;
	int r = lookup_reg(path, &n);

	if (r < 0)
		return r;
	files->exe = n;
	return 0;
}

int initramfs_find_program(const char *name, char *buf, size_t size)
{
	const void *data;
	size_t len;
	int n = strchr(name, '/') ? ksnprintf(buf, size, "%s", name)
				  : ksnprintf(buf, size, "/bin/%s", name);

	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return initramfs_lookup(buf, &data, &len);
}

/* ------------------------------------------------------------ open files */

static ssize_t reg_read(struct file *f, char *buf, size_t n, loff_t *pos)
{
	const struct initramfs_node *node = f->f_node;

	if (*pos < 0)
		return -EINVAL;
	if ((unsigned long long)*pos >= node->size)
		return 0;
	n = min(n, node->size - (size_t)*pos);
	memcpy(buf, (const char *)node->data + *pos, n);
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static loff_t node_llseek(struct file *f, loff_t off, int whence)
{
	const struct initramfs_node *node = f->f_node;
	loff_t base;

	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->f_pos; break;
	case SEEK_END: base = node->kind == NODE_REG ? (loff_t)node->size : 0;
		break;
	default: return -EINVAL;
	}
	if ((off > 0 && base > (loff_t)(~0ULL >> 1) - off) || base + off < 0)
		return -EINVAL;
	f->f_pos = base + off;
	return f->f_pos;
}

static unsigned int dtype(const struct initramfs_node *n)
{
	switch (n->kind) {
	case NODE_DIR: return 4;		/* DT_DIR */
	case NODE_REG: return 8;		/* DT_REG */
	case NODE_LNK:
	case NODE_PROC_SELF_EXE: return 10;	/* DT_LNK */
	default: return 2;			/* DT_CHR */
	}
}

/* Positions: 0 is ".", 1 "..", 2 + i the i-th entry. */
static int dir_iterate(struct file *f, struct dir_context *ctx, loff_t *pos)
{
	const struct initramfs_node *dir = f->f_node;
	const struct initramfs_node *c = dir->children;
	loff_t i;

	if (*pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 1, dir->ino, 4))
			return 0;
		*pos = 1;
	}
	if (*pos == 1) {
		if (!ctx->actor(ctx, "..", 2, 2, dir->parent->ino, 4))
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

static void node_getattr(struct file *f, struct kstat *st)
{
	const struct initramfs_node *n = f->f_node;

	initramfs_node_stat(n, st);
}

static const struct file_operations reg_fops = {
	.read = reg_read, .llseek = node_llseek, .getattr = node_getattr,
};
static const struct file_operations dir_fops = {
	.llseek = node_llseek, .iterate = dir_iterate, .getattr = node_getattr,
};
/* O_PATH opens (and symlinks opened with O_PATH|O_NOFOLLOW). */
static const struct file_operations path_fops = {
	.getattr = node_getattr,
};

void initramfs_node_stat(const struct initramfs_node *n, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->mode = n->mode;
	st->ino = n->ino;
	st->dev = 1;			/* the one file system */
	st->nlink = n->kind == NODE_DIR ? 2 : 1;
	st->size = n->kind == NODE_REG || n->kind == NODE_LNK ?
		   (long long)n->size : 0;
	st->blksize = 4096;
	switch (n->kind) {
	case NODE_DEV_NULL: st->rdev = 1 << 8 | 3; break;
	case NODE_DEV_ZERO: st->rdev = 1 << 8 | 5; break;
	case NODE_DEV_TTY: st->rdev = 5 << 8 | 1; break;
	default: break;
	}
}

struct file *initramfs_open(const struct initramfs_node *n,
			    unsigned int f_flags, int *err)
{
	const struct file_operations *ops;
	struct file *f;

	if (f_flags & O_PATH) {
		ops = &path_fops;
	} else {
		switch (n->kind) {
		case NODE_DEV_NULL:
			f = dev_null_open(f_flags);
			goto special;
		case NODE_DEV_ZERO:
			f = dev_zero_open(f_flags);
			goto special;
		case NODE_DEV_TTY:
			f = tty_open(f_flags);
			goto special;
		case NODE_DIR:
			if ((f_flags & O_ACCMODE) != O_RDONLY) {
				*err = -EISDIR;
				return NULL;
			}
			ops = &dir_fops;
			break;
		case NODE_REG:
			if ((f_flags & O_ACCMODE) != O_RDONLY) {
				*err = -EROFS;
				return NULL;
			}
			ops = &reg_fops;
			break;
		default:
			*err = -ELOOP;	/* a symlink not followed */
			return NULL;
		}
	}
	f = file_alloc(ops, f_flags, NULL);
	if (f)
		f->f_node = n;
	*err = f ? 0 : -ENOMEM;
	return f;
special:
	*err = f ? 0 : -ENOMEM;
	return f;
}

int initramfs_readlink(const struct initramfs_node *n, char *buf,
		       size_t size)
{
	if (!is_link(n))
		return -EINVAL;
	return link_target(n, buf, size);
}
