/*
 * mm/writeback_trace.h - the dirty-throttling trace: a ring of
 * struct wb_trace_event (mm/backing-dev.h) that balance_dirty_pages, the
 * dirty_ratelimit update and a 100 ms sampler write into, dumped over the
 * console as `wbt:` lines that tools/bench-dirty and tools/plot-dirty
 * read. Linux's counterparts are the writeback tracepoints
 * (balance_dirty_pages, bdi_dirty_ratelimit, global_dirty_state).
 * docs/mm/writeback.md, "The trace".
 *
 *	mm> dirtytrace start		(32768 events: 5.8 MiB of vmalloc)
 *	mm> run dd if=/dev/zero of=/mnt/f1 bs=1M count=320
 *	mm> dirtytrace stop
 *	mm> dirtytrace dump		(one wbt: line per event)
 *	mm> dirtytrace clear		(the memory goes back)
 *
 * The contract:
 *  - wb_trace() may be called from any context, interrupts included; it
 *    takes one spinlock with interrupts off and copies one event. When
 *    tracing is off it only reads a flag.
 *  - The ring keeps the newest events: when it is full, each new event
 *    overwrites the oldest, and the overwritten ones are counted
 *    (lost=) and reported by the dump's first and last lines. Nothing is
 *    dropped without being counted.
 *  - The ring's memory is taken when tracing starts and given back at
 *    clear (vmalloc; sizeof(struct wb_trace_event) is 184 bytes on both
 *    arches, so the default 32768 events take 5.8 MiB). Stopping keeps
 *    the events for the dump; starting again appends to them.
 *  - A struct wb_trace_ring can also be made over any buffer (the host
 *    tests do): the wb_trace_ring_* functions are the mechanism, the
 *    wb_trace_* ones the one global ring.
 */
#ifndef MM_WRITEBACK_TRACE_H
#define MM_WRITEBACK_TRACE_H

#include "kernel/spinlock.h"
#include "kernel/types.h"
#include "mm/backing-dev.h"

#define WB_TRACE_DEFAULT_EVENTS	32768	/* ~60 events/s for 9 minutes */
#define WB_TRACE_MAX_EVENTS	(1UL << 20)	/* 184 MiB: more is a typo */
#define WB_TRACE_SAMPLE_MS	100	/* the sampler's period */
#define WB_TRACE_LINE_MAX	500	/* a formatted line, with its NUL */
#define WB_TRACE_VERSION	1	/* the grammar's, in the begin line */

/* ------------------------------------------------------------ a ring */

struct wb_trace_ring {
	spinlock_t lock;
	struct wb_trace_event *ev;	/* size slots; NULL: none */
	unsigned long size;
	uint64_t head;			/* events ever recorded (the next
					 * one's sequence number) */
};

/* Make r an empty ring over buf's size events (buf may be NULL, size 0:
 * a ring that records nothing yet). */
void wb_trace_ring_init(struct wb_trace_ring *r, struct wb_trace_event *buf,
			unsigned long size);
/* Append ev, overwriting the oldest event if r is full. Any context. */
void wb_trace_ring_record(struct wb_trace_ring *r,
			  const struct wb_trace_event *ev);
/* Sequence numbers: the oldest event r still holds, and one past the
 * newest. Events [first, head) can be read. */
uint64_t wb_trace_ring_first(struct wb_trace_ring *r);
uint64_t wb_trace_ring_head(struct wb_trace_ring *r);
/* Events overwritten before they could be read (head - size, or 0). */
uint64_t wb_trace_ring_lost(struct wb_trace_ring *r);
/* Copy event seq into *out: true, or false if it is not (or no longer)
 * in r. Safe against concurrent recording. */
bool wb_trace_ring_get(struct wb_trace_ring *r, uint64_t seq,
		       struct wb_trace_event *out);

/* --------------------------------------------------------- the format */

/* The type's name in the grammar ("bdp", "ratelimit", "sample", "mark"),
 * or "unknown". */
const char *wb_trace_type_name(unsigned int type);
/*
 * Format ev as one line (no newline) into buf, at most size - 1 chars:
 * "wbt: t=SECONDS type=TYPE bdi=NAME who=N key=value ...", the keys of
 * its type (the file header of mm/writeback_trace.c lists them).
 * A field that does not fit ends the line with " trunc=1" instead.
 * Returns the length.
 */
int wb_trace_format(const struct wb_trace_event *ev, char *buf, size_t size);

/* ---------------------------------------------------- the global ring */

/*
 * Start tracing. A ring left by wb_trace_stop is appended to; otherwise
 * one of nr_events (0: WB_TRACE_DEFAULT_EVENTS) is allocated. Returns 0,
 * -EINVAL (nr_events above WB_TRACE_MAX_EVENTS), -EBUSY (a stopped ring
 * of another size: clear first) or -ENOMEM. May sleep.
 */
int wb_trace_start(unsigned long nr_events);
/* The same over the caller's buffer (host tests); clear will not free it. */
int wb_trace_start_buf(struct wb_trace_event *buf, unsigned long nr_events);
/* Stop recording; the events stay for the dump. */
void wb_trace_stop(void);
/* Stop, forget every event and free the ring. May sleep. */
void wb_trace_clear(void);
bool wb_trace_on(void);

struct wb_trace_stats {
	bool on;
	unsigned long size;		/* the ring's slots (0: none) */
	uint64_t recorded;		/* events since the last clear */
	uint64_t lost;			/* of them, overwritten */
	uint64_t start_ns;		/* when tracing first started */
};
void wb_trace_get_stats(struct wb_trace_stats *s);

/* Copy the global ring's event seq (0 is the first since the last
 * clear) into *out: false if it is not, or no longer, there. */
bool wb_trace_get(uint64_t seq, struct wb_trace_event *out);

/* Record a WB_TRACE_MARK event now, label (<= 7 chars) in its bdi. */
void wb_trace_mark(const char *label);

/*
 * printk every event of the global ring, oldest first, between a begin
 * and an end line (the grammar: mm/writeback_trace.c). Tracing may go
 * on meanwhile: events recorded after the dump began are not printed;
 * those overwritten while it ran are counted in the end line's lost=.
 */
void wb_trace_dump(void);

/*
 * The sampler's step: one WB_TRACE_SAMPLE per registered bdi, and one
 * with bdi "all" for the global state, stamped now_ns. Called every
 * WB_TRACE_SAMPLE_MS by the sampler thread; host tests call it directly.
 */
void wb_trace_sample(uint64_t now_ns);

/*
 * The sampler thread (mm/writeback_trace_kthread.c, kernel only): start
 * returns 0 or -ENOMEM (no thread) and is a no-op if it runs; stop waits
 * for it to end. The console starts it with tracing and stops it first.
 */
int wb_trace_sampler_start(void);
void wb_trace_sampler_stop(void);

#endif
