/*
 * mm/writeback_trace.c - the dirty-throttling trace ring and its dump
 * (mm/writeback_trace.h has the contract; docs/mm/writeback.md, "The
 * trace", shows the plots made from it).
 *
 * The dump's grammar (version 1). Every line is
 *
 *	wbt: KEY=VALUE KEY=VALUE ...
 *
 * one space between pairs, no space inside a value; a parser takes the
 * text from "wbt: " on (a printk timestamp may come before it) and
 * splits it. Keys are never repeated in a line and new keys may be added
 * at the end of a line's list: a parser keeps what it knows and ignores
 * the rest. VALUE is a decimal integer unless the key says otherwise.
 * The first line and the last:
 *
 *	wbt: type=begin version=1 size=SLOTS events=N lost=L on=0|1
 *	     sample_ms=100 page_kb=4 t=NOW
 *	wbt: type=end printed=N lost=L
 *
 * N events follow the begin line, oldest first; lost= counts the events
 * the ring overwrote before they were printed (in the end line: also
 * those overwritten while the dump ran). lost=0 in both lines is a
 * complete trace. Each event line starts with
 *
 *	t=SECONDS	since boot, six decimals (12.345678)
 *	type=		bdp | ratelimit | sample | mark
 *	bdi=		the device ("vda"), "all" (the sampler's global
 *			line), a mark's label, or "-"
 *	who=		the thread id of the writer (bdp), else 0
 *
 * then the fields of struct wb_trace_event its type fills (the table
 * fields[] below; pages, pages/s, ms):
 *
 *	bdp	  dirty writeback bg_thresh thresh limit setpoint wb_dirty
 *		  wb_thresh wb_setpoint pos_ratio task_ratelimit
 *		  dirty_ratelimit balanced_dirty_ratelimit write_bw
 *		  avg_write_bw pause_ms period_ms nr_dirtied total_dirtied
 *	ratelimit dirty writeback bg_thresh thresh limit setpoint wb_dirty
 *		  wb_thresh wb_setpoint pos_ratio task_ratelimit
 *		  dirty_ratelimit balanced_dirty_ratelimit write_bw
 *		  avg_write_bw dirty_rate period_ms (the interval measured)
 *	sample	  dirty writeback bg_thresh thresh limit setpoint wb_dirty
 *		  wb_thresh dirty_ratelimit balanced_dirty_ratelimit
 *		  write_bw avg_write_bw
 *	mark	  (none)
 *
 * In bdp and ratelimit lines dirty is what the law saw, dtc->dirty
 * (NR_FILE_DIRTY + NR_WRITEBACK), and writeback is 0.
 * In a sample, dirty and writeback are the global counts, wb_dirty the
 * device's dirty + writeback pages and wb_thresh its share of thresh; in
 * the bdi=all line wb_dirty is dirty + writeback, wb_thresh is thresh and
 * write_bw the devices' sum.
 *
 * pos_ratio is printed as a decimal fraction with four places (1.0127 is
 * 1037 << RATELIMIT_CALC_SHIFT's 1024); pause_ms and period_ms may be
 * negative. A line that would pass WB_TRACE_LINE_MAX ends with trunc=1.
 *
 *	wbt: t=12.345678 type=bdp bdi=vda who=17 dirty=9312 writeback=512 ...
 */
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include <arch/page.h>
#include "mm/filemap.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"
#include "mm/writeback_trace.h"

/* ------------------------------------------------------------ a ring */

void wb_trace_ring_init(struct wb_trace_ring *r, struct wb_trace_event *buf,
			unsigned long size)
{
	spin_lock_init(&r->lock, "wb_trace ring");
	r->ev = buf;
	r->size = buf ? size : 0;
	r->head = 0;
}

void wb_trace_ring_record(struct wb_trace_ring *r,
			  const struct wb_trace_event *ev)
{
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	if (r->size) {
		r->ev[r->head % r->size] = *ev;
		r->head++;
	}
	spin_unlock_irqrestore(&r->lock, flags);
}

static uint64_t ring_first_locked(const struct wb_trace_ring *r)
{
	return r->head > r->size ? r->head - r->size : 0;
}

uint64_t wb_trace_ring_first(struct wb_trace_ring *r)
{
	unsigned long flags;
	uint64_t first;

	spin_lock_irqsave(&r->lock, flags);
	first = ring_first_locked(r);
	spin_unlock_irqrestore(&r->lock, flags);
	return first;
}

uint64_t wb_trace_ring_head(struct wb_trace_ring *r)
{
	unsigned long flags;
	uint64_t head;

	spin_lock_irqsave(&r->lock, flags);
	head = r->head;
	spin_unlock_irqrestore(&r->lock, flags);
	return head;
}

