/*
 * kernel/sysctl.c - the tunables registry (kernel/sysctl.h): finding a
 * tunable by its /proc/sys name, parsing and range-checking a value,
 * storing it and running the owner's handler, and the console command's
 * behaviour (sysctl_command; the command itself is kernel/sysctl_console.c).
 * Portable: host-tested by tests/suites/sysctl_test.c and the randomised
 * tests/host/sysctl_model_test.c. docs/console.md, "Tunables".
 */
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/mutex.h"
#include "kernel/printk.h"
#include "kernel/sysctl.h"

/* Weak: a build without any table has no section, so no such symbols. */
extern const struct ctl_table_header *const __start_sysctl_tables[] __attribute__((weak));
extern const struct ctl_table_header *const __stop_sysctl_tables[] __attribute__((weak));

/* Serialises writers, so a handler sees its own write only. */
static DEFINE_MUTEX(sysctl_lock);

#define for_each_ctl(set, h, e) \
	for (h = (set)->first; h < (set)->last; h++) \
		for (e = (*h)->table; e < (*h)->table + (*h)->count; e++)

struct ctl_set sysctl_registered(void)
{
	struct ctl_set set = {
		.first = __start_sysctl_tables,
		.last = __stop_sysctl_tables,
	};

	return set;
}

static unsigned long scale_of(const struct ctl_table *t)
{
	return t->scale ? t->scale : 1;
}

static unsigned long type_max(const struct ctl_table *t)
{
	return t->type == CTL_UINT ? (unsigned long)~0U : ~0UL;
}

/* procname == name, where a '/' in name stands for a '.'. */
static bool name_matches(const char *procname, const char *name)
{
	for (; *procname && *name; procname++, name++)
		if (*procname != (*name == '/' ? '.' : *name))
			return false;
	return !*procname && !*name;
}

const struct ctl_table *sysctl_find(const struct ctl_set *set,
				    const char *name)
{
	const struct ctl_table_header *const *h;
	const struct ctl_table *e;

	for_each_ctl(set, h, e)
		if (name_matches(e->procname, name))
			return e;
	return NULL;
}

unsigned long sysctl_read(const struct ctl_table *t)
{
	unsigned long raw;

	if (t->type == CTL_UINT)
		raw = READ_ONCE(*(unsigned int *)t->data);
	else
		raw = READ_ONCE(*(unsigned long *)t->data);
	return raw / scale_of(t);
}

static int digit(char c, unsigned int base)
{
	unsigned int d;

	if (c >= '0' && c <= '9')
		d = (unsigned int)(c - '0');
	else if (c >= 'a' && c <= 'f')
		d = (unsigned int)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		d = (unsigned int)(c - 'A' + 10);
	else
		return -1;
	return d < base ? (int)d : -1;
}

