/*
 * kernel/sysctl.h - tunables by their /proc/sys names, read and set at the
 * console as Linux's sysctl(8) does through /proc/sys:
 *
 *	mm> sysctl vm.dirty_ratio=15		vm.dirty_ratio = 15
 *
 * A component declares its tunables in a table beside the variables they
 * set and registers the table; the registration is a pointer in the
 * linker section `sysctl_tables` (as CONSOLE_COMMAND), so no allocation
 * and no init call. mm registers its own tables: this header is the
 * interface, below mm (docs/conventions.md, layers).
 *
 *	static const struct ctl_table vm_dirty_sysctls[] = {
 *		{ .procname = "vm.dirty_ratio", .data = &dirty_ratio,
 *		  .type = CTL_UINT, .min = 0, .max = 100,
 *		  .unit = "% of dirtyable memory",
 *		  .handler = dirty_ratio_handler },
 *	};
 *	REGISTER_SYSCTL_TABLE(vm_dirty_sysctls);
 *
 * The contract of an entry:
 * - data points at an unsigned int (CTL_UINT) or unsigned long
 *   (CTL_ULONG). The variable holds the user's value times `scale` (0 or
 *   1: the value itself): vm.dirty_expire_centisecs is kept in ms (scale
 *   10), as Linux keeps its centisecs in jiffies. min and max are in the
 *   user's unit, and max * scale must fit the variable (sysctl_check).
 * - A write is checked before anything is stored: a value that is not a
 *   number (decimal, or hex with 0x), is negative, overflows or is outside
 *   [min, max] is refused and the variable keeps its value. Readers of a
 *   tunable use READ_ONCE and take no lock.
 * - handler, if set, runs after every accepted write (Linux's
 *   proc_handler, the part after proc_dointvec_minmax), with the value
 *   before the write, in the user's unit: a component reacts there
 *   (writing vm.dirty_bytes sets vm.dirty_ratio to 0). Writes, handler
 *   included, are serialised by one mutex: a handler may sleep, and may
 *   not write a tunable through this interface.
 */
#ifndef KERNEL_SYSCTL_H
#define KERNEL_SYSCTL_H

#include "kernel/types.h"

enum ctl_type {
	CTL_UINT,		/* unsigned int */
	CTL_ULONG,		/* unsigned long */
};

struct ctl_table {
	const char *procname;	/* "vm.dirty_ratio": /proc/sys/vm/dirty_ratio */
	void *data;
	enum ctl_type type;
	unsigned long min, max;	/* accepted values, in the user's unit */
	unsigned int scale;	/* *data = value * scale (0 means 1) */
	const char *unit;	/* for messages: "% of dirtyable memory" */
	void (*handler)(const struct ctl_table *table, unsigned long old);
};

struct ctl_table_header {
	const struct ctl_table *table;
	unsigned int count;
};

/* Register a table (a static array of struct ctl_table) at link time. */
#define REGISTER_SYSCTL_TABLE(tbl) \
	static const struct ctl_table_header __sysctl_hdr_##tbl = { \
		.table = tbl, .count = ARRAY_SIZE(tbl) }; \
	static const struct ctl_table_header *const __sysctl_ptr_##tbl \
	__used __section("sysctl_tables") __aligned(sizeof(void *)) = \
		&__sysctl_hdr_##tbl

/*
 * A set of tables: every registered one (sysctl_registered()) or a
 * test's own, [first, last).
 */
struct ctl_set {
	const struct ctl_table_header *const *first, *const *last;
};

struct ctl_set sysctl_registered(void);

/*
 * The entry called `name` in set, or NULL. A '/' in name matches a '.'
 * (sysctl(8) takes vm/dirty_ratio too).
 */
const struct ctl_table *sysctl_find(const struct ctl_set *set,
				    const char *name);

/* The tunable's value in the user's unit (*data / scale). */
unsigned long sysctl_read(const struct ctl_table *table);

/*
 * Parse s as a value for table: 0 with *out set, -EINVAL if s is not a
 * number (empty, a stray character), -ERANGE if it is negative, does not
 * fit 64 bits, or is outside [min, max]. *out is left alone on error.
 */
int sysctl_parse(const struct ctl_table *table, const char *s,
		 unsigned long *out);

/*
 * Parse s (as sysctl_parse), store it and run the handler: 0, or
 * sysctl_parse's error with nothing changed. Sleeps (the writers' mutex).
 */
int sysctl_write(const struct ctl_table *table, const char *s);

/*
 * The console's `sysctl` on a set, printing with printk (sysctl(8)'s
 * format, "name = value"):
 *	sysctl [-a]			every tunable, by name
 *	sysctl NAME...			some
 *	sysctl [-w] NAME=VALUE...	set, then print the new value
 * A refused argument prints one line naming the tunable, why, and the
 * accepted range; the rest still run. 0 if every argument was taken.
 */
int sysctl_command(const struct ctl_set *set, int argc, char **argv);

/*
 * The first malformed entry of set (no name or data, min > max, max *
 * scale beyond the variable's type, a name seen before), or NULL.
 */
const struct ctl_table *sysctl_check(const struct ctl_set *set);

#endif
