/*
 * tests/host/sysctl_model_test.c - the tunables' parser and writer
 * (kernel/sysctl.c) against a reference model, on random tables and
 * random input:
 *  - the model reads a value with the grammar written out (an optional
 *    '-', then "0x" and hex digits or decimal digits, nothing else) and
 *    128-bit arithmetic, so overflow is a plain comparison; sysctl_parse
 *    must agree on the verdict (ok, -EINVAL, -ERANGE) and the value;
 *  - the inputs are mostly near the edges: min and max and one off, the
 *    type's largest, 2^64 and one off, in decimal or hex, with leading
 *    zeros, a '-' or a stray character put in;
 *  - a sequence of `sysctl NAME=VALUE` commands through sysctl_command
 *    on a set of random tables: the variable holds the model's value
 *    times the scale, the handler ran once per accepted write, a refused
 *    one changed nothing, and the line printed is the model's.
 * Host only (long); replay: build/host/unit sysctl_model --seed N.
 */
#include <stdio.h>
#include <string.h>

#include "tests/host/host.h"
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/printk.h"
#include "kernel/sysctl.h"

typedef unsigned __int128 u128;

#define NR_TABLES	6

static unsigned int vars_uint[NR_TABLES];
static unsigned long vars_ulong[NR_TABLES];
static unsigned long model_val[NR_TABLES];	/* in the user's unit */
static unsigned int handler_calls[NR_TABLES];
static struct ctl_table tables[NR_TABLES];
static char names[NR_TABLES][16];

