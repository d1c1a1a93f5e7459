/*
 * kernel/abi/signal.h - Linux's signal constants, the same on x86_64 and
 * arm64: signal numbers, sa_flags, rt_sigprocmask's how, sigaltstack's
 * flags.
 *
 * ABI only: #defines and nothing else, so both sides of the system-call
 * boundary include this one file (the kernel through kernel/signal.h, the
 * user C library through user/lib/libc.h) and a number is written once.
 */
#ifndef KERNEL_ABI_SIGNAL_H
#define KERNEL_ABI_SIGNAL_H

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define SIGRTMIN	32
#define _NSIG		64	/* signals are 1.._NSIG */

/* sa_flags. */
#define SA_NOCLDSTOP	0x00000001UL
#define SA_NOCLDWAIT	0x00000002UL
#define SA_SIGINFO	0x00000004UL
#define SA_RESTORER	0x04000000UL
#define SA_ONSTACK	0x08000000UL
#define SA_RESTART	0x10000000UL
#define SA_NODEFER	0x40000000UL
#define SA_RESETHAND	0x80000000UL

/* rt_sigprocmask's how. */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

/* sigaltstack's ss_flags. */
#define SS_ONSTACK	1
#define SS_DISABLE	2
#define MINSIGSTKSZ	2048

#endif
