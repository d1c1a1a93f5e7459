/*
 * kernel/lib/kfifo.c - the single-producer, single-consumer byte ring
 * (contract: kfifo.h).
 */
#include "kernel/lib/kfifo.h"
#include "kernel/panic.h"

void kfifo_init(struct kfifo *f, unsigned char *buf, unsigned int size)
{
	BUG_ON(size < 2 || (size & (size - 1)));
	f->buf = buf;
	f->mask = size - 1;
	f->in = f->out = 0;
	f->dropped = f->dropped_seen = 0;
}

bool kfifo_put(struct kfifo *f, unsigned char c)
{
	unsigned int out = __atomic_load_n(&f->out, __ATOMIC_ACQUIRE);

	if (f->in - out > f->mask) {
		__atomic_store_n(&f->dropped, f->dropped + 1, __ATOMIC_RELAXED);
		return false;
	}
	f->buf[f->in & f->mask] = c;
	/* The byte is in place before the consumer can see the new index. */
	__atomic_store_n(&f->in, f->in + 1, __ATOMIC_RELEASE);
	return true;
}

bool kfifo_get(struct kfifo *f, unsigned char *c)
{
	unsigned int in = __atomic_load_n(&f->in, __ATOMIC_ACQUIRE);

	if (in == f->out)
		return false;
	*c = f->buf[f->out & f->mask];
	/* The byte is read before the producer may reuse its slot. */
	__atomic_store_n(&f->out, f->out + 1, __ATOMIC_RELEASE);
	return true;
}

unsigned int kfifo_len(const struct kfifo *f)
{
	return __atomic_load_n(&f->in, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(&f->out, __ATOMIC_ACQUIRE);
}

unsigned long kfifo_take_dropped(struct kfifo *f)
{
	unsigned long d = __atomic_load_n(&f->dropped, __ATOMIC_RELAXED);
	unsigned long n = d - f->dropped_seen;

	f->dropped_seen = d;
	return n;
}
