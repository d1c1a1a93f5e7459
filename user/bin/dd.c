/*
 * dd [OPERAND]... - copy a file in blocks, and say what it did the way GNU
 * coreutils' dd does (docs/user.md, "dd").
 *
 * Ours because Debian's busybox dd prints only the two records lines: the
 * page-cache benchmarks and the tests want GNU's third line,
 *
 *   N+P records in
 *   N+P records out
 *   B bytes (X MB, Y MiB) copied, T s, R MB/s
 *
 * on stderr, at the end and after an error. F+P counts full and partial
 * blocks: a short read is a partial record in, a short write (or the last
 * block of an obs-sized stream) a partial record out.
 *
 * Operands: if= of= bs= ibs= obs= count= skip= seek= (iseek= oseek=),
 * conv=fsync,fdatasync,notrunc,sync,noerror,nocreat,excl,
 * iflag=fullblock,count_bytes,skip_bytes,direct, oflag=seek_bytes,direct,
 * status=none,noxfer,progress. Numbers take GNU's suffixes: c=1 w=2 b=512,
 * K/k=1024 M G T P E Z Y R Q powers of 1024, KB/kB MB GB... (and KiB...)
 * powers of 1000, N x M products; a 'B' in count=, skip= or seek= counts
 * bytes, not blocks. With bs= each block read is written as read; without
 * it, reads are gathered into obs-sized writes. The buffers are whole
 * pages of their own (mmap), as GNU's are page-aligned: iflag=direct and
 * oflag=direct open with O_DIRECT, and Linux refuses a direct transfer
 * to or from memory not aligned to the device's block size. (Our kernel
 * accepts O_DIRECT and ignores it: its reads and writes go through the
 * page cache; tools/bench-linux uses iflag=direct on Linux.)
 *
 * No floating point: the sizes, the rate and the time are formatted from
 * integers with GNU's rounding (human_size, rate_str, time_g below).
 *
 * Exit 0; 1 on a bad operand (nothing opened), a failed open, read, write,
 * seek, truncate or sync.
 */
#include "libc.h"

#define C_NOERROR	0x01
#define C_NOTRUNC	0x02
#define C_SYNC		0x04
#define C_NOCREAT	0x08
#define C_EXCL		0x10
#define C_FDATASYNC	0x20
#define C_FSYNC		0x40

#define F_FULLBLOCK	0x01
#define F_COUNT_BYTES	0x02
#define F_SKIP_BYTES	0x04
#define F_SEEK_BYTES	0x08
#define F_DIRECT	0x10

enum { ST_NONE, ST_NOXFER, ST_DEFAULT, ST_PROGRESS };

struct sym {
	const char *name;
	unsigned int bit;
};

static const struct sym convs[] = {
	{ "noerror", C_NOERROR }, { "notrunc", C_NOTRUNC }, { "sync", C_SYNC },
	{ "nocreat", C_NOCREAT }, { "excl", C_EXCL },
	{ "fdatasync", C_FDATASYNC }, { "fsync", C_FSYNC }, { NULL, 0 },
};
static const struct sym iflags[] = {
	{ "fullblock", F_FULLBLOCK }, { "count_bytes", F_COUNT_BYTES },
	{ "skip_bytes", F_SKIP_BYTES }, { "direct", F_DIRECT }, { NULL, 0 },
};
static const struct sym oflags[] = {
	{ "seek_bytes", F_SEEK_BYTES }, { "direct", F_DIRECT }, { NULL, 0 },
};
static const struct sym statuses[] = {
	{ "none", ST_NONE }, { "noxfer", ST_NOXFER },
	{ "progress", ST_PROGRESS }, { NULL, 0 },
};

#define INT_MAX64	0x7fffffffffffffffULL

/* Everything the copy needs and everything the summary reports. */
static const char *in_name, *out_name;	/* NULL until the operands say */
static int in_fd, out_fd = 1;
static uint64_t ibs = 512, obs = 512;
static bool two_bufs;			/* no bs=: gather reads into obs */
static uint64_t count_blocks = ~0ULL, count_bytes;	/* ~0: to EOF */
static uint64_t skip_blocks, skip_bytes, seek_blocks, seek_bytes;
static unsigned int conv, iflag, oflag;
static int status = ST_DEFAULT;
static bool warn_partial;		/* GNU's "suggest iflag=fullblock" */

