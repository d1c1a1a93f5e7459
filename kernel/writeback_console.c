/*
 * kernel/writeback_console.c - the backing devices at the console
 * (docs/mm/writeback.md):
 *
 *	mm> bdi				every device's writeback state (Linux's
 *					debugfs bdi/NAME/stats, plus the rates)
 *	mm> bdi vda			one device
 *	mm> bdi vda min_ratio=10	its share of the dirty limit it is sure
 *	mm> bdi vda max_ratio=50	of / may use at most (Linux's
 *					/sys/class/bdi/NAME/{min,max}_ratio)
 */
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/backing-dev.h"

static void show_one(struct backing_dev_info *bdi, void *arg)
{
	(void)arg;
	bdi_show(bdi);
}

static int parse_ratio(const char *s, unsigned int *out)
{
	unsigned int v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100)
			return -1;
		v = v * 10 + (unsigned int)(*s - '0');
	}
	if (v > 100)
		return -1;
	*out = v;
	return 0;
}

static int cmd_bdi(int argc, char **argv)
{
	struct backing_dev_info *bdi;

	if (argc == 1) {
		bdi_for_each(show_one, NULL);
		return 0;
	}
	bdi = bdi_find(argv[1]);
	if (!bdi) {
		printk("bdi: no backing device '%s' (`bdi` lists them)\n",
		       argv[1]);
		return 1;
	}
	for (int i = 2; i < argc; i++) {
		bool min = !strncmp(argv[i], "min_ratio=", 10);
		bool max = !strncmp(argv[i], "max_ratio=", 10);
		unsigned int v;
		int r;

		if ((!min && !max) || parse_ratio(argv[i] + 10, &v)) {
			printk("bdi: %s: expected min_ratio=N or max_ratio=N "
			       "with N in 0..100\n", argv[i]);
			return 1;
		}
		r = min ? bdi_set_min_ratio(bdi, v) : bdi_set_max_ratio(bdi, v);
		if (r) {
			printk("bdi: %s: %s=%u refused (min_ratio <= max_ratio, "
			       "and every device's min_ratio together < 100; "
			       "now min %u, max %u)\n", bdi->name,
			       min ? "min_ratio" : "max_ratio", v,
			       bdi->min_ratio, bdi->max_ratio);
			return 1;
		}
	}
	bdi_show(bdi);
	return 0;
}
CONSOLE_COMMAND(bdi, "[DEV [min_ratio=N] [max_ratio=N]]: backing devices' writeback state (bandwidth, rate limits, thresholds)", cmd_bdi);
