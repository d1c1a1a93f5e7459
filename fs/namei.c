/*
 * fs/namei.c - path lookup and the calls that change the name space
 * (fs/fs.h): kern_path, mkdir, symlink, unlink, rmdir, rename.
 *
 * Lookup walks one component at a time from a starting path (the root,
 * the cwd or a directory fd): "." stays, ".." goes to the parent (out
 * of a mount at its root, never above the name space's root), a name is
 * asked of the directory's file system (->lookup), and a directory with
 * a mount on it is replaced by that mount's root. A symlink is followed
 * (its target resolved from the directory holding it) except as the last
 * component without LOOKUP_FOLLOW; more than MAXSYMLINKS in one lookup
 * is -ELOOP. Every step holds references on the path it stands on.
 */
#include "fs/internal.h"
#include "kernel/lib/string.h"
#include "mm/kmalloc.h"

static const struct vfs_task_ops *task_ops;

void vfs_set_task_ops(const struct vfs_task_ops *ops)
{
	task_ops = ops;
}

int vfs_exe_path(char *buf, size_t size)
{
	return task_ops && task_ops->exe_path ? task_ops->exe_path(buf, size)
					      : -ENOENT;
}

int sb_may_write(struct super_block *sb)
{
	return sb->s_readonly ? -EROFS : 0;
}

struct nameidata {
	struct path root;
	int links;
};

static bool is_root(const struct nameidata *nd, const struct path *p)
{
	return p->mnt == nd->root.mnt && p->inode == nd->root.inode;
}

/* Ask dir's file system for name, with dir's lock held. */
static int lookup_one(struct inode *dir, const char *name, size_t len,
		      struct inode **out)
{
	int r;

	if (!dir->i_op || !dir->i_op->lookup)
		return -ENOTDIR;
	mutex_lock(&dir->i_rwsem);
	r = dir->i_op->lookup(dir, name, len, out);
	mutex_unlock(&dir->i_rwsem);
	return r;
}

/* Replace *p by the root of what is mounted on it, as often as needed. */
static void follow_mounts(struct path *p)
{
	struct vfsmount *m;

	while ((m = lookup_mnt(p->mnt, p->inode)) != NULL) {
		path_put(p);
		p->mnt = m;			/* lookup_mnt's reference */
		p->inode = ihold(m->mnt_sb->s_root);
	}
}

/* One component from the directory cur: *next with references. */
static int step(struct nameidata *nd, const struct path *cur,
		const char *name, size_t len, struct path *next)
{
	struct inode *inode;
	int r;

	*next = *cur;
	path_get(next);
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		if (is_root(nd, next))
			return 0;
		/* Out of each mount whose root we stand on. */
		while (next->inode == next->mnt->mnt_sb->s_root &&
		       next->mnt->mnt_parent != next->mnt) {
			struct path up = { next->mnt->mnt_parent,
					   next->mnt->mnt_mountpoint };

			path_get(&up);
			path_put(next);
			*next = up;
			if (is_root(nd, next))
				return 0;
		}
	}
	r = lookup_one(next->inode, name, len, &inode);
	if (r < 0) {
		path_put(next);
		return r;
	}
	iput(next->inode);
	next->inode = inode;
	follow_mounts(next);
	return 0;
}

static int walk(struct nameidata *nd, struct path *cur, const char *path,
		bool follow_last);

/* next is a symlink found in directory dir: replace it by its target. */
static int follow_link(struct nameidata *nd, const struct path *dir,
		       struct path *next)
{
	char *target;
	int r;

	if (++nd->links > MAXSYMLINKS)
		return -ELOOP;
	target = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!target)
		return -ENOMEM;
	r = vfs_readlink(next->inode, target, PATH_MAX - 1);
	if (r >= 0) {
		target[r] = '\0';
		path_put(next);
		*next = *dir;
		path_get(next);
		r = r ? walk(nd, next, target, true) : -ENOENT;
	}
	kfree(target);
	return r;
}

/*
 * Resolve path from *cur (whose references the caller owns; *cur is
 * replaced by the result, or left holding some path to put on error).
 */