static char *ibuf, *obuf;
static uint64_t oc;			/* bytes waiting in obuf */
static uint64_t r_full, r_partial, w_full, w_partial, w_bytes;
static uint64_t t_start, next_progress;
static int progress_len;
static bool in_seekable;
static uint64_t in_off;			/* bytes read or skipped so far */

/* ---------------------------------------------------------- messages */
/* GNU's quoting of file names: quoteaf() always quotes ('name');
 * quotef() only when the name has a character a shell would mind. */
static const char *q_always(const char *s)
{
	static char buf[2][512];
	static int n;
	char *b = buf[n++ & 1];

	snprintf(b, sizeof(buf[0]), "'%s'", s);
	return b;
}

static const char *q_ifneeded(const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_./-+:,%@=^", *p)))
			return q_always(s);
	return *s ? s : q_always(s);
}

/* One diagnostic line: "dd: <what>[: <errno text>]". A progress line
 * still on the terminal ends first, as GNU's does. */
static void diag(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void diag(int err, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (progress_len > 0) {
		dprintf(2, "\n");
		progress_len = 0;
	}
	if (err)
		dprintf(2, "dd: %s: %s\n", msg, strerror(err));
	else
		dprintf(2, "dd: %s\n", msg);
}

static __attribute__((noreturn)) void usage_error(void)
{
	dprintf(2, "Try 'dd --help' for more information.\n");
	exit(1);
}

/* ---------------------------------------------------------- formatting */
/*
 * A byte count (or rate) the way GNU's human_readable() prints it with
 * autoscale, round-to-nearest, SI and B: the value is amt + tenths/10 +
 * (what rnd says about the rest: 0 nothing, 1 under a half of a tenth,
 * 2 exactly a half, 3 over a half). Divided by base while it is at least
 * base; below 10 one decimal is kept, rounded half to even; then the
 * integer is rounded half to even, and reaching base moves up a unit
 * ("1.0 MB"). Units: " B", " kB"/" KiB", " MB"/" MiB"...
 */
static const char units[] = " KMGTPEZYRQ";

/* "", "k"/"Ki", "M"/"Mi"... for 1000^exp or 1024^exp. */
static void unit_prefix(char *u, int exp, unsigned int base)
{
	int n = 0;

	if (exp)
		u[n++] = exp == 1 && base == 1000 ? 'k' : units[exp];
	if (exp && base == 1024)
		u[n++] = 'i';
	u[n] = 0;
}

static void human_exact(char *buf, size_t len, uint64_t amt, unsigned int tenths,
			unsigned int rnd, unsigned int base)
{
	int exp = 0;
	bool frac = false;
	char unit[4];

	if (amt >= base) {
		do {
			unsigned int r10 = (unsigned int)(amt % base) * 10 + tenths;
			unsigned int r2 = (r10 % base) * 2 + (rnd >> 1);

			amt /= base;
			tenths = r10 / base;
			rnd = r2 < base ? (r2 + rnd != 0) : 2 + (base < r2 + rnd);
			exp++;
		} while (amt >= base && exp < 10);
		if (amt < 10) {
			if (rnd + (tenths & 1) > 2) {
				tenths++;
				rnd = 0;
				if (tenths == 10) {
					amt++;
					tenths = 0;
				}
			}
			if (amt < 10) {
				frac = true;
				rnd = 0;
			}
		}
	}
	if (!frac && tenths + (rnd + (amt & 1) > 0) > 5) {
		amt++;
		if (amt == base && exp < 10) {
			exp++;
			amt = 1;
			tenths = 0;
			frac = true;
		}
	}
	unit_prefix(unit, exp, base);
	if (frac)
		snprintf(buf, len, "%llu.%u %sB", (unsigned long long)amt,
			 tenths, unit);
	else
		snprintf(buf, len, "%llu %sB", (unsigned long long)amt, unit);
}

/* Round num/den to the nearest integer, ties to even (128-bit exact). */
static unsigned __int128 div_round(unsigned __int128 num, unsigned __int128 den)
{
	unsigned __int128 q = num / den, r = num % den;

	if (r * 2 > den || (r * 2 == den && (q & 1)))
		q++;
	return q;
}

/*
 * bytes over ns nanoseconds as GNU prints the rate ("114 MB/s"): with
 * integer arithmetic when 1e9/ns or ns/1e9 is exact (human_exact),
 * otherwise as its floating path does: at least k, one decimal below 100,
 * none from 100 on.
 */
static void rate_str(char *buf, size_t len, uint64_t bytes, uint64_t ns)
{
	const uint64_t G = 1000000000ULL;
	unsigned __int128 num, q, e = 1000, x10;
	int exp = 1;
	char *end, unit[4];

	if (ns == 0) {
		snprintf(buf, len, "Infinity B/s");
		return;
	}
	if (ns <= G && G % ns == 0 &&
	    (unsigned __int128)bytes * (G / ns) <= ~0ULL) {
		human_exact(buf, len, bytes * (G / ns), 0, 0, 1000);
	} else if (ns > G && ns % G == 0) {
		uint64_t d = ns / G, r10 = bytes % d * 10, r2 = r10 % d * 2;

		human_exact(buf, len, bytes / d, (unsigned int)(r10 / d),
			    r2 < d ? r2 > 0 : 2 + (d < r2), 1000);
	} else {
		num = (unsigned __int128)bytes * G;
		q = num / ns;
		while (e * 1000 <= q && exp < 10) {
			e *= 1000;
			exp++;
		}
		x10 = div_round(num * 10, (unsigned __int128)ns * e);
		unit_prefix(unit, exp, 1000);
		if (x10 < 1000)
			snprintf(buf, len, "%u.%u %sB", (unsigned int)(x10 / 10),
				 (unsigned int)(x10 % 10), unit);
		else
			snprintf(buf, len, "%llu %sB", (unsigned long long)
				 div_round(num, (unsigned __int128)ns * e), unit);
	}
	end = buf + strlen(buf);
	snprintf(end, len - (size_t)(end - buf), "/s");
}

/* Which side of ns / 1e9 the nearest double lies: 1 above, -1 below, 0
 * exact. GNU prints the double, so a decimal tie rounds by this side. */
static int double_side(uint64_t ns)
{
	const uint64_t G = 1000000000ULL;
	unsigned __int128 m;
	int s = 0;

	while (((unsigned __int128)ns << s) / G < (1ULL << 52))
		s++;
	m = div_round((unsigned __int128)ns << s, G);	/* 53-bit mantissa */
	if (m * G == (unsigned __int128)ns << s)
		return 0;
	return m * G > (unsigned __int128)ns << s ? 1 : -1;
}

/* ns as seconds with C's "%g" of the double ns / 1e9 (6 significant
 * digits, trailing zeros dropped, an exponent below 1e-4 and from 1e6
 * on). */
static void time_g(char *buf, size_t len, uint64_t ns)
{
	char d[24], m[8];
	int nd, x, i, last;
	uint64_t v, scale = 1;

	if (ns == 0) {
		snprintf(buf, len, "0");
		return;
	}
	nd = snprintf(d, sizeof(d), "%llu", (unsigned long long)ns);
	x = nd - 1 - 9;			/* decimal exponent of ns / 1e9 */
	if (nd > 6) {
		for (i = 0; i < nd - 6; i++)
			scale *= 10;
		v = ns / scale;
		if (ns % scale * 2 > scale ||
		    (ns % scale * 2 == scale &&
		     (double_side(ns) > 0 || (double_side(ns) == 0 && (v & 1)))))
			v++;
		if (v == 1000000) {
			v = 100000;
			x++;
		}
	} else {
		v = ns;
		for (i = nd; i < 6; i++)
			v *= 10;
	}
	snprintf(m, sizeof(m), "%06llu", (unsigned long long)v);
	for (last = 5; last > 0 && m[last] == '0'; last--)
		;
	if (x < -4 || x >= 6) {
		snprintf(buf, len, "%c%s%.*se%c%02d", m[0], last ? "." : "",
			 last, m + 1, x < 0 ? '-' : '+', x < 0 ? -x : x);
	} else if (x >= 0) {
		snprintf(buf, len, "%.*s%s%.*s", x + 1, m,
			 last > x ? "." : "", last > x ? last - x : 0, m + x + 1);
	} else {
		snprintf(buf, len, "0.%.*s%.*s", -x - 1, "0000", last + 1, m);
	}
}

/* "B bytes (X MB, Y MiB) copied, T s, R MB/s" (progress: "\r" first, whole
 * seconds, no newline, padded over the previous line). */
static void print_xfer(bool progress)
{
	char si[32], iec[32], rate[32], t[32], line[200];
	uint64_t ns = now_ns() - t_start;
	int n;

	human_exact(si, sizeof(si), w_bytes, 0, 0, 1000);
	human_exact(iec, sizeof(iec), w_bytes, 0, 0, 1024);
	rate_str(rate, sizeof(rate), w_bytes, ns);
	if (progress)
		snprintf(t, sizeof(t), "%llu s",
			 (unsigned long long)div_round(ns, 1000000000ULL));
	else {
		time_g(t, sizeof(t) - 2, ns);
		memcpy(t + strlen(t), " s", 3);
	}
	if (si[strlen(si) - 2] == ' ')		/* under 1000: no unit prefix */
		n = snprintf(line, sizeof(line), "%llu byte%s copied, %s, %s",
			     (unsigned long long)w_bytes, w_bytes == 1 ? "" : "s",
			     t, rate);
	else if (iec[strlen(iec) - 2] == ' ')	/* 1000..1023 */
		n = snprintf(line, sizeof(line), "%llu bytes (%s) copied, %s, %s",
			     (unsigned long long)w_bytes, si, t, rate);
	else
		n = snprintf(line, sizeof(line), "%llu bytes (%s, %s) copied, %s, %s",
			     (unsigned long long)w_bytes, si, iec, t, rate);
	if (progress) {
		dprintf(2, "\r%s%*s", line, n < progress_len ? progress_len - n : 0, "");
		progress_len = n;
	} else {
		dprintf(2, "%s\n", line);
	}
}

/* The summary: the two records lines, then the bytes line. */
static void print_stats(void)
{
	if (status == ST_NONE)
		return;
	if (progress_len > 0) {
		dprintf(2, "\n");
		progress_len = 0;
	}
	dprintf(2, "%llu+%llu records in\n%llu+%llu records out\n",
		(unsigned long long)r_full, (unsigned long long)r_partial,
		(unsigned long long)w_full, (unsigned long long)w_partial);
	if (status != ST_NOXFER)
		print_xfer(false);
}

/* ---------------------------------------------------------- operands */
/* One number with GNU dd's grammar (see the top). Returns 0, or 1 for not
 * a number, 2 for too large (over 2^63 - 1). */
static int parse_num(const char *s, uint64_t *out)
{
	static const char letters[] = "bcwkKMGTPEZYRQ";
	const char *p = s, *start;
	unsigned __int128 v = 0, mul = 1;
	bool ovf = false;
	unsigned int base = 1024;
	int power = 0, r;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-')
		return 1;
	if (*p == '+')
		p++;
	start = p;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned int)(*p - '0');
		if (v > INT_MAX64) {
			ovf = true;
			v = INT_MAX64 + 1ULL;
		}
	}
	if (p == start) {		/* "K" alone is 1K, as GNU's xstrtol */
		if (!*p || !strchr(letters, *p))
			return 1;
		v = 1;
	}
	if (*p && strchr(letters, *p)) {
		const char *l = p++;

		if (p[0] == 'i' && p[1] == 'B')
			p += 2;
		else if (*p == 'B' || *p == 'D') {
			base = 1000;
			p++;
		}
		switch (*l) {
		case 'b': mul = 512; break;
		case 'c': mul = 1; break;
		case 'w': mul = 2; break;
		default:
			power = (int)(strchr(units, *l == 'k' ? 'K' : *l) - units);
			while (power--)
				mul *= base;
		}
		if (v * mul > INT_MAX64)
			ovf = true;
		v = v * mul > INT_MAX64 ? INT_MAX64 + 1ULL : v * mul;
	} else if (*p == 'B' && p > s && p[-1] != 'B') {
		p++;			/* "100B": bytes */
	}
	if (*p == 'x') {
		uint64_t rhs;

		r = parse_num(p + 1, &rhs);
		if (r == 1)
			return 1;
		if (v == 0 && s[0] == '0' && s[1] == 'x')
			diag(0, "warning: '0x' is a zero multiplier; use '00x' if that is intended");
		if (v * rhs > INT_MAX64 || (v * rhs != 0 && (ovf || r == 2)))
			return 2;
		*out = (uint64_t)(v * rhs);
		return 0;
	}
	if (*p)
		return 1;
	*out = (uint64_t)v;
	return ovf ? 2 : 0;
}

