/*
 * kernel/exit.c - how a process ends.
 *
 * SCAFFOLD: a thread in user mode without a process ends with
 * kthread_exit(); the `proc` part replaces this with process exit.
 */
#include "kernel/kthread.h"
#include "kernel/syscall.h"

/* SCAFFOLD: the process layer replaces these with process exit. */
SYSCALL_DEFINE1(exit, int, code)
{
	kthread_exit(code & 0xff);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	kthread_exit(code & 0xff);
}