static int walk(struct nameidata *nd, struct path *cur, const char *path,
		bool follow_last)
{
	const char *p = path;

	if (*p == '/') {
		path_put(cur);
		*cur = nd->root;
		path_get(cur);
	}
	for (;;) {
		const char *end, *q;
		struct path next;
		bool last = true, slash;
		size_t len;
		int r;

		while (*p == '/')
			p++;
		if (!*p)
			return 0;
		for (end = p; *end && *end != '/'; end++)
			;
		len = (size_t)(end - p);
		slash = *end == '/';
		for (q = end; *q; q++)
			if (*q != '/')
				last = false;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (!S_ISDIR(cur->inode->i_mode))
			return -ENOTDIR;
		r = step(nd, cur, p, len, &next);
		if (r < 0)
			return r;
		if (S_ISLNK(next.inode->i_mode) && (!last || follow_last || slash)) {
			r = follow_link(nd, cur, &next);
			if (r < 0) {
				path_put(&next);
				return r;
			}
		}
		path_put(cur);
		*cur = next;
		p = end;
		if (last && slash && !S_ISDIR(cur->inode->i_mode))
			return -ENOTDIR;
	}
}

static void start_path(const struct path *base, struct path *cur,
		       const struct nameidata *nd)
{
	if (base) {
		*cur = *base;
		path_get(cur);
	} else if (task_ops && task_ops->get_cwd) {
		task_ops->get_cwd(cur);
		if (!cur->inode) {
			*cur = nd->root;
			path_get(cur);
		}
	} else {
		*cur = nd->root;
		path_get(cur);
	}
}

int kern_path(const struct path *base, const char *path, unsigned int flags,
	      struct path *out, const char **last, size_t *last_len)
{
	struct nameidata nd = { .links = 0 };
	struct path cur;
	size_t n = strnlen(path, PATH_MAX);
	char *prefix = NULL;
	int r;

	if (!n)
		return -ENOENT;
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;
	get_fs_root(&nd.root);
	if (!nd.root.inode)
		return -ENOENT;
	start_path(base, &cur, &nd);
	if (flags & LOOKUP_PARENT) {
		size_t e = n, s;

		while (e > 0 && path[e - 1] == '/')
			e--;
		s = e;
		while (s > 0 && path[s - 1] != '/')
			s--;
		*last = path + s;
		*last_len = e - s;
		if (e && *last_len > NAME_MAX) {
			r = -ENAMETOOLONG;
			goto out;
		}
		if (!e) {			/* "/": no last component */
			path_put(&cur);
			cur = nd.root;
			path_get(&cur);
			r = 0;
			goto out;
		}
		prefix = kmalloc(s + 1, GFP_KERNEL);
		if (!prefix) {
			r = -ENOMEM;
			goto out;
		}
		memcpy(prefix, path, s);
		prefix[s] = '\0';
		r = walk(&nd, &cur, prefix, true);
		if (!r && !S_ISDIR(cur.inode->i_mode))
			r = -ENOTDIR;
	} else {
		r = walk(&nd, &cur, path, flags & LOOKUP_FOLLOW);
		if (!r && (flags & LOOKUP_DIRECTORY) &&
		    !S_ISDIR(cur.inode->i_mode))
			r = -ENOTDIR;
	}
out:
	kfree(prefix);
	path_put(&nd.root);
	if (r < 0) {
		path_put(&cur);
		return r;
	}
	*out = cur;
	return 0;
}

int vfs_readlink(struct inode *inode, char *buf, size_t size)
{
	int r;

	if (!S_ISLNK(inode->i_mode))
		return -EINVAL;
	if (!inode->i_op || !inode->i_op->readlink)
		return -EINVAL;
	r = inode->i_op->readlink(inode, buf, size);
	if (r >= 0 && (size_t)r >= size)
		return -ENAMETOOLONG;
	return r;
}

/* ------------------------------------------------ changing the tree */

static bool is_dot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') ||
	       (len == 2 && name[0] == '.' && name[1] == '.');
}

static bool is_mounted_on(const struct path *dir, struct inode *inode)
{
	struct vfsmount *m = lookup_mnt(dir->mnt, inode);

	if (m)
		mntput(m);
	return m != NULL;
}

/* The create calls' common part: parent of path, last component; an
 * existing name is -EEXIST, a read-only file system -EROFS. On success
 * the parent is returned locked (unlock and path_put it). */