uint64_t wb_trace_ring_lost(struct wb_trace_ring *r)
{
	return wb_trace_ring_first(r);	/* every event before it */
}

bool wb_trace_ring_get(struct wb_trace_ring *r, uint64_t seq,
		       struct wb_trace_event *out)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&r->lock, flags);
	ok = r->size && seq >= ring_first_locked(r) && seq < r->head;
	if (ok)
		*out = r->ev[seq % r->size];
	spin_unlock_irqrestore(&r->lock, flags);
	return ok;
}

/* --------------------------------------------------------- the format */

enum { F_ULONG, F_LONG, F_RATIO };

#define T_BDP		BIT(WB_TRACE_BDP)
#define T_RL		BIT(WB_TRACE_RATELIMIT)
#define T_SAMPLE	BIT(WB_TRACE_SAMPLE)
#define T_LAW		(T_BDP | T_RL)
#define T_ALL		(T_BDP | T_RL | T_SAMPLE)

static const struct trace_field {
	const char *key;
	unsigned short off;
	unsigned char kind;
	unsigned char types;		/* T_*: the types that print it */
} fields[] = {
#define F(name, kind, types) \
	{ #name, offsetof(struct wb_trace_event, name), kind, types }
	F(dirty, F_ULONG, T_ALL),
	F(writeback, F_ULONG, T_ALL),
	F(bg_thresh, F_ULONG, T_ALL),
	F(thresh, F_ULONG, T_ALL),
	F(limit, F_ULONG, T_ALL),
	F(setpoint, F_ULONG, T_ALL),
	F(wb_dirty, F_ULONG, T_ALL),
	F(wb_thresh, F_ULONG, T_ALL),
	F(wb_setpoint, F_ULONG, T_LAW),
	F(pos_ratio, F_RATIO, T_LAW),
	F(task_ratelimit, F_ULONG, T_LAW),
	F(dirty_ratelimit, F_ULONG, T_ALL),
	F(balanced_dirty_ratelimit, F_ULONG, T_ALL),
	F(write_bw, F_ULONG, T_ALL),
	F(avg_write_bw, F_ULONG, T_ALL),
	F(dirty_rate, F_ULONG, T_RL),
	F(pause_ms, F_LONG, T_BDP),
	F(period_ms, F_LONG, T_LAW),
	F(nr_dirtied, F_ULONG, T_BDP),
	F(total_dirtied, F_ULONG, T_BDP),
#undef F
};

static const char *const type_names[] = {
	[WB_TRACE_BDP] = "bdp",
	[WB_TRACE_RATELIMIT] = "ratelimit",
	[WB_TRACE_SAMPLE] = "sample",
	[WB_TRACE_MARK] = "mark",
};

const char *wb_trace_type_name(unsigned int type)
{
	if (type < ARRAY_SIZE(type_names) && type_names[type])
		return type_names[type];
	return "unknown";
}

/* The bdi name as a value: printable, no spaces, "-" if empty. */
static void bdi_value(const char bdi[8], char out[9])
{
	int n = 0;

	for (; n < 8 && bdi[n]; n++)
		out[n] = bdi[n] > ' ' && bdi[n] < 127 && bdi[n] != '=' ?
			 bdi[n] : '_';
	if (!n)
		out[n++] = '-';
	out[n] = '\0';
}

int wb_trace_format(const struct wb_trace_event *ev, char *buf, size_t size)
{
	static const char trunc[] = " trunc=1";
	char name[9], val[64];	/* the longest key, a 20-digit value */
	size_t len;
	int n;

	if (!size)
		return 0;
	bdi_value(ev->bdi, name);
	n = ksnprintf(buf, size, "wbt: t=%llu.%06llu type=%s bdi=%s who=%u",
		      (unsigned long long)(ev->time_ns / 1000000000ULL),
		      (unsigned long long)(ev->time_ns / 1000 % 1000000),
		      wb_trace_type_name(ev->type), name, ev->who);
	len = (size_t)n < size ? (size_t)n : size - 1;
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		const struct trace_field *f = &fields[i];
		const void *p = (const char *)ev + f->off;
		unsigned long v = *(const unsigned long *)p;
		int m;

		if (ev->type >= 8 || !(f->types & BIT(ev->type)))
			continue;
		if (f->kind == F_LONG)
			m = ksnprintf(val, sizeof(val), " %s=%ld", f->key,
				      *(const long *)p);
		else if (f->kind == F_RATIO)
			m = ksnprintf(val, sizeof(val), " %s=%lu.%04lu",
				      f->key, v >> RATELIMIT_CALC_SHIFT,
				      ((v & ((1UL << RATELIMIT_CALC_SHIFT) - 1)) *
				       10000) >> RATELIMIT_CALC_SHIFT);
		else
			m = ksnprintf(val, sizeof(val), " %s=%lu", f->key, v);
		/* Room for this field and, after it, a possible trunc. */
		if (m >= (int)sizeof(val) || len + m + sizeof(trunc) > size) {
			if (len + sizeof(trunc) <= size) {
				memcpy(buf + len, trunc, sizeof(trunc));
				len += sizeof(trunc) - 1;
			}
			break;
		}
		memcpy(buf + len, val, m + 1);
		len += m;
	}
	return (int)len;
}

