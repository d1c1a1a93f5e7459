/*
 * kernel/lib/kfifo.h - a byte ring for one producer and one consumer, as
 * Linux's kfifo: the producer (typically an interrupt handler) puts bytes
 * in, the consumer (a thread) takes them out, and neither takes a lock.
 *
 * The size is a power of two. `in` and `out` count bytes put and taken
 * since kfifo_init and wrap around freely as unsigned numbers: in - out
 * is the number of queued bytes, and a byte sits at buf[index & mask].
 * Only the producer writes `in` (and `dropped`), only the consumer writes
 * `out`; the release/acquire pairs below order the data before the index.
 *
 * Overflow: kfifo_put on a full ring keeps what is queued, drops the new
 * byte and counts it in `dropped`. The consumer reports the count
 * (kfifo_take_dropped) so a loss is never silent.
 *
 * More than one producer must serialise among themselves (a spinlock);
 * the consumer still needs none.
 */
#ifndef KERNEL_LIB_KFIFO_H
#define KERNEL_LIB_KFIFO_H

#include "kernel/types.h"

struct kfifo {
	unsigned char *buf;
	unsigned int mask;		/* size - 1 */
	unsigned int in;		/* bytes ever put (producer) */
	unsigned int out;		/* bytes ever taken (consumer) */
	unsigned long dropped;		/* bytes refused because full (producer) */
	unsigned long dropped_seen;	/* of those, reported (consumer) */
};

/* Use buf[0..size-1] as an empty ring; size must be a power of two >= 2. */
void kfifo_init(struct kfifo *f, unsigned char *buf, unsigned int size);

/* Producer: queue c. false (and dropped counted) when the ring is full. */
bool kfifo_put(struct kfifo *f, unsigned char c);

/* Consumer: take the oldest byte into *c. false when the ring is empty. */
bool kfifo_get(struct kfifo *f, unsigned char *c);

/* Bytes queued now (exact for either side; a hint for anyone else). */
unsigned int kfifo_len(const struct kfifo *f);
static inline bool kfifo_is_empty(const struct kfifo *f) { return kfifo_len(f) == 0; }
static inline unsigned int kfifo_size(const struct kfifo *f) { return f->mask + 1; }

/* Consumer: bytes dropped since the last call (0 if none). */
unsigned long kfifo_take_dropped(struct kfifo *f);

#endif