static int create_prepare(const struct path *base, const char *path,
			  struct path *parent, const char **name,
			  size_t *len)
{
	struct inode *old;
	int r = kern_path(base, path, LOOKUP_PARENT, parent, name, len);

	if (r < 0)
		return r;
	if (!*len || is_dot(*name, *len)) {
		path_put(parent);
		return -EEXIST;
	}
	mutex_lock(&parent->inode->i_rwsem);
	r = parent->inode->i_op->lookup(parent->inode, *name, *len, &old);
	if (r == 0) {
		iput(old);
		r = -EEXIST;
	} else if (r == -ENOENT) {
		r = sb_may_write(parent->inode->i_sb);
	}
	if (r < 0) {
		mutex_unlock(&parent->inode->i_rwsem);
		path_put(parent);
	}
	return r;
}

static void create_finish(struct path *parent)
{
	mutex_unlock(&parent->inode->i_rwsem);
	path_put(parent);
}

int vfs_mkdirat(const struct path *base, const char *path, unsigned int mode)
{
	struct path parent;
	const char *name;
	size_t len;
	int r = create_prepare(base, path, &parent, &name, &len);

	if (r < 0)
		return r;
	r = parent.inode->i_op->mkdir ?
		parent.inode->i_op->mkdir(parent.inode, name, len,
					  S_IFDIR | (mode & 07777)) : -EPERM;
	if (!r)
		parent.inode->i_mtime = parent.inode->i_ctime = current_time_sec();
	create_finish(&parent);
	return r;
}

int vfs_symlinkat(const char *target, const struct path *base,
		  const char *path)
{
	struct path parent;
	const char *name;
	size_t len;
	int r;

	if (!*target)
		return -ENOENT;
	r = create_prepare(base, path, &parent, &name, &len);
	if (r < 0)
		return r;
	if (name[len] == '/')
		r = -ENOENT;		/* "link/": Linux says no such dir */
	else
		r = parent.inode->i_op->symlink ?
			parent.inode->i_op->symlink(parent.inode, name, len,
						    target) : -EPERM;
	create_finish(&parent);
	return r;
}

int vfs_unlinkat(const struct path *base, const char *path, bool rmdir)
{
	struct path parent;
	struct inode *dir, *victim;
	const char *name;
	size_t len;
	int r = kern_path(base, path, LOOKUP_PARENT, &parent, &name, &len);

	if (r < 0)
		return r;
	dir = parent.inode;
	if (!len)
		r = rmdir ? -EBUSY : -EISDIR;
	else if (is_dot(name, len))
		r = !rmdir ? -EISDIR : len == 1 ? -EINVAL : -ENOTEMPTY;
	else
		r = sb_may_write(dir->i_sb);
	if (r < 0)
		goto out;
	mutex_lock(&dir->i_rwsem);
	r = dir->i_op->lookup(dir, name, len, &victim);
	if (r < 0)
		goto unlock;
	if (rmdir && !S_ISDIR(victim->i_mode))
		r = -ENOTDIR;
	else if (!rmdir && S_ISDIR(victim->i_mode))
		r = -EISDIR;
	else if (!rmdir && name[len] == '/')
		r = -ENOTDIR;
	else if (is_mounted_on(&parent, victim))
		r = -EBUSY;
	else if (rmdir)
		r = dir->i_op->rmdir ? dir->i_op->rmdir(dir, name, len) : -EPERM;
	else
		r = dir->i_op->unlink ? dir->i_op->unlink(dir, name, len) : -EPERM;
	if (!r)
		dir->i_mtime = dir->i_ctime = current_time_sec();
	iput(victim);		/* an unlinked inode goes here, if unused */
unlock:
	mutex_unlock(&dir->i_rwsem);
out:
	path_put(&parent);
	return r;
}

/* Is dir (on the same file system as ancestor) ancestor itself or below
 * it? Walks ".." up to the file system's root. */
static int is_subdir(struct inode *dir, struct inode *ancestor)
{
	struct inode *cur = ihold(dir);

	for (;;) {
		struct inode *up;
		int r;

		if (cur == ancestor) {
			iput(cur);
			return 1;
		}
		if (cur == cur->i_sb->s_root) {
			iput(cur);
			return 0;
		}
		r = lookup_one(cur, "..", 2, &up);
		iput(cur);
		if (r < 0)
			return r;
		if (up == cur) {
			iput(up);
			return 0;
		}
		cur = up;
	}
}