/* ---------------------------------------------------- the global ring */

/*
 * trace_on is read without the lock on every wb_trace() call; the ring
 * (trace_ring.ev/size) changes only under trace_ring.lock, with
 * trace_on false, so a wb_trace() that saw trace_on true a moment ago
 * finds either the ring or no ring under the lock, never a freed one.
 * start, stop and clear are serialised by their callers (the console).
 */
static struct wb_trace_ring trace_ring = {
	.lock = SPINLOCK_INIT("wb_trace ring"),
};
static bool trace_on;
static bool trace_buf_ours;		/* vmalloc'd here: clear frees it */
static uint64_t trace_start_ns;

void wb_trace(const struct wb_trace_event *ev)
{
	struct wb_trace_event e;

	if (!__atomic_load_n(&trace_on, __ATOMIC_RELAXED))
		return;
	if (ev->time_ns) {
		wb_trace_ring_record(&trace_ring, ev);
		return;
	}
	e = *ev;			/* time_ns 0: now */
	e.time_ns = clock_ns();
	wb_trace_ring_record(&trace_ring, &e);
}

bool wb_trace_on(void)
{
	return __atomic_load_n(&trace_on, __ATOMIC_RELAXED);
}

static int trace_install(struct wb_trace_event *buf, unsigned long nr,
			 bool ours)
{
	unsigned long flags;
	bool busy;

	spin_lock_irqsave(&trace_ring.lock, flags);
	busy = trace_ring.size != 0;
	if (!busy) {
		trace_ring.ev = buf;
		trace_ring.size = nr;
		trace_ring.head = 0;
		trace_buf_ours = ours;
		trace_start_ns = clock_ns();
	}
	spin_unlock_irqrestore(&trace_ring.lock, flags);
	return busy ? -EBUSY : 0;
}

int wb_trace_start_buf(struct wb_trace_event *buf, unsigned long nr_events)
{
	int r;

	if (!buf || !nr_events || nr_events > WB_TRACE_MAX_EVENTS)
		return -EINVAL;
	r = trace_install(buf, nr_events, false);
	if (r == 0)
		__atomic_store_n(&trace_on, true, __ATOMIC_RELEASE);
	return r;
}

