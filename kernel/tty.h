/*
 * kernel/tty.h - the serial console as a terminal for programs
 * (/dev/console, /dev/tty, and a new process's fd 0, 1 and 2).
 *
 * Output: what a program writes goes out through printk's path (one
 * write, up to 256 bytes, is one printk: it does not tear with the
 * kernel's lines), without timestamps while the console runs.
 *
 * Input, from the UART to a program's read() (docs/files.md):
 *   UART interrupt -> console_input_push(bytes) -> while a program is in
 *   the foreground (tty_set_foreground), tty_receive() instead of the
 *   `mm> ` prompt's ring -> the line discipline (canonical mode: a line
 *   is edited with backspace, ^U, ^W and echoed; Enter or ^D make it
 *   readable; ^C flushes and calls the interrupt handler, which the
 *   signal layer registers to send SIGINT) -> the read queue -> a
 *   sleeping tty read() is woken and copies out one line.
 * With ICANON off (a program's raw mode) each byte is readable at once.
 *
 * No job control: any process may read the terminal while some program
 * is in the foreground (they then share the input); while the prompt has
 * it, a read from the terminal returns end of file at once instead of
 * stealing the prompt's input or sleeping for ever.
 *
 * The ioctls are Linux's (the same numbers on x86_64 and arm64):
 * TCGETS/TCSETS/TCSETSW/TCSETSF (struct termios below, Linux's kernel
 * layout), TIOCGWINSZ (80x24) / TIOCSWINSZ, TIOCGPGRP/TIOCSPGRP, FIONREAD,
 * TCFLSH; TIOCSCTTY and TIOCNOTTY succeed and do nothing; others -ENOTTY.
 */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include "kernel/types.h"

struct file;

#define NCCS 19
struct termios {
	unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
	unsigned char c_line;
	unsigned char c_cc[NCCS];
};

struct winsize {
	unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* c_cc indexes */
#define VINTR	0
#define VQUIT	1
#define VERASE	2
#define VKILL	3
#define VEOF	4
#define VTIME	5
#define VMIN	6
#define VSUSP	10
#define VEOL	11
#define VWERASE	14
/* c_iflag */
#define INLCR	0000100
#define IGNCR	0000200
#define ICRNL	0000400
#define IXON	0002000
/* c_oflag */
#define OPOST	0000001
#define ONLCR	0000004
/* c_cflag */
#define B38400	0000017
#define CS8	0000060
#define CREAD	0000200
#define HUPCL	0002000
/* c_lflag */
#define ISIG	0000001
#define ICANON	0000002
#define ECHO	0000010
#define ECHOE	0000020
#define ECHOK	0000040
#define ECHONL	0000100
#define NOFLSH	0000200
#define ECHOCTL	0001000
#define ECHOKE	0004000
#define IEXTEN	0100000

/* ioctl numbers (asm-generic/ioctls.h, used by both architectures). */
#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TCFLSH		0x540B
#define TIOCSCTTY	0x540E
#define TIOCGPGRP	0x540F
#define TIOCSPGRP	0x5410
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define FIONREAD	0x541B
#define TIOCNOTTY	0x5422
#define FIONBIO		0x5421
#define FIONCLEX	0x5450
#define FIOCLEX		0x5451

/* Open the terminal (O_RDONLY/O_WRONLY/O_RDWR, O_NONBLOCK); NULL: no
 * memory. */
struct file *tty_open(unsigned int f_flags);

/*
 * Give the terminal's input to process group pgrp (the console's `run`
 * of a foreground program), or back to the prompt with 0. Either way
 * what was typed and not yet read is dropped, and the settings go back
 * to Linux's defaults (canonical, echo) when the prompt takes over.
 */
void tty_set_foreground(int pgrp);
int tty_get_foreground(void);

/*
 * Register fn to be called when ^C (SIGINT) or ^\ (SIGQUIT) is typed
 * while ISIG is set and a program has the terminal: fn(pgrp, sig) with
 * the foreground group. Called from the UART's interrupt handler
 * (interrupts off): fn must not sleep. Returns the handler it replaces
 * (tests put it back).
 */
typedef void (*tty_intr_fn)(int pgrp, int sig);
tty_intr_fn tty_set_intr_handler(tty_intr_fn fn);

/*
 * Bytes typed at the console: if a program has the terminal, feed them
 * to the line discipline and return true; false means the prompt has the
 * terminal and the caller keeps them. Any context.
 */
bool tty_receive(const char *s, size_t n);

/* The settings now (tests; programs use TCGETS), and setting them. */
void tty_get_termios(struct termios *t);
void tty_set_termios(const struct termios *t);

#endif