/* A comma list of symbols; an unknown one ends the run with GNU's words. */
static unsigned int parse_syms(const char *val, const struct sym *tab,
			       const char *what, bool exclusive)
{
	unsigned int v = 0;

	for (;;) {
		const char *comma = strchr(val, ',');
		size_t n = comma ? (size_t)(comma - val) : strlen(val);
		const struct sym *t;

		for (t = tab; t->name; t++)
			if (strlen(t->name) == n && !memcmp(t->name, val, n))
				break;
		if (!t->name) {
			dprintf(2, "dd: %s: '%.*s'\n", what, (int)n, val);
			usage_error();
		}
		v = exclusive ? t->bit : v | t->bit;
		if (!comma)
			return v;
		val = comma + 1;
	}
}

static bool is_op(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(arg, name, n) && arg[n] == '=';
}

static void help(void)
{
	printf("Usage: dd [OPERAND]...\n"
	       "Copy a file in blocks; on stderr say N+P records in/out and\n"
	       "B bytes (..) copied, T s, R MB/s, as GNU coreutils' dd.\n\n"
	       "  if=FILE of=FILE   input (stdin) and output (stdout)\n"
	       "  bs=N ibs=N obs=N  block sizes (512); bs= copies blocks as read\n"
	       "  count=N skip=N seek=N  input blocks to copy, input blocks to\n"
	       "                    skip, output blocks to seek over\n"
	       "  conv=fsync,fdatasync,notrunc,sync,noerror,nocreat,excl\n"
	       "  iflag=fullblock,count_bytes,skip_bytes,direct\n"
	       "  oflag=seek_bytes,direct\n"
	       "  status=none|noxfer|progress\n"
	       "N: c=1 w=2 b=512 K=1024 kB=1000 M=1024^2 MB=1000^2 G GB ... NxM\n");
	exit(0);
}

