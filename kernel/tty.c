/*
 * kernel/tty.c - the console as a terminal (kernel/tty.h): the line
 * discipline on the input side (Linux: n_tty), printk on the output side.
 *
 * One terminal. Its state is under tty.lock (taken with interrupts off:
 * the UART's interrupt handler feeds it). Two buffers: the line being
 * edited (canonical mode), and the read queue of what readers may take.
 * The read queue holds 16-bit cells so the end of a line that has no
 * byte for it can sit in it between lines, as a cell no byte can be: ^D
 * on an empty line (end of file: that read returns 0) and ^D after text
 * (the read returns the text without a newline).
 */
#include "kernel/tty.h"
#include "kernel/errno.h"
#include "kernel/file.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/uaccess.h"
#include "kernel/wait.h"

#define SIGINT		2
#define SIGQUIT		3

#define LINE_MAX	255		/* a canonical line, without its '\n' */
#define QUEUE_SIZE	4096		/* cells; a power of two */
#define CELL_EOF	0x100		/* ^D on an empty line: read() returns 0 */
#define CELL_PUSH	0x101		/* ^D after text: ends the line, no byte */

static const struct termios default_termios = {
	.c_iflag = ICRNL | IXON,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD | HUPCL,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		   IEXTEN,
	/* ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, -, ^Q ^S ^Z, -, ^R ^O ^W ^V */
	.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22 },
};

static struct {
	spinlock_t lock;
	struct termios termios;
	struct winsize winsize;
	int pgrp;			/* foreground group; 0: the prompt */
	char line[LINE_MAX];		/* canonical: the line being typed */
	unsigned int line_len;
	uint16_t queue[QUEUE_SIZE];	/* readable cells */
	unsigned int head, count;	/* oldest cell, cells queued */
	unsigned int lines;		/* canonical: '\n' and EOF cells queued */
	tty_intr_fn intr;
	struct wait_queue_head read_wait;
} tty = {
	.lock = SPINLOCK_INIT("tty.lock"),
	.termios = default_termios,
	.winsize = { .ws_row = 24, .ws_col = 80 },
	.read_wait = WAIT_QUEUE_HEAD_INIT(tty.read_wait),
};

/* Echo collected under the lock and printed after it. */
struct echo_buf {
	char s[64];
	size_t n;
};

static void echo_str(struct echo_buf *e, const char *s)
{
	if (!(tty.termios.c_lflag & ECHO))
		return;
	while (*s && e->n < sizeof(e->s) - 1)
		e->s[e->n++] = *s++;
}

/* A character as the terminal shows it: ^X for control characters. */
static void echo_char(struct echo_buf *e, unsigned char c)
{
	char s[3] = { (char)c, 0, 0 };

	if (c < 32 && c != '\n' && c != '\t' && (tty.termios.c_lflag & ECHOCTL)) {
		s[0] = '^';
		s[1] = (char)(c + '@');
	} else if (c == 127 && (tty.termios.c_lflag & ECHOCTL)) {
		s[0] = '^';
		s[1] = '?';
	}
	echo_str(e, s);
}

static bool queue_put(uint16_t cell)
{
	if (tty.count == QUEUE_SIZE)
		return false;
	tty.queue[(tty.head + tty.count++) & (QUEUE_SIZE - 1)] = cell;
	return true;
}

static void flush_input(void)
{
	tty.line_len = 0;
	tty.head = tty.count = tty.lines = 0;
}

/* Move the edited line (and then '\n' or an EOF cell) to the read queue:
 * only if all of it fits, so a reader never sees half a line. */
static void commit_line(uint16_t end)
{
	if (QUEUE_SIZE - tty.count < tty.line_len + 1)
		return;			/* full: the line is dropped */
	for (unsigned int i = 0; i < tty.line_len; i++)
		queue_put((unsigned char)tty.line[i]);
	queue_put(end == CELL_EOF && tty.line_len ? CELL_PUSH : end);
	tty.line_len = 0;
	tty.lines++;
}

/* Erase the last character of the line (^H, DEL), or the last word (^W),
 * or all of it (^U). */
static void erase(struct echo_buf *e, int what)
{
	bool seen_word = false;

	while (tty.line_len) {
		char c = tty.line[tty.line_len - 1];

		if (what == VWERASE) {
			if (c == ' ' && seen_word)
				break;
			seen_word |= c != ' ';
		}
		tty.line_len--;
		if (tty.termios.c_lflag & ECHOE)
			echo_str(e, (unsigned char)c < 32 ? "\b \b\b \b" : "\b \b");
		if (what == VERASE)
			break;
	}
}

/* One byte through the line discipline. Returns the signal to send to
 * the foreground group, or 0. tty.lock held. */
