/*
 * kernel/pipe.c - pipes: a one-page byte ring between a read end and a
 * write end (Linux: fs/pipe.c, with one buffer instead of a ring of
 * pages).
 *
 * A reader sleeps while the ring is empty and some write end is open;
 * with none open it gets end of file (0). A writer sleeps while there is
 * no room; a write of at most PIPE_BUF_SIZE bytes goes in whole or not
 * at all (POSIX's atomic pipe write), a longer one in pieces. With no
 * read end open a write fails with -EPIPE and the writer gets SIGPIPE.
 * O_NONBLOCK turns each sleep into -EAGAIN (or the bytes done so far).
 * A pending signal ends a sleep with -EINTR (or the bytes done so far).
 */
#include "kernel/errno.h"
#include "kernel/file.h"
#include "kernel/lib/string.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"

struct pipe {
	spinlock_t lock;
	unsigned int head, count;	/* oldest byte, bytes queued */
	unsigned int readers, writers;	/* open ends */
	struct wait_queue_head rd_wait, wr_wait;
	char buf[PIPE_BUF_SIZE];
};

/* Copy up to n bytes out of the ring; lock held. */
static size_t ring_take(struct pipe *p, char *to, size_t n)
{
	size_t done = 0;

	while (done < n && p->count) {
		size_t run = min(min(n - done, (size_t)p->count),
				 (size_t)(PIPE_BUF_SIZE - p->head));

		memcpy(to + done, p->buf + p->head, run);
		p->head = (p->head + (unsigned int)run) % PIPE_BUF_SIZE;
		p->count -= (unsigned int)run;
		done += run;
	}
	return done;
}

/* Copy up to n bytes into the ring; lock held. */
static size_t ring_put(struct pipe *p, const char *from, size_t n)
{
	size_t done = 0;

	while (done < n && p->count < PIPE_BUF_SIZE) {
		unsigned int tail = (p->head + p->count) % PIPE_BUF_SIZE;
		size_t run = min(min(n - done, (size_t)(PIPE_BUF_SIZE - p->count)),
				 (size_t)(PIPE_BUF_SIZE - tail));

		memcpy(p->buf + tail, from + done, run);
		p->count += (unsigned int)run;
		done += run;
	}
	return done;
}

struct pipe_read_state {
	char *buf;
	size_t n;
};

/* One attempt of pipe_read (file_wait_io): the bytes there, 0 at end of
 * file, -EAGAIN while the ring is empty and a write end is open. */
static ssize_t pipe_read_once(struct file *f, void *arg)
{
	struct pipe *p = f->private_data;
	struct pipe_read_state *rd = arg;
	unsigned long flags;
	ssize_t ret = -EAGAIN;

	spin_lock_irqsave(&p->lock, flags);
	if (p->count || !p->writers)
		ret = (ssize_t)ring_take(p, rd->buf, rd->n);
	spin_unlock_irqrestore(&p->lock, flags);
	return ret;
}

static ssize_t pipe_read(struct file *f, char *buf, size_t n, loff_t *pos)
{
	struct pipe *p = f->private_data;
	struct pipe_read_state rd = { buf, n };
	ssize_t ret;

	if (!n)
		return 0;
	ret = file_wait_io(f, &p->rd_wait, pipe_read_once, &rd);
	if (ret > 0) {
		wake_up_sync(&p->wr_wait);
		poll_wake_all();
	}
	return ret;
}

struct pipe_write_state {
	const char *buf;
	size_t n, done;
};

/* One attempt of pipe_write (file_wait_io): put in what fits (all or
 * nothing for an atomic write) and wake the readers; n once all is in,
 * -EPIPE with no read end open, else -EAGAIN. */
static ssize_t pipe_write_once(struct file *f, void *arg)
{
	struct pipe *p = f->private_data;
	struct pipe_write_state *w = arg;
	bool atomic = w->n <= PIPE_BUF_SIZE;
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	if (!p->readers) {
		spin_unlock_irqrestore(&p->lock, flags);
		return -EPIPE;
	}
	if (!atomic || PIPE_BUF_SIZE - p->count >= w->n - w->done)
		w->done += ring_put(p, w->buf + w->done, w->n - w->done);
	spin_unlock_irqrestore(&p->lock, flags);
	if (w->done) {
		wake_up_sync(&p->rd_wait);
		poll_wake_all();
	}
	return w->done == w->n ? (ssize_t)w->n : -EAGAIN;
}

static ssize_t pipe_write(struct file *f, const char *buf, size_t n,
			  loff_t *pos)
{
	struct pipe *p = f->private_data;
	struct pipe_write_state w = { buf, n, 0 };
	ssize_t ret = file_wait_io(f, &p->wr_wait, pipe_write_once, &w);

	if (ret >= 0 || !w.done) {
		if (ret == -EPIPE)
			file_sigpipe();
		return ret;
	}
	return (ssize_t)w.done;	/* ended part-way (-EAGAIN, -EINTR, -EPIPE) */
}

static unsigned int pipe_poll(struct file *f)
{
	struct pipe *p = f->private_data;
	unsigned int mask = 0;
	unsigned long flags;

	spin_lock_irqsave(&p->lock, flags);
	if (file_readable(f)) {
		if (p->count)
			mask |= POLLIN | POLLRDNORM;
		if (!p->writers)
			mask |= POLLHUP;
	}
	if (file_writable(f)) {
		if (p->count < PIPE_BUF_SIZE)
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return mask;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->private_data;
	unsigned long flags;
	bool last;

	spin_lock_irqsave(&p->lock, flags);
	if (file_readable(f))
		p->readers--;
	else
		p->writers--;
	last = !p->readers && !p->writers;
	spin_unlock_irqrestore(&p->lock, flags);
	/* The other end learns: EOF for a reader, EPIPE for a writer. */
	wake_up(&p->rd_wait);
	wake_up(&p->wr_wait);
	poll_wake_all();
	if (last)
		kfree(p);
}

static void pipe_getattr(struct file *f, struct kstat *st)
{
	st->mode = S_IFIFO | 0600;
	st->size = 0;
}

static const struct file_operations pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.getattr = pipe_getattr,
	.release = pipe_release,
};

int pipe_create(struct file *ends[2], unsigned int f_flags)
{
	struct pipe *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	spin_lock_init(&p->lock, "pipe");
	init_waitqueue_head(&p->rd_wait, "pipe rd_wait");
	init_waitqueue_head(&p->wr_wait, "pipe wr_wait");
	p->readers = p->writers = 1;
	ends[0] = file_alloc(&pipe_fops, O_RDONLY | (f_flags & O_NONBLOCK), p);
	ends[1] = file_alloc(&pipe_fops, O_WRONLY | (f_flags & O_NONBLOCK), p);
	if (!ends[0] || !ends[1]) {
		/* Release the end that exists as if the other were closed:
		 * the last release frees the pipe. */
		if (ends[0]) {
			p->writers = 0;
			fput(ends[0]);
		} else if (ends[1]) {
			p->readers = 0;
			fput(ends[1]);
		} else {
			kfree(p);
		}
		return -ENOMEM;
	}
	return 0;
}