static void parse_args(int argc, char **argv)
{
	uint64_t bs = 0, count = ~0ULL, skip = 0, seek = 0;
	bool count_b = false, skip_b = false, seek_b = false;
	int i = 1;

	if (i < argc && !strcmp(argv[i], "--help"))
		help();
	if (i < argc && !strcmp(argv[i], "--version")) {
		printf("dd (this kernel's user programs; GNU coreutils' output)\n");
		exit(0);
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
		if (argv[i][1] == '-')
			dprintf(2, "dd: unrecognized option '%s'\n", argv[i]);
		else
			dprintf(2, "dd: invalid option -- '%c'\n", argv[i][1]);
		usage_error();
	}
	for (; i < argc; i++) {
		const char *arg = argv[i], *val = strchr(arg, '=');
		uint64_t n, *dst = NULL, min = 0;
		int r;

		if (!val) {
			dprintf(2, "dd: unrecognized operand %s\n", q_always(arg));
			usage_error();
		}
		val++;
		if (is_op(arg, "if")) {
			in_name = val;
			continue;
		} else if (is_op(arg, "of")) {
			out_name = val;
			continue;
		} else if (is_op(arg, "conv")) {
			conv |= parse_syms(val, convs, "invalid conversion", false);
			continue;
		} else if (is_op(arg, "iflag")) {
			iflag |= parse_syms(val, iflags, "invalid input flag", false);
			continue;
		} else if (is_op(arg, "oflag")) {
			oflag |= parse_syms(val, oflags, "invalid output flag", false);
			continue;
		} else if (is_op(arg, "status")) {
			status = (int)parse_syms(val, statuses, "invalid status level", true);
			continue;
		}
		if (is_op(arg, "ibs")) {
			dst = &ibs;
			min = 1;
		} else if (is_op(arg, "obs")) {
			dst = &obs;
			min = 1;
		} else if (is_op(arg, "bs")) {
			dst = &bs;
			min = 1;
		} else if (is_op(arg, "count")) {
			dst = &count;
			count_b = strchr(val, 'B') != NULL;
		} else if (is_op(arg, "skip") || is_op(arg, "iseek")) {
			dst = &skip;
			skip_b = strchr(val, 'B') != NULL;
		} else if (is_op(arg, "seek") || is_op(arg, "oseek")) {
			dst = &seek;
			seek_b = strchr(val, 'B') != NULL;
		} else {
			dprintf(2, "dd: unrecognized operand %s\n", q_always(arg));
			usage_error();
		}
		r = parse_num(val, &n);
		if (r == 0 && n < min)
			r = 1;
		if (r) {
			dprintf(2, "dd: invalid number: %s%s%s\n", q_always(val),
				r == 2 ? ": " : "", r == 2 ? strerror(EOVERFLOW) : "");
			exit(1);
		}
		*dst = n;
	}
	if (bs)
		ibs = obs = bs;
	else
		two_bufs = true;
	if (skip_b)
		iflag |= F_SKIP_BYTES;
	if (iflag & F_SKIP_BYTES) {
		skip_blocks = skip / ibs;
		skip_bytes = skip % ibs;
	} else {
		skip_blocks = skip;
	}
	if (count_b)
		iflag |= F_COUNT_BYTES;
	if ((iflag & F_COUNT_BYTES) && count != ~0ULL) {
		count_blocks = count / ibs;
		count_bytes = count % ibs;
	} else {
		count_blocks = count;
	}
	if (seek_b)
		oflag |= F_SEEK_BYTES;
	if (oflag & F_SEEK_BYTES) {
		seek_blocks = seek / obs;
		seek_bytes = seek % obs;
	} else {
		seek_blocks = seek;
	}
	if ((conv & C_EXCL) && (conv & C_NOCREAT)) {
		dprintf(2, "dd: cannot combine excl and nocreat\n");
		exit(1);
	}
	warn_partial = !two_bufs && !(iflag & F_FULLBLOCK) &&
		       (skip_blocks || (count_blocks > 0 && count_blocks != ~0ULL));
}