int sysctl_parse(const struct ctl_table *t, const char *s, unsigned long *out)
{
	unsigned int base = 10;
	bool neg = false, overflow = false;
	unsigned long v = 0;
	const char *p = s;

	if (!s)
		return -EINVAL;
	if (*p == '-') {
		neg = true;
		p++;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return -EINVAL;		/* "", "-", "0x" */
	for (; *p; p++) {
		int d = digit(*p, base);

		if (d < 0)
			return -EINVAL;
		/* Keep reading after an overflow: "99...9x" is not a number. */
		if (v > (~0UL - (unsigned long)d) / base)
			overflow = true;
		else
			v = v * base + (unsigned long)d;
	}
	if (neg || overflow || v < t->min || v > t->max)
		return -ERANGE;
	*out = v;
	return 0;
}

int sysctl_write(const struct ctl_table *t, const char *s)
{
	unsigned long v, old;
	int ret = sysctl_parse(t, s, &v);

	if (ret)
		return ret;
	/* A table that would overflow its variable (sysctl_check). */
	if (v > type_max(t) / scale_of(t))
		return -ERANGE;
	mutex_lock(&sysctl_lock);
	old = sysctl_read(t);
	if (t->type == CTL_UINT)
		WRITE_ONCE(*(unsigned int *)t->data,
			   (unsigned int)(v * scale_of(t)));
	else
		WRITE_ONCE(*(unsigned long *)t->data, v * scale_of(t));
	if (t->handler)
		t->handler(t, old);
	mutex_unlock(&sysctl_lock);
	return 0;
}

/* ------------------------------------------------------------- command */

static void show(const struct ctl_table *t)
{
	printk("%s = %lu\n", t->procname, sysctl_read(t));
}

/* The entry whose name follows prev's (NULL: the first), or NULL. */
static const struct ctl_table *next_by_name(const struct ctl_set *set,
					    const struct ctl_table *prev)
{
	const struct ctl_table_header *const *h;
	const struct ctl_table *e, *best = NULL;

	for_each_ctl(set, h, e)
		if ((!prev || strcmp(e->procname, prev->procname) > 0) &&
		    (!best || strcmp(e->procname, best->procname) < 0))
			best = e;
	return best;
}

static void refuse(const struct ctl_table *t, const char *value, int err)
{
	printk("sysctl: %s: '%s' is %s: %lu..%lu%s%s%s; unchanged at %lu\n",
	       t->procname, value,
	       err == -EINVAL ? "not a number" : "out of range",
	       t->min, t->max, t->unit ? " (" : "", t->unit ? t->unit : "",
	       t->unit ? ")" : "", sysctl_read(t));
}

static void unknown(const char *name)
{
	printk("sysctl: %s: unknown key (`sysctl -a` lists them)\n", name);
}

/* One NAME or NAME=VALUE argument: 0 if taken. */
static int one_arg(const struct ctl_set *set, const char *arg, bool write)
{
	const char *eq = strchr(arg, '=');
	const struct ctl_table *t;
	char name[64];
	int err;

	if (!eq) {
		if (write) {
			printk("sysctl: -w %s: want NAME=VALUE\n", arg);
			return 1;
		}
		t = sysctl_find(set, arg);
		if (!t) {
			unknown(arg);
			return 1;
		}
		show(t);
		return 0;
	}
	/* A name longer than the buffer is cut, and then no name matches. */
	strlcpy(name, arg, min(sizeof(name), (size_t)(eq - arg) + 1));
	t = (size_t)(eq - arg) < sizeof(name) ? sysctl_find(set, name) : NULL;
	if (!t) {
		unknown(name);
		return 1;
	}
	err = sysctl_write(t, eq + 1);
	if (err) {
		refuse(t, eq + 1, err);
		return 1;
	}
	show(t);
	return 0;
}

int sysctl_command(const struct ctl_set *set, int argc, char **argv)
{
	bool all = false, write = false;
	int i, bad = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-a"))
			all = true;
		else if (!strcmp(argv[i], "-w"))
			write = true;
		else
			goto usage;
	}
	if (i == argc) {
		if (write)
			goto usage;
		for (const struct ctl_table *t = next_by_name(set, NULL); t;
		     t = next_by_name(set, t))
			show(t);
		return 0;
	}
	if (all)
		goto usage;
	for (; i < argc; i++)
		bad |= one_arg(set, argv[i], write);
	return bad;
usage:
	printk("sysctl: usage: sysctl [-a] | sysctl NAME... | "
	       "sysctl [-w] NAME=VALUE...\n");
	return 1;
}

/* Whether an entry before e in set has e's name. */
static bool name_seen_before(const struct ctl_set *set,
			     const struct ctl_table *e)
{
	const struct ctl_table_header *const *h;
	const struct ctl_table *f;

	for_each_ctl(set, h, f) {
		if (f == e)
			return false;
		if (f->procname && !strcmp(f->procname, e->procname))
			return true;
	}
	return false;
}

const struct ctl_table *sysctl_check(const struct ctl_set *set)
{
	const struct ctl_table_header *const *h;
	const struct ctl_table *e;

	for_each_ctl(set, h, e)
		if (!e->procname || !*e->procname || !e->data ||
		    (e->type != CTL_UINT && e->type != CTL_ULONG) ||
		    e->min > e->max || e->max > type_max(e) / scale_of(e) ||
		    name_seen_before(set, e))
			return e;
	return NULL;
}
