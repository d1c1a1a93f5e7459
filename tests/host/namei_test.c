/*
 * tests/host/namei_test.c - path lookup against a model: random trees of
 * directories, files, symlinks (relative, absolute, dangling, looping)
 * and mount points (testfs on testfs, up to three deep) under /tmp, and
 * random paths through them with ".", ".." and trailing slashes; every
 * kern_path result (the inode, or the errno) must equal what a simple
 * model of Linux's rules says. The model is a table of nodes with names
 * and parents, resolved by string walking: no inodes, no references.
 * Replay a failure with --seed N.
 */
#include "fs/fs.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "mm/kmalloc.h"
#include "tests/suites/vfs_testfs.h"

/* ------------------------------------------------------------- model */

enum { M_DIR, M_REG, M_LNK };

#define MAX_NODES	160
#define ROOT		0	/* "/" (the initramfs root) */

struct mnode {
	int type, parent;
	char name[8];
	char target[48];
	int mounted;		/* a dir: the root node mounted on it, or -1 */
	int mountpoint;		/* a mount's root: the dir it covers, or -1 */
	struct inode *inode;	/* what the VFS says this node is */
};

static struct mnode nodes[MAX_NODES];
static int nr;

static int child_of(int dir, const char *name, size_t len)
{
	for (int i = 1; i < nr; i++)
		if (nodes[i].parent == dir && nodes[i].mountpoint < 0 &&
		    strlen(nodes[i].name) == len &&
		    !memcmp(nodes[i].name, name, len))
			return i;
	return -1;
}

static int cover(int n)
{
	while (nodes[n].type == M_DIR && nodes[n].mounted >= 0)
		n = nodes[n].mounted;
	return n;
}

static int resolve(int cur, const char *path, bool follow_last, int *links)
{
	const char *p = path;

	if (*p == '/')
		cur = ROOT;
	for (;;) {
		const char *end, *q;
		bool last = true, slash;
		size_t len;
		int next;

		while (*p == '/')
			p++;
		if (!*p)
			return cur;
		for (end = p; *end && *end != '/'; end++)
			;
		len = (size_t)(end - p);
		slash = *end == '/';
		for (q = end; *q; q++)
			if (*q != '/')
				last = false;
		if (nodes[cur].type != M_DIR)
			return -ENOTDIR;
		if (len == 1 && p[0] == '.') {
			next = cur;
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			next = cur;
			while (nodes[next].mountpoint >= 0)
				next = nodes[next].mountpoint;
			next = cover(nodes[next].parent);
		} else {
			next = child_of(cur, p, len);
			if (next < 0)
				return -ENOENT;
			next = cover(next);
		}
		if (nodes[next].type == M_LNK && (!last || follow_last || slash)) {
			if (++*links > MAXSYMLINKS)
				return -ELOOP;
			next = resolve(cur, nodes[next].target, true, links);
			if (next < 0)
				return next;
		}
		cur = next;
		p = end;
		if (last && slash && nodes[cur].type != M_DIR)
			return -ENOTDIR;
	}
}

static int model_lookup(const char *path, bool follow)
{
	int links = 0;

	if (!*path)
		return -ENOENT;
	return resolve(ROOT, path, follow, &links);
}

/* ----------------------------------------------------- building a tree */

static const char *const names[] = { "a", "b", "c", "d", "e" };

/* The absolute path of node n (no symlinks) into buf. */
static void path_of(int n, char *buf, size_t size)
{
	char tmp[256] = "";

	if (n == ROOT) {
		ksnprintf(buf, size, "/");
		return;
	}
	while (n != ROOT) {
		char t[256];

		while (nodes[n].mountpoint >= 0)
			n = nodes[n].mountpoint;
		ksnprintf(t, sizeof(t), "/%s%s", nodes[n].name, tmp);
		memcpy(tmp, t, sizeof(tmp));
		n = nodes[n].parent;
	}
	ksnprintf(buf, size, "%s", tmp);
}

static struct inode *vfs_inode(const char *path, bool follow, int *err)
{
	struct path p;
	struct inode *inode;

	*err = kern_path(NULL, path, follow ? LOOKUP_FOLLOW : 0, &p, NULL, NULL);
	if (*err)
		return NULL;
	inode = p.inode;
	path_put(&p);
	return inode;
}

static int add_node(int type, int parent, const char *name)
{
	struct mnode *m = &nodes[nr];

	memset(m, 0, sizeof(*m));
	m->type = type;
	m->parent = parent;
	m->mounted = m->mountpoint = -1;
	ksnprintf(m->name, sizeof(m->name), "%s", name);
	return nr++;
}

/* A random path: absolute or relative to /tmp's name, through known
 * names, ".", ".." and doubled or trailing slashes. */
static void random_path(struct prng *rng, char *buf, size_t size)
{
	size_t at = 0;
	unsigned int parts = 1 + (unsigned int)prng_below(rng, 5);

	at += (size_t)ksnprintf(buf + at, size - at, "%s",
				prng_below(rng, 4) ? "/tmp" : "/tmp/..//tmp");
	for (unsigned int i = 0; i < parts && at < size - 8; i++) {
		unsigned long k = prng_below(rng, 10);
		const char *c = k < 7 ? names[prng_below(rng, 5)] :
				k == 7 ? "." : "..";

		at += (size_t)ksnprintf(buf + at, size - at, "/%s%s", c,
					prng_below(rng, 10) ? "" : "/");
	}
	if (!prng_below(rng, 8) && at < size - 2)
		buf[at++] = '/', buf[at] = '\0';
}

static int tmp_root, mounts_made;