/* ---------------------------------------------------------- the copy */
/* Write the summary and leave with code. */
static __attribute__((noreturn)) void quit(int code);

/* One read (iflag=fullblock: until size or EOF), retried on EINTR, with
 * GNU's warning when a short read was followed by more data. */
static ssize_t do_read(char *buf, uint64_t size)
{
	static ssize_t prev;
	ssize_t got = 0, r;

	do {
		do
			r = read(in_fd, buf + got, size - (uint64_t)got);
		while (r < 0 && errno == EINTR);
		if (r <= 0)
			break;
		got += r;
	} while ((iflag & F_FULLBLOCK) && (uint64_t)got < size);
	if (r < 0 && got == 0)
		got = -1;
	if (got > 0 && warn_partial && prev > 0 && (uint64_t)prev < size) {
		if (status != ST_NONE)
			diag(0, "warning: partial read (%lld byte%s); suggest iflag=fullblock",
			     (long long)prev, prev == 1 ? "" : "s");
		warn_partial = false;
	}
	prev = got;
	return got;
}

/* Write all of buf unless the file refuses; returns what was written
 * (errno set when short; a write of 0 counts as ENOSPC). */
static uint64_t do_write(const char *buf, uint64_t size)
{
	uint64_t done = 0;

	while (done < size) {
		ssize_t w = write(out_fd, buf + done, size - done);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (w == 0) {
			errno = ENOSPC;
			break;
		}
		done += (uint64_t)w;
	}
	return done;
}