int vfs_renameat(const struct path *obase, const char *opath,
		 const struct path *nbase, const char *npath,
		 unsigned int flags)
{
	struct path op, np;
	struct inode *odir, *ndir, *src = NULL, *dst = NULL;
	struct super_block *sb;
	const char *oname, *nname;
	size_t olen, nlen;
	int r;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	r = kern_path(obase, opath, LOOKUP_PARENT, &op, &oname, &olen);
	if (r < 0)
		return r;
	r = kern_path(nbase, npath, LOOKUP_PARENT, &np, &nname, &nlen);
	if (r < 0) {
		path_put(&op);
		return r;
	}
	odir = op.inode;
	ndir = np.inode;
	sb = odir->i_sb;
	if (op.mnt != np.mnt) {
		r = -EXDEV;
		goto out;
	}
	if (!olen || !nlen || is_dot(oname, olen) || is_dot(nname, nlen)) {
		r = (flags & RENAME_NOREPLACE) && nlen ? -EEXIST : -EBUSY;
		goto out;
	}
	r = sb_may_write(sb);
	if (r < 0)
		goto out;
	mutex_lock(&sb->s_vfs_rename_mutex);
	r = lookup_one(odir, oname, olen, &src);
	if (r < 0)
		goto unlock_rename;
	r = lookup_one(ndir, nname, nlen, &dst);
	if (r == -ENOENT) {
		dst = NULL;
		r = 0;
	}
	if (r < 0)
		goto unlock_rename;
	if (!S_ISDIR(src->i_mode) &&
	    (oname[olen] == '/' || nname[nlen] == '/')) {
		r = -ENOTDIR;
	} else if (dst && (flags & RENAME_NOREPLACE)) {
		r = -EEXIST;
	} else if (dst == src) {
		r = 0;			/* the same file: nothing to do */
		goto unlock_rename;
	} else if (dst && S_ISDIR(src->i_mode) && !S_ISDIR(dst->i_mode)) {
		r = -ENOTDIR;
	} else if (dst && !S_ISDIR(src->i_mode) && S_ISDIR(dst->i_mode)) {
		r = -EISDIR;
	} else if (is_mounted_on(&op, src) || (dst && is_mounted_on(&np, dst))) {
		r = -EBUSY;
	} else if (S_ISDIR(src->i_mode)) {
		/* A directory may not move into its own subtree. */
		r = is_subdir(ndir, src);
		if (r == 1)
			r = -EINVAL;
	}
	if (r < 0)
		goto unlock_rename;
	if (dst && S_ISDIR(dst->i_mode)) {
		r = is_subdir(odir, dst);	/* the target is an ancestor */
		if (r == 1)
			r = -ENOTEMPTY;
		if (r < 0)
			goto unlock_rename;
	}
	if (!odir->i_op->rename) {
		r = -EPERM;
		goto unlock_rename;
	}
	mutex_lock(&odir->i_rwsem);
	if (ndir != odir)
		mutex_lock(&ndir->i_rwsem);
	r = odir->i_op->rename(odir, oname, olen, ndir, nname, nlen);
	if (!r) {
		odir->i_mtime = odir->i_ctime = current_time_sec();
		ndir->i_mtime = ndir->i_ctime = odir->i_mtime;
	}
	if (ndir != odir)
		mutex_unlock(&ndir->i_rwsem);
	mutex_unlock(&odir->i_rwsem);
unlock_rename:
	mutex_unlock(&sb->s_vfs_rename_mutex);
	if (src)
		iput(src);
	if (dst)
		iput(dst);
out:
	path_put(&op);
	path_put(&np);
	return r;
}

/* ---------------------------------------------------------- getcwd */

struct find_name {
	struct dir_context ctx;
	unsigned long ino;
	char name[NAME_MAX + 1];
	size_t len;
	bool found;
};

static bool match_ino(struct dir_context *ctx, const char *name, size_t len,
		      loff_t next_pos, unsigned long ino, unsigned int dtype)
{
	struct find_name *f = container_of(ctx, struct find_name, ctx);

	if (ino != f->ino || is_dot(name, len))
		return true;
	memcpy(f->name, name, len);
	f->len = len;
	f->found = true;
	return false;
}

/* The name of child (a directory) in its parent directory dir. */
static int name_in(const struct path *dir, struct inode *child,
		   struct find_name *f)
{
	struct file *file = vfs_open(dir, O_RDONLY);
	loff_t pos = 0;
	int r = 0;

	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	f->ctx.actor = match_ino;
	f->ino = child->i_ino;
	f->found = false;
	while (!f->found && !r) {
		loff_t before = pos;

		r = file->f_op->iterate ? file->f_op->iterate(file, &f->ctx, &pos)
					: -ENOTDIR;
		if (pos == before)
			break;		/* the end */
	}
	fput(file);
	return r < 0 ? r : f->found ? 0 : -ENOENT;
}