static int receive_char(struct echo_buf *e, unsigned char c)
{
	const struct termios *t = &tty.termios;

	if (c == '\r' && (t->c_iflag & IGNCR))
		return 0;
	if (c == '\r' && (t->c_iflag & ICRNL))
		c = '\n';
	else if (c == '\n' && (t->c_iflag & INLCR))
		c = '\r';
	if (t->c_lflag & ISIG) {
		int sig = c == t->c_cc[VINTR] ? SIGINT :
			  c == t->c_cc[VQUIT] ? SIGQUIT : 0;

		if (sig) {
			if (!(t->c_lflag & NOFLSH))
				flush_input();
			echo_char(e, c);
			echo_str(e, "\n");
			return sig;
		}
	}
	if (!(t->c_lflag & ICANON)) {
		if (queue_put(c))
			echo_char(e, c);
		return 0;
	}
	if (c == t->c_cc[VERASE] || c == '\b') {
		erase(e, VERASE);
	} else if (c == t->c_cc[VKILL]) {
		erase(e, VKILL);
	} else if (c == t->c_cc[VWERASE] && (t->c_lflag & IEXTEN)) {
		erase(e, VWERASE);
	} else if (c == t->c_cc[VEOF]) {
		commit_line(CELL_EOF);
	} else if (c == '\n' || (c == t->c_cc[VEOL] && c)) {
		if ((t->c_lflag & (ECHO | ECHONL)) && e->n < sizeof(e->s) - 1)
			e->s[e->n++] = '\n';
		commit_line(c);
	} else if (tty.line_len < LINE_MAX) {
		tty.line[tty.line_len++] = (char)c;
		echo_char(e, c);
	}
	return 0;
}

bool tty_receive(const char *s, size_t n)
{
	unsigned long flags;
	int sig = 0, pgrp;

	spin_lock_irqsave(&tty.lock, flags);
	pgrp = tty.pgrp;
	if (!pgrp) {
		spin_unlock_irqrestore(&tty.lock, flags);
		return false;
	}
	for (size_t i = 0; i < n; ) {
		struct echo_buf e = { .n = 0 };

		/* Echo in pieces: each piece's echo fits e.s. */
		for (size_t k = 0; i < n && k < 8; k++, i++) {
			int s2 = receive_char(&e, (unsigned char)s[i]);

			if (s2)
				sig = s2;
		}
		e.s[e.n] = '\0';
		if (e.n) {
			spin_unlock_irqrestore(&tty.lock, flags);
			printk(KERN_CONT "%s", e.s);
			spin_lock_irqsave(&tty.lock, flags);
		}
	}
	tty_intr_fn intr = tty.intr;

	spin_unlock_irqrestore(&tty.lock, flags);
	wake_up(&tty.read_wait);
	poll_wake_all();
	if (sig && intr)
		intr(pgrp, sig);
	return true;
}

void tty_set_foreground(int pgrp)
{
	unsigned long flags;

	spin_lock_irqsave(&tty.lock, flags);
	tty.pgrp = pgrp;
	flush_input();
	if (!pgrp)
		tty.termios = default_termios;
	spin_unlock_irqrestore(&tty.lock, flags);
	/* Readers see the prompt took the terminal back: end of file. */
	wake_up(&tty.read_wait);
	poll_wake_all();
}

int tty_get_foreground(void)
{
	return READ_ONCE(tty.pgrp);
}

tty_intr_fn tty_set_intr_handler(tty_intr_fn fn)
{
	return __atomic_exchange_n(&tty.intr, fn, __ATOMIC_ACQ_REL);
}

void tty_get_termios(struct termios *t)
{
	unsigned long flags;

	spin_lock_irqsave(&tty.lock, flags);
	*t = tty.termios;
	spin_unlock_irqrestore(&tty.lock, flags);
}

void tty_set_termios(const struct termios *t)
{
	unsigned long flags;

	spin_lock_irqsave(&tty.lock, flags);
	/* Leaving canonical mode makes the half-typed line readable. */
	if ((tty.termios.c_lflag & ICANON) && !(t->c_lflag & ICANON)) {
		for (unsigned int i = 0; i < tty.line_len; i++)
			queue_put((unsigned char)tty.line[i]);
		tty.line_len = 0;
	}
	tty.termios = *t;
	spin_unlock_irqrestore(&tty.lock, flags);
	wake_up(&tty.read_wait);
	poll_wake_all();
}

/* Can a read return now? tty.lock held. */
static bool readable(void)
{
	if (!tty.pgrp)
		return true;			/* the prompt has it: EOF */
	if (tty.termios.c_lflag & ICANON)
		return tty.lines > 0;
	return tty.count > 0 || tty.termios.c_cc[VMIN] == 0;
}

/* Take up to n bytes: in canonical mode up to the end of one line. */
static size_t take(char *buf, size_t n)
{
	bool canon = tty.termios.c_lflag & ICANON;
	size_t done = 0;

	while (done < n && tty.count) {
		uint16_t cell = tty.queue[tty.head];

		if (cell == CELL_EOF && done)
			break;			/* the EOF waits for the next read */
		tty.head = (tty.head + 1) & (QUEUE_SIZE - 1);
		tty.count--;
		if (cell == CELL_EOF || cell == CELL_PUSH) {
			tty.lines--;
			break;
		}
		buf[done++] = (char)cell;
		if (canon && cell == '\n') {
			tty.lines--;
			break;
		}
	}
	return done;
}