/* Pass over blocks*bsize + *bytes of fd: lseek if the file can, else read
 * and drop (input; for the output that fails as GNU's does). Returns the
 * whole blocks not passed because the end came first; *bytes keeps the
 * bytes not passed. */
static uint64_t skip_over(int fd, bool input, uint64_t blocks, uint64_t bsize,
			  uint64_t *bytes)
{
	const char *name = input ? in_name : out_name;
	unsigned __int128 want = (unsigned __int128)blocks * bsize + *bytes;
	char *buf = input ? ibuf : obuf;
	int lerr = 0;

	if (want <= INT_MAX64 && lseek(fd, (long)want, SEEK_CUR) >= 0) {
		struct stat st;

		if (!input) {
			*bytes = 0;
			return 0;
		}
		if (fstat(fd, &st) < 0) {
			diag(errno, "cannot fstat %s", q_always(name));
			quit(1);
		}
		blocks = 0;
		if (S_ISREG(st.st_mode) && st.st_size > 0 &&
		    (uint64_t)st.st_size - in_off < (uint64_t)want) {
			blocks = ((uint64_t)want - (uint64_t)st.st_size) / bsize;
			want = (uint64_t)st.st_size - in_off;
		}
		in_off += (uint64_t)want;
		return blocks;
	}
	lerr = want > INT_MAX64 ? 0 : errno;
	if (lseek(fd, 0, SEEK_END) >= 0) {
		diag(lerr ? lerr : EOVERFLOW, input ? "%s: cannot skip" : "%s: cannot seek",
		     q_ifneeded(name));
		quit(1);
	}
	do {
		ssize_t r;

		if (input) {
			r = do_read(buf, blocks ? bsize : *bytes);
		} else {
			do
				r = read(fd, buf, blocks ? bsize : *bytes);
			while (r < 0 && errno == EINTR);
		}
		if (r < 0) {
			if (input) {
				diag(errno, "error reading %s", q_always(name));
				if (conv & C_NOERROR)
					print_stats();
			} else {
				diag(lerr, "%s: cannot seek", q_ifneeded(name));
			}
			quit(1);
		}
		if (r == 0)
			break;
		if (input)
			in_off += (uint64_t)r;
		if (blocks)
			blocks--;
		else
			*bytes = 0;
	} while (blocks || *bytes);
	return blocks;
}