static void build_tree(struct kunit *test, struct prng *rng)
{
	char path[128], target[48];
	int tries = 0;

	nr = 0;
	mounts_made = 0;
	add_node(M_DIR, ROOT, "");			/* "/" */
	add_node(M_DIR, ROOT, "tmp");			/* the initramfs's /tmp */
	tmp_root = add_node(M_DIR, 1, "");		/* testfs on it */
	nodes[1].mounted = tmp_root;
	nodes[tmp_root].mountpoint = 1;
	nodes[ROOT].inode = vfs_inode("/", false, &(int){ 0 });
	nodes[tmp_root].inode = vfs_inode("/tmp", false, &(int){ 0 });

	while (nr < MAX_NODES - 4 && tries++ < 120) {
		int dirs[MAX_NODES], nd = 0, dir, n, err;
		const char *name = names[prng_below(rng, 5)];
		unsigned long kind = prng_below(rng, 10);

		for (int i = tmp_root; i < nr; i++)
			if (nodes[i].type == M_DIR && nodes[i].mounted < 0)
				dirs[nd++] = i;
		dir = dirs[prng_below(rng, (unsigned long)nd)];
		if (child_of(dir, name, strlen(name)) >= 0)
			continue;
		path_of(dir, path, sizeof(path));
		ksnprintf(path + strlen(path), sizeof(path) - strlen(path),
			  "%s%s", dir == ROOT ? "" : "/", name);
		if (kind < 4) {
			KUNIT_ASSERT_EQ(test, vfs_mkdirat(NULL, path, 0755), 0);
			n = add_node(M_DIR, dir, name);
		} else if (kind < 7) {
			struct file *f = file_open_at(NULL, path,
						      O_CREAT | O_WRONLY, 0644);

			KUNIT_ASSERT_FALSE(test, IS_ERR(f));
			fput(f);
			n = add_node(M_REG, dir, name);
		} else {
			random_path(rng, target, sizeof(target));
			if (prng_below(rng, 2)) {	/* relative */
				const char *rel = target + strlen("/tmp");

				if (!strncmp(target, "/tmp/..//tmp", 12))
					rel = target + 12;
				memmove(target, rel[0] == '/' ? rel + 1 : rel,
					strlen(rel) + 1);
				if (!target[0])
					memcpy(target, ".", 2);
			}
			KUNIT_ASSERT_EQ(test, vfs_symlinkat(target, NULL, path), 0);
			n = add_node(M_LNK, dir, name);
			memcpy(nodes[n].target, target, sizeof(target));
		}
		nodes[n].inode = vfs_inode(path, false, &err);
		KUNIT_ASSERT_EQ(test, err, 0);
		/* Now and then a mount on a new directory. */
		if (nodes[n].type == M_DIR && mounts_made < 3 &&
		    !prng_below(rng, 6)) {
			int r;

			KUNIT_ASSERT_EQ(test, do_mount(NULL, path, "testfs",
						       false), 0);
			mounts_made++;
			r = add_node(M_DIR, n, "");
			nodes[n].mounted = r;
			nodes[r].mountpoint = n;
			nodes[r].inode = vfs_inode(path, false, &err);
		}
	}
}

/* Unmount the mounts made, deepest (latest) first, then /tmp's files go
 * with the suite's own umount. */
static void tear_down(struct kunit *test)
{
	char path[128];

	for (int i = nr - 1; i > tmp_root; i--) {
		if (nodes[i].mountpoint >= 0) {
			path_of(nodes[i].mountpoint, path, sizeof(path));
			KUNIT_EXPECT_EQ(test, do_umount(path), 0);
		}
	}
}

static void lookups_match_the_model(struct kunit *test)
{
	struct prng rng;
	unsigned long checked = 0, errors = 0;

	prng_seed(&rng, test->seed);
	if (!vfs_test_ensure_mm())
		kunit_skip(test, "no memory for the host's kmalloc");
	vfs_test_ensure_root();
	testfs_register();
	for (int round = 0; round < 20; round++) {
		KUNIT_ASSERT_EQ(test, do_mount(NULL, "/tmp", "testfs", false), 0);
		build_tree(test, &rng);
		for (int i = 0; i < 300; i++) {
			char path[128];
			bool follow = prng_below(&rng, 4) != 0;
			int want, err;
			struct inode *got;

			random_path(&rng, path, sizeof(path));
			want = model_lookup(path, follow);
			got = vfs_inode(path, follow, &err);
			checked++;
			if (want < 0)
				errors++;
			if ((want < 0 && err != want) ||
			    (want >= 0 && (err || got != nodes[want].inode)))
				kunit_info(test, "%s (follow %d): vfs %d %p, "
					   "model %d", path, follow, err,
					   (void *)got, want);
			if (want < 0) {
				KUNIT_EXPECT_EQ(test, err, want);
			} else {
				KUNIT_EXPECT_EQ(test, err, 0);
				KUNIT_EXPECT_PTR_EQ(test, got, nodes[want].inode);
			}
			if (test->failed)
				break;
		}
		tear_down(test);
		KUNIT_ASSERT_EQ(test, do_umount("/tmp"), 0);
		KUNIT_ASSERT_EQ(test, testfs_nr_nodes(), 0UL);
		if (test->failed)
			break;
	}
	kunit_info(test, "%lu lookups, %lu of them errors", checked, errors);
}

static struct kunit_case namei_cases[] = {
	KUNIT_CASE(lookups_match_the_model),
	{}
};

static struct kunit_suite namei_suite = {
	.name = "namei_model",
	.test_cases = namei_cases,
};
kunit_test_suite(namei_suite);