int wb_trace_start(unsigned long nr_events)
{
	struct wb_trace_event *buf;
	int r;

	if (nr_events > WB_TRACE_MAX_EVENTS)
		return -EINVAL;
	if (trace_ring.size) {
		/* A stopped ring: go on appending, if the size agrees. */
		if (nr_events && nr_events != trace_ring.size)
			return -EBUSY;
		__atomic_store_n(&trace_on, true, __ATOMIC_RELEASE);
		return 0;
	}
	if (!nr_events)
		nr_events = WB_TRACE_DEFAULT_EVENTS;
	buf = vmalloc(nr_events * sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	r = trace_install(buf, nr_events, true);
	if (r) {
		vfree(buf);
		return r;
	}
	__atomic_store_n(&trace_on, true, __ATOMIC_RELEASE);
	return 0;
}

void wb_trace_stop(void)
{
	__atomic_store_n(&trace_on, false, __ATOMIC_RELEASE);
}

void wb_trace_clear(void)
{
	struct wb_trace_event *buf;
	unsigned long flags;
	bool ours;

	wb_trace_stop();
	spin_lock_irqsave(&trace_ring.lock, flags);
	buf = trace_ring.ev;
	ours = trace_buf_ours;
	trace_ring.ev = NULL;
	trace_ring.size = 0;
	trace_ring.head = 0;
	trace_buf_ours = false;
	trace_start_ns = 0;
	spin_unlock_irqrestore(&trace_ring.lock, flags);
	if (ours)
		vfree(buf);
}

void wb_trace_get_stats(struct wb_trace_stats *s)
{
	unsigned long flags;

	spin_lock_irqsave(&trace_ring.lock, flags);
	s->on = wb_trace_on();
	s->size = trace_ring.size;
	s->recorded = trace_ring.head;
	s->lost = ring_first_locked(&trace_ring);
	s->start_ns = trace_start_ns;
	spin_unlock_irqrestore(&trace_ring.lock, flags);
}

bool wb_trace_get(uint64_t seq, struct wb_trace_event *out)
{
	return wb_trace_ring_get(&trace_ring, seq, out);
}

void wb_trace_mark(const char *label)
{
	struct wb_trace_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = WB_TRACE_MARK;
	ev.time_ns = clock_ns();
	for (size_t i = 0; i < sizeof(ev.bdi) - 1 && label[i]; i++)
		ev.bdi[i] = label[i];
	wb_trace(&ev);
}

void wb_trace_dump(void)
{
	struct wb_trace_stats s;
	struct wb_trace_event ev;
	char line[WB_TRACE_LINE_MAX];
	uint64_t seq, end, printed = 0, now = clock_ns();

	wb_trace_get_stats(&s);
	seq = wb_trace_ring_first(&trace_ring);
	end = wb_trace_ring_head(&trace_ring);
	printk("wbt: type=begin version=%d size=%lu events=%llu lost=%llu "
	       "on=%d sample_ms=%d page_kb=%lu t=%llu.%06llu\n",
	       WB_TRACE_VERSION, s.size, (unsigned long long)(end - seq),
	       (unsigned long long)seq, s.on, WB_TRACE_SAMPLE_MS,
	       (unsigned long)(PAGE_SIZE / 1024),
	       (unsigned long long)(now / 1000000000ULL),
	       (unsigned long long)(now / 1000 % 1000000));
	for (; seq < end; seq++) {
		if (!wb_trace_ring_get(&trace_ring, seq, &ev)) {
			/* Overwritten while we printed: skip to the oldest. */
			uint64_t first = wb_trace_ring_first(&trace_ring);

			if (first <= seq || first >= end)
				break;
			seq = first - 1;
			continue;
		}
		wb_trace_format(&ev, line, sizeof(line));
		printk("%s\n", line);
		printed++;
	}
	/* Every event before end was printed or overwritten. */
	printk("wbt: type=end printed=%llu lost=%llu\n",
	       (unsigned long long)printed,
	       (unsigned long long)(end - printed));
}

/* -------------------------------------------------------- the sampler */

struct sample_ctx {
	uint64_t now_ms;
	struct wb_trace_event global;	/* the fields every sample shares */
	unsigned long write_bw, avg_write_bw;	/* summed for "all" */
};

static unsigned long read_ulong(const unsigned long *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void sample_bdi(struct backing_dev_info *bdi, void *arg)
{
	struct sample_ctx *c = arg;
	struct bdi_writeback *wb = &bdi->wb;
	struct wb_trace_event ev = c->global;

	if (!bdi->registered)
		return;
	strlcpy(ev.bdi, bdi->name, sizeof(ev.bdi));
	ev.wb_dirty = wb_stat(wb, WB_RECLAIMABLE) + wb_stat(wb, WB_WRITEBACK);
	ev.wb_thresh = wb_calc_thresh(wb, ev.thresh, c->now_ms);
	ev.write_bw = read_ulong(&wb->write_bandwidth);
	ev.avg_write_bw = read_ulong(&wb->avg_write_bandwidth);
	ev.dirty_ratelimit = read_ulong(&wb->dirty_ratelimit);
	ev.balanced_dirty_ratelimit =
		read_ulong(&wb->balanced_dirty_ratelimit);
	c->write_bw += ev.write_bw;
	c->avg_write_bw += ev.avg_write_bw;
	wb_trace(&ev);
}

void wb_trace_sample(uint64_t now_ns)
{
	struct sample_ctx c;
	struct wb_trace_event *g = &c.global;

	memset(&c, 0, sizeof(c));
	c.now_ms = now_ns / 1000000;
	g->time_ns = now_ns;
	g->type = WB_TRACE_SAMPLE;
	/* Exact (the CPUs' unfolded differences included), as the law
	 * reads them: the folded counters lag by up to a threshold a CPU. */
	g->dirty = node_page_state_snapshot(&contig_page_data, NR_FILE_DIRTY);
	g->writeback = node_page_state_snapshot(&contig_page_data,
						NR_WRITEBACK);
	global_dirty_limits(&g->bg_thresh, &g->thresh);
	g->limit = hard_dirty_limit(read_ulong(&global_dirty_limit),
				    g->thresh);
	g->setpoint = dirty_setpoint(g->thresh, g->bg_thresh, g->limit);
	bdi_for_each(sample_bdi, &c);
	/* The global line: the whole pool against the whole limit. */
	strlcpy(g->bdi, "all", sizeof(g->bdi));
	g->wb_dirty = g->dirty + g->writeback;
	g->wb_thresh = g->thresh;
	g->write_bw = c.write_bw;
	g->avg_write_bw = c.avg_write_bw;
	wb_trace(g);
}