/* Flush obuf once it holds a whole output block. */
static void write_obuf_full(void)
{
	uint64_t w = do_write(obuf, obs);

	w_bytes += w;
	if (w != obs) {
		diag(errno, "writing to %s", q_always(out_name));
		if (w)
			w_partial++;
		quit(1);
	}
	w_full++;
	oc = 0;
}

static int sync_output(void)
{
	unsigned int c = conv;

	conv &= ~(C_FDATASYNC | C_FSYNC);
	if ((c & C_FDATASYNC) && fdatasync(out_fd) < 0) {
		if (errno != ENOSYS && errno != EINVAL) {
			diag(errno, "fdatasync failed for %s", q_always(out_name));
			return 1;
		}
		c |= C_FSYNC;
	}
	if ((c & C_FSYNC) && fsync(out_fd) < 0) {
		diag(errno, "fsync failed for %s", q_always(out_name));
		return 1;
	}
	return 0;
}

static void quit(int code)
{
	if (sync_output())
		code = 1;
	if (close(in_fd) < 0) {
		diag(errno, "closing input file %s", q_always(in_name));
		code = 1;
	}
	if (close(out_fd) < 0) {
		diag(errno, "closing output file %s", q_always(out_name));
		code = 1;
	}
	print_stats();
	exit(code);
}

/* Write what obuf still holds: the last, partial, output block. */
static int flush_last(void)
{
	uint64_t w;

	if (!oc)
		return 0;
	w = do_write(obuf, oc);
	w_bytes += w;
	if (w)
		w_partial++;
	if (w != oc) {
		diag(errno, "error writing %s", q_always(out_name));
		return 1;
	}
	oc = 0;
	return 0;
}

static int copy(void)
{
	uint64_t partread = 0;

	if (skip_blocks || skip_bytes) {
		uint64_t off0 = in_off, bytes = skip_bytes;
		unsigned __int128 want = (unsigned __int128)skip_blocks * ibs + skip_bytes;
		uint64_t left = skip_over(in_fd, true, skip_blocks, ibs, &bytes);

		if ((left || want != in_off - off0) && status != ST_NONE)
			diag(0, "%s: cannot skip to specified offset", q_ifneeded(in_name));
	}
	if (seek_blocks || seek_bytes) {
		uint64_t bytes = seek_bytes;
		uint64_t left = skip_over(out_fd, false, seek_blocks, obs, &bytes);

		if (left || bytes) {		/* zeros for what could not be passed */
			memset(obuf, 0, left ? obs : bytes);
			do {
				uint64_t n = left ? obs : bytes;

				if (do_write(obuf, n) != n) {
					diag(errno, "writing to %s", q_always(out_name));
					quit(1);
				}
				if (left)
					left--;
				else
					bytes = 0;
			} while (left || bytes);
		}
	}
	if (count_blocks == 0 && count_bytes == 0)
		return 0;

	for (;;) {
		ssize_t r;
		uint64_t n;

		if (status == ST_PROGRESS && now_ns() >= next_progress) {
			print_xfer(true);
			next_progress += 1000000000ULL;
		}
		if (r_full + r_partial >= count_blocks + (count_bytes != 0))
			break;
		if ((conv & C_SYNC) && (conv & C_NOERROR))
			memset(ibuf, 0, ibs);
		r = do_read(ibuf, r_full + r_partial >= count_blocks ? count_bytes : ibs);
		if (r == 0)
			break;
		if (r < 0) {
			diag(errno, "error reading %s", q_always(in_name));
			if (!(conv & C_NOERROR)) {
				flush_last();	/* what was gathered still goes out */
				return 1;
			}
			print_stats();
			/* Step over the bad block: where the input should be now. */
			in_off += ibs - partread;
			if (in_seekable && lseek(in_fd, (long)in_off, SEEK_SET) < 0) {
				diag(errno, "%s: cannot seek", q_ifneeded(in_name));
				in_seekable = false;
			}
			if (!(conv & C_SYNC) || partread)
				continue;
			r = 0;			/* a block of zeros in its place */
		} else {
			in_off += (uint64_t)r;
		}
		n = (uint64_t)r;
		if (n < ibs) {
			r_partial++;
			partread = n;
			if (conv & C_SYNC) {
				memset(ibuf + n, 0, ibs - n);
				n = ibs;
			}
		} else {
			r_full++;
			partread = 0;
		}
		if (!two_bufs) {		/* bs=: the block as read */
			uint64_t w = do_write(ibuf, n);

			w_bytes += w;
			if (w != n) {
				diag(errno, "error writing %s", q_always(out_name));
				return 1;
			}
			if (n == ibs)
				w_full++;
			else
				w_partial++;
			continue;
		}
		for (const char *p = ibuf; n;) {	/* gather into obs blocks */
			uint64_t k = n < obs - oc ? n : obs - oc;

			memcpy(obuf + oc, p, k);
			oc += k;
			p += k;
			n -= k;
			if (oc == obs)
				write_obuf_full();
		}
	}
	return flush_last();
}

