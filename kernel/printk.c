/*
 * kernel/printk.c - the kernel log: a ring buffer of text and the consoles
 * that show it. Portable: the host tests link it with a stdout console.
 */
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/spinlock.h"
#include <arch/machine.h>

#define LOG_BUF_SIZE (64 * 1024)	/* power of two */

static char log_buf[LOG_BUF_SIZE];
static uint64_t log_head;		/* total bytes ever written */
static struct console *consoles;
static DEFINE_SPINLOCK(printk_lock);
static bool at_line_start = true;

static char *capture_buf;
static size_t capture_size, capture_len;
static bool capture_quiet;		/* captured text stays off the consoles */

int console_loglevel = 7;
bool printk_time = true;

static void log_store(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_buf[(log_head + i) & (LOG_BUF_SIZE - 1)] = s[i];
	log_head += n;
}

static void emit(const char *s, size_t n, bool to_console)
{
	log_store(s, n);
	if (capture_buf) {
		size_t room = capture_size - 1 - capture_len;
		size_t c = n < room ? n : room;

		memcpy(capture_buf + capture_len, s, c);
		capture_len += c;
		capture_buf[capture_len] = '\0';
	}
	if (to_console && !(capture_buf && capture_quiet))
		for (struct console *con = consoles; con; con = con->next)
			con->write(con, s, n);
}

/* The first newline in [p, end), or NULL. */
static const char *find_newline(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p == '\n')
			return p;
	return NULL;
}

int vprintk(const char *fmt, va_list ap)
{
	char text[512];
	char stamp[32];
	int level = LOGLEVEL_DEFAULT;
	bool cont = false;
	unsigned long flags;
	int n;

	if (fmt[0] == KERN_SOH[0] && fmt[1]) {
		if (fmt[1] == 'c')
			cont = true;
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	n = kvsnprintf(text, sizeof(text), fmt, ap);
	if (n >= (int)sizeof(text))
		n = sizeof(text) - 1;

	spin_lock_irqsave(&printk_lock, flags);
	bool show = level <= console_loglevel;

	/* A message that does not continue a line starts a new one. */
	if (!cont && !at_line_start) {
		emit("\n", 1, show);
		at_line_start = true;
	}
	const char *p = text;
	const char *end = text + n;

	while (p < end) {
		if (at_line_start && printk_time) {
			uint64_t ns = arch_clock_ns();
			int len = ksnprintf(stamp, sizeof(stamp), "[%5llu.%06llu] ",
					    (unsigned long long)(ns / 1000000000ULL),
					    (unsigned long long)(ns / 1000ULL % 1000000ULL));
			emit(stamp, len, show);
		}
		at_line_start = false;
		const char *nl = find_newline(p, end);
		size_t chunk = nl ? (size_t)(nl - p + 1) : (size_t)(end - p);

		emit(p, chunk, show);
		p += chunk;
		if (nl)
			at_line_start = true;
	}
	spin_unlock_irqrestore(&printk_lock, flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void register_console(struct console *con)
{
	unsigned long flags;

	spin_lock_irqsave(&printk_lock, flags);
	/* Replay what the ring still holds, so early messages are not lost. */
	uint64_t start = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;

	for (uint64_t i = start; i < log_head; ) {
		size_t off = i & (LOG_BUF_SIZE - 1);
		size_t n = LOG_BUF_SIZE - off;

		if (n > log_head - i)
			n = log_head - i;
		con->write(con, log_buf + off, n);
		i += n;
	}
	con->next = consoles;
	consoles = con;
	spin_unlock_irqrestore(&printk_lock, flags);
}

static void capture_start(char *buf, size_t size, bool quiet)
{
	unsigned long flags;

	spin_lock_irqsave(&printk_lock, flags);
	capture_quiet = quiet;
	capture_buf = size ? buf : NULL;
	capture_size = size;
	capture_len = 0;
	if (size)
		buf[0] = '\0';
	spin_unlock_irqrestore(&printk_lock, flags);
}

void printk_capture_start(char *buf, size_t size)
{
	capture_start(buf, size, false);
}

void printk_capture_start_quiet(char *buf, size_t size)
{
	capture_start(buf, size, true);
}

char *printk_capture_buffer(void)
{
	return __atomic_load_n(&capture_buf, __ATOMIC_RELAXED);
}

size_t printk_capture_stop(void)
{
	unsigned long flags;
	size_t len;

	spin_lock_irqsave(&printk_lock, flags);
	len = capture_len;
	capture_buf = NULL;
	spin_unlock_irqrestore(&printk_lock, flags);
	return len;
}

size_t log_buf_read(char *buf, size_t size)
{
	unsigned long flags;
	size_t n;

	if (!size)
		return 0;
	spin_lock_irqsave(&printk_lock, flags);
	n = size - 1;
	if (n > log_head)
		n = log_head;
	if (n > LOG_BUF_SIZE)
		n = LOG_BUF_SIZE;
	for (size_t i = 0; i < n; i++)
		buf[i] = log_buf[(log_head - n + i) & (LOG_BUF_SIZE - 1)];
	buf[n] = '\0';
	spin_unlock_irqrestore(&printk_lock, flags);
	return n;
}

bool __ratelimit(struct ratelimit *rl)
{
	uint64_t now = arch_clock_ns();

	if (!rl->primed || now - rl->last_ns >= rl->interval_ns) {
		if (rl->missed)
			printk(KERN_WARNING "%u messages suppressed by rate limit\n",
			       rl->missed);
		rl->primed = true;
		rl->last_ns = now;
		rl->missed = 0;
		return true;
	}
	rl->missed++;
	return false;
}
