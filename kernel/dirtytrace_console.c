/*
 * kernel/dirtytrace_console.c - the `dirtytrace` console command: the
 * dirty-throttling trace (mm/writeback_trace.h) switched on and off,
 * labelled and dumped over the serial console, where tools/bench-dirty
 * and tools/plot-dirty read it. docs/mm/writeback.md, "The trace".
 *
 *	mm> dirtytrace start [EVENTS]	ring of EVENTS (default 32768) and
 *					the 100 ms sampler
 *	mm> dirtytrace mark dd_end	a labelled point in the time line
 *	mm> dirtytrace stop		sampler and recording off
 *	mm> dirtytrace dump		the wbt: lines (begin, events, end)
 *	mm> dirtytrace clear		forget the events, free the ring
 *	mm> dirtytrace			on/off, size, events, lost
 */
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "mm/writeback_trace.h"

static void show_status(void)
{
	struct wb_trace_stats s;

	wb_trace_get_stats(&s);
	printk("dirtytrace: %s, ring of %lu events (%lu KiB), %llu recorded, "
	       "%llu lost (overwritten)\n", s.on ? "on" : "off", s.size,
	       (unsigned long)(s.size * sizeof(struct wb_trace_event) / 1024),
	       (unsigned long long)s.recorded, (unsigned long long)s.lost);
}

static int trace_start(int argc, char **argv)
{
	uint64_t n = 0;
	int r;

	if (argc > 3 || (argc == 3 && (!parse_u64(argv[2], &n, false) ||
				      n == 0 || n > WB_TRACE_MAX_EVENTS))) {
		printk("dirtytrace: start [EVENTS]: EVENTS from 1 to %lu\n",
		       WB_TRACE_MAX_EVENTS);
		return 1;
	}
	r = wb_trace_start((unsigned long)n);
	if (r == -EBUSY) {
		printk("dirtytrace: a stopped trace of another size holds "
		       "events: dump it, then clear\n");
		return 1;
	}
	if (r) {
		printk("dirtytrace: no memory for %llu events (error %d)\n",
		       (unsigned long long)(n ? n : WB_TRACE_DEFAULT_EVENTS), r);
		return 1;
	}
	r = wb_trace_sampler_start();
	if (r)
		printk("dirtytrace: no sampler thread (error %d): only "
		       "balance_dirty_pages and ratelimit events\n", r);
	show_status();
	return 0;
}

static int cmd_dirtytrace(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "status";

	if (!strcmp(op, "start"))
		return trace_start(argc, argv);
	if (argc > 2 && strcmp(op, "mark")) {
		printk("dirtytrace: %s takes no argument\n", op);
		return 1;
	}
	if (!strcmp(op, "stop")) {
		wb_trace_sampler_stop();
		wb_trace_stop();
		show_status();
	} else if (!strcmp(op, "dump")) {
		wb_trace_dump();
	} else if (!strcmp(op, "clear")) {
		wb_trace_sampler_stop();
		wb_trace_clear();
		show_status();
	} else if (!strcmp(op, "mark")) {
		if (argc != 3 || strlen(argv[2]) >= sizeof(((struct wb_trace_event *)0)->bdi)) {
			printk("dirtytrace: mark LABEL (1 to 7 characters)\n");
			return 1;
		}
		if (!wb_trace_on()) {
			printk("dirtytrace: off: mark %s not recorded\n", argv[2]);
			return 1;
		}
		wb_trace_mark(argv[2]);
	} else if (!strcmp(op, "status")) {
		show_status();
	} else {
		printk("dirtytrace: usage: dirtytrace [start [EVENTS]|stop|dump|"
		       "clear|mark LABEL|status]\n");
		return 1;
	}
	return 0;
}
CONSOLE_COMMAND(dirtytrace, "start [EVENTS]|stop|dump|clear|mark LABEL: the "
		"dirty-throttling trace (wbt: lines)", cmd_dirtytrace);
