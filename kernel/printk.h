/*
 * kernel/printk.h - the kernel log.
 *
 * printk() formats a message (kernel/lib/vsprintf.h), stamps it with the
 * monotonic clock in Linux's "[    0.012345] " form, keeps it in the log
 * ring buffer (what `dmesg` shows) and writes it to every registered console.
 * A message may start with a level, as in Linux: printk(KERN_ERR "...").
 * Messages above the console log level are kept in the ring but not printed.
 * Safe to call from any context, before any console exists (the ring keeps
 * what was said and a console replays it when it registers).
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include "kernel/types.h"

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_CONT	KERN_SOH "c"	/* continue the previous line, no stamp */

#define LOGLEVEL_DEFAULT 6	/* printk() without a level is KERN_INFO */

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_emerg(fmt, ...)  printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)   printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)    printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)   printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)   printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)  printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)   printk(KERN_CONT fmt, ##__VA_ARGS__)

/* Print at most once per `interval_ns`; the rest are counted and reported. */
struct ratelimit {
	uint64_t interval_ns;
	uint64_t last_ns;
	unsigned int missed;
	bool primed;
};
#define RATELIMIT_INIT(ns) { .interval_ns = (ns) }
bool __ratelimit(struct ratelimit *rl);

/* A console: something that shows log text (a UART, the host's stdout). */
struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t len);
	struct console *next;
};
/* Register a console; it first receives everything still in the ring. */
void register_console(struct console *con);

/*
 * Stamp lines with the time (default true). The console turns it off
 * while a command runs, so command output reads like /proc files.
 */
extern bool printk_time;

/* Messages with level > console_loglevel are not printed (default 7). */
extern int console_loglevel;

/*
 * Capture: while a capture buffer is set, every printed message is also
 * appended to it (tests use this to check what a report said).
 */
void printk_capture_start(char *buf, size_t size);
size_t printk_capture_stop(void);
/*
 * The same, but what is captured is not written to the consoles (it still
 * goes to the log ring, so `dmesg` shows it). For output that would read
 * as a verdict of its own, e.g. KTAP from the runner's tests of itself.
 */
void printk_capture_start_quiet(char *buf, size_t size);
/* The buffer being captured into, or NULL. */
char *printk_capture_buffer(void);

/* Copy the newest `size - 1` bytes of the log ring into buf; returns length. */
size_t log_buf_read(char *buf, size_t size);

#endif