int vfs_path_name(const struct path *dir, char *buf, size_t size)
{
	struct nameidata nd = { 0 };
	struct find_name *f = kmalloc(sizeof(*f), GFP_KERNEL);
	struct path cur;
	size_t at = size;
	int r = 0;

	if (!f)
		return -ENOMEM;
	if (size < 2) {
		kfree(f);
		return -ERANGE;
	}
	get_fs_root(&nd.root);
	cur = *dir;
	path_get(&cur);
	buf[--at] = '\0';
	while (!is_root(&nd, &cur)) {
		struct path up;

		if (cur.inode == cur.mnt->mnt_sb->s_root &&
		    cur.mnt->mnt_parent != cur.mnt) {
			up.mnt = cur.mnt->mnt_parent;
			up.inode = cur.mnt->mnt_mountpoint;
			path_get(&up);
			path_put(&cur);
			cur = up;
			continue;
		}
		if (cur.inode->i_nlink == 0) {
			r = -ENOENT;	/* a removed directory */
			break;
		}
		r = step(&nd, &cur, "..", 2, &up);
		if (r < 0)
			break;
		if (up.inode == cur.inode && up.mnt == cur.mnt) {
			path_put(&up);
			break;
		}
		r = name_in(&up, cur.inode, f);
		if (r == 0 && at < f->len + 2)
			r = -ERANGE;
		if (r < 0) {
			path_put(&up);
			break;
		}
		at -= f->len;
		memcpy(buf + at, f->name, f->len);
		buf[--at] = '/';
		path_put(&cur);
		cur = up;
	}
	path_put(&cur);
	path_put(&nd.root);
	kfree(f);
	if (r < 0)
		return r;
	if (at == size - 1)
		buf[--at] = '/';
	memmove(buf, buf + at, size - at);
	return (int)(size - at - 1);
}

/*
 * The canonical absolute path of the file path names (symlinks followed,
 * ".", ".." and mounts resolved) into buf: its length, or -errno. The
 * last component's name comes from the path (or a link's target), its
 * directory's from vfs_path_name.
 */
int vfs_real_path(const char *path, char *buf, size_t size)
{
	char *cur = kmalloc(PATH_MAX, GFP_KERNEL);
	struct path dir;
	int links = 0, r;

	if (!cur)
		return -ENOMEM;
	if (strnlen(path, PATH_MAX) >= PATH_MAX) {
		kfree(cur);
		return -ENAMETOOLONG;
	}
	memcpy(cur, path, strlen(path) + 1);
	r = kern_path(NULL, ".", LOOKUP_FOLLOW, &dir, NULL, NULL);
	while (r == 0) {
		const char *last;
		size_t len;
		struct path parent;
		struct inode *inode;

		r = kern_path(&dir, cur, LOOKUP_PARENT, &parent, &last, &len);
		if (r < 0)
			break;
		path_put(&dir);
		dir = parent;
		if (!len || is_dot(last, len)) {
			/* "/", "." or "..": the directory itself. */
			struct path p;

			r = kern_path(&dir, cur, LOOKUP_FOLLOW, &p, NULL, NULL);
			if (r == 0) {
				r = vfs_path_name(&p, buf, size);
				path_put(&p);
			}
			break;
		}
		r = lookup_one(dir.inode, last, len, &inode);
		if (r < 0)
			break;
		if (S_ISLNK(inode->i_mode)) {
			r = ++links > MAXSYMLINKS ? -ELOOP :
			    vfs_readlink(inode, cur, PATH_MAX - 1);
			iput(inode);
			if (r >= 0) {
				cur[r] = '\0';
				r = 0;
			}
			continue;
		}
		iput(inode);
		r = vfs_path_name(&dir, buf, size);
		if (r >= 0) {
			size_t at = (size_t)r == 1 ? 1 : (size_t)r + 1;

			if (at + len + 1 > size) {
				r = -ERANGE;
			} else {
				buf[at - 1] = '/';
				memcpy(buf + at, last, len);
				buf[at + len] = '\0';
				r = (int)(at + len);
			}
		}
		break;
	}
	path_put(&dir);
	kfree(cur);
	return r;
}