/* A buffer of n bytes on pages of its own (header above: O_DIRECT wants
 * aligned memory); NULL when there is no such memory. Never freed: dd
 * exits when the copy ends. */
static char *page_buf(uint64_t n)
{
	void *p;

	if (n > INT_MAX64)
		return NULL;
	p = mmap(NULL, (size_t)((n + 4095) & ~4095ULL), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv, char **envp)
{
	int code, flags;
	bool out_given;
	long off;

	(void)envp;
	parse_args(argc, argv);
	out_given = out_name != NULL;

	if (in_name) {
		in_fd = openat(AT_FDCWD, in_name,
			       O_RDONLY | (iflag & F_DIRECT ? O_DIRECT : 0), 0);
		if (in_fd < 0) {
			diag(errno, "failed to open %s", q_always(in_name));
			return 1;
		}
	} else {
		in_name = "standard input";
	}
	off = lseek(in_fd, 0, SEEK_CUR);
	in_seekable = off >= 0;
	in_off = off > 0 ? (uint64_t)off : 0;

	if (out_name) {
		flags = (conv & C_NOCREAT ? 0 : O_CREAT) | (conv & C_EXCL ? O_EXCL : 0) |
			(seek_blocks || (conv & C_NOTRUNC) ? 0 : O_TRUNC) |
			(oflag & F_DIRECT ? O_DIRECT : 0);
		/* Read access too when seek= may have to read its way. */
		out_fd = -1;
		if (seek_blocks)
			out_fd = openat(AT_FDCWD, out_name, O_RDWR | flags, 0666);
		if (out_fd < 0)
			out_fd = openat(AT_FDCWD, out_name, O_WRONLY | flags, 0666);
		if (out_fd < 0) {
			diag(errno, "failed to open %s", q_always(out_name));
			return 1;
		}
	} else {
		out_name = "standard output";
	}
	code = 0;
	if (out_given && seek_blocks && !(conv & C_NOTRUNC)) {
		uint64_t size = seek_blocks * obs + seek_bytes;

		if (ftruncate(out_fd, (long)size) < 0) {
			int err = errno;
			struct stat st;

			if (fstat(out_fd, &st) < 0) {
				diag(errno, "cannot fstat %s", q_always(out_name));
				code = 1;
			} else if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
				diag(err, "failed to truncate to %llu bytes in output file %s",
				     (unsigned long long)size, q_always(out_name));
				code = 1;
			}
		}
	}

	ibuf = page_buf(ibs);
	obuf = two_bufs ? page_buf(obs) : ibuf;
	if (!ibuf || !obuf) {
		char h[32];
		uint64_t sz = !ibuf ? ibs : obs;

		human_exact(h, sizeof(h), sz, 0, 0, 1024);
		dprintf(2, "dd: memory exhausted by %s buffer of size %llu bytes (%s)\n",
			!ibuf ? "input" : "output", (unsigned long long)sz, h);
		return 1;
	}

	t_start = now_ns();
	next_progress = t_start + 1000000000ULL;
	if (copy())
		code = 1;
	quit(code);
}