static void model_handler(const struct ctl_table *t, unsigned long old)
{
	handler_calls[t - tables]++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The reference: 0 with *out, -EINVAL or -ERANGE. */
static int model_parse(const struct ctl_table *t, const char *s,
		       unsigned long *out)
{
	bool neg = s[0] == '-', hex;
	const char *p = s + neg;
	u128 v = 0, limit = (u128)1 << 64;
	bool big = false;

	hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
	if (hex)
		p += 2;
	if (!*p)
		return -EINVAL;
	for (const char *q = p; *q; q++) {
		int d = hexval(*q);

		if (d < 0 || (!hex && d > 9))
			return -EINVAL;
	}
	for (; *p; p++) {
		v = v * (hex ? 16 : 10) + (u128)hexval(*p);
		if (v >= limit) {
			big = true;
			v = limit;	/* stays >= 2^64 from here */
		}
	}
	if (neg || big || v < t->min || v > t->max)
		return -ERANGE;
	*out = (unsigned long)v;
	return 0;
}

static unsigned long scale(const struct ctl_table *t)
{
	return t->scale ? t->scale : 1;
}

static unsigned long raw(const struct ctl_table *t)
{
	unsigned int i = (unsigned int)(t - tables);

	return t->type == CTL_UINT ? vars_uint[i] : vars_ulong[i];
}

/* Uniform in [0, hi], hi up to ~0UL. */
static unsigned long upto(struct prng *r, unsigned long hi)
{
	return hi == ~0UL ? prng_next(r) : prng_below(r, hi + 1);
}

/* A random table i: its type, scale, and a range within what fits. */
static void make_table(struct prng *r, unsigned int i)
{
	struct ctl_table *t = &tables[i];
	unsigned long top, a, b;

	memset(t, 0, sizeof(*t));
	snprintf(names[i], sizeof(names[i]), "m.t%u", i);
	t->procname = names[i];
	t->type = prng_below(r, 2) ? CTL_ULONG : CTL_UINT;
	t->scale = prng_below(r, 3) == 0 ? (unsigned int)(1 + prng_below(r, 1000)) : 0;
	top = (t->type == CTL_UINT ? (unsigned long)~0U : ~0UL) / scale(t);
	switch (prng_below(r, 4)) {
	case 0:				/* small, like a ratio */
		a = prng_below(r, 10);
		b = a + prng_below(r, 200);
		break;
	case 1:				/* up to the top */
		a = prng_below(r, 2) ? 0 : prng_below(r, 1UL << 20);
		b = top;
		break;
	default:			/* anywhere */
		a = upto(r, top);
		b = a + upto(r, top - a);
		break;
	}
	t->min = a;
	t->max = b > top ? top : b;
	t->data = t->type == CTL_UINT ? (void *)&vars_uint[i] :
					 (void *)&vars_ulong[i];
	t->handler = model_handler;
	model_val[i] = t->min;
	vars_uint[i] = (unsigned int)(t->min * scale(t));
	vars_ulong[i] = t->min * scale(t);
	handler_calls[i] = 0;
}

/* Print v in decimal, or in hex after "0" and x (x: 'x' or 'X';
 * 0: decimal), into buf. */
static void u128_str(char *buf, size_t size, u128 v, char x)
{
	unsigned int base = x ? 16 : 10;
	const char *digits = x == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[64];
	size_t j = 0;
	int n = 0;

	do {
		tmp[n++] = digits[(unsigned int)(v % base)];
		v /= base;
	} while (v);
	if (x) {
		buf[j++] = '0';
		buf[j++] = x;
	}
	while (n && j + 1 < size)
		buf[j++] = tmp[--n];
	buf[j] = '\0';
}

/* A random value string for t, mostly near an edge. */
static void make_input(struct prng *r, const struct ctl_table *t, char *buf,
		       size_t size)
{
	u128 edges[] = {
		t->min, t->min - (t->min > 0), (u128)t->min + 1, t->max,
		(u128)t->max + 1, t->max - (t->max > 0),
		(u128)((t->type == CTL_UINT ? (unsigned long)~0U : ~0UL) / scale(t)) + 1,
		(u128)~0U, (u128)~0U + 1, (u128)~0UL, (u128)~0UL + 1,
		(u128)~0UL + 2, (u128)~0UL * 10, 0,
	};
	u128 v;
	char num[64];
	size_t len;

	if (prng_below(r, 40) == 0) {
		buf[0] = '\0';
		return;
	}
	if (prng_below(r, 3))
		v = edges[prng_below(r, ARRAY_SIZE(edges))];
	else if (prng_below(r, 2))
		v = t->min + (u128)upto(r, t->max - t->min);
	else
		v = prng_next(r) >> prng_below(r, 64);
	u128_str(num, sizeof(num), v, prng_below(r, 4) ? 0 :
				       prng_below(r, 2) ? 'x' : 'X');
	len = 0;
	if (prng_below(r, 10) == 0)
		buf[len++] = '-';
	/* Leading zeros, sometimes (after a 0x they stay hex digits). */
	if (num[1] != 'x' && num[1] != 'X')
		for (unsigned int z = (unsigned int)prng_below(r, 3); z && prng_below(r, 4) == 0; z--)
			buf[len++] = '0';
	snprintf(buf + len, size - len, "%s", num);
	len = strlen(buf);
	/* A stray character, somewhere. */
	if (prng_below(r, 8) == 0 && len + 1 < size) {
		static const char stray[] = " +-xXgG/=.a9F";
		size_t at = (size_t)prng_below(r, len + 1);

		memmove(buf + at + 1, buf + at, len - at + 1);
		buf[at] = stray[prng_below(r, sizeof(stray) - 1)];
	}
}

/* sysctl_parse agrees with the model on random tables and inputs. */
static void sysctl_parse_matches_model(struct kunit *test)
{
	struct prng r;
	unsigned int mismatches = 0, verdicts[3] = { 0 };

	prng_seed(&r, test->seed);
	for (unsigned int round = 0; round < 200000; round++) {
		unsigned int i = round % NR_TABLES;
		char in[80];
		unsigned long got = 7, want = 7;
		int eg, ew;

		if (round % (NR_TABLES * 64) < NR_TABLES)
			make_table(&r, i);
		make_input(&r, &tables[i], in, sizeof(in));
		eg = sysctl_parse(&tables[i], in, &got);
		ew = model_parse(&tables[i], in, &want);
		verdicts[ew == 0 ? 0 : ew == -EINVAL ? 1 : 2]++;
		if ((eg != ew || got != want) && mismatches++ < 5)
			kunit_info(test, "\"%s\" on %lu..%lu: %d %lu, model %d %lu",
				   in, tables[i].min, tables[i].max, eg, got,
				   ew, want);
		KUNIT_EXPECT_EQ(test, eg, ew);
		KUNIT_EXPECT_EQ(test, got, want);
		if (mismatches > 5)
			return;
	}
	/* The inputs reach each verdict often (a tenth of them at least). */
	kunit_info(test, "ok %u, not a number %u, out of range %u",
		   verdicts[0], verdicts[1], verdicts[2]);
	for (unsigned int v = 0; v < 3; v++)
		KUNIT_EXPECT_GT(test, verdicts[v], 20000U);
}

/* sysctl NAME=VALUE through the command, against the model's state. */
static void sysctl_command_matches_model(struct kunit *test)
{
	const struct ctl_table_header hdr = { .table = tables,
					      .count = NR_TABLES };
	const struct ctl_table_header *const hdrs[] = { &hdr };
	const struct ctl_set set = { .first = hdrs, .last = hdrs + 1 };
	static char out[512];
	bool stamps = printk_time;
	struct prng r;

	prng_seed(&r, test->seed ^ 0x5eed);
	for (unsigned int i = 0; i < NR_TABLES; i++)
		make_table(&r, i);
	KUNIT_ASSERT_NULL(test, sysctl_check(&set));
	printk_time = false;
	for (unsigned int round = 0; round < 20000; round++) {
		unsigned int i = (unsigned int)prng_below(&r, NR_TABLES);
		const struct ctl_table *t = &tables[i];
		char in[80], arg[100], want[256];
		char *argv[2] = { "sysctl", arg };
		unsigned int calls = handler_calls[i];
		unsigned long v;
		int ret, err;

		make_input(&r, t, in, sizeof(in));
		snprintf(arg, sizeof(arg), "%s=%s", t->procname, in);
		err = model_parse(t, in, &v);
		printk_capture_start_quiet(out, sizeof(out));
		ret = sysctl_command(&set, 2, argv);
		printk_capture_stop();
		if (!err) {
			model_val[i] = v;
			snprintf(want, sizeof(want), "%s = %lu\n", t->procname, v);
		} else {
			snprintf(want, sizeof(want),
				 "sysctl: %s: '%s' is %s: %lu..%lu; unchanged at %lu\n",
				 t->procname, in,
				 err == -EINVAL ? "not a number" : "out of range",
				 t->min, t->max, model_val[i]);
		}
		KUNIT_EXPECT_EQ(test, ret, err ? 1 : 0);
		KUNIT_EXPECT_STREQ(test, out, want);
		KUNIT_EXPECT_EQ(test, raw(t), model_val[i] * scale(t));
		KUNIT_EXPECT_EQ(test, handler_calls[i], calls + (err ? 0 : 1));
		if (test->failed) {
			kunit_info(test, "round %u: sysctl %s", round, arg);
			break;
		}
	}
	printk_time = stamps;
}

static struct kunit_case sysctl_model_cases[] = {
	KUNIT_CASE(sysctl_parse_matches_model),
	KUNIT_CASE(sysctl_command_matches_model),
	{}
};

static struct kunit_suite sysctl_model_suite = {
	.name = "sysctl_model",
	.test_cases = sysctl_model_cases,
};
kunit_test_suite(sysctl_model_suite);
