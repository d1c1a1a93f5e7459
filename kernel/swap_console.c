/*
 * kernel/swap_console.c - swap at boot and on the console (docs/mm/swap.md):
 *
 *	swap=vdb[,vdc]		(boot) swapon each, in order, at boot
 *	mm> swapon vdb [-p PRIO]
 *	mm> swapoff vdb
 *	mm> swaps		Linux's /proc/swaps
 */
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/swap.h"

static char boot_swap[64];

static int set_swap(const char *value)
{
	if (!value || !*value || strlen(value) >= sizeof(boot_swap))
		return -EINVAL;
	memcpy(boot_swap, value, strlen(value) + 1);
	return 0;
}
KERNEL_PARAM("swap", set_swap, "DEV[,DEV...]: swapon each disk at boot (made with mkswap)");

static int do_swapon(const char *dev, int prio)
{
	char why[160];
	int r = swapon(dev, prio, why, sizeof(why));

	if (r)
		printk("swapon: %s: %s (error %d)\n", dev, why, r);
	return r;
}

void swap_boot_init(void)
{
	char *p = boot_swap;

	while (*p) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (*p)
			do_swapon(p, -1);
		if (!comma)
			break;
		p = comma + 1;
	}
}

static int cmd_swapon(int argc, char **argv)
{
	int prio = -1;

	if (argc == 4 && !strcmp(argv[2], "-p")) {
		uint64_t v;

		if (!parse_u64(argv[3], &v, false) || v > SWAP_FLAG_PRIO_MASK) {
			printk("swapon: priority '%s': not a number 0-%u\n",
			       argv[3], SWAP_FLAG_PRIO_MASK);
			return 1;
		}
		prio = (int)v;
	} else if (argc != 2) {
		printk("swapon: usage: swapon DEV [-p PRIO]\n");
		return 1;
	}
	return do_swapon(argv[1], prio) ? 1 : 0;
}
CONSOLE_COMMAND(swapon, "DEV [-p PRIO]: use disk DEV (made with mkswap) as swap", cmd_swapon);

static int cmd_swapoff(int argc, char **argv)
{
	int r;

	if (argc != 2) {
		printk("swapoff: usage: swapoff DEV\n");
		return 1;
	}
	r = swapoff(argv[1]);
	if (r == -EINVAL)
		printk("swapoff: %s: not a swap area in use\n", argv[1]);
	else if (r == -ENOMEM)
		printk("swapoff: %s: not enough memory to bring its pages "
		       "back; it stays on\n", argv[1]);
	else if (r == -EIO)
		printk("swapoff: %s: a slot could not be read; it stays on\n",
		       argv[1]);
	else if (r)
		printk("swapoff: %s: error %d; it stays on\n", argv[1], r);
	return r ? 1 : 0;
}
CONSOLE_COMMAND(swapoff, "DEV: stop swapping to DEV (its pages come back to memory)", cmd_swapoff);

static int cmd_swaps(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		printk("swaps: takes no arguments\n");
		return 1;
	}
	show_swaps();
	return 0;
}
CONSOLE_COMMAND(swaps, "the swap areas in use (Linux's /proc/swaps)", cmd_swaps);
