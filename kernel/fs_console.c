/*
 * kernel/fs_console.c - the VFS at boot and on the console: vfs_init
 * (the initramfs mounted as "/", then `root=DEV` on /mnt), and the
 * commands mount, umount, sync and drop_caches. docs/fs/vfs.md.
 *
 *	mm> mount			vda on /mnt type ext2 (rw)
 *	mm> mount vdb /data		(the file system is recognised)
 *	mm> umount /data
 *	mm> sync
 *	mm> drop_caches 3
 */
#include "fs/ext2/ext2.h"
#include "fs/fs.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"

extern const char __initramfs_start[], __initramfs_end[];

static char root_dev[16];

static int set_root(const char *value)
{
	if (!value || !*value || strlen(value) >= sizeof(root_dev))
		return -EINVAL;
	memcpy(root_dev, value, strlen(value) + 1);
	return 0;
}
KERNEL_PARAM("root", set_root, "DEV: mount disk DEV's file system on /mnt at boot (the initramfs stays /)");

void vfs_init(void)
{
	init_ext2_fs();		/* before root= can ask for it */
	vfs_init_root(__initramfs_start,
		      (size_t)(__initramfs_end - __initramfs_start));
	if (root_dev[0]) {
		/* A bad disk or a refused super block was reported by
		 * do_mount with its reason; boot goes on without it. */
		int r = do_mount(root_dev, "/mnt", NULL, false);

		if (r < 0)
			pr_err("vfs: root=%s: not mounted (error %d); booting "
			       "on with the initramfs only\n", root_dev, r);
		else
			pr_info("vfs: root=%s mounted on /mnt\n", root_dev);
	}
}

/* ----------------------------------------------------------- console */

static void print_mount(const struct vfsmount *m, void *arg)
{
	printk("%s on %s type %s (%s)\n", m->mnt_devname, m->mnt_path,
	       m->mnt_sb->s_type->name, m->mnt_sb->s_readonly ? "ro" : "rw");
}

static int cmd_mount(int argc, char **argv)
{
	bool ro = false;
	int r;

	if (argc > 1 && !strcmp(argv[1], "-r")) {
		ro = true;
		argv++;
		argc--;
	}
	if (argc == 1) {
		for_each_mount(print_mount, NULL);
		return 0;
	}
	if (argc != 3) {
		printk("mount: usage: mount [[-r] DEV DIR]\n");
		return 1;
	}
	r = do_mount(argv[1], argv[2], NULL, ro);
	if (r < 0) {
		printk("mount: %s on %s: error %d\n", argv[1], argv[2], r);
		return 1;
	}
	return 0;
}
CONSOLE_COMMAND(mount, "[[-r] DEV DIR]: list mounts, or mount disk DEV's file system on DIR", cmd_mount);

static int cmd_umount(int argc, char **argv)
{
	int r;

	if (argc != 2) {
		printk("umount: usage: umount DIR\n");
		return 1;
	}
	r = do_umount(argv[1]);
	if (r == -EBUSY)
		printk("umount: %s: busy (open files, a working directory or "
		       "a mount below)\n", argv[1]);
	else if (r == -EINVAL)
		printk("umount: %s: not a mount point\n", argv[1]);
	else if (r < 0)
		printk("umount: %s: error %d\n", argv[1], r);
	return r < 0;
}
CONSOLE_COMMAND(umount, "DIR: unmount the file system on DIR (written back first)", cmd_umount);

static int cmd_sync(int argc, char **argv)
{
	sync_filesystems(true);
	return 0;
}
CONSOLE_COMMAND(sync, "write every dirty page and inode back to the disks", cmd_sync);

static int cmd_drop_caches(int argc, char **argv)
{
	if (argc != 2 || argv[1][1] || argv[1][0] < '1' || argv[1][0] > '3') {
		printk("drop_caches: usage: drop_caches 1|2|3 (1 page cache, "
		       "2 inodes and slab, 3 both)\n");
		return 1;
	}
	drop_caches(argv[1][0] - '0');
	return 0;
}
CONSOLE_COMMAND(drop_caches, "1|2|3: drop clean page cache (1), unused inodes and slab (2), or both (3)", cmd_drop_caches);