struct tty_read_state {
	char *buf;
	size_t n;
};

/* One attempt of tty_read (file_wait_io): a line (canonical mode) or
 * the bytes there; -EAGAIN while there is nothing to read. */
static ssize_t tty_read_once(struct file *f, void *arg)
{
	struct tty_read_state *rd = arg;
	unsigned long flags;
	ssize_t ret = -EAGAIN;

	spin_lock_irqsave(&tty.lock, flags);
	if (readable())
		ret = tty.pgrp ? (ssize_t)take(rd->buf, rd->n) : 0;
	spin_unlock_irqrestore(&tty.lock, flags);
	return ret;
}

static ssize_t tty_read(struct file *f, char *buf, size_t n, loff_t *pos)
{
	struct tty_read_state rd = { buf, n };

	if (!n)
		return 0;
	return file_wait_io(f, &tty.read_wait, tty_read_once, &rd);
}

/* The bytes as printk text: one printk per 256 bytes (NUL bytes, which
 * would end the text, are left out). */
static ssize_t tty_write(struct file *f, const char *buf, size_t n,
			 loff_t *pos)
{
	size_t i = 0;

	while (i < n) {
		size_t len = 0;

		while (i + len < n && len < 256 && buf[i + len])
			len++;
		if (len)
			printk(KERN_CONT "%.*s", (int)len, buf + i);
		i += len;
		if (i < n && !buf[i])
			i++;
	}
	return (ssize_t)n;
}

static unsigned int tty_poll(struct file *f)
{
	unsigned long flags;
	unsigned int mask = POLLOUT | POLLWRNORM;

	spin_lock_irqsave(&tty.lock, flags);
	if (readable())
		mask |= POLLIN | POLLRDNORM;
	spin_unlock_irqrestore(&tty.lock, flags);
	return mask;
}

static long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void *uarg = (void *)arg;
	struct termios t;
	struct winsize ws;
	unsigned long flags;
	int v;

	switch (cmd) {
	case TCGETS:
		tty_get_termios(&t);
		return copy_to_user(uarg, &t, sizeof(t)) ? -EFAULT : 0;
	case TCSETSF:
		spin_lock_irqsave(&tty.lock, flags);
		flush_input();
		spin_unlock_irqrestore(&tty.lock, flags);
		/* fall through */
	case TCSETS:
	case TCSETSW:		/* output is never queued: nothing to drain */
		if (copy_from_user(&t, uarg, sizeof(t)))
			return -EFAULT;
		tty_set_termios(&t);
		return 0;
	case TIOCGWINSZ:
		spin_lock_irqsave(&tty.lock, flags);
		ws = tty.winsize;
		spin_unlock_irqrestore(&tty.lock, flags);
		return copy_to_user(uarg, &ws, sizeof(ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		if (copy_from_user(&ws, uarg, sizeof(ws)))
			return -EFAULT;
		spin_lock_irqsave(&tty.lock, flags);
		tty.winsize = ws;
		spin_unlock_irqrestore(&tty.lock, flags);
		return 0;
	case TIOCGPGRP:
		v = tty_get_foreground();
		return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
	case TIOCSPGRP:
		if (copy_from_user(&v, uarg, sizeof(v)))
			return -EFAULT;
		if (v <= 0)
			return -EINVAL;
		spin_lock_irqsave(&tty.lock, flags);
		if (tty.pgrp)		/* the prompt keeps it while it has it */
			tty.pgrp = v;
		spin_unlock_irqrestore(&tty.lock, flags);
		return 0;
	case FIONREAD:
		spin_lock_irqsave(&tty.lock, flags);
		v = (int)tty.count;
		spin_unlock_irqrestore(&tty.lock, flags);
		return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
	case TCFLSH:
		spin_lock_irqsave(&tty.lock, flags);
		if (arg == 0 || arg == 2)	/* TCIFLUSH, TCIOFLUSH */
			flush_input();
		spin_unlock_irqrestore(&tty.lock, flags);
		return arg <= 2 ? 0 : -EINVAL;
	case TIOCSCTTY:
	case TIOCNOTTY:
		return 0;
	default:
		return -ENOTTY;
	}
}

static void tty_getattr(struct file *f, struct kstat *st)
{
	st->mode = S_IFCHR | 0620;
	st->rdev = 5 << 8 | 1;		/* Linux's /dev/console: 5, 1 */
	st->ino = 2;
}

static const struct file_operations tty_fops = {
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
	.getattr = tty_getattr,
};

struct file *tty_open(unsigned int f_flags)
{
	return file_alloc(&tty_fops, f_flags, NULL);
}
